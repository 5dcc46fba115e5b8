//! A busy resolver must not turn into `dns_failure`: Debian's dnsmasq with
//! its default limits (150 forwarded queries at once, REFUSED past that) in
//! front of an upstream that answers every query 400 ms late. Every name is
//! either missing (NXDOMAIN) or sinkholed (0.0.0.0), and each verdict must
//! say exactly that, however many names the run holds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::time::Duration;

use pathprobe_tests::lab::{DnsAnswer, dns_server_delayed};
use pathprobe_tests::peers::{dnsmasq_forwarder, require};
use pathprobe_tests::{check_json_via, write_catalog};

const NAMES: usize = 150;

fn catalog(dir: &std::path::Path) -> std::path::PathBuf {
    let urls: Vec<String> = (0..NAMES)
        .flat_map(|i| {
            [
                format!("https://nx{i}.busy.test/"),
                format!("https://blocked{i}.sink.busy.test/"),
            ]
        })
        .collect();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    write_catalog(dir, &refs)
}

fn check(port: u16, catalog: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let path = catalog.to_string_lossy().into_owned();
    let mut args = vec!["--deadline", "120", path.as_str()];
    args.extend_from_slice(extra);
    let (report, _) = check_json_via(&format!("127.0.0.1:{port}"), &args, "5");
    eprintln!("run took {} ms", report["summary"]["duration_ms"]);
    report
}

fn dns_phase(result: &serde_json::Value) -> &serde_json::Value {
    result["attempts"][0]["phases"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["phase"] == "dns"))
        .unwrap_or_else(|| panic!("no DNS phase in {result}"))
}

