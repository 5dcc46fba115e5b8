//! Every check-report format, rendered from one report that holds each kind
//! of result: ok, a failover, interception with a chain, a 407, an optional
//! failure, a row not probed, and text that needs escaping in every format.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_pac::{ProxyKind, Route};
use pathprobe_reports::{
    Attempt, CertificateInfo, Change, CheckFormat, CheckReport, Comparison, Phase, PhaseRecord,
    ProbeResult, ReportReadError, TableStyle, TlsInfo, ToolInfo, Verdict, Verification,
};

fn phase(phase: Phase, ms: f64, ok: bool) -> PhaseRecord {
    PhaseRecord {
        phase,
        elapsed_ms: ms,
        queued_ms: 0.0,
        ok,
        detail: format!("{} detail", phase.name()),
        addresses: Vec::new(),
    }
}

fn attempt(route: Route, verdict: Verdict, hint: &str) -> Attempt {
    Attempt {
        route,
        phases: vec![
            phase(Phase::Dns, 2.0, true),
            phase(Phase::Connect, 10.0, true),
            phase(Phase::Tls, 30.0, verdict.is_ok()),
        ],
        verdict,
        evidence: vec![format!("evidence of {}", verdict.name())],
        hint: hint.into(),
        tls: None,
        status: verdict.is_ok().then_some(200),
        next_route: None,
    }
}

fn result(url: &str, category: &str, required: bool, attempts: Vec<Attempt>) -> ProbeResult {
    let chosen = attempts
        .iter()
        .find(|a| a.verdict.is_ok())
        .or_else(|| attempts.last())
        .unwrap();
    ProbeResult {
        url: url.into(),
        category: Some(category.into()),
        required,
        route_source: "PAC file http://wpad.corp.test/wpad.dat".into(),
        verdict: chosen.verdict,
        hint: chosen.hint.clone(),
        attempts,
        change: None,
        listed_in: Vec::new(),
    }
}

fn proxy() -> Route {
    Route::Proxy {
        kind: ProxyKind::Http,
        host: "proxy.corp.test".into(),
        port: 3128,
    }
}

fn fixture() -> CheckReport {
    let mut intercepted = attempt(
        proxy(),
        Verdict::TlsIntercepted,
        "exempt it from inspection",
    );
    intercepted.tls = Some(TlsInfo {
        version: "TLS 1.3".into(),
        alpn: Some("http/1.1".into()),
        chain: vec![CertificateInfo {
            subject: "CN=events.data.microsoft.com".into(),
            issuer: "CN=Zscaler Intermediate Root CA".into(),
            dns_names: vec!["events.data.microsoft.com".into()],
            not_before: "2026-01-01T00:00:00Z".into(),
            not_after: "2027-01-01T00:00:00Z".into(),
            not_after_unix: 1_798_761_600,
            sha256: "ab".repeat(32),
            pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".into(),
        }],
        public_roots: Verification::Failed {
            error: "invalid peer certificate: UnknownIssuer".into(),
        },
        given_anchors: Verification::NotChecked {
            why: "no --ca-cert anchors were given".into(),
        },
        os_store: Verification::Passed,
    });
    let mut report = CheckReport {
        schema_version: pathprobe_reports::CHECK_SCHEMA_VERSION,
        tool: ToolInfo {
            name: "pathprobe".into(),
            version: "0.1.0".into(),
        },
        catalog: "Fixture catalog <v1> & co".into(),
        filters: vec!["geo: EU".into()],
        routing: "system profile, Linux rules; in force: PAC".into(),
        started_at: "2026-11-24T10:00:00Z".into(),
        warnings: vec!["PAC line 3: a <warning> & more".into()],
        baseline: None,
        findings: Vec::new(),
        control: None,
        results: vec![
            result(
                "https://ok.example.test/",
                "Core",
                true,
                vec![attempt(Route::Direct, Verdict::Ok, "")],
            ),
            result(
                "https://failover.example.test/",
                "Core",
                true,
                vec![
                    attempt(proxy(), Verdict::ProxyUnreachable, "the proxy is down"),
                    attempt(Route::Direct, Verdict::Ok, ""),
                ],
            ),
            result(
                "https://events.data.microsoft.com/",
                "Telemetry",
                true,
                vec![intercepted],
            ),
            result(
                "https://auth.example.test/a|b",
                "Telemetry",
                true,
                vec![attempt(
                    proxy(),
                    Verdict::ProxyAuthRequired,
                    "allow <script>alert(1)</script> anonymously",
                )],
            ),
            result(
                "https://optional.example.test/",
                "Extras",
                false,
                vec![attempt(Route::Direct, Verdict::DnsFailure, "fix DNS")],
            ),
            ProbeResult {
                url: "*.blob.core.windows.net".into(),
                category: Some("Extras".into()),
                required: true,
                route_source: String::new(),
                attempts: Vec::new(),
                verdict: Verdict::NotProbed,
                hint: "a wildcard with no concrete host".into(),
                change: None,
                listed_in: Vec::new(),
            },
        ],
        summary: Default::default(),
    };
    report.summarise(1234.0, false);
    report
}

