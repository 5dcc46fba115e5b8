//! WPAD over DHCP for real: two network namespaces joined by a veth pair, a
//! dnsmasq DHCP server handing out option 252 on one side, a wpad.dat served
//! by an HTTP server there, and `pathprobe proxy explain --wpad
//! --dhcp-inform` on the other side sending a real DHCPINFORM.
//!
//! Needs root (namespaces, the DHCP client port). Where the machine does not
//! allow it the test prints why and skips, except when PATHPROBE_REQUIRE_PEERS
//! is set (CI), where that is a failure.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pathprobe_tests::{binary, stderr, stdout};

fn sh(args: &[&str]) -> Result<(), String> {
    let out = Command::new(args[0])
        .args(&args[1..])
        .output()
        .map_err(|e| format!("{}: {e}", args[0]))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Namespaces, links and processes, removed on drop whatever happens.
struct Lab {
    server_ns: String,
    client_ns: String,
    children: Vec<Child>,
    dir: tempfile::TempDir,
}

impl Drop for Lab {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = sh(&["ip", "netns", "del", &self.server_ns]);
        let _ = sh(&["ip", "netns", "del", &self.client_ns]);
    }
}

fn dnsmasq() -> Option<PathBuf> {
    ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn skip_or_fail(reason: &str) {
    pathprobe_tests::skipped("wpad_from_a_real_dhcp_server", reason);
}

const PAC: &str =
    "function FindProxyForURL(u, h) { return 'PROXY dhcpwpad.corp.test:3128; DIRECT'; }";

#[test]
fn wpad_from_a_real_dhcp_server() {
    let Some(dnsmasq) = dnsmasq() else {
        return skip_or_fail("dnsmasq is not installed (Debian package dnsmasq-base)");
    };
    let id = std::process::id() % 100_000;
    let (server_ns, client_ns) = (format!("ppsrv{id}"), format!("ppcli{id}"));
    let (server_if, client_if) = (format!("pps{id}"), format!("ppc{id}"));
    if let Err(e) = sh(&["ip", "netns", "add", &server_ns]) {
        return skip_or_fail(&format!("cannot create a network namespace ({e})"));
    }
    let mut lab = Lab {
        server_ns: server_ns.clone(),
        client_ns: client_ns.clone(),
        children: Vec::new(),
        dir: tempfile::tempdir().unwrap(),
    };
    let dir = lab.dir.path().to_path_buf();
    for step in [
        vec!["ip", "netns", "add", &client_ns],
        vec![
            "ip", "link", "add", &server_if, "type", "veth", "peer", "name", &client_if,
        ],
        vec!["ip", "link", "set", &server_if, "netns", &server_ns],
        vec!["ip", "link", "set", &client_if, "netns", &client_ns],
        vec![
            "ip",
            "-n",
            &server_ns,
            "addr",
            "add",
            "10.77.0.1/24",
            "dev",
            &server_if,
        ],
        vec!["ip", "-n", &server_ns, "link", "set", &server_if, "up"],
        vec!["ip", "-n", &server_ns, "link", "set", "lo", "up"],
        vec![
            "ip",
            "-n",
            &client_ns,
            "addr",
            "add",
            "10.77.0.2/24",
            "dev",
            &client_if,
        ],
        vec!["ip", "-n", &client_ns, "link", "set", &client_if, "up"],
        vec!["ip", "-n", &client_ns, "link", "set", "lo", "up"],
    ] {
        sh(&step).unwrap_or_else(|e| panic!("setting up the lab: {e}"));
    }
    std::fs::write(dir.join("wpad.dat"), PAC).unwrap();
    let log = dir.join("dnsmasq.log");
    lab.children.push(
        Command::new("ip")
            .args(["netns", "exec", &server_ns])
            .arg(&dnsmasq)
            .args([
                "--no-daemon",
                "--no-resolv",
                "--no-hosts",
                "--bind-interfaces",
                "--user=root",
                "--log-dhcp",
                "--dhcp-authoritative",
            ])
            .arg(format!("--interface={server_if}"))
            .arg("--dhcp-range=10.77.0.10,10.77.0.50,255.255.255.0")
            .arg("--dhcp-option=252,http://10.77.0.1/wpad.dat")
            .arg("--dhcp-option=15,corp.test")
            .arg(format!("--log-facility={}", log.display()))
            .arg(format!("--pid-file={}", dir.join("dnsmasq.pid").display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    lab.children.push(
        Command::new("ip")
            .args([
                "netns",
                "exec",
                &server_ns,
                "python3",
                "-m",
                "http.server",
                "80",
                "--bind",
                "10.77.0.1",
                "--directory",
            ])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );

    // The servers need a moment to bind; retry until the answer comes.
    let started = Instant::now();
    let out = loop {
        let out = Command::new("ip")
            .args(["netns", "exec", &client_ns])
            .arg(binary())
            .args([
                "proxy",
                "explain",
                "https://winatp-gw-weu.microsoft.com/",
                "--only-given",
                "--no-env",
                "--os",
                "linux",
                "--wpad",
                "--dhcp-inform",
                &client_if,
                "--dns-server",
                "10.77.0.1",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let text = stdout(&out);
        if text.contains("dhcpwpad") || started.elapsed() > Duration::from_secs(15) {
            break out;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), stderr(&out)));
    assert_eq!(
        v["urls"][0]["routes"][0]["host"], "dhcpwpad.corp.test",
        "{v:#}"
    );
    assert_eq!(v["urls"][0]["routes"][1]["type"], "direct");
    let found_by = v["pac"]["found_by"].as_str().unwrap();
    assert!(
        found_by.starts_with("WPAD via DHCP") && found_by.contains("DHCPINFORM"),
        "{found_by}"
    );
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        log.contains("DHCPINFORM"),
        "dnsmasq saw no DHCPINFORM:\n{log}"
    );
    drop(lab);
}
