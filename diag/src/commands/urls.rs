//! `pathprobe urls list` and `pathprobe urls diff`.

use pathprobe_reports::{DiffReport, Listing, OutputFormat};
use pathprobe_urls::LoadOptions;

use crate::catalogs::load_and_plan;
use crate::cli::{DiffArgs, ListArgs, UrlsCommand};
use crate::exit::Exit;
use crate::output;

pub fn run(cmd: UrlsCommand) -> anyhow::Result<Exit> {
    match cmd {
        UrlsCommand::List(args) => list(args),
        UrlsCommand::Diff(args) => diff(args),
        UrlsCommand::Export(args) => crate::commands::export::export(*args),
    }
}

fn list(args: ListArgs) -> anyhow::Result<Exit> {
    let (catalog, plan, described) = load_and_plan(&args.catalog, &args.filter)?;
    let listing = Listing::new(&catalog, plan, described);
    let format = OutputFormat::from(args.format);
    if format != OutputFormat::Json {
        for n in &catalog.notices {
            output::warn(&format!("{}: {}", n.location, n.message));
        }
    }
    output::print(&listing.render(format, &output::table_style(args.verbose))?)?;
    Ok(Exit::Ok)
}

fn diff(args: DiffArgs) -> anyhow::Result<Exit> {
    let old = crate::isolate::load_catalog_file(&args.old, &LoadOptions::default(), None)?;
    let new = crate::isolate::load_catalog_file(&args.new, &LoadOptions::default(), None)?;
    let changes = pathprobe_urls::diff(&old, &new);
    let report = DiffReport::new(
        args.old.display().to_string(),
        args.new.display().to_string(),
        changes,
    );
    output::print(&report.render(OutputFormat::from(args.format), &output::table_style(false))?)?;
    Ok(if report.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
