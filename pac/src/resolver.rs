//! Name resolution for the probes, the PAC DNS helpers, WPAD and proxy hosts.
//!
//! A PAC script calls `dnsResolve` synchronously, so the engine needs a blocking
//! lookup with a deadline. [`SystemResolver`] does that with hickory (the
//! system's resolver configuration, or servers given on the command line);
//! [`FixedResolver`] answers from a table so tests never touch the network.
//!
//! Resolvers limit how many questions they take at once (Debian's dnsmasq
//! forwards 150 and answers REFUSED past that), so [`SystemResolver`] keeps at
//! most [`DEFAULT_DNS_CONCURRENCY`] lookups in flight and queues the rest; a
//! lost answer is asked again and a REFUSED or SERVFAIL is retried after a
//! short back-off, as the stub resolvers of glibc and Windows do, all within
//! the lookup's own time limit, which starts when the lookup leaves the queue.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::config::{
    ConnectionConfig, LookupIpStrategy, NameServerConfig, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;

/// Lookups in flight at once per resolver when nothing else is asked for.
///
/// Each lookup asks A and AAAA, so this is 64 questions: under the 150 that
/// dnsmasq (and Pi-hole, built on it) forwards at once by default, with room
/// for the machine's other clients; systemd-resolved, Windows DNS and BIND
/// take far more.
pub const DEFAULT_DNS_CONCURRENCY: usize = 32;

/// A DNS response code that ended a try without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rcode {
    /// SERVFAIL: the server could not get an answer (often its upstream).
    ServFail,
    /// REFUSED: the server would not answer (policy, or too busy).
    Refused,
    /// Any other error code, by number.
    Other(u16),
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ServFail => f.write_str("SERVFAIL"),
            Self::Refused => f.write_str("REFUSED"),
            Self::Other(1) => f.write_str("FORMERR"),
            Self::Other(4) => f.write_str("NOTIMP"),
            Self::Other(n) => write!(f, "response code {n}"),
        }
    }
}

/// Why a name did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum LookupError {
    /// The name does not exist (NXDOMAIN).
    #[error("no such name")]
    NotFound,
    /// The server answered without error but gave no address: the name has
    /// no A/AAAA records, or its CNAME chain loops or leads nowhere (NODATA).
    #[error("no address for this name")]
    NoAddress,
    /// No answer within the lookup's time limit.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The server answered with an error code (the last answer it gave).
    #[error("the DNS server answered {0}")]
    Server(Rcode),
    /// The server's answer could not be read (a truncated record, a
    /// compression loop): the resolver or something on the path is broken.
    #[error("the DNS server's answer cannot be read: {0}")]
    Malformed(String),
    /// The lookup failed for another reason (no servers, a socket error).
    #[error("lookup failed: {0}")]
    Failed(String),
}

/// What one try of a lookup got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Try {
    /// Addresses.
    Answered,
    /// Addresses of one family, the question for the other unanswered
    /// (its record type named): a resolver or middlebox that drops AAAA.
    OneFamily {
        /// The type answered ("A").
        answered: &'static str,
        /// The type never answered ("AAAA").
        unanswered: &'static str,
    },
    /// NXDOMAIN.
    NotFound,
    /// An answer without an address (NOERROR, no A/AAAA).
    NoAddress,
    /// An error response code.
    Server(Rcode),
    /// No answer within this try's share of the time limit.
    Lost(Duration),
    /// A local failure (socket, no connection).
    Failed(String),
}

impl fmt::Display for Try {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Answered => f.write_str("answer"),
            Self::OneFamily {
                answered,
                unanswered,
            } => write!(f, "{answered} answered, {unanswered} never"),
            Self::NotFound => f.write_str("NXDOMAIN"),
            Self::NoAddress => f.write_str("no address"),
            Self::Server(code) => write!(f, "{code}"),
            Self::Lost(after) => write!(f, "no answer in {:.1} s", after.as_secs_f64()),
            Self::Failed(e) => write!(f, "failed: {e}"),
        }
    }
}

/// A lookup with what it took: the time from leaving the queue to the
/// final answer (whatever the caller waited beyond that was queueing) and
/// every try it made (empty for answers from a table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traced {
    /// The addresses, or why there are none.
    pub result: Result<Vec<IpAddr>, LookupError>,
    /// From the moment the lookup had a slot to its final answer.
    pub took: Duration,
    /// Each question sent, in order (none for a table or an address literal).
    pub tries: Vec<Try>,
}

impl Traced {
    /// An answer that needed no question on the network.
    pub fn local(result: Result<Vec<IpAddr>, LookupError>) -> Self {
        Self {
            result,
            took: Duration::ZERO,
            tries: Vec::new(),
        }
    }
}

/// How long a lookup may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupLimits {
    /// From leaving the queue to the final answer, every try included.
    pub answer: Duration,
    /// Longest wait for a free slot under the concurrency bound.
    pub queue: Duration,
}

/// Resolves host names to addresses, blocking for at most `timeout`.
///
/// Implementations must be cheap to share between threads: one resolver serves
/// every PAC evaluation of a run.
pub trait Resolve: Send + Sync + fmt::Debug {
    /// All addresses of `host` (IPv4 and IPv6, in the resolver's order),
    /// queueing and every try included within `timeout`.
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError>;

    /// The same lookup, with the queue wait apart from the answer's time limit
    /// and every try reported (the probes' DNS phase).
    fn lookup_traced(&self, host: &str, limits: LookupLimits) -> Traced {
        let started = Instant::now();
        let result = self.lookup(host, limits.answer);
        Traced {
            took: started.elapsed(),
            ..Traced::local(result)
        }
    }

    /// A resolver asking the same servers afresh, one question at a time,
    /// with none of this one's state (its pace, its clients' view of the
    /// servers): for names asked again after a run's burst. `None` when
    /// this one keeps no such state.
    fn afresh(&self) -> Option<Arc<dyn Resolve>> {
        None
    }
}

