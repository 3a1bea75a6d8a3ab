//! Answering the planning questions of a request ([`Question`]) on its [`Run`].

use crate::contract::questions::{Answer, AnswerBody, Question};
use crate::contract::response::{error, Diagnostic};
use crate::contract::run::Run;
use crate::contract::what_if::WhatIfError;
use crate::model::{JsonPointer, Location, UnitCode};
use crate::tree::{PlanError, RoadmapOptions};

/// Why a question cannot be answered.
#[derive(Debug)]
enum Refusal {
    Plan(PlanError),
    WhatIf(WhatIfError),
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
            Refusal::Plan(PlanError::NoPlanTargets { level: Some(_) }) => Some("level"),
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
                let target = match (tier, count) {
                    (Some(t), Some(n)) => Some((t, *n)),
                    (None, None) => None,
                    _ => return Err(Refusal::TierAndCountApart),
                };
                let scope = scope.as_ref().map(UnitCode::as_str);
                let selections = self.candidates_for(scope, *level, target, costs)?;
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
