//! The pass with compact results: [`aggregate_compact`] (or [`CompactInputs::new`], then
//! [`CompactInputs::aggregate`]) gives the same decisions, summaries and problem lists as
//! [`aggregate`](crate::tree::aggregate), with each unit's result as a
//! [`CompactResult`] by tree position instead of a [`UnitResult`].
//!
//! Loading ([`CompactInputs::new`]) puts the data of the *plain* units in the column
//! input form ([`Columns`]), grouped by the programs their profile compiles to: a unit is
//! plain when its level's sets cover it, it has exactly one input, no merger lineage, its
//! sets have no derived indicators, it is below the district level, its history nests,
//! and its data fits every set. The pass then evaluates each group as a batch of masks
//! ([`Program::masks_batch`](crate::engine::Program::masks_batch)) and decides from them
//! ([`TierPrograms::decide`]). Every other unit (excluded units, derived indicators,
//! mergers, districts and provinces) goes through the same per-unit code as `aggregate`,
//! in the same order, so both passes agree by construction where they do not share the
//! kernel, and the property tests compare them where they do.
//!
//! The full explanation of a unit ([`UnitResult`], with its [`Decision`]) is built on
//! demand by [`CompactAggregation::unit_result`], identical to what `aggregate` gives.
//!
//! [`Decision`]: crate::engine::Decision

use crate::engine::{
    CompactDecision, CriteriaMasks, ProfileField, TierPrograms, UnusedValue, VerdictKind,
};
use crate::model::{CriterionId, Level, TierId};
use crate::tree::counting::{count_parents, parents_by_level, Counted, Counting, GroupIds};
use crate::tree::flat::{Fast, FlatSummaries};
use crate::tree::hierarchy::Hierarchy;
use crate::tree::ids::Names;
use crate::tree::input::{AggregateOptions, LevelSets, UnitInput};
use crate::tree::pass::Pass;
use crate::tree::result::{Aggregation, Excluded, UnitResult, UnitStatus};
use crate::tree::rollup::{Contribution, RollUps};
use crate::tree::summarise::summarise;
use crate::tree::summary::Summary;
use crate::tree::view::{Results, State, View};
use std::collections::BTreeMap;

#[path = "compact_load.rs"]
mod load;

/// One unit's result in compact form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompactResult {
    /// Out of scope, excluded or decided.
    pub status: CompactStatus,
    /// The decision in tier ranks, when decided (see [`CompactAggregation::tiers`]).
    pub decision: Option<CompactDecision>,
    /// Criteria met of the lowest set of the unit's scheme, and its number of criteria.
    pub criteria_met: Option<(u32, u32)>,
}

/// What became of a unit, in a [`CompactResult`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompactStatus {
    /// Out of the scope of the sets (see [`UnitStatus::NotAssessed`]).
    NotAssessed,
    /// Left out of the counts (see [`UnitStatus::Excluded`]).
    Excluded,
    /// Decided, or found undecidable (see [`UnitStatus::Decided`]).
    Decided,
}

/// A plain unit's result from the batch path.
#[derive(Debug, Clone, Copy)]
struct Batched {
    decision: CompactDecision,
    /// Index into [`CompactAggregation::groups`].
    group: usize,
    met: u64,
}

#[derive(Debug, Clone)]
enum Slot {
    Empty,
    Full(Box<UnitResult>),
    Batched(Batched),
}

/// The tiers and the lowest set's criteria of one batch's scheme.
#[derive(Debug, Clone)]
struct Group {
    level: Level,
    tiers: Vec<TierId>,
    criteria: Vec<CriterionId>,
}

/// The units of one level that share their programs, keyed in columns.
#[derive(Debug)]
struct Batch {
    level: Level,
    programs: TierPrograms,
    positions: Vec<usize>,
    held: Vec<Option<usize>>,
    columns: Vec<crate::engine::BoundBatch>,
    group: usize,
}

