//! Name resolution for the PAC DNS helpers.
//!
//! A PAC script calls `dnsResolve` synchronously, so the engine needs a blocking
//! lookup with a deadline. [`SystemResolver`] does that with hickory (the
//! system's resolver configuration, or servers given on the command line);
//! [`FixedResolver`] answers from a table so tests never touch the network.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{
    ConnectionConfig, LookupIpStrategy, NameServerConfig, ResolverConfig,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;

/// Why a name did not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum LookupError {
    /// The name does not exist, or has no address records.
    #[error("no address for this name")]
    NotFound,
    /// No answer within the lookup's time limit.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The resolver failed for another reason (server failure, refused, no servers).
    #[error("lookup failed: {0}")]
    Failed(String),
}

/// Resolves host names to addresses, blocking for at most `timeout`.
///
/// Implementations must be cheap to share between threads: one resolver serves
/// every PAC evaluation of a run.
pub trait Resolve: Send + Sync + fmt::Debug {
    /// All addresses of `host` (IPv4 and IPv6, in the resolver's order).
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError>;
}

impl<T: Resolve + ?Sized> Resolve for Arc<T> {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        (**self).lookup(host, timeout)
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
            .entry(host.trim_end_matches('.').to_ascii_lowercase())
            .or_default()
            .push(addr);
    }

    /// Parses `host=ip` as given on the command line.
    pub fn parse_entry(entry: &str) -> Result<(String, IpAddr), String> {
        let (host, ip) = entry
            .split_once('=')
            .ok_or_else(|| format!("{entry:?}: expected host=ip"))?;
        let host = host.trim();
        if host.is_empty() {
            return Err(format!("{entry:?}: the host name is empty"));
        }
        let ip = ip
            .trim()
            .parse::<IpAddr>()
            .map_err(|_| format!("{entry:?}: {:?} is not an IP address", ip.trim()))?;
        Ok((host.to_owned(), ip))
    }
}

impl Resolve for FixedResolver {
    fn lookup(&self, host: &str, _timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        self.table
            .get(&host.trim_end_matches('.').to_ascii_lowercase())
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
/// async runtime or not; lookups from several threads run concurrently.
pub struct SystemResolver {
    requests: tokio::sync::mpsc::UnboundedSender<Request>,
    servers: DnsServers,
}

struct Request {
    host: String,
    timeout: Duration,
    reply: std::sync::mpsc::SyncSender<Result<Vec<IpAddr>, LookupError>>,
}

impl fmt::Debug for SystemResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemResolver")
            .field("servers", &self.servers)
            .finish_non_exhaustive()
    }
}

fn build_resolver(servers: &DnsServers) -> Result<TokioResolver, LookupError> {
    let provider = TokioRuntimeProvider::default();
    let mut builder = match servers {
        DnsServers::System => TokioResolver::builder(provider).map_err(|e| {
            LookupError::Failed(format!("cannot read the system DNS configuration: {e}"))
        })?,
        DnsServers::Given(addrs) => {
            let mut config = ResolverConfig::from_parts(None, Vec::new(), Vec::new());
            for addr in addrs {
                let mut udp = ConnectionConfig::udp();
                udp.port = addr.port();
                let mut tcp = ConnectionConfig::tcp();
                tcp.port = addr.port();
                config.add_name_server(NameServerConfig::new(addr.ip(), true, vec![udp, tcp]));
            }
            TokioResolver::builder_with_config(config, provider)
        }
    };
    let options = builder.options_mut();
    options.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    // The caller's timeout bounds the whole lookup; one retry is enough.
    options.attempts = 1;
    builder
        .build()
        .map_err(|e| LookupError::Failed(format!("cannot build the resolver: {e}")))
}

async fn answer(resolver: TokioResolver, request: Request) {
    let outcome = match tokio::time::timeout(
        request.timeout,
        resolver.lookup_ip(request.host.as_str()),
    )
    .await
    {
        Err(_) => Err(LookupError::Timeout(request.timeout)),
        Ok(Err(e)) if e.is_nx_domain() || e.is_no_records_found() => Err(LookupError::NotFound),
        Ok(Err(e)) => Err(LookupError::Failed(e.to_string())),
        Ok(Ok(found)) => {
            let addrs: Vec<IpAddr> = found.iter().collect();
            if addrs.is_empty() {
                Err(LookupError::NotFound)
            } else {
                Ok(addrs)
            }
        }
    };
    // The caller may have given up already; nothing to do then.
    let _ = request.reply.try_send(outcome);
}

impl SystemResolver {
    /// Builds a resolver for the given servers.
    pub fn new(servers: DnsServers) -> Result<Self, LookupError> {
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
                    let resolver = match build_resolver(&config) {
                        Ok(r) => {
                            let _ = ready_tx.send(Ok(()));
                            r
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    // Ends when every SystemResolver handle is dropped.
                    while let Some(request) = inbox.recv().await {
                        tokio::spawn(answer(resolver.clone(), request));
                    }
                });
            })
            .map_err(|e| LookupError::Failed(format!("cannot start the DNS thread: {e}")))?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Self { requests, servers }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(LookupError::Failed("the DNS thread stopped".into())),
        }
    }
}

impl Resolve for SystemResolver {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(vec![ip]);
        }
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        self.requests
            .send(Request {
                host: host.to_owned(),
                timeout,
                reply,
            })
            .map_err(|_| LookupError::Failed("the DNS thread stopped".into()))?;
        // A little grace over the lookup's own timeout for the hand-over.
        match answer.recv_timeout(timeout + Duration::from_millis(250)) {
            Ok(outcome) => outcome,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(LookupError::Timeout(timeout)),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                Err(LookupError::Failed("the DNS thread stopped".into()))
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
}
