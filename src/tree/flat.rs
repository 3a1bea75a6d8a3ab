//! Summaries as flat counters, for the compact pass: per unit with children, fixed-size
//! counters by level and tier (tiers and criteria as integer ids), filled bottom-up in
//! the same order as [`summarise`](crate::tree::summarise) adds the same figures, with
//! no heap allocation per unit; a [`Summary`] is built from them only when asked for,
//! equal to the one `summarise` gives.
//!
//! The counters have fixed capacities (tiers per level, criteria per set, bands); a
//! tree that needs more (never seen in the catalog) makes [`FlatSummaries::new`] give
//! `None`, and the caller summarises as `aggregate` does.

use crate::engine::{CompactDecision, VerdictKind};
use crate::model::{Level, TierId};
use crate::tree::hierarchy::Hierarchy;
use crate::tree::ids::Names;
use crate::tree::ids::Small;
use crate::tree::input::RollUp;
use crate::tree::rollup::RollUps;
use crate::tree::summary::{
    bands_for, Average, CriteriaStats, CriterionCount, LevelCounts, Share, Summary, TierCounts,
};
use crate::tree::view::{Results, State};
use rust_decimal::Decimal;

/// Distinct tiers in one level's counts.
const TIERS: usize = 8;
/// Distinct criteria in one unit's criteria statistics (a batch program has at most 64).
const CRITERIA: usize = 64;
/// Bands of a set of at most [`CRITERIA`] criteria (`bands_for(64)` has 14).
const BANDS: usize = 16;
/// Levels ([`Level::Village`] to [`Level::Country`]).
const LEVELS: usize = 5;
/// No index.
const NONE: u32 = u32::MAX;

/// A unit of the batch path as the counts read it: its decision, its scheme's tiers and
/// the lowest set's criteria as integer ids, and its met mask over those criteria.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fast<'a> {
    pub(super) level: Level,
    pub(super) decision: CompactDecision,
    pub(super) tiers: &'a [u16],
    pub(super) criteria: &'a [u16],
    pub(super) met: u64,
}

/// What one child brings to its parent's counts, with integer ids.
struct Own {
    level: Level,
    state: State,
    tiers: Small<TIERS>,
    undecided: bool,
    rank_after: Option<usize>,
    newly: Small<TIERS>,
    revoked: Option<u16>,
    /// Criteria met, the set's criteria count, and the criteria met as ids.
    criteria: Option<(u32, u32, Small<CRITERIA>)>,
}

/// The counts of one level below a unit ([`LevelCounts`]), flat.
#[derive(Debug, Clone, Copy)]
struct FlatLevel {
    units: u32,
    assessed: u32,
    decided: u32,
    undecided: u32,
    excluded: u32,
    /// Tiers in order of first appearance, and their cumulative, new and revoked counts,
    /// and the units decided or undecided whose scheme has the tier (for the derived
    /// indicators' denominators; not part of a [`LevelCounts`]).
    tiers: Small<TIERS>,
    counts: [[u32; 4]; TIERS],
}

impl FlatLevel {
    fn empty() -> Self {
        FlatLevel {
            units: 0,
            assessed: 0,
            decided: 0,
            undecided: 0,
            excluded: 0,
            tiers: Small::new(),
            counts: [[0; 4]; TIERS],
        }
    }

    /// The index of a tier's counts, appended if new (as [`LevelCounts::tier_mut`]).
    fn tier_index(&mut self, t: u16) -> Option<usize> {
        match self.tiers.as_slice().iter().position(|&x| x == t) {
            Some(i) => Some(i),
            None => {
                self.tiers.push(t)?;
                Some(self.tiers.len - 1)
            }
        }
    }

    /// The counts of a tier, appended if new (as [`LevelCounts::tier_mut`]).
    fn tier_mut(&mut self, t: u16) -> Option<&mut [u32; 4]> {
        let at = self.tier_index(t)?;
        self.counts.get_mut(at)
    }

