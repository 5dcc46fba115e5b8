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
    AddressOutcome, AddressTry, Attempt, CertificateInfo, CheckReport, ControlOutcome,
    ControlProbe, ControlReport, Family, Phase, PhaseRecord, ProbeResult, TlsInfo, ToolInfo,
    Verdict, Verification,
};

fn phase(phase: Phase, ok: bool, detail: &str) -> PhaseRecord {
    PhaseRecord {
        phase,
        elapsed_ms: 1.0,
        queued_ms: 0.0,
        ok,
        detail: detail.into(),
        addresses: Vec::new(),
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
        next_route: None,
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
        listed_in: Vec::new(),
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
        control: None,
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
fn thousands_failing_alike_are_one_finding_a_few_are_their_own() {
    let refused = |i: usize| {
        result(
            &format!("https://h{i}.example.test/"),
            &format!("Category {i}"),
            true,
            attempt(
                Route::Direct,
                Verdict::TcpRefused,
                &[&format!("address: 192.0.2.{}:443", i % 250)],
                true,
            ),
        )
    };
    let many: Vec<ProbeResult> = (0..500).map(refused).collect();
    let f = findings(&report(many));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].endpoints.len(), 500);
    assert!(
        f[0].summary
            .starts_with("500 endpoints fail: tcp_refused through DIRECT"),
        "{}",
        f[0].summary
    );
    let few: Vec<ProbeResult> = (0..5).map(refused).collect();
    assert_eq!(findings(&report(few)).len(), 5);
}

#[test]
fn a_vendor_rule_is_named_only_when_every_endpoint_is_under_it() {
    let rule = "service rule: Defender for Endpoint does not support authenticated proxies";
    let auth = |url: &str, evidence: &[&str]| {
        result(
            url,
            "Cloud",
            true,
            attempt(
                proxy("proxy.corp.test"),
                Verdict::ProxyAuthRequired,
                evidence,
                true,
            ),
        )
    };
    let summary = |results: Vec<ProbeResult>| findings(&report(results))[0].summary.clone();
    // The vendor's own list: its rule is said.
    let s = summary(vec![
        auth("https://a.example.test/", &["offered schemes: Basic", rule]),
        auth("https://b.example.test/", &["offered schemes: Basic", rule]),
    ]);
    assert!(
        s.ends_with(
            "for 2 endpoints; Defender for Endpoint does not support authenticated proxies."
        ),
        "{s}"
    );
    // Another catalog: no product is named.
    let s = summary(vec![auth(
        "https://a.example.test/",
        &["offered schemes: Basic"],
    )]);
    assert!(!s.contains("Defender"), "{s}");
    assert!(s.ends_with("demands authentication for 1 endpoint."), "{s}");
    // Both in one group: the rule is not the whole group's.
    let s = summary(vec![
        auth("https://a.example.test/", &["offered schemes: Basic", rule]),
        auth(
            "https://internal.example.test/",
            &["offered schemes: Basic"],
        ),
    ]);
    assert!(!s.contains("Defender"), "{s}");
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
    let expired = |url: &str| expired_with(url, &format!("sha-of-{url}"));
    let r = report(vec![
        expired("https://a.example.test/"),
        expired("https://b.other.test/"),
        ok("https://c.example.test/", "Core"),
    ]);
    let f = findings(&r);
    assert_eq!(f[0].kind, FindingKind::ClockWrong, "{f:#?}");
    assert_eq!(f[0].confidence, Confidence::Inferred);
    assert_eq!(f[0].endpoints.len(), 2);

    // One certificate served under two names is one expired host.
    let r = report(vec![
        expired_with("https://e1.example.test/", "same"),
        expired_with("https://e2.example.test/", "same"),
    ]);
    assert!(
        findings(&r)
            .iter()
            .all(|f| f.kind != FindingKind::ClockWrong)
    );
    // A chain that verified in the same run says the clock is right.
    let mut fine = attempt(Route::Direct, Verdict::Ok, &[], true);
    fine.tls = Some(tls(Verification::Passed));
    let r = report(vec![
        expired("https://a.example.test/"),
        expired("https://b.other.test/"),
        result("https://c.example.test/", "Core", true, fine),
    ]);
    assert!(
        findings(&r)
            .iter()
            .all(|f| f.kind != FindingKind::ClockWrong)
    );
    // Validity periods no single clock falls in (one ended in 2021, the
    // other begins in 2024): certificates expired on their own.
    let mut later = expired("https://b.other.test/");
    if let Some(c) = later.attempts[0]
        .tls
        .as_mut()
        .and_then(|t| t.chain.first_mut())
    {
        c.not_before = "2024-01-01T00:00:00Z".into();
        c.not_after = "2024-06-01T00:00:00Z".into();
        c.not_after_unix = 1_717_200_000;
    }
    let r = report(vec![expired("https://a.example.test/"), later]);
    let f = findings(&r);
    assert!(
        f.iter().all(|f| f.kind != FindingKind::ClockWrong),
        "{f:#?}"
    );
}

