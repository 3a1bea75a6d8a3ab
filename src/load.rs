//! Reading definitions and data from JSON, with the JSON path of every error.

use serde::de::DeserializeOwned;

use crate::definitions::{CriteriaSet, History, IndicatorData};
use crate::error::LoadError;

/// Parses JSON text into `T`, naming `what` and the JSON path on error.
///
/// # Errors
///
/// A [`LoadError`] with the JSON path of the first problem.
pub fn from_json<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T, LoadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value =
        serde_path_to_error::deserialize(&mut de).map_err(|e| LoadError::from_json(what, e))?;
    // Trailing characters after the value are an error too.
    de.end().map_err(|e| LoadError::trailing(what, &e))?;
    Ok(value)
}

impl CriteriaSet {
    /// Reads a criteria set from JSON.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the JSON path, e.g. an unknown field
    /// `criteria[2].indicators[0].treshold`.
    ///
    /// # Example
    ///
    /// ```
    /// let err = ntm_rules::CriteriaSet::from_json(r#"{"id": "x", "nme": {}}"#).unwrap_err();
    /// assert_eq!(err.path(), "nme");
    /// ```
    pub fn from_json(text: &str) -> Result<Self, LoadError> {
        from_json("criteria set", text)
    }

    /// Writes the set as pretty JSON.
    pub fn to_json(&self) -> String {
        to_json(self)
    }
}

impl IndicatorData {
    /// Reads one unit's indicator data from JSON.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the JSON path.
    pub fn from_json(text: &str) -> Result<Self, LoadError> {
        from_json("indicator data", text)
    }
}

impl History {
    /// Reads a recognition history from JSON.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the JSON path.
    pub fn from_json(text: &str) -> Result<Self, LoadError> {
        from_json("recognition history", text)
    }
}

/// Pretty JSON of any serializable value of this crate. Our types only hold strings,
/// numbers, maps with string keys and sequences, which always serialize.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
