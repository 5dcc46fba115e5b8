//! Readers for the files and command outputs that hold proxy settings.

use std::collections::BTreeMap;

use super::{
    BypassList, BypassStyle, Found, PortDefault, Provenance, ProxyConfig, ProxyUrl, SourceKind,
    SourceProblem, SourceResult,
};
use crate::fetch::PacLocation;

fn pac_config(text: &str, provenance: &Provenance) -> Result<ProxyConfig, SourceProblem> {
    PacLocation::parse(text)
        .map(|location| ProxyConfig::Pac { location })
        .map_err(|e| SourceProblem::new(provenance.clone(), format!("PAC location: {e}")))
}

fn proxy(
    text: &str,
    defaults: PortDefault,
    provenance: &Provenance,
) -> Result<ProxyUrl, SourceProblem> {
    ProxyUrl::parse(text, defaults)
        .map_err(|e| SourceProblem::new(provenance.clone(), e.to_string()))
}

/// Defender for Endpoint on Linux: `mdatp_managed.json`, key `cloudService.proxy`.
pub fn from_mdatp_managed_json(path: &str, text: &str) -> SourceResult {
    let provenance = Provenance::new(SourceKind::MdatpManaged, path, Some("cloudService.proxy"));
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        SourceProblem::new(
            provenance.clone(),
            format!(
                "not valid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let value = doc
        .get("cloudService")
        .and_then(|c| c.get("proxy"))
        .map(serde_json::Value::as_str);
    managed_proxy(provenance, value)
}

/// The agent's managed proxy setting: absent or blank is "not set"; present
/// but not a string (`value` is `Some(None)`) is a problem.
fn managed_proxy(provenance: Provenance, value: Option<Option<&str>>) -> SourceResult {
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

/// Defender for Endpoint on macOS: the `com.microsoft.wdav` managed
/// preference (XML or binary plist), `cloudService` → `proxy`.
pub fn from_mac_managed_plist(path: &str, bytes: &[u8]) -> SourceResult {
    let provenance = Provenance::new(SourceKind::MacManaged, path, Some("cloudService/proxy"));
    let doc = plist::Value::from_reader(std::io::Cursor::new(bytes))
        .map_err(|e| SourceProblem::new(provenance.clone(), format!("not a property list: {e}")))?;
    let value = doc
        .as_dictionary()
        .and_then(|d| d.get("cloudService"))
        .and_then(plist::Value::as_dictionary)
        .and_then(|c| c.get("proxy"));
    managed_proxy(provenance, value.map(plist::Value::as_string))
}

/// Text of a `.reg` export: UTF-16 with a byte-order mark (what regedit
/// writes) or UTF-8.
fn reg_text(bytes: &[u8]) -> String {
    decode_text(bytes)
}

/// A saved file as text: UTF-8 (with or without a byte-order mark), or
/// UTF-16 as Windows tools write it (`netsh … > file` in Windows PowerShell
/// writes UTF-16LE with a mark; some editors leave the mark out).
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], big: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                let pair = [
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ];
                if big {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, true);
    }
    // Without a mark: ASCII text in UTF-16 has a zero in every other byte.
    let zeros = |offset: usize| {
        bytes
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = bytes.len() / 2;
    if bytes.len() >= 4 && bytes.len().is_multiple_of(2) {
        if zeros(1) * 10 >= half * 9 && zeros(0) * 10 < half {
            return utf16(bytes, false);
        }
        if zeros(0) * 10 >= half * 9 && zeros(1) * 10 < half {
            return utf16(bytes, true);
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Refuses text that holds binary data: a reader that skipped it would read
/// whatever is left as a setting (a port cut by a NUL, or no proxy at all).
fn plain_text(text: &str, provenance: &Provenance, what: &str) -> Result<(), SourceProblem> {
    match text
        .char_indices()
        .find(|(_, c)| (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || *c == '\u{FFFD}')
    {
        Some((at, _)) => {
            let line = text.get(..at).map_or(0, |t| t.matches('\n').count()) + 1;
            Err(SourceProblem::new(
                provenance.clone(),
                format!("line {line}: binary data, not {what}"),
            ))
        }
        None => Ok(()),
    }
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
fn label_value(line: &str) -> Option<(&str, &str)> {
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
fn winhttp_found(
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
fn winhttp_proxies(
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
fn is_none_marker(value: &str) -> bool {
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
fn is_sentence(line: &str) -> bool {
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

/// A value in `scutil --proxy` output.
#[derive(Debug, Clone)]
enum Scutil {
    Text(String),
    List(Vec<Scutil>),
    Dict(BTreeMap<String, Scutil>),
}

fn scutil_parse(lines: &mut std::iter::Peekable<std::str::Lines<'_>>, dict: bool) -> Scutil {
    let mut map = BTreeMap::new();
    let mut list = Vec::new();
    while let Some(raw) = lines.next() {
        let line = raw.trim();
        if line == "}" {
            break;
        }
        let Some((key, value)) = line.split_once(" : ") else {
            continue;
        };
        let value = value.trim();
        let parsed = if value.starts_with("<dictionary>") {
            scutil_parse(lines, true)
        } else if value.starts_with("<array>") {
            scutil_parse(lines, false)
        } else {
            Scutil::Text(value.to_owned())
        };
        if dict {
            map.insert(key.trim().to_owned(), parsed);
        } else {
            list.push(parsed);
        }
    }
    if dict {
        Scutil::Dict(map)
    } else {
        Scutil::List(list)
    }
}

/// The output of `scutil --proxy` (macOS system proxy settings). WPAD,
/// then the PAC URL, then the static proxies, as macOS tries them.
pub fn from_scutil_proxy(where_: &str, text: &str) -> SourceResult {
    let provenance = Provenance::new(SourceKind::MacSystem, where_, None);
    let mut lines = text.lines().peekable();
    let mut root = None;
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("<dictionary>") {
            root = Some(scutil_parse(&mut lines, true));
            break;
        }
    }
    let Some(Scutil::Dict(d)) = root else {
        return Err(SourceProblem::new(
            provenance,
            "no <dictionary> in the output; expected `scutil --proxy`",
        ));
    };
    let text_of = |k: &str| match d.get(k) {
        Some(Scutil::Text(t)) => Some(t.as_str()),
        _ => None,
    };
    let enabled = |k: &str| text_of(k) == Some("1");
    let key = |k: &str| Provenance::new(SourceKind::MacSystem, where_, Some(k));
    let mut found = Vec::new();
    if enabled("ProxyAutoDiscoveryEnable") {
        found.push(Found::new(
            key("ProxyAutoDiscoveryEnable"),
            ProxyConfig::AutoDetect,
        ));
    }
    if enabled("ProxyAutoConfigEnable") {
        match text_of("ProxyAutoConfigURLString") {
            Some(url) => {
                let p = key("ProxyAutoConfigURLString");
                found.push(Found::new(p.clone(), pac_config(url, &p)?));
            }
            None => {
                return Err(SourceProblem::new(
                    key("ProxyAutoConfigEnable"),
                    "a PAC is enabled but ProxyAutoConfigURLString is missing",
                ));
            }
        }
    }
    let mut exceptions: Vec<String> = match d.get("ExceptionsList") {
        Some(Scutil::List(items)) => items
            .iter()
            .filter_map(|i| match i {
                Scutil::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    // "Exclude simple hostnames": names without a dot go direct.
    if enabled("ExcludeSimpleHostnames") {
        exceptions.push(super::bypass::SIMPLE_HOSTNAMES.to_owned());
    }
    let pair = |enable: &str,
                host: &str,
                port: &str,
                scheme: &str|
     -> Result<Option<ProxyUrl>, SourceProblem> {
        if !enabled(enable) {
            return Ok(None);
        }
        let Some(h) = text_of(host) else {
            return Err(SourceProblem::new(
                key(enable),
                format!("{enable} is on but {host} is missing"),
            ));
        };
        let addr = match text_of(port) {
            Some(p) => format!("{scheme}://{h}:{p}"),
            None => format!("{scheme}://{h}"),
        };
        proxy(&addr, PortDefault::Scheme, &key(host)).map(Some)
    };
    let http = pair("HTTPEnable", "HTTPProxy", "HTTPPort", "http")?;
    let https = pair("HTTPSEnable", "HTTPSProxy", "HTTPSPort", "http")?;
    // The system's SOCKS proxy is SOCKS5 with the name sent to the proxy, as
    // Chrome reads it on macOS.
    let socks = pair("SOCKSEnable", "SOCKSProxy", "SOCKSPort", "socks5h")?;
    // The label names only the settings that are on: an HTTPSProxy left
    // behind with HTTPSEnable 0 is not what clients use.
    let enabled_keys: Vec<&str> = [
        (http.is_some(), "HTTPProxy"),
        (https.is_some(), "HTTPSProxy"),
        (socks.is_some(), "SOCKSProxy"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    if !enabled_keys.is_empty() {
        found.push(Found::new(
            key(&enabled_keys.join("/")),
            ProxyConfig::Static {
                http,
                https,
                all: socks,
                bypass: BypassList::entries(BypassStyle::MacOs, exceptions),
                unusable: Vec::new(),
            },
        ));
    }
    if found.is_empty() {
        found.push(Found::new(provenance, ProxyConfig::Direct));
    }
    Ok(found)
}

/// A GVariant value as `gsettings` prints it: `'text'`, `['a', 'b']`,
/// numbers and booleans (returned as text).
fn gvariant(value: &str) -> Vec<String> {
    let value = value.trim().trim_start_matches("@as").trim();
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    let mut bare = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                let mut s = String::new();
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => {
                            if let Some(esc) = chars.next() {
                                s.push(esc);
                            }
                        }
                        q if q == c => break,
                        other => s.push(other),
                    }
                }
                out.push(s);
            }
            '[' | ']' | ',' | ' ' => {
                if !bare.is_empty() {
                    out.push(std::mem::take(&mut bare));
                }
            }
            other => bare.push(other),
        }
    }
    if !bare.is_empty() {
        out.push(bare);
    }
    out
}

/// The output of `gsettings list-recursively org.gnome.system.proxy`.
pub fn from_gsettings(where_: &str, text: &str) -> SourceResult {
    let provenance = Provenance::new(SourceKind::Gnome, where_, None);
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, ' ');
        let (Some(schema), Some(key), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SourceProblem::new(
                provenance,
                format!(
                    "line {}: expected `schema key value`, found {line:?}",
                    n + 1
                ),
            ));
        };
        let Some(section) = schema.strip_prefix("org.gnome.system.proxy") else {
            continue;
        };
        let section = section.trim_start_matches('.');
        let name = if section.is_empty() {
            key.to_owned()
        } else {
            format!("{section}.{key}")
        };
        values.insert(name, gvariant(value));
    }
    if values.is_empty() {
        return Err(SourceProblem::new(
            provenance,
            "no org.gnome.system.proxy keys; expected `gsettings list-recursively org.gnome.system.proxy`",
        ));
    }
    let one = |k: &str| values.get(k).and_then(|v| v.first()).map(String::as_str);
    let key = |k: &str| {
        Provenance::new(
            SourceKind::Gnome,
            where_,
            Some(&format!("org.gnome.system.proxy {k}")),
        )
    };
    match one("mode").unwrap_or("none") {
        "none" => Ok(Vec::new()),
        "auto" => match one("autoconfig-url").filter(|u| !u.is_empty()) {
            Some(url) => {
                let p = key("autoconfig-url");
                Ok(vec![Found::new(p.clone(), pac_config(url, &p)?)])
            }
            None => Ok(vec![Found::new(key("mode"), ProxyConfig::AutoDetect)]),
        },
        "manual" => {
            let endpoint =
                |section: &str, scheme: &str| -> Result<Option<ProxyUrl>, SourceProblem> {
                    let host = one(&format!("{section}.host")).filter(|h| !h.is_empty());
                    let port = one(&format!("{section}.port")).filter(|p| *p != "0");
                    match host {
                        None => Ok(None),
                        Some(h) => {
                            let mut addr = match port {
                                Some(p) => format!("{scheme}://{h}:{p}"),
                                None => format!("{scheme}://{h}"),
                            };
                            let user = one(&format!("{section}.authentication-user"))
                                .filter(|u| !u.is_empty());
                            if section == "http" && one("http.use-authentication") == Some("true") {
                                // Only the presence matters; the value never leaves this function.
                                addr = addr.replacen(
                                    "://",
                                    &format!("://{}:x@", user.unwrap_or("user")),
                                    1,
                                );
                            }
                            proxy(&addr, PortDefault::Scheme, &key(&format!("{section}.host")))
                                .map(Some)
                        }
                    }
                };
            let http = endpoint("http", "http")?;
            let same = one("use-same-proxy") == Some("true");
            let https = if same {
                http.clone()
            } else {
                endpoint("https", "http")?
            };
            // GIO sends the name to a SOCKS proxy (SOCKS5 first, then 4a).
            let socks = endpoint("socks", "socks5h")?;
            let bypass = BypassList::entries(
                BypassStyle::Gnome,
                values.get("ignore-hosts").cloned().unwrap_or_default(),
            );
            if http.is_none() && https.is_none() && socks.is_none() {
                return Err(SourceProblem::new(
                    key("mode"),
                    "mode is 'manual' but no proxy host is set",
                ));
            }
            Ok(vec![Found::new(
                key("mode"),
                ProxyConfig::Static {
                    http,
                    https,
                    all: socks,
                    bypass,
                    unusable: Vec::new(),
                },
            )])
        }
        other => Err(SourceProblem::new(
            key("mode"),
            format!("unknown mode {other:?}"),
        )),
    }
}

/// `/etc/environment`: `NAME=value` lines (no shell syntax), read with the
/// same rules as the process environment.
pub fn from_etc_environment(path: &str, text: &str) -> SourceResult {
    let mut vars = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        if let Some((k, v)) = line.split_once('=') {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
                .unwrap_or(v);
            vars.insert(k.trim().to_owned(), v.to_owned());
        }
    }
    super::env::from_variables(SourceKind::EtcEnvironment, path, &vars)
}

/// apt configuration (`/etc/apt/apt.conf`, `apt.conf.d/*`): the flat form
/// `Acquire::http::Proxy "http://p:3128/";` and the nested
/// `Acquire { http { Proxy "..."; }; };`. Per-host entries
/// (`Acquire::http::Proxy::host "DIRECT";`) become the bypass list.
pub fn from_apt_conf(path: &str, text: &str) -> SourceResult {
    let entries = apt_entries(text)
        .map_err(|m| SourceProblem::new(Provenance::new(SourceKind::Apt, path, None), m))?;
    let mut http = None;
    let mut https = None;
    let mut direct_hosts = Vec::new();
    for (key, value) in &entries {
        let lower = key.to_ascii_lowercase();
        let provenance = Provenance::new(SourceKind::Apt, path, Some(key));
        let target = match lower.as_str() {
            "acquire::http::proxy" => &mut http,
            "acquire::https::proxy" => &mut https,
            _ => {
                if let Some(host) = lower
                    .strip_prefix("acquire::http::proxy::")
                    .or_else(|| lower.strip_prefix("acquire::https::proxy::"))
                    && value.eq_ignore_ascii_case("DIRECT")
                {
                    direct_hosts.push(host.to_owned());
                }
                continue;
            }
        };
        if value.eq_ignore_ascii_case("DIRECT") || value.eq_ignore_ascii_case("false") {
            continue;
        }
        *target = Some(proxy(value, PortDefault::Scheme, &provenance)?);
    }
    if http.is_none() && https.is_none() {
        return Ok(Vec::new());
    }
    let key = match (&http, &https) {
        (Some(_), Some(_)) => "Acquire::http::Proxy, Acquire::https::Proxy",
        (Some(_), None) => "Acquire::http::Proxy",
        _ => "Acquire::https::Proxy",
    };
    let mut found = Found::new(
        Provenance::new(SourceKind::Apt, path, Some(key)),
        ProxyConfig::Static {
            // apt uses the http proxy for https too unless told otherwise.
            https: https.or_else(|| http.clone()),
            http,
            all: None,
            bypass: BypassList::entries(BypassStyle::Gnome, direct_hosts),
            unusable: Vec::new(),
        },
    );
    found
        .warnings
        .push("apt's proxy applies to package downloads only; the agent does not read it".into());
    Ok(vec![found])
}

/// `key value` pairs of an apt configuration text, with nesting resolved.
fn apt_entries(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut line = 1usize;
    while let Some((_, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '#' => {
                for (_, n) in chars.by_ref() {
                    if n == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                for (_, n) in chars.by_ref() {
                    if n == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '/' if chars.peek().is_some_and(|(_, n)| *n == '*') => {
                let mut prev = ' ';
                for (_, n) in chars.by_ref() {
                    if n == '\n' {
                        line += 1;
                    }
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            '"' => {
                let mut s = String::new();
                let mut closed = false;
                for (_, n) in chars.by_ref() {
                    if n == '"' {
                        closed = true;
                        break;
                    }
                    if n == '\n' {
                        line += 1;
                    }
                    s.push(n);
                }
                if !closed {
                    return Err(format!("line {line}: unterminated string"));
                }
                tokens.push((line, Tok::Str(s)));
            }
            '{' => tokens.push((line, Tok::Open)),
            '}' => tokens.push((line, Tok::Close)),
            ';' => tokens.push((line, Tok::Semi)),
            _ => {
                let mut word = String::from(c);
                while let Some((_, n)) = chars.peek() {
                    if n.is_whitespace() || matches!(n, '"' | '{' | '}' | ';') {
                        break;
                    }
                    word.push(*n);
                    chars.next();
                }
                tokens.push((line, Tok::Word(word)));
            }
        }
    }
    let mut out = Vec::new();
    let mut scope: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    for (line, tok) in tokens {
        match tok {
            Tok::Word(w) => {
                if pending.is_some() {
                    return Err(format!(
                        "line {line}: expected a value after {}",
                        pending.unwrap_or_default()
                    ));
                }
                pending = Some(w);
            }
            Tok::Str(value) => {
                let mut full = scope.clone();
                match pending.take() {
                    Some(name) => full.push(name),
                    // A list item: `NeverAutoRemove { "^linux-image.*"; };`
                    // and `DPkg::Post-Invoke { "cmd"; };` are how Debian's
                    // own files write lists.
                    None if !scope.is_empty() => {}
                    None => return Err(format!("line {line}: a value with no option name")),
                }
                out.push((full.join("::"), value));
            }
            Tok::Open => {
                let Some(name) = pending.take() else {
                    return Err(format!("line {line}: `{{` with no option name"));
                };
                scope.push(name);
            }
            Tok::Close => {
                if scope.pop().is_none() {
                    return Err(format!("line {line}: unmatched `}}`"));
                }
            }
            Tok::Semi => {
                if let Some(name) = pending.take() {
                    return Err(format!("line {line}: {name} has no value"));
                }
            }
        }
    }
    if !scope.is_empty() {
        return Err("the file ends inside a `{ }` block".into());
    }
    Ok(out)
}

enum Tok {
    Word(String),
    Str(String),
    Open,
    Close,
    Semi,
}
