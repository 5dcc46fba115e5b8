//! TLS with the whole presented chain captured and judged three ways.
//!
//! The handshake itself accepts any chain (so that an intercepting proxy's
//! chain can be seen and named), while recording what the public roots, the
//! `--ca-cert` anchors and the operating system's store each say about it.
//! Nothing is sent over a chain that failed, except with `--insecure-read`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pathprobe_reports::{CertificateInfo, TlsInfo, Verification};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{
    WebPkiServerVerifier, verify_server_cert_signed_by_trust_anchor, verify_server_name,
};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

/// One set of trust anchors, judging chains.
///
/// Whether a chain leads to an anchor does not depend on the host name, so the
/// answer is remembered per chain: endpoints that share a certificate (one
/// wildcard certificate for many hosts is common) are verified once. The
/// host name is still checked on every connection, and a remembered answer is
/// used only within [`CHAIN_MEMORY`] of when it was found.
#[derive(Debug)]
struct Anchors {
    roots: Arc<RootCertStore>,
    verifier: Arc<WebPkiServerVerifier>,
    algorithms: WebPkiSupportedAlgorithms,
    memory: Mutex<ChainMemory>,
}

/// Chain (leaf first) → when it was judged (Unix seconds) and the verdict.
type ChainMemory = HashMap<Vec<CertificateDer<'static>>, (u64, Result<(), ChainProblem>)>;

/// How long a chain's verification is reused.
const CHAIN_MEMORY: Duration = Duration::from_secs(60);
/// Chains remembered at most per store (then the memory starts afresh).
const CHAIN_MEMORY_ENTRIES: usize = 4096;

impl Anchors {
    fn new(roots: RootCertStore) -> Option<Self> {
        if roots.is_empty() {
            return None;
        }
        let roots = Arc::new(roots);
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let algorithms = provider.signature_verification_algorithms;
        let verifier = WebPkiServerVerifier::builder_with_provider(roots.clone(), provider)
            .build()
            .ok()?;
        Some(Self {
            roots,
            verifier,
            algorithms,
            memory: Mutex::new(HashMap::new()),
        })
    }

    /// The chain's verdict for `server_name` at `now`.
    fn judge(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<(), ChainProblem> {
        let cert = ParsedCertificate::try_from(end_entity).map_err(ChainProblem::from)?;
        let mut key = Vec::with_capacity(intermediates.len() + 1);
        key.push(end_entity.clone().into_owned());
        key.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        let remembered = self.memory.lock().ok().and_then(|m| {
            m.get(&key)
                .filter(|(at, _)| now.as_secs().abs_diff(*at) < CHAIN_MEMORY.as_secs())
                .map(|(_, r)| r.clone())
        });
        let chain = match remembered {
            Some(r) => r,
            None => {
                let r = verify_server_cert_signed_by_trust_anchor(
                    &cert,
                    &self.roots,
                    intermediates,
                    now,
                    self.algorithms.all,
                )
                .map_err(ChainProblem::from);
                if let Ok(mut m) = self.memory.lock() {
                    if m.len() >= CHAIN_MEMORY_ENTRIES {
                        m.clear();
                    }
                    m.insert(key, (now.as_secs(), r.clone()));
                }
                r
            }
        };
        chain?;
        verify_server_name(&cert, server_name).map_err(ChainProblem::from)
    }
}

/// Why a store refuses a chain, in words for people (rustls names its
/// reasons in Rust: `UnknownIssuer`, `NotValidForNameContext { .. }`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainProblem {
    /// No anchor of the store issued the chain.
    #[error("issued by a CA this store does not trust (unknown issuer)")]
    UnknownIssuer,
    /// A certificate's validity ended.
    #[error("expired{0}")]
    Expired(String),
    /// A certificate's validity has not begun (or the clock is behind).
    #[error("not valid yet{0}")]
    NotValidYet(String),
    /// The leaf does not name the host asked for.
    #[error("not valid for name{0}")]
    WrongName(String),
    /// A signature in the chain does not verify.
    #[error("a signature in the chain does not verify")]
    BadSignature,
    /// The chain uses a signature algorithm not accepted here.
    #[error("a signature algorithm of the chain is not supported")]
    UnsupportedAlgorithm,
    /// A certificate is not for TLS servers.
    #[error("a certificate of the chain is not issued for TLS servers")]
    WrongPurpose,
    /// A certificate was revoked.
    #[error("revoked")]
    Revoked,
    /// A certificate cannot be read.
    #[error("a certificate of the chain cannot be read")]
    BadEncoding,
    /// Anything else, as the TLS library says it.
    #[error("{0}")]
    Other(String),
}

