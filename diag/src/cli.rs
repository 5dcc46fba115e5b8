//! Every flag of the command line, with its documentation, in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Check that this machine can reach every endpoint a service needs, through the
/// proxy it would really use.
#[derive(Debug, Parser)]
#[command(name = "pathprobe", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Service URL catalogs: list what would be probed, compare versions.
    #[command(subcommand)]
    Urls(UrlsCommand),
}

/// `pathprobe urls ...`
#[derive(Debug, Subcommand)]
pub enum UrlsCommand {
    /// Show the endpoints of a catalog and how each would be probed.
    ///
    /// Without a file, the embedded Microsoft Defender for Endpoint list is used.
    List(ListArgs),
    /// Show endpoints added, removed or changed between two catalog versions.
    ///
    /// Exit code 0 when they agree, 1 when they differ, 2 on bad input.
    Diff(DiffArgs),
}

/// Where the catalog comes from.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Catalog file: vendor .xlsx, CSV with a header, text list (one URL per
    /// line), or pathprobe JSON. Default: the embedded catalog.
    #[arg(value_name = "CATALOG")]
    pub catalog: Option<PathBuf>,

    /// Read only this sheet of a workbook.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// Filters shared by commands that plan probes.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Data location: WW rows plus this one's (US, EU, UK, AU, "US Gov", GCC,
    /// "GCC High", DoD; GW_US style values are accepted too).
    #[arg(long, value_name = "GEO", conflicts_with = "onboarding")]
    pub geo: Option<String>,

    /// Take the data location from a Defender for Endpoint onboarding file
    /// (Windows script or registry JSON, Linux mdatp_onboard.json or script, macOS plist).
    #[arg(long, value_name = "FILE")]
    pub onboarding: Option<PathBuf>,

    /// Only rows for this operating system (rows without platform flags apply to all).
    #[arg(long, value_enum, value_name = "OS")]
    pub os: Option<OsArg>,

    /// Only rows whose category or service contains this text (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub category: Option<String>,

    /// Leave out rows the vendor marks optional.
    #[arg(long)]
    pub required_only: bool,
}

/// `--os` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OsArg {
    /// Windows (any generation).
    Windows,
    /// macOS.
    Macos,
    /// Linux.
    Linux,
}

/// Output formats of `urls` commands.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// A table for people.
    Table,
    /// JSON (with schema_version).
    Json,
    /// CSV with a header row.
    Csv,
}

/// `pathprobe urls list`
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub catalog: CatalogArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Show the source file, sheet and row of each endpoint.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `pathprobe urls diff`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older catalog.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer catalog.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
