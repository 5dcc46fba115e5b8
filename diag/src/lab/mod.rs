//! The lab: a small network on loopback that reproduces the situations
//! pathprobe diagnoses, so anyone can see every verdict without an internet
//! connection, and the tests can check them.
//!
//! Each situation is a scenario file (TOML, in `diag/lab/`): the endpoints,
//! how each is served (fine, refused, silent, unknown name, sinkholed,
//! untrusted certificate, an unexpected status), the proxy in the path (none,
//! plain, authenticating, intercepting, unreachable), the route (direct,
//! proxy, or a PAC) and the verdict each endpoint must get.

pub mod servers;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use pathprobe_pac::discovery::{
    CommandLineSetting, ExplainOptions, PortDefault, ProxyUrl, SourceFile, SourcePaths, gather,
};
use pathprobe_pac::{DnsServers, PacLocation, SystemResolver};
use pathprobe_reports::Verdict;
use pathprobe_reports::findings::{Finding, FindingKind};
use serde::{Deserialize, Serialize};

use crate::engine::{self, RunConfig, RunLimits};
use servers::{DnsAnswer, LabCa, LabError};

/// The scenarios shipped with pathprobe.
pub const BUILTIN: &[(&str, &str)] = &[
    ("direct.toml", include_str!("../../lab/direct.toml")),
    ("dns.toml", include_str!("../../lab/dns.toml")),
    ("tls.toml", include_str!("../../lab/tls.toml")),
    ("proxy.toml", include_str!("../../lab/proxy.toml")),
    ("auth-proxy.toml", include_str!("../../lab/auth-proxy.toml")),
    (
        "interception.toml",
        include_str!("../../lab/interception.toml"),
    ),
    (
        "pac-failover.toml",
        include_str!("../../lab/pac-failover.toml"),
    ),
    (
        "unreachable-proxy.toml",
        include_str!("../../lab/unreachable-proxy.toml"),
    ),
    ("env-proxy.toml", include_str!("../../lab/env-proxy.toml")),
    (
        "agent-proxy.toml",
        include_str!("../../lab/agent-proxy.toml"),
    ),
    ("wpad.toml", include_str!("../../lab/wpad.toml")),
    (
        "auth-proxy-dns.toml",
        include_str!("../../lab/auth-proxy-dns.toml"),
    ),
    (
        "interception-category.toml",
        include_str!("../../lab/interception-category.toml"),
    ),
    (
        "ipv6-broken.toml",
        include_str!("../../lab/ipv6-broken.toml"),
    ),
    ("clock.toml", include_str!("../../lab/clock.toml")),
    ("no-dns.toml", include_str!("../../lab/no-dns.toml")),
    (
        "captive-portal.toml",
        include_str!("../../lab/captive-portal.toml"),
    ),
];

/// How an endpoint is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Serve {
    /// An HTTPS origin with a lab certificate, answering `status`.
    Ok,
    /// Nothing listens: the connection is refused.
    Refused,
    /// Accepts and never answers.
    Silent,
    /// The name does not exist.
    Missing,
    /// The name resolves to 0.0.0.0.
    Sinkhole,
    /// A certificate from a CA nobody trusts.
    Untrusted,
}

/// The proxy in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabProxy {
    /// No proxy.
    #[default]
    None,
    /// A CONNECT proxy that reaches the lab origins and refuses the rest.
    Connect,
    /// A proxy that answers 407.
    Auth,
    /// A proxy that re-signs TLS with its own CA.
    Intercept,
    /// A proxy address where nothing listens.
    Closed,
}

/// How endpoints are routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabRoute {
    /// Directly.
    #[default]
    Direct,
    /// Through the scenario's proxy.
    Proxy,
    /// As the scenario's PAC says (`{proxy}` stands for the proxy's address).
    Pac,
}

/// Where the machine holds its proxy setting, for the engine to discover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabSetting {
    /// Given on the command line (`--proxy`, `--pac URL`, `--direct`).
    #[default]
    CommandLine,
    /// The proxy variables of the environment (`https_proxy`), as
    /// command-line tools on Linux read them.
    Environment,
    /// The Defender agent's managed configuration (`mdatp_managed.json`,
    /// `cloudService.proxy`), read with the agent's profile.
    AgentFile,
    /// Auto-detection: WPAD over the lab's DNS (`wpad.lab.test`) serving the
    /// scenario's PAC as `wpad.dat`.
    Wpad,
}

