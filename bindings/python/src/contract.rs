//! The JSON contract from Python: `evaluate(request)`, `validate(document)` and
//! `catalog()`.

use ntm_rules::contract::{response_for, Response};
use ntm_rules::model::{CriteriaSet, Limits, Location};
use ntm_rules::policy::{self, catalog, Overlay};
use pyo3::prelude::*;
use serde_json::{json, Value};

use crate::document::{checked_text, document_text, is_text, load_location};
use crate::errors::{contract_diagnostics, detached, diagnostic, guarded, raise, Kind};
use crate::output::to_python;

/// The limits of a call: the contract's defaults, each one replaced if given.
pub(crate) fn limits(
    max_bytes: Option<usize>,
    max_depth: Option<usize>,
    max_units: Option<usize>,
) -> Limits {
    let mut limits = Limits::default();
    if let Some(n) = max_bytes {
        limits = limits.max_bytes(n);
    }
    if let Some(n) = max_depth {
        limits = limits.max_depth(n);
    }
    if let Some(n) = max_units {
        limits = limits.max_units(n);
    }
    limits
}

/// Handles one request of the JSON contract (`ntm evaluate`, `contract::handle_json`)
/// and returns the response as a dict.
#[pyfunction]
#[pyo3(signature = (request, *, max_bytes=None, max_depth=None, max_units=None))]
pub(crate) fn evaluate(
    py: Python<'_>,
    request: &Bound<'_, PyAny>,
    max_bytes: Option<usize>,
    max_depth: Option<usize>,
    max_units: Option<usize>,
) -> PyResult<Py<PyAny>> {
    guarded(py, || {
        let limits = limits(max_bytes, max_depth, max_units);
        let text = checked_text(request, "request", &limits)?;
        let text_given = is_text(request)?;
        let response = detached(py, || response_for(&text, &limits))?;
        if !response.ok {
            // Past a limit (the response's diagnostic names it): `LimitError`.
            let kind = if response.diagnostics.iter().any(|d| d.limit.is_some()) {
                Kind::Limit
            } else {
                Kind::Input
            };
            let diagnostics = contract_diagnostics(&response.diagnostics, text_given);
            return Err(raise(py, kind, diagnostics));
        }
        response_object(py, &response)
    })
}

fn response_object(py: Python<'_>, response: &Response) -> PyResult<Py<PyAny>> {
    let value = serde_json::to_value(response).map_err(|e| {
        raise(
            py,
            Kind::Internal,
            vec![diagnostic(&Location::new(), e.to_string())],
        )
    })?;
    to_python(py, &value)
}

/// The built-in catalog's sets, as dicts.
#[pyfunction]
pub(crate) fn catalog_entries(py: Python<'_>) -> PyResult<Py<PyAny>> {
    guarded(py, || {
        let entries: Vec<Value> = catalog::entries()
            .iter()
            .map(|e| {
                json!({
                    "id": e.id, "scheme": e.scheme, "level": e.level, "tier": e.tier,
                    "title": e.title, "documents": e.documents, "partial": e.partial,
                })
            })
            .collect();
        to_python(py, &Value::Array(entries))
    })
}

/// The kinds of document `validate` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocumentKind {
    Request,
    Set,
    Sets,
    Overlay,
}

impl DocumentKind {
    fn from_name(name: &str) -> Option<DocumentKind> {
        match name {
            "request" => Some(DocumentKind::Request),
            "criteria_set" => Some(DocumentKind::Set),
            "criteria_sets" => Some(DocumentKind::Sets),
            "overlay" => Some(DocumentKind::Overlay),
            _ => None,
        }
    }

    /// The kind a document most looks like, from its top-level keys.
    fn of(value: &Value) -> Option<DocumentKind> {
        if value.is_array() {
            return Some(DocumentKind::Sets);
        }
        let object = value.as_object()?;
        if object.contains_key("units") || object.contains_key("inputs") {
            Some(DocumentKind::Request)
        } else if object.contains_key("authority") {
            Some(DocumentKind::Overlay)
        } else if object.contains_key("criteria") {
            Some(DocumentKind::Set)
        } else {
            None
        }
    }
}

/// The diagnostics of a document: a request (run: tree, sets, overlays, every unit's
/// data), a criteria set or a list of them (structure, references, threshold tables,
/// tiers), or an overlay (applied to the catalog sets it names).
#[pyfunction]
#[pyo3(signature = (document, *, kind=None))]
pub(crate) fn validate(
    py: Python<'_>,
    document: &Bound<'_, PyAny>,
    kind: Option<&str>,
) -> PyResult<Py<PyAny>> {
    guarded(py, || {
        let diagnostics = diagnostics_of(py, document, kind)?;
        to_python(py, &Value::Array(diagnostics))
    })
}

