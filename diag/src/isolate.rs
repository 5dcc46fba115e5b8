//! Reading untrusted files in a child process with a memory limit.
//!
//! Workbooks are parsed by calamine, which sizes its cell grid from the cell
//! addresses a file claims: a 1.5 KB `.xlsx` with one value in A1 and one in
//! XFD1048576 asks for 512 GiB, and Rust aborts the whole process when an
//! allocation fails. A zip member that inflates to gigabytes does the same.
//! So `pathprobe` reads catalog files in a child of itself (the hidden
//! `__catalog-worker` subcommand) whose address space is capped, and turns a
//! child that ran out of memory or time into a clear input error. PAC scripts
//! get the same treatment through `pathprobe_pac::PacWorker`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use pathprobe_urls::{Catalog, LoadOptions};

use crate::exit::{Exit, UsageError};

/// Address-space limit of a worker: far above what a real catalog or PAC
/// needs (tens of MiB), far below what a bomb asks for.
pub(crate) const MEMORY_LIMIT: u64 = pathprobe_pac::WorkerCommand::DEFAULT_MEMORY_LIMIT;
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
    let shown = path.display();
    // A run's deadline shortens the worker's: the run ends on time even
    // while its catalog is read.
    let limit = deadline.map_or(CATALOG_TIMEOUT, |d| d.min(CATALOG_TIMEOUT));
    let output = match run(command, limit) {
        Ok(output) => output,
        Err(Failure::Refused(message)) => return Err(UsageError(message).into()),
        Err(Failure::Memory) => {
            return Err(UsageError(format!(
                "{shown}: reading it needed more than {} MiB of memory and was stopped (a zip bomb, or a sheet whose cells claim millions of rows and columns?)",
                MEMORY_LIMIT / (1024 * 1024)
            ))
            .into());
        }
        Err(Failure::Timeout) if limit < CATALOG_TIMEOUT => {
            return Err(crate::exit::Cut(format!(
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
/// `__catalog-worker PATH [--sheet NAME]`); `None` for any other command line.
pub(crate) fn worker_main(args: &[std::ffi::OsString]) -> Option<std::process::ExitCode> {
    // Words are matched as text; the path stays as the OS gave it (a file
    // name need not be UTF-8).
    let raw: Vec<&std::ffi::OsStr> = args.iter().skip(1).map(|a| a.as_os_str()).collect();
    let rest: Vec<&str> = raw.iter().map(|a| a.to_str().unwrap_or("")).collect();
    if rest
        .first()
        .is_some_and(|w| w.starts_with("__") && w.ends_with("-worker"))
    {
        end_with_parent();
    }
    let outcome = match (rest.as_slice(), raw.get(1)) {
        (["__pac-worker"], _) => pathprobe_pac::serve_worker()
            .map(|()| Exit::Ok)
            .map_err(anyhow::Error::from),
        (["__catalog-worker", _], Some(path)) => catalog_worker(Path::new(path), None),
        (["__catalog-worker", _, "--sheet", sheet], Some(path)) => {
            catalog_worker(Path::new(path), Some((*sheet).to_owned()))
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
            eprintln!("pathprobe: error: {}", crate::exit::message(&err));
            code.into()
        }
    })
}

/// A worker whose parent is gone (killed, or interrupted alone by a signal
/// sent to it and not to its process group) has no one to answer and ends:
/// a script spinning in a built-in would otherwise run on for its whole
/// limit. Checked from a thread of its own because the work itself (a
/// regular expression, a parse) does not stop to look.
fn end_with_parent() {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        let _ = std::thread::Builder::new()
            .name("parent-watch".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(200));
                    // Adopted by init or a subreaper: the parent has exited.
                    if std::os::unix::process::parent_id() != parent {
                        std::process::exit(crate::Exit::Interrupted as i32);
                    }
                }
            });
    }
}

