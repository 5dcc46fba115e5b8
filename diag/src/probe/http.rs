//! Reading HTTP response heads (from origins and proxies), bounded, and what
//! a proxy's answer says about it: which authentication it wants, which
//! product it is, why it refused.

use tokio::io::{AsyncRead, AsyncReadExt};

/// Largest response head accepted.
pub const MAX_HEAD: usize = 64 * 1024;
/// Largest body read to find a block page's title.
pub const MAX_BODY_PEEK: usize = 16 * 1024;

/// A parsed response head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// Status code.
    pub status: u16,
    /// Reason phrase.
    pub reason: String,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body bytes already read past the head.
    pub rest: Vec<u8>,
}

impl Head {
    /// The proxies an answer passed (its `Via` headers, joined), quoted
    /// short enough for evidence; `None` without one.
    pub fn via(&self) -> Option<String> {
        let hops: Vec<&str> = self.all("Via").collect();
        (!hops.is_empty()).then(|| pathprobe_files::quote::excerpt(&hops.join(", "), 300))
    }

    /// Every value of a header (case-insensitive name).
    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a header.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.all(name).next()
    }
}

/// Why a head could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeadError {
    /// The peer closed before a full head arrived.
    #[error("the connection closed before a complete response ({0} bytes)")]
    Closed(usize),
    /// The head is larger than [`MAX_HEAD`].
    #[error("the response head is larger than {MAX_HEAD} bytes")]
    TooLarge,
    /// It is not HTTP.
    #[error("not an HTTP response: {0}")]
    NotHttp(String),
    /// Reading failed: the kind (a reset is a finding of its own) and the
    /// system's words.
    #[error("{1}")]
    Io(std::io::ErrorKind, String),
    /// TLS failed on the established connection (an alert the server sent
    /// after the handshake, such as a demand for a client certificate), in
    /// words.
    #[error("{0}")]
    Tls(String),
}

/// Parses a complete head (`bytes` ends at or after the blank line).
pub fn parse_head(bytes: &[u8]) -> Result<Option<Head>, HeadError> {
    // A line ends at LF, a CR before it ignored (RFC 9112, 2.2: what
    // curl and browsers accept): the head ends at the first empty line.
    let Some((end, body)) = head_end(bytes) else {
        if bytes.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
        // Fail early on something that is clearly not HTTP (TLS bytes, garbage).
        if bytes.len() >= 5 && !bytes.starts_with(b"HTTP/") {
            return Err(HeadError::NotHttp(printable(
                bytes.get(..bytes.len().min(32)).unwrap_or(bytes),
            )));
        }
        return Ok(None);
    };
    let text = String::from_utf8_lossy(bytes.get(..end).unwrap_or(bytes));
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    // HTTP/1.0 or 1.1 answer an HTTP/1.1 request; `HTTP/2 200` or
    // `HTTP/0.9 200` on this connection is something else speaking.
    let http1 = version.len() == 8
        && version.starts_with("HTTP/1.")
        && version.as_bytes().get(7).is_some_and(u8::is_ascii_digit);
    if !http1 {
        return Err(HeadError::NotHttp(printable(status_line.as_bytes())));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..1000).contains(s))
        .ok_or_else(|| HeadError::NotHttp(printable(status_line.as_bytes())))?;
    let reason = parts.next().unwrap_or("").to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Some(Head {
        status,
        reason,
        headers,
        rest: bytes.get(body..).unwrap_or(&[]).to_vec(),
    }))
}

/// Where a head ends (before its empty line) and its body starts.
fn head_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut line_start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b != b'\n' {
            continue;
        }
        let line = bytes.get(line_start..i).unwrap_or_default();
        if line.is_empty() || line == b"\r" {
            // The status line itself is never the empty line.
            return (line_start > 0).then_some((line_start.saturating_sub(1), i + 1));
        }
        line_start = i + 1;
    }
    None
}

