//! # pathprobe: can this machine reach every endpoint a service needs?
//!
//! The engine and the `pathprobe` command line. This release loads service URL
//! catalogs (the vendor's spreadsheet, CSV, text, JSON, or the embedded
//! Microsoft Defender for Endpoint list) and shows what would be probed
//! (`pathprobe urls list`) and what changed between two versions of a list
//! (`pathprobe urls diff`).
//!
//! ```no_run
//! // What `pathprobe urls list --geo EU` runs:
//! let code = pathprobe::run_from(["pathprobe", "urls", "list", "--geo", "EU"]);
//! # let _ = code;
//! ```

mod cli;
mod commands;
pub mod engine;
mod exit;
mod output;
pub mod probe;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

pub use exit::{Exit, UsageError};

/// Runs the command line of this process.
pub fn run_cli() -> ExitCode {
    run_from(std::env::args_os())
}

/// Runs a command line given as arguments (the first is the program name).
pub fn run_from<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
            let _ = e.print();
            return code.into();
        }
    };
    match commands::dispatch(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            let code = exit::classify(&err);
            eprintln!("pathprobe: error: {err:#}");
            code.into()
        }
    }
}
