//! Reading every source from where it lives on disk (or where flags point).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{
    Found, Provenance, ProxyConfig, SourceKind, SourceProblem, SourceResult, from_apt_conf,
    from_dhcp_lease, from_etc_environment, from_gsettings, from_mac_managed_plist,
    from_mdatp_managed_json, from_netsh_advproxy, from_netsh_show_proxy, from_reg_export,
    from_scutil_proxy, from_variables,
};
use crate::discovery::{BypassList, BypassStyle, ProxyUrl};
use crate::fetch::PacLocation;

/// Largest settings file read (lease files and configs are small).
const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;
/// Most files read from one directory.
const MAX_FILES_PER_DIR: usize = 64;

/// A file to read: where, and whether the user named it (then its absence is
/// a problem, not a quiet "not configured").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path.
    pub path: PathBuf,
    /// Named by the user.
    pub explicit: bool,
}

impl SourceFile {
    /// A standard location.
    pub fn standard(path: &str) -> Self {
        Self {
            path: PathBuf::from(path),
            explicit: false,
        }
    }
    /// A location the user gave.
    pub fn given(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            explicit: true,
        }
    }
}

/// Every place to look. [`SourcePaths::standard`] has the usual locations;
/// tests and other machines' files use [`SourcePaths::none`] plus the files given.
#[derive(Debug, Clone, Default)]
pub struct SourcePaths {
    /// Defender for Endpoint Linux managed configuration.
    pub mdatp_managed: Option<SourceFile>,
    /// Defender for Endpoint macOS managed preference.
    pub wdav_plist: Option<SourceFile>,
    /// `.reg` export holding TelemetryProxyServer.
    pub telemetry_reg: Option<SourceFile>,
    /// Saved `netsh winhttp show proxy` output.
    pub netsh_proxy: Option<SourceFile>,
    /// Saved `netsh winhttp show advproxy` output.
    pub netsh_advproxy: Option<SourceFile>,
    /// Saved `scutil --proxy` output.
    pub scutil: Option<SourceFile>,
    /// A command printing the live `scutil --proxy` output (macOS: the
    /// system's own), read when no saved output is given.
    pub scutil_command: Option<Vec<String>>,
    /// Saved `gsettings list-recursively org.gnome.system.proxy` output.
    pub gsettings: Option<SourceFile>,
    /// `/etc/environment`.
    pub etc_environment: Option<SourceFile>,
    /// apt configuration files or directories.
    pub apt: Vec<SourceFile>,
    /// DHCP lease files or directories.
    pub dhcp_leases: Vec<SourceFile>,
    /// resolv.conf, for the DNS domains WPAD devolves from.
    pub resolv_conf: Option<SourceFile>,
    /// Read the live Windows registry (the telemetry policy, WinHTTP's
    /// `WinHttpSettings`, Internet Options). Only a Windows build can; a
    /// file given for one of these sources replaces what the registry says.
    pub registry: bool,
}

impl SourcePaths {
    /// No files at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// The standard locations of the OS this build runs on: the registry on
    /// Windows; the agent's files, /etc, apt and DHCP leases elsewhere.
    pub fn standard() -> Self {
        if cfg!(windows) {
            return Self {
                registry: true,
                ..Self::none()
            };
        }
        Self {
            registry: false,
            // The system settings as macOS applications get them.
            scutil_command: cfg!(target_os = "macos")
                .then(|| vec!["/usr/sbin/scutil".to_owned(), "--proxy".to_owned()]),
            mdatp_managed: Some(SourceFile::standard(
                "/etc/opt/microsoft/mdatp/managed/mdatp_managed.json",
            )),
            wdav_plist: Some(SourceFile::standard(
                "/Library/Managed Preferences/com.microsoft.wdav.plist",
            )),
            telemetry_reg: None,
            netsh_proxy: None,
            netsh_advproxy: None,
            scutil: None,
            gsettings: None,
            etc_environment: Some(SourceFile::standard("/etc/environment")),
            apt: vec![
                SourceFile::standard("/etc/apt/apt.conf"),
                SourceFile::standard("/etc/apt/apt.conf.d"),
            ],
            dhcp_leases: vec![
                SourceFile::standard("/var/lib/dhcp"),
                SourceFile::standard("/var/lib/dhclient"),
                SourceFile::standard("/var/lib/NetworkManager"),
                SourceFile::standard("/run/systemd/netif/leases"),
            ],
            resolv_conf: Some(SourceFile::standard("/etc/resolv.conf")),
        }
    }

