//! One probe of one URL through one route, phase by phase: DNS, TCP connect,
//! proxy tunnel (HTTP CONNECT, HTTPS proxy, SOCKS5 with remote DNS, SOCKS4a),
//! TLS with the chain captured, and the HTTP request. Every phase is timed
//! and bounded; the first failure ends the attempt and becomes its verdict.

pub mod http;
pub mod tls;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pathprobe_pac::discovery::Credentials;
use pathprobe_pac::{LookupError, LookupLimits, ProxyKind, Resolve, Route, Traced};
use pathprobe_reports::{Attempt, Phase, PhaseRecord, TlsInfo, Verdict};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use self::http::{Head, challenges, peek_body, product, read_head, title};
use self::tls::{Capture, Trust, TrustStores, client_config, inspection_product, trust_of};

/// Appended to the hints of verdicts the network team fixes with a rule:
/// `pathprobe fix` turns a saved report into those rules.
const FIX: &str = " (`pathprobe fix REPORT.json` writes the rule from a saved JSON report)";

/// Statuses a target accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Any answer from the origin proves it is reachable.
    Any,
    /// One of these.
    OneOf(Vec<u16>),
}

/// What to probe.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL.
    pub url: url::Url,
    /// GET or HEAD.
    pub method: String,
    /// Statuses that prove the service answered.
    pub expect: Expect,
}

/// Per-phase time limits.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Name resolution, from the moment the lookup has a slot.
    pub dns: Duration,
    /// Longest wait for a slot under the resolver's bound.
    pub dns_queue: Duration,
    /// TCP connect (per address).
    pub connect: Duration,
    /// Proxy tunnel set-up.
    pub tunnel: Duration,
    /// TLS handshake.
    pub tls: Duration,
    /// HTTP request to response head.
    pub http: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            dns: Duration::from_secs(5),
            dns_queue: Duration::from_secs(120),
            connect: Duration::from_secs(5),
            tunnel: Duration::from_secs(10),
            tls: Duration::from_secs(10),
            http: Duration::from_secs(10),
        }
    }
}

/// Everything an attempt needs besides the target and route.
pub struct Context {
    /// DNS.
    pub resolver: Arc<dyn Resolve>,
    /// Fixed answers (`--resolve host=ip`), checked first.
    pub overrides: HashMap<String, Vec<IpAddr>>,
    /// Trust anchors.
    pub trust: Arc<TrustStores>,
    /// Phase limits.
    pub timeouts: Timeouts,
    /// Read the status over a chain that failed verification (for the report only).
    pub insecure_read: bool,
    /// Credentials for proxies, only when the user gave them.
    pub credentials: Option<Credentials>,
    /// Words in the names of the issuers the service's endpoints use
    /// (Microsoft and DigiCert for the embedded catalog).
    pub expected_issuers: Vec<String>,
}

/// Whether any certificate of the chain was issued by an expected issuer.
fn expected_issuer(info: &TlsInfo, expected: &[String]) -> bool {
    info.chain.iter().any(|c| {
        let issuer = c.issuer.to_ascii_lowercase();
        expected
            .iter()
            .any(|e| issuer.contains(&e.to_ascii_lowercase()))
    })
}

/// Any byte stream a probe runs over.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
type Stream = Pin<Box<dyn Io>>;

/// Why an attempt stopped.
#[derive(Debug, Clone)]
enum Failure {
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
    /// A SOCKS proxy reported that the destination refused it; the proxy
    /// resolved the name, so no address is known here.
    RefusedBeyondProxy(String),
    Reset(String),
    ProxyUnreachable(String, String),
    ProxyAuth {
        schemes: Vec<String>,
        realm: Option<String>,
        credentials_rejected: bool,
    },
    ProxyDenied {
        status: Option<u16>,
        product: Option<String>,
        title: Option<String>,
        detail: String,
    },
    TlsHandshake(String),
    TlsUntrusted(String),
    TlsIntercepted {
        issuer: String,
        product: Option<String>,
        trusted_by_os: bool,
    },
    Status(u16, Vec<u16>),
    PhaseTimeout(Phase),
    Protocol(Phase, String),
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
            Self::RefusedBeyondProxy(target) => {
                write!(f, "{target} refused the proxy's connection")
            }
            Self::Reset(what) => write!(f, "reset: {what}"),
            Self::ProxyUnreachable(proxy, why) => write!(f, "proxy {proxy}: {why}"),
            Self::ProxyAuth { schemes, .. } => {
                write!(
                    f,
                    "407 proxy authentication required ({})",
                    schemes.join(", ")
                )
            }
            Self::ProxyDenied { detail, .. } => write!(f, "refused by the proxy: {detail}"),
            Self::TlsHandshake(e) => write!(f, "TLS handshake failed: {e}"),
            Self::TlsUntrusted(e) => write!(f, "certificate not trusted: {e}"),
            Self::TlsIntercepted { issuer, .. } => write!(f, "re-signed by {issuer}"),
            Self::Status(status, _) => write!(f, "status {status}"),
            Self::PhaseTimeout(phase) => {
                write!(f, "no progress in the {} phase in time", phase.name())
            }
            Self::Protocol(phase, e) => write!(f, "{} phase: {e}", phase.name()),
        }
    }
}

/// What a probe in flight has done so far: when the run is cut short, the
/// report shows the phases that finished and the one it was in.
#[derive(Debug, Default)]
pub struct Live {
    /// Attempts of this job that finished (earlier routes): the job's one
    /// list of attempts, kept here so that a run cut short still has them.
    pub finished: Vec<Attempt>,
    /// The route being tried now.
    pub route: Option<Route>,
    /// Phases of the current attempt that finished.
    pub phases: Vec<PhaseRecord>,
    /// The phase in progress and when it began.
    pub current: Option<(Phase, Instant)>,
}

