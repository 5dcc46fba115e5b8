//! Header recognition by meaning: vendor files rename columns between versions
//! ("Endpoint/URL" / "URL" / "Endpoint/URLs", "Required / Optional" / "Type"),
//! so a column is known by the words in its header, not by exact text.

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// The URL / endpoint / host pattern.
    Url,
    /// A bare host column, used only when there is no URL column.
    Host,
    /// Port number.
    Port,
    /// Data location.
    Geography,
    /// Vendor category.
    Category,
    /// Vendor service name.
    Service,
    /// What the endpoint is for.
    Description,
    /// Footnotes and conditions.
    Comments,
    /// Required / optional.
    Requirement,
    /// A single "OS" column ("All", "Windows", "macOS", "Linux").
    Os,
    /// Windows 10/11 / Server 2019+ flag.
    Windows,
    /// Windows 7 / 8.1 flag.
    WindowsLegacyClient,
    /// Windows Server 2008 R2 / 2012 R2 / 2016 (MMA) flag.
    WindowsLegacyServer,
    /// macOS flag.
    Macos,
    /// Linux flag.
    Linux,
    /// A URL scheme (`http`, `https`) for a host column: pathprobe's own
    /// CSV export writes one.
    Scheme,
    /// A URL path for a host column (pathprobe's own CSV export).
    Path,
}

/// The headers a URL column is known by, as messages name them when none
/// is found (each in any case and spacing, with or without "(s)").
pub const URL_HEADERS: &str = "URL, Endpoint, Domain(s), FQDN, Address, Destination, or Host name (with another known column beside it)";

/// Header cells longer than this are prose, not headers.
const MAX_HEADER_LEN: usize = 60;

