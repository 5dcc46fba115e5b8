//! Every flag of the command line, with its documentation, in one place.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use pathprobe_reports::CheckFormat;

/// Check that this machine can reach every endpoint a service needs, through the
/// proxy it would really use.
#[derive(Debug, Parser)]
#[command(name = "pathprobe", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Probe every endpoint of a catalog through the route this machine would
    /// use, phase by phase, and give each a verdict with a hint.
    ///
    /// Without a catalog the embedded Microsoft Defender for Endpoint list is
    /// used. Exit 0 when every required endpoint is ok, 1 when one is not or
    /// the run was cut short, 2 on bad input, 3 when a report cannot be
    /// written (a full disk) or on an internal error, 130 on Ctrl-C before
    /// any probe finished.
    #[command(
        after_help = "Examples:\n  pathprobe check --geo EU --required-only\n  pathprobe check --onboarding WindowsDefenderATPOnboardingPackage.zip\n  pathprobe check --proxy http://proxy.corp.example:3128 --output json=report.json\n  pathprobe check --format prometheus --output /var/lib/node_exporter/pathprobe.prom"
    )]
    Check(Box<CheckArgs>),
    /// Run the built-in lab: a small network on loopback that reproduces each
    /// situation pathprobe diagnoses (refused, silent, unknown and sinkholed
    /// names, untrusted and intercepted TLS, plain, authenticating and dead
    /// proxies, PAC failover) and shows the verdicts. Needs no internet.
    ///
    /// Exit 0 when every verdict is the expected one, 1 otherwise.
    Lab(LabArgs),
    /// Service URL catalogs: list what would be probed, compare versions.
    #[command(subcommand)]
    Urls(UrlsCommand),
    /// Proxy auto-config files: ask one which proxy it gives, check it for mistakes.
    #[command(subcommand)]
    Pac(PacCommand),
    /// Proxy settings: find every one that applies and explain which wins.
    #[command(subcommand)]
    Proxy(ProxyCommand),
    /// Saved reports: compare two runs, render one in another format.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Onboarding and offboarding packages: what they say, whether they
    /// still work, and whether they fit together.
    #[command(subcommand)]
    Onboarding(OnboardingCommand),
    /// Run the check on an interval and serve the results to Prometheus.
    ///
    /// `/metrics` has the last run's results; `/probe?target=URL` (or
    /// `?geo=G`) runs a probe on demand, blackbox_exporter-style, so that
    /// Prometheus drives the schedule; `/healthz` answers while the process
    /// runs. SIGTERM or Ctrl-C stops it gracefully.
    #[command(
        after_help = "Examples:\n  pathprobe serve --listen 0.0.0.0:9717 --interval 5m --profile agent\n  curl -s localhost:9717/metrics\n  curl -s 'localhost:9717/probe?target=https://winatp-gw-weu.microsoft.com/'"
    )]
    Serve(Box<ServeArgs>),
    /// Run the check and write one zip for a support ticket: the report (JSON,
    /// HTML, text), the proxy explanation, the PAC files used, DNS and proxy
    /// settings, versions, failing chains and the run's log, with a manifest
    /// of SHA-256 sums. Credentials and tokens are redacted.
    ///
    /// `pathprobe bundle inspect FILE.zip` shows a bundle's report on any machine.
    #[command(
        after_help = "Examples:\n  pathprobe bundle --geo EU --output ticket.zip\n  pathprobe bundle --redact-hosts --output ticket.zip\n  pathprobe bundle inspect ticket.zip"
    )]
    Bundle(Box<BundleArgs>),
    /// Turn a saved check report into the network changes it calls for: what
    /// to allow, what to exempt from proxy authentication, what to exempt
    /// from SSL inspection — as a ticket text (default) or as the rules
    /// (domain list, squid ACL, PAC, CSV, JSON) restricted to what failed.
    #[command(
        after_help = "Examples:\n  pathprobe check --format json --output report.json; pathprobe fix report.json\n  pathprobe fix report.json --as squid --output failed.acl"
    )]
    Fix(Box<FixArgs>),
    /// What pathprobe can see of this machine, on one screen: resolvers,
    /// proxy settings found and which is in force, the trust store, the clock
    /// against an HTTPS server's Date header, the configuration file.
    ///
    /// Exit 1 when something needs attention (a clock off by more than a
    /// minute, no nameserver, an unreadable proxy setting).
    #[command(
        after_help = "Examples:\n  pathprobe doctor\n  pathprobe doctor --format json > doctor.json"
    )]
    Doctor(DoctorArgs),
    /// The configuration file: show the effective options and where each
    /// came from.
    #[command(subcommand)]
    Config(ConfigCommand),
}

/// Connectivity flavours.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ConnectivityArg {
    /// The per-region service hosts.
    Standard,
    /// The consolidated *.endpoint.security.microsoft.com hosts.
    Streamlined,
}

/// `pathprobe onboarding ...`
#[derive(Debug, Clone, Subcommand)]
pub enum OnboardingCommand {
    /// Read onboarding and offboarding packages in any form the vendor ships
    /// (Windows .onboarding/.offboarding files and scripts, Linux JSON and
    /// script, macOS plist, or the .zip holding them): kind, organisation,
    /// data location, connectivity, datacenter, gateway, version, signer and
    /// validity.
    ///
    /// Exit 0 when all is well, 1 on a warning (an expired offboarding
    /// package, onboarding and offboarding for the same organisation, another
    /// organisation than --org-id), 2 when a file is not a package.
    Inspect(OnboardingInspectArgs),
}

