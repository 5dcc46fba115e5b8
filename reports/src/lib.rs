//! # pathprobe-reports: every output format, as pure functions of data
//!
//! Renderers take a model and return text; they never print, never touch the
//! network and never read the clock, so every format can be tested byte for
//! byte. The check report ([`CheckReport`], the contract between the probe
//! engine and every output) renders as a table, JSON (with a committed JSON
//! Schema), CSV, JUnit, Markdown, a self-contained HTML page, the vendor
//! tool's lines and the Prometheus exposition format ([`CheckFormat`]); two
//! reports compare ([`Comparison`]); a [`Bundle`] zips a run for a ticket
//! through a [`Redactor`]. Catalog listings, catalog differences, PAC
//! evaluations, lint findings and proxy explanations render too.
//!
//! ```
//! use pathprobe_reports::{Listing, OutputFormat, TableStyle};
//! use pathprobe_urls::{Filter, default_catalog, default_probe_map, plan};
//!
//! let catalog = default_catalog()?;
//! let plan = plan(&catalog, &Filter::default(), &default_probe_map()?);
//! let listing = Listing::new(&catalog, plan, Vec::new());
//! let json = listing.render(OutputFormat::Json, &TableStyle::plain(100)).unwrap();
//! assert!(json.contains("\"schema_version\": 1"));
//! # Ok::<(), pathprobe_urls::CatalogError>(())
//! ```

mod allow;
mod bundle;
mod check;
mod diff_view;
pub mod findings;
mod listing;
mod onboarding;
mod pac_eval;
mod pac_lint;
mod proxy_answer;
mod proxy_explain;
mod table;

pub use allow::{Action, AllowEntry, AllowList, FailedProbe, PacExport, RangeEntry, Rendered};
pub use bundle::{
    BUNDLE_FORMAT_VERSION, Bundle, BundleError, Manifest, ManifestEntry, OpenedBundle, REDACTED,
    Redactor, open_bundle, userinfo_end,
};
pub use check::{
    AddressOutcome, AddressTry, Attempt, BaselineInfo, CHECK_SCHEMA_VERSION, CertificateInfo,
    Change, CheckFormat, CheckReport, CheckSummary, ComparedEndpoint, Comparison, ControlOutcome,
    ControlProbe, ControlReport, Family, Phase, PhaseRecord, ProbeResult, ReportReadError, TlsInfo,
    ToolInfo, Verdict, Verification, deciding,
};
pub use diff_view::DiffReport;
pub use listing::{LISTING_SCHEMA_VERSION, Listing, ListingEntry, ListingSummary};
pub use onboarding::{
    ONBOARDING_SCHEMA_VERSION, OnboardingReport, PackageView, Validity, mask_org_id,
};
pub use pac_eval::{
    LookupView, PAC_EVAL_SCHEMA_VERSION, PacEvalReport, PacEvalResult, PacEvalSettings,
    PacScriptInfo,
};
pub use pac_lint::{PAC_LINT_SCHEMA_VERSION, PacLintReport};
pub use proxy_answer::{
    FROM_BEYOND, INSIDE_GIVEN_TLS, ProxyAnswer, SAME_DESTINATION, UNATTRIBUTED, UPSTREAM_REFUSED,
    squid_codes,
};
pub use proxy_explain::{PROXY_EXPLAIN_SCHEMA_VERSION, ProxyExplainReport, describe};
pub use table::{SafeTable, TableStyle};

/// Output formats of listings and diffs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// A table for people at a terminal.
    Table,
    /// JSON with a `schema_version`.
    Json,
    /// CSV with a header row.
    Csv,
}

/// A renderer could not produce its output.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// JSON serialisation failed.
    #[error("cannot render JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// CSV writing failed.
    #[error("cannot render CSV: {0}")]
    Csv(#[from] csv::Error),
    /// CSV output was not UTF-8 (cannot happen with UTF-8 input).
    #[error("cannot render CSV: {0}")]
    CsvText(String),
}

/// A CSV document written row by row, every cell made safe to open in a
/// spreadsheet: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'` (OWASP's advice against formula
/// injection), so that a catalog cell or a peer's text such as
/// `=cmd|' /c calc'!A1` is shown, never run. Numbers stay numbers.
///
/// ```
/// let mut csv = pathprobe_reports::Csv::new();
/// csv.row(["url", "note"]).unwrap();
/// csv.row(["https://a.example/", "=HYPERLINK(\"x\")"]).unwrap();
/// csv.row(["-3", "-x"]).unwrap();
/// assert_eq!(
///     csv.finish().unwrap(),
///     "url,note\nhttps://a.example/,\"'=HYPERLINK(\"\"x\"\")\"\n-3,'-x\n"
/// );
/// ```
#[derive(Debug)]
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for Csv {
    fn default() -> Self {
        Self::new()
    }
}

impl Csv {
    /// An empty document.
    pub fn new() -> Self {
        Self {
            writer: csv::Writer::from_writer(Vec::new()),
        }
    }

    /// Writes one row.
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), RenderError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.writer.write_record(
            cells
                .into_iter()
                .map(|c| inert_cell(c.as_ref()).into_owned()),
        )?;
        Ok(())
    }

    /// The document.
    pub fn finish(self) -> Result<String, RenderError> {
        let bytes = self
            .writer
            .into_inner()
            .map_err(|e| RenderError::CsvText(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| RenderError::CsvText(e.to_string()))
    }
}

/// A cell a spreadsheet shows as text, never evaluates.
fn inert_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    // A lone `-` (pathprobe's "none") is no formula.
    if formula && cell != "-" && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}
