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

mod catalogs;
mod cli;
mod commands;
mod config;
pub mod engine;
mod exit;
pub mod generate;
mod input;
mod interrupt;
mod isolate;
pub mod lab;
mod logging;
mod output;
pub mod probe;
mod remote;
mod runtime;
mod secrets;
mod settings;

use std::ffi::OsString;
use std::process::ExitCode;

pub use exit::{Exit, UsageError};

/// Runs the command line of this process.
pub fn run_cli() -> ExitCode {
    run_from(std::env::args_os())
}

/// Reads a configuration file's text as `--config` would, every key and
/// value checked; the error names the line (for fuzzing and tools that
/// write configuration files).
pub fn check_config(name: &str, text: &str) -> Result<(), String> {
    config::check_text(std::path::Path::new(name), text).map_err(|e| e.to_string())
}

/// The command-line definition (for documentation checks and generators).
pub fn command() -> clap::Command {
    use clap::CommandFactory as _;
    cli::Cli::command()
}

/// What `--version` prints after the name: the build and the embedded catalog.
pub fn long_version() -> String {
    let commit = match env!("PATHPROBE_GIT_DATE") {
        "" => env!("PATHPROBE_GIT_COMMIT").to_owned(),
        date => format!("{} ({date})", env!("PATHPROBE_GIT_COMMIT")),
    };
    let catalog = match pathprobe_urls::default_catalog() {
        Ok(c) => format!(
            "{}, {}{}",
            c.info.name,
            c.info.version.as_deref().unwrap_or("undated"),
            c.info
                .source_url
                .map(|u| format!(", from {u}"))
                .unwrap_or_default()
        ),
        Err(e) => format!("damaged ({e})"),
    };
    format!(
        "{}\ncommit:  {commit}\nbuilt:   {}\ntarget:  {}\ncatalog: {catalog}",
        env!("CARGO_PKG_VERSION"),
        env!("PATHPROBE_BUILD_DATE"),
        env!("PATHPROBE_TARGET"),
    )
}

/// Runs a command line given as arguments (the first is the program name).
pub fn run_from<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    use clap::{CommandFactory as _, FromArgMatches as _};
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // The worker processes of `isolate` are not part of the user's command
    // line (nor of its completions and man pages).
    if let Some(code) = isolate::worker_main(&args) {
        return code;
    }
    secrets::learn_from_start(&args);
    let args = match config::apply(args) {
        Ok(applied) => {
            config::remember(&applied);
            applied.args
        }
        Err(e) => {
            eprintln!(
                "pathprobe: error: {}",
                output::continued(&secrets::shown(&e.to_string(), false))
            );
            return Exit::Usage.into();
        }
    };
    let mut command = cli::Cli::command();
    // The long form reads the embedded catalog: only when it is asked for.
    if args.iter().any(|a| a == "--version") {
        command = command.long_version(long_version());
    }
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|m| cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
            if e.use_stderr() {
                // clap quotes the value it refused, credentials and all.
                eprint!("{}", secrets::clap_message(&e));
            } else {
                let _ = e.print();
            }
            return code.into();
        }
    };
    // A bundle captures its own log.
    if !matches!(cli.command, cli::Command::Bundle(_)) {
        logging::to_stderr_if_asked();
    }
    let outcome = commands::dispatch(cli);
    let unshown = output::warnings_not_shown();
    if unshown > 0 {
        eprintln!("pathprobe: warning: … and {unshown} more warnings, not shown");
    }
    match outcome {
        Ok(code) => code.into(),
        Err(err) => {
            let code = exit::classify(&err);
            eprintln!(
                "pathprobe: error: {}",
                output::continued(&exit::message(&err))
            );
            code.into()
        }
    }
}