/// `pathprobe onboarding inspect`
#[derive(Debug, Clone, Args)]
pub struct OnboardingInspectArgs {
    /// Package files (or zips of them).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Show organisation ids in full (masked by default).
    #[arg(long = "show-org-id")]
    pub show_org_id: bool,
    /// The organisation the packages must belong to.
    #[arg(long = "org-id", value_name = "ID")]
    pub org_id: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

/// `pathprobe serve`
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub probe: ProbeArgs,

    /// Address to listen on, e.g. 127.0.0.1:9717 or [::]:9717.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9717", value_parser = listen_arg)]
    pub listen: String,

    /// Time between runs: seconds, or with a unit (`90s`, `5m`, `1h`); `0`
    /// runs only on `/probe` requests.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = interval_arg)]
    pub interval: String,

    /// Stop after this many runs (for tests and benchmarks; default: never).
    #[arg(long = "max-runs", value_name = "N", hide = true)]
    pub max_runs: Option<u64>,
}

/// `pathprobe bundle`
#[derive(Debug, Clone, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BundleArgs {
    /// Read a bundle instead of making one.
    #[command(subcommand)]
    pub command: Option<BundleCommand>,

    #[command(flatten)]
    pub probe: ProbeArgs,

    /// The zip to write (default: pathprobe-bundle-HOST-TIME.zip here).
    #[arg(long, short, value_name = "FILE.zip")]
    pub output: Option<PathBuf>,

    /// Also replace the host names of this network (proxies, PAC and WPAD
    /// servers, DNS search domains, this machine's name) with placeholders.
    #[arg(long = "redact-hosts")]
    pub redact_hosts: bool,
}

/// `pathprobe bundle ...`
#[derive(Debug, Clone, Subcommand)]
pub enum BundleCommand {
    /// Check a bundle's manifest and show its report.
    Inspect(BundleInspectArgs),
}

/// `pathprobe bundle inspect`
#[derive(Debug, Clone, Args)]
pub struct BundleInspectArgs {
    /// The bundle.
    pub bundle: PathBuf,
    /// Output format of the report.
    #[arg(long, value_parser = check_format(), default_value = "table")]
    pub format: CheckFormat,
    /// Show per-phase timings and where each route came from.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `pathprobe lab`
#[derive(Debug, Clone, Args)]
pub struct LabArgs {
    /// Scenario files (TOML) to run instead of the built-in ones.
    #[arg(long, value_name = "FILE")]
    pub scenario: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

/// What to probe and how: shared by `check` and `bundle`.
#[derive(Debug, Clone, Args)]
pub struct ProbeArgs {
    #[command(flatten)]
    pub settings: ConfigArgs,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub routing: RoutingArgs,

    /// Probe direct and every proxy found, side by side, for every endpoint.
    #[arg(long = "all-routes")]
    pub all_routes: bool,

    /// Do not ask the control probes: Windows' connectivity test
    /// (http://www.msftconnecttest.com/connecttest.txt through the routes it
    /// gets, and the name dns.msftncsi.com), which tell "no internet", a
    /// captive portal or rewritten DNS from "these endpoints are blocked".
    /// They are evidence for findings only, never in the totals or the
    /// exit code.
    /// (In the environment, PATHPROBE_NO_CONTROL=1 does the same; 0, false,
    /// no, off or empty does not.)
    #[arg(
        long = "no-control",
        env = "PATHPROBE_NO_CONTROL",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub no_control: bool,

    /// Pin a name to an address for this run, HOST=IP (repeatable), as curl's
    /// --resolve; `*.example.test=IP` covers every name under example.test.
    #[arg(long, value_name = "HOST=IP", value_parser = resolve_arg)]
    pub resolve: Vec<String>,

    /// Extra trust anchors (PEM) for private origins; they count as expected
    /// issuers, never as public roots.
    #[arg(long = "ca-cert", value_name = "FILE")]
    pub ca_cert: Vec<PathBuf>,

    /// Proxy credentials, USER:PASSWORD (never guessed, never printed).
    #[arg(long = "proxy-user", value_name = "USER:PASSWORD", value_parser = proxy_user_arg)]
    pub proxy_user: Option<String>,

    /// Probes in flight at once (lowered to what the open-file limit allows).
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = count_arg)]
    pub concurrency: usize,

    /// Probes in flight through one proxy at once.
    #[arg(long = "per-proxy", value_name = "N", default_value_t = 16, value_parser = count_arg)]
    pub per_proxy: usize,

    /// Deadline for the whole run, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0, value_parser = seconds_arg)]
    pub deadline: f64,

    /// Limit for each phase (DNS, connect, tunnel, TLS, HTTP), in seconds.
    #[arg(long = "phase-timeout", value_name = "SECONDS", default_value_t = 10.0, value_parser = seconds_arg)]
    pub phase_timeout: f64,

    /// Read the HTTP status even over a chain that failed verification (the
    /// verdict stays; nothing else is sent).
    #[arg(long = "insecure-read")]
    pub insecure_read: bool,
}

