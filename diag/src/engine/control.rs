//! The control probes: what the endpoints Windows uses for its connectivity
//! indicator answer, through the same routes and resolver as the run's
//! endpoints. Their outcome is evidence for findings, never a result.

use std::sync::Arc;

use pathprobe_pac::Route;
use pathprobe_reports::{ControlOutcome, ControlProbe, ControlReport, Verdict};

use super::config::Control;
use crate::probe::{self, Context, Expect, Target, join_addresses as join};

/// Asks the control URL through `routes` (the first that answers, as
/// clients try them; none when the run may not use its routes) and the
/// control name through the run's resolver, both at once.
pub(super) async fn run(
    control: Control,
    routes: Option<Vec<Route>>,
    ctx: Arc<Context>,
) -> ControlReport {
    let http = async {
        let url = url::Url::parse(&control.url).ok()?;
        let routes = routes?;
        Some(http(&control, url, &routes, &ctx).await)
    };
    let dns = dns(&control, &ctx);
    let (http, dns) = tokio::join!(http, dns);
    ControlReport {
        http,
        dns: Some(dns),
    }
}

async fn http(control: &Control, url: url::Url, routes: &[Route], ctx: &Context) -> ControlProbe {
    let target = Target {
        url,
        method: pathprobe_urls::Method::Get,
        expect: Expect::Page(control.page.clone()),
    };
    let mut last = None;
    for route in routes {
        let attempt = probe::attempt(&target, route, ctx, None).await;
        let done = attempt.verdict.is_ok();
        last = Some(attempt);
        if done {
            break;
        }
    }
    let (outcome, route, evidence) = match last {
        None => (
            ControlOutcome::Failed,
            None,
            vec!["routes: none".to_owned()],
        ),
        Some(a) => {
            // Another answer only when an HTTP answer came (a status, from
            // the path rather than the internet); a connection closed or
            // answered with bytes that are not HTTP is no answer.
            let outcome = match (a.verdict, a.status) {
                (Verdict::Ok, _) => ControlOutcome::Expected,
                (Verdict::HttpUnexpectedStatus, Some(_)) => ControlOutcome::Different,
                _ => ControlOutcome::Failed,
            };
            let mut evidence = vec![format!("verdict: {}", a.verdict.name())];
            evidence.extend(a.evidence);
            (outcome, Some(a.route.to_string()), evidence)
        }
    };
    ControlProbe {
        target: control.url.clone(),
        expected: control.page.clone(),
        outcome,
        route,
        evidence,
    }
}

async fn dns(control: &Control, ctx: &Context) -> ControlProbe {
    let (outcome, evidence) = match probe::lookup_addresses(&control.name, ctx).await {
        Ok(ips) if ips.contains(&control.address) => (
            ControlOutcome::Expected,
            vec![format!("answers: {}", join(&ips))],
        ),
        Ok(ips) => (
            ControlOutcome::Different,
            vec![format!("answers: {}", join(&ips))],
        ),
        Err(answer) => (ControlOutcome::Failed, vec![format!("answer: {answer}")]),
    };
    ControlProbe {
        target: control.name.clone(),
        expected: control.address.to_string(),
        outcome,
        route: None,
        evidence,
    }
}
