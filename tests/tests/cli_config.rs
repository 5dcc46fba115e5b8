//! The configuration file: precedence (command line, site, file, default),
//! its effect on a real run, errors naming file, line and key, the default
//! search path, and secrets kept out of `config show`.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::Command;

use pathprobe_tests::{binary, run, serve_http, stderr, stdout, workspace_root};

/// `config show --format json` for `args`: option -> (value, from).
fn shown(args: &[&str]) -> std::collections::BTreeMap<String, (String, String)> {
    let mut all = vec!["config", "show", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["option"].as_str().unwrap().to_owned(),
                (
                    o["value"].as_str().unwrap().to_owned(),
                    o["from"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Round 20. A date and time written bare is TOML's own type: read as its
/// text (it was refused as "a string, number, boolean or list").
#[test]
fn a_bare_toml_date_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "at.toml", "at = 2026-01-01T00:00:00Z\n");
    let options = shown(&["--config", &file]);
    let (value, from) = &options["at"];
    assert_eq!(value, "2026-01-01T00:00:00Z");
    assert!(from.ends_with("at.toml:1"), "{from}");
}

#[test]
fn command_line_beats_site_beats_file_beats_default() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "c.toml",
        "geo = \"EU\"\nphase-timeout = 3\nproxy = \"http://proxy.corp.example:3128\"\nresolve = [\"a.example=10.0.0.1\", \"b.example=10.0.0.2\"]\n\n[site.branch]\ngeo = \"UK\"\npac = \"http://wpad.branch.example/wpad.dat\"\n",
    );
    let o = shown(&["--config", &file]);
    assert_eq!(o["geo"], ("EU".into(), format!("{file}:1")));
    assert_eq!(o["phase-timeout"], ("3".into(), format!("{file}:2")));
    assert_eq!(o["resolve"].0, "a.example=10.0.0.1, b.example=10.0.0.2");
    assert_eq!(o["deadline"], ("120".into(), "default".into()));

    // The site's keys win over the top level's; its pac drops the file's proxy.
    let o = shown(&["--config", &file, "--site", "branch"]);
    assert_eq!(o["geo"], ("UK".into(), format!("{file}:7 (site branch)")));
    assert_eq!(o["pac"].1, format!("{file}:8 (site branch)"));
    assert!(!o.contains_key("proxy"), "{o:?}");

    // The command line wins over both, and drops what it contradicts.
    let o = shown(&[
        "--config", &file, "--site", "branch", "--", "--geo", "US", "--direct",
    ]);
    assert_eq!(o["geo"], ("US".into(), "command line".into()));
    assert_eq!(o["direct"], ("true".into(), "command line".into()));
    assert!(!o.contains_key("pac") && !o.contains_key("proxy"), "{o:?}");
    assert_eq!(o["phase-timeout"].1, format!("{file}:2"));
}

