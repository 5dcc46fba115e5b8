//! The configuration file: `check`, `serve` and `bundle` options in TOML.
//!
//! A key is an option's long name (`phase-timeout = 3`, `proxy = "http://…"`,
//! `resolve = ["a.example=10.0.0.1"]`, `direct = true`; the catalog is
//! `catalog = "file.xlsx"`). `[site.NAME]` tables hold the same keys and
//! override the top level when `--site NAME` is given. The command line
//! overrides the file, and the file the defaults: values from the file are
//! added to the command line only for options it does not set (nor
//! contradict: `--pac` on the command line drops `proxy` from the file).
//!
//! The file is `--config FILE`, else the first of
//! `$XDG_CONFIG_HOME/pathprobe/config.toml` (`~/.config/...`) and
//! `/etc/pathprobe/config.toml`; `--no-config` ignores them. Unknown keys and
//! values of the wrong type are errors naming the file, line and key.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::CommandFactory as _;
use clap::parser::ValueSource;

/// The commands that read the file.
pub const COMMANDS: [&str; 3] = ["check", "serve", "bundle"];

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Given on the command line.
    CommandLine,
    /// From the file, at this line (in this site's table, if any).
    File {
        /// The file.
        path: PathBuf,
        /// 1-based line of the key.
        line: usize,
        /// The `[site.NAME]` table, when the key is in one.
        site: Option<String>,
    },
    /// The option's default.
    Default,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::CommandLine => f.write_str("command line"),
            Self::Default => f.write_str("default"),
            Self::File {
                path,
                line,
                site: None,
            } => write!(f, "{}:{line}", pathprobe_files::shown_path(path)),
            Self::File {
                path,
                line,
                site: Some(site),
            } => write!(
                f,
                "{}:{line} (site {})",
                pathprobe_files::shown_path(path),
                pathprobe_files::quote::visible(site)
            ),
        }
    }
}

/// A configuration file that cannot be used: exit 2, naming file, line, key.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The command line with the file's values added, and where each added
/// value came from (by clap argument id).
#[derive(Debug, Default)]
pub struct Applied {
    /// The arguments to parse.
    pub args: Vec<OsString>,
    /// Argument id to the file line it came from.
    pub sources: BTreeMap<String, Source>,
    /// The file read, if any.
    pub file: Option<PathBuf>,
}

/// A value as found in the file.
#[derive(Debug, Clone)]
enum Value {
    Bool(bool),
    Scalar(String),
    List(Vec<String>),
}

/// Where the options of this process's command came from, by clap
/// argument id, for the places that name a setting's origin (a proxy from
/// the configuration file is not "the command line").
fn origins() -> &'static std::sync::OnceLock<BTreeMap<String, Source>> {
    static ORIGINS: std::sync::OnceLock<BTreeMap<String, Source>> = std::sync::OnceLock::new();
    &ORIGINS
}

/// Remembers where `applied`'s options came from (once per process).
pub fn remember(applied: &Applied) {
    let _ = origins().set(applied.sources.clone());
}

/// The configuration file line an option (by clap id) came from, if it did.
pub fn origin_of(id: &str) -> Option<&'static Source> {
    origins()
        .get()
        .and_then(|o| o.get(id))
        .filter(|s| matches!(s, Source::File { .. }))
}

