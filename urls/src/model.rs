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
        let whole = self.file.to_string_lossy();
        // A catalog fetched by URL is named by its URL: two lists called
        // `list.csv` on two servers stay apart.
        let name = if whole.contains("://") {
            whole.into_owned()
        } else {
            self.file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| whole.into_owned())
        };
        write!(f, "{}", pathprobe_files::quote::visible(&name))?;
        // A sheet name may hold a line break or an escape (round 20: a
        // forged line in the table's Source column): written out, as the
        // file name is.
        if let Some(s) = &self.sheet {
            write!(f, ":{}", pathprobe_files::quote::visible(s))?;
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
    /// An address block the service uses (the Microsoft 365 feed's `ips`):
    /// listed and exported, not probed (a block names no host to ask).
    Addresses {
        /// The block.
        range: AddressRange,
    },
}

/// An address block in CIDR form (`13.107.6.152/31`, `2603:1006::/40`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AddressRange {
    /// The first address as written.
    pub address: std::net::IpAddr,
    /// Leading bits that are fixed (0 to 32, or 0 to 128).
    pub prefix: u8,
}

impl std::str::FromStr for AddressRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: std::net::IpAddr = address.parse().map_err(|_| {
            format!(
                "{} is not an IP address",
                pathprobe_files::quote::quoted(address)
            )
        })?;
        let most = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => most,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= most && p.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    format!(
                        "{} is not a prefix length (0 to {most})",
                        pathprobe_files::quote::quoted(&format!("/{p}"))
                    )
                })?,
        };
        Ok(AddressRange { address, prefix })
    }
}

impl AddressRange {
    /// The block with the bits past its prefix cleared (`10.0.0.1/8` is
    /// `10.0.0.0/8`): what a firewall reads it as.
    pub fn network(&self) -> AddressRange {
        let address = match self.address {
            std::net::IpAddr::V4(a) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                std::net::IpAddr::V4((u32::from(a) & mask).into())
            }
            std::net::IpAddr::V6(a) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                std::net::IpAddr::V6((u128::from(a) & mask).into())
            }
        };
        AddressRange {
            address,
            prefix: self.prefix,
        }
    }

    /// True for a block wider than any one service holds (shorter than
    /// /8 for IPv4, /16 for IPv6): allowing it opens most of the internet.
    pub fn is_wide(&self) -> bool {
        self.prefix < if self.address.is_ipv4() { 8 } else { 16 }
    }
}

impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

impl Serialize for AddressRange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AddressRange {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for AddressRange {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AddressRange".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An address block in CIDR form: 13.107.6.152/31, 2603:1006::/40",
        })
    }
}

/// How far a probe goes for a service that does not speak HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Depth {
    /// To the end of the TLS handshake (IMAPS, POP3S, SIP over TLS).
    Tls,
    /// To the connection: the protocol starts in clear text (SMTP, IMAP
    /// with STARTTLS), so a TLS handshake would fail where the service works.
    Connect,
}

impl Depth {
    /// The depth for a TCP port with no HTTP on it: a connection for the
    /// ports whose protocols start in clear text, TLS for every other.
    pub fn for_port(port: u16) -> Depth {
        // FTP, SMTP, POP3, IMAP, LDAP, SMTP submission.
        if matches!(port, 21 | 25 | 110 | 143 | 389 | 587) {
            Depth::Connect
        } else {
            Depth::Tls
        }
    }
}

/// A port or a run of ports (`3478-3481`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct PortSpan {
    /// First port.
    pub first: u16,
    /// Last port (the first again for one port).
    pub last: u16,
}

impl fmt::Display for PortSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

impl PortSpan {
    /// Reads a list such as `80,443` or `3478-3481,5060` (spaces allowed).
    pub fn parse_list(text: &str) -> Result<Vec<PortSpan>, String> {
        let mut spans = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let port = |p: &str| {
                p.trim()
                    .parse::<u16>()
                    .ok()
                    .filter(|n| *n > 0 && p.trim().bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| {
                        format!(
                            "{} is not a port (1 to 65535)",
                            pathprobe_files::quote::quoted(p.trim())
                        )
                    })
            };
            let span = match item.split_once('-') {
                Some((a, b)) => {
                    // "-5" or "1-": the item is what is wrong, not an empty half.
                    let (first, last) = match (port(a), port(b)) {
                        (Ok(first), Ok(last)) => (first, last),
                        _ => {
                            return Err(format!(
                                "{} is not a port or a range of ports (1 to 65535)",
                                pathprobe_files::quote::quoted(item)
                            ));
                        }
                    };
                    if last < first {
                        return Err(format!(
                            "{} is a range that runs backwards",
                            pathprobe_files::quote::quoted(item)
                        ));
                    }
                    PortSpan { first, last }
                }
                None => {
                    let p = port(item)?;
                    PortSpan { first: p, last: p }
                }
            };
            spans.push(span);
        }
        Ok(spans)
    }

    /// The distinct ports of `spans`, in order, repeats and overlaps
    /// joined: `443,443` is one port, `1-100,50-200` is 1-200.
    pub fn merged(spans: &[PortSpan]) -> Vec<PortSpan> {
        let mut sorted = spans.to_vec();
        sorted.sort_by_key(|s| (s.first, s.last));
        let mut joined: Vec<PortSpan> = Vec::new();
        for span in sorted {
            match joined.last_mut() {
                Some(last) if u32::from(span.first) <= u32::from(last.last) + 1 => {
                    last.last = last.last.max(span.last);
                }
                _ => joined.push(span),
            }
        }
        joined
    }

    /// How many ports `spans` name, each counted once.
    pub fn count(spans: &[PortSpan]) -> usize {
        Self::merged(spans)
            .iter()
            .map(|s| usize::from(s.last - s.first) + 1)
            .sum()
    }

    /// Spans as a list for people, runs of ports joined (`3478,3479,3480`
    /// reads `3478-3480`): `3478-3481, 5060`.
    pub fn list(spans: &[PortSpan]) -> String {
        let mut joined: Vec<PortSpan> = Vec::new();
        for span in spans {
            match joined.last_mut() {
                Some(last) if last.last.checked_add(1) == Some(span.first) => last.last = span.last,
                _ => joined.push(*span),
            }
        }
        joined
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
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
    /// The UDP ports of a row that names no TCP port (the Microsoft 365
    /// feed's media rows): listed, not probed, since a UDP service need not
    /// answer anything a probe could ask.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub udp_only: Vec<PortSpan>,
    /// How far a probe of a row the catalog names no HTTP for goes: the
    /// Microsoft 365 feed's ports other than 80 and 443.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub depth: Option<Depth>,
    /// Where the row came from.
    pub source: SourceLocation,
}

