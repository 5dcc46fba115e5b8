//! Readers of proxy settings files and command outputs, on fixtures written
//! the way each tool writes them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_pac::discovery::{
    ConnectionBlob, Found, ProxyConfig, SourceKind, from_apt_conf, from_connection_blob,
    from_etc_environment, from_gsettings, from_mac_managed_plist, from_mdatp_managed_json,
    from_netsh_advproxy, from_netsh_show_proxy, from_reg_export, from_scutil_proxy,
    from_telemetry_value,
};

/// (http, https, all, bypass entries) of a static setting.
fn statics(found: &Found) -> (Option<String>, Option<String>, Option<String>, Vec<String>) {
    match &found.config {
        ProxyConfig::Static {
            http,
            https,
            all,
            bypass,
            ..
        } => (
            http.as_ref().map(ToString::to_string),
            https.as_ref().map(ToString::to_string),
            all.as_ref().map(ToString::to_string),
            bypass.entries.clone(),
        ),
        other => panic!("not static: {other:?}"),
    }
}

fn pac_of(found: &Found) -> String {
    match &found.config {
        ProxyConfig::Pac { location } => location.display(),
        other => panic!("not a PAC: {other:?}"),
    }
}

const MDATP: &str = "/etc/opt/microsoft/mdatp/managed/mdatp_managed.json";

