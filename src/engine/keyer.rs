//! The keyer of a number column: the slot's range check and encoding worked out once
//! per column, then each value checked and keyed from its mantissa and scale
//! (`keying.rs`) with no `Decimal` arithmetic, no allocation and no error built on the
//! good path. What it does not key (a bad value, a mantissa wider than 64 bits, a
//! threshold keyed by sign) it leaves to the general path of [`Program::bind`], which
//! also makes the error of a bad value.
//!
//! [`Program::bind`]: crate::engine::Program::bind

use crate::engine::keying::Parts;
use crate::engine::keys::{saturate, Encoding, MISSING};
use crate::engine::program::SlotKind;
use rust_decimal::Decimal;

/// How the values of one number column are checked and keyed, worked out once per
/// column (the slot's range and encoding) instead of per value.
#[derive(Debug, Clone, Copy)]
pub(super) struct NumberKeyer {
    range: Range,
    key: Key,
}

#[derive(Debug, Clone, Copy)]
enum Range {
    Any,
    Percent,
    Count,
}

#[derive(Debug, Clone, Copy)]
enum Key {
    Scaled(u32),
    Constant,
    /// Another encoding ([`Encoding::Sign`]): keyed by the general path.
    General,
}

impl NumberKeyer {
    /// The keyer of a slot of `kind` with `encoding`; `None` when the slot does not take
    /// numbers.
    pub(super) fn new(kind: &SlotKind, encoding: &Encoding) -> Option<NumberKeyer> {
        let range = match kind {
            SlotKind::Decimal { percent: true } => Range::Percent,
            SlotKind::Decimal { percent: false } => Range::Any,
            SlotKind::Count => Range::Count,
            SlotKind::YesNo | SlotKind::Grade(_) => return None,
        };
        let key = match encoding {
            Encoding::Scaled(s) => Key::Scaled(*s),
            Encoding::Constant => Key::Constant,
            _ => Key::General,
        };
        Some(NumberKeyer { range, key })
    }