/// Shared between a probe and the scheduler that may cut it short.
pub type LiveHandle = Arc<std::sync::Mutex<Live>>;

struct Recorder {
    phases: Vec<PhaseRecord>,
    live: Option<LiveHandle>,
}

impl Recorder {
    fn enter(&self, phase: Phase) {
        if let Some(live) = &self.live
            && let Ok(mut l) = live.lock()
        {
            l.current = Some((phase, Instant::now()));
        }
    }

    fn push(&mut self, record: PhaseRecord) {
        if let Some(live) = &self.live
            && let Ok(mut l) = live.lock()
        {
            l.current = None;
            l.phases.push(record.clone());
        }
        self.phases.push(record);
    }

    async fn run<T, F>(
        &mut self,
        phase: Phase,
        limit: Duration,
        fut: F,
    ) -> Result<(T, String), Failure>
    where
        F: std::future::Future<Output = Result<(T, String), Failure>>,
    {
        self.enter(phase);
        let started = Instant::now();
        let outcome = match tokio::time::timeout(limit, fut).await {
            Ok(r) => r,
            Err(_) => Err(Failure::PhaseTimeout(phase)),
        };
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        let (ok, detail) = match &outcome {
            Ok((_, d)) => (true, d.clone()),
            Err(f) => (false, short(f)),
        };
        self.push(PhaseRecord {
            phase,
            elapsed_ms,
            queued_ms: 0.0,
            ok,
            detail,
        });
        outcome
    }

    /// The DNS phase: its clock runs only once the lookup has a slot under
    /// the resolver's bound; the wait is recorded apart.
    async fn dns(
        &mut self,
        host: &str,
        ctx: &Context,
        for_proxy: bool,
    ) -> Result<Vec<IpAddr>, Failure> {
        self.enter(Phase::Dns);
        let started = Instant::now();
        let (outcome, took) = resolve(host, ctx, for_proxy).await;
        let total = started.elapsed();
        // Everything before the lookup had a slot (a thread to block on,
        // the resolver's bound, its pace) is queueing.
        let took = took.map_or(total, |t| t.min(total));
        let (ok, detail) = match &outcome {
            Ok((_, d)) => (true, d.clone()),
            Err(f) => (false, short(f)),
        };
        self.push(PhaseRecord {
            phase: Phase::Dns,
            elapsed_ms: took.as_secs_f64() * 1000.0,
            queued_ms: total.saturating_sub(took).as_secs_f64() * 1000.0,
            ok,
            detail,
        });
        outcome.map(|(ips, _)| ips)
    }
}

fn short(f: &Failure) -> String {
    f.to_string().chars().take(300).collect()
}

fn is_sinkhole(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_unspecified() || v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_unspecified() || v6.is_loopback(),
    }
}

/// How a lookup went, for the evidence, when it took more than one try:
/// "3 tries (REFUSED, REFUSED, answer)".
fn tries_text(tries: &[pathprobe_pac::Try]) -> Option<String> {
    match tries {
        [] | [_] => None,
        many => Some(format!(
            "{} tries ({})",
            many.len(),
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The lookup of `host`, and how long it took from the moment it had a
/// slot (`None`: no question was asked).
async fn resolve(
    host: &str,
    ctx: &Context,
    for_proxy: bool,
) -> (Result<(Vec<IpAddr>, String), Failure>, Option<Duration>) {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return (Ok((vec![ip], "address literal".into())), None);
    }
    if let Some(ips) = override_for(&ctx.overrides, host) {
        return (
            Ok((ips.clone(), format!("{host} → {} (--resolve)", join(ips)))),
            None,
        );
    }
    let resolver = ctx.resolver.clone();
    let name = host.to_owned();
    let limits = LookupLimits {
        answer: ctx.timeouts.dns,
        queue: ctx.timeouts.dns_queue,
    };
    let traced = tokio::task::spawn_blocking(move || resolver.lookup_traced(&name, limits))
        .await
        .unwrap_or_else(|e| Traced::local(Err(LookupError::Failed(e.to_string()))));
    let tries = tries_text(&traced.tries);
    let outcome = match traced.result {
        Ok(ips) => {
            // A proxy on loopback is normal, and so is a loopback name; a
            // public origin there is a sinkhole.
            if !for_proxy && !is_loopback_name(host) && ips.iter().all(is_sinkhole) {
                Err(Failure::DnsSinkhole(host.to_owned(), ips))
            } else {
                let mut detail = format!("{host} → {}", join(&ips));
                if let Some(t) = tries {
                    detail.push_str(&format!(" ({t})"));
                }
                Ok((ips, detail))
            }
        }
        Err(error) => Err(Failure::Dns {
            host: host.to_owned(),
            error,
            tries,
        }),
    };
    (outcome, Some(traced.took))
}

/// `localhost` and names under it (RFC 6761) answer loopback by design.
fn is_loopback_name(host: &str) -> bool {
    host.parse::<pathprobe_host::Host>()
        .is_ok_and(|h| h.is_localhost())
}

/// A `--resolve` entry for `host`: the exact name, else the nearest
/// `*.parent` wildcard.
pub(crate) fn override_for<'a>(
    overrides: &'a HashMap<String, Vec<IpAddr>>,
    host: &str,
) -> Option<&'a Vec<IpAddr>> {
    let host = pathprobe_host::key(host);
    if let Some(ips) = overrides.get(&host) {
        return Some(ips);
    }
    let mut rest = host.as_str();
    while let Some((_, parent)) = rest.split_once('.') {
        if let Some(ips) = overrides.get(&format!("*.{parent}")) {
            return Some(ips);
        }
        rest = parent;
    }
    None
}

/// `--resolve` pins over another resolver, for the route decisions: the PAC's
/// DNS helpers and the proxy-host checks see the same names as the probes.
#[derive(Debug)]
pub(crate) struct PinnedResolver {
    pub(crate) pins: HashMap<String, Vec<IpAddr>>,
    pub(crate) fallback: std::sync::Arc<dyn pathprobe_pac::Resolve>,
}

impl pathprobe_pac::Resolve for PinnedResolver {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        match override_for(&self.pins, host) {
            Some(ips) => Ok(ips.clone()),
            None => self.fallback.lookup(host, timeout),
        }
    }
    fn lookup_traced(&self, host: &str, limits: LookupLimits) -> Traced {
        match override_for(&self.pins, host) {
            Some(ips) => Traced::local(Ok(ips.clone())),
            None => self.fallback.lookup_traced(host, limits),
        }
    }
}

