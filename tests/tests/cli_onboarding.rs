//! `pathprobe onboarding inspect` on packages in every form the vendor ships,
//! generated here with made-up organisation ids (no tenant's data is
//! committed), and on files that are not packages.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::{Path, PathBuf};

use pathprobe_tests::lab::TestCa;
use pathprobe_tests::{run, stderr, stdout};

const ORG: &str = "0a1b2c3d-0000-4000-8000-00000000abcd";
const OTHER_ORG: &str = "99999999-0000-4000-8000-000000009999";

fn body(org: &str, partner: Option<&str>) -> String {
    let partner = partner
        .map(|p| format!(r#""partnerGeoLocation":"{p}","#))
        .unwrap_or_default();
    format!(
        r#"{{"previousOrgIds":[],"orgId":"{org}","geoLocationUrl":"https://winatp-gw-weu.microsoft.com/","datacenter":"WestEurope","vortexGeoLocation":"EU",{partner}"version":"1.7","deviceType":"Server"}}"#
    )
}

/// The signed document; `cert` is the signer's certificate (base64 DER).
fn document(body: &str, cert: &str) -> String {
    serde_json::json!({"body": body, "sig": "c2lnbmF0dXJl", "sha256sig": "", "cert": cert, "chain": []})
        .to_string()
}

fn signer_cert() -> String {
    let ca = TestCa::new("Made-up Package Signing CA");
    ca.pem()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

fn inspect(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["onboarding", "inspect"];
    all.extend_from_slice(args);
    let out = run(all);
    (out.status.code(), stdout(&out), stderr(&out))
}

fn json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = inspect(&all);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}")),
    )
}