impl<T: Resolve + ?Sized> Resolve for Arc<T> {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        (**self).lookup(host, timeout)
    }
    fn lookup_traced(&self, host: &str, limits: LookupLimits) -> Traced {
        (**self).lookup_traced(host, limits)
    }
    fn afresh(&self) -> Option<Arc<dyn Resolve>> {
        (**self).afresh()
    }
}

/// A resolver that answers from a fixed table: `pac eval --dns host=ip` and tests.
///
/// Names are matched case-insensitively; names not in the table do not resolve.
#[derive(Debug, Clone, Default)]
pub struct FixedResolver {
    table: HashMap<String, Vec<IpAddr>>,
}

impl FixedResolver {
    /// An empty table: nothing resolves.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an address for a name (several calls add several addresses).
    pub fn with(mut self, host: &str, addr: IpAddr) -> Self {
        self.insert(host, addr);
        self
    }

    /// Adds an address for a name.
    pub fn insert(&mut self, host: &str, addr: IpAddr) {
        self.table
            .entry(pathprobe_host::key(host))
            .or_default()
            .push(addr);
    }

    /// Parses `host=ip` as given on the command line.
    pub fn parse_entry(entry: &str) -> Result<(String, IpAddr), String> {
        let (host, ip) = entry
            .split_once('=')
            .ok_or_else(|| format!("\"{entry}\": expected host=ip"))?;
        let host = host.trim();
        if host.is_empty() {
            return Err(format!("\"{entry}\": the host name is empty"));
        }
        // `*.suffix` pins every name below it.
        let name = host.strip_prefix("*.").unwrap_or(host);
        if let Err(e) = name.parse::<pathprobe_host::Host>() {
            return Err(format!("\"{entry}\": \"{host}\" is not a host ({e})"));
        }
        let ip = ip
            .trim()
            .parse::<IpAddr>()
            .map_err(|_| format!("\"{entry}\": \"{}\" is not an IP address", ip.trim()))?;
        Ok((host.to_owned(), ip))
    }
}

impl Resolve for FixedResolver {
    fn lookup(&self, host: &str, _timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        self.table
            .get(&pathprobe_host::key(host))
            .cloned()
            .ok_or(LookupError::NotFound)
    }
}

/// Fixed answers first, then (optionally) another resolver for everything
/// else: `pac eval --dns host=ip` on top of the system's DNS, or alone with
/// `--no-dns`.
#[derive(Debug, Clone)]
pub struct LayeredResolver {
    fixed: FixedResolver,
    fallback: Option<Arc<dyn Resolve>>,
}

impl LayeredResolver {
    /// Fixed answers over a fallback (`None`: other names do not resolve).
    pub fn new(fixed: FixedResolver, fallback: Option<Arc<dyn Resolve>>) -> Self {
        Self { fixed, fallback }
    }
}

impl Resolve for LayeredResolver {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        match self.fixed.lookup(host, timeout) {
            Err(LookupError::NotFound) => match &self.fallback {
                Some(next) => next.lookup(host, timeout),
                None => Err(LookupError::NotFound),
            },
            answer => answer,
        }
    }
    fn lookup_traced(&self, host: &str, limits: LookupLimits) -> Traced {
        match self.fixed.lookup(host, limits.answer) {
            Err(LookupError::NotFound) => match &self.fallback {
                Some(next) => next.lookup_traced(host, limits),
                None => Traced::local(Err(LookupError::NotFound)),
            },
            answer => Traced::local(answer),
        }
    }
    fn afresh(&self) -> Option<Arc<dyn Resolve>> {
        let fallback = self.fallback.as_ref()?.afresh()?;
        Some(Arc::new(Self::new(self.fixed.clone(), Some(fallback))))
    }
}

/// Where [`SystemResolver`] sends its queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsServers {
    /// The operating system's configuration (`/etc/resolv.conf`, hosts file).
    System,
    /// These servers only (UDP with TCP fallback), e.g. `--dns 10.0.0.53:53`.
    Given(Vec<SocketAddr>),
}

/// Looks names up with hickory, blocking the calling thread.
///
/// The async resolver runs on its own thread with its own small runtime, so
/// lookups can be made (and the resolver dropped) from any thread, inside an
/// async runtime or not; lookups from several threads run concurrently, at
/// most `concurrency` of them at once (the others wait their turn).
pub struct SystemResolver {
    requests: tokio::sync::mpsc::UnboundedSender<Request>,
    servers: DnsServers,
    concurrency: usize,
}

struct Request {
    host: String,
    limits: LookupLimits,
    /// When the whole lookup, queue included, must end (the PAC helpers).
    whole_by: Option<Instant>,
    reply: std::sync::mpsc::SyncSender<Traced>,
}

impl fmt::Debug for SystemResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemResolver")
            .field("servers", &self.servers)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

/// The machine's DNS settings as the resolver reads them (resolv.conf on
/// Unix; the network adapters' settings on Windows): what
/// `DnsServers::System` will ask.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SystemDns {
    /// The servers, each once, in order.
    pub servers: Vec<IpAddr>,
    /// The domain and search domains, without their trailing dots.
    pub search: Vec<String>,
}

impl SystemDns {
    /// As a support bundle keeps them: a `servers:` and a `search:` line.
    pub fn text(&self) -> String {
        format!(
            "servers: {}\nsearch: {}\n",
            self.servers
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            self.search.join(", ")
        )
    }
}

/// Reads the machine's DNS settings (see [`SystemDns`]).
pub fn system_dns() -> Result<SystemDns, LookupError> {
    let (config, _) = client_config(&DnsServers::System)?;
    let mut servers: Vec<IpAddr> = Vec::new();
    for server in config.name_servers() {
        if !servers.contains(&server.ip) {
            servers.push(server.ip);
        }
    }
    let search = config
        .domain()
        .into_iter()
        .chain(config.search())
        .map(|n| n.to_string().trim_end_matches('.').to_owned())
        .collect();
    Ok(SystemDns { servers, search })
}

