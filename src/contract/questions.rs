//! Planning questions in the JSON contract (issue 13, item 7): a request may ask, beside
//! its evaluation, for a unit's gaps or roadmap, the candidate units of a plan target, the
//! candidate criteria for "+x criteria per commune", or a what-if. The response answers
//! each in `answers`, in the order asked; a question that cannot be answered is answered
//! with the reason (and an error diagnostic at `/questions/<i>/<kind>/<field>`), and the
//! others are still answered.

use crate::contract::what_if::{WhatIf, WhatIfDiff};
#[cfg(doc)]
use crate::contract::Run;
use crate::model::{Level, TierId, UnitCode};
use crate::tree::{CostModel, CriteriaSelection, Roadmap, Selection, UnitGaps, DEFAULT_PER_YEAR};
use serde::{Deserialize, Serialize};

/// A planning question, named by its kind: `{"gaps": {"unit": "07672", "tier":
/// "standard"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Question {
    /// Every criterion and indicator a unit is short of for a tier, with the
    /// thresholds of a year ([`Run::gaps`]).
    Gaps {
        /// The unit.
        unit: UnitCode,
        /// The target tier.
        tier: TierId,
        /// The year whose thresholds apply (default: the reporting year).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        year: Option<u16>,
    },
    /// A year-by-year plan for a unit to reach a tier by a year ([`Run::roadmap`]).
    Roadmap {
        /// The unit.
        unit: UnitCode,
        /// The target tier.
        tier: TierId,
        /// The target year.
        by: u16,
        /// At most this many criteria a year (default 2, as the plans say).
        #[serde(default = "default_per_year")]
        per_year: u32,
        /// The cost model (default: rank by failing indicators and shortfalls).
        #[serde(default)]
        costs: CostModel,
    },
    /// The least-cost units to bring to a tier ("9 more standard communes",
    /// [`Run::candidates`]). Without `tier` and `count`: every "N more units at a tier"
    /// target of the request's plan (those at `level` only, when it is given).
    Candidates {
        /// The scope (default: the plan's, else the whole tree).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<UnitCode>,
        /// The level of the units: with `tier` and `count`, default communes; without
        /// them, the plan's targets at this level only (default: every level).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<Level>,
        /// The tier (with `count`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<TierId>,
        /// How many more units (with `tier`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<u32>,
        /// The cost model.
        #[serde(default)]
        costs: CostModel,
    },
    /// The least-cost criteria to complete over the units of a level ("+0.3 criteria
    /// per commune on average" is ⌈0.3 × communes⌉ criteria, [`Run::criteria_candidates`]).
    CriteriaCandidates {
        /// The scope (default: the plan's, else the whole tree).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<UnitCode>,
        /// The level of the units (default: communes).
        #[serde(default = "default_level")]
        level: Level,
        /// How many criteria.
        count: u32,
        /// The cost model.
        #[serde(default)]
        costs: CostModel,
    },
    /// Hypothetical values, overlays or year, and what they change ([`Run::what_if`]).
    WhatIf {
        /// The changes.
        changes: WhatIf,
    },
}

impl Question {
    /// The question's kind, as the request names it (`"gaps"`, `"roadmap"`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Question::Gaps { .. } => "gaps",
            Question::Roadmap { .. } => "roadmap",
            Question::Candidates { .. } => "candidates",
            Question::CriteriaCandidates { .. } => "criteria_candidates",
            Question::WhatIf { .. } => "what_if",
        }
    }
}

fn default_per_year() -> u32 {
    DEFAULT_PER_YEAR
}

fn default_level() -> Level {
    Level::Commune
}

/// The answer to one question of a request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Answer {
    /// The question's place in the request's `questions`.
    pub question: usize,
    /// What it says.
    #[serde(flatten)]
    pub body: AnswerBody,
}

/// What an answer says (`{"answer": "gaps", "gaps": {...}}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "answer", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AnswerBody {
    /// A unit's gaps.
    Gaps {
        /// The gaps.
        gaps: Box<UnitGaps>,
    },
    /// A unit's roadmap.
    Roadmap {
        /// The roadmap.
        roadmap: Box<Roadmap>,
    },
    /// The candidate units, one selection per target asked (or per plan target).
    Candidates {
        /// The selections.
        selections: Vec<Selection>,
    },
    /// The candidate criteria.
    CriteriaCandidates {
        /// The selection.
        selection: Box<CriteriaSelection>,
    },
    /// What the changes change.
    WhatIf {
        /// The diff (empty: no change).
        diff: Box<WhatIfDiff>,
    },
    /// The question cannot be answered; the same reason is an error diagnostic of the
    /// response at the question's place.
    Refused {
        /// Why, naming the unit, tier, year or field at fault.
        reason: String,
    },
}
