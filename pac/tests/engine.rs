//! Conformance and safety tests of the PAC engine.
//!
//! Expected values come from the published helper descriptions (Netscape's
//! original, Microsoft's IPv6 extensions) and from what Chromium, Firefox and
//! pacparser do on edge cases; the cases themselves are our own.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pathprobe_pac::{
    EntryPoint, FixedClock, FixedResolver, LookupError, PacEngine, PacErrorKind, PacOptions,
    ProxyKind, Resolve, Route, UrlMode,
};

fn resolver() -> Arc<FixedResolver> {
    Arc::new(
        FixedResolver::new()
            .with("intranet.corp", "10.1.2.3".parse().unwrap())
            .with("dual.corp", "fd00::7".parse().unwrap())
            .with("dual.corp", "192.168.7.7".parse().unwrap())
            .with("v6only.corp", "2001:db8::5".parse().unwrap()),
    )
}

fn options() -> PacOptions {
    PacOptions {
        my_ip: Some(vec![
            "10.9.8.7".parse().unwrap(),
            "fd00::9".parse().unwrap(),
        ]),
        ..PacOptions::default()
    }
}

/// Evaluates JavaScript expressions inside a PAC and returns each result as
/// the script's `String(value)`, or `throw: message`.
fn eval_at(at: &str, exprs: &[&str]) -> Vec<String> {
    let body: String = exprs
        .iter()
        .map(|e| format!("try {{ r.push(String({e})); }} catch (x) {{ r.push('throw: ' + x); }}\n"))
        .collect();
    let pac = format!(
        "function FindProxyForURL(url, host) {{ var r = [];\n{body} return 'DIRECT; ' + JSON.stringify(r); }}"
    );
    let clock = Arc::new(FixedClock::parse(at).unwrap());
    let mut engine =
        PacEngine::with_clock("exprs.pac", &pac, options(), resolver(), clock).unwrap();
    let answer = engine.find_proxy("http://example.com/", None).unwrap();
    let json = answer.raw.strip_prefix("DIRECT; ").unwrap();
    serde_json::from_str(json).unwrap()
}

fn eval(exprs: &[&str]) -> Vec<String> {
    eval_at("2026-03-02T08:30:00+01:00", exprs)
}

fn check(cases: &[(&str, &str)]) {
    check_at("2026-03-02T08:30:00+01:00", cases);
}

fn check_at(at: &str, cases: &[(&str, &str)]) {
    let exprs: Vec<&str> = cases.iter().map(|(e, _)| *e).collect();
    let got = eval_at(at, &exprs);
    assert_eq!(got.len(), cases.len(), "one answer per expression");
    for ((expr, want), got) in cases.iter().zip(got) {
        assert_eq!(&got, want, "{expr} at {at}");
    }
}

#[test]
fn host_name_helpers() {
    check(&[
        ("isPlainHostName('www')", "true"),
        ("isPlainHostName('www.netscape.com')", "false"),
        ("dnsDomainIs('www.netscape.com', '.netscape.com')", "true"),
        ("dnsDomainIs('www', '.netscape.com')", "false"),
        ("dnsDomainIs('xnetscape.com', 'netscape.com')", "true"),
        ("localHostOrDomainIs('www', 'www.netscape.com')", "true"),
        (
            "localHostOrDomainIs('home.netscape.com', 'www.netscape.com')",
            "false",
        ),
        ("dnsDomainLevels('www.netscape.com')", "2"),
        ("dnsDomainLevels('www')", "0"),
        (
            "shExpMatch('http://home.netscape.com/people/ari/index.html', '*/ari/*')",
            "true",
        ),
        ("shExpMatch('www.example.com', '*.EXAMPLE.com')", "false"),
        ("shExpMatch('host7.corp', 'host[0-9].corp')", "true"),
    ]);
}

#[test]
fn a_bad_shexp_pattern_throws_like_a_bad_regexp() {
    let got = eval(&["shExpMatch('x', 'host[')"]);
    assert!(got[0].starts_with("throw: SyntaxError"), "{got:?}");
}

