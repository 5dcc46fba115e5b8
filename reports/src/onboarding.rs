//! `pathprobe onboarding inspect`: what onboarding and offboarding packages say.

use comfy_table::Cell;
use pathprobe_urls::{Package, PackageKind};
use serde::Serialize;

use crate::{OutputFormat, RenderError, TableStyle};

/// Version of the JSON form of [`OnboardingReport`].
pub const ONBOARDING_SCHEMA_VERSION: u32 = 1;

/// Whether an offboarding package still works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Validity {
    /// Onboarding packages do not expire.
    DoesNotExpire,
    /// Valid for this many more whole days.
    Valid {
        /// Days left.
        days_left: i64,
    },
    /// Expired this many days ago.
    Expired {
        /// Days since.
        days_ago: i64,
    },
    /// An offboarding package that states no expiry.
    Unknown,
}

impl std::fmt::Display for Validity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::DoesNotExpire => f.write_str("does not expire"),
            Self::Valid { days_left: 0 } => f.write_str("valid, expires today"),
            Self::Valid { days_left } => write!(f, "valid, expires in {days_left} days"),
            Self::Expired { days_ago } => write!(f, "EXPIRED {days_ago} days ago"),
            Self::Unknown => f.write_str("no expiry stated"),
        }
    }
}

/// One package as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PackageView {
    /// What the package says (the organisation id masked unless asked).
    #[serde(flatten)]
    pub package: Package,
    /// Connectivity flavour: `streamlined` or `standard`.
    pub connectivity: String,
    /// Validity now.
    pub validity: Validity,
}

/// Everything `onboarding inspect` found.
#[derive(Debug, Clone, Serialize)]
pub struct OnboardingReport {
    /// [`ONBOARDING_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The packages, in the order given.
    pub packages: Vec<PackageView>,
    /// What a person must know (conflicts, expiry, another organisation).
    pub warnings: Vec<String>,
}

/// `0a1b2c3d-…-abcd`: enough to tell tenants apart, not enough to copy.
pub fn mask_org_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 12 {
        return "…".repeat(chars.len().min(3));
    }
    let head: String = chars.iter().take(8).collect();
    let tail: String = chars.iter().skip(chars.len() - 4).collect();
    format!("{head}-…-{tail}")
}

impl OnboardingReport {
    /// Renders the report.
    pub fn render(&self, format: OutputFormat, style: &TableStyle) -> Result<String, RenderError> {
        match format {
            OutputFormat::Json => Ok(serde_json::to_string_pretty(self)? + "\n"),
            OutputFormat::Csv => {
                let mut w = crate::Csv::new();
                w.row([
                    "source",
                    "kind",
                    "form",
                    "org_id",
                    "data_location",
                    "connectivity",
                    "datacenter",
                    "gateway_url",
                    "version",
                    "validity",
                    "signer",
                ])?;
                for v in &self.packages {
                    let p = &v.package;
                    w.row([
                        p.source.clone(),
                        p.kind.name().to_owned(),
                        p.form.clone(),
                        p.org_id.clone().unwrap_or_default(),
                        location(p),
                        v.connectivity.clone(),
                        p.datacenter.clone().unwrap_or_default(),
                        p.gateway_url.clone().unwrap_or_default(),
                        p.version.clone().unwrap_or_default(),
                        v.validity.to_string(),
                        p.signer
                            .as_ref()
                            .map(|s| s.subject.clone())
                            .unwrap_or_default(),
                    ])?;
                }
                w.finish()
            }
            OutputFormat::Table => {
                let mut out = String::new();
                for v in &self.packages {
                    let p = &v.package;
                    let mut t = style.table(vec!["", ""]);
                    let mut row = |k: &str, val: String| {
                        if !val.is_empty() {
                            t.add_row(vec![Cell::new(k), Cell::new(val)]);
                        }
                    };
                    row("kind", format!("{} ({})", p.kind.name(), p.form));
                    row("organisation", p.org_id.clone().unwrap_or_default());
                    if p.kind == PackageKind::Offboarding && !p.org_ids.is_empty() {
                        row("organisations", p.org_ids.join(", "));
                    }
                    row("data location", location(p));
                    row("connectivity", v.connectivity.clone());
                    row("datacenter", p.datacenter.clone().unwrap_or_default());
                    row("gateway", p.gateway_url.clone().unwrap_or_default());
                    row("version", p.version.clone().unwrap_or_default());
                    row(
                        "validity",
                        match &p.expires {
                            Some(e) => {
                                format!("{} (until {}, from the {})", v.validity, e.at, e.from)
                            }
                            None => v.validity.to_string(),
                        },
                    );
                    if let Some(s) = &p.signer {
                        row(
                            "signed by",
                            format!("{} (issuer {}, until {})", s.subject, s.issuer, s.not_after),
                        );
                    }
                    for n in &p.notes {
                        row("note", n.clone());
                    }
                    out.push_str(&format!("{}\n{t}\n", p.source));
                }
                for w in &self.warnings {
                    out.push_str(&format!("warning: {w}\n"));
                }
                Ok(out)
            }
        }
    }
}

fn location(p: &Package) -> String {
    match (&p.partner_geo_location, &p.vortex_geo_location) {
        (Some(partner), Some(vortex)) => format!("{partner} (vortex {vortex})"),
        (Some(partner), None) => partner.clone(),
        (None, Some(vortex)) => vortex.clone(),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_ids_are_masked_to_head_and_tail() {
        assert_eq!(
            mask_org_id("0a1b2c3d-0000-4000-8000-00000000abcd"),
            "0a1b2c3d-…-abcd"
        );
        assert_eq!(mask_org_id("short"), "………");
    }
}
