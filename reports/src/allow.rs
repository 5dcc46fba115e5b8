//! Allow-lists: the catalog (or what a check found broken) as the rules
//! firewalls, proxies and PAC files take.
//!
//! An [`AllowList`] is a list of host patterns with what the network team must
//! do for each ([`Action`]). It renders as a firewall domain list (exact hosts
//! and `*.suffix`), a squid `dstdomain` ACL file (with a `squid.conf` snippet,
//! optionally splicing these hosts past SSL bumping), a PAC file or snippet
//! that sends these hosts DIRECT (or through a given proxy) before an
//! existing PAC, CSV, JSON, and the text of a ticket. Whatever a format cannot
//! express is reported in [`Rendered::notes`], never dropped silently.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use pathprobe_urls::{HostPattern, PathPattern, Scheme};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the network team must do for a host.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Let it through (firewall, DNS filter, proxy allow list).
    Allow,
    /// The proxy must let it through without asking for credentials.
    ExemptFromAuthentication,
    /// Never decrypt it (SSL/TLS inspection bypass).
    ExemptFromInspection,
}

impl Action {
    /// The name used in CSV and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::ExemptFromAuthentication => "exempt_from_authentication",
            Self::ExemptFromInspection => "exempt_from_inspection",
        }
    }

    /// A heading for people.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Allow => "Allow these destinations",
            Self::ExemptFromAuthentication => "Exempt these destinations from proxy authentication",
            Self::ExemptFromInspection => "Exempt these destinations from SSL/TLS inspection",
        }
    }
}

/// One host pattern to act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AllowEntry {
    /// The host, or hosts under a suffix.
    pub host: HostPattern,
    /// The port clients connect to.
    pub port: u16,
    /// The scheme clients use.
    pub scheme: Scheme,
    /// The path the catalog names (formats that take hosts only widen it).
    pub path: PathPattern,
    /// The vendor's category.
    pub category: Option<String>,
    /// Data location of the row ("WW", "EU", ...).
    pub geography: String,
    /// Whether the vendor marks it required.
    pub required: bool,
    /// The service pins its certificate: inspection always breaks it.
    pub never_inspect: bool,
    /// What to do.
    pub action: Action,
    /// Why, for entries that come from a failed check ("tls_intercepted by
    /// Zscaler"); empty for a catalog export.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Where it came from: catalog row or probed URL.
    pub source: String,
    /// The finding of the report that covers it (an index into
    /// [`AllowList::findings`]), for entries from a failed check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<usize>,
    /// How the probe that failed went, for entries from a failed check: a
    /// proxy's allow list and a PAC's DIRECT help only some failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<FailedProbe>,
}

/// The route and verdict of a failed probe an entry comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FailedProbe {
    /// The route it took.
    pub route: pathprobe_pac::Route,
    /// Its verdict.
    pub verdict: crate::Verdict,
}

impl AllowEntry {
    /// Whether a proxy (configured, or one in the path nobody named) gave
    /// the answer that failed: its allow list can change that. A name or
    /// connection that failed without a proxy is the firewall's or the
    /// DNS filter's.
    fn a_proxy_answered(&self) -> bool {
        self.failed.as_ref().is_none_or(|f| {
            f.route != pathprobe_pac::Route::Direct
                || matches!(
                    f.verdict,
                    crate::Verdict::ProxyDenied
                        | crate::Verdict::ProxyAuthRequired
                        | crate::Verdict::TlsIntercepted
                )
        })
    }

    /// Whether sending it DIRECT is a change: it failed through a proxy.
    fn failed_through_a_proxy(&self) -> bool {
        self.failed
            .as_ref()
            .is_none_or(|f| f.route != pathprobe_pac::Route::Direct)
    }
}

/// An address block to allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RangeEntry {
    /// The block.
    pub range: pathprobe_urls::AddressRange,
    /// The TCP port clients connect to, when the catalog names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The UDP ports, for a block the catalog names UDP ports only for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub udp: Vec<pathprobe_urls::PortSpan>,
    /// The catalog's category.
    pub category: Option<String>,
    /// Data location of the row ("WW", ...).
    pub geography: String,
    /// Whether the catalog marks it required.
    pub required: bool,
    /// The catalog row.
    pub source: String,
}

