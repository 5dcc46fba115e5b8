//! The engine: one function runs a whole check — routes for every planned
//! URL from the proxy settings found, the probes, and the report — under
//! one deadline and Ctrl-C.
//!
//! Commands (`check`, `bundle`, `serve`, `lab`) build a [`RunConfig`] from
//! their options and render what [`run`] returns; nothing here knows the
//! command line.
//!
//! ```no_run
//! use pathprobe::engine::{self, RunConfig, RunLimits};
//! use pathprobe_pac::discovery::{Discovery, ExplainOptions};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let catalog = pathprobe_urls::default_catalog()?;
//! let map = pathprobe_urls::default_probe_map()?;
//! let plan = pathprobe_urls::plan(&catalog, &Default::default(), &map);
//! // No proxy setting: every URL goes direct, through the system's DNS.
//! let routing = ExplainOptions::new(std::sync::Arc::new(
//!     pathprobe_pac::SystemResolver::new(pathprobe_pac::DnsServers::System)?,
//! ));
//! let config = RunConfig::builder(plan, &catalog.info.name, Discovery::default(), routing)
//!     .limits(RunLimits { deadline: std::time::Duration::from_secs(60), ..RunLimits::default() })
//!     .build();
//! let run = engine::run(&config, &engine::Quiet)?;
//! println!("{}", run.report.summary_line());
//! # Ok(()) }
//! ```

mod config;
mod control;
mod dns_again;
mod routes;
pub mod scheduler;

use std::sync::Arc;
use std::time::Duration;

use pathprobe_pac::Route;
use pathprobe_pac::discovery::{Explanation, ProxyConfig, Standing, UrlExplanation};
use pathprobe_reports::{Attempt, CheckReport, Phase, ProbeResult, ToolInfo, Verdict};
use pathprobe_urls::{ExpectedStatus, Probe, Target as CatalogTarget};

use crate::probe::tls::TrustStores;
use crate::probe::{Context, Expect, Target, Timeouts};
pub use config::{Control, RunConfig, RunConfigBuilder, RunLimits};
use routes::{Router, Settings, Stopped};
pub use scheduler::{Job, Limits, Outcome};

/// What one run learned: the report, and how routes were decided.
pub struct Run {
    /// The report (no baseline marks), redacted.
    pub report: CheckReport,
    /// The settings found and the decision for every URL routed.
    pub explanation: Explanation,
    /// The text of the PAC script in force, if one was.
    pub pac_text: Option<String>,
    /// Whether Ctrl-C ended the run.
    pub interrupted: bool,
}

/// Why a run could not be made at all (a run cut short is not an error: it
/// is a partial report).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A proxy setting given by the caller (not found on the machine)
    /// cannot be used: a PAC that cannot be fetched or does not compile, a
    /// proxy value that does not parse. Bad input.
    #[error("the proxy setting given cannot be used: {0}")]
    UnusableSetting(String),
    /// The trust anchors could not be set up.
    #[error("the trust anchors cannot be used: {0}")]
    Trust(String),
    /// The async runtime did not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// What a run tells as it goes; every method has a default that does nothing.
pub trait Observer: Sync {
    /// Something a person should look at (also in the report's warnings).
    fn warning(&self, _text: &str) {}
    /// Probing starts: `total` jobs.
    fn probing(&self, _total: usize) {}
    /// `done` jobs have finished.
    fn probed(&self, _done: usize) {}
    /// Probing is over.
    fn probes_done(&self) {}
}

/// An observer that tells nothing (`serve`, the lab, tests).
pub struct Quiet;

impl Observer for Quiet {}

/// Catalog metadata of one result.
struct Meta {
    url: String,
    category: Option<String>,
    required: bool,
    /// The catalog rows naming it, when the run read several catalogs.
    listed_in: Vec<String>,
    /// It is listed by Defender for Endpoint's own catalog, whose vendor
    /// states that the agent supports neither authenticated proxies nor
    /// SSL inspection.
    defender: bool,
}

/// Whether a catalog row is Defender for Endpoint's: its service or
/// category names the product (the embedded list, the vendor's
/// spreadsheets, a list written with that service column).
fn names_defender(endpoint: &pathprobe_urls::Endpoint) -> bool {
    [&endpoint.service, &endpoint.category]
        .into_iter()
        .flatten()
        .any(|s| s.contains("Defender for Endpoint"))
}

