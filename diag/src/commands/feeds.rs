//! The allow-list feeds `pathprobe serve` publishes for firewalls and PAC
//! servers that poll: stable paths, `ETag` and `Last-Modified`, answers of
//! `304 Not Modified` to `If-None-Match` and `If-Modified-Since`.

use jiff::Timestamp;
use pathprobe_reports::PacExport;
use sha2::{Digest, Sha256};

use crate::cli::ProbeArgs;

/// One published artefact.
#[derive(Debug, Clone)]
pub struct Feed {
    /// Its path (`/feeds/domains.txt`).
    pub path: &'static str,
    /// Its media type.
    pub content_type: &'static str,
    /// The body.
    pub body: String,
    /// Strong validator: a hash of the body, quoted.
    pub etag: String,
    /// When the body last changed (second precision, as HTTP dates are).
    pub modified: Timestamp,
}

/// The paths and how each is written.
pub const PATHS: [&str; 4] = [
    "/feeds/domains.txt",
    "/feeds/squid.acl",
    "/feeds/bypass.pac",
    "/feeds/endpoints.json",
];

/// Builds the feeds from the configured catalog and filters. `previous`
/// keeps a feed's validators when its body has not changed, so a poller
/// that rebuilds nothing downloads nothing.
pub fn build(args: &ProbeArgs, previous: &[Feed]) -> anyhow::Result<Vec<Feed>> {
    let list = crate::commands::export::configured_list(&args.catalog, &args.filter)?;
    let now = Timestamp::from_second(Timestamp::now().as_second()).unwrap_or(Timestamp::UNIX_EPOCH);
    let bodies = [
        (
            "/feeds/domains.txt",
            "text/plain; charset=utf-8",
            list.domains(false).text,
        ),
        (
            "/feeds/squid.acl",
            "text/plain; charset=utf-8",
            list.squid_acl().text,
        ),
        (
            "/feeds/bypass.pac",
            "application/x-ns-proxy-autoconfig",
            list.pac(&PacExport::default()).text,
        ),
        ("/feeds/endpoints.json", "application/json", list.json()?),
    ];
    Ok(bodies
        .into_iter()
        .map(|(path, content_type, body)| {
            let digest = Sha256::digest(body.as_bytes());
            let etag = format!("\"{}\"", hex(digest.iter().take(16)));
            let modified = previous
                .iter()
                .find(|f| f.path == path && f.etag == etag)
                .map_or(now, |f| f.modified);
            Feed {
                path,
                content_type,
                body,
                etag,
                modified,
            }
        })
        .collect())
}

fn hex<'a>(bytes: impl Iterator<Item = &'a u8>) -> String {
    bytes.map(|b| format!("{b:02x}")).collect()
}

/// An HTTP date: `Tue, 24 Nov 2026 12:00:00 GMT`.
pub fn http_date(at: Timestamp) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Whether the client's copy is current: `If-None-Match` decides when
/// present (RFC 9110, 13.2.2), else `If-Modified-Since`.
pub fn not_modified(
    feed: &Feed,
    if_none_match: Option<&str>,
    if_modified_since: Option<&str>,
) -> bool {
    if let Some(tags) = if_none_match {
        return tags.split(',').map(str::trim).any(|t| {
            t == "*" || t == feed.etag || t.strip_prefix("W/") == Some(feed.etag.as_str())
        });
    }
    if_modified_since
        .and_then(|since| jiff::fmt::rfc2822::parse(since.trim()).ok())
        .is_some_and(|since| feed.modified <= since.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed() -> Feed {
        Feed {
            path: "/feeds/domains.txt",
            content_type: "text/plain",
            body: "a.example\n".into(),
            etag: "\"abc\"".into(),
            modified: Timestamp::from_second(1_795_000_000).unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }

    #[test]
    fn validators_follow_rfc_9110() {
        let f = feed();
        let date = http_date(f.modified);
        assert_eq!(date, "Wed, 18 Nov 2026 11:06:40 GMT");
        assert!(not_modified(&f, Some("\"abc\""), None));
        assert!(not_modified(&f, Some("\"x\", W/\"abc\""), None));
        assert!(not_modified(&f, Some("*"), None));
        assert!(
            !not_modified(&f, Some("\"other\""), Some(&date)),
            "the tag decides"
        );
        assert!(not_modified(&f, None, Some(&date)));
        assert!(not_modified(
            &f,
            None,
            Some("Thu, 19 Nov 2026 00:00:00 GMT")
        ));
        assert!(!not_modified(
            &f,
            None,
            Some("Tue, 17 Nov 2026 00:00:00 GMT")
        ));
        assert!(!not_modified(&f, None, Some("yesterday")));
        assert!(!not_modified(&f, None, None));
    }
}