fn diagnostics_of(
    py: Python<'_>,
    document: &Bound<'_, PyAny>,
    kind: Option<&str>,
) -> PyResult<Vec<Value>> {
    let kind = match kind {
        None => None,
        Some(name) => Some(DocumentKind::from_name(name).ok_or_else(|| {
            raise(
                py,
                Kind::Input,
                vec![diagnostic(
                    &crate::document::argument("kind"),
                    format!(
                        "unknown kind `{name}`; one of: request, criteria_set, criteria_sets, overlay"
                    ),
                )],
            )
        })?),
    };
    let limits = Limits::default();
    let text_given = is_text(document)?;
    let text = match document_text(document, "document", &limits) {
        Ok(text) => text,
        // Not a document at all (a number, a set): the caller's mistake, raised.
        Err(crate::convert::ConvertError::Refused(r))
            if r.kind == Kind::InputType && r.pointer.is_root() =>
        {
            return Err(r.into_err(py))
        }
        Err(crate::convert::ConvertError::Refused(r)) => return Ok(vec![r.diagnostic()]),
        Err(crate::convert::ConvertError::Python(e)) => return Err(e),
    };
    if let Err(e) = limits.check_text("document", &text) {
        return Ok(vec![diagnostic(&e.location(), e.message())]);
    }
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            let at = Location::new().with_line(e.line() as u64, e.column().to_string());
            return Ok(vec![diagnostic(&at, format!("not JSON: {e}"))]);
        }
    };
    let Some(kind) = kind.or_else(|| DocumentKind::of(&value)) else {
        return Ok(vec![diagnostic(
            &Location::new(),
            "not a request, criteria set or overlay (no `units`, `criteria` or `authority`); \
             name the kind with kind=\"request\" | \"criteria_set\" | \"criteria_sets\" | \"overlay\"",
        )]);
    };
    Ok(match kind {
        DocumentKind::Request => {
            let response = detached(py, || response_for(&text, &limits))?;
            contract_diagnostics(&response.diagnostics, text_given)
        }
        DocumentKind::Set => match CriteriaSet::from_json(&text) {
            Ok(set) => set_problems(std::slice::from_ref(&set)),
            Err(e) => vec![diagnostic(&load_location(&e, text_given), e.message())],
        },
        DocumentKind::Sets => {
            match ntm_rules::model::from_json::<Vec<CriteriaSet>>("criteria sets", &text) {
                Ok(sets) => set_problems(&sets),
                Err(e) => vec![diagnostic(&load_location(&e, text_given), e.message())],
            }
        }
        DocumentKind::Overlay => match Overlay::from_json(&text) {
            Ok(overlay) => overlay_problems(&overlay)?,
            Err(e) => vec![diagnostic(&load_location(&e, text_given), e.message())],
        },
    })
}

/// Every set's own problems, then the problems of the sets together (tiers).
fn set_problems(sets: &[CriteriaSet]) -> Vec<Value> {
    let mut out: Vec<Value> = sets
        .iter()
        .flat_map(policy::validate_set)
        .map(|p| diagnostic(&p.location, p.kind.to_string()))
        .collect();
    if sets.len() > 1 {
        out.extend(
            policy::validate_tiers(sets)
                .iter()
                .map(|p| diagnostic(&p.location, p.kind.to_string())),
        );
    }
    out
}

/// An overlay's problems against the catalog: entries for sets it does not have, and
/// what applying it to each set it names gives.
fn overlay_problems(overlay: &Overlay) -> PyResult<Vec<Value>> {
    let sets: Vec<CriteriaSet> = catalog::entries()
        .iter()
        .filter(|e| {
            overlay.thresholds.iter().any(|t| t.set.as_str() == e.id)
                || overlay.indicators.iter().any(|i| i.set.as_str() == e.id)
        })
        .filter_map(|e| e.load().ok())
        .collect();
    let one = std::slice::from_ref(overlay);
    let ids: Vec<_> = catalog::entries().iter().map(|e| e.id.into()).collect();
    let mut problems = policy::entries_for_unknown_sets(one, ids.iter());
    for set in &sets {
        if let Err(e) = policy::apply_overlays(set, one) {
            problems.extend(e.problems().iter().cloned());
        }
    }
    Ok(problems
        .iter()
        .map(|p| diagnostic(p.location(), p.to_string()))
        .collect())
}
