//! Findings: what is wrong with this network, computed from a report alone.
//!
//! A run of 95 endpoints that all fail the same way is one problem, not 95.
//! [`findings`] groups the failures of a [`CheckReport`] by the cause they
//! share — one proxy demanding authentication, one product re-signing TLS,
//! a resolver that answers nothing, a few names that do not exist, a proxy
//! that cannot be reached, a category blocked while others work, a clock
//! that makes valid chains look expired — and orders them by impact
//! (required endpoints first, then how many). It reads nothing but the
//! report, so `check`, `report render` and `bundle inspect` show the same
//! findings on any machine.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    AddressOutcome, AddressTry, Attempt, CheckReport, ControlOutcome, ControlProbe, Family,
    ProbeResult, ProxyAnswer, Verdict, Verification,
};
use pathprobe_pac::{ProxyKind, Route};

/// What kind of problem a finding is; stable names for scripts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The connectivity test was answered by something else than the
    /// internet: a captive portal or a transparent proxy.
    CaptivePortal,
    /// One proxy demands authentication (407, or SOCKS username/password).
    ProxyAuthentication,
    /// One product or issuer re-signs TLS.
    TlsInspection,
    /// No name resolves: the resolver in use answers none of them.
    DnsUnavailable,
    /// The connectivity test's name resolves to another address: DNS
    /// answers are rewritten.
    DnsRewritten,
    /// Nothing answers through a route, the connectivity test included.
    NoInternet,
    /// A proxy of the routes cannot be reached.
    ProxyUnreachable,
    /// Chains expired or not yet valid across unrelated hosts: the clock.
    ClockWrong,
    /// One address family (IPv6, or IPv4) reaches no host while the other works.
    AddressFamilyBroken,
    /// A proxy refuses these destinations.
    ProxyDenied,
    /// Every endpoint of a category fails while others work.
    CategoryBlocked,
    /// These names do not exist for this resolver (NXDOMAIN), while others resolve.
    NamesMissing,
    /// These names get no usable answer (timeout, SERVFAIL), while others resolve.
    NamesUnanswered,
    /// These names resolve to block addresses (a DNS filter or hosts file).
    NamesSinkholed,
    /// One endpoint failing on its own.
    EndpointFailing,
}

impl FindingKind {
    /// The name used in every format.
    pub fn name(self) -> &'static str {
        match self {
            Self::CaptivePortal => "captive_portal",
            Self::ProxyAuthentication => "proxy_authentication",
            Self::TlsInspection => "tls_inspection",
            Self::DnsUnavailable => "dns_unavailable",
            Self::DnsRewritten => "dns_rewritten",
            Self::NoInternet => "no_internet",
            Self::ProxyUnreachable => "proxy_unreachable",
            Self::ClockWrong => "clock_wrong",
            Self::AddressFamilyBroken => "address_family_broken",
            Self::ProxyDenied => "proxy_denied",
            Self::CategoryBlocked => "category_blocked",
            Self::NamesMissing => "names_missing",
            Self::NamesUnanswered => "names_unanswered",
            Self::NamesSinkholed => "names_sinkholed",
            Self::EndpointFailing => "endpoint_failing",
        }
    }
}

/// Whether the cause was seen or inferred from a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Every endpoint of the finding showed the cause itself (a 407, a
    /// re-signed chain, an NXDOMAIN).
    Seen,
    /// The cause explains the pattern but was not seen as such (a whole
    /// category failing, chains expired across unrelated hosts).
    Inferred,
}

/// One problem of the network, with the endpoints it explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// What it is about: a proxy address, a product or issuer, a category,
    /// the resolver, a host.
    pub component: String,
    /// One sentence that names it.
    pub summary: String,
    /// The URLs it covers, in report order.
    pub endpoints: Vec<String>,
    /// How many of them are required.
    pub required: usize,
    /// A few facts that prove it (not every row).
    pub evidence: Vec<String>,
    /// What to change.
    pub action: String,
    /// The command that writes the change, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Seen, or inferred from a pattern.
    pub confidence: Confidence,
}

/// What `pathprobe fix` writes from a saved report.
const FIX: &str = "pathprobe fix REPORT.json";
/// Evidence lines quoted from endpoints, at most.
const MAX_EXAMPLES: usize = 3;
/// Failures left over with one verdict on one route that are findings of
/// their own; more are one finding.
const MAX_LONE: usize = 20;

/// The evidence key of a rule the service's vendor publishes about the
/// failure seen ("service rule: Defender for Endpoint does not support
/// authenticated proxies"). The probe writes it only for rows of a catalog
/// whose vendor states that rule, so a finding names a product only when
/// the product's own list was checked.
pub const SERVICE_RULE: &str = "service rule";

/// The problem the probe records for a proxy that took the connection and
/// left the tunnel request unanswered: read back by the engine (a proxy
/// that opened other tunnels is up) and by the proxy finding's advice.
pub const TUNNEL_UNANSWERED: &str =
    "the proxy accepted the connection but did not answer the tunnel request in time";

/// How the probe's evidence begins when the proxy itself reset the
/// request: no rule is written from it (a quiet refusal or a failure).
pub const RESET_BY_PROXY: &str = "reset by: the proxy";

/// Whether an attempt was reset by its proxy ([`RESET_BY_PROXY`]).
pub fn is_reset_by_proxy(attempt: &Attempt) -> bool {
    attempt
        .evidence
        .iter()
        .any(|line| line.starts_with(RESET_BY_PROXY))
}

/// How the probe says an HTTPS proxy's certificate is not trusted (a
/// `problem:` line of a `proxy_unreachable` attempt).
pub const PROXY_CERTIFICATE_UNTRUSTED: &str = "its TLS certificate is not trusted";

/// The value of a `key: value` evidence line of an attempt.
fn evidence<'a>(attempt: &'a Attempt, key: &str) -> Option<&'a str> {
    attempt.evidence.iter().find_map(|line| {
        line.strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(": "))
    })
}

/// Whether the answer that failed came through the proxy from a device
/// beyond it ([`crate::FROM_BEYOND`]): no rule on that proxy changes it.
pub fn is_from_beyond(attempt: &Attempt) -> bool {
    evidence(attempt, "answer").is_some_and(|a| a.ends_with(crate::FROM_BEYOND))
}

