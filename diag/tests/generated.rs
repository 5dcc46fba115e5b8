//! The committed completions and man pages are what the current flags
//! generate. `PATHPROBE_BLESS=1` rewrites them.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn completions_and_man_pages_match_the_flags() {
    let contrib = Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib");
    let bless = std::env::var_os("PATHPROBE_BLESS").is_some();
    let files = pathprobe::generate::files();
    assert!(files.len() > 10, "{} files", files.len());
    let mut stale = Vec::new();
    for (path, content) in &files {
        let full = contrib.join(path);
        if bless {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, content).unwrap();
        } else if std::fs::read(&full).ok().as_deref() != Some(content.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    // Nothing generated earlier is left behind for a command that is gone.
    for dir in ["completions", "man"] {
        for entry in std::fs::read_dir(contrib.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(&contrib).unwrap().to_path_buf();
            if !files.iter().any(|(p, _)| *p == relative) {
                if bless {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    stale.push(format!("{} (no longer generated)", relative.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "out of date with the flags: {stale:?}; run PATHPROBE_BLESS=1 cargo test -p pathprobe --test generated"
    );
    // Internal workers are neither completed nor documented.
    for (path, content) in &files {
        let text = String::from_utf8_lossy(content);
        assert!(
            !text.contains("__pac-worker") && !text.contains("__catalog-worker"),
            "{} mentions an internal command",
            path.display()
        );
    }
}
