//! `pathprobe proxy explain`: every proxy setting found, which one wins, and
//! the routes each URL gets.

use comfy_table::Cell;
use pathprobe_pac::discovery::{Explanation, Profile, ProxyConfig, Standing, TargetOs};
use serde::Serialize;

use crate::{OutputFormat, RenderError, TableStyle};

/// Version of the JSON form of [`ProxyExplainReport`].
pub const PROXY_EXPLAIN_SCHEMA_VERSION: u32 = 1;

/// The report: the explanation plus a schema version.
#[derive(Debug, Clone, Serialize)]
pub struct ProxyExplainReport {
    /// [`PROXY_EXPLAIN_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Everything found and decided.
    #[serde(flatten)]
    pub explanation: Explanation,
}

/// A setting in a few words.
pub fn describe(config: &ProxyConfig) -> String {
    match config {
        ProxyConfig::Direct => "no proxy (direct)".into(),
        ProxyConfig::AutoDetect => "auto-detect (WPAD)".into(),
        ProxyConfig::Pac { location } => format!("PAC {}", location.display()),
        ProxyConfig::Static {
            http,
            https,
            all,
            bypass,
            unusable,
        } => {
            let mut parts = Vec::new();
            match (http, https) {
                (Some(h), Some(s)) if h == s => parts.push(format!("{h}")),
                _ => {
                    if let Some(h) = http {
                        parts.push(format!("http: {h}"));
                    }
                    if let Some(s) = https {
                        parts.push(format!("https: {s}"));
                    }
                }
            }
            if let Some(a) = all {
                parts.push(format!("all: {a}"));
            }
            for u in unusable {
                parts.push(format!("{}: cannot be used ({})", u.name, u.why));
            }
            if !bypass.is_empty() {
                parts.push(format!("bypass: {}", bypass.entries.join(", ")));
            }
            parts.join("\n")
        }
    }
}

fn standing_text(s: &Standing) -> String {
    match s {
        Standing::Winner { .. } => "IN FORCE".into(),
        Standing::Fallback { rule } => format!("fallback: {rule}"),
        Standing::Lost { to, .. } => format!("overridden by {to}"),
        Standing::Ignored { why } => format!("ignored: {why}"),
    }
}

impl ProxyExplainReport {
    /// Wraps an explanation.
    pub fn new(explanation: Explanation) -> Self {
        Self {
            schema_version: PROXY_EXPLAIN_SCHEMA_VERSION,
            explanation,
        }
    }

    /// Renders the report (CSV gives one row per URL).
    pub fn render(&self, format: OutputFormat, style: &TableStyle) -> Result<String, RenderError> {
        match format {
            OutputFormat::Json => Ok(serde_json::to_string_pretty(self)? + "\n"),
            OutputFormat::Csv => {
                let mut w = crate::Csv::new();
                w.row(["url", "routes", "decided_by", "detail", "error"])?;
                for u in &self.explanation.urls {
                    let routes: Vec<String> =
                        u.decision.routes.iter().map(ToString::to_string).collect();
                    w.row([
                        u.url.clone(),
                        routes.join("; "),
                        u.decision
                            .decided_by
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        u.decision.detail.clone(),
                        u.error.clone().unwrap_or_default(),
                    ])?;
                }
                w.finish()
            }
            OutputFormat::Table => Ok(self.table(style)),
        }
    }

    fn table(&self, style: &TableStyle) -> String {
        let e = &self.explanation;
        let profile = match e.profile {
            Profile::System => "system",
            Profile::Agent => "agent (Defender for Endpoint)",
        };
        let os = match e.os {
            TargetOs::Linux => "Linux",
            TargetOs::Macos => "macOS",
            TargetOs::Windows => "Windows",
        };
        let mut out = format!("Profile: {profile}, {os} rules\n");
        if let Some(rule) = e.sources.iter().find_map(|s| match &s.standing {
            Standing::Winner { rule } => Some(rule.clone()),
            _ => None,
        }) {
            out.push_str(&format!("Rule: {rule}\n"));
        }
        if e.sources.is_empty() && !e.problems.is_empty() {
            // Found, and not readable: not "none found" (round 22).
            out.push_str(&format!(
                "No usable proxy setting: {} could not be read (problems below).\n",
                if e.problems.len() == 1 {
                    "the one found".to_owned()
                } else {
                    format!("the {} found", e.problems.len())
                }
            ));
        } else if e.sources.is_empty() {
            out.push_str("No proxy setting found.\n");
        } else {
            let mut t = style.table(vec!["Source", "Setting", "Standing"]);
            for s in &e.sources {
                let mut standing = Cell::new(standing_text(&s.standing));
                if style.color && matches!(s.standing, Standing::Winner { .. }) {
                    standing = standing.fg(comfy_table::Color::Green);
                }
                t.add_row(vec![
                    Cell::new(s.found.provenance.to_string()),
                    Cell::new(describe(&s.found.config)),
                    standing,
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
        if let Some(pac) = &e.pac {
            out.push_str(&format!(
                "PAC in force: {} (found by {}{})\n",
                pac.location,
                pac.found_by,
                pac.content_type
                    .as_ref()
                    .map(|c| format!(", served as {c}"))
                    .unwrap_or_default()
            ));
        }
        if !e.wpad_dns.is_empty() {
            out.push_str("WPAD names asked:\n");
            for a in &e.wpad_dns {
                out.push_str(&format!("  {}: {}\n", a.name, a.outcome));
            }
        }
        if !e.urls.is_empty() {
            let mut t = style.table(vec!["URL", "Routes (in order)", "Why"]);
            for u in &e.urls {
                let routes: Vec<String> =
                    u.decision.routes.iter().map(ToString::to_string).collect();
                let why = match &u.error {
                    Some(err) => format!("error: {err}"),
                    None => match &u.decision.decided_by {
                        Some(by) => format!("{}\n{by}", u.decision.detail),
                        None => u.decision.detail.clone(),
                    },
                };
                t.add_row(vec![
                    Cell::new(&u.url),
                    Cell::new(routes.join("\n")),
                    Cell::new(why),
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
        for w in &e.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        for p in &e.problems {
            out.push_str(&format!("problem: {p}\n"));
        }
        if style.verbose {
            for place in &e.empty {
                out.push_str(&format!("looked at, nothing set: {place}\n"));
            }
        }
        out
    }
}
