//! The table walker shared by the spreadsheet and CSV loaders: finds header rows
//! (also repeated ones), section banners, merged-cell continuations, multi-URL
//! cells and prose, and turns each row into endpoints.

use std::path::Path;

use crate::columns::{Column, ColumnMap};
use crate::error::Origin;
use crate::geo::Geography;
use crate::model::{Endpoint, Notice, Platforms, Requirement, SourceLocation, Support, Target};
use crate::pattern::{Parsed, Scheme, parse_item, split_cell};

/// One cell after merged regions were filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// Text of the cell (numbers as written, e.g. `443`).
    pub text: String,
    /// True when the cell is part of a merged region but not its top-left cell:
    /// it repeats the value of the region's first cell.
    pub continued: bool,
    /// True when the merged region started on an earlier row.
    pub from_above: bool,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            continued: false,
            from_above: false,
        }
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A table: rows of cells, with the 1-based number of its first row.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Rows in order.
    pub rows: Vec<Vec<Cell>>,
    /// Number of the first row in the source (1-based).
    pub first_row: u32,
    /// Source line of each row when rows are not consecutive (CSV records with
    /// quoted line breaks); empty means `first_row`, `first_row + 1`, ...
    pub lines: Vec<u32>,
}

/// Context of one table: where it is, and defaults it implies.
pub struct TableSource<'a> {
    /// File path.
    pub file: &'a Path,
    /// Sheet name, for workbooks.
    pub sheet: Option<&'a str>,
    /// Columns the user placed by their headers (`--column`).
    pub columns: &'a [crate::columns::ColumnOverride],
}

/// What walking a table produced.
#[derive(Debug, Default)]
pub struct Walked {
    /// Endpoints in order.
    pub endpoints: Vec<Endpoint>,
    /// Things the user should hear about.
    pub notices: Vec<Notice>,
    /// Whether any header row was found.
    pub found_header: bool,
}

/// Defaults a sheet's name implies: "... - USGov" sheets are US government rows;
/// "Windows 1607 to 1803" sheets are Windows rows.
struct SheetDefaults {
    geography: Geography,
    windows_sheet: bool,
}

impl SheetDefaults {
    fn from_name(name: Option<&str>) -> Self {
        let lower = name.unwrap_or_default().to_ascii_lowercase();
        let squeezed: String = lower
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let geography = if squeezed.contains("usgov") {
            Geography::UsGov
        } else {
            Geography::Worldwide
        };
        SheetDefaults {
            geography,
            windows_sheet: lower.contains("windows"),
        }
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// A port cell as the vendor writes it (`443`, `TCP 443`, `80, 443`): the
/// ports in it, first first; `Err` when it holds something that is not a
/// port (`0`, `65536`, `-1`, `1e3`, `0x50`), which must not become another
/// port silently.
fn parse_port(text: &str) -> Result<Vec<u16>, String> {
    let lower = text.trim().to_ascii_lowercase();
    let mut ports = Vec::new();
    for word in lower.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '/' | '|')) {
        if word.is_empty() || matches!(word, "tcp" | "udp" | "port" | "ports" | "and" | "or") {
            continue;
        }
        match word.parse::<u16>() {
            Ok(p) if p > 0 && word.bytes().all(|b| b.is_ascii_digit()) => ports.push(p),
            _ => return Err(format!("\"{}\" is not a port (1 to 65535)", text.trim())),
        }
    }
    Ok(ports)
}

