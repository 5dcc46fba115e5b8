//! The project's own JSON form of a catalog.
//!
//! ```json
//! {
//!   "format": "pathprobe-catalog",
//!   "format_version": 1,
//!   "name": "Example service",
//!   "version": "2026-07-03",
//!   "endpoints": [
//!     { "url": "*.wd.microsoft.com", "port": 443, "geography": "WW",
//!       "category": "MAPS", "requirement": "required",
//!       "platforms": { "windows": "yes", "macos": "yes", "linux": "yes" } }
//!   ]
//! }
//! ```
//!
//! `url` takes every form a spreadsheet cell does (host, `*.suffix`, `*suffix`,
//! host + path, full URL); text that names no host is kept as prose. The JSON
//! Schema is `urls/schema/catalog.schema.json`, generated from these types.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::info_for;
use crate::error::{CatalogError, Origin, Result};
use crate::geo::Geography;
use crate::model::{Catalog, Endpoint, Notice, Platforms, Requirement, SourceLocation, Target};
use crate::pattern::{Parsed, parse_item};

/// Value of the `format` field.
pub const FORMAT_NAME: &str = "pathprobe-catalog";
/// Current `format_version`.
pub const FORMAT_VERSION: u32 = 1;

/// A catalog file in the project's JSON form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "pathprobe catalog")]
pub struct CatalogDocument {
    /// Editors' schema reference; ignored by the loader.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Always `pathprobe-catalog`.
    pub format: String,
    /// Version of this form; this release reads 1.
    pub format_version: u32,
    /// A name for people.
    pub name: String,
    /// The publisher's version or date of the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Where the list was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// The endpoints.
    pub endpoints: Vec<DocumentEndpoint>,
}

/// One endpoint of a [`CatalogDocument`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentEndpoint {
    /// Host, wildcard or URL, as in the vendor's sheet.
    pub url: String,
    /// Port, when it is not the scheme's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Data location: WW, US, EU, UK, AU, US Gov, GCC, GCC High, DoD, or another code.
    #[serde(default = "worldwide")]
    pub geography: Geography,
    /// Vendor category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Vendor service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// What the endpoint is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Conditions and footnotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// required, optional or unstated.
    #[serde(default)]
    pub requirement: Requirement,
    /// Per-platform flags (yes, conditional, no, unstated).
    #[serde(default)]
    pub platforms: Platforms,
}

fn worldwide() -> Geography {
    Geography::Worldwide
}

pub(crate) fn load_json(path: &Path, bytes: &[u8]) -> Result<Catalog> {
    let text = std::str::from_utf8(bytes)
        .unwrap_or_default()
        .trim_start_matches('\u{feff}');
    let doc: CatalogDocument = serde_json::from_str(text).map_err(|e| {
        // pathprobe's own allow list (`urls export --as json`, `fix --as
        // json`) is no catalog: said so, with the form that reads back.
        #[derive(serde::Deserialize)]
        struct Shape {
            generator: Option<serde_json::Value>,
            entries: Option<serde_json::Value>,
            results: Option<serde_json::Value>,
            schema_version: Option<serde_json::Value>,
        }
        let shape = serde_json::from_str::<Shape>(text).ok();
        let allow_list = shape
            .as_ref()
            .is_some_and(|s| s.generator.is_some() && s.entries.is_some());
        // A saved check report is no catalog either (round 21: "\"schema_version\"
        // is no field here").
        let report = shape
            .as_ref()
            .is_some_and(|s| s.results.is_some() && s.schema_version.is_some());
        CatalogError::Json {
            origin: Origin {
                file: path.to_path_buf(),
                sheet: None,
                line: u32::try_from(e.line())
                    .ok()
                    .filter(|l| *l > 0 && !allow_list && !report),
            },
            message: if allow_list {
                "a pathprobe allow list (urls export --as json), not a catalog: export with --as csv to read it back as one".to_owned()
            } else if report {
                "a pathprobe check report, not a catalog: `report diff` compares two reports; a catalog lists the URLs to probe".to_owned()
            } else {
                pathprobe_files::words::serde_message_in_line(&e.to_string())
            },
        }
    })?;
    from_document(path, doc)
}

/// Turns a parsed document into a catalog; `path` names it in locations.
pub fn from_document(path: &Path, doc: CatalogDocument) -> Result<Catalog> {
    if doc.format != FORMAT_NAME {
        return Err(CatalogError::Json {
            origin: Origin::file(path),
            message: format!("\"format\" is \"{}\", expected {FORMAT_NAME:?}", doc.format),
        });
    }
    if doc.format_version != FORMAT_VERSION {
        return Err(CatalogError::Json {
            origin: Origin::file(path),
            message: format!(
                "\"format_version\" {} is not supported (this release reads {FORMAT_VERSION})",
                doc.format_version
            ),
        });
    }
    if let Some(i) = doc.endpoints.iter().position(|e| e.port == Some(0)) {
        return Err(CatalogError::Json {
            origin: Origin::file(path),
            message: format!("endpoint {}: \"port\" 0 is not a port (1 to 65535)", i + 1),
        });
    }
    let mut info = info_for(path);
    info.name = doc.name;
    info.version = doc.version;
    info.source_url = doc.source_url;
    let mut notices = Vec::new();
    let endpoints = doc
        .endpoints
        .into_iter()
        .enumerate()
        .map(|(i, e)| Endpoint {
            target: match parse_item(&e.url) {
                Parsed::Url(u) => {
                    // As the table readers say it (round 20: silent here).
                    if let Some(message) = e
                        .port
                        .and_then(|p| crate::grid::port_clash(&e.url, &u, p, "its \"port\""))
                    {
                        notices.push(Notice {
                            location: format!(
                                "{}, endpoint {}",
                                pathprobe_files::shown_path(path),
                                i + 1
                            ),
                            message,
                        });
                    }
                    Target::Url(u)
                }
                Parsed::Prose(text) => Target::Prose { text },
            },
            port: e.port,
            geography: e.geography,
            category: e.category,
            service: e.service,
            description: e.description,
            comments: e.comments,
            requirement: e.requirement,
            platforms: e.platforms,
            udp_only: Vec::new(),
            depth: None,
            source: SourceLocation {
                file: path.to_path_buf(),
                sheet: None,
                section: None,
                // JSON entries are numbered by position in `endpoints`.
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                item: None,
            },
        })
        .collect();
    Ok(Catalog {
        info,
        endpoints,
        notices,
    })
}
