//! Getting a PAC script from where it lives: a file, or an `http(s)://` URL.
//!
//! A PAC URL points into a network the user may not control, so the fetch is
//! bounded (size, time, redirects), goes direct as browsers do (a proxy
//! setting must not be needed to learn the proxy setting), and records what the
//! server said about the content type without refusing on it: servers get it
//! wrong often, and browsers load the script anyway.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

/// Where a PAC script comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PacLocation {
    /// A local file (`./proxy.pac`, `/etc/proxy.pac`, `file:///etc/proxy.pac`).
    File(PathBuf),
    /// An `http://` or `https://` URL.
    Url(url::Url),
}

impl PacLocation {
    /// Reads a command-line value: a URL with an `http`, `https` or `file`
    /// scheme, anything else a path.
    pub fn parse(text: &str) -> Result<Self, FetchError> {
        let trimmed = text.trim();
        // A URL parser drops tabs and line breaks without a word: a value
        // holding one is refused, not read as another URL.
        if let Some(which) = pathprobe_files::quote::control_character(trimmed) {
            return Err(FetchError::BadLocation {
                location: redact_text(&pathprobe_files::quote::visible(trimmed)),
                reason: format!("it holds {which}"),
            });
        }
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let url = url::Url::parse(trimmed).map_err(|e| FetchError::BadLocation {
                location: redact_text(trimmed),
                reason: e.to_string(),
            })?;
            return Ok(Self::Url(url));
        }
        if lower.starts_with("file:") {
            let url = url::Url::parse(trimmed).map_err(|e| FetchError::BadLocation {
                location: trimmed.to_owned(),
                reason: e.to_string(),
            })?;
            let path = url.to_file_path().map_err(|()| FetchError::BadLocation {
                location: trimmed.to_owned(),
                reason: "not a local file path".into(),
            })?;
            return Ok(Self::File(path));
        }
        if lower.contains("://") {
            return Err(FetchError::BadLocation {
                location: redact_text(trimmed),
                reason: "only http, https and file locations are supported".into(),
            });
        }
        Ok(Self::File(PathBuf::from(text)))
    }

    /// Reads a command-line value as the OS gave it: a value that is not
    /// UTF-8 can only be a file name.
    pub fn parse_os(value: &std::ffi::OsStr) -> Result<Self, FetchError> {
        match value.to_str() {
            Some(text) => Self::parse(text),
            None => Ok(Self::File(PathBuf::from(value))),
        }
    }

    /// How reports name the location: credentials and query values removed.
    pub fn display(&self) -> String {
        match self {
            Self::File(p) => p.display().to_string(),
            Self::Url(u) => redact_url(u),
        }
    }
}

/// Bounds of a fetch.
#[derive(Debug, Clone, Copy)]
pub struct FetchLimits {
    /// Largest body accepted.
    pub max_bytes: usize,
    /// Limit for the whole fetch, redirects included.
    pub timeout: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        Self {
            max_bytes: 8 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            max_redirects: 5,
        }
    }
}

/// A PAC script and what its source said about it.
#[derive(Debug, Clone, Serialize)]
pub struct FetchedPac {
    /// The location as given, redacted.
    pub location: String,
    /// Where the script finally came from after redirects, redacted.
    pub final_location: String,
    /// The script text.
    pub text: String,
    /// The `Content-Type` the server sent (URLs only).
    pub content_type: Option<String>,
    /// Things worth knowing that did not stop the fetch.
    pub warnings: Vec<String>,
    /// How long the fetch took.
    pub elapsed: Duration,
}