#[test]
fn mdatp_managed_json() {
    let text = r#"{
  "antivirusEngine": { "enforcementLevel": "real_time" },
  "cloudService": { "enabled": true, "proxy": "http://proxy.corp.example:8080/" }
}"#;
    let found = from_mdatp_managed_json(MDATP, text).unwrap();
    assert_eq!(found[0].provenance.kind, SourceKind::MdatpManaged);
    assert_eq!(
        found[0].provenance.key.as_deref(),
        Some("cloudService.proxy")
    );
    let (http, https, _, _) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://proxy.corp.example:8080"));
    assert_eq!(https, http);
    assert!(found[0].warnings.is_empty(), "{:?}", found[0].warnings);

    assert!(
        from_mdatp_managed_json(MDATP, r#"{"cloudService": {"enabled": true}}"#)
            .unwrap()
            .is_empty()
    );
    let bad =
        from_mdatp_managed_json(MDATP, "{\n  \"cloudService\": {\n    \"proxy\": \n}").unwrap_err();
    assert!(bad.message.contains("line 4"), "{bad}");
    assert!(bad.to_string().contains("mdatp_managed.json"), "{bad}");
    let num = from_mdatp_managed_json(MDATP, r#"{"cloudService": {"proxy": 8080}}"#).unwrap_err();
    assert!(num.message.contains("not a string"));
    let auth = from_mdatp_managed_json(
        MDATP,
        r#"{"cloudService": {"proxy": "http://svc:Pa55@proxy:3128"}}"#,
    )
    .unwrap();
    assert!(auth[0].warnings[0].contains("authenticated proxy"));
    assert!(!format!("{auth:?}").contains("Pa55"));
}

#[test]
fn macos_managed_plist() {
    let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>cloudService</key>
    <dict>
        <key>enabled</key>
        <true/>
        <key>proxy</key>
        <string>http://proxy.corp.example:3128/</string>
    </dict>
</dict>
</plist>"#;
    let found = from_mac_managed_plist("com.microsoft.wdav.plist", xml).unwrap();
    assert_eq!(
        statics(&found[0]).0.as_deref(),
        Some("http://proxy.corp.example:3128")
    );
    let none = br#"<?xml version="1.0"?><plist version="1.0"><dict><key>cloudService</key><dict/></dict></plist>"#;
    assert!(from_mac_managed_plist("p", none).unwrap().is_empty());
    assert!(
        from_mac_managed_plist("p", b"not a plist")
            .unwrap_err()
            .message
            .contains("property list")
    );
    // Round 22: a binary plist cut short is said in words, not as the
    // library's debug form.
    let cut = from_mac_managed_plist("p", b"bplist00\xd1\x01\x02").unwrap_err();
    assert!(
        cut.message.contains("cut short or damaged")
            && !cut.message.contains("Io(")
            && !cut.message.contains("kind:"),
        "{cut}"
    );
}

fn utf16_reg(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

#[test]
fn telemetry_proxy_from_a_reg_export() {
    let reg = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection]\r\n\"AllowTelemetry\"=dword:00000001\r\n\"TelemetryProxyServer\"=\"proxy.corp.example:8080\"\r\n\"DisableEnterpriseAuthProxy\"=dword:00000001\r\n";
    let found = from_reg_export("datacollection.reg", &utf16_reg(reg)).unwrap();
    assert_eq!(found[0].provenance.kind, SourceKind::WindowsTelemetryPolicy);
    assert!(
        found[0]
            .provenance
            .key
            .as_deref()
            .unwrap()
            .ends_with("DataCollection\\TelemetryProxyServer")
    );
    assert_eq!(
        statics(&found[0]).0.as_deref(),
        Some("http://proxy.corp.example:8080")
    );
    // UTF-8 exports work too; a wrong type is reported with its line.
    let dword = "Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection]\n\"TelemetryProxyServer\"=dword:00000001\n";
    let e = from_reg_export("x.reg", dword.as_bytes()).unwrap_err();
    assert!(
        e.message.contains("line 3") && e.message.contains("REG_SZ"),
        "{e}"
    );
    let elsewhere = "Windows Registry Editor Version 5.00\n[HKEY_CURRENT_USER\\Software\\Other]\n\"TelemetryProxyServer\"=\"p:1\"\n";
    assert!(
        from_reg_export("x.reg", elsewhere.as_bytes())
            .unwrap_err()
            .message
            .contains("DataCollection")
    );
    assert!(
        from_reg_export("x.reg", b"hello")
            .unwrap_err()
            .message
            .contains("registry export")
    );
    let absent = "Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection]\n";
    assert!(
        from_reg_export("x.reg", absent.as_bytes())
            .unwrap()
            .is_empty()
    );
    // Round 22. As regedit imports it: the last value written is in force
    // (said), a value or key deleted afterwards is gone, and a string that
    // does not close is said as that, without its text.
    let key = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection]";
    let head = "Windows Registry Editor Version 5.00\n";
    let twice = format!(
        "{head}{key}\n\"TelemetryProxyServer\"=\"bob:HUNTER2@px1.test:8080\"\n\"TelemetryProxyServer\"=\"px2.test:8080\"\n"
    );
    let found = from_reg_export("x.reg", twice.as_bytes()).unwrap();
    assert_eq!(
        statics(&found[0]).0.as_deref(),
        Some("http://px2.test:8080")
    );
    assert!(
        found[0]
            .warnings
            .iter()
            .any(|w| w.contains("written 2 times; the last, on line 4")),
        "{:?}",
        found[0].warnings
    );
    let key_twice = format!(
        "{head}{key}\n\"TelemetryProxyServer\"=\"px1.test:8080\"\n{key}\n\"TelemetryProxyServer\"=\"px2.test:8080\"\n"
    );
    let found = from_reg_export("x.reg", key_twice.as_bytes()).unwrap();
    assert_eq!(
        statics(&found[0]).0.as_deref(),
        Some("http://px2.test:8080")
    );
    let key_deleted = format!(
        "{head}{key}\n\"TelemetryProxyServer\"=\"px1.test:8080\"\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\DataCollection]\n"
    );
    assert!(
        from_reg_export("x.reg", key_deleted.as_bytes())
            .unwrap()
            .is_empty()
    );
    let value_deleted = format!(
        "{head}{key}\n\"TelemetryProxyServer\"=\"px1.test:8080\"\n\"TelemetryProxyServer\"=-\n"
    );
    assert!(
        from_reg_export("x.reg", value_deleted.as_bytes())
            .unwrap()
            .is_empty()
    );
    let unclosed = format!("{head}{key}\n\"TelemetryProxyServer\"=\"bob:PW7@px.test:8080\n");
    let e = from_reg_export("x.reg", unclosed.as_bytes()).unwrap_err();
    assert!(
        e.message
            .contains("line 3: TelemetryProxyServer's string does not close")
            && !e.to_string().contains("PW7"),
        "{e}"
    );
}

