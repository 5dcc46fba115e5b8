//! What a proxy's own non-success answer says, read the same way by the
//! probe (for its hint), by the findings and by `fix` (for the rules it
//! writes): only a refusal of the destination is fixed by an allow rule.

/// Squid's error codes that refuse the request by the proxy's rules
/// (`http_access`, `miss_access`, forwarding rules).
const SQUID_REFUSALS: &[&str] = &[
    "ERR_ACCESS_DENIED",
    "ERR_CACHE_ACCESS_DENIED",
    "ERR_CACHE_MGR_ACCESS_DENIED",
    "ERR_FORWARDING_DENIED",
];

/// How the probe marks a proxy's redirect to the very destination asked
/// for: no login or block page, so no refusal.
pub const SAME_DESTINATION: &str = "the destination itself";

/// How the probe marks a plain-HTTP answer through a proxy that nothing
/// but a missing `Via` attributes to it: the proxy may have written it, or
/// relayed the service's own without adding `Via` (mitmproxy adds none).
pub const UNATTRIBUTED: &str = "with no Via header and no proxy's mark";

/// How the probe marks a proxy's mark on an answer that came inside TLS a
/// `--ca-cert` anchor proved, through the proxy's tunnel: the proxy's own
/// only if it decrypts with that anchor; the service's own front end
/// otherwise (round 23: a service's squid-marked 403 got an allow rule
/// its squid, which had opened the tunnel, did not need).
pub const INSIDE_GIVEN_TLS: &str =
    "inside TLS a --ca-cert anchor proved (the proxy's own only if it decrypts with that CA)";

/// How the probe marks a sign-in demand (511) that carries `Via` and no
/// mark of the proxy's own: passed on from a device beyond the proxy, or
/// the proxy's own page with its `Via` (round 23: one did so), so no rule
/// on this proxy is known to change it.
pub const FROM_BEYOND: &str =
    "with Via and no mark of the proxy's own (passed on from beyond it, or its own page)";

/// How the probe marks a proxy's error answer whose page says a proxy it
/// chains to refused the destination (mitmproxy's "Upstream proxy …
/// refused HTTP CONNECT request: 403 Forbidden"): a refusal.
pub const UPSTREAM_REFUSED: &str = "a proxy beyond it refused the destination (its page says)";

/// Squid's error codes in an answer as the probe records it (`...,
/// X-Squid-Error: ERR_CONNECT_FAIL 111, ERR_X 0`), upper case, in order.
pub fn squid_codes(answer: &str) -> Vec<String> {
    answer
        .split_once("X-Squid-Error:")
        .map(|(_, codes)| {
            codes
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .map(str::to_ascii_uppercase)
                .collect()
        })
        .unwrap_or_default()
}

/// The kind of a proxy's non-success answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProxyAnswer {
    /// The destination is refused by the proxy's rules: a 403 or 451, a
    /// redirect to the proxy's login or block page, squid's
    /// `ERR_ACCESS_DENIED` family, a SOCKS ruleset refusal. An allow rule
    /// changes it.
    Refusal,
    /// A 5xx naming no refusal: the proxy could not get an answer from
    /// the destination.
    GatewayError,
    /// 400, 405 or 501: the proxy does not take the request at all (a
    /// web server or reverse proxy named as the proxy, or one that
    /// forbids tunnels).
    NotTaken,
    /// 429: the proxy limits how fast this client asks.
    RateLimited,
    /// Anything else (squid's `ERR_TOO_BIG`, another 4xx): said as it is,
    /// no cause claimed.
    Unexplained,
    /// A redirect to a sign-in page (web-portal authentication): the
    /// proxy asks for a person's login, which an agent cannot give. An
    /// exemption from authentication changes it, as for a 407.
    SignIn,
    /// A plain-HTTP answer through a proxy that nothing attributes to the
    /// proxy but a missing `Via` ([`UNATTRIBUTED`]): the proxy's refusal,
    /// or the service's own answer relayed. Its log says which; no rule
    /// is written from a guess.
    Unattributed,
}

/// Words of the addresses proxies send people to for a login (captive and
/// web-portal authentication pages of Zscaler, Forcepoint, Bluecoat,
/// FortiGate and the like use them in the host or path).
const SIGN_IN_WORDS: &[&str] = &[
    "login", "logon", "signin", "sign-in", "sign_in", "auth", "sso", "saml", "oauth", "portal",
    "captive", "idp",
];

/// Whether a redirect's target reads as a sign-in page.
fn is_sign_in(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    // Whole words of the host and path: "author" or "portaldata" are not.
    lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
        .any(|word| {
            SIGN_IN_WORDS.iter().any(|w| {
                word == *w
                    || word
                        .strip_prefix(w)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_']))
                    || word.ends_with(&format!("-{w}"))
                    || word.ends_with(&format!("_{w}"))
            })
        })
}

