//! The URL forms found in catalogs: bare hosts, `*.suffix` and `*suffix`
//! wildcards, host + path (with `/*` path wildcards), full URLs, and prose.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// URL scheme of an endpoint.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Plain HTTP (port 80 rows: CRL and certificate trust lists).
    Http,
    /// HTTPS.
    Https,
}

impl Scheme {
    /// The port a client uses when none is given.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }

    /// `http` or `https`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which host names an endpoint covers.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum HostPattern {
    /// One host name, lower-case (`events.data.microsoft.com`).
    Exact(String),
    /// `*.suffix`: every name below `suffix` (not `suffix` itself).
    Subdomains(String),
    /// `*suffix` without a dot: every name ending in `suffix`, as firewalls read it
    /// (`*ecs.office.com` covers `ecs.office.com` and `xyzecs.office.com`).
    Suffix(String),
    /// A name with `*` labels inside it (`autodiscover.*.onmicrosoft.com`, as
    /// the Microsoft 365 feed writes one per tenant): each `*` stands for one
    /// or more labels, as `shExpMatch` reads it.
    Inner(String),
}

impl HostPattern {
    /// True for the two wildcard forms: such a pattern cannot be probed as written.
    pub fn is_wildcard(&self) -> bool {
        !matches!(self, HostPattern::Exact(_))
    }

    /// Whether a concrete host name falls under this pattern (case-insensitive).
    pub fn matches(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        match self {
            HostPattern::Exact(h) => host == *h,
            HostPattern::Subdomains(suffix) => host
                .strip_suffix(suffix.as_str())
                .is_some_and(|head| head.len() > 1 && head.ends_with('.')),
            HostPattern::Suffix(suffix) => host.ends_with(suffix.as_str()),
            HostPattern::Inner(pattern) => inner_matches(pattern, &host),
        }
    }

    /// The name part without wildcard syntax (`*.x.com` gives `x.com`; an
    /// inner pattern gives the domain after its last `*`).
    pub fn base(&self) -> &str {
        match self {
            HostPattern::Exact(h) | HostPattern::Subdomains(h) | HostPattern::Suffix(h) => h,
            HostPattern::Inner(pattern) => pattern
                .rsplit_once("*.")
                .map_or(pattern.as_str(), |(_, domain)| domain),
        }
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostPattern::Exact(h) => f.write_str(h),
            HostPattern::Subdomains(s) => write!(f, "*.{s}"),
            HostPattern::Suffix(s) => write!(f, "*{s}"),
            HostPattern::Inner(p) => f.write_str(p),
        }
    }
}

/// Whether `host` matches `pattern`, each `*` of which stands for one or
/// more labels (`a.*.b.com` covers `a.x.b.com` and `a.x.y.b.com`).
fn inner_matches(pattern: &str, host: &str) -> bool {
    let mut pieces = pattern.split('*');
    let Some(first) = pieces.next() else {
        return false;
    };
    let Some(mut rest) = host.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    for (i, piece) in pieces.iter().enumerate() {
        let last = i + 1 == pieces.len();
        // The star takes at least one character up to where the piece
        // starts; the last piece must end the name.
        let at = if last {
            rest.len()
                .checked_sub(piece.len())
                .filter(|at| *at > 0 && rest.ends_with(piece))
        } else {
            rest.get(1..)
                .and_then(|tail| tail.find(piece))
                .map(|at| at + 1)
        };
        let Some(at) = at else {
            return false;
        };
        // A star covers whole labels: what it takes has no leading or
        // trailing dot.
        let taken = &rest[..at];
        if taken.starts_with('.') || taken.ends_with('.') {
            return false;
        }
        rest = &rest[at + piece.len()..];
    }
    rest.is_empty()
}

/// Which paths of a host an endpoint covers.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PathPattern {
    /// No path given: the whole host.
    Any,
    /// One path (`/ClientWebService/client.asmx`).
    Exact(String),
    /// A path ending in `*` (`/pki/crl/*`): the prefix before the `*`.
    Prefix(String),
}

impl PathPattern {
    /// True when the path ends in a wildcard.
    pub fn is_wildcard(&self) -> bool {
        matches!(self, PathPattern::Prefix(_))
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathPattern::Any => Ok(()),
            PathPattern::Exact(p) => f.write_str(p),
            PathPattern::Prefix(p) => write!(f, "{p}*"),
        }
    }
}

/// A parsed URL cell: scheme and port when written, host pattern and path.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct UrlPattern {
    /// The scheme, when the cell gave one.
    pub scheme: Option<Scheme>,
    /// Host names covered.
    pub host: HostPattern,
    /// Port written in the URL itself (`host:8443`), if any.
    pub port: Option<u16>,
    /// Paths covered.
    pub path: PathPattern,
}

