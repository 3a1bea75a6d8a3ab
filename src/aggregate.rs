//! One bottom-up pass over a [`Hierarchy`] for a reporting year → decisions for every
//! unit and a [`Summary`] for every unit with children: the fifth stage of the pipeline.
//!
//! [`aggregate`] takes the validated tree, the criteria sets of each level
//! ([`LevelSets`]; village: model-village set; commune: standard, advanced, model;
//! district and province sets), each unit's [`UnitInput`] (profile, indicator data,
//! recognition history, weights), and the indicator [`RollUp`]s wanted. It then:
//!
//! 1. goes through the units level by level, villages first; for each unit it picks the
//!    sets of its level and kind, compiles each distinct (set, profile, year) once (the
//!    [`Program`]s are cached), evaluates, and [`decide`]s;
//! 2. before evaluating a district or province, computes its **derived indicators**
//!    (indicators with [`derived`](crate::Indicator::derived)) from its children's
//!    decisions — exact decimal percentages and counts — and puts them into the unit's
//!    data, replacing any value given for them;
//! 3. sums the children's results into a [`Summary`] per unit, bottom-up: counts by tier
//!    (cumulative, newly recognised this year, revoked this year), shares with an
//!    explicit denominator, criteria statistics of communes, and roll-ups.
//!
//! **Bad data does not stop the pass.** A unit whose data does not fit its sets (a
//! [`DataError`]), whose set cannot be compiled for its profile, or that has two inputs,
//! is [excluded](Excluded): it is listed with the reason and counted in
//! [`LevelCounts::excluded`], but it is in no tier count and no criteria statistic.
//! A unit whose decision [cannot be made](crate::Verdict::CannotDecide) is counted in
//! [`LevelCounts::undecided`]. Both stay in the denominators of shares over all units
//! (the official "147 of 184 communes" counts recognised units over every commune).
//! A derived indicator is only computed when every child it counts is decided; otherwise
//! it is left missing (so the parent is undetermined, never guessed) and the reason is
//! listed in [`Aggregation::derived_problems`].
//!
//! Derived shares are over the children whose scheme has the tier named: a share of
//! districts at `standard` does not count a provincial city, whose scheme has the tier
//! `completed` instead.
//!
//! The result does not depend on the order of the units or inputs: units are processed
//! by level, then code.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::compile::{compile, Program};
use crate::decide::{decide, Decision, Verdict};
use crate::definitions::{
    decimal_serde, ChildMeasure, CriteriaSet, CriterionId, Derivation, EventKind, History,
    IndicatorData, IndicatorId, Label, Level, Profile, TierId, UnitCode, Value,
};
use crate::error::{CompileError, DataError, DecideError, LoadError};
use crate::evaluate::{Assessment, Outcome};
use crate::hierarchy::{AdminUnit, Date, Hierarchy, TreeError, UnitKind};
use crate::load::from_json;

/// A weight of a unit (households, population), used by rate roll-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Weight(#[serde(with = "decimal_serde")] pub Decimal);

impl JsonSchema for Weight {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Weight".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        decimal_serde::DecimalSchema::json_schema(g)
    }
}

/// What the pass needs to know about one unit for the reporting year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    /// Indicator data (the unit's code and the year are in it).
    pub data: IndicatorData,
    /// Profile used to select thresholds.
    #[serde(default)]
    pub profile: Profile,
    /// Recognition history.
    #[serde(default)]
    pub history: History,
    /// Weights for rate roll-ups, by name (`"households"`, `"population"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, Weight>,
}

impl UnitInput {
    /// Input with data only (default profile, empty history, no weights).
    pub fn new(data: IndicatorData) -> Self {
        Self {
            data,
            profile: Profile::default(),
            history: History::default(),
            weights: BTreeMap::new(),
        }
    }

    /// Sets the profile (builder style).
    #[must_use]
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Sets the history (builder style).
    #[must_use]
    pub fn with_history(mut self, history: History) -> Self {
        self.history = history;
        self
    }

    /// Adds a weight (builder style).
    #[must_use]
    pub fn with_weight(mut self, name: impl Into<String>, value: Decimal) -> Self {
        self.weights.insert(name.into(), Weight(value));
        self
    }
}

/// The criteria sets of one level (and, optionally, only some kinds of unit).
///
/// For a unit, the first `LevelSets` whose level matches and whose `kinds` is empty or
/// contains the unit's kind applies; a unit with no matching sets is not assessed
/// (wards and townships are not NTM communes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelSets {
    /// The level.
    pub level: Level,
    /// The kinds of unit the sets apply to; empty: every kind (and units without one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<UnitKind>,
    /// The sets, one per tier of the scheme.
    pub sets: Vec<CriteriaSet>,
}

impl LevelSets {
    /// Sets for every unit of a level.
    pub fn new(level: Level, sets: Vec<CriteriaSet>) -> Self {
        Self {
            level,
            kinds: Vec::new(),
            sets,
        }
    }

    /// Restricts the sets to some kinds of unit (builder style).
    #[must_use]
    pub fn for_kinds(mut self, kinds: Vec<UnitKind>) -> Self {
        self.kinds = kinds;
        self
    }

    fn applies(&self, unit: &AdminUnit) -> bool {
        self.level == unit.level
            && (self.kinds.is_empty() || unit.kind.is_some_and(|k| self.kinds.contains(&k)))
    }
}

/// How an indicator of the units below is rolled up into one value for a unit above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RollUpMethod {
    /// Sum of the values (products, cooperatives, households).
    Sum,
    /// A rate or per-person average weighted by a weight of each unit: Σ(value × w) /
    /// Σ w. For a percentage whose denominator is the weight (poor households per 100
    /// households, weighted by households) this is Σ numerators / Σ denominators × 100,
    /// the correct rate of the whole — never an unweighted mean of percentages.
    Rate {
        /// Name of the weight in [`UnitInput::weights`].
        weight: String,
    },
    /// The smallest value.
    Minimum,
    /// The largest value.
    Maximum,
}

