//! Routes and the `FindProxyForURL` result syntax.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Kind of proxy a route goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProxyKind {
    /// HTTP proxy (`PROXY` / `HTTP`): CONNECT for https URLs.
    Http,
    /// HTTP proxy reached over TLS (`HTTPS`).
    Https,
    /// SOCKS version 4, the client resolving the name and sending an IPv4
    /// address (`SOCKS4`, plain `SOCKS`, curl's `socks4://`: Chrome and
    /// Firefox resolve locally for these).
    Socks4,
    /// SOCKS version 4a: the proxy resolves the name (curl's `socks4a://`).
    Socks4a,
    /// SOCKS version 5, the client resolving the name (curl's `socks5://`).
    Socks5,
    /// SOCKS version 5, the proxy resolving the name (a PAC's `SOCKS5`, as
    /// Chrome and Firefox send it; curl's `socks5h://`).
    Socks5h,
}

impl ProxyKind {
    /// Port used when the entry gives none: what browsers assume.
    pub fn default_port(self) -> u16 {
        match self {
            ProxyKind::Http => 80,
            ProxyKind::Https => 443,
            ProxyKind::Socks4 | ProxyKind::Socks4a | ProxyKind::Socks5 | ProxyKind::Socks5h => 1080,
        }
    }

    /// Whether the proxy, not this machine, resolves the destination's name.
    pub fn proxy_resolves_names(self) -> bool {
        matches!(
            self,
            ProxyKind::Http | ProxyKind::Https | ProxyKind::Socks4a | ProxyKind::Socks5h
        )
    }

    /// The PAC keyword (`SOCKS4A` is curl's name: a PAC cannot ask for it).
    fn keyword(self) -> &'static str {
        match self {
            ProxyKind::Http => "PROXY",
            ProxyKind::Https => "HTTPS",
            ProxyKind::Socks4 => "SOCKS4",
            ProxyKind::Socks4a => "SOCKS4A",
            ProxyKind::Socks5 | ProxyKind::Socks5h => "SOCKS5",
        }
    }
}

/// One way to reach a URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Route {
    /// Connect to the origin directly.
    Direct,
    /// Go through a proxy.
    Proxy {
        /// Proxy protocol.
        kind: ProxyKind,
        /// Host name or address (IPv6 without brackets).
        host: String,
        /// Port.
        port: u16,
    },
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Direct => f.write_str("DIRECT"),
            Route::Proxy { kind, host, port } => {
                if host.contains(':') {
                    write!(f, "{} [{host}]:{port}", kind.keyword())?;
                } else {
                    write!(f, "{} {host}:{port}", kind.keyword())?;
                }
                // A PAC's SOCKS5 sends names to the proxy; curl's socks5://
                // does not, and a reader must be able to tell them apart.
                if *kind == ProxyKind::Socks5 {
                    f.write_str(" (local DNS)")?;
                }
                Ok(())
            }
        }
    }
}

/// An entry of the result that could not be used; browsers skip these too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteWarning {
    /// The entry as the script returned it.
    pub raw: String,
    /// Why it was skipped.
    pub reason: String,
}

/// The routes of one result, in order, and the entries that were skipped.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ParsedRoutes {
    /// Usable routes in the order a client tries them.
    pub routes: Vec<Route>,
    /// Entries skipped, with the raw text.
    pub warnings: Vec<RouteWarning>,
}

/// A result with no usable route at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// Empty or blank string.
    #[error("FindProxyForURL returned an empty string")]
    Empty,
    /// Every entry was invalid.
    #[error("FindProxyForURL returned no usable route in {}", pathprobe_files::quote::quoted(.raw))]
    NoUsableRoute {
        /// The whole result.
        raw: String,
    },
}