/// The servers and options every client of a resolver is built from: the
/// machine's configuration (resolv.conf on Unix), read once, or the servers
/// given.
fn client_config(servers: &DnsServers) -> Result<(ResolverConfig, ResolverOpts), LookupError> {
    match servers {
        DnsServers::System => hickory_resolver::system_conf::read_system_conf().map_err(|e| {
            LookupError::Failed(format!("cannot read the system DNS configuration: {e}"))
        }),
        DnsServers::Given(addrs) => {
            let mut config = ResolverConfig::from_parts(None, Vec::new(), Vec::new());
            for addr in addrs {
                let mut udp = ConnectionConfig::udp();
                udp.port = addr.port();
                let mut tcp = ConnectionConfig::tcp();
                tcp.port = addr.port();
                config.add_name_server(NameServerConfig::new(addr.ip(), true, vec![udp, tcp]));
            }
            Ok((config, ResolverOpts::default()))
        }
    }
}

/// The DNS client of one try.
type TokioResolver = hickory_resolver::Resolver<OncePerTry>;

/// Connections that send each question once. hickory's UDP client sends a
/// question again every 333 ms or so (three times more) while it waits:
/// with this resolver's own tries (1 s, 2 s, 4 s apart), a lookup sent
/// eight packets a second, and a resolver that limits how fast it is asked
/// heard only our repeats (round 22: a name asked alone after the run still
/// went unanswered by a resolver allowing six queries a second).
#[derive(Clone, Default)]
struct OncePerTry(TokioRuntimeProvider);

impl hickory_resolver::ConnectionProvider for OncePerTry {
    type Conn = hickory_resolver::net::xfer::DnsExchange<TokioRuntimeProvider>;
    type FutureConn = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Self::Conn, NetError>> + Send + 'static>,
    >;
    type RuntimeProvider = TokioRuntimeProvider;

    fn new_connection(
        &self,
        ip: IpAddr,
        config: &hickory_resolver::config::ConnectionConfig,
        cx: &hickory_resolver::PoolContext,
    ) -> Result<Self::FutureConn, NetError> {
        match config.protocol {
            hickory_resolver::config::ProtocolConfig::Udp => {
                let stream = hickory_resolver::net::udp::UdpClientStream::builder(
                    SocketAddr::new(ip, config.port),
                    self.0.clone(),
                )
                .with_timeout(Some(cx.options.timeout))
                .with_os_port_selection(cx.options.os_port_selection)
                .avoid_local_ports(cx.options.avoid_local_udp_ports.clone())
                .with_bind_addr(config.bind_addr)
                .with_max_retries(0);
                Ok(Box::pin(async move { Ok(stream.exchange()) }))
            }
            _ => self.0.new_connection(ip, config, cx),
        }
    }

    fn runtime_provider(&self) -> &Self::RuntimeProvider {
        &self.0
    }
}

fn build_resolver(
    (config, options): (ResolverConfig, ResolverOpts),
    concurrency: usize,
) -> Result<TokioResolver, LookupError> {
    let mut builder =
        TokioResolver::builder_with_config(config, OncePerTry::default()).with_options(options);
    let options = builder.options_mut();
    options.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    // Tries are made (and counted) by `answer`; hickory asks once per try,
    // and never refuses a question of ours as "busy" (two per lookup).
    options.attempts = 1;
    options.timeout = Duration::from_secs(30);
    options.max_active_requests = if concurrency == 0 {
        65_536
    } else {
        concurrency.saturating_mul(2).clamp(32, 65_536)
    };
    builder
        .build()
        .map_err(|e| LookupError::Failed(format!("cannot build the resolver: {e}")))
}

/// The time limit of each try: 1 s, 2 s, 4 s, then 8 s (spaced as Windows'
/// client spaces them), always within what is left of the lookup's own limit.
fn try_limit(index: usize) -> Duration {
    Duration::from_secs(1 << index.min(3))
}

/// The pause before asking again after an error answer: 50, 100, 200 ms…
fn back_off(errors: u32) -> Duration {
    Duration::from_millis(50u64 << errors.min(4))
}

/// The error code of an answer, when the server gave one.
fn rcode_of(e: &NetError) -> Option<Rcode> {
    let code = match e {
        NetError::Dns(DnsError::ResponseCode(code)) => *code,
        NetError::Dns(DnsError::NoRecordsFound(none))
            if !matches!(
                none.response_code,
                ResponseCode::NoError | ResponseCode::NXDomain
            ) =>
        {
            none.response_code
        }
        _ => return None,
    };
    Some(match code {
        ResponseCode::ServFail => Rcode::ServFail,
        ResponseCode::Refused => Rcode::Refused,
        other => Rcode::Other(u16::from(other)),
    })
}

/// The rate at which tries leave for the resolver (each try asks A and
/// AAAA). Many resolvers rate-limit rather than bound what is in flight (one
/// of this project's machines answers the first fifty of a burst, then about
/// fifty a second, and drops the rest), and their answers come back in a
/// millisecond, so a bound on lookups in flight alone would still send
/// thousands a second. The pace starts at [`Pace::START`] tries a second
/// with a burst of [`Pace::BURST`], grows by half every calm [`Pace::STEP`],
/// and halves (at most once a step, since a burst's losses all show at
/// once) when the server answers REFUSED or SERVFAIL or
/// an answer is late: not back after eight times the smoothed answer time
/// (and at least 250 ms), long before the try itself gives up. Never below
/// [`Pace::FLOOR`].
#[derive(Debug)]
struct Pace {
    /// Tries a second.
    rate: f64,
    /// When the next try may leave at the current rate.
    next: Instant,
    grown_at: Instant,
    slowed_at: Option<Instant>,
    /// Smoothed time of answered tries (none yet: nothing is late).
    srtt: Option<Duration>,
}

impl Pace {
    const START: f64 = 25.0;
    const BURST: f64 = 16.0;
    const FLOOR: f64 = 20.0;
    const MOST: f64 = 10_000.0;
    const STEP: Duration = Duration::from_secs(1);

    fn new() -> Self {
        let now = Instant::now();
        // A full bucket to start with.
        let credit = Duration::from_secs_f64(Self::BURST / Self::START);
        Self {
            rate: Self::START,
            next: now.checked_sub(credit).unwrap_or(now),
            grown_at: now,
            slowed_at: None,
            srtt: None,
        }
    }

