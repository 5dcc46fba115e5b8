//! The PAC engine: a sandboxed JavaScript context that answers `FindProxyForURL`.
//!
//! One [`PacEngine`] holds one compiled script and evaluates it for many URLs.
//! The script gets the standard helpers and nothing else: boa has no file,
//! network or timer objects unless a host adds them, and this host adds only
//! the helpers. Runaway scripts are stopped by a loop-iteration limit, a
//! recursion limit and a wall-clock deadline that is checked while the script
//! runs (boa's budgeted evaluation yields back to us every few thousand
//! instructions).

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use boa_engine::context::time::JsInstant;
use boa_engine::context::{Clock, HostHooks};
use boa_engine::vm::RuntimeLimits;
use boa_engine::{Context, JsError, JsResult, JsString, JsValue, NativeFunction, Script, Source};
use serde::{Deserialize, Serialize};

use crate::clock::{PacClock, SystemClock};
use crate::helpers::{self, ShExpMatcher};
use crate::myip;
use crate::resolver::{LookupError, Resolve};
use crate::route::{ParsedRoutes, RouteError, parse_pac_result};

/// Which URL the script is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlMode {
    /// What browsers pass: for `https:` and `wss:` only `scheme://host:port/`,
    /// for other schemes the URL without credentials and fragment.
    #[default]
    Stripped,
    /// The whole URL (without credentials), as WinHTTP-style clients pass it.
    Full,
}

/// Limits and inputs of an engine. [`PacOptions::default`] suits a PAC fetched
/// from an untrusted network.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PacOptions {
    /// Largest script accepted, in bytes.
    pub max_script_bytes: usize,
    /// Wall-clock limit for loading the script and for each evaluation,
    /// DNS lookups included.
    pub eval_timeout: Duration,
    /// Limit for one DNS lookup made by a helper.
    pub dns_timeout: Duration,
    /// Iterations one loop may run before the script is stopped.
    pub loop_iteration_limit: u64,
    /// Nested calls before the script is stopped.
    pub recursion_limit: usize,
    /// Most VM instructions one evaluation may run (a hard bound that holds
    /// even where the deadline cannot be checked, e.g. inside callbacks run by
    /// built-in functions). Evaluations start with between half and all of it.
    pub instruction_budget: u64,
    /// Which URL `FindProxyForURL` receives.
    pub url_mode: UrlMode,
    /// What `myIpAddress`/`myIpAddressEx` return; `None` asks the routing table.
    pub my_ip: Option<Vec<IpAddr>>,
}

impl Default for PacOptions {
    fn default() -> Self {
        Self {
            max_script_bytes: 8 * 1024 * 1024,
            eval_timeout: Duration::from_secs(5),
            dns_timeout: Duration::from_secs(2),
            loop_iteration_limit: 10_000_000,
            recursion_limit: 400,
            instruction_budget: 400_000_000,
            url_mode: UrlMode::Stripped,
            my_ip: None,
        }
    }
}

/// Which function answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryPoint {
    /// The Netscape entry point.
    FindProxyForURL,
    /// Microsoft's IPv6-aware entry point, preferred when a script defines it.
    FindProxyForURLEx,
}

impl std::fmt::Display for EntryPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl EntryPoint {
    /// The function's name as the script spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::FindProxyForURL => "FindProxyForURL",
            Self::FindProxyForURLEx => "FindProxyForURLEx",
        }
    }
}

/// One DNS lookup a helper made during an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsLookup {
    /// The name asked for.
    pub host: String,
    /// The addresses, or why there were none.
    pub outcome: Result<Vec<IpAddr>, String>,
    /// How long the lookup took (zero when answered from the evaluation's cache).
    pub elapsed: Duration,
}

