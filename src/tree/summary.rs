//! Summaries of the units below a unit: counts by tier with shares over explicit
//! denominators, criteria statistics of communes in bands, and roll-up values. Every
//! figure is exact; only `Display` rounds.

use crate::model::{round_display, CriterionId, IndicatorId, Level, TierId, UnitCode};
use crate::tree::input::RollUpMethod;
#[cfg(doc)]
use crate::tree::Aggregation;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A share with its explicit denominator: `count` of `total`, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Share {
    /// The units counted.
    pub count: u32,
    /// The denominator.
    pub total: u32,
    /// `count × 100 / total` as a decimal (the exact fraction is `count / total`; the
    /// decimal has 28 significant digits); absent when `total` is 0.
    pub percent: Option<Decimal>,
}

impl Share {
    /// The share `count / total`.
    pub fn new(count: u32, total: u32) -> Share {
        let percent = (total > 0)
            .then(|| {
                Decimal::from(count)
                    .checked_mul(Decimal::ONE_HUNDRED)?
                    .checked_div(Decimal::from(total))
            })
            .flatten();
        Share {
            count,
            total,
            percent,
        }
    }
}

/// An average with its parts: `sum / count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Average {
    /// The sum.
    pub sum: u64,
    /// The number of values.
    pub count: u32,
    /// `sum / count` as a decimal; absent when `count` is 0.
    pub value: Option<Decimal>,
}

impl Average {
    /// The average `sum / count`.
    pub fn new(sum: u64, count: u32) -> Average {
        let value = (count > 0)
            .then(|| Decimal::from(sum).checked_div(Decimal::from(count)))
            .flatten();
        Average { sum, count, value }
    }
}

/// Counts of one tier among the units of a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TierCounts {
    /// The tier.
    pub tier: TierId,
    /// Units holding the tier (or a higher one) after this year's decisions.
    pub cumulative: u32,
    /// Units that reached the tier this year.
    pub new: u32,
    /// Units whose recognition of the tier was revoked this year.
    pub revoked: u32,
    /// Share of `cumulative` over every assessed unit of the level (denominator
    /// "all units": the 147/184 form).
    pub share_of_all: Share,
    /// Share of `cumulative` over the units holding the lowest tier of the level
    /// (denominator "standard units": the national reports' form for advanced and
    /// model).
    pub share_of_lowest: Share,
}

/// Counts of the units of one level below a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct LevelCounts {
    /// The level.
    pub level: Level,
    /// Units of the level below the unit (at the reporting date).
    pub units: u32,
    /// Units with criteria sets (the denominator of shares over all units).
    pub assessed: u32,
    /// Units decided (a tier or no tier).
    pub decided: u32,
    /// Units whose decision cannot be made from the data and thresholds at hand.
    pub undecided: u32,
    /// Units left out (bad data, no input, unreadable input, …; see
    /// [`Aggregation::excluded`] for each one's reason).
    pub excluded: u32,
    /// Counts by tier, lowest first.
    pub tiers: Vec<TierCounts>,
}

impl LevelCounts {
    fn empty(level: Level) -> Self {
        Self {
            level,
            units: 0,
            assessed: 0,
            decided: 0,
            undecided: 0,
            excluded: 0,
            tiers: Vec::new(),
        }
    }

    /// The counts of a tier.
    pub fn tier(&self, tier: &str) -> Option<&TierCounts> {
        self.tiers.iter().find(|t| t.tier.as_str() == tier)
    }

    pub(super) fn tier_mut(&mut self, tier: &TierId) -> &mut TierCounts {
        let at = match self.tiers.iter().position(|t| &t.tier == tier) {
            Some(i) => i,
            None => {
                self.tiers.push(TierCounts {
                    tier: tier.clone(),
                    cumulative: 0,
                    new: 0,
                    revoked: 0,
                    share_of_all: Share::new(0, 0),
                    share_of_lowest: Share::new(0, 0),
                });
                self.tiers.len() - 1
            }
        };
        // INVARIANT: `at` is a valid index: found, or just pushed.
        #[expect(clippy::indexing_slicing, reason = "index found or pushed just above")]
        &mut self.tiers[at]
    }

    pub(super) fn add(&mut self, other: &LevelCounts) {
        self.units += other.units;
        self.assessed += other.assessed;
        self.decided += other.decided;
        self.undecided += other.undecided;
        self.excluded += other.excluded;
        for t in &other.tiers {
            let mine = self.tier_mut(&t.tier);
            mine.cumulative += t.cumulative;
            mine.new += t.new;
            mine.revoked += t.revoked;
        }
    }

    pub(super) fn finish(&mut self) {
        let lowest = self.tiers.first().map_or(0, |t| t.cumulative);
        let all = self.assessed;
        for t in &mut self.tiers {
            t.share_of_all = Share::new(t.cumulative, all);
            t.share_of_lowest = Share::new(t.cumulative, lowest);
        }
    }
}