/// Adds the configuration file's values to `args` (a whole command line,
/// program name first) for `check`, `serve` and `bundle`.
pub fn apply(args: Vec<OsString>) -> Result<Applied, ConfigError> {
    let Some(command) = args.get(1).and_then(|a| a.to_str()).map(str::to_owned) else {
        return Ok(unchanged(args));
    };
    if !COMMANDS.contains(&command.as_str())
        || args.get(2).and_then(|a| a.to_str()) == Some("inspect")
    {
        return Ok(unchanged(args));
    }
    let explicit = flag_value(&args, "--config").map(PathBuf::from);
    let site = flag_value(&args, "--site");
    let no_config = args.iter().any(|a| a == "--no-config");
    let path = match (&explicit, no_config) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => None,
        (None, false) => default_path(),
    };
    let Some(path) = path else {
        if let Some(site) = site {
            return Err(ConfigError(format!(
                "--site {site}: no configuration file (give --config FILE, or create {})",
                search_path()
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )));
        }
        return Ok(unchanged(args));
    };
    let text = crate::input::text(&path, crate::input::SMALL_BYTES)
        .map_err(|e| ConfigError(format!("configuration file {e}")))?;
    let file = read(&path, &text)?;

    let root = crate::cli::Cli::command();
    let Some(cmd) = root.find_subcommand(&command) else {
        return Ok(unchanged(args));
    };
    // What the command line already sets.
    let given: Vec<String> = match root.clone().try_get_matches_from(&args) {
        Ok(m) => m
            .subcommand_matches(&command)
            .map(|sub| {
                cmd.get_arguments()
                    .map(|a| a.get_id().as_str().to_owned())
                    .filter(|id| sub.value_source(id) == Some(ValueSource::CommandLine))
                    .collect()
            })
            .unwrap_or_default(),
        // The parser will say what is wrong; the file changes nothing.
        Err(_) => return Ok(unchanged(args)),
    };

    // The site's keys first: they win over the top level's.
    let mut candidates: Vec<(&Entry, Option<String>)> = Vec::new();
    if let Some(site) = &site {
        let entries = file.sites.get(site).ok_or_else(|| {
            ConfigError(format!(
                "{}: no [site.{site}] (sites: {})",
                path.display(),
                if file.sites.is_empty() {
                    "none".to_owned()
                } else {
                    file.sites.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            ))
        })?;
        candidates.extend(entries.iter().map(|e| (e, Some(site.clone()))));
    }
    candidates.extend(file.top.iter().map(|e| (e, None)));

    let mut chosen: Vec<(&clap::Arg, &Entry, Option<String>)> = Vec::new();
    for (entry, site) in candidates {
        // Keys of another command (listen = for serve) are not this one's.
        let Some(arg) = find_arg(cmd, &entry.key) else {
            continue;
        };
        let id = arg.get_id().as_str();
        // clap lists a conflict on the argument that declares it: `--proxy`
        // names `--pac`, not the other way round. Both ways count here.
        let contradicts = |other: &str| {
            cmd.get_arguments()
                .find(|a| a.get_id().as_str() == other)
                .is_some_and(|o| in_conflict(cmd, arg, o))
        };
        // A flag set to false is not set: it contradicts nothing.
        let set = |e: &Entry| !matches!(e.value, Value::Bool(false));
        let overridden = given.iter().any(|g| g == id)
            || chosen.iter().any(|(a, ..)| a.get_id() == arg.get_id())
            || given.iter().any(|g| contradicts(g))
            || chosen
                .iter()
                .any(|(a, e, _)| set(e) && contradicts(a.get_id().as_str()));
        if !overridden {
            chosen.push((arg, entry, site));
        }
    }

    let mut out = unchanged(args);
    out.file = Some(path.clone());
    for (arg, entry, site) in chosen {
        let located = |message: String| {
            ConfigError(format!(
                "{}:{}: {}: {message}",
                path.display(),
                entry.line,
                entry.key
            ))
        };
        let words = words_for(arg, &entry.value).map_err(located)?;
        if words.is_empty() {
            continue;
        }
        if arg.is_positional() {
            // Right after the subcommand's name.
            for (i, w) in words.iter().enumerate() {
                out.args.insert(2 + i, w.into());
            }
        } else {
            out.args.extend(words.iter().map(OsString::from));
        }
        out.sources.insert(
            arg.get_id().as_str().to_owned(),
            Source::File {
                path: path.clone(),
                line: entry.line,
                site,
            },
        );
    }
    Ok(out)
}

