//! Every `pathprobe` command the README shows parses with the current flags.
//! (The "Scenarios" section is also run, against a lab: tests/tests/readme.rs.)

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

/// The commands in the README's code blocks: continuation lines joined,
/// comments, redirections and pipes cut off, the prompt of console blocks
/// removed.
fn readme_commands(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let line = line.strip_prefix("$ ").unwrap_or(line);
        let (start, mut command) = match pending.take() {
            Some((start, so_far)) => (start, so_far + " " + line.trim()),
            None if line.trim_start().starts_with("pathprobe ") => (i + 1, line.trim().to_owned()),
            None => continue,
        };
        if let Some(stripped) = command.strip_suffix('\\') {
            command = stripped.trim_end().to_owned();
            pending = Some((start, command));
            continue;
        }
        out.push((start, command));
    }
    out
}

/// Shell words of the part before any `#`, `>`, `|`, `;` or `&&`, quotes removed.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, '#' | '>' | '|' | ';' | '&') => break,
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn every_command_in_the_readme_parses() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    let commands = readme_commands(&text);
    assert!(commands.len() >= 25, "{} commands found", commands.len());
    let mut broken = Vec::new();
    for (line, command) in &commands {
        let parsed = pathprobe::command().try_get_matches_from(words(command));
        if let Err(e) = parsed {
            broken.push(format!(
                "README.md:{line}: {command}\n  {}",
                e.to_string().lines().next().unwrap_or("")
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_shell_splitter_cuts_where_the_shell_would() {
    assert_eq!(
        words("pathprobe check --category \"Defender for Endpoint EU\" > out.txt"),
        [
            "pathprobe",
            "check",
            "--category",
            "Defender for Endpoint EU"
        ]
    );
    assert_eq!(
        words("pathprobe bundle inspect t.zip        # on the support side"),
        ["pathprobe", "bundle", "inspect", "t.zip"]
    );
    assert_eq!(words("pathprobe x ''"), ["pathprobe", "x", ""]);
}