/// The answer for one URL, with everything that led to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evaluation {
    /// The URL string the script received.
    pub url: String,
    /// The host string the script received.
    pub host: String,
    /// The function that answered.
    pub entry_point: EntryPoint,
    /// What the function returned.
    pub raw: String,
    /// The routes, in order, with warnings for entries that could not be used.
    pub parsed: ParsedRoutes,
    /// Messages the script passed to `alert()`.
    pub alerts: Vec<String>,
    /// DNS lookups the helpers made, in order, first lookup of each name
    /// only; at most [`MAX_RECORDED_LOOKUPS`].
    pub lookups: Vec<DnsLookup>,
    /// Lookups made past [`MAX_RECORDED_LOOKUPS`], counted, not kept.
    #[serde(default)]
    pub more_lookups: usize,
    /// Wall-clock time of the evaluation.
    pub elapsed: Duration,
}

/// What went wrong, without the script's name (see [`PacError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PacErrorKind {
    /// The script is larger than [`PacOptions::max_script_bytes`].
    #[error("the script is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the script.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The script nests deeper than the engine accepts.
    #[error(
        "line {line}, column {column}: the script nests too deeply (more than {limit} levels of brackets and operators); no real PAC script comes near this"
    )]
    TooDeep {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The limit.
        limit: usize,
    },
    /// The script is not valid JavaScript.
    #[error("syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The parser's message.
        message: String,
    },
    /// Neither `FindProxyForURL` nor `FindProxyForURLEx` is a function.
    #[error("the script defines no FindProxyForURL function")]
    NoEntryPoint,
    /// The script threw, while loading or while answering.
    #[error("{context} threw: {message}")]
    Exception {
        /// Where: "loading the script" or the function and URL.
        context: String,
        /// The exception as the script would print it.
        message: String,
    },
    /// A loop or recursion limit stopped the script.
    #[error("{context} was stopped: {message}")]
    LimitExceeded {
        /// Where it happened.
        context: String,
        /// Which limit.
        message: String,
    },
    /// The deadline passed before the script finished.
    #[error("{context} did not finish within {limit:?}")]
    Timeout {
        /// Where it happened.
        context: String,
        /// The limit that was exceeded.
        limit: Duration,
    },
    /// The function returned something other than a string.
    #[error("{function} (line {line}) returned {found}, not a string")]
    NotAString {
        /// The function.
        function: EntryPoint,
        /// Line of its definition.
        line: u32,
        /// The JavaScript type returned.
        found: String,
    },
    /// The function returned a string with no usable route.
    #[error("{function} (line {line}) returned {raw:?}: {reason}")]
    NoRoute {
        /// The function.
        function: EntryPoint,
        /// Line of its definition.
        line: u32,
        /// The string returned.
        raw: String,
        /// Why nothing in it could be used.
        reason: String,
    },
    /// The URL to evaluate could not be parsed.
    #[error("{url:?} is not a URL: {reason}")]
    BadUrl {
        /// The text given.
        url: String,
        /// The parser's reason.
        reason: String,
    },
    /// The script needed more memory than its worker process may use (see
    /// [`crate::PacWorker`]).
    #[error("{context} needed more than {} MiB of memory and was stopped", limit / (1024 * 1024))]
    MemoryExceeded {
        /// Where it happened.
        context: String,
        /// The worker's memory limit in bytes.
        limit: u64,
    },
    /// The worker process running the script failed for another reason.
    #[error("{context}: the PAC worker process failed: {reason}")]
    WorkerFailed {
        /// Where it happened.
        context: String,
        /// What was seen: exit status, last words on stderr.
        reason: String,
    },
    /// The script was stopped so often that it is not run again this time.
    #[error("not evaluated: the script was stopped {stops} times already (last: {last})")]
    GaveUp {
        /// How many times it was stopped (timeouts, memory, crashes).
        stops: u32,
        /// The last of those failures.
        last: String,
    },
}

/// A PAC failure, naming the script it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("PAC {script}: {kind}")]
pub struct PacError {
    /// The script's name (its path or URL).
    pub script: String,
    /// What went wrong.
    pub kind: PacErrorKind,
}

/// Lookups one evaluation records: a script asking for 100,000 names is
/// told by its count, not by a 38 MB table.
pub const MAX_RECORDED_LOOKUPS: usize = 100;

