//! `pathprobe pac eval`.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use pathprobe_pac::{
    FetchLimits, FetchedPac, FixedClock, FixedResolver, LayeredResolver, PacClock, PacErrorKind,
    PacLocation, PacOptions, PacRunner, Resolve, Severity, SystemClock, SystemResolver, UrlMode,
};
use pathprobe_reports::{
    OutputFormat, PacEvalReport, PacEvalResult, PacEvalSettings, PacLintReport, PacScriptInfo,
};

use crate::catalogs::routable_urls;
use crate::cli::{CatalogArgs, PacCommand, PacEvalArgs, PacFormatArg, PacLintArgs};
use crate::exit::{Exit, UsageError};
use crate::output;
use crate::settings::dns_servers;

pub fn run(cmd: PacCommand) -> anyhow::Result<Exit> {
    match cmd {
        PacCommand::Eval(args) => eval(*args),
        PacCommand::Lint(args) => lint(args),
    }
}

fn lint(args: PacLintArgs) -> anyhow::Result<Exit> {
    // `pac lint` takes the script as its argument, with no flag to name.
    let fetched = fetch_script(&args.pac, "", Duration::from_secs(10), None)?;
    let findings = crate::isolate::lint(&fetched.location, &fetched.text)?;
    // A script that does not parse, or nests too deeply to be parsed, is
    // bad input (exit 2), after the finding that says where.
    let unreadable = findings
        .iter()
        .any(|f| matches!(f.code, "syntax" | "nesting"));
    let report = PacLintReport::new(fetched.location, fetched.warnings, findings);
    let format = OutputFormat::from(args.format);
    output::print(&report.render(format, &output::table_style(false))?)?;
    Ok(if unreadable {
        Exit::Usage
    } else if report.count_at_least(Severity::Warning) > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// A URL to evaluate and what the catalog says about it.
struct Job {
    input: String,
    label: Option<String>,
    skip: Option<String>,
}

fn eval(args: PacEvalArgs) -> anyhow::Result<Exit> {
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 600.0) {
        return Err(UsageError("--timeout takes seconds between 0 and 600".into()).into());
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let jobs = jobs_of(&args)?;
    let clock: Arc<dyn PacClock> = match &args.at {
        Some(at) => Arc::new(FixedClock::parse(at).map_err(|e| UsageError(format!("--at: {e}")))?),
        None => Arc::new(SystemClock),
    };
    let resolver = resolver_of(&args)?;
    // The script's server is found through the --dns pins and the
    // --dns-server given (--no-dns leaves the script without DNS, not its
    // fetch).
    let for_fetch = if args.no_dns {
        fetch_resolver(&args)?
    } else {
        resolver.clone()
    };
    let fetched = fetch_script(&args.pac, "--pac ", timeout, Some(&for_fetch))?;
    for w in &fetched.warnings {
        if args.format == PacFormatArg::Table {
            output::warn(&format!("{}: {w}", fetched.location));
        }
    }
    let options = PacOptions {
        eval_timeout: timeout,
        dns_timeout: timeout.min(Duration::from_secs(2)),
        url_mode: if args.full_url {
            UrlMode::Full
        } else {
            UrlMode::Stripped
        },
        my_ip: (!args.my_ip.is_empty()).then(|| args.my_ip.clone()),
        ..PacOptions::default()
    };
    let my_ip: Vec<String> = options
        .my_ip
        .clone()
        .unwrap_or_else(pathprobe_pac::local_addresses)
        .iter()
        .map(IpAddr::to_string)
        .collect();
    let mut engine = PacRunner::start(
        crate::isolate::pac_isolation().as_ref(),
        &fetched.location,
        &fetched.text,
        options,
        resolver,
        clock,
    )?;

    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        if let Some(reason) = job.skip {
            results.push(PacEvalResult::skipped(&job.input, job.label, reason));
            continue;
        }
        results.push(match engine.find_proxy(&job.input, args.host.as_deref()) {
            Ok(answer) => PacEvalResult::answered(&job.input, job.label, answer),
            // Each failure a browser answers by connecting directly says so:
            // the script is still wrong, but the URL is not unreachable.
            // What the script alerted before it failed is its author's
            // trace: kept with the failure (round 19).
            Err(e) => PacEvalResult {
                alerts: e.alerts,
                more_alerts: e.more_alerts,
                ..match e.kind {
                    PacErrorKind::NoRoute { raw, reason, .. } => PacEvalResult::unusable(
                        &job.input,
                        job.label,
                        raw,
                        format!(
                            "not a usable route: {reason}; {}",
                            pathprobe_pac::discovery::CLIENT_GOES_DIRECT
                        ),
                    ),
                    kind if kind.client_goes_direct() => PacEvalResult::failed(
                        &job.input,
                        job.label,
                        format!("{kind}; {}", pathprobe_pac::discovery::CLIENT_GOES_DIRECT),
                    ),
                    kind => PacEvalResult::failed(&job.input, job.label, kind.to_string()),
                }
            },
        });
    }
    let report = PacEvalReport::new(
        PacScriptInfo {
            location: fetched.location.clone(),
            final_location: fetched.final_location.clone(),
            content_type: fetched.content_type.clone(),
            bytes: fetched.text.len(),
            entry_point: engine.entry_point(),
            warnings: fetched.warnings.clone(),
        },
        PacEvalSettings {
            url_mode: if args.full_url {
                UrlMode::Full
            } else {
                UrlMode::Stripped
            },
            at: args.at.clone(),
            my_ip,
            dns: args.dns.clone(),
        },
        results,
    );
    let text = match args.format {
        PacFormatArg::Raw => report.raw_lines(),
        PacFormatArg::Table => {
            report.render(OutputFormat::Table, &output::table_style(args.verbose))?
        }
        PacFormatArg::Json => {
            report.render(OutputFormat::Json, &output::table_style(args.verbose))?
        }
        PacFormatArg::Csv => {
            report.render(OutputFormat::Csv, &output::table_style(args.verbose))?
        }
    };
    output::print(&text)?;
    // pactester prints any string the script returns and succeeds: raw
    // output does the same, and says on stderr which answers cannot route.
    let failures = if matches!(args.format, PacFormatArg::Raw) {
        for r in report.results.iter().filter(|r| r.is_unusable()) {
            output::warn(&format!(
                "{}: the script returned {}: {}",
                r.input,
                pathprobe_files::quote::quoted(r.raw.as_deref().unwrap_or_default()),
                r.error.as_deref().unwrap_or_default()
            ));
        }
        report.failures() - report.unusable()
    } else {
        report.failures()
    };
    Ok(if failures > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// The URLs to evaluate, from -u, -f or --urls.
fn jobs_of(args: &PacEvalArgs) -> anyhow::Result<Vec<Job>> {
    let plain = |input: String| Job {
        input,
        label: None,
        skip: None,
    };
    if let Some(catalog) = &args.urls {
        return catalog_jobs(args, catalog.as_deref());
    }
    // A URL that is none is bad input, named (round 18: "relative URL
    // without a base", exit 1, from the URL parser).
    for url in &args.url {
        if let Some(why) = not_a_url(url) {
            return Err(UsageError(format!(
                "--url {}: {why}",
                pathprobe_files::quote::quoted(&crate::secrets::scrub(url))
            ))
            .into());
        }
    }
    let mut jobs: Vec<Job> = args.url.iter().cloned().map(plain).collect();
    if let Some(file) = &args.url_file {
        let text = crate::input::text(file, crate::input::LIST_BYTES)
            .map_err(|e| UsageError(format!("--url-file {e}")))?;
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        // As many as a catalog may have.
        if lines.len() > pathprobe_urls::MAX_ENDPOINTS {
            return Err(UsageError(format!(
                "--url-file {}: {} URLs, more than the {} a list can have",
                file.display(),
                lines.len(),
                pathprobe_urls::MAX_ENDPOINTS
            ))
            .into());
        }
        // A line that is no URL is listed, not evaluated: a NUL inside one
        // would have been part of the URL the script saw.
        jobs.extend(lines.into_iter().map(|l| Job {
            input: l.to_owned(),
            label: None,
            skip: not_a_url(l),
        }));
    }
    if jobs.is_empty() {
        return Err(UsageError(
            "nothing to evaluate: give --url URL, --url-file FILE or --urls [CATALOG]".into(),
        )
        .into());
    }
    Ok(jobs)
}

/// Why `text` cannot be evaluated as a URL, if it cannot.
fn not_a_url(text: &str) -> Option<String> {
    if let Some(which) = pathprobe_files::quote::control_character(text) {
        return Some(format!("it holds {which}, which no URL does"));
    }
    match url::Url::parse(text) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => None,
        Ok(_) => Some("not a URL with a host (https://host/path)".into()),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            Some("not a whole URL: it needs a scheme and a host (https://host/path)".into())
        }
        Err(e) => Some(format!("not a URL ({e})")),
    }
}

fn catalog_jobs(args: &PacEvalArgs, catalog: Option<&Path>) -> anyhow::Result<Vec<Job>> {
    let urls = routable_urls(
        &CatalogArgs {
            catalog: catalog.map(Path::to_path_buf).into_iter().collect(),
            sheet: args.sheet.clone(),
            columns: Vec::new(),
            catalog_proxy: None,
        },
        &args.filter,
    )?;
    Ok(urls
        .into_iter()
        .map(|u| Job {
            input: u.url,
            label: u.label,
            skip: u.skip,
        })
        .collect())
}

/// The resolver that finds the script's server under --no-dns: the pins,
/// then the DNS servers given (the system's when none). Without --no-dns
/// the script's own resolver, which is the same, does it.
fn fetch_resolver(args: &PacEvalArgs) -> anyhow::Result<Arc<dyn Resolve>> {
    let fixed = pins(args)?;
    let servers = dns_servers(&args.dns_server)?;
    let fallback: Arc<dyn Resolve> =
        Arc::new(SystemResolver::new(servers).context("cannot set up DNS")?);
    Ok(Arc::new(LayeredResolver::new(fixed, Some(fallback))))
}

/// The names `--dns host=IP` pins.
fn pins(args: &PacEvalArgs) -> anyhow::Result<FixedResolver> {
    let mut fixed = FixedResolver::new();
    for entry in &args.dns {
        let (host, ip) =
            FixedResolver::parse_entry(entry).map_err(|e| UsageError(format!("--dns {e}")))?;
        fixed.insert(&host, ip);
    }
    Ok(fixed)
}

fn resolver_of(args: &PacEvalArgs) -> anyhow::Result<Arc<dyn Resolve>> {
    let fixed = pins(args)?;
    let fallback: Option<Arc<dyn Resolve>> = if args.no_dns {
        None
    } else {
        let servers = dns_servers(&args.dns_server)?;
        Some(Arc::new(
            SystemResolver::new(servers).context("cannot set up DNS")?,
        ))
    };
    Ok(Arc::new(LayeredResolver::new(fixed, fallback)))
}

/// The script at `location`; `flag` ("--pac " or nothing) starts what an
/// error says of it.
fn fetch_script(
    location: &std::ffi::OsStr,
    flag: &str,
    timeout: Duration,
    resolver: Option<&Arc<dyn Resolve>>,
) -> anyhow::Result<FetchedPac> {
    let location = PacLocation::parse_os(location).map_err(|e| UsageError(format!("{flag}{e}")))?;
    let runtime =
        crate::runtime::Runtime::current_thread().context("cannot start the async runtime")?;
    let limits = FetchLimits {
        // --timeout shortens the fetch too; the fetch never waits past 10 s.
        timeout: timeout.min(Duration::from_secs(10)),
        ..FetchLimits::default()
    };
    let fetched = match resolver {
        Some(resolver) => {
            runtime.block_on(pathprobe_pac::fetch_resolving(&location, &limits, resolver))
        }
        None => runtime.block_on(pathprobe_pac::fetch(&location, &limits)),
    };
    match fetched {
        Ok(fetched) => Ok(fetched),
        Err(e) if e.is_input_error() => Err(UsageError(format!("{flag}{e}")).into()),
        Err(e) => Err(anyhow::Error::new(e).context("cannot fetch the PAC script")),
    }
}