    /// As [`LevelCounts::add`].
    fn add(&mut self, other: &FlatLevel) -> Option<()> {
        self.units += other.units;
        self.assessed += other.assessed;
        self.decided += other.decided;
        self.undecided += other.undecided;
        self.excluded += other.excluded;
        for (&t, c) in other.tiers.as_slice().iter().zip(&other.counts) {
            let mine = self.tier_mut(t)?;
            for (m, o) in mine.iter_mut().zip(c) {
                *m += o;
            }
        }
        Some(())
    }

    fn counts(&self, level: Level, names: &Names) -> LevelCounts {
        let counts = self.counts.get(..self.tiers.len).unwrap_or_default();
        let lowest = counts.first().map_or(0, |c| c[0]);
        let tiers = self
            .tiers
            .as_slice()
            .iter()
            .zip(counts)
            .filter_map(|(&t, &[cumulative, new, revoked, _])| {
                Some(TierCounts {
                    tier: names.tiers.get(usize::from(t))?.clone(),
                    cumulative,
                    new,
                    revoked,
                    share_of_all: Share::new(cumulative, self.assessed),
                    share_of_lowest: Share::new(cumulative, lowest),
                })
            })
            .collect();
        LevelCounts {
            level,
            units: self.units,
            assessed: self.assessed,
            decided: self.decided,
            undecided: self.undecided,
            excluded: self.excluded,
            tiers,
        }
    }
}

/// The criteria statistics of one unit ([`CriteriaStats`]), flat.
#[derive(Debug, Clone, Copy)]
struct FlatCriteria {
    level: Level,
    total: u32,
    sum: u64,
    count: u32,
    /// `bands_for(total).len()` once a unit with criteria was added, else 0.
    bands_len: usize,
    bands: [u32; BANDS],
    below_floor: u32,
    below: u32,
    /// Criteria in order of first appearance, and the units meeting each.
    ids: Small<CRITERIA>,
    units: [u32; CRITERIA],
}

/// The number of bands of `bands_for(total)`, without building them.
fn bands_len(total: u32) -> usize {
    let (mut n, mut max, mut width) = (1, total, 4);
    while max > 0 {
        max = (max - 1).saturating_sub(width - 1);
        width = 5;
        n += 1;
    }
    n
}

impl FlatCriteria {
    fn empty(level: Level) -> Self {
        FlatCriteria {
            level,
            total: 0,
            sum: 0,
            count: 0,
            bands_len: 0,
            bands: [0; BANDS],
            below_floor: 0,
            below: 0,
            ids: Small::new(),
            units: [0; CRITERIA],
        }
    }

    /// Grows the bands to a set of `total` criteria (earlier units keep their offset
    /// from the top, as in [`CriteriaStats::add_unit`]).
    fn grow(&mut self, total: u32) -> Option<()> {
        self.total = total;
        self.bands_len = bands_len(total);
        (self.bands_len <= BANDS).then_some(())
    }

    /// As [`CriteriaStats::add_unit`].
    fn add_unit(&mut self, n: u32, total: u32, met: &[u16]) -> Option<()> {
        self.sum += u64::from(n);
        self.count += 1;
        if total > self.total {
            self.grow(total)?;
            self.below_floor = total.saturating_sub(4);
        }
        let from_top = total.saturating_sub(n);
        let band = if from_top == 0 {
            0
        } else {
            (from_top / 5 + 1) as usize
        };
        let last = self.bands_len.saturating_sub(1);
        if self.bands_len > 0 {
            *self.bands.get_mut(band.min(last))? += 1;
        }
        if n < total.saturating_sub(4) {
            self.below += 1;
        }
        let mut hint = 0;
        for &c in met {
            self.count_criterion(c, 1, &mut hint)?;
        }
        Some(())
    }

