//! What a proxy or origin answers: the response head reader and what is
//! read from it (authentication challenges, product markers, page title).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathprobe::probe::http;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some(head)) = http::parse_head(data) {
        let _ = http::challenges(&head);
        let _ = http::product(&head, data);
    }
    let _ = http::title(data);
});
