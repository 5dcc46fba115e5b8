//! The Report of `pathprobe check`: the contract between the probe engine and
//! every output. Renderers here are pure functions of it.

use comfy_table::{Cell, Color};
use pathprobe_pac::Route;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{RenderError, TableStyle};

mod compare;
mod csv;
mod html;
mod junit;
mod markdown;
mod prometheus;
mod table;

pub use compare::{ComparedEndpoint, Comparison};

/// Version of the JSON form of [`CheckReport`].
pub const CHECK_SCHEMA_VERSION: u32 = 2;

/// The closed verdict taxonomy (README, "Verdicts").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
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
    /// The proxy setting in force gave this URL no usable route (its PAC
    /// script failed or answered nothing usable, a proxy variable cannot
    /// be used): no connection was made.
    NoRoute,
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
    /// A phase's time limit passed: a server or proxy stopped answering
    /// mid-exchange. (A probe the run's deadline or Ctrl-C cut has no
    /// outcome: `not_probed`.)
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
            Self::NoRoute => "no_route",
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

/// What the control probes got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ControlReport {
    /// The connectivity-test URL, through the routes it gets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<ControlProbe>,
    /// The connectivity-test name, through the run's resolver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<ControlProbe>,
}

/// One control probe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ControlProbe {
    /// The URL or name asked.
    pub target: String,
    /// The answer the internet gives (the page's text, the address).
    pub expected: String,
    /// How it went.
    pub outcome: ControlOutcome,
    /// The route it took (HTTP only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// What was seen, as `key: value` lines.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// How a control probe went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ControlOutcome {
    /// The internet's own answer.
    Expected,
    /// Another answer: something in the path answered in its place.
    Different,
    /// No answer at all.
    Failed,
}

/// One phase of one attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PhaseRecord {
    /// Which phase.
    pub phase: Phase,
    /// Milliseconds spent.
    pub elapsed_ms: f64,
    /// Milliseconds waited before the phase began, not counted in
    /// `elapsed_ms` (DNS: for a free slot under the resolver's bound).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub queued_ms: f64,
    /// Whether it succeeded.
    pub ok: bool,
    /// What happened (address connected, status received, error).
    pub detail: String,
    /// Connect phases: each address tried, in order, and what it did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<AddressTry>,
}

/// An IP address family.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Family {
    /// IPv4.
    #[serde(rename = "ipv4")]
    Ipv4,
    /// IPv6.
    #[serde(rename = "ipv6")]
    Ipv6,
}

impl Family {
    /// "IPv4" or "IPv6", as people write them.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ipv4 => "IPv4",
            Self::Ipv6 => "IPv6",
        }
    }

    /// The family of an address.
    pub fn of(ip: std::net::IpAddr) -> Self {
        // An IPv4-mapped IPv6 address travels as IPv4.
        match ip.to_canonical() {
            std::net::IpAddr::V4(_) => Self::Ipv4,
            std::net::IpAddr::V6(_) => Self::Ipv6,
        }
    }
}

/// What one address of a connect phase did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddressOutcome {
    /// The connection was made.
    Connected,
    /// The host answered with a reset: it was reached.
    Refused,
    /// The OS or a router said the address cannot be reached (no route,
    /// no source address of that family, ICMP unreachable).
    Unreachable,
    /// No answer within the address's share of the limit.
    Silent,
    /// Another error from the OS.
    Failed,
}

impl AddressOutcome {
    /// Whether packets of this family got to the host and back.
    pub fn reached(self) -> bool {
        matches!(self, Self::Connected | Self::Refused)
    }
}

/// One address tried in a connect phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AddressTry {
    /// The address and port.
    pub address: String,
    /// Its family.
    pub family: Family,
    /// What it did.
    pub outcome: AddressOutcome,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