/// A band of the distribution of criteria met: communes meeting `min..=max` criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Band {
    /// Fewest criteria in the band.
    pub min: u32,
    /// Most criteria in the band.
    pub max: u32,
    /// Communes in the band.
    pub units: u32,
}

/// The bands of a set of `total` criteria: all of them; then bands of five going down
/// (`total-4..=total-1` of four, then `total-9..=total-5`, … of five), the last one
/// down to 0. For 19
/// criteria: 19; 15–18; 10–14; 5–9; 0–4.
pub fn bands_for(total: u32) -> Vec<Band> {
    let mut bands = vec![Band {
        min: total,
        max: total,
        units: 0,
    }];
    let mut max = total;
    let mut width = 4;
    while max > 0 {
        let top = max - 1;
        let min = top.saturating_sub(width - 1);
        width = 5;
        bands.push(Band {
            min,
            max: top,
            units: 0,
        });
        max = min;
    }
    bands
}

/// Criteria statistics of the communes (or other evaluated units) of one level below a
/// unit, against the lowest-tier set of that level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CriteriaStats {
    /// The level.
    pub level: Level,
    /// Number of criteria of the set (the largest, if units used sets of different
    /// sizes).
    pub criteria_total: u32,
    /// Criteria met per unit, on average, over the units evaluated (excluded units are
    /// not in it).
    pub average: Average,
    /// Distribution of criteria met, in bands derived from the set's size (see
    /// [`bands_for`]); each unit is placed by its own set's size.
    pub bands: Vec<Band>,
    /// The floor of the second band (15 for 19 criteria): units below it are "under 15
    /// criteria".
    pub below_floor: u32,
    /// Units meeting fewer than `below_floor` criteria.
    pub below: u32,
    /// Units meeting each criterion, in official order.
    pub by_criterion: Vec<CriterionCount>,
}

/// Number of units meeting one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CriterionCount {
    /// The criterion.
    pub criterion: CriterionId,
    /// Units meeting it.
    pub units: u32,
}

impl CriteriaStats {
    pub(super) fn empty(level: Level) -> Self {
        Self {
            level,
            criteria_total: 0,
            average: Average::new(0, 0),
            bands: Vec::new(),
            below_floor: 0,
            below: 0,
            by_criterion: Vec::new(),
        }
    }

    pub(super) fn add_unit<'a>(
        &mut self,
        n: u32,
        total: u32,
        met: impl Iterator<Item = &'a CriterionId>,
    ) {
        // The average's value is computed once, in `finish`.
        self.average.sum += u64::from(n);
        self.average.count += 1;
        if total > self.criteria_total {
            let old = std::mem::take(&mut self.bands);
            self.criteria_total = total;
            self.bands = bands_for(total);
            self.below_floor = total.saturating_sub(4);
            // Re-place earlier units by offset from the top (bands are offset-based).
            for (i, b) in old.into_iter().enumerate() {
                if let Some(nb) = self.bands.get_mut(i) {
                    nb.units += b.units;
                }
            }
        }
        let from_top = total.saturating_sub(n);
        let band = if from_top == 0 {
            0
        } else {
            (from_top / 5 + 1) as usize
        };
        let last = self.bands.len().saturating_sub(1);
        if let Some(b) = self.bands.get_mut(band.min(last)) {
            b.units += 1;
        }
        if n < total.saturating_sub(4) {
            self.below += 1;
        }
        let mut hint = 0;
        for c in met {
            self.count_criterion(c, 1, &mut hint);
        }
    }

    /// Adds `n` units to a criterion's count (appending it if new). The search starts
    /// at `hint`, the slot after the previous criterion counted, and wraps: criteria
    /// come in official order, so the next one is usually there. Criteria are unique
    /// in `by_criterion`, so the slot found is the one a search from the start finds.
    fn count_criterion(&mut self, c: &CriterionId, n: u32, hint: &mut usize) {
        let len = self.by_criterion.len();
        let from = (*hint).min(len);
        let found = (from..len)
            .chain(0..from)
            .find(|&i| self.by_criterion.get(i).is_some_and(|x| &x.criterion == c));
        match found.and_then(|i| self.by_criterion.get_mut(i).map(|x| (i, x))) {
            Some((i, x)) => {
                x.units += n;
                *hint = i + 1;
            }
            None => {
                self.by_criterion.push(CriterionCount {
                    criterion: c.clone(),
                    units: n,
                });
                *hint = self.by_criterion.len();
            }
        }
    }

    /// Computes the average's value from its sum and count (once, when every unit is
    /// added).
    pub(super) fn finish(&mut self) {
        self.average = Average::new(self.average.sum, self.average.count);
    }

    pub(super) fn add(&mut self, other: &CriteriaStats) {
        if other.criteria_total > self.criteria_total {
            let old = std::mem::take(&mut self.bands);
            self.criteria_total = other.criteria_total;
            self.bands = bands_for(other.criteria_total);
            self.below_floor = other.below_floor;
            for (i, b) in old.into_iter().enumerate() {
                if let Some(nb) = self.bands.get_mut(i) {
                    nb.units += b.units;
                }
            }
        }
        self.average.sum += other.average.sum;
        self.average.count += other.average.count;
        for (i, b) in other.bands.iter().enumerate() {
            if let Some(nb) = self.bands.get_mut(i) {
                nb.units += b.units;
            }
        }
        self.below += other.below;
        let mut hint = 0;
        for c in &other.by_criterion {
            self.count_criterion(&c.criterion, c.units, &mut hint);
        }
    }
}

