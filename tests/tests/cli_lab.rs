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

    // Every built-in scenario states its findings, and gets them in order.
    assert_eq!(v["findings_failed"], 0, "{v:#}");
    let scenarios = v["scenarios"].as_array().unwrap();
    assert_eq!(v["findings_passed"], scenarios.len());
    for s in scenarios {
        assert!(
            s["expected_findings"].is_array(),
            "{} states none",
            s["name"]
        );
    }
    let kinds: Vec<&str> = scenarios
        .iter()
        .flat_map(|s| s["findings"].as_array().unwrap())
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "proxy_authentication",
        "tls_inspection",
        "proxy_unreachable",
        "clock_wrong",
        "address_family_broken",
        "proxy_denied",
        "names_missing",
        "names_sinkholed",
        "endpoint_failing",
        "dns_unavailable",
        "captive_portal",
    ] {
        assert!(
            kinds.contains(&kind),
            "{kind} not shown by the lab: {kinds:?}"
        );
    }
    // Causes combined: the proxy first, then the name, each once.
    let combined = scenarios
        .iter()
        .find(|s| s["name"] == "authenticated proxy and a missing name")
        .unwrap();
    let summaries: Vec<&str> = combined["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["summary"].as_str().unwrap())
        .collect();
    assert_eq!(summaries.len(), 2, "{summaries:?}");
    assert!(
        summaries[0].contains("demands authentication for 3 endpoints"),
        "{summaries:?}"
    );
    assert_eq!(
        summaries[1],
        "gone.lab.test does not exist for this resolver."
    );
}