/// Parses a `FindProxyForURL` result such as `"PROXY a:8080; DIRECT"`.
pub fn parse_pac_result(result: &str) -> Result<ParsedRoutes, RouteError> {
    if result.trim().is_empty() {
        return Err(RouteError::Empty);
    }
    let mut out = ParsedRoutes::default();
    for raw in result.split(';') {
        let entry = raw.trim();
        if entry.is_empty() {
            continue; // "PROXY a:1;;DIRECT" and a trailing ';' are common
        }
        match parse_entry(entry) {
            Ok(route) => out.routes.push(route),
            Err(reason) => out.warnings.push(RouteWarning {
                raw: entry.to_string(),
                reason,
            }),
        }
    }
    if out.routes.is_empty() {
        return Err(RouteError::NoUsableRoute {
            raw: result.to_string(),
        });
    }
    Ok(out)
}

fn parse_entry(entry: &str) -> Result<Route, String> {
    let mut parts = entry.split_whitespace();
    let keyword = parts.next().unwrap_or_default().to_ascii_uppercase();
    let address = parts.next();
    if let Some(extra) = parts.next() {
        return Err(format!(
            "unexpected text {} after the address",
            pathprobe_files::quote::quoted(extra)
        ));
    }
    let kind = match keyword.as_str() {
        "DIRECT" => {
            return match address {
                None => Ok(Route::Direct),
                Some(a) => Err(format!("DIRECT takes no address, got \"{a}\"")),
            };
        }
        "PROXY" | "HTTP" => ProxyKind::Http,
        "HTTPS" => ProxyKind::Https,
        // Chrome and Firefox read a bare SOCKS as SOCKS v4 and resolve its
        // names themselves; for SOCKS5 they send the name to the proxy.
        "SOCKS" | "SOCKS4" => ProxyKind::Socks4,
        "SOCKS5" => ProxyKind::Socks5h,
        other => {
            return Err(format!(
                "unknown route type {}",
                pathprobe_files::quote::quoted(other)
            ));
        }
    };
    let address = address.ok_or_else(|| format!("{keyword} needs host[:port]"))?;
    let (host, port) = split_host_port(address)?;
    Ok(Route::Proxy {
        kind,
        host,
        port: port.unwrap_or(kind.default_port()),
    })
}

