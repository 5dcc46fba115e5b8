//! Why an attempt stopped ([`Failure`]), in a few words for a phase's
//! detail, and as the verdict, evidence and hint of the report
//! ([`classify`]).

use std::net::{IpAddr, SocketAddr};

use pathprobe_pac::{LookupError, ProxyKind, Route};
use pathprobe_reports::{Phase, ProxyAnswer, Verdict};

/// Appended to the hints of verdicts the network team fixes with a rule:
/// `pathprobe fix` turns a saved report into those rules.
pub(super) const FIX: &str =
    " (`pathprobe fix REPORT.json` writes the rule from a saved JSON report)";

/// Why an attempt stopped.
#[derive(Debug, Clone)]
pub(super) enum Failure {
    Dns {
        host: String,
        error: LookupError,
        tries: Option<String>,
    },
    DnsSinkhole(String, Vec<IpAddr>),
    Refused(SocketAddr),
    /// "Network unreachable" (no route here) or "host unreachable" (a
    /// router or firewall said so).
    Unreachable {
        addr: SocketAddr,
        network: bool,
    },
    /// The OS refused to open the connection for another reason.
    ConnectFailed {
        addr: SocketAddr,
        error: String,
    },
    ConnectTimeout(Vec<SocketAddr>),
    /// The proxy reported that it could not reach the destination
    /// (`target`: host:port as the request named it; `said`: the answer
    /// that says so, a SOCKS reply or an HTTP status and its error code).
    BeyondProxy {
        target: String,
        problem: Beyond,
        said: String,
    },
    /// The proxy cannot carry this kind of request (SOCKS5 replies 7, 8):
    /// what it said, and what would carry it.
    ProxyCannot {
        what: String,
        advice: String,
    },
    /// A SOCKS5 proxy accepted none of the methods offered (0xFF): it
    /// wants another kind of authentication, or refuses this client.
    SocksNoMethod {
        offered: &'static str,
    },
    /// The route cannot carry this destination at all (SOCKS4 and an IPv6
    /// address): nothing was asked of the proxy.
    RouteCannotCarry(String),
    Reset(String),
    /// The peer closed the connection, without a reset, before a complete
    /// answer (`bytes` of it had come).
    Closed {
        phase: Phase,
        bytes: usize,
    },
    /// The proxy itself failed (`proxy`: host:port), before or instead of
    /// the destination.
    ProxyUnreachable {
        proxy: String,
        problem: ProxyProblem,
    },
    ProxyAuth {
        schemes: Vec<String>,
        realm: Option<String>,
        credentials_rejected: bool,
    },
    /// A proxy's own answer in place of a tunnel or the origin's: what it
    /// is ([`ProxyAnswer`]) is read from `detail`, which starts with the
    /// status.
    ProxyDenied {
        product: Option<String>,
        title: Option<String>,
        /// The text of its page past the title, when it says something.
        page: Option<String>,
        detail: String,
        /// The answer's `Via` header: the proxies it passed, the one that
        /// made it last (a chain's upstream may be the one refusing).
        via: Option<String>,
    },
    TlsHandshake(Handshake),
    TlsUntrusted(String),
    TlsIntercepted {
        issuer: String,
        product: Option<String>,
        trusted_by_os: bool,
    },
    Status(u16, Vec<u16>),
    /// The proxy, the only peer of the connection, reset it after the
    /// request (`CONNECT` or a plain-HTTP one) without answering: a quiet
    /// refusal (squid's `deny_info TCP_RESET`) or a failure; its log says
    /// which (round 21: "not a valid proxy response", or a firewall and an
    /// allow rule).
    ProxyCut {
        proxy: String,
        /// What it had been asked: `CONNECT`, a plain-HTTP `request`, or
        /// the SOCKS handshake.
        asked: &'static str,
    },
    /// The service itself was reached and answered in a way no HTTP client
    /// accepts (round 19): it hung up after a handshake its certificate
    /// proved, a proxy passed on what was no HTTP, a status no server may
    /// send. `what` says which; nothing in the network is blamed.
    ServiceBroke {
        what: String,
        hung_up: bool,
    },
    /// Another answer than the page expected (a connectivity test).
    OtherPage {
        status: u16,
        location: Option<String>,
        body: String,
    },
    PhaseTimeout(Phase),
    Protocol(Phase, Broken),
}

/// Why a TLS handshake did not finish.
#[derive(Debug, Clone)]
pub(super) enum Handshake {
    /// The host cannot be named to TLS (SNI and the certificate check).
    BadName { host: String, reason: String },
    /// rustls refused the server, or the server sent an alert.
    Tls(rustls::Error),
    /// The transport failed (a reset is a [`Failure::Reset`]).
    Io(std::io::ErrorKind, String),
    /// TLS failed on the established connection: an alert after the
    /// handshake (TLS 1.3 servers refuse a missing client certificate so).
    Afterwards(String),
}

/// The rustls error an I/O error carries, if it carries one.
pub(super) fn rustls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

impl Handshake {
    pub(super) fn from_io(e: &std::io::Error) -> Self {
        match rustls_error(e) {
            Some(tls) => Self::Tls(tls.clone()),
            None => Self::Io(e.kind(), e.to_string()),
        }
    }
}

impl std::fmt::Display for Handshake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadName { host, reason } => write!(f, "{host}: {reason}"),
            Self::Tls(e) => f.write_str(&super::tls::describe_error(e)),
            Self::Afterwards(text) => write!(f, "after the handshake: {text}"),
            // tokio-rustls says "tls handshake eof".
            Self::Io(std::io::ErrorKind::UnexpectedEof, _) => f.write_str(
                "the connection was closed during the handshake (by the server or a device on the path)",
            ),
            Self::Io(_, text) => f.write_str(text),
        }
    }
}

/// What a peer sent or did that its protocol does not allow.
#[derive(Debug, Clone)]
pub(super) enum Broken {
    /// An HTTP head that cannot be read (closed early, too large, not HTTP).
    Head(super::http::HeadError),
    /// Bytes that are not the answer expected (`expected`: "SOCKS5 answer").
    Unexpected {
        expected: &'static str,
        bytes: Vec<u8>,
    },
    /// A SOCKS5 reply code RFC 1928 does not assign (it assigns 0 to 8).
    UnassignedSocks5(u8),
    /// An answer this exchange does not allow, in words.
    Answer(String),
    /// Reading or writing failed, other than by a reset.
    Io(std::io::ErrorKind, String),
    /// A lookup that succeeded gave no address for the name.
    NoAddress(String),
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Head(e) => write!(f, "{e}"),
            Self::Unexpected { expected, bytes } => {
                write!(f, "not a {expected}: {}", bytes_text(bytes))
            }
            Self::UnassignedSocks5(code) => {
                write!(f, "not a valid SOCKS5 reply (code {code} is not assigned)")
            }
            Self::Answer(what) => f.write_str(what),
            Self::Io(std::io::ErrorKind::UnexpectedEof, _) => {
                f.write_str("the connection closed before the answer was complete")
            }
            Self::Io(_, text) => f.write_str(text),
            Self::NoAddress(host) => write!(f, "{host} resolved to no address"),
        }
    }
}

