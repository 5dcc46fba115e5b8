//! Reading untrusted files in a child process with a memory limit.
//!
//! Workbooks are parsed by calamine, which sizes its cell grid from the cell
//! addresses a file claims: a 1.5 KB `.xlsx` with one value in A1 and one in
//! XFD1048576 asks for 512 GiB, and Rust aborts the whole process when an
//! allocation fails. A zip member that inflates to gigabytes does the same.
//! So `pathprobe` reads catalog files in a child of itself (the hidden
//! `__catalog-worker` subcommand) whose address space is capped, and turns a
//! child that ran out of memory or time into a clear input error. PAC scripts
//! get the same treatment through `pathprobe_pac::PacWorker`; both stand on
//! `pathprobe_sandbox` (the memory cap, the deadline kill, the end with the
//! parent).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use pathprobe_sandbox::Failure;
use pathprobe_urls::{Catalog, LoadOptions};

use crate::exit::{Exit, UsageError};

/// Address-space limit of a worker: far above what a real catalog or PAC
/// needs (tens of MiB), far below what a bomb asks for.
pub(crate) const MEMORY_LIMIT: u64 = pathprobe_sandbox::DEFAULT_MEMORY_LIMIT;
/// Reading a catalog takes milliseconds; a minute means something is wrong.
const CATALOG_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest catalog JSON accepted back from the worker.
const MAX_OUTPUT: u64 = 256 * 1024 * 1024;

/// The running binary, to start workers from; `None` when it cannot be found
/// (deleted during an upgrade), in which case work is done in-process.
pub(crate) fn this_binary() -> Option<PathBuf> {
    match std::env::current_exe() {
        Ok(exe) if exe.is_file() => Some(exe),
        Ok(exe) => {
            tracing::warn!(
                "{} is gone: untrusted input is parsed in-process",
                exe.display()
            );
            None
        }
        Err(e) => {
            tracing::warn!("cannot find this binary ({e}): untrusted input is parsed in-process");
            None
        }
    }
}

/// Loads a catalog file, in a worker process when this binary can start one.
pub(crate) fn load_catalog_file(
    path: &Path,
    options: &LoadOptions,
    deadline: Option<Duration>,
) -> anyhow::Result<Catalog> {
    let Some(exe) = this_binary() else {
        return Ok(pathprobe_urls::load_with(path, options)?);
    };
    let mut command = Command::new(exe);
    command.arg("__catalog-worker").arg(path);
    if let Some(sheet) = &options.sheet {
        command.arg("--sheet").arg(sheet);
    }
    for column in &options.columns {
        command.arg("--column").arg(column.to_string());
    }
    if let Some(name) = &options.shown_as {
        command.arg("--shown-as").arg(name);
    }
    let shown_path = options.shown_as.as_deref().unwrap_or(path);
    let shown = pathprobe_files::shown_path(shown_path);
    // A run's deadline shortens the worker's: the run ends on time even
    // while its catalog is read.
    let limit = deadline.map_or(CATALOG_TIMEOUT, |d| d.min(CATALOG_TIMEOUT));
    let run = pathprobe_sandbox::run(command, limit, None, MAX_OUTPUT);
    // The terminal's Ctrl-C reaches the worker too: its end is the
    // user's doing, not the file's.
    if crate::interrupt::requested() {
        return Err(crate::exit::Cut::interrupted(&format!("the catalog {shown} was read")).into());
    }
    let output = match run {
        Ok(output) => output,
        Err(Failure::Refused(message)) => return Err(UsageError(message).into()),
        Err(Failure::Memory) => {
            return Err(UsageError(format!(
                "{shown}: reading it reached the catalog reader's memory limit ({} MiB) and was stopped (a zip bomb, a sheet whose cells claim millions of rows and columns, or millions of entries?)",
                MEMORY_LIMIT / (1024 * 1024)
            ))
            .into());
        }
        Err(Failure::Timeout) if limit < CATALOG_TIMEOUT => {
            return Err(crate::exit::Cut::deadline(format!(
                "the deadline ({:.0} s) passed while the catalog {shown} was read: nothing was probed",
                limit.as_secs_f64()
            ))
            .into());
        }
        Err(Failure::Timeout) => {
            return Err(UsageError(format!(
                "{shown}: reading it took longer than {} s and was stopped",
                CATALOG_TIMEOUT.as_secs()
            ))
            .into());
        }
        Err(Failure::Crashed(reason)) => {
            return Err(
                UsageError(format!(
                    "{shown}: it cannot be read ({reason}): a damaged file, or cell addresses no spreadsheet has"
                ))
                .into(),
            );
        }
        Err(Failure::Failed(reason)) => {
            anyhow::bail!("{shown}: the catalog worker failed: {reason}")
        }
    };
    serde_json::from_slice(&output)
        .map_err(|e| anyhow::anyhow!("{shown}: the catalog worker's answer is unreadable: {e}"))
}

/// PAC scripts run in a worker process of this binary with a memory limit.
/// Without a path to this binary (deleted during an upgrade, say) they run
/// in-process, bounded in time but not in memory.
pub(crate) fn pac_isolation() -> Option<pathprobe_pac::WorkerCommand> {
    this_binary().map(|exe| pathprobe_pac::WorkerCommand {
        memory_limit: MEMORY_LIMIT,
        ..pathprobe_pac::WorkerCommand::new(exe, &["__pac-worker"])
    })
}

