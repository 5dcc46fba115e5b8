//! Running a PAC script in a worker process with a memory limit.
//!
//! The engine's loop, recursion and instruction limits and its deadline stop
//! scripts that *compute* too long, but not one that *allocates* without bound:
//! `s = s + s` in a loop doubles a string with a handful of instructions, and
//! `new Array(1e9).fill(0)` is one call. Nothing inside the process can refuse
//! such an allocation gracefully (Rust aborts when memory runs out), so a PAC
//! from the network runs in a child process whose address space is limited
//! (`RLIMIT_AS`) and which the parent kills when it overruns its deadline.
//! Browsers isolate PAC evaluation the same way.
//!
//! The parent side is [`PacWorker`] (or [`PacRunner`], which picks in-process
//! or isolated); the child side is [`serve_worker`], which a binary calls from
//! a hidden subcommand named in its [`WorkerCommand`]. The two speak JSON
//! lines over the child's stdin and stdout. The child has no resolver of its
//! own: the script's DNS lookups are sent back to the parent, so the worker
//! answers exactly as the in-process engine would with the same resolver and
//! clock.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::clock::PacClock;
use crate::engine::{EntryPoint, Evaluation, PacEngine, PacError, PacErrorKind, PacOptions};
use crate::resolver::{LookupError, Resolve};

/// How to start a worker process: a program whose arguments lead it to call
/// [`serve_worker`], and the memory the worker may use.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    /// The program (usually the running binary, `std::env::current_exe()`).
    pub program: PathBuf,
    /// Its arguments (the hidden subcommand).
    pub args: Vec<OsString>,
    /// Address-space limit of the worker, in bytes.
    pub memory_limit: u64,
}

impl WorkerCommand {
    /// What a PAC may use: real scripts need a few tens of MiB; the engine,
    /// the binary's own mappings and an 8 MiB script fit well within this.
    pub const DEFAULT_MEMORY_LIMIT: u64 = 1024 * 1024 * 1024;

    /// `program args...` with the default memory limit.
    pub fn new(program: impl Into<PathBuf>, args: &[&str]) -> Self {
        Self {
            program: program.into(),
            args: args.iter().map(OsString::from).collect(),
            memory_limit: Self::DEFAULT_MEMORY_LIMIT,
        }
    }
}

/// After this many stops (deadline, memory, crash) a script is not started
/// again in this run: a PAC that hangs on every URL would otherwise cost one
/// deadline per URL of the catalog.
const MAX_STOPS: u32 = 3;
/// Time the parent allows beyond the engine's own deadline before it kills the
/// worker (the engine normally stops a script itself, with a better message).
const GRACE: Duration = Duration::from_secs(2);
/// Loading also parses the script (up to 8 MiB), which the engine's deadline
/// does not cover.
const LOAD_GRACE: Duration = Duration::from_secs(5);
/// Longest message accepted from a worker (an evaluation with a huge answer
/// string or many alerts is refused rather than buffered without bound).
const MAX_MESSAGE: usize = 64 * 1024 * 1024;
/// How much of the worker's stderr is kept to explain a failure.
const STDERR_TAIL: usize = 8 * 1024;

/// The clock as the parent reads it when it sends a request.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ClockReading {
    /// Milliseconds since the Unix epoch (what `Date` resolves).
    now_ms: i64,
    zone: ZoneReading,
}

/// A time zone in a form that crosses a process boundary.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum ZoneReading {
    Iana(String),
    FixedSeconds(i32),
    /// Neither: the worker reads the same system settings as the parent.
    System,
}

impl ClockReading {
    fn of(clock: &dyn PacClock) -> Self {
        let zone = clock.time_zone();
        let zone = match (zone.iana_name(), zone.to_fixed_offset()) {
            (Some(name), _) => ZoneReading::Iana(name.to_owned()),
            (None, Ok(offset)) => ZoneReading::FixedSeconds(offset.seconds()),
            (None, Err(_)) => ZoneReading::System,
        };
        Self {
            now_ms: clock.now().as_millisecond(),
            zone,
        }
    }

    fn time_zone(&self) -> TimeZone {
        match &self.zone {
            ZoneReading::Iana(name) => TimeZone::get(name).unwrap_or_else(|_| TimeZone::system()),
            ZoneReading::FixedSeconds(seconds) => jiff::tz::Offset::from_seconds(*seconds)
                .map(TimeZone::fixed)
                .unwrap_or_else(|_| TimeZone::system()),
            ZoneReading::System => TimeZone::system(),
        }
    }
}

