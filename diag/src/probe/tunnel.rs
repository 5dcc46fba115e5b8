//! Proxy tunnels: HTTP CONNECT (over TCP or TLS to the proxy), SOCKS5 and
//! SOCKS4, each naming the destination as the client would (a name the
//! proxy resolves, or an address resolved here).

use std::net::{IpAddr, SocketAddr};

use pathprobe_pac::discovery::Credentials;
use pathprobe_reports::Phase;
use tokio::io::AsyncWriteExt;

use super::failure::{Beyond, Broken, Failure, io_failure};
use super::http::{Head, HeadError, challenges, peek_body, product, read_first_head, title};
use super::{Context, Stream};

pub(super) fn basic_auth(c: &Credentials) -> String {
    use base64::Engine as _;
    let token =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", c.user(), c.password()));
    format!("Proxy-Authorization: Basic {token}\r\n")
}

/// Analyses a proxy's non-success answer.
pub(super) async fn proxy_refusal(
    stream: &mut Stream,
    head: &Head,
    credentials_sent: bool,
    target: &str,
    relayed_request: bool,
) -> Failure {
    // A gateway error is the proxy telling what its own connection met,
    // not a refusal of the destination: said as that, when it says what.
    let codes: Vec<&str> = head.all("X-Squid-Error").collect();
    // A bare 504 to a plain-http request may be the service's own,
    // passed on by a proxy that adds no Via (round 24: mitmproxy relaying a
    // service's 504 became "traffic beyond the proxy is dropped"); one to
    // CONNECT is the proxy's.
    let bare_504 = relayed_request
        && head.status == 504
        && codes.is_empty()
        && head.via().is_none()
        && super::http::own_product(head, &head.rest).is_none();
    if let Some(problem) = upstream_problem(head).filter(|_| !bare_504) {
        let mut said = format!("{} {}", head.status, head.reason);
        if !codes.is_empty() {
            said.push_str(&format!(", X-Squid-Error: {}", codes.join(", ")));
        }
        return Failure::BeyondProxy {
            target: target.to_owned(),
            problem,
            said,
        };
    }
    if head.status == 407 {
        let c = challenges(head);
        return Failure::ProxyAuth {
            schemes: c.iter().map(|c| c.scheme.clone()).collect(),
            realm: c.iter().find_map(|c| c.realm.clone()),
            credentials_rejected: credentials_sent,
        };
    }
    let body = peek_body(stream, head).await;
    let title = title(&body);
    // squid's page is long and its code says what it says.
    let page = codes
        .is_empty()
        .then(|| super::http::page_words(&body, title.as_deref()))
        .flatten();
    // mitmproxy says on its 502 page that the proxy it chains to refused
    // the tunnel: that refusal is the answer's meaning (round 20: "a
    // gateway error, no refusal", no allow rule).
    let upstream_refused = page
        .as_deref()
        .is_some_and(|p| p.contains("refused HTTP CONNECT request: 403"));
    // mitmproxy (and other proxies written in Python) put the error of
    // their own connection on the 502 page: "[Errno -2] Name or service
    // not known" is the proxy's lookup failing, as squid's ERR_DNS_FAIL
    // (round 21: a gateway error, with no word of the name).
    if head.status >= 500
        && let Some(said) = page.as_deref()
        && let Some(problem) = page_problem(said)
    {
        return Failure::BeyondProxy {
            target: target.to_owned(),
            problem,
            said: format!("{} {}, page says: {said}", head.status, head.reason),
        };
    }
    Failure::ProxyDenied {
        product: product(head, &body).map(str::to_owned),
        title,
        page,
        via: head.via(),
        detail: match head.get("Location") {
            // A redirect the proxy sends itself: to a login or block page.
            // To the destination itself: no login or block page.
            Some(to)
                if (300..400).contains(&head.status)
                    && url::Url::parse(to.trim()).is_ok_and(|u| {
                        u.host_str()
                            .zip(u.port_or_known_default())
                            .is_some_and(|(h, p)| format!("{h}:{p}").eq_ignore_ascii_case(target))
                    }) =>
            {
                format!(
                    "{} {} to {to}, {}",
                    head.status,
                    head.reason,
                    pathprobe_reports::SAME_DESTINATION
                )
            }
            Some(to) if (300..400).contains(&head.status) && !to.trim().is_empty() => {
                format!("{} {} to {to}", head.status, head.reason)
            }
            _ if !codes.is_empty() => format!(
                "{} {}, X-Squid-Error: {}",
                head.status,
                head.reason,
                codes.join(", ")
            ),
            _ if upstream_refused => format!(
                "{} {}, {}",
                head.status,
                head.reason,
                pathprobe_reports::UPSTREAM_REFUSED
            ),
            _ => format!("{} {}", head.status, head.reason),
        },
    }
}