#[test]
fn address_helpers() {
    check(&[
        ("convert_addr('104.16.41.2')", "1745889538"),
        ("convert_addr('255.255.255.255')", "-1"),
        ("convert_addr('0x10.1.2.3')", "268501507"),
        ("convert_addr('1.2.3')", "16909056"),
        ("convert_addr('junk')", "0"),
        ("isInNet('10.1.2.3', '10.0.0.0', '255.0.0.0')", "true"),
        ("isInNet('11.1.2.3', '10.0.0.0', '255.0.0.0')", "false"),
        ("isInNet('256.1.1.1', '0.0.0.0', '0.0.0.0')", "false"),
        // A CIDR or a missing mask matches nothing (it matched everything).
        ("isInNet('1.2.3.4', '10.0.0.0/8')", "false"),
        ("isInNet('1.2.3.4', '10.0.0.0')", "false"),
        ("isInNet('10.2.3.4', '10.0.0.0/8', '255.0.0.0')", "false"),
        // A name is resolved first: the hidden lookup `pac lint` warns about.
        ("isInNet('intranet.corp', '10.0.0.0', '255.0.0.0')", "true"),
        ("isInNet('nowhere.corp', '0.0.0.0', '0.0.0.0')", "false"),
        ("isInNet('v6only.corp', '0.0.0.0', '0.0.0.0')", "false"),
        ("isInNetEx('198.95.249.79', '198.95.0.0/16')", "true"),
        (
            "isInNetEx('3ffe:8311:ffff::1', '3ffe:8311:ffff::/48')",
            "true",
        ),
        ("isInNetEx('10.0.0.1', '::ffff:10.0.0.0/104')", "false"),
        ("isInNetEx('intranet.corp', '10.0.0.0/8')", "false"),
        (
            "sortIpAddressList('10.2.3.9;2001:4898:28:3:201:2ff:feea:fc14;::1;127.0.0.1;::9')",
            "::1;::9;2001:4898:28:3:201:2ff:feea:fc14;10.2.3.9;127.0.0.1",
        ),
        ("sortIpAddressList('10.0.0.1;bogus')", "false"),
        ("getClientVersion()", "1.0"),
    ]);
}

#[test]
fn dns_helpers_go_through_the_resolver() {
    check(&[
        ("dnsResolve('intranet.corp')", "10.1.2.3"),
        ("dnsResolve('INTRANET.corp')", "10.1.2.3"),
        ("dnsResolve('dual.corp')", "192.168.7.7"),
        ("dnsResolve('v6only.corp')", "null"),
        ("dnsResolve('nowhere.corp')", "null"),
        ("dnsResolve('192.0.2.1')", "192.0.2.1"),
        ("isResolvable('intranet.corp')", "true"),
        ("isResolvable('v6only.corp')", "false"),
        ("isResolvable('nowhere.corp')", "false"),
        ("dnsResolveEx('dual.corp')", "fd00::7;192.168.7.7"),
        ("dnsResolveEx('v6only.corp')", "2001:db8::5"),
        ("dnsResolveEx('nowhere.corp')", ""),
        ("isResolvableEx('v6only.corp')", "true"),
        ("isResolvableEx('nowhere.corp')", "false"),
        ("myIpAddress()", "10.9.8.7"),
        ("myIpAddressEx()", "10.9.8.7;fd00::9"),
    ]);
}

#[test]
fn weekday_ranges() {
    // 2026-03-02 is a Monday; at 00:30 in UTC+1 it is still Sunday in GMT.
    check(&[
        ("weekdayRange('MON')", "true"),
        ("weekdayRange('MON', 'FRI')", "true"),
        ("weekdayRange('TUE', 'SAT')", "false"),
        ("weekdayRange('SAT', 'MON')", "true"),
        ("weekdayRange('FRI', 'SUN')", "false"),
        ("weekdayRange('MON', 'GMT')", "true"),
        ("weekdayRange('mon')", "false"),
        ("weekdayRange()", "false"),
    ]);
    check_at(
        "2026-03-02T00:30:00+01:00",
        &[
            ("weekdayRange('MON')", "true"),
            ("weekdayRange('MON', 'GMT')", "false"),
            ("weekdayRange('SUN', 'GMT')", "true"),
            ("weekdayRange('SAT', 'SUN', 'GMT')", "true"),
        ],
    );
}