/// A scenario whose findings are not the ones it states fails the run
/// (exit 1) and says what it got; the CSV carries it as a row.
#[test]
fn a_scenario_with_wrong_findings_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wrong.toml");
    std::fs::write(
        &path,
        "name = \"wrong, \\\"findings\\\"\"\nabout = \"a refused port is no proxy problem\"\n\n[[endpoint]]\nname = \"x.lab.test\"\nserve = \"refused\"\nexpect = \"tcp_refused\"\n\n[[finding]]\nkind = \"proxy_denied\"\nendpoints = 1\n",
    )
    .unwrap();
    let out = run_with_env(["lab", "--scenario", path.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("findings endpoint_failing (1): FAIL, expected proxy_denied (1)"),
        "{}",
        stdout(&out)
    );
    let out = run_with_env(
        [
            "lab",
            "--scenario",
            path.to_str().unwrap(),
            "--format",
            "csv",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{}", stdout(&out));
    assert_eq!(&rows[0][0], "wrong, \"findings\"");
    assert_eq!(
        rows[1].iter().collect::<Vec<_>>(),
        [
            "wrong, \"findings\"",
            "(findings)",
            "proxy_denied (1)",
            "endpoint_failing (1)",
            "false"
        ]
    );
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

/// A scenario file in `dir` with one endpoint named `name` and `extra` lines
/// before it.
fn scenario(dir: &std::path::Path, file: &str, extra: &str, name: &str) -> std::path::PathBuf {
    let path = dir.join(file);
    std::fs::write(
        &path,
        format!("name = \"s\"\nabout = \"x\"\n{extra}\n[[endpoint]]\nname = \"{name}\"\nserve = \"ok\"\nexpect = \"ok\"\n"),
    )
    .unwrap();
    path
}

#[test]
fn endpoints_that_are_not_host_names_and_unusable_ca_names_exit_2() {
    // An address would be probed wherever it points, off this machine; a
    // CA name over 64 characters made the lab's own certificate unreadable
    // (exit 3, "BadEncoding").
    let dir = tempfile::tempdir().unwrap();
    let long_ca = format!(
        "proxy = \"intercept\"\nroute = \"proxy\"\nintercept_ca = \"{}\"",
        "A".repeat(70_000)
    );
    for (file, extra, name, says) in [
        (
            "env-pac.toml",
            "setting = \"environment\"\nroute = \"pac\"\npac = \"function FindProxyForURL(u, h) { return 'DIRECT'; }\"",
            "a.lab.test",
            "not a PAC",
        ),
        (
            "wpad-proxy.toml",
            "setting = \"wpad\"\nroute = \"proxy\"\nproxy = \"connect\"",
            "a.lab.test",
            "finds a PAC",
        ),
        ("ip.toml", "", "192.0.2.1", "not an address"),
        ("v6.toml", "", "[::1]", "not an address"),
        ("dots.toml", "", "a..lab.test", "not a host name"),
        (
            "ca.toml",
            long_ca.as_str(),
            "a.lab.test",
            "1 to 64 characters",
        ),
    ] {
        let path = scenario(dir.path(), file, extra, name);
        let out = run_with_env(["lab", "--scenario", path.to_str().unwrap()], &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(file) && err.contains(says), "{file}: {err}");
        assert!(err.len() < 1000, "{file}: {} bytes", err.len());
    }
}

#[test]
fn a_lab_pac_spinning_in_a_built_in_is_stopped_in_its_worker() {
    // The lab ran its PAC in this process, where nothing stops a regular
    // expression that backtracks for hours; now it runs in `check`'s worker.
    let dir = tempfile::tempdir().unwrap();
    let extra = "route = \"pac\"\npac = \"\"\"\nfunction FindProxyForURL(url, host) {\n  new RegExp(\"^(a+)+$\").test(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\");\n  return \"DIRECT\";\n}\n\"\"\"";
    let path = scenario(dir.path(), "spin.toml", extra, "a.lab.test");
    let out = pathprobe_tests::run_within(
        ["lab", "--scenario", path.to_str().unwrap()],
        std::time::Duration::from_secs(60),
    );
    // The endpoint fails as `check` fails it: no route, with the reason.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("no_route") && shown.contains("did not finish"),
        "{shown}"
    );
}

#[test]
fn scenario_names_counts_and_nesting_are_checked_as_input() {
    let dir = tempfile::tempdir().unwrap();
    // An internationalised name is served and probed as DNS holds it (it
    // made the lab's certificate fail: exit 3).
    let idn = scenario(dir.path(), "idn.toml", "", "bücher.lab.test");
    let out = run_with_env(["lab", "--scenario", idn.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("xn--bcher-kva.lab.test"),
        "{}",
        stdout(&out)
    );

    let endpoint = |name: &str, serve: &str| {
        format!("[[endpoint]]\nname = \"{name}\"\nserve = \"{serve}\"\nexpect = \"ok\"\n")
    };
    let head = "name = \"s\"\nabout = \"x\"\n";
    let cases = [
        (
            "escape.toml",
            format!(
                "name = \"x\\u001b[31mred\"\nabout = \"y\"\n{}",
                endpoint("a.lab.test", "ok")
            ),
            "no control characters",
        ),
        (
            "status.toml",
            format!(
                "{head}[[endpoint]]\nname = \"a.lab.test\"\nserve = \"ok\"\nstatus = 1000\nexpect = \"ok\"\n"
            ),
            "not an HTTP status",
        ),
        (
            "twice.toml",
            format!(
                "{head}{}{}",
                endpoint("a.lab.test", "ok"),
                endpoint("A.LAB.TEST.", "missing")
            ),
            "named twice",
        ),
        (
            "many.toml",
            format!(
                "{head}{}",
                (0..101)
                    .map(|i| endpoint(&format!("o{i}.lab.test"), "ok"))
                    .collect::<String>()
            ),
            "at most 100",
        ),
        (
            "nested.toml",
            format!(
                "{head}junk = {}1{}\n{}",
                "{a=".repeat(20_000),
                "}".repeat(20_000),
                endpoint("a.lab.test", "ok")
            ),
            "nested.toml",
        ),
        (
            "informational.toml",
            format!(
                "{head}[[endpoint]]\nname = \"a.lab.test\"\nserve = \"ok\"\nstatus = 100\nexpect = \"ok\"\n"
            ),
            "not an HTTP status a server ends with",
        ),
        (
            "six.toml",
            format!(
                "{head}[[endpoint]]\nname = \"a.lab.test\"\nserve = \"missing\"\nipv6 = \"only\"\nexpect = \"dns_failure\"\n"
            ),
            "ipv6 applies to endpoints the lab serves",
        ),
        (
            "clock.toml",
            format!(
                "{head}clock_off_days = -9223372036854775808\n{}",
                endpoint("a.lab.test", "ok")
            ),
            "at most 3650 days",
        ),
        (
            "category.toml",
            format!(
                "{head}[[endpoint]]\nname = \"a.lab.test\"\nserve = \"ok\"\ncategory = \"a\\u0007b\"\nexpect = \"ok\"\n"
            ),
            "a category is one line",
        ),
        (
            "finding.toml",
            format!(
                "{head}{}[[finding]]\nkind = \"everything_fine\"\nendpoints = 1\n",
                endpoint("a.lab.test", "ok")
            ),
            "\"everything_fine\" is not one of:",
        ),
    ];
    for (file, text, says) in cases {
        let path = dir.path().join(file);
        std::fs::write(&path, text).unwrap();
        let started = std::time::Instant::now();
        let out = run_with_env(["lab", "--scenario", path.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(2), "{file}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{file}: {}", stderr(&out));
        // 20,000 nested tables took 40 s.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{file}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_scenario_s_pac_cannot_send_lab_traffic_off_this_machine() {
    // A PAC naming a proxy of its own choosing (here a documentation
    // address): the endpoint is reported, not probed through it.
    let dir = tempfile::tempdir().unwrap();
    let extra = "route = \"pac\"\npac = \"function FindProxyForURL(url, host) { return 'PROXY 192.0.2.1:3128'; }\"";
    let path = scenario(dir.path(), "away.toml", extra, "a.lab.test");
    let out = run_with_env(
        [
            "lab",
            "--scenario",
            path.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["scenarios"][0]["endpoints"][0];
    assert_eq!(e["got"], "not_probed", "{e:#}");
    assert!(
        e["hint"].as_str().unwrap().contains("PROXY 192.0.2.1:3128"),
        "{e:#}"
    );
}

/// The control probes never take a proxy's own failure for the internet's:
/// a dead proxy with the internet up is the proxy's finding.
#[test]
fn a_dead_proxy_is_not_taken_for_no_internet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dead.toml");
    std::fs::write(
        &path,
        "name = \"dead proxy\"\nabout = \"a proxy where nothing listens, the internet up\"\nroute = \"proxy\"\nproxy = \"closed\"\ncontrol = \"internet\"\n\n[[endpoint]]\nname = \"e1.lab.test\"\nserve = \"ok\"\nexpect = \"proxy_unreachable\"\n\n[[endpoint]]\nname = \"e2.lab.test\"\nserve = \"ok\"\nexpect = \"proxy_unreachable\"\n\n[[finding]]\nkind = \"proxy_unreachable\"\nendpoints = 2\n",
    )
    .unwrap();
    let out = run_with_env(["lab", "--scenario", path.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// The lab's proxy refuses a name the lab does not serve: it never
/// forwards it to whatever else listens on this machine's port 443 (a
/// TLS server there made `proxy_denied` read `tls_untrusted`).
#[test]
fn the_lab_proxy_refuses_what_the_lab_does_not_serve_whatever_listens_here() {
    let Some(held) = pathprobe_tests::hold_loopback_port(
        "the_lab_proxy_refuses_what_the_lab_does_not_serve_whatever_listens_here",
        443,
    ) else {
        return;
    };
    // Accept and answer nothing TLS: were the proxy to forward there, the
    // probe would fail otherwise than `proxy_denied`.
    if let Some(listener) = held {
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            for stream in listener.incoming().flatten() {
                kept.push(stream);
            }
        });
    }
    let scenario = pathprobe_tests::workspace_root().join("diag/lab/proxy.toml");
    let out = pathprobe_tests::run_within(
        ["lab", "--scenario", scenario.to_str().unwrap()],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("2 of 2 lab verdicts as expected"),
        "{}",
        stdout(&out)
    );
}
