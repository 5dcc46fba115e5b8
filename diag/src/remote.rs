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
    /// The cached body.
    pub path: PathBuf,
    /// The server's validators of that body.
    pub validators: Validators,
    /// How it was had this time.
    pub freshness: Freshness,
}

impl Fetched {
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
            Freshness::Stale(_) => format!("cached copy of {}", v.fetched_at),
        });
        format!("{} ({})", v.shown, parts.join(", "))
    }
}

/// Options of a fetch.
#[derive(Debug, Clone, Default)]
pub(crate) struct FetchOptions {
    /// A proxy to fetch through (`--catalog-proxy`); direct otherwise.
    pub proxy: Option<String>,
    /// What is left of the run's deadline.
    pub deadline: Option<Duration>,
    /// Largest body accepted.
    pub max_bytes: u64,
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

/// The cached copy of `url`, when there is a whole one.
fn cached(body: &Path, meta: &Path) -> Option<Validators> {
    let text = pathprobe_files::read_text(meta, 64 * 1024).ok()?;
    let validators: Validators = serde_json::from_str(&text).ok()?;
    body.is_file().then_some(validators)
}

/// Fetches the catalog at `url`, or finds it unchanged in the cache.
pub(crate) fn fetch(url: &url::Url, options: &FetchOptions) -> anyhow::Result<Fetched> {
    let shown = pathprobe_pac::redact_url(url);
    let dir = cache_dir().ok_or_else(|| {
        UsageError(format!(
            "{shown}: no cache directory to keep the catalog in (HOME is not set)"
        ))
    })?;
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the catalog cache {}", dir.display()))?;
    let (body, meta) = cache_files(&dir, url);
    let previous = cached(&body, &meta);
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
                    match tokio::time::timeout(limit, ask(&url, previous.as_ref(), &options)).await
                    {
                        Ok(answer) => answer,
                        Err(_) => Err(format!("no answer within {} s", limit.as_secs())),
                    }
                })
            })
            .context("cannot start the catalog fetch")?
            .join()
            .unwrap_or_else(|_| Err("the fetch stopped".into()))
    };
    match (asked, previous) {
        (Ok(Answer::NotModified), Some(validators)) => Ok(Fetched {
            path: body,
            validators,
            freshness: Freshness::NotModified,
        }),
        (Ok(Answer::NotModified), None) => Err(UsageError(format!(
            "{shown}: the server answered 304 Not Modified to a request without validators"
        ))
        .into()),
        (
            Ok(Answer::Body {
                bytes,
                etag,
                last_modified,
            }),
            _,
        ) => {
            let validators = Validators {
                shown: shown.clone(),
                etag,
                last_modified,
                fetched_at: jiff::Timestamp::now()
                    .round(jiff::Unit::Second)?
                    .to_string(),
            };
            // Body first, then what it is: a run that stops between the
            // two finds no validators for a body it did not check.
            let _ = std::fs::remove_file(&meta);
            replace(&body, &bytes)?;
            replace(&meta, serde_json::to_string_pretty(&validators)?.as_bytes())?;
            Ok(Fetched {
                path: body,
                validators,
                freshness: Freshness::Downloaded,
            })
        }
        (Err(why), Some(validators)) => {
            crate::output::warn(&format!(
                "the catalog {shown} cannot be fetched ({why}): using the copy cached {}",
                validators.fetched_at
            ));
            Ok(Fetched {
                path: body,
                validators,
                freshness: Freshness::Stale(why),
            })
        }
        (Err(why), None) => Err(UsageError(format!(
            "the catalog {shown} cannot be fetched ({why}), and no copy of it is cached"
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
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .user_agent(concat!("pathprobe/", env!("CARGO_PKG_VERSION")));
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
    let mut response = request
        .send()
        .await
        .map_err(|e| pathprobe_pac::describe_http_error(&e))?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Answer::NotModified);
    }
    if !status.is_success() {
        return Err(format!("the server answered {status}"));
    }
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let etag = header(reqwest::header::ETAG);
    let last_modified = header(reqwest::header::LAST_MODIFIED);
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
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| pathprobe_pac::describe_http_error(&e))?
    {
        if u64::try_from(bytes.len() + chunk.len()).unwrap_or(u64::MAX) > options.max_bytes {
            return Err(format!(
                "it is larger than {}",
                pathprobe_files::size(options.max_bytes)
            ));
        }
        bytes.extend_from_slice(&chunk);
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