/// A roll-up wanted in the summaries: one indicator of the units at `from`, rolled up
/// into every unit above them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RollUp {
    /// The indicator, as named in the units' data.
    pub indicator: IndicatorId,
    /// Name for reports.
    pub name: Label,
    /// Unit of the value, for reports (`"%"`, `"triệu đồng/người/năm"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Label>,
    /// How.
    pub method: RollUpMethod,
    /// Level of the units whose values are rolled up (communes by default).
    #[serde(default = "commune_level")]
    pub from: Level,
}

fn commune_level() -> Level {
    Level::Commune
}

/// Why a unit was left out of the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
#[serde(tag = "reason", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExclusionReason {
    /// The unit's data does not fit a set.
    #[error("bad data: {0}")]
    BadData(DataError),
    /// A set cannot be compiled for the unit's profile.
    #[error("criteria set cannot be compiled for the unit's profile: {0}")]
    CannotCompile(
        #[serde(serialize_with = "compile_problems")]
        #[schemars(with = "Vec<crate::error::SetProblem>")]
        CompileError,
    ),
    /// The assessments and history cannot be combined.
    #[error("cannot decide: {0}")]
    CannotDecide(DecideError),
    /// Two inputs were given for the unit.
    #[error("{count} inputs given for the unit")]
    DuplicateInput {
        /// How many.
        count: usize,
    },
    /// The unit's input could not be read (malformed JSON for its part).
    #[error("input cannot be read: {message}")]
    Unreadable {
        /// Why, with the JSON path.
        message: String,
    },
}

fn compile_problems<S: serde::Serializer>(e: &CompileError, s: S) -> Result<S::Ok, S::Error> {
    e.problems().serialize(s)
}

impl ExclusionReason {
    /// A short name of the reason, for grouping (`"bad_data"`).
    pub fn name(&self) -> &'static str {
        match self {
            ExclusionReason::BadData(_) => "bad_data",
            ExclusionReason::CannotCompile(_) => "cannot_compile",
            ExclusionReason::CannotDecide(_) => "cannot_decide",
            ExclusionReason::DuplicateInput { .. } => "duplicate_input",
            ExclusionReason::Unreadable { .. } => "unreadable",
        }
    }
}

/// A unit left out of the counts, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
#[error("unit `{unit}` excluded: {reason}")]
pub struct Excluded {
    /// The unit.
    pub unit: UnitCode,
    /// Its level.
    pub level: Level,
    /// Why.
    pub reason: ExclusionReason,
}

/// What happened to one unit in the pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum UnitStatus {
    /// No criteria set applies to the unit (a ward, a township, a level without sets).
    NotAssessed,
    /// Left out; see the reason.
    Excluded {
        /// Why.
        reason: ExclusionReason,
    },
    /// Evaluated and decided (the decision may be that it cannot be made).
    Decided {
        /// The decision.
        decision: Box<Decision>,
    },
}

/// The result of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct UnitResult {
    /// The unit.
    pub unit: UnitCode,
    /// Its level.
    pub level: Level,
    /// Its parent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitCode>,
    /// What happened.
    #[serde(flatten)]
    pub status: UnitStatus,
    /// Tiers of the unit's scheme, lowest first (empty when not assessed or when no set
    /// could be compiled).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierId>,
    /// Criteria of the lowest-tier set that are met, in official order (when evaluated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria_met: Option<Vec<CriterionId>>,
    /// Number of criteria of the lowest-tier set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria_total: Option<u32>,
    /// For districts and provinces: the data evaluated, derived values included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<IndicatorData>,
}

impl UnitResult {
    /// The decision, when the unit was decided.
    pub fn decision(&self) -> Option<&Decision> {
        match &self.status {
            UnitStatus::Decided { decision } => Some(decision),
            _ => None,
        }
    }

    /// Rank (0 = lowest) of the tier held after the decision; `None` for no tier, or
    /// when not decided.
    pub fn rank_after(&self) -> Option<usize> {
        let tier = self.decision()?.tier_after()??;
        self.tiers.iter().position(|t| t == tier)
    }

    /// Whether the unit holds `tier` (or a higher tier of its scheme) after the
    /// decision. `None` when the tier is not in the unit's scheme or the unit was not
    /// decided.
    pub fn holds(&self, tier: &TierId) -> Option<bool> {
        let want = self.tiers.iter().position(|t| t == tier)?;
        let decision = self.decision()?;
        let after = decision.tier_after()?;
        Some(
            after
                .and_then(|t| self.tiers.iter().position(|x| x == t))
                .is_some_and(|r| r >= want),
        )
    }

    fn is_undecided(&self) -> bool {
        self.decision().is_some_and(|d| d.tier_after().is_none())
    }
}

/// A share with its explicit denominator: `count` of `total`, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// Units left out for bad data (see [`Aggregation::excluded`]).
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

    fn tier_mut(&mut self, tier: &TierId) -> &mut TierCounts {
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

    fn add(&mut self, other: &LevelCounts) {
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

    fn finish(&mut self) {
        let lowest = self.tiers.first().map_or(0, |t| t.cumulative);
        let all = self.assessed;
        for t in &mut self.tiers {
            t.share_of_all = Share::new(t.cumulative, all);
            t.share_of_lowest = Share::new(t.cumulative, lowest);
        }
    }
}

/// A band of the distribution of criteria met: communes meeting `min..=max` criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CriterionCount {
    /// The criterion.
    pub criterion: CriterionId,
    /// Units meeting it.
    pub units: u32,
}

