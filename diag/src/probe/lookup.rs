//! The DNS and TCP connect phases: lookups through the run's resolver (with
//! `--resolve` pins first) and connections to the first address that answers.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use pathprobe_pac::{LookupError, LookupLimits, Traced};
use tokio::net::TcpStream;

use super::Context;
use super::failure::{Failure, join, unreachable_text};

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
}

/// Connects to the first address that answers; each gets a share of the limit.
pub(super) async fn connect(
    addrs: &[IpAddr],
    port: u16,
    limit: Duration,
) -> Result<(TcpStream, String), Failure> {
    let mut tried = Vec::new();
    let mut refused = None;
    let mut unreachable = None;
    let mut failed = None;
    let mut silent = false;
    // What each address before the one that answered did, by family: a
    // host reached over IPv4 after its IPv6 address failed says so.
    let mut earlier: Vec<String> = Vec::new();
    let share = limit / u32::try_from(addrs.len().clamp(1, 4)).unwrap_or(1);
    for ip in addrs.iter().take(4) {
        let addr = SocketAddr::new(*ip, port);
        tried.push(addr);
        match tokio::time::timeout(share, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                let mut detail = format!("connected to {addr} over {}", family(&addr));
                if !earlier.is_empty() {
                    detail.push_str(&format!(" after {}", earlier.join(", ")));
                }
                return Ok((stream, detail));
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                earlier.push(format!("{addr} over {} refused", family(&addr)));
                refused = Some(addr);
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Err(Failure::Reset(format!("{addr}: {e}")));
            }
            // The OS (no route) or a router (ICMP) says the address cannot
            // be reached: an answer, not silence.
            // No source address of that family (IPv6 on a host without
            // one) is the same answer from the OS.
            Ok(Err(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NetworkUnreachable
                        | std::io::ErrorKind::HostUnreachable
                        | std::io::ErrorKind::AddrNotAvailable
                ) =>
            {
                let network = e.kind() != std::io::ErrorKind::HostUnreachable;
                earlier.push(format!(
                    "{addr} over {}: {}",
                    family(&addr),
                    unreachable_text(network)
                ));
                unreachable = Some((addr, network));
            }
            // Any other immediate error is what the OS said, not silence.
            Ok(Err(e)) => {
                earlier.push(format!("{addr} over {}: {e}", family(&addr)));
                failed = Some((addr, e.to_string()));
            }
            Err(_) => {
                silent = true;
                earlier.push(format!(
                    "{addr} over {}: no answer in {:.1} s",
                    family(&addr),
                    share.as_secs_f64()
                ));
            }
        }
    }
    // A refusal is an answer from the host; a silent address is what a
    // firewall drop looks like even when another family failed at once
    // (IPv6 on a machine without it).
    match (refused, silent, unreachable, failed) {
        (Some(addr), ..) => Err(Failure::Refused(addr)),
        (None, true, ..) => Err(Failure::ConnectTimeout(tried)),
        (None, false, Some((addr, network)), _) => Err(Failure::Unreachable { addr, network }),
        (None, false, None, Some((addr, error))) => Err(Failure::ConnectFailed { addr, error }),
        (None, false, None, None) => Err(Failure::ConnectTimeout(tried)),
    }
}

/// "IPv4" or "IPv6".
pub(super) fn family(addr: &SocketAddr) -> &'static str {
    if addr.is_ipv4() { "IPv4" } else { "IPv6" }
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
