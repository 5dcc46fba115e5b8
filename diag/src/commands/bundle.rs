//! `pathprobe bundle`: the check, and everything around it, in one zip for a
//! ticket; `pathprobe bundle inspect` reads one back.

use std::path::PathBuf;

use pathprobe_pac::PacLocation;
use pathprobe_pac::discovery::{Discovery, ProxyConfig};
use pathprobe_reports::{
    Bundle, CheckFormat, OutputFormat, ProxyExplainReport, Redactor, TableStyle, Verdict,
    open_bundle,
};

use crate::cli::{BundleArgs, BundleCommand, BundleInspectArgs, ProbeArgs};
use crate::commands::check::{Probed, probe_or_cut};
use crate::exit::{Exit, UsageError};
use crate::{logging, output};

pub fn run(args: BundleArgs) -> anyhow::Result<Exit> {
    if let Some(BundleCommand::Inspect(inspect_args)) = args.command {
        return inspect(&inspect_args);
    }
    let path = args.output.clone().unwrap_or_else(default_name);
    // The zip must be writable before a run is spent on it.
    // Besides the run's inputs, the bundle reads these for its notes.
    let mut inputs = args.probe.input_files();
    inputs.push((resolv_conf_path(&args.probe), "the resolver configuration"));
    inputs.push((PathBuf::from("/etc/hostname"), "the host name file"));
    inputs.push((PathBuf::from("/etc/os-release"), "the system version file"));
    let target = output::plan_file("--output", &path, &inputs)?;
    let log = logging::capture();
    let created_at = jiff::Timestamp::now().to_string();
    let probed = probe_or_cut(&args.probe, true)?;
    // Windows keeps its DNS settings on the adapters: read once, for the
    // redaction of host names and for the bundle's own copy.
    let adapters =
        (cfg!(windows) && args.probe.routing.resolv_conf.is_none()).then(pathprobe_pac::system_dns);
    let redactor = redactor(&args.probe, &probed, args.redact_hosts, adapters.as_ref());
    let mut redaction = vec![
        "credentials given or found (proxy URLs, --proxy-user, environment), their Basic tokens, and credential parameters of PAC URLs".to_owned(),
        "anything shaped like a credential: user:password@ in URLs, Authorization and Proxy-Authorization values, Basic/Bearer/NTLM/Negotiate tokens, token=/key=/sig= parameters".to_owned(),
    ];
    if args.redact_hosts {
        redaction.push("host names of this network (proxies, PAC and WPAD servers, DNS search domains, this machine)".to_owned());
    }
    let mut bundle = Bundle::new(redactor, redaction);
    add_members(&mut bundle, &args.probe, &probed, adapters.as_ref())?;
    bundle.add("log/debug.log", &log.text(), "the run's debug log");
    let tool = format!("pathprobe {}", env!("CARGO_PKG_VERSION"));
    let (zip, manifest) = bundle.zip(&path.display().to_string(), &tool, &created_at)?;
    target.write(&zip)?;
    let report = &probed.report;
    output::print(&report.render(CheckFormat::Table, &output::table_style(false))?)?;
    eprintln!(
        "pathprobe: bundle written to {} ({} files, manifest.json lists their SHA-256)",
        path.display(),
        manifest.members.len() + 1
    );
    Ok(
        if report.summary.required_failed > 0 || report.summary.partial {
            Exit::Findings
        } else {
            Exit::Ok
        },
    )
}

fn inspect(args: &BundleInspectArgs) -> anyhow::Result<Exit> {
    let opened = open_bundle(&args.bundle).map_err(|e| UsageError(e.to_string()))?;
    for problem in &opened.problems {
        output::warn(problem);
    }
    let m = &opened.manifest;
    if args.format == CheckFormat::Table {
        // Through print: a bundle is an input, its manifest's fields too.
        output::print(&format!(
            "bundle made {} by {}; {} files; redacted: {}\n",
            m.created_at,
            m.tool,
            m.members.len() + 1,
            m.redaction.len()
        ))?;
    }
    output::print(
        &opened
            .report
            .render(args.format, &output::table_style(args.verbose))?,
    )?;
    Ok(if opened.problems.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}

/// `pathprobe-bundle-HOST-TIME.zip`, the time to the millisecond, and a
/// number after it when a file of that name is there already: bundles made
/// one after the other (a loop, a scheduler) never replace each other.
fn default_name() -> PathBuf {
    let host = crate::input::hostname().unwrap_or_else(|| "host".into());
    let now = jiff::Timestamp::now();
    let stamp = format!(
        "{}.{:03}Z",
        now.strftime("%Y%m%dT%H%M%S"),
        now.subsec_millisecond()
    );
    let named = |n: u32| {
        PathBuf::from(if n == 1 {
            format!("pathprobe-bundle-{host}-{stamp}.zip")
        } else {
            format!("pathprobe-bundle-{host}-{stamp}-{n}.zip")
        })
    };
    (1..1000)
        .map(named)
        .find(|p| !p.exists())
        .unwrap_or_else(|| named(1000))
}

/// The search domains of a resolv.conf.
fn search_domains(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            match words.next() {
                Some("search" | "domain") => Some(words.map(str::to_owned).collect::<Vec<_>>()),
                _ => None,
            }
        })
        .flatten()
        .collect()
}

