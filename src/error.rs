//! Error types of every stage. Each error says where (set, criterion, indicator, row,
//! unit, JSON path) and what.
//!
//! - [`LoadError`]: JSON that does not parse into the data model, with its JSON path.
//! - [`CompileError`]: a criteria set that cannot be compiled for a profile and year;
//!   it lists every problem found, not only the first.
//! - [`DataError`]: indicator data of one unit that does not fit the set; it lists every
//!   problem of that unit. In batch work the other units are still evaluated.
//! - [`DecideError`]: assessments or a history that cannot be combined into a decision.
//! - [`Error`]: any of them, for callers who do not care which stage failed.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::definitions::{CriterionId, IndicatorId, SetId, TierId, UnitCode, YearRange};

/// Any error of this crate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`LoadError`].
    #[error(transparent)]
    Load(#[from] LoadError),
    /// See [`CompileError`].
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// See [`DataError`].
    #[error(transparent)]
    Data(#[from] DataError),
    /// See [`DecideError`].
    #[error(transparent)]
    Decide(#[from] DecideError),
}

/// JSON input that does not parse into the data model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {what} at `{path}`: {message}")]
pub struct LoadError {
    what: &'static str,
    path: String,
    message: String,
    line: usize,
    column: usize,
}

impl LoadError {
    pub(crate) fn from_json(
        what: &'static str,
        err: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let path = err.path().to_string();
        let inner = err.into_inner();
        Self {
            what,
            path,
            line: inner.line(),
            column: inner.column(),
            message: strip_position(&inner.to_string()),
        }
    }

    pub(crate) fn trailing(what: &'static str, err: &serde_json::Error) -> Self {
        Self {
            what,
            path: ".".to_owned(),
            line: err.line(),
            column: err.column(),
            message: strip_position(&err.to_string()),
        }
    }

    pub(crate) fn limit(what: &'static str, message: String) -> Self {
        Self {
            what,
            path: ".".to_owned(),
            line: 0,
            column: 0,
            message,
        }
    }

    /// What was being read (`"criteria set"`, `"indicator data"`).
    pub fn what(&self) -> &str {
        self.what
    }

    /// JSON path of the problem (`criteria[3].indicators[0].kind`), `.` for the root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The problem, without its position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Line and column (1-based) in the input, when known.
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }
}

/// serde_json appends " at line L column C"; the path says more, so drop it.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Where in a criteria set a problem lies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SetLocation {
    /// The set.
    pub set: SetId,
    /// The criterion, if the problem is inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<CriterionId>,
    /// The indicator or precondition, if the problem is inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<IndicatorId>,
    /// The threshold row (0-based), if the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

impl SetLocation {
    pub(crate) fn set(set: &SetId) -> Self {
        Self {
            set: set.clone(),
            criterion: None,
            indicator: None,
            row: None,
        }
    }
}

impl fmt::Display for SetLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "set `{}`", self.set)?;
        if let Some(c) = &self.criterion {
            write!(f, ", criterion `{c}`")?;
        }
        if let Some(i) = &self.indicator {
            write!(f, ", indicator `{i}`")?;
        }
        if let Some(r) = self.row {
            write!(f, ", threshold row {r}")?;
        }
        Ok(())
    }
}

/// One problem found while compiling a criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
#[error("{location}: {kind}")]
pub struct SetProblem {
    /// Where.
    pub location: SetLocation,
    /// What.
    pub kind: SetProblemKind,
}

/// What is wrong in a criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
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

/// One problem in a unit's indicator data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
pub struct DataProblem {
    /// The indicator, when the problem is about one value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<IndicatorId>,
    /// What.
    pub kind: DataProblemKind,
}

impl fmt::Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.indicator {
            Some(i) => write!(f, "indicator `{i}`: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataProblemKind {
    /// The value is of the wrong kind for its indicator.
    #[error("expected {expected}, found {found}")]
    WrongKind {
        /// What the indicator takes.
        expected: &'static str,
        /// What was given.
        found: &'static str,
    },
    /// A percentage outside 0–100.
    #[error("percentage {value} is outside 0-100")]
    PercentOutOfRange {
        /// The value.
        value: Decimal,
    },
    /// A count that is negative or not whole.
    #[error("count {value} is not a whole number >= 0")]
    BadCount {
        /// The value.
        value: Decimal,
    },
    /// A grade not in the indicator's list.
    #[error("grade `{grade}` is not one of {grades:?}")]
    UnknownGrade {
        /// The grade given.
        grade: String,
        /// The grades allowed.
        grades: Vec<String>,
    },
    /// "Not applicable" for an indicator that always applies.
    #[error("the indicator always applies; \"not applicable\" is not allowed")]
    NotApplicableNotAllowed,
    /// The data is for another year than the program.
    #[error("data is for year {data}, the criteria were compiled for {program}")]
    YearMismatch {
        /// The data's year.
        data: u16,
        /// The program's year.
        program: u16,
    },
}

/// Indicator data of one unit that does not fit a criteria set. Lists every problem of
/// the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
pub struct DataError {
    /// The unit.
    pub unit: UnitCode,
    /// The set the data was evaluated against.
    pub set: SetId,
    /// The problems.
    pub problems: Vec<DataProblem>,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unit `{}`, set `{}`: ", self.unit, self.set)?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Assessments or a history that cannot be combined into a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
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
}
