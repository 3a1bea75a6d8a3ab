//! Exact, fast keying of numbers: the range checks of [`Program::bind`] (a percentage
//! within 0–100, a count whole and not negative) and the integer keys of
//! [`Encoding::Scaled`] (see `keys.rs`), computed from a [`Decimal`]'s mantissa and
//! scale, read once, with integer operations and a table of powers of ten: no `Decimal`
//! arithmetic, no allocation, no division by a variable.
//!
//! The fast path covers mantissas that fit in 64 bits (every value up to about 1.8·10¹⁹
//! units of its last decimal place); a wider mantissa goes to the `Decimal` / `i128`
//! code these functions replace, which stays the reference the property tests compare
//! them with. Both give the same answer for every value.
//!
//! [`Program::bind`]: crate::engine::Program::bind

use crate::engine::keys::{Encoding, HIGH, LOW, MISSING};
use crate::engine::program::SlotKind;
use rust_decimal::Decimal;

/// The largest scale of a `Decimal`.
const MAX_SCALE: u32 = 28;

/// `10^i` for `i` in `0..=19`, every power of ten that fits in a `u64`.
const POW10: [u64; 20] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
];

/// `(a / 10^d, a % 10^d)` for `d` in `0..=19`, each arm dividing by a constant (a
/// multiplication and a shift, not a division instruction); `(0, a)` for `d >= 20`,
/// where `10^d` exceeds every `u64`.
#[inline]
fn div_rem_pow10(a: u64, d: u32) -> (u64, u64) {
    macro_rules! arms {
        ($($d:literal => $p:literal),* $(,)?) => {
            match d {
                0 => (a, 0),
                $($d => (a / $p, a % $p),)*
                _ => (0, a),
            }
        };
    }
    arms!(
        1 => 10, 2 => 100, 3 => 1_000, 4 => 10_000, 5 => 100_000, 6 => 1_000_000,
        7 => 10_000_000, 8 => 100_000_000, 9 => 1_000_000_000, 10 => 10_000_000_000,
        11 => 100_000_000_000, 12 => 1_000_000_000_000, 13 => 10_000_000_000_000,
        14 => 100_000_000_000_000, 15 => 1_000_000_000_000_000,
        16 => 10_000_000_000_000_000, 17 => 100_000_000_000_000_000,
        18 => 1_000_000_000_000_000_000, 19 => 10_000_000_000_000_000_000,
    )
}

/// A number as `±abs / 10^scale`, when its mantissa fits in 64 bits. `neg` is the sign
/// of the mantissa, so a negative zero is not negative (as `Decimal` compares it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Parts {
    neg: bool,
    abs: u64,
    scale: u32,
}

impl Parts {
    /// The parts of `v`; `None` when its mantissa does not fit in 64 bits.
    #[inline(always)]
    pub(super) fn of(v: Decimal) -> Option<Parts> {
        // The 96-bit mantissa, the scale and the sign, as `Decimal` lays them out: flags
        // (scale in bits 16-23, sign in bit 31), then lo, mid, hi, little-endian.
        let b = v.serialize();
        let word = |i: usize| {
            let mut w = [0u8; 4];
            if let Some(s) = b.get(i..i + 4) {
                w.copy_from_slice(s);
            }
            u32::from_le_bytes(w)
        };
        let (flags, lo, mid, hi) = (word(0), word(4), word(8), word(12));
        let scale = (flags >> 16) & 0xFF;
        if hi != 0 || scale > MAX_SCALE {
            return None;
        }
        let abs = u64::from(lo) | (u64::from(mid) << 32);
        Some(Parts {
            neg: flags >> 31 != 0 && abs != 0,
            abs,
            scale,
        })
    }

    /// Whether the number is within 0–100.
    #[inline]
    pub(super) fn is_percent(self) -> bool {
        // v <= 100 exactly when abs <= 10^(scale + 2); past the table, 10^(scale + 2)
        // exceeds every u64.
        !self.neg
            && POW10
                .get(self.scale as usize + 2)
                .is_none_or(|&p| self.abs <= p)
    }

    /// Whether the number is whole and not negative.
    #[inline]
    pub(super) fn is_count(self) -> bool {
        !self.neg && div_rem_pow10(self.abs, self.scale).1 == 0
    }