fn tls(verdict: Verification) -> TlsInfo {
    TlsInfo {
        version: "TLS 1.3".into(),
        alpn: None,
        chain: Vec::new(),
        public_roots: verdict.clone(),
        given_anchors: Verification::NotChecked { why: "none".into() },
        os_store: verdict,
    }
}

/// A result whose chain (leaf `sha`) both stores call expired.
fn expired_with(url: &str, sha: &str) -> ProbeResult {
    let mut a = attempt(
        Route::Direct,
        Verdict::TlsUntrusted,
        &["verifier: expired"],
        true,
    );
    let mut info = tls(Verification::Failed {
        error: "expired on 2021-01-01 00:00 UTC".into(),
    });
    info.chain = vec![CertificateInfo {
        subject: format!("CN={url}"),
        issuer: "CN=Test CA".into(),
        dns_names: Vec::new(),
        not_before: "2020-01-01T00:00:00Z".into(),
        not_after: "2021-01-01T00:00:00Z".into(),
        not_after_unix: 1_609_459_200,
        sha256: sha.into(),
        pem: String::new(),
    }];
    a.tls = Some(info);
    result(url, "Cloud", true, a)
}

#[test]
fn only_the_resolvers_own_answers_count_for_dns_findings() {
    let nx = |url: &str| {
        result(
            url,
            "Cloud",
            true,
            attempt(
                Route::Direct,
                Verdict::DnsFailure,
                &["answer: NXDOMAIN (no such name)"],
                false,
            ),
        )
    };
    // A sinkholed name was answered: not "the resolver answered none".
    let sinkholed = result(
        "https://s.example.test/",
        "Cloud",
        true,
        attempt(
            Route::Direct,
            Verdict::DnsSinkhole,
            &["answers: 127.0.0.1"],
            false,
        ),
    );
    let f = findings(&report(vec![
        nx("https://n1.example.test/"),
        nx("https://n2.example.test/"),
        sinkholed,
    ]));
    let kinds: Vec<FindingKind> = f.iter().map(|x| x.kind).collect();
    assert!(kinds.contains(&FindingKind::NamesMissing), "{f:#?}");
    assert!(kinds.contains(&FindingKind::NamesSinkholed), "{f:#?}");
    assert!(!kinds.contains(&FindingKind::DnsUnavailable), "{f:#?}");
    // One missing name and nothing else asked: no "other names resolve".
    let mut pinned = attempt(Route::Direct, Verdict::Ok, &[], true);
    pinned.phases = vec![phase(
        Phase::Dns,
        true,
        "a.example.test → 127.0.0.1 (--resolve)",
    )];
    let f = findings(&report(vec![
        nx("https://n1.example.test/"),
        result("https://a.example.test/", "Core", true, pinned),
    ]));
    assert_eq!(f[0].kind, FindingKind::NamesMissing);
    assert!(!f[0].summary.contains("other names"), "{}", f[0].summary);
    // Seven rows of one name are one name, not "7 tried".
    let f = findings(&report(
        (0..7).map(|_| nx("https://n1.example.test/")).collect(),
    ));
    assert_eq!(f[0].kind, FindingKind::NamesMissing, "{f:#?}");
}

#[test]
fn a_failing_row_without_attempts_is_still_covered() {
    let mut bare = ok("https://x.example.test/", "Cloud");
    bare.verdict = Verdict::ProxyAuthRequired;
    bare.attempts.clear();
    let f = findings(&report(vec![bare]));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].endpoints, ["https://x.example.test/"]);
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

