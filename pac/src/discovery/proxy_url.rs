//! Proxy addresses as people write them in settings: `proxy:3128`,
//! `http://user:pass@proxy.corp:8080/`, `socks5h://10.0.0.1`.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::route::{ProxyKind, Route};

/// A user name and password found in a proxy setting. Never printed: `Debug`
/// and every report show only that credentials are present.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    user: String,
    password: String,
}

impl Credentials {
    /// Credentials given by the user (`--proxy-user`) or found in a URL.
    pub fn new(user: &str, password: &str) -> Self {
        Self {
            user: user.to_owned(),
            password: password.to_owned(),
        }
    }
    /// The user name (for the proxy handshake only; do not log it).
    pub fn user(&self) -> &str {
        &self.user
    }
    /// The password (for the proxy handshake only; do not log it).
    pub fn password(&self) -> &str {
        &self.password
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials(REDACTED)")
    }
}

/// A configured proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    /// Protocol spoken to the proxy.
    pub kind: ProxyKind,
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Port (the default when none was written; see `port_given`).
    pub port: u16,
    /// Whether the setting wrote a port.
    pub port_given: bool,
    /// Credentials embedded in the setting, if any.
    pub credentials: Option<Credentials>,
}

impl Serialize for ProxyUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.kind {
            ProxyKind::Http => "http",
            ProxyKind::Https => "https",
            ProxyKind::Socks4 => "socks4",
            ProxyKind::Socks4a => "socks4a",
            ProxyKind::Socks5 => "socks5",
            ProxyKind::Socks5h => "socks5h",
        };
        let auth = if self.credentials.is_some() {
            "REDACTED@"
        } else {
            ""
        };
        if self.host.contains(':') {
            write!(f, "{scheme}://{auth}[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{scheme}://{auth}{}:{}", self.host, self.port)
        }
    }
}

/// Which default port a source's clients assume when none is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortDefault {
    /// curl and tools that follow it: 1080 for HTTP and SOCKS, 443 for HTTPS.
    Curl,
    /// The scheme's own port: 80 for HTTP, 443 for HTTPS, 1080 for SOCKS.
    Scheme,
}

/// A proxy setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{shown}\" is not a usable proxy: {reason}")]
pub struct ProxyUrlError {
    /// The setting, with any credentials removed.
    pub shown: String,
    /// Why.
    pub reason: String,
}