#[test]
fn a_busy_dnsmasq_gives_true_verdicts_for_every_name() {
    let Some(dnsmasq) = require(
        "a_busy_dnsmasq_gives_true_verdicts_for_every_name",
        &["/usr/sbin/dnsmasq"],
        "dnsmasq-base",
    ) else {
        return;
    };
    let upstream = dns_server_delayed(
        HashMap::from([(
            "*.sink.busy.test".to_owned(),
            DnsAnswer::Address(Ipv4Addr::UNSPECIFIED),
        )]),
        Duration::from_millis(400),
    );
    let resolver = dnsmasq_forwarder(&dnsmasq, upstream);
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog(dir.path());

    let report = check(resolver.port, &catalog, &[]);
    let results = report["results"].as_array().expect("results");
    assert_eq!(results.len(), 2 * NAMES, "{report}");
    let mut queued = 0;
    for r in results {
        let url = r["url"].as_str().unwrap();
        let evidence = r["attempts"][0]["evidence"].to_string();
        if url.contains(".sink.") {
            assert_eq!(r["verdict"], "dns_sinkhole", "{url}: {r}");
            assert!(evidence.contains("0.0.0.0"), "{url}: {evidence}");
        } else {
            assert_eq!(r["verdict"], "dns_failure", "{url}: {r}");
            assert!(evidence.contains("NXDOMAIN"), "{url}: {evidence}");
        }
        let dns = dns_phase(r);
        // The DNS clock starts when the lookup has a slot: never the queue.
        assert!(dns["elapsed_ms"].as_f64().unwrap() < 5000.0, "{url}: {dns}");
        // Written for people, not Rust's debug form.
        let detail = dns["detail"].as_str().unwrap();
        assert!(!detail.contains("Dns") && !detail.contains('{'), "{detail}");
        if dns["queued_ms"].as_f64().unwrap_or(0.0) > 0.0 {
            queued += 1;
        }
    }
    // 300 lookups, 32 at a time: most waited for a slot, and it shows.
    assert!(queued > NAMES, "only {queued} lookups show a queue wait");

    // Two findings, not 300 rows: the missing names (while the resolver
    // answered others, with block addresses), then the sinkholed ones.
    assert_eq!(
        pathprobe_tests::finding_kinds(&report),
        [
            ("names_missing".to_owned(), NAMES),
            ("names_sinkholed".to_owned(), NAMES)
        ],
        "{:#}",
        report["findings"]
    );
    assert_eq!(
        report["findings"][0]["summary"],
        format!("{NAMES} names do not exist for this resolver, while other names resolve.")
    );

    // Through the same dnsmasq, a run whose every name is missing is one
    // finding about DNS itself, not a list of names.
    let few = write_catalog(
        dir.path(),
        &[
            "https://nx1.busy.test/",
            "https://nx2.busy.test/",
            "https://nx3.busy.test/",
        ],
    );
    let report = check(resolver.port, &few, &[]);
    assert_eq!(report["findings"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["findings"][0]["kind"], "dns_unavailable");
    // Round 23: it answered (NXDOMAIN), and is not said to have answered
    // none. A filter answering so is changed by allow rules: they stay.
    assert_eq!(
        report["findings"][0]["summary"],
        "The resolver resolved none of the 3 names asked (it answers, but gives no address): it does not resolve public names here (an internal-only DNS server), or a filter answers for all of them."
    );
}

#[test]
fn without_the_bound_dnsmasq_refuses_and_the_retries_say_so() {
    let Some(dnsmasq) = require(
        "without_the_bound_dnsmasq_refuses_and_the_retries_say_so",
        &["/usr/sbin/dnsmasq"],
        "dnsmasq-base",
    ) else {
        return;
    };
    let upstream = dns_server_delayed(HashMap::new(), Duration::from_millis(400));
    let resolver = dnsmasq_forwarder(&dnsmasq, upstream);
    let dir = tempfile::tempdir().unwrap();
    let catalog = catalog(dir.path());
    // Every lookup at once: 600 questions against dnsmasq's 150.
    let report = check(resolver.port, &catalog, &["--dns-concurrency", "0"]);
    let results = report["results"].as_array().expect("results");
    assert_eq!(results.len(), 2 * NAMES);
    let refused: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["attempts"][0].to_string().contains("REFUSED"))
        .collect();
    assert!(
        !refused.is_empty(),
        "dnsmasq refused nothing: the test no longer reproduces the overload"
    );
    for r in &refused {
        // Whatever the verdict, the evidence counts the tries it took, or
        // (round 22) says the name was asked again alone after the run.
        let evidence = r["attempts"][0]["evidence"].to_string();
        let detail = dns_phase(r)["detail"].to_string();
        assert!(
            evidence.contains("tries")
                || detail.contains("tries")
                || evidence.contains("asked again alone after the run"),
            "{r}"
        );
    }
}

/// No DNS at all, through a real dnsmasq whose upstream knows no name:
/// the control probes ask too, and the connectivity test's name failing
/// the same way is in the finding's evidence. (The control URL's name does
/// not resolve either: nothing is asked of the internet.)
#[test]
fn no_dns_at_all_says_the_control_name_failed_too() {
    let Some(dnsmasq) = require(
        "no_dns_at_all_says_the_control_name_failed_too",
        &["/usr/sbin/dnsmasq"],
        "dnsmasq-base",
    ) else {
        return;
    };
    let upstream = dns_server_delayed(HashMap::new(), Duration::ZERO);
    let resolver = dnsmasq_forwarder(&dnsmasq, upstream);
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(
        dir.path(),
        &["https://nx1.busy.test/", "https://nx2.busy.test/"],
    );
    let dns = format!("127.0.0.1:{}", resolver.port);
    let (report, out) = pathprobe_tests::Pathprobe::new([
        "check",
        "--only-given",
        "--no-env",
        "--direct",
        "--format",
        "json",
        "--dns-server",
        &dns,
        "--phase-timeout",
        "5",
        catalog.to_str().unwrap(),
    ])
    .env("PATHPROBE_NO_CONTROL", "0")
    .json();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["control"]["dns"]["outcome"], "failed", "{report:#}");
    assert_eq!(report["control"]["http"]["outcome"], "failed", "{report:#}");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["kind"], "dns_unavailable");
    assert!(
        findings[0]["evidence"]
            .to_string()
            .contains("control: dns.msftncsi.com got no answer either (NXDOMAIN"),
        "{:#}",
        findings[0]
    );
}

