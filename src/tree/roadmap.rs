//! A roadmap for one unit: year by year, at most N criteria a year (the Bắc Giang 2022
//! plan: "set a roadmap, completing 1–2 more criteria a year"), cheapest first, to a
//! target tier by a target year; the year it is reached, or why not.
//!
//! Method: from the reporting year to the target year, each year's gaps are taken with
//! that year's thresholds (a criterion met now may reopen under a rising floor), the
//! `per_year` cheapest criteria are closed, each at the higher of that year's and the
//! target year's thresholds so it stays closed, (open preconditions are closed
//! with them and do not count towards the cap), and the unit is evaluated again; a tier
//! reached is recorded in the history, so a tier that must be held first (the model
//! commune must be advanced) is reached at the earliest the year after.

use crate::engine::{Evaluator, UndeterminedReason, Verdict};
use crate::model::{
    CriteriaSet, CriterionId, EventKind, IndicatorId, RecognitionEvent, TierId, UnitCode, Value,
};
use crate::tree::cost::{Cost, CostModel, Ranking};
use crate::tree::gaps::{apply_changes, gaps, PlanError, UnitGaps};
use crate::tree::input::UnitInput;
use serde::Serialize;
use std::collections::BTreeMap;

/// The default yearly cap of criteria completed.
pub const DEFAULT_PER_YEAR: u32 = 2;

/// One criterion completed in a year of a roadmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Step {
    /// The criterion.
    pub criterion: CriterionId,
    /// Its cost.
    pub cost: Cost,
    /// The values it takes (the gaps closed), by indicator.
    pub changes: BTreeMap<IndicatorId, Value>,
}

/// One year of a roadmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RoadmapYear {
    /// The year.
    pub year: u16,
    /// Criteria completed that year, cheapest first (at most the cap).
    pub steps: Vec<Step>,
    /// Preconditions closed that year.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub preconditions: BTreeMap<IndicatorId, Value>,
    /// Tiers reached at the end of the year, lowest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reached: Vec<TierId>,
}

/// Why a roadmap does not reach its tier by the target year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Blocker {
    /// More criteria are left than the yearly cap allows by the target year.
    TooManyCriteria {
        /// The criteria still open after the target year.
        left: Vec<CriterionId>,
    },
    /// Indicators whose data, threshold or profile field is missing: the gap cannot be
    /// told, so it cannot be planned.
    Undetermined {
        /// The indicators and why.
        indicators: Vec<(IndicatorId, UndeterminedReason)>,
    },
    /// A tier must be held from an earlier year, and there is no year left after it
    /// is reached.
    RequiresHeld {
        /// The tier.
        tier: TierId,
    },
}

/// A unit's roadmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Roadmap {
    /// The unit.
    pub unit: UnitCode,
    /// The target tier.
    pub target: TierId,
    /// The target year.
    pub target_year: u16,
    /// The yearly cap.
    pub per_year: u32,
    /// The ranking used.
    pub ranking: Ranking,
    /// The years planned, from the reporting year.
    pub years: Vec<RoadmapYear>,
    /// The year the tier is reached, if by the target year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached_in: Option<u16>,
    /// Why not, otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blockers: Vec<Blocker>,
}

/// Options of [`roadmap`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoadmapOptions {
    /// At most this many criteria a year (default [`DEFAULT_PER_YEAR`]).
    pub per_year: u32,
    /// The last year of the roadmap.
    pub target_year: u16,
    /// Costs (empty: the shortfall ranking).
    pub costs: CostModel,
}

impl RoadmapOptions {
    /// Two criteria a year, no costs, to `target_year`.
    pub fn new(target_year: u16) -> Self {
        Self {
            per_year: DEFAULT_PER_YEAR,
            target_year,
            costs: CostModel::default(),
        }
    }

    /// Sets the yearly cap (builder style).
    #[must_use]
    pub fn per_year(mut self, per_year: u32) -> Self {
        self.per_year = per_year;
        self
    }

    /// Sets the costs (builder style).
    #[must_use]
    pub fn costs(mut self, costs: CostModel) -> Self {
        self.costs = costs;
        self
    }
}

/// The criteria of `g` with their cost, cheapest first (official order among equals).
pub(crate) fn priced(g: &UnitGaps, costs: &CostModel) -> Vec<(CriterionId, Cost)> {
    let mut out: Vec<(CriterionId, Cost)> = g
        .criteria()
        .into_iter()
        .map(|c| {
            // The widest gap of the criterion over the tiers is the one that costs.
            let cost = g
                .tiers
                .iter()
                .flat_map(|t| t.criteria.iter())
                .filter(|x| x.criterion == c)
                .map(|x| costs.cost_of(&g.unit, x))
                .max()
                .unwrap_or_default();
            (c, cost)
        })
        .collect();
    out.sort_by_key(|a| a.1);
    out
}