fn words(text: &str) -> Vec<String> {
    // "Domain(s)", "Address(es)": the plural people write in brackets.
    let text = text
        .to_ascii_lowercase()
        .replace("(s)", "s")
        .replace("(es)", "es");
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('.').to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Names one header cell, or `None` when it means nothing we use.
pub fn classify(header: &str) -> Option<Column> {
    let text = header.trim();
    if text.is_empty() || text.len() > MAX_HEADER_LEN {
        return None;
    }
    let w = words(text);
    let has = |x: &str| w.iter().any(|t| t == x);
    let has_prefix = |x: &str| w.iter().any(|t| t.starts_with(x));
    let only = |allowed: &[&str]| !w.is_empty() && w.iter().all(|t| allowed.contains(&t.as_str()));

    if has_prefix("descr") {
        return Some(Column::Description);
    }
    if has_prefix("comment") || has("remarks") || has("notes") {
        return Some(Column::Comments);
    }
    const URL_WORDS: &[&str] = &[
        "endpoint",
        "endpoints",
        "url",
        "urls",
        "uri",
        "raw",
        "fqdn",
        "fqdns",
        "domain",
        "domains",
        "destination",
        "destinations",
        "address",
        "addresses",
    ];
    if only(URL_WORDS) {
        return Some(Column::Url);
    }
    if only(&[
        "host",
        "hostname",
        "hostnames",
        "hosts",
        "name",
        "names",
        "server",
        "servers",
    ]) && !only(&["name", "names"])
    {
        return Some(Column::Host);
    }
    if only(&["scheme", "schemes"]) {
        return Some(Column::Scheme);
    }
    if only(&["path", "paths"]) {
        return Some(Column::Path);
    }
    if only(&["port", "ports", "tcp", "number", "destination", "dst"]) {
        return Some(Column::Port);
    }
    if has_prefix("geo")
        || has("region")
        || has("regions")
        || has_prefix("location")
        || has("cloud")
    {
        return Some(Column::Geography);
    }
    // "Service area" (the Microsoft 365 lists' word) is a category; a
    // "Service" alone is the service's name.
    if has("category") || has("categories") || (has("service") && has_prefix("area")) {
        return Some(Column::Category);
    }
    if (has("service") || has("services")) && !has("tag") {
        return Some(Column::Service);
    }
    if has("required")
        || has("optional")
        || has("requirement")
        || has("mandatory")
        || only(&["type"])
    {
        return Some(Column::Requirement);
    }
    if only(&["os", "oses", "platform", "platforms"])
        || text.eq_ignore_ascii_case("operating system")
    {
        return Some(Column::Os);
    }
    // Per-OS flag columns, most specific first: "Windows Server 2008 R2 / 2012 R2 / 2016"
    // also says "Windows".
    if has("mac") || has("macos") || has("osx") {
        return Some(Column::Macos);
    }
    if has("linux") {
        return Some(Column::Linux);
    }
    if has("2008") || has("2012") || has("mma") || w.iter().any(|t| t.contains("server_mma")) {
        return Some(Column::WindowsLegacyServer);
    }
    if has("7") || has("8.1") || w.iter().any(|t| t.starts_with("win7")) {
        return Some(Column::WindowsLegacyClient);
    }
    if has("windows")
        || w.iter()
            .any(|t| t.starts_with("win10") || t.starts_with("win11"))
    {
        return Some(Column::Windows);
    }
    None
}

/// The roles `--column ROLE=HEADER` takes: each role's own name first,
/// then the other words it answers to.
const ROLE_NAMES: &[(Column, &[&str])] = &[
    (Column::Url, &["url", "endpoint"]),
    (Column::Host, &["host"]),
    (Column::Port, &["port"]),
    (
        Column::Geography,
        &["geography", "geo", "region", "location"],
    ),
    (Column::Category, &["category"]),
    (Column::Service, &["service"]),
    (Column::Description, &["description"]),
    (Column::Comments, &["comments", "comment", "notes"]),
    (Column::Requirement, &["requirement", "required"]),
    (Column::Os, &["os", "platform"]),
];

impl Column {
    /// The role names `--column ROLE=HEADER` takes, for messages.
    pub fn roles() -> String {
        ROLE_NAMES
            .iter()
            .filter_map(|(_, names)| names.first().copied())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A role by its name (`url`, `geo`, `required`, …).
    pub fn from_role(name: &str) -> Option<Column> {
        let name = name.trim().to_ascii_lowercase();
        ROLE_NAMES
            .iter()
            .find(|(_, names)| names.contains(&name.as_str()))
            .map(|(column, _)| *column)
    }

    /// The role's own name, if `--column` can place it.
    fn role_name(self) -> Option<&'static str> {
        ROLE_NAMES
            .iter()
            .find(|(column, _)| *column == self)
            .and_then(|(_, names)| names.first().copied())
    }
}

/// `--column ROLE=HEADER`: the header cell (any case and spacing) that holds
/// a role, for headers whose words pathprobe does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnOverride {
    /// What the column holds.
    pub role: Column,
    /// Its header, as written in the file.
    pub header: String,
}

impl std::str::FromStr for ColumnOverride {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (role, header) = text.split_once('=').ok_or_else(|| {
            format!(
                "expected ROLE=HEADER, such as url=\"Web address\" (roles: {})",
                Column::roles()
            )
        })?;
        let role = Column::from_role(role).ok_or_else(|| {
            format!(
                "\"{}\" is not a role (roles: {})",
                role.trim(),
                Column::roles()
            )
        })?;
        let header = header.trim();
        if header.is_empty() || header.chars().any(char::is_control) {
            return Err("the header is one line of text, not empty".into());
        }
        Ok(ColumnOverride {
            role,
            header: header.to_owned(),
        })
    }
}

impl std::fmt::Display for ColumnOverride {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Overrides are made by `from_role`: every role has its name.
        let role = self.role.role_name().unwrap_or("url");
        write!(f, "{role}={}", self.header)
    }
}

/// Header texts compared as people see them: case and runs of spaces aside.
fn same_header(a: &str, b: &str) -> bool {
    let squeeze = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    squeeze(a).eq_ignore_ascii_case(&squeeze(b))
}

/// Column positions of one header row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    slots: Vec<(Column, usize)>,
    /// Other columns whose header names URLs or hosts, not read (the first
    /// such column is the URL column): said, so that none is lost unseen.
    unread: Vec<usize>,
}

