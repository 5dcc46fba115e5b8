//! `pathprobe serve`: the check on an interval, its results for Prometheus.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use pathprobe_reports::{CheckFormat, TableStyle};
use tokio::sync::{Notify, RwLock, Semaphore};

use crate::cli::{ProbeArgs, ServeArgs};
use crate::commands::check::{Overrides, probe};
use crate::commands::feeds::{self, Feed};
use crate::exit::{Exit, UsageError};

/// A duration such as `90`, `90s`, `5m`, `1h`, `1h30m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    // A year is more than any schedule needs, and keeps the arithmetic of
    // timers far from overflowing.
    const MOST: f64 = 365.0 * 86_400.0;
    let bounded = |secs: f64| {
        if secs.is_finite() && (0.0..=MOST).contains(&secs) {
            Ok(Duration::from_secs_f64(secs))
        } else {
            Err(format!("\"{text}\" is not a duration from 0 to a year"))
        }
    };
    if let Ok(secs) = text.parse::<f64>() {
        return bounded(secs);
    }
    let mut total = 0f64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1.0,
            'm' => 60.0,
            'h' => 3600.0,
            'd' => 86_400.0,
            _ => return Err(format!("\"{text}\" is not a duration (use s, m, h or d)")),
        };
        let n: f64 = number
            .parse()
            .map_err(|_| format!("\"{text}\" is not a duration"))?;
        total += n * unit;
        number.clear();
    }
    if !number.is_empty() || text.is_empty() {
        return Err(format!("\"{text}\" is not a duration (use s, m, h or d)"));
    }
    bounded(total)
}

/// The schedule in words for the start-up line.
fn schedule_text(interval: Duration) -> String {
    if interval.is_zero() {
        return "no scheduled runs with --interval 0: /probe runs on demand".into();
    }
    let friendly = jiff::SignedDuration::try_from(interval)
        .map_or_else(|_| format!("{interval:?}"), |d| format!("{d:#}"));
    format!("runs every {friendly}")
}

/// On-demand probes (`/probe`) run at once.
const ON_DEMAND: usize = 4;
/// Requests that may wait for one of those; more are answered 503 at once.
const MAX_WAITING: usize = 64;
/// Connections served at once; more are closed as they arrive.
const MAX_CONNECTIONS: usize = 1024;
/// Time a client has to send its request head (a slowloris holds it open).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// What the server knows.
struct State {
    args: ProbeArgs,
    /// The last run's exposition.
    last: RwLock<Option<String>>,
    runs: AtomicU64,
    failed_runs: AtomicU64,
    /// On-demand probes in flight at once.
    on_demand: Semaphore,
    /// Requests waiting for one of those slots.
    waiting: AtomicUsize,
    started: Instant,
    /// The allow-list feeds, or why they cannot be built.
    feeds: RwLock<Result<Vec<Feed>, String>>,
}

impl State {
    /// Runs the check (with `catalog` instead of the configured one, and
    /// `geo` as the geography, when given) on a blocking thread.
    async fn run(
        self: &Arc<Self>,
        catalog: Option<pathprobe_urls::Catalog>,
        geo: Option<String>,
    ) -> Result<String, String> {
        let geography = match geo.as_deref().map(str::trim) {
            None => None,
            Some(text) => {
                match pathprobe_urls::Geography::parse(text.strip_prefix("GW_").unwrap_or(text)) {
                    None => return Err(format!("geo \"{text}\": name a location such as EU")),
                    // A scrape has no place for a warning: a name this version
                    // does not know is refused, not run as the worldwide rows
                    // alone (round 19).
                    Some(pathprobe_urls::Geography::Other(other)) => {
                        return Err(format!(
                            "geo {}: not a location this version knows (WW, US, EU, UK, AU, US Gov, GCC, GCC High, DoD)",
                            pathprobe_files::quote::quoted(&other)
                        ));
                    }
                    Some(known) => Some(known),
                }
            }
        };
        let state = self.clone();
        // A /probe of one target is about that target; the scheduled runs
        // ask the control probes.
        let without_control = catalog.is_some() || geography.is_some();
        let overrides = Overrides {
            catalog,
            geography,
            without_control,
        };
        let outcome =
            tokio::task::spawn_blocking(move || probe(&state.args, false, overrides)).await;
        match outcome {
            Ok(Ok(probed)) => probed
                .report
                .render(CheckFormat::Prometheus, &TableStyle::plain(80))
                .map_err(|e| e.to_string()),
            Ok(Err(e)) => Err(crate::exit::message(&e)),
            Err(e) => Err(format!("the run failed: {e}")),
        }
    }