/// The inputs of a compact pass, loaded: the plain units' data in columns, the rest as
/// given. See the module docs.
pub struct CompactInputs<'a> {
    pass: Pass<'a>,
    batches: Vec<Batch>,
    groups: Vec<Group>,
    /// Positions of the units that take the per-unit path, by level then code.
    full: Vec<usize>,
    /// What loading noted of plain units (unused values, an incomplete profile), kept
    /// for those that stay on the batch path.
    noted: Vec<Noted>,
    /// Each unit's contributions to the roll-ups, read at load, by level then position
    /// (the order of the pass), before its state is known.
    contributions: Vec<(usize, usize, Contribution)>,
}

/// A batch: the group of sets, and the programs' tables.
type BatchKey = (usize, Vec<usize>);

/// Unused values and an incomplete profile of a plain unit, by position.
type Noted = (usize, Vec<UnusedValue>, Vec<ProfileField>);

impl std::fmt::Debug for CompactInputs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompactInputs")
            .field("batches", &self.batches.len())
            .field("full", &self.full.len())
            .finish_non_exhaustive()
    }
}

impl<'a> CompactInputs<'a> {
    /// Runs the pass: evaluate, decide, derive, summarise, roll up.
    pub fn aggregate(self) -> CompactAggregation<'a> {
        let CompactInputs {
            mut pass,
            mut batches,
            groups,
            full,
            noted,
            contributions,
        } = self;
        let tree = pass.tree;
        let mut store = Store {
            tree,
            slots: vec![Slot::Empty; tree.len()],
            groups,
        };
        // The flat counters, kept as the pass goes: a unit's are counted before its
        // level is evaluated (its children, at lower levels, are final), so that its
        // derived indicators are read from them.
        let mut names = Names::default();
        let ids = group_ids(&store.groups, &mut names);
        let mut counting = ids.as_ref().map(|ids| {
            let parents = parents_by_level(tree);
            Counting {
                flat: FlatSummaries::new(tree, names, parents.len()),
                ids,
                parents,
                next: 0,
            }
        });
        let mut masks: Vec<CriteriaMasks> = Vec::new();
        let mut next_full = full.iter().peekable();
        let levels = [
            Level::Village,
            Level::Commune,
            Level::District,
            Level::Province,
            Level::Country,
        ];
        for level in levels {
            count_up_to(&mut counting, &store, Some(level));
            // A level's batches are dropped once run: their units are decided, and an
            // explanation on demand keys its unit anew.
            let (now, later): (Vec<Batch>, Vec<Batch>) =
                batches.into_iter().partition(|b| b.level == level);
            batches = later;
            for batch in now {
                run_batch(&mut pass, &batch, &mut masks, &mut store);
            }
            while let Some(&&pos) = next_full.peek() {
                let Some(unit) = tree.at(pos).filter(|u| u.level <= level) else {
                    break;
                };
                next_full.next();
                let counted = Counted {
                    results: &store,
                    flat: counting.as_ref().map(|c| &c.flat),
                };
                let result = pass.unit(pos, unit, &counted);
                if let Some(slot) = store.slots.get_mut(pos) {
                    *slot = Slot::Full(Box::new(result));
                }
            }
        }
        count_up_to(&mut counting, &store, None);
        drop((batches, masks));
        for (pos, unused, lacks) in noted {
            if let (Some(Slot::Batched(_)), Some(unit)) = (store.slots.get(pos), tree.at(pos)) {
                pass.note(unit, unused, lacks);
            }
        }
        // The roll-ups' contributions, in the pass's order, with each unit's state (the
        // per-unit path recorded its own: the same, read again).
        pass.pending.clear();
        pass.sort_collected();
        let mut pending = contributions;
        pending.retain_mut(|(pos, _, c)| match store.state(*pos) {
            None | Some(State::NotAssessed) => false,
            Some(State::Excluded(reason)) => {
                *c = Contribution::Excluded(reason);
                true
            }
            Some(State::Decided) => true,
        });
        let summaries = Summaries::new(counting.map(|c| c.flat), &store, pending, pass.rollups);
        let excluded = store
            .slots
            .iter()
            .filter_map(|s| match s {
                Slot::Full(r) => match &r.status {
                    UnitStatus::Excluded { reason } => Some(Excluded {
                        unit: r.unit.clone(),
                        level: r.level,
                        reason: reason.clone(),
                    }),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let rest = pass.take_aggregation(BTreeMap::new(), Vec::new(), excluded);
        CompactAggregation {
            pass,
            store,
            summaries,
            rest,
        }
    }
}

/// Evaluates and decides one batch into the store; a unit whose decision fails goes
/// through the per-unit path (which reports why).
fn run_batch<'a>(
    pass: &mut Pass<'a>,
    batch: &Batch,
    masks: &mut Vec<CriteriaMasks>,
    store: &mut Store<'a>,
) {
    let programs = batch.programs.programs();
    masks.resize_with(programs.len(), CriteriaMasks::new);
    for ((p, columns), m) in programs.iter().zip(&batch.columns).zip(masks.iter_mut()) {
        if p.masks_batch(columns, m).is_err() {
            // INVARIANT: the columns were keyed by these programs.
            m.clear();
        }
    }
    let lowest = batch.programs.lowest();
    for (row, (&pos, &held)) in batch.positions.iter().zip(&batch.held).enumerate() {
        let decided = batch.programs.decide(masks, &batch.columns, row, held);
        let met = lowest
            .and_then(|l| masks.get(l))
            .and_then(|m| m.met(row))
            .and_then(|w| w.first().copied());
        let (Ok(decision), Some(met)) = (decided, met) else {
            if let Some(unit) = store.tree.at(pos) {
                let result = pass.unit(pos, unit, &*store);
                if let Some(slot) = store.slots.get_mut(pos) {
                    *slot = Slot::Full(Box::new(result));
                }
            }
            continue;
        };
        if let Some(slot) = store.slots.get_mut(pos) {
            *slot = Slot::Batched(Batched {
                decision,
                group: batch.group,
                met,
            });
        }
    }
}

/// The results by position, in either form.
#[derive(Debug)]
struct Store<'a> {
    tree: &'a Hierarchy,
    slots: Vec<Slot>,
    groups: Vec<Group>,
}

