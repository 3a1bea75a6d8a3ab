//! Candidates for a plan target "N more units at tier T": the units that do not hold T,
//! closest first, and the least-cost set of N of them.
//!
//! Method and optimality: a unit's cost to reach T is the sum of the costs of its open
//! criteria ([`CostModel::cost_of`]); units are planned independently, so the cost of a
//! set of units is the sum of its members' costs, and the N cheapest units (ties broken
//! by unit code) are a least-cost set: swapping any member for a unit left out cannot
//! lower the total. The method is exact at every size, and `tests/planning.rs` checks it
//! against a brute-force search over every subset of small provinces. Units whose gap
//! cannot be told (undetermined data or threshold) or that must hold a tier first are
//! not candidates; they are listed with the reason.

use crate::engine::Evaluator;
use crate::model::{TierId, UnitCode};
use crate::tree::cost::{Cost, CostModel, Ranking};
use crate::tree::gaps::{gaps, PlanError, UnitGaps};
use crate::tree::input::UnitInput;
use crate::tree::roadmap::priced;
use serde::Serialize;

/// One unit's distance to a tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Candidate {
    /// The unit.
    pub unit: UnitCode,
    /// Its total cost to reach the tier.
    pub cost: Cost,
    /// Criteria to complete.
    pub criteria: u32,
    /// Its gaps.
    pub gaps: UnitGaps,
}

/// A unit that is not a candidate, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotCandidate {
    /// It holds the tier already.
    Holds {
        /// The unit.
        unit: UnitCode,
    },
    /// Its gap cannot be told (data, threshold or profile field missing).
    Undetermined {
        /// The unit.
        unit: UnitCode,
        /// How many indicators are undetermined.
        indicators: u32,
    },
    /// It must hold another tier from an earlier year first.
    RequiresHeld {
        /// The unit.
        unit: UnitCode,
        /// The tier.
        tier: TierId,
    },
    /// It cannot be evaluated.
    Error {
        /// The unit.
        unit: UnitCode,
        /// Why.
        message: String,
    },
}

/// The answer to "N more units at tier T".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Selection {
    /// The tier.
    pub tier: TierId,
    /// Units asked for.
    pub wanted: u32,
    /// The ranking used.
    pub ranking: Ranking,
    /// The least-cost set, cheapest first.
    pub chosen: Vec<Candidate>,
    /// The sum of their costs.
    pub total: Cost,
    /// The other candidates, cheapest first.
    pub others: Vec<Candidate>,
    /// Units that are not candidates.
    pub not_candidates: Vec<NotCandidate>,
    /// How many units the target lacks when there are too few candidates.
    pub short_by: u32,
}

/// A unit's candidate entry for `tier`, or why it is none.
pub fn candidate(
    evaluator: &mut Evaluator,
    input: &UnitInput,
    tier: &TierId,
    costs: &CostModel,
) -> Result<Result<Candidate, NotCandidate>, PlanError> {
    let unit = input.data.unit.clone();
    let g = match gaps(evaluator, input, tier) {
        Ok(g) => g,
        Err(e @ PlanError::UnknownTier { .. }) => return Err(e),
        Err(e) => {
            return Ok(Err(NotCandidate::Error {
                unit,
                message: e.to_string(),
            }))
        }
    };
    if g.tiers.is_empty() {
        return Ok(Err(NotCandidate::Holds { unit }));
    }
    let open = g.undetermined();
    if !open.is_empty() {
        return Ok(Err(NotCandidate::Undetermined {
            unit,
            indicators: open.len() as u32,
        }));
    }
    if let Some(t) = g.tiers.iter().find_map(|t| t.requires_held.clone()) {
        return Ok(Err(NotCandidate::RequiresHeld { unit, tier: t }));
    }
    let criteria = priced(&g, costs);
    let cost = criteria
        .iter()
        .fold(Cost::default(), |acc, (_, c)| acc.plus(*c));
    let preconditions = g
        .tiers
        .iter()
        .map(|t| t.preconditions.len() as u32)
        .sum::<u32>();
    let cost = Cost {
        failing: cost.failing.saturating_add(preconditions),
        ..cost
    };
    Ok(Ok(Candidate {
        unit,
        cost,
        criteria: criteria.len() as u32,
        gaps: g,
    }))
}

