//! One module per subcommand.

mod bundle;
mod check;
mod config_show;
mod doctor;
mod export;
mod feeds;
mod lab;
mod onboarding;
mod pac;
mod proxy;
mod report;
pub(crate) mod serve;
mod urls;

use crate::cli::{Cli, Command};
use crate::exit::Exit;

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Urls(cmd) => urls::run(cmd),
        Command::Pac(cmd) => pac::run(cmd),
        Command::Proxy(cmd) => proxy::run(cmd),
        Command::Check(args) => check::run(*args),
        Command::Lab(args) => lab::run(args),
        Command::Report(cmd) => report::run(cmd),
        Command::Bundle(args) => bundle::run(*args),
        Command::Serve(args) => serve::run(*args),
        Command::Onboarding(cmd) => onboarding::run(cmd),
        Command::Fix(args) => export::fix(*args),
        Command::Doctor(args) => doctor::doctor(args),
        Command::Config(crate::cli::ConfigCommand::Show(args)) => config_show::show(args),
    }
}
