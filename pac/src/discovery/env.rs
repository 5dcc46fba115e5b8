//! Proxy environment variables, read as curl reads them.
//!
//! curl's rules (its manual, "ENVIRONMENT"): `http_proxy` only in lower case
//! (the upper-case form is ignored since the "httpoxy" CGI problem);
//! `https_proxy`, `all_proxy` and `no_proxy` in either case, the lower-case
//! form winning. Other tools differ, so every disagreement is a warning.

use std::collections::BTreeMap;

use super::{
    BypassList, Found, PortDefault, Provenance, ProxyConfig, ProxySlot, ProxyUrl, SourceKind,
    SourceProblem, SourceResult, UnusableProxy,
};

/// Reads the process environment.
pub fn from_environment() -> SourceResult {
    let vars: BTreeMap<String, String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    from_variables(SourceKind::Environment, "environment", &vars)
}

/// Reads proxy variables from a map (`/etc/environment` uses this too).
/// `where_` names the place for messages.
pub fn from_variables(
    kind: SourceKind,
    where_: &str,
    vars: &BTreeMap<String, String>,
) -> SourceResult {
    let get = |name: &str| vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut warnings = Vec::new();
    // Picks the variable curl uses and notes the one it ignores.
    let mut pick = |lower: &str, upper: &str, upper_allowed: bool| -> Option<(String, String)> {
        match (get(lower), get(upper)) {
            (Some(l), Some(u)) if l != u => {
                warnings.push(format!(
                    "{lower} and {upper} differ; curl uses {lower}, some other tools {upper}"
                ));
                Some((lower.to_owned(), l.to_owned()))
            }
            (Some(l), _) => Some((lower.to_owned(), l.to_owned())),
            (None, Some(u)) if upper_allowed => Some((upper.to_owned(), u.to_owned())),
            (None, Some(_)) => {
                warnings.push(format!(
                    "{upper} is set but curl reads only {lower} for http URLs; tools such as Go programs and Python requests do read {upper}"
                ));
                None
            }
            (None, None) => None,
        }
    };
    let http = pick("http_proxy", "HTTP_PROXY", false);
    let https = pick("https_proxy", "HTTPS_PROXY", true);
    let all = pick("all_proxy", "ALL_PROXY", true);
    let no_proxy = pick("no_proxy", "NO_PROXY", true);
    if http.is_none() && https.is_none() && all.is_none() {
        if let Some((name, _)) = &no_proxy {
            warnings.push(format!("{name} is set but no proxy variable is"));
        }
        return if warnings.is_empty() {
            Ok(Vec::new())
        } else {
            Err(SourceProblem::new(
                Provenance::new(kind, where_, None),
                warnings.join("; "),
            ))
        };
    }
    let names: Vec<&str> = [&http, &https, &all, &no_proxy]
        .into_iter()
        .flatten()
        .map(|(n, _)| n.as_str())
        .collect();
    let provenance = Provenance::new(kind, where_, Some(&names.join(", ")));
    // A value curl cannot use is kept as unusable, not dropped: curl fails
    // on the URLs that variable serves, so they must not look direct.
    let mut unusable = Vec::new();
    let mut parse = |var: &Option<(String, String)>, slot: ProxySlot| -> Option<ProxyUrl> {
        let (name, value) = var.as_ref()?;
        match ProxyUrl::parse(value, PortDefault::Curl) {
            Ok(url) => Some(url),
            Err(e) => {
                unusable.push(UnusableProxy {
                    slot,
                    name: name.clone(),
                    why: e.to_string(),
                });
                None
            }
        }
    };
    let (http, https, all) = (
        parse(&http, ProxySlot::Http),
        parse(&https, ProxySlot::Https),
        parse(&all, ProxySlot::All),
    );
    let bypass = match &no_proxy {
        Some((_, v)) => BypassList::curl(v),
        None => BypassList::none(super::BypassStyle::Curl),
    };
    let mut found = Found::new(
        provenance,
        ProxyConfig::Static {
            http,
            https,
            all,
            bypass: bypass.clone(),
            unusable: unusable.clone(),
        },
    );
    found.warnings.extend(unusable.iter().map(|u| {
        format!(
            "{} cannot be used ({}): clients reading it fail",
            u.name, u.why
        )
    }));
    found.warnings.extend(warnings);
    found.warnings.extend(bypass.warnings);
    Ok(vec![found])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn statics(found: &Found) -> (Option<String>, Option<String>, Option<String>, Vec<String>) {
        match &found.config {
            ProxyConfig::Static {
                http,
                https,
                all,
                bypass,
                ..
            } => (
                http.as_ref().map(ToString::to_string),
                https.as_ref().map(ToString::to_string),
                all.as_ref().map(ToString::to_string),
                bypass.entries.clone(),
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn curl_precedence_lower_case_wins() {
        let v = vars(&[
            ("https_proxy", "http://lower:3128"),
            ("HTTPS_PROXY", "http://upper:3128"),
            ("http_proxy", "http://plain:8080"),
            ("NO_PROXY", "localhost,.corp.example"),
        ]);
        let found = from_variables(SourceKind::Environment, "environment", &v).unwrap();
        let (http, https, all, bypass) = statics(&found[0]);
        assert_eq!(http.as_deref(), Some("http://plain:8080"));
        assert_eq!(https.as_deref(), Some("http://lower:3128"));
        assert_eq!(all, None);
        assert_eq!(bypass, vec!["localhost", ".corp.example"]);
        assert!(
            found[0].warnings.iter().any(|w| w.contains("differ")),
            "{:?}",
            found[0].warnings
        );
        assert_eq!(
            found[0].provenance.key.as_deref(),
            Some("http_proxy, https_proxy, NO_PROXY")
        );
    }

    #[test]
    fn upper_case_http_proxy_is_ignored_with_a_warning() {
        let v = vars(&[("HTTP_PROXY", "http://p:1"), ("HTTPS_PROXY", "http://p:2")]);
        let found = from_variables(SourceKind::Environment, "environment", &v).unwrap();
        let (http, https, _, _) = statics(&found[0]);
        assert_eq!(http, None);
        assert_eq!(https.as_deref(), Some("http://p:2"));
        assert!(
            found[0]
                .warnings
                .iter()
                .any(|w| w.contains("curl reads only http_proxy"))
        );
    }

    #[test]
    fn all_proxy_and_missing_ports() {
        let v = vars(&[("ALL_PROXY", "socks5h://gateway")]);
        let found = from_variables(SourceKind::Environment, "environment", &v).unwrap();
        let (_, _, all, _) = statics(&found[0]);
        assert_eq!(all.as_deref(), Some("socks5h://gateway:1080"));
        assert!(found[0].warnings.iter().any(|w| w.contains("no port")));
    }

    #[test]
    fn credentials_are_flagged_and_never_shown() {
        let v = vars(&[("https_proxy", "http://bob:hunter2@proxy:8080")]);
        let found = from_variables(SourceKind::Environment, "environment", &v).unwrap();
        let text = format!("{:?} {}", found, serde_json::to_string(&found).unwrap());
        assert!(!text.contains("hunter2") && !text.contains("bob"), "{text}");
        assert!(
            found[0]
                .warnings
                .iter()
                .any(|w| w.contains("authenticated proxy"))
        );
    }

    #[test]
    fn nothing_set_or_garbage() {
        assert!(
            from_variables(SourceKind::Environment, "environment", &vars(&[]))
                .unwrap()
                .is_empty()
        );
        // A value curl cannot use stays, as unusable for its URLs.
        let found = from_variables(
            SourceKind::Environment,
            "environment",
            &vars(&[
                ("https_proxy", "gopher://x"),
                ("http_proxy", "http://p:3128"),
            ]),
        )
        .unwrap();
        let ProxyConfig::Static { unusable, http, .. } = &found[0].config else {
            panic!("{found:?}")
        };
        assert!(http.is_some());
        assert_eq!(unusable.len(), 1);
        assert_eq!(unusable[0].name, "https_proxy");
        assert_eq!(unusable[0].slot, ProxySlot::Https);
        assert!(unusable[0].why.contains("unknown proxy scheme"));
        assert!(
            found[0]
                .warnings
                .iter()
                .any(|w| w.contains("https_proxy cannot be used"))
        );
        let e = from_variables(
            SourceKind::Environment,
            "environment",
            &vars(&[("no_proxy", "x")]),
        )
        .unwrap_err();
        assert!(e.message.contains("no proxy variable"));
    }
}
