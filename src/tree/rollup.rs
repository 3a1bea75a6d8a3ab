//! Roll-ups of one indicator of the units at one level into every unit above them (sum,
//! weighted rate, minimum, maximum), in one pass over the contributions.

use crate::model::{UnitCode, Value};
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::{RollUp, RollUpMethod, UnitInput};
use crate::tree::summary::{LeftOut, NoValue, RollUpValue};
use crate::tree::view::State;
use rust_decimal::Decimal;

/// What one unit at a roll-up's level brings to the roll-ups of its ancestors.
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
    acc: Option<Decimal>,
    weights: Decimal,
    missing_value: Vec<UnitCode>,
    missing_weight: Vec<UnitCode>,
    left_out: Vec<LeftOut>,
    overflow: bool,
}

impl RollUpAcc {
    /// Adds the contribution of one unit below (units are added in code order).
    fn add(&mut self, method: &RollUpMethod, code: &UnitCode, c: &Contribution) {
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
        let step = match method {
            RollUpMethod::Sum => Some(self.acc.unwrap_or_default().checked_add(v)),
            RollUpMethod::Minimum => Some(Some(self.acc.map_or(v, |a| a.min(v)))),
            RollUpMethod::Maximum => Some(Some(self.acc.map_or(v, |a| a.max(v)))),
            RollUpMethod::Rate { .. } => match w {
                Some(w) => match (product, self.weights.checked_add(w)) {
                    (Some(p), Some(ws)) => {
                        self.weights = ws;
                        Some(self.acc.unwrap_or_default().checked_add(p))
                    }
                    _ => Some(None),
                },
                None => {
                    self.missing_weight.push(code.clone());
                    None
                }
            },
        };
        match step {
            Some(Some(a)) => self.acc = Some(a),
            Some(None) => self.overflow = true,
            None => {}
        }
    }

    /// The roll-up value.
    fn finish(&self, r: &RollUp) -> RollUpValue {
        let RollUpAcc {
            units,
            acc,
            weights,
            missing_value,
            missing_weight,
            left_out,
            overflow,
        } = self;
        let (units, acc, weights, overflow) = (*units, *acc, *weights, *overflow);
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

/// Every roll-up of every unit with children, in one pass: each contribution of a unit
/// at a roll-up's level (recorded by [`contribute`]) is added to each of its ancestors.
/// The contributions to one roll-up come in code order, so each ancestor adds its
/// descendants in code order: the same terms in the same order as a scan of its
/// descendants, hence the same decimal sums (which round beyond 28 digits and overflow
/// depending on the order of the terms) and the same lists of units without a value.
#[derive(Debug)]
pub(super) struct RollUps {
    /// Position → slot of a unit with children.
    slot: Vec<Option<usize>>,
    /// Per roll-up, per slot.
    accs: Vec<Vec<RollUpAcc>>,
}

impl RollUps {
    pub(super) fn new(
        tree: &Hierarchy,
        rollups: &[RollUp],
        pending: impl IntoIterator<Item = (usize, usize, Contribution)>,
    ) -> RollUps {
        let mut parents = 0;
        // Only a unit above the lowest level rolled up has descendants to roll up (levels
        // go strictly down the tree); the others' roll-ups are empty.
        let lowest = rollups.iter().map(|r| r.from).min();
        let slot: Vec<Option<usize>> = (0..tree.len())
            .map(|pos| {
                let above = tree
                    .at(pos)
                    .is_some_and(|u| lowest.is_some_and(|l| u.level > l));
                (above && !tree.children_of(pos).is_empty()).then(|| {
                    parents += 1;
                    parents - 1
                })
            })
            .collect();
        let mut accs: Vec<Vec<RollUpAcc>> = rollups
            .iter()
            .map(|_| {
                let mut accs = Vec::new();
                accs.resize_with(parents, RollUpAcc::default);
                accs
            })
            .collect();
        for (pos, k, c) in pending {
            let (Some(r), Some(accs), Some(unit)) = (rollups.get(k), accs.get_mut(k), tree.at(pos))
            else {
                continue;
            };
            let mut above = tree.parent_of(pos);
            while let Some(a) = above {
                let at = slot.get(a).copied().flatten();
                if let Some(acc) = at.and_then(|i| accs.get_mut(i)) {
                    acc.add(&r.method, &unit.code, &c);
                }
                above = tree.parent_of(a);
            }
        }
        RollUps { slot, accs }
    }

    /// The roll-up values of the unit at a position (each taken once).
    pub(super) fn take(&mut self, pos: usize, rollups: &[RollUp]) -> Vec<RollUpValue> {
        let at = self.slot.get(pos).copied().flatten();
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
        let at = self.slot.get(pos).copied().flatten();
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
