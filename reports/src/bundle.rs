//! Support bundles: one zip with everything a support engineer needs, and a
//! manifest of SHA-256 sums.
//!
//! Redaction is by construction: a [`Bundle`] only takes text through
//! [`Bundle::add`], which passes it through the bundle's [`Redactor`] first,
//! so no member can be written unredacted. The redactor knows the secrets the
//! run was given (passwords, tokens in PAC URLs) and also removes anything
//! that looks like one (credentials in URLs, `Authorization` values, bearer
//! and basic tokens), so a secret that arrives by an unexpected road — a
//! hostile proxy echoing a header into a block page — is caught too.

use std::io::{Read, Write};
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::CheckReport;

/// Version of the bundle layout and manifest.
pub const BUNDLE_FORMAT_VERSION: u32 = 1;

/// What replaces a secret.
pub const REDACTED: &str = "REDACTED";

/// The largest member `bundle inspect` reads (a zip bomb stops here).
const MAX_MEMBER_BYTES: u64 = 512 * 1024 * 1024;
/// What checking one bundle unpacks at most, all members together.
const MAX_BUNDLE_UNPACKED: u64 = 1024 * 1024 * 1024;
/// Problems listed one by one; the rest are counted.
const MAX_PROBLEMS: usize = 20;

/// Removes secrets (and, if asked, internal host names) from text.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    secrets: Vec<String>,
    hosts: Vec<(String, String)>,
}

/// Words that make a parameter's value a credential wherever it appears:
/// the name's last word, or the whole name (`refresh_token`, `X-Amz-Signature`,
/// `client_secret`, `subscription-key`, `apikey`, `session(id)`).
const SECRET_WORDS: &[&str] = &[
    "token",
    "key",
    "apikey",
    "sig",
    "signature",
    "secret",
    "password",
    "passwd",
    "pwd",
    "pw",
    "pass",
    "auth",
    "credential",
    "credentials",
    "cred",
    "creds",
    "jwt",
    "session",
    "sessionid",
    "sid",
    "code",
    "authorization",
    "bearer",
    "otp",
    "saml",
    "samlresponse",
    // A SAML request carries the identity provider's signed assertion
    // request; RelayState the session it returns to (round 18).
    "samlrequest",
    "relaystate",
    "samlart",
    "sas",
    "assertion",
    "ticket",
    "accesskeyid",
];

/// Whether a parameter named `name` (as written: percent-encoded, any case,
/// with brackets or dots) carries a credential.
fn is_secret_parameter(name: &str) -> bool {
    if name.is_empty() || name.len() > 128 {
        return false;
    }
    let decoded = percent_encoding::percent_decode_str(name)
        .decode_utf8_lossy()
        .to_ascii_lowercase();
    let words: Vec<&str> = decoded
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    // `accesstoken`, `apikey`: a credential word run into the name.
    let glued = |w: &&str| {
        [
            "token",
            "key",
            "secret",
            "signature",
            "password",
            "sessionid",
            "assertion",
            "accesskeyid",
        ]
        .iter()
        .any(|end| w.len() > end.len() && w.ends_with(end))
    };
    words.iter().any(|w| SECRET_WORDS.contains(w) || glued(w))
}

/// Authorization schemes whose next word is a credential.
const SCHEMES: &[&str] = &["basic", "bearer", "ntlm", "negotiate", "digest"];

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_' | '.' | '~')
}

impl Redactor {
    /// A redactor that knows no particular secret (the patterns still apply).
    pub fn new() -> Self {
        Self::default()
    }

    /// A value that must never appear; encodings a proxy or log would show
    /// (percent-encoded) are covered too. Values shorter than 3 characters
    /// are ignored: they would erase ordinary text.
    pub fn secret(&mut self, value: &str) {
        if value.chars().count() < 3 {
            return;
        }
        use base64::Engine as _;
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        // The forms a proxy page, a log or a URL shows it in: as a form
        // value (`+` for a space), percent-encoded as a URL path or query
        // does (`%20`), and in base64 in each alphabet, padded or not.
        let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let percent: String = value
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let every_byte = |upper: bool| -> String {
            value
                .bytes()
                .map(|b| {
                    if upper {
                        format!("%{b:02X}")
                    } else {
                        format!("%{b:02x}")
                    }
                })
                .collect()
        };
        let hex: String = value.bytes().map(|b| format!("{b:02x}")).collect();
        let mut forms = vec![
            value.to_owned(),
            form,
            percent,
            every_byte(true),
            every_byte(false),
            hex.to_ascii_uppercase(),
            hex,
        ];
        forms.extend(
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                .iter()
                .map(|engine| engine.encode(value))
                .filter(|b64| b64.len() >= 8),
        );
        // Inside longer base64 (a token that carries it after other bytes),
        // its characters depend on where it starts: the part that is its
        // own at each of the three alignments.
        for shift in 0..3usize {
            let mut shifted = vec![0u8; shift];
            shifted.extend_from_slice(value.as_bytes());
            let bits = shifted.len() * 8;
            let first = (shift * 8).div_ceil(6);
            let last = bits / 6;
            for engine in [STANDARD_NO_PAD, URL_SAFE_NO_PAD] {
                let text = engine.encode(&shifted);
                if let Some(core) = text.get(first..last).filter(|c| c.len() >= 8) {
                    forms.push(core.to_owned());
                }
            }
        }
        for v in forms {
            if !self.secrets.contains(&v) {
                self.secrets.push(v);
            }
        }
        // Longest first, so that a secret containing another goes whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// Credentials `user:password`: both parts, and the Basic token made of them.
    pub fn credentials(&mut self, user: &str, password: &str) {
        self.secret(password);
        // `secret` covers the Basic token's other alphabets and padding.
        self.secret(&format!("{user}:{password}"));
    }

    /// Takes on every secret and host name `other` knows.
    pub fn absorb(&mut self, other: &Redactor) {
        for s in &other.secrets {
            if !self.secrets.contains(s) {
                self.secrets.push(s.clone());
            }
        }
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for (host, _) in &other.hosts {
            self.host(host);
        }
    }

    /// A host name (or domain) of the user's network, replaced by a stable
    /// placeholder; subdomains are covered by the domain's replacement.
    pub fn host(&mut self, name: &str) {
        let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty()
            || name.parse::<std::net::IpAddr>().is_ok()
            || name == "localhost"
            || self.hosts.iter().any(|(h, _)| *h == name)
        {
            return;
        }
        let placeholder = format!("internal-{}.redacted", self.hosts.len() + 1);
        self.hosts.push((name, placeholder));
        self.hosts.sort_by_key(|(h, _)| std::cmp::Reverse(h.len()));
    }

    /// `text` with every known secret, every secret-looking value and every
    /// listed host name replaced.
    pub fn apply(&self, text: &str) -> String {
        let out = self.apply_plain(text);
        // A credential percent-encoded inside a word (a `next=` parameter
        // holding `https%3A%2F%2Fu%3Apw%40host`, `token%3Dx`) has none of
        // the shapes above until decoded (round 24: shown everywhere).
        if out.contains('%') {
            redact_encoded_words(&out, |decoded| self.apply_plain(decoded))
        } else {
            out
        }
    }

    /// [`Redactor::apply`] on the text as written.
    fn apply_plain(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), REDACTED);
            }
        }
        // Each pass only where its shape can be: a report of 50,000
        // endpoints is hundreds of thousands of texts, most of them
        // without an `@`, an `=` or a header (each pass copies its text).
        // A URL whose host was forgotten (`http://bob:PW`) has no `@`.
        if out.contains("://") {
            out = redact_url_userinfo(&out);
        }
        if out.contains('@') {
            out = redact_bare_userinfo(&out);
        }
        if out.contains('=') {
            out = redact_parameters(&out);
        }
        if out.contains('/') {
            out = redact_path_values(&out);
        }
        if out.contains(' ') || out.contains(':') {
            out = redact_authorization(&out);
        }
        if out
            .as_bytes()
            .windows(3)
            .any(|w| w.eq_ignore_ascii_case(b"eyj"))
        {
            out = redact_jwts(&out);
        }
        if out.contains("gh") || out.contains("github_pat_") {
            out = redact_github_tokens(&out);
        }
        for (host, placeholder) in &self.hosts {
            out = replace_ignore_case(&out, host, placeholder);
        }
        out
    }

    /// [`Redactor::apply`] for a file's own text (a PAC script, a settings
    /// file) copied into a bundle: a value assigned to a credential's name
    /// the way scripts and configuration files write it (`password =
    /// "PW"`, `token: PW`, `"proxyPassword":"PW"`, `var apiKey = 'PW'`) is
    /// taken out too (round 20: only `password=PW` was).
    pub fn apply_to_source(&self, text: &str) -> String {
        let out = self.apply(text);
        if out.contains('=') || out.contains(':') {
            redact_assignments(&out)
        } else {
            out
        }
    }
}

