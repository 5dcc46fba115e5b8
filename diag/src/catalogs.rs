//! The catalog a command works on: loaded (the embedded one by default),
//! filtered as the flags say, and planned (probe targets from the probe map).
//! Shared by `check`, `bundle`, `serve`, `urls`, `pac eval`, `proxy explain`
//! and the feeds.

use std::path::{Path, PathBuf};

use anyhow::Context;
use pathprobe_urls::{
    Catalog, Connectivity, Endpoint, Filter, GeoSelection, Geography, HostPattern, LoadOptions, Os,
    Plan, Probe, Target, default_catalog, default_probe_map,
};

use crate::cli::{CatalogArgs, ConnectivityArg, FilterArgs, OsArg};
use crate::exit::UsageError;
use crate::output;

/// A URL to route: its catalog label, or why it cannot be routed.
pub(crate) struct RoutableUrl {
    /// The URL (a made-up name under a wildcard).
    pub url: String,
    /// The category and pattern it stands for.
    pub label: Option<String>,
    /// Why it cannot be routed (prose, a pattern with no host).
    pub skip: Option<String>,
}

/// Loads the catalog the arguments name, or the embedded one.
pub(crate) fn load_catalog(args: &CatalogArgs) -> anyhow::Result<Catalog> {
    load_catalog_within(args, None, None)
}

/// [`load_catalog`], given up when `deadline` (what is left of a run's)
/// passes first; a catalog URL's server is found through `names` when
/// given (the run's DNS servers and pins).
pub(crate) fn load_catalog_within(
    args: &CatalogArgs,
    deadline: Option<std::time::Duration>,
    names: Option<std::sync::Arc<dyn reqwest::dns::Resolve>>,
) -> anyhow::Result<Catalog> {
    if args.catalog.is_empty() {
        if args.sheet.is_some() {
            return Err(UsageError("--sheet needs a workbook file".into()).into());
        }
        if !args.columns.is_empty() {
            return Err(UsageError("--column needs a catalog file".into()).into());
        }
        return default_catalog().context("the embedded catalog is damaged (a build problem)");
    }
    let options = LoadOptions {
        sheet: args.sheet.clone(),
        // Checked by the flag's own parser.
        columns: args.columns.iter().filter_map(|c| c.parse().ok()).collect(),
        ..LoadOptions::default()
    };
    let started = std::time::Instant::now();
    let mut catalogs = Vec::new();
    // The same file (under any name) or URL given twice is read once: its
    // rows would otherwise be listed under themselves.
    let mut seen = std::collections::HashSet::new();
    let mut files: Vec<&Path> = Vec::new();
    for path in &args.catalog {
        // A URL as the server sees it: the scheme and host in any case,
        // an empty query or fragment, are the same URL.
        let identity = if crate::remote::is_url(path) {
            path.to_str()
                .and_then(|t| url::Url::parse(t.trim()).ok())
                .map_or_else(
                    || path.to_path_buf(),
                    |mut u| {
                        u.set_fragment(None);
                        if u.query() == Some("") {
                            u.set_query(None);
                        }
                        PathBuf::from(u.as_str())
                    },
                )
        } else {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        };
        // A hard link is the same file under another canonical name.
        let linked = !crate::remote::is_url(path)
            && files.iter().any(|f| pathprobe_files::is_same_file(f, path));
        if !seen.insert(identity) || linked {
            output::warn(&format!(
                "the catalog {} is given more than once: read once",
                pathprobe_files::quote::quoted(&path.to_string_lossy())
            ));
            continue;
        }
        let text = path.to_string_lossy();
        if !crate::remote::is_url(path)
            && let Some((scheme, _)) = text.split_once("://")
            && !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+')
        {
            return Err(UsageError(format!(
                "{}: only http:// and https:// catalogs are fetched; give a file by its path",
                pathprobe_files::quote::quoted(&crate::secrets::scrub(&text))
            ))
            .into());
        }
        if !crate::remote::is_url(path) {
            files.push(path);
        }
        // The run's deadline covers every file, not each.
        let left = deadline.map(|d| d.saturating_sub(started.elapsed()));
        if crate::remote::is_url(path) {
            catalogs.push(load_remote(path, args, &options, left, names.clone())?);
        } else {
            catalogs.push(crate::isolate::load_catalog_file(path, &options, left)?);
        }
    }
    Ok(Catalog::merged(catalogs))
}

