//! How long loading a vendor workbook takes, side by side with the usual
//! alternative: a Python script reading the same file with openpyxl.
//!
//! Run with `scripts/bench-catalog.sh` (it installs openpyxl), or
//! `cargo bench -p pathprobe-urls --bench load`. Uses the real workbooks from
//! `../shared/data/mde` (or `PATHPROBE_SHARED_DATA`) when present, else prints
//! why it has nothing to measure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 50;

const OPENPYXL: &str = r#"
import statistics, sys, time
import openpyxl
path, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    t = time.perf_counter()
    wb = openpyxl.load_workbook(path)
    rows = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    times.append(time.perf_counter() - t)
print(statistics.median(times) * 1000, min(times) * 1000)
"#;

fn shared_dir() -> Option<PathBuf> {
    let mut c = Vec::new();
    if let Ok(d) = std::env::var("PATHPROBE_SHARED_DATA") {
        c.push(PathBuf::from(d));
    }
    c.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"));
    c.into_iter().map(|d| d.join("mde")).find(|d| d.is_dir())
}

fn median_ms(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[v.len() / 2]), ms(v[0]))
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: stay quick then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Some(dir) = shared_dir() else {
        println!("skipped: no vendor workbooks on this machine (set PATHPROBE_SHARED_DATA)");
        return;
    };
    println!(
        "{:<48} {:>14} {:>14} {:>8}",
        "workbook", "pathprobe ms", "openpyxl ms", "speedup"
    );
    println!(
        "{:<48} {:>14} {:>14} {:>8}",
        "", "median (min)", "median (min)", ""
    );
    for file in [
        "mde-urls-2021-03.xlsx",
        "mde-streamlined-urls-commercial-2024-05.xlsx",
    ] {
        let path = dir.join(file);
        let mut times = Vec::with_capacity(RUNS);
        let mut endpoints = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let c = pathprobe_urls::load(&path).unwrap();
            times.push(t.elapsed());
            endpoints = c.endpoints.len();
        }
        let (ours, ours_min) = median_ms(times);
        let python = Command::new("python3")
            .args(["-c", OPENPYXL, path.to_str().unwrap(), &RUNS.to_string()])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| {
                let s = String::from_utf8_lossy(&o.stdout).to_string();
                let mut it = s.split_whitespace().map(|x| x.parse::<f64>().ok());
                Some((it.next()??, it.next()??))
            });
        let (alt, speed) = match python {
            Some((med, min)) => (
                format!("{med:.2} ({min:.2})"),
                format!("{:.1}x", med / ours),
            ),
            None => ("n/a: no openpyxl".to_string(), "-".to_string()),
        };
        println!(
            "{:<48} {:>14} {:>14} {:>8}",
            format!("{file} ({endpoints} rows)"),
            format!("{ours:.2} ({ours_min:.2})"),
            alt,
            speed
        );
    }
}