#[test]
fn the_file_drives_a_real_run() {
    // The origin is reachable only through the name the file pins.
    let origin = serve_http(Some("text/plain"), b"ok".to_vec());
    let dir = tempfile::tempdir().unwrap();
    let catalog = write(
        dir.path(),
        "catalog.txt",
        &format!("http://configured.lab.test:{origin}/\n"),
    );
    let file = write(
        dir.path(),
        "c.toml",
        &format!(
            "catalog = \"{catalog}\"\ndirect = true\nno-env = true\nonly-given = true\nresolve = [\"configured.lab.test=127.0.0.1\"]\nphase-timeout = 2\nformat = \"json\"\n"
        ),
    );
    let out = run(["check", "--config", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["verdict"], "ok", "{v:#}");
    // Without the file, the same command has no catalog of that name.
    let plain = run([
        "check",
        "--no-config",
        "--format",
        "json",
        "--direct",
        "--only-given",
        "--no-env",
        "--required-only",
    ]);
    let text = stdout(&plain);
    assert!(!text.contains("configured.lab.test"), "{text}");
}

#[test]
fn mistakes_name_the_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "geo = \"EU\"\nphase-timout = 3\n",
            ":2: unknown key \"phase-timout\" (did you mean \"phase-timeout\"?)",
        ),
        (
            "geo = \"EU\"\n\n[site.x]\ndirect = \"yes\"\n",
            ":4: direct: expected true or false",
        ),
        (
            "phase-timeout = \"soon\"\n",
            ":1: phase-timeout: invalid value 'soon'",
        ),
        ("format = \"yaml\"\n", ":1: format: invalid value 'yaml'"),
        ("geo = [\n", ":1: not valid TOML"),
        (
            "[site.x]\nbogus = 1\n",
            ":2: unknown key \"bogus\" in [site.x]",
        ),
        (
            "geo = [\"EU\", \"UK\"]\n",
            ":1: geo: expected one value, not a list",
        ),
        // Values that parse but cannot be used: refused where they are read.
        ("deadline = -5\n", ":1: deadline: invalid value '-5'"),
        (
            "\n[site.x]\nconcurrency = 0\n",
            ":3: concurrency: invalid value '0'",
        ),
        ("per-proxy = 0\n", ":1: per-proxy: invalid value '0'"),
        (
            "phase-timeout = 1e308\n",
            ":1: phase-timeout: invalid value '1e308'",
        ),
        (
            "proxy = \"http://127.0.0.1:99999\"\n",
            ":1: proxy: invalid value 'http://127.0.0.1:99999'",
        ),
        (
            "proxy-user = \"alice\"\n",
            ":1: proxy-user: invalid value 'REDACTED'",
        ),
        (
            "push = \"ftp://gw\"\n",
            ":1: push: invalid value 'ftp://gw'",
        ),
        // Checked only when a run used them: no file, line or key named.
        (
            "deadline = 5\n[site.x]\nresolve = [\"nothost\"]\n",
            ":3: resolve: invalid value 'nothost'",
        ),
        (
            "[site.x]\ndns-server = \"not-an-ip\"\n",
            ":2: dns-server: invalid value 'not-an-ip'",
        ),
        ("[site.x]\npac = \"ht!tp://x\"\n", ":2: pac: invalid value"),
        (
            "dns-server = \"127.0.0.1:0\"\n",
            ":1: dns-server: invalid value '127.0.0.1:0'",
        ),
        (
            "at = \"2026-13-45T99:00:00Z\"\n",
            ":1: at: invalid value '2026-13-45T99:00:00Z'",
        ),
        // Two settings that contradict each other at one level.
        (
            "pac = \"/etc/proxy.pac\"\nproxy = \"http://127.0.0.1:3128\"\n",
            " contradicts ",
        ),
        (
            "[site.x]\npac = \"/etc/proxy.pac\"\ndirect = true\n",
            " contradicts ",
        ),
    ];
    for (i, (text, needle)) in cases.iter().enumerate() {
        let file = write(dir.path(), &format!("bad{i}.toml"), text);
        for command in [
            vec!["check", "--config", &file],
            vec!["config", "show", "--config", &file],
        ] {
            let out = run(&command);
            assert_eq!(out.status.code(), Some(2), "{text}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(
                err.contains(&format!("{file}{needle}"))
                    || (needle.starts_with(' ') && err.contains(&file) && err.contains(needle)),
                "{command:?} {text}: {err}"
            );
        }
    }
    // The same values on the command line: exit 2, naming the flag.
    for flag in [
        "--deadline=-5",
        "--concurrency=0",
        "--proxy=http://127.0.0.1:99999",
        "--proxy-user=alice",
        "--dns-server=127.0.0.1:0",
        "--dns-server=0.0.0.0",
        "--at=2026-13-45T99:00:00Z",
    ] {
        let out = run(["check", "--no-config", flag]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let name = flag.split('=').next().unwrap();
        assert!(stderr(&out).contains(name), "{}", stderr(&out));
    }
    let file = write(dir.path(), "sites.toml", "[site.a]\ngeo = \"EU\"\n");
    let out = run(["check", "--config", &file, "--site", "b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no [site.b] (sites: a)"),
        "{}",
        stderr(&out)
    );
    let out = run(["check", "--config", "/nonexistent/pathprobe.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/pathprobe.toml: cannot read"));
}

