//! A proxy setting that cannot be used is never replaced by a silent direct
//! connection: given on the command line it is an input error (exit 2);
//! found on the machine, every endpoint it would route gets no route, with a
//! verdict that names the setting, as the client reading it would fail.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_tests::json_of as report;
use pathprobe_tests::lab::{TestCa, dns_server, tls_origin};
use pathprobe_tests::{run_with_env, stderr, stdout, write_catalog};

/// A lab HTTPS origin and a catalog of it plus a plain-http URL of the same
/// host; returns (catalog, CA file, --resolve pin, temp dir).
fn lab() -> (String, String, tempfile::TempDir) {
    let ca = TestCa::new("pathprobe lab CA");
    let origin = tls_origin(&ca, &["svc.lab.test"], 200);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let https = format!("https://svc.lab.test:{origin}/");
    let http = "http://svc.lab.test:9/".to_owned();
    let cat = write_catalog(dir.path(), &[&https, &http]);
    (
        cat.to_str().unwrap().to_owned(),
        ca_file.to_str().unwrap().to_owned(),
        dir,
    )
}

fn check(extra: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let (cat, ca, _dir) = lab();
    let dns = dns_server().to_string();
    let mut args = vec![
        "check",
        cat.as_str(),
        "--format",
        "json",
        "--dns-server",
        &dns,
        "--ca-cert",
        &ca,
        "--resolve",
        "svc.lab.test=127.0.0.1",
        "--phase-timeout",
        "3",
    ];
    args.extend_from_slice(extra);
    let out = run_with_env(args, env);
    // The lab's files must outlive the run.
    drop(_dir);
    out
}

#[test]
fn an_unusable_http_proxy_variable_fails_the_http_urls_only() {
    // curl refuses http_proxy=garbage://x for http URLs; https URLs have no
    // proxy variable of their own here and go direct.
    let out = check(&["--only-given"], &[("http_proxy", "garbage://x")]);
    let v = report(&out);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{v}");
    assert_eq!(results[0]["verdict"], "ok", "{}", results[0]);
    assert_eq!(results[1]["verdict"], "no_route", "{}", results[1]);
    let hint = results[1]["hint"].as_str().unwrap();
    assert!(
        hint.contains("http_proxy is set to a proxy that cannot be used"),
        "{hint}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_unusable_all_proxy_fails_every_url_it_serves() {
    let out = check(&["--only-given"], &[("ALL_PROXY", ":::::")]);
    let v = report(&out);
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "no_route", "{r}");
        assert!(r["hint"].as_str().unwrap().contains("ALL_PROXY"), "{r}");
    }
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_pac_given_on_the_command_line_that_cannot_be_read_is_an_input_error() {
    let out = check(
        &[
            "--only-given",
            "--no-env",
            "--pac",
            "/nonexistent/proxy.pac",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/nonexistent/proxy.pac"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    // The same for a script that does not compile.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.pac");
    std::fs::write(&broken, "function FindProxyForURL(url, host) { return ").unwrap();
    let out = check(
        &[
            "--only-given",
            "--no-env",
            "--pac",
            broken.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // proxy explain agrees.
    let out = run_with_env(
        [
            "proxy",
            "explain",
            "https://svc.lab.test/",
            "--only-given",
            "--no-env",
            "--pac",
            "/nonexistent/proxy.pac",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
}

#[test]
fn a_machine_pac_that_cannot_be_fetched_fails_its_urls_naming_it() {
    // GNOME's settings point at a PAC server that does not answer.
    let closed = pathprobe_tests::peers::free_port();
    let dir = tempfile::tempdir().unwrap();
    let gsettings = dir.path().join("gsettings.txt");
    std::fs::write(
        &gsettings,
        format!(
            "org.gnome.system.proxy mode 'auto'\norg.gnome.system.proxy autoconfig-url 'http://127.0.0.1:{closed}/proxy.pac'\n"
        ),
    )
    .unwrap();
    let out = check(
        &[
            "--only-given",
            "--no-env",
            "--profile",
            "system",
            "--gsettings-file",
            gsettings.to_str().unwrap(),
        ],
        &[],
    );
    let v = report(&out);
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "no_route", "{r}");
        let hint = r["hint"].as_str().unwrap();
        assert!(hint.contains("the PAC cannot be fetched"), "{hint}");
        assert!(hint.to_ascii_lowercase().contains("gnome"), "{hint}");
    }
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_pac_url_given_whose_server_does_not_answer_is_a_finding() {
    // Not the input's fault (the URL is well formed; the server is down):
    // every URL fails naming the PAC, the report is written, exit 1, as
    // for a PAC found on the machine. A file that is missing stays exit 2.
    let closed = pathprobe_tests::peers::free_port();
    let out = check(
        &[
            "--only-given",
            "--no-env",
            "--pac",
            &format!("http://127.0.0.1:{closed}/proxy.pac"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = report(&out);
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["verdict"], "no_route", "{r}");
        let hint = r["hint"].as_str().unwrap();
        assert!(hint.contains("the PAC cannot be fetched"), "{hint}");
    }
}

#[test]
fn a_pac_url_given_that_the_server_does_not_have_is_bad_input() {
    // 404: the location is wrong, a thing to fix before a run means anything.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read as _, Write as _};
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    let url = format!("http://127.0.0.1:{port}/proxy.pac");
    let out = check(&["--only-given", "--no-env", "--pac", &url], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("HTTP 404"), "{}", stderr(&out));
}

#[test]
fn an_agent_configuration_that_cannot_be_read_is_not_taken_for_direct() {
    // The agent reads only its managed configuration on Linux: one whose
    // proxy is not a proxy, or which is not JSON, used to leave "no setting"
    // and a direct run reported ok, exit 0.
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("scheme.json", r#"{"cloudService":{"proxy":"garbage://x"}}"#),
        (
            "port.json",
            r#"{"cloudService":{"proxy":"http://127.0.0.1:99999"}}"#,
        ),
        (
            "broken.json",
            r#"{"cloudService":{"proxy":"http://127.0.0.1:3128",}}"#,
        ),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = check(
            &[
                "--only-given",
                "--no-env",
                "--profile",
                "agent",
                "--os",
                "linux",
                "--mdatp-config",
                file.to_str().unwrap(),
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let v = report(&out);
        for r in v["results"].as_array().unwrap() {
            assert_eq!(r["verdict"], "no_route", "{name}: {r}");
            let hint = r["hint"].as_str().unwrap();
            assert!(
                hint.contains(name) && hint.contains("cannot be read"),
                "{name}: {hint}"
            );
        }
    }
}

/// Round 20. A settings file named on the command line that cannot be read
/// stops `check` before it probes, naming the flag and the file: every URL
/// was `no_route`, or nothing was said when the file was one this OS does
/// not read.
#[test]
fn a_settings_file_that_cannot_be_read_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = pathprobe_tests::write_catalog(dir.path(), &["https://a.lab.test/"]);
    for flag in ["--mdatp-config", "--netsh-file"] {
        let missing = dir.path().join("absent.txt");
        let out = pathprobe_tests::run([
            "check",
            catalog.to_str().unwrap(),
            "--only-given",
            "--no-env",
            "--no-config",
            "--profile",
            "agent",
            flag,
            missing.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flag}: {}",
            pathprobe_tests::stderr(&out)
        );
        let err = pathprobe_tests::stderr(&out);
        assert!(
            err.contains(&format!("{flag} ")) && err.contains("absent.txt: cannot read"),
            "{flag}: {err}"
        );
        assert_eq!(err.matches("cannot read").count(), 1, "{err}");
    }
}