/// The adapters' DNS settings as read for a bundle (Windows), or `None`
/// where resolv.conf holds them.
type Adapters<'a> = Option<&'a Result<pathprobe_pac::SystemDns, pathprobe_pac::LookupError>>;

/// The DNS search domains: the adapters' on Windows (no resolv.conf there),
/// else the resolv.conf's.
fn this_machines_search_domains(args: &ProbeArgs, adapters: Adapters<'_>) -> Vec<String> {
    match adapters {
        Some(read) => read
            .as_ref()
            .map(|dns| dns.search.clone())
            .unwrap_or_default(),
        None => {
            search_domains(&crate::input::system_text(&resolv_conf_path(args)).unwrap_or_default())
        }
    }
}

fn resolv_conf_path(args: &ProbeArgs) -> PathBuf {
    args.routing
        .resolv_conf
        .clone()
        .unwrap_or_else(|| PathBuf::from("/etc/resolv.conf"))
}

/// The secrets redactor and, if asked, the names of this network.
fn redactor(args: &ProbeArgs, probed: &Probed, hosts: bool, adapters: Adapters<'_>) -> Redactor {
    let mut r = crate::secrets::redactor_for(args, &probed.discovery);
    if hosts {
        let catalog_hosts: Vec<String> = probed
            .report
            .results
            .iter()
            .filter_map(|res| url::Url::parse(&res.url).ok())
            .filter_map(|u| u.host_str().map(str::to_ascii_lowercase))
            .collect();
        let mut names: Vec<String> = Vec::new();
        names.extend(crate::input::hostname());
        names.extend(this_machines_search_domains(args, adapters));
        names.extend(network_hosts(&probed.discovery));
        // Proxies a PAC named at run time.
        for res in &probed.report.results {
            for a in &res.attempts {
                if let pathprobe_pac::Route::Proxy { host, .. } = &a.route {
                    names.push(host.clone());
                }
            }
        }
        for w in &probed.explanation.wpad_dns {
            names.push(w.name.clone());
        }
        for name in names {
            if !catalog_hosts.contains(&name.to_ascii_lowercase()) {
                r.host(&name);
            }
        }
    }
    r
}

/// Host names of proxies and PAC servers in the settings found.
fn network_hosts(discovery: &Discovery) -> Vec<String> {
    let mut names = Vec::new();
    for found in &discovery.found {
        for p in found.config.proxies() {
            names.push(p.host.clone());
        }
        if let ProxyConfig::Pac {
            location: PacLocation::Url(u),
        } = &found.config
            && let Some(h) = u.host_str()
        {
            names.push(h.to_owned());
        }
    }
    names
}