    /// When a try still out counts as a sign of overload.
    fn late(&self) -> Option<Duration> {
        self.srtt
            .map(|srtt| (srtt * 8).max(Duration::from_millis(250)))
    }

    fn answered_in(&mut self, took: Duration) {
        self.srtt = Some(match self.srtt {
            Some(srtt) => srtt.mul_f64(0.875) + took.mul_f64(0.125),
            None => took,
        });
    }

    /// When the next try may leave.
    fn turn(&mut self) -> Instant {
        let now = Instant::now();
        let calm = self
            .slowed_at
            .is_none_or(|at| now.duration_since(at) >= Self::STEP);
        if calm && now.duration_since(self.grown_at) >= Self::STEP {
            self.rate = (self.rate * 1.5).min(Self::MOST);
            self.grown_at = now;
        }
        // A bucket of BURST tries, refilled at `rate`: idle time earns at
        // most a burst.
        let credit = Duration::from_secs_f64(Self::BURST / self.rate);
        let at = self.next.max(now.checked_sub(credit).unwrap_or(now));
        self.next = at + Duration::from_secs_f64(1.0 / self.rate);
        at.max(now)
    }

    fn struggled(&mut self) {
        let now = Instant::now();
        if self
            .slowed_at
            .is_some_and(|at| now.duration_since(at) < Self::STEP)
        {
            return;
        }
        self.slowed_at = Some(now);
        self.grown_at = now;
        self.rate = (self.rate / 2.0).max(Self::FLOOR);
    }
}

/// `None` when the bound is off: every question leaves at once.
type SharedPace = Option<Arc<std::sync::Mutex<Pace>>>;

/// Waits for this try's turn under the pace.
async fn wait_turn(pace: &SharedPace) {
    wait_turn_until(pace, Instant::now() + Duration::from_secs(3600)).await;
}

/// Waits for this try's turn under the pace, but never past `end`.
async fn wait_turn_until(pace: &SharedPace, end: Instant) {
    let Some(pace) = pace else { return };
    let at = pace
        .lock()
        .map(|mut p| p.turn())
        .unwrap_or_else(|_| Instant::now());
    tokio::time::sleep_until(at.min(end).into()).await;
}

/// Tells the pace the resolver is struggling.
fn slow_down(pace: &SharedPace) {
    if let Some(pace) = pace
        && let Ok(mut p) = pace.lock()
    {
        p.struggled();
    }
}

/// The addresses of one try, and the record type left unanswered when only
/// one family came back.
struct Found {
    addrs: Vec<IpAddr>,
    one_family: Option<(&'static str, &'static str)>,
}

/// How long the other family's answer is waited for once one family has
/// addresses: a resolver that drops AAAA questions (a known middlebox
/// fault) still gives the name (clients get it too, late).
const OTHER_FAMILY_GRACE: Duration = Duration::from_millis(500);

/// A and AAAA asked side by side until `deadline`; `None` when neither gave
/// an answer that settles the name in time.
async fn families(
    resolver: &TokioResolver,
    host: &str,
    deadline: Instant,
) -> Option<Result<Found, NetError>> {
    use hickory_resolver::lookup_ip::LookupIp;
    let v4 = resolver.ipv4_lookup(host);
    let v6 = resolver.ipv6_lookup(host);
    tokio::pin!(v4, v6);
    let mut a: Option<Result<Vec<IpAddr>, NetError>> = None;
    let mut aaaa: Option<Result<Vec<IpAddr>, NetError>> = None;
    let mut until = tokio::time::Instant::from_std(deadline);
    loop {
        tokio::select! {
            r = &mut v4, if a.is_none() => {
                a = Some(r.map(|l| LookupIp::from(l).iter().collect()));
            }
            r = &mut v6, if aaaa.is_none() => {
                aaaa = Some(r.map(|l| LookupIp::from(l).iter().collect()));
            }
            () = tokio::time::sleep_until(until) => break,
        }
        if a.is_some() && aaaa.is_some() {
            break;
        }
        // One family has addresses, or NXDOMAIN (about the name, whatever
        // the type; but a server may still answer the other type, as
        // dnsmasq does for a name it holds one family of): the other gets
        // a short while more.
        let settled = |r: &Option<Result<Vec<IpAddr>, NetError>>| match r {
            Some(Ok(x)) => !x.is_empty(),
            Some(Err(e)) => e.is_nx_domain(),
            None => false,
        };
        if settled(&a) || settled(&aaaa) {
            until = until.min(tokio::time::Instant::now() + OTHER_FAMILY_GRACE);
        }
    }
    let found = |addrs: Vec<IpAddr>, one_family| Found { addrs, one_family };
    Some(match (a, aaaa) {
        (Some(Ok(mut x)), Some(Ok(y))) => {
            x.extend(y);
            Ok(found(x, None))
        }
        // As hickory joins them: one family's error beside the other's
        // addresses leaves the addresses.
        (Some(Ok(x)), Some(Err(_))) | (Some(Err(_)), Some(Ok(x))) => Ok(found(x, None)),
        (Some(Err(e)), Some(Err(_))) => Err(e),
        (Some(Ok(x)), None) if !x.is_empty() => Ok(found(x, Some(("A", "AAAA")))),
        (None, Some(Ok(y))) if !y.is_empty() => Ok(found(y, Some(("AAAA", "A")))),
        // NXDOMAIN is about the name, whatever the type asked.
        (Some(Err(e)), None) | (None, Some(Err(e))) if e.is_nx_domain() => Err(e),
        _ => return None,
    })
}

/// One try: the lookup within `limit`, telling the pace when it runs late.
async fn one_try(
    resolver: &TokioResolver,
    host: &str,
    limit: Duration,
    pace: &SharedPace,
) -> Option<Result<Found, NetError>> {
    let started = Instant::now();
    let late = pace
        .as_ref()
        .and_then(|p| p.lock().ok().and_then(|p| p.late()))
        .filter(|late| *late < limit);
    let lookup = families(resolver, host, started + limit);
    tokio::pin!(lookup);
    let outcome = match late {
        Some(late) => match tokio::time::timeout(late, &mut lookup).await {
            Ok(done) => done,
            Err(_) => {
                slow_down(pace);
                lookup.await
            }
        },
        None => lookup.await,
    };
    if let (Some(Ok(_)), Some(pace)) = (&outcome, pace)
        && let Ok(mut p) = pace.lock()
    {
        p.answered_in(started.elapsed());
    }
    outcome
}

