//! Planning over a [`Run`]: a unit's gaps and roadmap with the sets of its level, and the
//! candidates of a scope for a plan target "N more units at tier T".

use crate::contract::run::Run;
use crate::engine::Evaluator;
use crate::model::{CriteriaSet, Label, Level, TierId};
use crate::tree::{
    gaps, roadmap, select, select_criteria, CostModel, CriteriaSelection, LevelSets, Measure,
    Period, PlanError, Roadmap, RoadmapOptions, Selection, UnitGaps, UnitInput,
};
use rust_decimal::prelude::ToPrimitive;

/// A plan target "N more units of a level at a tier" ([`Measure::TierCount`] with
/// [`Period::New`] and one tier).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewUnitsTarget {
    /// The target's id.
    pub id: String,
    /// Its label.
    pub label: Label,
    /// The level.
    pub level: Level,
    /// The tier.
    pub tier: TierId,
    /// How many more units.
    pub count: u32,
}

impl Run {
    /// The plan's scope when none is given, and the units of `level` under the scope (or
    /// every unit of the level without one).
    fn scoped_units(
        &self,
        scope: Option<&str>,
        level: Level,
    ) -> Result<(Option<String>, Vec<&crate::model::AdminUnit>), PlanError> {
        let scope = scope
            .map(str::to_owned)
            .or_else(|| self.plan.as_ref().map(|p| p.scope.as_str().to_owned()));
        let units = match &scope {
            Some(s) => {
                if self.tree.get(s).is_none() {
                    return Err(PlanError::UnknownUnit {
                        unit: s.as_str().into(),
                        why: "scope not in the tree",
                    });
                }
                self.tree.descendants_at(s, level)
            }
            None => self.tree.units().filter(|u| u.level == level).collect(),
        };
        Ok((scope, units))
    }

    /// The inputs of those `units` that `sets` cover, in input order (one lookup per
    /// input, not a scan of the units).
    fn inputs_of(&self, units: &[&crate::model::AdminUnit], sets: &LevelSets) -> Vec<&UnitInput> {
        let covered: std::collections::HashSet<&str> = units
            .iter()
            .filter(|u| sets.covers(u))
            .map(|u| u.code.as_str())
            .collect();
        self.inputs
            .iter()
            .filter(|i| covered.contains(i.data.unit.as_str()))
            .collect()
    }

    /// A unit's input and the criteria sets that cover it.
    ///
    /// # Errors
    ///
    /// [`PlanError::UnknownUnit`] when the unit is not in the tree, has no input or no
    /// sets cover it.
    pub fn planning_input(&self, unit: &str) -> Result<(&UnitInput, &[CriteriaSet]), PlanError> {
        let missing = |why| PlanError::UnknownUnit {
            unit: unit.into(),
            why,
        };
        let admin = self
            .tree
            .get(unit)
            .ok_or_else(|| missing("not in the tree"))?;
        let sets = self
            .sets
            .iter()
            .find(|s| s.covers(admin))
            .ok_or_else(|| missing("no criteria sets cover it"))?;
        let input = self
            .inputs
            .iter()
            .find(|i| i.data.unit.as_str() == unit)
            .ok_or_else(|| missing("no input was given for it"))?;
        Ok((input, &sets.sets))
    }

    /// A unit's gaps to `tier` with the thresholds of `year` (default: the reporting
    /// year).
    ///
    /// # Errors
    ///
    /// See [`Run::planning_input`] and [`gaps`]; a year before the reporting year.
    pub fn gaps(
        &self,
        unit: &str,
        tier: &TierId,
        year: Option<u16>,
    ) -> Result<UnitGaps, PlanError> {
        let (input, sets) = self.planning_input(unit)?;
        let year = year.unwrap_or(input.data.year);
        if year < input.data.year {
            return Err(PlanError::YearBeforeReporting {
                unit: unit.into(),
                target: year,
                reporting: input.data.year,
            });
        }
        let mut ev = Evaluator::new(sets.to_vec(), year);
        gaps(&mut ev, input, tier)
    }

    /// A unit's roadmap to `tier`.
    ///
    /// # Errors
    ///
    /// See [`Run::planning_input`] and [`roadmap`].
    pub fn roadmap(
        &self,
        unit: &str,
        tier: &TierId,
        options: &RoadmapOptions,
    ) -> Result<Roadmap, PlanError> {
        let (input, sets) = self.planning_input(unit)?;
        roadmap(sets, input, tier, options)
    }

    /// The least-cost units for "N more units at a tier" targets: the one given
    /// (`target`, a tier and a count, at `level`, default communes), or else every such
    /// target of the request's plan (only those at `level`, when it is given), each as
    /// [`Run::candidates`] selects it. What the `candidates` question and `ntm candidates`
    /// answer.
    ///
    /// # Errors
    ///
    /// [`PlanError::NoPlanTargets`] when no target is given and the plan has none (at
    /// `level`); else as [`Run::candidates`].
    pub fn candidates_for(
        &self,
        scope: Option<&str>,
        level: Option<Level>,
        target: Option<(&TierId, u32)>,
        costs: &CostModel,
    ) -> Result<Vec<Selection>, PlanError> {
        let targets: Vec<(Level, TierId, u32)> = match target {
            Some((tier, count)) => vec![(level.unwrap_or(Level::Commune), tier.clone(), count)],
            None => self
                .new_units_targets()
                .into_iter()
                .filter(|t| level.is_none_or(|l| l == t.level))
                .map(|t| (t.level, t.tier, t.count))
                .collect(),
        };
        if targets.is_empty() {
            return Err(PlanError::NoPlanTargets { level });
        }
        targets
            .into_iter()
            .map(|(level, tier, count)| self.candidates(scope, level, &tier, count, costs))
            .collect()
    }