/// What a proxy's page says of its own connection: mitmproxy's words for a
/// hang-up, or a Python `OSError` it quotes (`[Errno 111] Connect call
/// failed`). EAI_AGAIN (-3, the proxy's resolver did not answer) says
/// nothing of the name: left alone.
fn page_problem(page: &str) -> Option<Beyond> {
    // mitmproxy's words when the destination hung up on it (round 23: a
    // gateway error of the proxy's).
    if page.trim() == "server closed connection" {
        return Some(Beyond::ClosedWithoutAnswer);
    }
    let at = page.find("[Errno ")?;
    let code: String = page
        .get(at + "[Errno ".len()..)?
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    Some(match code.as_str() {
        // EAI_NONAME, EAI_NODATA: the name has no address there.
        "-2" | "-5" => Beyond::NameNotFound,
        "111" => Beyond::Refused,
        "110" => Beyond::TimedOut,
        "113" => Beyond::HostUnreachable,
        "101" => Beyond::NetworkUnreachable,
        "104" => Beyond::Reset,
        _ => return None,
    })
}

/// What a proxy's error answer says of its connection to the destination:
/// squid's `X-Squid-Error` code (and the errno after it), or a 504, which
/// is a gateway's "no answer in time" whatever the product.
fn upstream_problem(head: &Head) -> Option<Beyond> {
    if head.status < 500 {
        return None;
    }
    let mut named = Vec::new();
    for code in head.all("X-Squid-Error") {
        let mut words = code.split_whitespace();
        let name = words.next().unwrap_or_default().to_ascii_uppercase();
        named.push(match (name.as_str(), words.next()) {
            // A refusal said in words is a refusal, whatever the status.
            ("ERR_ACCESS_DENIED", _) => return None,
            ("ERR_DNS_FAIL", _) => Some(Beyond::NameNotFound),
            // errno after the code: ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH.
            ("ERR_CONNECT_FAIL", Some("111")) => Some(Beyond::Refused),
            ("ERR_CONNECT_FAIL", Some("110")) => Some(Beyond::TimedOut),
            ("ERR_CONNECT_FAIL", Some("113")) => Some(Beyond::HostUnreachable),
            ("ERR_CONNECT_FAIL", Some("101")) => Some(Beyond::NetworkUnreachable),
            ("ERR_READ_TIMEOUT" | "ERR_LIFETIME_EXP", _) => Some(Beyond::TimedOut),
            // errno 104: ECONNRESET, the destination reset squid's connection.
            ("ERR_READ_ERROR", Some("104")) => Some(Beyond::Reset),
            ("ERR_ZERO_SIZE_OBJECT", _) => Some(Beyond::ClosedWithoutAnswer),
            _ => None,
        });
    }
    // The first code that says what happened; a code that names something
    // else (an error page of another kind) leaves a 504's meaning alone
    // only when no code was given at all.
    match named.iter().flatten().next() {
        Some(problem) => Some(*problem),
        None if named.is_empty() && head.status == 504 => Some(Beyond::TimedOut),
        None => None,
    }
}

