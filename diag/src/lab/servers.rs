//! The lab's servers, all on 127.0.0.1: TLS origins signed by a lab CA,
//! a CONNECT proxy, an authenticating proxy, an intercepting proxy that
//! re-signs with its own CA, and a DNS server. Each runs on its own thread
//! with its own runtime for as long as the process lives.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Why a lab server could not start.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// Certificate generation failed.
    #[error("lab certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    /// TLS configuration failed.
    #[error("lab TLS: {0}")]
    Tls(#[from] rustls::Error),
    /// A socket or thread could not be set up.
    #[error("lab server: {0}")]
    Io(#[from] std::io::Error),
    /// The server thread stopped before it was ready.
    #[error("a lab server stopped while starting")]
    Stopped,
}

/// A certificate authority of the lab.
pub struct LabCa {
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate, PEM.
    pub pem: String,
    /// The CA's private key, PEM (for peers such as mitmproxy that sign with it).
    pub key_pem: String,
    der: CertificateDer<'static>,
    /// How many days this machine's clock is off the world's, for the
    /// leaves issued: see [`LabCa::clock_off`].
    clock_off_days: i64,
}

impl LabCa {
    /// A CA named `name` (an inspection product's name makes it look like one).
    pub fn new(name: &str) -> Result<Self, LabError> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(DnType::CommonName, name);
        params
            .distinguished_name
            .push(DnType::OrganizationName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Self {
            key_pem: key.serialize_pem(),
            pem: cert.pem(),
            der: cert.der().clone(),
            issuer: Issuer::new(params, key),
            clock_off_days: 0,
        })
    }

    /// Leaves issued as the world's time would have them when this
    /// machine's clock is `days` ahead (negative: behind): valid from 30
    /// days before the world's today to 60 days after. With a clock a year
    /// ahead every leaf looks expired here; a year behind, not yet valid.
    pub fn clock_off(mut self, days: i64) -> Self {
        self.clock_off_days = days;
        self
    }

    /// The CA certificate, DER.
    pub fn der(&self) -> CertificateDer<'static> {
        self.der.clone()
    }

    /// A leaf for `names` (IP addresses become IP names), its chain and key.
    pub fn leaf(
        &self,
        names: &[&str],
    ) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), LabError> {
        let mut params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())?;
        if self.clock_off_days != 0 {
            let day = |offset: i64| {
                let date = jiff::Zoned::now()
                    .date()
                    .checked_add(jiff::Span::new().days(offset - self.clock_off_days))
                    .unwrap_or(jiff::civil::Date::MIN);
                rcgen::date_time_ymd(
                    i32::from(date.year()),
                    u8::try_from(date.month()).unwrap_or(1),
                    u8::try_from(date.day()).unwrap_or(1),
                )
            };
            params.not_before = day(-30);
            params.not_after = day(60);
        }
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        Ok((vec![cert.der().clone(), self.der.clone()], key_der))
    }

    /// A leaf for `names` that is wrong in the way `flaw` says.
    pub fn flawed_leaf(
        &self,
        names: &[&str],
        flaw: TlsFlaw,
    ) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), LabError> {
        let owned: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let key = KeyPair::generate()?;
        let key_der =
            |k: &KeyPair| PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(k.serialize_der()));
        match flaw {
            TlsFlaw::Expired => {
                let mut params = CertificateParams::new(owned)?;
                params.not_before = rcgen::date_time_ymd(2020, 1, 1);
                params.not_after = rcgen::date_time_ymd(2021, 1, 1);
                let cert = params.signed_by(&key, &self.issuer)?;
                Ok((vec![cert.der().clone(), self.der.clone()], key_der(&key)))
            }
            TlsFlaw::WrongHost => {
                let cert = CertificateParams::new(vec!["some-other-host.example".to_owned()])?
                    .signed_by(&key, &self.issuer)?;
                Ok((vec![cert.der().clone(), self.der.clone()], key_der(&key)))
            }
            TlsFlaw::SelfSigned => {
                let cert = CertificateParams::new(owned)?.self_signed(&key)?;
                Ok((vec![cert.der().clone()], key_der(&key)))
            }
            TlsFlaw::SelfSignedCa => {
                let mut params = CertificateParams::new(owned)?;
                params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
                let cert = params.self_signed(&key)?;
                Ok((vec![cert.der().clone()], key_der(&key)))
            }
            TlsFlaw::WrongKey => {
                let cert = CertificateParams::new(owned)?.signed_by(&key, &self.issuer)?;
                let other = KeyPair::generate()?;
                Ok((vec![cert.der().clone(), self.der.clone()], key_der(&other)))
            }
        }
    }

    /// Writes the CA certificate to `path`.
    pub fn write_pem(&self, path: &std::path::Path) -> std::io::Result<()> {
        std::fs::write(path, &self.pem)
    }
}

