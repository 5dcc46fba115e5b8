//! Catalogs by URL (`check https://intranet.example/lists/endpoints.xlsx`):
//! fetched directly (through a proxy only when `--catalog-proxy` names one),
//! size-limited, and kept in the user's cache directory with the server's
//! validators (ETag, Last-Modified), so that a scheduled run downloads the
//! list again only when it changed. With the server unreachable, the cached
//! copy is used, with a warning saying how old it is.
//!
//! The body is parsed as a file is, in the catalog worker; the catalog is
//! named by its URL (credentials and query values removed).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::exit::UsageError;

/// The longest a catalog fetch may take, redirects included.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Redirects followed.
const MAX_REDIRECTS: usize = 5;

/// True for a catalog argument that names a URL rather than a file.
pub(crate) fn is_url(arg: &Path) -> bool {
    arg.to_str().is_some_and(|t| {
        let lower = t.trim_start().to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    })
}

/// What the server said of the copy in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Validators {
    /// The URL as reports show it (no credentials, no query values).
    pub shown: String,
    /// `ETag`, as the server sent it.
    pub etag: Option<String>,
    /// `Last-Modified`, as the server sent it.
    pub last_modified: Option<String>,
    /// When the copy was downloaded (RFC 3339).
    pub fetched_at: String,
    /// SHA-256 of the body, hex: a cached copy changed since is not used.
    #[serde(default)]
    pub sha256: String,
}

/// How the copy in use was had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Freshness {
    /// Downloaded now (200).
    Downloaded,
    /// The server said the cached copy is current (304).
    NotModified,
    /// The server could not be asked or did not answer usably: the cached
    /// copy, and why.
    Stale(String),
}

/// A fetched catalog: the file holding its body and what is known of it.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    /// The file to read: the cached body, or a new one beside it not yet
    /// kept (see [`Fetched::keep`]).
    pub path: PathBuf,
    /// The server's validators of that body.
    pub validators: Validators,
    /// How it was had this time.
    pub freshness: Freshness,
    /// Where a new body goes once it reads as a catalog, and what is
    /// known of it; the last good copy stays until then.
    cache: Option<(PathBuf, PathBuf)>,
    /// The copy cached before this fetch, when there is a whole one.
    previous: Option<Validators>,
}

impl Fetched {
    /// Keeps a new body (it read as a catalog) as the cached copy.
    pub(crate) fn keep(&self) -> anyhow::Result<()> {
        if self.freshness != Freshness::Downloaded {
            return Ok(());
        }
        let Some((body, meta)) = &self.cache else {
            // Fetched for this run only: read, and gone.
            let _ = std::fs::remove_file(&self.path);
            return Ok(());
        };
        // Body first, then what it is: a run that stops between the two
        // finds no validators for a body it did not check.
        let _ = std::fs::remove_file(meta);
        std::fs::rename(&self.path, body).map_err(|e| {
            let _ = std::fs::remove_file(&self.path);
            anyhow::anyhow!("cannot write the catalog cache {}: {e}", body.display())
        })?;
        replace(
            meta,
            serde_json::to_string_pretty(&self.validators)?.as_bytes(),
        )
    }

