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

/// Writes `text` to `path` whole: into a sibling first, then renamed, so a
/// reader (a firewall polling the file, say) never sees half of it.
pub fn write_file(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let tmp = temp_name(path);
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .with_context(|| format!("cannot write {}", path.display()))
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

/// A warning for people, on stderr.
pub fn warn(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "pathprobe: warning: {text}");
}

/// Where a check report goes: stdout in one format, files in others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOutputs {
    /// The format printed on stdout (None when `--output FILE` took its place).
    pub stdout: Option<pathprobe_reports::CheckFormat>,
    /// Files and their formats.
    pub files: Vec<(pathprobe_reports::CheckFormat, std::path::PathBuf)>,
}

impl ReportOutputs {
    /// Reads `--output` values (`FILE` or `FORMAT=FILE`) and checks, before
    /// anything runs, that every file can be written: a run must never end
    /// with its report lost.
    pub fn plan(
        format: pathprobe_reports::CheckFormat,
        specs: &[String],
    ) -> Result<Self, crate::exit::UsageError> {
        use crate::exit::UsageError;
        use pathprobe_reports::CheckFormat;
        let mut outputs = ReportOutputs {
            stdout: Some(format),
            files: Vec::new(),
        };
        for spec in specs {
            let (f, path) = match spec.split_once('=') {
                Some((name, path)) if CheckFormat::from_name(name).is_some() => {
                    (CheckFormat::from_name(name).unwrap_or(format), path)
                }
                Some((name, _)) if !name.contains(['/', '\\', '.']) => {
                    let known: Vec<&str> = CheckFormat::ALL.iter().map(|f| f.name()).collect();
                    return Err(UsageError(format!(
                        "--output {spec}: unknown format {name:?} (known: {})",
                        known.join(", ")
                    )));
                }
                _ => {
                    outputs.stdout = None;
                    (format, spec.as_str())
                }
            };
            if path.is_empty() {
                return Err(UsageError(format!("--output {spec}: no file name")));
            }
            let path = std::path::PathBuf::from(path);
            if outputs.files.iter().any(|(_, p)| *p == path) {
                return Err(UsageError(format!(
                    "--output {}: the same file is given twice",
                    path.display()
                )));
            }
            let probe = temp_name(&path);
            std::fs::write(&probe, b"")
                .and_then(|()| std::fs::remove_file(&probe))
                .map_err(|e| {
                    UsageError(format!(
                        "--output {}: cannot write there: {e}",
                        path.display()
                    ))
                })?;
            outputs.files.push((f, path));
        }
        Ok(outputs)
    }

    /// Renders `report` into every file (whole, then renamed into place) and
    /// onto stdout.
    pub fn write(
        &self,
        report: &pathprobe_reports::CheckReport,
        verbose: bool,
    ) -> anyhow::Result<()> {
        use anyhow::Context as _;
        for (format, path) in &self.files {
            let style = TableStyle {
                width: 160,
                color: false,
                verbose,
            };
            let text = report.render(*format, &style)?;
            write_file(path, &text)
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
        }
        if let Some(format) = self.stdout {
            print(&report.render(format, &table_style(verbose))?)?;
        }
        Ok(())
    }
}

/// A sibling of `path` to write into before renaming.
fn temp_name(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".pathprobe-{}.tmp", std::process::id()));
    path.with_file_name(name)
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
