//! Real peers for end-to-end tests: squid and mitmproxy on loopback ports,
//! started with their own configuration in a temporary directory and killed
//! on drop. A missing peer is a printed skip, or a failure when
//! `PATHPROBE_REQUIRE_PEERS` is set (CI installs them all).

// Test support: a failure here is a failed test, said loudly.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// squid for `test`, built with OpenSSL (Debian's `squid-openssl`): the
/// tests use `https_port`, `ssl_bump` and `ssl::server_name`, which Debian's
/// plain `squid` refuses. A squid without it counts as missing.
pub fn require_squid(test: &str) -> Option<PathBuf> {
    let binary = require(
        test,
        &["/usr/sbin/squid", "squid"],
        "squid (Debian package squid-openssl)",
    )?;
    let version = Command::new(&binary)
        .arg("-v")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if version.contains("--with-openssl") {
        return Some(binary);
    }
    crate::skipped(
        test,
        &format!(
            "{} is built without OpenSSL (install Debian's squid-openssl)",
            binary.display()
        ),
    );
    None
}

/// Returns `None` after printing why when `program` is missing (a failure
/// under `PATHPROBE_REQUIRE_PEERS`).
pub fn require(test: &str, candidates: &[&str], package: &str) -> Option<PathBuf> {
    let found = candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .or_else(|| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .filter_map(|dir| candidates.iter().map(|c| dir.join(c)).find(|p| p.is_file()))
                    .next()
            })
        });
    if found.is_none() {
        crate::skipped(test, &format!("{package} is not installed"));
    }
    found
}

