//! Hostile peers: servers and proxies that misbehave on purpose. For each,
//! the verdict pathprobe must give, and a run that ends within its limits
//! with its report written.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use pathprobe_tests::lab::{
    DnsAnswer, TestCa, TlsFlaw, dns_server_with, drip_origin, endless_header_proxy,
    flawed_tls_origin, garbage_proxy, silent_server, tls_origin,
};
use pathprobe_tests::{check_json, stderr, stdout, write_catalog};

/// Runs `check` on `urls` (every name resolved to 127.0.0.1) with `extra`
/// flags; returns (url, verdict, evidence) per result and the wall time.
fn run(urls: &[String], extra: &[&str]) -> (Vec<(String, String, String)>, Duration) {
    let (v, elapsed) = report(urls, extra);
    (rows_of(&v), elapsed)
}

/// [`run`]'s whole JSON report.
fn report(urls: &[String], extra: &[&str]) -> (serde_json::Value, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let cat = write_catalog(dir.path(), &refs);
    let mut args = vec![cat.to_str().unwrap().to_owned()];
    for u in urls {
        let host = url_host(u);
        args.push("--resolve".into());
        args.push(format!("{host}=127.0.0.1"));
    }
    args.extend(extra.iter().map(ToString::to_string));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    // The first call builds the binary if needed: not part of the timing.
    let _ = pathprobe_tests::binary();
    let started = Instant::now();
    let (v, out) = check_json(&refs, "2");
    let elapsed = started.elapsed();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    (v, elapsed)
}

/// (url, verdict, evidence) per result of a report.
fn rows_of(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let evidence = r["attempts"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .flat_map(|x| x["evidence"].as_array().cloned().unwrap_or_default())
                        .map(|e| e.as_str().unwrap_or("").to_owned())
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            (
                r["url"].as_str().unwrap().to_owned(),
                r["verdict"].as_str().unwrap().to_owned(),
                evidence,
            )
        })
        .collect()
}

fn url_host(u: &str) -> String {
    u.split("://")
        .nth(1)
        .unwrap()
        .split(['/', ':'])
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn broken_certificates_are_untrusted_or_broken_handshakes() {
    let ca = TestCa::new("pathprobe hostile CA");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let cases = [
        (
            TlsFlaw::Expired,
            "expired.lab.test",
            "tls_untrusted",
            "expired",
        ),
        (
            TlsFlaw::WrongHost,
            "wronghost.lab.test",
            "tls_untrusted",
            "not valid for",
        ),
        (
            TlsFlaw::SelfSigned,
            "selfsigned.lab.test",
            "tls_untrusted",
            "the certificate is self-signed (its own issuer)",
        ),
        (
            TlsFlaw::WrongKey,
            "wrongkey.lab.test",
            "tls_handshake_failed",
            "",
        ),
        // Round 20: marked a CA, as `openssl req -x509` writes it; the hint
        // pointed at the clock.
        (
            TlsFlaw::SelfSignedCa,
            "selfca.lab.test",
            "tls_untrusted",
            "the certificate is self-signed (its own issuer)",
        ),
    ];
    let urls: Vec<String> = cases
        .iter()
        .map(|(flaw, host, _, _)| {
            let port = flawed_tls_origin(&ca, &[host], *flaw);
            format!("https://{host}:{port}/")
        })
        .collect();
    let (rows, elapsed) = run(&urls, &["--direct", "--ca-cert", ca_file.to_str().unwrap()]);
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert_eq!(rows.len(), cases.len(), "one row per case");
    for ((_, host, verdict, needle), (url, got, evidence)) in cases.iter().zip(&rows) {
        assert!(url.contains(host));
        assert_eq!(got, verdict, "{url}: {evidence}");
        assert!(evidence.contains(needle), "{url}: {evidence}");
    }
}

#[test]
fn hostile_proxies_and_origins_end_within_their_limits() {
    let ca = TestCa::new("pathprobe hostile CA");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let ca_arg = ca_file.to_str().unwrap().to_owned();

    // An origin that drips one byte a second: the HTTP phase limit (2 s) ends it.
    let drip = drip_origin(&ca, &["drip.lab.test"], Duration::from_secs(1));
    let (rows, elapsed) = run(
        &[format!("https://drip.lab.test:{drip}/")],
        &["--direct", "--ca-cert", &ca_arg],
    );
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
    assert_eq!(rows[0].1, "timeout", "{rows:?}");

    // Proxies: silent after accepting, garbage instead of TLS after 200, a
    // header that never ends. Each through `--proxy`.
    let cases = [
        (silent_server(), "proxy_unreachable"),
        (garbage_proxy(), "tls_handshake_failed"),
        (endless_header_proxy(), "proxy_unreachable"),
    ];
    for (port, expected) in cases {
        let proxy = format!("http://127.0.0.1:{port}");
        let (rows, elapsed) = run(
            &["https://behind.lab.test/".to_owned()],
            &["--proxy", &proxy, "--ca-cert", &ca_arg],
        );
        assert!(
            elapsed < Duration::from_secs(8),
            "{proxy}: took {elapsed:?}"
        );
        assert_eq!(rows[0].1, expected, "{proxy}: {rows:?}");
    }
}

#[test]
fn hostile_dns_answers_are_dns_failures_within_the_limit() {
    let dns = dns_server_with(
        [
            (
                "late.lab.test",
                DnsAnswer::Late(10_000, std::net::Ipv4Addr::LOCALHOST),
            ),
            ("truncated.lab.test", DnsAnswer::Truncated),
            ("loop.lab.test", DnsAnswer::CnameLoop),
            ("garbled.lab.test", DnsAnswer::Malformed),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    );
    let dir = tempfile::tempdir().unwrap();
    let urls = [
        "https://late.lab.test/",
        "https://truncated.lab.test/",
        "https://loop.lab.test/",
        "https://garbled.lab.test/",
    ];
    let cat = write_catalog(dir.path(), &urls);
    let _ = pathprobe_tests::binary();
    let dns = dns.to_string();
    let started = Instant::now();
    let out = pathprobe_tests::run_with_env(
        [
            "check",
            cat.to_str().unwrap(),
            "--only-given",
            "--no-env",
            "--direct",
            "--dns-server",
            &dns,
            "--phase-timeout",
            "2",
            "--format",
            "json",
        ],
        &[],
    );
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "dns_failure", "{r}");
    }
    let late = &v["results"][0]["attempts"][0]["evidence"];
    assert!(late.to_string().contains("timeout"), "{late}");
    // An answer that cannot be read is the server's, not this machine's.
    let garbled = &v["results"][3];
    assert!(
        garbled["attempts"][0]["evidence"]
            .to_string()
            .contains("an answer that cannot be read"),
        "{garbled}"
    );
    assert!(
        !garbled["hint"]
            .as_str()
            .unwrap()
            .contains("on this machine"),
        "{garbled}"
    );
}