impl ProxyAnswer {
    /// Reads an answer as the probe records it: `"403 Forbidden"`,
    /// `"302 Found to URL"`, `"503 Service Unavailable, X-Squid-Error:
    /// ERR_CONNECT_FAIL 111"`; a SOCKS reply (no status) is a refusal.
    pub fn of(answer: &str) -> Self {
        let status = answer
            .get(..3)
            .filter(|code| code.bytes().all(|b| b.is_ascii_digit()))
            .filter(|_| matches!(answer.get(3..4), None | Some(" ") | Some(",")))
            .and_then(|code| code.parse::<u16>().ok());
        let Some(status) = status else {
            // A SOCKS reply: only SOCKS5's "not allowed by ruleset" (2) is
            // a refusal by rule; SOCKS4's 91 is "rejected or failed" and
            // SOCKS5's 1 a general failure (round 19: a destination that
            // was down became an allow rule).
            return if answer.starts_with("SOCKS5 reply 2") {
                Self::Refusal
            } else {
                Self::Unexplained
            };
        };
        if let Some(said) = answer.strip_suffix(UNATTRIBUTED) {
            // A redirect to a sign-in page stays one: a captive portal
            // adds no `Via`, and a service's own login redirect is as
            // unusable to an agent.
            let to = said
                .split_once(" to ")
                .map(|(_, to)| to.trim_end_matches([',', ' ']));
            return match to {
                Some(to) if (300..400).contains(&status) && is_sign_in(to) => Self::SignIn,
                _ => Self::Unattributed,
            };
        }
        if answer.ends_with(INSIDE_GIVEN_TLS) {
            return Self::Unattributed;
        }
        if answer.ends_with(UPSTREAM_REFUSED) {
            return Self::Refusal;
        }
        if answer.ends_with(FROM_BEYOND) {
            return Self::SignIn;
        }
        let codes = squid_codes(answer);
        if codes.iter().any(|c| SQUID_REFUSALS.contains(&c.as_str())) {
            return Self::Refusal;
        }
        match status {
            // RFC 6585: the network asks the client to sign in (a portal).
            511 => Self::SignIn,
            400 | 405 | 501 => Self::NotTaken,
            429 => Self::RateLimited,
            500..=599 => Self::GatewayError,
            // Squid names why it answered: a code that is no refusal (its
            // size limits, a request it cannot parse) is not one.
            _ if !codes.is_empty() => Self::Unexplained,
            // A redirect sends the client to the proxy's block or login
            // page; one to nowhere is no such page.
            300..=399 => match answer.split_once(" to ").map(|(_, to)| to.trim()) {
                Some(to) if !to.is_empty() && !answer.ends_with(SAME_DESTINATION) => {
                    if is_sign_in(to) {
                        Self::SignIn
                    } else {
                        Self::Refusal
                    }
                }
                _ => Self::Unexplained,
            },
            403 | 451 => Self::Refusal,
            _ => Self::Unexplained,
        }
    }

    /// Whether an allow rule on the proxy is known to change it.
    pub fn is_refusal(self) -> bool {
        self == Self::Refusal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_refusal_is_one() {
        for (answer, kind) in [
            ("403 Forbidden", ProxyAnswer::Refusal),
            ("451 Unavailable For Legal Reasons", ProxyAnswer::Refusal),
            ("302 Found to http://login.corp.test/", ProxyAnswer::SignIn),
            (
                "307 Temporary Redirect to https://gateway.zscaler.net/auth/sso?origurl=x",
                ProxyAnswer::SignIn,
            ),
            (
                "302 Found to http://proxy.corp.test/portal-login.html",
                ProxyAnswer::SignIn,
            ),
            (
                "302 Found to http://block.corp.test/denied.html",
                ProxyAnswer::Refusal,
            ),
            (
                "302 Found to http://author.corp.test/blocked",
                ProxyAnswer::Refusal,
            ),
            ("302 Found", ProxyAnswer::Unexplained),
            (
                "302 Found to https://a.test/, the destination itself",
                ProxyAnswer::Unexplained,
            ),
            ("302 Found to ", ProxyAnswer::Unexplained),
            (
                "403 Forbidden, X-Squid-Error: ERR_ACCESS_DENIED 0",
                ProxyAnswer::Refusal,
            ),
            (
                "504 Gateway Timeout, X-Squid-Error: err_access_denied 0",
                ProxyAnswer::Refusal,
            ),
            (
                "SOCKS5 reply 2: not allowed by ruleset",
                ProxyAnswer::Refusal,
            ),
            ("SOCKS5 reply 1: general failure", ProxyAnswer::Unexplained),
            (
                "SOCKS4 reply 0x5b: request rejected or failed",
                ProxyAnswer::Unexplained,
            ),
            ("511 Network Authentication Required", ProxyAnswer::SignIn),
            (
                "403 Forbidden, X-Squid-Error: ERR_TOO_BIG 0",
                ProxyAnswer::Unexplained,
            ),
            ("502 Bad Gateway", ProxyAnswer::GatewayError),
            (
                "403 Forbidden, with no Via header and no proxy's mark",
                ProxyAnswer::Unattributed,
            ),
            (
                "302 Found to https://block.test/, with no Via header and no proxy's mark",
                ProxyAnswer::Unattributed,
            ),
            (
                "302 Found to https://login.test/, with no Via header and no proxy's mark",
                ProxyAnswer::SignIn,
            ),
            (
                "503 Service Unavailable, X-Squid-Error: ERR_ZERO_SIZE_OBJECT 0",
                ProxyAnswer::GatewayError,
            ),
            ("405 Method Not Allowed", ProxyAnswer::NotTaken),
            ("400 Bad Request", ProxyAnswer::NotTaken),
            ("501 Unsupported method ('CONNECT')", ProxyAnswer::NotTaken),
            ("429 Too Many Requests", ProxyAnswer::RateLimited),
            ("404 Not Found", ProxyAnswer::Unexplained),
        ] {
            assert_eq!(ProxyAnswer::of(answer), kind, "{answer}");
        }
    }
}
