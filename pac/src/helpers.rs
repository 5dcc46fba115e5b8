//! The PAC helper functions that do not need the JavaScript engine.
//!
//! Every browser and pacparser ship the same JavaScript library for the Netscape
//! helpers (it started in Mozilla's `nsProxyAutoConfig.js`), so its behaviour on
//! odd input *is* the specification. These functions reproduce that behaviour in
//! Rust: `dnsDomainIs` is a plain, case-sensitive suffix test, `shExpMatch` is a
//! regular expression built by escaping only `.`, and so on. The Microsoft IPv6
//! extensions follow Chromium's implementation of Microsoft's description.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};

/// `isPlainHostName(host)`: true when the name has no dot.
pub fn is_plain_host_name(host: &str) -> bool {
    !host.contains('.')
}

/// `dnsDomainIs(host, domain)`: a case-sensitive suffix test, with no dot boundary
/// (`dnsDomainIs("xnetscape.com", "netscape.com")` is true in every browser).
pub fn dns_domain_is(host: &str, domain: &str) -> bool {
    // JavaScript compares UTF-16 code units; for a suffix test that is the same as
    // comparing bytes of the UTF-8 forms.
    host.ends_with(domain)
}

/// `localHostOrDomainIs(host, hostdom)`: the host is exactly `hostdom`, or is the
/// unqualified first label of it.
pub fn local_host_or_domain_is(host: &str, hostdom: &str) -> bool {
    host == hostdom
        || hostdom
            .strip_prefix(host)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// `dnsDomainLevels(host)`: the number of dots.
pub fn dns_domain_levels(host: &str) -> usize {
    host.matches('.').count()
}

/// The dotted-quad shape `isInNet` accepts without a DNS lookup: four groups of
/// one to four digits. Returns `None` when the text does not have that shape, and
/// `Some(None)` when it has the shape but a group is above 255 (the reference
/// library then answers false without resolving).
pub fn dotted_quad(text: &str) -> Option<Option<[u8; 4]>> {
    let mut out = [0u8; 4];
    let mut parts = text.split('.');
    let mut valid = true;
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: u32 = part.parse().ok()?;
        match u8::try_from(value) {
            Ok(byte) => *slot = byte,
            Err(_) => valid = false,
        }
    }
    if parts.next().is_some() {
        return None;
    }
    Some(valid.then_some(out))
}

/// An address written as text, in every form the system resolver and
/// Chromium's literal parser accept without asking DNS: IPv6 with or without
/// brackets, dotted IPv4, and the short, octal and hex IPv4 forms (`10.1`,
/// `0010.1.2.3`, `0x0a.1.2.3`) that `getaddrinfo` and the URL standard both
/// read as addresses.
pub fn address_literal(text: &str) -> Option<IpAddr> {
    let bare = strip_brackets(text);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Some(ip);
    }
    match url::Host::parse(bare) {
        Ok(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        _ => None,
    }
}

/// `isInNetEx(ipAddress, ipPrefix)`: whether a literal address lies in a CIDR
/// prefix of the same family (Chromium and pacparser both answer false when an
/// IPv4 address meets an IPv6 prefix, mapped or not). Names are never resolved:
/// the function takes addresses, and anything that does not parse is simply not
/// in the prefix.
pub fn is_in_net_ex(address: &str, prefix: &str) -> bool {
    let Some(address) = address_literal(address.trim()) else {
        return false;
    };
    let Some((net, len)) = parse_prefix(prefix) else {
        return false;
    };
    match (address, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => masked_eq(&a.octets(), &n.octets(), len),
        (IpAddr::V6(a), IpAddr::V6(n)) => masked_eq(&a.octets(), &n.octets(), len),
        _ => false,
    }
}

/// Parses `address/length`; the length must fit the address family.
fn parse_prefix(prefix: &str) -> Option<(IpAddr, u32)> {
    let (net, len) = prefix.trim().split_once('/')?;
    let net = address_literal(net)?;
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let len: u32 = len.parse().ok()?;
    let max = if net.is_ipv4() { 32 } else { 128 };
    (len <= max).then_some((net, len))
}

