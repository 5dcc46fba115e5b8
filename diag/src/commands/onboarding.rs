//! `pathprobe onboarding inspect`.

use pathprobe_reports::{
    ONBOARDING_SCHEMA_VERSION, OnboardingReport, OutputFormat, PackageView, Validity, mask_org_id,
};
use pathprobe_urls::{Package, PackageKind, read_packages};

use crate::cli::{OnboardingCommand, OnboardingInspectArgs};
use crate::exit::{Exit, UsageError};
use crate::output;

pub fn run(cmd: OnboardingCommand) -> anyhow::Result<Exit> {
    match cmd {
        OnboardingCommand::Inspect(args) => inspect(&args),
    }
}

/// Whole days from `now` to `at` (an RFC 3339 time or a `YYYY-MM-DD` day,
/// valid through its end).
fn days_until(at: &str, now: jiff::Timestamp) -> Option<i64> {
    let end = match at.parse::<jiff::Timestamp>() {
        Ok(t) => t,
        Err(_) => {
            let day: jiff::civil::Date = at.parse().ok()?;
            day.tomorrow()
                .ok()?
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()?
                .timestamp()
        }
    };
    let secs = end.as_second() - now.as_second();
    Some(if secs >= 0 {
        secs / 86_400
    } else {
        -((-secs + 86_399) / 86_400)
    })
}

fn validity(p: &Package, now: jiff::Timestamp) -> Validity {
    if p.kind == PackageKind::Onboarding {
        return Validity::DoesNotExpire;
    }
    match p.expires.as_ref().and_then(|e| days_until(&e.at, now)) {
        Some(d) if d >= 0 => Validity::Valid { days_left: d },
        Some(d) => Validity::Expired { days_ago: -d },
        None => Validity::Unknown,
    }
}

fn inspect(args: &OnboardingInspectArgs) -> anyhow::Result<Exit> {
    let now = jiff::Timestamp::now();
    let mut packages = Vec::new();
    for file in &args.files {
        packages.extend(read_packages(file).map_err(|e| UsageError(e.to_string()))?);
    }
    let mut warnings = Vec::new();
    let org = |p: &Package| p.org_id.clone().unwrap_or_default();
    // Onboarding and offboarding for the same organisation: deploying both
    // at once leaves machines in an unpredictable state.
    for on in packages
        .iter()
        .filter(|p| p.kind == PackageKind::Onboarding)
    {
        for off in packages
            .iter()
            .filter(|p| p.kind == PackageKind::Offboarding)
        {
            let same = org(on) == org(off) || off.org_ids.contains(&org(on));
            if same && !org(on).is_empty() {
                warnings.push(format!(
                    "{} and {} onboard and offboard the same organisation: never deploy them to the same machines at the same time",
                    on.source, off.source
                ));
            }
        }
    }
    if let Some(expected) = &args.org_id {
        for p in &packages {
            let id = org(p);
            if !id.eq_ignore_ascii_case(expected.trim()) {
                let shown = if args.show_org_id {
                    id
                } else {
                    mask_org_id(&id)
                };
                warnings.push(format!(
                    "{} belongs to another organisation ({shown}) than --org-id",
                    p.source
                ));
            }
        }
    }
    let mut views = Vec::new();
    for p in packages {
        let v = validity(&p, now);
        match &v {
            Validity::Expired { days_ago } => warnings.push(format!(
                "{}: this offboarding package expired {days_ago} days ago; download a new one (they are valid for 30 days)",
                p.source
            )),
            Validity::Valid { days_left } if *days_left < 7 => warnings.push(format!(
                "{}: this offboarding package expires in {days_left} days",
                p.source
            )),
            _ => {}
        }
        if let (Some(e), Some(named)) = (&p.expires, &p.name_expires)
            && e.from == "content"
            && !e.at.starts_with(named.as_str())
        {
            warnings.push(format!(
                "{}: the name says valid until {named}, the signed content until {} (the content decides)",
                p.source, e.at
            ));
        }
        let streamlined = p
            .partner_geo_location
            .as_deref()
            .is_some_and(|g| g.starts_with("GW_"));
        let connectivity = if p.kind == PackageKind::Offboarding {
            String::new()
        } else if streamlined {
            "streamlined: the consolidated *.endpoint.security.microsoft.com hosts apply".into()
        } else {
            "standard: the per-region service hosts apply".into()
        };
        let mut package = p;
        if !args.show_org_id {
            package.org_id = package.org_id.as_deref().map(mask_org_id);
            package.org_ids = package.org_ids.iter().map(|i| mask_org_id(i)).collect();
        }
        views.push(PackageView {
            package,
            connectivity,
            validity: v,
        });
    }
    let report = OnboardingReport {
        schema_version: ONBOARDING_SCHEMA_VERSION,
        packages: views,
        warnings,
    };
    let format = OutputFormat::from(args.format);
    output::print(&report.render(format, &output::table_style(false))?)?;
    Ok(if report.warnings.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_to_the_end_of_a_named_day() {
        let now: jiff::Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        assert_eq!(days_until("2026-11-24", now), Some(0));
        assert_eq!(days_until("2026-12-01", now), Some(7));
        assert_eq!(days_until("2026-11-23", now), Some(-1));
        assert_eq!(days_until("2026-11-20T00:00:00Z", now), Some(-5));
        assert_eq!(days_until("garbage", now), None);
    }
}
