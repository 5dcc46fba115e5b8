//! The configuration file reader: TOML, then every key and value through the
//! options of the commands that take them, sites and contradictions.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pathprobe::check_config("fuzz.toml", text);
    }
});
