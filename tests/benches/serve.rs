//! `pathprobe serve` over many intervals: memory and CPU must not grow, and
//! a `/metrics` scrape must stay cheap.
//!
//! 1. serve probes a lab catalog (50 HTTPS endpoints on loopback, TLS with a
//!    test CA) every 50 ms for 100 runs; its resident memory and CPU are read
//!    from /proc after run 10 and after run 100.
//! 2. serve probes the embedded default catalog once (names answered
//!    NXDOMAIN by a lab DNS server, so every endpoint has metrics), then
//!    `/metrics` is fetched 500 times over loopback and timed.
//!
//! Run with `scripts/bench-serve.sh`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pathprobe_tests::lab::{TestCa, dns_server, tls_origin};
use pathprobe_tests::peers::{free_port, http_get, try_http_get};
use pathprobe_tests::{binary, write_catalog};

fn serve(args: &[String]) -> (Child, u16) {
    let port = free_port();
    let child = Command::new(binary())
        .arg("serve")
        .arg("--no-control")
        .args(args)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while try_http_get(port, "/healthz").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

fn runs(port: u16) -> u64 {
    let (_, body) = try_http_get(port, "/metrics").unwrap_or_default();
    body.lines()
        .find_map(|l| l.strip_prefix("pathprobe_serve_runs_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Resident set (KiB) and CPU seconds of a process.
fn usage(pid: u32) -> (f64, f64) {
    pathprobe_tests::process_usage(Some(pid))
}

fn wait_for_runs(port: u16, n: u64) {
    let started = Instant::now();
    while runs(port) < n {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "run {n} never came"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dns = dns_server().to_string();

    // 1. Memory and CPU over 100 runs against the lab.
    let ca = TestCa::new("pathprobe serve bench CA");
    let origins: Vec<u16> = (0..5)
        .map(|_| tls_origin(&ca, &["*.serve.test"], 200))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    ca.write_pem(&ca_file);
    let urls: Vec<String> = (0..50)
        .map(|i| format!("https://e{i}.serve.test:{}/", origins[i % 5]))
        .collect();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let catalog = write_catalog(dir.path(), &refs);
    let args: Vec<String> = [
        catalog.to_str().unwrap(),
        "--only-given",
        "--no-env",
        "--direct",
        "--dns-server",
        &dns,
        "--resolve",
        "*.serve.test=127.0.0.1",
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--interval",
        "0.05s",
        "--max-runs",
        "101",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let (mut child, port) = serve(&args);
    let pid = child.id();
    wait_for_runs(port, 10);
    let (rss10, cpu10) = usage(pid);
    let t10 = Instant::now();
    wait_for_runs(port, 100);
    let (rss100, cpu100) = usage(pid);
    let elapsed = t10.elapsed().as_secs_f64();
    let _ = child.wait();
    let growth = (rss100 - rss10) / rss10 * 100.0;

    // 2. Scrape time of the default catalog's metrics.
    let args: Vec<String> = [
        "--only-given",
        "--no-env",
        "--direct",
        "--dns-server",
        &dns,
        "--interval",
        "1h",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let (mut child, port) = serve(&args);
    wait_for_runs(port, 1);
    let (_, body) = http_get(port, "/metrics");
    let series = body.lines().filter(|l| !l.starts_with('#')).count();
    let mut times: Vec<f64> = (0..500)
        .map(|_| {
            let t = Instant::now();
            let (status, _) = http_get(port, "/metrics");
            assert_eq!(status, 200);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];

    println!("pathprobe serve, 50 lab endpoints every 50 ms:");
    println!("| | after run 10 | after run 100 | change |");
    println!("|---|---|---|---|");
    println!(
        "| resident memory | {:.1} MiB | {:.1} MiB | {growth:+.1}% (target: within 10%) |",
        rss10 / 1024.0,
        rss100 / 1024.0
    );
    println!(
        "| CPU | {cpu10:.2} s | {cpu100:.2} s | {:.1} ms per run over {elapsed:.1} s |",
        (cpu100 - cpu10) / 90.0 * 1000.0
    );
    println!(
        "/metrics of the default catalog ({series} series, {} KiB): median {median:.2} ms, p99 {p99:.2} ms over 500 scrapes (target: under 5 ms)",
        body.len() / 1024
    );
}
