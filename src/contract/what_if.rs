//! What-if (issue 13, item 5): apply hypothetical indicator values to some units, a
//! threshold overlay, or another reporting year, run the tree again, and report what changes as a diff: the
//! values changed, the units' decisions and criteria met, the summaries, the plan's
//! targets. No change gives an empty diff.

use crate::contract::run::Run;
use crate::model::{IndicatorId, TierId, UnitCode, Value};
use crate::policy::{apply_overlays, entries_for_unknown_sets, Overlay, OverlayProblem};
use crate::tree::{
    aggregate, AggregateOptions, Aggregation, ExclusionReason, LevelSets, TargetStatus, UnitInput,
    UnitStatus,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Hypothetical changes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct WhatIf {
    /// New indicator values, by unit then indicator.
    #[serde(default)]
    pub values: BTreeMap<UnitCode, BTreeMap<IndicatorId, Value>>,
    /// Another reporting year (every unit's data is read as that year's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Threshold overlays applied, in order, on top of the run's sets (which already
    /// carry the request's own overlays).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<Overlay>,
}

impl WhatIf {
    /// New values for one unit.
    pub fn with_values(
        mut self,
        unit: UnitCode,
        values: impl IntoIterator<Item = (IndicatorId, Value)>,
    ) -> Self {
        self.values.entry(unit).or_default().extend(values);
        self
    }

    /// Another reporting year.
    pub fn with_year(mut self, year: u16) -> Self {
        self.year = Some(year);
        self
    }

    /// A threshold overlay, applied after those already added.
    pub fn with_overlay(mut self, overlay: Overlay) -> Self {
        self.overlays.push(overlay);
        self
    }
}

/// Why a what-if cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WhatIfError {
    /// A unit named has no input in the run.
    #[error("what-if: unit {unit} has no input in the request")]
    UnknownUnit {
        /// The unit.
        unit: UnitCode,
    },
    /// An overlay cannot be applied to the run's sets (an entry for a set the run does
    /// not have, a loosening not marked as a replacement, an unknown indicator…).
    #[error("what-if: the overlays cannot be applied: {}", join(problems))]
    Overlay {
        /// Every problem, naming the overlay, set and indicator.
        problems: Vec<OverlayProblem>,
    },
}

fn join(problems: &[OverlayProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A unit's state in a run, for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnitState {
    /// Decided: the tier held after the decision (none: no tier).
    Decided {
        /// The tier.
        #[serde(skip_serializing_if = "Option::is_none")]
        tier: Option<TierId>,
    },
    /// The decision cannot be made.
    CannotDecide,
    /// Excluded, with why (bad data names the indicator).
    Excluded {
        /// Why.
        reason: String,
    },
    /// Not assessed, or not in the run.
    NotAssessed,
}

fn state(agg: &Aggregation, unit: &UnitCode) -> (UnitState, Option<u32>) {
    let Some(r) = agg.results.get(unit) else {
        return (UnitState::NotAssessed, None);
    };
    let criteria = r.criteria_met.as_ref().map(|c| c.len() as u32);
    let s = match &r.status {
        UnitStatus::Decided { decision } => match decision.tier_after() {
            Some(t) => UnitState::Decided { tier: t.cloned() },
            None => UnitState::CannotDecide,
        },
        UnitStatus::Excluded { reason } => UnitState::Excluded {
            reason: reason.to_string(),
        },
        UnitStatus::NotAssessed { .. } => UnitState::NotAssessed,
    };
    (s, criteria)
}

/// One value changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ValueChange {
    /// The unit.
    pub unit: UnitCode,
    /// The indicator.
    pub indicator: IndicatorId,
    /// The value before (absent: none given).
    pub before: Option<Value>,
    /// The value after.
    pub after: Value,
}

/// A unit whose state or criteria met changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct UnitChange {
    /// The unit.
    pub unit: UnitCode,
    /// Before.
    pub before: UnitState,
    /// After.
    pub after: UnitState,
    /// Criteria met before (lowest-tier set).
    pub criteria_before: Option<u32>,
    /// Criteria met after.
    pub criteria_after: Option<u32>,
}

/// A plan target whose value or status changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TargetChange {
    /// The target id.
    pub target: String,
    /// Actual value before.
    pub before: Option<Decimal>,
    /// Actual value after.
    pub after: Option<Decimal>,
    /// Status before.
    pub status_before: TargetStatus,
    /// Status after.
    pub status_after: TargetStatus,
}

/// What changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct WhatIfDiff {
    /// The year changed, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<(u16, u16)>,
    /// The ids of the overlays applied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<String>,
    /// Values that differ from the request's.
    pub values: Vec<ValueChange>,
    /// Units whose decision or criteria met differ, in code order.
    pub units: Vec<UnitChange>,
    /// Units whose summary (counts, criteria statistics, roll-ups) differs.
    pub summaries: Vec<UnitCode>,
    /// Plan targets whose value or status differs.
    pub targets: Vec<TargetChange>,
}

