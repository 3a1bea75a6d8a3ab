//! The request: everything one run needs, as one versioned JSON value.

use crate::contract::questions::Question;
use crate::model::intern::InternScope;
#[cfg(feature = "schema")]
use crate::model::Level;
#[cfg(feature = "schema")]
use crate::model::UnitKind;
use crate::model::{
    from_json_counting_units, try_from_json_counting_units, Limits, LoadError, UnitCode,
};
use crate::model::{AdminUnit, CriteriaSet, Date, Label};
use crate::policy::Overlay;
use crate::tree::{LevelSets, Plan, RollUp, UnitInput};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::cell::Cell;

/// The contract version this crate speaks.
pub const VERSION: u32 = 1;

/// A request: everything one reporting run needs, in one versioned envelope. It is the
/// one input shape of the crate's runs: the JSON contract, the command line, the C ABI,
/// and a data set folder on disk ([`Request::from_dir`]) all give a `Request`.
///
/// ```
/// use ntm_rules::contract::{run, Request, RequestInput, SetSource};
/// use ntm_rules::policy::illustrative;
/// use ntm_rules::{AdminUnit, Date, Level, LevelSets, UnitInput};
///
/// let sets = illustrative::commune_sets().into_iter().map(|s| SetSource::Inline(Box::new(s)));
/// let request = Request::new(2022, Date::end_of_year(2022))
///     .with_units(vec![
///         AdminUnit::new("P", "Tỉnh mẫu", Level::Province),
///         AdminUnit::new("C1", "Xã Một", Level::Commune).with_parent("P"),
///     ])
///     .with_sets(vec![LevelSets::new(Level::Commune, sets.collect())])
///     .with_inputs(vec![RequestInput::from(UnitInput::new(illustrative::sample_commune("C1", 2022)))]);
/// let run = run(request)?;
/// assert!(run.aggregation.result("C1").unwrap().decision().is_some());
/// # Ok::<(), ntm_rules::contract::RunError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(description = "A request: everything one reporting run needs.")
)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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
    /// The administrative units (at most the unit limit, checked while reading).
    #[serde(deserialize_with = "crate::model::limited_units")]
    pub units: Vec<AdminUnit>,
    /// Criteria sets per level.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<RequestSets>"))]
    pub sets: Vec<LevelSets<SetSource>>,
    /// Overlays applied to the sets they name, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<Overlay>,
    /// Each unit's input; read one by one, so one malformed input does not stop the
    /// others (at most the unit limit, checked while reading).
    #[serde(deserialize_with = "crate::model::limited_units")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<UnitInput>"))]
    pub inputs: Vec<RequestInput>,
    /// Roll-ups of indicators to compute for units with children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollups: Vec<RollUp>,
    /// A plan to report progress against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// Planning questions (gaps, roadmaps, candidates, what-if), answered in the
    /// response's `answers` in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
}

impl Request {
    /// An empty request (contract version 1) for a reporting year and date.
    pub fn new(year: u16, date: Date) -> Request {
        Request {
            version: VERSION,
            year,
            date,
            notice: None,
            units: Vec::new(),
            sets: Vec::new(),
            overlays: Vec::new(),
            inputs: Vec::new(),
            rollups: Vec::new(),
            plan: None,
            questions: Vec::new(),
        }
    }

    /// Sets the notice (builder style).
    #[must_use]
    pub fn with_notice(mut self, notice: Label) -> Request {
        self.notice = Some(notice);
        self
    }

    /// Sets the administrative units (builder style).
    #[must_use]
    pub fn with_units(mut self, units: Vec<AdminUnit>) -> Request {
        self.units = units;
        self
    }

    /// Sets the criteria sets per level (builder style).
    #[must_use]
    pub fn with_sets(mut self, sets: Vec<LevelSets<SetSource>>) -> Request {
        self.sets = sets;
        self
    }

    /// Sets the overlays (builder style).
    #[must_use]
    pub fn with_overlays(mut self, overlays: Vec<Overlay>) -> Request {
        self.overlays = overlays;
        self
    }