/// Parent to worker.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum ToWorker {
    Load {
        name: String,
        source: String,
        options: PacOptions,
        clock: ClockReading,
        memory_limit: u64,
    },
    Find {
        url: String,
        host: Option<String>,
        clock: ClockReading,
    },
    Resolved {
        answer: Result<Vec<IpAddr>, LookupError>,
    },
}

/// Worker to parent.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum FromWorker {
    Loaded {
        result: Result<EntryPoint, PacErrorKind>,
    },
    Lookup {
        host: String,
        timeout: Duration,
    },
    Answer {
        result: Result<Evaluation, PacErrorKind>,
    },
}

/// A PAC script loaded in a worker process. Answers like [`PacEngine`].
pub struct PacWorker {
    command: WorkerCommand,
    name: String,
    source: Arc<str>,
    options: PacOptions,
    resolver: Arc<dyn Resolve>,
    clock: Arc<dyn PacClock>,
    entry: EntryPoint,
    process: Option<Process>,
    stops: u32,
    last_stop: String,
}

impl std::fmt::Debug for PacWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacWorker")
            .field("name", &self.name)
            .field("bytes", &self.source.len())
            .field("entry_point", &self.entry)
            .field("running", &self.process.is_some())
            .field("stops", &self.stops)
            .finish_non_exhaustive()
    }
}

/// A running worker.
struct Process {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Result<Vec<u8>, String>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<JoinHandle<()>>,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl PacWorker {
    /// Starts a worker and loads the script in it.
    pub fn start(
        command: WorkerCommand,
        name: &str,
        source: &str,
        mut options: PacOptions,
        resolver: Arc<dyn Resolve>,
        clock: Arc<dyn PacClock>,
    ) -> Result<Self, PacError> {
        let fail = |kind| PacError {
            script: name.to_owned(),
            kind,
        };
        if source.len() > options.max_script_bytes {
            return Err(fail(PacErrorKind::TooLarge {
                size: source.len(),
                limit: options.max_script_bytes,
            }));
        }
        // The parent's view of the machine's addresses, so both sides agree.
        if options.my_ip.as_ref().is_none_or(Vec::is_empty) {
            options.my_ip = Some(crate::myip::local_addresses());
        }
        let mut worker = Self {
            command,
            name: name.to_owned(),
            source: Arc::from(source),
            options,
            resolver,
            clock,
            entry: EntryPoint::FindProxyForURL,
            process: None,
            stops: 0,
            last_stop: String::new(),
        };
        worker.entry = worker.load().map_err(fail)?;
        Ok(worker)
    }

    /// The script's name, as given when starting.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The function that answers.
    pub fn entry_point(&self) -> EntryPoint {
        self.entry
    }

    /// Asks the script which routes apply to `url` (see [`PacEngine::find_proxy`]).
    pub fn find_proxy(&mut self, url: &str, host: Option<&str>) -> Result<Evaluation, PacError> {
        self.find(url, host).map_err(|kind| PacError {
            script: self.name.clone(),
            kind,
        })
    }

    fn find(&mut self, url: &str, host: Option<&str>) -> Result<Evaluation, PacErrorKind> {
        if self.stops >= MAX_STOPS {
            return Err(PacErrorKind::GaveUp {
                stops: self.stops,
                last: self.last_stop.clone(),
            });
        }
        if self.process.is_none() {
            self.load()?;
        }
        let request = ToWorker::Find {
            url: url.to_owned(),
            host: host.map(str::to_owned),
            clock: ClockReading::of(self.clock.as_ref()),
        };
        let context = format!("evaluating {url}");
        match self.exchange(&request, &context, self.options.eval_timeout + GRACE)? {
            FromWorker::Answer { result } => result,
            other => Err(self.broken(&context, format!("unexpected message {other:?}"))),
        }
    }

