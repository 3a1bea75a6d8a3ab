//! Reading definitions and data from JSON, with the JSON path of every error.

use crate::model::criteria::CriteriaSet;
use crate::model::data::{History, IndicatorData};
use crate::model::limits::{Exceeded, Limit, Limits};
use crate::model::location::{JsonPointer, Location};
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_path_to_error::Segment;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// [`from_json`] after checking the input against `limits`: its size, depth and string
/// lengths before parsing, its number of units and of indicator values while reading.
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

/// [`from_json`] with the limits checked while reading (units, indicator values) in
/// force (the size, depth and string lengths are the caller's to check first, with
/// [`Limits::check_text`]).
///
/// # Errors
///
/// A [`LoadError`] when a limit is exceeded or the JSON does not parse.
pub(crate) fn from_json_counting_units<T: DeserializeOwned>(
    what: &'static str,
    text: &str,
    limits: &Limits,
) -> Result<T, LoadError> {
    let _scope = LimitScope::enter(*limits);
    parse_json(what, text)
}

/// [`from_json_counting_units`] as a first attempt: the value when the text reads,
/// `None` (no error built, nothing tracked) when it does not.
pub(crate) fn try_from_json_counting_units<T: DeserializeOwned>(
    text: &str,
    limits: &Limits,
) -> Option<T> {
    let _scope = LimitScope::enter(*limits);
    read_plain(text)
}

thread_local! {
    /// The limits of the parse under way on this thread, if any (serde gives a field's
    /// deserializer no other way to know them).
    static LIMITS: Cell<Option<Limits>> = const { Cell::new(None) };
    /// The limit a deserializer of this thread last refused an input for, so that the
    /// [`LoadError`] made of serde's error can name it.
    static EXCEEDED: Cell<Option<Exceeded>> = const { Cell::new(None) };
}

/// Puts limits in force on this thread until dropped (then restores the previous ones,
/// so parses may nest).
struct LimitScope(Option<Limits>);

impl LimitScope {
    fn enter(limits: Limits) -> Self {
        EXCEEDED.with(|c| c.set(None));
        Self(LIMITS.with(|c| c.replace(Some(limits))))
    }
}

impl Drop for LimitScope {
    fn drop(&mut self) {
        LIMITS.with(|c| c.set(self.0));
        EXCEEDED.with(|c| c.set(None));
    }
}

/// The value of `limit` in force on this thread (none outside a limited parse).
fn limit_in_force(limit: Limit) -> Option<usize> {
    LIMITS.with(Cell::get).map(|l| l.get(limit))
}

/// serde's error for the `count`-th element, past `limit` of `value` (`what`: "units").
fn refuse<E: de::Error>(limit: Limit, value: usize, count: usize, what: &str) -> E {
    let exceeded = Exceeded { name: limit, value };
    EXCEEDED.with(|c| c.set(Some(exceeded)));
    E::custom(exceeded.message(format_args!("at least {count} {what}")))
}

/// Reads a JSON array of units element by element and stops with an error at the first
/// element past the unit limit in force ([`from_json_with_limits`]); without one, reads
/// the whole array. For `#[serde(deserialize_with)]` on arrays of units.
///
/// # Errors
///
/// More elements than the limit ("at least 11 units, more than the limit of 10
/// (max_units)"), or an element's own error.
pub(crate) fn limited_units<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    limited_seq(deserializer, Limit::MaxUnits, "units")
}

/// [`limited_units`] for rows (threshold entries of an overlay), under `max_rows`.
///
/// # Errors
///
/// More elements than the limit, or an element's own error.
pub(crate) fn limited_rows<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    limited_seq(deserializer, Limit::MaxRows, "rows")
}

fn limited_seq<'de, D, T>(
    deserializer: D,
    limit: Limit,
    what: &'static str,
) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Items<T>(Option<usize>, Limit, &'static str, PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let limit = self.0.unwrap_or(usize::MAX);
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(limit).min(1024));
            while let Some(item) = seq.next_element()? {
                if out.len() >= limit {
                    return Err(refuse(self.1, limit, out.len() + 1, self.2));
                }
                out.push(item);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_seq(Items(limit_in_force(limit), limit, what, PhantomData))
}