#[test]
fn every_form_gives_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cert = signer_cert();
    let doc = document(&body(ORG, None), &cert);
    let escaped_once = doc.replace('\\', "\\\\").replace('"', "\\\"");
    let forms = [
        write(d, "WindowsDefenderATP.onboarding", doc.as_bytes()),
        write(
            d,
            "WindowsDefenderATPLocalOnboardingScript.cmd",
            format!("@echo off\r\nREG add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Advanced Threat Protection\" /v OnboardingInfo /t REG_SZ /f /d \"{escaped_once}\" >NUL 2>&1\r\n").as_bytes(),
        ),
        write(
            d,
            "mdatp_onboard.json",
            serde_json::json!({ "onboardingInfo": doc }).to_string().as_bytes(),
        ),
        write(
            d,
            "MicrosoftDefenderATPOnboardingLinuxServer.py",
            format!("#!/usr/bin/env python3\nimport json\nONBOARDING = \"{escaped_once}\"\nprint(ONBOARDING)\n").as_bytes(),
        ),
        write(
            d,
            "com.microsoft.wdav.atp.plist",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>OrgId</key><string>{ORG}</string><key>OnboardingInfo</key><string>{}</string></dict></plist>\n",
                doc.replace('&', "&amp;").replace('"', "&quot;")
            )
            .as_bytes(),
        ),
    ];
    for f in &forms {
        let (code, v) = json(&[f.to_str().unwrap(), "--show-org-id"]);
        assert_eq!(code, Some(0), "{}: {v}", f.display());
        let p = &v["packages"][0];
        assert_eq!(p["kind"], "onboarding", "{}", f.display());
        assert_eq!(p["org_id"], ORG, "{}", f.display());
        assert_eq!(p["vortex_geo_location"], "EU");
        assert_eq!(p["datacenter"], "WestEurope");
        assert_eq!(p["gateway_url"], "https://winatp-gw-weu.microsoft.com/");
        assert_eq!(p["version"], "1.7");
        assert!(
            p["signer"]["subject"]
                .as_str()
                .unwrap()
                .contains("Made-up Package Signing CA"),
            "{p}"
        );
        assert!(p["connectivity"].as_str().unwrap().starts_with("standard"));
    }
    // UTF-16 with a byte-order mark, as Windows tools write.
    let mut utf16 = vec![0xff, 0xfe];
    for u in doc.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let f = write(d, "utf16.onboarding", &utf16);
    let (code, v) = json(&[f.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(
        v["packages"][0]["org_id"], "0a1b2c3d-…-abcd",
        "masked by default"
    );

    // A zip of them: one row each.
    let zip_path = d.join("WindowsDefenderATPOnboardingPackage.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for f in &forms[..2] {
        z.start_file(
            f.file_name().unwrap().to_str().unwrap(),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(&std::fs::read(f).unwrap()).unwrap();
    }
    z.start_file("README.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"Run the script as an administrator.").unwrap();
    z.finish().unwrap();
    let (code, v) = json(&[zip_path.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["packages"].as_array().unwrap().len(), 2);
    assert!(
        v["packages"][1]["source"]
            .as_str()
            .unwrap()
            .ends_with(".zip!WindowsDefenderATPLocalOnboardingScript.cmd")
    );

    // The table, for people.
    let (code, table, _) = inspect(&[forms[0].to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(
        table.contains("onboarding (Windows onboarding file)"),
        "{table}"
    );
    assert!(
        table.contains("0a1b2c3d-…-abcd") && !table.contains(ORG),
        "{table}"
    );
}

#[test]
fn streamlined_packages_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "WindowsDefenderATP.onboarding",
        document(&body(ORG, Some("GW_US")), "").as_bytes(),
    );
    let (code, v) = json(&[f.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_eq!(v["packages"][0]["partner_geo_location"], "GW_US");
    assert!(
        v["packages"][0]["connectivity"]
            .as_str()
            .unwrap()
            .starts_with("streamlined")
    );
}

fn offboarding(dir: &Path, valid_until: jiff::civil::Date, org: &str) -> PathBuf {
    // The content's expiry as a Windows FILETIME, at the end of that day.
    let end = valid_until
        .tomorrow()
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_second();
    let filetime = (i128::from(end) + 11_644_473_600) * 10_000_000 - 1;
    let body = format!(
        r#"{{"orgIds":["{org}"],"orgId":"{org}","expirationTimestamp":{filetime},"version":"1.4"}}"#
    );
    write(
        dir,
        &format!("WindowsDefenderATP_valid_until_{valid_until}.offboarding"),
        document(&body, "").as_bytes(),
    )
}

#[test]
fn offboarding_validity_conflicts_and_other_organisations() {
    let dir = tempfile::tempdir().unwrap();
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date();
    let fresh = offboarding(
        dir.path(),
        today.checked_add(jiff::Span::new().days(20)).unwrap(),
        ORG,
    );
    let (code, v) = json(&[fresh.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{v}");
    let p = &v["packages"][0];
    assert_eq!(p["kind"], "offboarding");
    assert_eq!(p["validity"]["state"], "valid");
    assert!(p["validity"]["days_left"].as_i64().unwrap() >= 19, "{p}");
    assert_eq!(p["expires"]["from"], "content");

    let old = offboarding(
        dir.path(),
        today.checked_sub(jiff::Span::new().days(3)).unwrap(),
        ORG,
    );
    let (code, out, _) = inspect(&[old.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(out.contains("EXPIRED 3 days ago"), "{out}");
    assert!(
        out.contains("expired 3 days ago; download a new one"),
        "{out}"
    );

    // Onboarding and offboarding for the same organisation, given together.
    let on = write(
        dir.path(),
        "WindowsDefenderATP.onboarding",
        document(&body(ORG, None), "").as_bytes(),
    );
    let (code, out, _) = inspect(&[on.to_str().unwrap(), fresh.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("never deploy them to the same machines at the same time"),
        "{out}"
    );

    // A package of another organisation than the one expected.
    let (code, out, _) = inspect(&[on.to_str().unwrap(), "--org-id", OTHER_ORG]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("belongs to another organisation (0a1b2c3d-…-abcd) than --org-id"),
        "{out}"
    );
    let (code, _, _) = inspect(&[on.to_str().unwrap(), "--org-id", ORG]);
    assert_eq!(code, Some(0));
}

#[test]
fn files_that_are_not_packages_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let doc = document(&body(ORG, None), "");
    let cases = [
        (
            write(d, "notes.txt", b"just some notes"),
            "not an onboarding or offboarding package",
        ),
        (
            write(d, "cut.onboarding", &doc.as_bytes()[..doc.len() / 2]),
            "cut.onboarding",
        ),
        (
            write(
                d,
                "binary.onboarding",
                &[0x00, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x81],
            ),
            "not text",
        ),
        (write(d, "empty.zip", b"PK\x03\x04garbage"), "damaged zip"),
    ];
    for (file, needle) in cases {
        let (code, out, err) = inspect(&[file.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{}: {out}{err}", file.display());
        assert!(
            err.contains(file.file_name().unwrap().to_str().unwrap()),
            "{err}"
        );
        assert!(err.contains(needle), "{err}");
        assert!(out.is_empty());
    }
    let (code, _, err) = inspect(&[d.join("missing.onboarding").to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing.onboarding: cannot read"), "{err}");
}

#[test]
fn check_takes_geography_and_connectivity_from_the_package_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "WindowsDefenderATP.onboarding",
        document(&body(ORG, Some("GW_EU")), "").as_bytes(),
    );
    // Every name is unknown to the lab's DNS server: fast failures, but the
    // plan is what is looked at.
    let (v, out) =
        pathprobe_tests::check_json(&["--onboarding", f.to_str().unwrap(), "--direct"], "2");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        v["filters"][0],
        "geo=EU, streamlined connectivity (from the onboarding package WindowsDefenderATP.onboarding: GW_EU)"
    );
    let urls: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert!(
        urls.iter()
            .any(|u| u.contains(".endpoint.security.microsoft.com")),
        "{urls:?}"
    );
    assert!(!urls.iter().any(|u| u.contains("winatp-gw-")), "{urls:?}");
    assert!(
        !urls.iter().any(|u| u.contains("mdav.us.")),
        "EU only: {urls:?}"
    );
}

/// Round 21. A package naming a data location this version does not know
/// is said, as `--geo` with one is (it was used without a word).
#[test]
fn an_unknown_location_in_a_package_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let text = body(ORG, None).replace(
        "\"vortexGeoLocation\":\"EU\"",
        "\"vortexGeoLocation\":\"Mars\"",
    );
    let package = write(
        dir.path(),
        "WindowsDefenderATPOnboarding.json",
        document(&text, &signer_cert()).as_bytes(),
    );
    let list = write(dir.path(), "list.txt", b"https://a.example.com/\n");
    let out = run([
        "urls",
        "list",
        list.to_str().unwrap(),
        "--onboarding",
        package.to_str().unwrap(),
    ]);
    assert!(
        stderr(&out)
            .contains("names the data location \"Mars\", which is not one this version knows"),
        "{}",
        stderr(&out)
    );
}
