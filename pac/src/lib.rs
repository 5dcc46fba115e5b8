//! # pathprobe-pac: which proxy a URL goes through
//!
//! This crate answers "which route would this machine use for this URL". It
//! evaluates proxy auto-config (PAC) files the way browsers and pacparser do,
//! in a sandboxed JavaScript engine with every standard helper (and
//! Microsoft's IPv6 extensions), and parses what `FindProxyForURL` returns
//! into an ordered list of [`Route`]s: case-insensitive keywords, extra spaces
//! and empty entries tolerated, default ports filled in, and every entry it
//! cannot use reported as a warning with the raw text instead of being dropped.
//!
//! [`discovery`] finds every proxy setting that applies to a machine (the
//! environment, the Defender agent's configuration, OS settings, WPAD over
//! DHCP and DNS), ranks them per profile and OS, and answers per URL with the
//! setting that decided.
//!
//! DNS lookups made by the script go through a [`Resolve`] implementation
//! (hickory by default, a fixed table in tests) and the date helpers read a
//! [`PacClock`], so every answer can be reproduced.
//!
//! ```
//! use std::sync::Arc;
//! use pathprobe_pac::{FixedResolver, PacEngine, PacOptions, ProxyKind, Route};
//!
//! let pac = r#"
//!     function FindProxyForURL(url, host) {
//!         if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example")) return "DIRECT";
//!         if (isInNet(host, "10.0.0.0", "255.0.0.0")) return "DIRECT";
//!         return "PROXY proxy.corp.example:3128; SOCKS5 socks.corp.example; DIRECT";
//!     }
//! "#;
//! let resolver = Arc::new(FixedResolver::new().with("intranet.example", "10.1.2.3".parse().unwrap()));
//! let mut engine = PacEngine::new("corp.pac", pac, PacOptions::default(), resolver).unwrap();
//!
//! let answer = engine.find_proxy("https://winatp-gw-cus.microsoft.com/path?q=1", None).unwrap();
//! assert_eq!(answer.url, "https://winatp-gw-cus.microsoft.com/"); // what browsers pass
//! assert_eq!(answer.parsed.routes.len(), 3);
//! assert_eq!(answer.parsed.routes[0], Route::Proxy { kind: ProxyKind::Http, host: "proxy.corp.example".into(), port: 3128 });
//! assert_eq!(answer.parsed.routes[1].to_string(), "SOCKS5 socks.corp.example:1080");
//!
//! let inside = engine.find_proxy("http://intranet.example/", None).unwrap();
//! assert_eq!(inside.parsed.routes, vec![Route::Direct]);
//! assert_eq!(inside.lookups[0].host, "intranet.example"); // the hidden DNS lookup, recorded
//! ```

mod clock;
pub mod discovery;
mod engine;
mod fetch;
mod helpers;
mod lint;
mod myip;
mod nesting;

/// The stack a thread running a PAC engine needs: scripts nesting deeper
/// than this allows are refused before they are parsed.
pub const ENGINE_STACK_BYTES: usize = nesting::STACK_BYTES;
mod resolver;
mod route;
mod worker;

pub use clock::{ClockError, FixedClock, PacClock, SystemClock};
pub use engine::{
    DnsLookup, EntryPoint, Evaluation, MAX_RECORDED_LOOKUPS, PacEngine, PacError, PacErrorKind,
    PacOptions, UrlMode, script_arguments,
};
pub use fetch::{
    FetchError, FetchLimits, FetchedPac, PacLocation, describe_http_error, fetch, fetch_at,
    fetch_resolving, http_names, redact_url, redirect_policy, unfollowed_redirect,
};
pub use lint::{Finding, Severity, lint};
pub use myip::local_addresses;
pub use resolver::{
    DEFAULT_DNS_CONCURRENCY, DnsServers, FixedResolver, LayeredResolver, LookupError, LookupLimits,
    Rcode, Resolve, SystemDns, SystemResolver, Traced, Try, system_dns,
};
pub use route::{ParsedRoutes, ProxyKind, Route, RouteError, RouteWarning, parse_pac_result};
pub use worker::{PacRunner, PacWorker, WorkerCommand, WorkerError, serve_worker};