/// A row that is not probed, with why.
struct Skipped {
    meta: Meta,
    reason: String,
    verdict: Verdict,
    route_source: String,
}

/// A row of the plan: not probed, or a URL whose routes are decided next.
enum Row {
    Skipped(Skipped),
    Url { meta: Meta, target: Target },
}

/// The words of [`Expect`] for a planned target.
fn expect_of(expected: &ExpectedStatus) -> Expect {
    match expected {
        ExpectedStatus::Any(_) => Expect::Any,
        ExpectedStatus::OneOf(list) => Expect::OneOf(list.clone()),
    }
}

/// The planned rows in catalog order.
fn rows_of(config: &RunConfig) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    // With several catalogs, each result names the rows that list it.
    let several = config.plan.several_catalogs;
    // The files that are Defender for Endpoint's catalog: any row of them
    // is under the vendor's rules, also one naming no service.
    let defender_files: std::collections::HashSet<&std::path::Path> = config
        .plan
        .entries
        .iter()
        .filter(|p| names_defender(&p.endpoint))
        .map(|p| p.endpoint.source.file.as_path())
        .collect();
    for planned in &config.plan.entries {
        let endpoint = &planned.endpoint;
        // A row written twice in one file is probed once and names both.
        let listed_in: Vec<String> = if several || !planned.also.is_empty() {
            planned.sources().map(ToString::to_string).collect()
        } else {
            Vec::new()
        };
        let meta = |url: String| Meta {
            url,
            category: endpoint.category.clone(),
            required: endpoint.requirement.is_required(),
            listed_in: listed_in.clone(),
            defender: planned
                .sources()
                .any(|s| defender_files.contains(s.file.as_path())),
        };
        match &planned.probe {
            Probe::NotProbed { why } => {
                let pattern = match &endpoint.target {
                    CatalogTarget::Url(p) => p.to_string(),
                    CatalogTarget::Prose { .. } | CatalogTarget::Addresses { .. } => {
                        endpoint.display_target()
                    }
                };
                rows.push(Row::Skipped(Skipped {
                    meta: meta(pattern),
                    reason: why.to_string(),
                    verdict: Verdict::NotProbed,
                    route_source: String::new(),
                }));
            }
            Probe::Targets { targets } => {
                for t in targets {
                    rows.push(match url::Url::parse(&t.url) {
                        Ok(url) => Row::Url {
                            meta: meta(t.url.clone()),
                            target: Target {
                                url,
                                method: t.method,
                                expect: expect_of(&t.expect),
                            },
                        },
                        Err(_) => Row::Skipped(Skipped {
                            meta: meta(t.url.clone()),
                            reason: format!("\"{}\" is not a URL", t.url),
                            verdict: Verdict::NotProbed,
                            route_source: String::new(),
                        }),
                    });
                }
            }
        }
    }
    rows
}

/// A CONNECT left unanswered by a proxy that opened other tunnels in the
/// same run is no unreachable proxy (round 18: the checks it called for
/// are of one that works): it is still waiting on the destination or on
/// its own lookup of the name, which took longer than the phase limit.
fn slow_beyond_proxy(a: &mut Attempt, tunnels_by: &std::collections::HashMap<Route, usize>) {
    let Some(opened) = tunnels_by.get(&a.route) else {
        return;
    };
    let waited = a.verdict == Verdict::ProxyUnreachable
        && a.phases
            .last()
            .is_some_and(|p| p.phase == Phase::Tunnel && !p.ok)
        && a.evidence.iter().any(|e| {
            e.strip_prefix("problem: ") == Some(pathprobe_reports::findings::TUNNEL_UNANSWERED)
        });
    if !waited {
        return;
    }
    a.verdict = Verdict::Timeout;
    a.evidence.push(format!(
        "the same proxy opened {opened} other tunnel(s) in this run"
    ));
    a.hint = format!(
        "the proxy ({}) is up (it opened other tunnels in this run) but did not answer CONNECT for this destination within the phase limit: it is still waiting on the destination or on its own lookup of the name; its log says which, and a longer --phase-timeout shows its answer",
        a.route
    );
}

