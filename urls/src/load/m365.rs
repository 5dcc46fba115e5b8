//! The Microsoft 365 endpoints feed, as `GET /endpoints/{instance}` of the
//! IP address and URL web service returns it: JSON (an array of endpoint
//! sets) or, with `format=csv`, a table with the same field names.
//!
//! ```json
//! [ { "id": 1, "serviceArea": "Exchange", "serviceAreaDisplayName": "Exchange Online",
//!     "urls": ["outlook.office.com"], "ips": ["13.107.6.152/31"],
//!     "tcpPorts": "80,443", "expressRoute": true, "category": "Optimize",
//!     "required": true } ]
//! ```
//!
//! One endpoint set becomes one catalog entry per URL and TCP port (443 as
//! https, 80 as http, any other as a TLS or connection probe), one per
//! address block (listed, never probed), and one per URL of a set naming
//! only UDP ports (listed, with the reason). The feed's category
//! (Optimize, Allow, Default) is the category, the service area's display
//! name the service, `required` the requirement, `notes` the comments.

use std::path::Path;

use serde::Deserialize;

use super::info_for;
use crate::error::{CatalogError, Origin, Result};
use crate::geo::Geography;
use crate::model::{
    AddressRange, Catalog, Depth, Endpoint, Notice, Platforms, PortSpan, Requirement,
    SourceLocation, Target,
};
use crate::pattern::{Parsed, parse_item};

/// The field names of the feed's CSV form, in its order.
pub(crate) const CSV_FIELDS: [&str; 11] = [
    "id",
    "serviceArea",
    "serviceAreaDisplayName",
    "urls",
    "ips",
    "tcpPorts",
    "udpPorts",
    "expressRoute",
    "category",
    "required",
    "notes",
];

/// The most TCP ports one endpoint set is probed on: a set naming a wide
/// range is listed whole, the ports past this named in a notice.
const MAX_PORTS_PER_SET: usize = 32;

/// True when a header line is the feed's: it names `serviceArea` and
/// `tcpPorts`, which no other catalog does.
pub(crate) fn is_feed_header(cells: &[&str]) -> bool {
    let has = |name: &str| {
        cells
            .iter()
            .any(|c| c.trim().trim_matches('"').eq_ignore_ascii_case(name))
    };
    has("serviceArea") && has("tcpPorts")
}

/// One endpoint set of the feed.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EndpointSet {
    id: Option<serde_json::Value>,
    service_area: Option<String>,
    service_area_display_name: Option<String>,
    #[serde(default)]
    urls: Vec<String>,
    #[serde(default)]
    ips: Vec<String>,
    tcp_ports: Option<String>,
    udp_ports: Option<String>,
    express_route: Option<bool>,
    category: Option<String>,
    required: Option<bool>,
    notes: Option<String>,
}

/// Reads the JSON form.
pub(crate) fn load_feed_json(path: &Path, bytes: &[u8]) -> Result<Catalog> {
    let text = std::str::from_utf8(bytes)
        .unwrap_or_default()
        .trim_start_matches('\u{feff}');
    let json_error = |line: Option<usize>, message: String| CatalogError::Json {
        origin: Origin {
            file: path.to_path_buf(),
            sheet: None,
            line: line.and_then(|l| u32::try_from(l).ok()).filter(|l| *l > 0),
        },
        message,
    };
    let sets: Vec<EndpointSet> = serde_json::from_str(text).map_err(|e| {
        json_error(
            Some(e.line()),
            format!(
                "not the Microsoft 365 endpoints feed (an array of endpoint sets): {}",
                pathprobe_files::words::serde_message_in_line(&e.to_string())
            ),
        )
    })?;
    let lines = element_lines(text);
    let mut ids = std::collections::HashSet::new();
    let mut catalog = Catalog {
        info: feed_info(path),
        endpoints: Vec::new(),
        notices: Vec::new(),
    };
    for (i, set) in sets.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        add_set(path, line, set, &mut catalog, &mut ids)?;
    }
    Ok(catalog)
}