/// Compares the first `bits` bits of two equally long byte strings.
pub(crate) fn masked_eq(a: &[u8], b: &[u8], bits: u32) -> bool {
    let mut left = bits;
    for (x, y) in a.iter().zip(b) {
        if left == 0 {
            return true;
        }
        let take = left.min(8);
        let mask = if take == 8 { 0xff } else { !(0xffu8 >> take) };
        if x & mask != y & mask {
            return false;
        }
        left -= take;
    }
    true
}

/// `sortIpAddressList(list)`: sorts a `;`-separated list of address literals,
/// IPv6 first, each family in ascending numeric order, keeping each address as
/// written. Returns `None` (the script sees `false`) when the list is empty or an
/// entry is not an address. Spaces and tabs are removed first, as Internet
/// Explorer did.
pub fn sort_ip_address_list(list: &str) -> Option<String> {
    let cleaned: String = list.chars().filter(|c| *c != ' ' && *c != '\t').collect();
    let mut entries = Vec::new();
    for item in cleaned.split(';').filter(|s| !s.is_empty()) {
        let addr: IpAddr = item.parse().ok()?;
        entries.push((item, addr));
    }
    if entries.is_empty() {
        return None;
    }
    entries.sort_by(|(_, a), (_, b)| match (a, b) {
        (IpAddr::V6(_), IpAddr::V4(_)) => Ordering::Less,
        (IpAddr::V4(_), IpAddr::V6(_)) => Ordering::Greater,
        _ => a.cmp(b),
    });
    Some(
        entries
            .iter()
            .map(|(text, _)| *text)
            .collect::<Vec<_>>()
            .join(";"),
    )
}