/// The attempt a result stands on, as a client meets it (see
/// [`pathprobe_reports::deciding`]).
pub fn chosen(attempts: &[pathprobe_reports::Attempt]) -> Option<&pathprobe_reports::Attempt> {
    pathprobe_reports::deciding(attempts)
}

/// The report of a run cut before it had anything to probe (the deadline
/// passed while its catalog was read): no result, partial, `why` its
/// warning. Written where the run's report goes, so that a scheduled run
/// never leaves the last one's file in place.
pub fn cut_report(catalog: &str, why: &str, took: Duration) -> CheckReport {
    let mut report = new_report(
        catalog.to_owned(),
        Vec::new(),
        "not read: the run was cut first".into(),
        jiff::Timestamp::now().to_string(),
        vec![why.to_owned()],
        Vec::new(),
    );
    report.summarise(took.as_secs_f64() * 1000.0, true);
    report
}

/// A report of this build, not summarised yet.
fn new_report(
    catalog: String,
    filters: Vec<String>,
    routing: String,
    started_at: String,
    warnings: Vec<String>,
    results: Vec<ProbeResult>,
) -> CheckReport {
    CheckReport {
        schema_version: pathprobe_reports::CHECK_SCHEMA_VERSION,
        tool: ToolInfo {
            name: "pathprobe".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        catalog,
        filters,
        routing,
        started_at,
        warnings,
        baseline: None,
        findings: Vec::new(),
        control: None,
        results,
        summary: Default::default(),
    }
}

/// Runs `config`: reads the proxy settings (fetching and running a PAC),
/// decides the routes of every planned URL, probes them and assembles the
/// report. The deadline and Ctrl-C hold throughout; a run cut short
/// returns what finished, marked partial.
pub fn run(config: &RunConfig, observer: &dyn Observer) -> Result<Run, RunError> {
    let deadline = config.limits.deadline;
    let run_started = config.started;
    let runtime = crate::runtime::Runtime::multi_thread()?;
    // Ctrl-C before the probes start: noted here, acted on between steps.
    let (interrupt_tx, interrupt) = tokio::sync::watch::channel(false);
    runtime.spawn(async move {
        // A press before this run's listener existed counts too.
        tokio::select! {
            pressed = tokio::signal::ctrl_c() => if pressed.is_err() { return },
            () = crate::interrupt::pressed() => {}
        }
        let _ = interrupt_tx.send(true);
    });
    let remaining = || deadline.saturating_sub(run_started.elapsed());
    let cut = || -> Option<String> {
        if *interrupt.borrow() {
            Some("interrupted (Ctrl-C)".to_owned())
        } else if remaining().is_zero() {
            Some(format!(
                "the deadline ({:.0} s) passed",
                deadline.as_secs_f64()
            ))
        } else {
            None
        }
    };

    let discovery = &config.discovery;
    let mut options = config.routing.clone();
    if !config.pins.is_empty() {
        options.resolver = Arc::new(crate::probe::PinnedResolver {
            pins: config.pins.clone(),
            fallback: options.resolver.clone(),
        });
    }
    // No PAC fetch or evaluation outlives the run.
    options.pac.eval_timeout = options.pac.eval_timeout.min(deadline);
    options.fetch.timeout = options.fetch.timeout.min(deadline);
    let mut cut_by: Option<String> = None;
    // The deadline counts from the first step: a catalog of many rows may
    // have taken it all before a setting is read.
    if let Some(why) = cut() {
        cut_by = Some(format!(
            "{why} while the catalog was read and planned ({} rows)",
            config.plan.entries.len()
        ));
    }

    let rows = rows_of(config);
    let mut urls: Vec<String> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Url { meta, .. } => Some(meta.url.clone()),
            Row::Skipped(_) => None,
        })
        .collect();
    // The control URL is routed last, as any URL of the run.
    urls.extend(config.control.as_ref().map(|c| c.url.clone()));
    let router = Router::start(
        runtime.handle().clone(),
        discovery.clone(),
        options.clone(),
        urls,
    );
    let settings = match router
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|r| r.settings(&cut))
    {
        Ok(settings) => settings,
        Err(stopped) => {
            // Cut before the settings were asked for: that says where.
            let earlier = cut_by.take();
            cut_by = Some(earlier.unwrap_or_else(|| match stopped {
                Stopped::Cut(why) => format!(
                    "{why} while the proxy settings were read (name lookups, PAC fetch and evaluation)"
                ),
                Stopped::Gone(why) => format!("the proxy settings could not be read: {why}"),
            }));
            // Nothing decided: every URL is reported as not probed.
            Settings {
                command_line_problem: None,
                explanation: Explanation::unread(
                    options.profile,
                    options.os,
                    discovery,
                    Vec::new(),
                ),
            }
        }
    };
    if let Some(problem) = &settings.command_line_problem {
        return Err(RunError::UnusableSetting(problem.clone()));
    }
    let mut warnings: Vec<String> = settings.explanation.warnings.clone();
    for w in &warnings {
        observer.warning(w);
    }
    // Credentials written into the proxy setting itself count as given;
    // `--proxy-user` replaces them, and says so when they differ.
    let in_setting = discovery
        .found
        .iter()
        .flat_map(|f| f.config.proxies())
        .find_map(|p| p.credentials.clone());
    if let (Some(given), Some(written)) = (&config.credentials, &in_setting)
        && (given.user() != written.user() || given.password() != written.password())
    {
        let why =
            "--proxy-user is used: the user and password written in the proxy setting are not sent"
                .to_owned();
        observer.warning(&why);
        warnings.push(why);
    }
    let credentials = config.credentials.clone().or(in_setting);
    let every_proxy: Vec<Route> = discovery
        .found
        .iter()
        .flat_map(|f| match &f.config {
            ProxyConfig::Static { .. } => {
                f.config.proxies().into_iter().map(|p| p.route()).collect()
            }
            _ => Vec::new(),
        })
        .collect();

    let mut jobs = Vec::new();
    let mut decisions: Vec<UrlExplanation> = Vec::new();
    let mut job_meta: Vec<(usize, Meta, String)> = Vec::new();
    let mut skipped = Vec::new();
    for (position, row) in rows.into_iter().enumerate() {
        let (meta, target) = match row {
            Row::Skipped(s) => {
                skipped.push((position, s));
                continue;
            }
            Row::Url { meta, target } => (meta, target),
        };
        let decided = match (&cut_by, &router) {
            (None, Ok(router)) => router.next(&cut).map_err(|stopped| match stopped {
                Stopped::Cut(why) => format!("{why} while routes were decided"),
                Stopped::Gone(why) => format!("routes could not be decided: {why}"),
            }),
            (Some(why), _) => Err(why.clone()),
            (None, Err(_)) => Err("routes could not be decided".to_owned()),
        };
        let decision = match decided {
            Ok(decision) => decision,
            Err(why) => {
                if cut_by.is_none() {
                    cut_by = Some(why.clone());
                }
                skipped.push((
                    position,
                    Skipped {
                        meta,
                        reason: format!("not probed: {why}"),
                        verdict: Verdict::NotProbed,
                        route_source: String::new(),
                    },
                ));
                continue;
            }
        };
        tracing::debug!(
            url = %meta.url,
            routes = %decision
                .decision
                .routes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            detail = %decision.decision.detail,
            "routes decided"
        );
        decisions.push(decision.clone());
        let source = match &decision.decision.decided_by {
            // Why a PAC's URL goes DIRECT is told where its route is.
            Some(by) if decision.direct_fallback.is_some() => {
                format!("{by}: {}", decision.decision.detail)
            }
            Some(by) => by.to_string(),
            None => decision.decision.detail.clone(),
        };
        if let Some(error) = decision.error {
            skipped.push((
                position,
                Skipped {
                    meta,
                    reason: format!("no route: {error}"),
                    verdict: Verdict::NoRoute,
                    route_source: source,
                },
            ));
            continue;
        }
        let mut routes = decision.decision.routes.clone();
        if config.all_routes {
            for r in std::iter::once(Route::Direct).chain(every_proxy.iter().cloned()) {
                if !routes.contains(&r) {
                    routes.push(r);
                }
            }
        }
        if let Some(allowed) = &config.only_routes {
            let refused: Vec<String> = routes
                .iter()
                .filter(|r| !allowed.contains(r))
                .map(ToString::to_string)
                .collect();
            if !refused.is_empty() {
                skipped.push((
                    position,
                    Skipped {
                        meta,
                        reason: format!(
                            "not probed: the settings route it through {}, which this run may not use",
                            refused.join(", ")
                        ),
                        verdict: Verdict::NotProbed,
                        route_source: source,
                    },
                ));
                continue;
            }
        }
        jobs.push(Job {
            target,
            routes,
            every_route: config.all_routes,
        });
        job_meta.push((position, meta, source));
    }
    // A PAC answer no client can use is a fault of the script, said once
    // for the run: each URL's route source has the answer.
    let fell_back: Vec<(&str, &str)> = decisions
        .iter()
        .filter_map(|d| Some((d.url.as_str(), d.direct_fallback.as_deref()?)))
        .collect();
    if let Some((url, answer)) = fell_back.first() {
        let why = format!(
            "the PAC gave no usable route for {} URL(s), {url} among them ({answer}): they are probed DIRECT, as {}; correct the script",
            fell_back.len(),
            pathprobe_pac::discovery::CLIENT_GOES_DIRECT
        );
        observer.warning(&why);
        warnings.push(why);
    }
    // The control URL's routes, as the settings give them, when the run
    // may use them all.
    let control_routes: Option<Vec<Route>> = match (&config.control, &cut_by, &router) {
        (Some(_), None, Ok(router)) => router
            .next(&cut)
            .ok()
            .filter(|d| d.error.is_none())
            .map(|d| d.decision.routes)
            .filter(|routes| {
                config
                    .only_routes
                    .as_ref()
                    .is_none_or(|allowed| routes.iter().all(|r| allowed.contains(r)))
            }),
        _ => None,
    };
    // The routing thread (and the script's worker) ends here, or after the
    // URL it is deciding when the run was cut.
    drop(router);

    let trust =
        Arc::new(TrustStores::load(&config.anchors).map_err(|e| RunError::Trust(e.to_string()))?);
    let phase = config.limits.phase;
    let ctx = Arc::new(Context {
        resolver: options.resolver.clone(),
        overrides: config.pins.clone(),
        trust,
        timeouts: Timeouts {
            dns: phase.min(Duration::from_secs(5)),
            // Waiting for a DNS slot is bounded by the run's deadline.
            dns_queue: deadline,
            connect: phase,
            tunnel: phase,
            tls: phase,
            http: phase,
        },
        insecure_read: config.insecure_read,
        credentials,
        expected_issuers: config.expected_issuers.clone(),
    });
    let started_at = jiff::Timestamp::now().to_string();
    if cut_by.is_none() {
        cut_by = cut();
    }
    observer.probing(jobs.len());
    // The control probes go beside the endpoints, within the deadline.
    let control = match (&config.control, &cut_by) {
        (Some(c), None) => {
            let probes = control::run(c.clone(), control_routes, ctx.clone());
            let limit = remaining();
            // The timer is made inside the runtime, where it can run.
            Some(runtime.spawn(async move { tokio::time::timeout(limit, probes).await }))
        }
        _ => None,
    };
    // Kept to ask names again after the run (see `dns_again`).
    let again_jobs = jobs.clone();
    let again_ctx = ctx.clone();
    let mut outcome = if cut_by.is_some() {
        // Cut before the first probe: the jobs are reported, not run.
        Outcome {
            attempts: vec![Vec::new(); jobs.len()],
            partial: true,
            cut_by: None,
        }
    } else {
        runtime.block_on(scheduler::run(
            jobs,
            ctx,
            Limits {
                concurrency: config.limits.concurrency,
                per_proxy: config.limits.per_proxy,
                // What is left of the run's deadline.
                deadline: remaining(),
                given: config.limits.deadline,
            },
            |done, _| observer.probed(done),
        ))
    };
    let interrupted =
        *interrupt.borrow() || outcome.cut_by.as_deref() == Some("interrupted (Ctrl-C)");
    observer.probes_done();
    // Ctrl-C ends the control probes too; otherwise they end by the deadline.
    let control = control.and_then(|task| {
        if interrupted {
            task.abort();
            return None;
        }
        runtime.block_on(task).ok()?.ok()
    });
    if let Some(c) = &control {
        let outcome = |p: &Option<pathprobe_reports::ControlProbe>| {
            p.as_ref().map_or("not asked", |p| match p.outcome {
                pathprobe_reports::ControlOutcome::Expected => "expected",
                pathprobe_reports::ControlOutcome::Different => "different",
                pathprobe_reports::ControlOutcome::Failed => "failed",
            })
        };
        tracing::debug!(
            http = outcome(&c.http),
            dns = outcome(&c.dns),
            "control probes"
        );
    }

    // Once the control probes are done: nothing else asks the resolver.
    if cut_by.is_none() && outcome.cut_by.is_none() && !interrupted {
        let asked = dns_again::ask_again(
            &runtime,
            &again_jobs,
            &mut outcome.attempts,
            &again_ctx,
            remaining,
            || *interrupt.borrow(),
        );
        if let Some(why) = asked.warning() {
            observer.warning(&why);
            warnings.push(why);
        }
    }

    // Proxies that opened a tunnel in this run: one that then leaves a
    // CONNECT unanswered is up, and waiting on what lies beyond it.
    let mut tunnels_by: std::collections::HashMap<Route, usize> = Default::default();
    for a in outcome.attempts.iter().flatten() {
        if a.route != Route::Direct && a.phases.iter().any(|p| p.phase == Phase::Tunnel && p.ok) {
            *tunnels_by.entry(a.route.clone()).or_default() += 1;
        }
    }
    let mut results: Vec<(usize, ProbeResult)> = Vec::new();
    for ((position, meta, source), mut attempts) in job_meta.into_iter().zip(outcome.attempts) {
        for a in &mut attempts {
            slow_beyond_proxy(a, &tunnels_by);
        }
        if meta.defender {
            for a in &mut attempts {
                // The vendor's published network requirements.
                let rule = match a.verdict {
                    Verdict::ProxyAuthRequired => "authenticated proxies",
                    Verdict::TlsIntercepted => "SSL inspection",
                    _ => continue,
                };
                a.evidence.push(format!(
                    "{}: Defender for Endpoint does not support {rule}",
                    pathprobe_reports::findings::SERVICE_RULE
                ));
            }
        }
        let (verdict, hint) = match (
            chosen(&attempts),
            cut_by.as_ref().or(outcome.cut_by.as_ref()),
        ) {
            (Some(a), _) => (a.verdict, a.hint.clone()),
            (None, Some(why)) => (Verdict::NotProbed, format!("not probed: {why}")),
            (None, None) => (Verdict::Timeout, String::new()),
        };
        results.push((
            position,
            ProbeResult {
                url: meta.url,
                category: meta.category,
                required: meta.required,
                route_source: source,
                attempts,
                verdict,
                hint,
                change: None,
                listed_in: meta.listed_in,
            },
        ));
    }
    for (position, s) in skipped {
        results.push((
            position,
            ProbeResult {
                url: s.meta.url,
                category: s.meta.category,
                required: s.meta.required,
                route_source: s.route_source,
                attempts: Vec::new(),
                verdict: s.verdict,
                hint: s.reason,
                change: None,
                listed_in: s.meta.listed_in,
            },
        ));
    }
    results.sort_by_key(|(p, _)| *p);
    let in_force = settings
        .explanation
        .sources
        .iter()
        .find(|s| matches!(s.standing, Standing::Winner { .. }))
        .map(|s| format!("; in force: {}", s.found.provenance))
        .unwrap_or_else(|| "; no proxy setting: direct".into());
    let routing = format!(
        "{} profile, {} rules{in_force}",
        options.profile.name(),
        options.os.name()
    );
    if let Some(why) = outcome.cut_by.as_ref().or(cut_by.as_ref()) {
        observer.warning(why);
        warnings.push(why.clone());
    }
    let mut report = new_report(
        config.catalog_name.clone(),
        config.filters.clone(),
        routing,
        started_at,
        warnings,
        results.into_iter().map(|(_, r)| r).collect(),
    );
    report.control = control;
    // Redacted first: the findings are then made once, from the redacted
    // results.
    report.redact(&config.redactor);
    report.summarise(
        run_started.elapsed().as_secs_f64() * 1000.0,
        outcome.partial || cut_by.is_some(),
    );
    tracing::debug!(summary = %report.summary_line(), "run finished");
    let mut explanation = settings.explanation;
    explanation.urls = decisions;
    Ok(Run {
        report,
        pac_text: explanation.pac.as_ref().map(|p| p.text.clone()),
        explanation,
        interrupted,
    })
}
