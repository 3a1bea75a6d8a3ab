//! Reading definitions and data from JSON, with the JSON path of every error.

use crate::model::criteria::CriteriaSet;
use crate::model::data::{History, IndicatorData};
use serde::de::{self, DeserializeOwned, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_path_to_error::Segment;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use crate::model::location::{JsonPointer, Location};

/// Limits a service can set on untrusted input. Size and nesting depth are checked
/// before parsing (an oversized input is never parsed); the number of units is checked
/// while reading the arrays of units (`units` and `inputs` of a request), which stop
/// at the first unit past the limit, before any more of the input is read.
///
/// # Example
///
/// ```
/// use ntm_rules::model::{IndicatorData, Limits, from_json_with_limits};
///
/// let limits = Limits::default().max_bytes(64);
/// let text = format!(r#"{{"unit": "{}", "year": 2022}}"#, "x".repeat(100));
/// let err = from_json_with_limits::<IndicatorData>("indicator data", &text, &limits).unwrap_err();
/// assert_eq!(err.message(), "input is 126 bytes, more than the limit of 64");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    max_bytes: usize,
    max_depth: usize,
    max_units: usize,
}

impl Default for Limits {
    /// 64 MiB, nesting depth 32, 200,000 units: a whole country fits.
    fn default() -> Self {
        Self {
            max_bytes: 64 << 20,
            max_depth: 32,
            max_units: 200_000,
        }
    }
}

impl Limits {
    /// Largest input in bytes.
    #[must_use]
    pub fn max_bytes(mut self, n: usize) -> Self {
        self.max_bytes = n;
        self
    }

    /// Deepest nesting of JSON arrays and objects.
    #[must_use]
    pub fn max_depth(mut self, n: usize) -> Self {
        self.max_depth = n;
        self
    }

    /// Most units in one batch.
    #[must_use]
    pub fn max_units(mut self, n: usize) -> Self {
        self.max_units = n;
        self
    }

    /// The unit limit.
    pub fn units(&self) -> usize {
        self.max_units
    }

    /// The size limit, in bytes.
    pub fn bytes(&self) -> usize {
        self.max_bytes
    }

    /// The nesting depth limit (of JSON arrays and objects).
    pub fn depth(&self) -> usize {
        self.max_depth
    }

    /// Checks a batch size against the unit limit.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when `count` exceeds the limit.
    pub fn check_units(&self, what: &'static str, count: usize) -> Result<(), LoadError> {
        if count > self.max_units {
            return Err(LoadError::limit(
                what,
                format!("{count} units, more than the limit of {}", self.max_units),
            ));
        }
        Ok(())
    }

