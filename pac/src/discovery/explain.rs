//! Putting it together: which setting applies, and which routes each URL gets.

use std::sync::Arc;

use serde::Serialize;

use super::{
    Decision, Discovery, Found, Profile, ProxyConfig, SourceKind, SourceProblem, Standing,
    TargetOs, WpadAttempt, WpadOptions, discover_via_dns, rank, static_routes,
};
use crate::clock::PacClock;
use crate::engine::{PacErrorKind, PacOptions};
use crate::fetch::{FetchLimits, FetchedPac, fetch_resolving};
use crate::resolver::{LookupError, Resolve};
use crate::route::Route;
use crate::worker::{PacRunner, WorkerCommand};

/// How to explain.
#[derive(Clone)]
pub struct ExplainOptions {
    /// Whose behaviour.
    pub profile: Profile,
    /// Whose OS rules.
    pub os: TargetOs,
    /// DNS for WPAD, PAC helpers and proxy host checks.
    pub resolver: Arc<dyn Resolve>,
    /// PAC engine options.
    pub pac: PacOptions,
    /// Clock for the PAC's date helpers.
    pub clock: Arc<dyn PacClock>,
    /// WPAD options.
    pub wpad: WpadOptions,
    /// PAC fetch limits.
    pub fetch: FetchLimits,
    /// Send a DHCPINFORM on this interface during auto-detection (needs the
    /// DHCP client port), waiting this long for the answer.
    pub dhcp_inform: Option<(String, std::time::Duration)>,
    /// Run the PAC in a memory-limited worker process started this way
    /// (see [`crate::PacWorker`]); `None` runs it in this process.
    pub isolation: Option<WorkerCommand>,
}

impl ExplainOptions {
    /// The system profile on this OS's rules, with `resolver` and every
    /// other option at its default (the system clock, PAC scripts run in
    /// this process).
    pub fn new(resolver: Arc<dyn Resolve>) -> Self {
        Self {
            profile: Profile::System,
            os: TargetOs::current(),
            resolver,
            pac: PacOptions::default(),
            clock: Arc::new(crate::SystemClock),
            wpad: WpadOptions::default(),
            fetch: FetchLimits::default(),
            dhcp_inform: None,
            isolation: None,
        }
    }
}

/// One setting as shown in the explanation.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// The setting.
    #[serde(flatten)]
    pub found: Found,
    /// How it fared.
    pub standing: Standing,
}

/// The PAC script in force, if any.
#[derive(Debug, Clone, Serialize)]
pub struct PacInUse {
    /// Where it came from (redacted).
    pub location: String,
    /// How it was found (the setting's provenance).
    pub found_by: String,
    /// The served content type.
    pub content_type: Option<String>,
    /// Warnings from fetching it.
    pub warnings: Vec<String>,
    /// The script itself (not serialised: a support bundle stores it as a file).
    #[serde(skip)]
    pub text: String,
}

/// The answer for one URL.
#[derive(Debug, Clone, Serialize)]
pub struct UrlExplanation {
    /// The URL.
    pub url: String,
    /// The decision, or why there is none.
    #[serde(flatten)]
    pub decision: Decision,
    /// The PAC's raw answer, when a PAC decided.
    pub pac_answer: Option<String>,
    /// Why no answer could be had.
    pub error: Option<String>,
    /// Why the PAC's answer could not be used (no usable route, or it
    /// threw), when the URL goes DIRECT as a client's would
    /// ([`CLIENT_GOES_DIRECT`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct_fallback: Option<String>,
}

/// Everything `proxy explain` knows.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The profile.
    pub profile: Profile,
    /// The OS rules applied.
    pub os: TargetOs,
    /// Every setting found, winner first.
    pub sources: Vec<SourceView>,
    /// Sources that could not be used.
    pub problems: Vec<SourceProblem>,
    /// Places that hold nothing.
    pub empty: Vec<String>,
    /// WPAD names asked over DNS, when auto-detection ran.
    pub wpad_dns: Vec<WpadAttempt>,
    /// The PAC in force.
    pub pac: Option<PacInUse>,
    /// Per URL.
    pub urls: Vec<UrlExplanation>,
    /// What a person should look at.
    pub warnings: Vec<String>,
}

