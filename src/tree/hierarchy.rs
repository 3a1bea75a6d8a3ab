//! The administrative tree (province → district → commune → village, or province →
//! commune → village since 1 July 2025) and its validation.
//!
//! The bottom-up pass ([`aggregate`](crate::tree::aggregate)) walks a validated
//! [`Hierarchy`], built from plain [`AdminUnit`]s. [`Hierarchy::new`] validates them **at
//! a reporting date** and reports every problem at once ([`TreeError`]):
//!
//! - two entries with the same code whose validity periods overlap;
//! - a validity period that ends before it starts;
//! - a unit valid at the date whose parent code is in no entry (an orphan);
//! - a parent that exists but is not valid at the date;
//! - a parent whose level is not strictly above the unit's level (a village's parent must
//!   be a commune; a commune's parent may be a district or, in the two-tier shape, the
//!   province);
//! - a cycle of parent links;
//! - a unit [divided](AdminUnit::divided_into) among codes of which one has no entry
//!   starting after the unit ends.
//!
//! Units not valid at the date are kept for lineage ([`Hierarchy::lineage`]: the units a
//! commune was merged from, transitively) but take no part in the tree.

use crate::model::{AdminUnit, Date, Lang, Level, UnitCode};
use crate::tree::graph::{index_bottom_up, index_cycles};
use serde::Serialize;

use crate::model::fast_hash::HashMap;
use crate::model::{JsonPointer, Location};
use std::collections::{BTreeSet, VecDeque};
use std::fmt;

/// One problem of an administrative tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TreeProblem {
    /// Two entries share a code and their validity periods overlap.
    #[error("unit code `{code}` is used by {entries} entries valid at the same time")]
    DuplicateCode {
        /// The code.
        code: UnitCode,
        /// How many entries overlap.
        entries: usize,
    },
    /// A validity period that ends before it starts.
    #[error("unit `{unit}`: valid from {from} to {to}, which ends before it starts")]
    EmptyValidity {
        /// The unit.
        unit: UnitCode,
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// The parent code is in no entry of the tree.
    #[error("unit `{unit}`: parent `{parent}` is not in the tree")]
    MissingParent {
        /// The unit.
        unit: UnitCode,
        /// The parent code.
        parent: UnitCode,
    },
    /// The parent exists but not on the reporting date.
    #[error("unit `{unit}`: parent `{parent}` is not valid on {date}")]
    ParentNotValid {
        /// The unit.
        unit: UnitCode,
        /// The parent code.
        parent: UnitCode,
        /// The reporting date.
        date: Date,
    },
    /// The parent's level is not strictly above the unit's (or a village's parent is not
    /// a commune).
    #[error("unit `{unit}` ({level}) cannot have `{parent}` ({parent_level}) as parent")]
    ParentLevel {
        /// The unit.
        unit: UnitCode,
        /// Its level.
        level: &'static str,
        /// The parent code.
        parent: UnitCode,
        /// The parent's level.
        parent_level: &'static str,
    },
    /// Parent links that go round in a circle.
    #[error("parent links form a cycle: {}", join_codes(.codes))]
    Cycle {
        /// The units of the cycle, starting with the smallest code, each the child of
        /// the next; the last is the child of the first.
        codes: Vec<UnitCode>,
    },
    /// A unit is divided into a code with no entry that starts after the unit ends (or
    /// the unit does not end).
    #[error("unit `{unit}`: divided into `{successor}`, which has no entry starting after `{unit}` ends")]
    UnknownSuccessor {
        /// The divided unit.
        unit: UnitCode,
        /// The successor code not found.
        successor: UnitCode,
    },
}

impl TreeProblem {
    /// Where the problem is: the unit (the first of a cycle), in the request's units.
    pub fn location(&self) -> Location {
        let unit = match self {
            TreeProblem::DuplicateCode { code, .. } => Some(code),
            TreeProblem::EmptyValidity { unit, .. }
            | TreeProblem::MissingParent { unit, .. }
            | TreeProblem::ParentNotValid { unit, .. }
            | TreeProblem::ParentLevel { unit, .. }
            | TreeProblem::UnknownSuccessor { unit, .. } => Some(unit),
            TreeProblem::Cycle { codes } => codes.first(),
        };
        let at = Location::at(JsonPointer::root().child("units"));
        match unit {
            Some(u) => at.with_unit(u.clone()),
            None => at,
        }
    }
}