#[test]
fn netsh_show_proxy_in_several_languages() {
    let english = "\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  proxy.corp.example:8080\r\n    Bypass List     :  <local>;*.corp.example\r\n\r\n";
    let found = from_netsh_show_proxy("netsh.txt", english).unwrap();
    let (http, _, _, bypass) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://proxy.corp.example:8080"));
    assert_eq!(bypass, vec!["<local>", "*.corp.example"]);

    let german = "\nAktuelle WinHTTP-Proxyeinstellungen:\n\n    Proxyserver:  http=proxy:80;https=sproxy:443\n    Umgehungsliste:  (keine)\n";
    let found = from_netsh_show_proxy("netsh.txt", german).unwrap();
    let (http, https, _, bypass) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://proxy:80"));
    assert_eq!(https.as_deref(), Some("http://sproxy:443"));
    assert!(bypass.is_empty());

    for direct in [
        "\nCurrent WinHTTP proxy settings:\n\n    Direct access (no proxy server).\n",
        "\nParamètres actuels du proxy WinHTTP :\n\n    Accès direct (pas de serveur proxy).\n",
    ] {
        let found = from_netsh_show_proxy("netsh.txt", direct).unwrap();
        assert_eq!(found[0].config, ProxyConfig::Direct, "{direct}");
    }
    let french = "\nParamètres actuels du proxy WinHTTP :\n\n    Serveur(s) proxy :  proxy.corp:3128\n    Liste de contournement :  (aucun)\n";
    let found = from_netsh_show_proxy("netsh.txt", french).unwrap();
    assert_eq!(
        statics(&found[0]).0.as_deref(),
        Some("http://proxy.corp:3128")
    );
    assert!(from_netsh_show_proxy("netsh.txt", "").is_err());
    // A list: the first is probed, and the others are said, not dropped.
    let listed = "\nCurrent WinHTTP proxy settings:\n\n    Proxy Server(s) :  p1.corp:8080;p2.corp:8080\n    Bypass List     :  (none)\n";
    let found = from_netsh_show_proxy("netsh.txt", listed).unwrap();
    assert_eq!(statics(&found[0]).0.as_deref(), Some("http://p1.corp:8080"));
    assert!(
        found[0].warnings.iter().any(|w| w.contains("p2.corp:8080")),
        "{:?}",
        found[0].warnings
    );
}

#[test]
fn netsh_advproxy_json() {
    let text = "Current WinHTTP advanced proxy settings:\n\n{\n\t\"Proxy\":\t\"proxy.corp:8080\",\n\t\"ProxyBypass\":\t\"<local>\",\n\t\"AutoconfigUrl\":\t\"http://pac.corp/proxy.pac?token=abc\",\n\t\"AutoDetect\":\ttrue\n}\n";
    let found = from_netsh_advproxy("advproxy.txt", text).unwrap();
    assert_eq!(found.len(), 3);
    assert_eq!(found[0].config, ProxyConfig::AutoDetect);
    assert_eq!(
        pac_of(&found[1]),
        "http://pac.corp/proxy.pac?token=REDACTED"
    );
    assert_eq!(statics(&found[2]).3, vec!["<local>"]);
    let direct =
        from_netsh_advproxy("a", "Current WinHTTP advanced proxy settings:\n\n{\n}\n").unwrap();
    assert_eq!(direct[0].config, ProxyConfig::Direct);
    assert!(
        from_netsh_advproxy("a", "Current:\n{ \"Proxy\": }")
            .unwrap_err()
            .message
            .contains("JSON")
    );
}

#[test]
fn scutil_proxy() {
    let text = "<dictionary> {\n  ExceptionsList : <array> {\n    0 : *.local\n    1 : 169.254/16\n  }\n  FTPPassive : 1\n  HTTPEnable : 1\n  HTTPPort : 8080\n  HTTPProxy : proxy.corp.example\n  HTTPSEnable : 1\n  HTTPSPort : 8443\n  HTTPSProxy : sproxy.corp.example\n  ProxyAutoConfigEnable : 1\n  ProxyAutoConfigURLString : http://pac.corp.example/proxy.pac\n  ProxyAutoDiscoveryEnable : 0\n}\n";
    let found = from_scutil_proxy("scutil.txt", text).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(pac_of(&found[0]), "http://pac.corp.example/proxy.pac");
    let (http, https, all, bypass) = statics(&found[1]);
    assert_eq!(http.as_deref(), Some("http://proxy.corp.example:8080"));
    assert_eq!(https.as_deref(), Some("http://sproxy.corp.example:8443"));
    assert_eq!(all, None);
    assert_eq!(bypass, vec!["*.local", "169.254/16"]);
    let off = from_scutil_proxy(
        "s",
        "<dictionary> {\n  HTTPEnable : 0\n  ProxyAutoDiscoveryEnable : 1\n}\n",
    )
    .unwrap();
    assert_eq!(off[0].config, ProxyConfig::AutoDetect);
    assert!(from_scutil_proxy("s", "garbage").is_err());
    // An enabled proxy that cannot be used is kept as unusable (its URLs
    // get no route), and does not hide what stands beside it (round 22: a
    // bad HTTPPort hid the PAC in force).
    let broken = from_scutil_proxy("s", "<dictionary> {\n  HTTPEnable : 1\n}\n").unwrap();
    assert!(
        format!("{broken:?}").contains("HTTPProxy is missing"),
        "{broken:?}"
    );
    let beside = "<dictionary> {\n  HTTPEnable : 1\n  HTTPPort : 99999999999999999999\n  HTTPProxy : p.test\n  ProxyAutoConfigEnable : 1\n  ProxyAutoConfigURLString : http://wpad.test/proxy.pac\n}\n";
    let found = from_scutil_proxy("s", beside).unwrap();
    assert_eq!(pac_of(&found[0]), "http://wpad.test/proxy.pac");
    assert!(format!("{:?}", found[1]).contains("port"), "{found:?}");
    // Cut short: refused, not read as whole.
    let cut = "<dictionary> {\n  ExceptionsList : <array> {\n    0 : *.local\n  ProxyAutoConfigEnable : 1\n";
    let e = from_scutil_proxy("s", cut).unwrap_err();
    assert!(e.message.contains("not closed (cut short?)"), "{e}");
}

