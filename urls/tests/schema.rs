//! The committed JSON Schemas must match the types they are generated from.
//! Regenerate with `PATHPROBE_UPDATE_SCHEMAS=1 cargo test -p pathprobe-urls --test schema`.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

fn check(file: &str, schema: serde_json::Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(file);
    let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    if std::env::var_os("PATHPROBE_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date: run PATHPROBE_UPDATE_SCHEMAS=1 cargo test -p pathprobe-urls --test schema",
        path.display()
    );
}

#[test]
fn catalog_schema_is_current() {
    check("catalog.schema.json", pathprobe_urls::schema::catalog());
}

#[test]
fn probe_map_schema_is_current() {
    check("probe-map.schema.json", pathprobe_urls::schema::probe_map());
}

#[test]
fn embedded_files_follow_their_schemas_shape() {
    // The embedded files are read with deny_unknown_fields: loading proves their shape.
    pathprobe_urls::default_catalog().unwrap();
    pathprobe_urls::default_probe_map().unwrap();
}
