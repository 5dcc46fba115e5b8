//! Running many probes at once: a global concurrency limit, a limit per
//! proxy (so a run does not hammer one proxy), one overall deadline, and
//! Ctrl-C; whatever finished is kept and the rest is marked as cut short.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use pathprobe_pac::Route;
use pathprobe_reports::{Attempt, PhaseRecord, Verdict};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::probe::{Context, Live, LiveHandle, Target, attempt};

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
    /// What is left of the run's deadline when probing starts.
    pub deadline: Duration,
    /// The run's whole deadline, as the user gave it: the one a message
    /// names.
    pub given: Duration,
}

/// What a run gives back: attempts per job (in job order) and whether it was cut short.
pub struct Outcome {
    /// Attempts per job; a job cut short has one `timeout` attempt (one
    /// `not_probed` attempt when Ctrl-C cut it).
    pub attempts: Vec<Vec<Attempt>>,
    /// True when the deadline or Ctrl-C ended the run early.
    pub partial: bool,
    /// Why, when partial.
    pub cut_by: Option<String>,
}

/// The attempts of a job the run cut short: those that finished, then the
/// one in flight with the phases it completed and the phase it was in.
fn cut_short(job: &Job, live: &LiveHandle, why: &str, interrupted: bool) -> Vec<Attempt> {
    let taken = live
        .lock()
        .map(|mut l| std::mem::take(&mut *l))
        .unwrap_or_default();
    let Live {
        mut finished,
        route,
        mut phases,
        current,
    } = taken;
    let settled = !job.every_route
        && finished
            .iter()
            .any(|a| a.verdict.is_ok() || !a.client_moves_on());
    let route = route.or_else(|| {
        // Not started yet: the next route it would have tried.
        job.routes.get(finished.len()).cloned().filter(|_| !settled)
    });
    let Some(route) = route else {
        return finished;
    };
    let (evidence, hint) = match current {
        Some((phase, since)) => {
            let waited = since.elapsed().as_secs_f64() * 1000.0;
            phases.push(PhaseRecord {
                phase,
                elapsed_ms: waited,
                queued_ms: 0.0,
                ok: false,
                detail: format!("cut short: {why}"),
                addresses: Vec::new(),
            });
            (
                vec![
                    why.to_owned(),
                    format!(
                        "cut short in the {} phase after {waited:.0} ms",
                        phase.name()
                    ),
                ],
                format!(
                    "the run ended while this probe was in its {} phase",
                    phase.name()
                ),
            )
        }
        None if phases.is_empty() => (
            vec![
                why.to_owned(),
                "not started: it was waiting for its turn".to_owned(),
            ],
            "the run ended before this probe started".to_owned(),
        ),
        None => (
            vec![why.to_owned()],
            "the run ended between two phases of this probe".to_owned(),
        ),
    };
    let hint = if interrupted {
        format!("{hint} (interrupted: run again to see its verdict)")
    } else {
        format!("{hint}; raise --deadline or lower the number of endpoints")
    };
    finished.push(Attempt {
        route,
        phases,
        // Cut by the deadline or by Ctrl-C, the probe has no outcome: its
        // phase had not used its own limit (round 22: the deadline's cut
        // was a `timeout`, counted and found as the endpoint failing, where
        // Ctrl-C's was not). What it was doing stays in its evidence.
        verdict: Verdict::NotProbed,
        evidence,
        hint,
        tls: None,
        status: None,
        next_route: None,
    });
    finished
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
    let lives: Vec<LiveHandle> = jobs.iter().map(|_| LiveHandle::default()).collect();
    let mut set = JoinSet::new();
    for ((index, job), live) in jobs.iter().cloned().enumerate().zip(lives.iter().cloned()) {
        let (global, per_proxy, ctx) = (global.clone(), per_proxy.clone(), ctx.clone());
        set.spawn(async move {
            let Ok(_permit) = global.acquire_owned().await else {
                return (index, Vec::new());
            };
            let keep = |a: Attempt| {
                if let Ok(mut l) = live.lock() {
                    l.finished.push(a);
                }
            };
            for route in &job.routes {
                let _proxy_permit = match per_proxy.get(&route.to_string()) {
                    Some(s) => s.clone().acquire_owned().await.ok(),
                    None => None,
                };
                let a = attempt(&job.target, route, &ctx, Some(&live)).await;
                if tracing::enabled!(tracing::Level::DEBUG) {
                    // What a peer sent can hold credentials it echoed back:
                    // the log gets it redacted, like every output, by the
                    // redactor that knows the run's secrets (one that knows
                    // only their shapes cuts `user:p@ss` at its first `@`
                    // and leaves the rest for no one to find).
                    let scrub = crate::secrets::scrub;
                    tracing::debug!(
                        url = %job.target.url,
                        route = %route,
                        verdict = a.verdict.name(),
                        phases = ?a.phases.iter().map(|p| scrub(&format!("{} {:.1} ms {}", p.phase.name(), p.elapsed_ms, p.detail))).collect::<Vec<_>>(),
                        evidence = ?a.evidence.iter().map(|e| scrub(e)).collect::<Vec<_>>(),
                        "attempt"
                    );
                }
                // A client stops at a route that works, and at one whose
                // failure it does not move on from.
                let settled = a.verdict.is_ok() || !a.client_moves_on();
                keep(a);
                if settled && !job.every_route {
                    break;
                }
            }
            // An interception seen through a proxy is clearer next to the
            // chain the origin presents directly, when the direct path works.
            let intercepted = live.lock().is_ok_and(|l| {
                l.finished
                    .iter()
                    .any(|a| a.verdict == Verdict::TlsIntercepted && a.route != Route::Direct)
            });
            // Taken only once nothing more can be added to them.
            let take = || {
                live.lock()
                    .map(|mut l| std::mem::take(&mut l.finished))
                    .unwrap_or_default()
            };
            if intercepted && !job.routes.contains(&Route::Direct) {
                let direct = attempt(&job.target, &Route::Direct, &ctx, None).await;
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
                let mut attempts = take();
                for a in attempts
                    .iter_mut()
                    .filter(|a| a.verdict == Verdict::TlsIntercepted)
                {
                    a.evidence.push(line.clone());
                }
                return (index, attempts);
            }
            (index, take())
        });
    }
    let deadline = tokio::time::sleep(limits.deadline);
    tokio::pin!(deadline);
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut cut_by = None;
    let mut interrupted = false;
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
                cut_by = Some(format!(
                    "the run's deadline ({} s) passed",
                    seconds(limits.given)
                ));
                break;
            }
            _ = &mut ctrl_c => {
                cut_by = Some("interrupted (Ctrl-C)".to_owned());
                interrupted = true;
                break;
            }
        }
    }
    // No job starts once the run is cut: a slot freed on the way out would
    // let a waiting probe begin, and be counted as cut in flight.
    global.close();
    // Jobs that finished while the run was being cut keep their results.
    while let Some(done) = set.try_join_next() {
        // A job that found the slots closed never started: told below
        // with the others that waited.
        if let Ok((index, attempts)) = done
            && !attempts.is_empty()
            && let Some(slot) = results.get_mut(index)
        {
            *slot = Some(attempts);
        }
    }
    set.abort_all();
    let partial = cut_by.is_some();
    let attempts = results
        .into_iter()
        .zip(&jobs)
        .zip(&lives)
        .map(|((r, job), live)| {
            r.unwrap_or_else(|| {
                cut_short(
                    job,
                    live,
                    cut_by.as_deref().unwrap_or_default(),
                    interrupted,
                )
            })
        })
        .collect();
    Outcome {
        attempts,
        partial,
        cut_by,
    }
}

/// Seconds for people: whole ones as they were given (`3`), a fraction
/// only when there is one (`2.5`).
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if (s - s.round()).abs() < 0.05 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}
