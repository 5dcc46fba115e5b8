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
    assert_eq!(entries.len(), 6, "{listed:#}");
    for e in &entries[..5] {
        assert_eq!(e["kind"], "url", "{e}");
    }
    assert_eq!(entries[5]["kind"], "prose");
    assert!(
        listed["notices"].to_string().contains("spaces"),
        "{}",
        listed["notices"]
    );

    let (v, out) = check_json(
        &[path, "--direct", "--resolve", "intranet-gw=127.0.0.1"],
        "3",
    );
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 6, "{v:#}");
    for r in &results[..5] {
        assert_eq!(r["verdict"], "ok", "{r}\n{}", stdout(&out));
    }
    assert_eq!(results[3]["url"], format!("http://[::1]:{v6}/"));
    // localhost answers on loopback by design: not a sinkhole.
    assert_eq!(results[1]["verdict"], "ok");
    assert_eq!(results[5]["verdict"], "not_probed");
    assert!(
        results[5]["hint"].as_str().unwrap().contains("spaces"),
        "{}",
        results[5]
    );
}
