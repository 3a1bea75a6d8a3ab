//! What is measured and what happened: indicator values of a unit for a year, and the
//! unit's recognition history.

use crate::model::decimal::decimal_serde;
use crate::model::ids::{IndicatorId, TierId, UnitCode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A measured value of one indicator, as reported for a unit and year.
///
/// Missing data is the absence of a value (the indicator is not in
/// [`IndicatorData::values`]), which is distinct from zero and from
/// [`Value::NotApplicable`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A number (decimal and count indicators).
    Number(
        #[serde(with = "decimal_serde")]
        #[cfg_attr(feature = "schema", schemars(with = "decimal_serde::DecimalSchema"))]
        Decimal,
    ),
    /// Yes or no.
    Flag(bool),
    /// A grade.
    Grade(String),
    /// The indicator does not apply to this unit (allowed only where the indicator
    /// says so).
    NotApplicable,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(d) => write!(f, "{d}"),
            Value::Flag(true) => f.write_str("yes"),
            Value::Flag(false) => f.write_str("no"),
            Value::Grade(g) => f.write_str(g),
            Value::NotApplicable => f.write_str("not applicable"),
        }
    }
}

/// Indicator data of one unit for one year: indicator id → value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IndicatorData {
    /// The unit's code.
    pub unit: UnitCode,
    /// The reporting year.
    pub year: u16,
    /// Values by indicator id (criteria indicators and preconditions alike; at most the
    /// indicator limit, checked while reading).
    #[serde(default, deserialize_with = "crate::model::limited_values")]
    pub values: BTreeMap<IndicatorId, Value>,
}

impl IndicatorData {
    /// Empty data for a unit and year.
    pub fn new(unit: impl Into<UnitCode>, year: u16) -> Self {
        Self {
            unit: unit.into(),
            year,
            values: BTreeMap::new(),
        }
    }

    /// Sets a value (builder style).
    #[must_use]
    pub fn with(mut self, indicator: impl Into<IndicatorId>, value: Value) -> Self {
        self.values.insert(indicator.into(), value);
        self
    }
}

/// Whether a recognition event granted or withdrew a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The tier was recognised (công nhận).
    Recognised,
    /// The recognition was revoked (thu hồi).
    Revoked,
}

/// One recognition decision in a unit's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecognitionEvent {
    /// Tier recognised or revoked.
    pub tier: TierId,
    /// Year of the decision.
    pub year: u16,
    /// Recognised or revoked.
    pub kind: EventKind,
    /// Reference of the decision (`"1234/QĐ-UBND"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

/// A unit's recognition history, in any order; events are applied by year, and within a
/// year in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct History {
    /// The events.
    #[serde(default)]
    pub events: Vec<RecognitionEvent>,
}

impl History {
    /// A history with one recognition.
    pub fn recognised(tier: impl Into<TierId>, year: u16) -> Self {
        Self {
            events: vec![RecognitionEvent {
                tier: tier.into(),
                year,
                kind: EventKind::Recognised,
                decision: None,
            }],
        }
    }

    /// Adds an event (builder style).
    #[must_use]
    pub fn with(mut self, tier: impl Into<TierId>, year: u16, kind: EventKind) -> Self {
        self.events.push(RecognitionEvent {
            tier: tier.into(),
            year,
            kind,
            decision: None,
        });
        self
    }
}