    /// The key of the number at scale `s`: `2·⌊v·10^s⌋ + [v·10^s is not whole]`,
    /// saturated to `LOW..=HIGH` (see [`Encoding`]).
    #[inline(always)]
    pub(super) fn scaled_key(self, s: u32) -> i32 {
        // |x| of the unsaturated key, or None when it is beyond the key range anyway.
        let x: Option<i64> = if self.scale <= s {
            // abs·10^d·2: 10^10 > HIGH, so from d = 10 every non-zero value saturates.
            let d = s - self.scale;
            match POW10.get(d as usize) {
                _ if self.abs == 0 => Some(0),
                Some(&p) if d <= 9 => self
                    .abs
                    .checked_mul(p * 2)
                    .and_then(|x| i64::try_from(x).ok()),
                _ => None,
            }
        } else {
            let (q, r) = div_rem_pow10(self.abs, self.scale - s);
            // ⌊-a/p⌋ = -q - [r != 0], so the key of -a is -(2q + [r != 0]).
            i64::try_from(q)
                .ok()
                .and_then(|q| q.checked_mul(2))
                .map(|x| x | i64::from(r != 0))
        };
        match x {
            Some(x) => {
                let x = if self.neg { -x } else { x };
                x.clamp(i64::from(LOW), i64::from(HIGH)) as i32
            }
            None if self.neg => LOW,
            None => HIGH,
        }
    }
}

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
            Key::Scaled(s) if ok => Some(p.scaled_key(s)),
            Key::Constant if ok => Some(MISSING),
            _ => None,
        }
    }
}

/// Whether `d` is within 0–100, as [`Program::bind`] checks a percentage.
///
/// [`Program::bind`]: crate::engine::Program::bind
#[inline]
pub(super) fn is_percent(d: Decimal) -> bool {
    match Parts::of(d) {
        Some(p) => p.is_percent(),
        None => d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED,
    }
}

/// Whether `d` is whole and not negative, as [`Program::bind`] checks a count.
///
/// [`Program::bind`]: crate::engine::Program::bind
#[inline]
pub(super) fn is_count(d: Decimal) -> bool {
    match Parts::of(d) {
        Some(p) => p.is_count(),
        None => d >= Decimal::ZERO && d.fract().is_zero(),
    }
}

/// The key of `v` at scale `s` (see [`Encoding`]), saturated to `LOW..=HIGH`.
#[inline]
pub(crate) fn scaled_key(v: Decimal, s: u32) -> i32 {
    match Parts::of(v) {
        Some(p) => p.scaled_key(s),
        None => wide_scaled_key(v, s),
    }
}

/// [`scaled_key`] in `i128` from the whole mantissa: the path of mantissas wider than
/// 64 bits, and the reference of the fast one.
fn wide_scaled_key(v: Decimal, s: u32) -> i32 {
    let m = v.mantissa();
    let e = v.scale();
    let wide = if e <= s {
        s.checked_sub(e)
            .and_then(|d| 10i128.checked_pow(d))
            .and_then(|p| m.checked_mul(p))
            .and_then(|x| x.checked_mul(2))
    } else {
        // INVARIANT: e - s <= 28, so the divisor fits and is not zero.
        e.checked_sub(s)
            .and_then(|d| 10i128.checked_pow(d))
            .filter(|d| *d > 0)
            .and_then(|d| {
                let q = m.div_euclid(d);
                let fraction = i128::from(m.rem_euclid(d) != 0);
                q.checked_mul(2).and_then(|x| x.checked_add(fraction))
            })
    };
    match wide {
        Some(x) => i32::try_from(x.clamp(i128::from(LOW), i128::from(HIGH))).unwrap_or(HIGH),
        None if m < 0 => LOW,
        None => HIGH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
                p.scaled_key(s),
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

    #[test]
    fn power_of_ten_table_is_exact() {
        for (i, p) in POW10.iter().enumerate() {
            assert_eq!(u128::from(*p), 10u128.pow(i as u32));
        }
    }

    #[test]
    fn power_of_ten_division_is_exact() {
        for a in [
            0,
            1,
            9,
            10,
            11,
            999,
            u64::from(u32::MAX),
            u64::MAX - 1,
            u64::MAX,
        ] {
            for d in 0..=25u32 {
                let p = 10u128.pow(d);
                let (q, r) = div_rem_pow10(a, d);
                assert_eq!(u128::from(q), u128::from(a) / p);
                assert_eq!(u128::from(r), u128::from(a) % p);
            }
        }
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
