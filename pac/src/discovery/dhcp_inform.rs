//! Asking the DHCP server for option 252 directly, with a DHCPINFORM.
//!
//! This is what Windows does for WPAD: a machine that already has an address
//! sends DHCPINFORM (RFC 2131 §3.4) asking for the parameters it wants, and
//! the server answers with a DHCPACK carrying them. It needs the DHCP client
//! port (68), so it works only with the privilege to bind it; pathprobe says
//! so plainly when it cannot.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::time::{Duration, Instant};

use super::LeaseInfo;

const MAGIC_COOKIE: [u8; 4] = [99, 130, 83, 99];
const OPTION_MESSAGE_TYPE: u8 = 53;
const OPTION_PARAMETER_LIST: u8 = 55;
const OPTION_CLIENT_ID: u8 = 61;
const OPTION_DOMAIN: u8 = 15;
const OPTION_WPAD: u8 = 252;
const OPTION_END: u8 = 255;
const OPTION_PAD: u8 = 0;
const DHCPINFORM: u8 = 8;
const DHCPACK: u8 = 5;

/// Why a DHCPINFORM exchange gave nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InformError {
    /// The interface does not exist or has no MAC or IPv4 address.
    #[error("interface {0}: {1}")]
    Interface(String, String),
    /// The DHCP client port cannot be used (needs root or CAP_NET_BIND_SERVICE, or a DHCP client holds it).
    #[error(
        "cannot use the DHCP client port 68 ({0}); run as root, or read the lease files instead"
    )]
    NotPermitted(String),
    /// No DHCPACK came back in time.
    #[error("no DHCP server answered the DHCPINFORM on {0} within {1:?}")]
    NoAnswer(String, Duration),
    /// Sending failed.
    #[error("sending the DHCPINFORM failed: {0}")]
    Io(String),
}

/// A DHCPINFORM from `ciaddr` (the interface's address) with hardware
/// address `mac`, asking for the domain name and option 252.
pub fn build_inform(xid: u32, mac: [u8; 6], ciaddr: Ipv4Addr) -> Vec<u8> {
    let mut p = Vec::with_capacity(300);
    // op BOOTREQUEST, htype Ethernet, hlen 6, hops 0.
    p.extend_from_slice(&[1, 1, 6, 0]);
    p.extend_from_slice(&xid.to_be_bytes());
    // secs, flags.
    p.extend_from_slice(&[0, 0, 0, 0]);
    p.extend_from_slice(&ciaddr.octets());
    // yiaddr, siaddr, giaddr.
    p.extend_from_slice(&[0; 12]);
    // chaddr: the MAC, padded to 16 bytes; then sname (64) and file (128).
    p.extend_from_slice(&mac);
    p.extend_from_slice(&[0; 10 + 64 + 128]);
    p.extend_from_slice(&MAGIC_COOKIE);
    p.extend_from_slice(&[OPTION_MESSAGE_TYPE, 1, DHCPINFORM]);
    p.extend_from_slice(&[OPTION_CLIENT_ID, 7, 1]);
    p.extend_from_slice(&mac);
    p.extend_from_slice(&[OPTION_PARAMETER_LIST, 3, 1, OPTION_DOMAIN, OPTION_WPAD]);
    p.push(OPTION_END);
    p
}

/// Reads a DHCPACK answering `xid`: option 252 and the domain. `None` for
/// anything else (other transactions, other message types, garbage).
pub fn parse_ack(packet: &[u8], xid: u32) -> Option<LeaseInfo> {
    if packet.first() != Some(&2) || packet.get(4..8)? != xid.to_be_bytes() {
        return None;
    }
    if packet.get(236..240)? != MAGIC_COOKIE {
        return None;
    }
    let mut info = LeaseInfo::default();
    let mut kind = None;
    let mut i = 240;
    while let Some(&code) = packet.get(i) {
        match code {
            OPTION_PAD => {
                i += 1;
                continue;
            }
            OPTION_END => break,
            _ => {}
        }
        let len = usize::from(*packet.get(i + 1)?);
        let value = packet.get(i + 2..i + 2 + len)?;
        match code {
            OPTION_MESSAGE_TYPE => kind = value.first().copied(),
            OPTION_WPAD => info.wpad_url = text(value),
            OPTION_DOMAIN => info.domain = text(value),
            _ => {}
        }
        i += 2 + len;
    }
    (kind == Some(DHCPACK)).then_some(info)
}

fn text(bytes: &[u8]) -> Option<String> {
    let t = String::from_utf8_lossy(bytes);
    let t = t.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!t.is_empty()).then(|| t.to_owned())
}

fn interface_mac(iface: &str) -> Result<[u8; 6], InformError> {
    let path = format!("/sys/class/net/{iface}/address");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| InformError::Interface(iface.to_owned(), format!("{path}: {e}")))?;
    let bytes: Vec<u8> = text
        .trim()
        .split(':')
        .filter_map(|h| u8::from_str_radix(h, 16).ok())
        .collect();
    <[u8; 6]>::try_from(bytes.as_slice()).map_err(|_| {
        InformError::Interface(iface.to_owned(), format!("no Ethernet address in {path}"))
    })
}

/// Ties `socket` to the interface named `iface` (Linux's SO_BINDTODEVICE):
/// the DHCP question must leave, and its answer come back, there.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn bind_to(socket: &socket2::Socket, iface: &str) -> std::io::Result<()> {
    socket.bind_device(Some(iface.as_bytes()))
}

