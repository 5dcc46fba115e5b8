//! Errors of catalog loading: each names the source (file, sheet, row or line).

use std::path::PathBuf;

/// Where in an input a problem was found, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file (or `<embedded>` for the built-in catalog).
    pub file: PathBuf,
    /// Sheet of a workbook, when the input is one.
    pub sheet: Option<String>,
    /// 1-based row of a sheet or line of a text/CSV file.
    pub line: Option<u32>,
}

impl Origin {
    /// An origin naming only a file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            sheet: None,
            line: None,
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", pathprobe_files::shown_path(&self.file))?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet {}", pathprobe_files::quote::quoted(sheet))?;
        }
        if let Some(line) = self.line {
            let word = if self.sheet.is_some() { "row" } else { "line" };
            write!(f, ", {word} {line}")?;
        }
        Ok(())
    }
}

/// A size for people: "256.0 MiB".
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Everything that can go wrong turning an input into a [`crate::Catalog`].
///
/// All variants describe bad *input*: the binary maps them to exit code 2.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The file could not be read: missing, not a regular file, too large.
    #[error(transparent)]
    File(#[from] pathprobe_files::ReadError),
    /// A member of a zipped workbook inflates far beyond any real catalog.
    #[error("{}: {member} inflates to more than {} from {} compressed: a zip bomb, not a catalog", pathprobe_files::shown_path(path), mib(*limit), mib(*compressed))]
    Inflates {
        /// The file.
        path: PathBuf,
        /// The zip member.
        member: String,
        /// Its compressed size.
        compressed: u64,
        /// Where reading it stopped.
        limit: u64,
    },
    /// A password-protected workbook: Office stores those encrypted in an OLE container.
    #[error(
        "{}: the workbook is password-protected (encrypted); save an unprotected copy and load that",
        pathprobe_files::shown_path(path)
    )]
    Encrypted {
        /// The file.
        path: PathBuf,
    },
    /// Bytes that are none of the formats we read.
    #[error("{}: not a catalog: {reason}", pathprobe_files::shown_path(path))]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// What the content looked like.
        reason: String,
    },
    /// The spreadsheet library could not read the workbook.
    #[error(
        "{}: not a readable spreadsheet: {reason}",
        pathprobe_files::shown_path(path)
    )]
    Spreadsheet {
        /// The file.
        path: PathBuf,
        /// The reader's message.
        reason: String,
    },
    /// No sheet (or the chosen one) has a header row with a URL column.
    #[error("{origin}: no header row with a URL/endpoint column found{examined}")]
    NoHeader {
        /// Where we looked.
        origin: Origin,
        /// A note on what was examined, starting with a separator.
        examined: String,
    },
    /// A sheet asked for by name is not in the workbook.
    #[error("{}: no sheet named {} (sheets: {available})", pathprobe_files::shown_path(path), pathprobe_files::quote::quoted(.sheet))]
    NoSuchSheet {
        /// The file.
        path: PathBuf,
        /// The requested name.
        sheet: String,
        /// The names that exist.
        available: String,
    },
    /// A value that cannot be understood, with its location.
    #[error("{origin}: {message}")]
    Invalid {
        /// Where.
        origin: Origin,
        /// What was wrong.
        message: String,
    },
    /// The input parsed but held no endpoint at all: never a silent empty catalog.
    #[error("{origin}: the catalog has no endpoints")]
    Empty {
        /// Which input.
        origin: Origin,
    },
    /// JSON that does not follow the catalog schema.
    #[error("{origin}: invalid catalog JSON: {message}")]
    Json {
        /// Where (line when known).
        origin: Origin,
        /// serde's message.
        message: String,
    },
}

/// Result alias of this crate.
pub type Result<T, E = CatalogError> = std::result::Result<T, E>;
