//! Concrete probe targets: which URL to request for an endpoint, what status
//! proves the service answered, and whether the agent pins the certificate.
//!
//! Wildcard rows (`*.wd.microsoft.com`) cannot be probed as written; the probe map
//! names real hosts under them, as the vendor's own connectivity tools do.

use std::fmt;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{CatalogError, Origin, Result};
use crate::geo::Geography;
use crate::pattern::{HostPattern, Parsed, PathPattern, Scheme, UrlPattern, parse_item};

/// Value of the `format` field of a probe map file.
pub const PROBE_MAP_FORMAT: &str = "pathprobe-probe-map";

/// HTTP method of a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET.
    #[default]
    Get,
    /// HEAD (large downloads: only the headers matter).
    Head,
    /// No request: the TLS handshake (and the chain) is the proof, for
    /// services on other ports that do not speak HTTP (IMAPS on 993).
    Tls,
    /// No request: the connection (through the proxy's tunnel when there
    /// is one) is the proof, for services that start in clear text (SMTP).
    Tcp,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Tls => "TLS",
            Method::Tcp => "TCP",
        })
    }
}

/// Which HTTP statuses prove the service was reached.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ExpectedStatus {
    /// Any HTTP answer from the origin counts (no published expectation).
    Any(AnyStatus),
    /// One of these statuses (the vendor's tools accept e.g. 200/400/404).
    OneOf(Vec<u16>),
}

/// Marker serialised as the string `"any"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnyStatus {
    /// Any status.
    Any,
}

impl ExpectedStatus {
    /// Any status.
    pub const ANY: ExpectedStatus = ExpectedStatus::Any(AnyStatus::Any);

    /// Whether `status` meets the expectation.
    pub fn accepts(&self, status: u16) -> bool {
        match self {
            ExpectedStatus::Any(_) => true,
            ExpectedStatus::OneOf(list) => list.contains(&status),
        }
    }
}

impl fmt::Display for ExpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedStatus::Any(_) => f.write_str("any"),
            ExpectedStatus::OneOf(list) => {
                let parts: Vec<String> = list.iter().map(u16::to_string).collect();
                f.write_str(&parts.join("/"))
            }
        }
    }
}

/// One entry of a probe map file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MapEntry {
    /// Full URL to request.
    pub url: String,
    /// Method.
    #[serde(default)]
    pub method: Method,
    /// Statuses that prove the service answered.
    pub expect: ExpectedStatus,
    /// True when the agent pins the certificate chain (interception breaks it).
    #[serde(default)]
    pub pinned: bool,
    /// Data location the target serves.
    pub geography: Geography,
    /// True for streamlined-connectivity (consolidated `*.endpoint.security.microsoft.com`) targets.
    #[serde(default)]
    pub streamlined: bool,
    /// The service channel ("Command and control", "MAPS", ...).
    pub channel: String,
}

/// A probe map file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProbeMapDocument {
    /// Always `pathprobe-probe-map`.
    pub format: String,
    /// Version of this form; this release reads 1.
    pub format_version: u32,
    /// A name for people.
    pub name: String,
    /// The targets.
    pub targets: Vec<MapEntry>,
}

/// A parsed probe map.
#[derive(Debug, Clone, Default)]
pub struct ProbeMap {
    entries: Vec<(UrlPattern, MapEntry)>,
}

/// Where a probe target came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetOrigin {
    /// The probe map (the vendor tools' known probe URLs).
    ProbeMap,
    /// Built from the catalog row itself (exact host, no known probe URL).
    Catalog,
}

/// A concrete URL to probe for an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeTarget {
    /// Full URL.
    pub url: String,
    /// Method.
    pub method: Method,
    /// Statuses that prove the service answered.
    pub expect: ExpectedStatus,
    /// Whether the agent pins the certificate (`None`: not known).
    pub pinned: Option<bool>,
    /// Service channel, when the probe map names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Where this target came from.
    pub origin: TargetOrigin,
}

impl ProbeMap {
    /// Parses a probe map document; `path` names it in errors.
    pub fn from_document(path: &Path, doc: ProbeMapDocument) -> Result<ProbeMap> {
        if doc.format != PROBE_MAP_FORMAT || doc.format_version != 1 {
            return Err(CatalogError::Json {
                origin: Origin::file(path),
                message: format!(
                    "expected format {PROBE_MAP_FORMAT:?} version 1, found \"{}\" version {}",
                    doc.format, doc.format_version
                ),
            });
        }
        let mut entries = Vec::with_capacity(doc.targets.len());
        for (i, entry) in doc.targets.into_iter().enumerate() {
            match parse_item(&entry.url) {
                Parsed::Url(u) if !u.host.is_wildcard() && u.scheme.is_some() => {
                    entries.push((u, entry))
                }
                _ => {
                    return Err(CatalogError::Invalid {
                        origin: Origin {
                            file: path.to_path_buf(),
                            sheet: None,
                            line: u32::try_from(i + 1).ok(),
                        },
                        message: format!(
                            "probe target \"{}\" is not a full http(s) URL with a concrete host",
                            entry.url
                        ),
                    });
                }
            }
        }
        Ok(ProbeMap { entries })
    }

