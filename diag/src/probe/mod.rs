//! One probe of one URL through one route, phase by phase: DNS, TCP connect,
//! proxy tunnel (HTTP CONNECT, HTTPS proxy, SOCKS5, SOCKS4),
//! TLS with the chain captured, and the HTTP request. Every phase is timed
//! and bounded; the first failure ends the attempt and becomes its verdict.

mod connect;
mod failure;
pub mod http;
mod lookup;
pub mod tls;
mod tunnel;

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pathprobe_pac::discovery::Credentials;
use pathprobe_pac::{ProxyKind, Resolve, Route};
use pathprobe_reports::{Attempt, Phase, PhaseRecord, ProxyAnswer, TlsInfo, Verdict};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use self::connect::connect;
pub(crate) use self::failure::join as join_addresses;
use self::failure::{Broken, Failure, Handshake, ProxyProblem, classify, io_failure, short};
use self::http::{Head, read_head};
pub(crate) use self::lookup::PinnedResolver;
use self::lookup::resolve;
use self::tls::{Capture, Trust, TrustStores, client_config, trust_of};
use self::tunnel::{SocksTarget, basic_auth, http_connect, proxy_refusal, socks4, socks5};

/// Statuses a target accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Any answer from the origin proves it is reachable.
    Any,
    /// One of these.
    OneOf(Vec<u16>),
    /// 200 with exactly this page (a connectivity test: anything else was
    /// answered by something in the path).
    Page(String),
}

/// What to probe.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL.
    pub url: url::Url,
    /// GET or HEAD, or no request at all (TLS, TCP).
    pub method: pathprobe_urls::Method,
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
#[derive(Clone)]
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

    /// Marks the last phase as failed (it finished, but its result is
    /// refused), with why.
    fn fail_last(&mut self, why: &str) {
        if let Some(last) = self.phases.last_mut() {
            last.ok = false;
            last.detail = format!("{}; {why}", last.detail);
        }
        if let Some(live) = &self.live
            && let Ok(mut l) = live.lock()
            && let Some(last) = l.phases.last_mut()
        {
            last.ok = false;
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
            addresses: Vec::new(),
        });
        outcome
    }

    /// The connect phase, with each address tried and what it did;
    /// `failed` turns the phase's failure into the attempt's (to a proxy:
    /// the proxy cannot be reached).
    async fn connect(
        &mut self,
        ips: &[IpAddr],
        port: u16,
        limit: Duration,
        failed: impl FnOnce(Failure) -> Failure,
    ) -> Result<TcpStream, Failure> {
        let mut tries = Vec::new();
        let outcome = self
            .run(Phase::Connect, limit, async {
                connect(ips, port, limit, &mut tries).await.map_err(failed)
            })
            .await;
        if let Some(last) = self.phases.last_mut() {
            last.addresses = tries;
        }
        outcome.map(|(stream, _)| stream)
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
            addresses: Vec::new(),
        });
        outcome.map(|(ips, _)| ips)
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
    let name = rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| {
        Failure::TlsHandshake(Handshake::BadName {
            host: host.to_owned(),
            reason: e.to_string(),
        })
    })?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tls = connector
        .connect(name, stream)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::ConnectionReset => {
                Failure::Reset(format!("during the TLS handshake: {e}"))
            }
            _ => Failure::TlsHandshake(Handshake::from_io(&e)),
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
    let named = tls::chain_product(&info.chain);
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
        // Untrusted everywhere, its issuer a product's CA and nothing else
        // wrong: re-signed by that product. A store that knows the issuer
        // and finds it expired says what is wrong instead.
        Trust::None {
            unknown_issuer: true,
            ..
        } if named.is_some() => Some(Failure::TlsIntercepted {
            issuer: issuer.clone(),
            product: named.map(str::to_owned),
            trusted_by_os: false,
        }),
        // Only the leaf, from an issuer no store knows, and not its own
        // issuer: a private CA, or a server that leaves its intermediate
        // out (round 18: "unknown issuer" alone sent people looking for an
        // interceptor).
        Trust::None {
            why,
            unknown_issuer: true,
        } if info.chain.len() == 1 && info.chain.first().is_some_and(|c| c.issuer != c.subject) => {
            Some(Failure::TlsUntrusted(format!(
                "{why}; the server sent only its own certificate, issued by {issuer}: a private CA this machine does not trust, or a public CA's intermediate the server leaves out (clients that do not fetch it, curl and most agents, need it sent)"
            )))
        }
        // Self-signed: no store is the cause, the certificate is its own
        // issuer (round 19: the hint pointed at the clock), whatever the
        // verifier's reason (round 20: a CA certificate used as the server's
        // own is "CaUsedAsEndEntity", not an unknown issuer).
        Trust::None { why, .. }
            if info.chain.len() == 1
                && info.chain.first().is_some_and(|c| c.issuer == c.subject) =>
        {
            Some(Failure::TlsUntrusted(format!(
                "{why}; the certificate is self-signed (its own issuer)"
            )))
        }
        // Which certificate expired: an intermediate the server sends is
        // the server's to renew, and the clock is not the cause.
        Trust::None { why, .. } => Some(Failure::TlsUntrusted(
            match why.strip_prefix("expired on ").and_then(|when| {
                info.chain.iter().enumerate().skip(1).find(|(_, c)| {
                    jiff::Timestamp::from_second(c.not_after_unix)
                        .is_ok_and(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string() == when)
                })
            }) {
                Some((_, c)) => format!(
                    "{why}: the certificate of {}, an intermediate the server sends (its own is valid)",
                    c.subject
                ),
                None => why,
            },
        )),
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