impl Store<'_> {
    /// The state of the unit at `pos` (as its view gives it, without making the view).
    fn state(&self, pos: usize) -> Option<State> {
        match self.slots.get(pos)? {
            Slot::Empty => None,
            Slot::Full(r) => Some(View::Full(r).state()),
            Slot::Batched(_) => Some(State::Decided),
        }
    }
}

impl Results for Store<'_> {
    fn view(&self, pos: usize) -> Option<View<'_>> {
        match self.slots.get(pos)? {
            Slot::Empty => None,
            Slot::Full(r) => Some(View::Full(r)),
            Slot::Batched(b) => {
                let unit = self.tree.at(pos)?;
                let group = self.groups.get(b.group)?;
                Some(View::Compact {
                    code: &unit.code,
                    level: unit.level,
                    decision: Some(b.decision),
                    excluded: None,
                    tiers: &group.tiers,
                    criteria: &group.criteria,
                    met: Some(b.met),
                })
            }
        }
    }
}

/// The result of [`CompactInputs::aggregate`]: compact results by tree position, the
/// summaries and the problem lists of [`Aggregation`].
pub struct CompactAggregation<'a> {
    pass: Pass<'a>,
    store: Store<'a>,
    summaries: Summaries,
    rest: Aggregation,
}

/// The summaries of a compact pass: flat counters and the roll-ups' sums, turned into
/// [`Summary`]s when asked; or, when the counters' capacities do not fit the tree,
/// built as `aggregate` builds them.
#[derive(Debug)]
enum Summaries {
    Flat(FlatSummaries, RollUps),
    Built(Vec<Option<Summary>>),
}

impl Summaries {
    fn new(
        flat: Option<FlatSummaries>,
        store: &Store<'_>,
        pending: Vec<(usize, usize, Contribution)>,
        rollups: &[crate::tree::input::RollUp],
    ) -> Summaries {
        match flat {
            Some(flat) => Summaries::Flat(flat, RollUps::new(store.tree, rollups, &pending)),
            None => Summaries::Built(summarise(store.tree, store, pending, rollups)),
        }
    }
}

