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
}

/// Header cells longer than this are prose, not headers.
const MAX_HEADER_LEN: usize = 60;

fn words(text: &str) -> Vec<String> {
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
    ];
    if only(URL_WORDS) {
        return Some(Column::Url);
    }
    if only(&["host", "hostname", "hosts", "name", "server"]) && !only(&["name"]) {
        return Some(Column::Host);
    }
    if only(&["port", "ports", "tcp", "number"]) {
        return Some(Column::Port);
    }
    if has_prefix("geo") || has("region") || has("location") || has("cloud") {
        return Some(Column::Geography);
    }
    if has("category") || has("categories") {
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

/// Column positions of one header row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    slots: Vec<(Column, usize)>,
}

impl ColumnMap {
    /// Reads a row as a header: it is one when it has a URL (or host) column and at
    /// least one other known column. The first column of each meaning wins.
    pub fn from_header<S: AsRef<str>>(cells: &[S]) -> Option<ColumnMap> {
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
        for (i, cell) in cells.iter().enumerate() {
            if let Some(col) = classify(cell.as_ref())
                && !slots.iter().any(|(c, _)| *c == col)
            {
                slots.push((col, i));
            }
        }
        let has_url = slots
            .iter()
            .any(|(c, _)| matches!(c, Column::Url | Column::Host));
        // One recognised column is enough only for a one-column table (a CSV list).
        let needed = if cells.len() == 1 { 1 } else { 2 };
        if !has_url || slots.len() < needed {
            return None;
        }
        // A host column is only the URL when there is no better one.
        if slots.iter().any(|(c, _)| *c == Column::Url) {
            slots.retain(|(c, _)| *c != Column::Host);
        } else {
            for slot in &mut slots {
                if slot.0 == Column::Host {
                    slot.0 = Column::Url;
                }
            }
        }
        Some(ColumnMap { slots })
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
    fn host_column_stands_in_for_a_missing_url_column() {
        let h = ColumnMap::from_header(&["host", "port"]).unwrap();
        assert_eq!(h.url(), 0);
        let both = ColumnMap::from_header(&["url_raw", "host", "port"]).unwrap();
        assert_eq!(both.url(), 0);
        assert!(!both.has(Column::Host));
    }
}
