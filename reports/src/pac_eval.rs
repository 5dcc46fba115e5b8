//! `pathprobe pac eval`: which routes a PAC script gives for each URL.

use comfy_table::Cell;
use pathprobe_pac::{EntryPoint, Evaluation, Route, RouteWarning, UrlMode};
use serde::Serialize;

use crate::{OutputFormat, RenderError, TableStyle};

/// Version of the JSON form of [`PacEvalReport`].
pub const PAC_EVAL_SCHEMA_VERSION: u32 = 1;

/// The script that was evaluated.
#[derive(Debug, Clone, Serialize)]
pub struct PacScriptInfo {
    /// Where it came from (redacted).
    pub location: String,
    /// Where it came from after redirects (redacted).
    pub final_location: String,
    /// The `Content-Type` it was served with, for URLs.
    pub content_type: Option<String>,
    /// Size in bytes.
    pub bytes: usize,
    /// The function that answers.
    pub entry_point: Option<EntryPoint>,
    /// Warnings about the script or how it was served.
    pub warnings: Vec<String>,
}

/// The inputs that shape answers besides the URL.
#[derive(Debug, Clone, Serialize)]
pub struct PacEvalSettings {
    /// Which URL form the script received.
    pub url_mode: UrlMode,
    /// The fixed time the date helpers saw, if one was given.
    pub at: Option<String>,
    /// What `myIpAddress` returned.
    pub my_ip: Vec<String>,
    /// Fixed DNS answers given on the command line (`host=ip`).
    pub dns: Vec<String>,
}

/// One DNS lookup a helper made.
#[derive(Debug, Clone, Serialize)]
pub struct LookupView {
    /// The name.
    pub host: String,
    /// Addresses found.
    pub addresses: Vec<String>,
    /// Why there were none.
    pub error: Option<String>,
    /// Milliseconds spent.
    pub elapsed_ms: f64,
}

/// The answer (or failure) for one URL.
#[derive(Debug, Clone, Serialize)]
pub struct PacEvalResult {
    /// The URL as given.
    pub input: String,
    /// Catalog context (category, pattern) when evaluating a catalog.
    pub label: Option<String>,
    /// What the script received as `url`.
    pub url: Option<String>,
    /// What the script received as `host`.
    pub host: Option<String>,
    /// The string the script returned.
    pub raw: Option<String>,
    /// Routes in the order a client tries them.
    pub routes: Vec<Route>,
    /// Entries of the result that could not be used.
    pub route_warnings: Vec<RouteWarning>,
    /// DNS lookups made by the helpers (the first 100).
    pub lookups: Vec<LookupView>,
    /// Lookups made past those, counted only.
    #[serde(skip_serializing_if = "is_zero")]
    pub more_lookups: usize,
    /// Messages passed to `alert()`.
    pub alerts: Vec<String>,
    /// Alerts past those, counted only.
    #[serde(skip_serializing_if = "is_zero")]
    pub more_alerts: usize,
    /// Why there is no answer, or why the URL was not evaluated.
    pub error: Option<String>,
    /// True when the URL was skipped rather than failed.
    pub skipped: bool,
    /// Milliseconds spent evaluating.
    pub elapsed_ms: f64,
}

impl PacEvalResult {
    /// A URL the script answered.
    pub fn answered(input: &str, label: Option<String>, eval: Evaluation) -> Self {
        Self {
            input: input.to_owned(),
            label,
            url: Some(eval.url),
            host: Some(eval.host),
            raw: Some(eval.raw),
            routes: eval.parsed.routes,
            route_warnings: eval.parsed.warnings,
            lookups: eval
                .lookups
                .into_iter()
                .map(|l| {
                    let (addresses, error) = match l.outcome {
                        Ok(a) => (a.iter().map(ToString::to_string).collect(), None),
                        Err(e) => (Vec::new(), Some(e)),
                    };
                    LookupView {
                        host: l.host,
                        addresses,
                        error,
                        elapsed_ms: millis(l.elapsed),
                    }
                })
                .collect(),
            more_lookups: eval.more_lookups,
            alerts: eval.alerts,
            more_alerts: eval.more_alerts,
            error: None,
            skipped: false,
            elapsed_ms: millis(eval.elapsed),
        }
    }

    /// A URL the script answered with a string that holds no usable route
    /// (`"END-OF-SCRIPT"`): kept as returned, with why it cannot route.
    pub fn unusable(input: &str, label: Option<String>, raw: String, why: String) -> Self {
        let mut result = Self::empty(input, label, why, false);
        result.raw = Some(raw);
        result
    }

    /// True when the script returned a string that is not a route list.
    pub fn is_unusable(&self) -> bool {
        self.raw.is_some() && self.error.is_some()
    }