/// Walks a table into endpoints.
pub fn walk(grid: &Grid, src: &TableSource<'_>) -> Walked {
    let defaults = SheetDefaults::from_name(src.sheet);
    let mut out = Walked::default();
    let mut header: Option<ColumnMap> = None;
    let mut header_texts: Vec<String> = Vec::new();
    let mut section: Option<String> = None;
    let mut unheaded: Option<Unheaded> = None;

    for (offset, row) in grid.rows.iter().enumerate() {
        let line = grid.lines.get(offset).copied().unwrap_or_else(|| {
            grid.first_row
                .saturating_add(u32::try_from(offset).unwrap_or(u32::MAX))
        });
        // Cells that carry their own value (not a merge continuation).
        let own: Vec<&Cell> = row
            .iter()
            .filter(|c| !c.is_blank() && !c.continued)
            .collect();
        if own.is_empty() {
            continue; // blank, or wholly inside merged regions that started above
        }
        let texts: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
        let read = if header.is_some() {
            ColumnMap::from_header_with(&texts, src.columns)
        } else {
            ColumnMap::from_first_header(&texts, src.columns)
        };
        if let Some(map) = read {
            // A column no meaning is read from is said once per header,
            // never dropped unseen (round 19: extra CSV columns vanished).
            let ignored = map.ignored(&texts);
            let same_header = header_texts.len() == texts.len()
                && header_texts.iter().zip(&texts).all(|(a, b)| a == b);
            if !ignored.is_empty() && !same_header {
                let named: Vec<String> = ignored
                    .iter()
                    .map(|&i| {
                        format!(
                            "{} (column {})",
                            pathprobe_files::quote::quoted(&first_line(
                                texts.get(i).copied().unwrap_or_default()
                            )),
                            i + 1
                        )
                    })
                    .collect();
                out.notices.push(Notice {
                    location: Origin {
                        file: src.file.to_path_buf(),
                        sheet: src.sheet.map(str::to_string),
                        line: Some(line),
                    }
                    .to_string(),
                    message: format!(
                        "{} not read: pathprobe reads no meaning from {}; --column ROLE=HEADER gives one a role",
                        pathprobe_files::quote::list(&named, 8),
                        if ignored.len() == 1 { "it" } else { "them" }
                    ),
                });
            }
            flush_unheaded(&mut unheaded, src, &mut out);
            header_texts = texts.iter().map(|t| (*t).to_owned()).collect();
            header = Some(map);
            out.found_header = true;
            continue;
        }
        let here = || {
            Origin {
                file: src.file.to_path_buf(),
                sheet: src.sheet.map(str::to_string),
                line: Some(line),
            }
            .to_string()
        };
        let Some(map) = &header else {
            // Before the first header: titles and section banners.
            if own.len() == 1 {
                section = own.first().map(|c| first_line(&c.text));
            }
            continue;
        };
        // A value in a column the header gives no heading (a CSV row with
        // more cells than the header): not read, and counted to be said
        // (round 20: dropped without a word).
        if let Some(at) = row.iter().enumerate().position(|(i, c)| {
            !c.is_blank() && !c.continued && header_texts.get(i).is_none_or(|h| h.trim().is_empty())
        }) {
            let seen = unheaded.get_or_insert(Unheaded {
                rows: 0,
                line,
                column: at,
            });
            seen.rows += 1;
        }
        let get = |col: Column| -> Option<&Cell> { map.get(col).and_then(|i| row.get(i)) };
        // Another column of URLs or hosts holding what the URL column does
        // not: it is not read, and said, never lost unseen.
        let url_column = map.get(Column::Url).unwrap_or_default();
        let header_name = |i: usize| {
            header_texts
                .get(i)
                .map(|t| pathprobe_files::quote::quoted(t.trim()))
                .unwrap_or_default()
        };
        let url_seen = get(Column::Url)
            .map(|c| c.text.to_lowercase())
            .unwrap_or_default();
        for &at in map.unread() {
            let Some(value) = row
                .get(at)
                .filter(|c| !c.continued)
                .map(|c| c.text.trim())
                .filter(|t| !t.is_empty())
            else {
                continue;
            };
            if !url_seen.contains(&value.to_lowercase()) {
                let choose = if header_name(at).eq_ignore_ascii_case(&header_name(url_column)) {
                    "give the two columns different headers to choose".to_owned()
                } else {
                    format!("--column url={} reads the other", header_name(at))
                };
                out.notices.push(Notice {
                    location: here(),
                    message: format!(
                        "column {} ({}) holds {}, which is not read: column {} ({}) is the URL column; {choose}",
                        at + 1,
                        header_name(at),
                        pathprobe_files::quote::quoted(&first_line(value)),
                        url_column + 1,
                        header_name(url_column),
                    ),
                });
            }
        }
        let text_of = |col: Column| -> Option<String> {
            get(col)
                .map(|c| c.text.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let url_cell = get(Column::Url);
        let Some(url_cell) = url_cell.filter(|c| !c.is_blank() && !c.continued) else {
            // The URL cell spans this row from above: same endpoint, nothing new.
            if url_cell.is_some_and(|c| c.from_above) {
                continue;
            }
            if own.len() == 1 {
                // A lone cell (often merged across the row) is a section banner.
                section = own.first().map(|c| first_line(&c.text));
            } else {
                out.notices.push(Notice {
                    location: here(),
                    message: format!(
                        "row has no URL; skipped: {}",
                        own.iter()
                            .map(|c| first_line(&c.text))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ),
                });
            }
            continue;
        };
        // A host column with a scheme and a path beside it (pathprobe's own
        // CSV export): one URL, as it was written (round 18: http rows read
        // back as https, and the path was dropped).
        let mut url_text = url_cell.text.clone();
        if !url_text.contains("://")
            && let Some(scheme) = text_of(Column::Scheme)
                .map(|s| s.to_ascii_lowercase())
                .filter(|s| matches!(s.as_str(), "http" | "https"))
        {
            url_text = format!("{scheme}://{}", url_text.trim());
        }
        if let Some(path) = text_of(Column::Path).filter(|p| p.starts_with('/') && p != "/")
            && url_text
                .split_once("://")
                .is_some_and(|(_, rest)| !rest.contains('/'))
        {
            url_text = format!("{}{path}", url_text.trim());
        }

        let category = text_of(Column::Category);
        // A cell naming several locations ("WW, EU"): a row needed
        // worldwide is WW; another list is said, as the row then matches
        // no --geo of its own (round 18: it was dropped silently).
        let geography_cell = text_of(Column::Geography).map(|g| {
            let parts: Vec<Geography> = g
                .split([',', ';', '|'])
                .filter_map(Geography::parse)
                .collect();
            match parts.as_slice() {
                [_, _, ..] if parts.contains(&Geography::Worldwide) => Geography::Worldwide.code().to_owned(),
                [_, _, ..] => {
                    out.notices.push(Notice {
                        location: here(),
                        message: format!(
                            "the geography {} names {} locations; a row is for one: it is checked only when --geo names that text",
                            pathprobe_files::quote::quoted(&first_line(&g)),
                            parts.len()
                        ),
                    });
                    g
                }
                _ => g,
            }
        });
        let geography = geography_cell
            .and_then(|g| Geography::parse(&g))
            .or_else(|| {
                category
                    .as_deref()
                    .and_then(Geography::from_category_suffix)
            })
            .unwrap_or_else(|| defaults.geography.clone());
        let requirement = text_of(Column::Requirement)
            .and_then(|r| Requirement::parse(&r))
            .unwrap_or_default();
        let platforms = platforms_of(map, &text_of, defaults.windows_sheet);
        let port = match text_of(Column::Port).map(|p| parse_port(&p)) {
            None => None,
            Some(Ok(ports)) => {
                if let [first, rest @ ..] = ports.as_slice()
                    && !rest.is_empty()
                {
                    out.notices.push(Notice {
                        location: here(),
                        message: format!(
                            "the port cell lists {}; port {first} is probed, not {}",
                            ports.len(),
                            rest.iter()
                                .map(u16::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
                ports.first().copied()
            }
            Some(Err(why)) => {
                out.notices.push(Notice {
                    location: here(),
                    message: format!("{why}; the URL's own port is used"),
                });
                None
            }
        };

        let items = split_cell(&url_text);
        let many = items.len() > 1;
        let mut seen: Vec<&str> = Vec::new();
        // Each repeated item said once, with how often it came.
        let mut repeats: Vec<(&str, usize)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if seen.iter().any(|s| s.eq_ignore_ascii_case(item)) {
                match repeats
                    .iter_mut()
                    .find(|(r, _)| r.eq_ignore_ascii_case(item))
                {
                    Some((_, n)) => *n += 1,
                    None => repeats.push((item, 2)),
                }
                continue;
            }
            seen.push(item);
            let target = match parse_item(item) {
                Parsed::Url(u) => Target::Url(u),
                Parsed::Prose(_) if many => {
                    // A line of prose inside a multi-URL cell: keep the whole line.
                    Target::Prose {
                        text: (*item).to_string(),
                    }
                }
                Parsed::Prose(_) => Target::Prose {
                    text: url_text.trim().to_string(),
                },
            };
            // The port column and the URL disagreeing is said, never
            // settled in silence: what is probed is what the URL says.
            if let (Target::Url(u), Some(column)) = (&target, port)
                && let Some(message) = port_clash(item, u, column, "the port column")
            {
                out.notices.push(Notice {
                    location: here(),
                    message,
                });
            }
            out.endpoints.push(Endpoint {
                target,
                port,
                geography: geography.clone(),
                category: category.clone(),
                service: text_of(Column::Service),
                description: text_of(Column::Description),
                comments: text_of(Column::Comments),
                requirement,
                platforms,
                udp_only: Vec::new(),
                depth: None,
                source: SourceLocation {
                    file: src.file.to_path_buf(),
                    sheet: src.sheet.map(str::to_string),
                    section: section.clone(),
                    line,
                    item: many.then(|| u32::try_from(i + 1).unwrap_or(u32::MAX)),
                },
            });
        }
        for (item, times) in repeats {
            out.notices.push(Notice {
                location: here(),
                message: if times == 2 {
                    format!("{item} appears twice in one cell; listed once")
                } else {
                    format!("{item} appears {times} times in one cell; listed once")
                },
            });
        }
    }
    flush_unheaded(&mut unheaded, src, &mut out);
    out
}

/// What is said when a URL and the port given beside it (`field`: "the
/// port column", "its \"port\"") disagree; what is probed is what the URL
/// says.
pub(crate) fn port_clash(
    item: &str,
    url: &crate::pattern::UrlPattern,
    column: u16,
    field: &str,
) -> Option<String> {
    match (url.port, url.scheme) {
        (Some(own), _) if own != column => Some(format!(
            "{item} names port {own} and {field} {column}: port {own}, the URL's, is probed"
        )),
        (None, Some(Scheme::Http)) if column == 443 => Some(format!(
            "{item} is plain http:// and {field} says 443: probed as plain HTTP on port 443, as written; write https:// if TLS is meant"
        )),
        (None, Some(Scheme::Https)) if column == 80 => Some(format!(
            "{item} is https:// and {field} says 80: probed as TLS on port 80, as written; write http:// if plain HTTP is meant"
        )),
        _ => None,
    }
}

/// Rows of one header's table holding values where it has no heading.
struct Unheaded {
    rows: usize,
    /// The first such row's line, and its first such column (0-based).
    line: u32,
    column: usize,
}

/// Says the rows [`Unheaded`] counted, once, at the first of them.
fn flush_unheaded(unheaded: &mut Option<Unheaded>, src: &TableSource<'_>, out: &mut Walked) {
    if let Some(u) = unheaded.take() {
        out.notices.push(Notice {
            location: Origin {
                file: src.file.to_path_buf(),
                sheet: src.sheet.map(str::to_string),
                line: Some(u.line),
            }
            .to_string(),
            message: format!(
                "{} row(s) hold values in columns the header gives no heading (column {} here): not read; give the column a heading, or remove the extra cells",
                u.rows,
                u.column + 1
            ),
        });
    }
}

/// Per-OS flags from flag columns, or from a single OS column.
fn platforms_of(
    map: &ColumnMap,
    text_of: &dyn Fn(Column) -> Option<String>,
    windows_sheet: bool,
) -> Platforms {
    // Blank in an existing flag column means "no" (the vendor leaves it empty);
    // a column that does not exist says nothing.
    let flag = |col: Column, absent: Support| -> Support {
        if map.has(col) {
            text_of(col)
                .map(|t| Support::parse(&t))
                .map_or(Support::No, |s| {
                    if s == Support::Unstated {
                        Support::No
                    } else {
                        s
                    }
                })
        } else {
            absent
        }
    };
    let has_flags = [
        Column::Windows,
        Column::WindowsLegacyClient,
        Column::WindowsLegacyServer,
        Column::Macos,
        Column::Linux,
    ]
    .iter()
    .any(|c| map.has(*c));
    if has_flags {
        let (win, other) = if windows_sheet {
            (Support::Yes, Support::No)
        } else {
            (Support::Unstated, Support::Unstated)
        };
        return Platforms {
            windows: flag(Column::Windows, win),
            windows_legacy_client: flag(Column::WindowsLegacyClient, win),
            windows_legacy_server: flag(Column::WindowsLegacyServer, win),
            macos: flag(Column::Macos, other),
            linux: flag(Column::Linux, other),
        };
    }
    if let Some(os) = text_of(Column::Os) {
        return platforms_from_os_text(&os);
    }
    if windows_sheet {
        let mut p = Platforms::all(Support::No);
        p.windows = Support::Yes;
        p.windows_legacy_client = Support::Yes;
        p.windows_legacy_server = Support::Yes;
        return p;
    }
    Platforms::default()
}

/// Reads an "OS" cell: "All", "Windows", "macOS", "Linux", or a list of them.
pub fn platforms_from_os_text(text: &str) -> Platforms {
    let lower = text.to_ascii_lowercase();
    if lower.trim() == "all" || lower.contains("all platforms") {
        return Platforms::all(Support::Yes);
    }
    let mut p = Platforms::all(Support::No);
    let mut any = false;
    if lower.contains("windows") || lower.contains("mma") {
        p.windows = Support::Yes;
        p.windows_legacy_client = Support::Yes;
        p.windows_legacy_server = Support::Yes;
        any = true;
    }
    if lower.contains("mac") {
        p.macos = Support::Yes;
        any = true;
    }
    if lower.contains("linux") {
        p.linux = Support::Yes;
        any = true;
    }
    if any { p } else { Platforms::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_cells_are_ports_or_said_not_to_be() {
        assert_eq!(parse_port("443"), Ok(vec![443]));
        assert_eq!(parse_port(" TCP 443 "), Ok(vec![443]));
        assert_eq!(parse_port("80, 443"), Ok(vec![80, 443]));
        assert_eq!(parse_port("80/443"), Ok(vec![80, 443]));
        for bad in ["0", "65536", "-1", "1e3", "0x50", "https"] {
            assert!(parse_port(bad).is_err(), "{bad}");
        }
    }
    use crate::pattern::HostPattern;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|t| Cell::new(*t)).collect())
                .collect(),
            first_row: 1,
            lines: Vec::new(),
        }
    }

    fn src() -> TableSource<'static> {
        TableSource {
            file: Path::new("t.xlsx"),
            sheet: Some("S"),
            columns: &[],
        }
    }

    #[test]
    fn banner_sections_and_repeated_headers() {
        let g = grid(&[
            &["NOTE: read me", "", ""],
            &["Core URLs", "", ""],
            &["Service", "Port", "Endpoint/URLs"],
            &["Core", "443", "*.endpoint.security.microsoft.com"],
            &["Updates\nNOTE: more", "", ""],
            &["Service", "Port", "Endpoint/URLs"],
            &["Linux", "443", "packages.microsoft.com"],
        ]);
        let w = walk(&g, &src());
        assert!(w.found_header);
        assert_eq!(w.endpoints.len(), 2);
        assert_eq!(w.endpoints[0].source.section.as_deref(), Some("Core URLs"));
        assert_eq!(w.endpoints[0].source.line, 4);
        assert_eq!(w.endpoints[1].source.section.as_deref(), Some("Updates"));
        assert!(w.notices.is_empty(), "{:?}", w.notices);
    }

    #[test]
    fn a_port_column_that_contradicts_the_url_is_said() {
        let g = grid(&[
            &["URL", "Port"],
            &["http://b.example.test/", "443"],
            &["https://c.example.test/", "80"],
            &["https://d.example.test:8443/", "443"],
            &["https://e.example.test/", "443"],
            &["f.example.test", "80"],
        ]);
        let w = walk(&g, &src());
        assert_eq!(w.endpoints.len(), 5);
        let said: Vec<&str> = w.notices.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(said.len(), 3, "{said:#?}");
        assert!(said[0].contains("plain HTTP on port 443"), "{}", said[0]);
        assert!(said[1].contains("TLS on port 80"), "{}", said[1]);
        assert!(
            said[2].contains("port 8443, the URL's, is probed"),
            "{}",
            said[2]
        );
    }

    #[test]
    fn a_second_url_column_holding_other_urls_is_said() {
        let g = grid(&[
            &["URL", "Category", "URL", "Host name"],
            &[
                "https://one.example.test/",
                "A",
                "https://uno.example.test/",
                "one.example.test",
            ],
            &["", "B", "https://dos.example.test/", ""],
        ]);
        let w = walk(&g, &src());
        assert_eq!(w.endpoints.len(), 1);
        let said: Vec<&str> = w.notices.iter().map(|n| n.message.as_str()).collect();
        // The host column repeats the URL's host: nothing to say of it.
        assert_eq!(said.len(), 3, "{said:#?}");
        assert!(said[2].starts_with("row has no URL"), "{}", said[2]);
        assert!(
            said[0].starts_with(
                "column 3 (\"URL\") holds \"https://uno.example.test/\", which is not read"
            ),
            "{}",
            said[0]
        );
        assert!(said[1].contains("dos.example.test"), "{}", said[1]);
    }

    #[test]
    fn a_host_repeated_in_a_cell_is_one_notice() {
        let cell = vec!["a.example.com"; 500].join("\n");
        let g = grid(&[&["URL"], &[&cell]]);
        let w = walk(&g, &src());
        assert_eq!(w.endpoints.len(), 1);
        let said: Vec<&str> = w.notices.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(
            said,
            ["a.example.com appears 500 times in one cell; listed once"]
        );
    }

    #[test]
    fn multi_url_cells_prose_and_rows_without_url() {
        let g = grid(&[
            &["Geography", "Endpoint/URL", "Comments"],
            &["EU", "a.example.com\n*.b.example.com\na.example.com", ""],
            &[
                "WW",
                "Root URL for public CDN endpoints (ChannelURL)",
                "new",
            ],
            &["EU", "", "orphan comment"],
        ]);
        let w = walk(&g, &src());
        assert_eq!(w.endpoints.len(), 3);
        assert_eq!(w.endpoints[0].source.item, Some(1));
        assert_eq!(
            w.endpoints[1].url().unwrap().host,
            HostPattern::Subdomains("b.example.com".into())
        );
        assert!(matches!(w.endpoints[2].target, Target::Prose { .. }));
        assert_eq!(w.endpoints[2].geography, Geography::Worldwide);
        assert_eq!(w.notices.len(), 2, "{:?}", w.notices);
        assert!(w.notices[0].message.contains("twice"));
        assert!(w.notices[1].location.contains("row 4"));
    }

    #[test]
    fn merged_continuations_are_not_new_rows() {
        let mut g = grid(&[
            &["Category", "Port", "Endpoint/URL"],
            &[
                "Microsoft Defender for Endpoint AU",
                "443",
                "winatp-gw-aue.microsoft.com",
            ],
            &[
                "Microsoft Defender for Endpoint AU",
                "443",
                "winatp-gw-aus.microsoft.com",
            ],
            &["X", "443", "x.example.com"],
            &["X", "443", "x.example.com"],
        ]);
        for c in [0, 1] {
            g.rows[2][c].continued = true;
            g.rows[2][c].from_above = true;
        }
        for c in [0, 1, 2] {
            g.rows[4][c].continued = true;
            g.rows[4][c].from_above = true;
        }
        let w = walk(&g, &src());
        assert_eq!(w.endpoints.len(), 3);
        assert_eq!(w.endpoints[1].geography, Geography::Au);
        assert_eq!(w.endpoints[1].port, Some(443));
    }

    #[test]
    fn platform_flags_blank_means_no() {
        let g = grid(&[
            &["Endpoint/URL", "Windows 10 / Server 2019", "Mac", "Linux"],
            &["a.example.com", "Yes*", "", "Yes"],
        ]);
        let w = walk(&g, &src());
        let p = w.endpoints[0].platforms;
        assert_eq!(p.windows, Support::Conditional);
        assert_eq!(p.macos, Support::No);
        assert_eq!(p.linux, Support::Yes);
    }
}
