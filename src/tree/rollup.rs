//! Roll-ups of one indicator of the units at one level into every unit above them (sum,
//! weighted rate, minimum, maximum), in one pass over the contributions.

use crate::model::{AdminUnit, UnitCode, Value};
use crate::tree::exact_sum::{ExactSum, MergeSum};
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::{RollUp, RollUpMethod, UnitInput};
use crate::tree::summary::{LeftOut, NoValue, RollUpValue};
use crate::tree::view::State;
use rust_decimal::Decimal;

/// What one unit at a roll-up's level brings to the roll-ups of its ancestors.
#[derive(Debug, Clone)]
pub(super) enum Contribution {
    /// Not assessed: not counted at all.
    Skip,
    /// Excluded from the counts (the reason's name): its value is not used, and it is
    /// listed as left out.
    Excluded(&'static str),
    /// No usable value (missing, not a number, or bad data).
    MissingValue,
    /// A value, the unit's weight for rates (`None` when missing or not a rate), and
    /// value × weight (`None` without a weight or when it overflows), computed once for
    /// every ancestor.
    Value(Decimal, Option<Decimal>, Option<Decimal>),
}

impl Contribution {
    pub(super) fn of(r: &RollUp, state: Option<State>, input: Option<&UnitInput>) -> Contribution {
        match state {
            Some(State::NotAssessed) => return Contribution::Skip,
            Some(State::Excluded(reason)) => return Contribution::Excluded(reason),
            _ => {}
        }
        let value = input.and_then(|i| i.data.values.get(&r.indicator));
        let Some(Value::Number(v)) = value else {
            return Contribution::MissingValue;
        };
        let w = match &r.method {
            RollUpMethod::Rate { weight } => input
                .and_then(|i| i.weights.get(weight.as_str()))
                .map(|w| w.value()),
            _ => None,
        };
        Contribution::Value(*v, w, w.and_then(|w| v.checked_mul(w)))
    }
}

/// One unit's roll-up of one indicator, in progress.
#[derive(Default, Debug)]
struct RollUpAcc {
    units: u32,
    /// The minimum or maximum so far.
    acc: Option<Decimal>,
    /// The sum so far (of the values, or of value × weight for a rate).
    sum: Option<ExactSum>,
    weights: ExactSum,
    missing_value: Vec<UnitCode>,
    missing_weight: Vec<UnitCode>,
    left_out: Vec<LeftOut>,
    overflow: bool,
}

impl RollUpAcc {
    /// Adds the contribution of one unit below (units are added in code order); `unit`
    /// is read only when its code is listed.
    fn add(&mut self, method: &RollUpMethod, unit: &AdminUnit, c: &Contribution) {
        let code = &unit.code;
        let &Contribution::Value(v, w, product) = c else {
            match c {
                Contribution::MissingValue => self.missing_value.push(code.clone()),
                Contribution::Excluded(reason) => self.left_out.push(LeftOut {
                    unit: code.clone(),
                    reason: (*reason).to_owned(),
                }),
                _ => {}
            }
            return;
        };
        self.units += 1;
        let added = match method {
            RollUpMethod::Sum => self.add_to_sum(v),
            RollUpMethod::Minimum => {
                self.acc = Some(self.acc.map_or(v, |a| a.min(v)));
                true
            }
            RollUpMethod::Maximum => {
                self.acc = Some(self.acc.map_or(v, |a| a.max(v)));
                true
            }
            RollUpMethod::Rate { .. } => match (w, product) {
                // The weight stays added when the product's sum overflows.
                (Some(w), Some(p)) => self.weights.add(w) && self.add_to_sum(p),
                (Some(_), None) => false,
                (None, _) => {
                    self.missing_weight.push(code.clone());
                    true
                }
            },
        };
        if !added {
            self.overflow = true;
        }
    }

    /// Adds to the sum, which is only there once a term was added.
    fn add_to_sum(&mut self, v: Decimal) -> bool {
        let mut sum = self.sum.unwrap_or_default();
        let added = sum.add(v);
        if added {
            self.sum = Some(sum);
        }
        added
    }

