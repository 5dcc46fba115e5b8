//! Choosing what to probe: filters (`--geo`, `--os`, `--category`,
//! `--required-only`) and, for every kept row, its probe targets or the reason
//! it cannot be probed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::geo::GeoSelection;
use crate::model::{Catalog, Depth, Endpoint, Os, Target};
use crate::pattern::PathPattern;
use crate::probe_map::{ExpectedStatus, Method, ProbeMap, ProbeTarget, TargetOrigin};

/// Which rows to keep.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// WW plus this location.
    pub geo: Option<GeoSelection>,
    /// Only the rows of this connectivity flavour (and the shared ones).
    pub connectivity: Option<Connectivity>,
    /// Rows for this OS (rows without platform flags apply to all).
    pub os: Option<Os>,
    /// Rows whose category or service contains this text (case-insensitive).
    pub category: Option<String>,
    /// Drop rows the vendor marks optional.
    pub required_only: bool,
}

/// Why a kept row has no probe target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotProbeable {
    /// The URL cell holds prose, not a host.
    Prose {
        /// Why it cannot be a host.
        #[serde(default)]
        why: String,
    },
    /// A wildcard with no concrete host known under it.
    WildcardWithoutTarget {
        /// The pattern.
        pattern: String,
    },
    /// An address block: it names no host to ask, and one address of it
    /// answering would not prove the others do.
    AddressBlock {
        /// The block.
        range: String,
    },
    /// The row names UDP ports only.
    UdpOnly {
        /// The ports, as listed (`3478-3481`).
        ports: String,
    },
}

impl std::fmt::Display for NotProbeable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotProbeable::Prose { why } if !why.is_empty() => {
                write!(f, "prose row: names no host ({why})")
            }
            NotProbeable::Prose { .. } => f.write_str("prose row: names no host"),
            NotProbeable::WildcardWithoutTarget { pattern } => {
                write!(f, "wildcard {pattern}: no concrete host known under it")
            }
            NotProbeable::AddressBlock { range } => write!(
                f,
                "address block {range}: listed for firewall rules; it names no host to probe"
            ),
            NotProbeable::UdpOnly { ports } => write!(
                f,
                "UDP only (ports {ports}): pathprobe probes TCP, and a UDP service need not answer a probe"
            ),
        }
    }
}

/// The plan for one kept row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Probe {
    /// Probe these targets.
    Targets {
        /// One or more URLs.
        targets: Vec<ProbeTarget>,
    },
    /// Listed, but not probed.
    NotProbed {
        /// Why.
        #[serde(flatten)]
        why: NotProbeable,
    },
}

/// A kept row with its plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Planned {
    /// The catalog row.
    pub endpoint: Endpoint,
    /// What will be probed.
    pub probe: Probe,
    /// The rows of other catalogs that name the same endpoint (target and
    /// port): probed once, listed under each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<crate::model::SourceLocation>,
}

impl Planned {
    /// Every row naming this endpoint: its own, then the other catalogs'.
    pub fn sources(&self) -> impl Iterator<Item = &crate::model::SourceLocation> {
        std::iter::once(&self.endpoint.source).chain(&self.also)
    }
}

/// How many rows each filter removed: shown so that nothing disappears unexplained.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Excluded {
    /// Other geographies.
    pub geography: usize,
    /// Other operating systems.
    pub os: usize,
    /// Other categories.
    pub category: usize,
    /// Optional rows under `--required-only`.
    pub optional: usize,
    /// Rows of the other connectivity flavour (streamlined or standard).
    #[serde(default)]
    pub connectivity: usize,
}

impl Excluded {
    /// Total rows removed.
    pub fn total(&self) -> usize {
        self.geography + self.os + self.category + self.optional + self.connectivity
    }
}

/// How the agent connects to the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Connectivity {
    /// The per-region service hosts (`winatp-gw-*`, `*-v20.events.data...`).
    Standard,
    /// The consolidated `*.endpoint.security.microsoft.com` hosts, which
    /// replace the per-region ones.
    Streamlined,
}

