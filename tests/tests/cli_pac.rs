//! `pathprobe pac eval` run as a user runs it: the built binary, PAC files in a
//! temporary directory or served from loopback, exit codes and messages.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::TcpListener;
use std::path::PathBuf;

use pathprobe_tests::json_of as json;
use pathprobe_tests::{run, stderr, stdout};

const CORP_PAC: &str = r#"// A corporate PAC in the style seen in the field.
function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example")) return "DIRECT";
  if (isInNet(dnsResolve(host), "10.0.0.0", "255.0.0.0")) return "DIRECT";
  if (shExpMatch(url, "*/private/*")) return "PROXY private.corp.example:8081";
  if (shExpMatch(host, "*.microsoft.com")) return "PROXY p1.corp.example:8080; PROXY p2.corp.example:8080";
  if (myIpAddress() == "10.50.0.1") return "SOCKS5 branch.corp.example:1080";
  if (weekdayRange("SAT", "SUN")) return "PROXY weekend.corp.example:3128";
  alert("default for " + host);
  return "PROXY proxy.corp.example:3128; DIRECT";
}
"#;

fn pac_file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `pathprobe pac eval -p PAC --no-dns ARGS…`: the script alone, no resolver.
fn eval(pac: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["pac", "eval", "-p", pac, "--no-dns"];
    all.extend_from_slice(args);
    run(all)
}

#[test]
fn pactester_flags_and_raw_output() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(&dir, "corp.pac", CORP_PAC);
    let p = pac.to_str().unwrap();
    let at = "2026-03-02T10:00:00+01:00"; // a Monday
    let raw = |extra: &[&str]| {
        let mut args = vec![
            "pac", "eval", "-p", p, "--no-dns", "--at", at, "--format", "raw",
        ];
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(raw(&["-u", "http://intranet/"]), "DIRECT\n");
    assert_eq!(
        raw(&["-u", "https://winatp-gw-weu.microsoft.com/"]),
        "PROXY p1.corp.example:8080; PROXY p2.corp.example:8080\n"
    );
    // -h overrides the host the script sees.
    assert_eq!(
        raw(&["-u", "https://example.org/", "-h", "intranet"]),
        "DIRECT\n"
    );
    // -c sets myIpAddress().
    assert_eq!(
        raw(&["-u", "https://example.org/", "-c", "10.50.0.1"]),
        "SOCKS5 branch.corp.example:1080\n"
    );
    // --dns gives the script a fixed answer.
    assert_eq!(
        raw(&[
            "-u",
            "https://app.example.org/",
            "--dns",
            "app.example.org=10.7.7.7"
        ]),
        "DIRECT\n"
    );
    // pactester's -e is accepted.
    assert_eq!(raw(&["-e", "-u", "http://intranet/"]), "DIRECT\n");
}

#[test]
fn https_paths_are_hidden_from_the_script_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(&dir, "corp.pac", CORP_PAC);
    let p = pac.to_str().unwrap();
    let url = "https://example.org/private/report";
    let stripped = eval(
        p,
        &["-u", url, "--format", "raw", "--at", "2026-03-02T10:00:00Z"],
    );
    assert_eq!(stdout(&stripped), "PROXY proxy.corp.example:3128; DIRECT\n");
    let full = eval(p, &["-u", url, "--format", "raw", "--full-url"]);
    assert_eq!(stdout(&full), "PROXY private.corp.example:8081\n");
}

#[test]
fn the_clock_can_be_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(&dir, "corp.pac", CORP_PAC);
    let out = eval(
        pac.to_str().unwrap(),
        &[
            "-u",
            "https://example.org/",
            "--format",
            "raw",
            "--at",
            "2026-03-07T10:00:00+01:00",
        ],
    );
    assert_eq!(stdout(&out), "PROXY weekend.corp.example:3128\n");
}