/// Reads the CSV form (`format=csv`).
pub(crate) fn load_feed_csv(path: &Path, bytes: &[u8]) -> Result<Catalog> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let quoted = super::read_quotes(body, b',');
    let body = quoted.as_deref().unwrap_or(body);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    // The reader's own line count is one short after CRLF endings.
    let mut lines = super::table::LineCounter::new(body);
    let csv_error = |line: Option<u64>, message: String| CatalogError::Invalid {
        origin: Origin {
            file: path.to_path_buf(),
            sheet: None,
            line: line.and_then(|l| u32::try_from(l).ok()),
        },
        message,
    };
    if let Err(problem) = &quoted {
        return Err(csv_error(Some(u64::from(problem.line())), problem.words()));
    }
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(Some(1), e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| header.iter().position(|h| *h == name.to_ascii_lowercase());
    // A field named twice would have one of its columns read and the other
    // dropped in silence: the file is refused, naming both.
    for field in CSV_FIELDS {
        let at: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| **h == field.to_ascii_lowercase())
            .map(|(i, _)| i + 1)
            .collect();
        if let [first, second, ..] = at.as_slice() {
            return Err(csv_error(
                Some(1),
                format!(
                    "the header names {field} twice (columns {first} and {second}): keep one, so that no column is left unread"
                ),
            ));
        }
    }
    let columns: Vec<Option<usize>> = CSV_FIELDS.iter().map(|f| column(f)).collect();
    let mut catalog = Catalog {
        info: feed_info(path),
        endpoints: Vec::new(),
        notices: Vec::new(),
    };
    let mut ids = std::collections::HashSet::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| u64::from(lines.line_at(p.byte())));
                return Err(csv_error(line, format!("malformed CSV: {e}")));
            }
        }
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let cell = |field: usize| -> Option<String> {
            let at = (*columns.get(field)?)?;
            let text = record.get(at)?.trim();
            (!text.is_empty()).then(|| text.to_owned())
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            notice(
                &mut catalog,
                path,
                line,
                format!(
                    "line {line} has {} cells where the header names {}: the missing ones are read as empty, extra ones are not read",
                    record.len(),
                    header.len()
                ),
            );
        }
        let list = |field: usize| -> Vec<String> {
            cell(field)
                .map(|c| {
                    c.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let flag = |field: usize, name: &str| -> Result<Option<bool>> {
            match cell(field)
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                None => Ok(None),
                Some("true") => Ok(Some(true)),
                Some("false") => Ok(Some(false)),
                Some(other) => Err(csv_error(
                    Some(u64::from(line)),
                    format!(
                        "{name} is {}, not True or False",
                        pathprobe_files::quote::quoted(other)
                    ),
                )),
            }
        };
        let set = EndpointSet {
            id: cell(0).map(serde_json::Value::String),
            service_area: cell(1),
            service_area_display_name: cell(2),
            urls: list(3),
            ips: list(4),
            tcp_ports: cell(5),
            udp_ports: cell(6),
            express_route: flag(7, "expressRoute")?,
            category: cell(8),
            required: flag(9, "required")?,
            notes: cell(10),
        };
        add_set(path, line, set, &mut catalog, &mut ids)?;
    }
    Ok(catalog)
}

fn feed_info(path: &Path) -> crate::model::CatalogInfo {
    let mut info = info_for(path);
    info.name = "Microsoft 365 endpoints".into();
    info
}