/// Per-evaluation state the native helpers read and write.
#[derive(Debug, Default)]
struct EvalState {
    cache: HashMap<String, Result<Vec<IpAddr>, LookupError>>,
    lookups: Vec<DnsLookup>,
    more_lookups: usize,
    alerts: Vec<String>,
    deadline: Option<Instant>,
}

/// What the helpers need from the host; lives in the boa context.
#[derive(Debug)]
struct Host {
    resolver: Arc<dyn Resolve>,
    dns_timeout: Duration,
    my_ip: Vec<IpAddr>,
    state: RefCell<EvalState>,
    shexp: RefCell<ShExpMatcher>,
}

/// Feeds the injected clock to boa's `Date`.
struct ClockBridge(Arc<dyn PacClock>, Instant);

impl Clock for ClockBridge {
    fn now(&self) -> JsInstant {
        let elapsed = self.1.elapsed();
        JsInstant::new(elapsed.as_secs(), elapsed.subsec_nanos())
    }
    fn system_time_millis(&self) -> i64 {
        self.0.now().as_millisecond()
    }
}

/// Gives boa the injected time zone and refuses large buffers.
struct Hooks(Arc<dyn PacClock>);

impl HostHooks for Hooks {
    fn local_timezone_offset_seconds(&self, unix_time_seconds: i64) -> i32 {
        let at =
            jiff::Timestamp::from_second(unix_time_seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.0.time_zone().to_offset(at).seconds()
    }
    fn max_buffer_size(&self, _context: &mut Context) -> u64 {
        // A PAC has no use for binary buffers; keep a hostile one small.
        16 * 1024 * 1024
    }
}

/// A loaded PAC script, ready to answer for many URLs.
///
/// Not `Send`: the JavaScript context belongs to the thread that made it. Run
/// one engine per worker thread.
pub struct PacEngine {
    name: String,
    source: Rc<str>,
    options: PacOptions,
    resolver: Arc<dyn Resolve>,
    clock: Arc<dyn PacClock>,
    /// `None` after a timeout left the context mid-run; rebuilt on next use.
    loaded: Option<Loaded>,
}

struct Loaded {
    context: Context,
    call: Script,
    entry: EntryPoint,
    entry_line: u32,
}

impl std::fmt::Debug for PacEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacEngine")
            .field("name", &self.name)
            .field("bytes", &self.source.len())
            .field("entry_point", &self.loaded.as_ref().map(|l| l.entry))
            .finish_non_exhaustive()
    }
}

/// How many VM "cycles" run between two deadline checks.
const BUDGET: u32 = 20_000;

/// The native helpers: name, arity, function.
const NATIVE_HELPERS: &[(
    &str,
    usize,
    boa_engine::native_function::NativeFunctionPointer,
)] = &[
    ("isPlainHostName", 1, is_plain_host_name),
    ("dnsDomainIs", 2, dns_domain_is),
    ("localHostOrDomainIs", 2, local_host_or_domain_is),
    ("dnsDomainLevels", 1, dns_domain_levels),
    ("shExpMatch", 2, sh_exp_match),
    ("convert_addr", 1, convert_addr),
    ("isInNet", 3, is_in_net),
    ("dnsResolve", 1, dns_resolve),
    ("isResolvable", 1, is_resolvable),
    ("myIpAddress", 0, my_ip_address),
    ("alert", 1, alert),
    ("isInNetEx", 2, is_in_net_ex),
    ("dnsResolveEx", 1, dns_resolve_ex),
    ("isResolvableEx", 1, is_resolvable_ex),
    ("myIpAddressEx", 0, my_ip_address_ex),
    ("sortIpAddressList", 1, sort_ip_address_list),
    ("getClientVersion", 0, get_client_version),
];

impl PacEngine {
    /// Loads a script with the system clock. `name` is how errors refer to it.
    pub fn new(
        name: &str,
        source: &str,
        options: PacOptions,
        resolver: Arc<dyn Resolve>,
    ) -> Result<Self, PacError> {
        Self::with_clock(name, source, options, resolver, Arc::new(SystemClock))
    }

