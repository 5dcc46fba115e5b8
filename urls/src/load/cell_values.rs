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
        if let Some((cell, problem)) = scan_part(BufReader::new(member)) {
            return Some(BadCell {
                part,
                cell,
                problem,
            });
        }
    }
    None
}

/// The types whose `<v>` calamine reads from its first text piece alone.
fn read_raw(kind: Option<&str>) -> bool {
    matches!(kind, None | Some("n" | "s" | "b" | "e"))
}

fn scan_part<R: std::io::BufRead>(input: R) -> Option<(Option<String>, String)> {
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
        scan_part(xml.as_bytes())
    }

    #[test]
    fn plain_values_pass() {
        assert!(sheet(r#"<c r="A1" t="s"><v>12</v></c><c r="B1"><v>443</v></c>"#).is_none());
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
    fn a_split_value_is_named() {
        for value in ["4&#52;3", "4<!--x-->43", "<![CDATA[443]]>", "&#52;43"] {
            let (cell, problem) = sheet(&format!(r#"<c r="B1"><v>{value}</v></c>"#))
                .unwrap_or_else(|| panic!("{value:?} passed"));
            assert_eq!(cell.as_deref(), Some("B1"));
            assert!(problem.contains("not be read whole"), "{problem}");
        }
    }
}
