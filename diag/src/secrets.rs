//! Secrets kept off every output path: the report, but also errors,
//! warnings, the stderr log and `config show`.
//!
//! The process learns the credentials it was given (the command line, the
//! proxy variables of its environment) before any command runs, and those a
//! command finds later (agent settings, a PAC URL); [`scrub`] removes them,
//! their Basic tokens and anything shaped like a credential from a text.

use std::sync::{Mutex, OnceLock};

use pathprobe_pac::discovery::Discovery;
use pathprobe_reports::Redactor;

use crate::cli::ProbeArgs;

fn known() -> &'static Mutex<Redactor> {
    static KNOWN: OnceLock<Mutex<Redactor>> = OnceLock::new();
    KNOWN.get_or_init(|| Mutex::new(Redactor::new()))
}

/// Every secret the process knows, for a renderer that must take them out
/// before it lays text out (table cells, which wrapping would cut).
pub fn known_redactor() -> Redactor {
    known().lock().map(|r| r.clone()).unwrap_or_default()
}

/// Learns the credentials in a command line and in the proxy variables.
pub fn learn_from_start(args: &[std::ffi::OsString]) {
    let mut words: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    for (name, value) in std::env::vars_os() {
        if name
            .to_string_lossy()
            .to_ascii_lowercase()
            .ends_with("_proxy")
        {
            words.push(value.to_string_lossy().into_owned());
        }
    }
    learn_words(&words);
}

/// Learns the credentials in a configuration file's values, every site's
/// included: a site not used in this run still holds a password that may
/// appear in another value (`config show` prints them all).
pub fn learn_from_config(values: &[(String, String)]) {
    let words: Vec<String> = values
        .iter()
        .flat_map(|(key, value)| {
            let flag = (key == "proxy-user").then(|| "--proxy-user".to_owned());
            flag.into_iter().chain([value.clone()])
        })
        .collect();
    learn_words(&words);
}

/// Learns the credentials in command-line words: `--proxy-user U:P`,
/// `scheme://user:password@host`, and long query values of URLs.
fn learn_words(words: &[String]) {
    {
        let Ok(mut redactor) = known().lock() else {
            return;
        };
        let mut after_proxy_user = false;
        // A value may list several URLs (`http://a:p@h;http://b:q@h`,
        // commas or semicolons between them): each is learned.
        let parts: Vec<String> = words
            .iter()
            .flat_map(|w| {
                let mut all = vec![w.clone()];
                if w.contains("://") && w.contains([',', ';']) {
                    all.extend(w.split([',', ';']).map(str::to_owned));
                }
                all
            })
            .collect();
        for word in &parts {
            if after_proxy_user {
                learn_pair(&mut redactor, word);
            }
            after_proxy_user = word == "--proxy-user";
            if let Some(value) = word.strip_prefix("--proxy-user=") {
                learn_pair(&mut redactor, value);
            }
            // `scheme://user:password@host` or `user:password@host`, as a whole
            // word or as the value of `--flag=`.
            let value = match word.split_once("://") {
                Some(_) => word.as_str(),
                None => word.split_once('=').map_or(word.as_str(), |(_, v)| v),
            };
            // A URL's longer query values (a catalog's or PAC's `?x=…`): a
            // server may echo the request it got into what it sends back.
            // Short ones (`?format=csv`) are words, not secrets.
            if let Ok(u) = url::Url::parse(value.trim())
                && matches!(u.scheme(), "http" | "https")
            {
                for (_, v) in u.query_pairs() {
                    if v.chars().count() >= MIN_QUERY_SECRET {
                        redactor.secret(&v);
                    }
                }
            }
            // The user information as the redactor finds it, a password
            // holding an unencoded `/` included.
            let after_scheme = value.split_once("://").map_or(value, |(_, rest)| rest);
            if let Some(userinfo) =
                pathprobe_reports::userinfo_end(after_scheme).map(|at| &after_scheme[..at])
                && userinfo.contains(':')
            {
                learn_pair(&mut redactor, userinfo);
            }
        }
    }
    // After the lock is released: the warning passes through the redactor.
    warn_short_password();
}

/// The shortest query value of a URL on the command line learned as a
/// secret (a token, a signature), whatever its parameter's name.
const MIN_QUERY_SECRET: usize = 8;

