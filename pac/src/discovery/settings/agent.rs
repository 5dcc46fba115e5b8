//! The Defender agent's own managed settings: `mdatp_managed.json` on Linux
//! and the `com.microsoft.wdav` preference on macOS.

use super::managed_proxy;
use crate::discovery::{Provenance, SourceKind, SourceProblem, SourceResult};

/// Defender for Endpoint on Linux: `mdatp_managed.json`, key `cloudService.proxy`.
pub fn from_mdatp_managed_json(path: &str, text: &str) -> SourceResult {
    let provenance = Provenance::new(SourceKind::MdatpManaged, path, Some("cloudService.proxy"));
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        SourceProblem::new(
            provenance.clone(),
            // In the file's words, not the parser's (round 20: "EOF while
            // parsing a value at line 2 column 0").
            format!(
                "not valid JSON: {}",
                pathprobe_files::words::serde_message(&e.to_string())
            ),
        )
    })?;
    let value = doc
        .get("cloudService")
        .and_then(|c| c.get("proxy"))
        .map(serde_json::Value::as_str);
    managed_proxy(provenance, value)
}

/// What is wrong with a property list, in words: the library's text is its
/// error kind in debug form (round 22: `Io(Error { kind: InvalidInput,
/// … })`). Where it went wrong is kept.
fn plist_words(e: &plist::Error) -> String {
    let text = e.to_string();
    let place = text
        .rfind(" (")
        .and_then(|at| text.get(at + 1..))
        .filter(|p| p.starts_with("(offset") || p.starts_with("(line"))
        .map(|p| format!(" {p}"))
        .unwrap_or_default();
    let what = if e.is_eof() || e.as_io().is_some() {
        "it is cut short or damaged (a binary plist's tables point outside it)"
    } else {
        "it is neither an XML nor a binary property list, or is damaged"
    };
    format!("{what}{place}")
}

/// Defender for Endpoint on macOS: the `com.microsoft.wdav` managed
/// preference (XML or binary plist), `cloudService` → `proxy`.
pub fn from_mac_managed_plist(path: &str, bytes: &[u8]) -> SourceResult {
    let provenance = Provenance::new(SourceKind::MacManaged, path, Some("cloudService/proxy"));
    let doc = plist::Value::from_reader(std::io::Cursor::new(bytes)).map_err(|e| {
        SourceProblem::new(
            provenance.clone(),
            format!("not a property list: {}", plist_words(&e)),
        )
    })?;
    let value = doc
        .as_dictionary()
        .and_then(|d| d.get("cloudService"))
        .and_then(plist::Value::as_dictionary)
        .and_then(|c| c.get("proxy"));
    managed_proxy(provenance, value.map(plist::Value::as_string))
}