    /// As [`FlatCriteria::add_unit`] with the criteria met as a mask over `criteria`
    /// (bit `b` for `criteria[b]`; the count is of every bit set).
    /// `known`: `criteria` were found at the head of the counts' criteria before (they
    /// stay there: criteria are only appended). Gives whether they are there now.
    fn add_mask(&mut self, met: u64, total: u32, criteria: &[u16], known: bool) -> Option<bool> {
        let n = met.count_ones();
        if known || self.ids.as_slice().starts_with(criteria) {
            self.add_unit(n, total, &[])?;
            let mut bits = met;
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                if b >= criteria.len() {
                    break;
                }
                *self.units.get_mut(b)? += 1;
                bits &= bits - 1;
            }
            return Some(true);
        }
        let mut ids = Small::<CRITERIA>::new();
        for (bit, &c) in criteria.iter().enumerate() {
            if met >> bit & 1 == 1 {
                ids.push(c)?;
            }
        }
        self.add_unit(n, total, ids.as_slice())?;
        Some(false)
    }

    /// As [`CriteriaStats::add`].
    fn add(&mut self, other: &FlatCriteria) -> Option<()> {
        if other.total > self.total {
            self.grow(other.total)?;
            self.below_floor = other.below_floor;
        }
        self.sum += other.sum;
        self.count += other.count;
        let shared = other.bands_len.min(self.bands_len);
        for (mine, theirs) in self.bands.iter_mut().zip(&other.bands).take(shared) {
            *mine += theirs;
        }
        self.below += other.below;
        let mut hint = 0;
        for (&c, &units) in other.ids.as_slice().iter().zip(&other.units) {
            self.count_criterion(c, units, &mut hint)?;
        }
        Some(())
    }

    /// As `CriteriaStats::count_criterion` (the order of first appearance is kept).
    fn count_criterion(&mut self, c: u16, n: u32, hint: &mut usize) -> Option<()> {
        let ids = self.ids.as_slice();
        let from = (*hint).min(ids.len());
        let found = (from..ids.len())
            .chain(0..from)
            .find(|&i| ids.get(i) == Some(&c));
        let at = match found {
            Some(i) => i,
            None => {
                self.ids.push(c)?;
                self.ids.len - 1
            }
        };
        *self.units.get_mut(at)? += n;
        *hint = at + 1;
        Some(())
    }

    fn stats(&self, names: &Names) -> CriteriaStats {
        let mut bands = if self.bands_len == 0 {
            Vec::new()
        } else {
            bands_for(self.total)
        };
        for (b, &units) in bands.iter_mut().zip(&self.bands) {
            b.units = units;
        }
        let by_criterion = self
            .ids
            .as_slice()
            .iter()
            .zip(&self.units)
            .filter_map(|(&c, &units)| {
                Some(CriterionCount {
                    criterion: names.criteria.get(usize::from(c))?.clone(),
                    units,
                })
            })
            .collect();
        CriteriaStats {
            level: self.level,
            criteria_total: self.total,
            average: Average::new(self.sum, self.count),
            bands,
            below_floor: self.below_floor,
            below: self.below,
            by_criterion,
        }
    }
}

/// The tier and criteria lists of batch groups (by address) found at the head of one
/// parent's counts: they stay there (ids are only appended), so they are compared once.
#[derive(Default)]
struct Heads {
    tiers: Vec<(Level, *const u16, usize)>,
    criteria: Option<(*const u16, usize)>,
}

/// The summaries of a pass as flat counters, by position; see the module docs.
#[derive(Debug)]
pub(super) struct FlatSummaries {
    /// Position → slot of a unit with children.
    slot: Vec<u32>,
    /// Per slot, per level: index into `levels`.
    by_level: Vec<[u32; LEVELS]>,
    levels: Vec<FlatLevel>,
    /// Per slot: index into `criteria`.
    by_criteria: Vec<u32>,
    criteria: Vec<FlatCriteria>,
    names: Names,
}