    /// Removes a new body that was not kept.
    pub(crate) fn discard(&self) {
        if self.freshness == Freshness::Downloaded {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    /// The last good copy, when a new body did not read as a catalog.
    pub(crate) fn fallback(&self, why: &str) -> Option<Fetched> {
        let (body, _) = self.cache.as_ref()?;
        let validators = self.previous.clone()?;
        let _ = std::fs::remove_file(&self.path);
        crate::output::warn(&format!(
            "the catalog {} the server sent is not usable ({why}): using the copy cached {}",
            validators.shown, validators.fetched_at
        ));
        Some(Fetched {
            path: body.clone(),
            validators,
            freshness: Freshness::Stale(why.to_owned()),
            cache: None,
            previous: None,
        })
    }

    /// The source and its validators, in words, for the report's catalog
    /// name: `https://intranet.example/l.csv (ETag "v2", Last-Modified ...,
    /// not modified since 2026-11-30T05:00:00Z)`.
    pub(crate) fn described(&self) -> String {
        let v = &self.validators;
        let mut parts = Vec::new();
        if let Some(etag) = &v.etag {
            // An ETag carries its own quotes ("v2", W/"v2").
            parts.push(format!(
                "ETag {}",
                pathprobe_files::quote::excerpt(&pathprobe_files::quote::visible(etag), 200)
            ));
        }
        if let Some(modified) = &v.last_modified {
            parts.push(format!(
                "Last-Modified {}",
                pathprobe_files::quote::excerpt(&pathprobe_files::quote::visible(modified), 200)
            ));
        }
        parts.push(match &self.freshness {
            Freshness::Downloaded => format!("downloaded {}", v.fetched_at),
            Freshness::NotModified => format!("not modified since {}", v.fetched_at),
            Freshness::Stale(why) => format!(
                "not fetched now ({}): the copy cached {}",
                pathprobe_files::quote::excerpt(why, 200),
                v.fetched_at
            ),
        });
        format!("{} ({})", v.shown, parts.join(", "))
    }
}

/// Options of a fetch.
#[derive(Clone, Default)]
pub(crate) struct FetchOptions {
    /// A proxy to fetch through (`--catalog-proxy`); direct otherwise.
    pub proxy: Option<String>,
    /// What is left of the run's deadline.
    pub deadline: Option<Duration>,
    /// Largest body accepted.
    pub max_bytes: u64,
    /// How the server's name is found: the run's DNS servers and pins
    /// (`check`), or the system's resolver when `None`.
    pub names: Option<std::sync::Arc<dyn reqwest::dns::Resolve>>,
}

/// Where cached catalogs live: `$XDG_CACHE_HOME/pathprobe/catalogs`
/// (`~/.cache/...`), `~/Library/Caches/pathprobe/catalogs` on macOS,
/// `%LOCALAPPDATA%\pathprobe\cache\catalogs` on Windows.
pub(crate) fn cache_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        var("LOCALAPPDATA").map(|d| d.join("pathprobe").join("cache"))
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Caches/pathprobe"))
    } else {
        var("XDG_CACHE_HOME")
            .filter(|d| d.is_absolute())
            .or_else(|| var("HOME").map(|h| h.join(".cache")))
            .map(|d| d.join("pathprobe"))
    };
    base.map(|b| b.join("catalogs"))
}

/// The cache's two files for `url`: the body and what the server said.
fn cache_files(dir: &Path, url: &url::Url) -> (PathBuf, PathBuf) {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(url.as_str().as_bytes());
    let name: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    // The extension helps the loader when the content does not say.
    let ext = Path::new(url.path())
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(|e| format!(".{}", e.to_ascii_lowercase()))
        .unwrap_or_default();
    (
        dir.join(format!("{name}{ext}")),
        dir.join(format!("{name}.json")),
    )
}

/// The cached copy of `url`, when there is a whole one: its body still
/// the one the validators were given for.
fn cached(body: &Path, meta: &Path, max_bytes: u64) -> Option<Validators> {
    let text = pathprobe_files::read_text(meta, 64 * 1024).ok()?;
    let validators: Validators = serde_json::from_str(&text).ok()?;
    let bytes = pathprobe_files::read(body, max_bytes).ok()?;
    (sha256_hex(&bytes) == validators.sha256).then_some(validators)
}

