//! The messages parent and worker exchange: JSON lines, each bounded.

use std::io::{BufRead, Read};
use std::net::IpAddr;
use std::time::Duration;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::clock::PacClock;
use crate::engine::{EntryPoint, Evaluation, PacErrorKind, PacOptions};
use crate::resolver::LookupError;

/// The clock as the parent reads it when it sends a request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ClockReading {
    /// Milliseconds since the Unix epoch (what `Date` resolves).
    pub(super) now_ms: i64,
    pub(super) zone: ZoneReading,
}

/// A time zone in a form that crosses a process boundary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) enum ZoneReading {
    Iana(String),
    FixedSeconds(i32),
    /// Neither: the worker reads the same system settings as the parent.
    System,
}

impl ClockReading {
    pub(super) fn of(clock: &dyn PacClock) -> Self {
        let zone = clock.time_zone();
        let zone = match (zone.iana_name(), zone.to_fixed_offset()) {
            (Some(name), _) => ZoneReading::Iana(name.to_owned()),
            (None, Ok(offset)) => ZoneReading::FixedSeconds(offset.seconds()),
            (None, Err(_)) => ZoneReading::System,
        };
        Self {
            now_ms: clock.now().as_millisecond(),
            zone,
        }
    }

    pub(super) fn time_zone(&self) -> TimeZone {
        match &self.zone {
            ZoneReading::Iana(name) => TimeZone::get(name).unwrap_or_else(|_| TimeZone::system()),
            ZoneReading::FixedSeconds(seconds) => jiff::tz::Offset::from_seconds(*seconds)
                .map(TimeZone::fixed)
                .unwrap_or_else(|_| TimeZone::system()),
            ZoneReading::System => TimeZone::system(),
        }
    }
}

/// Parent to worker.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(super) enum ToWorker {
    Load {
        name: String,
        source: String,
        options: PacOptions,
        clock: ClockReading,
        memory_limit: u64,
    },
    Find {
        url: String,
        host: Option<String>,
        clock: ClockReading,
    },
    Resolved {
        answer: Result<Vec<IpAddr>, LookupError>,
    },
}

/// Worker to parent.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(super) enum FromWorker {
    Loaded {
        result: Result<EntryPoint, PacErrorKind>,
    },
    Lookup {
        host: String,
        timeout: Duration,
    },
    Answer {
        result: Result<Evaluation, PacErrorKind>,
        /// The script's alerts when it failed (an evaluation has its own).
        #[serde(default)]
        alerts: Vec<String>,
        #[serde(default)]
        more_alerts: usize,
    },
}

/// Reads one `\n`-terminated message of at most `limit` bytes; `None` at the end.
pub(super) fn read_message(
    reader: &mut impl BufRead,
    limit: usize,
) -> Result<Option<Vec<u8>>, String> {
    let mut line = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let n = reader
        .take(cap)
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read from the worker: {e}"))?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(if line.len() > limit {
            format!("a message over the limit of {} MiB", limit / (1024 * 1024))
        } else {
            "a message cut short".to_owned()
        });
    }
    line.pop();
    Ok(Some(line))
}
