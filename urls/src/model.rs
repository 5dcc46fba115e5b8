//! The catalog model: what a service needs to reach, and where each fact came from.

use std::fmt;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::geo::Geography;
use crate::pattern::{Scheme, UrlPattern};

/// Whether the vendor marks an endpoint as needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Marked "Required".
    Required,
    /// Marked "Optional".
    Optional,
    /// The source has no such column. Older vendor lists mark nothing optional,
    /// so an unstated row counts as required.
    #[default]
    Unstated,
}

impl Requirement {
    /// Reads "Required" / "Optional" / "Yes" / "No" style cells.
    pub fn parse(text: &str) -> Option<Requirement> {
        let t = text.trim().to_ascii_lowercase();
        if t.is_empty() {
            return None;
        }
        if t.starts_with("req") || t == "yes" || t == "mandatory" || t == "true" {
            Some(Requirement::Required)
        } else if t.starts_with("opt") || t == "no" || t == "false" {
            Some(Requirement::Optional)
        } else {
            None
        }
    }

    /// True unless the vendor said optional.
    pub fn is_required(self) -> bool {
        !matches!(self, Requirement::Optional)
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Requirement::Required => "required",
            Requirement::Optional => "optional",
            Requirement::Unstated => "unstated",
        })
    }
}

/// A platform flag cell: "Yes", "Yes*" (with a footnote), "No" or blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// "Yes".
    Yes,
    /// "Yes*": needed under a condition the comments explain.
    Conditional,
    /// "No".
    No,
    /// Blank or no column.
    #[default]
    Unstated,
}

impl Support {
    /// Reads a platform flag cell.
    pub fn parse(text: &str) -> Support {
        let t = text.trim().to_ascii_lowercase();
        match t.as_str() {
            "" => Support::Unstated,
            "no" | "n" | "false" | "-" | "n/a" => Support::No,
            _ if t.starts_with("yes") || t == "y" || t == "true" || t == "x" => {
                if t.contains('*') {
                    Support::Conditional
                } else {
                    Support::Yes
                }
            }
            _ => Support::Unstated,
        }
    }

    fn is_yes(self) -> bool {
        matches!(self, Support::Yes | Support::Conditional)
    }
}

/// An operating system family, as `--os` names it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    /// Any Windows (client or server, modern or legacy agent).
    Windows,
    /// macOS.
    Macos,
    /// Linux.
    Linux,
}

impl fmt::Display for Os {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Os::Windows => "windows",
            Os::Macos => "macos",
            Os::Linux => "linux",
        })
    }
}

/// Per-platform flags of a row. The vendor splits Windows by agent generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
pub struct Platforms {
    /// Windows 10/11 and Server 2019+ (the unified agent).
    pub windows: Support,
    /// Windows 7 / 8.1.
    pub windows_legacy_client: Support,
    /// Windows Server 2008 R2 / 2012 R2 / 2016 with the MMA agent.
    pub windows_legacy_server: Support,
    /// macOS.
    pub macos: Support,
    /// Linux.
    pub linux: Support,
}

impl Platforms {
    /// True when no flag was given at all.
    pub fn is_unstated(&self) -> bool {
        *self == Platforms::default()
    }

    /// Whether the row applies to `os`. A row with no flags applies everywhere.
    pub fn applies_to(&self, os: Os) -> bool {
        if self.is_unstated() {
            return true;
        }
        match os {
            Os::Windows => {
                self.windows.is_yes()
                    || self.windows_legacy_client.is_yes()
                    || self.windows_legacy_server.is_yes()
            }
            Os::Macos => self.macos.is_yes(),
            Os::Linux => self.linux.is_yes(),
        }
    }

    /// Every flag set to `s`.
    pub fn all(s: Support) -> Platforms {
        Platforms {
            windows: s,
            windows_legacy_client: s,
            windows_legacy_server: s,
            macos: s,
            linux: s,
        }
    }