/// A certificate of the presented chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CertificateInfo {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// DNS names in the subject alternative name extension.
    pub dns_names: Vec<String>,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// End of validity, Unix seconds (for alerting on expiry).
    pub not_after_unix: i64,
    /// SHA-256 of the DER encoding, hex.
    pub sha256: String,
    /// The certificate, PEM.
    pub pem: String,
}

/// How one set of trust anchors judged a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Verification {
    /// The chain leads to one of these anchors and names the host.
    Passed,
    /// It does not; `error` says why.
    Failed {
        /// The verifier's reason.
        error: String,
    },
    /// Not asked, and why (e.g. the public roots already accepted the chain).
    NotChecked {
        /// Why it was not needed or not possible.
        why: String,
    },
}

impl Verification {
    /// Whether the chain passed.
    pub fn passed(&self) -> bool {
        matches!(self, Self::Passed)
    }
}

/// What the TLS phase learned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TlsInfo {
    /// Protocol version.
    pub version: String,
    /// ALPN protocol agreed, if any.
    pub alpn: Option<String>,
    /// The presented chain, leaf first.
    pub chain: Vec<CertificateInfo>,
    /// Verification against the public roots (webpki).
    pub public_roots: Verification,
    /// Verification against the `--ca-cert` anchors (expected private issuers).
    pub given_anchors: Verification,
    /// Verification against the operating system's store.
    pub os_store: Verification,
}

/// One try of one route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// Whether a client tries its next route after this failure, as the
    /// probe judged it from what failed (see [`Attempt::client_moves_on`]).
    /// Absent when the attempt worked, and in reports of earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_route: Option<bool>,
}

impl Attempt {
    /// Whether a client tries its next route after this attempt, as
    /// browsers and WinHTTP do with a PAC's list: only when the route
    /// itself could not be used. Through an HTTP proxy, that is a proxy
    /// that cannot be reached, resolved, or spoken TLS to, or that never
    /// answers; through a SOCKS proxy, any failure of its handshake, its
    /// replies included; directly, a name that does not resolve or a
    /// connection that fails. An HTTP proxy's answer (a refusal, a 407,
    /// what it met beyond itself), a close after the request, or a TLS or
    /// HTTP failure with the destination ends the try: a fallback list is
    /// no way around a proxy's policy, and PAC files rely on that
    /// (Chromium's `CanFalloverToNextProxy`, checked against Chromium).
    pub fn client_moves_on(&self) -> bool {
        if let Some(judged) = self.next_route {
            return judged;
        }
        // A report of an earlier version: judged from the verdict alone.
        match self.route {
            Route::Direct => matches!(
                self.verdict,
                Verdict::DnsFailure
                    | Verdict::DnsSinkhole
                    | Verdict::TcpRefused
                    | Verdict::TcpTimeout
            ),
            Route::Proxy { .. } => self.verdict == Verdict::ProxyUnreachable,
        }
    }
}

/// The attempt that decides an endpoint's verdict, as a client meets it:
/// the routes in order until one works or one fails in a way the client
/// does not move on from; else the last tried.
pub fn deciding(attempts: &[Attempt]) -> Option<&Attempt> {
    attempts
        .iter()
        .find(|a| a.verdict.is_ok() || !a.client_moves_on())
        .or_else(|| attempts.last())
}

/// One probe target of one catalog row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// How it compares with the baseline, when one was given and it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// Every catalog row naming the endpoint (`mde.xlsx:Sheet:12`), when
    /// the run read several catalogs: probed once, listed under each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listed_in: Vec<String>,
}

/// Totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
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

/// The program that wrote a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    /// Program name.
    pub name: String,
    /// Program version.
    pub version: String,
}

/// How an endpoint compares with a baseline report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Was ok, now is not.
    Regressed,
    /// Was not ok, now is.
    Recovered,
    /// Failed before and fails now, with another verdict.
    Changed,
    /// Not in the baseline.
    New,
}