impl Explanation {
    /// The explanation of a run whose settings were not followed (it was
    /// cut first): what `discovery` gathered, no setting in force, no route.
    pub fn unread(
        profile: Profile,
        os: TargetOs,
        discovery: &Discovery,
        warnings: Vec<String>,
    ) -> Self {
        Self {
            profile,
            os,
            sources: Vec::new(),
            problems: discovery.problems.clone(),
            empty: discovery.empty.clone(),
            wpad_dns: Vec::new(),
            pac: None,
            urls: Vec::new(),
            warnings,
        }
    }
}

/// What the chain of settings boils down to.
enum Effective {
    Static(Found),
    Pac(Found, FetchedPac),
    /// Nothing applies: direct, with the reason.
    Nothing(String),
}

/// Answers "which routes, and why" for any number of URLs, once the settings
/// have been ranked and any PAC fetched. Not `Send`: it may hold a PAC engine.
pub struct ProxyResolver {
    profile: Profile,
    os: TargetOs,
    ranked: Vec<(Found, Standing)>,
    state: Resolved,
    warnings: Vec<String>,
    wpad_dns: Vec<WpadAttempt>,
    pac_in_use: Option<PacInUse>,
    /// The setting in force that cannot be used, and why (its URLs get no
    /// route rather than a silent direct connection).
    unusable: Option<(Found, String)>,
    /// Whether that is the input's fault (a missing file, a script that
    /// does not compile), not the network's (a PAC server that does not
    /// answer: its URLs are a finding).
    unusable_input: bool,
}

/// The setting in force, ready to answer.
enum Resolved {
    Static(Found),
    Pac(Found, PacRunner),
    /// A PAC was chosen but cannot run (syntax error and the like).
    Broken(String),
    Nothing(String),
}