/// Bytes as text: printable ASCII kept, anything else a dot.
pub(super) fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            if b.is_ascii_graphic() || *b == b' ' {
                char::from(*b)
            } else {
                '.'
            }
        })
        .collect()
}

/// Reads the body after `head` into `head.rest`, up to `limit` bytes, its
/// `Content-Length` or the end of the stream, whichever comes first. A read
/// error ends it: what came is what is compared.
pub async fn read_body<S: AsyncRead + Unpin>(stream: &mut S, head: &mut Head, limit: usize) {
    let length = head
        .get("Content-Length")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    let want = limit.min(length);
    let mut chunk = [0u8; 1024];
    while head.rest.len() < want {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => head.rest.extend_from_slice(chunk.get(..n).unwrap_or(&[])),
        }
    }
    head.rest.truncate(want);
    if head
        .get("Transfer-Encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        head.rest = dechunk(&head.rest);
    }
}

/// The data of a chunked body (RFC 9112, 7.1), as far as it came: each
/// chunk's size line and framing dropped, extensions ignored.
fn dechunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    while let Some(end) = bytes.windows(2).position(|w| w == b"\r\n") {
        let line = String::from_utf8_lossy(bytes.get(..end).unwrap_or_default());
        let size = line.split(';').next().unwrap_or_default().trim();
        let Ok(size) = usize::from_str_radix(size, 16) else {
            break;
        };
        if size == 0 {
            break;
        }
        let rest = bytes.get(end + 2..).unwrap_or_default();
        let take = size.min(rest.len());
        data.extend_from_slice(rest.get(..take).unwrap_or_default());
        bytes = rest.get(take..).unwrap_or_default();
        bytes = bytes.strip_prefix(b"\r\n").unwrap_or(bytes);
        if take < size {
            break;
        }
    }
    data
}

/// Reads a response head from `stream`: the final one, after any interim
/// (1xx) answers, as clients read an origin's answer.
pub async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Result<Head, HeadError> {
    read_head_after(stream, MAX_INTERIM).await
}

/// Reads the first response head from `stream`, interim or not: the answer
/// to CONNECT, where a `100 Continue` is no tunnel (curl and Chromium fail
/// on it).
pub async fn read_first_head<S: AsyncRead + Unpin>(stream: &mut S) -> Result<Head, HeadError> {
    read_head_after(stream, 0).await
}

/// Reads a response head, skipping at most `skip` interim answers.
async fn read_head_after<S: AsyncRead + Unpin>(
    stream: &mut S,
    skip: usize,
) -> Result<Head, HeadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let mut interim = 0usize;
    loop {
        // What came after an interim answer may hold the final one already.
        while let Some(head) = parse_head(&buf)? {
            // `100 Continue` and the other interim answers come before the
            // final one, which is the answer (as clients read it); a 101
            // switches protocols and is final.
            if skip > 0 && (100..200).contains(&head.status) && head.status != 101 {
                interim += 1;
                if interim > skip {
                    return Err(HeadError::NotHttp(format!(
                        "more than {MAX_INTERIM} interim (1xx) answers"
                    )));
                }
                buf = head.rest;
                continue;
            }
            return Ok(head);
        }
        let n = stream.read(&mut chunk).await.map_err(|e| {
            match super::failure::rustls_error(&e) {
                Some(tls) => HeadError::Tls(super::tls::describe_error(tls)),
                // A TLS peer that closes without close_notify has closed;
                // rustls' words for it point at its manual.
                None if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    HeadError::Closed(buf.len())
                }
                None => HeadError::Io(e.kind(), e.to_string()),
            }
        })?;
        if n == 0 {
            return Err(HeadError::Closed(buf.len()));
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
    }
}

/// Interim (1xx) answers accepted before the final one.
const MAX_INTERIM: usize = 16;

