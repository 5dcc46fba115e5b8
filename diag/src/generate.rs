//! Shell completions and man pages, generated from the clap definitions.
//!
//! They are committed under `diag/contrib/` (so packages and people can take
//! them without building) and a test compares them with what the current
//! flags generate: a flag change without regenerating fails CI.
//! Regenerate with `PATHPROBE_BLESS=1 cargo test -p pathprobe --test generated`.

use std::path::PathBuf;

use clap::CommandFactory as _;
use clap_complete::Shell;

/// Every generated file: its path under `diag/contrib/` and its content.
pub fn files() -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "pathprobe.bash"),
        (Shell::Zsh, "_pathprobe"),
        (Shell::Fish, "pathprobe.fish"),
        (Shell::PowerShell, "_pathprobe.ps1"),
    ] {
        let mut cmd = crate::cli::Cli::command();
        let mut text = Vec::new();
        clap_complete::generate(shell, &mut cmd, "pathprobe", &mut text);
        out.push((PathBuf::from("completions").join(name), text));
    }
    let mut cmd = crate::cli::Cli::command();
    cmd.build();
    man_pages(&cmd, "pathprobe", &mut out);
    out
}

/// The page of `cmd` and of each of its visible subcommands, recursively.
fn man_pages(cmd: &clap::Command, name: &str, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let page = cmd.clone().name(name.to_owned());
    let mut text = Vec::new();
    if clap_mangen::Man::new(page).render(&mut text).is_ok() {
        out.push((PathBuf::from("man").join(format!("{name}.1")), text));
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        man_pages(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}
