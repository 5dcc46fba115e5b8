//! Worker processes for untrusted input.
//!
//! Third-party parsers (a spreadsheet library, a JavaScript engine) read
//! input that may ask them for gigabytes or for ever, and Rust aborts the
//! whole process when an allocation fails. pathprobe hands such input to a
//! child process of its own binary instead: the child caps its own address
//! space ([`limit_own_memory`]) and ends when its parent is gone
//! ([`end_with_parent`]); the parent kills it at its deadline, bounds what it
//! reads back, and tells a child that ran out of memory, crashed, refused
//! its input (exit 2) or ran out of time apart ([`run`], [`Failure`]). The
//! PAC worker and the catalog and lint workers all stand on these.
//!
//! ```
//! use std::process::Command;
//! use std::time::Duration;
//!
//! // A child that answers in time: its stdout.
//! let mut echo = Command::new("sh");
//! echo.args(["-c", "printf ok"]);
//! let out = pathprobe_sandbox::run(echo, Duration::from_secs(10), None, 1024);
//! assert_eq!(out.ok().as_deref(), Some(&b"ok"[..]));
//!
//! // One that does not: killed at its deadline.
//! let mut sleeper = Command::new("sleep");
//! sleeper.arg("30");
//! let out = pathprobe_sandbox::run(sleeper, Duration::from_millis(200), None, 1024);
//! assert!(matches!(out, Err(pathprobe_sandbox::Failure::Timeout)));
//! ```

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The address space a worker gives itself unless told otherwise: real
/// PAC scripts and catalogs need a few tens of MiB; the engine, the
/// binary's own mappings and the largest inputs accepted fit well within.
pub const DEFAULT_MEMORY_LIMIT: u64 = 1024 * 1024 * 1024;

/// How a worker did not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// It refused its input (exit 2) and said why.
    #[error("{0}")]
    Refused(String),
    /// It ran out of the memory it was given.
    #[error("it needed more memory than it was given")]
    Memory,
    /// It was still running at its deadline and was killed.
    #[error("it did not finish in time and was stopped")]
    Timeout,
    /// A signal ended it, or the parser it runs gave up (a Rust panic).
    #[error("it crashed: {0}")]
    Crashed(String),
    /// It could not be started or read, or failed otherwise.
    #[error("{0}")]
    Failed(String),
}

/// The prefix of the lines in which a pathprobe process says why it failed.
const ERROR_PREFIX: &str = "pathprobe: error: ";

/// How much of a worker's stderr is kept to explain a failure.
const STDERR_KEPT: u64 = 64 * 1024;

/// Runs `command` to its end, at most `timeout`, with `input` on its stdin
/// (or nothing), and returns its stdout (at most `max_output` bytes).
pub fn run(
    mut command: Command,
    timeout: Duration,
    input: Option<Vec<u8>>,
    max_output: u64,
) -> Result<Vec<u8>, Failure> {
    let mut child = command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::Failed(format!("cannot start it: {e}")))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Failure::Failed("its pipes could not be opened".into()));
    };
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // Written from a thread: a child that stops reading cannot stall us.
        std::thread::spawn(move || {
            use std::io::Write as _;
            let _ = stdin.write_all(&input);
        });
    }
    // Both pipes are drained at once so that neither can fill and stall the child.
    let errors = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = stderr.take(STDERR_KEPT).read_to_end(&mut err);
        err
    });
    let started = std::time::Instant::now();
    let (sender, receiver) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let read = stdout
            .take(max_output.saturating_add(1))
            .read_to_end(&mut out);
        let _ = sender.send(read.map(|_| out));
    });
    let out = match receiver.recv_timeout(timeout) {
        Ok(out) => out,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            let _ = reader.join();
            let _ = errors.join();
            return Err(Failure::Timeout);
        }
    };
    // The answer is complete; the child gets what is left of the limit to
    // exit (one that closed its output and went on is stopped at the limit).
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Failure::Timeout);
            }
            Err(e) => return Err(Failure::Failed(format!("cannot wait for it: {e}"))),
        }
    };
    let _ = reader.join();
    let err = errors.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&err);
    if ran_out_of_memory(&err) {
        return Err(Failure::Memory);
    }
    let message = err
        .lines()
        .filter_map(|l| l.strip_prefix(ERROR_PREFIX))
        .collect::<Vec<_>>()
        .join("\n");
    match status.code() {
        Some(0) => {
            let out = out.map_err(|e| Failure::Failed(format!("cannot read its answer: {e}")))?;
            if out.len() as u64 > max_output {
                return Err(Failure::Failed(format!(
                    "its answer is over {} MiB",
                    max_output / (1024 * 1024)
                )));
            }
            Ok(out)
        }
        Some(2) if !message.is_empty() => Err(Failure::Refused(message)),
        None => Err(Failure::Crashed(status.to_string())),
        // Rust's exit code for a panic: a third-party parser gave up on
        // the input (calamine on a cell address past its arithmetic).
        Some(101) => Err(Failure::Crashed(
            "the parser it needs failed on it".to_owned(),
        )),
        _ => Err(Failure::Failed(format!(
            "{status}{}",
            if message.is_empty() {
                err.lines()
                    .last()
                    .map(|l| format!(": {l}"))
                    .unwrap_or_default()
            } else {
                format!(": {message}")
            }
        ))),
    }
}

