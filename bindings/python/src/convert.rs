//! Python objects as JSON values, exactly: no Python `float` is ever read as a decimal
//! (it has passed through binary floating point), `decimal.Decimal` is written as its
//! exact digits, and every refusal names its JSON Pointer. The other way is
//! [`crate::output`].

use ntm_rules::model::{JsonPointer, Location};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use serde_json::{Map, Value};

use crate::errors::{diagnostic, raise, Kind};

/// Why a Python value was not turned into JSON: where, what, and the exception kind.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub(crate) kind: Kind,
    pub(crate) pointer: JsonPointer,
    pub(crate) message: String,
}

impl Refusal {
    pub(crate) fn new(kind: Kind, pointer: JsonPointer, message: impl Into<String>) -> Self {
        Refusal {
            kind,
            pointer,
            message: message.into(),
        }
    }

    /// The refusal as a diagnostic (`pointer` and `message`).
    pub(crate) fn diagnostic(&self) -> Value {
        diagnostic(&located(&self.pointer), &self.message)
    }

    /// The refusal as an exception.
    pub(crate) fn into_err(self, py: Python<'_>) -> PyErr {
        raise(py, self.kind, vec![self.diagnostic()])
    }
}

/// A location at `pointer` (none for the root).
pub(crate) fn located(pointer: &JsonPointer) -> Location {
    if pointer.is_root() {
        Location::new()
    } else {
        Location::at(pointer.clone())
    }
}

/// A refusal, or a Python error raised while reading a value (a mapping whose `items()`
/// fails, say).
#[derive(Debug)]
pub(crate) enum ConvertError {
    Refused(Refusal),
    Python(PyErr),
}

impl From<PyErr> for ConvertError {
    fn from(e: PyErr) -> Self {
        ConvertError::Python(e)
    }
}

impl ConvertError {
    pub(crate) fn into_err(self, py: Python<'_>) -> PyErr {
        match self {
            ConvertError::Refused(r) => r.into_err(py),
            ConvertError::Python(e) => e,
        }
    }
}

fn refuse<T>(kind: Kind, at: &JsonPointer, message: impl Into<String>) -> Result<T, ConvertError> {
    Err(ConvertError::Refused(Refusal::new(
        kind,
        at.clone(),
        message,
    )))
}

/// `decimal.Decimal`.
pub(crate) fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

/// `ntm_rules.NOT_APPLICABLE`.
pub(crate) fn not_applicable(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static SENTINEL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    SENTINEL.import(py, "ntm_rules._types", "NOT_APPLICABLE")
}

/// The exact digits of a `decimal.Decimal` (`format(d, "f")`: never an exponent), or
/// why not (NaN, infinity).
pub(crate) fn decimal_digits(
    value: &Bound<'_, PyAny>,
    at: &JsonPointer,
) -> Result<String, ConvertError> {
    if !value.call_method0("is_finite")?.is_truthy()? {
        return refuse(
            Kind::Input,
            at,
            format!("{} is not a number a rule can compare", value.repr()?),
        );
    }
    let py = value.py();
    let text = py
        .import("builtins")?
        .call_method1("format", (value, "f"))?
        .extract::<String>()?;
    Ok(text)
}

/// Why a Python `float` is refused where a decimal is read, with its exact binary
/// value.
pub(crate) fn float_refusal(value: &Bound<'_, PyAny>, at: &JsonPointer) -> ConvertError {
    let message = (|| {
        let exact = decimal_type(value.py())?
            .call1((value,))?
            .str()?
            .to_string();
        let repr = value.repr()?.to_string();
        let detail = if exact == repr {
            String::new()
        } else {
            format!(" (in binary it is {exact})")
        };
        Ok::<_, PyErr>(format!(
            "the float {repr} is not exact{detail}; no input is rounded: give the number \
             as a str (\"{repr}\"), an int or a decimal.Decimal"
        ))
    })();
    match message {
        Ok(m) => ConvertError::Refused(Refusal::new(Kind::InputType, at.clone(), m)),
        Err(e) => ConvertError::Python(e),
    }
}

/// A Python int as a JSON number, if it fits in 64 bits.
fn int_value(value: &Bound<'_, PyAny>, at: &JsonPointer) -> Result<Value, ConvertError> {
    if let Ok(i) = value.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(u) = value.extract::<u64>() {
        return Ok(Value::from(u));
    }
    refuse(
        Kind::Input,
        at,
        format!(
            "the int {} does not fit in 64 bits; give a decimal as a str",
            value.str()?
        ),
    )
}

/// The JSON value of a Python object: `None`, `bool`, `int` (64 bits), `str`,
/// `decimal.Decimal` (as its exact digits, a str), `ntm_rules.NOT_APPLICABLE` (the
/// contract's `"not_applicable"`), mappings with `str` keys, lists and tuples; at most
/// `depth` levels of nesting. A finite `float` becomes the JSON number it would be in a
/// text, which the contract refuses wherever it reads a decimal or an integer; anything
/// else is refused.
pub(crate) fn to_json(
    value: &Bound<'_, PyAny>,
    at: &JsonPointer,
    depth: usize,
) -> Result<Value, ConvertError> {
    let py = value.py();
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return int_value(value, at);
    }
    if value.is_instance_of::<PyFloat>() {
        // As the JSON number it would be in a JSON text (shortest form that reads back
        // as the same float): the contract refuses it where a decimal or an integer is
        // expected, at its place, as it refuses `46.2` in a file (batch-first: a unit
        // with one is reported unreadable, the others are evaluated). Never rounded.
        let f: f64 = value.extract()?;
        return match serde_json::Number::from_f64(f) {
            Some(n) => Ok(Value::Number(n)),
            None => refuse(
                Kind::InputType,
                at,
                format!("the float {} is not a number JSON holds; no input is rounded: give decimals as str, int or decimal.Decimal", value.repr()?),
            ),
        };
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if value.is_instance(decimal_type(py)?.as_any())? {
        return decimal_digits(value, at).map(Value::String);
    }
    if value.is(not_applicable(py)?) {
        return Ok(Value::from("not_applicable"));
    }
    let nested = value.is_instance_of::<PyMapping>()
        || value.is_instance_of::<PyList>()
        || value.is_instance_of::<PyTuple>();
    if nested && depth == 0 {
        return refuse(Kind::Limit, at, "input nests deeper than the limit");
    }
    if let Ok(map) = value.cast::<PyMapping>() {
        let mut out = Map::new();
        for item in map.items()?.iter() {
            let (key, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let Ok(key) = key.cast::<PyString>() else {
                return refuse(
                    Kind::InputType,
                    at,
                    format!("keys must be str, not {}", key.get_type().name()?),
                );
            };
            let key = key.to_cow()?.into_owned();
            let child = at.clone().child(&key);
            out.insert(key, to_json(&v, &child, depth - 1)?);
        }
        return Ok(Value::Object(out));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, v) in value.try_iter()?.enumerate() {
            out.push(to_json(&v?, &at.clone().child(i), depth - 1)?);
        }
        return Ok(Value::Array(out));
    }
    refuse(
        Kind::InputType,
        at,
        format!(
            "a {} is not a JSON value (give dict, list, str, int, bool, None or decimal.Decimal)",
            value.get_type().name()?
        ),
    )
}