impl std::fmt::Display for Connectivity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Standard => "standard",
            Self::Streamlined => "streamlined",
        })
    }
}

/// The consolidated domain of streamlined connectivity.
pub const STREAMLINED_DOMAIN: &str = "endpoint.security.microsoft.com";

/// Whether a row belongs to one flavour only: the consolidated domain to
/// streamlined, the per-region service rows to standard.
fn flavour_of(e: &Endpoint) -> Option<Connectivity> {
    if let Target::Url(u) = &e.target {
        let base = u.host.base().to_ascii_lowercase();
        if base == STREAMLINED_DOMAIN || base.ends_with(&format!(".{STREAMLINED_DOMAIN}")) {
            return Some(Connectivity::Streamlined);
        }
    }
    (e.geography != crate::geo::Geography::Worldwide).then_some(Connectivity::Standard)
}

/// The result of planning a catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// Kept rows in catalog order.
    pub entries: Vec<Planned>,
    /// Rows removed by filters.
    pub excluded: Excluded,
    /// The catalog was several files read as one: each row names its file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub several_catalogs: bool,
}

/// Applies `filter` to `catalog` and finds probe targets through `map`.
pub fn plan(catalog: &Catalog, filter: &Filter, map: &ProbeMap) -> Plan {
    let mut excluded = Excluded::default();
    let mut entries: Vec<Planned> = Vec::new();
    // Rows of one file are merged only when written twice word for word;
    // the keys of rows naming one endpoint are made only when the catalog
    // is several files read as one.
    let first_file = catalog.endpoints.first().map(|e| &e.source.file);
    let several_catalogs = catalog
        .endpoints
        .iter()
        .any(|e| Some(&e.source.file) != first_file);
    let mut first_of: std::collections::HashMap<(String, u16), usize> =
        std::collections::HashMap::new();
    let mut first_row: std::collections::HashMap<((String, u16), String), usize> =
        std::collections::HashMap::new();
    let category = filter.category.as_ref().map(|c| c.to_lowercase());
    for e in &catalog.endpoints {
        if let Some(geo) = &filter.geo
            && !geo.includes(&e.geography)
        {
            excluded.geography += 1;
            continue;
        }
        if let Some(os) = filter.os
            && !e.platforms.applies_to(os)
        {
            excluded.os += 1;
            continue;
        }
        if let Some(want) = &category {
            let hit = [&e.category, &e.service].iter().any(|f| {
                f.as_ref()
                    .is_some_and(|t| t.to_lowercase().contains(want.as_str()))
            });
            if !hit {
                excluded.category += 1;
                continue;
            }
        }
        if filter.required_only && !e.requirement.is_required() {
            excluded.optional += 1;
            continue;
        }
        if let Some(want) = filter.connectivity
            && flavour_of(e).is_some_and(|f| f != want)
        {
            excluded.connectivity += 1;
            continue;
        }
        // A row the same file already holds word for word (target, port,
        // and every attribute) is the same row twice: probed once, listed
        // under both (round 21: four identical rows were four probes, and
        // their report read as "edited or joined"). Rows of one file that
        // differ in anything stay as the file has them.
        let same = (merge_key(e), row_words(e));
        if let Some(&at) = first_row.get(&same)
            && let Some(kept) = entries.get_mut(at)
            && kept.endpoint.source.file == e.source.file
        {
            kept.also.push(e.source.clone());
            continue;
        }
        first_row.entry(same).or_insert(entries.len());
        // A row another catalog already named is probed once, listed
        // under both.
        let key = several_catalogs.then(|| merge_key(e));
        if let Some(key) = &key
            && let Some(&at) = first_of.get(key)
            && let Some(kept) = entries.get_mut(at)
            && !kept.sources().any(|s| s.file == e.source.file)
        {
            // Required if any catalog needs it (one that marks nothing
            // optional included): the stricter reading.
            if e.requirement.is_required() && !kept.endpoint.requirement.is_required() {
                kept.endpoint.requirement = e.requirement;
            }
            kept.also.push(e.source.clone());
            continue;
        }
        if let Some(key) = key {
            first_of.entry(key).or_insert(entries.len());
        }
        entries.push(Planned {
            endpoint: e.clone(),
            probe: probe_for(e, filter.geo.as_ref(), map),
            also: Vec::new(),
        });
    }
    Plan {
        entries,
        excluded,
        several_catalogs,
    }
}