#[test]
fn date_ranges() {
    check(&[
        ("dateRange(2)", "true"),
        ("dateRange(3)", "false"),
        ("dateRange('MAR')", "true"),
        ("dateRange('FEB')", "false"),
        ("dateRange(2026)", "true"),
        ("dateRange(2025)", "false"),
        ("dateRange(1, 15)", "true"),
        ("dateRange(3, 15)", "false"),
        ("dateRange('FEB', 'APR')", "true"),
        ("dateRange('APR', 'JUN')", "false"),
        // Wrapping over the new year.
        ("dateRange('OCT', 'MAR')", "true"),
        ("dateRange(2025, 2027)", "true"),
        ("dateRange(2027, 2030)", "false"),
        ("dateRange(1, 'MAR', 31, 'MAR')", "true"),
        ("dateRange(1, 'MAR', 2026, 31, 'MAR', 2026)", "true"),
        ("dateRange(1, 'MAR', 2025, 31, 'MAR', 2025)", "false"),
        ("dateRange('MAR', 2026, 'APR', 2026)", "true"),
        ("dateRange(2, 'GMT')", "true"),
        ("dateRange()", "false"),
    ]);
    // Browsers build the end of "JAN".."FEB" as 31 February, which rolls over
    // to 3 March: the range really ends on 3 March. We do the same.
    check_at(
        "2026-03-02T12:00:00Z",
        &[("dateRange('JAN', 'FEB')", "true")],
    );
    check_at(
        "2026-03-05T12:00:00Z",
        &[("dateRange('JAN', 'FEB')", "false")],
    );
    // GMT forms read the UTC date: 00:30 on 2 March in UTC+1 is 1 March in GMT.
    check_at(
        "2026-03-02T00:30:00+01:00",
        &[
            ("dateRange(2)", "true"),
            ("dateRange(1, 'GMT')", "true"),
            ("dateRange(2, 'GMT')", "false"),
        ],
    );
}

#[test]
fn time_ranges() {
    check(&[
        ("timeRange(8)", "true"),
        ("timeRange(9)", "false"),
        ("timeRange(8, 9)", "true"),
        ("timeRange(9, 17)", "false"),
        ("timeRange(0, 24)", "true"),
        // The two-hour form never wraps past midnight, in any browser.
        ("timeRange(22, 9)", "false"),
        // The minute and second forms do.
        ("timeRange(22, 0, 9, 0)", "true"),
        ("timeRange(8, 30, 8, 31)", "true"),
        ("timeRange(8, 31, 9, 0)", "false"),
        ("timeRange(8, 30, 0, 8, 30, 59)", "true"),
        ("timeRange(8, 30, 1, 8, 30, 59)", "false"),
        ("timeRange(7, 'GMT')", "true"),
        ("timeRange(7, 0, 7, 59, 'GMT')", "true"),
        ("timeRange(8, 0, 8, 59, 'GMT')", "false"),
        ("timeRange()", "false"),
        (
            "timeRange(1, 2, 3)",
            "throw: timeRange: bad number of arguments",
        ),
    ]);
}

#[test]
fn local_time_follows_the_clock_time_zone_with_daylight_saving() {
    // 10:00 UTC is 12:00 in Paris in July (CEST) and 11:00 in January (CET).
    check_at(
        "2026-07-01T10:00:00Z[Europe/Paris]",
        &[("timeRange(12)", "true"), ("timeRange(10, 'GMT')", "true")],
    );
    check_at(
        "2026-01-15T10:00:00Z[Europe/Paris]",
        &[("timeRange(11)", "true"), ("timeRange(12)", "false")],
    );
}

#[test]
fn https_urls_are_stripped_like_browsers_do() {
    let pac = "function FindProxyForURL(url, host) { return 'PROXY p:1; ' + url + ' ' + host; }";
    let mut e = PacEngine::new("echo.pac", pac, options(), resolver()).unwrap();
    let a = e
        .find_proxy(
            "https://user:secret@Example.COM:8443/a/b?token=x#frag",
            None,
        )
        .unwrap();
    assert_eq!(a.url, "https://example.com:8443/");
    assert_eq!(a.host, "example.com");
    assert!(!a.raw.contains("secret") && !a.raw.contains("token"));
    let h = e
        .find_proxy("http://user:secret@example.com/a?b=c#frag", None)
        .unwrap();
    assert_eq!(h.url, "http://example.com/a?b=c");
    let v6 = e.find_proxy("https://[2001:DB8::1]:443/x", None).unwrap();
    assert_eq!(v6.url, "https://[2001:db8::1]/");
    assert_eq!(v6.host, "2001:db8::1");
    let over = e
        .find_proxy("https://example.com/", Some("Other.Example"))
        .unwrap();
    assert_eq!(over.host, "other.example");

    let full = PacOptions {
        url_mode: UrlMode::Full,
        ..options()
    };
    let mut e = PacEngine::new("echo.pac", pac, full, resolver()).unwrap();
    let a = e
        .find_proxy("https://user:secret@example.com/a/b?c=d#frag", None)
        .unwrap();
    assert_eq!(a.url, "https://example.com/a/b?c=d");
    assert!(e.find_proxy("not a url", None).is_err());
}