impl ProxyResolver {
    /// Ranks the settings, follows the winner and its fallbacks (fetching
    /// PAC scripts, running WPAD) until one gives an answer.
    pub async fn new(discovery: &Discovery, options: &ExplainOptions) -> Self {
        let ranked = rank(&discovery.found, options.profile, options.os);
        let mut warnings = Vec::new();
        let mut wpad_dns = Vec::new();
        let mut pac_in_use = None;
        let mut unusable: Option<(Found, String)> = None;
        let mut unusable_input = true;

        for (found, standing) in &ranked {
            if let Standing::Ignored { why } = standing
                && options.profile == Profile::Agent
                && matches!(
                    found.config,
                    ProxyConfig::Pac { .. } | ProxyConfig::AutoDetect
                )
            {
                warnings.push(format!(
                    "{}: a PAC or WPAD setting is configured, but {why}",
                    found.provenance
                ));
            }
        }

        // Walk the winner and its fallbacks until one gives an answer.
        let mut effective = Effective::Nothing(match options.profile {
            Profile::Agent => "no setting the agent reads: it connects directly".into(),
            Profile::System => "no proxy setting found: clients connect directly".into(),
        });
        for (found, standing) in &ranked {
            if !matches!(
                standing,
                Standing::Winner { .. } | Standing::Fallback { .. }
            ) {
                continue;
            }
            match &found.config {
                ProxyConfig::Direct | ProxyConfig::Static { .. } => {
                    effective = Effective::Static(found.clone());
                    break;
                }
                ProxyConfig::Pac { location } => {
                    match fetch_resolving(location, &options.fetch, &options.resolver).await {
                        Ok(script) => {
                            effective = Effective::Pac(found.clone(), script);
                            break;
                        }
                        Err(e) => {
                            let why = format!("the PAC cannot be fetched: {e}");
                            warnings.push(format!("{}: {why}", found.provenance));
                            if unusable.is_none() {
                                unusable_input = e.is_input_error();
                                unusable = Some((found.clone(), why));
                            }
                        }
                    }
                }
                ProxyConfig::AutoDetect => {
                    if let Some((lease, script)) =
                        wpad_from_dhcp(discovery, options, &mut warnings).await
                    {
                        effective = Effective::Pac(lease, script);
                        break;
                    }
                    if let Some((lease, script)) = wpad_from_inform(options, &mut warnings).await {
                        effective = Effective::Pac(lease, script);
                        break;
                    }
                    let dns = discover_via_dns(
                        &discovery.dns_domains,
                        options.resolver.as_ref(),
                        &options.wpad,
                    )
                    .await;
                    wpad_dns = dns.attempts.clone();
                    warnings.extend(dns.notes.iter().cloned());
                    if discovery.dns_domains.is_empty() {
                        warnings.push("WPAD via DNS: no DNS domain is configured (resolv.conf domain/search, DHCP option 15), so there is no wpad name to ask".into());
                    }
                    match dns.script.as_ref().and_then(|(name, script)| {
                        Some((super::dns_found(name, script)?, script.clone()))
                    }) {
                        Some((f, script)) => {
                            effective = Effective::Pac(f, script);
                            break;
                        }
                        None => {
                            warnings.push(format!(
                                "{}: auto-detection found no PAC script",
                                found.provenance
                            ));
                            // Clients go direct then, and the reason is
                            // the setting that found nothing, not "none".
                            effective = Effective::Nothing(format!(
                                "auto-detection (WPAD), set by {}, found no PAC script: clients connect directly",
                                found.provenance
                            ));
                        }
                    }
                }
            }
        }

        // Credentials and unresolvable proxy hosts of the setting in force.
        if let Effective::Static(f) = &effective {
            for p in f.config.proxies() {
                if p.host.parse::<std::net::IpAddr>().is_err() {
                    match options.resolver.lookup(&p.host, options.wpad.dns_timeout) {
                        Err(LookupError::NotFound | LookupError::NoAddress) => {
                            warnings.push(format!("the proxy host {} does not resolve", p.host))
                        }
                        Err(e) => warnings.push(format!(
                            "the proxy host {} could not be resolved: {e}",
                            p.host
                        )),
                        Ok(_) => {}
                    }
                }
            }
        }
        for (found, standing) in &ranked {
            if matches!(
                standing,
                Standing::Winner { .. } | Standing::Fallback { .. }
            ) {
                warnings.extend(
                    found
                        .warnings
                        .iter()
                        .map(|w| format!("{}: {w}", found.provenance)),
                );
            }
        }

        let state = match effective {
            // A setting in force that cannot be used is what a client meets
            // too: no silent direct connection in its place.
            Effective::Nothing(_) if unusable.is_some() => Resolved::Broken(
                unusable
                    .as_ref()
                    .map(|(f, why)| format!("{}: {why}", f.provenance))
                    .unwrap_or_default(),
            ),
            // Nothing found, but a source this profile reads could not be
            // read (a managed configuration that does not parse, a proxy
            // value that is not one): what it holds is unknown, so no
            // direct connection is assumed in its place.
            Effective::Nothing(reason) => {
                let (reads, _) = super::decide::precedence(options.profile, options.os);
                match discovery
                    .problems
                    .iter()
                    .find(|p| reads.contains(&p.provenance.kind))
                {
                    Some(problem) => {
                        let why = format!(
                            "{}: the setting cannot be read ({}), so the route it gives is unknown",
                            problem.provenance, problem.message
                        );
                        warnings.push(why.clone());
                        Resolved::Broken(why)
                    }
                    None => Resolved::Nothing(reason),
                }
            }
            Effective::Static(found) => Resolved::Static(found),
            Effective::Pac(found, script) => {
                pac_in_use = Some(PacInUse {
                    location: script.final_location.clone(),
                    found_by: found.provenance.to_string(),
                    content_type: script.content_type.clone(),
                    warnings: script.warnings.clone(),
                    text: script.text.clone(),
                });
                match PacRunner::start(
                    options.isolation.as_ref(),
                    &script.final_location,
                    &script.text,
                    options.pac.clone(),
                    options.resolver.clone(),
                    options.clock.clone(),
                ) {
                    Ok(engine) => Resolved::Pac(found, engine),
                    Err(e) => {
                        warnings.push(format!("{}: {e}", found.provenance));
                        unusable.get_or_insert((found.clone(), e.to_string()));
                        Resolved::Broken(format!("{}: {e}", found.provenance))
                    }
                }
            }
        };
        warnings.dedup();
        Self {
            profile: options.profile,
            os: options.os,
            ranked,
            state,
            warnings,
            wpad_dns,
            pac_in_use,
            unusable,
            unusable_input,
        }
    }