/// One lookup: waits for a slot, then tries until a real answer or the end
/// of its time limit. The outcome is the last answer the server gave (an
/// error code only when no try got addresses or NXDOMAIN).
/// DNS clients asked in turn, one per try: a client answers a second
/// question for a name it is still asking about by joining the first, so a
/// retry through the same client sends nothing new. With a client per try,
/// each retry is a new packet while the earlier questions stay open (a
/// resolver that answers every question late is still heard).
const CLIENTS: usize = 4;

async fn answer(
    clients: Arc<Vec<TokioResolver>>,
    gate: Option<Arc<tokio::sync::Semaphore>>,
    pace: SharedPace,
    request: Request,
) {
    let _permit = match gate {
        Some(gate) => {
            match tokio::time::timeout(request.limits.queue, gate.acquire_owned()).await {
                Ok(Ok(permit)) => Some(permit),
                _ => {
                    // Local queueing, not the resolver's doing: said so.
                    let _ = request.reply.try_send(Traced::local(Err(LookupError::Failed(
                        format!(
                            "no DNS slot came free within {:.0} s (this run's other lookups held them)",
                            request.limits.queue.as_secs_f64()
                        ),
                    ))));
                    return;
                }
            }
        }
        None => None,
    };
    // The first question's turn under the pace is part of the wait too.
    wait_turn(&pace).await;
    let left_queue = Instant::now();
    let mut end = Instant::now() + request.limits.answer;
    if let Some(by) = request.whole_by {
        end = end.min(by);
    }
    let mut tries = Vec::new();
    let mut last_answer: Option<LookupError> = None;
    let mut errors = 0u32;
    // Questions asked and not answered yet: a retry does not give up on an
    // earlier one, whose answer may simply be late.
    let mut asked = tokio::task::JoinSet::new();
    let mut sent = 0usize;
    let result = loop {
        // A retry waits for its turn under the pace, within the budget.
        if !tries.is_empty() {
            wait_turn_until(&pace, end).await;
        }
        let left = end.saturating_duration_since(Instant::now());
        // Too little time left for a question to come back.
        if left < Duration::from_millis(20) {
            break Err(last_answer.unwrap_or(LookupError::Timeout(request.limits.answer)));
        }
        let limit = try_limit(tries.len()).min(left);
        if let Some(client) = clients.get(sent % clients.len().max(1)).cloned() {
            let (host, pace) = (request.host.clone(), pace.clone());
            asked.spawn(async move { one_try(&client, &host, left, &pace).await });
            sent += 1;
        }
        let outcome = tokio::select! {
            Some(done) = asked.join_next() => done.ok(),
            () = tokio::time::sleep(limit) => None,
        };
        let struggled = match &outcome {
            None | Some(None) => true,
            Some(Some(Err(e))) => rcode_of(e).is_some(),
            Some(Some(Ok(_))) => false,
        };
        if struggled {
            slow_down(&pace);
        }
        let Some(outcome) = outcome else {
            tries.push(Try::Lost(limit));
            continue;
        };
        match outcome {
            None => tries.push(Try::Lost(limit)),
            Some(Ok(found)) => {
                if found.addrs.is_empty() {
                    tries.push(Try::NoAddress);
                    break Err(LookupError::NoAddress);
                }
                tries.push(match found.one_family {
                    Some((answered, unanswered)) => Try::OneFamily {
                        answered,
                        unanswered,
                    },
                    None => Try::Answered,
                });
                break Ok(found.addrs);
            }
            Some(Err(e)) if e.is_nx_domain() => {
                tries.push(Try::NotFound);
                break Err(LookupError::NotFound);
            }
            // NOERROR without an address: the name exists (or its CNAME
            // chain loops, or the answer is for another name).
            Some(Err(e)) if e.is_no_records_found() && rcode_of(&e).is_none() => {
                tries.push(Try::NoAddress);
                break Err(LookupError::NoAddress);
            }
            Some(Err(e)) => {
                match rcode_of(&e) {
                    Some(code) => {
                        tries.push(Try::Server(code));
                        last_answer = Some(LookupError::Server(code));
                    }
                    None => {
                        tries.push(Try::Failed(e.to_string()));
                        if last_answer.is_none() {
                            // An answer that does not decode came from the
                            // server, not from this machine.
                            last_answer = Some(if matches!(e, NetError::Proto(_)) {
                                LookupError::Malformed(e.to_string())
                            } else {
                                LookupError::Failed(e.to_string())
                            });
                        }
                    }
                }
                let pause = back_off(errors).min(end.saturating_duration_since(Instant::now()));
                errors += 1;
                tokio::time::sleep(pause).await;
            }
        }
    };
    // The caller may have given up already; nothing to do then.
    let _ = request.reply.try_send(Traced {
        result,
        took: left_queue.elapsed(),
        tries,
    });
}

impl SystemResolver {
    /// Builds a resolver for the given servers, with the default bound on
    /// lookups in flight ([`DEFAULT_DNS_CONCURRENCY`]).
    pub fn new(servers: DnsServers) -> Result<Self, LookupError> {
        Self::with_concurrency(servers, DEFAULT_DNS_CONCURRENCY)
    }