fn join(ips: &[IpAddr]) -> String {
    ips.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Connects to the first address that answers; each gets a share of the limit.
async fn connect(
    addrs: &[IpAddr],
    port: u16,
    limit: Duration,
) -> Result<(TcpStream, String), Failure> {
    let mut tried = Vec::new();
    let mut refused = None;
    let mut unreachable = None;
    let mut failed = None;
    let mut silent = false;
    // What each address before the one that answered did, by family: a
    // host reached over IPv4 after its IPv6 address failed says so.
    let mut earlier: Vec<String> = Vec::new();
    let share = limit / u32::try_from(addrs.len().clamp(1, 4)).unwrap_or(1);
    for ip in addrs.iter().take(4) {
        let addr = SocketAddr::new(*ip, port);
        tried.push(addr);
        match tokio::time::timeout(share, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                let mut detail = format!("connected to {addr} over {}", family(&addr));
                if !earlier.is_empty() {
                    detail.push_str(&format!(" after {}", earlier.join(", ")));
                }
                return Ok((stream, detail));
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                earlier.push(format!("{addr} over {} refused", family(&addr)));
                refused = Some(addr);
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Err(Failure::Reset(format!("{addr}: {e}")));
            }
            // The OS (no route) or a router (ICMP) says the address cannot
            // be reached: an answer, not silence.
            // No source address of that family (IPv6 on a host without
            // one) is the same answer from the OS.
            Ok(Err(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NetworkUnreachable
                        | std::io::ErrorKind::HostUnreachable
                        | std::io::ErrorKind::AddrNotAvailable
                ) =>
            {
                let network = e.kind() != std::io::ErrorKind::HostUnreachable;
                earlier.push(format!(
                    "{addr} over {}: {}",
                    family(&addr),
                    unreachable_text(network)
                ));
                unreachable = Some((addr, network));
            }
            // Any other immediate error is what the OS said, not silence.
            Ok(Err(e)) => {
                earlier.push(format!("{addr} over {}: {e}", family(&addr)));
                failed = Some((addr, e.to_string()));
            }
            Err(_) => {
                silent = true;
                earlier.push(format!(
                    "{addr} over {}: no answer in {:.1} s",
                    family(&addr),
                    share.as_secs_f64()
                ));
            }
        }
    }
    // A refusal is an answer from the host; a silent address is what a
    // firewall drop looks like even when another family failed at once
    // (IPv6 on a machine without it).
    match (refused, silent, unreachable, failed) {
        (Some(addr), ..) => Err(Failure::Refused(addr)),
        (None, true, ..) => Err(Failure::ConnectTimeout(tried)),
        (None, false, Some((addr, network)), _) => Err(Failure::Unreachable { addr, network }),
        (None, false, None, Some((addr, error))) => Err(Failure::ConnectFailed { addr, error }),
        (None, false, None, None) => Err(Failure::ConnectTimeout(tried)),
    }
}

/// "IPv4" or "IPv6".
fn family(addr: &SocketAddr) -> &'static str {
    if addr.is_ipv4() { "IPv4" } else { "IPv6" }
}

fn basic_auth(c: &Credentials) -> String {
    use base64::Engine as _;
    let token =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", c.user(), c.password()));
    format!("Proxy-Authorization: Basic {token}\r\n")
}

fn io_failure(phase: Phase, e: &std::io::Error) -> Failure {
    match e.kind() {
        std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe => {
            Failure::Reset(format!("{}: {e}", phase.name()))
        }
        _ => Failure::Protocol(phase, e.to_string()),
    }
}

/// Analyses a proxy's non-success answer.
async fn proxy_refusal(stream: &mut Stream, head: &Head, credentials_sent: bool) -> Failure {
    if head.status == 407 {
        let c = challenges(head);
        return Failure::ProxyAuth {
            schemes: c.iter().map(|c| c.scheme.clone()).collect(),
            realm: c.iter().find_map(|c| c.realm.clone()),
            credentials_rejected: credentials_sent,
        };
    }
    let body = peek_body(stream, head).await;
    Failure::ProxyDenied {
        status: Some(head.status),
        product: product(head, &body).map(str::to_owned),
        title: title(&body),
        detail: format!("{} {}", head.status, head.reason),
    }
}

async fn http_connect(
    mut stream: Stream,
    host: &str,
    port: u16,
    ctx: &Context,
) -> Result<(Stream, String), Failure> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let auth = ctx.credentials.as_ref().map(basic_auth).unwrap_or_default();
    let request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: pathprobe/{}\r\n{auth}\r\n",
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| io_failure(Phase::Tunnel, &e))?;
    let head = read_head(&mut stream)
        .await
        .map_err(|e| Failure::Protocol(Phase::Tunnel, e.to_string()))?;
    if (200..300).contains(&head.status) {
        Ok((
            stream,
            format!("CONNECT {authority}: {} {}", head.status, head.reason),
        ))
    } else {
        Err(proxy_refusal(&mut stream, &head, ctx.credentials.is_some()).await)
    }
}

