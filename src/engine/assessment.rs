//! What evaluation gives: the three-valued [`Outcome`]s, the per-indicator and
//! per-criterion explanation with margins and the threshold row used ([`Provenance`]), and
//! criteria counts ([`Totals`]).

use crate::model::{
    Confidence, CriterionId, IndicatorId, Level, Profile, Requirement, RevocationRule, SchemeId,
    SetBy, SetId, Source, Threshold, TierId, UnitCode, Value,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The scheme's id and its tiers, lowest first, as carried by assessments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SchemeTiers {
    /// Scheme id.
    pub id: SchemeId,
    /// Tiers, lowest first.
    pub tiers: Vec<TierId>,
}

/// Outcome of a criterion, a set or a decision input: three-valued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Met.
    Met,
    /// Not met.
    NotMet,
    /// Cannot be told from the data and thresholds at hand.
    Undetermined,
}

/// Outcome of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IndicatorOutcome {
    /// The value meets the threshold.
    Met,
    /// The value does not meet the threshold.
    NotMet,
    /// Cannot be told; see [`IndicatorAssessment::reason`].
    Undetermined,
    /// The data says the indicator does not apply to the unit.
    NotApplicable,
}

/// Why an indicator is undetermined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UndeterminedReason {
    /// No value was given for the indicator.
    MissingData,
    /// The threshold exists in law but is not known to this set.
    ThresholdUnknown,
    /// The national text leaves the threshold to the province, and no provincial value
    /// was given.
    ThresholdDelegated,
    /// No threshold row covers the unit's profile and year (the table has no row for
    /// it; not the same as a threshold the sources leave unknown).
    NoThresholdRow,
    /// No threshold row applies because the unit's profile lacks a field the rows are
    /// keyed on (a region, a commune group): an input is missing, not a threshold.
    ProfileIncomplete,
}

/// Where the threshold used for an indicator came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Provenance {
    /// Row of the indicator's threshold table (0-based).
    pub row: usize,
    /// The row's threshold as written.
    pub threshold: Threshold,
    /// The row's source.
    pub source: Source,
    /// The row's confidence.
    pub confidence: Confidence,
    /// Who sets the row's value, when the set says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_by: Option<SetBy>,
}

/// Result of one indicator for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct IndicatorAssessment {
    /// Indicator id.
    pub id: IndicatorId,
    /// Outcome.
    pub outcome: IndicatorOutcome,
    /// Value given, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    /// How the value is compared.
    pub requirement: Requirement,
    /// The threshold row used, with its value, source and confidence; absent when no
    /// row applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Arc<Provenance>>,
    /// Signed distance to the threshold, positive when better than required, zero at
    /// the threshold; for grades, in grade steps. Absent for yes/no, one-of and
    /// undetermined indicators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<Decimal>,
    /// Why the indicator is undetermined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<UndeterminedReason>,
}

/// Result of one criterion for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CriterionAssessment {
    /// Criterion id.
    pub id: CriterionId,
    /// Outcome.
    pub outcome: Outcome,
    /// The indicators whose outcome gave the criterion's outcome: the unmet ones when
    /// not met, the met ones when met, the undetermined ones when undetermined.
    pub deciding: Vec<IndicatorId>,
    /// Every indicator of the criterion.
    pub indicators: Vec<IndicatorAssessment>,
}

/// Criteria counts of an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Totals {
    /// Number of criteria in the set.
    pub criteria: u32,
    /// Criteria met.
    pub met: u32,
    /// Criteria not met.
    pub not_met: u32,
    /// Criteria undetermined.
    pub undetermined: u32,
}

/// The full explanation of one unit against one criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Assessment {
    /// The set.
    pub set: SetId,
    /// The set's scheme and its tiers.
    pub scheme: Arc<SchemeTiers>,
    /// The set's level.
    pub level: Level,
    /// The tier the set recognises.
    pub tier: TierId,
    /// The unit.
    pub unit: UnitCode,
    /// The reporting year.
    pub year: u16,
    /// The profile used to select thresholds (after the set's profile rules).
    pub profile: Profile,
    /// Outcome of the set: met when every criterion and precondition is met.
    pub outcome: Outcome,
    /// Criteria counts.
    pub totals: Totals,
    /// Every criterion, in official order.
    pub criteria: Vec<CriterionAssessment>,
    /// Recognition preconditions.
    pub preconditions: Vec<IndicatorAssessment>,
    /// Values given for indicators this set does not have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unused_values: Vec<IndicatorId>,
    /// The set's revocation rule, for [`decide`](crate::engine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation: Option<Arc<RevocationRule>>,
    /// The tier the unit must already hold for this set's tier to be recognised
    /// ([`CriteriaSet::requires_held`](crate::model::CriteriaSet::requires_held)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_held: Option<TierId>,
}

impl Assessment {
    /// Looks a criterion up by id.
    pub fn criterion(&self, id: &str) -> Option<&CriterionAssessment> {
        self.criteria.iter().find(|c| c.id.as_str() == id)
    }

    /// Looks an indicator or precondition up by id.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorAssessment> {
        self.criteria
            .iter()
            .flat_map(|c| c.indicators.iter())
            .chain(self.preconditions.iter())
            .find(|i| i.id.as_str() == id)
    }

    /// Ids of the criteria with the given outcome.
    pub fn criteria_with(&self, outcome: Outcome) -> Vec<CriterionId> {
        self.criteria
            .iter()
            .filter(|c| c.outcome == outcome)
            .map(|c| c.id.clone())
            .collect()
    }

    /// Whether any threshold used is less than confirmed (reported, unverified or
    /// illustrative) or unknown: such a result must not be presented as law.
    pub fn lowest_confidence(&self) -> Option<Confidence> {
        self.criteria
            .iter()
            .flat_map(|c| c.indicators.iter())
            .chain(self.preconditions.iter())
            .filter_map(|i| i.threshold.as_ref().map(|p| p.confidence))
            .max()
    }
}