    /// Loads a script with a given clock (tests, `pac eval --at`).
    pub fn with_clock(
        name: &str,
        source: &str,
        options: PacOptions,
        resolver: Arc<dyn Resolve>,
        clock: Arc<dyn PacClock>,
    ) -> Result<Self, PacError> {
        let mut engine = Self {
            name: name.to_owned(),
            source: Rc::from(source),
            options,
            resolver,
            clock,
            loaded: None,
        };
        if source.len() > engine.options.max_script_bytes {
            return Err(engine.error(PacErrorKind::TooLarge {
                size: source.len(),
                limit: engine.options.max_script_bytes,
            }));
        }
        // boa recurses once per level: a script that nests past what its
        // thread's stack holds would abort the process, not fail.
        if let Some(deep) = crate::nesting::check(source, crate::nesting::MAX_DEPTH) {
            return Err(engine.error(PacErrorKind::TooDeep {
                line: deep.line,
                column: deep.column,
                limit: crate::nesting::MAX_DEPTH,
            }));
        }
        engine.loaded = Some(engine.load()?);
        Ok(engine)
    }

    /// The script's name, as given when loading.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The script's text.
    pub fn source(&self) -> &str {
        &self.source
    }

    fn error(&self, kind: PacErrorKind) -> PacError {
        PacError {
            script: self.name.clone(),
            kind,
        }
    }

    fn load(&self) -> Result<Loaded, PacError> {
        let clock = self.clock.clone();
        let budget = usize::try_from(self.options.instruction_budget).unwrap_or(usize::MAX);
        let mut context = Context::builder()
            .instructions_remaining(budget)
            .clock(Rc::new(ClockBridge(clock.clone(), Instant::now())))
            .host_hooks(Rc::new(Hooks(clock)))
            .build()
            .map_err(|e| {
                self.error(PacErrorKind::Exception {
                    context: "starting the JavaScript engine".into(),
                    message: e.to_string(),
                })
            })?;
        let mut limits = RuntimeLimits::default();
        limits.set_loop_iteration_limit(self.options.loop_iteration_limit);
        limits.set_recursion_limit(self.options.recursion_limit);
        context.set_runtime_limits(limits);

        let my_ip = self
            .options
            .my_ip
            .clone()
            .filter(|ips| !ips.is_empty())
            .unwrap_or_else(myip::local_addresses);
        context.insert_data(Host {
            resolver: self.resolver.clone(),
            dns_timeout: self.options.dns_timeout,
            my_ip,
            state: RefCell::new(EvalState::default()),
            shexp: RefCell::new(ShExpMatcher::default()),
        });
        for (name, arity, function) in NATIVE_HELPERS {
            context
                .register_global_builtin_callable(
                    JsString::from(*name),
                    *arity,
                    NativeFunction::from_fn_ptr(*function),
                )
                .map_err(|e| self.exception("registering the helpers", &e))?;
        }

        let deadline = Instant::now() + self.options.eval_timeout;
        let prelude = Script::parse(
            Source::from_bytes(include_str!("prelude.js")),
            None,
            &mut context,
        )
        .map_err(|e| self.exception("parsing the built-in helpers", &e))?;
        run_until(&prelude, &mut context, deadline)
            .map_err(|e| self.run_error("loading the built-in helpers", e))?;

        let script = Script::parse(
            Source::from_bytes(self.source.as_bytes()).with_path(Path::new(&self.name)),
            None,
            &mut context,
        )
        .map_err(|e| self.error(syntax_error(&e, &self.source)))?;
        set_deadline(&context, Some(deadline));
        let loaded = run_until(&script, &mut context, deadline);
        set_deadline(&context, None);
        loaded.map_err(|e| self.run_error("loading the script", e))?;

        let entry = [EntryPoint::FindProxyForURLEx, EntryPoint::FindProxyForURL]
            .into_iter()
            .find(|entry| is_function(&mut context, entry.name()))
            .ok_or_else(|| self.error(PacErrorKind::NoEntryPoint))?;
        let call_text = format!("{}(__pathprobe_url, __pathprobe_host)", entry.name());
        let call = Script::parse(Source::from_bytes(call_text.as_bytes()), None, &mut context)
            .map_err(|e| self.exception("preparing the call", &e))?;
        Ok(Loaded {
            context,
            call,
            entry,
            entry_line: definition_line(&self.source, entry.name()),
        })
    }

