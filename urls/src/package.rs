//! Defender for Endpoint onboarding and offboarding packages, read from
//! every form the vendor ships.
//!
//! Each form carries one signed document, `{"body": "<escaped JSON>",
//! "sig": ..., "cert": ..., "chain": [...]}`, wrapped differently: the
//! Windows `WindowsDefenderATP.onboarding` file holds it as is; the Windows
//! onboarding and offboarding scripts write it, escaped once more, into a
//! registry value with `REG add ... /d "..."`; Linux ships
//! `mdatp_onboard.json` (`{"onboardingInfo": "<escaped document>"}`) or a
//! Python script embedding it; macOS a plist (`OrgId`, `OnboardingInfo`)
//! whose XML escapes the quotes. The vendor's `.zip` packages hold any of
//! these. The body names the organisation, the data location
//! (`vortexGeoLocation`, or `partnerGeoLocation` such as `GW_US` for
//! streamlined connectivity), the datacenter, the gateway URL and a version;
//! an offboarding body carries its expiry (`expirationTimestamp`, a Windows
//! FILETIME) and the package's name its last valid day
//! (`..._valid_until_YYYY-MM-DD...`).

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::onboarding::{OnboardingGeo, geography_from_text};

/// Packages are a few KiB; a zip of them a few tens.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// A member of a zip is read up to this size (a zip bomb stops here).
const MAX_MEMBER_BYTES: u64 = 4 * 1024 * 1024;

/// Onboarding or offboarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageKind {
    /// Connects machines to the tenant.
    Onboarding,
    /// Disconnects them (valid for 30 days after download).
    Offboarding,
}

impl PackageKind {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Onboarding => "onboarding",
            Self::Offboarding => "offboarding",
        }
    }
}

/// The certificate that signed the package's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
}

/// When an offboarding package stops working, and what says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiry {
    /// The last valid moment (RFC 3339) or day (`YYYY-MM-DD`).
    pub at: String,
    /// `content` (the signed document) or `file name`.
    pub from: String,
}

/// What one package says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    /// The file (and the member, inside a zip: `package.zip!member`).
    pub source: String,
    /// The form it came in.
    pub form: String,
    /// Onboarding or offboarding.
    pub kind: PackageKind,
    /// The organisation (tenant) id.
    pub org_id: Option<String>,
    /// Organisations an offboarding package also covers.
    pub org_ids: Vec<String>,
    /// `vortexGeoLocation`.
    pub vortex_geo_location: Option<String>,
    /// `partnerGeoLocation` (streamlined connectivity: `GW_*`).
    pub partner_geo_location: Option<String>,
    /// The datacenter.
    pub datacenter: Option<String>,
    /// The gateway URL (`geoLocationUrl`).
    pub gateway_url: Option<String>,
    /// The document's version.
    pub version: Option<String>,
    /// The signing certificate, when the document carries it.
    pub signer: Option<Signer>,
    /// The expiry of an offboarding package: from the content, else the name.
    pub expires: Option<Expiry>,
    /// The expiry the file name states, when it states one.
    pub name_expires: Option<String>,
    /// The catalog geography the package selects.
    #[serde(skip)]
    pub geography: Option<OnboardingGeo>,
    /// Things worth knowing about the file itself.
    pub notes: Vec<String>,
}

/// A package could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// The file could not be read: missing, not a regular file, too large.
    #[error(transparent)]
    File(#[from] pathprobe_files::ReadError),
    /// Larger than any package.
    #[error("{source_name}: {size} bytes, over the {limit}-byte limit for an onboarding package")]
    TooLarge {
        /// The file or member.
        source_name: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Not a package, or a damaged one.
    #[error("{source_name}: {reason}")]
    NotAPackage {
        /// The file or member.
        source_name: String,
        /// What was wrong.
        reason: String,
    },
}

/// Reads every package in `path` (several when it is a zip).
pub fn read_packages(path: &Path) -> Result<Vec<Package>, PackageError> {
    let shown = path.display().to_string();
    let bytes = pathprobe_files::read(path, MAX_FILE_BYTES)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        return read_zip(&shown, &bytes);
    }
    Ok(vec![read_package(&shown, &name, &bytes)?])
}

