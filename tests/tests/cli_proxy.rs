//! `pathprobe proxy explain` on settings files written as each tool writes
//! them, a PAC served from loopback, and (when dnsmasq is installed) WPAD
//! over real DNS.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pathprobe_tests::json_of as json;
use pathprobe_tests::{run_with_env, stderr, stdout};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A DNS server on loopback that answers every question with NXDOMAIN, so
/// that no lookup leaves the machine and none waits for a timeout.
fn silent_dns() -> ((), String) {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = s.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = s.recv_from(&mut buf) {
            if n < 12 {
                continue;
            }
            let mut reply = buf[..n].to_vec();
            reply[2] = 0x81; // response, recursion desired
            reply[3] = 0x83; // recursion available, NXDOMAIN
            let _ = s.send_to(&reply, from);
        }
    });
    ((), addr)
}

fn explain(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut all = vec!["proxy", "explain", "--only-given", "--format", "json"];
    all.extend_from_slice(args);
    run_with_env(all, env)
}

#[test]
fn the_agent_on_linux_uses_its_managed_proxy_and_says_what_it_ignores() {
    let dir = tempfile::tempdir().unwrap();
    let mdatp = write(
        dir.path(),
        "mdatp_managed.json",
        r#"{"cloudService": {"proxy": "http://svc:Secr3t-pw@proxy.corp.example:8080/"}}"#,
    );
    let gsettings = write(
        dir.path(),
        "gsettings.txt",
        "org.gnome.system.proxy mode 'auto'\norg.gnome.system.proxy autoconfig-url 'http://pac.corp.example/p.pac?key=Secr3t-key'\n",
    );
    let (_dns, dns) = silent_dns();
    let out = explain(
        &[
            "https://winatp-gw-weu.microsoft.com/",
            "--profile",
            "agent",
            "--os",
            "linux",
            "--mdatp-config",
            mdatp.to_str().unwrap(),
            "--gsettings-file",
            gsettings.to_str().unwrap(),
            "--dns-server",
            &dns,
        ],
        &[("https_proxy", "http://envuser:Secr3t-env@envproxy:3128")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains("Secr3t"), "a secret leaked:\n{all}");
    let v = json(&out);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["sources"][0]["provenance"]["kind"], "mdatp_managed");
    assert_eq!(v["sources"][0]["standing"]["status"], "winner");
    let kinds: Vec<(&str, &str)> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["provenance"]["kind"].as_str().unwrap(),
                s["standing"]["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(kinds.contains(&("environment", "ignored")), "{kinds:?}");
    assert!(kinds.contains(&("gnome", "ignored")), "{kinds:?}");
    assert_eq!(v["urls"][0]["routes"][0]["host"], "proxy.corp.example");
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("authenticated proxy"), "{warnings}");
    assert!(
        warnings.contains("does not use PAC files or WPAD"),
        "{warnings}"
    );
}

