//! `pathprobe urls list`: what would be probed, and why each row is or is not probeable.

use comfy_table::{Cell, Color, ColumnConstraint, Width};
use pathprobe_urls::{
    Catalog, CatalogInfo, Excluded, Method, NotProbeable, Notice, Plan, Planned, PortSpan, Probe,
    ProbeTarget, Target,
};
use serde::Serialize;

use crate::table::TableStyle;
use crate::{OutputFormat, RenderError};

/// Version of the listing JSON; bumped when a field changes meaning or goes away.
pub const LISTING_SCHEMA_VERSION: u32 = 1;

/// One listed row.
#[derive(Debug, Clone, Serialize)]
pub struct ListingEntry {
    /// URL pattern or prose.
    pub target: String,
    /// The pattern as people write it, when it holds internationalised
    /// labels (`target` is the punycode form that is sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_unicode: Option<String>,
    /// `url`, `prose` or `addresses` (an address block).
    pub kind: &'static str,
    /// True for `*.x` / `*x` host patterns.
    pub wildcard: bool,
    /// Scheme a client uses.
    pub scheme: String,
    /// Port a client uses (for an address block, the one the catalog names;
    /// 0 when it names none).
    pub port: u16,
    /// The UDP ports of a row that names no TCP port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub udp_ports: Option<String>,
    /// Geography code.
    pub geography: String,
    /// Category.
    pub category: Option<String>,
    /// Service.
    pub service: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// Vendor conditions.
    pub comments: Option<String>,
    /// required / optional / unstated.
    pub requirement: String,
    /// Platform summary (`win,mac,linux`; `*` marks conditional).
    pub platforms: String,
    /// `probe` or `not_probed`.
    pub status: &'static str,
    /// Probe targets (empty when not probed).
    pub targets: Vec<ProbeTarget>,
    /// Why not probed.
    pub reason: Option<String>,
    /// file:sheet:row of the source.
    pub source: String,
    /// The rows of other catalogs naming the same endpoint: probed once,
    /// listed under each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// Section banner of the source row.
    pub section: Option<String>,
}

impl ListingEntry {
    fn from_planned(p: &Planned) -> Self {
        let e = &p.endpoint;
        let (status, targets, reason) = match &p.probe {
            Probe::Targets { targets } => ("probe", targets.clone(), None),
            Probe::NotProbed { why } => ("not_probed", Vec::new(), Some(why.to_string())),
        };
        let (kind, port) = match &e.target {
            Target::Url(_) => ("url", e.effective_port()),
            Target::Prose { .. } => ("prose", e.effective_port()),
            Target::Addresses { .. } => ("addresses", e.port.unwrap_or(0)),
        };
        ListingEntry {
            target: e.display_target(),
            target_unicode: e.url().and_then(pathprobe_urls::UrlPattern::unicode),
            kind,
            wildcard: e.url().is_some_and(|u| u.host.is_wildcard()),
            scheme: if kind == "url" {
                e.scheme().to_string()
            } else {
                String::new()
            },
            port,
            udp_ports: (!e.udp_only.is_empty()).then(|| PortSpan::list(&e.udp_only)),
            geography: e.geography.code().to_string(),
            category: e.category.clone(),
            service: e.service.clone(),
            description: e.description.clone(),
            comments: e.comments.clone(),
            requirement: e.requirement.to_string(),
            platforms: e.platforms.summary(),
            status,
            targets,
            reason,
            source: e.source.to_string(),
            also: p.also.iter().map(ToString::to_string).collect(),
            section: e.source.section.clone(),
        }
    }

    /// Its own row, then the other catalogs' rows naming it.
    fn sources(&self) -> Vec<&str> {
        std::iter::once(self.source.as_str())
            .chain(self.also.iter().map(String::as_str))
            .collect()
    }

