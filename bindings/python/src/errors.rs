//! Exceptions with diagnostics, and the panic boundary.
//!
//! The exception classes are defined in Python (`ntm_rules/_types.py`), so that they can
//! have two bases (`InputError` is a `ValueError` too, `InputTypeError` a `TypeError`)
//! and a constructor taking the diagnostics; this module raises them.

use ntm_rules::contract::Diagnostic;
use ntm_rules::model::Location;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use serde_json::{Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::output::to_python;

/// The kinds of exception the package raises (classes of `ntm_rules._types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The input cannot be read or used (`InputError`, a `ValueError`).
    Input,
    /// A value of the wrong Python type (`InputTypeError`, a `TypeError`).
    InputType,
    /// The input is past the limits (`LimitError`).
    Limit,
    /// A unit cannot be evaluated (`EvaluationError`).
    Evaluation,
    /// A panic caught at the boundary (`InternalError`).
    Internal,
}

impl Kind {
    fn class_name(self) -> &'static str {
        match self {
            Kind::Input => "InputError",
            Kind::InputType => "InputTypeError",
            Kind::Limit => "LimitError",
            Kind::Evaluation => "EvaluationError",
            Kind::Internal => "InternalError",
        }
    }

    fn class<'py>(self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyType>> {
        static INPUT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        static INPUT_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        static LIMIT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        static EVALUATION: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        static INTERNAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        let cell = match self {
            Kind::Input => &INPUT,
            Kind::InputType => &INPUT_TYPE,
            Kind::Limit => &LIMIT,
            Kind::Evaluation => &EVALUATION,
            Kind::Internal => &INTERNAL,
        };
        cell.import(py, "ntm_rules._types", self.class_name())
    }
}

/// One diagnostic as the contract writes it: `severity`, the location's fields
/// (`pointer`, `unit`, `set`, `indicator`, …) and `message`.
pub(crate) fn diagnostic(location: &Location, message: impl Into<String>) -> Value {
    let mut object = match serde_json::to_value(location) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    object.insert("severity".to_owned(), Value::from("error"));
    object.insert("message".to_owned(), Value::from(message.into()));
    Value::Object(object)
}

/// The response's diagnostics as JSON values; without their line and column when the
/// text was not the caller's (a dict converted to JSON by the binding).
pub(crate) fn contract_diagnostics(diagnostics: &[Diagnostic], text_given: bool) -> Vec<Value> {
    diagnostics
        .iter()
        .map(|d| {
            let mut value =
                serde_json::to_value(d).unwrap_or_else(|e| diagnostic(&d.location, e.to_string()));
            if let (false, Some(object)) = (text_given, value.as_object_mut()) {
                object.remove("line");
                object.remove("column");
            }
            value
        })
        .collect()
}

/// An exception of `kind` carrying `diagnostics`; its message is the first error's,
/// with its place, and how many more there are.
pub(crate) fn raise(py: Python<'_>, kind: Kind, diagnostics: Vec<Value>) -> PyErr {
    let message = summary(&diagnostics);
    let built = (|| {
        let class = kind.class(py)?;
        let list = to_python(py, &Value::Array(diagnostics))?;
        Ok::<_, PyErr>(PyErr::from_value(class.call1((message.clone(), list))?))
    })();
    built.unwrap_or_else(|e| e)
}

/// An exception of `kind` with one diagnostic.
pub(crate) fn raise_one(
    py: Python<'_>,
    kind: Kind,
    location: &Location,
    message: impl Into<String>,
) -> PyErr {
    raise(py, kind, vec![diagnostic(location, message)])
}

/// The first error diagnostic (or the first one) as a sentence, and how many more.
fn summary(diagnostics: &[Value]) -> String {
    let first = diagnostics
        .iter()
        .find(|d| d.get("severity").and_then(Value::as_str) == Some("error"))
        .or_else(|| diagnostics.first());
    let Some(first) = first else {
        return "no diagnostics".to_owned();
    };
    let message = first.get("message").and_then(Value::as_str).unwrap_or("");
    let place: Vec<String> = ["unit", "set", "indicator", "pointer"]
        .iter()
        .filter_map(|k| {
            first
                .get(*k)
                .and_then(Value::as_str)
                .map(|v| format!("{k} `{v}`"))
        })
        .collect();
    let mut out = if place.is_empty() {
        message.to_owned()
    } else {
        format!("{}: {message}", place.join(", "))
    };
    if diagnostics.len() > 1 {
        out.push_str(&format!(" (and {} more)", diagnostics.len() - 1));
    }
    out
}

/// Runs `f`, turning a panic into `InternalError` instead of unwinding into Python.
pub(crate) fn guarded<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(panicked(py, payload.as_ref())))
}

/// Runs `f` outside the interpreter's lock (other Python threads run meanwhile),
/// turning a panic into `InternalError`.
pub(crate) fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    py.detach(|| catch_unwind(AssertUnwindSafe(f)).map_err(PanicMessage::of))
        .map_err(|m| raise_one(py, Kind::Internal, &Location::new(), m.text()))
}

/// A panic's message, which can cross the lock (the payload itself need not be `Send`
/// to Python's side).
struct PanicMessage(String);

impl PanicMessage {
    fn of(payload: Box<dyn std::any::Any + Send>) -> PanicMessage {
        PanicMessage(payload_text(payload.as_ref()))
    }

    fn text(&self) -> String {
        internal_message(&self.0)
    }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

fn internal_message(panic: &str) -> String {
    format!("internal error in ntm-rules (a bug; please report it with the input): {panic}")
}

fn panicked(py: Python<'_>, payload: &(dyn std::any::Any + Send)) -> PyErr {
    raise_one(
        py,
        Kind::Internal,
        &Location::new(),
        internal_message(&payload_text(payload)),
    )
}