    /// The key of `v` when it is in range and keyed here; `None` when it is out of
    /// range, its mantissa is wider than 64 bits or the encoding is keyed by the
    /// general path: the caller then checks and keys it as [`Program::bind`] does
    /// (which also makes the error of a bad value).
    ///
    /// [`Program::bind`]: crate::engine::Program::bind
    #[inline]
    pub(super) fn key(self, v: Decimal) -> Option<i32> {
        let p = Parts::of(v)?;
        let ok = match self.range {
            Range::Any => true,
            Range::Percent => p.is_percent(),
            Range::Count => p.is_count(),
        };
        match self.key {
            Key::Scaled(s) if ok => Some(saturate(p.scaled_key(s))),
            Key::Constant if ok => Some(MISSING),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keying::{is_count, is_percent};
    use crate::engine::keys::{scaled_key, wide_scaled_key};
    use proptest::prelude::*;
    use std::sync::Arc;

    /// The range checks as `Program::bind` made them before, in `Decimal`.
    fn reference_in_range(kind: &SlotKind, d: Decimal) -> bool {
        match kind {
            SlotKind::Decimal { percent: true } => d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED,
            SlotKind::Decimal { percent: false } => true,
            SlotKind::Count => d >= Decimal::ZERO && d.fract().is_zero(),
            SlotKind::YesNo | SlotKind::Grade(_) => false,
        }
    }

    /// A mantissa of up to 96 bits, weighted towards the interesting places: small,
    /// around the 32- and 64-bit limits and anywhere up to 2^96 - 1.
    fn mantissa() -> impl Strategy<Value = u128> {
        let max = (1u128 << 96) - 1;
        prop_oneof![
            0u128..2_000,
            any::<u32>().prop_map(u128::from),
            any::<u64>().prop_map(u128::from),
            (0u128..64).prop_map(|k| u128::from(u64::MAX) - 32 + k),
            (0u128..=max),
            (0u128..64).prop_map(move |k| max - k),
            // Multiples of powers of ten: whole numbers and values on thresholds at
            // every scale.
            (0u128..1_000, 0u32..=28).prop_map(|(m, p)| m * 10u128.pow(p)),
        ]
    }

    fn decimal() -> impl Strategy<Value = Decimal> {
        (mantissa(), any::<bool>(), 0u32..=28).prop_map(|(m, negative, scale)| {
            Decimal::from_parts(
                m as u32,
                (m >> 32) as u32,
                (m >> 64) as u32,
                negative,
                scale,
            )
        })
    }

    /// The range edges and the places where the fast path changes arithmetic, at
    /// every scale.
    fn edges() -> Vec<Decimal> {
        let mut v = Vec::new();
        for scale in 0..=28u32 {
            for m in [0u128, 1, 99, 100, 101, 9_999, 10_000, 10_001] {
                for p in [
                    0,
                    1,
                    2,
                    scale.saturating_sub(1),
                    scale,
                    scale + 1,
                    scale + 2,
                ] {
                    let Some(m) = 10u128.checked_pow(p).and_then(|x| x.checked_mul(m)) else {
                        continue;
                    };
                    for m in [m.saturating_sub(1), m, m + 1] {
                        for neg in [false, true] {
                            if let Ok(d) = Decimal::try_from_i128_with_scale(
                                if neg { -(m as i128) } else { m as i128 },
                                scale,
                            ) {
                                v.push(d);
                            }
                        }
                    }
                }
            }
            for m in [
                u128::from(u64::MAX),
                u128::from(u64::MAX) + 1,
                (1 << 96) - 1,
            ] {
                v.push(Decimal::from_parts(
                    m as u32,
                    (m >> 32) as u32,
                    (m >> 64) as u32,
                    false,
                    scale,
                ));
            }
            // Negative zero.
            v.push(Decimal::from_parts(0, 0, 0, true, scale));
        }
        v.extend([
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ONE_HUNDRED,
            Decimal::ZERO,
        ]);
        v
    }

    fn kinds() -> [SlotKind; 4] {
        [
            SlotKind::Decimal { percent: true },
            SlotKind::Decimal { percent: false },
            SlotKind::Count,
            SlotKind::Grade(Arc::from(vec!["a".to_owned()])),
        ]
    }

    /// The fast key and checks of `v` agree with the reference ones.
    fn agrees(v: Decimal, s: u32) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            scaled_key(v, s),
            wide_scaled_key(v, s),
            "{} at scale {}",
            v,
            s
        );
        if let Some(p) = Parts::of(v) {
            prop_assert_eq!(
                saturate(p.scaled_key(s)),
                wide_scaled_key(v, s),
                "{} at scale {}",
                v,
                s
            );
        }
        prop_assert_eq!(
            is_percent(v),
            v >= Decimal::ZERO && v <= Decimal::ONE_HUNDRED,
            "{}",
            v
        );
        prop_assert_eq!(
            is_count(v),
            v >= Decimal::ZERO && v.fract().is_zero(),
            "{}",
            v
        );
        for kind in kinds() {
            for encoding in [Encoding::Scaled(s), Encoding::Constant] {
                let reference = reference_in_range(&kind, v).then(|| match encoding {
                    Encoding::Scaled(s) => wide_scaled_key(v, s),
                    _ => MISSING,
                });
                match NumberKeyer::new(&kind, &encoding).and_then(|k| k.key(v)) {
                    // Keyed here: exactly as before.
                    Some(key) => prop_assert_eq!(Some(key), reference, "{} {:?}", v, kind),
                    // Left to the general path: a bad value, or a wide mantissa.
                    None => prop_assert!(reference.is_none() || Parts::of(v).is_none()),
                }
            }
        }
        Ok(())
    }

    #[test]
    fn fast_keys_and_checks_equal_the_reference_on_the_edges() {
        for v in edges() {
            for s in 0..=28 {
                agrees(v, s).unwrap();
            }
        }
    }

    #[test]
    fn sign_encoding_is_left_to_the_general_path() {
        let keyer = NumberKeyer::new(&SlotKind::Count, &Encoding::Sign(Decimal::MAX));
        assert_eq!(keyer.and_then(|k| k.key(Decimal::ONE)), None);
        assert!(NumberKeyer::new(&SlotKind::YesNo, &Encoding::Flag).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn fast_keys_and_checks_equal_the_reference(v in decimal(), s in 0u32..=28) {
            agrees(v, s)?;
        }

        /// Values on a threshold `t` and one unit of a finer scale either side of it,
        /// written with more decimal places than the threshold has.
        #[test]
        fn values_on_and_beside_a_threshold_key_as_before(
            t in -100_000i64..100_000,
            s in 0u32..=10,
            extra in 0u32..=18,
        ) {
            let at = i128::from(t) * 10i128.pow(extra);
            for m in [at - 1, at, at + 1] {
                let v = Decimal::from_i128_with_scale(m, s + extra);
                agrees(v, s)?;
                let t = Decimal::new(t, s);
                // The key orders the value as the threshold's key does.
                let k = scaled_key(v, s);
                let tk = scaled_key(t, s);
                prop_assert_eq!(k.cmp(&tk), v.cmp(&t));
            }
        }
    }
}
