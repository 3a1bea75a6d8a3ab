//! The exact integer-key kernel, in one place: how a resolved threshold becomes an
//! integer test (`fast_check`), how a checked value becomes an integer key
//! ([`Encoding::key`]), and how a group of keys is counted into a three-valued outcome
//! (packed tallies). No floating point, and exact: see [`Encoding`] and `DESIGN.md`,
//! "Performance".

use crate::engine::assessment::{IndicatorOutcome, Outcome, UndeterminedReason};
use crate::engine::keying::Parts;
use crate::model::Requirement;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Key of a value that is missing, or present but read against an undetermined
/// threshold.
pub(super) const MISSING: i32 = i32::MIN;
/// Key of a value that is "not applicable".
pub(crate) const NOT_APPLICABLE: i32 = i32::MIN + 1;
/// Key of a value that can never meet its slot (a kind the slot's check does not read;
/// unreachable through [`Program::bind`], which checks kinds).
pub(crate) const NEVER: i32 = i32::MIN + 2;
/// Smallest key of a present value; every test range starts at or above it.
pub(crate) const LOW: i32 = i32::MIN + 3;
/// Largest key of a present value.
pub(crate) const HIGH: i32 = i32::MAX - 1;
/// Start of the empty test range: no key is ever this.
const IMPOSSIBLE: i32 = i32::MAX;

/// How a slot's values become `i32` keys that order exactly like the values do
/// relative to the slot's one threshold.
///
/// For numbers with a threshold `t = T / 10^s` (normalised, `T` an integer), a value
/// `v` has the key `2·⌊v·10^s⌋ + [v·10^s is not whole]`, saturated to
/// [`LOW`]`..=`[`HIGH`], and the threshold the key `2·T`. Whole multiples of `10^-s`
/// land on even keys and anything between two of them on the odd key between, so
/// `v < t`, `v = t`, `v > t` exactly when `key < 2T`, `key = 2T`, `key > 2T`, whatever
/// the number of decimal places of `v` (80.00 and 80 both give `2·80`). Saturation
/// keeps the order because `2T` lies strictly inside the key range. A threshold whose
/// `2T` does not fit is compared in [`Decimal`] at bind time and keyed by the sign of
/// `v − t` against a threshold key of 0, which is just as exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Encoding {
    /// Numbers at a decimal scale: see the type's docs.
    Scaled(u32),
    /// Numbers keyed by the sign of the difference with this threshold.
    Sign(Decimal),
    /// Yes/no: 0 or 1.
    Flag,
    /// Grades by rank.
    Rank,
    /// Grades: 1 if the rank is one of these, else 0.
    Member(Vec<u32>),
    /// The threshold is undetermined: every value but "not applicable" has the key
    /// [`MISSING`], and is undetermined like a missing value.
    Constant,
}

/// A slot's integer test: met when `low <= key <= low + width`, checked with one
/// unsigned comparison, `key.wrapping_sub(low) as u32 <= width`. Every range lies in
/// [`LOW`]`..=`[`HIGH`], so the sentinel keys never meet it; the empty range starts at
/// a value no key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Test {
    pub(crate) low: i32,
    pub(crate) width: u32,
}

impl Test {
    const EMPTY: Test = Test {
        low: IMPOSSIBLE,
        width: 0,
    };

    /// The test `low <= key <= high`, for `LOW <= low <= high <= HIGH`; empty otherwise.
    fn range(low: i32, high: i32) -> Test {
        if low < LOW || high > HIGH || low > high {
            return Test::EMPTY;
        }
        Test {
            low,
            width: high.wrapping_sub(low) as u32,
        }
    }

    /// Whether `key` meets the test.
    #[inline(always)]
    pub(crate) fn meets(self, key: i32) -> bool {
        key.wrapping_sub(self.low) as u32 <= self.width
    }
}

/// A criterion (or the preconditions) as a slot range and the number of met
/// indicators it needs: `u32::MAX` for "all", capped at the applicable count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Group {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) need: u32,
}

/// The key of `v` at scale `s` (see [`Encoding`]), saturated to `LOW..=HIGH`: from
/// the mantissa and scale in 64-bit integers (`keying.rs`) when the mantissa fits.
#[inline]
pub(crate) fn scaled_key(v: Decimal, s: u32) -> i32 {
    match Parts::of(v) {
        Some(p) => saturate(p.scaled_key(s)),
        None => wide_scaled_key(v, s),
    }
}

/// A key computed in `i64`, saturated to `LOW..=HIGH`.
#[inline(always)]
pub(super) fn saturate(x: i64) -> i32 {
    x.clamp(i64::from(LOW), i64::from(HIGH)) as i32
}