pub(super) async fn http_connect(
    mut stream: Stream,
    host: &str,
    port: u16,
    ctx: &Context,
    proxy: &str,
) -> Result<(Stream, String), Failure> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let auth = ctx.credentials.as_ref().map(basic_auth).unwrap_or_default();
    let request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: pathprobe/{}\r\n{auth}\r\n",
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| io_failure(Phase::Tunnel, &e))?;
    let head = read_first_head(&mut stream).await.map_err(|e| match e {
        // The proxy reset what it had just been asked, before a word.
        HeadError::Io(std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe, _) => {
            Failure::ProxyCut {
                proxy: proxy.to_owned(),
                asked: "CONNECT",
            }
        }
        other => Failure::Protocol(Phase::Tunnel, Broken::Head(other)),
    })?;
    if head.status < 200 {
        // A 1xx (100 Continue, 101 Switching Protocols) is no answer to
        // CONNECT: not a refusal, not a tunnel; curl and Chromium stop there.
        return Err(Failure::Protocol(
            Phase::Tunnel,
            Broken::Answer(format!(
                "{} {} is no answer to CONNECT",
                head.status, head.reason
            )),
        ));
    }
    if (201..300).contains(&head.status) {
        // RFC 9110 lets any 2xx open the tunnel, and curl goes on; Chromium
        // takes only 200 and fails the others (ERR_TUNNEL_CONNECTION_FAILED,
        // checked with its netlog): a browser gets no tunnel here.
        return Err(Failure::Protocol(
            Phase::Tunnel,
            Broken::Answer(format!(
                "{} {} to CONNECT: only 200 opens a tunnel for Chromium, which fails here (curl would go on)",
                head.status, head.reason
            )),
        ));
    }
    if head.status == 200 {
        let mut detail = format!("CONNECT {authority}: {} {}", head.status, head.reason);
        if head.rest.is_empty() {
            return Ok((stream, detail));
        }
        // What came after the answer's head belongs to the tunnel (RFC 9110,
        // 9.3.6): the TLS handshake reads it first, as a client's does, so
        // a proxy that sends a body or junk there fails the probe whatever
        // the packets' timing.
        detail.push_str(&format!(
            " (then {} bytes before the tunnel's first byte from the destination)",
            head.rest.len()
        ));
        Ok((
            Box::pin(Prefixed {
                rest: head.rest,
                at: 0,
                inner: stream,
            }),
            detail,
        ))
    } else {
        Err(proxy_refusal(
            &mut stream,
            &head,
            ctx.credentials.is_some(),
            &authority,
            false,
        )
        .await)
    }
}

/// What a SOCKS request names: the name (the proxy resolves it) or an
/// address this machine resolved.
#[derive(Debug, Clone)]
pub(super) enum SocksTarget {
    Name(String),
    Address(IpAddr),
}

impl std::fmt::Display for SocksTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Name(n) => f.write_str(n),
            Self::Address(IpAddr::V6(a)) => write!(f, "[{a}]"),
            Self::Address(a) => write!(f, "{a}"),
        }
    }
}

