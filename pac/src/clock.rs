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
        Self::parse_trimmed(text.trim()).map_err(|reason| ClockError {
            text: text.to_owned(),
            reason: Self::out_of_range(text.trim()).unwrap_or(reason),
        })
    }

    fn parse_trimmed(text: &str) -> Result<Self, String> {
        let say = |e: jiff::Error| words(&e.to_string());
        if text.contains('[') {
            let zoned: Zoned = text.parse().map_err(say)?;
            return Ok(Self::new(zoned.timestamp(), zoned.time_zone().clone()));
        }
        let pieces = Pieces::parse(text).map_err(say)?;
        match pieces.offset() {
            Some(PiecesOffset::Zulu) => Ok(Self::new(text.parse().map_err(say)?, TimeZone::UTC)),
            Some(PiecesOffset::Numeric(offset)) => Ok(Self::new(
                text.parse().map_err(say)?,
                TimeZone::fixed(offset.offset()),
            )),
            Some(_) => Err("unsupported offset form".into()),
            None => {
                let civil: jiff::civil::DateTime = text.parse().map_err(say)?;
                let zone = TimeZone::system();
                let zoned = civil.to_zoned(zone.clone()).map_err(say)?;
                Ok(Self::new(zoned.timestamp(), zone))
            }
        }
    }

    /// Why a well-formed date and time was still refused: it lies beyond the
    /// instants a clock can hold (a day short of the calendar's ends, so
    /// that any offset stays inside it). `None` when the text is no date.
    fn out_of_range(text: &str) -> Option<String> {
        let civil = Pieces::parse(text).ok()?.date();
        (civil.year() <= -9999 || civil.year() >= 9999).then(|| {
            // To the second: the last instant's nanoseconds say nothing.
            let second = |t: Timestamp| Timestamp::from_second(t.as_second()).unwrap_or(t);
            format!(
                "outside the moments a clock can be set to ({} to {})",
                second(Timestamp::MIN),
                second(Timestamp::MAX)
            )
        })
    }
}

/// A date parser's reason in a person's words (round 20: "parameter 'day'
/// for 2026-02 is invalid, must be in range", "failed to parse two digit
/// integer as month").
fn words(said: &str) -> String {
    let lower = said.to_ascii_lowercase();
    for (field, words) in [
        ("'day'", "that month has no such day"),
        ("day", "the day is not one of its month"),
        ("month", "the month is not one from 01 to 12"),
        ("hour", "the hour is not one from 00 to 23"),
        ("minute", "the minute is not one from 00 to 59"),
        ("second", "the second is not one from 00 to 59"),
        (
            "offset",
            "the offset after the time is not one (Z, or +HH:MM)",
        ),
        ("year", "it does not start with a year of four digits"),
    ] {
        if lower.contains(field) {
            return words.to_owned();
        }
    }
    "it does not read as one".to_owned()
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

    /// Round 20: the reason in words, not the date parser's.
    #[test]
    fn impossible_dates_are_said_in_words() {
        for (text, said) in [
            ("2026-02-30T00:00:00Z", "that month has no such day"),
            ("2026-13-01T00:00:00Z", "the month is not one from 01 to 12"),
            ("2026-01-01T25:00:00Z", "the hour is not one from 00 to 23"),
            ("yesterday", "it does not start with a year of four digits"),
        ] {
            let e = FixedClock::parse(text).unwrap_err().to_string();
            assert!(e.ends_with(said), "{text}: {e}");
            assert!(
                !e.contains("parameter") && !e.contains("failed to parse"),
                "{e}"
            );
        }
    }

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

    #[test]
    fn the_calendar_ends_are_said_as_such() {
        for text in [
            "9999-12-31T23:59:59Z",
            "9999-12-31T23:59:59+01:00",
            "9999-12-31T23:59:59",
            "-009999-01-01T00:00:00Z",
        ] {
            let e = FixedClock::parse(text).unwrap_err().to_string();
            assert!(
                e.contains("outside the moments a clock can be set to"),
                "{e}"
            );
            assert!(!e.contains("overflowed") && !e.contains("parameter"), "{e}");
        }
        // The last instant it holds is still a date.
        assert!(FixedClock::parse("9999-12-30T22:00:00Z").is_ok());
        assert!(FixedClock::parse("9999-06-30T00:00:00Z").is_ok());
    }
}