    /// Rebuilds the feeds (the catalog file may have been replaced).
    async fn refresh_feeds(&self) {
        let previous = match &*self.feeds.read().await {
            Ok(feeds) => feeds.clone(),
            Err(_) => Vec::new(),
        };
        let built = feeds::build(&self.args, &previous).map_err(|e| crate::exit::message(&e));
        if let Err(e) = &built {
            crate::output::warn(&format!("the feeds cannot be built: {e}"));
        }
        *self.feeds.write().await = built;
    }

    async fn metrics(&self) -> String {
        let mut text = self.last.read().await.clone().unwrap_or_default();
        text.push_str(&format!(
            "# HELP pathprobe_serve_runs_total Scheduled runs finished since start.\n# TYPE pathprobe_serve_runs_total counter\npathprobe_serve_runs_total {}\n# HELP pathprobe_serve_failed_runs_total Scheduled runs that could not run (bad catalog, no runtime).\n# TYPE pathprobe_serve_failed_runs_total counter\npathprobe_serve_failed_runs_total {}\n# HELP pathprobe_serve_uptime_seconds Seconds since the server started.\n# TYPE pathprobe_serve_uptime_seconds gauge\npathprobe_serve_uptime_seconds {:.3}\n",
            self.runs.load(Ordering::Relaxed),
            self.failed_runs.load(Ordering::Relaxed),
            self.started.elapsed().as_secs_f64()
        ));
        text
    }
}