impl WhatIfDiff {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.year.is_none()
            && self.overlays.is_empty()
            && self.values.is_empty()
            && self.units.is_empty()
            && self.summaries.is_empty()
            && self.targets.is_empty()
    }
}

impl Run {
    /// Runs the tree again with `changes` and gives what differs.
    ///
    /// # Errors
    ///
    /// [`WhatIfError::UnknownUnit`] for a unit without input; [`WhatIfError::Overlay`]
    /// for overlays that cannot be applied. A value of the wrong kind
    /// is not an error: the unit is excluded after, naming the indicator, and the diff
    /// shows it.
    pub fn what_if(&self, changes: &WhatIf) -> Result<WhatIfDiff, WhatIfError> {
        let mut diff = WhatIfDiff::default();
        let year = changes.year.unwrap_or(self.aggregation.year);
        if year != self.aggregation.year {
            diff.year = Some((self.aggregation.year, year));
        }
        for unit in changes.values.keys() {
            if !self.inputs.iter().any(|i| &i.data.unit == unit) {
                return Err(WhatIfError::UnknownUnit { unit: unit.clone() });
            }
        }
        let inputs: Vec<UnitInput> = self
            .inputs
            .iter()
            .map(|i| {
                let mut i = i.clone();
                i.data.year = year;
                if let Some(values) = changes.values.get(&i.data.unit) {
                    for (k, v) in values {
                        let before = i.data.values.insert(k.clone(), v.clone());
                        if before.as_ref() != Some(v) {
                            diff.values.push(ValueChange {
                                unit: i.data.unit.clone(),
                                indicator: k.clone(),
                                before,
                                after: v.clone(),
                            });
                        }
                    }
                }
                i
            })
            .collect();
        // The inputs the request could not read stay unreadable, as in the run.
        let options = self.aggregation.excluded.iter().fold(
            AggregateOptions::default().with_rollups(self.rollups.clone()),
            |o, ex| match &ex.reason {
                ExclusionReason::Unreadable { message } => {
                    o.with_unreadable(ex.unit.clone(), message.clone())
                }
                _ => o,
            },
        );
        let sets = self.overlaid_sets(&changes.overlays)?;
        diff.overlays = changes.overlays.iter().map(|o| o.id.clone()).collect();
        let after = if diff.values.is_empty() && diff.year.is_none() && diff.overlays.is_empty() {
            None
        } else {
            Some(aggregate(&self.tree, year, &sets, &inputs, &options))
        };
        let Some(after) = after else {
            return Ok(diff);
        };
        let before = &self.aggregation;
        let mut units: Vec<&UnitCode> = before.results.keys().chain(after.results.keys()).collect();
        units.sort();
        units.dedup();
        for unit in units {
            let (b, cb) = state(before, unit);
            let (a, ca) = state(&after, unit);
            if b != a || cb != ca {
                diff.units.push(UnitChange {
                    unit: unit.clone(),
                    before: b,
                    after: a,
                    criteria_before: cb,
                    criteria_after: ca,
                });
            }
        }
        diff.summaries = before
            .summaries
            .iter()
            .filter(|(k, v)| after.summaries.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .collect();
        if let Some(plan) = &self.plan {
            let (pb, pa) = (plan.progress(before), plan.progress(&after));
            for (b, a) in pb.targets.iter().zip(&pa.targets) {
                if b.actual != a.actual || b.status != a.status {
                    diff.targets.push(TargetChange {
                        target: b.target.id.clone(),
                        before: b.actual,
                        after: a.actual,
                        status_before: b.status.clone(),
                        status_after: a.status.clone(),
                    });
                }
            }
        }
        Ok(diff)
    }

    /// The run's sets with `overlays` applied on top; the run's own when there are none.
    fn overlaid_sets(&self, overlays: &[Overlay]) -> Result<Vec<LevelSets>, WhatIfError> {
        if overlays.is_empty() {
            return Ok(self.sets.clone());
        }
        let mut problems = entries_for_unknown_sets(
            overlays,
            self.sets.iter().flat_map(|l| &l.sets).map(|s| &s.id),
        );
        let mut out = Vec::with_capacity(self.sets.len());
        for level in &self.sets {
            let mut l = level.clone();
            l.sets.clear();
            for set in &level.sets {
                match apply_overlays(set, overlays) {
                    Ok(s) => l.sets.push(s),
                    Err(e) => problems.extend(e.problems().iter().cloned()),
                }
            }
            out.push(l);
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(WhatIfError::Overlay { problems })
        }
    }
}
