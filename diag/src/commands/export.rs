//! `pathprobe urls export`: the catalog as rules for firewalls, proxies and
//! PAC files.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use pathprobe_pac::{FixedResolver, PacOptions, PacRunner, SystemClock};
use pathprobe_reports::{Action, AllowEntry, AllowList, PacExport, RangeEntry};
use pathprobe_urls::{Catalog, Plan, Probe, Requirement, Target, default_probe_map};

use pathprobe_reports::{CheckReport, Verdict};

use crate::catalogs::load_and_plan;
use crate::cli::{ArtefactArgs, ExportArgs, ExportFormatArg, FixArgs};
use crate::exit::{Exit, UsageError};
use crate::output;

pub fn export(args: ExportArgs) -> anyhow::Result<Exit> {
    check_flags(args.format, &args.artefact)?;
    let mut inputs = Vec::new();
    inputs.extend(
        args.catalog
            .catalog
            .iter()
            .flat_map(|p| crate::remote::catalog_input(p)),
    );
    if let Some(path) = &args.filter.onboarding {
        inputs.push((path.clone(), "--onboarding"));
    }
    let list = configured_list(&args.catalog, &args.filter)?;
    write_artefact(&list, args.format, &args.artefact, inputs)
}

/// The allow-list of a catalog under filters.
pub(crate) fn configured_list(
    catalog: &crate::cli::CatalogArgs,
    filter: &crate::cli::FilterArgs,
) -> anyhow::Result<AllowList> {
    let (catalog, plan, described) = load_and_plan(catalog, filter)?;
    Ok(catalog_list(&catalog, &plan, described))
}

pub fn fix(args: FixArgs) -> anyhow::Result<Exit> {
    check_flags(args.format, &args.artefact)?;
    let report = crate::input::read_report(&args.report)?;
    let map = default_probe_map().context("the embedded probe map is damaged (a build problem)")?;
    let list = report_list(&report, &map);
    write_artefact(
        &list,
        args.format,
        &args.artefact,
        vec![(args.report.clone(), "the report")],
    )
}

/// What the network team must do about a verdict, if it is theirs to fix.
fn action_of(verdict: Verdict) -> Option<Action> {
    match verdict {
        Verdict::DnsFailure
        | Verdict::DnsSinkhole
        | Verdict::TcpRefused
        | Verdict::TcpTimeout
        | Verdict::TcpReset
        | Verdict::ProxyDenied => Some(Action::Allow),
        Verdict::ProxyAuthRequired => Some(Action::ExemptFromAuthentication),
        Verdict::TlsIntercepted => Some(Action::ExemptFromInspection),
        _ => None,
    }
}