#[test]
fn gsettings_modes() {
    let manual = "org.gnome.system.proxy autoconfig-url ''\norg.gnome.system.proxy ignore-hosts ['localhost', '127.0.0.0/8', '::1', '*.corp.example']\norg.gnome.system.proxy mode 'manual'\norg.gnome.system.proxy use-same-proxy false\norg.gnome.system.proxy.http authentication-password 'hunter2'\norg.gnome.system.proxy.http authentication-user ''\norg.gnome.system.proxy.http enabled false\norg.gnome.system.proxy.http host 'proxy.corp.example'\norg.gnome.system.proxy.http port 3128\norg.gnome.system.proxy.http use-authentication false\norg.gnome.system.proxy.https host 'sproxy.corp.example'\norg.gnome.system.proxy.https port 3129\norg.gnome.system.proxy.socks host ''\norg.gnome.system.proxy.socks port 0\n";
    let found = from_gsettings("gsettings.txt", manual).unwrap();
    let (http, https, all, bypass) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://proxy.corp.example:3128"));
    assert_eq!(https.as_deref(), Some("http://sproxy.corp.example:3129"));
    assert_eq!(all, None);
    assert_eq!(
        bypass,
        vec!["localhost", "127.0.0.0/8", "::1", "*.corp.example"]
    );
    assert!(!format!("{found:?}").contains("hunter2"));

    let auto = "org.gnome.system.proxy mode 'auto'\norg.gnome.system.proxy autoconfig-url 'http://wpad.corp.example/wpad.dat'\n";
    assert_eq!(
        pac_of(&from_gsettings("g", auto).unwrap()[0]),
        "http://wpad.corp.example/wpad.dat"
    );
    let wpad = "org.gnome.system.proxy mode 'auto'\norg.gnome.system.proxy autoconfig-url ''\n";
    assert_eq!(
        from_gsettings("g", wpad).unwrap()[0].config,
        ProxyConfig::AutoDetect
    );
    assert!(
        from_gsettings("g", "org.gnome.system.proxy mode 'none'\n")
            .unwrap()
            .is_empty()
    );
    let authed = "org.gnome.system.proxy mode 'manual'\norg.gnome.system.proxy use-same-proxy true\norg.gnome.system.proxy.http host 'p'\norg.gnome.system.proxy.http port 8080\norg.gnome.system.proxy.http use-authentication true\norg.gnome.system.proxy.http authentication-user 'svc'\n";
    let found = from_gsettings("g", authed).unwrap();
    assert!(
        found[0]
            .warnings
            .iter()
            .any(|w| w.contains("authenticated"))
    );
    assert!(from_gsettings("g", "org.gnome.system.proxy mode 'weird'\n").is_err());
    assert!(from_gsettings("g", "nonsense").is_err());
    // A list or a string that does not close is refused by its line and
    // key, never read short; a password's text is not quoted.
    let open_list = "org.gnome.system.proxy mode 'manual'\norg.gnome.system.proxy ignore-hosts ['localhost', '*.corp.example'\n";
    let bad = from_gsettings("g", open_list).unwrap_err();
    assert!(
        bad.message
            .contains("line 2: ignore-hosts: a list that does not close"),
        "{bad}"
    );
    let open_string = "org.gnome.system.proxy mode 'manual'\norg.gnome.system.proxy.http authentication-password 'hunter2\n";
    let bad = from_gsettings("g", open_string).unwrap_err();
    assert!(
        bad.message.contains(
            "line 2: http.authentication-password: a string opened with ' does not close"
        ) && !bad.to_string().contains("hunter2"),
        "{bad}"
    );
    assert!(from_gsettings("g", "org.gnome.system.proxy ignore-hosts ['a']]\n").is_err());
}

