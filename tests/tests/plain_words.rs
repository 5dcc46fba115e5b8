//! Every text a person or a script reads is written for them: no Rust
//! `Debug` text (`DnsNotFound("x")`, `DnsName("*.a.test")`, `Some(..)`,
//! `Struct { field: .. }`, a bare enum variant such as `UnknownIssuer`) in
//! any verdict's evidence or hint, in any report format.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_tests::lab::{TestCa, TlsFlaw, flawed_tls_origin, silent_server};
use pathprobe_tests::{check_json, run, stderr, stdout, write_catalog};

/// `text` without PEM blocks (base64 is not words).
fn without_pem(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after
            .find("-----END")
            .and_then(|e| after[e + 8..].find("-----").map(|f| e + 8 + f + 5))
        {
            Some(end) => rest = &after[end..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Shapes of Rust `Debug` output that no sentence here has.
fn debug_text(text: &str) -> Vec<String> {
    let text = without_pem(text);
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        let next = chars.get(i).copied();
        let capitals = name.chars().filter(char::is_ascii_uppercase).count();
        let starts_upper = name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        let lower_then_upper = name
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
        let digits = name.chars().any(|c| c.is_ascii_digit());
        // `DnsNotFound(`, `UnknownIssuer`, `NotValidForName`: camel case,
        // which no English word and no verdict name (snake case) has.
        let camel = starts_upper
            && capitals >= 2
            && lower_then_upper
            && !digits
            && !name.contains('_')
            && name.len() < 40;
        let wrapped = matches!(name.as_str(), "Some" | "Ok" | "Err") && next == Some('(');
        if camel || wrapped {
            found.push(name);
        }
    }
    // `Name { field: value }`
    for (i, _) in text.match_indices(" { ") {
        let after = &text[i + 3..];
        if after.split_once(": ").is_some_and(|(field, _)| {
            !field.is_empty() && field.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        }) {
            let from = text.floor_char_boundary(i.saturating_sub(20));
            let to = text.ceil_char_boundary((i + 30).min(text.len()));
            found.push(text[from..to].to_owned());
        }
    }
    found
}

/// Proper names that are camel case by their owners' choice.
const NAMES: &[&str] = &[
    "FindProxyForURL",
    "FindProxyForURLEx",
    "DigiCert",
    "GeoTrust",
    "NetBIOS",
    "PowerShell",
    "WinHTTP",
    "WinINet",
    "TelemetryProxyServer",
    "DataCollection",
    "FortiGate",
    "ProxySG",
    "OpenDNS",
    "SonicWall",
    "WatchGuard",
    "McAfee",
    "JUnit",
    "JavaScript",
    "HTTPS",
    "NXDOMAIN",
    "SERVFAIL",
    "REFUSED",
];

fn assert_plain(what: &str, text: &str) {
    let found: Vec<String> = debug_text(text)
        .into_iter()
        .filter(|w| !NAMES.contains(&w.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "{what}: Rust debug text {found:?} in:\n{text}"
    );
}

#[test]
fn the_detector_finds_debug_text_and_passes_sentences() {
    assert!(!debug_text("DnsNotFound(\"x.cp.wd.microsoft.com\")").is_empty());
    assert!(!debug_text("it names DnsName(\"*.a.test\")").is_empty());
    assert!(!debug_text("invalid peer certificate: UnknownIssuer").is_empty());
    assert!(!debug_text("route Some(Direct)").is_empty());
    assert!(!debug_text("Found { kind: Env }").is_empty());
    assert!(debug_text("the proxy 127.0.0.1:3128 refused the connection (tcp_refused)").is_empty());
    assert!(debug_text("Microsoft Defender for Endpoint EU").is_empty());
    assert!(debug_text("these URLs over IPv4").is_empty());
}

#[test]
fn every_verdict_of_the_lab_is_told_in_words() {
    // The lab's scenarios give every verdict but the DNS-timeout family,
    // through the same code as `check`.
    let out = run(["lab", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut verdicts = std::collections::BTreeSet::new();
    for s in v["scenarios"].as_array().unwrap() {
        for e in s["endpoints"].as_array().unwrap() {
            verdicts.insert(e["got"].as_str().unwrap().to_owned());
            assert_plain(e["url"].as_str().unwrap(), &e.to_string());
        }
    }
    assert!(verdicts.len() >= 10, "{verdicts:?}");
    assert_plain("lab table", &stdout(&run(["lab"])));
}

#[test]
fn every_report_format_of_a_run_with_flawed_origins_is_told_in_words() {
    let ca = TestCa::new("pathprobe words CA");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let mut urls = Vec::new();
    let mut resolve = Vec::new();
    for (flaw, host) in [
        (TlsFlaw::Expired, "expired.lab.test"),
        (TlsFlaw::WrongHost, "wronghost.lab.test"),
        (TlsFlaw::SelfSigned, "selfsigned.lab.test"),
        (TlsFlaw::WrongKey, "wrongkey.lab.test"),
    ] {
        let port = flawed_tls_origin(&ca, &[host], flaw);
        urls.push(format!("https://{host}:{port}/"));
        resolve.push(format!("{host}=127.0.0.1"));
    }
    let silent = silent_server();
    urls.push(format!("https://silent.lab.test:{silent}/"));
    resolve.push("silent.lab.test=127.0.0.1".into());
    urls.push("https://127.0.0.1:9/refused".into());
    urls.push("https://missing.lab.test/".into());
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let catalog = write_catalog(dir.path(), &refs);
    let mut args = vec![
        catalog.to_str().unwrap().to_owned(),
        "--ca-cert".into(),
        ca_file.to_str().unwrap().to_owned(),
    ];
    for r in &resolve {
        args.push("--resolve".into());
        args.push(r.clone());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (report, out) = check_json(&refs, "2");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let routing = report["routing"].as_str().unwrap();
    assert!(
        routing.starts_with("system profile, Linux rules"),
        "{routing}"
    );
    let saved = dir.path().join("report.json");
    std::fs::write(&saved, &out.stdout).unwrap();
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
        let out = run([
            "report",
            "render",
            saved.to_str().unwrap(),
            "--format",
            format,
            "--verbose",
        ]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert_plain(format, &stdout(&out));
        if format == "junit" {
            let junit = dir.path().join("report.xml");
            std::fs::write(&junit, &out.stdout).unwrap();
            pathprobe_tests::peers::assert_jenkins_junit(
                "every_report_format_of_a_run_with_flawed_origins_is_told_in_words",
                &[&junit],
            );
        }
    }
}

/// Phrases of the libraries' own errors (serde, zip, jiff, reqwest), which
/// the person who edited a file cannot act on.
const LIBRARY_PHRASES: &[&str] = &[
    "invalid type:",
    "invalid value:",
    "unknown variant",
    "missing field `",
    "expected u32",
    "expected u16",
    "expected a sequence",
    "not found in archive",
    "invalid Zip archive",
    "Could not find EOCD",
    "compression method not supported",
    "overflowed",
    "Unix timestamp",
    "error decoding response body",
    "error reading a body",
    " at line ",
];

fn assert_no_library_words(what: &str, text: &str) {
    let found: Vec<&&str> = LIBRARY_PHRASES
        .iter()
        .filter(|p| text.contains(**p))
        .collect();
    assert!(
        found.is_empty(),
        "{what}: library wording {found:?} in:\n{text}"
    );
}

/// A zip of `members` (name, text).
fn zip_of(path: &std::path::Path, members: &[(&str, &str)]) {
    use std::io::Write as _;
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn readers_say_what_is_wrong_with_a_file_in_its_own_terms() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let bogus_verdict = at(
        "bogus.json",
        r#"{"schema_version": 2, "results": [{"verdict": "bogus"}]}"#,
    );
    let listed_version = at("listed.json", r#"{"schema_version": [2]}"#);
    let catalog = at(
        "catalog.json",
        r#"{"format": "pathprobe-catalog", "format_version": [1], "name": "x", "endpoints": []}"#,
    );
    let feed = at(
        "feed.json",
        r#"[{"id": 1, "urls": "a.example", "tcpPorts": "443"}]"#,
    );
    let scenario = at(
        "scenario.toml",
        "name = \"x\"\nabout = [\"y\"]\nroute = \"direct\"\n",
    );
    let no_manifest = dir.path().join("no-manifest.zip");
    zip_of(&no_manifest, &[("report.json", "{}")]);
    let listed_format = dir.path().join("listed-format.zip");
    zip_of(
        &listed_format,
        &[("manifest.json", r#"{"bundle_format": [1]}"#)],
    );
    let pac = at(
        "x.pac",
        "function FindProxyForURL(u, h) { return \"DIRECT\"; }",
    );
    // A member packed with bzip2 (method 12), which no bundle uses.
    let bzip2 = dir.path().join("bzip2.zip");
    {
        use std::io::Write as _;
        let mut w = zip::ZipWriter::new(std::fs::File::create(&bzip2).unwrap());
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file("manifest.json", stored).unwrap();
        w.write_all(b"{}").unwrap();
        w.finish().unwrap();
        let mut bytes = std::fs::read(&bzip2).unwrap();
        for (signature, offset) in [(b"PK\x03\x04", 8), (b"PK\x01\x02", 10)] {
            let at = bytes.windows(4).position(|w| w == signature).unwrap();
            bytes[at + offset] = 12;
            bytes[at + offset + 1] = 0;
        }
        std::fs::write(&bzip2, bytes).unwrap();
    }
    let empty_zip = at("empty.zip", "");
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "a report with an unknown verdict",
            vec!["report", "render", &bogus_verdict],
            "\"bogus\" is not one of",
        ),
        (
            "a report whose version is a list",
            vec!["report", "render", &listed_version],
            "a list where a whole number belongs",
        ),
        (
            "a catalog whose version is a list",
            vec!["urls", "list", &catalog],
            "a list where a whole number belongs",
        ),
        (
            "a feed whose URLs are no list",
            vec!["urls", "list", &feed],
            "line 1: invalid catalog JSON: not the Microsoft 365 endpoints feed (an array of endpoint sets): the text \"a.example\" where a list belongs (column 30)",
        ),
        (
            "a scenario whose text is a list",
            vec!["lab", "--scenario", &scenario],
            "a list where",
        ),
        (
            "a bundle without a manifest",
            vec!["bundle", "inspect", no_manifest.to_str().unwrap()],
            "manifest.json: not in the zip",
        ),
        (
            "a bundle whose format is a list",
            vec!["bundle", "inspect", listed_format.to_str().unwrap()],
            "a list where a whole number belongs",
        ),
        (
            "a bundle packed with bzip2",
            vec!["bundle", "inspect", bzip2.to_str().unwrap()],
            "a compression method this reader does not have",
        ),
        (
            "an empty bundle",
            vec!["bundle", "inspect", &empty_zip],
            "not a zip file, or a damaged one",
        ),
        (
            "a moment past the last one",
            vec![
                "pac",
                "eval",
                "--pac",
                &pac,
                "--url",
                "https://a.example/",
                "--at",
                "9999-12-31T23:59:59Z",
            ],
            "outside the moments a clock can be set to",
        ),
    ];
    for (what, args, said) in cases {
        let out = run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(said), "{what}: expected {said:?} in:\n{err}");
        assert_no_library_words(what, &err);
    }
}

#[test]
fn a_thread_count_that_cannot_be_used_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("https://127.0.0.1:{}/", pathprobe_tests::closed_port());
    let catalog = write_catalog(dir.path(), &[&url]);
    for given in ["0", "many", "999"] {
        let out = pathprobe_tests::run_with_env(
            [
                "check",
                catalog.to_str().unwrap(),
                "--only-given",
                "--no-env",
                "--no-config",
                "--format",
                "json",
            ],
            &[("PATHPROBE_THREADS", given)],
        );
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "PATHPROBE_THREADS=\"{given}\" is not a number from 1 to 256"
            )),
            "{given}: {err}"
        );
        // The run goes on with the default.
        assert_eq!(out.status.code(), Some(1), "{given}: {err}");
    }
}

#[test]
fn a_log_filter_that_cannot_be_read_is_said() {
    let out = pathprobe_tests::run_with_env(
        ["config", "show", "--no-config"],
        &[("PATHPROBE_LOG", "garbage[[[")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("PATHPROBE_LOG=\"garbage[[[\" is not a log filter"),
        "{}",
        stderr(&out)
    );
}
