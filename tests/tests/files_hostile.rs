//! Hostile file names: every file a command reads or writes named as a
//! device, a pipe, a directory, a link, one of the run's own inputs, a name
//! that is not UTF-8, or a place on a full disk. Nothing hangs, nothing is
//! read without bound, nothing is replaced that is not the report's own file.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::fs::FileTypeExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use pathprobe_tests::{run_within, stderr, stdout, write_catalog};

/// Long enough for a debug build on a busy machine; a hang is far longer.
const LIMIT: Duration = Duration::from_secs(30);

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// Every command line that reads a file, with `{}` where the file goes.
const READERS: &[&str] = &[
    "urls list {}",
    "urls list --onboarding {}",
    "urls export CATALOG --as pac --base {}",
    "check {} --direct --only-given",
    "check CATALOG --direct --only-given --baseline {}",
    "check CATALOG --direct --only-given --ca-cert {}",
    "check CATALOG --direct --only-given --onboarding {}",
    "check CATALOG --only-given --pac {}",
    "check CATALOG --direct --config {}",
    "report render {}",
    "report diff {} {}",
    "fix {}",
    "onboarding inspect {}",
    "config show --config {}",
    "lab --scenario {}",
    "pac lint {}",
    "pac eval -p {} --url https://example.com/",
    "bundle inspect {}",
];

fn command_line(template: &str, hostile: &Path, catalog: &Path) -> Vec<std::ffi::OsString> {
    template
        .split(' ')
        .map(|word| match word {
            "{}" => hostile.as_os_str().to_owned(),
            "CATALOG" => catalog.as_os_str().to_owned(),
            w => w.into(),
        })
        .collect()
}

#[test]
fn every_reader_refuses_devices_and_pipes_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    for hostile in [Path::new("/dev/zero"), &fifo] {
        for template in READERS {
            let args = command_line(template, hostile, &catalog);
            let started = Instant::now();
            let out = run_within(&args, LIMIT);
            let err = stderr(&out);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{template} on {hostile:?}: {err}"
            );
            assert!(
                err.contains(&hostile.display().to_string()) && err.contains("not a regular file"),
                "{template} on {hostile:?}: {err}"
            );
            // Refused, not read: /dev/zero read for ten seconds is gigabytes.
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{template} on {hostile:?} took {:?}",
                started.elapsed()
            );
            assert!(err.len() < 1000, "{template}: {err}");
            // A flag is named only where the command has one (round 22:
            // `pac lint FILE` was said to be `--pac FILE`).
            for flag in [
                "--pac",
                "--config",
                "--onboarding",
                "--baseline",
                "--ca-cert",
                "--base",
            ] {
                if err.contains(&format!("{flag} ")) {
                    let short = flag == "--pac" && template.contains("-p ");
                    assert!(
                        template.contains(flag) || short,
                        "{template} on {hostile:?}: {err}"
                    );
                }
            }
        }
    }
}

#[test]
fn an_oversized_input_is_refused_with_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    // Sparse: 600 MiB on the file system cost nothing (past every limit,
    // reports' 512 MiB included).
    let big = dir.path().join("big");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(600 * 1024 * 1024).unwrap();
    for template in [
        "report render {}",
        "config show --config {}",
        "lab --scenario {}",
        "check CATALOG --direct --only-given --ca-cert {}",
        "onboarding inspect {}",
    ] {
        let out = run_within(command_line(template, &big, &catalog), LIMIT);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{template}: {err}");
        assert!(err.contains("is larger than"), "{template}: {err}");
    }
}

/// `check` of a catalog whose one endpoint answers at once (a closed port),
/// with `extra` flags.
fn check(catalog: &Path, extra: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut args: Vec<&std::ffi::OsStr> = ["check", "--direct", "--only-given", "--no-env"]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
    args.push(catalog.as_os_str());
    args.extend_from_slice(extra);
    run_within(args, LIMIT)
}

fn flag(text: impl AsRef<std::ffi::OsStr>) -> std::ffi::OsString {
    text.as_ref().to_owned()
}