/// How a hostile origin's certificate is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsFlaw {
    /// Valid in 2020 only.
    Expired,
    /// Issued for another name.
    WrongHost,
    /// Signed by itself.
    SelfSigned,
    /// Signed by itself and marked a CA (`openssl req -x509` writes such
    /// certificates): verifiers refuse it as a CA used as a server's own.
    SelfSignedCa,
    /// Served with a private key that is not the certificate's.
    WrongKey,
}

/// Serves one certified key whatever the client asks (rustls' own
/// constructor refuses a key that does not match: a hostile server does not).
#[derive(Debug)]
struct Always(Arc<rustls::sign::CertifiedKey>);

impl rustls::server::ResolvesServerCert for Always {
    fn resolve(
        &self,
        _: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(self.0.clone())
    }
}

fn unchecked_server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<rustls::ServerConfig>, LabError> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let signing = provider.key_provider.load_private_key(key)?;
    let certified = Arc::new(rustls::sign::CertifiedKey::new(chain, signing));
    Ok(Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(Always(certified))),
    ))
}

fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<rustls::ServerConfig>, LabError> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    Ok(Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?,
    ))
}

/// Runs `serve` on a new thread with its own runtime; returns the bound port.
fn background<F, Fut>(serve: F) -> Result<u16, LabError>
where
    F: FnOnce(TcpListener) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("pathprobe-lab".into())
        .spawn(move || {
            // Two workers: a lab origin must not be the bottleneck of a
            // thousand simultaneous TLS handshakes.
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = tx.send(Err(LabError::Io(e)));
                    return;
                }
            };
            runtime.block_on(async move {
                match TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                    .await
                    .and_then(|l| Ok((l.local_addr()?.port(), l)))
                {
                    Ok((port, listener)) => {
                        let _ = tx.send(Ok(port));
                        serve(listener).await;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(LabError::Io(e)));
                    }
                }
            });
        })?;
    rx.recv().map_err(|_| LabError::Stopped)?
}

async fn read_request_head(s: &mut (impl AsyncReadExt + Unpin)) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && buf.len() < 16 * 1024 {
        match s.read(&mut byte).await {
            Ok(1) => buf.extend_from_slice(&byte),
            _ => break,
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Serves TLS with `config` on a new port; each handshake that completes is
/// handed to `handle`.
fn tls_server<H, Fut>(config: Arc<rustls::ServerConfig>, handle: H) -> Result<u16, LabError>
where
    H: Fn(tokio_rustls::server::TlsStream<TcpStream>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let handle = Arc::new(handle);
    background(move |listener| async move {
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, handle) = (acceptor.clone(), handle.clone());
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    handle(tls).await;
                }
            });
        }
    })
}