/// A catalog given by URL: fetched (or found unchanged in the cache), read
/// as a file is, and named by its URL and the server's validators.
fn load_remote(
    arg: &Path,
    args: &CatalogArgs,
    options: &LoadOptions,
    deadline: Option<std::time::Duration>,
    names: Option<std::sync::Arc<dyn reqwest::dns::Resolve>>,
) -> anyhow::Result<Catalog> {
    let text = arg.to_string_lossy();
    // The URL parser would drop a line break silently and fetch another URL.
    if let Some(which) = pathprobe_files::quote::control_character(text.trim()) {
        return Err(UsageError(format!(
            "{}: it holds {which}, which no catalog URL does",
            pathprobe_files::quote::quoted(&crate::secrets::scrub(&text))
        ))
        .into());
    }
    let url = url::Url::parse(text.trim()).map_err(|e| {
        UsageError(format!(
            "{}: not a URL: {e}",
            pathprobe_files::quote::quoted(&crate::secrets::scrub(&text))
        ))
    })?;
    let fetched = crate::remote::fetch(
        &url,
        &crate::remote::FetchOptions {
            proxy: args.catalog_proxy.clone(),
            deadline,
            max_bytes: options.max_bytes,
            names,
        },
    )?;
    // Rows are named by the URL's path (`endpoints.csv:12`): a query's
    // values are the server's business, and a redacted one would run into
    // the line number.
    let mut bare = url.clone();
    bare.set_query(None);
    bare.set_fragment(None);
    let _ = bare.set_username("");
    let _ = bare.set_password(None);
    let shown = std::path::PathBuf::from(bare.as_str());
    let options = LoadOptions {
        shown_as: Some(shown),
        ..options.clone()
    };
    let (fetched, mut catalog) =
        match crate::isolate::load_catalog_file(&fetched.path, &options, deadline) {
            Ok(catalog) => {
                // The catalog is read: a cache that takes no file loses
                // the copy, not the run.
                if let Err(e) = fetched.keep() {
                    output::warn(&format!("{e}: the catalog is used for this run only"));
                }
                (fetched, catalog)
            }
            // What the server sent now is not a catalog (a login page, an
            // empty body): the last good copy, said so, if there is one.
            Err(e) => match fetched.fallback(&crate::exit::message(&e)) {
                Some(older) => {
                    let catalog =
                        crate::isolate::load_catalog_file(&older.path, &options, deadline)?;
                    (older, catalog)
                }
                None => {
                    fetched.discard();
                    return Err(e);
                }
            },
        };
    catalog.info.origin = fetched.validators.shown.clone();
    catalog.info.fetched = Some(fetched.described());
    Ok(catalog)
}

