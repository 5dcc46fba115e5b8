//! Running many probes at once: a global concurrency limit, a limit per
//! proxy (so a run does not hammer one proxy), one overall deadline, and
//! Ctrl-C; whatever finished is kept and the rest is marked as cut short.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pathprobe_pac::Route;
use pathprobe_reports::{Attempt, Phase, PhaseRecord, Verdict};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::probe::{Context, Target, attempt};

/// One URL to probe and the routes to try, in order.
#[derive(Debug, Clone)]
pub struct Job {
    /// What to probe.
    pub target: Target,
    /// Routes in the order a client tries them.
    pub routes: Vec<Route>,
    /// Try every route even after one works (`--all-routes`).
    pub every_route: bool,
}

/// Limits of a run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Probes in flight at once.
    pub concurrency: usize,
    /// Probes in flight through one proxy at once.
    pub per_proxy: usize,
    /// The whole run's deadline.
    pub deadline: Duration,
}

/// What a run gives back: attempts per job (in job order) and whether it was cut short.
pub struct Outcome {
    /// Attempts per job; a job cut short has one `timeout` attempt.
    pub attempts: Vec<Vec<Attempt>>,
    /// True when the deadline or Ctrl-C ended the run early.
    pub partial: bool,
    /// Why, when partial.
    pub cut_by: Option<String>,
}

/// Runs every job under the limits; `progress(done, total)` is called as
/// jobs finish.
pub async fn run(
    jobs: Vec<Job>,
    ctx: Arc<Context>,
    limits: Limits,
    mut progress: impl FnMut(usize, usize),
) -> Outcome {
    let total = jobs.len();
    let mut done = 0usize;
    let global = Arc::new(Semaphore::new(limits.concurrency.max(1)));
    let mut per_proxy: HashMap<String, Arc<Semaphore>> = HashMap::new();
    for job in &jobs {
        for route in &job.routes {
            if let Route::Proxy { .. } = route {
                per_proxy
                    .entry(route.to_string())
                    .or_insert_with(|| Arc::new(Semaphore::new(limits.per_proxy.max(1))));
            }
        }
    }
    let per_proxy = Arc::new(per_proxy);
    let mut results: Vec<Option<Vec<Attempt>>> = vec![None; jobs.len()];
    let mut set = JoinSet::new();
    for (index, job) in jobs.iter().cloned().enumerate() {
        let (global, per_proxy, ctx) = (global.clone(), per_proxy.clone(), ctx.clone());
        set.spawn(async move {
            let Ok(_permit) = global.acquire_owned().await else {
                return (index, Vec::new());
            };
            let mut attempts: Vec<Attempt> = Vec::new();
            for route in &job.routes {
                let _proxy_permit = match per_proxy.get(&route.to_string()) {
                    Some(s) => s.clone().acquire_owned().await.ok(),
                    None => None,
                };
                let a = attempt(&job.target, route, &ctx).await;
                if tracing::enabled!(tracing::Level::DEBUG) {
                    // What a peer sent can hold credentials it echoed back:
                    // the log gets it redacted, like every output.
                    let redactor = pathprobe_reports::Redactor::new();
                    tracing::debug!(
                        url = %job.target.url,
                        route = %route,
                        verdict = a.verdict.name(),
                        phases = ?a.phases.iter().map(|p| redactor.apply(&format!("{} {:.1} ms {}", p.phase.name(), p.elapsed_ms, p.detail))).collect::<Vec<_>>(),
                        evidence = ?a.evidence.iter().map(|e| redactor.apply(e)).collect::<Vec<_>>(),
                        "attempt"
                    );
                }
                let ok = a.verdict.is_ok();
                attempts.push(a);
                if ok && !job.every_route {
                    break;
                }
            }
            // An interception seen through a proxy is clearer next to the
            // chain the origin presents directly, when the direct path works.
            let intercepted = attempts
                .iter()
                .any(|a| a.verdict == Verdict::TlsIntercepted && a.route != Route::Direct);
            if intercepted && !job.routes.contains(&Route::Direct) {
                let direct = attempt(&job.target, &Route::Direct, &ctx).await;
                let issuer = direct
                    .tls
                    .as_ref()
                    .and_then(|t| t.chain.first())
                    .map(|c| c.issuer.clone());
                let line = match issuer {
                    Some(i) => format!("direct path: {} (issuer {i})", direct.verdict.name()),
                    None => format!(
                        "direct path: {} (no TLS chain to compare)",
                        direct.verdict.name()
                    ),
                };
                for a in attempts
                    .iter_mut()
                    .filter(|a| a.verdict == Verdict::TlsIntercepted)
                {
                    a.evidence.push(line.clone());
                }
            }
            (index, attempts)
        });
    }
    let started = Instant::now();
    let deadline = tokio::time::sleep(limits.deadline);
    tokio::pin!(deadline);
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut cut_by = None;
    loop {
        tokio::select! {
            next = set.join_next() => match next {
                Some(Ok((index, attempts))) => {
                    if let Some(slot) = results.get_mut(index) {
                        *slot = Some(attempts);
                    }
                    done += 1;
                    progress(done, total);
                }
                Some(Err(_)) => {
                    done += 1;
                    progress(done, total);
                }
                None => break,
            },
            () = &mut deadline => {
                cut_by = Some(format!("the run's deadline of {:?} passed", limits.deadline));
                break;
            }
            _ = &mut ctrl_c => {
                cut_by = Some("interrupted (Ctrl-C)".to_owned());
                break;
            }
        }
    }
    set.abort_all();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let partial = cut_by.is_some();
    let attempts = results
        .into_iter()
        .zip(&jobs)
        .map(|(r, job)| {
            r.unwrap_or_else(|| {
                vec![Attempt {
                    route: job.routes.first().cloned().unwrap_or(Route::Direct),
                    phases: vec![PhaseRecord {
                        phase: Phase::Connect,
                        elapsed_ms,
                        ok: false,
                        detail: cut_by.clone().unwrap_or_default(),
                    }],
                    verdict: Verdict::Timeout,
                    evidence: vec![cut_by.clone().unwrap_or_default()],
                    hint: "the run ended before this probe finished; raise --deadline or lower the number of endpoints".into(),
                    tls: None,
                    status: None,
                }]
            })
        })
        .collect();
    Outcome {
        attempts,
        partial,
        cut_by,
    }
}
