//! Windows: the telemetry proxy policy in a `.reg` export, and saved
//! `netsh winhttp show proxy` and `show advproxy` outputs.

use super::{decode_text, pac_config, plain_text, proxy};
use crate::discovery::{
    BypassList, BypassStyle, Found, PortDefault, Provenance, ProxyConfig, SourceKind,
    SourceProblem, SourceResult,
};

/// Text of a `.reg` export: UTF-16 with a byte-order mark (what regedit
/// writes) or UTF-8.
pub(super) fn reg_text(bytes: &[u8]) -> String {
    decode_text(bytes)
}

/// Windows `TelemetryProxyServer` (the Defender for Endpoint / telemetry
/// proxy policy) from a `.reg` export of
/// `HKLM\SOFTWARE\Policies\Microsoft\Windows\DataCollection`.
pub fn from_reg_export(path: &str, bytes: &[u8]) -> SourceResult {
    let text = reg_text(bytes);
    let mut key = String::new();
    let mut seen_header = false;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("Windows Registry Editor") || line == "REGEDIT4" {
            seen_header = true;
            continue;
        }
        if let Some(k) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            key = k.to_owned();
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        if !name
            .trim()
            .trim_matches('"')
            .eq_ignore_ascii_case("TelemetryProxyServer")
        {
            continue;
        }
        let provenance = Provenance::new(
            SourceKind::WindowsTelemetryPolicy,
            path,
            Some(&format!("{key}\\TelemetryProxyServer")),
        );
        if !key.to_ascii_lowercase().contains("datacollection") {
            return Err(SourceProblem::new(
                provenance,
                format!(
                    "line {}: TelemetryProxyServer is under {key:?}, not the DataCollection policy key the agent reads",
                    n + 1
                ),
            ));
        }
        let value = value.trim();
        let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
            return Err(SourceProblem::new(
                provenance,
                format!(
                    "line {}: TelemetryProxyServer must be a string (REG_SZ), found {value}",
                    n + 1
                ),
            ));
        };
        let inner = inner.replace("\\\\", "\\");
        if inner.trim().is_empty() {
            return Ok(Vec::new());
        }
        let p = proxy(&inner, PortDefault::Scheme, &provenance)?;
        return Ok(vec![Found::new(
            provenance,
            ProxyConfig::single(p, BypassList::none(BypassStyle::WinHttp)),
        )]);
    }
    if !seen_header {
        return Err(SourceProblem::new(
            Provenance::new(SourceKind::WindowsTelemetryPolicy, path, None),
            "not a registry export (no \"Windows Registry Editor\" header)",
        ));
    }
    Ok(Vec::new())
}

/// Splits `label : value` at the first colon followed by blank or end, so a
/// `host:port` value stays whole.
pub(super) fn label_value(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b':' && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) {
            let label = line.get(..i)?.trim();
            let value = line.get(i + 1..)?.trim();
            if !label.is_empty() {
                return Some((label, value));
            }
        }
    }
    None
}

/// A WinHTTP proxy [`Found`]: the setting, and a warning when it lists
/// more proxies than the first (only that one is probed: said, not dropped).
pub(super) fn winhttp_found(
    value: &str,
    provenance: &Provenance,
    bypass: BypassList,
) -> Result<Found, SourceProblem> {
    let mut found = Found::new(
        provenance.clone(),
        winhttp_proxies(value, provenance, bypass)?,
    );
    let ignored: Vec<&str> = value
        .split([';', ' '])
        .filter(|part| {
            part.split_once('=').is_some_and(|(scheme, _)| {
                !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https")
            })
        })
        .collect();
    if !ignored.is_empty() {
        found.warnings.push(format!(
            "WinHTTP uses only its http= and https= entries (it has no SOCKS support); {} does not apply to WinHTTP clients",
            ignored.join(", ")
        ));
    }
    if !value.contains('=') {
        let listed: Vec<&str> = value.split([';', ' ']).filter(|s| !s.is_empty()).collect();
        if let [first, rest @ ..] = listed.as_slice()
            && !rest.is_empty()
        {
            found.warnings.push(format!(
                "it lists {} proxies; pathprobe probes the first ({first}), not {}",
                listed.len(),
                rest.join(", ")
            ));
        }
    }
    Ok(found)
}

/// A WinHTTP proxy value: `proxy:8080`, or per scheme `http=p:80;https=p:443`.
pub(super) fn winhttp_proxies(
    value: &str,
    provenance: &Provenance,
    bypass: BypassList,
) -> Result<ProxyConfig, SourceProblem> {
    if !value.contains('=') {
        let first = value
            .split([';', ' '])
            .find(|s| !s.is_empty())
            .unwrap_or(value);
        return Ok(ProxyConfig::single(
            proxy(first, PortDefault::Scheme, provenance)?,
            bypass,
        ));
    }
    let (mut http, mut https) = (None, None);
    for part in value.split([';', ' ']).filter(|s| !s.is_empty()) {
        let (scheme, addr) = part.split_once('=').unwrap_or(("", part));
        match scheme.to_ascii_lowercase().as_str() {
            "http" => http = Some(proxy(addr, PortDefault::Scheme, provenance)?),
            "https" => https = Some(proxy(addr, PortDefault::Scheme, provenance)?),
            // WinHTTP speaks no SOCKS: a `socks=` entry is not a route for
            // its clients (winhttp_found says so), and ftp= is not ours.
            _ => {}
        }
    }
    Ok(ProxyConfig::Static {
        http,
        https,
        all: None,
        bypass,
        unusable: Vec::new(),
    })
}