/// Turns filter flags into a [`Filter`] and a description of it.
pub(crate) fn filter_of(args: &FilterArgs) -> anyhow::Result<(Filter, Vec<String>)> {
    let mut described = Vec::new();
    let mut package_connectivity = None;
    let geo = match (&args.geo, &args.onboarding) {
        (Some(g), _) => {
            let code = g.trim().strip_prefix("GW_").unwrap_or(g.trim());
            let geo = Geography::parse(code)
                .ok_or_else(|| UsageError("--geo needs a value such as EU".into()))?;
            if let Geography::Other(other) = &geo {
                output::warn(&format!(
                    "--geo \"{other}\" is not a location this version knows (WW, US, EU, UK, AU, US Gov, GCC, GCC High, DoD); matching rows by that exact name"
                ));
            }
            described.push(format!("geo={geo}"));
            Some(GeoSelection::new(geo))
        }
        (None, Some(file)) => {
            let (found, connectivity) = onboarding_choice(file)?;
            package_connectivity = Some(connectivity);
            // As for --geo (round 21: a package's unknown location was used
            // without a word).
            if let Geography::Other(other) = &found.geography {
                output::warn(&format!(
                    "the onboarding package {} names the data location {}, which is not one this version knows (WW, US, EU, UK, AU, US Gov, GCC, GCC High, DoD); matching rows by that exact name",
                    display_name(file),
                    pathprobe_files::quote::quoted(other)
                ));
            }
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

/// The catalog the arguments name, filtered and planned, with the filters
/// in words.
pub(crate) fn load_and_plan(
    catalog: &CatalogArgs,
    filter: &FilterArgs,
) -> anyhow::Result<(Catalog, Plan, Vec<String>)> {
    let catalog = load_catalog(catalog)?;
    let (filter, described) = filter_of(filter)?;
    let plan = plan_of(&catalog, &filter)?;
    Ok((catalog, plan, described))
}

/// `catalog` filtered and planned with the embedded probe map.
pub(crate) fn plan_of(catalog: &Catalog, filter: &Filter) -> anyhow::Result<Plan> {
    let map = default_probe_map().context("the embedded probe map is damaged (a build problem)")?;
    // A --geo no row is for (a typo, a location the list does not have)
    // leaves only the worldwide rows: said, not done silently (round 18).
    if let Some(selection) = &filter.geo {
        let chosen = selection.chosen();
        let locations: std::collections::BTreeSet<String> = catalog
            .endpoints
            .iter()
            .map(|e| pathprobe_files::quote::quoted(e.geography.code()))
            .collect();
        let any_for_it = catalog.endpoints.iter().any(|e| {
            e.geography != pathprobe_urls::Geography::Worldwide && selection.includes(&e.geography)
        });
        if !any_for_it && locations.len() > 1 {
            crate::output::warn(&format!(
                "--geo {}: no row of the catalog is for it, so only the rows every location needs are planned (the catalog's locations: {})",
                pathprobe_files::quote::quoted(chosen.code()),
                pathprobe_files::quote::list(&locations.into_iter().collect::<Vec<_>>(), 10)
            ));
        }
    }
    Ok(pathprobe_urls::plan(catalog, filter, &map))
}

/// Every URL of a catalog whose route can be asked for, in catalog order:
/// each probe target, and a made-up name under each wildcard.
pub(crate) fn routable_urls(
    catalog: &CatalogArgs,
    filter: &FilterArgs,
) -> anyhow::Result<Vec<RoutableUrl>> {
    let (_, plan, _) = load_and_plan(catalog, filter)?;
    let mut jobs = Vec::new();
    for planned in plan.entries {
        let pattern = match &planned.endpoint.target {
            Target::Url(p) => p.to_string(),
            Target::Prose { .. } | Target::Addresses { .. } => planned.endpoint.display_target(),
        };
        let label = match &planned.endpoint.category {
            Some(c) => format!("{c}: {pattern}"),
            None => pattern.clone(),
        };
        match planned.probe {
            Probe::Targets { targets } => jobs.extend(targets.into_iter().map(|t| RoutableUrl {
                url: t.url,
                label: Some(label.clone()),
                skip: None,
            })),
            Probe::NotProbed { why } => match matches!(
                why,
                pathprobe_urls::NotProbeable::WildcardWithoutTarget { .. }
            )
            .then(|| example_url(&planned.endpoint))
            .flatten()
            {
                // Routing depends on the name only, so a made-up name under
                // the wildcard shows how the script treats the whole domain.
                Some(url) => jobs.push(RoutableUrl {
                    url,
                    label: Some(format!("{label} (example name under the wildcard)")),
                    skip: None,
                }),
                None => jobs.push(RoutableUrl {
                    url: pattern,
                    label: Some(label),
                    skip: Some(why.to_string()),
                }),
            },
        }
    }
    Ok(jobs)
}

/// Every URL a catalog would probe, wildcards as an example name under them.
pub(crate) fn catalog_urls(
    catalog: &CatalogArgs,
    filter: &FilterArgs,
) -> anyhow::Result<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    Ok(routable_urls(catalog, filter)?
        .into_iter()
        .filter(|u| u.skip.is_none() && seen.insert(u.url.clone()))
        .map(|u| u.url)
        .collect())
}

/// A URL under a wildcard pattern: `*.blob.core.windows.net` becomes
/// `https://example.blob.core.windows.net/`, `*ecs.office.com` becomes
/// `https://ecs.office.com/`.
fn example_url(endpoint: &Endpoint) -> Option<String> {
    let pattern = endpoint.url()?;
    let host = match &pattern.host {
        HostPattern::Exact(h) => h.clone(),
        HostPattern::Subdomains(suffix) => format!("example.{suffix}"),
        HostPattern::Suffix(suffix) => suffix.trim_start_matches('.').to_owned(),
        HostPattern::Inner(pattern) => pattern.replace('*', "example"),
    };
    let scheme = endpoint.scheme();
    let port = endpoint.effective_port();
    Some(if port == scheme.default_port() {
        format!("{}://{host}/", scheme.as_str())
    } else {
        format!("{}://{host}:{port}/", scheme.as_str())
    })
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
