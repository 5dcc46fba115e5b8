//! The files a pathprobe run reads and writes, made safe to name on a
//! command line.
//!
//! **Reading.** Every input (catalog, PAC script, saved report, certificate,
//! configuration, scenario, onboarding package) is read with a size limit and
//! only when it is a regular file: a FIFO would block the run forever, and
//! `/dev/zero` would fill memory at gigabytes a second. The check is made on
//! the opened file, so a path swapped after the check cannot slip through.
//!
//! **Writing.** A report is written whole. A regular file (a symbolic link is
//! followed to it) is written through a sibling that is renamed into place, so
//! a reader polling the file never sees half of it and a full disk leaves the
//! old file and no litter. A character device or a pipe (`/dev/null`,
//! `/dev/stdout`, `>(jq …)`) is written through, never replaced. A directory,
//! a block device, a socket or one of the run's own inputs is refused before
//! anything runs.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let catalog = dir.path().join("catalog.txt");
//! std::fs::write(&catalog, "https://example.com/\n")?;
//!
//! // The catalog is read with a limit...
//! let text = pathprobe_files::read_text(&catalog, 1024)?;
//! assert_eq!(text, "https://example.com/\n");
//!
//! // ...and can never be the place the report goes.
//! let inputs = [pathprobe_files::Input::new(&catalog, "the catalog")];
//! assert!(pathprobe_files::Output::plan(&catalog, &inputs).is_err());
//!
//! let report = dir.path().join("report.json");
//! let output = pathprobe_files::Output::plan(&report, &inputs)?;
//! output.write(b"{}")?;
//! assert_eq!(std::fs::read(&report)?, b"{}");
//! # Ok(())
//! # }
//! ```

pub mod quote;
pub mod text;
pub mod words;

/// A path as messages show it: its line breaks and hidden characters
/// written out (`<U+000A>`), so that a file name cannot break a message in two.
pub fn shown_path(path: &std::path::Path) -> String {
    quote::visible(&path.display().to_string())
}

use std::fs::{File, Metadata};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

/// What a path names when it is not a regular file, in words for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A directory.
    Directory,
    /// A named or anonymous pipe.
    Fifo,
    /// A character device (`/dev/null`, a terminal).
    CharDevice,
    /// A block device (a disk).
    BlockDevice,
    /// A Unix socket.
    Socket,
    /// Anything else that is not a regular file.
    Other,
}

impl Kind {
    /// What to name instead.
    fn advice(self) -> &'static str {
        match self {
            // Round 22: "save its content to a file" said of a directory.
            Kind::Directory => "name a file in it",
            _ => "save its content to a file and name that",
        }
    }

    fn of(meta: &Metadata) -> Option<Kind> {
        let t = meta.file_type();
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some(Kind::Directory);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt as _;
            if t.is_fifo() {
                return Some(Kind::Fifo);
            }
            if t.is_char_device() {
                return Some(Kind::CharDevice);
            }
            if t.is_block_device() {
                return Some(Kind::BlockDevice);
            }
            if t.is_socket() {
                return Some(Kind::Socket);
            }
        }
        Some(Kind::Other)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Directory => "a directory",
            Kind::Fifo => "a pipe (FIFO)",
            Kind::CharDevice => "a character device",
            Kind::BlockDevice => "a block device",
            Kind::Socket => "a socket",
            Kind::Other => "not a regular file",
        })
    }
}

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Opening or reading failed.
    #[error("{path}: cannot read: {error}")]
    Io {
        /// The path as given.
        path: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// The path names a pipe, a device or a directory.
    #[error("{path} is {kind}, not a regular file: {}", kind.advice())]
    NotRegular {
        /// The path as given.
        path: String,
        /// What it is.
        kind: Kind,
    },
    /// The file is larger than the reader accepts.
    #[error("{path} is larger than {}, the most pathprobe reads from such a file", size(*.limit))]
    TooLarge {
        /// The path as given.
        path: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("{path} is not UTF-8 text (invalid byte at offset {offset})")]
    NotText {
        /// The path as given.
        path: String,
        /// Where the first invalid byte is.
        offset: usize,
    },
}

impl ReadError {
    /// Whether the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { error, .. } if error.kind() == std::io::ErrorKind::NotFound)
    }
}

