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
    /// A runtime with one worker thread per core: TLS handshakes are the
    /// costly part of a run and use every core the machine has.
    pub(crate) fn multi_thread() -> std::io::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(cores.max(2))
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
