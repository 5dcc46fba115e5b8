//! Where proxy settings live, read from each place they can be.
//!
//! Every reader takes text (a file's content, a command's output, the
//! environment as a map), so each works on any OS and in tests; the caller
//! decides which files to read. A reader returns what the source configures
//! ([`Found`], in the order its clients try them) or a [`SourceProblem`]
//! naming the source: one bad source never stops discovery of the others.

mod bypass;
mod decide;
mod dhcp_inform;
mod env;
mod explain;
mod gather;
mod proxy_url;
#[cfg(windows)]
mod registry;
mod settings;
mod wpad;

use serde::Serialize;

pub use bypass::{BypassList, BypassStyle};
pub use decide::{Decision, Profile, Standing, TargetOs, rank, static_routes};
pub use dhcp_inform::{InformError, build_inform, dhcp_inform, parse_ack};
pub use env::{from_environment, from_variables};
pub use explain::{
    CLIENT_GOES_DIRECT, ExplainOptions, Explanation, PacInUse, ProxyResolver, SourceView,
    UrlExplanation,
};
pub use gather::{CommandLineSetting, Discovery, SourceFile, SourcePaths, gather};
pub use proxy_url::{Credentials, PortDefault, ProxyUrl, ProxyUrlError, redact_text};
pub use settings::{
    ConnectionBlob, from_apt_conf, from_connection_blob, from_etc_environment, from_gsettings,
    from_mac_managed_plist, from_mdatp_managed_json, from_netsh_advproxy, from_netsh_show_proxy,
    from_reg_export, from_scutil_proxy, from_telemetry_value,
};
pub use wpad::{
    LeaseFormat, LeaseInfo, WpadAttempt, WpadDns, WpadOptions, discover_via_dns, dns_candidates,
    dns_found, from_dhcp_lease, lease_format, parse_lease, resolv_conf_domains,
};

use crate::fetch::PacLocation;

/// The kinds of places a proxy setting comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// `--proxy`, `--pac`, `--wpad`, `--direct`.
    CommandLine,
    /// `http_proxy`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY` in the process environment.
    Environment,
    /// Defender for Endpoint on Linux: `mdatp_managed.json`, `cloudService.proxy`.
    MdatpManaged,
    /// Defender for Endpoint on macOS: `com.microsoft.wdav`, `cloudService` → `proxy`.
    MacManaged,
    /// Windows `TelemetryProxyServer` policy (the registry, or a `.reg` export).
    WindowsTelemetryPolicy,
    /// WinHTTP's default proxy (`WinHttpSettings` in the registry, or a saved
    /// `netsh winhttp show proxy`).
    WinHttp,
    /// `netsh winhttp show advproxy`.
    WinHttpAdvanced,
    /// The user's Internet Options (WinINet's `DefaultConnectionSettings`):
    /// browsers and most desktop applications on Windows.
    WinInet,
    /// macOS system settings (`scutil --proxy`).
    MacSystem,
    /// GNOME (`gsettings list-recursively org.gnome.system.proxy`).
    Gnome,
    /// `/etc/environment`.
    EtcEnvironment,
    /// apt's `Acquire::http(s)::Proxy`.
    Apt,
    /// WPAD: option 252 in the DHCP lease.
    WpadDhcp,
    /// WPAD: `wpad.<domain>` in DNS.
    WpadDns,
}

impl SourceKind {
    /// A short name for tables.
    pub fn label(self) -> &'static str {
        match self {
            Self::CommandLine => "command line",
            Self::Environment => "environment",
            Self::MdatpManaged => "mdatp managed config",
            Self::MacManaged => "wdav managed preference",
            Self::WindowsTelemetryPolicy => "TelemetryProxyServer policy",
            Self::WinHttp => "WinHTTP",
            Self::WinHttpAdvanced => "WinHTTP (advanced)",
            Self::WinInet => "Internet Options (WinINet)",
            Self::MacSystem => "macOS network settings",
            Self::Gnome => "GNOME settings",
            Self::EtcEnvironment => "/etc/environment",
            Self::Apt => "apt",
            Self::WpadDhcp => "WPAD via DHCP",
            Self::WpadDns => "WPAD via DNS",
        }
    }
}

/// Exactly where a setting was read: the file and key, the variable, the
/// command output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The kind of place.
    pub kind: SourceKind,
    /// The file, variable or command (`/etc/opt/microsoft/mdatp/managed/mdatp_managed.json`).
    pub location: String,
    /// The key inside it (`cloudService.proxy`), when there is one.
    pub key: Option<String>,
}

