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

use pathprobe_tests::json_of as report;
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
    // A PAC server that takes the connection, says when, and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent = listener.local_addr().unwrap().port();
    let (asked_tx, asked) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept() {
            held.push(stream);
            let _ = asked_tx.send(());
        }
    });
    let url = format!("http://127.0.0.1:{silent}/proxy.pac");
    let child = std::process::Command::new(pathprobe_tests::binary())
        .env("PATHPROBE_NO_CONTROL", "1")
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
    // Wait for the state, not for a while: the fetch has begun.
    asked
        .recv_timeout(Duration::from_secs(30))
        .expect("the PAC was never asked for");
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

/// A DNS server on loopback that takes every question and answers none (the
/// socket is held open, never read).
fn silent_resolver() -> (std::net::UdpSocket, String) {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    (socket, addr)
}

/// `check` of `urls` with `extra` flags, JSON out; the output and how long
/// the whole process took (not only the report's own figure).
fn check_timed(
    dir: &std::path::Path,
    urls: &[&str],
    extra: &[&str],
) -> (std::process::Output, Duration) {
    let cat = write_catalog(dir, urls);
    let _ = pathprobe_tests::binary();
    let mut args = vec![
        "check",
        cat.to_str().unwrap(),
        "--only-given",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let started = Instant::now();
    let out = run_with_env(args, &[]);
    (out, started.elapsed())
}

#[test]
fn a_silent_resolver_does_not_keep_the_process_past_its_deadline() {
    // The report said 2.0 s, and the process exited 3 s later: dropping the
    // runtime waited for the lookups parked on the silent server.
    let dir = tempfile::tempdir().unwrap();
    let (_socket, dns) = silent_resolver();
    let (out, took) = check_timed(
        dir.path(),
        &["https://a.example.com/", "https://b.example.org/"],
        &["--dns-server", &dns, "--deadline", "2"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(took < Duration::from_millis(3800), "took {took:?}");
    let v = report(&out);
    assert_eq!(v["summary"]["partial"], true);
    // Cut by the deadline: no outcome (round 22), what it was doing said.
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "not_probed", "{r:#}");
        assert!(r["hint"].as_str().unwrap().contains("dns phase"), "{r:#}");
    }
}

#[test]
fn a_proxy_name_that_never_resolves_ends_with_the_deadline() {
    // The proxy's name was looked up while the settings were read, on the
    // run's thread and with a limit of its own: 4 s for a 2 s deadline.
    let dir = tempfile::tempdir().unwrap();
    let (_socket, dns) = silent_resolver();
    let (out, took) = check_timed(
        dir.path(),
        &["https://a.example.com/"],
        &[
            "--dns-server",
            &dns,
            "--proxy",
            "http://proxy.example.net:3128",
            "--deadline",
            "2",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(took < Duration::from_millis(3800), "took {took:?}");
    let v = report(&out);
    assert_eq!(v["summary"]["partial"], true);
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "not_probed", "{r:#}");
    assert!(
        r["hint"]
            .as_str()
            .unwrap()
            .contains("while the proxy settings were read"),
        "{r:#}"
    );
}

/// A script that spins inside one regular expression match: boa does not
/// look at the deadline until the match returns.
const SPINS_IN_A_BUILT_IN: &str = "function FindProxyForURL(url, host) {\n  new RegExp(\"^(a+)+$\").test(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\");\n  return \"DIRECT\";\n}\n";

#[test]
fn a_pac_spinning_in_a_built_in_ends_with_the_deadline() {
    // The worker is killed only some seconds after the engine's own limit;
    // the run does not wait for that.
    let dir = tempfile::tempdir().unwrap();
    let pac = dir.path().join("spin.pac");
    std::fs::write(&pac, SPINS_IN_A_BUILT_IN).unwrap();
    let (out, took) = check_with_pac(dir.path(), pac.to_str().unwrap(), "3");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(took < Duration::from_millis(4500), "took {took:?}");
    let v = report(&out);
    assert_eq!(v["summary"]["partial"], true);
    assert!(
        v["warnings"]
            .to_string()
            .contains("deadline (3 s) passed while routes were decided"),
        "{v:#}"
    );
}

#[test]
fn a_pac_whose_load_outlasts_the_deadline_gives_a_partial_report() {
    // It used to be refused as a PAC that cannot be used (exit 2, no
    // report): the script did nothing wrong in the time the run gave it.
    let dir = tempfile::tempdir().unwrap();
    let pac = dir.path().join("slow-load.pac");
    std::fs::write(
        &pac,
        "var t = Date.now(); while (Date.now() - t < 4000) {}\nfunction FindProxyForURL(u, h) { return \"DIRECT\"; }\n",
    )
    .unwrap();
    let (out, took) = check_with_pac(dir.path(), pac.to_str().unwrap(), "2");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(took < Duration::from_millis(3800), "took {took:?}");
    let v = report(&out);
    assert_eq!(v["summary"]["partial"], true);
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "not_probed", "{r:#}");
    }
}

/// The children of `pid` (from /proc).
fn children(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid …: the name may hold spaces, so from the last ')'.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = after.split(' ').collect();
        if fields[1] == pid.to_string() && fields[0] != "Z" {
            found.push(child);
        }
    }
    found
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| s[s.rfind(')').unwrap() + 2..].split(' ').next() != Some("Z"))
}

