//! What a run is given: built with [`RunConfig::builder`], no command-line
//! types in it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use pathprobe_pac::discovery::{Credentials, Discovery, ExplainOptions};
use pathprobe_reports::Redactor;
use pathprobe_urls::Plan;
use rustls::pki_types::CertificateDer;

/// Everything one run needs: the planned endpoints, the proxy settings
/// found and how to follow them, DNS, trust, limits.
#[derive(Clone)]
pub struct RunConfig {
    pub(super) plan: Plan,
    pub(super) catalog_name: String,
    pub(super) filters: Vec<String>,
    pub(super) discovery: Discovery,
    pub(super) routing: ExplainOptions,
    pub(super) pins: HashMap<String, Vec<IpAddr>>,
    pub(super) anchors: Vec<CertificateDer<'static>>,
    pub(super) expected_issuers: Vec<String>,
    pub(super) credentials: Option<Credentials>,
    pub(super) limits: RunLimits,
    pub(super) all_routes: bool,
    pub(super) insecure_read: bool,
    pub(super) redactor: Redactor,
    pub(super) started: Instant,
    pub(super) only_routes: Option<Vec<pathprobe_pac::Route>>,
    pub(super) control: Option<Control>,
}

/// The control probes: a URL and a name whose answers the internet gives,
/// asked beside the endpoints so that "no internet", a captive portal or
/// rewritten DNS are told from "these endpoints are blocked".
#[derive(Debug, Clone)]
pub struct Control {
    /// Fetched through the routes it gets, as the endpoints are.
    pub url: String,
    /// The page it answers (the whole body, trimmed).
    pub page: String,
    /// Resolved through the run's resolver.
    pub name: String,
    /// The address it resolves to.
    pub address: IpAddr,
}

impl Control {
    /// What Windows asks for its connectivity indicator (NCSI): the page
    /// `Microsoft Connect Test` and the name `dns.msftncsi.com` at
    /// 131.107.255.255.
    pub fn windows() -> Self {
        Self {
            url: "http://www.msftconnecttest.com/connecttest.txt".into(),
            page: "Microsoft Connect Test".into(),
            name: "dns.msftncsi.com".into(),
            address: IpAddr::V4(std::net::Ipv4Addr::new(131, 107, 255, 255)),
        }
    }
}

/// How long and how wide a run may go.
#[derive(Debug, Clone, Copy)]
pub struct RunLimits {
    /// The whole run, from [`RunConfigBuilder::started`]: reading the
    /// settings, PAC fetch and evaluation, and probing.
    pub deadline: Duration,
    /// Each phase of a probe (DNS at most 5 s of it).
    pub phase: Duration,
    /// Probes at once.
    pub concurrency: usize,
    /// Probes at once through one proxy.
    pub per_proxy: usize,
}

impl Default for RunLimits {
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(300),
            phase: Duration::from_secs(10),
            concurrency: 64,
            per_proxy: 16,
        }
    }
}

impl RunConfig {
    /// A run of `plan` (from the catalog named `catalog_name`), routed by the
    /// settings in `discovery` followed with `routing` (whose resolver the
    /// probes use too).
    pub fn builder(
        plan: Plan,
        catalog_name: &str,
        discovery: Discovery,
        routing: ExplainOptions,
    ) -> RunConfigBuilder {
        RunConfigBuilder(RunConfig {
            plan,
            catalog_name: catalog_name.to_owned(),
            filters: Vec::new(),
            discovery,
            routing,
            pins: HashMap::new(),
            anchors: Vec::new(),
            expected_issuers: Vec::new(),
            credentials: None,
            limits: RunLimits::default(),
            all_routes: false,
            insecure_read: false,
            redactor: Redactor::new(),
            started: Instant::now(),
            only_routes: None,
            control: None,
        })
    }

    /// The settings found on the machine (and given), as the run follows them.
    pub fn discovery(&self) -> &Discovery {
        &self.discovery
    }
}

/// Builds a [`RunConfig`]; every setting has a default but the plan and
/// the routing.
pub struct RunConfigBuilder(RunConfig);

impl RunConfigBuilder {
    /// The filters that made the plan, in words, for the report.
    pub fn filters(mut self, described: Vec<String>) -> Self {
        self.0.filters = described;
        self
    }

    /// Fixed addresses for names (`--resolve`), keyed by
    /// [`pathprobe_host::key`]; `*.suffix` pins every name below it.
    pub fn pins(mut self, pins: HashMap<String, Vec<IpAddr>>) -> Self {
        self.0.pins = pins;
        self
    }

    /// Certificates trusted besides the public roots and the OS store.
    pub fn trust_anchors(mut self, anchors: Vec<CertificateDer<'static>>) -> Self {
        self.0.anchors = anchors;
        self
    }

    /// Words in the issuer names the service's endpoints use (a chain from
    /// another issuer that verifies is reported as re-signed).
    pub fn expected_issuers(mut self, issuers: Vec<String>) -> Self {
        self.0.expected_issuers = issuers;
        self
    }

    /// Proxy credentials to offer (only when the user gave them).
    pub fn credentials(mut self, credentials: Option<Credentials>) -> Self {
        self.0.credentials = credentials;
        self
    }

    /// The run's limits.
    pub fn limits(mut self, limits: RunLimits) -> Self {
        self.0.limits = limits;
        self
    }

    /// Try every route (direct and each proxy found), not only the one the
    /// settings choose.
    pub fn all_routes(mut self, yes: bool) -> Self {
        self.0.all_routes = yes;
        self
    }

    /// Read the HTTP status over a chain that failed verification (for the
    /// report only).
    pub fn insecure_read(mut self, yes: bool) -> Self {
        self.0.insecure_read = yes;
        self
    }

    /// Secrets the caller knows of (credentials given, PAC URL parameters):
    /// removed from the report with anything shaped like a credential.
    pub fn redactor(mut self, redactor: Redactor) -> Self {
        self.0.redactor = redactor;
        self
    }

    /// When the run began, for its deadline: the caller's first step
    /// (reading the catalog and the settings) counts (default: when the
    /// builder was made).
    pub fn started(mut self, at: Instant) -> Self {
        self.0.started = at;
        self
    }

    /// Only these routes may be taken (the lab: DIRECT and its own proxy,
    /// so that a scenario's PAC cannot send traffic off this machine); a
    /// URL the settings route elsewhere is reported, not probed.
    pub fn only_routes(mut self, routes: Vec<pathprobe_pac::Route>) -> Self {
        self.0.only_routes = Some(routes);
        self
    }

    /// Control probes asked beside the endpoints (none by default).
    pub fn control(mut self, control: Option<Control>) -> Self {
        self.0.control = control;
        self
    }

    /// The configuration.
    pub fn build(self) -> RunConfig {
        self.0
    }
}