    /// The roll-up value.
    fn finish(&self, r: &RollUp) -> RollUpValue {
        let RollUpAcc {
            units,
            acc,
            sum,
            weights,
            missing_value,
            missing_weight,
            left_out,
            overflow,
        } = self;
        let acc = match &r.method {
            RollUpMethod::Sum | RollUpMethod::Rate { .. } => sum.map(|s| s.value()),
            RollUpMethod::Minimum | RollUpMethod::Maximum => *acc,
        };
        let (units, weights, overflow) = (*units, weights.value(), *overflow);
        let complete = missing_value.is_empty() && missing_weight.is_empty() && !overflow;
        let mut weighted = None;
        let value = match (&r.method, acc) {
            (_, None) => None,
            (_, Some(_)) if !complete => None,
            (RollUpMethod::Rate { .. }, Some(a)) => {
                weighted = Some((a, weights));
                a.checked_div(weights)
            }
            (_, Some(a)) => Some(a),
        };
        if let (RollUpMethod::Rate { .. }, Some(a), false) = (&r.method, acc, complete) {
            weighted = Some((a, weights));
        }
        let no_value = match value {
            Some(_) => None,
            None if overflow => Some(NoValue::Overflow),
            None if !missing_value.is_empty() => Some(NoValue::MissingValues),
            None if !missing_weight.is_empty() => Some(NoValue::MissingWeights),
            None if acc.is_none() => Some(NoValue::NoUnits),
            // Every unit has a value and a weight, and the sums did not overflow: the
            // rate's division failed, by a zero total weight or past Decimal's range.
            None if weights.is_zero() => Some(NoValue::ZeroWeight),
            None => Some(NoValue::Overflow),
        };
        RollUpValue {
            indicator: r.indicator.clone(),
            method: r.method.clone(),
            from: r.from,
            units,
            value,
            weighted,
            missing_value: missing_value.clone(),
            missing_weight: missing_weight.clone(),
            overflow,
            left_out: left_out.clone(),
            no_value,
        }
    }
}

/// No slot.
const NONE: usize = usize::MAX;

/// Every roll-up of every unit with children: for each unit, the same values, lists and
/// problems as adding the contributions of its descendants at the roll-up's level (each
/// roll-up's recorded by [`contribute`] in code order) one by one in code order, which
/// matters: decimal sums round beyond 28 digits and overflow depending on the order of
/// their terms, and the lists of units without a value are in code order.
///
/// It is done in one pass up the tree: each contribution is added to its parent's
/// [`Part`], and each part is merged into its parent's, level by level. Parts are exact
/// in any order of merging while their sums are (see [`MergeSum`]); a roll-up with a
/// term they cannot take exactly (a negative value or weight, a sum past 96 bits) is
/// computed instead by adding each contribution to every ancestor in code order.
#[derive(Debug)]
pub(super) struct RollUps {
    /// Position → slot of a unit with descendants that contribute ([`NONE`] for the
    /// others, whose roll-ups are empty).
    slot: Vec<usize>,
    /// Per roll-up, per slot.
    accs: Vec<Vec<RollUpAcc>>,
}

/// The slots of the units with contributions below them, made as they are needed.
struct Slots {
    /// Position → slot.
    slot: Vec<usize>,
    /// Slot → position.
    at: Vec<usize>,
    /// Per slot, per roll-up (`slot × roll-ups + roll-up`).
    parts: Vec<Part>,
    rollups: usize,
}

impl Slots {
    /// The slot of the unit at `pos`, and whether it is new.
    fn of(&mut self, pos: usize) -> Option<(usize, bool)> {
        let s = self.slot.get_mut(pos)?;
        if *s != NONE {
            return Some((*s, false));
        }
        *s = self.at.len();
        self.at.push(pos);
        self.parts
            .resize_with(self.parts.len() + self.rollups, Part::default);
        Some((*s, true))
    }

