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

mod child;
mod parent;
mod protocol;

pub use self::child::{WorkerError, serve_worker};
pub use self::parent::PacWorker;

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::PacClock;
use crate::engine::{EntryPoint, Evaluation, PacEngine, PacError, PacErrorKind, PacOptions};
use crate::resolver::Resolve;

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
    /// What a PAC may use: the sandbox's default (1 GiB).
    pub const DEFAULT_MEMORY_LIMIT: u64 = pathprobe_sandbox::DEFAULT_MEMORY_LIMIT;

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

/// A PAC script ready to answer: in this process, or in a worker process when
/// a [`WorkerCommand`] is given (see the module documentation for why).
///
/// A script stopped by our time or loop limit for three URLs in a row is
/// not run again: one that loops on every URL would otherwise cost its
/// whole limit per URL (287 URLs of the embedded catalog: 24 minutes).
#[derive(Debug)]
pub struct PacRunner {
    runs: Runs,
    stops_in_a_row: u32,
    last_stop: String,
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
            stops_in_a_row: 0,
            last_stop: String::new(),
        })
    }

    /// Asks the script which routes apply to `url`.
    pub fn find_proxy(&mut self, url: &str, host: Option<&str>) -> Result<Evaluation, PacError> {
        if self.stops_in_a_row >= MAX_STOPS {
            let script = match &self.runs {
                Runs::InProcess(engine) => engine.name().to_owned(),
                Runs::Isolated(worker) => worker.name().to_owned(),
            };
            return Err(PacError {
                script,
                kind: PacErrorKind::GaveUp {
                    stops: self.stops_in_a_row,
                    last: self.last_stop.clone(),
                },
                alerts: Vec::new(),
                more_alerts: 0,
            });
        }
        let answer = match &mut self.runs {
            Runs::InProcess(engine) => engine.find_proxy(url, host),
            Runs::Isolated(worker) => worker.find_proxy(url, host),
        };
        match &answer {
            // Our time limit or our loop limit, whichever a runaway script
            // meets first (a fast machine meets the loop limit first).
            Err(e)
                if matches!(
                    e.kind,
                    PacErrorKind::Timeout { .. } | PacErrorKind::LimitExceeded { .. }
                ) =>
            {
                self.stops_in_a_row += 1;
                self.last_stop = e.kind.to_string();
            }
            _ => self.stops_in_a_row = 0,
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