    /// Starts a worker process and loads the script; returns the entry point.
    fn load(&mut self) -> Result<EntryPoint, PacErrorKind> {
        let context = "loading the script";
        self.process = Some(self.spawn().map_err(|reason| PacErrorKind::WorkerFailed {
            context: context.to_owned(),
            reason,
        })?);
        let request = ToWorker::Load {
            name: self.name.clone(),
            source: self.source.to_string(),
            options: self.options.clone(),
            clock: ClockReading::of(self.clock.as_ref()),
            memory_limit: self.command.memory_limit,
        };
        match self.exchange(&request, context, self.options.eval_timeout + LOAD_GRACE)? {
            FromWorker::Loaded { result } => {
                if result.is_err() {
                    self.process = None;
                }
                result
            }
            other => Err(self.broken(context, format!("unexpected message {other:?}"))),
        }
    }

    fn spawn(&self) -> Result<Process, String> {
        let mut child = Command::new(&self.command.program)
            .args(&self.command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.command.program.display()))?;
        let (Some(stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("the worker's pipes could not be opened".into());
        };
        let (sender, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let message = match read_message(&mut reader, MAX_MESSAGE) {
                    Ok(Some(line)) => Ok(line),
                    Ok(None) => break,
                    Err(e) => Err(e),
                };
                let stop = message.is_err();
                if sender.send(message).is_err() || stop {
                    break;
                }
            }
        });
        let tail = Arc::new(Mutex::new(Vec::new()));
        let kept = tail.clone();
        let stderr_reader = std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                if let (Ok(mut kept), Some(read)) = (kept.lock(), chunk.get(..n)) {
                    kept.extend_from_slice(read);
                    let excess = kept.len().saturating_sub(STDERR_TAIL);
                    kept.drain(..excess);
                }
            }
        });
        Ok(Process {
            child,
            stdin,
            messages,
            stderr: tail,
            stderr_reader: Some(stderr_reader),
        })
    }

    /// Sends `request` and waits for the worker's reply, answering its DNS
    /// lookups meanwhile. Any failure leaves no worker running.
    fn exchange(
        &mut self,
        request: &ToWorker,
        context: &str,
        limit: Duration,
    ) -> Result<FromWorker, PacErrorKind> {
        let deadline = Instant::now() + limit;
        self.send(request)
            .map_err(|reason| self.stopped(context, reason))?;
        loop {
            let Some(process) = self.process.as_mut() else {
                return Err(self.broken(context, "no worker is running".into()));
            };
            let wait = deadline.saturating_duration_since(Instant::now());
            let message = match process.messages.recv_timeout(wait) {
                Ok(Ok(line)) => line,
                Ok(Err(reason)) => return Err(self.broken(context, reason)),
                Err(RecvTimeoutError::Timeout) => {
                    self.process = None;
                    return Err(self.count_stop(PacErrorKind::Timeout {
                        context: context.to_owned(),
                        limit: self.options.eval_timeout,
                    }));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(self.stopped(context, "it exited".into()));
                }
            };
            match serde_json::from_slice::<FromWorker>(&message) {
                Ok(FromWorker::Lookup { host, timeout }) => {
                    let answer = self.resolver.lookup(&host, timeout);
                    self.send(&ToWorker::Resolved { answer })
                        .map_err(|reason| self.stopped(context, reason))?;
                }
                Ok(reply) => return Ok(reply),
                Err(e) => return Err(self.broken(context, format!("unreadable message: {e}"))),
            }
        }
    }

    fn send(&mut self, request: &ToWorker) -> Result<(), String> {
        let process = self
            .process
            .as_mut()
            .ok_or_else(|| "no worker is running".to_owned())?;
        let mut line = serde_json::to_vec(request).map_err(|e| e.to_string())?;
        line.push(b'\n');
        process
            .stdin
            .write_all(&line)
            .and_then(|()| process.stdin.flush())
            .map_err(|e| format!("cannot write to the worker: {e}"))
    }

    /// The worker went away (or its pipe broke): find out why.
    fn stopped(&mut self, context: &str, reason: String) -> PacErrorKind {
        let Some(mut process) = self.process.take() else {
            return self.count_stop(PacErrorKind::WorkerFailed {
                context: context.to_owned(),
                reason,
            });
        };
        let _ = process.child.kill();
        let status = process.child.wait();
        if let Some(reader) = process.stderr_reader.take() {
            let _ = reader.join();
        }
        let stderr = process
            .stderr
            .lock()
            .map(|tail| String::from_utf8_lossy(&tail).into_owned())
            .unwrap_or_default();
        let kind = if pathprobe_sandbox::ran_out_of_memory(&stderr) {
            PacErrorKind::MemoryExceeded {
                context: context.to_owned(),
                limit: self.command.memory_limit,
            }
        } else {
            let last = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim();
            let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
            PacErrorKind::WorkerFailed {
                context: context.to_owned(),
                reason: if last.is_empty() {
                    format!("{reason} ({status})")
                } else {
                    format!("{reason} ({status}): {last}")
                },
            }
        };
        self.count_stop(kind)
    }

    /// The worker said something it should not: stop it.
    fn broken(&mut self, context: &str, reason: String) -> PacErrorKind {
        self.process = None;
        self.count_stop(PacErrorKind::WorkerFailed {
            context: context.to_owned(),
            reason,
        })
    }

    fn count_stop(&mut self, kind: PacErrorKind) -> PacErrorKind {
        self.stops += 1;
        self.last_stop = kind.to_string();
        tracing::debug!(script = %self.name, stops = self.stops, "PAC worker stopped: {kind}");
        kind
    }
}

