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
///
/// Read as regedit imports it: a value written again replaces the one
/// before, `"TelemetryProxyServer"=-` deletes it, and `[-KEY]` deletes the
/// key with its values (round 22: the first value won, and deletions were
/// not seen).
pub fn from_reg_export(path: &str, bytes: &[u8]) -> SourceResult {
    let text = reg_text(bytes);
    let mut key = String::new();
    let mut key_deleted = false;
    let mut seen_header = false;
    // The value in force (its line, text and key), and how many were
    // written.
    let mut value: Option<(usize, String, String)> = None;
    let mut written = 0usize;
    let mut misplaced: Option<(usize, String)> = None;
    let is_policy_key = |k: &str| k.to_ascii_lowercase().contains("datacollection");
    let provenance_of = |key: &str| {
        Provenance::new(
            SourceKind::WindowsTelemetryPolicy,
            path,
            Some(&format!("{key}\\TelemetryProxyServer")),
        )
    };
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with("Windows Registry Editor") || line == "REGEDIT4" {
            seen_header = true;
            continue;
        }
        if let Some(k) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            match k.strip_prefix('-') {
                Some(gone) => {
                    key = gone.to_owned();
                    key_deleted = true;
                    if is_policy_key(gone) {
                        value = None;
                    }
                }
                None => {
                    key = k.to_owned();
                    key_deleted = false;
                }
            }
            continue;
        }
        let Some((name, given)) = line.split_once('=') else {
            continue;
        };
        if !name
            .trim()
            .trim_matches('"')
            .eq_ignore_ascii_case("TelemetryProxyServer")
        {
            continue;
        }
        // Values under a key being deleted are not imported.
        if key_deleted {
            continue;
        }
        if !is_policy_key(&key) {
            misplaced.get_or_insert((n + 1, key.clone()));
            continue;
        }
        let given = given.trim();
        if given == "-" {
            value = None;
            continue;
        }
        let Some(quoted) = given.strip_prefix('"') else {
            return Err(SourceProblem::new(
                provenance_of(&key),
                format!(
                    "line {}: TelemetryProxyServer must be a string (REG_SZ), found {}",
                    n + 1,
                    pathprobe_files::quote::quoted(given)
                ),
            ));
        };
        let Some(inner) = quoted.strip_suffix('"') else {
            // Its text is not quoted: it may hold a password.
            return Err(SourceProblem::new(
                provenance_of(&key),
                format!(
                    "line {}: TelemetryProxyServer's string does not close (no \" at the end of the line)",
                    n + 1
                ),
            ));
        };
        written += 1;
        value = Some((n + 1, inner.replace("\\\\", "\\"), key.clone()));
    }
    if !seen_header {
        return Err(SourceProblem::new(
            Provenance::new(SourceKind::WindowsTelemetryPolicy, path, None),
            "not a registry export (no \"Windows Registry Editor\" header)",
        ));
    }
    let Some((line, inner, in_key)) = value else {
        return match misplaced {
            Some((line, key)) => Err(SourceProblem::new(
                provenance_of(&key),
                format!(
                    "line {line}: TelemetryProxyServer is under {}, not the DataCollection policy key the agent reads",
                    pathprobe_files::quote::quoted(&key)
                ),
            )),
            None => Ok(Vec::new()),
        };
    };
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    let provenance = provenance_of(&in_key);
    let p = proxy(&inner, PortDefault::Scheme, &provenance)?;
    let mut found = Found::new(
        provenance,
        ProxyConfig::single(p, BypassList::none(BypassStyle::WinHttp)),
    );
    if written > 1 {
        found.warnings.push(format!(
            "TelemetryProxyServer is written {written} times; the last, on line {line}, is in force (regedit imports them in order)"
        ));
    }
    Ok(vec![found])
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

/// The two registry blobs that hold a proxy configuration: WinHTTP's
/// `WinHttpSettings` (what `netsh winhttp show proxy` prints) and WinINet's
/// `DefaultConnectionSettings` (Internet Options). Both are a little-endian
/// header — a version, a change counter, flags — then length-prefixed
/// strings: the proxy, the bypass list and (WinINet only) the PAC URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionBlob {
    /// `HKLM\…\Internet Settings\Connections\WinHttpSettings`.
    WinHttp,
    /// `…\Internet Settings\Connections\DefaultConnectionSettings`.
    WinInet,
}

impl ConnectionBlob {
    /// The source kind its settings are named by.
    pub fn kind(self) -> SourceKind {
        match self {
            ConnectionBlob::WinHttp => SourceKind::WinHttp,
            ConnectionBlob::WinInet => SourceKind::WinInet,
        }
    }
}

/// The flags of a connection blob (`PROXY_TYPE_*` in WinINet's headers).
const FLAG_PROXY: u32 = 0x02;
const FLAG_AUTO_PROXY_URL: u32 = 0x04;
const FLAG_AUTO_DETECT: u32 = 0x08;
/// Longest string a blob may hold: far beyond any proxy list, and a
/// corrupt length never makes the reader allocate what it says.
const MAX_BLOB_STRING: usize = 32 * 1024;