/// A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and 36 or more
/// letters and digits, or a fine-grained `github_pat_…`): a credential
/// wherever it stands (round 21: one in a PAC reached a bundle).
fn redact_github_tokens(text: &str) -> String {
    let token_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut cuts = Vec::new();
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"] {
        for at in word_starts(text, prefix, token_char) {
            let from = at + prefix.len();
            let rest = text.get(from..).unwrap_or_default();
            let len = rest.find(|c: char| !token_char(c)).unwrap_or(rest.len());
            if len >= 36 {
                cuts.push((at, from + len));
            }
        }
    }
    splice(text, cuts)
}

/// Where `needle` begins a word of `text`: not after a character `inside`
/// a word of that kind.
fn word_starts(text: &str, needle: &str, inside: impl Fn(char) -> bool) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(at) = text
        .get(from..)
        .and_then(|t| t.find(needle))
        .map(|i| i + from)
    {
        from = at + needle.len();
        if !text
            .get(..at)
            .and_then(|b| b.chars().last())
            .is_some_and(&inside)
        {
            starts.push(at);
        }
    }
    starts
}

/// A JSON Web Token (`eyJ…` header, `.eyJ…` claims, `.signature`): a bearer
/// credential wherever it stands.
fn redact_jwts(text: &str) -> String {
    let part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
    let mut cuts = Vec::new();
    // Found in any case: a token that went through a host name's
    // lower-casing (a proxy named by one) still carries its claims (round
    // 22: `eyjhbgci…` was shown where `eyJhbGci…` was hidden). ASCII
    // lower-casing keeps every byte where it was.
    let lower = text.to_ascii_lowercase();
    // A token starts a word; cuts inside one already made are skipped.
    for at in word_starts(&lower, "eyj", part) {
        let rest = lower.get(at..).unwrap_or_default();
        let header = rest.find(|c: char| !part(c)).unwrap_or(rest.len());
        let Some(after) = rest.get(header..).and_then(|r| r.strip_prefix(".eyj")) else {
            continue;
        };
        let claims = after.find(|c: char| !part(c)).unwrap_or(after.len());
        let mut end = at + header + 4 + claims;
        if let Some(sig) = text.get(end..).and_then(|r| r.strip_prefix('.')) {
            end += 1 + sig.find(|c: char| !part(c)).unwrap_or(sig.len());
        }
        cuts.push((at, end));
    }
    splice(text, cuts)
}

/// A value assigned to a name that carries a credential, with `=` or `:`,
/// spaces around it, the name and the value quoted or not.
fn redact_assignments(text: &str) -> String {
    let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut cuts = Vec::new();
    for (i, c) in text.char_indices() {
        if c != '=' && c != ':' {
            continue;
        }
        let before = text.get(..i).unwrap_or_default();
        let after = text.get(i + 1..).unwrap_or_default();
        // Comparisons (`==`, `!=`, `<=`) and a URL's `://` assign nothing.
        if (c == '=' && (after.starts_with('=') || before.ends_with(['=', '!', '<', '>'])))
            || (c == ':' && after.starts_with("//"))
        {
            continue;
        }
        let name_end = before.trim_end_matches([' ', '\t']);
        let name_end = name_end.strip_suffix(['"', '\'']).unwrap_or(name_end);
        let name_start = name_end.rfind(|c: char| !name_char(c)).map_or(0, |p| p + 1);
        if !is_secret_parameter(name_end.get(name_start..).unwrap_or_default()) {
            continue;
        }
        let value = after.trim_start_matches([' ', '\t']);
        let value_at = i + 1 + (after.len() - value.len());
        let (start, end) = match value.chars().next() {
            Some(quote @ ('"' | '\'' | '`')) => {
                let inner = &value[1..];
                match inner.find([quote, '\n']) {
                    Some(e) if inner[e..].starts_with(quote) => (value_at + 1, value_at + 1 + e),
                    _ => continue,
                }
            }
            Some(_) => {
                let e = value
                    .find(|c: char| {
                        c.is_whitespace() || matches!(c, ';' | ',' | '}' | ')' | '&' | '"' | '\'')
                    })
                    .unwrap_or(value.len());
                (value_at, value_at + e)
            }
            None => continue,
        };
        if start < end && text.get(start..end) != Some(REDACTED) {
            cuts.push((start, end));
        }
    }
    splice(text, cuts)
}

/// Where a URL's authority ends: a path, white space, a quote or tag, a
/// backslash (in a JSON string it escapes the quote that closes it).
fn ends_authority(c: char) -> bool {
    c.is_whitespace() || matches!(c, '/' | '"' | '\'' | '<' | '>' | '\\')
}

/// Whether what stands where a port would (`host:PORT`) is no port.
fn not_a_port(authority: &str) -> bool {
    authority
        .rsplit_once(':')
        .is_some_and(|(_, port)| !port.is_empty() && !port.bytes().all(|b| b.is_ascii_digit()))
        && !authority.ends_with(']')
}

/// In the text after a URL's `scheme://`, where the `@` that ends its user
/// information is, if it has any. A password holding an unencoded `/`
/// (`user:pa/ss@host`, which URL parsers refuse and quote whole) runs past
/// the slash: what stands where the port would is then no port, and the
/// `@` comes before the word ends.
pub fn userinfo_end(after_scheme: &str) -> Option<usize> {
    let end = after_scheme
        .find(ends_authority)
        .unwrap_or(after_scheme.len());
    let authority = &after_scheme[..end];
    if let Some(at) = authority.rfind('@') {
        return Some(at);
    }
    if !not_a_port(authority) {
        return None;
    }
    let word_end = after_scheme
        .find(|c: char| c != '/' && ends_authority(c))
        .unwrap_or(after_scheme.len());
    after_scheme[..word_end].rfind('@')
}

