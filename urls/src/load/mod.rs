//! Reading a catalog from a file: format detection by content, size limits,
//! and one loader per format.

mod cell_values;
mod json;
mod m365;
mod table;
mod text;

use std::path::Path;

pub(crate) use json::load_json;
pub use json::{CatalogDocument, DocumentEndpoint, FORMAT_NAME, FORMAT_VERSION};

use crate::error::{CatalogError, Origin, Result};
use crate::model::{Catalog, CatalogInfo, Notice};

/// Catalogs are small (the vendor's workbooks are ~50 KB); anything far larger is
/// a mistake or hostile, and is refused before it is read.
pub const DEFAULT_MAX_BYTES: u64 = 32 * 1024 * 1024;

/// The most endpoints a catalog of any format may have (a sheet is held to
/// as many rows).
pub const MAX_ENDPOINTS: usize = 200_000;

/// The formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (.xlsx).
    Xlsx,
    /// Legacy Excel workbook (.xls) or other OLE container.
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// Comma-separated values with a header row.
    Csv,
    /// One URL or host per line, `#` comments.
    Text,
    /// The project's own JSON form (see [`CatalogDocument`]).
    Json,
    /// The Microsoft 365 endpoints feed as JSON (an array of endpoint sets).
    M365Json,
    /// The Microsoft 365 endpoints feed as CSV (`format=csv`).
    M365Csv,
}

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Read only this sheet of a workbook.
    pub sheet: Option<String>,
    /// Refuse files larger than this.
    pub max_bytes: u64,
    /// Columns placed by their headers (`--column ROLE=HEADER`).
    pub columns: Vec<crate::columns::ColumnOverride>,
    /// The name the catalog and its messages give the file, when it is not
    /// its path (a URL's cached copy is named by the URL).
    pub shown_as: Option<std::path::PathBuf>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            sheet: None,
            max_bytes: DEFAULT_MAX_BYTES,
            columns: Vec::new(),
            shown_as: None,
        }
    }
}

/// Loads a catalog from `path` with default options.
///
/// ```no_run
/// let catalog = pathprobe_urls::load(std::path::Path::new("mde-urls.xlsx"))?;
/// println!("{} endpoints", catalog.endpoints.len());
/// # Ok::<(), pathprobe_urls::CatalogError>(())
/// ```
pub fn load(path: &Path) -> Result<Catalog> {
    load_with(path, &LoadOptions::default())
}

/// Loads a catalog from `path`.
pub fn load_with(path: &Path, options: &LoadOptions) -> Result<Catalog> {
    // Only a regular file, and at most the limit: a FIFO would block and
    // `/dev/zero` would fill memory.
    let bytes = pathprobe_files::read(path, options.max_bytes)?;
    // The catalog and its messages name the file as people see it: a name
    // that is not UTF-8 would not serialise.
    let shown = match &options.shown_as {
        Some(name) => name.to_string_lossy(),
        None => path.to_string_lossy(),
    };
    load_bytes(Path::new(&*shown), &bytes, options)
}