impl CriteriaStats {
    fn empty(level: Level) -> Self {
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

    fn add_unit(&mut self, met: &[CriterionId], total: u32) {
        // The average's value is computed once, in `finish`.
        self.average.sum += met.len() as u64;
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
        let n = met.len() as u32;
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
    fn finish(&mut self) {
        self.average = Average::new(self.average.sum, self.average.count);
    }

    fn add(&mut self, other: &CriteriaStats) {
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
}

/// The summary of one unit with children: what its descendants achieved this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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

    fn level_mut(&mut self, level: Level) -> &mut LevelCounts {
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

/// A derived indicator that could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
#[error("unit `{unit}`, derived indicator `{indicator}`: {reason}")]
pub struct DerivedProblem {
    /// The parent unit.
    pub unit: UnitCode,
    /// The indicator.
    pub indicator: IndicatorId,
    /// Why it is left missing.
    pub reason: String,
}

/// The outcome of the pass: every unit's result, a summary per unit with children, and
/// what went wrong where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Aggregation {
    /// The reporting year.
    pub year: u16,
    /// The tree's reporting date.
    pub date: Date,
    /// Every unit's result, by code.
    pub results: BTreeMap<UnitCode, UnitResult>,
    /// A summary per unit with children, by code.
    pub summaries: BTreeMap<UnitCode, Summary>,
    /// Units left out, in code order.
    pub excluded: Vec<Excluded>,
    /// Derived indicators left missing, and why.
    pub derived_problems: Vec<DerivedProblem>,
    /// Assessed units for which no input was given (evaluated as if every value were
    /// missing).
    pub missing_input: Vec<UnitCode>,
    /// Inputs for codes that are not in the tree at the date (ignored).
    pub unknown_inputs: Vec<UnitCode>,
}

impl Aggregation {
    /// The result of a unit.
    pub fn result(&self, code: &str) -> Option<&UnitResult> {
        self.results.get(code)
    }

    /// The summary of a unit with children.
    pub fn summary(&self, code: &str) -> Option<&Summary> {
        self.summaries.get(code)
    }

    /// Number of excluded units by reason name (`"bad_data"` → 2).
    pub fn excluded_by_reason(&self) -> BTreeMap<&'static str, u32> {
        let mut m = BTreeMap::new();
        for e in &self.excluded {
            *m.entry(e.reason.name()).or_insert(0) += 1;
        }
        m
    }
}

/// Compiled programs, one per distinct (level sets, set, profile); the year is fixed.
struct ProgramCache {
    year: u16,
    profiles: Vec<Profile>,
    programs: BTreeMap<(usize, usize, usize), Result<Arc<Program>, CompileError>>,
}

impl ProgramCache {
    fn get(
        &mut self,
        group: usize,
        index: usize,
        set: &CriteriaSet,
        profile: &Profile,
    ) -> Result<&Program, CompileError> {
        let p = match self.profiles.iter().position(|x| x == profile) {
            Some(p) => p,
            None => {
                self.profiles.push(profile.clone());
                self.profiles.len() - 1
            }
        };
        let year = self.year;
        self.programs
            .entry((group, index, p))
            .or_insert_with(|| compile(set, profile, year).map(Arc::new))
            .as_ref()
            .map(|p| &**p)
            .map_err(Clone::clone)
    }
}

/// Runs the bottom-up pass for a reporting year. See the module docs.
///
/// Never fails as a whole: problems of single units are in the result
/// ([`Aggregation::excluded`], [`Aggregation::derived_problems`],
/// [`Aggregation::missing_input`], [`Aggregation::unknown_inputs`]).
///
/// # Example
///
/// ```
/// use ntm_rules::aggregate::{aggregate, LevelSets, UnitInput};
/// use ntm_rules::hierarchy::{AdminUnit, Date, Hierarchy};
/// use ntm_rules::{illustrative, Level, Profile, Region};
///
/// let tree = Hierarchy::new(vec![
///     AdminUnit::new("P", "Province", Level::Province),
///     AdminUnit::new("C1", "Commune 1", Level::Commune).with_parent("P"),
///     AdminUnit::new("C2", "Commune 2", Level::Commune).with_parent("P"),
/// ], Date::end_of_year(2022))?;
/// let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
/// let profile = Profile::in_region(Region::Tdmnpb);
/// let inputs = vec![
///     UnitInput::new(illustrative::sample_commune("C1", 2022)).with_profile(profile.clone()),
///     UnitInput::new(ntm_rules::IndicatorData::new("C2", 2022)).with_profile(profile),
/// ];
/// let result = aggregate(&tree, 2022, &sets, &inputs, &[]);
/// let communes = result.summary("P").unwrap().level(Level::Commune).unwrap();
/// assert_eq!(communes.tier("standard").unwrap().cumulative, 1);
/// assert_eq!(communes.undecided, 1); // C2 has no data: its decision cannot be made
/// # Ok::<(), ntm_rules::hierarchy::TreeError>(())
/// ```
pub fn aggregate(
    tree: &Hierarchy,
    year: u16,
    sets: &[LevelSets],
    inputs: &[UnitInput],
    rollups: &[RollUp],
) -> Aggregation {
    aggregate_excluding(tree, year, sets, inputs, rollups, &BTreeMap::new())
}

/// [`aggregate`], where the units in `unreadable` (whose input could not be read, with
/// the reason) are excluded from the counts with [`ExclusionReason::Unreadable`] instead
/// of being evaluated without data, unless they also have a readable input.
pub fn aggregate_excluding(
    tree: &Hierarchy,
    year: u16,
    sets: &[LevelSets],
    inputs: &[UnitInput],
    rollups: &[RollUp],
    unreadable: &BTreeMap<UnitCode, String>,
) -> Aggregation {
    let (by_unit, unknown_inputs) = InputMap::new(tree, inputs);

    let mut cache = ProgramCache {
        year,
        profiles: Vec::new(),
        programs: BTreeMap::new(),
    };
    // The derived indicators of each group of sets, in the order of the sets.
    let derived_by_group: Vec<Vec<(&IndicatorId, &Derivation)>> = sets
        .iter()
        .map(|g| {
            g.sets
                .iter()
                .flat_map(CriteriaSet::all_indicators)
                .filter_map(|ind| ind.derived.as_ref().map(|d| (&ind.id, d)))
                .collect()
        })
        .collect();
    // Results by position (code order).
    let mut results: Vec<Option<UnitResult>> = Vec::new();
    results.resize_with(tree.len(), || None);
    let mut derived_problems = Vec::new();
    let mut missing_input = Vec::new();
    // Buffers reused from one unit to the next.
    let mut assessments: Vec<Assessment> = Vec::new();
    let mut keys: Vec<i32> = Vec::new();
    // Contributions to the roll-ups, recorded as each unit's result is made.
    let mut pending: Vec<(usize, usize, Contribution)> = Vec::new();

    // By level, then code (positions are in code order).
    let mut order: Vec<(Level, usize)> = tree
        .units()
        .enumerate()
        .map(|(pos, u)| (u.level, pos))
        .collect();
    order.sort_unstable();
    for (pos, unit) in order
        .into_iter()
        .filter_map(|(_, pos)| tree.at(pos).map(|u| (pos, u)))
    {
        let mut result = UnitResult {
            unit: unit.code.clone(),
            level: unit.level,
            parent: unit.parent.clone(),
            status: UnitStatus::NotAssessed,
            tiers: Vec::new(),
            criteria_met: None,
            criteria_total: None,
            data: None,
        };
        let Some((group, level_sets)) = sets.iter().enumerate().find(|(_, s)| s.applies(unit))
        else {
            contribute(&mut pending, rollups, pos, &result, by_unit.one(pos));
            put(&mut results, pos, result);
            continue;
        };
        let empty;
        let input = match by_unit.of(pos) {
            [one] => *one,
            [] if unreadable.contains_key(&unit.code) => {
                let message = unreadable.get(&unit.code).cloned().unwrap_or_default();
                result.status = UnitStatus::Excluded {
                    reason: ExclusionReason::Unreadable { message },
                };
                contribute(&mut pending, rollups, pos, &result, by_unit.one(pos));
                put(&mut results, pos, result);
                continue;
            }
            [] => {
                missing_input.push(unit.code.clone());
                empty = UnitInput::new(IndicatorData::new(unit.code.clone(), year));
                &empty
            }
            many => {
                result.status = UnitStatus::Excluded {
                    reason: ExclusionReason::DuplicateInput { count: many.len() },
                };
                contribute(&mut pending, rollups, pos, &result, by_unit.one(pos));
                put(&mut results, pos, result);
                continue;
            }
        };

        // Derived indicators, from the children's results. The data is only copied
        // when it changes or is kept in the result.
        let derived = derived_by_group.get(group).map_or(&[][..], Vec::as_slice);
        let own_data = (!derived.is_empty() || unit.level >= Level::District).then(|| {
            let mut data = input.data.clone();
            // Descendants at each level counted, computed once per unit.
            let mut below: Vec<(Level, Vec<usize>)> = Vec::new();
            for &(id, d) in derived {
                let children = match below.iter().position(|(l, _)| *l == d.children) {
                    Some(i) => below.get(i),
                    None => {
                        below.push((d.children, tree.descendants_at_pos(pos, d.children)));
                        below.last()
                    }
                }
                .map_or(&[][..], |(_, c)| c.as_slice());
                match derive(&d.measure, children, &results, &by_unit) {
                    Ok(v) => {
                        data.values.insert(id.clone(), Value::Number(v));
                    }
                    Err(reason) => {
                        data.values.remove(id);
                        derived_problems.push(DerivedProblem {
                            unit: unit.code.clone(),
                            indicator: id.clone(),
                            reason,
                        });
                    }
                }
            }
            data
        });
        let data = own_data.as_ref().unwrap_or(&input.data);

        match evaluate_unit(
            &mut cache,
            group,
            level_sets,
            input,
            data,
            &mut assessments,
            &mut keys,
        ) {
            Ok(tiers) => {
                result.tiers = tiers;
                if let Some(lowest) = lowest_assessment(&assessments) {
                    result.criteria_met = Some(lowest.criteria_with(Outcome::Met));
                    result.criteria_total = Some(lowest.totals.criteria);
                }
                result.status = match decide(&assessments, &input.history) {
                    Ok(decision) => UnitStatus::Decided {
                        decision: Box::new(decision),
                    },
                    Err(e) => UnitStatus::Excluded {
                        reason: ExclusionReason::CannotDecide(e),
                    },
                };
            }
            Err(reason) => {
                result.status = UnitStatus::Excluded { reason };
            }
        }
        result.data = own_data;
        contribute(&mut pending, rollups, pos, &result, by_unit.one(pos));
        put(&mut results, pos, result);
    }

    let excluded = results
        .iter()
        .flatten()
        .filter_map(|r| match &r.status {
            UnitStatus::Excluded { reason } => Some(Excluded {
                unit: r.unit.clone(),
                level: r.level,
                reason: reason.clone(),
            }),
            _ => None,
        })
        .collect();

    let summaries = summarise(tree, &results, pending, rollups);
    Aggregation {
        year,
        date: tree.date(),
        // In code order already: the map is built from a sorted sequence.
        results: results
            .into_iter()
            .flatten()
            .map(|r| (r.unit.clone(), r))
            .collect(),
        summaries: summaries
            .into_iter()
            .flatten()
            .map(|s| (s.unit.clone(), s))
            .collect(),
        excluded,
        derived_problems,
        missing_input,
        unknown_inputs,
    }
}

/// Records what a unit brings to each roll-up from its level (nothing when it is not
/// assessed), when its result is made and its data is still in cache. Results are made
/// by level, then code, so the units of a roll-up's level are recorded in code order.
fn contribute(
    pending: &mut Vec<(usize, usize, Contribution)>,
    rollups: &[RollUp],
    pos: usize,
    result: &UnitResult,
    input: Option<&UnitInput>,
) {
    for (k, r) in rollups.iter().enumerate() {
        if r.from != result.level {
            continue;
        }
        let c = Contribution::of(r, Some(result), input);
        if !matches!(c, Contribution::Skip) {
            pending.push((pos, k, c));
        }
    }
}

/// Stores a unit's result at its position.
fn put(results: &mut [Option<UnitResult>], pos: usize, result: UnitResult) {
    if let Some(slot) = results.get_mut(pos) {
        *slot = Some(result);
    }
}

/// The result at a position, once computed.
fn result_at(results: &[Option<UnitResult>], pos: usize) -> Option<&UnitResult> {
    results.get(pos).and_then(Option::as_ref)
}

/// The inputs of each unit of the tree, by position: one sorted list and the start of
/// each unit's run (positions `p` has `list[start[p]..start[p + 1]]`, in input order).
struct InputMap<'a> {
    list: Vec<&'a UnitInput>,
    start: Vec<usize>,
}

impl<'a> InputMap<'a> {
    /// Groups the inputs by unit; also returns the codes of inputs for units not in the
    /// tree, in code order, each once.
    fn new(tree: &Hierarchy, inputs: &'a [UnitInput]) -> (Self, Vec<UnitCode>) {
        let mut start = vec![0usize; tree.len() + 1];
        let mut unknown: Vec<UnitCode> = Vec::new();
        // Inputs often come in code order: the unit after the previous input's is tried
        // first (codes are unique in the tree, so a match is the unit's position).
        let mut guess = 0;
        let positions: Vec<Option<usize>> = inputs
            .iter()
            .map(|i| {
                let code = i.data.unit.as_str();
                let pos = tree
                    .at(guess)
                    .filter(|u| u.code.as_str() == code)
                    .map(|_| guess)
                    .or_else(|| tree.position(code));
                if let Some(p) = pos {
                    guess = p + 1;
                }
                match pos.and_then(|p| start.get_mut(p + 1)) {
                    Some(n) => *n += 1,
                    None => unknown.push(i.data.unit.clone()),
                }
                pos
            })
            .collect();
        unknown.sort();
        unknown.dedup();
        // Counts → starts (prefix sums).
        let mut acc = 0;
        for s in &mut start {
            acc += *s;
            *s = acc;
        }
        // Counting sort, stable: each input goes to the next free slot of its unit.
        let mut next = start.clone();
        let mut list: Vec<Option<&UnitInput>> = vec![None; acc];
        for (input, pos) in inputs.iter().zip(positions) {
            let Some(at) = pos.and_then(|p| next.get_mut(p)) else {
                continue;
            };
            if let Some(slot) = list.get_mut(*at) {
                *slot = Some(input);
            }
            *at += 1;
        }
        let list = list.into_iter().flatten().collect();
        (InputMap { list, start }, unknown)
    }

