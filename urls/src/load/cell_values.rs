//! Checks the raw cell values of an xlsx workbook that calamine reads
//! leniently. calamine takes a shared-text index that is no number (`-1`,
//! `1e0`, ` 1 `) as index 0, and reads only the first piece of a `<v>` value
//! that a comment, an entity or a CDATA section splits (`4&#52;3` reads 4):
//! both give a value the file does not hold, without a word. Such a cell is
//! refused here, by its address, before calamine reads the workbook.

use std::io::{BufReader, Cursor};

use quick_xml::events::Event;

/// What is wrong with one cell, and where.
pub(super) struct BadCell {
    /// The workbook part holding it (`xl/worksheets/sheet1.xml`).
    pub part: String,
    /// The cell's address as written (`B3`), when it has one.
    pub cell: Option<String>,
    /// What is wrong, in words.
    pub problem: String,
}

/// The first cell of the workbook whose value calamine would misread, if any.
/// A part that is no readable XML is left for calamine to describe.
pub(super) fn first_misread(bytes: &[u8]) -> Option<BadCell> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let strings = shared_strings(&mut archive);
    for index in 0..archive.len() {
        let Ok(member) = archive.by_index(index) else {
            return None;
        };
        let Some(part) = member.name().ok().map(|n| n.into_owned()) else {
            continue;
        };
        // Cells live in worksheet parts; any XML part is looked at, since a
        // workbook's relationships may place a sheet anywhere.
        if !part.to_ascii_lowercase().ends_with(".xml") {
            continue;
        }
        if let Some((cell, problem)) = scan_part(BufReader::new(member), strings) {
            return Some(BadCell {
                part,
                cell,
                problem,
            });
        }
    }
    None
}

/// How many texts the workbook's shared-string table holds, when it has
/// one that reads: an index past them is named by its cell here (calamine
/// names only the cell read before it).
fn shared_strings(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<usize> {
    let name = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .find(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))?;
    let member = archive.by_name(&name).ok()?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(member));
    xml.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut count = 0usize;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == "si" => count += 1,
            Event::Eof => return Some(count),
            _ => {}
        }
    }
}

