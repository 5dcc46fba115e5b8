//! The terminal table (grouped by category) and the `mdatp`-style lines.

use comfy_table::Cell;

use super::{CheckReport, ProbeResult, cell_verdict};
use crate::TableStyle;

/// Results grouped by category, groups in order of first appearance.
pub(crate) fn groups(report: &CheckReport) -> Vec<(&str, Vec<&ProbeResult>)> {
    let mut groups: Vec<(&str, Vec<&ProbeResult>)> = Vec::new();
    for r in &report.results {
        let name = r.category.as_deref().unwrap_or("Uncategorised");
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(r),
            None => groups.push((name, vec![r])),
        }
    }
    groups
}

fn slowest(r: &ProbeResult) -> String {
    CheckReport::deciding(r)
        .and_then(|a| {
            a.phases
                .iter()
                .max_by(|x, y| x.elapsed_ms.total_cmp(&y.elapsed_ms))
        })
        .map_or_else(String::new, |p| {
            format!("{} {:.0} ms", p.phase.name(), p.elapsed_ms)
        })
}

fn phases(r: &ProbeResult) -> String {
    CheckReport::deciding(r).map_or_else(String::new, |a| {
        a.phases
            .iter()
            .map(|p| {
                // Waiting for a DNS slot is not DNS time, but it is time.
                if p.queued_ms >= 1.0 {
                    format!(
                        "{} {:.0} (+{:.0} queued)",
                        p.phase.name(),
                        p.elapsed_ms,
                        p.queued_ms
                    )
                } else {
                    format!("{} {:.0}", p.phase.name(), p.elapsed_ms)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    })
}

pub(crate) fn render(report: &CheckReport, style: &TableStyle) -> String {
    let groups = groups(report);
    let titled = groups.len() > 1;
    let mut out = String::new();
    for w in &report.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    // The conclusion first: what is wrong, in the order to fix it.
    let findings = &report.findings;
    if !findings.is_empty() {
        out.push_str("\nFindings\n");
        for (i, f) in findings.iter().take(crate::findings::SHOWN).enumerate() {
            out.push_str(&format!("{:>2}. {}\n", i + 1, f.headline()));
            out.push_str(&format!("    {}\n", f.evidence.join(" · ")));
            out.push_str(&format!("    → {}\n", f.action_line()));
        }
        if findings.len() > crate::findings::SHOWN {
            out.push_str(&format!(
                "    … and {} more findings (the JSON report lists them all)\n",
                findings.len() - crate::findings::SHOWN
            ));
        }
    }
    for (name, results) in &groups {
        let ok = results.iter().filter(|r| r.verdict.is_ok()).count();
        if titled {
            out.push_str(&format!("\n{name} ({ok} of {} ok)\n", results.len()));
        }
        let mut header = vec!["Endpoint", "Route", "Verdict", "Slowest phase", "Hint"];
        if style.verbose {
            header.insert(4, "Phases (ms)");
            header.insert(5, "Route from");
        }
        if report.baseline.is_some() {
            header.insert(3, "Change");
        }
        // A page of rows at a time: the table library holds every cell
        // several times over while it lays a table out.
        let empty: [&ProbeResult; 0] = [];
        let pages: Vec<&[&ProbeResult]> = if results.is_empty() {
            vec![&empty]
        } else {
            results.chunks(crate::table::PAGE_ROWS).collect()
        };
        for page in pages {
            let mut t = style.table(header.clone());
            for r in page {
                let route =
                    CheckReport::deciding(r).map_or_else(String::new, |a| a.route.to_string());
                let mut row = vec![
                    Cell::new(&r.url),
                    Cell::new(route),
                    cell_verdict(r.verdict, style.color),
                    Cell::new(slowest(r)),
                    Cell::new(&r.hint),
                ];
                if style.verbose {
                    row.insert(4, Cell::new(phases(r)));
                    row.insert(5, Cell::new(&r.route_source));
                }
                if report.baseline.is_some() {
                    row.insert(3, Cell::new(r.change.map_or("", |c| c.name())));
                }
                t.add_row(row);
            }
            out.push_str(&format!("{t}\n"));
        }
    }
    if let Some(b) = &report.baseline {
        let count = |c| {
            report
                .results
                .iter()
                .filter(|r| r.change == Some(c))
                .count()
        };
        out.push_str(&format!(
            "compared with {} ({}): {} regressed, {} recovered, {} changed, {} new, {} gone\n",
            b.source,
            b.started_at,
            count(super::Change::Regressed),
            count(super::Change::Recovered),
            count(super::Change::Changed),
            count(super::Change::New),
            b.gone.len()
        ));
    }
    out.push_str(&report.summary_line());
    out.push('\n');
    out
}

/// The lines `mdatp connectivity test` prints, one per probed URL, so that
/// scripts written around the vendor's tool keep working.
pub(crate) fn lines(report: &CheckReport) -> String {
    let mut out = String::new();
    for r in report.results.iter().filter(|r| !r.attempts.is_empty()) {
        let mark = if r.verdict.is_ok() { "[OK]" } else { "[ERROR]" };
        out.push_str(&format!("Testing connection with {} ... {mark}\n", r.url));
    }
    // Then what the errors share, one line each, most important first.
    for f in &report.findings {
        out.push_str(&format!("Finding: {}\n", f.headline()));
    }
    out
}
