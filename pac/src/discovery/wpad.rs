//! WPAD: finding a PAC script without being told where it is.
//!
//! Windows tries DHCP first (option 252 carries the PAC URL), then DNS: the
//! name `wpad` under the machine's DNS domain, then under each parent domain
//! ("devolution"), stopping before the registrable suffix so that nobody
//! outside the organisation can answer (`wpad.example.co.uk` is asked,
//! `wpad.co.uk` never is). pathprobe reads option 252 from the DHCP client's
//! lease data and does the DNS part itself, through the resolver it is given.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{Found, Provenance, ProxyConfig, SourceKind, SourceProblem, SourceResult};
use crate::fetch::{FetchLimits, FetchedPac, PacLocation, fetch_at};
use crate::resolver::Resolve;

/// Which DHCP client wrote a lease file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaseFormat {
    /// ISC dhclient (also NetworkManager with the dhclient backend):
    /// `lease { option ...; }` blocks.
    Dhclient,
    /// systemd-networkd and NetworkManager's internal client: `KEY=value`
    /// lines, private options as `OPTION_<code>=<hex>`.
    Networkd,
    /// `nmcli -f DHCP4 device show` output: `DHCP4.OPTION[n]: name = value`.
    Nmcli,
}

/// What a lease says that matters here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LeaseInfo {
    /// Option 252, the PAC URL.
    pub wpad_url: Option<String>,
    /// Option 15, the connection's DNS domain.
    pub domain: Option<String>,
}

/// Detects the format of lease data from its content.
pub fn lease_format(text: &str) -> Option<LeaseFormat> {
    if text.contains("lease {") || text.contains("lease{") {
        Some(LeaseFormat::Dhclient)
    } else if text.lines().any(|l| l.trim_start().starts_with("DHCP4.")) {
        Some(LeaseFormat::Nmcli)
    } else if text.lines().any(|l| {
        l.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
    }) {
        Some(LeaseFormat::Networkd)
    } else {
        None
    }
}

fn hex_text(hex: &str) -> Option<String> {
    let digits: String = hex.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..digits.len())
        .step_by(2)
        .map(|i| {
            digits
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    String::from_utf8(bytes?).ok()
}

/// dhclient writes strings quoted (with `\000`-style escapes) and unknown
/// options as colon-separated hex.
fn dhclient_value(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches(';').trim();
    if let Some(q) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = q.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let digits: String = std::iter::from_fn(|| chars.next_if(char::is_ascii_digit))
                    .take(3)
                    .collect();
                if digits.is_empty() {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else if let Ok(code) = u8::from_str_radix(&digits, 8)
                    && code != 0
                {
                    out.push(char::from(code));
                }
            } else {
                out.push(c);
            }
        }
        return Some(out);
    }
    hex_text(raw)
}

fn clean_url(text: &str) -> Option<String> {
    let t = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!t.is_empty()).then(|| t.to_owned())
}

/// Reads option 252 and the domain from lease data; the most recent lease
/// (the last in a dhclient file) wins.
pub fn parse_lease(text: &str) -> Option<LeaseInfo> {
    let format = lease_format(text)?;
    let mut info = LeaseInfo::default();
    match format {
        LeaseFormat::Dhclient => {
            for line in text.lines() {
                let line = line.trim();
                if line.starts_with("lease") && line.contains('{') {
                    info = LeaseInfo::default();
                    continue;
                }
                let Some(rest) = line.strip_prefix("option ") else {
                    continue;
                };
                let (name, value) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                let name = name.to_ascii_lowercase();
                if name == "wpad"
                    || name == "wpad-url"
                    || name == "unknown-252"
                    || name == "option-252"
                {
                    info.wpad_url = dhclient_value(value).and_then(|v| clean_url(&v));
                } else if name == "domain-name" {
                    info.domain = dhclient_value(value)
                        .and_then(|v| v.split_whitespace().next().map(str::to_owned));
                }
            }
        }
        LeaseFormat::Networkd => {
            for line in text.lines() {
                let Some((k, v)) = line.trim().split_once('=') else {
                    continue;
                };
                match k {
                    "OPTION_252" => info.wpad_url = hex_text(v.trim()).and_then(|u| clean_url(&u)),
                    "DOMAINNAME" => info.domain = clean_url(v),
                    _ => {}
                }
            }
        }
        LeaseFormat::Nmcli => {
            for line in text.lines() {
                let Some((_, option)) = line.split_once(':') else {
                    continue;
                };
                let Some((name, value)) = option.split_once(" = ") else {
                    continue;
                };
                match name.trim() {
                    "wpad" => info.wpad_url = clean_url(value),
                    "domain_name" => {
                        info.domain = value.split_whitespace().next().map(str::to_owned);
                    }
                    _ => {}
                }
            }
        }
    }
    Some(info)
}

