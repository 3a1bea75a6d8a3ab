//! Exact decimals: their one JSON form ([`decimal_serde`]) and the one rounding rule of the
//! crate, for display only ([`round_display`]).

use rust_decimal::Decimal;

pub mod decimal_serde {
    //! Exact JSON form of decimals: serialized as strings, read from strings or
    //! integers. JSON numbers with a fraction or exponent are refused with a message,
    //! because serde hands them over as binary floating point.

    use std::fmt;
    use std::str::FromStr;

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
    /// A malformed string, or a number with a fraction.
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
            let t = v.trim();
            if t.is_empty() || t.contains(['e', 'E']) {
                return Err(E::custom(format_args!(
                    "invalid decimal `{v}`: write plain digits such as \"78.5\""
                )));
            }
            Decimal::from_str(t).map_err(|e| E::custom(format_args!("invalid decimal `{v}`: {e}")))
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
                "description": "An exact decimal: a string such as \"78.5\", or an integer.",
                "anyOf": [
                    {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"},
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