/// Whether an endpoint's name has an IPv6 address. The lab's IPv6 path
/// (`::1`, to the endpoint's port) drops every packet, as a firewall that
/// blocks IPv6 does; its IPv4 path is the endpoint itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabIpv6 {
    /// IPv4 only.
    #[default]
    None,
    /// IPv6 only.
    Only,
    /// Both, IPv6 first (as a resolver preferring IPv6 orders them).
    First,
}

/// What the lab answers to the control probes (Windows' connectivity
/// test), served on loopback in the internet's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabControl {
    /// Not asked (the run has no control probes).
    #[default]
    None,
    /// The page and the address the internet gives.
    Internet,
    /// A captive portal: the page is a redirect to its login.
    CaptivePortal,
    /// No DNS: neither the control names nor any other resolve.
    NoDns,
}

/// A finding a scenario must produce, in the order findings are listed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    /// Its kind.
    pub kind: FindingKind,
    /// How many endpoints it covers.
    pub endpoints: usize,
    /// What it is about, when the scenario names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

/// One endpoint of a scenario.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabEndpoint {
    /// Host name.
    pub name: String,
    /// How it is served.
    pub serve: Serve,
    /// Status the origin answers (default 200).
    #[serde(default = "default_status")]
    pub status: u16,
    /// Statuses the probe accepts (default: any).
    #[serde(default)]
    pub accept: Vec<u16>,
    /// The verdict it must get.
    pub expect: Verdict,
    /// Its category in the catalog, if any.
    #[serde(default)]
    pub category: Option<String>,
    /// Whether its name has an IPv6 address (default: none).
    #[serde(default)]
    pub ipv6: LabIpv6,
}

fn default_status() -> u16 {
    200
}

/// A situation, as written in a scenario file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// What it shows, in a sentence.
    pub about: String,
    /// Routing.
    #[serde(default)]
    pub route: LabRoute,
    /// Where the setting is held.
    #[serde(default)]
    pub setting: LabSetting,
    /// The proxy.
    #[serde(default)]
    pub proxy: LabProxy,
    /// The intercepting proxy's CA name.
    #[serde(default)]
    pub intercept_ca: Option<String>,
    /// The PAC, for `route = "pac"`.
    #[serde(default)]
    pub pac: Option<String>,
    /// How many days this machine's clock is off the world's (positive:
    /// ahead): the lab's certificates are issued for the world's time.
    #[serde(default)]
    pub clock_off_days: i64,
    /// What the control probes get (default: not asked).
    #[serde(default)]
    pub control: LabControl,
    /// The endpoints.
    #[serde(rename = "endpoint")]
    pub endpoints: Vec<LabEndpoint>,
    /// The findings the run must produce, in order; not checked when the
    /// scenario states none (every built-in one does).
    #[serde(default, rename = "finding")]
    pub findings: Option<Vec<ExpectedFinding>>,
    /// The file it was read from, for messages.
    #[serde(skip)]
    pub file: String,
}

/// More endpoints than a scenario needs to show a situation; each holds a
/// server (and its sockets) for the scenario's run.
pub const MAX_ENDPOINTS: usize = 100;

/// A scenario file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// Not valid TOML for a scenario.
    #[error("{file}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// Inconsistent content.
    #[error("{file}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A lab server failed.
    #[error(transparent)]
    Lab(#[from] LabError),
}

