//! A saved JSON report (`report render`, `report diff`, `fix`, `--baseline`,
//! `bundle inspect`): read, then rendered in every format and compared with
//! itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathprobe_reports::{CheckFormat, CheckReport, Comparison, TableStyle};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(report) = CheckReport::from_json(text, "fuzz.json") else {
        return;
    };
    for format in CheckFormat::ALL {
        let _ = report.render(format, &TableStyle::plain(80));
    }
    let _ = Comparison::new(&report, "before", &report, "after").required_regressions();
});