/// Entries with where they came from and what was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AllowList {
    /// The catalog's name and version, or the report's.
    pub catalog: String,
    /// Filters applied ("geo=EU", ...).
    pub filters: Vec<String>,
    /// The program that wrote it ("pathprobe 0.1.0").
    pub generator: String,
    /// The entries, in source order.
    pub entries: Vec<AllowEntry>,
    /// Address blocks the catalog lists (the Microsoft 365 feed's `ips`),
    /// for the formats that take addresses (CSV, JSON, the ticket).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<RangeEntry>,
    /// What could not become an entry at all (prose rows), with why.
    pub notes: Vec<String>,
    /// The findings of the report the entries come from, in its order
    /// (none for a catalog export).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<crate::findings::Finding>,
}

/// Text written, and what the format could not say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    /// The artefact.
    pub text: String,
    /// Entries widened, narrowed, merged or left out, one sentence each.
    pub notes: Vec<String>,
}

/// How the PAC export routes the listed hosts and what follows them.
#[derive(Debug, Clone, Default)]
pub struct PacExport {
    /// The route for listed hosts (`PROXY host:port`); `None` is `DIRECT`.
    pub via: Option<String>,
    /// An existing PAC to wrap (name, text, whether it defines
    /// `FindProxyForURLEx`): hosts not listed get its answer.
    pub base: Option<(String, String, bool)>,
    /// Only the lines to paste at the top of an existing `FindProxyForURL`.
    pub snippet: bool,
}

/// A host pattern as the host-only formats see it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum HostRule {
    /// One name.
    Exact(String),
    /// The name and every name below it (`.suffix` in squid).
    Domain(String),
    /// Every name below the suffix, not the suffix itself (`*.suffix`).
    Below(String),
}

impl AllowList {
    /// Entries with this action only (the same list, other notes kept).
    pub fn only(&self, action: Action) -> AllowList {
        AllowList {
            entries: self
                .entries
                .iter()
                .filter(|e| e.action == action)
                .cloned()
                .collect(),
            ..self.clone()
        }
    }

    /// Comment lines naming the list's origin, with `prefix` (`#`, `//`).
    fn header(&self, prefix: &str, what: &str) -> String {
        let mut out = format!(
            "{prefix} {what}\n{prefix} Generated by {}\n",
            self.generator
        );
        let _ = writeln!(out, "{prefix} Catalog: {}", self.catalog);
        if !self.filters.is_empty() {
            let _ = writeln!(out, "{prefix} Filters: {}", self.filters.join(", "));
        }
        let pinned: BTreeSet<String> = self
            .entries
            .iter()
            .filter(|e| e.never_inspect)
            .map(|e| e.host.to_string())
            .collect();
        if !pinned.is_empty() {
            let _ = writeln!(
                out,
                "{prefix} Never inspect (the service pins its certificates):"
            );
            for host in pinned {
                let _ = writeln!(out, "{prefix}   {host}");
            }
        }
        out
    }