    /// Every file and directory to read, named by what it holds (the
    /// flag that names it): what a run must never write over.
    pub fn each(&self) -> Vec<(&SourceFile, &'static str)> {
        let one = [
            (&self.mdatp_managed, "--mdatp-config"),
            (&self.wdav_plist, "--wdav-plist"),
            (&self.telemetry_reg, "--telemetry-reg"),
            (&self.netsh_proxy, "--netsh-file"),
            (&self.netsh_advproxy, "--advproxy-file"),
            (&self.scutil, "--scutil-file"),
            (&self.gsettings, "--gsettings-file"),
            (&self.etc_environment, "--etc-environment"),
            (&self.resolv_conf, "--resolv-conf"),
        ];
        let mut all: Vec<(&SourceFile, &'static str)> = one
            .into_iter()
            .filter_map(|(file, role)| file.as_ref().map(|f| (f, role)))
            .collect();
        all.extend(self.apt.iter().map(|f| (f, "--apt-conf")));
        all.extend(self.dhcp_leases.iter().map(|f| (f, "--dhcp-lease")));
        all
    }
}

/// A setting given on pathprobe's own command line.
#[derive(Debug, Clone)]
pub enum CommandLineSetting {
    /// `--direct`.
    Direct,
    /// `--proxy URL`.
    Proxy(ProxyUrl),
    /// `--pac FILE|URL`.
    Pac(PacLocation),
    /// `--wpad`.
    Wpad,
}

/// Everything found on the machine (or in the files given).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Discovery {
    /// Settings found, in the order read.
    pub found: Vec<Found>,
    /// Sources that exist but could not be used.
    pub problems: Vec<SourceProblem>,
    /// Places looked at that hold nothing (absent, or no proxy set).
    pub empty: Vec<String>,
    /// DNS domains for WPAD (resolv.conf, then lease domains).
    pub dns_domains: Vec<String>,
}

impl Discovery {
    pub(super) fn take(&mut self, result: SourceResult, place: &str) {
        match result {
            Ok(found) if found.is_empty() => self.empty.push(place.to_owned()),
            Ok(found) => self.found.extend(found),
            Err(problem) => self.problems.push(problem),
        }
    }
}

/// A settings file: a regular file of at most a mebibyte.
fn read(file: &Path) -> Result<Vec<u8>, pathprobe_files::ReadError> {
    pathprobe_files::read(file, MAX_SETTINGS_BYTES)
}

/// Whether apt reads a file of a `.d` directory (apt.conf(5)): a name of
/// letters, digits, `-`, `_` and `.` only, with no extension or `.conf`;
/// it skips the rest (backups, `.dpkg-old`, `name~`, `.disabled`).
fn apt_reads(path: &str) -> bool {
    let Some(name) = Path::new(path).file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    let extension = name.rsplit_once('.').map(|(_, e)| e);
    plain && extension.is_none_or(|e| e == "conf")
}