/// Runs a worker when the command line names one (`__pac-worker`,
/// `__catalog-worker PATH [--sheet NAME] [--column ROLE=HEADER]...`); `None`
/// for any other command line.
pub(crate) fn worker_main(args: &[std::ffi::OsString]) -> Option<std::process::ExitCode> {
    // Words are matched as text; the path stays as the OS gave it (a file
    // name need not be UTF-8).
    let raw: Vec<&std::ffi::OsStr> = args.iter().skip(1).map(|a| a.as_os_str()).collect();
    let rest: Vec<&str> = raw.iter().map(|a| a.to_str().unwrap_or("")).collect();
    if rest
        .first()
        .is_some_and(|w| w.starts_with("__") && w.ends_with("-worker"))
    {
        pathprobe_sandbox::end_with_parent(Exit::Interrupted as i32);
    }
    let outcome = match (rest.as_slice(), raw.get(1)) {
        (["__pac-worker"], _) => pathprobe_pac::serve_worker()
            .map(|()| Exit::Ok)
            .map_err(anyhow::Error::from),
        (["__catalog-worker", _, options @ ..], Some(path)) => {
            catalog_options(options).and_then(|o| catalog_worker(Path::new(path), o))
        }
        (["__lint-worker"], _) => lint_worker(),
        ([first, ..], _) if first.starts_with("__") && first.ends_with("-worker") => {
            Err(anyhow::anyhow!("bad worker arguments: {rest:?}"))
        }
        _ => return None,
    };
    Some(match outcome {
        Ok(code) => code.into(),
        Err(err) => {
            let code = crate::exit::classify(&err);
            eprintln!(
                "pathprobe: error: {}",
                crate::output::continued(&crate::exit::message(&err))
            );
            code.into()
        }
    })
}

/// The options [`load_catalog_file`] passes a catalog worker:
/// `[--sheet NAME] [--column ROLE=HEADER]... [--shown-as NAME]`.
fn catalog_options(words: &[&str]) -> anyhow::Result<LoadOptions> {
    let mut options = LoadOptions::default();
    let mut rest = words;
    loop {
        match rest {
            [] => return Ok(options),
            ["--sheet", sheet, more @ ..] => {
                options.sheet = Some((*sheet).to_owned());
                rest = more;
            }
            ["--column", column, more @ ..] => {
                options
                    .columns
                    .push(column.parse().map_err(|e: String| anyhow::anyhow!(e))?);
                rest = more;
            }
            ["--shown-as", name, more @ ..] => {
                options.shown_as = Some(PathBuf::from(name));
                rest = more;
            }
            _ => anyhow::bail!("bad worker arguments: {words:?}"),
        }
    }
}

/// The worker side of [`load_catalog_file`]: the catalog as JSON on stdout.
fn catalog_worker(path: &Path, options: LoadOptions) -> anyhow::Result<Exit> {
    pathprobe_sandbox::limit_own_memory(MEMORY_LIMIT)?;
    let catalog = pathprobe_urls::load_with(path, &options)?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &catalog)?;
    Ok(Exit::Ok)
}

/// Linting a script takes milliseconds; this means something is wrong.
const LINT_TIMEOUT: Duration = Duration::from_secs(20);

/// Lints a PAC script. boa's parser runs first in a worker process: a script
/// that exhausts its stack (nesting the depth estimate did not see) or its
/// time kills the worker, not this process, and is an input error (exit 2).
pub(crate) fn lint(name: &str, text: &str) -> anyhow::Result<Vec<pathprobe_pac::Finding>> {
    let Some(exe) = this_binary() else {
        return Ok(pathprobe_pac::lint(text));
    };
    let mut command = Command::new(exe);
    command.arg("__lint-worker");
    match pathprobe_sandbox::run(
        command,
        LINT_TIMEOUT,
        Some(text.as_bytes().to_vec()),
        MAX_OUTPUT,
    ) {
        // The worker got through: so does the same code here.
        Ok(_) => Ok(pathprobe_pac::lint(text)),
        Err(Failure::Refused(message)) => Err(UsageError(message).into()),
        Err(Failure::Memory) => Err(UsageError(format!(
            "{name}: linting it reached the linter's memory limit ({} MiB) and was stopped",
            MEMORY_LIMIT / (1024 * 1024)
        ))
        .into()),
        Err(Failure::Timeout) => Err(UsageError(format!(
            "{name}: linting it took longer than {} s and was stopped",
            LINT_TIMEOUT.as_secs()
        ))
        .into()),
        Err(Failure::Crashed(how)) => Err(UsageError(format!(
            "{name}: the JavaScript parser could not read it ({how}): the script nests too deeply, in a way pathprobe's depth check does not know"
        ))
        .into()),
        Err(Failure::Failed(reason)) => anyhow::bail!("{name}: the lint worker failed: {reason}"),
    }
}

/// The worker side of [`lint`]: the script on stdin, nothing on stdout.
fn lint_worker() -> anyhow::Result<Exit> {
    pathprobe_sandbox::limit_own_memory(MEMORY_LIMIT)?;
    let limit = pathprobe_pac::FetchLimits::default().max_bytes as u64;
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_string(&mut text)?;
    let _ = pathprobe_pac::lint(&text);
    Ok(Exit::Ok)
}