/// A direct attempt whose connect phase tried `tries` (address, outcome).
fn connected(url: &str, verdict: Verdict, tries: &[(&str, AddressOutcome)]) -> ProbeResult {
    let mut a = attempt(Route::Direct, verdict, &[], true);
    let mut connect = phase(Phase::Connect, verdict.is_ok(), "connect");
    connect.addresses = tries
        .iter()
        .map(|(address, outcome)| {
            let ip: std::net::SocketAddr = address.parse().unwrap();
            AddressTry {
                address: (*address).into(),
                family: Family::of(ip.ip()),
                outcome: *outcome,
            }
        })
        .collect();
    a.phases.push(connect);
    result(url, "Cloud", true, a)
}

/// An endpoint reached over IPv4 at once.
fn reached_over_ipv4() -> ProbeResult {
    connected(
        "https://v4.example.test/",
        Verdict::Ok,
        &[("192.0.2.1:443", AddressOutcome::Connected)],
    )
}

/// An endpoint whose one address, IPv6, never answered.
fn ipv6_only_silent() -> ProbeResult {
    connected(
        "https://six-a.example.test/",
        Verdict::TcpTimeout,
        &[("[2001:db8::1]:443", AddressOutcome::Silent)],
    )
}

#[test]
fn ipv6_reaching_no_host_while_ipv4_works_is_one_finding() {
    use AddressOutcome::{Connected, Silent, Unreachable};
    let r = report(vec![
        reached_over_ipv4(),
        ipv6_only_silent(),
        connected(
            "https://six-b.example.test/",
            Verdict::TcpTimeout,
            &[
                ("[2001:db8::2]:443", Silent),
                ("[2001:db8::3]:443", Unreachable),
            ],
        ),
        // Dual stack: reached over IPv4 after its IPv6 address said nothing.
        connected(
            "https://dual.example.test/",
            Verdict::Ok,
            &[("[2001:db8::4]:443", Silent), ("192.0.2.4:443", Connected)],
        ),
    ]);
    let f = findings(&r);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::AddressFamilyBroken);
    assert_eq!(f[0].component, "IPv6");
    assert_eq!(f[0].confidence, Confidence::Inferred);
    assert_eq!(
        f[0].endpoints,
        ["https://six-a.example.test/", "https://six-b.example.test/"]
    );
    assert!(
        f[0].summary.starts_with("IPv6 reaches no host from this machine while IPv4 works: 2 endpoints with only IPv6 addresses fail."),
        "{}",
        f[0].summary
    );
    assert!(
        f[0].evidence.contains(
            &"IPv6 addresses tried: 4, none reached (no answer 3, no route 1)".to_owned()
        ),
        "{:?}",
        f[0].evidence
    );
    assert!(
        f[0].evidence.iter().any(|e| e.starts_with(
            "reached over IPv4 after IPv6 failed: 1 endpoint (for example: dual.example.test)"
        )),
        "{:?}",
        f[0].evidence
    );
}

#[test]
fn a_machine_without_ipv6_is_no_finding_unless_something_fails_for_it() {
    use AddressOutcome::{Connected, Silent, Unreachable};
    // No IPv6 route: the OS says so at once and IPv4 is used; nothing waits.
    let quiet = report(vec![
        connected(
            "https://a.example.test/",
            Verdict::Ok,
            &[
                ("[2001:db8::1]:443", Unreachable),
                ("192.0.2.1:443", Connected),
            ],
        ),
        connected(
            "https://b.example.test/",
            Verdict::Ok,
            &[
                ("[2001:db8::2]:443", Unreachable),
                ("192.0.2.2:443", Connected),
            ],
        ),
    ]);
    assert_eq!(findings(&quiet), []);
    // IPv6 swallowing packets makes every connection wait: a finding with
    // no failing endpoint, last in order.
    let waiting = report(vec![
        connected(
            "https://a.example.test/",
            Verdict::Ok,
            &[("[2001:db8::1]:443", Silent), ("192.0.2.1:443", Connected)],
        ),
        connected(
            "https://b.example.test/",
            Verdict::Ok,
            &[("[2001:db8::2]:443", Silent), ("192.0.2.2:443", Connected)],
        ),
    ]);
    let f = findings(&waiting);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::AddressFamilyBroken);
    assert!(f[0].endpoints.is_empty());
    assert!(
        f[0].summary.contains("every connection waits for IPv6"),
        "{}",
        f[0].summary
    );
    // One IPv6 address that reached its host (a refusal is an answer)
    // means IPv6 works: the failures are the hosts'.
    let mixed = report(vec![
        reached_over_ipv4(),
        ipv6_only_silent(),
        connected(
            "https://six-b.example.test/",
            Verdict::TcpRefused,
            &[("[2001:db8::2]:443", AddressOutcome::Refused)],
        ),
    ]);
    assert!(
        findings(&mixed)
            .iter()
            .all(|f| f.kind != FindingKind::AddressFamilyBroken),
        "{:#?}",
        findings(&mixed)
    );
}

