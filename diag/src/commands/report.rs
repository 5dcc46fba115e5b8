//! `pathprobe report`: saved reports compared, re-rendered, described.

use pathprobe_reports::{CheckReport, Comparison};

use crate::cli::{ReportCommand, TableOrJson};
use crate::exit::Exit;
use crate::input::read_report;
use crate::output;

pub fn run(cmd: ReportCommand) -> anyhow::Result<Exit> {
    match cmd {
        ReportCommand::Diff(args) => {
            let before = read_report(&args.before)?;
            let after = read_report(&args.after)?;
            let comparison = Comparison::new(
                &before,
                &args.before.display().to_string(),
                &after,
                &args.after.display().to_string(),
            );
            let text = comparison.render(
                args.format == TableOrJson::Json,
                &output::table_style(false),
            )?;
            output::print(&text)?;
            Ok(if comparison.required_regressions() > 0 {
                Exit::Findings
            } else {
                Exit::Ok
            })
        }
        ReportCommand::Render(args) => {
            let report = read_report(&args.report)?;
            output::print(&report.render(args.format, &output::table_style(args.verbose))?)?;
            Ok(Exit::Ok)
        }
        ReportCommand::Schema => {
            output::print(&CheckReport::json_schema())?;
            Ok(Exit::Ok)
        }
    }
}
