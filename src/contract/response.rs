//! The response: every unit's decision, the summaries, plan progress and diagnostics.

use crate::contract::questions::Answer;
use crate::contract::request::VERSION;
#[cfg(doc)]
use crate::contract::Request;
use crate::model::{Exceeded, LoadError, Location, UnitCode};
use crate::tree::{PlanProgress, Summary, UnitResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Severity of a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The request, or a part of it, could not be used.
    Error,
    /// Something the caller should know (a unit excluded, a value left unused).
    Warning,
}

/// A problem found while handling a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where: a JSON Pointer into the request (`/inputs/3/data/values/10.1`, absent for
    /// the request as a whole), and the unit, set and indicator concerned, if any.
    #[serde(flatten)]
    pub location: Location,
    /// What.
    pub message: String,
    /// The limit the request went past, when that is the problem (`{"name":
    /// "max_units", "value": 10}`): the caller can raise it, or split the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Exceeded>,
}

/// The response to a [`Request`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Response {
    /// Contract version (1).
    pub version: u32,
    /// Whether results were produced (false when the request could not be read or its
    /// tree is invalid; see `diagnostics`).
    pub ok: bool,
    /// Every unit's result (decision, tiers, criteria met), by unit code.
    pub results: BTreeMap<UnitCode, UnitResult>,
    /// Summaries of every unit with children, by unit code.
    pub summaries: BTreeMap<UnitCode, Summary>,
    /// Progress against the request's plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanProgress>,
    /// The answers to the request's planning questions, in the order asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// Problems, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl Response {
    pub(super) fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            version: VERSION,
            ok: false,
            results: BTreeMap::new(),
            summaries: BTreeMap::new(),
            plan: None,
            answers: Vec::new(),
            diagnostics,
        }
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The response as pretty JSON.
    pub fn to_json(&self) -> String {
        crate::model::to_json(self)
    }
}

pub(super) fn error(location: Location, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        location,
        message: message.into(),
        limit: None,
    }
}

/// The error of a [`LoadError`], at its place (`location`, else the error's own), with
/// the limit it names if any.
pub(super) fn load_error(e: &LoadError, location: Option<Location>) -> Diagnostic {
    Diagnostic {
        limit: e.exceeded(),
        ..error(location.unwrap_or_else(|| e.location()), e.message())
    }
}

/// A request that cannot be run at all, with the failed [`Response`] (`ok: false`) whose
/// diagnostics say why.
#[derive(Debug, Clone, PartialEq)]
pub struct RunError(Box<Response>);

impl RunError {
    pub(super) fn failed(diagnostics: Vec<Diagnostic>) -> RunError {
        RunError(Box::new(Response::failed(diagnostics)))
    }

    /// The failed response.
    pub fn response(&self) -> &Response {
        &self.0
    }

    /// The failed response, owned.
    pub fn into_response(self) -> Response {
        *self.0
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request cannot be run")?;
        for d in &self.0.diagnostics {
            if d.location.is_unknown() {
                write!(f, "; {}", d.message)?;
            } else {
                write!(f, "; {}: {}", d.location, d.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for RunError {}

/// The run's diagnostics with those of the questions refused, errors first (a stable
/// sort: each kind keeps its order).
pub(super) fn errors_first(
    mut diagnostics: Vec<Diagnostic>,
    refused: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    diagnostics.extend(refused);
    diagnostics.sort_by_key(|d| d.severity != Severity::Error);
    diagnostics
}
