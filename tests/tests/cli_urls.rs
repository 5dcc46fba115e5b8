//! `pathprobe urls list|diff` run as a user runs them: the built binary, real
//! files in a temporary directory, exit codes and messages.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};

use pathprobe_tests::json_of as json;
use pathprobe_tests::{fixtures, run, stderr, stdout};

#[test]
fn help_lists_every_command_and_hides_the_workers() {
    let out = run(["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    let listed = |name: &str| help.lines().any(|l| l.trim_start().starts_with(name));
    for built in [
        "check",
        "lab",
        "urls",
        "pac",
        "proxy",
        "report",
        "onboarding",
        "bundle",
        "serve",
        "fix",
        "config",
        "doctor",
    ] {
        assert!(listed(built), "{built} missing:\n{help}");
    }
    // Internal worker commands are not offered.
    assert!(!help.contains("__"), "{help}");
    let urls = stdout(&run(["urls", "--help"]));
    assert!(urls.contains("list") && urls.contains("diff"), "{urls}");
}

#[test]
fn embedded_catalog_lists_with_a_summary() {
    let out = run(["urls", "list", "--geo", "EU"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("winatp-gw-neu.microsoft.com"), "{text}");
    assert!(!text.contains("winatp-gw-cus.microsoft.com"), "{text}");
    assert!(
        text.contains("filtered out:") && text.contains("other geographies"),
        "{text}"
    );
    assert!(
        text.contains("*.wns.windows.com") && text.contains("not probed"),
        "{text}"
    );
}

#[test]
fn fixture_workbook_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixtures::vendor_2024(dir.path()).unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        path.as_os_str(),
        "--geo".as_ref(),
        "AU".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["filters"][0], "geo=AU");
    let entries = v["entries"].as_array().unwrap();
    let targets: Vec<&str> = entries
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    assert!(targets.contains(&"winatp-gw-aue.microsoft.com"));
    assert!(!targets.contains(&"winatp-gw-neu.microsoft.com"));
    let prose = entries.iter().find(|e| e["kind"] == "prose").unwrap();
    assert_eq!(prose["status"], "not_probed");
    assert_eq!(
        prose["reason"],
        "prose row: names no host (it holds spaces, which no host name or URL does)"
    );
    let wildcard = entries
        .iter()
        .find(|e| e["target"] == "*.urs.microsoft.com")
        .unwrap();
    assert_eq!(wildcard["wildcard"], true);
    assert!(
        wildcard["source"]
            .as_str()
            .unwrap()
            .ends_with("Common endpoints:6#2")
    );
    // Notices travel inside the JSON, not on stdout around it.
    assert!(
        v["notices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("no URL"))
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn onboarding_file_selects_the_geography() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"orgId":"00000000-0000-0000-0000-000000000000","datacenter":"NorthEurope","vortexGeoLocation":"UK","partnerGeoLocation":"GW_EU","version":"1.8"}"#;
    let wrapped = serde_json::json!({ "onboardingInfo": serde_json::json!({"body": body, "sig": "x"}).to_string() });
    let file = dir.path().join("mdatp_onboard.json");
    fs::write(&file, wrapped.to_string()).unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        "--onboarding".as_ref(),
        file.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let filter = v["filters"][0].as_str().unwrap();
    assert_eq!(
        filter,
        "geo=EU, streamlined connectivity (from the onboarding package mdatp_onboard.json: GW_EU)"
    );
    // Streamlined: the consolidated hosts, none of the per-region service rows.
    let patterns = |v: &serde_json::Value| -> Vec<String> {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["target"].to_string())
            .collect()
    };
    let streamlined = patterns(&v);
    assert!(
        streamlined
            .iter()
            .any(|p| p.contains("endpoint.security.microsoft.com")),
        "{streamlined:?}"
    );
    assert!(
        !streamlined.iter().any(|p| p.contains("winatp-gw-")),
        "{streamlined:?}"
    );
    assert!(v["summary"]["excluded"]["connectivity"].as_u64().unwrap() > 0);
    // Standard (vortexGeoLocation only): the per-region rows, not the consolidated ones.
    let standard_body = r#"{"orgId":"00000000-0000-0000-0000-000000000000","datacenter":"WestEurope","vortexGeoLocation":"EU","version":"1.8"}"#;
    let standard = dir.path().join("WindowsDefenderATP.onboarding");
    fs::write(
        &standard,
        serde_json::json!({"body": standard_body, "sig": "x"}).to_string(),
    )
    .unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        "--onboarding".as_ref(),
        standard.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let listed = patterns(&v);
    assert!(
        listed.iter().any(|p| p.contains("winatp-gw-neu")),
        "{listed:?}"
    );
    assert!(
        !listed
            .iter()
            .any(|p| p.contains("endpoint.security.microsoft.com")),
        "{listed:?}"
    );
    assert!(
        v["filters"][0]
            .as_str()
            .unwrap()
            .contains("standard connectivity")
    );

    let conflict = run([
        "urls".as_ref(),
        "list".as_ref(),
        "--geo".as_ref(),
        "US".as_ref(),
        "--onboarding".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(conflict.status.code(), Some(2));

    let not_onboarding = dir.path().join("other.json");
    fs::write(&not_onboarding, "{\"hello\": 1}").unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        "--onboarding".as_ref(),
        not_onboarding.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("other.json")
            && stderr(&out).contains("not an onboarding or offboarding package"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn text_csv_and_json_catalogs() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("hosts.txt");
    fs::write(&text, "# our list\nexample.com  # trailing comment\nhttps://api.example.com:8443/v1\n*.cdn.example.com\nsee the wiki for the rest\n").unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        text.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = stdout(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("target,kind,wildcard,scheme,port"),
        "{csv}"
    );
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(
        lines[1].starts_with("example.com,url,false,https,443,WW"),
        "{csv}"
    );
    assert!(
        lines[2].contains("https://api.example.com:8443/v1"),
        "{csv}"
    );
    assert!(lines[3].contains("not_probed"), "{csv}");
    assert!(
        lines[4].starts_with("see the wiki for the rest,prose"),
        "{csv}"
    );
    assert!(
        stderr(&out).contains("hosts.txt, line 5"),
        "{}",
        stderr(&out)
    );

    let csv_file = dir.path().join("list.csv");
    fs::write(&csv_file, "Region,Host Name,Port,Notes\r\nEU,\"eu.example.com\",443,\"two\nlines\"\r\nUS,us.example.com,80,\r\n").unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        csv_file.as_os_str(),
        "--geo".as_ref(),
        "EU".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["entries"].as_array().unwrap().len(), 1);
    assert_eq!(v["entries"][0]["target"], "eu.example.com");
    assert_eq!(v["summary"]["excluded"]["geography"], 1);

    let json_file = dir.path().join("cat.json");
    fs::write(
        &json_file,
        r#"{"format":"pathprobe-catalog","format_version":1,"name":"Mine","endpoints":[{"url":"crl.example.com/pki/*","port":80},{"url":"*.example.net","geography":"EU","requirement":"optional"}]}"#,
    )
    .unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        json_file.as_os_str(),
        "--required-only".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["catalog"]["name"], "Mine");
    assert_eq!(
        v["entries"][0]["targets"][0]["url"],
        "http://crl.example.com/pki/"
    );
    assert_eq!(v["summary"]["excluded"]["optional"], 1);
}

/// Headers people write: known words in any spelling are found; a header
/// nobody could place is named with what was tried, and `--column
/// ROLE=HEADER` places it (also for a workbook, through the catalog worker).
#[test]
fn columns_are_found_by_meaning_or_placed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let retyped = dir.path().join("retyped.csv");
    fs::write(
        &retyped,
        "  DOMAIN(S) ,Service area,Data location,Optional?\nwinatp-gw-weu.microsoft.com,MDE,EU,No\n",
    )
    .unwrap();
    let out = run([
        "urls",
        "list",
        retyped.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let v = json(&out);
    let e = &v["entries"][0];
    assert_eq!(e["target"], "winatp-gw-weu.microsoft.com", "{v:#}");
    assert_eq!(e["category"], "MDE");
    assert_eq!(e["geography"], "EU");

    let own = dir.path().join("own.csv");
    fs::write(&own, "Web address,Area\nhttps://a.example/,Cloud\n").unwrap();
    let out = run(["urls", "list", own.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("Domain(s), FQDN, Address") && err.contains("\"Web address\", \"Area\""),
        "{err}"
    );
    let out = run([
        "urls",
        "list",
        own.to_str().unwrap(),
        "--column",
        "url=web address",
        "--column",
        "category=Area",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["entries"][0]["target"], "https://a.example", "{v:#}");
    assert_eq!(v["entries"][0]["category"], "Cloud", "{v:#}");
    // A workbook goes through the catalog worker, with its options.
    let book = dir.path().join("own.xlsx");
    {
        use fixtures::V::S;
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        fixtures::rows(
            ws,
            0,
            &[
                &[S("Web address"), S("Area")],
                &[S("https://b.example/"), S("Cloud")],
            ],
        )
        .unwrap();
        wb.save(&book).unwrap();
    }
    let out = run([
        "urls",
        "list",
        book.to_str().unwrap(),
        "--column",
        "url=Web address",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["entries"][0]["target"], "https://b.example");
    // A role that does not exist is refused where it is read.
    let out = run([
        "urls",
        "list",
        own.to_str().unwrap(),
        "--column",
        "colour=Area",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a role"), "{}", stderr(&out));
}

/// Cells a spreadsheet would run as formulas (`=`, `+`, `-`, `@` first)
/// are written as text in every CSV pathprobe writes (OWASP's leading `'`);
/// the catalog is read as written.
#[test]
fn csv_outputs_never_carry_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("formulas.csv");
    fs::write(
        &file,
        "URL,Category\n\"=cmd|' /c calc'!A1\",x\n@SUM(1),y\nhttps://a.example/,=HYPERLINK(\"http://evil\")\n+a.test,-b\n",
    )
    .unwrap();
    for command in [
        vec!["urls", "list", file.to_str().unwrap(), "--format", "csv"],
        vec!["urls", "export", file.to_str().unwrap(), "--as", "csv"],
    ] {
        let out = run(&command);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        let text = stdout(&out);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '@'])
                        && (cell == "-" || !cell.starts_with('-') || cell.parse::<f64>().is_ok()),
                    "{command:?}: cell {cell:?} in\n{text}"
                );
            }
        }
        if command[1] == "list" {
            assert!(text.contains("'=cmd|"), "{text}");
            assert!(text.contains("starts with @"), "{text}");
        }
    }
}

/// Runs `urls list FILE` and checks the bad-input contract: exit 2, one message
/// naming the file and what is wrong, no panic.
fn rejects(file: &Path, extra: &[&str], expect: &str) {
    let mut args: Vec<std::ffi::OsString> = vec!["urls".into(), "list".into(), file.into()];
    args.extend(extra.iter().map(|a| a.into()));
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{file:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let name = file.file_name().unwrap().to_string_lossy();
    assert!(
        err.contains(name.as_ref()),
        "message does not name {name}: {err}"
    );
    assert!(err.contains(expect), "expected {expect:?} in: {err}");
    assert!(out.stdout.is_empty(), "nothing on stdout for bad input");
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    rejects(&d.join("missing.xlsx"), &[], "cannot read");

    let png = d.join("picture.xlsx");
    fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    rejects(&png, &[], "PNG image");

    let enc = d.join("protected.xlsx");
    fs::write(&enc, fixtures::encrypted_workbook_bytes()).unwrap();
    rejects(&enc, &[], "password-protected");

    let corrupt = d.join("corrupt.xlsx");
    fs::write(
        &corrupt,
        b"PK\x03\x04this is not really a zip archive at all",
    )
    .unwrap();
    rejects(&corrupt, &[], "not a readable spreadsheet");

    let no_urls = fixtures::no_url_sheets(d).unwrap();
    rejects(
        &no_urls,
        &[],
        "no header row with a URL/endpoint column found in any sheet (examined: \"Processes\")",
    );

    let wb = fixtures::vendor_2021(d).unwrap();
    rejects(&wb, &["--sheet", "Nope"], "no sheet named \"Nope\"");
    rejects(
        &wb,
        &["--sheet", "Change Log"],
        "sheet \"Change Log\": no header row",
    );

    let huge = d.join("huge.csv");
    fs::File::create(&huge)
        .unwrap()
        .set_len(40 * 1024 * 1024)
        .unwrap();
    rejects(&huge, &[], "is larger than 32 MiB");

    let empty = d.join("empty.txt");
    fs::write(&empty, "  \n").unwrap();
    rejects(&empty, &[], "has no endpoints");

    let only_comments = d.join("comments.txt");
    fs::write(&only_comments, "# nothing here\n").unwrap();
    rejects(&only_comments, &[], "has no endpoints");

    let bad_json = d.join("bad.json");
    fs::write(&bad_json, "{\n \"format\": \"pathprobe-catalog\",\n \"format_version\": 1,\n \"name\": \"x\",\n \"endpoints\": [ {\"url\": 5} ]\n}\n").unwrap();
    rejects(&bad_json, &[], "line 5");

    let unknown_field = d.join("typo.json");
    fs::write(&unknown_field, r#"{"format":"pathprobe-catalog","format_version":1,"name":"x","endpoints":[],"endpionts":[]}"#).unwrap();
    rejects(&unknown_field, &[], "\"endpionts\" is no field here");

    let csv = d.join("nourl.csv");
    fs::write(&csv, "name,port\nfoo,443\n").unwrap();
    rejects(&csv, &[], "needs a header naming its URL or host column");

    let latin1 = d.join("latin1.txt");
    fs::write(&latin1, b"caf\xe9.example.com\n").unwrap();
    rejects(&latin1, &[], "neither a workbook nor UTF-8 text");
    // Placed by line (round 22: a lone NUL was not).
    fs::write(&latin1, b"# list\nok.example.com\ncaf\xe9.example.com\n").unwrap();
    rejects(&latin1, &[], "(line 3, byte 26 is not part of a character");
    let nul = d.join("nul.txt");
    fs::write(&nul, b"a.example.com\nb.exa\0mple.com\n").unwrap();
    rejects(&nul, &[], "holds a NUL byte (line 2, byte 20)");
}

#[test]
fn diff_reports_added_removed_changed() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.csv");
    let new = dir.path().join("new.csv");
    fs::write(&old, "URL,Geography,Type\na.example.com,WW,Required\nb.example.com,EU,Required\nc.example.com,WW,Optional\n").unwrap();
    fs::write(&new, "Endpoint/URLs,Geography,Type\na.example.com,WW,Required\nc.example.com,WW,Required\nd.example.com,US,Optional\n").unwrap();

    let same = run([
        "urls".as_ref(),
        "diff".as_ref(),
        old.as_os_str(),
        old.as_os_str(),
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(stdout(&same).contains("no differences"));

    let out = run([
        "urls".as_ref(),
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        (
            v["added"].as_u64(),
            v["removed"].as_u64(),
            v["changed"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let changed = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "changed")
        .unwrap();
    assert_eq!(changed["target"], "c.example.com");
    assert_eq!(changed["fields"][0]["field"], "requirement");
    assert_eq!(changed["fields"][0]["old"], "optional");
    assert_eq!(changed["fields"][0]["new"], "required");

    let table = stdout(&run([
        "urls".as_ref(),
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
    ]));
    assert!(table.contains("1 added, 1 removed, 1 changed"), "{table}");

    let missing = run([
        "urls".as_ref(),
        "diff".as_ref(),
        old.as_os_str(),
        dir.path().join("nope.csv").as_os_str(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

/// A one-sheet workbook: a URL header, one URL, and `extra` written after.
fn workbook_with(path: &Path, extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "URL").unwrap();
    sheet.write_string(1, 0, "https://a.example/").unwrap();
    extra(sheet);
    book.save(path).unwrap();
}

/// Copies the workbook at `from` to `to` with its first sheet's XML changed.
fn rewrite_sheet(from: &Path, to: &Path, change: impl FnOnce(&str) -> String) {
    let mut source = zip::ZipArchive::new(fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(fs::File::create(to).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut change = Some(change);
    for i in 0..source.len() {
        let mut member = source.by_index(i).unwrap();
        let name = member.name().unwrap().into_owned();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut member, &mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let change = change.take().unwrap();
            text = change(&String::from_utf8(text).unwrap()).into_bytes();
        }
        out.start_file(name.as_str(), deflated).unwrap();
        std::io::Write::write_all(&mut out, &text).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn a_workbook_whose_cells_span_the_whole_sheet_is_refused_not_a_crash() {
    // 1.5 KB on disk; a dense grid of A1:XFD1048576 would be 512 GiB.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sparse.xlsx");
    workbook_with(&path, |sheet| {
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
    });
    let out = run(["urls", "list", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("sparse.xlsx, sheet \"Sheet1\": values span A1 to XFD1048576")
            && err.contains("remove the stray cell"),
        "{err}"
    );
}

#[test]
fn a_merged_region_over_the_whole_sheet_is_clipped_to_the_values() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.xlsx");
    workbook_with(&plain, |_| {});
    let path = dir.path().join("merged.xlsx");
    rewrite_sheet(&plain, &path, |xml| {
        xml.replace(
            "</sheetData>",
            r#"</sheetData><mergeCells count="1"><mergeCell ref="B2:XFD1048576"/></mergeCells>"#,
        )
    });
    let started = std::time::Instant::now();
    let out = run(["urls", "list", path.to_str().unwrap(), "--format", "json"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("a.example"), "{}", stdout(&out));
}

#[test]
fn a_spreadsheet_that_exhausts_memory_is_stopped_in_its_worker() {
    // An 800-byte OpenDocument sheet whose repeated cells expand to 98 million
    // values inside the spreadsheet library: only the catalog worker's memory
    // limit stops it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repeated.ods");
    let mut out = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    std::io::Write::write_all(&mut out, b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    out.start_file("META-INF/manifest.xml", stored).unwrap();
    std::io::Write::write_all(
        &mut out,
        br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    out.start_file("content.xml", stored).unwrap();
    std::io::Write::write_all(
        &mut out,
        br#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">
<table:table-row><table:table-cell office:value-type="string"><text:p>URL</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>https://a.example/</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#,
    )
    .unwrap();
    out.finish().unwrap();
    let started = std::time::Instant::now();
    let out = run(["urls", "list", path.to_str().unwrap()]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "repeated.ods: reading it reached the catalog reader's memory limit (1024 MiB) and was stopped"
        ),
        "{err}"
    );
}

#[test]
fn a_zip_bomb_workbook_is_refused_before_it_is_inflated() {
    // A real workbook whose sheet is padded with 32 MiB of whitespace (legal
    // XML between elements) that deflates to a few dozen KiB.
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.xlsx");
    workbook_with(&plain, |_| {});
    let bomb = dir.path().join("bomb.xlsx");
    let padding = " ".repeat(32 * 1024 * 1024);
    rewrite_sheet(&plain, &bomb, |xml| {
        xml.replace("<sheetData>", &format!("<sheetData>{padding}"))
    });
    assert!(fs::metadata(&bomb).unwrap().len() < 1024 * 1024);
    let out = run(["urls", "list", bomb.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("bomb.xlsx: xl/worksheets/sheet1.xml inflates to more than")
            && err.contains("a zip bomb, not a catalog"),
        "{err}"
    );
    // The same workbook without the padding loads.
    let out = run(["urls", "list", plain.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("a.example"), "{}", stdout(&out));
}

/// `urls list` of a Microsoft 365 feed as JSON, as the service answers.
fn feed_listing(path: &Path) -> serde_json::Value {
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A well-formed feed is read without a word of warning.
    assert_eq!(stderr(&out), "", "{}", path.display());
    json(&out)
}

#[test]
fn the_microsoft_365_feed_is_a_catalog_as_json_and_as_csv() {
    use pathprobe_tests::m365;
    let dir = tempfile::tempdir().unwrap();
    let sets = m365::feed_sets();
    let as_json = dir.path().join("worldwide.json");
    fs::write(&as_json, m365::json_feed(&sets)).unwrap();
    let as_csv = dir.path().join("worldwide.csv");
    fs::write(&as_csv, m365::csv_feed(&sets)).unwrap();

    let listed = feed_listing(&as_json);
    let entries = listed["entries"].as_array().unwrap();
    let find = |target: &str, port: u64| {
        entries
            .iter()
            .find(|e| e["target"] == target && e["port"] == port)
            .unwrap_or_else(|| panic!("{target}:{port} not listed: {listed}"))
    };
    // 443 as https, 80 as http, the set's attributes kept.
    let https = find("outlook.office.com", 443);
    assert_eq!(https["targets"][0]["url"], "https://outlook.office.com/");
    assert_eq!(https["category"], "Optimize");
    assert_eq!(https["service"], "Exchange Online");
    assert_eq!(https["requirement"], "required");
    assert_eq!(
        find("outlook.office.com", 80)["targets"][0]["url"],
        "http://outlook.office.com/"
    );
    // Mail ports: SMTP submission starts in clear text (a connection
    // probe); IMAPS is TLS from the first byte (a handshake probe).
    let submission = find("smtp.office365.com", 587);
    assert_eq!(submission["targets"][0]["method"], "TCP");
    assert_eq!(
        submission["targets"][0]["url"],
        "tcp://smtp.office365.com:587"
    );
    assert_eq!(submission["requirement"], "optional");
    let imaps = find("smtp.office365.com", 993);
    assert_eq!(imaps["targets"][0]["method"], "TLS");
    assert_eq!(
        imaps["targets"][0]["url"],
        "https://smtp.office365.com:993/"
    );
    // Blocks are listed on each port, never probed.
    let block = find("13.107.6.152/31", 443);
    assert_eq!(block["kind"], "addresses");
    assert_eq!(block["status"], "not_probed");
    assert!(
        block["reason"].as_str().unwrap().contains("address block"),
        "{block}"
    );
    // A UDP-only set: its blocks and its URL listed with the reason.
    let media = entries
        .iter()
        .find(|e| e["target"] == "media.teams.example")
        .unwrap();
    assert_eq!(media["udp_ports"], "3478-3481");
    assert!(
        media["reason"].as_str().unwrap().contains("UDP only"),
        "{media}"
    );
    let udp_block = entries
        .iter()
        .find(|e| e["target"] == "13.107.64.0/18")
        .unwrap();
    assert_eq!(udp_block["udp_ports"], "3478-3481");
    // The per-tenant pattern is a wildcard, not prose.
    let tenant = find("autodiscover.*.onmicrosoft.com", 443);
    assert_eq!(tenant["kind"], "url");
    assert_eq!(tenant["wildcard"], true);
    // A set with TCP and UDP ports says the UDP ones are not probed.
    assert!(
        find("teams.microsoft.com", 443)["comments"]
            .as_str()
            .unwrap()
            .contains("also UDP 3478-3481 (not probed)")
    );
    let summary = &listed["summary"];
    assert_eq!(summary["address_blocks"], 7, "{summary}");
    assert_eq!(summary["udp_only"], 1, "{summary}");
    assert_eq!(summary["prose"], 0, "{summary}");
    // Every entry names the set's line and id.
    assert!(
        https["source"]
            .as_str()
            .unwrap()
            .starts_with("worldwide.json:2#")
    );
    assert_eq!(https["section"], "id 1");

    // The CSV form reads as the same catalog.
    let from_csv = feed_listing(&as_csv);
    let same = |v: &serde_json::Value| -> Vec<String> {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {} {} {} {} {}",
                    e["target"],
                    e["port"],
                    e["kind"],
                    e["category"],
                    e["service"],
                    e["requirement"],
                    e["status"],
                    e["targets"]
                )
            })
            .collect()
    };
    assert_eq!(same(&listed), same(&from_csv));
    assert_eq!(from_csv["entries"][0]["source"], "worldwide.csv:2#1");
}

#[test]
fn microsoft_365_feeds_diff_and_export_with_their_categories_and_blocks() {
    use pathprobe_tests::m365;
    let dir = tempfile::tempdir().unwrap();
    let old_sets = m365::feed_sets();
    let mut new_sets = old_sets.clone();
    // The next version: a set moves from Optimize to Allow, a URL goes, a
    // block is added.
    new_sets[0]["category"] = "Allow".into();
    new_sets[4]["urls"] = serde_json::json!(["*.lync.com"]);
    new_sets[2]["ips"] = serde_json::json!(["40.92.0.0/15", "40.107.0.0/16"]);
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.csv");
    fs::write(&old, m365::json_feed(&old_sets)).unwrap();
    fs::write(&new, m365::csv_feed(&new_sets)).unwrap();
    let out = run([
        "urls".as_ref(),
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let changes = v["changes"].as_array().unwrap();
    let of = |kind: &str| -> Vec<String> {
        changes
            .iter()
            .filter(|c| c["kind"] == kind)
            .map(|c| format!("{}:{}", c["target"].as_str().unwrap(), c["port"]))
            .collect()
    };
    assert_eq!(of("added"), ["40.107.0.0/16:25"], "{v}");
    assert_eq!(
        of("removed"),
        ["teams.microsoft.com:80", "teams.microsoft.com:443"],
        "{v}"
    );
    // Both URLs and both blocks of the set, on both ports.
    assert_eq!(of("changed").len(), 8, "{v}");
    let moved = changes.iter().find(|c| c["kind"] == "changed").unwrap();
    assert_eq!(moved["fields"][0]["field"], "category");
    assert_eq!(moved["fields"][0]["old"], "Optimize");
    assert_eq!(moved["fields"][0]["new"], "Allow");

    // Export: the category kept, the blocks listed where addresses go.
    let export = |format: &str| {
        run([
            "urls".as_ref(),
            "export".as_ref(),
            old.as_os_str(),
            "--as".as_ref(),
            format.as_ref(),
        ])
    };
    let csv = stdout(&export("csv"));
    assert!(
        csv.contains("outlook.office.com,443,https,,Optimize,WW,true,"),
        "{csv}"
    );
    assert!(
        csv.contains("13.107.64.0/18,3478-3481,udp,,Optimize,WW,true,"),
        "{csv}"
    );
    assert!(
        csv.contains("2603:1006::/40,443,tcp,,Optimize,WW,true,"),
        "{csv}"
    );
    // The UDP-only host is not turned into a TCP rule.
    assert!(!csv.contains("media.teams.example"), "{csv}");
    let out = export("domains");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let domains = stdout(&out);
    assert!(!domains.contains("13.107."), "{domains}");
    assert!(domains.contains("\n*.onmicrosoft.com\n"), "{domains}");
    let said = stderr(&out);
    assert!(said.contains("7 address blocks left out"), "{said}");
    assert_eq!(
        said.matches("cannot put a * inside a name").count(),
        1,
        "{said}"
    );
    assert!(
        said.contains("\"media.teams.example\" is reached over UDP only"),
        "{said}"
    );
    let ticket = stdout(&export("text"));
    assert!(
        ticket.contains("  13.107.6.152/31 TCP 80, TCP 443\n"),
        "{ticket}"
    );
    assert!(
        ticket.contains("  52.112.0.0/14 UDP 3478-3481\n"),
        "{ticket}"
    );
}

#[test]
fn several_catalogs_list_as_one_naming_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = dir.path().join("vendor.csv");
    fs::write(
        &vendor,
        "URL,Category\nhttps://a.example.com/,Vendor\nb.example.com,Vendor\n",
    )
    .unwrap();
    let internal = dir.path().join("internal.txt");
    fs::write(&internal, "a.example.com:443\nc.example.com\n").unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        vendor.as_os_str(),
        internal.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let v = json(&out);
    let targets: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        ["https://a.example.com", "b.example.com", "c.example.com"]
    );
    assert_eq!(v["entries"][0]["source"], "vendor.csv:2");
    assert_eq!(v["entries"][0]["also"][0], "internal.txt:1");
    assert_eq!(v["entries"][2]["source"], "internal.txt:2");
    assert_eq!(v["summary"]["in_several_catalogs"], 1);
    assert_eq!(v["catalog"]["name"], "vendor.csv + internal.txt");

    // A hard link to a catalog is that catalog: read once.
    let linked = dir.path().join("linked.csv");
    fs::hard_link(&vendor, &linked).unwrap();
    let out = run([
        "urls".as_ref(),
        "list".as_ref(),
        vendor.as_os_str(),
        linked.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(
        stderr(&out).contains("given more than once: read once"),
        "{}",
        stderr(&out)
    );
    assert_eq!(json(&out)["summary"]["in_several_catalogs"], 0);
}

/// A catalog server on loopback: serves `body` with an ETag and a
/// Last-Modified, answers 304 to a request that names the current ETag,
/// and counts both answers.
struct CatalogServer {
    port: u16,
    body: std::sync::Arc<std::sync::Mutex<(String, String)>>,
    full: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    not_modified: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl CatalogServer {
    fn start(body: &str, etag: &str) -> CatalogServer {
        use std::io::{Read as _, Write as _};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = CatalogServer {
            port,
            body: std::sync::Arc::new(std::sync::Mutex::new((body.into(), etag.into()))),
            full: Default::default(),
            not_modified: Default::default(),
            stop: Default::default(),
        };
        let (body, full, not_modified, stop) = (
            server.body.clone(),
            server.full.clone(),
            server.not_modified.clone(),
            server.stop.clone(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                if stop.load(Ordering::SeqCst) {
                    // Gone: the connection is dropped unanswered.
                    continue;
                }
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let request = String::from_utf8_lossy(&request).to_ascii_lowercase();
                let (text, etag) = body.lock().unwrap().clone();
                let asked = request
                    .lines()
                    .find_map(|l| l.strip_prefix("if-none-match:"))
                    .map(|v| v.trim().to_owned());
                let answer = if asked.as_deref() == Some(etag.to_ascii_lowercase().as_str()) {
                    not_modified.fetch_add(1, Ordering::SeqCst);
                    format!(
                        "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                    )
                } else {
                    full.fetch_add(1, Ordering::SeqCst);
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nETag: {etag}\r\nLast-Modified: Mon, 30 Nov 2026 05:00:00 GMT\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                        text.len()
                    )
                };
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        server
    }

    fn counts(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering;
        (
            self.full.load(Ordering::SeqCst),
            self.not_modified.load(Ordering::SeqCst),
        )
    }
}

#[test]
fn a_catalog_by_url_is_downloaded_again_only_when_it_changed() {
    let cache = tempfile::tempdir().unwrap();
    let server = CatalogServer::start("URL,Category\na.example.com,One\n", "\"v1\"");
    let url = format!(
        "http://127.0.0.1:{}/lists/endpoints.csv?token=S3CRET",
        server.port
    );
    let list = || {
        pathprobe_tests::Pathprobe::new(["urls", "list", &url, "--format", "json"])
            .env("XDG_CACHE_HOME", cache.path().to_str().unwrap())
            .env("HOME", cache.path().to_str().unwrap())
            .output()
    };
    let first = list();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(server.counts(), (1, 0));
    let v = json(&first);
    assert_eq!(v["entries"][0]["target"], "a.example.com");
    // Named by its URL, the token kept out, with the server's validators.
    let origin = v["catalog"]["fetched"].as_str().unwrap();
    assert!(
        origin.contains("/lists/endpoints.csv") && origin.contains("ETag \"v1\""),
        "{origin}"
    );
    assert!(origin.contains("downloaded "), "{origin}");
    assert!(!stdout(&first).contains("S3CRET"), "{}", stdout(&first));
    // Named by the whole URL without its query: the token stays out.
    assert_eq!(
        v["entries"][0]["source"],
        format!("http://127.0.0.1:{}/lists/endpoints.csv:2", server.port)
    );

    // A scheduled run: the server says nothing changed (a 304), the cached
    // copy is read.
    let second = list();
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(server.counts(), (1, 1));
    let origin = json(&second)["catalog"]["fetched"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(origin.contains("not modified since"), "{origin}");
    assert_eq!(stderr(&second), "");
    // The check report names the source and its validators too.
    let dns = pathprobe_tests::lab::dns_server().to_string();
    let (report, out) = pathprobe_tests::Pathprobe::new([
        "check",
        &url,
        "--only-given",
        "--no-env",
        "--direct",
        "--format",
        "json",
        "--dns-server",
        &dns,
        "--category",
        "no such category",
    ])
    .env("XDG_CACHE_HOME", cache.path().to_str().unwrap())
    .json();
    let named = report["catalog"].as_str().unwrap_or_default();
    assert!(
        named.contains("/lists/endpoints.csv") && named.contains("ETag \"v1\""),
        "{named}\n{}",
        stderr(&out)
    );
    assert_eq!(server.counts(), (1, 2));

    // The list changes: downloaded again.
    *server.body.lock().unwrap() = (
        "URL,Category\na.example.com,One\nb.example.com,Two\n".into(),
        "\"v2\"".into(),
    );
    let third = list();
    assert_eq!(server.counts(), (2, 2));
    assert_eq!(json(&third)["entries"].as_array().unwrap().len(), 2);

    // The server gone: the cached copy, with a warning saying so.
    server.stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let fourth = list();
    assert_eq!(fourth.status.code(), Some(0), "{}", stderr(&fourth));
    assert_eq!(json(&fourth)["entries"].as_array().unwrap().len(), 2);
    let said = stderr(&fourth);
    assert!(
        said.contains("cannot be fetched") && said.contains("using the copy cached"),
        "{said}"
    );
    assert!(!said.contains("S3CRET"), "{said}");
    let named = json(&fourth)["catalog"]["fetched"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(named.contains("not fetched now ("), "{named}");

    // Round 20. The copy changed since it was saved: not used, and said
    // so (it was "no copy of it is cached").
    let copy = fs::read_dir(cache.path().join("pathprobe").join("catalogs"))
        .or_else(|_| fs::read_dir(cache.path().join("pathprobe")))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_none_or(|e| e != "json"))
        .expect("the cached copy");
    fs::write(
        &copy,
        "URL,Category
evil.example.com,One
",
    )
    .unwrap();
    let fifth = list();
    assert_eq!(fifth.status.code(), Some(2), "{}", stderr(&fifth));
    assert!(
        stderr(&fifth).contains("its cached copy is not used: it no longer matches the SHA-256"),
        "{}",
        stderr(&fifth)
    );

    // Nothing cached and nothing answering: exit 2, naming the URL.
    let empty = tempfile::tempdir().unwrap();
    let out = pathprobe_tests::Pathprobe::new(["urls", "list", &url])
        .env("XDG_CACHE_HOME", empty.path().to_str().unwrap())
        .output();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no copy of it is cached"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_catalog_by_url_is_size_limited_and_goes_direct_unless_told() {
    // Bigger than any catalog: refused while it is read.
    let big = "URL\n".to_owned() + &"a.example.com\n".repeat(3_000_000);
    let server = CatalogServer::start(&big, "\"big\"");
    let cache = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}/big.csv", server.port);
    let out = pathprobe_tests::Pathprobe::new(["urls", "list", &url])
        .env("XDG_CACHE_HOME", cache.path().to_str().unwrap())
        .output();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("larger than"), "{}", stderr(&out));

    // A proxy in the environment is not used for the catalog; one given
    // with --catalog-proxy is.
    let small = CatalogServer::start("URL\nc.example.com\n", "\"s\"");
    let url = format!("http://127.0.0.1:{}/small.csv", small.port);
    let dead_proxy = pathprobe_tests::closed_port();
    let proxy = format!("http://127.0.0.1:{dead_proxy}");
    let out = pathprobe_tests::Pathprobe::new(["urls", "list", &url])
        .env("XDG_CACHE_HOME", cache.path().to_str().unwrap())
        .env("http_proxy", &proxy)
        .env("HTTP_PROXY", &proxy)
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let other_cache = tempfile::tempdir().unwrap();
    let out = pathprobe_tests::Pathprobe::new(["urls", "list", &url, "--catalog-proxy", &proxy])
        .env("XDG_CACHE_HOME", other_cache.path().to_str().unwrap())
        .output();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot be fetched")
            && stderr(&out).contains(&format!("the catalog proxy {proxy}/ cannot be reached")),
        "{}",
        stderr(&out)
    );
}

/// A loopback server answering every request with `reply` and keeping the
/// request heads it was sent.
fn recording(reply: String) -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = heads.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            kept.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&request).into_owned());
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (port, heads)
}

/// Round 14. A catalog by URL: a redirect carries no Referer (the first
/// URL's token) to the next server; an answer that is not a catalog (an
/// HTML page, an empty body) never replaces the last good copy; a cached
/// copy changed on disk is fetched again whole; a cache that cannot be
/// made is no reason to stop; other schemes are refused naming the
/// argument; the same list given twice is read once; lists of the same
/// file name on two servers stay apart.
#[test]
fn a_catalog_by_url_keeps_its_last_good_copy_and_its_secrets() {
    let (target, heads) = recording(
        "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 18\r\nConnection: close\r\n\r\nURL\na.example.com\n"
            .to_owned(),
    );
    let (redirector, _) = recording(format!(
        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{target}/list.csv\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    ));
    let cache = tempfile::tempdir().unwrap();
    let with_cache = |args: &[&str]| {
        pathprobe_tests::Pathprobe::new(args.iter().copied())
            .env("XDG_CACHE_HOME", cache.path().to_str().unwrap())
            .output()
    };
    let first = format!("http://127.0.0.1:{redirector}/go?token=T0KEN");
    let out = with_cache(&["urls", "list", &first]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let seen = heads.lock().unwrap().join("\n").to_ascii_lowercase();
    assert!(!seen.contains("referer"), "{seen}");
    assert!(!seen.contains("t0ken"), "{seen}");

    // A good copy cached, then the server answers with a login page.
    let server = CatalogServer::start("URL\nb.example.com\n", "\"good\"");
    let url = format!("http://127.0.0.1:{}/list.csv", server.port);
    assert_eq!(with_cache(&["urls", "list", &url]).status.code(), Some(0));
    *server.body.lock().unwrap() = (
        "<!DOCTYPE html><html><body>Login required</body></html>".into(),
        "\"login\"".into(),
    );
    let out = with_cache(&["urls", "list", &url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["entries"][0]["target"], "b.example.com");
    assert!(
        stderr(&out).contains("an HTML page, not a catalog"),
        "{}",
        stderr(&out)
    );
    // An empty body reads as no catalog: the good copy again, said so.
    *server.body.lock().unwrap() = (String::new(), "\"empty\"".into());
    let out = with_cache(&["urls", "list", &url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["entries"][0]["target"], "b.example.com");
    assert!(stderr(&out).contains("is not usable"), "{}", stderr(&out));

    // The cached body changed on disk: not used, fetched again whole.
    *server.body.lock().unwrap() = ("URL\nb.example.com\n".into(), "\"good\"".into());
    let catalogs = cache.path().join("pathprobe/catalogs");
    for entry in std::fs::read_dir(&catalogs).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "csv") {
            std::fs::write(entry.path(), "URL\nplanted.example.com\n").unwrap();
        }
    }
    let (full, _) = server.counts();
    let out = with_cache(&["urls", "list", &url, "--format", "json"]);
    assert_eq!(json(&out)["entries"][0]["target"], "b.example.com");
    assert_eq!(server.counts().0, full + 1);

    // No cache to be had: fetched for this run only, said so.
    let blocked = tempfile::tempdir().unwrap();
    std::fs::write(blocked.path().join("pathprobe"), "a file").unwrap();
    let out = pathprobe_tests::Pathprobe::new(["urls", "list", &url])
        .env("XDG_CACHE_HOME", blocked.path().to_str().unwrap())
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("fetched for this run only")
            && stderr(&out).contains("a part of its path is not a directory"),
        "{}",
        stderr(&out)
    );
    // The cache's own name held by a file: said in words, not "File exists".
    let held = tempfile::tempdir().unwrap();
    std::fs::create_dir(held.path().join("pathprobe")).unwrap();
    std::fs::write(held.path().join("pathprobe").join("catalogs"), "a file").unwrap();
    let out = pathprobe_tests::Pathprobe::new(["urls", "list", &url])
        .env("XDG_CACHE_HOME", held.path().to_str().unwrap())
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("something that is not a directory has its name"),
        "{}",
        stderr(&out)
    );

    // Other schemes are not read as file names.
    let out = with_cache(&["urls", "list", "ftp://127.0.0.1/list.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("only http:// and https:// catalogs"),
        "{}",
        stderr(&out)
    );

    // Given twice: read once. The same name on another server: apart.
    let other = CatalogServer::start("URL\nb.example.com\n", "\"other\"");
    let other_url = format!("http://127.0.0.1:{}/list.csv", other.port);
    let out = with_cache(&["urls", "list", &url, &url, &other_url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("given more than once: read once"));
    let v = json(&out);
    assert_eq!(v["entries"].as_array().unwrap().len(), 1, "{v:#}");
    assert_eq!(v["entries"][0]["source"], format!("{url}:2"));
    assert_eq!(v["entries"][0]["also"][0], format!("{other_url}:2"));
    // Spelt another way, it is the same URL: the scheme in capitals, an
    // empty fragment or query.
    for twin in [
        url.replacen("http://", "HTTP://", 1),
        format!("{url}#"),
        format!("{url}?"),
    ] {
        let out = with_cache(&["urls", "list", &url, &twin, "--format", "json"]);
        assert!(
            stderr(&out).contains("given more than once: read once"),
            "{twin}: {}",
            stderr(&out)
        );
        assert_eq!(json(&out)["entries"].as_array().unwrap().len(), 1, "{twin}");
    }
}

/// Round 14. A file name holding a line break is shown with it written
/// out, in errors and in the summary: never a message cut in two.
#[test]
fn a_file_name_with_a_line_break_is_shown_whole() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("ab\ncd.csv");
    fs::write(&bad, [0u8, 1, 2, 3]).unwrap();
    let out = run(["urls".as_ref(), "list".as_ref(), bad.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ab<U+000A>cd.csv"),
        "{}",
        stderr(&out)
    );
    let missing = dir.path().join("none\nzz.csv");
    let out = run(["urls".as_ref(), "list".as_ref(), missing.as_os_str()]);
    assert!(
        stderr(&out).contains("none<U+000A>zz.csv"),
        "{}",
        stderr(&out)
    );
    let good = dir.path().join("loc\nFAKE.txt");
    fs::write(&good, "a.example.com\n").unwrap();
    let out = run(["urls".as_ref(), "list".as_ref(), good.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(summary.contains("from loc<U+000A>FAKE.txt:"), "{summary}");
    assert!(!summary.lines().any(|l| l.starts_with("FAKE")), "{summary}");
}

/// Round 16. `urls diff` reads a catalog by URL as `urls list` does, and
/// names it without its query values or fragment.
#[test]
fn urls_diff_compares_a_catalog_by_url() {
    let server = CatalogServer::start("a.example.com\nb.example.com\n", "\"v1\"");
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.txt");
    fs::write(&newer, "a.example.com\nc.example.com\n").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/list.txt?x=PLAINSECRET2#frag=FRAGSECRET4",
        server.port
    );
    let out = pathprobe_tests::Pathprobe::new([
        "urls",
        "diff",
        &url,
        newer.to_str().unwrap(),
        "--format",
        "json",
    ])
    .env("XDG_CACHE_HOME", dir.path().join("cache").to_str().unwrap())
    .output();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !all.contains("PLAINSECRET2") && !all.contains("FRAGSECRET4"),
        "{all}"
    );
    let v = json(&out);
    let changes = v.to_string();
    assert!(
        changes.contains("b.example.com") && changes.contains("c.example.com"),
        "{v:#}"
    );
}

/// Round 16. A catalog server that echoes the request it got into the
/// catalog: the URL's query values stay out of every output, whatever
/// their parameters are called.
#[test]
fn a_catalog_url_echoed_back_keeps_its_query_values_out() {
    let port = pathprobe_tests::answering_by(|head| {
        let line = head.lines().next().unwrap_or_default();
        let body = format!("a.example.com\nrequested {line}\n");
        format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    });
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/list.txt?x=QVALsecret8&skoid=SKOIDvalue9");
    for format in ["table", "json"] {
        let out = pathprobe_tests::Pathprobe::new(["urls", "list", &url, "--format", format])
            .env("XDG_CACHE_HOME", dir.path().join("cache").to_str().unwrap())
            .output();
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(all.contains("requested GET"), "the echo is listed: {all}");
        for secret in ["QVALsecret8", "SKOIDvalue9"] {
            assert!(!all.contains(secret), "{format}: {all}");
        }
    }
}

/// Round 18. `check` finds a catalog URL's server through its own DNS:
/// the names `--resolve` pins (the system's resolver was asked, leaking
/// the name and answering for another network).
#[test]
fn check_fetches_a_catalog_through_its_own_dns() {
    let closed = pathprobe_tests::closed_port();
    let body = format!("https://127.0.0.1:{closed}/\n");
    let port = pathprobe_tests::serve_http(Some("text/plain"), body.into_bytes());
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://catsrv.pathprobe-pinned.test:{port}/list.txt");
    let out = pathprobe_tests::Pathprobe::new([
        "check",
        &url,
        "--only-given",
        "--no-env",
        "--no-config",
        "--no-control",
        "--resolve",
        "catsrv.pathprobe-pinned.test=127.0.0.1",
        "--format",
        "json",
    ])
    .env("XDG_CACHE_HOME", dir.path().to_str().unwrap())
    .output();
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!(
        v["results"][0]["url"],
        format!("https://127.0.0.1:{closed}/"),
        "{}",
        stderr(&out)
    );
}

/// Round 16. A catalog URL redirecting to `file:` or `ftp:`, redirecting
/// in a loop, or answering with a compressed body nobody asked for: each
/// said in words, exit 2.
#[test]
fn catalog_redirects_and_encodings_are_said_in_words() {
    let port = pathprobe_tests::answering_by(|head| {
        let path = head.split_whitespace().nth(1).unwrap_or("/");
        if path.starts_with("/file") {
            b"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n"
                .to_vec()
        } else if path.starts_with("/ftp") {
            b"HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/list.txt\r\nContent-Length: 0\r\n\r\n"
                .to_vec()
        } else if path.starts_with("/cut") {
            // The body stops at 11 of 1,000 bytes: the connection closes.
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nhttps://a.e".to_vec()
        } else if path.starts_with("/gz") {
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00".to_vec()
        } else {
            format!("HTTP/1.1 302 Found\r\nLocation: /loop{path}\r\nContent-Length: 0\r\n\r\n")
                .into_bytes()
        }
    });
    let dir = tempfile::tempdir().unwrap();
    for (path, words) in [
        ("/file", "a redirect to file:, which is not followed"),
        ("/ftp", "a redirect to ftp:, which is not followed"),
        ("/loop", "more than 5 redirects"),
        (
            "/gz",
            "Content-Encoding: gzip, though no compression was asked for",
        ),
        ("/cut", "the answer stopped before its end"),
    ] {
        let url = format!("http://127.0.0.1:{port}{path}");
        let out = pathprobe_tests::Pathprobe::new(["urls", "list", &url])
            .env("XDG_CACHE_HOME", dir.path().to_str().unwrap())
            .output();
        assert_eq!(out.status.code(), Some(2), "{path}: {}", stderr(&out));
        assert!(stderr(&out).contains(words), "{path}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("error decoding"),
            "{path}: {}",
            stderr(&out)
        );
    }
}

/// Round 18. A date typed into the port column is a date, never Excel's
/// serial number as a port (2024-01-01 became port 45292).
#[test]
fn a_date_in_the_port_column_is_no_port() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dated.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 1).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(0, 0, "URL").unwrap();
    sheet.write_string(0, 1, "Port").unwrap();
    sheet.write_string(1, 0, "pd.example.com").unwrap();
    sheet
        .write_datetime_with_format(1, 1, &date, &format)
        .unwrap();
    book.save(&path).unwrap();
    let out = run(["urls", "list", path.to_str().unwrap(), "--format", "json"]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains("45292"), "{all}");
    assert!(all.contains("2024-01-01\\\" is not a port"), "{all}");
}

/// Round 18. A geography cell naming several locations: with WW among
/// them the row is needed everywhere, otherwise it is said; a --geo no row
/// is for is said too (both dropped rows silently).
#[test]
fn geographies_that_select_nothing_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("geo.csv");
    std::fs::write(
        &file,
        "URL,Geography\nhttps://a.example/,WW\nhttps://b.example/,EU\nhttps://d.example/,\"WW, EU\"\nhttps://e.example/,\"EU, UK\"\n",
    )
    .unwrap();
    let out = run([
        "urls",
        "list",
        file.to_str().unwrap(),
        "--geo",
        "US",
        "--format",
        "csv",
    ]);
    let listed = stdout(&out);
    assert!(listed.contains("https://d.example"), "{listed}");
    assert!(!listed.contains("https://b.example"), "{listed}");
    let err = stderr(&out);
    assert!(
        err.contains("--geo \"US\": no row of the catalog is for it"),
        "{err}"
    );
    assert!(
        err.contains("line 5: the geography \"EU, UK\" names 2 locations"),
        "{err}"
    );
}

/// Round 18. An OpenDocument file with a part missing, or with content cut
/// short, says which (the library said "Cannot detect file format").
#[test]
fn a_damaged_ods_says_what_is_wrong() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let ods = |name: &str, members: &[(&str, &str)]| {
        let path = dir.path().join(name);
        let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for (member, text) in members {
            w.start_file(*member, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap();
        path
    };
    let mime = ("mimetype", "application/vnd.oasis.opendocument.spreadsheet");
    let manifest = (
        "META-INF/manifest.xml",
        "<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>",
    );
    let no_content = ods("no-content.ods", &[mime, manifest]);
    let out = run(["urls", "list", no_content.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("its part content.xml is missing"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("Cannot detect"), "{}", stderr(&out));
}

/// Round 16. A workbook whose cell points past its shared-string table:
/// the error names the sheet and where the reading stopped, in words of
/// the file (round 19: calamine's "Cell string index not found in shared
/// strings table", and a line that was the row before the damaged cell).
/// An entity XML does not have (`&nbsp;`) is named as that, not as the
/// XML parser's "unrecognized entity".
#[test]
fn a_damaged_cell_is_named_by_its_sheet_and_place() {
    use std::io::{Read as _, Write as _};
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Endpoints").unwrap();
    sheet.write_string(0, 0, "URL").unwrap();
    sheet.write_string(1, 0, "a.example.com").unwrap();
    sheet.write_string(2, 0, "b.example.com").unwrap();
    book.save(&good).unwrap();
    let damage = |file: &str, part: &str, edit: &dyn Fn(String) -> String| {
        let damaged = dir.path().join(file);
        let mut from = zip::ZipArchive::new(fs::File::open(&good).unwrap()).unwrap();
        let mut to = zip::ZipWriter::new(fs::File::create(&damaged).unwrap());
        for i in 0..from.len() {
            let mut member = from.by_index(i).unwrap();
            let name = member.name().unwrap().into_owned();
            let mut text = Vec::new();
            member.read_to_end(&mut text).unwrap();
            if name == part {
                text = edit(String::from_utf8(text).unwrap()).into_bytes();
            }
            to.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            to.write_all(&text).unwrap();
        }
        to.finish().unwrap();
        let out = run(["urls", "list", damaged.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        stderr(&out)
    };
    // The third string cell now points at string 99 of a table of three.
    let err = damage("damaged.xlsx", "xl/worksheets/sheet1.xml", &|xml| {
        let at = xml.rfind("<v>2</v>").expect("the third string cell");
        format!("{}<v>99</v>{}", &xml[..at], &xml[at + 8..])
    });
    // Named by its own cell (round 21: by the cell read before it).
    assert!(
        err.contains("damaged.xlsx")
            && err.contains("cell A3")
            && err.contains("it points at shared text number 99 and the workbook has 3")
            && !err.contains("Cell string index"),
        "{err}"
    );
    // An index that is no number was read as string 0 (round 21): the
    // cell is named, not read as a URL the file does not hold.
    for (n, index) in ["-1", "1e0", " 1 "].iter().enumerate() {
        let err = damage(
            &format!("index{n}.xlsx"),
            "xl/worksheets/sheet1.xml",
            &|xml| {
                let at = xml.rfind("<v>2</v>").expect("the third string cell");
                format!("{}<v>{index}</v>{}", &xml[..at], &xml[at + 8..])
            },
        );
        assert!(
            err.contains(&format!("index{n}.xlsx"))
                && err.contains("cell A3")
                && err.contains(&format!(
                    "shared-text index \"{index}\" is not a whole number"
                )),
            "{err}"
        );
    }
    // A port split by an entity was read as its first piece (4&#52;3 as 4).
    let err = damage("split.xlsx", "xl/worksheets/sheet1.xml", &|xml| {
        let at = xml.rfind("</row>").expect("a row");
        format!("{}<c r=\"B3\"><v>4&#52;3</v></c>{}", &xml[..at], &xml[at..])
    });
    assert!(
        err.contains("cell B3") && err.contains("would not be read whole"),
        "{err}"
    );
    let err = damage("entity.xlsx", "xl/sharedStrings.xml", &|xml| {
        xml.replacen("a.example.com", "a&nbsp;.example.com", 1)
    });
    assert!(
        err.contains("entity.xlsx")
            && err.contains("the entity \"&nbsp;\", which XML does not define"),
        "{err}"
    );
    assert!(
        !err.contains("unrecognized") && !err.contains("Xml error"),
        "{err}"
    );
}

/// Round 16. The cache's record of a catalog by URL is an input too: no
/// output may replace it.
#[test]
fn an_output_cannot_replace_a_cached_catalogs_record() {
    let server = CatalogServer::start("http://127.0.0.1:9/\n", "\"v1\"");
    let cache = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}/list.txt", server.port);
    let with_cache = |args: &[&str]| {
        pathprobe_tests::Pathprobe::new(args.iter().copied())
            .env("XDG_CACHE_HOME", cache.path().to_str().unwrap())
            .output()
    };
    let out = with_cache(&["urls", "list", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let record = fs::read_dir(cache.path().join("pathprobe").join("catalogs"))
        .or_else(|_| fs::read_dir(cache.path().join("pathprobe")))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("the cache record");
    let before = fs::read(&record).unwrap();
    let spec = format!("json={}", record.display());
    let out = with_cache(&[
        "check",
        &url,
        "--only-given",
        "--no-env",
        "--no-config",
        "--direct",
        "--output",
        &spec,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the catalog's cache record"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(&record).unwrap(), before);
}

/// Round 16. A `*` inside a path is a pattern, not a character to request:
/// the probe asks for the part before it.
#[test]
fn a_star_inside_a_path_is_not_requested() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    fs::write(&list, "a.example.test/**\nb.example.test/x/*/y\n").unwrap();
    let out = run(["urls", "list", list.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let probed: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["targets"][0]["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        probed,
        ["https://a.example.test/", "https://b.example.test/x/"]
    );
}

/// Round 19. A sheet the workbook hides (a lookup table, rows the author
/// retired) is not read, and said; `--sheet` reads it. Hidden sheets were
/// read as if shown.
#[test]
fn a_hidden_sheet_is_said_and_read_only_when_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hidden.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let shown = book.add_worksheet().set_name("Endpoints").unwrap();
    shown.write_string(0, 0, "URL").unwrap();
    shown.write_string(0, 1, "Category").unwrap();
    shown.write_string(1, 0, "shown.example.com").unwrap();
    let retired = book.add_worksheet().set_name("Retired").unwrap();
    retired.write_string(0, 0, "URL").unwrap();
    retired.write_string(0, 1, "Category").unwrap();
    retired.write_string(1, 0, "retired.example.com").unwrap();
    retired.set_hidden(true);
    book.save(&path).unwrap();
    let list = |extra: &[&str]| {
        let mut args = vec!["urls", "list", path.to_str().unwrap(), "--format", "json"];
        args.extend_from_slice(extra);
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        (stdout(&out), stderr(&out))
    };
    let (text, _) = list(&[]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entries = v["entries"].to_string();
    assert!(
        entries.contains("shown.example.com") && !entries.contains("retired.example.com"),
        "{v:#}"
    );
    let notice = &v["notices"][0];
    assert!(
        notice["location"]
            .as_str()
            .unwrap()
            .ends_with("sheet \"Retired\"")
            && notice["message"]
                == "hidden in the workbook: not read; --sheet \"Retired\" reads it",
        "{v:#}"
    );
    let (text, _) = list(&["--sheet", "Retired"]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entries = v["entries"].to_string();
    assert!(
        entries.contains("retired.example.com") && !entries.contains("shown.example.com"),
        "{v:#}"
    );
}

/// A one-sheet workbook ("S1": URL, Category; a.example.com) with one part
/// replaced by what `edit` makes of it.
fn edited_workbook(dir: &Path, name: &str, part: &str, edit: &dyn Fn(String) -> String) -> PathBuf {
    use std::io::{Read as _, Write as _};
    let good = dir.join(format!("good-{name}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("S1").unwrap();
    sheet.write_string(0, 0, "URL").unwrap();
    sheet.write_string(0, 1, "Category").unwrap();
    sheet.write_string(1, 0, "a.example.com").unwrap();
    sheet.write_string(1, 1, "x").unwrap();
    book.save(&good).unwrap();
    let path = dir.join(name);
    let mut from = zip::ZipArchive::new(fs::File::open(&good).unwrap()).unwrap();
    let mut to = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    for i in 0..from.len() {
        let mut member = from.by_index(i).unwrap();
        let member_name = member.name().unwrap().into_owned();
        let mut text = Vec::new();
        member.read_to_end(&mut text).unwrap();
        if member_name == part {
            text = edit(String::from_utf8(text).unwrap()).into_bytes();
        }
        to.start_file(member_name, zip::write::SimpleFileOptions::default())
            .unwrap();
        to.write_all(&text).unwrap();
    }
    to.finish().unwrap();
    path
}

/// Round 20. Workbooks that say something other than what was read: a
/// row written twice (the first was dropped unseen), a sheet whose data is
/// missing ("no sheet named"), a cell showing a failed formula ("not a host
/// name"); and Excel's `sep=;` first line, which names the separator.
#[test]
fn workbook_oddities_are_said_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let twice = edited_workbook(
        dir.path(),
        "twice.xlsx",
        "xl/worksheets/sheet1.xml",
        &|xml| {
            let row =
                "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>b.example.com</t></is></c></row>";
            xml.replacen("</sheetData>", &format!("{row}</sheetData>"), 1)
        },
    );
    let out = run(["urls", "list", twice.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("sheet \"S1\", row 2: cell A2 is written twice"),
        "{}",
        stderr(&out)
    );
    let missing = edited_workbook(
        dir.path(),
        "missing.xlsx",
        "xl/_rels/workbook.xml.rels",
        &|xml| xml.replace("worksheets/sheet1.xml", "worksheets/sheet9.xml"),
    );
    let out = run(["urls", "list", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("lists this sheet, but its data is missing from the file"),
        "{}",
        stderr(&out)
    );
    let failed = edited_workbook(
        dir.path(),
        "failed.xlsx",
        "xl/worksheets/sheet1.xml",
        &|xml| {
            let at = xml.find("<c r=\"A2\"").expect("A2");
            let end = at + xml[at..].find("</c>").expect("A2 ends") + 4;
            format!(
                "{}<c r=\"A2\" t=\"e\"><f>B9/0</f><v>#REF!</v></c>{}",
                &xml[..at],
                &xml[end..]
            )
        },
    );
    let out = run(["urls", "list", failed.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "the cell shows the spreadsheet error #REF!: its formula failed in the workbook"
        ),
        "{}",
        stdout(&out)
    );
    let excel = dir.path().join("excel.csv");
    fs::write(
        &excel,
        "sep=;\r\nURL;Category\r\nhttps://a.example.com/;x\r\n",
    )
    .unwrap();
    let out = run(["urls", "list", excel.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["entries"][0]["target"], "https://a.example.com", "{v:#}");
    assert_eq!(v["entries"][0]["category"], "x", "{v:#}");
}

/// Round 20. HTTP clients' failures in words: a server that refuses the
/// connection ("tcp connect error: Connection refused (os error 111)"), a
/// body cut before its announced length ("end of file before message
/// length reached"), and `--push` to a gateway that is not there ("error
/// sending request", no cause).
#[test]
fn fetch_failures_are_said_in_words() {
    let cache = tempfile::tempdir().unwrap();
    let list = |url: &str| {
        pathprobe_tests::Pathprobe::new(["urls", "list", url])
            .env("XDG_CACHE_HOME", cache.path().to_str().unwrap())
            .output()
    };
    let closed = pathprobe_tests::closed_port();
    let out = list(&format!("http://127.0.0.1:{closed}/list.txt"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot connect: the server refused the connection")
            && !stderr(&out).contains("os error"),
        "{}",
        stderr(&out)
    );
    let short = pathprobe_tests::answering(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 500\r\nConnection: close\r\n\r\na.example.com\n",
    );
    let out = list(&format!("http://127.0.0.1:{short}/list.txt"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the connection closed before the length the server announced")
            && !stderr(&out).contains("end of file"),
        "{}",
        stderr(&out)
    );
    let dir = tempfile::tempdir().unwrap();
    let catalog = pathprobe_tests::write_catalog(dir.path(), &["https://sink.lab.test/"]);
    let dns = pathprobe_tests::lab::dns_server().to_string();
    let out = run([
        "check",
        catalog.to_str().unwrap(),
        "--only-given",
        "--no-env",
        "--no-config",
        "--direct",
        "--dns-server",
        &dns,
        "--push",
        &format!("http://127.0.0.1:{closed}/"),
    ]);
    assert!(
        stderr(&out).contains("the server refused the connection"),
        "{}",
        stderr(&out)
    );
}

/// Round 20. Options that meant nothing to the file are said: `--sheet`
/// for a list (ignored without a word), and `--column` naming a header no
/// column has (the error did not name it).
#[test]
fn options_that_do_not_apply_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    fs::write(&list, "https://a.example.com/\n").unwrap();
    let out = run(["urls", "list", list.to_str().unwrap(), "--sheet", "S1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--sheet \"S1\" is for workbooks; this file has no sheets"),
        "{}",
        stderr(&out)
    );
    let csv = dir.path().join("c.csv");
    fs::write(&csv, "Web,Cat\nhttp://a.example.com/,x\n").unwrap();
    let out = run([
        "urls",
        "list",
        csv.to_str().unwrap(),
        "--column",
        "url=Nope",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the headers --column names (\"Nope\") head no column here"),
        "{}",
        stderr(&out)
    );
}