    fn exception(&self, context: &str, error: &JsError) -> PacError {
        self.error(PacErrorKind::Exception {
            context: context.to_owned(),
            message: error.to_string(),
        })
    }

    fn run_error(&self, context: &str, error: RunError) -> PacError {
        self.error(match error {
            RunError::Timeout => PacErrorKind::Timeout {
                context: context.to_owned(),
                limit: self.options.eval_timeout,
            },
            RunError::Js(message)
                if message.starts_with("RuntimeLimitError")
                    || message.starts_with("NoInstructionsRemainError") =>
            {
                PacErrorKind::LimitExceeded {
                    context: context.to_owned(),
                    message,
                }
            }
            RunError::Js(message) => PacErrorKind::Exception {
                context: context.to_owned(),
                message,
            },
        })
    }

    /// The function that answers (`FindProxyForURLEx` when the script has it).
    pub fn entry_point(&self) -> Option<EntryPoint> {
        self.loaded.as_ref().map(|l| l.entry)
    }

    /// Asks the script which routes apply to `url`. `host` overrides the host
    /// passed to the script (pactester's `-h`); by default it is the URL's.
    pub fn find_proxy(&mut self, url: &str, host: Option<&str>) -> Result<Evaluation, PacError> {
        let (url_arg, host_arg) =
            script_arguments(url, self.options.url_mode).map_err(|reason| {
                self.error(PacErrorKind::BadUrl {
                    url: url.to_owned(),
                    reason,
                })
            })?;
        let host_arg = host.map_or(host_arg, pathprobe_host::key);
        self.evaluate(url_arg, host_arg)
    }

    /// Calls the entry point with exactly these arguments, no URL processing.
    pub fn evaluate(&mut self, url: String, host: String) -> Result<Evaluation, PacError> {
        let half_budget = self.options.instruction_budget / 2;
        let loaded = match self.loaded.take() {
            // A context that has used half its budget is replaced, so every
            // evaluation can run at least half the budget before being stopped.
            Some(loaded)
                if u64::try_from(loaded.context.instructions_remaining()).unwrap_or(u64::MAX)
                    >= half_budget =>
            {
                loaded
            }
            _ => self.load()?,
        };
        let mut loaded = loaded;
        let started = Instant::now();
        let deadline = started + self.options.eval_timeout;
        let label = format!("{} for {url}", loaded.entry.name());

        reset_state(&loaded.context, Some(deadline));
        let global = loaded.context.global_object();
        let set = global
            .set(
                JsString::from("__pathprobe_url"),
                JsValue::from(JsString::from(url.as_str())),
                false,
                &mut loaded.context,
            )
            .and_then(|_| {
                global.set(
                    JsString::from("__pathprobe_host"),
                    JsValue::from(JsString::from(host.as_str())),
                    false,
                    &mut loaded.context,
                )
            });
        if let Err(e) = set {
            self.loaded = Some(loaded);
            return Err(self.exception("passing the URL", &e));
        }

        let result = run_until(&loaded.call, &mut loaded.context, deadline);
        let elapsed = started.elapsed();
        let (alerts, lookups, more_lookups) = take_state(&loaded.context);
        let entry = loaded.entry;
        let entry_line = loaded.entry_line;
        match &result {
            // A timed-out run leaves boa mid-frame; start afresh next time.
            Err(RunError::Timeout) => {}
            _ => self.loaded = Some(loaded),
        }
        for alert in &alerts {
            tracing::info!(script = %self.name, "alert: {alert}");
        }
        let value = result.map_err(|e| self.run_error(&label, e))?;
        let raw = match value.as_string() {
            Some(s) => s.to_std_string_escaped(),
            None => {
                return Err(self.error(PacErrorKind::NotAString {
                    function: entry,
                    line: entry_line,
                    found: value.type_of().to_string(),
                }));
            }
        };
        let parsed = parse_pac_result(&raw).map_err(|e| {
            self.error(PacErrorKind::NoRoute {
                function: entry,
                line: entry_line,
                raw: raw.clone(),
                reason: match e {
                    RouteError::Empty => "the answer is empty".into(),
                    other => other.to_string(),
                },
            })
        })?;
        Ok(Evaluation {
            url,
            host,
            entry_point: entry,
            raw,
            parsed,
            alerts,
            lookups,
            more_lookups,
            elapsed,
        })
    }
}

