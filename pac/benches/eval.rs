//! PAC evaluation speed, side by side with pacparser on the same script and URLs.
//!
//! The script is an enterprise-style PAC generated here: several hundred
//! `shExpMatch` / `dnsDomainIs` rules, a block of `isInNet` checks for hosts
//! that are addresses, and a default. One compiled script answers every URL
//! (as a long-running client does); loading is measured separately.
//!
//! Run with `scripts/bench-pac.sh` (it installs pacparser), or
//! `cargo bench -p pathprobe-pac --bench eval`. No DNS query is made by either
//! side: the `isInNet` rules only see address literals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use pathprobe_pac::{FixedResolver, PacEngine, PacOptions};

const DOMAIN_RULES: usize = 420;
const NET_RULES: usize = 40;
const URLS: usize = 2000;
const ROUNDS: usize = 5;
const LOADS: usize = 20;

/// The benchmark PAC: rules in the order real files have them (cheap string
/// tests first, address checks after, default last).
fn enterprise_pac() -> String {
    let mut pac = String::from(
        "// Generated enterprise-style PAC for the pathprobe benchmark.\n\
         function FindProxyForURL(url, host) {\n\
         \x20 if (isPlainHostName(host) || dnsDomainIs(host, \".corp.example\")) return \"DIRECT\";\n",
    );
    for i in 0..DOMAIN_RULES {
        let rule = match i % 3 {
            0 => format!(
                "  if (shExpMatch(host, \"*.partner{i}.example\")) return \"PROXY p{}.corp.example:8080\";\n",
                i % 7
            ),
            1 => format!(
                "  if (dnsDomainIs(host, \".saas{i}.example\")) return \"PROXY p{}.corp.example:8080; DIRECT\";\n",
                i % 5
            ),
            _ => format!(
                "  if (shExpMatch(url, \"http://*.cdn{i}.example/*\")) return \"DIRECT\";\n"
            ),
        };
        pac.push_str(&rule);
    }
    pac.push_str("  if (/^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(host)) {\n");
    for i in 0..NET_RULES {
        pac.push_str(&format!(
            "    if (isInNet(host, \"10.{i}.0.0\", \"255.255.0.0\")) return \"DIRECT\";\n"
        ));
    }
    pac.push_str("  }\n  return \"PROXY proxy.corp.example:3128; DIRECT\";\n}\n");
    pac
}

/// URLs spread over the rules: early, middle and late matches, addresses,
/// and names that fall through to the default (the costly case).
fn urls() -> Vec<(String, String)> {
    (0..URLS)
        .map(|i| {
            let host = match i % 5 {
                0 => format!("www.partner{}.example", (i * 7) % DOMAIN_RULES / 3 * 3),
                1 => format!("app.saas{}.example", ((i * 11) % DOMAIN_RULES) / 3 * 3 + 1),
                2 => format!("10.{}.1.{}", i % (NET_RULES * 2), i % 250),
                3 => format!("host{i}.corp.example"),
                _ => format!("telemetry{i}.vendor.example"),
            };
            (format!("http://{host}/path/{i}"), host)
        })
        .collect()
}

const PACPARSER: &str = r#"
import json, statistics, sys, time
import pacparser
pac = open(sys.argv[1]).read()
cases = json.load(open(sys.argv[2]))
rounds, loads = int(sys.argv[3]), int(sys.argv[4])
pacparser.enable_microsoft_extensions()
load_times = []
for _ in range(loads):
    t = time.perf_counter()
    pacparser.init()
    pacparser.parse_pac_string(pac)
    load_times.append(time.perf_counter() - t)
    pacparser.cleanup()
pacparser.init()
pacparser.parse_pac_string(pac)
pacparser.setmyip("10.9.8.7")
rates, answers = [], []
for _ in range(rounds):
    t = time.perf_counter()
    answers = [pacparser.find_proxy(u, h) for u, h in cases]
    rates.append(len(cases) / (time.perf_counter() - t))
print(json.dumps({"rate": statistics.median(rates), "load_ms": statistics.median(load_times) * 1000,
                  "answers": answers, "version": pacparser.version()}))
"#;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // `cargo test --benches` runs this binary without --bench: nothing to do.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let pac = enterprise_pac();
    let cases = urls();
    let resolver = Arc::new(FixedResolver::new());
    let options = PacOptions {
        my_ip: Some(vec!["10.9.8.7".parse().unwrap()]),
        ..PacOptions::default()
    };

    let mut load_ms = Vec::new();
    for _ in 0..LOADS {
        let t = Instant::now();
        let engine = PacEngine::new("bench.pac", &pac, options.clone(), resolver.clone()).unwrap();
        load_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(engine);
    }
    let mut engine = PacEngine::new("bench.pac", &pac, options, resolver).unwrap();
    let mut rates = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        ours = cases
            .iter()
            .map(|(u, h)| engine.evaluate(u.clone(), h.clone()).unwrap().raw)
            .collect::<Vec<_>>();
        rates.push(cases.len() as f64 / t.elapsed().as_secs_f64().max(f64::EPSILON));
    }
    let lines = pac.lines().count();
    println!(
        "PAC: {lines} lines, {} bytes; {} URLs per round, median of {ROUNDS} rounds",
        pac.len(),
        cases.len()
    );
    println!(
        "pathprobe    {:>9.0} evaluations/s   load {:>7.2} ms",
        median(rates),
        median(load_ms)
    );

    let dir = std::env::temp_dir().join(format!("pathprobe-bench-pac-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pac_path = dir.join("bench.pac");
    let cases_path = dir.join("cases.json");
    std::fs::write(&pac_path, &pac).unwrap();
    std::fs::write(&cases_path, serde_json::to_string(&cases).unwrap()).unwrap();
    let out = Command::new("python3")
        .args(["-c", PACPARSER])
        .arg(&pac_path)
        .arg(&cases_path)
        .arg(ROUNDS.to_string())
        .arg(LOADS.to_string())
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Ok(o) if o.status.success() => {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            println!(
                "pacparser {} {:>9.0} evaluations/s   load {:>7.2} ms",
                v["version"].as_str().unwrap_or("?"),
                v["rate"].as_f64().unwrap(),
                v["load_ms"].as_f64().unwrap()
            );
            let theirs: Vec<String> = serde_json::from_value(v["answers"].clone()).unwrap();
            let same = theirs.iter().zip(&ours).filter(|(a, b)| a == b).count();
            println!("answers identical for {same} of {} URLs", cases.len());
            assert_eq!(
                same,
                cases.len(),
                "the two engines disagree on the benchmark PAC"
            );
        }
        Ok(o) => println!(
            "pacparser: not measured ({})",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("failed")
        ),
        Err(e) => println!("pacparser: not measured (python3: {e})"),
    }
}