/// The catalog entries of one endpoint set, read at `line`.
fn add_set(
    path: &Path,
    line: u32,
    set: EndpointSet,
    catalog: &mut Catalog,
    ids: &mut std::collections::HashSet<String>,
) -> Result<()> {
    let id = match &set.id {
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::String(s)) => s.trim().to_owned(),
        _ => String::new(),
    };
    let at = |what: &str| {
        if id.is_empty() {
            format!("endpoint set at line {line}: {what}")
        } else {
            format!(
                "endpoint set {}: {what}",
                pathprobe_files::quote::quoted(&id)
            )
        }
    };
    let invalid = |message: String| CatalogError::Invalid {
        origin: Origin {
            file: path.to_path_buf(),
            sheet: None,
            line: Some(line),
        },
        message,
    };
    let ports = |text: &Option<String>, name: &str| -> Result<Vec<PortSpan>> {
        PortSpan::parse_list(text.as_deref().unwrap_or_default())
            .map_err(|e| invalid(at(&format!("{name}: {e}"))))
    };
    let tcp = ports(&set.tcp_ports, "tcpPorts")?;
    let udp = ports(&set.udp_ports, "udpPorts")?;
    let requirement = match set.required {
        Some(true) => Requirement::Required,
        Some(false) => Requirement::Optional,
        None => Requirement::Unstated,
    };
    let mut comments = Vec::new();
    if let Some(notes) = set
        .notes
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        comments.push(notes.to_owned());
    }
    if !tcp.is_empty() && !udp.is_empty() {
        comments.push(format!("also UDP {} (not probed)", PortSpan::list(&udp)));
    }
    if let Some(express) = set.express_route {
        comments.push(format!(
            "ExpressRoute: {}",
            if express { "yes" } else { "no" }
        ));
    }
    let service = set
        .service_area_display_name
        .clone()
        .or_else(|| set.service_area.clone());
    let section = (!id.is_empty()).then(|| format!("id {id}"));
    // The feed numbers its sets with whole numbers; one past 64 bits, or
    // with a fraction, is read as a float and shown as one (1e+23).
    if let Some(serde_json::Value::Number(n)) = &set.id
        && !(n.is_u64() || n.is_i64())
    {
        notice(
            catalog,
            path,
            line,
            at("the id is not a whole number of at most 64 bits: it is shown as read"),
        );
    }
    if !id.is_empty() && !ids.insert(id.clone()) {
        notice(
            catalog,
            path,
            line,
            at("this id was used by an earlier set too: both are read"),
        );
    }
    let entry = |target: Target, port: Option<u16>, item: u32, udp_only: Vec<PortSpan>| {
        // How far a probe goes: for a URL only (a block is never probed).
        let depth = matches!(target, Target::Url(_))
            .then_some(port)
            .flatten()
            .filter(|p| !matches!(p, 80 | 443))
            .map(Depth::for_port);
        Endpoint {
            target,
            port,
            geography: Geography::Worldwide,
            category: set.category.clone(),
            service: service.clone(),
            description: set.service_area.clone(),
            comments: (!comments.is_empty()).then(|| comments.join("; ")),
            requirement,
            platforms: Platforms::default(),
            udp_only,
            depth,
            source: SourceLocation {
                file: path.to_path_buf(),
                sheet: None,
                section: section.clone(),
                line,
                item: Some(item),
            },
        }
    };
    // Each port of the set, ranges spelt out, up to the limit.
    let mut probed: Vec<u16> = Vec::new();
    for span in &tcp {
        for port in span.first..=span.last {
            if probed.len() == MAX_PORTS_PER_SET {
                break;
            }
            if !probed.contains(&port) {
                probed.push(port);
            }
        }
    }
    // Checked before the entries are made: a set's URLs and blocks times
    // its ports could otherwise fill memory before the catalog's own check.
    let coming = (set.urls.len().saturating_add(set.ips.len()))
        .saturating_mul(probed.len().max(1))
        .saturating_add(catalog.endpoints.len());
    if coming > super::MAX_ENDPOINTS {
        return Err(invalid(at(&format!(
            "the feed comes to more than the {} endpoints a URL list can have",
            super::MAX_ENDPOINTS
        ))));
    }
    // Each port once: `443,443` names one.
    let named = PortSpan::count(&tcp);
    if named > probed.len() {
        notice(
            catalog,
            path,
            line,
            at(&format!(
                "names {named} TCP ports ({}); the first {} are probed",
                PortSpan::list(&PortSpan::merged(&tcp)),
                probed.len()
            )),
        );
    }
    if tcp.is_empty() && udp.is_empty() && !set.urls.is_empty() {
        notice(
            catalog,
            path,
            line,
            at("names no TCP or UDP port: its URLs are probed on 443 (https)"),
        );
    }
    // One entry per TCP port, or one listing the UDP ports.
    let add = |catalog: &mut Catalog, target: Target, item: u32| {
        if probed.is_empty() {
            catalog
                .endpoints
                .push(entry(target, None, item, udp.clone()));
            return;
        }
        for port in &probed {
            catalog
                .endpoints
                .push(entry(target.clone(), Some(*port), item, Vec::new()));
        }
    };
    let mut item = 0u32;
    for url in &set.urls {
        item += 1;
        let target = match parse_item(url) {
            // The feed's ports say how each URL is reached: a scheme or port
            // written in the URL itself would probe plain HTTP on 443.
            Parsed::Url(mut u) if u.scheme.is_some() || u.port.is_some() => {
                notice(
                    catalog,
                    path,
                    line,
                    at(&format!(
                        "{} names a scheme or port of its own; the set's ports decide how it is probed",
                        pathprobe_files::quote::quoted(url)
                    )),
                );
                u.scheme = None;
                u.port = None;
                Target::Url(u)
            }
            Parsed::Url(u) => Target::Url(u),
            Parsed::Prose(text) => Target::Prose { text },
        };
        add(catalog, target, item);
    }
    for ip in &set.ips {
        item += 1;
        let range: AddressRange = ip
            .parse()
            .map_err(|e: String| invalid(at(&format!("ips: {e}"))))?;
        let network = range.network();
        if network != range {
            notice(
                catalog,
                path,
                line,
                at(&format!(
                    "the block {range} has bits set past its prefix: read as {network}, as a firewall would"
                )),
            );
        }
        if network.is_wide() {
            notice(
                catalog,
                path,
                line,
                at(&format!(
                    "the block {network} is wider than any one service holds: allowing it opens most of the internet"
                )),
            );
        }
        let range = network;
        let target = Target::Addresses { range };
        add(catalog, target, item);
    }
    if set.urls.is_empty() && set.ips.is_empty() {
        notice(catalog, path, line, at("names no URL and no address block"));
    }
    Ok(())
}

