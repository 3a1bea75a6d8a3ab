//! What the pass is given besides the tree: each unit's [`UnitInput`] (data, profile,
//! history, weights), the criteria sets per level ([`LevelSets`]) and the roll-ups wanted
//! ([`RollUp`]).

use crate::model::{
    decimal_serde, AdminUnit, CriteriaSet, History, IndicatorData, IndicatorId, Label, Level,
    Profile, UnitCode, UnitKind,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A weight of a unit (households, population), used by rate roll-ups: a decimal
/// `>= 0`. A negative weight is refused where it is made
/// ([`Weight::new`], and when read from JSON, with its JSON Pointer), so a rate is never
/// a mean with negative weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Weight(#[serde(with = "decimal_serde")] Decimal);

/// A weight below zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("weight {0} is negative: a weight (households, population) is a number >= 0")]
pub struct NegativeWeight(pub Decimal);

impl Weight {
    /// The weight `value`.
    ///
    /// # Errors
    ///
    /// [`NegativeWeight`] when `value < 0` (`-0` is zero).
    pub fn new(value: Decimal) -> Result<Weight, NegativeWeight> {
        if value.is_sign_negative() && !value.is_zero() {
            Err(NegativeWeight(value))
        } else {
            Ok(Weight(value))
        }
    }

    /// The value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Weight, D::Error> {
        let value = decimal_serde::deserialize(d)?;
        Weight::new(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Weight {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Weight".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // A decimal, and not a negative one (what `Weight::new` refuses): a minus sign
        // followed by a non-zero digit somewhere (`-0` and `-0.00` are zero).
        let decimal = <decimal_serde::DecimalSchema as schemars::JsonSchema>::json_schema(g);
        schemars::json_schema!({
            "description": "A weight: an exact decimal >= 0 (a string such as \"1250\", or an integer).",
            "allOf": [
                decimal,
                {"not": {"anyOf": [
                    {"type": "string", "pattern": r"^\s*-.*[1-9]"},
                    {"type": "integer", "maximum": -1}
                ]}}
            ]
        })
    }
}

/// What the pass needs to know about one unit for the reporting year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The fields in which the unit meets the province's model criteria ("an ninh, trật
    /// tự", "giáo dục": 319/QĐ-TTg condition 4): carried onto the decision
    /// ([`Decision::outstanding_fields`](crate::engine::Decision::outstanding_fields)) when
    /// the unit holds a tier after it, so "model in security and order" can be reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outstanding_fields: Vec<String>,
    /// The recognition procedure's steps the unit has done: step id (`"self_assessment"`,
    /// `"verification"`, …) → the day, `YYYY-MM-DD`. Read against the plan's milestone
    /// deadlines ([`Plan::add_procedures_from`](crate::tree::Plan::add_procedures_from)),
    /// beside any dates the plan itself lists for the unit.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub procedure: BTreeMap<String, String>,
}

impl UnitInput {
    /// Input with data only (default profile, empty history, no weights).
    pub fn new(data: IndicatorData) -> Self {
        Self {
            data,
            profile: Profile::default(),
            history: History::default(),
            weights: BTreeMap::new(),
            outstanding_fields: Vec::new(),
            procedure: BTreeMap::new(),
        }
    }

    /// Sets the procedure dates done, step id → `YYYY-MM-DD` (builder style).
    #[must_use]
    pub fn with_procedure<I, S, D>(mut self, done: I) -> Self
    where
        I: IntoIterator<Item = (S, D)>,
        S: Into<String>,
        D: Into<String>,
    {
        self.procedure = done
            .into_iter()
            .map(|(s, d)| (s.into(), d.into()))
            .collect();
        self
    }

    /// Sets the outstanding fields (builder style).
    #[must_use]
    pub fn with_outstanding_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.outstanding_fields = fields.into_iter().map(Into::into).collect();
        self
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

    /// Adds a weight (builder style); make it with [`Weight::new`], which refuses a
    /// negative one.
    #[must_use]
    pub fn with_weight(mut self, name: impl Into<String>, weight: Weight) -> Self {
        self.weights.insert(name.into(), weight);
        self
    }
}

/// The criteria sets of one level (and, optionally, only some kinds of unit): the one
/// "sets for a level" shape of the crate. The pass takes the sets themselves
/// (`LevelSets<CriteriaSet>`, the default); a request names them by catalog id or gives
/// them inline (`LevelSets<SetSource>`); a data set folder names their files
/// (`LevelSets<String>`).
///
/// For a unit, the first `LevelSets` of its level that [covers](LevelSets::covers) its
/// kind applies: `kinds` when given, otherwise the kinds the sets themselves say they
/// [apply to](CriteriaSet::applies_to) (the catalog's commune sets apply to rural
/// communes). A unit of the level that no sets cover is not assessed, with the reason
/// (wards and townships are not NTM communes); a unit whose kind is not given, when the
/// sets cover some kinds only, is excluded, since whether it is covered is not known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LevelSets<S = CriteriaSet> {
    /// The level.
    pub level: Level,
    /// The kinds of unit the sets apply to, overriding what the sets say; empty: the
    /// kinds the sets themselves [apply to](CriteriaSet::applies_to).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<UnitKind>,
    /// The sets, one per tier of the scheme, lowest tier first.
    pub sets: Vec<S>,
}

