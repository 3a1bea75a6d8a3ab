//! Problems of a criteria set and where they are (a [`Location`]): what
//! [`check_set`](crate::engine::check_set) and [`compile`](crate::engine::compile) report.
//! [`CompileError`] carries every problem found, not only the first.

use crate::model::{
    CriterionId, EventKind, IndicatorId, Location, SetId, TierId, UnitCode, YearRange,
};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// One problem found while compiling a criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("{location}: {kind}")]
#[non_exhaustive]
pub struct SetProblem {
    /// Where.
    pub location: Location,
    /// What.
    pub kind: SetProblemKind,
}

/// What is wrong in a criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SetProblemKind {
    /// The set's tier is not one of its scheme's tiers.
    #[error("tier `{tier}` is not a tier of the scheme")]
    UnknownTier {
        /// The tier.
        tier: TierId,
    },
    /// The scheme lists a tier twice.
    #[error("the scheme lists tier `{tier}` twice")]
    DuplicateTier {
        /// The tier.
        tier: TierId,
    },
    /// The year is outside the scheme's years.
    #[error("year {year} is outside the scheme's years {scheme}")]
    YearOutsideScheme {
        /// The year asked for or written.
        year: u16,
        /// The scheme's years.
        scheme: YearRange,
    },
    /// A year range whose end is before its start.
    #[error("year range {range} ends before it starts")]
    EmptyYearRange {
        /// The range.
        range: YearRange,
    },
    /// Two criteria share an id.
    #[error("criterion id used twice")]
    DuplicateCriterion,
    /// Two indicators or preconditions share an id.
    #[error("indicator id used twice")]
    DuplicateIndicator,
    /// A criterion without indicators.
    #[error("the criterion has no indicators")]
    EmptyCriterion,
    /// `at_least(k)` with k larger than the number of indicators, or k = 0.
    #[error("pass rule asks for {count} of {indicators} indicators")]
    BadPassRule {
        /// k.
        count: u32,
        /// n.
        indicators: usize,
    },
    /// A grade indicator without grades, or with a grade listed twice.
    #[error("the grade list is empty or repeats a grade")]
    BadGradeList,
    /// The requirement does not fit the indicator's kind.
    #[error("requirement `{requirement}` does not fit a {kind} indicator")]
    RequirementKindMismatch {
        /// The requirement's symbol.
        requirement: &'static str,
        /// The kind.
        kind: &'static str,
    },
    /// The threshold value does not fit the indicator's kind or requirement.
    #[error(
        "a {threshold} threshold does not fit a {kind} indicator with requirement `{requirement}`"
    )]
    ThresholdKindMismatch {
        /// What the threshold is.
        threshold: &'static str,
        /// The indicator's kind.
        kind: &'static str,
        /// The requirement's symbol.
        requirement: &'static str,
    },
    /// A grade threshold not in the indicator's grade list.
    #[error("grade `{grade}` is not in the indicator's grade list")]
    UnknownGrade {
        /// The grade.
        grade: String,
    },
    /// A percentage threshold outside 0–100.
    #[error("percentage threshold {value} is outside 0-100")]
    PercentOutOfRange {
        /// The value.
        value: Decimal,
    },
    /// A count threshold that is negative or not whole.
    #[error("count threshold {value} is not a whole number >= 0")]
    BadCount {
        /// The value.
        value: Decimal,
    },
    /// Two rows match the same profile and year.
    #[error("threshold rows {first} and {second} both apply to this profile and year")]
    AmbiguousThreshold {
        /// First matching row.
        first: usize,
        /// Second matching row.
        second: usize,
    },
    /// A revocation key criterion that is not in the set (or its `assess_against` set).
    #[error("revocation key criterion `{criterion}` is not a criterion of the set")]
    UnknownKeyCriterion {
        /// The criterion.
        criterion: CriterionId,
    },
    /// A revocation condition that is not an indicator or precondition of the set.
    #[error("revocation condition `{indicator}` is not an indicator or precondition of the set")]
    UnknownRevocationCondition {
        /// The indicator.
        indicator: IndicatorId,
    },
    /// A revocation share outside 0–100, or `share_with_key` above `share_alone`.
    #[error("revocation shares {share_with_key}% (with key criterion) and {share_alone}% (alone) are not 0 <= with-key <= alone <= 100")]
    BadRevocationShares {
        /// share_with_key.
        share_with_key: Decimal,
        /// share_alone.
        share_alone: Decimal,
    },
    /// A derived indicator that does not fit its kind, or names an unknown tier, or
    /// derives from a level that is not below the set's level.
    #[error("derived indicator: {reason}")]
    BadDerivation {
        /// What is wrong.
        reason: String,
    },
    /// `assess_against` names a tier the scheme does not have.
    #[error("revocation is assessed against tier `{tier}`, which the scheme does not have")]
    UnknownRevocationTier {
        /// The tier.
        tier: TierId,
    },
    /// `requires_held` names a tier the scheme does not have, or one that is not below
    /// the set's tier.
    #[error("the set requires tier `{tier}` to be held first, but that is not a tier below the set's own")]
    BadRequiresHeld {
        /// The tier named.
        tier: TierId,
    },
    /// One indicator id is used, in two sets of the same scheme and level, with two
    /// different kinds or units: a unit has one value per id for all the tiers of its
    /// level, so the two cannot both read it. Give one of them another id.
    #[error("indicator `{indicator}` is a {kind} here but a {other_kind} in set `{other_set}` of the same scheme and level; one value cannot be both")]
    IdKindConflict {
        /// The indicator id.
        indicator: IndicatorId,
        /// Its kind in this set.
        kind: String,
        /// The other set.
        other_set: SetId,
        /// Its kind there.
        other_kind: String,
    },
}