/// Something the loader noticed at `line` of `path`.
fn notice(catalog: &mut Catalog, path: &Path, line: u32, message: String) {
    catalog.notices.push(Notice {
        location: format!("{}:{line}", display_name(path)),
        message,
    });
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The line each element of a top-level JSON array starts on (1-based), so
/// that every entry names where it was read; strings and nesting are
/// stepped over.
fn element_lines(text: &str) -> Vec<u32> {
    let mut lines = Vec::new();
    let mut line = 1u32;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_scalar = false;
    let mut escaped = false;
    for c in text.chars() {
        if c == '\n' {
            line = line.saturating_add(1);
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if in_scalar {
            if c.is_whitespace() || matches!(c, ',' | ']') {
                in_scalar = false;
            } else {
                continue;
            }
        }
        match c {
            '"' | '[' | '{' if depth == 1 => lines.push(line),
            _ => {}
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            // A number, true, false or null as an element.
            c if depth == 1 && !c.is_whitespace() && c != ',' => {
                lines.push(line);
                in_scalar = true;
            }
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_lines_step_over_strings_and_nesting() {
        let text = "[\n {\"a\": \"}{[\\\"\"},\n {\"b\": [1,\n 2]}\n]";
        assert_eq!(element_lines(text), vec![2, 3]);
    }

    fn feed(json: &str) -> Result<Catalog> {
        load_feed_json(Path::new("feed.json"), json.as_bytes())
    }

    #[test]
    fn repeated_ports_are_counted_once() {
        let c = feed("[{\"id\": 1, \"urls\": [\"a.example\"], \"tcpPorts\": \"443,443,443,443\"}]")
            .unwrap();
        assert_eq!(c.endpoints.len(), 1);
        assert!(c.notices.is_empty(), "{:?}", c.notices);
        let c = feed("[{\"id\": 1, \"urls\": [\"a.example\"], \"tcpPorts\": \"1-65535,1-65535\"}]")
            .unwrap();
        let said: Vec<&str> = c.notices.iter().map(|n| n.message.as_str()).collect();
        assert!(
            said.iter()
                .any(|m| m.contains("names 65535 TCP ports (1-65535); the first 32")),
            "{said:?}"
        );
    }

    #[test]
    fn a_csv_field_named_twice_is_refused_naming_both_columns() {
        let csv =
            "id,serviceArea,urls,urls,tcpPorts\n1,Exchange,a.example.test,b.example.test,443\n";
        let e = load_feed_csv(Path::new("feed.csv"), csv.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("feed.csv, line 1") && e.contains("urls twice (columns 3 and 4)"),
            "{e}"
        );
    }

    #[test]
    fn a_bad_value_names_the_set_and_its_line() {
        let bad_port = "[\n {\"id\": 1, \"urls\": [\"a.example\"], \"tcpPorts\": \"443\"},\n {\"id\": 7, \"urls\": [\"b.example\"], \"tcpPorts\": \"80,x\"}\n]";
        let e = feed(bad_port).unwrap_err().to_string();
        assert!(
            e.starts_with("feed.json, line 3: endpoint set \"7\": tcpPorts: \"x\" is not a port"),
            "{e}"
        );
        let backwards = "[{\"id\": 2, \"urls\": [\"a.example\"], \"udpPorts\": \"3481-3478\"}]";
        let e = feed(backwards).unwrap_err().to_string();
        assert!(e.contains("runs backwards"), "{e}");
        let bad_block = "[{\"id\": 3, \"ips\": [\"13.107.6.152/33\"], \"tcpPorts\": \"443\"}]";
        let e = feed(bad_block).unwrap_err().to_string();
        assert!(
            e.contains("\"/33\" is not a prefix length (0 to 32)"),
            "{e}"
        );
        let not_a_feed = "[1, 2]";
        let e = feed(not_a_feed).unwrap_err().to_string();
        assert!(e.contains("not the Microsoft 365 endpoints feed"), "{e}");
    }

    #[test]
    fn wide_port_ranges_are_probed_up_to_the_limit_and_said() {
        let c =
            feed("[{\"id\": 4, \"urls\": [\"a.example\"], \"tcpPorts\": \"1000-1099\"}]").unwrap();
        assert_eq!(c.endpoints.len(), MAX_PORTS_PER_SET);
        assert!(
            c.notices[0]
                .message
                .contains("names 100 TCP ports (1000-1099); the first 32 are probed")
        );
        let huge = format!(
            "[{{\"id\": 5, \"ips\": [{}], \"tcpPorts\": \"1-65535\"}}]",
            vec!["\"10.0.0.0/8\""; 7000].join(",")
        );
        let e = feed(&huge).unwrap_err().to_string();
        assert!(e.contains("more than the 200000 endpoints"), "{e}");
    }

    #[test]
    fn the_sets_ports_decide_how_a_url_is_probed() {
        let c = feed("[{\"id\": 6, \"urls\": [\"http://a.example/x\", \"b.example:8080\"], \"tcpPorts\": \"443\"}]").unwrap();
        for e in &c.endpoints {
            assert_eq!(e.effective_port(), 443);
            assert_eq!(e.scheme(), crate::pattern::Scheme::Https);
        }
        assert_eq!(c.notices.len(), 2);
        assert!(c.notices[0].message.contains("the set's ports decide"));
    }

    #[test]
    fn feed_header_is_recognised_by_its_own_fields() {
        assert!(is_feed_header(&CSV_FIELDS));
        assert!(is_feed_header(&["ID", "ServiceArea", "URLs", "TCPPorts"]));
        assert!(!is_feed_header(&["url", "category", "port"]));
    }
}
