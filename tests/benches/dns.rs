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

/// What one run gave: wall time, true verdicts, results, and the longest
/// DNS phase and wait for a DNS slot (milliseconds).
struct Run {
    wall: Duration,
    right: usize,
    total: usize,
    longest_dns_ms: f64,
    longest_wait_ms: f64,
}

fn run(port: u16, catalog: &std::path::Path, extra: &[&str]) -> Run {
    let binary = binary();
    let started = Instant::now();
    let out = Command::new(binary)
        .args([
            "check",
            "--only-given",
            "--no-env",
            "--no-control",
            "--format",
            "json",
        ])
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
    let dns_phases = || {
        results
            .iter()
            .flat_map(|r| r["attempts"].as_array().into_iter().flatten())
            .flat_map(|a| a["phases"].as_array().into_iter().flatten())
            .filter(|p| p["phase"] == "dns")
    };
    let longest = |field: &str| {
        dns_phases()
            .map(|p| p[field].as_f64().unwrap_or(0.0))
            .fold(0.0, f64::max)
    };
    Run {
        wall,
        right: true_verdicts,
        total: results.len(),
        longest_dns_ms: longest("elapsed_ms"),
        longest_wait_ms: longest("queued_ms"),
    }
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
    println!("| run | wall time | true verdicts | longest DNS phase | longest wait for a slot |");
    println!("|---|---|---|---|---|");
    for (label, extra) in [
        ("default bound (32 lookups in flight, paced)", &[][..]),
        (
            "bound off (--dns-concurrency 0)",
            &["--dns-concurrency", "0"][..],
        ),
    ] {
        let r = run(resolver.port, &catalog, extra);
        println!(
            "| {label} | {:.2} s | {} of {} | {:.2} s | {:.1} s |",
            r.wall.as_secs_f64(),
            r.right,
            r.total,
            r.longest_dns_ms / 1000.0,
            r.longest_wait_ms / 1000.0
        );
    }
}