/// Bytes a peer sent, for evidence: printable ASCII as text, the rest as
/// hex (`"HT" 48 54`).
fn bytes_text(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{}\" ({})", super::http::printable(bytes), hex.join(" "))
}

/// How a proxy failed, with what was seen.
#[derive(Debug, Clone)]
pub(super) enum ProxyProblem {
    /// Its name did not resolve (the lookup's failure).
    Name(Box<Failure>),
    /// No TCP connection to it (the connect phase's failure).
    Connect(Box<Failure>),
    /// The TLS handshake with an `https://` proxy failed.
    Handshake(Box<Failure>),
    /// An `https://` proxy's certificate is not trusted.
    Untrusted(Box<Failure>),
    /// A plain-http request through it got an answer that is not HTTP.
    NotHttp(Broken),
    /// A plain-http request through it: it closed the connection before a
    /// complete answer (this many bytes of it).
    Closed(usize),
}

impl std::fmt::Display for ProxyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Name(why) => write!(f, "its name does not resolve ({})", short(why)),
            Self::Connect(why) => f.write_str(&short(why)),
            Self::Handshake(why) => {
                write!(f, "the TLS handshake with it failed ({})", short(why))
            }
            Self::Untrusted(why) => write!(
                f,
                "{} ({})",
                pathprobe_reports::findings::PROXY_CERTIFICATE_UNTRUSTED,
                short(why)
            ),
            Self::NotHttp(what) => write!(f, "it answered something that is not HTTP ({what})"),
            Self::Closed(bytes) => write!(
                f,
                "it closed the connection before a complete answer ({bytes} bytes)"
            ),
        }
    }
}

/// Whether a client tries its next route after failure `f` on `route`,
/// the failed phase being `failed_in`; what Chromium does, checked against
/// it: it falls over from a route it cannot use (a proxy it cannot reach,
/// resolve, speak TLS to, or get any answer from in time; any failure of
/// a SOCKS handshake, replies included; directly, a name or a connection
/// that fails), never from an HTTP proxy's answer, a close after the
/// request, or a TLS or HTTP failure with the destination.
pub(super) fn client_moves_on(f: &Failure, route: &Route, failed_in: Option<Phase>) -> bool {
    let socks = matches!(
        route,
        Route::Proxy {
            kind: ProxyKind::Socks5 | ProxyKind::Socks5h | ProxyKind::Socks4 | ProxyKind::Socks4a,
            ..
        }
    );
    match f {
        Failure::ProxyUnreachable { problem, .. } => {
            !matches!(problem, ProxyProblem::NotHttp(_) | ProxyProblem::Closed(_))
        }
        // ERR_SOCKS_CONNECTION_FAILED, whatever the reply said.
        _ if socks && failed_in == Some(Phase::Tunnel) => true,
        // The proxy reset the connection before any answer, for a tunnel
        // or a plain-http request: Chromium's ERR_PROXY_CONNECTION_FAILED,
        // and it tries the next entry (round 23: a PAC's `PROXY a;
        // DIRECT` stopped at a).
        Failure::ProxyCut { .. } => true,
        Failure::RouteCannotCarry(_) => true,
        _ => match failed_in {
            Some(Phase::Dns | Phase::Connect) => true,
            // An HTTP proxy that never answers CONNECT, or resets it.
            Some(Phase::Tunnel) => matches!(f, Failure::PhaseTimeout(_) | Failure::Reset(_)),
            _ => false,
        },
    }
}

/// What squid's own error codes for a failed exchange with the
/// destination mean, in words.
fn squid_words(answer: &str) -> Option<&'static str> {
    pathprobe_reports::squid_codes(answer)
        .iter()
        .find_map(|code| match code.as_str() {
            "ERR_ZERO_SIZE_OBJECT" => Some("the destination closed the connection without an answer"),
            "ERR_SECURE_CONNECT_FAIL" => Some("the proxy's TLS connection to the destination failed (it could not verify the destination's certificate, or the destination does not speak TLS)"),
            "ERR_READ_ERROR" => Some("reading the destination's answer failed"),
            "ERR_WRITE_ERROR" => Some("sending the request to the destination failed"),
            "ERR_CANNOT_FORWARD" => Some("the proxy has no way to forward the request (no route, or no parent proxy that takes it)"),
            "ERR_SHUTTING_DOWN" => Some("the proxy is shutting down"),
            _ => None,
        })
}

/// Whether an authentication demand came from a SOCKS proxy (not a 407).
fn socks_auth(schemes: &[String]) -> bool {
    schemes.iter().any(|s| s.starts_with("SOCKS"))
}

/// What a proxy reported of its own connection to the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Beyond {
    Refused,
    NetworkUnreachable,
    HostUnreachable,
    TimedOut,
    /// The proxy's resolver does not know the name.
    NameNotFound,
    /// SOCKS5 reply 4 for a name the proxy resolves: dante and others send
    /// it for a name that does not resolve as for a host they cannot
    /// reach, so which of the two is not known.
    HostUnreachableOrUnresolved,
    /// The destination reset the proxy's connection (squid's
    /// `ERR_READ_ERROR 104`, ECONNRESET).
    Reset,
    /// The destination closed the proxy's connection without an answer
    /// (squid's `ERR_ZERO_SIZE_OBJECT`).
    ClosedWithoutAnswer,
}

impl Beyond {
    fn words(self) -> &'static str {
        match self {
            Self::Refused => "the destination refused the connection",
            Self::NetworkUnreachable => "network unreachable from the proxy",
            Self::HostUnreachable => "host unreachable from the proxy",
            Self::TimedOut => "no answer from the destination in time",
            Self::NameNotFound => "the proxy could not resolve the name",
            Self::HostUnreachableOrUnresolved => {
                "host unreachable from the proxy, or its name not resolved there (one reply for both)"
            }
            Self::Reset => "the destination reset the proxy's connection",
            Self::ClosedWithoutAnswer => {
                "the destination closed the proxy's connection without an answer"
            }
        }
    }
}