/// Why a run stopped early.
enum RunError {
    Timeout,
    Js(String),
}

/// Runs a script, checking the deadline every [`BUDGET`] cycles.
fn run_until(
    script: &Script,
    context: &mut Context,
    deadline: Instant,
) -> Result<JsValue, RunError> {
    let future = script.evaluate_async_with_budget(context, BUDGET);
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(Waker::noop());
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(result) => return result.map_err(|e| RunError::Js(e.to_string())),
            Poll::Pending if Instant::now() >= deadline => return Err(RunError::Timeout),
            Poll::Pending => {}
        }
    }
}

fn is_function(context: &mut Context, name: &str) -> bool {
    context
        .global_object()
        .get(JsString::from(name), context)
        .ok()
        .and_then(|v| v.as_object())
        .is_some_and(|o| o.is_callable())
}

/// The line where `function name` is defined, for error messages (0 if the
/// function was made some other way).
fn definition_line(source: &str, name: &str) -> u32 {
    let needle = format!("function {name}");
    source
        .lines()
        .position(|line| {
            line.find(&needle).is_some_and(|at| {
                !line
                    .get(at + needle.len()..)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .and_then(|i| u32::try_from(i + 1).ok())
        .unwrap_or(0)
}

/// Turns the parser's message into a located syntax error.
fn syntax_error(error: &JsError, source: &str) -> PacErrorKind {
    let message = error.to_string();
    let located = message.rfind(" at line ").and_then(|at| {
        let rest = message.get(at + " at line ".len()..)?;
        let (line, col) = rest.split_once(", col ")?;
        let col: String = col.chars().take_while(char::is_ascii_digit).collect();
        Some((at, line.trim().parse().ok()?, col.parse().ok()?))
    });
    match located {
        Some((at, line, column)) => PacErrorKind::Syntax {
            line,
            column,
            message: message
                .get(..at)
                .unwrap_or(&message)
                .trim_start_matches("SyntaxError: ")
                .to_owned(),
        },
        None => PacErrorKind::Syntax {
            // "abrupt end" and the like: the problem is at the end of the text.
            line: u32::try_from(source.lines().count().max(1)).unwrap_or(u32::MAX),
            column: 1,
            message: message.trim_start_matches("SyntaxError: ").to_owned(),
        },
    }
}

/// The (url, host) pair a browser would pass for `url`.
pub fn script_arguments(url: &str, mode: UrlMode) -> Result<(String, String), String> {
    let mut parsed = url::Url::parse(url.trim()).map_err(|e| e.to_string())?;
    let host = parsed
        .host_str()
        .map(pathprobe_host::key)
        .ok_or_else(|| "it has no host".to_owned())?;
    // Credentials never reach a script (nor a log that echoes its input).
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    parsed.set_fragment(None);
    if mode == UrlMode::Stripped && matches!(parsed.scheme(), "https" | "wss") {
        parsed.set_path("/");
        parsed.set_query(None);
    }
    Ok((parsed.to_string(), host))
}

fn host_of(context: &Context) -> JsResult<&Host> {
    context.get_data::<Host>().ok_or_else(|| {
        boa_engine::JsNativeError::error()
            .with_message("pathprobe host state missing")
            .into()
    })
}

fn set_deadline(context: &Context, deadline: Option<Instant>) {
    if let Some(host) = context.get_data::<Host>() {
        host.state.borrow_mut().deadline = deadline;
    }
}

fn reset_state(context: &Context, deadline: Option<Instant>) {
    if let Some(host) = context.get_data::<Host>() {
        *host.state.borrow_mut() = EvalState {
            deadline,
            ..EvalState::default()
        };
    }
}

fn take_state(context: &Context) -> (Vec<String>, Vec<DnsLookup>, usize) {
    match context.get_data::<Host>() {
        Some(host) => {
            let mut state = host.state.borrow_mut();
            (
                std::mem::take(&mut state.alerts),
                std::mem::take(&mut state.lookups),
                std::mem::take(&mut state.more_lookups),
            )
        }
        None => (Vec::new(), Vec::new(), 0),
    }
}

fn arg_string(args: &[JsValue], index: usize, context: &mut Context) -> JsResult<String> {
    let value = args.get(index).cloned().unwrap_or_default();
    Ok(value.to_string(context)?.to_std_string_escaped())
}

fn js_str(text: &str) -> JsValue {
    JsValue::from(JsString::from(text))
}

/// Resolves through the host's resolver, once per name per evaluation, within
/// both the lookup timeout and what is left of the evaluation's deadline.
fn resolve(context: &Context, host_name: &str) -> JsResult<Result<Vec<IpAddr>, LookupError>> {
    let host = host_of(context)?;
    if let Some(ip) = helpers::address_literal(host_name) {
        return Ok(Ok(vec![ip]));
    }
    let key = host_name.to_ascii_lowercase();
    let deadline = {
        let state = host.state.borrow();
        if let Some(hit) = state.cache.get(&key) {
            return Ok(hit.clone());
        }
        state.deadline
    };
    let mut timeout = host.dns_timeout;
    if let Some(deadline) = deadline {
        timeout = timeout.min(deadline.saturating_duration_since(Instant::now()));
    }
    let started = Instant::now();
    let outcome = if timeout.is_zero() {
        Err(LookupError::Timeout(timeout))
    } else {
        host.resolver.lookup(&key, timeout)
    };
    let mut state = host.state.borrow_mut();
    if state.lookups.len() < MAX_RECORDED_LOOKUPS {
        state.lookups.push(DnsLookup {
            host: key.clone(),
            outcome: outcome.clone().map_err(|e| e.to_string()),
            elapsed: started.elapsed(),
        });
    } else {
        state.more_lookups += 1;
    }
    state.cache.insert(key, outcome.clone());
    Ok(outcome)
}

fn is_plain_host_name(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    Ok(helpers::is_plain_host_name(&arg_string(args, 0, context)?).into())
}

fn dns_domain_is(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = arg_string(args, 0, context)?;
    let domain = arg_string(args, 1, context)?;
    Ok(helpers::dns_domain_is(&host, &domain).into())
}

fn local_host_or_domain_is(
    _: &JsValue,
    args: &[JsValue],
    context: &mut Context,
) -> JsResult<JsValue> {
    let host = arg_string(args, 0, context)?;
    let hostdom = arg_string(args, 1, context)?;
    Ok(helpers::local_host_or_domain_is(&host, &hostdom).into())
}

fn dns_domain_levels(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let levels = helpers::dns_domain_levels(&arg_string(args, 0, context)?);
    Ok(JsValue::from(u32::try_from(levels).unwrap_or(u32::MAX)))
}

fn sh_exp_match(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let text = arg_string(args, 0, context)?;
    let pattern = arg_string(args, 1, context)?;
    let host = host_of(context)?;
    let matched = host.shexp.borrow_mut().matches(&text, &pattern);
    matched
        .map(JsValue::from)
        .map_err(|e| boa_engine::JsNativeError::syntax().with_message(e.0).into())
}

/// `convert_addr` with JavaScript's own conversions: each dotted part goes
/// through ToNumber and ToInt32, so `"0x10"` is 16 and junk is 0.
fn dotted_to_int32(text: &str, context: &mut Context) -> JsResult<i32> {
    let mut parts = text.split('.');
    let mut out: i32 = 0;
    for shift in [24u32, 16, 8, 0] {
        let byte = match parts.next() {
            Some(part) => js_str(part).to_i32(context)? & 0xff,
            None => 0,
        };
        out |= byte.wrapping_shl(shift);
    }
    Ok(out)
}

fn convert_addr(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let text = arg_string(args, 0, context)?;
    Ok(JsValue::from(dotted_to_int32(&text, context)?))
}

fn is_in_net(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = arg_string(args, 0, context)?;
    let pattern = arg_string(args, 1, context)?;
    let mask = arg_string(args, 2, context)?;
    let address = match helpers::dotted_quad(&host) {
        Some(Some(_)) => host,
        Some(None) => return Ok(false.into()),
        None => match resolve(context, &host)? {
            Ok(addrs) => match helpers::first_ipv4(&addrs) {
                Some(ip) => ip.to_string(),
                None => return Ok(false.into()),
            },
            Err(_) => return Ok(false.into()),
        },
    };
    // A network or mask that is not dotted numbers (a CIDR, a missing mask
    // read as "undefined") matches nothing, as in Chromium: read as zero,
    // the mask made every address match.
    // (Short forms such as "255.0" read as pacparser reads them.)
    let dotted = |t: &str| {
        let parts: Vec<&str> = t.split('.').collect();
        (1..=4).contains(&parts.len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    if !dotted(&pattern) || !dotted(&mask) {
        return Ok(false.into());
    }
    let address = dotted_to_int32(&address, context)?;
    let pattern = dotted_to_int32(&pattern, context)?;
    let mask = dotted_to_int32(&mask, context)?;
    Ok((address & mask == pattern & mask).into())
}

fn dns_resolve(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let name = arg_string(args, 0, context)?;
    Ok(match resolve(context, &name)? {
        Ok(addrs) => match helpers::first_ipv4(&addrs) {
            Some(ip) => js_str(&ip.to_string()),
            None => JsValue::null(),
        },
        Err(_) => JsValue::null(),
    })
}

fn is_resolvable(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let name = arg_string(args, 0, context)?;
    let ok = resolve(context, &name)?
        .ok()
        .is_some_and(|addrs| helpers::first_ipv4(&addrs).is_some());
    Ok(ok.into())
}

fn my_ip_address(_: &JsValue, _: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = host_of(context)?;
    let ip = helpers::first_ipv4(&host.my_ip)
        .or_else(|| host.my_ip.first().copied())
        .map_or_else(|| "127.0.0.1".to_owned(), |ip| ip.to_string());
    Ok(js_str(&ip))
}

fn alert(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let message = arg_string(args, 0, context)?;
    let host = host_of(context)?;
    let mut state = host.state.borrow_mut();
    // A script alerting in a loop must not grow memory without bound.
    if state.alerts.len() < 1000 {
        state.alerts.push(message.chars().take(2000).collect());
    }
    Ok(JsValue::undefined())
}

fn is_in_net_ex(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let address = arg_string(args, 0, context)?;
    let prefix = arg_string(args, 1, context)?;
    Ok(helpers::is_in_net_ex(&address, &prefix).into())
}

fn dns_resolve_ex(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let name = arg_string(args, 0, context)?;
    Ok(match resolve(context, &name)? {
        Ok(addrs) => js_str(&helpers::join_addresses(&addrs)),
        Err(_) => js_str(""),
    })
}

fn is_resolvable_ex(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let name = arg_string(args, 0, context)?;
    Ok(resolve(context, &name)?.is_ok_and(|a| !a.is_empty()).into())
}

fn my_ip_address_ex(_: &JsValue, _: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = host_of(context)?;
    Ok(js_str(&helpers::join_addresses(&host.my_ip)))
}

fn sort_ip_address_list(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let list = arg_string(args, 0, context)?;
    Ok(match helpers::sort_ip_address_list(&list) {
        Some(sorted) => js_str(&sorted),
        None => false.into(),
    })
}

fn get_client_version(_: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(js_str("1.0"))
}
