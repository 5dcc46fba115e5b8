//! A catalog row is named by the line it starts on in the file, whatever the
//! line endings (LF, CRLF as Excel and Python write them, a lone CR) and
//! however many lines a quoted cell spans before it.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::Path;

use pathprobe_urls::{LoadOptions, load_bytes};

fn lines_of(text: &str) -> Vec<u32> {
    lines_in("c.csv", text)
}

fn lines_in(file: &str, text: &str) -> Vec<u32> {
    let catalog = load_bytes(Path::new(file), text.as_bytes(), &LoadOptions::default()).unwrap();
    catalog.endpoints.iter().map(|e| e.source.line).collect()
}

#[test]
fn rows_are_named_by_their_line_in_the_file() {
    for ending in ["\n", "\r\n", "\r"] {
        let text = [
            "url,category",
            "https://a.test/,c",
            "not a url at all,c",
            "https://b.test/,c",
            "",
        ]
        .join(ending);
        assert_eq!(lines_of(&text), [2, 3, 4], "ending {ending:?}");
    }
    // A quoted cell over three lines: the rows after it keep their lines.
    for ending in ["\n", "\r\n"] {
        let text = [
            "url,comment",
            "https://a.test/,\"one",
            "two",
            "three\"",
            "https://b.test/,x",
            "",
        ]
        .join(ending);
        assert_eq!(lines_of(&text), [2, 5], "ending {ending:?}");
    }
    // A byte-order mark is no line.
    assert_eq!(lines_of("\u{feff}url\r\nhttps://a.test/\r\n"), [2]);
}

#[test]
fn plain_lists_name_lines_the_same_way() {
    for ending in ["\n", "\r\n", "\r"] {
        let text = ["# list", "https://a.test/", "", "b.test", ""].join(ending);
        assert_eq!(lines_in("l.txt", &text), [2, 4], "ending {ending:?}");
    }
}

/// Excel's "Unicode Text" and Notepad's "Unicode": UTF-16 with a mark (or
/// none), tabs between cells; read as the table it is, under any name.
#[test]
fn tables_saved_as_utf16_are_read() {
    let text = "URL\tCategory\r\nhttps://a.test/\tCloud\r\nhttps://b.test/\tCloud\r\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, bytes) in [
        ("export.txt", [vec![0xFF, 0xFE], le.clone()].concat()),
        ("export.csv", [vec![0xFE, 0xFF], be].concat()),
        ("export", le),
    ] {
        let catalog = load_bytes(Path::new(name), &bytes, &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let urls: Vec<String> = catalog
            .endpoints
            .iter()
            .map(|e| match &e.target {
                pathprobe_urls::Target::Url(u) => u.to_string(),
                other => panic!("{name}: {other:?}"),
            })
            .collect();
        assert_eq!(urls, ["https://a.test", "https://b.test"], "{name}");
        assert_eq!(
            catalog.endpoints[0].category.as_deref(),
            Some("Cloud"),
            "{name}"
        );
        assert_eq!(catalog.endpoints[1].source.line, 3, "{name}");
    }
}

/// Round 19. Excel writes `;` between cells where the decimal mark is a
/// comma: such a CSV is read by its header as one with commas is, with or
/// without the `.csv` name, a quoted `;` staying inside its cell.
#[test]
fn a_csv_with_semicolons_is_read_by_its_header() {
    for file in ["eu.csv", "eu.txt", "eu"] {
        let text =
            "URL;Port;Category\r\nhttps://a.test/;443;Core\r\nb.test;8443;\"Other; extra\"\r\n";
        let catalog =
            load_bytes(Path::new(file), text.as_bytes(), &LoadOptions::default()).unwrap();
        let read: Vec<(String, u16, Option<String>)> = catalog
            .endpoints
            .iter()
            .map(|e| (e.display_target(), e.effective_port(), e.category.clone()))
            .collect();
        assert_eq!(
            read,
            [
                ("https://a.test".to_owned(), 443, Some("Core".to_owned())),
                ("b.test".to_owned(), 8443, Some("Other; extra".to_owned())),
            ],
            "{file}"
        );
    }
}