/// What kind of answer a `proxy_denied` attempt got from its proxy (see
/// [`ProxyAnswer`]); `None` for any other verdict.
pub fn proxy_answer(attempt: &Attempt) -> Option<ProxyAnswer> {
    (attempt.verdict == Verdict::ProxyDenied)
        .then(|| evidence(attempt, "answer").map(ProxyAnswer::of))
        .flatten()
}

/// How the probe says a resolver's NXDOMAIN, and a NOERROR answer without
/// an address: the two answers a DNS filter gives for a name it blocks.
pub const NXDOMAIN_ANSWER: &str = "NXDOMAIN (no such name)";
/// See [`NXDOMAIN_ANSWER`].
pub const NO_ADDRESS_ANSWER: &str = "NOERROR without an address";

/// How the probe's evidence begins for an HTTP answer a SOCKS route
/// carried: written beyond the SOCKS proxy.
pub const ANSWERED_BEYOND: &str = "answered by: a proxy beyond";

/// Who wrote the HTTP answers of a group of one route (shown as `route`),
/// and the evidence line saying so: the HTTP proxy the route names; on a
/// direct route one nobody configured; beyond a SOCKS proxy, which relays
/// bytes and writes no HTTP (round 21: "The proxy DIRECT", and dante told
/// to exempt URLs from authentication).
fn who_answered(g: &Group<'_>, route: &str) -> (String, String, String) {
    // On a SOCKS route, its own replies (a ruleset refusal, a method it
    // wants) are its own; only HTTP answers, which the probe marks, came
    // from beyond it (round 23).
    let beyond = g.members.iter().all(|f| {
        f.attempt
            .evidence
            .iter()
            .any(|e| e.starts_with(ANSWERED_BEYOND))
    });
    match g.members.first().map(|f| &f.attempt.route) {
        Some(Route::Direct) => (
            "A transparent proxy in the path (no proxy is configured)".to_owned(),
            "route: DIRECT, answered by a proxy in the path".to_owned(),
            "a transparent proxy".to_owned(),
        ),
        Some(Route::Proxy {
            kind: ProxyKind::Socks4 | ProxyKind::Socks4a | ProxyKind::Socks5 | ProxyKind::Socks5h,
            ..
        }) if beyond => (
            format!("A proxy beyond the SOCKS proxy {route}"),
            format!("route: {route}, answered by a proxy beyond it (SOCKS writes no HTTP)"),
            format!("a proxy beyond {route}"),
        ),
        _ => (
            format!("The proxy {route}"),
            format!("proxy: {route}"),
            route.to_owned(),
        ),
    }
}

/// What a resolver answered for a name that failed, as findings group it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum DnsAnswer {
    /// NXDOMAIN.
    Missing,
    /// NOERROR without an address.
    Empty,
    /// A timeout, an error answer, or nothing readable.
    Unanswered,
}

/// Whether a `dns_failure` is an answer a DNS filter gives for a name it
/// blocks (NXDOMAIN, or no address), which allowing the name changes. A
/// resolver that fails (SERVFAIL, REFUSED), answers nothing, or sends what
/// cannot be read is no blocked name (round 20: `fix` wrote allow rules
/// for them).
pub fn dns_answer_allowable(attempt: &Attempt) -> bool {
    attempt.verdict == Verdict::DnsFailure
        && evidence(attempt, "answer")
            .is_some_and(|a| a.starts_with(NXDOMAIN_ANSWER) || a.starts_with(NO_ADDRESS_ANSWER))
}

/// Whether an attempt's failure is what a proxy reported of its own
/// connection or lookup (`proxy reports: ...`), not what this machine saw.
pub fn is_proxy_reported(attempt: &Attempt) -> bool {
    evidence(attempt, "proxy reports").is_some()
}

/// The host of a URL as written in the report.
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned())
}

/// A failing endpoint and the attempt that decided it.
struct Failing<'a> {
    result: &'a ProbeResult,
    attempt: &'a Attempt,
}

/// Endpoints grouped under one key, in report order.
struct Group<'a> {
    members: Vec<&'a Failing<'a>>,
}

impl<'a> Group<'a> {
    fn endpoints(&self) -> Vec<String> {
        self.members.iter().map(|f| f.result.url.clone()).collect()
    }
    fn required(&self) -> usize {
        self.members.iter().filter(|f| f.result.required).count()
    }
    fn count_line(&self) -> String {
        format!(
            "endpoints: {} ({} required)",
            self.members.len(),
            self.required()
        )
    }
    /// Distinct values of an evidence key across the group, in first-seen
    /// order, each whole (a DNS answer is one sentence, commas and all).
    fn values(&self, key: &str) -> Vec<String> {
        distinct(
            self.members
                .iter()
                .filter_map(|f| evidence(f.attempt, key))
                .filter(|v| !v.is_empty())
                .map(str::to_owned),
        )
    }
    /// "; " and the rule the service's vendor states about this failure
    /// (see [`SERVICE_RULE`]), when every member is under that one rule; a
    /// mixed group (an internal list beside the vendor's) claims none.
    fn stated_rule(&self) -> String {
        match self.values(SERVICE_RULE).as_slice() {
            [one]
                if self
                    .members
                    .iter()
                    .all(|f| evidence(f.attempt, SERVICE_RULE).is_some()) =>
            {
                format!("; {one}")
            }
            _ => String::new(),
        }
    }
    /// Distinct items of an evidence key whose value is a list ("Negotiate,
    /// NTLM"; "0.0.0.0, 127.0.0.1"), across the group.
    fn items(&self, key: &str) -> Vec<String> {
        distinct(self.values(key).iter().flat_map(|v| {
            v.split(", ")
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }))
    }
    /// The resolver's answers across the group, a few of them.
    fn answers(&self) -> Option<String> {
        let answers = self.values("answer");
        (!answers.is_empty()).then(|| {
            let shown: Vec<&str> = answers
                .iter()
                .take(MAX_EXAMPLES)
                .map(String::as_str)
                .collect();
            let more = answers.len().saturating_sub(MAX_EXAMPLES);
            let mut line = format!("answers: {}", shown.join("; "));
            if more > 0 {
                line.push_str(&format!("; and {more} more"));
            }
            line
        })
    }
    /// The group's hosts, each once, in report order.
    fn hosts(&self) -> Vec<String> {
        distinct(self.members.iter().map(|f| host_of(&f.result.url)))
    }
    fn examples(&self) -> String {
        format!(
            "for example: {}",
            pathprobe_files::quote::list(&self.hosts(), MAX_EXAMPLES)
        )
    }
    /// A finding covering the group: its endpoints and required count
    /// filled in; no action, no fix, seen (the caller sets what differs).
    fn finding(
        &self,
        kind: FindingKind,
        summary: String,
        component: String,
        evidence: Vec<String>,
    ) -> Finding {
        Finding {
            kind,
            component,
            summary,
            endpoints: self.endpoints(),
            required: self.required(),
            evidence,
            action: String::new(),
            fix: None,
            confidence: Confidence::Seen,
        }
    }
}

