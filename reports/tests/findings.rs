//! Findings group a report's failures by the cause they share and lead with
//! the one that matters most; each group below is a situation users meet.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_pac::{ProxyKind, Route};
use pathprobe_reports::findings::{Confidence, FindingKind, findings};
use pathprobe_reports::{
    Attempt, CheckReport, Phase, PhaseRecord, ProbeResult, TlsInfo, ToolInfo, Verdict, Verification,
};

fn phase(phase: Phase, ok: bool, detail: &str) -> PhaseRecord {
    PhaseRecord {
        phase,
        elapsed_ms: 1.0,
        queued_ms: 0.0,
        ok,
        detail: detail.into(),
    }
}

fn proxy(host: &str) -> Route {
    Route::Proxy {
        kind: ProxyKind::Http,
        host: host.into(),
        port: 3128,
    }
}

/// An attempt through `route` ending in `verdict`, with `evidence` lines and
/// a DNS phase that resolved (`dns_ok`) or not.
fn attempt(route: Route, verdict: Verdict, evidence: &[&str], dns_ok: bool) -> Attempt {
    Attempt {
        route,
        phases: vec![phase(Phase::Dns, dns_ok, "192.0.2.1")],
        verdict,
        evidence: evidence.iter().map(|e| (*e).to_owned()).collect(),
        hint: format!("hint for {}", verdict.name()),
        tls: None,
        status: None,
    }
}

fn result(url: &str, category: &str, required: bool, a: Attempt) -> ProbeResult {
    ProbeResult {
        url: url.into(),
        category: Some(category.into()),
        required,
        route_source: "environment".into(),
        verdict: a.verdict,
        hint: a.hint.clone(),
        attempts: vec![a],
        change: None,
    }
}

fn ok(url: &str, category: &str) -> ProbeResult {
    result(
        url,
        category,
        true,
        attempt(Route::Direct, Verdict::Ok, &[], true),
    )
}

fn report(results: Vec<ProbeResult>) -> CheckReport {
    let mut r = CheckReport {
        schema_version: pathprobe_reports::CHECK_SCHEMA_VERSION,
        tool: ToolInfo {
            name: "pathprobe".into(),
            version: "0.1.0".into(),
        },
        catalog: "fixture".into(),
        filters: Vec::new(),
        routing: "test".into(),
        started_at: "2026-11-29T10:00:00Z".into(),
        warnings: Vec::new(),
        baseline: None,
        findings: Vec::new(),
        results,
        summary: Default::default(),
    };
    r.summarise(10.0, false);
    r
}

#[test]
fn one_authenticating_proxy_is_one_finding_ahead_of_a_missing_name() {
    let auth = |url: &str, required: bool| {
        result(
            url,
            "Cloud",
            required,
            attempt(
                proxy("proxy.corp.test"),
                Verdict::ProxyAuthRequired,
                &["offered schemes: Negotiate, NTLM", "realm: CORP"],
                true,
            ),
        )
    };
    let r = report(vec![
        auth("https://a.example.test/", true),
        auth("https://b.example.test/", true),
        auth("https://c.example.test/", false),
        ok("https://d.example.test/", "Cloud"),
        result(
            "https://gone.example.test/",
            "Cloud",
            false,
            attempt(
                Route::Direct,
                Verdict::DnsFailure,
                &["name: gone.example.test", "answer: NXDOMAIN (no such name)"],
                false,
            ),
        ),
    ]);
    let f = findings(&r);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::ProxyAuthentication);
    assert_eq!(f[0].component, "PROXY proxy.corp.test:3128");
    assert_eq!(f[0].endpoints.len(), 3);
    assert_eq!(f[0].required, 2);
    assert!(
        f[0].evidence
            .contains(&"offered schemes: Negotiate, NTLM".to_owned())
    );
    assert!(f[0].evidence.contains(&"realm: CORP".to_owned()));
    assert_eq!(f[0].confidence, Confidence::Seen);
    assert!(
        f[0].summary.contains("proxy.corp.test:3128"),
        "{}",
        f[0].summary
    );
    assert_eq!(f[0].fix.as_deref(), Some("pathprobe fix REPORT.json"));
    // A name missing while others resolve is not "DNS does not work".
    assert_eq!(f[1].kind, FindingKind::NamesMissing);
    assert_eq!(f[1].endpoints, ["https://gone.example.test/"]);
    assert!(
        f[1].summary.contains("gone.example.test"),
        "{}",
        f[1].summary
    );
}