/// Who TLS proved the peer to be, for reading who wrote its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Proven {
    /// No TLS, or a chain nothing trusted, or one an inspection product
    /// issued.
    No,
    /// A public root: no proxy can answer in the destination's place.
    Public,
    /// A `--ca-cert` anchor: the destination's private CA, or the CA an
    /// inspecting proxy decrypts with (its CA given so that it is trusted).
    Given,
}

/// Who wrote an answer, as its head and the route tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Attribution {
    /// A proxy's own answer: the proxy the route names, or one in the path.
    from_proxy: bool,
    /// The proxy's only because it carries no `Via` and no mark.
    unattributed: bool,
    /// It carries `Via`: passed on by a proxy.
    relayed: bool,
    /// A status a proxy's refusal, block page or gateway error has.
    refusal_like: bool,
    /// A proxy's own mark on it (`X-Squid-Error`, `Proxy-Agent`).
    marked: bool,
}

/// Who wrote an answer: a proxy (and, when so, whether only a missing
/// `Via` says it), or the service.
fn answer_from_proxy(
    head: &Head,
    url: &url::Url,
    via_proxy: bool,
    absolute: bool,
    proven: Proven,
) -> Attribution {
    // A plain-HTTP request may be answered by a proxy: the one the route
    // names, or a transparent one in the path. Either way the origin was
    // not reached, whatever status the service accepts.
    let marked = head.get("X-Squid-Error").is_some() || head.get("Proxy-Agent").is_some();
    // A proxy that forwards an answer adds `Via` (RFC 9110, 7.6.3): a
    // refusal, redirect or error without it is the proxy's own.
    let relayed = head.get("Via").is_some();
    // A redirect to the same host (http to https, another path) is the
    // origin's own: a proxy's redirect goes to its login or warning page.
    let same_host_redirect = head
        .get("Location")
        .and_then(|to| url.join(to).ok())
        .is_some_and(|to| to.host_str() == url.host_str());
    // What a proxy's own refusal, block page or gateway error looks like;
    // who wrote it is what `Via` and the proxy's marks decide below.
    let refusal_like = head.status == 403
        || head.status >= 500
        || ((300..400).contains(&head.status) && !same_host_redirect);
    // Through a proxy, an answer that only the missing `Via` attributes
    // to it: the proxy's own, or the service's relayed by one that adds no
    // `Via` (mitmproxy adds none). Said as unsure, and no allow rule
    // follows from it (round 19).
    let mut unattributed = false;
    let from_proxy = if via_proxy && absolute {
        // A proxy's 407 carries its challenge (RFC 9110, 11.7.1); one
        // relayed with `Via` and none is the origin's status.
        let attributed = (head.status == 407
            && (head.get("Proxy-Authenticate").is_some() || !relayed))
            || marked
            || (matches!(head.status, 403 | 502 | 503 | 504)
                && self::http::own_product(head, &head.rest).is_some())
            // A redirect the proxy product sends itself (to its login or
            // warning page), `Via` or not: its own Server header or a
            // Location on the product's domain says so.
            || ((300..400).contains(&head.status) && self::http::redirects_to_product(head))
            // RFC 6585: only a proxy in the path asks for a sign-in with 511.
            || head.status == 511;
        // A gateway error relayed with `Via` and no word of the proxy's
        // is the origin's (a CDN's 504): said as its status.
        unattributed = !attributed && !relayed && refusal_like;
        attributed || unattributed
    } else if proven == Proven::Public || (proven == Proven::Given && !via_proxy) {
        // Inside TLS that proved the destination with a public root or a
        // `--ca-cert` anchor: no proxy, transparent or not, can answer in
        // its place, nor can the proxy whose tunnel carries it (round 21:
        // a squid-marked 403 inside a verified tunnel was that squid's
        // refusal). A squid error there is the service's own reverse proxy
        // speaking (round 18).
        false
    } else {
        (marked && matches!(head.status, 403 | 407 | 502 | 503 | 504))
            // Only a proxy sends 407 with its challenge (RFC 9110, 15.5.8):
            // on a direct route, one in the path asks to be authenticated
            // (round 21: `ok`, its status recorded).
            || (head.status == 407 && head.get("Proxy-Authenticate").is_some())
            // RFC 6585: only a device in the path sends 511, the network's
            // sign-in (round 22: `ok` directly).
            || head.status == 511
            // Inside a tunnel a proxy that decrypts answers for itself: a
            // gateway error whose own headers name the product (mitmproxy's
            // "502 Bad Gateway") is the proxy's, however trusted its CA.
            || (via_proxy
                && matches!(head.status, 502..=504)
                && self::http::own_product(head, &head.rest).is_some())
    };
    Attribution {
        from_proxy,
        unattributed,
        relayed,
        refusal_like,
        marked,
    }
}