    /// Parses probe map JSON.
    pub fn from_json(path: &Path, text: &str) -> Result<ProbeMap> {
        let doc: ProbeMapDocument = serde_json::from_str(text).map_err(|e| CatalogError::Json {
            origin: Origin {
                file: path.to_path_buf(),
                sheet: None,
                line: u32::try_from(e.line()).ok(),
            },
            message: e.to_string(),
        })?;
        Self::from_document(path, doc)
    }

    /// Number of targets.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the service behind this exact probe URL pins its certificate
    /// (`None`: the map does not know the URL).
    pub fn pinned(&self, url: &str) -> Option<bool> {
        self.entries
            .iter()
            .find(|(_, e)| e.url.eq_ignore_ascii_case(url))
            .map(|(_, e)| e.pinned)
    }

    /// Targets under `pattern` (host and path) on `port`, keeping those `geo_ok`
    /// accepts for wildcard patterns (a wildcard covers hosts of every location).
    pub fn targets_for(
        &self,
        pattern: &UrlPattern,
        port: u16,
        geo_ok: &dyn Fn(&Geography) -> bool,
    ) -> Vec<ProbeTarget> {
        self.entries
            .iter()
            .filter(|(u, e)| {
                let HostPattern::Exact(host) = &u.host else {
                    return false;
                };
                let target_port = u
                    .port
                    .unwrap_or_else(|| u.scheme.unwrap_or(Scheme::Https).default_port());
                target_port == port
                    && pattern.host.matches(host)
                    && path_covers(&pattern.path, &u.path)
                    && (!pattern.host.is_wildcard() || geo_ok(&e.geography))
            })
            .map(|(_, e)| ProbeTarget {
                url: e.url.clone(),
                method: e.method,
                expect: e.expect.clone(),
                pinned: Some(e.pinned),
                channel: Some(e.channel.clone()),
                origin: TargetOrigin::ProbeMap,
            })
            .collect()
    }
}

fn path_covers(pattern: &PathPattern, target: &PathPattern) -> bool {
    let target_path = match target {
        PathPattern::Any => "/",
        PathPattern::Exact(p) | PathPattern::Prefix(p) => p.as_str(),
    };
    match pattern {
        PathPattern::Any => true,
        PathPattern::Exact(p) => target_path == p,
        PathPattern::Prefix(p) => target_path.starts_with(p.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> ProbeMap {
        let json = r#"{"format":"pathprobe-probe-map","format_version":1,"name":"t","targets":[
          {"url":"https://unitedstates.cp.wd.microsoft.com/wdcp.svc/bond/submitReport/test","expect":[404],"pinned":true,"geography":"US","channel":"MAPS"},
          {"url":"https://europe.cp.wd.microsoft.com/wdcp.svc/bond/submitReport/test","expect":[404],"pinned":true,"geography":"EU","channel":"MAPS"},
          {"url":"http://crl.microsoft.com/pki/crl/products/x.crl","expect":"any","geography":"WW","channel":"CRL"}
        ]}"#;
        ProbeMap::from_json(Path::new("m.json"), json).unwrap()
    }

    fn pat(s: &str) -> UrlPattern {
        match parse_item(s) {
            Parsed::Url(u) => u,
            Parsed::Prose(p) => panic!("{p}"),
        }
    }

    #[test]
    fn wildcards_get_targets_of_the_selected_location() {
        let m = map();
        let all = m.targets_for(&pat("*.wd.microsoft.com"), 443, &|_| true);
        assert_eq!(all.len(), 2);
        let eu = m.targets_for(&pat("*.wd.microsoft.com"), 443, &|g| *g == Geography::Eu);
        assert_eq!(eu.len(), 1);
        assert!(eu[0].url.contains("europe"));
        assert_eq!(eu[0].expect, ExpectedStatus::OneOf(vec![404]));
        assert_eq!(eu[0].pinned, Some(true));
    }

    #[test]
    fn ports_must_agree() {
        let m = map();
        assert!(
            m.targets_for(&pat("crl.microsoft.com"), 443, &|_| true)
                .is_empty()
        );
    }

    #[test]
    fn paths_must_be_covered() {
        let m = map();
        assert_eq!(
            m.targets_for(&pat("crl.microsoft.com/pki/crl/*"), 80, &|_| true)
                .len(),
            1
        );
        assert_eq!(
            m.targets_for(&pat("crl.microsoft.com/pkiops/*"), 80, &|_| true)
                .len(),
            0
        );
        assert_eq!(
            m.targets_for(&pat("crl.microsoft.com"), 80, &|_| true)[0].expect,
            ExpectedStatus::ANY
        );
    }

    #[test]
    fn bad_targets_are_refused_with_their_position() {
        let json = r#"{"format":"pathprobe-probe-map","format_version":1,"name":"t","targets":[
          {"url":"*.x.example.com","expect":"any","geography":"WW","channel":"c"}]}"#;
        let err = ProbeMap::from_json(Path::new("m.json"), json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("m.json, line 1"), "{err}");
    }
}