#[test]
fn a_resolver_failing_every_name_is_not_a_list_of_missing_names() {
    let nx = |url: &str| {
        result(
            url,
            "Cloud",
            true,
            attempt(
                Route::Direct,
                Verdict::DnsFailure,
                &["answer: none within 5.0 s (timeout)"],
                false,
            ),
        )
    };
    let r = report(vec![
        nx("https://a.example.test/"),
        nx("https://b.example.test/"),
        nx("https://c.example.test/"),
    ]);
    let f = findings(&r);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::DnsUnavailable);
    assert_eq!(f[0].required, 3);
    assert!(
        f[0].evidence.iter().any(|e| e.contains("timeout")),
        "{:?}",
        f[0].evidence
    );
}

#[test]
fn interception_is_grouped_by_product_and_a_blocked_category_is_inferred() {
    let inspected = |url: &str| {
        result(
            url,
            "Telemetry",
            true,
            attempt(
                proxy("p.corp.test"),
                Verdict::TlsIntercepted,
                &[
                    "issuer: CN=Zscaler Intermediate Root CA",
                    "product: Zscaler",
                ],
                true,
            ),
        )
    };
    let refused = |url: &str| {
        result(
            url,
            "Updates",
            false,
            attempt(
                Route::Direct,
                Verdict::TcpRefused,
                &["address: 192.0.2.9:443"],
                true,
            ),
        )
    };
    let r = report(vec![
        inspected("https://t1.example.test/"),
        inspected("https://t2.example.test/"),
        refused("https://u1.example.test/"),
        refused("https://u2.example.test/"),
        ok("https://c1.example.test/", "Core"),
    ]);
    let f = findings(&r);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::TlsInspection);
    assert_eq!(f[0].component, "Zscaler");
    assert_eq!(f[1].kind, FindingKind::CategoryBlocked);
    assert_eq!(f[1].component, "Updates");
    assert_eq!(f[1].confidence, Confidence::Inferred);
    assert!(
        f[1].evidence.iter().any(|e| e == "verdicts: tcp_refused 2"),
        "{:?}",
        f[1].evidence
    );
}

#[test]
fn expired_chains_on_unrelated_hosts_point_at_the_clock() {
    let expired = |url: &str| {
        let mut a = attempt(
            Route::Direct,
            Verdict::TlsUntrusted,
            &["verifier: expired"],
            true,
        );
        a.tls = Some(TlsInfo {
            version: "TLS 1.3".into(),
            alpn: None,
            chain: Vec::new(),
            public_roots: Verification::Failed {
                error: "expired on 2026-01-01 00:00 UTC".into(),
            },
            given_anchors: Verification::NotChecked { why: "none".into() },
            os_store: Verification::Failed {
                error: "expired on 2026-01-01 00:00 UTC".into(),
            },
        });
        result(url, "Cloud", true, a)
    };
    let r = report(vec![
        expired("https://a.example.test/"),
        expired("https://b.other.test/"),
        ok("https://c.example.test/", "Core"),
    ]);
    let f = findings(&r);
    assert_eq!(f[0].kind, FindingKind::ClockWrong, "{f:#?}");
    assert_eq!(f[0].confidence, Confidence::Inferred);
    assert_eq!(f[0].endpoints.len(), 2);
}

#[test]
fn required_endpoints_come_first_and_a_lone_failure_is_its_own_finding() {
    let r = report(vec![
        result(
            "https://opt1.example.test/",
            "A",
            false,
            attempt(
                proxy("p1.test"),
                Verdict::ProxyUnreachable,
                &["problem: refused"],
                true,
            ),
        ),
        result(
            "https://opt2.example.test/",
            "B",
            false,
            attempt(
                proxy("p1.test"),
                Verdict::ProxyUnreachable,
                &["problem: refused"],
                true,
            ),
        ),
        result(
            "https://req.example.test/",
            "C",
            true,
            attempt(
                Route::Direct,
                Verdict::TcpTimeout,
                &["addresses: 192.0.2.1:443"],
                true,
            ),
        ),
        ok("https://fine.example.test/", "D"),
    ]);
    let f = findings(&r);
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::EndpointFailing);
    assert_eq!(f[0].required, 1);
    assert_eq!(f[0].component, "req.example.test");
    assert_eq!(f[1].kind, FindingKind::ProxyUnreachable);
    assert_eq!(f[1].component, "PROXY p1.test:3128");
    // Every failing endpoint is covered exactly once.
    let covered: usize = f.iter().map(|x| x.endpoints.len()).sum();
    assert_eq!(covered, 3);
}

#[test]
fn a_run_where_everything_works_has_no_findings() {
    let r = report(vec![ok("https://a.example.test/", "A")]);
    assert!(findings(&r).is_empty());
}