impl ProxyUrl {
    /// Parses a proxy setting. A missing scheme means HTTP; a missing port is
    /// filled in as `defaults` says and flagged in `port_given`.
    pub fn parse(text: &str, defaults: PortDefault) -> Result<Self, ProxyUrlError> {
        let trimmed = text.trim();
        let fail = |reason: &str| ProxyUrlError {
            shown: redact_text(trimmed),
            reason: reason.to_owned(),
        };
        if trimmed.is_empty() {
            return Err(fail("the value is empty"));
        }
        // URL parsing reads `\` as `/` and skips control characters: a
        // value cut or escaped that way would be read as another proxy.
        let odd = pathprobe_files::quote::control_character(trimmed).or_else(|| {
            trimmed.chars().find_map(|c| match c {
                '\\' => Some("a backslash".to_owned()),
                c if c.is_whitespace() => Some("a space".to_owned()),
                _ => None,
            })
        });
        if let Some(odd) = odd {
            return Err(fail(&format!(
                "it holds {odd}, which no proxy address does"
            )));
        }
        // `https_proxy='"http://p:3128"'`: quotes kept from a shell or a
        // file that does not strip them (round 18: `""` became the host
        // `""`).
        if trimmed.starts_with(['"', '\'']) || trimmed.ends_with(['"', '\'']) {
            return Err(fail(
                "it is written inside quotes, which are no part of a proxy address: the value kept the quotes it was written with (set it without them)",
            ));
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("http://{trimmed}")
        };
        let (scheme, _) = with_scheme.split_once("://").unwrap_or(("http", ""));
        let kind = match scheme.to_ascii_lowercase().as_str() {
            "http" => ProxyKind::Http,
            "https" => ProxyKind::Https,
            "socks" | "socks4" => ProxyKind::Socks4,
            "socks4a" => ProxyKind::Socks4a,
            "socks5" => ProxyKind::Socks5,
            "socks5h" => ProxyKind::Socks5h,
            other => {
                return Err(fail(&format!(
                    "unknown proxy scheme \"{other}\" (http, https, socks4, socks4a, socks5, socks5h)"
                )));
            }
        };
        // Parse as http so the url crate accepts every scheme the same way.
        let rest = with_scheme.split_once("://").map_or("", |(_, r)| r);
        // The URL parser's reasons, in words (round 19: "invalid port
        // number", "empty host").
        let url = url::Url::parse(&format!("http://{rest}")).map_err(|e| {
            fail(match e {
                url::ParseError::InvalidPort => "its port is not a number from 1 to 65535",
                url::ParseError::EmptyHost => "it names no host",
                url::ParseError::InvalidIpv6Address => {
                    "its IPv6 address is not one (write it in brackets, [address]:port)"
                }
                url::ParseError::InvalidIpv4Address => "its IPv4 address is not one",
                url::ParseError::InvalidDomainCharacter => {
                    "its host name holds a character no host name has"
                }
                url::ParseError::IdnaError => {
                    "its host name cannot be written as an international domain name"
                }
                _ => "it is not a proxy address (scheme://host:port)",
            })
        })?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| fail("it names no host"))?;
        let host = crate::helpers::strip_brackets(host).to_ascii_lowercase();
        // URL parsing reads `1.2.3` as 1.2.0.3 and `5` as 0.0.0.5: a proxy
        // the user did not write. An address is four numbers here.
        if let Some(url::Host::Ipv4(ip)) = url.host() {
            let written = written_host(rest);
            if written.parse::<std::net::Ipv4Addr>().is_err() {
                return Err(fail(&format!(
                    "\"{written}\" is not an IPv4 address written as four numbers (URL parsing would make it {ip}): write the whole address, or a host name"
                )));
            }
        }
        if !matches!(url.path(), "" | "/") || url.query().is_some() {
            return Err(fail("a proxy address has no path or query"));
        }
        let written_port = port_in(rest);
        // Port 0 is no port a proxy listens on (round 20: `127.0.0.1:0`
        // was in force, and every URL proxy_unreachable).
        if written_port == Some(0) {
            return Err(fail("its port is not a number from 1 to 65535"));
        }
        let port = match written_port {
            Some(p) => p,
            None => match (defaults, kind) {
                (_, ProxyKind::Https) => 443,
                (
                    _,
                    ProxyKind::Socks4 | ProxyKind::Socks4a | ProxyKind::Socks5 | ProxyKind::Socks5h,
                ) => 1080,
                (PortDefault::Curl, ProxyKind::Http) => 1080,
                (PortDefault::Scheme, ProxyKind::Http) => 80,
            },
        };
        let credentials = (!url.username().is_empty() || url.password().is_some()).then(|| {
            Credentials::new(
                &percent_decode(url.username()),
                &percent_decode(url.password().unwrap_or("")),
            )
        });
        Ok(Self {
            kind,
            host,
            port,
            port_given: written_port.is_some(),
            credentials,
        })
    }

    /// The route a client takes through this proxy.
    pub fn route(&self) -> Route {
        Route::Proxy {
            kind: self.kind,
            host: self.host.clone(),
            port: self.port,
        }
    }
}

/// The host as written in `user:pass@host:port/…` text.
fn written_host(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host_port.split(':').next().unwrap_or(host_port)
}