/// Plans `input` to `target` by `options.target_year`, with the sets of its level.
///
/// # Errors
///
/// [`PlanError::YearBeforeReporting`], [`PlanError::NegativeCost`],
/// [`PlanError::UnknownTier`], or [`PlanError::Evaluate`] for a year the unit cannot be
/// evaluated in.
pub fn roadmap(
    sets: &[CriteriaSet],
    input: &UnitInput,
    target: &TierId,
    options: &RoadmapOptions,
) -> Result<Roadmap, PlanError> {
    options.costs.validate()?;
    let start = input.data.year;
    if options.target_year < start {
        return Err(PlanError::YearBeforeReporting {
            unit: input.data.unit.clone(),
            target: options.target_year,
            reporting: start,
        });
    }
    let mut state = input.clone();
    let mut out = Roadmap {
        unit: input.data.unit.clone(),
        target: target.clone(),
        target_year: options.target_year,
        per_year: options.per_year,
        ranking: options.costs.ranking(),
        years: Vec::new(),
        reached_in: None,
        blockers: Vec::new(),
    };
    let mut last: Option<UnitGaps> = None;
    for year in start..=options.target_year {
        let mut evaluator = Evaluator::new(sets.to_vec(), year);
        let g = gaps(&mut evaluator, &state, target)?;
        if g.is_closed() {
            out.reached_in = Some(year);
            out.years.push(RoadmapYear {
                year,
                steps: Vec::new(),
                preconditions: BTreeMap::new(),
                reached: Vec::new(),
            });
            return Ok(out);
        }
        let open = g.undetermined();
        if !open.is_empty() {
            out.blockers
                .push(Blocker::Undetermined { indicators: open });
            return Ok(out);
        }
        let chosen: Vec<(CriterionId, Cost)> = priced(&g, &options.costs)
            .into_iter()
            .take(options.per_year as usize)
            .collect();
        // The target year's gaps, so a criterion is closed at the higher of this
        // year's and the target year's floors and stays closed.
        let later = if year < options.target_year {
            let mut ev = Evaluator::new(sets.to_vec(), options.target_year);
            gaps(&mut ev, &state, target).ok()
        } else {
            None
        };
        let mut steps = Vec::new();
        let mut all = BTreeMap::new();
        for (criterion, cost) in chosen {
            let mut changes = g.changes_of(std::slice::from_ref(&criterion), false);
            if let Some(later) = &later {
                later.tighten(&mut changes);
            }
            all.extend(changes.clone());
            steps.push(Step {
                criterion,
                cost,
                changes,
            });
        }
        let mut preconditions = g.changes_of(&[], true);
        preconditions.retain(|k, _| !all.contains_key(k));
        all.extend(preconditions.clone());
        state.data = apply_changes(&state.data, &all, year);
        // Evaluate the year's end state: the tiers reached go into the history.
        let evaluation = evaluator
            .evaluate(&state.profile, &state.data, &state.history)
            .map_err(|error| PlanError::Evaluate {
                unit: state.data.unit.clone(),
                year,
                error,
            })?;
        let reached = match &evaluation.decision.verdict {
            Verdict::Recognise { newly, .. } => newly.clone(),
            _ => Vec::new(),
        };
        for tier in &reached {
            state.history.events.push(RecognitionEvent {
                tier: tier.clone(),
                year,
                kind: EventKind::Recognised,
                decision: Some("roadmap".into()),
            });
        }
        let done = reached.contains(target);
        out.years.push(RoadmapYear {
            year,
            steps,
            preconditions,
            reached,
        });
        if done {
            out.reached_in = Some(year);
            return Ok(out);
        }
        last = Some(g);
    }
    // Not reached: what is left, with the target year's thresholds.
    let mut evaluator = Evaluator::new(sets.to_vec(), options.target_year);
    let left = gaps(&mut evaluator, &state, target)?;
    let criteria = left.criteria();
    if !criteria.is_empty() {
        out.blockers
            .push(Blocker::TooManyCriteria { left: criteria });
    }
    let blocked = left
        .tiers
        .iter()
        .find_map(|t| t.requires_held.clone())
        .or_else(|| {
            last.as_ref()
                .and_then(|g| g.tiers.iter().find_map(|t| t.requires_held.clone()))
        });
    if let Some(tier) = blocked {
        out.blockers.push(Blocker::RequiresHeld { tier });
    }
    Ok(out)
}