fn join_codes(codes: &[UnitCode]) -> String {
    let mut s = String::new();
    for c in codes {
        s.push('`');
        s.push_str(c.as_str());
        s.push_str("` -> ");
    }
    if let Some(first) = codes.first() {
        s.push('`');
        s.push_str(first.as_str());
        s.push('`');
    }
    s
}

/// An administrative tree that cannot be used. Lists every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TreeError {
    problems: Vec<TreeProblem>,
}

impl TreeError {
    /// Every problem found.
    pub fn problems(&self) -> &[TreeProblem] {
        &self.problems
    }
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "invalid administrative tree: {one}"),
            many => {
                write!(f, "invalid administrative tree: {} problems", many.len())?;
                for p in many {
                    write!(f, "; {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// A validated administrative tree at a reporting date. Build it with
/// [`Hierarchy::new`]; it is immutable afterwards.
///
/// Units are kept in code order, so nothing depends on the order of the input.
///
/// Inside, every unit valid at the date has a **position** (`0..len()`, in code order);
/// parents, children and the bottom-up order are positions, so walking the tree compares
/// no code strings.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    date: Date,
    /// Every entry, for lineage, sorted by code then validity period.
    all: Vec<AdminUnit>,
    /// Units valid at the date, by position (code order): their index in `all`.
    units: Vec<usize>,
    /// Code → position.
    index: HashMap<UnitCode, usize>,
    /// Position → level (read densely by walks over every position).
    levels: Vec<Level>,
    /// Position → position of the parent.
    parent: Vec<Option<usize>>,
    /// The positions of the children of every unit, by parent's position, each
    /// parent's in code order (one list for the whole tree: a walk down reads it in
    /// order).
    children: Vec<usize>,
    /// Position → where its children start in `children` (one more entry, the end).
    children_at: Vec<usize>,
    /// Positions, children before parents.
    bottom_up: Vec<usize>,
    /// A fingerprint of the units at their positions (codes and parents), so that data
    /// held by position can tell the tree it was filled against from another.
    stamp: u64,
}

impl Hierarchy {
    /// Validates `units` at the reporting `date`.
    ///
    /// Runs in O(n log n) for the sort by code, and linear time otherwise (one pass for
    /// duplicate codes over the sorted entries, a hash index for parent codes,
    /// colour-marking cycle detection over positions).
    ///
    /// # Errors
    ///
    /// A [`TreeError`] listing every problem (see the module docs).
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::model::{AdminUnit, Date, Level};
    /// use ntm_rules::tree::Hierarchy;
    ///
    /// let date = Date::new(2026, 1, 1).unwrap();
    /// let tree = Hierarchy::new(vec![
    ///     AdminUnit::new("24", "Bắc Ninh", Level::Province),
    ///     AdminUnit::new("07672", "Quảng Minh", Level::Commune).with_parent("24"),
    ///     AdminUnit::new("07672-01", "Khả Lý Thượng", Level::Village).with_parent("07672"),
    /// ], date)?;
    /// assert_eq!(tree.children("24").count(), 1);
    ///
    /// let err = Hierarchy::new(vec![
    ///     AdminUnit::new("07672", "Quảng Minh", Level::Commune).with_parent("99"),
    /// ], date).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid administrative tree: unit `07672`: parent `99` is not in the tree");
    /// # Ok::<(), ntm_rules::tree::TreeError>(())
    /// ```
    pub fn new(units: Vec<AdminUnit>, date: Date) -> Result<Hierarchy, TreeError> {
        let mut problems = Vec::new();
        let mut all = units;
        // Stable: entries with equal keys keep their input order (the first is used).
        // Their positions are sorted, then the units are put in place by swaps along the
        // permutation's cycles (each unit moved about once, no second vector of units).
        fn key(u: &AdminUnit) -> (&str, Option<Date>, Option<Date>) {
            (u.code.as_str(), u.valid_from, u.valid_to)
        }
        if !all.is_sorted_by(|a, b| key(a) <= key(b)) {
            // Sorted by the first bytes of the code held beside the position (no unit
            // read for most comparisons), then by the whole key, then by the position:
            // an unstable sort that gives the stable order.
            let mut keyed: Vec<(u128, usize)> = all
                .iter()
                .enumerate()
                .map(|(i, u)| (code_prefix(u.code.as_str()), i))
                .collect();
            keyed.sort_unstable_by(|&(p, i), &(q, j)| {
                p.cmp(&q)
                    .then_with(|| all.get(i).map(key).cmp(&all.get(j).map(key)))
                    .then(i.cmp(&j))
            });
            let mut order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
            permute(&mut all, &mut order);
        }

        for u in &all {
            if let (Some(from), Some(to)) = (u.valid_from, u.valid_to) {
                if to < from {
                    problems.push(TreeProblem::EmptyValidity {
                        unit: u.code.clone(),
                        from,
                        to,
                    });
                }
            }
        }
        // Entries of one code are adjacent after the sort: one pass over the runs.
        for entries in all.chunk_by(|a, b| a.code == b.code) {
            let [first, _, ..] = entries else { continue };
            let overlapping = entries
                .iter()
                .enumerate()
                .filter(|(i, a)| {
                    entries
                        .iter()
                        .enumerate()
                        .any(|(j, b)| *i != j && a.overlaps(b))
                })
                .count();
            if overlapping > 0 {
                problems.push(TreeProblem::DuplicateCode {
                    code: first.code.clone(),
                    entries: overlapping,
                });
            }
        }

        // Successors of divided units: an entry of the code that starts after the unit ends.
        for u in all.iter().filter(|u| !u.divided_into.is_empty()) {
            for successor in &u.divided_into {
                let start = all.partition_point(|e| e.code < *successor);
                let found = all
                    .get(start..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|e| e.code == *successor)
                    .any(|e| match (u.valid_to, e.valid_from) {
                        (Some(end), Some(from)) => from > end,
                        _ => false,
                    });
                if !found {
                    problems.push(TreeProblem::UnknownSuccessor {
                        unit: u.code.clone(),
                        successor: successor.clone(),
                    });
                }
            }
        }

        // The units of the tree at the date: one per code (the first, if duplicated;
        // a duplicate is an error anyway).
        let mut units: Vec<usize> = Vec::new();
        let mut last: Option<&UnitCode> = None;
        for (i, u) in all.iter().enumerate() {
            if u.is_valid_at(date) && last != Some(&u.code) {
                units.push(i);
                last = Some(&u.code);
            }
        }
        let unit_at = |pos: usize| units.get(pos).and_then(|&i| all.get(i));
        let mut index: HashMap<UnitCode, usize> =
            HashMap::with_capacity_and_hasher(units.len(), Default::default());
        for (pos, u) in units.iter().filter_map(|&i| all.get(i)).enumerate() {
            index.insert(u.code.clone(), pos);
        }
        let mut parent = vec![None; units.len()];
        for (i, u) in units.iter().filter_map(|&i| all.get(i)).enumerate() {
            let Some(p) = &u.parent else { continue };
            let Some(&pi) = index.get(p) else {
                let known = all
                    .get(all.partition_point(|e| e.code < *p))
                    .is_some_and(|e| e.code == *p);
                problems.push(if known {
                    TreeProblem::ParentNotValid {
                        unit: u.code.clone(),
                        parent: p.clone(),
                        date,
                    }
                } else {
                    TreeProblem::MissingParent {
                        unit: u.code.clone(),
                        parent: p.clone(),
                    }
                });
                continue;
            };
            let pl = unit_at(pi).map_or(u.level, |pu| pu.level);
            let level_ok = pl > u.level && (u.level != Level::Village || pl == Level::Commune);
            if !level_ok {
                problems.push(TreeProblem::ParentLevel {
                    unit: u.code.clone(),
                    level: u.level.label(Lang::En),
                    parent: p.clone(),
                    parent_level: pl.label(Lang::En),
                });
            }
            if let Some(slot) = parent.get_mut(i) {
                *slot = Some(pi);
            }
        }
        for cycle in index_cycles(&parent) {
            problems.push(TreeProblem::Cycle {
                codes: cycle
                    .iter()
                    .filter_map(|&i| unit_at(i).map(|u| u.code.clone()))
                    .collect(),
            });
        }
        if !problems.is_empty() {
            return Err(TreeError { problems });
        }

        // Counts per parent, then their running sums, then the children in code order.
        let mut children_at = vec![0usize; units.len() + 1];
        for p in parent.iter().flatten() {
            if let Some(n) = children_at.get_mut(p + 1) {
                *n += 1;
            }
        }
        let mut total = 0;
        for n in &mut children_at {
            total += *n;
            *n = total;
        }
        let mut next = children_at.clone();
        let mut children = vec![0usize; children_at.last().copied().unwrap_or(0)];
        for (c, p) in parent.iter().enumerate() {
            let Some(at) = p.and_then(|p| next.get_mut(p)) else {
                continue;
            };
            if let Some(slot) = children.get_mut(*at) {
                *slot = c;
            }
            *at += 1;
        }
        let bottom_up = index_bottom_up(&parent);
        let levels = (0..units.len())
            .filter_map(|pos| unit_at(pos).map(|u| u.level))
            .collect();
        let stamp = {
            use std::hash::{BuildHasher, Hash, Hasher};
            let mut h = foldhash::quality::FixedState::default().build_hasher();
            units.len().hash(&mut h);
            for (&i, p) in units.iter().zip(&parent) {
                all.get(i).map(|u| u.code.as_str()).hash(&mut h);
                p.hash(&mut h);
            }
            h.finish()
        };
        Ok(Hierarchy {
            date,
            all,
            units,
            index,
            parent,
            levels,
            children,
            children_at,
            bottom_up,
            stamp,
        })
    }

    /// The reporting date the tree was validated at.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The unit with this code, if it exists at the date.
    pub fn get(&self, code: &str) -> Option<&AdminUnit> {
        self.position(code).and_then(|p| self.at(p))
    }

    /// Every unit valid at the date, in code order.
    pub fn units(&self) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.units.iter().filter_map(|&i| self.all.get(i))
    }

    /// A fingerprint of the units at their positions: two trees with the same codes
    /// and parents at the same positions have the same stamp.
    pub(crate) fn stamp(&self) -> u64 {
        self.stamp
    }

    /// Number of units valid at the date.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether the tree has no unit at the date.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The parent of a unit.
    pub fn parent(&self, code: &str) -> Option<&AdminUnit> {
        let p = self.parent_of(self.position(code)?)?;
        self.at(p)
    }

    /// The direct children of a unit, in code order (none for an unknown code).
    pub fn children(&self, code: &str) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.position(code)
            .map(|i| self.children_of(i))
            .unwrap_or_default()
            .iter()
            .filter_map(|&c| self.at(c))
    }

    /// Units without a parent, in code order.
    pub fn roots(&self) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.units()
            .zip(&self.parent)
            .filter(|(_, p)| p.is_none())
            .map(|(u, _)| u)
    }

    /// Every unit below `code` (not `code` itself) at `level`, in code order.
    pub fn descendants_at(&self, code: &str, level: Level) -> Vec<&AdminUnit> {
        self.position(code)
            .map(|p| self.descendants_at_pos(p, level))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| self.at(i))
            .collect()
    }

    /// Every unit, children before parents (deepest first, then by code): the order of
    /// a bottom-up pass.
    pub fn bottom_up(&self) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.bottom_up_positions()
            .iter()
            .filter_map(|&i| self.at(i))
    }

    /// The codes of the units `code` was merged from, transitively (breadth first, each
    /// once), looked up among every entry, valid at the date or not. A successor that
    /// kept the code of one of its parts has its own code in the lineage (that part is the
    /// earlier entry of the code).
    pub fn lineage(&self, code: &str) -> Vec<UnitCode> {
        let mut out: Vec<UnitCode> = Vec::new();
        let mut seen: BTreeSet<UnitCode> = BTreeSet::new();
        let mut queue: VecDeque<UnitCode> = VecDeque::from([UnitCode::new(code)]);
        let mut expanded: BTreeSet<UnitCode> = BTreeSet::new();
        while let Some(c) = queue.pop_front() {
            if !expanded.insert(c.clone()) {
                continue;
            }
            for entry in self.entries_of(c.as_str()) {
                for m in &entry.merged_from {
                    if seen.insert(m.clone()) {
                        out.push(m.clone());
                        queue.push_back(m.clone());
                    }
                }
            }
        }
        out
    }

    /// Every entry with this code, valid at the date or not (history of the code).
    pub fn entries(&self, code: &str) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.entries_of(code).iter()
    }

    /// The entries with this code: a run of `all`, which is sorted by code.
    fn entries_of(&self, code: &str) -> &[AdminUnit] {
        let start = self.all.partition_point(|u| u.code.as_str() < code);
        let rest = self.all.get(start..).unwrap_or_default();
        let len = rest.partition_point(|u| u.code.as_str() == code);
        rest.get(..len).unwrap_or_default()
    }

    // Position-based access, for the bottom-up pass.

    /// The position of the unit with this code (`0..len()`, code order).
    pub(crate) fn position(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }

    /// The unit at a position.
    pub(crate) fn at(&self, pos: usize) -> Option<&AdminUnit> {
        self.units.get(pos).and_then(|&i| self.all.get(i))
    }

    /// The position of the parent of the unit at a position.
    pub(crate) fn parent_of(&self, pos: usize) -> Option<usize> {
        self.parent.get(pos).copied().flatten()
    }

    /// The level of the unit at a position.
    pub(crate) fn level_of(&self, pos: usize) -> Option<Level> {
        self.levels.get(pos).copied()
    }

    /// The positions of the children of the unit at a position, in code order.
    pub(crate) fn children_of(&self, pos: usize) -> &[usize] {
        let (Some(&from), Some(&to)) = (self.children_at.get(pos), self.children_at.get(pos + 1))
        else {
            return &[];
        };
        self.children.get(from..to).unwrap_or_default()
    }

    /// Positions, children before parents (see [`Hierarchy::bottom_up`]).
    pub(crate) fn bottom_up_positions(&self) -> &[usize] {
        &self.bottom_up
    }

    /// Positions of the units below `pos` at `level`, in code order.
    pub(crate) fn descendants_at_pos(&self, pos: usize, level: Level) -> Vec<usize> {
        let mut out = Vec::new();
        // Levels go strictly down the tree (checked by `new`): nothing below a unit is
        // at its level or above.
        if self.at(pos).is_none_or(|u| u.level <= level) {
            return out;
        }
        let mut stack: Vec<usize> = self.children_of(pos).to_vec();
        while let Some(i) = stack.pop() {
            let Some(u) = self.at(i) else { continue };
            if u.level == level {
                out.push(i);
            }
            if u.level > level {
                stack.extend_from_slice(self.children_of(i));
            }
        }
        // Positions are in code order.
        out.sort_unstable();
        out
    }
}