fn render(format: CheckFormat) -> String {
    fixture().render(format, &TableStyle::plain(200)).unwrap()
}

#[test]
fn summary_counts_each_kind() {
    let r = fixture();
    assert_eq!(r.summary.probed, 5);
    assert_eq!(r.summary.ok, 2);
    assert_eq!(r.summary.required_failed, 2);
    assert_eq!(r.summary.optional_failed, 1);
    assert_eq!(r.summary.not_probed, 1);
}

#[test]
fn json_round_trips_and_versions_are_checked() {
    let text = render(CheckFormat::Json);
    let back = CheckReport::from_json(&text, "fixture.json").unwrap();
    assert_eq!(back, fixture());
    let newer = text.replacen("\"schema_version\": 2", "\"schema_version\": 99", 1);
    let err = CheckReport::from_json(&newer, "newer.json").unwrap_err();
    assert!(matches!(err, ReportReadError::Version { found: 99, .. }));
    assert!(err.to_string().contains("newer.json"), "{err}");
    let err = CheckReport::from_json("{\"a\": 1}", "other.json").unwrap_err();
    assert!(
        err.to_string()
            .contains("other.json: not a pathprobe check report"),
        "{err}"
    );
    let err = CheckReport::from_json("not json", "junk.txt").unwrap_err();
    assert!(matches!(err, ReportReadError::Json { .. }));
    // The counts are the results': an edited summary is not believed.
    let mut edited: serde_json::Value = serde_json::from_str(&text).unwrap();
    edited["results"] = serde_json::json!([]);
    let back = CheckReport::from_json(&edited.to_string(), "edited.json").unwrap();
    assert_eq!(back.summary.required_failed, 0);
    assert_eq!(back.summary.probed, 0);
    assert_eq!(back.summary.duration_ms, fixture().summary.duration_ms);
}

#[test]
fn table_groups_by_category_and_ends_with_the_summary() {
    let text = render(CheckFormat::Table);
    let core = text.find("Core (2 of 2 ok)").expect(&text);
    let telemetry = text.find("Telemetry (0 of 2 ok)").expect(&text);
    let extras = text.find("Extras (0 of 2 ok)").expect(&text);
    assert!(core < telemetry && telemetry < extras);
    assert!(text.starts_with("warning: PAC line 3"));
    assert!(text.trim_end().ends_with("1.2 s"), "{text}");
    // The failover shows the route that worked.
    let line = text
        .lines()
        .find(|l| l.contains("failover.example.test"))
        .unwrap();
    assert!(line.contains("DIRECT") && line.contains(" ok "), "{line}");
}

#[test]
fn lines_match_the_vendor_tool_for_probed_urls_only() {
    let text = render(CheckFormat::Lines);
    // The vendor tool's lines, then the findings (see below).
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("Finding: "))
        .collect();
    assert_eq!(
        lines,
        [
            "Testing connection with https://ok.example.test/ ... [OK]",
            "Testing connection with https://failover.example.test/ ... [OK]",
            "Testing connection with https://events.data.microsoft.com/ ... [ERROR]",
            "Testing connection with https://auth.example.test/a|b ... [ERROR]",
            "Testing connection with https://optional.example.test/ ... [ERROR]",
        ]
    );
}