impl From<rustls::Error> for ChainProblem {
    fn from(e: rustls::Error) -> Self {
        use rustls::CertificateError as C;
        let rustls::Error::InvalidCertificate(c) = &e else {
            return Self::Other(e.to_string());
        };
        let at = |t: &UnixTime| {
            jiff::Timestamp::from_second(i64::try_from(t.as_secs()).unwrap_or(i64::MAX))
                .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default()
        };
        match c {
            C::UnknownIssuer => Self::UnknownIssuer,
            C::Expired => Self::Expired(String::new()),
            C::ExpiredContext { not_after, .. } => Self::Expired(format!(" on {}", at(not_after))),
            C::NotValidYet => Self::NotValidYet(String::new()),
            C::NotValidYetContext { not_before, .. } => {
                Self::NotValidYet(format!(" (valid from {})", at(not_before)))
            }
            C::NotValidForName => Self::WrongName(String::new()),
            C::NotValidForNameContext {
                expected,
                presented,
            } => Self::WrongName(format!(
                " {} (it names {})",
                server_name_text(expected),
                if presented.is_empty() {
                    "no name".to_owned()
                } else {
                    presented
                        .iter()
                        .map(|n| presented_name(n))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )),
            C::BadSignature => Self::BadSignature,
            C::UnsupportedSignatureAlgorithmContext { .. }
            | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
                Self::UnsupportedAlgorithm
            }
            C::InvalidPurpose | C::InvalidPurposeContext { .. } => Self::WrongPurpose,
            C::Revoked => Self::Revoked,
            C::BadEncoding => Self::BadEncoding,
            C::UnhandledCriticalExtension => Self::Other(
                "a certificate of the chain holds a critical extension this client does not know"
                    .into(),
            ),
            // webpki's reasons come wrapped (`Other(OtherError(CaUsedAsEndEntity))`):
            // the innermost name, in words.
            other => Self::Other(words(innermost(&format!("{other:?}")))),
        }
    }
}

/// A failed handshake in words: rustls names its errors in Rust
/// (`BadSignature`, `AlertReceived(HandshakeFailure)`).
pub fn describe_error(tls: &rustls::Error) -> String {
    match tls {
        rustls::Error::InvalidCertificate(rustls::CertificateError::BadSignature) => {
            "the server's handshake signature does not verify with its certificate's key (a private key that is not the certificate's, or a key this client refuses, such as RSA shorter than 2048 bits)".into()
        }
        rustls::Error::InvalidCertificate(_) => {
            format!("the server's certificate: {}", ChainProblem::from(tls.clone()))
        }
        rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired) => {
            "the server requires a client certificate (mutual TLS), and this client has none to give".into()
        }
        rustls::Error::AlertReceived(alert) => {
            format!("the server sent the TLS alert \"{}\"", words(&format!("{alert:?}")))
        }
        rustls::Error::PeerIncompatible(why) => {
            format!("the server is incompatible: {}", words(&format!("{why:?}")))
        }
        rustls::Error::PeerMisbehaved(why) => {
            format!("the server broke the protocol: {}", words(&format!("{why:?}")))
        }
        rustls::Error::InvalidMessage(why) => format!(
            "the server sent an invalid TLS message: {}",
            words(&format!("{why:?}"))
        ),
        rustls::Error::General(text) => text.clone(),
        other => words(innermost(&format!("{other:?}"))),
    }
}

