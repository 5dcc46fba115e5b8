//! Helpers for pathprobe's end-to-end tests: the built binary, fixture
//! workbooks that reproduce the traits of the vendor's real spreadsheets, and
//! the location of the real files when this machine has them.

// Test helpers: failing loudly is their job.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

pub mod fixtures;
pub mod lab;
pub mod m365;
pub mod peers;
pub mod scenarios;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Path of the `pathprobe` binary of the profile these tests were built with,
/// built first if needed (once per test process).
pub fn binary() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // Test executables live in target/<profile>/deps/.
        let exe = std::env::current_exe().unwrap_or_default();
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| workspace_root().join("target/debug"));
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev".to_string(),
            Some(other) => other.to_string(),
        };
        // Cheap when up to date; makes `cargo test -p pathprobe-tests` test current code.
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "pathprobe",
                "--bin",
                "pathprobe",
                "--profile",
                &profile,
            ])
            .current_dir(workspace_root())
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "building the pathprobe binary failed"
        );
        profile_dir.join("pathprobe")
    })
    .clone()
}

/// The variable naming a Windows `pathprobe.exe` that [`Pathprobe`] runs
/// under Wine instead of this build's binary (tests/tests/wine.rs).
pub const WINE_EXE: &str = "PATHPROBE_WINE_EXE";

/// Where the tests point `XDG_CONFIG_HOME`: nowhere, so that a developer's
/// own `~/.config/pathprobe/config.toml` does not change their results.
pub const NO_CONFIG_HOME: &str = "/nonexistent/pathprobe-tests-config";

/// One run of the binary, built up — arguments, environment, a time limit —
/// then run for its output, or for its stdout read as JSON. Every run has
/// no configuration file of the developer's (`XDG_CONFIG_HOME` points
/// nowhere), no `*_proxy` variable of the machine running the tests, and no
/// `COLUMNS`.
///
/// ```no_run
/// use pathprobe_tests::Pathprobe;
/// let (report, out) = Pathprobe::new(["check", "--only-given", "--format", "json"])
///     .env("PATHPROBE_LOG", "debug")
///     .within(std::time::Duration::from_secs(60))
///     .json();
/// assert_eq!(out.status.code(), Some(1));
/// # let _ = report;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Pathprobe {
    args: Vec<std::ffi::OsString>,
    env: Vec<(String, String)>,
    limit: Option<std::time::Duration>,
}

impl Pathprobe {
    /// A run with these arguments.
    pub fn new<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Self::default().args(args)
    }

    /// More arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// An environment variable for the run.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Kills the run if it is still going after `limit` (the test then fails
    /// naming the command): for inputs that could hang a careless reader.
    pub fn within(mut self, limit: std::time::Duration) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The command, not started (for a process a test keeps running).
    /// With `PATHPROBE_WINE_EXE` set (scripts/check-windows.sh sets it), it
    /// is that Windows build of pathprobe run under Wine.
    pub fn command(&self) -> Command {
        let mut cmd = match std::env::var_os(WINE_EXE) {
            Some(exe) => {
                let mut wine = Command::new("wine");
                // As on Windows: the trust store is the Windows one, not a
                // Linux bundle named by this machine's environment.
                wine.arg(exe)
                    .env_remove("SSL_CERT_FILE")
                    .env_remove("SSL_CERT_DIR");
                wine
            }
            None => Command::new(binary()),
        };
        // No control probes: they would ask Microsoft's connectivity test
        // on the internet; tests of them give their own on loopback.
        cmd.env_remove("COLUMNS")
            .env("XDG_CONFIG_HOME", NO_CONFIG_HOME)
            .env("PATHPROBE_NO_CONTROL", "1");
        for (key, _) in std::env::vars_os() {
            if key
                .to_string_lossy()
                .to_ascii_lowercase()
                .ends_with("_proxy")
            {
                cmd.env_remove(&key);
            }
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.args(&self.args);
        cmd
    }

    /// Runs it to the end (or to its limit) and returns what it wrote.
    pub fn output(&self) -> Output {
        let mut cmd = self.command();
        let Some(limit) = self.limit else {
            return cmd.output().expect("run pathprobe");
        };
        let child = cmd
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run pathprobe");
        let pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        match rx.recv_timeout(limit) {
            Ok(out) => out.expect("wait for pathprobe"),
            Err(_) => {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                panic!(
                    "pathprobe {:?} was still running after {limit:?}",
                    self.args
                );
            }
        }
    }

    /// Runs it and reads its stdout as JSON (the test fails, showing both
    /// streams, when it is not).
    pub fn json(&self) -> (serde_json::Value, Output) {
        let out = self.output();
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "pathprobe {:?}: not JSON ({e}):\n{}\n{}",
                self.args,
                stdout(&out),
                stderr(&out)
            )
        });
        (v, out)
    }
}