/// Reads one `\n`-terminated message of at most `limit` bytes; `None` at the end.
fn read_message(reader: &mut impl BufRead, limit: usize) -> Result<Option<Vec<u8>>, String> {
    let mut line = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let n = reader
        .take(cap)
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read from the worker: {e}"))?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(if line.len() > limit {
            format!("a message over the limit of {} MiB", limit / (1024 * 1024))
        } else {
            "a message cut short".to_owned()
        });
    }
    line.pop();
    Ok(Some(line))
}

/// A PAC script ready to answer: in this process, or in a worker process when
/// a [`WorkerCommand`] is given (see the module documentation for why).
///
/// A script that runs out of time for three URLs in a row is not
/// run again: one that loops on every URL would otherwise cost its whole
/// limit per URL (287 URLs of the embedded catalog: 24 minutes).
#[derive(Debug)]
pub struct PacRunner {
    runs: Runs,
    timeouts_in_a_row: u32,
    last_timeout: String,
}

#[derive(Debug)]
enum Runs {
    /// Evaluated in this process.
    InProcess(Box<PacEngine>),
    /// Evaluated in a memory-limited worker process.
    Isolated(Box<PacWorker>),
}

impl PacRunner {
    /// Loads the script, isolated when `isolation` is given.
    pub fn start(
        isolation: Option<&WorkerCommand>,
        name: &str,
        source: &str,
        options: PacOptions,
        resolver: Arc<dyn Resolve>,
        clock: Arc<dyn PacClock>,
    ) -> Result<Self, PacError> {
        let runs = match isolation {
            Some(command) => Runs::Isolated(Box::new(PacWorker::start(
                command.clone(),
                name,
                source,
                options,
                resolver,
                clock,
            )?)),
            None => Runs::InProcess(Box::new(PacEngine::with_clock(
                name, source, options, resolver, clock,
            )?)),
        };
        Ok(Self {
            runs,
            timeouts_in_a_row: 0,
            last_timeout: String::new(),
        })
    }

    /// Asks the script which routes apply to `url`.
    pub fn find_proxy(&mut self, url: &str, host: Option<&str>) -> Result<Evaluation, PacError> {
        if self.timeouts_in_a_row >= MAX_STOPS {
            let script = match &self.runs {
                Runs::InProcess(engine) => engine.name().to_owned(),
                Runs::Isolated(worker) => worker.name.clone(),
            };
            return Err(PacError {
                script,
                kind: PacErrorKind::GaveUp {
                    stops: self.timeouts_in_a_row,
                    last: self.last_timeout.clone(),
                },
            });
        }
        let answer = match &mut self.runs {
            Runs::InProcess(engine) => engine.find_proxy(url, host),
            Runs::Isolated(worker) => worker.find_proxy(url, host),
        };
        match &answer {
            Err(e) if matches!(e.kind, PacErrorKind::Timeout { .. }) => {
                self.timeouts_in_a_row += 1;
                self.last_timeout = e.kind.to_string();
            }
            _ => self.timeouts_in_a_row = 0,
        }
        answer
    }

    /// The function that answers.
    pub fn entry_point(&self) -> Option<EntryPoint> {
        match &self.runs {
            Runs::InProcess(engine) => engine.entry_point(),
            Runs::Isolated(worker) => Some(worker.entry_point()),
        }
    }
}

/// The worker's end of the pipes, shared by its main loop and its resolver.
struct Channel {
    input: Box<dyn BufRead + Send>,
    output: Box<dyn Write + Send>,
}