    /// Builds a resolver that keeps at most `concurrency` lookups in flight
    /// and paces its questions when answers go missing (0: no bound and no
    /// pace, every lookup is sent at once).
    pub fn with_concurrency(servers: DnsServers, concurrency: usize) -> Result<Self, LookupError> {
        let (requests, mut inbox) = tokio::sync::mpsc::unbounded_channel::<Request>();
        let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel(1);
        let config = servers.clone();
        std::thread::Builder::new()
            .name("pathprobe-dns".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(LookupError::Failed(format!(
                            "cannot start the DNS runtime: {e}"
                        ))));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let built: Result<Vec<TokioResolver>, LookupError> = client_config(&config)
                        .and_then(|conf| {
                            (0..CLIENTS)
                                .map(|_| build_resolver(conf.clone(), concurrency))
                                .collect()
                        });
                    let clients = match built {
                        Ok(r) => {
                            let _ = ready_tx.send(Ok(()));
                            Arc::new(r)
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let gate = (concurrency > 0).then(|| {
                        // A library caller's bound past the semaphore's
                        // own limit is no bound it can hold.
                        Arc::new(tokio::sync::Semaphore::new(
                            concurrency.min(tokio::sync::Semaphore::MAX_PERMITS),
                        ))
                    });
                    let pace: SharedPace =
                        (concurrency > 0).then(|| Arc::new(std::sync::Mutex::new(Pace::new())));
                    // Ends when every SystemResolver handle is dropped.
                    while let Some(request) = inbox.recv().await {
                        tokio::spawn(answer(clients.clone(), gate.clone(), pace.clone(), request));
                    }
                });
            })
            .map_err(|e| LookupError::Failed(format!("cannot start the DNS thread: {e}")))?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Self {
                requests,
                servers,
                concurrency,
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(LookupError::Failed("the DNS thread stopped".into())),
        }
    }

    /// Lookups in flight at most (0: no bound).
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }
}

impl Resolve for SystemResolver {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        // The whole lookup, queue included, within `timeout`: the PAC helpers
        // count it against the script's deadline.
        let limits = LookupLimits {
            answer: timeout,
            queue: timeout,
        };
        self.ask(host, limits, Some(Instant::now() + timeout))
            .result
    }

    fn lookup_traced(&self, host: &str, limits: LookupLimits) -> Traced {
        self.ask(host, limits, None)
    }
    fn afresh(&self) -> Option<Arc<dyn Resolve>> {
        Self::with_concurrency(self.servers.clone(), 1)
            .ok()
            .map(|r| Arc::new(r) as Arc<dyn Resolve>)
    }
}

impl SystemResolver {
    fn ask(&self, host: &str, limits: LookupLimits, whole_by: Option<Instant>) -> Traced {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Traced::local(Ok(vec![ip]));
        }
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        let sent = self.requests.send(Request {
            host: host.to_owned(),
            limits,
            whole_by,
            reply,
        });
        if sent.is_err() {
            return Traced::local(Err(LookupError::Failed("the DNS thread stopped".into())));
        }
        // A little grace over the lookup's own limits for the hand-over.
        let wait = match whole_by {
            Some(by) => by.saturating_duration_since(Instant::now()),
            None => limits.queue + limits.answer,
        };
        match answer.recv_timeout(wait + Duration::from_millis(250)) {
            Ok(traced) => traced,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Traced {
                took: limits.answer,
                ..Traced::local(Err(LookupError::Timeout(limits.answer)))
            },
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                Traced::local(Err(LookupError::Failed("the DNS thread stopped".into())))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, UdpSocket};
    use std::time::Instant;

