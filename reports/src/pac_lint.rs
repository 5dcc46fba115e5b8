//! `pathprobe pac lint`: findings about a PAC script.

use comfy_table::Cell;
use pathprobe_pac::{Finding, Severity};
use serde::Serialize;

use crate::{OutputFormat, RenderError, TableStyle};

/// Version of the JSON form of [`PacLintReport`].
pub const PAC_LINT_SCHEMA_VERSION: u32 = 1;

/// What `pac lint` found in one script.
#[derive(Debug, Clone, Serialize)]
pub struct PacLintReport {
    /// [`PAC_LINT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The script's location (redacted).
    pub script: String,
    /// Warnings about how the script was served or read.
    pub fetch_warnings: Vec<String>,
    /// Findings, most serious first.
    pub findings: Vec<Finding>,
}

impl PacLintReport {
    /// A report for `script`.
    pub fn new(script: String, fetch_warnings: Vec<String>, findings: Vec<Finding>) -> Self {
        Self {
            schema_version: PAC_LINT_SCHEMA_VERSION,
            script,
            fetch_warnings,
            findings,
        }
    }

    /// Findings at this severity or above.
    pub fn count_at_least(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity >= severity)
            .count()
    }

    /// Renders the report.
    pub fn render(&self, format: OutputFormat, style: &TableStyle) -> Result<String, RenderError> {
        match format {
            OutputFormat::Json => Ok(serde_json::to_string_pretty(self)? + "\n"),
            OutputFormat::Csv => {
                let mut w = crate::Csv::new();
                w.row(["severity", "line", "column", "check", "message", "hint"])?;
                for f in &self.findings {
                    w.row([
                        f.severity.to_string(),
                        f.line.to_string(),
                        f.column.to_string(),
                        f.code.to_owned(),
                        f.message.clone(),
                        f.hint.clone(),
                    ])?;
                }
                w.finish()
            }
            OutputFormat::Table => Ok(self.table(style)),
        }
    }

    fn table(&self, style: &TableStyle) -> String {
        let mut out = String::new();
        for w in &self.fetch_warnings {
            out.push_str(&format!("warning: {}: {w}\n", self.script));
        }
        if self.findings.is_empty() {
            out.push_str(&format!("{}: no problems found\n", self.script));
            return out;
        }
        let mut table = style.table(vec!["Severity", "Line", "Check", "Problem", "Fix"]);
        for f in &self.findings {
            let line = if f.line == 0 {
                "-".to_owned()
            } else {
                format!("{}:{}", f.line, f.column)
            };
            let mut severity = Cell::new(f.severity.to_string());
            if style.color {
                severity = severity.fg(match f.severity {
                    Severity::Error => comfy_table::Color::Red,
                    Severity::Warning => comfy_table::Color::Yellow,
                    Severity::Info => comfy_table::Color::Blue,
                });
            }
            table.add_row(vec![
                severity,
                Cell::new(line),
                Cell::new(f.code),
                Cell::new(&f.message),
                Cell::new(&f.hint),
            ]);
        }
        let count = |s: Severity| self.findings.iter().filter(|f| f.severity == s).count();
        out.push_str(&format!(
            "{}\n{}: {} error(s), {} warning(s), {} note(s)\n",
            table,
            self.script,
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_json_and_counts() {
        let findings = pathprobe_pac::lint(
            "function FindProxyForURL(u, host) {\n  if (isInNet(host, '10.0.0.0', '255.0.0.0')) return 'DIRECT';\n}\n",
        );
        let report = PacLintReport::new("corp.pac".into(), vec![], findings);
        assert_eq!(report.count_at_least(Severity::Error), 1);
        assert_eq!(report.count_at_least(Severity::Warning), 2);
        let table = report
            .render(OutputFormat::Table, &TableStyle::plain(140))
            .unwrap();
        assert!(
            table.contains("missing-return") && table.contains("hidden-dns"),
            "{table}"
        );
        assert!(
            table.ends_with("corp.pac: 1 error(s), 1 warning(s), 0 note(s)\n"),
            "{table}"
        );
        let json: serde_json::Value = serde_json::from_str(
            &report
                .render(OutputFormat::Json, &TableStyle::plain(80))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(json["findings"][0]["severity"], "error");
        assert_eq!(json["findings"][1]["code"], "hidden-dns");
        assert_eq!(json["findings"][1]["line"], 2);
        let clean = PacLintReport::new("ok.pac".into(), vec![], vec![]);
        assert_eq!(
            clean
                .render(OutputFormat::Table, &TableStyle::plain(80))
                .unwrap(),
            "ok.pac: no problems found\n"
        );
    }
}