fn unchanged(args: Vec<OsString>) -> Applied {
    Applied {
        args,
        ..Applied::default()
    }
}

/// `--flag VALUE` or `--flag=VALUE`.
fn flag_value(args: &[OsString], flag: &str) -> Option<String> {
    let mut iter = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = iter.next() {
        if a == flag {
            return iter.next().map(str::to_owned);
        }
        if let Some(v) = a.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            return Some(v.to_owned());
        }
    }
    None
}

/// The default locations, in the order they are tried.
pub fn search_path() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let user = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    if let Some(dir) = user {
        paths.push(dir.join("pathprobe/config.toml"));
    }
    paths.push(PathBuf::from("/etc/pathprobe/config.toml"));
    paths
}

/// The first default location that holds a file.
pub fn default_path() -> Option<PathBuf> {
    search_path().into_iter().find(|p| p.is_file())
}

/// The option a key names: its long name, or `catalog` for the positional.
/// Whether `a` and `b` exclude each other, whichever of them declares it.
fn in_conflict(cmd: &clap::Command, a: &clap::Arg, b: &clap::Arg) -> bool {
    let names = |x: &clap::Arg, y: &clap::Arg| {
        cmd.get_arg_conflicts_with(x)
            .iter()
            .any(|c| c.get_id() == y.get_id())
    };
    names(a, b) || names(b, a)
}

/// Two keys of one level (the top, or one site) that contradict each other
/// (`proxy` and `pac`): which would win is not for the file's order to say.
fn contradictions(
    root: &clap::Command,
    path: &Path,
    entries: &[Entry],
    site: Option<&str>,
) -> Result<(), ConfigError> {
    for name in COMMANDS {
        let Some(cmd) = root.find_subcommand(name) else {
            continue;
        };
        let set: Vec<(&Entry, &clap::Arg)> = entries
            .iter()
            .filter(|e| !matches!(e.value, Value::Bool(false)))
            .filter_map(|e| Some((e, find_arg(cmd, &e.key)?)))
            .collect();
        for (i, (first, a)) in set.iter().enumerate() {
            if let Some((second, _)) = set.iter().skip(i + 1).find(|(_, b)| in_conflict(cmd, a, b))
            {
                let (early, late) = if first.line <= second.line {
                    (first, second)
                } else {
                    (second, first)
                };
                return Err(ConfigError(format!(
                    "{}:{}: {} contradicts {} (line {}){}: keep one of them",
                    path.display(),
                    late.line,
                    late.key,
                    early.key,
                    early.line,
                    site.map(|s| format!(" in [site.{s}]")).unwrap_or_default()
                )));
            }
        }
    }
    Ok(())
}

fn find_arg<'a>(cmd: &'a clap::Command, key: &str) -> Option<&'a clap::Arg> {
    cmd.get_arguments().find(|a| {
        if a.is_positional() {
            a.get_id().as_str() == key
        } else {
            a.get_long() == Some(key)
        }
    })
}

/// The command-line words for a value of `arg`.
fn words_for(arg: &clap::Arg, value: &Value) -> Result<Vec<String>, String> {
    let long = arg.get_long().unwrap_or("");
    match (arg.get_action(), value) {
        (clap::ArgAction::SetTrue, Value::Bool(true)) => Ok(vec![format!("--{long}")]),
        (clap::ArgAction::SetTrue, Value::Bool(false)) => Ok(Vec::new()),
        (clap::ArgAction::SetTrue, _) => Err("expected true or false".into()),
        (_, Value::Bool(_)) => Err("expected a value, not true or false".into()),
        (clap::ArgAction::Append, Value::List(items)) => {
            Ok(items.iter().flat_map(|v| word(arg, long, v)).collect())
        }
        (_, Value::List(_)) => Err("expected one value, not a list".into()),
        (_, Value::Scalar(v)) => Ok(word(arg, long, v)),
    }
}