/// `pathprobe check`
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub probe: ProbeArgs,

    /// Format of the report on stdout (and of `--output FILE` without a `FORMAT=`).
    #[arg(long, value_parser = check_format(), default_value = "table")]
    pub format: CheckFormat,

    /// Write the report to a file instead of stdout: `FILE` in the --format,
    /// or `FORMAT=FILE` (repeatable) for several formats at once, e.g.
    /// `--output junit=report.xml --output html=report.html`; stdout then
    /// still gets the --format.
    #[arg(long, short, value_name = "[FORMAT=]FILE")]
    pub output: Vec<std::ffi::OsString>,

    /// Compare with an earlier JSON report: mark endpoints that regressed or
    /// recovered.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,

    /// What makes the exit code 1: any required endpoint failing (`failure`),
    /// or only a required endpoint that was ok in the --baseline and is not now
    /// (`regression`).
    #[arg(long = "fail-on", value_enum, default_value_t = FailOnArg::Failure)]
    pub fail_on: FailOnArg,

    /// Push the run's metrics to a Prometheus Pushgateway at this URL
    /// (`http://gateway:9091`; the job is `pathprobe`, the instance this
    /// machine's name, unless the URL already names them). A push that
    /// fails is said on stderr and makes the exit code 1.
    #[arg(long, value_name = "URL", value_parser = push_arg)]
    pub push: Option<String>,

    /// Show per-phase timings and where each route came from.
    #[arg(long, short)]
    pub verbose: bool,
}

/// The check report formats (`pathprobe_reports::CheckFormat`) as flag
/// values: table, json, csv, junit, markdown, html, lines, prometheus.
fn check_format() -> impl clap::builder::TypedValueParser<Value = CheckFormat> {
    clap::builder::PossibleValuesParser::new(CheckFormat::ALL.map(CheckFormat::name))
        .map(|name| CheckFormat::from_name(&name).unwrap_or(CheckFormat::Table))
}

/// What fails a run.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FailOnArg {
    /// Any required endpoint that is not ok.
    Failure,
    /// Only required endpoints that regressed since the --baseline.
    Regression,
}

/// `pathprobe report ...`
#[derive(Debug, Clone, Subcommand)]
pub enum ReportCommand {
    /// Compare two saved JSON reports: what regressed, recovered or changed.
    ///
    /// Exit 0 when no required endpoint regressed, 1 when one did, 2 when a
    /// report cannot be read.
    Diff(ReportDiffArgs),
    /// Render a saved JSON report in another format.
    Render(ReportRenderArgs),
    /// Print the JSON Schema of the report `check --format json` writes.
    Schema,
}

/// `pathprobe report diff`
#[derive(Debug, Clone, Args)]
pub struct ReportDiffArgs {
    /// The earlier report (JSON).
    pub before: PathBuf,
    /// The later report (JSON).
    pub after: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableOrJson::Table)]
    pub format: TableOrJson,
}

/// `pathprobe report render`
#[derive(Debug, Clone, Args)]
pub struct ReportRenderArgs {
    /// A report written by `check --format json`.
    pub report: PathBuf,
    /// Output format.
    #[arg(long, value_parser = check_format(), default_value = "table")]
    pub format: CheckFormat,
    /// Show per-phase timings and where each route came from.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `pathprobe proxy ...`
#[derive(Debug, Clone, Subcommand)]
pub enum ProxyCommand {
    /// Show every proxy setting found (environment, agent configuration, OS
    /// settings, WPAD), which one is in force for the chosen profile and why,
    /// and the routes each URL gets.
    ///
    /// Settings files of other machines can be given with the --*-file flags
    /// (e.g. saved `netsh winhttp show proxy` output); --only-given skips this
    /// machine's own files. Exit 1 when a source is broken or a URL gets no
    /// answer, 2 on bad flags.
    #[command(
        after_help = "Examples:\n  pathprobe proxy explain --profile agent https://winatp-gw-weu.microsoft.com/\n  pathprobe proxy explain --profile system --urls\n  pathprobe proxy explain --pac http://wpad.corp.example/wpad.dat https://login.live.com/"
    )]
    Explain(Box<ProxyExplainArgs>),
}

/// Whose proxy behaviour to reproduce.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ProfileArg {
    /// What browsers and command-line tools on the OS use.
    System,
    /// What the Defender for Endpoint agent on the OS uses.
    Agent,
}

/// Where routes come from: settings given here, or discovered on the machine.
#[derive(Debug, Clone, Args)]
pub struct RoutingArgs {
    /// Whose behaviour: `system` (browsers, tools) or `agent` (Defender for Endpoint).
    #[arg(long, value_enum, default_value_t = ProfileArg::System)]
    pub profile: ProfileArg,

    /// A fixed proxy given here, which wins over every other setting.
    #[arg(long, value_name = "URL", conflicts_with_all = ["pac", "wpad", "direct"], value_parser = proxy_arg)]
    pub proxy: Option<String>,

