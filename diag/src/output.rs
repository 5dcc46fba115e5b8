//! Writing to stdout/stderr: tables sized to the terminal, colour only on a TTY
//! without NO_COLOR, and a closed pipe (`| head`) treated as success.

use std::io::{IsTerminal, Write};

use pathprobe_reports::TableStyle;

/// Table style for stdout.
pub fn table_style(verbose: bool) -> TableStyle {
    let tty = std::io::stdout().is_terminal();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .or_else(|| {
            if tty {
                comfy_table::Table::new().width()
            } else {
                None
            }
        })
        // Piped output is read in editors and tickets: wide, not wrapped to 80.
        .unwrap_or(160);
    TableStyle {
        width,
        color: tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        verbose,
    }
}

/// Writes `text` to stdout; a reader that went away is not an error.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A warning for people, on stderr.
pub fn warn(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "pathprobe: warning: {text}");
}
