//! Geographies (data locations) of the vendor's lists and how `--geo` selects rows.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The data location a catalog row belongs to.
///
/// The vendor's instruction is "open all WW rows plus the rows of your data
/// location"; government clouds add their shared "US Gov" rows.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(into = "String", try_from = "String")]
#[schemars(with = "String")]
pub enum Geography {
    /// Worldwide rows ("WW", "All"): needed everywhere.
    Worldwide,
    /// United States.
    Us,
    /// European Union.
    Eu,
    /// United Kingdom.
    Uk,
    /// Australia.
    Au,
    /// Rows shared by every US government cloud.
    UsGov,
    /// US Government Community Cloud.
    Gcc,
    /// GCC High.
    GccHigh,
    /// Department of Defense.
    Dod,
    /// A location this version does not know (e.g. a newly added region): kept verbatim.
    Other(String),
}

impl Geography {
    /// The short code shown in tables and accepted by `--geo`.
    pub fn code(&self) -> &str {
        match self {
            Geography::Worldwide => "WW",
            Geography::Us => "US",
            Geography::Eu => "EU",
            Geography::Uk => "UK",
            Geography::Au => "AU",
            Geography::UsGov => "US Gov",
            Geography::Gcc => "GCC",
            Geography::GccHigh => "GCC High",
            Geography::Dod => "DoD",
            Geography::Other(s) => s,
        }
    }

    /// Reads a cell or flag value. Empty text is `None` (the caller picks a default).
    ///
    /// Matching ignores case, spaces and punctuation so that "US Gov", "USGov" and
    /// "us-gov" agree; a parenthesised code wins ("Azure UAE Central (AEC)" is `AEC`).
    pub fn parse(text: &str) -> Option<Geography> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        let key: String = trimmed
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let known = match key.as_str() {
            "ww" | "all" | "worldwide" | "global" | "common" => Some(Geography::Worldwide),
            "us" | "usa" | "unitedstates" => Some(Geography::Us),
            "eu" | "europe" | "europeanunion" => Some(Geography::Eu),
            "uk" | "gb" | "unitedkingdom" => Some(Geography::Uk),
            "au" | "aus" | "australia" => Some(Geography::Au),
            "usgov" | "usgovernment" | "gov" => Some(Geography::UsGov),
            "gcc" | "gccmoderate" => Some(Geography::Gcc),
            "gcchigh" | "gcch" => Some(Geography::GccHigh),
            "dod" => Some(Geography::Dod),
            _ => None,
        };
        if known.is_some() {
            return known;
        }
        // "Azure UAE Central (AEC)" -> "AEC": the code is what other rows use.
        if let (Some(open), Some(close)) = (trimmed.rfind('('), trimmed.rfind(')'))
            && open < close
        {
            let inner = trimmed.get(open + 1..close).unwrap_or_default().trim();
            if !inner.is_empty() {
                return Some(
                    Geography::parse(inner).unwrap_or(Geography::Other(inner.to_string())),
                );
            }
        }
        Some(Geography::Other(trimmed.to_string()))
    }

    /// Infers a geography from a category such as "Microsoft Defender for Endpoint EU",
    /// which is how sheets without a geography column carry it.
    pub fn from_category_suffix(category: &str) -> Option<Geography> {
        let words: Vec<&str> = category.split_whitespace().collect();
        // Longest suffix first: "GCC High" before "High".
        for take in (1..=2).rev() {
            if words.len() > take {
                let tail = words.get(words.len() - take..)?.join(" ");
                let is_code = tail.chars().all(|c| c.is_ascii_uppercase() || c == ' ')
                    || tail.eq_ignore_ascii_case("gcc high")
                    || tail == "DoD";
                if !is_code || tail.len() > 8 {
                    continue;
                }
                match Geography::parse(&tail) {
                    Some(Geography::Other(_)) | None => {
                        // Unknown all-caps three-letter codes ("AEC") are locations too.
                        if take == 1 && tail.len() == 3 {
                            return Some(Geography::Other(tail));
                        }
                    }
                    Some(g) => return Some(g),
                }
            }
        }
        None
    }

    /// Government clouds share the "US Gov" rows.
    fn is_us_government(&self) -> bool {
        matches!(self, Geography::Gcc | Geography::GccHigh | Geography::Dod)
    }
}

impl fmt::Display for Geography {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl From<Geography> for String {
    fn from(g: Geography) -> String {
        g.code().to_string()
    }
}

impl TryFrom<String> for Geography {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Geography::parse(&s).ok_or_else(|| "empty geography".to_string())
    }
}

impl FromStr for Geography {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Geography::parse(s).ok_or_else(|| "empty geography".to_string())
    }
}

/// A `--geo` choice: which rows a machine in that data location needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoSelection {
    chosen: Geography,
}

impl GeoSelection {
    /// Selects `chosen` plus the rows every machine needs.
    pub fn new(chosen: Geography) -> Self {
        Self { chosen }
    }

    /// The geography that was asked for.
    pub fn chosen(&self) -> &Geography {
        &self.chosen
    }

    /// Whether a row of geography `row` applies: WW rows always; the chosen
    /// location's rows; and the shared "US Gov" rows for a government cloud.
    pub fn includes(&self, row: &Geography) -> bool {
        row == &Geography::Worldwide
            || row == &self.chosen
            || (row == &Geography::UsGov && self.chosen.is_us_government())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spellings_of_the_vendor_files() {
        assert_eq!(Geography::parse("WW"), Some(Geography::Worldwide));
        assert_eq!(Geography::parse("All"), Some(Geography::Worldwide));
        assert_eq!(Geography::parse(" US Gov "), Some(Geography::UsGov));
        assert_eq!(Geography::parse("GCC High"), Some(Geography::GccHigh));
        assert_eq!(Geography::parse("DoD"), Some(Geography::Dod));
        assert_eq!(Geography::parse("eu"), Some(Geography::Eu));
        assert_eq!(
            Geography::parse("Azure UAE Central (AEC)"),
            Some(Geography::Other("AEC".into()))
        );
        assert_eq!(Geography::parse("  "), None);
    }

    #[test]
    fn category_suffix_carries_geography_on_sheets_without_a_column() {
        let g = |s| Geography::from_category_suffix(s);
        assert_eq!(g("Microsoft Defender for Endpoint EU"), Some(Geography::Eu));
        assert_eq!(
            g("Microsoft Defender for Endpoint GCC High"),
            Some(Geography::GccHigh)
        );
        assert_eq!(
            g("Microsoft Defender for Endpoint DoD"),
            Some(Geography::Dod)
        );
        assert_eq!(
            g("Microsoft Defender for Endpoint AEC"),
            Some(Geography::Other("AEC".into()))
        );
        assert_eq!(g("Microsoft Monitoring Agent (MMA)"), None);
        assert_eq!(g("Common"), None);
        assert_eq!(g("MU / WU"), None);
    }

    #[test]
    fn selection_is_worldwide_plus_location() {
        let eu = GeoSelection::new(Geography::Eu);
        assert!(eu.includes(&Geography::Worldwide));
        assert!(eu.includes(&Geography::Eu));
        assert!(!eu.includes(&Geography::Us));
        assert!(!eu.includes(&Geography::UsGov));
        let gcc = GeoSelection::new(Geography::Gcc);
        assert!(gcc.includes(&Geography::UsGov));
        assert!(!gcc.includes(&Geography::GccHigh));
    }
}