#[test]
fn etc_environment() {
    let text = "PATH=\"/usr/local/sbin:/usr/bin\"\nhttps_proxy=\"http://proxy.corp.example:3128/\"\nno_proxy=localhost,.corp.example\n";
    let found = from_etc_environment("/etc/environment", text).unwrap();
    assert_eq!(found[0].provenance.kind, SourceKind::EtcEnvironment);
    let (_, https, _, bypass) = statics(&found[0]);
    assert_eq!(https.as_deref(), Some("http://proxy.corp.example:3128"));
    assert_eq!(bypass, vec!["localhost", ".corp.example"]);
}

/// Round 22. An environment file with a byte that is no UTF-8 text, or a
/// control character in a value, is said as that, by line: a Latin-1
/// letter was blamed on the IDN rules, and U+0001 in no_proxy was taken.
#[test]
fn etc_environment_that_is_not_plain_text() {
    let latin1 = from_etc_environment(
        "env",
        &String::from_utf8_lossy(b"# x\nhttps_proxy=http://px\xe9.test:1\n"),
    )
    .unwrap_err();
    assert!(
        latin1
            .message
            .contains("line 2: a byte that is not UTF-8 text"),
        "{latin1}"
    );
    let control =
        from_etc_environment("env", "https_proxy=http://p.test:1\nno_proxy=a\u{1}b\n").unwrap_err();
    assert!(
        control
            .message
            .contains("line 2: the control character U+0001"),
        "{control}"
    );
}

#[test]
fn apt_configuration() {
    let flat = "// proxy for packages\nAcquire::http::Proxy \"http://proxy.corp.example:3128/\";\nAcquire::http::Proxy::mirror.corp.example \"DIRECT\";\n";
    let found = from_apt_conf("/etc/apt/apt.conf.d/95proxy", flat).unwrap();
    let (http, https, _, bypass) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://proxy.corp.example:3128"));
    assert_eq!(
        https, http,
        "apt uses the http proxy for https unless told otherwise"
    );
    assert_eq!(bypass, vec!["mirror.corp.example"]);
    assert!(
        found[0]
            .warnings
            .iter()
            .any(|w| w.contains("package downloads only"))
    );

    let nested = "Acquire {\n  http { Proxy \"http://a:1\"; };\n  https { Proxy \"http://b:2\"; };\n};\n/* done */\n";
    let (http, https, _, _) = statics(&from_apt_conf("apt.conf", nested).unwrap()[0]);
    assert_eq!(
        (http.as_deref(), https.as_deref()),
        (Some("http://a:1"), Some("http://b:2"))
    );
    assert!(
        from_apt_conf("apt.conf", "APT::Install-Recommends \"false\";\n")
            .unwrap()
            .is_empty()
    );
    // Lists, as Debian's own apt.conf.d files write them (found by `pathprobe
    // doctor` on a stock system): unnamed values inside a block are items.
    let lists = "APT\n{\n  NeverAutoRemove\n  {\n\t\"^firmware-linux.*\";\n\t\"^linux-image-[a-z0-9]*$\";\n  };\n};\nDPkg::Pre-Install-Pkgs {\"/usr/sbin/dpkg-preconfigure --apt || true\";};\nAcquire::http::Proxy \"http://p:3128\";\n";
    let (http, ..) = statics(&from_apt_conf("70debconf", lists).unwrap()[0]);
    assert_eq!(http.as_deref(), Some("http://p:3128"));
    let bad = from_apt_conf("apt.conf", "\"stray\";\n").unwrap_err();
    assert!(bad.message.contains("no option name"), "{bad}");
    let bad = from_apt_conf("apt.conf", "Acquire {\n http::Proxy \"x\";\n").unwrap_err();
    assert!(bad.message.contains("inside"), "{bad}");
    // Named by the line it opens on, not the line the file ends on.
    let bad =
        from_apt_conf("apt.conf", "// a\nAcquire::http::Proxy \"http://a:1;\n\n\n").unwrap_err();
    assert!(
        bad.message
            .contains("line 2: a string opens here and does not close"),
        "{bad}"
    );
}

#[test]
fn scutil_exclude_simple_hostnames_sends_dotless_names_direct() {
    // It was ignored: `intranet` and `printer` went to the proxy.
    let text = "<dictionary> {\n  ExcludeSimpleHostnames : 1\n  HTTPSEnable : 1\n  HTTPSPort : 3128\n  HTTPSProxy : 127.0.0.1\n}\n";
    let found = from_scutil_proxy("scutil.txt", text).unwrap();
    let ProxyConfig::Static { bypass, .. } = &found[0].config else {
        panic!("{:?}", found[0].config);
    };
    assert!(bypass.matching("intranet").is_some());
    assert!(bypass.matching("printer").is_some());
    assert!(bypass.matching("a.corp.example").is_none());
    assert!(bypass.matching("10.1.2.3").is_none());
    // Off, dotless names go to the proxy like any other.
    let off = text.replace("ExcludeSimpleHostnames : 1", "ExcludeSimpleHostnames : 0");
    let found = from_scutil_proxy("scutil.txt", &off).unwrap();
    let ProxyConfig::Static { bypass, .. } = &found[0].config else {
        panic!("{:?}", found[0].config);
    };
    assert!(bypass.matching("intranet").is_none());
}