/// The JSON a run wrote on stdout (the test fails, showing both streams,
/// when it is not JSON).
pub fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\n{}",
            stdout(out),
            stderr(out)
        )
    })
}

/// Runs the binary with `args` (see [`Pathprobe`]).
pub fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Pathprobe::new(args).output()
}

/// Runs the binary like [`run`], killing it if it is still running after
/// `limit` (the test then fails, naming the command): for inputs that could
/// hang a careless reader.
pub fn run_within<I, S>(args: I, limit: std::time::Duration) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Pathprobe::new(args).within(limit).output()
}

/// Runs the binary with `args` and these environment variables (see
/// [`Pathprobe`]).
pub fn run_with_env<I, S>(args: I, env: &[(&str, &str)]) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    env.iter()
        .fold(Pathprobe::new(args), |p, (k, v)| p.env(k, v))
        .output()
}

/// The binary as [`run_with_env`] runs it, not started yet (for a process a
/// test keeps running, such as `serve`).
pub fn command_with_env(env: &[(&str, &str)]) -> Command {
    env.iter()
        .fold(Pathprobe::default(), |p, (k, v)| p.env(k, v))
        .command()
}

/// A number from the environment (benchmark sizes), else `default`.
pub fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The shared real-data directory (`shared/data/mde`) for `test`, if this
/// machine has it; `PATHPROBE_SHARED_DATA` overrides the search. Missing, the
/// test is skipped saying why, and fails under `PATHPROBE_REQUIRE_PEERS`
/// (CI has the data: a test that needs it never passes there without it).
pub fn shared_mde_data(test: &str) -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Ok(dir) = std::env::var("PATHPROBE_SHARED_DATA") {
        candidates.push(PathBuf::from(dir));
    }
    candidates.push(workspace_root().join("../shared/data"));
    let found = candidates
        .into_iter()
        .map(|d| d.join("mde"))
        .find(|d| d.join("mde-urls-2021-03.xlsx").is_file());
    if found.is_none() {
        skipped(
            test,
            "the real vendor workbooks are not on this machine (../shared/data/mde, or set PATHPROBE_SHARED_DATA)",
        );
    }
    found
}

/// Says why `test` is skipped; a failure instead under
/// `PATHPROBE_REQUIRE_PEERS`, where CI has installed every peer and data.
pub fn skipped(test: &str, why: &str) {
    assert!(
        std::env::var_os("PATHPROBE_REQUIRE_PEERS").is_none(),
        "PATHPROBE_REQUIRE_PEERS is set but {why}"
    );
    eprintln!("SKIPPED {test}: {why}");
}

/// Writes a pathprobe JSON catalog of `urls` (each a required endpoint) into
/// `dir` and returns its path.
pub fn write_catalog(dir: &Path, urls: &[&str]) -> PathBuf {
    let endpoints: Vec<serde_json::Value> = urls
        .iter()
        .map(|u| serde_json::json!({ "url": u, "requirement": "required" }))
        .collect();
    let doc = serde_json::json!({
        "format": "pathprobe-catalog",
        "format_version": 1,
        "name": "lab",
        "endpoints": endpoints,
    });
    let path = dir.join("catalog.json");
    std::fs::write(&path, doc.to_string()).expect("write catalog");
    path
}

/// A JSON report's verdicts, in order.
pub fn verdicts_of(report: &serde_json::Value) -> Vec<String> {
    report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["verdict"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A JSON report's findings as (kind, how many endpoints), in order.
pub fn finding_kinds(report: &serde_json::Value) -> Vec<(String, usize)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or_default().to_owned(),
                f["endpoints"].as_array().map_or(0, Vec::len),
            )
        })
        .collect()
}

