//! The proxy settings a command starts from: every source the flags allow
//! (the machine's, the files given, the command line), and how to follow
//! them (DNS, the clock, PAC and WPAD options).

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use anyhow::Context;
use pathprobe_pac::discovery::{
    CommandLineSetting, Discovery, ExplainOptions, PortDefault, Profile, ProxyUrl, TargetOs,
    WpadOptions, gather,
};
use pathprobe_pac::{
    DnsServers, FetchLimits, FixedClock, PacClock, PacLocation, PacOptions, Resolve, SystemClock,
    SystemResolver,
};

use crate::cli::{OsArg, ProfileArg, RoutingArgs};
use crate::exit::UsageError;

pub(crate) fn command_line_setting(
    args: &RoutingArgs,
) -> anyhow::Result<Option<CommandLineSetting>> {
    Ok(if args.direct {
        Some(CommandLineSetting::Direct)
    } else if args.wpad {
        Some(CommandLineSetting::Wpad)
    } else if let Some(p) = &args.proxy {
        Some(CommandLineSetting::Proxy(
            ProxyUrl::parse(p, PortDefault::Scheme)
                .map_err(|e| UsageError(format!("--proxy: {e}")))?,
        ))
    } else if let Some(p) = &args.pac {
        Some(CommandLineSetting::Pac(
            PacLocation::parse_os(p).map_err(|e| UsageError(format!("--pac: {e}")))?,
        ))
    } else {
        None
    })
}

/// Reads every source the flags allow and sets up DNS, the clock and the
/// PAC and WPAD options: what both `proxy explain` and `check` start from.
/// `os` picks the OS whose rules apply (default: this one).
pub(crate) fn discover(
    args: &RoutingArgs,
    os: Option<OsArg>,
) -> anyhow::Result<(Discovery, ExplainOptions)> {
    let cli = command_line_setting(args)?;
    let clock: Arc<dyn PacClock> = match &args.at {
        Some(at) => Arc::new(FixedClock::parse(at).map_err(|e| UsageError(format!("--at: {e}")))?),
        None => Arc::new(SystemClock),
    };
    let servers = dns_servers(&args.dns_server)?;
    let resolver: Arc<dyn Resolve> = Arc::new(
        SystemResolver::with_concurrency(servers, args.dns_concurrency)
            .context("cannot set up DNS")?,
    );
    let env: Option<BTreeMap<String, String>> = (!args.no_env).then(|| {
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect()
    });
    let paths = args.source_paths();
    // A settings file named on the command line that cannot be read is
    // bad input, named (round 20: a route of no_route for every URL, or
    // nothing said at all when the file was one this OS ignores).
    for (file, flag) in paths.each() {
        if !file.explicit {
            continue;
        }
        // apt and DHCP clients keep their settings in directories of files
        // (apt.conf.d, /var/lib/dhcp): one is read whole (round 22: it was
        // refused, though the help says directories).
        let folder = matches!(flag, "--apt-conf" | "--dhcp-lease")
            && std::fs::metadata(&file.path).is_ok_and(|m| m.is_dir());
        if folder {
            std::fs::read_dir(&file.path).map_err(|e| {
                UsageError(format!(
                    "{flag} {}: cannot read the directory: {e}",
                    pathprobe_files::shown_path(&file.path)
                ))
            })?;
        } else {
            pathprobe_files::open_regular(&file.path)
                .map_err(|e| UsageError(format!("{flag} {e}")))?;
        }
    }
    let mut discovery = gather(&paths, env.as_ref(), cli.as_ref());
    // A setting the configuration file gave is named as such, with its line.
    let from_file = ["direct", "wpad", "proxy", "pac"]
        .iter()
        .find_map(|id| crate::config::origin_of(id));
    if let Some(origin) = from_file {
        for found in &mut discovery.found {
            if found.provenance.kind == pathprobe_pac::discovery::SourceKind::CommandLine {
                found.provenance.location = format!("configuration file {origin}");
            }
        }
    }
    // Credentials in settings files are secrets from here on, in every
    // output and in the log.
    crate::secrets::learn_found(&discovery);
    let options = ExplainOptions {
        profile: match args.profile {
            ProfileArg::System => Profile::System,
            ProfileArg::Agent => Profile::Agent,
        },
        os: match os {
            Some(OsArg::Linux) => TargetOs::Linux,
            Some(OsArg::Macos) => TargetOs::Macos,
            Some(OsArg::Windows) => TargetOs::Windows,
            None => TargetOs::current(),
        },
        resolver,
        pac: PacOptions {
            my_ip: (!args.my_ip.is_empty()).then(|| args.my_ip.clone()),
            ..PacOptions::default()
        },
        clock,
        wpad: WpadOptions {
            http_port: args.wpad_port,
            ..WpadOptions::default()
        },
        fetch: FetchLimits::default(),
        isolation: crate::isolate::pac_isolation(),
        dhcp_inform: args
            .dhcp_inform
            .clone()
            .map(|iface| (iface, std::time::Duration::from_secs(3))),
    };
    Ok((discovery, options))
}

/// The DNS servers `--dns-server` names, or the system's when none is given.
pub(crate) fn dns_servers(given: &[String]) -> Result<DnsServers, UsageError> {
    if given.is_empty() {
        return Ok(DnsServers::System);
    }
    Ok(DnsServers::Given(
        given
            .iter()
            .map(|s| parse_server(s))
            .collect::<Result<_, _>>()?,
    ))
}

/// `IP`, `IP:PORT` or `[IPv6]:PORT`; port 53 by default.
pub fn parse_server(text: &str) -> Result<SocketAddr, UsageError> {
    server_address(text).map_err(|why| UsageError(format!("--dns-server \"{text}\": {why}")))
}

/// [`parse_server`]'s reading, with the reason a value is refused.
pub(crate) fn server_address(text: &str) -> Result<SocketAddr, String> {
    let addr = match text.parse::<SocketAddr>() {
        Ok(addr) => addr,
        Err(_) => text
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .map(|ip| SocketAddr::new(ip, 53))
            .map_err(|_| "expected IP or IP:PORT".to_owned())?,
    };
    // Port 0 and the unspecified address name no server: questions sent
    // there fail on this machine, and the failure would read as the
    // resolver's.
    if addr.port() == 0 {
        return Err("port 0 is not a port a server listens on".into());
    }
    if addr.ip().is_unspecified() {
        return Err(format!("{} is no server's address", addr.ip()));
    }
    Ok(addr)
}