impl Scenario {
    /// Parses scenario text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, ScenarioError> {
        let parse_error = |message: String| ScenarioError::Parse {
            file: file.to_owned(),
            message,
        };
        // The plain parser first: it refuses deep nesting at once, where
        // deserialising it directly took minutes (40,000 inline tables).
        let said =
            |e: toml::de::Error| parse_error(pathprobe_files::words::serde_message(&e.to_string()));
        toml::de::DeTable::parse(text).map_err(said)?;
        let mut s: Self = toml::from_str(text).map_err(said)?;
        s.file = file.to_owned();
        let invalid = |message: &str| ScenarioError::Invalid {
            file: file.to_owned(),
            message: message.to_owned(),
        };
        if s.endpoints.is_empty() {
            return Err(invalid("a scenario needs at least one [[endpoint]]"));
        }
        for (key, text) in [("name", &s.name), ("about", &s.about)] {
            if text.chars().any(char::is_control) || text.chars().count() > 200 {
                return Err(invalid(&format!(
                    "{key} {}: one line of at most 200 characters, no control characters",
                    pathprobe_files::quote::quoted(text)
                )));
            }
        }
        if let Some(e) = s
            .endpoints
            .iter()
            // A 1xx is never an answer on its own: the lab could not
            // serve it as one.
            .find(|e| !(200..=599).contains(&e.status))
        {
            return Err(invalid(&format!(
                "endpoint {}: status {} is not an HTTP status a server ends with (200 to 599)",
                pathprobe_files::quote::quoted(&e.name),
                e.status
            )));
        }
        if s.endpoints.len() > MAX_ENDPOINTS {
            return Err(invalid(&format!(
                "{} endpoints: a scenario holds at most {MAX_ENDPOINTS}",
                s.endpoints.len()
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for e in &mut s.endpoints {
            // The lab answers names from its own DNS server; an address
            // would be probed wherever it points, off this machine.
            match e.name.parse::<pathprobe_host::Host>() {
                Ok(pathprobe_host::Host::Name(dns)) => {
                    // As DNS and certificates hold it: `bücher` as punycode.
                    if !seen.insert(dns.clone()) {
                        return Err(invalid(&format!(
                            "endpoint {} is named twice",
                            pathprobe_files::quote::quoted(&e.name)
                        )));
                    }
                    e.name = dns;
                }
                Ok(_) => {
                    return Err(invalid(&format!(
                        "endpoint {}: a lab endpoint is a host name, not an address",
                        pathprobe_files::quote::quoted(&e.name)
                    )));
                }
                Err(why) => {
                    return Err(invalid(&format!(
                        "endpoint {}: {why}",
                        pathprobe_files::quote::quoted(&e.name)
                    )));
                }
            }
        }
        // A century either way: further would overflow a certificate's date.
        // Ten years either way: further, certificate dates leave the range
        // the lab's chains are checked in faithfully.
        if s.clock_off_days.unsigned_abs() > 3_650 {
            return Err(invalid(&format!(
                "clock_off_days {}: at most 3650 days (ten years) either way",
                s.clock_off_days
            )));
        }
        if let Some(e) = s.endpoints.iter().find(|e| {
            e.category.as_ref().is_some_and(|c| {
                c.is_empty() || c.chars().count() > 200 || c.chars().any(char::is_control)
            })
        }) {
            return Err(invalid(&format!(
                "endpoint {}: a category is one line of 1 to 200 characters, no control characters",
                pathprobe_files::quote::quoted(&e.name)
            )));
        }
        if let Some(e) = s.endpoints.iter().find(|e| {
            e.ipv6 != LabIpv6::None && matches!(e.serve, Serve::Missing | Serve::Sinkhole)
        }) {
            return Err(invalid(&format!(
                "endpoint {}: ipv6 applies to endpoints the lab serves, not to a name that is missing or sinkholed",
                pathprobe_files::quote::quoted(&e.name)
            )));
        }
        if let Some(ca) = &s.intercept_ca {
            // A certificate's common name holds at most 64 characters (X.520).
            let length = ca.chars().count();
            if length == 0 || length > 64 || ca.chars().any(char::is_control) {
                return Err(invalid(&format!(
                    "intercept_ca {}: a CA name is 1 to 64 characters, none of them control characters",
                    pathprobe_files::quote::quoted(ca)
                )));
            }
        }
        match (s.setting, s.route) {
            (LabSetting::Environment | LabSetting::AgentFile, LabRoute::Pac) => {
                return Err(invalid(
                    "setting = \"environment\" or \"agent-file\" holds a proxy, not a PAC: use route = \"proxy\"",
                ));
            }
            (LabSetting::Wpad, LabRoute::Direct | LabRoute::Proxy) => {
                return Err(invalid(
                    "setting = \"wpad\" finds a PAC: use route = \"pac\"",
                ));
            }
            _ => {}
        }
        if s.route == LabRoute::Pac && s.pac.is_none() {
            return Err(invalid("route = \"pac\" needs a pac = \"...\" script"));
        }
        if s.route == LabRoute::Proxy && s.proxy == LabProxy::None {
            return Err(invalid("route = \"proxy\" needs a proxy"));
        }
        Ok(s)
    }
}

/// How one endpoint fared.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointOutcome {
    /// The URL probed.
    pub url: String,
    /// The verdict it had to get.
    pub expected: Verdict,
    /// The verdict it got.
    pub got: Verdict,
    /// The evidence behind it.
    pub evidence: Vec<String>,
    /// The hint a user would read.
    pub hint: String,
}

impl EndpointOutcome {
    /// Whether the verdict is the expected one.
    pub fn passed(&self) -> bool {
        self.expected == self.got
    }
}

/// How a scenario fared.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioOutcome {
    /// Scenario name.
    pub name: String,
    /// What it shows.
    pub about: String,
    /// Per endpoint.
    pub endpoints: Vec<EndpointOutcome>,
    /// The findings it had to produce, when the scenario states them.
    pub expected_findings: Option<Vec<ExpectedFinding>>,
    /// The findings it produced, in order, as `check` reports them.
    pub findings: Vec<Finding>,
}

impl ScenarioOutcome {
    /// Whether the findings are the expected ones (true when none are stated).
    pub fn findings_passed(&self) -> bool {
        let Some(expected) = &self.expected_findings else {
            return true;
        };
        expected.len() == self.findings.len()
            && expected.iter().zip(&self.findings).all(|(e, got)| {
                e.kind == got.kind
                    && e.endpoints == got.endpoints.len()
                    && e.component.as_ref().is_none_or(|c| *c == got.component)
            })
    }