/// The first sixteen bytes of a code as a big-endian integer, zero-padded: if one
/// code's prefix is less than another's, so is the code (bytes compare as text does,
/// and a code that ends first is the lesser); equal prefixes say nothing.
fn code_prefix(code: &str) -> u128 {
    let mut bytes = [0u8; 16];
    for (b, c) in bytes.iter_mut().zip(code.bytes()) {
        *b = c;
    }
    u128::from_be_bytes(bytes)
}

/// Puts `items[order[k]]` at `k` for every `k`, in place (`order` a permutation of the
/// positions; it is left as the identity).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        while let Some(from) = order.get_mut(at).map(|o| std::mem::replace(o, at)) {
            if from == start || from == at || from >= items.len() {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{code_prefix, permute};
    use proptest::prelude::*;

    proptest! {
        /// In place, `permute` gives what taking each item from its place in a copy gives.
        #[test]
        fn permute_puts_each_item_where_the_order_says(
            order in (0usize..200).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        ) {
            let items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            let want: Vec<usize> = order.iter().map(|&i| items[i]).collect();
            let (mut got, mut order) = (items, order);
            permute(&mut got, &mut order);
            prop_assert_eq!(got, want);
            prop_assert!(order.iter().enumerate().all(|(k, &o)| k == o));
        }

        /// A code's prefix never orders it against the text's order: a lesser prefix is
        /// a lesser code (NUL bytes and codes of other lengths included).
        #[test]
        fn a_lesser_code_prefix_is_a_lesser_code(a in "[\\x00-\\x02a-cé]{0,19}", b in "[\\x00-\\x02a-cé]{0,19}") {
            if code_prefix(&a) < code_prefix(&b) {
                prop_assert!(a < b);
            }
            if a <= b {
                prop_assert!(code_prefix(&a) <= code_prefix(&b));
            }
        }
    }
}
