//! Workbooks (via calamine) and CSV files: both become [`Grid`]s for the walker.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Dimensions, Reader};

use super::{Format, LoadOptions, info_for};
use crate::error::{CatalogError, Origin, Result};
use crate::grid::{Cell, Grid, TableSource, walk};
use crate::model::{Catalog, Notice};

/// Rows or columns beyond these are not a URL list; refuse rather than churn.
const MAX_ROWS: usize = 200_000;
const MAX_COLS: usize = 512;
/// Cells of the rectangle the values span (the grid is held densely).
const MAX_AREA: usize = 4_000_000;

/// "XFD1048576" for 0-based (row, column).
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// Reads the cells of an xlsx sheet that hold a value, refusing a sheet whose
/// values span more than a URL list can. calamine's own `worksheet_range`
/// sizes a dense grid from the addresses first, so a file with one value in
/// A1 and one in XFD1048576 would ask for 512 GiB.
fn xlsx_range(
    book: &mut calamine::Xlsx<Cursor<&[u8]>>,
    path: &Path,
    sheet: &str,
) -> Result<calamine::Range<Data>> {
    let too_big = |message: String| CatalogError::Invalid {
        origin: Origin {
            file: path.to_path_buf(),
            sheet: Some(sheet.to_string()),
            line: None,
        },
        message,
    };
    let mut reader = book.worksheet_cells_reader(sheet).map_err(|e| match e {
        // The workbook lists the sheet (its name came from there): its
        // data is what is missing (round 20: "no sheet named").
        calamine::XlsxError::WorksheetNotFound(_) => CatalogError::Invalid {
            origin: Origin {
                file: path.to_path_buf(),
                sheet: Some(sheet.to_string()),
                line: None,
            },
            message: "the workbook lists this sheet, but its data is missing from the file (damaged, or a part points outside it)".into(),
        },
        other => spreadsheet_error(path, xlsx_words(&other)),
    })?;
    // A cell written twice (two rows numbered alike): which value is
    // meant is not known (round 20: the first was dropped unseen).
    let mut seen: std::collections::HashSet<(u32, u32)> = std::collections::HashSet::new();
    let mut cells = Vec::new();
    let (mut top, mut left, mut bottom, mut right) = (u32::MAX, u32::MAX, 0u32, 0u32);
    // A damaged cell (a shared-string index past the table) is named by
    // its sheet and the last cell read before it.
    let mut last: Option<(u32, u32)> = None;
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => {
                // The damaged cell's own row is not known (it may be the
                // next row's first): no line is claimed, the cell before
                // it is named.
                let words = xlsx_words(&e);
                return Err(CatalogError::Invalid {
                    origin: Origin {
                        file: path.to_path_buf(),
                        sheet: Some(sheet.to_string()),
                        line: None,
                    },
                    message: match last {
                        Some((row, col)) => format!(
                            "not a readable spreadsheet: {words} (in the cell after {})",
                            cell_name(row, col)
                        ),
                        None => format!("not a readable spreadsheet: {words} (in its first cell)"),
                    },
                });
            }
        };
        last = Some(cell.get_position());
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        if !seen.insert((row, col)) {
            return Err(CatalogError::Invalid {
                origin: Origin {
                    file: path.to_path_buf(),
                    sheet: Some(sheet.to_string()),
                    line: Some(row.saturating_add(1)),
                },
                message: format!(
                    "cell {} is written twice (a damaged file, or one no spreadsheet program wrote): which of its values is meant is not known",
                    cell_name(row, col)
                ),
            });
        }
        (top, left) = (top.min(row), left.min(col));
        (bottom, right) = (bottom.max(row), right.max(col));
        let height = (bottom - top) as usize + 1;
        let width = (right - left) as usize + 1;
        if height > MAX_ROWS || width > MAX_COLS || height.saturating_mul(width) > MAX_AREA {
            return Err(too_big(format!(
                "values span {} to {} ({height} rows x {width} columns, the one at {} included), more than a URL list can have ({MAX_ROWS} rows, {MAX_COLS} columns, {MAX_AREA} cells); remove the stray cell or choose another sheet with --sheet",
                cell_name(top, left),
                cell_name(bottom, right),
                cell_name(row, col),
            )));
        }
        cells.push(calamine::Cell::new((row, col), value));
    }
    Ok(calamine::Range::from_sparse(cells))
}

fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        // Ports are stored as numbers: 443.0 must read "443".
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // A date shows as the date a person sees, never as Excel's serial
        // number (round 18: a date in the port column became port 45292).
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, sec, _) = d.to_ymd_hms_milli();
            if (h, mi, sec) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{sec:02}")
            }
        }
        Data::DateTime(d) => format!("a duration of {} days", d.as_f64()),
        other => other.to_string(),
    }
}

/// What is wrong with an Excel workbook, in a person's words: calamine's
/// and its XML parser's own ("Xml error: at 10..15: unrecognized entity",
/// "Cell string index not found in shared strings table") name their
/// internals, not the file (round 19).
fn xlsx_words(e: &calamine::XlsxError) -> String {
    use calamine::XlsxError as X;
    match e {
        X::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "its content ends before a workbook's does (damaged, or not a spreadsheet)".into()
        }
        X::Io(_) | X::Zip(_) => "not a zip archive, or a damaged one".into(),
        X::Xml(e) => {
            let text = e.to_string();
            // The one name worth quoting: an entity a tool wrote that XML
            // does not have (`&nbsp;` in a shared string).
            match text
                .split_once("unrecognized entity `")
                .and_then(|(_, rest)| rest.split_once('`'))
            {
                Some((name, _)) => format!(
                    "its XML uses the entity {}, which XML does not define (the file was written by a tool that is not Excel, or was edited by hand)",
                    pathprobe_files::quote::quoted(&format!(
                        "&{};",
                        name.trim_start_matches('&').trim_end_matches(';')
                    ))
                ),
                None => "a part's XML is damaged (not well-formed), or is not a spreadsheet's".into(),
            }
        }
        X::XmlAttr(_) => "an attribute in its XML is damaged".into(),
        X::Encoding(_) => "its XML is in a character encoding that cannot be read".into(),
        X::Parse(_) | X::ParseInt(_) | X::ParseFloat(_) => {
            "a number in its XML is no number (a damaged cell or style)".into()
        }
        X::XmlEof(tag) => format!("its XML stops inside a <{tag}> element (the file is cut short)"),
        X::UnexpectedNode(node) => format!("its XML lacks the <{node}> element a workbook has"),
        X::FileNotFound(part) => format!(
            "its part {} is missing: not an Excel workbook, or a damaged one",
            pathprobe_files::quote::quoted(part)
        ),
        X::RelationshipNotFound => "its list of parts (relationships) is missing or damaged".into(),
        X::Alphanumeric(_)
        | X::NumericColumn(_)
        | X::RangeWithoutColumnComponent
        | X::RangeWithoutRowComponent
        | X::ColumnNumberOverflow
        | X::RowNumberOverflow
        | X::DimensionCount(_) => "a cell address in its XML is not one (like A1)".into(),
        X::CellTAttribute(t) => format!(
            "a cell has the type {}, which no workbook has",
            pathprobe_files::quote::quoted(t)
        ),
        X::Unexpected(what) if what.starts_with("Cell string index") => {
            "a cell points at a shared text the workbook does not have (its shared strings are cut short or damaged)".into()
        }
        X::Unexpected(_) => "its XML is damaged, or is not a spreadsheet's".into(),
        X::Unrecognized { typ, val } => {
            format!("unknown {typ} {}", pathprobe_files::quote::quoted(val))
        }
        X::CellError(v) => format!(
            "a cell holds the error value {}, which Excel does not have",
            pathprobe_files::quote::quoted(v)
        ),
        X::Password => "it is protected by a password: save a copy without one".into(),
        X::WorksheetNotFound(name) => {
            format!("no sheet named {}", pathprobe_files::quote::quoted(name))
        }
        X::NotAWorksheet(kind) => format!(
            "the sheet is a {}, not a worksheet",
            pathprobe_files::quote::quoted(kind)
        ),
        _ => "its content is damaged, or is not a spreadsheet's".into(),
    }
}