impl Endpoint {
    /// The URL pattern, if the row names one.
    pub fn url(&self) -> Option<&UrlPattern> {
        match &self.target {
            Target::Url(u) => Some(u),
            Target::Prose { .. } | Target::Addresses { .. } => None,
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
            Target::Addresses { range } => range.to_string(),
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
    /// For a catalog given by URL: where it was fetched from and the
    /// server's validators, in words.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub fetched: Option<String>,
}

impl Catalog {
    /// Several catalogs read as one (`check mde.xlsx internal.txt`): their
    /// endpoints in the order given, each keeping the file it came from,
    /// and every notice. A row two catalogs name is probed once (see
    /// [`crate::plan`]).
    pub fn merged(catalogs: Vec<Catalog>) -> Catalog {
        let mut catalogs = catalogs;
        if catalogs.len() == 1
            && let Some(one) = catalogs.pop()
        {
            return one;
        }
        let mut names = Vec::new();
        let mut origins = Vec::new();
        let mut endpoints = Vec::new();
        let mut notices = Vec::new();
        for c in catalogs {
            names.push(c.info.label());
            origins.push(c.info.origin);
            endpoints.extend(c.endpoints);
            notices.extend(c.notices);
        }
        // Named by the first few: a run over hundreds of lists keeps a
        // one-line name.
        let name = match names.len() {
            0..=5 => names.join(" + "),
            n => format!(
                "{} + {} more catalogs",
                names.get(..4).unwrap_or_default().join(" + "),
                n - 4
            ),
        };
        Catalog {
            info: CatalogInfo {
                name,
                origin: origins.join(", "),
                version: None,
                source_url: None,
                fetched: None,
            },
            endpoints,
            notices,
        }
    }
}

impl CatalogInfo {
    /// How a report names the catalog: its name and version; for one
    /// fetched from a URL, where from and the server's validators.
    pub fn label(&self) -> String {
        match (&self.fetched, &self.version) {
            (Some(fetched), _) => fetched.clone(),
            (None, Some(v)) => format!("{} ({v})", self.name),
            (None, None) => self.name.clone(),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Round 20: a sheet named with a line break forged a line of its own
    /// in the table's Source column.
    #[test]
    fn a_sheet_name_is_written_out_in_a_source() {
        let source = SourceLocation {
            file: PathBuf::from("book.xlsx"),
            sheet: Some("S1\npathprobe: error: FAKE\u{1b}[31m".into()),
            section: None,
            line: 2,
            item: None,
        };
        assert_eq!(
            source.to_string(),
            "book.xlsx:S1<U+000A>pathprobe: error: FAKE<U+001B>[31m:2"
        );
    }

    #[test]
    fn address_blocks_read_as_cidr() {
        let v4: AddressRange = "13.107.6.152/31".parse().unwrap();
        assert_eq!(v4.to_string(), "13.107.6.152/31");
        let v6: AddressRange = " 2603:1006::/40 ".parse().unwrap();
        assert_eq!(v6.prefix, 40);
        let single: AddressRange = "192.0.2.1".parse().unwrap();
        assert_eq!(single.to_string(), "192.0.2.1/32");
        assert_eq!(single.network(), single);
        let loose: AddressRange = "10.1.2.3/8".parse().unwrap();
        assert_eq!(loose.network().to_string(), "10.0.0.0/8");
        let v6: AddressRange = "2603:1006::1/40".parse().unwrap();
        assert_eq!(v6.network().to_string(), "2603:1006::/40");
        let all: AddressRange = "0.0.0.0/0".parse().unwrap();
        assert_eq!(all.network(), all);
        assert!(all.is_wide() && !loose.is_wide());
        for bad in [
            "13.107.6.152/33",
            "2603::/129",
            "1.2.3.4/+5",
            "1.2.3.4/",
            "host/24",
            "",
        ] {
            assert!(bad.parse::<AddressRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn port_lists_read_ranges_and_join_runs() {
        let spans = PortSpan::parse_list("3478, 3479,3480,3481,5060-5061").unwrap();
        assert_eq!(spans.len(), 5);
        assert_eq!(PortSpan::list(&spans), "3478-3481, 5060-5061");
        assert_eq!(PortSpan::parse_list(" ").unwrap(), Vec::new());
        for bad in ["0", "65536", "80;443", "+80", "90-80", "1-"] {
            assert!(PortSpan::parse_list(bad).is_err(), "{bad}");
        }
    }
}