/// The unclaimed failing endpoints that `matches`, as one group (empty when
/// none does).
fn one_group<'a>(
    failing: &'a [Failing<'a>],
    claimed: &BTreeSet<usize>,
    matches: impl Fn(&Failing<'a>) -> bool,
) -> (Vec<usize>, Group<'a>) {
    let mut ids = Vec::new();
    let mut members = Vec::new();
    for (i, f) in failing.iter().enumerate() {
        if !claimed.contains(&i) && matches(f) {
            ids.push(i);
            members.push(f);
        }
    }
    (ids, Group { members })
}

/// Each item once, in first-seen order.
fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    // A set beside the list: a group can hold 200,000 endpoints, and a
    // linear `contains` would make that quadratic.
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for item in items {
        if seen.insert(item.clone()) {
            out.push(item);
        }
    }
    out
}

/// The findings made so far, and the failing endpoints they cover.
#[derive(Default)]
struct Found {
    out: Vec<Finding>,
    claimed: BTreeSet<usize>,
}

impl Found {
    fn add(&mut self, ids: Vec<usize>, finding: Finding) {
        self.claimed.extend(ids);
        self.out.push(finding);
    }
}

fn group_by<'a, K: Ord>(
    failing: &'a [Failing<'a>],
    claimed: &BTreeSet<usize>,
    key: impl Fn(&Failing<'a>) -> Option<K>,
) -> BTreeMap<K, (Vec<usize>, Group<'a>)> {
    let mut groups: BTreeMap<K, (Vec<usize>, Group<'a>)> = BTreeMap::new();
    for (i, f) in failing.iter().enumerate() {
        if claimed.contains(&i) {
            continue;
        }
        if let Some(k) = key(f) {
            let entry = groups.entry(k).or_insert_with(|| {
                (
                    Vec::new(),
                    Group {
                        members: Vec::new(),
                    },
                )
            });
            entry.0.push(i);
            entry.1.members.push(f);
        }
    }
    groups
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The findings of a report, most important first.
pub fn findings(report: &CheckReport) -> Vec<Finding> {
    let failing: Vec<Failing<'_>> = report
        .results
        .iter()
        .filter(|r| !r.verdict.is_ok() && r.verdict != Verdict::NotProbed)
        .filter_map(|r| CheckReport::deciding(r).map(|attempt| Failing { result: r, attempt }))
        .collect();
    // A failing result with no attempt (a hand-edited report) is still
    // covered, on its own.
    let bare: Vec<&ProbeResult> = report
        .results
        .iter()
        .filter(|r| !r.verdict.is_ok() && r.verdict != Verdict::NotProbed && r.attempts.is_empty())
        .collect();
    let mut found = Found::default();
    let control = report.control.as_ref();
    let control_http = control.and_then(|c| c.http.as_ref());
    let control_dns = control.and_then(|c| c.dns.as_ref());

    // The connectivity test answered by something else: whatever fails on
    // its route is explained by that first.
    if let Some(probe) = control_http.filter(|p| p.outcome == ControlOutcome::Different) {
        let route = probe.route.clone().unwrap_or_default();
        let (ids, g) = one_group(&failing, &found.claimed, |f| {
            f.attempt.route.to_string() == route
        });
        let seen = match (
            control_value(probe, "location"),
            control_value(probe, "status"),
            control_value(probe, "page"),
        ) {
            (Some(location), ..) => format!("a redirect to {location}"),
            (None, Some(status), Some(_)) => format!("status {status} and another page"),
            (None, Some(status), None) => format!("status {status} and no page"),
            (None, None, _) => "another answer".into(),
        };
        let mut ev = vec![format!("control: {} through {route}", probe.target)];
        ev.extend(probe.evidence.iter().cloned());
        if !g.members.is_empty() {
            ev.push(g.count_line());
        }
        let summary = format!(
            "Windows' connectivity test ({}) was answered with {seen} through {route}: a captive portal or a transparent proxy answers in the internet's place.",
            probe.target
        );
        found.add(
            ids,
            Finding {
                action: "sign in to the captive portal, or have the transparent proxy let this machine through, then run again".into(),
                confidence: Confidence::Inferred,
                ..g.finding(FindingKind::CaptivePortal, summary, route, ev)
            },
        );
    }
    // The connectivity test's name answered with another address.
    if let Some(probe) = control_dns.filter(|p| p.outcome == ControlOutcome::Different) {
        let (ids, g) = one_group(&failing, &found.claimed, |f| {
            matches!(f.result.verdict, Verdict::DnsFailure | Verdict::DnsSinkhole)
                && !is_proxy_reported(f.attempt)
        });
        let answers = control_value(probe, "answers").unwrap_or_default();
        let mut ev = vec![
            format!("control: {} expected {}", probe.target, probe.expected),
            format!("answers: {answers}"),
        ];
        if !g.members.is_empty() {
            ev.push(g.count_line());
            ev.push(g.examples());
        }
        let summary = format!(
            "{} resolves to {answers}, not {}: this network's DNS rewrites answers (a captive portal, or a DNS filter).",
            probe.target, probe.expected
        );
        found.add(
            ids,
            Finding {
                action: "check which DNS server this machine uses and what rewrites its answers"
                    .into(),
                confidence: Confidence::Inferred,
                ..g.finding(
                    FindingKind::DnsRewritten,
                    summary,
                    "the resolver in use".into(),
                    ev,
                )
            },
        );
    }

    // One proxy demanding authentication.
    for ((proxy, unsure), (ids, g)) in group_by(&failing, &found.claimed, |f| {
        (f.result.verdict == Verdict::ProxyAuthRequired)
            .then(|| (f.attempt.route.to_string(), is_from_beyond(f.attempt)))
    }) {
        let schemes = g.items("offered schemes");
        let (who, whose, component) = who_answered(&g, &proxy);
        // A sign-in that may be the proxy's or a device's beyond it: said
        // as that, and no rule on the proxy (round 23: the finding named
        // the proxy while `fix` exempted nothing).
        let who = if unsure {
            format!("{who} or a device beyond it")
        } else {
            who
        };
        let mut ev = vec![whose, g.count_line()];
        if !schemes.is_empty() {
            ev.push(format!("offered schemes: {}", schemes.join(", ")));
        }
        if let Some(realm) = g.values("realm").first() {
            ev.push(format!("realm: {realm}"));
        }
        ev.push(g.examples());
        let summary = format!(
            "{who} demands authentication for {}{}.",
            plural(g.members.len(), "endpoint", "endpoints"),
            g.stated_rule()
        );
        let action = if unsure {
            "find in the proxy's access log whether it forwarded these requests; the device that asks for the sign-in must let these URLs through without one".into()
        } else {
            "exempt these URLs from authentication on the proxy".into()
        };
        found.add(
            ids,
            Finding {
                action,
                fix: (!unsure).then(|| FIX.into()),
                ..g.finding(FindingKind::ProxyAuthentication, summary, component, ev)
            },
        );
    }

    // One product or issuer re-signing TLS.
    for (who, (ids, g)) in group_by(&failing, &found.claimed, |f| {
        (f.result.verdict == Verdict::TlsIntercepted).then(|| {
            evidence(f.attempt, "product")
                .or_else(|| evidence(f.attempt, "issuer"))
                .map(str::to_owned)
                // The chain's own issuer, when the evidence does not say.
                .or_else(|| {
                    f.attempt
                        .tls
                        .as_ref()
                        .and_then(|t| t.chain.last())
                        .map(|c| c.issuer.clone())
                })
                .unwrap_or_else(|| "an unnamed issuer".to_owned())
        })
    }) {
        let mut ev = vec![g.count_line()];
        if let Some(issuer) = g.values("issuer").first() {
            ev.push(format!("issuer: {issuer}"));
        }
        ev.push(g.examples());
        let summary = format!(
            "TLS to {} is re-signed by {who}: the connection is inspected{}.",
            plural(g.members.len(), "endpoint", "endpoints"),
            g.stated_rule()
        );
        let action = "exempt these URLs from SSL inspection".into();
        found.add(
            ids,
            Finding {
                action,
                fix: Some(FIX.into()),
                ..g.finding(FindingKind::TlsInspection, summary, who, ev)
            },
        );
    }

    // DNS: nothing resolves, or some names are missing or unanswered. Only
    // the resolver's own answers count: not address literals, not
    // `--resolve` pins; a sinkholed name was answered too.
    // The control name resolving as it should counts as an answer too.
    let control_resolved = control_dns.is_some_and(|p| p.outcome == ControlOutcome::Expected);
    let resolver_answered = control_resolved
        || report.results.iter().any(|r| {
            r.verdict == Verdict::DnsSinkhole
                || r.attempts.iter().any(|a| {
                    a.phases.iter().any(|p| {
                        p.phase == crate::Phase::Dns
                            && p.ok
                            && !p.detail.contains("literal")
                            && !p.detail.contains("(--resolve)")
                    })
                })
        });
    let dns_groups = group_by(&failing, &found.claimed, |f| {
        // A name the proxy could not resolve says nothing of this
        // machine's resolver: that endpoint is a finding of its own.
        // Grouped by what the answer was: a name that does not exist, a
        // name with no address (both what a filter answers, and what an
        // allow rule changes), or no usable answer (round 21: an empty
        // answer was grouped with SERVFAIL, while `fix` allowed it).
        (f.result.verdict == Verdict::DnsFailure && !is_proxy_reported(f.attempt)).then(|| {
            match evidence(f.attempt, "answer") {
                Some(a) if a.starts_with(NXDOMAIN_ANSWER) => DnsAnswer::Missing,
                Some(a) if a.starts_with(NO_ADDRESS_ANSWER) => DnsAnswer::Empty,
                _ => DnsAnswer::Unanswered,
            }
        })
    });
    let distinct_names: BTreeSet<String> = dns_groups
        .values()
        .flat_map(|(_, g)| g.members.iter().map(|f| host_of(&f.result.url)))
        .collect();
    if distinct_names.len() >= 2 && !resolver_answered {
        // Whether the resolver gave answers (NXDOMAIN, no address) or none
        // that could be used: the summary says which (round 23: "answered
        // none" beside "answers: NXDOMAIN").
        let said_something = dns_groups
            .keys()
            .any(|k| matches!(k, DnsAnswer::Missing | DnsAnswer::Empty));
        let mut ids_all = Vec::new();
        let mut members = Vec::new();
        for (_, (ids, g)) in dns_groups {
            ids_all.extend(ids);
            members.extend(g.members);
        }
        let g = Group { members };
        let mut ev = vec![
            g.count_line(),
            format!("names asked: {}", distinct_names.len()),
            "names resolved to an address: none".into(),
        ];
        ev.extend(g.answers());
        // The connectivity test's name failed the same way: no DNS here.
        if let Some(probe) = control_dns.filter(|p| p.outcome == ControlOutcome::Failed) {
            ev.push(format!(
                "control: {} got no answer either ({})",
                probe.target,
                control_value(probe, "answer").unwrap_or_default()
            ));
        }
        ev.push(g.examples());
        let summary = if said_something {
            format!(
                "The resolver resolved none of the {} names asked (it answers, but gives no address): it does not resolve public names here (an internal-only DNS server), or a filter answers for all of them.",
                distinct_names.len()
            )
        } else {
            format!(
                "The resolver answered none of the {} names asked: DNS does not work here, or does not reach the internet.",
                distinct_names.len()
            )
        };
        let action = "check the DNS servers this machine uses and that they can resolve public names (or that the proxy is used, if names are resolved there)".into();
        found.add(
            ids_all,
            Finding {
                action,
                ..g.finding(
                    FindingKind::DnsUnavailable,
                    summary,
                    "the resolver in use".into(),
                    ev,
                )
            },
        );
    } else {
        // "While other names resolve" only when the resolver did answer
        // another name.
        let others = if resolver_answered {
            ", while other names resolve"
        } else {
            ""
        };
        for (answer, (ids, g)) in dns_groups {
            let names = g.hosts();
            let (kind, summary, action) = match answer {
                DnsAnswer::Missing => (
                    FindingKind::NamesMissing,
                    format!(
                        "{} not exist for this resolver{others}.",
                        match names.as_slice() {
                            [one] => format!("{one} does"),
                            _ => format!("{} names do", names.len()),
                        }
                    ),
                    "check split-horizon DNS or DNS filtering for these names",
                ),
                DnsAnswer::Empty => (
                    FindingKind::NamesMissing,
                    format!(
                        "{} no address for this resolver: it answers without one (NOERROR, no A/AAAA record){others}.",
                        match names.as_slice() {
                            [one] => format!("{one} has"),
                            _ => format!("{} names have", names.len()),
                        }
                    ),
                    "check split-horizon DNS or DNS filtering for these names",
                ),
                DnsAnswer::Unanswered => (
                    FindingKind::NamesUnanswered,
                    format!(
                        "{} no usable answer from the resolver (a timeout, or an error answer such as SERVFAIL or REFUSED){others}.",
                        match names.as_slice() {
                            [one] => format!("{one} gets"),
                            _ => format!("{} names get", names.len()),
                        }
                    ),
                    "check the resolver's upstream and any DNS filtering for these names",
                ),
            };
            let mut ev = vec![g.count_line()];
            ev.extend(g.answers());
            ev.push(g.examples());
            found.add(
                ids,
                Finding {
                    action: action.into(),
                    ..g.finding(kind, summary, "the resolver in use".into(), ev)
                },
            );
        }
    }

    // Names answered with block addresses: a DNS filter or hosts file.
    for ((), (ids, g)) in group_by(&failing, &found.claimed, |f| {
        (f.result.verdict == Verdict::DnsSinkhole).then_some(())
    }) {
        let mut ev = vec![g.count_line()];
        let answers = g.items("answers");
        if !answers.is_empty() {
            ev.push(format!(
                "answers: {}",
                pathprobe_files::quote::list(&answers, MAX_EXAMPLES)
            ));
        }
        ev.push(g.examples());
        let summary = format!(
            "{} to block addresses (0.0.0.0, loopback): a DNS filter or a hosts-file entry sinkholes them.",
            plural(g.members.len(), "endpoint resolves", "endpoints resolve")
        );
        let action =
            "allow these names on the DNS filter, or remove their hosts-file entries".into();
        found.add(
            ids,
            Finding {
                action,
                fix: Some(FIX.into()),
                ..g.finding(
                    FindingKind::NamesSinkholed,
                    summary,
                    "the resolver in use".into(),
                    ev,
                )
            },
        );
    }

    // The connectivity test answering as it should: the internet is there,
    // so what fails is blocked for itself.
    let internet_reached = control_http
        .filter(|p| p.outcome == ControlOutcome::Expected)
        .map(|p| {
            format!(
                "control: {} answered as expected through {}: the internet is reachable",
                p.target,
                p.route.as_deref().unwrap_or_default()
            )
        });

    // One proxy that cannot be reached.
    for (proxy, (ids, g)) in group_by(&failing, &found.claimed, |f| {
        (f.result.verdict == Verdict::ProxyUnreachable && f.attempt.route != Route::Direct)
            .then(|| f.attempt.route.to_string())
    }) {
        let mut ev = vec![format!("proxy: {proxy}"), g.count_line()];
        let problems = distinct(g.members.iter().filter_map(|f| {
            evidence(f.attempt, "problem")
                .or_else(|| evidence(f.attempt, "error"))
                .map(str::to_owned)
        }));
        for p in problems.iter().take(MAX_EXAMPLES) {
            ev.push(format!("problem: {p}"));
        }
        let summary = format!(
            "The proxy {proxy} failed {}: it could not be reached, or did not carry the request.",
            plural(g.members.len(), "endpoint", "endpoints")
        );
        // A proxy that took the connection and then left the tunnel
        // request unanswered was reached: its address is right (round 19).
        let only_unanswered = problems.iter().all(|p| p == TUNNEL_UNANSWERED);
        // An HTTPS proxy whose certificate is not trusted answered: its
        // address is right too (round 20).
        let only_untrusted = problems
            .iter()
            .all(|p| p.starts_with(PROXY_CERTIFICATE_UNTRUSTED));
        let action = if only_unanswered {
            "find in the proxy's log why it left the requests unanswered: a slow lookup of the names, destinations that do not answer, or its load".into()
        } else if only_untrusted {
            "trust the HTTPS proxy's certificate (its CA with --ca-cert, and in the agent's trust store), or have the proxy use one from a trusted CA".into()
        } else {
            "check the proxy's address and port in the setting that chose it, and that it is up"
                .into()
        };
        found.add(
            ids,
            Finding {
                action,
                ..g.finding(FindingKind::ProxyUnreachable, summary, proxy, ev)
            },
        );
    }

    // Chains expired (or all not yet valid) on unrelated hosts, with
    // different certificates, while no chain of the run verified: the clock.
    // One certificate served under several names is one expired host; a
    // chain that verified, or expiries in both directions, contradict it.
    let time_problem = |f: &Failing<'_>, word: &str| {
        f.attempt.tls.as_ref().is_some_and(|tls| {
            [&tls.public_roots, &tls.given_anchors, &tls.os_store]
                .iter()
                .any(|v| matches!(v, Verification::Failed { error } if error.starts_with(word)))
        })
    };
    let verified_somewhere = report.results.iter().any(|r| {
        r.attempts.iter().any(|a| {
            a.tls.as_ref().is_some_and(|t| {
                t.public_roots.passed() || t.given_anchors.passed() || t.os_store.passed()
            })
        })
    });
    for word in ["expired", "not valid yet"] {
        let clock = group_by(&failing, &found.claimed, |f| {
            (f.result.verdict == Verdict::TlsUntrusted && time_problem(f, word)).then_some(())
        });
        let Some((ids, g)) = clock.into_values().next() else {
            continue;
        };
        let other_way = failing.iter().any(|f| {
            f.result.verdict == Verdict::TlsUntrusted
                && time_problem(
                    f,
                    if word == "expired" {
                        "not valid yet"
                    } else {
                        "expired"
                    },
                )
        });
        let certificates: BTreeSet<&str> = g
            .members
            .iter()
            .filter_map(|f| {
                f.attempt
                    .tls
                    .as_ref()
                    .and_then(|t| t.chain.first())
                    .map(|c| c.sha256.as_str())
            })
            .collect();
        // One wrong clock makes every certificate look so only if some
        // instant lies inside all their validity periods: a certificate
        // that expired in 2020 and one valid from 2024 on cannot both be
        // right under any clock.
        let leaves = g
            .members
            .iter()
            .filter_map(|f| f.attempt.tls.as_ref().and_then(|t| t.chain.first()));
        let (mut latest_start, mut earliest_end) = (i64::MIN, i64::MAX);
        for c in leaves {
            if let Ok(start) = c.not_before.parse::<jiff::Timestamp>() {
                latest_start = latest_start.max(start.as_second());
            }
            earliest_end = earliest_end.min(c.not_after_unix);
        }
        let one_clock_fits = latest_start <= earliest_end;
        if certificates.len() < 2 || verified_somewhere || other_way || !one_clock_fits {
            continue;
        }
        let summary = format!(
            "{} different certificates look {word}, and no chain of the run verified: this machine's clock is probably wrong.",
            certificates.len()
        );
        let action = "check the system clock and its time source (NTP)".into();
        found.add(
            ids,
            Finding {
                action,
                confidence: Confidence::Inferred,
                ..g.finding(
                    FindingKind::ClockWrong,
                    summary,
                    "this machine's clock".into(),
                    vec![
                        g.count_line(),
                        format!("different certificates: {}", certificates.len()),
                        g.examples(),
                    ],
                )
            },
        );
    }

    address_family(report, &failing, &mut found);

    // One proxy refusing destinations, or answering for them in another
    // way that names no refusal: only a refusal gets allow-list advice.
    for ((proxy, kind), (ids, g)) in group_by(&failing, &found.claimed, |f| {
        (f.result.verdict == Verdict::ProxyDenied).then(|| {
            let kind = proxy_answer(f.attempt).unwrap_or(ProxyAnswer::Refusal);
            (f.attempt.route.to_string(), kind)
        })
    }) {
        let (who, whose, component) = who_answered(&g, &proxy);
        let mut ev = vec![whose, g.count_line()];
        if let Some(product) = g.values("product").first() {
            ev.push(format!("product: {product}"));
        }
        ev.push(g.examples());
        let destinations = plural(g.members.len(), "destination", "destinations");
        let answers = g.values("answer");
        let answered = match answers.as_slice() {
            [one] => one.clone(),
            _ => format!("{} different answers", answers.len()),
        };
        let (summary, action) = match kind {
            ProxyAnswer::Refusal => (
                format!("{who} refuses {destinations}."),
                "add these URLs to the proxy's allow list".to_owned(),
            ),
            ProxyAnswer::GatewayError => (
                format!("{who} could not get an answer from {destinations} (a gateway error, no refusal)."),
                "find in the proxy's log why it cannot reach them: a firewall beyond it, its DNS, or the destinations themselves".to_owned(),
            ),
            ProxyAnswer::NotTaken => (
                format!("{who} does not take the requests for {destinations} ({answered})."),
                "check that the proxy setting names a forward proxy that allows CONNECT (a web server or reverse proxy answers so)".to_owned(),
            ),
            ProxyAnswer::RateLimited => (
                format!("{who} limited how fast this machine asks ({answered}, {destinations})."),
                "run again later, or with lower --concurrency and --per-proxy; ask the proxy team whether this machine is limited".to_owned(),
            ),
            ProxyAnswer::Unexplained => (
                format!("{who} answered {destinations} with {answered}, which refuses no destination."),
                "find in the proxy's log why it answered so".to_owned(),
            ),
            ProxyAnswer::Unattributed => (
                format!("{who} passed {destinations} an answer that nothing says it wrote ({answered}): its own refusal, or the service's answer relayed without Via."),
                "look these URLs up in the proxy's access log: denied there, add them to its allow list; forwarded, the services answered so themselves".to_owned(),
            ),
            // Reports written before sign-in pages were their own verdict.
            ProxyAnswer::SignIn => (
                format!("{who} sends {destinations} to a sign-in page ({answered})."),
                "exempt these URLs from authentication on the proxy".to_owned(),
            ),
        };
        found.add(
            ids,
            Finding {
                action,
                fix: kind.is_refusal().then(|| FIX.into()),
                ..g.finding(FindingKind::ProxyDenied, summary, component, ev)
            },
        );
    }

    // Nothing answering directly, the connectivity test included, once
    // every specific cause has had its endpoints.
    no_internet(report, &failing, &mut found);

    // A whole category failing while others work.
    // Counted once: a catalog can hold as many categories as endpoints.
    let mut probed_in: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    let mut ok_in: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for r in &report.results {
        if r.verdict != Verdict::NotProbed {
            *probed_in.entry(r.category.as_deref()).or_default() += 1;
        }
        if r.verdict.is_ok() {
            *ok_in.entry(r.category.as_deref()).or_default() += 1;
        }
    }
    let ok_total: usize = ok_in.values().sum();
    let ok_elsewhere = |category: &str| ok_total > ok_in.get(&Some(category)).copied().unwrap_or(0);
    let in_category = |category: &str| probed_in.get(&Some(category)).copied().unwrap_or(0);
    for (category, (ids, g)) in group_by(&failing, &found.claimed, |f| f.result.category.clone()) {
        if g.members.len() < 2
            || g.members.len() != in_category(&category)
            || !ok_elsewhere(&category)
        {
            continue;
        }
        let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &g.members {
            *verdicts.entry(f.result.verdict.name()).or_default() += 1;
        }
        let verdicts: Vec<String> = verdicts.iter().map(|(v, n)| format!("{v} {n}")).collect();
        let summary = format!(
            "Every endpoint of \"{category}\" fails ({}) while other categories work: a rule for this service is missing or blocks it.",
            g.members.len()
        );
        let action = "allow this category's URLs on the firewall or proxy".into();
        found.add(
            ids,
            Finding {
                action,
                fix: Some(FIX.into()),
                confidence: Confidence::Inferred,
                ..g.finding(
                    FindingKind::CategoryBlocked,
                    summary,
                    category,
                    [
                        g.count_line(),
                        format!("verdicts: {}", verdicts.join(", ")),
                        g.examples(),
                    ]
                    .into_iter()
                    .chain(internet_reached.clone())
                    .collect(),
                )
            },
        );
    }

    // What is left fails on its own; many alike (thousands of endpoints
    // refused on one route) are one finding, not thousands.
    let mut alike: BTreeMap<(&str, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in failing.iter().enumerate() {
        if !found.claimed.contains(&i) {
            alike
                .entry((f.result.verdict.name(), f.attempt.route.to_string()))
                .or_default()
                .push(i);
        }
    }
    for ((verdict, route), ids) in alike {
        if ids.len() <= MAX_LONE {
            continue;
        }
        let g = Group {
            members: ids.iter().filter_map(|&i| failing.get(i)).collect(),
        };
        let first_hint = g
            .members
            .first()
            .map(|f| f.attempt.hint.clone())
            .unwrap_or_default();
        let summary = format!(
            "{} fail: {verdict} through {route}, each with its own evidence.",
            plural(g.members.len(), "endpoint", "endpoints")
        );
        let finding = Finding {
            action: format!(
                "each endpoint's hint in the results says what to do; the first: {first_hint}"
            ),
            ..g.finding(
                FindingKind::EndpointFailing,
                summary,
                format!("{} endpoints", g.members.len()),
                vec![g.count_line(), format!("verdict: {verdict}"), g.examples()],
            )
        };
        found.add(ids, finding);
    }
    for (i, f) in failing.iter().enumerate() {
        if found.claimed.contains(&i) {
            continue;
        }
        let mut ev = vec![format!("verdict: {}", f.result.verdict.name())];
        ev.extend(f.attempt.evidence.iter().take(MAX_EXAMPLES).cloned());
        found.out.push(Finding {
            kind: FindingKind::EndpointFailing,
            component: host_of(&f.result.url),
            summary: format!("{} fails: {}.", f.result.url, f.result.verdict.name()),
            endpoints: vec![f.result.url.clone()],
            required: usize::from(f.result.required),
            evidence: ev,
            action: f.attempt.hint.clone(),
            fix: None,
            confidence: Confidence::Seen,
        });
    }

    for r in bare {
        found.out.push(Finding {
            kind: FindingKind::EndpointFailing,
            component: host_of(&r.url),
            summary: format!("{} fails: {}.", r.url, r.verdict.name()),
            endpoints: vec![r.url.clone()],
            required: usize::from(r.required),
            evidence: vec![
                format!("verdict: {}", r.verdict.name()),
                "attempts: none recorded".into(),
            ],
            action: r.hint.clone(),
            fix: None,
            confidence: Confidence::Seen,
        });
    }

    // Required endpoints first, then how many; shared causes before single
    // endpoints when those tie.
    let mut out = found.out;
    out.sort_by(|a, b| {
        b.required
            .cmp(&a.required)
            .then(b.endpoints.len().cmp(&a.endpoints.len()))
            .then(a.kind.cmp(&b.kind))
    });
    out
}

/// The value of a `key: value` evidence line of a control probe.
fn control_value<'a>(probe: &'a ControlProbe, key: &str) -> Option<&'a str> {
    probe
        .evidence
        .iter()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(": "))
}

