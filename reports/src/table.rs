//! Terminal table settings shared by the table renderers.

use comfy_table::{ContentArrangement, Table, presets};

/// How a table is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableStyle {
    /// Terminal width in columns; long cells wrap to fit.
    pub width: u16,
    /// Draw with colours (only on a TTY, and never when `NO_COLOR` is set).
    pub color: bool,
    /// Show every column (sources, comments) instead of the compact set.
    pub verbose: bool,
}

impl TableStyle {
    /// Plain ASCII-safe table of the given width, no colour.
    pub fn plain(width: u16) -> Self {
        TableStyle {
            width,
            color: false,
            verbose: false,
        }
    }

    pub(crate) fn table(&self, header: Vec<&str>) -> Table {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(self.width)
            .set_header(header);
        if !self.color {
            t.force_no_tty();
        }
        t
    }
}