/// Loads a catalog from bytes already in memory; `path` names them in messages.
pub fn load_bytes(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Catalog> {
    // A CSV or list saved as UTF-16 (Excel's "Unicode Text", Notepad's
    // "Unicode") is read as the text it is, not refused as binary data.
    // Workbooks start with their own magic bytes, never a UTF-16 mark.
    let decoded = if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(CFB_MAGIC) {
        None
    } else {
        pathprobe_files::text::utf16(bytes)
    };
    let bytes = decoded.as_deref().map_or(bytes, str::as_bytes);
    let format = detect_with(path, bytes, &options.columns)?;
    let loaded = match format {
        Format::Xlsx | Format::Xls | Format::Ods => {
            table::load_workbook(path, bytes, format, options)
        }
        Format::Csv => table::load_csv(path, bytes, options),
        Format::Text => text::load_text(path, bytes),
        Format::Json => json::load_json(path, bytes),
        Format::M365Json => m365::load_feed_json(path, bytes),
        Format::M365Csv => m365::load_feed_csv(path, bytes),
    };
    // A header the user named and no row holds is the likeliest reason no
    // header was found: said (round 20: `--column url=Nope` went unnamed).
    let mut catalog = loaded.map_err(|e| match e {
        CatalogError::NoHeader {
            origin,
            mut examined,
        } if !options.columns.is_empty() => {
            let named: Vec<String> = options
                .columns
                .iter()
                .map(|c| pathprobe_files::quote::quoted(&c.header))
                .collect();
            examined.push_str(&format!(
                "; the headers --column names ({}) head no column here",
                pathprobe_files::quote::list(&named, 5)
            ));
            CatalogError::NoHeader { origin, examined }
        }
        other => other,
    })?;
    // `--sheet` means something only to a workbook (round 20: ignored
    // without a word for a list).
    if let Some(sheet) = &options.sheet
        && !matches!(format, Format::Xlsx | Format::Xls | Format::Ods)
    {
        catalog.notices.push(Notice {
            location: pathprobe_files::shown_path(path),
            message: format!(
                "--sheet {} is for workbooks; this file has no sheets, and is read whole",
                pathprobe_files::quote::quoted(sheet)
            ),
        });
    }
    if catalog.info.origin.is_empty() {
        catalog.info.origin = pathprobe_files::shown_path(path);
    }
    if catalog.info.name.is_empty() {
        catalog.info.name = path.file_name().map_or_else(
            || pathprobe_files::shown_path(path),
            |n| pathprobe_files::quote::visible(&n.to_string_lossy()),
        );
    }
    if catalog.endpoints.is_empty() {
        return Err(CatalogError::Empty {
            origin: Origin::file(path),
        });
    }
    // As for a sheet: a list this long is not a catalog of service URLs,
    // and carrying it further costs memory at every step.
    if catalog.endpoints.len() > MAX_ENDPOINTS {
        return Err(CatalogError::Invalid {
            origin: Origin::file(path),
            message: format!(
                "{} endpoints, more than the {MAX_ENDPOINTS} a URL list can have",
                catalog.endpoints.len()
            ),
        });
    }
    Ok(catalog)
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format from the content first (extensions lie), the extension second.
pub fn detect(path: &Path, bytes: &[u8]) -> Result<Format> {
    detect_with(path, bytes, &[])
}

/// [`detect`], a header naming an overridden column counting as a table's.
fn detect_with(
    path: &Path,
    bytes: &[u8],
    columns: &[crate::columns::ColumnOverride],
) -> Result<Format> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let unknown = |reason: &str| CatalogError::UnknownFormat {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if bytes.starts_with(ZIP_MAGIC) {
        return Ok(if ext == "ods" {
            Format::Ods
        } else {
            Format::Xlsx
        });
    }
    if bytes.starts_with(CFB_MAGIC) {
        // Office encrypts OOXML workbooks into an OLE container with these streams.
        if contains_utf16(bytes, "EncryptionInfo") || contains_utf16(bytes, "EncryptedPackage") {
            return Err(CatalogError::Encrypted {
                path: path.to_path_buf(),
            });
        }
        return Ok(Format::Xls);
    }
    for (magic, what) in [
        (&b"\x89PNG"[..], "a PNG image"),
        (&b"%PDF"[..], "a PDF document"),
        (&b"\x1f\x8b"[..], "gzip-compressed data"),
        (&b"\x7fELF"[..], "an executable"),
    ] {
        if bytes.starts_with(magic) {
            return Err(unknown(&format!("the file is {what}")));
        }
    }
    // Where in the file, as a line (round 22: a lone NUL was not placed).
    let line_of = |offset: usize| {
        bytes
            .get(..offset)
            .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count())
            + 1
    };
    let head = bytes.get(..bytes.len().min(8192)).unwrap_or(bytes);
    if let Some(at) = head.iter().position(|b| *b == 0) {
        return Err(unknown(&format!(
            "the file holds a NUL byte (line {}, byte {}): binary data, not a spreadsheet, CSV, text list or JSON",
            line_of(at),
            at + 1
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        unknown(&format!(
            "the file is neither a workbook nor UTF-8 text (line {}, byte {} is not part of a character: save it as UTF-8)",
            line_of(e.valid_up_to()),
            e.valid_up_to() + 1
        ))
    })?;
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.is_empty() {
        return Err(CatalogError::Empty {
            origin: Origin::file(path),
        });
    }
    // The project's form is an object; the Microsoft 365 feed is an array
    // of objects. A text list may begin with a bracketed IPv6 host
    // (`[::1]:8443`): `[` then anything but `{` or `]` is no JSON array.
    if let Some(inside) = body.strip_prefix('[')
        && (ext == "json" || inside.trim_start().starts_with(['{', ']']))
    {
        return Ok(Format::M365Json);
    }
    if body.starts_with('{') || ext == "json" {
        return Ok(Format::Json);
    }
    let first = body
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if let Some(line) = first
        && m365::is_feed_header(&line.split(',').collect::<Vec<_>>())
    {
        return Ok(Format::M365Csv);
    }
    if ext == "csv" || ext == "tsv" {
        return Ok(Format::Csv);
    }
    // Without an extension, a first line with commas and a URL column is CSV.
    // Tabs too (Excel's "Unicode Text" is a table with tabs between cells),
    // and semicolons (Excel's CSV where the decimal mark is a comma).
    if let Some(line) = first
        && table_separator(line, columns).is_some()
    {
        return Ok(Format::Csv);
    }
    if excel_separator(body).is_some() {
        return Ok(Format::Csv);
    }
    Ok(Format::Text)
}

/// The separator Excel's `sep=;` first line names (Excel writes it, and
/// reads it, to say which character separates cells), if the text starts
/// with one. The line itself stays: it is a title above the header.
pub(crate) fn excel_separator(body: &str) -> Option<u8> {
    let first = body.lines().next()?.trim_end();
    let sep = first
        .strip_prefix("sep=")
        .or_else(|| first.strip_prefix("SEP="))?;
    match sep.as_bytes() {
        [b] if matches!(b, b',' | b';' | b'\t' | b'|') => Some(*b),
        _ => None,
    }
}

/// The separator of a table's header line, when its cells (split at commas,
/// else at tabs, else at semicolons) name a URL column. Excel writes `;`
/// between cells where the decimal mark is a comma (most of Europe).
pub(crate) fn table_separator(
    line: &str,
    columns: &[crate::columns::ColumnOverride],
) -> Option<u8> {
    [b',', b'\t', b';'].into_iter().find(|sep| {
        let cells: Vec<&str> = line.split(char::from(*sep)).collect();
        cells.len() > 1 && crate::columns::ColumnMap::from_first_header(&cells, columns).is_some()
    })
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes
        .windows(pattern.len())
        .any(|w| w == pattern.as_slice())
}

/// Provenance of a file-loaded catalog.
fn info_for(path: &Path) -> CatalogInfo {
    CatalogInfo {
        name: String::new(),
        origin: path.display().to_string(),
        version: None,
        source_url: None,
        fetched: None,
    }
}

/// What is wrong with the quotes of a CSV file, found before a CSV reader
/// reads it: that reader takes every line after an unclosed quote into one
/// cell, and joins text after a closing quote to the cell (`"x"junk` reads
/// `xjunk`), without a word.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum QuoteProblem {
    /// A quoted cell opens on this line and never closes.
    Unclosed { line: u32 },
    /// Text follows a cell's closing quote on this line.
    TextAfterClose { line: u32, cell: String },
}

impl QuoteProblem {
    pub(crate) fn line(&self) -> u32 {
        match self {
            Self::Unclosed { line } | Self::TextAfterClose { line, .. } => *line,
        }
    }

    pub(crate) fn words(&self) -> String {
        match self {
            Self::Unclosed { .. } => "a quoted cell opens here and never closes: every line after it would be read into that cell; close the quote, or remove it".into(),
            Self::TextAfterClose { cell, .. } => format!(
                "text follows the closing quote of the cell {}, so what the cell holds is not known; a quote inside a quoted cell is written twice (\"\")",
                pathprobe_files::quote::visible(&pathprobe_files::quote::excerpt(cell, 80))
            ),
        }
    }
}

/// The CSV text with its quotes checked, as a CSV reader should read it.
/// Quotes count as a CSV reader counts them: at the start of a cell they
/// open it; inside, a doubled quote is one quote and a single one closes
/// it; a quote inside an unquoted cell (`5" screen`) is a character. Spaces
/// between a separator and an opening quote, or between a closing quote and
/// a separator, are dropped (`a, "b, c"` is two cells, as its writer meant;
/// the reader would split `"b` from `c"` and the row would read as prose).
pub(crate) fn read_quotes(
    text: &[u8],
    delimiter: u8,
) -> std::result::Result<Vec<u8>, QuoteProblem> {
    let blank = |b: u8| (b == b' ' || b == b'\t') && b != delimiter;
    let mut out = Vec::with_capacity(text.len());
    let mut line: u32 = 1;
    let mut at = 0usize;
    let mut cell_start = true;
    while let Some(&b) = text.get(at) {
        if cell_start {
            cell_start = false;
            let mut quote = at;
            while text.get(quote).is_some_and(|&c| blank(c)) {
                quote += 1;
            }
            if text.get(quote) == Some(&b'"') {
                let opened = line;
                let cell_from = quote;
                out.push(b'"');
                at = quote + 1;
                loop {
                    match text.get(at) {
                        None => return Err(QuoteProblem::Unclosed { line: opened }),
                        Some(b'"') if text.get(at + 1) == Some(&b'"') => {
                            out.extend_from_slice(b"\"\"");
                            at += 2;
                        }
                        Some(b'"') => {
                            out.push(b'"');
                            at += 1;
                            break;
                        }
                        Some(&c) => {
                            if c == b'\n' || (c == b'\r' && text.get(at + 1) != Some(&b'\n')) {
                                line = line.saturating_add(1);
                            }
                            out.push(c);
                            at += 1;
                        }
                    }
                }
                let mut after = at;
                while text.get(after).is_some_and(|&c| blank(c)) {
                    after += 1;
                }
                match text.get(after) {
                    None | Some(b'\n' | b'\r') => at = after,
                    Some(&c) if c == delimiter => at = after,
                    Some(_) => {
                        let end = text
                            .get(after..)
                            .unwrap_or_default()
                            .iter()
                            .position(|&c| c == delimiter || c == b'\n' || c == b'\r')
                            .map_or(text.len(), |n| after + n);
                        return Err(QuoteProblem::TextAfterClose {
                            line,
                            cell: String::from_utf8_lossy(
                                text.get(cell_from..end).unwrap_or_default(),
                            )
                            .into_owned(),
                        });
                    }
                }
                continue;
            }
        }
        match b {
            b'\n' => {
                line = line.saturating_add(1);
                cell_start = true;
            }
            b'\r' if text.get(at + 1) != Some(&b'\n') => {
                line = line.saturating_add(1);
                cell_start = true;
            }
            _ if b == delimiter => cell_start = true,
            _ => {}
        }
        out.push(b);
        at += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bracketed_host_first_is_a_text_list_not_a_feed() {
        let format = |name: &str, body: &str| detect(Path::new(name), body.as_bytes()).ok();
        assert_eq!(
            format("list.txt", "[::1]:19501\nhttps://a.example.test/\n"),
            Some(Format::Text)
        );
        assert_eq!(format("list", "[2001:db8::1]\n"), Some(Format::Text));
        assert_eq!(
            format("feed", " [\n  {\"id\": 1}\n]"),
            Some(Format::M365Json)
        );
        assert_eq!(format("feed.txt", "[]"), Some(Format::M365Json));
        // A .json file is JSON whatever it holds: its errors say so.
        assert_eq!(format("feed.json", "[1, 2]"), Some(Format::M365Json));
        let catalog = load_bytes(
            Path::new("v6first.txt"),
            b"[::1]:19501\nhttps://a.example.test/\n",
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(catalog.endpoints.len(), 2);
    }

    #[test]
    fn a_quote_that_never_closes_is_found_where_it_opens() {
        let csv = |t: &str| read_quotes(t.as_bytes(), b',').err().map(|p| p.line());
        assert_eq!(csv("URL,C\na,\"B\nc,C\nd,D\n"), Some(2));
        assert_eq!(csv("URL,C\n\"a,B\nc,C\n"), Some(2));
        assert_eq!(csv("URL,C\na,\"x\ny\"\nb,\"say \"\"hi\"\"\"\n"), None);
        assert_eq!(csv("URL,Size\na,5\" screen\n"), None);
        assert_eq!(
            read_quotes(b"URL\tC\na\t\"B\n", b'\t')
                .err()
                .map(|p| p.line()),
            Some(2)
        );
    }

    #[test]
    fn text_after_a_closing_quote_is_refused_and_spaces_around_quotes_dropped() {
        let read = |t: &str| read_quotes(t.as_bytes(), b',');
        assert_eq!(
            read("URL,C\na,b\n\"x\"junk,c\n"),
            Err(QuoteProblem::TextAfterClose {
                line: 3,
                cell: "\"x\"junk".into()
            })
        );
        // A line ended by CR alone counts, as the CSV reader counts it.
        assert_eq!(read("URL\ra\r\"b\"c").map_err(|p| p.line()), Err(3));
        assert_eq!(
            read("URL, C\na, \"b, c\" ,d\n").unwrap(),
            b"URL, C\na,\"b, c\",d\n"
        );
        // With tabs as the separator, a tab is a separator, not a space.
        assert_eq!(
            read_quotes(b"URL\tC\na\t\"b\"\t\n", b'\t').unwrap(),
            b"URL\tC\na\t\"b\"\t\n"
        );
    }
}
