//! Terminal table settings shared by the table renderers.

use comfy_table::{Cell, ContentArrangement, Row, Table, presets};

/// How a table is drawn.
#[derive(Debug, Clone)]
pub struct TableStyle {
    /// Terminal width in columns; long cells wrap to fit.
    pub width: u16,
    /// Draw with colours (only on a TTY, and never when `NO_COLOR` is set).
    pub color: bool,
    /// Show every column (sources, comments) instead of the compact set.
    pub verbose: bool,
    /// The secrets to take out of every cell before it is wrapped (the
    /// process's known ones): a password cut across two lines is found by
    /// no later redaction. Shapes of secrets are taken out in any case.
    pub redactor: crate::Redactor,
}

impl TableStyle {
    /// Plain ASCII-safe table of the given width, no colour.
    pub fn plain(width: u16) -> Self {
        TableStyle {
            width,
            color: false,
            verbose: false,
            redactor: crate::Redactor::new(),
        }
    }

    /// A table in this style whose cells are made safe as rows are added.
    pub fn table(&self, header: Vec<&str>) -> SafeTable {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(self.width)
            .set_header(header);
        if !self.color {
            t.force_no_tty();
        }
        SafeTable(t, self.redactor.clone())
    }
}

/// Rows laid out as one table: a longer list is several tables, one after
/// the other (the table library held 200,000 rows in gigabytes).
pub(crate) const PAGE_ROWS: usize = 2000;

/// Longest line a table cell shows; the JSON output has the whole value.
/// Wrapping cost grows with the square of a cell's length, and the table
/// library overflows past 65,535 columns.
pub const MAX_CELL_CHARS: usize = 2000;

/// A table whose cells are made safe as rows are added: at most 2,000
/// characters a line, hidden characters written out, and credentials (the
/// style's known ones and anything shaped like one) removed before
/// wrapping could split them across lines where no later redaction would
/// find them. Made by [`TableStyle::table`].
pub struct SafeTable(Table, crate::Redactor);

impl SafeTable {
    /// Adds a row, each cell made safe (see the type).
    pub fn add_row<T: Into<Row>>(&mut self, row: T) -> &mut Self {
        let row: Row = row.into();
        let redactor = &self.1;
        let cells: Vec<Cell> = row
            .cell_iter()
            .map(|cell| {
                let content = cell.content();
                // Per line: wrapping and the table's widths work line by line.
                // Hidden characters are written out before the layout, so
                // that their `<U+202E>` is measured with the cell.
                let safe = redactor
                    .apply(&content)
                    .split('\n')
                    .map(|line| {
                        pathprobe_files::quote::excerpt(
                            &pathprobe_files::quote::visible(line),
                            MAX_CELL_CHARS,
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                if safe == content {
                    cell.clone()
                } else {
                    Cell::new(safe)
                }
            })
            .collect();
        self.0.add_row(cells);
        self
    }
}

impl std::ops::Deref for SafeTable {
    type Target = Table;
    fn deref(&self) -> &Table {
        &self.0
    }
}

impl std::ops::DerefMut for SafeTable {
    fn deref_mut(&mut self) -> &mut Table {
        &mut self.0
    }
}

impl std::fmt::Display for SafeTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