/// Elsewhere a socket cannot be tied to an interface by name: the OS's own
/// DHCP client is asked instead (Windows' and macOS's settings readers).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn bind_to(_socket: &socket2::Socket, iface: &str) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        format!("asking DHCP on {iface} directly is done on Linux only"),
    ))
}

/// The interface's IPv4 address: the source the kernel picks for a broadcast
/// leaving through it (no packet is sent).
fn interface_ipv4(iface: &str) -> Result<Ipv4Addr, InformError> {
    let fail = |e: std::io::Error| InformError::Interface(iface.to_owned(), e.to_string());
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::DGRAM, None).map_err(fail)?;
    bind_to(&socket, iface).map_err(fail)?;
    socket.set_broadcast(true).map_err(fail)?;
    socket
        .connect(&SocketAddr::from((Ipv4Addr::BROADCAST, 67)).into())
        .map_err(fail)?;
    match socket.local_addr().map_err(fail)?.as_socket() {
        Some(SocketAddr::V4(v4)) if !v4.ip().is_unspecified() => Ok(*v4.ip()),
        _ => Err(InformError::Interface(
            iface.to_owned(),
            "no IPv4 address".into(),
        )),
    }
}

/// Sends a DHCPINFORM on `iface` and waits up to `timeout` for the DHCPACK.
pub fn dhcp_inform(iface: &str, timeout: Duration) -> Result<LeaseInfo, InformError> {
    let mac = interface_mac(iface)?;
    let ciaddr = interface_ipv4(iface)?;
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::DGRAM, None)
        .map_err(|e| InformError::Io(e.to_string()))?;
    socket
        .set_reuse_address(true)
        .and_then(|()| socket.set_broadcast(true))
        .and_then(|()| bind_to(&socket, iface))
        .map_err(|e| InformError::Io(e.to_string()))?;
    socket
        .bind(&SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 68)).into())
        .map_err(|e| InformError::NotPermitted(e.to_string()))?;
    let socket: UdpSocket = socket.into();
    let xid = u32::from_be_bytes([mac[2], mac[3], mac[4], mac[5]])
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
    let packet = build_inform(xid, mac, ciaddr);
    let started = Instant::now();
    let mut next_send = started;
    let mut buf = [0u8; 1500];
    while started.elapsed() < timeout {
        if Instant::now() >= next_send {
            socket
                .send_to(&packet, (Ipv4Addr::BROADCAST, 67))
                .map_err(|e| InformError::Io(e.to_string()))?;
            // Retransmit a few times within the timeout, as clients do.
            next_send = Instant::now() + timeout / 3;
        }
        let wait = timeout
            .saturating_sub(started.elapsed())
            .min(next_send.saturating_duration_since(Instant::now()))
            .max(Duration::from_millis(10));
        socket
            .set_read_timeout(Some(wait))
            .map_err(|e| InformError::Io(e.to_string()))?;
        if let Ok((n, _)) = socket.recv_from(&mut buf)
            && let Some(info) = buf.get(..n).and_then(|p| parse_ack(p, xid))
        {
            return Ok(info);
        }
    }
    Err(InformError::NoAnswer(iface.to_owned(), timeout))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ack(xid: u32, options: &[u8]) -> Vec<u8> {
        let mut p = vec![0u8; 236];
        p[0] = 2;
        p[4..8].copy_from_slice(&xid.to_be_bytes());
        p.extend_from_slice(&MAGIC_COOKIE);
        p.extend_from_slice(options);
        p
    }

    #[test]
    fn the_inform_asks_for_252_from_our_address() {
        let p = build_inform(0xdead_beef, [2, 0, 0, 0, 0, 7], Ipv4Addr::new(10, 77, 0, 2));
        assert_eq!(p[0], 1);
        assert_eq!(&p[4..8], &0xdead_beef_u32.to_be_bytes());
        assert_eq!(&p[12..16], &[10, 77, 0, 2]);
        assert_eq!(&p[28..34], &[2, 0, 0, 0, 0, 7]);
        assert_eq!(&p[236..240], &MAGIC_COOKIE);
        assert_eq!(&p[240..243], &[53, 1, 8]);
        assert!(p.windows(5).any(|w| w == [55, 3, 1, 15, 252]));
        assert_eq!(p.last(), Some(&255));
    }

    #[test]
    fn acks_are_read_and_everything_else_refused() {
        let url = b"http://wpad.corp.example/wpad.dat\0";
        let mut opts = vec![53, 1, 5, 0, 15, 12];
        opts.extend_from_slice(b"corp.example");
        opts.push(252);
        opts.push(url.len() as u8);
        opts.extend_from_slice(url);
        opts.push(255);
        let info = parse_ack(&ack(7, &opts), 7).unwrap();
        assert_eq!(
            info.wpad_url.as_deref(),
            Some("http://wpad.corp.example/wpad.dat")
        );
        assert_eq!(info.domain.as_deref(), Some("corp.example"));
        assert!(
            parse_ack(&ack(8, &opts), 7).is_none(),
            "another transaction"
        );
        assert!(parse_ack(&ack(7, &[53, 1, 6, 255]), 7).is_none(), "a NAK");
        assert!(
            parse_ack(&ack(7, &[53, 1, 5, 252, 200, 1, 2]), 7).is_none(),
            "a truncated option"
        );
        assert!(parse_ack(&[2, 0, 0], 7).is_none());
        assert!(parse_ack(&[], 7).is_none());
    }
}