fn respond(status: StatusCode, content_type: &str, body: String) -> Response<Full<Bytes>> {
    // Every page goes out without secrets, as stdout does: a catalog URL's
    // `?sig=` would otherwise reach the feeds.
    let body = crate::secrets::shown(&body, false);
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

const EXPOSITION: &str = "text/plain; version=0.0.4; charset=utf-8";

async fn handle(
    state: Arc<State>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Ok(respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain",
            "only GET\n".into(),
        ));
    }
    let query: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let response = match req.uri().path() {
        "/metrics" => respond(StatusCode::OK, EXPOSITION, state.metrics().await),
        "/healthz" => respond(StatusCode::OK, "text/plain", "ok\n".into()),
        path if feeds::PATHS.contains(&path) => feed_response(&state, path, &req).await,
        "/probe" => {
            // One target a request: a second one was ignored (round 19).
            let targets = query.iter().filter(|(k, _)| k == "target").count();
            if targets > 1 {
                return Ok(respond(
                    StatusCode::BAD_REQUEST,
                    "text/plain",
                    format!("{targets} targets: /probe takes one target a request\n"),
                ));
            }
            let catalog = match (param("target"), param("catalog").as_deref()) {
                (Some(target), _) => {
                    // One URL, as a blackbox exporter's target: a line
                    // break would make the value a list (each one probed).
                    if target.chars().any(|c| c.is_whitespace() || c.is_control()) {
                        return Ok(respond(
                            StatusCode::BAD_REQUEST,
                            "text/plain",
                            format!(
                                "target {} is not one URL: it holds white space or a line break\n",
                                pathprobe_files::quote::quoted(&target)
                            ),
                        ));
                    }
                    match url::Url::parse(&target) {
                        Err(_) => {
                            return Ok(respond(
                                StatusCode::BAD_REQUEST,
                                "text/plain",
                                format!("target \"{target}\" is not a URL\n"),
                            ));
                        }
                        // An answer of 200 with no endpoint series would make
                        // an alert on endpoint_success == 0 unable to fire.
                        Ok(u) if !matches!(u.scheme(), "http" | "https") => {
                            return Ok(respond(
                                StatusCode::BAD_REQUEST,
                                "text/plain",
                                format!(
                                    "target \"{target}\" cannot be probed: only http and https URLs can be, not {}:\n",
                                    u.scheme()
                                ),
                            ));
                        }
                        Ok(_) => {}
                    }
                    match pathprobe_urls::load_bytes(
                        std::path::Path::new("probe-target.txt"),
                        target.as_bytes(),
                        &pathprobe_urls::LoadOptions::default(),
                    ) {
                        Ok(c)
                            if !c.endpoints.iter().any(|e| {
                                matches!(e.target, pathprobe_urls::Target::Url(_))
                            }) =>
                        {
                            // The catalog reader's own reason (credentials in
                            // the URL, prose), as `urls list` gives it.
                            let why = crate::catalogs::plan_of(
                                &c,
                                &pathprobe_urls::Filter::default(),
                            )
                            .ok()
                            .and_then(|plan| {
                                plan.entries.into_iter().find_map(|e| match e.probe {
                                    pathprobe_urls::Probe::NotProbed { why } => {
                                        Some(why.to_string())
                                    }
                                    pathprobe_urls::Probe::Targets { .. } => None,
                                })
                            })
                            .unwrap_or_else(|| "it names no host".into());
                            return Ok(respond(
                                StatusCode::BAD_REQUEST,
                                "text/plain",
                                format!("target \"{target}\" cannot be probed: {why}\n"),
                            ));
                        }
                        Ok(c) => Some(c),
                        Err(e) => {
                            return Ok(respond(
                                StatusCode::BAD_REQUEST,
                                "text/plain",
                                format!("target \"{target}\": {e}\n"),
                            ));
                        }
                    }
                }
                // The configured catalog (the embedded one when none was given).
                (None, None | Some("default" | "configured")) => None,
                (None, Some(other)) => {
                    return Ok(respond(
                        StatusCode::BAD_REQUEST,
                        "text/plain",
                        format!("catalog \"{other}\": only the configured catalog (catalog=default) can be probed\n"),
                    ));
                }
            };
            // A slow target must not starve every other scrape: a request
            // waits for a slot at most one run's deadline, and only so many
            // wait at once; beyond that it is told to come back.
            let waiting = state.waiting.fetch_add(1, Ordering::SeqCst);
            let wait = Duration::from_secs_f64(state.args.deadline);
            let permit = if waiting >= MAX_WAITING {
                None
            } else {
                tokio::time::timeout(wait, state.on_demand.acquire()).await.ok()
            };
            state.waiting.fetch_sub(1, Ordering::SeqCst);
            let _permit = match permit {
                Some(Ok(p)) => p,
                Some(Err(_)) => {
                    return Ok(respond(StatusCode::SERVICE_UNAVAILABLE, "text/plain", "shutting down\n".into()));
                }
                None => {
                    let mut r = respond(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "text/plain",
                        format!("busy: {ON_DEMAND} probes are running and others are waiting; try again later\n"),
                    );
                    r.headers_mut().insert(hyper::header::RETRY_AFTER, hyper::header::HeaderValue::from_static("10"));
                    return Ok(r);
                }
            };
            match state.run(catalog, param("geo")).await {
                Ok(text) => respond(StatusCode::OK, EXPOSITION, text),
                Err(e) => respond(StatusCode::BAD_REQUEST, "text/plain", format!("{e}\n")),
            }
        }
        "/" => respond(
            StatusCode::OK,
            "text/html; charset=utf-8",
            "<html><body><h1>pathprobe</h1><ul><li><a href=\"/metrics\">/metrics</a></li><li>/probe?target=URL</li><li><a href=\"/healthz\">/healthz</a></li><li><a href=\"/feeds/domains.txt\">/feeds/domains.txt</a>, <a href=\"/feeds/squid.acl\">/feeds/squid.acl</a>, <a href=\"/feeds/bypass.pac\">/feeds/bypass.pac</a>, <a href=\"/feeds/endpoints.json\">/feeds/endpoints.json</a></li></ul></body></html>\n".into(),
        ),
        _ => respond(StatusCode::NOT_FOUND, "text/plain", "not found\n".into()),
    };
    Ok(response)
}

/// A feed, or `304 Not Modified` when the client's copy is current.
async fn feed_response(
    state: &State,
    path: &str,
    req: &Request<Incoming>,
) -> Response<Full<Bytes>> {
    let guard = state.feeds.read().await;
    let feed = match &*guard {
        Ok(feeds) => feeds.iter().find(|f| f.path == path),
        Err(e) => {
            return respond(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain",
                format!("the feeds cannot be built: {e}\n"),
            );
        }
    };
    let Some(feed) = feed else {
        return respond(StatusCode::NOT_FOUND, "text/plain", "not found\n".into());
    };
    let header =
        |name: hyper::header::HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok());
    let fresh = feeds::not_modified(
        feed,
        header(hyper::header::IF_NONE_MATCH),
        header(hyper::header::IF_MODIFIED_SINCE),
    );
    let mut r = if fresh {
        respond(StatusCode::NOT_MODIFIED, feed.content_type, String::new())
    } else {
        respond(StatusCode::OK, feed.content_type, feed.body.clone())
    };
    let headers = r.headers_mut();
    if let Ok(v) = feed.etag.parse() {
        headers.insert(hyper::header::ETAG, v);
    }
    if let Ok(v) = feeds::http_date(feed.modified).parse() {
        headers.insert(hyper::header::LAST_MODIFIED, v);
    }
    // Pollers must revalidate, which costs a 304 when nothing changed.
    if let Ok(v) = "no-cache".parse() {
        headers.insert(hyper::header::CACHE_CONTROL, v);
    }
    r
}

