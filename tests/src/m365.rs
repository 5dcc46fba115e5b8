//! Microsoft 365 endpoints feeds written from the documented schema of the
//! web service (`GET /endpoints/{instance}`), as JSON and as its CSV form,
//! with our own endpoint sets.

use serde_json::{Value, json};

/// The CSV form's header, in the service's order.
pub const CSV_HEADER: &str = "id,serviceArea,serviceAreaDisplayName,urls,ips,tcpPorts,udpPorts,expressRoute,category,required,notes";

/// A feed: every trait the service's answer has. Sets with URLs and
/// blocks on 80 and 443, a wildcard and a per-tenant pattern, SMTP on 25
/// under a wildcard, a UDP-only media set, a set with TCP and UDP ports,
/// mail client ports (587, 993) and a set marked optional with notes.
pub fn feed_sets() -> Vec<Value> {
    vec![
        json!({
            "id": 1, "serviceArea": "Exchange", "serviceAreaDisplayName": "Exchange Online",
            "urls": ["outlook.office.com", "outlook.office365.com"],
            "ips": ["13.107.6.152/31", "2603:1006::/40"],
            "tcpPorts": "80,443", "expressRoute": true, "category": "Optimize", "required": true
        }),
        json!({
            "id": 8, "serviceArea": "Exchange", "serviceAreaDisplayName": "Exchange Online",
            "urls": ["*.outlook.com", "autodiscover.*.onmicrosoft.com"],
            "tcpPorts": "80,443", "expressRoute": false, "category": "Default", "required": false,
            "notes": "Optional: Outlook on the web add-ins"
        }),
        json!({
            "id": 10, "serviceArea": "Exchange", "serviceAreaDisplayName": "Exchange Online",
            "urls": ["*.mail.protection.outlook.com"], "ips": ["40.92.0.0/15"],
            "tcpPorts": "25", "expressRoute": true, "category": "Allow", "required": true
        }),
        json!({
            "id": 11, "serviceArea": "Skype",
            "serviceAreaDisplayName": "Skype for Business Online and Microsoft Teams",
            "ips": ["13.107.64.0/18", "52.112.0.0/14"],
            "udpPorts": "3478,3479,3480,3481", "expressRoute": true, "category": "Optimize",
            "required": true
        }),
        json!({
            "id": 12, "serviceArea": "Skype",
            "serviceAreaDisplayName": "Skype for Business Online and Microsoft Teams",
            "urls": ["*.lync.com", "teams.microsoft.com"],
            "tcpPorts": "80,443", "udpPorts": "3478-3481", "expressRoute": true,
            "category": "Allow", "required": true
        }),
        json!({
            "id": 13, "serviceArea": "Skype",
            "serviceAreaDisplayName": "Skype for Business Online and Microsoft Teams",
            "urls": ["media.teams.example"], "udpPorts": "3478-3481",
            "expressRoute": false, "category": "Optimize", "required": true
        }),
        json!({
            "id": 20, "serviceArea": "Exchange", "serviceAreaDisplayName": "Exchange Online",
            "urls": ["smtp.office365.com"], "tcpPorts": "587,993",
            "expressRoute": false, "category": "Allow", "required": false
        }),
    ]
}

/// `sets` as the service's JSON answer.
pub fn json_feed(sets: &[Value]) -> String {
    serde_json::to_string_pretty(&Value::Array(sets.to_vec())).unwrap_or_default()
}

/// `sets` as the service's CSV answer (`format=csv`): lists joined with
/// commas in one quoted cell, booleans as True and False.
pub fn csv_feed(sets: &[Value]) -> String {
    let mut out = format!("{CSV_HEADER}\r\n");
    for set in sets {
        let cells: Vec<String> = CSV_HEADER
            .split(',')
            .map(|field| match &set[field] {
                Value::Null => String::new(),
                Value::Bool(true) => "True".into(),
                Value::Bool(false) => "False".into(),
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                Value::Object(_) => String::new(),
            })
            .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}