/// What is wrong with an OpenDocument file, in a person's words.
fn ods_words(e: &calamine::OdsError) -> String {
    use calamine::OdsError;
    match e {
        OdsError::FileNotFound(part) => {
            format!("its part {part} is missing: not an OpenDocument spreadsheet, or a damaged one")
        }
        OdsError::InvalidMime(_) => {
            "its mimetype names no OpenDocument spreadsheet (a text document or a presentation?)"
                .into()
        }
        OdsError::Password => "it is protected by a password: save a copy without one".into(),
        OdsError::Zip(_) => "not a zip archive, or a damaged one".into(),
        OdsError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "its content ends before a spreadsheet's does (damaged, or not a spreadsheet)".into()
        }
        OdsError::Io(e) => e.to_string(),
        OdsError::WorksheetNotFound(name) => format!("no sheet named {name}"),
        OdsError::CellLimitExceeded { requested, max } => {
            format!("it holds {requested} cells, more than the {max} read")
        }
        _ => "its content (content.xml) is damaged or not a spreadsheet's".into(),
    }
}

fn spreadsheet_error(path: &Path, e: impl std::fmt::Display) -> CatalogError {
    CatalogError::Spreadsheet {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Builds a grid from a calamine range, filling merged regions: every cell of a
/// region repeats the top-left value, marked as a continuation.
fn grid_from_range(
    path: &Path,
    sheet: &str,
    range: &calamine::Range<Data>,
    merges: &[Dimensions],
) -> Result<Grid> {
    let Some((row0, col0)) = range.start() else {
        return Ok(Grid::default());
    };
    let (height, width) = range.get_size();
    if height > MAX_ROWS || width > MAX_COLS {
        return Err(CatalogError::Invalid {
            origin: Origin {
                file: path.to_path_buf(),
                sheet: Some(sheet.to_string()),
                line: None,
            },
            message: format!(
                "sheet is {height} rows x {width} columns, over the {MAX_ROWS} x {MAX_COLS} a URL list can have"
            ),
        });
    }
    let mut rows: Vec<Vec<Cell>> = range
        .rows()
        .map(|r| r.iter().map(|d| Cell::new(cell_text(d))).collect())
        .collect();
    // Merged regions are clipped to the grid: a region may claim the whole sheet.
    let last_row = row0.saturating_add(
        u32::try_from(rows.len())
            .unwrap_or(u32::MAX)
            .saturating_sub(1),
    );
    let last_col = col0.saturating_add(u32::try_from(MAX_COLS - 1).unwrap_or(u32::MAX));
    for m in merges {
        let top_left = range.get_value(m.start).map(cell_text).unwrap_or_default();
        for r in m.start.0.max(row0)..=m.end.0.min(last_row) {
            for c in m.start.1.max(col0)..=m.end.1.min(last_col) {
                if (r, c) == m.start {
                    continue;
                }
                let (gr, gc) = ((r - row0) as usize, (c - col0) as usize);
                let Some(row) = rows.get_mut(gr) else {
                    continue;
                };
                if gc >= MAX_COLS {
                    continue;
                }
                if row.len() <= gc {
                    row.resize(gc + 1, Cell::default());
                }
                if let Some(cell) = row.get_mut(gc) {
                    *cell = Cell {
                        text: top_left.clone(),
                        continued: true,
                        from_above: r > m.start.0,
                    };
                }
            }
        }
    }
    Ok(Grid {
        rows,
        first_row: row0 + 1,
        lines: Vec::new(),
    })
}

/// Inflated bytes allowed per compressed byte of a member (workbook XML
/// compresses 5 to 20 times; bombs a thousand), plus a fixed allowance for
/// small members.
const MAX_RATIO: u64 = 100;
const RATIO_SLACK: u64 = 1024 * 1024;
/// Inflated bytes allowed for the whole workbook.
const MAX_INFLATED: u64 = 256 * 1024 * 1024;

/// Refuses a zipped workbook (xlsx, ods) whose members inflate far beyond
/// their size, before calamine reads it: calamine holds shared strings and
/// cells in memory, so a bomb would exhaust it. Members are inflated (not
/// trusted by their declared sizes) up to the limit. A damaged zip is left
/// for calamine to describe.
fn refuse_zip_bomb(path: &Path, bytes: &[u8]) -> Result<()> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    let mut chunk = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let Ok(mut member) = archive.by_index(index) else {
            return Ok(());
        };
        let compressed = member.compressed_size();
        let limit = compressed
            .saturating_mul(MAX_RATIO)
            .saturating_add(RATIO_SLACK)
            .min(MAX_INFLATED.saturating_sub(total));
        let mut inflated = 0u64;
        loop {
            match std::io::Read::read(&mut member, &mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => inflated += n as u64,
            }
            if inflated > limit {
                return Err(CatalogError::Inflates {
                    path: path.to_path_buf(),
                    member: member.name().map(|n| n.into_owned()).unwrap_or_default(),
                    compressed,
                    limit,
                });
            }
        }
        total += inflated;
    }
    Ok(())
}

