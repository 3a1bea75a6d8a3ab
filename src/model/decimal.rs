//! Exact decimals: their one written form ([`parse_exact`], [`DECIMAL_PATTERN`]), their
//! JSON form ([`decimal_serde`]) and the one rounding rule of the crate, for display only
//! ([`round_display`]).

use std::fmt;

use rust_decimal::Decimal;

/// The written form of a decimal, as a JSON Schema (ECMA-262) pattern: optional ASCII
/// blanks (space, tab, line feed, carriage return), an optional sign, digits with at
/// most one decimal point and at least one digit, optional blanks. No digit separators
/// (`1_000`), no exponent (`1e3`), nothing else.
///
/// [`parse_exact`] reads exactly the strings this pattern matches whose value a
/// [`Decimal`] holds exactly (at most 28 decimal places after dropping trailing zeros,
/// and a coefficient below 2⁹⁶); it refuses every other string.
pub const DECIMAL_PATTERN: &str = r"^[ \t\n\r]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[ \t\n\r]*$";

/// Why a written decimal was refused by [`parse_exact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecimalError {
    /// Not of the form [`DECIMAL_PATTERN`] describes.
    Syntax,
    /// More than 28 decimal places that are not trailing zeros: rounding it would change
    /// a comparison at the last digit, so it is refused.
    TooManyPlaces,
    /// More significant digits than a decimal holds (its coefficient is 2⁹⁶ or more).
    TooManyDigits,
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Syntax => {
                "write plain digits with at most one decimal point, such as \"78.5\" \
                 (no exponent, no digit separators)"
            }
            Self::TooManyPlaces => {
                "more than 28 decimal places: it cannot be held exactly and is not rounded"
            }
            Self::TooManyDigits => {
                "more significant digits than an exact decimal holds (its coefficient must be below 2^96): it is not rounded"
            }
        })
    }
}

impl std::error::Error for DecimalError {}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Reads a written decimal exactly, or refuses it: never rounds.
///
/// Trailing zeros of the fraction are kept (`"80.00"` has two decimal places) as far as a
/// decimal holds them; beyond that they are dropped, which does not change the value.
///
/// # Errors
///
/// A [`DecimalError`]: the text is not of the form [`DECIMAL_PATTERN`], or its value
/// needs more than 28 decimal places or more digits than a decimal holds.
///
/// # Example
///
/// ```
/// use ntm_rules::model::{parse_exact, DecimalError};
///
/// assert_eq!(parse_exact("80.00").unwrap().to_string(), "80.00");
/// assert_eq!(parse_exact("79.99999999999999999999999999999"), Err(DecimalError::TooManyPlaces));
/// assert_eq!(parse_exact("1_000"), Err(DecimalError::Syntax));
/// ```
pub fn parse_exact(text: &str) -> Result<Decimal, DecimalError> {
    let t = text.trim_matches(is_blank);
    let (negative, body) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or("")),
        Some(b'+') => (false, t.get(1..).unwrap_or("")),
        _ => (false, t),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(DecimalError::Syntax);
    }
    let int = int.trim_start_matches('0');
    let kept = frac.trim_end_matches('0');
    if kept.len() > 28 {
        return Err(DecimalError::TooManyPlaces);
    }
    // The coefficient of the shortest form, then as many of the given trailing zeros as fit.
    let limit: u128 = 1 << 96;
    let mut coefficient: u128 = 0;
    for b in int.bytes().chain(kept.bytes()) {
        coefficient = coefficient
            .checked_mul(10)
            .and_then(|c| c.checked_add(u128::from(b - b'0')))
            .filter(|c| *c < limit)
            .ok_or(DecimalError::TooManyDigits)?;
    }
    let mut scale = kept.len();
    while scale < frac.len().min(28) {
        match coefficient.checked_mul(10).filter(|c| *c < limit) {
            Some(c) => {
                coefficient = c;
                scale += 1;
            }
            None => break,
        }
    }
    let coefficient = i128::try_from(coefficient).map_err(|_| DecimalError::TooManyDigits)?;
    let scale = u32::try_from(scale).map_err(|_| DecimalError::TooManyPlaces)?;
    let mut value = Decimal::try_from_i128_with_scale(coefficient, scale)
        .map_err(|_| DecimalError::TooManyDigits)?;
    value.set_sign_negative(negative);
    Ok(value)
}