/// Reads a JSON object of one unit's indicator values entry by entry and stops with an
/// error at the first entry past the indicator limit in force; without one, reads the
/// whole object. For `#[serde(deserialize_with)]` on `IndicatorData::values`.
///
/// # Errors
///
/// More entries than the limit, a key given twice, or an entry's own error.
pub(crate) fn limited_values<'de, D, K, V>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct Values<K, V>(Option<usize>, PhantomData<(K, V)>);

    impl<'de, K: Deserialize<'de> + Ord + fmt::Display, V: Deserialize<'de>> Visitor<'de>
        for Values<K, V>
    {
        type Value = BTreeMap<K, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of indicator values")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BTreeMap<K, V>, A::Error> {
            let limit = self.0.unwrap_or(usize::MAX);
            // Collected, then sorted (stable) and built in bulk: one comparison per entry
            // when the keys come in order, as they do when written from a map.
            let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(64).min(limit).min(256));
            while let Some((key, value)) = map.next_entry::<K, V>()? {
                if entries.len() >= limit {
                    let count = entries.len() + 1;
                    return Err(refuse(
                        Limit::MaxIndicators,
                        limit,
                        count,
                        "indicator values",
                    ));
                }
                entries.push((key, value));
            }
            if !entries.is_sorted_by(|a, b| a.0 < b.0) {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                if let Some(w) = entries
                    .windows(2)
                    .find(|w| matches!(w, [a, b] if a.0 == b.0))
                {
                    let key = w.first().map(|(k, _)| k.to_string()).unwrap_or_default();
                    return Err(de::Error::custom(format_args!(
                        "indicator `{key}` is given more than once: give each indicator's value once"
                    )));
                }
            }
            Ok(entries.into_iter().collect())
        }
    }

    deserializer.deserialize_map(Values(limit_in_force(Limit::MaxIndicators), PhantomData))
}

/// Parses JSON text into `T`, naming `what` and the JSON path on error, within the
/// default [`Limits`] (checked as [`from_json_with_limits`] checks them; to read
/// within others, call it).
///
/// # Errors
///
/// A [`LoadError`] with the JSON path of the first problem, or naming the limit.
pub fn from_json<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T, LoadError> {
    from_json_with_limits(what, text, &Limits::default())
}

/// The value of a text that reads, trailing characters refused; `None` otherwise.
fn read_plain<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// Parses JSON text into `T` with no limit checked.
fn parse_json<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T, LoadError> {
    // Read without tracking the path first (tracking allocates a string per map key);
    // only a document that does not read is read again, to say where.
    if let Some(value) = read_plain(text) {
        return Ok(value);
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
    exceeded: Option<Exceeded>,
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
        let message = strip_position(&inner.to_string());
        // The limit a deserializer refused for, if this is that refusal (and not
        // another error of a second reading after it).
        let exceeded = EXCEEDED
            .with(Cell::take)
            .filter(|e| message.ends_with(&format!("({})", e.name)));
        Self(Box::new(LoadErrorParts {
            what,
            path,
            pointer,
            line: inner.line(),
            column: inner.column(),
            message,
            exceeded,
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
            exceeded: None,
        }))
    }

    /// The error without its line and column (which count in a text other than the
    /// caller's).
    pub(crate) fn without_position(mut self) -> Self {
        self.0.line = 0;
        self.0.column = 0;
        self
    }

    /// An input past a limit, at a place (pointer, line and column) if known.
    pub(crate) fn limit(
        what: &'static str,
        exceeded: Exceeded,
        message: String,
        at: Option<(JsonPointer, usize, usize)>,
    ) -> Self {
        let (pointer, line, column) = at.unwrap_or((JsonPointer::root(), 0, 0));
        Self(Box::new(LoadErrorParts {
            what,
            path: if pointer.is_root() {
                ".".to_owned()
            } else {
                pointer.to_string()
            },
            pointer,
            line,
            column,
            message,
            exceeded: Some(exceeded),
        }))
    }

    /// The limit the input went past, when that is the problem.
    pub fn exceeded(&self) -> Option<Exceeded> {
        self.0.exceeded
    }

    /// What was being read (`"criteria set"`, `"indicator data"`).
    pub fn what(&self) -> &str {
        self.0.what
    }

    /// Path of the problem as serde writes it (`criteria[3].indicators[0].kind`), `.` for
    /// the root (for a limit found before parsing, the JSON Pointer). Keys with dots are ambiguous in it: prefer [`LoadError::pointer`].
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