    /// The inputs given for the unit at a position.
    fn of(&self, pos: usize) -> &[&'a UnitInput] {
        let (Some(&from), Some(&to)) = (self.start.get(pos), self.start.get(pos + 1)) else {
            return &[];
        };
        self.list.get(from..to).unwrap_or_default()
    }

    /// The one input of the unit at a position (`None` if none or several).
    fn one(&self, pos: usize) -> Option<&'a UnitInput> {
        match self.of(pos) {
            [one] => Some(*one),
            _ => None,
        }
    }
}

fn lowest_assessment(assessments: &[Assessment]) -> Option<&Assessment> {
    assessments
        .iter()
        .min_by_key(|a| a.scheme.tiers.iter().position(|t| t == &a.tier))
}

/// Evaluates a unit against each set of its group into `assessments` (cleared first);
/// `keys` is a buffer reused from one unit to the next. Returns the tiers of the scheme.
fn evaluate_unit(
    cache: &mut ProgramCache,
    group: usize,
    level_sets: &LevelSets,
    input: &UnitInput,
    data: &IndicatorData,
    assessments: &mut Vec<Assessment>,
    keys: &mut Vec<i32>,
) -> Result<Vec<TierId>, ExclusionReason> {
    assessments.clear();
    let mut tiers = Vec::new();
    for (i, set) in level_sets.sets.iter().enumerate() {
        let program = cache
            .get(group, i, set, &input.profile)
            .map_err(ExclusionReason::CannotCompile)?;
        let a = program
            // The assessments only serve `decide`: no list of unused values.
            .evaluate_for_decision_in(data, keys, false)
            .map_err(ExclusionReason::BadData)?;
        if tiers.is_empty() {
            tiers.clone_from(&a.scheme.tiers);
        }
        assessments.push(a);
    }
    Ok(tiers)
}

