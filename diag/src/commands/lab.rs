//! `pathprobe lab`.

use anyhow::Context as _;
use comfy_table::Cell;

use crate::cli::{FormatArg, LabArgs};
use crate::exit::{Exit, UsageError};
use crate::lab::{
    BUILTIN, Scenario, ScenarioError, ScenarioOutcome, describe_findings, run as run_scenario,
};
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
    // A scenario's findings are checked as one more result of it.
    let findings_failed = outcomes.iter().filter(|o| !o.findings_passed()).count();
    let findings_checked = outcomes
        .iter()
        .filter(|o| o.expected_findings.is_some())
        .count();
    let text = match args.format {
        FormatArg::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "schema_version": 1,
                "scenarios": outcomes,
                "passed": total - failed,
                "failed": failed,
                "findings_passed": findings_checked - findings_failed,
                "findings_failed": findings_failed,
            }))? + "\n"
        }
        FormatArg::Csv => {
            // Through a CSV writer: a scenario's name may hold commas and quotes.
            let mut w = pathprobe_reports::Csv::new();
            w.row(["scenario", "url", "expected", "got", "passed"])?;
            for o in &outcomes {
                for e in &o.endpoints {
                    w.row([
                        o.name.as_str(),
                        e.url.as_str(),
                        e.expected.name(),
                        e.got.name(),
                        if e.passed() { "true" } else { "false" },
                    ])?;
                }
                // The scenario's findings, as one more row.
                if let Some(expected) = &o.expected_findings {
                    w.row([
                        o.name.as_str(),
                        "(findings)",
                        describe_findings(expected).as_str(),
                        o.described_findings().as_str(),
                        if o.findings_passed() { "true" } else { "false" },
                    ])?;
                }
            }
            w.finish()?
        }
        FormatArg::Table => {
            let style = output::table_style(false);
            let mut table =
                style.table(vec!["Scenario", "Endpoint", "Expected", "Got", "", "Hint"]);
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
            let mut findings = String::new();
            for o in &outcomes {
                let got = o.described_findings();
                let line = match &o.expected_findings {
                    None => format!("{}: findings {got} (not stated by the scenario)", o.name),
                    Some(_) if o.findings_passed() => format!("{}: findings {got}: pass", o.name),
                    Some(expected) => format!(
                        "{}: findings {got}: FAIL, expected {}",
                        o.name,
                        describe_findings(expected)
                    ),
                };
                findings.push_str(&line);
                findings.push('\n');
            }
            format!(
                "{table}\n{findings}{} of {total} lab verdicts as expected; findings as expected in {} of {findings_checked} scenarios\n",
                total - failed,
                findings_checked - findings_failed
            )
        }
    };
    output::print(&text)?;
    Ok(if failed == 0 && findings_failed == 0 {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