    /// The port as a table shows it: none for prose, the UDP ports of a
    /// UDP-only row, none for a block the catalog names no port for.
    fn port_text(&self) -> String {
        match (&self.udp_ports, self.kind) {
            (_, "prose") => String::new(),
            (Some(udp), _) => format!("UDP {udp}"),
            (None, "addresses") if self.port == 0 => String::new(),
            (None, _) => self.port.to_string(),
        }
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ListingSummary {
    /// Rows listed.
    pub listed: usize,
    /// Rows with at least one probe target.
    pub probeable: usize,
    /// Wildcard rows without a target.
    pub wildcard_without_target: usize,
    /// Prose rows.
    pub prose: usize,
    /// Address blocks (listed, never probed).
    pub address_blocks: usize,
    /// Rows naming UDP ports only.
    pub udp_only: usize,
    /// Rows another row names too, in another catalog or written twice in
    /// one (probed once).
    pub in_several_catalogs: usize,
    /// Probe targets in all.
    pub targets: usize,
    /// Rows removed by filters.
    pub excluded: Excluded,
}

/// A catalog listing ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    /// Always [`LISTING_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The catalog's provenance.
    pub catalog: CatalogInfo,
    /// Filters in effect, as `name=value` strings.
    pub filters: Vec<String>,
    /// Counts.
    pub summary: ListingSummary,
    /// Listed rows.
    pub entries: Vec<ListingEntry>,
    /// What the loader noticed.
    pub notices: Vec<Notice>,
}

impl Listing {
    /// Builds a listing of `plan` over `catalog`; `filters` describe the selection.
    pub fn new(catalog: &Catalog, plan: Plan, filters: Vec<String>) -> Self {
        let entries: Vec<ListingEntry> = plan
            .entries
            .iter()
            .map(ListingEntry::from_planned)
            .collect();
        let summary = ListingSummary {
            listed: entries.len(),
            probeable: entries.iter().filter(|e| e.status == "probe").count(),
            wildcard_without_target: plan
                .entries
                .iter()
                .filter(|p| {
                    matches!(
                        p.probe,
                        Probe::NotProbed {
                            why: NotProbeable::WildcardWithoutTarget { .. }
                        }
                    )
                })
                .count(),
            prose: entries.iter().filter(|e| e.kind == "prose").count(),
            address_blocks: entries.iter().filter(|e| e.kind == "addresses").count(),
            udp_only: entries
                .iter()
                .filter(|e| e.kind == "url" && e.udp_ports.is_some())
                .count(),
            in_several_catalogs: entries.iter().filter(|e| !e.also.is_empty()).count(),
            targets: entries.iter().map(|e| e.targets.len()).sum(),
            excluded: plan.excluded,
        };
        Listing {
            schema_version: LISTING_SCHEMA_VERSION,
            catalog: catalog.info.clone(),
            filters,
            summary,
            entries,
            notices: catalog.notices.clone(),
        }
    }

    /// Renders in `format`.
    pub fn render(&self, format: OutputFormat, style: &TableStyle) -> Result<String, RenderError> {
        match format {
            OutputFormat::Json => Ok(serde_json::to_string_pretty(self)? + "\n"),
            OutputFormat::Csv => self.csv(),
            OutputFormat::Table => Ok(self.table(style)),
        }
    }