/// Computes a derived indicator over `children`, or says why it cannot.
fn derive(
    measure: &ChildMeasure,
    children: &[usize],
    results: &[Option<UnitResult>],
    inputs: &InputMap<'_>,
) -> Result<Decimal, String> {
    let assessed: Vec<(usize, &UnitResult)> = children
        .iter()
        .filter_map(|&c| result_at(results, c).map(|r| (c, r)))
        .filter(|(_, r)| !matches!(r.status, UnitStatus::NotAssessed))
        .collect();
    let open: Vec<&str> = assessed
        .iter()
        .filter(|(_, r)| r.decision().is_none() || r.is_undecided())
        .map(|(_, r)| r.unit.as_str())
        .collect();
    let share_or_count = |tier: &TierId, revoked: bool, share: bool| {
        if !open.is_empty() {
            return Err(format!(
                "{} of its children are excluded or undecided ({})",
                open.len(),
                open.join(", ")
            ));
        }
        let with_tier: Vec<&(usize, &UnitResult)> = assessed
            .iter()
            .filter(|(_, r)| r.tiers.contains(tier))
            .collect();
        if with_tier.is_empty() && !assessed.is_empty() {
            return Err(format!("no child has tier `{tier}` in its scheme"));
        }
        let count = with_tier
            .iter()
            .filter(|(pos, r)| {
                if revoked {
                    was_revoked(r, tier, inputs.of(*pos))
                } else {
                    r.holds(tier) == Some(true)
                }
            })
            .count() as u32;
        if share {
            Share::new(count, with_tier.len() as u32)
                .percent
                .ok_or_else(|| "the share cannot be computed".to_owned())
        } else {
            Ok(Decimal::from(count))
        }
    };
    match measure {
        ChildMeasure::ShareAtTier { tier } => share_or_count(tier, false, true),
        ChildMeasure::CountAtTier { tier } => share_or_count(tier, false, false),
        ChildMeasure::ShareRevoked { tier } => share_or_count(tier, true, true),
        ChildMeasure::CountRevoked { tier } => share_or_count(tier, true, false),
        ChildMeasure::MinimumOf { indicator } => {
            let mut min: Option<Decimal> = None;
            let mut missing = Vec::new();
            for (pos, r) in &assessed {
                let v = inputs
                    .one(*pos)
                    .and_then(|one| one.data.values.get(indicator))
                    .filter(|_| !matches!(r.status, UnitStatus::Excluded { .. }));
                match v {
                    Some(Value::Number(n)) => min = Some(min.map_or(*n, |m| m.min(*n))),
                    _ => missing.push(r.unit.as_str()),
                }
            }
            if !missing.is_empty() {
                return Err(format!(
                    "no usable value of `{indicator}` for {}",
                    missing.join(", ")
                ));
            }
            min.ok_or_else(|| "no children".to_owned())
        }
    }
}

