//! `ProxyResolver`: the routes for each URL and the chain of settings behind them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use pathprobe_pac::discovery::{
    CommandLineSetting, ExplainOptions, Profile, ProxyResolver, SourceFile, SourceKind,
    SourcePaths, Standing, TargetOs, WpadOptions, gather,
};
use pathprobe_pac::{FetchLimits, FixedClock, FixedResolver, PacLocation, PacOptions, Route};

fn options(profile: Profile, os: TargetOs) -> ExplainOptions {
    ExplainOptions {
        profile,
        os,
        resolver: Arc::new(
            FixedResolver::new().with("proxy.corp.example", "10.0.0.8".parse().unwrap()),
        ),
        pac: PacOptions::default(),
        clock: Arc::new(FixedClock::parse("2026-03-02T10:00:00Z").unwrap()),
        wpad: WpadOptions {
            dns_timeout: Duration::from_millis(100),
            ..WpadOptions::default()
        },
        fetch: FetchLimits::default(),
        dhcp_inform: None,
        isolation: None,
    }
}

#[tokio::test]
async fn a_pac_given_on_the_command_line_decides_and_the_rest_is_listed_as_lost() {
    let dir = tempfile::tempdir().unwrap();
    let pac = dir.path().join("corp.pac");
    std::fs::write(&pac, "function FindProxyForURL(u, h) { return shExpMatch(h, '*.microsoft.com') ? 'PROXY proxy.corp.example:8080; DIRECT' : 'DIRECT'; }").unwrap();
    let env: BTreeMap<String, String> =
        [("https_proxy".to_owned(), "http://env:3128".to_owned())].into();
    let cli = CommandLineSetting::Pac(PacLocation::parse(pac.to_str().unwrap()).unwrap());
    let discovery = gather(&SourcePaths::none(), Some(&env), Some(&cli));
    let mut resolver =
        ProxyResolver::new(&discovery, &options(Profile::System, TargetOs::Linux)).await;

    let ms = resolver.routes("https://winatp-gw-weu.microsoft.com/some/path");
    assert_eq!(ms.decision.routes.len(), 2);
    assert_eq!(ms.decision.routes[1], Route::Direct);
    assert_eq!(
        ms.pac_answer.as_deref(),
        Some("PROXY proxy.corp.example:8080; DIRECT")
    );
    assert_eq!(
        ms.decision.decided_by.as_ref().unwrap().kind,
        SourceKind::CommandLine
    );
    let other = resolver.routes("https://example.org/");
    assert_eq!(other.decision.routes, vec![Route::Direct]);

    let standings: Vec<(SourceKind, bool)> = resolver
        .sources()
        .map(|(f, s)| (f.provenance.kind, matches!(s, Standing::Winner { .. })))
        .collect();
    assert_eq!(
        standings,
        vec![
            (SourceKind::CommandLine, true),
            (SourceKind::Environment, false)
        ]
    );
    assert!(resolver.warnings().is_empty(), "{:?}", resolver.warnings());
}

#[tokio::test]
async fn missing_files_named_by_the_user_are_problems_but_standard_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = SourcePaths::none();
    paths.mdatp_managed = Some(SourceFile::given(&dir.path().join("nope.json")));
    paths.etc_environment = Some(SourceFile::standard(
        dir.path().join("absent").to_str().unwrap(),
    ));
    let discovery = gather(&paths, None, None);
    assert_eq!(discovery.problems.len(), 1);
    assert!(discovery.problems[0].message.contains("cannot read"));
    assert!(discovery.empty[0].contains("absent"));
    let mut resolver =
        ProxyResolver::new(&discovery, &options(Profile::Agent, TargetOs::Linux)).await;
    // The agent reads only that file: what it holds is unknown, so no route
    // is assumed (it was taken for "no setting" and a direct connection).
    let r = resolver.routes("https://winatp-gw-weu.microsoft.com/");
    assert!(r.decision.routes.is_empty(), "{r:?}");
    let error = r.error.unwrap_or_default();
    assert!(
        error.contains("nope.json") && error.contains("cannot be read"),
        "{error}"
    );
    // A standard file that is absent is no problem: nothing configured.
    let mut paths = SourcePaths::none();
    paths.mdatp_managed = Some(SourceFile::standard(
        dir.path().join("absent.json").to_str().unwrap(),
    ));
    let discovery = gather(&paths, None, None);
    let mut resolver =
        ProxyResolver::new(&discovery, &options(Profile::Agent, TargetOs::Linux)).await;
    let r = resolver.routes("https://winatp-gw-weu.microsoft.com/");
    assert_eq!(r.decision.routes, vec![Route::Direct]);
    assert!(r.decision.detail.contains("connects directly"));
}
