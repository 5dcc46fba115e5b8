//! pathprobe in a Prometheus setup, with the real components: the exposition
//! read by `promtool`, the shipped alerting rules tested by `promtool test
//! rules`, `pathprobe serve` scraped by a running Prometheus (the values
//! queried back through its HTTP API), on-demand `/probe`, graceful SIGTERM,
//! and `check --push` into a running Pushgateway. All on 127.0.0.1.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pathprobe_tests::lab::SmallLab;
use pathprobe_tests::peers::{free_port, http_get, prometheus, pushgateway, require, try_http_get};
use pathprobe_tests::{binary, run_with_env, stderr, stdout, workspace_root};

fn lab() -> SmallLab {
    SmallLab::new(false)
}

fn promtool() -> Option<std::path::PathBuf> {
    require("prometheus tests", &["promtool"], "prometheus (promtool)")
}

#[test]
fn exposition_passes_promtool() {
    let Some(promtool) = promtool() else { return };
    let lab = lab();
    let mut args = vec!["check".to_owned()];
    args.extend(lab.args.iter().cloned());
    args.extend(["--format".into(), "prometheus".into()]);
    let out = run_with_env(&args, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("pathprobe_endpoint_success{endpoint=\"https://missing.lab.test/\",category=\"\",required=\"true\"} 0"), "{text}");
    let mut child = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let checked = child.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "promtool check metrics:\n{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn shipped_alerting_rules_pass_their_tests() {
    let Some(promtool) = promtool() else { return };
    let dir = workspace_root().join("diag/contrib/prometheus");
    let out = Command::new(&promtool)
        .args(["test", "rules", "alerts_test.yml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let out = Command::new(&promtool)
        .args(["check", "config", "prometheus.yml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

fn wait_until<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn prometheus_scrapes_serve_and_sigterm_stops_it() {
    let Some(prom_bin) = require(
        "prometheus_scrapes_serve_and_sigterm_stops_it",
        &["prometheus"],
        "prometheus",
    ) else {
        return;
    };
    let lab = lab();
    let port = free_port();
    let mut child = KillOnDrop(
        Command::new(binary())
            .env("PATHPROBE_NO_CONTROL", "1")
            .arg("serve")
            .args(&lab.args)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--interval", "2s"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    wait_until("serve to listen", Duration::from_secs(30), || {
        (try_http_get(port, "/healthz") == Some((200, "ok\n".to_owned()))).then_some(())
    });
    // The first run lands in /metrics.
    let metrics = wait_until("a first run", Duration::from_secs(30), || {
        let (status, body) = http_get(port, "/metrics");
        (status == 200 && body.contains("pathprobe_endpoint_success")).then_some(body)
    });
    assert!(metrics.contains("pathprobe_serve_runs_total"), "{metrics}");

    // A real Prometheus scrapes it; its API gives the values back.
    let prom = prometheus(&prom_bin, &format!("127.0.0.1:{port}"), None);
    let result = wait_until("Prometheus to scrape", Duration::from_secs(60), || {
        let (status, body) = http_get(prom.port, "/api/v1/query?query=pathprobe_endpoint_success");
        let v: serde_json::Value = serde_json::from_str(&body).ok()?;
        let result = v["data"]["result"].as_array()?.clone();
        (status == 200 && result.len() == 3).then_some(result)
    });
    let mut seen: Vec<(String, String)> = result
        .iter()
        .map(|s| {
            (
                s["metric"]["endpoint"].as_str().unwrap().to_owned(),
                s["value"][1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    seen.sort();
    assert!(
        seen[0].0.starts_with("https://closed.lab.test:"),
        "{seen:?}"
    );
    assert_eq!(seen.iter().filter(|(_, v)| v == "1").count(), 1, "{seen:?}");
    assert!(seen.contains(&(lab.ok_url.clone(), "1".into())), "{seen:?}");
    assert!(seen.iter().all(|(_, v)| v == "1" || v == "0"));
    // The verdict arrived as a label.
    let (_, body) = http_get(
        prom.port,
        "/api/v1/query?query=pathprobe_probe_verdict_info%7Bverdict%3D%22dns_failure%22%7D",
    );
    assert!(body.contains("https://missing.lab.test/"), "{body}");

    // On demand, blackbox-style.
    let target = format!("/probe?target={}", url_encode(&lab.ok_url));
    let (status, body) = http_get(port, &target);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(&format!(
            "pathprobe_probe_success{{endpoint=\"{}\",route=\"DIRECT\"}} 1",
            lab.ok_url
        )),
        "{body}"
    );
    assert!(
        !body.contains("missing.lab.test"),
        "only the target is probed"
    );
    // A target that cannot be probed is refused, never a 200 without an
    // endpoint series (an alert on endpoint_success == 0 could not fire).
    for bad in ["file%3A%2F%2F%2Fetc%2Fpasswd", "javascript%3Aalert(1)"] {
        let (status, body) = http_get(port, &format!("/probe?target={bad}"));
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body.contains("cannot be probed"), "{body}");
    }
    let (status, body) = http_get(port, "/probe?target=not%20a%20url");
    assert_eq!(status, 400, "{body}");
    // One target is one URL: encoded line breaks do not make it a list.
    let (status, body) = http_get(
        port,
        "/probe?target=https%3A%2F%2Fa.lab.test%2F%0Ahttps%3A%2F%2Fb.lab.test%2F",
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("not one URL"), "{body}");
    // Round 19. Two targets are not one; a location no version knows is
    // said, not run as the worldwide rows alone.
    let (status, body) = http_get(
        port,
        "/probe?target=https%3A%2F%2Fa.lab.test%2F&target=https%3A%2F%2Fb.lab.test%2F",
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("2 targets"), "{body}");
    let (status, body) = http_get(port, "/probe?geo=XX");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("not a location this version knows"), "{body}");
    // A URL with credentials is refused for that reason, as `urls list`
    // gives it.
    let (status, body) = http_get(
        port,
        "/probe?target=http%3A%2F%2Fu%3ASRVPW2%40foo.lab.test%2F",
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("cannot be probed") && body.contains("user name or password"),
        "{body}"
    );
    assert!(!body.contains("SRVPW2"), "{body}");
    let (status, _) = http_get(port, "/probe?catalog=%2Fetc%2Fpasswd");
    assert_eq!(status, 400);

    // SIGTERM: a clean, prompt exit.
    let stopped = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.0.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "serve did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0));
    let mut log = String::new();
    std::io::Read::read_to_string(child.0.stderr.as_mut().unwrap(), &mut log).unwrap();
    assert!(log.contains("stopped"), "{log}");
}

/// A child process killed when the test ends, even by a failed assertion.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn check_pushes_to_a_pushgateway() {
    let Some(gateway_bin) = require(
        "check_pushes_to_a_pushgateway",
        &["prometheus-pushgateway", "pushgateway"],
        "prometheus-pushgateway",
    ) else {
        return;
    };
    let gateway = pushgateway(&gateway_bin);
    let lab = lab();
    let mut args = vec!["check".to_owned()];
    args.extend(lab.args.iter().cloned());
    args.extend([
        "--format".into(),
        "json".into(),
        "--push".into(),
        format!("http://127.0.0.1:{}", gateway.port),
    ]);
    let out = run_with_env(&args, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("--push"), "{}", stderr(&out));
    let (status, body) = http_get(gateway.port, "/metrics");
    assert_eq!(status, 200);
    let line = body
        .lines()
        .find(|l| l.starts_with("pathprobe_endpoint_success{") && l.contains(&lab.ok_url))
        .unwrap_or_else(|| panic!("not pushed:\n{body}"));
    assert!(
        line.contains("job=\"pathprobe\"") && line.ends_with(" 1"),
        "{line}"
    );

    // A gateway that is not there: a warning and exit 1, the report still out.
    let mut args = args.clone();
    let dead = free_port();
    let last = args.len() - 1;
    args[last] = format!("http://127.0.0.1:{dead}");
    let out = run_with_env(&args, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--push: http://127.0.0.1:"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).starts_with('{'));
}

/// One slow target must not starve every other scrape, and a client that
/// never finishes its request must not hold a connection for ever: `/probe`
/// requests wait for a slot at most one run's deadline (then 503), and a
/// request head must arrive within 10 s. (Forty requests to a silent target
/// were answered four at a time, the last after 30 s with a 20 s deadline;
/// half-sent heads were held without end.)
#[test]
fn serve_bounds_queued_probes_and_slow_clients() {
    use std::io::{Read, Write};
    let lab = lab();
    let silent = pathprobe_tests::lab::silent_server();
    let port = free_port();
    let _child = KillOnDrop(
        Command::new(binary())
            .env("PATHPROBE_NO_CONTROL", "1")
            .arg("serve")
            .args(&lab.args)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--interval", "1h"])
            .args(["--deadline", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until("serve to listen", Duration::from_secs(30), || {
        (try_http_get(port, "/healthz") == Some((200, "ok\n".to_owned()))).then_some(())
    });
    let target = format!(
        "/probe?target={}",
        url_encode(&format!("http://127.0.0.1:{silent}/"))
    );
    let started = Instant::now();
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let target = target.clone();
            std::thread::spawn(move || {
                let (status, _) = http_get(port, &target);
                (status, started.elapsed())
            })
        })
        .collect();
    let answers: Vec<(u16, Duration)> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    for (status, took) in &answers {
        assert!(matches!(status, 200 | 503), "{answers:?}");
        // Waiting (at most one deadline) plus one run (a deadline), plus slack.
        assert!(*took < Duration::from_secs(9), "{answers:?}");
    }
    assert!(answers.iter().any(|(s, _)| *s == 503), "{answers:?}");

    // A client that sends half a head is cut off.
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let cut = Instant::now();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        cut.elapsed() < Duration::from_secs(15),
        "held {:?}",
        cut.elapsed()
    );
}

/// `serve` asks the control probes at each scheduled run (not at a
/// `/probe` of one target). The connectivity test's name is pinned to this
/// machine and the lab's DNS does not know the control name: nothing is
/// asked of the internet.
#[test]
fn serve_asks_the_control_probes_each_interval() {
    use std::io::BufRead as _;
    let lab = lab();
    let port = free_port();
    let mut child = KillOnDrop(
        Command::new(binary())
            .env("PATHPROBE_NO_CONTROL", "0")
            .env("PATHPROBE_LOG", "debug")
            .arg("serve")
            .args(&lab.args)
            .args(["--resolve", "www.msftconnecttest.com=127.0.0.1"])
            .args(["--listen", &format!("127.0.0.1:{port}"), "--interval", "1s"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let (lines, seen) = std::sync::mpsc::channel();
    let stderr = child.0.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("control probes") && lines.send(line).is_err() {
                break;
            }
        }
    });
    for run in 1..=2 {
        let line = seen
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("run {run}: no control probes logged: {e}"));
        assert!(
            line.contains("dns=\"failed\"") || line.contains("dns=failed"),
            "{line}"
        );
    }
}