    /// Checks the size and nesting depth of `text`, without parsing it.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] when a limit is exceeded.
    pub fn check_text(&self, what: &'static str, text: &str) -> Result<(), LoadError> {
        if text.len() > self.max_bytes {
            return Err(LoadError::limit(
                what,
                format!(
                    "input is {} bytes, more than the limit of {}",
                    text.len(),
                    self.max_bytes
                ),
            ));
        }
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for b in text.bytes() {
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > self.max_depth {
                        return Err(LoadError::limit(
                            what,
                            format!("input nests deeper than the limit of {}", self.max_depth),
                        ));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        Ok(())
    }
}

/// [`from_json`] after checking the input against `limits`: its size and depth before
/// parsing, its number of units while reading.
///
/// # Errors
///
/// A [`LoadError`] when a limit is exceeded or the JSON does not parse.
pub fn from_json_with_limits<T: DeserializeOwned>(
    what: &'static str,
    text: &str,
    limits: &Limits,
) -> Result<T, LoadError> {
    limits.check_text(what, text)?;
    from_json_counting_units(what, text, limits)
}

/// [`from_json`] with the unit limit of `limits` in force while reading (the size and
/// depth are the caller's to check first, with [`Limits::check_text`]).
///
/// # Errors
///
/// A [`LoadError`] when the unit limit is exceeded or the JSON does not parse.
pub(crate) fn from_json_counting_units<T: DeserializeOwned>(
    what: &'static str,
    text: &str,
    limits: &Limits,
) -> Result<T, LoadError> {
    let _scope = UnitLimitScope::enter(limits.max_units);
    from_json(what, text)
}

thread_local! {
    /// The unit limit of the parse under way on this thread, if any (serde gives a
    /// field's deserializer no other way to know it).
    static UNIT_LIMIT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Puts a unit limit in force on this thread until dropped (then restores the previous
/// one, so parses may nest).
struct UnitLimitScope(Option<usize>);

impl UnitLimitScope {
    fn enter(limit: usize) -> Self {
        Self(UNIT_LIMIT.with(|c| c.replace(Some(limit))))
    }
}

impl Drop for UnitLimitScope {
    fn drop(&mut self) {
        UNIT_LIMIT.with(|c| c.set(self.0));
    }
}

/// Reads a JSON array of units element by element and stops with an error at the first
/// element past the unit limit in force ([`from_json_with_limits`]); without one, reads
/// the whole array. For `#[serde(deserialize_with)]` on arrays of units.
///
/// # Errors
///
/// More elements than the limit ("more than the limit of N units"), or an element's
/// own error.
pub(crate) fn limited_units<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Units<T>(Option<usize>, PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Units<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let limit = self.0.unwrap_or(usize::MAX);
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(limit).min(1024));
            while let Some(item) = seq.next_element()? {
                if out.len() >= limit {
                    return Err(de::Error::custom(format_args!(
                        "more than the limit of {limit} units"
                    )));
                }
                out.push(item);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_seq(Units(UNIT_LIMIT.with(Cell::get), PhantomData))
}

/// Parses JSON text into `T`, naming `what` and the JSON path on error.
///
/// # Errors
///
/// A [`LoadError`] with the JSON path of the first problem.
pub fn from_json<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T, LoadError> {
    // Read without tracking the path first (tracking allocates a string per map key);
    // only a document that does not read is read again, to say where.
    let mut de = serde_json::Deserializer::from_str(text);
    if let Ok(value) = T::deserialize(&mut de) {
        if de.end().is_ok() {
            return Ok(value);
        }
    }
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
    /// let err = ntm_rules::model::CriteriaSet::from_json(r#"{"id": "x", "nme": {}}"#).unwrap_err();
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

/// JSON input that does not parse into the data model.
///
/// Displayed with the JSON Pointer of the value at fault and the line and column of the
/// text: ``cannot read criteria set at `/criteria/1/indicators/0/requirement` (line 9,
/// column 32): unknown variant `atleast`, …``.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {}{}: {}", self.0.what, self.place(), self.0.message)]
pub struct LoadError(Box<LoadErrorParts>);

/// The parts of a [`LoadError`], boxed so that results stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LoadErrorParts {
    what: &'static str,
    path: String,
    pointer: JsonPointer,
    message: String,
    line: usize,
    column: usize,
}

impl LoadError {
    pub(crate) fn from_json(
        what: &'static str,
        err: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let path = err.path().to_string();
        // The pointer goes as far as the path is known: a syntax error before a key is
        // read has an unknown last segment, and `/?` would name a key `?` that is not
        // there. The line and column say the rest.
        let mut pointer = JsonPointer::root();
        for segment in err.path().iter() {
            match segment {
                Segment::Seq { index } => pointer.push(index),
                Segment::Map { key } => pointer.push(key),
                Segment::Enum { variant } => pointer.push(variant),
                Segment::Unknown => break,
            }
        }
        let inner = err.into_inner();
        Self(Box::new(LoadErrorParts {
            what,
            path,
            pointer,
            line: inner.line(),
            column: inner.column(),
            message: strip_position(&inner.to_string()),
        }))
    }

    pub(crate) fn trailing(what: &'static str, err: &serde_json::Error) -> Self {
        Self(Box::new(LoadErrorParts {
            what,
            path: ".".to_owned(),
            pointer: JsonPointer::root(),
            line: err.line(),
            column: err.column(),
            message: strip_position(&err.to_string()),
        }))
    }

    pub(crate) fn limit(what: &'static str, message: String) -> Self {
        Self(Box::new(LoadErrorParts {
            what,
            path: ".".to_owned(),
            pointer: JsonPointer::root(),
            line: 0,
            column: 0,
            message,
        }))
    }

    /// What was being read (`"criteria set"`, `"indicator data"`).
    pub fn what(&self) -> &str {
        self.0.what
    }

    /// Path of the problem as serde writes it (`criteria[3].indicators[0].kind`), `.` for
    /// the root. Keys with dots are ambiguous in it: prefer [`LoadError::pointer`].
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// JSON Pointer (RFC 6901) of the problem (`/criteria/3/indicators/0/kind`), empty
    /// for the whole document.
    pub fn pointer(&self) -> &JsonPointer {
        &self.0.pointer
    }

    /// Where the problem is: the JSON Pointer (unless the whole document) and the line
    /// and column of the text (when known).
    pub fn location(&self) -> Location {
        let mut location = Location::new();
        if !self.0.pointer.is_root() {
            location = location.with_pointer(self.0.pointer.clone());
        }
        if self.0.line > 0 {
            location = location.with_line(self.0.line as u64, self.0.column.to_string());
        }
        location
    }

    /// ` at `/pointer` (line L, column C)`, or what of it is known.
    fn place(&self) -> String {
        let at = if self.0.pointer.is_root() {
            String::new()
        } else {
            format!(" at `{}`", self.0.pointer)
        };
        if self.0.line > 0 {
            format!("{at} (line {}, column {})", self.0.line, self.0.column)
        } else {
            at
        }
    }

    /// The problem, without its position.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Line and column (1-based) in the input, when known.
    pub fn position(&self) -> (usize, usize) {
        (self.0.line, self.0.column)
    }
}

/// serde_json appends " at line L column C"; the path says more, so drop it.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}
