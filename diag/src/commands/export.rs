//! `pathprobe urls export`: the catalog as rules for firewalls, proxies and
//! PAC files.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use pathprobe_pac::{FixedResolver, PacOptions, PacRunner, SystemClock};
use pathprobe_reports::{Action, AllowEntry, AllowList, PacExport};
use pathprobe_urls::{Catalog, Plan, Probe, Requirement, default_probe_map};

use crate::cli::{ArtefactArgs, ExportArgs, ExportFormatArg};
use crate::commands::urls::{filter_of, load_catalog};
use crate::exit::{Exit, UsageError};
use crate::output;

pub fn export(args: ExportArgs) -> anyhow::Result<Exit> {
    check_flags(args.format, &args.artefact)?;
    let catalog = load_catalog(&args.catalog)?;
    let (filter, described) = filter_of(&args.filter)?;
    let map = default_probe_map().context("the embedded probe map is damaged (a build problem)")?;
    let plan = pathprobe_urls::plan(&catalog, &filter, &map);
    let list = catalog_list(&catalog, &plan, described);
    write_artefact(&list, args.format, &args.artefact)
}

/// The name and version of a catalog, for headers.
pub(crate) fn catalog_label(catalog: &Catalog) -> String {
    match &catalog.info.version {
        Some(v) => format!("{} ({v})", catalog.info.name),
        None => catalog.info.name.clone(),
    }
}

pub(crate) fn generator() -> String {
    format!("pathprobe {}", env!("CARGO_PKG_VERSION"))
}

/// Every kept row that names a host, marked "never inspect" when the probe
/// map knows the service pins its certificate.
fn catalog_list(catalog: &Catalog, plan: &Plan, filters: Vec<String>) -> AllowList {
    let mut entries = Vec::new();
    let mut notes = Vec::new();
    for planned in &plan.entries {
        let endpoint = &planned.endpoint;
        let Some(url) = endpoint.url() else {
            notes.push(format!(
                "{}: left out: the row names no host ({:?})",
                endpoint.source,
                endpoint.display_target()
            ));
            continue;
        };
        let never_inspect = match &planned.probe {
            Probe::Targets { targets } => targets.iter().any(|t| t.pinned == Some(true)),
            Probe::NotProbed { .. } => false,
        };
        entries.push(AllowEntry {
            host: url.host.clone(),
            port: endpoint.effective_port(),
            scheme: endpoint.scheme(),
            path: url.path.clone(),
            category: endpoint.category.clone(),
            geography: endpoint.geography.to_string(),
            required: endpoint.requirement != Requirement::Optional,
            never_inspect,
            action: Action::Allow,
            reason: String::new(),
            source: endpoint.source.to_string(),
        });
    }
    AllowList {
        catalog: catalog_label(catalog),
        filters,
        generator: generator(),
        entries,
        notes,
    }
}

/// Flags that belong to another format are a mistake worth stopping for.
pub(crate) fn check_flags(format: ExportFormatArg, a: &ArtefactArgs) -> anyhow::Result<()> {
    let misplaced = [
        (a.bare, "--bare", ExportFormatArg::Domains),
        (a.ssl_bump, "--ssl-bump", ExportFormatArg::Squid),
        (a.pac_snippet, "--pac-snippet", ExportFormatArg::Pac),
        (a.via.is_some(), "--via", ExportFormatArg::Pac),
        (a.base.is_some(), "--base", ExportFormatArg::Pac),
    ];
    for (given, flag, owner) in misplaced {
        if given && format != owner {
            let name = match owner {
                ExportFormatArg::Domains => "domains",
                ExportFormatArg::Squid => "squid",
                _ => "pac",
            };
            return Err(UsageError(format!("{flag} applies to --as {name} only")).into());
        }
    }
    if let Some(via) = &a.via {
        let parsed = pathprobe_pac::parse_pac_result(via)
            .map_err(|e| UsageError(format!("--via {via:?} is not a PAC route: {e}")))?;
        if !parsed.warnings.is_empty() || parsed.routes.len() != 1 {
            return Err(UsageError(format!(
                "--via {via:?}: give one route, such as \"PROXY proxy.corp.example:3128\""
            ))
            .into());
        }
    }
    Ok(())
}

/// Renders `list` as `format` into `--output` or stdout; notes on stderr.
pub(crate) fn write_artefact(
    list: &AllowList,
    format: ExportFormatArg,
    args: &ArtefactArgs,
) -> anyhow::Result<Exit> {
    for note in &list.notes {
        output::warn(note);
    }
    let rendered = match format {
        ExportFormatArg::Domains => list.domains(args.bare),
        ExportFormatArg::Squid => list.squid_acl(),
        ExportFormatArg::Pac => list.pac(&pac_export(args)?),
        ExportFormatArg::Csv => pathprobe_reports::Rendered {
            text: list.csv()?,
            notes: Vec::new(),
        },
        ExportFormatArg::Json => pathprobe_reports::Rendered {
            text: list.json()?,
            notes: Vec::new(),
        },
        ExportFormatArg::Text => pathprobe_reports::Rendered {
            text: list.ticket(),
            notes: Vec::new(),
        },
    };
    // Notes the list already carried were shown above.
    for note in rendered.notes.iter().filter(|n| !list.notes.contains(n)) {
        output::warn(note);
    }
    if list.entries.is_empty() {
        output::warn("the list is empty: nothing to allow");
    }
    match &args.output {
        None => output::print(&rendered.text)?,
        Some(path) => {
            output::write_file(path, &rendered.text)?;
            if args.ssl_bump {
                let acl = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                let conf = conf_path(path);
                output::write_file(&conf, &list.squid_conf(&acl.display().to_string(), true))?;
                eprintln!(
                    "pathprobe: wrote {} (the ACL) and {} (its squid.conf lines)",
                    path.display(),
                    conf.display()
                );
            }
        }
    }
    Ok(Exit::Ok)
}

fn conf_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".conf");
    name.into()
}

/// Reads `--base` (checking it loads, and whether it defines
/// FindProxyForURLEx) and the other PAC flags.
fn pac_export(args: &ArtefactArgs) -> anyhow::Result<PacExport> {
    let base = match &args.base {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| UsageError(format!("--base {}: {e}", path.display())))?;
            let name = path.display().to_string();
            let engine = PacRunner::start(
                crate::commands::proxy::pac_isolation().as_ref(),
                &name,
                &text,
                PacOptions::default(),
                Arc::new(FixedResolver::new()),
                Arc::new(SystemClock),
            )?;
            let has_ex = engine.entry_point() == Some(pathprobe_pac::EntryPoint::FindProxyForURLEx);
            let file = path
                .file_name()
                .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
            Some((file, text, has_ex))
        }
    };
    Ok(PacExport {
        via: args.via.clone(),
        base,
        snippet: args.pac_snippet,
    })
}