/// The least-cost set of `wanted` units of `inputs` to bring to `tier` with the
/// evaluator's thresholds (see the module docs for the method).
///
/// # Errors
///
/// [`PlanError::NegativeCost`], or [`PlanError::UnknownTier`] when the tier is not one of
/// a unit's scheme. A unit that cannot be evaluated is listed, not an error.
pub fn select(
    evaluator: &mut Evaluator,
    inputs: &[&UnitInput],
    tier: &TierId,
    wanted: u32,
    costs: &CostModel,
) -> Result<Selection, PlanError> {
    costs.validate()?;
    let mut all = Vec::new();
    let mut not_candidates = Vec::new();
    for input in inputs {
        match candidate(evaluator, input, tier, costs)? {
            Ok(c) => all.push(c),
            Err(n) => not_candidates.push(n),
        }
    }
    all.sort_by(|a, b| a.cost.cmp(&b.cost).then_with(|| a.unit.cmp(&b.unit)));
    let take = (wanted as usize).min(all.len());
    let others = all.split_off(take);
    let total = all.iter().fold(Cost::default(), |acc, c| acc.plus(c.cost));
    Ok(Selection {
        tier: tier.clone(),
        wanted,
        ranking: costs.ranking(),
        short_by: wanted.saturating_sub(all.len() as u32),
        chosen: all,
        total,
        others,
        not_candidates,
    })
}

/// One criterion of one unit to complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CriterionCandidate {
    /// The unit.
    pub unit: UnitCode,
    /// The criterion (of the lowest-tier set).
    pub criterion: crate::model::CriterionId,
    /// Its cost.
    pub cost: Cost,
}

/// The answer to "N more criteria met over the units" (the plan's "+0.3 criteria per
/// commune on average" is N = ⌈0.3 × communes⌉).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CriteriaSelection {
    /// Criteria asked for.
    pub wanted: u32,
    /// The ranking used.
    pub ranking: Ranking,
    /// The least-cost criteria, cheapest first.
    pub chosen: Vec<CriterionCandidate>,
    /// The sum of their costs.
    pub total: Cost,
    /// How many criteria the target lacks when too few can be completed.
    pub short_by: u32,
    /// Units that cannot be evaluated, with why.
    pub not_candidates: Vec<NotCandidate>,
}

/// The least-cost `wanted` criteria of the lowest-tier set, not met in `inputs`, to
/// complete (criteria with an undetermined indicator are left out: their gap cannot be
/// told). Costs are additive over criteria and units, so the `wanted` cheapest are a
/// least-cost choice (ties by unit, then official order).
///
/// # Errors
///
/// [`PlanError::NegativeCost`].
pub fn select_criteria(
    evaluator: &mut Evaluator,
    inputs: &[&UnitInput],
    wanted: u32,
    costs: &CostModel,
) -> Result<CriteriaSelection, PlanError> {
    costs.validate()?;
    let year = evaluator.year();
    let mut all = Vec::new();
    let mut not_candidates = Vec::new();
    for input in inputs {
        let mut data = input.data.clone();
        data.year = year;
        let unit = input.data.unit.clone();
        let evaluation = match evaluator.evaluate(&input.profile, &data, &input.history) {
            Ok(e) => e,
            Err(e) => {
                not_candidates.push(NotCandidate::Error {
                    unit,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let Some(lowest) = evaluation
            .assessments
            .iter()
            .find(|a| a.scheme.tiers.first() == Some(&a.tier))
        else {
            continue;
        };
        let Some(set) = evaluator.sets().iter().find(|s| s.id == lowest.set) else {
            continue;
        };
        let gap = crate::tree::gaps::tier_gap(lowest, set, None);
        for (order, c) in gap.criteria.iter().enumerate() {
            if c.outcome != crate::engine::Outcome::NotMet
                || c.indicators
                    .iter()
                    .any(crate::tree::IndicatorGap::is_undetermined)
            {
                continue;
            }
            all.push((
                order,
                CriterionCandidate {
                    unit: unit.clone(),
                    criterion: c.criterion.clone(),
                    cost: costs.cost_of(&unit, c),
                },
            ));
        }
    }
    all.sort_by(|(oa, a), (ob, b)| {
        a.cost
            .cmp(&b.cost)
            .then_with(|| a.unit.cmp(&b.unit))
            .then(oa.cmp(ob))
    });
    let chosen: Vec<CriterionCandidate> = all
        .into_iter()
        .take(wanted as usize)
        .map(|(_, c)| c)
        .collect();
    let total = chosen
        .iter()
        .fold(Cost::default(), |acc, c| acc.plus(c.cost));
    Ok(CriteriaSelection {
        wanted,
        ranking: costs.ranking(),
        short_by: wanted.saturating_sub(chosen.len() as u32),
        chosen,
        total,
        not_candidates,
    })
}
