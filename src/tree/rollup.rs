//! Roll-ups of one indicator of the units at one level into every unit above them (sum,
//! weighted rate, minimum, maximum), in one pass over the contributions.

use crate::model::{AdminUnit, UnitCode, Value};
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

/// A sum of decimals, the same as adding them one by one with `Decimal::checked_add` in
/// the same order (same digits, same scale, same overflow), in exact integers while
/// that is exact: the terms are not negative, and every partial sum's mantissa at the
/// larger scale of its two operands fits in the 96 bits of a `Decimal` (so no step of
/// `Decimal`'s addition rounds). Otherwise the sum goes on in `Decimal`.
#[derive(Debug, Clone, Copy)]
enum ExactSum {
    /// A mantissa that fits a `Decimal`, at its scale.
    Exact { mantissa: u128, scale: u32 },
    /// The sum in `Decimal`, from the first term that is not exact on.
    Decimal(Decimal),
}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum::Exact {
            mantissa: 0,
            scale: 0,
        }
    }
}

/// The largest mantissa of a `Decimal` (96 bits).
const MAX_MANTISSA: u128 = (1 << 96) - 1;

/// 10^n as an integer, for n up to a `Decimal`'s largest scale (28).
fn pow10(n: u32) -> Option<u128> {
    10u128.checked_pow(n)
}

impl ExactSum {
    /// Adds `v`; `false` when the sum overflows (and is left as it was), as
    /// `checked_add` gives `None`.
    fn add(&mut self, v: Decimal) -> bool {
        if let ExactSum::Exact { mantissa, scale } = *self {
            if let Some(next) = exact_add(mantissa, scale, v) {
                *self = next;
                return true;
            }
            match Decimal::try_from_i128_with_scale(mantissa as i128, scale) {
                Ok(d) => *self = ExactSum::Decimal(d),
                // INVARIANT: an exact sum fits a `Decimal` (checked as it is made).
                Err(_) => return false,
            }
        }
        match self {
            ExactSum::Decimal(d) => match d.checked_add(v) {
                Some(sum) => {
                    *d = sum;
                    true
                }
                None => false,
            },
            ExactSum::Exact { .. } => false,
        }
    }

    /// The sum.
    fn value(&self) -> Decimal {
        match *self {
            // A mantissa of at most 96 bits and a scale of at most 28 (checked as the sum
            // is made): `try_from` cannot fail.
            ExactSum::Exact { mantissa, scale } => {
                Decimal::try_from_i128_with_scale(mantissa as i128, scale).unwrap_or_default()
            }
            ExactSum::Decimal(d) => d,
        }
    }
}

/// `mantissa` at `scale` plus `v`, as `Decimal`'s addition gives it, when that is exact
/// and `v` is not negative (`None` otherwise). As `Decimal` does, adding to a zero gives
/// the term itself (its scale, a zero's too), and adding a zero leaves the sum as it is.
fn exact_add(mantissa: u128, scale: u32, v: Decimal) -> Option<ExactSum> {
    if v.is_sign_negative() {
        return None;
    }
    let (vm, vs) = (v.mantissa().unsigned_abs(), v.scale());
    if vs == scale && mantissa != 0 {
        let sum = mantissa.checked_add(vm).filter(|&m| m <= MAX_MANTISSA)?;
        return Some(ExactSum::Exact {
            mantissa: sum,
            scale,
        });
    }
    if mantissa == 0 {
        return Some(ExactSum::Exact {
            mantissa: vm,
            scale: vs,
        });
    }
    if vm == 0 {
        return Some(ExactSum::Exact { mantissa, scale });
    }
    let s = scale.max(vs);
    let a = mantissa.checked_mul(pow10(s - scale)?)?;
    let b = vm.checked_mul(pow10(s - vs)?)?;
    let sum = a.checked_add(b).filter(|&m| m <= MAX_MANTISSA)?;
    Some(ExactSum::Exact {
        mantissa: sum,
        scale: s,
    })
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
                let above = || {
                    tree.at(pos)
                        .is_some_and(|u| lowest.is_some_and(|l| u.level > l))
                };
                (!tree.children_of(pos).is_empty() && above()).then(|| {
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
                    acc.add(&r.method, unit, &c);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn term() -> impl Strategy<Value = Decimal> {
        let mantissa = (0u128..=MAX_MANTISSA, 0u32..=28)
            .prop_map(|(m, s)| Decimal::from_i128_with_scale(m as i128, s));
        prop_oneof![
            4 => (0i64..100_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
            2 => (0i64..=i64::MAX, 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            2 => mantissa,
            1 => (i64::MIN..0, 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => (0u32..=28).prop_map(|s| Decimal::new(0, s)),
            1 => (0u32..=28).prop_map(|s| -Decimal::new(0, s)),
            1 => Just(Decimal::MAX),
        ]
    }

    proptest! {
        /// The exact sum is `Decimal`'s sum term by term: the same digits and scale,
        /// sign (of a zero too), and the same overflows.
        #[test]
        fn exact_sums_are_decimal_sums_digit_for_digit(
            terms in prop::collection::vec(term(), 0..40)
        ) {
            let mut exact = ExactSum::default();
            let mut sum = Decimal::default();
            for t in terms {
                let want = sum.checked_add(t);
                prop_assert_eq!(exact.add(t), want.is_some(), "{} + {}", sum, t);
                if let Some(w) = want {
                    sum = w;
                }
                let got = exact.value();
                prop_assert_eq!(got, sum);
                prop_assert_eq!(got.to_string(), sum.to_string());
                prop_assert_eq!(got.scale(), sum.scale());
                prop_assert_eq!(got.is_sign_negative(), sum.is_sign_negative());
            }
        }
    }

    #[test]
    fn sums_of_ordinary_values_stay_in_integers() {
        let mut exact = ExactSum::default();
        for v in ["12.5", "0", "3", "0.25", "1000000"] {
            assert!(exact.add(v.parse().unwrap_or_default()));
        }
        assert!(matches!(exact, ExactSum::Exact { .. }), "{exact:?}");
        assert_eq!(exact.value().to_string(), "1000015.75");
        // A negative term: the sum goes on in `Decimal`, with the same value.
        assert!(exact.add(Decimal::new(-5, 1)));
        assert!(matches!(exact, ExactSum::Decimal(_)), "{exact:?}");
        assert_eq!(exact.value().to_string(), "1000015.25");
        // Zeros keep `Decimal`'s scales: a zero added to a zero is the term, a zero
        // added to a value leaves it.
        let mut zeros = ExactSum::default();
        assert!(zeros.add(Decimal::new(0, 1)));
        assert_eq!(zeros.value().to_string(), "0.0");
        assert!(zeros.add(Decimal::new(5, 0)) && zeros.add(Decimal::new(0, 3)));
        assert_eq!(zeros.value().to_string(), "5");
    }
}
