//! What the pass gives: every unit's [`UnitResult`] (decided, excluded with the reason, or
//! not assessed), and the [`Aggregation`] of them with the summaries and what went wrong
//! where.

use crate::engine::{CompileError, DataError, DecideError, Decision, ProfileField, UnusedValue};
use crate::model::{
    CriterionId, Date, IndicatorData, IndicatorId, Level, Location, TierId, UnitCode, UnitKind,
};
use crate::tree::merger::Merger;
use crate::tree::summary::Summary;
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a unit was left out of the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
        #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::engine::SetProblem>"))]
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
    /// No input was given for a unit that is assessed: without its profile and history
    /// it cannot be evaluated (thresholds keyed on the region would read as unknown, and
    /// a tier it holds would never be checked for revocation).
    #[error("no input given for the unit")]
    NoInput,
    /// The unit's input could not be read (malformed JSON for its part).
    #[error("input cannot be read: {message}")]
    Unreadable {
        /// Why, with the JSON path.
        message: String,
    },
    /// The unit was merged from units (its lineage) for which no input was given, so the
    /// merger rule cannot say which tier it starts from.
    #[error(
        "merged from {} with no input given (their histories are needed for the merger rule)",
        codes_text(parts)
    )]
    MergerPartsMissing {
        /// The parts without input.
        parts: Vec<UnitCode>,
    },
    /// The sets of the unit's level apply to some kinds of unit only, and the unit's
    /// kind is not given, so whether it is one of them (a rural commune, not a ward) is
    /// not known.
    #[error(
        "the unit's kind is not given, and the criteria sets of its level apply to {} only",
        kinds_text(covered)
    )]
    KindNotGiven {
        /// The kinds the sets apply to.
        covered: Vec<UnitKind>,
    },
}

fn codes_text(codes: &[UnitCode]) -> String {
    codes
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn kinds_text(kinds: &[UnitKind]) -> String {
    kinds
        .iter()
        .map(|k| k.label(crate::model::Lang::En))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a unit is not assessed: it is out of the scope of the criteria sets given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScopeReason {
    /// No criteria sets were given for the unit's level.
    #[error("no criteria sets were given for its level")]
    NoSetsForLevel,
    /// The sets of the unit's level apply to other kinds of unit: a ward (phường) or a
    /// township (thị trấn) is not an NTM commune.
    #[error("it is a {}, and the criteria sets of its level apply to {} only", kind.label(crate::model::Lang::En), kinds_text(covered))]
    KindNotCovered {
        /// The unit's kind.
        kind: UnitKind,
        /// The kinds the sets apply to.
        covered: Vec<UnitKind>,
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
            ExclusionReason::NoInput => "no_input",
            ExclusionReason::KindNotGiven { .. } => "kind_not_given",
            ExclusionReason::MergerPartsMissing { .. } => "merger_parts_missing",
        }
    }
}

/// A unit left out of the counts, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("unit `{unit}` excluded: {reason}")]
#[non_exhaustive]
pub struct Excluded {
    /// The unit.
    pub unit: UnitCode,
    /// Its level.
    pub level: Level,
    /// Why.
    pub reason: ExclusionReason,
}

impl Excluded {
    /// Where: the unit, and for bad data the set (and the indicator, when one value is
    /// at fault).
    pub fn location(&self) -> Location {
        let at = Location::of_unit(self.unit.clone());
        match &self.reason {
            ExclusionReason::BadData(e) => match e.locations().collect::<Vec<_>>().as_slice() {
                [(one, _)] => one.clone(),
                _ => at.with_set(e.set.clone()),
            },
            _ => at,
        }
    }
}

/// What happened to one unit in the pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum UnitStatus {
    /// No criteria set applies to the unit (a ward, a township, a level without sets):
    /// it is out of scope, for the reason given, and in no count but
    /// [`LevelCounts::units`](crate::tree::LevelCounts::units).
    NotAssessed {
        /// Why.
        scope: ScopeReason,
    },
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
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
    /// For a unit merged from others: the tiers its parts held and which case of the
    /// merger rule applies (inherited tier, or re-review).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merger: Option<Merger>,
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

    pub(super) fn is_undecided(&self) -> bool {
        self.decision().is_some_and(|d| d.tier_after().is_none())
    }
}

/// A derived indicator that could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("unit `{unit}`, derived indicator `{indicator}`: {reason}")]
#[non_exhaustive]
pub struct DerivedProblem {
    /// The parent unit.
    pub unit: UnitCode,
    /// The indicator.
    pub indicator: IndicatorId,
    /// Why it is left missing.
    pub reason: String,
}

impl DerivedProblem {
    /// Where: the parent unit and the derived indicator.
    pub fn location(&self) -> Location {
        Location::of_unit(self.unit.clone()).with_indicator(self.indicator.clone())
    }
}

/// A unit whose profile lacks a field (a region, a commune group) that threshold rows of
/// its criteria sets are keyed on: the indicators keyed on it are undetermined
/// ([`UndeterminedReason::ProfileIncomplete`](crate::engine::UndeterminedReason::ProfileIncomplete)),
/// because an input is missing, not because the law leaves a threshold unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("unit `{unit}`: the profile has no {}, which thresholds of the unit's criteria sets are keyed on; the indicators keyed on it cannot be decided", fields_text(.lacks))]
#[non_exhaustive]
pub struct IncompleteProfile {
    /// The unit.
    pub unit: UnitCode,
    /// The fields its profile lacks.
    pub lacks: Vec<ProfileField>,
}

fn fields_text(fields: &[ProfileField]) -> String {
    fields
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" and no ")
}

impl IncompleteProfile {
    /// Where: the unit.
    pub fn location(&self) -> Location {
        Location::of_unit(self.unit.clone())
    }
}

/// The outcome of the pass: every unit's result, a summary per unit with children, and
/// what went wrong where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
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
    /// Assessed units for which no input was given (each also
    /// [excluded](ExclusionReason::NoInput)).
    pub missing_input: Vec<UnitCode>,
    /// Inputs for codes that are not in the tree at the date (ignored).
    pub unknown_inputs: Vec<UnitCode>,
    /// Values that no criteria set of their unit's level (for any kind of unit) and no
    /// roll-up from that level reads (a
    /// misspelt indicator id, most often: `10.l` for `10.1`), by level then unit code,
    /// with the nearest indicator id of the level's sets when one is close. (A plan
    /// target may still read a value of its scope's own data; the contract's
    /// diagnostics leave those out.)
    pub unused_values: Vec<UnusedValue>,
    /// Evaluated units whose profile lacks a field that thresholds of their sets are
    /// keyed on, by level then unit code.
    pub incomplete_profiles: Vec<IncompleteProfile>,
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