    /// Sets the units' inputs (builder style).
    #[must_use]
    pub fn with_inputs(mut self, inputs: Vec<RequestInput>) -> Request {
        self.inputs = inputs;
        self
    }

    /// Sets the roll-ups (builder style).
    #[must_use]
    pub fn with_rollups(mut self, rollups: Vec<RollUp>) -> Request {
        self.rollups = rollups;
        self
    }

    /// Sets the planning questions (builder style).
    #[must_use]
    pub fn with_questions(mut self, questions: Vec<Question>) -> Request {
        self.questions = questions;
        self
    }

    /// Reads a request from JSON text as the facade ([`response_for`]) does: the size
    /// and depth of the text are checked against `limits` before it is parsed, the unit
    /// limit while it is read, and the ids read share their text (an indicator id that
    /// every input repeats is held once: about a tenth less memory on a country-sized
    /// request).
    ///
    /// [`response_for`]: crate::contract::response_for
    ///
    /// # Errors
    ///
    /// A [`LoadError`] with the JSON Pointer of the first problem, or the limit exceeded.
    pub fn from_json(text: &str, limits: &Limits) -> Result<Request, LoadError> {
        limits.check_text("request", text)?;
        Request::from_checked_json(text, limits)
    }

    /// [`Request::from_json`] of a text whose size and depth are already checked.
    pub(crate) fn from_checked_json(text: &str, limits: &Limits) -> Result<Request, LoadError> {
        let _shared = InternScope::enter();
        // A request whose inputs all read is read once, each input straight from the
        // request's text. Should anything not read, the request is read again as
        // before, each input from its own text, so that a malformed input is kept as
        // unreadable (and the others read) rather than failing the request: the result
        // is the same either way, and a request that does not read is read twice.
        {
            let _direct = DirectInputs::enter();
            if let Some(request) = try_from_json_counting_units(text, limits) {
                return Ok(request);
            }
        }
        from_json_counting_units("request", text, limits)
    }

    /// Sets the plan (builder style).
    #[must_use]
    pub fn with_plan(mut self, plan: Plan) -> Request {
        self.plan = Some(plan);
        self
    }
}

// The JSON Schema shape of `Request::sets`: the criteria sets of one level, each by
// catalog id or inline (a `LevelSets` of `SetSource`s), under the schema name and text of
// the first version.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(description = "The criteria sets of one level in a request.")]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "only its schema is used")]
struct RequestSets {
    /// The level.
    level: Level,
    /// The kinds of unit the sets apply to; empty for all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    kinds: Vec<UnitKind>,
    /// The sets, lowest tier first.
    sets: Vec<SetSource>,
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

/// One unit's input in a request, read on its own: a malformed one is kept with the
/// reason (and reported, its unit excluded as unreadable) while the others are
/// evaluated.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RequestInput {
    /// A well-formed input.
    Read(UnitInput),
    /// An input that does not read as a [`UnitInput`].
    Unreadable {
        /// The input as given.
        raw: serde_json::Value,
        /// Its unit, when `data.unit` could be found in it.
        unit: Option<UnitCode>,
        /// Why it cannot be read, with its JSON Pointer inside the input.
        error: LoadError,
    },
}

impl RequestInput {
    /// The input, when it could be read.
    pub fn read(&self) -> Option<&UnitInput> {
        match self {
            RequestInput::Read(input) => Some(input),
            RequestInput::Unreadable { .. } => None,
        }
    }
}

impl From<UnitInput> for RequestInput {
    fn from(input: UnitInput) -> Self {
        RequestInput::Read(input)
    }
}

impl From<serde_json::Value> for RequestInput {
    /// Reads one input; never fails (a malformed input is [`RequestInput::Unreadable`]).
    fn from(raw: serde_json::Value) -> Self {
        let unit = unit_of(&raw);
        // Read from the JSON value itself (no second text to parse): the error's
        // pointer is inside the input, and no line or column is made up.
        match serde_path_to_error::deserialize::<_, UnitInput>(&raw) {
            Ok(input) => RequestInput::Read(input),
            Err(e) => RequestInput::Unreadable {
                raw,
                unit,
                error: LoadError::from_json("unit input", e),
            },
        }
    }
}