/// Why no cached copy stands in for a catalog that cannot be fetched: none
/// was kept, or the one kept no longer matches its record (round 20: a
/// changed copy was said to be absent).
fn no_copy(cache: Option<&(PathBuf, PathBuf)>) -> &'static str {
    match cache {
        Some((body, meta)) if body.is_file() && meta.is_file() => {
            "its cached copy is not used: it no longer matches the SHA-256 recorded when it was saved (changed since, or damaged)"
        }
        _ => "no copy of it is cached",
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The files a catalog argument stands for, which no output may replace:
/// the file itself, or the cached copy of one given by URL and its record
/// of validators.
pub(crate) fn catalog_input(arg: &Path) -> Vec<(PathBuf, &'static str)> {
    let cached = is_url(arg)
        .then(|| {
            let url = url::Url::parse(arg.to_str()?.trim()).ok()?;
            Some(cache_files(&cache_dir()?, &url))
        })
        .flatten();
    match cached {
        Some((body, meta)) => vec![
            (body, "the catalog's cached copy"),
            (meta, "the catalog's cache record"),
        ],
        None => vec![(arg.to_path_buf(), "the catalog")],
    }
}

/// Fetches the catalog at `url`, or finds it unchanged in the cache.
pub(crate) fn fetch(url: &url::Url, options: &FetchOptions) -> anyhow::Result<Fetched> {
    let shown = pathprobe_pac::redact_url(url);
    // Without a cache the catalog is still fetched, for this run only.
    let cache = match cache_dir() {
        Some(dir) => match std::fs::create_dir_all(&dir) {
            Ok(()) => Some(cache_files(&dir, url)),
            Err(e) => {
                // "File exists" says little: something else holds the name.
                let why = match e.kind() {
                    std::io::ErrorKind::AlreadyExists => "something that is not a directory has its name (a file, a pipe, a link that leads nowhere)".to_owned(),
                    std::io::ErrorKind::NotADirectory => "a part of its path is not a directory".to_owned(),
                    _ => e.to_string(),
                };
                crate::output::warn(&format!(
                    "the catalog cache {} cannot be made ({why}): {shown} is fetched for this run only",
                    pathprobe_files::shown_path(&dir)
                ));
                None
            }
        },
        None => {
            crate::output::warn(&format!(
                "no cache directory (HOME is not set): {shown} is fetched for this run only"
            ));
            None
        }
    };
    let previous = cache
        .as_ref()
        .and_then(|(body, meta)| cached(body, meta, options.max_bytes));
    let limit = options
        .deadline
        .map_or(FETCH_TIMEOUT, |d| d.min(FETCH_TIMEOUT));
    // Its own thread and runtime: the caller may be inside one already.
    let asked = {
        let url = url.clone();
        let previous = previous.clone();
        let options = options.clone();
        std::thread::Builder::new()
            .name("pathprobe-catalog-fetch".into())
            .spawn(move || -> Result<Answer, String> {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| format!("cannot start the fetch: {e}"))?;
                runtime.block_on(async {
                    tokio::select! {
                        answer = tokio::time::timeout(limit, ask(&url, previous.as_ref(), &options)) => match answer {
                            Ok(answer) => answer,
                            Err(_) => Err(format!("no answer within {} s", limit.as_secs())),
                        },
                        () = crate::interrupt::pressed() => Err("interrupted (Ctrl-C)".into()),
                    }
                })
            })
            .context("cannot start the catalog fetch")?
            .join()
            .unwrap_or_else(|_| Err("the fetch stopped".into()))
    };
    if crate::interrupt::requested() {
        return Err(
            crate::exit::Cut::interrupted(&format!("the catalog {shown} was fetched")).into(),
        );
    }
    // The run's deadline, not the fetch's own limit, ended it: the run is
    // cut (its report written, holding nothing) unless a copy is cached.
    let asked = asked.map_err(|why| {
        if limit < FETCH_TIMEOUT && why.starts_with("no answer within") {
            format!("the deadline ({:.0} s) passed first", limit.as_secs_f64())
        } else {
            why
        }
    });
    let cached_body = cache.as_ref().map(|(body, _)| body.clone());
    match (asked, previous.clone(), cached_body) {
        (Ok(Answer::NotModified), Some(validators), Some(body)) => Ok(Fetched {
            path: body,
            validators,
            freshness: Freshness::NotModified,
            cache: None,
            previous: None,
        }),
        (Ok(Answer::NotModified), ..) => Err(UsageError(format!(
            "{shown}: the server answered 304 Not Modified to a request without validators"
        ))
        .into()),
        (
            Ok(Answer::Body {
                bytes,
                etag,
                last_modified,
            }),
            ..,
        ) => {
            let validators = Validators {
                shown: shown.clone(),
                etag,
                last_modified,
                fetched_at: jiff::Timestamp::now()
                    .round(jiff::Unit::Second)?
                    .to_string(),
                sha256: sha256_hex(&bytes),
            };
            // Beside the cached copy, kept only once it reads as a catalog.
            let for_this_run = || {
                std::env::temp_dir().join(format!(
                    "pathprobe-catalog-{}{}",
                    std::process::id(),
                    url.path()
                        .rsplit_once('.')
                        .map(|(_, ext)| format!(".{ext}"))
                        .filter(|e| {
                            e.len() <= 9
                                && e.get(1..)
                                    .is_some_and(|x| x.bytes().all(|b| b.is_ascii_alphanumeric()))
                        })
                        .unwrap_or_default()
                ))
            };
            let (path, cache) = match cache {
                Some((body, meta)) => {
                    let beside = body.with_extension(format!("new-{}", std::process::id()));
                    // A cache that takes no file (read-only, full, owned by
                    // another user): the catalog is still this run's.
                    match replace(&beside, &bytes) {
                        Ok(()) => (beside, Some((body, meta))),
                        Err(e) => {
                            crate::output::warn(&format!(
                                "{e}: {shown} is used for this run only, not cached"
                            ));
                            let path = for_this_run();
                            replace(&path, &bytes)?;
                            (path, None)
                        }
                    }
                }
                None => {
                    let path = for_this_run();
                    replace(&path, &bytes)?;
                    (path, None)
                }
            };
            Ok(Fetched {
                path,
                validators,
                freshness: Freshness::Downloaded,
                cache,
                previous,
            })
        }
        (Err(why), Some(validators), Some(body)) => {
            crate::output::warn(&format!(
                "the catalog {shown} cannot be fetched ({why}): using the copy cached {}",
                validators.fetched_at
            ));
            Ok(Fetched {
                path: body,
                validators,
                freshness: Freshness::Stale(why),
                cache: None,
                previous: None,
            })
        }
        (Err(why), ..) if why.starts_with("the deadline") => {
            Err(crate::exit::Cut::deadline(format!(
                "{why} while the catalog {shown} was fetched: nothing was probed, and {}",
                no_copy(cache.as_ref())
            ))
            .into())
        }
        (Err(why), ..) => Err(UsageError(format!(
            "the catalog {shown} cannot be fetched ({why}), and {}",
            no_copy(cache.as_ref())
        ))
        .into()),
    }
}