/// The roll-up of one indicator for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RollUpValue {
    /// The indicator.
    pub indicator: IndicatorId,
    /// How it was rolled up.
    pub method: RollUpMethod,
    /// Level of the units rolled up.
    pub from: Level,
    /// Units whose value was used.
    pub units: u32,
    /// The value; absent when any unit's value or weight is missing (never guessed),
    /// or when there are no units.
    pub value: Option<Decimal>,
    /// Σ(value × weight) and Σ weight, for rates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted: Option<(Decimal, Decimal)>,
    /// Units without a usable value (missing, not a number, or bad data).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_value: Vec<UnitCode>,
    /// Units without the weight.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_weight: Vec<UnitCode>,
    /// The arithmetic overflowed (values far beyond any real figure).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overflow: bool,
    /// Units left out because they are excluded from the counts (bad data, no input,
    /// unreadable input, …): their values are not used, in code order with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
    /// Why [`RollUpValue::value`] is absent, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_value: Option<NoValue>,
}

/// A unit whose value a roll-up does not use, because the unit is excluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct LeftOut {
    /// The unit.
    pub unit: UnitCode,
    /// Why it is excluded: [`ExclusionReason::name`](crate::tree::ExclusionReason::name)
    /// (`"bad_data"`, `"no_input"`, …).
    pub reason: String,
}

/// Why a roll-up has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NoValue {
    /// No unit below brings a value (none at the level, or all left out).
    NoUnits,
    /// Some units have no usable value ([`RollUpValue::missing_value`]).
    MissingValues,
    /// Some units have no weight ([`RollUpValue::missing_weight`]).
    MissingWeights,
    /// The arithmetic overflowed.
    Overflow,
    /// A rate whose weights add up to zero: there is nothing to divide by.
    ZeroWeight,
}

/// The summary of one unit with children: what its descendants achieved this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Summary {
    /// The unit.
    pub unit: UnitCode,
    /// Its level.
    pub level: Level,
    /// Counts of the units of each level below, lowest level first.
    pub levels: Vec<LevelCounts>,
    /// Criteria statistics of the communes below (when any was evaluated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria: Option<CriteriaStats>,
    /// Roll-ups of indicators of the units below.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollups: Vec<RollUpValue>,
}

impl Summary {
    /// The counts of one level below the unit.
    pub fn level(&self, level: Level) -> Option<&LevelCounts> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// The roll-up of an indicator.
    pub fn rollup(&self, indicator: &str) -> Option<&RollUpValue> {
        self.rollups
            .iter()
            .find(|r| r.indicator.as_str() == indicator)
    }

    pub(super) fn level_mut(&mut self, level: Level) -> &mut LevelCounts {
        let at = match self.levels.iter().position(|l| l.level == level) {
            Some(i) => i,
            None => {
                self.levels.push(LevelCounts::empty(level));
                self.levels.len() - 1
            }
        };
        #[expect(clippy::indexing_slicing, reason = "index found or pushed just above")]
        &mut self.levels[at]
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.percent {
            Some(p) => write!(f, "{}/{} ({}%)", self.count, self.total, round_display(p)),
            None => write!(f, "{}/{}", self.count, self.total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_the_set_size() {
        let b: Vec<(u32, u32)> = bands_for(19).iter().map(|b| (b.min, b.max)).collect();
        assert_eq!(b, vec![(19, 19), (15, 18), (10, 14), (5, 9), (0, 4)]);
        let b: Vec<(u32, u32)> = bands_for(5).iter().map(|b| (b.min, b.max)).collect();
        assert_eq!(b, vec![(5, 5), (1, 4), (0, 0)]);
    }

    #[test]
    fn shares_and_rounding() {
        let s = Share::new(147, 184);
        assert_eq!(round_display(s.percent.unwrap()).to_string(), "79.9");
        assert_eq!(Share::new(1, 0).percent, None);
        assert_eq!(
            round_display(Decimal::new(3146, 0) / Decimal::new(184, 0)).to_string(),
            "17.1"
        );
    }
}
