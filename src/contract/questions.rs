//! Planning questions in the JSON contract (issue 13, item 7): a request may ask, beside
//! its evaluation, for a unit's gaps or roadmap, the candidate units of a plan target, the
//! candidate criteria for "+x criteria per commune", or a what-if. The response answers
//! each in `answers`, in the order asked; a question that cannot be answered is answered
//! with the reason (and an error diagnostic at `/questions/<i>/<kind>/<field>`), and the
//! others are still answered.

use crate::contract::response::{error, Diagnostic};
use crate::contract::run::Run;
use crate::contract::what_if::{WhatIf, WhatIfDiff, WhatIfError};
use crate::model::{JsonPointer, Level, Location, TierId, UnitCode};
use crate::tree::{
    CostModel, CriteriaSelection, PlanError, Roadmap, RoadmapOptions, Selection, UnitGaps,
    DEFAULT_PER_YEAR,
};
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
    /// target of the request's plan.
    Candidates {
        /// The scope (default: the plan's, else the whole tree).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<UnitCode>,
        /// The level of the units (default: communes).
        #[serde(default = "default_level")]
        level: Level,
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

/// Why a question cannot be answered.
#[derive(Debug)]
enum Refusal {
    Plan(PlanError),
    WhatIf(WhatIfError),
    NoPlanTargets,
    TierAndCountApart,
}

impl Refusal {
    /// The field of `question` at fault.
    fn field(&self, question: &Question) -> Option<&'static str> {
        match self {
            Refusal::Plan(PlanError::UnknownTier { .. }) => Some("tier"),
            Refusal::Plan(PlanError::YearBeforeReporting { .. }) => match question {
                Question::Roadmap { .. } => Some("by"),
                _ => Some("year"),
            },
            Refusal::Plan(PlanError::NegativeCost { .. }) => Some("costs"),
            Refusal::Plan(PlanError::UnknownUnit { .. } | PlanError::NoSets { .. }) => Some("unit"),
            Refusal::WhatIf(_) => Some("changes"),
            Refusal::TierAndCountApart => Some("count"),
            _ => None,
        }
    }

    fn unit(&self) -> Option<UnitCode> {
        match self {
            Refusal::Plan(
                PlanError::UnknownTier { unit, .. }
                | PlanError::YearBeforeReporting { unit, .. }
                | PlanError::Evaluate { unit, .. }
                | PlanError::UnknownUnit { unit, .. }
                | PlanError::NoSets { unit },
            ) => Some(unit.clone()),
            Refusal::WhatIf(WhatIfError::UnknownUnit { unit }) => Some(unit.clone()),
            _ => None,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Plan(e) => e.fmt(f),
            Refusal::WhatIf(e) => e.fmt(f),
            Refusal::NoPlanTargets => f.write_str(
                "candidates without `tier` and `count` read the plan's \"N more units at a \
                 tier\" targets, and the request's plan has none",
            ),
            Refusal::TierAndCountApart => {
                f.write_str("candidates: `tier` and `count` are given together or not at all")
            }
        }
    }
}

impl From<PlanError> for Refusal {
    fn from(e: PlanError) -> Self {
        Refusal::Plan(e)
    }
}

impl Run {
    /// Answers the questions, in order: each answer, and an error diagnostic (at
    /// `/questions/<i>/<kind>`, and the field at fault) for each question that cannot be
    /// answered.
    pub fn answer(&self, questions: &[Question]) -> (Vec<Answer>, Vec<Diagnostic>) {
        let mut answers = Vec::with_capacity(questions.len());
        let mut diagnostics = Vec::new();
        for (i, q) in questions.iter().enumerate() {
            let body = match self.answer_one(q) {
                Ok(body) => body,
                Err(refusal) => {
                    let mut pointer = JsonPointer::root()
                        .child("questions")
                        .child(i)
                        .child(q.kind());
                    if let Some(field) = refusal.field(q) {
                        pointer = pointer.child(field);
                    }
                    let mut location = Location::at(pointer);
                    location.unit = refusal.unit();
                    let reason = refusal.to_string();
                    diagnostics.push(error(location, reason.clone()));
                    AnswerBody::Refused { reason }
                }
            };
            answers.push(Answer { question: i, body });
        }
        (answers, diagnostics)
    }

    fn answer_one(&self, q: &Question) -> Result<AnswerBody, Refusal> {
        Ok(match q {
            Question::Gaps { unit, tier, year } => AnswerBody::Gaps {
                gaps: Box::new(self.gaps(unit.as_str(), tier, *year)?),
            },
            Question::Roadmap {
                unit,
                tier,
                by,
                per_year,
                costs,
            } => {
                costs.validate()?;
                let options = RoadmapOptions::new(*by)
                    .per_year(*per_year)
                    .costs(costs.clone());
                AnswerBody::Roadmap {
                    roadmap: Box::new(self.roadmap(unit.as_str(), tier, &options)?),
                }
            }
            Question::Candidates {
                scope,
                level,
                tier,
                count,
                costs,
            } => {
                costs.validate()?;
                let targets: Vec<(Level, TierId, u32)> = match (tier, count) {
                    (Some(t), Some(n)) => vec![(*level, t.clone(), *n)],
                    (Some(_), None) | (None, Some(_)) => return Err(Refusal::TierAndCountApart),
                    (None, None) => self
                        .new_units_targets()
                        .into_iter()
                        .map(|t| (t.level, t.tier, t.count))
                        .collect(),
                };
                if targets.is_empty() {
                    return Err(Refusal::NoPlanTargets);
                }
                let scope = scope.as_ref().map(UnitCode::as_str);
                let selections = targets
                    .into_iter()
                    .map(|(level, tier, count)| self.candidates(scope, level, &tier, count, costs))
                    .collect::<Result<_, _>>()?;
                AnswerBody::Candidates { selections }
            }
            Question::CriteriaCandidates {
                scope,
                level,
                count,
                costs,
            } => {
                costs.validate()?;
                let scope = scope.as_ref().map(UnitCode::as_str);
                AnswerBody::CriteriaCandidates {
                    selection: Box::new(self.criteria_candidates(scope, *level, *count, costs)?),
                }
            }
            Question::WhatIf { changes } => AnswerBody::WhatIf {
                diff: Box::new(self.what_if(changes).map_err(Refusal::WhatIf)?),
            },
        })
    }
}