    /// A PAC file or URL given here, which wins over every other setting.
    #[arg(
        long,
        value_name = "FILE|URL",
        conflicts_with_all = ["wpad", "direct"],
        value_parser = clap::builder::OsStringValueParser::new().try_map(pac_arg)
    )]
    pub pac: Option<std::ffi::OsString>,

    /// Force WPAD auto-discovery (DHCP option 252, then DNS).
    #[arg(long, conflicts_with = "direct")]
    pub wpad: bool,

    /// Force a direct connection.
    #[arg(long)]
    pub direct: bool,

    /// Read only the files given with the flags below, not this machine's.
    #[arg(long = "only-given")]
    pub only_given: bool,

    /// Ignore the process environment (http_proxy and friends).
    #[arg(long = "no-env")]
    pub no_env: bool,

    /// Defender for Endpoint Linux managed configuration (mdatp_managed.json).
    #[arg(long = "mdatp-config", value_name = "FILE")]
    pub mdatp_config: Option<PathBuf>,

    /// Defender for Endpoint macOS managed preference (com.microsoft.wdav plist).
    #[arg(long = "wdav-plist", value_name = "FILE")]
    pub wdav_plist: Option<PathBuf>,

    /// A .reg export with the TelemetryProxyServer policy.
    #[arg(long = "telemetry-reg", value_name = "FILE")]
    pub telemetry_reg: Option<PathBuf>,

    /// Saved output of `netsh winhttp show proxy`.
    #[arg(long = "netsh-file", value_name = "FILE")]
    pub netsh: Option<PathBuf>,

    /// Saved output of `netsh winhttp show advproxy`.
    #[arg(long = "advproxy-file", value_name = "FILE")]
    pub advproxy: Option<PathBuf>,

    /// Saved output of `scutil --proxy`.
    #[arg(long = "scutil-file", value_name = "FILE")]
    pub scutil: Option<PathBuf>,

    /// Saved output of `gsettings list-recursively org.gnome.system.proxy`.
    #[arg(long = "gsettings-file", value_name = "FILE")]
    pub gsettings: Option<PathBuf>,

    /// An /etc/environment file.
    #[arg(long = "etc-environment", value_name = "FILE")]
    pub etc_environment: Option<PathBuf>,

    /// apt configuration files or directories (repeatable).
    #[arg(long = "apt-conf", value_name = "PATH")]
    pub apt_conf: Vec<PathBuf>,

    /// DHCP lease files or directories (dhclient, systemd-networkd, NetworkManager, nmcli output).
    #[arg(long = "dhcp-lease", value_name = "PATH")]
    pub dhcp_lease: Vec<PathBuf>,

    /// During auto-detection, also ask the DHCP server for option 252 with a
    /// DHCPINFORM on this interface (needs root: the DHCP client port).
    #[arg(long = "dhcp-inform", value_name = "INTERFACE")]
    pub dhcp_inform: Option<String>,

    /// resolv.conf for the DNS domains WPAD devolves from.
    #[arg(long = "resolv-conf", value_name = "FILE")]
    pub resolv_conf: Option<PathBuf>,

    /// DNS servers to use (default: the system's).
    #[arg(
        long = "dns-server",
        visible_alias = "dns",
        value_name = "IP[:PORT]",
        value_parser = dns_server_arg
    )]
    pub dns_server: Vec<String>,

    /// DNS lookups in flight at once (each asks A and AAAA); the others wait
    /// for a slot without their DNS time limit running. 0: no bound.
    #[arg(long = "dns-concurrency", value_name = "N", default_value_t = pathprobe_pac::DEFAULT_DNS_CONCURRENCY, value_parser = dns_concurrency_arg)]
    pub dns_concurrency: usize,

    /// Port of the wpad.dat server (80; other values for labs).
    #[arg(long = "wpad-port", value_name = "PORT", default_value_t = 80, value_parser = clap::value_parser!(u16).range(1..))]
    pub wpad_port: u16,

    /// Evaluate PAC scripts as of this moment (RFC 3339).
    #[arg(long, value_name = "RFC3339", value_parser = at_arg)]
    pub at: Option<String>,

    /// What myIpAddress() returns in PAC scripts (repeatable).
    #[arg(long = "my-ip", value_name = "IP")]
    pub my_ip: Vec<IpAddr>,
}

/// `pathprobe proxy explain`
#[derive(Debug, Clone, Args)]
pub struct ProxyExplainArgs {
    /// URLs to explain (none: only the settings).
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,

    /// Explain every probe URL of a catalog (default: the embedded one).
    #[arg(long = "urls", value_name = "CATALOG", num_args = 0..=1)]
    pub catalog: Option<Option<PathBuf>>,

    /// Apply this OS's proxy rules (default: the OS pathprobe runs on).
    #[arg(long, value_enum, value_name = "OS")]
    pub os: Option<OsArg>,

    #[command(flatten)]
    pub routing: RoutingArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    /// Also list the places looked at that hold nothing.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `pathprobe pac ...`
#[derive(Debug, Clone, Subcommand)]
pub enum PacCommand {
    /// Evaluate a PAC file for one or more URLs and show the routes it returns.
    ///
    /// Accepts pactester's flags (-p PAC -u URL -h HOST -c MY_IP -f URL_FILE),
    /// so runbooks written for pactester keep working.
    Eval(Box<PacEvalArgs>),
    /// Check a PAC file for common mistakes: paths that return nothing, hidden
    /// DNS lookups, lookups before name checks, unreachable rules, host
    /// comparisons that can never match, route strings clients skip.
    ///
    /// Exit code 0 when nothing (or only notes) is found, 1 for warnings or
    /// errors, 2 when the file cannot be read.
    Lint(PacLintArgs),
}

/// `pathprobe pac lint`
#[derive(Debug, Clone, Args)]
pub struct PacLintArgs {
    /// The PAC script: a file, or an http(s):// URL to fetch it from.
    #[arg(value_name = "FILE|URL")]
    pub pac: std::ffi::OsString,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

/// `pathprobe pac eval`
#[derive(Debug, Clone, Args)]
#[command(disable_help_flag = true)]
pub struct PacEvalArgs {
    /// Print help (-h is pactester's host flag here).
    #[arg(long, action = ArgAction::Help)]
    pub help: Option<bool>,

