//! Secrets kept off every output path: the report, but also errors,
//! warnings, the stderr log and `config show`.
//!
//! The process learns the credentials it was given (the command line, the
//! proxy variables of its environment) before any command runs, and those a
//! command finds later (agent settings, a PAC URL); [`scrub`] removes them,
//! their Basic tokens and anything shaped like a credential from a text.

use std::sync::{Mutex, OnceLock};

use pathprobe_reports::Redactor;

fn known() -> &'static Mutex<Redactor> {
    static KNOWN: OnceLock<Mutex<Redactor>> = OnceLock::new();
    KNOWN.get_or_init(|| Mutex::new(Redactor::new()))
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
    let Ok(mut redactor) = known().lock() else {
        return;
    };
    let mut after_proxy_user = false;
    for word in &words {
        if after_proxy_user {
            learn_pair(&mut redactor, word);
        }
        after_proxy_user = word == "--proxy-user";
        if let Some(value) = word.strip_prefix("--proxy-user=") {
            learn_pair(&mut redactor, value);
        }
        // `scheme://user:password@host` or `user:password@host`, anywhere.
        for part in word.split(['=', ' ', ',', ';']) {
            let authority = part.split_once("://").map_or(part, |(_, rest)| rest);
            let authority = authority.split('/').next().unwrap_or(authority);
            if let Some((userinfo, _)) = authority.rsplit_once('@') {
                learn_pair(&mut redactor, userinfo);
            }
        }
    }
}

fn learn_pair(redactor: &mut Redactor, pair: &str) {
    match pair.split_once(':') {
        Some((user, password)) => {
            let decode = |s: &str| {
                url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map_or_else(|| s.to_owned(), |(_, v)| v.into_owned())
            };
            redactor.credentials(&decode(user), &decode(password));
            redactor.credentials(user, password);
        }
        None => redactor.secret(pair),
    }
}

/// Learns what a command found or was told (the bundle's redactor, say).
pub fn learn(more: &Redactor) {
    if let Ok(mut redactor) = known().lock() {
        redactor.absorb(more);
    }
}

/// `text` without any secret the process knows, nor anything shaped like one.
pub fn scrub(text: &str) -> String {
    match known().lock() {
        Ok(redactor) => redactor.apply(text),
        Err(_) => Redactor::new().apply(text),
    }
}