/// Resolves when SIGTERM or Ctrl-C arrives.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

pub fn run(args: ServeArgs) -> anyhow::Result<Exit> {
    let listen: SocketAddr = args
        .listen
        .parse()
        .map_err(|e| UsageError(format!("--listen {}: {e}", args.listen)))?;
    let interval =
        parse_duration(&args.interval).map_err(|e| UsageError(format!("--interval: {e}")))?;
    let runtime =
        crate::runtime::Runtime::multi_thread().context("cannot start the async runtime")?;
    let state = Arc::new(State {
        args: args.probe.clone(),
        last: RwLock::new(None),
        runs: AtomicU64::new(0),
        failed_runs: AtomicU64::new(0),
        on_demand: Semaphore::new(ON_DEMAND),
        waiting: AtomicUsize::new(0),
        started: Instant::now(),
        feeds: RwLock::new(Err("not built yet".into())),
    });
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| UsageError(format!("--listen {listen}: {e}")))?;
        let bound = listener.local_addr().unwrap_or(listen);
        eprintln!(
            "pathprobe: serving http://{bound}/metrics ({})",
            schedule_text(interval)
        );
        let stop = Arc::new(Notify::new());
        state.refresh_feeds().await;

        // The schedule: a run now, then one per interval.
        let scheduler = {
            let (state, stop) = (state.clone(), stop.clone());
            let max_runs = args.max_runs;
            tokio::spawn(async move {
                if interval.is_zero() {
                    return;
                }
                loop {
                    match state.run(None, None).await {
                        Ok(text) => {
                            *state.last.write().await = Some(text);
                            state.runs.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            state.failed_runs.fetch_add(1, Ordering::Relaxed);
                            crate::output::warn(&format!("scheduled run failed: {e}"));
                        }
                    }
                    if max_runs.is_some_and(|m| {
                        state.runs.load(Ordering::Relaxed)
                            + state.failed_runs.load(Ordering::Relaxed)
                            >= m
                    }) {
                        stop.notify_one();
                        return;
                    }
                    tokio::time::sleep(interval).await;
                    // The catalog file may have been replaced meanwhile.
                    state.refresh_feeds().await;
                }
            })
        };

        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let signal = shutdown_signal();
        tokio::pin!(signal);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let Ok(slot) = connections.clone().try_acquire_owned() else {
                        drop(stream);
                        continue;
                    };
                    let state = state.clone();
                    let service = hyper::service::service_fn(move |req| handle(state.clone(), req));
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(HEADER_TIMEOUT)
                        .serve_connection(TokioIo::new(stream), service);
                    let conn = graceful.watch(conn);
                    tokio::spawn(async move {
                        let _ = conn.await;
                        drop(slot);
                    });
                }
                () = &mut signal => break,
                () = stop.notified() => break,
            }
        }
        scheduler.abort();
        state.on_demand.close();
        // Requests in flight get a few seconds to finish.
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(Duration::from_secs(10)) => {}
        }
        eprintln!("pathprobe: stopped");
        Ok::<(), anyhow::Error>(())
    })?;
    // A run still on a blocking thread is not waited for (the runtime's drop).
    drop(runtime);
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_units() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0.5s"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("5 minutes").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("").is_err());
        assert_eq!(schedule_text(Duration::from_secs(300)), "runs every 5m");
        assert_eq!(
            schedule_text(Duration::from_secs(5400)),
            "runs every 1h 30m"
        );
        assert!(schedule_text(Duration::ZERO).contains("no scheduled runs"));
        // Huge values are refused, never a panic in the duration arithmetic.
        for huge in ["1e308", "99999999999999999999d", "inf", "NaN"] {
            let e = parse_duration(huge).unwrap_err();
            assert!(e.contains("not a duration"), "{huge}: {e}");
        }
    }
}