/// `TLSv1_3` as people write it.
pub fn version_name(version: rustls::ProtocolVersion) -> String {
    match version {
        rustls::ProtocolVersion::TLSv1_3 => "TLS 1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLS 1.2".into(),
        rustls::ProtocolVersion::TLSv1_1 => "TLS 1.1".into(),
        rustls::ProtocolVersion::TLSv1_0 => "TLS 1.0".into(),
        other => words(&format!("{other:?}")),
    }
}

/// A Rust name (`HandshakeFailure`, `UnexpectedEof(x)`) as lower-case words.
fn words(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push(' ');
        }
        if matches!(c, '(' | ')' | '{' | '}' | '"' | '_') {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            previous_lower = false;
            continue;
        }
        previous_lower = c.is_ascii_lowercase();
        out.push(c.to_ascii_lowercase());
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name a certificate presents, as people write it: rustls gives them as
/// Rust text (`DnsName("*.a.test")`, `IpAddress(127.0.0.1)`).
fn presented_name(text: &str) -> String {
    match (text.find('"'), text.rfind('"')) {
        (Some(first), Some(last)) if last > first => {
            text.get(first + 1..last).unwrap_or(text).to_owned()
        }
        _ => innermost(text).to_owned(),
    }
}

/// The innermost of nested Rust text: `Other(OtherError(CaUsedAsEndEntity))`
/// → `CaUsedAsEndEntity`, `IpAddress(127.0.0.1)` → `127.0.0.1`.
fn innermost(text: &str) -> &str {
    let inner = text.rsplit_once('(').map_or(text, |(_, rest)| rest);
    inner.trim_end_matches(')')
}

/// A server name as people write it.
fn server_name_text(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(d) => d.as_ref().to_owned(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => "the name asked for".to_owned(),
    }
}

/// The three sets of trust anchors. The OS store is read the first time a
/// chain needs it: most runs never do, as public roots accept their chains.
#[derive(Debug)]
pub struct TrustStores {
    public: Anchors,
    extra: Option<Anchors>,
    os: std::sync::OnceLock<Option<Anchors>>,
}

impl TrustStores {
    /// Public roots (webpki) and the given extra anchors; the OS store later.
    pub fn load(extra: &[CertificateDer<'static>]) -> anyhow::Result<Self> {
        let mut public = RootCertStore::empty();
        let (added, _) = public
            .add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned());
        anyhow::ensure!(added > 0, "no public root certificates could be loaded");
        let public = Anchors::new(public)
            .ok_or_else(|| anyhow::anyhow!("cannot build the public verifier"))?;
        let mut extra_roots = RootCertStore::empty();
        extra_roots.add_parsable_certificates(extra.iter().cloned());
        Ok(Self {
            public,
            extra: Anchors::new(extra_roots),
            os: std::sync::OnceLock::new(),
        })
    }

    /// The OS store's anchors (`None` when the store cannot be read or is empty).
    fn os(&self) -> Option<&Anchors> {
        self.os
            .get_or_init(|| {
                let mut roots = RootCertStore::empty();
                roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                Anchors::new(roots)
            })
            .as_ref()
    }
}

/// What one handshake captured.
#[derive(Debug, Default, Clone)]
pub struct Captured {
    /// Leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// Public roots.
    pub public: Option<Result<(), ChainProblem>>,
    /// `--ca-cert` anchors (None when none were given).
    pub extra: Option<Result<(), ChainProblem>>,
    /// OS store (None when it could not be loaded).
    pub os: Option<Result<(), ChainProblem>>,
}

/// A verifier that records instead of refusing.
#[derive(Debug)]
pub struct Capture {
    stores: Arc<TrustStores>,
    /// What the handshake presented and how each store judged it.
    pub captured: Mutex<Captured>,
}