#[test]
fn the_default_file_is_found_and_no_config_ignores_it() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("pathprobe")).unwrap();
    std::fs::write(
        home.path().join("pathprobe/config.toml"),
        "phase-timeout = 7\n",
    )
    .unwrap();
    let show = |extra: &[&str]| {
        let out = Command::new(binary())
            .args(["config", "show", "--format", "json"])
            .args(extra)
            .env("XDG_CONFIG_HOME", home.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let v = show(&[]);
    let timeout = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["option"] == "phase-timeout")
        .unwrap()
        .clone();
    assert_eq!(timeout["value"], "7");
    assert!(
        timeout["from"]
            .as_str()
            .unwrap()
            .ends_with("pathprobe/config.toml:1")
    );
    let v = show(&["--no-config"]);
    assert!(v["file"].is_null(), "{v}");
}

#[test]
fn config_show_redacts_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "c.toml",
        "proxy = \"http://svc:Pr0xy-Secret@proxy.corp.example:3128\"\nproxy-user = \"agent:Hunter2-Secret\"\n",
    );
    for format in ["table", "json", "csv"] {
        let out = run(["config", "show", "--config", &file, "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(!text.contains("Secret"), "{format}: {text}");
        assert!(
            text.contains("proxy.corp.example") && text.contains("agent:REDACTED"),
            "{format}: {text}"
        );
        // Hidden, not their presence: credentials are configured.
        assert!(
            text.contains("REDACTED@proxy.corp.example"),
            "{format}: {text}"
        );
    }
    // A site this run does not use holds a password another value repeats
    // (a catalog URL's query): learned from every table of the file.
    let file = write(
        dir.path(),
        "sites.toml",
        "catalog = \"https://lists.example/l?tag=Unused-Site-Pass\"\n[site.branch]\nproxy-user = \"svc:Unused-Site-Pass\"\n[site.lab]\nproxy = \"http://lab:Other-Site-Pass@proxy.lab.example:3128\"\nresolve = [\"Other-Site-Pass.example=10.0.0.1\"]\n",
    );
    for format in ["table", "json", "csv"] {
        let out = run(["config", "show", "--config", &file, "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out) + &stderr(&out);
        assert!(!text.contains("Site-Pass"), "{format}: {text}");
        assert!(text.contains("lists.example"), "{format}: {text}");
    }
    // A password too short to hide is said to be so, and the command ends
    // (the warning once waited on the redactor's own lock).
    let out = pathprobe_tests::run_within(
        [
            "config",
            "show",
            "--",
            "--proxy",
            "http://u:pw@127.0.0.1:3128",
        ],
        std::time::Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("fewer than 3 characters cannot be kept out of outputs"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_shipped_example_is_valid_for_every_site_and_command() {
    let example = workspace_root().join("diag/contrib/config.example.toml");
    let example = example.to_str().unwrap();
    for command in ["check", "serve", "bundle"] {
        for site in [None, Some("branch-office"), Some("datacenter")] {
            let mut args = vec!["--config", example, "--for", command];
            if let Some(s) = site {
                args.extend(["--site", s]);
            }
            let o = shown(&args);
            assert_eq!(o["profile"].0, "agent", "{command} {site:?}");
        }
    }
    let o = shown(&["--config", example, "--for", "serve"]);
    assert_eq!(o["interval"].0, "5m");
}

#[test]
fn a_flag_set_to_false_overrides_but_contradicts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "c.toml",
        "proxy = \"http://p.example:3128\"\ndirect = false\n\n[site.off]\ndirect = false\n\n[site.on]\ndirect = true\n",
    );
    let o = shown(&["--config", &file, "--site", "off"]);
    assert_eq!(o["proxy"].1, format!("{file}:1"), "{o:?}");
    assert!(!o.contains_key("direct"), "{o:?}");
    let o = shown(&["--config", &file, "--site", "on"]);
    assert_eq!(o["direct"].1, format!("{file}:8 (site on)"), "{o:?}");
    assert!(!o.contains_key("proxy"), "{o:?}");
}

/// A configuration of many sites is read in linear time, and past 1,000
/// sites (or 1 MiB) refused naming the limit (85,000 sites once took over a
/// minute).
#[test]
fn many_sites_are_bounded_and_read_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let write = |sites: usize| {
        let path = dir.path().join(format!("sites-{sites}.toml"));
        let text: String = (0..sites)
            .map(|i| format!("[site.s{i}]\nconcurrency = {}\n", 10 + i % 50))
            .collect();
        std::fs::write(&path, text).unwrap();
        path
    };
    let many = write(1000);
    let started = std::time::Instant::now();
    let out = pathprobe_tests::run([
        "config",
        "show",
        "--config",
        many.to_str().unwrap(),
        "--site",
        "s999",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        pathprobe_tests::stderr(&out)
    );
    assert!(pathprobe_tests::stdout(&out).contains("59"));
    // Generous for a debug build on a busy machine; quadratic took minutes.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let too_many = write(1001);
    let out = pathprobe_tests::run(["config", "show", "--config", too_many.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        pathprobe_tests::stderr(&out).contains("at most 1000"),
        "{}",
        pathprobe_tests::stderr(&out)
    );
    let huge = dir.path().join("huge.toml");
    std::fs::write(&huge, format!("# {}\n", "x".repeat(2 * 1024 * 1024))).unwrap();
    let out = pathprobe_tests::run(["config", "show", "--config", huge.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        pathprobe_tests::stderr(&out).contains("larger than 1 MiB"),
        "{}",
        pathprobe_tests::stderr(&out)
    );
}

/// The command line drops the file's contradicting option, as the README
/// says, whichever of the two declares the conflict: `pac` in the file and
/// `--proxy` given (clap lists the conflict on `--proxy` only), and a site's
/// `proxy` against a top-level `pac`.
#[test]
fn the_command_line_and_a_site_override_contradicting_settings() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "c.toml",
        "pac = \"/etc/proxy.pac\"\n[site.branch]\nproxy = \"http://127.0.0.1:3128\"\n",
    );
    let out = run([
        "config",
        "show",
        "--config",
        &file,
        "--format",
        "json",
        "--",
        "--proxy",
        "http://127.0.0.1:8080",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("http://127.0.0.1:8080"), "{text}");
    assert!(!text.contains("/etc/proxy.pac"), "{text}");
    let out = run(["config", "show", "--config", &file, "--site", "branch"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("http://127.0.0.1:3128"), "{text}");
    assert!(!text.contains("/etc/proxy.pac"), "{text}");
    let out = run([
        "check",
        "--config",
        &file,
        "--only-given",
        "--no-env",
        "--proxy",
        "http://127.0.0.1:9",
        "--deadline",
        "5",
        "--phase-timeout",
        "1",
        "--format",
        "json",
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
}

#[test]
fn a_setting_from_the_file_is_named_with_its_line_not_as_the_command_line() {
    // It was "command line (command line)" in the report and every result.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "c.toml",
        "geo = \"EU\"\nproxy = \"http://127.0.0.1:9\"\n",
    );
    let catalog = pathprobe_tests::write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let (v, out) = pathprobe_tests::Pathprobe::new([
        "check",
        catalog.to_str().unwrap(),
        "--config",
        &file,
        "--only-given",
        "--no-env",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        pathprobe_tests::stderr(&out)
    );
    let named = format!("configuration file {file}:2");
    assert!(
        v["routing"].as_str().unwrap().contains(&named),
        "{}",
        v["routing"]
    );
    assert!(
        v["results"][0]["route_source"]
            .as_str()
            .unwrap()
            .contains(&named),
        "{}",
        v["results"][0]
    );
    // Given on the command line, it is the command line's.
    let (v, _) = pathprobe_tests::Pathprobe::new([
        "check",
        catalog.to_str().unwrap(),
        "--config",
        &file,
        "--proxy",
        "http://127.0.0.1:8",
        "--only-given",
        "--no-env",
        "--format",
        "json",
    ])
    .json();
    assert!(
        !v["routing"]
            .as_str()
            .unwrap()
            .contains("configuration file"),
        "{}",
        v["routing"]
    );
}