/// Whether a decided unit's recognition of `tier` stands revoked after this year: it was
/// revoked this year or before (by its history), and does not hold the tier now.
fn was_revoked(r: &UnitResult, tier: &TierId, inputs: &[&UnitInput]) -> bool {
    let revoked_now = matches!(
        r.decision().map(|d| &d.verdict),
        Some(Verdict::Revoke { tier: t, .. }) if t == tier
    );
    let year = r.decision().map_or(0, |d| d.year);
    let revoked_before = inputs.iter().any(|i| {
        i.history
            .events
            .iter()
            .any(|e| e.kind == EventKind::Revoked && &e.tier == tier && e.year <= year)
    });
    (revoked_now || revoked_before) && r.holds(tier) == Some(false)
}

/// The summaries, by position: bottom-up, each from its children's summaries (partial
/// sums) and results.
fn summarise(
    tree: &Hierarchy,
    results: &[Option<UnitResult>],
    pending: Vec<(usize, usize, Contribution)>,
    rollups: &[RollUp],
) -> Vec<Option<Summary>> {
    let mut summaries: Vec<Option<Summary>> = Vec::new();
    summaries.resize_with(tree.len(), || None);
    let mut rolled = RollUps::new(tree, rollups, pending);
    for &pos in tree.bottom_up_positions() {
        let children = tree.children_of(pos);
        let Some(unit) = tree.at(pos).filter(|_| !children.is_empty()) else {
            continue;
        };
        let mut s = Summary {
            unit: unit.code.clone(),
            level: unit.level,
            levels: Vec::new(),
            criteria: None,
            rollups: Vec::new(),
        };
        for &child in children {
            if let Some(cs) = summaries.get(child).and_then(Option::as_ref) {
                for l in &cs.levels {
                    s.level_mut(l.level).add(l);
                }
                if let Some(c) = &cs.criteria {
                    s.criteria
                        .get_or_insert_with(|| CriteriaStats::empty(c.level))
                        .add(c);
                }
            }
            if let Some(r) = result_at(results, child) {
                count_own(&mut s, r);
            }
        }
        for l in &mut s.levels {
            l.finish();
        }
        if let Some(c) = &mut s.criteria {
            c.finish();
        }
        s.levels.sort_by_key(|l| l.level);
        s.rollups = rolled.take(pos, rollups);
        if let Some(slot) = summaries.get_mut(pos) {
            *slot = Some(s);
        }
    }
    summaries
}

/// Adds a child's own result to its parent's summary.
fn count_own(s: &mut Summary, r: &UnitResult) {
    let counts = s.level_mut(r.level);
    counts.units += 1;
    match &r.status {
        UnitStatus::NotAssessed => return,
        UnitStatus::Excluded { .. } => {
            counts.assessed += 1;
            counts.excluded += 1;
            return;
        }
        UnitStatus::Decided { decision } => {
            counts.assessed += 1;
            // Make every tier of the scheme appear, in order, even at zero.
            for t in &r.tiers {
                counts.tier_mut(t);
            }
            if decision.tier_after().is_none() {
                counts.undecided += 1;
            } else {
                counts.decided += 1;
                let rank = r.rank_after();
                for (i, t) in r.tiers.iter().enumerate() {
                    if rank.is_some_and(|k| k >= i) {
                        counts.tier_mut(t).cumulative += 1;
                    }
                }
                match &decision.verdict {
                    Verdict::Recognise { newly, .. } => {
                        for t in newly {
                            counts.tier_mut(t).new += 1;
                        }
                    }
                    Verdict::Revoke { tier, .. } => counts.tier_mut(tier).revoked += 1,
                    _ => {}
                }
            }
        }
    }
    if let (Some(met), Some(total)) = (&r.criteria_met, r.criteria_total) {
        if r.level == Level::Commune {
            s.criteria
                .get_or_insert_with(|| CriteriaStats::empty(r.level))
                .add_unit(met, total);
        }
    }
}