/// WPAD via DHCP, from one lease file's content.
pub fn from_dhcp_lease(path: &str, text: &str) -> SourceResult {
    let provenance = Provenance::new(SourceKind::WpadDhcp, path, Some("option 252"));
    let Some(info) = parse_lease(text) else {
        return Err(SourceProblem::new(
            provenance,
            "not DHCP lease data (dhclient, systemd-networkd, NetworkManager or nmcli output)",
        ));
    };
    match info.wpad_url {
        None => Ok(Vec::new()),
        Some(url) => match PacLocation::parse(&url) {
            Ok(location @ PacLocation::Url(_)) => {
                Ok(vec![Found::new(provenance, ProxyConfig::Pac { location })])
            }
            Ok(PacLocation::File(_)) | Err(_) => Err(SourceProblem::new(
                provenance,
                format!("option 252 holds \"{url}\", which is not an http(s) URL"),
            )),
        },
    }
}

/// Domains named in resolv.conf text (`domain`, then `search`), in order.
pub fn resolv_conf_domains(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.split(['#', ';']).next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        match words.next() {
            Some("domain") | Some("search") => {
                for d in words {
                    let d = d.trim_end_matches('.').to_ascii_lowercase();
                    if !d.is_empty() && !out.contains(&d) {
                        out.push(d);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The `wpad.*` names to ask, most specific first, and the domains skipped
/// (with why) because no registrable domain is left to devolve to.
pub fn dns_candidates(domains: &[String]) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut notes = Vec::new();
    for domain in domains {
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        let Some(registrable) = psl::domain_str(&domain) else {
            // Asking wpad.<public suffix> would let anyone who registers that
            // name hand this machine a proxy.
            notes.push(format!(
                "\"{domain}\" is a public suffix (or a single label), so no wpad name under it is safe to ask"
            ));
            continue;
        };
        let mut current = domain.as_str();
        loop {
            let name = format!("wpad.{current}");
            if !names.contains(&name) {
                names.push(name);
            }
            if current == registrable {
                break;
            }
            match current.split_once('.') {
                Some((_, parent)) => current = parent,
                None => break,
            }
        }
    }
    (names, notes)
}

/// How one `wpad.*` name fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WpadAttempt {
    /// The name asked.
    pub name: String,
    /// Its addresses, if it resolved.
    pub addresses: Vec<IpAddr>,
    /// What happened: "no such name", the fetch error, or "PAC fetched".
    pub outcome: String,
}

/// The result of WPAD via DNS.
#[derive(Debug, Clone, Serialize)]
pub struct WpadDns {
    /// Every name asked, in order.
    pub attempts: Vec<WpadAttempt>,
    /// Domains that could not be devolved, with why.
    pub notes: Vec<String>,
    /// The first script found, and the name it came from.
    #[serde(skip)]
    pub script: Option<(String, FetchedPac)>,
}

/// Options of WPAD discovery.
#[derive(Debug, Clone, Copy)]
pub struct WpadOptions {
    /// Port of the `http://wpad.<domain>/wpad.dat` server (80 everywhere but labs).
    pub http_port: u16,
    /// Limits of each fetch.
    pub fetch: FetchLimits,
    /// Limit for each DNS lookup.
    pub dns_timeout: Duration,
}

impl Default for WpadOptions {
    fn default() -> Self {
        Self {
            http_port: 80,
            fetch: FetchLimits {
                timeout: Duration::from_secs(5),
                ..FetchLimits::default()
            },
            dns_timeout: Duration::from_secs(2),
        }
    }
}

/// Asks DNS for `wpad.<domain>` names in devolution order and fetches
/// `wpad.dat` from the first that resolves and serves one.
pub async fn discover_via_dns(
    domains: &[String],
    resolver: &dyn Resolve,
    options: &WpadOptions,
) -> WpadDns {
    let (names, notes) = dns_candidates(domains);
    let mut result = WpadDns {
        attempts: Vec::new(),
        notes,
        script: None,
    };
    for name in names {
        let started = Instant::now();
        let addresses = match resolver.lookup(&name, options.dns_timeout) {
            Ok(a) => a,
            Err(e) => {
                result.attempts.push(WpadAttempt {
                    name,
                    addresses: Vec::new(),
                    outcome: format!("{e} ({} ms)", started.elapsed().as_millis()),
                });
                continue;
            }
        };
        let url_text = if options.http_port == 80 {
            format!("http://{name}/wpad.dat")
        } else {
            format!("http://{name}:{}/wpad.dat", options.http_port)
        };
        let Ok(url) = url::Url::parse(&url_text) else {
            continue;
        };
        let mut last_error = String::from("no address");
        let mut fetched = None;
        for ip in &addresses {
            match fetch_at(
                &url,
                SocketAddr::new(*ip, options.http_port),
                &options.fetch,
            )
            .await
            {
                Ok(f) => {
                    fetched = Some(f);
                    break;
                }
                Err(e) => last_error = e.to_string(),
            }
        }
        match fetched {
            Some(f) => {
                result.attempts.push(WpadAttempt {
                    name: name.clone(),
                    addresses,
                    outcome: format!("PAC fetched from {url_text}"),
                });
                result.script = Some((name, f));
                break;
            }
            None => result.attempts.push(WpadAttempt {
                name,
                addresses,
                outcome: last_error,
            }),
        }
    }
    result
}

/// The `Found` for a script WPAD fetched over DNS.
pub fn dns_found(name: &str, fetched: &FetchedPac) -> Option<Found> {
    let location = PacLocation::parse(&fetched.final_location).ok()?;
    let mut found = Found::new(
        Provenance::new(SourceKind::WpadDns, name, Some("wpad.dat")),
        ProxyConfig::Pac { location },
    );
    found.warnings.extend(fetched.warnings.iter().cloned());
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devolution_stops_at_the_registrable_domain() {
        let (names, notes) = dns_candidates(&["eu.branch.corp.example.co.uk".into()]);
        assert_eq!(
            names,
            vec![
                "wpad.eu.branch.corp.example.co.uk",
                "wpad.branch.corp.example.co.uk",
                "wpad.corp.example.co.uk",
                "wpad.example.co.uk",
            ]
        );
        assert!(notes.is_empty());
        let (names, _) = dns_candidates(&["a.b.example.com".into(), "b.example.com".into()]);
        assert_eq!(
            names,
            vec![
                "wpad.a.b.example.com",
                "wpad.b.example.com",
                "wpad.example.com"
            ]
        );
        assert!(!names.iter().any(|n| n == "wpad.com"));
    }

    #[test]
    fn public_suffixes_alone_are_never_devolved() {
        for suffix in ["co.uk", "com", "corp"] {
            let (names, notes) = dns_candidates(&[suffix.into()]);
            assert!(names.is_empty(), "{suffix}: {names:?}");
            assert_eq!(notes.len(), 1);
        }
    }

    #[test]
    fn resolv_conf_domains_in_order() {
        let text = "# comment\nnameserver 10.0.0.53\ndomain corp.example\nsearch eu.corp.example corp.example lab.test.\noptions ndots:2\n";
        assert_eq!(
            resolv_conf_domains(text),
            vec!["corp.example", "eu.corp.example", "lab.test"]
        );
    }

    #[test]
    fn dhclient_leases_named_and_unknown() {
        let named = "lease {\n  interface \"eth0\";\n  option domain-name \"old.example\";\n  option wpad \"http://old/wpad.dat\";\n}\nlease {\n  interface \"eth0\";\n  fixed-address 10.0.0.5;\n  option domain-name \"corp.example\";\n  option wpad \"http://wpad.corp.example/wpad.dat\\000\";\n  renew 1 2026/11/23 10:00:00;\n}\n";
        let info = parse_lease(named).unwrap();
        assert_eq!(
            info.wpad_url.as_deref(),
            Some("http://wpad.corp.example/wpad.dat")
        );
        assert_eq!(info.domain.as_deref(), Some("corp.example"));
        let hex: String = "http://p/x.pac"
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":");
        let unknown = format!("lease {{\n  option unknown-252 {hex};\n}}\n");
        assert_eq!(
            parse_lease(&unknown).unwrap().wpad_url.as_deref(),
            Some("http://p/x.pac")
        );
    }

    #[test]
    fn networkd_and_nmcli_leases() {
        let hex: String = "http://wpad.corp.example/wpad.dat"
            .bytes()
            .map(|b| format!("{b:02X}"))
            .collect();
        let networkd = format!(
            "# This is private data. Do not parse.\nADDRESS=10.0.0.5\nDOMAINNAME=corp.example\nOPTION_252={hex}\n"
        );
        let info = parse_lease(&networkd).unwrap();
        assert_eq!(
            info.wpad_url.as_deref(),
            Some("http://wpad.corp.example/wpad.dat")
        );
        assert_eq!(info.domain.as_deref(), Some("corp.example"));
        let nmcli = "DHCP4.OPTION[1]:                        domain_name = corp.example\nDHCP4.OPTION[2]:                        wpad = http://wpad.corp.example/wpad.dat\n";
        let info = parse_lease(nmcli).unwrap();
        assert_eq!(
            info.wpad_url.as_deref(),
            Some("http://wpad.corp.example/wpad.dat")
        );
        assert_eq!(info.domain.as_deref(), Some("corp.example"));
    }

    #[test]
    fn lease_sources_report_what_they_hold() {
        let found = from_dhcp_lease(
            "/var/lib/dhcp/dhclient.eth0.leases",
            "lease {\n option wpad \"http://wpad.corp.example/wpad.dat\";\n}\n",
        )
        .unwrap();
        assert_eq!(found[0].provenance.kind, SourceKind::WpadDhcp);
        assert!(
            from_dhcp_lease("x", "lease {\n option routers 10.0.0.1;\n}\n")
                .unwrap()
                .is_empty()
        );
        assert!(
            from_dhcp_lease("x", "hello world")
                .unwrap_err()
                .message
                .contains("not DHCP lease data")
        );
        let bad = from_dhcp_lease("x", "lease {\n option wpad \"/etc/passwd\";\n}\n").unwrap_err();
        assert!(bad.message.contains("not an http(s) URL"), "{bad}");
    }
}
