//! The lab scenario reader (`lab --scenario FILE`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pathprobe::lab::Scenario::parse("fuzz.toml", text);
    }
});