/// The port written in `host:port` text, if any (the url crate hides the
/// scheme's default port, which would lose "was it written").
fn port_in(rest: &str) -> Option<u16> {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let after_host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map(|(_, rest)| rest)?,
        None => host_port
            .find(':')
            .map(|i| host_port.get(i..).unwrap_or(""))?,
    };
    after_host.strip_prefix(':')?.parse().ok()
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// A setting's text with any `user:password@` removed, for messages.
pub fn redact_text(text: &str) -> String {
    let (scheme, rest) = match text.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), text),
    };
    // The user information ends at the last `@`: a password written raw
    // may hold `/`, `?` or `#` (round 23: `pc:Port/S3cret@h:1` was cut at
    // its `/`, and the rest shown).
    let (userinfo, after) = match rest.rsplit_once('@') {
        Some((userinfo, after)) => (Some(userinfo), after),
        None => (None, rest),
    };
    let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, tail) = after.split_at(authority_end);
    // What stands where the port belongs and is no number may be a
    // password: USER:PASSWORD given as a proxy (round 22: `bob:PWX4` was
    // quoted whole).
    let host = match authority.rsplit_once(':') {
        Some((before, port))
            if !port.is_empty()
                && !port.ends_with(']')
                && !port.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{before}:REDACTED")
        }
        _ => authority.to_owned(),
    };
    match userinfo {
        // What stands before the user information's word stays (round 21:
        // `PROXY a:pw@h:1` was shown as `REDACTED@h:1`, "it holds a space").
        Some(userinfo) => {
            let keep = userinfo
                .rfind(char::is_whitespace)
                .and_then(|i| userinfo.get(..=i))
                .unwrap_or_default();
            format!("{scheme}{keep}REDACTED@{host}{tail}")
        }
        None => format!("{scheme}{host}{tail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backslashes_spaces_and_control_characters_are_refused() {
        for text in [
            "http://proxy.corp.example:3128\\",
            "proxy.corp.example:3128 extra",
            "http://p:3128\u{0}",
        ] {
            let e = ProxyUrl::parse(text, PortDefault::Curl).unwrap_err();
            assert!(e.reason.contains("no proxy address does"), "{text:?}: {e}");
        }
        // Round 22: USER:PASSWORD given as a proxy, and credentials swapped
        // around the `@`: what stands where the port belongs is hidden.
        for (given, shown) in [
            ("bob:PWX4", "\"bob:REDACTED\""),
            ("px.test:1@bob:PW5", "\"REDACTED@bob:REDACTED\""),
        ] {
            let e = ProxyUrl::parse(given, PortDefault::Curl).unwrap_err();
            assert!(e.to_string().contains(shown), "{given}: {e}");
            assert!(!e.to_string().contains("PW"), "{given}: {e}");
        }
        // Round 23: a password holding `/` is the user information's to
        // its last `@`.
        let e = ProxyUrl::parse("http://pc:Port/S3cret@127.0.0.1:1", PortDefault::Curl)
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string());
        assert!(!e.contains("S3cret"), "{e}");
        assert_eq!(
            redact_text("http://pc:Port/S3cret@127.0.0.1:1"),
            "http://REDACTED@127.0.0.1:1"
        );
        // Round 21: the word before the credentials stays in the quote.
        let e = ProxyUrl::parse("PROXY alice:pw@127.0.0.1:3128", PortDefault::Curl).unwrap_err();
        assert!(
            e.to_string().contains("\"PROXY REDACTED@127.0.0.1:3128\"")
                && !e.to_string().contains("pw@"),
            "{e}"
        );
    }

    #[test]
    fn forms_people_write() {
        let p = ProxyUrl::parse("proxy.corp:3128", PortDefault::Curl).unwrap();
        assert_eq!(
            (p.kind, p.host.as_str(), p.port, p.port_given),
            (ProxyKind::Http, "proxy.corp", 3128, true)
        );
        let p = ProxyUrl::parse("http://Proxy.Corp:8080/", PortDefault::Curl).unwrap();
        assert_eq!(p.to_string(), "http://proxy.corp:8080");
        let p = ProxyUrl::parse("socks5h://10.0.0.1", PortDefault::Curl).unwrap();
        assert_eq!(
            (p.kind, p.port, p.port_given),
            (ProxyKind::Socks5h, 1080, false)
        );
        let p = ProxyUrl::parse("socks5://10.0.0.1", PortDefault::Curl).unwrap();
        assert!(!p.kind.proxy_resolves_names());
        assert_eq!(p.to_string(), "socks5://10.0.0.1:1080");
        let p = ProxyUrl::parse("socks4a://s", PortDefault::Curl).unwrap();
        assert!(p.kind.proxy_resolves_names());
        assert_eq!(p.route().to_string(), "SOCKS4A s:1080");
        let p = ProxyUrl::parse("https://[fd00::1]:8443", PortDefault::Curl).unwrap();
        assert_eq!((p.host.as_str(), p.port), ("fd00::1", 8443));
        assert_eq!(p.to_string(), "https://[fd00::1]:8443");
    }

    #[test]
    fn default_ports_depend_on_who_reads_the_setting() {
        let curl = ProxyUrl::parse("proxy.corp", PortDefault::Curl).unwrap();
        assert_eq!((curl.port, curl.port_given), (1080, false));
        let scheme = ProxyUrl::parse("http://proxy.corp", PortDefault::Scheme).unwrap();
        assert_eq!(scheme.port, 80);
        let explicit80 = ProxyUrl::parse("http://proxy.corp:80", PortDefault::Curl).unwrap();
        assert_eq!((explicit80.port, explicit80.port_given), (80, true));
        assert_eq!(
            ProxyUrl::parse("https://p", PortDefault::Curl)
                .unwrap()
                .port,
            443
        );
    }

    #[test]
    fn credentials_are_kept_but_never_shown() {
        let p =
            ProxyUrl::parse("http://alice:s%40cret@proxy.corp:3128", PortDefault::Curl).unwrap();
        let c = p.credentials.as_ref().unwrap();
        assert_eq!((c.user(), c.password()), ("alice", "s@cret"));
        assert_eq!(p.to_string(), "http://REDACTED@proxy.corp:3128");
        let debug = format!("{p:?}");
        assert!(
            !debug.contains("s@cret") && !debug.contains("alice"),
            "{debug}"
        );
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            "\"http://REDACTED@proxy.corp:3128\""
        );
    }

    #[test]
    fn unusable_settings_say_why_without_leaking() {
        let e = ProxyUrl::parse("ftp://u:hunter2@proxy:21", PortDefault::Curl).unwrap_err();
        assert!(e.reason.contains("unknown proxy scheme"), "{e}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert!(ProxyUrl::parse("  ", PortDefault::Curl).is_err());
        assert!(ProxyUrl::parse("http://:8080", PortDefault::Curl).is_err());
        assert!(ProxyUrl::parse("http://proxy:99999", PortDefault::Curl).is_err());
        // Round 20: port 0 is no port.
        let zero = ProxyUrl::parse("http://a:pw@127.0.0.1:0", PortDefault::Curl).unwrap_err();
        assert!(zero.to_string().contains("from 1 to 65535"), "{zero}");
        assert!(ProxyUrl::parse("http://proxy:8080/path", PortDefault::Curl).is_err());
        // Shorthand addresses the URL parser would widen into others.
        for shorthand in ["5", "1.2.3:3128", "http://u:p@0x7f.1:8080", "017.0.0.1"] {
            let e = ProxyUrl::parse(shorthand, PortDefault::Scheme).unwrap_err();
            assert!(e.reason.contains("four numbers"), "{shorthand}: {e}");
        }
        let full = ProxyUrl::parse("http://u:p@10.0.0.1:3128", PortDefault::Scheme).unwrap();
        assert_eq!(full.host, "10.0.0.1");
        // Quotes kept around the value (round 18: `""` was the host `""`).
        for quoted in ["\"\"", "\"http://p:3128\"", "'p:3128'"] {
            let e = ProxyUrl::parse(quoted, PortDefault::Curl).unwrap_err();
            assert!(e.reason.contains("written inside quotes"), "{quoted}: {e}");
        }
    }

    #[test]
    fn redaction_of_free_text() {
        assert_eq!(redact_text("http://u:p@h:1/x"), "http://REDACTED@h:1/x");
        assert_eq!(redact_text("u:p@h:1"), "REDACTED@h:1");
        assert_eq!(redact_text("h:1"), "h:1");
    }
}