/// What a SOCKS request names: the name (the proxy resolves it) or an
/// address this machine resolved.
#[derive(Debug, Clone)]
enum SocksTarget {
    Name(String),
    Address(IpAddr),
}

impl std::fmt::Display for SocksTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Name(n) => f.write_str(n),
            Self::Address(IpAddr::V6(a)) => write!(f, "[{a}]"),
            Self::Address(a) => write!(f, "{a}"),
        }
    }
}

async fn socks5(
    mut stream: Stream,
    target: &SocksTarget,
    port: u16,
    ctx: &Context,
) -> Result<(Stream, String), Failure> {
    use tokio::io::AsyncReadExt;
    let io = |e: std::io::Error| io_failure(Phase::Tunnel, &e);
    let greeting: &[u8] = if ctx.credentials.is_some() {
        &[5, 2, 0, 2]
    } else {
        &[5, 1, 0]
    };
    stream.write_all(greeting).await.map_err(io)?;
    let mut reply = [0u8; 2];
    stream.read_exact(&mut reply).await.map_err(io)?;
    match reply {
        [5, 0] => {}
        [5, 2] => {
            let Some(c) = &ctx.credentials else {
                return Err(Failure::ProxyAuth {
                    schemes: vec!["SOCKS5 username/password".into()],
                    realm: None,
                    credentials_rejected: false,
                });
            };
            let (u, p) = (c.user().as_bytes(), c.password().as_bytes());
            let mut msg = vec![1, u8::try_from(u.len()).unwrap_or(255)];
            msg.extend_from_slice(u.get(..255).unwrap_or(u));
            msg.push(u8::try_from(p.len()).unwrap_or(255));
            msg.extend_from_slice(p.get(..255).unwrap_or(p));
            stream.write_all(&msg).await.map_err(io)?;
            let mut status = [0u8; 2];
            stream.read_exact(&mut status).await.map_err(io)?;
            if status[1] != 0 {
                return Err(Failure::ProxyAuth {
                    schemes: vec!["SOCKS5 username/password".into()],
                    realm: None,
                    credentials_rejected: true,
                });
            }
        }
        [5, 0xFF] => {
            return Err(Failure::ProxyAuth {
                schemes: vec!["SOCKS5 (no offered method accepted)".into()],
                realm: None,
                credentials_rejected: ctx.credentials.is_some(),
            });
        }
        other => {
            return Err(Failure::Protocol(
                Phase::Tunnel,
                format!("not a SOCKS5 answer: {other:?}"),
            ));
        }
    }
    let mut req = vec![5, 1, 0];
    match target {
        SocksTarget::Name(name) => {
            let name = name.as_bytes();
            req.push(3);
            req.push(u8::try_from(name.len()).unwrap_or(255));
            req.extend_from_slice(name.get(..255).unwrap_or(name));
        }
        SocksTarget::Address(IpAddr::V4(a)) => {
            req.push(1);
            req.extend_from_slice(&a.octets());
        }
        SocksTarget::Address(IpAddr::V6(a)) => {
            req.push(4);
            req.extend_from_slice(&a.octets());
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    stream.write_all(&req).await.map_err(io)?;
    let mut head = [0u8; 4];
    stream.read_exact(&mut head).await.map_err(io)?;
    let skip = match head[3] {
        1 => 4,
        4 => 16,
        3 => {
            let mut len = [0u8; 1];
            stream.read_exact(&mut len).await.map_err(io)?;
            usize::from(len[0])
        }
        _ => 0,
    } + 2;
    let mut rest = vec![0u8; skip];
    stream.read_exact(&mut rest).await.map_err(io)?;
    match head[1] {
        0 => Ok((
            stream,
            match target {
                SocksTarget::Name(_) => {
                    format!("SOCKS5 CONNECT {target}:{port} (name resolved by the proxy)")
                }
                SocksTarget::Address(_) => {
                    format!("SOCKS5 CONNECT {target}:{port} (address resolved here)")
                }
            },
        )),
        5 => Err(match target {
            SocksTarget::Address(ip) => Failure::Refused(SocketAddr::new(*ip, port)),
            SocksTarget::Name(_) => Failure::RefusedBeyondProxy(format!("{target}:{port}")),
        }),
        code => Err(Failure::ProxyDenied {
            status: None,
            product: None,
            title: None,
            detail: format!(
                "SOCKS5 reply {code}: {}",
                match code {
                    1 => "general failure",
                    2 => "connection not allowed by the proxy's rules",
                    3 => "network unreachable from the proxy",
                    4 => "host unreachable from the proxy",
                    6 => "TTL expired",
                    7 => "command not supported",
                    8 => "address type not supported",
                    _ => "unknown",
                }
            ),
        }),
    }
}

/// SOCKS4 with an IPv4 address, or SOCKS4a with a name.
async fn socks4(
    mut stream: Stream,
    target: &SocksTarget,
    port: u16,
) -> Result<(Stream, String), Failure> {
    use tokio::io::AsyncReadExt;
    let io = |e: std::io::Error| io_failure(Phase::Tunnel, &e);
    let mut req = vec![4, 1];
    req.extend_from_slice(&port.to_be_bytes());
    match target {
        SocksTarget::Address(IpAddr::V4(a)) => {
            req.extend_from_slice(&a.octets());
            req.push(0);
        }
        SocksTarget::Address(IpAddr::V6(_)) => {
            return Err(Failure::Protocol(
                Phase::Tunnel,
                format!("SOCKS4 carries only IPv4 addresses and {target} is IPv6"),
            ));
        }
        SocksTarget::Name(name) => {
            // 0.0.0.1 tells a SOCKS4a server that a name follows.
            req.extend_from_slice(&[0, 0, 0, 1, 0]);
            req.extend_from_slice(name.as_bytes());
            req.push(0);
        }
    }
    stream.write_all(&req).await.map_err(io)?;
    let mut reply = [0u8; 8];
    stream.read_exact(&mut reply).await.map_err(io)?;
    if reply[1] == 0x5A {
        let version = match target {
            SocksTarget::Name(_) => "SOCKS4a",
            SocksTarget::Address(_) => "SOCKS4",
        };
        Ok((stream, format!("{version} CONNECT {target}:{port}")))
    } else {
        Err(Failure::ProxyDenied {
            status: None,
            product: None,
            title: None,
            detail: format!("SOCKS4 reply {:#x}: request rejected", reply[1]),
        })
    }
}

struct TlsOutcome {
    stream: Stream,
    info: TlsInfo,
    problem: Option<Failure>,
}

async fn tls(stream: Stream, host: &str, ctx: &Context) -> Result<(TlsOutcome, String), Failure> {
    let capture = Capture::new(ctx.trust.clone());
    let config = client_config(capture.clone(), &[b"http/1.1"]);
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| Failure::TlsHandshake(format!("{host}: {e}")))?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tls = connector
        .connect(name, stream)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::ConnectionReset => {
                Failure::Reset(format!("during the TLS handshake: {e}"))
            }
            _ => Failure::TlsHandshake(tls::handshake_error(&e)),
        })?;
    let (_, session) = tls.get_ref();
    let version = session
        .protocol_version()
        .map_or_else(|| "unknown".to_owned(), tls::version_name);
    let alpn = session
        .alpn_protocol()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let captured = capture.get();
    let info = tls::info(&captured, version.clone(), alpn);
    let issuer = info
        .chain
        .first()
        .map(|c| c.issuer.clone())
        .unwrap_or_default();
    let named = info
        .chain
        .iter()
        .find_map(|c| inspection_product(&c.issuer).or_else(|| inspection_product(&c.subject)));
    let problem = match trust_of(&captured) {
        Trust::Public | Trust::Expected => None,
        // The OS store may hold a vendor's own roots; a chain from the
        // endpoint's expected issuer is not an interception.
        Trust::OsOnly if expected_issuer(&info, &ctx.expected_issuers) => None,
        Trust::OsOnly => Some(Failure::TlsIntercepted {
            issuer: issuer.clone(),
            product: named.map(str::to_owned),
            trusted_by_os: true,
        }),
        Trust::None(_) if named.is_some() => Some(Failure::TlsIntercepted {
            issuer: issuer.clone(),
            product: named.map(str::to_owned),
            trusted_by_os: false,
        }),
        Trust::None(e) => Some(Failure::TlsUntrusted(e)),
    };
    let detail = format!("{version}, issuer {issuer}");
    Ok((
        TlsOutcome {
            stream: Box::pin(tls),
            info,
            problem,
        },
        detail,
    ))
}