impl ColumnMap {
    /// Without overrides (the tests' shorthand).
    #[cfg(test)]
    pub fn from_header<S: AsRef<str>>(cells: &[S]) -> Option<ColumnMap> {
        Self::from_header_with(cells, &[])
    }

    /// Reads a row as a header: it is one when it has a URL (or host) column and at
    /// least one other known column. The first column of each meaning wins. The
    /// columns `overrides` name are placed first: their roles are taken by the
    /// cells they name, never guessed.
    pub fn from_header_with<S: AsRef<str>>(
        cells: &[S],
        overrides: &[ColumnOverride],
    ) -> Option<ColumnMap> {
        Self::read_header(cells, overrides, false)
    }

    /// [`ColumnMap::from_header_with`] for a table's first header: a URL
    /// column headed as one (`URL`, `Endpoint`, `FQDN`, not a bare `Host`)
    /// is enough beside columns pathprobe reads nothing from (`URL,Owner`
    /// was refused as "no header"; round 20). Those columns are said by the
    /// walker. Once a table has its header, a later row needs the stricter
    /// reading to replace it.
    pub fn from_first_header<S: AsRef<str>>(
        cells: &[S],
        overrides: &[ColumnOverride],
    ) -> Option<ColumnMap> {
        Self::read_header(cells, overrides, true)
    }