struct BlobReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl BlobReader<'_> {
    fn u32(&mut self, what: &str) -> Result<u32, String> {
        let word: [u8; 4] = self
            .bytes
            .get(self.at..self.at + 4)
            .and_then(|w| w.try_into().ok())
            .ok_or_else(|| format!("it ends at byte {} before the {what}", self.bytes.len()))?;
        self.at += 4;
        Ok(u32::from_le_bytes(word))
    }

    fn string(&mut self, what: &str) -> Result<String, String> {
        let at = self.at;
        let len =
            usize::try_from(self.u32(&format!("length of the {what}"))?).unwrap_or(usize::MAX);
        if len > MAX_BLOB_STRING {
            return Err(format!(
                "the {what} at byte {at} claims {len} bytes (at most {MAX_BLOB_STRING})"
            ));
        }
        let raw = self.bytes.get(self.at..self.at + len).ok_or_else(|| {
            format!(
                "the {what} at byte {at} claims {len} bytes; {} remain",
                self.bytes.len().saturating_sub(self.at)
            )
        })?;
        self.at += len;
        // ANSI text; a trailing NUL some writers add is not part of it.
        let text = String::from_utf8_lossy(raw);
        let text = text.trim_end_matches('\0');
        if text.chars().any(|c| c.is_control() || c == '\u{FFFD}') {
            return Err(format!("the {what} at byte {at} holds binary data"));
        }
        Ok(text.trim().to_owned())
    }
}

/// A connection blob as the settings its clients use, in the order they try
/// them (auto-detect, then the PAC URL, then the fixed proxy); `where_`
/// names the registry key, `value` the value read.
pub fn from_connection_blob(
    blob: ConnectionBlob,
    where_: &str,
    value: &str,
    bytes: &[u8],
) -> SourceResult {
    let kind = blob.kind();
    let provenance = Provenance::new(kind, where_, Some(value));
    let problem = |why: String| SourceProblem::new(provenance.clone(), why);
    let mut r = BlobReader { bytes, at: 0 };
    let version = r.u32("version").map_err(problem)?;
    // WinHTTP writes 0x18; Internet Explorer 5 wrote 0x3C, later ones 0x46.
    // A blob of another layout would be read as nonsense: refuse it.
    if !(0x18..=0x1000).contains(&version) {
        return Err(problem(format!(
            "version {version:#x} is not a connection settings layout this reader knows"
        )));
    }
    let _counter = r.u32("change counter").map_err(problem)?;
    let flags = r.u32("flags").map_err(problem)?;
    let server = r.string("proxy server").map_err(problem)?;
    let bypass = r.string("bypass list").map_err(problem)?;
    let pac = match blob {
        ConnectionBlob::WinInet => r.string("PAC URL").map_err(problem)?,
        ConnectionBlob::WinHttp => String::new(),
    };
    let bypass = if bypass.is_empty() {
        BypassList::none(BypassStyle::WinHttp)
    } else {
        BypassList::winhttp(&bypass)
    };
    let part = |name: &str| Provenance::new(kind, where_, Some(&format!("{value} ({name})")));
    let mut found = Vec::new();
    if blob == ConnectionBlob::WinInet && flags & FLAG_AUTO_DETECT != 0 {
        found.push(Found::new(
            part("automatically detect settings"),
            ProxyConfig::AutoDetect,
        ));
    }
    if blob == ConnectionBlob::WinInet && flags & FLAG_AUTO_PROXY_URL != 0 {
        if pac.is_empty() {
            return Err(problem(
                "the automatic configuration script is turned on with no address".into(),
            ));
        }
        let p = part("automatic configuration script");
        found.push(Found::new(p.clone(), pac_config(&pac, &p)?));
    }
    if flags & FLAG_PROXY != 0 {
        if server.is_empty() {
            return Err(problem(
                "a proxy server is turned on with no address".into(),
            ));
        }
        found.push(winhttp_found(&server, &part("proxy server"), bypass)?);
    }
    if found.is_empty() {
        found.push(Found::new(provenance, ProxyConfig::Direct));
    }
    Ok(found)
}

/// The `TelemetryProxyServer` policy value as read from the registry:
/// absent or blank is "not set", a value that is not a string is a problem.
pub fn from_telemetry_value(where_: &str, value: Option<Result<String, String>>) -> SourceResult {
    let provenance = Provenance::new(
        SourceKind::WindowsTelemetryPolicy,
        where_,
        Some("TelemetryProxyServer"),
    );
    match value {
        None => Ok(Vec::new()),
        Some(Err(why)) => Err(SourceProblem::new(provenance, why)),
        Some(Ok(text)) if text.trim().is_empty() => Ok(Vec::new()),
        Some(Ok(text)) => {
            let p = proxy(text.trim(), PortDefault::Scheme, &provenance)?;
            Ok(vec![Found::new(
                provenance,
                ProxyConfig::single(p, BypassList::none(BypassStyle::WinHttp)),
            )])
        }
    }
}