#[test]
fn a_pac_worker_ends_when_its_parent_is_killed() {
    // SIGKILL to the parent alone (or Ctrl-C sent to it and not to its
    // process group) left the worker spinning for its whole limit.
    let dir = tempfile::tempdir().unwrap();
    let cat = catalog(dir.path());
    let pac = dir.path().join("spin.pac");
    std::fs::write(&pac, SPINS_IN_A_BUILT_IN).unwrap();
    let mut child = std::process::Command::new(pathprobe_tests::binary())
        .env("PATHPROBE_NO_CONTROL", "1")
        .args([
            "check",
            cat.to_str().unwrap(),
            "--only-given",
            "--no-env",
            "--pac",
            pac.to_str().unwrap(),
            "--deadline",
            "60",
        ])
        .env("XDG_CONFIG_HOME", pathprobe_tests::NO_CONFIG_HOME)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let waited = Instant::now();
    let worker = loop {
        if let Some(w) = children(child.id()).first() {
            break *w;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(20),
            "no worker started"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let killed = Instant::now();
    while alive(worker) && killed.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !alive(worker),
        "the worker {worker} still runs 3 s after its parent was killed"
    );
}

/// A text catalog of 200,000 URLs (the most one may hold) in `dir`: it
/// takes seconds to read in a debug build.
fn largest_catalog(dir: &std::path::Path) -> std::path::PathBuf {
    let list: String = (0..200_000)
        .map(|i| format!("https://h{i}.example{}.test/p/{i}\n", i % 97))
        .collect();
    let catalog = dir.join("big.txt");
    std::fs::write(&catalog, list).unwrap();
    catalog
}

#[test]
fn the_deadline_holds_while_the_catalog_is_read() {
    // 200,000 URLs took 25 s to read in a debug build, whatever the
    // deadline; the run then blamed the proxy settings.
    let dir = tempfile::tempdir().unwrap();
    let catalog = largest_catalog(dir.path());
    // The last run's report: replaced by this one's, partial (it was left
    // in place, as if the machine were still fine).
    let saved = dir.path().join("node.json");
    std::fs::write(&saved, "{\"old\": true}").unwrap();
    let spec = format!("json={}", saved.display());
    let _ = pathprobe_tests::binary();
    let started = Instant::now();
    let out = run_with_env(
        [
            "check",
            catalog.to_str().unwrap(),
            "--only-given",
            "--direct",
            "--deadline",
            "0.3",
            "--output",
            &spec,
        ],
        &[],
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("passed while the catalog"),
        "{}",
        stderr(&out)
    );
    assert!(took < Duration::from_millis(2500), "took {took:?}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(v["summary"]["partial"], true, "{v:#}");
    assert_eq!(v["results"].as_array().unwrap().len(), 0);
    assert!(
        v["warnings"].to_string().contains("while the catalog"),
        "{v:#}"
    );
}

#[test]
fn a_bundle_cut_while_its_catalog_is_read_is_still_made() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = largest_catalog(dir.path());
    let zip = dir.path().join("ticket.zip");
    let out = run_with_env(
        [
            "bundle",
            catalog.to_str().unwrap(),
            "--only-given",
            "--direct",
            "--deadline",
            "0.3",
            "--output",
            zip.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let inspected = run_with_env(["bundle", "inspect", zip.to_str().unwrap()], &[]);
    assert_eq!(inspected.status.code(), Some(0), "{}", stderr(&inspected));
    assert!(
        stdout(&inspected).contains("partial") || stdout(&inspected).contains("while the catalog"),
        "{}",
        stdout(&inspected)
    );
}

/// Round 14. The deadline passing cuts the probe in flight (`timeout`, the
/// phase it was in said); a probe that never started says nothing of the
/// network: `not_probed`, not a failure.
#[test]
fn probes_the_deadline_kept_from_starting_are_not_failures() {
    let dir = tempfile::tempdir().unwrap();
    let silent = silent_server();
    let urls: Vec<String> = (1..=8)
        .map(|n| format!("http://s{n}.lab.test:{silent}/"))
        .collect();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let dns = pathprobe_tests::lab::dns_server().to_string();
    let (out, _) = check_timed(
        dir.path(),
        &refs,
        &[
            "--dns-server",
            &dns,
            "--resolve",
            "*.lab.test=127.0.0.1",
            "--concurrency",
            "2",
            "--phase-timeout",
            "20",
            "--deadline",
            "2",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = report(&out);
    assert_eq!(v["summary"]["partial"], true);
    let verdicts: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    // Two at a time, none finishing: the two in flight are cut, the six
    // waiting never start (no slot freed on the way out lets one begin).
    // Round 22: a probe the deadline cut has no outcome, as one Ctrl-C cut
    // has none: `not_probed` too, never counted or found as failing; its
    // evidence says where it was.
    assert!(verdicts.iter().all(|v| *v == "not_probed"), "{verdicts:?}");
    assert_eq!(v["summary"]["required_failed"], 0, "{:#}", v["summary"]);
    assert!(
        !v["findings"].to_string().contains("fails"),
        "{:#}",
        v["findings"]
    );
    let (mut cut, mut waiting) = (0, 0);
    for r in v["results"].as_array().unwrap() {
        let evidence = r["attempts"][0]["evidence"].to_string();
        if evidence.contains("not started") {
            waiting += 1;
        } else {
            assert!(evidence.contains("cut short in the"), "{r:#}");
            cut += 1;
        }
    }
    assert_eq!((cut, waiting), (2, 6), "{verdicts:?}");
}
