//! Checks through real peers that more than one test file runs: the Linux
//! binary in `peers_check.rs`, the Windows build under Wine in `wine.rs`
//! (each [`Pathprobe`](crate::Pathprobe) run is whichever binary the test
//! process was given). Each returns early, having printed why, when its
//! peer is missing (a failure under `PATHPROBE_REQUIRE_PEERS`).

// Test scenarios: a panic (also from indexing a report) is a failed test.
#![allow(clippy::indexing_slicing)]

use crate::lab::{TestCa, tls_origin};
use crate::peers::{SquidSetup, mitmdump, require, require_squid, squid};
use crate::{check_json, stderr, stdout, write_catalog};

fn check(args: &[&str]) -> (serde_json::Value, std::process::Output) {
    // Under Wine a run starts slower: the phase limit leaves room for it.
    check_json(args, "10")
}

/// squid as an open forward proxy carries the probe, and its deny rule is
/// `proxy_denied` naming squid.
pub fn squid_open_proxy_carries_the_probe_and_denies_by_rule() {
    let Some(binary) = require_squid("squid_open_proxy_carries_the_probe_and_denies_by_rule")
    else {
        return;
    };
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["svc.lab.test"], 200);
    let proxy = squid(
        &binary,
        &SquidSetup {
            hosts: vec!["svc.lab.test".into()],
            blocked: vec![".blocked.lab.test".into()],
            ..SquidSetup::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    ca.write_pem(&ca_file);
    let ok = format!("https://svc.lab.test:{origin}/");
    // A port nothing listens on, asked in plain http: squid's own
    // connection is refused, and it says so (503, ERR_CONNECT_FAIL 111).
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = format!("http://svc.lab.test:{closed}/");
    let cat = write_catalog(
        dir.path(),
        &[&ok, "https://www.blocked.lab.test/", &refused],
    );
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{}", proxy.port),
        "--ca-cert",
        ca_file.to_str().unwrap(),
    ]);
    assert_eq!(v["results"][0]["verdict"], "ok", "{}\n{v:#}", stderr(&out));
    assert_eq!(v["results"][1]["verdict"], "proxy_denied", "{v:#}");
    let evidence = v["results"][1]["attempts"][0]["evidence"].to_string();
    assert!(
        evidence.contains("403") && evidence.contains("Squid"),
        "{evidence}"
    );
    // Not a refusal by the proxy: the destination's, as squid reports it.
    assert_eq!(v["results"][2]["verdict"], "tcp_refused", "{v:#}");
    let evidence = v["results"][2]["attempts"][0]["evidence"].to_string();
    assert!(
        evidence.contains("the destination refused the connection")
            && evidence.contains("ERR_CONNECT_FAIL 111"),
        "{evidence}"
    );
}

/// squid asking credentials: its schemes and realm in the evidence and one
/// finding; the right credentials pass, wrong ones are "rejected".
pub fn squid_with_authentication_offers_its_schemes_and_checks_credentials() {
    let Some(binary) =
        require_squid("squid_with_authentication_offers_its_schemes_and_checks_credentials")
    else {
        return;
    };
    if require(
        "squid_with_authentication",
        &["htpasswd"],
        "htpasswd (Debian package apache2-utils)",
    )
    .is_none()
    {
        return;
    }
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["svc.lab.test"], 200);
    let proxy = squid(
        &binary,
        &SquidSetup {
            auth: Some(("agent".into(), "Corr3ct-horse".into())),
            hosts: vec!["svc.lab.test".into()],
            ..SquidSetup::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    ca.write_pem(&ca_file);
    let url = format!("https://svc.lab.test:{origin}/");
    let cat = write_catalog(dir.path(), &[&url]);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &proxy_url,
        "--ca-cert",
        ca_file.to_str().unwrap(),
    ]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "proxy_auth_required", "{r:#}");
    let evidence = r["attempts"][0]["evidence"].to_string();
    for scheme in ["Negotiate", "NTLM", "Basic"] {
        assert!(evidence.contains(scheme), "{scheme} missing: {evidence}");
    }
    assert!(evidence.contains("pathprobe lab"), "realm: {evidence}");
    // The finding names the proxy, its schemes and realm.
    let f = &v["findings"][0];
    assert_eq!(v["findings"].as_array().unwrap().len(), 1, "{v:#}");
    assert_eq!(f["kind"], "proxy_authentication");
    assert_eq!(f["component"], format!("PROXY 127.0.0.1:{}", proxy.port));
    let evidence = f["evidence"].to_string();
    assert!(
        evidence.contains("offered schemes: Negotiate, NTLM, Basic")
            && evidence.contains("realm: pathprobe lab"),
        "{f:#}"
    );

    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &proxy_url,
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--proxy-user",
        "agent:Corr3ct-horse",
    ]);
    assert_eq!(v["results"][0]["verdict"], "ok", "{v:#}");
    assert!(!format!("{}{}", stdout(&out), stderr(&out)).contains("Corr3ct-horse"));
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &proxy_url,
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--proxy-user",
        "agent:wrong",
    ]);
    assert_eq!(v["results"][0]["verdict"], "proxy_auth_required");
    assert!(
        v["results"][0]["attempts"][0]["evidence"]
            .to_string()
            .contains("rejected")
    );
    // Round 20: the password is the first thing to check.
    assert!(
        v["results"][0]["hint"]
            .as_str()
            .unwrap_or_default()
            .starts_with("the proxy rejected the credentials given (--proxy-user): check the user name and password"),
        "{v:#}"
    );
}

/// mitmproxy re-signing with its own CA and with a "Zscaler" one: the
/// interception named for the product, also in the finding.
pub fn mitmproxy_interception_is_detected_with_its_own_ca_and_a_product_ca() {
    let Some(binary) = require(
        "mitmproxy_interception_is_detected",
        &["/opt/pathprobe-mitmproxy/bin/mitmdump", "mitmdump"],
        "mitmproxy (PyPI mitmproxy)",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cat = write_catalog(dir.path(), &["https://winatp-gw-weu.microsoft.com/"]);

    let plain = mitmdump(&binary, None);
    let (v, out) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{}", plain.port),
    ]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "tls_intercepted", "{}\n{r:#}", stderr(&out));
    assert!(
        r["attempts"][0]["evidence"]
            .to_string()
            .contains("mitmproxy"),
        "{r:#}"
    );
    assert_eq!(v["findings"][0]["kind"], "tls_inspection", "{v:#}");
    assert_eq!(v["findings"][0]["component"], "mitmproxy");

    let zscaler = TestCa::new("Zscaler Root CA");
    let disguised = mitmdump(&binary, Some((zscaler.key_pem(), zscaler.pem())));
    let (v, _) = check(&[
        cat.to_str().unwrap(),
        "--proxy",
        &format!("http://127.0.0.1:{}", disguised.port),
    ]);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "tls_intercepted");
    assert!(
        r["attempts"][0]["evidence"].to_string().contains("Zscaler"),
        "{r:#}"
    );
    // The product, not the proxy, is what the finding is about.
    assert_eq!(v["findings"][0]["kind"], "tls_inspection", "{v:#}");
    assert_eq!(v["findings"][0]["component"], "Zscaler");
    assert!(
        r["attempts"][0]["tls"]["chain"][0]["issuer"]
            .as_str()
            .unwrap()
            .contains("Zscaler")
    );
}