#[test]
fn results_become_routes_with_warnings_for_junk() {
    let pac = "function FindProxyForURL(u, h) { return ' proxy a.corp:8080 ;; socks b ; HTTPS c.corp ; BOGUS x ; direct '; }";
    let mut e = PacEngine::new("r.pac", pac, options(), resolver()).unwrap();
    let a = e.find_proxy("http://x/", None).unwrap();
    assert_eq!(
        a.parsed.routes,
        vec![
            Route::Proxy {
                kind: ProxyKind::Http,
                host: "a.corp".into(),
                port: 8080
            },
            Route::Proxy {
                kind: ProxyKind::Socks4,
                host: "b".into(),
                port: 1080
            },
            Route::Proxy {
                kind: ProxyKind::Https,
                host: "c.corp".into(),
                port: 443
            },
            Route::Direct,
        ]
    );
    assert_eq!(a.parsed.warnings.len(), 1);
    assert_eq!(a.parsed.warnings[0].raw, "BOGUS x");
}

#[test]
fn non_string_and_empty_answers_are_errors_naming_the_function() {
    for (body, want) in [
        ("return null;", "null"),
        ("return 42;", "number"),
        ("", "undefined"),
    ] {
        let pac = format!("// comment\nfunction FindProxyForURL(u, h) {{ {body} }}");
        let mut e = PacEngine::new("bad.pac", &pac, options(), resolver()).unwrap();
        let err = e.find_proxy("http://x/", None).unwrap_err();
        match &err.kind {
            PacErrorKind::NotAString {
                function,
                line,
                found,
            } => {
                assert_eq!(*function, EntryPoint::FindProxyForURL);
                assert_eq!(*line, 2);
                // `typeof null` is "object"; the answer is named null.
                assert_eq!(found, want);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string()
                .starts_with("PAC bad.pac: FindProxyForURL (line 2)"),
            "{err}"
        );
    }
    let mut e = PacEngine::new(
        "empty.pac",
        "function FindProxyForURL(u, h) { return ' ; '; }",
        options(),
        resolver(),
    )
    .unwrap();
    assert!(matches!(
        e.find_proxy("http://x/", None).unwrap_err().kind,
        PacErrorKind::NoRoute { .. }
    ));
}

#[test]
fn the_ex_entry_point_wins_when_defined() {
    let pac = "function FindProxyForURL(u, h) { return 'PROXY old:1'; }\nfunction FindProxyForURLEx(u, h) { return 'PROXY new:2'; }";
    let mut e = PacEngine::new("ex.pac", pac, options(), resolver()).unwrap();
    assert_eq!(e.entry_point(), Some(EntryPoint::FindProxyForURLEx));
    assert_eq!(e.find_proxy("http://x/", None).unwrap().raw, "PROXY new:2");
}

#[test]
fn alerts_are_collected_not_printed() {
    let pac = "alert('loading');\nfunction FindProxyForURL(u, h) { alert('asked for ' + h); return 'DIRECT'; }";
    let mut e = PacEngine::new("alert.pac", pac, options(), resolver()).unwrap();
    let a = e.find_proxy("http://x.example/", None).unwrap();
    assert_eq!(a.alerts, vec!["asked for x.example"]);
}

#[test]
fn lookups_are_cached_per_evaluation_and_recorded() {
    #[derive(Debug, Default)]
    struct Counting(AtomicUsize);
    impl Resolve for Counting {
        fn lookup(&self, _host: &str, _t: Duration) -> Result<Vec<IpAddr>, LookupError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(vec!["10.0.0.1".parse().unwrap()])
        }
    }
    let counting = Arc::new(Counting::default());
    let pac = "function FindProxyForURL(u, h) { isInNet(h, '10.0.0.0', '255.0.0.0'); isResolvable(h); dnsResolve(h); return 'DIRECT'; }";
    let mut e = PacEngine::new("dns.pac", pac, options(), counting.clone()).unwrap();
    let a = e.find_proxy("http://name.corp/", None).unwrap();
    assert_eq!(counting.0.load(Ordering::SeqCst), 1);
    assert_eq!(a.lookups.len(), 1);
    assert_eq!(a.lookups[0].outcome, Ok(vec!["10.0.0.1".parse().unwrap()]));
    e.find_proxy("http://name.corp/", None).unwrap();
    assert_eq!(
        counting.0.load(Ordering::SeqCst),
        2,
        "the cache lives for one evaluation"
    );
}

