//! Records what `pathprobe --version` reports about the build: the git
//! commit, the build date and the target triple. Outside a git checkout
//! (a crate or source tarball) the commit is "unknown".

use std::process::Command;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let commit_date = git(&["log", "-1", "--format=%cs"]).unwrap_or_default();
    // Reproducible builds set SOURCE_DATE_EPOCH; otherwise today (UTC).
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    println!("cargo:rustc-env=PATHPROBE_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=PATHPROBE_GIT_DATE={commit_date}");
    println!("cargo:rustc-env=PATHPROBE_BUILD_DATE={}", civil_date(epoch));
    println!(
        "cargo:rustc-env=PATHPROBE_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
    // A new commit or branch switch rebuilds the version text.
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        let p = root.join(path);
        if p.exists() {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-changed=build.rs");
}

/// `YYYY-MM-DD` of a Unix time (days-from-civil, inverted).
fn civil_date(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
