//! The files commands read besides catalogs and PAC scripts, each with its
//! limit. pathprobe-files refuses pipes and devices and bounds the size, so
//! `/dev/zero` or a FIFO named as any input is an error, not a hang.

use std::path::Path;

use pathprobe_files::ReadError;
use pathprobe_reports::CheckReport;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use crate::exit::UsageError;

const MIB: u64 = 1024 * 1024;
/// A saved report: what `check` writes for the most endpoints a catalog
/// may have (200,000, about 2 KiB each with their findings) fits.
pub const REPORT_BYTES: u64 = 512 * MIB;
/// A configuration file, a lab scenario, a settings file of the system.
pub const SMALL_BYTES: u64 = MIB;
/// Certificates to trust (a whole CA bundle is under 1 MiB).
pub const CERT_BYTES: u64 = 4 * MIB;
/// A list of URLs, one a line.
pub const LIST_BYTES: u64 = 64 * MIB;

/// Reads a text file of at most `limit` bytes.
pub fn text(path: &Path, limit: u64) -> Result<String, ReadError> {
    pathprobe_files::read_text(path, limit)
}

/// A system file shown for information (`resolv.conf`, the host name):
/// empty when it cannot be read.
pub fn system_text(path: &Path) -> Result<String, ReadError> {
    pathprobe_files::read(path, SMALL_BYTES).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Reads a saved JSON report (exit 2 when it cannot be used).
pub fn read_report(path: &Path) -> anyhow::Result<CheckReport> {
    let text = text(path, REPORT_BYTES)?;
    let report = CheckReport::from_json(&text, &path.display().to_string())?;
    if let Some((repeats, (first, again, url))) = repeated_results(&report) {
        crate::output::warn(&format!(
            "{}: {repeats} result(s) repeat one listed before them word for word (results[{first}] and results[{again}]: {}); a run never writes a result twice, so this report was edited or joined: it is shown as written",
            pathprobe_files::shown_path(path),
            pathprobe_files::quote::quoted(&crate::output::without_secrets(&url)),
        ));
    }
    Ok(report)
}

/// How many results repeat one listed before them word for word, and the
/// first pair (indices and URL). A run never writes one result twice, to
/// its timings: copies are an edited or joined file (round 19: 5,000
/// copies rendered without a word). Two results of one URL from rows that
/// differ are a run's own (round 21).
fn repeated_results(report: &CheckReport) -> Option<(usize, (usize, usize, String))> {
    // Only results of a URL listed more than once are compared whole: a
    // report of 200,000 results is not written out again to find none.
    let mut of_url: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in &report.results {
        *of_url.entry(r.url.as_str()).or_default() += 1;
    }
    let mut first_at: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    let mut repeats = 0usize;
    let mut example = None;
    for (i, r) in report.results.iter().enumerate() {
        if r.verdict == pathprobe_reports::Verdict::NotProbed
            || of_url.get(r.url.as_str()).is_none_or(|n| *n < 2)
        {
            continue;
        }
        let whole = {
            use std::hash::{Hash as _, Hasher as _};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            serde_json::to_string(r).unwrap_or_default().hash(&mut h);
            h.finish()
        };
        match first_at.get(&whole) {
            Some(&first) => {
                repeats += 1;
                example.get_or_insert((first, i, r.url.clone()));
            }
            None => {
                first_at.insert(whole, i);
            }
        }
    }
    example.map(|e| (repeats, e))
}

/// The certificates of `--ca-cert` files: every PEM block must hold a
/// certificate that parses, so a damaged file is an error here rather than a
/// trust anchor that never matches.
pub fn ca_certs(paths: &[std::path::PathBuf]) -> Result<Vec<CertificateDer<'static>>, UsageError> {
    let mut anchors = Vec::new();
    for path in paths {
        let shown = path.display();
        let bytes = pathprobe_files::read(path, CERT_BYTES)
            .map_err(|e| UsageError(format!("--ca-cert {e}")))?;
        let mut count = 0usize;
        for cert in CertificateDer::pem_slice_iter(&bytes) {
            count += 1;
            // A PEM block that does not decode may be any block (a key
            // beside the certificates): named by its place among the
            // blocks read so far, in words (round 22: the end marker's
            // bytes, "InvalidTrailingPadding").
            let cert = cert.map_err(|e| {
                UsageError(format!(
                    "--ca-cert {shown}: {} cannot be read: {}",
                    match count - 1 {
                        0 => "the first PEM block".to_owned(),
                        n => format!("the PEM block after certificate {n}"),
                    },
                    pem_words(&e)
                ))
            })?;
            match x509_parser::parse_x509_certificate(cert.as_ref()) {
                Ok(([], _)) => {}
                Ok(_) => {
                    return Err(UsageError(format!(
                        "--ca-cert {shown}: certificate {count} has bytes after its end: damaged"
                    )));
                }
                Err(_) => {
                    return Err(UsageError(format!(
                        "--ca-cert {shown}: certificate {count} is damaged: its content is no X.509 certificate (the base64 between its BEGIN and END lines decodes to something else)"
                    )));
                }
            }
            anchors.push(cert);
        }
        if count == 0 {
            return Err(UsageError(format!(
                "--ca-cert {shown}: no PEM certificate in the file"
            )));
        }
    }
    Ok(anchors)
}

/// What is wrong with a PEM file, in words.
fn pem_words(e: &rustls::pki_types::pem::Error) -> String {
    use rustls::pki_types::pem::Error as E;
    match e {
        E::MissingSectionEnd { end_marker } => format!(
            "it has no \"-----END {}-----\" line (cut short?)",
            pathprobe_files::quote::visible(&pathprobe_files::quote::excerpt(
                &String::from_utf8_lossy(end_marker),
                60
            ))
        ),
        E::IllegalSectionStart { line } => format!(
            "its BEGIN line is not one ({})",
            pathprobe_files::quote::quoted(&String::from_utf8_lossy(line))
        ),
        E::Base64Decode(_) => "its content is not base64 (cut short, or damaged in copying)".into(),
        E::SectionTooLarge => "a block is larger than 256 MB".into(),
        other => other.to_string(),
    }
}

/// This machine's name (Linux).
pub(crate) fn hostname() -> Option<String> {
    system_text(std::path::Path::new("/proc/sys/kernel/hostname"))
        .or_else(|_| system_text(std::path::Path::new("/etc/hostname")))
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
}
