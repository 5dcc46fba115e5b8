//! `pathprobe bundle` end to end: secrets planted in every input (the proxy
//! credentials on the command line, a PAC URL's token, the environment, an
//! agent settings file, and a hostile proxy that echoes the credentials it
//! was sent into its block page) must appear nowhere in the zip; internal
//! host names go with --redact-hosts; `bundle inspect` re-renders the report
//! and notices tampering.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use base64::Engine as _;
use pathprobe_tests::lab::{TestCa, dns_server, tls_origin};
use pathprobe_tests::peers::assert_jenkins_junit;
use pathprobe_tests::{run_with_env, serve_http, stderr, stdout, write_catalog};

const PROXY_PASSWORD: &str = "Pr0xyPassw0rd-1";
const PAC_TOKEN: &str = "PacT0ken-2";
const ENV_PASSWORD: &str = "EnvSecr3t-3";
const FILE_PASSWORD: &str = "MdeSecr3t-4";
const CATALOG_SIG: &str = "CatalogS1g-5";
/// Secrets of the other commands' test below.
const CONFIG_PASSWORD: &str = "CfgPassw0rd-6";
const ROW_PASSWORD: &str = "RowPassw0rd-7";
const PROXY_TOKEN: &str = "ProxyT0ken-8";
/// Round 20: credentials a PAC script holds in its comments and variables,
/// each written another way, and a JWT (its claims part is the secret
/// looked for).
const PAC_SCRIPT_SECRETS: &[&str] = &[
    "PacColonPw-9",
    "PacVarPw-10",
    "PacJsonKey-11",
    "PacSpacedTok-12",
    "PacSingleSecret-13",
    "eyJzdWIiOiJwYWMtand0LTE0In0",
];

/// A proxy that answers every CONNECT with a 403 whose page and headers echo
/// the Proxy-Authorization it received.
fn echoing_proxy() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut echoed = String::from("(none)");
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Proxy-Authorization: ") {
                        echoed = v.trim().to_owned();
                    }
                }
                // Decoded too, as some block pages print the user:password.
                let decoded = echoed
                    .strip_prefix("Basic ")
                    .and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok())
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                let body = format!("<html><title>Denied for {echoed} {decoded}</title></html>");
                let _ = write!(
                    stream,
                    "HTTP/1.1 403 Forbidden\r\nServer: EchoGate ({echoed})\r\nVia: 1.1 echo ({echoed})\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

struct Run {
    dir: tempfile::TempDir,
    out: std::process::Output,
    zip: std::path::PathBuf,
}

fn bundle(extra: &[&str]) -> Run {
    run_command("bundle", extra, &[])
}

/// The planted inputs: a directory holding them, the command line for
/// `command` (with `extra` after it) and the environment to add.
fn command_inputs(
    command: &str,
    extra: &[&str],
) -> (tempfile::TempDir, Vec<String>, Vec<(String, String)>) {
    let ca = TestCa::new("pathprobe bundle CA");
    let origin = tls_origin(&ca, &["ok.lab.test"], 200);
    let stranger = TestCa::new("Stranger Root CA");
    let untrusted = tls_origin(&stranger, &["untrusted.lab.test"], 200);
    let proxy = echoing_proxy();
    let secrets = PAC_SCRIPT_SECRETS;
    let pac = format!(
        "// maintainer password: {}\nvar proxyPassword = \"{}\";\nvar cfg = {{\"apiKey\":\"{}\"}};\n// token = {}\nvar secret = '{}';\nvar bearer = \"eyJhbGciOiJIUzI1NiJ9.{}.c2lnbmF0dXJl\";\nfunction FindProxyForURL(url, host) {{ if (host == \"ok.lab.test\" || host == \"untrusted.lab.test\") return \"DIRECT\"; return \"PROXY proxy.corp.test:{proxy}\"; }}",
        secrets[0], secrets[1], secrets[2], secrets[3], secrets[4], secrets[5]
    );
    let pac_port = serve_http(Some("application/x-ns-proxy-autoconfig"), pac.into_bytes());
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let mdatp = dir.path().join("mdatp_managed.json");
    std::fs::write(
        &mdatp,
        format!(r#"{{"cloudService": {{"proxy": "http://mdeuser:{FILE_PASSWORD}@proxy.corp.test:3128/"}}}}"#),
    )
    .unwrap();
    let resolv = dir.path().join("resolv.conf");
    std::fs::write(&resolv, "nameserver 127.0.0.1\nsearch branch.corp.test\n").unwrap();
    let catalog = write_catalog(
        dir.path(),
        &[
            &format!("https://ok.lab.test:{origin}/"),
            &format!("https://blocked.lab.test/?sig={CATALOG_SIG}"),
            &format!("https://untrusted.lab.test:{untrusted}/"),
        ],
    );
    let zip = dir.path().join("ticket.zip");
    let pac_url = format!("http://127.0.0.1:{pac_port}/proxy.pac?token={PAC_TOKEN}&site=hq");
    let user = format!("alice:{PROXY_PASSWORD}");
    let env_proxy = format!("http://envuser:{ENV_PASSWORD}@proxy.corp.test:8080");
    let dns = dns_server().to_string();
    let mut args: Vec<&str> = vec![
        command,
        catalog.to_str().unwrap(),
        "--only-given",
        "--pac",
        &pac_url,
        "--proxy-user",
        &user,
        "--mdatp-config",
        mdatp.to_str().unwrap(),
        "--resolv-conf",
        resolv.to_str().unwrap(),
        "--dns-server",
        &dns,
        "--resolve",
        "ok.lab.test=127.0.0.1",
        "--resolve",
        "proxy.corp.test=127.0.0.1",
        "--resolve",
        "untrusted.lab.test=127.0.0.1",
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--phase-timeout",
        "3",
    ];
    if command == "bundle" {
        args.extend(["--output", zip.to_str().unwrap()]);
    }
    args.extend_from_slice(extra);
    let args = args.into_iter().map(str::to_owned).collect();
    (dir, args, vec![("HTTPS_PROXY".to_owned(), env_proxy)])
}

fn run_command(command: &str, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let (dir, args, base_env) = command_inputs(command, extra);
    let mut all_env: Vec<(&str, &str)> = base_env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all_env.extend_from_slice(env);
    let out = run_with_env(&args, &all_env);
    let zip = dir.path().join("ticket.zip");
    Run { dir, out, zip }
}

fn members(zip: &Path) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.push((f.name().unwrap().into_owned(), text));
    }
    out
}

