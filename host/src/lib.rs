//! Host names and addresses, read one way wherever pathprobe meets them: in
//! a catalog, a `--resolve` pin, a `NO_PROXY` entry or the host a PAC script
//! receives. One reading means they agree: `Intranet-GW.`, `intranet-gw`
//! and `INTRANET-GW` are one host; `[::1]`, `::1` and `0:0::1` one address;
//! `bücher.example` is `xn--bcher-kva.example`, the form sent on the wire.
//!
//! ```
//! use pathprobe_host::{Host, split_authority};
//!
//! let host: Host = "Bücher.Example.".parse().unwrap();
//! assert_eq!(host.to_string(), "xn--bcher-kva.example");
//! assert_eq!(host.unicode(), "bücher.example");
//!
//! let (host, port) = split_authority("[2001:DB8::1]:8443").unwrap();
//! assert_eq!(host.url_form(), "[2001:db8::1]");
//! assert_eq!(port, Some(8443));
//!
//! assert!("proxy".parse::<Host>().is_ok(), "single labels are hosts");
//! assert!("not a host".parse::<Host>().is_err());
//! ```

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// A host: a DNS name (lower case, ASCII, no trailing dot) or an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    /// A name, as DNS is asked for it (`xn--` labels for internationalised ones).
    Name(String),
    /// An IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address.
    Ipv6(Ipv6Addr),
}

/// Why text is not a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    /// Nothing to read.
    #[error("it is empty")]
    Empty,
    /// Spaces inside.
    #[error("it holds spaces, which no host name or URL does")]
    Spaces,
    /// Characters or labels no DNS name holds.
    #[error("it is not a host name (characters or labels no DNS name holds)")]
    NotAName,
    /// Brackets around something that is not an IPv6 address.
    #[error("the text in brackets is not an IPv6 address")]
    BadIpv6,
    /// `[` without `]`, or text after `]` that is not a port.
    #[error("its IPv6 brackets are not closed, or text follows them")]
    Brackets,
    /// A port that is not 1 to 65535.
    #[error("its port is not a number from 1 to 65535")]
    BadPort,
    /// Ends in a number without being an IPv4 address of four numbers: URL
    /// parsers read `1.2.3`, `3.14159` or `45413` as an address nobody
    /// wrote (1.2.0.3, 3.0.122.207, 0.0.177.101).
    #[error(
        "it ends in a number, so URLs would read it as an IPv4 address nobody wrote: write an address as four numbers (192.0.2.1), or a name whose last label has a letter"
    )]
    NumericName,
}

impl Host {
    /// The host as a URL writes it: IPv6 in brackets.
    pub fn url_form(&self) -> String {
        match self {
            Self::Ipv6(ip) => format!("[{ip}]"),
            other => other.to_string(),
        }
    }

    /// The name as people write it (internationalised labels decoded);
    /// addresses as they are.
    pub fn unicode(&self) -> String {
        match self {
            Self::Name(name) => idna::domain_to_unicode(name).0,
            other => other.to_string(),
        }
    }

    /// The address, when the host is one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Self::Name(_) => None,
            Self::Ipv4(ip) => Some(IpAddr::V4(*ip)),
            Self::Ipv6(ip) => Some(IpAddr::V6(*ip)),
        }
    }

    /// `localhost` and names under it (RFC 6761): loopback by design.
    pub fn is_localhost(&self) -> bool {
        matches!(self, Self::Name(n) if n == "localhost" || n.ends_with(".localhost"))
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name(name) => f.write_str(name),
            Self::Ipv4(ip) => write!(f, "{ip}"),
            Self::Ipv6(ip) => write!(f, "{ip}"),
        }
    }
}

impl FromStr for Host {
    type Err = HostError;

    /// A name, an IPv4 address, or an IPv6 address with or without brackets;
    /// any case, one trailing dot allowed.
    fn from_str(text: &str) -> Result<Self, HostError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(HostError::Empty);
        }
        if text.contains(char::is_whitespace) {
            return Err(HostError::Spaces);
        }
        if let Some(inside) = text.strip_prefix('[') {
            let inside = inside.strip_suffix(']').ok_or(HostError::Brackets)?;
            return inside
                .parse()
                .map(Self::Ipv6)
                .map_err(|_| HostError::BadIpv6);
        }
        if let Ok(ip) = text.parse::<Ipv6Addr>() {
            return Ok(Self::Ipv6(ip));
        }
        let name = text.strip_suffix('.').unwrap_or(text);
        if let Ok(ip) = name.parse::<Ipv4Addr>() {
            return Ok(Self::Ipv4(ip));
        }
        // The URL standard reads a host whose last label is a number (or
        // 0x-hex) as an IPv4 address; anything but four decimals is refused
        // rather than probed at an address the user did not write.
        let last = name.rsplit('.').next().unwrap_or(name);
        let numeric = !last.is_empty()
            && (last.bytes().all(|b| b.is_ascii_digit())
                || last
                    .strip_prefix("0x")
                    .or_else(|| last.strip_prefix("0X"))
                    .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit())));
        if numeric {
            return Err(HostError::NumericName);
        }
        dns_name(name).map(Self::Name)
    }
}

/// `name` as DNS is asked for it: lower case, punycode for internationalised
/// labels; letters, digits, hyphens and underscores (service names use them).
pub fn dns_name(name: &str) -> Result<String, HostError> {
    let ascii = if name.is_ascii() {
        name.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(name).map_err(|_| HostError::NotAName)?
    };
    let ok = !ascii.is_empty()
        && ascii.len() <= 253
        && ascii.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if ok {
        Ok(ascii)
    } else {
        Err(HostError::NotAName)
    }
}

