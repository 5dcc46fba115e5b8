//! Which of the settings found applies, per profile and OS, and the routes it
//! gives each URL, with the reasons.

use serde::Serialize;

use super::{Found, Provenance, ProxyConfig, ProxySlot, SourceKind};
use crate::route::Route;

/// Whose behaviour to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// What a browser or command-line tool on this OS would use.
    System,
    /// What the Defender for Endpoint agent on this OS uses.
    Agent,
}

/// The operating system whose rules apply (the settings files can come from
/// any machine, so this is not always the OS pathprobe runs on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetOs {
    /// Linux.
    Linux,
    /// macOS.
    Macos,
    /// Windows.
    Windows,
}

impl Profile {
    /// The profile's name as users write it (`--profile system`).
    pub fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Agent => "agent",
        }
    }
}

impl TargetOs {
    /// The OS's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Linux => "Linux",
            Self::Macos => "macOS",
            Self::Windows => "Windows",
        }
    }

    /// The OS pathprobe was built for.
    pub fn current() -> Self {
        if cfg!(target_os = "windows") {
            Self::Windows
        } else if cfg!(target_os = "macos") {
            Self::Macos
        } else {
            Self::Linux
        }
    }
}

/// How a found setting fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Standing {
    /// This setting decides.
    Winner {
        /// The rule that put it first.
        rule: String,
    },
    /// Used only if the winner gives nothing (e.g. WPAD found no script).
    Fallback {
        /// The rule.
        rule: String,
    },
    /// Found, but another setting takes precedence.
    Lost {
        /// Which setting won.
        to: String,
        /// The rule that decided.
        rule: String,
    },
    /// Found, but clients of this profile never read it.
    Ignored {
        /// Why.
        why: String,
    },
}

/// Order of the sources a profile reads, with the rule in words.
pub(super) fn precedence(profile: Profile, os: TargetOs) -> (Vec<SourceKind>, &'static str) {
    use SourceKind::*;
    match (profile, os) {
        (Profile::Agent, TargetOs::Linux) => (
            vec![CommandLine, MdatpManaged],
            "on Linux the agent uses only its managed proxy (mdatp_managed.json cloudService.proxy); without one it connects directly",
        ),
        (Profile::Agent, TargetOs::Macos) => (
            vec![CommandLine, MacManaged, MacSystem],
            "on macOS the agent uses its managed proxy (com.microsoft.wdav cloudService/proxy), else the system settings: auto-discovery, then the PAC URL, then the fixed proxies",
        ),
        (Profile::Agent, TargetOs::Windows) => (
            vec![
                CommandLine,
                WindowsTelemetryPolicy,
                WinHttpAdvanced,
                WinHttp,
            ],
            "on Windows the agent uses the TelemetryProxyServer policy, else WinHTTP (auto-detect, then the PAC URL, then the fixed proxy); if a fixed proxy does not answer it falls back to a direct connection",
        ),
        (Profile::System, TargetOs::Linux) => (
            vec![CommandLine, Environment, EtcEnvironment, Gnome],
            "command-line tools on Linux read the proxy variables of their environment (curl's rules); new login sessions get /etc/environment; desktop applications read the GNOME settings",
        ),
        (Profile::System, TargetOs::Macos) => (
            vec![CommandLine, MacSystem, Environment],
            "macOS applications use the system settings: auto-discovery, then the PAC URL, then the fixed proxies; command-line tools read the environment",
        ),
        (Profile::System, TargetOs::Windows) => (
            vec![CommandLine, WinInet, WinHttpAdvanced, WinHttp, Environment],
            "browsers and most desktop applications use the user's Internet Options (automatic detection, then the configuration script, then the proxy server); services on WinHTTP use its settings; command-line tools read the environment",
        ),
    }
}

/// Why a source kind is not read by a profile, if it is not.
fn ignored_reason(kind: SourceKind, profile: Profile, os: TargetOs) -> String {
    match (kind, profile, os) {
        (SourceKind::Environment | SourceKind::EtcEnvironment, Profile::Agent, _) => {
            "the agent runs as a service and does not read proxy environment variables".into()
        }
        (SourceKind::Gnome | SourceKind::WpadDhcp | SourceKind::WpadDns, Profile::Agent, TargetOs::Linux) => {
            "the agent on Linux does not use PAC files or WPAD; set cloudService.proxy in mdatp_managed.json instead".into()
        }
        (SourceKind::WpadDhcp | SourceKind::WpadDns, _, _) => {
            "used only when a setting turns on auto-detection (WPAD)".into()
        }
        (SourceKind::Apt, _, _) => "apt's proxy is used for package downloads only".into(),
        (SourceKind::WinInet, Profile::Agent, _) => {
            "the agent runs as a service on WinHTTP, not with a user's Internet Options (netsh winhttp import proxy source=ie copies them)".into()
        }
        (SourceKind::MdatpManaged | SourceKind::MacManaged | SourceKind::WindowsTelemetryPolicy, Profile::System, _) => {
            "only the Defender for Endpoint agent reads this setting (use --profile agent)".into()
        }
        _ => format!("not read by the {} profile on {}", profile.name(), os.name()),
    }
}

