//! # pathprobe-pac: which proxy a URL goes through
//!
//! This crate answers "which route would this machine use for this URL". This
//! release holds the route model and the parser of what `FindProxyForURL`
//! returns — the string every PAC file, WPAD answer and browser setting boils
//! down to. It parses as browsers do: case-insensitive keywords, extra spaces and
//! empty entries tolerated, default ports filled in, and every entry it cannot
//! use reported as a warning with the raw text instead of being dropped.
//!
//! ```
//! use pathprobe_pac::{parse_pac_result, Route, ProxyKind};
//!
//! let parsed = parse_pac_result("PROXY proxy.corp:3128; SOCKS5 socks.corp; DIRECT").unwrap();
//! assert_eq!(parsed.routes.len(), 3);
//! assert_eq!(parsed.routes[0], Route::Proxy { kind: ProxyKind::Http, host: "proxy.corp".into(), port: 3128 });
//! assert_eq!(parsed.routes[1].to_string(), "SOCKS5 socks.corp:1080");
//! assert_eq!(parsed.routes[2], Route::Direct);
//! ```

mod route;

pub use route::{ParsedRoutes, ProxyKind, Route, RouteError, RouteWarning, parse_pac_result};
