//! `pathprobe check`: the main job.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use pathprobe_pac::discovery::{
    Credentials, Discovery, Explanation, ProxyConfig, ProxyResolver, UrlExplanation,
};
use pathprobe_pac::{FixedResolver, Route};
use pathprobe_reports::{CheckFormat, CheckReport, Comparison, ProbeResult, ToolInfo, Verdict};
use pathprobe_urls::{ExpectedStatus, Probe, Target as CatalogTarget, default_probe_map};

use crate::cli::{CheckArgs, FailOnArg, ProbeArgs};
use crate::commands::proxy::discover;
use crate::commands::urls::{filter_of, load_catalog};
use crate::engine::{self, Job, Limits};
use crate::exit::{Exit, UsageError};
use crate::output::{self, ReportOutputs};
use crate::probe::tls::TrustStores;
use crate::probe::{Context, Expect, Target, Timeouts};
use crate::routes::{Router, Settings, Stopped};

fn seconds(value: f64, flag: &str) -> Result<Duration, UsageError> {
    crate::cli::seconds_in_range(value)
        .map(Duration::from_secs_f64)
        .map_err(|e| UsageError(format!("{flag} {e}")))
}

/// Catalog metadata of one result.
struct Meta {
    url: String,
    category: Option<String>,
    required: bool,
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

pub fn run(args: CheckArgs) -> anyhow::Result<Exit> {
    if args.fail_on == FailOnArg::Regression && args.baseline.is_none() {
        return Err(UsageError("--fail-on regression needs a --baseline report".into()).into());
    }
    // Everything that could make the report unwritable or the comparison
    // impossible is checked before the first probe.
    let mut inputs = args.probe.input_files();
    if let Some(path) = &args.baseline {
        inputs.push((path.clone(), "--baseline"));
    }
    let outputs = ReportOutputs::plan(args.format, &args.output, &inputs)?;
    let baseline = match &args.baseline {
        Some(path) => Some((crate::input::read_report(path)?, path.display().to_string())),
        None => None,
    };
    // Warnings for people go to stderr when stdout is for people too.
    let human = matches!(outputs.stdout, Some(CheckFormat::Table) | None);
    let probed = probe(&args.probe, human, None)?;
    let interrupted = probed.interrupted;
    let mut report = probed.report;
    let regressions = baseline.map(|(before, source)| {
        let comparison = Comparison::new(&before, &source, &report, "this run");
        comparison.mark(&mut report, &before, &source);
        comparison.required_regressions()
    });
    outputs.write(&report, args.verbose)?;
    let mut push_failed = false;
    if let Some(gateway) = &args.push {
        let body = report.render(
            CheckFormat::Prometheus,
            &pathprobe_reports::TableStyle::plain(80),
        )?;
        if let Err(e) = push(gateway, body) {
            output::warn(&format!("--push: {e}"));
            push_failed = true;
        }
    }
    let failed = match (args.fail_on, regressions) {
        (FailOnArg::Regression, Some(n)) => n > 0,
        _ => report.summary.required_failed > 0,
    };
    // Ctrl-C before any probe finished: the shell's code for an interrupt.
    let nothing_finished = report
        .results
        .iter()
        .all(|r| r.attempts.iter().all(|a| a.hint.contains("(interrupted:")));
    Ok(if interrupted && nothing_finished {
        Exit::Interrupted
    } else if failed || push_failed || report.summary.partial {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// The Pushgateway URL of this run's group: the given URL when it names a
/// job already, else `/metrics/job/pathprobe/instance/HOST` under it.
pub fn push_url(gateway: &str, host: &str) -> Result<url::Url, String> {
    let mut url = url::Url::parse(gateway).map_err(|e| format!("{gateway:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{gateway:?} is not an http(s) URL"));
    }
    if !url.path().contains("/metrics/job/") {
        let base = url.path().trim_end_matches('/').to_owned();
        let host: String = url::form_urlencoded::byte_serialize(host.as_bytes()).collect();
        url.set_path(&format!("{base}/metrics/job/pathprobe/instance/{host}"));
    }
    Ok(url)
}

/// PUTs the exposition to a Pushgateway (replacing the group's metrics).
fn push(gateway: &str, body: String) -> Result<(), String> {
    let host = crate::commands::bundle::hostname().unwrap_or_else(|| "unknown".into());
    let url = push_url(gateway, &host)?;
    let shown = pathprobe_pac::redact_url(&url);
    let runtime = crate::runtime::Runtime::current_thread().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .no_proxy()
            .build()
            .map_err(|e| e.to_string())?;
        let response = client
            .put(url)
            .header("Content-Type", "text/plain; version=0.0.4")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{shown}: {}", e.without_url()))?;
        if response.status().is_success() {
            Ok(())
        } else {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            Err(format!("{shown} answered {status}: {}", text.trim()))
        }
    })
}

/// What one run learned: the report, and how routes were decided.
pub struct Probed {
    /// The report (no baseline marks).
    pub report: CheckReport,
    /// The settings found and the decision for every probed URL.
    pub explanation: Explanation,
    /// The PAC script in force, with its text.
    pub pac_text: Option<String>,
    /// Every setting found (for the support bundle's redaction).
    pub discovery: Discovery,
    /// Whether Ctrl-C ended the run.
    pub interrupted: bool,
}

/// Plans, routes and probes the catalog (`catalog`, when given, instead of
/// the one the arguments name); `human` lets warnings go to stderr.
pub fn probe(
    args: &ProbeArgs,
    human: bool,
    catalog_override: Option<pathprobe_urls::Catalog>,
) -> anyhow::Result<Probed> {
    // The deadline and Ctrl-C hold from here: reading the settings,
    // fetching and running the PAC script, and probing.
    let run_started = Instant::now();
    let embedded = catalog_override.is_none() && args.catalog.catalog.is_none();
    let deadline = seconds(args.deadline, "--deadline")?;
    // Each probe holds up to two sockets; raise the open-file limit as far as
    // the system allows and stay within it.
    let fd_limit = rlimit::increase_nofile_limit(65_536).unwrap_or(1024);
    let fd_budget = usize::try_from(fd_limit.saturating_sub(64) / 2)
        .unwrap_or(usize::MAX)
        .max(1);
    let concurrency = args.concurrency.min(fd_budget);
    if concurrency < args.concurrency && human {
        output::warn(&format!(
            "the open-file limit ({fd_limit}) allows {concurrency} probes at once, not {}",
            args.concurrency
        ));
    }
    let phase = seconds(args.phase_timeout, "--phase-timeout")?;
    let catalog = match catalog_override {
        Some(c) => c,
        None => load_catalog(&args.catalog)?,
    };
    let (filter, described) = filter_of(&args.filter)?;
    let map = default_probe_map().context("the embedded probe map is damaged (a build problem)")?;
    let plan = pathprobe_urls::plan(&catalog, &filter, &map);

    let mut overrides: HashMap<String, Vec<IpAddr>> = HashMap::new();
    for entry in &args.resolve {
        let (host, ip) =
            FixedResolver::parse_entry(entry).map_err(|e| UsageError(format!("--resolve {e}")))?;
        overrides
            .entry(pathprobe_host::key(&host))
            .or_default()
            .push(ip);
    }
    let anchors = crate::input::ca_certs(&args.ca_cert)?;
    let mut credentials = match &args.proxy_user {
        Some(text) => {
            let (user, pass) = text
                .split_once(':')
                .ok_or_else(|| UsageError("--proxy-user takes USER:PASSWORD".into()))?;
            Some(Credentials::new(user, pass))
        }
        None => None,
    };

    let runtime =
        crate::runtime::Runtime::multi_thread().context("cannot start the async runtime")?;
    // Ctrl-C before the probes start: noted here, acted on between steps.
    let (interrupt_tx, interrupt) = tokio::sync::watch::channel(false);
    runtime.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = interrupt_tx.send(true);
        }
    });
    let remaining = || deadline.saturating_sub(run_started.elapsed());
    let cut = |interrupt: &tokio::sync::watch::Receiver<bool>| -> Option<String> {
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

    // The platform filter also picks the OS whose proxy rules apply.
    let (discovery, mut options) = discover(&args.routing, args.filter.os)?;
    if !overrides.is_empty() {
        options.resolver = Arc::new(crate::probe::PinnedResolver {
            pins: overrides.clone(),
            fallback: options.resolver.clone(),
        });
    }
    // No PAC fetch or evaluation outlives the run.
    options.pac.eval_timeout = options.pac.eval_timeout.min(deadline);
    options.fetch.timeout = options.fetch.timeout.min(deadline);
    let mut cut_by: Option<String> = None;

    // The rows in catalog order: those not probed, and the URLs whose
    // routes are decided next (in this order).
    let mut rows: Vec<Row> = Vec::new();
    for planned in &plan.entries {
        let endpoint = &planned.endpoint;
        let meta = |url: String| Meta {
            url,
            category: endpoint.category.clone(),
            required: endpoint.requirement.is_required(),
        };
        match &planned.probe {
            Probe::NotProbed { why } => {
                let pattern = match &endpoint.target {
                    CatalogTarget::Url(p) => p.to_string(),
                    CatalogTarget::Prose { text } => text.clone(),
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
                                method: t.method.to_string(),
                                expect: match &t.expect {
                                    ExpectedStatus::Any(_) => Expect::Any,
                                    ExpectedStatus::OneOf(list) => Expect::OneOf(list.clone()),
                                },
                            },
                        },
                        Err(_) => Row::Skipped(Skipped {
                            meta: meta(t.url.clone()),
                            reason: format!("{:?} is not a URL", t.url),
                            verdict: Verdict::NotProbed,
                            route_source: String::new(),
                        }),
                    });
                }
            }
        }
    }
    let urls: Vec<String> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Url { meta, .. } => Some(meta.url.clone()),
            Row::Skipped(_) => None,
        })
        .collect();
    let cut_now = || cut(&interrupt);
    let router = Router::start(
        runtime.handle().clone(),
        discovery.clone(),
        options.clone(),
        urls,
    );
    let settings = match router
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|r| r.settings(&cut_now))
    {
        Ok(settings) => settings,
        Err(stopped) => {
            cut_by = Some(match stopped {
                Stopped::Cut(why) => {
                    format!(
                        "{why} while the proxy settings were read (name lookups, PAC fetch and evaluation)"
                    )
                }
                Stopped::Gone(why) => format!("the proxy settings could not be read: {why}"),
            });
            // Nothing decided: every URL is reported as not probed.
            let nothing = runtime.block_on(ProxyResolver::new(&Discovery::default(), &options));
            Settings {
                command_line_problem: None,
                explanation: nothing.explanation(&discovery, Vec::new()),
            }
        }
    };
    if let Some(problem) = &settings.command_line_problem {
        return Err(
            UsageError(format!("the proxy setting given cannot be used: {problem}")).into(),
        );
    }
    let mut warnings: Vec<String> = settings.explanation.warnings.clone();
    if human {
        for w in &warnings {
            output::warn(w);
        }
    }
    // Credentials written into the proxy setting itself count as given.
    if credentials.is_none() {
        credentials = discovery
            .found
            .iter()
            .flat_map(|f| f.config.proxies())
            .find_map(|p| p.credentials.clone());
    }
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
            (None, Ok(router)) => router.next(&cut_now).map_err(|stopped| match stopped {
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
        tracing::debug!(url = %meta.url, routes = ?decision.decision.routes, detail = %decision.decision.detail, "routes decided");
        decisions.push(decision.clone());
        let source = decision
            .decision
            .decided_by
            .as_ref()
            .map_or_else(|| decision.decision.detail.clone(), ToString::to_string);
        if let Some(error) = decision.error {
            skipped.push((
                position,
                Skipped {
                    meta,
                    reason: format!("no route: {error}"),
                    verdict: Verdict::ProxyUnreachable,
                    route_source: source,
                },
            ));
            continue;
        }
        let mut routes = decision.decision.routes.clone();
        if args.all_routes {
            for r in std::iter::once(Route::Direct).chain(every_proxy.iter().cloned()) {
                if !routes.contains(&r) {
                    routes.push(r);
                }
            }
        }
        jobs.push(Job {
            target,
            routes,
            every_route: args.all_routes,
        });
        job_meta.push((position, meta, source));
    }
    // The routing thread (and the script's worker) ends here, or after the
    // URL it is deciding when the run was cut.
    drop(router);

    let trust = Arc::new(TrustStores::load(&anchors)?);
    let ctx = Arc::new(Context {
        resolver: options.resolver.clone(),
        overrides,
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
        insecure_read: args.insecure_read,
        credentials,
        // The vendor pins its endpoints to Microsoft and DigiCert roots.
        expected_issuers: if embedded {
            vec!["Microsoft".into(), "DigiCert".into()]
        } else {
            Vec::new()
        },
    });
    let started_at = jiff::Timestamp::now().to_string();
    if cut_by.is_none() {
        cut_by = cut(&interrupt);
    }
    let progress = output::Progress::new(jobs.len());
    let outcome = if cut_by.is_some() {
        // Cut before the first probe: the jobs are reported, not run.
        engine::Outcome {
            attempts: vec![Vec::new(); jobs.len()],
            partial: true,
            cut_by: None,
        }
    } else {
        runtime.block_on(engine::run(
            jobs,
            ctx,
            Limits {
                concurrency,
                per_proxy: args.per_proxy,
                // What is left of the run's deadline.
                deadline: remaining(),
            },
            |done, _| progress.set(done),
        ))
    };
    progress.finish();
    let interrupted =
        *interrupt.borrow() || outcome.cut_by.as_deref() == Some("interrupted (Ctrl-C)");

    let mut results: Vec<(usize, ProbeResult)> = Vec::new();
    for ((position, meta, source), attempts) in job_meta.into_iter().zip(outcome.attempts) {
        let chosen = attempts
            .iter()
            .find(|a| a.verdict.is_ok())
            .or_else(|| attempts.last());
        let (verdict, hint) = match (chosen, &cut_by) {
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
            },
        ));
    }
    results.sort_by_key(|(p, _)| *p);
    let routing = format!(
        "profile {:?} on {:?}{}",
        options.profile,
        options.os,
        settings
            .explanation
            .sources
            .iter()
            .find(|s| matches!(
                s.standing,
                pathprobe_pac::discovery::Standing::Winner { .. }
            ))
            .map(|s| format!("; in force: {}", s.found.provenance))
            .unwrap_or_else(|| "; no proxy setting: direct".into())
    );
    if let Some(why) = outcome.cut_by.as_ref().or(cut_by.as_ref()) {
        if human {
            output::warn(why);
        }
        warnings.push(why.clone());
    }
    let mut report = CheckReport {
        schema_version: pathprobe_reports::CHECK_SCHEMA_VERSION,
        tool: ToolInfo {
            name: "pathprobe".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        catalog: catalog.info.name.clone(),
        filters: described,
        routing,
        started_at,
        warnings,
        baseline: None,
        results: results.into_iter().map(|(_, r)| r).collect(),
        summary: Default::default(),
    };
    report.summarise(
        run_started.elapsed().as_secs_f64() * 1000.0,
        outcome.partial || cut_by.is_some(),
    );
    crate::secrets::learn_found(&discovery);
    report.redact(&crate::commands::bundle::secrets_redactor(args, &discovery));
    tracing::debug!(summary = %report.summary_line(), "run finished");
    let mut explanation = settings.explanation;
    explanation.urls = decisions;
    Ok(Probed {
        report,
        pac_text: explanation.pac.as_ref().map(|p| p.text.clone()),
        explanation,
        discovery,
        interrupted,
    })
}
