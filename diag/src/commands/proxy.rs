//! `pathprobe proxy explain`.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Context;
use pathprobe_pac::discovery::{
    CommandLineSetting, Discovery, ExplainOptions, PortDefault, Profile, ProxyResolver, ProxyUrl,
    TargetOs, WpadOptions, gather,
};
use pathprobe_pac::{
    DnsServers, FetchLimits, FixedClock, PacClock, PacLocation, PacOptions, Resolve, SystemClock,
    SystemResolver,
};
use pathprobe_reports::{OutputFormat, ProxyExplainReport};

use crate::cli::{
    CatalogArgs, FilterArgs, FormatArg, OsArg, ProfileArg, ProxyCommand, ProxyExplainArgs,
    RoutingArgs,
};
use crate::commands::pac::{catalog_urls, parse_server};
use crate::exit::{Exit, UsageError};
use crate::output;

pub fn run(cmd: ProxyCommand) -> anyhow::Result<Exit> {
    match cmd {
        ProxyCommand::Explain(args) => explain_cmd(*args),
    }
}

pub(crate) fn command_line_setting(
    args: &RoutingArgs,
) -> anyhow::Result<Option<CommandLineSetting>> {
    Ok(if args.direct {
        Some(CommandLineSetting::Direct)
    } else if args.wpad {
        Some(CommandLineSetting::Wpad)
    } else if let Some(p) = &args.proxy {
        Some(CommandLineSetting::Proxy(
            ProxyUrl::parse(p, PortDefault::Scheme)
                .map_err(|e| UsageError(format!("--proxy: {e}")))?,
        ))
    } else if let Some(p) = &args.pac {
        Some(CommandLineSetting::Pac(
            PacLocation::parse_os(p).map_err(|e| UsageError(format!("--pac: {e}")))?,
        ))
    } else {
        None
    })
}

/// Reads every source the flags allow and sets up DNS, the clock and the
/// PAC and WPAD options: what both `proxy explain` and `check` start from.
/// `os` picks the OS whose rules apply (default: this one).
pub(crate) fn discover(
    args: &RoutingArgs,
    os: Option<OsArg>,
) -> anyhow::Result<(Discovery, ExplainOptions)> {
    let cli = command_line_setting(args)?;
    let clock: Arc<dyn PacClock> = match &args.at {
        Some(at) => Arc::new(FixedClock::parse(at).map_err(|e| UsageError(format!("--at: {e}")))?),
        None => Arc::new(SystemClock),
    };
    let servers = if args.dns_server.is_empty() {
        DnsServers::System
    } else {
        DnsServers::Given(
            args.dns_server
                .iter()
                .map(|s| parse_server(s))
                .collect::<Result<_, _>>()?,
        )
    };
    let resolver: Arc<dyn Resolve> = Arc::new(
        SystemResolver::with_concurrency(servers, args.dns_concurrency)
            .context("cannot set up DNS")?,
    );
    let env: Option<BTreeMap<String, String>> = (!args.no_env).then(|| {
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect()
    });
    let discovery = gather(&args.source_paths(), env.as_ref(), cli.as_ref());
    let options = ExplainOptions {
        profile: match args.profile {
            ProfileArg::System => Profile::System,
            ProfileArg::Agent => Profile::Agent,
        },
        os: match os {
            Some(OsArg::Linux) => TargetOs::Linux,
            Some(OsArg::Macos) => TargetOs::Macos,
            Some(OsArg::Windows) => TargetOs::Windows,
            None => TargetOs::current(),
        },
        resolver,
        pac: PacOptions {
            my_ip: (!args.my_ip.is_empty()).then(|| args.my_ip.clone()),
            ..PacOptions::default()
        },
        clock,
        wpad: WpadOptions {
            http_port: args.wpad_port,
            ..WpadOptions::default()
        },
        fetch: FetchLimits::default(),
        isolation: crate::isolate::pac_isolation(),
        dhcp_inform: args
            .dhcp_inform
            .clone()
            .map(|iface| (iface, std::time::Duration::from_secs(3))),
    };
    Ok((discovery, options))
}

fn explain_cmd(args: ProxyExplainArgs) -> anyhow::Result<Exit> {
    let mut urls = args.urls.clone();
    if let Some(catalog) = &args.catalog {
        urls.extend(catalog_urls(
            &CatalogArgs {
                catalog: catalog.clone(),
                sheet: None,
            },
            &FilterArgs {
                geo: None,
                onboarding: None,
                os: None,
                category: None,
                required_only: false,
                connectivity: None,
            },
        )?);
    }
    for url in &urls {
        url::Url::parse(url).map_err(|e| UsageError(format!("{url:?} is not a URL: {e}")))?;
    }
    let (discovery, options) = discover(&args.routing, args.os)?;
    let runtime =
        crate::runtime::Runtime::current_thread().context("cannot start the async runtime")?;
    let mut resolver = runtime.block_on(ProxyResolver::new(&discovery, &options));
    if let Some(problem) = resolver.command_line_problem() {
        return Err(
            UsageError(format!("the proxy setting given cannot be used: {problem}")).into(),
        );
    }
    let answers = urls.iter().map(|u| resolver.routes(u)).collect();
    let explanation = resolver.explanation(&discovery, answers);
    let failed =
        !explanation.problems.is_empty() || explanation.urls.iter().any(|u| u.error.is_some());
    let report = ProxyExplainReport::new(explanation);
    let format = match args.format {
        FormatArg::Table => OutputFormat::Table,
        FormatArg::Json => OutputFormat::Json,
        FormatArg::Csv => OutputFormat::Csv,
    };
    output::print(&report.render(format, &output::table_style(args.verbose))?)?;
    Ok(if failed { Exit::Findings } else { Exit::Ok })
}
