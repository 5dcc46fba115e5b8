//! macOS: saved `scutil --proxy` output.

use std::collections::BTreeMap;

use super::{pac_config, proxy};
use crate::discovery::{
    BypassList, BypassStyle, Found, PortDefault, Provenance, ProxyConfig, ProxySlot, SourceKind,
    SourceProblem, SourceResult, UnusableProxy,
};

/// A value in `scutil --proxy` output.
#[derive(Debug, Clone)]
pub(super) enum Scutil {
    Text(String),
    List(Vec<Scutil>),
    Dict(BTreeMap<String, Scutil>),
}

pub(super) fn scutil_parse(
    lines: &mut std::iter::Peekable<std::str::Lines<'_>>,
    dict: bool,
) -> Result<Scutil, String> {
    let mut map = BTreeMap::new();
    let mut list = Vec::new();
    let mut closed = false;
    while let Some(raw) = lines.next() {
        let line = raw.trim();
        if line == "}" {
            closed = true;
            break;
        }
        let Some((key, value)) = line.split_once(" : ") else {
            continue;
        };
        let value = value.trim();
        let parsed = if value.starts_with("<dictionary>") {
            scutil_parse(lines, true)?
        } else if value.starts_with("<array>") {
            scutil_parse(lines, false)?
        } else {
            Scutil::Text(value.to_owned())
        };
        if dict {
            map.insert(key.trim().to_owned(), parsed);
        } else {
            list.push(parsed);
        }
    }
    // Cut short: what is missing may be any setting (round 22: taken as
    // whole).
    if !closed {
        return Err(format!(
            "the output ends inside {} that is not closed (cut short?)",
            if dict { "a <dictionary>" } else { "an <array>" }
        ));
    }
    Ok(if dict {
        Scutil::Dict(map)
    } else {
        Scutil::List(list)
    })
}

/// The output of `scutil --proxy` (macOS system proxy settings). WPAD,
/// then the PAC URL, then the static proxies, as macOS tries them.
pub fn from_scutil_proxy(where_: &str, text: &str) -> SourceResult {
    let provenance = Provenance::new(SourceKind::MacSystem, where_, None);
    let mut lines = text.lines().peekable();
    let mut root = None;
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("<dictionary>") {
            root = Some(
                scutil_parse(&mut lines, true)
                    .map_err(|why| SourceProblem::new(provenance.clone(), why))?,
            );
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
        exceptions.push(crate::discovery::bypass::SIMPLE_HOSTNAMES.to_owned());
    }
    // A proxy that cannot be used is kept as that (its URLs get no route,
    // as clients reading it fail), and the settings beside it still count
    // (round 22: a bad HTTPPort hid the PAC in force).
    let mut unusable = Vec::new();
    let mut pair = |enable: &str, host: &str, port: &str, scheme: &str, slot: ProxySlot| {
        if !enabled(enable) {
            return None;
        }
        let Some(h) = text_of(host) else {
            unusable.push(UnusableProxy {
                slot,
                name: host.to_owned(),
                why: format!("{enable} is on but {host} is missing"),
            });
            return None;
        };
        let addr = match text_of(port) {
            Some(p) => format!("{scheme}://{h}:{p}"),
            None => format!("{scheme}://{h}"),
        };
        match proxy(&addr, PortDefault::Scheme, &key(host)) {
            Ok(url) => Some(url),
            Err(problem) => {
                unusable.push(UnusableProxy {
                    slot,
                    name: format!("{host}/{port}"),
                    why: problem.message,
                });
                None
            }
        }
    };
    let http = pair(
        "HTTPEnable",
        "HTTPProxy",
        "HTTPPort",
        "http",
        ProxySlot::Http,
    );
    let https = pair(
        "HTTPSEnable",
        "HTTPSProxy",
        "HTTPSPort",
        "http",
        ProxySlot::Https,
    );
    // The system's SOCKS proxy is SOCKS5 with the name sent to the proxy, as
    // Chrome reads it on macOS.
    let socks = pair(
        "SOCKSEnable",
        "SOCKSProxy",
        "SOCKSPort",
        "socks5h",
        ProxySlot::All,
    );
    // The label names only the settings that are on: an HTTPSProxy left
    // behind with HTTPSEnable 0 is not what clients use.
    let on = |slot: ProxySlot| unusable.iter().any(|u| u.slot == slot);
    let enabled_keys: Vec<&str> = [
        (http.is_some() || on(ProxySlot::Http), "HTTPProxy"),
        (https.is_some() || on(ProxySlot::Https), "HTTPSProxy"),
        (socks.is_some() || on(ProxySlot::All), "SOCKSProxy"),
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
                unusable,
            },
        ));
    }
    if found.is_empty() {
        found.push(Found::new(provenance, ProxyConfig::Direct));
    }
    Ok(found)
}
