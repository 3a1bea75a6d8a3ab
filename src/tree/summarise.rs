//! The summaries, bottom-up: each unit's from its children's summaries and results.

use crate::model::Level;
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::RollUp;
use crate::tree::rollup::{Contribution, RollUps};
use crate::tree::summary::{CriteriaStats, Summary};
use crate::tree::view::{Results, State, View};

/// The summaries, by position: bottom-up, each from its children's summaries (partial
/// sums) and results.
pub(super) fn summarise(
    tree: &Hierarchy,
    results: &(impl Results + ?Sized),
    pending: Vec<(usize, usize, Contribution)>,
    rollups: &[RollUp],
) -> Vec<Option<Summary>> {
    let mut summaries: Vec<Option<Summary>> = Vec::new();
    summaries.resize_with(tree.len(), || None);
    let mut rolled = RollUps::new(tree, rollups, &pending);
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
            if let Some(r) = results.view(child) {
                count_own(&mut s, &r);
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
fn count_own(s: &mut Summary, r: &View<'_>) {
    let level = r.level();
    let counts = s.level_mut(level);
    counts.units += 1;
    match r.state() {
        State::NotAssessed => return,
        State::Excluded(_) => {
            counts.assessed += 1;
            counts.excluded += 1;
            return;
        }
        State::Decided => {
            counts.assessed += 1;
            let tiers = r.tiers();
            // Make every tier of the scheme appear, in order, even at zero.
            for t in tiers {
                counts.tier_mut(t);
            }
            if r.is_undecided() {
                counts.undecided += 1;
            } else {
                counts.decided += 1;
                let rank = r.rank_after();
                for (i, t) in tiers.iter().enumerate() {
                    if rank.is_some_and(|k| k >= i) {
                        counts.tier_mut(t).cumulative += 1;
                    }
                }
                for t in r.newly() {
                    counts.tier_mut(t).new += 1;
                }
                if let Some(tier) = r.revoked() {
                    counts.tier_mut(tier).revoked += 1;
                }
            }
        }
    }
    if let Some((n, total, met)) = r.criteria_met() {
        if level == Level::Commune {
            s.criteria
                .get_or_insert_with(|| CriteriaStats::empty(level))
                .add_unit(n, total, met);
        }
    }
}
