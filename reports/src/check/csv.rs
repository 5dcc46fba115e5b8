//! CSV: one row per probe attempt (a row with no route for what was not probed).

use super::CheckReport;
use crate::RenderError;

pub(crate) fn render(report: &CheckReport) -> Result<String, RenderError> {
    let mut w = crate::Csv::new();
    w.row([
        "url",
        "category",
        "required",
        "route",
        "route_from",
        "verdict",
        "endpoint_verdict",
        "status",
        "elapsed_ms",
        "change",
        "evidence",
        "hint",
    ])?;
    for r in &report.results {
        let required = if r.required { "yes" } else { "no" };
        let change = r.change.map_or("", |c| c.name());
        if r.attempts.is_empty() {
            w.row([
                r.url.as_str(),
                r.category.as_deref().unwrap_or(""),
                required,
                "",
                r.route_source.as_str(),
                r.verdict.name(),
                r.verdict.name(),
                "",
                "",
                change,
                "",
                r.hint.as_str(),
            ])?;
        }
        for a in &r.attempts {
            let elapsed: f64 = a.phases.iter().map(|p| p.elapsed_ms).sum();
            w.row([
                r.url.as_str(),
                r.category.as_deref().unwrap_or(""),
                required,
                &a.route.to_string(),
                r.route_source.as_str(),
                a.verdict.name(),
                r.verdict.name(),
                &a.status.map(|s| s.to_string()).unwrap_or_default(),
                &format!("{elapsed:.1}"),
                change,
                &a.evidence.join("; "),
                a.hint.as_str(),
            ])?;
        }
    }
    w.finish()
}