    /// The setting given on the command line, when it cannot be used (a
    /// PAC that cannot be fetched or does not compile, a proxy value that
    /// does not parse): an input error, not a network finding.
    pub fn command_line_problem(&self) -> Option<String> {
        let given = |f: &Found| f.provenance.kind == SourceKind::CommandLine;
        if let Some((found, why)) = &self.unusable
            && given(found)
            && self.unusable_input
        {
            // What the fetch noticed (an HTML page, not UTF-8) explains most
            // scripts that do not compile.
            let noticed = self
                .pac_in_use
                .as_ref()
                .map(|p| p.warnings.join("; "))
                .filter(|w| !w.is_empty());
            return Some(match noticed {
                Some(w) => format!("{why} ({w})"),
                None => why.clone(),
            });
        }
        self.ranked
            .iter()
            .find_map(|(found, _)| match &found.config {
                ProxyConfig::Static { unusable, .. } if given(found) => {
                    unusable.first().map(|u| format!("{}: {}", u.name, u.why))
                }
                _ => None,
            })
    }

    /// Every setting found, in the order consulted, with its standing.
    pub fn sources(&self) -> impl Iterator<Item = &(Found, Standing)> {
        self.ranked.iter()
    }

    /// Things a person should look at.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The text of the PAC script in force, if one is.
    pub fn pac_text(&self) -> Option<&str> {
        self.pac_in_use.as_ref().map(|p| p.text.as_str())
    }

    /// The whole explanation, with `urls` answered earlier by [`Self::routes`].
    pub fn explanation(&self, discovery: &Discovery, urls: Vec<UrlExplanation>) -> Explanation {
        Explanation {
            profile: self.profile,
            os: self.os,
            sources: self
                .ranked
                .iter()
                .map(|(found, standing)| SourceView {
                    found: found.clone(),
                    standing: standing.clone(),
                })
                .collect(),
            problems: discovery.problems.clone(),
            empty: discovery.empty.clone(),
            wpad_dns: self.wpad_dns.clone(),
            pac: self.pac_in_use.clone(),
            urls,
            warnings: self.warnings.clone(),
        }
    }

    /// The routes for `url`, in the order a client tries them, with the
    /// setting that decided and why.
    pub fn routes(&mut self, url: &str) -> UrlExplanation {
        match &mut self.state {
            Resolved::Nothing(reason) => UrlExplanation {
                url: url.to_owned(),
                decision: Decision {
                    routes: vec![Route::Direct],
                    decided_by: None,
                    detail: reason.clone(),
                },
                pac_answer: None,
                error: None,
                direct_fallback: None,
            },
            Resolved::Broken(error) => failed(url, error.clone()),
            Resolved::Static(found) => match split_url(url) {
                Err(e) => failed(url, e),
                Ok((scheme, host)) => {
                    let mut decision = static_routes(found, &scheme, &host).unwrap_or(Decision {
                        routes: vec![Route::Direct],
                        decided_by: None,
                        detail: String::new(),
                    });
                    if decision.routes.is_empty() {
                        return failed(url, format!("{}: {}", found.provenance, decision.detail));
                    }
                    // The Windows agent tries a direct connection when its
                    // fixed proxy does not answer.
                    if self.profile == Profile::Agent
                        && self.os == TargetOs::Windows
                        && !decision.routes.contains(&Route::Direct)
                    {
                        decision.routes.push(Route::Direct);
                        decision
                            .detail
                            .push_str("; the agent connects directly if the proxy does not answer");
                    }
                    UrlExplanation {
                        url: url.to_owned(),
                        decision,
                        pac_answer: None,
                        error: None,
                        direct_fallback: None,
                    }
                }
            },
            Resolved::Pac(found, engine) => match engine.find_proxy(url, None) {
                Ok(eval) => UrlExplanation {
                    url: url.to_owned(),
                    decision: Decision {
                        routes: eval.parsed.routes.clone(),
                        decided_by: Some(found.provenance.clone()),
                        detail: format!(
                            "{} returned {}",
                            eval.entry_point.name(),
                            pathprobe_files::quote::quoted(&eval.raw)
                        ),
                    },
                    pac_answer: Some(eval.raw),
                    error: None,
                    direct_fallback: None,
                },
                // What a browser does with an answer it cannot use: the URL
                // is reached directly, and the report says why.
                Err(e) if e.kind.client_goes_direct() => UrlExplanation {
                    url: url.to_owned(),
                    decision: Decision {
                        routes: vec![Route::Direct],
                        decided_by: Some(found.provenance.clone()),
                        detail: format!("{}; {CLIENT_GOES_DIRECT}, so it is probed DIRECT", e.kind),
                    },
                    pac_answer: match &e.kind {
                        PacErrorKind::NoRoute { raw, .. } => Some(raw.clone()),
                        _ => None,
                    },
                    error: None,
                    direct_fallback: Some(e.kind.to_string()),
                },
                Err(e) => failed(url, e.kind.to_string()),
            },
        }
    }
}