fn word(arg: &clap::Arg, long: &str, value: &str) -> Vec<String> {
    if arg.is_positional() {
        vec![value.to_owned()]
    } else {
        vec![format!("--{long}={value}")]
    }
}

/// One `key = value` of the file.
#[derive(Debug)]
struct Entry {
    key: String,
    value: Value,
    line: usize,
}

/// The file, checked against every option of the commands that read it.
#[derive(Debug, Default)]
struct File {
    top: Vec<Entry>,
    sites: BTreeMap<String, Vec<Entry>>,
}

/// Checks a configuration file's text (see [`crate::check_config`]).
pub fn check_text(path: &Path, text: &str) -> Result<(), ConfigError> {
    read(path, text).map(|_| ())
}

/// More sites than any fleet's configuration has; each is validated in full.
const MAX_SITES: usize = 1000;

fn read(path: &Path, text: &str) -> Result<File, ConfigError> {
    use toml::de::{DeTable, DeValue};
    // Where each line starts, once: counting newlines for every key made a
    // file of many sites quadratic.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |offset: usize| newlines.partition_point(|at| *at < offset) + 1;
    let table = DeTable::parse(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(s.start));
        ConfigError(format!(
            "{}:{line}: not valid TOML: {}",
            path.display(),
            e.message()
        ))
    })?;
    // Before any value is checked (or quoted in an error): the passwords
    // of every table, a site this run does not use included.
    let mut values = Vec::new();
    string_values(None, table.get_ref(), &mut values);
    crate::secrets::learn_from_config(&values);
    let root = crate::cli::Cli::command();
    let known: Vec<(String, &str, &clap::Arg)> = COMMANDS
        .iter()
        .filter_map(|c| Some((*c, root.find_subcommand(c)?)))
        .flat_map(|(name, c)| c.get_arguments().map(move |a| (name, a)))
        .filter(|(_, a)| !a.is_hide_set())
        .filter_map(|(name, a)| {
            let key = if a.is_positional() {
                a.get_id().as_str().to_owned()
            } else {
                a.get_long()?.to_owned()
            };
            Some((key, name, a))
        })
        .filter(|(k, ..)| !matches!(k.as_str(), "config" | "site" | "no-config" | "help"))
        .collect();

    let entries = |table: &DeTable<'_>, site: Option<&str>| -> Result<Vec<Entry>, ConfigError> {
        let mut out = Vec::new();
        for (key, value) in table.iter() {
            let name = key.get_ref().to_string();
            let line = line_of(key.span().start);
            let located =
                |message: String| ConfigError(format!("{}:{line}: {message}", path.display()));
            let Some((_, command, arg)) = known.iter().find(|(k, ..)| *k == name) else {
                // No option name is long: a long key is no typo of one (and
                // the distance costs the square of its length).
                let near = if name.chars().count() <= 64 {
                    nearest(&name, known.iter().map(|(k, ..)| k.as_str()))
                } else {
                    None
                };
                let name = pathprobe_files::quote::quoted(&name);
                return Err(located(format!(
                    "unknown key {name}{}{}",
                    site.map(|s| format!(" in [site.{s}]")).unwrap_or_default(),
                    near.map(|n| format!(" (did you mean \"{n}\"?)"))
                        .unwrap_or_default()
                )));
            };
            let scalar = |v: &DeValue<'_>| -> Option<String> {
                match v {
                    DeValue::String(s) => Some(s.to_string()),
                    DeValue::Integer(i) => Some(
                        i64::from_str_radix(i.as_str(), i.radix())
                            .map_or_else(|_| i.as_str().to_owned(), |n| n.to_string()),
                    ),
                    DeValue::Float(f) => Some(f.as_str().to_owned()),
                    // A date and time written bare (`at = 2026-01-01T00:00:00Z`)
                    // is TOML's own type: read as its text (round 20: refused
                    // as "a string, number, boolean or list is expected").
                    DeValue::Datetime(d) => Some(d.to_string()),
                    _ => None,
                }
            };
            let value = match value.get_ref() {
                DeValue::Boolean(b) => Value::Bool(*b),
                DeValue::Array(items) => Value::List(
                    items
                        .iter()
                        .map(|i| scalar(i.get_ref()))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| {
                            located(format!("{name}: a list of strings or numbers is expected"))
                        })?,
                ),
                other => Value::Scalar(scalar(other).ok_or_else(|| {
                    located(format!(
                        "{name}: a string, number, boolean or list is expected"
                    ))
                })?),
            };
            // Every value, used now or not, through the real parser of a
            // command that takes it: a mistake in an unused site is still
            // reported against its line.
            let words = words_for(arg, &value).map_err(|m| located(format!("{name}: {m}")))?;
            let mut probe: Vec<OsString> = vec!["pathprobe".into(), (*command).into()];
            probe.extend(words.iter().map(OsString::from));
            if let Err(e) = root.clone().try_get_matches_from(&probe) {
                let message = crate::secrets::clap_message(&e);
                let first = message
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("error: ")
                    .to_owned();
                return Err(located(format!("{name}: {first}")));
            }
            out.push(Entry {
                key: name,
                value,
                line,
            });
        }
        Ok(out)
    };

    let mut top = DeTable::default();
    let mut sites = BTreeMap::new();
    for (key, value) in table.get_ref().iter() {
        if key.get_ref() == "site" {
            let DeValue::Table(all) = value.get_ref() else {
                return Err(ConfigError(format!(
                    "{}:{}: site: expected [site.NAME] tables",
                    path.display(),
                    line_of(key.span().start)
                )));
            };
            if all.len() > MAX_SITES {
                return Err(ConfigError(format!(
                    "{}:{}: {} [site.*] tables; at most {MAX_SITES} are read",
                    path.display(),
                    line_of(key.span().start),
                    all.len()
                )));
            }
            for (name, body) in all.iter() {
                let DeValue::Table(body) = body.get_ref() else {
                    return Err(ConfigError(format!(
                        "{}:{}: site.{}: expected a table",
                        path.display(),
                        line_of(name.span().start),
                        name.get_ref()
                    )));
                };
                let read = entries(body, Some(name.get_ref()))?;
                contradictions(&root, path, &read, Some(name.get_ref()))?;
                sites.insert(name.get_ref().to_string(), read);
            }
        } else {
            top.insert(key.clone(), value.clone());
        }
    }
    let top = entries(&top, None)?;
    contradictions(&root, path, &top, None)?;
    Ok(File { top, sites })
}