/// `scheme://user:password@` → `scheme://REDACTED@`.
fn redact_url_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        if let Some(i) = userinfo_end(tail).filter(|i| *i > 0) {
            out.push_str(REDACTED);
            // A host ends at a list's separator too: a value holding two
            // proxy URLs (`http://a:p@h:1;http://b:q@h:2`) has a second
            // user information to take out (round 19).
            let host_end = tail[i + 1..]
                .find(|c: char| ends_authority(c) || matches!(c, ';' | ','))
                .map_or(tail.len(), |k| i + 1 + k);
            out.push_str(&tail[i..host_end]);
            rest = &tail[host_end..];
            continue;
        }
        let end = tail.find(ends_authority).unwrap_or(tail.len());
        let authority = &tail[..end];
        // `scheme://user:password` with the host forgotten: what stands
        // where a port would is no port, and may be a password; before it
        // a user name, not a host (`127.0.0.1:x` is a bad port, said as
        // it is).
        match authority.rsplit_once(':') {
            Some((user, _)) if not_a_port(authority) && !user.contains(['.', '[', ']']) => {
                out.push_str(user);
                out.push(':');
                out.push_str(REDACTED);
            }
            _ => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// `user:password@host` written without a scheme (as proxies are, in
/// settings and on command lines) → `REDACTED@host`. An address without a
/// password (`user@example.com`) is left alone.
fn redact_bare_userinfo(text: &str) -> String {
    let delimiter = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '<' | '>' | ',' | '(' | ')' | '[' | ']' | '{' | '}' | '='
            )
    };
    let mut cuts = Vec::new();
    let mut start = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if !delimiter(c) {
            continue;
        }
        if let Some(word) = text.get(start..i)
            && !word.contains("://")
            && let Some(at) = word.rfind('@')
            && let Some(userinfo) = word.get(..at)
            // A colon percent-encoded separates user and password as well
            // (round 23: `u%3APW@host` was shown).
            && (userinfo.contains(':') || userinfo.to_ascii_lowercase().contains("%3a"))
            && !userinfo.contains('/')
            && userinfo != REDACTED
        {
            cuts.push((start, start + at));
        }
        start = i + c.len_utf8();
    }
    splice(text, cuts)
}

/// `token=VALUE` (and every other credential parameter, its name written
/// in any case or percent-encoded) → `token=REDACTED`, in a query, a
/// fragment, a path segment (`/token=…`) or a value (`?next=token=…`).
fn redact_parameters(text: &str) -> String {
    let separators = [
        '?', '&', ';', '#', ' ', '/', '=', '"', '\'', '\n', '\t', ',',
    ];
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(eq) = text.get(from..).and_then(|t| t.find('=')) {
        let eq = from + eq;
        from = eq + 1;
        let start = text
            .get(..eq)
            .and_then(|t| t.rfind(separators))
            .map_or(0, |i| i + 1);
        let Some(name) = text.get(start..eq) else {
            continue;
        };
        if !is_secret_parameter(name) {
            continue;
        }
        let value = eq + 1;
        let end = text
            .get(value..)
            .and_then(|rest| {
                // A comma ends the value too: in CSV it ends the field, and
                // the next columns are not part of any credential.
                // So do a Markdown or table separator and a JSON escape.
                rest.find(|c: char| {
                    c.is_whitespace()
                        || matches!(
                            c,
                            '&' | '#' | '"' | '\'' | '<' | '>' | ';' | ',' | '|' | '\\'
                        )
                })
            })
            .map_or(text.len(), |e| value + e);
        // A colon that ends the value is the sentence's (`…?token=T: the
        // server answered`), not the token's (round 21: eaten).
        let end = if end > value
            && text.get(..end).is_some_and(|t| t.ends_with(':'))
            && text
                .get(end..)
                .is_none_or(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
        {
            end - 1
        } else {
            end
        };
        // A value already replaced, also one a table wrapped (`RED` at a
        // line's end), stays as it is: replacing it again would widen it.
        if end > value
            && !text
                .get(value..end)
                .is_some_and(|v| REDACTED.starts_with(v))
        {
            cuts.push((value, end));
        }
    }
    splice(text, cuts)
}

/// Whether a word has the look of a credential rather than of a word:
/// long, and with digits, symbols or several capitals among small letters.
fn looks_like_credential(word: &str, min: usize) -> bool {
    let uppers = word.chars().filter(char::is_ascii_uppercase).count();
    let lowers = word.chars().filter(char::is_ascii_lowercase).count();
    let encoded = word
        .chars()
        .any(|c| c.is_ascii_digit() || "+/=_-.~%".contains(c))
        || (uppers >= 3 && lowers >= 1);
    (word.len() >= min && encoded) || word.len() >= 32
}

/// A path segment that follows one named for a credential (`/api/key/VALUE`,
/// `/token/VALUE`) → `/key/REDACTED`, when it looks like one: `/token/refresh`
/// and `/session/new` stay as written.
fn redact_path_values(text: &str) -> String {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let end_of_segment = |c: char| {
        c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>' | ';' | ',')
    };
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find('/')) {
        let name_start = from + i + 1;
        from = name_start;
        let Some(rest) = text.get(name_start..) else {
            break;
        };
        let name_len = rest.find(end_of_segment).unwrap_or(rest.len());
        let name = &rest[..name_len];
        if !rest[name_len..].starts_with('/') || !is_secret_parameter(name) {
            continue;
        }
        let value_start = name_start + name_len + 1;
        let Some(after) = text.get(value_start..) else {
            continue;
        };
        let value_len = after.find(end_of_segment).unwrap_or(after.len());
        let value = &after[..value_len];
        // Words of a path are lower case (`refresh`, `new-session`); a
        // value with capitals, digits or symbols is not one.
        let word = value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_');
        if value != REDACTED && value.len() >= 8 && !word {
            cuts.push((value_start, value_start + value_len));
        }
    }
    splice(text, cuts)
}