/// The failed endpoints of a report, one entry per host, port and action.
fn report_list(report: &CheckReport, map: &pathprobe_urls::ProbeMap) -> AllowList {
    let mut entries: Vec<AllowEntry> = Vec::new();
    // Where each host, port and action already is in `entries`.
    let mut seen: HashMap<(String, u16, Action), usize> = HashMap::new();
    let mut notes = Vec::new();
    let covering = pathprobe_reports::findings::covering(&report.findings);
    for r in &report.results {
        if matches!(r.verdict, Verdict::Ok | Verdict::NotProbed) {
            continue;
        }
        // A proxy's answer that refuses nothing (a gateway error, a
        // request it does not take, a rate limit), and what a proxy met
        // beyond itself (its DNS, a refused or silent destination), and a
        // resolver that fails rather than blocks a name, are no rule on the
        // proxy nor a route around it: no rule is known to help.
        let gateway = r
            .attempts
            .iter()
            .rev()
            .find(|a| a.verdict == r.verdict)
            .is_some_and(|a| {
                pathprobe_reports::findings::proxy_answer(a).is_some_and(|k| !k.is_refusal())
                    || pathprobe_reports::findings::is_proxy_reported(a)
                    || pathprobe_reports::findings::is_reset_by_proxy(a)
                    || pathprobe_reports::findings::is_from_beyond(a)
                    || (a.verdict == Verdict::DnsFailure
                        && !pathprobe_reports::findings::dns_answer_allowable(a))
            });
        let Some(action) = action_of(r.verdict).filter(|_| !gateway) else {
            notes.push(format!(
                "{}: {} is not fixed by an allow rule: {}",
                r.url,
                r.verdict.name(),
                r.hint
            ));
            continue;
        };
        let Some((host, port, scheme)) = url::Url::parse(&r.url).ok().and_then(|u| {
            let scheme = match u.scheme() {
                "http" => pathprobe_urls::Scheme::Http,
                _ => pathprobe_urls::Scheme::Https,
            };
            Some((u.host_str()?.to_owned(), u.port_or_known_default()?, scheme))
        }) else {
            notes.push(format!("{}: not a URL with a host: left out", r.url));
            continue;
        };
        // A saved report may have been edited: a host the catalog reader
        // would call prose is no rule either (round 19: `ev"il.test` and
        // `a..b.test` reached squid ACLs).
        let host = match host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<pathprobe_host::Host>()
        {
            // Names as DNS is asked for them (`Upper.Test.` is upper.test);
            // addresses bare, as lists, squid and a PAC's `host` take them
            // (round 20: `[::1]` with the URL's brackets).
            Ok(pathprobe_host::Host::Name(name)) => name,
            Ok(pathprobe_host::Host::Ipv4(ip)) => ip.to_string(),
            Ok(pathprobe_host::Host::Ipv6(ip)) => ip.to_string(),
            Err(_) => {
                notes.push(format!(
                    "{}: {} is not a host name: left out",
                    r.url,
                    pathprobe_files::quote::quoted(&host)
                ));
                continue;
            }
        };
        let attempt = r.attempts.iter().rev().find(|a| a.verdict == r.verdict);
        let evidence = |key: &str| {
            attempt.and_then(|a| {
                a.evidence
                    .iter()
                    .find_map(|e| e.strip_prefix(key).map(str::to_owned))
            })
        };
        let reason = match r.verdict {
            Verdict::TlsIntercepted => match evidence("product: ").or_else(|| evidence("issuer: "))
            {
                Some(by) => format!("tls_intercepted by {by}"),
                None => "tls_intercepted".into(),
            },
            Verdict::ProxyDenied => match evidence("product: ") {
                Some(by) => format!("proxy_denied by {by}"),
                None => "proxy_denied".into(),
            },
            other => other.name().to_owned(),
        };
        match seen.entry((host.clone(), port, action)) {
            std::collections::hash_map::Entry::Occupied(at) => {
                if let Some(e) = entries.get_mut(*at.get()) {
                    e.required |= r.required;
                }
                continue;
            }
            std::collections::hash_map::Entry::Vacant(at) => {
                at.insert(entries.len());
            }
        }
        entries.push(AllowEntry {
            host: pathprobe_urls::HostPattern::Exact(host),
            port,
            scheme,
            path: pathprobe_urls::PathPattern::Any,
            category: r.category.clone(),
            geography: String::new(),
            required: r.required,
            never_inspect: action == Action::ExemptFromInspection
                || map.pinned(&r.url) == Some(true),
            action,
            reason,
            source: r.url.clone(),
            finding: covering.get(r.url.as_str()).copied(),
            failed: attempt.map(|a| pathprobe_reports::FailedProbe {
                route: a.route.clone(),
                verdict: r.verdict,
            }),
        });
    }
    AllowList {
        catalog: format!("{}, checked {}", report.catalog, report.started_at),
        filters: report.filters.clone(),
        generator: generator(),
        entries,
        ranges: Vec::new(),
        notes,
        findings: report.findings.clone(),
    }
}

pub(crate) fn generator() -> String {
    format!("pathprobe {}", env!("CARGO_PKG_VERSION"))
}

