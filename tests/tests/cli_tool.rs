//! The tool as people install and live with it: `--version`.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_tests::{run, stdout, workspace_root};

#[test]
fn version_names_the_build_and_the_embedded_catalog() {
    let out = run(["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_owned()
    };
    assert!(
        text.starts_with(&format!("pathprobe {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let built = field("built");
    assert!(
        built.len() == 10 && jiff::civil::Date::strptime("%Y-%m-%d", &built).is_ok(),
        "{built}"
    );
    assert_eq!(
        field("target").split('-').next(),
        Some(std::env::consts::ARCH)
    );
    let catalog = field("catalog");
    assert!(
        catalog.starts_with("Microsoft Defender for Endpoint") && catalog.contains("from https://"),
        "{catalog}"
    );
    // In a git checkout the commit is the one built.
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(workspace_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    match head {
        Some(head) => assert!(field("commit").starts_with(&head), "{text}"),
        None => eprintln!("not a git checkout: the commit is not compared"),
    }
    // -V stays one line, for scripts.
    assert_eq!(
        stdout(&run(["-V"])),
        format!("pathprobe {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_shipped_bash_completion_completes_subcommands_and_values() {
    let script = workspace_root().join("diag/contrib/completions/pathprobe.bash");
    let complete = |words: &str, cword: usize, cur: &str, prev: &str| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {}; COMP_WORDS=({words}); COMP_CWORD={cword}; _pathprobe pathprobe '{cur}' '{prev}'; echo \"${{COMPREPLY[@]}}\"",
                script.display()
            ))
            .output()
            .expect("bash");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(complete("pathprobe urls ex", 2, "ex", "urls"), "export");
    assert_eq!(
        complete("pathprobe fix r.json --as ''", 4, "", "--as"),
        "domains squid pac csv json text"
    );
    let top = complete("pathprobe ''", 1, "", "pathprobe");
    assert!(top.contains("check") && top.contains("fix"), "{top}");
    assert!(!top.contains("__"), "internal commands offered: {top}");
}

/// Answers every request with a `Date` header `offset` seconds from now.
fn dated_server(offset: i64) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let date = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(offset))
                .strftime("%a, %d %b %Y %H:%M:%S GMT")
                .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

fn doctor(port: u16, dir: &std::path::Path) -> (serde_json::Value, Option<i32>) {
    let resolv = dir.join("resolv.conf");
    std::fs::write(&resolv, "nameserver 192.0.2.53\nsearch corp.example\n").unwrap();
    let out = pathprobe_tests::run_with_env(
        [
            "doctor",
            "--url",
            &format!("http://127.0.0.1:{port}/"),
            "--resolv-conf",
            resolv.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", pathprobe_tests::stderr(&out)));
    (v, out.status.code())
}

#[test]
fn doctor_shows_resolvers_and_measures_clock_skew() {
    let dir = tempfile::tempdir().unwrap();
    // A server whose clock is ten minutes ahead of this machine's.
    let ahead = dated_server(600);
    let (v, code) = doctor(ahead, dir.path());
    let skew = v["clock"]["skew_seconds"].as_i64().unwrap();
    assert!((595..=605).contains(&skew), "{v:#}");
    assert_eq!(code, Some(1), "a skewed clock needs attention");
    assert!(v["attention"].to_string().contains("the clock is"), "{v:#}");
    assert_eq!(v["dns"]["nameservers"][0], "192.0.2.53");
    assert_eq!(v["dns"]["search"][0], "corp.example");
    assert!(v["trust"]["public_roots_builtin"].as_u64().unwrap() > 50);

    // In step: no clock finding.
    let (v, _) = doctor(dated_server(0), dir.path());
    assert!(
        v["clock"]["skew_seconds"].as_i64().unwrap().abs() <= 2,
        "{v:#}"
    );
    assert!(!v["attention"].to_string().contains("the clock"), "{v:#}");

    // Unreachable: said so, not a finding.
    let closed = pathprobe_tests::closed_port();
    let (v, code) = doctor(closed, dir.path());
    assert!(v["clock"]["skew_seconds"].is_null());
    assert!(
        v["clock"]["note"]
            .as_str()
            .unwrap()
            .starts_with("not reachable"),
        "{v:#}"
    );
    // Not knowing the clock is something to look at, not "nothing".
    assert_eq!(code, Some(1), "{v:#}");
    assert!(
        v["attention"].to_string().contains("could not be checked"),
        "{v:#}"
    );
}

/// A reference name that does not resolve (`.invalid` never does, RFC 6761)
/// and a clock that cannot be read: doctor says both, and never "nothing
/// needs attention". The name is asked of the lab's DNS server
/// (`--dns-server`, round 19: doctor had only the system's).
#[test]
fn doctor_flags_a_name_that_does_not_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let resolv = dir.path().join("resolv.conf");
    std::fs::write(&resolv, "nameserver 192.0.2.53\n").unwrap();
    let dns = pathprobe_tests::lab::dns_server_loopback().to_string();
    let out = pathprobe_tests::run_with_env(
        [
            "doctor",
            "--url",
            "https://clock.pathprobe.invalid/",
            "--resolv-conf",
            resolv.to_str().unwrap(),
            "--dns-server",
            &dns,
            "--timeout",
            "2",
        ],
        &[],
    );
    let text = pathprobe_tests::stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains("nothing needs attention"), "{text}");
    assert!(
        text.contains("clock.pathprobe.invalid does not resolve"),
        "{text}"
    );
    assert!(text.contains("the clock could not be checked"), "{text}");
    assert!(
        text.contains(&format!("through the DNS servers given ({dns})")),
        "{text}"
    );
}

/// Round 19. `doctor --dns-server` asks that server for the reference
/// URL's name, for the lookup shown and for the clock check itself.
#[test]
fn doctor_asks_the_dns_server_given() {
    let dir = tempfile::tempdir().unwrap();
    let resolv = dir.path().join("resolv.conf");
    std::fs::write(&resolv, "nameserver 192.0.2.53\n").unwrap();
    let dns = pathprobe_tests::lab::dns_server_loopback().to_string();
    let port = dated_server(600);
    let out = pathprobe_tests::run_with_env(
        [
            "doctor",
            "--url",
            &format!("http://clock.bench.test:{port}/"),
            "--resolv-conf",
            resolv.to_str().unwrap(),
            "--dns-server",
            &dns,
            "--format",
            "json",
        ],
        &[],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", pathprobe_tests::stderr(&out)));
    assert_eq!(v["dns"]["lookup"], "clock.bench.test → 127.0.0.1", "{v:#}");
    let skew = v["clock"]["skew_seconds"].as_i64().unwrap_or_default();
    assert!((595..=605).contains(&skew), "{v:#}");
}
