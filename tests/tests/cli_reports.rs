//! Report files end to end: `check --output` in every format from one run
//! against loopback origins, each read back by an independent reader (the
//! JSON Schema validator `jsonschema` and Python's XML parser, headless
//! Chromium for the HTML page); baselines and `report diff`; bad input.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pathprobe_tests::lab::SmallLab;
use pathprobe_tests::peers::{assert_jenkins_junit, require};
use pathprobe_tests::{run_with_env, stderr, stdout, workspace_root};

/// The small lab with an untrusted endpoint too: ok, refused, unknown
/// name, untrusted chain.
struct Lab(SmallLab);

fn lab() -> Lab {
    Lab(SmallLab::new(true))
}

impl Lab {
    fn check(&self, extra: &[&str]) -> Output {
        self.0.run("check", extra)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.dir.path().join(name)
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_format_is_written_and_reads_back() {
    let lab = lab();
    let files = [
        ("json", "report.json"),
        ("junit", "report.xml"),
        ("markdown", "report.md"),
        ("html", "report.html"),
        ("csv", "report.csv"),
        ("table", "report.txt"),
    ];
    let specs: Vec<String> = files
        .iter()
        .map(|(f, name)| format!("{f}={}", lab.path(name).display()))
        .collect();
    let mut extra = vec!["--format", "lines"];
    for s in &specs {
        extra.extend(["--output", s.as_str()]);
    }
    let out = lab.check(&extra);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // stdout keeps the --format: the vendor tool's lines, then one line per
    // finding (each of the three failures fails its own way here).
    let lines = stdout(&out);
    assert_eq!(
        lines.matches("Testing connection with").count(),
        4,
        "{lines}"
    );
    assert_eq!(lines.matches("\nFinding: ").count(), 3, "{lines}");
    assert!(
        lines.lines().next().unwrap().ends_with("/ ... [OK]"),
        "{lines}"
    );
    assert_eq!(lines.matches("[ERROR]").count(), 3);

    let report: serde_json::Value = serde_json::from_str(&read(&lab.path("report.json"))).unwrap();
    let verdicts: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["ok", "tcp_refused", "dns_failure", "tls_untrusted"]
    );
    assert_eq!(report["tool"]["name"], "pathprobe");
    let leaf = &report["results"][0]["attempts"][0]["tls"]["chain"][0];
    assert!(
        leaf["pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    assert_eq!(leaf["sha256"].as_str().unwrap().len(), 64);
    assert!(leaf["not_after_unix"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(
        report["results"][3]["attempts"][0]["tls"]["public_roots"]["result"],
        "failed"
    );

    // Independent readers: the schema validator and an XML parser.
    if let Some(python) = require(
        "every_format_is_written_and_reads_back",
        &["python3"],
        "python3",
    ) {
        let script = workspace_root().join("tests/scripts/check_report_files.py");
        let schema = workspace_root().join("reports/schema/check-report.v2.schema.json");
        let out = Command::new(python)
            .arg(script)
            .arg(schema)
            .arg(lab.path("report.json"))
            .arg(lab.path("report.xml"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(read["schema_errors"], serde_json::json!([]), "{read}");
        assert_eq!(read["junit_root"], "testsuites");
        assert_eq!(read["junit_cases"], 4);
        assert_eq!(read["junit_tests"], 4);
        assert_eq!(read["junit_failures"], 3);
        assert_eq!(read["junit_failed_cases"], 3);
    }
    assert_jenkins_junit(
        "every_format_is_written_and_reads_back",
        &[&lab.path("report.xml")],
    );

    let md = read(&lab.path("report.md"));
    assert!(md.contains("#### Failures"), "{md}");
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| https://")).count(),
        3
    );
    let txt = read(&lab.path("report.txt"));
    assert!(txt.contains("1 of 4 endpoints ok"), "{txt}");
    assert!(!txt.contains('\u{1b}'), "no colour codes in files");
    let csv = read(&lab.path("report.csv"));
    assert_eq!(csv.lines().count(), 5);

    // `report render` gives the same Markdown from the saved JSON.
    let out = run_with_env(
        [
            "report",
            "render",
            lab.path("report.json").to_str().unwrap(),
            "--format",
            "markdown",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), md);
}

fn chromium(args: &[&str], profile: &Path) -> Output {
    let bin = require("html_report_renders_in_chromium", &["chromium"], "chromium").unwrap();
    Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn html_report_renders_in_chromium() {
    if require("html_report_renders_in_chromium", &["chromium"], "chromium").is_none() {
        return;
    }
    let lab = lab();
    let html = lab.path("report.html");
    let spec = format!("html={}", html.display());
    let out = lab.check(&["--output", &spec, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let url = format!("file://{}", html.display());
    let profile = tempfile::tempdir().unwrap();

    let dom = chromium(&["--dump-dom", &url], profile.path());
    let page = stdout(&dom);
    let log = stderr(&dom);
    // The page's script ran to its end, and the table has every endpoint.
    assert!(
        page.contains("data-ready=\"yes\""),
        "the script did not finish:\n{log}"
    );
    assert_eq!(page.matches("<tr data-verdict=").count(), 4, "{page}");
    assert!(page.contains("<svg class=\"waterfall\""));
    // The findings lead, as cards.
    let cards = page.find("<h2>Findings</h2>").expect(&page);
    assert!(
        cards < page.find("<table id=\"results\"").unwrap(),
        "{page}"
    );
    assert_eq!(
        page.matches("<button type=\"button\" class=\"finding")
            .count(),
        3,
        "{page}"
    );
    for bad in ["Uncaught", "Refused to", "SyntaxError", "ERR_"] {
        assert!(!log.contains(bad), "console reported {bad}:\n{log}");
    }

    // A filter carried in the link hides every other row.
    let filtered = chromium(
        &["--dump-dom", &format!("{url}#verdict=dns_failure")],
        profile.path(),
    );
    let page = stdout(&filtered);
    assert_eq!(page.matches("<tr data-verdict=").count(), 4);
    assert_eq!(page.matches(" hidden=\"\"").count(), 3, "{page}");
    assert!(page.contains("<span id=\"shown\">1</span>"), "{page}");

    // A finding's card, carried in the link, shows its endpoints only.
    let one = chromium(&["--dump-dom", &format!("{url}#finding=1")], profile.path());
    let page = stdout(&one);
    assert_eq!(page.matches(" hidden=\"\"").count(), 3, "{page}");
    assert!(page.contains("class=\"finding active\""), "{page}");

    // The page fits a 1280 px window: no sideways scrolling (the hint
    // column ran off a 1400 px one).
    let fitted = chromium(
        &["--window-size=1280,900", "--dump-dom", &url],
        profile.path(),
    );
    assert!(
        stdout(&fitted).contains("data-fits=\"yes\""),
        "{}",
        stdout(&fitted)
    );

    // The same with the embedded catalog's longest probe URLs and
    // categories in place of the lab's: still no sideways scrolling.
    let listing = run_with_env(["urls", "list", "--format", "json"], &[]);
    let listing: serde_json::Value = serde_json::from_slice(&listing.stdout).unwrap();
    let mut longest: Vec<(String, String)> = listing["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            let category = e["category"].as_str().unwrap_or_default().to_owned();
            e["targets"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |t| (t["url"].as_str().unwrap().to_owned(), category.clone()))
        })
        .collect();
    longest.sort_by_key(|(url, _)| std::cmp::Reverse(url.len()));
    let saved = lab.path("report.json");
    let spec_json = format!("json={}", saved.display());
    let out = lab.check(&["--output", &spec_json]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut report: serde_json::Value = serde_json::from_str(&read(&saved)).unwrap();
    for (r, (url, category)) in report["results"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(&longest)
    {
        r["url"] = serde_json::json!(url);
        r["category"] = serde_json::json!(category);
    }
    let long = lab.path("long.json");
    std::fs::write(&long, report.to_string()).unwrap();
    let rendered = run_with_env(
        [
            "report",
            "render",
            long.to_str().unwrap(),
            "--format",
            "html",
        ],
        &[],
    );
    assert_eq!(rendered.status.code(), Some(0), "{}", stderr(&rendered));
    let long_html = lab.path("long.html");
    std::fs::write(&long_html, &rendered.stdout).unwrap();
    let fitted = chromium(
        &[
            "--window-size=1280,900",
            "--dump-dom",
            &format!("file://{}", long_html.display()),
        ],
        profile.path(),
    );
    assert!(
        stdout(&fitted).contains(&longest[0].0) && stdout(&fitted).contains("data-fits=\"yes\""),
        "{}",
        stdout(&fitted)
    );

    // And a picture of it, for a person to look at.
    let png = lab.path("report.png");
    let shot = chromium(
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1280,900",
            &url,
        ],
        profile.path(),
    );
    let bytes =
        std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot ({e}):\n{}", stderr(&shot)));
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        bytes.len() > 10_000,
        "a blank page is smaller: {} bytes",
        bytes.len()
    );
    if let Ok(keep) = std::env::var("PATHPROBE_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
}

#[test]
fn a_baseline_turns_changes_into_the_exit_code() {
    let lab = lab();
    let first = lab.path("first.json");
    let spec = format!("json={}", first.display());
    let out = lab.check(&["--output", &spec]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // Nothing changed: required endpoints fail, but none regressed.
    let baseline = first.to_str().unwrap();
    let out = lab.check(&[
        "--baseline",
        baseline,
        "--fail-on",
        "regression",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["baseline"]["source"], baseline);
    assert!(
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r.get("change").is_none())
    );

    // A baseline where the refused endpoint was ok: now it regressed.
    let mut earlier: serde_json::Value = serde_json::from_str(&read(&first)).unwrap();
    earlier["results"][1]["verdict"] = "ok".into();
    let edited = lab.path("edited.json");
    std::fs::write(&edited, earlier.to_string()).unwrap();
    let out = lab.check(&[
        "--baseline",
        edited.to_str().unwrap(),
        "--fail-on",
        "regression",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("1 regressed, 0 recovered"), "{table}");
    assert!(table.contains("regressed"), "{table}");

    // `report diff` says the same from the two files.
    let out = run_with_env(["report", "diff", edited.to_str().unwrap(), baseline], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 regressed (1 required)"),
        "{}",
        stdout(&out)
    );
    let out = run_with_env(
        ["report", "diff", baseline, baseline, "--format", "json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["endpoints"].as_array().unwrap().len(), 4);
}

#[test]
fn unusable_outputs_and_reports_stop_before_probing() {
    let lab = lab();
    // A directory that does not exist: exit 2, and nothing was probed.
    let missing = lab.path("no/such/dir/report.html");
    let spec = format!("html={}", missing.display());
    let out = lab.check(&["--output", &spec]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());

    let out = lab.check(&["--output", "pdf=x.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown format \"pdf\""),
        "{}",
        stderr(&out)
    );

    let out = lab.check(&["--fail-on", "regression"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs a --baseline"),
        "{}",
        stderr(&out)
    );

    let junk = lab.path("junk.json");
    std::fs::write(&junk, "this is not json").unwrap();
    let out = lab.check(&["--baseline", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("junk.json: not a pathprobe check report"),
        "{}",
        stderr(&out)
    );

    let newer = lab.path("newer.json");
    std::fs::write(&newer, r#"{"schema_version": 7, "results": []}"#).unwrap();
    let out = run_with_env(
        [
            "report",
            "diff",
            newer.to_str().unwrap(),
            junk.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("newer.json: report schema version 7"),
        "{}",
        stderr(&out)
    );

    // --output FILE without a format: the file gets the --format, stdout nothing.
    let plain = lab.path("plain.json");
    let out = lab.check(&["--format", "json", "--output", plain.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(read(&plain).starts_with('{'));

    // Round 18. A format a command has no such output in is refused, not
    // ignored (report diff and doctor printed their table for csv).
    for args in [
        vec!["report", "diff", "a.json", "b.json", "--format", "csv"],
        vec!["doctor", "--format", "csv"],
    ] {
        let out = run_with_env(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("invalid value 'csv'"),
            "{}",
            stderr(&out)
        );
    }

    // Round 18. An output that is stdout (`-`, /dev/stdout) takes stdout's
    // place: one document there, no file named "-", and two on stdout are
    // refused.
    let out = lab.check(&["--format", "table", "--output", "json=-"]);
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    assert!(!std::path::Path::new("-").exists());
    let out = lab.check(&["--format", "json", "--output", "json=/dev/stdout"]);
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap_or_else(|e| panic!("one document on stdout: {e}: {}", stdout(&out)));
    let out = lab.check(&["--output", "json=-", "--output", "csv=/dev/stdout"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stdout already takes --output json=-"),
        "{}",
        stderr(&out)
    );
}

/// Round 19. A saved report's start time and statuses are checked where it
/// is read: JUnit's timestamp must be a date and time.
#[test]
fn a_report_with_no_start_time_or_an_impossible_status_is_refused() {
    let lab = lab();
    let out = lab.check(&["--format", "json"]);
    let good: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (what, edit, said) in [
        (
            "yesterday",
            ("/started_at", serde_json::json!("yesterday")),
            "started_at is \"yesterday\": not a date and time",
        ),
        (
            "status",
            ("/results/0/attempts/0/status", serde_json::json!(9999)),
            "status is 9999: not an HTTP status",
        ),
    ] {
        let mut v = good.clone();
        *v.pointer_mut(edit.0)
            .unwrap_or_else(|| panic!("{what}: {}", edit.0)) = edit.1;
        let path = lab.path(&format!("{what}.json"));
        std::fs::write(&path, v.to_string()).unwrap();
        let out = run_with_env(
            [
                "report",
                "render",
                path.to_str().unwrap(),
                "--format",
                "junit",
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        assert!(stderr(&out).contains(said), "{what}: {}", stderr(&out));
    }
}

/// Round 19. A report whose results repeat a URL (joined or edited by
/// hand) is shown as written, and said: it rendered without a word.
#[test]
fn a_report_repeating_a_url_is_said_to() {
    let lab = lab();
    let out = lab.check(&["--format", "json"]);
    let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = v["results"][0].clone();
    let results = v["results"].as_array_mut().unwrap();
    for _ in 0..3 {
        results.push(first.clone());
    }
    let path = lab.path("repeated.json");
    std::fs::write(&path, v.to_string()).unwrap();
    for command in [
        vec![
            "report",
            "render",
            path.to_str().unwrap(),
            "--format",
            "markdown",
        ],
        vec!["fix", path.to_str().unwrap()],
    ] {
        let out = run_with_env(command.clone(), &[]);
        let err = stderr(&out);
        assert!(
            err.contains(
                "3 result(s) repeat one listed before them word for word (results[0] and results[4]"
            ) && err.contains("shown as written"),
            "{command:?}: {err}"
        );
    }
    // A report as a run writes it says nothing of the kind.
    let path = lab.path("as-written.json");
    std::fs::write(&path, &out.stdout).unwrap();
    let out = run_with_env(["report", "render", path.to_str().unwrap()], &[]);
    assert!(!stderr(&out).contains("word for word"), "{}", stderr(&out));
}

/// A saved report edited by hand (markup and control characters in every
/// text field) still renders to JUnit that Jenkins accepts; one whose
/// durations no run can have (negative, 1e300) is refused naming the field.
#[test]
fn a_hand_edited_report_still_renders_to_valid_junit() {
    let lab = lab();
    let saved = lab.path("report.json");
    let spec = format!("json={}", saved.display());
    let out = lab.check(&["--output", &spec]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut report: serde_json::Value = serde_json::from_str(&read(&saved)).unwrap();
    let nasty = "a]]><x y=\"1\">&amp;\u{1}\u{1b}[31m\u{fffe}'";
    report["catalog"] = serde_json::json!(nasty);
    report["routing"] = serde_json::json!(nasty);
    // started_at must be a date and time (refused otherwise, see above).
    for r in report["results"].as_array_mut().unwrap() {
        r["category"] = serde_json::json!(nasty);
        r["hint"] = serde_json::json!(nasty);
        for a in r["attempts"].as_array_mut().unwrap() {
            a["hint"] = serde_json::json!(nasty);
            a["evidence"] = serde_json::json!([nasty]);
            for p in a["phases"].as_array_mut().unwrap() {
                p["detail"] = serde_json::json!(nasty);
            }
        }
    }
    let edited = lab.path("edited.json");
    std::fs::write(&edited, serde_json::to_vec(&report).unwrap()).unwrap();
    let junit = lab.path("edited.xml");
    let render = || {
        run_with_env(
            [
                "report",
                "render",
                edited.to_str().unwrap(),
                "--format",
                "junit",
            ],
            &[],
        )
    };
    let out = render();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(&junit, &out.stdout).unwrap();
    assert!(read(&junit).contains("<failure"), "{}", read(&junit));
    assert_jenkins_junit(
        "a_hand_edited_report_still_renders_to_valid_junit",
        &[&junit],
    );
    for value in [-12.5, 1.0e300] {
        report["summary"]["duration_ms"] = serde_json::json!(value);
        std::fs::write(&edited, serde_json::to_vec(&report).unwrap()).unwrap();
        let out = render();
        assert_eq!(out.status.code(), Some(2), "{value}");
        assert!(
            stderr(&out).contains("summary.duration_ms is") && stderr(&out).len() < 400,
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn the_committed_schema_is_what_the_binary_prints() {
    let out = run_with_env(["report", "schema"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let committed = read(&workspace_root().join("reports/schema/check-report.v2.schema.json"));
    assert_eq!(stdout(&out), committed);
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let lab = lab();
    // Not a terminal: stderr carries no progress.
    let out = lab.check(&["--format", "json"]);
    assert!(!stderr(&out).contains("probing"), "{}", stderr(&out));
    // A terminal (a pseudo-terminal from util-linux `script`): the bar is drawn.
    let Some(script) = require(
        "progress_shows_on_a_terminal_only",
        &["script"],
        "util-linux (script)",
    ) else {
        return;
    };
    let mut words = vec![
        pathprobe_tests::binary().display().to_string(),
        "check".into(),
    ];
    words.extend(lab.0.args.iter().cloned());
    words.extend(["--format".into(), "lines".into()]);
    let command = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new(script)
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let seen = String::from_utf8_lossy(&out.stdout);
    assert!(
        seen.contains("probing") && seen.contains("/4 endpoints"),
        "{seen}"
    );
    assert!(seen.contains("... [OK]"), "{seen}");
}
