//! Names asked again, one at a time, after the run. A run asks its resolver
//! for many names at once; a resolver that limits how fast it is asked
//! drops or refuses some of them (REFUSED, SERVFAIL, no answer), and those
//! names would be reported as DNS failures the network did not cause. A
//! name that failed so is asked again alone before its verdict is kept.

use std::sync::Arc;
use std::time::Duration;

use pathprobe_reports::findings::{dns_answer_allowable, is_proxy_reported};
use pathprobe_reports::{Attempt, Verdict};

use super::scheduler::{self, Job, Limits};
use crate::probe::Context;

/// The time names that fail again alone may take in all: each costs a full
/// DNS time limit, and a resolver that never answers some names must not
/// hold a run for minutes. A budget, not a count in a row (round 23: three
/// names it never answered, first in the list, kept five it would have
/// answered from being asked again).
const FAILING_BUDGET: Duration = Duration::from_secs(15);

/// A quiet moment before the first name is asked again: a resolver that
/// counts the queries of the last second (dropped ones too) has forgotten
/// the burst by then.
const QUIET: Duration = Duration::from_secs(1);

/// At most two names a second are asked again (each lookup asks A and
/// AAAA).
const SPACING: Duration = Duration::from_millis(500);

/// The evidence line of a name answered when asked again.
pub const ANSWERED_ALONE: &str =
    "asked again alone after the run, it was answered (the run's own lookup got";

/// The evidence line of a name that failed again when asked alone.
pub const FAILED_ALONE: &str = "asked again alone after the run: no usable answer either";

/// The evidence line of a name the second pass did not reach.
pub const NOT_ASKED_AGAIN: &str =
    "not asked again alone after the run: the second pass ended first";

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

/// The jobs whose chosen attempt is a DNS failure a resolver's limit may
/// have caused: no usable answer from this machine's resolver (none in
/// time, SERVFAIL, REFUSED; not NXDOMAIN, not an empty answer, not the
/// proxy's lookup). A resolver that answered nothing in the run may have
/// dropped all of a burst (round 23): it is asked too, within the budget.
pub fn candidates(attempts: &[Vec<Attempt>]) -> Vec<usize> {
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
    /// Resolved when asked alone.
    pub resolved: usize,
    /// Answered alone that they do not exist, or have no address.
    pub answered_otherwise: usize,
    /// No usable answer alone either.
    pub failed: usize,
    /// Not reached before the pass ended.
    pub not_asked: usize,
}

impl Asked {
    /// What the run says of the pass: every name asked again is accounted
    /// for (round 23: those the pass did not reach went unsaid); `None`
    /// when none was.
    pub fn warning(&self) -> Option<String> {
        let answered = self.resolved + self.answered_otherwise;
        if answered + self.failed + self.not_asked == 0 {
            return None;
        }
        Some(if answered > 0 {
            format!(
                "{answered} name(s) got no usable DNS answer during the run, and were answered when asked again one at a time after it: the resolver drops or limits questions (when the run asks many names at once, a lower --dns-concurrency asks it more slowly; with one at a time, it is the resolver or the path to it that loses them){}",
                if self.failed + self.not_asked > 0 {
                    format!(
                        "; {} failed again alone, {} not asked again",
                        self.failed, self.not_asked
                    )
                } else {
                    String::new()
                }
            )
        } else {
            format!(
                "{} name(s) got no usable DNS answer; asked again one at a time after the run, {} failed again{}",
                self.failed + self.not_asked,
                self.failed,
                if self.not_asked > 0 {
                    format!(
                        " and {} were not asked again (the time the pass gives failing names was spent)",
                        self.not_asked
                    )
                } else {
                    String::new()
                }
            )
        })
    }
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
    let mut failing = Duration::ZERO;
    let picked = candidates(attempts);
    if picked.is_empty() {
        return asked;
    }
    // A resolver of its own: the run's kept what the burst did to it (a
    // lone question through it went unanswered where a new one's was).
    let ctx = match ctx.resolver.afresh() {
        Some(resolver) => Arc::new(Context {
            resolver,
            ..Context::clone(ctx)
        }),
        None => ctx.clone(),
    };
    let mut pause = QUIET;
    let mut ended_at: Option<usize> = None;
    for (n, &i) in picked.iter().enumerate() {
        std::thread::sleep(pause.min(remaining()));
        let started = std::time::Instant::now();
        let left = remaining();
        if stop() || left.is_zero() || failing >= FAILING_BUDGET {
            ended_at = Some(n);
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
            None | Some(Verdict::NotProbed) => {
                ended_at = Some(n);
                break;
            }
            // An answer now where there was none: NXDOMAIN or no address
            // is what the resolver says of the name (round 23: kept as
            // "no usable answer either").
            Some(Verdict::DnsFailure)
                if !super::chosen(&again).is_some_and(dns_answer_allowable) =>
            {
                failing += started.elapsed();
                asked.failed += 1;
                note(before, FAILED_ALONE.into());
            }
            answered => {
                if answered == Some(Verdict::DnsFailure) {
                    asked.answered_otherwise += 1;
                } else {
                    asked.resolved += 1;
                }
                note(&mut again, format!("{ANSWERED_ALONE} {first})"));
                *before = again;
            }
        }
    }
    // The names not reached keep their first answer, and say so.
    if let Some(from) = ended_at {
        for &i in picked.get(from..).unwrap_or_default() {
            asked.not_asked += 1;
            if let Some(before) = attempts.get_mut(i) {
                note(before, NOT_ASKED_AGAIN.into());
            }
        }
    }
    asked
}

/// Adds `line` to the evidence of the attempt the result stands on.
fn note(attempts: &mut [Attempt], line: String) {
    let at = super::chosen(attempts).and_then(|c| attempts.iter().position(|a| std::ptr::eq(a, c)));
    if let Some(a) = at.and_then(|at| attempts.get_mut(at)) {
        a.evidence.push(line);
    }
}
