//! The vendor's real workbooks, when this machine has them (`../shared/data/mde`,
//! or `PATHPROBE_SHARED_DATA`). They are never committed; the fixtures in
//! `pathprobe_tests::fixtures` reproduce their traits for machines without them.
//!
//! The reference is `urls.csv`, a normalised list of every URL row of the same
//! workbooks made independently of pathprobe.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::Path;

use pathprobe_tests::{run, shared_mde_data, stderr};
use pathprobe_urls::{Geography, load};

fn reference(dir: &Path, source_prefix: &str) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(dir.join("urls.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (source, url, geo) = (col("source"), col("url_raw"), col("geography"));
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[source].starts_with(source_prefix))
        .map(|r| {
            let g = Geography::parse(&r[geo]).unwrap_or(Geography::Worldwide);
            (r[url].trim().to_lowercase(), g.code().to_string())
        })
        .collect()
}

fn check_workbook(file: &str, source_prefix: &str) {
    let Some(dir) = shared_mde_data(file) else {
        return;
    };
    let catalog = load(&dir.join(file)).unwrap();
    let ours: Vec<(String, String)> = catalog
        .endpoints
        .iter()
        .map(|e| {
            (
                e.display_target().to_lowercase(),
                e.geography.code().to_string(),
            )
        })
        .collect();
    let expected = reference(&dir, source_prefix);
    let a: BTreeSet<_> = ours.iter().cloned().collect();
    let b: BTreeSet<_> = expected.iter().cloned().collect();
    assert_eq!(
        a.difference(&b).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "rows we found that the reference does not have"
    );
    assert_eq!(
        b.difference(&a).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "reference rows we missed"
    );
    // Same count too, except for URLs the vendor repeated inside one cell, which
    // we list once and report.
    let repeated = catalog
        .notices
        .iter()
        .filter(|n| n.message.contains("appears twice"))
        .count();
    assert_eq!(ours.len() + repeated, expected.len());
}

#[test]
fn workbook_2021_matches_the_reference() {
    check_workbook("mde-urls-2021-03.xlsx", "mde-urls.xlsx");
}

#[test]
fn workbook_2024_streamlined_matches_the_reference() {
    check_workbook(
        "mde-streamlined-urls-commercial-2024-05.xlsx",
        "mde-streamlined-urls-commercial",
    );
}

#[test]
fn urls_list_on_the_real_workbooks() {
    let Some(dir) = shared_mde_data("urls_list_on_the_real_workbooks") else {
        return;
    };
    for file in [
        "mde-urls-2021-03.xlsx",
        "mde-streamlined-urls-commercial-2024-05.xlsx",
    ] {
        let path = dir.join(file);
        let out = run([
            "urls".as_ref(),
            "list".as_ref(),
            path.as_os_str(),
            "--geo".as_ref(),
            "EU".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let entries = v["entries"].as_array().unwrap();
        assert!(entries.len() > 30, "{file}: {}", entries.len());
        assert!(
            entries
                .iter()
                .all(|e| e["geography"] == "WW" || e["geography"] == "EU")
        );
        assert!(
            entries
                .iter()
                .any(|e| e["wildcard"] == true && e["status"] == "not_probed")
        );
        assert!(
            entries
                .iter()
                .any(|e| e["target"] == "winatp-gw-neu.microsoft.com")
        );
    }
    // The CSV reference itself is a catalog too (header matched by meaning).
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        dir.join("urls.csv").as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