/// A loopback port nothing listens on (at the time of asking), never the
/// same twice in one test process.
///
/// Ports come from 20000–31999, below Linux's ephemeral range (32768 and
/// up), where every `bind(…:0)` of the lab servers lands: a port handed to
/// a peer that is still starting cannot be taken by another test's server
/// meanwhile (a peer that then failed to bind left the test talking to
/// whoever had the port: mitmproxy's test once spoke to another peer).
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    const FIRST: u32 = 20_000;
    const SPAN: u32 = 12_000;
    static NEXT: AtomicU32 = AtomicU32::new(0);
    // Processes started side by side begin at different places.
    let start = (std::process::id() % 600) * 20;
    loop {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        assert!(
            n < SPAN,
            "no free loopback port in {FIRST}-{}",
            FIRST + SPAN
        );
        let port = FIRST + (start + n) % SPAN;
        let Ok(port) = u16::try_from(port) else {
            continue;
        };
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

fn wait_for_port(port: u16, child: &mut Child, log: &Path) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "the peer exited ({status}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "the peer did not listen on {port}:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// A running peer; killed on drop.
pub struct Peer {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its working directory (logs, configuration).
    pub dir: tempfile::TempDir,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// squid options.
#[derive(Debug, Default, Clone)]
pub struct SquidSetup {
    /// Basic credentials required (user, password); also offers NTLM and Negotiate.
    pub auth: Option<(String, String)>,
    /// Domains squid refuses (`dstdomain`, e.g. `.blocked.lab.test`).
    pub blocked: Vec<String>,
    /// Names squid resolves to 127.0.0.1 (its hosts file).
    pub hosts: Vec<String>,
    /// Allow only the destinations of this dstdomain ACL file; deny the rest.
    pub allow_only: Option<PathBuf>,
    /// Digest credentials required (user, password), and no other scheme.
    pub digest_only: Option<(String, String)>,
    /// Listen for TLS (an HTTPS proxy) with this chain and key, PEM files.
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// Starts squid as a forward proxy on a loopback port.
pub fn squid(binary: &Path, setup: &SquidSetup) -> Peer {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let port = free_port();
    let hosts: String = setup
        .hosts
        .iter()
        .map(|h| format!("127.0.0.1 {h}\n"))
        .collect();
    std::fs::write(d.join("hosts"), hosts).expect("hosts");
    let listen = match &setup.tls {
        Some((chain, key)) => {
            // Inside squid's own directory, which the proxy user can read.
            std::fs::copy(chain, d.join("proxy-chain.pem")).expect("copy the chain");
            std::fs::copy(key, d.join("proxy-key.pem")).expect("copy the key");
            format!(
                "https_port 127.0.0.1:{port} tls-cert={0}/proxy-chain.pem tls-key={0}/proxy-key.pem",
                d.display()
            )
        }
        None => format!("http_port 127.0.0.1:{port}"),
    };
    let mut conf = format!(
        "{listen}\npid_filename {0}/squid.pid\ncache_log {0}/cache.log\naccess_log {0}/access.log\ncache deny all\nshutdown_lifetime 1 seconds\ncoredump_dir {0}\nhosts_file {0}/hosts\ndns_nameservers 127.0.0.1\nacl CONNECT method CONNECT\n",
        d.display()
    );
    for b in &setup.blocked {
        conf.push_str(&format!(
            "acl blocked dstdomain {b}\nhttp_access deny blocked\n"
        ));
    }
    if let Some(list) = &setup.allow_only {
        // Inside squid's own directory, which the proxy user can read.
        std::fs::copy(list, d.join("listed.acl")).expect("copy the ACL");
        conf.push_str(&format!(
            "acl listed dstdomain \"{}/listed.acl\"\nhttp_access allow listed\nhttp_access deny all\n",
            d.display()
        ));
    }
    match &setup.auth {
        Some((user, pass)) => {
            let status = Command::new("htpasswd")
                .args(["-bc"])
                .arg(d.join("passwd"))
                .args([user, pass])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("htpasswd (apache2-utils)");
            assert!(status.success(), "htpasswd failed");
            conf.push_str("auth_param negotiate program /usr/lib/squid/negotiate_kerberos_auth -s GSS_C_NO_NAME\n");
            conf.push_str("auth_param ntlm program /usr/lib/squid/ntlm_fake_auth\n");
            conf.push_str(&format!(
                "auth_param basic program /usr/lib/squid/basic_ncsa_auth {}/passwd\nauth_param basic realm pathprobe lab\nacl authed proxy_auth REQUIRED\nhttp_access allow authed\nhttp_access deny all\n",
                d.display()
            ));
        }
        None => match &setup.digest_only {
            Some((user, pass)) => {
                std::fs::write(d.join("digest_passwd"), format!("{user}:{pass}\n"))
                    .expect("digest passwd");
                conf.push_str(&format!(
                    "auth_param digest program /usr/lib/squid/digest_file_auth {}/digest_passwd\nauth_param digest realm pathprobe digest lab\nacl authed proxy_auth REQUIRED\nhttp_access allow authed\nhttp_access deny all\n",
                    d.display()
                ));
            }
            None => conf.push_str("http_access allow all\n"),
        },
    }
    std::fs::write(d.join("squid.conf"), conf).expect("conf");
    let _ = Command::new("chown")
        .args(["-R", "proxy:proxy"])
        .arg(d)
        .status();
    let log = d.join("cache.log");
    // A service name of its own: squids started at the same moment name
    // their shared memory after it, and the default one collided
    // ("shm_open(/squid-cf__queues.shm): File exists").
    let mut child = Command::new(binary)
        .args(["-N", "-n", &format!("pathprobe{port}"), "-f"])
        .arg(d.join("squid.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start squid");
    wait_for_port(port, &mut child, &log);
    Peer { child, port, dir }
}

/// Starts mitmdump re-signing every TLS connection, with `ca` (key and
/// certificate PEM) as its CA when given.
pub fn mitmdump(binary: &Path, ca: Option<(&str, &str)>) -> Peer {
    mitmdump_with(binary, ca, &[])
}

/// [`mitmdump`] with more of its options (`--mode upstream:URL`).
pub fn mitmdump_with(binary: &Path, ca: Option<(&str, &str)>, extra: &[&str]) -> Peer {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    if let Some((key, cert)) = ca {
        std::fs::write(d.join("mitmproxy-ca.pem"), format!("{key}{cert}")).expect("ca");
    }
    let port = free_port();
    let log = d.join("mitmdump.log");
    let log_file = std::fs::File::create(&log).expect("log");
    let mut child = Command::new(binary)
        .args([
            "--listen-host",
            "127.0.0.1",
            "--listen-port",
            &port.to_string(),
        ])
        .arg("--set")
        .arg(format!("confdir={}", d.display()))
        .args(["--set", "connection_strategy=lazy", "--ssl-insecure", "-q"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .expect("start mitmdump");
    wait_for_port(port, &mut child, &log);
    Peer { child, port, dir }
}

/// Starts dante as a SOCKS5 server (no authentication) on a loopback port.
pub fn dante(binary: &Path) -> Peer {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let port = free_port();
    let log = d.join("danted.log");
    let conf = format!(
        "logoutput: {}\ninternal: 127.0.0.1 port = {port}\nexternal: lo\nsocksmethod: none\nclientmethod: none\nuser.privileged: root\nuser.unprivileged: nobody\nclient pass {{ from: 127.0.0.0/8 to: 0.0.0.0/0 }}\nsocks pass {{ from: 127.0.0.0/8 to: 0.0.0.0/0 }}\n",
        log.display()
    );
    std::fs::write(d.join("danted.conf"), conf).expect("conf");
    let mut child = Command::new(binary)
        .arg("-f")
        .arg(d.join("danted.conf"))
        .arg("-p")
        .arg(d.join("danted.pid"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start danted");
    wait_for_port(port, &mut child, &log);
    Peer { child, port, dir }
}

/// Starts dnsmasq on a loopback port (UDP and TCP) with its default limits
/// (150 forwarded queries at once), no cache, forwarding to `upstream`.
pub fn dnsmasq_forwarder(binary: &Path, upstream: std::net::SocketAddr) -> Peer {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let port = free_port();
    let log = d.join("dnsmasq.log");
    let mut child = Command::new(binary)
        .args([
            "--no-daemon",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            "--user=root",
            "--cache-size=0",
        ])
        .arg(format!("--port={port}"))
        .arg(format!("--server={}#{}", upstream.ip(), upstream.port()))
        .arg(format!("--log-facility={}", log.display()))
        .arg(format!("--pid-file={}", d.join("pid").display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dnsmasq");
    wait_for_port(port, &mut child, &log);
    Peer { child, port, dir }
}

/// Starts Prometheus on a loopback port, scraping `target` (host:port) every
/// second, with `rules` (a rules file) loaded when given.
pub fn prometheus(binary: &Path, target: &str, rules: Option<&Path>) -> Peer {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let port = free_port();
    let rule_files = rules
        .map(|r| format!("rule_files:\n  - {}\n", r.display()))
        .unwrap_or_default();
    let conf = format!(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n{rule_files}scrape_configs:\n  - job_name: pathprobe\n    static_configs:\n      - targets: ['{target}']\n"
    );
    std::fs::write(d.join("prometheus.yml"), conf).expect("conf");
    let log = d.join("prometheus.log");
    let log_file = std::fs::File::create(&log).expect("log");
    let mut child = Command::new(binary)
        .arg(format!(
            "--config.file={}",
            d.join("prometheus.yml").display()
        ))
        .arg(format!("--storage.tsdb.path={}", d.join("data").display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .expect("start prometheus");
    wait_for_port(port, &mut child, &log);
    Peer { child, port, dir }
}

/// Starts a Prometheus Pushgateway on a loopback port.
pub fn pushgateway(binary: &Path) -> Peer {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let log = dir.path().join("pushgateway.log");
    let log_file = std::fs::File::create(&log).expect("log");
    let mut child = Command::new(binary)
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .expect("start pushgateway");
    wait_for_port(port, &mut child, &log);
    Peer { child, port, dir }
}

/// A plain HTTP GET on loopback: status and body (tests talk to peers' APIs
/// with nothing more).
pub fn http_get(port: u16, path_and_query: &str) -> (u16, String) {
    try_http_get(port, path_and_query).expect("connect")
}

/// [`http_get`], or `None` when nothing listens on the port.
pub fn try_http_get(port: u16, path_and_query: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    write!(
        s,
        "GET {path_and_query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

/// Runs the helper on `scripts` (PAC text, (url, host) cases); myIpAddress is 10.9.8.7.
pub fn pacparser(scripts: &[(String, Vec<(String, String)>)]) -> serde_json::Value {
    let request = serde_json::json!({
        "scripts": scripts.iter().map(|(pac, cases)| serde_json::json!({
            "pac": pac, "my_ip": "10.9.8.7", "cases": cases,
        })).collect::<Vec<_>>()
    });
    let script = crate::workspace_root().join("tests/scripts/pacparser_eval.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.to_string().as_bytes())
        .expect("write request");
    let out = child.wait_with_output().expect("pacparser helper");
    assert!(out.status.success(), "pacparser helper failed");
    serde_json::from_slice(&out.stdout).expect("pacparser JSON")
}

/// Whether Python can import pacparser, or why not.
pub fn pacparser_available() -> Result<(), String> {
    let out = Command::new("python3")
        .args(["-c", "import pacparser"])
        .output()
        .map_err(|e| format!("python3 not runnable: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err("Python module pacparser is not installed (pip install pacparser)".into())
    }
}

/// Skips (with the reason printed) when pacparser is missing, unless the run
/// requires peers, as CI does.
pub fn skip_without_pacparser(test: &str) -> bool {
    match pacparser_available() {
        Ok(()) => false,
        Err(why) => {
            crate::skipped(test, &why);
            true
        }
    }
}

/// Fails the test unless every file in `files` is JUnit XML that Jenkins
/// accepts: validated by Python's `xmlschema` against
/// `tests/schemas/junit-jenkins.xsd` (the xUnit plugin's junit-10 rules).
/// A missing validator is a printed skip, or a failure under
/// `PATHPROBE_REQUIRE_PEERS`.
pub fn assert_jenkins_junit(test: &str, files: &[&Path]) {
    let Some(python) = require(test, &["python3"], "python3") else {
        return;
    };
    let root = crate::workspace_root();
    let out = Command::new(python)
        .arg(root.join("tests/scripts/check_junit.py"))
        .arg(root.join("tests/schemas/junit-jenkins.xsd"))
        .args(files)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'xmlschema'") {
        crate::skipped(test, "the PyPI package xmlschema is not installed");
        return;
    }
    assert!(out.status.success(), "check_junit.py: {stderr}");
    let errors: std::collections::BTreeMap<String, Vec<String>> =
        serde_json::from_slice(&out.stdout).expect("check_junit.py prints JSON");
    assert_eq!(errors.len(), files.len(), "{errors:?}");
    for (file, problems) in errors {
        assert!(
            problems.is_empty(),
            "{file} is refused by Jenkins' JUnit rules: {problems:?}"
        );
    }
}