/// The files a path names: itself, or the regular files in it (sorted).
fn files_of(source: &SourceFile) -> Result<Vec<PathBuf>, std::io::Error> {
    let meta = std::fs::metadata(&source.path)?;
    if !meta.is_dir() {
        return Ok(vec![source.path.clone()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&source.path)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.truncate(MAX_FILES_PER_DIR);
    Ok(files)
}

/// Reads one source file with `reader`, recording absence or problems.
fn read_source(
    discovery: &mut Discovery,
    source: &Option<SourceFile>,
    kind: SourceKind,
    reader: impl Fn(&str, &[u8]) -> SourceResult,
) {
    let Some(source) = source else {
        return;
    };
    let shown = source.path.display().to_string();
    match read(&source.path) {
        Ok(bytes) => discovery.take(reader(&shown, &bytes), &shown),
        Err(e) if e.is_not_found() && !source.explicit => {
            discovery.empty.push(format!("{shown} (absent)"));
        }
        Err(e) => discovery.problems.push(SourceProblem::new(
            Provenance::new(kind, &shown, None),
            format!("cannot read: {e}"),
        )),
    }
}

fn text(bytes: &[u8]) -> String {
    super::settings::decode_text(bytes)
}

/// Reads every source: the command line, the environment, then each file.
pub fn gather(
    paths: &SourcePaths,
    env: Option<&BTreeMap<String, String>>,
    cli: Option<&CommandLineSetting>,
) -> Discovery {
    let mut d = Discovery::default();
    if let Some(setting) = cli {
        let provenance = Provenance::new(SourceKind::CommandLine, "command line", None);
        let config = match setting {
            CommandLineSetting::Direct => ProxyConfig::Direct,
            CommandLineSetting::Proxy(p) => {
                ProxyConfig::single(p.clone(), BypassList::none(BypassStyle::Curl))
            }
            CommandLineSetting::Pac(location) => ProxyConfig::Pac {
                location: location.clone(),
            },
            CommandLineSetting::Wpad => ProxyConfig::AutoDetect,
        };
        d.found.push(Found::new(provenance, config));
    }
    if let Some(env) = env {
        d.take(
            from_variables(SourceKind::Environment, "environment", env),
            "environment (no proxy variables)",
        );
    }
    read_source(
        &mut d,
        &paths.mdatp_managed,
        SourceKind::MdatpManaged,
        |p, b| from_mdatp_managed_json(p, &text(b)),
    );
    read_source(
        &mut d,
        &paths.wdav_plist,
        SourceKind::MacManaged,
        from_mac_managed_plist,
    );
    #[cfg(windows)]
    if paths.registry {
        super::registry::read(
            &mut d,
            paths.telemetry_reg.is_none(),
            paths.netsh_proxy.is_none() && paths.netsh_advproxy.is_none(),
        );
        // WPAD devolves from the adapters' DNS suffixes, as Windows' own
        // auto-detection does (there is no resolv.conf).
        if let Ok(crate::resolver::SystemDns { search, .. }) = crate::resolver::system_dns() {
            d.dns_domains = search;
        }
    }
    read_source(
        &mut d,
        &paths.telemetry_reg,
        SourceKind::WindowsTelemetryPolicy,
        from_reg_export,
    );
    read_source(
        &mut d,
        &paths.netsh_advproxy,
        SourceKind::WinHttpAdvanced,
        |p, b| from_netsh_advproxy(p, &text(b)),
    );
    read_source(&mut d, &paths.netsh_proxy, SourceKind::WinHttp, |p, b| {
        from_netsh_show_proxy(p, &text(b))
    });
    read_source(&mut d, &paths.scutil, SourceKind::MacSystem, |p, b| {
        from_scutil_proxy(p, &text(b))
    });
    if let (None, Some(command)) = (&paths.scutil, &paths.scutil_command) {
        read_command(&mut d, command, SourceKind::MacSystem, |p, t| {
            from_scutil_proxy(p, t)
        });
    }
    read_source(&mut d, &paths.gsettings, SourceKind::Gnome, |p, b| {
        from_gsettings(p, &text(b))
    });
    read_source(
        &mut d,
        &paths.etc_environment,
        SourceKind::EtcEnvironment,
        |p, b| from_etc_environment(p, &text(b)),
    );
    for source in &paths.apt {
        read_many(&mut d, source, SourceKind::Apt, |p, t| {
            // In a directory, only what apt itself reads (round 23: its
            // backups, `.dpkg-old` and `name~`, were read as settings).
            if Path::new(p).parent() != Some(source.path.as_path()) || apt_reads(p) {
                from_apt_conf(p, t)
            } else {
                Ok(Vec::new())
            }
        });
    }
    let mut lease_domains = Vec::new();
    for source in &paths.dhcp_leases {
        read_many(&mut d, source, SourceKind::WpadDhcp, |p, t| {
            // Only files that look like lease data count; directories hold others too.
            if super::lease_format(t).is_none() {
                return Ok(Vec::new());
            }
            if let Some(domain) = super::parse_lease(t).and_then(|i| i.domain) {
                lease_domains.push(domain);
            }
            from_dhcp_lease(p, t)
        });
    }
    if let Some(resolv) = &paths.resolv_conf {
        match read(&resolv.path) {
            Ok(bytes) => d.dns_domains = super::resolv_conf_domains(&text(&bytes)),
            Err(e) if e.is_not_found() && !resolv.explicit => {}
            Err(e) => d.problems.push(SourceProblem::new(
                Provenance::new(
                    SourceKind::WpadDns,
                    &resolv.path.display().to_string(),
                    None,
                ),
                format!("cannot read: {e}"),
            )),
        }
    }
    for domain in lease_domains {
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        if !d.dns_domains.contains(&domain) {
            d.dns_domains.push(domain);
        }
    }
    d
}

/// How long a settings command may take (what it may print is
/// [`MAX_SETTINGS_BYTES`]).
const COMMAND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs `command` (through the sandbox's runner: bounded output, killed at
/// its limit) and reads what it prints with `reader`; a command that cannot
/// run, fails, prints too much or takes too long is a problem naming it,
/// never "no proxy".
fn read_command(
    d: &mut Discovery,
    command: &[String],
    kind: SourceKind,
    reader: impl Fn(&str, &str) -> SourceResult,
) {
    let shown = command.join(" ");
    let Some((program, args)) = command.split_first() else {
        return;
    };
    let mut run = std::process::Command::new(program);
    run.args(args);
    match pathprobe_sandbox::run(run, COMMAND_TIMEOUT, None, MAX_SETTINGS_BYTES) {
        Ok(bytes) => d.take(reader(&shown, &text(&bytes)), &shown),
        Err(pathprobe_sandbox::Failure::Timeout) => d.problems.push(SourceProblem::new(
            Provenance::new(kind, &shown, None),
            format!("did not finish within {} s", COMMAND_TIMEOUT.as_secs()),
        )),
        Err(e) => d.problems.push(SourceProblem::new(
            Provenance::new(kind, &shown, None),
            format!("cannot run it, or it failed ({e})"),
        )),
    }
}

fn read_many(
    d: &mut Discovery,
    source: &SourceFile,
    kind: SourceKind,
    mut reader: impl FnMut(&str, &str) -> SourceResult,
) {
    let shown = source.path.display().to_string();
    match files_of(source) {
        Ok(files) => {
            for file in files {
                let name = file.display().to_string();
                match read(&file) {
                    Ok(bytes) => d.take(reader(&name, &text(&bytes)), &name),
                    Err(e) => d.problems.push(SourceProblem::new(
                        Provenance::new(kind, &name, None),
                        format!("cannot read: {e}"),
                    )),
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !source.explicit => {
            d.empty.push(format!("{shown} (absent)"));
        }
        Err(e) => d.problems.push(SourceProblem::new(
            Provenance::new(kind, &shown, None),
            format!("cannot read: {e}"),
        )),
    }
}
