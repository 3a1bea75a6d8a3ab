//! Running a what-if ([`WhatIf`]) on a [`Run`]: the tree again with the changes, and the
//! diff.

use crate::contract::run::Run;
use crate::contract::what_if::{
    TargetChange, UnitChange, UnitState, ValueChange, WhatIf, WhatIfDiff, WhatIfError,
};
use crate::model::UnitCode;
use crate::policy::{apply_overlays, entries_for_unknown_sets, Overlay};
use crate::tree::{
    aggregate, AggregateOptions, Aggregation, ExclusionReason, LevelSets, UnitInput, UnitStatus,
};

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
