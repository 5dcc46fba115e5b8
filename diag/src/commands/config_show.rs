//! `pathprobe config show`: the effective options of a command and where each
//! came from.

use std::ffi::OsString;

use clap::CommandFactory as _;
use clap::parser::ValueSource;
use serde::Serialize;

use crate::cli::{ConfigFor, ConfigShowArgs, FormatArg};
use crate::config::{self, Source};
use crate::exit::{Exit, UsageError};
use crate::output;

/// One option as shown.
#[derive(Debug, Serialize)]
struct Shown {
    option: String,
    value: String,
    from: String,
}

pub fn show(args: ConfigShowArgs) -> anyhow::Result<Exit> {
    let command = match args.command {
        ConfigFor::Check => "check",
        ConfigFor::Serve => "serve",
        ConfigFor::Bundle => "bundle",
    };
    let mut argv: Vec<OsString> = vec!["pathprobe".into(), command.into()];
    if let Some(path) = &args.settings.config {
        argv.push("--config".into());
        argv.push(path.clone().into());
    }
    if let Some(site) = &args.settings.site {
        argv.push("--site".into());
        argv.push(site.into());
    }
    if args.settings.no_config {
        argv.push("--no-config".into());
    }
    argv.extend(args.options.iter().map(OsString::from));
    let applied = config::apply(argv).map_err(|e| UsageError(e.to_string()))?;
    let root = crate::cli::Cli::command();
    let matches = root
        .clone()
        .try_get_matches_from(&applied.args)
        .map_err(|e| {
            UsageError(
                crate::secrets::clap_message(&e)
                    .trim_start_matches("error: ")
                    .trim()
                    .to_owned(),
            )
        })?;
    let (Some(sub), Some(cmd)) = (
        matches.subcommand_matches(command),
        root.find_subcommand(command),
    ) else {
        return Err(UsageError(format!("{command}: no such command")).into());
    };
    let mut rows = Vec::new();
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        if arg.is_hide_set() || matches!(id, "help" | "config" | "site" | "no_config") {
            continue;
        }
        let name = if arg.is_positional() {
            id.to_owned()
        } else {
            arg.get_long().unwrap_or(id).to_owned()
        };
        let values: Vec<String> = sub
            .get_raw(id)
            .map(|raw| raw.map(|v| v.to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        let from = match applied.sources.get(id) {
            Some(source) => source.clone(),
            None => match sub.value_source(id) {
                Some(ValueSource::CommandLine) => Source::CommandLine,
                Some(ValueSource::DefaultValue) => Source::Default,
                _ => continue,
            },
        };
        // A flag that is off by default says nothing.
        if from == Source::Default && values.iter().all(|v| v == "false") {
            continue;
        }
        let value = if values.is_empty() {
            "true".to_owned()
        } else {
            values
                .iter()
                .map(|v| redact(&name, v))
                .collect::<Vec<_>>()
                .join(", ")
        };
        rows.push(Shown {
            option: name,
            value,
            from: from.to_string(),
        });
    }
    let file = match &applied.file {
        Some(path) => format!("configuration file: {}", path.display()),
        None if args.settings.no_config => "configuration file: none (--no-config)".to_owned(),
        None => format!(
            "configuration file: none found (looked for {})",
            config::search_path()
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let text = match args.format {
        FormatArg::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "command": command,
                "file": applied.file,
                "options": rows,
            }))? + "\n"
        }
        FormatArg::Csv => {
            let mut w = pathprobe_reports::Csv::new();
            w.row(["option", "value", "from"])?;
            for r in &rows {
                w.row([&r.option, &r.value, &r.from])?;
            }
            w.finish()?
        }
        FormatArg::Table => {
            let mut table = output::table_style(false).table(vec!["option", "value", "from"]);
            for r in &rows {
                table.add_row([&r.option, &r.value, &r.from]);
            }
            format!("pathprobe {command}: {file}\n{table}\n")
        }
    };
    output::print(&text)?;
    Ok(Exit::Ok)
}

/// Passwords and tokens never reach the screen. Two passes, each for what
/// the other misses: a value that parses as a URL loses its user
/// information and every query value (not only those named like
/// credentials); the scrubber then removes the secrets this process has
/// learned and anything shaped like one in values that are not URLs
/// (`u:PW@host:3128`, a port out of range).
fn redact(option: &str, value: &str) -> String {
    if option == "proxy-user" {
        return match value.split_once(':') {
            Some((user, _)) => format!("{user}:REDACTED"),
            None => "REDACTED".to_owned(),
        };
    }
    crate::secrets::scrub(&output::without_secrets(value))
}
