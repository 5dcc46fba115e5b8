//! The catalog loader on fixture workbooks that reproduce the vendor files' traits.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_tests::fixtures;
use pathprobe_urls::{
    Filter, GeoSelection, Geography, HostPattern, Os, PathPattern, Probe, Requirement, Support,
    Target, default_probe_map, load, plan,
};

fn find<'a>(c: &'a pathprobe_urls::Catalog, target: &str) -> Vec<&'a pathprobe_urls::Endpoint> {
    c.endpoints
        .iter()
        .filter(|e| e.display_target() == target)
        .collect()
}

#[test]
fn generation_2021_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixtures::vendor_2021(dir.path()).unwrap();
    let c = load(&path).unwrap();
    // 10 + 4 + 2 rows in the three URL sheets; the two other sheets are noticed.
    assert_eq!(c.endpoints.len(), 16);
    let skipped: Vec<&str> = c
        .notices
        .iter()
        .filter(|n| n.message.contains("sheet skipped"))
        .map(|n| n.location.as_str())
        .collect();
    assert_eq!(skipped.len(), 2, "{:?}", c.notices);
    assert!(skipped[0].contains("\"Processes\""));

    let crl = find(&c, "crl.microsoft.com/pki/crl/*")[0];
    assert_eq!(crl.effective_port(), 80);
    assert_eq!(crl.scheme().as_str(), "http");
    assert_eq!(
        crl.url().unwrap().path,
        PathPattern::Prefix("/pki/crl/".into())
    );
    assert_eq!(crl.source.line, 2);
    assert_eq!(crl.source.sheet.as_deref(), Some("Microsoft Defender URLs"));

    let suffix = find(&c, "*ecs.office.com/config/v1/Client")[0];
    assert_eq!(
        suffix.url().unwrap().host,
        HostPattern::Suffix("ecs.office.com".into())
    );
    assert_eq!(suffix.platforms.windows_legacy_client, Support::No);
    assert_eq!(suffix.platforms.windows_legacy_server, Support::Yes);

    let go = find(&c, "go.microsoft.com")[0];
    assert_eq!(go.platforms.windows, Support::Conditional);
    assert_eq!(go.category.as_deref(), Some("MU / WU"));
    assert_eq!(go.requirement, Requirement::Unstated);

    let prose: Vec<_> = c
        .endpoints
        .iter()
        .filter(|e| matches!(e.target, Target::Prose { .. }))
        .collect();
    assert_eq!(prose.len(), 1);
    assert!(prose[0].display_target().starts_with("Root URL"));

    let gov: Vec<Geography> = c
        .endpoints
        .iter()
        .filter(|e| e.source.sheet.as_deref() == Some("Microsoft Defender URLs - USGov"))
        .map(|e| e.geography.clone())
        .collect();
    assert_eq!(
        gov,
        vec![
            Geography::UsGov,
            Geography::Gcc,
            Geography::GccHigh,
            Geography::Dod
        ]
    );

    let blob = find(&c, "*.blob.core.windows.net")[0];
    assert_eq!(blob.source.sheet.as_deref(), Some("Security Center URLs"));
    assert_eq!(
        find(&c, "https://security.microsoft.com")[0]
            .scheme()
            .as_str(),
        "https"
    );
}