async fn request(
    mut stream: Stream,
    target: &Target,
    absolute: bool,
    ctx: &Context,
    via_proxy: bool,
) -> Result<(Head, String), Failure> {
    let url = &target.url;
    let path = if absolute {
        let mut u = url.clone();
        u.set_fragment(None);
        u.to_string()
    } else {
        let mut p = url.path().to_owned();
        if let Some(q) = url.query() {
            p.push('?');
            p.push_str(q);
        }
        p
    };
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    };
    let auth = if absolute {
        ctx.credentials.as_ref().map(basic_auth).unwrap_or_default()
    } else {
        String::new()
    };
    let req = format!(
        "{} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: pathprobe/{}\r\nAccept: */*\r\n{auth}Connection: close\r\n\r\n",
        target.method,
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(req.as_bytes())
        .await
        .map_err(|e| io_failure(Phase::Http, &e))?;
    let head = read_head(&mut stream).await.map_err(|e| match e {
        http::HeadError::Io(
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe,
            m,
        ) => Failure::Reset(m),
        other => Failure::Protocol(Phase::Http, other.to_string()),
    })?;
    // A plain-HTTP request may be answered by a proxy: the one the route
    // names, or a transparent one in the path. Either way the origin was
    // not reached, whatever status the service accepts.
    let marked = head.get("X-Squid-Error").is_some() || head.get("Proxy-Agent").is_some();
    let from_proxy = if via_proxy && absolute {
        head.status == 407
            || marked
            || (matches!(head.status, 403 | 502 | 503 | 504)
                && product(&head, &head.rest).is_some())
            // A gateway error through the proxy: the origin's answer never came.
            || matches!(head.status, 502 | 504)
    } else {
        marked && matches!(head.status, 403 | 407 | 502 | 503 | 504)
    };
    if from_proxy {
        return Err(proxy_refusal(&mut stream, &head, ctx.credentials.is_some()).await);
    }
    let detail = format!("{} {}", head.status, head.reason);
    Ok((head, detail))
}

/// The longest line of evidence kept; the rest is counted.
const MAX_EVIDENCE_CHARS: usize = 2000;

/// `text` from the network as it may be shown: control characters (a
/// page title's escape sequences) as `\u{..}`, at most
/// [`MAX_EVIDENCE_CHARS`] characters.
fn quoted(text: &str) -> String {
    let clean: String = if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        text.to_owned()
    };
    pathprobe_files::quote::excerpt(&clean, MAX_EVIDENCE_CHARS)
}