    /// Adds each contribution to its parent's part, then merges the parts up the tree.
    fn merged(
        tree: &Hierarchy,
        rollups: &[RollUp],
        pending: &[(usize, usize, Contribution)],
    ) -> Slots {
        let n = rollups.len();
        let mut slots = Slots {
            slot: vec![NONE; tree.len()],
            at: Vec::new(),
            parts: Vec::new(),
            rollups: n,
        };
        for (pos, k, c) in pending {
            let (Some(r), Some(parent)) = (rollups.get(*k), tree.parent_of(*pos)) else {
                continue;
            };
            if tree.at(*pos).is_none() {
                continue;
            }
            let Some((s, _)) = slots.of(parent) else {
                continue;
            };
            if let Some(part) = slots.parts.get_mut(s * n + k) {
                part.add(&r.method, *pos, c);
            }
        }
        // Up the tree level by level: a unit's part is final once the levels below it
        // are merged (a parent is at a higher level than its children).
        let mut by_level: [Vec<usize>; 5] = Default::default();
        for (s, &pos) in slots.at.iter().enumerate() {
            if let Some(list) = tree
                .level_of(pos)
                .and_then(|l| by_level.get_mut(l as usize))
            {
                list.push(s);
            }
        }
        for l in 0..by_level.len() {
            let mut i = 0;
            while let Some(&s) = by_level.get(l).and_then(|list| list.get(i)) {
                i += 1;
                let parent = slots.at.get(s).and_then(|&pos| tree.parent_of(pos));
                let Some((ps, new)) = parent.and_then(|p| slots.of(p)) else {
                    continue;
                };
                let level = parent.and_then(|p| tree.level_of(p)).map(|l| l as usize);
                if let (true, Some(list)) = (new, level.and_then(|l| by_level.get_mut(l))) {
                    list.push(ps);
                }
                for (k, r) in rollups.iter().enumerate() {
                    if let Some((part, into)) = pair(&mut slots.parts, s * n + k, ps * n + k) {
                        into.merge(&r.method, part);
                    }
                }
            }
        }
        slots
    }

    /// The parts of roll-up `k` by slot, unless one of them is inexact.
    fn exact(&self, k: usize) -> Option<impl Iterator<Item = &Part>> {
        let parts = || self.parts.iter().skip(k).step_by(self.rollups.max(1));
        (!parts().any(|p| p.inexact)).then(parts)
    }
}

impl RollUps {
    /// The roll-ups of `pending`, the contributions, each roll-up's in code order.
    pub(super) fn new(
        tree: &Hierarchy,
        rollups: &[RollUp],
        pending: &[(usize, usize, Contribution)],
    ) -> RollUps {
        let slots = Slots::merged(tree, rollups, pending);
        let accs = (0..rollups.len())
            .zip(rollups)
            .map(|(k, r)| match slots.exact(k) {
                Some(parts) => parts.map(|p| p.acc(tree)).collect(),
                None => in_code_order(tree, r, k, pending, &slots.slot, slots.at.len()),
            })
            .collect();
        RollUps {
            slot: slots.slot,
            accs,
        }
    }

    /// The roll-up values of the unit at a position (each taken once).
    pub(super) fn take(&mut self, pos: usize, rollups: &[RollUp]) -> Vec<RollUpValue> {
        let at = self.slot.get(pos).copied().filter(|&s| s != NONE);
        rollups
            .iter()
            .zip(&mut self.accs)
            .map(|(r, accs)| {
                let acc = at.and_then(|i| accs.get_mut(i)).map(std::mem::take);
                acc.unwrap_or_default().finish(r)
            })
            .collect()
    }

