//! The lab's loopback servers (`pathprobe::lab::servers`) with the
//! signatures tests want: a server that cannot start fails the test at once.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use pathprobe::lab::servers::{self, LabCa};

/// A certificate authority for tests.
pub struct TestCa(LabCa);

impl TestCa {
    /// A CA whose names are `name` (an inspection product's name makes it look like one).
    pub fn new(name: &str) -> Self {
        match LabCa::new(name) {
            Ok(ca) => Self(ca),
            Err(e) => panic!("lab CA: {e}"),
        }
    }

    /// The CA certificate, PEM.
    pub fn pem(&self) -> &str {
        &self.0.pem
    }

    /// The CA's private key, PEM.
    pub fn key_pem(&self) -> &str {
        &self.0.key_pem
    }

    /// Writes a leaf for `names` signed by this CA: the chain (leaf, then
    /// the CA) and the key, PEM, for a real server such as squid.
    pub fn write_leaf(&self, names: &[&str], chain: &std::path::Path, key: &std::path::Path) {
        use base64::Engine as _;
        let pem = |label: &str, der: &[u8]| {
            let b64 = base64::engine::general_purpose::STANDARD.encode(der);
            let lines: Vec<&str> = b64
                .as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).unwrap_or_default())
                .collect();
            format!(
                "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
                lines.join("\n")
            )
        };
        let (certs, key_der) = match self.0.leaf(names) {
            Ok(leaf) => leaf,
            Err(e) => panic!("lab leaf: {e}"),
        };
        let chain_pem: String = certs
            .iter()
            .map(|c| pem("CERTIFICATE", c.as_ref()))
            .collect();
        if let Err(e) = std::fs::write(chain, chain_pem)
            .and_then(|()| std::fs::write(key, pem("PRIVATE KEY", key_der.secret_der())))
        {
            panic!("writing the leaf: {e}");
        }
    }

    /// Writes the CA certificate to `path` (for `--ca-cert`).
    pub fn write_pem(&self, path: &std::path::Path) {
        if let Err(e) = self.0.write_pem(path) {
            panic!("writing the CA: {e}");
        }
    }

    /// Writes the CA certificate to `ca.pem` in `dir` and returns its path
    /// (for `--ca-cert`).
    pub fn pem_in(&self, dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("ca.pem");
        self.write_pem(&path);
        path
    }
}

fn started<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

/// An HTTPS origin answering every request with `status`.
pub fn tls_origin(ca: &TestCa, names: &[&str], status: u16) -> u16 {
    started(
        "TLS origin",
        servers::tls_origin(&ca.0, names, status, Duration::ZERO),
    )
}

/// An HTTPS origin answering `status_for(host, path)`.
pub fn tls_origin_answering(
    ca: &TestCa,
    names: &[&str],
    status_for: impl Fn(&str, &str) -> u16 + Send + Sync + 'static,
) -> u16 {
    started(
        "TLS origin",
        servers::tls_origin_answering(&ca.0, names, std::sync::Arc::new(status_for)),
    )
}

/// An HTTPS origin answering with the whole reply `reply_for(host, path)`
/// gives, head and body.
pub fn tls_origin_replying(
    ca: &TestCa,
    names: &[&str],
    reply_for: impl Fn(&str, &str) -> Vec<u8> + Send + Sync + 'static,
) -> u16 {
    started(
        "TLS origin",
        servers::tls_origin_replying(&ca.0, names, std::sync::Arc::new(reply_for)),
    )
}

/// An HTTPS origin that waits `delay` before answering 200.
pub fn slow_tls_origin(ca: &TestCa, names: &[&str], delay: Duration) -> u16 {
    started(
        "slow TLS origin",
        servers::tls_origin(&ca.0, names, 200, delay),
    )
}

pub use servers::{DnsAnswer, TlsFlaw};

/// A DNS server answering `names` as given (others: NXDOMAIN).
pub fn dns_server_with(names: HashMap<String, DnsAnswer>) -> SocketAddr {
    started("DNS server", servers::dns_server(names))
}

/// The same server, answering at most `per_second` queries in each second
/// and dropping the rest (a resolver limiting its clients' rate).
pub fn dns_server_limited(names: HashMap<String, DnsAnswer>, per_second: u32) -> SocketAddr {
    started("DNS server", servers::dns_server_limited(names, per_second))
}

/// The same server, answering every query `delay` late (a slow upstream).
pub fn dns_server_delayed(names: HashMap<String, DnsAnswer>, delay: Duration) -> SocketAddr {
    started("DNS server", servers::dns_server_delayed(names, delay))
}

/// An HTTPS origin whose certificate is wrong as `flaw` says.
pub fn flawed_tls_origin(ca: &TestCa, names: &[&str], flaw: TlsFlaw) -> u16 {
    started(
        "flawed TLS origin",
        servers::flawed_tls_origin(&ca.0, names, flaw),
    )
}