/// `bytes` in words: "64 MiB", "512 KiB", "100 bytes".
pub fn size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Opens `path` for reading when it is a regular file, with its size.
///
/// A FIFO is opened without waiting for a writer, then refused; the type is
/// checked on the opened file, not on the name.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let shown = shown_path(path);
    let io = |error| ReadError::Io {
        path: shown.clone(),
        error,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // Without it, opening a FIFO with no writer blocks for ever.
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if let Some(kind) = Kind::of(&meta) {
        return Err(ReadError::NotRegular { path: shown, kind });
    }
    Ok((file, meta.len()))
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let shown = || shown_path(path);
    let (file, len) = open_regular(path)?;
    if len > limit {
        return Err(ReadError::TooLarge {
            path: shown(),
            limit,
        });
    }
    let mut bytes = Vec::new();
    // The size can change after the check: read one byte past the limit to see.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| ReadError::Io {
            path: shown(),
            error,
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: shown(),
            limit,
        });
    }
    Ok(bytes)
}

/// Reads a whole regular file of at most `limit` bytes as UTF-8 text (a
/// byte-order mark is dropped).
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read(path, limit)?;
    let text = String::from_utf8(bytes).map_err(|e| ReadError::NotText {
        path: shown_path(path),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// One of a run's inputs, which no output may replace.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    path: &'a Path,
    role: &'a str,
}

impl<'a> Input<'a> {
    /// `path`, read by the run as `role` ("the catalog", "--baseline").
    pub fn new(path: &'a Path, role: &'a str) -> Self {
        Input { path, role }
    }
}

/// An output that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The path names something pathprobe does not write onto.
    #[error("{path} is {kind}; name a file")]
    NotAFile {
        /// The path as given.
        path: String,
        /// What it is.
        kind: Kind,
    },
    /// The path names one of the run's inputs.
    #[error("{path} is {role} of this run; writing there would destroy it: name another file")]
    OwnInput {
        /// The path as given.
        path: String,
        /// Which input it is.
        role: String,
    },
    /// The directory the file would go into does not exist.
    #[error("{path}: the directory {dir} does not exist")]
    NoDirectory {
        /// The path as given.
        path: String,
        /// The directory.
        dir: String,
    },
    /// Nothing reads the pipe.
    #[error("{path} is a pipe that nothing reads")]
    NoReader {
        /// The path as given.
        path: String,
    },
    /// The system refused (permissions, full disk, …).
    #[error("{path}: {error}")]
    Io {
        /// The path as given.
        path: String,
        /// What the system said.
        error: std::io::Error,
    },
}

/// How an output is written.
#[derive(Debug, Clone)]
enum How {
    /// A regular file (or a new one), replaced through a renamed sibling.
    Replace(PathBuf),
    /// A device or pipe, written through.
    Through,
    /// The file this process's stdout already writes (`/dev/stdout`, or a
    /// link to the file the shell redirected stdout to): written through
    /// stdout itself, so the two do not overwrite each other.
    Stdout,
}

/// A place a report can be written, checked before the run starts.
#[derive(Debug, Clone)]
pub struct Output {
    given: PathBuf,
    how: How,
}

