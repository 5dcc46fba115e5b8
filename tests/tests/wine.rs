//! The Windows build under Wine, as a user runs it on Windows:
//! `check` through squid (open, denying, asking credentials) and mitmproxy,
//! a support bundle written and read back, and the proxy settings Windows
//! keeps in its registry, written with `wine reg add` the way Group Policy,
//! `netsh winhttp set proxy` and Internet Options write them.
//!
//! Built only with the `wine` feature: scripts/check-windows.sh (run by
//! CI) builds `pathprobe.exe`, makes a Wine prefix of its own and runs this
//! file with `PATHPROBE_WINE_EXE` naming the exe, so every [`Pathprobe`] run
//! here is the Windows build. The peers (squid, mitmproxy, the lab's TLS
//! origins and DNS) are the Linux ones of the other tests, on loopback.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Command;

use pathprobe_tests::lab::{TestCa, dns_server, tls_origin};
use pathprobe_tests::peers::{mitmdump, require};
use pathprobe_tests::{Pathprobe, WINE_EXE, check_json, scenarios, stderr, stdout, write_catalog};

/// The exe under test; this file runs only from check-windows.sh, which
/// names it (a run without it would test the Linux binary and prove nothing).
fn exe() -> String {
    let exe = std::env::var(WINE_EXE).unwrap_or_else(|_| {
        panic!("{WINE_EXE} is not set: run scripts/check-windows.sh, which builds pathprobe.exe")
    });
    let version = stdout(&Pathprobe::new(["--version"]).output());
    assert!(
        version.contains("x86_64-pc-windows"),
        "not the Windows build: {version}"
    );
    exe
}

/// The same checks through real peers as `peers_check.rs`, here by the
/// Windows build.
#[test]
fn check_through_squid_open_and_denying() {
    let _ = exe();
    scenarios::squid_open_proxy_carries_the_probe_and_denies_by_rule();
}

#[test]
fn check_through_squid_asking_credentials() {
    let _ = exe();
    scenarios::squid_with_authentication_offers_its_schemes_and_checks_credentials();
}

#[test]
fn check_through_mitmproxy_finds_the_interception() {
    let _ = exe();
    scenarios::mitmproxy_interception_is_detected_with_its_own_ca_and_a_product_ca();
}

