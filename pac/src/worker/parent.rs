//! The parent side: [`PacWorker`] starts the worker, sends it requests,
//! answers its DNS questions and kills it at the deadline.

use std::io::{BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::protocol::{ClockReading, FromWorker, ToWorker, read_message};
use super::{GRACE, LOAD_GRACE, MAX_MESSAGE, MAX_STOPS, STDERR_TAIL, WorkerCommand};
use crate::clock::PacClock;
use crate::engine::{EntryPoint, Evaluation, PacError, PacErrorKind, PacOptions};
use crate::resolver::Resolve;

/// A PAC script loaded in a worker process. Answers like [`PacEngine`](crate::PacEngine).
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
pub(super) struct Process {
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
            alerts: Vec::new(),
            more_alerts: 0,
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

    /// Asks the script which routes apply to `url` (see [`PacEngine::find_proxy`](crate::PacEngine::find_proxy)).
    pub fn find_proxy(&mut self, url: &str, host: Option<&str>) -> Result<Evaluation, PacError> {
        let mut alerts = (Vec::new(), 0);
        self.find(url, host, &mut alerts).map_err(|kind| PacError {
            script: self.name.clone(),
            kind,
            alerts: alerts.0,
            more_alerts: alerts.1,
        })
    }

    /// `alerts` receives what a failing script alerted, and how many more.
    fn find(
        &mut self,
        url: &str,
        host: Option<&str>,
        alerts: &mut (Vec<String>, usize),
    ) -> Result<Evaluation, PacErrorKind> {
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
            FromWorker::Answer {
                result,
                alerts: said,
                more_alerts,
            } => {
                *alerts = (said, more_alerts);
                result
            }
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