    /// The findings it produced, as a scenario states them.
    pub fn described_findings(&self) -> String {
        describe(self.findings.iter().map(|f| (f.kind, f.endpoints.len())))
    }
}

/// Expected findings as a scenario states them: `kind (endpoints)`, in order.
pub fn describe_findings(findings: &[ExpectedFinding]) -> String {
    describe(findings.iter().map(|f| (f.kind, f.endpoints)))
}

fn describe(findings: impl Iterator<Item = (FindingKind, usize)>) -> String {
    let text: Vec<String> = findings
        .map(|(kind, endpoints)| format!("{} ({endpoints})", kind.name()))
        .collect();
    if text.is_empty() {
        "none".into()
    } else {
        text.join(", ")
    }
}

/// A directory of its own for the settings files a scenario writes,
/// removed with everything in it when the scenario is done.
struct AgentDir(std::path::PathBuf);

impl AgentDir {
    fn new() -> Result<Self, LabError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("pathprobe-lab-{}-{nanos:x}", std::process::id()));
        // Created here and only here: never a directory someone planted.
        std::fs::create_dir(&dir)?;
        Ok(Self(dir))
    }

    fn write(&self, name: &str, text: &str) -> Result<std::path::PathBuf, LabError> {
        let path = self.0.join(name);
        std::fs::write(&path, text)?;
        Ok(path)
    }
}

