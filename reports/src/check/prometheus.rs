//! The Prometheus text exposition format (version 0.0.4) of a report.
//!
//! Names follow blackbox_exporter where it has one (`probe_success`, the
//! phases `resolve`, `connect`, `tls`, `processing`), under the `pathprobe_`
//! prefix. Labels are bounded: per endpoint × route series carry `endpoint`
//! (the catalog's URL) and `route` (`DIRECT` or `PROXY host:port`); the verdict
//! is a label of one info series only, so a changing verdict does not create
//! new series on every other metric.

use std::fmt::Write as _;

use super::{CheckReport, Phase, Verdict};

/// A label value escaped as the exposition format wants.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// blackbox_exporter's name for a phase.
fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Dns => "resolve",
        Phase::Connect => "connect",
        Phase::Tunnel => "tunnel",
        Phase::Tls => "tls",
        Phase::Http => "processing",
    }
}

/// RFC 3339 to Unix seconds (None when the text is not a timestamp).
fn unix(text: &str) -> Option<f64> {
    text.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond() as f64 / 1000.0)
}

/// What a finding's series says.
type FindingValue = fn(&crate::findings::Finding) -> f64;

struct Family<'a> {
    out: &'a mut String,
}

impl Family<'_> {
    fn head(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }
    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", label(v));
            }
            self.out.push('}');
        }
        let _ = writeln!(self.out, " {value}");
    }
}