/// A failure in a few words, for a phase's detail (the verdict's evidence
/// and hint say more).
impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Dns { host, error, tries } => {
                write!(f, "{host}: {}", dns_answer(error))?;
                match tries {
                    Some(t) => write!(f, "; {t}"),
                    None => Ok(()),
                }
            }
            Self::DnsSinkhole(host, ips) => write!(f, "{host} → {} (a block address)", join(ips)),
            Self::Refused(addr) => write!(f, "{addr} refused the connection"),
            Self::Unreachable { addr, network } => {
                write!(f, "{addr}: {}", unreachable_text(*network))
            }
            Self::ConnectFailed { addr, error } => write!(f, "{addr}: {error}"),
            Self::ConnectTimeout(addrs) => write!(
                f,
                "no answer from {}",
                addrs
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::BeyondProxy {
                target,
                problem,
                said,
            } => {
                write!(
                    f,
                    "the proxy reports {}: {target} ({said})",
                    problem.words()
                )
            }
            Self::ProxyCannot { what, .. } => write!(f, "the proxy cannot do this: {what}"),
            Self::SocksNoMethod { offered } => write!(
                f,
                "the SOCKS5 proxy accepted none of the methods offered ({offered})"
            ),
            Self::RouteCannotCarry(why) => write!(f, "this route cannot carry it: {why}"),
            Self::Reset(what) => write!(f, "reset: {what}"),
            Self::Closed { phase, bytes } => write!(
                f,
                "closed during the {} phase before a complete answer ({bytes} bytes)",
                phase.name()
            ),
            Self::ProxyUnreachable { proxy, problem } => write!(f, "proxy {proxy}: {problem}"),
            Self::ProxyAuth { schemes, .. } if socks_auth(schemes) => {
                write!(
                    f,
                    "the SOCKS proxy requires authentication ({})",
                    schemes.join(", ")
                )
            }
            Self::ProxyAuth { schemes, .. } => {
                write!(
                    f,
                    "407 proxy authentication required ({})",
                    schemes.join(", ")
                )
            }
            Self::ProxyDenied { detail, .. } if ProxyAnswer::of(detail).is_refusal() => {
                write!(f, "refused by the proxy: {detail}")
            }
            Self::ProxyDenied { detail, .. }
                if ProxyAnswer::of(detail) == ProxyAnswer::Unattributed =>
            {
                write!(f, "answered through the proxy: {detail}")
            }
            Self::ProxyDenied { detail, .. } => write!(f, "the proxy answered: {detail}"),
            Self::TlsHandshake(e) => write!(f, "TLS handshake failed: {e}"),
            Self::TlsUntrusted(e) => write!(f, "certificate not trusted: {e}"),
            Self::TlsIntercepted { issuer, .. } => write!(f, "re-signed by {issuer}"),
            Self::Status(status, _) => write!(f, "status {status}"),
            Self::ServiceBroke { what, .. } => f.write_str(what),
            Self::ProxyCut { proxy, .. } => write!(f, "reset by the proxy {proxy}"),
            Self::OtherPage { status, .. } => write!(f, "status {status}, not the expected page"),
            Self::PhaseTimeout(phase) => {
                write!(f, "no progress in the {} phase in time", phase.name())
            }
            Self::Protocol(phase, e) => write!(f, "{} phase: {e}", phase.name()),
        }
    }
}

pub(super) fn short(f: &Failure) -> String {
    f.to_string().chars().take(300).collect()
}

pub(crate) fn join(ips: &[IpAddr]) -> String {
    ips.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the resolver answered, in the words of the evidence.
pub(super) fn dns_answer(error: &LookupError) -> String {
    match error {
        LookupError::NotFound => pathprobe_reports::findings::NXDOMAIN_ANSWER.into(),
        LookupError::NoAddress => format!(
            "{} (no A/AAAA records, or a CNAME chain that loops or leads elsewhere)",
            pathprobe_reports::findings::NO_ADDRESS_ANSWER
        ),
        LookupError::Server(code) => format!("{code}"),
        LookupError::Timeout(limit) => {
            format!("none within {:.1} s (timeout)", limit.as_secs_f64())
        }
        LookupError::Malformed(e) => format!("an answer that cannot be read ({e})"),
        LookupError::Failed(e) => e.clone(),
    }
}

/// What the OS said of an unreachable address.
pub(super) fn unreachable_text(network: bool) -> &'static str {
    if network {
        "network unreachable (the OS has no route to it)"
    } else {
        "host unreachable (an ICMP answer from the path, or no neighbour answers)"
    }
}

/// Who wrote an HTTP answer that a proxy wrote, by the route: the HTTP
/// proxy it names; a SOCKS proxy only relays bytes, so one beyond it
/// (round 21: dante was told to exempt URLs from authentication); on a
/// direct route, one nobody configured.
fn answering_proxy(route: &Route) -> &'static str {
    match route {
        Route::Direct => "a transparent proxy in the path",
        Route::Proxy {
            kind: ProxyKind::Http | ProxyKind::Https,
            ..
        } => "the proxy",
        Route::Proxy { .. } => "a proxy beyond the SOCKS proxy",
    }
}

/// The evidence line that says who answered, when it is not the proxy the
/// route names.
fn answered_by(route: &Route) -> Option<String> {
    match route {
        Route::Direct => Some("answered by: a proxy in the path; none is configured".into()),
        Route::Proxy {
            kind: ProxyKind::Http | ProxyKind::Https,
            ..
        } => None,
        Route::Proxy { .. } => Some(format!(
            "{} {route}: a SOCKS proxy relays bytes and writes no HTTP answer",
            pathprobe_reports::findings::ANSWERED_BEYOND
        )),
    }
}