fn level_index(level: Level) -> usize {
    match level {
        Level::Village => 0,
        Level::Commune => 1,
        Level::District => 2,
        Level::Province => 3,
        Level::Country => 4,
    }
}

const ALL_LEVELS: [Level; LEVELS] = [
    Level::Village,
    Level::Commune,
    Level::District,
    Level::Province,
    Level::Country,
];

impl FlatSummaries {
    /// No counts yet: the units with children (`parents` of them) are counted one by
    /// one ([`FlatSummaries::count`]), bottom-up.
    pub(super) fn new(tree: &Hierarchy, names: Names, parents: usize) -> FlatSummaries {
        FlatSummaries {
            slot: vec![NONE; tree.len()],
            by_level: Vec::with_capacity(parents),
            // At least one level below each unit with children.
            levels: Vec::with_capacity(parents),
            by_criteria: Vec::with_capacity(parents),
            criteria: Vec::new(),
            names,
        }
    }

    /// Counts the unit at `pos` (one with children) from its children's results and
    /// counts, which must be final (every child decided, every child with children
    /// counted before); `fast` gives the units of the batch path with their integer ids
    /// (from the names given to [`FlatSummaries::new`]). `None` when a capacity is
    /// exceeded (the caller then summarises as `aggregate` does).
    pub(super) fn count<'r>(
        &mut self,
        tree: &Hierarchy,
        pos: usize,
        results: &'r (impl Results + ?Sized),
        fast: impl Fn(usize) -> Option<Fast<'r>>,
    ) -> Option<()> {
        let children = tree.children_of(pos);
        if children.is_empty() || tree.level_of(pos).is_none() {
            return Some(());
        }
        let s = self.by_level.len();
        *self.slot.get_mut(pos)? = u32::try_from(s).ok()?;
        self.by_level.push([NONE; LEVELS]);
        self.by_criteria.push(NONE);
        let mut heads = Heads::default();
        for &child in children {
            if let Some(&cs) = self.slot.get(child).filter(|&&c| c != NONE) {
                self.merge(s, cs as usize)?;
            }
            match fast(child) {
                Some(fast) => self.count_fast(s, &fast, &mut heads)?,
                None => {
                    if let Some(view) = results.view(child) {
                        let own = own_view(&view, &mut self.names)?;
                        self.count_own(s, &own)?;
                    }
                }
            }
        }
        Some(())
    }

    /// A derived share or count of the units at `level` below the unit at `pos` holding
    /// `tier` (see [`derive`](crate::tree::derive::derive)), from the counts, when it
    /// has a value: every such unit assessed is decided, and some have the tier in
    /// their scheme (for a share). `None` otherwise, and when the unit was not counted:
    /// the caller then derives it from the results, which gives the same value or says
    /// why there is none.
    pub(super) fn derived(
        &self,
        pos: usize,
        level: Level,
        tier: &TierId,
        share: bool,
    ) -> Option<Decimal> {
        let s = *self.slot.get(pos).filter(|&&s| s != NONE)? as usize;
        let at = *self.by_level.get(s)?.get(level_index(level))?;
        let empty = FlatLevel::empty();
        let counts = if at == NONE {
            &empty
        } else {
            self.levels.get(at as usize)?
        };
        if counts.decided != counts.assessed {
            return None;
        }
        let id = self.names.tiers.iter().position(|t| t == tier);
        let found = id.and_then(|id| {
            let i = counts
                .tiers
                .as_slice()
                .iter()
                .position(|&t| usize::from(t) == id)?;
            counts.counts.get(i)
        });
        let (holding, with_tier) = found.map_or((0, 0), |c| (c[0], c[3]));
        if with_tier == 0 && counts.assessed > 0 {
            return None;
        }
        if share {
            Share::new(holding, with_tier).percent
        } else {
            Some(Decimal::from(holding))
        }
    }

    /// As `summarise`'s `count_own` for a unit of the batch path, with the tiers of its
    /// scheme found once.
    fn count_fast(&mut self, s: usize, f: &Fast<'_>, heads: &mut Heads) -> Option<()> {
        let d = f.decision;
        let n = f.tiers.len();
        let counts = self.level_mut(s, f.level)?;
        counts.units += 1;
        counts.assessed += 1;
        // Where each of the scheme's tiers is counted (every tier appears, in order).
        if n > TIERS {
            return None;
        }
        let mut at = [0usize; TIERS];
        let key = (f.level, f.tiers.as_ptr(), n);
        let known = heads.tiers.contains(&key);
        if known || counts.tiers.as_slice().starts_with(f.tiers) {
            if !known {
                heads.tiers.push(key);
            }
            for (i, a) in at.iter_mut().enumerate().take(n) {
                *a = i;
            }
        } else {
            for (&t, a) in f.tiers.iter().zip(at.iter_mut()) {
                *a = counts.tier_index(t)?;
            }
        }
        let at = at.get(..n)?;
        for &i in at {
            counts.counts.get_mut(i)?[3] += 1;
        }
        if d.verdict == VerdictKind::CannotDecide {
            counts.undecided += 1;
        } else {
            counts.decided += 1;
            if let Some(k) = d.after {
                for &i in at.iter().take(usize::from(k) + 1) {
                    counts.counts.get_mut(i)?[0] += 1;
                }
            }
            if let Some(newly) = at.get(d.newly()) {
                for &i in newly {
                    counts.counts.get_mut(i)?[1] += 1;
                }
            }
            if let Some(&i) = d.revoked().and_then(|r| at.get(usize::from(r))) {
                counts.counts.get_mut(i)?[2] += 1;
            }
        }
        if f.level == Level::Commune {
            let total = u32::try_from(f.criteria.len()).ok()?;
            let c = self.criteria_mut(s, f.level)?;
            let key = (f.criteria.as_ptr(), f.criteria.len());
            let known = heads.criteria == Some(key);
            if c.add_mask(f.met, total, f.criteria, known)? {
                heads.criteria = Some(key);
            }
        }
        Some(())
    }

    fn level_mut(&mut self, s: usize, level: Level) -> Option<&mut FlatLevel> {
        let at = self.by_level.get_mut(s)?.get_mut(level_index(level))?;
        if *at == NONE {
            *at = u32::try_from(self.levels.len()).ok()?;
            self.levels.push(FlatLevel::empty());
        }
        self.levels.get_mut(*at as usize)
    }

    fn criteria_mut(&mut self, s: usize, level: Level) -> Option<&mut FlatCriteria> {
        let at = self.by_criteria.get_mut(s)?;
        if *at == NONE {
            *at = u32::try_from(self.criteria.len()).ok()?;
            self.criteria.push(FlatCriteria::empty(level));
        }
        self.criteria.get_mut(*at as usize)
    }

    /// Adds a child's counts (slot `cs`) to its parent's (slot `s`), level by level.
    fn merge(&mut self, s: usize, cs: usize) -> Option<()> {
        let child = *self.by_level.get(cs)?;
        for (level, &at) in ALL_LEVELS.iter().zip(&child) {
            if at != NONE {
                let theirs = *self.levels.get(at as usize)?;
                self.level_mut(s, *level)?.add(&theirs)?;
            }
        }
        let at = *self.by_criteria.get(cs)?;
        if at != NONE {
            let theirs = *self.criteria.get(at as usize)?;
            self.criteria_mut(s, theirs.level)?.add(&theirs)?;
        }
        Some(())
    }

    /// As `summarise`'s `count_own`.
    fn count_own(&mut self, s: usize, own: &Own) -> Option<()> {
        let counts = self.level_mut(s, own.level)?;
        counts.units += 1;
        match own.state {
            State::NotAssessed => return Some(()),
            State::Excluded(_) => {
                counts.assessed += 1;
                counts.excluded += 1;
                return Some(());
            }
            State::Decided => {
                counts.assessed += 1;
                for &t in own.tiers.as_slice() {
                    counts.tier_mut(t)?[3] += 1;
                }
                if own.undecided {
                    counts.undecided += 1;
                } else {
                    counts.decided += 1;
                    for (i, &t) in own.tiers.as_slice().iter().enumerate() {
                        if own.rank_after.is_some_and(|k| k >= i) {
                            counts.tier_mut(t)?[0] += 1;
                        }
                    }
                    for &t in own.newly.as_slice() {
                        counts.tier_mut(t)?[1] += 1;
                    }
                    if let Some(t) = own.revoked {
                        counts.tier_mut(t)?[2] += 1;
                    }
                }
            }
        }
        if let Some((n, total, met)) = &own.criteria {
            if own.level == Level::Commune {
                self.criteria_mut(s, own.level)?
                    .add_unit(*n, *total, met.as_slice())?;
            }
        }
        Some(())
    }

    /// The summary of the unit at `pos` (one with children), as `summarise` gives it,
    /// with its roll-ups.
    pub(super) fn summary(
        &self,
        tree: &Hierarchy,
        pos: usize,
        rolled: &RollUps,
        rollups: &[RollUp],
    ) -> Option<Summary> {
        let unit = tree.at(pos)?;
        let s = *self.slot.get(pos).filter(|&&s| s != NONE)? as usize;
        let levels = ALL_LEVELS
            .iter()
            .zip(self.by_level.get(s)?)
            .filter(|(_, &at)| at != NONE)
            .filter_map(|(&level, &at)| {
                Some(self.levels.get(at as usize)?.counts(level, &self.names))
            })
            .collect();
        let criteria = self
            .by_criteria
            .get(s)
            .filter(|&&at| at != NONE)
            .and_then(|&at| self.criteria.get(at as usize))
            .map(|c| c.stats(&self.names));
        Some(Summary {
            unit: unit.code.clone(),
            level: unit.level,
            levels,
            criteria,
            rollups: rolled.values(pos, rollups),
        })
    }
}

