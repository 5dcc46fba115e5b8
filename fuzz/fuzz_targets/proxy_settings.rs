//! Proxy settings parsers: saved command output and settings files that
//! users attach to tickets. The first byte picks the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathprobe_pac::discovery as d;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    match which % 12 {
        0 => drop(d::from_netsh_show_proxy("netsh.txt", &text)),
        1 => drop(d::from_netsh_advproxy("advproxy.txt", &text)),
        2 => drop(d::from_scutil_proxy("scutil.txt", &text)),
        3 => drop(d::from_gsettings("gsettings.txt", &text)),
        4 => drop(d::from_reg_export("policy.reg", bytes)),
        5 => drop(d::from_mac_managed_plist("wdav.plist", bytes)),
        6 => drop(d::from_mdatp_managed_json("mdatp_managed.json", &text)),
        7 => drop(d::from_etc_environment("environment", &text)),
        8 => drop(d::from_apt_conf("apt.conf", &text)),
        9 => {
            let list = d::BypassList::curl(&text);
            let _ = list.matching("host.example.com");
        }
        10 => {
            let list = d::BypassList::winhttp(&text);
            let _ = list.matching("10.1.2.3");
        }
        _ => {
            let vars = [
                ("https_proxy".to_owned(), text.to_string()),
                ("no_proxy".to_owned(), text.to_string()),
            ]
            .into_iter()
            .collect();
            let _ = d::from_variables(d::SourceKind::Environment, "environment", &vars);
        }
    }
});
