//! Lookups against a busy resolver: `pathprobe check` of N names through
//! Debian's dnsmasq with its default limits (150 forwarded queries at once,
//! REFUSED past that), forwarding to an upstream that answers every query
//! 400 ms late. Half the names do not exist (NXDOMAIN), half are sinkholed
//! (0.0.0.0); a verdict is true when it says exactly that. Run once with the
//! default bound on lookups in flight and once with it off, in one run.
//!
//! Run with `scripts/bench-dns.sh` (release build), or
//! `cargo bench -p pathprobe-tests --bench dns`. `PATHPROBE_BENCH_N` and
//! `PATHPROBE_BENCH_DELAY_MS` change the size.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::process::Command;
use std::time::{Duration, Instant};

use pathprobe_tests::lab::{DnsAnswer, dns_server_delayed};
use pathprobe_tests::peers::{dnsmasq_forwarder, require};
use pathprobe_tests::{binary, env_or, write_catalog};

/// Wall time and the number of true verdicts of one run.
fn run(port: u16, catalog: &std::path::Path, extra: &[&str]) -> (Duration, usize, usize) {
    let binary = binary();
    let started = Instant::now();
    let out = Command::new(binary)
        .args(["check", "--only-given", "--no-env", "--format", "json"])
        .arg("--dns-server")
        .arg(format!("127.0.0.1:{port}"))
        .args(["--phase-timeout", "5", "--deadline", "600"])
        .arg(catalog)
        .args(extra)
        .env("XDG_CONFIG_HOME", pathprobe_tests::NO_CONFIG_HOME)
        .output()
        .expect("run pathprobe");
    let wall = started.elapsed();
    if let Some(dir) = std::env::var_os("PATHPROBE_BENCH_REPORTS") {
        // Kept for a look at the evidence behind the figures.
        let name = if extra.is_empty() {
            "bounded.json"
        } else {
            "unbounded.json"
        };
        std::fs::write(std::path::Path::new(&dir).join(name), &out.stdout).expect("write report");
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let results = report["results"].as_array().expect("results");
    let true_verdicts = results
        .iter()
        .filter(|r| {
            let url = r["url"].as_str().unwrap_or_default();
            let evidence = r["attempts"][0]["evidence"].to_string();
            if url.contains(".sink.") {
                r["verdict"] == "dns_sinkhole" && evidence.contains("0.0.0.0")
            } else {
                r["verdict"] == "dns_failure" && evidence.contains("NXDOMAIN")
            }
        })
        .count();
    (wall, true_verdicts, results.len())
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Some(dnsmasq) = require("bench dns", &["/usr/sbin/dnsmasq"], "dnsmasq-base") else {
        return;
    };
    let n = env_or("PATHPROBE_BENCH_N", 1000) as usize;
    let delay = Duration::from_millis(env_or("PATHPROBE_BENCH_DELAY_MS", 400));
    let upstream = dns_server_delayed(
        HashMap::from([(
            "*.sink.bench.test".to_owned(),
            DnsAnswer::Address(Ipv4Addr::UNSPECIFIED),
        )]),
        delay,
    );
    let resolver = dnsmasq_forwarder(&dnsmasq, upstream);
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                format!("https://nx{i}.bench.test/")
            } else {
                format!("https://b{i}.sink.bench.test/")
            }
        })
        .collect();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let catalog = write_catalog(dir.path(), &refs);
    // Each name is asked as A and AAAA: 2n questions, 150 at a time at best.
    let capacity = delay.as_secs_f64() * ((2 * n) as f64 / 150.0).ceil();
    println!(
        "{n} names, upstream {} ms late, dnsmasq forwarding at most 150 queries at once",
        delay.as_millis()
    );
    println!(
        "ideal (every lookup at once): {:.2} s; dnsmasq's own limit: {capacity:.2} s",
        delay.as_secs_f64()
    );
    println!("| run | wall time | true verdicts |");
    println!("|---|---|---|");
    for (label, extra) in [
        ("default bound (32 lookups in flight, paced)", &[][..]),
        (
            "bound off (--dns-concurrency 0)",
            &["--dns-concurrency", "0"][..],
        ),
    ] {
        let (wall, right, total) = run(resolver.port, &catalog, extra);
        println!(
            "| {label} | {:.2} s | {right} of {total} |",
            wall.as_secs_f64()
        );
    }
}