    /// Host rules for formats that name hosts only, with notes for paths,
    /// narrowed suffixes and entries another one already covers.
    fn host_rules(&self, format: &str, domain_includes_base: bool) -> (Vec<HostRule>, Vec<String>) {
        let mut notes: Vec<String> = self.notes.clone();
        if !self.ranges.is_empty() {
            notes.push(format!(
                "{} address blocks left out: {format} names hosts (the csv and json formats list them)",
                self.ranges.len()
            ));
        }
        let mut rules: BTreeSet<HostRule> = BTreeSet::new();
        let mut widened: BTreeSet<String> = BTreeSet::new();
        for e in &self.entries {
            if e.path != PathPattern::Any {
                widened.insert(format!("{}{}", e.host, e.path));
            }
            match &e.host {
                HostPattern::Exact(h) => {
                    rules.insert(HostRule::Exact(h.clone()));
                }
                HostPattern::Subdomains(s) if domain_includes_base => {
                    rules.insert(HostRule::Domain(s.clone()));
                }
                HostPattern::Subdomains(s) => {
                    rules.insert(HostRule::Below(s.clone()));
                }
                HostPattern::Suffix(s) => {
                    // "*ecs.office.com": the vendor means ecs.office.com and
                    // its subdomains; no host-list format can say "any name
                    // ending in these letters".
                    notes.push(format!(
                        "{}: {format} cannot match a name that merely ends in \"{s}\"; written as {s} and everything below it",
                        e.host
                    ));
                    if domain_includes_base {
                        rules.insert(HostRule::Domain(s.clone()));
                    } else {
                        rules.insert(HostRule::Exact(s.clone()));
                        rules.insert(HostRule::Below(s.clone()));
                    }
                }
                HostPattern::Inner(_) => {
                    // "autodiscover.*.onmicrosoft.com": host lists have no
                    // star inside a name; the domain after it is the
                    // narrowest rule that covers every tenant's name.
                    let base = e.host.base().to_owned();
                    notes.push(format!(
                        "{}: {format} cannot put a * inside a name; written as every name below {base}",
                        e.host
                    ));
                    // As a `*.suffix` row is: squid's `.suffix` form.
                    rules.insert(if domain_includes_base {
                        HostRule::Domain(base)
                    } else {
                        HostRule::Below(base)
                    });
                }
            }
        }
        if !widened.is_empty() {
            notes.push(format!(
                "{format} names hosts, not paths: allowing the whole host for {}",
                widened.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        // Drop what a wider rule already covers (squid refuses such lists),
        // saying so once per wider rule.
        // Wide rules by the name they are below: a rule's candidates are
        // those of its own name and of each of its parents (linear in the
        // rules, not quadratic: 50,000 hosts took 45 s).
        let mut wide: std::collections::HashMap<&str, Vec<&HostRule>> = Default::default();
        for rule in &rules {
            if let HostRule::Domain(s) | HostRule::Below(s) = rule {
                wide.entry(s.as_str()).or_default().push(rule);
            }
        }
        let mut kept = Vec::new();
        let mut merged: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for rule in &rules {
            let name = match rule {
                HostRule::Exact(h) | HostRule::Domain(h) | HostRule::Below(h) => h.as_str(),
            };
            let parents = std::iter::successors(Some(name), |n| n.split_once('.').map(|(_, p)| p));
            // The first in the rules' order, as a scan of them would find.
            let wider = parents
                .filter_map(|n| wide.get(n))
                .flatten()
                .filter(|other| **other != rule && covers(other, rule))
                .min();
            match wider {
                Some(other) => merged
                    .entry(rule_text(other, domain_includes_base))
                    .or_default()
                    .push(rule_text(rule, domain_includes_base)),
                None => kept.push(rule.clone()),
            }
        }
        for (wider, narrower) in merged {
            notes.push(format!(
                "{wider} covers {}: listed once",
                narrower.join(", ")
            ));
        }
        kept.sort_by_key(sort_key);
        // A pattern listed on two ports gives the same note twice.
        let mut said = BTreeSet::new();
        notes.retain(|n| said.insert(n.clone()));
        (kept, notes)
    }

    /// The list without the entries `keep` refuses, and a note naming them
    /// (`why` says what the format cannot do for them).
    fn narrowed(&self, keep: impl Fn(&AllowEntry) -> bool, why: &str) -> (Self, Option<String>) {
        let (kept, left): (Vec<_>, Vec<_>) = self.entries.iter().cloned().partition(|e| keep(e));
        let note = (!left.is_empty()).then(|| {
            let hosts: Vec<String> = left
                .iter()
                .map(|e| e.host.to_string())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            format!(
                "{} left out: {why}: {}",
                if hosts.len() == 1 {
                    "1 host".to_owned()
                } else {
                    format!("{} hosts", hosts.len())
                },
                pathprobe_files::quote::list(&hosts, 10)
            )
        });
        (
            Self {
                entries: kept,
                ..self.clone()
            },
            note,
        )
    }

    /// One pattern per line, exact hosts and `*.suffix`, as firewall
    /// external dynamic lists take them; `#` comment header unless `bare`.
    pub fn domains(&self, bare: bool) -> Rendered {
        let (rules, notes) = self.host_rules("a domain list", false);
        let mut text = if bare {
            String::new()
        } else {
            self.header("#", "Domain list: one host or *.domain per line")
        };
        for rule in &rules {
            let _ = writeln!(text, "{}", rule_text(rule, false));
        }
        Rendered { text, notes }
    }

    /// A squid `dstdomain` ACL file: hosts, and `.domain` for wildcards
    /// (which also covers the domain itself), no entry covering another.
    pub fn squid_acl(&self) -> Rendered {
        // A name or connection that failed with no proxy in the path is
        // not the proxy's to allow (round 18).
        let (list, left) = self.narrowed(
            AllowEntry::a_proxy_answered,
            "they failed with no proxy in the path (a name or a connection): a firewall or DNS filter rule, not the proxy's allow list",
        );
        let (rules, mut notes) = list.host_rules("a squid dstdomain list", true);
        notes.extend(left);
        if list
            .entries
            .iter()
            .any(|e| matches!(e.host, HostPattern::Subdomains(_)))
        {
            notes.push(
                "squid's .domain also matches the domain itself: *.example.com is written .example.com".into(),
            );
        }
        let mut text = list.header(
            "#",
            "squid dstdomain ACL file: acl NAME dstdomain \"/path/to/this/file\"",
        );
        for rule in &rules {
            let _ = writeln!(text, "{}", rule_text(rule, true));
        }
        Rendered { text, notes }
    }

    /// The `squid.conf` lines that use the ACL file at `acl_path`: allow
    /// CONNECT and requests to these hosts, and with `ssl_bump` splice them
    /// (never decrypt) ahead of any bump rule.
    pub fn squid_conf(&self, acl_path: &str, ssl_bump: bool) -> String {
        let mut text = self.header("#", "squid.conf lines for the list; put them above your other http_access and ssl_bump rules");
        let _ = writeln!(text, "acl pathprobe_allowed dstdomain \"{acl_path}\"");
        let _ = writeln!(text, "http_access allow pathprobe_allowed");
        if ssl_bump {
            let _ = writeln!(
                text,
                "# Never intercept these hosts: the agent pins certificates and refuses inspected TLS."
            );
            let _ = writeln!(
                text,
                "acl pathprobe_never_bump ssl::server_name \"{acl_path}\""
            );
            let _ = writeln!(text, "acl pathprobe_step1 at_step SslBump1");
            let _ = writeln!(text, "ssl_bump peek pathprobe_step1");
            let _ = writeln!(text, "ssl_bump splice pathprobe_never_bump");
        }
        text
    }

    /// A PAC file (or snippet) routing the listed hosts first.
    pub fn pac(&self, export: &PacExport) -> Rendered {
        // DIRECT is no change for what failed directly (round 18).
        let (list, left) = if export.via.is_none() {
            self.narrowed(
                AllowEntry::failed_through_a_proxy,
                "they failed on the direct route, which DIRECT would give them again",
            )
        } else {
            (self.clone(), None)
        };
        let (rules, mut notes) = list.host_rules("a PAC host list", false);
        notes.extend(left);
        let route = export.via.clone().unwrap_or_else(|| "DIRECT".to_owned());
        let mut exact = Vec::new();
        let mut suffixes = Vec::new();
        for rule in &rules {
            match rule {
                HostRule::Exact(h) => exact.push(h.clone()),
                HostRule::Below(s) => suffixes.push(format!(".{s}")),
                HostRule::Domain(s) => {
                    exact.push(s.clone());
                    suffixes.push(format!(".{s}"));
                }
            }
        }
        let exact_js = exact
            .iter()
            .map(|h| format!("    {}: 1", js_string(h)))
            .collect::<Vec<_>>()
            .join(",\n");
        let suffix_js = suffixes
            .iter()
            .map(|s| format!("    {}", js_string(s)))
            .collect::<Vec<_>>()
            .join(",\n");
        let test = format!(
            "  // pathprobe: the catalog's hosts go {route}\n  var pathprobeHost = host.toLowerCase().replace(/\\.$/, \"\");\n  var pathprobeExact = {{\n{exact_js}\n  }};\n  var pathprobeSuffixes = [\n{suffix_js}\n  ];\n  if (Object.prototype.hasOwnProperty.call(pathprobeExact, pathprobeHost)) return {route_js};\n  for (var pathprobeI = 0; pathprobeI < pathprobeSuffixes.length; pathprobeI++) {{\n    var pathprobeS = pathprobeSuffixes[pathprobeI];\n    if (pathprobeHost.length > pathprobeS.length && pathprobeHost.substring(pathprobeHost.length - pathprobeS.length) == pathprobeS) return {route_js};\n  }}\n",
            route_js = js_string(&route),
        );
        if export.snippet {
            let text = format!(
                "{}  // Paste these lines at the top of FindProxyForURL(url, host).\n{test}",
                list.header("  //", "PAC snippet")
            );
            return Rendered { text, notes };
        }
        let mut text = list.header("//", "Proxy auto-config");
        match &export.base {
            None => {
                // Served as a machine's PAC, this sends everything else
                // around the proxy: said in the file and beside it.
                let _ = write!(
                    text,
                    "\nfunction FindProxyForURL(url, host) {{\n{test}  // Every other host goes DIRECT too: --base YOUR.pac keeps its answers for them.\n  return \"DIRECT\";\n}}\n"
                );
                notes.push("the PAC sends every other host DIRECT as well: give --base with the PAC in use to keep its answers for them, or --pac-snippet to paste the lines into it".to_owned());
            }
            Some((name, base, has_ex)) => {
                let _ = writeln!(
                    text,
                    "// Every other host gets the answer of {name}, included unchanged below.\n"
                );
                let _ = write!(
                    text,
                    "var pathprobeBase = (function () {{\n// ---- {name} ----\n{base}\n// ---- end of {name} ----\n  return {{\n    plain: typeof FindProxyForURL == \"function\" ? FindProxyForURL : null,\n    ex: typeof FindProxyForURLEx == \"function\" ? FindProxyForURLEx : null\n  }};\n}})();\n\n"
                );
                let _ = write!(
                    text,
                    "function FindProxyForURL(url, host) {{\n{test}  return pathprobeBase.plain ? pathprobeBase.plain(url, host) : pathprobeBase.ex(url, host);\n}}\n"
                );
                if *has_ex {
                    let _ = write!(
                        text,
                        "\nfunction FindProxyForURLEx(url, host) {{\n{test}  return pathprobeBase.ex(url, host);\n}}\n"
                    );
                }
            }
        }
        Rendered { text, notes }
    }

    /// One row per entry, every field.
    pub fn csv(&self) -> Result<String, crate::RenderError> {
        let mut w = crate::Csv::new();
        w.row([
            "host",
            "port",
            "scheme",
            "path",
            "category",
            "geography",
            "required",
            "never_inspect",
            "action",
            "reason",
            "source",
        ])?;
        for e in &self.entries {
            w.row([
                e.host.to_string(),
                e.port.to_string(),
                e.scheme.to_string(),
                match &e.path {
                    PathPattern::Any => String::new(),
                    other => other.to_string(),
                },
                e.category.clone().unwrap_or_default(),
                e.geography.clone(),
                e.required.to_string(),
                e.never_inspect.to_string(),
                e.action.name().to_owned(),
                e.reason.clone(),
                e.source.clone(),
            ])?;
        }
        // Blocks in the same columns: the block where the host goes, the
        // transport where the scheme goes.
        for r in &self.ranges {
            let (port, transport) = match (r.port, r.udp.is_empty()) {
                (Some(p), _) => (p.to_string(), "tcp".to_owned()),
                (None, false) => (pathprobe_urls::PortSpan::list(&r.udp), "udp".to_owned()),
                (None, true) => (String::new(), String::new()),
            };
            w.row([
                r.range.to_string(),
                port,
                transport,
                String::new(),
                r.category.clone().unwrap_or_default(),
                r.geography.clone(),
                r.required.to_string(),
                "false".to_owned(),
                Action::Allow.name().to_owned(),
                String::new(),
                r.source.clone(),
            ])?;
        }
        w.finish()
    }

    /// The whole list as JSON.
    pub fn json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|s| s + "\n")
    }

    /// What to paste into a ticket: for a failed check, one section per
    /// finding (its summary, then what to do and for which hosts), in the
    /// report's order; otherwise each action, what to do and for which hosts.
    pub fn ticket(&self) -> String {
        let mut text = format!(
            "Network changes needed for {} ({}).\n",
            self.catalog, self.generator
        );
        if self.entries.is_empty() && self.findings.is_empty() && self.ranges.is_empty() {
            text.push_str("\nNothing failed that the network team can fix: no change is needed.\n");
            return text;
        }
        for (i, finding) in self.findings.iter().enumerate() {
            let entries: Vec<&AllowEntry> = self
                .entries
                .iter()
                .filter(|e| e.finding == Some(i))
                .collect();
            let _ = write!(
                text,
                "\nFinding {}: [{}] {}\n",
                i + 1,
                finding.kind.name(),
                finding.summary
            );
            if entries.is_empty() {
                // No allow rule changes this one (a proxy down, a clock):
                // what to do instead.
                let _ = writeln!(
                    text,
                    "\n  No rule to add: {}.",
                    finding.action.trim_end_matches('.')
                );
            } else {
                action_groups(&mut text, &entries, "  ");
            }
        }
        let rest: Vec<&AllowEntry> = self
            .entries
            .iter()
            .filter(|e| e.finding.is_none_or(|i| i >= self.findings.len()))
            .collect();
        if !rest.is_empty() && !self.findings.is_empty() {
            text.push_str("\nOther changes:\n");
        }
        action_groups(&mut text, &rest, "");
        if !self.ranges.is_empty() {
            text.push_str("\nAddress blocks to allow (destination addresses):\n");
            // One line per block, its ports together, in the list's order.
            let mut blocks: Vec<(pathprobe_urls::AddressRange, Vec<String>)> = Vec::new();
            for r in &self.ranges {
                let ports = match r.port {
                    Some(p) => format!("TCP {p}"),
                    None if !r.udp.is_empty() => {
                        format!("UDP {}", pathprobe_urls::PortSpan::list(&r.udp))
                    }
                    None => "any port".to_owned(),
                };
                match blocks.iter_mut().find(|(range, _)| *range == r.range) {
                    Some((_, list)) if !list.contains(&ports) => list.push(ports),
                    Some(_) => {}
                    None => blocks.push((r.range, vec![ports])),
                }
            }
            for (range, ports) in blocks {
                let _ = writeln!(text, "  {range} {}", ports.join(", "));
            }
        }
        text
    }
}

/// `entries` under one heading per action, what to do first, then the hosts;
/// every line begins with `indent`.
fn action_groups(text: &mut String, entries: &[&AllowEntry], indent: &str) {
    for action in [
        Action::Allow,
        Action::ExemptFromAuthentication,
        Action::ExemptFromInspection,
    ] {
        let group: Vec<&&AllowEntry> = entries.iter().filter(|e| e.action == action).collect();
        if group.is_empty() {
            continue;
        }
        let _ = write!(text, "\n{indent}{} ({}):\n", action.heading(), group.len());
        // Entries of a catalog export carry no reason: nothing was seen
        // blocking them, so nothing is claimed.
        let seen = group.iter().any(|e| !e.reason.is_empty());
        let why = match action {
            Action::Allow if !seen => {
                "The service needs these destinations. Allow them on the path its machines use."
            }
            Action::Allow => {
                "These were blocked by DNS, a firewall or the proxy's allow list. Allow them on the path this machine uses."
            }
            Action::ExemptFromAuthentication => {
                "The proxy asked for credentials. A service running unattended has none to give: the proxy rule for these hosts must allow anonymous access."
            }
            Action::ExemptFromInspection => {
                "TLS to these hosts was decrypted and re-signed. A client that pins its service's certificates, as security agents do, refuses such connections: add them to the inspection bypass list."
            }
        };
        let _ = writeln!(text, "{indent}  {why}");
        for e in group {
            let _ = write!(text, "{indent}  - {}:{}", e.host, e.port);
            if !e.reason.is_empty() {
                let _ = write!(text, " ({})", e.reason);
            }
            if !e.required {
                text.push_str(" [optional]");
            }
            text.push('\n');
        }
    }
}

/// True when rule `a` matches every name rule `b` matches.
fn covers(a: &HostRule, b: &HostRule) -> bool {
    let under = |name: &str, suffix: &str| {
        name.strip_suffix(suffix)
            .is_some_and(|head| head.len() > 1 && head.ends_with('.'))
    };
    match (a, b) {
        (HostRule::Domain(s), HostRule::Exact(h) | HostRule::Domain(h) | HostRule::Below(h)) => {
            h == s || under(h, s)
        }
        (HostRule::Below(s), HostRule::Exact(h) | HostRule::Domain(h) | HostRule::Below(h)) => {
            under(h, s) || (matches!(b, HostRule::Below(_)) && h == s)
        }
        (HostRule::Exact(_), _) => false,
    }
}

fn rule_text(rule: &HostRule, squid: bool) -> String {
    match rule {
        HostRule::Exact(h) => h.clone(),
        HostRule::Domain(s) if squid => format!(".{s}"),
        HostRule::Domain(s) => format!("{s} and *.{s}"),
        HostRule::Below(s) => format!("*.{s}"),
    }
}

/// Sorts by domain hierarchy (com, microsoft, ...) so related hosts sit together.
fn sort_key(rule: &HostRule) -> (Vec<String>, u8) {
    let (name, kind) = match rule {
        HostRule::Exact(h) => (h, 0),
        HostRule::Domain(s) => (s, 1),
        HostRule::Below(s) => (s, 1),
    };
    (name.rsplit('.').map(str::to_owned).collect(), kind)
}

/// A JavaScript string literal.
fn js_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covered_rules_are_found_as_a_scan_of_every_pair_finds_them() {
        // Nested domains, each as every kind of pattern: the index by parent
        // name must drop and merge exactly what comparing all pairs does.
        let names = [
            "example.com",
            "a.example.com",
            "b.a.example.com",
            "x.b.a.example.com",
            "example.net",
            "aexample.com",
        ];
        let mut entries = Vec::new();
        for (i, n) in names.iter().enumerate() {
            entries.push(entry(
                HostPattern::Exact((*n).into()),
                PathPattern::Any,
                false,
            ));
            if i % 2 == 0 {
                entries.push(entry(
                    HostPattern::Subdomains((*n).into()),
                    PathPattern::Any,
                    false,
                ));
            }
            if i % 3 == 1 {
                entries.push(entry(
                    HostPattern::Suffix((*n).into()),
                    PathPattern::Any,
                    false,
                ));
            }
        }
        let list = AllowList { entries, ..list() };
        for includes_base in [false, true] {
            let (kept, notes) = list.host_rules("a list", includes_base);
            // Every rule the index dropped is covered by one it kept or
            // dropped; no kept rule is covered by another.
            for a in &kept {
                assert!(
                    !kept.iter().any(|b| b != a && covers(b, a)),
                    "{a:?} kept though covered ({includes_base})"
                );
            }
            let said: usize = notes
                .iter()
                .filter(|n| n.contains(": listed once"))
                .map(|n| n.matches(", ").count() + 1)
                .sum();
            let rules = {
                let mut every = BTreeSet::new();
                for e in &list.entries {
                    match &e.host {
                        HostPattern::Exact(h) => {
                            every.insert(HostRule::Exact(h.clone()));
                        }
                        HostPattern::Subdomains(s) if includes_base => {
                            every.insert(HostRule::Domain(s.clone()));
                        }
                        HostPattern::Subdomains(s) => {
                            every.insert(HostRule::Below(s.clone()));
                        }
                        HostPattern::Suffix(s) if includes_base => {
                            every.insert(HostRule::Domain(s.clone()));
                        }
                        HostPattern::Suffix(s) => {
                            every.insert(HostRule::Exact(s.clone()));
                            every.insert(HostRule::Below(s.clone()));
                        }
                        HostPattern::Inner(_) if includes_base => {
                            every.insert(HostRule::Domain(e.host.base().to_owned()));
                        }
                        HostPattern::Inner(_) => {
                            every.insert(HostRule::Below(e.host.base().to_owned()));
                        }
                    }
                }
                every
            };
            let scanned: Vec<&HostRule> = rules
                .iter()
                .filter(|r| !rules.iter().any(|o| o != *r && covers(o, r)))
                .collect();
            assert_eq!(kept.len(), scanned.len(), "{kept:?} / {scanned:?}");
            assert_eq!(said, rules.len() - scanned.len(), "{notes:?}");
        }
    }