/// A row's attributes as one text: two rows of one file that agree in it
/// and in [`merge_key`] are one row written twice.
fn row_words(e: &Endpoint) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}|{}|{:?}|{:?}",
        e.scheme(),
        e.category,
        e.service,
        e.description,
        e.comments,
        e.port,
        e.geography.code(),
        e.requirement,
        e.platforms.summary(),
        e.udp_only,
        e.depth,
    )
}

/// What makes two catalogs' rows one endpoint: the host pattern and path
/// (however the URL was written: `host`, `https://host/`, `host:443`) and
/// the port a client uses.
fn merge_key(e: &Endpoint) -> (String, u16) {
    let name = match &e.target {
        Target::Url(u) => format!("{}{}", u.host, u.path),
        Target::Prose { .. } | Target::Addresses { .. } => e.display_target(),
    };
    (name.to_lowercase(), e.effective_port())
}

fn probe_for(e: &Endpoint, geo: Option<&GeoSelection>, map: &ProbeMap) -> Probe {
    let url = match &e.target {
        Target::Url(url) => url,
        Target::Prose { text } => {
            return Probe::NotProbed {
                why: NotProbeable::Prose {
                    why: crate::pattern::why_prose(text),
                },
            };
        }
        Target::Addresses { range } => {
            return Probe::NotProbed {
                why: NotProbeable::AddressBlock {
                    range: range.to_string(),
                },
            };
        }
    };
    if !e.udp_only.is_empty() {
        return Probe::NotProbed {
            why: NotProbeable::UdpOnly {
                ports: crate::model::PortSpan::list(&e.udp_only),
            },
        };
    }
    let geo_ok = |g: &crate::geo::Geography| geo.is_none_or(|s| s.includes(g));
    let known = map.targets_for(url, e.effective_port(), &geo_ok);
    if !known.is_empty() {
        return Probe::Targets { targets: known };
    }
    if url.host.is_wildcard() {
        return Probe::NotProbed {
            why: NotProbeable::WildcardWithoutTarget {
                pattern: url.host.to_string(),
            },
        };
    }
    // An exact host the map does not know: request the row's own URL; any HTTP
    // answer proves the path to the service works.
    let scheme = e.scheme();
    let port = e.effective_port();
    // A `*` inside the path (`/**`, `/x/*/y`) stands for paths, not for a
    // character to send: the request goes to the part before it.
    let path = match &url.path {
        PathPattern::Any => "/",
        PathPattern::Exact(p) | PathPattern::Prefix(p) => {
            p.split_once('*').map_or(p.as_str(), |(before, _)| before)
        }
    };
    let host = crate::pattern::url_host(url.host.base());
    // A service that speaks no HTTP is probed as far as its protocol allows.
    let (url, method) = match e.depth {
        Some(Depth::Connect) => (format!("tcp://{host}:{port}"), Method::Tcp),
        Some(Depth::Tls) => (format!("https://{host}:{port}/"), Method::Tls),
        None if port == scheme.default_port() => (format!("{scheme}://{host}{path}"), Method::Get),
        None => (format!("{scheme}://{host}:{port}{path}"), Method::Get),
    };
    Probe::Targets {
        targets: vec![ProbeTarget {
            url,
            method,
            expect: ExpectedStatus::ANY,
            pinned: None,
            channel: None,
            origin: TargetOrigin::Catalog,
        }],
    }
}