/// Runs `check` on `urls` through the PAC at `pac` (a path or URL); returns
/// the parsed report and the wall time.
fn run_with_pac(urls: &[String], pac: &str) -> (serde_json::Value, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let cat = write_catalog(dir.path(), &refs);
    let mut args = vec![
        cat.to_str().unwrap().to_owned(),
        "--pac".to_owned(),
        pac.to_owned(),
    ];
    for u in urls {
        args.push("--resolve".into());
        args.push(format!("{}=127.0.0.1", url_host(u)));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let _ = pathprobe_tests::binary();
    let started = Instant::now();
    let (v, out) = check_json(&refs, "2");
    let elapsed = started.elapsed();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    (v, elapsed)
}

#[test]
fn a_pac_that_allocates_without_bound_is_stopped_and_the_run_goes_on() {
    // DIRECT for one host; for every other, a string that doubles forever (a
    // few instructions per gigabyte: no instruction budget catches it).
    let origin = pathprobe_tests::serve_http(Some("text/plain"), b"ok".to_vec());
    let dir = tempfile::tempdir().unwrap();
    let pac = dir.path().join("bomb.pac");
    std::fs::write(
        &pac,
        r#"function FindProxyForURL(url, host) {
            if (host == "fine.lab.test") return "DIRECT";
            var s = "xxxxxxxxxxxxxxxx";
            while (true) { s = s + s; }
        }"#,
    )
    .unwrap();
    let urls: Vec<String> = ["fine", "a", "b", "c", "d"]
        .iter()
        .map(|h| format!("http://{h}.lab.test:{origin}/"))
        .collect();
    let (v, elapsed) = run_with_pac(&urls, pac.to_str().unwrap());
    // Three stops of about a second each, then the script is not run again.
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    let results = v["results"].as_array().unwrap();
    let row = |host: &str| {
        results
            .iter()
            .find(|r| r["url"].as_str().unwrap().contains(&format!("//{host}.")))
            .unwrap_or_else(|| panic!("{host} missing: {v}"))
    };
    // The worker that blew up is replaced: the one good host still works.
    assert_eq!(row("fine")["verdict"], "ok", "{v}");
    for host in ["a", "b", "c"] {
        let r = row(host);
        assert_eq!(r["verdict"], "no_route", "{r}");
        let hint = r["hint"].as_str().unwrap();
        assert!(
            hint.contains("reached the PAC engine's memory limit (1024 MiB) and was stopped"),
            "{hint}"
        );
    }
    let hint = row("d")["hint"].as_str().unwrap().to_owned();
    assert!(
        hint.contains("not evaluated: the script was stopped 3 times"),
        "{hint}"
    );
}

#[test]
fn a_pac_that_loops_in_native_code_is_killed_at_its_deadline() {
    // `fill` runs a billion iterations inside one built-in call, where the
    // engine cannot check its deadline: the parent kills the worker.
    let origin = pathprobe_tests::serve_http(Some("text/plain"), b"ok".to_vec());
    let dir = tempfile::tempdir().unwrap();
    let pac = dir.path().join("spin.pac");
    std::fs::write(
        &pac,
        r#"function FindProxyForURL(url, host) {
            if (host == "fine.lab.test") return "DIRECT";
            new Array(1e9).fill(0);
            return "DIRECT";
        }"#,
    )
    .unwrap();
    let urls = vec![
        format!("http://fine.lab.test:{origin}/"),
        format!("http://spin.lab.test:{origin}/"),
    ];
    let (v, elapsed) = run_with_pac(&urls, pac.to_str().unwrap());
    // The engine's 5 s evaluation limit plus the parent's 2 s grace.
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    let results = v["results"].as_array().unwrap();
    let spin = results
        .iter()
        .find(|r| r["url"].as_str().unwrap().contains("//spin."))
        .unwrap();
    assert_eq!(spin["verdict"], "no_route", "{spin}");
    assert!(
        spin["hint"]
            .as_str()
            .unwrap()
            .contains("did not finish within 5s"),
        "{spin}"
    );
    let fine = results
        .iter()
        .find(|r| r["url"].as_str().unwrap().contains("//fine."))
        .unwrap();
    assert_eq!(fine["verdict"], "ok", "{fine}");
}

/// Serves `size` bytes of PAC-looking text with no Content-Length, so only
/// the reader's own count can stop it.
fn endless_pac_server(size: usize) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ns-proxy-autoconfig\r\nConnection: close\r\n\r\n",
                );
                let _ = stream
                    .write_all(b"function FindProxyForURL(url, host) { return \"DIRECT\"; }\n");
                let chunk =
                    "// padding padding padding padding padding padding padding\n".repeat(1024);
                let mut sent = 0;
                while sent < size {
                    if stream.write_all(chunk.as_bytes()).is_err() {
                        return;
                    }
                    sent += chunk.len();
                }
            });
        }
    });
    port
}

#[test]
fn a_50_mb_pac_is_refused_at_the_size_limit_and_the_run_goes_on() {
    let origin = pathprobe_tests::serve_http(Some("text/plain"), b"ok".to_vec());
    let pac_port = endless_pac_server(50 * 1024 * 1024);
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &[&format!("http://fine.lab.test:{origin}/")]);
    let _ = pathprobe_tests::binary();
    let started = Instant::now();
    let out = pathprobe_tests::run_with_env(
        [
            "check",
            cat.to_str().unwrap(),
            "--only-given",
            "--no-env",
            "--pac",
            &format!("http://127.0.0.1:{pac_port}/proxy.pac"),
        ],
        &[],
    );
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    // The PAC was given on the command line: an input error naming the limit,
    // never a silent direct run.
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the PAC cannot be fetched") && err.contains("larger than the limit"),
        "{err}"
    );
}