    /// The roll-up values of the unit at a position, leaving them in place (for the
    /// compact pass, which builds summaries on demand).
    pub(super) fn values(&self, pos: usize, rollups: &[RollUp]) -> Vec<RollUpValue> {
        let at = self.slot.get(pos).copied().filter(|&s| s != NONE);
        rollups
            .iter()
            .zip(&self.accs)
            .map(|(r, accs)| match at.and_then(|i| accs.get(i)) {
                Some(acc) => acc.finish(r),
                None => RollUpAcc::default().finish(r),
            })
            .collect()
    }
}

/// `v[a]` and `v[b]` for `a != b`.
fn pair<T>(v: &mut [T], a: usize, b: usize) -> Option<(&T, &mut T)> {
    if a < b {
        let (low, high) = v.split_at_mut(b);
        Some((low.get(a)?, high.first_mut()?))
    } else if b < a {
        let (low, high) = v.split_at_mut(a);
        Some((high.first()?, low.get_mut(b)?))
    } else {
        None
    }
}

/// One roll-up (`k`) of every slot, each contribution added to each of its ancestors in
/// code order (the order of `pending`).
fn in_code_order(
    tree: &Hierarchy,
    r: &RollUp,
    k: usize,
    pending: &[(usize, usize, Contribution)],
    slot: &[usize],
    slots: usize,
) -> Vec<RollUpAcc> {
    let mut accs = Vec::new();
    accs.resize_with(slots, RollUpAcc::default);
    for (pos, _, c) in pending.iter().filter(|(_, kk, _)| *kk == k) {
        let Some(unit) = tree.at(*pos) else {
            continue;
        };
        let mut above = tree.parent_of(*pos);
        while let Some(a) = above {
            let at = slot.get(a).copied().filter(|&s| s != NONE);
            if let Some(acc) = at.and_then(|i| accs.get_mut(i)) {
                acc.add(&r.method, unit, c);
            }
            above = tree.parent_of(a);
        }
    }
    accs
}

/// One unit's roll-up of one indicator from the units below it, in progress, kept so
/// that the parts of a unit's children merge into its own in any order: terms and listed
/// units carry their position (code order), and the sums are [`MergeSum`]s.
#[derive(Default, Debug)]
struct Part {
    units: u32,
    /// The minimum or maximum so far, and the position of the unit that gave it.
    extreme: Option<(Decimal, usize)>,
    sum: MergeSum,
    weights: MergeSum,
    missing_value: Vec<usize>,
    missing_weight: Vec<usize>,
    left_out: Vec<(usize, &'static str)>,
    overflow: bool,
    /// A term the sums could not take exactly: the roll-up is added up in code order.
    inexact: bool,
}

impl Part {
    /// Adds the contribution of the unit at `pos`, as [`RollUpAcc::add`].
    fn add(&mut self, method: &RollUpMethod, pos: usize, c: &Contribution) {
        let &Contribution::Value(v, w, product) = c else {
            match c {
                Contribution::MissingValue => self.missing_value.push(pos),
                Contribution::Excluded(reason) => self.left_out.push((pos, reason)),
                _ => {}
            }
            return;
        };
        self.units += 1;
        let exact = match method {
            RollUpMethod::Sum => self.sum.add(v, pos),
            RollUpMethod::Minimum | RollUpMethod::Maximum => {
                self.extreme(method, v, pos);
                true
            }
            RollUpMethod::Rate { .. } => match (w, product) {
                (Some(w), Some(p)) => self.weights.add(w, pos) && self.sum.add(p, pos),
                (Some(_), None) => {
                    self.overflow = true;
                    true
                }
                (None, _) => {
                    self.missing_weight.push(pos);
                    true
                }
            },
        };
        self.inexact |= !exact;
    }

    /// Takes `(v, pos)` as the extreme when it is beyond it, or equal and first in code
    /// order (`Decimal::min` and `Decimal::max` keep the first of equal values, which
    /// may differ in scale).
    fn extreme(&mut self, method: &RollUpMethod, v: Decimal, pos: usize) {
        let beyond = match self.extreme {
            None => true,
            Some((e, at)) => match method {
                RollUpMethod::Minimum => v < e || (v == e && pos < at),
                _ => v > e || (v == e && pos < at),
            },
        };
        if beyond {
            self.extreme = Some((v, pos));
        }
    }

    /// Adds the part of a child (of units other than this part's).
    fn merge(&mut self, method: &RollUpMethod, child: &Part) {
        self.units += child.units;
        if let Some((v, pos)) = child.extreme {
            self.extreme(method, v, pos);
        }
        let exact = self.sum.merge(&child.sum) && self.weights.merge(&child.weights);
        self.inexact |= child.inexact || !exact;
        self.overflow |= child.overflow;
        merge_sorted(&mut self.missing_value, &child.missing_value, |&p| p);
        merge_sorted(&mut self.missing_weight, &child.missing_weight, |&p| p);
        merge_sorted(&mut self.left_out, &child.left_out, |&(p, _)| p);
    }

