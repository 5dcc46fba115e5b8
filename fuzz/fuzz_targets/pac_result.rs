//! What `FindProxyForURL` returns is the script author's text: any string.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pathprobe_pac::parse_pac_result(text);
    }
});