    fn read_header<S: AsRef<str>>(
        cells: &[S],
        overrides: &[ColumnOverride],
        first: bool,
    ) -> Option<ColumnMap> {
        // A row that names a host is data, whatever its other cells say. A
        // lone word ("URL", "Category") could be a single-label host too, so
        // only forms no header takes count here.
        let names_a_host = |c: &S| {
            crate::pattern::split_cell(c.as_ref())
                .iter()
                .any(|item| crate::pattern::is_clearly_a_host(item))
        };
        if cells.iter().any(names_a_host) {
            return None;
        }
        let mut slots: Vec<(Column, usize)> = Vec::new();
        let mut unread: Vec<usize> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            if let Some(o) = overrides
                .iter()
                .find(|o| same_header(cell.as_ref(), &o.header))
                && !slots.iter().any(|(c, _)| *c == o.role)
            {
                slots.push((o.role, i));
            }
        }
        for (i, cell) in cells.iter().enumerate() {
            if slots.iter().any(|(_, at)| *at == i) {
                continue;
            }
            if let Some(col) = classify(cell.as_ref())
                && !overrides.iter().any(|o| o.role == col)
            {
                if !slots.iter().any(|(c, _)| *c == col) {
                    slots.push((col, i));
                } else if matches!(col, Column::Url | Column::Host) {
                    unread.push(i);
                }
            }
        }
        let has_url = slots
            .iter()
            .any(|(c, _)| matches!(c, Column::Url | Column::Host));
        // One recognised column is enough only for a one-column table (a CSV
        // list), or when the user named it: their header is the header.
        let named = slots
            .iter()
            .any(|(c, _)| overrides.iter().any(|o| o.role == *c));
        // A first header may stand on its URL column alone when that
        // column's heading says URL (the others hold no header words, but
        // are headings: short, no host among them, checked above).
        let strong_url = first
            && slots.iter().any(|(c, i)| {
                *c == Column::Url
                    && cells
                        .get(*i)
                        .is_some_and(|t| classify(t.as_ref()) == Some(Column::Url))
            })
            && cells
                .iter()
                .all(|c| c.as_ref().trim().len() <= MAX_HEADER_LEN && !c.as_ref().contains("://"));
        let needed = if cells.len() == 1 || named || strong_url {
            1
        } else {
            2
        };
        if !has_url || slots.len() < needed {
            return None;
        }
        // A host column is only the URL when there is no better one.
        if slots.iter().any(|(c, _)| *c == Column::Url) {
            unread.extend(
                slots
                    .iter()
                    .filter(|(c, _)| *c == Column::Host)
                    .map(|(_, i)| *i),
            );
            slots.retain(|(c, _)| *c != Column::Host);
        } else {
            for slot in &mut slots {
                if slot.0 == Column::Host {
                    slot.0 = Column::Url;
                }
            }
        }
        unread.sort_unstable();
        Some(ColumnMap { slots, unread })
    }

    /// The other columns naming URLs or hosts, which are not read.
    pub fn unread(&self) -> &[usize] {
        &self.unread
    }

    /// The columns of `header` with a heading that are read for nothing:
    /// a meaning pathprobe has no use for ("Owner", "Ticket"), or a second
    /// column of a meaning already taken. Not the other URL columns
    /// ([`ColumnMap::unread`]), which are said row by row.
    pub fn ignored<S: AsRef<str>>(&self, header: &[S]) -> Vec<usize> {
        header
            .iter()
            .enumerate()
            .filter(|(i, text)| {
                !text.as_ref().trim().is_empty()
                    && !self.slots.iter().any(|(_, at)| at == i)
                    && !self.unread.contains(i)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Position of a column, if the header has it.
    pub fn get(&self, col: Column) -> Option<usize> {
        self.slots.iter().find(|(c, _)| *c == col).map(|(_, i)| *i)
    }

    /// Whether the header has this column.
    pub fn has(&self, col: Column) -> bool {
        self.get(col).is_some()
    }

    /// Position of the URL column (always present).
    #[cfg(test)]
    pub fn url(&self) -> usize {
        self.get(Column::Url).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants_across_versions() {
        assert_eq!(classify("Endpoint/URL"), Some(Column::Url));
        assert_eq!(classify("Endpoint/URLs"), Some(Column::Url));
        assert_eq!(classify("URL"), Some(Column::Url));
        assert_eq!(classify("url_raw"), Some(Column::Url));
        assert_eq!(
            classify("Endpoint/URL Description "),
            Some(Column::Description)
        );
        assert_eq!(classify("Required / Optional"), Some(Column::Requirement));
        assert_eq!(classify("Type"), Some(Column::Requirement));
        assert_eq!(classify("Category\n"), Some(Column::Category));
        assert_eq!(classify("Windows 10 / Server 2019"), Some(Column::Windows));
        assert_eq!(
            classify("Windows 7 / 8.1"),
            Some(Column::WindowsLegacyClient)
        );
        assert_eq!(
            classify("Windows Server 2008 R2 / 2012 R2 / 2016"),
            Some(Column::WindowsLegacyServer)
        );
        assert_eq!(classify("win10_11_unified"), Some(Column::Windows));
        assert_eq!(classify("win7_81"), Some(Column::WindowsLegacyClient));
        assert_eq!(classify("server_mma"), Some(Column::WindowsLegacyServer));
        assert_eq!(classify("Mac"), Some(Column::Macos));
        assert_eq!(classify("OS"), Some(Column::Os));
        assert_eq!(classify("Service Tag Name"), None);
        assert_eq!(classify("Microsoft Defender for Endpoint"), None);
        assert_eq!(classify("*.endpoint.security.microsoft.com"), None);
    }

    /// Headers as people retype them: every spelling of each role's names
    /// in any case, with extra or missing spaces, punctuation around
    /// slashes, bracketed plurals and a trailing question mark or colon.
    #[test]
    fn header_spellings_matrix() {
        let roles: &[(Column, &[&str])] = &[
            (
                Column::Url,
                &[
                    "URL",
                    "URL(s)",
                    "Endpoint",
                    "Endpoint/URL",
                    "Endpoint(s)",
                    "Domain(s)",
                    "FQDN",
                    "Address",
                    "Destination",
                    "Destination(s)",
                    "Domain / URL",
                ],
            ),
            (
                Column::Host,
                &["Host name", "Hostname", "Host name(s)", "Server(s)"],
            ),
            (
                Column::Port,
                &["Port", "Port(s)", "TCP port(s)", "Destination port"],
            ),
            (
                Column::Geography,
                &[
                    "Geography",
                    "Region",
                    "Region(s)",
                    "Location",
                    "Data location",
                    "Geo",
                ],
            ),
            (
                Column::Category,
                &["Category", "Categories", "Service area", "Service area(s)"],
            ),
            (
                Column::Requirement,
                &[
                    "Required",
                    "Mandatory",
                    "Optional?",
                    "Required / Optional",
                    "Requirement",
                ],
            ),
        ];
        let variants = |name: &str| -> Vec<String> {
            let mut all = vec![
                name.to_owned(),
                name.to_ascii_lowercase(),
                name.to_ascii_uppercase(),
                format!("{name} "),
                format!("  {name}"),
                name.replace(' ', "  "),
                name.replace(' ', "_"),
                name.replace(' ', "-"),
                name.replace(" / ", "/"),
                name.replace(" / ", " /"),
                name.replace('/', " / "),
                format!("{name}:"),
                format!("{name}\n"),
            ];
            if !name.ends_with('?') {
                all.push(format!("{name}?"));
            }
            all
        };
        let mut checked = 0;
        for (role, names) in roles {
            for name in *names {
                for v in variants(name) {
                    assert_eq!(classify(&v), Some(*role), "{v:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 400, "{checked}");
        // Words that are near but mean something else stay unplaced.
        for other in ["Name", "Names", "Service Tag Name", "IP ranges", "Notes?"] {
            assert_ne!(classify(other), Some(Column::Url), "{other}");
        }
    }

    #[test]
    fn header_rows_need_a_url_column_and_one_more() {
        let h = ColumnMap::from_header(&[
            "Service",
            "Port",
            "Endpoint/URLs",
            "Endpoint/URL Description ",
            "Type",
        ])
        .unwrap();
        assert_eq!(h.url(), 2);
        assert_eq!(h.get(Column::Port), Some(1));
        assert_eq!(h.get(Column::Requirement), Some(4));
        assert!(ColumnMap::from_header(&["Process", "Path", "Comment"]).is_none());
        assert!(ColumnMap::from_header(&["URL", ""]).is_none());
        assert_eq!(ColumnMap::from_header(&["URL"]).unwrap().url(), 0);
        assert!(ColumnMap::from_header(&["Date", "Change Log"]).is_none());
        assert!(ColumnMap::from_header(&["Web protection", "Required", "Endpoint"]).is_some());
        assert!(ColumnMap::from_header(&["Web", "Required", "a.example.com"]).is_none());
        // A data row is not a header.
        assert!(
            ColumnMap::from_header(&[
                "Core Defender for Endpoint services",
                "443",
                "*.endpoint.security.microsoft.com",
                "Required",
                "Windows"
            ])
            .is_none()
        );
    }

    #[test]
    fn overrides_place_the_columns_they_name() {
        let over = |t: &str| t.parse::<ColumnOverride>().unwrap();
        let cells = ["Web address", "Area", "FQDN"];
        // Without an override, the row is no header: "FQDN" is its only
        // known column.
        assert_eq!(ColumnMap::from_header(&cells).map(|m| m.url()), None);
        let m =
            ColumnMap::from_header_with(&cells, &[over("url=web  ADDRESS"), over("category=Area")])
                .unwrap();
        assert_eq!(m.url(), 0);
        assert_eq!(m.get(Column::Category), Some(1));
        assert_eq!(over("geo = Data centre").role, Column::Geography);
        assert!("Web address".parse::<ColumnOverride>().is_err());
        assert!("colour=x".parse::<ColumnOverride>().is_err());
        assert!("url=".parse::<ColumnOverride>().is_err());
        assert_eq!(over("url=Web address").to_string(), "url=Web address");
        // Every name of every role reads back as that role.
        for (column, names) in ROLE_NAMES {
            for name in *names {
                let o = over(&format!("{name}=X"));
                assert_eq!(o.role, *column, "{name}");
                assert_eq!(over(&o.to_string()).role, *column, "{name}");
            }
        }
    }

    #[test]
    fn host_column_stands_in_for_a_missing_url_column() {
        let h = ColumnMap::from_header(&["host", "port"]).unwrap();
        assert_eq!(h.url(), 0);
        let both = ColumnMap::from_header(&["url_raw", "host", "port"]).unwrap();
        assert_eq!(both.url(), 0);
        assert!(!both.has(Column::Host));
    }
}