pub(crate) fn render(report: &CheckReport) -> String {
    let mut out = String::new();
    let mut f = Family { out: &mut out };
    let routes: Vec<(&str, String, &super::Attempt)> = report
        .results
        .iter()
        .flat_map(|r| {
            r.attempts
                .iter()
                .map(move |a| (r.url.as_str(), a.route.to_string(), a))
        })
        .collect();

    f.head(
        "pathprobe_endpoint_success",
        "gauge",
        "Whether the endpoint is reached through the first route that works (1) or through none (0).",
    );
    for r in report
        .results
        .iter()
        .filter(|r| r.verdict != Verdict::NotProbed)
    {
        let category = r.category.as_deref().unwrap_or("");
        f.sample(
            "pathprobe_endpoint_success",
            &[
                ("endpoint", &r.url),
                ("category", category),
                ("required", if r.required { "true" } else { "false" }),
            ],
            if r.verdict.is_ok() { 1.0 } else { 0.0 },
        );
    }
    f.head(
        "pathprobe_probe_success",
        "gauge",
        "Whether the endpoint was reached through this route (1) or not (0).",
    );
    for (endpoint, route, a) in &routes {
        f.sample(
            "pathprobe_probe_success",
            &[("endpoint", endpoint), ("route", route)],
            if a.verdict.is_ok() { 1.0 } else { 0.0 },
        );
    }
    f.head(
        "pathprobe_probe_verdict_info",
        "gauge",
        "The verdict of the probe through this route, as a label (always 1).",
    );
    for (endpoint, route, a) in &routes {
        f.sample(
            "pathprobe_probe_verdict_info",
            &[
                ("endpoint", endpoint),
                ("route", route),
                ("verdict", a.verdict.name()),
            ],
            1.0,
        );
    }
    f.head(
        "pathprobe_probe_duration_seconds",
        "gauge",
        "How long the probe through this route took, all phases.",
    );
    for (endpoint, route, a) in &routes {
        let total: f64 = a.phases.iter().map(|p| p.elapsed_ms).sum();
        f.sample(
            "pathprobe_probe_duration_seconds",
            &[("endpoint", endpoint), ("route", route)],
            total / 1000.0,
        );
    }
    f.head(
        "pathprobe_probe_phase_duration_seconds",
        "gauge",
        "Duration of each phase reached: resolve, connect, tunnel, tls, processing.",
    );
    for (endpoint, route, a) in &routes {
        for p in &a.phases {
            f.sample(
                "pathprobe_probe_phase_duration_seconds",
                &[
                    ("endpoint", endpoint),
                    ("route", route),
                    ("phase", phase_name(p.phase)),
                ],
                p.elapsed_ms / 1000.0,
            );
        }
    }
    f.head(
        "pathprobe_probe_http_status_code",
        "gauge",
        "HTTP status the origin answered through this route (absent when none).",
    );
    for (endpoint, route, a) in &routes {
        if let Some(status) = a.status {
            f.sample(
                "pathprobe_probe_http_status_code",
                &[("endpoint", endpoint), ("route", route)],
                f64::from(status),
            );
        }
    }
    f.head(
        "pathprobe_probe_tls_intercepted",
        "gauge",
        "Whether the TLS chain through this route was re-signed by a middlebox (1) or not (0).",
    );
    for (endpoint, route, a) in &routes {
        f.sample(
            "pathprobe_probe_tls_intercepted",
            &[("endpoint", endpoint), ("route", route)],
            if a.verdict == Verdict::TlsIntercepted {
                1.0
            } else {
                0.0
            },
        );
    }
    f.head(
        "pathprobe_probe_proxy_auth_required",
        "gauge",
        "Whether the proxy of this route asked for credentials (407) (1) or not (0).",
    );
    for (endpoint, route, a) in &routes {
        f.sample(
            "pathprobe_probe_proxy_auth_required",
            &[("endpoint", endpoint), ("route", route)],
            if a.verdict == Verdict::ProxyAuthRequired {
                1.0
            } else {
                0.0
            },
        );
    }
    f.head(
        "pathprobe_probe_ssl_earliest_cert_expiry",
        "gauge",
        "Unix time at which the first certificate of the presented chain expires.",
    );
    for (endpoint, route, a) in &routes {
        let earliest = a.tls.as_ref().and_then(|t| {
            t.chain
                .iter()
                .map(|c| c.not_after_unix)
                .filter(|&t| t > 0)
                .min()
        });
        if let Some(t) = earliest {
            f.sample(
                "pathprobe_probe_ssl_earliest_cert_expiry",
                &[("endpoint", endpoint), ("route", route)],
                t as f64,
            );
        }
    }
    let s = &report.summary;
    f.head(
        "pathprobe_run_endpoints",
        "gauge",
        "Endpoints of the last run by outcome.",
    );
    for (state, n) in [
        ("ok", s.ok),
        ("required_failed", s.required_failed),
        ("optional_failed", s.optional_failed),
        ("not_probed", s.not_probed),
    ] {
        f.sample("pathprobe_run_endpoints", &[("state", state)], n as f64);
    }
    f.head(
        "pathprobe_run_duration_seconds",
        "gauge",
        "Wall time of the last run.",
    );
    f.sample(
        "pathprobe_run_duration_seconds",
        &[],
        s.duration_ms / 1000.0,
    );
    f.head(
        "pathprobe_run_partial",
        "gauge",
        "Whether the last run was cut short by its deadline (1) or not (0).",
    );
    f.sample(
        "pathprobe_run_partial",
        &[],
        if s.partial { 1.0 } else { 0.0 },
    );
    if let Some(t) = unix(&report.started_at) {
        f.head(
            "pathprobe_run_timestamp_seconds",
            "gauge",
            "Unix time at which the last run started.",
        );
        f.sample("pathprobe_run_timestamp_seconds", &[], t);
    }
    if !report.findings.is_empty() {
        // One series per finding: `kind` has 11 values and `component` one
        // per proxy, product, category or failing host, all bounded by the
        // catalog and the machine's settings.
        let families: [(&str, &str, FindingValue); 2] = [
            (
                "pathprobe_finding_info",
                "A finding of the last run: a cause shared by failing endpoints (always 1).",
                |_| 1.0,
            ),
            (
                "pathprobe_finding_required_endpoints",
                "Required endpoints a finding of the last run covers.",
                |finding| finding.required as f64,
            ),
        ];
        for (name, help, value) in families {
            f.head(name, "gauge", help);
            for finding in &report.findings {
                f.sample(
                    name,
                    &[
                        ("kind", finding.kind.name()),
                        ("component", &finding.component),
                    ],
                    value(finding),
                );
            }
        }
    }
    f.head(
        "pathprobe_build_info",
        "gauge",
        "The pathprobe that produced these metrics (always 1).",
    );
    f.sample(
        "pathprobe_build_info",
        &[
            ("version", &report.tool.version),
            ("catalog", &report.catalog),
        ],
        1.0,
    );
    out
}