#[test]
fn winhttp_socks_entries_are_not_routes() {
    // WinHTTP has no SOCKS: `socks=` was shown as a working SOCKS4 route.
    let text = "\nCurrent WinHTTP proxy settings:\n\n    Proxy Server(s) :  http=p:80;socks=s:1080\n    Bypass List     :  (none)\n";
    let found = from_netsh_show_proxy("netsh.txt", text).unwrap();
    let (http, https, all, _) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://p:80"));
    assert_eq!((https, all), (None, None));
    assert!(
        found[0]
            .warnings
            .iter()
            .any(|w| w.contains("socks=s:1080") && w.contains("no SOCKS")),
        "{:?}",
        found[0].warnings
    );
    let only_socks = text.replace("http=p:80;", "");
    let found = from_netsh_show_proxy("netsh.txt", &only_socks).unwrap();
    assert_eq!(statics(&found[0]), (None, None, None, Vec::new()));
    // A plain per-scheme value has nothing to warn about.
    let plain = text.replace(";socks=s:1080", ";https=p:443");
    let found = from_netsh_show_proxy("netsh.txt", &plain).unwrap();
    assert!(found[0].warnings.is_empty(), "{:?}", found[0].warnings);
}

#[test]
fn scutil_label_names_only_settings_that_are_on() {
    let text = "<dictionary> {\n  HTTPEnable : 1\n  HTTPPort : 8080\n  HTTPProxy : p\n  HTTPSEnable : 0\n  HTTPSPort : 8443\n  HTTPSProxy : stale\n  SOCKSEnable : 1\n  SOCKSProxy : s\n}\n";
    let found = from_scutil_proxy("scutil.txt", text).unwrap();
    assert_eq!(
        found[0].provenance.key.as_deref(),
        Some("HTTPProxy/SOCKSProxy")
    );
    let (http, https, all, _) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://p:8080"));
    assert_eq!(https, None);
    // The system's SOCKS proxy gets the name, as Chrome sends it there.
    assert_eq!(all.as_deref(), Some("socks5h://s:1080"));
}

#[test]
fn gnome_socks_proxy_resolves_names() {
    let text = "org.gnome.system.proxy mode 'manual'\norg.gnome.system.proxy.socks host 's.corp'\norg.gnome.system.proxy.socks port 1080\n";
    let found = from_gsettings("g", text).unwrap();
    assert_eq!(
        statics(&found[0]).2.as_deref(),
        Some("socks5h://s.corp:1080")
    );
}

