//! The run's deadline and Ctrl-C hold from the first step: reading the
//! proxy settings, fetching the PAC script, evaluating it, and probing. A
//! looping PAC once made `--deadline 3` take 21 s and report "0.0 s"; a PAC
//! server that never answered kept a `--deadline 2` run for 10 s; Ctrl-C
//! during the PAC fetch was swallowed and the run exited 0.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use pathprobe_tests::lab::silent_server;
use pathprobe_tests::{run_with_env, stderr, stdout, write_catalog};

fn catalog(dir: &std::path::Path) -> std::path::PathBuf {
    write_catalog(
        dir,
        &[
            "https://127.0.0.1:9/a",
            "https://127.0.0.1:9/b",
            "https://127.0.0.1:9/c",
            "https://127.0.0.1:9/d",
        ],
    )
}

/// `check` of the catalog in `dir` with `--pac PAC --deadline SECONDS`,
/// JSON out; the output and how long it took.
fn check_with_pac(
    dir: &std::path::Path,
    pac: &str,
    seconds: &str,
) -> (std::process::Output, Duration) {
    let cat = catalog(dir);
    // The first call builds the binary if needed: not part of the timing.
    let _ = pathprobe_tests::binary();
    let started = Instant::now();
    let out = run_with_env(
        [
            "check",
            cat.to_str().unwrap(),
            "--only-given",
            "--pac",
            pac,
            "--deadline",
            seconds,
            "--format",
            "json",
        ],
        &[],
    );
    (out, started.elapsed())
}

fn report(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

#[test]
fn a_looping_pac_ends_with_the_deadline_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let pac = dir.path().join("loop.pac");
    std::fs::write(&pac, "function FindProxyForURL(u, h) { while (true) {} }\n").unwrap();
    let (out, took) = check_with_pac(dir.path(), pac.to_str().unwrap(), "3");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(took < Duration::from_secs(6), "took {took:?}");
    let v = report(&out);
    assert_eq!(v["summary"]["partial"], true);
    // The duration is the run's, from the first step.
    let ms = v["summary"]["duration_ms"].as_f64().unwrap();
    assert!(ms >= 2500.0, "{ms}");
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("deadline (3 s) passed"), "{warnings}");
    let not_probed = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == "not_probed")
        .count();
    assert!(not_probed >= 1, "{v:#}");
}

#[test]
fn a_pac_server_that_never_answers_ends_with_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let silent = silent_server();
    let url = format!("http://127.0.0.1:{silent}/proxy.pac");
    let (out, took) = check_with_pac(dir.path(), &url, "2");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(v["summary"]["partial"], true);
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "not_probed", "{r:#}");
        assert!(r["hint"].as_str().unwrap().contains("PAC fetch"), "{r:#}");
    }
}

#[test]
fn ctrl_c_during_the_pac_fetch_ends_the_run_with_130() {
    let dir = tempfile::tempdir().unwrap();
    let cat = catalog(dir.path());
    let silent = silent_server();
    let url = format!("http://127.0.0.1:{silent}/proxy.pac");
    let child = std::process::Command::new(pathprobe_tests::binary())
        .args([
            "check",
            cat.to_str().unwrap(),
            "--only-given",
            "--no-env",
            "--pac",
            &url,
            "--deadline",
            "60",
        ])
        .env("XDG_CONFIG_HOME", pathprobe_tests::NO_CONFIG_HOME)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The fetch waits on a server that never answers: any moment after the
    // process has started is during the fetch (or before it: also before any
    // probe). Wait for the process to have set up, generously.
    std::thread::sleep(Duration::from_millis(1500));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("interrupted (Ctrl-C)"),
        "{}",
        stderr(&out)
    );
    // The report of what there is (nothing probed) is still printed.
    assert!(stdout(&out).contains("4 not probed"), "{}", stdout(&out));
}