    /// The least-cost `count` units of `level` under `scope` (default: the plan's scope,
    /// else every unit of the level) to bring to `tier` this year.
    ///
    /// # Errors
    ///
    /// [`PlanError::NegativeCost`]; [`PlanError::UnknownTier`]; [`PlanError::UnknownUnit`]
    /// for a scope that is not in the tree or a level no set covers.
    pub fn candidates(
        &self,
        scope: Option<&str>,
        level: Level,
        tier: &TierId,
        count: u32,
        costs: &CostModel,
    ) -> Result<Selection, PlanError> {
        let (scope, units) = self.scoped_units(scope, level)?;
        // One evaluator per group of sets (kinds of unit may have their own).
        let mut out: Option<Selection> = None;
        for sets in self.sets.iter().filter(|s| s.level == level) {
            let inputs = self.inputs_of(&units, sets);
            if inputs.is_empty() {
                continue;
            }
            let mut ev = Evaluator::new(sets.sets.clone(), self.aggregation.year);
            let s = select(&mut ev, &inputs, tier, count, costs)?;
            out = Some(match out {
                None => s,
                Some(prev) => merge(prev, s, count),
            });
        }
        out.ok_or_else(|| PlanError::UnknownUnit {
            unit: scope.unwrap_or_default().as_str().into(),
            why: "no unit of the level with sets and input under the scope",
        })
    }

    /// The least-cost `count` criteria to complete over the units of `level` under
    /// `scope` (default: the plan's scope), for "+x criteria per commune on average".
    ///
    /// # Errors
    ///
    /// [`PlanError::NegativeCost`]; [`PlanError::UnknownUnit`] for a scope that is not
    /// in the tree.
    pub fn criteria_candidates(
        &self,
        scope: Option<&str>,
        level: Level,
        count: u32,
        costs: &CostModel,
    ) -> Result<CriteriaSelection, PlanError> {
        let (scope, units) = self.scoped_units(scope, level)?;
        let mut out: Option<CriteriaSelection> = None;
        for sets in self.sets.iter().filter(|s| s.level == level) {
            let inputs = self.inputs_of(&units, sets);
            let mut ev = Evaluator::new(sets.sets.clone(), self.aggregation.year);
            // Every criterion of this group, so groups can be merged, then the cheapest.
            let mut s = select_criteria(&mut ev, &inputs, u32::MAX, costs)?;
            if let Some(prev) = out.take() {
                s.chosen.extend(prev.chosen);
                s.not_candidates.extend(prev.not_candidates);
            }
            out = Some(s);
        }
        let mut s = out.ok_or_else(|| PlanError::UnknownUnit {
            unit: scope.unwrap_or_default().as_str().into(),
            why: "no criteria sets for the level",
        })?;
        s.chosen
            .sort_by(|a, b| a.cost.cmp(&b.cost).then_with(|| a.unit.cmp(&b.unit)));
        s.chosen.truncate(count as usize);
        s.total = s
            .chosen
            .iter()
            .fold(crate::tree::Cost::default(), |acc, c| acc.plus(c.cost));
        s.wanted = count;
        s.short_by = count.saturating_sub(s.chosen.len() as u32);
        Ok(s)
    }

    /// The plan's targets of the form "N more units at tier T".
    pub fn new_units_targets(&self) -> Vec<NewUnitsTarget> {
        let Some(plan) = &self.plan else {
            return Vec::new();
        };
        plan.targets
            .iter()
            .filter_map(|t| match &t.measure {
                Measure::TierCount {
                    level,
                    tiers,
                    period: Period::New,
                } if tiers.len() == 1 => Some(NewUnitsTarget {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    level: *level,
                    tier: tiers.first()?.clone(),
                    count: t.value.ceil().to_u32()?,
                }),
                _ => None,
            })
            .collect()
    }
}

/// Two selections of the same target over different kinds of unit, as one.
fn merge(a: Selection, b: Selection, count: u32) -> Selection {
    let mut all: Vec<_> = a.chosen.into_iter().chain(b.chosen).collect();
    all.extend(a.others);
    all.extend(b.others);
    all.sort_by(|x, y| x.cost.cmp(&y.cost).then_with(|| x.unit.cmp(&y.unit)));
    let take = (count as usize).min(all.len());
    let others = all.split_off(take);
    let total = all
        .iter()
        .fold(crate::tree::Cost::default(), |acc, c| acc.plus(c.cost));
    let mut not_candidates = a.not_candidates;
    not_candidates.extend(b.not_candidates);
    Selection {
        short_by: count.saturating_sub(all.len() as u32),
        chosen: all,
        total,
        others,
        not_candidates,
        ..a
    }
}
