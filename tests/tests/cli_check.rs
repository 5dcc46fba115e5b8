//! `pathprobe check` end to end against loopback servers: each situation an
//! engineer meets, and the verdict it must produce.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;

use pathprobe_tests::lab::{
    TestCa, auth_proxy, connect_proxy, dns_server, intercepting_proxy, silent_server,
    tls_connect_proxy, tls_origin, tls_origin_replying,
};
use pathprobe_tests::{check_json, run_with_env, stderr, stdout, write_catalog};

fn check(args: &[&str]) -> (serde_json::Value, std::process::Output) {
    check_json(args, "3")
}

fn verdicts(v: &serde_json::Value) -> Vec<(String, String)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["url"].as_str().unwrap().to_owned(),
                r["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn direct_origins_ok_untrusted_refused_missing_and_sinkholed() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["ok.lab.test"], 200);
    let closed = pathprobe_tests::closed_port();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let ok = format!("https://ok.lab.test:{origin}/");
    let refused = format!("https://closed.lab.test:{closed}/");
    let cat = write_catalog(
        dir.path(),
        &[
            &ok,
            &refused,
            "https://missing.lab.test/",
            "https://sink.lab.test/",
        ],
    );
    let ok_resolve = "ok.lab.test=127.0.0.1".to_owned();
    let closed_resolve = "closed.lab.test=127.0.0.1".to_owned();
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--direct",
        "--resolve",
        &ok_resolve,
        "--resolve",
        &closed_resolve,
        "--ca-cert",
        ca_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        verdicts(&v),
        vec![
            (ok.clone(), "ok".into()),
            (refused, "tcp_refused".into()),
            ("https://missing.lab.test/".into(), "dns_failure".into()),
            ("https://sink.lab.test/".into(), "dns_sinkhole".into()),
        ]
    );
    let first = &v["results"][0]["attempts"][0];
    let phases: Vec<&str> = first["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, vec!["dns", "connect", "tls", "http"]);
    assert_eq!(first["status"], 200);
    assert!(
        first["tls"]["chain"][0]["issuer"]
            .as_str()
            .unwrap()
            .contains("pathprobe lab CA")
    );
    assert!(
        first["tls"]["chain"][0]["pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    assert_eq!(v["summary"]["required_failed"], 3);

    // Without the lab CA the same origin is untrusted, and no request is sent.
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--direct",
        "--resolve",
        &ok_resolve,
        "--category",
        "nothing-matches",
    ]);
    assert!(v["results"].as_array().unwrap().is_empty());
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--direct",
        "--resolve",
        &ok_resolve,
        "--resolve",
        &closed_resolve,
    ]);
    let untrusted = &v["results"][0];
    assert_eq!(untrusted["verdict"], "tls_untrusted");
    let phases: Vec<&str> = untrusted["attempts"][0]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    assert!(!phases.contains(&"http"), "{phases:?}");
}

#[test]
fn a_connect_proxy_carries_the_probe() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["svc.lab.test"], 204);
    let proxy = connect_proxy(HashMap::from([(format!("svc.lab.test:{origin}"), origin)]));
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let url = format!("https://svc.lab.test:{origin}/");
    let cat = write_catalog(dir.path(), &[&url, "https://elsewhere.lab.test/"]);
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{proxy}"),
        "--ca-cert",
        ca_file.to_str().unwrap(),
    ]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "ok", "{}", stderr(&out));
    let phases: Vec<&str> = r["attempts"][0]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, vec!["dns", "connect", "tunnel", "tls", "http"]);
    assert_eq!(r["attempts"][0]["route"]["type"], "proxy");
    assert_eq!(r["attempts"][0]["status"], 204);
    // The proxy refuses a destination it does not serve.
    assert_eq!(v["results"][1]["verdict"], "proxy_denied");
    assert!(
        v["results"][1]["attempts"][0]["evidence"]
            .to_string()
            .contains("403")
    );
}

#[test]
fn an_authenticating_proxy_is_named_with_its_schemes() {
    let proxy = auth_proxy();
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://winatp-gw-weu.microsoft.com/"]);
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{proxy}"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_auth_required");
    let evidence = r["attempts"][0]["evidence"].to_string();
    assert!(evidence.contains("Basic, NTLM, Negotiate"), "{evidence}");
    assert!(evidence.contains("Lab Proxy"), "{evidence}");
    let hint = r["hint"].as_str().unwrap();
    assert!(
        hint.contains("exempt these URLs from authentication on the proxy"),
        "{hint}"
    );
    // A list naming no product claims no product's rules.
    let summary = v["findings"][0]["summary"].as_str().unwrap();
    assert!(
        !format!("{hint}{evidence}{summary}").contains("Defender"),
        "{hint} {evidence} {summary}"
    );

    // Rows of Defender for Endpoint's list carry the vendor's rule, and the
    // finding says it; an internal row beside them does not.
    let defender = dir.path().join("mde.csv");
    std::fs::write(
        &defender,
        "Service,URL\nMicrosoft Defender for Endpoint,https://winatp-gw-weu.microsoft.com/\n,https://events.data.microsoft.com/\n",
    )
    .unwrap();
    let internal = write_catalog(dir.path(), &["https://intranet.corp.test/"]);
    let proxy_url = format!("http://127.0.0.1:{proxy}");
    let (v, _) = check(&[defender.to_str().unwrap(), "--proxy", &proxy_url]);
    let rule = "Defender for Endpoint does not support authenticated proxies";
    for r in v["results"].as_array().unwrap() {
        assert!(
            r["attempts"][0]["evidence"].to_string().contains(rule),
            "{r:#}"
        );
    }
    let summary = v["findings"][0]["summary"].as_str().unwrap();
    assert!(
        summary.ends_with(&format!("3 endpoints; {rule}.")),
        "{summary}"
    );
    let (v, _) = check(&[
        defender.to_str().unwrap(),
        internal.to_str().unwrap(),
        "--proxy",
        &proxy_url,
    ]);
    let intranet = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["url"] == "https://intranet.corp.test/")
        .unwrap();
    assert!(
        !intranet["attempts"][0]["evidence"]
            .to_string()
            .contains(rule)
    );
    let summary = v["findings"][0]["summary"].as_str().unwrap();
    assert!(!summary.contains("Defender"), "{summary}");

    // Credentials given and refused are said to be refused, and never printed.
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{proxy}"),
        "--proxy-user",
        "svc:S3cret-pw",
    ]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains("S3cret-pw"), "{all}");
    // Credentials in the proxy URL and --proxy-user both: the flag's are
    // sent, and the report says the URL's are not.
    let (both, _) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://url-user:Url-Pass-1@127.0.0.1:{proxy}"),
        "--proxy-user",
        "svc:S3cret-pw",
    ]);
    assert!(
        both["warnings"].to_string().contains(
            "--proxy-user is used: the user and password written in the proxy setting are not sent"
        ),
        "{both:#}"
    );
    assert!(
        v["results"][0]["attempts"][0]["evidence"]
            .to_string()
            .contains("rejected")
    );
}

#[test]
fn an_intercepting_proxy_is_detected_and_named() {
    let inspector = TestCa::new("Zscaler Intermediate Root CA");
    let proxy = intercepting_proxy(&inspector, &["winatp-gw-weu.microsoft.com"]);
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://winatp-gw-weu.microsoft.com/"]);
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{proxy}"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "tls_intercepted", "{r:#}");
    let evidence = r["attempts"][0]["evidence"].to_string();
    assert!(evidence.contains("Zscaler"), "{evidence}");
    assert!(
        r["hint"]
            .as_str()
            .unwrap()
            .contains("exempt this URL from SSL inspection")
    );
    // The presented chain is in the report for the support engineer.
    assert!(
        r["attempts"][0]["tls"]["chain"][0]["issuer"]
            .as_str()
            .unwrap()
            .contains("Zscaler")
    );
}

#[test]
fn an_unreachable_proxy_is_not_blamed_on_the_endpoint() {
    let closed = pathprobe_tests::closed_port();
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://winatp-gw-weu.microsoft.com/"]);
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{closed}"),
    ]);
    assert_eq!(v["results"][0]["verdict"], "proxy_unreachable");
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        "http://noproxy.lab.test:3128",
    ]);
    assert_eq!(v["results"][0]["verdict"], "proxy_unreachable");
    assert!(
        v["results"][0]["attempts"][0]["evidence"]
            .to_string()
            .contains("does not resolve")
    );
}