    /// A URL the script could not answer.
    pub fn failed(input: &str, label: Option<String>, error: String) -> Self {
        Self::empty(input, label, error, false)
    }

    /// A URL that was not evaluated (e.g. a wildcard without a concrete host).
    pub fn skipped(input: &str, label: Option<String>, reason: String) -> Self {
        Self::empty(input, label, reason, true)
    }

    fn empty(input: &str, label: Option<String>, error: String, skipped: bool) -> Self {
        Self {
            input: input.to_owned(),
            label,
            url: None,
            host: None,
            raw: None,
            routes: Vec::new(),
            route_warnings: Vec::new(),
            lookups: Vec::new(),
            more_lookups: 0,
            alerts: Vec::new(),
            more_alerts: 0,
            error: Some(error),
            skipped,
            elapsed_ms: 0.0,
        }
    }

    /// True when the script gave at least one usable route.
    pub fn is_answered(&self) -> bool {
        self.error.is_none()
    }

    fn routes_text(&self) -> String {
        self.routes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(e) = &self.error {
            notes.push(if self.skipped {
                format!("skipped: {e}")
            } else {
                format!("error: {e}")
            });
        }
        for w in &self.route_warnings {
            notes.push(format!("ignored entry \"{}\": {}", w.raw, w.reason));
        }
        for l in &self.lookups {
            notes.push(match &l.error {
                Some(e) => format!("DNS {}: {e} ({:.0} ms)", l.host, l.elapsed_ms),
                None => format!(
                    "DNS {} → {} ({:.0} ms)",
                    l.host,
                    l.addresses.join(", "),
                    l.elapsed_ms
                ),
            });
        }
        if self.more_lookups > 0 {
            notes.push(format!(
                "… and {} more DNS lookups, not shown",
                self.more_lookups
            ));
        }
        for a in &self.alerts {
            notes.push(format!("alert: {a}"));
        }
        if self.more_alerts > 0 {
            notes.push(format!("… and {} more alerts, not kept", self.more_alerts));
        }
        notes
    }
}

fn millis(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}

/// Everything `pac eval` found.
#[derive(Debug, Clone, Serialize)]
pub struct PacEvalReport {
    /// [`PAC_EVAL_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The script.
    pub script: PacScriptInfo,
    /// The inputs besides the URLs.
    pub settings: PacEvalSettings,
    /// One result per URL, in input order.
    pub results: Vec<PacEvalResult>,
}

impl PacEvalReport {
    /// A report of these results.
    pub fn new(
        script: PacScriptInfo,
        settings: PacEvalSettings,
        results: Vec<PacEvalResult>,
    ) -> Self {
        Self {
            schema_version: PAC_EVAL_SCHEMA_VERSION,
            script,
            settings,
            results,
        }
    }

    /// Number of URLs that failed (skipped ones are not failures).
    pub fn failures(&self) -> usize {
        self.results
            .iter()
            .filter(|r| !r.is_answered() && !r.skipped)
            .count()
    }

    /// Number of URLs the script answered with a string that is not a
    /// route list (pactester prints those as they are and succeeds).
    pub fn unusable(&self) -> usize {
        self.results.iter().filter(|r| r.is_unusable()).count()
    }

    /// Renders the report.
    pub fn render(&self, format: OutputFormat, style: &TableStyle) -> Result<String, RenderError> {
        match format {
            OutputFormat::Json => Ok(serde_json::to_string_pretty(self)? + "\n"),
            OutputFormat::Csv => self.csv(),
            OutputFormat::Table => Ok(self.table(style)),
        }
    }

    /// The raw results only, one per line, as pactester prints them: what
    /// the script returned, exactly, even when it is not a route list.
    pub fn raw_lines(&self) -> String {
        let mut out = String::new();
        for r in &self.results {
            match (&r.raw, &r.error) {
                // One line per URL: a line break inside an answer (no
                // route list has one) is written out, never a line of its own.
                (Some(raw), _) => out.push_str(&pathprobe_files::quote::visible(raw)),
                (None, Some(e)) => {
                    out.push_str(if r.skipped { "SKIPPED: " } else { "ERROR: " });
                    out.push_str(e);
                }
                (None, None) => {}
            }
            out.push('\n');
        }
        out
    }

    fn header_line(&self) -> String {
        let entry = self
            .script
            .entry_point
            .map_or("no entry point", EntryPoint::name);
        let mut line = format!(
            "PAC {} ({}, {} bytes)",
            self.script.location, entry, self.script.bytes
        );
        if let Some(at) = &self.settings.at {
            line.push_str(&format!(", evaluated as of {at}"));
        }
        line.push('\n');
        for w in &self.script.warnings {
            line.push_str(&format!("warning: {w}\n"));
        }
        line
    }