pub(super) async fn socks5(
    mut stream: Stream,
    target: &SocksTarget,
    port: u16,
    ctx: &Context,
) -> Result<(Stream, String), Failure> {
    use tokio::io::AsyncReadExt;
    let io = |e: std::io::Error| io_failure(Phase::Tunnel, &e);
    let greeting: &[u8] = if ctx.credentials.is_some() {
        &[5, 2, 0, 2]
    } else {
        &[5, 1, 0]
    };
    stream.write_all(greeting).await.map_err(io)?;
    let mut reply = [0u8; 2];
    stream.read_exact(&mut reply).await.map_err(io)?;
    match reply {
        [5, 0] => {}
        [5, 2] => {
            let Some(c) = &ctx.credentials else {
                return Err(Failure::ProxyAuth {
                    schemes: vec!["SOCKS5 username/password".into()],
                    realm: None,
                    credentials_rejected: false,
                });
            };
            let (u, p) = (c.user().as_bytes(), c.password().as_bytes());
            let mut msg = vec![1, u8::try_from(u.len()).unwrap_or(255)];
            msg.extend_from_slice(u.get(..255).unwrap_or(u));
            msg.push(u8::try_from(p.len()).unwrap_or(255));
            msg.extend_from_slice(p.get(..255).unwrap_or(p));
            stream.write_all(&msg).await.map_err(io)?;
            let mut status = [0u8; 2];
            stream.read_exact(&mut status).await.map_err(io)?;
            if status[1] != 0 {
                return Err(Failure::ProxyAuth {
                    schemes: vec!["SOCKS5 username/password".into()],
                    realm: None,
                    credentials_rejected: true,
                });
            }
        }
        [5, 0xFF] => {
            return Err(Failure::SocksNoMethod {
                offered: if ctx.credentials.is_some() {
                    "no authentication, username/password"
                } else {
                    "no authentication"
                },
            });
        }
        // A method pathprobe did not offer: GSSAPI (Kerberos) or another.
        [5, method] => {
            return Err(Failure::ProxyAuth {
                schemes: vec![if method == 1 {
                    "SOCKS5 GSSAPI (Kerberos)".into()
                } else {
                    format!("SOCKS5 method {method:#04x}")
                }],
                realm: None,
                // A method not offered: the credentials were not tried.
                credentials_rejected: false,
            });
        }
        other => {
            return Err(Failure::Protocol(
                Phase::Tunnel,
                Broken::Unexpected {
                    expected: "SOCKS5 answer",
                    bytes: other.to_vec(),
                },
            ));
        }
    }
    let mut req = vec![5, 1, 0];
    match target {
        SocksTarget::Name(name) => {
            let name = name.as_bytes();
            req.push(3);
            req.push(u8::try_from(name.len()).unwrap_or(255));
            req.extend_from_slice(name.get(..255).unwrap_or(name));
        }
        SocksTarget::Address(IpAddr::V4(a)) => {
            req.push(1);
            req.extend_from_slice(&a.octets());
        }
        SocksTarget::Address(IpAddr::V6(a)) => {
            req.push(4);
            req.extend_from_slice(&a.octets());
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    stream.write_all(&req).await.map_err(io)?;
    let mut head = [0u8; 4];
    stream.read_exact(&mut head).await.map_err(io)?;
    // A reply is version 5, a code, a zero byte and an address type; what
    // else comes back is not a SOCKS5 proxy's answer, whatever its bytes.
    let skip = match head {
        [5, _, 0, 1] => 4,
        [5, _, 0, 4] => 16,
        [5, _, 0, 3] => {
            let mut len = [0u8; 1];
            stream.read_exact(&mut len).await.map_err(io)?;
            usize::from(len[0])
        }
        other => {
            return Err(Failure::Protocol(
                Phase::Tunnel,
                Broken::Unexpected {
                    expected: "SOCKS5 reply",
                    bytes: other.to_vec(),
                },
            ));
        }
    } + 2;
    let mut rest = vec![0u8; skip];
    stream.read_exact(&mut rest).await.map_err(io)?;
    match (head[1], target) {
        (0, _) => Ok((
            stream,
            match target {
                SocksTarget::Name(_) => {
                    format!("SOCKS5 CONNECT {target}:{port} (name resolved by the proxy)")
                }
                SocksTarget::Address(_) => {
                    format!("SOCKS5 CONNECT {target}:{port} (address resolved here)")
                }
            },
        )),
        // Refused by an address this machine resolved: that address.
        (5, SocksTarget::Address(ip)) => Err(Failure::Refused(SocketAddr::new(*ip, port))),
        (code @ 3..=6, _) => Err(Failure::BeyondProxy {
            target: format!("{target}:{port}"),
            problem: match code {
                3 => Beyond::NetworkUnreachable,
                4 if matches!(target, SocksTarget::Name(_)) => Beyond::HostUnreachableOrUnresolved,
                4 => Beyond::HostUnreachable,
                5 => Beyond::Refused,
                _ => Beyond::TimedOut,
            },
            said: format!("SOCKS5 reply {code}"),
        }),
        (7, _) => Err(Failure::ProxyCannot {
            what: "SOCKS5 reply 7: command not supported (CONNECT)".into(),
            advice: "use a proxy that allows CONNECT for these destinations".into(),
        }),
        // What it does not take is known; nothing else is (round 21: the
        // hint spoke of CONNECT).
        (8, _) => Err(Failure::ProxyCannot {
            what: format!(
                "SOCKS5 reply 8: address type not supported ({})",
                match target {
                    SocksTarget::Name(_) => "a name",
                    SocksTarget::Address(IpAddr::V4(_)) => "an IPv4 address",
                    SocksTarget::Address(IpAddr::V6(_)) => "an IPv6 address",
                }
            ),
            advice: match target {
                SocksTarget::Name(_) => "this proxy takes addresses, not names: clients that leave names to the proxy (socks5h://, a PAC's SOCKS5 in browsers) cannot use it; use a proxy that resolves names".into(),
                SocksTarget::Address(IpAddr::V6(_)) => "this proxy does not take IPv6 destinations: give the name an IPv4 address, or use a proxy that carries IPv6".into(),
                SocksTarget::Address(IpAddr::V4(_)) => "this proxy does not take IPv4 destinations: use a proxy that does".into(),
            },
        }),
        (code @ 1..=2, _) => Err(Failure::ProxyDenied {
            product: None,
            title: None,
            page: None,
            via: None,
            detail: format!(
                "SOCKS5 reply {code}: {}",
                if code == 1 {
                    "general failure"
                } else {
                    "connection not allowed by the proxy's rules"
                }
            ),
        }),
        // RFC 1928 assigns 0 to 8: anything else is not a SOCKS5 reply.
        (code, _) => Err(Failure::Protocol(
            Phase::Tunnel,
            Broken::UnassignedSocks5(code),
        )),
    }
}

/// A stream that gives `rest` (bytes read past a proxy's answer) before
/// reading on.
struct Prefixed {
    rest: Vec<u8>,
    at: usize,
    inner: Stream,
}

impl tokio::io::AsyncRead for Prefixed {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let at = self.at;
        if let Some(left) = self.rest.get(at..).filter(|l| !l.is_empty()) {
            let n = left.len().min(buf.remaining());
            buf.put_slice(left.get(..n).unwrap_or_default());
            self.at += n;
            return std::task::Poll::Ready(Ok(()));
        }
        self.inner.as_mut().poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Prefixed {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        data: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.inner.as_mut().poll_write(cx, data)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.inner.as_mut().poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.inner.as_mut().poll_shutdown(cx)
    }
}

/// SOCKS4 with an IPv4 address, or SOCKS4a with a name.
pub(super) async fn socks4(
    mut stream: Stream,
    target: &SocksTarget,
    port: u16,
) -> Result<(Stream, String), Failure> {
    use tokio::io::AsyncReadExt;
    let io = |e: std::io::Error| io_failure(Phase::Tunnel, &e);
    let mut req = vec![4, 1];
    req.extend_from_slice(&port.to_be_bytes());
    match target {
        SocksTarget::Address(IpAddr::V4(a)) => {
            req.extend_from_slice(&a.octets());
            req.push(0);
        }
        SocksTarget::Address(IpAddr::V6(_)) => {
            return Err(Failure::RouteCannotCarry(format!(
                "SOCKS4 carries only IPv4 addresses and {target} is IPv6"
            )));
        }
        SocksTarget::Name(name) => {
            // 0.0.0.1 tells a SOCKS4a server that a name follows.
            req.extend_from_slice(&[0, 0, 0, 1, 0]);
            req.extend_from_slice(name.as_bytes());
            req.push(0);
        }
    }
    stream.write_all(&req).await.map_err(io)?;
    let mut reply = [0u8; 8];
    stream.read_exact(&mut reply).await.map_err(io)?;
    // A reply starts with a zero byte and a code from 0x5A to 0x5D.
    match reply {
        [0, 0x5A, ..] => {
            let version = match target {
                SocksTarget::Name(_) => "SOCKS4a",
                SocksTarget::Address(_) => "SOCKS4",
            };
            Ok((stream, format!("{version} CONNECT {target}:{port}")))
        }
        [0, code @ 0x5B..=0x5D, ..] => Err(Failure::ProxyDenied {
            product: None,
            title: None,
            page: None,
            via: None,
            detail: format!(
                "SOCKS4 reply {code:#x}: {}",
                match code {
                    0x5B => "request rejected or failed",
                    0x5C => "rejected: the proxy cannot reach this machine's identd",
                    _ => "rejected: identd reports another user",
                }
            ),
        }),
        other => Err(Failure::Protocol(
            Phase::Tunnel,
            Broken::Unexpected {
                expected: "SOCKS4 reply",
                bytes: other.to_vec(),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn upstream(head: &str) -> Option<Beyond> {
        let head = super::super::http::parse_head(head.as_bytes())
            .ok()
            .flatten()
            .expect("a head");
        upstream_problem(&head)
    }

    #[test]
    fn a_python_errno_on_a_proxy_page_says_what_the_proxy_met() {
        assert_eq!(
            page_problem("[Errno -2] Name or service not known"),
            Some(Beyond::NameNotFound)
        );
        assert_eq!(
            page_problem("[Errno 111] Connect call failed ('127.0.0.1', 18409)"),
            Some(Beyond::Refused)
        );
        assert_eq!(
            page_problem("[Errno -3] Temporary failure in name resolution"),
            None
        );
        assert_eq!(page_problem("Certificate verify failed"), None);
        assert_eq!(
            page_problem("server closed connection"),
            Some(Beyond::ClosedWithoutAnswer)
        );
        assert_eq!(page_problem("[Errno 1111] x"), None);
    }

    #[test]
    fn a_gateway_error_says_what_the_proxy_met_only_when_it_says_it() {
        let squid = |code: &str| {
            upstream(&format!(
                "HTTP/1.1 503 Service Unavailable\r\nServer: squid\r\nX-Squid-Error: {code}\r\n\r\n"
            ))
        };
        assert_eq!(squid("ERR_CONNECT_FAIL 111"), Some(Beyond::Refused));
        assert_eq!(squid("ERR_CONNECT_FAIL 110"), Some(Beyond::TimedOut));
        assert_eq!(squid("ERR_CONNECT_FAIL 113"), Some(Beyond::HostUnreachable));
        assert_eq!(squid("ERR_DNS_FAIL 0"), Some(Beyond::NameNotFound));
        assert_eq!(squid("ERR_READ_TIMEOUT 0"), Some(Beyond::TimedOut));
        // An errno it does not name, a code it does not know: nothing claimed.
        assert_eq!(squid("ERR_CONNECT_FAIL 99"), None);
        assert_eq!(squid("ERR_ACCESS_DENIED 0"), None);
        assert_eq!(
            upstream("HTTP/1.1 504 Gateway Timeout\r\n\r\n"),
            Some(Beyond::TimedOut)
        );
        assert_eq!(upstream("HTTP/1.1 502 Bad Gateway\r\n\r\n"), None);
        // A refusal stays a refusal, whatever header it carries.
        assert_eq!(
            upstream("HTTP/1.1 403 Forbidden\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\n\r\n"),
            None
        );
    }

    /// What a SOCKS4 request carries, and what the server's answer becomes.
    async fn socks4_exchange(target: SocksTarget, reply: u8) -> (Vec<u8>, Result<String, Failure>) {
        socks4_answered(target, vec![0, reply, 0, 0, 0, 0, 0, 0]).await
    }

    async fn socks4_answered(
        target: SocksTarget,
        answer: Vec<u8>,
    ) -> (Vec<u8>, Result<String, Failure>) {
        use tokio::io::AsyncReadExt;
        let (client, mut server) = tokio::io::duplex(1024);
        let handshake = tokio::spawn(async move {
            socks4(Box::pin(client), &target, 443)
                .await
                .map(|(_, detail)| detail)
        });
        let mut request = vec![0u8; 64];
        let n = tokio::time::timeout(Duration::from_millis(500), server.read(&mut request))
            .await
            .map_or(0, |r| r.unwrap_or(0));
        request.truncate(n);
        if n > 0 {
            server.write_all(&answer).await.ok();
        }
        let outcome = handshake.await.unwrap_or_else(|e| panic!("{e}"));
        (request, outcome)
    }

    #[tokio::test]
    async fn socks4_sends_an_address_or_a_name_as_asked() {
        let (wire, outcome) =
            socks4_exchange(SocksTarget::Address(IpAddr::from([192, 0, 2, 7])), 0x5A).await;
        assert_eq!(wire, [4, 1, 1, 187, 192, 0, 2, 7, 0]);
        assert_eq!(outcome.unwrap(), "SOCKS4 CONNECT 192.0.2.7:443");
        let (wire, outcome) = socks4_exchange(SocksTarget::Name("a.test".into()), 0x5A).await;
        assert_eq!(wire, b"\x04\x01\x01\xbb\0\0\0\x01\0a.test\0");
        assert_eq!(outcome.unwrap(), "SOCKS4a CONNECT a.test:443");
        // SOCKS4 cannot carry IPv6: said, and nothing is sent.
        let (wire, outcome) =
            socks4_exchange(SocksTarget::Address("2001:db8::1".parse().unwrap()), 0x5A).await;
        assert!(wire.is_empty(), "{wire:?}");
        assert!(outcome.unwrap_err().to_string().contains("only IPv4"));
        let (_, outcome) =
            socks4_exchange(SocksTarget::Address(IpAddr::from([192, 0, 2, 7])), 0x5B).await;
        assert!(matches!(outcome, Err(Failure::ProxyDenied { .. })));
        // An HTTP server on the SOCKS port: not a refusal, not a SOCKS reply.
        let (_, outcome) = socks4_answered(
            SocksTarget::Address(IpAddr::from([192, 0, 2, 7])),
            b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec(),
        )
        .await;
        let failure = outcome.unwrap_err();
        assert!(
            matches!(failure, Failure::Protocol(Phase::Tunnel, _)),
            "{failure:?}"
        );
        assert!(
            failure
                .to_string()
                .contains("\"HTTP/1.1\" (48 54 54 50 2f 31 2e 31)"),
            "{failure}"
        );
    }
}
