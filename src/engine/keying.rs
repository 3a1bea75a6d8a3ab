//! Exact, fast keying of numbers: the range checks of [`Program::bind`] (a percentage
//! within 0–100, a count whole and not negative) and the integer keys of
//! `Encoding::Scaled` (see `keys.rs`), computed from a [`Decimal`]'s mantissa and
//! scale, read once, with integer operations and a table of powers of ten: no `Decimal`
//! arithmetic, no allocation, no division by a variable.
//!
//! The fast path covers mantissas that fit in 64 bits (every value up to about 1.8·10¹⁹
//! units of its last decimal place); a wider mantissa goes to the `Decimal` / `i128`
//! code these functions replace, which stays the reference the property tests compare
//! them with. Both give the same answer for every value.
//!
//! [`Program::bind`]: crate::engine::Program::bind

use rust_decimal::Decimal;

/// Keys from this magnitude on are saturated (2^62: twice it still fits in an `i64`).
const LIMIT: u64 = 1 << 62;

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

    /// The key of the number at scale `s`, `2·⌊v·10^s⌋ + [v·10^s is not whole]` (see
    /// `keys.rs`, `Encoding`), exact when its magnitude is below 2^62 and saturated to
    /// `±i64::MAX` beyond (every key of `keys.rs` saturates long before).
    #[inline(always)]
    pub(super) fn scaled_key(self, s: u32) -> i64 {
        // |key|, or None when it is 2^62 or more.
        let x: Option<i64> = if self.scale <= s {
            // abs·10^d·2, zero for a zero mantissa; past the table (d >= 20) every other
            // value is beyond the limit.
            let d = s - self.scale;
            match POW10.get(d as usize) {
                _ if self.abs == 0 => Some(0),
                Some(&p) => self.abs.checked_mul(p).and_then(|x| x.checked_mul(2)),
                None => None,
            }
            .filter(|x| *x < LIMIT)
            .map(|x| x as i64)
        } else {
            let (q, r) = div_rem_pow10(self.abs, self.scale - s);
            // ⌊-a/p⌋ = -q - [r != 0], so the key of -a is -(2q + [r != 0]).
            (q < LIMIT / 2).then(|| (q as i64) * 2 + i64::from(r != 0))
        };
        match x {
            Some(x) if self.neg => -x,
            Some(x) => x,
            None if self.neg => -i64::MAX,
            None => i64::MAX,
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

#[cfg(test)]
mod tests {
    use super::*;

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

    proptest::proptest! {
        /// The 64-bit key is the exact `2·⌊v·10^s⌋ + [not whole]` below 2^62, and
        /// saturated by sign from there.
        #[test]
        fn the_64_bit_key_is_exact_or_saturated_by_sign(
            m in proptest::num::i64::ANY,
            scale in 0u32..=28,
            s in 0u32..=28,
        ) {
            let v = Decimal::new(m, scale);
            let p = Parts::of(v).unwrap();
            // v·10^s = m·10^s / 10^scale, exactly, in i128 (or beyond it: saturated).
            let exact = if scale <= s {
                10i128.checked_pow(s - scale).and_then(|t| i128::from(m).checked_mul(t))
                    .and_then(|x| x.checked_mul(2))
            } else {
                let t = 10i128.pow(scale - s);
                let m = i128::from(m);
                Some(2 * m.div_euclid(t) + i128::from(m.rem_euclid(t) != 0))
            };
            let limit = 1i128 << 62;
            match exact {
                Some(x) if x.abs() < limit => proptest::prop_assert_eq!(i128::from(p.scaled_key(s)), x),
                _ => proptest::prop_assert_eq!(p.scaled_key(s), if m < 0 { -i64::MAX } else { i64::MAX }),
            }
        }
    }
}
