//! The committed JSON Schema of the check report is the one the types produce.
//!
//! After changing the report types, regenerate it with
//! `PATHPROBE_BLESS=1 cargo test -p pathprobe-reports --test schema` and
//! review the difference: a change that breaks readers needs a new
//! `CHECK_SCHEMA_VERSION`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pathprobe_reports::{CHECK_SCHEMA_VERSION, CheckReport};

#[test]
fn committed_schema_matches_the_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "schema/check-report.v{CHECK_SCHEMA_VERSION}.schema.json"
    ));
    let generated = CheckReport::json_schema();
    if std::env::var_os("PATHPROBE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: regenerate it with PATHPROBE_BLESS=1 cargo test -p pathprobe-reports --test schema",
        path.display()
    );
}