#[test]
fn the_table_has_a_summary_and_bad_flags_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://missing.lab.test/"]);
    let dns = dns_server().to_string();
    let out = run_with_env(
        [
            "check",
            cat.to_str().unwrap(),
            "--only-given",
            "--no-env",
            "--direct",
            "--dns-server",
            &dns,
        ],
        &[],
    );
    let text = stdout(&out);
    assert!(text.contains("dns_failure"), "{text}");
    assert!(
        text.contains("0 of 1 endpoints ok; 1 required failed"),
        "{text}"
    );
    let bad = run_with_env(["check", cat.to_str().unwrap(), "--concurrency", "0"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = run_with_env(
        [
            "check",
            cat.to_str().unwrap(),
            "--ca-cert",
            "/nonexistent.pem",
        ],
        &[],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_deadline_is_a_hard_ceiling_and_finished_probes_are_kept() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["ok.lab.test"], 200);
    let silent = silent_server();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let ok = format!("https://ok.lab.test:{origin}/");
    let hung: Vec<String> = (0..20)
        .map(|i| format!("https://hung{i}.lab.test:{silent}/"))
        .collect();
    let mut urls: Vec<&str> = vec![&ok];
    urls.extend(hung.iter().map(String::as_str));
    let cat = write_catalog(dir.path(), &urls);
    let mut args: Vec<String> = vec![
        cat.to_str().unwrap().into(),
        "--direct".into(),
        "--ca-cert".into(),
        ca_file.to_str().unwrap().into(),
        "--deadline".into(),
        "1.5".into(),
        "--phase-timeout".into(),
        "60".into(),
        "--resolve".into(),
        "ok.lab.test=127.0.0.1".into(),
    ];
    for i in 0..20 {
        args.push("--resolve".into());
        args.push(format!("hung{i}.lab.test=127.0.0.1"));
    }
    let dns = dns_server().to_string();
    let mut all: Vec<&str> = vec![
        "check",
        "--only-given",
        "--no-env",
        "--format",
        "json",
        "--dns-server",
        &dns,
    ];
    all.extend(args.iter().map(String::as_str));
    let started = std::time::Instant::now();
    let out = run_with_env(all, &[]);
    let elapsed = started.elapsed();
    assert!(
        elapsed < std::time::Duration::from_millis(2500),
        "took {elapsed:?}"
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["partial"], true);
    // The deadline the user gave, not what was left of it when probing
    // began.
    assert!(
        v["warnings"]
            .to_string()
            .contains("the run's deadline (1.5 s) passed"),
        "{}",
        v["warnings"]
    );
    assert_eq!(
        v["results"][0]["verdict"], "ok",
        "the finished probe is kept"
    );
    assert!(
        v["results"].as_array().unwrap()[1..]
            .iter()
            .all(|r| r["verdict"] == "not_probed")
    );
    // Each cut probe shows where it was: connected in a moment, then cut in
    // the TLS phase it was waiting in; not a failed connect.
    for r in &v["results"].as_array().unwrap()[1..] {
        let a = &r["attempts"][0];
        let phases: Vec<(&str, bool)> = a["phases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["phase"].as_str().unwrap(), p["ok"].as_bool().unwrap()))
            .collect();
        assert_eq!(
            phases,
            [("dns", true), ("connect", true), ("tls", false)],
            "{r}"
        );
        assert!(
            a["evidence"]
                .to_string()
                .contains("cut short in the tls phase"),
            "{r}"
        );
        assert!(r["hint"].as_str().unwrap().contains("--deadline"), "{r}");
    }
}

#[test]
fn all_routes_probes_direct_and_every_proxy_side_by_side() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["svc.lab.test"], 200);
    let proxy = connect_proxy(HashMap::from([(format!("svc.lab.test:{origin}"), origin)]));
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let url = format!("https://svc.lab.test:{origin}/");
    let cat = write_catalog(dir.path(), &[&url]);
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{proxy}"),
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--all-routes",
        "--resolve",
        "svc.lab.test=127.0.0.1",
    ]);
    let attempts = v["results"][0]["attempts"].as_array().unwrap();
    let routes: Vec<(&str, &str)> = attempts
        .iter()
        .map(|a| {
            (
                a["route"]["type"].as_str().unwrap(),
                a["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(routes, vec![("proxy", "ok"), ("direct", "ok")]);
}

/// `check --direct` of one HTTPS origin for `host`, signed by `ca` and
/// answering 200, with `extra` flags: the report.
fn check_origin(ca: &TestCa, host: &str, extra: &[&str]) -> serde_json::Value {
    let origin = tls_origin(ca, &[host], 200);
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &[&format!("https://{host}:{origin}/")]);
    let pin = format!("{host}=127.0.0.1");
    let mut args = vec![cat.to_str().unwrap(), "--direct", "--resolve", &pin];
    args.extend_from_slice(extra);
    check(&args).0
}

/// Round 18. A service whose own front end is squid (a reverse proxy)
/// answers 403 with `X-Squid-Error` over TLS that proves it is the
/// destination (a `--ca-cert` anchor here, a public root in the field): no
/// proxy is in the path, so nothing is "refused by the proxy", and `fix`
/// allows nothing. Over plain http the same answer may be a transparent
/// proxy's, and is said to be one, never "the proxy DIRECT".
#[test]
fn a_reverse_squid_at_a_proven_origin_is_the_origin_speaking() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin_replying(&ca, &["svc.lab.test"], |_, _| {
        let page = "<html><title>ERROR: The requested URL could not be retrieved</title></html>";
        format!(
            "HTTP/1.1 403 Forbidden\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nVia: 1.1 svc (squid/5.7)\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
            page.len()
        )
        .into_bytes()
    });
    let plain = pathprobe_tests::answering(
        "HTTP/1.1 403 Forbidden\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nContent-Length: 0\r\n\r\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let cat = write_catalog(
        dir.path(),
        &[
            &format!("https://svc.lab.test:{origin}/"),
            &format!("http://svc.lab.test:{plain}/"),
        ],
    );
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--direct",
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--resolve",
        "svc.lab.test=127.0.0.1",
        "--no-control",
    ]);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results[0]["verdict"], "ok", "{}\n{v:#}", stderr(&out));
    assert_eq!(results[0]["attempts"][0]["status"], 403, "{:#}", results[0]);
    assert_eq!(results[1]["verdict"], "proxy_denied", "{:#}", results[1]);
    let findings = v["findings"].to_string();
    assert!(!findings.contains("proxy DIRECT"), "{findings}");
    assert!(
        findings.contains("A transparent proxy in the path (no proxy is configured)"),
        "{findings}"
    );
    // Round 23. Through an HTTP proxy's tunnel, with the service's CA
    // given: the proxy opened the tunnel and writes inside it only if it
    // decrypts with that CA, so who answered is unsure, and `fix` asks the
    // proxy for nothing (it wrote an allow rule the proxy did not need).
    let proxy = pathprobe_tests::lab::connect_proxy(
        [(format!("svc.lab.test:{origin}"), origin)]
            .into_iter()
            .collect(),
    );
    let tunnelled = write_catalog(dir.path(), &[&format!("https://svc.lab.test:{origin}/")]);
    let saved = dir.path().join("tunnelled.json");
    let (v, out) = check(&[
        tunnelled.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{proxy}"),
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--no-control",
        "--output",
        &format!("json={}", saved.display()),
    ]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_denied", "{}\n{r:#}", stderr(&out));
    assert!(r.to_string().contains("attribution: unsure"), "{r:#}");
    assert!(
        r["hint"].as_str().unwrap().contains("opened the tunnel"),
        "{r:#}"
    );
    let fixed = fixed_domains(&saved);
    assert!(!fixed.contains("svc.lab.test"), "{fixed}");
}

#[test]
fn insecure_read_reads_the_status_but_keeps_the_verdict() {
    let ca = TestCa::new("pathprobe lab CA");
    let v = check_origin(&ca, "ok.lab.test", &["--insecure-read"]);
    let a = &v["results"][0]["attempts"][0];
    assert_eq!(v["results"][0]["verdict"], "tls_untrusted");
    assert_eq!(a["status"], 200, "{a:#}");
}

#[test]
fn ctrl_c_keeps_what_finished() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["ok.lab.test"], 200);
    let silent = silent_server();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let ok = format!("https://ok.lab.test:{origin}/");
    let hung = format!("https://hung.lab.test:{silent}/");
    let cat = write_catalog(dir.path(), &[&ok, &hung]);
    let dns = dns_server().to_string();
    let child = std::process::Command::new(pathprobe_tests::binary())
        .env("PATHPROBE_NO_CONTROL", "1")
        .args([
            "check",
            cat.to_str().unwrap(),
            "--only-given",
            "--no-env",
            "--direct",
            "--format",
            "json",
            "--dns-server",
            &dns,
        ])
        .args([
            "--ca-cert",
            ca_file.to_str().unwrap(),
            "--phase-timeout",
            "60",
            "--resolve",
            "*.lab.test=127.0.0.1",
        ])
        .env("PATHPROBE_LOG", "debug")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the state, not for a while: the log says when the first
    // endpoint's attempt has finished (the other hangs on the silent server).
    let mut child = child;
    let log = std::io::BufReader::new(child.stderr.take().unwrap());
    let (seen_tx, seen) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in log.lines().map_while(Result::ok) {
            if line.contains("ok.lab.test") && line.contains("verdict=\"ok\"") {
                let _ = seen_tx.send(());
            }
        }
    });
    seen.recv_timeout(std::time::Duration::from_secs(30))
        .expect("the first endpoint's attempt was never logged");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["partial"], true);
    assert_eq!(v["results"][0]["verdict"], "ok");
    // Cut by the user, not by the network or the deadline: not probed,
    // not a failure, no finding.
    assert_eq!(v["results"][1]["verdict"], "not_probed");
    assert_eq!(v["summary"]["required_failed"], 0);
    assert_eq!(v["findings"].as_array().map(Vec::len), Some(0));
    assert!(
        v["results"][1]["attempts"][0]["evidence"]
            .to_string()
            .contains("Ctrl-C")
    );
    // After Ctrl-C the hint does not advise a longer deadline.
    let hint = v["results"][1]["hint"].as_str().unwrap();
    assert!(!hint.contains("--deadline"), "{hint}");
    assert!(hint.contains("interrupted"), "{hint}");
}