fn add_members(
    bundle: &mut Bundle,
    args: &ProbeArgs,
    probed: &Probed,
    adapters: Adapters<'_>,
) -> anyhow::Result<()> {
    let report = &probed.report;
    let plain = TableStyle {
        width: 160,
        color: false,
        verbose: true,
        redactor: crate::secrets::known_redactor(),
    };
    bundle.add(
        "report.json",
        &report.render(CheckFormat::Json, &plain)?,
        "the check report (JSON, see report schema)",
    );
    bundle.add(
        "report.html",
        &report.render(CheckFormat::Html, &plain)?,
        "the check report for a browser",
    );
    bundle.add(
        "report.txt",
        &report.render(CheckFormat::Table, &plain)?,
        "the check report as a table, with phases and route sources",
    );
    let explanation = ProxyExplainReport::new(probed.explanation.clone());
    bundle.add(
        "proxy/explanation.txt",
        &explanation.render(OutputFormat::Table, &plain)?,
        "every proxy setting found, which one is in force and why, the routes of each URL",
    );
    bundle.add(
        "proxy/explanation.json",
        &explanation.render(OutputFormat::Json, &plain)?,
        "the same, as JSON",
    );
    if let (Some(text), Some(pac)) = (&probed.pac_text, &probed.explanation.pac) {
        // The script's own text: its comments and variables may hold
        // credentials written any way (round 20).
        bundle.add_source(
            "pac/in-force.pac",
            text,
            &format!(
                "the PAC script in force, from {} ({})",
                pac.location, pac.found_by
            ),
        );
    }
    if let Some(read) = adapters {
        let text = match read {
            Ok(dns) => format!("# the network adapters' DNS settings\n{}", dns.text()),
            Err(e) => format!("# could not be read: {e}\n"),
        };
        bundle.add(
            "system/adapters-dns.txt",
            &text,
            "the network adapters' DNS settings",
        );
    } else {
        let resolv = resolv_conf_path(args);
        let resolv_text = crate::input::system_text(&resolv)
            .unwrap_or_else(|e| format!("# could not be read: {e}\n"));
        bundle.add_source(
            "system/resolv.conf",
            &resolv_text,
            &format!("the resolver configuration ({})", resolv.display()),
        );
    }
    let dns = if args.routing.dns_server.is_empty() {
        if cfg!(windows) && args.routing.resolv_conf.is_none() {
            "DNS servers: the system's (see adapters-dns.txt)\n".to_owned()
        } else {
            "DNS servers: the system's (see resolv.conf)\n".to_owned()
        }
    } else {
        format!(
            "DNS servers given: {}\n",
            args.routing.dns_server.join(", ")
        )
    };
    let overrides: String = args
        .resolve
        .iter()
        .map(|r| format!("--resolve {r}\n"))
        .collect();
    bundle.add(
        "system/dns.txt",
        &format!("{dns}{overrides}"),
        "the DNS servers and name overrides this run used",
    );
    let mut env = String::new();
    for name in crate::secrets::PROXY_VARIABLES {
        match std::env::var(name) {
            // One line per variable: a value's own line breaks are shown.
            Ok(v) => env.push_str(&format!("{name}={}\n", pathprobe_files::quote::visible(&v))),
            Err(_) => env.push_str(&format!("# {name} is not set\n")),
        }
    }
    if args.routing.no_env {
        env.push_str("# --no-env: the run ignored these\n");
    }
    bundle.add(
        "system/environment.txt",
        &env,
        "proxy-related environment variables",
    );
    bundle.add(
        "system/versions.txt",
        &versions(),
        "pathprobe, the OS and the kernel",
    );
    let mut certs = 0;
    for r in &report.results {
        for a in &r.attempts {
            let Some(tls) = &a.tls else { continue };
            let failed = matches!(
                a.verdict,
                Verdict::TlsIntercepted | Verdict::TlsUntrusted | Verdict::TlsHandshakeFailed
            );
            if !failed || tls.chain.is_empty() {
                continue;
            }
            certs += 1;
            let host = url::Url::parse(&r.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| "endpoint".into());
            let route = a.route.to_string();
            let mut pem = format!("# {} via {route}: {}\n", r.url, a.verdict.name());
            for c in &tls.chain {
                pem.push_str(&format!(
                    "# subject: {}\n# issuer: {}\n# not after: {}\n# sha256: {}\n{}",
                    c.subject, c.issuer, c.not_after, c.sha256, c.pem
                ));
            }
            bundle.add(
                &format!("certs/{certs:02}-{host}.pem"),
                &pem,
                &format!("the chain presented for {} via {route}", r.url),
            );
        }
    }
    Ok(())
}

fn versions() -> String {
    let read = |p: &str| crate::input::system_text(std::path::Path::new(p)).unwrap_or_default();
    format!(
        "pathprobe {} ({} {})\nkernel: {} {}\n\n/etc/os-release:\n{}",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        read("/proc/sys/kernel/ostype").trim(),
        read("/proc/sys/kernel/osrelease").trim(),
        read("/etc/os-release")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_domains_are_read_from_search_and_domain_lines() {
        let text = "nameserver 10.0.0.1\nsearch corp.example eu.corp.example\ndomain lab.example\n";
        assert_eq!(
            search_domains(text),
            ["corp.example", "eu.corp.example", "lab.example"]
        );
    }

    #[test]
    fn percent_encoded_credentials_are_decoded() {
        assert_eq!(
            crate::secrets::percent_decoded("p%40ss%3Aword"),
            "p@ss:word"
        );
    }
}