/// The worker side of [`load_catalog_file`]: the catalog as JSON on stdout.
fn catalog_worker(path: &Path, sheet: Option<String>) -> anyhow::Result<Exit> {
    pathprobe_pac::limit_own_memory(MEMORY_LIMIT)?;
    let catalog = pathprobe_urls::load_with(
        path,
        &LoadOptions {
            sheet,
            ..LoadOptions::default()
        },
    )?;
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
    match run_with_input(command, LINT_TIMEOUT, Some(text.as_bytes().to_vec())) {
        // The worker got through: so does the same code here.
        Ok(_) => Ok(pathprobe_pac::lint(text)),
        Err(Failure::Refused(message)) => Err(UsageError(message).into()),
        Err(Failure::Memory) => Err(UsageError(format!(
            "{name}: linting it needed more than {} MiB of memory and was stopped",
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
    pathprobe_pac::limit_own_memory(MEMORY_LIMIT)?;
    let limit = pathprobe_pac::FetchLimits::default().max_bytes as u64;
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_string(&mut text)?;
    let _ = pathprobe_pac::lint(&text);
    Ok(Exit::Ok)
}

/// Why a worker gave no answer.
#[derive(Debug)]
enum Failure {
    /// It refused the input (exit 2); the message it printed.
    Refused(String),
    /// It ran out of memory.
    Memory,
    /// It overran its time and was killed.
    Timeout,
    /// A signal ended it (a stack overflow aborts).
    Crashed(String),
    /// Anything else.
    Failed(String),
}

/// Runs a worker to completion within `timeout`; its stdout on success.
fn run(command: Command, timeout: Duration) -> Result<Vec<u8>, Failure> {
    run_with_input(command, timeout, None)
}

/// [`run`], with `input` written to the worker's stdin.
fn run_with_input(
    mut command: Command,
    timeout: Duration,
    input: Option<Vec<u8>>,
) -> Result<Vec<u8>, Failure> {
    let mut child = command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure::Failed(format!("cannot start it: {e}")))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Failure::Failed("its pipes could not be opened".into()));
    };
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // Written from a thread: a child that stops reading cannot stall us.
        std::thread::spawn(move || {
            use std::io::Write as _;
            let _ = stdin.write_all(&input);
        });
    }
    // Both pipes are drained at once so that neither can fill and stall the child.
    let errors = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = stderr.take(64 * 1024).read_to_end(&mut err);
        err
    });
    let (sender, receiver) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let read = stdout.take(MAX_OUTPUT + 1).read_to_end(&mut out);
        let _ = sender.send(read.map(|_| out));
    });
    let out = match receiver.recv_timeout(timeout) {
        Ok(out) => out,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            let _ = reader.join();
            let _ = errors.join();
            return Err(Failure::Timeout);
        }
    };
    let status = child
        .wait()
        .map_err(|e| Failure::Failed(format!("cannot wait for it: {e}")))?;
    let _ = reader.join();
    let err = errors.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&err);
    if pathprobe_pac::ran_out_of_memory(&err) {
        return Err(Failure::Memory);
    }
    let message = err
        .lines()
        .filter_map(|l| l.strip_prefix("pathprobe: error: "))
        .collect::<Vec<_>>()
        .join("\n");
    match status.code() {
        Some(0) => {
            let out = out.map_err(|e| Failure::Failed(format!("cannot read its answer: {e}")))?;
            if out.len() as u64 > MAX_OUTPUT {
                return Err(Failure::Failed(format!(
                    "its answer is over {} MiB",
                    MAX_OUTPUT / (1024 * 1024)
                )));
            }
            Ok(out)
        }
        Some(2) if !message.is_empty() => Err(Failure::Refused(message)),
        None => Err(Failure::Crashed(status.to_string())),
        // Rust's exit code for a panic: a third-party parser gave up on
        // the input (calamine on a cell address past its arithmetic).
        Some(101) => Err(Failure::Crashed(
            "the parser it needs failed on it".to_owned(),
        )),
        _ => Err(Failure::Failed(format!(
            "{status}{}",
            if message.is_empty() {
                err.lines()
                    .last()
                    .map(|l| format!(": {l}"))
                    .unwrap_or_default()
            } else {
                format!(": {message}")
            }
        ))),
    }
}