#[test]
fn an_https_proxy_is_reached_over_tls_then_tunnels() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["svc.lab.test"], 200);
    let proxy = tls_connect_proxy(
        &ca,
        &["127.0.0.1"],
        HashMap::from([(format!("svc.lab.test:{origin}"), origin)]),
    );
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let url = format!("https://svc.lab.test:{origin}/");
    let cat = write_catalog(dir.path(), &[&url]);
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("https://127.0.0.1:{proxy}"),
        "--ca-cert",
        ca_file.to_str().unwrap(),
    ]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "ok", "{}\n{r:#}", stderr(&out));
    assert_eq!(r["attempts"][0]["route"]["kind"], "https");
    let tunnels = r["attempts"][0]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["phase"] == "tunnel")
        .count();
    assert_eq!(tunnels, 2, "TLS to the proxy, then CONNECT: {r:#}");

    // A proxy whose own certificate is not trusted is unreachable, not the endpoint's fault.
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("https://127.0.0.1:{proxy}"),
    ]);
    assert_eq!(v["results"][0]["verdict"], "proxy_unreachable");
    assert!(
        v["results"][0]["attempts"][0]["evidence"]
            .to_string()
            .contains("not trusted")
    );
}

/// "Network unreachable" from the OS is its own evidence: in a network
/// namespace with nothing but loopback, no address outside it has a route.
#[test]
fn network_unreachable_is_said_not_taken_for_a_firewall_drop() {
    let ns = format!("pp-unreach-{}", std::process::id());
    let made = std::process::Command::new("ip")
        .args(["netns", "add", &ns])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        pathprobe_tests::skipped(
            "network_unreachable_is_said_not_taken_for_a_firewall_drop",
            "a network namespace cannot be made (root and iproute2 needed)",
        );
        return;
    }
    struct Gone(String);
    impl Drop for Gone {
        fn drop(&mut self) {
            let _ = std::process::Command::new("ip")
                .args(["netns", "del", &self.0])
                .status();
        }
    }
    let _gone = Gone(ns.clone());
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(
        dir.path(),
        &[
            "http://10.9.9.9/",
            "https://10.9.9.10:8443/",
            "https://[2001:db8::1]/",
        ],
    );
    let out = std::process::Command::new("ip")
        .args(["netns", "exec", &ns])
        .arg(pathprobe_tests::binary())
        .args([
            "check",
            "--only-given",
            "--no-env",
            "--direct",
            "--format",
            "json",
        ])
        .arg(&cat)
        .env("XDG_CONFIG_HOME", pathprobe_tests::NO_CONFIG_HOME)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), stderr(&out)));
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "tcp_refused", "{r}");
        let evidence = r["attempts"][0]["evidence"].to_string();
        assert!(evidence.contains("network unreachable"), "{evidence}");
        let hint = r["hint"].as_str().unwrap();
        assert!(hint.contains("no route"), "{hint}");
        assert!(!hint.contains("dropped"), "{hint}");
    }
}

/// Out-of-range times are input errors that say the range, for huge values
/// too (1e308 once read as "must be above 0"), and for limits too small for
/// any phase to finish (round 20: `1e-9` made every verdict the limit's).
#[test]
fn times_out_of_range_say_the_range() {
    for (flag, value) in [
        ("--deadline", "1e308"),
        ("--deadline", "-5"),
        ("--phase-timeout", "inf"),
        ("--phase-timeout", "1e-9"),
        ("--deadline", "0.01"),
    ] {
        let given = format!("{flag}={value}");
        let out = run_with_env(["check", "--only-given", "--no-env", &given], &[]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = stderr(&out);
        assert!(err.contains("from 0.1 to 86400"), "{flag} {value}: {err}");
        assert!(err.len() < 300, "{err}");
    }
}

/// A catalog whose rows are all prose probes nothing, and a check that
/// checked nothing has not passed (it exited 0: "0 of 0 endpoints ok").
#[test]
fn a_run_that_probes_nothing_does_not_pass() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("http://{}.test/", "a".repeat(312));
    let cat = write_catalog(dir.path(), &[&long, "TBD"]);
    let (v, out) = check_json(&[cat.to_str().unwrap()], "2");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(v["summary"]["probed"], 0);
    assert!(
        stderr(&out).contains("nothing was probed"),
        "{}",
        stderr(&out)
    );
}