impl Channel {
    fn send(&mut self, message: &FromWorker) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.output.write_all(&line)?;
        self.output.flush()
    }

    fn receive(&mut self) -> std::io::Result<Option<ToWorker>> {
        let mut line = Vec::new();
        if self.input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        serde_json::from_slice(&line)
            .map(Some)
            .map_err(std::io::Error::other)
    }
}

/// Resolves by asking the parent.
struct ParentResolver(Arc<Mutex<Channel>>);

impl std::fmt::Debug for ParentResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParentResolver")
    }
}

impl Resolve for ParentResolver {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        let lost = |e: &dyn std::fmt::Display| LookupError::Failed(format!("worker channel: {e}"));
        let mut channel = self.0.lock().map_err(|e| lost(&e))?;
        channel
            .send(&FromWorker::Lookup {
                host: host.to_owned(),
                timeout,
            })
            .map_err(|e| lost(&e))?;
        match channel.receive().map_err(|e| lost(&e))? {
            Some(ToWorker::Resolved { answer }) => answer,
            other => Err(lost(&format!("unexpected message {other:?}"))),
        }
    }
}

/// The clock the parent last read.
#[derive(Debug)]
struct ParentClock(Mutex<(Timestamp, TimeZone)>);

impl ParentClock {
    fn set(&self, reading: &ClockReading) {
        let now = Timestamp::from_millisecond(reading.now_ms).unwrap_or(Timestamp::UNIX_EPOCH);
        if let Ok(mut held) = self.0.lock() {
            *held = (now, reading.time_zone());
        }
    }
}

impl PacClock for ParentClock {
    fn now(&self) -> Timestamp {
        self.0.lock().map_or(Timestamp::UNIX_EPOCH, |held| held.0)
    }
    fn time_zone(&self) -> TimeZone {
        self.0.lock().map_or(TimeZone::UTC, |held| held.1.clone())
    }
}

/// Why a worker stopped serving.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The pipes to the parent failed.
    #[error("PAC worker: {0}")]
    Io(#[from] std::io::Error),
    /// The parent asked for something out of order.
    #[error("PAC worker: unexpected request: {0}")]
    Protocol(String),
}

fn lock(channel: &Mutex<Channel>) -> Result<std::sync::MutexGuard<'_, Channel>, WorkerError> {
    channel
        .lock()
        .map_err(|e| WorkerError::Protocol(format!("channel poisoned: {e}")))
}

/// The worker's main loop on stdin and stdout: called by the hidden
/// subcommand of a [`WorkerCommand`]. Returns when the parent closes stdin.
pub fn serve_worker() -> Result<(), WorkerError> {
    // boa recurses per level of nesting: the loop gets the stack the
    // nesting limit was measured against, not the main thread's 8 MiB.
    let worker = std::thread::Builder::new()
        .name("pac-worker".into())
        .stack_size(crate::nesting::STACK_BYTES)
        .spawn(|| {
            serve_worker_on(
                Box::new(BufReader::new(std::io::stdin())),
                Box::new(std::io::stdout()),
            )
        })?;
    worker
        .join()
        .map_err(|_| WorkerError::Protocol("the worker thread panicked".into()))?
}

