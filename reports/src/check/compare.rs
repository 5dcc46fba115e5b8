//! Two runs side by side: which endpoints regressed, recovered or changed.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{BaselineInfo, Change, CheckReport, Verdict};
use crate::{RenderError, TableStyle};

/// One endpoint in either run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ComparedEndpoint {
    /// The URL probed.
    pub url: String,
    /// Whether the vendor marks it required (in the later run, else the earlier).
    pub required: bool,
    /// Verdict in the earlier run (None: not in it).
    pub before: Option<Verdict>,
    /// Verdict in the later run (None: not in it).
    pub after: Option<Verdict>,
    /// The change, when there is one worth telling.
    pub change: Option<Change>,
}

/// The comparison of an earlier and a later report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// Where the earlier report came from, and when it ran.
    pub before: String,
    /// Where the later report came from, and when it ran.
    pub after: String,
    /// Every endpoint of the later run, then those only the earlier had.
    pub endpoints: Vec<ComparedEndpoint>,
}

fn change(before: Option<Verdict>, after: Verdict) -> Option<Change> {
    let failed = |v: Verdict| !v.is_ok() && v != Verdict::NotProbed;
    match before {
        _ if after == Verdict::NotProbed => None,
        None | Some(Verdict::NotProbed) => Some(Change::New),
        Some(b) if b.is_ok() && failed(after) => Some(Change::Regressed),
        Some(b) if failed(b) && after.is_ok() => Some(Change::Recovered),
        Some(b) if failed(b) && failed(after) && b != after => Some(Change::Changed),
        Some(_) => None,
    }
}

impl Comparison {
    /// Compares `before` (read from `before_source`) with `after`.
    pub fn new(
        before: &CheckReport,
        before_source: &str,
        after: &CheckReport,
        after_source: &str,
    ) -> Self {
        let mut earlier: HashMap<&str, (Verdict, bool)> = HashMap::new();
        for r in &before.results {
            earlier
                .entry(r.url.as_str())
                .or_insert((r.verdict, r.required));
        }
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut endpoints = Vec::new();
        for r in &after.results {
            if !seen.insert(r.url.as_str()) {
                continue;
            }
            let before = earlier.get(r.url.as_str()).map(|(v, _)| *v);
            endpoints.push(ComparedEndpoint {
                url: r.url.clone(),
                required: r.required,
                before,
                after: Some(r.verdict),
                change: change(before, r.verdict),
            });
        }
        for r in &before.results {
            if seen.insert(r.url.as_str()) {
                endpoints.push(ComparedEndpoint {
                    url: r.url.clone(),
                    required: r.required,
                    before: Some(r.verdict),
                    after: None,
                    change: None,
                });
            }
        }
        Comparison {
            before: format!("{before_source} ({})", before.started_at),
            after: format!("{after_source} ({})", after.started_at),
            endpoints,
        }
    }

    /// Endpoints only the earlier run had.
    pub fn gone(&self) -> impl Iterator<Item = &ComparedEndpoint> {
        self.endpoints.iter().filter(|e| e.after.is_none())
    }

    /// How many endpoints have `change`.
    pub fn count(&self, change: Change) -> usize {
        self.endpoints
            .iter()
            .filter(|e| e.change == Some(change))
            .count()
    }

    /// Regressions of required endpoints (what `--fail-on regression` fails on).
    pub fn required_regressions(&self) -> usize {
        self.endpoints
            .iter()
            .filter(|e| e.required && e.change == Some(Change::Regressed))
            .count()
    }

    /// Marks `after`'s results with their changes and records the baseline.
    pub fn mark(&self, after: &mut CheckReport, baseline: &CheckReport, source: &str) {
        let changes: HashMap<&str, Option<Change>> = self
            .endpoints
            .iter()
            .map(|e| (e.url.as_str(), e.change))
            .collect();
        for r in &mut after.results {
            r.change = changes.get(r.url.as_str()).copied().flatten();
        }
        after.baseline = Some(BaselineInfo {
            source: source.to_owned(),
            started_at: baseline.started_at.clone(),
            gone: self.gone().map(|e| e.url.clone()).collect(),
        });
    }

    /// One line of totals.
    pub fn summary_line(&self) -> String {
        format!(
            "{} regressed ({} required), {} recovered, {} changed, {} new, {} gone",
            self.count(Change::Regressed),
            self.required_regressions(),
            self.count(Change::Recovered),
            self.count(Change::Changed),
            self.count(Change::New),
            self.gone().count()
        )
    }

    /// A table of what changed (or JSON of everything).
    pub fn render(&self, json: bool, style: &TableStyle) -> Result<String, RenderError> {
        if json {
            return Ok(serde_json::to_string_pretty(self)? + "\n");
        }
        let mut t = style.table(vec!["Endpoint", "Required", "Before", "After", "Change"]);
        let name = |v: Option<Verdict>| v.map_or("(absent)", |v| v.name());
        let mut rows = 0;
        for e in &self.endpoints {
            if e.change.is_none() && e.after.is_some() {
                continue;
            }
            rows += 1;
            t.add_row(vec![
                e.url.as_str(),
                if e.required { "yes" } else { "no" },
                name(e.before),
                name(e.after),
                e.change
                    .map_or(if e.after.is_none() { "gone" } else { "" }, |c| c.name()),
            ]);
        }
        let mut out = format!("before: {}\nafter:  {}\n", self.before, self.after);
        if rows > 0 {
            out.push_str(&format!("{t}\n"));
        } else {
            out.push_str("no endpoint changed its verdict\n");
        }
        out.push_str(&self.summary_line());
        out.push('\n');
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_classified_from_both_verdicts() {
        use Verdict::*;
        assert_eq!(change(Some(Ok), DnsFailure), Some(Change::Regressed));
        assert_eq!(change(Some(DnsFailure), Ok), Some(Change::Recovered));
        assert_eq!(
            change(Some(DnsFailure), TlsIntercepted),
            Some(Change::Changed)
        );
        assert_eq!(change(Some(DnsFailure), DnsFailure), None);
        assert_eq!(change(Some(Ok), Ok), None);
        assert_eq!(change(None, Ok), Some(Change::New));
        assert_eq!(change(Some(NotProbed), ProxyDenied), Some(Change::New));
        assert_eq!(change(Some(Ok), NotProbed), None);
    }
}