/// The verdict, evidence and hint for a failure.
pub(super) fn classify(f: &Failure, route: &Route) -> (Verdict, Vec<String>, String) {
    let via = match route {
        Route::Direct => "directly".to_owned(),
        other => format!("through {other}"),
    };
    match f {
        Failure::Dns { host: h, error, tries } => {
            let mut ev = vec![format!("name: {h}"), format!("answer: {}", dns_answer(error))];
            if let Some(t) = tries {
                ev.push(format!("tries: {t}"));
            }
            let hint = match error {
                LookupError::NotFound => format!("{h} does not exist for this resolver: check the DNS servers in use and any split-horizon or DNS filtering"),
                LookupError::NoAddress => format!("the resolver knows {h} but gives it no address: check its records (A/AAAA, CNAME) on the DNS servers in use and any DNS filtering"),
                LookupError::Server(code) => format!("the DNS server answered {code} for {h} on every try: check the resolver and its upstream"),
                LookupError::Timeout(_) => format!("no DNS answer for {h}: the resolver is unreachable or DNS is blocked"),
                LookupError::Malformed(_) => format!("the DNS server sent an answer for {h} that cannot be read: check the resolver, and whatever on the path rewrites DNS"),
                LookupError::Failed(_) => format!("the lookup of {h} failed on this machine: check its DNS configuration"),
            };
            (Verdict::DnsFailure, ev, hint)
        }
        Failure::DnsSinkhole(h, ips) => (Verdict::DnsSinkhole, vec![format!("name: {h}"), format!("answers: {}", join(ips))],
            format!("{h} resolves to a block address: a DNS filter or hosts-file entry is sinkholing it; allow the name{FIX}")),
        Failure::Refused(a) => (Verdict::TcpRefused, vec![format!("address: {a}")],
            format!("{a} refused the connection {via}: a firewall is rejecting it or nothing listens there{FIX}")),
        Failure::BeyondProxy { target, problem, said } => {
            let ev = vec![format!("destination: {target}"), format!("proxy reports: {} ({said})", problem.words())];
            // No proxy is configured: the answer came from one in the path
            // that says so (squid's error header), a transparent proxy.
            let (proxy, via) = match route {
                Route::Direct => ("a transparent proxy in the path (none is configured)".to_owned(), "by a transparent proxy in the path".to_owned()),
                other => (format!("the proxy ({other})"), via.clone()),
            };
            match problem {
                // No rule on the proxy, nor a route around it, changes what
                // lies beyond it: `fix` writes none for these.
                Beyond::Refused => (Verdict::TcpRefused, ev,
                    format!("{target} refused the connection opened {via}: a firewall beyond the proxy is rejecting it or nothing listens there; the proxy's network team can tell which")),
                Beyond::NetworkUnreachable | Beyond::HostUnreachable => (Verdict::TcpRefused, ev,
                    format!("{proxy} cannot reach {target}: a route or firewall beyond the proxy blocks it")),
                Beyond::TimedOut => (Verdict::TcpTimeout, ev,
                    format!("the connection to {target} opened {via} got no answer in time: traffic beyond the proxy is dropped")),
                Beyond::NameNotFound => (Verdict::DnsFailure, ev,
                    format!("{proxy} could not resolve the name of {target}: check the DNS servers the proxy uses")),
                // Most often the name (dante answers 4 for a lookup that
                // failed); nothing refused anything (round 20: tcp_refused).
                Beyond::HostUnreachableOrUnresolved => (Verdict::DnsFailure, ev,
                    format!("{proxy} could not resolve the name of {target} or could not reach it (SOCKS5 answers both with reply 4): check the DNS servers the proxy uses, then the routes beyond it")),
                // What the destination did, as the proxy saw it: the
                // proxy was not the one to refuse (round 20: proxy_denied).
                Beyond::Reset => (Verdict::TcpReset, ev,
                    format!("{target} reset the connection {proxy} opened to it: the service drops the request, or a firewall beyond the proxy cuts it; the proxy's log names the address it used")),
                Beyond::ClosedWithoutAnswer => (Verdict::TcpReset, ev,
                    format!("{target} closed the connection {proxy} opened to it without answering: the service drops the request, or something beyond the proxy cuts it; the proxy's log says more")),
            }
        }
        Failure::ProxyCannot { what, advice } => (Verdict::ProxyUnreachable,
            vec![format!("problem: {what}")],
            format!("the proxy ({route}) does not support this request ({what}): {advice}")),
        // Only what was offered is known to be refused (round 21: the
        // hint said username/password, and "sent as Basic").
        Failure::SocksNoMethod { offered } => (Verdict::ProxyAuthRequired,
            vec![
                format!("methods offered: {offered}"),
                "answer: no acceptable method (0xFF)".into(),
            ],
            format!("the SOCKS5 proxy ({route}) accepted none of the methods offered ({offered}): it demands another kind of authentication, or refuses this client; its rules (dante: socksmethod, clientmethod) say which. A service running unattended cannot authenticate: exempt these destinations from authentication on the proxy{FIX}")),
        Failure::RouteCannotCarry(why) => (Verdict::ProxyUnreachable,
            vec![format!("problem: {why}"), "proxy asked: no".into()],
            format!("this route cannot reach the endpoint ({why}): use a SOCKS5 or HTTP proxy for it, or give the name an IPv4 address")),
        Failure::Unreachable { addr, network } => (Verdict::TcpRefused,
            vec![format!("address: {addr}"), format!("error: {}", unreachable_text(*network))],
            if *network {
                format!("this machine has no route to {addr}: check its default gateway and routes (for an IPv6 address: whether the network gives this machine IPv6 at all)")
            } else {
                format!("a router or firewall answered that {addr} cannot be reached {via}: a rule rejects it, or the address is down{FIX}")
            }),
        Failure::ConnectFailed { addr, error } => (Verdict::TcpRefused,
            vec![format!("address: {addr}"), format!("error: {error}")],
            format!("the connection to {addr} failed at once {via}: {error}: this machine would not open it (a local firewall rule, or a socket limit)")),
        Failure::ConnectTimeout(a) => (Verdict::TcpTimeout, vec![format!("addresses: {}", a.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))],
            format!("no answer {via}: outbound traffic to this address and port is dropped; allow it on the firewall or use the proxy{FIX}")),
        Failure::Reset(d) => (Verdict::TcpReset, vec![format!("reset: {d}")],
            match route {
                Route::Direct => "the connection was reset: a firewall or an IPS is cutting it".into(),
                // Inside the proxy's tunnel: the proxy may have cut it
                // (round 21: only a firewall was named).
                _ => format!("the connection through the proxy's tunnel was reset: the proxy ({route}) may have cut the tunnel, or a firewall or IPS beyond it cuts the connection; the proxy's log says which"),
            }),
        Failure::Closed { phase, bytes } => (Verdict::TcpReset,
            vec![format!("closed: during the {} phase, without a reset, after {bytes} bytes of answer", phase.name())],
            format!("the connection was closed {via} before a complete answer: a firewall or an IPS is cutting it, or the server drops this client")),
        Failure::ProxyUnreachable { proxy: p, problem } => (Verdict::ProxyUnreachable, vec![format!("proxy: {p}"), format!("problem: {problem}")],
            match problem {
                // It was reached, and took the request: the trouble is in
                // what it did with it, not in reaching it.
                ProxyProblem::Closed(_) | ProxyProblem::NotHttp(_) => format!("the proxy {p} took the request but gave no usable answer: it may have failed to reach the destination; its log says why"),
                // What came back to the TLS hello was no TLS record at all:
                // a plain HTTP proxy answering on that port (round 18).
                ProxyProblem::Handshake(inner) if no_tls_record(inner) => format!("the proxy {p} answered the TLS hello without TLS: a plain HTTP proxy listens there, while the setting says HTTPS (write PROXY host:port, or http://)"),
                // It answered, with a certificate this machine does not
                // trust: its address is right (round 20: "check its address").
                ProxyProblem::Untrusted(_) => format!("the HTTPS proxy {p} answers, with a certificate this machine does not trust: give its CA with --ca-cert (and to the agent's trust store), or have the proxy use a certificate from a trusted CA"),
                _ => format!("the proxy {p} cannot be reached: check its address and port in the proxy setting, and that it is up"),
            }),
        Failure::ProxyAuth { schemes, realm, credentials_rejected } => {
            let mut ev = vec![format!("offered schemes: {}", if schemes.is_empty() { "(none)".into() } else { schemes.join(", ") })];
            if let Some(r) = realm {
                ev.push(format!("realm: {r}"));
            }
            // pathprobe answers a challenge with Basic only: credentials a
            // proxy never asked for in Basic were not tried, not wrong.
            let rejected = *credentials_rejected
                && schemes.iter().any(|s| {
                    s.eq_ignore_ascii_case("basic") || s == "SOCKS5 username/password"
                });
            if *credentials_rejected {
                ev.push(if rejected {
                    "credentials given: rejected".into()
                } else {
                    "credentials given: not usable here (pathprobe sends them as Basic; the proxy offers none of that)".into()
                });
            }
            // Rejected credentials are the first thing to look at: the
            // exemption is still what an agent needs (round 20: the hint
            // spoke only of the exemption).
            let first = if rejected {
                "the proxy rejected the credentials given (--proxy-user): check the user name and password. Even with good ones, "
            } else {
                ""
            };
            // No proxy configured: one in the path answered (transparent).
            let who = match route {
                Route::Direct => {
                    "no proxy is configured, yet a proxy in the path (a transparent one)".to_owned()
                }
                _ => answering_proxy(route).to_owned(),
            };
            ev.extend(answered_by(route).filter(|_| *route != Route::Direct));
            (Verdict::ProxyAuthRequired, ev,
                format!("{first}{who} demands authentication ({}), which a service running unattended cannot answer: exempt these URLs from authentication on the proxy{FIX}",
                    if socks_auth(schemes) { "SOCKS5 username/password" } else { "407" }))
        }
        Failure::ProxyDenied { product, title, page, detail, via } => {
            // A SOCKS reply is the SOCKS proxy's own; only an HTTP answer
            // on a SOCKS route came from beyond it (round 23: dante's own
            // refusal was put on "a proxy beyond the SOCKS proxy").
            let http_answer = !detail.starts_with("SOCKS");
            let the_proxy = if http_answer {
                answering_proxy(route)
            } else {
                "the proxy"
            };
            let mut ev = vec![format!("answer: {detail}")];
            ev.extend(answered_by(route).filter(|_| http_answer));
            if let Some(p) = product {
                ev.push(format!("product: {p}"));
            }
            if let Some(t) = title {
                ev.push(format!("page title: {t}"));
            }
            if let Some(p) = page {
                ev.push(format!("page says: {p}"));
            }
            // Two or more hops: the proxy named in the setting may only
            // have passed on its upstream's refusal (round 19).
            let hops = via.as_deref().map_or(0, |v| v.split(',').filter(|h| !h.trim().is_empty()).count());
            if let Some(v) = via {
                ev.push(format!("via: {v}"));
            }
            let named = if hops > 1 {
                format!("{} (or a proxy beyond it: the answer passed {hops}, Via: {})", product.as_ref().map(|p| format!(" ({p})")).unwrap_or_default(), via.as_deref().unwrap_or_default())
            } else {
                product.as_ref().map(|p| format!(" ({p})")).unwrap_or_default()
            };
            // Only a refusal is claimed as one and gets an allow rule.
            let hint = match ProxyAnswer::of(detail) {
                ProxyAnswer::Refusal if detail.ends_with(pathprobe_reports::UPSTREAM_REFUSED) => format!("{the_proxy}{named} passed on a refusal of this destination by a proxy it chains to (its page says so): add the URL to that proxy's allow list{FIX}"),
                ProxyAnswer::Refusal => format!("{the_proxy}{named} refused this destination: add the URL to its allow list{FIX}"),
                ProxyAnswer::GatewayError if let Some(words) = squid_words(detail) => format!("{the_proxy}{named} answered {detail}: {words}; its log says more"),
                ProxyAnswer::GatewayError if detail.contains("X-Squid-Error") => format!("{the_proxy}{named} answered {detail}: it could not reach the destination or got no usable answer from it; its log names the cause"),
                // mitmproxy says why only on its page (round 20).
                ProxyAnswer::GatewayError if let Some(p) = page => format!("{the_proxy}{named} answered {detail}, its page saying {}: it could not reach the destination or got no usable answer from it; its log says more", pathprobe_files::quote::quoted(p)),
                ProxyAnswer::GatewayError => format!("{the_proxy}{named} answered {detail} without saying why: it could not reach the destination or got no usable answer from it; its log names the cause"),
                ProxyAnswer::NotTaken => format!("{the_proxy}{named} answered {detail}: it does not take this request; the proxy setting may name a web server or a reverse proxy rather than a forward proxy, or this proxy does not allow CONNECT"),
                ProxyAnswer::RateLimited => format!("{the_proxy}{named} answered {detail}: it limits how fast this machine asks; run again later, or with lower --concurrency and --per-proxy"),
                ProxyAnswer::Unexplained if detail.starts_with("SOCKS4 reply 0x5b") => format!("the SOCKS4 proxy answered {detail}: its rules refused the destination, or its own connection to it failed (SOCKS4 says both with one code; SOCKS5 would say which); its log says which"),
                ProxyAnswer::Unexplained => format!("{the_proxy}{named} answered {detail}, which refuses no destination: its log says why; no allow rule is known to change it"),
                ProxyAnswer::Unattributed if detail.ends_with(pathprobe_reports::INSIDE_GIVEN_TLS) => {
                    ev.push("attribution: unsure; the proxy opened the tunnel, and writes inside it only if it decrypts with the --ca-cert anchor given; otherwise the service's own front end answered".into());
                    let status = detail
                        .strip_suffix(pathprobe_reports::INSIDE_GIVEN_TLS)
                        .map_or(detail.as_str(), |s| s.trim_end_matches([',', ' ']));
                    format!("{the_proxy}{named} opened the tunnel, and the answer inside it ({status}) bears a proxy's mark: if the proxy decrypts this traffic with the --ca-cert anchor given, it refused the URL (add it to its allow list and exempt it from decryption); if that anchor is the service's own CA, the service's front end answered {status}")
                }
                ProxyAnswer::Unattributed => {
                    ev.push("attribution: unsure; the answer may be the proxy's own or the service's relayed by a proxy that adds no Via (mitmproxy and some appliances add none)".into());
                    let status = detail
                        .strip_suffix(pathprobe_reports::UNATTRIBUTED)
                        .map_or(detail.as_str(), |s| s.trim_end_matches([',', ' ']));
                    format!("the answer through {the_proxy}{named} ({status}) carries no Via header and no proxy's mark, so it is not known who wrote it: if the proxy's access log shows this request denied, add the URL to its allow list; if it shows the request forwarded, the service itself answered {status}")
                }
                // A redirect to a login page is authentication by other
                // means: what an agent cannot pass, exempted as a 407 is
                // (round 18).
                ProxyAnswer::SignIn => {
                    ev.push("authentication: a sign-in page (web-portal authentication)".into());
                    if detail.ends_with(pathprobe_reports::UNATTRIBUTED) {
                        ev.push("attribution: unsure; a captive portal adds no Via, and neither does a proxy relaying the service's own redirect to a login".into());
                    }
                    // Passed on from beyond the proxy (round 22: squid was
                    // said to send the sign-in page it relayed).
                    if detail.ends_with(pathprobe_reports::FROM_BEYOND) {
                        ev.push("attribution: unsure; the proxy passed it on from a device beyond it, or wrote it and added its own Via".into());
                        return (Verdict::ProxyAuthRequired, ev,
                            format!("{the_proxy}{named} or a device beyond it (a captive portal, another proxy) sends this client to a sign-in page ({detail}), which a service running unattended cannot pass: the proxy's access log shows whether it forwarded the request; the device that asks must let these URLs through without a sign-in"));
                    }
                    return (Verdict::ProxyAuthRequired, ev,
                        format!("{the_proxy}{named} sends this client to a sign-in page ({detail}), which a service running unattended cannot pass: exempt these URLs from authentication on the proxy{FIX}"));
                }
            };
            (Verdict::ProxyDenied, ev, hint)
        }
        // Through a tunnel, what broke the handshake may be the proxy
        // itself: a block page or a close after its 200 (round 18).
        Failure::TlsHandshake(e) => (Verdict::TlsHandshakeFailed, vec![format!("error: {e}")],
            match route {
                // The evidence names the cause; the hint follows it.
                _ if e.to_string().contains("client certificate") => "the server requires a client certificate (mutual TLS), which this probe does not present: the service expects one; nothing in the network is the cause".into(),
                // The server knows no site by the name sent (SNI): the URL's
                // host, or the address it resolves to, is not the service's
                // (round 20: "a middlebox may block TLS").
                _ if matches!(e, Handshake::Tls(rustls::Error::AlertReceived(rustls::AlertDescription::UnrecognisedName))) => format!("the server {via} serves no site by this name (it answered the TLS name indication with unrecognized_name): check the URL's host, and whether its address belongs to the service"),
                Route::Direct => "the TLS handshake failed: a middlebox may block TLS to this host, or the server refuses this client's versions".into(),
                Route::Proxy { .. } => format!("the TLS handshake through the proxy's tunnel failed: the proxy ({route}) may have answered or closed in the server's place after opening the tunnel (the tunnel phase counts any bytes it sent), a device beyond it may block TLS to this host, or the server refuses this client's versions"),
            }),
        // The store's reason says where to look.
        Failure::TlsUntrusted(e) => (Verdict::TlsUntrusted, vec![format!("verifier: {e}")],
            if e.contains("an intermediate the server sends") {
                "the server sends an expired intermediate certificate: its operator must send the renewed one (this machine's clock is not the cause: the server's own certificate is valid)".into()
            } else if e.contains("the certificate is self-signed") {
                format!("the server {via} presents a self-signed certificate: if it is the service's own, give it with --ca-cert; otherwise something in the path answers in the server's place")
            } else if e.starts_with("not valid for name") {
                format!("the certificate {via} is for other names: check the URL, and what answers at this address (a server with another site's certificate, or something in the path answering in its place)")
            } else if e.starts_with("expired") || e.starts_with("not valid yet") {
                "the certificate is outside its validity period: check this machine's clock; if it is right, the server's certificate must be renewed".into()
            } else if e.contains("a public CA's intermediate the server leaves out") {
                "if the issuer is a private CA this service is expected to use, give it with --ca-cert (or add it to the system store); if it is a public CA's intermediate, the server's operator must send it with the certificate".into()
            } else {
                // No reason above: the clock is not named unless the
                // verifier named time (round 20).
                format!("the certificate chain {via} does not verify: the server's chain is wrong, or something in the path answers with its own")
            }),
        Failure::TlsIntercepted { issuer, product, trusted_by_os } => {
            let mut ev = vec![format!("issuer: {issuer}")];
            if let Some(p) = product {
                ev.push(format!("product: {p}"));
            }
            ev.push(format!("trusted by: {}", if *trusted_by_os { "the OS store only (a locally installed CA)" } else { "nothing" }));
            (Verdict::TlsIntercepted, ev,
                format!("TLS is being inspected{}: a client that pins its service's certificates, as security agents do, refuses it; exempt this URL from SSL inspection{FIX}", product.as_ref().map(|p| format!(" by {p}")).unwrap_or_default()))
        }
        Failure::Status(s, list) => (Verdict::HttpUnexpectedStatus,
            vec![format!("status: {s}"), format!("expected: {}", list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))],
            format!("the endpoint answered {s}, which is not what the service answers; something in the path may be answering in its place")),
        Failure::ProxyCut { proxy, asked } => {
            (Verdict::TcpReset,
                vec![format!("{} {proxy}, the only peer of this connection, after the {asked} and before any answer", pathprobe_reports::findings::RESET_BY_PROXY)],
                format!("the proxy {proxy} reset the connection after the {asked} without answering: proxies do so to refuse a destination quietly (squid's deny_info TCP_RESET), or when they fail; its access log says which (denied there: add the URL to its allow list)"))
        }
        Failure::ServiceBroke { what, hung_up } => (Verdict::HttpUnexpectedStatus,
            vec![format!("answer: {what}")],
            format!("the service was reached {via} but {what}: {}", if *hung_up {
                "it drops this client or this request (its log says why); an allow rule does not change that"
            } else {
                "it does not answer HTTP there as expected; an allow rule does not change that"
            })),
        Failure::OtherPage { status, location, body } => {
            let mut ev = vec![format!("status: {status}")];
            ev.extend(location.as_ref().map(|l| format!("location: {l}")));
            if !body.is_empty() {
                ev.push(format!("page: {}", pathprobe_files::quote::excerpt(body, 200)));
            }
            (Verdict::HttpUnexpectedStatus, ev,
                format!("another answer than the expected page came {via}: a captive portal or a transparent proxy answers in the internet's place"))
        }
        Failure::PhaseTimeout(Phase::Dns) => (Verdict::DnsFailure,
            vec!["phase: dns".into(), "answer: none within the limit (timeout)".into()],
            "no DNS answer in time: the resolver is slow or unreachable, or DNS is blocked".into()),
        Failure::PhaseTimeout(Phase::Tunnel) if *route != Route::Direct => (Verdict::ProxyUnreachable,
            vec!["phase: tunnel".into(), format!("problem: {}", pathprobe_reports::findings::TUNNEL_UNANSWERED)],
            format!("the proxy ({route}) accepts connections but did not answer the tunnel request in time: it may still be waiting on the destination or on its own lookup of the name (its log says), be overloaded, or a device in front of it swallows the request")),
        Failure::PhaseTimeout(p) => (match p {
            Phase::Dns => Verdict::DnsFailure,
            Phase::Connect => Verdict::TcpTimeout,
            _ => Verdict::Timeout,
        }, vec![format!("phase: {}", p.name())],
            format!("no progress in the {} phase {via} within its time limit", p.name())),
        Failure::Protocol(Phase::Tunnel, e) => (Verdict::ProxyUnreachable,
            vec!["phase: tunnel".into(), format!("error: {e}")],
            format!("the proxy ({route}) answered something that is not a valid proxy response ({e}): check that a proxy of that kind listens on that port")),
        Failure::Protocol(p, e) => (match p {
            Phase::Tls => Verdict::TlsHandshakeFailed,
            _ => Verdict::HttpUnexpectedStatus,
        }, vec![format!("phase: {}", p.name()), format!("error: {e}")],
            format!("the {} phase broke {via}: {e}", p.name())),
    }
}