/// An HTTPS origin for `names` answering every request with `status`
/// after `delay`.
pub fn tls_origin(
    ca: &LabCa,
    names: &[&str],
    status: u16,
    delay: Duration,
) -> Result<u16, LabError> {
    let (chain, key) = ca.leaf(names)?;
    tls_server(server_config(chain, key)?, move |mut tls| async move {
        let _ = read_request_head(&mut tls).await;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let answer =
            format!("HTTP/1.1 {status} Lab\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        let _ = tls.write_all(answer.as_bytes()).await;
        let _ = tls.shutdown().await;
    })
}

/// Chooses an origin's status from the request's host and path.
pub type StatusFor = Arc<dyn Fn(&str, &str) -> u16 + Send + Sync>;

/// An HTTPS origin for `names` answering each request with the status
/// `status_for(host, path)` gives: a stand-in for services whose probe URLs
/// answer 400 or 404 by design.
pub fn tls_origin_answering(
    ca: &LabCa,
    names: &[&str],
    status_for: StatusFor,
) -> Result<u16, LabError> {
    tls_origin_replying(
        ca,
        names,
        Arc::new(move |host: &str, path: &str| {
            let status = status_for(host, path);
            format!("HTTP/1.1 {status} Lab\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                .into_bytes()
        }),
    )
}

/// Chooses an origin's whole answer (head and body) from the request's
/// host and path.
pub type ReplyFor = Arc<dyn Fn(&str, &str) -> Vec<u8> + Send + Sync>;

/// An HTTPS origin for `names` answering each request with the bytes
/// `reply_for(host, path)` gives: a service whose own front end speaks
/// like a proxy (a reverse squid's error page), or misbehaves.
pub fn tls_origin_replying(
    ca: &LabCa,
    names: &[&str],
    reply_for: ReplyFor,
) -> Result<u16, LabError> {
    let (chain, key) = ca.leaf(names)?;
    tls_server(server_config(chain, key)?, move |mut tls| {
        let reply_for = reply_for.clone();
        async move {
            let head = read_request_head(&mut tls).await;
            let path = head
                .lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .unwrap_or("/");
            let host = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("host").then(|| v.trim())
                })
                .map(|h| h.rsplit_once(':').map_or(h, |(name, _)| name))
                .unwrap_or("");
            let _ = tls.write_all(&reply_for(host, path)).await;
            let _ = tls.shutdown().await;
        }
    })
}

/// An HTTPS origin for `names` whose certificate is wrong as `flaw` says;
/// it answers 200 to a client that goes on anyway.
pub fn flawed_tls_origin(ca: &LabCa, names: &[&str], flaw: TlsFlaw) -> Result<u16, LabError> {
    let (chain, key) = ca.flawed_leaf(names, flaw)?;
    tls_server(unchecked_server_config(chain, key)?, |mut tls| async move {
        let _ = read_request_head(&mut tls).await;
        let _ = tls
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
    })
}

/// An HTTPS origin that answers one byte every `every`: the response never
/// arrives within any sensible phase limit.
pub fn drip_origin(ca: &LabCa, names: &[&str], every: Duration) -> Result<u16, LabError> {
    let (chain, key) = ca.leaf(names)?;
    tls_server(server_config(chain, key)?, move |mut tls| async move {
        let _ = read_request_head(&mut tls).await;
        for b in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" {
            if tls.write_all(&[*b]).await.is_err() || tls.flush().await.is_err() {
                return;
            }
            tokio::time::sleep(every).await;
        }
    })
}

/// A proxy that accepts CONNECT with 200, then sends bytes that are not TLS.
pub fn garbage_proxy() -> Result<u16, LabError> {
    background(|listener| async move {
        while let Ok((mut client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = read_request_head(&mut client).await;
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                // Deterministic noise: a simple linear congruential sequence.
                let mut x: u32 = 0x1234_5678;
                let noise: Vec<u8> = (0..4096)
                    .map(|_| {
                        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                        (x >> 24) as u8
                    })
                    .collect();
                let _ = client.write_all(&noise).await;
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    })
}

/// A proxy whose answer to CONNECT is a header that never ends.
pub fn endless_header_proxy() -> Result<u16, LabError> {
    background(|listener| async move {
        while let Ok((mut client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = read_request_head(&mut client).await;
                if client.write_all(b"HTTP/1.1 200 OK\r\n").await.is_err() {
                    return;
                }
                let line = format!("X-Fill: {}\r\n", "a".repeat(1000));
                // Until the client hangs up.
                while client.write_all(line.as_bytes()).await.is_ok() {}
            });
        }
    })
}

/// Accepts connections and never answers (a black hole that still accepts).
pub fn silent_server() -> Result<u16, LabError> {
    background(|listener| async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    })
}

