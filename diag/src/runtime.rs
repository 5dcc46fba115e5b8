//! The async runtimes the commands run on.
//!
//! Dropping a tokio runtime waits for every blocking task it started: a DNS
//! lookup parked on a silent resolver kept a finished run alive for seconds
//! after its report. These runtimes leave such work behind instead (it ends
//! on its own limits, or with the process), so a run ends at its deadline.

use std::ops::Deref;

/// A tokio runtime that does not wait for its blocking tasks when dropped.
pub(crate) struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    /// A runtime with one worker thread per core (`PATHPROBE_THREADS`
    /// overrides it, 1 to 256): TLS handshakes are the costly part of a run
    /// and use every core the machine has.
    pub(crate) fn multi_thread() -> std::io::Result<Self> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads(std::env::var("PATHPROBE_THREADS").ok().as_deref()))
            .enable_all()
            .build()
            .map(|r| Self(Some(r)))
    }

    /// A runtime on the calling thread, for commands that wait on one thing
    /// at a time.
    pub(crate) fn current_thread() -> std::io::Result<Self> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|r| Self(Some(r)))
    }
}

/// Worker threads: `wanted` when it is a number from 1 to 256, else one
/// per core (at least two).
fn threads(wanted: Option<&str>) -> usize {
    match wanted.and_then(|w| w.trim().parse::<usize>().ok()) {
        Some(n @ 1..=256) => n,
        _ => std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .max(2),
    }
}

impl Deref for Runtime {
    type Target = tokio::runtime::Runtime;

    fn deref(&self) -> &Self::Target {
        // Only `drop` takes it out.
        self.0.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_follow_the_machine_unless_told() {
        assert_eq!(threads(Some("3")), 3);
        assert_eq!(threads(Some(" 16 ")), 16);
        let cores = threads(None);
        assert!(cores >= 2);
        for ignored in ["0", "257", "many", ""] {
            assert_eq!(threads(Some(ignored)), cores, "{ignored}");
        }
    }
}