/// Loads every sheet that has a URL header (or only `options.sheet`).
pub(super) fn load_workbook(
    path: &Path,
    bytes: &[u8],
    format: Format,
    options: &LoadOptions,
) -> Result<Catalog> {
    if matches!(format, Format::Xlsx | Format::Ods) {
        refuse_zip_bomb(path, bytes)?;
    }
    if format == Format::Xlsx
        && let Some(bad) = super::cell_values::first_misread(bytes)
    {
        let cell = bad
            .cell
            .map(|c| {
                format!(
                    "cell {}",
                    pathprobe_files::quote::visible(&pathprobe_files::quote::excerpt(&c, 20))
                )
            })
            .unwrap_or_else(|| "a cell without an address".into());
        return Err(spreadsheet_error(
            path,
            format!(
                "{cell} (in part {}): {}",
                pathprobe_files::quote::quoted(&bad.part),
                bad.problem
            ),
        ));
    }
    let cursor = Cursor::new(bytes);
    let mut sheets: Vec<(String, Grid)> = Vec::new();
    let mut hidden_notices: Vec<Notice> = Vec::new();
    let hidden: Vec<String>;
    let names: Vec<String>;
    match format {
        Format::Xlsx => {
            let mut book =
                calamine::Xlsx::new(cursor).map_err(|e| spreadsheet_error(path, xlsx_words(&e)))?;
            names = book.sheet_names();
            hidden = hidden_sheets(book.sheets_metadata());
            for name in selected(path, &names, &hidden, options, &mut hidden_notices)? {
                let range = xlsx_range(&mut book, path, &name)?;
                let merges = book
                    .merge_cells_by_sheet_name(&name)
                    .map_err(|e| spreadsheet_error(path, xlsx_words(&e)))?;
                let grid = grid_from_range(path, &name, &range, &merges)?;
                sheets.push((name, grid));
            }
        }
        Format::Ods => {
            // Opened as what it is: the library's guessing says only
            // "Cannot detect file format" when a part is damaged (round 18).
            let mut book =
                calamine::Ods::new(cursor).map_err(|e| spreadsheet_error(path, ods_words(&e)))?;
            names = book.sheet_names();
            hidden = hidden_sheets(book.sheets_metadata());
            for name in selected(path, &names, &hidden, options, &mut hidden_notices)? {
                let range = book
                    .worksheet_range(&name)
                    .map_err(|e| spreadsheet_error(path, ods_words(&e)))?;
                let grid = grid_from_range(path, &name, &range, &[])?;
                sheets.push((name, grid));
            }
        }
        _ => {
            let mut book = calamine::open_workbook_auto_from_rs(cursor)
                .map_err(|e| spreadsheet_error(path, e))?;
            names = book.sheet_names();
            hidden = hidden_sheets(book.sheets_metadata());
            for name in selected(path, &names, &hidden, options, &mut hidden_notices)? {
                let range = book
                    .worksheet_range(&name)
                    .map_err(|e| spreadsheet_error(path, e))?;
                let grid = grid_from_range(path, &name, &range, &[])?;
                sheets.push((name, grid));
            }
        }
    }

    let mut catalog = Catalog {
        info: info_for(path),
        endpoints: Vec::new(),
        notices: hidden_notices,
    };
    let mut with_header = 0usize;
    let mut skipped = Vec::new();
    for (name, grid) in &sheets {
        let walked = walk(
            grid,
            &TableSource {
                file: path,
                sheet: Some(name),
                columns: &options.columns,
            },
        );
        if walked.found_header {
            with_header += 1;
            catalog.endpoints.extend(walked.endpoints);
            catalog.notices.extend(walked.notices);
        } else {
            skipped.push(name.clone());
            catalog.notices.push(Notice {
                location: format!(
                    "{}, sheet {}",
                    path.display(),
                    pathprobe_files::quote::quoted(name)
                ),
                message: "no header row with a URL/endpoint column; sheet skipped".into(),
            });
        }
    }
    if with_header == 0 {
        return Err(CatalogError::NoHeader {
            origin: Origin {
                file: path.to_path_buf(),
                sheet: options.sheet.clone(),
                line: None,
            },
            examined: if options.sheet.is_some() {
                String::new()
            } else if skipped.is_empty() && !hidden.is_empty() {
                let quoted: Vec<String> = hidden
                    .iter()
                    .map(|n| pathprobe_files::quote::quoted(n))
                    .collect();
                format!(
                    " in any sheet shown: every sheet is hidden ({}); --sheet NAME reads one",
                    pathprobe_files::quote::list(&quoted, 10)
                )
            } else {
                format!(
                    " in any sheet (examined: {}); a URL column is headed {}",
                    quoted_list(&skipped),
                    crate::columns::URL_HEADERS
                )
            },
        });
    }
    Ok(catalog)
}

