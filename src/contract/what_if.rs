//! What-if (issue 13, item 5): hypothetical indicator values for some units, a threshold
//! overlay, or another reporting year, and the diff of what changes: the values changed,
//! the units' decisions and criteria met, the summaries, the plan's targets. No change
//! gives an empty diff. The types; `what_if_run` runs them on a [`Run`](crate::contract::Run).

use crate::model::{IndicatorId, TierId, UnitCode, Value};
use crate::policy::{Overlay, OverlayProblem};
use crate::tree::TargetStatus;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Hypothetical changes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct WhatIf {
    /// New indicator values, by unit then indicator.
    #[serde(default)]
    pub values: BTreeMap<UnitCode, BTreeMap<IndicatorId, Value>>,
    /// Another reporting year (every unit's data is read as that year's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Threshold overlays applied, in order, on top of the run's sets (which already
    /// carry the request's own overlays).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<Overlay>,
}

impl WhatIf {
    /// New values for one unit.
    pub fn with_values(
        mut self,
        unit: UnitCode,
        values: impl IntoIterator<Item = (IndicatorId, Value)>,
    ) -> Self {
        self.values.entry(unit).or_default().extend(values);
        self
    }

    /// Another reporting year.
    pub fn with_year(mut self, year: u16) -> Self {
        self.year = Some(year);
        self
    }

    /// A threshold overlay, applied after those already added.
    pub fn with_overlay(mut self, overlay: Overlay) -> Self {
        self.overlays.push(overlay);
        self
    }
}

/// Why a what-if cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WhatIfError {
    /// A unit named has no input in the run.
    #[error("what-if: unit {unit} has no input in the request")]
    UnknownUnit {
        /// The unit.
        unit: UnitCode,
    },
    /// An overlay cannot be applied to the run's sets (an entry for a set the run does
    /// not have, a loosening not marked as a replacement, an unknown indicator…).
    #[error("what-if: the overlays cannot be applied: {}", join(problems))]
    Overlay {
        /// Every problem, naming the overlay, set and indicator.
        problems: Vec<OverlayProblem>,
    },
}

fn join(problems: &[OverlayProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A unit's state in a run, for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnitState {
    /// Decided: the tier held after the decision (none: no tier).
    Decided {
        /// The tier.
        #[serde(skip_serializing_if = "Option::is_none")]
        tier: Option<TierId>,
    },
    /// The decision cannot be made.
    CannotDecide,
    /// Excluded, with why (bad data names the indicator).
    Excluded {
        /// Why.
        reason: String,
    },
    /// Not assessed, or not in the run.
    NotAssessed,
}

/// One value changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ValueChange {
    /// The unit.
    pub unit: UnitCode,
    /// The indicator.
    pub indicator: IndicatorId,
    /// The value before (absent: none given).
    pub before: Option<Value>,
    /// The value after.
    pub after: Value,
}

/// A unit whose state or criteria met changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct UnitChange {
    /// The unit.
    pub unit: UnitCode,
    /// Before.
    pub before: UnitState,
    /// After.
    pub after: UnitState,
    /// Criteria met before (lowest-tier set).
    pub criteria_before: Option<u32>,
    /// Criteria met after.
    pub criteria_after: Option<u32>,
}

/// A plan target whose value or status changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TargetChange {
    /// The target id.
    pub target: String,
    /// Actual value before.
    pub before: Option<Decimal>,
    /// Actual value after.
    pub after: Option<Decimal>,
    /// Status before.
    pub status_before: TargetStatus,
    /// Status after.
    pub status_after: TargetStatus,
}

/// What changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct WhatIfDiff {
    /// The year changed, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<(u16, u16)>,
    /// The ids of the overlays applied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<String>,
    /// Values that differ from the request's.
    pub values: Vec<ValueChange>,
    /// Units whose decision or criteria met differ, in code order.
    pub units: Vec<UnitChange>,
    /// Units whose summary (counts, criteria statistics, roll-ups) differs.
    pub summaries: Vec<UnitCode>,
    /// Plan targets whose value or status differs.
    pub targets: Vec<TargetChange>,
}

impl WhatIfDiff {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.year.is_none()
            && self.overlays.is_empty()
            && self.values.is_empty()
            && self.units.is_empty()
            && self.summaries.is_empty()
            && self.targets.is_empty()
    }
}