impl Provenance {
    /// A provenance with a key.
    pub fn new(kind: SourceKind, location: &str, key: Option<&str>) -> Self {
        Self {
            kind,
            location: location.to_owned(),
            key: key.map(str::to_owned),
        }
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.key {
            Some(k) => write!(f, "{} ({}, {k})", self.kind.label(), self.location),
            // "command line (command line)" says it once.
            None if self.location == self.kind.label() => f.write_str(self.kind.label()),
            None => write!(f, "{} ({})", self.kind.label(), self.location),
        }
    }
}

/// Which URLs a proxy field of a static setting serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProxySlot {
    /// `http:` URLs (`http_proxy`).
    Http,
    /// `https:` URLs (`https_proxy`).
    Https,
    /// Any scheme without its own (`all_proxy`).
    All,
}

/// A proxy value a source sets that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnusableProxy {
    /// The field it fills.
    pub slot: ProxySlot,
    /// The variable or key holding it.
    pub name: String,
    /// Why it cannot be used.
    pub why: String,
}

/// What a source configures.
// A run holds a handful of these; boxing the static variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProxyConfig {
    /// Explicitly no proxy.
    Direct,
    /// Fixed proxies, by URL scheme, with the hosts that bypass them.
    Static {
        /// For `http:` URLs.
        http: Option<ProxyUrl>,
        /// For `https:` URLs.
        https: Option<ProxyUrl>,
        /// For any scheme without its own (`ALL_PROXY`, SOCKS settings).
        all: Option<ProxyUrl>,
        /// Hosts that go direct.
        bypass: BypassList,
        /// Proxy values set but unusable (`http_proxy=garbage://x`): the URLs
        /// they apply to get no route, as clients reading them fail.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        unusable: Vec<UnusableProxy>,
    },
    /// A PAC script at this location.
    Pac {
        /// Where to fetch it (shown redacted).
        #[serde(serialize_with = "serialize_location")]
        location: PacLocation,
    },
    /// Find a PAC by WPAD (DHCP, then DNS).
    AutoDetect,
}

fn serialize_location<S: serde::Serializer>(loc: &PacLocation, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&loc.display())
}

impl ProxyConfig {
    /// A static setting using one proxy for every scheme.
    pub fn single(proxy: ProxyUrl, bypass: BypassList) -> Self {
        Self::Static {
            http: Some(proxy.clone()),
            https: Some(proxy),
            all: None,
            bypass,
            unusable: Vec::new(),
        }
    }

    /// Every proxy this setting names, for credential and reachability checks.
    pub fn proxies(&self) -> Vec<&ProxyUrl> {
        match self {
            Self::Static {
                http, https, all, ..
            } => [http, https, all].into_iter().flatten().collect(),
            _ => Vec::new(),
        }
    }
}

/// A setting found in a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// Where it was read.
    pub provenance: Provenance,
    /// What it says.
    pub config: ProxyConfig,
    /// Things about it worth knowing (credentials in the URL, no port, ...).
    pub warnings: Vec<String>,
}

impl Found {
    fn new(provenance: Provenance, config: ProxyConfig) -> Self {
        let mut found = Self {
            provenance,
            config,
            warnings: Vec::new(),
        };
        found.note_proxy_traits();
        found
    }

    /// Warnings every static proxy deserves: credentials, no port.
    fn note_proxy_traits(&mut self) {
        let mut notes = Vec::new();
        for p in self.config.proxies() {
            if p.credentials.is_some() {
                notes.push(format!(
                    "{p} carries a user name and password: an authenticated proxy, which Defender for Endpoint does not support"
                ));
            }
            if !p.port_given {
                notes.push(format!(
                    "{p}: no port was written, so clients guess (curl 1080, most others 80); write the port"
                ));
            }
        }
        notes.sort();
        notes.dedup();
        self.warnings.extend(notes);
    }
}

/// A source that exists but cannot be used: unparseable file, bad value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{provenance}: {message}")]
pub struct SourceProblem {
    /// Which source.
    pub provenance: Provenance,
    /// What is wrong with it, with the line where known.
    pub message: String,
}

impl SourceProblem {
    fn new(provenance: Provenance, message: impl Into<String>) -> Self {
        Self {
            provenance,
            message: message.into(),
        }
    }
}

/// What reading one source gave.
pub type SourceResult = Result<Vec<Found>, SourceProblem>;