/// An IPv6 path that drops every packet, as a firewall blocking IPv6 does:
/// a listener on `[::1]:port` that never accepts, its one-place queue
/// filled by a connection of its own, so that the kernel drops every
/// further SYN and a client's connect waits until its own limit.
/// Dropped, the path is gone.
pub struct BlackHole {
    _listener: socket2::Socket,
    _filler: std::net::TcpStream,
}

impl BlackHole {
    /// Opens the black hole on `[::1]:port`.
    pub fn ipv6(port: u16) -> Result<Self, LabError> {
        use socket2::{Domain, Socket, Type};
        let address = std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, port));
        let listener = Socket::new(Domain::IPV6, Type::STREAM, None)?;
        listener.set_only_v6(true)?;
        listener.bind(&address.into())?;
        // A backlog of 0 holds one connection that was never accepted.
        listener.listen(0)?;
        let filler = std::net::TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
        Ok(Self {
            _listener: listener,
            _filler: filler,
        })
    }
}

/// A web server answering every request with `script` as a PAC file, as
/// an intranet server or a WPAD host does.
pub fn pac_server(script: String) -> Result<u16, LabError> {
    http_server(&format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-ns-proxy-autoconfig\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{script}",
        script.len()
    ))
}

/// A web server answering every request with `answer` (head and body),
/// then closing: a page, a redirect.
pub fn http_server(answer: &str) -> Result<u16, LabError> {
    let answer: Arc<[u8]> = Arc::from(answer.as_bytes());
    background(move |listener| async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let _ = read_request_head(&mut s).await;
                let _ = s.write_all(&answer).await;
            });
        }
    })
}

/// Answers one CONNECT on `client`: `name:port` targets known to `routes`
/// are joined to their local port, anything else gets a 403 with a
/// Squid-style error header.
async fn serve_connect<S>(mut client: S, routes: Arc<HashMap<String, u16>>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let head = read_request_head(&mut client).await;
    let target = head.split_whitespace().nth(1).unwrap_or("").to_owned();
    let Some(port) = routes.get(&target).copied() else {
        let _ = client
            .write_all(b"HTTP/1.1 403 Forbidden\r\nServer: lab-proxy\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    };
    let Ok(mut upstream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    };
    let _ = client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await;
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

/// A CONNECT proxy forwarding `name:port` targets to local ports; anything
/// else gets a 403 with a Squid-style error header.
pub fn connect_proxy(routes: HashMap<String, u16>) -> Result<u16, LabError> {
    background(move |listener| async move {
        let routes = Arc::new(routes);
        loop {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(serve_connect(client, routes.clone()));
        }
    })
}

/// The same CONNECT proxy reached over TLS (an "HTTPS proxy"), with a
/// certificate for `names` from `ca`.
pub fn tls_connect_proxy(
    ca: &LabCa,
    names: &[&str],
    routes: HashMap<String, u16>,
) -> Result<u16, LabError> {
    let (chain, key) = ca.leaf(names)?;
    let routes = Arc::new(routes);
    tls_server(server_config(chain, key)?, move |tls| {
        serve_connect(tls, routes.clone())
    })
}

/// A proxy that demands authentication: 407 with Basic, NTLM and Negotiate.
pub fn auth_proxy() -> Result<u16, LabError> {
    background(|listener| async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let _ = read_request_head(&mut client).await;
                let _ = client
                    .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"Lab Proxy\"\r\nProxy-Authenticate: NTLM\r\nProxy-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n")
                    .await;
            });
        }
    })
}

/// A proxy that accepts CONNECT and answers TLS itself with a certificate
/// for `names` issued by `ca`, as inspection products do.
pub fn intercepting_proxy(ca: &LabCa, names: &[&str]) -> Result<u16, LabError> {
    let (chain, key) = ca.leaf(names)?;
    let config = server_config(chain, key)?;
    background(move |listener| async move {
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = read_request_head(&mut client).await;
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                if let Ok(mut tls) = acceptor.accept(client).await {
                    let _ = read_request_head(&mut tls).await;
                    let _ = tls
                        .write_all(
                            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        )
                        .await;
                }
            });
        }
    })
}