/// Reads up to [`MAX_BODY_PEEK`] more bytes of body (for a block page's title).
pub async fn peek_body<S: AsyncRead + Unpin>(stream: &mut S, head: &Head) -> Vec<u8> {
    let mut body = head.rest.clone();
    let mut chunk = [0u8; 4096];
    while body.len() < MAX_BODY_PEEK {
        match tokio::time::timeout(
            std::time::Duration::from_millis(500),
            stream.read(&mut chunk),
        )
        .await
        {
            Ok(Ok(n)) if n > 0 => body.extend_from_slice(chunk.get(..n).unwrap_or(&[])),
            _ => break,
        }
    }
    body.truncate(MAX_BODY_PEEK);
    body
}

/// An authentication challenge from `Proxy-Authenticate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// Basic, Digest, NTLM, Negotiate...
    pub scheme: String,
    /// The realm, when given.
    pub realm: Option<String>,
}

/// The challenges a 407 carries: each `Proxy-Authenticate` header may list
/// several, separated by commas (`Negotiate, Basic realm="x", NTLM`), and
/// parameters are separated by commas too; an element that starts with a
/// token and no `=` opens a new challenge. Empty elements are skipped.
pub fn challenges(head: &Head) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    for value in head.all("Proxy-Authenticate") {
        for element in split_outside_quotes(value) {
            let element = element.trim();
            let first = element.split([' ', '\t']).next().unwrap_or("");
            if element.is_empty() {
                continue;
            }
            let (param, rest) = if first.contains('=') {
                (Some(element), "")
            } else {
                let rest = element.get(first.len()..).unwrap_or("").trim();
                out.push(Challenge {
                    scheme: first.to_owned(),
                    realm: None,
                });
                (None, rest)
            };
            // `realm=x` after the scheme, or as an element of its own.
            let param = param.or((!rest.is_empty()).then_some(rest));
            if let (Some(p), Some(current)) = (param, out.last_mut())
                && let Some((k, v)) = p.split_once('=')
                && k.trim().eq_ignore_ascii_case("realm")
            {
                current.realm = Some(v.trim().trim_matches('"').to_owned());
            }
        }
    }
    out
}

/// `text` split at commas that are not inside double quotes.
fn split_outside_quotes(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(text.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text.get(start..).unwrap_or(""));
    parts
}

/// Header names and words that identify proxy products.
const PRODUCT_MARKERS: &[(&str, &str)] = &[
    ("x-squid-error", "Squid"),
    ("squid", "Squid"),
    ("tinyproxy", "Tinyproxy"),
    ("zscaler", "Zscaler"),
    ("bluecoat", "Blue Coat / Symantec ProxySG"),
    ("blue coat", "Blue Coat / Symantec ProxySG"),
    ("proxysg", "Blue Coat / Symantec ProxySG"),
    ("fortigate", "Fortinet FortiGate"),
    ("fortinet", "Fortinet FortiGate"),
    ("palo alto", "Palo Alto Networks"),
    ("pan-os", "Palo Alto Networks"),
    ("netskope", "Netskope"),
    ("mcafee web gateway", "McAfee / Skyhigh Web Gateway"),
    ("skyhigh", "McAfee / Skyhigh Web Gateway"),
    ("forcepoint", "Forcepoint"),
    ("websense", "Forcepoint"),
    ("sophos", "Sophos"),
    ("checkpoint", "Check Point"),
    ("check point", "Check Point"),
    ("cisco", "Cisco"),
    ("mitmproxy", "mitmproxy"),
];

/// The proxy product named by headers or a block page, if any.
pub fn product(head: &Head, body: &[u8]) -> Option<&'static str> {
    product_in(head, body, true)
}

/// The product that wrote an answer itself: [`product`] without `Via` and
/// the cache headers, which a proxy adds to every answer it forwards (an
/// origin's 403 relayed by squid is the origin's, not squid's).
pub fn own_product(head: &Head, body: &[u8]) -> Option<&'static str> {
    product_in(head, body, false)
}