/// Learns every secret `redactor` knows (a run's, built from its settings:
/// the configuration file's proxy and credentials, settings files), so that
/// the log, errors and warnings written during the run lose them too.
pub fn learn(redactor: &Redactor) {
    if let Ok(mut known) = known().lock() {
        known.absorb(redactor);
    }
}

/// A password too short to hide was given: said once the redactor's lock
/// is released (a warning passes through the redactor).
static SHORT_PASSWORD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says, once, that a password given is too short to be hidden.
fn warn_short_password() {
    if SHORT_PASSWORD.swap(false, std::sync::atomic::Ordering::Relaxed) {
        crate::output::warn(
            "a proxy password of fewer than 3 characters cannot be kept out of outputs (it would hide ordinary text too): reports, logs and bundles may show it",
        );
    }
}

/// `user:password`: the password (as given and percent-decoded) and the
/// Basic tokens. A user name alone is not a secret (and a common word).
fn learn_pair(redactor: &mut Redactor, pair: &str) {
    if let Some((user, password)) = pair.split_once(':') {
        // Two characters are found in ordinary text everywhere: hiding
        // them would garble every output, so they are not hidden, and the
        // user is told so rather than promised otherwise.
        let length = percent_decoded(password).chars().count();
        if (1..3).contains(&length) {
            SHORT_PASSWORD.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let decode = |s: &str| percent_decoded(s);
        redactor.credentials(&decode(user), &decode(password));
        redactor.credentials(user, password);
    }
}

/// Learns the credentials of proxies a command found (agent settings,
/// environment files): only credentials, never other values of URLs, which
/// may be words (`?fresh=true`) that appear all over a report.
pub fn learn_found(discovery: &Discovery) {
    if let Ok(mut redactor) = known().lock() {
        add_found(&mut redactor, discovery);
    }
}

/// The credentials of the proxies in `discovery`, into `redactor`.
fn add_found(redactor: &mut Redactor, discovery: &Discovery) {
    for found in &discovery.found {
        for p in found.config.proxies() {
            if let Some(c) = &p.credentials {
                redactor.credentials(c.user(), c.password());
            }
        }
    }
}

/// `text` without any secret the process knows, nor anything shaped like one.
/// `text` as it may leave the process, on a terminal, in a file or over
/// HTTP: without secrets ([`scrub`]) and with no control sequence an input
/// planted in it (`colour`: a table's own colour sequences pass).
pub fn shown(text: &str, colour: bool) -> String {
    pathprobe_files::quote::inert(&scrub(text), colour).into_owned()
}

/// A JSON document as it may leave the process: as [`shown`], with hidden
/// characters escaped the JSON way, so that it reads back unchanged.
pub fn shown_json(text: &str) -> String {
    pathprobe_files::quote::json_inert(&scrub(text)).into_owned()
}

/// Whether `text` is one JSON document (an object or an array): such
/// output keeps its data whole ([`shown_json`]). Parsed only when it holds
/// a hidden character, the one case where the two ways differ.
pub fn is_json_document(text: &str) -> bool {
    let trimmed = text.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && text
            .chars()
            .any(|c| pathprobe_files::quote::is_hidden(c) && !matches!(c, '\n' | '\t'))
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

pub fn scrub(text: &str) -> String {
    match known().lock() {
        Ok(redactor) => redactor.apply(text),
        Err(_) => Redactor::new().apply(text),
    }
}

/// Options whose values may hold a credential.
const SECRET_OPTIONS: &[&str] = &[
    "--proxy-user",
    "--proxy",
    "--pac",
    "--push",
    "--url",
    "--catalog-proxy",
];

/// clap's message for `error`, with the refused value hidden when the
/// option may hold a credential: clap quotes the value it refused, and a
/// malformed credential (`bob;secret`, a password holding `/`) matches no
/// pattern the redactor knows.
pub fn clap_message(error: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    let text = error.to_string();
    let arg = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.as_str(),
        _ => "",
    };
    let sensitive = SECRET_OPTIONS
        .iter()
        .any(|o| arg.split([' ', '=']).next() == Some(*o));
    match error.get(ContextKind::InvalidValue) {
        // clap's text drops escape sequences from the value it quotes
        // (`http://h\e[31m:1` shown as `http://h:1`): the message is made
        // again with the value as it was given, its hidden characters shown.
        Some(ContextValue::String(value))
            if value.chars().any(pathprobe_files::quote::is_hidden) =>
        {
            let shown_value = if sensitive {
                hidden(arg, value)
            } else {
                value.clone()
            };
            let reason = std::error::Error::source(error)
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            shown(
                &format!(
                    "error: invalid value {} for '{arg}'{reason}\n",
                    pathprobe_files::quote::quoted(&shown_value)
                ),
                false,
            )
        }
        Some(ContextValue::String(value)) if sensitive && !value.is_empty() => {
            shown(&text.replace(value.as_str(), &hidden(arg, value)), false)
        }
        _ => shown(&text, false),
    }
}

/// A refused value as it may be shown: a user's credentials never; a URL
/// with its host only.
fn hidden(arg: &str, value: &str) -> String {
    if arg.starts_with("--proxy-user") {
        return "REDACTED".to_owned();
    }
    // The proxy parser's own redaction: its message quotes the value the
    // same way (round 23: one quote hid the host, the other showed it).
    pathprobe_pac::discovery::redact_text(value)
}

/// `%XX` escapes decoded, as in a URL's user information (`+` stays a plus:
/// this is not a form).
pub fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Environment variables that steer proxies, in the case programs read them
/// (and the trust files some tools read): shown in bundles, the secrets of
/// their URLs learned.
pub(crate) const PROXY_VARIABLES: &[&str] = &[
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "ftp_proxy",
    "FTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
];

/// A redactor that knows every secret the run was given or found: used on
/// every report, and by bundles.
pub(crate) fn redactor_for(args: &ProbeArgs, discovery: &Discovery) -> Redactor {
    let mut r = Redactor::new();
    if let Some((user, password)) = args.proxy_user.as_deref().and_then(|t| t.split_once(':')) {
        r.credentials(user, password);
    }
    let mut urls: Vec<String> = Vec::new();
    urls.extend(args.routing.proxy.clone());
    urls.extend(
        args.routing
            .pac
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned()),
    );
    for name in PROXY_VARIABLES {
        if let Ok(v) = std::env::var(name) {
            urls.push(v);
        }
    }
    add_found(&mut r, discovery);
    for text in &urls {
        let with_scheme = if text.contains("://") {
            text.clone()
        } else {
            format!("http://{text}")
        };
        if let Ok(u) = url::Url::parse(&with_scheme) {
            if let Some(password) = u.password() {
                let password = percent_decoded(password);
                r.credentials(&percent_decoded(u.username()), &password);
            }
            for (_, value) in u.query_pairs() {
                r.secret(&value);
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_credential_is_hidden() {
        assert_eq!(
            hidden("--proxy-user <USER:PASSWORD>", "bob;s3cret"),
            "REDACTED"
        );
        assert_eq!(
            hidden("--proxy <URL>", "http://pc:Port/S3cret@127.0.0.1:1"),
            "http://REDACTED@127.0.0.1:1"
        );
        assert_eq!(
            hidden("--proxy <URL>", "http://127.0.0.1:99999"),
            "http://127.0.0.1:99999"
        );
        // USER:PASSWORD given as the proxy, or swapped around its `@`
        // (round 22): what stands where a port belongs is no port.
        assert_eq!(hidden("--proxy <URL>", "bob:PWX4"), "bob:REDACTED");
        assert_eq!(
            hidden("--proxy <URL>", "px.test:1@bob:PW5"),
            "REDACTED@bob:REDACTED"
        );
        assert_eq!(hidden("--proxy <URL>", "http://[::1]"), "http://[::1]");
        // The host stays, as in the parser's own words (round 23).
        assert_eq!(
            hidden("--proxy <URL>", "http://u:PW@127.0.0.1:abc"),
            "http://REDACTED@127.0.0.1:REDACTED"
        );
    }

    #[test]
    fn percent_escapes_decode_and_plus_stays() {
        assert_eq!(percent_decoded("p%40ss%3Aword"), "p@ss:word");
        assert_eq!(percent_decoded("a+b%2"), "a+b%2");
    }

    #[test]
    fn a_user_name_alone_is_not_learned_but_a_password_is() {
        let mut r = Redactor::new();
        learn_pair(&mut r, "proxy");
        assert_eq!(r.apply("proxy_denied"), "proxy_denied");
        learn_pair(&mut r, "u:pa=ss+w%40rd");
        assert!(!r.apply("x pa=ss+w@rd y").contains("pa=ss+w@rd"));
    }
}