    /// The PAC script: a file, or an http(s):// URL to fetch it from.
    #[arg(long, short = 'p', value_name = "FILE|URL")]
    pub pac: std::ffi::OsString,

    /// A URL to evaluate (repeat for several).
    #[arg(long, short = 'u', value_name = "URL")]
    pub url: Vec<String>,

    /// A file of URLs to evaluate, one per line (pactester's -f).
    #[arg(long = "url-file", short = 'f', value_name = "FILE")]
    pub url_file: Option<PathBuf>,

    /// Evaluate every probe URL of a catalog (default: the embedded one).
    #[arg(long = "urls", value_name = "CATALOG", num_args = 0..=1, conflicts_with_all = ["url", "url_file"])]
    pub urls: Option<Option<PathBuf>>,

    /// Read only this sheet of a workbook given to --urls.
    #[arg(long, value_name = "NAME", requires = "urls")]
    pub sheet: Option<String>,

    #[command(flatten)]
    pub filter: FilterArgs,

    /// The host passed to the script instead of the URL's (pactester's -h).
    #[arg(long, short = 'h', value_name = "HOST")]
    pub host: Option<String>,

    /// What myIpAddress() returns (pactester's -c); repeat for myIpAddressEx().
    #[arg(long = "my-ip", short = 'c', value_name = "IP")]
    pub my_ip: Vec<IpAddr>,

    /// A fixed DNS answer for the script's lookups, HOST=IP (repeatable).
    #[arg(long, value_name = "HOST=IP")]
    pub dns: Vec<String>,

    /// Send the script's other lookups to this DNS server instead of the system's.
    #[arg(
        long = "dns-server",
        value_name = "IP[:PORT]",
        conflicts_with = "no_dns",
        value_parser = dns_server_arg
    )]
    pub dns_server: Vec<String>,

    /// Resolve only the names given with --dns; nothing goes to the network.
    #[arg(long = "no-dns")]
    pub no_dns: bool,

    /// Evaluate as of this moment (RFC 3339, e.g. 2026-03-02T08:30:00+01:00),
    /// for scripts that route by day or time.
    #[arg(long, value_name = "RFC3339", value_parser = at_arg)]
    pub at: Option<String>,

    /// Pass the full URL to the script (path and query included), as
    /// WinHTTP-style clients do; browsers strip https URLs to scheme://host:port/.
    #[arg(long = "full-url")]
    pub full_url: bool,

    /// Accepted for pactester compatibility: Microsoft's extensions are always on.
    #[arg(short = 'e', hide = true)]
    pub microsoft_extensions: bool,

    /// Time limit for loading the script and for each evaluation, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub timeout: f64,

    /// Output format; `raw` prints only what the script returned, one line per
    /// URL, as pactester does.
    #[arg(long, value_enum, default_value_t = PacFormatArg::Table)]
    pub format: PacFormatArg,

    /// Show what the script received (url and host) for each URL.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Output formats of `pac eval`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PacFormatArg {
    /// A table for people.
    Table,
    /// JSON (with schema_version).
    Json,
    /// CSV with a header row.
    Csv,
    /// The script's return values only, one per line.
    Raw,
}

/// `pathprobe urls ...`
#[derive(Debug, Clone, Subcommand)]
pub enum UrlsCommand {
    /// Show the endpoints of a catalog and how each would be probed.
    ///
    /// Without a file, the embedded Microsoft Defender for Endpoint list is used.
    List(ListArgs),
    /// Show endpoints added, removed or changed between two catalog versions.
    ///
    /// Exit code 0 when they agree, 1 when they differ, 2 on bad input.
    Diff(DiffArgs),
    /// Write the catalog's hosts as rules for firewalls, proxies and PAC
    /// files: a domain list, a squid ACL, a PAC that sends them DIRECT, CSV
    /// or JSON.
    ///
    /// Whatever a format cannot express (paths, partial-label wildcards,
    /// prose rows) is named on stderr, never dropped silently.
    #[command(
        after_help = "Examples:\n  pathprobe urls export --geo EU --as domains --output mde-eu.txt\n  pathprobe urls export --as squid --ssl-bump --output /etc/squid/mde.acl\n  pathprobe urls export --as pac --base corp.pac --output corp-with-mde.pac"
    )]
    Export(Box<ExportArgs>),
}

/// Artefacts `urls export` and `fix` write.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormatArg {
    /// One host or *.domain per line (firewall external dynamic lists).
    Domains,
    /// A squid dstdomain ACL file (and, with --ssl-bump, a squid.conf snippet).
    Squid,
    /// A PAC file sending the hosts DIRECT (or --via) before the rest.
    Pac,
    /// Every field, one row per catalog entry.
    Csv,
    /// Every field, as JSON.
    Json,
    /// What to paste into a ticket, grouped by what must be done.
    Text,
}

/// Options of the artefacts, shared by `urls export` and `fix`.
#[derive(Debug, Clone, Args)]
pub struct ArtefactArgs {
    /// Write here instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Domain list without the comment header (for consumers that refuse `#` lines).
    #[arg(long)]
    pub bare: bool,
    /// squid: also write FILE.conf, the squid.conf lines that allow the list
    /// and splice it past SSL bumping (never decrypted). Needs --output.
    #[arg(long, requires = "output")]
    pub ssl_bump: bool,
    /// PAC: only the lines to paste at the top of an existing FindProxyForURL.
    #[arg(long, conflicts_with = "base")]
    pub pac_snippet: bool,
    /// PAC: send the hosts through this proxy instead of DIRECT ("PROXY host:port").
    #[arg(long, value_name = "ROUTE")]
    pub via: Option<String>,
    /// PAC: wrap this existing PAC file, unchanged: hosts not in the list get its answer.
    #[arg(long, value_name = "FILE")]
    pub base: Option<PathBuf>,
}

