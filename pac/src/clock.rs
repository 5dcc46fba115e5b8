//! The clock the date and time helpers read.
//!
//! `weekdayRange`, `dateRange` and `timeRange` (and any `new Date()` in a
//! script) depend on the current time and the local time zone. Both come from
//! a [`PacClock`], so `pac eval --at 2026-03-02T08:30:00+01:00` and the tests
//! can ask "which proxy at that moment" and get the same answer every time.

use std::fmt;

use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// Where a PAC evaluation gets "now" and the local time zone.
pub trait PacClock: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> Timestamp;
    /// The zone local time is computed in (the script's non-`"GMT"` forms).
    fn time_zone(&self) -> TimeZone;
}

/// The machine's clock and time zone.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl PacClock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
    fn time_zone(&self) -> TimeZone {
        TimeZone::system()
    }
}

/// A moment fixed in advance, with the zone its local time is read in.
#[derive(Debug, Clone)]
pub struct FixedClock {
    at: Timestamp,
    zone: TimeZone,
}

/// A `--at` value that is not a date and time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{text}\" is not a date and time (expected RFC 3339, e.g. 2026-03-02T08:30:00+01:00): {reason}"
)]
pub struct ClockError {
    text: String,
    reason: String,
}

impl FixedClock {
    /// A fixed instant read in the given zone.
    pub fn new(at: Timestamp, zone: TimeZone) -> Self {
        Self { at, zone }
    }

    /// Parses RFC 3339 / RFC 9557 text. The local zone is the one the text
    /// names: `[Europe/Paris]` if annotated, else its offset (`Z` is UTC), else
    /// the machine's zone for a date and time with no offset at all.
    pub fn parse(text: &str) -> Result<Self, ClockError> {
        let fail = |reason: String| ClockError {
            text: text.to_owned(),
            reason,
        };
        let text = text.trim();
        if text.contains('[') {
            let zoned: Zoned = text.parse().map_err(|e: jiff::Error| fail(e.to_string()))?;
            return Ok(Self::new(zoned.timestamp(), zoned.time_zone().clone()));
        }
        let pieces = Pieces::parse(text).map_err(|e| fail(e.to_string()))?;
        match pieces.offset() {
            Some(PiecesOffset::Zulu) => {
                let at: Timestamp = text.parse().map_err(|e: jiff::Error| fail(e.to_string()))?;
                Ok(Self::new(at, TimeZone::UTC))
            }
            Some(PiecesOffset::Numeric(offset)) => {
                let at: Timestamp = text.parse().map_err(|e: jiff::Error| fail(e.to_string()))?;
                Ok(Self::new(at, TimeZone::fixed(offset.offset())))
            }
            Some(_) => Err(fail("unsupported offset form".into())),
            None => {
                let civil: jiff::civil::DateTime =
                    text.parse().map_err(|e: jiff::Error| fail(e.to_string()))?;
                let zone = TimeZone::system();
                let zoned = civil
                    .to_zoned(zone.clone())
                    .map_err(|e| fail(e.to_string()))?;
                Ok(Self::new(zoned.timestamp(), zone))
            }
        }
    }
}

impl PacClock for FixedClock {
    fn now(&self) -> Timestamp {
        self.at
    }
    fn time_zone(&self) -> TimeZone {
        self.zone.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_the_local_zone() {
        let c = FixedClock::parse("2026-03-02T08:30:00+01:00").unwrap();
        assert_eq!(c.now().as_second(), 1_772_436_600);
        assert_eq!(c.time_zone().to_offset(c.now()).seconds(), 3600);
        let z = FixedClock::parse("2026-03-02T07:30:00Z").unwrap();
        assert_eq!(z.now(), c.now());
        assert_eq!(z.time_zone().to_offset(z.now()).seconds(), 0);
    }

    #[test]
    fn named_zones_follow_daylight_saving() {
        let c = FixedClock::parse("2026-07-01T12:00:00+02:00[Europe/Paris]").unwrap();
        assert_eq!(c.time_zone().to_offset(c.now()).seconds(), 7200);
    }

    #[test]
    fn bad_text_says_what_was_expected() {
        let e = FixedClock::parse("yesterday").unwrap_err();
        assert!(e.to_string().contains("RFC 3339"), "{e}");
    }
}
