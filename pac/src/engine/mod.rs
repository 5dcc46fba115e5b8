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
use boa_engine::{Context, JsError, JsString, JsValue, NativeFunction, Script, Source};
use serde::{Deserialize, Serialize};

mod error;
mod natives;

pub use self::error::{PacError, PacErrorKind};
use self::natives::{EvalState, Host, NATIVE_HELPERS, reset_state, set_deadline, take_state};
use crate::clock::{PacClock, SystemClock};
use crate::helpers::ShExpMatcher;
use crate::myip;
use crate::resolver::Resolve;
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

/// The longest answer of `FindProxyForURL` read as a route list.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

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
    /// Messages the script passed to `alert()`, the first
    /// 1,000.
    pub alerts: Vec<String>,
    /// Alerts past those, counted, not kept.
    #[serde(default)]
    pub more_alerts: usize,
    /// DNS lookups the helpers made, in order, first lookup of each name
    /// only; at most [`MAX_RECORDED_LOOKUPS`].
    pub lookups: Vec<DnsLookup>,
    /// Lookups made past [`MAX_RECORDED_LOOKUPS`], counted, not kept.
    #[serde(default)]
    pub more_lookups: usize,
    /// Wall-clock time of the evaluation.
    pub elapsed: Duration,
}

/// Lookups one evaluation records: a script asking for 100,000 names is
/// told by its count, not by a 38 MB table.
pub const MAX_RECORDED_LOOKUPS: usize = 100;

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
        // boa stops reading at a NUL and says "abrupt end" at line 1.
        if let Some((line, column)) = nul_at(source) {
            return Err(engine.error(PacErrorKind::Syntax {
                line,
                column,
                message: NUL_MESSAGE.into(),
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
            alerts: Vec::new(),
            more_alerts: 0,
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
        let natives::Taken {
            alerts,
            more_alerts,
            lookups,
            more_lookups,
        } = take_state(&loaded.context);
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
        let with_alerts = |mut e: PacError| {
            e.alerts.clone_from(&alerts);
            e.more_alerts = more_alerts;
            e
        };
        let value = result.map_err(|e| with_alerts(self.run_error(&label, e)))?;
        let raw = match value.as_string() {
            Some(s) => s.to_std_string_escaped(),
            None => {
                return Err(with_alerts(self.error(PacErrorKind::NotAString {
                    function: entry,
                    line: entry_line,
                    // typeof null is "object": the script returned null.
                    found: if value.is_null() {
                        "null".to_owned()
                    } else {
                        value.type_of().to_string()
                    },
                })));
            }
        };
        // A route list is a few entries; an answer this long is a script
        // gone wrong, and would be carried whole into every report.
        if raw.len() > MAX_ANSWER_BYTES {
            return Err(with_alerts(self.error(PacErrorKind::NoRoute {
                function: entry,
                line: entry_line,
                reason: format!(
                    "the answer is {} bytes long; no route list comes near {MAX_ANSWER_BYTES}",
                    raw.len()
                ),
                raw: pathprobe_files::quote::excerpt(&raw, 200),
            })));
        }
        let parsed = parse_pac_result(&raw).map_err(|e| {
            with_alerts(self.error(PacErrorKind::NoRoute {
                function: entry,
                line: entry_line,
                raw: raw.clone(),
                reason: match e {
                    RouteError::Empty => "the answer is empty".into(),
                    other => other.to_string(),
                },
            }))
        })?;
        Ok(Evaluation {
            url,
            host,
            entry_point: entry,
            raw,
            parsed,
            alerts,
            more_alerts,
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
            Poll::Ready(result) => {
                return result.map_err(|e| RunError::Js(stack_words(&e.to_string())));
            }
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
    let (said, at) = match located {
        Some((at, line, column)) => (message.get(..at).unwrap_or(&message), Some((line, column))),
        None => (message.as_str(), None),
    };
    let said = said
        .trim_start_matches("SyntaxError: ")
        .trim_end_matches(" (native)")
        .trim();
    // boa places these two at the script's start (round 20: "line 1,
    // column 1: abrupt end (native)"): the end of the text, and the quote
    // that opens the string, are where they are.
    let (line, column) = match said {
        "abrupt end" => end_of(source),
        "unterminated string literal" => unclosed_string(source)
            .or(at)
            .unwrap_or_else(|| end_of(source)),
        _ => at.unwrap_or_else(|| end_of(source)),
    };
    PacErrorKind::Syntax {
        line,
        column,
        message: parser_words(said),
    }
}

/// An exception's text with its stack as the script's author reads it:
/// frames of the engine's own code (the built-in helpers, the call that
/// starts an evaluation: "unknown at :121:11") left out, and a frame
/// repeated by a recursion said once with its count (round 20: fifty
/// identical lines).
fn stack_words(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut last: Option<(String, usize)> = None;
    let flush = |out: &mut Vec<String>, last: &mut Option<(String, usize)>| {
        if let Some((frame, times)) = last.take() {
            out.push(if times > 1 {
                format!("{frame} (and {} more times)", times - 1)
            } else {
                frame
            });
        }
    };
    for line in text.lines() {
        let frame = line.trim_start();
        if frame.starts_with("at ") {
            if frame.contains("(unknown at ") {
                continue;
            }
            match &mut last {
                Some((seen, times)) if seen == line => *times += 1,
                _ => {
                    flush(&mut out, &mut last);
                    last = Some((line.to_owned(), 1));
                }
            }
            continue;
        }
        flush(&mut out, &mut last);
        out.push(line.to_owned());
    }
    flush(&mut out, &mut last);
    out.join("\n")
}

/// The parser's phrase in a reader's words, where it names its own
/// workings ("abrupt end", "Expecting Token '.' as part of spread").
fn parser_words(said: &str) -> String {
    match said {
        "abrupt end" => "the script ends before a bracket, brace or string closes".to_owned(),
        "unterminated string literal" => {
            "a string opens here and does not close on its line".to_owned()
        }
        _ if said.starts_with("Expecting Token") || said.starts_with("expected token") => {
            "unexpected text here: it breaks JavaScript's grammar".to_owned()
        }
        _ => said.to_owned(),
    }
}

/// The 1-based line and column just past the script's last character.
fn end_of(source: &str) -> (u32, u32) {
    position_after(source.trim_end())
}

/// The 1-based line and column of the character that follows `before`.
fn position_after(before: &str) -> (u32, u32) {
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Where the first string that never closes opens (1-based line and
/// column): a quote whose line ends, or whose text ends, before its match.
/// Comments are skipped; a template literal may span lines.
fn unclosed_string(source: &str) -> Option<(u32, u32)> {
    let (mut line, mut column) = (1u32, 0u32);
    let mut open: Option<(char, u32, u32)> = None;
    let mut chars = source.chars().peekable();
    let mut escaped = false;
    while let Some(c) = chars.next() {
        if c == '\n' {
            if let Some((quote, l, col)) = open
                && quote != '`'
                && !escaped
            {
                return Some((l, col));
            }
            line += 1;
            column = 0;
            escaped = false;
            continue;
        }
        column += 1;
        match open {
            Some((quote, ..)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == quote {
                    open = None;
                }
            }
            None => match c {
                '"' | '\'' | '`' => open = Some((c, line, column)),
                '/' if chars.peek() == Some(&'/') => {
                    // A line comment: to the end of its line.
                    while chars.peek().is_some_and(|n| *n != '\n') {
                        chars.next();
                    }
                }
                '/' if chars.peek() == Some(&'*') => {
                    chars.next();
                    column += 1;
                    let mut last = ' ';
                    for n in chars.by_ref() {
                        if n == '\n' {
                            line += 1;
                            column = 0;
                        } else {
                            column += 1;
                        }
                        if last == '*' && n == '/' {
                            break;
                        }
                        last = n;
                    }
                }
                _ => {}
            },
        }
    }
    open.map(|(_, l, col)| (l, col))
}

/// What a NUL in a script is called.
pub(crate) const NUL_MESSAGE: &str = "a NUL character (U+0000): the file is binary or damaged here";

/// Where the first NUL of `source` is (1-based line and column), if any.
pub(crate) fn nul_at(source: &str) -> Option<(u32, u32)> {
    let at = source.find('\0')?;
    Some(position_after(source.get(..at).unwrap_or_default()))
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