pub mod decimal_serde {
    //! Exact JSON form of decimals: serialized as strings, read from strings (exactly, by
    //! [`parse_exact`](super::parse_exact)) or integers. JSON numbers with a fraction or
    //! exponent are refused with a message, because serde hands them over as binary
    //! floating point; so are strings a decimal cannot hold exactly.

    use std::fmt;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    /// Writes a decimal as a JSON string.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a decimal from a string or an integer.
    ///
    /// # Errors
    /// A malformed string, one that cannot be held exactly, or a number with a fraction.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }

    struct DecimalVisitor;

    impl Visitor<'_> for DecimalVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number written as a string, such as \"78.5\", or an integer")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            super::parse_exact(v).map_err(|e| E::custom(format_args!("invalid decimal `{v}`: {e}")))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            Err(E::custom(format_args!(
                "decimal {v} given as a JSON number with a fraction: write it as a string, \"{v}\", so it stays exact"
            )))
        }
    }

    /// JSON Schema stand-in for a decimal: a string of digits or an integer.
    #[derive(Debug)]
    pub struct DecimalSchema;

    #[cfg(feature = "schema")]
    impl schemars::JsonSchema for DecimalSchema {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Decimal".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({
                "description": "An exact decimal: a string such as \"78.5\" (no exponent, no digit separators; at most 28 decimal places and a coefficient below 2^96, else refused rather than rounded), or an integer of at most 64 bits written without a fraction or an exponent (JSON Schema counts 1.0 and 1e2 as integers; the loader refuses them rather than read them through floating point).",
                "anyOf": [
                    {"type": "string", "pattern": super::DECIMAL_PATTERN},
                    {"type": "integer"}
                ]
            })
        }
    }
}

/// Rounds a percentage or average for display: half away from zero to one decimal
/// (147/184 = 79.891…% → 79.9). The only rounding rule of the crate's reports.
pub fn round_display(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn decimal_past_28_places_is_refused_not_rounded() {
        // `Decimal::from_str` reads the first as 80 (so it met "at least 80") and the
        // second as 80 (so it failed "above 80").
        assert_eq!(
            Decimal::from_str("79.99999999999999999999999999999").ok(),
            Some(Decimal::from(80)),
            "the rounding this guards against"
        );
        assert_eq!(
            parse_exact("79.99999999999999999999999999999"),
            Err(DecimalError::TooManyPlaces)
        );
        assert_eq!(
            parse_exact("80.0000000000000000000000000001"),
            Err(DecimalError::TooManyDigits)
        );
        assert_eq!(
            parse_exact("0.00000000000000000000000000001"),
            Err(DecimalError::TooManyPlaces)
        );
        assert_eq!(
            parse_exact("79228162514264337593543950336"),
            Err(DecimalError::TooManyDigits)
        );
    }

    #[test]
    fn values_a_decimal_holds_load_exactly_with_their_places() {
        assert_eq!(
            parse_exact("80.00").map(|d| d.to_string()),
            Ok("80.00".into())
        );
        assert_eq!(
            parse_exact(" -0.5\t").map(|d| d.to_string()),
            Ok("-0.5".into())
        );
        assert_eq!(parse_exact("+.5"), Ok(Decimal::new(5, 1)));
        assert_eq!(parse_exact("7."), Ok(Decimal::from(7)));
        assert_eq!(
            parse_exact("0.0000000000000000000000000001"),
            Ok(Decimal::new(1, 28))
        );
        assert_eq!(parse_exact(&Decimal::MAX.to_string()), Ok(Decimal::MAX));
        assert_eq!(parse_exact(&Decimal::MIN.to_string()), Ok(Decimal::MIN));
        // Trailing zeros beyond what a decimal holds are dropped: the value is unchanged.
        let long = format!("80.{}", "0".repeat(40));
        assert_eq!(parse_exact(&long), Ok(Decimal::from(80)));
        for bad in [
            "", " ", "+", "-", ".", "1_000", "1e3", "1E3", "0x10", "1.2.3", "١", "--1", "1 000",
        ] {
            assert_eq!(parse_exact(bad), Err(DecimalError::Syntax), "`{bad}`");
        }
    }

    proptest! {
        #[test]
        fn every_decimal_reads_back_exactly_from_its_text(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28,
        ) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let back = parse_exact(&d.to_string());
            prop_assert_eq!(back, Ok(d));
            prop_assert_eq!(back.map(|b| b.scale()), Ok(d.scale()));
        }
    }
}
