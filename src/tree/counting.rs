//! The flat counters of the compact pass kept as the pass goes: the units with
//! children are counted level by level, before their own level is evaluated (their
//! children, at lower levels, are final by then), so that the derived indicators of
//! districts and provinces (shares and counts of descendants at a tier) are read from
//! the counters instead of walking the descendants.

use crate::model::{ChildMeasure, Level};
use crate::tree::flat::{Fast, FlatSummaries};
use crate::tree::hierarchy::Hierarchy;
use crate::tree::view::{Results, View};
use rust_decimal::Decimal;

/// A group's level, and its tiers and criteria as integer ids (see
/// [`Names`](crate::tree::flat::Names)).
pub(super) type GroupIds = (Level, Vec<u16>, Vec<u16>);

/// The flat counters in progress.
pub(super) struct Counting<'i> {
    pub(super) flat: FlatSummaries,
    /// The batch groups' ids.
    pub(super) ids: &'i [GroupIds],
    /// The units with children, by level, each level bottom-up.
    pub(super) parents: Vec<(Level, usize)>,
    /// The first of `parents` not counted yet.
    pub(super) next: usize,
}

/// The units with children, by level, then code (a level's units are counted from
/// their children's results and counts only, so any order within a level gives the same
/// counts; code order reads the tree and the results in order).
pub(super) fn parents_by_level(tree: &Hierarchy) -> Vec<(Level, usize)> {
    let mut parents: Vec<(Level, usize)> = (0..tree.len())
        .filter(|&pos| !tree.children_of(pos).is_empty())
        .filter_map(|pos| Some((tree.level_of(pos)?, pos)))
        .collect();
    parents.sort_by_key(|&(level, _)| level);
    parents
}

/// Counts the units with children up to `level` (all of them for `None`), whose
/// children's results are final; `fast` gives the units of the batch path (see
/// [`FlatSummaries::count`]). Gives the counters up when a capacity is exceeded (the
/// caller then summarises as `aggregate` does).
pub(super) fn count_parents<'r>(
    counting: &mut Option<Counting<'_>>,
    tree: &Hierarchy,
    results: &'r (impl Results + ?Sized),
    fast: impl Fn(usize) -> Option<Fast<'r>> + Copy,
    level: Option<Level>,
) {
    let Some(c) = counting.as_mut() else {
        return;
    };
    while let Some(&(l, pos)) = c.parents.get(c.next) {
        if level.is_some_and(|level| l > level) {
            return;
        }
        c.next += 1;
        if c.flat.count(tree, pos, results, fast).is_none() {
            *counting = None;
            return;
        }
    }
}

/// The results so far, with the flat counters of the units already counted.
pub(super) struct Counted<'s, R: ?Sized> {
    pub(super) results: &'s R,
    pub(super) flat: Option<&'s FlatSummaries>,
}

impl<R: Results + ?Sized> Results for Counted<'_, R> {
    fn view(&self, pos: usize) -> Option<View<'_>> {
        self.results.view(pos)
    }

    fn derived(&self, pos: usize, level: Level, measure: &ChildMeasure) -> Option<Decimal> {
        let flat = self.flat?;
        match measure {
            ChildMeasure::ShareAtTier { tier } => flat.derived(pos, level, tier, true),
            ChildMeasure::CountAtTier { tier } => flat.derived(pos, level, tier, false),
            // Revocations read the units' histories, minima their values.
            ChildMeasure::ShareRevoked { .. }
            | ChildMeasure::CountRevoked { .. }
            | ChildMeasure::MinimumOf { .. } => None,
        }
    }
}