    fn entry(host: HostPattern, path: PathPattern, pinned: bool) -> AllowEntry {
        AllowEntry {
            host,
            port: 443,
            scheme: Scheme::Https,
            path,
            category: Some("Cat".into()),
            geography: "WW".into(),
            required: true,
            never_inspect: pinned,
            action: Action::Allow,
            reason: String::new(),
            source: "t.xlsx, row 2".into(),
            finding: None,
            failed: None,
        }
    }

    fn list() -> AllowList {
        AllowList {
            catalog: "Test catalog (2026-01)".into(),
            filters: vec!["geo=EU".into()],
            generator: "pathprobe 0.0.0".into(),
            ranges: Vec::new(),
            entries: vec![
                entry(
                    HostPattern::Exact("a.blob.example.net".into()),
                    PathPattern::Any,
                    false,
                ),
                entry(
                    HostPattern::Subdomains("blob.example.net".into()),
                    PathPattern::Any,
                    false,
                ),
                entry(
                    HostPattern::Exact("crl.example.com".into()),
                    PathPattern::Prefix("/pki/".into()),
                    false,
                ),
                entry(
                    HostPattern::Suffix("ecs.example.org".into()),
                    PathPattern::Any,
                    false,
                ),
                entry(
                    HostPattern::Exact("gw.example.com".into()),
                    PathPattern::Any,
                    true,
                ),
                entry(
                    HostPattern::Exact("blob.example.net".into()),
                    PathPattern::Any,
                    false,
                ),
            ],
            notes: vec!["row 9: prose names no host".into()],
            findings: Vec::new(),
        }
    }