/// Every string of `table` with the key it stands under, tables and lists
/// within included.
fn string_values(
    key: Option<&str>,
    table: &toml::de::DeTable<'_>,
    out: &mut Vec<(String, String)>,
) {
    use toml::de::DeValue;
    fn value(key: &str, v: &DeValue<'_>, out: &mut Vec<(String, String)>) {
        match v {
            DeValue::String(s) => out.push((key.to_owned(), s.to_string())),
            DeValue::Array(items) => items.iter().for_each(|i| value(key, i.get_ref(), out)),
            DeValue::Table(t) => string_values(Some(key), t, out),
            _ => {}
        }
    }
    for (k, v) in table.iter() {
        let name = k.get_ref();
        value(
            if name.is_empty() {
                key.unwrap_or("")
            } else {
                name
            },
            v.get_ref(),
            out,
        );
    }
}

/// The known key closest to `name`, when it is close.
fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (previous + usize::from(ca != *cb))
                .min(above + 1)
                .min(left + 1);
            previous = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_suggest_near_keys() {
        assert_eq!(distance("geo", "geo"), 0);
        assert_eq!(distance("phase-timout", "phase-timeout"), 1);
        assert_eq!(
            nearest("proxi", ["proxy", "pac", "direct"].into_iter()),
            Some("proxy")
        );
        assert_eq!(nearest("zzzzzz", ["proxy"].into_iter()), None);
    }
}