    #[test]
    fn fixed_table_is_case_insensitive_and_ignores_the_root_dot() {
        let r = FixedResolver::new()
            .with("Proxy.Corp", IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)))
            .with("proxy.corp", "fd00::1".parse().unwrap());
        let got = r.lookup("PROXY.corp.", Duration::from_secs(1)).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            r.lookup("other", Duration::from_secs(1)),
            Err(LookupError::NotFound)
        );
    }

    #[test]
    fn layers_answer_fixed_names_first() {
        let under = Arc::new(FixedResolver::new().with("b", IpAddr::V4(Ipv4Addr::new(2, 2, 2, 2))));
        let fixed = FixedResolver::new().with("a", IpAddr::V4(Ipv4Addr::new(1, 1, 1, 1)));
        let layered = LayeredResolver::new(fixed.clone(), Some(under));
        assert_eq!(
            layered.lookup("a", Duration::from_secs(1)).unwrap().len(),
            1
        );
        assert!(layered.lookup("b", Duration::from_secs(1)).is_ok());
        let alone = LayeredResolver::new(fixed, None);
        assert_eq!(
            alone.lookup("b", Duration::from_secs(1)),
            Err(LookupError::NotFound)
        );
    }

    #[test]
    fn command_line_entries_parse_or_say_why_not() {
        assert_eq!(
            FixedResolver::parse_entry("wpad.corp=10.1.2.3").unwrap(),
            (
                "wpad.corp".to_owned(),
                IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3))
            )
        );
        assert!(
            FixedResolver::parse_entry("wpad.corp")
                .unwrap_err()
                .contains("host=ip")
        );
        assert!(
            FixedResolver::parse_entry("=1.2.3.4")
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            FixedResolver::parse_entry("a=b")
                .unwrap_err()
                .contains("not an IP")
        );
    }

    #[test]
    fn system_resolver_times_out_against_a_silent_server() {
        // A UDP socket that never answers stands in for a black-holed DNS server.
        let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = silent.local_addr().unwrap();
        let r = SystemResolver::new(DnsServers::Given(vec![addr])).unwrap();
        let start = Instant::now();
        let got = r.lookup("never.example.test", Duration::from_millis(300));
        assert_eq!(got, Err(LookupError::Timeout(Duration::from_millis(300))));
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn system_resolver_returns_literals_without_asking() {
        let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
        let r = SystemResolver::new(DnsServers::Given(vec![silent.local_addr().unwrap()])).unwrap();
        assert_eq!(
            r.lookup("192.0.2.7", Duration::from_millis(50)).unwrap(),
            vec![IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))]
        );
    }

    /// What the scripted server does with one question.
    #[derive(Clone, Copy)]
    enum Act {
        Drop,
        Rcode(u8),
        Address,
        NxDomain,
        /// NOERROR and no answer records (NODATA).
        NoData,
        /// A answered with an address, AAAA questions dropped.
        AddressAaaaDropped,
        /// A answered NXDOMAIN, AAAA questions dropped.
        NxDomainAaaaDropped,
    }

    /// A UDP DNS server that answers each question as `script(name, since)`
    /// says, `since` being the time since it first saw the name, `delay`
    /// late; returns its address and the most questions it ever held at once.
    fn scripted(
        script: impl Fn(&str, Duration) -> Act + Send + 'static,
        delay: Duration,
    ) -> (SocketAddr, Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        let most = Arc::new(AtomicUsize::new(0));
        let held = Arc::new(AtomicUsize::new(0));
        let seen_most = most.clone();
        std::thread::spawn(move || {
            let mut first_seen: HashMap<String, Instant> = HashMap::new();
            let mut buf = [0u8; 512];
            while let Ok((n, from)) = socket.recv_from(&mut buf) {
                let q = buf[..n].to_vec();
                let mut i = 12;
                let mut labels = Vec::new();
                while q[i] != 0 {
                    let len = usize::from(q[i]);
                    labels.push(String::from_utf8_lossy(&q[i + 1..i + 1 + len]).into_owned());
                    i += len + 1;
                }
                let name = labels.join(".");
                let is_a = q[i + 1..i + 3] == [0, 1];
                let since = first_seen
                    .entry(name.clone())
                    .or_insert_with(Instant::now)
                    .elapsed();
                let act = script(&name, since);
                let mut reply = q[..i + 5].to_vec();
                reply[2] = 0x81;
                reply[3] = 0x80;
                for b in &mut reply[6..12] {
                    *b = 0;
                }
                match act {
                    Act::Drop => continue,
                    Act::AddressAaaaDropped | Act::NxDomainAaaaDropped if !is_a => continue,
                    Act::NxDomainAaaaDropped => reply[3] = 0x83,
                    Act::AddressAaaaDropped => {
                        reply[7] = 1;
                        reply.extend_from_slice(&[
                            0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
                        ]);
                    }
                    Act::Rcode(code) => reply[3] = 0x80 | code,
                    Act::NxDomain => reply[3] = 0x83,
                    Act::NoData => {}
                    Act::Address if is_a => {
                        reply[7] = 1;
                        reply.extend_from_slice(&[
                            0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
                        ]);
                    }
                    Act::Address => {}
                }
                let now = held.fetch_add(1, Ordering::SeqCst) + 1;
                seen_most.fetch_max(now, Ordering::SeqCst);
                let (sender, held) = (socket.try_clone().unwrap(), held.clone());
                std::thread::spawn(move || {
                    std::thread::sleep(delay);
                    held.fetch_sub(1, Ordering::SeqCst);
                    let _ = sender.send_to(&reply, from);
                });
            }
        });
        (addr, most)
    }

    fn limits(answer_ms: u64) -> LookupLimits {
        LookupLimits {
            answer: Duration::from_millis(answer_ms),
            queue: Duration::from_secs(30),
        }
    }

    /// Round 18. A resolver (or a middlebox) that drops AAAA questions:
    /// the A answer is the name's, said with the family that never came,
    /// not "no answer"; NXDOMAIN for A is the name's too.
    #[test]
    fn a_dropped_aaaa_question_leaves_the_a_answer() {
        let (addr, _) = scripted(
            |name, _| match name {
                "v4only.test" => Act::AddressAaaaDropped,
                "gone.test" => Act::NxDomainAaaaDropped,
                _ => Act::Drop,
            },
            Duration::ZERO,
        );
        let r = SystemResolver::new(DnsServers::Given(vec![addr])).unwrap();
        let started = Instant::now();
        let got = r.lookup_traced("v4only.test", limits(4000));
        assert_eq!(got.result, Ok(vec!["192.0.2.1".parse::<IpAddr>().unwrap()]));
        assert_eq!(
            got.tries,
            vec![Try::OneFamily {
                answered: "A",
                unanswered: "AAAA"
            }],
            "{got:?}"
        );
        assert_eq!(got.tries[0].to_string(), "A answered, AAAA never");
        // The grace for the other family, not the whole limit.
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "{:?}",
            started.elapsed()
        );
        let gone = r.lookup_traced("gone.test", limits(4000));
        assert_eq!(gone.result, Err(LookupError::NotFound), "{gone:?}");
        let silent = r.lookup_traced("silent.test", limits(1500));
        assert!(
            matches!(silent.result, Err(LookupError::Timeout(_))),
            "{silent:?}"
        );
    }

    #[test]
    fn refused_and_servfail_are_asked_again_and_the_tries_are_reported() {
        // Busy for the first 300 ms of each name, then answering.
        let busy_for = Duration::from_millis(300);
        let (addr, _) = scripted(
            move |name, since| match name {
                "busy.test" if since < busy_for => Act::Rcode(5),
                "flaky.test" if since < busy_for => Act::Rcode(2),
                "busy.test" | "flaky.test" => Act::Address,
                "gone.test" => Act::NxDomain,
                "empty.test" => Act::NoData,
                _ => Act::Rcode(2),
            },
            Duration::ZERO,
        );
        let r = SystemResolver::new(DnsServers::Given(vec![addr])).unwrap();
        let busy = r.lookup_traced("busy.test", limits(3000));
        assert_eq!(
            busy.result,
            Ok(vec!["192.0.2.1".parse::<IpAddr>().unwrap()])
        );
        assert_eq!(
            busy.tries.first(),
            Some(&Try::Server(Rcode::Refused)),
            "{busy:?}"
        );
        assert_eq!(busy.tries.last(), Some(&Try::Answered), "{busy:?}");
        let flaky = r.lookup_traced("flaky.test", limits(3000));
        assert_eq!(
            flaky.tries.first(),
            Some(&Try::Server(Rcode::ServFail)),
            "{flaky:?}"
        );
        assert_eq!(flaky.tries.last(), Some(&Try::Answered), "{flaky:?}");
        // A name that does not exist is final at once: never asked again.
        let gone = r.lookup_traced("gone.test", limits(3000));
        assert_eq!(gone.result, Err(LookupError::NotFound));
        assert_eq!(gone.tries, vec![Try::NotFound]);
        // A name without an address (NOERROR, nothing) is not "no such name".
        let empty = r.lookup_traced("empty.test", limits(3000));
        assert_eq!(empty.result, Err(LookupError::NoAddress), "{empty:?}");
        // A server that always fails: the last real answer, within the limit.
        let started = Instant::now();
        let broken = r.lookup_traced("broken.test", limits(600));
        assert_eq!(broken.result, Err(LookupError::Server(Rcode::ServFail)));
        assert!(broken.tries.len() >= 3, "{:?}", broken.tries);
        assert!(started.elapsed() < Duration::from_millis(1500));
    }

    #[test]
    fn a_late_answer_to_the_first_question_still_counts() {
        // Every answer comes 1.5 s late: the first try's wait (1 s) runs
        // out, the question is asked again, and the first answer, arriving
        // within the 2 s limit, is the lookup's (it was thrown away, and the
        // name reported as failing).
        let (addr, _) = scripted(|_, _| Act::Address, Duration::from_millis(1500));
        let r = SystemResolver::new(DnsServers::Given(vec![addr])).unwrap();
        let got = r.lookup_traced("slow.test", limits(2000));
        assert!(got.result.is_ok(), "{got:?}");
        assert_eq!(
            got.tries.first(),
            Some(&Try::Lost(Duration::from_secs(1))),
            "{got:?}"
        );
        assert_eq!(got.tries.last(), Some(&Try::Answered), "{got:?}");
    }

    #[test]
    fn a_lost_answer_is_asked_again_within_the_limit() {
        // Silent for the first 1.2 s of each name (longer than the first
        // try and the DNS library's own resends within it), then answering.
        let (addr, _) = scripted(
            |_, since| {
                if since < Duration::from_millis(1200) {
                    Act::Drop
                } else {
                    Act::Address
                }
            },
            Duration::ZERO,
        );
        let r = SystemResolver::new(DnsServers::Given(vec![addr])).unwrap();
        let got = r.lookup_traced("lossy.test", limits(5000));
        assert!(got.result.is_ok(), "{got:?}");
        assert_eq!(
            got.tries.first(),
            Some(&Try::Lost(Duration::from_secs(1))),
            "{got:?}"
        );
        assert_eq!(got.tries.last(), Some(&Try::Answered), "{got:?}");
        // The simple lookup keeps to its whole limit, retries included.
        let started = Instant::now();
        let (silent, _) = scripted(|_, _| Act::Drop, Duration::ZERO);
        let r = SystemResolver::new(DnsServers::Given(vec![silent])).unwrap();
        assert_eq!(
            r.lookup("never.test", Duration::from_millis(700)),
            Err(LookupError::Timeout(Duration::from_millis(700)))
        );
        assert!(started.elapsed() < Duration::from_millis(1500));
    }

    #[test]
    fn lookups_in_flight_stay_under_the_bound_and_the_wait_is_not_the_limit() {
        let (addr, most) = scripted(|_, _| Act::Address, Duration::from_millis(150));
        let r =
            Arc::new(SystemResolver::with_concurrency(DnsServers::Given(vec![addr]), 4).unwrap());
        let handles: Vec<_> = (0..24)
            .map(|i| {
                let r = r.clone();
                std::thread::spawn(move || {
                    let started = Instant::now();
                    let traced = r.lookup_traced(&format!("n{i}.test"), limits(1000));
                    (traced, started.elapsed())
                })
            })
            .collect();
        let results: Vec<(Traced, Duration)> =
            handles.into_iter().map(|h| h.join().unwrap()).collect();
        // Four lookups of two questions each at most.
        let seen = most.load(std::sync::atomic::Ordering::SeqCst);
        assert!(seen <= 8, "{seen} questions were in flight at once");
        // 24 lookups of 150 ms, four at a time, each within its 1 s limit:
        // the later ones waited longer than their limit, and still answered.
        assert!(results.iter().all(|(t, _)| t.result.is_ok()));
        assert!(
            results
                .iter()
                .all(|(t, _)| t.took < Duration::from_millis(1000))
        );
        assert!(
            results
                .iter()
                .any(|(t, total)| *total - t.took > Duration::from_millis(600))
        );
    }

    /// A resolver that rate-limits as one of this project's machines does
    /// (the first fifty questions of a burst, then fifty a second, the rest
    /// dropped, answers in a millisecond): every lookup still gets the
    /// server's real answer, never "no answer in time".
    #[test]
    fn a_rate_limiting_resolver_still_answers_every_lookup() {
        let bucket = std::sync::Mutex::new((50.0f64, Instant::now()));
        let (addr, _) = scripted(
            move |_, _| {
                let mut b = bucket.lock().unwrap();
                let now = Instant::now();
                b.0 = (b.0 + now.duration_since(b.1).as_secs_f64() * 50.0).min(50.0);
                b.1 = now;
                if b.0 >= 1.0 {
                    b.0 -= 1.0;
                    Act::NxDomain
                } else {
                    Act::Drop
                }
            },
            Duration::ZERO,
        );
        let r = Arc::new(SystemResolver::new(DnsServers::Given(vec![addr])).unwrap());
        let handles: Vec<_> = (0..120)
            .map(|i| {
                let r = r.clone();
                std::thread::spawn(move || {
                    r.lookup_traced(&format!("n{i}.rate.test"), limits(5000))
                })
            })
            .collect();
        for h in handles {
            let t = h.join().unwrap();
            assert_eq!(t.result, Err(LookupError::NotFound), "{t:?}");
        }
    }

    #[test]
    fn the_pace_halves_when_answers_go_missing_and_grows_when_calm() {
        let mut pace = Pace::new();
        assert!((pace.rate - Pace::START).abs() < f64::EPSILON);
        pace.struggled();
        assert!((pace.rate - Pace::FLOOR).abs() < f64::EPSILON);
        // A burst's losses show at once: they count once.
        pace.struggled();
        assert!((pace.rate - Pace::FLOOR).abs() < f64::EPSILON);
        // The first BURST tries leave at once, the next at the rate.
        let mut fresh = Pace::new();
        let now = Instant::now();
        let slots: Vec<Instant> = (0..20).map(|_| fresh.turn()).collect();
        let late = slots
            .iter()
            .filter(|at| at.duration_since(now) > Duration::from_millis(20))
            .count();
        assert!((3..=5).contains(&late), "{late} of 20 tries were spaced");
    }
}