#[test]
fn devices_and_pipes_are_written_through_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let out = check(&catalog, &[&flag("--output"), &flag("json=/dev/null")]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    // As root a rename would have replaced the device with a regular file.
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device(), "/dev/null was replaced");

    // /dev/full: the write fails, is said, and stdout's report is whole.
    let out = check(&catalog, &[&flag("--output"), &flag("json=/dev/full")]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("No space left"), "{}", stderr(&out));
    assert!(stdout(&out).contains("127.0.0.1"), "{}", stdout(&out));

    // A pipe with a reader gets the report; the pipe stays a pipe.
    let fifo = dir.path().join("report.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let mut spec = std::ffi::OsString::from("json=");
    spec.push(&fifo);
    // The reader may open after the run checks: the run retries nothing, so
    // wait until the reader thread is blocked in open().
    std::thread::sleep(Duration::from_millis(200));
    let out = check(&catalog, &[&flag("--output"), &spec]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let got: serde_json::Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert_eq!(got["results"].as_array().unwrap().len(), 1);
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    // A pipe nobody reads: said, not waited on for ever.
    let lonely = dir.path().join("lonely.fifo");
    mkfifo(&lonely);
    let mut spec = std::ffi::OsString::from("json=");
    spec.push(&lonely);
    let out = check(&catalog, &[&flag("--output"), &spec]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing reads"), "{}", stderr(&out));
}

/// Round 20. A standard output that takes nothing (a full disk, /dev/full)
/// is said as that: the OS's words alone did not say it was stdout.
#[test]
fn a_stdout_that_takes_nothing_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://a.lab.test/"]);
    let out = Command::new(pathprobe_tests::binary())
        .args(["urls", "list"])
        .arg(&catalog)
        .stdout(
            std::fs::File::options()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("cannot write to standard output: No space left on device"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_link_is_followed_and_an_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let before = std::fs::read(&catalog).unwrap();

    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let mut spec = std::ffi::OsString::from("json=");
    spec.push(&link);
    let out = check(&catalog, &[&flag("--output"), &spec]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    assert!(written["results"].is_array());

    // The catalog, under its own name, through a link, and through "..".
    let catalog_link = dir.path().join("catalog-link.json");
    std::os::unix::fs::symlink(&catalog, &catalog_link).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let roundabout = dir.path().join("sub/../catalog.json");
    for target in [&catalog, &catalog_link, &roundabout] {
        for format in ["csv", "json"] {
            let mut spec = std::ffi::OsString::from(format!("{format}="));
            spec.push(target);
            let out = check(&catalog, &[&flag("--output"), &spec]);
            assert_eq!(out.status.code(), Some(2), "{target:?}: {}", stderr(&out));
            assert!(
                stderr(&out).contains("the catalog of this run"),
                "{}",
                stderr(&out)
            );
        }
    }
    // Other inputs: the baseline, a CA file, the PAC file.
    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, written.to_string()).unwrap();
    let out = check(
        &catalog,
        &[
            &flag("--baseline"),
            baseline.as_os_str(),
            &flag("--output"),
            baseline.as_os_str(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--baseline"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&catalog).unwrap(), before);

    // `urls export` and `fix` keep their inputs too.
    let out = run_within(
        [
            flag("urls"),
            flag("export"),
            catalog.clone().into(),
            flag("--as"),
            flag("domains"),
            flag("--output"),
            catalog.clone().into(),
        ],
        LIMIT,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run_within(
        [
            flag("fix"),
            baseline.clone().into(),
            flag("--output"),
            baseline.clone().into(),
        ],
        LIMIT,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&catalog).unwrap(), before);
}

#[test]
fn an_unwritable_target_is_refused_before_the_first_probe() {
    let dir = tempfile::tempdir().unwrap();
    // A server that accepts and never answers: probing it would take the
    // whole phase timeout.
    let port = pathprobe_tests::lab::silent_server();
    let catalog = write_catalog(dir.path(), &[&format!("https://127.0.0.1:{port}/")]);
    let targets: [(PathBuf, &str); 3] = [
        (dir.path().to_path_buf(), "is a directory"),
        (dir.path().join("no/such/dir/r.json"), "does not exist"),
        (
            PathBuf::from("/dev/sda-pathprobe-none/r.json"),
            "does not exist",
        ),
    ];
    for (target, says) in targets {
        let mut spec = std::ffi::OsString::from("json=");
        spec.push(&target);
        let started = Instant::now();
        let out = check(
            &catalog,
            &[
                &flag("--phase-timeout"),
                &flag("20"),
                &flag("--output"),
                &spec,
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{target:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "it probed first"
        );
    }
    // A bundle the same way.
    let out = run_within(
        [
            flag("bundle"),
            catalog.clone().into(),
            flag("--direct"),
            flag("--only-given"),
            flag("--output"),
            dir.path().as_os_str().to_owned(),
        ],
        LIMIT,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
}

/// Runs `script` as root in a mount namespace of its own (`unshare -m`),
/// where it may mount a small tmpfs; None when this machine cannot.
fn in_own_mount_namespace(script: &str, args: &[&std::ffi::OsStr]) -> Option<std::process::Output> {
    let probe = Command::new("unshare")
        .args(["-m", "true"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !probe {
        pathprobe_tests::skipped(
            "a_full_disk_keeps_stdout_and_leaves_nothing_behind",
            "cannot create a mount namespace (needs root and util-linux unshare)",
        );
        return None;
    }
    Some(
        Command::new("unshare")
            .args(["-m", "sh", "-c", script, "sh"])
            .args(args)
            .env("XDG_CONFIG_HOME", pathprobe_tests::NO_CONFIG_HOME)
            .output()
            .unwrap(),
    )
}

#[test]
fn a_full_disk_keeps_stdout_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    // A 64 KiB file system, filled but for a few bytes: the check before
    // the run passes (an empty file fits), the report does not.
    let script = r#"
        mount -t tmpfs -o size=64k tmpfs "$2" || exit 90
        head -c 60000 /dev/zero > "$2/fill" 2>/dev/null
        echo old > "$2/report.json"
        "$1" check "$3" --direct --only-given --no-env --output "json=$2/report.json"
        echo "exit=$?" >&2
        echo "left: $(ls -A "$2" | tr '\n' ' ')" >&2
        echo "report: $(cat "$2/report.json")" >&2
    "#;
    let binary = pathprobe_tests::binary();
    let Some(out) = in_own_mount_namespace(
        script,
        &[binary.as_os_str(), disk.as_os_str(), catalog.as_os_str()],
    ) else {
        return;
    };
    let err = stderr(&out);
    assert!(!err.contains("exit=90"), "mount failed: {err}");
    assert!(err.contains("exit=3"), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("the report on stdout is complete"), "{err}");
    // stdout got the table.
    assert!(stdout(&out).contains("127.0.0.1"), "{}", stdout(&out));
    // No temporary file, and the old report is intact.
    assert!(err.contains("left: fill report.json \n"), "{err}");
    assert!(err.contains("report: old"), "{err}");
}

/// Round 17. A catalog cache that takes no file (read-only, full): the
/// catalog fetched is used for the run, said so; it was exit 3, no report.
#[test]
fn a_cache_that_takes_no_file_loses_the_copy_not_the_run() {
    let port = pathprobe_tests::answering_by(|_| {
        b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\na.example.com\n"
            .to_vec()
    });
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    std::fs::create_dir(&cache).unwrap();
    let url = std::ffi::OsString::from(format!("http://127.0.0.1:{port}/list.txt"));
    let script = r#"
        mount -t tmpfs -o size=64k tmpfs "$2" || exit 90
        mkdir -p "$2/pathprobe/catalogs"
        mount -o remount,ro "$2" || exit 90
        XDG_CACHE_HOME="$2" "$1" urls list "$3"
        echo "exit=$?" >&2
    "#;
    let binary = pathprobe_tests::binary();
    let Some(out) = in_own_mount_namespace(
        script,
        &[binary.as_os_str(), cache.as_os_str(), url.as_os_str()],
    ) else {
        return;
    };
    let err = stderr(&out);
    assert!(!err.contains("exit=90"), "mount failed: {err}");
    assert!(err.contains("exit=0"), "{err}");
    assert!(err.contains("used for this run only"), "{err}");
    assert!(stdout(&out).contains("a.example.com"), "{}", stdout(&out));
}

#[test]
fn the_machines_own_settings_files_are_inputs_too() {
    // Without --only-given a run reads /etc/environment and apt's files;
    // `--output json=/etc/environment` replaced it. The real files are never
    // at risk here: a tmpfs and a copy are mounted over them in a mount
    // namespace of the test's own.
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let copy = dir.path().join("environment");
    std::fs::write(&copy, "LANG=C\n").unwrap();
    let script = r#"
        [ -e /etc/environment ] || exit 91
        mount --bind "$3" /etc/environment || exit 90
        mount -t tmpfs -o size=1m tmpfs /etc/apt || exit 90
        mkdir /etc/apt/apt.conf.d
        echo 'Acquire::http::Proxy "http://127.0.0.1:9/";' > /etc/apt/apt.conf.d/90proxy
        for target in /etc/environment /etc/apt/apt.conf.d/90proxy /etc/apt/apt.conf.d/99new; do
            "$1" check "$2" --direct --no-env --output "json=$target" > /dev/null
            echo "$target exit=$?" >&2
        done
        mount --bind "$3" /etc/os-release || exit 90
        "$1" bundle "$2" --direct --no-env --only-given --output /etc/os-release > /dev/null
        echo "bundle exit=$?" >&2
        "$1" check "$2" --direct --no-env --only-given --output json=/etc/apt/apt.conf.d/99new > /dev/null
        echo "only-given exit=$?" >&2
        echo "environment: $(cat /etc/environment)" >&2
        echo "apt: $(ls /etc/apt/apt.conf.d | tr '\n' ' ')" >&2
        echo "proxy: $(cat /etc/apt/apt.conf.d/90proxy)" >&2
    "#;
    let binary = pathprobe_tests::binary();
    let Some(out) = in_own_mount_namespace(
        script,
        &[binary.as_os_str(), catalog.as_os_str(), copy.as_os_str()],
    ) else {
        return;
    };
    let err = stderr(&out);
    assert!(
        !err.contains("exit=90") && !err.contains("exit=91"),
        "set-up failed: {err}"
    );
    for target in [
        "/etc/environment",
        "/etc/apt/apt.conf.d/90proxy",
        "/etc/apt/apt.conf.d/99new",
    ] {
        assert!(err.contains(&format!("{target} exit=2")), "{target}: {err}");
    }
    assert!(err.contains("a proxy settings source of this run"), "{err}");
    // The bundle reads the system's version for its notes.
    assert!(err.contains("bundle exit=2"), "{err}");
    assert!(err.contains("system version file"), "{err}");
    // With --only-given they are not read, so not inputs.
    assert!(err.contains("only-given exit=1"), "{err}");
    assert!(err.contains("environment: LANG=C\n"), "{err}");
    assert!(err.contains("apt: 90proxy 99new \n"), "{err}");
    assert!(err.contains("proxy: Acquire::http::Proxy"), "{err}");
}

#[test]
fn names_that_are_not_utf8_are_read_and_written() {
    let dir = tempfile::tempdir().unwrap();
    let name = |s: &[u8]| dir.path().join(std::ffi::OsStr::from_bytes(s));
    let catalog = name(b"catalog-\xff.txt");
    std::fs::write(&catalog, "https://127.0.0.1:9/\n").unwrap();
    let out = run_within([flag("urls"), flag("list"), catalog.clone().into()], LIMIT);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("127.0.0.1"), "{}", stdout(&out));

    let missing = name(b"missing-\xff.txt");
    let out = run_within([flag("urls"), flag("list"), missing.clone().into()], LIMIT);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing-\u{fffd}.txt"),
        "{}",
        stderr(&out)
    );

    let report = name(b"report-\xfe.json");
    let mut spec = std::ffi::OsString::from("json=");
    spec.push(&report);
    let out = check(&catalog, &[&flag("--output"), &spec]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(std::fs::read(&report).unwrap().starts_with(b"{"));

    let pac = name(b"proxy-\xfd.pac");
    std::fs::write(&pac, "function FindProxyForURL(u, h) { return 'DIRECT'; }").unwrap();
    let out = run_within(
        [
            flag("pac"),
            flag("eval"),
            flag("-p"),
            pac.clone().into(),
            flag("--url"),
            flag("https://example.com/"),
        ],
        LIMIT,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("DIRECT"), "{}", stdout(&out));
}

#[test]
fn an_error_names_its_cause_once() {
    let out = run_within(["urls", "list", "/nonexistent/catalog.xlsx"], LIMIT);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    assert_eq!(err.matches("/nonexistent/catalog.xlsx").count(), 1, "{err}");
}

/// `--output json=/dev/stdout` while the shell sends stdout to a file, and
/// one file named twice in two spellings. Round 18: an output that is
/// stdout takes stdout's place, so the file holds one whole report (a table
/// after the JSON made neither readable).
#[test]
fn stdout_redirected_to_a_file_gets_one_whole_report_and_one_file_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let out_file = dir.path().join("out.txt");
    let status = Command::new("sh")
        .args([
            "-c",
            r#""$1" check "$2" --direct --only-given --no-env --output json=/dev/stdout > "$3""#,
            "sh",
        ])
        .arg(pathprobe_tests::binary())
        .arg(&catalog)
        .arg(&out_file)
        .env("XDG_CONFIG_HOME", pathprobe_tests::NO_CONFIG_HOME)
        .status()
        .unwrap();
    assert!(matches!(status.code(), Some(0 | 1)));
    let text = std::fs::read_to_string(&out_file).unwrap();
    // The JSON, whole, and nothing else.
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(json["results"].as_array().unwrap().len(), 1);

    std::fs::create_dir(dir.path().join("d")).unwrap();
    let a = dir.path().join("d/r.json");
    let b = dir.path().join("d/../d/./r.json");
    let mut first = std::ffi::OsString::from("json=");
    first.push(&a);
    let mut second = std::ffi::OsString::from("csv=");
    second.push(&b);
    let out = check(
        &catalog,
        &[&flag("--output"), &first, &flag("--output"), &second],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the same file as"),
        "{}",
        stderr(&out)
    );
}

/// A PEM block whose body is valid base64 but not a certificate is refused
/// (it once became a trust anchor that never matched).
#[test]
fn a_damaged_certificate_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let pem = dir.path().join("ca.pem");
    std::fs::write(
        &pem,
        "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxsLCBqdXN0IHRleHQu\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let out = check(&catalog, &[&flag("--ca-cert"), pem.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("certificate 1 is damaged: its content is no X.509 certificate"),
        "{}",
        stderr(&out)
    );
    // Round 22: said in words, never as the library's debug form (the end
    // marker's bytes, "InvalidTrailingPadding", "Der(UnexpectedTag …)").
    for (body, said) in [
        (
            "-----BEGIN CERTIFICATE-----\nMIIB\n",
            "the first PEM block cannot be read: it has no \"-----END CERTIFICATE-----\" line",
        ),
        (
            "-----BEGIN PRIVATE KEY-----\nMIIB==x\n-----END PRIVATE KEY-----\n",
            "the first PEM block cannot be read: its content is not base64",
        ),
        (
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "certificate 1 is damaged",
        ),
    ] {
        std::fs::write(&pem, body).unwrap();
        let out = check(&catalog, &[&flag("--ca-cert"), pem.as_os_str()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(said), "{err}");
        assert!(
            !err.contains('[') && !err.contains("Der(") && !err.contains("Padding"),
            "{err}"
        );
    }
}

/// Messages quote inputs briefly: a 900 KB line in a scenario, a
/// configuration file or a catalog gives an error of a few kilobytes.
#[test]
fn an_error_quoting_a_huge_line_stays_short() {
    let dir = tempfile::tempdir().unwrap();
    let line = "x".repeat(900 * 1024);
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, format!("name = \"{line}\nbroken")).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("geo = \"{line}\"\n")).unwrap();
    let catalog = dir.path().join("catalog.csv");
    std::fs::write(
        &catalog,
        format!("url,category\nhttps://{line}.example/,x\n"),
    )
    .unwrap();
    let cases: [Vec<&std::ffi::OsStr>; 3] = [
        vec!["lab".as_ref(), "--scenario".as_ref(), scenario.as_os_str()],
        vec![
            "config".as_ref(),
            "show".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
        ],
        vec!["urls".as_ref(), "list".as_ref(), catalog.as_os_str()],
    ];
    for args in cases {
        let out = run_within(&args, LIMIT);
        let err = stderr(&out);
        assert!(
            err.len() < 8 * 1024,
            "{args:?}: {} bytes of stderr",
            err.len()
        );
        assert!(
            stdout(&out).len() < 200 * 1024 || out.status.code() == Some(0),
            "{args:?}"
        );
    }
}

/// Cells of any length: a 70,000-character URL once overflowed the table
/// library (a panic), and a 400 KB one took minutes to wrap.
#[test]
fn a_huge_url_is_listed_and_checked_quickly() {
    let dir = tempfile::tempdir().unwrap();
    for (name, length) in [("u70k.txt", 70_000), ("u400k.txt", 400_000)] {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("http://a.test/{}\n", "a".repeat(length))).unwrap();
        let started = Instant::now();
        let out = run_within([flag("urls"), flag("list"), path.clone().into()], LIMIT);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {}",
            stderr(&out)
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{name}: {:?}",
            started.elapsed()
        );
        let out = check(&path, &[]);
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "{name}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}

/// A catalog of more endpoints than any URL list has is refused, not
/// carried until a pipe breaks (a 31 MiB text list of 1.2 million lines
/// once ended with "Broken pipe", exit 3).
#[test]
fn a_catalog_of_a_quarter_million_lines_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.txt");
    let text: String = (0..250_000)
        .map(|i| format!("http://127.0.0.1:9/p{i}\n"))
        .collect();
    std::fs::write(&path, text).unwrap();
    let out = run_within(
        [flag("urls"), flag("list"), path.clone().into()],
        Duration::from_secs(120),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("more than the 200000"),
        "{}",
        stderr(&out)
    );
}

/// The run's inputs include the default configuration file and the files
/// of an input directory (`--apt-conf DIR`).
#[test]
fn the_default_configuration_and_input_directories_are_inputs_too() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = write_catalog(dir.path(), &["https://127.0.0.1:9/"]);
    let xdg = dir.path().join("xdg");
    std::fs::create_dir_all(xdg.join("pathprobe")).unwrap();
    let config = xdg.join("pathprobe/config.toml");
    std::fs::write(&config, "phase-timeout = 3\n").unwrap();
    let out = Command::new(pathprobe_tests::binary())
        .env("PATHPROBE_NO_CONTROL", "1")
        .args(["check", "--direct", "--only-given", "--no-env"])
        .arg(&catalog)
        .arg("--output")
        .arg(&config)
        .env("XDG_CONFIG_HOME", &xdg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "phase-timeout = 3\n"
    );

    let apt = dir.path().join("apt.conf.d");
    std::fs::create_dir(&apt).unwrap();
    std::fs::write(
        apt.join("90proxy"),
        "Acquire::http::Proxy \"http://127.0.0.1:9/\";\n",
    )
    .unwrap();
    let out = check(
        &catalog,
        &[
            &flag("--apt-conf"),
            apt.as_os_str(),
            &flag("--output"),
            apt.join("90proxy").as_os_str(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--apt-conf"), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(apt.join("90proxy"))
            .unwrap()
            .starts_with("Acquire")
    );
}

/// Inputs that made a third-party parser give up (a panic in the catalog
/// worker: calamine on a cell address past its arithmetic) or a suggestion
/// cost the square of a key's length: exit 2, briefly.
#[test]
fn a_parser_that_gives_up_or_a_huge_key_is_bad_input() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("bad.xlsx");
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&xlsx).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        let members = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            (
                "xl/worksheets/sheet1.xml",
                r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="ZZZZZZZZ99999999999" t="inlineStr"><is><t>https://a.example/</t></is></c></row></sheetData></worksheet>"#,
            ),
        ];
        for (name, text) in members {
            w.start_file(name, o).unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    let out = run_within([flag("urls"), flag("list"), xlsx.clone().into()], LIMIT);
    assert!(matches!(out.status.code(), Some(0 | 2)), "{}", stderr(&out));
    assert!(!stderr(&out).contains("worker failed"), "{}", stderr(&out));

    let config = dir.path().join("key.toml");
    std::fs::write(&config, format!("{} = 1\n", "k".repeat(300_000))).unwrap();
    let started = Instant::now();
    let out = run_within(
        [
            flag("check"),
            flag("--config"),
            config.clone().into(),
            flag("--only-given"),
        ],
        LIMIT,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).len() < 2000, "{} bytes", stderr(&out).len());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// A catalog of thousands of bad lines: twenty warnings, then a count (one
/// warning a line once wrote 16 MB on stderr).
#[test]
fn a_flood_of_warnings_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    let mut text: String = (0..5000)
        .map(|i| format!("http://bad host{i}/\n"))
        .collect();
    text.push_str("https://ok.example/\n");
    std::fs::write(&path, text).unwrap();
    for command in [["urls", "list"], ["urls", "export"]] {
        let mut args: Vec<std::ffi::OsString> = command.iter().map(flag).collect();
        args.push(path.clone().into());
        if command[1] == "export" {
            args.extend([flag("--as"), flag("domains")]);
        }
        let out = run_within(&args, LIMIT);
        let err = stderr(&out);
        assert!(err.len() < 8 * 1024, "{command:?}: {} bytes", err.len());
        assert!(
            err.contains("more warnings, not shown"),
            "{command:?}: {err}"
        );
    }
}

/// Smaller findings of a hostile round: `doctor` names a resolv.conf that is
/// a FIFO as such; `pac eval --url-file` is capped like a catalog; `pac eval
/// --timeout 1` shortens the PAC fetch from a server that never answers.
#[test]
fn doctor_url_file_and_fetch_timeout_hold_their_limits() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("resolv.fifo");
    mkfifo(&fifo);
    let out = run_within(
        [flag("doctor"), flag("--resolv-conf"), fifo.clone().into()],
        LIMIT,
    );
    assert!(stdout(&out).contains("a pipe (FIFO)"), "{}", stdout(&out));

    let urls = dir.path().join("urls.txt");
    let text: String = (0..200_001)
        .map(|i| format!("http://a{i}.example/\n"))
        .collect();
    std::fs::write(&urls, text).unwrap();
    let pac = dir.path().join("p.pac");
    std::fs::write(&pac, "function FindProxyForURL(u, h) { return 'DIRECT'; }").unwrap();
    let out = run_within(
        [
            flag("pac"),
            flag("eval"),
            flag("-p"),
            pac.clone().into(),
            flag("--url-file"),
            urls.clone().into(),
        ],
        LIMIT,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("more than the 200000"),
        "{}",
        stderr(&out)
    );

    let silent = pathprobe_tests::lab::silent_server();
    let started = Instant::now();
    let out = run_within(
        [
            "pac",
            "eval",
            "-p",
            &format!("http://127.0.0.1:{silent}/p.pac"),
            "--timeout",
            "1",
            "--url",
            "https://example.com/",
        ],
        LIMIT,
    );
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

/// A lab scenario whose PAC cannot be used is a bad input file (exit 2),
/// not an internal error; one that loops for each URL fails its endpoints
/// as `check` fails them, with the reason.
#[test]
fn a_scenario_with_an_unusable_pac_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = |name: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("name = \"bad PAC\"\nabout = \"x\"\nroute = \"pac\"\nproxy = \"closed\"\npac = \"\"\"\n{body}\n\"\"\"\n\n[[endpoint]]\nname = \"winatp-gw-weu.lab.test\"\nserve = \"ok\"\nexpect = \"ok\"\n"),
        )
        .unwrap();
        path
    };
    let broken = scenario(
        "broken.toml",
        "function FindProxyForURL(url, host) { return ( }",
    );
    let out = run_within([flag("lab"), flag("--scenario"), broken.into()], LIMIT);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("broken.toml") && stderr(&out).contains("syntax error"),
        "{}",
        stderr(&out)
    );

    let looping = scenario(
        "loop.toml",
        "function FindProxyForURL(url, host) { while (true) {} }",
    );
    let out = run_within([flag("lab"), flag("--scenario"), looping.into()], LIMIT);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Stopped by the time limit, or by the loop limit on a fast machine.
    assert!(
        stdout(&out).contains("finish within 5s") || stdout(&out).contains("RuntimeLimitError"),
        "{}",
        stdout(&out)
    );
}
