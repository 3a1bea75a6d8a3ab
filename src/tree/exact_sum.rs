//! Exact sums of decimals: [`ExactSum`], the same as `Decimal::checked_add` term by
//! term in integers while that is exact, and [`MergeSum`], an exact sum of parts that
//! merge in any order into what [`ExactSum`] gives for the terms in code order.

use rust_decimal::Decimal;

/// A sum of decimals, the same as adding them one by one with `Decimal::checked_add` in
/// the same order (same digits, same scale, same overflow), in exact integers while
/// that is exact: the terms are not negative, and every partial sum's mantissa at the
/// larger scale of its two operands fits in the 96 bits of a `Decimal` (so no step of
/// `Decimal`'s addition rounds). Otherwise the sum goes on in `Decimal`.
#[derive(Debug, Clone, Copy)]
pub(super) enum ExactSum {
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

/// 10^n for n up to a `Decimal`'s largest scale (28).
// Evaluated at compile time: an index out of range fails the build, not a run.
#[allow(clippy::indexing_slicing)]
const POW10: [u128; 29] = {
    let mut p = [1u128; 29];
    let mut i = 1;
    while i < 29 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// 10^n as an integer, for n up to a `Decimal`'s largest scale (28).
fn pow10(n: u32) -> Option<u128> {
    POW10.get(n as usize).copied()
}

impl ExactSum {
    /// Adds `v`; `false` when the sum overflows (and is left as it was), as
    /// `checked_add` gives `None`.
    pub(super) fn add(&mut self, v: Decimal) -> bool {
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
    pub(super) fn value(&self) -> Decimal {
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

/// A sum of non-negative decimals, each with its place in code order, kept so that the
/// sums of parts merge, in any order, into the sum of the whole: the same digits and
/// scale as [`ExactSum`] adding every term in code order (hence `Decimal::checked_add`).
/// That holds while the whole is exact: [`MergeSum::add`] and [`MergeSum::merge`] say
/// when it is not (a negative term, or a mantissa past 96 bits), and the caller then
/// adds the terms in order instead.
///
/// Why it is order-free: in code order, a zero added to a zero gives the new term's
/// scale, a zero added to a value leaves it, and values add at the larger of their
/// scales. So the sum is the values' at the largest of their scales, or, when every term
/// is zero, the last zero's scale. Every partial sum of non-negative terms is at most the
/// whole at its scale, so the whole fits when, and only when, no step in order rounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct MergeSum {
    /// The sum of the terms that are not zero, at `scale`, the largest of their scales
    /// (0 while there is none).
    mantissa: u128,
    scale: u32,
    /// The last zero term in code order: its place and scale.
    zero: Option<(usize, u32)>,
}

impl MergeSum {
    /// Adds `v`, the term at place `at` in code order; `false` (and the sum left as it
    /// was) when the whole can no longer be exact.
    pub(super) fn add(&mut self, v: Decimal, at: usize) -> bool {
        if v.is_sign_negative() {
            return false;
        }
        let (m, s) = (v.mantissa().unsigned_abs(), v.scale());
        if m == 0 {
            if self.zero.is_none_or(|(z, _)| at >= z) {
                self.zero = Some((at, s));
            }
            return true;
        }
        self.add_values(m, s)
    }

    /// Adds the terms of `other` (terms at other places than this sum's); `false` (and
    /// the sum left as it was) when the whole can no longer be exact.
    pub(super) fn merge(&mut self, other: &MergeSum) -> bool {
        if other.mantissa != 0 && !self.add_values(other.mantissa, other.scale) {
            return false;
        }
        if let Some((at, s)) = other.zero {
            if self.zero.is_none_or(|(z, _)| at >= z) {
                self.zero = Some((at, s));
            }
        }
        true
    }

    /// Adds a value that is not zero.
    fn add_values(&mut self, m: u128, s: u32) -> bool {
        if self.mantissa == 0 {
            (self.mantissa, self.scale) = (m, s);
            return true;
        }
        if s == self.scale {
            let sum = self
                .mantissa
                .checked_add(m)
                .filter(|&sum| sum <= MAX_MANTISSA);
            if let Some(sum) = sum {
                self.mantissa = sum;
            }
            return sum.is_some();
        }
        let to = self.scale.max(s);
        let sum = pow10(to - self.scale)
            .and_then(|p| self.mantissa.checked_mul(p))
            .zip(pow10(to - s).and_then(|p| m.checked_mul(p)))
            .and_then(|(a, b)| a.checked_add(b))
            .filter(|&sum| sum <= MAX_MANTISSA);
        match sum {
            Some(sum) => {
                (self.mantissa, self.scale) = (sum, to);
                true
            }
            None => false,
        }
    }

    /// Whether a term was added.
    pub(super) fn has_terms(&self) -> bool {
        self.mantissa != 0 || self.zero.is_some()
    }

    /// The sum as an [`ExactSum`] (the default, zero, without terms).
    pub(super) fn exact(&self) -> ExactSum {
        let (mantissa, scale) = match self.zero {
            Some((_, s)) if self.mantissa == 0 => (0, s),
            _ => (self.mantissa, self.scale),
        };
        ExactSum::Exact { mantissa, scale }
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

    proptest! {
        /// Sums of parts, each added in reverse and merged in any order, are the sum in
        /// code order, digit for digit; and they are exact exactly when the sum in code
        /// order stays in integers.
        #[test]
        fn merged_sums_of_parts_are_the_sum_in_code_order(
            terms in prop::collection::vec((term(), 0usize..4), 0..40),
            merge_order in Just([0usize, 1, 2, 3]).prop_shuffle(),
        ) {
            let mut sequential = ExactSum::default();
            let mut in_integers = true;
            for (t, _) in &terms {
                in_integers &= sequential.add(*t) && matches!(sequential, ExactSum::Exact { .. });
            }
            let mut parts = [MergeSum::default(); 4];
            let mut exact = true;
            for (at, (t, part)) in terms.iter().enumerate().rev() {
                exact &= parts[*part].add(*t, at);
            }
            let mut whole = MergeSum::default();
            for i in merge_order {
                exact &= whole.merge(&parts[i]);
            }
            prop_assert_eq!(exact, in_integers);
            if exact {
                let (got, want) = (whole.exact().value(), sequential.value());
                prop_assert_eq!(got.to_string(), want.to_string());
                prop_assert_eq!(got.scale(), want.scale());
                prop_assert_eq!(whole.has_terms(), !terms.is_empty());
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
