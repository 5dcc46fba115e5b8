//! # pathprobe: can this machine reach every endpoint a service needs?
//!
//! The engine and the `pathprobe` command line. `pathprobe check` probes every
//! endpoint of a service URL catalog (the vendor's spreadsheet, CSV, text,
//! JSON, or the embedded Microsoft Defender for Endpoint list) through the
//! route the machine would use, phase by phase ([`probe`]), many at once under
//! limits and a deadline ([`engine`]), and gives each a verdict with evidence
//! and a hint. Other commands list and compare catalogs (`urls`), evaluate and
//! lint PAC files (`pac`) and explain proxy settings (`proxy explain`).
//!
//! ```no_run
//! // What `pathprobe check --geo EU --profile agent` runs:
//! let code = pathprobe::run_from(["pathprobe", "check", "--geo", "EU", "--profile", "agent"]);
//! # let _ = code;
//! ```

mod cli;
mod commands;
pub mod engine;
mod exit;
mod isolate;
pub mod lab;
mod logging;
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
    // A bundle captures its own log; a PAC worker's stderr belongs to its parent.
    if !matches!(
        cli.command,
        cli::Command::Bundle(_) | cli::Command::PacWorker | cli::Command::CatalogWorker { .. }
    ) {
        logging::to_stderr_if_asked();
    }
    match commands::dispatch(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            let code = exit::classify(&err);
            eprintln!("pathprobe: error: {err:#}");
            code.into()
        }
    }
}