/// `pathprobe fix`
#[derive(Debug, Clone, Args)]
pub struct FixArgs {
    /// A report written by `check --format json`.
    #[arg(value_name = "REPORT.json")]
    pub report: PathBuf,
    /// What to write.
    #[arg(long = "as", value_enum, value_name = "FORMAT", default_value_t = ExportFormatArg::Text)]
    pub format: ExportFormatArg,
    #[command(flatten)]
    pub artefact: ArtefactArgs,
}

/// `pathprobe urls export`
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// What to write.
    #[arg(long = "as", value_enum, value_name = "FORMAT")]
    pub format: ExportFormatArg,
    #[command(flatten)]
    pub artefact: ArtefactArgs,
}

/// Which configuration file applies (read before the other options: see
/// `pathprobe config show`).
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Read options from this TOML file instead of the default
    /// ($XDG_CONFIG_HOME/pathprobe/config.toml, then /etc/pathprobe/config.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use the options of [site.NAME] in the configuration file.
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,
    /// Ignore the default configuration files.
    #[arg(long = "no-config", conflicts_with = "config")]
    pub no_config: bool,
}

/// `pathprobe config ...`
#[derive(Debug, Clone, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective options of a command: each value and where it came
    /// from (command line, configuration file and line, default). Secrets are
    /// redacted.
    #[command(
        after_help = "Examples:\n  pathprobe config show\n  pathprobe config show --site branch-office\n  pathprobe config show --for serve -- --interval 1m"
    )]
    Show(ConfigShowArgs),
}

/// `pathprobe doctor`
#[derive(Debug, Clone, Args)]
pub struct DoctorArgs {
    /// The HTTPS server whose Date header the clock is compared with.
    #[arg(long, value_name = "URL", default_value = "https://go.microsoft.com/")]
    pub url: String,
    /// Seconds to wait for it.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub timeout: f64,
    /// Read resolvers from this file instead of /etc/resolv.conf.
    #[arg(long = "resolv-conf", value_name = "FILE")]
    pub resolv_conf: Option<PathBuf>,
    /// Ask these DNS servers for the reference URL's name (for the lookup
    /// shown and the clock check) instead of the system's: the resolver
    /// `check --dns-server` would use.
    #[arg(long = "dns-server", value_name = "IP[:PORT]", value_parser = dns_server_arg)]
    pub dns_server: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableOrJson::Table)]
    pub format: TableOrJson,
}

/// `pathprobe config show`
#[derive(Debug, Clone, Args)]
pub struct ConfigShowArgs {
    /// The command whose options to show.
    #[arg(long = "for", value_enum, default_value_t = ConfigFor::Check)]
    pub command: ConfigFor,
    #[command(flatten)]
    pub settings: ConfigArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Options of that command, as they would be given to it.
    #[arg(last = true, value_name = "OPTIONS")]
    pub options: Vec<String>,
}

/// Commands that read the configuration file.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ConfigFor {
    /// `pathprobe check`.
    Check,
    /// `pathprobe serve`.
    Serve,
    /// `pathprobe bundle`.
    Bundle,
}

/// Where the catalog comes from.
#[derive(Debug, Clone, Args)]
pub struct CatalogArgs {
    /// Catalog files or http(s) URLs of them: vendor .xlsx, CSV with a
    /// header, text list (one URL per line), the Microsoft 365 endpoints
    /// feed, or pathprobe JSON. A URL is fetched directly and cached with
    /// its validators. Several are read as one: a URL two of them name is
    /// probed once and listed under each. Default: the embedded catalog.
    #[arg(value_name = "CATALOG")]
    pub catalog: Vec<PathBuf>,

    /// Read only this sheet of a workbook.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// The column a header names holds ROLE (url, host, port, geography,
    /// category, service, description, comments, requirement, os), for
    /// headers whose words are not known: --column url="Web address".
    /// Repeatable.
    #[arg(long = "column", value_name = "ROLE=HEADER", value_parser = column_arg)]
    pub columns: Vec<String>,

    /// Fetch catalogs given by URL through this proxy (http://host:port);
    /// by default they are fetched directly.
    #[arg(long, value_name = "URL", value_parser = catalog_proxy_arg)]
    pub catalog_proxy: Option<String>,
}

/// `--catalog-proxy`: an http(s) proxy URL.
fn catalog_proxy_arg(text: &str) -> Result<String, String> {
    no_control(text)?;
    match url::Url::parse(text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(text.to_owned())
        }
        Ok(_) => Err("takes an http:// or https:// proxy URL".into()),
        Err(e) => Err(format!("not a URL: {e}")),
    }
}

/// `ROLE=HEADER`.
fn column_arg(text: &str) -> Result<String, String> {
    text.parse::<pathprobe_urls::ColumnOverride>()
        .map(|_| text.to_owned())
}