fn read_zip(shown: &str, bytes: &[u8]) -> Result<Vec<Package>, PackageError> {
    let bad = |reason: String| PackageError::NotAPackage {
        source_name: shown.to_owned(),
        reason,
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("a damaged zip: {e}")))?;
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for i in 0..archive.len() {
        let mut member = archive
            .by_index(i)
            .map_err(|e| bad(format!("a damaged zip: {e}")))?;
        if member.is_dir() {
            continue;
        }
        let name = member
            .enclosed_name()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|| "(unsafe member name)".into());
        let member_source = format!("{shown}!{name}");
        let mut data = Vec::new();
        (&mut member)
            .take(MAX_MEMBER_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(|e| bad(format!("{name}: {e}")))?;
        if data.len() as u64 > MAX_MEMBER_BYTES {
            return Err(PackageError::TooLarge {
                source_name: member_source,
                size: member.size(),
                limit: MAX_MEMBER_BYTES,
            });
        }
        let base = name.rsplit('/').next().unwrap_or(&name).to_owned();
        match read_package(&member_source, &base, &data) {
            Ok(p) => found.push(p),
            // READMEs and helper files sit beside the package.
            Err(PackageError::NotAPackage { .. }) => skipped.push(name),
            Err(e) => return Err(e),
        }
    }
    if found.is_empty() {
        return Err(bad(format!(
            "no onboarding or offboarding package in the zip (members: {})",
            if skipped.is_empty() {
                "none".to_owned()
            } else {
                pathprobe_files::quote::list(&skipped, 10)
            }
        )));
    }
    Ok(found)
}

/// Text of a file: UTF-8 (with or without BOM) or UTF-16 (with or without
/// BOM), as Windows tools often write.
fn decode(bytes: &[u8]) -> Result<(String, Option<&'static str>), String> {
    let utf16 = |units: Vec<u16>| {
        String::from_utf16(&units).map_err(|_| "UTF-16 text that does not decode".to_owned())
    };
    let pairs = |rest: &[u8], little: bool| -> Vec<u16> {
        rest.chunks_exact(2)
            .map(|c| match c {
                [a, b] if little => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => 0,
            })
            .collect()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return Ok((
            utf16(pairs(rest, true))?,
            Some("UTF-16 (little-endian) text"),
        ));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return Ok((utf16(pairs(rest, false))?, Some("UTF-16 (big-endian) text")));
    }
    let rest = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    // UTF-8 text has no NUL bytes; UTF-16 of Latin text has one in every
    // other byte, on the odd side when little-endian. (NUL is valid UTF-8,
    // so this is decided before UTF-8 is tried.)
    let sample = rest.get(..4096).unwrap_or(rest);
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    // Whole code units, and NULs on one side in most of them: binary data
    // with a stray NUL is not taken for text.
    if rest.len().is_multiple_of(2)
        && odd.max(even) * 4 >= sample.len() / 2 * 3
        && odd.min(even) == 0
        && odd + even > 0
    {
        let little = odd >= even;
        return Ok((
            utf16(pairs(rest, little))?,
            Some(if little {
                "UTF-16 (little-endian) text without a byte-order mark"
            } else {
                "UTF-16 (big-endian) text without a byte-order mark"
            }),
        ));
    }
    match std::str::from_utf8(rest) {
        Ok(t) => Ok((t.to_owned(), None)),
        Err(e) => Err(format!(
            "not text in UTF-8 or UTF-16 (byte {} is invalid): not an onboarding package",
            e.valid_up_to()
        )),
    }
}

/// Undoes `levels` rounds of backslash escaping.
fn unescape(text: &str, levels: usize) -> String {
    let mut out = text.to_owned();
    for _ in 0..levels {
        let mut next = String::with_capacity(out.len());
        let mut chars = out.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some(n) => next.push(n),
                    None => next.push('\\'),
                }
            } else {
                next.push(c);
            }
        }
        out = next;
    }
    out
}

/// The signed document `{"body": ..., ...}` wherever the form hides it.
fn find_document(text: &str) -> Result<Map<String, Value>, String> {
    // Whole-file JSON: the .onboarding file, mdatp_onboard.json.
    if let Ok(v) = serde_json::from_str::<Value>(text.trim())
        && let Some(doc) = document_in(&v, 0)
    {
        return Ok(doc);
    }
    // Scripts and plists: find `body` and read the object around it, undoing
    // one level of escaping at a time.
    let plain = text
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x22;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let mut damaged = None;
    let mut from = 0;
    while let Some(i) = plain[from..].find("body") {
        let at = from + i;
        from = at + 4;
        let Some(open) = plain[..at].rfind('{') else {
            continue;
        };
        for levels in 0..6 {
            let candidate = unescape(&plain[open..], levels);
            let mut stream = serde_json::Deserializer::from_str(&candidate).into_iter::<Value>();
            match stream.next() {
                Some(Ok(v)) => {
                    if let Some(doc) = document_in(&v, 0) {
                        return Ok(doc);
                    }
                }
                Some(Err(e)) if e.is_eof() => {
                    damaged = Some("the document ends too early (a truncated file?)".to_owned());
                }
                _ => {}
            }
        }
    }
    Err(damaged.unwrap_or_else(|| {
        "no onboarding document (a JSON object with a \"body\") found: not an onboarding or offboarding package".to_owned()
    }))
}

