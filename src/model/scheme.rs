//! Schemes (programme periods), their ordered tiers, levels of government and year ranges.

use crate::model::ids::{Label, Lang, SchemeId, TierId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An inclusive range of calendar years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    /// First year in the range.
    pub from: u16,
    /// Last year in the range (inclusive).
    pub to: u16,
}

impl YearRange {
    /// Makes the range `from..=to`.
    pub fn new(from: u16, to: u16) -> Self {
        Self { from, to }
    }

    /// Whether `year` lies in the range.
    pub fn contains(&self, year: u16) -> bool {
        self.from <= year && year <= self.to
    }

    /// Whether the two ranges share at least one year.
    pub fn overlaps(&self, other: &YearRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

impl fmt::Display for YearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.from, self.to)
    }
}

/// A criteria scheme: one programme period with its own ordered tiers.
///
/// The 2021-2025 scheme has the tiers standard < advanced < model; the 2026-2030 scheme
/// defines its own. Tier order is the order of [`Scheme::tiers`], lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Scheme id (`"2021-2025"`).
    pub id: SchemeId,
    /// Years the scheme covers.
    pub years: YearRange,
    /// Tiers, lowest first. A unit holds a tier only if it holds every tier below it.
    pub tiers: Vec<Tier>,
}

impl Scheme {
    /// Position of `tier` in the scheme's order (0 = lowest), if the tier exists.
    pub fn tier_rank(&self, tier: &TierId) -> Option<usize> {
        self.tiers.iter().position(|t| &t.id == tier)
    }
}

/// A recognition tier (standard, advanced, model, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Tier id.
    pub id: TierId,
    /// Tier name (`"đạt chuẩn"` / `"standard"`).
    pub name: Label,
}

/// Administrative level a criteria set applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Village (thôn, bản, ấp).
    Village,
    /// Commune (xã).
    Commune,
    /// District (huyện, thị xã, thành phố thuộc tỉnh).
    District,
    /// Province (tỉnh, thành phố trực thuộc trung ương).
    Province,
    /// The country: a root above the provinces, for national summaries (the standard
    /// share over every commune, the advanced and model shares over standard communes).
    /// No national criteria set exists; the country is summarised, not assessed.
    Country,
}

impl Level {
    /// The level's name in the given language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Level::Village, Lang::Vi) => "thôn",
            (Level::Village, Lang::En) => "village",
            (Level::Commune, Lang::Vi) => "xã",
            (Level::Commune, Lang::En) => "commune",
            (Level::District, Lang::Vi) => "huyện",
            (Level::District, Lang::En) => "district",
            (Level::Province, Lang::Vi) => "tỉnh",
            (Level::Province, Lang::En) => "province",
            (Level::Country, Lang::Vi) => "toàn quốc",
            (Level::Country, Lang::En) => "country",
        }
    }
}
