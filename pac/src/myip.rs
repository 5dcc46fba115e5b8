//! The machine's own address, for `myIpAddress` and `myIpAddressEx`.
//!
//! Browsers answer with the address of the interface that routes towards the
//! internet. Connecting a UDP socket picks that interface without sending a
//! packet, so this works offline and leaves no trace on the network.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

/// Public addresses used only to ask the routing table which source address it
/// would pick; nothing is sent to them.
const ROUTE_PROBE_V4: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1)), 53);
const ROUTE_PROBE_V6: SocketAddr = SocketAddr::new(
    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
    53,
);

/// The source address the routing table picks towards `target`, if any.
fn routed_source(bind: SocketAddr, target: SocketAddr) -> Option<IpAddr> {
    let socket = UdpSocket::bind(bind).ok()?;
    socket.connect(target).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

/// The machine's addresses towards the internet: IPv4 first, then IPv6. Falls
/// back to `127.0.0.1` (what browsers return when offline).
pub fn local_addresses() -> Vec<IpAddr> {
    let mut out = Vec::new();
    if let Some(v4) = routed_source(
        SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0),
        ROUTE_PROBE_V4,
    ) {
        out.push(v4);
    }
    if let Some(v6) = routed_source(
        SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0),
        ROUTE_PROBE_V6,
    ) {
        out.push(v6);
    }
    if out.is_empty() {
        out.push(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_always_an_answer() {
        let addrs = local_addresses();
        assert!(!addrs.is_empty());
        assert!(addrs.iter().all(|a| !a.is_unspecified()));
    }
}