/// The document in a parsed value: an object with a `body`, possibly as an
/// escaped string inside a wrapper (`onboardingInfo`).
fn document_in(v: &Value, depth: u8) -> Option<Map<String, Value>> {
    if depth > 4 {
        return None;
    }
    match v {
        Value::Object(map) if map.contains_key("body") => Some(map.clone()),
        Value::Object(map) => map.values().find_map(|inner| document_in(inner, depth + 1)),
        Value::String(s) if s.trim_start().starts_with('{') => serde_json::from_str::<Value>(s)
            .ok()
            .and_then(|inner| document_in(&inner, depth + 1)),
        _ => None,
    }
}

/// The body as an object; a body escaped twice is read and noted.
fn body_of(
    doc: &Map<String, Value>,
    notes: &mut Vec<String>,
) -> Result<Map<String, Value>, String> {
    let mut value = doc.get("body").cloned().unwrap_or(Value::Null);
    for round in 0..3 {
        match value {
            Value::Object(map) => return Ok(map),
            Value::String(s) => {
                value = serde_json::from_str(&s).map_err(|e| {
                    format!(
                        "the document's body is not JSON ({}): a damaged package",
                        pathprobe_files::words::serde_message(&e.to_string())
                    )
                })?;
                if round == 1 {
                    notes.push(
                        "the body is escaped twice (copied through another tool?); read anyway"
                            .into(),
                    );
                }
            }
            _ => return Err("the document's body is not a JSON object: a damaged package".into()),
        }
    }
    Err("the document's body is escaped more than twice: a damaged package".into())
}

/// A Windows FILETIME (100 ns since 1601-01-01) as RFC 3339.
fn filetime(ticks: i128) -> Option<String> {
    if ticks < 0 {
        return None;
    }
    let unix = ticks / 10_000_000 - 11_644_473_600;
    let secs = i64::try_from(unix).ok()?;
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => Some(t.to_string()),
        // Windows' file times reach 30828; dates past the last one this
        // calendar holds (9999-12-30) are "never expires" in effect.
        Err(_) if secs > jiff::Timestamp::MAX.as_second() => {
            let last = jiff::Timestamp::from_second(jiff::Timestamp::MAX.as_second()).ok()?;
            Some(format!("{last} or later"))
        }
        Err(_) => None,
    }
}

/// `..._valid_until_YYYY-MM-DD...` in a file name.
fn name_expiry(name: &str) -> Option<String> {
    let at = name.to_ascii_lowercase().find("valid_until_")? + "valid_until_".len();
    let date = name.get(at..at + 10)?;
    date.parse::<jiff::civil::Date>()
        .ok()
        .map(|d| d.to_string())
}

fn signer(doc: &Map<String, Value>) -> Option<Signer> {
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(doc.get("cert")?.as_str()?.trim())
        .ok()?;
    let (_, cert) = x509_parser::parse_x509_certificate(&der).ok()?;
    let not_after = jiff::Timestamp::from_second(cert.validity().not_after.timestamp())
        .map(|t| t.to_string())
        .unwrap_or_default();
    Some(Signer {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_after,
    })
}

fn form_of(name: &str, text: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let form = if lower.ends_with(".onboarding") {
        "Windows onboarding file"
    } else if lower.ends_with(".offboarding") {
        "Windows offboarding file"
    } else if lower.ends_with(".cmd") || lower.ends_with(".bat") {
        "Windows script (registry value)"
    } else if lower.ends_with(".py") || lower.ends_with(".sh") {
        "Linux onboarding script"
    } else if lower.ends_with(".plist") || lower.ends_with(".xml") || text.contains("<plist") {
        "macOS plist"
    } else if text.contains("onboardingInfo") {
        "Linux mdatp_onboard.json"
    } else if lower.ends_with(".json") {
        "JSON document"
    } else {
        "onboarding document"
    };
    form.to_owned()
}