/// Filters shared by commands that plan probes.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Data location: WW rows plus this one's (US, EU, UK, AU, "US Gov", GCC,
    /// "GCC High", DoD; GW_US style values are accepted too).
    #[arg(long, value_name = "GEO", conflicts_with = "onboarding")]
    pub geo: Option<String>,

    /// Take the data location from a Defender for Endpoint onboarding file
    /// (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist).
    #[arg(long, value_name = "FILE")]
    pub onboarding: Option<PathBuf>,

    /// Only rows for this operating system (rows without platform flags apply to all).
    #[arg(long, value_enum, value_name = "OS")]
    pub os: Option<OsArg>,

    /// Only rows whose category or service contains this text (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub category: Option<String>,

    /// Leave out rows the vendor marks optional.
    #[arg(long)]
    pub required_only: bool,

    /// Only the rows of this connectivity: `standard` (per-region service
    /// hosts) or `streamlined` (the consolidated
    /// *.endpoint.security.microsoft.com hosts); --onboarding sets it from
    /// the package.
    #[arg(long, value_enum, value_name = "FLAVOUR")]
    pub connectivity: Option<ConnectivityArg>,
}

/// `--os` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OsArg {
    /// Windows (any generation).
    Windows,
    /// macOS.
    Macos,
    /// Linux.
    Linux,
}

/// Output formats of commands whose output has no rows to list as CSV
/// (`doctor`, `report diff`): a value they would ignore is refused.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TableOrJson {
    /// A table for people.
    Table,
    /// JSON.
    Json,
}

/// Output formats of `urls` commands.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// A table for people.
    Table,
    /// JSON (with schema_version).
    Json,
    /// CSV with a header row.
    Csv,
}

impl From<FormatArg> for pathprobe_reports::OutputFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => Self::Table,
            FormatArg::Json => Self::Json,
            FormatArg::Csv => Self::Csv,
        }
    }
}

/// `pathprobe urls list`
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Show the source file, sheet and row of each endpoint.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `pathprobe urls diff`
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The older catalog.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer catalog.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

// Values are checked where they are parsed, so that a configuration file's
// value is refused with its file, line and key, as the command line's is.

/// Seconds from a tenth of a second to a day.
fn seconds_arg(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\" is not a number of seconds"))?;
    seconds_in_range(value)
}

/// The one rule for run and phase limits: from a tenth of a second (a
/// limit below it lets no phase finish, and the verdict would be the
/// limit's, not the network's: round 20's `1e-9`) to a day.
pub fn seconds_in_range(value: f64) -> Result<f64, String> {
    if value.is_finite() && (0.1..=86_400.0).contains(&value) {
        Ok(value)
    } else {
        Err("takes a number of seconds from 0.1 to 86400 (a day)".into())
    }
}

/// The most of anything in flight at once a value may ask for: far past
/// what a machine's sockets allow (the run lowers it to that, and says so),
/// and far below where counting overflows (round 20: a DNS bound of
/// 2^64 - 1 panicked).
const MOST_AT_ONCE: usize = 65_536;

/// A count of at least one, at most [`MOST_AT_ONCE`].
fn count_arg(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MOST_AT_ONCE).contains(&n) => Ok(n),
        Ok(_) => Err(format!("takes a number from 1 to {MOST_AT_ONCE}")),
        Err(_) => Err(format!("\"{text}\" is not a whole number")),
    }
}

/// DNS lookups at once: 0 (no bound) or a count up to [`MOST_AT_ONCE`].
fn dns_concurrency_arg(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n <= MOST_AT_ONCE => Ok(n),
        Ok(_) => Err(format!(
            "takes a number from 0 (no bound) to {MOST_AT_ONCE}"
        )),
        Err(_) => Err(format!("\"{text}\" is not a whole number")),
    }
}

/// A proxy URL that can be used (scheme, host, a port that exists).
fn proxy_arg(text: &str) -> Result<String, String> {
    use pathprobe_pac::discovery::{PortDefault, ProxyUrl};
    ProxyUrl::parse(text, PortDefault::Scheme)
        .map(|_| text.to_owned())
        .map_err(|e| e.to_string())
}

/// `HOST=IP`, `*.SUFFIX=IP`.
fn resolve_arg(text: &str) -> Result<String, String> {
    pathprobe_pac::FixedResolver::parse_entry(text).map(|_| text.to_owned())
}

/// An RFC 3339 moment (`--at`), checked where it is read (a configuration
/// file's value is then named with its file and line).
fn at_arg(text: &str) -> Result<String, String> {
    pathprobe_pac::FixedClock::parse(text)
        .map(|_| text.to_owned())
        .map_err(|e| e.to_string())
}

/// `IP:PORT` or `[IPv6]:PORT` to listen on.
fn listen_arg(text: &str) -> Result<String, String> {
    text.parse::<std::net::SocketAddr>()
        .map(|_| text.to_owned())
        .map_err(|e| format!("expected IP:PORT or [IPv6]:PORT ({e})"))
}

/// `90`, `90s`, `5m`, `1h30m`.
fn interval_arg(text: &str) -> Result<String, String> {
    crate::commands::serve::parse_duration(text).map(|_| text.to_owned())
}

/// `IP`, `IP:PORT`, `[IPv6]:PORT`.
fn dns_server_arg(text: &str) -> Result<String, String> {
    crate::settings::server_address(text).map(|_| text.to_owned())
}

/// A PAC file or an http(s) URL.
fn pac_arg(value: std::ffi::OsString) -> Result<std::ffi::OsString, String> {
    pathprobe_pac::PacLocation::parse_os(&value)
        .map(|_| value)
        .map_err(|e| e.to_string())
}