impl Change {
    /// The name used in every format.
    pub fn name(self) -> &'static str {
        match self {
            Self::Regressed => "regressed",
            Self::Recovered => "recovered",
            Self::Changed => "changed",
            Self::New => "new",
        }
    }
}

/// The baseline a report was compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BaselineInfo {
    /// Where the baseline was read from.
    pub source: String,
    /// When the baseline run started.
    pub started_at: String,
    /// Endpoints in the baseline that this run does not have.
    pub gone: Vec<String>,
}

/// Everything `pathprobe check` found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckReport {
    /// [`CHECK_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The program and version that wrote it.
    pub tool: ToolInfo,
    /// The catalog's name and version.
    pub catalog: String,
    /// Filters applied.
    pub filters: Vec<String>,
    /// How routes were decided (profile, setting in force).
    pub routing: String,
    /// When the run started (RFC 3339).
    pub started_at: String,
    /// Problems met while deciding routes (broken settings, PAC warnings).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// The baseline this run was compared with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineInfo>,
    /// What is wrong with this network: the failures grouped by the cause
    /// they share, most important first (see [`crate::findings`]). Derived
    /// from `results`; version 1 reports have none and get them when read.
    #[serde(default)]
    pub findings: Vec<crate::findings::Finding>,
    /// The control probes: what the endpoints Windows uses for its own
    /// connectivity test answered. Evidence for findings only: never in the
    /// results, the totals or the exit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<ControlReport>,
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
        self.findings = crate::findings::findings(self);
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
    pub fn render(&self, format: CheckFormat, style: &TableStyle) -> Result<String, RenderError> {
        // JSON keeps the texts as they were: it escapes any character
        // (round 21: `<U+001B>` was written in place of the escape). Every
        // other format shows hidden characters written out (`<U+001B>`): a
        // line break inside a category must not start a table or Markdown
        // row of its own, nor an escape act on a terminal. Done to a copy;
        // the report keeps its texts.
        let this: std::borrow::Cow<'_, Self> = if format == CheckFormat::Json {
            std::borrow::Cow::Borrowed(self)
        } else {
            let mut shown = self.clone();
            shown.make_visible();
            if !shown.findings.is_empty() {
                shown.findings = crate::findings::findings(&shown);
            }
            std::borrow::Cow::Owned(shown)
        };
        let this = this.as_ref();
        match format {
            CheckFormat::Json => Ok(serde_json::to_string_pretty(this)? + "\n"),
            CheckFormat::Csv => csv::render(this),
            CheckFormat::Table => Ok(table::render(this, style)),
            CheckFormat::Lines => Ok(table::lines(this)),
            CheckFormat::Junit => Ok(junit::render(this)),
            CheckFormat::Markdown => Ok(markdown::render(this)),
            CheckFormat::Html => Ok(html::render(this)),
            CheckFormat::Prometheus => Ok(prometheus::render(this)),
        }
    }

    /// Reads a report written with [`CheckFormat::Json`]; `source` names it in errors.
    pub fn from_json(text: &str, source: &str) -> Result<Self, ReportReadError> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: Option<u32>,
        }
        let version: Version = serde_json::from_str(text).map_err(|e| ReportReadError::Json {
            source_name: source.to_owned(),
            error: pathprobe_files::words::serde_message(&e.to_string()),
        })?;
        match version.schema_version {
            // Version 1 is version 2 without findings, which are derived.
            Some(1 | CHECK_SCHEMA_VERSION) => {}
            Some(found) => {
                return Err(ReportReadError::Version {
                    source_name: source.to_owned(),
                    found,
                });
            }
            None => {
                return Err(ReportReadError::Json {
                    source_name: source.to_owned(),
                    error: "no schema_version: not a pathprobe check report".into(),
                });
            }
        }
        let mut report: Self = serde_json::from_str(text).map_err(|e| ReportReadError::Json {
            source_name: source.to_owned(),
            error: pathprobe_files::words::serde_message(&e.to_string()),
        })?;
        report
            .check_durations()
            .and_then(|()| report.check_fields())
            .map_err(|error| ReportReadError::Json {
                source_name: source.to_owned(),
                error,
            })?;
        // A report may come attached to a ticket, edited by anyone: no text
        // of it reaches a terminal as a control sequence or a forged line
        // (`render` writes hidden characters out; JSON escapes them).
        // The same findings whoever reads it: made from the results, never
        // taken on trust from the file.
        report.schema_version = CHECK_SCHEMA_VERSION;
        // The counts too: made from the results (an edited summary said
        // "2 required failed" over no result at all); how long the run
        // took and whether it was cut are the run's, kept.
        let (took, partial) = (report.summary.duration_ms, report.summary.partial);
        report.summarise(took, partial);
        Ok(report)
    }

    /// The fields other formats write as they are: a start time that is one
    /// (JUnit's `timestamp` must be a date and time; round 19: "yesterday"
    /// made invalid XML) and HTTP statuses of three digits.
    fn check_fields(&self) -> Result<(), String> {
        let moment = |what: &str, text: &str| {
            text.parse::<jiff::Timestamp>().map(|_| ()).map_err(|_| {
                format!(
                    "{what} is {}: not a date and time (RFC 3339, e.g. 2026-03-02T08:30:00Z)",
                    pathprobe_files::quote::quoted(text)
                )
            })
        };
        moment("started_at", &self.started_at)?;
        if let Some(b) = &self.baseline {
            moment("baseline.started_at", &b.started_at)?;
        }
        for (i, r) in self.results.iter().enumerate() {
            for (j, a) in r.attempts.iter().enumerate() {
                if let Some(status) = a.status.filter(|s| !(100..=999).contains(s)) {
                    return Err(format!(
                        "results[{i}].attempts[{j}].status is {status}: not an HTTP status (100 to 999)"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every duration of the report is one a run can have: not negative,
    /// not infinite, not longer than a run lasts (a hand-edited `1e308`
    /// became a 300-digit JUnit time).
    fn check_durations(&self) -> Result<(), String> {
        // A year, in milliseconds: far beyond any run's deadline.
        const MOST_MS: f64 = 365.0 * 24.0 * 3600.0 * 1000.0;
        let bad = |what: String, ms: f64| {
            // 1e308 written out is 309 digits.
            let shown = if ms.abs() < 1e12 {
                ms.to_string()
            } else {
                format!("{ms:e}")
            };
            (!(0.0..=MOST_MS).contains(&ms))
                .then(|| format!("{what} is {shown}: not a duration a run can have"))
        };
        if let Some(e) = bad("summary.duration_ms".into(), self.summary.duration_ms) {
            return Err(e);
        }
        for (i, r) in self.results.iter().enumerate() {
            for (j, a) in r.attempts.iter().enumerate() {
                for (k, p) in a.phases.iter().enumerate() {
                    let at = format!("results[{i}].attempts[{j}].phases[{k}]");
                    if let Some(e) = bad(format!("{at}.elapsed_ms"), p.elapsed_ms)
                        .or_else(|| bad(format!("{at}.queued_ms"), p.queued_ms))
                    {
                        return Err(e);
                    }
                }
            }
        }
        Ok(())
    }

    /// Passes every free text of the report (evidence, hints, phase details,
    /// route sources, warnings) through `redactor`: what a hostile proxy
    /// echoes back never reaches an output.
    pub fn redact(&mut self, redactor: &crate::Redactor) {
        // A catalog URL may carry a token of its own (`?sig=…`).
        self.each_text(|text| *text = redactor.apply(text));
        // Findings quote URLs and evidence: made again from what is left.
        // Redaction changes no verdict, so a report with none (not
        // summarised yet, or clean) has none after it either.
        if !self.findings.is_empty() {
            self.findings = crate::findings::findings(self);
        }
    }

    /// Every free text of the report with its control characters (escape
    /// sequences, bells, line breaks inside a line) written out as `<U+001B>`:
    /// done by `render` to a copy for every format but JSON.
    fn make_visible(&mut self) {
        self.each_text(|text| *text = pathprobe_files::quote::visible(text));
    }

    /// Passes `f` over every free text of the report (not the findings,
    /// which are made from these).
    fn each_text(&mut self, mut f: impl FnMut(&mut String)) {
        if let Some(control) = self.control.as_mut() {
            for probe in [control.http.as_mut(), control.dns.as_mut()]
                .into_iter()
                .flatten()
            {
                f(&mut probe.target);
                f(&mut probe.expected);
                probe.route.iter_mut().for_each(&mut f);
                probe.evidence.iter_mut().for_each(&mut f);
            }
        }
        f(&mut self.catalog);
        f(&mut self.routing);
        f(&mut self.started_at);
        self.filters.iter_mut().for_each(&mut f);
        self.warnings.iter_mut().for_each(&mut f);
        for r in &mut self.results {
            f(&mut r.url);
            f(&mut r.hint);
            f(&mut r.route_source);
            if let Some(c) = r.category.as_mut() {
                f(c);
            }
            for a in &mut r.attempts {
                f(&mut a.hint);
                a.evidence.iter_mut().for_each(&mut f);
                for p in &mut a.phases {
                    f(&mut p.detail);
                }
            }
        }
    }

    /// The JSON Schema of the report (draft 2020-12), as committed in
    /// `reports/schema/check-report.v2.schema.json`.
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(CheckReport);
        serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
    }

    /// The attempt that decides the endpoint's verdict (see [`deciding`]).
    pub(crate) fn deciding(result: &ProbeResult) -> Option<&Attempt> {
        deciding(&result.attempts)
    }
}

/// A saved report could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ReportReadError {
    /// Not JSON, or not a report.
    #[error("{source_name}: not a pathprobe check report: {error}")]
    Json {
        /// File or member name.
        source_name: String,
        /// What was wrong.
        error: String,
    },
    /// Written by a newer or older pathprobe with another schema.
    #[error(
        "{source_name}: report schema version {found}, this pathprobe reads versions 1 to {CHECK_SCHEMA_VERSION} (use a pathprobe of that version)"
    )]
    Version {
        /// File or member name.
        source_name: String,
        /// The version found.
        found: u32,
    },
}

/// Formats of a check report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckFormat {
    /// Terminal table grouped by category.
    Table,
    /// JSON, the full model with `schema_version`.
    Json,
    /// One row per probe attempt.
    Csv,
    /// JUnit XML for CI systems.
    Junit,
    /// A summary and a failures table for a ticket.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// `Testing connection with URL ... [OK]`, as `mdatp connectivity test` prints.
    Lines,
    /// Prometheus text exposition (for node_exporter's textfile collector,
    /// a Pushgateway, or `pathprobe serve`).
    Prometheus,
}

impl CheckFormat {
    /// Every format, in the order help lists them.
    pub const ALL: [CheckFormat; 8] = [
        Self::Table,
        Self::Json,
        Self::Csv,
        Self::Junit,
        Self::Markdown,
        Self::Html,
        Self::Lines,
        Self::Prometheus,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Json => "json",
            Self::Csv => "csv",
            Self::Junit => "junit",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Lines => "lines",
            Self::Prometheus => "prometheus",
        }
    }

    /// The format of a name (`md` and `xml` are accepted too).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "md" => Some(Self::Markdown),
            "xml" => Some(Self::Junit),
            "txt" | "text" => Some(Self::Table),
            "prom" => Some(Self::Prometheus),
            other => Self::ALL.into_iter().find(|f| f.name() == other),
        }
    }
}

pub(crate) fn cell_verdict(v: Verdict, color: bool) -> Cell {
    let cell = Cell::new(v.name());
    if color { cell.fg(v.color()) } else { cell }
}
