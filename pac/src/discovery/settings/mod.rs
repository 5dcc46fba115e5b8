//! Readers for the files and command outputs that hold proxy settings, one
//! module per platform; what they share (proxy and PAC values, decoding a
//! saved file, refusing binary data) is here.

mod agent;
mod linux;
mod macos;
mod windows;

pub use self::agent::{from_mac_managed_plist, from_mdatp_managed_json};
pub use self::linux::{from_apt_conf, from_etc_environment, from_gsettings};
pub use self::macos::from_scutil_proxy;
pub use self::windows::{
    ConnectionBlob, from_connection_blob, from_netsh_advproxy, from_netsh_show_proxy,
    from_reg_export, from_telemetry_value,
};

use super::{
    BypassList, BypassStyle, Found, PortDefault, Provenance, ProxyConfig, ProxyUrl, SourceProblem,
    SourceResult,
};
use crate::fetch::PacLocation;

pub(super) fn pac_config(
    text: &str,
    provenance: &Provenance,
) -> Result<ProxyConfig, SourceProblem> {
    PacLocation::parse(text)
        .map(|location| ProxyConfig::Pac { location })
        .map_err(|e| SourceProblem::new(provenance.clone(), format!("PAC location: {e}")))
}

pub(super) fn proxy(
    text: &str,
    defaults: PortDefault,
    provenance: &Provenance,
) -> Result<ProxyUrl, SourceProblem> {
    ProxyUrl::parse(text, defaults)
        .map_err(|e| SourceProblem::new(provenance.clone(), e.to_string()))
}

/// The agent's managed proxy setting: absent or blank is "not set"; present
/// but not a string (`value` is `Some(None)`) is a problem.
pub(super) fn managed_proxy(provenance: Provenance, value: Option<Option<&str>>) -> SourceResult {
    let text = match value {
        None => return Ok(Vec::new()),
        Some(None) => {
            let key = provenance.key.clone().unwrap_or_default();
            return Err(SourceProblem::new(
                provenance,
                format!("{key} is not a string"),
            ));
        }
        Some(Some(text)) if text.trim().is_empty() => return Ok(Vec::new()),
        Some(Some(text)) => text,
    };
    let p = proxy(text, PortDefault::Scheme, &provenance)?;
    Ok(vec![Found::new(
        provenance,
        ProxyConfig::single(p, BypassList::none(BypassStyle::Curl)),
    )])
}

/// A saved file as text: UTF-8 (with or without a byte-order mark), or
/// UTF-16 as Windows tools write it (`netsh … > file` in Windows PowerShell
/// writes UTF-16LE with a mark; some editors leave the mark out).
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    pathprobe_files::text::decode(bytes)
}

/// Refuses text that holds binary data: a reader that skipped it would read
/// whatever is left as a setting (a port cut by a NUL, or no proxy at all).
pub(super) fn plain_text(
    text: &str,
    provenance: &Provenance,
    what: &str,
) -> Result<(), SourceProblem> {
    match text
        .char_indices()
        .find(|(_, c)| (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || *c == '\u{FFFD}')
    {
        Some((at, c)) => {
            let line = text.get(..at).map_or(0, |t| t.matches('\n').count()) + 1;
            Err(SourceProblem::new(
                provenance.clone(),
                if c == '\u{FFFD}' {
                    // Round 22: a Latin-1 letter was blamed on the IDN rules.
                    format!(
                        "line {line}: a byte that is not UTF-8 text (the file is saved in another encoding, or damaged), not {what}"
                    )
                } else {
                    format!(
                        "line {line}: the control character U+{:04X} (binary data?), not {what}",
                        u32::from(c)
                    )
                },
            ))
        }
        None => Ok(()),
    }
}
