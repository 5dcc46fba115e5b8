//! Linux desktops and systems: GNOME's `gsettings`, `/etc/environment`
//! and apt's configuration.

use std::collections::BTreeMap;

use super::{pac_config, proxy};
use crate::discovery::{
    BypassList, BypassStyle, Found, PortDefault, Provenance, ProxyConfig, ProxyUrl, SourceKind,
    SourceProblem, SourceResult,
};

/// A GVariant value as `gsettings` prints it: `'text'`, `['a', 'b']`,
/// numbers and booleans (returned as text). A string or a list that does not
/// close is refused: its keys would be read short (round 21: `['a', 'b'`
/// was taken as whole).
pub(super) fn gvariant(value: &str) -> Result<Vec<String>, String> {
    let value = value.trim().trim_start_matches("@as").trim();
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    let mut bare = String::new();
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                let mut s = String::new();
                let mut closed = false;
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => {
                            if let Some(esc) = chars.next() {
                                s.push(esc);
                            }
                        }
                        q if q == c => {
                            closed = true;
                            break;
                        }
                        other => s.push(other),
                    }
                }
                if !closed {
                    // Its text is not quoted: the key may be a password.
                    return Err(format!("a string opened with {c} does not close"));
                }
                out.push(s);
            }
            '[' | ']' | ',' | ' ' => {
                if !bare.is_empty() {
                    out.push(std::mem::take(&mut bare));
                }
                match c {
                    '[' => depth += 1,
                    ']' => {
                        depth = depth
                            .checked_sub(1)
                            .ok_or_else(|| "a `]` that closes no list".to_string())?;
                    }
                    _ => {}
                }
            }
            other => bare.push(other),
        }
    }
    if depth > 0 {
        return Err("a list that does not close (no `]`)".into());
    }
    if !bare.is_empty() {
        out.push(bare);
    }
    Ok(out)
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
                    "line {}: expected `schema key value`, found \"{line}\"",
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
        let value = gvariant(value).map_err(|problem| {
            SourceProblem::new(
                provenance.clone(),
                format!(
                    "line {}: {}: {problem}",
                    n + 1,
                    pathprobe_files::quote::visible(&pathprobe_files::quote::excerpt(&name, 80))
                ),
            )
        })?;
        values.insert(name, value);
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
            format!("unknown mode \"{other}\""),
        )),
    }
}

/// `/etc/environment`: `NAME=value` lines (no shell syntax), read with the
/// same rules as the process environment.
pub fn from_etc_environment(path: &str, text: &str) -> SourceResult {
    // A value with a byte that is no text, or a control character, would
    // be read as another value (round 22: U+0001 in no_proxy was taken).
    super::plain_text(
        text,
        &Provenance::new(SourceKind::EtcEnvironment, path, None),
        "an environment file",
    )?;
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
    crate::discovery::env::from_variables(SourceKind::EtcEnvironment, path, &vars)
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
pub(super) fn apt_entries(text: &str) -> Result<Vec<(String, String)>, String> {
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
                // A string is placed on the line it opens on, the line a
                // reader looks at (round 21: the line of its end was named).
                let start = line;
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
                    return Err(format!(
                        "line {start}: a string opens here and does not close"
                    ));
                }
                tokens.push((start, Tok::Str(s)));
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

pub(super) enum Tok {
    Word(String),
    Str(String),
    Open,
    Close,
    Semi,
}