    #[test]
    fn domains_are_deduplicated_sorted_and_explained() {
        let r = list().domains(false);
        let lines: Vec<&str> = r.text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "crl.example.com",
                "gw.example.com",
                "blob.example.net",
                "*.blob.example.net",
                "ecs.example.org",
                "*.ecs.example.org",
            ]
        );
        assert!(r.text.contains("# Filters: geo=EU"), "{}", r.text);
        assert!(r.text.contains(
            "# Never inspect (the service pins its certificates):\n#   gw.example.com\n"
        ));
        let notes = r.notes.join("\n");
        assert!(
            notes.contains("*.blob.example.net covers a.blob.example.net: listed once"),
            "{notes}"
        );
        assert!(notes.contains("crl.example.com/pki/*"), "{notes}");
        assert!(
            notes.contains("*ecs.example.org: a domain list cannot match"),
            "{notes}"
        );
        assert!(notes.contains("prose names no host"), "{notes}");
        assert!(
            list()
                .domains(true)
                .text
                .lines()
                .all(|l| !l.starts_with('#'))
        );
    }

    #[test]
    fn squid_lists_never_overlap() {
        let r = list().squid_acl();
        let lines: Vec<&str> = r.text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "crl.example.com",
                "gw.example.com",
                ".blob.example.net",
                ".ecs.example.org"
            ]
        );
        for a in &lines {
            for b in &lines {
                let covered = a.starts_with('.') && (b.ends_with(a) || *b == &a[1..]);
                assert!(a == b || !covered, "{a} covers {b}");
            }
        }
        let conf = list().squid_conf("/etc/squid/mde.acl", true);
        assert!(conf.contains("acl pathprobe_never_bump ssl::server_name \"/etc/squid/mde.acl\""));
        assert!(conf.contains("ssl_bump splice pathprobe_never_bump"));
        assert!(!list().squid_conf("/x", false).contains("ssl_bump splice"));
    }

    #[test]
    fn tickets_group_by_action() {
        let mut l = list();
        l.entries[4].action = Action::ExemptFromInspection;
        l.entries[4].reason = "tls_intercepted by Zscaler".into();
        let text = l.ticket();
        assert!(
            text.contains("Exempt these destinations from SSL/TLS inspection (1):"),
            "{text}"
        );
        assert!(
            text.contains("gw.example.com:443 (tls_intercepted by Zscaler)"),
            "{text}"
        );
        assert!(text.contains("Allow these destinations (5):"), "{text}");
        let empty = AllowList {
            entries: Vec::new(),
            ..l
        };
        assert!(empty.ticket().contains("no change is needed"));
    }

    #[test]
    fn csv_keeps_every_field() {
        let text = list().csv().unwrap_or_default();
        assert!(text.starts_with(
            "host,port,scheme,path,category,geography,required,never_inspect,action,reason,source\n"
        ));
        assert!(
            text.contains(
                "crl.example.com,443,https,/pki/*,Cat,WW,true,false,allow,,\"t.xlsx, row 2\""
            ),
            "{text}"
        );
        assert!(text.contains("*ecs.example.org,443"), "{text}");
    }
}
