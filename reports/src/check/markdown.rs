//! Markdown for a ticket: what was checked, the totals, and the failures.

use std::fmt::Write as _;

use super::{CheckReport, Verdict};

/// Text safe inside a Markdown table cell, and as plain text wherever a
/// viewer renders the HTML Markdown allows: markup from a proxy's page or a
/// catalog is shown, never rendered.
fn cell(text: &str) -> String {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ");
    // Markdown's own markup (round 18: a catalog cell's `[l](javascript:..)`
    // became a link): links, code, emphasis and strikethrough are escaped.
    // An `_` inside a word emphasises nothing (`tls_intercepted`, a URL's
    // path) and is left as written.
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let word = |at: Option<&char>| at.is_some_and(|c| c.is_alphanumeric());
        let markup = match c {
            '[' | ']' | '`' | '*' | '~' => true,
            '_' => !(word(i.checked_sub(1).and_then(|p| chars.get(p))) && word(chars.get(i + 1))),
            _ => false,
        };
        if markup {
            out.push('\\');
        }
        out.push(*c);
    }
    out
}

pub(crate) fn render(report: &CheckReport) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = writeln!(out, "### pathprobe check: {}\n", cell(&report.catalog));
    let _ = writeln!(out, "{}\n", report.summary_line());
    let _ = writeln!(
        out,
        "- started: {}\n- routing: {}\n- tool: {} {}",
        cell(&report.started_at),
        cell(&report.routing),
        cell(&report.tool.name),
        cell(&report.tool.version)
    );
    if !report.filters.is_empty() {
        let _ = writeln!(out, "- filters: {}", cell(&report.filters.join(", ")));
    }
    for w in &report.warnings {
        let _ = writeln!(out, "- warning: {}", cell(w));
    }
    out.push('\n');
    // The conclusion first.
    let findings = &report.findings;
    if !findings.is_empty() {
        let _ = writeln!(out, "#### Findings\n");
        for (i, f) in findings.iter().take(crate::findings::SHOWN).enumerate() {
            let _ = writeln!(out, "{}. **{}**", i + 1, cell(&f.headline()));
            let _ = writeln!(out, "   - evidence: {}", cell(&f.evidence.join("; ")));
            let _ = writeln!(out, "   - action: {}", cell(&f.action_line()));
        }
        if findings.len() > crate::findings::SHOWN {
            let _ = writeln!(
                out,
                "\n… and {} more findings (the JSON report lists them all)",
                findings.len() - crate::findings::SHOWN
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "| verdict | endpoints |\n|---|---|");
    for (verdict, count) in &s.by_verdict {
        let _ = writeln!(out, "| `{verdict}` | {count} |");
    }
    let failed: Vec<_> = report
        .results
        .iter()
        .filter(|r| !r.verdict.is_ok() && r.verdict != Verdict::NotProbed)
        .collect();
    out.push('\n');
    if failed.is_empty() {
        let _ = writeln!(out, "Every probed endpoint is reachable.");
        return out;
    }
    let _ = writeln!(
        out,
        "#### Failures\n\n| endpoint | required | route | verdict | evidence | what to do |\n|---|---|---|---|---|---|"
    );
    for r in failed {
        let attempt = CheckReport::deciding(r);
        let _ = writeln!(
            out,
            "| {} | {} | {} | `{}` | {} | {} |",
            cell(&r.url),
            if r.required { "yes" } else { "no" },
            cell(&attempt.map_or_else(String::new, |a| a.route.to_string())),
            r.verdict.name(),
            cell(&attempt.map_or_else(String::new, |a| a.evidence.join("; "))),
            cell(&r.hint)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn markdown_of_a_cell_is_shown_never_obeyed() {
        assert_eq!(
            cell("[l](javascript:alert(2)) `*_x_* ~~s~~"),
            "\\[l\\](javascript:alert(2)) \\`\\*\\_x\\_\\* \\~\\~s\\~\\~"
        );
        // Words and URLs keep their underscores.
        assert_eq!(
            cell("tls_intercepted https://a.test/x_y?q=1"),
            "tls_intercepted https://a.test/x_y?q=1"
        );
        assert_eq!(cell("a|b <i>"), "a\\|b &lt;i&gt;");
    }
}