    /// Short list such as `win,mac,linux` for tables.
    pub fn summary(&self) -> String {
        let mut out = Vec::new();
        let mut push = |s: Support, name: &str| match s {
            Support::Yes => out.push(name.to_string()),
            Support::Conditional => out.push(format!("{name}*")),
            _ => {}
        };
        push(self.windows, "win");
        push(self.windows_legacy_client, "win7/8.1");
        push(self.windows_legacy_server, "mma");
        push(self.macos, "mac");
        push(self.linux, "linux");
        if out.is_empty() {
            "-".to_string()
        } else {
            out.join(",")
        }
    }
}

/// Where a row came from, so that every finding can be traced back to the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct SourceLocation {
    /// File path, or `<embedded>`.
    pub file: PathBuf,
    /// Sheet name (workbooks), with the section banner when the sheet has sections.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sheet: Option<String>,
    /// Section banner above the row, when the sheet has sections.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub section: Option<String>,
    /// 1-based row or line.
    pub line: u32,
    /// 1-based position of the item in a multi-URL cell.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<u32>,
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.file.display().to_string());
        write!(f, "{name}")?;
        if let Some(s) = &self.sheet {
            write!(f, ":{s}")?;
        }
        write!(f, ":{}", self.line)?;
        if let Some(i) = self.item {
            write!(f, "#{i}")?;
        }
        Ok(())
    }
}

/// What the row names: a URL pattern, or prose that names no host.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// A host or URL pattern.
    Url(UrlPattern),
    /// Text from the URL column that names no host: kept so nothing is lost.
    Prose {
        /// The cell text.
        text: String,
    },
}

/// One entry of a catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Endpoint {
    /// What must be reached.
    pub target: Target,
    /// The port column's value, when there is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub port: Option<u16>,
    /// Data location of the row.
    pub geography: Geography,
    /// Vendor's category ("MAPS", "Microsoft Defender for Endpoint EU", ...).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub category: Option<String>,
    /// Vendor's service name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub service: Option<String>,
    /// What the endpoint is for.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// Vendor's comments (conditions, footnotes).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub comments: Option<String>,
    /// Required or optional.
    #[serde(default)]
    pub requirement: Requirement,
    /// Per-platform flags.
    #[serde(default)]
    pub platforms: Platforms,
    /// Where the row came from.
    pub source: SourceLocation,
}

impl Endpoint {
    /// The URL pattern, if the row names one.
    pub fn url(&self) -> Option<&UrlPattern> {
        match &self.target {
            Target::Url(u) => Some(u),
            Target::Prose { .. } => None,
        }
    }

    /// The scheme a client uses: the written one, else `http` for port 80, else `https`.
    pub fn scheme(&self) -> Scheme {
        let written = self.url().and_then(|u| u.scheme);
        written.unwrap_or(match self.effective_port_hint() {
            Some(80) => Scheme::Http,
            _ => Scheme::Https,
        })
    }

    /// The port a client connects to: URL's port, port column, scheme default.
    pub fn effective_port(&self) -> u16 {
        self.effective_port_hint()
            .unwrap_or_else(|| self.scheme().default_port())
    }

    fn effective_port_hint(&self) -> Option<u16> {
        self.url().and_then(|u| u.port).or(self.port)
    }

    /// A text form of the target for tables and diffs.
    pub fn display_target(&self) -> String {
        match &self.target {
            Target::Url(u) => u.to_string(),
            Target::Prose { text } => text.clone(),
        }
    }
}

/// Something the loader noticed but that did not stop it: a row with no URL, a
/// sheet skipped because it lists no URLs. Shown to the user; never silent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Notice {
    /// File, sheet and row concerned.
    pub location: String,
    /// What happened.
    pub message: String,
}

/// Facts about where a catalog came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct CatalogInfo {
    /// A name for people ("Microsoft Defender for Endpoint (commercial)").
    pub name: String,
    /// The input path, or `<embedded>`.
    pub origin: String,
    /// The publisher's version or date, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub version: Option<String>,
    /// Where the facts were published.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source_url: Option<String>,
}

/// A loaded catalog: endpoints in source order, plus what the loader noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Catalog {
    /// Provenance.
    pub info: CatalogInfo,
    /// Every endpoint, in the order of the source.
    pub endpoints: Vec<Endpoint>,
    /// Things worth telling the user that did not stop loading.
    #[serde(default)]
    pub notices: Vec<Notice>,
}