/// A URL parser drops tabs and line breaks silently: a value holding a
/// control character is refused instead.
fn no_control(text: &str) -> Result<(), String> {
    match pathprobe_files::quote::control_character(text) {
        Some(which) => Err(format!("it holds {which}, which no URL does")),
        None => Ok(()),
    }
}

/// `USER:PASSWORD`.
fn proxy_user_arg(text: &str) -> Result<String, String> {
    if text.contains(':') {
        Ok(text.to_owned())
    } else {
        Err("takes USER:PASSWORD (the password after a colon)".into())
    }
}

/// An http(s) URL.
fn push_arg(text: &str) -> Result<String, String> {
    no_control(text)?;
    match url::Url::parse(text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(text.to_owned())
        }
        Ok(_) => Err("takes an http:// or https:// URL".into()),
        Err(e) => Err(format!("not a URL: {e}")),
    }
}

impl ProbeArgs {
    /// The files this run reads, with the flag that names each: no output
    /// may replace one of them.
    pub fn input_files(&self) -> Vec<(PathBuf, &'static str)> {
        let r = &self.routing;
        let one = [
            (&self.filter.onboarding, "--onboarding"),
            (&self.settings.config, "the configuration file"),
        ];
        let mut files: Vec<(PathBuf, &'static str)> = self
            .catalog
            .catalog
            .iter()
            .flat_map(|p| crate::remote::catalog_input(p))
            .collect();
        files.extend(
            one.into_iter()
                .filter_map(|(path, role)| path.clone().map(|p| (p, role))),
        );
        // The proxy settings files, given or the machine's own that the run
        // reads without --only-given (/etc/environment, apt.conf.d, …).
        for (file, flag) in r.source_paths().each() {
            files.push((
                file.path.clone(),
                if file.explicit {
                    flag
                } else {
                    "a proxy settings source"
                },
            ));
        }
        // A PAC given by http(s) URL is not a file here; `file://` is.
        if let Some(pac) = &r.pac
            && let Ok(pathprobe_pac::PacLocation::File(path)) =
                pathprobe_pac::PacLocation::parse_os(pac)
        {
            files.push((path, "--pac"));
        }
        // The default configuration file is read too, unless told not to.
        if self.settings.config.is_none() && !self.settings.no_config {
            files.extend(
                crate::config::search_path()
                    .into_iter()
                    .filter(|p| p.is_file())
                    .map(|p| (p, "the configuration file")),
            );
        }
        files.extend(self.ca_cert.iter().map(|p| (p.clone(), "--ca-cert")));
        files
    }
}

impl RoutingArgs {
    /// The proxy settings files the run reads: the machine's own (unless
    /// `--only-given`), each replaced by the file given for it.
    pub fn source_paths(&self) -> pathprobe_pac::discovery::SourcePaths {
        let mut paths = if self.only_given {
            pathprobe_pac::discovery::SourcePaths::none()
        } else {
            pathprobe_pac::discovery::SourcePaths::standard()
        };
        let given = |p: &Option<std::path::PathBuf>| {
            p.as_deref()
                .map(pathprobe_pac::discovery::SourceFile::given)
        };
        if let Some(f) = given(&self.mdatp_config) {
            paths.mdatp_managed = Some(f);
        }
        if let Some(f) = given(&self.wdav_plist) {
            paths.wdav_plist = Some(f);
        }
        if let Some(f) = given(&self.telemetry_reg) {
            paths.telemetry_reg = Some(f);
        }
        if let Some(f) = given(&self.netsh) {
            paths.netsh_proxy = Some(f);
        }
        if let Some(f) = given(&self.advproxy) {
            paths.netsh_advproxy = Some(f);
        }
        if let Some(f) = given(&self.scutil) {
            paths.scutil = Some(f);
        }
        if let Some(f) = given(&self.gsettings) {
            paths.gsettings = Some(f);
        }
        if let Some(f) = given(&self.etc_environment) {
            paths.etc_environment = Some(f);
        }
        if let Some(f) = given(&self.resolv_conf) {
            paths.resolv_conf = Some(f);
        }
        if !self.apt_conf.is_empty() {
            paths.apt = self
                .apt_conf
                .iter()
                .map(|p| pathprobe_pac::discovery::SourceFile::given(p))
                .collect();
        }
        if !self.dhcp_lease.is_empty() {
            paths.dhcp_leases = self
                .dhcp_lease
                .iter()
                .map(|p| pathprobe_pac::discovery::SourceFile::given(p))
                .collect();
        }
        paths
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example in `--help` parses with the current flags.
    #[test]
    fn help_examples_parse() {
        use clap::CommandFactory as _;
        fn walk(cmd: &clap::Command, found: &mut Vec<String>) {
            if let Some(help) = cmd.get_after_help() {
                for line in help.to_string().lines() {
                    if let Some(example) = line.trim().strip_prefix("pathprobe ") {
                        // `a; b`, `a > file`: the part before the shell's is pathprobe's.
                        found.push(
                            example
                                .split([';', '>', '|'])
                                .next()
                                .unwrap_or("")
                                .to_owned(),
                        );
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, found);
            }
        }
        let mut examples = Vec::new();
        walk(&Cli::command(), &mut examples);
        assert!(examples.len() >= 15, "{examples:?}");
        for example in &examples {
            let words = std::iter::once("pathprobe")
                .chain(example.split_whitespace())
                .map(|w| w.trim_matches('\''));
            let parsed = Cli::command().try_get_matches_from(words);
            assert!(parsed.is_ok(), "pathprobe {example}: {parsed:?}");
        }
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