/// Whether a value is the localised "(none)".
pub(super) fn is_none_marker(value: &str) -> bool {
    value.is_empty()
        || (value.starts_with('(') && value.ends_with(')') && !value.contains(['.', ':']))
}

/// The output of `netsh winhttp show proxy`, in any language: a heading, then
/// either one sentence (direct access) or `label : value` lines, the first
/// the proxy server(s), the second the bypass list.
pub fn from_netsh_show_proxy(where_: &str, text: &str) -> SourceResult {
    const WHAT: &str = "the output of `netsh winhttp show proxy`";
    let provenance = Provenance::new(SourceKind::WinHttp, where_, None);
    plain_text(text, &provenance, WHAT)?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(SourceProblem::new(
            provenance,
            format!("empty output; expected {WHAT}"),
        ));
    }
    // The heading ("Current WinHTTP proxy settings:", in any language) ends
    // with a colon; a prompt and command pasted above it are skipped.
    let Some(heading) = lines.iter().position(|l| l.ends_with(':')) else {
        return Err(SourceProblem::new(
            provenance,
            format!(
                "no heading line ending with ':' (such as `Current WinHTTP proxy settings:`); expected {WHAT}"
            ),
        ));
    };
    let body = lines.get(heading + 1..).unwrap_or_default();
    let pairs: Vec<(&str, &str)> = body.iter().filter_map(|l| label_value(l)).collect();
    match (body, pairs.as_slice()) {
        // The one sentence: "Direct access (no proxy server)." in any language.
        ([sentence], []) if is_sentence(sentence) => {
            Ok(vec![Found::new(provenance, ProxyConfig::Direct)])
        }
        ([_, _], [(_, server), (_, bypass)]) => {
            let bypass = if is_none_marker(bypass) {
                BypassList::none(BypassStyle::WinHttp)
            } else {
                BypassList::winhttp(bypass)
            };
            Ok(vec![winhttp_found(server, &provenance, bypass)?])
        }
        _ => Err(SourceProblem::new(
            provenance,
            format!(
                "after the heading, expected one sentence (direct access) or the two lines Proxy Server(s) and Bypass List; found {}",
                pathprobe_files::quote::excerpt(&body.join(" / "), 160)
            ),
        )),
    }
}

/// A line of prose: words, ending as a sentence does ("Direct access (no
/// proxy server).", "直接アクセス (プロキシ サーバーなし)。").
pub(super) fn is_sentence(line: &str) -> bool {
    line.chars().count() <= 200 && line.contains(' ') && line.ends_with(['.', '。', ')'])
}

/// The output of `netsh winhttp show advproxy` (Windows 11): a heading, then
/// JSON with `Proxy`, `ProxyBypass`, `AutoconfigUrl`, `AutoDetect`. Several
/// may be set; they are returned in the order WinHTTP tries them.
pub fn from_netsh_advproxy(where_: &str, text: &str) -> SourceResult {
    let provenance = Provenance::new(SourceKind::WinHttpAdvanced, where_, None);
    plain_text(
        text,
        &provenance,
        "the output of `netsh winhttp show advproxy`",
    )?;
    let start = text
        .find('{')
        .ok_or_else(|| SourceProblem::new(provenance.clone(), "no JSON object in the output"))?;
    let json = text.get(start..).unwrap_or("");
    let end = json.rfind('}').map_or(json.len(), |i| i + 1);
    let doc: serde_json::Value =
        serde_json::from_str(json.get(..end).unwrap_or(json)).map_err(|e| {
            SourceProblem::new(
                provenance.clone(),
                format!("the JSON does not parse at line {}: {e}", e.line()),
            )
        })?;
    let get = |k: &str| {
        doc.as_object()
            .and_then(|o| o.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)))
            .map(|(_, v)| v)
    };
    let text_of = |k: &str| {
        get(k)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let mut found = Vec::new();
    if get("AutoDetect").and_then(serde_json::Value::as_bool) == Some(true) {
        found.push(Found::new(
            Provenance::new(SourceKind::WinHttpAdvanced, where_, Some("AutoDetect")),
            ProxyConfig::AutoDetect,
        ));
    }
    if let Some(url) = text_of("AutoconfigUrl") {
        let p = Provenance::new(SourceKind::WinHttpAdvanced, where_, Some("AutoconfigUrl"));
        found.push(Found::new(p.clone(), pac_config(url, &p)?));
    }
    if let Some(server) = text_of("Proxy") {
        let bypass = text_of("ProxyBypass").map_or_else(
            || BypassList::none(BypassStyle::WinHttp),
            BypassList::winhttp,
        );
        let p = Provenance::new(SourceKind::WinHttpAdvanced, where_, Some("Proxy"));
        found.push(winhttp_found(server, &p, bypass)?);
    }
    if found.is_empty() {
        found.push(Found::new(provenance, ProxyConfig::Direct));
    }
    Ok(found)
}
