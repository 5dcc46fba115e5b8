//! Writing to stdout/stderr: tables sized to the terminal, colour only on a TTY
//! without NO_COLOR, and a closed pipe (`| head`) treated as success.

use std::io::{IsTerminal, Write};

use pathprobe_reports::TableStyle;

/// Table style for stdout.
pub fn table_style(verbose: bool) -> TableStyle {
    let tty = std::io::stdout().is_terminal();
    let columns = std::env::var("COLUMNS").ok();
    let term = std::env::var("TERM").ok();
    style_for(tty, columns.as_deref(), term.as_deref(), verbose, || {
        comfy_table::Table::new().width()
    })
}

/// Narrower than any table can be read: a terminal (or `COLUMNS`) saying
/// so is mistaken, not a request for one character per column.
const MIN_WIDTH: u16 = 40;

fn style_for(
    tty: bool,
    columns: Option<&str>,
    term: Option<&str>,
    verbose: bool,
    terminal_width: impl Fn() -> Option<u16>,
) -> TableStyle {
    let width = columns
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|w| *w >= MIN_WIDTH)
        .or_else(|| {
            if tty {
                terminal_width().filter(|w| *w >= MIN_WIDTH)
            } else {
                None
            }
        })
        // Piped output is read in editors and tickets: wide, not wrapped to 80.
        .unwrap_or(if tty { 80 } else { 160 });
    TableStyle {
        width,
        // TERM=dumb: a terminal that shows escape codes as text.
        color: tty
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && term != Some("dumb"),
        verbose,
        redactor: crate::secrets::known_redactor(),
    }
}

/// Writes `text` to stdout, without secrets; a reader that went away is
/// not an error.
pub fn print(text: &str) -> anyhow::Result<()> {
    let colour = table_style(false).color;
    let json = crate::secrets::is_json_document(text);
    let mut out = std::io::stdout().lock();
    // Cleaned a block of whole lines at a time: a listing of 200,000 rows
    // is hundreds of megabytes, and two more copies of it were too many.
    // Nothing the redactor looks for spans a line break.
    let mut written = Ok(());
    for block in line_blocks(text, PRINT_BLOCK) {
        let shown = if json {
            crate::secrets::shown_json(block)
        } else {
            crate::secrets::shown(block, colour)
        };
        written = out.write_all(shown.as_bytes());
        if written.is_err() {
            break;
        }
    }
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        // Said as where it failed (round 20: "No space left on device (os
        // error 28)", with no word of stdout).
        Err(e) => Err(anyhow::anyhow!("cannot write to standard output: {e}")),
        Ok(()) => Ok(()),
    }
}

/// About how much of stdout's text is cleaned at once.
const PRINT_BLOCK: usize = 1 << 20;

/// `text` in pieces of whole lines, each about `size` bytes (a longer
/// line is a piece of its own).
fn line_blocks(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // A line feed is one byte, never inside a character: cutting after
        // it keeps both pieces whole.
        let cut = rest
            .as_bytes()
            .get(size..)
            .and_then(|after| after.iter().position(|&b| b == b'\n'))
            .map_or(rest.len(), |at| size + at + 1);
        let (block, tail) = rest.split_at(cut);
        rest = tail;
        Some(block)
    })
}

/// Checks that `path` can take an output without destroying anything (a
/// device, a directory, one of `inputs`): exit 2 before any work.
pub fn plan_file(
    flag: &str,
    path: &std::path::Path,
    inputs: &[(std::path::PathBuf, &str)],
) -> Result<pathprobe_files::Output, crate::exit::UsageError> {
    let inputs: Vec<pathprobe_files::Input<'_>> = inputs
        .iter()
        .map(|(p, role)| pathprobe_files::Input::new(p, role))
        .collect();
    pathprobe_files::Output::plan(path, &inputs)
        .map_err(|e| crate::exit::UsageError(format!("{flag} {e}")))
}