/// An HTTPS origin that answers one byte every `every`.
pub fn drip_origin(ca: &TestCa, names: &[&str], every: Duration) -> u16 {
    started("drip origin", servers::drip_origin(&ca.0, names, every))
}

/// A proxy that answers CONNECT with 200 and then garbage instead of TLS.
pub fn garbage_proxy() -> u16 {
    started("garbage proxy", servers::garbage_proxy())
}

/// A proxy whose answer to CONNECT is a header that never ends.
pub fn endless_header_proxy() -> u16 {
    started("endless-header proxy", servers::endless_header_proxy())
}

/// Accepts connections and never answers.
pub fn silent_server() -> u16 {
    started("silent server", servers::silent_server())
}

/// A CONNECT proxy mapping `name:port` targets to local ports; others get 403.
pub fn connect_proxy(routes: HashMap<String, u16>) -> u16 {
    started("CONNECT proxy", servers::connect_proxy(routes))
}

/// The same CONNECT proxy reached over TLS, with a certificate for `names` from `ca`.
pub fn tls_connect_proxy(ca: &TestCa, names: &[&str], routes: HashMap<String, u16>) -> u16 {
    started(
        "HTTPS proxy",
        servers::tls_connect_proxy(&ca.0, names, routes),
    )
}

/// A proxy that answers 407 with Basic, NTLM and Negotiate.
pub fn auth_proxy() -> u16 {
    started("authenticating proxy", servers::auth_proxy())
}

/// A proxy that re-signs TLS for `names` with `ca`.
pub fn intercepting_proxy(ca: &TestCa, names: &[&str]) -> u16 {
    started(
        "intercepting proxy",
        servers::intercepting_proxy(&ca.0, names),
    )
}

/// A DNS server: `sink.lab.test` resolves to 0.0.0.0, everything else is NXDOMAIN.
pub fn dns_server() -> SocketAddr {
    started(
        "DNS server",
        servers::dns_server(HashMap::from([(
            "sink.lab.test".to_owned(),
            DnsAnswer::Address(Ipv4Addr::UNSPECIFIED),
        )])),
    )
}

/// A DNS server answering 127.0.0.1 for every name under `bench.test`.
pub fn dns_server_loopback() -> SocketAddr {
    started(
        "DNS server",
        servers::dns_server(HashMap::from([(
            "*.bench.test".to_owned(),
            DnsAnswer::Address(Ipv4Addr::LOCALHOST),
        )])),
    )
}

/// A small lab of direct HTTPS endpoints, the usual cast of the report and
/// metrics tests: one ok, one refused, one unknown name and, if asked, one
/// with a chain from an unknown issuer.
pub struct SmallLab {
    /// Holds the catalog and the CA file.
    pub dir: tempfile::TempDir,
    /// The probe options for this lab (catalog first), without a subcommand.
    pub args: Vec<String>,
    /// The URL that works.
    pub ok_url: String,
}

impl SmallLab {
    /// Starts the servers and writes the catalog.
    pub fn new(with_untrusted: bool) -> Self {
        let ca = TestCa::new("pathprobe small lab CA");
        let ok = tls_origin(&ca, &["ok.lab.test"], 200);
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("a free port: {e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let ca_file = dir.path().join("ca.pem");
        ca.write_pem(&ca_file);
        let ok_url = format!("https://ok.lab.test:{ok}/");
        let mut urls = vec![
            ok_url.clone(),
            format!("https://closed.lab.test:{closed}/"),
            "https://missing.lab.test/".to_owned(),
        ];
        let mut names = vec!["ok.lab.test", "closed.lab.test"];
        if with_untrusted {
            let stranger = TestCa::new("Unknown Issuer CA");
            let port = tls_origin(&stranger, &["untrusted.lab.test"], 200);
            urls.push(format!("https://untrusted.lab.test:{port}/"));
            names.push("untrusted.lab.test");
        }
        let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
        let catalog = crate::write_catalog(dir.path(), &refs);
        let mut args: Vec<String> = [
            catalog.to_string_lossy().as_ref(),
            "--only-given",
            "--no-env",
            "--direct",
            "--dns-server",
            &dns_server().to_string(),
            "--phase-timeout",
            "3",
            "--ca-cert",
            ca_file.to_string_lossy().as_ref(),
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        for n in names {
            args.push("--resolve".into());
            args.push(format!("{n}=127.0.0.1"));
        }
        Self { dir, args, ok_url }
    }

    /// `pathprobe COMMAND <lab options> EXTRA...`.
    pub fn run(&self, command: &str, extra: &[&str]) -> std::process::Output {
        let mut args: Vec<&str> = vec![command];
        args.extend(self.args.iter().map(String::as_str));
        args.extend_from_slice(extra);
        crate::run_with_env(args, &[])
    }
}
