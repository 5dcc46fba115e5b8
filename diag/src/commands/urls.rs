//! `pathprobe urls list` and `pathprobe urls diff`.

use std::path::Path;

use anyhow::Context;
use pathprobe_reports::{DiffReport, Listing, OutputFormat};
use pathprobe_urls::{
    Catalog, Connectivity, Filter, GeoSelection, Geography, LoadOptions, Os, default_catalog,
    default_probe_map,
};

use crate::cli::{
    CatalogArgs, ConnectivityArg, DiffArgs, FilterArgs, FormatArg, ListArgs, OsArg, UrlsCommand,
};
use crate::exit::{Exit, UsageError};
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

/// Loads the catalog the arguments name, or the embedded one.
pub fn load_catalog(args: &CatalogArgs) -> anyhow::Result<Catalog> {
    match &args.catalog {
        None => {
            if args.sheet.is_some() {
                return Err(UsageError("--sheet needs a workbook file".into()).into());
            }
            default_catalog().context("the embedded catalog is damaged (a build problem)")
        }
        Some(path) => crate::isolate::load_catalog_file(
            path,
            &LoadOptions {
                sheet: args.sheet.clone(),
                ..LoadOptions::default()
            },
        ),
    }
}

/// Turns filter flags into a [`Filter`] and a description of it.
pub fn filter_of(args: &FilterArgs) -> anyhow::Result<(Filter, Vec<String>)> {
    let mut described = Vec::new();
    let mut package_connectivity = None;
    let geo = match (&args.geo, &args.onboarding) {
        (Some(g), _) => {
            let code = g.trim().strip_prefix("GW_").unwrap_or(g.trim());
            let geo = Geography::parse(code)
                .ok_or_else(|| UsageError("--geo needs a value such as EU".into()))?;
            if let Geography::Other(other) = &geo {
                output::warn(&format!(
                    "--geo {other:?} is not a location this version knows (WW, US, EU, UK, AU, US Gov, GCC, GCC High, DoD); matching rows by that exact name"
                ));
            }
            described.push(format!("geo={geo}"));
            Some(GeoSelection::new(geo))
        }
        (None, Some(file)) => {
            let (found, connectivity) = onboarding_choice(file)?;
            package_connectivity = Some(connectivity);
            described.push(format!(
                "geo={}, {connectivity} connectivity (from the onboarding package {}: {})",
                found.geography,
                display_name(file),
                found.raw,
            ));
            Some(GeoSelection::new(found.geography))
        }
        (None, None) => None,
    };
    let os = args.os.map(|o| match o {
        OsArg::Windows => Os::Windows,
        OsArg::Macos => Os::Macos,
        OsArg::Linux => Os::Linux,
    });
    if let Some(os) = os {
        described.push(format!("os={os}"));
    }
    if let Some(c) = &args.category {
        described.push(format!("category~{c}"));
    }
    if args.required_only {
        described.push("required-only".into());
    }
    let connectivity = match args.connectivity {
        Some(ConnectivityArg::Standard) => {
            described.push("connectivity=standard".into());
            Some(Connectivity::Standard)
        }
        Some(ConnectivityArg::Streamlined) => {
            described.push("connectivity=streamlined".into());
            Some(Connectivity::Streamlined)
        }
        None => package_connectivity,
    };
    Ok((
        Filter {
            geo,
            connectivity,
            os,
            category: args.category.clone(),
            required_only: args.required_only,
        },
        described,
    ))
}

/// The geography and connectivity an onboarding package selects (any form,
/// or a zip holding one); an offboarding package selects nothing.
fn onboarding_choice(file: &Path) -> anyhow::Result<(pathprobe_urls::OnboardingGeo, Connectivity)> {
    let packages = pathprobe_urls::read_packages(file).map_err(|e| UsageError(e.to_string()))?;
    let Some(package) = packages
        .into_iter()
        .find(|p| p.kind == pathprobe_urls::PackageKind::Onboarding)
    else {
        return Err(UsageError(format!(
            "--onboarding {}: an offboarding package names no data location; give the onboarding package",
            file.display()
        ))
        .into());
    };
    let geo = package.geography.clone().ok_or_else(|| {
        UsageError(format!(
            "--onboarding {}: the package names no data location this version knows ({})",
            package.source,
            package
                .partner_geo_location
                .or(package.vortex_geo_location)
                .unwrap_or_else(|| "none".into())
        ))
    })?;
    let connectivity = if geo.streamlined {
        Connectivity::Streamlined
    } else {
        Connectivity::Standard
    };
    Ok((geo, connectivity))
}

fn display_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
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