fn quoted_list(names: &[String]) -> String {
    if names.is_empty() {
        return "none: the workbook has no sheets".into();
    }
    names
        .iter()
        .map(|n| pathprobe_files::quote::quoted(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The names of the sheets a workbook hides from its reader.
fn hidden_sheets(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| s.visible != calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect()
}

/// The sheets to read: the one `--sheet` names, hidden or not; else every
/// sheet the workbook shows. A hidden sheet (a lookup table, rows the
/// author retired) is not read, and said (round 19: read as if shown).
fn selected(
    path: &Path,
    names: &[String],
    hidden: &[String],
    options: &LoadOptions,
    notices: &mut Vec<Notice>,
) -> Result<Vec<String>> {
    match &options.sheet {
        None => {
            for name in names.iter().filter(|n| hidden.contains(n)) {
                notices.push(Notice {
                    location: format!(
                        "{}, sheet {}",
                        path.display(),
                        pathprobe_files::quote::quoted(name)
                    ),
                    message: format!(
                        "hidden in the workbook: not read; --sheet {} reads it",
                        pathprobe_files::quote::quoted(name)
                    ),
                });
            }
            Ok(names
                .iter()
                .filter(|n| !hidden.contains(n))
                .cloned()
                .collect())
        }
        Some(want) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(want.trim()))
            .map(|n| vec![n.clone()])
            .ok_or_else(|| CatalogError::NoSuchSheet {
                path: path.to_path_buf(),
                sheet: want.clone(),
                available: quoted_list(names),
            }),
    }
}

/// The line of a byte offset, for offsets asked in increasing order (each
/// byte is looked at once). A line ends with LF, CRLF or a lone CR.
pub(super) struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            line: 1,
        }
    }

    pub(super) fn line_at(&mut self, offset: u64) -> u32 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // The reader may place a record at the line feed of the CRLF
        // before it; no record starts with a line end.
        while matches!(self.bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        while self.at < offset {
            let ends = match self.bytes.get(self.at) {
                Some(b'\n') => true,
                Some(b'\r') => self.bytes.get(self.at + 1) != Some(&b'\n'),
                _ => false,
            };
            if ends {
                self.line = self.line.saturating_add(1);
            }
            self.at += 1;
        }
        self.line
    }
}

