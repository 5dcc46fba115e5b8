//! JUnit XML: one test case per endpoint × route, one suite per category.
//!
//! What fails a CI build is what fails the exit code: a required endpoint
//! that no route reaches. A route that failed while another route reached the
//! endpoint, and optional endpoints that failed, are reported as skipped with
//! the reason, so they are visible without turning the build red.

use std::fmt::Write as _;

use super::{Attempt, CheckReport, ProbeResult, Verdict};

/// Text made safe for XML 1.0 attributes and content: markup escaped as in
/// HTML, and the control characters XML cannot carry dropped.
pub(crate) fn xml_escape(text: &str) -> String {
    let carried: String = text
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !((c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}')
        })
        .collect();
    super::html::esc(&carried)
}

/// Seconds as Jenkins reads them: digits and a fraction, never a sign or
/// an exponent (a hand-edited report may hold a negative time).
fn surefire_seconds(seconds: f64) -> String {
    if seconds.is_finite() && seconds > 0.0 {
        format!("{seconds:.3}")
    } else {
        "0.000".to_owned()
    }
}

/// How one test case ends.
enum Outcome {
    Pass,
    Fail { verdict: Verdict, message: String },
    Skip(String),
}

struct Case {
    name: String,
    seconds: f64,
    outcome: Outcome,
    body: String,
}

fn seconds(a: &Attempt) -> f64 {
    a.phases.iter().map(|p| p.elapsed_ms).sum::<f64>() / 1000.0
}

/// The cases of one result; `finding` is the summary of the finding that
/// covers it, which leads each failure message.
fn cases(r: &ProbeResult, finding: Option<&str>) -> Vec<Case> {
    let lead = |hint: &str| match finding {
        Some(summary) => format!("{summary} {hint}"),
        None => hint.to_owned(),
    };
    if r.attempts.is_empty() {
        let outcome = match r.verdict {
            Verdict::NotProbed => Outcome::Skip(format!("not probed: {}", r.hint)),
            v if r.required => Outcome::Fail {
                verdict: v,
                message: lead(&r.hint),
            },
            v => Outcome::Skip(format!("optional endpoint: {}: {}", v.name(), r.hint)),
        };
        return vec![Case {
            name: r.url.clone(),
            seconds: 0.0,
            outcome,
            body: String::new(),
        }];
    }
    let working = super::deciding(&r.attempts).filter(|a| a.verdict.is_ok());
    r.attempts
        .iter()
        .map(|a| {
            let outcome = if a.verdict.is_ok() {
                Outcome::Pass
            } else if let Some(w) = working {
                Outcome::Skip(format!(
                    "this route failed ({}); the endpoint works through {}",
                    a.verdict.name(),
                    w.route
                ))
            } else if r.required {
                Outcome::Fail {
                    verdict: a.verdict,
                    message: lead(&a.hint),
                }
            } else {
                Outcome::Skip(format!(
                    "optional endpoint: {}: {}",
                    a.verdict.name(),
                    a.hint
                ))
            };
            let mut body = String::new();
            for p in &a.phases {
                let _ = writeln!(
                    body,
                    "{} {:.1} ms {}: {}",
                    p.phase.name(),
                    p.elapsed_ms,
                    if p.ok { "ok" } else { "failed" },
                    p.detail
                );
            }
            for e in &a.evidence {
                let _ = writeln!(body, "{e}");
            }
            Case {
                name: format!("{} via {}", r.url, a.route),
                seconds: seconds(a),
                outcome,
                body,
            }
        })
        .collect()
}

pub(crate) fn render(report: &CheckReport) -> String {
    let groups = super::table::groups(report);
    let mut suites = String::new();
    // Each failing endpoint's finding, so that a CI reader sees the cause
    // it shares with the others.
    let covering = crate::findings::covering(&report.findings);
    let (mut all_tests, mut all_failures) = (0usize, 0usize);
    for (name, results) in &groups {
        let cases: Vec<Case> = results
            .iter()
            .flat_map(|r| {
                let finding = covering
                    .get(r.url.as_str())
                    .and_then(|i| report.findings.get(*i));
                cases(r, finding.map(|f| f.summary.as_str()))
            })
            .collect();
        let failures = cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Fail { .. }))
            .count();
        let skipped = cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Skip(_)))
            .count();
        let time: f64 = cases.iter().map(|c| c.seconds).sum();
        all_tests += cases.len();
        all_failures += failures;
        let _ = writeln!(
            suites,
            r#"  <testsuite name="{}" tests="{}" failures="{failures}" errors="0" skipped="{skipped}" time="{}" timestamp="{}">"#,
            xml_escape(name),
            cases.len(),
            surefire_seconds(time),
            xml_escape(&report.started_at)
        );
        let _ = writeln!(
            suites,
            r#"    <properties><property name="catalog" value="{}"/><property name="routing" value="{}"/></properties>"#,
            xml_escape(&report.catalog),
            xml_escape(&report.routing)
        );
        let classname = format!("pathprobe.{name}");
        for c in cases {
            let _ = write!(
                suites,
                r#"    <testcase classname="{}" name="{}" time="{}""#,
                xml_escape(&classname),
                xml_escape(&c.name),
                surefire_seconds(c.seconds)
            );
            let body = xml_escape(&c.body);
            match c.outcome {
                Outcome::Pass if body.is_empty() => suites.push_str("/>\n"),
                Outcome::Pass => {
                    let _ = writeln!(
                        suites,
                        ">\n      <system-out>{body}</system-out>\n    </testcase>"
                    );
                }
                Outcome::Fail { verdict, message } => {
                    let _ = writeln!(
                        suites,
                        ">\n      <failure type=\"{}\" message=\"{}: {}\">{body}</failure>\n    </testcase>",
                        verdict.name(),
                        verdict.name(),
                        xml_escape(&message)
                    );
                }
                Outcome::Skip(why) => {
                    let _ = writeln!(
                        suites,
                        ">\n      <skipped message=\"{}\"/>\n      <system-out>{body}</system-out>\n    </testcase>",
                        xml_escape(&why)
                    );
                }
            }
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pathprobe check: {}\" tests=\"{all_tests}\" failures=\"{all_failures}\" errors=\"0\" time=\"{}\">\n{suites}</testsuites>\n",
        xml_escape(&report.catalog),
        surefire_seconds(report.summary.duration_ms / 1000.0)
    )
}
