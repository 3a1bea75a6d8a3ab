//! The problems the package reports, as data: where (the field of the caller's JSON and
//! the position inside the document it names) and what.

use ntm_rules::model::{JsonPointer, Location};
use serde::Serialize;

/// One problem, serialised as `{"severity": "error", "field": "/sets/1", "pointer": …,
/// "message": …}`: `field` is the JSON Pointer of the part of the caller's input that
/// holds it (a set source, an overlay, a value), and the location fields (`pointer`,
/// `line`, `column`, `set`, `indicator`, …) say where inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Problem {
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    #[serde(flatten)]
    location: Box<Location>,
    message: String,
}

impl Problem {
    /// An error at `location`, in the part `field` of the input (if any).
    pub(crate) fn error(
        field: Option<&JsonPointer>,
        location: Location,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            severity: "error",
            field: field.map(ToString::to_string),
            location: Box::new(location),
            message: message.into(),
        }
    }

    /// A warning at `location`, in the part `field` of the input (if any).
    pub(crate) fn warning(
        field: Option<&JsonPointer>,
        location: Location,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            severity: "warning",
            ..Problem::error(field, location, message)
        }
    }
}

/// `{"ok": false, "diagnostics": [...]}`.
pub(crate) fn failed(diagnostics: &[Problem]) -> serde_json::Value {
    serde_json::json!({ "ok": false, "diagnostics": diagnostics })
}

/// Writes a response value; a value that cannot be written (it always can: every type
/// here serialises to JSON) gives an error response instead.
pub(crate) fn to_text(value: &serde_json::Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        let message = format!("cannot write the response: {e}");
        serde_json::json!({ "ok": false, "diagnostics": [{ "severity": "error", "message": message }] })
            .to_string()
    })
}