/// Why a PAC script could not be had.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The location is not a usable path or URL.
    #[error("{location}: {reason}")]
    BadLocation {
        /// The location, redacted.
        location: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A local file could not be read: missing, not a regular file, too large.
    #[error(transparent)]
    File(#[from] pathprobe_files::ReadError),
    /// The script is larger than the limit.
    #[error("{location}: larger than the limit of {limit} bytes")]
    TooLarge {
        /// The location, redacted.
        location: String,
        /// The limit.
        limit: usize,
    },
    /// The server answered with an error status.
    #[error("{location}: the server answered HTTP {status}")]
    Status {
        /// The location, redacted.
        location: String,
        /// The status code.
        status: u16,
    },
    /// No complete answer within the time limit.
    #[error("{location}: no complete answer within {limit:?}")]
    Timeout {
        /// The location, redacted.
        location: String,
        /// The limit.
        limit: Duration,
    },
    /// Connection, TLS or protocol failure (redirect loops included).
    #[error("{location}: {reason}")]
    Network {
        /// The location, redacted.
        location: String,
        /// What failed.
        reason: String,
    },
}

impl FetchError {
    /// True when the fault is the input (a missing file, a bad location),
    /// as opposed to the network.
    pub fn is_input_error(&self) -> bool {
        // A 4xx answer says the location is wrong (404, 403: a URL to fix);
        // a server that does not answer, or fails (5xx), is the network's.
        matches!(
            self,
            Self::BadLocation { .. } | Self::File(_) | Self::TooLarge { .. }
        ) || matches!(self, Self::Status { status, .. } if (400..500).contains(status))
    }
}

/// How pathprobe follows redirects when it fetches a PAC script or a
/// catalog: only to http and https, at most `max` times; past either, the
/// fetch stops with words saying which (`a redirect to file:`, `more than 5
/// redirects, the last to ...`), never the HTTP client's own.
pub fn redirect_policy(max: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        let scheme = attempt.url().scheme().to_owned();
        if !matches!(scheme.as_str(), "http" | "https") {
            let to = format!(
                "a redirect to {scheme}:, which is not followed: only http:// and https:// are fetched"
            );
            attempt.error(to)
        } else if attempt.previous().len() > max {
            let to = format!(
                "more than {max} redirects, the last to {} (a loop, or a portal sending every request to its login page?)",
                redact_url(attempt.url())
            );
            attempt.error(to)
        } else {
            attempt.follow()
        }
    })
}

/// A redirect the HTTP client did not follow (to a scheme it does not
/// fetch, `file:` among them), in words; `None` for any other answer.
pub fn unfollowed_redirect(response: &reqwest::Response) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    let to = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|l| response.url().join(l).ok())?;
    Some(format!(
        "{}, a redirect to {}:, which is not followed: only http:// and https:// are fetched",
        response.status(),
        to.scheme()
    ))
}

/// Content types browsers and WPAD servers use for PAC files.
const PAC_CONTENT_TYPES: &[&str] = &[
    "application/x-ns-proxy-autoconfig",
    "application/x-javascript-config",
];

/// [`fetch`] with the run's resolver for the server's name: the DNS
/// servers and pinned names the run was given (round 18: the system's
/// resolver was asked, leaking the name and getting another answer).
pub async fn fetch_resolving(
    location: &PacLocation,
    limits: &FetchLimits,
    resolver: &std::sync::Arc<dyn crate::Resolve>,
) -> Result<FetchedPac, FetchError> {
    match location {
        PacLocation::Url(url) => {
            fetch_from(
                url,
                None,
                limits,
                Some(http_names(resolver, limits.timeout)),
            )
            .await
        }
        other => fetch(other, limits).await,
    }
}

/// The run's resolver as the HTTP client's: `timeout` bounds each lookup.
pub fn http_names(
    resolver: &std::sync::Arc<dyn crate::Resolve>,
    timeout: Duration,
) -> std::sync::Arc<dyn reqwest::dns::Resolve> {
    std::sync::Arc::new(RunNames {
        resolver: resolver.clone(),
        timeout,
    })
}

/// A resolver of this crate answering the HTTP client.
#[derive(Debug)]
struct RunNames {
    resolver: std::sync::Arc<dyn crate::Resolve>,
    timeout: Duration,
}

