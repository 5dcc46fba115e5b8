//! Every form a host takes in a catalog is probed, not dropped as prose:
//! single-label names, `localhost`, IPv4 and IPv6 literals, with ports.
//! Engineers list their own endpoints (the PAC server, the proxy, an
//! on-premises relay) beside the vendor's.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_tests::{check_json, run, serve_http, serve_http_on, stderr, stdout};

#[test]
fn intranet_names_literals_and_localhost_are_probed() {
    let v4 = serve_http(Some("text/plain"), b"ok".to_vec());
    let v6 = serve_http_on("[::1]:0", Some("text/plain"), b"ok".to_vec());
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("own.txt");
    let urls = [
        format!("http://intranet-gw:{v4}/health"),
        format!("http://localhost:{v4}/"),
        format!("http://127.0.0.1:{v4}/"),
        format!("http://[::1]:{v6}/"),
        format!("HTTP://INTRANET-GW.:{v4}/"),
        format!("http://bücher.lab.test:{v4}"),
    ];
    std::fs::write(
        &list,
        urls.join("\n") + "\n# a comment\nnot a host at all\n",
    )
    .unwrap();
    let path = list.to_str().unwrap();

    // Listed as probeable; the only prose row says why it is one.
    let out = run(["urls", "list", path, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let entries = listed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 7, "{listed:#}");
    for e in &entries[..6] {
        assert_eq!(e["kind"], "url", "{e}");
    }
    assert_eq!(entries[6]["kind"], "prose");
    // An internationalised name is probed as punycode and shown in both forms.
    assert_eq!(
        entries[5]["target"],
        format!("http://xn--bcher-kva.lab.test:{v4}")
    );
    assert_eq!(
        entries[5]["target_unicode"],
        format!("http://bücher.lab.test:{v4}")
    );
    assert!(
        listed["notices"].to_string().contains("spaces"),
        "{}",
        listed["notices"]
    );

    let (v, out) = check_json(
        &[
            path,
            "--direct",
            "--resolve",
            "intranet-gw=127.0.0.1",
            "--resolve",
            "bücher.lab.test=127.0.0.1",
        ],
        "3",
    );
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 7, "{v:#}");
    for r in &results[..6] {
        assert_eq!(r["verdict"], "ok", "{r}\n{}", stdout(&out));
    }
    assert_eq!(results[3]["url"], format!("http://[::1]:{v6}/"));
    // localhost answers on loopback by design: not a sinkhole.
    assert_eq!(results[1]["verdict"], "ok");
    assert_eq!(results[6]["verdict"], "not_probed");
    assert!(
        results[6]["hint"].as_str().unwrap().contains("spaces"),
        "{}",
        results[6]
    );
}

/// One reading of a host everywhere: a catalog URL, a `--resolve` pin, a
/// NO_PROXY entry and the PAC host argument agree however the host is
/// written (case, trailing dot, brackets).
#[test]
fn catalogs_pins_no_proxy_and_pac_read_a_host_alike() {
    let v4 = serve_http(Some("text/plain"), b"ok".to_vec());
    let v6 = serve_http_on("[::1]:0", Some("text/plain"), b"ok".to_vec());
    let dead_proxy = pathprobe_tests::peers::free_port();
    let dir = tempfile::tempdir().unwrap();
    let cat = pathprobe_tests::write_catalog(
        dir.path(),
        &[
            &format!("http://intranet-gw:{v4}/"),
            &format!("http://[::1]:{v6}/"),
            &format!("http://other.lab.test:{v4}/"),
        ],
    );
    let dns = pathprobe_tests::lab::dns_server().to_string();
    let out = pathprobe_tests::run_with_env(
        [
            "check",
            cat.to_str().unwrap(),
            "--only-given",
            "--format",
            "json",
            "--dns-server",
            &dns,
            "--phase-timeout",
            "3",
            "--resolve",
            "INTRANET-GW.=127.0.0.1",
            "--resolve",
            "Other.Lab.Test=127.0.0.1",
        ],
        &[
            ("http_proxy", &format!("http://127.0.0.1:{dead_proxy}")),
            // Space-separated, upper case, trailing dot, bracketed IPv6.
            ("no_proxy", "Intranet-GW. [::1]"),
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), stderr(&out)));
    let results = v["results"].as_array().unwrap();
    // Bypassed, and pinned: direct and ok.
    assert_eq!(results[0]["verdict"], "ok", "{}", results[0]);
    assert_eq!(results[1]["verdict"], "ok", "{}", results[1]);
    // Not in NO_PROXY: through the (dead) proxy.
    assert_eq!(results[2]["verdict"], "proxy_unreachable", "{}", results[2]);

    let pac = dir.path().join("host.pac");
    std::fs::write(
        &pac,
        "function FindProxyForURL(url, host) { return host == \"intranet-gw\" ? \"DIRECT\" : \"PROXY p:1\"; }\n",
    )
    .unwrap();
    let out = run([
        "pac",
        "eval",
        "-p",
        pac.to_str().unwrap(),
        "--no-dns",
        "--format",
        "raw",
        "-u",
        "http://x.example/",
        "-h",
        "INTRANET-GW.",
    ]);
    assert_eq!(stdout(&out), "DIRECT\n", "{}", stderr(&out));
}