/// `text` with the credentials and query values of any URL in it removed:
/// for settings shown to people (`config show`, `doctor`).
pub fn without_secrets(text: &str) -> String {
    text.split(' ')
        .map(|w| match url::Url::parse(w) {
            Ok(u) if u.password().is_some() || !u.username().is_empty() || u.query().is_some() => {
                pathprobe_pac::redact_url(&u)
            }
            _ => w.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Warnings shown one by one; the rest are counted (a catalog of 100,000
/// bad lines once wrote 16 MB of warnings).
const MAX_WARNINGS: usize = 20;
static WARNED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many warnings were counted, not shown.
pub fn warnings_not_shown() -> usize {
    WARNED
        .load(std::sync::atomic::Ordering::Relaxed)
        .saturating_sub(MAX_WARNINGS)
}

/// A warning for people, on stderr (after [`MAX_WARNINGS`], only counted).
pub fn warn(text: &str) {
    if WARNED.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= MAX_WARNINGS {
        return;
    }
    let text = pathprobe_files::quote::excerpt(
        &crate::secrets::shown(text, false),
        crate::exit::MAX_MESSAGE_CHARS,
    );
    let _ = writeln!(
        std::io::stderr().lock(),
        "pathprobe: warning: {}",
        continued(&text)
    );
}

/// A message's later lines indented under its first, so that no text
/// inside it (a catalog cell, a PAC answer) can start a line of its own
/// that reads as pathprobe's ("pathprobe: error: ...").
pub fn continued(text: &str) -> String {
    text.trim_end_matches('\n').replace('\n', "\n    ")
}

/// Where a check report goes: stdout in one format, files in others.
#[derive(Debug, Clone)]
pub struct ReportOutputs {
    /// The format printed on stdout (None when `--output FILE` took its place).
    pub stdout: Option<pathprobe_reports::CheckFormat>,
    /// Files and their formats.
    pub files: Vec<(pathprobe_reports::CheckFormat, pathprobe_files::Output)>,
}

impl ReportOutputs {
    /// Reads `--output` values (`FILE` or `FORMAT=FILE`) and checks, before
    /// anything runs, that every file can be written without destroying
    /// anything: a run must never end with its report lost, nor overwrite
    /// one of its `inputs`.
    pub fn plan(
        format: pathprobe_reports::CheckFormat,
        specs: &[std::ffi::OsString],
        inputs: &[(std::path::PathBuf, &str)],
    ) -> Result<Self, crate::exit::UsageError> {
        use crate::exit::UsageError;
        use pathprobe_reports::CheckFormat;
        let mut outputs = ReportOutputs {
            stdout: Some(format),
            files: Vec::new(),
        };
        // An output that is stdout itself (`-`, `/dev/stdout`, the file
        // stdout is redirected to) takes stdout's place: two reports in
        // one stream are neither (round 18).
        let mut on_stdout: Option<String> = None;
        for spec in specs {
            let shown = spec.to_string_lossy();
            // Split on the first '=' of the raw bytes: a file name need not be UTF-8.
            let (name, path) = split_spec(spec);
            let (f, path) = match name.as_deref().map(|n| (n, CheckFormat::from_name(n))) {
                Some((_, Some(f))) => (f, path),
                Some((name, None)) if !name.contains(['/', '\\', '.']) => {
                    let known: Vec<&str> = CheckFormat::ALL.iter().map(|f| f.name()).collect();
                    return Err(UsageError(format!(
                        "--output {shown}: unknown format \"{name}\" (known: {})",
                        known.join(", ")
                    )));
                }
                _ => {
                    outputs.stdout = None;
                    (format, std::path::PathBuf::from(spec))
                }
            };
            if path.as_os_str().is_empty() {
                return Err(UsageError(format!("--output {shown}: no file name")));
            }
            if path.as_os_str() == "-" || is_stdout(&path) {
                if let Some(first) = &on_stdout {
                    return Err(UsageError(format!(
                        "--output {shown}: stdout already takes --output {first}; one report would be lost"
                    )));
                }
                on_stdout = Some(shown.into_owned());
                outputs.stdout = Some(f);
                continue;
            }
            let output = plan_file("--output", &path, inputs)?;
            if let Some((_, first)) = outputs.files.iter().find(|(_, o)| o.same_target(&output)) {
                return Err(UsageError(format!(
                    "--output {}: the same file as {}; one report would be lost",
                    path.display(),
                    first.path().display()
                )));
            }
            outputs.files.push((f, output));
        }
        Ok(outputs)
    }

    /// Renders `report` into every file (whole, then renamed into place) and
    /// onto stdout. A file that cannot be written does not cost the others
    /// nor stdout's report; the error names every file lost.
    pub fn write(
        &self,
        report: &pathprobe_reports::CheckReport,
        verbose: bool,
    ) -> anyhow::Result<()> {
        let mut failed = Vec::new();
        for (format, output) in &self.files {
            let style = TableStyle {
                width: 160,
                color: false,
                verbose,
                redactor: crate::secrets::known_redactor(),
            };
            let rendered = report.render(*format, &style)?;
            let text = if *format == pathprobe_reports::CheckFormat::Json {
                crate::secrets::shown_json(&rendered)
            } else {
                crate::secrets::shown(&rendered, false)
            };
            if let Err(e) = output.write(text.as_bytes()) {
                failed.push(e.to_string());
            }
        }
        if let Some(format) = self.stdout {
            print(&report.render(format, &table_style(verbose))?)?;
        }
        if failed.is_empty() {
            Ok(())
        } else {
            anyhow::bail!(
                "the report could not be written to {}{}",
                failed.join("; "),
                if self.stdout.is_some() {
                    " (the report on stdout is complete)"
                } else {
                    ""
                }
            )
        }
    }
}

/// Whether `path` is the file or device this process's stdout writes to.
#[cfg(unix)]
fn is_stdout(path: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (
        std::fs::metadata(path),
        std::fs::metadata("/proc/self/fd/1").or_else(|_| std::fs::metadata("/dev/stdout")),
    ) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether `path` is the file or device this process's stdout writes to
/// (Windows: only `CON` names it, and `-` is checked by the caller).
#[cfg(not(unix))]
fn is_stdout(path: &std::path::Path) -> bool {
    path.as_os_str().eq_ignore_ascii_case("CON")
}

/// `FORMAT=FILE` split at the first '=', when there is one.
fn split_spec(spec: &std::ffi::OsStr) -> (Option<String>, std::path::PathBuf) {
    let bytes = spec.as_encoded_bytes();
    match bytes.iter().position(|b| *b == b'=') {
        Some(at) => {
            let (name, rest) = bytes.split_at(at);
            let name = String::from_utf8_lossy(name).into_owned();
            (Some(name), path_of(rest.get(1..).unwrap_or_default()))
        }
        None => (None, std::path::PathBuf::from(spec)),
    }
}

/// A path from raw bytes cut at an ASCII '=' (still valid on their own).
#[cfg(unix)]
fn path_of(bytes: &[u8]) -> std::path::PathBuf {
    std::path::PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes))
}

/// Windows command lines are UTF-16 turned into UTF-8 by Rust: lossless
/// except for unpaired surrogates, which no real file name has.
#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> std::path::PathBuf {
    std::path::PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// A progress bar on stderr while probes run, only when stderr is a terminal.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// A bar for `total` probes (nothing when stderr is not a terminal or
    /// there is too little to show).
    pub fn new(total: usize) -> Self {
        if !std::io::stderr().is_terminal() || total < 2 {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} probing {pos}/{len} endpoints [{bar:30}] {elapsed}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress(Some(bar))
    }

    /// `done` probes finished.
    pub fn set(&self, done: usize) {
        if let Some(bar) = &self.0 {
            bar.set_position(done as u64);
        }
    }

    /// Removes the bar before the report is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_whole_lines_and_lose_nothing() {
        let text = "ab\ncdé\n\nf\nlast without end";
        for size in 0..text.len() + 2 {
            let blocks: Vec<&str> = line_blocks(text, size).collect();
            assert_eq!(blocks.concat(), text, "{size}");
            for b in &blocks[..blocks.len() - 1] {
                assert!(b.ends_with('\n'), "{size}: {blocks:?}");
            }
        }
        assert_eq!(line_blocks("", 4).count(), 0);
    }

    #[test]
    fn a_terminal_of_no_width_gets_a_readable_table() {
        // A terminal reporting 0 columns (serial consoles, some CI runners).
        let s = style_for(true, None, Some("xterm"), false, || Some(0));
        assert_eq!(s.width, 80);
        let s = style_for(true, Some("0"), Some("xterm"), false, || Some(120));
        assert_eq!(s.width, 120);
        let s = style_for(false, Some("3"), None, false, || None);
        assert_eq!(s.width, 160);
        let s = style_for(true, Some("100"), None, false, || Some(0));
        assert_eq!(s.width, 100);
    }

    #[test]
    fn a_dumb_terminal_gets_no_colour() {
        let dumb = style_for(true, None, Some("dumb"), false, || Some(100));
        let xterm = style_for(true, None, Some("xterm"), false, || Some(100));
        assert!(!dumb.color);
        // NO_COLOR may be set where the tests run: only compare when unset.
        if std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
            assert!(xterm.color);
        }
    }
}