/// [`scaled_key`] in `i128` from the whole mantissa, as it was computed for every
/// value before `keying.rs`: the path of mantissas wider than 64 bits, and the
/// reference the fast path is tested against.
pub(super) fn wide_scaled_key(v: Decimal, s: u32) -> i32 {
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

/// The encoding and integer test of a slot's resolved threshold under its requirement.
pub(super) fn fast_check(check: &Check, requirement: Requirement) -> (Encoding, Test) {
    let range = |req: Requirement, t: i32| {
        // INVARIANT: LOW < t < HIGH, so t ± 1 stays in range.
        let (low, high) = match req {
            Requirement::AtLeast => (t, HIGH),
            Requirement::Above => (t.saturating_add(1), HIGH),
            Requirement::AtMost => (LOW, t),
            Requirement::Below => (LOW, t.saturating_sub(1)),
            Requirement::Equal => (t, t),
            // compile refuses one_of with numbers and single grades: never met.
            Requirement::OneOf => return Test::EMPTY,
        };
        Test::range(low, high)
    };
    match check {
        Check::Number(t) => {
            let n = t.normalize();
            let key = i32::try_from(n.mantissa())
                .ok()
                .and_then(|m| m.checked_mul(2))
                .filter(|k| *k > LOW && *k < HIGH);
            match key {
                Some(k) => (Encoding::Scaled(n.scale()), range(requirement, k)),
                None => (Encoding::Sign(*t), range(requirement, 0)),
            }
        }
        Check::Flag(b) => (Encoding::Flag, range(Requirement::Equal, i32::from(*b))),
        Check::Grade(g) => match i32::try_from(*g).ok().filter(|g| *g < HIGH) {
            Some(g) => (Encoding::Rank, range(requirement, g)),
            None => (Encoding::Rank, Test::EMPTY),
        },
        Check::Grades(gs) => (Encoding::Member(gs.clone()), range(Requirement::Equal, 1)),
        Check::Undetermined(_) => (Encoding::Constant, Test::EMPTY),
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Check {
    Number(Decimal),
    Flag(bool),
    /// Rank of the threshold grade in the indicator's list.
    Grade(u32),
    /// Ranks of the accepted grades.
    Grades(Vec<u32>),
    Undetermined(UndeterminedReason),
}

/// A value checked against its slot's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Input {
    Missing,
    NotApplicable,
    Number(Decimal),
    Flag(bool),
    Grade(u32),
}

impl Encoding {
    /// The key of a checked input (see [`Encoding`]).
    #[inline]
    pub(super) fn key(&self, input: Input) -> i32 {
        match (self, input) {
            (_, Input::Missing) => MISSING,
            (_, Input::NotApplicable) => NOT_APPLICABLE,
            (Encoding::Constant, _) => MISSING,
            (Encoding::Scaled(s), Input::Number(v)) => scaled_key(v, *s),
            (Encoding::Sign(t), Input::Number(v)) => match v.cmp(t) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            },
            (Encoding::Flag, Input::Flag(b)) => i32::from(b),
            (Encoding::Rank, Input::Grade(r)) => i32::try_from(r).unwrap_or(NEVER),
            (Encoding::Member(ranks), Input::Grade(r)) => i32::from(ranks.contains(&r)),
            // INVARIANT: bind_value only produces inputs of the slot's kind, and compile
            // only produces encodings of the slot's kind.
            _ => NEVER,
        }
    }
}

impl Test {
    /// The outcome of one key.
    #[inline]
    pub(super) fn outcome(self, key: i32) -> IndicatorOutcome {
        if self.meets(key) {
            IndicatorOutcome::Met
        } else if key == NOT_APPLICABLE {
            IndicatorOutcome::NotApplicable
        } else if key == MISSING {
            IndicatorOutcome::Undetermined
        } else {
            IndicatorOutcome::NotMet
        }
    }
}

/// Outcome codes of the fast paths, ordered from best to worst.
pub(super) const CODE_MET: u8 = 0;
pub(super) const CODE_UNDETERMINED: u8 = 1;
pub(super) const CODE_NOT_MET: u8 = 2;

pub(super) fn outcome_of(code: u8) -> Outcome {
    match code {
        CODE_MET => Outcome::Met,
        CODE_UNDETERMINED => Outcome::Undetermined,
        _ => Outcome::NotMet,
    }
}

/// The three-valued outcome code of a group from its counts, as [`combine`] gives it.
#[inline(always)]
pub(super) fn group_code(need: u32, met: u32, undetermined: u32, applicable: u32) -> u8 {
    let needed = need.min(applicable);
    // Selects, not branches, so that the block loop vectorises. met + undetermined
    // <= applicable, so the sum does not wrap.
    let short = if met.wrapping_add(undetermined) < needed {
        CODE_NOT_MET
    } else {
        CODE_UNDETERMINED
    };
    if met >= needed {
        CODE_MET
    } else {
        short
    }
}

/// Bits of each count in a packed tally: met in bits 0-9, undetermined in 10-19, not
/// applicable in 20-29.
const FIELD: u32 = 10;
/// Largest group a packed tally can count.
pub(super) const MAX_PACKED: usize = (1 << FIELD) - 1;
const MASK: u32 = (1 << FIELD) - 1;

/// One key's contribution to a packed tally.
#[inline(always)]
pub(super) fn contribution(t: Test, k: i32) -> u32 {
    u32::from(t.meets(k))
        | (u32::from(k == MISSING) << FIELD)
        | (u32::from(k == NOT_APPLICABLE) << (2 * FIELD))
}

/// The outcome code of a group of `len` slots from its packed tally.
#[inline(always)]
pub(super) fn packed_code(need: u32, len: u32, tally: u32) -> u8 {
    let met = tally & MASK;
    let undetermined = (tally >> FIELD) & MASK;
    let not_applicable = tally >> (2 * FIELD);
    group_code(need, met, undetermined, len.wrapping_sub(not_applicable))
}

/// Met, undetermined and applicable counts of one unit's keys against their tests.
#[inline(always)]
pub(super) fn tally(tests: &[Test], keys: &[i32]) -> (u32, u32, u32) {
    let (mut met, mut undetermined, mut applicable) = (0u32, 0u32, 0u32);
    // Wrapping adds: each count is at most the number of slots.
    for (&t, &k) in tests.iter().zip(keys) {
        met = met.wrapping_add(u32::from(t.meets(k)));
        undetermined = undetermined.wrapping_add(u32::from(k == MISSING));
        applicable = applicable.wrapping_add(u32::from(k != NOT_APPLICABLE));
    }
    (met, undetermined, applicable)
}

/// Units per block of [`Program::totals_batch`]: the block's counters stay in L1.
pub(super) const BLOCK: usize = 256;
