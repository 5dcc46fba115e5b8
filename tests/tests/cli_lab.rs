//! `pathprobe lab`: the built-in scenarios produce their verdicts, and
//! scenario files are checked like any other input.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_tests::{run_with_env, stderr, stdout};

#[test]
fn every_built_in_scenario_gives_its_verdicts() {
    let out = run_with_env(["lab", "--format", "json"], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["failed"], 0);
    let verdicts: Vec<&str> = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["endpoints"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["got"].as_str().unwrap())
        })
        .collect();
    for verdict in [
        "ok",
        "tcp_refused",
        "timeout",
        "http_unexpected_status",
        "dns_failure",
        "dns_sinkhole",
        "tls_untrusted",
        "proxy_denied",
        "proxy_auth_required",
        "tls_intercepted",
        "proxy_unreachable",
    ] {
        assert!(
            verdicts.contains(&verdict),
            "{verdict} not shown by the lab: {verdicts:?}"
        );
    }
}

#[test]
fn a_scenario_with_a_wrong_expectation_fails_and_bad_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("wrong.toml");
    std::fs::write(&wrong, "name = \"wrong\"\nabout = \"expects ok from a refused port\"\n\n[[endpoint]]\nname = \"x.lab.test\"\nserve = \"refused\"\nexpect = \"ok\"\n").unwrap();
    let out = run_with_env(["lab", "--scenario", wrong.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("FAIL"), "{}", stdout(&out));

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"bad\"\nabout = \"x\"\n\n[[endpoint]]\nname = \"x.lab.test\"\nserve = \"teleport\"\nexpect = \"ok\"\n").unwrap();
    let out = run_with_env(["lab", "--scenario", bad.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.toml") && err.contains("teleport"),
        "{err}"
    );
}
