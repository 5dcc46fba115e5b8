//! Situations engineers meet, each against the real peer, with the verdict
//! and evidence it must give: a name with an IPv6 and an IPv4 address where
//! only one family answers; a PAC offering HTTPS, SOCKS5 and DIRECT, tried in
//! that order; squid as the HTTP proxy of a plain-http target (the CRL rows).

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_tests::lab::{TestCa, tls_origin};
use pathprobe_tests::peers::{SquidSetup, dante, free_port, require, require_squid, squid};
use pathprobe_tests::{check_json, serve_http, serve_http_on, stderr, write_catalog};

fn phase<'a>(attempt: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    attempt["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phase"] == name)
        .unwrap_or_else(|| panic!("no {name} phase in {attempt}"))
}

/// The report names the family that worked and the one that failed.
#[test]
fn a_dual_stack_name_with_one_family_listening_says_which() {
    let v4_only = serve_http(Some("text/plain"), b"ok".to_vec());
    let v6_only = serve_http_on("[::1]:0", Some("text/plain"), b"ok".to_vec());
    let dir = tempfile::tempdir().unwrap();
    let v4_url = format!("http://dual.lab.test:{v4_only}/");
    let v6_url = format!("http://dual6.lab.test:{v6_only}/");
    let cat = write_catalog(dir.path(), &[&v4_url, &v6_url]);
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--direct",
            // IPv6 first, as resolvers order them on a dual-stack host.
            "--resolve",
            "dual.lab.test=::1",
            "--resolve",
            "dual.lab.test=127.0.0.1",
            "--resolve",
            "dual6.lab.test=127.0.0.1",
            "--resolve",
            "dual6.lab.test=::1",
        ],
        "3",
    );
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{}", stderr(&out));
    let connect = |r: &serde_json::Value| {
        assert_eq!(r["verdict"], "ok", "{r}");
        phase(&r["attempts"][0], "connect")["detail"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let d = connect(&results[0]);
    assert!(
        d.contains(&format!("connected to 127.0.0.1:{v4_only} over IPv4"))
            && d.contains(&format!("[::1]:{v4_only} over IPv6 refused")),
        "{d}"
    );
    let d = connect(&results[1]);
    assert!(
        d.contains(&format!("connected to [::1]:{v6_only} over IPv6"))
            && d.contains(&format!("127.0.0.1:{v6_only} over IPv4 refused")),
        "{d}"
    );
}

/// `HTTPS p:port; SOCKS5 s:port; DIRECT`: each route in that order until one
/// works, every attempt in the report.
#[test]
fn a_pac_route_list_is_tried_in_order() {
    let Some(danted) = require(
        "a_pac_route_list_is_tried_in_order",
        &["/usr/sbin/danted", "danted"],
        "dante (Debian package dante-server)",
    ) else {
        return;
    };
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["127.0.0.1"], 200);
    let socks = dante(&danted);
    let dead = free_port();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let url = format!("https://127.0.0.1:{origin}/");
    let cat = write_catalog(dir.path(), &[&url]);
    let run = |socks_port: u16| {
        let pac = dir.path().join(format!("order-{socks_port}.pac"));
        std::fs::write(
            &pac,
            format!(
                "function FindProxyForURL(url, host) {{ return \"HTTPS 127.0.0.1:{dead}; SOCKS5 127.0.0.1:{socks_port}; DIRECT\"; }}\n"
            ),
        )
        .unwrap();
        let (v, out) = check_json(
            &[
                cat.to_str().unwrap(),
                "--pac",
                pac.to_str().unwrap(),
                "--ca-cert",
                ca_file.to_str().unwrap(),
            ],
            "3",
        );
        let r = v["results"][0].clone();
        assert_eq!(r["verdict"], "ok", "{r}\n{}", stderr(&out));
        r["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["route"]["kind"].as_str().unwrap_or("direct").to_owned(),
                    a["verdict"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    // The HTTPS proxy is down: SOCKS5 carries the probe, DIRECT is not tried.
    assert_eq!(
        run(socks.port),
        [
            ("https".to_owned(), "proxy_unreachable".to_owned()),
            // A PAC's SOCKS5 sends the name to the proxy, as browsers do.
            ("socks5h".to_owned(), "ok".to_owned())
        ]
    );
    // Both proxies down: DIRECT, last.
    let attempts = run(free_port());
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    assert_eq!(attempts[0].1, "proxy_unreachable");
    assert_eq!(
        attempts[1],
        ("socks5h".to_owned(), "proxy_unreachable".to_owned())
    );
    assert_eq!(attempts[2].1, "ok");
}

/// A plain-http target through squid: an absolute-form GET, answered by the
/// origin through the proxy.
#[test]
fn squid_carries_a_plain_http_probe() {
    let Some(binary) = require_squid("squid_carries_a_plain_http_probe") else {
        return;
    };
    let origin = serve_http(Some("application/pkix-crl"), b"crl".to_vec());
    let proxy = squid(
        &binary,
        &SquidSetup {
            hosts: vec!["crl.lab.test".into()],
            ..SquidSetup::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://crl.lab.test:{origin}/pki/crl/products/x.crl");
    let cat = write_catalog(dir.path(), &[&url]);
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--proxy",
            &format!("http://127.0.0.1:{}", proxy.port),
        ],
        "5",
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "ok", "{r}\n{}", stderr(&out));
    let a = &r["attempts"][0];
    assert_eq!(a["route"]["kind"], "http", "{a}");
    assert_eq!(a["status"], 200);
    // No CONNECT for plain http: the request itself goes to the proxy.
    assert!(
        a["phases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["phase"] != "tunnel"),
        "{a}"
    );
}

/// A squid that offers only Digest: the verdict names the scheme and realm,
/// and credentials given (pathprobe sends Basic) are said to be unusable
/// there, not wrong.
#[test]
fn a_digest_only_squid_is_named_as_such() {
    let Some(binary) = require_squid("a_digest_only_squid_is_named_as_such") else {
        return;
    };
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["svc.lab.test"], 200);
    let proxy = squid(
        &binary,
        &SquidSetup {
            hosts: vec!["svc.lab.test".into()],
            digest_only: Some(("agent".into(), "s3cret".into())),
            ..SquidSetup::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let url = format!("https://svc.lab.test:{origin}/");
    let cat = write_catalog(dir.path(), &[&url]);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let base = [
        cat.to_str().unwrap(),
        "--proxy",
        proxy_url.as_str(),
        "--ca-cert",
        ca_file.to_str().unwrap(),
    ];
    let (v, out) = check_json(&base, "5");
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_auth_required", "{r}\n{}", stderr(&out));
    let evidence = r["attempts"][0]["evidence"].to_string();
    assert!(evidence.contains("offered schemes: Digest"), "{evidence}");
    assert!(
        evidence.contains("realm: pathprobe digest lab"),
        "{evidence}"
    );

    let mut with_user = base.to_vec();
    with_user.extend(["--proxy-user", "agent:s3cret"]);
    let (v, _) = check_json(&with_user, "5");
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_auth_required", "{r}");
    let evidence = r["attempts"][0]["evidence"].to_string();
    assert!(
        evidence.contains("not usable") && evidence.contains("Basic"),
        "{evidence}"
    );
    assert!(!v.to_string().contains("s3cret"), "the password leaked");
}

/// An HTTPS proxy (squid on https_port) whose own certificate comes from a
/// private CA: trusted with `--ca-cert`, it carries the probe; without it,
/// the proxy is the one named as untrusted, not the endpoint.
#[test]
fn an_https_squid_with_a_private_ca_is_trusted_through_ca_cert() {
    let Some(binary) = require_squid("an_https_squid_with_a_private_ca_is_trusted_through_ca_cert")
    else {
        return;
    };
    let ca = TestCa::new("Corp Private Root CA");
    let origin = tls_origin(&ca, &["svc.lab.test"], 200);
    let dir = tempfile::tempdir().unwrap();
    let (chain, key) = (dir.path().join("chain.pem"), dir.path().join("key.pem"));
    ca.write_leaf(&["127.0.0.1"], &chain, &key);
    let proxy = squid(
        &binary,
        &SquidSetup {
            hosts: vec!["svc.lab.test".into()],
            tls: Some((chain, key)),
            ..SquidSetup::default()
        },
    );
    let ca_file = ca.pem_in(dir.path());
    let url = format!("https://svc.lab.test:{origin}/");
    let cat = write_catalog(dir.path(), &[&url]);
    let proxy_url = format!("https://127.0.0.1:{}", proxy.port);
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--proxy",
            &proxy_url,
            "--ca-cert",
            ca_file.to_str().unwrap(),
        ],
        "5",
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "ok", "{r}\n{}", stderr(&out));
    assert_eq!(r["attempts"][0]["route"]["kind"], "https");

    let (v, _) = check_json(&[cat.to_str().unwrap(), "--proxy", &proxy_url], "5");
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_unreachable", "{r}");
    let evidence = r["attempts"][0]["evidence"].to_string();
    assert!(
        evidence.contains("its TLS certificate is not trusted"),
        "{evidence}"
    );
    // Round 20: it answered, so its address is right; the phase failed.
    let hint = r["hint"].as_str().unwrap();
    assert!(
        hint.contains("with a certificate this machine does not trust: give its CA with --ca-cert")
            && !hint.contains("check its address"),
        "{hint}"
    );
    let tunnel = r["attempts"][0]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phase"] == "tunnel")
        .cloned()
        .unwrap_or_default();
    assert_eq!(tunnel["ok"], false, "{r:#}");
    let finding = v["findings"].to_string();
    assert!(
        finding.contains("trust the HTTPS proxy's certificate"),
        "{finding}"
    );
}