/// Evidence quotes the resolver's answers whole (a sentence with commas is
/// one answer) and every distinct one, up to a few.
#[test]
fn dns_evidence_quotes_each_answer_whole() {
    let unanswered = |url: &str, answer: &str| {
        result(
            url,
            "Cloud",
            true,
            attempt(
                Route::Direct,
                Verdict::DnsFailure,
                &[&format!("answer: {answer}")],
                false,
            ),
        )
    };
    let sinkholed = |url: &str, answers: &str| {
        result(
            url,
            "Cloud",
            true,
            attempt(
                Route::Direct,
                Verdict::DnsSinkhole,
                &[&format!("answers: {answers}")],
                true,
            ),
        )
    };
    let r = report(vec![
        ok("https://fine.example.test/", "Cloud"),
        unanswered(
            "https://a.example.test/",
            "REFUSED (the server refused, by its policy)",
        ),
        unanswered("https://b.example.test/", "SERVFAIL (the server failed)"),
        unanswered(
            "https://e.example.test/",
            "NOERROR without an address (no A/AAAA records, a CNAME only)",
        ),
        sinkholed("https://c.example.test/", "0.0.0.0"),
        sinkholed("https://d.example.test/", "127.0.0.1, 0.0.0.0"),
    ]);
    let f = findings(&r);
    let of = |kind: FindingKind| f.iter().find(|x| x.kind == kind).unwrap();
    assert!(
        of(FindingKind::NamesUnanswered).evidence.contains(
            &"answers: REFUSED (the server refused, by its policy); SERVFAIL (the server failed)"
                .to_owned()
        ),
        "{f:#?}"
    );
    // An empty answer is what a filter gives, as NXDOMAIN is, and what an
    // allow rule changes: not grouped with a failing resolver (round 21).
    let empty = of(FindingKind::NamesMissing);
    assert!(
        empty
            .summary
            .starts_with("e.example.test has no address for this resolver"),
        "{f:#?}"
    );
    assert!(
        !of(FindingKind::NamesUnanswered).summary.contains("empty"),
        "{f:#?}"
    );
    assert!(
        of(FindingKind::NamesSinkholed)
            .evidence
            .contains(&"answers: 0.0.0.0, 127.0.0.1".to_owned()),
        "{f:#?}"
    );
}

fn control(
    http: Option<(ControlOutcome, &[&str])>,
    dns: Option<(ControlOutcome, &[&str])>,
) -> ControlReport {
    let probe = |target: &str, expected: &str, (outcome, evidence): (ControlOutcome, &[&str])| {
        ControlProbe {
            target: target.into(),
            expected: expected.into(),
            outcome,
            route: Some("DIRECT".into()),
            evidence: evidence.iter().map(|e| (*e).to_owned()).collect(),
        }
    };
    ControlReport {
        http: http.map(|h| {
            probe(
                "http://www.msftconnecttest.com/connecttest.txt",
                "Microsoft Connect Test",
                h,
            )
        }),
        dns: dns.map(|d| probe("dns.msftncsi.com", "131.107.255.255", d)),
    }
}

fn with_control(
    results: Vec<ProbeResult>,
    c: ControlReport,
) -> Vec<pathprobe_reports::findings::Finding> {
    let mut r = report(results);
    r.control = Some(c);
    findings(&r)
}

fn failing(url: &str, verdict: Verdict, evidence: &[&str]) -> ProbeResult {
    result(
        url,
        "Cloud",
        true,
        attempt(
            Route::Direct,
            verdict,
            evidence,
            verdict != Verdict::DnsFailure,
        ),
    )
}