/// A proxy that answers a plain-http request with something that is not
/// HTTP is the proxy's failure, not an unexpected status of the origin.
#[test]
fn a_plain_http_request_through_a_proxy_that_does_not_speak_http_blames_the_proxy() {
    // An HTTP/0.9-style answer: a body with no status line.
    let proxy = pathprobe_tests::answering(&b"<html>hello</html>\n"[..]);
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["http://plain.lab.test/"]);
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--proxy",
            &format!("http://127.0.0.1:{proxy}"),
        ],
        "2",
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_unreachable", "{}\n{r:#}", stderr(&out));
}

/// `check` of `catalog` through `proxy`, its JSON report also saved in
/// `saved` (for `fix`).
fn check_through_saving(
    catalog: &std::path::Path,
    proxy: &str,
    saved: &std::path::Path,
) -> (serde_json::Value, std::process::Output) {
    check_json(
        &[
            catalog.to_str().unwrap(),
            "--proxy",
            proxy,
            "--output",
            &format!("json={}", saved.display()),
        ],
        "2",
    )
}

/// What `fix --as domains` writes for a saved report: the hosts it would
/// have allowed.
fn fixed_domains(saved: &std::path::Path) -> String {
    pathprobe_tests::stdout(&pathprobe_tests::run([
        "fix",
        saved.to_str().unwrap(),
        "--as",
        "domains",
    ]))
}

/// A SOCKS5 server on loopback that accepts no authentication and answers
/// every CONNECT with `reply` (whole bytes after the method choice); it
/// records the address type of each request.
fn scripted_socks5(reply: &'static [u8]) -> (u16, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut greeting = [0u8; 3];
            if s.read_exact(&mut greeting).is_err() || s.write_all(&[5, 0]).is_err() {
                continue;
            }
            let mut head = [0u8; 4];
            if s.read_exact(&mut head).is_err() {
                continue;
            }
            record.lock().unwrap().push(head[3]);
            let _ = s.write_all(reply);
        }
    });
    (port, seen)
}

/// What a SOCKS5 proxy reports of its own connection is a verdict about
/// that connection: refused, unreachable or silent beyond the proxy, a
/// request it cannot do, a rule; and an answer that is not SOCKS5 is the
/// proxy's failure (each was `proxy_denied`, "add the URL to its allow list").
#[test]
fn socks5_replies_become_the_verdicts_they_report() {
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://192.0.2.55/"]);
    for (reply, verdict) in [
        (&[5, 2, 0, 1, 0, 0, 0, 0, 0, 0][..], "proxy_denied"),
        (&[5, 3, 0, 1, 0, 0, 0, 0, 0, 0][..], "tcp_refused"),
        (&[5, 4, 0, 1, 0, 0, 0, 0, 0, 0][..], "tcp_refused"),
        (&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0][..], "tcp_refused"),
        (&[5, 6, 0, 1, 0, 0, 0, 0, 0, 0][..], "tcp_timeout"),
        (&[5, 7, 0, 1, 0, 0, 0, 0, 0, 0][..], "proxy_unreachable"),
        // An unassigned code is not a SOCKS5 reply, and not a refusal.
        (&[5, 9, 0, 1, 0, 0, 0, 0, 0, 0][..], "proxy_unreachable"),
        (
            &b"HTTP/1.1 400 Bad Request\r\n\r\n"[..],
            "proxy_unreachable",
        ),
    ] {
        let (port, seen) = scripted_socks5(reply);
        let (v, out) = check_json(
            &[
                cat.to_str().unwrap(),
                "--proxy",
                &format!("socks5h://127.0.0.1:{port}"),
            ],
            "2",
        );
        let r = &v["results"][0];
        assert_eq!(r["verdict"], verdict, "{reply:?}: {}\n{r:#}", stderr(&out));
        let shown = r.to_string();
        assert!(
            !shown.contains("0.0.0.0") && !shown.contains("[72, 84"),
            "{shown}"
        );
        // Its own replies are the SOCKS proxy's (round 23: "a proxy beyond").
        assert!(!shown.contains("beyond the SOCKS proxy"), "{shown}");
        assert!(
            !v["findings"].to_string().contains("beyond the SOCKS proxy"),
            "{:#}",
            v["findings"]
        );
        // An address literal goes as an address (type 1), not as a name.
        assert_eq!(seen.lock().unwrap().as_slice(), [1], "{reply:?}");
    }
    // Round 18. Reply 4 for a name the proxy resolves is also how dante
    // says the name does not resolve: both are told. Round 20: the verdict
    // is the likelier of the two, a name that did not resolve there; it
    // was tcp_refused, which nothing was.
    let named = write_catalog(dir.path(), &["https://nowhere.lab.test/"]);
    let (port, seen) = scripted_socks5(&[5, 4, 0, 1, 0, 0, 0, 0, 0, 0]);
    let (v, out) = check_json(
        &[
            named.to_str().unwrap(),
            "--proxy",
            &format!("socks5h://127.0.0.1:{port}"),
        ],
        "2",
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "dns_failure", "{}\n{r:#}", stderr(&out));
    assert!(
        r["hint"]
            .as_str()
            .unwrap()
            .contains("could not resolve the name of nowhere.lab.test:443 or could not reach it"),
        "{r:#}"
    );
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [3],
        "a name is sent as a name"
    );
    // Round 21. Reply 8 says which kind of destination the proxy does not
    // take, and nothing of CONNECT.
    let (port, _) = scripted_socks5(&[5, 8, 0, 1, 0, 0, 0, 0, 0, 0]);
    let (v, out) = check_json(
        &[
            named.to_str().unwrap(),
            "--proxy",
            &format!("socks5h://127.0.0.1:{port}"),
        ],
        "2",
    );
    let r = &v["results"][0];
    let hint = r["hint"].as_str().unwrap();
    assert_eq!(r["verdict"], "proxy_unreachable", "{}\n{r:#}", stderr(&out));
    assert!(
        hint.contains("address type not supported (a name)")
            && hint.contains("takes addresses, not names")
            && !hint.contains("CONNECT"),
        "{r:#}"
    );
    // Round 24. A SOCKS proxy that resets its greeting, before granting
    // anything: the proxy's own doing, no firewall beyond it, no rule.
    let resetting = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                // Closed with the greeting unread: the kernel resets.
                std::thread::sleep(std::time::Duration::from_millis(200));
                drop(stream);
            }
        });
        port
    };
    let saved = dir.path().join("socks-reset.json");
    let (v, out) =
        check_through_saving(&named, &format!("socks5h://127.0.0.1:{resetting}"), &saved);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "tcp_reset", "{}\n{r:#}", stderr(&out));
    assert!(
        r.to_string().contains("after the SOCKS handshake") && !r.to_string().contains("firewall"),
        "{r:#}"
    );
    let fixed = fixed_domains(&saved);
    assert!(!fixed.contains("nowhere.lab.test"), "{fixed}");
    // Round 21. No acceptable method (0xFF): only what was offered is
    // known to be refused; credentials were not tried, so not rejected.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read as _, Write as _};
        for mut s in listener.incoming().map_while(Result::ok) {
            let mut greeting = [0u8; 3];
            if s.read_exact(&mut greeting).is_ok() {
                let _ = s.write_all(&[5, 0xFF]);
            }
        }
    });
    for (proxy, offered) in [
        (format!("socks5h://127.0.0.1:{port}"), "no authentication"),
        (
            format!("socks5h://u:Pw0rd-981@127.0.0.1:{port}"),
            "no authentication, username/password",
        ),
    ] {
        let (v, out) = check_json(&[named.to_str().unwrap(), "--proxy", &proxy], "2");
        let r = &v["results"][0];
        assert_eq!(
            r["verdict"],
            "proxy_auth_required",
            "{}\n{r:#}",
            stderr(&out)
        );
        let shown = r.to_string();
        assert!(
            shown.contains(&format!("methods offered: {offered}"))
                && r["hint"]
                    .as_str()
                    .unwrap()
                    .contains("accepted none of the methods offered")
                && !shown.contains("rejected")
                && !shown.contains("Basic")
                && !shown.contains("Pw0rd-981"),
            "{r:#}"
        );
    }
}