/// Every kept row that names a host, marked "never inspect" when the probe
/// map knows the service pins its certificate.
fn catalog_list(catalog: &Catalog, plan: &Plan, filters: Vec<String>) -> AllowList {
    let mut entries = Vec::new();
    let mut ranges = Vec::new();
    let mut notes = Vec::new();
    for planned in &plan.entries {
        let endpoint = &planned.endpoint;
        if let Target::Addresses { range } = &endpoint.target {
            ranges.push(RangeEntry {
                range: *range,
                port: endpoint.port,
                udp: endpoint.udp_only.clone(),
                category: endpoint.category.clone(),
                geography: endpoint.geography.to_string(),
                required: endpoint.requirement != Requirement::Optional,
                source: endpoint.source.to_string(),
            });
            continue;
        }
        if !endpoint.udp_only.is_empty() {
            notes.push(format!(
                "{}: left out: {} is reached over UDP only (ports {}); allow it as UDP in the firewall",
                endpoint.source,
                pathprobe_files::quote::quoted(&endpoint.display_target()),
                pathprobe_urls::PortSpan::list(&endpoint.udp_only)
            ));
            continue;
        }
        let Some(url) = endpoint.url() else {
            notes.push(format!(
                "{}: left out: the row names no host ({})",
                endpoint.source,
                pathprobe_files::quote::quoted(&endpoint.display_target())
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
            finding: None,
            failed: None,
        });
    }
    // A row listed on two ports gives the same note twice.
    let mut said = std::collections::HashSet::new();
    notes.retain(|n| said.insert(n.clone()));
    AllowList {
        catalog: catalog.info.label(),
        filters,
        generator: generator(),
        entries,
        ranges,
        notes,
        findings: Vec::new(),
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
            let name = clap::ValueEnum::to_possible_value(&owner)
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default();
            return Err(UsageError(format!("{flag} applies to --as {name} only")).into());
        }
    }
    if let Some(via) = &a.via {
        // Quoted with its line breaks written out, and said in the
        // option's terms, not a script's (round 20: a raw line break, and
        // "FindProxyForURL returned no usable route").
        let shown = pathprobe_files::quote::quoted(via);
        let one = "give one route, such as \"PROXY proxy.corp.example:3128\" or \"SOCKS5 proxy.corp.example:1080\"";
        let usable = pathprobe_pac::parse_pac_result(via)
            .is_ok_and(|parsed| parsed.warnings.is_empty() && parsed.routes.len() == 1);
        if !usable {
            return Err(UsageError(format!("--via {shown} is not one PAC route: {one}")).into());
        }
    }
    Ok(())
}

/// Renders `list` as `format` into `--output` or stdout; notes on stderr.
pub(crate) fn write_artefact(
    list: &AllowList,
    format: ExportFormatArg,
    args: &ArtefactArgs,
    mut inputs: Vec<(std::path::PathBuf, &'static str)>,
) -> anyhow::Result<Exit> {
    if let Some(base) = &args.base {
        inputs.push((base.clone(), "--base"));
    }
    // Checked before anything is rendered: nothing is overwritten by mistake.
    let outputs = match &args.output {
        None => None,
        Some(path) => {
            let main = output::plan_file("--output", path, &inputs)?;
            // The lines go beside a file: next to a device or a pipe
            // (`-o /dev/null`) there is no place for one (round 22: it
            // wrote /dev/null.conf).
            let beside_a_file = std::fs::metadata(path).map_or(true, |m| m.is_file());
            if args.ssl_bump && !beside_a_file {
                return Err(UsageError(format!(
                    "--ssl-bump writes its lines beside --output, and {} is not a regular file: give --output a regular file",
                    pathprobe_files::shown_path(path)
                ))
                .into());
            }
            let conf = if args.ssl_bump {
                Some(output::plan_file("--ssl-bump", &conf_path(path), &inputs)?)
            } else {
                None
            };
            Some((main, conf))
        }
    };
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
    if list.entries.is_empty() && list.ranges.is_empty() {
        output::warn("the list is empty: nothing to allow");
    }
    match outputs {
        None => output::print(&rendered.text)?,
        Some((main, conf)) => {
            let text = if matches!(format, ExportFormatArg::Json) {
                crate::secrets::shown_json(&rendered.text)
            } else {
                crate::secrets::shown(&rendered.text, false)
            };
            main.write(text.as_bytes())?;
            if let Some(conf) = conf {
                let path = main.path();
                let acl = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
                conf.write(list.squid_conf(&acl.display().to_string(), true).as_bytes())?;
                eprintln!(
                    "pathprobe: wrote {} (the ACL) and {} (its squid.conf lines)",
                    path.display(),
                    conf.path().display()
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
            let limit = pathprobe_pac::FetchLimits::default().max_bytes as u64;
            let text =
                crate::input::text(path, limit).map_err(|e| UsageError(format!("--base {e}")))?;
            // Every output passes the redactor: a base holding what it
            // takes out would be written changed, its proxies broken
            // (round 21: `PROXY REDACTED@…` in a PAC to deploy). Refused,
            // naming the line, so the file is wrapped unchanged or not at all.
            if let Some((at, _)) = text
                .lines()
                .enumerate()
                .find(|(_, line)| crate::secrets::scrub(line) != *line)
            {
                return Err(UsageError(format!(
                    "--base {}, line {}: holds what pathprobe takes out of every output as a credential (a user:password, a token), so the wrapped PAC would not be the file unchanged; take the credential out of the file, or wrap it by hand",
                    pathprobe_files::shown_path(path),
                    at + 1
                ))
                .into());
            }
            let name = path.display().to_string();
            let engine = PacRunner::start(
                crate::isolate::pac_isolation().as_ref(),
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