/// What one unit at a roll-up's level brings to the roll-ups of its ancestors.
enum Contribution {
    /// Not assessed: left out.
    Skip,
    /// No usable value (missing, not a number, or bad data).
    MissingValue,
    /// A value, the unit's weight for rates (`None` when missing or not a rate), and
    /// value × weight (`None` without a weight or when it overflows), computed once for
    /// every ancestor.
    Value(Decimal, Option<Decimal>, Option<Decimal>),
}

impl Contribution {
    fn of(r: &RollUp, result: Option<&UnitResult>, input: Option<&UnitInput>) -> Contribution {
        if result.is_some_and(|x| matches!(x.status, UnitStatus::NotAssessed)) {
            return Contribution::Skip;
        }
        let bad = result.is_some_and(|x| bad_value(x, &r.indicator));
        let value = input
            .and_then(|i| i.data.values.get(&r.indicator))
            .filter(|_| !bad);
        let Some(Value::Number(v)) = value else {
            return Contribution::MissingValue;
        };
        let w = match &r.method {
            RollUpMethod::Rate { weight } => input
                .and_then(|i| i.weights.get(weight.as_str()))
                .map(|w| w.0),
            _ => None,
        };
        Contribution::Value(*v, w, w.and_then(|w| v.checked_mul(w)))
    }
}

/// One unit's roll-up of one indicator, in progress.
#[derive(Default)]
struct RollUpAcc {
    units: u32,
    acc: Option<Decimal>,
    weights: Decimal,
    missing_value: Vec<UnitCode>,
    missing_weight: Vec<UnitCode>,
    overflow: bool,
}

impl RollUpAcc {
    /// Adds the contribution of one unit below (units are added in code order).
    fn add(&mut self, method: &RollUpMethod, code: &UnitCode, c: &Contribution) {
        let &Contribution::Value(v, w, product) = c else {
            if let Contribution::MissingValue = c {
                self.missing_value.push(code.clone());
            }
            return;
        };
        self.units += 1;
        let step = match method {
            RollUpMethod::Sum => Some(self.acc.unwrap_or_default().checked_add(v)),
            RollUpMethod::Minimum => Some(Some(self.acc.map_or(v, |a| a.min(v)))),
            RollUpMethod::Maximum => Some(Some(self.acc.map_or(v, |a| a.max(v)))),
            RollUpMethod::Rate { .. } => match w {
                Some(w) => match (product, self.weights.checked_add(w)) {
                    (Some(p), Some(ws)) => {
                        self.weights = ws;
                        Some(self.acc.unwrap_or_default().checked_add(p))
                    }
                    _ => Some(None),
                },
                None => {
                    self.missing_weight.push(code.clone());
                    None
                }
            },
        };
        match step {
            Some(Some(a)) => self.acc = Some(a),
            Some(None) => self.overflow = true,
            None => {}
        }
    }

    /// The roll-up value.
    fn finish(self, r: &RollUp) -> RollUpValue {
        let RollUpAcc {
            units,
            acc,
            weights,
            missing_value,
            missing_weight,
            overflow,
        } = self;
        let complete = missing_value.is_empty() && missing_weight.is_empty() && !overflow;
        let mut weighted = None;
        let value = match (&r.method, acc) {
            (_, None) => None,
            (_, Some(_)) if !complete => None,
            (RollUpMethod::Rate { .. }, Some(a)) => {
                weighted = Some((a, weights));
                a.checked_div(weights)
            }
            (_, Some(a)) => Some(a),
        };
        if let (RollUpMethod::Rate { .. }, Some(a), false) = (&r.method, acc, complete) {
            weighted = Some((a, weights));
        }
        RollUpValue {
            indicator: r.indicator.clone(),
            method: r.method.clone(),
            from: r.from,
            units,
            value,
            weighted,
            missing_value,
            missing_weight,
            overflow,
        }
    }
}

/// Every roll-up of every unit with children, in one pass: each contribution of a unit
/// at a roll-up's level (recorded by [`contribute`]) is added to each of its ancestors.
/// The contributions to one roll-up come in code order, so each ancestor adds its
/// descendants in code order: the same terms in the same order as a scan of its
/// descendants, hence the same decimal sums (which round beyond 28 digits and overflow
/// depending on the order of the terms) and the same lists of units without a value.
struct RollUps {
    /// Position → slot of a unit with children.
    slot: Vec<Option<usize>>,
    /// Per roll-up, per slot.
    accs: Vec<Vec<RollUpAcc>>,
}

impl RollUps {
    fn new(
        tree: &Hierarchy,
        rollups: &[RollUp],
        pending: Vec<(usize, usize, Contribution)>,
    ) -> RollUps {
        let mut parents = 0;
        let slot: Vec<Option<usize>> = (0..tree.len())
            .map(|pos| {
                (!tree.children_of(pos).is_empty()).then(|| {
                    parents += 1;
                    parents - 1
                })
            })
            .collect();
        let mut accs: Vec<Vec<RollUpAcc>> = rollups
            .iter()
            .map(|_| {
                let mut accs = Vec::new();
                accs.resize_with(parents, RollUpAcc::default);
                accs
            })
            .collect();
        for (pos, k, c) in pending {
            let (Some(r), Some(accs), Some(unit)) = (rollups.get(k), accs.get_mut(k), tree.at(pos))
            else {
                continue;
            };
            let mut above = tree.parent_of(pos);
            while let Some(a) = above {
                let at = slot.get(a).copied().flatten();
                if let Some(acc) = at.and_then(|i| accs.get_mut(i)) {
                    acc.add(&r.method, &unit.code, &c);
                }
                above = tree.parent_of(a);
            }
        }
        RollUps { slot, accs }
    }