/// What the server answered.
enum Answer {
    NotModified,
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

async fn ask(
    url: &url::Url,
    previous: Option<&Validators>,
    options: &FetchOptions,
) -> Result<Answer, String> {
    let mut builder = reqwest::Client::builder()
        // A redirect must not carry the URL's query (a token) to another
        // server in a Referer.
        .referer(false)
        .redirect(pathprobe_pac::redirect_policy(MAX_REDIRECTS))
        .user_agent(concat!("pathprobe/", env!("CARGO_PKG_VERSION")));
    if let Some(names) = &options.names {
        builder = builder.dns_resolver(names.clone());
    }
    builder = match &options.proxy {
        Some(proxy) => builder.proxy(
            reqwest::Proxy::all(proxy.as_str())
                .map_err(|e| format!("--catalog-proxy cannot be used: {e}"))?,
        ),
        None => builder.no_proxy(),
    };
    let client = builder.build().map_err(|e| e.to_string())?;
    let mut request = client.get(url.clone());
    if let Some(v) = previous {
        if let Some(etag) = &v.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &v.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, modified);
        }
    }
    // The catalog proxy as messages name it: redacted, once.
    let proxy_shown = options.proxy.as_deref().map(|proxy| {
        url::Url::parse(proxy)
            .map(|u| pathprobe_pac::redact_url(&u))
            .unwrap_or_default()
    });
    let mut response = request.send().await.map_err(|e| match &proxy_shown {
        // Through a proxy, a connection that fails is the proxy's: named,
        // so that the catalog's server is not taken for down.
        Some(proxy) if e.is_connect() => format!(
            "the catalog proxy {proxy} cannot be reached: {}",
            fetch_error(&e)
        ),
        _ => fetch_error(&e),
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Answer::NotModified);
    }
    // Through a proxy the answer may be the proxy's own (a 407, a 502).
    let answered = match &proxy_shown {
        Some(proxy) => format!("the server or the catalog proxy {proxy} answered"),
        None => "the server answered".to_owned(),
    };
    if !status.is_success() {
        // A redirect the client did not follow: to where, in words.
        if let Some(why) = pathprobe_pac::unfollowed_redirect(&response) {
            return Err(format!("{answered} {why}"));
        }
        return Err(format!("{answered} {status}"));
    }
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    // Nothing compressed was asked for (no Accept-Encoding): bytes sent
    // compressed anyway are not the list, and the header says why.
    if let Some(encoding) = header(reqwest::header::CONTENT_ENCODING)
        .filter(|e| !e.trim().eq_ignore_ascii_case("identity"))
    {
        return Err(format!(
            "{answered} with a body compressed as Content-Encoding: {}, though no compression was asked for",
            pathprobe_files::quote::excerpt(&pathprobe_files::quote::visible(&encoding), 40)
        ));
    }
    let etag = header(reqwest::header::ETAG);
    let last_modified = header(reqwest::header::LAST_MODIFIED);
    let content_type = header(reqwest::header::CONTENT_TYPE);
    if response
        .content_length()
        .is_some_and(|n| n > options.max_bytes)
    {
        return Err(format!(
            "it is larger than {}",
            pathprobe_files::size(options.max_bytes)
        ));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| fetch_error(&e))? {
        if u64::try_from(bytes.len() + chunk.len()).unwrap_or(u64::MAX) > options.max_bytes {
            return Err(format!(
                "it is larger than {}",
                pathprobe_files::size(options.max_bytes)
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    // A login portal or an error page answering 200: not the list.
    let html = content_type.as_deref().is_some_and(|c| {
        c.split(';')
            .next()
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("text/html"))
    }) || {
        let head = String::from_utf8_lossy(bytes.get(..256).unwrap_or(&bytes)).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        head.starts_with("<!doctype html") || head.starts_with("<html")
    };
    if html {
        return Err(format!(
            "{answered} with an HTML page, not a catalog (a login portal or an error page?)"
        ));
    }
    Ok(Answer::Body {
        bytes,
        etag,
        last_modified,
    })
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a
/// reader never sees half of it.
fn replace(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            anyhow::anyhow!("cannot write the catalog cache {}: {e}", path.display())
        })
}

/// An HTTP client error in words: a TLS failure told as the probes tell it
/// (the client's own text names Rust variants), anything else as the PAC
/// fetch tells it.
fn fetch_error(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut source: Option<&(dyn Error + 'static)> = Some(e);
    while let Some(s) = source {
        // I/O errors wrap the TLS error, sometimes twice.
        let mut inner: Option<&(dyn Error + 'static)> = Some(s);
        while let Some(i) = inner {
            if let Some(tls) = i.downcast_ref::<rustls::Error>() {
                return format!("TLS: {}", crate::probe::tls::describe_error(tls));
            }
            inner = i
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|r| r as &(dyn Error + 'static));
        }
        source = s.source();
    }
    pathprobe_pac::describe_http_error(e)
}
