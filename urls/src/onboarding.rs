//! The data location named by a Defender for Endpoint onboarding file.
//!
//! Every form carries the same JSON document (`orgId`, `vortexGeoLocation`,
//! `datacenter`, and for streamlined onboarding `partnerGeoLocation` such as
//! `GW_US`), wrapped differently: Windows stores `{"body": "<escaped JSON>", "sig": ...}`
//! in the `OnboardingInfo` registry value (written by the onboarding script), Linux
//! ships `{"onboardingInfo": "<escaped JSON>"}` or a Python script embedding it,
//! macOS a plist with an `OnboardingInfo` string.

use serde_json::Value;

use crate::geo::Geography;

/// What an onboarding file says about where the tenant's data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnboardingGeo {
    /// The catalog geography to select.
    pub geography: Geography,
    /// True for streamlined connectivity (`partnerGeoLocation` = `GW_*`).
    pub streamlined: bool,
    /// The raw value the geography came from (`GW_US`, `EU`, ...).
    pub raw: String,
    /// The datacenter, when given (`WestEurope`).
    pub datacenter: Option<String>,
}

/// Finds the geography in any of the wrappings (see the module docs).
pub fn geography_from_text(text: &str) -> Option<OnboardingGeo> {
    let fields = serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}'))
        .ok()
        .and_then(|v| fields_from_json(&v, 0))
        .or_else(|| fields_from_text(text))?;
    interpret(fields)
}

#[derive(Debug, Default)]
struct Fields {
    vortex: Option<String>,
    partner: Option<String>,
    datacenter: Option<String>,
}

fn fields_from_json(v: &Value, depth: u8) -> Option<Fields> {
    if depth > 4 {
        return None;
    }
    match v {
        Value::Object(map) => {
            let get = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_string);
            let f = Fields {
                vortex: get("vortexGeoLocation"),
                partner: get("partnerGeoLocation"),
                datacenter: get("datacenter"),
            };
            if f.vortex.is_some() || f.partner.is_some() {
                return Some(f);
            }
            // Wrappers hold the document as an escaped JSON string.
            map.values()
                .find_map(|inner| fields_from_json(inner, depth + 1))
        }
        Value::String(s) if s.trim_start().starts_with('{') => serde_json::from_str::<Value>(s)
            .ok()
            .and_then(|inner| fields_from_json(&inner, depth + 1)),
        _ => None,
    }
}

/// Scripts and plists embed the JSON with one or more levels of escaping: strip
/// the backslashes and look for the keys.
fn fields_from_text(text: &str) -> Option<Fields> {
    // macOS plists escape quotes as XML entities.
    let plain: String = text
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace('\\', "");
    let value_after = |key: &str| -> Option<String> {
        let at = plain.find(&format!("\"{key}\""))? + key.len() + 2;
        let rest = plain
            .get(at..)?
            .trim_start_matches(|c: char| c == ':' || c == '"' || c.is_whitespace());
        let value: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        (!value.is_empty()).then_some(value)
    };
    let f = Fields {
        vortex: value_after("vortexGeoLocation"),
        partner: value_after("partnerGeoLocation"),
        datacenter: value_after("datacenter"),
    };
    (f.vortex.is_some() || f.partner.is_some()).then_some(f)
}

fn interpret(f: Fields) -> Option<OnboardingGeo> {
    if let Some(partner) = f.partner.filter(|p| !p.is_empty()) {
        let code = partner.strip_prefix("GW_").unwrap_or(&partner);
        let geography = Geography::parse(code)?;
        return Some(OnboardingGeo {
            geography,
            streamlined: partner.starts_with("GW_"),
            raw: partner,
            datacenter: f.datacenter,
        });
    }
    let vortex = f.vortex?;
    // Government tenants report "FFL4"; the datacenter tells GCC (UsMod*) from GCC
    // High / DoD (UsGov*), which share endpoints.
    let geography = if vortex.eq_ignore_ascii_case("FFL4") {
        match f.datacenter.as_deref() {
            Some(dc) if dc.to_ascii_lowercase().starts_with("usmod") => Geography::Gcc,
            Some(dc) if dc.to_ascii_lowercase().starts_with("usgov") => Geography::GccHigh,
            _ => Geography::UsGov,
        }
    } else {
        Geography::parse(&vortex)?
    };
    Some(OnboardingGeo {
        geography,
        streamlined: false,
        raw: vortex,
        datacenter: f.datacenter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"previousOrgIds":[],"orgId":"00000000-1111-2222-3333-444444444444","geoLocationUrl":"https://winatp-gw-weu.microsoft.com/","datacenter":"WestEurope","vortexGeoLocation":"EU","version":"1.7"}"#;

    #[test]
    fn windows_registry_json_with_body() {
        let doc =
            serde_json::json!({"body": BODY, "sig": "abc", "sha256sig": "def", "cert": "MII"})
                .to_string();
        let g = geography_from_text(&doc).unwrap();
        assert_eq!(g.geography, Geography::Eu);
        assert!(!g.streamlined);
        assert_eq!(g.datacenter.as_deref(), Some("WestEurope"));
    }

    #[test]
    fn linux_wrapper_and_streamlined_partner_location() {
        let body = BODY.replace(
            "\"version\"",
            "\"partnerGeoLocation\":\"GW_US\",\"version\"",
        );
        let inner = serde_json::json!({"body": body, "sig": "x"}).to_string();
        let doc = serde_json::json!({ "onboardingInfo": inner }).to_string();
        let g = geography_from_text(&doc).unwrap();
        assert_eq!(g.geography, Geography::Us);
        assert!(g.streamlined);
        assert_eq!(g.raw, "GW_US");
    }

    #[test]
    fn script_with_escaped_json() {
        let escaped =
            serde_json::to_string(&serde_json::json!({"body": BODY}).to_string()).unwrap();
        let script = format!(
            "@echo off\r\nREG add HKLM\\SOFTWARE\\Policies /v OnboardingInfo /t REG_SZ /f /d {escaped}\r\n"
        );
        let g = geography_from_text(&script).unwrap();
        assert_eq!(g.geography, Geography::Eu);
    }

    #[test]
    fn macos_plist() {
        let escaped = BODY.replace('"', "&quot;");
        let plist = format!(
            "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict>\n<key>OrgId</key><string>x</string>\n<key>OnboardingInfo</key><string>{{&quot;body&quot;:&quot;{}&quot;}}</string>\n</dict></plist>\n",
            escaped.replace("&quot;", "\\&quot;")
        );
        let g = geography_from_text(&plist).unwrap();
        assert_eq!(g.geography, Geography::Eu);
    }

    #[test]
    fn government_datacenters() {
        let gcc = r#"{"vortexGeoLocation":"FFL4","datacenter":"UsModVirginia"}"#;
        assert_eq!(geography_from_text(gcc).unwrap().geography, Geography::Gcc);
        let high = r#"{"vortexGeoLocation":"FFL4","datacenter":"UsGovTexas"}"#;
        assert_eq!(
            geography_from_text(high).unwrap().geography,
            Geography::GccHigh
        );
    }

    #[test]
    fn other_files_are_not_onboarding_files() {
        assert!(geography_from_text("{\"a\": 1}").is_none());
        assert!(geography_from_text("hello").is_none());
    }
}