/// Round 18. A proxy that opens tunnels to some destinations and leaves
/// the CONNECT for another unanswered (squid waiting on its own slow DNS)
/// is up: that one is a `timeout` beyond it, not `proxy_unreachable` with
/// a hint to check the proxy's address.
#[test]
fn a_proxy_that_tunnels_others_is_not_unreachable_when_one_is_slow() {
    use std::io::{Read as _, Write as _};
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["fast.lab.test"], 200);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut client in listener.incoming().map_while(Result::ok) {
            std::thread::spawn(move || {
                let mut head = [0u8; 2048];
                let n = client.read(&mut head).unwrap_or(0);
                let head = String::from_utf8_lossy(&head[..n]).into_owned();
                if !head.contains("fast.lab.test") {
                    // Waiting on a lookup that never ends.
                    std::thread::sleep(std::time::Duration::from_secs(8));
                    return;
                }
                let Ok(mut server) = std::net::TcpStream::connect(("127.0.0.1", origin)) else {
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || std::io::copy(&mut s2, &mut c2));
                let _ = std::io::copy(&mut client, &mut server);
            });
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let cat = write_catalog(
        dir.path(),
        &[
            &format!("https://fast.lab.test:{origin}/"),
            "https://slowname.other.test/",
        ],
    );
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--proxy",
            &format!("http://127.0.0.1:{proxy}"),
            "--ca-cert",
            ca_file.to_str().unwrap(),
            "--no-control",
        ],
        "2",
    );
    let results = v["results"].as_array().unwrap();
    assert_eq!(results[0]["verdict"], "ok", "{}\n{v:#}", stderr(&out));
    let slow = &results[1];
    assert_eq!(slow["verdict"], "timeout", "{slow:#}");
    let hint = slow["hint"].as_str().unwrap();
    assert!(
        hint.contains("is up (it opened other tunnels in this run)"),
        "{hint}"
    );
    assert!(
        !v["findings"].to_string().contains("proxy_unreachable"),
        "{:#}",
        v["findings"]
    );
}

/// Round 19. A refusal that passed two proxies (a chain: the named proxy
/// forwards to a parent that refuses) names the hops it passed, so that
/// nobody edits the allow list of a proxy that only relayed it.
#[test]
fn a_refusal_through_a_chain_names_its_hops() {
    let chain = pathprobe_tests::answering(
        "HTTP/1.1 403 Forbidden\r\nVia: 1.1 parent.corp (squid/5.7), 1.1 edge.corp (squid/5.7)\r\nContent-Length: 0\r\n\r\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://blocked.lab.test/"]);
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{chain}"),
        "--no-control",
    ]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_denied", "{}\n{r:#}", stderr(&out));
    assert!(
        r["attempts"][0]["evidence"]
            .to_string()
            .contains("via: 1.1 parent.corp (squid/5.7), 1.1 edge.corp (squid/5.7)"),
        "{r:#}"
    );
    assert!(
        r["hint"]
            .as_str()
            .unwrap()
            .contains("or a proxy beyond it: the answer passed 2"),
        "{r:#}"
    );
}

/// The control probes (Windows' connectivity test) are asked beside the
/// endpoints and reported apart: never a result, never in the totals, the
/// exit code or the metrics; `--no-control` leaves them out. Here a PAC
/// sends the connectivity test to a proxy port where nothing listens, and
/// the lab's DNS does not know the control name: nothing leaves the machine,
/// whatever listens on its port 80.
#[test]
fn control_probes_are_evidence_never_results() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["ok.lab.test"], 200);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let cat = write_catalog(dir.path(), &[&format!("https://ok.lab.test:{origin}/")]);
    let closed = pathprobe_tests::closed_port();
    let pac = dir.path().join("control.pac");
    std::fs::write(
        &pac,
        format!(
            "function FindProxyForURL(u, h) {{ return h == \"www.msftconnecttest.com\" ? \"PROXY 127.0.0.1:{closed}\" : \"DIRECT\"; }}"
        ),
    )
    .unwrap();
    let metrics = dir.path().join("metrics.prom");
    let metrics_spec = format!("prometheus={}", metrics.display());
    let dns = dns_server().to_string();
    let args = |extra: &[&str]| {
        let mut all = vec![
            "check".to_owned(),
            "--only-given".into(),
            "--no-env".into(),
            "--format".into(),
            "json".into(),
            "--dns-server".into(),
            dns.clone(),
            "--phase-timeout".into(),
            "2".into(),
            cat.display().to_string(),
            "--ca-cert".into(),
            ca_file.display().to_string(),
            "--resolve".into(),
            "ok.lab.test=127.0.0.1".into(),
            "--pac".into(),
            pac.display().to_string(),
        ];
        all.extend(extra.iter().map(ToString::to_string));
        all
    };
    let (v, out) = pathprobe_tests::Pathprobe::new(args(&["--output", &metrics_spec]))
        .env("PATHPROBE_NO_CONTROL", "0")
        .json();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(v["results"].as_array().unwrap().len(), 1);
    assert_eq!(v["summary"]["probed"], 1);
    assert_eq!(v["summary"]["ok"], 1);
    let control = &v["control"];
    assert_eq!(
        control["http"]["target"], "http://www.msftconnecttest.com/connecttest.txt",
        "{v:#}"
    );
    assert_eq!(
        control["http"]["route"],
        format!("PROXY 127.0.0.1:{closed}")
    );
    assert_eq!(control["http"]["outcome"], "failed", "{control:#}");
    assert_eq!(control["dns"]["target"], "dns.msftncsi.com");
    assert_eq!(control["dns"]["outcome"], "failed", "{control:#}");
    // The endpoint worked: a control that failed through its proxy makes
    // no finding of its own.
    assert_eq!(v["findings"], serde_json::json!([]), "{v:#}");
    let exposition = std::fs::read_to_string(&metrics).unwrap();
    assert!(!exposition.contains("msftconnecttest"), "{exposition}");

    let (v, out) = pathprobe_tests::Pathprobe::new(args(&["--no-control"]))
        .env("PATHPROBE_NO_CONTROL", "0")
        .json();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(v.get("control").is_none(), "{v:#}");
}