fn product_in(head: &Head, body: &[u8], relaying: bool) -> Option<&'static str> {
    let mut haystack = String::new();
    for (k, v) in &head.headers {
        let key = k.to_ascii_lowercase();
        let relay_header = matches!(key.as_str(), "via" | "x-cache" | "x-cache-lookup");
        if (relay_header && relaying)
            || matches!(key.as_str(), "server" | "x-squid-error" | "proxy-agent")
            || key.starts_with("x-zscaler")
            || key.starts_with("x-bluecoat")
            || key.starts_with("x-netskope")
        {
            haystack.push_str(&key);
            haystack.push(' ');
            haystack.push_str(&v.to_ascii_lowercase());
            haystack.push('\n');
        }
    }
    if let Some(t) = title(body) {
        haystack.push_str(&t.to_ascii_lowercase());
    }
    PRODUCT_MARKERS
        .iter()
        .find(|(needle, _)| haystack.contains(needle))
        .map(|(_, p)| *p)
}

/// Whether a redirect comes from a proxy product itself: its `Server`
/// header names one, or `Location` points at one's domain
/// (`gateway.zscaler.net/auth?…`). `Via` is left out: it names the proxy
/// on every answer it forwards.
pub fn redirects_to_product(head: &Head) -> bool {
    let marked = |text: &str| {
        let lower = text.to_ascii_lowercase();
        PRODUCT_MARKERS
            .iter()
            .any(|(needle, _)| lower.contains(needle))
    };
    head.get("Server").is_some_and(marked)
        || head
            .get("Location")
            .and_then(|l| url::Url::parse(l).ok())
            .and_then(|u| u.host_str().map(str::to_owned))
            .is_some_and(|h| marked(&h))
}

/// What a proxy's error page says in its text, past its title: mitmproxy
/// names why it answers 502 only there ("Upstream proxy … refused HTTP
/// CONNECT request: 403 Forbidden", "Certificate verify failed"). Tags,
/// scripts and styles are left out; at most 300 characters.
pub fn page_words(body: &[u8], title: Option<&str>) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let mut words = String::new();
    let mut at = 0usize;
    while let Some(open) = lower.get(at..).and_then(|r| r.find('<')).map(|i| i + at) {
        words.push_str(text.get(at..open).unwrap_or_default());
        words.push(' ');
        // A script, a style or the title is no text a person reads there.
        let skipped = ["script", "style", "title"].iter().find_map(|tag| {
            lower
                .get(open + 1..)
                .filter(|r| r.starts_with(tag))
                .and_then(|_| lower.get(open..)?.find(&format!("</{tag}")))
                .map(|end| open + end + 2)
        });
        let from = skipped.unwrap_or(open);
        at = match lower.get(from..).and_then(|r| r.find('>')) {
            Some(close) => from + close + 1,
            None => lower.len(),
        };
    }
    words.push_str(text.get(at..).unwrap_or_default());
    let mut said = unescape_html(&words)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The heading that repeats the title ("502 Bad Gateway") says nothing new.
    if let Some(t) = title
        && let Some(rest) = said.strip_prefix(t)
    {
        said = rest.trim_start().to_owned();
    }
    (!said.is_empty()).then(|| said.chars().take(300).collect())
}

/// The `<title>` of an HTML page.
pub fn title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = lower.get(start..)?.find('>')? + start + 1;
    let close = lower.get(open_end..)?.find("</title")? + open_end;
    // As a browser shows it: `AT&amp;T` is AT&T, and a secret a page
    // echoes escaped is the secret, for the redactor to find.
    let t = unescape_html(text.get(open_end..close)?)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!t.is_empty()).then(|| t.chars().take(200).collect())
}

