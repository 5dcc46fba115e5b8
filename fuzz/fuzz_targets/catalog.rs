//! Catalog loaders: the first byte picks the form (workbook, CSV, text,
//! JSON), the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let name = match which % 4 {
        0 => "catalog.xlsx",
        1 => "catalog.csv",
        2 => "catalog.txt",
        _ => "catalog.json",
    };
    let _ = pathprobe_urls::load_bytes(
        std::path::Path::new(name),
        bytes,
        &pathprobe_urls::LoadOptions::default(),
    );
});
