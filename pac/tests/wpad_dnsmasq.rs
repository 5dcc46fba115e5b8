//! WPAD over DNS against a real DNS server: dnsmasq on a loopback port
//! answers `wpad.corp.test`, a loopback HTTP server serves the wpad.dat, and
//! dnsmasq's query log shows which names were asked, in which order.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pathprobe_pac::discovery::{WpadOptions, discover_via_dns, dns_found};
use pathprobe_pac::{DnsServers, Resolve, SystemResolver};

fn dnsmasq() -> Option<PathBuf> {
    ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn skip(reason: &str) -> bool {
    assert!(
        std::env::var_os("PATHPROBE_REQUIRE_PEERS").is_none(),
        "PATHPROBE_REQUIRE_PEERS is set but {reason}"
    );
    eprintln!("SKIPPED: {reason}");
    true
}

struct Dnsmasq {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_dnsmasq(binary: &PathBuf, extra: &[&str]) -> Dnsmasq {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("queries.log");
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = Command::new(binary);
    cmd.args([
        "--no-daemon",
        "--no-resolv",
        "--no-hosts",
        "--bind-interfaces",
        "--listen-address=127.0.0.1",
        "--user=root",
        "--log-queries",
    ])
    .arg(format!("--port={port}"))
    .arg(format!("--log-facility={}", log.display()))
    .arg(format!("--pid-file={}", dir.path().join("pid").display()))
    .args(extra)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    let child = cmd.spawn().unwrap();
    let server = Dnsmasq {
        child,
        port,
        log,
        _dir: dir,
    };
    // Wait until it answers.
    let resolver = SystemResolver::new(DnsServers::Given(vec![SocketAddr::from((
        [127, 0, 0, 1],
        port,
    ))]))
    .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if resolver
            .lookup("ready.corp.test", Duration::from_millis(200))
            .is_ok()
        {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("dnsmasq did not answer on port {port}");
}

/// Serves `body` for GET /wpad.dat on a loopback port.
fn serve_wpad(body: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 2048];
            let n = s.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let response = if request.starts_with("GET /wpad.dat ") {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/x-ns-proxy-autoconfig\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned()
            };
            let _ = s.write_all(response.as_bytes());
        }
    });
    port
}

const WPAD: &str = "function FindProxyForURL(u, h) { return 'PROXY proxy.corp.test:3128'; }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wpad_is_found_by_devolution_and_public_suffixes_are_never_asked() {
    let Some(binary) = dnsmasq() else {
        skip("dnsmasq is not installed (Debian package dnsmasq-base)");
        return;
    };
    let dns = start_dnsmasq(
        &binary,
        &[
            "--address=/wpad.corp.test/127.0.0.1",
            "--address=/ready.corp.test/127.0.0.1",
            "--local=/test/",
        ],
    );
    let http_port = serve_wpad(WPAD);
    let resolver = SystemResolver::new(DnsServers::Given(vec![SocketAddr::from((
        [127, 0, 0, 1],
        dns.port,
    ))]))
    .unwrap();
    let options = WpadOptions {
        http_port,
        ..WpadOptions::default()
    };
    let domains = vec!["eu.branch.corp.test".to_owned()];
    let found = discover_via_dns(&domains, &resolver, &options).await;

    let asked: Vec<&str> = found.attempts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        asked,
        vec![
            "wpad.eu.branch.corp.test",
            "wpad.branch.corp.test",
            "wpad.corp.test"
        ]
    );
    assert!(
        found.attempts[0].outcome.contains("no such name"),
        "{:?}",
        found.attempts[0]
    );
    let (name, script) = found
        .script
        .as_ref()
        .unwrap_or_else(|| panic!("a script: {:?}", found.attempts));
    assert_eq!(name, "wpad.corp.test");
    assert_eq!(script.text, WPAD);
    let f = dns_found(name, script).unwrap();
    assert_eq!(f.provenance.location, "wpad.corp.test");

    // What the DNS server saw: the three names in order, and nothing above corp.test.
    let log = std::fs::read_to_string(&dns.log).unwrap();
    let queried: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split("query[A] ").nth(1))
        .filter_map(|rest| rest.split(' ').next())
        .filter(|n| n.starts_with("wpad"))
        .collect();
    assert_eq!(
        queried,
        vec![
            "wpad.eu.branch.corp.test",
            "wpad.branch.corp.test",
            "wpad.corp.test"
        ],
        "{log}"
    );
    assert!(!log.contains("wpad.test"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wpad_name_without_a_server_is_reported_and_discovery_goes_on() {
    let Some(binary) = dnsmasq() else {
        skip("dnsmasq is not installed (Debian package dnsmasq-base)");
        return;
    };
    // wpad.a.corp.test resolves but nothing listens there; wpad.corp.test serves.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let http_port = serve_wpad(WPAD);
    drop(dead);
    let dns = start_dnsmasq(
        &binary,
        &[
            "--address=/wpad.a.corp.test/127.0.0.2",
            "--address=/wpad.corp.test/127.0.0.1",
            "--address=/ready.corp.test/127.0.0.1",
            "--local=/test/",
        ],
    );
    let resolver = SystemResolver::new(DnsServers::Given(vec![SocketAddr::from((
        [127, 0, 0, 1],
        dns.port,
    ))]))
    .unwrap();
    let options = WpadOptions {
        http_port,
        ..WpadOptions::default()
    };
    let found = discover_via_dns(&["a.corp.test".to_owned()], &resolver, &options).await;
    assert_eq!(found.attempts.len(), 2, "{:?}", found.attempts);
    assert_eq!(
        found.attempts[0].addresses,
        vec!["127.0.0.2".parse::<std::net::IpAddr>().unwrap()]
    );
    assert!(
        found.attempts[0].outcome.contains("cannot connect"),
        "{:?}",
        found.attempts[0]
    );
    assert_eq!(found.script.unwrap().0, "wpad.corp.test");
}