    /// The roll-up values of the unit at a position (each taken once).
    fn take(&mut self, pos: usize, rollups: &[RollUp]) -> Vec<RollUpValue> {
        let at = self.slot.get(pos).copied().flatten();
        rollups
            .iter()
            .zip(&mut self.accs)
            .map(|(r, accs)| {
                let acc = at.and_then(|i| accs.get_mut(i)).map(std::mem::take);
                acc.unwrap_or_default().finish(r)
            })
            .collect()
    }
}

/// Whether an excluded unit's data error is about this indicator.
fn bad_value(r: &UnitResult, indicator: &IndicatorId) -> bool {
    match &r.status {
        UnitStatus::Excluded {
            reason: ExclusionReason::BadData(e),
        } => e
            .problems
            .iter()
            .any(|p| p.indicator.as_ref() == Some(indicator) || p.indicator.is_none()),
        UnitStatus::Excluded {
            reason: ExclusionReason::DuplicateInput { .. },
        } => true,
        _ => false,
    }
}

/// Everything a reporting run needs, as one serde value: the tree, the reporting year
/// and date, the criteria sets per level, each unit's input and the roll-ups wanted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// The reporting year.
    pub year: u16,
    /// The reporting date of the tree.
    pub date: Date,
    /// A notice shown with every report of this data set (for example that it is
    /// synthetic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Label>,
    /// The administrative units.
    pub units: Vec<AdminUnit>,
    /// Criteria sets per level.
    pub sets: Vec<LevelSets>,
    /// Inputs per unit.
    pub inputs: Vec<UnitInput>,
    /// Roll-ups wanted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollups: Vec<RollUp>,
}

/// A data set that cannot be read or used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatasetError {
    /// A file cannot be read.
    #[error("cannot read `{path}`")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid JSON for its part.
    #[error("file `{path}`")]
    Load {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: LoadError,
    },
    /// The tree is invalid.
    #[error(transparent)]
    Tree(#[from] TreeError),
}

/// The manifest of a data set folder: which file holds what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The reporting year.
    pub year: u16,
    /// The reporting date of the tree.
    pub date: Date,
    /// Notice shown with every report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Label>,
    /// File with the units (a JSON array of [`AdminUnit`]).
    pub units: String,
    /// File with the inputs (a JSON array of [`UnitInput`]).
    pub inputs: String,
    /// Criteria sets per level: level, optional kinds, and the files of the sets.
    pub sets: Vec<ManifestSets>,
    /// File with the roll-ups (a JSON array of [`RollUp`]), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollups: Option<String>,
}

/// One entry of [`Manifest::sets`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManifestSets {
    /// The level.
    pub level: Level,
    /// The kinds of unit, if restricted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<UnitKind>,
    /// Files of the criteria sets, lowest tier first.
    pub files: Vec<String>,
}

impl Dataset {
    /// Reads a data set from a folder holding a `manifest.json` ([`Manifest`]) and the
    /// files it names. This is the only function of the crate that touches the file
    /// system.
    ///
    /// # Errors
    ///
    /// A [`DatasetError`] naming the file that cannot be read or parsed (with the JSON
    /// path).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Dataset, DatasetError> {
        let dir = dir.as_ref();
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| DatasetError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        let parse = |name: &str, what: &'static str| {
            let text = read(name)?;
            Ok::<_, DatasetError>((name.to_owned(), text, what))
        };
        fn load<T: serde::de::DeserializeOwned>(
            (name, text, what): (String, String, &'static str),
        ) -> Result<T, DatasetError> {
            from_json(what, &text).map_err(|source| DatasetError::Load { path: name, source })
        }
        let manifest: Manifest = load(parse("manifest.json", "manifest")?)?;
        let units: Vec<AdminUnit> = load(parse(&manifest.units, "units")?)?;
        let inputs: Vec<UnitInput> = load(parse(&manifest.inputs, "unit inputs")?)?;
        let rollups: Vec<RollUp> = match &manifest.rollups {
            Some(f) => load(parse(f, "roll-ups")?)?,
            None => Vec::new(),
        };
        let mut sets = Vec::new();
        for m in &manifest.sets {
            let mut list = Vec::new();
            for f in &m.files {
                list.push(load(parse(f, "criteria set")?)?);
            }
            sets.push(LevelSets {
                level: m.level,
                kinds: m.kinds.clone(),
                sets: list,
            });
        }
        Ok(Dataset {
            year: manifest.year,
            date: manifest.date,
            notice: manifest.notice,
            units,
            sets,
            inputs,
            rollups,
        })
    }

    /// Validates the tree at the data set's date and runs the pass.
    ///
    /// # Errors
    ///
    /// A [`TreeError`] if the tree is invalid.
    pub fn run(&self) -> Result<(Hierarchy, Aggregation), TreeError> {
        let tree = Hierarchy::new(self.units.clone(), self.date)?;
        let agg = aggregate(&tree, self.year, &self.sets, &self.inputs, &self.rollups);
        Ok((tree, agg))
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

/// Rounds a percentage or average for display: half away from zero to one decimal
/// (147/184 = 79.891…% → 79.9). The only rounding rule of the crate's reports.
pub fn round_display(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
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