impl Drop for AgentDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn closed_port() -> Result<u16, LabError> {
    Ok(std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Sets the scenario's network up and probes every endpoint.
pub fn run(scenario: &Scenario) -> Result<ScenarioOutcome, ScenarioError> {
    let ca = LabCa::new("pathprobe lab CA")?.clock_off(scenario.clock_off_days);
    let stranger = LabCa::new("Unknown Issuer CA")?;
    let mut ports = HashMap::new();
    let mut overrides: HashMap<String, Vec<IpAddr>> = HashMap::new();
    let mut dns_names = HashMap::new();
    let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let loopback6 = IpAddr::V6(std::net::Ipv6Addr::LOCALHOST);
    // Held until the run is over: the IPv6 paths that drop every packet.
    let mut black_holes = Vec::new();
    for e in &scenario.endpoints {
        let name = e.name.to_ascii_lowercase();
        let port = match e.serve {
            Serve::Ok => servers::tls_origin(&ca, &[&name], e.status, Duration::ZERO)?,
            Serve::Untrusted => servers::tls_origin(&stranger, &[&name], e.status, Duration::ZERO)?,
            Serve::Refused => closed_port()?,
            Serve::Silent => servers::silent_server()?,
            Serve::Missing | Serve::Sinkhole => 443,
        };
        match e.serve {
            Serve::Missing => {}
            Serve::Sinkhole => {
                dns_names.insert(name.clone(), DnsAnswer::Address(Ipv4Addr::UNSPECIFIED));
            }
            _ => {
                let addresses = match e.ipv6 {
                    LabIpv6::None => vec![loopback],
                    LabIpv6::Only => vec![loopback6],
                    LabIpv6::First => vec![loopback6, loopback],
                };
                if e.ipv6 != LabIpv6::None {
                    black_holes.push(servers::BlackHole::ipv6(port)?);
                }
                overrides.insert(name.clone(), addresses);
            }
        }
        ports.insert(name, port);
    }
    let names: Vec<&str> = scenario.endpoints.iter().map(|e| e.name.as_str()).collect();
    let proxy_port = match scenario.proxy {
        LabProxy::None => None,
        // The proxy carries what the lab serves; a name it does not serve
        // (missing, sinkholed) is refused, never forwarded to whatever
        // else listens on this machine's port 443.
        LabProxy::Connect => Some(servers::connect_proxy(
            scenario
                .endpoints
                .iter()
                .filter(|e| !matches!(e.serve, Serve::Missing | Serve::Sinkhole))
                .filter_map(|e| {
                    let name = e.name.to_ascii_lowercase();
                    let port = *ports.get(&name)?;
                    Some((format!("{name}:{port}"), port))
                })
                .collect(),
        )?),
        LabProxy::Auth => Some(servers::auth_proxy()?),
        LabProxy::Intercept => {
            let product = LabCa::new(
                scenario
                    .intercept_ca
                    .as_deref()
                    .unwrap_or("Lab Inspection CA"),
            )?;
            Some(servers::intercepting_proxy(&product, &names)?)
        }
        LabProxy::Closed => Some(closed_port()?),
    };
    let invalid = |message: String| ScenarioError::Invalid {
        file: scenario.file.clone(),
        message,
    };
    // The setting as a machine holds it, for the engine to discover and
    // follow: on the command line, in the environment, in the agent's file,
    // or found by WPAD over the lab's DNS.
    let proxy_address =
        proxy_port.map_or_else(|| "127.0.0.1:9".to_owned(), |p| format!("127.0.0.1:{p}"));
    let pac_port = match (&scenario.route, &scenario.pac) {
        (LabRoute::Pac, Some(text)) => Some(servers::pac_server(
            text.replace("{proxy}", &proxy_address),
        )?),
        _ => None,
    };
    // The control probes' answers, served here in the internet's place.
    let control = match scenario.control {
        LabControl::None => None,
        mode => {
            let page = "Microsoft Connect Test";
            let port = servers::http_server(&if mode == LabControl::CaptivePortal {
                "HTTP/1.1 302 Found\r\nLocation: http://portal.lab.test/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                )
            })?;
            let windows = engine::Control::windows();
            if mode != LabControl::NoDns {
                overrides.insert("www.msftconnecttest.com".into(), vec![loopback]);
                // An answer compared, never connected to.
                let IpAddr::V4(address) = windows.address else {
                    return Err(invalid("the control address is IPv4".into()));
                };
                dns_names.insert(windows.name.clone(), DnsAnswer::Address(address));
            }
            Some(engine::Control {
                url: format!("http://www.msftconnecttest.com:{port}/connecttest.txt"),
                ..windows
            })
        }
    };
    if scenario.setting == LabSetting::Wpad {
        dns_names.insert(
            "wpad.lab.test".into(),
            DnsAnswer::Address(Ipv4Addr::LOCALHOST),
        );
    }
    let dns = servers::dns_server(dns_names)?;
    let resolver = Arc::new(
        SystemResolver::new(DnsServers::Given(vec![dns]))
            .map_err(|e| ScenarioError::Lab(LabError::Io(std::io::Error::other(e.to_string()))))?,
    );
    let proxy_url = format!("http://{proxy_address}");
    let agent_dir = AgentDir::new()?;
    let mut routing = ExplainOptions {
        // As `check` runs it: in a worker process.
        isolation: crate::isolate::pac_isolation(),
        ..ExplainOptions::new(resolver)
    };
    let discovery = match (scenario.setting, scenario.route) {
        (LabSetting::Environment, LabRoute::Proxy) => {
            let env: std::collections::BTreeMap<String, String> = [
                ("https_proxy".to_owned(), proxy_url.clone()),
                ("http_proxy".to_owned(), proxy_url),
            ]
            .into();
            gather(&SourcePaths::none(), Some(&env), None)
        }
        (LabSetting::AgentFile, LabRoute::Proxy) => {
            let file = agent_dir.write(
                "mdatp_managed.json",
                &serde_json::json!({ "cloudService": { "proxy": proxy_url } }).to_string(),
            )?;
            routing.profile = pathprobe_pac::discovery::Profile::Agent;
            routing.os = pathprobe_pac::discovery::TargetOs::Linux;
            let paths = SourcePaths {
                mdatp_managed: Some(SourceFile::given(&file)),
                ..SourcePaths::none()
            };
            gather(&paths, None, None)
        }
        (LabSetting::Wpad, _) => {
            routing.wpad.http_port = pac_port.unwrap_or(80);
            let mut found = gather(&SourcePaths::none(), None, Some(&CommandLineSetting::Wpad));
            found.dns_domains = vec!["lab.test".into()];
            found
        }
        (_, LabRoute::Pac) => {
            let url = format!("http://127.0.0.1:{}/lab.pac", pac_port.unwrap_or(9));
            let setting = CommandLineSetting::Pac(
                PacLocation::parse(&url).map_err(|e| invalid(e.to_string()))?,
            );
            gather(&SourcePaths::none(), None, Some(&setting))
        }
        (_, LabRoute::Proxy) => {
            let setting = CommandLineSetting::Proxy(
                ProxyUrl::parse(&proxy_url, PortDefault::Scheme)
                    .map_err(|e| invalid(e.to_string()))?,
            );
            gather(&SourcePaths::none(), None, Some(&setting))
        }
        (_, LabRoute::Direct) => gather(
            &SourcePaths::none(),
            None,
            Some(&CommandLineSetting::Direct),
        ),
    };

    // The endpoints as a catalog, planned as `check` plans one; the
    // statuses a scenario accepts replace the probe map's.
    let list: String = scenario
        .endpoints
        .iter()
        .map(|e| {
            let name = e.name.to_ascii_lowercase();
            let port = ports.get(&name).copied().unwrap_or(443);
            format!("https://{name}:{port}/\n")
        })
        .collect();
    let mut catalog = pathprobe_urls::load_bytes(
        std::path::Path::new(&format!("{}.txt", scenario.name)),
        list.as_bytes(),
        &pathprobe_urls::LoadOptions::default(),
    )
    .map_err(|e| invalid(e.to_string()))?;
    if catalog.endpoints.len() == scenario.endpoints.len() {
        for (row, e) in catalog.endpoints.iter_mut().zip(&scenario.endpoints) {
            row.category.clone_from(&e.category);
        }
    }
    let mut plan = crate::catalogs::plan_of(&catalog, &pathprobe_urls::Filter::default())
        .map_err(|e| invalid(e.to_string()))?;
    if plan.entries.len() != scenario.endpoints.len() {
        return Err(invalid(format!(
            "{} endpoints became {} catalog rows",
            scenario.endpoints.len(),
            plan.entries.len()
        )));
    }
    for (planned, e) in plan.entries.iter_mut().zip(&scenario.endpoints) {
        if let pathprobe_urls::Probe::Targets { targets } = &mut planned.probe
            && !e.accept.is_empty()
        {
            for t in targets {
                t.expect = pathprobe_urls::ExpectedStatus::OneOf(e.accept.clone());
            }
        }
    }
    let pins = overrides
        .into_iter()
        .map(|(name, ips)| (pathprobe_host::key(&name), ips))
        .collect();
    // The lab stays on this machine: DIRECT (to its own servers, which its
    // DNS and pins name) and its own proxy, nothing a PAC may name besides.
    let mut allowed = vec![pathprobe_pac::Route::Direct];
    allowed.extend(proxy_port.map(|port| pathprobe_pac::Route::Proxy {
        kind: pathprobe_pac::ProxyKind::Http,
        host: "127.0.0.1".into(),
        port,
    }));
    let config = RunConfig::builder(plan, &scenario.name, discovery, routing)
        .only_routes(allowed)
        .pins(pins)
        .trust_anchors(vec![ca.der()])
        .control(control)
        .limits(RunLimits {
            deadline: Duration::from_secs(30),
            phase: Duration::from_secs(2),
            concurrency: 64,
            per_proxy: 16,
        })
        .build();
    let run = engine::run(&config, &engine::Quiet).map_err(|e| match e {
        engine::RunError::UnusableSetting(why) => invalid(why),
        other => ScenarioError::Lab(LabError::Io(std::io::Error::other(other.to_string()))),
    })?;
    drop(black_holes);
    let endpoints = scenario
        .endpoints
        .iter()
        .zip(run.report.results)
        .map(|(e, result)| {
            let evidence = engine::chosen(&result.attempts)
                .map(|a| a.evidence.clone())
                .unwrap_or_default();
            EndpointOutcome {
                url: result.url,
                expected: e.expect,
                got: result.verdict,
                evidence,
                hint: result.hint,
            }
        })
        .collect();
    Ok(ScenarioOutcome {
        name: scenario.name.clone(),
        about: scenario.about.clone(),
        endpoints,
        expected_findings: scenario.findings.clone(),
        findings: run.report.findings,
    })
}
