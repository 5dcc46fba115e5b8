//! The DNS phase: lookups through the run's resolver (with `--resolve` pins
//! first), sinkholes told apart.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use pathprobe_pac::{LookupError, LookupLimits, Traced};

use super::Context;
use super::failure::{Failure, join};

pub(super) fn is_sinkhole(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_unspecified() || v4.is_loopback(),
        // `::ffff:127.0.0.1` and `::ffff:0.0.0.0` reach this machine too.
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.is_unspecified() || v4.is_loopback(),
            None => v6.is_unspecified() || v6.is_loopback(),
        },
    }
}

/// How a lookup went, for the evidence, when it took more than one try:
/// "3 tries (REFUSED, REFUSED, answer)".
pub(super) fn tries_text(tries: &[pathprobe_pac::Try]) -> Option<String> {
    match tries {
        // One family only is worth saying even at the first try.
        [one @ pathprobe_pac::Try::OneFamily { .. }] => Some(one.to_string()),
        [] | [_] => None,
        many => Some(format!(
            "{} tries ({})",
            many.len(),
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The lookup of `host`, and how long it took from the moment it had a
/// slot (`None`: no question was asked).
pub(super) async fn resolve(
    host: &str,
    ctx: &Context,
    for_proxy: bool,
) -> (Result<(Vec<IpAddr>, String), Failure>, Option<Duration>) {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return (Ok((vec![ip], "address literal".into())), None);
    }
    if let Some(ips) = override_for(&ctx.overrides, host) {
        return (
            Ok((ips.clone(), format!("{host} → {} (--resolve)", join(ips)))),
            None,
        );
    }
    let resolver = ctx.resolver.clone();
    let name = host.to_owned();
    let limits = LookupLimits {
        answer: ctx.timeouts.dns,
        queue: ctx.timeouts.dns_queue,
    };
    let traced = tokio::task::spawn_blocking(move || resolver.lookup_traced(&name, limits))
        .await
        .unwrap_or_else(|e| Traced::local(Err(LookupError::Failed(e.to_string()))));
    let tries = tries_text(&traced.tries);
    let outcome = match traced.result {
        Ok(ips) => {
            // A proxy on loopback is normal, and so is a loopback name; a
            // public origin there is a sinkhole.
            let public = !for_proxy && !is_loopback_name(host);
            if public && ips.iter().all(is_sinkhole) {
                Err(Failure::DnsSinkhole(host.to_owned(), ips))
            } else {
                let mut detail = format!("{host} → {}", join(&ips));
                // A block address beside real ones is never connected to:
                // it would reach this machine, not the service.
                let (blocked, ips): (Vec<IpAddr>, Vec<IpAddr>) = if public {
                    ips.into_iter().partition(is_sinkhole)
                } else {
                    (Vec::new(), ips)
                };
                if !blocked.is_empty() {
                    detail.push_str(&format!(
                        "; block address {} left out (a partial sinkhole)",
                        join(&blocked)
                    ));
                }
                if let Some(t) = tries {
                    detail.push_str(&format!(" ({t})"));
                }
                Ok((ips, detail))
            }
        }
        Err(error) => Err(Failure::Dns {
            host: host.to_owned(),
            error,
            tries,
        }),
    };
    (outcome, Some(traced.took))
}

/// `localhost` and names under it (RFC 6761) answer loopback by design.
pub(super) fn is_loopback_name(host: &str) -> bool {
    host.parse::<pathprobe_host::Host>()
        .is_ok_and(|h| h.is_localhost())
}

/// A `--resolve` entry for `host`: the exact name, else the nearest
/// `*.parent` wildcard.
pub(crate) fn override_for<'a>(
    overrides: &'a HashMap<String, Vec<IpAddr>>,
    host: &str,
) -> Option<&'a Vec<IpAddr>> {
    let host = pathprobe_host::key(host);
    if let Some(ips) = overrides.get(&host) {
        return Some(ips);
    }
    let mut rest = host.as_str();
    while let Some((_, parent)) = rest.split_once('.') {
        if let Some(ips) = overrides.get(&format!("*.{parent}")) {
            return Some(ips);
        }
        rest = parent;
    }
    None
}

/// `--resolve` pins over another resolver, for the route decisions: the PAC's
/// DNS helpers and the proxy-host checks see the same names as the probes.
#[derive(Debug)]
pub(crate) struct PinnedResolver {
    pub(crate) pins: HashMap<String, Vec<IpAddr>>,
    pub(crate) fallback: std::sync::Arc<dyn pathprobe_pac::Resolve>,
}

impl pathprobe_pac::Resolve for PinnedResolver {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        match override_for(&self.pins, host) {
            Some(ips) => Ok(ips.clone()),
            None => self.fallback.lookup(host, timeout),
        }
    }
    fn lookup_traced(&self, host: &str, limits: LookupLimits) -> Traced {
        match override_for(&self.pins, host) {
            Some(ips) => Traced::local(Ok(ips.clone())),
            None => self.fallback.lookup_traced(host, limits),
        }
    }
    fn afresh(&self) -> Option<std::sync::Arc<dyn pathprobe_pac::Resolve>> {
        Some(std::sync::Arc::new(Self {
            pins: self.pins.clone(),
            fallback: self.fallback.afresh()?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_overrides_take_wildcards() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let map = HashMap::from([
            ("*.bench.test".to_owned(), vec![ip]),
            ("exact.test".to_owned(), vec![ip]),
        ]);
        assert!(override_for(&map, "e1.bench.test").is_some());
        assert!(override_for(&map, "a.b.bench.test").is_some());
        assert!(override_for(&map, "bench.test").is_none());
        assert!(override_for(&map, "EXACT.test").is_some());
        assert!(override_for(&map, "other.test").is_none());
    }

    #[test]
    fn sinkhole_addresses() {
        assert!(is_sinkhole(&"0.0.0.0".parse().unwrap()));
        assert!(is_sinkhole(&"127.0.0.2".parse().unwrap()));
        assert!(is_sinkhole(&"::".parse().unwrap()));
        assert!(!is_sinkhole(&"20.42.73.24".parse().unwrap()));
        assert!(is_sinkhole(&"::ffff:127.0.0.1".parse().unwrap()));
        assert!(is_sinkhole(&"::ffff:0.0.0.0".parse().unwrap()));
        assert!(!is_sinkhole(&"::ffff:20.42.73.24".parse().unwrap()));
    }
}