    /// The one-line summary shown under the table.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        let mut line = format!(
            "{} endpoints listed from {}: {} probeable ({} probe URLs), {} wildcard without a known host, {} prose",
            s.listed, self.catalog.name, s.probeable, s.targets, s.wildcard_without_target, s.prose
        );
        if s.address_blocks > 0 {
            line.push_str(&format!(", {} address blocks", s.address_blocks));
        }
        if s.udp_only > 0 {
            line.push_str(&format!(", {} UDP only", s.udp_only));
        }
        if s.in_several_catalogs > 0 {
            line.push_str(&format!(
                ", {} named by more than one row (probed once)",
                s.in_several_catalogs
            ));
        }
        let x = s.excluded;
        if x.total() > 0 {
            let mut parts = Vec::new();
            for (n, what) in [
                (x.geography, "other geographies"),
                (x.os, "other operating systems"),
                (x.category, "other categories"),
                (x.optional, "optional"),
                (x.connectivity, "other connectivity"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            line.push_str(&format!("; filtered out: {}", parts.join(", ")));
        }
        line
    }

    fn table(&self, style: &TableStyle) -> String {
        // Host names read badly when wrapped: give the endpoint column its longest
        // host (within reason) and let the probe column wrap instead.
        let longest = self
            .entries
            .iter()
            .filter(|e| e.kind == "url")
            .map(|e| e.target.chars().count())
            .max()
            .unwrap_or(10);
        let endpoint_width = u16::try_from(longest.min(40) + 2).unwrap_or(42);
        // A long listing is laid out a page of rows at a time: the table
        // library holds every cell of a table several times over while it
        // lays it out (200,000 rows took gigabytes).
        let mut text = String::new();
        for page in self.entries.chunks(crate::table::PAGE_ROWS) {
            text.push_str(&Self::table_page(page, style, endpoint_width).to_string());
            text.push('\n');
        }
        if self.entries.is_empty() {
            text.push_str(&Self::table_page(&[], style, endpoint_width).to_string());
            text.push('\n');
        }
        text.push_str(&self.summary_line());
        text.push('\n');
        text
    }

    /// One page of the table: `entries` under the header.
    fn table_page(
        entries: &[ListingEntry],
        style: &TableStyle,
        endpoint_width: u16,
    ) -> crate::table::SafeTable {
        let mut header = vec!["Endpoint", "Port", "Geo", "Category", "Req", "OS", "Probe"];
        if style.verbose {
            header.push("Source");
        }
        let mut t = style.table(header);
        for e in entries {
            let probe = match e.status {
                "probe" => e
                    .targets
                    .iter()
                    .map(|t| match t.method {
                        // No request is sent: no status is expected.
                        Method::Tls | Method::Tcp => format!("{} {}", t.method, t.url),
                        _ => format!("{} {} [{}]", t.method, t.url, t.expect),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => format!("not probed: {}", e.reason.as_deref().unwrap_or_default()),
            };
            let mut probe_cell = Cell::new(probe);
            if style.color && e.status != "probe" {
                probe_cell = probe_cell.fg(Color::Yellow);
            }
            let mut row = vec![
                Cell::new(match &e.target_unicode {
                    Some(u) => format!("{} ({u})", e.target),
                    None => e.target.clone(),
                }),
                // A prose row names no port: none is made up for it.
                Cell::new(match e.port_text() {
                    t if t.is_empty() => "-".to_owned(),
                    t => t,
                }),
                Cell::new(&e.geography),
                Cell::new(e.category.as_deref().unwrap_or("-")),
                Cell::new(match e.requirement.as_str() {
                    "required" => "req",
                    "optional" => "opt",
                    _ => "-",
                }),
                Cell::new(&e.platforms),
                probe_cell,
            ];
            if style.verbose {
                row.push(Cell::new(e.sources().join("\n")));
            }
            t.add_row(row);
        }
        // Short columns stay short so that endpoint and probe URL get the width.
        // A port has up to five digits: never wrapped (18443 read as 1844);
        // a UDP range (3478-3481) is not either.
        for (i, max) in [(1usize, 11u16), (2, 8), (3, 20), (4, 5), (5, 16)] {
            if let Some(col) = t.column_mut(i) {
                col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(max)));
            }
        }
        if let Some(col) = t.column_mut(0) {
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                endpoint_width,
            )));
        }
        t
    }

    fn csv(&self) -> Result<String, RenderError> {
        let mut w = crate::Csv::new();
        w.row([
            "target",
            "kind",
            "wildcard",
            "scheme",
            "port",
            "geography",
            "category",
            "service",
            "requirement",
            "platforms",
            "status",
            "probe_urls",
            "expected_status",
            "pinned",
            "reason",
            "source",
        ])?;
        for e in &self.entries {
            let urls: Vec<String> = e.targets.iter().map(|t| t.url.clone()).collect();
            let expect: Vec<String> = e.targets.iter().map(|t| t.expect.to_string()).collect();
            let pinned: Vec<String> = e
                .targets
                .iter()
                .map(|t| t.pinned.map_or("unknown".to_string(), |p| p.to_string()))
                .collect();
            let port = e.port_text();
            w.row([
                e.target.as_str(),
                e.kind,
                if e.wildcard { "true" } else { "false" },
                e.scheme.as_str(),
                port.as_str(),
                e.geography.as_str(),
                e.category.as_deref().unwrap_or_default(),
                e.service.as_deref().unwrap_or_default(),
                e.requirement.as_str(),
                e.platforms.as_str(),
                e.status,
                urls.join(" ").as_str(),
                expect.join(" ").as_str(),
                pinned.join(" ").as_str(),
                e.reason.as_deref().unwrap_or_default(),
                e.sources().join("; ").as_str(),
            ])?;
        }
        w.finish()
    }
}