impl Capture {
    /// A fresh capture for one connection.
    pub fn new(stores: Arc<TrustStores>) -> Arc<Self> {
        Arc::new(Self {
            stores,
            captured: Mutex::new(Captured::default()),
        })
    }

    /// A copy of what was captured.
    pub fn get(&self) -> Captured {
        self.captured.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // Stapled OCSP responses are not judged: no store here carries CRLs
        // or asks for revocation checks.
        let _ = ocsp_response;
        let judge = |a: &Anchors| a.judge(end_entity, intermediates, server_name, now);
        let mut chain = vec![end_entity.clone().into_owned()];
        chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        // The other stores only matter when the public roots refuse the chain.
        let public = judge(&self.stores.public);
        let (extra, os) = if public.is_ok() {
            (None, None)
        } else {
            let extra = self.stores.extra.as_ref().map(judge);
            let os = if matches!(extra, Some(Ok(()))) {
                None
            } else {
                self.stores.os().map(judge)
            };
            (extra, os)
        };
        if let Ok(mut c) = self.captured.lock() {
            *c = Captured {
                chain,
                public: Some(public),
                extra,
                os,
            };
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.stores
            .public
            .verifier
            .verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.stores
            .public
            .verifier
            .verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.stores.public.verifier.supported_verify_schemes()
    }
}

/// A client configuration using `capture`, offering `alpn`.
pub fn client_config(capture: Arc<Capture>, alpn: &[&[u8]]) -> rustls::ClientConfig {
    let mut config = rustls::ClientConfig::builder()
        .dangerous()
        .with_custom_certificate_verifier(capture)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    config
}

/// How the chain was judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// Public roots accept it.
    Public,
    /// A `--ca-cert` anchor accepts it (an expected private issuer).
    Expected,
    /// Only the OS store accepts it: a locally installed CA re-signed it.
    OsOnly,
    /// Nothing accepts it: why, and whether that is only that no store
    /// knows the issuer (a store that knows it found something else wrong:
    /// expired, another host name).
    None {
        /// The most telling reason.
        why: String,
        /// No store knows the issuer, and nothing else was found wrong.
        unknown_issuer: bool,
    },
}

/// The verdict on a capture.
pub fn trust_of(c: &Captured) -> Trust {
    if matches!(c.public, Some(Ok(()))) {
        Trust::Public
    } else if matches!(c.extra, Some(Ok(()))) {
        Trust::Expected
    } else if matches!(c.os, Some(Ok(()))) {
        Trust::OsOnly
    } else {
        // The most telling reason: a store that knows the issuer says what
        // else is wrong (expired, another host name); "unknown issuer" from
        // the others says less.
        let reasons = [&c.extra, &c.os, &c.public];
        let specific = reasons.iter().find_map(|r| match r {
            Some(Err(e)) if *e != ChainProblem::UnknownIssuer => Some(e.to_string()),
            _ => None,
        });
        Trust::None {
            unknown_issuer: specific.is_none(),
            why: specific.unwrap_or_else(|| match &c.public {
                Some(Err(e)) => e.to_string(),
                _ => "no certificate was presented".into(),
            }),
        }
    }
}