/// Joins addresses the way `dnsResolveEx` and `myIpAddressEx` return them.
pub fn join_addresses(addrs: &[IpAddr]) -> String {
    addrs
        .iter()
        .map(IpAddr::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// The first IPv4 address, which is what `dnsResolve` returns; the Netscape
/// helpers predate IPv6 and every browser keeps them IPv4-only.
pub fn first_ipv4(addrs: &[IpAddr]) -> Option<IpAddr> {
    addrs.iter().copied().find(IpAddr::is_ipv4)
}

/// Whether the address is an IPv6 literal that the URL parser wrapped in
/// brackets; `FindProxyForURL` receives the host without them.
pub fn strip_brackets(host: &str) -> &str {
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .filter(|h| h.parse::<Ipv6Addr>().is_ok())
        .unwrap_or(host)
}

/// `shExpMatch(str, shexp)`.
///
/// The reference library turns the pattern into a regular expression by
/// escaping `.`, mapping `*` to `.*` and `?` to `.`, and anchoring it; every
/// other character keeps its regular-expression meaning (so `[ab]` is a
/// character class in real browsers). Patterns that use nothing but `*`, `?` and
/// literal characters — nearly all of them — are matched directly; the rest go
/// through a compiled, cached regular expression with the same semantics.
#[derive(Debug, Default)]
pub struct ShExpMatcher {
    cache: HashMap<String, Option<regress::Regex>>,
}

/// Regular-expression syntax that the reference translation leaves active.
const REGEX_SYNTAX: &[char] = &['\\', '^', '$', '+', '(', ')', '[', ']', '{', '}', '|'];

/// Characters `.` never matches in a JavaScript regular expression.
fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// Bound on cached compiled patterns; a PAC has at most a few thousand.
const SHEXP_CACHE_LIMIT: usize = 4096;

/// Why a pattern could not be turned into a regular expression, in the words
/// the script's `SyntaxError` will carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShExpError(pub String);

impl ShExpMatcher {
    /// Matches `text` against the shell expression `pattern`.
    pub fn matches(&mut self, text: &str, pattern: &str) -> Result<bool, ShExpError> {
        if !pattern.contains(REGEX_SYNTAX) && !text.contains(is_line_terminator) {
            return Ok(glob_match(text, pattern));
        }
        if self.cache.len() >= SHEXP_CACHE_LIMIT && !self.cache.contains_key(pattern) {
            self.cache.clear();
        }
        let entry = self
            .cache
            .entry(pattern.to_owned())
            .or_insert_with(|| regress::Regex::new(&translate(pattern)).ok());
        match entry {
            Some(re) => Ok(re.find(text).is_some()),
            None => Err(ShExpError(format!(
                "shExpMatch: pattern \"{pattern}\" is not a valid regular expression once translated"
            ))),
        }
    }
}

/// The reference translation of a shell expression into a regular expression.
fn translate(pattern: &str) -> String {
    let mut re = String::with_capacity(pattern.len() + 8);
    re.push('^');
    for c in pattern.chars() {
        match c {
            '.' => re.push_str("\\."),
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            other => re.push(other),
        }
    }
    re.push('$');
    re
}

/// Glob matching with `*` (any run) and `?` (any one character), for texts
/// without line terminators. Linear in practice: on a mismatch it retries from
/// the last `*` only.
pub(crate) fn glob_match(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let (mut ti, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some('?') => {
                ti += 1;
                pi += 1;
            }
            Some(c) if t.get(ti) == Some(c) => {
                ti += 1;
                pi += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_host_names_have_no_dot() {
        assert!(is_plain_host_name("intranet"));
        assert!(!is_plain_host_name("www.example.com"));
        assert!(is_plain_host_name(""));
        // An IPv6 literal has no dot either; browsers agree.
        assert!(is_plain_host_name("::1"));
    }

    #[test]
    fn dns_domain_is_is_a_bare_suffix_test() {
        assert!(dns_domain_is("www.netscape.com", ".netscape.com"));
        assert!(!dns_domain_is("www", ".netscape.com"));
        assert!(!dns_domain_is("www.mcom.com", ".netscape.com"));
        assert!(dns_domain_is("xnetscape.com", "netscape.com"));
        assert!(!dns_domain_is("WWW.NETSCAPE.COM", ".netscape.com"));
        assert!(dns_domain_is("anything", ""));
    }

    #[test]
    fn local_host_or_domain_is_cases_from_the_specification() {
        assert!(local_host_or_domain_is(
            "www.netscape.com",
            "www.netscape.com"
        ));
        assert!(local_host_or_domain_is("www", "www.netscape.com"));
        assert!(!local_host_or_domain_is("www.mcom.com", "www.netscape.com"));
        assert!(!local_host_or_domain_is(
            "home.netscape.com",
            "www.netscape.com"
        ));
        assert!(!local_host_or_domain_is("ww", "www.netscape.com"));
    }

    #[test]
    fn domain_levels_count_dots() {
        assert_eq!(dns_domain_levels("www"), 0);
        assert_eq!(dns_domain_levels("www.netscape.com"), 2);
        assert_eq!(dns_domain_levels("a.b.c.d."), 4);
    }

    #[test]
    fn dotted_quads_as_the_reference_regex_sees_them() {
        assert_eq!(dotted_quad("10.1.2.3"), Some(Some([10, 1, 2, 3])));
        assert_eq!(dotted_quad("0010.1.2.3"), Some(Some([10, 1, 2, 3])));
        assert_eq!(dotted_quad("256.1.2.3"), Some(None));
        assert_eq!(dotted_quad("10.1.2"), None);
        assert_eq!(dotted_quad("10.1.2.3.4"), None);
        assert_eq!(dotted_quad("10.1.2.x"), None);
        assert_eq!(dotted_quad("10.1..3"), None);
        assert_eq!(dotted_quad("12345.1.2.3"), None);
    }

    #[test]
    fn in_net_ex_handles_each_family_on_its_own() {
        assert!(is_in_net_ex("198.95.249.79", "198.95.0.0/16"));
        assert!(!is_in_net_ex("198.94.249.79", "198.95.0.0/16"));
        assert!(is_in_net_ex("3ffe:8311:ffff::1", "3ffe:8311:ffff::/48"));
        assert!(!is_in_net_ex("3ffe:8311:fffe::1", "3ffe:8311:ffff::/48"));
        assert!(!is_in_net_ex("10.0.0.1", "::ffff:10.0.0.0/104"));
        assert!(!is_in_net_ex("::ffff:10.0.0.1", "10.0.0.0/8"));
        assert!(is_in_net_ex(" 10.0.0.1", "10.0.0.0/8"));
        assert!(is_in_net_ex("1.2.3.4", "0.0.0.0/0"));
        assert!(is_in_net_ex("1.2.3.4", "1.2.3.4/32"));
        assert!(is_in_net_ex("1.2.3.5", "1.2.3.4/31"));
        assert!(!is_in_net_ex("1.2.3.6", "1.2.3.4/31"));
        // Malformed prefixes and names are not in any network.
        assert!(!is_in_net_ex("1.2.3.4", "1.2.3.0/33"));
        assert!(!is_in_net_ex("1.2.3.4", "1.2.3.0"));
        assert!(!is_in_net_ex("1.2.3.4", "1.2.3.0/"));
        assert!(!is_in_net_ex("host.example", "1.2.3.0/24"));
        // Short and octal IPv4 forms are addresses, as getaddrinfo reads them.
        assert!(is_in_net_ex("1.2.3", "1.2.0.0/16"));
        assert!(is_in_net_ex("0010.1.2.3", "8.0.0.0/8"));
    }

    #[test]
    fn sort_ip_address_list_puts_ipv6_first() {
        assert_eq!(
            sort_ip_address_list("10.2.3.9;2001:4898:28:3:201:2ff:feea:fc14;::1;127.0.0.1;::9")
                .as_deref(),
            Some("::1;::9;2001:4898:28:3:201:2ff:feea:fc14;10.2.3.9;127.0.0.1")
        );
        assert_eq!(
            sort_ip_address_list(" 10.0.0.2 ; 10.0.0.10;").as_deref(),
            Some("10.0.0.2;10.0.0.10")
        );
        assert_eq!(sort_ip_address_list(""), None);
        assert_eq!(sort_ip_address_list(";;;"), None);
        assert_eq!(sort_ip_address_list("10.0.0.1;bogus"), None);
    }

    #[test]
    fn brackets_come_off_ipv6_literals_only() {
        assert_eq!(strip_brackets("[::1]"), "::1");
        assert_eq!(strip_brackets("[example]"), "[example]");
        assert_eq!(strip_brackets("example.com"), "example.com");
    }

    #[test]
    fn shexp_wildcards() {
        let mut m = ShExpMatcher::default();
        let mut yes = |t: &str, p: &str| m.matches(t, p).unwrap();
        assert!(yes(
            "http://home.netscape.com/people/ari/index.html",
            "*/ari/*"
        ));
        assert!(!yes(
            "http://home.netscape.com/people/montulli/index.html",
            "*/ari/*"
        ));
        assert!(yes("www.example.com", "*.example.com"));
        assert!(!yes("example.com", "*.example.com"));
        assert!(yes("abc", "a?c"));
        assert!(!yes("ac", "a?c"));
        assert!(yes("", "*"));
        assert!(yes("", ""));
        assert!(!yes("a", ""));
        assert!(yes("aaa.b", "*a*.b"));
        assert!(yes("mississippi", "*sip*"));
        assert!(!yes("mississippi", "*sip"));
        // `.` is literal, not "any character".
        assert!(!yes("wwwxexample", "www.example"));
        // Case-sensitive, like the regular expression it stands for.
        assert!(!yes("WWW.EXAMPLE.COM", "*.example.com"));
    }

    #[test]
    fn shexp_keeps_regex_syntax_like_browsers() {
        let mut m = ShExpMatcher::default();
        assert!(m.matches("host1.corp", "host[0-9].corp").unwrap());
        assert!(!m.matches("hostx.corp", "host[0-9].corp").unwrap());
        assert!(m.matches("a.corp", "(a|b).corp").unwrap());
        assert!(m.matches("aaa.corp", "a+.corp").unwrap());
        assert!(m.matches("x/y", "x/y").unwrap());
        // A pattern that is not a valid expression is an error the script sees.
        assert!(m.matches("x", "host[").is_err());
        // `*` never crosses a line break, as `.*` does not.
        assert!(!m.matches("a\nb", "a*b").unwrap());
    }

    #[test]
    fn glob_agrees_with_the_regex_translation() {
        let texts = [
            "", "a", "ab", "abc", "a.b", "aXb", "abab", "ba", ".", "..", "a.b.c",
        ];
        let patterns = [
            "", "*", "?", "a*", "*b", "a?b", "*a*", "a.b", "*.*", "?.?", "**", "a*b*c", "*ab",
        ];
        for t in texts {
            for p in patterns {
                let re = regress::Regex::new(&translate(p)).unwrap();
                assert_eq!(
                    glob_match(t, p),
                    re.find(t).is_some(),
                    "text {t:?} pattern {p:?}"
                );
            }
        }
    }
}
