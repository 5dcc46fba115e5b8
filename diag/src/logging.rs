//! The run's log: `tracing` events from pathprobe's crates.
//!
//! `PATHPROBE_LOG` (a `tracing` filter such as `debug` or
//! `pathprobe=trace`) sends them to stderr; a support bundle records them at
//! debug level in memory and stores them, redacted, as `log/debug.log`.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::EnvFilter;

/// A log kept in memory.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// What was logged so far.
    pub fn text(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            // Bounded: a runaway log must not eat the machine's memory.
            if b.len() < 32 * 1024 * 1024 {
                b.extend_from_slice(buf);
            }
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const OUR_CRATES: &str =
    "pathprobe=debug,pathprobe_pac=debug,pathprobe_urls=debug,pathprobe_reports=debug";

/// Logs to stderr when `PATHPROBE_LOG` is set.
pub fn to_stderr_if_asked() {
    let Some(value) = std::env::var_os("PATHPROBE_LOG").filter(|v| !v.is_empty()) else {
        return;
    };
    // A value that is no filter is said (round 18): someone who set it
    // expects a log.
    let Some(filter) = value.to_str().and_then(|v| EnvFilter::try_new(v).ok()) else {
        crate::output::warn(&format!(
            "PATHPROBE_LOG={} is not a log filter, so no log is written: give a level (error, warn, info, debug, trace) or a filter such as pathprobe=debug",
            pathprobe_files::quote::quoted(&value.to_string_lossy())
        ));
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| Scrubbed(Vec::new()))
        .with_ansi(false)
        .try_init();
}

/// One event for stderr, written without secrets when it is complete: a
/// proxy may echo credentials back into its status line or block page.
struct Scrubbed(Vec<u8>);

impl Write for Scrubbed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // An event is a line; a runaway one is cut.
        if self.0.len() < 1024 * 1024 {
            self.0.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Scrubbed {
    fn drop(&mut self) {
        let text = crate::secrets::shown(&String::from_utf8_lossy(&self.0), false);
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Captures pathprobe's debug log in memory (for a bundle; `PATHPROBE_LOG`
/// does not apply then, as a process has one global subscriber).
pub fn capture() -> Captured {
    let captured = Captured::default();
    let writer = captured.clone();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(OUR_CRATES))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init();
    captured
}
