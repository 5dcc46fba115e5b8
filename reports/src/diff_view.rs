//! `pathprobe urls diff`: endpoints added, removed and changed between versions.

use comfy_table::{Cell, Color};
use pathprobe_urls::{Change, ChangeKind};
use serde::Serialize;

use crate::table::TableStyle;
use crate::{OutputFormat, RenderError};

/// A diff ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// Always 1 for this layout.
    pub schema_version: u32,
    /// Name/path of the old catalog.
    pub old: String,
    /// Name/path of the new catalog.
    pub new: String,
    /// Added count.
    pub added: usize,
    /// Removed count.
    pub removed: usize,
    /// Changed count.
    pub changed: usize,
    /// The differences.
    pub changes: Vec<Change>,
}

impl DiffReport {
    /// Builds a report.
    pub fn new(old: String, new: String, changes: Vec<Change>) -> Self {
        let count = |k| changes.iter().filter(|c| c.kind == k).count();
        DiffReport {
            schema_version: 1,
            old,
            new,
            added: count(ChangeKind::Added),
            removed: count(ChangeKind::Removed),
            changed: count(ChangeKind::Changed),
            changes,
        }
    }

    /// True when the catalogs list the same endpoints with the same attributes.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Renders in `format`.
    pub fn render(&self, format: OutputFormat, style: &TableStyle) -> Result<String, RenderError> {
        match format {
            OutputFormat::Json => Ok(serde_json::to_string_pretty(self)? + "\n"),
            OutputFormat::Csv => self.csv(),
            OutputFormat::Table => Ok(self.table(style)),
        }
    }

    fn summary_line(&self) -> String {
        format!(
            "{} -> {}: {} added, {} removed, {} changed",
            self.old, self.new, self.added, self.removed, self.changed
        )
    }

    fn table(&self, style: &TableStyle) -> String {
        if self.changes.is_empty() {
            return format!("{}\nno differences\n", self.summary_line());
        }
        let mut t = style.table(vec!["", "Endpoint", "Port", "Geo", "What changed", "Where"]);
        for c in &self.changes {
            let (sign, color) = match c.kind {
                ChangeKind::Added => ("+", Color::Green),
                ChangeKind::Removed => ("-", Color::Red),
                ChangeKind::Changed => ("~", Color::Yellow),
            };
            let what = c
                .fields
                .iter()
                .map(|f| format!("{}: \"{}\" -> \"{}\"", f.field, f.old, f.new))
                .collect::<Vec<_>>()
                .join("\n");
            let place = [c.old_source.as_deref(), c.new_source.as_deref()]
                .iter()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
                .join(" -> ");
            let mut sign_cell = Cell::new(sign);
            if style.color {
                sign_cell = sign_cell.fg(color);
            }
            t.add_row(vec![
                sign_cell,
                Cell::new(&c.target),
                Cell::new(c.port),
                Cell::new(&c.geography),
                Cell::new(what),
                Cell::new(place),
            ]);
        }
        format!("{t}\n{}\n", self.summary_line())
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = crate::Csv::new();
        w.row([
            "change",
            "target",
            "port",
            "geography",
            "field",
            "old",
            "new",
            "old_source",
            "new_source",
        ])?;
        for c in &self.changes {
            let kind = match c.kind {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Changed => "changed",
            };
            let port = c.port.to_string();
            let olds = c.old_source.as_deref().unwrap_or_default();
            let news = c.new_source.as_deref().unwrap_or_default();
            if c.fields.is_empty() {
                w.row([kind, &c.target, &port, &c.geography, "", "", "", olds, news])?;
            }
            for f in &c.fields {
                w.row([
                    kind,
                    &c.target,
                    &port,
                    &c.geography,
                    &f.field,
                    &f.old,
                    &f.new,
                    olds,
                    news,
                ])?;
            }
        }
        w.finish()
    }
}
