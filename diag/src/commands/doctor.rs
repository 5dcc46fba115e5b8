//! `pathprobe doctor`: what the tool can see of this machine, on one screen —
//! the first thing a support engineer asks for.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use pathprobe_pac::discovery::{Profile, SourcePaths, Standing, TargetOs, gather, rank};
use serde::Serialize;

use crate::cli::{DoctorArgs, TableOrJson};
use crate::exit::{Exit, UsageError};
use crate::output;

/// Beyond this, TLS validity checks and Kerberos start to fail.
const SKEW_LIMIT_SECONDS: i64 = 60;

#[derive(Debug, Serialize)]
struct Report {
    version: String,
    machine: Machine,
    dns: Dns,
    proxy_settings: Vec<ProxySetting>,
    proxy_problems: Vec<String>,
    trust: Trust,
    clock: Clock,
    config_file: Option<String>,
    attention: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Machine {
    hostname: Option<String>,
    os: String,
    addresses: Vec<String>,
    time_zone: String,
}

#[derive(Debug, Serialize)]
struct Dns {
    file: String,
    nameservers: Vec<String>,
    search: Vec<String>,
    options: Vec<String>,
    /// The lookup of the clock reference's host through the system
    /// resolver: what every command would get.
    lookup: String,
}

#[derive(Debug, Serialize)]
struct ProxySetting {
    source: String,
    setting: String,
    system: String,
    agent: String,
}

#[derive(Debug, Serialize)]
struct Trust {
    os_store: String,
    os_store_certificates: usize,
    os_store_errors: Vec<String>,
    public_roots_builtin: usize,
}

#[derive(Debug, Serialize)]
struct Clock {
    local: String,
    checked_against: String,
    /// Seconds the server's clock is ahead of this one (negative: behind).
    skew_seconds: Option<i64>,
    note: String,
}

pub fn doctor(args: DoctorArgs) -> anyhow::Result<Exit> {
    let url = url::Url::parse(&args.url)
        .map_err(|e| UsageError(format!("--url \"{}\": {e}", args.url)))?;
    let mut attention = Vec::new();

    let dns = match &args.resolv_conf {
        // Windows keeps its DNS servers on each network adapter, not in a
        // file: shown as the resolver reads them.
        None if cfg!(windows) => adapters_dns(&mut attention),
        given => {
            let resolv = given.clone().unwrap_or_else(|| "/etc/resolv.conf".into());
            // Why the file cannot be read, when it cannot (a FIFO, a device, gone).
            let unreadable = crate::input::system_text(&resolv).err();
            let dns = read_resolv(&resolv);
            match unreadable {
                Some(e) => attention.push(e.to_string()),
                None if dns.nameservers.is_empty() => {
                    attention.push(format!("{}: no nameserver line", dns.file));
                }
                None => {}
            }
            dns
        }
    };

    let env: BTreeMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let discovery = gather(&SourcePaths::standard(), Some(&env), None);
    let os = TargetOs::current();
    let standing = |profile| {
        rank(&discovery.found, profile, os)
            .into_iter()
            .map(|(found, standing)| (found.provenance.to_string(), standing))
            .collect::<Vec<_>>()
    };
    let (system, agent) = (standing(Profile::System), standing(Profile::Agent));
    let word = |list: &[(String, Standing)], source: &str| {
        list.iter()
            .find(|(s, _)| s == source)
            .map_or("-", |(_, st)| match st {
                Standing::Winner { .. } => "in force",
                Standing::Fallback { .. } => "fallback",
                Standing::Lost { .. } => "overridden",
                Standing::Ignored { .. } => "ignored",
            })
            .to_owned()
    };
    let proxy_settings: Vec<ProxySetting> = discovery
        .found
        .iter()
        .map(|f| {
            let source = f.provenance.to_string();
            ProxySetting {
                system: word(&system, &source),
                agent: word(&agent, &source),
                setting: output::without_secrets(&pathprobe_reports::describe(&f.config)),
                source,
            }
        })
        .collect();
    let proxy_problems: Vec<String> = discovery
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.provenance, p.message))
        .collect();
    attention.extend(proxy_problems.iter().cloned());

    let native = rustls_native_certs::load_native_certs();
    let trust = Trust {
        os_store: std::env::var("SSL_CERT_FILE")
            .map(|f| format!("SSL_CERT_FILE={f}"))
            .or_else(|_| std::env::var("SSL_CERT_DIR").map(|d| format!("SSL_CERT_DIR={d}")))
            .unwrap_or_else(|_| os_store_name().into()),
        os_store_certificates: native.certs.len(),
        os_store_errors: native.errors.iter().map(ToString::to_string).collect(),
        public_roots_builtin: webpki_root_certs::TLS_SERVER_ROOT_CERTS.len(),
    };
    if trust.os_store_certificates == 0 {
        attention.push("the OS trust store is empty or unreadable".into());
    }

    // The resolver of the lookup and of the clock check: the servers
    // given, else the system's, as every command asks.
    let servers = crate::settings::dns_servers(&args.dns_server)?;
    let through = if args.dns_server.is_empty() {
        "the system resolver".to_owned()
    } else {
        format!("the DNS servers given ({})", args.dns_server.join(", "))
    };
    let resolver: Option<std::sync::Arc<dyn pathprobe_pac::Resolve>> =
        match pathprobe_pac::SystemResolver::new(servers) {
            Ok(r) => Some(std::sync::Arc::new(r)),
            Err(e) => {
                attention.push(format!("DNS cannot be set up: {e}"));
                None
            }
        };
    let timeout = Duration::from_secs_f64(args.timeout);
    let mut dns = dns;
    dns.lookup = match url.host() {
        None => "not checked: the reference URL has no host".into(),
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => {
            "not checked: the reference URL is an address".into()
        }
        Some(url::Host::Domain(name)) => {
            let answer = resolver
                .as_ref()
                .ok_or_else(|| "DNS cannot be set up".to_owned())
                .and_then(|r| r.lookup(name, timeout).map_err(|e| e.to_string()));
            match answer {
                Ok(addrs) => format!(
                    "{name} → {}",
                    addrs
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Err(e) => {
                    attention.push(format!(
                        "{name} does not resolve through {through} ({e}): probes of public names will fail"
                    ));
                    format!("{name}: {e}")
                }
            }
        }
    };
    let clock = check_clock(&url, timeout, resolver.as_ref());
    if clock.skew_seconds.is_none() {
        // Not knowing is not the same as nothing to report.
        attention.push(format!(
            "the clock could not be checked against {}: {}",
            clock.checked_against, clock.note
        ));
    }
    if let Some(skew) = clock.skew_seconds
        && skew.abs() > SKEW_LIMIT_SECONDS
    {
        attention.push(format!(
            "the clock is {} s {} {}: certificate checks fail when it is off by minutes",
            skew.abs(),
            if skew > 0 { "behind" } else { "ahead of" },
            clock.checked_against
        ));
    }

    let report = Report {
        version: format!("pathprobe {}", env!("CARGO_PKG_VERSION")),
        machine: Machine {
            hostname: crate::input::hostname(),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            addresses: pathprobe_pac::local_addresses()
                .iter()
                .map(ToString::to_string)
                .collect(),
            time_zone: jiff::tz::TimeZone::system()
                .iana_name()
                .unwrap_or("(unnamed)")
                .to_owned(),
        },
        dns,
        proxy_settings,
        proxy_problems,
        trust,
        clock,
        config_file: crate::config::default_path().map(|p| p.display().to_string()),
        attention,
    };
    let text = match args.format {
        TableOrJson::Json => serde_json::to_string_pretty(&report)? + "\n",
        TableOrJson::Table => render(&report),
    };
    output::print(&text)?;
    Ok(if report.attention.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}

/// The DNS servers and search domains of the network adapters (Windows).
fn adapters_dns(attention: &mut Vec<String>) -> Dns {
    let mut dns = Dns {
        file: "the network adapters' DNS settings".into(),
        nameservers: Vec::new(),
        search: Vec::new(),
        options: Vec::new(),
        lookup: String::new(),
    };
    match pathprobe_pac::system_dns() {
        Ok(read) => {
            dns.nameservers = read.servers.iter().map(ToString::to_string).collect();
            dns.search = read.search;
            if dns.nameservers.is_empty() {
                attention.push("no network adapter has a DNS server".into());
            }
        }
        Err(e) => attention.push(e.to_string()),
    }
    dns
}

fn read_resolv(path: &std::path::Path) -> Dns {
    let text = crate::input::system_text(path).unwrap_or_default();
    let mut dns = Dns {
        file: path.display().to_string(),
        nameservers: Vec::new(),
        search: Vec::new(),
        options: Vec::new(),
        lookup: String::new(),
    };
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => dns.nameservers.extend(words.map(str::to_owned)),
            Some("search" | "domain") => dns.search.extend(words.map(str::to_owned)),
            Some("options") => dns.options.extend(words.map(str::to_owned)),
            _ => {}
        }
    }
    dns
}