/// `check --direct` of `urls` with `resolver` as the DNS server, no
/// control probes, a 2 s phase limit.
fn check_direct_through(
    resolver: std::net::SocketAddr,
    dir: &std::path::Path,
    urls: &[String],
) -> (serde_json::Value, std::process::Output) {
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let catalog = write_catalog(dir, &refs);
    let path = catalog.to_string_lossy().into_owned();
    check_json_via(
        &resolver.to_string(),
        &[
            "--deadline",
            "120",
            "--direct",
            "--no-control",
            path.as_str(),
        ],
        "2",
    )
}

/// Round 22. A resolver that answers a few queries a second and drops the
/// rest (a rate limit on its clients): the names the run's burst lost are
/// asked again one at a time after it, and answered; no `dns_failure` is
/// left that the network did not cause, and the run says why it asked again.
#[test]
fn names_a_rate_limited_resolver_dropped_are_asked_again_alone() {
    let resolver = pathprobe_tests::lab::dns_server_limited(
        HashMap::from([(
            "*.limited.test".to_owned(),
            DnsAnswer::Address(Ipv4Addr::UNSPECIFIED),
        )]),
        4,
    );
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..30)
        .map(|i| format!("https://h{i}.limited.test/"))
        .collect();
    let (report, out) = check_direct_through(resolver, dir.path(), &urls);
    let verdicts = pathprobe_tests::verdicts_of(&report);
    assert!(
        verdicts.iter().all(|v| v == "dns_sinkhole"),
        "{verdicts:?}\n{}\n{:#}",
        pathprobe_tests::stderr(&out),
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["verdict"] == "dns_failure")
            .cloned()
            .unwrap_or_default()
    );
    let asked_again = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r.to_string()
                .contains("asked again alone after the run, it was answered")
        })
        .count();
    assert!(asked_again > 0, "the burst lost no name: {report:#}");
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("were answered when asked again one at a time after it"),
        "{warnings}"
    );

    // Round 23. Names the resolver never answers, first in the list, do not
    // keep the others from being asked again; a name that does not exist
    // is said so when asked alone (it was "no usable answer either").
    let resolver = pathprobe_tests::lab::dns_server_limited(
        HashMap::from([
            (
                "*.limited.test".to_owned(),
                DnsAnswer::Address(Ipv4Addr::UNSPECIFIED),
            ),
            (
                "*.never.test".to_owned(),
                DnsAnswer::Late(60_000, Ipv4Addr::UNSPECIFIED),
            ),
        ]),
        4,
    );
    let mut urls: Vec<String> = (0..3)
        .map(|i| format!("https://d{i}.never.test/"))
        .collect();
    urls.extend((0..20).map(|i| format!("https://h{i}.limited.test/")));
    urls.extend((0..2).map(|i| format!("https://nx{i}.other.test/")));
    let (report, out) = check_direct_through(resolver, dir.path(), &urls);
    for r in report["results"].as_array().unwrap() {
        let url = r["url"].as_str().unwrap();
        let shown = r.to_string();
        if url.contains(".never.") {
            assert_eq!(r["verdict"], "dns_failure", "{url}: {r:#}");
        } else if url.contains(".other.") {
            assert_eq!(r["verdict"], "dns_failure", "{url}: {r:#}");
            assert!(
                shown.contains("NXDOMAIN"),
                "{url}: {r:#}\n{}",
                pathprobe_tests::stderr(&out)
            );
        } else {
            assert_eq!(r["verdict"], "dns_sinkhole", "{url}: {r:#}");
        }
    }
}
