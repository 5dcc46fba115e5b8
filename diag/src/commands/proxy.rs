//! `pathprobe proxy explain`.

use anyhow::Context;
use pathprobe_pac::discovery::ProxyResolver;
use pathprobe_reports::{OutputFormat, ProxyExplainReport};

use crate::catalogs::catalog_urls;
use crate::cli::{CatalogArgs, FilterArgs, ProxyCommand, ProxyExplainArgs};
use crate::exit::{Exit, UsageError};
use crate::output;
use crate::settings::discover;

pub fn run(cmd: ProxyCommand) -> anyhow::Result<Exit> {
    match cmd {
        ProxyCommand::Explain(args) => explain_cmd(*args),
    }
}

fn explain_cmd(args: ProxyExplainArgs) -> anyhow::Result<Exit> {
    let mut urls = args.urls.clone();
    if let Some(catalog) = &args.catalog {
        urls.extend(catalog_urls(
            &CatalogArgs {
                catalog: catalog.clone().into_iter().collect(),
                sheet: None,
                columns: Vec::new(),
                catalog_proxy: None,
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
        url::Url::parse(url).map_err(|e| UsageError(format!("\"{url}\" is not a URL: {e}")))?;
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
    let format = OutputFormat::from(args.format);
    output::print(&report.render(format, &output::table_style(args.verbose))?)?;
    Ok(if failed { Exit::Findings } else { Exit::Ok })
}
