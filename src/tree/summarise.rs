//! The summaries, bottom-up: each unit's from its children's summaries and results.

use crate::engine::Verdict;
use crate::model::Level;
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::RollUp;
use crate::tree::positions::result_at;
use crate::tree::result::{UnitResult, UnitStatus};
use crate::tree::rollup::{Contribution, RollUps};
use crate::tree::summary::{CriteriaStats, Summary};

/// The summaries, by position: bottom-up, each from its children's summaries (partial
/// sums) and results.
pub(super) fn summarise(
    tree: &Hierarchy,
    results: &[Option<UnitResult>],
    pending: Vec<(usize, usize, Contribution)>,
    rollups: &[RollUp],
) -> Vec<Option<Summary>> {
    let mut summaries: Vec<Option<Summary>> = Vec::new();
    summaries.resize_with(tree.len(), || None);
    let mut rolled = RollUps::new(tree, rollups, pending);
    for &pos in tree.bottom_up_positions() {
        let children = tree.children_of(pos);
        let Some(unit) = tree.at(pos).filter(|_| !children.is_empty()) else {
            continue;
        };
        let mut s = Summary {
            unit: unit.code.clone(),
            level: unit.level,
            levels: Vec::new(),
            criteria: None,
            rollups: Vec::new(),
        };
        for &child in children {
            if let Some(cs) = summaries.get(child).and_then(Option::as_ref) {
                for l in &cs.levels {
                    s.level_mut(l.level).add(l);
                }
                if let Some(c) = &cs.criteria {
                    s.criteria
                        .get_or_insert_with(|| CriteriaStats::empty(c.level))
                        .add(c);
                }
            }
            if let Some(r) = result_at(results, child) {
                count_own(&mut s, r);
            }
        }
        for l in &mut s.levels {
            l.finish();
        }
        if let Some(c) = &mut s.criteria {
            c.finish();
        }
        s.levels.sort_by_key(|l| l.level);
        s.rollups = rolled.take(pos, rollups);
        if let Some(slot) = summaries.get_mut(pos) {
            *slot = Some(s);
        }
    }
    summaries
}

/// Adds a child's own result to its parent's summary.
fn count_own(s: &mut Summary, r: &UnitResult) {
    let counts = s.level_mut(r.level);
    counts.units += 1;
    match &r.status {
        UnitStatus::NotAssessed { .. } => return,
        UnitStatus::Excluded { .. } => {
            counts.assessed += 1;
            counts.excluded += 1;
            return;
        }
        UnitStatus::Decided { decision } => {
            counts.assessed += 1;
            // Make every tier of the scheme appear, in order, even at zero.
            for t in &r.tiers {
                counts.tier_mut(t);
            }
            if decision.tier_after().is_none() {
                counts.undecided += 1;
            } else {
                counts.decided += 1;
                let rank = r.rank_after();
                for (i, t) in r.tiers.iter().enumerate() {
                    if rank.is_some_and(|k| k >= i) {
                        counts.tier_mut(t).cumulative += 1;
                    }
                }
                match &decision.verdict {
                    Verdict::Recognise { newly, .. } => {
                        for t in newly {
                            counts.tier_mut(t).new += 1;
                        }
                    }
                    Verdict::Revoke { tier, .. } => counts.tier_mut(tier).revoked += 1,
                    _ => {}
                }
            }
        }
    }
    if let (Some(met), Some(total)) = (&r.criteria_met, r.criteria_total) {
        if r.level == Level::Commune {
            s.criteria
                .get_or_insert_with(|| CriteriaStats::empty(r.level))
                .add_unit(met, total);
        }
    }
}
