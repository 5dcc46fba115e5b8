//! Names asked again, one at a time, after the run. A run asks its resolver
//! for many names at once; a resolver that limits how fast it is asked
//! drops or refuses some of them (REFUSED, SERVFAIL, no answer), and those
//! names would be reported as DNS failures the network did not cause. A
//! name that failed so, while the same run's resolver answered others, is
//! asked again alone before its verdict is kept.

use std::sync::Arc;
use std::time::Duration;

use pathprobe_reports::findings::{dns_answer_allowable, is_proxy_reported};
use pathprobe_reports::{Attempt, Phase, Verdict};

use super::scheduler::{self, Job, Limits};
use crate::probe::Context;

/// After this many names that fail again alone in a row, the rest are not
/// asked again: the resolver fails them whatever the pace, and each costs
/// a full DNS time limit.
const FAILURES_IN_A_ROW: usize = 3;

/// A quiet moment before the first name is asked again: a resolver that
/// counts the queries of the last second (dropped ones too) has forgotten
/// the burst by then.
const QUIET: Duration = Duration::from_secs(1);

/// At most two names a second are asked again (each lookup asks A and
/// AAAA).
const SPACING: Duration = Duration::from_millis(500);

/// The evidence line of a name that resolved when asked again.
pub const ANSWERED_ALONE: &str = "asked again alone after the run: it resolved (the first lookup, among the run's many at once, got";

/// The evidence line of a name that failed again when asked alone.
pub const FAILED_ALONE: &str = "asked again alone after the run: no usable answer either";

/// Whether a DNS phase asked a resolver (not an address literal, not a
/// `--resolve` pin) and got an answer.
fn resolved_by_asking(a: &Attempt) -> bool {
    a.phases.iter().any(|p| {
        p.phase == Phase::Dns
            && p.ok
            && p.detail != "address literal"
            && !p.detail.contains("(--resolve)")
    })
}

/// Whether an evidence line is an answer a resolver gives when asked too
/// fast: none in time, REFUSED or SERVFAIL. An answer that cannot be read,
/// or one cut short, is the server's whatever the pace.
fn is_load_answer(line: &str) -> bool {
    line.strip_prefix("answer: ").is_some_and(|answer| {
        answer.starts_with("none within")
            || answer.starts_with("SERVFAIL")
            || answer.starts_with("REFUSED")
    })
}

/// Whether the resolver answered this attempt's name: with addresses
/// (block addresses too), that it does not exist, or that it has none.
fn resolver_answered(a: &Attempt) -> bool {
    resolved_by_asking(a) || a.verdict == Verdict::DnsSinkhole || dns_answer_allowable(a)
}

/// The jobs whose chosen attempt is a DNS failure a resolver's limit may
/// have caused: no usable answer from this machine's resolver (not
/// NXDOMAIN, not an empty answer, not the proxy's lookup), in a run whose
/// resolver answered another name.
pub fn candidates(attempts: &[Vec<Attempt>]) -> Vec<usize> {
    if !attempts.iter().flatten().any(resolver_answered) {
        return Vec::new();
    }
    attempts
        .iter()
        .enumerate()
        .filter(|(_, tried)| {
            super::chosen(tried).is_some_and(|a| {
                a.verdict == Verdict::DnsFailure
                    && !is_proxy_reported(a)
                    && !dns_answer_allowable(a)
                    && a.evidence.iter().any(|e| is_load_answer(e))
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// What the second pass found: how many names resolved, failed again, or
/// were not asked again.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Asked {
    pub resolved: usize,
    pub failed: usize,
    pub not_asked: usize,
}

/// Asks the candidates' names again one at a time, within `remaining`,
/// replacing the attempts of each job that got an answer this time.
pub fn ask_again(
    runtime: &crate::runtime::Runtime,
    jobs: &[Job],
    attempts: &mut [Vec<Attempt>],
    ctx: &Arc<Context>,
    remaining: impl Fn() -> Duration,
    stop: impl Fn() -> bool,
) -> Asked {
    let mut asked = Asked::default();
    let mut in_a_row = 0usize;
    let picked = candidates(attempts);
    if picked.is_empty() {
        return asked;
    }
    // A resolver of its own: the run's kept what the burst did to it (a
    // lone question through it went unanswered where a new one's was).
    let ctx = match ctx.resolver.afresh() {
        Some(resolver) => Arc::new(Context {
            resolver,
            overrides: ctx.overrides.clone(),
            trust: ctx.trust.clone(),
            timeouts: ctx.timeouts,
            insecure_read: ctx.insecure_read,
            credentials: ctx.credentials.clone(),
            expected_issuers: ctx.expected_issuers.clone(),
        }),
        None => ctx.clone(),
    };
    let mut pause = QUIET;
    for (n, &i) in picked.iter().enumerate() {
        std::thread::sleep(pause.min(remaining()));
        let started = std::time::Instant::now();
        let left = remaining();
        if stop() || left.is_zero() || in_a_row >= FAILURES_IN_A_ROW {
            asked.not_asked = picked.len() - n;
            break;
        }
        let (Some(job), Some(before)) = (jobs.get(i), attempts.get_mut(i)) else {
            continue;
        };
        let first = super::chosen(before)
            .and_then(|a| {
                a.evidence
                    .iter()
                    .find_map(|e| e.strip_prefix("answer: ").map(str::to_owned))
            })
            .unwrap_or_else(|| "no usable answer".into());
        let outcome = runtime.block_on(scheduler::run(
            vec![job.clone()],
            ctx.clone(),
            Limits {
                concurrency: 1,
                per_proxy: 1,
                deadline: left,
                given: left,
            },
            |_, _| {},
        ));
        pause = SPACING.saturating_sub(started.elapsed());
        let Some(mut again) = outcome.attempts.into_iter().next() else {
            continue;
        };
        let verdict = super::chosen(&again).map(|a| a.verdict);
        match verdict {
            // Cut by the deadline or Ctrl-C: the first answer stands.
            None | Some(Verdict::Timeout | Verdict::NotProbed) => {
                asked.not_asked = picked.len() - n;
                break;
            }
            Some(Verdict::DnsFailure) => {
                in_a_row += 1;
                asked.failed += 1;
                let at = super::chosen(before)
                    .and_then(|c| before.iter().position(|a| std::ptr::eq(a, c)));
                if let Some(a) = at.and_then(|at| before.get_mut(at)) {
                    a.evidence.push(FAILED_ALONE.into());
                }
            }
            Some(_) => {
                in_a_row = 0;
                asked.resolved += 1;
                let at = super::chosen(&again)
                    .and_then(|c| again.iter().position(|a| std::ptr::eq(a, c)));
                if let Some(a) = at.and_then(|at| again.get_mut(at)) {
                    a.evidence.push(format!("{ANSWERED_ALONE} {first})"));
                }
                *before = again;
            }
        }
    }
    asked
}