impl fmt::Display for UrlPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = self.scheme {
            write!(f, "{s}://")?;
        }
        match &self.host {
            HostPattern::Exact(h) => f.write_str(&url_host(h))?,
            other => write!(f, "{other}")?,
        }
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        write!(f, "{}", self.path)
    }
}

impl UrlPattern {
    /// The pattern with its internationalised labels decoded
    /// (`bücher.example` for `xn--bcher-kva.example`), when it has any.
    pub fn unicode(&self) -> Option<String> {
        let base = self.host.base();
        if !base.split('.').any(|label| label.starts_with("xn--")) {
            return None;
        }
        let decoded = pathprobe_host::Host::Name(base.to_owned()).unicode();
        // A label that is not valid punycode (`xn--zz`) decodes to
        // replacement characters: no readable form is made up for it.
        (decoded != base && !decoded.contains('\u{fffd}'))
            .then(|| self.to_string().replacen(base, &decoded, 1))
    }
}

/// What one item of a URL cell turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A host or URL.
    Url(UrlPattern),
    /// Text that names no host ("Root URL for public Microsoft CDN endpoints ...").
    Prose(String),
}

/// Splits a cell into its items: the vendor puts several URLs in one cell,
/// one per line. Blank lines are dropped.
pub fn split_cell(cell: &str) -> Vec<&str> {
    cell.split(['\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses one item of a URL cell.
///
/// Every form a host or URL takes is read: names (single labels like
/// `intranet-gw` included), IPv4 and IPv6 literals (bracketed in URLs, bare
/// in a host column), `host:port` without a scheme, a trailing dot, any case,
/// internationalised names (kept as punycode, the form sent on the wire).
/// Only text that cannot be a host is prose: it is kept, never dropped, and
/// [`why_prose`] says why.
pub fn parse_item(item: &str) -> Parsed {
    if address_block(item).is_some() {
        return Parsed::Prose(item.trim().to_string());
    }
    match parse_url(item.trim()) {
        Ok(url) => Parsed::Url(url),
        Err(_) => Parsed::Prose(item.trim().to_string()),
    }
}

/// An address block written as one (`13.107.6.152/31`, `2603:1006::/40`):
/// it names no host, and read as a URL it was one address and a path,
/// allowed as that one address (round 24).
fn address_block(item: &str) -> Option<crate::model::AddressRange> {
    let item = item.trim();
    let (address, prefix) = item.split_once('/')?;
    (!prefix.is_empty()
        && prefix.bytes().all(|b| b.is_ascii_digit())
        && address.parse::<std::net::IpAddr>().is_ok())
    .then(|| item.parse().ok())
    .flatten()
}

/// True for a host or URL in a form no ordinary word takes: a scheme, a
/// port, a dot or an IPv6 colon (a lone word such as a column header could
/// be a single-label host name).
pub fn is_clearly_a_host(item: &str) -> bool {
    parse_url(item.trim())
        .is_ok_and(|u| u.scheme.is_some() || u.port.is_some() || u.host.base().contains(['.', ':']))
}

/// Why `item` is not a host or URL (empty when it is one).
pub(crate) fn why_prose(item: &str) -> String {
    if address_block(item).is_some() {
        return "an address block, which names no host to probe; it is not exported either: a firewall rule for it is written by hand, or from the Microsoft 365 feed, which lists blocks as such".into();
    }
    parse_url(item.trim()).err().unwrap_or_default()
}

/// The error values a spreadsheet shows in a cell whose formula failed.
const SPREADSHEET_ERRORS: &[&str] = &[
    "#REF!",
    "#N/A",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
];

fn parse_url(text: &str) -> Result<UrlPattern, String> {
    // A formula that failed in the workbook: said as that (round 20: "not
    // a host name (characters or labels no DNS name holds)").
    if SPREADSHEET_ERRORS
        .iter()
        .any(|e| text.eq_ignore_ascii_case(e))
    {
        return Err(format!(
            "the cell shows the spreadsheet error {text}: its formula failed in the workbook; fix it there"
        ));
    }
    if text.contains(char::is_whitespace) {
        return Err(pathprobe_host::HostError::Spaces.to_string());
    }
    // A zero-width or direction character would be dropped by the name's
    // mapping and another host probed than the one the cell seems to hold.
    if let Some(hidden) = text.chars().find(|c| pathprobe_files::quote::is_hidden(*c)) {
        return Err(format!(
            "it holds a hidden character ({}): retype the name",
            pathprobe_files::quote::visible(&hidden.to_string())
        ));
    }
    // A URL without its scheme (`//host/path`, as HTML writes them): the
    // host is there, only the scheme is missing (round 21: "it is empty").
    if let Some(rest) = text.strip_prefix("//")
        && !rest.is_empty()
    {
        return Err(format!(
            "it starts with // and names no scheme: write https://{rest} (or the host alone)"
        ));
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((s, rest)) if s.eq_ignore_ascii_case("https") => (Some(Scheme::Https), rest),
        Some((s, rest)) if s.eq_ignore_ascii_case("http") => (Some(Scheme::Http), rest),
        Some(_) => return Err("only http and https URLs can be probed".into()),
        None => (None, text),
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // `user:password@host`: the credentials are the problem, not the port
    // or the name that the text before `@` would otherwise be read as.
    if authority.starts_with('@') {
        // `@SUM(1)`: a spreadsheet formula, or a stray sign; no credentials.
        return Err("it starts with @, which no host name does".into());
    }
    if authority.contains('@') {
        return Err(
            "it carries a user name or password before an @: the agent's URLs have none; remove them to probe the host"
                .into(),
        );
    }
    let (host, port) = split_authority(authority)?;
    // A lone word ("TBD", "None", "N/A") is what placeholder cells hold; a
    // single-label host is written with a scheme or a port.
    if scheme.is_none()
        && port.is_none()
        && matches!(&host, HostPattern::Exact(h) if !h.contains(['.', ':']) && h != "localhost")
    {
        return Err(format!(
            "a single word: write it as https://{0}/ or {0}:PORT to probe a host of that name",
            host.base()
        ));
    }
    let path = if path.is_empty() || path == "/" {
        PathPattern::Any
    } else if let Some(prefix) = path.strip_suffix('*') {
        PathPattern::Prefix(prefix.to_string())
    } else {
        PathPattern::Exact(path.to_string())
    };
    Ok(UrlPattern {
        scheme,
        host,
        port,
        path,
    })
}

/// The host pattern and port of an authority: wildcards here, every other
/// form by the shared host reader.
fn split_authority(authority: &str) -> Result<(HostPattern, Option<u16>), String> {
    let wildcard = authority.starts_with('*');
    if !wildcard && authority.contains('*') {
        return inner_authority(authority);
    }
    if !wildcard {
        let (host, port) = pathprobe_host::split_authority(authority).map_err(|e| e.to_string())?;
        return Ok((HostPattern::Exact(host.to_string()), port));
    }
    let (host_text, port) = match authority.rsplit_once(':') {
        Some((h, p)) => match p.parse::<u16>() {
            Ok(port) if port > 0 && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(port)),
            _ => return Err(pathprobe_host::HostError::BadPort.to_string()),
        },
        None => (authority, None),
    };
    let host_text = host_text.trim_end_matches('.');
    let name = |t: &str| pathprobe_host::dns_name(t).map_err(|e| e.to_string());
    let host = match host_text.strip_prefix("*.") {
        Some(rest) => HostPattern::Subdomains(name(rest)?),
        None => HostPattern::Suffix(name(host_text.trim_start_matches('*'))?),
    };
    // A wildcard over a single label (`*.corp`, `*foo`) is too wide to mean
    // anything a firewall would write.
    if !host.base().contains('.') {
        return Err("a wildcard needs a domain with a dot after it".into());
    }
    Ok((host, port))
}

/// `label.*.domain[:port]`: every label a name or a lone `*`, a domain with
/// a dot after the last `*`.
fn inner_authority(authority: &str) -> Result<(HostPattern, Option<u16>), String> {
    let (host_text, port) = match authority.rsplit_once(':') {
        Some((h, p)) => match p.parse::<u16>() {
            Ok(port) if port > 0 && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(port)),
            _ => return Err(pathprobe_host::HostError::BadPort.to_string()),
        },
        None => (authority, None),
    };
    let host_text = host_text.trim_end_matches('.').to_ascii_lowercase();
    let mut labels = Vec::new();
    for label in host_text.split('.') {
        if label == "*" {
            labels.push("*".to_owned());
        } else if label.contains('*') {
            return Err(format!(
                "\"{label}\": a * inside a name stands for whole labels (a.*.example.com)"
            ));
        } else {
            labels.push(pathprobe_host::dns_name(label).map_err(|e| e.to_string())?);
        }
    }
    let after = labels.iter().rev().take_while(|l| *l != "*").count();
    if after < 2 {
        return Err("a wildcard needs a domain with a dot after it".into());
    }
    Ok((HostPattern::Inner(labels.join(".")), port))
}

/// `host` as a URL writes it: IPv6 addresses in brackets.
pub(crate) fn url_host(host: &str) -> String {
    host.parse::<pathprobe_host::Host>()
        .map_or_else(|_| host.to_owned(), |h| h.url_form())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> UrlPattern {
        match parse_item(s) {
            Parsed::Url(u) => u,
            Parsed::Prose(p) => panic!("{p:?} parsed as prose"),
        }
    }

    #[test]
    fn stars_inside_a_name_stand_for_whole_labels() {
        let u = url("autodiscover.*.onmicrosoft.com");
        assert_eq!(
            u.host,
            HostPattern::Inner("autodiscover.*.onmicrosoft.com".into())
        );
        assert_eq!(u.host.base(), "onmicrosoft.com");
        assert!(u.host.is_wildcard());
        for (host, covered) in [
            ("autodiscover.contoso.onmicrosoft.com", true),
            ("AUTODISCOVER.a.b.onmicrosoft.com.", true),
            ("autodiscover.onmicrosoft.com", false),
            ("autodiscover..onmicrosoft.com", false),
            ("xautodiscover.contoso.onmicrosoft.com", false),
            ("autodiscover.contoso.onmicrosoft.com.evil", false),
            ("autodiscover.contosoonmicrosoft.com", false),
        ] {
            assert_eq!(u.host.matches(host), covered, "{host}");
        }
        let two = url("a.*.b.*.example.com:8443");
        assert_eq!(two.port, Some(8443));
        assert!(two.host.matches("a.x.b.y.example.com"));
        assert!(!two.host.matches("a.x.b.example.com"));
        for prose in ["a.*", "a.*.com", "a.x*.example.com", "a.*.exa mple.com"] {
            assert!(matches!(parse_item(prose), Parsed::Prose(_)), "{prose}");
        }
    }

    #[test]
    fn hidden_characters_and_bad_punycode_are_not_passed_over() {
        for hidden in [
            "b\u{200b}.example.com",
            "a.example.com\u{202e}",
            "\u{feff}c.example.com",
        ] {
            match parse_item(hidden) {
                Parsed::Prose(_) => assert!(
                    why_prose(hidden).contains("hidden character (<U+"),
                    "{hidden:?}"
                ),
                Parsed::Url(u) => panic!("{hidden:?} read as {u}"),
            }
        }
        assert_eq!(url("xn--zz.example.com").unicode(), None);
        assert_eq!(
            url("xn--bcher-kva.example").unicode().as_deref(),
            Some("bücher.example")
        );
    }

    #[test]
    fn bare_host() {
        let u = url("events.data.microsoft.com");
        assert_eq!(
            u.host,
            HostPattern::Exact("events.data.microsoft.com".into())
        );
        assert_eq!(u.path, PathPattern::Any);
        assert_eq!(u.scheme, None);
    }

    #[test]
    fn subdomain_and_suffix_wildcards() {
        let u = url("*.notify.windows.com");
        assert_eq!(u.host, HostPattern::Subdomains("notify.windows.com".into()));
        assert!(u.host.matches("a.notify.windows.com"));
        assert!(u.host.matches("A.B.Notify.Windows.com."));
        assert!(!u.host.matches("notify.windows.com"));
        assert!(!u.host.matches("xnotify.windows.com"));

        let s = url("*ecs.office.com/config/v1/MicrosoftWindowsDefenderClient");
        assert_eq!(s.host, HostPattern::Suffix("ecs.office.com".into()));
        assert!(s.host.matches("ecs.office.com"));
        assert!(s.host.matches("xyzecs.office.com"));
        assert_eq!(
            s.path,
            PathPattern::Exact("/config/v1/MicrosoftWindowsDefenderClient".into())
        );
        assert_eq!(
            s.to_string(),
            "*ecs.office.com/config/v1/MicrosoftWindowsDefenderClient"
        );
    }

    #[test]
    fn host_with_path_wildcard() {
        let u = url("crl.microsoft.com/pki/crl/*");
        assert_eq!(u.host, HostPattern::Exact("crl.microsoft.com".into()));
        assert_eq!(u.path, PathPattern::Prefix("/pki/crl/".into()));
        assert_eq!(u.to_string(), "crl.microsoft.com/pki/crl/*");
        let w = url("*.blob.core.windows.net/networkscannerstable/*");
        assert!(w.host.is_wildcard() && w.path.is_wildcard());
    }

    #[test]
    fn full_urls_with_scheme_and_port() {
        let u = url("https://www.microsoft.com/security/encyclopedia/adlpackages.aspx");
        assert_eq!(u.scheme, Some(Scheme::Https));
        assert_eq!(u.host.base(), "www.microsoft.com");
        let p = url("HTTP://Proxy.Example.test:8080/");
        assert_eq!(p.scheme, Some(Scheme::Http));
        assert_eq!(p.port, Some(8080));
        assert_eq!(p.host, HostPattern::Exact("proxy.example.test".into()));
        assert_eq!(p.path, PathPattern::Any);
        let q = url("https://go.microsoft.com/fwlink/?linkid=2120136");
        assert_eq!(q.path, PathPattern::Exact("/fwlink/?linkid=2120136".into()));
    }

    #[test]
    fn prose_is_kept() {
        let text = "Root URL for public Microsoft CDN endpoints (referred to as ChannelURL)";
        assert_eq!(parse_item(text), Parsed::Prose(text.into()));
        assert!(matches!(
            parse_item("ftp://x.example.com"),
            Parsed::Prose(_)
        ));
        assert!(matches!(
            parse_item("host.example.com:99999"),
            Parsed::Prose(_)
        ));
        assert!(matches!(parse_item("bad_-.example..com"), Parsed::Prose(_)));
    }

    #[test]
    fn every_form_a_host_takes() {
        let exact = |s: &str| match parse_item(s) {
            Parsed::Url(u) => (u.host.base().to_owned(), u.port, u.scheme),
            Parsed::Prose(p) => panic!("{p:?} parsed as prose: {}", why_prose(&p)),
        };
        assert_eq!(
            exact("https://intranet-gw/health"),
            ("intranet-gw".into(), None, Some(Scheme::Https))
        );
        assert_eq!(
            exact("http://proxy:8080/"),
            ("proxy".into(), Some(8080), Some(Scheme::Http))
        );
        assert_eq!(exact("proxy:8080"), ("proxy".into(), Some(8080), None));
        assert_eq!(
            exact("https://localhost:8443/"),
            ("localhost".into(), Some(8443), Some(Scheme::Https))
        );
        assert_eq!(exact("localhost"), ("localhost".into(), None, None));
        assert_eq!(
            exact("https://[2001:db8::1]:8443/"),
            ("2001:db8::1".into(), Some(8443), Some(Scheme::Https))
        );
        assert_eq!(
            exact("https://[::1]:8443/"),
            ("::1".into(), Some(8443), Some(Scheme::Https))
        );
        assert_eq!(exact("[::1]"), ("::1".into(), None, None));
        assert_eq!(exact("2001:DB8:0::1"), ("2001:db8::1".into(), None, None));
        assert_eq!(
            exact("10.1.2.3:3128"),
            ("10.1.2.3".into(), Some(3128), None)
        );
        assert_eq!(
            exact("HOST.Example.COM."),
            ("host.example.com".into(), None, None)
        );
        assert_eq!(
            exact("https://bücher.example/"),
            ("xn--bcher-kva.example".into(), None, Some(Scheme::Https))
        );
        // URLs built from them bracket IPv6.
        assert_eq!(
            url("https://[::1]:8443/x").to_string(),
            "https://[::1]:8443/x"
        );
        // What cannot be a host stays prose, and says why.
        for (text, why) in [
            ("Root URL for the CDN", "spaces"),
            ("ftp://x.example.com", "http and https"),
            ("host.example.com:99999", "port"),
            ("https://[2001:db8::zz]/", "IPv6"),
            ("bad_-.example..com", "not a host name"),
            ("*.corp", "wildcard"),
            ("TBD", "single word"),
            ("N/A", "single word"),
            // The credentials are named, not a "port" or "host name" problem.
            ("https://alice:Sup3rPW@u.example/", "user name or password"),
            ("https://alice@u.example/", "user name or password"),
            ("https://:pw@u.example/", "user name or password"),
            // A formula is not a credential.
            ("@SUM(1)", "starts with @"),
            ("https://@u.example/", "starts with @"),
        ] {
            assert!(matches!(parse_item(text), Parsed::Prose(_)), "{text}");
            assert!(why_prose(text).contains(why), "{text}: {}", why_prose(text));
        }
    }

    #[test]
    fn cells_split_on_line_breaks() {
        assert_eq!(
            split_cell("*.smartscreen-prod.microsoft.com\r\n*.smartscreen.microsoft.com\n\n"),
            vec![
                "*.smartscreen-prod.microsoft.com",
                "*.smartscreen.microsoft.com"
            ]
        );
    }
}