/// What a client does with a PAC answer that holds no usable route, as
/// every output says it.
pub const CLIENT_GOES_DIRECT: &str = "a client then connects directly (Chromium does)";

fn failed(url: &str, error: String) -> UrlExplanation {
    UrlExplanation {
        url: url.to_owned(),
        decision: Decision {
            routes: Vec::new(),
            decided_by: None,
            detail: String::new(),
        },
        pac_answer: None,
        error: Some(error),
        direct_fallback: None,
    }
}

fn split_url(url: &str) -> Result<(String, String), String> {
    let parsed = url::Url::parse(url.trim()).map_err(|e| format!("\"{url}\" is not a URL: {e}"))?;
    let host = parsed
        .host_str()
        .map(|h| crate::helpers::strip_brackets(h).to_ascii_lowercase())
        .ok_or_else(|| format!("\"{url}\" has no host"))?;
    Ok((parsed.scheme().to_owned(), host))
}

/// Option 252 asked of the DHCP server with a DHCPINFORM, fetched.
async fn wpad_from_inform(
    options: &ExplainOptions,
    warnings: &mut Vec<String>,
) -> Option<(Found, FetchedPac)> {
    let (iface, timeout) = options.dhcp_inform.clone()?;
    let asked = iface.clone();
    let answer = tokio::task::spawn_blocking(move || super::dhcp_inform(&asked, timeout)).await;
    let info = match answer {
        Ok(Ok(info)) => info,
        Ok(Err(e)) => {
            warnings.push(format!("WPAD via DHCPINFORM: {e}"));
            return None;
        }
        Err(e) => {
            warnings.push(format!("WPAD via DHCPINFORM: {e}"));
            return None;
        }
    };
    let provenance = super::Provenance::new(
        SourceKind::WpadDhcp,
        &format!("DHCPINFORM on {iface}"),
        Some("option 252"),
    );
    let Some(url) = info.wpad_url else {
        warnings.push(format!(
            "WPAD via DHCPINFORM on {iface}: the DHCP server answered without option 252"
        ));
        return None;
    };
    let location = match crate::fetch::PacLocation::parse(&url) {
        Ok(l @ crate::fetch::PacLocation::Url(_)) => l,
        _ => {
            warnings.push(format!(
                "WPAD via DHCPINFORM on {iface}: option 252 holds \"{url}\", not an http(s) URL"
            ));
            return None;
        }
    };
    match fetch_resolving(&location, &options.fetch, &options.resolver).await {
        Ok(script) => Some((
            Found::new(provenance, ProxyConfig::Pac { location }),
            script,
        )),
        Err(e) => {
            warnings.push(format!(
                "WPAD via DHCPINFORM on {iface}: option 252 names a PAC that cannot be fetched: {e}"
            ));
            None
        }
    }
}

/// Option 252 from the leases read, fetched.
async fn wpad_from_dhcp(
    discovery: &Discovery,
    options: &ExplainOptions,
    warnings: &mut Vec<String>,
) -> Option<(Found, FetchedPac)> {
    for lease in discovery
        .found
        .iter()
        .filter(|f| f.provenance.kind == SourceKind::WpadDhcp)
    {
        let ProxyConfig::Pac { location } = &lease.config else {
            continue;
        };
        match fetch_resolving(location, &options.fetch, &options.resolver).await {
            Ok(script) => return Some((lease.clone(), script)),
            Err(e) => warnings.push(format!(
                "{}: option 252 names a PAC that cannot be fetched: {e}",
                lease.provenance
            )),
        }
    }
    None
}