#[test]
fn generation_2024_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixtures::vendor_2024(dir.path()).unwrap();
    let c = load(&path).unwrap();
    let common: Vec<_> = c
        .endpoints
        .iter()
        .filter(|e| e.source.sheet.as_deref() == Some("Common endpoints"))
        .collect();
    let targets: Vec<String> = common.iter().map(|e| e.display_target()).collect();
    assert_eq!(
        targets,
        vec![
            "*.endpoint.security.microsoft.com",
            "*.smartscreen-prod.microsoft.com",
            "*.smartscreen.microsoft.com",
            "*.checkappexec.microsoft.com",
            "*.urs.microsoft.com",
            "invalid host name here",
            "packages.microsoft.com",
            "www.microsoft.com/pkiops/*",
            "www.microsoft.com/pki/*",
            "ctldl.windowsupdate.com",
            "crl.microsoft.com",
        ]
    );
    // Sections come from the banners, not from the rows.
    assert_eq!(
        common[0].source.section.as_deref(),
        Some("URLs used for core functionality")
    );
    assert_eq!(
        common[6].source.section.as_deref(),
        Some("URLs used for updates")
    );
    // Merged block: one row, three items, values of the merged cells on each.
    assert_eq!(common[3].source.line, 6);
    assert_eq!(common[4].source.item, Some(2));
    assert_eq!(common[4].requirement, Requirement::Optional);
    assert_eq!(common[4].port, Some(443));
    assert!(matches!(common[5].target, Target::Prose { .. }));
    // Service, port and OS merged down over rows that each have their own URL.
    let ctl = common[9];
    assert_eq!(ctl.service.as_deref(), Some("Certificate validation"));
    assert_eq!(ctl.effective_port(), 80);
    assert!(ctl.platforms.applies_to(Os::Windows));
    assert!(!ctl.platforms.applies_to(Os::Linux));
    // "All" in the OS column.
    assert!(common[0].platforms.applies_to(Os::Macos));
    // The row without a URL is reported, not dropped.
    assert!(
        c.notices
            .iter()
            .any(|n| n.location.contains("row 17") && n.message.contains("no URL")),
        "{:?}",
        c.notices
    );

    let mma: Vec<_> = c
        .endpoints
        .iter()
        .filter(|e| e.source.sheet.as_deref() == Some("Windows 7, 8.1, 2008R2 (MMA) "))
        .collect();
    let geos: Vec<String> = mma
        .iter()
        .map(|e| format!("{} {}", e.display_target(), e.geography))
        .collect();
    assert_eq!(
        geos,
        vec![
            "winatp-gw-aue.microsoft.com AU",
            "winatp-gw-aus.microsoft.com AU",
            "winatp-gw-neu.microsoft.com EU",
            "winatp-gw-weu.microsoft.com EU",
            "*.oms.opinsights.azure.com WW",
            "*.blob.core.windows.net WW",
        ]
    );
    assert_eq!(mma[1].description.as_deref(), Some("Command and control"));
    assert!(
        c.notices
            .iter()
            .any(|n| n.message.contains("appears twice"))
    );

    let old: Vec<_> = c
        .endpoints
        .iter()
        .filter(|e| e.source.sheet.as_deref() == Some("Windows 1607 to 1803"))
        .collect();
    assert_eq!(old.len(), 3);
    assert_eq!(old[0].geography, Geography::Worldwide);
    assert_eq!(old[0].requirement, Requirement::Optional);
    // A Windows sheet: Windows rows, Mac only where its column says so.
    assert!(old[0].platforms.applies_to(Os::Windows));
    assert!(!old[0].platforms.applies_to(Os::Macos));
    assert!(old[1].platforms.applies_to(Os::Macos));
}

#[test]
fn geography_selection_and_probe_planning() {
    let dir = tempfile::tempdir().unwrap();
    let c = load(&fixtures::vendor_2021(dir.path()).unwrap()).unwrap();
    let map = default_probe_map().unwrap();
    let filter = Filter {
        geo: Some(GeoSelection::new(Geography::Eu)),
        ..Filter::default()
    };
    let p = plan(&c, &filter, &map);
    let listed: Vec<String> = p
        .entries
        .iter()
        .map(|e| e.endpoint.display_target())
        .collect();
    assert!(listed.contains(&"winatp-gw-neu.microsoft.com".to_string()));
    assert!(
        !listed
            .iter()
            .any(|t| t.contains("winatp-gw-cus") || t.contains("uks") || t.contains("usmt"))
    );
    // US and UK rows, and the 4 government rows.
    assert_eq!(p.excluded.geography, 6);

    let probe_of = |t: &str| {
        &p.entries
            .iter()
            .find(|e| e.endpoint.display_target() == t)
            .unwrap()
            .probe
    };
    // The probe map gives the vendor tools' URL and expectation for known hosts...
    match probe_of("winatp-gw-neu.microsoft.com") {
        Probe::Targets { targets } => {
            assert!(
                targets
                    .iter()
                    .any(|t| t.url.ends_with("/commands/test") && t.pinned == Some(true))
            );
        }
        other => panic!("{other:?}"),
    }
    // ...and concrete hosts of the chosen location for wildcards.
    match probe_of("*.wd.microsoft.com") {
        Probe::Targets { targets } => {
            assert!(targets.iter().any(|t| t.url.contains("europe.")));
            assert!(
                !targets
                    .iter()
                    .any(|t| t.url.contains("unitedstates.") || t.url.contains("australia."))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        probe_of("*.notify.windows.com"),
        Probe::NotProbed { .. }
    ));
}
