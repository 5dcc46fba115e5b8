//! # pathprobe-urls: service URL catalogs
//!
//! Turns the list of URLs a service needs — the vendor's spreadsheet, a CSV, a
//! plain text list, or the project's JSON form — into typed [`Endpoint`]s, and
//! plans which concrete URL to probe for each one.
//!
//! Vendor workbooks change shape between versions, so the loader finds header
//! rows by meaning (also repeated ones inside a sheet), follows section banners,
//! carries vertically merged cells down, splits multi-URL cells, and keeps prose
//! rows as not-probeable entries. Nothing is dropped silently: what the loader
//! skips becomes a [`Notice`]; bad input is a [`CatalogError`] naming the file,
//! sheet and row.
//!
//! ```
//! use pathprobe_urls::{Filter, GeoSelection, Geography, Os, plan};
//!
//! // The embedded Microsoft Defender for Endpoint catalog, EU tenant, Linux fleet.
//! let catalog = pathprobe_urls::default_catalog()?;
//! let map = pathprobe_urls::default_probe_map()?;
//! let filter = Filter {
//!     geo: Some(GeoSelection::new(Geography::Eu)),
//!     os: Some(Os::Linux),
//!     ..Filter::default()
//! };
//! let plan = plan(&catalog, &filter, &map);
//! assert!(plan.entries.iter().any(|p| p.endpoint.display_target() == "eu-v20.events.data.microsoft.com"));
//! assert!(plan.excluded.geography > 0);
//! # Ok::<(), pathprobe_urls::CatalogError>(())
//! ```

mod columns;
pub use columns::{Column, ColumnOverride};
mod diff;
mod embedded;
mod error;
mod geo;
mod grid;
mod load;
mod model;
mod onboarding;
mod package;
mod pattern;
mod plan;
mod probe_map;

pub use diff::{Change, ChangeKind, FieldChange, diff};
pub use embedded::{EMBEDDED, default_catalog, default_probe_map};
pub use error::{CatalogError, Origin, Result};
pub use geo::{GeoSelection, Geography};
pub use load::{
    CatalogDocument, DEFAULT_MAX_BYTES, DocumentEndpoint, FORMAT_NAME, FORMAT_VERSION, Format,
    LoadOptions, MAX_ENDPOINTS, detect, load, load_bytes, load_with,
};
pub use model::{
    AddressRange, Catalog, CatalogInfo, Depth, Endpoint, Notice, Os, Platforms, PortSpan,
    Requirement, SourceLocation, Support, Target,
};
pub use onboarding::{OnboardingGeo, geography_from_text};
pub use package::{
    Expiry, Package, PackageError, PackageKind, Signer, read_package, read_packages,
};
pub use pattern::{HostPattern, PathPattern, Scheme, UrlPattern};
pub use plan::{
    Connectivity, Excluded, Filter, NotProbeable, Plan, Planned, Probe, STREAMLINED_DOMAIN, plan,
};
pub use probe_map::{
    ExpectedStatus, MapEntry, Method, ProbeMap, ProbeMapDocument, ProbeTarget, TargetOrigin,
};

/// JSON Schemas of the project's file forms, generated from the types.
pub mod schema {
    /// Schema of the catalog JSON form ([`crate::CatalogDocument`]).
    pub fn catalog() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(crate::CatalogDocument)).unwrap_or_default()
    }

    /// Schema of the probe map form ([`crate::ProbeMapDocument`]).
    pub fn probe_map() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(crate::ProbeMapDocument)).unwrap_or_default()
    }
}