/// Whether a cell address is one a sheet has: columns A to XFD, rows 1 to
/// 1,048,576.
fn is_address(address: &str) -> bool {
    let letters = address.bytes().take_while(u8::is_ascii_alphabetic).count();
    let row = address.get(letters..).unwrap_or_default();
    let column = address.bytes().take(letters).fold(0u32, |n, b| {
        n.saturating_mul(26)
            .saturating_add(u32::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    (1..=3).contains(&letters)
        && column <= 16_384
        && !row.is_empty()
        && row.bytes().all(|b| b.is_ascii_digit())
        && row
            .parse::<u32>()
            .is_ok_and(|r| (1..=1_048_576).contains(&r))
}

/// The types whose `<v>` calamine reads from its first text piece alone.
fn read_raw(kind: Option<&str>) -> bool {
    matches!(kind, None | Some("n" | "s" | "b" | "e"))
}

fn scan_part<R: std::io::BufRead>(
    input: R,
    strings: Option<usize>,
) -> Option<(Option<String>, String)> {
    let mut xml = quick_xml::Reader::from_reader(input);
    // The reader set as calamine sets it, so the pieces seen are the same.
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    // The cell being read: its address and type.
    let mut cell: Option<(Option<String>, Option<String>)> = None;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).ok()?;
        match event {
            Event::Eof => return None,
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let mut address = None;
                let mut kind = None;
                for attribute in e.attributes().flatten() {
                    match attribute.key.local_name().as_ref() {
                        "r" => address = Some(attribute.value.into_owned()),
                        "t" => kind = Some(attribute.value.into_owned()),
                        _ => {}
                    }
                }
                if let Some(a) = address.as_deref().filter(|a| !is_address(a)) {
                    return Some((
                        Some(a.to_owned()),
                        "this address is outside any sheet (columns A to XFD, rows 1 to 1048576)"
                            .into(),
                    ));
                }
                cell = Some((address, kind));
            }
            Event::End(e) if e.local_name().as_ref() == "c" => cell = None,
            Event::Start(e) if e.local_name().as_ref() == "v" => {
                let Some((address, kind)) = &cell else {
                    continue;
                };
                if !read_raw(kind.as_deref()) {
                    continue;
                }
                let shared = kind.as_deref() == Some("s");
                let mut text: Option<String> = None;
                let mut split = false;
                loop {
                    let mut inner = Vec::new();
                    match xml.read_event_into(&mut inner).ok()? {
                        Event::End(end) if end.local_name().as_ref() == "v" => break,
                        Event::Eof => return None,
                        Event::Text(t) if text.is_none() => {
                            text = Some(AsRef::<str>::as_ref(&t).to_owned())
                        }
                        _ => split = true,
                    }
                }
                if split {
                    return Some((
                        address.clone(),
                        "its value holds a comment, an entity reference or a CDATA section where spreadsheet programs write plain text; it would not be read whole".into(),
                    ));
                }
                let text = text.unwrap_or_default();
                // A number no spreadsheet holds reads as "inf" (1e400).
                if !shared
                    && kind.as_deref().is_none_or(|k| k == "n")
                    && text.trim().parse::<f64>().is_ok_and(|n| !n.is_finite())
                {
                    return Some((
                        address.clone(),
                        format!(
                            "its number {} is beyond what a spreadsheet can hold",
                            pathprobe_files::quote::quoted(&text)
                        ),
                    ));
                }
                if shared && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
                    // Past the table, or past what an index can be (calamine
                    // reads one past 2^64 as 0).
                    let index = text.parse::<usize>().ok();
                    if index.is_none_or(|i| strings.is_some_and(|n| i >= n)) {
                        return Some((
                            address.clone(),
                            format!(
                                "it points at shared text number {} and the workbook has {}",
                                pathprobe_files::quote::excerpt(&text, 30),
                                strings.map_or_else(|| "fewer".to_owned(), |n| n.to_string())
                            ),
                        ));
                    }
                }
                if shared && !text.is_empty() && !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Some((
                        address.clone(),
                        format!(
                            "its shared-text index {} is not a whole number, so which text it means is not known",
                            pathprobe_files::quote::quoted(&text)
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(cells: &str) -> Option<(Option<String>, String)> {
        let xml = format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{cells}</row></sheetData></worksheet>"#
        );
        scan_part(xml.as_bytes(), Some(3))
    }

    #[test]
    fn plain_values_pass() {
        assert!(sheet(r#"<c r="A1" t="s"><v>2</v></c><c r="B1"><v>443</v></c>"#).is_none());
        assert!(sheet(r#"<c r="A1" t="s"><v></v></c><c r="B1" t="b"><v>1</v></c>"#).is_none());
        // Text types may hold entities: calamine reads them whole.
        assert!(sheet(r#"<c r="A1" t="str"><v>a&amp;b</v></c>"#).is_none());
        assert!(sheet(r#"<c r="A1" t="inlineStr"><is><t>a&amp;b</t></is></c>"#).is_none());
    }

    #[test]
    fn an_index_that_is_no_number_is_named() {
        for index in ["-1", "1e0", " 1 ", "+1", "0x1"] {
            let (cell, problem) = sheet(&format!(r#"<c r="C1" t="s"><v>{index}</v></c>"#))
                .unwrap_or_else(|| panic!("{index:?} passed"));
            assert_eq!(cell.as_deref(), Some("C1"));
            assert!(problem.contains("not a whole number"), "{problem}");
        }
    }

    #[test]
    fn an_index_past_the_table_or_past_any_index_is_named() {
        for index in ["3", "99", "18446744073709551616", "99999999999999999999999"] {
            let (cell, problem) = sheet(&format!(r#"<c r="A2" t="s"><v>{index}</v></c>"#))
                .unwrap_or_else(|| panic!("{index:?} passed"));
            assert_eq!(cell.as_deref(), Some("A2"));
            assert!(problem.contains("the workbook has 3"), "{problem}");
        }
        assert!(sheet(r#"<c r="A2" t="s"><v>2</v></c>"#).is_none());
    }

    #[test]
    fn addresses_outside_a_sheet_and_infinite_numbers_are_named() {
        for address in ["ZZZZZZZZZZ2", "A4294967296", "XFE1", "A0", "1A"] {
            let (cell, problem) = sheet(&format!(r#"<c r="{address}"><v>1</v></c>"#))
                .unwrap_or_else(|| panic!("{address:?} passed"));
            assert_eq!(cell.as_deref(), Some(address));
            assert!(problem.contains("outside any sheet"), "{problem}");
        }
        assert!(sheet(r#"<c r="XFD1048576"><v>1</v></c>"#).is_none());
        let (cell, problem) = sheet(r#"<c r="B2"><v>1e400</v></c>"#).expect("1e400 refused");
        assert_eq!(cell.as_deref(), Some("B2"));
        assert!(problem.contains("beyond what a spreadsheet"), "{problem}");
    }

    #[test]
    fn a_split_value_is_named() {
        for value in ["4&#52;3", "4<!--x-->43", "<![CDATA[443]]>", "&#52;43"] {
            let (cell, problem) = sheet(&format!(r#"<c r="B1"><v>{value}</v></c>"#))
                .unwrap_or_else(|| panic!("{value:?} passed"));
            assert_eq!(cell.as_deref(), Some("B1"));
            assert!(problem.contains("not be read whole"), "{problem}");
        }
    }
}