/// The unit of an input given as a value, when `data.unit` is there.
fn unit_of(raw: &serde_json::Value) -> Option<UnitCode> {
    raw.get("data")
        .and_then(|d| d.get("unit"))
        .and_then(|u| u.as_str())
        .map(UnitCode::new)
}

impl Serialize for RequestInput {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RequestInput::Read(input) => input.serialize(s),
            RequestInput::Unreadable { raw, .. } => raw.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for RequestInput {
    /// Reads one input of a JSON request once, straight into a [`UnitInput`]: the
    /// input's text is taken as it stands (a [`RawValue`], checked to be JSON but not
    /// parsed into a tree) and read from that text. Only an input that does not read
    /// is parsed a second time, into a [`serde_json::Value`], to be kept as given with
    /// the same reason and pointer as [`RequestInput::from`] a value gives. JSON only:
    /// other formats have no raw text to keep.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if DIRECT_INPUTS.with(Cell::get) {
            return UnitInput::deserialize(d).map(RequestInput::Read);
        }
        let raw = Box::<RawValue>::deserialize(d)?;
        RequestInput::from_raw(&raw).map_err(serde::de::Error::custom)
    }
}

thread_local! {
    /// Whether the request being read on this thread reads its inputs straight from
    /// the request's text (a first attempt, which any error ends).
    static DIRECT_INPUTS: Cell<bool> = const { Cell::new(false) };
}

/// Reads inputs straight from the request's text on this thread until dropped (then
/// restores what was in force before).
struct DirectInputs(bool);

impl DirectInputs {
    fn enter() -> DirectInputs {
        DirectInputs(DIRECT_INPUTS.with(|d| d.replace(true)))
    }
}

impl Drop for DirectInputs {
    fn drop(&mut self) {
        DIRECT_INPUTS.with(|d| d.set(self.0));
    }
}

impl RequestInput {
    /// Reads one input from its JSON text (which is known to be JSON).
    ///
    /// An input that reads well gives the same [`UnitInput`] as reading it from a JSON
    /// value would: serde hands the visitor the same keys and numbers. An input that
    /// does not read is read again as a value, so its error (the first one in the
    /// value's key order, without a line and column) is the one given before; when even
    /// that fails (a number out of range), the whole request fails, as before.
    ///
    /// A key given twice in one object (a struct field, or an indicator of the values)
    /// is an error of the text that a value hides, keeping only the last: when the text
    /// does not read but its value does, the input is unreadable, with the text's error.
    fn from_raw(raw: &RawValue) -> Result<RequestInput, String> {
        let mut de = serde_json::Deserializer::from_str(raw.get());
        if let Ok(input) = UnitInput::deserialize(&mut de) {
            return Ok(RequestInput::Read(input));
        }
        let value = serde_json::from_str::<serde_json::Value>(raw.get())
            .map_err(|e| format!("cannot read the input: {}", strip_json_position(&e)))?;
        let read = RequestInput::from(value.clone());
        let RequestInput::Read(input) = read else {
            return Ok(read);
        };
        let mut de = serde_json::Deserializer::from_str(raw.get());
        match serde_path_to_error::deserialize::<_, UnitInput>(&mut de) {
            Err(e) => Ok(RequestInput::Unreadable {
                raw: value,
                unit: Some(input.data.unit),
                error: LoadError::from_json("unit input", e).without_position(),
            }),
            // INVARIANT: the text did not read a moment ago; should it now, it is read.
            Ok(input) => Ok(RequestInput::Read(input)),
        }
    }
}

/// serde_json's message without its " at line L column C", which would count in the
/// input's own text rather than in the request's.
fn strip_json_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(at) => message.get(..at).unwrap_or(&message).to_owned(),
        None => message,
    }
}