/// A criteria set that cannot be compiled. Lists every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CompileError {
    problems: Vec<SetProblem>,
}

impl CompileError {
    pub(crate) fn new(problems: Vec<SetProblem>) -> Self {
        Self { problems }
    }

    /// Every problem found, in the order of the set.
    pub fn problems(&self) -> &[SetProblem] {
        &self.problems
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "cannot compile criteria set: {one}"),
            many => {
                write!(f, "cannot compile criteria set: {} problems", many.len())?;
                for p in many {
                    write!(f, "; {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// Assessments or a history that cannot be combined into a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DecideError {
    /// No assessment was given.
    #[error("no assessment given")]
    NoAssessments,
    /// Assessments of different units, years, schemes or levels.
    #[error("assessment of set `{set}` is not for the same unit, year, scheme and level as the first one")]
    MixedAssessments {
        /// The odd set.
        set: SetId,
    },
    /// Two assessments for the same tier.
    #[error("two assessments for tier `{tier}`")]
    DuplicateTier {
        /// The tier.
        tier: TierId,
    },
    /// A revocation rule names a key criterion that the assessed set does not have.
    #[error("revocation key criterion `{criterion}` is not a criterion of set `{set}`")]
    UnknownKeyCriterion {
        /// The set assessed.
        set: SetId,
        /// The criterion.
        criterion: CriterionId,
    },
    /// A revocation rule names a condition that the assessed set does not have.
    #[error("revocation condition `{indicator}` is not an indicator of set `{set}`")]
    UnknownRevocationCondition {
        /// The set assessed.
        set: SetId,
        /// The indicator.
        indicator: IndicatorId,
    },
    /// A history event names a tier the scheme does not have.
    #[error("unit `{unit}`: history names tier `{tier}`, which the scheme does not have")]
    UnknownHistoryTier {
        /// The unit.
        unit: UnitCode,
        /// The tier.
        tier: TierId,
    },
    /// A history event that does not nest: the recognition of a tier whose tier below is
    /// not held, or the revocation of a tier not held (tiers nest, see
    /// [`held_before`](crate::engine::held_before)).
    #[error("unit `{unit}`: history does not nest: {} of tier `{tier}` in {year} while holding {}", event_word(*kind), held.as_ref().map_or_else(|| "no tier".to_owned(), |t| format!("`{t}`")))]
    HistoryNotNested {
        /// The unit.
        unit: UnitCode,
        /// Year of the event.
        year: u16,
        /// Tier of the event.
        tier: TierId,
        /// Recognition or revocation.
        kind: EventKind,
        /// The tier held just before the event.
        held: Option<TierId>,
    },
}

fn event_word(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Recognised => "recognition",
        EventKind::Revoked => "revocation",
    }
}