impl<S> LevelSets<S> {
    /// Sets for every unit of a level.
    pub fn new(level: Level, sets: Vec<S>) -> Self {
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

    /// The same level and kinds with each set mapped (a file name read, a catalog id
    /// resolved), or the first error.
    ///
    /// # Errors
    ///
    /// The first error of `f`.
    pub fn try_map<T, E>(&self, f: impl FnMut(&S) -> Result<T, E>) -> Result<LevelSets<T>, E> {
        Ok(LevelSets {
            level: self.level,
            kinds: self.kinds.clone(),
            sets: self.sets.iter().map(f).collect::<Result<_, _>>()?,
        })
    }

    /// The kinds of unit the sets cover: `kinds` when given; otherwise the kinds every
    /// set that names some [applies to](CriteriaSet::applies_to); empty: every kind.
    pub(crate) fn covered_kinds(&self) -> Vec<UnitKind>
    where
        S: AsRef<CriteriaSet>,
    {
        if !self.kinds.is_empty() {
            return self.kinds.clone();
        }
        let mut covered: Option<Vec<UnitKind>> = None;
        for set in &self.sets {
            let named = &set.as_ref().applies_to;
            if named.is_empty() {
                continue;
            }
            covered = Some(match covered {
                None => named.clone(),
                Some(c) => c.into_iter().filter(|k| named.contains(k)).collect(),
            });
        }
        covered.unwrap_or_default()
    }

    /// Whether the sets cover a unit: same level, and its kind among the
    /// covered kinds: `kinds` when given, else those every set that names some applies to
    /// (any kind, or none, when that is empty).
    pub fn covers(&self, unit: &AdminUnit) -> bool
    where
        S: AsRef<CriteriaSet>,
    {
        if self.level != unit.level {
            return false;
        }
        let covered = self.covered_kinds();
        covered.is_empty() || unit.kind.is_some_and(|k| covered.contains(&k))
    }
}

/// How an indicator of the units below is rolled up into one value for a unit above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// Options of [`aggregate`](crate::tree::aggregate): what to compute besides decisions
/// and counts, and what is already known about the inputs. The default computes no
/// roll-ups and knows of no unreadable input.
///
/// ```
/// use ntm_rules::model::{Label, Level};
/// use ntm_rules::tree::{AggregateOptions, RollUp, RollUpMethod};
///
/// let options = AggregateOptions::default()
///     .with_rollups(vec![RollUp {
///         indicator: "10.1".into(),
///         name: Label::new("Thu nhập bình quân", "Average income"),
///         unit: None,
///         method: RollUpMethod::Rate { weight: "population".into() },
///         from: Level::Commune,
///     }])
///     .with_unreadable("C07", "at `/inputs/6`: expected a JSON object");
/// assert_eq!(options.rollups().len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct AggregateOptions {
    rollups: Vec<RollUp>,
    unreadable: BTreeMap<UnitCode, String>,
}

impl AggregateOptions {
    /// Roll-ups of indicators to compute into every unit with children.
    #[must_use]
    pub fn with_rollups(mut self, rollups: Vec<RollUp>) -> Self {
        self.rollups = rollups;
        self
    }

    /// Says that the input of `unit` could not be read (with the reason): the unit is
    /// then excluded from the counts with
    /// [`ExclusionReason::Unreadable`](crate::tree::ExclusionReason::Unreadable) instead
    /// of being evaluated without data, unless it also has a readable input.
    #[must_use]
    pub fn with_unreadable(mut self, unit: impl Into<UnitCode>, reason: impl Into<String>) -> Self {
        self.unreadable.insert(unit.into(), reason.into());
        self
    }

    /// The roll-ups to compute.
    pub fn rollups(&self) -> &[RollUp] {
        &self.rollups
    }

    /// The units whose input could not be read, with the reason.
    pub fn unreadable(&self) -> &BTreeMap<UnitCode, String> {
        &self.unreadable
    }
}