/// The groups' levels, tiers and criteria as integer ids (`None` past the ids' range).
fn group_ids(groups: &[Group], names: &mut Names) -> Option<Vec<GroupIds>> {
    groups
        .iter()
        .map(|g| {
            let tiers: Option<Vec<u16>> = g.tiers.iter().map(|t| names.tier(t)).collect();
            let criteria: Option<Vec<u16>> =
                g.criteria.iter().map(|c| names.criterion(c)).collect();
            Some((g.level, tiers?, criteria?))
        })
        .collect()
}

/// Counts the units with children up to `level` (all of them for `None`), whose
/// children's results in `store` are final.
fn count_up_to(counting: &mut Option<Counting<'_>>, store: &Store<'_>, level: Option<Level>) {
    let Some(ids) = counting.as_ref().map(|c| c.ids) else {
        return;
    };
    let fast = |pos: usize| match store.slots.get(pos)? {
        Slot::Batched(b) => {
            let (level, tiers, criteria) = ids.get(b.group)?;
            Some(Fast {
                level: *level,
                decision: b.decision,
                tiers,
                criteria,
                met: b.met,
            })
        }
        _ => None,
    };
    count_parents(counting, store.tree, store, fast, level);
}

impl std::fmt::Debug for CompactAggregation<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompactAggregation")
            .field("units", &self.store.slots.len())
            .finish_non_exhaustive()
    }
}

impl<'a> CompactAggregation<'a> {
    /// Number of units (positions of the tree).
    pub fn len(&self) -> usize {
        self.store.slots.len()
    }

    /// Whether the tree has no units.
    pub fn is_empty(&self) -> bool {
        self.store.slots.is_empty()
    }

    /// Number of units evaluated and decided on the batch path (the others went through
    /// the per-unit path).
    pub fn batched(&self) -> usize {
        self.store
            .slots
            .iter()
            .filter(|s| matches!(s, Slot::Batched(_)))
            .count()
    }

    /// The compact result of the unit at tree position `pos`.
    pub fn result(&self, pos: usize) -> Option<CompactResult> {
        let view = self.store.view(pos)?;
        let status = match view.state() {
            State::NotAssessed => CompactStatus::NotAssessed,
            State::Excluded(_) => CompactStatus::Excluded,
            State::Decided => CompactStatus::Decided,
        };
        let decision = match (self.store.slots.get(pos)?, status) {
            (Slot::Batched(b), _) => Some(b.decision),
            (Slot::Full(r), CompactStatus::Decided) => Some(compact_decision(&view, r)),
            _ => None,
        };
        Some(CompactResult {
            status,
            decision,
            criteria_met: view.criteria_met().map(|(n, total, _)| (n, total)),
        })
    }

    /// The tiers of the unit's scheme, lowest first, that the ranks of its
    /// [`CompactDecision`] index.
    pub fn tiers(&self, pos: usize) -> &[TierId] {
        self.store.view(pos).map_or(&[], |v| v.tiers())
    }

    /// The full result of the unit at tree position `pos`, identical to the one
    /// [`aggregate`](crate::tree::aggregate) gives: units of the batch path are
    /// evaluated and decided again, with the full explanation.
    pub fn unit_result(&mut self, pos: usize) -> Option<UnitResult> {
        match self.store.slots.get(pos)? {
            Slot::Empty => None,
            Slot::Full(r) => Some((**r).clone()),
            Slot::Batched(_) => {
                let unit = self.store.tree.at(pos)?;
                Some(self.pass.explain(pos, unit))
            }
        }
    }

    /// The problem lists, as [`Aggregation`] has them ([`Aggregation::results`] and
    /// [`Aggregation::summaries`] are empty: see [`CompactAggregation::unit_result`] and
    /// [`CompactAggregation::summary`]).
    pub fn aggregation(&self) -> &Aggregation {
        &self.rest
    }

