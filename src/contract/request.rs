//! The request: everything one run needs, as one versioned JSON value.

use crate::model::AdminUnit;
use crate::model::CriteriaSet;
use crate::model::Date;
use crate::model::Label;
use crate::model::Level;
use crate::model::UnitKind;
use crate::policy::Overlay;
use crate::tree::Plan;
use crate::tree::RollUp;
#[cfg(feature = "schema")]
use crate::tree::UnitInput;
use serde::{Deserialize, Serialize};

/// The contract version this crate speaks.
pub const VERSION: u32 = 1;

/// A request: everything one reporting run needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Contract version; must be 1.
    pub version: u32,
    /// The reporting year.
    pub year: u16,
    /// The reporting date (`YYYY-MM-DD`): the tree is taken as valid at this date.
    pub date: Date,
    /// A notice to show with every report (for example that the data are synthetic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Label>,
    /// The administrative units.
    pub units: Vec<AdminUnit>,
    /// Criteria sets per level.
    pub sets: Vec<RequestSets>,
    /// Overlays applied to the sets they name, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<Overlay>,
    /// Each unit's input; read one by one, so one malformed input does not stop the
    /// others.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<UnitInput>"))]
    pub inputs: Vec<serde_json::Value>,
    /// Roll-ups of indicators to compute for units with children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollups: Vec<RollUp>,
    /// A plan to report progress against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
}

/// The criteria sets of one level in a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestSets {
    /// The level.
    pub level: Level,
    /// The kinds of unit the sets apply to; empty for all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<UnitKind>,
    /// The sets, lowest tier first.
    pub sets: Vec<SetSource>,
}

/// Where a criteria set comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SetSource {
    /// A built-in catalog set, by id (`{"catalog": "vn-2021-2025-commune-standard"}`).
    Catalog(String),
    /// A set given in full.
    Inline(Box<CriteriaSet>),
}