#[derive(Debug)]
struct Slow(Duration);
impl Resolve for Slow {
    fn lookup(&self, _host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        std::thread::sleep(self.0.min(timeout));
        if self.0 > timeout {
            Err(LookupError::Timeout(timeout))
        } else {
            Ok(vec!["10.0.0.1".parse().unwrap()])
        }
    }
}

#[test]
fn slow_dns_is_bounded_by_the_lookup_timeout() {
    let opts = PacOptions {
        dns_timeout: Duration::from_millis(100),
        ..options()
    };
    let pac = "function FindProxyForURL(u, h) { return isResolvable(h) ? 'DIRECT' : 'PROXY fallback:3128'; }";
    let mut e = PacEngine::new(
        "slow.pac",
        pac,
        opts,
        Arc::new(Slow(Duration::from_secs(30))),
    )
    .unwrap();
    let a = e.find_proxy("http://slow.corp/", None).unwrap();
    assert_eq!(a.raw, "PROXY fallback:3128");
    assert!(
        a.lookups[0]
            .outcome
            .as_ref()
            .unwrap_err()
            .contains("no answer")
    );
}

#[test]
fn many_slow_lookups_cannot_outlast_the_evaluation_deadline() {
    let opts = PacOptions {
        dns_timeout: Duration::from_millis(200),
        eval_timeout: Duration::from_millis(500),
        ..options()
    };
    let pac = "function FindProxyForURL(u, h) { for (var i = 0; i < 100; i++) dnsResolve('n' + i + '.corp'); return 'DIRECT'; }";
    let mut e = PacEngine::new(
        "slow.pac",
        pac,
        opts,
        Arc::new(Slow(Duration::from_secs(30))),
    )
    .unwrap();
    let started = Instant::now();
    let a = e.find_proxy("http://x/", None).unwrap();
    // Lookups past the deadline fail at once, so the answer still comes.
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(a.lookups.len() >= 3);
}

#[test]
fn infinite_loops_time_out_and_the_engine_recovers() {
    let opts = PacOptions {
        eval_timeout: Duration::from_millis(300),
        loop_iteration_limit: u64::MAX,
        ..options()
    };
    let pac =
        "function FindProxyForURL(u, h) { if (h == 'loop') { while (true) {} } return 'DIRECT'; }";
    let mut e = PacEngine::new("loop.pac", pac, opts, resolver()).unwrap();
    let err = e.find_proxy("http://loop/", None).unwrap_err();
    assert!(matches!(err.kind, PacErrorKind::Timeout { .. }), "{err}");
    assert!(err.to_string().contains("did not finish"), "{err}");
    // The next URL is answered by a fresh context.
    assert_eq!(e.find_proxy("http://fine/", None).unwrap().raw, "DIRECT");
}

#[test]
fn loop_and_recursion_limits_stop_the_script() {
    let opts = PacOptions {
        loop_iteration_limit: 10_000,
        ..options()
    };
    let pac = "function FindProxyForURL(u, h) { if (h == 'deep') return f(); [1].map(function () { while (true) {} }); return 'DIRECT'; }\nfunction f() { return f(); }";
    let mut e = PacEngine::new("limits.pac", pac, opts, resolver()).unwrap();
    let loop_err = e.find_proxy("http://x/", None).unwrap_err();
    assert!(
        matches!(loop_err.kind, PacErrorKind::LimitExceeded { .. }),
        "{loop_err}"
    );
    let deep = e.find_proxy("http://deep/", None).unwrap_err();
    assert!(
        matches!(deep.kind, PacErrorKind::LimitExceeded { .. }),
        "{deep}"
    );
}