/// Round 20. A URL column headed as one beside columns pathprobe reads
/// nothing from (`URL,Owner`) is a header: the file was refused as having
/// none. The other columns are said, once.
#[test]
fn a_url_column_beside_unknown_ones_is_a_header() {
    for (file, text) in [
        (
            "owners.csv",
            "URL,Owner\nhttp://a.test/,x\nhttps://b.test/,y\n",
        ),
        (
            "owners.txt",
            "Owner,Endpoint,Ticket\nx,http://a.test/,1\ny,https://b.test/,2\n",
        ),
    ] {
        let catalog = load_bytes(Path::new(file), text.as_bytes(), &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let read: Vec<String> = catalog
            .endpoints
            .iter()
            .map(|e| e.display_target())
            .collect();
        assert_eq!(read, ["http://a.test", "https://b.test"], "{file}");
        assert_eq!(catalog.notices.len(), 1, "{file}: {:?}", catalog.notices);
        assert!(
            catalog.notices[0].message.contains("not read"),
            "{:?}",
            catalog.notices
        );
    }
    // A bare `Host` beside an unknown column is still no header: a data
    // row of a two-column list can read so.
    assert!(
        load_bytes(
            Path::new("h.csv"),
            b"Host,Owner\na.test,x\n",
            &LoadOptions::default()
        )
        .is_err()
    );
}

/// Round 20. What a reader would drop or change silently is said: cells a
/// row holds past its header's last heading, a URL ending with a list's
/// separator, and a JSON catalog's `port` the URL contradicts.
#[test]
fn what_is_not_read_as_written_is_said() {
    let notices = |file: &str, text: &str| -> Vec<String> {
        load_bytes(Path::new(file), text.as_bytes(), &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .notices
            .iter()
            .map(|n| format!("{}: {}", n.location, n.message))
            .collect()
    };
    let extra = notices(
        "extra.csv",
        "URL,Category\nhttp://a.test/,x,extra,more\nhttp://b.test/,y\nhttp://c.test/,z,again\n",
    );
    assert_eq!(extra.len(), 1, "{extra:?}");
    assert!(
        extra[0].starts_with("extra.csv, line 2: 2 row(s) hold values in columns the header gives no heading (column 3 here)"),
        "{extra:?}"
    );
    let pasted = notices(
        "pasted.txt",
        "http://k.test/,\nhttp://l.test/;\nhttp://m.test/\n",
    );
    assert_eq!(pasted.len(), 2, "{pasted:?}");
    assert!(
        pasted[0].contains("ends with ','") && pasted[1].contains("ends with ';'"),
        "{pasted:?}"
    );
    let json = notices(
        "c.json",
        r#"{"format":"pathprobe-catalog","format_version":1,"name":"n","endpoints":[{"url":"http://d.test:8080/","port":443},{"url":"https://e.test/","port":443}]}"#,
    );
    assert_eq!(json.len(), 1, "{json:?}");
    assert!(
        json[0].contains("endpoint 1") && json[0].contains("names port 8080 and its \"port\" 443"),
        "{json:?}"
    );
}

/// Round 21. A saved check report given as a catalog, and a scheme-less
/// `//host/` line, are said as what they are.
#[test]
fn reports_and_schemeless_urls_are_named() {
    let report = load_bytes(
        Path::new("r.json"),
        br#"{"schema_version":1,"results":[],"summary":{}}"#,
        &LoadOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        report.contains("a pathprobe check report, not a catalog"),
        "{report}"
    );
    let catalog = load_bytes(
        Path::new("l.txt"),
        b"//j.test/\nhttps://k.test/\n",
        &LoadOptions::default(),
    )
    .unwrap();
    let said: Vec<String> = catalog.notices.iter().map(|n| n.message.clone()).collect();
    assert!(
        said.iter()
            .any(|m| m.contains("starts with // and names no scheme: write https://j.test/")),
        "{said:?}"
    );
}

/// Quotes read as their writer meant, or refused by line: text after a
/// closing quote (`"x"junk`) was joined to the cell without a word, and a
/// space before an opening quote split the quoted cell at its commas.
#[test]
fn quotes_are_read_as_written_or_refused_by_line() {
    let catalog = load_bytes(
        Path::new("q.csv"),
        b"url, comment, port\nhttps://a.test/, \"one, two\" , 8443\n",
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(catalog.endpoints.len(), 1, "{:?}", catalog.notices);
    assert_eq!(catalog.endpoints[0].port, Some(8443));
    assert!(catalog.notices.is_empty(), "{:?}", catalog.notices);

    let refused = |file: &str, text: &str| {
        load_bytes(Path::new(file), text.as_bytes(), &LoadOptions::default())
            .unwrap_err()
            .to_string()
    };
    let err = refused(
        "j.csv",
        "url,comment\nhttps://a.test/,x\n\"https://b.test/\"junk,y\n",
    );
    assert!(
        err.contains("j.csv, line 3") && err.contains("the cell \"https://b.test/\"junk, so"),
        "{err}"
    );
    assert!(err.contains("text follows the closing quote"), "{err}");
    // The Microsoft 365 feed's CSV form is read by the same rule.
    let feed = "id,serviceArea,urls,tcpPorts\n1,Exchange,\"a.test\"x,443\n";
    let err = refused("feed.csv", feed);
    assert!(
        err.contains("feed.csv, line 2") && err.contains("text follows the closing quote"),
        "{err}"
    );
}

/// Round 24. An address block in a list or a CSV names no host: it is not
/// probed nor exported as its first address (it was read as a host and a
/// path, and allowed as that one address).
#[test]
fn address_blocks_are_not_hosts() {
    for (file, text) in [
        (
            "blocks.txt",
            "13.107.6.152/31\n2603:1006::/40\nhttps://a.test/\n",
        ),
        (
            "blocks.csv",
            "url\n13.107.6.152/31\n2603:1006::/40\nhttps://a.test/\n",
        ),
    ] {
        let catalog =
            load_bytes(Path::new(file), text.as_bytes(), &LoadOptions::default()).unwrap();
        let urls = catalog
            .endpoints
            .iter()
            .filter(|e| e.url().is_some())
            .count();
        assert_eq!(urls, 1, "{file}: {:?}", catalog.endpoints);
        // A list says why each line is not probed; a table lists it as a
        // row of text, as it lists the vendor's prose rows.
        if file.ends_with(".txt") {
            assert!(
                catalog
                    .notices
                    .iter()
                    .any(|n| n.message.contains("an address block")),
                "{file}: {:?}",
                catalog.notices
            );
        }
    }
}