#[test]
fn netsh_output_that_is_not_netsh_output_is_a_problem_not_direct() {
    let proxy = "Current WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  127.0.0.1:12008\r\n    Bypass List     :  (none)\r\n";
    // Junk, and text that holds binary data, were read as "no proxy".
    let junk: Vec<u8> = (0..3000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let junk = String::from_utf8_lossy(&junk).into_owned();
    let nul = proxy.replace("12008", "12008\0");
    let error_line = "Current WinHTTP proxy settings:\r\n\r\n    Error: unable to read the WinHTTP settings (the RPC server is unavailable).\r\n";
    for (what, text) in [
        ("junk", junk.as_str()),
        ("a NUL after the port", nul.as_str()),
        ("an error where the proxy should be", error_line),
        ("no heading", "    Proxy Server(s) :  p:1\r\n"),
    ] {
        assert!(from_netsh_show_proxy("netsh.txt", text).is_err(), "{what}");
    }
    // A prompt and the command pasted above the output are skipped.
    let pasted = format!("PS C:\\> netsh winhttp show proxy\r\n\r\n{proxy}");
    let found = from_netsh_show_proxy("netsh.txt", &pasted).unwrap();
    assert_eq!(
        statics(&found[0]).0.as_deref(),
        Some("http://127.0.0.1:12008")
    );
    // Japanese Windows ends its sentence with 。
    let japanese = "\n現在の WinHTTP プロキシ設定:\n\n    直接アクセス (プロキシ サーバーなし)。\n";
    let found = from_netsh_show_proxy("netsh.txt", japanese).unwrap();
    assert_eq!(found[0].config, ProxyConfig::Direct);
}

#[test]
fn saved_outputs_in_utf16_are_read() {
    use pathprobe_pac::discovery::{SourceFile, SourcePaths, gather};
    let proxy = "Current WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  127.0.0.1:12008\r\n    Bypass List     :  (none)\r\n";
    let dir = tempfile::tempdir().unwrap();
    let units: Vec<u16> = proxy.encode_utf16().collect();
    let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    for (name, bytes) in [
        (
            "with a mark (Windows PowerShell)",
            [vec![0xFF, 0xFE], le.clone()].concat(),
        ),
        ("without a mark", le),
        ("big-endian with a mark", [vec![0xFE, 0xFF], be].concat()),
    ] {
        let path = dir.path().join("netsh.txt");
        std::fs::write(&path, &bytes).unwrap();
        let paths = SourcePaths {
            netsh_proxy: Some(SourceFile::given(&path)),
            ..SourcePaths::none()
        };
        let d = gather(&paths, None, None);
        assert!(d.problems.is_empty(), "{name}: {:?}", d.problems);
        let found = d
            .found
            .iter()
            .find(|f| f.provenance.kind == SourceKind::WinHttp)
            .unwrap_or_else(|| panic!("{name}: {:?}", d.found));
        assert_eq!(
            statics(found).0.as_deref(),
            Some("http://127.0.0.1:12008"),
            "{name}"
        );
    }
}

/// A connection blob as Windows writes it: version, counter, flags, then
/// each string behind its length.
fn blob(version: u32, flags: u32, strings: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for word in [version, 7, flags] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    for s in strings {
        out.extend_from_slice(&u32::try_from(s.len()).unwrap().to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out
}

#[test]
fn winhttp_settings_blob() {
    let key = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections";
    // What `netsh winhttp reset proxy` leaves: version 0x18, flags 1.
    let direct: Vec<u8> = (0..20)
        .map(|i| match i {
            0 => 0x18,
            8 => 1,
            _ => 0,
        })
        .collect();
    let found =
        from_connection_blob(ConnectionBlob::WinHttp, key, "WinHttpSettings", &direct).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].config, ProxyConfig::Direct);
    assert_eq!(found[0].provenance.kind, SourceKind::WinHttp);

    let set = blob(
        0x18,
        3,
        &["proxy.corp.example:8080", "<local>;*.corp.example"],
    );
    let found =
        from_connection_blob(ConnectionBlob::WinHttp, key, "WinHttpSettings", &set).unwrap();
    let (http, _, _, bypass) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://proxy.corp.example:8080"));
    assert_eq!(bypass, vec!["<local>", "*.corp.example"]);
    assert_eq!(found[0].provenance.location, key);
    assert_eq!(
        found[0].provenance.key.as_deref(),
        Some("WinHttpSettings (proxy server)")
    );
    // Per scheme, as `netsh winhttp set proxy "http=p:80;https=s:443"`.
    let per_scheme = blob(0x18, 3, &["http=p.corp:80;https=s.corp:443", ""]);
    let found =
        from_connection_blob(ConnectionBlob::WinHttp, key, "WinHttpSettings", &per_scheme).unwrap();
    let (http, https, _, _) = statics(&found[0]);
    assert_eq!(http.as_deref(), Some("http://p.corp:80"));
    assert_eq!(https.as_deref(), Some("http://s.corp:443"));
}

#[test]
fn internet_options_blob_in_the_order_wininet_tries_it() {
    let key = r"HKCU\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections";
    let all = blob(
        0x46,
        0x0F,
        &["proxy.corp:3128", "<local>", "http://pac.corp/proxy.pac"],
    );
    let found = from_connection_blob(
        ConnectionBlob::WinInet,
        key,
        "DefaultConnectionSettings",
        &all,
    )
    .unwrap();
    assert_eq!(found.len(), 3);
    assert_eq!(found[0].config, ProxyConfig::AutoDetect);
    assert_eq!(pac_of(&found[1]), "http://pac.corp/proxy.pac");
    assert_eq!(
        statics(&found[2]).0.as_deref(),
        Some("http://proxy.corp:3128")
    );
    assert!(
        found
            .iter()
            .all(|f| f.provenance.kind == SourceKind::WinInet)
    );
    // Strings kept while their box is unticked are not used.
    let off = blob(
        0x46,
        0x01,
        &["proxy.corp:3128", "", "http://pac.corp/x.pac"],
    );
    let found = from_connection_blob(
        ConnectionBlob::WinInet,
        key,
        "DefaultConnectionSettings",
        &off,
    )
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].config, ProxyConfig::Direct);
    // Internet Explorer 5's layout (0x3C) and trailing bytes after the URL
    // (newer versions keep detection results there) read the same.
    let mut old = blob(0x3C, 0x05, &["", "", "http://pac.corp/old.pac"]);
    old.extend_from_slice(&[0; 32]);
    let found = from_connection_blob(
        ConnectionBlob::WinInet,
        key,
        "DefaultConnectionSettings",
        &old,
    )
    .unwrap();
    assert_eq!(pac_of(&found[0]), "http://pac.corp/old.pac");
}