/// Probes `target` through `route`; `live`, when given, follows its phases.
pub async fn attempt(
    target: &Target,
    route: &Route,
    ctx: &Context,
    live: Option<&LiveHandle>,
) -> Attempt {
    if let Some(live) = live
        && let Ok(mut l) = live.lock()
    {
        l.route = Some(route.clone());
        l.phases.clear();
        l.current = None;
    }
    let mut rec = Recorder {
        phases: Vec::new(),
        live: live.cloned(),
    };
    let mut tls_info = None;
    let mut status = None;
    let result = run(target, route, ctx, &mut rec, &mut tls_info, &mut status).await;
    let (verdict, evidence, hint) = match result {
        Ok(()) => (Verdict::Ok, Vec::new(), String::new()),
        Err(f) => classify(&f, route),
    };
    // What a peer sent is quoted, not trusted: no terminal escapes, and a
    // certificate naming 3,000 hosts is not a 50 KB line.
    let mut phases = rec.phases;
    for p in &mut phases {
        p.detail = quoted(&p.detail);
    }
    let done = Attempt {
        route: route.clone(),
        phases,
        verdict,
        evidence: evidence.iter().map(|e| quoted(e)).collect(),
        hint: quoted(&hint),
        tls: tls_info,
        status,
    };
    if let Some(live) = live
        && let Ok(mut l) = live.lock()
    {
        l.route = None;
        l.phases.clear();
        l.current = None;
    }
    done
}

async fn run(
    target: &Target,
    route: &Route,
    ctx: &Context,
    rec: &mut Recorder,
    tls_info: &mut Option<TlsInfo>,
    status: &mut Option<u16>,
) -> Result<(), Failure> {
    let url = &target.url;
    let host = url
        .host_str()
        .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_owned())
        .unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or(443);
    let https = url.scheme() == "https";
    let t = ctx.timeouts;
    let (mut stream, via_proxy): (Stream, bool) = match route {
        Route::Direct => {
            let ips = rec.dns(&host, ctx, false).await?;
            let (tcp, _) = rec
                .run(Phase::Connect, t.connect, connect(&ips, port, t.connect))
                .await?;
            (Box::pin(tcp), false)
        }
        Route::Proxy {
            kind,
            host: phost,
            port: pport,
        } => {
            // curl's socks5:// and socks4://, and a PAC's SOCKS4, resolve the
            // destination here: its DNS phase is this machine's.
            let socks_target = match kind {
                ProxyKind::Http | ProxyKind::Https => None,
                ProxyKind::Socks4a | ProxyKind::Socks5h => Some(SocksTarget::Name(host.clone())),
                ProxyKind::Socks5 => {
                    let ips = rec.dns(&host, ctx, false).await?;
                    ips.first().copied().map(SocksTarget::Address)
                }
                ProxyKind::Socks4 => {
                    let ips = rec.dns(&host, ctx, false).await?;
                    let v4 = ips.iter().find(|ip| ip.is_ipv4()).or(ips.first());
                    v4.copied().map(SocksTarget::Address)
                }
            };
            let proxy = format!("{phost}:{pport}");
            let ips = rec.dns(phost, ctx, true).await.map_err(|f| {
                Failure::ProxyUnreachable(
                    proxy.clone(),
                    format!("its name does not resolve ({})", short(&f)),
                )
            })?;
            let (tcp, _) = rec
                .run(Phase::Connect, t.connect, async {
                    connect(&ips, *pport, t.connect)
                        .await
                        .map_err(|f| Failure::ProxyUnreachable(proxy.clone(), short(&f)))
                })
                .await?;
            let mut stream: Stream = Box::pin(tcp);
            if *kind == ProxyKind::Https {
                let (outcome, _) = rec
                    .run(Phase::Tunnel, t.tls, tls(stream, phost, ctx))
                    .await?;
                if let Some(problem) = outcome.problem {
                    return Err(Failure::ProxyUnreachable(
                        proxy,
                        format!("its TLS certificate is not trusted ({})", short(&problem)),
                    ));
                }
                stream = outcome.stream;
            }
            match kind {
                ProxyKind::Http | ProxyKind::Https if https => {
                    let (s, _) = rec
                        .run(
                            Phase::Tunnel,
                            t.tunnel,
                            http_connect(stream, &host, port, ctx),
                        )
                        .await?;
                    (s, true)
                }
                ProxyKind::Http | ProxyKind::Https => (stream, true),
                ProxyKind::Socks5 | ProxyKind::Socks5h | ProxyKind::Socks4 | ProxyKind::Socks4a => {
                    let Some(target) = socks_target else {
                        // A lookup that succeeds has at least one address.
                        return Err(Failure::Protocol(
                            Phase::Dns,
                            format!("{host} resolved to no address"),
                        ));
                    };
                    let v5 = matches!(kind, ProxyKind::Socks5 | ProxyKind::Socks5h);
                    let handshake = async {
                        if v5 {
                            socks5(stream, &target, port, ctx).await
                        } else {
                            socks4(stream, &target, port).await
                        }
                    };
                    let (s, _) = rec.run(Phase::Tunnel, t.tunnel, handshake).await?;
                    (s, false)
                }
            }
        }
    };
    let mut tls_problem = None;
    if https {
        let (outcome, _) = rec.run(Phase::Tls, t.tls, tls(stream, &host, ctx)).await?;
        *tls_info = Some(outcome.info);
        stream = outcome.stream;
        if let Some(problem) = outcome.problem {
            if !ctx.insecure_read {
                return Err(problem);
            }
            tls_problem = Some(problem);
        }
    }
    let absolute = !https && via_proxy;
    let (head, _) = rec
        .run(
            Phase::Http,
            t.http,
            request(stream, target, absolute, ctx, via_proxy),
        )
        .await?;
    *status = Some(head.status);
    if let Some(problem) = tls_problem {
        return Err(problem);
    }
    match &target.expect {
        Expect::Any => Ok(()),
        Expect::OneOf(list) if list.contains(&head.status) => Ok(()),
        Expect::OneOf(list) => Err(Failure::Status(head.status, list.clone())),
    }
}