fn forbidden() -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    vec![
        PROXY_PASSWORD.into(),
        PAC_TOKEN.into(),
        ENV_PASSWORD.into(),
        FILE_PASSWORD.into(),
        CATALOG_SIG.into(),
        CONFIG_PASSWORD.into(),
        ROW_PASSWORD.into(),
        PROXY_TOKEN.into(),
        b64(&format!("alice:{PROXY_PASSWORD}")),
        b64(&format!("envuser:{ENV_PASSWORD}")),
        b64(&format!("mdeuser:{FILE_PASSWORD}")),
    ]
    .into_iter()
    .chain(PAC_SCRIPT_SECRETS.iter().map(|s| (*s).to_owned()))
    .collect()
}

/// Runs a python3 `script` that reads the zip `from` (`sys.argv[1]`) and
/// writes `to` (`sys.argv[2]`).
fn rewrite_zip(script: &str, from: &std::path::Path, to: &std::path::Path) {
    let made = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args([from, to])
        .output()
        .expect("python3 runs");
    assert!(made.status.success(), "{}", stderr(&made));
}

/// `bundle inspect` of `zip` in a process that may not map more than 160 MB.
fn inspect_within_160_mb(zip: &std::path::Path) -> std::process::Output {
    std::process::Command::new("prlimit")
        .arg("--as=160000000")
        .arg("--")
        .arg(pathprobe_tests::binary())
        .args(["bundle", "inspect"])
        .arg(zip)
        .output()
        .expect("prlimit (util-linux) runs")
}

