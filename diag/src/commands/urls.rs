//! `pathprobe urls list` and `pathprobe urls diff`.

use pathprobe_reports::{DiffReport, Listing, OutputFormat};

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
    // Each side a file or a URL, read as `urls list` reads it (a URL
    // fetched, or found unchanged in the cache), and named as the
    // report names it: a URL without its query values.
    let read = |path: &std::path::Path| {
        let one = crate::cli::CatalogArgs {
            catalog: vec![path.to_path_buf()],
            sheet: None,
            columns: Vec::new(),
            catalog_proxy: None,
        };
        crate::catalogs::load_catalog(&one)
    };
    let (old, new) = (read(&args.old)?, read(&args.new)?);
    let changes = pathprobe_urls::diff(&old, &new);
    let report = DiffReport::new(old.info.origin.clone(), new.info.origin.clone(), changes);
    output::print(&report.render(OutputFormat::from(args.format), &output::table_style(false))?)?;
    Ok(if report.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