/// What the resolver answered, in the words of the evidence.
fn dns_answer(error: &LookupError) -> String {
    match error {
        LookupError::NotFound => "NXDOMAIN (no such name)".into(),
        LookupError::Server(code) => format!("{code}"),
        LookupError::Timeout(limit) => {
            format!("none within {:.1} s (timeout)", limit.as_secs_f64())
        }
        LookupError::Failed(e) => e.clone(),
    }
}

/// What the OS said of an unreachable address.
fn unreachable_text(network: bool) -> &'static str {
    if network {
        "network unreachable (the OS has no route to it)"
    } else {
        "host unreachable (an ICMP answer from the path, or no neighbour answers)"
    }
}

/// The verdict, evidence and hint for a failure.
fn classify(f: &Failure, route: &Route) -> (Verdict, Vec<String>, String) {
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
                LookupError::Server(code) => format!("the DNS server answered {code} for {h} on every try: check the resolver and its upstream"),
                LookupError::Timeout(_) => format!("no DNS answer for {h}: the resolver is unreachable or DNS is blocked"),
                LookupError::Failed(_) => format!("the lookup of {h} failed on this machine: check its DNS configuration"),
            };
            (Verdict::DnsFailure, ev, hint)
        }
        Failure::DnsSinkhole(h, ips) => (Verdict::DnsSinkhole, vec![format!("name: {h}"), format!("answers: {}", join(ips))],
            format!("{h} resolves to a block address: a DNS filter or hosts-file entry is sinkholing it; allow the name{FIX}")),
        Failure::Refused(a) => (Verdict::TcpRefused, vec![format!("address: {a}")],
            format!("{a} refused the connection {via}: a firewall is rejecting it or nothing listens there{FIX}")),
        Failure::RefusedBeyondProxy(target) => (Verdict::TcpRefused,
            vec![format!("destination: {target}"), "refused: as the proxy reports it (SOCKS5 reply 5); the proxy resolved the name".into()],
            format!("{target} refused the connection the proxy opened {via}: a firewall beyond the proxy is rejecting it or nothing listens there{FIX}")),
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
            "the connection was reset: a firewall or an IPS is cutting it".into()),
        Failure::ProxyUnreachable(p, why) => (Verdict::ProxyUnreachable, vec![format!("proxy: {p}"), format!("problem: {why}")],
            format!("the proxy {p} cannot be reached: check its address and port in the proxy setting, and that it is up")),
        Failure::ProxyAuth { schemes, realm, credentials_rejected } => {
            let mut ev = vec![format!("offered schemes: {}", if schemes.is_empty() { "(none)".into() } else { schemes.join(", ") })];
            if let Some(r) = realm {
                ev.push(format!("realm: {r}"));
            }
            if *credentials_rejected {
                // pathprobe answers a challenge with Basic only: credentials
                // a proxy never asked for in Basic were not tried, not wrong.
                let basic = schemes.iter().any(|s| {
                    s.eq_ignore_ascii_case("basic") || s.starts_with("SOCKS5")
                });
                ev.push(if basic {
                    "credentials given: rejected".into()
                } else {
                    "credentials given: not usable here (pathprobe sends them as Basic; the proxy offers none of that)".into()
                });
            }
            (Verdict::ProxyAuthRequired, ev,
                format!("the proxy demands authentication (407); Defender for Endpoint does not support authenticated proxies: exempt these URLs from authentication on the proxy{FIX}"))
        }
        Failure::ProxyDenied { status, product, title, detail } => {
            let mut ev = vec![format!("answer: {detail}")];
            if let Some(p) = product {
                ev.push(format!("product: {p}"));
            }
            if let Some(t) = title {
                ev.push(format!("page title: {t}"));
            }
            let _ = status;
            (Verdict::ProxyDenied, ev,
                format!("the proxy{} refused this destination: add the URL to its allow list{FIX}", product.as_ref().map(|p| format!(" ({p})")).unwrap_or_default()))
        }
        Failure::TlsHandshake(e) => (Verdict::TlsHandshakeFailed, vec![format!("error: {e}")],
            "the TLS handshake failed: a middlebox may block TLS to this host, or the server refuses this client's versions".into()),
        Failure::TlsUntrusted(e) => (Verdict::TlsUntrusted, vec![format!("verifier: {e}")],
            "the certificate chain does not verify: check the system clock and whether something rewrites TLS".into()),
        Failure::TlsIntercepted { issuer, product, trusted_by_os } => {
            let mut ev = vec![format!("issuer: {issuer}")];
            if let Some(p) = product {
                ev.push(format!("product: {p}"));
            }
            ev.push(format!("trusted by: {}", if *trusted_by_os { "the OS store only (a locally installed CA)" } else { "nothing" }));
            (Verdict::TlsIntercepted, ev,
                format!("TLS is being inspected{}: the service pins its certificates; exempt this URL from SSL inspection{FIX}", product.as_ref().map(|p| format!(" by {p}")).unwrap_or_default()))
        }
        Failure::Status(s, list) => (Verdict::HttpUnexpectedStatus,
            vec![format!("status: {s}"), format!("expected: {}", list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))],
            format!("the endpoint answered {s}, which is not what the service answers; something in the path may be answering in its place")),
        Failure::PhaseTimeout(Phase::Dns) => (Verdict::DnsFailure,
            vec!["phase: dns".into(), "answer: none within the limit (timeout)".into()],
            "no DNS answer in time: the resolver is slow or unreachable, or DNS is blocked".into()),
        Failure::PhaseTimeout(Phase::Tunnel) if *route != Route::Direct => (Verdict::ProxyUnreachable,
            vec!["phase: tunnel".into(), "problem: the proxy accepted the connection but did not answer the tunnel request in time".into()],
            format!("the proxy ({route}) accepts connections but does not answer: it is overloaded, or a device in front of it swallows the request")),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a SOCKS4 request carries, and what the server's answer becomes.
    async fn socks4_exchange(target: SocksTarget, reply: u8) -> (Vec<u8>, Result<String, Failure>) {
        use tokio::io::AsyncReadExt;
        let (client, mut server) = tokio::io::duplex(1024);
        let handshake = tokio::spawn(async move {
            socks4(Box::pin(client), &target, 443)
                .await
                .map(|(_, detail)| detail)
        });
        let mut request = vec![0u8; 64];
        let n = tokio::time::timeout(Duration::from_millis(500), server.read(&mut request))
            .await
            .map_or(0, |r| r.unwrap_or(0));
        request.truncate(n);
        if n > 0 {
            server.write_all(&[0, reply, 0, 0, 0, 0, 0, 0]).await.ok();
        }
        let outcome = handshake.await.unwrap_or_else(|e| panic!("{e}"));
        (request, outcome)
    }

    #[tokio::test]
    async fn socks4_sends_an_address_or_a_name_as_asked() {
        let (wire, outcome) =
            socks4_exchange(SocksTarget::Address(IpAddr::from([192, 0, 2, 7])), 0x5A).await;
        assert_eq!(wire, [4, 1, 1, 187, 192, 0, 2, 7, 0]);
        assert_eq!(outcome.unwrap(), "SOCKS4 CONNECT 192.0.2.7:443");
        let (wire, outcome) = socks4_exchange(SocksTarget::Name("a.test".into()), 0x5A).await;
        assert_eq!(wire, b"\x04\x01\x01\xbb\0\0\0\x01\0a.test\0");
        assert_eq!(outcome.unwrap(), "SOCKS4a CONNECT a.test:443");
        // SOCKS4 cannot carry IPv6: said, and nothing is sent.
        let (wire, outcome) =
            socks4_exchange(SocksTarget::Address("2001:db8::1".parse().unwrap()), 0x5A).await;
        assert!(wire.is_empty(), "{wire:?}");
        assert!(outcome.unwrap_err().to_string().contains("only IPv4"));
        let (_, outcome) =
            socks4_exchange(SocksTarget::Address(IpAddr::from([192, 0, 2, 7])), 0x5B).await;
        assert!(matches!(outcome, Err(Failure::ProxyDenied { .. })));
    }

    #[test]
    fn a_refusal_beyond_a_socks_proxy_names_no_made_up_address() {
        let route = Route::Proxy {
            kind: ProxyKind::Socks5h,
            host: "s".into(),
            port: 1080,
        };
        let (v, ev, hint) = classify(&Failure::RefusedBeyondProxy("a.test:443".into()), &route);
        assert_eq!(v, Verdict::TcpRefused);
        assert_eq!(ev[0], "destination: a.test:443");
        assert!(
            !hint.contains("0.0.0.0") && hint.contains("SOCKS5 s:1080"),
            "{hint}"
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

    #[test]
    fn resolve_overrides_take_wildcards() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let map = HashMap::from([
            ("*.bench.test".to_owned(), vec![ip]),
            ("exact.test".to_owned(), vec![ip]),
        ]);
        assert!(override_for(&map, "e1.bench.test").is_some());
        assert!(override_for(&map, "a.b.bench.test").is_some());
        assert!(override_for(&map, "bench.test").is_none());
        assert!(override_for(&map, "EXACT.test").is_some());
        assert!(override_for(&map, "other.test").is_none());
    }

    #[test]
    fn sinkhole_addresses() {
        assert!(is_sinkhole(&"0.0.0.0".parse().unwrap()));
        assert!(is_sinkhole(&"127.0.0.2".parse().unwrap()));
        assert!(is_sinkhole(&"::".parse().unwrap()));
        assert!(!is_sinkhole(&"20.42.73.24".parse().unwrap()));
    }
}