/// Known TLS inspection products, by a word their CA names carry.
const INSPECTION_PRODUCTS: &[(&str, &str)] = &[
    ("zscaler", "Zscaler"),
    ("palo alto", "Palo Alto Networks"),
    ("pan-fw", "Palo Alto Networks"),
    ("fortinet", "Fortinet FortiGate"),
    ("fortigate", "Fortinet FortiGate"),
    ("blue coat", "Blue Coat / Symantec ProxySG"),
    ("bluecoat", "Blue Coat / Symantec ProxySG"),
    ("proxysg", "Blue Coat / Symantec ProxySG"),
    ("symantec ssl visibility", "Symantec SSL Visibility"),
    ("cisco umbrella", "Cisco Umbrella"),
    ("opendns", "Cisco Umbrella"),
    ("netskope", "Netskope"),
    ("forcepoint", "Forcepoint"),
    ("websense", "Forcepoint"),
    ("sophos", "Sophos"),
    ("check point", "Check Point"),
    ("checkpoint", "Check Point"),
    ("mcafee", "McAfee / Skyhigh"),
    ("skyhigh", "McAfee / Skyhigh"),
    ("mitmproxy", "mitmproxy"),
    ("kaspersky", "Kaspersky"),
    ("eset", "ESET"),
    ("avast", "Avast"),
    ("avg ", "AVG"),
    ("bitdefender", "Bitdefender"),
    ("barracuda", "Barracuda"),
    ("squid", "Squid ssl-bump"),
    ("untangle", "Untangle"),
    ("watchguard", "WatchGuard"),
    ("sonicwall", "SonicWall"),
    ("cloudflare gateway", "Cloudflare Gateway"),
];

/// The inspection product a CA name points to, if any. Names are matched
/// as whole words: "passwordreset" holds no ESET, "Presets Inc" none either.
pub fn inspection_product(issuer: &str) -> Option<&'static str> {
    let words = |text: &str| {
        let mut joined = String::from(" ");
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            joined.push_str(&word.to_lowercase());
            joined.push(' ');
        }
        joined
    };
    let name = words(issuer);
    INSPECTION_PRODUCTS
        .iter()
        .find(|(needle, _)| name.contains(&words(needle)))
        .map(|(_, product)| *product)
}

/// The inspection product that issued a presented chain: read from the
/// issuers only, never from what a certificate says of itself, and never
/// from a self-signed leaf (a product re-signs with its own CA, so the
/// leaf's issuer differs from its subject).
pub fn chain_product(chain: &[CertificateInfo]) -> Option<&'static str> {
    chain
        .iter()
        .enumerate()
        .filter(|(i, c)| *i > 0 || c.issuer != c.subject)
        .find_map(|(_, c)| inspection_product(&names_of(&c.issuer)))
}

