//! The TCP connect phase: the first address that answers, each address
//! given a share of the limit, and what the OS said of those that did not.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::net::TcpStream;

use pathprobe_reports::{AddressOutcome, AddressTry, Family};

use super::failure::{Failure, unreachable_text};

/// Connects to the first address that answers; each gets a share of the
/// limit. What each address did is added to `tries` as it happens, so that
/// a phase cut short still says which addresses it tried.
pub(super) async fn connect(
    addrs: &[IpAddr],
    port: u16,
    limit: Duration,
    tries: &mut Vec<AddressTry>,
) -> Result<(TcpStream, String), Failure> {
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
        // Noted as silent before it is tried: a phase limit that ends the
        // wait leaves it so, which is what it was.
        tries.push(AddressTry {
            address: addr.to_string(),
            family: Family::of(*ip),
            outcome: AddressOutcome::Silent,
        });
        let mut note = |outcome| {
            if let Some(last) = tries.last_mut() {
                last.outcome = outcome;
            }
        };
        match tokio::time::timeout(share, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                note(AddressOutcome::Connected);
                let _ = stream.set_nodelay(true);
                let mut detail = format!("connected to {addr} over {}", family(&addr));
                if !earlier.is_empty() {
                    detail.push_str(&format!(" after {}", earlier.join(", ")));
                }
                return Ok((stream, detail));
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                note(AddressOutcome::Refused);
                earlier.push(format!("{addr} over {} refused", family(&addr)));
                refused = Some(addr);
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                note(AddressOutcome::Refused);
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
                note(AddressOutcome::Unreachable);
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
                note(AddressOutcome::Failed);
                earlier.push(format!("{addr} over {}: {e}", family(&addr)));
                failed = Some((addr, e.to_string()));
            }
            Err(_) => {
                note(AddressOutcome::Silent);
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
    // Every address was tried when the loop ends without a connection.
    let tried = || {
        addrs
            .iter()
            .take(4)
            .map(|ip| SocketAddr::new(*ip, port))
            .collect()
    };
    match (refused, silent, unreachable, failed) {
        (Some(addr), ..) => Err(Failure::Refused(addr)),
        (None, true, ..) => Err(Failure::ConnectTimeout(tried())),
        (None, false, Some((addr, network)), _) => Err(Failure::Unreachable { addr, network }),
        (None, false, None, Some((addr, error))) => Err(Failure::ConnectFailed { addr, error }),
        (None, false, None, None) => Err(Failure::ConnectTimeout(tried())),
    }
}

/// "IPv4" or "IPv6".
pub(super) fn family(addr: &SocketAddr) -> &'static str {
    if addr.is_ipv4() { "IPv4" } else { "IPv6" }
}
