//! `pathprobe check` against N slow HTTPS endpoints, side by side with the
//! ways people check today: one `curl` after another (the vendor scripts'
//! approach) and `xargs -P 64 curl`. Reports wall time against the ideal (the
//! origin's delay, when everything runs at once) and pathprobe's peak memory.
//!
//! Run with `scripts/bench-check.sh` (release build), or
//! `cargo bench -p pathprobe-tests --bench check`. `PATHPROBE_BENCH_N` and
//! `PATHPROBE_BENCH_DELAY_MS` change the size.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;
use std::time::{Duration, Instant};

use pathprobe_tests::lab::{TestCa, dns_server_loopback, slow_tls_origin};
use pathprobe_tests::{binary, env_or};

/// User + system CPU seconds of this process so far.
fn own_cpu_seconds() -> f64 {
    pathprobe_tests::process_usage(None).1
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n = env_or("PATHPROBE_BENCH_N", 1000) as usize;
    let delay = Duration::from_millis(env_or("PATHPROBE_BENCH_DELAY_MS", 200));
    let ca = TestCa::new("pathprobe bench CA");
    // Real endpoints are many hosts; one listener per hundred endpoints keeps
    // the lab's own accept queue from being what is measured.
    let ports: Vec<u16> = (0..n.div_ceil(100))
        .map(|_| slow_tls_origin(&ca, &["*.bench.test"], delay))
        .collect();
    let dns = dns_server_loopback();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    ca.write_pem(&ca_file);
    let urls: Vec<String> = (0..n)
        .map(|i| format!("https://e{i}.bench.test:{}/", ports[i / 100]))
        .collect();
    let endpoints: Vec<serde_json::Value> = urls
        .iter()
        .map(|u| serde_json::json!({ "url": u }))
        .collect();
    let catalog = dir.path().join("bench.json");
    std::fs::write(
        &catalog,
        serde_json::json!({ "format": "pathprobe-catalog", "format_version": 1, "name": "bench", "endpoints": endpoints }).to_string(),
    )
    .unwrap();
    let bin = binary();
    let ideal = delay.as_secs_f64();

    // pathprobe, default concurrency, timed with its peak memory.
    let origins_cpu_before = own_cpu_seconds();
    let started = Instant::now();
    // PATHPROBE_BENCH_WRAP runs pathprobe under a profiler instead of
    // /usr/bin/time, e.g. "valgrind --tool=callgrind --callgrind-out-file=cg.out".
    let mut cmd = match std::env::var("PATHPROBE_BENCH_WRAP") {
        Ok(wrap) => {
            let mut words = wrap.split_whitespace();
            let mut cmd = Command::new(words.next().unwrap());
            cmd.args(words);
            cmd
        }
        Err(_) => {
            let mut cmd = Command::new("/usr/bin/time");
            cmd.args(["-f", "PATHPROBE_RSS_KIB=%M\nPATHPROBE_CPU_S=%U %S"]);
            cmd
        }
    };
    let out = cmd
        .arg(&bin)
        .args([
            "check",
            catalog.to_str().unwrap(),
            "--only-given",
            "--no-env",
            "--direct",
            // The same work the alternative is measured doing, on loopback.
            "--no-control",
            "--format",
            "json",
        ])
        .args([
            "--dns-server",
            &dns.to_string(),
            "--resolve",
            "*.bench.test=127.0.0.1",
        ])
        .args(["--ca-cert", ca_file.to_str().unwrap()])
        .output()
        .unwrap();
    let wall = started.elapsed().as_secs_f64();
    // The lab origins run in this process: their CPU shares the machine.
    let origins_cpu = own_cpu_seconds() - origins_cpu_before;
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("PATHPROBE_RSS_KIB="))
        .filter_map(|v| v.trim().parse::<f64>().ok())
        .next_back()
        .unwrap_or(0.0)
        / 1024.0;
    let cpu: f64 = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("PATHPROBE_CPU_S="))
        .map(|v| {
            v.split_whitespace()
                .filter_map(|x| x.parse::<f64>().ok())
                .sum()
        })
        .next_back()
        .unwrap_or(0.0);
    if let Ok(keep) = std::env::var("PATHPROBE_BENCH_KEEP") {
        std::fs::write(keep, &out.stdout).unwrap();
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ok = v["summary"]["ok"].as_u64().unwrap_or(0);

    // curl, the way scripts do it: one after another, and 64 at a time.
    let list = dir.path().join("urls.txt");
    std::fs::write(&list, urls.join("\n")).unwrap();
    let curl_one = format!(
        "curl -s -o /dev/null --cacert {} --resolve \"$(echo \"$0\" | sed -E 's#https://([^/:]+):([0-9]+)/#\\1:\\2#'):127.0.0.1\" \"$0\"",
        ca_file.display()
    );
    let sequential_n = n.min(env_or("PATHPROBE_BENCH_SEQ_N", 100) as usize);
    let seq_list = dir.path().join("seq.txt");
    std::fs::write(&seq_list, urls[..sequential_n].join("\n")).unwrap();
    let started = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "while read u; do sh -c '{}' \"$u\"; done < {}",
            curl_one.replace('\'', "'\\''"),
            seq_list.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    let sequential = started.elapsed().as_secs_f64() * (n as f64 / sequential_n as f64);
    let started = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "xargs -P 64 -n 1 sh -c '{}' < {}",
            curl_one.replace('\'', "'\\''"),
            list.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    let xargs = started.elapsed().as_secs_f64();

    println!(
        "{n} HTTPS endpoints, each answering after {} ms (ideal wall: {:.2} s)",
        delay.as_millis(),
        ideal
    );
    println!("| approach | wall | vs ideal | peak RSS |");
    println!("|---|---|---|---|");
    println!(
        "| pathprobe check (default concurrency) | {wall:.2} s | {:.2}x | {rss:.1} MiB |",
        wall / ideal
    );
    println!(
        "| xargs -P 64 curl | {xargs:.2} s | {:.2}x | |",
        xargs / ideal
    );
    println!(
        "| one curl after another{} | {sequential:.1} s | {:.0}x | |",
        if sequential_n < n {
            format!(" (timed on {sequential_n}, scaled)")
        } else {
            String::new()
        },
        sequential / ideal
    );
    println!(
        "pathprobe verdicts: {ok} of {n} ok; its CPU: {cpu:.2} s (user + system); the lab origins' CPU meanwhile: {origins_cpu:.2} s; target wall <= {:.2} s",
        1.3 * ideal + 0.1
    );
}