/// `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (whose
/// colons are not a port).
pub fn split_authority(authority: &str) -> Result<(Host, Option<u16>), HostError> {
    let port_of = |p: &str| match p.parse::<u16>() {
        Ok(port) if port > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(port)),
        _ => Err(HostError::BadPort),
    };
    if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or(HostError::Brackets)?;
        let ip = inside.parse().map_err(|_| HostError::BadIpv6)?;
        let port = match after {
            "" => None,
            other => port_of(other.strip_prefix(':').ok_or(HostError::Brackets)?)?,
        };
        return Ok((Host::Ipv6(ip), port));
    }
    if let Ok(ip) = authority.parse::<Ipv6Addr>() {
        return Ok((Host::Ipv6(ip), None));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Ok((host.parse()?, port_of(port)?)),
        None => Ok((authority.parse()?, None)),
    }
}

/// The form of `host` every lookup table keys on ("Intranet-GW." and
/// "intranet-gw" alike; `*.Corp.Example.` as `*.corp.example`), or the
/// text lower-cased when it is not a host.
pub fn key(host: &str) -> String {
    let host = host.trim();
    if let Some(suffix) = host.strip_prefix("*.") {
        return format!("*.{}", key(suffix));
    }
    host.parse::<Host>()
        .map_or_else(|_| host.to_ascii_lowercase(), |h| h.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_form() {
        let h = |s: &str| s.parse::<Host>().map(|h| h.to_string());
        assert_eq!(h("Intranet-GW."), Ok("intranet-gw".into()));
        assert_eq!(h("10.1.2.3"), Ok("10.1.2.3".into()));
        assert_eq!(h("10.1.2.3."), Ok("10.1.2.3".into()));
        assert_eq!(h("[2001:DB8:0::1]"), Ok("2001:db8::1".into()));
        assert_eq!(h("::1"), Ok("::1".into()));
        assert_eq!(h("bücher.example"), Ok("xn--bcher-kva.example".into()));
        assert_eq!(h("_ldap._tcp.corp"), Ok("_ldap._tcp.corp".into()));
        assert_eq!(h("a b"), Err(HostError::Spaces));
        assert_eq!(h("[zz]"), Err(HostError::BadIpv6));
        assert_eq!(h("-bad.example"), Err(HostError::NotAName));
        assert_eq!(h("a..b"), Err(HostError::NotAName));
        assert_eq!(
            split_authority("proxy:8080"),
            Ok((Host::Name("proxy".into()), Some(8080)))
        );
        assert_eq!(split_authority("proxy:0"), Err(HostError::BadPort));
        assert_eq!(split_authority("[::1]x"), Err(HostError::Brackets));
        assert_eq!(key("Intranet-GW."), "intranet-gw");
        assert_eq!(key("*.Bücher.Example."), "*.xn--bcher-kva.example");
    }

    #[test]
    fn numbers_are_not_names() {
        // URL parsers read each of these as an IPv4 address nobody wrote.
        for text in [
            "1.2.3",
            "3.14159",
            "45413",
            "10.1",
            "a.0x1F",
            "1.2.3.4.5",
            "256.1.1.1",
        ] {
            assert_eq!(text.parse::<Host>(), Err(HostError::NumericName), "{text}");
        }
        // A number inside a name is fine; the last label decides.
        assert_eq!(
            "1.example".parse::<Host>(),
            Ok(Host::Name("1.example".into()))
        );
        assert_eq!("host-1".parse::<Host>(), Ok(Host::Name("host-1".into())));
        assert_eq!(
            "0xfeed.example".parse::<Host>(),
            Ok(Host::Name("0xfeed.example".into()))
        );
    }

    fn label() -> impl Strategy<Value = String> {
        "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?"
    }

    fn host() -> impl Strategy<Value = Host> {
        prop_oneof![
            // A name's last label has a letter: one of digits only is an
            // address to URL parsers (refused, see `numbers_are_not_names`).
            (
                proptest::collection::vec(label(), 0..3),
                "[a-z]([a-z0-9-]{0,9}[a-z0-9])?"
            )
                .prop_map(|(mut l, last)| {
                    l.push(last);
                    Host::Name(l.join("."))
                }),
            any::<[u8; 4]>().prop_map(|o| Host::Ipv4(Ipv4Addr::from(o))),
            any::<[u16; 8]>().prop_map(|s| Host::Ipv6(Ipv6Addr::from(s))),
            ("[a-z]{1,6}", "[äöüéß]{1,3}", "[a-z]{2,6}").prop_map(|(a, b, tld)| {
                Host::Name(dns_name(&format!("{a}{b}.{tld}")).unwrap_or_else(|_| a.clone()))
            }),
        ]
    }

    proptest! {
        /// Written as people write it (any case, a trailing dot, brackets or
        /// not, with a port), a host reads back as itself.
        #[test]
        fn hosts_round_trip(h in host(), upper in any::<bool>(), dot in any::<bool>(), port in proptest::option::of(1u16..)) {
            let mut text = if upper { h.url_form().to_ascii_uppercase() } else { h.url_form() };
            if dot && matches!(h, Host::Name(_)) {
                text.push('.');
            }
            prop_assert_eq!(text.parse::<Host>(), Ok(h.clone()));
            let authority = match port {
                Some(p) => format!("{text}:{p}"),
                None => text.clone(),
            };
            prop_assert_eq!(split_authority(&authority), Ok((h.clone(), port)));
            prop_assert_eq!(h.unicode().parse::<Host>(), Ok(h.clone()));
            prop_assert_eq!(key(&text), h.to_string());
        }
    }
}