/// Reads the `Date` header of `url` (through the environment's proxy, as
/// clients would) and compares it with this machine's clock.
fn check_clock(
    url: &url::Url,
    timeout: Duration,
    resolver: Option<&std::sync::Arc<dyn pathprobe_pac::Resolve>>,
) -> Clock {
    let shown = pathprobe_pac::redact_url(url);
    let local = jiff::Timestamp::now();
    let mut clock = Clock {
        local: local.to_string(),
        checked_against: shown,
        skew_seconds: None,
        note: String::new(),
    };
    let runtime = match crate::runtime::Runtime::current_thread() {
        Ok(r) => r,
        Err(e) => {
            clock.note = format!("not checked: {e}");
            return clock;
        }
    };
    // The Date header is wanted even from a server whose certificate this
    // clock would call expired; nothing else is read from the answer.
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .danger_accept_invalid_certs(true);
    if let Some(resolver) = resolver {
        builder = builder.dns_resolver(pathprobe_pac::http_names(resolver, timeout));
    }
    let client = builder.build();
    let started = Instant::now();
    let answer = runtime.block_on(async {
        let client = client.map_err(|e| e.to_string())?;
        client
            .head(url.clone())
            .send()
            .await
            .map_err(|e| pathprobe_pac::describe_http_error(&e))
    });
    let midpoint =
        local + jiff::SignedDuration::try_from(started.elapsed() / 2).unwrap_or_default();
    match answer {
        Err(e) => clock.note = format!("not reachable: {e}"),
        Ok(response) => {
            let date = response
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|d| d.to_str().ok())
                .map(str::to_owned);
            match date.as_deref().map(|d| (d, jiff::fmt::rfc2822::parse(d))) {
                Some((_, Ok(server))) => {
                    let skew = server.timestamp().as_second() - midpoint.as_second();
                    clock.skew_seconds = Some(skew);
                    clock.note = if skew.abs() <= SKEW_LIMIT_SECONDS {
                        "in step (within a minute)".into()
                    } else {
                        format!("off by {} s", skew.abs())
                    };
                }
                Some((d, Err(_))) => clock.note = format!("unreadable Date header \"{d}\""),
                None => clock.note = "the answer has no Date header".into(),
            }
        }
    }
    clock
}

