//! Plain text lists: one URL or host per line, `#` starts a comment.

use std::path::Path;

use super::info_for;
use crate::error::Origin;
use crate::geo::Geography;
use crate::model::{Catalog, Endpoint, Notice, Platforms, Requirement, SourceLocation, Target};
use crate::pattern::{Parsed, parse_item};

pub(super) fn load_text(path: &Path, bytes: &[u8]) -> crate::Result<Catalog> {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let mut catalog = Catalog {
        info: info_for(path),
        endpoints: Vec::new(),
        notices: Vec::new(),
    };
    // Lines end with LF, CRLF or (as old Mac editors save them) a lone CR.
    let lines = text
        .trim_start_matches('\u{feff}')
        .split('\n')
        .flat_map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            line.split('\r')
        });
    for (i, raw) in lines.enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        // A comment starts at a '#' that begins the line or follows a space, so a
        // URL fragment (`page#x`) stays part of the URL.
        let content = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(at) => raw.get(..at).unwrap_or(raw),
            None => raw,
        };
        let content = content.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let here = || {
            Origin {
                file: path.to_path_buf(),
                sheet: None,
                line: Some(line),
            }
            .to_string()
        };
        let target = match parse_item(content) {
            Parsed::Url(u) => {
                // `https://a.example/,` from a list pasted with its commas:
                // probed as written, and said (round 20: probed as the path
                // `/,` without a word).
                if let Some(last) = content.chars().last().filter(|c| matches!(c, ',' | ';')) {
                    catalog.notices.push(Notice {
                        location: here(),
                        message: format!(
                            "{} ends with '{last}', which no URL needs: probed as written; a separator left from a list?",
                            pathprobe_files::quote::quoted(content)
                        ),
                    });
                }
                Target::Url(u)
            }
            Parsed::Prose(p) => {
                catalog.notices.push(Notice {
                    location: here(),
                    message: format!(
                        "{} is not a host or URL ({}); listed as not probeable",
                        pathprobe_files::quote::quoted(&p),
                        crate::pattern::why_prose(&p)
                    ),
                });
                Target::Prose { text: p }
            }
        };
        catalog.endpoints.push(Endpoint {
            target,
            port: None,
            geography: Geography::Worldwide,
            category: None,
            service: None,
            description: None,
            comments: None,
            requirement: Requirement::Unstated,
            platforms: Platforms::default(),
            udp_only: Vec::new(),
            depth: None,
            source: SourceLocation {
                file: path.to_path_buf(),
                sheet: None,
                section: None,
                line,
                item: None,
            },
        });
    }
    Ok(catalog)
}