/// What the lab DNS server says about a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsAnswer {
    /// An A record.
    Address(Ipv4Addr),
    /// The name exists but has no address of the asked type.
    NoData,
    /// An A record, sent this many milliseconds late.
    Late(u64, Ipv4Addr),
    /// A reply with the truncation bit and nothing else (the client must
    /// retry over TCP, where nothing listens).
    Truncated,
    /// A CNAME pointing at the name itself.
    CnameLoop,
    /// A reply announcing one record and cut inside it: no client can read it.
    Malformed,
}

/// A DNS server answering from `names` (lower-case; `*.suffix` entries
/// cover subdomains); other names get NXDOMAIN.
pub fn dns_server(names: HashMap<String, DnsAnswer>) -> Result<SocketAddr, LabError> {
    dns_server_delayed(names, Duration::ZERO)
}

/// The same server, sending every reply `delay` late (a slow upstream: the
/// recursive resolution of a real resolver), each query on its own clock.
pub fn dns_server_delayed(
    names: HashMap<String, DnsAnswer>,
    delay: Duration,
) -> Result<SocketAddr, LabError> {
    dns_server_shaped(names, delay, None)
}

/// The same server answering only while it was asked at most `per_second`
/// times in the last second (dropped queries count), as a resolver that
/// limits its clients' rate does.
pub fn dns_server_limited(
    names: HashMap<String, DnsAnswer>,
    per_second: u32,
) -> Result<SocketAddr, LabError> {
    dns_server_shaped(names, Duration::ZERO, Some(per_second))
}

fn dns_server_shaped(
    names: HashMap<String, DnsAnswer>,
    delay: Duration,
    per_second: Option<u32>,
) -> Result<SocketAddr, LabError> {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    let addr = socket.local_addr()?;
    // Replies wait in arrival order; with one delay for all, that is also
    // the order they fall due.
    let (delayed, due) = std::sync::mpsc::channel::<(std::time::Instant, Vec<u8>, SocketAddr)>();
    if !delay.is_zero() {
        let sender = socket.try_clone()?;
        std::thread::Builder::new()
            .name("pathprobe-lab-dns-delay".into())
            .spawn(move || {
                while let Ok((at, reply, to)) = due.recv() {
                    std::thread::sleep(at.saturating_duration_since(std::time::Instant::now()));
                    let _ = sender.send_to(&reply, to);
                }
            })?;
    }
    std::thread::Builder::new()
        .name("pathprobe-lab-dns".into())
        .spawn(move || {
            let mut buf = [0u8; 512];
            // When the queries of the last second came, answered or not: a
            // client that keeps asking faster than the limit gets nothing.
            let mut asked: std::collections::VecDeque<std::time::Instant> =
                std::collections::VecDeque::new();
            while let Ok((n, from)) = socket.recv_from(&mut buf) {
                let Some(query) = buf.get(..n) else { continue };
                if let Some(most) = per_second {
                    let now = std::time::Instant::now();
                    while asked
                        .front()
                        .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
                    {
                        asked.pop_front();
                    }
                    asked.push_back(now);
                    if asked.len() > most as usize {
                        continue;
                    }
                }
                let answer = lookup(query, &names);
                let Some(reply) = dns_reply(query, answer) else {
                    continue;
                };
                match answer {
                    Some(DnsAnswer::Late(ms, _)) => {
                        // Late answers must not hold up the others.
                        if let Ok(late) = socket.try_clone() {
                            std::thread::spawn(move || {
                                std::thread::sleep(Duration::from_millis(ms));
                                let _ = late.send_to(&reply, from);
                            });
                        }
                    }
                    _ if !delay.is_zero() => {
                        let _ = delayed.send((std::time::Instant::now() + delay, reply, from));
                    }
                    _ => {
                        let _ = socket.send_to(&reply, from);
                    }
                }
            }
        })?;
    Ok(addr)
}

/// The configured answer for a query's name, if any.
fn lookup(query: &[u8], names: &HashMap<String, DnsAnswer>) -> Option<DnsAnswer> {
    let (labels, _) = question(query)?;
    let name = labels.join(".");
    names.get(&name).copied().or_else(|| {
        (1..labels.len()).find_map(|k| {
            names
                .get(&format!("*.{}", labels.get(k..)?.join(".")))
                .copied()
        })
    })
}