#[test]
fn a_script_that_never_finishes_loading_is_refused() {
    let opts = PacOptions {
        eval_timeout: Duration::from_millis(200),
        loop_iteration_limit: u64::MAX,
        ..options()
    };
    let err = PacEngine::new(
        "hang.pac",
        "for (;;) {}\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }",
        opts,
        resolver(),
    )
    .unwrap_err();
    assert!(matches!(err.kind, PacErrorKind::Timeout { .. }), "{err}");
    assert!(err.to_string().contains("loading the script"), "{err}");
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let pac = "function FindProxyForURL(url, host) {\n  if (host == 'x' {\n    return 'DIRECT';\n  }\n}\n";
    let err = PacEngine::new("typo.pac", pac, options(), resolver()).unwrap_err();
    match &err.kind {
        PacErrorKind::Syntax { line, column, .. } => assert_eq!((*line, *column), (2, 19)),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("PAC typo.pac: syntax error at line 2"),
        "{err}"
    );
}

#[test]
fn missing_entry_point_and_oversized_scripts_are_refused() {
    let err = PacEngine::new("none.pac", "var x = 1;", options(), resolver()).unwrap_err();
    assert_eq!(err.kind, PacErrorKind::NoEntryPoint);
    let small = PacOptions {
        max_script_bytes: 100,
        ..options()
    };
    let big = format!(
        "function FindProxyForURL(u, h) {{ return 'DIRECT'; }} // {}",
        "x".repeat(200)
    );
    let err = PacEngine::new("big.pac", &big, small, resolver()).unwrap_err();
    assert!(matches!(err.kind, PacErrorKind::TooLarge { size, limit: 100 } if size > 200));
}

#[test]
fn the_sandbox_has_no_host_objects() {
    check(&[
        ("typeof require", "undefined"),
        ("typeof process", "undefined"),
        ("typeof setTimeout", "undefined"),
        ("typeof fetch", "undefined"),
        ("typeof XMLHttpRequest", "undefined"),
        ("typeof console", "undefined"),
        ("typeof Deno", "undefined"),
    ]);
}

#[test]
fn exceptions_name_the_function_and_url() {
    let pac = "function FindProxyForURL(u, h) { return undefinedHelper(h); }";
    let mut e = PacEngine::new("throw.pac", pac, options(), resolver()).unwrap();
    let err = e.find_proxy("http://x.example/", None).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("FindProxyForURL for http://x.example/ threw"),
        "{text}"
    );
    assert!(text.contains("ReferenceError"), "{text}");
}

#[test]
fn work_hidden_in_builtin_callbacks_is_still_bounded() {
    // Loops run by Array.prototype.forEach escape the deadline check (the
    // callback runs inside a built-in); the instruction budget still stops them.
    let opts = PacOptions {
        eval_timeout: Duration::from_secs(600),
        instruction_budget: 2_000_000,
        ..options()
    };
    let pac = "function inner() { for (var j = 0; j < 1e7; j++) {} }\n\
               function FindProxyForURL(u, h) { if (h == 'heavy') [1].forEach(function () { for (var i = 0; i < 1e7; i++) inner(); }); return 'DIRECT'; }";
    let mut e = PacEngine::new("heavy.pac", pac, opts, resolver()).unwrap();
    let started = Instant::now();
    let err = e.find_proxy("http://heavy/", None).unwrap_err();
    assert!(
        matches!(err.kind, PacErrorKind::LimitExceeded { .. }),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(60));
    // Budget is replenished: ordinary URLs keep working afterwards.
    for _ in 0..3 {
        assert_eq!(e.find_proxy("http://light/", None).unwrap().raw, "DIRECT");
    }
}

/// Round 19. Browsers' engines define Annex B's `escape` and `unescape`,
/// which PAC files written for them use.
#[test]
fn the_browsers_legacy_builtins_are_there() {
    check(&[
        ("escape('a b/ä')", "a%20b/%E4"),
        ("unescape('%41%20b')", "A b"),
        ("typeof ''.substr", "function"),
    ]);
}