impl reqwest::dns::Resolve for RunNames {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let (resolver, timeout) = (self.resolver.clone(), self.timeout);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            type Boxed = Box<dyn std::error::Error + Send + Sync>;
            let ips = tokio::task::spawn_blocking(move || resolver.lookup(&host, timeout))
                .await
                .map_err(|e| Box::new(e) as Boxed)?
                .map_err(|e| Box::new(e) as Boxed)?;
            let addrs: reqwest::dns::Addrs =
                Box::new(ips.into_iter().map(|ip| std::net::SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// Fetches (or reads) a PAC script within the limits.
pub async fn fetch(location: &PacLocation, limits: &FetchLimits) -> Result<FetchedPac, FetchError> {
    let started = Instant::now();
    match location {
        PacLocation::File(path) => {
            let (text, warnings) = read_file(path, limits.max_bytes)?;
            Ok(FetchedPac {
                location: location.display(),
                final_location: location.display(),
                text,
                content_type: None,
                warnings,
                elapsed: started.elapsed(),
            })
        }
        PacLocation::Url(url) => fetch_from(url, None, limits, None).await,
    }
}

/// Fetches a PAC URL, connecting to `addr` instead of resolving the URL's
/// host (WPAD: the name was already resolved through the chosen DNS servers).
pub async fn fetch_at(
    url: &url::Url,
    addr: std::net::SocketAddr,
    limits: &FetchLimits,
) -> Result<FetchedPac, FetchError> {
    fetch_from(url, Some(addr), limits, None).await
}

async fn fetch_from(
    url: &url::Url,
    addr: Option<std::net::SocketAddr>,
    limits: &FetchLimits,
    names: Option<std::sync::Arc<dyn reqwest::dns::Resolve>>,
) -> Result<FetchedPac, FetchError> {
    let started = Instant::now();
    let shown = redact_url(url);
    match tokio::time::timeout(limits.timeout, fetch_url(url, addr, &shown, limits, names)).await {
        Ok(result) => result.map(|mut fetched| {
            fetched.elapsed = started.elapsed();
            fetched
        }),
        Err(_) => Err(FetchError::Timeout {
            location: shown,
            limit: limits.timeout,
        }),
    }
}

fn read_file(path: &Path, max_bytes: usize) -> Result<(String, Vec<String>), FetchError> {
    let limit = u64::try_from(max_bytes).unwrap_or(u64::MAX);
    let bytes = pathprobe_files::read(path, limit)?;
    Ok(decode(bytes))
}

async fn fetch_url(
    url: &url::Url,
    addr: Option<std::net::SocketAddr>,
    shown: &str,
    limits: &FetchLimits,
    names: Option<std::sync::Arc<dyn reqwest::dns::Resolve>>,
) -> Result<FetchedPac, FetchError> {
    let network = |e: reqwest::Error| FetchError::Network {
        location: shown.to_owned(),
        reason: describe_http_error(&e),
    };
    let mut builder = reqwest::Client::builder();
    if let Some(names) = names {
        builder = builder.dns_resolver(names);
    }
    if let (Some(addr), Some(host)) = (addr, url.host_str()) {
        builder = builder.resolve(host, addr);
    }
    let client = builder
        .no_proxy()
        // A redirect must not carry the PAC URL's query to another server.
        .referer(false)
        .redirect(redirect_policy(limits.max_redirects))
        .user_agent(concat!("pathprobe/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(network)?;
    let mut response = client.get(url.clone()).send().await.map_err(network)?;
    let status = response.status();
    if let Some(reason) = unfollowed_redirect(&response) {
        return Err(FetchError::Network {
            location: shown.to_owned(),
            reason,
        });
    }
    if !status.is_success() {
        return Err(FetchError::Status {
            location: shown.to_owned(),
            status: status.as_u16(),
        });
    }
    let response_url = response.url().clone();
    let final_location = redact_url(&response_url);
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if response
        .content_length()
        .is_some_and(|n| n > u64::try_from(limits.max_bytes).unwrap_or(u64::MAX))
    {
        return Err(FetchError::TooLarge {
            location: shown.to_owned(),
            limit: limits.max_bytes,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network)? {
        if body.len() + chunk.len() > limits.max_bytes {
            return Err(FetchError::TooLarge {
                location: shown.to_owned(),
                limit: limits.max_bytes,
            });
        }
        body.extend_from_slice(&chunk);
    }
    let (text, mut warnings) = decode(body);
    let essence = content_type
        .as_deref()
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase());
    match essence.as_deref() {
        Some(c) if PAC_CONTENT_TYPES.contains(&c) => {}
        Some(c) => warnings.push(format!(
            "the server sent Content-Type {c}; PAC files should be served as application/x-ns-proxy-autoconfig (browsers load it anyway, some other clients do not)"
        )),
        None => warnings.push(
            "the server sent no Content-Type; PAC files should be served as application/x-ns-proxy-autoconfig".into(),
        ),
    }
    // The client sends the user name and password as a header and leaves
    // them out of the URL it ends on: no redirect (round 21: "redirected
    // to" the same URL).
    let bare = |u: &url::Url| {
        let mut u = u.clone();
        let _ = u.set_username("");
        let _ = u.set_password(None);
        u.set_fragment(None);
        u
    };
    if bare(url) != bare(&response_url) {
        warnings.push(format!("redirected to {final_location}"));
    }
    let head = text
        .trim_start()
        .get(..64)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        warnings.push(
            "the server returned an HTML page, not a PAC script (a login portal, an error page or a wrong URL?)".into(),
        );
    }
    Ok(FetchedPac {
        location: shown.to_owned(),
        final_location,
        text,
        content_type,
        warnings,
        elapsed: Duration::ZERO,
    })
}

/// An HTTP client error in words for people: the URL in it redacted, the
/// client's own wrapper names left out, each cause once.
pub fn describe_http_error(e: &reqwest::Error) -> String {
    use std::error::Error;
    let text = if e.is_redirect() {
        // A redirect policy's own words, when it gave them.
        e.source()
            .map_or_else(|| "too many redirects".to_owned(), ToString::to_string)
    } else if e.is_connect() && dns_failed(e) {
        // hyper says "dns error" and "error resolving DNS" over the
        // resolver's own words: only those are kept.
        return match causes(e).last() {
            Some(cause) => format!("cannot resolve the server's name: {cause}"),
            None => "cannot resolve the server's name".to_owned(),
        };
    } else if e.is_connect() {
        // The OS's reason in words, when it is one of the common ones
        // (round 20: "tcp connect error: Connection refused (os error 111)").
        return match io_kind(e) {
            Some(std::io::ErrorKind::ConnectionRefused) => {
                "cannot connect: the server refused the connection (nothing listens on that port, or a firewall rejects it)".to_owned()
            }
            Some(std::io::ErrorKind::TimedOut) => {
                "cannot connect: no answer to the connection in time".to_owned()
            }
            Some(std::io::ErrorKind::ConnectionReset) => {
                "cannot connect: the connection was reset".to_owned()
            }
            _ => with_causes(e, "cannot connect".to_owned()),
        };
    } else if e.is_timeout() {
        "no answer in time".to_owned()
    } else if e.is_body() || e.is_decode() {
        // reqwest says "error decoding response body" for a connection
        // that ended mid-way: the causes below say how it ended, unless
        // it is the common case, said here in words (round 20: hyper's
        // "end of file before message length reached").
        if chain_says(e, "end of file before message length reached") {
            return "the answer stopped before its end: the connection closed before the length the server announced".to_owned();
        }
        "the answer stopped before its end".to_owned()
    } else {
        // reqwest puts the whole URL, query values and all, in its text:
        // the caller names the location already, redacted.
        match e.url() {
            Some(url) => e.to_string().replace(url.as_str(), &redact_url(url)),
            None => e.to_string(),
        }
    };
    with_causes(e, text)
}

/// `text` followed by the error's causes, each once; the HTTP client's own
/// wrappers name their Rust variants ("client error (Connect)"), which say
/// nothing to people.
fn with_causes(e: &reqwest::Error, mut text: String) -> String {
    for s in causes(e) {
        let part = s.to_string();
        let rust_words = part.ends_with(')')
            && part
                .rsplit_once('(')
                .is_some_and(|(_, inner)| inner.starts_with(|c: char| c.is_ascii_uppercase()));
        if !rust_words && !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
    }
    text
}

/// An HTTP client error's causes, outermost first.
fn causes(e: &reqwest::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    std::iter::successors(std::error::Error::source(e), |s| s.source())
}

/// The kind of the I/O error under an HTTP client's error, if there is one.
fn io_kind(e: &reqwest::Error) -> Option<std::io::ErrorKind> {
    causes(e).find_map(|s| s.downcast_ref::<std::io::Error>().map(std::io::Error::kind))
}

/// Whether one of an error's causes says `words`.
fn chain_says(e: &reqwest::Error, words: &str) -> bool {
    causes(e).any(|s| s.to_string().contains(words))
}

/// Whether a connect error is a failed name lookup.
fn dns_failed(e: &reqwest::Error) -> bool {
    causes(e).any(|s| s.is::<crate::LookupError>() || s.to_string() == "dns error")
}

/// Text from bytes: UTF-8 (a byte-order mark is dropped), else Latin-1 with a
/// warning, which is how browsers read a PAC file that is not UTF-8.
fn decode(bytes: Vec<u8>) -> (String, Vec<String>) {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    // Saved as UTF-16 (Notepad's "Unicode"): read as clients read it, as
    // Latin-1, where it is no script; said as what it is (round 20: only
    // "a NUL character ... binary or damaged").
    let utf16 = pathprobe_files::text::utf16(&bytes).is_some();
    match String::from_utf8(bytes) {
        Ok(text) if !utf16 => (text, Vec::new()),
        Ok(text) => (text, vec![UTF16_WORDS.to_owned()]),
        Err(e) => {
            let text = e.as_bytes().iter().map(|b| char::from(*b)).collect();
            (
                text,
                vec![if utf16 {
                    UTF16_WORDS.to_owned()
                } else {
                    "the script is not UTF-8; it was read as Latin-1".to_owned()
                }],
            )
        }
    }
}

/// What is said of a PAC saved as UTF-16.
const UTF16_WORDS: &str = "the script is saved as UTF-16 (Notepad's \"Unicode\"): clients read a PAC as UTF-8 or Latin-1, where it is no script; save it as UTF-8";

/// A URL as it may appear in output: its user name and password one
/// `REDACTED`, the value of every query parameter replaced (PAC URLs often
/// carry tokens), no fragment.
pub fn redact_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    // Credentials are hidden, not their presence: a reader sees that the
    // URL carries some (`http://REDACTED@proxy:3128/`).
    let had_credentials = !url.username().is_empty() || url.password().is_some();
    let _ = shown.set_username(if had_credentials { "REDACTED" } else { "" });
    let _ = shown.set_password(None);
    if url.query().is_some() {
        let pairs: Vec<String> = url
            .query_pairs()
            .map(|(k, _)| format!("{k}=REDACTED"))
            .collect();
        shown.set_query(Some(&pairs.join("&")));
    }
    shown.set_fragment(None);
    shown.to_string()
}

fn redact_text(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(u) => redact_url(&u),
        Err(_) => "(an unparsable URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_paths_or_urls() {
        assert_eq!(
            PacLocation::parse("proxy.pac").unwrap(),
            PacLocation::File("proxy.pac".into())
        );
        assert_eq!(
            PacLocation::parse("file:///etc/proxy.pac").unwrap(),
            PacLocation::File("/etc/proxy.pac".into())
        );
        assert!(matches!(
            PacLocation::parse("HTTP://wpad.corp/wpad.dat").unwrap(),
            PacLocation::Url(_)
        ));
        assert!(PacLocation::parse("ftp://x/proxy.pac").is_err());
    }

    #[test]
    fn secrets_in_pac_urls_are_redacted() {
        let u =
            url::Url::parse("http://user:hunter2@pac.corp/p.pac?token=abc123&site=x#f").unwrap();
        let shown = redact_url(&u);
        assert_eq!(
            shown,
            "http://REDACTED@pac.corp/p.pac?token=REDACTED&site=REDACTED"
        );
        let loc = PacLocation::parse("https://u:hunter2@pac.corp/x.pac?sig=zz").unwrap();
        assert!(!loc.display().contains("hunter2") && !loc.display().contains("zz"));
    }

    #[test]
    fn non_utf8_is_read_as_latin1_with_a_warning() {
        let (text, warnings) = decode(b"// caf\xe9\nfunction FindProxyForURL(){}".to_vec());
        assert!(text.starts_with("// café"));
        assert_eq!(warnings.len(), 1);
        let (text, warnings) = decode(b"\xEF\xBB\xBFvar a;".to_vec());
        assert_eq!(text, "var a;");
        assert!(warnings.is_empty());
        // Round 20: UTF-16, with or without its mark, is said as that.
        for mark in [&[0xFF_u8, 0xFE][..], &[]] {
            let bytes: Vec<u8> = mark
                .iter()
                .copied()
                .chain(
                    "function FindProxyForURL(u, h) { return \"DIRECT\"; }"
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes),
                )
                .collect();
            let (_, warnings) = decode(bytes);
            assert_eq!(warnings, [UTF16_WORDS], "{mark:?}");
        }
    }
}
