//! Small loopback servers for end-to-end tests of `pathprobe check`: TLS
//! origins with a test CA, a CONNECT proxy, an authenticating proxy, an
//! intercepting proxy that re-signs with its own CA, and a DNS server that
//! answers NXDOMAIN or sinkhole addresses. Each runs on its own thread with
//! its own runtime and lives as long as the test process.

// Test support: a failure here is a failed test, said loudly.
#![allow(clippy::indexing_slicing, clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A certificate authority for tests.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate, PEM.
    pub pem: String,
    /// The CA's private key, PEM (for peers such as mitmproxy that sign with it).
    pub key_pem: String,
    der: CertificateDer<'static>,
}

impl TestCa {
    /// A CA whose common name is `name` (an interception product's name makes
    /// it look like that product's CA).
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name.push(DnType::CommonName, name);
        params
            .distinguished_name
            .push(DnType::OrganizationName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("key");
        let cert = params.self_signed(&key).expect("self-signed");
        Self {
            key_pem: key.serialize_pem(),
            pem: cert.pem(),
            der: cert.der().clone(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A leaf for `names`, with its chain (leaf, CA) and key.
    pub fn leaf(&self, names: &[&str]) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
        let params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
                .expect("params");
        let key = KeyPair::generate().expect("key");
        let cert = params.signed_by(&key, &self.issuer).expect("signed");
        let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        (vec![cert.der().clone(), self.der.clone()], key_der)
    }

    /// Writes the CA certificate to `path` (for `--ca-cert`).
    pub fn write_pem(&self, path: &std::path::Path) {
        std::fs::write(path, &self.pem).expect("write CA");
    }
}

fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Arc<rustls::ServerConfig> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server config"),
    )
}

/// Runs `f` on a new thread with its own runtime; returns once `f` has bound.
fn background<F, Fut>(f: F) -> u16
where
    F: FnOnce(TcpListener) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let _ = tx.send(listener.local_addr().expect("addr").port());
            f(listener).await;
        });
    });
    rx.recv().expect("server started")
}

async fn read_request_head(s: &mut (impl AsyncReadExt + Unpin)) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && buf.len() < 16 * 1024 {
        match s.read(&mut byte).await {
            Ok(1) => buf.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// An HTTPS origin answering every request with `status`.
pub fn tls_origin(ca: &TestCa, names: &[&str], status: u16) -> u16 {
    let (chain, key) = ca.leaf(names);
    let config = server_config(chain, key);
    background(move |listener| async move {
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let _ = read_request_head(&mut tls).await;
                    let _ = tls
                        .write_all(format!("HTTP/1.1 {status} Answer\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").as_bytes())
                        .await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    })
}

/// An HTTPS origin for every name in `names` (wildcards allowed) that waits
/// `delay` before answering 200: a slow service, for concurrency benchmarks.
pub fn slow_tls_origin(ca: &TestCa, names: &[&str], delay: std::time::Duration) -> u16 {
    let (chain, key) = ca.leaf(names);
    let config = server_config(chain, key);
    background(move |listener| async move {
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let _ = read_request_head(&mut tls).await;
                    tokio::time::sleep(delay).await;
                    let _ = tls
                        .write_all(
                            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                        )
                        .await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    })
}

/// A DNS server answering every A question with 127.0.0.1 (and AAAA with nothing).
pub fn dns_server_loopback() -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = socket.local_addr().expect("addr");
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            if n < 12 {
                continue;
            }
            let query = &buf[..n];
            let mut end = 12;
            while end < n && query[end] != 0 {
                end += usize::from(query[end]) + 1;
            }
            let question_end = (end + 5).min(n);
            let is_a = query.get(end + 1..end + 3) == Some(&[0, 1][..]);
            let mut reply = query[..question_end].to_vec();
            reply[2] = 0x81;
            reply[3] = 0x80;
            reply[8] = 0;
            reply[9] = 0;
            reply[10] = 0;
            reply[11] = 0;
            if is_a {
                reply[6] = 0;
                reply[7] = 1;
                reply.extend_from_slice(&[0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1]);
            }
            let _ = socket.send_to(&reply, from);
        }
    });
    addr
}

/// A CONNECT proxy that maps names to loopback ports (`name:port` → local port).
pub fn connect_proxy(routes: HashMap<String, u16>) -> u16 {
    background(move |listener| async move {
        let routes = Arc::new(routes);
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            let routes = routes.clone();
            tokio::spawn(async move {
                let head = read_request_head(&mut client).await;
                let target = head.split_whitespace().nth(1).unwrap_or("").to_owned();
                let Some(port) = routes.get(&target).copied() else {
                    let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\nServer: lab-proxy\r\nContent-Length: 0\r\n\r\n").await;
                    return;
                };
                let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", port)).await else {
                    let _ = client
                        .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                        .await;
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    })
}

/// A proxy that demands authentication: 407 with Basic, NTLM and Negotiate.
pub fn auth_proxy() -> u16 {
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

/// A proxy that accepts CONNECT and answers TLS itself, with a certificate
/// for the requested name issued by `ca` (as inspection products do).
pub fn intercepting_proxy(ca: &TestCa, names: &[&str]) -> u16 {
    let (chain, key) = ca.leaf(names);
    let config = server_config(chain, key);
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

/// A DNS server: names containing "sink" get 0.0.0.0, everything else NXDOMAIN.
pub fn dns_server() -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = socket.local_addr().expect("addr");
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            if n < 12 {
                continue;
            }
            let query = &buf[..n];
            // Keep the header and the question only (drop EDNS and the like).
            let mut end = 12;
            while end < n && query[end] != 0 {
                end += usize::from(query[end]) + 1;
            }
            let question_end = (end + 5).min(n);
            let qtype = query.get(end + 1..end + 3).unwrap_or(&[0, 0]).to_vec();
            let name_lower = String::from_utf8_lossy(&query[12..end.min(n)]).to_ascii_lowercase();
            let mut reply = query[..question_end].to_vec();
            reply[2] = 0x81;
            reply[10] = 0;
            reply[11] = 0;
            reply[8] = 0;
            reply[9] = 0;
            if name_lower.contains("sink") {
                reply[3] = 0x80;
                if qtype == [0, 1] {
                    reply[6] = 0;
                    reply[7] = 1;
                    reply.extend_from_slice(&[
                        0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 0, 0, 0, 0,
                    ]);
                }
            } else {
                // NXDOMAIN.
                reply[3] = 0x83;
            }
            let _ = socket.send_to(&reply, from);
        }
    });
    addr
}
