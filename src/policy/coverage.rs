//! How much of a criteria set is known: counts of indicators and threshold cells by
//! confidence, and of unknown and delegated cells.
//!
//! A *cell* is one threshold row of one indicator (one profile condition × year range).
//! Coverage is computed on plain [`CriteriaSet`]s, so it works the same before and after
//! [overlays](crate::overlay) are applied: an overlay that fills cells moves them from
//! `unknown`/`delegated` to the confidence the overlay gives them.

use crate::model::{Confidence, CriteriaSet, Indicator, Level, SetId, Threshold, TierId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// CoverageCounts by confidence, plus unknown and delegated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CoverageCounts {
    /// Known, [`Confidence::Confirmed`].
    pub confirmed: u32,
    /// Known, [`Confidence::Reported`].
    pub reported: u32,
    /// Known, [`Confidence::Unverified`].
    pub unverified: u32,
    /// Known, [`Confidence::Illustrative`].
    pub illustrative: u32,
    /// Indicators only: some rows known, some unknown or delegated.
    pub partial: u32,
    /// Unknown ([`Threshold::Unknown`]); for indicators: every row unknown (or unknown
    /// and delegated).
    pub unknown: u32,
    /// Delegated to the province ([`Threshold::Delegated`]); for indicators: every row
    /// delegated.
    pub delegated: u32,
}

impl CoverageCounts {
    /// Sum of all counts.
    pub fn total(&self) -> u32 {
        self.confirmed
            + self.reported
            + self.unverified
            + self.illustrative
            + self.partial
            + self.unknown
            + self.delegated
    }

    /// Known (not unknown, delegated or partial).
    pub fn known(&self) -> u32 {
        self.confirmed + self.reported + self.unverified + self.illustrative
    }

    fn add_confidence(&mut self, c: Confidence) {
        match c {
            Confidence::Confirmed => self.confirmed += 1,
            Confidence::Reported => self.reported += 1,
            Confidence::Unverified => self.unverified += 1,
            Confidence::Illustrative => self.illustrative += 1,
        }
    }
}

/// Coverage of one criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SetCoverage {
    /// The set.
    pub set: SetId,
    /// Its level.
    pub level: Level,
    /// Its tier.
    pub tier: TierId,
    /// Number of criteria.
    pub criteria: u32,
    /// Indicators and preconditions. A fully known indicator counts under the weakest
    /// confidence of its rows.
    pub indicators: CoverageCounts,
    /// Threshold cells (rows).
    pub cells: CoverageCounts,
}

impl SetCoverage {
    /// CoverageCounts the indicators and cells of a set.
    pub fn of(set: &CriteriaSet) -> Self {
        let mut indicators = CoverageCounts::default();
        let mut cells = CoverageCounts::default();
        for indicator in set.all_indicators() {
            classify(indicator, &mut indicators, &mut cells);
        }
        Self {
            set: set.id.clone(),
            level: set.level,
            tier: set.tier.clone(),
            criteria: u32::try_from(set.criteria.len()).unwrap_or(u32::MAX),
            indicators,
            cells,
        }
    }
}

fn classify(indicator: &Indicator, indicators: &mut CoverageCounts, cells: &mut CoverageCounts) {
    let (mut unknown, mut delegated) = (0u32, 0u32);
    let mut weakest: Option<Confidence> = None;
    for row in &indicator.thresholds {
        match row.threshold {
            Threshold::Unknown => {
                unknown += 1;
                cells.unknown += 1;
            }
            Threshold::Delegated => {
                delegated += 1;
                cells.delegated += 1;
            }
            _ => {
                cells.add_confidence(row.confidence);
                weakest = weakest.max(Some(row.confidence));
            }
        }
    }
    match (weakest, unknown, delegated) {
        (Some(c), 0, 0) => indicators.add_confidence(c),
        (Some(_), _, _) => indicators.partial += 1,
        (None, 0, d) if d > 0 => indicators.delegated += 1,
        (None, _, _) => indicators.unknown += 1,
    }
}

/// Coverage of several sets, printable as a plain-text table.
///
/// ```
/// use ntm_rules::policy::{CoverageReport, catalog};
///
/// let sets = catalog::load_all()?;
/// let report = CoverageReport::of(&sets);
/// assert_eq!(report.sets.len(), catalog::entries().len());
/// println!("{report}");
/// # Ok::<(), ntm_rules::policy::catalog::CatalogError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CoverageReport {
    /// One line per set.
    pub sets: Vec<SetCoverage>,
}

impl CoverageReport {
    /// Coverage of every set given.
    pub fn of<'a>(sets: impl IntoIterator<Item = &'a CriteriaSet>) -> Self {
        Self {
            sets: sets.into_iter().map(SetCoverage::of).collect(),
        }
    }

    /// Sum over all sets.
    pub fn totals(&self) -> (CoverageCounts, CoverageCounts) {
        let mut ind = CoverageCounts::default();
        let mut cells = CoverageCounts::default();
        for s in &self.sets {
            for (sum, c) in [(&mut ind, &s.indicators), (&mut cells, &s.cells)] {
                sum.confirmed += c.confirmed;
                sum.reported += c.reported;
                sum.unverified += c.unverified;
                sum.illustrative += c.illustrative;
                sum.partial += c.partial;
                sum.unknown += c.unknown;
                sum.delegated += c.delegated;
            }
        }
        (ind, cells)
    }
}

impl fmt::Display for CoverageReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .sets
            .iter()
            .map(|s| s.set.as_str().chars().count())
            .max()
            .unwrap_or(3)
            .max(5);
        writeln!(
            f,
            "{:<width$}  {:<8} {:<8} {:>4} | {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} | {:>5} {:>4} {:>4} {:>4} {:>5} {:>4} {:>5}",
            "set", "level", "tier", "crit", "ind", "conf", "rep", "unv", "ill", "part", "unk", "del",
            "cells", "conf", "rep", "unv", "ill", "unk", "del",
        )?;
        writeln!(f, "{}", "-".repeat(width + 100))?;
        let line = |f: &mut fmt::Formatter<'_>,
                    name: &str,
                    level: &str,
                    tier: &str,
                    crit: String,
                    i: &CoverageCounts,
                    c: &CoverageCounts| {
            writeln!(
                f,
                "{name:<width$}  {level:<8} {tier:<8} {crit:>4} | {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} | {:>5} {:>4} {:>4} {:>4} {:>5} {:>4} {:>5}",
                i.total(), i.confirmed, i.reported, i.unverified, i.illustrative, i.partial, i.unknown, i.delegated,
                c.total(), c.confirmed, c.reported, c.unverified, c.illustrative, c.unknown, c.delegated,
            )
        };
        for s in &self.sets {
            line(
                f,
                s.set.as_str(),
                s.level.label(crate::model::Lang::En),
                s.tier.as_str(),
                s.criteria.to_string(),
                &s.indicators,
                &s.cells,
            )?;
        }
        let (i, c) = self.totals();
        writeln!(f, "{}", "-".repeat(width + 100))?;
        line(f, "total", "", "", String::new(), &i, &c)
    }
}