fn serve_worker_on(
    input: Box<dyn BufRead + Send>,
    output: Box<dyn Write + Send>,
) -> Result<(), WorkerError> {
    let channel = Arc::new(Mutex::new(Channel { input, output }));
    let clock = Arc::new(ParentClock(Mutex::new((
        Timestamp::UNIX_EPOCH,
        TimeZone::UTC,
    ))));
    let resolver: Arc<dyn Resolve> = Arc::new(ParentResolver(channel.clone()));
    let mut engine: Option<PacEngine> = None;
    loop {
        let Some(request) = lock(&channel)?.receive()? else {
            return Ok(());
        };
        let reply = match request {
            ToWorker::Load {
                name,
                source,
                options,
                clock: reading,
                memory_limit,
            } => {
                pathprobe_sandbox::limit_own_memory(memory_limit)?;
                clock.set(&reading);
                let loaded =
                    PacEngine::with_clock(&name, &source, options, resolver.clone(), clock.clone());
                let result = loaded.as_ref().map_or_else(
                    |e| Err(e.kind.clone()),
                    |e| e.entry_point().ok_or(PacErrorKind::NoEntryPoint),
                );
                engine = loaded.ok();
                FromWorker::Loaded { result }
            }
            ToWorker::Find {
                url,
                host,
                clock: reading,
            } => {
                let engine = engine
                    .as_mut()
                    .ok_or_else(|| WorkerError::Protocol("find before load".into()))?;
                clock.set(&reading);
                FromWorker::Answer {
                    result: engine.find_proxy(&url, host.as_deref()).map_err(|e| e.kind),
                }
            }
            ToWorker::Resolved { .. } => {
                return Err(WorkerError::Protocol("an answer to no lookup".into()));
            }
        };
        lock(&channel)?.send(&reply)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_bounded_and_whole() {
        let mut input = std::io::Cursor::new(b"{\"a\":1}\nabcdefgh\ncut".to_vec());
        assert_eq!(
            read_message(&mut input, 16).ok().flatten(),
            Some(b"{\"a\":1}".to_vec())
        );
        assert_eq!(
            read_message(&mut input, 4).err().as_deref(),
            Some("a message over the limit of 0 MiB")
        );
        let mut cut = std::io::Cursor::new(b"cut".to_vec());
        assert_eq!(
            read_message(&mut cut, 16).err().as_deref(),
            Some("a message cut short")
        );
        let mut empty = std::io::Cursor::new(Vec::new());
        assert_eq!(read_message(&mut empty, 16), Ok(None));
    }

    #[test]
    fn clock_readings_keep_zone_and_instant() {
        let zone = TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC);
        let at = Timestamp::from_second(1_772_436_600).unwrap_or(Timestamp::UNIX_EPOCH);
        let clock = crate::clock::FixedClock::new(at, zone.clone());
        let reading = ClockReading::of(&clock);
        let shared = ParentClock(Mutex::new((Timestamp::UNIX_EPOCH, TimeZone::UTC)));
        shared.set(&reading);
        assert_eq!(shared.now(), at);
        assert_eq!(shared.time_zone().iana_name(), zone.iana_name());
        let fixed = crate::clock::FixedClock::new(
            at,
            TimeZone::fixed(jiff::tz::Offset::from_seconds(3600).unwrap_or(jiff::tz::Offset::UTC)),
        );
        shared.set(&ClockReading::of(&fixed));
        assert_eq!(shared.time_zone().to_offset(at).seconds(), 3600);
    }

    /// The worker's loop, driven in-process through buffers: load, a lookup
    /// answered by the "parent", the answer.
    #[test]
    fn the_worker_loop_answers_with_the_parents_dns() {
        let pac = r#"function FindProxyForURL(url, host) {
            return isInNet(dnsResolve(host), "10.0.0.0", "255.0.0.0") ? "DIRECT" : "PROXY p:3128";
        }"#;
        let clock = ClockReading::of(&crate::clock::SystemClock);
        let requests = [
            ToWorker::Load {
                name: "t.pac".into(),
                source: pac.into(),
                options: PacOptions {
                    my_ip: Some(vec![IpAddr::from([127, 0, 0, 1])]),
                    ..PacOptions::default()
                },
                clock: clock.clone(),
                memory_limit: u64::MAX,
            },
            ToWorker::Find {
                url: "http://inside.example/".into(),
                host: None,
                clock,
            },
            ToWorker::Resolved {
                answer: Ok(vec![IpAddr::from([10, 1, 2, 3])]),
            },
        ];
        let mut input = Vec::new();
        for r in &requests {
            input.extend(serde_json::to_vec(r).unwrap_or_default());
            input.push(b'\n');
        }
        let output = Arc::new(Mutex::new(Vec::new()));
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0
                    .lock()
                    .map_err(|_| std::io::Error::other("poisoned"))?
                    .extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let served = serve_worker_on(
            Box::new(std::io::Cursor::new(input)),
            Box::new(Shared(output.clone())),
        );
        assert!(served.is_ok(), "{served:?}");
        let text = String::from_utf8(output.lock().map(|o| o.clone()).unwrap_or_default())
            .unwrap_or_default();
        let replies: Vec<FromWorker> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        assert!(
            matches!(&replies[..], [
                FromWorker::Loaded { result: Ok(EntryPoint::FindProxyForURL) },
                FromWorker::Lookup { host, .. },
                FromWorker::Answer { result: Ok(eval) },
            ] if host == "inside.example" && eval.raw == "DIRECT"),
            "{text}"
        );
    }
}
