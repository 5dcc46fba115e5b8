//! `pathprobe check`: the main job.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use pathprobe_pac::FixedResolver;
use pathprobe_pac::discovery::{Credentials, Discovery, Explanation};
use pathprobe_reports::{CheckFormat, CheckReport, Comparison};

use crate::catalogs::{filter_of, load_catalog_within, plan_of};
use crate::cli::{CheckArgs, FailOnArg, ProbeArgs};
use crate::engine::{self, Observer, RunConfig, RunError, RunLimits};
use crate::exit::{Exit, UsageError};
use crate::output::{self, ReportOutputs};
use crate::settings::discover;

fn seconds(value: f64, flag: &str) -> Result<Duration, UsageError> {
    crate::cli::seconds_in_range(value)
        .map(Duration::from_secs_f64)
        .map_err(|e| UsageError(format!("{flag} {e}")))
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
    let probed = probe_or_cut(&args.probe, human)?;
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
    // A check that checked nothing has not passed: a scheduled run over a
    // catalog of prose rows (or filters that leave only those) says so.
    let nothing_probed = report.summary.probed == 0 && !report.summary.partial;
    if nothing_probed {
        output::warn(&format!(
            "nothing was probed: none of the {} rows left after the filters names an endpoint that can be probed (the report says why for each)",
            report.summary.not_probed
        ));
    }
    Ok(if interrupted && nothing_finished {
        Exit::Interrupted
    } else if failed || push_failed || report.summary.partial || nothing_probed {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// The Pushgateway URL of this run's group: the given URL when it names a
/// job already, else `/metrics/job/pathprobe/instance/HOST` under it.
pub fn push_url(gateway: &str, host: &str) -> Result<url::Url, String> {
    let mut url =
        url::Url::parse(gateway).map_err(|e| format!("\"{gateway}\" is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("\"{gateway}\" is not an http(s) URL"));
    }
    if !url.path().contains("/metrics/job/") {
        let base = url.path().trim_end_matches('/');
        // The gateway's own page (`…:9091/metrics`) given as its address:
        // the push goes under the gateway, not under that page (round 23:
        // `/metrics/metrics/job/…`).
        let base = base.strip_suffix("/metrics").unwrap_or(base).to_owned();
        let host: String = url::form_urlencoded::byte_serialize(host.as_bytes()).collect();
        url.set_path(&format!("{base}/metrics/job/pathprobe/instance/{host}"));
    }
    Ok(url)
}

/// PUTs the exposition to a Pushgateway (replacing the group's metrics).
fn push(gateway: &str, body: String) -> Result<(), String> {
    let host = crate::input::hostname().unwrap_or_else(|| "unknown".into());
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
            // In words (round 20: "error sending request", no cause).
            .map_err(|e| format!("{shown}: {}", pathprobe_pac::describe_http_error(&e)))?;
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

/// Tells a person: a progress bar when stderr is a terminal, and warnings
/// on stderr when stdout is for people too.
struct Terminal {
    warnings: bool,
    progress: std::sync::Mutex<Option<output::Progress>>,
}

impl Observer for Terminal {
    fn warning(&self, text: &str) {
        if self.warnings {
            output::warn(text);
        }
    }

    fn probing(&self, total: usize) {
        if let Ok(mut p) = self.progress.lock() {
            *p = Some(output::Progress::new(total));
        }
    }

    fn probed(&self, done: usize) {
        if let Ok(p) = self.progress.lock()
            && let Some(p) = p.as_ref()
        {
            p.set(done);
        }
    }

    fn probes_done(&self) {
        if let Ok(mut p) = self.progress.lock()
            && let Some(p) = p.take()
        {
            p.finish();
        }
    }
}

/// What a caller changes in the run its arguments describe.
#[derive(Default)]
pub(crate) struct Overrides {
    /// This catalog instead of the one the arguments name.
    pub catalog: Option<pathprobe_urls::Catalog>,
    /// This geography instead of the one the arguments give (if any).
    pub geography: Option<pathprobe_urls::Geography>,
    /// No control probes, whatever the arguments say (`serve`'s `/probe`
    /// of one target: its scheduled runs ask them).
    pub without_control: bool,
}

/// The run the arguments ask for, with `overrides`: the catalog planned,
/// the proxy settings read, limits, DNS pins, trust anchors and the secrets
/// to keep out of the report. `human`: warnings go to stderr.
pub(crate) fn configure(
    args: &ProbeArgs,
    human: bool,
    overrides: Overrides,
) -> anyhow::Result<RunConfig> {
    let catalog_override = overrides.catalog;
    let without_control = overrides.without_control;
    // The deadline and Ctrl-C hold from here: reading the settings,
    // fetching and running the PAC script, and probing.
    let started = Instant::now();
    let embedded = catalog_override.is_none() && args.catalog.catalog.is_empty();
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
    let mut pins: HashMap<String, Vec<IpAddr>> = HashMap::new();
    for entry in &args.resolve {
        let (host, ip) =
            FixedResolver::parse_entry(entry).map_err(|e| UsageError(format!("--resolve {e}")))?;
        pins.entry(pathprobe_host::key(&host)).or_default().push(ip);
    }
    let catalog = match catalog_override {
        Some(c) => c,
        None => {
            let names = catalog_names(args, &pins, phase)?;
            load_catalog_within(&args.catalog, Some(deadline), names)?
        }
    };
    if crate::interrupt::requested() {
        return Err(crate::exit::Cut::interrupted("the catalog was read").into());
    }
    let (mut filter, mut described) = filter_of(&args.filter)?;
    if let Some(geo) = overrides.geography {
        described.retain(|d| !d.starts_with("geo="));
        described.insert(0, format!("geo={geo}"));
        filter.geo = Some(pathprobe_urls::GeoSelection::new(geo));
    }
    let plan = plan_of(&catalog, &filter)?;

    let anchors = crate::input::ca_certs(&args.ca_cert)?;
    let credentials = match &args.proxy_user {
        Some(text) => {
            let (user, pass) = text
                .split_once(':')
                .ok_or_else(|| UsageError("--proxy-user takes USER:PASSWORD".into()))?;
            Some(Credentials::new(user, pass))
        }
        None => None,
    };
    // The platform filter also picks the OS whose proxy rules apply.
    let (discovery, routing) = discover(&args.routing, args.filter.os)?;
    let redactor = crate::secrets::redactor_for(args, &discovery);
    // Before the first log line of the run: a proxy echoing a credential
    // from the configuration file must not reach PATHPROBE_LOG.
    crate::secrets::learn(&redactor);
    Ok(
        RunConfig::builder(plan, &report_name(&catalog.info), discovery, routing)
            .started(started)
            .filters(described)
            .pins(pins)
            .trust_anchors(anchors)
            // The vendor pins its endpoints to Microsoft and DigiCert roots.
            .expected_issuers(if embedded {
                vec!["Microsoft".into(), "DigiCert".into()]
            } else {
                Vec::new()
            })
            .credentials(credentials)
            .limits(RunLimits {
                deadline,
                phase,
                concurrency,
                per_proxy: args.per_proxy,
            })
            .all_routes(args.all_routes)
            .control((!args.no_control && !without_control).then(crate::engine::Control::windows))
            .insecure_read(args.insecure_read)
            .redactor(redactor)
            .build(),
    )
}

/// How a catalog URL's server is found, as the endpoints are: the pins,
/// then the DNS servers given (round 18: the system's resolver was asked).
/// Nothing is set up when no catalog is a URL (a resolver starts a thread).
fn catalog_names(
    args: &ProbeArgs,
    pins: &HashMap<String, Vec<IpAddr>>,
    limit: std::time::Duration,
) -> anyhow::Result<Option<std::sync::Arc<dyn reqwest::dns::Resolve>>> {
    if !args
        .catalog
        .catalog
        .iter()
        .any(|c| crate::remote::is_url(c))
    {
        return Ok(None);
    }
    let mut pinned = FixedResolver::new();
    for (host, ips) in pins {
        for ip in ips {
            pinned.insert(host, *ip);
        }
    }
    let servers = crate::settings::dns_servers(&args.routing.dns_server)?;
    let system: std::sync::Arc<dyn pathprobe_pac::Resolve> =
        std::sync::Arc::new(anyhow::Context::context(
            pathprobe_pac::SystemResolver::new(servers),
            "cannot set up DNS",
        )?);
    let names: std::sync::Arc<dyn pathprobe_pac::Resolve> =
        std::sync::Arc::new(pathprobe_pac::LayeredResolver::new(pinned, Some(system)));
    Ok(Some(pathprobe_pac::http_names(&names, limit)))
}

/// Runs `config` through the engine; `human` lets warnings and progress go
/// to stderr.
pub(crate) fn run_config(config: &RunConfig, human: bool) -> anyhow::Result<Probed> {
    let observer = Terminal {
        warnings: human,
        progress: std::sync::Mutex::new(None),
    };
    let run = engine::run(config, &observer).map_err(|e| match e {
        RunError::UnusableSetting(_) => anyhow::Error::from(UsageError(e.to_string())),
        other => anyhow::Error::from(other),
    })?;
    Ok(Probed {
        report: run.report,
        explanation: run.explanation,
        pac_text: run.pac_text,
        discovery: config.discovery().clone(),
        interrupted: run.interrupted,
    })
}

/// [`probe`] with no overrides, and a run cut while its catalog was read
/// turned into what finished — nothing — so that its report (and bundle)
/// still replaces the last run's, naming why it holds nothing.
pub(crate) fn probe_or_cut(args: &ProbeArgs, human: bool) -> anyhow::Result<Probed> {
    let started = Instant::now();
    // Ctrl-C from here on ends the run with its report.
    crate::interrupt::watch();
    let probed = probe(args, human, Overrides::default());
    // Cut (and whether by Ctrl-C): read once, before the error is used.
    let cut = probed
        .as_ref()
        .err()
        .and_then(|e| e.downcast_ref::<crate::exit::Cut>())
        .map(|c| c.interrupted);
    match probed {
        Err(e) if let Some(interrupted) = cut => {
            let why = crate::exit::message(&e);
            if human {
                output::warn(&why);
            }
            let catalog = if args.catalog.catalog.is_empty() {
                "the embedded catalog".to_owned()
            } else {
                args.catalog
                    .catalog
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Ok(Probed {
                report: crate::engine::cut_report(&catalog, &why, started.elapsed()),
                explanation: Explanation::unread(
                    pathprobe_pac::discovery::Profile::System,
                    pathprobe_pac::discovery::TargetOs::current(),
                    &Discovery::default(),
                    vec![why],
                ),
                pac_text: None,
                discovery: Discovery::default(),
                interrupted,
            })
        }
        other => other,
    }
}

/// Plans, routes and probes the catalog the arguments name, with
/// `overrides`; `human` lets warnings and progress go to stderr.
pub(crate) fn probe(args: &ProbeArgs, human: bool, overrides: Overrides) -> anyhow::Result<Probed> {
    run_config(&configure(args, human, overrides)?, human)
}

/// The catalog as the report names it: its name; for one fetched from a
/// URL, where from and the server's validators.
fn report_name(info: &pathprobe_urls::CatalogInfo) -> String {
    match &info.fetched {
        Some(fetched) => fetched.clone(),
        None => info.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::push_url;

    #[test]
    fn a_gateway_is_pushed_to_under_its_base_whatever_page_is_given() {
        let at = |given: &str| push_url(given, "vm 1").map(|u| u.to_string());
        let group = "http://gw:9091/metrics/job/pathprobe/instance/vm+1";
        assert_eq!(at("http://gw:9091").as_deref(), Ok(group));
        // Round 23: its own /metrics page given as its address.
        assert_eq!(at("http://gw:9091/metrics").as_deref(), Ok(group));
        assert_eq!(at("http://gw:9091/metrics/").as_deref(), Ok(group));
        assert_eq!(
            at("http://gw:9091/metrics/job/x").as_deref(),
            Ok("http://gw:9091/metrics/job/x")
        );
        assert!(at("ftp://gw/").is_err());
    }
}