    /// The summary of the unit at tree position `pos` (a unit with children), identical
    /// to the one [`aggregate`](crate::tree::aggregate) gives; built from the pass's
    /// flat counters on each call.
    pub fn summary(&self, pos: usize) -> Option<Summary> {
        match &self.summaries {
            Summaries::Flat(flat, rolled) => {
                flat.summary(self.store.tree, pos, rolled, self.pass.rollups)
            }
            Summaries::Built(built) => built.get(pos).cloned().flatten(),
        }
    }

    /// Every summary, by unit code: [`Aggregation::summaries`] of
    /// [`aggregate`](crate::tree::aggregate).
    pub fn summaries(&self) -> BTreeMap<crate::model::UnitCode, Summary> {
        (0..self.len())
            .filter_map(|pos| self.summary(pos))
            .map(|s| (s.unit.clone(), s))
            .collect()
    }

    /// The whole [`Aggregation`], every unit's full result built: what
    /// [`aggregate`](crate::tree::aggregate) gives.
    pub fn into_aggregation(mut self) -> Aggregation {
        let results = (0..self.len())
            .filter_map(|pos| self.unit_result(pos))
            .map(|r| (r.unit.clone(), r))
            .collect();
        let summaries = self.summaries();
        Aggregation {
            results,
            summaries,
            ..self.rest
        }
    }
}

/// The compact decision of a full result.
fn compact_decision(view: &View<'_>, r: &UnitResult) -> CompactDecision {
    let rank = |t: &TierId| {
        r.tiers
            .iter()
            .position(|x| x == t)
            .and_then(|p| u8::try_from(p).ok())
    };
    let d = r.decision();
    let verdict = d.map_or(VerdictKind::CannotDecide, |d| VerdictKind::of(&d.verdict));
    CompactDecision::new(
        verdict,
        d.and_then(|d| d.held.as_ref()).and_then(rank),
        view.rank_after().and_then(|p| u8::try_from(p).ok()),
        d.and_then(|d| d.next.as_ref()).and_then(|g| rank(&g.tier)),
    )
}

/// [`CompactInputs::new`] then [`CompactInputs::aggregate`]: the pass of
/// [`aggregate`](crate::tree::aggregate) with compact results.
pub fn aggregate_compact<'a>(
    tree: &'a Hierarchy,
    year: u16,
    sets: &'a [LevelSets],
    inputs: &'a [UnitInput],
    options: &'a AggregateOptions,
) -> CompactAggregation<'a> {
    CompactInputs::new(tree, year, sets, inputs, options).aggregate()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AdminUnit, Date, Profile, Region};
    use crate::policy::illustrative;
    use crate::tree::RollUp;

    #[test]
    fn compact_summaries_are_flat_counters_not_built_in_the_pass() {
        let mut units = vec![AdminUnit::new("P", "Province", Level::Province)];
        let mut inputs = Vec::new();
        for c in 0..5 {
            let code = format!("C{c}");
            units.push(AdminUnit::new(code.as_str(), "Commune", Level::Commune).with_parent("P"));
            inputs.push(
                UnitInput::new(illustrative::sample_commune(&code, 2022))
                    .with_profile(Profile::in_region(Region::Tdmnpb)),
            );
        }
        let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap_or_else(|e| panic!("{e}"));
        let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
        let options = AggregateOptions::default().with_rollups(vec![RollUp {
            indicator: "10.1".into(),
            name: crate::model::Label::new("Thu nhập", "Income"),
            unit: None,
            method: crate::tree::RollUpMethod::Sum,
            from: Level::Commune,
        }]);
        let compact = aggregate_compact(&tree, 2022, &sets, &inputs, &options);
        assert_eq!(compact.batched(), 5);
        assert!(matches!(compact.summaries, Summaries::Flat(..)));
        assert!(compact.aggregation().summaries.is_empty());
        let full = crate::tree::aggregate(&tree, 2022, &sets, &inputs, &options);
        assert_eq!(compact.summaries(), full.summaries);
    }
}