fn split_host_port(address: &str) -> Result<(String, Option<u16>), String> {
    let port_of = |p: &str| -> Result<u16, String> {
        // Digits only: `+80` parses as a number but is no port clients read.
        p.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| p.parse::<u16>().ok())
            .flatten()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("invalid port \"{p}\""))
    };
    if let Some(rest) = address.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("unclosed '[' in \"{address}\""))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(port_of(p)?),
            None if after.is_empty() => None,
            None => return Err(format!("unexpected \"{after}\" after IPv6 address")),
        };
        return Ok((host.to_ascii_lowercase(), port));
    }
    // Clients skip what is not `host[:port]`; taking the rest for a host
    // would probe a name that cannot exist ("user:pw@h", "http://h:1").
    if address.contains("://") {
        return Err(format!(
            "\"{address}\": a PAC entry names host:port, without a scheme"
        ));
    }
    if address.contains('@') {
        return Err("a PAC entry holds no credentials (user:password@): clients skip it".into());
    }
    let (host, port) = match address.matches(':').count() {
        0 => (address, None),
        1 => {
            let (h, p) = address.split_once(':').unwrap_or((address, ""));
            (h, Some(port_of(p)?))
        }
        // Unbracketed, `::1:3128` is both the address ::1:3128 and ::1 with
        // port 3128: clients that take it read it differently (Chromium
        // refuses it), so it is skipped, not guessed.
        _ => {
            return Err(format!(
                "\"{address}\": an IPv6 address in a PAC entry is written in brackets, [address] or [address]:port; unbracketed it is ambiguous and clients skip it"
            ));
        }
    };
    if host.is_empty() {
        return Err(format!("missing host in \"{address}\""));
    }
    if let Err(e) = host.parse::<pathprobe_host::Host>() {
        return Err(format!("\"{host}\" is not a host: {e}"));
    }
    Ok((host.to_ascii_lowercase(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxy(kind: ProxyKind, host: &str, port: u16) -> Route {
        Route::Proxy {
            kind,
            host: host.into(),
            port,
        }
    }

    #[test]
    fn all_route_types_with_default_ports() {
        let p =
            parse_pac_result("PROXY a; HTTP b:81; HTTPS c; SOCKS d; SOCKS4 e; SOCKS5 f; DIRECT")
                .unwrap();
        assert_eq!(
            p.routes,
            vec![
                proxy(ProxyKind::Http, "a", 80),
                proxy(ProxyKind::Http, "b", 81),
                proxy(ProxyKind::Https, "c", 443),
                proxy(ProxyKind::Socks4, "d", 1080),
                proxy(ProxyKind::Socks4, "e", 1080),
                proxy(ProxyKind::Socks5h, "f", 1080),
                Route::Direct,
            ]
        );
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn tolerant_of_case_spaces_and_empty_entries() {
        let p = parse_pac_result("  proxy   Proxy.Corp:3128 ;; direct ; ").unwrap();
        assert_eq!(
            p.routes,
            vec![proxy(ProxyKind::Http, "proxy.corp", 3128), Route::Direct]
        );
    }

    #[test]
    fn ipv6_proxies() {
        let p = parse_pac_result("PROXY [2001:db8::1]:8080; SOCKS5 [::1]").unwrap();
        assert_eq!(p.routes[0], proxy(ProxyKind::Http, "2001:db8::1", 8080));
        assert_eq!(p.routes[0].to_string(), "PROXY [2001:db8::1]:8080");
        assert_eq!(p.routes[1], proxy(ProxyKind::Socks5h, "::1", 1080));
        assert_eq!(p.routes[1].to_string(), "SOCKS5 [::1]:1080");
        assert_eq!(
            proxy(ProxyKind::Socks5, "::1", 1080).to_string(),
            "SOCKS5 [::1]:1080 (local DNS)"
        );
        // Without brackets, the port cannot be told from the address.
        for entry in ["PROXY ::1:3128", "PROXY ::1", "SOCKS 2001:db8::1"] {
            let p = parse_pac_result(&format!("{entry}; DIRECT")).unwrap();
            assert_eq!(p.routes, vec![Route::Direct], "{entry}");
            assert!(
                p.warnings[0].reason.contains("in brackets"),
                "{entry}: {:?}",
                p.warnings
            );
        }
    }

    #[test]
    fn invalid_entries_are_warnings_with_raw_text() {
        let p =
            parse_pac_result("PROXY a:99999; FTP b:21; PROXY; DIRECT x; PROXY c:8080; PROXY d:+80")
                .unwrap();
        assert_eq!(p.routes, vec![proxy(ProxyKind::Http, "c", 8080)]);
        let raws: Vec<&str> = p.warnings.iter().map(|w| w.raw.as_str()).collect();
        assert_eq!(
            raws,
            vec![
                "PROXY a:99999",
                "FTP b:21",
                "PROXY",
                "DIRECT x",
                "PROXY d:+80"
            ]
        );
        assert!(p.warnings[0].reason.contains("invalid port"));
        // What clients skip is skipped here, not probed as a name.
        let p = parse_pac_result(
            "PROXY user:pw@127.0.0.1:8128; PROXY http://127.0.0.1:8128; PROXY ::1:18128; PROXY bad_host!:1; PROXY ok.test:3128",
        )
        .unwrap();
        assert_eq!(p.routes, vec![proxy(ProxyKind::Http, "ok.test", 3128)]);
        assert_eq!(p.warnings.len(), 4, "{:?}", p.warnings);
        assert!(
            !p.warnings[0].reason.contains("pw@"),
            "{}",
            p.warnings[0].reason
        );
    }

    #[test]
    fn empty_or_useless_results_are_errors() {
        assert_eq!(parse_pac_result("  "), Err(RouteError::Empty));
        assert!(matches!(
            parse_pac_result("BOGUS x"),
            Err(RouteError::NoUsableRoute { .. })
        ));
    }
}
