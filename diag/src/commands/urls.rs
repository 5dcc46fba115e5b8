//! `pathprobe urls list` and `pathprobe urls diff`.

use anyhow::Context;
use pathprobe_reports::{DiffReport, Listing, OutputFormat};
use pathprobe_urls::{LoadOptions, default_probe_map};

use crate::catalogs::{filter_of, load_catalog};
use crate::cli::{DiffArgs, FormatArg, ListArgs, UrlsCommand};
use crate::exit::Exit;
use crate::output;

pub fn run(cmd: UrlsCommand) -> anyhow::Result<Exit> {
    match cmd {
        UrlsCommand::List(args) => list(args),
        UrlsCommand::Diff(args) => diff(args),
        UrlsCommand::Export(args) => crate::commands::export::export(*args),
    }
}

fn format_of(f: FormatArg) -> OutputFormat {
    match f {
        FormatArg::Table => OutputFormat::Table,
        FormatArg::Json => OutputFormat::Json,
        FormatArg::Csv => OutputFormat::Csv,
    }
}

fn list(args: ListArgs) -> anyhow::Result<Exit> {
    let catalog = load_catalog(&args.catalog)?;
    let (filter, described) = filter_of(&args.filter)?;
    let map = default_probe_map().context("the embedded probe map is damaged (a build problem)")?;
    let plan = pathprobe_urls::plan(&catalog, &filter, &map);
    let listing = Listing::new(&catalog, plan, described);
    let format = format_of(args.format);
    if format != OutputFormat::Json {
        for n in &catalog.notices {
            output::warn(&format!("{}: {}", n.location, n.message));
        }
    }
    output::print(&listing.render(format, &output::table_style(args.verbose))?)?;
    Ok(Exit::Ok)
}

fn diff(args: DiffArgs) -> anyhow::Result<Exit> {
    let old = crate::isolate::load_catalog_file(&args.old, &LoadOptions::default())?;
    let new = crate::isolate::load_catalog_file(&args.new, &LoadOptions::default())?;
    let changes = pathprobe_urls::diff(&old, &new);
    let report = DiffReport::new(
        args.old.display().to_string(),
        args.new.display().to_string(),
        changes,
    );
    output::print(&report.render(format_of(args.format), &output::table_style(false))?)?;
    Ok(if report.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
