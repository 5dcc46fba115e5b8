//! The tool as people install and live with it: `--version`.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use pathprobe_tests::{run, stdout, workspace_root};

#[test]
fn version_names_the_build_and_the_embedded_catalog() {
    let out = run(["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_owned()
    };
    assert!(
        text.starts_with(&format!("pathprobe {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let built = field("built");
    assert!(
        built.len() == 10 && jiff::civil::Date::strptime("%Y-%m-%d", &built).is_ok(),
        "{built}"
    );
    assert_eq!(
        field("target").split('-').next(),
        Some(std::env::consts::ARCH)
    );
    let catalog = field("catalog");
    assert!(
        catalog.starts_with("Microsoft Defender for Endpoint") && catalog.contains("from https://"),
        "{catalog}"
    );
    // In a git checkout the commit is the one built.
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(workspace_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    match head {
        Some(head) => assert!(field("commit").starts_with(&head), "{text}"),
        None => eprintln!("not a git checkout: the commit is not compared"),
    }
    // -V stays one line, for scripts.
    assert_eq!(
        stdout(&run(["-V"])),
        format!("pathprobe {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_shipped_bash_completion_completes_subcommands_and_values() {
    let script = workspace_root().join("diag/contrib/completions/pathprobe.bash");
    let complete = |words: &str, cword: usize, cur: &str, prev: &str| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {}; COMP_WORDS=({words}); COMP_CWORD={cword}; _pathprobe pathprobe '{cur}' '{prev}'; echo \"${{COMPREPLY[@]}}\"",
                script.display()
            ))
            .output()
            .expect("bash");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(complete("pathprobe urls ex", 2, "ex", "urls"), "export");
    assert_eq!(
        complete("pathprobe fix r.json --as ''", 4, "", "--as"),
        "domains squid pac csv json text"
    );
    let top = complete("pathprobe ''", 1, "", "pathprobe");
    assert!(top.contains("check") && top.contains("fix"), "{top}");
    assert!(!top.contains("__"), "internal commands offered: {top}");
}