/// The question's labels and where its name ends.
fn question(query: &[u8]) -> Option<(Vec<String>, usize)> {
    let mut labels = Vec::new();
    let mut i = 12usize;
    loop {
        let len = usize::from(*query.get(i)?);
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(query.get(i + 1..i + 1 + len)?).to_ascii_lowercase());
        i += len + 1;
    }
    Some((labels, i))
}

/// The answer to one query: header and question kept (EDNS dropped), an A
/// record, no data, NXDOMAIN, or one of the hostile answers.
fn dns_reply(query: &[u8], answer: Option<DnsAnswer>) -> Option<Vec<u8>> {
    let (_, i) = question(query)?;
    let qtype = query.get(i + 1..i + 3)?;
    let is_a = qtype == [0, 1];
    let mut reply = query.get(..i + 5)?.to_vec();
    let rcode = if answer.is_some() { 0x80 } else { 0x83 };
    for (at, value) in [
        (2, 0x81),
        (3, rcode),
        (6, 0),
        (7, 0),
        (8, 0),
        (9, 0),
        (10, 0),
        (11, 0),
    ] {
        *reply.get_mut(at)? = value;
    }
    match (answer, is_a) {
        (Some(DnsAnswer::Address(ip) | DnsAnswer::Late(_, ip)), true) => {
            *reply.get_mut(7)? = 1;
            reply.extend_from_slice(&[0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
            reply.extend_from_slice(&ip.octets());
        }
        (Some(DnsAnswer::Truncated), _) => {
            *reply.get_mut(2)? |= 0x02;
        }
        (Some(DnsAnswer::Malformed), _) => {
            *reply.get_mut(7)? = 1;
            // NAME, then the type's first byte, and nothing after it.
            reply.extend_from_slice(&[0xC0, 0x0C, 0]);
        }
        (Some(DnsAnswer::CnameLoop), _) => {
            *reply.get_mut(7)? = 1;
            // NAME (the question's), CNAME, IN, TTL 60, RDATA: the same name.
            reply.extend_from_slice(&[0xC0, 0x0C, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xC0, 0x0C]);
        }
        _ => {}
    }
    Some(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(query: &[u8], names: &HashMap<String, DnsAnswer>) -> Option<Vec<u8>> {
        dns_reply(query, lookup(query, names))
    }

    fn query(name: &str, qtype: u8) -> Vec<u8> {
        let mut q = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1];
        for label in name.split('.') {
            q.push(u8::try_from(label.len()).unwrap());
            q.extend_from_slice(label.as_bytes());
        }
        q.extend_from_slice(&[0, 0, qtype, 0, 1]);
        q.extend_from_slice(&[0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0]); // EDNS
        q
    }

    #[test]
    fn dns_answers_names_wildcards_and_nxdomain() {
        let names = HashMap::from([
            (
                "svc.lab.test".to_owned(),
                DnsAnswer::Address(Ipv4Addr::LOCALHOST),
            ),
            (
                "*.bench.test".to_owned(),
                DnsAnswer::Address(Ipv4Addr::new(127, 0, 0, 2)),
            ),
        ]);
        let r = reply(&query("svc.lab.test", 1), &names).unwrap();
        assert_eq!((r[3], r[7]), (0x80, 1));
        assert_eq!(&r[r.len() - 4..], &[127, 0, 0, 1]);
        let r = reply(&query("e7.bench.test", 1), &names).unwrap();
        assert_eq!(&r[r.len() - 4..], &[127, 0, 0, 2]);
        let r = reply(&query("svc.lab.test", 28), &names).unwrap();
        assert_eq!((r[3], r[7]), (0x80, 0), "AAAA: no data");
        let r = reply(&query("other.lab.test", 1), &names).unwrap();
        assert_eq!(r[3], 0x83, "NXDOMAIN");
        assert_eq!(r[11], 0, "EDNS dropped");
        assert!(reply(&[1, 2, 3], &names).is_none());
    }
}
