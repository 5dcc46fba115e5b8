//! The README's scenarios, run: every `console` block of README.md is executed
//! with trycmd against a lab on loopback and its output compared with the
//! block, so the documentation cannot drift from what pathprobe prints.
//!
//! The lab stands where the README's commands expect the real world: the
//! service names resolve (through a configuration file, as an administrator
//! would pin them) to lab servers on 127.77.0.x — an HTTPS origin on :443 and
//! a plain one on :80 for every catalog host, an authenticating squid as
//! `proxy.corp.example:3128`, and mitmproxy re-signing with a "Zscaler" CA as
//! `inspect.corp.example:8080`. Nothing leaves the machine.
//!
//! `README_LAB_HOLD=1 cargo test -p pathprobe-tests --test readme -- --nocapture`
//! keeps the lab up and prints how to run commands against it by hand.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;

use pathprobe_tests::lab::{TestCa, tls_origin_answering};
use pathprobe_tests::peers::{SquidSetup, mitmdump, require, require_squid, squid};
use pathprobe_tests::{binary, run, serve_http, workspace_root};

/// Accepts on `listen` and relays each connection to 127.0.0.1:`port`, so a
/// lab server with a random port appears at a fixed, realistic address.
fn forward(listen: &str, port: u16) {
    let listener = TcpListener::bind(listen).unwrap_or_else(|e| panic!("bind {listen}: {e}"));
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let Ok(server) = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], port))) else {
                continue;
            };
            for (mut from, mut to) in [
                (client.try_clone().unwrap(), server.try_clone().unwrap()),
                (server, client),
            ] {
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from, &mut to);
                    let _ = to.shutdown(std::net::Shutdown::Write);
                });
            }
        }
    });
}

/// Every host the catalog probes, in every geography.
fn catalog_hosts() -> Vec<String> {
    let out = run(["urls", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut hosts = Vec::new();
    collect_hosts(&v, &mut hosts);
    hosts.sort();
    hosts.dedup();
    hosts
}

fn collect_hosts(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                if k == "url"
                    && let Some(host) = x
                        .as_str()
                        .and_then(|u| url::Url::parse(u).ok())
                        .and_then(|u| u.host_str().map(str::to_owned))
                {
                    out.push(host);
                }
                collect_hosts(x, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| collect_hosts(x, out)),
        _ => {}
    }
}

#[test]
fn readme_scenarios_run_as_documented() {
    let (Some(squid_bin), Some(mitm_bin)) = (
        require_squid("readme_scenarios_run_as_documented"),
        require(
            "readme_scenarios_run_as_documented",
            &["/opt/pathprobe-mitmproxy/bin/mitmdump", "mitmdump"],
            "mitmproxy (PyPI mitmproxy)",
        ),
    ) else {
        return;
    };
    let hosts = catalog_hosts();
    assert!(hosts.len() > 20, "{hosts:?}");
    let names: Vec<&str> = hosts.iter().map(String::as_str).collect();

    let ca = TestCa::new("pathprobe README lab CA");
    // Each probe URL answers what the real service answers (the probe map
    // says: 200, or 400/404 by design).
    let map: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("urls/data/mde-probe-map.json")).unwrap(),
    )
    .unwrap();
    let statuses: Vec<(String, String, u16)> = map["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| {
            let u = url::Url::parse(t["url"].as_str()?).ok()?;
            let status = t["expect"].as_array()?.first()?.as_u64()?;
            Some((
                u.host_str()?.to_owned(),
                u[url::Position::BeforePath..].to_owned(),
                u16::try_from(status).ok()?,
            ))
        })
        .collect();
    forward(
        "127.77.0.1:443",
        tls_origin_answering(&ca, &names, move |host, path| {
            statuses
                .iter()
                .find(|(h, p, _)| h == host && p == path)
                .map_or(200, |(.., s)| *s)
        }),
    );
    forward(
        "127.77.0.1:80",
        serve_http(Some("text/plain"), b"ok".to_vec()),
    );
    let proxy = squid(
        &squid_bin,
        &SquidSetup {
            auth: Some(("svc-agent".into(), "not-used".into())),
            ..SquidSetup::default()
        },
    );
    forward("127.77.0.2:3128", proxy.port);
    let zscaler = TestCa::new("Zscaler Root CA");
    let inspector = mitmdump(&mitm_bin, Some((zscaler.key_pem(), zscaler.pem())));
    forward("127.77.0.3:8080", inspector.port);

    // The lab machine's configuration: names pinned to the lab, the lab CA
    // trusted, the machine's own proxy settings not read.
    let home = tempfile::tempdir().unwrap();
    let config_dir = home.path().join("pathprobe");
    std::fs::create_dir_all(&config_dir).unwrap();
    let ca_file = home.path().join("lab-ca.pem");
    ca.write_pem(&ca_file);
    let mut resolve: Vec<String> = hosts
        .iter()
        .map(|h| format!("\"{h}=127.77.0.1\""))
        .collect();
    resolve.push("\"proxy.corp.example=127.77.0.2\"".into());
    resolve.push("\"inspect.corp.example=127.77.0.3\"".into());
    std::fs::write(
        config_dir.join("config.toml"),
        format!(
            "only-given = true\nno-env = true\nca-cert = [\"{}\"]\nresolve = [{}]\n",
            ca_file.display(),
            resolve.join(", ")
        ),
    )
    .unwrap();

    // The README is run from a scratch directory: trycmd runs a case's
    // commands in `<name>.in/` beside it, so the files they write (a bundle,
    // a report) land there and not in the source tree.
    let work = tempfile::tempdir().unwrap();
    let readme = work.path().join("README.md");
    std::fs::copy(workspace_root().join("README.md"), &readme).unwrap();
    let cwd = work.path().join("README.in");
    std::fs::create_dir(&cwd).unwrap();

    if std::env::var_os("README_LAB_HOLD").is_some() {
        eprintln!(
            "lab up: run e.g.\n  XDG_CONFIG_HOME={} {} check --geo EU\n(cwd {}); Ctrl-C to stop",
            home.path().display(),
            binary().display(),
            work.path().display()
        );
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }

    trycmd::TestCases::new()
        .register_bin("pathprobe", binary())
        .env("XDG_CONFIG_HOME", home.path().display().to_string())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        // The control probes would ask Microsoft's connectivity test on the
        // internet; the lab stands in for the catalog's hosts only.
        .env("PATHPROBE_NO_CONTROL", "1")
        // The machine's environment names a proxy (the "which proxy" scenario);
        // the check's configuration does not read it.
        .env("HTTPS_PROXY", "http://proxy.corp.example:3128")
        .env("NO_PROXY", ".corp.example")
        // Whatever the machine running the tests has is blanked (an empty
        // variable counts as unset).
        .env("https_proxy", "")
        .env("http_proxy", "")
        .env("HTTP_PROXY", "")
        .env("all_proxy", "")
        .env("ALL_PROXY", "")
        .env("no_proxy", "")
        .case(&readme)
        .run();
    // The scenarios' files were written where intended.
    assert!(cwd.join("ticket.zip").is_file() && cwd.join("report.json").is_file());
    for stray in ["ticket.zip", "report.json"] {
        assert!(
            !Path::new(env!("CARGO_MANIFEST_DIR")).join(stray).exists(),
            "{stray} written into the source tree"
        );
    }
}
