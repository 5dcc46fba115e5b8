//! What can go wrong loading or running a PAC script.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::EntryPoint;

/// What went wrong, without the script's name (see [`PacError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PacErrorKind {
    /// The script is larger than [`max_script_bytes`](super::PacOptions::max_script_bytes).
    #[error("the script is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the script.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The script nests deeper than the engine accepts.
    #[error(
        "line {line}, column {column}: the script nests too deeply ({}); no real PAC script comes near this",
        crate::nesting::limit_words()
    )]
    TooDeep {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The limit.
        limit: usize,
    },
    /// The script is not valid JavaScript.
    #[error("syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The parser's message.
        message: String,
    },
    /// Neither `FindProxyForURL` nor `FindProxyForURLEx` is a function.
    #[error("the script defines no FindProxyForURL function")]
    NoEntryPoint,
    /// The script threw, while loading or while answering.
    #[error("{context} threw: {}", shown(message))]
    Exception {
        /// Where: "loading the script" or the function and URL.
        context: String,
        /// The exception as the script would print it.
        message: String,
    },
    /// A loop or recursion limit stopped the script.
    #[error("{context} was stopped: {message}")]
    LimitExceeded {
        /// Where it happened.
        context: String,
        /// Which limit.
        message: String,
    },
    /// The deadline passed before the script finished.
    #[error("{context} did not finish within {limit:?}")]
    Timeout {
        /// Where it happened.
        context: String,
        /// The limit that was exceeded.
        limit: Duration,
    },
    /// The function returned something other than a string.
    #[error("{function} (line {line}) returned {found}, not a string")]
    NotAString {
        /// The function.
        function: EntryPoint,
        /// Line of its definition.
        line: u32,
        /// The JavaScript type returned.
        found: String,
    },
    /// The function returned a string with no usable route.
    #[error(
        "{function} (line {line}) returned {}: {}",
        pathprobe_files::quote::quoted(raw),
        shown(reason)
    )]
    NoRoute {
        /// The function.
        function: EntryPoint,
        /// Line of its definition.
        line: u32,
        /// The string returned.
        raw: String,
        /// Why nothing in it could be used.
        reason: String,
    },
    /// The URL to evaluate could not be parsed.
    #[error("\"{url}\" is not a URL: {reason}")]
    BadUrl {
        /// The text given.
        url: String,
        /// The parser's reason.
        reason: String,
    },
    /// The script needed more memory than its worker process may use (see
    /// [`crate::PacWorker`]).
    // The limit is what was reached, not what the script needs: boa may use
    // many times a browser's memory for the same script (round 21: a 50 MB
    // `"x".repeat(n)` costs boa 24 bytes per repetition).
    #[error(
        "{context} reached the PAC engine's memory limit ({} MiB) and was stopped: the script builds strings or arrays too large for it",
        limit / (1024 * 1024)
    )]
    MemoryExceeded {
        /// Where it happened.
        context: String,
        /// The worker's memory limit in bytes.
        limit: u64,
    },
    /// The worker process running the script failed for another reason.
    #[error("{context}: the PAC worker process failed: {reason}")]
    WorkerFailed {
        /// Where it happened.
        context: String,
        /// What was seen: exit status, last words on stderr.
        reason: String,
    },
    /// The script was stopped so often that it is not run again this time.
    #[error("not evaluated: the script was stopped {stops} times already (last: {last})")]
    GaveUp {
        /// How many times it was stopped (timeouts, memory, crashes).
        stops: u32,
        /// The last of those failures.
        last: String,
    },
}

impl PacErrorKind {
    /// Whether a browser, given this answer, connects directly: Chromium
    /// falls back to DIRECT when the script's answer holds no usable route
    /// (empty, `null`, entries it cannot read) or when `FindProxyForURL`
    /// throws (checked with its netlog). Our own limits (time, memory,
    /// instructions) are not among these: what a client does then is its
    /// own.
    pub fn client_goes_direct(&self) -> bool {
        match self {
            Self::NotAString { .. } | Self::NoRoute { .. } => true,
            Self::Exception { context, .. } => context.starts_with("FindProxyForURL"),
            _ => false,
        }
    }
}

/// Text a script chose (an exception, an answer) as a message shows it: its
/// line breaks and hidden characters written out, at most 500 characters.
fn shown(text: &str) -> String {
    pathprobe_files::quote::excerpt(&pathprobe_files::quote::visible(text), 500)
}

/// A PAC failure, naming the script it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("PAC {script}: {kind}")]
pub struct PacError {
    /// The script's name (its path or URL).
    pub script: String,
    /// What went wrong.
    pub kind: PacErrorKind,
    /// What the script passed to `alert()` before it failed: the trace its
    /// author left to find why (round 19: lost on a throw or a timeout).
    pub alerts: Vec<String>,
    /// Alerts past those kept, counted.
    pub more_alerts: usize,
}
