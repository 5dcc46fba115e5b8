//! Exit codes and how errors map to them.

use std::process::ExitCode;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything required is fine.
    Ok = 0,
    /// The command ran and found problems (a required endpoint failed; catalogs differ).
    Findings = 1,
    /// Bad usage or bad input (file, flag): nothing was probed.
    Usage = 2,
    /// A bug or an environment failure inside pathprobe.
    Internal = 3,
    /// Ctrl-C before any probe finished (the report, if any, is partial).
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// A usage mistake found after argument parsing (conflicting values and the like).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::error::Error for UsageError {}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A run cut short (its deadline, or Ctrl-C) before anything could be
/// probed: exit 1, as a partial run is (130 for Ctrl-C, once its empty
/// report is written).
#[derive(Debug)]
pub struct Cut {
    /// Why, for people.
    pub why: String,
    /// Ctrl-C cut it, not the deadline.
    pub interrupted: bool,
}

impl Cut {
    /// Cut by the deadline.
    pub fn deadline(why: String) -> Self {
        Self {
            why,
            interrupted: false,
        }
    }

    /// Cut by Ctrl-C while `doing`.
    pub fn interrupted(doing: &str) -> Self {
        Self {
            why: format!("interrupted (Ctrl-C) while {doing}: nothing was probed"),
            interrupted: true,
        }
    }
}

impl std::error::Error for Cut {}

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.why)
    }
}

/// The message of `err` for people: each cause once (a cause whose text
/// the message already holds is not repeated), and at most a few kilobytes,
/// whatever an input put into it.
pub fn message(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    pathprobe_files::quote::excerpt(&crate::secrets::shown(&text, false), MAX_MESSAGE_CHARS)
}

/// Longer than any message written by hand; a quoted input is cut here.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// Bad input and bad usage exit 2 (a catalog or PAC script that cannot be
/// used is bad input); a PAC script that cannot be fetched over the network is
/// a finding about the network (1); anything else is internal (3).
pub fn classify(err: &anyhow::Error) -> Exit {
    for cause in err.chain() {
        if cause.is::<Cut>() {
            return Exit::Findings;
        }
        if cause.is::<pathprobe_urls::CatalogError>()
            || cause.is::<UsageError>()
            || cause.is::<pathprobe_pac::PacError>()
            || cause.is::<pathprobe_reports::ReportReadError>()
            || cause.is::<pathprobe_files::ReadError>()
        {
            return Exit::Usage;
        }
        // A scenario that does not parse, or whose PAC cannot be used, is a
        // bad input file; a lab server that cannot start is not.
        if let Some(
            crate::lab::ScenarioError::Parse { .. } | crate::lab::ScenarioError::Invalid { .. },
        ) = cause.downcast_ref::<crate::lab::ScenarioError>()
        {
            return Exit::Usage;
        }
        if let Some(fetch) = cause.downcast_ref::<pathprobe_pac::FetchError>() {
            return if fetch.is_input_error() {
                Exit::Usage
            } else {
                Exit::Findings
            };
        }
    }
    Exit::Internal
}