/// The common name and organisation of a distinguished name
/// (`C=US, L=Palo Alto, O=Example Hospital, CN=Root CA` gives `Example
/// Hospital, Root CA`): where a product names its CA. A town or a
/// department is not a product ("L=Palo Alto", "OU=Check Point team").
fn names_of(dn: &str) -> String {
    dn.split(", ")
        .filter_map(|part| part.strip_prefix("CN=").or_else(|| part.strip_prefix("O=")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An ASN.1 time as RFC 3339 and Unix seconds.
fn time_of(t: &x509_parser::time::ASN1Time) -> (String, i64) {
    let secs = t.timestamp();
    let text = jiff::Timestamp::from_second(secs)
        .map(|ts| ts.to_string())
        .unwrap_or_else(|_| t.to_string());
    (text, secs)
}

/// Parsed details of each certificate.
pub fn describe_chain(chain: &[CertificateDer<'_>]) -> Vec<CertificateInfo> {
    use sha2::Digest as _;
    chain
        .iter()
        .map(|der| {
            let pem = pem_of(der.as_ref());
            let sha256 = sha2::Sha256::digest(der.as_ref())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            match x509_parser::parse_x509_certificate(der.as_ref()) {
                Ok((_, cert)) => {
                    let (not_before, _) = time_of(&cert.validity().not_before);
                    let (not_after, not_after_unix) = time_of(&cert.validity().not_after);
                    CertificateInfo {
                        subject: cert.subject().to_string(),
                        issuer: cert.issuer().to_string(),
                        dns_names: cert
                            .subject_alternative_name()
                            .ok()
                            .flatten()
                            .map(|san| {
                                san.value
                                    .general_names
                                    .iter()
                                    .filter_map(|n| match n {
                                        x509_parser::extensions::GeneralName::DNSName(d) => {
                                            Some((*d).to_owned())
                                        }
                                        _ => None,
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                        not_before,
                        not_after,
                        not_after_unix,
                        sha256,
                        pem,
                    }
                }
                Err(e) => CertificateInfo {
                    subject: format!("(unparsable certificate: {e})"),
                    issuer: String::new(),
                    dns_names: Vec::new(),
                    not_before: String::new(),
                    not_after: String::new(),
                    not_after_unix: 0,
                    sha256,
                    pem,
                },
            }
        })
        .collect()
}

fn pem_of(der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The report's view of a capture.
pub fn info(c: &Captured, version: String, alpn: Option<String>) -> TlsInfo {
    let judged = |r: &Option<Result<(), ChainProblem>>, why: &str| match r {
        Some(Ok(())) => Verification::Passed,
        Some(Err(error)) => Verification::Failed {
            error: error.to_string(),
        },
        None => Verification::NotChecked {
            why: why.to_owned(),
        },
    };
    let trusted = "not needed: the chain is trusted without it";
    let public_ok = matches!(c.public, Some(Ok(())));
    TlsInfo {
        version,
        alpn,
        chain: describe_chain(&c.chain),
        public_roots: judged(&c.public, "no certificate was presented"),
        given_anchors: judged(
            &c.extra,
            if public_ok {
                trusted
            } else {
                "no --ca-cert anchors were given"
            },
        ),
        os_store: judged(
            &c.os,
            if public_ok || matches!(c.extra, Some(Ok(()))) {
                trusted
            } else {
                "the OS store could not be read"
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspection_products_are_named_from_the_issuer() {
        assert_eq!(
            inspection_product("CN=Zscaler Intermediate Root CA (zscaler.net)"),
            Some("Zscaler")
        );
        assert_eq!(
            inspection_product("CN=mitmproxy, O=mitmproxy"),
            Some("mitmproxy")
        );
        assert_eq!(
            inspection_product("O=Fortinet, CN=FortiGate CA"),
            Some("Fortinet FortiGate")
        );
        assert_eq!(
            inspection_product("CN=Microsoft Azure RSA TLS Issuing CA 03, O=Microsoft Corporation"),
            None
        );
        assert_eq!(
            inspection_product("CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1"),
            None
        );
        assert_eq!(inspection_product("CN=ESET SSL Filter CA"), Some("ESET"));
        assert_eq!(
            inspection_product("CN=Palo-Alto Decrypt"),
            Some("Palo Alto Networks")
        );
        // Words inside other words are not product names.
        for other in [
            "CN=passwordreset.example.test",
            "O=Presets Inc, CN=Issuing CA",
            "CN=Squidward Labs CA",
            "CN=Avg2 Holdings",
        ] {
            assert_eq!(inspection_product(other), None, "{other}");
        }
    }

    #[test]
    fn a_chain_product_is_read_from_issuers_not_from_a_self_signed_leaf() {
        let cert = |subject: &str, issuer: &str| CertificateInfo {
            subject: subject.into(),
            issuer: issuer.into(),
            dns_names: Vec::new(),
            not_before: String::new(),
            not_after: String::new(),
            not_after_unix: 0,
            sha256: String::new(),
            pem: String::new(),
        };
        // A self-signed certificate for a host whose name holds a product.
        assert_eq!(
            chain_product(&[cert("CN=zscaler.net", "CN=zscaler.net")]),
            None
        );
        // A product's name in the issuer's town or department.
        assert_eq!(
            chain_product(&[cert(
                "CN=a.test",
                "C=US, ST=California, L=Palo Alto, O=Example Hospital, CN=Example Hospital Root CA"
            )]),
            None
        );
        assert_eq!(
            chain_product(&[cert(
                "CN=a.test",
                "O=Example Corp, OU=Check Point migration team, CN=Example Corp Root"
            )]),
            None
        );
        // A leaf whose own subject names one, issued by an unknown CA.
        assert_eq!(
            chain_product(&[cert("O=Sophos Ltd, CN=sophos.test", "CN=Private CA")]),
            None
        );
        assert_eq!(
            chain_product(&[
                cert("CN=a.test", "CN=Zscaler Intermediate Root CA"),
                cert("CN=Zscaler Intermediate Root CA", "CN=Zscaler Root CA"),
            ]),
            Some("Zscaler")
        );
    }

    #[test]
    fn a_remembered_chain_still_has_its_host_name_checked() {
        let ca = crate::lab::servers::LabCa::new("memory test CA").unwrap();
        let (chain, _) = ca.leaf(&["*.a.test"]).unwrap();
        let stores = TrustStores::load(&[ca.der()]).unwrap();
        let extra = stores.extra.as_ref().unwrap();
        let now = UnixTime::now();
        let name = |n: &'static str| ServerName::try_from(n).unwrap();
        assert_eq!(
            extra.judge(&chain[0], &chain[1..], &name("x.a.test"), now),
            Ok(())
        );
        assert_eq!(extra.memory.lock().unwrap().len(), 1);
        // Same chain, other host: the remembered chain does not vouch for the name.
        let other = extra.judge(&chain[0], &chain[1..], &name("x.b.test"), now);
        let other = other.unwrap_err();
        // Said for people: the name asked for and the names the leaf holds.
        assert_eq!(
            other.to_string(),
            "not valid for name x.b.test (it names *.a.test)"
        );
        assert_eq!(
            extra.judge(&chain[0], &chain[1..], &name("y.a.test"), now),
            Ok(())
        );
        // The public roots refuse it, and remember that too.
        assert!(
            stores
                .public
                .judge(&chain[0], &chain[1..], &name("x.a.test"), now)
                .is_err()
        );
        // At another time the chain is judged afresh: in 1970 (before the
        // lab leaf's validity) the remembered "valid" must not be used.
        let then = UnixTime::since_unix_epoch(Duration::from_secs(0));
        let early = extra.judge(&chain[0], &chain[1..], &name("x.a.test"), then);
        let early = early.expect_err("a remembered answer outlived its time");
        assert!(
            matches!(&early, ChainProblem::NotValidYet(from) if from.starts_with(" (valid from 19")),
            "{early}"
        );
    }

    #[test]
    fn rust_names_become_words() {
        assert_eq!(words("HandshakeFailure"), "handshake failure");
        assert_eq!(words("Unknown(7)"), "unknown 7");
        assert_eq!(
            words(innermost("Other(OtherError(CaUsedAsEndEntity))")),
            "ca used as end entity"
        );
        assert_eq!(presented_name("IpAddress(127.0.0.1)"), "127.0.0.1");
        assert_eq!(version_name(rustls::ProtocolVersion::TLSv1_3), "TLS 1.3");
    }

    #[test]
    fn trust_prefers_public_then_expected_then_os() {
        let mut c = Captured {
            public: Some(Ok(())),
            ..Captured::default()
        };
        assert_eq!(trust_of(&c), Trust::Public);
        c.public = Some(Err(ChainProblem::UnknownIssuer));
        c.extra = Some(Ok(()));
        assert_eq!(trust_of(&c), Trust::Expected);
        c.extra = Some(Err(ChainProblem::UnknownIssuer));
        c.os = Some(Ok(()));
        assert_eq!(trust_of(&c), Trust::OsOnly);
        c.os = Some(Err(ChainProblem::UnknownIssuer));
        assert_eq!(
            trust_of(&c),
            Trust::None {
                why: "issued by a CA this store does not trust (unknown issuer)".into(),
                unknown_issuer: true
            }
        );
        // A store that knows the issuer gives the telling reason.
        c.extra = Some(Err(ChainProblem::WrongName(String::new())));
        assert_eq!(
            trust_of(&c),
            Trust::None {
                why: "not valid for name".into(),
                unknown_issuer: false
            }
        );
    }
}