#[test]
fn a_bundle_is_written_and_read_back() {
    let _ = exe();
    let ca = TestCa::new("pathprobe bundle CA");
    let origin = tls_origin(&ca, &["ok.lab.test"], 200);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.pem_in(dir.path());
    let cat = write_catalog(
        dir.path(),
        &[
            &format!("https://ok.lab.test:{origin}/"),
            "https://missing.lab.test/",
        ],
    );
    let zip = dir.path().join("ticket.zip");
    let dns = dns_server().to_string();
    let out = Pathprobe::new([
        "bundle",
        cat.to_str().unwrap(),
        "--only-given",
        "--no-env",
        "--direct",
        "--dns-server",
        &dns,
        "--resolve",
        "ok.lab.test=127.0.0.1",
        "--ca-cert",
        ca_file.to_str().unwrap(),
        "--phase-timeout",
        "10",
        "--output",
        zip.to_str().unwrap(),
    ])
    .within(std::time::Duration::from_secs(300))
    .output();
    assert!(
        zip.is_file(),
        "no bundle: {}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let out = Pathprobe::new(["bundle", "inspect", zip.to_str().unwrap()])
        .within(std::time::Duration::from_secs(120))
        .output();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    assert!(
        text.contains("ok.lab.test") && text.contains("dns_failure"),
        "{text}"
    );
}

/// `wine reg add KEY /v NAME /t TYPE /d DATA /f` in the test's Wine prefix.
fn reg_add(key: &str, name: &str, ty: &str, data: &str) {
    let out = Command::new("wine")
        .args(["reg", "add", key, "/v", name, "/t", ty, "/d", data, "/f"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "wine reg add {key} {name}: {}",
        stderr(&out)
    );
}

fn reg_delete(key: &str, name: &str) {
    let _ = Command::new("wine")
        .args(["reg", "delete", key, "/v", name, "/f"])
        .output();
}

/// A connection blob (`WinHttpSettings`, `DefaultConnectionSettings`) as
/// the hex `reg add` takes: version, counter, flags, then each string
/// behind its length.
fn blob_hex(version: u32, flags: u32, strings: &[&str]) -> String {
    let mut bytes = Vec::new();
    for word in [version, 1, flags] {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    for s in strings {
        bytes.extend_from_slice(&u32::try_from(s.len()).unwrap().to_le_bytes());
        bytes.extend_from_slice(s.as_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `proxy explain` of one URL for a profile, from the live registry (no
/// `--only-given`: that would read nothing of the machine).
fn explain(profile: &str) -> serde_json::Value {
    let (v, out) = Pathprobe::new([
        "proxy",
        "explain",
        "--no-env",
        "--profile",
        profile,
        "--format",
        "json",
        "https://winatp-gw-weu.microsoft.com/",
    ])
    .within(std::time::Duration::from_secs(120))
    .json();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    v
}

/// The setting in force for the URL: its source's kind, place and key, and
/// the first route it gives.
fn in_force(v: &serde_json::Value) -> (String, String, String, String) {
    let url = &v["urls"][0];
    let by = &url["decided_by"];
    let route = &url["routes"][0];
    (
        by["kind"].as_str().unwrap_or_default().to_owned(),
        by["location"].as_str().unwrap_or_default().to_owned(),
        by["key"].as_str().unwrap_or_default().to_owned(),
        format!(
            "{}:{}",
            route["host"].as_str().unwrap_or_default(),
            route["port"]
        ),
    )
}

const POLICY: &str = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\DataCollection";
const MACHINE: &str =
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections";
const USER: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections";
/// The same key as pathprobe names it.
const USER_READ: &str =
    r"HKCU\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections";

/// The registry tests share one Wine prefix: they run one after another.
#[test]
fn the_registry_settings_are_read_as_windows_clients_read_them() {
    let _ = exe();
    reg_delete(POLICY, "TelemetryProxyServer");
    reg_add(
        MACHINE,
        "WinHttpSettings",
        "REG_BINARY",
        &blob_hex(0x18, 3, &["127.0.0.2:3128", "<local>"]),
    );
    reg_add(
        USER,
        "DefaultConnectionSettings",
        "REG_BINARY",
        &blob_hex(0x46, 3, &["127.0.0.3:8888", "<local>", ""]),
    );
    // The agent: WinHTTP; the user's applications: Internet Options.
    let (kind, place, key, route) = in_force(&explain("agent"));
    assert_eq!(
        (kind.as_str(), place.as_str(), key.as_str(), route.as_str()),
        (
            "win_http",
            MACHINE,
            "WinHttpSettings (proxy server)",
            "127.0.0.2:3128"
        )
    );
    let (kind, place, key, route) = in_force(&explain("system"));
    assert_eq!(
        (kind.as_str(), place.as_str(), key.as_str(), route.as_str()),
        (
            "win_inet",
            USER_READ,
            "DefaultConnectionSettings (proxy server)",
            "127.0.0.3:8888"
        )
    );
    // Internet Options' automatic configuration script comes before its
    // proxy server, as WinINet tries them.
    reg_add(
        USER,
        "DefaultConnectionSettings",
        "REG_BINARY",
        &blob_hex(
            0x46,
            0x07,
            &["127.0.0.3:8888", "", "http://127.0.0.1:9/proxy.pac"],
        ),
    );
    let system = explain("system");
    let sources = system["sources"].to_string();
    assert!(
        sources.contains("DefaultConnectionSettings (automatic configuration script)")
            && sources.contains("http://127.0.0.1:9/proxy.pac"),
        "{system:#}"
    );

    // The agent's own policy comes before WinHTTP.
    reg_add(POLICY, "TelemetryProxyServer", "REG_SZ", "127.0.0.1:18080");
    let (kind, _, key, route) = in_force(&explain("agent"));
    assert_eq!(
        (kind.as_str(), key.as_str(), route.as_str()),
        (
            "windows_telemetry_policy",
            "TelemetryProxyServer",
            "127.0.0.1:18080"
        )
    );

    // A policy of the wrong type and a cut blob are problems, never DIRECT.
    reg_add(POLICY, "TelemetryProxyServer", "REG_DWORD", "1");
    let agent = explain("agent");
    assert!(
        agent["problems"].to_string().contains("REG_DWORD"),
        "{agent:#}"
    );
    assert_ne!(
        agent["urls"][0]["routes"].to_string(),
        r#"[{"type":"direct"}]"#,
        "{agent:#}"
    );
    reg_delete(POLICY, "TelemetryProxyServer");
    let cut = blob_hex(0x18, 3, &["127.0.0.2:3128"]);
    reg_add(
        MACHINE,
        "WinHttpSettings",
        "REG_BINARY",
        &cut[..cut.len() - 8],
    );
    let agent = explain("agent");
    assert!(
        agent["problems"].to_string().contains("remain"),
        "{agent:#}"
    );
}

/// A company CA in the Windows Root store (put there with crypt32, as a
/// policy does): an interception signed by it is "trusted by the OS store
/// only", and `doctor` counts the Windows store, not a Linux bundle, and
/// shows the adapters' DNS servers.
#[test]
fn the_windows_certificate_store_is_the_os_store() {
    let exe = exe();
    let Some(binary) = require(
        "wine windows store",
        &["/opt/pathprobe-mitmproxy/bin/mitmdump", "mitmdump"],
        "mitmproxy (PyPI mitmproxy)",
    ) else {
        return;
    };
    let doctor = |what: &str| {
        let (v, out) = Pathprobe::new([
            "doctor",
            "--url",
            "https://127.0.0.1:9/",
            "--format",
            "json",
        ])
        .within(std::time::Duration::from_secs(120))
        .json();
        assert!(
            v["trust"]["os_store"]
                .as_str()
                .is_some_and(|s| s.contains("Windows certificate store")),
            "{what}: {v:#}\n{}",
            stderr(&out)
        );
        // DNS as Windows keeps it: on the adapters, not in a resolv.conf.
        assert_eq!(
            v["dns"]["file"], "the network adapters' DNS settings",
            "{v:#}"
        );
        v["trust"]["os_store_certificates"].as_u64().unwrap()
    };
    let before = doctor("before");
    let corp = TestCa::new("Corp Inspection CA");
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("corp.pem");
    std::fs::write(&pem, corp.pem()).unwrap();
    let tool = std::path::Path::new(&exe).with_file_name("add_root.exe");
    let out = Command::new("wine").arg(&tool).arg(&pem).output().unwrap();
    assert!(out.status.success(), "add_root: {}", stderr(&out));
    assert_eq!(doctor("after"), before + 1);

    let proxy = mitmdump(&binary, Some((corp.key_pem(), corp.pem())));
    let cat = write_catalog(dir.path(), &["https://winatp-gw-weu.microsoft.com/"]);
    let (v, out) = check_json(
        &[
            cat.to_str().unwrap(),
            "--proxy",
            &format!("http://127.0.0.1:{}", proxy.port),
        ],
        "10",
    );
    let r = &v["results"][0];
    assert_eq!(r["verdict"], "tls_intercepted", "{}\n{r:#}", stderr(&out));
    let evidence = r["attempts"][0]["evidence"].to_string();
    assert!(
        evidence.contains("trusted by: the OS store only")
            && evidence.contains("Corp Inspection CA"),
        "{evidence}"
    );
}