#[test]
fn a_redirected_connectivity_test_is_a_captive_portal_explaining_the_failures() {
    let f = with_control(
        vec![
            failing("https://a.example.test/", Verdict::TlsUntrusted, &[]),
            failing("https://b.example.test/", Verdict::TlsUntrusted, &[]),
        ],
        control(
            Some((
                ControlOutcome::Different,
                &[
                    "verdict: http_unexpected_status",
                    "status: 302",
                    "location: http://portal.example/login",
                ],
            )),
            Some((ControlOutcome::Expected, &["answers: 131.107.255.255"])),
        ),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::CaptivePortal);
    assert_eq!(f[0].endpoints.len(), 2);
    assert!(
        f[0].summary
            .contains("a redirect to http://portal.example/login through DIRECT"),
        "{}",
        f[0].summary
    );
}

#[test]
fn control_dns_tells_no_dns_from_blocked_names_and_rewriting() {
    let missing = |url: &str| {
        failing(
            url,
            Verdict::DnsFailure,
            &["answer: NXDOMAIN (no such name)"],
        )
    };
    let names = || {
        vec![
            missing("https://a.example.test/"),
            missing("https://b.example.test/"),
        ]
    };
    // The control name fails too: DNS itself, with the control as evidence.
    let f = with_control(
        names(),
        control(
            None,
            Some((ControlOutcome::Failed, &["answer: NXDOMAIN (no such name)"])),
        ),
    );
    assert_eq!(f[0].kind, FindingKind::DnsUnavailable, "{f:#?}");
    assert!(
        f[0].evidence
            .iter()
            .any(|e| e.starts_with("control: dns.msftncsi.com got no answer either")),
        "{f:#?}"
    );
    // The control name resolves: these names are missing, not DNS.
    let f = with_control(
        names(),
        control(
            None,
            Some((ControlOutcome::Expected, &["answers: 131.107.255.255"])),
        ),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::NamesMissing);
    assert!(
        f[0].summary.ends_with("while other names resolve."),
        "{}",
        f[0].summary
    );
    // The control name resolves elsewhere: answers are rewritten.
    let f = with_control(
        names(),
        control(
            None,
            Some((ControlOutcome::Different, &["answers: 10.0.0.1"])),
        ),
    );
    assert_eq!(f[0].kind, FindingKind::DnsRewritten, "{f:#?}");
    assert_eq!(f[0].endpoints.len(), 2);
    assert!(
        f[0].summary
            .starts_with("dns.msftncsi.com resolves to 10.0.0.1, not 131.107.255.255"),
        "{}",
        f[0].summary
    );
}

#[test]
fn nothing_answering_the_control_included_is_no_internet_unless_something_worked() {
    let timeout = |url: &str| failing(url, Verdict::TcpTimeout, &["address: 192.0.2.1:443"]);
    let failed = || {
        control(
            Some((ControlOutcome::Failed, &["verdict: tcp_timeout"])),
            None,
        )
    };
    let f = with_control(
        vec![
            timeout("https://a.example.test/"),
            timeout("https://b.example.test/"),
        ],
        failed(),
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].kind, FindingKind::NoInternet);
    assert_eq!(f[0].component, "DIRECT");
    // An answer that came slowly is an answer: not "nothing answered".
    let slow = control(Some((ControlOutcome::Failed, &["verdict: timeout"])), None);
    let f = with_control(
        vec![
            timeout("https://a.example.test/"),
            timeout("https://b.example.test/"),
        ],
        slow,
    );
    assert!(
        f.iter().all(|x| x.kind != FindingKind::NoInternet),
        "{f:#?}"
    );
    // An endpoint that worked through the same route contradicts it.
    let f = with_control(
        vec![
            timeout("https://a.example.test/"),
            ok("https://b.example.test/", "Other"),
        ],
        failed(),
    );
    assert!(
        f.iter().all(|x| x.kind != FindingKind::NoInternet),
        "{f:#?}"
    );
    // A working control says the internet is there: a blocked category says so.
    let f = with_control(
        vec![
            timeout("https://a.example.test/"),
            timeout("https://c.example.test/"),
            ok("https://b.example.test/", "Other"),
        ],
        control(Some((ControlOutcome::Expected, &["verdict: ok"])), None),
    );
    let blocked = f
        .iter()
        .find(|x| x.kind == FindingKind::CategoryBlocked)
        .unwrap();
    assert!(
        blocked
            .evidence
            .iter()
            .any(|e| e.ends_with("the internet is reachable")),
        "{blocked:#?}"
    );
}