/// Reads one package from its bytes; `name` is its file name.
pub fn read_package(source: &str, name: &str, bytes: &[u8]) -> Result<Package, PackageError> {
    let bad = |reason: String| PackageError::NotAPackage {
        source_name: source.to_owned(),
        reason,
    };
    let (text, encoding) = decode(bytes).map_err(bad)?;
    let mut notes = Vec::new();
    if let Some(e) = encoding {
        notes.push(format!("read as {e}"));
    }
    let doc = find_document(&text).map_err(bad)?;
    let body = body_of(&doc, &mut notes).map_err(bad)?;
    let get = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
    let org_ids: Vec<String> = body
        .get("orgIds")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let stated = body.get("expirationTimestamp");
    let expiration = stated.and_then(|v| {
        v.as_i64()
            .map(i128::from)
            .or_else(|| v.as_u64().map(i128::from))
    });
    let content_expiry = expiration.and_then(filetime);
    // Stated but not a date: the package is damaged, and says so, instead
    // of "no expiry stated" (or a file name deciding in silence).
    if let Some(v) = stated
        && content_expiry.is_none()
    {
        notes.push(format!(
            "expirationTimestamp {} is not a Windows file time (100 ns ticks since 1601) that names a date: a damaged package; its validity is unknown",
            pathprobe_files::quote::excerpt(&v.to_string(), 60)
        ));
    }
    let lower = name.to_ascii_lowercase();
    let kind = if stated.is_some() || lower.contains("offboarding") {
        PackageKind::Offboarding
    } else {
        PackageKind::Onboarding
    };
    let name_expires = name_expiry(name);
    let expires = match (content_expiry, &name_expires) {
        (Some(at), _) => Some(Expiry {
            at,
            from: "content".into(),
        }),
        (None, Some(day)) => Some(Expiry {
            at: day.clone(),
            from: "file name".into(),
        }),
        (None, None) => None,
    };
    let geography = geography_from_text(&Value::Object(body.clone()).to_string());
    if kind == PackageKind::Onboarding && get("orgId").is_none() {
        return Err(bad(
            "the document names no organisation (orgId): a damaged package".into(),
        ));
    }
    Ok(Package {
        source: source.to_owned(),
        form: form_of(name, &text),
        kind,
        org_id: get("orgId"),
        org_ids,
        vortex_geo_location: get("vortexGeoLocation"),
        partner_geo_location: get("partnerGeoLocation"),
        datacenter: get("datacenter"),
        gateway_url: get("geoLocationUrl"),
        version: get("version"),
        signer: signer(&doc),
        expires,
        name_expires,
        geography,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "0a1b2c3d-0000-4000-8000-00000000abcd";

    fn body() -> String {
        format!(
            r#"{{"previousOrgIds":[],"orgId":"{ORG}","geoLocationUrl":"https://winatp-gw-weu.microsoft.com/","datacenter":"WestEurope","vortexGeoLocation":"EU","version":"1.7"}}"#
        )
    }

    fn document(body: &str) -> String {
        serde_json::json!({"body": body, "sig": "c2ln", "sha256sig": "", "cert": ""}).to_string()
    }

    #[test]
    fn an_expiry_that_is_no_date_is_said_and_far_ones_are_read() {
        let offboarding = |stamp: &str, name: &str| {
            let body =
                format!(r#"{{"orgIds":["{ORG}"],"orgId":"{ORG}","expirationTimestamp":{stamp}}}"#);
            read_package("x", name, document(&body).as_bytes()).unwrap()
        };
        for stamp in ["\"abc\"", "1e300", "1.5", "null", "-9223372036854775808"] {
            let p = offboarding(stamp, "WindowsDefenderATPOffboardingPackage.offboarding");
            assert_eq!(p.kind, PackageKind::Offboarding, "{stamp}");
            assert!(p.expires.is_none(), "{stamp}");
            assert!(
                p.notes.iter().any(|n| n.contains("damaged package")),
                "{stamp}: {:?}",
                p.notes
            );
            // A date in the file name is shown, beside the note.
            let named = offboarding(stamp, "x_valid_until_2026-12-01.offboarding");
            assert_eq!(named.expires.unwrap().from, "file name");
            assert!(named.notes.iter().any(|n| n.contains("damaged package")));
        }
        let far = offboarding("2650467743999999999", "x.offboarding");
        let at = far.expires.unwrap().at;
        assert!(
            at.starts_with("9999-12-30") && at.ends_with("or later"),
            "{at}"
        );
    }

    #[test]
    fn the_windows_onboarding_file() {
        let p = read_package(
            "x",
            "WindowsDefenderATP.onboarding",
            document(&body()).as_bytes(),
        )
        .unwrap();
        assert_eq!(p.kind, PackageKind::Onboarding);
        assert_eq!(p.org_id.as_deref(), Some(ORG));
        assert_eq!(p.vortex_geo_location.as_deref(), Some("EU"));
        assert_eq!(
            p.gateway_url.as_deref(),
            Some("https://winatp-gw-weu.microsoft.com/")
        );
        assert_eq!(p.form, "Windows onboarding file");
        assert!(p.geography.is_some());
    }

    #[test]
    fn the_windows_script_escapes_once_more() {
        let inner = document(&body()).replace('\\', "\\\\").replace('"', "\\\"");
        let script = format!(
            "@echo off\r\nREG add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Advanced Threat Protection\" /v OnboardingInfo /t REG_SZ /f /d \"{inner}\" > NUL\r\n"
        );
        let p = read_package(
            "x",
            "WindowsDefenderATPLocalOnboardingScript.cmd",
            script.as_bytes(),
        )
        .unwrap();
        assert_eq!(p.org_id.as_deref(), Some(ORG));
        assert_eq!(p.form, "Windows script (registry value)");
    }

    #[test]
    fn utf16_with_bom_is_read() {
        let text = document(&body());
        let mut bytes = vec![0xff, 0xfe];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let p = read_package("x", "WindowsDefenderATP.onboarding", &bytes).unwrap();
        assert_eq!(p.org_id.as_deref(), Some(ORG));
        assert!(p.notes.iter().any(|n| n.contains("UTF-16")));
    }

    #[test]
    fn utf16_without_bom_is_read_in_either_byte_order() {
        let text = document(&body());
        for little in [true, false] {
            let bytes: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| {
                    if little {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
            let p = read_package("x", "WindowsDefenderATP.onboarding", &bytes).unwrap();
            assert_eq!(p.org_id.as_deref(), Some(ORG), "little-endian: {little}");
            let order = if little {
                "little-endian"
            } else {
                "big-endian"
            };
            assert!(
                p.notes
                    .iter()
                    .any(|n| n.contains(order) && n.contains("without")),
                "{:?}",
                p.notes
            );
        }
    }

    #[test]
    fn offboarding_expiry_from_content_and_name() {
        // 2022-10-21 in FILETIME ticks.
        let body = format!(
            r#"{{"orgIds":["{ORG}"],"orgId":"{ORG}","expirationTimestamp":133108473269484019,"version":"1.4"}}"#
        );
        let p = read_package(
            "x",
            "WindowsDefenderATP_valid_until_2022-10-21.offboarding",
            document(&body).as_bytes(),
        )
        .unwrap();
        assert_eq!(p.kind, PackageKind::Offboarding);
        assert_eq!(p.expires.as_ref().unwrap().from, "content");
        assert!(
            p.expires.as_ref().unwrap().at.starts_with("2022-10-2"),
            "{:?}",
            p.expires
        );
        assert_eq!(p.name_expires.as_deref(), Some("2022-10-21"));
    }

    #[test]
    fn damaged_inputs_say_what_is_wrong() {
        let truncated = document(&body());
        let truncated = &truncated[..truncated.len() / 2];
        let e = read_package("t.onboarding", "t.onboarding", truncated.as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("t.onboarding: "), "{e}");
        assert!(
            e.to_string().contains("truncated") || e.to_string().contains("damaged"),
            "{e}"
        );
        let e = read_package("n.txt", "n.txt", b"hello world").unwrap_err();
        assert!(
            e.to_string()
                .contains("not an onboarding or offboarding package"),
            "{e}"
        );
        let e = read_package("b.bin", "b.bin", &[0xff, 0x00, 0xc3, 0x28, 0x80]).unwrap_err();
        assert!(e.to_string().contains("not text"), "{e}");
        let twice = serde_json::to_string(&body()).unwrap();
        let p = read_package(
            "x",
            "WindowsDefenderATP.onboarding",
            document(&twice).as_bytes(),
        )
        .unwrap();
        assert!(p.notes.iter().any(|n| n.contains("escaped twice")));
    }
}