impl Output {
    /// Checks that `path` can take a report without destroying anything:
    /// not a directory, block device or socket, not one of `inputs`, in a
    /// directory that exists and lets a file be created.
    pub fn plan(path: &Path, inputs: &[Input<'_>]) -> Result<Output, WriteError> {
        let shown = shown_path(path);
        let io = |error| WriteError::Io {
            path: shown.clone(),
            error,
        };
        if path.as_os_str().is_empty() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "no file name",
            )));
        }
        // An input may be a directory whose files the run reads (apt's
        // conf.d, DHCP leases): nothing is written into it.
        if let Ok(dir) = parent(path).canonicalize() {
            for input in inputs {
                if let Ok(input_dir) = input.path.canonicalize()
                    && input_dir.is_dir()
                    && dir.starts_with(&input_dir)
                {
                    return Err(WriteError::OwnInput {
                        path: shown,
                        role: format!("in the directory of {}", input.role),
                    });
                }
            }
        }
        let how = match std::fs::metadata(path) {
            Ok(meta) => {
                for input in inputs {
                    if same_file(path, &meta, input.path) {
                        return Err(WriteError::OwnInput {
                            path: shown,
                            role: input.role.to_owned(),
                        });
                    }
                    // Through a link (symbolic or hard) to a file of an
                    // input directory.
                    if in_directory(path, &meta, input.path) {
                        return Err(WriteError::OwnInput {
                            path: shown,
                            role: format!("a file in the directory of {}", input.role),
                        });
                    }
                }
                match Kind::of(&meta) {
                    _ if is_stdout(&meta) => How::Stdout,
                    // `/dev/fd/N` may name a regular file the shell opened:
                    // replacing it would cut the shell's file loose.
                    None if magic(path) => How::Through,
                    None => {
                        let file = std::fs::canonicalize(path).map_err(io)?;
                        can_create_in(&file).map_err(io)?;
                        How::Replace(file)
                    }
                    Some(Kind::CharDevice | Kind::Fifo) => How::Through,
                    Some(kind) => return Err(WriteError::NotAFile { path: shown, kind }),
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let file = dangling_target(path).map_err(io)?;
                let dir = parent(&file);
                if !dir.is_dir() {
                    return Err(WriteError::NoDirectory {
                        path: shown,
                        dir: shown_path(dir),
                    });
                }
                // One spelling per file (`a.json`, `./a.json`), so that two
                // outputs naming it are seen to be one.
                let file = match (std::fs::canonicalize(dir), file.file_name()) {
                    (Ok(dir), Some(name)) => dir.join(name),
                    _ => file,
                };
                can_create_in(&file).map_err(io)?;
                How::Replace(file)
            }
            Err(e) => return Err(io(e)),
        };
        Ok(Output {
            given: path.to_path_buf(),
            how,
        })
    }

    /// The path as given.
    pub fn path(&self) -> &Path {
        &self.given
    }

    /// Whether `other` writes the same file (under any spelling).
    pub fn same_target(&self, other: &Output) -> bool {
        match (&self.how, &other.how) {
            (How::Replace(a), How::Replace(b)) => a == b,
            (How::Stdout, How::Stdout) => true,
            (How::Through, How::Through) => {
                match (
                    std::fs::metadata(&self.given),
                    std::fs::metadata(&other.given),
                ) {
                    (Ok(a), Ok(b)) => same_identity(&a, &b),
                    _ => self.given == other.given,
                }
            }
            _ => false,
        }
    }

    /// Writes `bytes` as the whole content. On failure nothing is left
    /// behind: a replaced file keeps its old content.
    pub fn write(&self, bytes: &[u8]) -> Result<(), WriteError> {
        let shown = shown_path(&self.given);
        let io = |error| WriteError::Io {
            path: shown.clone(),
            error,
        };
        match &self.how {
            How::Replace(file) => replace(file, bytes).map_err(io),
            How::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes).and_then(|()| out.flush()).map_err(io)
            }
            How::Through => {
                let mut out = open_through(&self.given).map_err(|e| {
                    if e.raw_os_error() == Some(ENXIO) {
                        WriteError::NoReader {
                            path: shown.clone(),
                        }
                    } else {
                        io(e)
                    }
                })?;
                out.write_all(bytes).and_then(|()| out.flush()).map_err(io)
            }
        }
    }
}

/// "No such device or address": what opening a FIFO with no reader gives
/// without blocking.
#[cfg(unix)]
const ENXIO: i32 = rustix::io::Errno::NXIO.raw_os_error();
#[cfg(not(unix))]
const ENXIO: i32 = -1;

fn open_through(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    // Appending: `/dev/stdout` may be a file the shell is writing too.
    options.append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
        let file = options.open(path)?;
        // Non-blocking only to open; the writes wait for a slow reader.
        let flags = rustix::fs::fcntl_getfl(&file)?;
        rustix::fs::fcntl_setfl(&file, flags.difference(rustix::fs::OFlags::NONBLOCK))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        options.open(path)
    }
}

/// Paths whose files belong to the system or the shell: written through.
fn magic(path: &Path) -> bool {
    cfg!(unix) && (path.starts_with("/dev") || path.starts_with("/proc"))
}