#[test]
fn a_proxy_refusing_a_plain_http_url_is_not_the_origin_answering() {
    // The vendor's CRL rows accept any status: a proxy's 403 or 502 was
    // taken for the origin's answer and reported ok; so was a transparent
    // squid's error page on a direct route.
    let cases: [(&str, &'static str, &str); 11] = [
        // Round 21: a 407 with its challenge on a direct route is a proxy
        // in the path asking to be authenticated (it was ok).
        (
            "direct",
            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_auth_required",
        ),
        // The product's own login redirect, though it carries `Via`: a
        // sign-in page is authentication (round 18).
        (
            "proxy",
            "HTTP/1.1 302 Found\r\nServer: Zscaler/6.2\r\nVia: 1.1 zscaler\r\nLocation: https://gateway.zscaler.net/auth?origurl=x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_auth_required",
        ),
        // A refusal and a redirect to a login page with no product named
        // and no `Via`: the proxy's own, or the service's relayed by a
        // proxy that adds no `Via`; failed either way, with who wrote them
        // said as unsure (both were ok; round 19).
        (
            "proxy",
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_denied",
        ),
        (
            "proxy",
            "HTTP/1.1 302 Found\r\nLocation: http://login.corp.test/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_auth_required",
        ),
        (
            "proxy",
            "HTTP/1.1 302 Found\r\nLocation: http://block.corp.test/denied.html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_denied",
        ),
        // The origin's 403 relayed by the proxy (with `Via`): the service answered.
        (
            "proxy",
            "HTTP/1.1 403 Forbidden\r\nVia: 1.1 proxy.corp.test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "ok",
        ),
        // An interim answer first: the final one is the answer (the 100
        // was taken for it, and the refusal reported ok).
        (
            "proxy",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_denied",
        ),
        (
            "proxy",
            "HTTP/1.1 403 Forbidden\r\nServer: tinyproxy/1.11.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_denied",
        ),
        (
            "proxy",
            "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_denied",
        ),
        (
            "direct",
            "HTTP/1.1 403 Forbidden\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "proxy_denied",
        ),
        // The origin's own 403, with nothing of a proxy: the service answered.
        (
            "direct",
            "HTTP/1.1 403 Forbidden\r\nServer: nginx\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "ok",
        ),
    ];
    for (route, head, verdict) in cases {
        let port = pathprobe_tests::answering(head);
        let (url, flags): (String, Vec<String>) = if route == "proxy" {
            (
                "http://crl.lab.test/pki/crl.crl".into(),
                vec!["--proxy".into(), format!("http://127.0.0.1:{port}")],
            )
        } else {
            (
                format!("http://crl.lab.test:{port}/pki/crl.crl"),
                vec!["--direct".into()],
            )
        };
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let (rows, _) = run(&[url], &flags);
        assert_eq!(rows[0].1, verdict, "{route} {head:?}: {rows:?}");
    }
}

#[test]
fn a_proxy_answer_is_a_refusal_only_when_it_refuses() {
    // (route, the peer's answer, verdict, words the hint must hold). The
    // answers to CONNECT and the squid codes that refuse nothing were all
    // "refused this destination: add the URL to its allow list"; an
    // origin's 504 or 407 relayed by squid was squid's.
    let cases: [(&str, &str, &str, &str); 10] = [
        // A redirect to the destination itself is no block page either.
        (
            "connect",
            "HTTP/1.1 302 Found\r\nLocation: https://gw.lab.test/\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            "refuses no destination",
        ),
        // What the destination did, as squid reports it (round 20: it was
        // squid's proxy_denied).
        (
            "connect",
            "HTTP/1.1 502 Bad Gateway\r\nServer: squid\r\nX-Squid-Error: ERR_ZERO_SIZE_OBJECT 0\r\nContent-Length: 0\r\n\r\n",
            "tcp_reset",
            "without answering",
        ),
        // A redirect to nowhere is no block page.
        (
            "connect",
            "HTTP/1.1 302 Found\r\nLocation: \r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            "refuses no destination",
        ),
        (
            "connect",
            "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            "does not take this request",
        ),
        (
            "connect",
            "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            "limits how fast",
        ),
        (
            "connect",
            "HTTP/1.1 403 Forbidden\r\nServer: squid\r\nX-Squid-Error: ERR_TOO_BIG 0\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            "refuses no destination",
        ),
        // A 100 before the 200 is no tunnel: curl and Chromium stop there.
        (
            "connect",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 Connection established\r\n\r\n",
            "proxy_unreachable",
            "",
        ),
        // The origin's (a CDN's) 504 relayed with Via: the endpoint's
        // answer, not "no answer in time beyond the proxy".
        (
            "plain",
            "HTTP/1.1 504 Gateway Timeout\r\nServer: cloudfront\r\nVia: 1.1 squid.test (squid/5.7)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "ok",
            "",
        ),
        // An origin's 407 relayed by squid: no challenge of the proxy's.
        (
            "plain",
            "HTTP/1.1 407 Proxy Authentication Required\r\nVia: 1.1 squid.test (squid/5.7)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "ok",
            "",
        ),
        // The refusal stays one.
        (
            "connect",
            "HTTP/1.1 403 Forbidden\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            "add the URL to its allow list",
        ),
    ];
    for (kind, answer, verdict, words) in cases {
        let port = pathprobe_tests::answering(answer);
        let url = if kind == "connect" {
            "https://gw.lab.test/".to_owned()
        } else {
            "http://crl.lab.test/pki/crl.crl".to_owned()
        };
        let proxy = format!("http://127.0.0.1:{port}");
        let (v, _) = report(&[url], &["--proxy", &proxy]);
        let r = &v["results"][0];
        assert_eq!(r["verdict"], verdict, "{answer:?}: {r:#}");
        let hint = r["hint"].as_str().unwrap();
        assert!(hint.contains(words), "{answer:?}: {hint}");
        if verdict == "proxy_denied" && !words.contains("allow list") {
            assert!(!hint.contains("allow list"), "{answer:?}: {hint}");
            // No finding promises a rule, and `fix` writes none.
            let finding = &v["findings"][0];
            assert!(finding["fix"].is_null(), "{finding:#}");
            assert!(
                !finding["action"].as_str().unwrap().contains("allow list"),
                "{finding:#}"
            );
        }
    }
}

#[test]
fn what_a_proxy_met_beyond_itself_gets_no_rule_on_it_nor_around_it() {
    // squid reporting the destination refused its connection: the verdict
    // is the destination's, and `fix` writes no squid allow rule (squid
    // refused nothing) and no DIRECT route around it.
    let port = pathprobe_tests::answering(
        "HTTP/1.1 503 Service Unavailable\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\nContent-Length: 0\r\n\r\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("report.json");
    let spec = format!("json={}", saved.display());
    let proxy = format!("http://127.0.0.1:{port}");
    let (v, _) = report(
        &["http://gone.lab.test/".to_owned()],
        &["--proxy", &proxy, "--output", &spec],
    );
    assert_eq!(v["results"][0]["verdict"], "tcp_refused", "{v:#}");
    for form in ["squid", "pac", "domains"] {
        let out = pathprobe_tests::run(["fix", saved.to_str().unwrap(), "--as", form]);
        assert!(
            !stdout(&out).contains("gone.lab.test"),
            "{form}: {}",
            stdout(&out)
        );
    }
    let out = pathprobe_tests::run(["fix", saved.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("No rule to add: gone.lab.test:80 refused the connection"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn what_a_peer_sends_is_quoted_briefly_without_terminal_escapes() {
    // A proxy's block page titled with escape sequences, and 5,000 more
    // characters: raw into the table, markdown and CSV before.
    let title = format!("\u{1b}]0;owned\u{7}Blocked {}", "A".repeat(5000));
    let body = format!("<html><title>{title}</title></html>");
    let head: &'static str = Box::leak(
        format!(
            "HTTP/1.1 403 Forbidden\r\nServer: squid/5.7\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_boxed_str(),
    );
    let port = pathprobe_tests::answering(head);
    let (rows, _) = run(
        &["https://blocked.lab.test/".to_owned()],
        &["--proxy", &format!("http://127.0.0.1:{port}")],
    );
    let (_, verdict, evidence) = &rows[0];
    assert_eq!(verdict, "proxy_denied", "{evidence}");
    assert!(
        !evidence.contains('\u{1b}') && !evidence.contains('\u{7}'),
        "{evidence:?}"
    );
    assert!(evidence.contains("<U+001B>"), "{evidence}");
    assert!(evidence.len() < 5000, "{} bytes", evidence.len());
}

/// Text planted in inputs (a catalog's category and prose row, a PAC's
/// answer and exception, a bypass list, a bundle's manifest) never reaches
/// stdout, stderr or an output file as a control sequence: escape
/// sequences, bells and carriage returns are written out as `\u{..}`
/// whatever the command and format.
#[test]
fn no_input_reaches_an_output_as_a_control_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    // Escape sequences, a bell, a carriage return, and a right-to-left
    // override that would show the rest reversed.
    let planted = "\u{1b}[31mred\u{1b}]0;title\u{7}\r\u{202e}desrever";
    let closed = pathprobe_tests::closed_port();
    let mut csv = csv::Writer::from_path(p("cat.csv")).unwrap();
    csv.write_record(["url", "category", "required"]).unwrap();
    csv.write_record([
        format!("https://closed.lab.test:{closed}/"),
        planted.to_owned(),
        "yes".into(),
    ])
    .unwrap();
    csv.write_record([
        format!("see {planted} below"),
        planted.to_owned(),
        "yes".into(),
    ])
    .unwrap();
    csv.flush().unwrap();
    std::fs::write(
        p("answer.pac"),
        "function FindProxyForURL(u, h) { return \"PROXY \\x1b[31mevil:80\\r; DIRECT\"; }",
    )
    .unwrap();
    std::fs::write(
        p("throw.pac"),
        "function FindProxyForURL(u, h) { throw new Error(\"\\x1b]0;title\\x07 oops\"); }",
    )
    .unwrap();
    std::fs::write(
        p("environment"),
        format!("no_proxy=\".corp.test,{planted}\"\nhttps_proxy=http://127.0.0.1:{closed}\n"),
    )
    .unwrap();
    std::fs::write(p("list.txt"), "https://a.corp.test/\n").unwrap();

    let cat = p("cat.csv").display().to_string();
    let resolve = "closed.lab.test=127.0.0.1".to_owned();
    let mut runs: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |what: &str, args: &[&str]| {
        runs.push((
            what.to_owned(),
            args.iter().map(ToString::to_string).collect(),
        ));
    };
    add("urls list", &["urls", "list", &cat]);
    add("urls export", &["urls", "export", &cat, "--as", "csv"]);
    let formats = [
        "table",
        "csv",
        "prometheus",
        "html",
        "markdown",
        "lines",
        "junit",
        "json",
    ];
    let specs: Vec<String> = formats
        .iter()
        .map(|f| format!("{f}={}", p(&format!("out.{f}")).display()))
        .collect();
    let mut check = vec![
        "check",
        &cat,
        "--only-given",
        "--no-env",
        "--direct",
        "--resolve",
        &resolve,
        "--deadline",
        "20",
    ];
    for s in &specs {
        check.extend(["--output", s.as_str()]);
    }
    add("check", &check);
    let saved = p("out.json").display().to_string();
    for pac in ["answer.pac", "throw.pac"] {
        let pac = p(pac).display().to_string();
        for format in ["table", "raw", "csv"] {
            add(
                &format!("pac eval {format}"),
                &[
                    "pac",
                    "eval",
                    "-p",
                    &pac,
                    "-u",
                    "https://x.corp.test/",
                    "--no-dns",
                    "--format",
                    format,
                ],
            );
        }
    }
    let environment = p("environment").display().to_string();
    let list = p("list.txt").display().to_string();
    add(
        "proxy explain",
        &[
            "proxy",
            "explain",
            "--only-given",
            "--no-env",
            "--etc-environment",
            &environment,
            "--urls",
            &list,
        ],
    );
    for (what, args) in &runs {
        let out = pathprobe_tests::run_within(args, Duration::from_secs(60));
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{what}: {}",
            stderr(&out)
        );
        for (stream, text) in [("stdout", stdout(&out)), ("stderr", stderr(&out))] {
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']),
                "{what}: {stream} carries a control sequence: {text:?}"
            );
        }
    }
    // The run saw the planted text. The JSON report keeps it whole, its
    // hidden characters escaped the JSON way (round 21: `<U+001B>` was
    // written in their place), and so does its rendering again as JSON.
    let json_text = std::fs::read_to_string(&saved).unwrap();
    let categories = |text: &str| -> Vec<String> {
        let report: serde_json::Value = serde_json::from_str(text).unwrap();
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["category"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(
        categories(&json_text).contains(&planted.to_owned()),
        "{json_text}"
    );
    assert!(json_text.contains("\\u202e"), "{json_text}");
    let again = pathprobe_tests::run_within(
        ["report", "render", &saved, "--format", "json"],
        Duration::from_secs(60),
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(categories(&stdout(&again)), categories(&json_text));
    for f in formats {
        let text = std::fs::read_to_string(p(&format!("out.{f}"))).unwrap();
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}']),
            "out.{f}: {text:?}"
        );
        // The vendor's lines and the Markdown summary name no category;
        // JSON keeps it whole (above).
        if !["lines", "markdown", "json"].contains(&f) {
            assert!(
                text.contains("U+001B") && text.contains("U+202E"),
                "out.{f} lost the category: {text}"
            );
        }
    }
}

/// An `https://` proxy that does not speak TLS (it answers in clear): the
/// proxy fails, for plain-http destinations too; not each endpoint's TLS.
#[test]
fn an_https_proxy_without_tls_is_the_proxys_failure() {
    let port = pathprobe_tests::answering("HTTP/1.1 200 OK\r\n\r\n");
    let urls = [
        "https://svc.lab.test/a".to_owned(),
        "http://plain.lab.test/b".to_owned(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let cat = write_catalog(dir.path(), &refs);
    let proxy = format!("https://127.0.0.1:{port}");
    let (v, out) = check_json(&[cat.to_str().unwrap(), "--proxy", &proxy], "2");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "proxy_unreachable", "{r:#}");
        assert!(
            r["attempts"][0]["evidence"]
                .to_string()
                .contains("the TLS handshake with it failed"),
            "{r:#}"
        );
    }
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["kind"], "proxy_unreachable");
    assert_eq!(findings[0]["component"], format!("HTTPS 127.0.0.1:{port}"));
    assert_eq!(findings[0]["endpoints"].as_array().unwrap().len(), 2);
    // `fix` has no rule for a proxy that is down, and says what to do
    // instead of "no change is needed".
    let saved = dir.path().join("report.json");
    std::fs::write(&saved, &out.stdout).unwrap();
    let fix = pathprobe_tests::run(["fix", saved.to_str().unwrap()]);
    let text = stdout(&fix);
    assert!(!text.contains("no change is needed"), "{text}");
    assert!(
        text.contains("Finding 1: [proxy_unreachable]")
            && text.contains("No rule to add: check the proxy's address"),
        "{text}"
    );
}

/// A proxy whose page names an `Authorization:` header: redaction takes
/// the value and nothing after it, so every report format keeps its
/// structure (the closing quote of a JSON string, a CSV field, an HTML tag
/// were eaten), and a saved report reads back in `report render` and `fix`.
#[test]
fn redaction_keeps_every_report_format_whole() {
    let page = "<html><title>Denied: no Authorization: Bearer header sent, Proxy-Authorization: Basic Ym9iOmh1bnRlcjI= either</title></html>";
    let head = format!(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{page}",
        page.len()
    );
    let port = pathprobe_tests::answering(head);
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(
        dir.path(),
        &["http://blocked.lab.test/", "http://also.lab.test/"],
    );
    let p = |name: &str| dir.path().join(name).display().to_string();
    let outputs = [
        format!("json={}", p("r.json")),
        format!("csv={}", p("r.csv")),
        format!("html={}", p("r.html")),
        format!("junit={}", p("r.xml")),
    ];
    let proxy = format!("http://127.0.0.1:{port}");
    let mut args = vec![cat.to_str().unwrap(), "--proxy", proxy.as_str()];
    for o in &outputs {
        args.extend(["--output", o.as_str()]);
    }
    let (v, out) = check_json(&args, "2");
    assert_eq!(
        v["results"][0]["verdict"],
        "proxy_denied",
        "{}",
        stderr(&out)
    );
    let evidence = v["results"][0]["attempts"][0]["evidence"].to_string();
    assert!(
        !evidence.contains("Ym9iOmh1bnRlcjI") && evidence.contains("Proxy-Authorization:"),
        "{evidence}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("r.json")).unwrap()).unwrap();
    assert_eq!(saved["results"].as_array().unwrap().len(), 2);
    let csv_text = std::fs::read_to_string(p("r.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let width = reader.headers().unwrap().len();
    for record in reader.records() {
        assert_eq!(record.unwrap().len(), width, "{csv_text}");
    }
    let html = std::fs::read_to_string(p("r.html")).unwrap();
    assert_eq!(
        html.matches("<tr").count(),
        html.matches("</tr>").count(),
        "{html}"
    );
    pathprobe_tests::peers::assert_jenkins_junit("redaction", &[&dir.path().join("r.xml")]);
    for command in [&["report", "render"][..], &["fix"][..]] {
        let mut argv: Vec<String> = command.iter().map(ToString::to_string).collect();
        argv.push(p("r.json"));
        let out = pathprobe_tests::run(&argv);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{command:?}: {}",
            stderr(&out)
        );
    }
}

/// A proxy that answers CONNECT with its 200 and more bytes in the same
/// packet: those bytes belong to the tunnel, and TLS fails on them as a
/// client's would (the rest of the packet was dropped and the probe passed).
#[test]
fn bytes_after_a_connect_answer_belong_to_the_tunnel() {
    for reply in [
        "HTTP/1.1 200 Connection established\r\n\r\nGARBAGE!",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    ] {
        let port = pathprobe_tests::answering(reply);
        let (rows, _) = run(
            &["https://svc.lab.test/".to_owned()],
            &["--proxy", &format!("http://127.0.0.1:{port}")],
        );
        let (_, verdict, evidence) = &rows[0];
        assert_eq!(verdict, "tls_handshake_failed", "{reply:?}: {evidence}");
    }
}

/// Heads whose lines end in a bare LF are read (RFC 9112, 2.2; curl does):
/// not "did not answer", not "not HTTP".
#[test]
fn heads_with_bare_line_feeds_are_answers() {
    let origin = pathprobe_tests::answering("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
    let (rows, _) = run(&[format!("http://plain.lab.test:{origin}/")], &["--direct"]);
    assert_eq!(rows[0].1, "ok", "{:?}", rows[0]);
    // Through a proxy, a plain-http request: the proxy's LF answer relayed.
    let (rows, _) = run(
        &["http://plain.lab.test/".to_owned()],
        &["--proxy", &format!("http://127.0.0.1:{origin}")],
    );
    assert_eq!(rows[0].1, "ok", "{:?}", rows[0]);
}

/// An origin that demands a client certificate (Python's ssl, as a real
/// mutual-TLS server) is a TLS failure that says so, not a wrong status;
/// one that closes without answering is a cut connection, said in words
/// (no rustls manual link), not a status either.
#[test]
fn no_answer_at_all_is_never_an_unexpected_status() {
    let ca = TestCa::new("pathprobe lab CA");
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    ca.write_leaf(&["mtls.lab.test"], &p("chain.pem"), &p("key.pem"));
    ca.write_pem(&p("ca.pem"));
    let script = r#"
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.load_verify_locations(sys.argv[3])
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    try:
        t = ctx.wrap_socket(c, server_side=True)
        t.recv(1024)
    except Exception:
        pass
    finally:
        c.close()
"#;
    let mut server = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(p("chain.pem"))
        .arg(p("key.pem"))
        .arg(p("ca.pem"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let port: u16 = line.trim().parse().unwrap();
    let ca_file = p("ca.pem").display().to_string();
    let (rows, _) = run(
        &[format!("https://mtls.lab.test:{port}/")],
        &["--direct", "--ca-cert", &ca_file],
    );
    let _ = server.kill();
    let _ = server.wait();
    let (_, verdict, evidence) = &rows[0];
    assert_eq!(verdict, "tls_handshake_failed", "{evidence}");
    assert!(
        evidence.contains("requires a client certificate"),
        "{evidence}"
    );

    let silent = pathprobe_tests::answering("");
    let (rows, _) = run(&[format!("http://quiet.lab.test:{silent}/")], &["--direct"]);
    let (_, verdict, evidence) = &rows[0];
    assert_eq!(verdict, "tcp_reset", "{evidence}");
    assert!(
        evidence.contains("without a reset") && !evidence.contains("docs.rs"),
        "{evidence}"
    );
}

/// A proxy answering CONNECT with `101 Switching Protocols`, or with a
/// status line of another HTTP version, gives no tunnel and refuses nothing.
/// Round 18: nor does a 2xx other than 200, on which Chromium fails
/// (ERR_TUNNEL_CONNECTION_FAILED) where curl goes on.
#[test]
fn no_tunnel_answers_are_not_refusals() {
    for reply in [
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
        "HTTP/2 200\r\n\r\n",
        "HTTP/0.9 200 OK\r\n\r\n",
        "HTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
    ] {
        let port = pathprobe_tests::answering(reply);
        let (rows, _) = run(
            &["https://svc.lab.test/".to_owned()],
            &["--proxy", &format!("http://127.0.0.1:{port}")],
        );
        assert_eq!(rows[0].1, "proxy_unreachable", "{reply:?}: {:?}", rows[0]);
    }
}

/// A block page that echoes the proxy password as HTML escapes it (`&` is
/// `&amp;`), or in hex, or percent-encoded byte by byte: the title is read
/// as a browser shows it, and every such form is redacted.
#[test]
fn a_password_echoed_in_any_encoding_is_redacted() {
    for shown in [
        "Tr0ub4dor&amp;3zebra",
        "Tr0ub4dor&#38;3zebra",
        "%54%72%30%75%62%34%64%6f%72%26%33%7a%65%62%72%61",
        "547230756234646f7226337a65627261",
    ] {
        let page = format!("<html><title>Denied: {shown}</title></html>");
        let reply = format!(
            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{page}",
            page.len()
        );
        let port = pathprobe_tests::answering(reply);
        let (rows, _) = run(
            &["http://blocked.lab.test/".to_owned()],
            &[
                "--proxy",
                &format!("http://127.0.0.1:{port}"),
                "--proxy-user",
                "alice:Tr0ub4dor&3zebra",
            ],
        );
        let (_, verdict, evidence) = &rows[0];
        assert_eq!(verdict, "proxy_denied", "{evidence}");
        for leak in ["Tr0ub4dor", "%54%72%30", "5472307562"] {
            assert!(!evidence.contains(leak), "{shown}: {evidence}");
        }
    }
}

/// Round 13. A proxy's gateway error is what the proxy met beyond itself,
/// when it says what (squid's `X-Squid-Error`, a 504): the destination's
/// refusal or silence, never a refusal by the proxy with allow-list advice.
/// A gateway error that does not say claims nothing.
#[test]
fn a_proxys_gateway_error_is_what_it_met_not_a_refusal() {
    for (reply, verdict, words) in [
        (
            "HTTP/1.1 503 Service Unavailable\r\nServer: squid\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\nContent-Length: 0\r\n\r\n",
            "tcp_refused",
            "the destination refused the connection (503 Service Unavailable, X-Squid-Error: ERR_CONNECT_FAIL 111)",
        ),
        (
            "HTTP/1.1 503 Service Unavailable\r\nServer: squid\r\nX-Squid-Error: ERR_DNS_FAIL 0\r\nContent-Length: 0\r\n\r\n",
            "dns_failure",
            "the proxy could not resolve the name",
        ),
        (
            "HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 0\r\n\r\n",
            "tcp_timeout",
            "no answer from the destination in time (504 Gateway Timeout)",
        ),
        (
            "HTTP/1.1 502 Bad Gateway\r\nServer: squid\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            "answer: 502 Bad Gateway",
        ),
    ] {
        let port = pathprobe_tests::answering(reply);
        for url in ["https://svc.lab.test/", "http://svc.lab.test/"] {
            let (v, _) = report(
                &[url.to_owned()],
                &["--proxy", &format!("http://127.0.0.1:{port}")],
            );
            let r = &v["results"][0];
            // Round 24: a bare 504 to a plain-http request may be the
            // service's, relayed without Via: unsure, as a bare 502 is.
            if url.starts_with("http:") && reply.starts_with("HTTP/1.1 504") {
                assert_eq!(r["verdict"], "proxy_denied", "{r:#}");
                assert!(r.to_string().contains("attribution: unsure"), "{r:#}");
                continue;
            }
            assert_eq!(r["verdict"], verdict, "{reply:?} {url}: {r:#}");
            assert!(
                r["attempts"][0]["evidence"].to_string().contains(words),
                "{reply:?} {url}: {r:#}"
            );
            let hint = r["hint"].as_str().unwrap();
            assert!(!hint.contains("allow list"), "{reply:?} {url}: {hint}");
        }
    }
}

/// Round 13. A PAC script stopped by a limit gives its URLs no route: the
/// verdict says so (`no_route`), not that a proxy could not be reached. An
/// answer no client can read (round 18: Chromium then connects directly)
/// is probed DIRECT. An answer of any length is quoted briefly everywhere
/// it is told.
#[test]
fn a_failing_pac_is_no_route_and_its_answer_is_told_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let recursing = dir.path().join("recursing.pac");
    std::fs::write(
        &recursing,
        "function FindProxyForURL(u, h) { function f() { return f() + 1; } return f(); }\n",
    )
    .unwrap();
    let huge = dir.path().join("huge.pac");
    std::fs::write(
        &huge,
        "function FindProxyForURL(u, h) { if (h == \"g.lab.test\") return \"x\".repeat(3000000); return \"DIRECT\"; }\n",
    )
    .unwrap();
    let cat = write_catalog(dir.path(), &["https://g.lab.test/"]);
    for pac in [&recursing, &huge] {
        let (v, out) = check_json(
            &[cat.to_str().unwrap(), "--pac", pac.to_str().unwrap()],
            "2",
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let r = &v["results"][0];
        if pac == &recursing {
            assert_eq!(r["verdict"], "no_route", "{r:#}");
        } else {
            assert_eq!(r["attempts"][0]["route"]["type"], "direct", "{r:#}");
            assert!(
                r["route_source"]
                    .as_str()
                    .unwrap()
                    .contains("no route list comes near 65536"),
                "{r:#}"
            );
        }
        // Bounded in the report as on the terminal.
        assert!(out.stdout.len() < 64 * 1024, "{} bytes", out.stdout.len());
        assert!(!v.to_string().contains(&"x".repeat(1000)));
    }
    let out = pathprobe_tests::run([
        "pac",
        "eval",
        "-p",
        huge.to_str().unwrap(),
        "-u",
        "https://g.lab.test/",
        "--format",
        "json",
    ]);
    assert!(out.stdout.len() < 64 * 1024, "{} bytes", out.stdout.len());
    assert!(
        stdout(&out).contains("no route list comes near 65536"),
        "{}",
        stdout(&out)
    );
}

/// Round 18. An answer that holds no route a client can read (empty,
/// `null`, entries parted by commas) or a script that throws: Chromium
/// connects directly (its netlog says DIRECT), so the URL is probed DIRECT
/// and reached, and the run says the script is wrong.
#[test]
fn a_pac_answer_no_client_can_use_is_probed_direct_as_clients_do() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["*.lab.test"], 200);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let pac = dir.path().join("broken.pac");
    std::fs::write(
        &pac,
        "function FindProxyForURL(u, h) {\n  if (h == \"empty.lab.test\") return \"\";\n  if (h == \"null.lab.test\") return null;\n  if (h == \"comma.lab.test\") return \"PROXY 127.0.0.1:9, DIRECT\";\n  throw new Error(\"no rule\");\n}\n",
    )
    .unwrap();
    let hosts = ["empty", "null", "comma", "throw"];
    let urls: Vec<String> = hosts
        .iter()
        .map(|h| format!("https://{h}.lab.test:{origin}/"))
        .collect();
    let cat = write_catalog(
        dir.path(),
        &urls.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--pac",
            pac.to_str().unwrap(),
            "--ca-cert",
            ca_file.to_str().unwrap(),
            "--resolve",
            "*.lab.test=127.0.0.1",
            "--no-control",
        ],
        "3",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (r, host) in v["results"].as_array().unwrap().iter().zip(hosts) {
        assert_eq!(r["verdict"], "ok", "{host}: {r:#}");
        assert_eq!(r["attempts"][0]["route"]["type"], "direct", "{host}: {r:#}");
        assert!(
            r["route_source"]
                .as_str()
                .unwrap()
                .contains("a client then connects directly (Chromium does)"),
            "{host}: {r:#}"
        );
    }
    assert!(
        v["warnings"]
            .to_string()
            .contains("the PAC gave no usable route for 4 URL(s)"),
        "{:#}",
        v["warnings"]
    );
    // pac eval and lint say what a client does with such an answer.
    let eval = pathprobe_tests::run([
        "pac",
        "eval",
        "-p",
        pac.to_str().unwrap(),
        "-u",
        "https://null.lab.test/",
        "--format",
        "json",
    ]);
    assert!(
        stdout(&eval).contains("returned null, not a string; a client then connects directly"),
        "{}",
        stdout(&eval)
    );
    let lint = pathprobe_tests::run(["pac", "lint", pac.to_str().unwrap(), "--format", "json"]);
    assert!(
        stdout(&lint).contains("clients then connect directly (Chromium does)"),
        "{}",
        stdout(&lint)
    );
}

/// Round 13. Text from a catalog cell cannot start a line of pathprobe's
/// own on stderr: a message's later lines are indented under it.
#[test]
fn a_line_break_in_an_input_cannot_forge_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("lf.json");
    std::fs::write(
        &feed,
        serde_json::json!([{"id": 1, "serviceArea": "A", "tcpPorts": "443",
            "urls": ["ok.example.com", "x\npathprobe: error: catalog signature invalid"]}])
        .to_string(),
    )
    .unwrap();
    for format in ["text", "domains", "csv"] {
        let out = pathprobe_tests::run(["urls", "export", feed.to_str().unwrap(), "--as", format]);
        let said = stderr(&out);
        assert!(said.contains("left out"), "{said}");
        for line in said.lines() {
            assert!(
                line.starts_with("pathprobe: warning: ") || line.starts_with("    "),
                "{format}: a forged line: {line:?}\n{said}"
            );
        }
        assert!(!said.contains("\npathprobe: error"), "{said}");
    }
}

/// Round 13. What a catalog export says of its hosts is what the catalog
/// says (needed, not "blocked"); a per-tenant pattern is squid's `.domain`
/// form; address blocks alone are not "an empty list"; a block with bits
/// past its prefix, or one wider than a service holds, is said.
#[test]
fn exports_say_what_the_catalog_says() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.json");
    std::fs::write(
        &feed,
        serde_json::json!([
            {"id": 1, "serviceArea": "A", "tcpPorts": "443",
             "urls": ["autodiscover.*.onmicrosoft.com", "a.example.com"]},
            {"id": 2, "serviceArea": "A", "tcpPorts": "443",
             "ips": ["10.0.0.1/8", "0.0.0.0/0"]}
        ])
        .to_string(),
    )
    .unwrap();
    let export = |format: &str| {
        pathprobe_tests::run(["urls", "export", feed.to_str().unwrap(), "--as", format])
    };
    let squid = stdout(&export("squid"));
    assert!(squid.contains("\n.onmicrosoft.com\n"), "{squid}");
    assert!(!squid.contains("*."), "{squid}");
    let out = export("text");
    let ticket = stdout(&out);
    assert!(
        ticket.contains("The service needs these destinations"),
        "{ticket}"
    );
    assert!(!ticket.contains("were blocked"), "{ticket}");
    assert!(ticket.contains("10.0.0.0/8 TCP 443"), "{ticket}");
    let listed = pathprobe_tests::run(["urls", "list", feed.to_str().unwrap()]);
    let said = stderr(&listed);
    assert!(
        said.contains("the block 10.0.0.1/8 has bits set past its prefix: read as 10.0.0.0/8"),
        "{said}"
    );
    assert!(
        said.contains("0.0.0.0/0 is wider than any one service holds"),
        "{said}"
    );
    let blocks_only = dir.path().join("blocks.json");
    std::fs::write(
        &blocks_only,
        serde_json::json!([{"id": 3, "serviceArea": "A", "tcpPorts": "443",
            "ips": ["13.107.6.152/31"]}])
        .to_string(),
    )
    .unwrap();
    let out = pathprobe_tests::run([
        "urls",
        "export",
        blocks_only.to_str().unwrap(),
        "--as",
        "csv",
    ]);
    assert!(
        !stderr(&out).contains("the list is empty"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("13.107.6.152/31,443,tcp"));
}

/// Round 13. The bundle's copy of the environment is one line per
/// variable, whatever a value holds.
#[test]
fn the_bundles_environment_is_one_line_per_variable() {
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://a.lab.test/"]);
    let bundle = dir.path().join("b.zip");
    let out = pathprobe_tests::Pathprobe::new([
        "bundle",
        cat.to_str().unwrap(),
        "--direct",
        "--only-given",
        "--dns-server",
        &pathprobe_tests::lab::dns_server().to_string(),
        "--phase-timeout",
        "2",
        "-o",
        bundle.to_str().unwrap(),
    ])
    .env("no_proxy", "a\u{1b}[31m,b\n#FORGED")
    .output();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let file = std::fs::File::open(&bundle).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("system/environment.txt").unwrap(),
        &mut text,
    )
    .unwrap();
    assert!(
        text.contains("no_proxy=a<U+001B>[31m,b<U+000A>#FORGED\n"),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("#FORGED")), "{text}");
}

/// Round 13. A refused flag value is quoted as given, its escape sequence
/// written out rather than dropped (clap's own text strips it), a proxy's
/// password still hidden.
#[test]
fn a_refused_value_is_quoted_as_given() {
    for (flag, value, shown) in [
        (
            "--proxy",
            "http://u:pw0rd@h\u{1b}[31m:1",
            "\"http://REDACTED@h<U+001B>[31m:1\"",
        ),
        ("--deadline", "5\u{1b}[2J", "\"5<U+001B>[2J\""),
    ] {
        let out = pathprobe_tests::run(["check", "--only-given", "--no-env", flag, value]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let said = stderr(&out);
        assert!(said.contains(shown), "{flag}: {said}");
        assert!(
            !said.contains('\u{1b}') && !said.contains("pw0rd"),
            "{flag}: {said}"
        );
    }
}

/// Round 14. What squid's error header says decides, in any case and
/// whichever header comes first: a refusal in words is a refusal (allow
/// list advice), a gateway error naming no refusal is no refusal in the
/// finding or in `fix` either.
#[test]
fn a_gateway_error_is_read_whole_and_told_as_seen() {
    for (reply, verdict, allow) in [
        (
            "HTTP/1.1 503 Service Unavailable\r\nX-Squid-Error: err_connect_fail 111\r\nContent-Length: 0\r\n\r\n",
            "tcp_refused",
            false,
        ),
        (
            "HTTP/1.1 504 Gateway Timeout\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            true,
        ),
        (
            "HTTP/1.1 503 Service Unavailable\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            true,
        ),
        (
            "HTTP/1.1 503 Service Unavailable\r\nX-Squid-Error: ERR_GATEWAY_FAILURE 0\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            false,
        ),
    ] {
        let port = pathprobe_tests::answering(reply);
        let dir = tempfile::tempdir().unwrap();
        let cat = write_catalog(dir.path(), &["https://svc.lab.test/"]);
        let saved = dir.path().join("report.json");
        let (v, out) = check_json(
            &[
                cat.to_str().unwrap(),
                "--proxy",
                &format!("http://127.0.0.1:{port}"),
                "--output",
                &format!("json={}", saved.display()),
            ],
            "2",
        );
        assert!(saved.is_file(), "{}", stderr(&out));
        let r = &v["results"][0];
        assert_eq!(r["verdict"], verdict, "{reply:?}: {r:#}");
        let evidence = r["attempts"][0]["evidence"].to_string();
        assert!(evidence.contains("X-Squid-Error"), "{reply:?}: {evidence}");
        let hint = r["hint"].as_str().unwrap();
        assert_eq!(hint.contains("allow list"), allow, "{reply:?}: {hint}");
        assert!(!hint.contains("without saying why"), "{reply:?}: {hint}");
        let summary = v["findings"][0]["summary"].as_str().unwrap_or_default();
        let fix = pathprobe_tests::run(["fix", saved.to_str().unwrap(), "--as", "text"]);
        let ticket = stdout(&fix);
        if verdict == "proxy_denied" && !allow {
            assert!(summary.contains("could not get an answer"), "{summary}");
            assert!(!ticket.contains("Allow these destinations"), "{ticket}");
        }
        if allow {
            assert!(summary.contains("refuses"), "{summary}");
            assert!(ticket.contains("Allow these destinations"), "{ticket}");
        }
    }
}

/// Round 14. Through a proxy, a redirect to the same host is the origin's
/// (a proxy's own goes to its login or warning page); a proxy that takes
/// a request and closes without an answer was reached, and is told so.
#[test]
fn what_came_through_a_proxy_is_told_as_whose_it_was() {
    let same_host = pathprobe_tests::answering(
        "HTTP/1.1 302 Found\r\nLocation: https://svc.lab.test/\r\nContent-Length: 0\r\n\r\n",
    );
    let elsewhere = pathprobe_tests::answering(
        "HTTP/1.1 302 Found\r\nLocation: https://login.proxy.example/?from=svc\r\nContent-Length: 0\r\n\r\n",
    );
    let closing = pathprobe_tests::answering("");
    for (proxy, verdict, hint) in [
        (same_host, "ok", ""),
        (
            elsewhere,
            "proxy_auth_required",
            "sends this client to a sign-in page",
        ),
        (
            closing,
            "proxy_unreachable",
            "took the request but gave no usable answer",
        ),
    ] {
        let (v, _) = report(
            &["http://svc.lab.test/".to_owned()],
            &["--proxy", &format!("http://127.0.0.1:{proxy}")],
        );
        let r = &v["results"][0];
        assert_eq!(r["verdict"], verdict, "{r:#}");
        assert!(r["hint"].as_str().unwrap().contains(hint), "{r:#}");
    }
}

/// Round 15. What a proxy reports of its own lookup is no finding about
/// this machine's DNS and no allow rule; an origin's 403 relayed by squid
/// (`Via`) is the origin's; a 500 of the proxy's own claims no refusal; a
/// PAC answer holding a line break stays on its URL's line; a URL holding
/// one is refused, not read as another URL.
#[test]
fn what_was_not_seen_here_is_not_claimed() {
    let dns_fail = pathprobe_tests::answering(
        "HTTP/1.1 503 Service Unavailable\r\nX-Squid-Error: ERR_DNS_FAIL 0\r\nContent-Length: 0\r\n\r\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://a.lab.test/", "http://b.lab.test/x"]);
    let saved = dir.path().join("r.json");
    let (v, _) = check_json(
        &[
            cat.to_str().unwrap(),
            "--proxy",
            &format!("http://127.0.0.1:{dns_fail}"),
            "--output",
            &format!("json={}", saved.display()),
        ],
        "2",
    );
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "dns_failure", "{r:#}");
    }
    for f in v["findings"].as_array().unwrap() {
        let kind = f["kind"].as_str().unwrap();
        assert!(
            !matches!(
                kind,
                "dns_unavailable" | "names_unanswered" | "names_missing"
            ),
            "{f:#}"
        );
    }
    let ticket = stdout(&pathprobe_tests::run(["fix", saved.to_str().unwrap()]));
    assert!(!ticket.contains("Allow these destinations"), "{ticket}");

    for (reply, verdict, hint_has, hint_lacks) in [
        (
            "HTTP/1.1 403 Forbidden\r\nVia: 1.1 squid\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n",
            "ok",
            "",
            "refused",
        ),
        (
            // No `Via` and no mark: the proxy's or the service's (round 19).
            "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
            "proxy_denied",
            "not known who wrote it",
            "pathprobe fix",
        ),
    ] {
        let proxy = pathprobe_tests::answering(reply);
        let (v, _) = report(
            &["http://svc.lab.test/".to_owned()],
            &["--proxy", &format!("http://127.0.0.1:{proxy}")],
        );
        assert_eq!(v["results"][0]["verdict"], verdict, "{reply:?}: {v:#}");
        let hint = v["results"][0]["hint"].as_str().unwrap_or_default();
        assert!(
            hint.contains(hint_has) && !hint.contains(hint_lacks),
            "{reply:?}: {hint}"
        );
    }

    let pac = dir.path().join("lf.pac");
    std::fs::write(
        &pac,
        "function FindProxyForURL(u, h) { if (h == \"a.test\") return \"PROXY evil\\nFORGED: x:8080; DIRECT\"; return \"DIRECT\"; }\n",
    )
    .unwrap();
    let out = pathprobe_tests::run([
        "pac",
        "eval",
        "--no-dns",
        "-p",
        pac.to_str().unwrap(),
        "-u",
        "http://a.test/",
        "-u",
        "http://b.test/",
        "--format",
        "raw",
    ]);
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("PROXY evil<U+000A>FORGED"), "{lines:?}");

    let out = pathprobe_tests::run([
        "check",
        "--only-given",
        "--no-env",
        "--pac",
        "http://127.0.0.1:9/p.pac?sig=X\nFORGED: yes",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("control character U+000A"),
        "{}",
        stderr(&out)
    );
}

/// Round 20. What the service itself did is not blamed on the network: a
/// hang-up after a TLS handshake its certificate proved (it was
/// `tcp_reset`, "a firewall or an IPS", with an allow rule), and a status
/// no server sends as its answer (999, and 101 to a GET, were `ok`).
#[test]
fn what_the_service_did_is_not_blamed_on_the_network() {
    let ca = TestCa::new("pathprobe hang-up CA");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    ca.write_pem(&ca_file);
    let hangs_up =
        pathprobe_tests::lab::tls_origin_replying(&ca, &["hangs.lab.test"], |_, _| Vec::new());
    let odd = pathprobe_tests::answering(
        "HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let upgrade = pathprobe_tests::answering(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    );
    let urls = vec![
        format!("https://hangs.lab.test:{hangs_up}/"),
        format!("http://odd.lab.test:{odd}/"),
        format!("http://upgrade.lab.test:{upgrade}/"),
    ];
    let saved = dir.path().join("r.json");
    let (v, _) = report(
        &urls,
        &[
            "--direct",
            "--ca-cert",
            ca_file.to_str().unwrap(),
            "--output",
            &format!("json={}", saved.display()),
        ],
    );
    let results = v["results"].as_array().unwrap();
    for r in results {
        assert_eq!(r["verdict"], "http_unexpected_status", "{r:#}");
        let hint = r["hint"].as_str().unwrap();
        assert!(
            !hint.contains("firewall") && hint.contains("an allow rule does not change that"),
            "{r:#}"
        );
    }
    let evidence = |i: usize| results[i]["attempts"][0]["evidence"].to_string();
    assert!(
        evidence(0).contains("closed the connection after the request without a complete answer (0 bytes), after a TLS handshake its certificate proved"),
        "{}",
        evidence(0)
    );
    assert!(evidence(1).contains("answered 999"), "{}", evidence(1));
    assert!(evidence(2).contains("answered 101"), "{}", evidence(2));
    let out = pathprobe_tests::run(["fix", saved.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(
        !text.contains("Allow these") && text.contains("No rule to add"),
        "{text}"
    );
}

/// Round 20. A resolver that fails (SERVFAIL, no answer, an answer no
/// client can read) is no name a DNS filter blocks: `fix` writes no allow rule for it, and says why. A
/// name the resolver says does not exist (NXDOMAIN, what a filter
/// answers) keeps its rule.
#[test]
fn a_failing_resolver_gets_no_allow_rule() {
    let dns = pathprobe_tests::lab::dns_server_with(std::collections::HashMap::from([(
        "broken.lab.test".to_owned(),
        DnsAnswer::Malformed,
    )]));
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(
        dir.path(),
        &["https://broken.lab.test/", "https://missing.lab.test/"],
    );
    let saved = dir.path().join("r.json");
    let (v, _) = pathprobe_tests::check_json_via(
        &dns.to_string(),
        &[
            cat.to_str().unwrap(),
            "--direct",
            "--output",
            &format!("json={}", saved.display()),
        ],
        "2",
    );
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "dns_failure", "{r:#}");
    }
    let out = pathprobe_tests::run(["fix", saved.to_str().unwrap(), "--as", "domains"]);
    let text = stdout(&out);
    assert!(
        text.contains("missing.lab.test") && !text.contains("broken.lab.test"),
        "{text}"
    );
    assert!(
        stderr(&out)
            .contains("https://broken.lab.test/: dns_failure is not fixed by an allow rule"),
        "{}",
        stderr(&out)
    );
}

/// Round 20. A web server named as the proxy answers a plain-HTTP request
/// for itself: `ok` rests on nothing then, and the HTTP phase says so (a
/// proxy that adds no Via looks the same).
#[test]
fn an_answer_with_no_via_through_a_proxy_says_what_it_rests_on() {
    let web = pathprobe_tests::answering(
        "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    );
    let (v, _) = report(
        &["http://plain.lab.test/".to_owned()],
        &["--proxy", &format!("http://127.0.0.1:{web}")],
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "ok", "{r:#}");
    let http = r["attempts"][0]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phase"] == "http")
        .cloned()
        .unwrap_or_default();
    assert!(
        http["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("with no Via header: nothing shows that a proxy passed it on"),
        "{r:#}"
    );
}

/// Round 21. A proxy that resets what it was just asked, before any
/// answer (squid's `deny_info TCP_RESET`): said to be the proxy, the only
/// peer of the connection, as a quiet refusal or a failure; the same for
/// CONNECT and a plain-HTTP request, and no allow rule (it was "not a valid
/// proxy response", and for plain HTTP "a firewall" with an allow rule).
#[test]
fn a_proxy_that_resets_the_request_is_named() {
    // Closing with the request unread makes the kernel reset.
    let resetting = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                std::thread::sleep(Duration::from_millis(300));
                drop(stream);
            }
        });
        port
    };
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("r.json");
    let (v, _) = report(
        &[
            "https://rst.lab.test/".to_owned(),
            "http://rst2.lab.test/".to_owned(),
        ],
        &[
            "--proxy",
            &format!("http://127.0.0.1:{resetting}"),
            "--output",
            &format!("json={}", saved.display()),
        ],
    );
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "tcp_reset", "{r:#}");
        let evidence = r["attempts"][0]["evidence"].to_string();
        assert!(
            evidence.contains(&format!(
                "reset by: the proxy 127.0.0.1:{resetting}, the only peer"
            )),
            "{r:#}"
        );
        let hint = r["hint"].as_str().unwrap();
        assert!(
            hint.contains("deny_info TCP_RESET") && !hint.contains("firewall"),
            "{hint}"
        );
    }
    let out = pathprobe_tests::run(["fix", saved.to_str().unwrap(), "--as", "domains"]);
    let text = stdout(&out);
    assert!(
        !text.contains("rst.lab.test") && !text.contains("rst2.lab.test"),
        "{text}"
    );
    // Round 23. A PAC's next entry is tried after the proxy's reset, as
    // Chromium tries it (ERR_PROXY_CONNECTION_FAILED): the URL works DIRECT.
    let origin = pathprobe_tests::serve_http(Some("text/plain"), b"ok".to_vec());
    let pac = dir.path().join("failover.pac");
    std::fs::write(
        &pac,
        format!(
            "function FindProxyForURL(u, h) {{ return \"PROXY 127.0.0.1:{resetting}; DIRECT\"; }}"
        ),
    )
    .unwrap();
    let (v, _) = report(
        &[format!("http://ok.lab.test:{origin}/")],
        &["--pac", pac.to_str().unwrap()],
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "ok", "{r:#}");
    assert_eq!(r["attempts"][0]["verdict"], "tcp_reset", "{r:#}");
    assert_eq!(r["attempts"][1]["verdict"], "ok", "{r:#}");
}