/// Loads a CSV file with a header row (found by meaning, like a sheet's).
pub(super) fn load_csv(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Catalog> {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let body = text.trim_start_matches('\u{feff}');
    let delimiter = if let Some(sep) = super::excel_separator(body) {
        sep
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
    {
        b'\t'
    } else {
        // The header line says: a `.csv` saved by Excel as "Unicode Text"
        // keeps its name and has tabs; one saved where the decimal mark is
        // a comma has semicolons.
        body.lines()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .and_then(|l| super::table_separator(l, &options.columns))
            .unwrap_or(b',')
    };
    let body = super::read_quotes(body.as_bytes(), delimiter).map_err(|problem| {
        CatalogError::Invalid {
            origin: Origin {
                file: path.to_path_buf(),
                sheet: None,
                line: Some(problem.line()),
            },
            message: problem.words(),
        }
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_slice());
    let mut grid = Grid::default();
    // Lines counted here from byte offsets: the CSV reader's own count is
    // one short after CRLF endings and after a cell spanning lines. The
    // quotes' reading drops spaces only, never a line end.
    let mut lines = LineCounter::new(&body);
    for record in reader.records() {
        let record = record.map_err(|e| CatalogError::Invalid {
            origin: Origin {
                file: path.to_path_buf(),
                sheet: None,
                line: e.position().map(|p| lines.line_at(p.byte())),
            },
            message: format!("malformed CSV: {e}"),
        })?;
        if grid.rows.len() >= MAX_ROWS {
            return Err(CatalogError::Invalid {
                origin: Origin::file(path),
                message: format!("more than {MAX_ROWS} rows: not a URL list"),
            });
        }
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        grid.lines.push(line);
        grid.rows.push(record.iter().map(Cell::new).collect());
    }
    let walked = walk(
        &grid,
        &TableSource {
            file: path,
            sheet: None,
            columns: &options.columns,
        },
    );
    if !walked.found_header {
        return Err(CatalogError::NoHeader {
            origin: Origin::file(path),
            examined: format!(
                " (a CSV catalog needs a header naming its URL or host column: {}; its first row is {})",
                crate::columns::URL_HEADERS,
                grid.rows
                    .iter()
                    .find(|r| r.iter().any(|c| !c.text.trim().is_empty()))
                    .map_or_else(
                        || "empty".to_owned(),
                        |r| {
                            let cells: Vec<String> = r
                                .iter()
                                .map(|c| {
                                    format!(
                                        "\"{}\"",
                                        pathprobe_files::quote::excerpt(c.text.trim(), 40)
                                    )
                                })
                                .collect();
                            pathprobe_files::quote::list(&cells, 8)
                        }
                    )
            ),
        });
    }
    Ok(Catalog {
        info: info_for(path),
        endpoints: walked.endpoints,
        notices: walked.notices,
    })
}