/// The settings in the order the profile consults them, each with its standing.
pub fn rank(found: &[Found], profile: Profile, os: TargetOs) -> Vec<(Found, Standing)> {
    let (order, rule) = precedence(profile, os);
    let mut ranked: Vec<(usize, usize, &Found)> = Vec::new();
    let mut ignored = Vec::new();
    for (i, f) in found.iter().enumerate() {
        match order.iter().position(|k| *k == f.provenance.kind) {
            Some(pos) => ranked.push((pos, i, f)),
            None => ignored.push(f),
        }
    }
    ranked.sort_by_key(|(pos, i, _)| (*pos, *i));
    let mut out = Vec::new();
    let mut winner: Option<String> = None;
    let mut winner_is_auto = false;
    for (_, _, f) in ranked {
        let standing = match &winner {
            None => {
                winner = Some(f.provenance.to_string());
                winner_is_auto =
                    matches!(f.config, ProxyConfig::AutoDetect | ProxyConfig::Pac { .. });
                Standing::Winner {
                    rule: rule.to_owned(),
                }
            }
            // Auto-detection and PAC give way to the next setting of the same
            // source when they find nothing, as WinHTTP and macOS do.
            Some(_)
                if winner_is_auto
                    && out.last().is_some_and(|(prev, _): &(Found, Standing)| {
                        prev.provenance.kind == f.provenance.kind
                    }) =>
            {
                winner_is_auto =
                    matches!(f.config, ProxyConfig::AutoDetect | ProxyConfig::Pac { .. });
                Standing::Fallback {
                    rule: "used when the setting above gives no script".into(),
                }
            }
            Some(w) => Standing::Lost {
                to: w.clone(),
                rule: rule.to_owned(),
            },
        };
        out.push((f.clone(), standing));
    }
    for f in ignored {
        out.push((
            f.clone(),
            Standing::Ignored {
                why: ignored_reason(f.provenance.kind, profile, os),
            },
        ));
    }
    out
}

/// Why a URL gets the routes it gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The routes, in the order a client tries them.
    pub routes: Vec<Route>,
    /// The setting that decided.
    pub decided_by: Option<Provenance>,
    /// In words: which proxy field, which bypass entry, which PAC answer.
    pub detail: String,
}

