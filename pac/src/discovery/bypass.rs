//! Bypass lists: the hosts a static proxy setting sends direct.
//!
//! Each source has its own syntax and matching rules, and the differences are
//! a classic source of "it works with curl but not for the agent". `NO_PROXY`
//! follows curl exactly; WinHTTP, macOS and GNOME lists use shell-style
//! wildcards with their own special entries.

use std::net::IpAddr;

use serde::Serialize;

/// Whose rules a bypass list follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BypassStyle {
    /// `NO_PROXY` as curl reads it.
    Curl,
    /// WinHTTP / Internet Options (`<local>;*.corp.example;10.*`).
    WinHttp,
    /// macOS `ExceptionsList` (`*.local`, `169.254/16`).
    MacOs,
    /// GNOME `ignore-hosts` (`localhost`, `127.0.0.0/8`, `*.corp`).
    Gnome,
}

/// The entry macOS's "Exclude simple hostnames" (`ExcludeSimpleHostnames : 1`)
/// stands for in a bypass list: names without a dot go direct.
pub const SIMPLE_HOSTNAMES: &str = "<simple hostnames>";

/// A parsed bypass list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BypassList {
    /// Whose rules apply.
    pub style: BypassStyle,
    /// The entries, as written.
    pub entries: Vec<String>,
    /// Entries the style's clients will never match, with the reason.
    pub warnings: Vec<String>,
}

