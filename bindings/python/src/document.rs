//! A document argument (a request, a set, an overlay, a history) as JSON text: a
//! mapping or list (converted exactly, see [`crate::convert`]), a JSON `str`, or a path
//! (`os.PathLike`) to a JSON file.

use ntm_rules::model::{JsonPointer, Limits, Location};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyMapping, PyString, PyTuple, PyType};

use crate::convert::{to_json, ConvertError, Refusal};
use crate::errors::{raise_one, Kind};

/// `os.PathLike`.
fn path_like(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static PATH_LIKE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    PATH_LIKE.import(py, "os", "PathLike")
}

/// Why a document could not be had as text: a refusal (with its place) or a Python
/// error.
pub(crate) type DocumentResult = Result<String, ConvertError>;

/// The JSON text of `value`, a `what` ("request", "criteria set", …): a dict (or any
/// mapping) or list, a JSON `str`, or an `os.PathLike` naming a JSON file. Containers
/// nest at most `limits.depth()` deep (the text's own limits are checked by the
/// caller, on the text).
pub(crate) fn document_text(
    value: &Bound<'_, PyAny>,
    what: &str,
    limits: &Limits,
) -> DocumentResult {
    let py = value.py();
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if value.is_instance(path_like(py)?.as_any())? {
        let path = py
            .import("os")?
            .call_method1("fspath", (value,))?
            .str()?
            .to_string();
        return std::fs::read_to_string(&path).map_err(|e| {
            ConvertError::Refused(Refusal::new(
                Kind::Input,
                JsonPointer::root(),
                format!("cannot read the {what} file {path}: {e}"),
            ))
        });
    }
    if value.is_instance_of::<PyMapping>()
        || value.is_instance_of::<PyList>()
        || value.is_instance_of::<PyTuple>()
    {
        let json = to_json(value, &JsonPointer::root(), limits.depth())?;
        return serde_json::to_string(&json).map_err(|e| {
            ConvertError::Refused(Refusal::new(
                Kind::Input,
                JsonPointer::root(),
                e.to_string(),
            ))
        });
    }
    Err(ConvertError::Refused(Refusal::new(
        Kind::InputType,
        JsonPointer::root(),
        format!(
            "a {what} is a dict, a JSON str or a path (os.PathLike), not {}",
            value.get_type().name()?
        ),
    )))
}

/// Whether `value` is given as text (a JSON `str` or a file), so that the line and
/// column of a problem mean something to the caller; for a dict converted here only
/// the JSON Pointer does.
pub(crate) fn is_text(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(value.is_instance_of::<PyString>() || value.is_instance(path_like(value.py())?.as_any())?)
}

/// [`document_text`], then the text's size and depth checked against `limits`
/// (`LimitError`), as the contract checks them.
pub(crate) fn checked_text(
    value: &Bound<'_, PyAny>,
    what: &'static str,
    limits: &Limits,
) -> PyResult<String> {
    let py = value.py();
    let text = document_text(value, what, limits).map_err(|e| e.into_err(py))?;
    limits
        .check_text(what, &text)
        .map_err(|e| raise_one(py, Kind::Limit, &e.location(), e.message()))?;
    Ok(text)
}

/// Where a `LoadError` is: its JSON Pointer, and its line and column when the caller
/// gave the text (`text_given`; for a dict they would be the converted text's).
pub(crate) fn load_location(e: &ntm_rules::model::LoadError, text_given: bool) -> Location {
    if text_given {
        e.location()
    } else {
        crate::convert::located(e.pointer())
    }
}

/// A `LoadError` (a document that does not parse into its type) as `InputError`; the
/// location names the `document` (the argument, as `sets[1]`) and the place in it.
pub(crate) fn load_error(
    py: Python<'_>,
    e: &ntm_rules::model::LoadError,
    document: &str,
    text_given: bool,
) -> PyErr {
    raise_one(
        py,
        Kind::Input,
        &load_location(e, text_given).with_document(document),
        format!("{}: {}", e.what(), e.message()),
    )
}

/// A location in an argument (`/set_ids/1`), for problems with keyword arguments.
pub(crate) fn argument(name: &str) -> Location {
    Location::at(JsonPointer::root().child(name))
}