#[cfg(test)]
mod issuer_tests {
    use super::*;
    use pathprobe_reports::CertificateInfo;

    fn chain(issuer: &str) -> TlsInfo {
        TlsInfo {
            version: "TLS 1.3".into(),
            alpn: None,
            chain: vec![CertificateInfo {
                subject: "CN=x".into(),
                issuer: issuer.into(),
                dns_names: vec![],
                not_before: String::new(),
                not_after: String::new(),
                not_after_unix: 0,
                sha256: String::new(),
                pem: String::new(),
            }],
            public_roots: pathprobe_reports::Verification::Failed {
                error: "UnknownIssuer".into(),
            },
            given_anchors: pathprobe_reports::Verification::NotChecked {
                why: "none given".into(),
            },
            os_store: pathprobe_reports::Verification::Passed,
        }
    }

    #[test]
    fn expected_issuers_are_matched_by_name() {
        let expected = vec!["Microsoft".to_owned(), "DigiCert".to_owned()];
        assert!(expected_issuer(
            &chain("CN=Microsoft Azure RSA TLS Issuing CA 03"),
            &expected
        ));
        assert!(!expected_issuer(&chain("CN=Corp Inspection CA"), &expected));
        assert!(!expected_issuer(&chain("CN=Microsoft Azure"), &[]));
    }
}