#[test]
fn the_system_profile_on_linux_follows_curl_and_its_bypass_list() {
    let (_dns, dns) = silent_dns();
    let out = explain(
        &[
            "https://winatp-gw-weu.microsoft.com/",
            "https://intranet.corp.example/",
            "http://crl.microsoft.com/",
            "--os",
            "linux",
            "--dns-server",
            &dns,
        ],
        &[
            ("https_proxy", "http://proxy.corp.example:3128"),
            ("HTTP_PROXY", "http://upper:1"),
            ("NO_PROXY", "localhost,.corp.example"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let urls = v["urls"].as_array().unwrap();
    assert_eq!(urls[0]["routes"][0]["host"], "proxy.corp.example");
    assert_eq!(urls[1]["routes"][0]["type"], "direct");
    assert!(
        urls[1]["detail"]
            .as_str()
            .unwrap()
            .contains(".corp.example")
    );
    // curl ignores HTTP_PROXY in capitals: http URLs go direct, and we say why.
    assert_eq!(urls[2]["routes"][0]["type"], "direct");
    assert!(
        v["warnings"]
            .to_string()
            .contains("curl reads only http_proxy"),
        "{}",
        v["warnings"]
    );
}

#[test]
fn windows_agent_prefers_the_telemetry_policy_over_winhttp() {
    let dir = tempfile::tempdir().unwrap();
    let reg = write(
        dir.path(),
        "dc.reg",
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection]\r\n\"TelemetryProxyServer\"=\"telemetry.corp.example:8080\"\r\n",
    );
    let netsh = write(
        dir.path(),
        "netsh.txt",
        "\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  winhttp.corp.example:3128\r\n    Bypass List     :  <local>\r\n",
    );
    let (_dns, dns) = silent_dns();
    let agent = explain(
        &[
            "https://winatp-gw-weu.microsoft.com/",
            "--os",
            "windows",
            "--profile",
            "agent",
            "--telemetry-reg",
            reg.to_str().unwrap(),
            "--netsh-file",
            netsh.to_str().unwrap(),
            "--dns-server",
            &dns,
        ],
        &[],
    );
    let v = json(&agent);
    assert_eq!(v["urls"][0]["routes"][0]["host"], "telemetry.corp.example");
    // The agent falls back to a direct connection when its proxy does not answer.
    assert_eq!(v["urls"][0]["routes"][1]["type"], "direct");
    assert!(
        v["urls"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("connects directly")
    );
    assert_eq!(v["sources"][1]["standing"]["status"], "lost");
    let system = explain(
        &[
            "https://winatp-gw-weu.microsoft.com/",
            "http://printer/",
            "--os",
            "windows",
            "--telemetry-reg",
            reg.to_str().unwrap(),
            "--netsh-file",
            netsh.to_str().unwrap(),
            "--dns-server",
            &dns,
        ],
        &[],
    );
    let v = json(&system);
    assert_eq!(v["urls"][0]["routes"][0]["host"], "winhttp.corp.example");
    assert_eq!(
        v["urls"][1]["routes"][0]["type"], "direct",
        "<local> bypasses plain names"
    );
}

#[test]
fn auto_detection_uses_option_252_and_evaluates_the_pac() {
    let port = pathprobe_tests::serve_http(Some("application/x-ns-proxy-autoconfig"), "function FindProxyForURL(u, h) { return dnsDomainIs(h, '.microsoft.com') ? 'PROXY wpadproxy.corp.example:8080; DIRECT' : 'DIRECT'; }".into());
    let dir = tempfile::tempdir().unwrap();
    let lease = write(
        dir.path(),
        "dhclient.eth0.leases",
        &format!(
            "lease {{\n  interface \"eth0\";\n  option domain-name \"corp.example\";\n  option wpad \"http://127.0.0.1:{port}/wpad.dat\";\n}}\n"
        ),
    );
    let scutil = write(
        dir.path(),
        "scutil.txt",
        "<dictionary> {\n  HTTPEnable : 1\n  HTTPProxy : static.corp.example\n  HTTPPort : 3128\n  ProxyAutoDiscoveryEnable : 1\n}\n",
    );
    let (_dns, dns) = silent_dns();
    let out = explain(
        &[
            "https://winatp-gw-weu.microsoft.com/",
            "https://intranet.corp.example/",
            "--os",
            "macos",
            "--scutil-file",
            scutil.to_str().unwrap(),
            "--dhcp-lease",
            lease.to_str().unwrap(),
            "--dns-server",
            &dns,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        v["pac"]["found_by"]
            .as_str()
            .unwrap()
            .split(' ')
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
        "WPAD via DHCP"
    );
    assert_eq!(v["urls"][0]["routes"][0]["host"], "wpadproxy.corp.example");
    assert_eq!(v["urls"][0]["routes"][1]["type"], "direct");
    assert_eq!(
        v["urls"][0]["pac_answer"],
        "PROXY wpadproxy.corp.example:8080; DIRECT"
    );
    assert_eq!(v["urls"][1]["routes"][0]["type"], "direct");
    // The static proxy of the same settings is the fallback, not used here.
    let standings: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["standing"]["status"].as_str().unwrap())
        .collect();
    assert_eq!(&standings[..2], &["winner", "fallback"], "{standings:?}");
}

#[test]
fn a_pac_that_does_not_answer_falls_back_and_is_reported() {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let scutil = write(
        dir.path(),
        "scutil.txt",
        &format!(
            "<dictionary> {{\n  HTTPSEnable : 1\n  HTTPSProxy : static.corp.example\n  HTTPSPort : 3128\n  ProxyAutoConfigEnable : 1\n  ProxyAutoConfigURLString : http://127.0.0.1:{closed}/proxy.pac\n}}\n"
        ),
    );
    let (_dns, dns) = silent_dns();
    let out = explain(
        &[
            "https://winatp-gw-weu.microsoft.com/",
            "--os",
            "macos",
            "--scutil-file",
            scutil.to_str().unwrap(),
            "--dns-server",
            &dns,
        ],
        &[],
    );
    let v = json(&out);
    assert_eq!(v["urls"][0]["routes"][0]["host"], "static.corp.example");
    assert!(
        v["warnings"]
            .to_string()
            .contains("the PAC cannot be fetched"),
        "{}",
        v["warnings"]
    );
}

#[test]
fn broken_sources_are_reported_and_the_others_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(dir.path(), "mdatp_managed.json", "{ \"cloudService\": ");
    let netsh = write(
        dir.path(),
        "netsh.txt",
        "\nCurrent WinHTTP proxy settings:\n\n    Proxy Server(s) :  proxy.corp.example:3128\n    Bypass List     :  (none)\n",
    );
    let (_dns, dns) = silent_dns();
    let out = explain(
        &[
            "https://x.example/",
            "--os",
            "windows",
            "--mdatp-config",
            broken.to_str().unwrap(),
            "--netsh-file",
            netsh.to_str().unwrap(),
            "--dns-server",
            &dns,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    assert_eq!(v["urls"][0]["routes"][0]["host"], "proxy.corp.example");
    let missing = explain(
        &[
            "--mdatp-config",
            dir.path().join("absent.json").to_str().unwrap(),
        ],
        &[],
    );
    // A file named on the command line that cannot be read is bad input,
    // named (round 20: in `check` every URL became no_route); one that
    // reads but is broken is a problem of the settings, as above.
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("--mdatp-config")
            && stderr(&missing).contains("absent.json: cannot read"),
        "{}",
        stderr(&missing)
    );
    let bad_flag = explain(&["--proxy", "gopher://x"], &[]);
    assert_eq!(bad_flag.status.code(), Some(2));
    assert!(
        stderr(&bad_flag).contains("unknown proxy scheme"),
        "{}",
        stderr(&bad_flag)
    );
}

#[test]
fn the_table_names_the_winner_and_the_rule() {
    let (_dns, dns) = silent_dns();
    let out = run_with_env(
        [
            "proxy",
            "explain",
            "https://a.example/",
            "--only-given",
            "--os",
            "linux",
            "--dns-server",
            &dns,
        ],
        &[("https_proxy", "http://proxy.corp.example:3128")],
    );
    let text = stdout(&out);
    assert!(text.contains("Profile: system, Linux rules"), "{text}");
    assert!(text.contains("IN FORCE"), "{text}");
    assert!(text.contains("PROXY proxy.corp.example:3128"), "{text}");
}

fn dnsmasq() -> Option<PathBuf> {
    ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

#[test]
fn wpad_over_real_dns_from_the_resolv_conf_domain() {
    let Some(binary) = dnsmasq() else {
        pathprobe_tests::skipped(
            "wpad_over_real_dns_from_the_resolv_conf_domain",
            "dnsmasq is not installed (Debian package dnsmasq-base)",
        );
        return;
    };
    let http_port = pathprobe_tests::serve_http(
        Some("application/x-ns-proxy-autoconfig"),
        "function FindProxyForURL(u, h) { return 'PROXY dnswpad.corp.test:3128'; }".into(),
    );
    let dir = tempfile::tempdir().unwrap();
    let dns_port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(binary)
        .args([
            "--no-daemon",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            "--user=root",
            "--address=/wpad.corp.test/127.0.0.1",
            "--local=/test/",
        ])
        .arg(format!("--port={dns_port}"))
        .arg(format!("--pid-file={}", dir.path().join("pid").display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until dnsmasq answers a query for the name.
    let started = Instant::now();
    let mut query = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in ["wpad", "corp", "test"] {
        query.push(label.len() as u8);
        query.extend_from_slice(label.as_bytes());
    }
    query.extend_from_slice(&[0, 0, 1, 0, 1]);
    let probe = UdpSocket::bind("127.0.0.1:0").unwrap();
    probe
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "dnsmasq did not start"
        );
        let _ = probe.send_to(&query, ("127.0.0.1", dns_port));
        let mut answer = [0u8; 512];
        if probe.recv(&mut answer).is_ok() {
            break;
        }
    }
    let resolv = write(
        dir.path(),
        "resolv.conf",
        "nameserver 127.0.0.1\nsearch branch.corp.test\n",
    );
    let gsettings = write(
        dir.path(),
        "gsettings.txt",
        "org.gnome.system.proxy mode 'auto'\norg.gnome.system.proxy autoconfig-url ''\n",
    );
    let out = explain(
        &[
            "https://winatp-gw-weu.microsoft.com/",
            "--os",
            "linux",
            "--gsettings-file",
            gsettings.to_str().unwrap(),
            "--resolv-conf",
            resolv.to_str().unwrap(),
            "--dns-server",
            &format!("127.0.0.1:{dns_port}"),
            "--wpad-port",
            &http_port.to_string(),
        ],
        &[],
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let asked: Vec<&str> = v["wpad_dns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(asked, vec!["wpad.branch.corp.test", "wpad.corp.test"]);
    assert_eq!(v["urls"][0]["routes"][0]["host"], "dnswpad.corp.test");
    assert!(
        v["pac"]["found_by"]
            .as_str()
            .unwrap()
            .starts_with("WPAD via DNS")
    );
}

#[test]
fn a_pac_url_serving_html_is_called_out() {
    // A captive-portal style answer: 200 OK with an HTML page.
    let port = pathprobe_tests::serve_http(
        Some("text/html"),
        b"<!DOCTYPE html><html><body><form>Sign in to continue</form></body></html>".to_vec(),
    );
    let (_dns, dns) = silent_dns();
    let out = explain(
        &[
            "https://a.example/",
            "--os",
            "linux",
            "--pac",
            &format!("http://127.0.0.1:{port}/proxy.pac"),
            "--dns-server",
            &dns,
        ],
        &[],
    );
    // Given on the command line, a PAC that cannot be used is an input error.
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("HTML page"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
}

#[test]
fn five_megabytes_of_junk_as_a_pac_is_an_error_naming_the_source() {
    // Bytes that are neither UTF-8 nor JavaScript.
    let junk: Vec<u8> = (0..5 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 | 0x80)
        .collect();
    let port = pathprobe_tests::serve_http(None, junk);
    let (_dns, dns) = silent_dns();
    let out = explain(
        &[
            "https://a.example/",
            "--os",
            "linux",
            "--pac",
            &format!("http://127.0.0.1:{port}/junk.pac"),
            "--dns-server",
            &dns,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("junk.pac"), "{err}");
    assert!(err.contains("not UTF-8"), "{err}");
}

/// GNOME in 'auto' mode with no PAC URL is auto-detection; when WPAD finds
/// nothing, clients go direct, and the reason names that setting (it said
/// "no proxy setting found", as if GNOME had none).
#[test]
fn auto_detection_that_finds_nothing_is_the_reason_for_direct() {
    let (_dns, dns) = silent_dns();
    let dir = tempfile::tempdir().unwrap();
    let gsettings = write(
        dir.path(),
        "gsettings.txt",
        "org.gnome.system.proxy autoconfig-url ''\norg.gnome.system.proxy mode 'auto'\n",
    );
    let out = explain(
        &[
            "https://a.example/",
            "--os",
            "linux",
            "--profile",
            "system",
            "--no-env",
            "--dns-server",
            &dns,
            "--gsettings-file",
            gsettings.to_str().unwrap(),
        ],
        &[],
    );
    let text = stdout(&out);
    assert!(
        text.contains("auto-detection (WPAD), set by GNOME settings"),
        "{text}\n{}",
        stderr(&out)
    );
    assert!(!text.contains("no proxy setting found"), "{text}");
}

/// Round 22. `--apt-conf` and `--dhcp-lease` take a directory, as their
/// help says (apt.conf.d, /var/lib/dhcp): its files are read. It was
/// refused as "not a regular file: save its content to a file".
#[test]
fn settings_directories_are_read_where_the_help_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let apt = dir.path().join("apt.conf.d");
    std::fs::create_dir(&apt).unwrap();
    write(
        &apt,
        "10proxy",
        "Acquire::http::Proxy \"http://d.lab.test:3128\";\n",
    );
    let out = explain(
        &["--apt-conf", apt.to_str().unwrap(), "https://a.lab.test/"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("d.lab.test"), "{}", stdout(&out));
    // Round 23: what apt itself skips there (backups, `name~`, a name
    // with a space) is not read as a setting.
    write(
        &apt,
        "90proxy.dpkg-old",
        "Acquire::http::Proxy \"http://old.lab.test:1\";\n",
    );
    write(
        &apt,
        "50proxy~",
        "Acquire::http::Proxy \"http://tilde.lab.test:1\";\n",
    );
    write(
        &apt,
        "60 proxy",
        "Acquire::http::Proxy \"http://space.lab.test:1\";\n",
    );
    let out = explain(
        &["--apt-conf", apt.to_str().unwrap(), "https://a.lab.test/"],
        &[],
    );
    let text = stdout(&out);
    assert!(text.contains("d.lab.test"), "{text}");
    for skipped in ["old.lab.test", "tilde.lab.test", "space.lab.test"] {
        assert!(!text.contains(skipped), "{skipped}: {text}");
    }
    // A directory given where a file belongs is said as that.
    let out = explain(
        &[
            "--etc-environment",
            apt.to_str().unwrap(),
            "https://a.lab.test/",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is a directory, not a regular file: name a file in it"),
        "{}",
        stderr(&out)
    );
}

/// Round 22. A setting found but not readable is not "No proxy setting
/// found", which the table said above the problem itself.
#[test]
fn a_setting_that_cannot_be_read_is_not_called_absent() {
    let dir = tempfile::tempdir().unwrap();
    let gs = write(
        dir.path(),
        "gsettings.txt",
        "org.gnome.system.proxy mode 'manual'\norg.gnome.system.proxy.http host 'p.lab.test'\norg.gnome.system.proxy.http port 99999\n",
    );
    let out = run_with_env(
        [
            "proxy",
            "explain",
            "--only-given",
            "--no-env",
            "--gsettings-file",
            gs.to_str().unwrap(),
            "https://a.lab.test/",
        ],
        &[],
    );
    let text = stdout(&out);
    assert!(!text.contains("No proxy setting found"), "{text}");
    assert!(
        text.contains("No usable proxy setting: the one found could not be read"),
        "{text}"
    );
}