async fn request(
    mut stream: Stream,
    target: &Target,
    absolute: bool,
    ctx: &Context,
    via_proxy: bool,
    proven: Proven,
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
        http::HeadError::Tls(text) => Failure::TlsHandshake(Handshake::Afterwards(text)),
        http::HeadError::Closed(bytes) => Failure::Closed {
            phase: Phase::Http,
            bytes,
        },
        other => Failure::Protocol(Phase::Http, Broken::Head(other)),
    })?;
    // A tunnel's answer to a request for a page: the proxy answered as to a
    // CONNECT, and nothing reached the service (round 22: `ok`, the origin
    // never asked).
    if absolute
        && head.status == 200
        && head
            .reason
            .trim()
            .eq_ignore_ascii_case("connection established")
    {
        return Err(Failure::Protocol(
            Phase::Http,
            Broken::Answer(format!(
                "the proxy answered the {} with a tunnel's answer (200 {}): no request reached the service",
                target.method,
                head.reason.trim()
            )),
        ));
    }
    // squid passes on an answer that is no HTTP (an SSH banner, a mail
    // server's greeting) as a 200 it made up, and says so: the service does
    // not speak HTTP there (round 20: reported ok through squid, and not
    // HTTP directly).
    if let Some(from) = head.get("X-Transformed-From") {
        let body = self::http::peek_body(&mut stream, &head).await;
        let start: String = String::from_utf8_lossy(&body).chars().take(60).collect();
        return Err(Failure::ServiceBroke {
            what: format!(
                "sent no HTTP: the proxy made its answer into a {} {} (X-Transformed-From: {}){}",
                head.status,
                head.reason,
                quoted(from),
                if start.trim().is_empty() {
                    String::new()
                } else {
                    format!(
                        ", and what it sent begins {}",
                        pathprobe_files::quote::quoted(start.trim())
                    )
                }
            ),
            hung_up: false,
        });
    }
    let Attribution {
        from_proxy,
        unattributed,
        relayed,
        refusal_like,
        marked,
    } = answer_from_proxy(&head, url, via_proxy, absolute, proven);
    if from_proxy {
        let target = match (url.host_str(), url.port_or_known_default()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            _ => url.to_string(),
        };
        let mut refusal = proxy_refusal(
            &mut stream,
            &head,
            ctx.credentials.is_some(),
            &target,
            absolute,
        )
        .await;
        if unattributed && let Failure::ProxyDenied { detail, .. } = &mut refusal {
            detail.push_str(", ");
            detail.push_str(pathprobe_reports::UNATTRIBUTED);
        }
        // A squid refusal inside TLS a --ca-cert anchor proved, through the
        // proxy's own tunnel: the proxy's only if it decrypts (a reverse
        // squid in front of the service says the same). An interceptor's
        // own page (mitmproxy's) names it, and stays its own.
        if via_proxy
            && !absolute
            && proven == Proven::Given
            && head.get("X-Squid-Error").is_some()
            && let Failure::ProxyDenied { detail, .. } = &mut refusal
            && ProxyAnswer::of(detail).is_refusal()
        {
            detail.push_str(", ");
            detail.push_str(pathprobe_reports::INSIDE_GIVEN_TLS);
        }
        // A sign-in demand passed on with `Via` and no mark of the proxy's
        // own: written beyond it, or its own page with its Via.
        if absolute
            && head.status == 511
            && relayed
            && !marked
            && let Failure::ProxyDenied { detail, .. } = &mut refusal
        {
            detail.push_str(", ");
            detail.push_str(pathprobe_reports::FROM_BEYOND);
        }
        return Err(refusal);
    }
    let mut head = head;
    if matches!(target.expect, Expect::Page(_)) {
        // The page is compared whole; a short one is all it takes.
        self::http::read_body(&mut stream, &mut head, PAGE_BYTES).await;
    }
    let mut detail = format!("{} {}", head.status, head.reason);
    // A refusal-like status a proxy passed on with `Via` is taken as the
    // service's; the phase says so, since a proxy that marks its own block
    // page with `Via` alone would look the same (round 19).
    if absolute
        && (refusal_like || head.status == 451)
        && let Some(via) = head.via()
    {
        detail.push_str(&format!(", relayed as the service's answer (Via: {via})"));
    } else if absolute && !relayed {
        // Taken as the service's, and said to rest on nothing: a proxy that
        // adds no Via (mitmproxy) looks the same as a web server named as
        // the proxy answering for itself (round 20: ok, the origin never
        // reached).
        detail.push_str(
            ", with no Via header: nothing shows that a proxy passed it on (one that adds none, or a web server answering in the proxy's place)",
        );
    }
    Ok((head, detail))
}