impl BypassList {
    /// An empty list.
    pub fn none(style: BypassStyle) -> Self {
        Self {
            style,
            entries: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// `NO_PROXY` text, split as current curl splits it: entries separated
    /// by commas, blanks, or both.
    pub fn curl(text: &str) -> Self {
        let mut list = Self::none(BypassStyle::Curl);
        let trimmed = text.trim();
        if trimmed == "*" {
            list.entries.push("*".into());
            return list;
        }
        // Current curl separates entries by commas, blanks or both
        // ("localhost .example.com", "foo,,, bar").
        list.entries = trimmed
            .split([',', ' ', '\t'])
            .filter(|token| !token.is_empty())
            // An address entry may be bracketed (`[::1]`, `[fd00::]/8`).
            .map(
                |token| match token.strip_prefix('[').and_then(|t| t.split_once(']')) {
                    Some((inside, rest)) => format!("{inside}{rest}"),
                    None => token.to_owned(),
                },
            )
            .collect();
        for entry in &list.entries {
            if entry == "*" {
                list.warnings.push(
                    "`*` only means \"every host\" when it is the whole of NO_PROXY; here it matches nothing".into(),
                );
            } else if entry.starts_with("*.") {
                list.warnings.push(format!(
                    "curl does not read wildcards: \"{entry}\" matches nothing (write \"{}\")",
                    entry.trim_start_matches('*')
                ));
            } else if entry.contains("://") {
                // Round 18: entries no client reads were listed silently.
                list.warnings.push(format!(
                    "NO_PROXY names hosts, not URLs: \"{entry}\" never matches (write the host alone)"
                ));
            } else if let Some((address, prefix)) = entry.split_once('/') {
                let widest = match address.parse::<IpAddr>() {
                    Ok(IpAddr::V4(_)) => Some(32),
                    Ok(IpAddr::V6(_)) => Some(128),
                    Err(_) => None,
                };
                let fits = widest.is_some_and(|w| prefix.parse::<u8>().is_ok_and(|p| p <= w));
                if !fits {
                    list.warnings.push(format!(
                        "\"{entry}\" is not an address block (an address, then /0 to /32 for IPv4 or /128 for IPv6): it matches nothing"
                    ));
                }
            } else if entry.parse::<IpAddr>().is_err()
                && let Some((_, port)) = entry.rsplit_once(':')
                && port.bytes().all(|b| b.is_ascii_digit())
            {
                list.warnings.push(if port.parse::<u16>().is_ok_and(|p| p > 0) {
                    format!(
                        "curl ignores ports in NO_PROXY: \"{entry}\" never matches (Go-based tools read it as that port only)"
                    )
                } else {
                    format!("\"{entry}\" holds no port (1 to 65535): it matches nothing")
                });
            }
        }
        list
    }

    /// A WinHTTP / Internet Options bypass list (`;` or space separated).
    pub fn winhttp(text: &str) -> Self {
        let mut list = Self::none(BypassStyle::WinHttp);
        list.entries = text
            .split([';', ' ', ','])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect();
        list
    }

    /// A list of entries (macOS or GNOME).
    pub fn entries(style: BypassStyle, entries: Vec<String>) -> Self {
        Self {
            style,
            entries,
            warnings: Vec::new(),
        }
    }

    /// True when the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry that sends `host` direct, if any; `host` in any form a URL
    /// writes it.
    pub fn matching(&self, host: &str) -> Option<&str> {
        // Hosts as URLs write them (IPv6 in brackets, any case, a trailing
        // dot, internationalised) read as every other place reads them.
        let host = pathprobe_host::key(host);
        self.entries
            .iter()
            .find(|entry| self.entry_matches(entry, &host))
            .map(String::as_str)
    }

    fn entry_matches(&self, entry: &str, host: &str) -> bool {
        match self.style {
            BypassStyle::Curl => curl_matches(entry, host, self.entries.len() == 1),
            BypassStyle::WinHttp if entry.eq_ignore_ascii_case("<local>") => {
                !host.contains('.') && host.parse::<IpAddr>().is_err()
            }
            BypassStyle::MacOs if entry == SIMPLE_HOSTNAMES => {
                !host.contains('.') && host.parse::<IpAddr>().is_err()
            }
            // GLib's rules: `example.com`, `.example.com` and `*.example.com`
            // each match example.com and every name below it.
            BypassStyle::Gnome if !entry.trim_start_matches("*.").contains('*') => {
                curl_matches(entry.strip_prefix("*.").unwrap_or(entry), host, false)
            }
            _ => glob_style_matches(entry, host),
        }
    }
}

/// curl's rules: a lone `*`; IP hosts against IP/CIDR entries; names by
/// exact or dot-boundary suffix, ignoring one leading and trailing dot.
fn curl_matches(entry: &str, host: &str, alone: bool) -> bool {
    if entry == "*" {
        return alone;
    }
    if host.is_empty() {
        return false;
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return ip_entry_matches(entry, ip);
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    let token = entry.strip_suffix('.').unwrap_or(entry);
    let token = token.strip_prefix('.').unwrap_or(token);
    if token.len() == name.len() {
        return token.eq_ignore_ascii_case(name);
    }
    name.len() > token.len()
        && name
            .get(..name.len() - token.len())
            .is_some_and(|head| head.ends_with('.'))
        && name
            .get(name.len() - token.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(token))
}

/// An address against `addr` or `addr/bits` (bits 0 means the whole address, as in curl).
fn ip_entry_matches(entry: &str, ip: IpAddr) -> bool {
    let (net, bits) = match entry.split_once('/') {
        Some((net, bits)) => match bits.parse::<u32>() {
            Ok(b) => (net, b),
            Err(_) => return false,
        },
        None => (entry, 0),
    };
    let Ok(net) = net.parse::<IpAddr>() else {
        return false;
    };
    let (a, n, max): (Vec<u8>, Vec<u8>, u32) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => (a.octets().to_vec(), n.octets().to_vec(), 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => (a.octets().to_vec(), n.octets().to_vec(), 128),
        _ => return false,
    };
    let bits = if bits == 0 { max } else { bits };
    if bits > max {
        return false;
    }
    crate::helpers::masked_eq(&a, &n, bits)
}

/// Wildcard lists: `*` and `?` globs (case-insensitive), a leading `.` for
/// subdomains, CIDR blocks (macOS also writes `169.254/16`).
fn glob_style_matches(entry: &str, host: &str) -> bool {
    let entry = entry.trim().to_ascii_lowercase();
    if entry.contains('/')
        && let Ok(ip) = host.parse::<IpAddr>()
    {
        let (net, bits) = entry.split_once('/').unwrap_or((&entry, ""));
        let net = expand_short_ipv4(net);
        return ip_entry_matches(&format!("{net}/{bits}"), ip);
    }
    if let Some(suffix) = entry.strip_prefix('.') {
        return host.ends_with(&format!(".{suffix}"));
    }
    if entry.contains(['*', '?']) {
        return crate::helpers::glob_match(host, &entry);
    }
    host == entry
}

/// `169.254` → `169.254.0.0`.
fn expand_short_ipv4(net: &str) -> String {
    if net.contains(':') {
        return net.to_owned();
    }
    let mut parts: Vec<&str> = net.split('.').collect();
    while parts.len() < 4 {
        parts.push("0");
    }
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curl(list: &str, host: &str) -> bool {
        BypassList::curl(list).matching(host).is_some()
    }

    #[test]
    fn curl_names_match_by_label_suffix() {
        assert!(curl("ample.com", "ample.com"));
        assert!(curl("ample.com", "www.ample.com"));
        assert!(!curl("ample.com", "www.example.com"));
        assert!(!curl("ample.com", "ample.com.org"));
        assert!(curl(".ample.com", "ample.com"), "a leading dot is ignored");
        assert!(curl(".ample.com", "www.ample.com"));
        assert!(
            curl("ample.com.", "www.ample.com."),
            "trailing dots are ignored"
        );
        assert!(curl("AMPLE.com", "www.ample.com"));
    }

    #[test]
    fn curl_star_only_alone() {
        assert!(curl("*", "anything.example"));
        assert!(curl(" * ", "anything.example"));
        let l = BypassList::curl("*,example.com");
        assert!(l.matching("other.example").is_none());
        assert!(l.warnings[0].contains("whole of NO_PROXY"));
    }

    #[test]
    fn curl_addresses_and_cidr() {
        assert!(curl("192.168.0.0/16", "192.168.4.5"));
        assert!(!curl("192.168.0.0/16", "192.169.4.5"));
        assert!(curl("10.1.2.3", "10.1.2.3"));
        assert!(
            !curl("10.1.2.0", "10.1.2.3"),
            "no bits means the whole address"
        );
        assert!(curl("::1", "::1"));
        assert!(curl("fd00::/8", "fd12::1"));
        assert!(!curl("10.0.0.0/8", "fd00::1"));
        // A name entry never matches an address host, and the reverse.
        assert!(!curl("localhost", "127.0.0.1"));
    }

    #[test]
    fn entries_no_client_reads_are_said() {
        let l = BypassList::curl(
            "10.0.0.0/99,a.lab.test:99999,http://x.test,10.0.0.0/8,fd00::/8,x.test",
        );
        assert_eq!(l.warnings.len(), 3, "{:?}", l.warnings);
        assert!(l.warnings[0].contains("\"10.0.0.0/99\" is not an address block"));
        assert!(l.warnings[1].contains("\"a.lab.test:99999\" holds no port"));
        assert!(l.warnings[2].contains("not URLs: \"http://x.test\""));
    }

    #[test]
    fn curl_splitting_and_warnings() {
        let l = BypassList::curl(" a.example , b.example,,c.example ");
        assert_eq!(l.entries, vec!["a.example", "b.example", "c.example"]);
        // Space-separated lists, as current curl reads them.
        let l = BypassList::curl("localhost .example.com .example.de");
        assert_eq!(l.entries, vec!["localhost", ".example.com", ".example.de"]);
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
        assert!(l.matching("www.example.de").is_some());
        let l = BypassList::curl("*.corp.example,proxy.example:8080");
        assert!(l.matching("x.corp.example").is_none());
        assert_eq!(l.warnings.len(), 2, "{:?}", l.warnings);
        assert!(l.warnings[0].contains("\".corp.example\""));
        assert!(l.warnings[1].contains("ports"));
    }

    /// The cases of current curl's own NO_PROXY unit test
    /// (tests/unit/unit1614.c, with its space-separated list): (host as curl
    /// sees it, NO_PROXY, whether it bypasses the proxy).
    #[test]
    fn curl_unit_test_cases() {
        let long = "127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.";
        let cases: &[(&str, &str, bool)] = &[
            (
                "www.example.com",
                "localhost,.example.com,.example.de",
                true,
            ),
            (
                "www.example.com.",
                "localhost,.example.com,.example.de",
                true,
            ),
            ("example.com", "localhost,.example.com,.example.de", true),
            ("example.com.", "localhost,.example.com,.example.de", true),
            (
                "www.example.com",
                "localhost,.example.com.,.example.de",
                true,
            ),
            (
                "www.example.com",
                "localhost,www.example.com.,.example.de",
                true,
            ),
            ("example.com", "localhost,example.com,.example.de", true),
            ("example.com.", "localhost,example.com,.example.de", true),
            ("nexample.com", "localhost,example.com,.example.de", false),
            ("www.example.com", "localhost,example.com,.example.de", true),
            ("127.0.0.1", "127.0.0.1,localhost", true),
            ("127.0.0.1", "127.0.0.1,localhost,", true),
            ("127.0.0.1", "127.0.0.1/8,localhost,", true),
            ("127.0.0.1", "127.0.0.1/28,localhost,", true),
            ("127.0.0.1", "127.0.0.1/31,localhost,", true),
            ("127.0.0.1", "localhost,127.0.0.1", true),
            ("localhost", "localhost,127.0.0.1", true),
            ("localhost", "127.0.0.1,localhost", true),
            ("foobar", "barfoo", false),
            ("foobar", "foobar", true),
            ("192.168.0.1", "foobar", false),
            ("192.168.0.1", "192.168.0.0/16", true),
            ("192.168.0.1", "192.168.0.0/24", true),
            ("192.168.0.1", "192.168.0.0/32", false),
            ("192.168.0.1", "192.168.0.0", false),
            ("192.168.1.1", "192.168.0.0/24", false),
            ("192.168.1.1", "foo, bar, 192.168.0.0/24", false),
            ("192.168.1.1", "foo, bar, 192.168.0.0/16", true),
            ("[::1]", "foo, bar, 192.168.0.0/16", false),
            ("[::1]", "foo, bar, ::1/64", true),
            ("bar", "foo, bar, ::1/64", true),
            ("BAr", "foo, bar, ::1/64", true),
            ("BAr", "foo,,,,,              bar, ::1/64", true),
            ("www.example.com", "foo, .example.com", true),
            ("www.example.com", "www2.example.com, .example.net", false),
            ("example.com", ".example.com, .example.net", true),
            ("nonexample.com", ".example.com, .example.net", false),
            (
                "www.example.com",
                "localhost .example.com .example.de",
                true,
            ),
            ("www.example.de", "localhost .example.com .example.de", true),
            ("example.org", "localhost .example.com .example.de", false),
        ];
        for (host, list, bypass) in cases {
            assert_eq!(curl(list, host), *bypass, "{host} in {list:?}");
        }
        for list in [
            format!("localhost,{long}"),
            format!("localhost,{}", &long[..long.len() - 1]),
        ] {
            assert!(!curl(&list, "127.0.0.1"), "{list}");
        }
    }

    #[test]
    fn winhttp_lists() {
        let l = BypassList::winhttp("<local>;*.corp.example; 10.*");
        assert_eq!(l.matching("intranet"), Some("<local>"));
        assert_eq!(l.matching("a.corp.example"), Some("*.corp.example"));
        assert_eq!(l.matching("10.1.2.3"), Some("10.*"));
        assert_eq!(l.matching("corp.example"), None);
        assert_eq!(l.matching("www.example.com"), None);
    }

    #[test]
    fn macos_and_gnome_lists() {
        let mac = BypassList::entries(
            BypassStyle::MacOs,
            vec!["*.local".into(), "169.254/16".into()],
        );
        assert!(mac.matching("printer.local").is_some());
        assert!(mac.matching("169.254.3.4").is_some());
        assert!(mac.matching("169.255.3.4").is_none());
        let gnome = BypassList::entries(
            BypassStyle::Gnome,
            vec![
                "localhost".into(),
                "127.0.0.0/8".into(),
                ".corp.example".into(),
                "::1".into(),
            ],
        );
        assert!(gnome.matching("localhost").is_some());
        assert!(gnome.matching("127.0.0.53").is_some());
        assert!(gnome.matching("a.corp.example").is_some());
        assert!(gnome.matching("corp.example").is_some());
        assert!(gnome.matching("::1").is_some());
        // GLib: each of `x`, `.x` and `*.x` covers x and every name below it.
        let gnome = BypassList::entries(
            BypassStyle::Gnome,
            vec!["*.corp.test".into(), "lab.test".into(), ".dot.test".into()],
        );
        for host in [
            "corp.test",
            "a.corp.test",
            "lab.test",
            "sub.lab.test",
            "dot.test",
            "b.dot.test",
        ] {
            assert!(gnome.matching(host).is_some(), "{host}");
        }
        for host in ["notcorp.test", "xlab.test", "lab.test.evil"] {
            assert!(gnome.matching(host).is_none(), "{host}");
        }
    }
}
