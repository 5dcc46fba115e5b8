//! `pathprobe lab`.

use anyhow::Context as _;
use comfy_table::Cell;

use crate::cli::{FormatArg, LabArgs};
use crate::exit::{Exit, UsageError};
use crate::lab::{BUILTIN, Scenario, ScenarioError, ScenarioOutcome, run as run_scenario};
use crate::output;

pub fn run(args: LabArgs) -> anyhow::Result<Exit> {
    let mut scenarios = Vec::new();
    if args.scenario.is_empty() {
        for (file, text) in BUILTIN {
            scenarios.push(
                Scenario::parse(file, text)
                    .context("a built-in lab scenario is damaged (a build problem)")?,
            );
        }
    } else {
        for path in &args.scenario {
            let text = crate::input::text(path, crate::input::SMALL_BYTES)
                .map_err(|e| UsageError(format!("--scenario {e}")))?;
            scenarios.push(Scenario::parse(&path.display().to_string(), &text).map_err(
                |e| match e {
                    ScenarioError::Parse { .. } | ScenarioError::Invalid { .. } => {
                        anyhow::Error::new(UsageError(e.to_string()))
                    }
                    other => anyhow::Error::new(other),
                },
            )?);
        }
    }
    // Each endpoint holds a server and its sockets, and each probe two more:
    // as `check` does, raise the open-file limit as far as the system allows.
    let _ = rlimit::increase_nofile_limit(65_536);
    let mut outcomes: Vec<ScenarioOutcome> = Vec::new();
    for s in &scenarios {
        outcomes.push(run_scenario(s).map_err(|e| match e {
            ScenarioError::Parse { .. } | ScenarioError::Invalid { .. } => {
                anyhow::Error::new(UsageError(e.to_string()))
            }
            other => anyhow::Error::new(other),
        })?);
    }
    let failed = outcomes
        .iter()
        .flat_map(|o| &o.endpoints)
        .filter(|e| !e.passed())
        .count();
    let total: usize = outcomes.iter().map(|o| o.endpoints.len()).sum();
    let text = match args.format {
        FormatArg::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "schema_version": 1,
                "scenarios": outcomes,
                "passed": total - failed,
                "failed": failed,
            }))? + "\n"
        }
        FormatArg::Csv => {
            let mut out = String::from("scenario,url,expected,got,passed\n");
            for o in &outcomes {
                for e in &o.endpoints {
                    out.push_str(&format!(
                        "{},{},{},{},{}\n",
                        o.name,
                        e.url,
                        e.expected.name(),
                        e.got.name(),
                        e.passed()
                    ));
                }
            }
            out
        }
        FormatArg::Table => {
            let style = output::table_style(false);
            let mut table = comfy_table::Table::new();
            table
                .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_width(style.width)
                .set_header(vec!["Scenario", "Endpoint", "Expected", "Got", "", "Hint"]);
            if !style.color {
                table.force_no_tty();
            }
            for o in &outcomes {
                for e in &o.endpoints {
                    table.add_row(vec![
                        Cell::new(&o.name),
                        Cell::new(&e.url),
                        Cell::new(e.expected.name()),
                        Cell::new(e.got.name()),
                        Cell::new(if e.passed() { "pass" } else { "FAIL" }),
                        Cell::new(&e.hint),
                    ]);
                }
            }
            format!(
                "{table}\n{} of {total} lab verdicts as expected\n",
                total - failed
            )
        }
    };
    output::print(&text)?;
    Ok(if failed == 0 {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