fn parent(file: &Path) -> &Path {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A new sibling of `file` to write into, created here and only here
/// (never an existing file: a link planted under a guessable name is not
/// followed). `private`: with no access for others until it is complete
/// (it replaces a file whose mode is then copied); otherwise with the mode
/// any new file gets here.
fn create_sibling(file: &Path, private: bool) -> std::io::Result<(File, PathBuf)> {
    let stem = file
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    let mut last = None;
    for attempt in 0..16u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut name = std::ffi::OsString::from(".");
        name.push(&stem);
        name.push(format!(
            ".pathprobe-{}-{nanos:x}{attempt}.tmp",
            std::process::id()
        ));
        let tmp = file.with_file_name(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(not(unix))]
        let _ = private;
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        match options.open(&tmp) {
            Ok(f) => return Ok((f, tmp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Whether a file can be created beside `file` (the rename needs it).
fn can_create_in(file: &Path) -> std::io::Result<()> {
    let (created, tmp) = create_sibling(file, false)?;
    drop(created);
    std::fs::remove_file(&tmp)
}

/// Where a path that does not exist would be created: a dangling symbolic
/// link is followed to its target.
fn dangling_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Forty, as the kernel allows, before a loop is called a loop.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current)?;
                current = parent(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

fn replace(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let old = std::fs::metadata(file).ok();
    // A file with other names (hard links) keeps them: it is written in
    // place, as `cp` would, at the cost of a reader seeing it half-written.
    if old.as_ref().is_some_and(|m| links(m) > 1) {
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(file)?;
        return out.write_all(bytes).and_then(|()| out.sync_all());
    }
    let (mut out, tmp) = create_sibling(file, old.is_some())?;
    let written = (|| {
        out.write_all(bytes)?;
        if let Some(old) = &old {
            // The old file's owner and mode stay (a report readable by a
            // monitoring user stays so); a new file gets what files get here.
            keep_owner(&out, old);
            out.set_permissions(old.permissions())?;
        }
        out.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn links(meta: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// Gives `file` the owner of `old` when this process may (as root); others
/// keep their own, as any file they write.
fn keep_owner(file: &File, old: &Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
    #[cfg(not(unix))]
    {
        let _ = (file, old);
    }
}

/// Whether `meta` describes the file this process's stdout writes.
fn is_stdout(meta: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd as _;
        // A terminal or /dev/null is a device written through anyway.
        meta.is_file()
            && std::io::stdout()
                .as_fd()
                .try_clone_to_owned()
                .and_then(|fd| File::from(fd).metadata())
                .is_ok_and(|out| same_identity(&out, meta))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

fn same_identity(a: &Metadata, b: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Whether `path` (described by `meta`) is, under any name, a file of the
/// directory `dir`.
fn in_directory(path: &Path, meta: &Metadata, dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else {
        return false;
    };
    if !dir.is_dir() {
        return false;
    }
    if std::fs::canonicalize(path).is_ok_and(|real| real.starts_with(&dir)) {
        return true;
    }
    // A hard link elsewhere: the same inode among the directory's files.
    std::fs::read_dir(&dir).is_ok_and(|entries| {
        entries
            .take(10_000)
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::metadata(e.path()).ok())
            .any(|m| same_identity(&m, meta))
    })
}

/// Whether `a` and `b` name one file, under any spelling: a symbolic
/// link, `./`, or (on Unix) a hard link.
pub fn is_same_file(a: &Path, b: &Path) -> bool {
    std::fs::metadata(a).is_ok_and(|meta| same_file(a, &meta, b))
}

/// Whether `other` names the file `meta` describes.
fn same_file(path: &Path, meta: &Metadata, other: &Path) -> bool {
    let Ok(other_meta) = std::fs::metadata(other) else {
        return false;
    };
    #[cfg(unix)]
    {
        let _ = path;
        use std::os::unix::fs::MetadataExt as _;
        meta.dev() == other_meta.dev() && meta.ino() == other_meta.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (meta, other_meta);
        match (std::fs::canonicalize(path), std::fs::canonicalize(other)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt as _;

    #[test]
    fn reads_within_the_limit_and_refuses_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read(&file, 5).unwrap(), b"12345");
        let err = read(&file, 4).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { limit: 4, .. }), "{err}");
        assert!(err.to_string().contains("4 bytes"), "{err}");
    }

    #[test]
    fn text_drops_a_bom_and_refuses_other_encodings() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "\u{feff}abc").unwrap();
        assert_eq!(read_text(&file, 100).unwrap(), "abc");
        std::fs::write(&file, b"ab\xffc").unwrap();
        let err = read_text(&file, 100).unwrap_err();
        assert!(err.to_string().contains("offset 2"), "{err}");
    }

    #[test]
    fn a_directory_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(dir.path(), 100).unwrap_err();
        // Linux opens a directory for reading; Windows refuses to open it.
        assert!(
            matches!(
                err,
                ReadError::NotRegular {
                    kind: Kind::Directory,
                    ..
                } | ReadError::Io { .. }
            ),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_blocking() {
        let err = read(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::NotRegular {
                    kind: Kind::CharDevice,
                    ..
                }
            ),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .unwrap();
        // No writer: a plain open would wait for ever.
        let err = read(&fifo, 100).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::NotRegular {
                    kind: Kind::Fifo,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("a pipe (FIFO)"), "{err}");
    }

    #[test]
    fn a_regular_file_is_replaced_whole_keeping_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.json");
        std::fs::write(&file, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let out = Output::plan(&file, &[]).unwrap();
        out.write(b"new").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[test]
    fn nothing_is_written_into_a_directory_the_run_reads() {
        let dir = tempfile::tempdir().unwrap();
        let conf_d = dir.path().join("apt.conf.d");
        std::fs::create_dir(&conf_d).unwrap();
        std::fs::write(conf_d.join("90proxy"), "Acquire::http::Proxy \"x\";").unwrap();
        let inputs = [Input::new(&conf_d, "--apt-conf")];
        for name in ["90proxy", "new.json"] {
            let err = Output::plan(&conf_d.join(name), &inputs).unwrap_err();
            assert!(
                err.to_string().contains("in the directory of --apt-conf"),
                "{err}"
            );
        }
        assert!(Output::plan(&dir.path().join("r.json"), &inputs).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_into_an_input_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let conf_d = dir.path().join("apt.conf.d");
        std::fs::create_dir(&conf_d).unwrap();
        let input = conf_d.join("90proxy");
        std::fs::write(&input, "x").unwrap();
        let soft = dir.path().join("soft");
        let hard = dir.path().join("hard");
        std::os::unix::fs::symlink(&input, &soft).unwrap();
        std::fs::hard_link(&input, &hard).unwrap();
        let inputs = [Input::new(&conf_d, "--apt-conf")];
        for link in [&soft, &hard] {
            let err = Output::plan(link, &inputs).unwrap_err();
            assert!(err.to_string().contains("--apt-conf"), "{err}");
        }
        assert_eq!(std::fs::read(&input).unwrap(), b"x");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_another_name_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.json");
        let other = dir.path().join("published.json");
        std::fs::write(&file, "old").unwrap();
        std::fs::hard_link(&file, &other).unwrap();
        Output::plan(&file, &[]).unwrap().write(b"new").unwrap();
        assert_eq!(std::fs::read(&other).unwrap(), b"new");
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
    }

    #[test]
    fn a_directory_and_a_missing_directory_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let err = Output::plan(dir.path(), &[]).unwrap_err();
        assert!(
            matches!(
                err,
                WriteError::NotAFile {
                    kind: Kind::Directory,
                    ..
                }
            ),
            "{err}"
        );
        let err = Output::plan(&dir.path().join("no/such/report.json"), &[]).unwrap_err();
        assert!(matches!(err, WriteError::NoDirectory { .. }), "{err}");
    }

    #[test]
    fn an_input_is_never_an_output_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = dir.path().join("catalog.csv");
        std::fs::write(&catalog, "url\n").unwrap();
        let inputs = [Input::new(&catalog, "the catalog")];
        let err = Output::plan(&catalog, &inputs).unwrap_err();
        assert!(err.to_string().contains("the catalog of this run"), "{err}");
        // The same file through `..`.
        let roundabout = dir.path().join("x").join("..").join("catalog.csv");
        std::fs::create_dir(dir.path().join("x")).unwrap();
        assert!(Output::plan(&roundabout, &inputs).is_err());
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&catalog, &link).unwrap();
            assert!(Output::plan(&link, &inputs).is_err());
        }
        assert_eq!(std::fs::read(&catalog).unwrap(), b"url\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        Output::plan(&link, &[]).unwrap().write(b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        // A dangling link creates its target.
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("made.json", &dangling).unwrap();
        Output::plan(&dangling, &[])
            .unwrap()
            .write(b"made")
            .unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("made.json")).unwrap(),
            b"made"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_through() {
        let null = Output::plan(Path::new("/dev/null"), &[]).unwrap();
        null.write(b"report").unwrap();
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        let full = Output::plan(Path::new("/dev/full"), &[]).unwrap();
        let err = full.write(b"report").unwrap_err();
        assert_eq!(
            match &err {
                WriteError::Io { error, .. } => error.raw_os_error(),
                _ => None,
            },
            Some(rustix::io::Errno::NOSPC.raw_os_error()),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_through_to_its_reader_or_refused_without_one() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
        )
        .unwrap();
        let out = Output::plan(&fifo, &[]).unwrap();
        let err = out.write(b"x").unwrap_err();
        assert!(matches!(err, WriteError::NoReader { .. }), "{err}");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        // The reader opens the FIFO in its own time: try until it has.
        let mut written = false;
        for _ in 0..500 {
            match out.write(b"report") {
                Ok(()) => {
                    written = true;
                    break;
                }
                Err(WriteError::NoReader { .. }) => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert!(written);
        assert_eq!(reader.join().unwrap(), b"report");
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
}
