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
        let target = match parse_item(content) {
            Parsed::Url(u) => Target::Url(u),
            Parsed::Prose(p) => {
                catalog.notices.push(Notice {
                    location: Origin {
                        file: path.to_path_buf(),
                        sheet: None,
                        line: Some(line),
                    }
                    .to_string(),
                    message: format!(
                        "\"{p}\" is not a host or URL ({}); listed as not probeable",
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