/// Whether a worker's stderr says an allocation failed (what Rust prints
/// before it aborts when the address-space cap is reached).
pub fn ran_out_of_memory(stderr: &str) -> bool {
    stderr.contains("memory allocation of")
}

/// Caps this process's address space at `bytes` (`u64::MAX`: no cap) and
/// turns core dumps off: called first thing in a worker. Elsewhere than
/// Unix the worker is still a separate process killed at its deadline, but
/// its memory is not capped (Windows would need a job object).
pub fn limit_own_memory(bytes: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        rlimit::setrlimit(rlimit::Resource::CORE, 0, 0)?;
        if bytes != u64::MAX {
            rlimit::setrlimit(rlimit::Resource::AS, bytes, bytes)?;
        }
    }
    #[cfg(not(unix))]
    {
        let _ = bytes;
    }
    Ok(())
}

/// Ends this worker soon after its parent is gone (killed, or interrupted
/// alone by a signal sent to it and not to its process group): a script
/// spinning in a built-in would otherwise run on for its whole limit. Checked
/// from a thread of its own because the work itself (a regular expression,
/// a parse) does not stop to look. `code` is the exit code then.
pub fn end_with_parent(code: i32) {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        let _ = std::thread::Builder::new()
            .name("parent-watch".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(200));
                    // Adopted by init or a subreaper: the parent has exited.
                    if std::os::unix::process::parent_id() != parent {
                        std::process::exit(code);
                    }
                }
            });
    }
    #[cfg(not(unix))]
    {
        let _ = code;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }

    #[test]
    fn each_way_a_worker_ends_is_told_apart() {
        let limit = Duration::from_secs(10);
        assert_eq!(
            run(sh("cat"), limit, Some(b"in".to_vec()), 16),
            Ok(b"in".to_vec())
        );
        assert_eq!(
            run(
                sh("echo 'pathprobe: error: no such sheet' >&2; exit 2"),
                limit,
                None,
                16
            ),
            Err(Failure::Refused("no such sheet".into()))
        );
        assert_eq!(
            run(
                sh("echo 'memory allocation of 99 bytes failed' >&2; exit 134"),
                limit,
                None,
                16
            ),
            Err(Failure::Memory)
        );
        assert!(matches!(
            run(sh("kill -9 $$"), limit, None, 16),
            Err(Failure::Crashed(_))
        ));
        assert!(matches!(
            run(sh("exit 101"), limit, None, 16),
            Err(Failure::Crashed(_))
        ));
        assert!(matches!(
            run(sh("head -c 100 /dev/zero"), limit, None, 16),
            Err(Failure::Failed(m)) if m.contains("over")
        ));
        assert_eq!(
            run(sh("exec sleep 30"), Duration::from_millis(200), None, 16),
            Err(Failure::Timeout)
        );
    }
}
