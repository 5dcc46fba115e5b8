//! The Report of `pathprobe check`: the contract between the probe engine and
//! every output. Renderers here are pure functions of it.

use comfy_table::{Cell, Color};
use pathprobe_pac::Route;
use serde::Serialize;

use crate::{OutputFormat, RenderError, TableStyle, csv_to_string};

/// Version of the JSON form of [`CheckReport`].
pub const CHECK_SCHEMA_VERSION: u32 = 1;

/// The closed verdict taxonomy (DESIGN.md).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Reached, TLS trusted and as expected, status expected.
    Ok,
    /// The name did not resolve (NXDOMAIN, SERVFAIL, timeout).
    DnsFailure,
    /// The name resolved to a block address (0.0.0.0, 127.0.0.0/8, ::).
    DnsSinkhole,
    /// The origin or proxy refused the connection.
    TcpRefused,
    /// The connection attempt got no answer.
    TcpTimeout,
    /// The connection was reset.
    TcpReset,
    /// The route's proxy itself cannot be reached.
    ProxyUnreachable,
    /// The proxy wants credentials (407).
    ProxyAuthRequired,
    /// The proxy refused the destination.
    ProxyDenied,
    /// The chain was re-signed by a middlebox.
    TlsIntercepted,
    /// The chain is invalid, but not a known interception.
    TlsUntrusted,
    /// The TLS handshake broke.
    TlsHandshakeFailed,
    /// Reached, but the status is not an expected one.
    HttpUnexpectedStatus,
    /// The run's deadline passed first.
    Timeout,
    /// Not probed (prose row, wildcard without a concrete host, filtered).
    NotProbed,
}

impl Verdict {
    /// The snake_case name used in every format.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::DnsFailure => "dns_failure",
            Self::DnsSinkhole => "dns_sinkhole",
            Self::TcpRefused => "tcp_refused",
            Self::TcpTimeout => "tcp_timeout",
            Self::TcpReset => "tcp_reset",
            Self::ProxyUnreachable => "proxy_unreachable",
            Self::ProxyAuthRequired => "proxy_auth_required",
            Self::ProxyDenied => "proxy_denied",
            Self::TlsIntercepted => "tls_intercepted",
            Self::TlsUntrusted => "tls_untrusted",
            Self::TlsHandshakeFailed => "tls_handshake_failed",
            Self::HttpUnexpectedStatus => "http_unexpected_status",
            Self::Timeout => "timeout",
            Self::NotProbed => "not_probed",
        }
    }

    /// Whether the endpoint works through this route.
    pub fn is_ok(self) -> bool {
        self == Self::Ok
    }

    fn color(self) -> Color {
        match self {
            Self::Ok => Color::Green,
            Self::NotProbed => Color::DarkGrey,
            Self::HttpUnexpectedStatus | Self::Timeout => Color::Yellow,
            _ => Color::Red,
        }
    }
}

/// The phases of a probe, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Name resolution (of the origin, or of the proxy).
    Dns,
    /// TCP connection (to the origin, or to the proxy).
    Connect,
    /// Proxy tunnel (CONNECT, SOCKS5).
    Tunnel,
    /// TLS handshake.
    Tls,
    /// HTTP request and response head.
    Http,
}

impl Phase {
    /// The name used in every format.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dns => "dns",
            Self::Connect => "connect",
            Self::Tunnel => "tunnel",
            Self::Tls => "tls",
            Self::Http => "http",
        }
    }
}

/// One phase of one attempt.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseRecord {
    /// Which phase.
    pub phase: Phase,
    /// Milliseconds spent.
    pub elapsed_ms: f64,
    /// Whether it succeeded.
    pub ok: bool,
    /// What happened (address connected, status received, error).
    pub detail: String,
}

/// A certificate of the presented chain.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateInfo {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// DNS names in the subject alternative name extension.
    pub dns_names: Vec<String>,
    /// Not after (RFC 3339).
    pub not_after: String,
    /// The certificate, PEM.
    pub pem: String,
}

/// What the TLS phase learned.
#[derive(Debug, Clone, Serialize)]
pub struct TlsInfo {
    /// Protocol version.
    pub version: String,
    /// ALPN protocol agreed, if any.
    pub alpn: Option<String>,
    /// The presented chain, leaf first.
    pub chain: Vec<CertificateInfo>,
    /// Verification against the public roots (and `--ca-cert` anchors).
    pub public_verification: Result<(), String>,
    /// Verification against the operating system's store.
    pub os_verification: Result<(), String>,
}

/// One try of one route.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// The route tried.
    pub route: Route,
    /// Phases, in order.
    pub phases: Vec<PhaseRecord>,
    /// The verdict for this route.
    pub verdict: Verdict,
    /// Evidence, as `key: value` lines a person can read.
    pub evidence: Vec<String>,
    /// What to do about it.
    pub hint: String,
    /// TLS details, when the handshake happened.
    pub tls: Option<TlsInfo>,
    /// HTTP status received from the origin, if any.
    pub status: Option<u16>,
}

/// One probe target of one catalog row.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeResult {
    /// The URL probed (or the pattern, when not probed).
    pub url: String,
    /// The catalog's category, if any.
    pub category: Option<String>,
    /// Whether the vendor marks the row required.
    pub required: bool,
    /// Where the route list came from (the deciding setting).
    pub route_source: String,
    /// Routes tried, in order, each with its outcome; a client stops at the
    /// first that works.
    pub attempts: Vec<Attempt>,
    /// The verdict of the endpoint: the first working route's, else the last.
    pub verdict: Verdict,
    /// The hint for the endpoint's verdict.
    pub hint: String,
}

/// Totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckSummary {
    /// Endpoints probed.
    pub probed: usize,
    /// Of which ok.
    pub ok: usize,
    /// Required endpoints that failed.
    pub required_failed: usize,
    /// Optional endpoints that failed.
    pub optional_failed: usize,
    /// Rows not probed.
    pub not_probed: usize,
    /// Count per verdict.
    pub by_verdict: std::collections::BTreeMap<String, usize>,
    /// Wall-clock milliseconds of the run.
    pub duration_ms: f64,
    /// True when the run was cut short (deadline or Ctrl-C); finished probes are kept.
    pub partial: bool,
}

/// Everything `pathprobe check` found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// [`CHECK_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The catalog's name and version.
    pub catalog: String,
    /// Filters applied.
    pub filters: Vec<String>,
    /// How routes were decided (profile, setting in force).
    pub routing: String,
    /// When the run started (RFC 3339).
    pub started_at: String,
    /// One result per probe target, in catalog order.
    pub results: Vec<ProbeResult>,
    /// Totals.
    pub summary: CheckSummary,
}

impl CheckReport {
    /// Fills in the summary from the results.
    pub fn summarise(&mut self, duration_ms: f64, partial: bool) {
        let mut s = CheckSummary {
            duration_ms,
            partial,
            ..CheckSummary::default()
        };
        for r in &self.results {
            *s.by_verdict.entry(r.verdict.name().to_owned()).or_default() += 1;
            match r.verdict {
                Verdict::NotProbed => s.not_probed += 1,
                Verdict::Ok => {
                    s.probed += 1;
                    s.ok += 1;
                }
                _ if r.required => {
                    s.probed += 1;
                    s.required_failed += 1;
                }
                _ => {
                    s.probed += 1;
                    s.optional_failed += 1;
                }
            }
        }
        self.summary = s;
    }

    /// The one-line summary.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        let mut line = format!(
            "{} of {} endpoints ok; {} required failed, {} optional failed; {} not probed; {:.1} s",
            s.ok,
            s.probed,
            s.required_failed,
            s.optional_failed,
            s.not_probed,
            s.duration_ms / 1000.0
        );
        if s.partial {
            line.push_str(" (partial: the run was cut short; finished probes are shown)");
        }
        line
    }

    /// Renders the report.
    pub fn render(&self, format: OutputFormat, style: &TableStyle) -> Result<String, RenderError> {
        match format {
            OutputFormat::Json => Ok(serde_json::to_string_pretty(self)? + "\n"),
            OutputFormat::Csv => self.csv(),
            OutputFormat::Table => Ok(self.table(style)),
        }
    }

    fn table(&self, style: &TableStyle) -> String {
        let mut header = vec!["Endpoint", "Route", "Verdict", "Slowest phase", "Hint"];
        if style.verbose {
            header.insert(4, "Phases (ms)");
        }
        let mut t = style.table(header);
        for r in &self.results {
            let attempt = r
                .attempts
                .iter()
                .find(|a| a.verdict.is_ok())
                .or_else(|| r.attempts.last());
            let route = attempt.map_or_else(String::new, |a| a.route.to_string());
            let slowest = attempt
                .and_then(|a| {
                    a.phases
                        .iter()
                        .max_by(|x, y| x.elapsed_ms.total_cmp(&y.elapsed_ms))
                })
                .map_or_else(String::new, |p| {
                    format!("{} {:.0} ms", p.phase.name(), p.elapsed_ms)
                });
            let mut verdict = Cell::new(r.verdict.name());
            if style.color {
                verdict = verdict.fg(r.verdict.color());
            }
            let mut row = vec![
                Cell::new(&r.url),
                Cell::new(route),
                verdict,
                Cell::new(slowest),
                Cell::new(&r.hint),
            ];
            if style.verbose {
                let phases = attempt.map_or_else(String::new, |a| {
                    a.phases
                        .iter()
                        .map(|p| format!("{} {:.0}", p.phase.name(), p.elapsed_ms))
                        .collect::<Vec<_>>()
                        .join(", ")
                });
                row.insert(4, Cell::new(phases));
            }
            t.add_row(row);
        }
        format!("{t}\n{}\n", self.summary_line())
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "url", "category", "required", "route", "verdict", "status", "hint",
        ])?;
        for r in &self.results {
            if r.attempts.is_empty() {
                w.write_record([
                    r.url.as_str(),
                    r.category.as_deref().unwrap_or(""),
                    if r.required { "yes" } else { "no" },
                    "",
                    r.verdict.name(),
                    "",
                    r.hint.as_str(),
                ])?;
            }
            for a in &r.attempts {
                w.write_record([
                    r.url.clone(),
                    r.category.clone().unwrap_or_default(),
                    if r.required {
                        "yes".into()
                    } else {
                        "no".into()
                    },
                    a.route.to_string(),
                    a.verdict.name().to_owned(),
                    a.status.map(|s| s.to_string()).unwrap_or_default(),
                    a.hint.clone(),
                ])?;
            }
        }
        csv_to_string(w)
    }
}