    fn table(&self, style: &TableStyle) -> String {
        let labelled = self.results.iter().any(|r| r.label.is_some());
        let mut header = vec!["URL"];
        if labelled {
            header.push("Catalog entry");
        }
        if style.verbose {
            header.push("Script saw");
        }
        header.extend(["Returned", "Routes (in order)", "Notes"]);
        let mut table = style.table(header);
        for r in &self.results {
            let mut row = vec![Cell::new(&r.input)];
            if labelled {
                row.push(Cell::new(r.label.as_deref().unwrap_or("")));
            }
            if style.verbose {
                row.push(Cell::new(match (&r.url, &r.host) {
                    (Some(u), Some(h)) => format!("url  {u}\nhost {h}"),
                    _ => String::new(),
                }));
            }
            row.push(Cell::new(pathprobe_files::quote::visible(
                r.raw.as_deref().unwrap_or(""),
            )));
            row.push(Cell::new(r.routes_text()));
            row.push(Cell::new(r.notes().join("\n")));
            table.add_row(row);
        }
        let answered = self.results.iter().filter(|r| r.is_answered()).count();
        let skipped = self.results.iter().filter(|r| r.skipped).count();
        let mut summary = format!("{answered} of {} URLs answered", self.results.len());
        if self.failures() > 0 {
            summary.push_str(&format!(", {} failed", self.failures()));
        }
        if skipped > 0 {
            summary.push_str(&format!(", {skipped} skipped"));
        }
        format!("{}{table}\n{summary}\n", self.header_line())
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = crate::Csv::new();
        w.row([
            "input", "label", "url", "host", "returned", "routes", "error", "notes",
        ])?;
        for r in &self.results {
            let routes: Vec<String> = r.routes.iter().map(ToString::to_string).collect();
            w.row([
                r.input.as_str(),
                r.label.as_deref().unwrap_or(""),
                r.url.as_deref().unwrap_or(""),
                r.host.as_deref().unwrap_or(""),
                r.raw.as_deref().unwrap_or(""),
                &routes.join("; "),
                r.error.as_deref().unwrap_or(""),
                &r.notes().join(" | "),
            ])?;
        }
        w.finish()
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathprobe_pac::ProxyKind;

    fn report() -> PacEvalReport {
        let mut ok = PacEvalResult::failed("x", None, String::new());
        ok.error = None;
        ok.raw = Some("PROXY p.corp:3128; DIRECT".into());
        ok.routes = vec![
            Route::Proxy {
                kind: ProxyKind::Http,
                host: "p.corp".into(),
                port: 3128,
            },
            Route::Direct,
        ];
        ok.input = "https://a.example/".into();
        PacEvalReport::new(
            PacScriptInfo {
                location: "corp.pac".into(),
                final_location: "corp.pac".into(),
                content_type: None,
                bytes: 120,
                entry_point: Some(EntryPoint::FindProxyForURL),
                warnings: vec![],
            },
            PacEvalSettings {
                url_mode: UrlMode::Stripped,
                at: None,
                my_ip: vec!["10.0.0.1".into()],
                dns: vec![],
            },
            vec![
                ok,
                PacEvalResult::failed("http://b/", None, "threw: boom".into()),
                PacEvalResult::skipped("*.c.example", None, "wildcard".into()),
            ],
        )
    }

    #[test]
    fn table_shows_routes_in_order_and_a_summary() {
        let text = report()
            .render(OutputFormat::Table, &TableStyle::plain(120))
            .unwrap();
        assert!(text.starts_with("PAC corp.pac (FindProxyForURL, 120 bytes)\n"));
        let proxy = text
            .find("PROXY p.corp:3128\n")
            .or_else(|| text.find("PROXY p.corp:3128 "))
            .unwrap();
        assert!(proxy < text.rfind("DIRECT").unwrap());
        assert!(text.contains("error: threw: boom"));
        assert!(
            text.ends_with("1 of 3 URLs answered, 1 failed, 1 skipped\n"),
            "{text}"
        );
    }

    #[test]
    fn json_and_raw_forms() {
        let r = report();
        let json: serde_json::Value = serde_json::from_str(
            &r.render(OutputFormat::Json, &TableStyle::plain(80))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["results"][0]["routes"][0]["type"], "proxy");
        assert_eq!(json["results"][0]["routes"][0]["port"], 3128);
        assert_eq!(
            r.raw_lines(),
            "PROXY p.corp:3128; DIRECT\nERROR: threw: boom\nSKIPPED: wildcard\n"
        );
        assert_eq!(r.failures(), 1);
    }
}