/// Runs `pathprobe check` on its own: only the sources given, no proxy
/// environment, JSON out, the lab's DNS server, `phase_timeout` seconds per
/// phase, plus `args`. Returns the report and the process output.
pub fn check_json(args: &[&str], phase_timeout: &str) -> (serde_json::Value, Output) {
    check_json_via(&lab::dns_server().to_string(), args, phase_timeout)
}

/// [`check_json`] with another DNS server (`IP:PORT`).
pub fn check_json_via(
    dns: &str,
    args: &[&str],
    phase_timeout: &str,
) -> (serde_json::Value, Output) {
    let mut all = vec![
        "check",
        "--only-given",
        "--no-env",
        "--format",
        "json",
        "--dns-server",
        dns,
        "--phase-timeout",
        phase_timeout,
    ];
    all.extend_from_slice(args);
    Pathprobe::new(all).json()
}

/// A loopback server that reads what a client sends first and answers
/// `reply`, whatever it was, to every connection: a proxy or origin that
/// says one fixed thing (a refusal, a non-HTTP answer).
pub fn answering(reply: impl Into<Vec<u8>>) -> u16 {
    use std::io::{Read as _, Write as _};
    let reply: std::sync::Arc<Vec<u8>> = std::sync::Arc::new(reply.into());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let reply = reply.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(&reply);
            });
        }
    });
    port
}

/// A loopback port nothing listens on (bound, then let go): connecting to
/// it is refused.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a loopback port")
}

/// A loopback server answering each connection with `answer(head)`, where
/// `head` is what the client sent first (its request line and headers):
/// a server that echoes, redirects or misbehaves by request.
pub fn answering_by(answer: impl Fn(&str) -> Vec<u8> + Send + 'static) -> u16 {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().map_while(Result::ok) {
            let mut head = [0u8; 4096];
            let n = stream.read(&mut head).unwrap_or(0);
            let text = String::from_utf8_lossy(head.get(..n).unwrap_or_default()).into_owned();
            let _ = stream.write_all(&answer(&text));
        }
    });
    port
}

/// Serves `body` (200 OK, with `content_type` when given) at any path, on a
/// loopback port, to every connection, from a thread.
pub fn serve_http(content_type: Option<&str>, body: Vec<u8>) -> u16 {
    serve_http_on("127.0.0.1:0", content_type, body)
}

/// [`serve_http`] on another loopback address (`[::1]:0` for IPv6 only).
pub fn serve_http_on(addr: &str, content_type: Option<&str>, body: Vec<u8>) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind(addr).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let content_type = content_type
        .map(|c| format!("Content-Type: {c}\r\n"))
        .unwrap_or_default();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\n{content_type}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        }
    });
    port
}

/// Resident memory (KiB) and user + system CPU seconds of a process (this
/// one when `pid` is `None`), read from Linux `/proc`; zeros when unreadable.
pub fn process_usage(pid: Option<u32>) -> (f64, f64) {
    let dir = pid.map_or_else(|| "self".to_owned(), |p| p.to_string());
    let status = std::fs::read_to_string(format!("/proc/{dir}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let stat = std::fs::read_to_string(format!("/proc/{dir}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses: utime and
    // stime are the 12th and 13th, in ticks of USER_HZ (100 on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    (rss, ticks / 100.0)
}

/// Holds `127.0.0.1:port` for `test` (a port below 1024 needs root, as CI
/// has): `Some(Some(listener))` when bound here, `Some(None)` when something
/// listens there already (which serves the test as well), `None` when it
/// cannot be bound, said (a failure under `PATHPROBE_REQUIRE_PEERS`).
pub fn hold_loopback_port(test: &str, port: u16) -> Option<Option<std::net::TcpListener>> {
    match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => Some(Some(listener)),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Some(None),
        Err(e) => {
            skipped(
                test,
                &format!("127.0.0.1:{port} cannot be bound here ({e}); it needs root"),
            );
            None
        }
    }
}