    /// The roll-up as the units below added one by one in code order make it.
    fn acc(&self, tree: &Hierarchy) -> RollUpAcc {
        let code = |pos: &usize| tree.at(*pos).map(|u| u.code.clone());
        RollUpAcc {
            units: self.units,
            acc: self.extreme.map(|(v, _)| v),
            sum: self.sum.has_terms().then(|| self.sum.exact()),
            weights: self.weights.exact(),
            missing_value: self.missing_value.iter().filter_map(code).collect(),
            missing_weight: self.missing_weight.iter().filter_map(code).collect(),
            left_out: self
                .left_out
                .iter()
                .filter_map(|(pos, reason)| {
                    Some(LeftOut {
                        unit: code(pos)?,
                        reason: (*reason).to_owned(),
                    })
                })
                .collect(),
            overflow: self.overflow,
        }
    }
}

/// Merges `more` into `list`, both sorted by `key` (and with no key in both).
fn merge_sorted<T: Clone>(list: &mut Vec<T>, more: &[T], key: impl Fn(&T) -> usize) {
    let (Some(last), Some(first)) = (list.last(), more.first()) else {
        list.extend_from_slice(more);
        return;
    };
    if key(last) < key(first) {
        list.extend_from_slice(more);
        return;
    }
    let mine = std::mem::take(list);
    list.reserve(mine.len() + more.len());
    let (mut a, mut b) = (mine.into_iter().peekable(), more.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if key(x) < key(y) => a.next(),
            (Some(_), Some(_)) | (None, Some(_)) => b.next().cloned(),
            (Some(_), None) => a.next(),
            (None, None) => break,
        };
        list.extend(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Label, Level};
    use proptest::prelude::*;

    /// A tree of one province, its districts and communes (some communes right under the
    /// province), and villages, with codes shuffled so that code order is not the tree's.
    fn tree() -> impl Strategy<Value = Hierarchy> {
        let communes = prop::collection::vec(0usize..4, 1..4);
        let districts = prop::collection::vec(communes, 1..4);
        (districts, 0usize..3, any::<u64>()).prop_map(|(districts, direct, seed)| {
            let mut units = vec![AdminUnit::new("P", "P", Level::Province)];
            let (mut commune_no, mut village_no) = (0u64, 0u64);
            // Codes from a multiplicative shuffle of the numbers, unique per level.
            let code =
                |prefix: &str, n: u64| format!("{prefix}{:06}", (n * 7919 + seed % 97) % 1_000_003);
            let mut add_commune = |units: &mut Vec<AdminUnit>, parent: &str, villages: usize| {
                let c = code("C", commune_no);
                commune_no += 1;
                units.push(
                    AdminUnit::new(c.as_str(), c.as_str(), Level::Commune).with_parent(parent),
                );
                for _ in 0..villages {
                    let v = code("V", village_no);
                    village_no += 1;
                    units.push(
                        AdminUnit::new(v.as_str(), v.as_str(), Level::Village)
                            .with_parent(c.as_str()),
                    );
                }
            };
            for (d, communes) in districts.iter().enumerate() {
                let dc = format!("D{:02}", (d * 37 + (seed % 13) as usize) % 101);
                units.push(
                    AdminUnit::new(dc.as_str(), dc.as_str(), Level::District).with_parent("P"),
                );
                for &villages in communes {
                    add_commune(&mut units, &dc, villages);
                }
            }
            for _ in 0..direct {
                add_commune(&mut units, "P", 2);
            }
            let date = Date::new(2026, 1, 1).unwrap_or_else(|| unreachable!());
            Hierarchy::new(units, date).unwrap_or_else(|e| panic!("{e}"))
        })
    }

    /// Values with ties of different scales and zeros of several scales; when
    /// `hostile`, also negatives and mantissas near 96 bits (whose sums are not exact).
    fn value(hostile: bool) -> impl Strategy<Value = Decimal> {
        let h = u32::from(hostile);
        prop_oneof![
            6 => (0i64..1000, 0u32..=3).prop_map(|(m, s)| Decimal::new(m, s)),
            3 => prop::sample::select(vec![
                Decimal::new(15, 1), Decimal::new(150, 2), Decimal::new(0, 0),
                Decimal::new(0, 2), Decimal::new(2, 0),
            ]),
            h => (-100i64..0, 0u32..=2).prop_map(|(m, s)| Decimal::new(m, s)),
            h => (0u32..=2).prop_map(|s| Decimal::from_i128_with_scale((1 << 95) - 1, s)),
        ]
    }

    fn contribution(hostile: bool) -> impl Strategy<Value = Contribution> {
        prop_oneof![
            8 => (value(hostile), prop::option::weighted(0.9, value(hostile)))
                .prop_map(|(v, w)| Contribution::Value(v, w, w.and_then(|w| v.checked_mul(w)))),
            1 => Just(Contribution::MissingValue),
            1 => Just(Contribution::Excluded("out of scope")),
        ]
    }

    fn rollup() -> impl Strategy<Value = RollUp> {
        let method = prop_oneof![
            Just(RollUpMethod::Sum),
            Just(RollUpMethod::Rate { weight: "w".into() }),
            Just(RollUpMethod::Minimum),
            Just(RollUpMethod::Maximum),
        ];
        let from = prop::sample::select(vec![Level::Village, Level::Commune]);
        (method, from).prop_map(|(method, from)| RollUp {
            indicator: "x".into(),
            name: Label::new("x", "x"),
            unit: None,
            method,
            from,
        })
    }

    proptest! {
        /// Merged up the tree, every unit's roll-ups are those of its descendants added
        /// one by one in code order: the same values (digits and scales), counts, lists
        /// and reasons; and so are [`RollUps`]' (which add them in order when a part is
        /// inexact).
        #[test]
        fn merged_roll_ups_are_roll_ups_in_code_order(
            tree in tree(),
            rollups in prop::collection::vec(rollup(), 1..4),
            (hostile, terms) in prop::bool::weighted(0.3).prop_flat_map(|h| {
                (Just(h), prop::collection::vec(contribution(h), 64))
            }),
        ) {
            let mut pending = Vec::new();
            let mut terms = terms.into_iter().cycle();
            for pos in 0..tree.len() {
                let level = tree.at(pos).map(|u| u.level);
                for (k, r) in rollups.iter().enumerate() {
                    if level == Some(r.from) {
                        pending.push((pos, k, terms.next().unwrap_or(Contribution::Skip)));
                    }
                }
            }
            pending.sort_by_key(|(pos, _, _)| (tree.at(*pos).map(|u| u.level), *pos));
            // The parts merged up the tree, against each contribution added to every
            // ancestor in code order; parts are exact unless a term is hostile.
            let slots = Slots::merged(&tree, &rollups, &pending);
            for (k, r) in rollups.iter().enumerate() {
                let want = in_code_order(&tree, r, k, &pending, &slots.slot, slots.at.len());
                let Some(parts) = slots.exact(k) else {
                    prop_assert!(hostile, "roll-up {} inexact without a hostile term", k);
                    continue;
                };
                let parts: Vec<&Part> = parts.collect();
                prop_assert_eq!(parts.len(), want.len());
                for (s, (p, w)) in parts.iter().zip(&want).enumerate() {
                    let (g, w) = (p.acc(&tree).finish(r), w.finish(r));
                    prop_assert_eq!(format!("{g:?}"), format!("{w:?}"), "slot {}", s);
                }
            }
            let got = RollUps::new(&tree, &rollups, &pending);
            let slots = got.slot.iter().filter(|&&s| s != NONE).count();
            let want = RollUps {
                slot: got.slot.clone(),
                accs: rollups
                    .iter()
                    .enumerate()
                    .map(|(k, r)| in_code_order(&tree, r, k, &pending, &got.slot, slots))
                    .collect(),
            };
            for pos in 0..tree.len() {
                let (g, w) = (got.values(pos, &rollups), want.values(pos, &rollups));
                prop_assert_eq!(format!("{g:?}"), format!("{w:?}"), "at {}", pos);
            }
            // Every ancestor of a contributing unit has its roll-ups.
            for (pos, _, _) in &pending {
                let mut above = tree.parent_of(*pos);
                while let Some(a) = above {
                    prop_assert!(got.slot.get(a).is_some_and(|&s| s != NONE));
                    above = tree.parent_of(a);
                }
            }
        }
    }
}