#[test]
fn table_and_json_show_routes_lookups_and_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(&dir, "corp.pac", CORP_PAC);
    let p = pac.to_str().unwrap();
    let out = eval(
        p,
        &[
            "-u",
            "https://example.org/a?token=secret",
            "--at",
            "2026-03-02T10:00:00Z",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["script"]["entry_point"], "FindProxyForURL");
    let r = &v["results"][0];
    assert_eq!(r["url"], "https://example.org/");
    assert_eq!(r["routes"][0]["type"], "proxy");
    assert_eq!(r["routes"][0]["host"], "proxy.corp.example");
    assert_eq!(r["routes"][1]["type"], "direct");
    assert_eq!(r["lookups"][0]["host"], "example.org");
    assert_eq!(r["alerts"][0], "default for example.org");
    assert_eq!(v["settings"]["at"], "2026-03-02T10:00:00Z");

    let table = eval(
        p,
        &["-u", "https://example.org/", "--at", "2026-03-02T10:00:00Z"],
    );
    let text = stdout(&table);
    assert!(text.contains("PROXY proxy.corp.example:3128"), "{text}");
    assert!(text.contains("alert: default for example.org"), "{text}");
    assert!(text.contains("1 of 1 URLs answered"), "{text}");
}

#[test]
fn url_files_and_catalogs() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(&dir, "corp.pac", CORP_PAC);
    let list = pac_file(
        &dir,
        "urls.txt",
        "# comment\nhttp://intranet/\n\nhttps://x.corp.example/\n",
    );
    let out = eval(
        pac.to_str().unwrap(),
        &["-f", list.to_str().unwrap(), "--format", "raw"],
    );
    assert_eq!(stdout(&out), "DIRECT\nDIRECT\n");

    // The embedded catalog: every probe URL gets an answer; wildcards are
    // evaluated with an example name under them.
    let out = eval(
        pac.to_str().unwrap(),
        &["--urls", "--geo", "EU", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let results = v["results"].as_array().unwrap();
    assert!(results.len() > 50, "{}", results.len());
    let blob = results
        .iter()
        .find(|r| r["input"] == "https://example.blob.core.windows.net/")
        .expect("wildcard evaluated");
    assert!(blob["label"].as_str().unwrap().contains("example name"));
    assert!(
        results
            .iter()
            .any(|r| r["input"].as_str().unwrap().contains("microsoft.com")
                && r["raw"] == "PROXY p1.corp.example:8080; PROXY p2.corp.example:8080")
    );
}

#[test]
fn bad_scripts_exit_2_with_the_location() {
    let dir = tempfile::tempdir().unwrap();
    let typo = pac_file(
        &dir,
        "typo.pac",
        "function FindProxyForURL(url, host) {\n  return 'DIRECT'\n  if (\n}\n",
    );
    let out = eval(typo.to_str().unwrap(), &["-u", "http://x/"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("typo.pac") && err.contains("line 4"), "{err}");

    let none = pac_file(&dir, "none.pac", "var proxy = 'DIRECT';");
    let out = eval(none.to_str().unwrap(), &["-u", "http://x/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no FindProxyForURL"),
        "{}",
        stderr(&out)
    );

    let out = run([
        "pac",
        "eval",
        "-p",
        dir.path().join("missing.pac").to_str().unwrap(),
        "-u",
        "http://x/",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.pac"), "{}", stderr(&out));

    let out = run(["pac", "eval", "-p", typo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing to evaluate"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_url_the_script_fails_on_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(
        &dir,
        "partial.pac",
        "function FindProxyForURL(url, host) { if (host == 'bad') return nothing(); if (host == 'spin') for (;;) {} return 'DIRECT'; }",
    );
    let out = eval(
        pac.to_str().unwrap(),
        &[
            "-u",
            "http://good/",
            "-u",
            "http://bad/",
            "-u",
            "http://spin/",
            "-u",
            "http://good2/",
            "--timeout",
            "0.5",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["results"][0]["raw"], "DIRECT");
    assert!(
        v["results"][1]["error"]
            .as_str()
            .unwrap()
            .contains("ReferenceError")
    );
    assert!(
        v["results"][2]["error"]
            .as_str()
            .unwrap()
            .contains("did not finish")
    );
    assert_eq!(
        v["results"][3]["raw"], "DIRECT",
        "the engine recovers after a timeout"
    );
}

#[test]
fn pac_urls_are_fetched_and_secrets_in_them_are_not_shown() {
    let port = pathprobe_tests::serve_http(
        Some("text/plain"),
        "function FindProxyForURL(u, h) { return 'PROXY served.corp:8080'; }".into(),
    );
    let url = format!("http://127.0.0.1:{port}/proxy.pac?auth=s3cr3t-token");
    let out = eval(&url, &["-u", "http://x/"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("PROXY served.corp:8080"), "{all}");
    assert!(all.contains("auth=REDACTED"), "{all}");
    assert!(
        all.contains("text/plain"),
        "the content type is reported: {all}"
    );
    assert!(!all.contains("s3cr3t-token"), "{all}");
}

/// Round 18. The PAC's server is found through the run's own DNS: the
/// names pinned (`--dns` for `pac eval`, `--resolve` for `check`) and the
/// `--dns-server` given, never the system's resolver, which would leak the
/// name and answer for another network.
#[test]
fn a_pac_url_is_resolved_as_the_run_resolves() {
    let port = pathprobe_tests::serve_http(
        Some("application/x-ns-proxy-autoconfig"),
        "function FindProxyForURL(u, h) { return 'PROXY pinned.corp:8080'; }".into(),
    );
    let url = format!("http://pacsrv.pathprobe-pinned.test:{port}/proxy.pac");
    let out = eval(
        &url,
        &[
            "-u",
            "http://x/",
            "--dns",
            "pacsrv.pathprobe-pinned.test=127.0.0.1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("PROXY pinned.corp:8080"),
        "{}",
        stdout(&out)
    );
    // Not pinned, and the run's resolver does not know it: said so.
    let dns = pathprobe_tests::lab::dns_server().to_string();
    let out = run([
        "pac",
        "eval",
        "-p",
        &url,
        "-u",
        "http://x/",
        "--dns-server",
        &dns,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot resolve the server's name"),
        "{}",
        stderr(&out)
    );
    // check: the PAC's server through --resolve.
    let dir = tempfile::tempdir().unwrap();
    let cat = pathprobe_tests::write_catalog(dir.path(), &["https://x.lab.test/"]);
    let (v, out) = pathprobe_tests::check_json(
        &[
            cat.to_str().unwrap(),
            "--pac",
            &url,
            "--resolve",
            "pacsrv.pathprobe-pinned.test=127.0.0.1",
            "--no-control",
            "--deadline",
            "5",
        ],
        "1",
    );
    assert!(
        v["results"][0]["attempts"][0]["route"]["host"] == "pinned.corp",
        "{}\n{v:#}",
        stderr(&out)
    );
}

/// Round 18. A `-u` that is no URL is bad input named on the command line;
/// a `-f` line that is none (a NUL inside, no scheme) is listed as skipped,
/// never handed to the script.
#[test]
fn urls_to_evaluate_are_urls() {
    let dir = tempfile::tempdir().unwrap();
    let pac = dir.path().join("d.pac");
    std::fs::write(&pac, "function FindProxyForURL(u, h) { return 'DIRECT'; }").unwrap();
    let out = eval(pac.to_str().unwrap(), &["-u", "not a url"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--url \"not a url\": not a whole URL"),
        "{}",
        stderr(&out)
    );
    let list = dir.path().join("urls.txt");
    std::fs::write(
        &list,
        "http://a.test/\0http://b.test/\nhttp://c.test/\nnope\n",
    )
    .unwrap();
    let out = eval(
        pac.to_str().unwrap(),
        &["-f", list.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{v:#}");
    assert!(
        results[0].to_string().contains("U+0000, which no URL does"),
        "{v:#}"
    );
    assert_eq!(results[1]["raw"], "DIRECT", "{v:#}");
    assert!(results[2].to_string().contains("not a whole URL"), "{v:#}");
    // A NUL in the script is named where it is, by lint and eval alike
    // (boa said "abrupt end" at line 1).
    let nul = dir.path().join("nul.pac");
    std::fs::write(
        &nul,
        "function FindProxyForURL(u, h) {\n  return 'DIRECT';\0 }\n",
    )
    .unwrap();
    let out = run(["pac", "lint", nul.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("a NUL character (U+0000)"),
        "{}",
        stdout(&out)
    );
    let out = eval(nul.to_str().unwrap(), &["-u", "http://x/"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 2, column 19: a NUL character"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unreachable_pac_url_is_a_finding() {
    // Bind then drop: the port is closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run([
        "pac",
        "eval",
        "-p",
        &format!("http://127.0.0.1:{port}/wpad.dat"),
        "-u",
        "http://x/",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot fetch the PAC script"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lint_reports_findings_with_lines_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let careless = pac_file(
        &dir,
        "careless.pac",
        "function FindProxyForURL(url, host) {\n  if (isInNet(host, '10.0.0.0', '255.0.0.0')) return 'DIRECT';\n  if (dnsDomainIs(host, 'example.com')) return 'PROXY p:1';\n}\n",
    );
    let out = run([
        "pac",
        "lint",
        careless.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[0], "missing-return");
    for code in ["hidden-dns", "dns-before-name-checks", "domain-without-dot"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }

    let clean = pac_file(
        &dir,
        "clean.pac",
        "function FindProxyForURL(url, host) {\n  if (dnsDomainIs(host, '.corp.example')) return 'DIRECT';\n  return 'PROXY p.corp.example:3128; DIRECT';\n}\n",
    );
    let out = run(["pac", "lint", clean.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("no problems found"),
        "{}",
        stdout(&out)
    );

    let out = run([
        "pac",
        "lint",
        dir.path().join("absent.pac").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// pacparser's own test scripts return strings that are not route lists;
/// pactester prints them as they are and succeeds, and so does raw output.
#[test]
fn raw_prints_whatever_the_script_returned_like_pactester() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(
        &dir,
        "strings.pac",
        r#"function FindProxyForURL(url, host) {
  if (host == "end.example") return "END-OF-SCRIPT";
  if (host == "secure.example") return "secureUrl";
  if (host == "net.example") return "10.10.0.0";
  return "DIRECT";
}
"#,
    );
    let p = pac.to_str().unwrap();
    let eval = |format: &str| {
        eval(
            p,
            &[
                "--format",
                format,
                "-u",
                "http://end.example/",
                "-u",
                "http://secure.example/",
                "-u",
                "http://net.example/",
                "-u",
                "http://other.example/",
            ],
        )
    };
    let out = eval("raw");
    assert_eq!(
        stdout(&out),
        "END-OF-SCRIPT\nsecureUrl\n10.10.0.0\nDIRECT\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    for returned in ["END-OF-SCRIPT", "secureUrl", "10.10.0.0"] {
        assert!(
            err.lines()
                .any(|l| l.contains(returned) && l.contains("not a usable route")),
            "{err}"
        );
    }
    // The table shows what was returned beside the note, and fails.
    let out = eval("table");
    let text = stdout(&out);
    assert!(text.contains("END-OF-SCRIPT"), "{text}");
    assert!(text.contains("not a usable route"), "{text}");
    assert_eq!(out.status.code(), Some(1));
    let out = eval("json");
    let v = json(&out);
    assert_eq!(v["results"][1]["raw"], "secureUrl");
    assert!(
        v["results"][1]["error"]
            .as_str()
            .unwrap()
            .contains("not a usable route")
    );
}

/// Scripts that nest: boa recurses once per level, and 400 parentheses
/// once aborted the whole process (exit 134). Each way to nest, at a size
/// real scripts reach and far past it: evaluated, or refused naming the line
/// (exit 2), in `pac lint`, `pac eval` and `check`; never a crash.
#[test]
fn deep_nesting_is_evaluated_or_refused_naming_the_line_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = pathprobe_tests::write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let deep = |expr: String| {
        format!(
            "function FindProxyForURL(url, host) {{\n  function f() {{ return f; }}\n  var y;\n  var x = {expr};\n  return \"DIRECT\";\n}}\n"
        )
    };
    let cases: Vec<(&str, String, bool)> = vec![
        (
            "400 parentheses",
            format!("{}1{}", "(".repeat(400), ")".repeat(400)),
            false,
        ),
        (
            "500 arrays",
            format!("{}{}", "[".repeat(500), "]".repeat(500)),
            false,
        ),
        (
            "1,000-way ||",
            format!("false{}", " || dnsDomainIs(host, \".a\")".repeat(1000)),
            false,
        ),
        (
            "5,000 parentheses",
            format!("{}1{}", "(".repeat(5000), ")".repeat(5000)),
            true,
        ),
        (
            "5,000 objects",
            format!("{}1{}", "{a:".repeat(5000), "}".repeat(5000)),
            true,
        ),
        (
            "100,000 negations",
            format!("{}true", "!".repeat(100_000)),
            true,
        ),
        (
            "100,000 additions",
            format!("1{}", "+1".repeat(100_000)),
            true,
        ),
        (
            "50,000 conditionals",
            format!("{}2", "host?1:".repeat(50_000)),
            true,
        ),
        ("50,000 calls", format!("f{}", "()".repeat(50_000)), true),
        (
            "50,000 assignments",
            format!("{}2", "y=".repeat(50_000)),
            true,
        ),
        (
            "20,000 templates",
            format!("`{}{}`", "${`".repeat(20_000), "`}".repeat(20_000)),
            true,
        ),
        // From a hostile round: forms a first depth estimate missed.
        (
            "200,000 commas",
            format!("(1{})", ",1".repeat(200_000)),
            true,
        ),
        (
            "200,000 tagged templates",
            format!("f{}", "`x`".repeat(200_000)),
            true,
        ),
        (
            "50,000 do-whiles",
            format!(
                "1;\n  {}y;{}",
                "do ".repeat(50_000),
                " while (0);".repeat(50_000)
            ),
            true,
        ),
        (
            "50,000 class heritages",
            format!(
                "{}Object{}",
                "class extends ".repeat(50_000),
                " {}".repeat(50_000)
            ),
            true,
        ),
        (
            "20,000 else-ifs",
            format!(
                "1;\n  if (host) y = 1; {}",
                "else if (host) y = 1; ".repeat(20_000)
            ),
            true,
        ),
    ];
    for (what, expr, too_deep) in cases {
        let pac = pac_file(&dir, "deep.pac", &deep(expr));
        let p = pac.to_str().unwrap();
        let runs = [
            run(["pac", "lint", p]),
            run(["pac", "eval", "-p", p, "--url", "http://a.example/"]),
            run([
                "check",
                catalog.to_str().unwrap(),
                "--only-given",
                "--no-env",
                "--pac",
                p,
                "--deadline",
                "20",
            ]),
        ];
        for (command, out) in ["pac lint", "pac eval", "check"].iter().zip(&runs) {
            let text = format!("{}{}", stdout(out), stderr(out));
            let code = out.status.code();
            assert!(
                code.is_some_and(|c| c <= 3),
                "{what}: {command} crashed ({:?}): {text}",
                out.status
            );
            assert!(!text.contains("worker"), "{what}: {command}: {text}");
            if too_deep {
                assert_eq!(code, Some(2), "{what}: {command}: {text}");
                assert!(
                    text.contains("nests too deeply"),
                    "{what}: {command}: {text}"
                );
                // The expression is on line 4, or at 5 for the else chain.
                assert!(
                    text.contains("line 4")
                        || text.contains("line 5")
                        || text.contains(" 4:")
                        || text.contains(" 5:"),
                    "{what}: {command}: {text}"
                );
            } else {
                assert!(
                    !text.contains("nests too deeply"),
                    "{what}: {command}: {text}"
                );
                assert!(matches!(code, Some(0 | 1)), "{what}: {command}: {text}");
            }
        }
    }
}

/// A script asking for thousands of names: the first 100 lookups are shown,
/// the rest counted (a 100,000-lookup script once printed a 38 MB table).
#[test]
fn a_flood_of_lookups_is_counted_not_listed() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(
        &dir,
        "many.pac",
        "function FindProxyForURL(url, host) {\n  for (var i = 0; i < 5000; i++) { dnsResolve(\"h\" + i + \".invalid\"); }\n  return \"DIRECT\";\n}\n",
    );
    let p = pac.to_str().unwrap();
    let table = eval(p, &["--timeout", "60", "--url", "http://a.example/"]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    assert!(
        stdout(&table).contains("4900 more DNS lookups, not shown"),
        "{}",
        stdout(&table)
    );
    assert!(
        stdout(&table).len() < 50_000,
        "{} bytes",
        stdout(&table).len()
    );
    let out = eval(
        p,
        &[
            "--timeout",
            "60",
            "--format",
            "json",
            "--url",
            "http://a.example/",
        ],
    );
    let v = json(&out);
    let result = &v["results"][0];
    assert_eq!(result["lookups"].as_array().unwrap().len(), 100);
    assert_eq!(result["more_lookups"], 4900);
}

/// A script the depth estimate lets through but that takes the parser long
/// (60,000 declarations), or nests in a way it does not know (200,000
/// unbraced ifs): `pac lint` parses in a worker first, so it ends in time,
/// exit 2 at worst, never a crash.
#[test]
fn lint_survives_what_the_depth_estimate_misses() {
    let dir = tempfile::tempdir().unwrap();
    let declarations: String = (0..60_000).map(|i| format!("var v{i} = 1;\n")).collect();
    let unbraced = format!(
        "function FindProxyForURL(url, host) {{\n  {}return 'DIRECT';\n}}\n",
        "if (host) ".repeat(200_000)
    );
    for (what, text) in [("declarations", declarations), ("unbraced ifs", unbraced)] {
        let pac = pac_file(&dir, "big.pac", &text);
        let started = std::time::Instant::now();
        let out = run(["pac", "lint", pac.to_str().unwrap()]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(45),
            "{what}: {:?}",
            started.elapsed()
        );
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "{what}: {:?} {}",
            out.status,
            stderr(&out)
        );
        if code == Some(2) {
            let text = format!("{}{}", stdout(&out), stderr(&out));
            assert!(text.contains("big.pac"), "{what}: {text}");
        }
    }
}

#[test]
fn a_script_that_runs_out_of_time_three_urls_in_a_row_is_not_run_again() {
    // `pac eval` of 12 URLs with a looping script took 12 limits (the whole
    // embedded catalog: 24 minutes); `proxy explain` 5 s per URL.
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(
        &dir,
        "loop.pac",
        "function FindProxyForURL(u, h) { while (true) {} }\n",
    );
    let urls: String = (0..12)
        .map(|i| format!("https://h{i}.example.test/\n"))
        .collect();
    let list = dir.path().join("urls.txt");
    std::fs::write(&list, urls).unwrap();
    let limit = std::time::Duration::from_secs(60);
    let started = std::time::Instant::now();
    let out = pathprobe_tests::run_within(
        [
            "pac",
            "eval",
            "-p",
            pac.to_str().unwrap(),
            "-f",
            list.to_str().unwrap(),
            "--timeout",
            "1",
            "--format",
            "json",
        ],
        limit,
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let errors: Vec<String> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(errors.len(), 12);
    // Stopped by the time limit, or by the loop limit on a fast machine.
    assert!(
        errors[..3]
            .iter()
            .all(|e| e.contains("did not finish") || e.contains("was stopped")),
        "{errors:?}"
    );
    assert!(
        errors[3..].iter().all(|e| e.contains("not evaluated")),
        "{errors:?}"
    );
    // Three limits and the start-up, not twelve (each up to 3 s when the
    // worker has to be stopped: 36 s before).
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");

    let out = pathprobe_tests::run_within(
        [
            "proxy",
            "explain",
            "--only-given",
            "--no-env",
            "--pac",
            pac.to_str().unwrap(),
            "https://a.example.test/",
            "https://b.example.test/",
            "https://c.example.test/",
            "https://d.example.test/",
            "https://e.example.test/",
            "https://f.example.test/",
        ],
        limit,
    );
    assert!(
        stdout(&out).contains("not evaluated"),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
}

/// Round 17. A PAC URL redirecting to `file:` or `ftp:`, or in a loop:
/// said in words, as for catalogs (it was "the server answered HTTP 302",
/// or the HTTP client's "builder error").
#[test]
fn pac_redirects_are_said_in_words() {
    let port = pathprobe_tests::answering_by(|head| {
        let path = head.split_whitespace().nth(1).unwrap_or("/");
        let to = if path.starts_with("/file") {
            "file:///etc/proxy.pac".to_owned()
        } else if path.starts_with("/ftp") {
            "ftp://127.0.0.1/proxy.pac".to_owned()
        } else {
            format!("/loop{path}")
        };
        format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\n\r\n").into_bytes()
    });
    for (path, words) in [
        ("/file", "a redirect to file:, which is not followed"),
        ("/ftp", "a redirect to ftp:, which is not followed"),
        ("/loop", "more than 5 redirects"),
    ] {
        let out = eval(
            &format!("http://127.0.0.1:{port}{path}"),
            &["-u", "https://a.example.test/"],
        );
        assert!(stderr(&out).contains(words), "{path}: {}", stderr(&out));
    }
}

/// Round 19. What a script alerted before it threw or ran out of time is
/// its author's trace: kept with the failure, in JSON and in the table
/// (it was lost).
#[test]
fn alerts_before_a_failure_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let throws = pac_file(
        &dir,
        "throws.pac",
        "function FindProxyForURL(url, host) {\n  alert('checking ' + host);\n  alert('about to fail');\n  throw new Error('no rule for ' + host);\n}\n",
    );
    let loops = pac_file(
        &dir,
        "loops.pac",
        "function FindProxyForURL(url, host) {\n  alert('entering the loop for ' + host);\n  while (true) {}\n}\n",
    );
    for (pac, alerts, error) in [
        (
            &throws,
            vec!["checking example.org", "about to fail"],
            "no rule for example.org",
        ),
        (
            &loops,
            vec!["entering the loop for example.org"],
            "FindProxyForURL for",
        ),
    ] {
        let p = pac.to_str().unwrap();
        let out = eval(
            p,
            &[
                "-u",
                "https://example.org/",
                "--timeout",
                "1",
                "--format",
                "json",
            ],
        );
        let v = json(&out);
        let r = &v["results"][0];
        assert_eq!(r["alerts"], serde_json::json!(alerts), "{r:#}");
        assert!(r["error"].as_str().unwrap().contains(error), "{r:#}");
        let out = eval(p, &["-u", "https://example.org/", "--timeout", "1"]);
        let text = stdout(&out);
        for a in &alerts {
            assert!(text.contains(&format!("alert: {a}")), "{text}");
        }
    }
}

/// Round 20. The parser's and the engine's own words are said in a
/// reader's, at the place they are about: an unclosed brace at the end
/// of the text (it was "line 1, column 1: abrupt end (native)"), a string
/// at its opening quote, and a recursion's stack once with its count
/// (fifty identical lines), without the engine's own frames.
#[test]
fn script_errors_are_said_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let said = |name: &str, text: &str| {
        let pac = pac_file(&dir, name, text);
        let out = eval(
            pac.to_str().unwrap(),
            &["-u", "https://a.test/", "--format", "json"],
        );
        format!("{}{}", stdout(&out), stderr(&out))
    };
    let open = said(
        "open.pac",
        "function FindProxyForURL(u, h) {\n  return \"DIRECT\";\n",
    );
    assert!(
        open.contains(
            "line 2, column 19: the script ends before a bracket, brace or string closes"
        ) && !open.contains("(native)"),
        "{open}"
    );
    let string = said(
        "string.pac",
        "function FindProxyForURL(u, h) { return \"DIRECT; }\n",
    );
    assert!(
        string.contains("line 1, column 41: a string opens here and does not close on its line"),
        "{string}"
    );
    let deep = said(
        "deep.pac",
        "function f() { return f(); }\nfunction FindProxyForURL(u, h) { return f(); }\n",
    );
    assert!(
        deep.contains("more times)") && !deep.contains("unknown at"),
        "{deep}"
    );
    assert!(deep.matches("at f (").count() == 1, "{deep}");
}

/// Round 21. A PAC URL with a user name and password is no redirect when
/// the client sends them as a header ("redirected to" the same URL was
/// said); and the password is shown nowhere.
#[test]
fn credentials_in_a_pac_url_are_no_redirect() {
    let port = pathprobe_tests::serve_http(
        Some("application/x-ns-proxy-autoconfig"),
        b"function FindProxyForURL(u, h) { return \"DIRECT\"; }".to_vec(),
    );
    let url = format!("http://pacuser:PacUrlPw-21@127.0.0.1:{port}/corp.pac");
    let out = run([
        "pac",
        "eval",
        "-p",
        &url,
        "-u",
        "https://a.test/",
        "--no-dns",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert!(
        !v["script"]["warnings"].to_string().contains("redirected"),
        "{v:#}"
    );
    assert!(!format!("{}{}", stdout(&out), stderr(&out)).contains("PacUrlPw-21"));
}

/// Round 21. Alerts past the thousand kept are counted and said (they were
/// dropped without a word).
#[test]
fn alerts_past_those_kept_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let pac = pac_file(
        &dir,
        "chatty.pac",
        "function FindProxyForURL(u, h) { for (var i = 0; i < 1500; i++) alert('n' + i); return \"DIRECT\"; }\n",
    );
    let p = pac.to_str().unwrap();
    let v = json(&eval(p, &["-u", "https://a.test/", "--format", "json"]));
    let r = &v["results"][0];
    assert_eq!(
        r["alerts"].as_array().unwrap().len(),
        1000,
        "{}",
        r["more_alerts"]
    );
    assert_eq!(r["more_alerts"], 500);
    let text = stdout(&eval(p, &["-u", "https://a.test/"]));
    assert!(
        text.contains("… and 500 more alerts, not kept"),
        "{}",
        &text[text.len().saturating_sub(400)..]
    );
}