fn render(r: &Report) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let _ = writeln!(t, "{}", r.version);
    let _ = writeln!(
        t,
        "machine     {} ({}), time zone {}, addresses {}",
        r.machine.hostname.as_deref().unwrap_or("(unknown)"),
        r.machine.os,
        r.machine.time_zone,
        r.machine.addresses.join(", ")
    );
    let _ = writeln!(
        t,
        "dns         {}: nameservers {}; search {}{}",
        r.dns.file,
        list(&r.dns.nameservers),
        list(&r.dns.search),
        if r.dns.options.is_empty() {
            String::new()
        } else {
            format!("; options {}", r.dns.options.join(" "))
        }
    );
    let _ = writeln!(t, "lookup      {}", r.dns.lookup);
    if r.proxy_settings.is_empty() {
        let _ = writeln!(t, "proxies     none found: clients connect directly");
    }
    for (i, p) in r.proxy_settings.iter().enumerate() {
        let _ = writeln!(
            t,
            "{}{}: {} [system: {}, agent: {}]",
            if i == 0 {
                "proxies     "
            } else {
                "            "
            },
            p.source,
            p.setting,
            p.system,
            p.agent
        );
    }
    for p in &r.proxy_problems {
        let _ = writeln!(t, "            problem: {p}");
    }
    let _ = writeln!(
        t,
        "trust       {}: {} certificates{}; {} public roots built in",
        r.trust.os_store,
        r.trust.os_store_certificates,
        if r.trust.os_store_errors.is_empty() {
            String::new()
        } else {
            format!(" ({} errors)", r.trust.os_store_errors.len())
        },
        r.trust.public_roots_builtin
    );
    let _ = writeln!(
        t,
        "clock       {} against {}: {}",
        r.clock.local, r.clock.checked_against, r.clock.note
    );
    let _ = writeln!(
        t,
        "config      {}",
        r.config_file.as_deref().unwrap_or("no configuration file")
    );
    if r.attention.is_empty() {
        let _ = writeln!(t, "\nnothing needs attention");
    } else {
        let _ = writeln!(t, "\nneeds attention:");
        for a in &r.attention {
            let _ = writeln!(t, "  - {a}");
        }
    }
    t
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// Where this OS keeps the trust anchors rustls-native-certs reads.
fn os_store_name() -> &'static str {
    if cfg!(windows) {
        "the Windows certificate store (the current user's Root, which includes the machine's)"
    } else if cfg!(target_os = "macos") {
        "the macOS keychains (system and admin trust settings)"
    } else {
        "the system's CA bundle (rustls-native-certs)"
    }
}
