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
            .worker_threads(threads(std::env::var_os("PATHPROBE_THREADS").as_deref()))
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
/// per core (at least two). A value outside that is said, not ignored: an
/// operator who set it is measuring something.
fn threads(wanted: Option<&std::ffi::OsStr>) -> usize {
    let cores = std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .max(2);
    let Some(wanted) = wanted else {
        return cores;
    };
    match wanted.to_str().and_then(|w| w.trim().parse::<usize>().ok()) {
        Some(n @ 1..=256) => n,
        _ => {
            crate::output::warn(&format!(
                "PATHPROBE_THREADS={} is not a number from 1 to 256; using {cores} worker threads (one per core)",
                pathprobe_files::quote::quoted(&wanted.to_string_lossy())
            ));
            cores
        }
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
        let given = |w: &str| threads(Some(std::ffi::OsStr::new(w)));
        assert_eq!(given("3"), 3);
        assert_eq!(given(" 16 "), 16);
        let cores = threads(None);
        assert!(cores >= 2);
        for ignored in ["0", "257", "many", ""] {
            assert_eq!(given(ignored), cores, "{ignored}");
        }
    }
}