/// A Microsoft 365 feed whose mail sets point at loopback: a port other than
/// 80 and 443 is probed to the end of its TLS handshake, a port whose
/// protocol starts in clear text (SMTP submission, POP3) to its connection,
/// through a proxy's tunnel when there is one; no HTTP request is sent.
#[test]
fn feed_ports_without_http_are_probed_as_far_as_their_protocol_goes() {
    let ca = TestCa::new("pathprobe lab CA");
    let imaps = tls_origin(&ca, &["imaps.lab.test"], 200);
    // SMTP submission listens on 587: a privileged port, bound here.
    let Some(submission) = pathprobe_tests::hold_loopback_port(
        "feed_ports_without_http_are_probed_as_far_as_their_protocol_goes",
        587,
    ) else {
        return;
    };
    // POP3 (110): nothing listens, checked by binding it and letting go.
    drop(std::net::TcpListener::bind("127.0.0.1:110"));
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let feed = dir.path().join("worldwide.json");
    std::fs::write(
        &feed,
        serde_json::json!([
            {"id": 1, "serviceArea": "Exchange", "serviceAreaDisplayName": "Exchange Online",
             "urls": ["imaps.lab.test"], "tcpPorts": imaps.to_string(),
             "category": "Allow", "required": true},
            {"id": 2, "serviceArea": "Exchange", "serviceAreaDisplayName": "Exchange Online",
             "urls": ["smtp.lab.test"], "tcpPorts": "587",
             "category": "Allow", "required": true},
            {"id": 3, "serviceArea": "Exchange", "serviceAreaDisplayName": "Exchange Online",
             "urls": ["pop.lab.test"], "tcpPorts": "110",
             "category": "Allow", "required": false},
            {"id": 4, "serviceArea": "Skype", "serviceAreaDisplayName": "Teams",
             "ips": ["13.107.64.0/18"], "urls": ["media.lab.test"], "udpPorts": "3478-3481",
             "category": "Optimize", "required": true}
        ])
        .to_string(),
    )
    .unwrap();
    let resolve: Vec<String> = ["imaps", "smtp", "pop"]
        .iter()
        .map(|h| format!("{h}.lab.test=127.0.0.1"))
        .collect();
    let mut args = vec![
        feed.to_str().unwrap(),
        "--direct",
        "--ca-cert",
        ca_file.to_str().unwrap(),
    ];
    for r in &resolve {
        args.extend(["--resolve", r.as_str()]);
    }
    let (v, out) = check(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tls_url = format!("https://imaps.lab.test:{imaps}/");
    assert_eq!(
        verdicts(&v),
        vec![
            (tls_url, "ok".into()),
            ("tcp://smtp.lab.test:587".into(), "ok".into()),
            ("tcp://pop.lab.test:110".into(), "tcp_refused".into()),
            ("media.lab.test".into(), "not_probed".into()),
            ("13.107.64.0/18".into(), "not_probed".into()),
        ]
    );
    let phases = |i: usize| -> Vec<String> {
        v["results"][i]["attempts"][0]["phases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["phase"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(phases(0), ["dns", "connect", "tls"]);
    assert_eq!(phases(1), ["dns", "connect"]);
    assert!(
        v["results"][3]["hint"]
            .as_str()
            .unwrap()
            .contains("UDP only (ports 3478-3481)"),
        "{}",
        v["results"][3]
    );
    drop(submission);

    // Through a proxy the connection is its tunnel; a port it does not
    // tunnel to is its refusal, said as such.
    let tunnelled = listener_port();
    let proxy = connect_proxy(HashMap::from([("smtp.lab.test:587".to_owned(), tunnelled)]));
    let proxy_url = format!("http://127.0.0.1:{proxy}");
    let (v, out) = check(&[
        feed.to_str().unwrap(),
        "--proxy",
        &proxy_url,
        "--category",
        "exchange",
        "--required-only",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got = verdicts(&v);
    assert_eq!(got[1], ("tcp://smtp.lab.test:587".into(), "ok".into()));
    assert_eq!(got[0].1, "proxy_denied", "{got:?}");
    let tunnel_phases: Vec<&str> = v["results"][1]["attempts"][0]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    assert_eq!(tunnel_phases, ["dns", "connect", "tunnel"]);
}

/// A port with a listener that accepts and keeps connections.
fn listener_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// `check vendor.json internal.txt`: one run over both lists. A URL both
/// name (written differently) is probed once and listed under each; each
/// endpoint names its rows; filters apply to the rows of every catalog; a
/// configuration file can name both.
#[test]
fn several_catalogs_are_one_run_each_endpoint_keeping_its_sources() {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["ok.lab.test", "own.lab.test"], 200);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let vendor = dir.path().join("vendor.json");
    std::fs::write(
        &vendor,
        serde_json::json!({
            "format": "pathprobe-catalog", "format_version": 1, "name": "Vendor list",
            "endpoints": [
                {"url": format!("https://ok.lab.test:{origin}/"), "category": "Vendor service",
                 "requirement": "optional"},
                {"url": "https://gone.lab.test/", "category": "Vendor service"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let internal = dir.path().join("internal.txt");
    std::fs::write(
        &internal,
        format!("# our own\nok.lab.test:{origin}\nhttps://own.lab.test:{origin}/health\n"),
    )
    .unwrap();
    let pins = ["ok.lab.test=127.0.0.1", "own.lab.test=127.0.0.1"];
    let base = vec![
        "--direct",
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--resolve",
        pins[0],
        "--resolve",
        pins[1],
    ];
    let mut args = vec![vendor.to_str().unwrap(), internal.to_str().unwrap()];
    args.extend(&base);
    let (v, out) = check(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let ok = format!("https://ok.lab.test:{origin}/");
    let own = format!("https://own.lab.test:{origin}/health");
    assert_eq!(
        verdicts(&v),
        vec![
            (ok.clone(), "ok".into()),
            ("https://gone.lab.test/".into(), "dns_failure".into()),
            (own.clone(), "ok".into()),
        ]
    );
    let listed = |i: usize| -> Vec<String> {
        v["results"][i]["listed_in"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(listed(0), ["vendor.json:1", "internal.txt:2"]);
    assert_eq!(listed(2), ["internal.txt:3"]);
    // Required because the internal list, which marks nothing optional,
    // needs it: the stricter of the two.
    assert_eq!(v["results"][0]["required"], true);
    assert_eq!(v["results"][0]["category"], "Vendor service");
    assert!(
        v["catalog"]
            .as_str()
            .unwrap()
            .contains("Vendor list + internal.txt"),
        "{}",
        v["catalog"]
    );

    // A filter applies to every catalog's rows: the internal list has no
    // category, so only the vendor's rows are left.
    let mut filtered = args.clone();
    filtered.extend(["--category", "vendor"]);
    let (v, _) = check(&filtered);
    assert_eq!(
        verdicts(&v),
        vec![
            (ok.clone(), "ok".into()),
            ("https://gone.lab.test/".into(), "dns_failure".into()),
        ]
    );
    assert_eq!(v["results"][0]["listed_in"].as_array().unwrap().len(), 1);

    // The same run from a configuration file naming both catalogs.
    let config = dir.path().join("pathprobe.toml");
    std::fs::write(
        &config,
        format!(
            "catalog = [{:?}, {:?}]\n",
            vendor.to_str().unwrap(),
            internal.to_str().unwrap()
        ),
    )
    .unwrap();
    let mut from_file = vec!["--config", config.to_str().unwrap()];
    from_file.extend(&base);
    let (v, out) = check(&from_file);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(verdicts(&v).len(), 3);
    assert_eq!(v["results"][0]["listed_in"].as_array().unwrap().len(), 2);

    // One bad catalog among several stops the run naming that file.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"format\": 3}").unwrap();
    let mut bad = vec![
        "check",
        "--only-given",
        "--no-env",
        vendor.to_str().unwrap(),
        broken.to_str().unwrap(),
    ];
    bad.extend(&base);
    let out = pathprobe_tests::run(&bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.json"), "{}", stderr(&out));
}

#[test]
fn a_pac_fallback_list_is_no_way_around_a_proxys_answer() {
    // "PROXY p; DIRECT": a client moves on to DIRECT when p cannot be
    // reached, never when p answers (a refusal, a 407, a method it does not
    // allow): PAC files rely on that to block.
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["ok.lab.test"], 200);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let url = format!("https://ok.lab.test:{origin}/");
    let cat = write_catalog(dir.path(), &[&url]);
    let dead = pathprobe_tests::closed_port();
    let refusing = pathprobe_tests::answering(
        "HTTP/1.1 403 Forbidden\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nContent-Length: 0\r\n\r\n",
    );
    let auth = auth_proxy();
    let written = std::cell::Cell::new(0);
    let run_pac = |routes: &str, extra: &[&str]| {
        written.set(written.get() + 1);
        let pac = dir.path().join(format!("p{}.pac", written.get()));
        std::fs::write(
            &pac,
            format!("function FindProxyForURL(url, host) {{ return \"{routes}\"; }}"),
        )
        .unwrap();
        let mut args = vec![
            cat.to_str().unwrap(),
            "--pac",
            pac.to_str().unwrap(),
            "--resolve",
            "ok.lab.test=127.0.0.1",
            "--ca-cert",
            ca_file.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let (v, out) = check(&args);
        let r = v["results"][0].clone();
        let routes: Vec<String> = r["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["verdict"].as_str().unwrap().to_owned())
            .collect();
        (
            r["verdict"].as_str().unwrap().to_owned(),
            routes,
            out.status.code(),
            v,
        )
    };
    let run =
        |proxy: u16, extra: &[&str]| run_pac(&format!("PROXY 127.0.0.1:{proxy}; DIRECT"), extra);
    // A dead proxy: DIRECT is tried and works.
    let (verdict, tried, code, _) = run(dead, &[]);
    assert_eq!((verdict.as_str(), code), ("ok", Some(0)), "{tried:?}");
    assert_eq!(tried, ["proxy_unreachable", "ok"]);
    // A refusal ends the try, as in a browser: DIRECT is not tried.
    let (verdict, tried, code, v) = run(refusing, &[]);
    assert_eq!((verdict.as_str(), code), ("proxy_denied", Some(1)), "{v:#}");
    assert_eq!(tried, ["proxy_denied"]);
    // So does a 407.
    let (verdict, tried, _, _) = run(auth, &[]);
    assert_eq!(verdict, "proxy_auth_required");
    assert_eq!(tried, ["proxy_auth_required"]);
    // --all-routes still shows DIRECT working, but the verdict is what the
    // client meets.
    let (verdict, tried, code, v) = run(refusing, &["--all-routes"]);
    assert_eq!(tried, ["proxy_denied", "ok"], "{v:#}");
    assert_eq!((verdict.as_str(), code), ("proxy_denied", Some(1)));
    assert_eq!(
        v["findings"][0]["kind"], "proxy_denied",
        "{:#}",
        v["findings"]
    );
    // A SOCKS proxy's failure reply, even a refusal by its rules: Chromium
    // moves on (ERR_SOCKS_CONNECTION_FAILED), so DIRECT decides.
    let (socks, _) = scripted_socks5(&[5, 2, 0, 1, 0, 0, 0, 0, 0, 0]);
    let (verdict, tried, code, v) = run_pac(&format!("SOCKS5 127.0.0.1:{socks}; DIRECT"), &[]);
    assert_eq!(tried, ["proxy_denied", "ok"], "{v:#}");
    assert_eq!((verdict.as_str(), code), ("ok", Some(0)));
    // An HTTP proxy that takes CONNECT and closes: Chromium stops there
    // (ERR_EMPTY_RESPONSE), and so does the verdict.
    let closing = pathprobe_tests::answering("");
    let (verdict, tried, code, v) = run(closing, &[]);
    assert_eq!(tried, ["proxy_unreachable"], "{v:#}");
    assert_eq!((verdict.as_str(), code), ("proxy_unreachable", Some(1)));
    // DIRECT first, failing its TLS handshake (a plain server on the TLS
    // port): no fallback to the proxy that would work (Chromium:
    // ERR_SSL_PROTOCOL_ERROR); DIRECT refused does fall back.
    let plain = pathprobe_tests::answering("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    let proxy = connect_proxy(HashMap::from([(format!("plain.lab.test:{plain}"), origin)]));
    let through = write_catalog(dir.path(), &[&format!("https://plain.lab.test:{plain}/")]);
    let pac = dir.path().join("direct-first.pac");
    std::fs::write(
        &pac,
        format!(
            "function FindProxyForURL(url, host) {{ return \"DIRECT; PROXY 127.0.0.1:{proxy}\"; }}"
        ),
    )
    .unwrap();
    let (v, _) = check(&[
        through.to_str().unwrap(),
        "--pac",
        pac.to_str().unwrap(),
        "--resolve",
        "plain.lab.test=127.0.0.1",
        "--ca-cert",
        ca_file.to_str().unwrap(),
    ]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "tls_handshake_failed", "{r:#}");
    assert_eq!(r["attempts"].as_array().unwrap().len(), 1, "{r:#}");
}

#[test]
fn a_private_ca_whose_name_holds_a_product_word_is_no_interception() {
    // "Presets" holds "eset", "passwordreset" too: an untrusted chain from
    // such a CA is untrusted, not "re-signed by ESET".
    let ca = TestCa::new("Presets Inc Issuing CA");
    let v = check_origin(&ca, "passwordreset.lab.test", &[]);
    let dir = tempfile::tempdir().unwrap();
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "tls_untrusted", "{r:#}");
    assert!(!v.to_string().contains("ESET"), "{v:#}");

    // A product's name in the issuer's town is no product; a product's CA
    // the user trusts, whose leaf expired, is an expired certificate.
    let town = TestCa::new("Example Hospital Root CA, L=Palo Alto");
    let hospital = tls_origin(&town, &["hospital.lab.test"], 200);
    let sophos = TestCa::new("Sophos SSL CA");
    let expired = pathprobe_tests::lab::flawed_tls_origin(
        &sophos,
        &["expired.lab.test"],
        pathprobe_tests::lab::TlsFlaw::Expired,
    );
    let sophos_file = dir.path().join("sophos.pem");
    sophos.write_pem(&sophos_file);
    let cat = write_catalog(
        dir.path(),
        &[
            &format!("https://hospital.lab.test:{hospital}/"),
            &format!("https://expired.lab.test:{expired}/"),
        ],
    );
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--direct",
        "--resolve",
        "*.lab.test=127.0.0.1",
        "--ca-cert",
        sophos_file.to_str().unwrap(),
    ]);
    let verdicts = pathprobe_tests::verdicts_of(&v);
    assert_eq!(verdicts, ["tls_untrusted", "tls_untrusted"], "{v:#}");
    assert!(
        v["results"][1]["attempts"][0]["evidence"]
            .to_string()
            .contains("expired"),
        "{v:#}"
    );
}

#[test]
fn ctrl_c_or_the_deadline_while_a_catalog_is_fetched_still_replaces_the_report() {
    // A catalog server that takes the request and never answers; the last
    // run's report is in place.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (asked_tx, asked) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().map_while(Result::ok) {
            held.push(stream);
            let _ = asked_tx.send(());
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("report.json");
    let catalog = format!("http://127.0.0.1:{port}/catalog.txt");
    let spec = format!("json={}", out_file.display());
    let start = |extra: &[&str]| {
        std::fs::write(&out_file, "{\"last\": \"run\"}").unwrap();
        pathprobe_tests::command_with_env(&[
            ("PATHPROBE_NO_CONTROL", "1"),
            ("XDG_CACHE_HOME", dir.path().join("cache").to_str().unwrap()),
        ])
        .args(["check", &catalog, "--only-given", "--no-env", "--direct"])
        .args(["--output", &spec])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
    };
    let replaced = |why: &str| {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
        assert_eq!(v["summary"]["partial"], true, "{v:#}");
        assert!(v["warnings"].to_string().contains(why), "{v:#}");
    };

    // Ctrl-C while the fetch waits: exit 130, the empty report written.
    let child = start(&[]);
    asked
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the catalog was never asked for");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("interrupted (Ctrl-C)"),
        "{}",
        stderr(&out)
    );
    replaced("interrupted (Ctrl-C)");

    // The deadline passing while it waits: exit 1 (cut), not 2 (bad
    // input), and the report replaced too.
    let out = start(&["--deadline", "2"]).wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    replaced("the deadline (2 s) passed first");
}

/// Round 17. A secret the process knows, inside a table cell long enough
/// to wrap, and a proxy password that breaks its URL (an unencoded `/`, or
/// the host forgotten): none of it reaches any output.
#[test]
fn secrets_are_out_of_wrapped_cells_and_broken_proxy_urls() {
    let secret = "K9xQzLmW7vTrP";
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    std::fs::write(
        &list,
        format!(
            "https://long.example.test/{}/aaaa{secret}bbbb/{}\n",
            "p".repeat(70),
            "q".repeat(70)
        ),
    )
    .unwrap();
    let pieces = |text: &str| -> Vec<String> {
        (0..secret.len() - 4)
            .map(|i| secret[i..i + 5].to_owned())
            .filter(|piece| text.contains(piece.as_str()))
            .collect()
    };
    for args in [
        vec!["urls", "list", list.to_str().unwrap()],
        vec!["urls", "list", list.to_str().unwrap(), "-v"],
    ] {
        let out = run_with_env(
            args.clone(),
            &[
                ("http_proxy", &format!("http://bob:{secret}@127.0.0.1:1")),
                ("COLUMNS", "70"),
            ],
        );
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            pieces(&all).is_empty(),
            "{args:?}: {:?}\n{all}",
            pieces(&all)
        );
    }
    let plain = write_catalog(dir.path(), &["https://plain.example.test/"]);
    for value in [
        "http://bob:K9x/QzLmW7vTrP@127.0.0.1:19510".to_owned(),
        format!("http://bob:{secret}"),
    ] {
        let out = run_with_env(
            [
                "check",
                plain.to_str().unwrap(),
                "--only-given",
                "--no-config",
                "--deadline",
                "3",
                "--dns-server",
                "127.0.0.1:9",
            ],
            &[
                ("https_proxy", value.as_str()),
                ("HTTPS_PROXY", value.as_str()),
            ],
        );
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            !all.contains("QzLmW7vTrP") && !all.contains(secret),
            "{value}: {all}"
        );
    }
}

/// Round 20. Counts past what a machine can hold, and port 0, are input
/// errors naming the range: a DNS bound of 2^64 - 1 panicked the resolver,
/// and a proxy on port 0 was in force.
#[test]
fn counts_and_ports_out_of_range_are_refused() {
    for (flag, value, said) in [
        (
            "--dns-concurrency",
            "18446744073709551615",
            "from 0 (no bound) to 65536",
        ),
        (
            "--dns-concurrency",
            "2305843009213693952",
            "from 0 (no bound) to 65536",
        ),
        ("--concurrency", "18446744073709551615", "from 1 to 65536"),
        (
            "--proxy",
            "http://a:pw@127.0.0.1:0",
            "its port is not a number from 1 to 65535",
        ),
        ("--wpad-port", "0", "0"),
    ] {
        let given = format!("{flag}={value}");
        let out = run_with_env(
            ["check", "--only-given", "--no-env", "--no-config", &given],
            &[],
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flag} {value}: {}",
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(
            err.contains(said) && !err.contains("panicked"),
            "{flag} {value}: {err}"
        );
        assert!(!err.contains(":pw@"), "{err}");
    }
}

/// Round 21. A row written twice in one file, in any spelling of its URL,
/// is probed once and names both rows; its report is no "edited" one (four
/// rows were four probes, and the saved report was said to be joined).
#[test]
fn a_row_written_twice_is_probed_once() {
    let origin = pathprobe_tests::answering(
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("twice.csv");
    std::fs::write(
        &catalog,
        format!(
            "URL\nhttp://a.lab.test:{origin}/\nhttp://a.lab.test:{origin}/\nHTTP://A.LAB.TEST:{origin}/\n"
        ),
    )
    .unwrap();
    let saved = dir.path().join("r.json");
    let (v, out) = check_json(
        &[
            catalog.to_str().unwrap(),
            "--direct",
            "--resolve",
            "a.lab.test=127.0.0.1",
            "--output",
            &format!("json={}", saved.display()),
        ],
        "2",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{v:#}");
    assert_eq!(
        results[0]["listed_in"].as_array().map(Vec::len),
        Some(3),
        "{v:#}"
    );
    let out = run_with_env(["report", "render", saved.to_str().unwrap()], &[]);
    assert!(!stderr(&out).contains("word for word"), "{}", stderr(&out));
}

/// Round 22. A proxy answering a request for a page with a tunnel's
/// answer (`200 Connection established`): nothing reached the service, so
/// the request did not work; it was `ok`.
#[test]
fn a_tunnels_answer_to_a_page_request_is_no_answer_of_the_service() {
    let proxy = pathprobe_tests::answering("HTTP/1.1 200 Connection established\r\n\r\n");
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["http://svc.lab.test:19021/"]);
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--proxy",
            &format!("http://127.0.0.1:{proxy}"),
        ],
        "2",
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_unreachable", "{}\n{r:#}", stderr(&out));
    assert!(
        r.to_string()
            .contains("with a tunnel's answer (200 Connection established)"),
        "{r:#}"
    );
}

/// Round 22. 511 (RFC 6585) comes from a device in the path, never from the
/// service: directly it is a captive portal's sign-in (it was `ok`);
/// passed on by a proxy with `Via` and no mark of its own, it came from
/// beyond that proxy, and `fix` asks that proxy for nothing (squid was said
/// to send it, and told to exempt the URL).
#[test]
fn a_network_sign_in_is_the_paths_and_never_the_relaying_proxys() {
    let portal = pathprobe_tests::answering(
        "HTTP/1.1 511 Network Authentication Required\r\nContent-Length: 0\r\n\r\n",
    );
    let relaying = pathprobe_tests::answering(
        "HTTP/1.1 511 Network Authentication Required\r\nVia: 1.1 corp-proxy (squid/5.7)\r\nContent-Length: 0\r\n\r\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let direct = write_catalog(dir.path(), &[&format!("http://svc.lab.test:{portal}/")]);
    let (v, out) = check_json(
        &[
            direct.to_str().unwrap(),
            "--direct",
            "--resolve",
            "svc.lab.test=127.0.0.1",
        ],
        "2",
    );
    let r = &v["results"][0];
    assert_eq!(
        r["verdict"],
        "proxy_auth_required",
        "{}\n{r:#}",
        stderr(&out)
    );
    let through = write_catalog(dir.path(), &["http://svc.lab.test:19021/"]);
    let saved = dir.path().join("r.json");
    let (v, out) = check_through_saving(&through, &format!("http://127.0.0.1:{relaying}"), &saved);
    let r = &v["results"][0];
    assert_eq!(
        r["verdict"],
        "proxy_auth_required",
        "{}\n{r:#}",
        stderr(&out)
    );
    let hint = r["hint"].as_str().unwrap();
    // Round 23: a proxy may add its Via to its own page: unsure, said so.
    assert!(
        hint.contains("or a device beyond it") && !hint.contains("exempt these URLs"),
        "{hint}"
    );
    assert!(r.to_string().contains("attribution: unsure"), "{r:#}");
    let fixed = pathprobe_tests::run(["fix", saved.to_str().unwrap()]);
    let text = pathprobe_tests::stdout(&fixed);
    assert!(!text.contains("svc.lab.test"), "{text}\n{}", stderr(&fixed));
}

/// Round 24. A bare 504 to a plain-http request through a proxy (no Via,
/// no mark) may be the service's own, passed on by a proxy that adds no Via
/// (mitmproxy): unsure, as a bare 502 or 503 is; it was "traffic beyond the
/// proxy is dropped". To CONNECT, a 504 is the proxy's.
#[test]
fn a_bare_504_relayed_on_plain_http_is_unsure() {
    let proxy = pathprobe_tests::answering(
        "HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(
        dir.path(),
        &["http://svc.lab.test:19021/", "https://svc.lab.test:19022/"],
    );
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--proxy",
            &format!("http://127.0.0.1:{proxy}"),
        ],
        "2",
    );
    let plain = &v["results"][0];
    assert_eq!(
        plain["verdict"],
        "proxy_denied",
        "{}\n{plain:#}",
        stderr(&out)
    );
    assert!(
        plain.to_string().contains("attribution: unsure"),
        "{plain:#}"
    );
    let tunnel = &v["results"][1];
    assert_eq!(tunnel["verdict"], "tcp_timeout", "{tunnel:#}");
}