#[test]
fn junit_fails_only_what_fails_the_exit_code() {
    let text = render(CheckFormat::Junit);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    // 1 + 2 (failover) + 1 + 1 + 1 + 1 (not probed) test cases.
    assert!(
        text.contains(r#"tests="7" failures="2" errors="0" time="#),
        "{text}"
    );
    // Jenkins' xUnit plugin refuses `skipped` and `timestamp` on the root;
    // the suites carry them.
    let root = text.lines().nth(1).unwrap();
    assert!(
        !root.contains("skipped=") && !root.contains("timestamp="),
        "{root}"
    );
    let skipped: usize = text
        .lines()
        .filter(|l| l.starts_with("  <testsuite "))
        .map(|l| {
            let n = l.split("skipped=\"").nth(1).unwrap();
            n[..n.find('"').unwrap()].parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(skipped, 3, "{text}");
    assert_eq!(text.matches("<testcase ").count(), 7);
    assert_eq!(text.matches("<testsuite ").count(), 3);
    assert!(text.contains(r#"<failure type="tls_intercepted""#));
    // The finding that covers the endpoint leads its message, then the hint.
    assert!(text.contains(r#"<failure type="proxy_auth_required" message="proxy_auth_required: The proxy PROXY proxy.corp.test:3128 demands authentication for 1 endpoint. allow &lt;script&gt;alert(1)&lt;/script&gt; anonymously""#), "{text}");
    assert!(
        text.contains("this route failed (proxy_unreachable); the endpoint works through DIRECT")
    );
    assert!(text.contains(r#"<skipped message="optional endpoint: dns_failure: fix DNS"/>"#));
    assert!(text.contains(r#"name="pathprobe check: Fixture catalog &lt;v1&gt; &amp; co""#));
    assert!(!text.contains("<script>"));
}

#[test]
fn markdown_lists_failures_with_cells_escaped() {
    let text = render(CheckFormat::Markdown);
    // Markup is shown, not rendered by viewers that allow HTML in Markdown.
    assert!(text.starts_with("### pathprobe check: Fixture catalog &lt;v1&gt; &amp; co\n"));
    assert!(!text.contains("<script>"), "{text}");
    assert!(text.contains("| `tls_intercepted` | 1 |"));
    let failures = text.split("#### Failures").nth(1).unwrap();
    assert_eq!(
        failures
            .lines()
            .filter(|l| l.starts_with("| https://"))
            .count(),
        3
    );
    assert!(failures.contains("| https://auth.example.test/a\\|b | yes | PROXY proxy.corp.test:3128 | `proxy_auth_required` |"));
    assert!(!failures.contains("ok.example.test"));
}

#[test]
fn html_is_self_contained_and_escapes_everything() {
    let text = render(CheckFormat::Html);
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("Content-Security-Policy"));
    assert!(text.contains("default-src 'none'"));
    // Nothing is fetched: no src/href pointing anywhere, no CSS imports.
    for needle in ["src=\"http", "href=\"http", "src='http", "@import", "url("] {
        assert!(!text.contains(needle), "found {needle}");
    }
    assert_eq!(text.matches("<tr data-verdict=").count(), 6);
    assert!(text.contains("allow &lt;script&gt;alert(1)&lt;/script&gt; anonymously"));
    assert_eq!(
        text.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    // Waterfalls for probed endpoints, the chain of the intercepted one.
    assert_eq!(text.matches("<svg class=\"waterfall\"").count(), 6);
    assert!(text.contains("CN=Zscaler Intermediate Root CA"));
    assert!(text.contains("public roots: failed (invalid peer certificate: UnknownIssuer)"));
}

#[test]
fn csv_has_a_row_per_attempt() {
    let text = render(CheckFormat::Csv);
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let headers = rows.headers().unwrap().clone();
    assert_eq!(&headers[0], "url");
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 7);
    let failover: Vec<_> = records
        .iter()
        .filter(|r| r[0].contains("failover"))
        .collect();
    assert_eq!(&failover[0][5], "proxy_unreachable");
    assert_eq!(&failover[0][6], "ok");
}

#[test]
fn a_baseline_marks_regressions_and_recoveries() {
    let before = fixture();
    let mut after = fixture();
    // ok → dns_failure; tls_intercepted → ok; a new endpoint; one gone.
    after.results[0].verdict = Verdict::DnsFailure;
    after.results[2].verdict = Verdict::Ok;
    after.results[4].url = "https://new.example.test/".into();
    after.summarise(1.0, false);
    let c = Comparison::new(&before, "before.json", &after, "after.json");
    assert_eq!(c.count(Change::Regressed), 1);
    assert_eq!(c.required_regressions(), 1);
    assert_eq!(c.count(Change::Recovered), 1);
    assert_eq!(c.count(Change::New), 1);
    assert_eq!(c.gone().count(), 1);
    c.mark(&mut after, &before, "before.json");
    assert_eq!(after.results[0].change, Some(Change::Regressed));
    assert_eq!(after.results[1].change, None);
    let table = after
        .render(CheckFormat::Table, &TableStyle::plain(200))
        .unwrap();
    assert!(table.contains("compared with before.json (2026-11-24T10:00:00Z): 1 regressed, 1 recovered, 0 changed, 1 new, 1 gone"), "{table}");
    let diff = c.render(false, &TableStyle::plain(200)).unwrap();
    assert!(
        diff.contains("regressed") && diff.contains("https://optional.example.test/"),
        "{diff}"
    );
}

#[test]
fn prometheus_exposition_has_bounded_labels() {
    let text = render(CheckFormat::Prometheus);
    // Every endpoint that was probed, once, with its category and requirement.
    assert_eq!(text.matches("\npathprobe_endpoint_success{").count(), 5);
    assert!(text.contains(
        "pathprobe_endpoint_success{endpoint=\"https://optional.example.test/\",category=\"Extras\",required=\"false\"} 0"
    ));
    // Per endpoint × route: the failover has two routes.
    assert_eq!(
        text.matches("\npathprobe_probe_success{endpoint=\"https://failover")
            .count(),
        2
    );
    assert!(text.contains(
        "pathprobe_probe_verdict_info{endpoint=\"https://events.data.microsoft.com/\",route=\"PROXY proxy.corp.test:3128\",verdict=\"tls_intercepted\"} 1"
    ));
    assert!(text.contains(
        "pathprobe_probe_tls_intercepted{endpoint=\"https://events.data.microsoft.com/\",route=\"PROXY proxy.corp.test:3128\"} 1"
    ));
    assert!(text.contains(
        "pathprobe_probe_proxy_auth_required{endpoint=\"https://auth.example.test/a|b\",route=\"PROXY proxy.corp.test:3128\"} 1"
    ));
    assert!(text.contains("phase=\"resolve\"} 0.002"));
    assert!(text.contains("pathprobe_probe_ssl_earliest_cert_expiry{endpoint=\"https://events.data.microsoft.com/\",route=\"PROXY proxy.corp.test:3128\"} 1798761600"));
    assert!(text.contains("pathprobe_run_endpoints{state=\"not_probed\"} 1"));
    assert!(text.contains("pathprobe_run_timestamp_seconds 1795514400"));
    // The verdict is a label of the info series only.
    let with_verdict = text.lines().filter(|l| l.contains("verdict=")).count();
    let info = text
        .lines()
        .filter(|l| l.starts_with("pathprobe_probe_verdict_info{"))
        .count();
    assert_eq!(with_verdict, info);
    // Label values are escaped; a hidden character (a line break) is
    // written out as every format but JSON writes it.
    let mut quoted = fixture();
    quoted.catalog = "a \"quoted\" \\ name\nnext".into();
    let text = quoted
        .render(CheckFormat::Prometheus, &TableStyle::plain(80))
        .unwrap();
    assert!(
        text.contains("catalog=\"a \\\"quoted\\\" \\\\ name<U+000A>next\""),
        "{text}"
    );
}

#[test]
fn the_verbose_table_shows_a_dns_queue_wait_beside_dns_time() {
    let mut report = fixture();
    let phases = &mut report.results[0].attempts[0].phases;
    let dns = phases
        .iter_mut()
        .find(|p| p.phase == Phase::Dns)
        .expect("a DNS phase in the fixture");
    dns.elapsed_ms = 12.0;
    dns.queued_ms = 340.0;
    let mut style = TableStyle::plain(200);
    style.verbose = true;
    let text = report.render(CheckFormat::Table, &style).unwrap();
    assert!(text.contains("dns 12 (+340 queued)"), "{text}");
    // JSON keeps it as its own field.
    let json = report.render(CheckFormat::Json, &style).unwrap();
    assert!(json.contains("\"queued_ms\": 340.0"), "{json}");
}

#[test]
fn table_and_markdown_lead_with_the_findings() {
    let text = render(CheckFormat::Table);
    let findings = text.find("\nFindings\n").expect(&text);
    let first_category = text.find("Core (2 of 2 ok)").expect(&text);
    assert!(findings < first_category, "{text}");
    assert!(text.contains("[proxy_authentication]"), "{text}");
    assert!(text.contains("[tls_inspection]"), "{text}");
    // Required endpoints first: both of those cover a required one.
    let auth = text.find("[proxy_authentication]").unwrap();
    let optional = text.find("[endpoint_failing]").unwrap_or(usize::MAX);
    assert!(auth < optional, "{text}");
    assert!(
        text.trim_end().ends_with(&fixture().summary_line()),
        "{text}"
    );

    let md = render(CheckFormat::Markdown);
    let findings = md.find("#### Findings").expect(&md);
    let verdicts = md.find("| verdict | endpoints |").expect(&md);
    assert!(findings < verdicts, "{md}");
    assert!(
        md.contains("1. **\\[tls_inspection\\]") || md.contains("1. **\\[proxy_authentication\\]"),
        "{md}"
    );
}

#[test]
fn a_version_1_report_is_read_and_gets_its_findings() {
    let text = render(CheckFormat::Json);
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(!v["findings"].as_array().unwrap().is_empty());
    // What a v1 pathprobe wrote: no findings, version 1.
    v["schema_version"] = 1.into();
    v.as_object_mut().unwrap().remove("findings");
    let back = CheckReport::from_json(&v.to_string(), "old.json").unwrap();
    assert_eq!(back.schema_version, pathprobe_reports::CHECK_SCHEMA_VERSION);
    assert_eq!(back.findings, fixture().findings);
    // Findings in a file are not taken on trust: made from the results.
    v["schema_version"] = 2.into();
    v["findings"] = serde_json::json!([]);
    let back = CheckReport::from_json(&v.to_string(), "edited.json").unwrap();
    assert_eq!(back.findings, fixture().findings);
}

#[test]
fn lines_and_prometheus_carry_the_findings() {
    let report = fixture();
    let lines = render(CheckFormat::Lines);
    let first_finding = lines.find("Finding: ").expect(&lines);
    let last_endpoint = lines.rfind("Testing connection with").unwrap();
    assert!(first_finding > last_endpoint, "{lines}");
    assert_eq!(lines.matches("Finding: ").count(), report.findings.len());
    let prom = render(CheckFormat::Prometheus);
    for f in &report.findings {
        let series = format!(
            "pathprobe_finding_required_endpoints{{kind=\"{}\",component=\"{}\"}} {}",
            f.kind.name(),
            f.component.replace('\\', "\\\\").replace('"', "\\\""),
            f.required
        );
        assert!(prom.contains(&series), "{series}\n{prom}");
    }
}

#[test]
fn a_saved_report_cannot_drive_the_terminal_or_forge_lines() {
    let mut v: serde_json::Value = serde_json::from_str(&render(CheckFormat::Json)).unwrap();
    v["results"][3]["attempts"][0]["evidence"][0] =
        "offered schemes: Basic\u{1b}[2J\u{1b}]0;pwned\u{7}".into();
    v["results"][3]["hint"] = "ok\n 9. [ok] injected".into();
    let back = CheckReport::from_json(&v.to_string(), "odd.json").unwrap();
    for format in [
        CheckFormat::Table,
        CheckFormat::Markdown,
        CheckFormat::Lines,
    ] {
        let text = back.render(format, &TableStyle::plain(200)).unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{format:?}: {text:?}"
        );
        assert!(!text.contains("\n 9. [ok] injected"), "{format:?}: {text}");
    }
}

#[test]
fn a_saved_report_with_impossible_durations_is_refused_naming_the_field() {
    let v: serde_json::Value = serde_json::from_str(&render(CheckFormat::Json)).unwrap();
    for (path, value, field) in [
        (
            "/results/3/attempts/0/phases/0/elapsed_ms",
            -5.0,
            "results[3].attempts[0].phases[0].elapsed_ms is -5",
        ),
        (
            "/results/3/attempts/0/phases/0/elapsed_ms",
            1e308,
            "results[3].attempts[0].phases[0].elapsed_ms is 1e308",
        ),
        ("/summary/duration_ms", -0.5, "summary.duration_ms is -0.5"),
    ] {
        let mut edited = v.clone();
        *edited.pointer_mut(path).unwrap() = value.into();
        let e = CheckReport::from_json(&edited.to_string(), "odd.json")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("odd.json: "), "{e}");
        assert!(e.contains(field), "{e}");
        assert!(e.contains("not a duration a run can have"), "{e}");
        assert!(e.len() < 400, "{e}");
    }
}