/// How much of a page is read to compare it with the one expected.
const PAGE_BYTES: usize = 1024;

/// The longest line of evidence kept; the rest is counted.
const MAX_EVIDENCE_CHARS: usize = 2000;

/// `text` from the network as it may be shown: control characters (a
/// page title's escape sequences) as `<U+001B>`, at most
/// [`MAX_EVIDENCE_CHARS`] characters.
fn quoted(text: &str) -> String {
    pathprobe_files::quote::excerpt(&pathprobe_files::quote::visible(text), MAX_EVIDENCE_CHARS)
}

/// The addresses `name` resolves to through the run's resolver (pins
/// first), block addresses included: a control lookup compares them with
/// the internet's. The error is the answer in the evidence's words.
pub async fn lookup_addresses(name: &str, ctx: &Context) -> Result<Vec<IpAddr>, String> {
    match resolve(name, ctx, false).await.0 {
        Ok((ips, _)) => Ok(ips),
        Err(Failure::DnsSinkhole(_, ips)) => Ok(ips),
        Err(Failure::Dns { error, .. }) => Err(self::failure::dns_answer(&error)),
        Err(other) => Err(other.to_string()),
    }
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
    let failed_in = rec.phases.iter().rev().find(|p| !p.ok).map(|p| p.phase);
    let (verdict, evidence, hint, next_route) = match result {
        Ok(()) => (Verdict::Ok, Vec::new(), String::new(), None),
        Err(f) => {
            let (verdict, evidence, hint) = classify(&f, route);
            let next = self::failure::client_moves_on(&f, route, failed_in);
            (verdict, evidence, hint, Some(next))
        }
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
        next_route,
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
    // A connection probe (a service starting in clear text) goes through a
    // proxy's tunnel as an https one does, and ends there.
    let connect_only = target.method == pathprobe_urls::Method::Tcp;
    let t = ctx.timeouts;
    let (mut stream, via_proxy): (Stream, bool) = match route {
        Route::Direct => {
            let ips = rec.dns(&host, ctx, false).await?;
            let tcp = rec.connect(&ips, port, t.connect, |f| f).await?;
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
                // An address literal goes as an address, as curl and
                // browsers send it, never as a name.
                ProxyKind::Socks4a | ProxyKind::Socks5h => Some(match host.parse::<IpAddr>() {
                    Ok(ip) => SocksTarget::Address(ip),
                    Err(_) => SocksTarget::Name(host.clone()),
                }),
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
            // SOCKS4 has no room for an IPv6 address: the client fails
            // before it asks the proxy anything.
            if let (ProxyKind::Socks4 | ProxyKind::Socks4a, Some(SocksTarget::Address(ip))) =
                (kind, &socks_target)
                && ip.is_ipv6()
            {
                return Err(Failure::RouteCannotCarry(
                    if host.parse::<IpAddr>().is_ok() {
                        format!("SOCKS4 carries only IPv4 addresses and {host} is IPv6")
                    } else {
                        format!(
                            "SOCKS4 carries only IPv4 addresses and {host} resolves only to IPv6 ({ip})"
                        )
                    },
                ));
            }
            let proxy = format!("{phost}:{pport}");
            let ips = rec
                .dns(phost, ctx, true)
                .await
                .map_err(|f| Failure::ProxyUnreachable {
                    proxy: proxy.clone(),
                    problem: ProxyProblem::Name(Box::new(f)),
                })?;
            let tcp = rec
                .connect(&ips, *pport, t.connect, |f| Failure::ProxyUnreachable {
                    proxy: proxy.clone(),
                    problem: ProxyProblem::Connect(Box::new(f)),
                })
                .await?;
            let mut stream: Stream = Box::pin(tcp);
            if *kind == ProxyKind::Https {
                // A handshake with the proxy that fails is the proxy's
                // failure, whatever the destination (plain http included).
                let (outcome, _) = rec
                    .run(Phase::Tunnel, t.tls, async {
                        tls(stream, phost, ctx)
                            .await
                            .map_err(|f| Failure::ProxyUnreachable {
                                proxy: proxy.clone(),
                                problem: ProxyProblem::Handshake(Box::new(f)),
                            })
                    })
                    .await?;
                if let Some(problem) = outcome.problem {
                    // The handshake finished, the chain is not accepted:
                    // the phase did not succeed (round 20: marked ok).
                    rec.fail_last(&short(&problem));
                    return Err(Failure::ProxyUnreachable {
                        proxy,
                        problem: ProxyProblem::Untrusted(Box::new(problem)),
                    });
                }
                stream = outcome.stream;
            }
            match kind {
                ProxyKind::Http | ProxyKind::Https if https || connect_only => {
                    let (s, _) = rec
                        .run(
                            Phase::Tunnel,
                            t.tunnel,
                            http_connect(stream, &host, port, ctx, &proxy),
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
                            Broken::NoAddress(host.clone()),
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
                    // A reset before the proxy grants the tunnel is the
                    // proxy's own doing: nothing beyond it was asked (round
                    // 24: a firewall beyond it, and an allow rule).
                    let handshake = async {
                        handshake.await.map_err(|f| match f {
                            Failure::Reset(_) => Failure::ProxyCut {
                                proxy: proxy.clone(),
                                asked: "SOCKS handshake",
                            },
                            other => other,
                        })
                    };
                    let (s, _) = rec.run(Phase::Tunnel, t.tunnel, handshake).await?;
                    (s, false)
                }
            }
        }
    };
    if connect_only {
        return Ok(());
    }
    let mut tls_problem = None;
    if https {
        let (outcome, _) = rec.run(Phase::Tls, t.tls, tls(stream, &host, ctx)).await?;
        *tls_info = Some(outcome.info);
        stream = outcome.stream;
        if let Some(problem) = outcome.problem {
            // The handshake finished, but the chain is not accepted: the
            // phase did not succeed.
            rec.fail_last(&short(&problem));
            if !ctx.insecure_read {
                return Err(problem);
            }
            tls_problem = Some(problem);
        }
        if target.method == pathprobe_urls::Method::Tls {
            return tls_problem.map_or(Ok(()), Err);
        }
    }
    let absolute = !https && via_proxy;
    // A transparent interceptor re-signs with a CA of the machine's own
    // store; the public roots and the anchors given are the destination's,
    // unless the chain names an inspection product (its CA given with
    // `--ca-cert`): then the proxy decrypts, and may answer itself.
    let proven = match tls_info.as_ref() {
        Some(i) if https && tls_problem.is_none() && tls::chain_product(&i.chain).is_none() => {
            if i.public_roots.passed() {
                Proven::Public
            } else if i.given_anchors.passed() {
                Proven::Given
            } else {
                Proven::No
            }
        }
        _ => Proven::No,
    };
    let origin_proven = proven != Proven::No;
    let answered = rec
        .run(
            Phase::Http,
            t.http,
            request(stream, target, absolute, ctx, via_proxy, proven),
        )
        .await;
    // `--insecure-read`: what the HTTP phase saw is recorded in its phase,
    // and the verdict stays the chain's (round 18: an interceptor's own 502
    // turned tls_intercepted into proxy_denied).
    if let Some(problem) = tls_problem {
        if let Ok((head, _)) = &answered {
            *status = Some(head.status);
        }
        return Err(problem);
    }
    let (head, _) = answered.map_err(|f| match (f, route) {
        // A plain-http request through a proxy is answered by the proxy:
        // an answer that is not HTTP is the proxy's, not the origin's.
        (Failure::Protocol(Phase::Http, e), Route::Proxy { host, port, .. }) if absolute => {
            Failure::ProxyUnreachable {
                proxy: format!("{host}:{port}"),
                problem: ProxyProblem::NotHttp(e),
            }
        }
        // The proxy is this connection's only peer.
        (Failure::Reset(_), Route::Proxy { host, port, .. }) if absolute => Failure::ProxyCut {
            proxy: format!("{host}:{port}"),
            asked: "request",
        },
        (Failure::Closed { bytes, .. }, Route::Proxy { host, port, .. }) if absolute => {
            Failure::ProxyUnreachable {
                proxy: format!("{host}:{port}"),
                problem: ProxyProblem::Closed(bytes),
            }
        }
        // The TLS spoken here is the proxy's (an `https://` proxy): its
        // alert is the proxy's failure, not the plain-http origin's.
        (f @ Failure::TlsHandshake(_), Route::Proxy { host, port, .. }) if absolute => {
            Failure::ProxyUnreachable {
                proxy: format!("{host}:{port}"),
                problem: ProxyProblem::Handshake(Box::new(f)),
            }
        }
        // After a handshake that proved the service (a public root or a
        // `--ca-cert` anchor), a hang-up is the service's: no device on the
        // path speaks inside that TLS (round 20: a firewall was blamed, and
        // `fix` wrote allow rules).
        (Failure::Closed { bytes, .. }, _) if origin_proven => Failure::ServiceBroke {
            what: format!(
                "closed the connection after the request without a complete answer ({bytes} bytes), after a TLS handshake its certificate proved"
            ),
            hung_up: true,
        },
        (Failure::Reset(_), _) if origin_proven => Failure::ServiceBroke {
            what: "reset the connection after the request, after a TLS handshake its certificate proved".into(),
            hung_up: true,
        },
        (f, _) => f,
    })?;
    *status = Some(head.status);
    match &target.expect {
        // Any status a server may send as its answer: 101 answers no
        // request for an upgrade, and RFC 9110 (15) has no status past 599
        // (round 20: both were ok).
        Expect::Any if (200..=599).contains(&head.status) => Ok(()),
        Expect::Any => Err(Failure::ServiceBroke {
            what: format!(
                "answered {} {}, which is no answer to a GET (a server's final status is 200 to 599)",
                head.status,
                quoted(&head.reason)
            ),
            hung_up: false,
        }),
        Expect::OneOf(list) if list.contains(&head.status) => Ok(()),
        Expect::OneOf(list) => Err(Failure::Status(head.status, list.clone())),
        Expect::Page(page) => {
            let body = String::from_utf8_lossy(&head.rest);
            if head.status == 200 && body.trim() == page.as_str() {
                Ok(())
            } else {
                Err(Failure::OtherPage {
                    status: head.status,
                    location: head.get("Location").map(str::to_owned),
                    body: body.trim().to_owned(),
                })
            }
        }
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

#[cfg(test)]
mod attribution_tests {
    use super::*;

    fn head(text: &str) -> Head {
        self::http::parse_head(text.as_bytes())
            .ok()
            .flatten()
            .expect("a head")
    }

    /// Round 21. Inside TLS a public root proved, through a proxy's tunnel,
    /// the proxy cannot write: a squid-marked 403 there is the service's
    /// own front end. A `--ca-cert` anchor may be the proxy's inspection
    /// CA, so there the proxy's marks still decide; directly, nothing
    /// stands between.
    #[test]
    fn proven_tls_decides_who_wrote_an_answer() {
        let squid_403 = head(
            "HTTP/1.1 403 Forbidden\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\n\r\n",
        );
        let url = url::Url::parse("https://svc.example.test/").expect("a URL");
        let from = |via_proxy, proven| {
            answer_from_proxy(&squid_403, &url, via_proxy, false, proven).from_proxy
        };
        assert!(!from(true, Proven::Public));
        assert!(from(true, Proven::Given));
        assert!(!from(false, Proven::Given));
        assert!(from(true, Proven::No));
        let mitm_502 = head("HTTP/1.1 502 Bad Gateway\r\nServer: mitmproxy 11.0\r\n\r\n");
        assert!(answer_from_proxy(&mitm_502, &url, true, false, Proven::Given).from_proxy);
    }
}