/// HTML character references (`&amp;`, `&#84;`, `&#x54;`) as the
/// characters they stand for; an unknown or broken one stays as written.
fn unescape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        let reference = after
            .find(';')
            .filter(|end| *end <= 10)
            .and_then(|end| Some((after.get(..end)?, end)));
        let decoded = reference.and_then(|(name, end)| {
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = after.get(end + 1..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn page_titles_are_read_as_a_browser_shows_them() {
        assert_eq!(
            super::title(b"<title>AT&amp;T &lt;proxy&gt; &#84;&#x72;y &copy; &#xZZ; & x</title>")
                .as_deref(),
            Some("AT&T <proxy> Try &copy; &#xZZ; & x")
        );
    }

    #[test]
    fn chunked_bodies_are_read_without_their_framing() {
        assert_eq!(
            super::dechunk(b"9\r\nMicrosoft\r\nd;x=1\r\n Connect Test\r\n0\r\n\r\n"),
            b"Microsoft Connect Test"
        );
        // Cut short, or not chunked at all: what came, never a panic.
        assert_eq!(super::dechunk(b"10\r\nabc"), b"abc");
        assert_eq!(super::dechunk(b"zz\r\nabc"), b"");
    }

    use super::*;

    #[test]
    fn heads_parse_and_junk_is_refused_early() {
        let h = parse_head(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"Corp Proxy\"\r\nProxy-Authenticate: NTLM\r\nProxy-Authenticate: Negotiate\r\nServer: squid/6.1\r\n\r\nbody")
            .unwrap()
            .unwrap();
        assert_eq!(
            (h.status, h.reason.as_str()),
            (407, "Proxy Authentication Required")
        );
        assert_eq!(h.rest, b"body");
        let c = challenges(&h);
        assert_eq!(c.len(), 3);
        assert_eq!(
            c[0],
            Challenge {
                scheme: "Basic".into(),
                realm: Some("Corp Proxy".into())
            }
        );
        assert_eq!(c[1].scheme, "NTLM");
        assert_eq!(product(&h, b""), Some("Squid"));
        // Several challenges in one header, an empty header, and a realm
        // holding a comma.
        let h = parse_head(b"HTTP/1.1 407 x\r\nProxy-Authenticate: \r\nProxy-Authenticate: Negotiate, Basic realm=\"a, b\", charset=\"UTF-8\", NTLM\r\nProxy-Authenticate: Bearer\r\n\r\n")
            .unwrap()
            .unwrap();
        let c = challenges(&h);
        let schemes: Vec<&str> = c.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["Negotiate", "Basic", "NTLM", "Bearer"]);
        assert_eq!(c[1].realm.as_deref(), Some("a, b"));
        assert_eq!(
            parse_head(b"HTTP/1.1 200 OK\r\n").unwrap(),
            None,
            "incomplete"
        );
        assert!(matches!(
            parse_head(b"\x16\x03\x01\x02\x00garbage"),
            Err(HeadError::NotHttp(_))
        ));
        assert!(matches!(
            parse_head(b"HTTP/1.1 abc\r\n\r\n"),
            Err(HeadError::NotHttp(_))
        ));
        let endless = [
            b"HTTP/1.1 200 OK\r\nX: ".as_slice(),
            &vec![b'a'; MAX_HEAD + 10],
        ]
        .concat();
        assert_eq!(parse_head(&endless), Err(HeadError::TooLarge));
    }

    #[test]
    fn block_pages_name_their_product() {
        let h = parse_head(b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\n\r\n")
            .unwrap()
            .unwrap();
        let page = b"<html><head><title>\n  Zscaler   - Website blocked</title></head></html>";
        assert_eq!(title(page).as_deref(), Some("Zscaler - Website blocked"));
        assert_eq!(product(&h, page), Some("Zscaler"));
        let via = parse_head(b"HTTP/1.1 502 Bad Gateway\r\nVia: 1.1 proxy.corp (squid/5.7)\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\n\r\n").unwrap().unwrap();
        assert_eq!(product(&via, b""), Some("Squid"));
        let plain = parse_head(b"HTTP/1.1 403 Forbidden\r\nServer: nginx\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(product(&plain, b"<title>Forbidden</title>"), None);
    }
}