/// Nothing answered through the connectivity test's route, the test
/// included: what fails there is explained by that, not by rules for each
/// endpoint.
fn no_internet(report: &CheckReport, failing: &[Failing<'_>], found: &mut Found) {
    let Some(probe) = report
        .control
        .as_ref()
        .and_then(|c| c.http.as_ref())
        .filter(|p| p.outcome == ControlOutcome::Failed)
    else {
        return;
    };
    // Directly only, and only when no answer came at all (no name, no
    // connection): a proxy that failed is its own finding, and a slow or
    // broken answer is still an answer.
    let Some(route) = probe
        .route
        .as_deref()
        .filter(|r| *r == Route::Direct.to_string())
    else {
        return;
    };
    let silent = ["dns_failure", "tcp_timeout", "tcp_refused"]
        .iter()
        .any(|v| control_value(probe, "verdict") == Some(*v));
    if !silent {
        return;
    }
    // An endpoint that worked through that route contradicts it.
    let worked = report.results.iter().any(|r| {
        r.attempts
            .iter()
            .any(|a| a.verdict.is_ok() && a.route.to_string() == route)
    });
    if worked {
        return;
    }
    let (ids, g) = one_group(failing, &found.claimed, |f| {
        f.attempt.route.to_string() == route
    });
    if g.members.is_empty() {
        return;
    }
    let mut ev = vec![format!("control: {} through {route}", probe.target)];
    ev.extend(probe.evidence.iter().cloned());
    ev.push(g.count_line());
    ev.push(g.examples());
    let summary = format!(
        "Nothing answered through {route}, Windows' connectivity test included: this machine has no working path to the internet there ({} failing).",
        plural(g.members.len(), "endpoint", "endpoints")
    );
    found.add(
        ids,
        Finding {
            action: format!("check this machine's connection to the internet through {route} (cabling, Wi-Fi, gateway, firewall) before any rule for the endpoints"),
            confidence: Confidence::Inferred,
            ..g.finding(FindingKind::NoInternet, summary, route.to_owned(), ev)
        },
    );
}

/// The addresses a direct attempt connected to (or tried), in order.
fn direct_tries(attempt: &Attempt) -> impl Iterator<Item = &AddressTry> {
    attempt
        .phases
        .iter()
        .filter(|p| p.phase == crate::Phase::Connect && attempt.route == Route::Direct)
        .flat_map(|p| &p.addresses)
}

/// What the addresses of one family did across the direct attempts.
#[derive(Default)]
struct FamilyTries {
    /// Connected, or refused by the host (which was reached).
    reached: usize,
    silent: usize,
    unreachable: usize,
    failed: usize,
}

impl FamilyTries {
    fn not_reached(&self) -> usize {
        self.silent + self.unreachable + self.failed
    }

    /// How they failed: "no answer 3, no route 1".
    fn failures(&self) -> String {
        [
            ("an error", self.failed),
            ("no answer", self.silent),
            ("no route", self.unreachable),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(how, n)| format!("{how} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// One address family reaching no host while the other reaches some: the
/// endpoints it fails (those with addresses of that family only) and those
/// reached over the other family after it failed.
///
/// A machine without IPv6 at all is told apart: its IPv6 addresses fail at
/// once (no route), nothing fails for it and nothing waits, so it is no
/// finding; a family that fails endpoints, or that swallows packets and
/// makes every connection wait for the other, is one.
fn address_family(report: &CheckReport, failing: &[Failing<'_>], found: &mut Found) {
    let mut tally: BTreeMap<Family, FamilyTries> = BTreeMap::new();
    for a in report.results.iter().flat_map(|r| &r.attempts) {
        for t in direct_tries(a) {
            let counts = tally.entry(t.family).or_default();
            match t.outcome {
                AddressOutcome::Connected | AddressOutcome::Refused => counts.reached += 1,
                AddressOutcome::Silent => counts.silent += 1,
                AddressOutcome::Unreachable => counts.unreachable += 1,
                AddressOutcome::Failed => counts.failed += 1,
            }
        }
    }
    for (family, other) in [(Family::Ipv6, Family::Ipv4), (Family::Ipv4, Family::Ipv6)] {
        let (Some(this), Some(that)) = (tally.get(&family), tally.get(&other)) else {
            continue;
        };
        if this.reached > 0 || that.reached == 0 || this.not_reached() == 0 {
            continue;
        }
        // Failing endpoints whose every address was of this family.
        let only_this = |a: &Attempt| {
            let mut tries = direct_tries(a).peekable();
            tries.peek().is_some() && tries.all(|t| t.family == family && !t.outcome.reached())
        };
        let (ids, g) = one_group(failing, &found.claimed, |f| only_this(f.attempt));
        // Endpoints reached over the other family after this one failed.
        let fell_back: Vec<&ProbeResult> = report
            .results
            .iter()
            .filter(|r| {
                r.attempts.iter().any(|a| {
                    direct_tries(a).any(|t| t.family == family && !t.outcome.reached())
                        && direct_tries(a)
                            .any(|t| t.family == other && t.outcome == AddressOutcome::Connected)
                })
            })
            .collect();
        let waited = this.silent > 0;
        let hosts: BTreeSet<String> = g
            .members
            .iter()
            .map(|f| host_of(&f.result.url))
            .chain(fell_back.iter().map(|r| host_of(&r.url)))
            .collect();
        if hosts.len() < 2 || (g.members.is_empty() && !waited) {
            continue;
        }
        let name = family.name();
        let mut ev = vec![
            format!(
                "{name} addresses tried: {}, none reached ({})",
                this.not_reached(),
                this.failures()
            ),
            format!("{} addresses reached: {}", other.name(), that.reached),
        ];
        if !g.members.is_empty() {
            ev.push(format!(
                "{}, all with {name} addresses only",
                g.count_line()
            ));
        }
        if !fell_back.is_empty() {
            let names = distinct(fell_back.iter().map(|r| host_of(&r.url)));
            ev.push(format!(
                "reached over {} after {name} failed: {} (for example: {})",
                other.name(),
                plural(fell_back.len(), "endpoint", "endpoints"),
                pathprobe_files::quote::list(&names, MAX_EXAMPLES)
            ));
        }
        if !g.members.is_empty() {
            ev.push(g.examples());
        }
        let summary = if g.members.is_empty() {
            format!(
                "{name} reaches no host from this machine while {} works: every connection waits for {name} to time out before {} is tried.",
                other.name(),
                other.name()
            )
        } else {
            format!(
                "{name} reaches no host from this machine while {} works: {} with only {name} addresses {}.",
                other.name(),
                plural(g.members.len(), "endpoint", "endpoints"),
                if g.members.len() == 1 {
                    "fails"
                } else {
                    "fail"
                }
            )
        };
        let action = format!(
            "fix {name} routing and firewalling on this network, or turn {name} off on this machine so that clients use {} at once",
            other.name()
        );
        found.add(
            ids,
            Finding {
                action,
                confidence: Confidence::Inferred,
                ..g.finding(FindingKind::AddressFamilyBroken, summary, name.into(), ev)
            },
        );
    }
}

/// For each endpoint a finding covers, the index of the first that does.
pub fn covering(findings: &[Finding]) -> std::collections::HashMap<&str, usize> {
    let mut map = std::collections::HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        for url in &f.endpoints {
            map.entry(url.as_str()).or_insert(i);
        }
    }
    map
}

/// Findings shown one by one in text outputs; the rest are counted (JSON
/// lists them all).
pub(crate) const SHOWN: usize = 10;

impl Finding {
    /// The line that opens the finding in text outputs: its kind, what it
    /// covers and the summary.
    pub fn headline(&self) -> String {
        let covered = if self.endpoints.len() == 1 {
            "1 endpoint".to_owned()
        } else {
            format!("{} endpoints", self.endpoints.len())
        };
        let inferred = match self.confidence {
            Confidence::Seen => "",
            Confidence::Inferred => ", inferred",
        };
        format!(
            "[{}] {} ({covered}, {} required{inferred})",
            self.kind.name(),
            self.summary,
            self.required
        )
    }

    /// What to do, with the command that writes it when there is one.
    pub fn action_line(&self) -> String {
        match &self.fix {
            Some(fix) => format!("{} (`{fix}` writes the rule)", self.action),
            None => self.action.clone(),
        }
    }
}
