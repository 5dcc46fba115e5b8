//! The catalog and probe map compiled into the binary: the Microsoft Defender
//! for Endpoint commercial (standard connectivity) list, with the concrete probe
//! URLs the vendor's own connectivity tools request.
//!
//! Facts (hosts, ports, geographies, platforms, expected statuses, pinning) come
//! from the vendor's published list and tools; descriptions are our own words.
//! The files live in `urls/data/` in the project's JSON forms.

use std::path::Path;

use crate::error::Result;
use crate::load::load_json;
use crate::model::Catalog;
use crate::probe_map::ProbeMap;

/// Name used as the origin of embedded data in messages and reports.
pub const EMBEDDED: &str = "<embedded>";

const CATALOG_JSON: &str = include_str!("../data/mde-commercial.json");
const PROBE_MAP_JSON: &str = include_str!("../data/mde-probe-map.json");

/// The embedded default catalog.
pub fn default_catalog() -> Result<Catalog> {
    let mut catalog = load_json(Path::new(EMBEDDED), CATALOG_JSON.as_bytes())?;
    catalog.info.origin = EMBEDDED.to_string();
    Ok(catalog)
}

/// The embedded probe map.
pub fn default_probe_map() -> Result<ProbeMap> {
    ProbeMap::from_json(Path::new(EMBEDDED), PROBE_MAP_JSON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads() {
        let c = default_catalog().unwrap();
        assert!(c.endpoints.len() > 80, "{}", c.endpoints.len());
        let m = default_probe_map().unwrap();
        assert!(m.len() > 50, "{}", m.len());
    }
}