#[test]
fn no_secret_reaches_the_bundle_and_inspect_reads_it_back() {
    let run = bundle(&[]);
    assert_eq!(run.out.status.code(), Some(1), "{}", stderr(&run.out));
    assert!(
        stderr(&run.out).contains("bundle written to"),
        "{}",
        stderr(&run.out)
    );
    for secret in forbidden() {
        assert!(!stdout(&run.out).contains(&secret), "stdout holds {secret}");
        assert!(!stderr(&run.out).contains(&secret), "stderr holds {secret}");
    }
    if let Ok(keep) = std::env::var("PATHPROBE_KEEP_BUNDLE") {
        std::fs::copy(&run.zip, keep).unwrap();
    }
    let members = members(&run.zip);
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "manifest.json",
        "report.json",
        "report.html",
        "report.txt",
        "proxy/explanation.txt",
        "proxy/explanation.json",
        "pac/in-force.pac",
        "system/resolv.conf",
        "system/dns.txt",
        "system/environment.txt",
        "system/versions.txt",
        "log/debug.log",
        "certs/01-untrusted.lab.test.pem",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for (name, text) in &members {
        for secret in forbidden() {
            assert!(!text.contains(&secret), "{name} holds {secret}:\n{text}");
        }
    }
    let get = |n: &str| &members.iter().find(|(m, _)| m == n).unwrap().1;
    // The hostile proxy's echo reached the report, redacted.
    let report = get("report.json");
    assert!(report.contains("proxy_denied"), "{report}");
    assert!(report.contains("Denied for Basic REDACTED"), "{report}");
    // The run was really logged, and the PAC really copied.
    assert!(
        get("log/debug.log").contains("attempt"),
        "{}",
        get("log/debug.log")
    );
    assert!(get("pac/in-force.pac").contains("FindProxyForURL"));
    assert!(
        get("system/environment.txt").contains("HTTPS_PROXY=http://REDACTED@proxy.corp.test:8080")
    );
    // Without --redact-hosts, names stay for the support engineer to read.
    assert!(get("report.json").contains("proxy.corp.test"));

    // The support side: the table from the bundle alone, every sum checked.
    let out = run_with_env(["bundle", "inspect", run.zip.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("bundle made") && table.contains("proxy_denied"),
        "{table}"
    );
    assert!(table.contains("1 of 3 endpoints ok"), "{table}");
    let out = run_with_env(
        [
            "bundle",
            "inspect",
            run.zip.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"].as_array().unwrap().len(), 3);
    // The run's findings, the same from the bundle, `bundle inspect` and
    // `report render` of the saved report.
    let saved: serde_json::Value = serde_json::from_str(get("report.json")).unwrap();
    let findings = &saved["findings"];
    assert!(!findings.as_array().unwrap().is_empty(), "{saved:#}");
    assert_eq!(&v["findings"], findings);
    let copy = run.dir.path().join("saved-report.json");
    std::fs::write(&copy, get("report.json")).unwrap();
    let out = run_with_env(
        [
            "report",
            "render",
            copy.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    let rendered: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(&rendered["findings"], findings, "{}", stderr(&out));
    let pem = get("certs/01-untrusted.lab.test.pem");
    assert!(
        pem.contains("# issuer: CN=Stranger Root CA")
            && pem.contains("-----BEGIN CERTIFICATE-----"),
        "{pem}"
    );
    drop(run.dir);
}

#[test]
fn redact_hosts_removes_the_network_s_names() {
    let run = bundle(&["--redact-hosts"]);
    assert_eq!(run.out.status.code(), Some(1), "{}", stderr(&run.out));
    for (name, text) in members(&run.zip) {
        let lower = text.to_ascii_lowercase();
        assert!(
            !lower.contains("proxy.corp.test"),
            "{name} names the proxy:\n{text}"
        );
        assert!(
            !lower.contains("branch.corp.test"),
            "{name} names the search domain"
        );
        for secret in forbidden() {
            assert!(!text.contains(&secret), "{name} holds {secret}");
        }
    }
}

/// Round 19. Checking a member against the manifest reads it through once:
/// a 300 MiB member (listed so, changed in its last byte) is checked by a
/// process that may not map more than 160 MB (it peaked above 300 MB,
/// holding the member whole).
#[test]
fn inspect_checks_a_large_member_without_holding_it() {
    let run = bundle(&[]);
    let big = run.dir.path().join("big.zip");
    rewrite_zip(
        "import sys, zipfile, json, hashlib\n\
             mib = b'\\0' * (1024 * 1024)\n\
             h = hashlib.sha256()\n\
             for _ in range(300): h.update(mib)\n\
             src = zipfile.ZipFile(sys.argv[1])\n\
             out = zipfile.ZipFile(sys.argv[2], 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=1)\n\
             for n in src.namelist():\n\
             \x20   data = src.read(n)\n\
             \x20   if n == 'manifest.json':\n\
             \x20       m = json.loads(data)\n\
             \x20       m['members'].append({'name': 'capture.log', 'bytes': 300 * len(mib), 'sha256': h.hexdigest(), 'description': 'a capture'})\n\
             \x20       data = json.dumps(m).encode()\n\
             \x20   out.writestr(n, data)\n\
             with out.open('capture.log', 'w', force_zip64=True) as f:\n\
             \x20   for i in range(300): f.write(mib if i < 299 else mib[:-1] + b'\\1')\n\
             out.close()",
        &run.zip,
        &big,
    );
    let out = inspect_within_160_mb(&big);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("capture.log: its SHA-256 does not match the manifest"),
        "{}",
        stderr(&out)
    );
}

/// Round 21. The report itself is read no further than the manifest lists:
/// padded with 300 MiB of spaces, it was read whole, then said too big.
#[test]
fn inspect_reads_the_report_no_further_than_listed() {
    let run = bundle(&[]);
    let padded = run.dir.path().join("padded.zip");
    rewrite_zip(
        "import sys, zipfile\n\
             src = zipfile.ZipFile(sys.argv[1])\n\
             out = zipfile.ZipFile(sys.argv[2], 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=1)\n\
             for n in src.namelist():\n\
             \x20   if n != 'report.json': out.writestr(n, src.read(n))\n\
             with out.open('report.json', 'w', force_zip64=True) as f:\n\
             \x20   f.write(src.read('report.json'))\n\
             \x20   for _ in range(300): f.write(b' ' * (1024 * 1024))\n\
             out.close()",
        &run.zip,
        &padded,
    );
    let out = inspect_within_160_mb(&padded);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("report.json: unpacks to more than the"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn inspect_notices_tampering_and_rejects_non_bundles() {
    let run = bundle(&[]);
    // Rewrite the zip with report.txt changed.
    let tampered = run.dir.path().join("tampered.zip");
    {
        let members = members(&run.zip);
        let mut w = zip::ZipWriter::new(std::fs::File::create(&tampered).unwrap());
        for (name, text) in members {
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            let text = if name == "report.txt" {
                text.replace("endpoints ok", "endpoints fine")
            } else {
                text
            };
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    let out = run_with_env(["bundle", "inspect", tampered.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("report.txt: ")
            && stderr(&out).contains("(changed after the bundle was made)"),
        "{}",
        stderr(&out)
    );
    // A report that is not one: the error names the bundle and member once.
    let junk_report = run.dir.path().join("junk-report.zip");
    {
        let members = members(&run.zip);
        let mut w = zip::ZipWriter::new(std::fs::File::create(&junk_report).unwrap());
        for (name, text) in members {
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            let text = if name == "report.json" {
                "{\"a\": 1}".to_owned()
            } else {
                text
            };
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    let out = run_with_env(["bundle", "inspect", junk_report.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out)
            .matches("junk-report.zip: report.json:")
            .count(),
        1,
        "{}",
        stderr(&out)
    );
    // Round 22. The report itself changed at the same size, or given twice:
    // not shown at all (it was shown under a warning).
    let same_size = run.dir.path().join("same-size.zip");
    {
        let members = members(&run.zip);
        let mut w = zip::ZipWriter::new(std::fs::File::create(&same_size).unwrap());
        for (name, text) in members {
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            let text = if name == "report.json" {
                text.replace("https://", "httpz://")
            } else {
                text
            };
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    let two = run.dir.path().join("two-reports.zip");
    rewrite_zip(
        "import sys, zipfile, warnings\n\
             warnings.simplefilter('ignore')\n\
             src = zipfile.ZipFile(sys.argv[1])\n\
             out = zipfile.ZipFile(sys.argv[2], 'w')\n\
             for n in src.namelist(): out.writestr(n, src.read(n))\n\
             out.writestr('report.json', src.read('report.json').replace(b'https://', b'httpz://'))\n\
             out.close()",
        &run.zip,
        &two,
    );
    for (changed, said) in [
        (&same_size, "report.json: changed after the bundle was made"),
        (
            &two,
            "report.json: the zip holds two or more members under one name",
        ),
    ] {
        let out = run_with_env(["bundle", "inspect", changed.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(2), "{changed:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{changed:?}: {}", stdout(&out));
        assert!(stderr(&out).contains(said), "{changed:?}: {}", stderr(&out));
    }
    // A manifest listing a member twice and a name that climbs out, and a
    // zip of 20,000 members it does not list: every problem said, briefly.
    let crowded = run.dir.path().join("crowded.zip");
    {
        let members = members(&run.zip);
        let mut w = zip::ZipWriter::new(std::fs::File::create(&crowded).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        for (name, text) in members {
            let text = if name == "manifest.json" {
                let mut m: serde_json::Value = serde_json::from_str(&text).unwrap();
                let list = m["members"].as_array_mut().unwrap();
                let first = list[0].clone();
                list.push(first);
                list.push(serde_json::json!({"name": "../escape.txt", "bytes": 1, "sha256": "00", "description": "x"}));
                m.to_string()
            } else {
                text
            };
            w.start_file(name.as_str(), options).unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        w.start_file("../escape.txt", options).unwrap();
        w.write_all(b"x").unwrap();
        for i in 0..20_000 {
            w.start_file(format!("junk/{i}.txt"), options).unwrap();
        }
        w.finish().unwrap();
    }
    let out = run_with_env(["bundle", "inspect", crowded.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.len() < 10_000, "{} bytes", err.len());
    assert!(err.contains("listed twice in the manifest"), "{err}");
    assert!(err.contains("would unpack outside the folder"), "{err}");
    assert!(
        err.contains("20000 member(s) in the zip but not in the manifest")
            && err.contains("and 19990 more"),
        "{err}"
    );
    // A second member under a listed name, ahead of the good one: only one
    // copy is read, and `unzip -n` would take the other.
    let doubled = run.dir.path().join("doubled.zip");
    rewrite_zip(
        "import sys, zipfile\n\
             good = zipfile.ZipFile(sys.argv[1])\n\
             out = zipfile.ZipFile(sys.argv[2], 'w')\n\
             out.writestr('report.txt', 'TAMPERED: everything is fine')\n\
             for n in good.namelist():\n    out.writestr(n, good.read(n))\n\
             out.close()",
        &run.zip,
        &doubled,
    );
    let out = run_with_env(["bundle", "inspect", doubled.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("two or more members under one name"),
        "{}",
        stderr(&out)
    );
    let junk = run.dir.path().join("junk.zip");
    std::fs::write(&junk, "not a zip").unwrap();
    let out = run_with_env(["bundle", "inspect", junk.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("junk.zip: not a pathprobe bundle"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_secret_reaches_any_check_output_or_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let formats = [
        "table",
        "json",
        "csv",
        "junit",
        "markdown",
        "html",
        "lines",
        "prometheus",
    ];
    let specs: Vec<String> = formats
        .iter()
        .map(|f| format!("{f}={}", dir.path().join(format!("out.{f}")).display()))
        .collect();
    let mut extra = Vec::new();
    for s in &specs {
        extra.extend(["--output", s.as_str()]);
    }
    let run = run_command("check", &extra, &[("PATHPROBE_LOG", "debug")]);
    assert_eq!(run.out.status.code(), Some(1), "{}", stderr(&run.out));
    let log = stderr(&run.out);
    assert!(log.contains("attempt"), "the debug log ran: {log}");
    let mut texts = vec![
        ("stdout".to_owned(), stdout(&run.out)),
        ("log".to_owned(), log),
    ];
    for f in formats {
        let path = dir.path().join(format!("out.{f}"));
        texts.push((f.to_owned(), std::fs::read_to_string(&path).unwrap()));
    }
    for (name, text) in &texts {
        for secret in forbidden() {
            assert!(!text.contains(&secret), "{name} holds {secret}:\n{text}");
        }
    }
    // The echo itself is there, redacted: the evidence was not dropped.
    let json = &texts.iter().find(|(n, _)| n == "json").unwrap().1;
    assert!(json.contains("Denied for Basic REDACTED"), "{json}");
    assert_jenkins_junit(
        "no_secret_reaches_any_check_output_or_the_log",
        &[&dir.path().join("out.junit")],
    );
}

/// The same secrets through every format of `check` with the debug log on
/// stderr, and through the other commands' outputs, errors and warnings:
/// `config show`, `pac eval`, `pac lint`, `proxy explain`, `doctor`,
/// `urls export`, and an error about a `--proxy` value.
#[test]
fn no_secret_reaches_any_command_output_error_or_log() {
    let assert_clean = |what: &str, out: &std::process::Output| {
        for secret in forbidden() {
            assert!(
                !stdout(out).contains(&secret),
                "{what}: stdout holds {secret}:\n{}",
                stdout(out)
            );
            assert!(
                !stderr(out).contains(&secret),
                "{what}: stderr holds {secret}:\n{}",
                stderr(out)
            );
        }
    };
    for format in [
        "table",
        "json",
        "csv",
        "junit",
        "markdown",
        "html",
        "lines",
        "prometheus",
    ] {
        let run = run_command(
            "check",
            &["--format", format],
            &[("PATHPROBE_LOG", "debug")],
        );
        assert_eq!(
            run.out.status.code(),
            Some(1),
            "{format}: {}",
            stderr(&run.out)
        );
        // The log really ran, and the proxy's echo really reached it.
        assert!(stderr(&run.out).contains("DEBUG"), "{format}");
        assert_clean(&format!("check --format {format}"), &run.out);
        drop(run.dir);
    }

    // Round 19. A proxy value holding two URLs: the second one's password
    // too, wherever the value is quoted (explain, a --proxy error).
    let dns = pathprobe_tests::lab::dns_server().to_string();
    for separator in [",", ";"] {
        let two =
            format!("http://alice:x1@127.0.0.1:1{separator}http://bob:{ENV_PASSWORD}@127.0.0.1:2");
        let out = run_with_env(
            [
                "proxy",
                "explain",
                "--only-given",
                "--dns-server",
                &dns,
                "--format",
                "json",
            ],
            &[("http_proxy", two.as_str())],
        );
        assert_clean(&format!("proxy explain, URLs parted by {separator}"), &out);
        let out = run_with_env(["check", "--only-given", "--no-env", "--proxy", &two], &[]);
        assert_clean(&format!("check --proxy, URLs parted by {separator}"), &out);
    }

    let dir = tempfile::tempdir().unwrap();
    let scheme_less = format!("u:{CONFIG_PASSWORD}@127.0.0.1:3128");
    let out = run_with_env(
        [
            "config",
            "show",
            "--no-config",
            "--",
            "--proxy",
            &scheme_less,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("127.0.0.1:3128"), "{}", stdout(&out));
    assert_clean("config show --proxy", &out);
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("proxy = \"http://u:{CONFIG_PASSWORD}@127.0.0.1:99999\"\npush = \"http://p:{CONFIG_PASSWORD}@127.0.0.1:9091/\"\n"),
    )
    .unwrap();
    let out = run_with_env(
        ["config", "show", "--config", config.to_str().unwrap()],
        &[],
    );
    assert_clean("config show --config", &out);
    let out = run_with_env(
        [
            "check",
            "--config",
            config.to_str().unwrap(),
            "--only-given",
        ],
        &[],
    );
    assert_clean("check with that configuration", &out);

    // A PAC URL nobody answers: the HTTP client's error text names the URL.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let pac_url = format!("http://127.0.0.1:{port}/proxy.pac?token={PAC_TOKEN}&site=hq");
    for args in [
        vec![
            "pac",
            "eval",
            "-p",
            &pac_url,
            "--url",
            "https://example.com/",
        ],
        vec!["pac", "lint", &pac_url],
        vec![
            "proxy",
            "explain",
            "--only-given",
            "--pac",
            &pac_url,
            "https://example.com/",
        ],
    ] {
        let out = run_with_env(&args, &[]);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        assert!(!stderr(&out).is_empty() || !stdout(&out).is_empty());
        assert_clean(&format!("{args:?}"), &out);
    }
    let clock_url = format!("https://127.0.0.1:{port}/?token={PAC_TOKEN}");
    let out = run_with_env(["doctor", "--url", &clock_url], &[]);
    assert_clean("doctor --url", &out);

    // Catalog rows with credentials: `urls export` warns about them.
    let rows = dir.path().join("rows.txt");
    std::fs::write(
        &rows,
        format!(
            "https://rowuser:{ROW_PASSWORD}@example.com/\nhttps://example.org/?sig={CATALOG_SIG}\n"
        ),
    )
    .unwrap();
    for format in ["domains", "squid", "pac", "csv", "json", "text"] {
        let out = run_with_env(
            ["urls", "export", rows.to_str().unwrap(), "--as", format],
            &[],
        );
        assert_clean(&format!("urls export --as {format}"), &out);
    }
    let out = run_with_env(
        ["urls", "list", rows.to_str().unwrap(), "--format", "json"],
        &[],
    );
    assert_clean("urls list", &out);

    // A long URL whose token a table would wrap onto the next line, and a
    // token in a fragment, through every command that shows catalog URLs.
    let wrapped = dir.path().join("wrapped.txt");
    std::fs::write(
        &wrapped,
        format!(
            "https://127.0.0.1:9/{}?token={PAC_TOKEN}\nhttps://127.0.0.1:9/e#token={PROXY_TOKEN}\n",
            "q".repeat(150)
        ),
    )
    .unwrap();
    let pac = dir.path().join("direct.pac");
    std::fs::write(&pac, "function FindProxyForURL(u, h) { return 'DIRECT'; }").unwrap();
    let w = wrapped.to_str().unwrap();
    for args in [
        vec!["urls", "list", w],
        vec!["pac", "eval", "-p", pac.to_str().unwrap(), "--urls", w],
        vec!["proxy", "explain", "--only-given", "--direct", "--urls", w],
        vec![
            "check",
            w,
            "--only-given",
            "--direct",
            "--phase-timeout",
            "1",
        ],
    ] {
        let out = run_with_env(&args, &[("COLUMNS", "80")]);
        assert_clean(&format!("{args:?} (wrapped)"), &out);
    }
    // Malformed credentials, which match no pattern: clap quotes them.
    for args in [
        vec![
            "check".to_owned(),
            format!("--proxy-user=bob;{CONFIG_PASSWORD}"),
        ],
        vec![
            "check".to_owned(),
            format!("--proxy=http://pc:Port/{CONFIG_PASSWORD}@127.0.0.1:1"),
        ],
    ] {
        let out = run_with_env(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_clean(&format!("{args:?}"), &out);
    }

    // An error about the value of --proxy.
    let bad_proxy = format!("http://h:1/p?token={PROXY_TOKEN}");
    let out = run_with_env(["check", "--only-given", "--proxy", &bad_proxy], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_clean("check --proxy", &out);
}

/// The planted secrets through `check --output` files of every format, the
/// commands that read a saved report (`report render`, `report diff`,
/// `fix`), `urls diff`, and `serve` (its start-up lines, `/metrics`,
/// `/probe`, the feeds).
#[test]
fn no_secret_reaches_output_files_saved_reports_or_serve() {
    let assert_clean = |what: &str, text: &str| {
        for secret in forbidden() {
            assert!(!text.contains(&secret), "{what} holds {secret}:\n{text}");
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let formats = [
        "table",
        "json",
        "csv",
        "junit",
        "markdown",
        "html",
        "lines",
        "prometheus",
    ];
    let specs: Vec<String> = formats
        .iter()
        .map(|f| format!("{f}={}", dir.path().join(format!("r.{f}")).display()))
        .collect();
    let mut extra: Vec<&str> = Vec::new();
    for spec in &specs {
        extra.extend(["--output", spec.as_str()]);
    }
    let run = run_command("check", &extra, &[("PATHPROBE_LOG", "debug")]);
    assert_eq!(run.out.status.code(), Some(1), "{}", stderr(&run.out));
    assert_clean("check stdout", &stdout(&run.out));
    assert_clean("check stderr", &stderr(&run.out));
    for f in formats {
        let path = dir.path().join(format!("r.{f}"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.len() > 100, "{f}: {text}");
        assert_clean(&format!("--output {f}"), &text);
    }
    assert_jenkins_junit(
        "no_secret_reaches_output_files_saved_reports_or_serve",
        &[&dir.path().join("r.junit")],
    );

    // A saved report into which a secret was written by hand (a report from
    // an older version, say): every reader scrubs what it prints.
    let json = std::fs::read_to_string(dir.path().join("r.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["warnings"] = serde_json::json!([format!(
        "proxy http://alice:{PROXY_PASSWORD}@proxy.corp.test:3128/ and https://x.example/?token={PAC_TOKEN}"
    )]);
    v["results"][0]["hint"] =
        serde_json::json!(format!("see https://x.example/?sig={CATALOG_SIG}"));
    let planted = dir.path().join("planted.json");
    std::fs::write(&planted, v.to_string()).unwrap();
    let p = planted.to_str().unwrap();
    for args in [
        vec!["report", "render", p],
        vec!["report", "render", p, "--format", "html"],
        vec!["report", "render", p, "--format", "json"],
        vec!["report", "diff", p, p],
        vec!["fix", p],
    ] {
        let out = run_with_env(&args, &[]);
        assert_clean(&format!("{args:?} stdout"), &stdout(&out));
        assert_clean(&format!("{args:?} stderr"), &stderr(&out));
    }

    // Two catalogs with credentials in their rows, compared.
    let old = dir.path().join("old.txt");
    let new = dir.path().join("new.txt");
    std::fs::write(&old, format!("https://u:{ROW_PASSWORD}@a.example/\n")).unwrap();
    std::fs::write(&new, format!("https://b.example/?sig={CATALOG_SIG}\n")).unwrap();
    let out = run_with_env(
        ["urls", "diff", old.to_str().unwrap(), new.to_str().unwrap()],
        &[],
    );
    assert_clean("urls diff stdout", &stdout(&out));
    assert_clean("urls diff stderr", &stderr(&out));

    // serve, with the same planted inputs.
    let port = pathprobe_tests::peers::free_port();
    let listen = format!("127.0.0.1:{port}");
    let serve = run_command_spawned(&["--listen", &listen, "--interval", "1h"]);
    let mut child = serve.child;
    let mut metrics = String::new();
    for _ in 0..120 {
        if let Some((200, body)) = pathprobe_tests::peers::try_http_get(port, "/metrics")
            && body.contains("pathprobe_endpoint_success")
        {
            metrics = body;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    let mut pages = vec![("/metrics".to_owned(), metrics)];
    for path in [
        "/feeds/domains.txt",
        "/feeds/squid.acl",
        "/feeds/bypass.pac",
        "/feeds/endpoints.json",
    ] {
        pages.push((
            path.to_owned(),
            pathprobe_tests::peers::http_get(port, path).1,
        ));
    }
    let probe = format!("/probe?target=https%3A%2F%2Fblocked.lab.test%2F%3Fsig%3D{CATALOG_SIG}");
    pages.push((
        probe.clone(),
        pathprobe_tests::peers::http_get(port, &probe).1,
    ));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(
        pages[0].1.contains("pathprobe_endpoint_success"),
        "{}",
        pages[0].1
    );
    for (path, body) in &pages {
        assert_clean(&format!("serve {path}"), body);
    }
    assert_clean("serve stdout", &stdout(&out));
    assert_clean("serve stderr", &stderr(&out));
    drop(serve.dir);
}

/// [`run_command`] for `serve`, left running: the child and its directory.
struct Spawned {
    dir: tempfile::TempDir,
    child: std::process::Child,
}

fn run_command_spawned(extra: &[&str]) -> Spawned {
    let (dir, args, env) = command_inputs("serve", extra);
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("PATHPROBE_LOG", "debug"));
    let mut cmd = pathprobe_tests::command_with_env(&env);
    cmd.args(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    Spawned {
        dir,
        child: cmd.spawn().unwrap(),
    }
}

#[test]
fn secrets_of_the_configuration_and_settings_files_stay_out_of_the_log() {
    // A proxy echoing the Proxy-Authorization it gets: the configuration
    // file's proxy-user, or the user of a proxy in /etc/environment, came
    // back on the PATHPROBE_LOG stream (the report was clean). Catalog URLs
    // carry credentials under names the redactor did not know.
    const CONFIG_USER_PASSWORD: &str = "CfgLog@S3cret-9";
    const ETC_PASSWORD: &str = "EtcEnvS3cret-10";
    const QUERY_SECRETS: [&str; 5] = [
        "RefreshT0ken-11",
        "AmzS1gnature-12",
        "ClientS3cret-13",
        "SubKey-14abc",
        "PathKey-15abcdef",
    ];
    let proxy = echoing_proxy();
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(
        dir.path(),
        &[
            "https://a.lab.test/",
            &format!(
                "https://127.0.0.1:9/p?refresh_token={}&X-Amz-Signature={}",
                QUERY_SECRETS[0], QUERY_SECRETS[1]
            ),
            &format!(
                "https://127.0.0.1:9/q?client_secret={}&subscription-key={}",
                QUERY_SECRETS[2], QUERY_SECRETS[3]
            ),
            // A credential as the path segment after one named for it.
            &format!("https://127.0.0.1:9/api/key/{}", QUERY_SECRETS[4]),
        ],
    );
    let config = dir.path().join("pathprobe.toml");
    std::fs::write(
        &config,
        format!(
            "proxy = \"http://127.0.0.1:{proxy}\"\nproxy-user = \"carol:{CONFIG_USER_PASSWORD}\"\n"
        ),
    )
    .unwrap();
    let environment = dir.path().join("environment");
    std::fs::write(
        &environment,
        format!("https_proxy=\"http://eve:{ETC_PASSWORD}@127.0.0.1:{proxy}\"\n"),
    )
    .unwrap();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut secrets: Vec<String> = vec![
        CONFIG_USER_PASSWORD.into(),
        ETC_PASSWORD.into(),
        b64(&format!("carol:{CONFIG_USER_PASSWORD}")),
        b64(&format!("eve:{ETC_PASSWORD}")),
    ];
    secrets.extend(QUERY_SECRETS.iter().map(|s| (*s).to_owned()));
    let common = [
        "check",
        catalog.to_str().unwrap(),
        "--only-given",
        "--no-env",
        "--resolve",
        "a.lab.test=127.0.0.1",
        "--phase-timeout",
        "3",
    ];
    let runs = [
        (
            "the configuration file",
            vec!["--config", config.to_str().unwrap()],
        ),
        (
            "an /etc/environment file",
            vec!["--etc-environment", environment.to_str().unwrap()],
        ),
    ];
    for (what, flags) in runs {
        for format in ["json", "table"] {
            let mut args: Vec<&str> = common.to_vec();
            args.extend(flags.iter().copied());
            args.extend(["--format", format]);
            let out = run_with_env(&args, &[("PATHPROBE_LOG", "debug")]);
            assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
            let log = stderr(&out);
            // The proxy was asked, with the credentials, and echoed them.
            assert!(log.contains("Denied for"), "{what}: {log}");
            for secret in &secrets {
                assert!(!log.contains(secret), "{what}: the log holds {secret}");
                assert!(
                    !stdout(&out).contains(secret),
                    "{what}: stdout ({format}) holds {secret}"
                );
            }
        }
    }
}

/// Round 17. Bundles made one after the other under the default name
/// never replace each other (six in one second left one zip).
#[test]
fn default_bundle_names_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    // Prose only: nothing to probe, so the runs follow each other within
    // a second, as the six that left one zip did.
    let catalog = dir.path().join("prose.txt");
    std::fs::write(&catalog, "just some words\n").unwrap();
    for _ in 0..3 {
        let out = pathprobe_tests::command_with_env(&[("PATHPROBE_NO_CONTROL", "1")])
            .current_dir(dir.path())
            .args(["bundle", catalog.to_str().unwrap()])
            .args(["--only-given", "--no-env", "--no-config", "--direct"])
            .args(["--deadline", "3", "--dns-server", "127.0.0.1:9"])
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let zips = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".zip"))
        .count();
    assert_eq!(zips, 3);
}