#[test]
fn broken_connection_blobs_are_problems_not_direct() {
    let read = |bytes: &[u8]| {
        from_connection_blob(
            ConnectionBlob::WinInet,
            "HKCU\\x",
            "DefaultConnectionSettings",
            bytes,
        )
        .unwrap_err()
        .message
    };
    assert!(read(&[]).contains("before the version"), "{}", read(&[]));
    assert!(read(&[0x46, 0, 0, 0, 1]).contains("change counter"));
    // A length beyond the data, and one no proxy list has.
    let mut cut = blob(0x46, 3, &["proxy.corp:3128"]);
    cut.truncate(cut.len() - 4);
    assert!(
        read(&cut).contains("claims 15 bytes; 11 remain"),
        "{}",
        read(&cut)
    );
    let mut huge = blob(0x46, 3, &[]);
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    assert!(read(&huge).contains("at most"), "{}", read(&huge));
    // Turned on with nothing set, binary data, another layout.
    assert!(read(&blob(0x46, 3, &["", "", ""])).contains("no address"));
    assert!(read(&blob(0x46, 5, &["", "", ""])).contains("no address"));
    assert!(read(&blob(0x46, 3, &["pro\x01xy:1", "", ""])).contains("binary data"));
    assert!(read(&blob(0x2, 3, &["proxy:1", "", ""])).contains("version 0x2"));
    // A proxy that is not one is refused as everywhere else.
    assert!(!read(&blob(0x46, 3, &["http://proxy:99999", "", ""])).is_empty());
}

#[test]
fn telemetry_policy_value_from_the_registry() {
    let key = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\DataCollection";
    assert!(from_telemetry_value(key, None).unwrap().is_empty());
    assert!(
        from_telemetry_value(key, Some(Ok("  ".into())))
            .unwrap()
            .is_empty()
    );
    let found = from_telemetry_value(key, Some(Ok("proxy.corp:8080".into()))).unwrap();
    assert_eq!(statics(&found[0]).3.len(), 0);
    assert_eq!(
        statics(&found[0]).0.as_deref(),
        Some("http://proxy.corp:8080")
    );
    assert_eq!(found[0].provenance.kind, SourceKind::WindowsTelemetryPolicy);
    let problem = from_telemetry_value(
        key,
        Some(Err(
            "TelemetryProxyServer must be a string (REG_SZ), found REG_DWORD".into(),
        )),
    )
    .unwrap_err();
    assert!(problem.message.contains("REG_DWORD"));
}

/// The live macOS settings come from running `scutil --proxy` (on macOS
/// the standard sources do): here a stand-in command prints a fixture, and
/// a command that fails, hangs or is missing is a problem naming it.
#[test]
fn the_live_scutil_command_is_read_and_its_failures_are_problems() {
    use pathprobe_pac::discovery::{SourcePaths, gather};
    let run = |script: &str| {
        let paths = SourcePaths {
            scutil_command: Some(vec!["sh".into(), "-c".into(), script.into()]),
            ..SourcePaths::none()
        };
        gather(&paths, None, None)
    };
    let d = run(
        "printf '<dictionary> {\\n  HTTPEnable : 1\\n  HTTPPort : 3128\\n  HTTPProxy : proxy.corp.example\\n}\\n'",
    );
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    assert_eq!(d.found.len(), 1);
    assert_eq!(d.found[0].provenance.kind, SourceKind::MacSystem);
    assert!(d.found[0].provenance.location.starts_with("sh -c"));
    assert_eq!(
        statics(&d.found[0]).0.as_deref(),
        Some("http://proxy.corp.example:3128")
    );
    for (script, said) in [
        ("echo nope >&2; exit 3", "failed"),
        ("printf 'garbage'", "scutil"),
        ("sleep 30", "did not finish within 5 s"),
    ] {
        let d = run(script);
        assert!(d.found.is_empty(), "{script}: {:?}", d.found);
        assert!(
            d.problems.iter().any(|p| p.to_string().contains(said)),
            "{script}: {:?}",
            d.problems
        );
    }
    let paths = SourcePaths {
        scutil_command: Some(vec!["/nonexistent/scutil".into(), "--proxy".into()]),
        ..SourcePaths::none()
    };
    let d = gather(&paths, None, None);
    assert!(
        d.problems[0].to_string().contains("cannot run"),
        "{:?}",
        d.problems
    );
}