/// A handshake answered by bytes that are no TLS record (the first byte
/// names no record type: `H` of an `HTTP/1.1` answer).
fn no_tls_record(f: &Failure) -> bool {
    matches!(
        f,
        Failure::TlsHandshake(Handshake::Tls(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType
        )))
    )
}

pub(super) fn io_failure(phase: Phase, e: &std::io::Error) -> Failure {
    match e.kind() {
        std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe => {
            Failure::Reset(format!("{}: {e}", phase.name()))
        }
        kind => Failure::Protocol(phase, Broken::Io(kind, e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathprobe_pac::ProxyKind;
    use std::time::Duration;

    #[test]
    fn a_refusal_beyond_a_socks_proxy_names_no_made_up_address() {
        let route = Route::Proxy {
            kind: ProxyKind::Socks5h,
            host: "s".into(),
            port: 1080,
        };
        let refused = Failure::BeyondProxy {
            target: "a.test:443".into(),
            problem: Beyond::Refused,
            said: "SOCKS5 reply 5".into(),
        };
        let (v, ev, hint) = classify(&refused, &route);
        assert_eq!(v, Verdict::TcpRefused);
        assert_eq!(ev[0], "destination: a.test:443");
        assert!(
            !hint.contains("0.0.0.0") && hint.contains("SOCKS5 s:1080"),
            "{hint}"
        );
    }

    /// Round 20: what a proxy reports of the destination is the verdict of
    /// what happened there, not a refusal of the proxy's.
    #[test]
    fn what_a_proxy_reports_beyond_itself_is_what_happened_there() {
        let route = Route::Proxy {
            kind: ProxyKind::Socks5h,
            host: "s".into(),
            port: 1080,
        };
        for (problem, verdict) in [
            (Beyond::HostUnreachableOrUnresolved, Verdict::DnsFailure),
            (Beyond::Reset, Verdict::TcpReset),
            (Beyond::ClosedWithoutAnswer, Verdict::TcpReset),
        ] {
            let (v, ev, hint) = classify(
                &Failure::BeyondProxy {
                    target: "a.test:443".into(),
                    problem,
                    said: "x".into(),
                },
                &route,
            );
            assert_eq!(v, verdict, "{problem:?}");
            assert!(ev[1].starts_with("proxy reports: "), "{ev:?}");
            assert!(!hint.contains("allow list"), "{hint}");
        }
    }

    /// Round 21: an HTTP answer on a SOCKS route was written beyond the
    /// SOCKS proxy, which relays bytes: dante was told to exempt URLs from
    /// authentication and said to be Squid refusing.
    #[test]
    fn an_http_answer_through_socks_is_not_the_socks_proxys() {
        let squid_403 = || Failure::ProxyDenied {
            product: Some("Squid".into()),
            title: None,
            page: None,
            via: None,
            detail: "403 Forbidden, X-Squid-Error: ERR_ACCESS_DENIED 0".into(),
        };
        let socks = Route::Proxy {
            kind: ProxyKind::Socks5,
            host: "s".into(),
            port: 1080,
        };
        let (v, ev, hint) = classify(
            &Failure::ProxyAuth {
                schemes: vec!["Basic".into()],
                realm: None,
                credentials_rejected: false,
            },
            &socks,
        );
        assert_eq!(v, Verdict::ProxyAuthRequired);
        assert!(
            hint.starts_with("a proxy beyond the SOCKS proxy demands"),
            "{hint}"
        );
        assert!(
            ev.iter().any(|e| e.contains("writes no HTTP answer")),
            "{ev:?}"
        );
        let (v, ev, hint) = classify(&squid_403(), &socks);
        assert_eq!(v, Verdict::ProxyDenied);
        assert!(
            hint.starts_with("a proxy beyond the SOCKS proxy (Squid) refused"),
            "{hint}"
        );
        assert!(ev.iter().any(|e| e.starts_with("answered by: ")), "{ev:?}");
        let (_, _, hint) = classify(&squid_403(), &Route::Direct);
        assert!(
            hint.starts_with("a transparent proxy in the path (Squid) refused"),
            "{hint}"
        );
        // Round 23: a SOCKS reply is the SOCKS proxy's own refusal.
        let (v, ev, hint) = classify(
            &Failure::ProxyDenied {
                product: None,
                title: None,
                page: None,
                via: None,
                detail: "SOCKS5 reply 2: connection not allowed by the proxy's rules".into(),
            },
            &socks,
        );
        assert_eq!(v, Verdict::ProxyDenied);
        assert!(hint.starts_with("the proxy refused"), "{hint}");
        assert!(!ev.iter().any(|e| e.starts_with("answered by")), "{ev:?}");
    }

    /// Round 20: a server that serves no site by the name sent.
    #[test]
    fn an_unrecognised_name_points_at_the_url() {
        let (v, _, hint) = classify(
            &Failure::TlsHandshake(Handshake::Tls(rustls::Error::AlertReceived(
                rustls::AlertDescription::UnrecognisedName,
            ))),
            &Route::Direct,
        );
        assert_eq!(v, Verdict::TlsHandshakeFailed);
        assert!(
            hint.contains("serves no site by this name") && !hint.contains("middlebox"),
            "{hint}"
        );
    }

    #[test]
    fn untrusted_chains_point_where_their_reason_does() {
        let hint = |why: &str| classify(&Failure::TlsUntrusted(why.into()), &Route::Direct).2;
        let name = hint("not valid for name a.test (it names b.test)");
        assert!(
            name.contains("is for other names") && !name.contains("clock"),
            "{name}"
        );
        let expired = hint("expired on 2025-01-01 00:00 UTC");
        assert!(
            expired.contains("clock") && expired.contains("renewed"),
            "{expired}"
        );
        let intermediate = hint(
            "expired on 2026-11-25 00:00 UTC: the certificate of CN=Lab Intermediate, an intermediate the server sends (its own is valid)",
        );
        assert!(
            intermediate.contains("renewed one") && intermediate.contains("clock is not the cause"),
            "{intermediate}"
        );
        let own = hint(
            "issued by a CA this store does not trust (unknown issuer); the certificate is self-signed (its own issuer)",
        );
        assert!(
            own.contains("self-signed") && !own.contains("clock"),
            "{own}"
        );
        let alone = hint(
            "issued by a CA this store does not trust (unknown issuer); the server sent only its own certificate, issued by CN=I: a private CA this machine does not trust, or a public CA's intermediate the server leaves out (clients that do not fetch it, curl and most agents, need it sent)",
        );
        assert!(
            alone.contains("--ca-cert") && alone.contains("operator must send it"),
            "{alone}"
        );
    }

    #[test]
    fn a_failed_handshake_in_a_tunnel_names_the_proxy_too() {
        let proxy = Route::Proxy {
            kind: pathprobe_pac::ProxyKind::Http,
            host: "p".into(),
            port: 3128,
        };
        let eof = Failure::TlsHandshake(Handshake::Io(
            std::io::ErrorKind::UnexpectedEof,
            "eof".into(),
        ));
        let (v, _, hint) = classify(&eof, &proxy);
        assert_eq!(v, Verdict::TlsHandshakeFailed);
        // A demand for a client certificate is said as one on any route.
        let mtls = Failure::TlsHandshake(Handshake::Afterwards(
            "the server requires a client certificate (mutual TLS)".into(),
        ));
        for route in [&Route::Direct, &proxy] {
            let (_, _, said) = classify(&mtls, route);
            assert!(
                said.starts_with("the server requires a client certificate"),
                "{said}"
            );
        }
        assert!(
            hint.contains("the proxy (PROXY p:3128) may have answered or closed"),
            "{hint}"
        );
        let plain = Failure::ProxyUnreachable {
            proxy: "p:3128".into(),
            problem: ProxyProblem::Handshake(Box::new(Failure::TlsHandshake(Handshake::Tls(
                rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            )))),
        };
        let (_, _, hint) = classify(&plain, &proxy);
        assert!(hint.contains("a plain HTTP proxy listens there"), "{hint}");
    }

    #[test]
    fn typed_causes_are_told_in_words() {
        let eof = Failure::TlsHandshake(Handshake::Io(
            std::io::ErrorKind::UnexpectedEof,
            "tls handshake eof".into(),
        ));
        let (v, ev, _) = classify(&eof, &Route::Direct);
        assert_eq!(v, Verdict::TlsHandshakeFailed);
        assert_eq!(
            ev,
            vec![
                "error: the connection was closed during the handshake (by the server or a device on the path)"
            ]
        );
        let alert = Failure::TlsHandshake(Handshake::Tls(rustls::Error::AlertReceived(
            rustls::AlertDescription::HandshakeFailure,
        )));
        assert_eq!(
            alert.to_string(),
            "TLS handshake failed: the server sent the TLS alert \"handshake failure\""
        );
        let proxy = Route::Proxy {
            kind: pathprobe_pac::ProxyKind::Socks5,
            host: "s".into(),
            port: 1080,
        };
        let (v, ev, _) = classify(
            &Failure::Protocol(Phase::Tunnel, Broken::UnassignedSocks5(9)),
            &proxy,
        );
        assert_eq!(v, Verdict::ProxyUnreachable);
        assert_eq!(
            ev[1],
            "error: not a valid SOCKS5 reply (code 9 is not assigned)"
        );
        let dead = Failure::ProxyUnreachable {
            proxy: "p:3128".into(),
            problem: ProxyProblem::Connect(Box::new(Failure::Refused(
                "127.0.0.1:3128".parse().unwrap(),
            ))),
        };
        assert_eq!(
            dead.to_string(),
            "proxy p:3128: 127.0.0.1:3128 refused the connection"
        );
    }

    #[test]
    fn verdicts_and_hints_for_each_failure() {
        let direct = Route::Direct;
        let (v, ev, hint) = classify(&Failure::Status(503, vec![200, 404]), &direct);
        assert_eq!(v, Verdict::HttpUnexpectedStatus);
        assert_eq!(ev, vec!["status: 503", "expected: 200, 404"]);
        assert!(hint.contains("503"));
        let (v, _, _) = classify(
            &Failure::Dns {
                host: "x".into(),
                error: LookupError::Timeout(Duration::from_secs(5)),
                tries: None,
            },
            &direct,
        );
        assert_eq!(v, Verdict::DnsFailure);
        let (v, _, _) = classify(&Failure::PhaseTimeout(Phase::Connect), &direct);
        assert_eq!(v, Verdict::TcpTimeout);
        let (v, _, _) = classify(&Failure::PhaseTimeout(Phase::Tls), &direct);
        assert_eq!(v, Verdict::Timeout);
        let proxy = Route::Proxy {
            kind: pathprobe_pac::ProxyKind::Http,
            host: "proxy.example".into(),
            port: 3128,
        };
        let (v, ev, _) = classify(&Failure::PhaseTimeout(Phase::Tunnel), &proxy);
        assert_eq!(v, Verdict::ProxyUnreachable);
        assert!(
            ev.iter()
                .any(|e| e.contains("did not answer the tunnel request"))
        );
        let (v, ev, _) = classify(
            &Failure::TlsIntercepted {
                issuer: "CN=Corp Inspection".into(),
                product: None,
                trusted_by_os: true,
            },
            &direct,
        );
        assert_eq!(v, Verdict::TlsIntercepted);
        assert!(ev.iter().any(|e| e.contains("OS store only")));
    }
}