/// The routes a static or direct setting gives a URL (PAC and auto-detect
/// need fetching and evaluating, which the caller does). No routes at all
/// when the field that applies holds a value that cannot be used; the
/// detail says which.
pub fn static_routes(found: &Found, scheme: &str, host: &str) -> Option<Decision> {
    let decided_by = Some(found.provenance.clone());
    match &found.config {
        ProxyConfig::Direct => Some(Decision {
            routes: vec![Route::Direct],
            decided_by,
            detail: "the setting says: no proxy".into(),
        }),
        ProxyConfig::Static {
            http,
            https,
            all,
            bypass,
            unusable,
        } => {
            if let Some(entry) = bypass.matching(host) {
                return Some(Decision {
                    routes: vec![Route::Direct],
                    decided_by,
                    detail: format!("bypass entry \"{entry}\" matches {host}"),
                });
            }
            let (own, own_slot, own_field) = match scheme {
                "https" | "wss" => (https, ProxySlot::Https, "https proxy"),
                _ => (http, ProxySlot::Http, "http proxy"),
            };
            // A field set to a value that cannot be used is still the field
            // the client reads: it fails rather than falling through.
            let broken = |slot| unusable.iter().find(|u| u.slot == slot);
            let (field, proxy) = match (own, broken(own_slot), all, broken(ProxySlot::All)) {
                (Some(p), _, _, _) => (own_field, Some(p)),
                (None, Some(u), _, _) | (None, None, None, Some(u)) => {
                    return Some(Decision {
                        routes: Vec::new(),
                        decided_by,
                        detail: format!(
                            "{} is set to a proxy that cannot be used: {}",
                            u.name, u.why
                        ),
                    });
                }
                (None, None, Some(p), _) => ("proxy for all schemes", Some(p)),
                (None, None, None, None) => ("", None),
            };
            Some(match proxy {
                Some(p) => Decision {
                    routes: vec![p.route()],
                    decided_by,
                    detail: format!("{field} {p}"),
                },
                None => Decision {
                    routes: vec![Route::Direct],
                    decided_by,
                    detail: format!("no proxy is set for {scheme} URLs"),
                },
            })
        }
        ProxyConfig::Pac { .. } | ProxyConfig::AutoDetect => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::{BypassList, BypassStyle, PortDefault, ProxyUrl};

    fn found(kind: SourceKind, config: ProxyConfig) -> Found {
        Found::new(Provenance::new(kind, "test", None), config)
    }

    fn proxy(text: &str) -> ProxyConfig {
        ProxyConfig::single(
            ProxyUrl::parse(text, PortDefault::Scheme).unwrap(),
            BypassList::curl("localhost,.corp.example"),
        )
    }

    #[test]
    fn the_agent_on_linux_reads_only_its_managed_proxy() {
        let all = vec![
            found(SourceKind::Environment, proxy("http://env:3128")),
            found(SourceKind::Gnome, ProxyConfig::AutoDetect),
            found(SourceKind::MdatpManaged, proxy("http://managed:8080")),
        ];
        let ranked = rank(&all, Profile::Agent, TargetOs::Linux);
        assert_eq!(ranked[0].0.provenance.kind, SourceKind::MdatpManaged);
        assert!(matches!(ranked[0].1, Standing::Winner { .. }));
        let env = ranked
            .iter()
            .find(|(f, _)| f.provenance.kind == SourceKind::Environment)
            .unwrap();
        assert!(matches!(&env.1, Standing::Ignored { why } if why.contains("service")));
        let gnome = ranked
            .iter()
            .find(|(f, _)| f.provenance.kind == SourceKind::Gnome)
            .unwrap();
        assert!(matches!(&gnome.1, Standing::Ignored { why } if why.contains("does not use PAC")));
    }

    #[test]
    fn the_system_profile_on_linux_prefers_the_environment() {
        let all = vec![
            found(SourceKind::Gnome, proxy("http://gnome:3128")),
            found(SourceKind::Environment, proxy("http://env:3128")),
            found(SourceKind::MdatpManaged, proxy("http://managed:8080")),
        ];
        let ranked = rank(&all, Profile::System, TargetOs::Linux);
        assert_eq!(ranked[0].0.provenance.kind, SourceKind::Environment);
        assert!(matches!(&ranked[1].1, Standing::Lost { to, .. } if to.contains("environment")));
        assert!(
            matches!(&ranked[2].1, Standing::Ignored { why } if why.contains("--profile agent"))
        );
    }

    #[test]
    fn auto_detection_falls_back_within_its_source() {
        let pac = crate::fetch::PacLocation::parse("http://pac.corp/p.pac").unwrap();
        let all = vec![
            found(SourceKind::MacSystem, ProxyConfig::AutoDetect),
            found(SourceKind::MacSystem, ProxyConfig::Pac { location: pac }),
            found(SourceKind::MacSystem, proxy("http://static:3128")),
            found(SourceKind::Environment, proxy("http://env:1")),
        ];
        let ranked = rank(&all, Profile::System, TargetOs::Macos);
        assert!(matches!(ranked[0].1, Standing::Winner { .. }));
        assert!(matches!(ranked[1].1, Standing::Fallback { .. }));
        assert!(matches!(ranked[2].1, Standing::Fallback { .. }));
        assert!(matches!(ranked[3].1, Standing::Lost { .. }));
    }

    #[test]
    fn static_settings_pick_by_scheme_and_bypass() {
        let f = found(
            SourceKind::Environment,
            ProxyConfig::Static {
                http: Some(ProxyUrl::parse("http://h:1", PortDefault::Curl).unwrap()),
                https: None,
                all: Some(ProxyUrl::parse("socks5h://s:1080", PortDefault::Curl).unwrap()),
                bypass: BypassList::curl(".corp.example"),
                unusable: Vec::new(),
            },
        );
        let d = static_routes(&f, "https", "winatp-gw-cus.microsoft.com").unwrap();
        assert_eq!(d.routes[0].to_string(), "SOCKS5 s:1080");
        assert!(d.detail.contains("all schemes"));
        let d = static_routes(&f, "http", "crl.microsoft.com").unwrap();
        assert_eq!(d.routes[0].to_string(), "PROXY h:1");
        let d = static_routes(&f, "https", "intranet.corp.example").unwrap();
        assert_eq!(d.routes, vec![Route::Direct]);
        assert!(d.detail.contains("\".corp.example\""));
        let none = found(
            SourceKind::Environment,
            ProxyConfig::Static {
                http: Some(ProxyUrl::parse("h:1", PortDefault::Curl).unwrap()),
                https: None,
                all: None,
                bypass: BypassList::none(BypassStyle::Curl),
                unusable: Vec::new(),
            },
        );
        let d = static_routes(&none, "https", "x.example").unwrap();
        assert_eq!(d.routes, vec![Route::Direct]);
        assert!(d.detail.contains("no proxy is set for https"));
    }
}