/// The credential after `Authorization:`/`Proxy-Authorization:` and after
/// an authorization scheme name (`Basic dXNlcjpwYXNz`).
fn redact_authorization(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    // Other headers named for a credential (`X-Api-Key:`, `X-Auth-Token:`):
    // a hyphenated name, so that prose ("key: …") is left alone.
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(": ")) {
        let colon = from + i;
        from = colon + 2;
        let start = text
            .get(..colon)
            .and_then(|t| t.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-')))
            .map_or(0, |i| i + 1);
        let Some(name) = text.get(start..colon) else {
            continue;
        };
        if name.contains('-') && is_secret_parameter(name) {
            let value = colon + 2;
            let end = value_end(text, value);
            if end > value && text.get(value..end).map(str::trim) != Some(REDACTED) {
                cuts.push((value, end));
            }
        }
    }
    // Header values: the rest of the value, up to whatever would be the
    // structure of a rendered report around it.
    let mut from = 0;
    while let Some(i) = lower[from..].find("authorization:") {
        let colon = from + i + "authorization:".len();
        // The space after the colon stays: "Authorization: REDACTED".
        let value = colon
            + text
                .get(colon..)
                .map_or(0, |t| t.len() - t.trim_start_matches(' ').len());
        let end = value_end(text, value);
        let said = text[value..end].trim();
        // Already redacted, or the start of it a table cell's wrapping
        // cut (round 23: "REDA" was redacted again, past the cell).
        if !said.is_empty() && !REDACTED.starts_with(said) {
            cuts.push((value, end));
        }
        from = colon;
    }
    // Digest answers carry their secrets as parameters after the scheme
    // (`username="bob", response="6629fae…"`), quoted: the value inside
    // the quotes goes, the quotes and the structure around them stay.
    let mut from = 0;
    while let Some(i) = lower.get(from..).and_then(|t| t.find("digest ")) {
        let start = from + i + "digest ".len();
        let line_end = text
            .get(start..)
            .and_then(|t| t.find(['\r', '\n']))
            .map_or(text.len(), |e| start + e);
        from = start;
        // The client's parameters; the server's (realm, nonce, opaque) are
        // the challenge a report shows as evidence.
        for key in ["username", "response", "cnonce"] {
            let mut at = start;
            while let Some(k) = lower.get(at..line_end).and_then(|t| t.find(key)) {
                let key_start = at + k;
                at = key_start + key.len();
                let boundary = lower
                    .get(..key_start)
                    .and_then(|t| t.chars().next_back())
                    .is_none_or(|c| !c.is_ascii_alphanumeric());
                let Some(after) = text.get(at..line_end).and_then(|t| t.strip_prefix('=')) else {
                    continue;
                };
                if !boundary {
                    continue;
                }
                // The value, past an opening quote (or an escaped one, in JSON).
                let opening = after.len() - after.trim_start_matches(['\\', '"']).len();
                let value = at + 1 + opening;
                let end = text
                    .get(value..line_end)
                    .and_then(|t| t.find(['"', '\\', ',', ' ']))
                    .map_or(line_end, |e| value + e);
                if end > value && text.get(value..end) != Some(REDACTED) {
                    cuts.push((value, end));
                }
            }
        }
    }
    // Scheme tokens: a long token-looking word after the scheme name.
    for scheme in SCHEMES {
        let mut from = 0;
        while let Some(i) = lower[from..].find(scheme) {
            let start = from + i;
            let after = start + scheme.len();
            from = after;
            let boundary = lower[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            if !boundary || !text[after..].starts_with(' ') {
                continue;
            }
            let word_start = after + 1;
            let word_end = text[word_start..]
                .find(|c: char| !is_token_char(c))
                .map_or(text.len(), |e| word_start + e);
            let word = &text[word_start..word_end];
            // `realm=...` and the like are parameters, and prose words are
            // words: a credential is long and has digits, symbols or mixed case.
            if looks_like_credential(word, 12) && !word.contains("realm") {
                cuts.push((word_start, word_end));
            }
        }
    }
    splice(text, cuts)
}

/// Where a header value starting at `from` ends: at a line end, or at a
/// character that can be the structure of the text around it (a JSON
/// string's quote or escape, a CSV or Markdown separator, HTML markup).
/// Redaction runs on rendered reports too; a cut past one of these ate the
/// closing quote of a JSON string, a CSV field or an HTML tag. Credentials
/// (Basic, Bearer, NTLM, Negotiate tokens) hold none of them.
fn value_end(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or_default();
    // ` · ` parts the fields of a finding's evidence line (round 24: the
    // fields after a redacted value went with it).
    let end = rest
        .find(['\r', '\n', '"', '\\', '<', '>', '&', ',', '|', '\t', '·'])
        .unwrap_or(rest.len());
    // A table's frame (box-drawing characters) ends a value too, and the
    // padding before it is the table's (round 23: a cell's redaction took
    // the rest of the row, its columns and its border).
    match rest.find(|c: char| ('\u{2500}'..='\u{257F}').contains(&c)) {
        Some(frame) if frame < end => {
            from + rest
                .get(..frame)
                .map_or(frame, |v| v.trim_end_matches(' ').len())
        }
        // Spaces before a separator are the text's, not the value's.
        _ if end < rest.len() => {
            from + rest
                .get(..end)
                .map_or(end, |v| v.trim_end_matches(' ').len())
        }
        _ => from + end,
    }
}

/// Words holding percent escapes, decoded (twice at most: a value encoded
/// again inside a parameter) and passed through `redact`: a word whose
/// decoded form loses anything to it is written decoded, redacted; the
/// others stay as they were.
fn redact_encoded_words(text: &str, redact: impl Fn(&str) -> String) -> String {
    let boundary = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`');
    let mut out = String::with_capacity(text.len());
    let mut word_start = 0;
    let flush = |word: &str, out: &mut String| {
        if !word.contains('%') {
            out.push_str(word);
            return;
        }
        let mut decoded = word.to_owned();
        for _ in 0..2 {
            let once = percent_encoding::percent_decode_str(&decoded)
                .decode_utf8_lossy()
                .into_owned();
            if once == decoded {
                break;
            }
            decoded = once;
        }
        let redacted = redact(&decoded);
        if redacted == decoded {
            out.push_str(word);
        } else if redacted
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#@=&+;".contains(c))
        {
            out.push_str(&redacted);
        } else {
            // Decoded, it holds what could be the structure of the text
            // around it (a quote in JSON, a comma in CSV): all of it goes.
            out.push_str(REDACTED);
        }
    };
    for (i, c) in text.char_indices() {
        if boundary(c) {
            flush(text.get(word_start..i).unwrap_or_default(), &mut out);
            out.push(c);
            word_start = i + c.len_utf8();
        }
    }
    flush(text.get(word_start..).unwrap_or_default(), &mut out);
    out
}

/// Replaces each byte range with [`REDACTED`] (overlaps merged).
fn splice(text: &str, mut cuts: Vec<(usize, usize)>) -> String {
    if cuts.is_empty() {
        return text.to_owned();
    }
    cuts.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in cuts {
        if end <= at {
            continue;
        }
        let start = start.max(at);
        out.push_str(&text[at..start]);
        out.push_str(REDACTED);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn replace_ignore_case(text: &str, needle: &str, with: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if !lower.contains(needle) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(i) = lower[at..].find(needle) {
        out.push_str(&text[at..at + i]);
        out.push_str(with);
        at += i + needle.len();
    }
    out.push_str(&text[at..]);
    out
}

/// One member of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ManifestEntry {
    /// Path inside the zip.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// What it is.
    pub description: String,
}

/// `manifest.json`: what the bundle holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Manifest {
    /// [`BUNDLE_FORMAT_VERSION`].
    pub bundle_format: u32,
    /// The program and version that wrote it.
    pub tool: String,
    /// When it was written (RFC 3339).
    pub created_at: String,
    /// How it was redacted.
    pub redaction: Vec<String>,
    /// Every other member.
    pub members: Vec<ManifestEntry>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A bundle being assembled in memory.
#[derive(Debug)]
pub struct Bundle {
    redactor: Redactor,
    redaction: Vec<String>,
    members: Vec<(String, Vec<u8>, String)>,
}

/// A bundle could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The bundle file could not be opened.
    #[error(transparent)]
    Open(pathprobe_files::ReadError),
    /// The file could not be written.
    #[error("{path}: {error}")]
    Io {
        /// The bundle's path.
        path: String,
        /// What went wrong.
        error: std::io::Error,
    },
    /// Not a zip, or a damaged one.
    #[error("{path}: not a pathprobe bundle: {error}")]
    Zip {
        /// The bundle's path.
        path: String,
        /// What went wrong.
        error: String,
    },
    /// The report it holds cannot be read (its error names the bundle).
    #[error(transparent)]
    Report(crate::ReportReadError),
    /// A member is missing or unusable.
    #[error("{path}: {member}: {error}")]
    Member {
        /// The bundle's path.
        path: String,
        /// The member.
        member: String,
        /// What went wrong.
        error: String,
    },
}

impl Bundle {
    /// An empty bundle whose members all pass through `redactor`;
    /// `redaction` describes, for the manifest, what was redacted.
    pub fn new(redactor: Redactor, redaction: Vec<String>) -> Self {
        Self {
            redactor,
            redaction,
            members: Vec::new(),
        }
    }

    /// Adds a member, redacted.
    pub fn add(&mut self, name: &str, text: &str, description: &str) {
        // Read on a terminal by whoever opens the ticket: no control
        // sequence from the machine's files passes raw. A JSON member
        // escapes them the JSON way, so it reads back unchanged.
        let redacted = self.redactor.apply(text);
        let text = if name.ends_with(".json") {
            pathprobe_files::quote::json_inert(&redacted).into_owned()
        } else {
            pathprobe_files::quote::inert(&redacted, false).into_owned()
        };
        self.members
            .push((name.to_owned(), text.into_bytes(), description.to_owned()));
    }

    /// [`Bundle::add`] for a copy of a file's own text (a PAC script, a
    /// settings file): see [`Redactor::apply_to_source`].
    pub fn add_source(&mut self, name: &str, text: &str, description: &str) {
        let text =
            pathprobe_files::quote::inert(&self.redactor.apply_to_source(text), false).into_owned();
        self.members
            .push((name.to_owned(), text.into_bytes(), description.to_owned()));
    }

    /// The names added so far.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(n, _, _)| n.as_str())
    }

    /// The zip, built in memory, and its manifest; `name` is what messages
    /// call it.
    pub fn zip(
        &self,
        name: &str,
        tool: &str,
        created_at: &str,
    ) -> Result<(Vec<u8>, Manifest), BundleError> {
        let io = |error| BundleError::Io {
            path: name.to_owned(),
            error,
        };
        let zip_error = |e: zip::result::ZipError| BundleError::Zip {
            path: name.to_owned(),
            error: e.to_string(),
        };
        let manifest = Manifest {
            bundle_format: BUNDLE_FORMAT_VERSION,
            tool: tool.to_owned(),
            created_at: created_at.to_owned(),
            redaction: self.redaction.clone(),
            members: self
                .members
                .iter()
                .map(|(name, bytes, description)| ManifestEntry {
                    name: name.clone(),
                    bytes: bytes.len() as u64,
                    sha256: sha256_hex(bytes),
                    description: description.clone(),
                })
                .collect(),
        };
        let manifest_text =
            serde_json::to_string_pretty(&manifest).map_err(|e| io(std::io::Error::other(e)))?;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let members = std::iter::once(("manifest.json", manifest_text.as_bytes())).chain(
            self.members
                .iter()
                .map(|(n, b, _)| (n.as_str(), b.as_slice())),
        );
        for (name, bytes) in members {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(bytes).map_err(io)?;
        }
        let bytes = zip.finish().map_err(zip_error)?.into_inner();
        Ok((bytes, manifest))
    }
}

/// A bundle read back: its manifest, its report, and any member whose sum
/// does not match the manifest.
#[derive(Debug)]
pub struct OpenedBundle {
    /// The manifest.
    pub manifest: Manifest,
    /// The report.
    pub report: CheckReport,
    /// Problems found while checking the members against the manifest.
    pub problems: Vec<String>,
}

/// Reads a member of at most `limit` bytes unpacked.
fn read_member(
    archive: &mut zip::ZipArchive<std::fs::File>,
    path: &Path,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, BundleError> {
    let mut bytes = Vec::new();
    read_through(archive, path, name, limit, |chunk| {
        bytes.extend_from_slice(chunk);
    })?;
    Ok(bytes)
}

/// The unpacked size and SHA-256 of a member, read through once and never
/// held: checking a bundle costs a buffer, whatever its members inflate to
/// (round 19: 557 MB for a member inflating past its limit).
fn digest_member(
    archive: &mut zip::ZipArchive<std::fs::File>,
    path: &Path,
    name: &str,
    limit: u64,
) -> Result<(u64, String), BundleError> {
    let mut hasher = sha2::Sha256::new();
    let total = read_through(archive, path, name, limit, |chunk| hasher.update(chunk))?;
    let hex = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((total, hex))
}

/// Unpacks a member a buffer at a time into `sink`, and its size; more than
/// `limit` bytes is an error, said as the manifest's limit or the reader's.
fn read_through(
    archive: &mut zip::ZipArchive<std::fs::File>,
    path: &Path,
    name: &str,
    limit: u64,
    mut sink: impl FnMut(&[u8]),
) -> Result<u64, BundleError> {
    let member_error = |error: String| BundleError::Member {
        path: path.display().to_string(),
        member: name.to_owned(),
        error,
    };
    let entry = archive
        .by_name(name)
        .map_err(|e| member_error(zip_words(e)))?;
    let mut reader = entry.take(limit.saturating_add(1));
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(member_error(unpack_words(&e))),
        };
        total += n as u64;
        if total > limit {
            return Err(member_error(if limit == MAX_MEMBER_BYTES {
                format!("larger than {} unpacked", pathprobe_files::size(limit))
            } else {
                format!(
                    "unpacks to more than the {limit} bytes the manifest lists (changed after the bundle was made)"
                )
            }));
        }
        sink(buffer.get(..n).unwrap_or_default());
    }
    Ok(total)
}

/// A zip reader's error in a person's words (its own read "specified file
/// not found in archive" for a bundle without a manifest).
fn zip_words(e: zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match e {
        ZipError::FileNotFound => "not in the zip".into(),
        ZipError::InvalidArchive(_) => "not a zip file, or a damaged one".into(),
        ZipError::UnsupportedArchive(why) if why.to_ascii_lowercase().contains("password") => {
            "encrypted, which a pathprobe bundle never is".into()
        }
        ZipError::UnsupportedArchive(_) => {
            "packed in a way this reader cannot unpack (a pathprobe bundle uses deflate)".into()
        }
        ZipError::CompressionMethodNotSupported(method) => {
            format!("packed with a compression method this reader does not have (method {method})")
        }
        ZipError::InvalidPassword => "encrypted".into(),
        ZipError::Io(e) => unpack_words(&e),
        other => other.to_string(),
    }
}

/// An error met while unpacking a member.
fn unpack_words(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::Unsupported
        || e.to_string().contains("compression method not supported")
    {
        "packed with a compression method this reader does not have (a pathprobe bundle uses deflate)".into()
    } else if e.kind() == std::io::ErrorKind::InvalidData {
        "its unpacked data does not match its checksum, or cannot be unpacked (damaged, or changed after the bundle was made)".into()
    } else {
        e.to_string()
    }
}

/// Why a member name is unsafe to unpack, if it is.
fn unsafe_name(name: &str) -> Option<&'static str> {
    if name.starts_with(['/', '\\']) || name.get(1..2) == Some(":") {
        Some("is an absolute path")
    } else if name.split(['/', '\\']).any(|part| part == "..") {
        Some("climbs out of the folder (\"..\")")
    } else {
        None
    }
}

/// How many entries of the zip's central directory (from `start`) carry
/// `name`: the zip library keeps one entry per name, so a second copy of
/// a member is counted here, from the directory's own records.
fn central_entries(path: &Path, start: u64, name: &str) -> usize {
    use std::io::{Read as _, Seek as _};
    // A directory of 20,000 members is about 1.5 MB; more is not read.
    const MOST: u64 = 16 * 1024 * 1024;
    let Ok((mut file, _)) = pathprobe_files::open_regular(path) else {
        return 0;
    };
    let mut directory = Vec::new();
    if file.seek(std::io::SeekFrom::Start(start)).is_err()
        || file.take(MOST).read_to_end(&mut directory).is_err()
    {
        return 0;
    }
    let mut count = 0;
    let mut at = 0usize;
    // Each record: the signature, 42 bytes of fields (the name's length
    // at 28, the extra field's at 30, the comment's at 32), then the name.
    while directory.get(at..at + 4) == Some(b"PK\x01\x02".as_slice()) {
        let field = |offset: usize| {
            directory
                .get(at + offset..at + offset + 2)
                .and_then(|b| <[u8; 2]>::try_from(b).ok())
                .map_or(0, |b| usize::from(u16::from_le_bytes(b)))
        };
        let (name_len, extra, comment) = (field(28), field(30), field(32));
        if directory.get(at + 46..at + 46 + name_len) == Some(name.as_bytes()) {
            count += 1;
        }
        at += 46 + name_len + extra + comment;
    }
    count
}

/// Opens a bundle, checks every member against the manifest and reads the report.
pub fn open_bundle(path: &Path) -> Result<OpenedBundle, BundleError> {
    // A regular file only: a FIFO would block, a device would be read for ever.
    let (file, _) = pathprobe_files::open_regular(path).map_err(BundleError::Open)?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| BundleError::Zip {
        path: path.display().to_string(),
        error: zip_words(e),
    })?;
    let manifest_bytes = read_member(&mut archive, path, "manifest.json", MAX_MEMBER_BYTES)?;
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|e| BundleError::Member {
            path: path.display().to_string(),
            member: "manifest.json".into(),
            error: pathprobe_files::words::serde_message(&e.to_string()),
        })?;
    if manifest.bundle_format != BUNDLE_FORMAT_VERSION {
        return Err(BundleError::Member {
            path: path.display().to_string(),
            member: "manifest.json".into(),
            error: format!(
                "bundle format {}, this pathprobe reads format {BUNDLE_FORMAT_VERSION}",
                manifest.bundle_format
            ),
        });
    }
    // Two members under one name (pathprobe never writes such a zip): the
    // copy read here may not be the one a tool unpacks, so no report is
    // shown; nor is one the manifest does not vouch for.
    let vouched = manifest.members.iter().any(|m| m.name == "report.json");
    let present = archive
        .file_names()
        .any(|n| n.as_deref().is_ok_and(|n| n == "report.json"));
    let twice = archive.has_duplicate_names()
        && central_entries(path, archive.central_directory_start(), "report.json") > 1;
    if twice || (present && !vouched) {
        return Err(BundleError::Member {
            path: path.display().to_string(),
            member: "report.json".into(),
            error: if vouched {
                "the zip holds two or more members under one name: which copy is the bundle's is not known, so the report is not shown".into()
            } else {
                "not listed in the manifest: added after the bundle was made, so not shown".into()
            },
        });
    }
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut unpacked = 0u64;
    let mut unchecked = 0usize;
    for entry in &manifest.members {
        if !seen.insert(entry.name.as_str()) {
            problems.push(format!(
                "{}: listed twice in the manifest",
                pathprobe_files::quote::excerpt(&entry.name, 80)
            ));
            continue;
        }
        // The whole check unpacks a bounded amount, whatever the manifest
        // claims.
        if unpacked.saturating_add(entry.bytes) > MAX_BUNDLE_UNPACKED {
            unchecked += 1;
            continue;
        }
        unpacked = unpacked.saturating_add(entry.bytes);
        if let Some(why) = unsafe_name(&entry.name) {
            problems.push(format!(
                "{}: listed in the manifest with a name that {why}",
                pathprobe_files::quote::excerpt(&entry.name, 80)
            ));
            continue;
        }
        // No more than the manifest announces is unpacked: a member that
        // inflates past it was changed, or is a zip bomb.
        let limit = entry.bytes.min(MAX_MEMBER_BYTES);
        // The report is what is shown: changed, it is not shown at all
        // (round 22: a same-size edit was shown, under a warning).
        if entry.name == "report.json" {
            let changed = match digest_member(&mut archive, path, &entry.name, limit) {
                Ok((bytes, sha256)) => bytes != entry.bytes || sha256 != entry.sha256,
                Err(e) => return Err(e),
            };
            if changed {
                return Err(BundleError::Member {
                    path: path.display().to_string(),
                    member: "report.json".into(),
                    error: "changed after the bundle was made (its size or SHA-256 is not the manifest's): not shown; unzip the bundle to read it as it is".into(),
                });
            }
            continue;
        }
        match digest_member(&mut archive, path, &entry.name, limit) {
            Ok((bytes, _)) if bytes != entry.bytes => problems.push(format!(
                "{}: {} bytes where the manifest says {} (changed after the bundle was made)",
                entry.name, bytes, entry.bytes
            )),
            Ok((_, sha256)) if sha256 != entry.sha256 => problems.push(format!(
                "{}: its SHA-256 does not match the manifest (changed after the bundle was made)",
                entry.name
            )),
            Ok(_) => {}
            Err(e) => problems.push(e.to_string()),
        }
    }
    if unchecked > 0 {
        problems.push(format!(
            "{unchecked} member(s) not checked: the manifest lists more than {} in all",
            pathprobe_files::size(MAX_BUNDLE_UNPACKED)
        ));
    }
    let listed = seen;
    let mut unlisted = Vec::new();
    let mut unsafe_names = Vec::new();
    let mut unreadable = 0usize;
    for name in archive.file_names() {
        match name {
            Ok(name) if unsafe_name(&name).is_some() => {
                unsafe_names.push(pathprobe_files::quote::excerpt(&name, 80))
            }
            Ok(name) if name == "manifest.json" || listed.contains(name.as_ref()) => {}
            Ok(name) => unlisted.push(pathprobe_files::quote::excerpt(&name, 80)),
            Err(_) => unreadable += 1,
        }
    }
    // Only one copy of a repeated name is read here, and an unpacking tool
    // may take another (`unzip -n` keeps the first).
    if archive.has_duplicate_names() {
        problems.push(
            "the zip holds two or more members under one name: a tool unpacking it may take a copy this check did not read (changed after the bundle was made)".into(),
        );
    }
    if !unsafe_names.is_empty() {
        problems.push(format!(
            "{} member name(s) that would unpack outside the folder (an absolute path or \"..\"): {}",
            unsafe_names.len(),
            pathprobe_files::quote::list(&unsafe_names, 10)
        ));
    }
    if !unlisted.is_empty() {
        problems.push(format!(
            "{} member(s) in the zip but not in the manifest: {}",
            unlisted.len(),
            pathprobe_files::quote::list(&unlisted, 10)
        ));
    }
    if unreadable > 0 {
        problems.push(format!("{unreadable} member(s) with an unreadable name"));
    }
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        problems.push(format!("and {more} more problem(s)"));
    }
    // No more than the manifest lists is read for the report either
    // (round 21: 500 MiB of padding were read, then said to be too many).
    let report_limit = manifest
        .members
        .iter()
        .find(|m| m.name == "report.json")
        .map_or(MAX_MEMBER_BYTES, |m| m.bytes.min(MAX_MEMBER_BYTES));
    let report_bytes = read_member(&mut archive, path, "report.json", report_limit)?;
    let text = String::from_utf8(report_bytes).map_err(|e| BundleError::Member {
        path: path.display().to_string(),
        member: "report.json".into(),
        error: format!(
            "not UTF-8 text (byte {} is not part of a character)",
            e.utf8_error().valid_up_to() + 1
        ),
    })?;
    // The reader's error names the bundle and member itself.
    let report = CheckReport::from_json(&text, &format!("{}: report.json", path.display()))
        .map_err(BundleError::Report)?;
    Ok(OpenedBundle {
        manifest,
        report,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_that_breaks_its_url_is_still_taken_out() {
        let r = Redactor::new();
        for (text, kept, gone) in [
            // An unencoded `/` in the password: URL parsers refuse it and
            // quote it whole.
            (
                "\"http://bob:K9x/QzLmW7vTrP@127.0.0.1:19510\" is not a usable proxy: invalid port number",
                "@127.0.0.1:19510\" is not a usable proxy",
                "QzLmW7vTrP",
            ),
            // The host forgotten: the password stands where a port would.
            (
                "proxy http://bob:K9xQzLmW7vTrP cannot be used",
                "http://bob:REDACTED cannot",
                "K9xQzLmW7vTrP",
            ),
        ] {
            let shown = r.apply(text);
            assert!(shown.contains(kept) && !shown.contains(gone), "{shown}");
        }
        // URLs with ports and paths, `@` in a path included, stay as they
        // are; so does a bad port after a host, and the quote of a JSON
        // string after it.
        for text in [
            "\"http://127.0.0.1:99999x\\\" is not a usable proxy\"",
            "https://host:8443/users/@me",
            "https://registry.example/@scope/pkg",
            "http://[::1]:3128/",
            "https://a.example.com:443/x",
        ] {
            assert_eq!(r.apply(text), text);
        }
    }

    /// Round 20: a script's or settings file's credentials written any of
    /// the ways people write them; comparisons, URLs and words that only
    /// look alike are left as they are.
    #[test]
    fn credentials_assigned_in_a_files_text_are_taken_out() {
        let r = Redactor::new();
        let text = "// a: password=PW_A1\n// b: password = PW_B2\n// c: password: PW_C3\nvar d = {password: \"PW_D4\"};\nvar password = \"PW_F6\";\nvar token = 'PW_G7';\n// token: PW_I9\nvar pwd = \"PW_J10\";\nvar x = {\"proxyPassword\":\"PW_L12\"};\nvar apiKey=\"PW_M13\"; var api_key = 'PW_N14';\nvar t = \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\";\nvar creds = \"svc:CREDSSECRET5\";\nvar pw = \"PWSECRET10\";\nvar ghp = \"ghp_0123456789abcdefghijABCDEFGHIJ012345\";\n";
        let shown = r.apply_to_source(text);
        for secret in [
            "PW_A1",
            "PW_B2",
            "PW_C3",
            "PW_D4",
            "PW_F6",
            "PW_G7",
            "PW_I9",
            "PW_J10",
            "PW_L12",
            "PW_M13",
            "PW_N14",
            "eyJzdWIiOiJ4In0",
            "CREDSSECRET5",
            "PWSECRET10",
            "0123456789abcdefghijABCDEFGHIJ012345",
        ] {
            assert!(!shown.contains(secret), "{secret}: {shown}");
        }
        let kept = "if (host == \"token.example.com\" || url.substring(0, 6) != \"https:\") return \"PROXY p.example:8080\"; // see http://wiki/keys";
        assert_eq!(r.apply_to_source(kept), kept);
        // Credentials percent-encoded inside a word (round 24).
        for (text, secret) in [
            (
                "http://a.test/?next=https%3A%2F%2Fu%3AUPW02%40evil.test",
                "UPW02",
            ),
            ("http://a.test/x?q=token%3DUTOK01", "UTOK01"),
            ("var enc = \"u%3ABPACPW5%40p.test\";", "BPACPW5"),
            ("see u%253APW9%2540host", "PW9"),
            ("{\"d\": \"Authorization%3A%20Bearer%20XTOK7\"}", "XTOK7"),
        ] {
            let shown = r.apply(text);
            assert!(!shown.contains(secret), "{text}: {shown}");
        }
        // A JSON document stays one.
        let json = r.apply("{\"d\": \"Authorization%3A%20Bearer%20XTOK7%22\"}");
        assert!(
            serde_json::from_str::<serde_json::Value>(&json).is_ok(),
            "{json}"
        );
        // Ordinary escapes are left as written.
        assert_eq!(r.apply("a%20b c%2Fd"), "a%20b c%2Fd");
        // A colon percent-encoded between user and password (round 23).
        assert!(
            !r.apply("PROXY u%3APACPW4@127.0.0.1:19600")
                .contains("PACPW4"),
            "{}",
            r.apply("PROXY u%3APACPW4@127.0.0.1:19600")
        );
        // A finding's evidence line keeps its fields (round 24).
        assert_eq!(
            r.apply("realm: r Proxy-Authorization: Basic dXNlcjpwdw== · for example: a.test"),
            "realm: r Proxy-Authorization: REDACTED · for example: a.test"
        );
        // A table row keeps its other cells and its frame (round 23).
        assert_eq!(
            r.apply("│ a ┆ Authorization: Bearer abc123   ┆ x │"),
            "│ a ┆ Authorization: REDACTED   ┆ x │"
        );
        assert_eq!(
            r.apply("┆ Authorization:REDA ┆"),
            "┆ Authorization:REDA ┆",
            "the start of a wrapped REDACTED is left as it is"
        );
        // A token lower-cased with the host name it stands in (round 22).
        let lowered =
            r.apply("PROXY eyjhbgcioijiuzi1nij9.eyjzdwiioiixmjm0nty3odkwin0.sflkxwrjs:8080");
        assert!(!lowered.contains("eyjzdwii"), "{lowered}");
        // A colon after a token is the sentence's (round 21).
        assert_eq!(
            r.apply("http://h/auth?token=abc123: the server answered HTTP 401"),
            "http://h/auth?token=REDACTED: the server answered HTTP 401"
        );
        // The other outputs keep their `key: value` lines: only a file's
        // text gets this pass.
        assert_eq!(r.apply("status code: 404"), "status code: 404");
    }

    #[test]
    fn redacting_a_rendered_report_keeps_its_structure() {
        let mut r = Redactor::new();
        r.credentials("bob", "Qz/9+x y&z");
        let texts = [
            "page title: Denied: no Authorization: Bearer header sent",
            "realm: send Proxy-Authorization: Basic please",
            "Proxy-Authorization: Basic Ym9iOmh1bnRlcjI=\r\nVia: x",
            "Authorization: NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==, next",
            "X-Api-Key: abcdef123456\tnext",
            "<b>Authorization: Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag</b>",
            "user alice:Pw0rd-123@proxy, then \"quoted\"",
            "\"http://bob:K9x/QzLmW7vTrP@127.0.0.1:19510\" is not usable",
            "\"http://bob:K9xQzLmW7vTrP\" is not usable",
            "\"http://127.0.0.1:99999x\" is not usable",
        ];
        for text in texts {
            // A JSON document holding it as a string, and a CSV row with a
            // field after it: both as they were, with the values replaced.
            let json =
                serde_json::to_string(&serde_json::json!({ "a": text, "b": "after" })).unwrap();
            let redacted = r.apply(&json);
            let back: serde_json::Value = serde_json::from_str(&redacted)
                .unwrap_or_else(|e| panic!("{text}: {e}: {redacted}"));
            assert_eq!(back["b"], "after", "{redacted}");
            let mut row = csv::Writer::from_writer(Vec::new());
            row.write_record([text, "after"]).unwrap();
            let row = String::from_utf8(row.into_inner().unwrap()).unwrap();
            let redacted = r.apply(&row);
            let fields: Vec<String> = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(redacted.as_bytes())
                .records()
                .next()
                .unwrap()
                .unwrap()
                .iter()
                .map(str::to_owned)
                .collect();
            assert_eq!(fields.len(), 2, "{redacted}");
            assert_eq!(fields[1], "after", "{redacted}");
        }
        assert!(
            !r.apply(texts[3]).contains("TlRMTVNT"),
            "{}",
            r.apply(texts[3])
        );
    }

    #[test]
    fn a_password_goes_inside_longer_base64_at_every_alignment() {
        use base64::Engine as _;
        let mut r = Redactor::new();
        r.credentials("alice", "Tr0ub4dor&3zebra");
        for prefix in ["", "x", "xy", "xyz"] {
            let token = base64::engine::general_purpose::STANDARD
                .encode(format!("{prefix}alice:Tr0ub4dor&3zebra;more"));
            let out = r.apply(&format!("cookie {token} end"));
            assert!(out.contains("REDACTED"), "{prefix:?}: {out}");
            // What is left is at most the few characters the alignment
            // shares with the bytes around it.
            let kept = out
                .replace("cookie ", "")
                .replace(" end", "")
                .replace("REDACTED", "");
            assert!(kept.len() <= 12, "{prefix:?}: {out}");
        }
    }

    #[test]
    fn digest_answers_lose_their_credentials_and_keep_their_shape() {
        let r = Redactor::new();
        let header = r#"Authorization: Digest username="bob", realm="corp", nonce="dcd98b7102dd2f0e", uri="/", response="6629fae49393a05397450978507c4ef1", cnonce="0a4f113b""#;
        let out = r.apply(header);
        for gone in ["bob", "6629fae4", "0a4f113b"] {
            assert!(!out.contains(gone), "{out}");
        }
        assert!(out.contains(r#"realm="corp""#), "{out}");
        // Inside a JSON string, the escaped quotes stay.
        let json = serde_json::to_string(&serde_json::json!({ "h": header })).unwrap();
        let out = r.apply(&json);
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(!back["h"].as_str().unwrap().contains("6629fae4"), "{out}");
    }

    #[test]
    fn a_password_goes_in_every_encoding_a_peer_echoes() {
        let mut r = Redactor::new();
        r.credentials("bob", "Qz/9+x y&z");
        for shown in [
            "Qz/9+x y&z",
            "Qz%2F9%2Bx+y%26z",
            "Qz%2F9%2Bx%20y%26z",
            "UXovOSt4IHkmeg==",
            "UXovOSt4IHkmeg",
            "Ym9iOlF6LzkreCB5Jno=",
            "Ym9iOlF6LzkreCB5Jno",
            // Every byte percent-encoded, in either case, and hex.
            "%51%7A%2F%39%2B%78%20%79%26%7A",
            "%51%7a%2f%39%2b%78%20%79%26%7a",
            "517a2f392b782079267a",
        ] {
            let out = r.apply(&format!("page title: {shown} end"));
            assert!(!out.contains(shown), "{shown}: {out}");
        }
    }

    #[test]
    fn known_secrets_and_their_encodings_go() {
        let mut r = Redactor::new();
        r.credentials("alice", "s3cr3t p@ss");
        let text = "pw s3cr3t p@ss, encoded s3cr3t+p%40ss, basic YWxpY2U6czNjcjN0IHBAc3M=";
        let out = r.apply(text);
        assert!(!out.contains("s3cr3t"), "{out}");
        assert!(!out.contains("YWxpY2U6czNjcjN0IHBAc3M="), "{out}");
    }

    #[test]
    fn every_spelling_of_a_credential_parameter_goes() {
        let r = Redactor::new();
        for name in [
            "token",
            "refresh_token",
            "id_token",
            "x-token",
            "token[]",
            "token.x",
            "api-key",
            "apikey",
            "subscription-key",
            "client_secret",
            "X-Goog-Signature",
            "X-Amz-Signature",
            "X-Amz-Credential",
            "sig[0]",
            "key%5B%5D",
            "pwd",
            "pass",
            "jwt",
            "session(id)",
            "code",
            "accessToken",
            "tok%65n",
            "PASSWORD",
            "sessionid",
            "client_assertion",
            "AWSAccessKeyId",
            "ticket",
        ] {
            for text in [
                format!("https://a.test/p?{name}=S3CR3T-1&x=1"),
                format!("https://a.test/p?x=1&{name}=S3CR3T-1"),
                format!("https://a.test/p#{name}=S3CR3T-1"),
                format!("https://a.test/{name}=S3CR3T-1/next"),
            ] {
                let out = r.apply(&text);
                assert!(!out.contains("S3CR3T"), "{name}: {out}");
            }
        }
        // A Bearer token as a parameter, and headers named for a credential.
        for text in [
            "https://a.test/p?Authorization=Bearer%20S3CR3T-3",
            "X-Api-Key: S3CR3T-4\nServer: x",
            "headers: {\"X-Auth-Token: S3CR3T-5\"}",
        ] {
            let out = r.apply(text);
            assert!(!out.contains("S3CR3T"), "{out}");
        }
        assert_eq!(r.apply("Server: squid/5.7"), "Server: squid/5.7");
        // A value holding a parameter, and words that only look alike.
        let out = r.apply("https://a.test/?next=token=S3CR3T-2");
        assert!(!out.contains("S3CR3T"), "{out}");
        let kept = "https://a.test/?geo=EU&page=2&format=json verdict=ok";
        assert_eq!(r.apply(kept), kept);
        // A CSV row keeps its columns.
        assert_eq!(
            r.apply("https://a.test/a?token=TOK1,Core,true,DIRECT,command line\n"),
            "https://a.test/a?token=REDACTED,Core,true,DIRECT,command line\n"
        );
    }

    #[test]
    fn values_in_path_segments_named_for_a_credential_go() {
        let r = Redactor::new();
        for (text, expected) in [
            (
                "https://a.test/api/key/9f8e7d6c5b4a3210/list",
                "https://a.test/api/key/REDACTED/list",
            ),
            (
                "GET /v1/token/eyJhbGciOiJIUzI1NiJ9?x=1 HTTP/1.1",
                "GET /v1/token/REDACTED?x=1 HTTP/1.1",
            ),
            (
                "https://a.test/apikey/AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
                "https://a.test/apikey/REDACTED",
            ),
            (
                "https://a.test/Session/s3ss10n-id-77 ok",
                "https://a.test/Session/REDACTED ok",
            ),
            (
                "https://a.test/api/v1/token/TOKSECRETPATH",
                "https://a.test/api/v1/token/REDACTED",
            ),
        ] {
            assert_eq!(r.apply(text), expected);
        }
        // Words after such a segment, and ordinary paths, stay.
        for kept in [
            "https://login.test/oauth2/token/refresh",
            "https://a.test/session/new",
            "https://a.test/token/refresh-session",
            "https://a.test/keys/",
            "https://x.cp.wd.microsoft.com/api/report",
            "https://winatp-gw-cus.microsoft.com/commands/test",
            "a key/value store",
        ] {
            assert_eq!(r.apply(kept), kept);
        }
    }

    #[test]
    fn secret_looking_values_go_without_being_known() {
        let r = Redactor::new();
        let cases = [
            (
                "http://bob:hunter2@proxy.corp.test:3128/",
                "http://REDACTED@proxy.corp.test:3128/",
            ),
            (
                "--proxy u:hunter2@127.0.0.1:3128 (and \"v:pw2@[::1]:8080\")",
                "--proxy REDACTED@127.0.0.1:3128 (and \"REDACTED@[::1]:8080\")",
            ),
            ("mail alice@example.com", "mail alice@example.com"),
            (
                "http://u:PW@127.0.0.1:99999/",
                "http://REDACTED@127.0.0.1:99999/",
            ),
            (
                "\"http://a:hunter2d@127.0.0.1:19582;http://bob:hunter2g@127.0.0.1:19583\"",
                "\"http://REDACTED@127.0.0.1:19582;http://REDACTED@127.0.0.1:19583\"",
            ),
            (
                "http://alice:x@127.0.0.1:19582,http://bob:hunter2f@1.2.3.4:1",
                "http://REDACTED@127.0.0.1:19582,http://REDACTED@1.2.3.4:1",
            ),
            (
                "https://x.example/?tok%65n=T1&pass%77ord=P2&x=1",
                "https://x.example/?tok%65n=REDACTED&pass%77ord=REDACTED&x=1",
            ),
            (
                "https://x.example/e#token=Tok6&access_token=At7",
                "https://x.example/e#token=REDACTED&access_token=REDACTED",
            ),
            (
                "https://idp.example/sso?SAMLRequest=fZJNb9s&RelayState=ss%3Amem",
                "https://idp.example/sso?SAMLRequest=REDACTED&RelayState=REDACTED",
            ),
            (
                "https://wpad.corp.test/proxy.pac?token=abc123&x=1",
                "https://wpad.corp.test/proxy.pac?token=REDACTED&x=1",
            ),
            (
                "Proxy-Authorization: Basic Ym9iOmh1bnRlcjI=\r\nVia: x",
                "Proxy-Authorization: REDACTED\r\nVia: x",
            ),
            (
                "<title>Denied Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc</title>",
                "<title>Denied Bearer REDACTED</title>",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(r.apply(text), expected);
        }
    }

    #[test]
    fn ordinary_text_is_kept() {
        let r = Redactor::new();
        for text in [
            "407 from the proxy: schemes offered: Basic realm=\"corp\", NTLM, Negotiate",
            "https://winatp-gw-weu.microsoft.com/test",
            "the agent uses basic settings; tokens are not needed",
            "Digest realm=\"x\", nonce=\"abc\"",
            "the proxy asks for NTLM Authentication and Negotiate credentials",
        ] {
            assert_eq!(r.apply(text), text);
        }
    }

    #[test]
    fn hosts_become_placeholders_case_blind() {
        let mut r = Redactor::new();
        r.host("corp.example");
        r.host("proxy.corp.example");
        r.host("10.1.2.3");
        let out = r.apply("PROXY Proxy.Corp.Example:3128; search corp.example; 10.1.2.3");
        assert!(!out.to_ascii_lowercase().contains("corp.example"), "{out}");
        assert!(out.contains("10.1.2.3"));
        assert!(out.contains("internal-"));
    }
}
