//! Proxy settings read and routes decided on a thread of their own, so that
//! the run's deadline and Ctrl-C hold while they are.
//!
//! Reading the settings can fetch and run a PAC script and ask DNS for WPAD
//! and proxy names; deciding a route runs the script once per URL. Each of
//! these blocks on its own limits, which may add up to more than the run has
//! left. The caller waits here only as long as the run allows and then goes
//! on without the rest (the thread ends on its own limits, dropping the
//! script's worker process with it).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use pathprobe_pac::discovery::{
    Discovery, ExplainOptions, Explanation, ProxyResolver, UrlExplanation,
};

/// What the settings came to, before any URL was decided.
pub(crate) struct Settings {
    /// The setting given on the command line, when it cannot be used.
    pub command_line_problem: Option<String>,
    /// Every source and its standing, the PAC in force (no URLs yet).
    pub explanation: Explanation,
}

/// Why waiting stopped early.
#[derive(Clone)]
pub(crate) enum Stopped {
    /// The run was cut (deadline or Ctrl-C); the text says which.
    Cut(String),
    /// The thread ended without answering (it could not start, or failed).
    Gone(String),
}

/// The thread that reads the settings and then decides `urls` in order.
pub(crate) struct Router {
    settings: Receiver<Settings>,
    decisions: Receiver<UrlExplanation>,
    stop: Arc<AtomicBool>,
}

impl Router {
    /// Starts reading the settings in `discovery` for `urls`; async work
    /// (PAC fetches) runs on `runtime`.
    pub(crate) fn start(
        runtime: tokio::runtime::Handle,
        discovery: Discovery,
        options: ExplainOptions,
        urls: Vec<String>,
    ) -> Result<Self, Stopped> {
        let (settings_tx, settings) = std::sync::mpsc::sync_channel(1);
        let (decision_tx, decisions) = std::sync::mpsc::sync_channel(64);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::Builder::new()
            .name("pathprobe-routes".into())
            // A script run in this process (no worker binary) recurses here.
            .stack_size(pathprobe_pac::ENGINE_STACK_BYTES)
            .spawn(move || {
                let mut resolver = runtime.block_on(ProxyResolver::new(&discovery, &options));
                let read = Settings {
                    command_line_problem: resolver.command_line_problem(),
                    explanation: resolver.explanation(&discovery, Vec::new()),
                };
                if settings_tx.send(read).is_err() {
                    return;
                }
                for url in urls {
                    if stopped.load(Ordering::Relaxed) {
                        return;
                    }
                    if decision_tx.send(resolver.routes(&url)).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| Stopped::Gone(format!("cannot start the routing thread: {e}")))?;
        Ok(Self {
            settings,
            decisions,
            stop,
        })
    }

    /// The settings, once read, unless `cut` says the run is over first.
    pub(crate) fn settings(&self, cut: &dyn Fn() -> Option<String>) -> Result<Settings, Stopped> {
        wait(&self.settings, cut)
    }

    /// The next URL's decision, unless `cut` says the run is over first.
    pub(crate) fn next(&self, cut: &dyn Fn() -> Option<String>) -> Result<UrlExplanation, Stopped> {
        wait(&self.decisions, cut)
    }
}

impl Drop for Router {
    fn drop(&mut self) {
        // A thread still deciding stops after the URL at hand.
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// How often a wait looks at the deadline and Ctrl-C.
const TICK: Duration = Duration::from_millis(50);

fn wait<T>(from: &Receiver<T>, cut: &dyn Fn() -> Option<String>) -> Result<T, Stopped> {
    loop {
        if let Some(why) = cut() {
            return Err(Stopped::Cut(why));
        }
        match from.recv_timeout(TICK) {
            // An answer that came after the deadline is one the run cut: a
            // fetch or script whose limit was shortened to the deadline
            // failed because of it, not on its own.
            Ok(_) if let Some(why) = cut() => return Err(Stopped::Cut(why)),
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Stopped::Gone("the routing thread stopped".into()));
            }
        }
    }
}