/// What a unit of the full path brings to its parent's counts.
fn own_view(v: &crate::tree::view::View<'_>, names: &mut Names) -> Option<Own> {
    let mut tiers = Small::new();
    for t in v.tiers() {
        tiers.push(names.tier(t)?)?;
    }
    let mut newly = Small::new();
    for t in v.newly() {
        newly.push(names.tier(t)?)?;
    }
    let revoked = match v.revoked() {
        Some(t) => Some(names.tier(t)?),
        None => None,
    };
    let criteria = match v.criteria_met() {
        Some((n, total, ids)) if v.level() == Level::Commune => {
            let mut met = Small::new();
            for c in ids {
                met.push(names.criterion(c)?)?;
            }
            Some((n, total, met))
        }
        _ => None,
    };
    Some(Own {
        level: v.level(),
        state: v.state(),
        tiers,
        undecided: v.is_undecided(),
        rank_after: v.rank_after(),
        newly,
        revoked,
        criteria,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_band_count_is_the_number_of_bands_for_every_set_size() {
        for total in 0..=64 {
            assert_eq!(bands_len(total), bands_for(total).len(), "{total}");
            assert!(bands_len(total) <= BANDS);
        }
    }

    #[test]
    fn flat_tier_counts_refuse_more_tiers_than_they_hold_instead_of_dropping_one() {
        let mut level = FlatLevel::empty();
        for t in 0..TIERS {
            assert!(level.tier_mut(t as u16).is_some());
        }
        // Seen again: found, not added.
        assert!(level.tier_mut(0).is_some());
        // One more: refused (the caller then summarises as `aggregate` does).
        assert!(level.tier_mut(TIERS as u16).is_none());
    }
}
