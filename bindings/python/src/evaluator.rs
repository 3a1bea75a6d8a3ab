//! `ntm_rules.Evaluator`: one unit at a time against catalog (or given) sets, with the
//! assessments and the decision as dicts.

use ntm_rules::engine::{check_level_sets, EvaluateError, Evaluator};
use ntm_rules::model::{
    from_json, parse_exact, CriteriaSet, History, IndicatorData, IndicatorId, JsonPointer, Limits,
    Location, Profile, Value, ValueKind,
};
use ntm_rules::policy::{apply_overlays, catalog, entries_for_unknown_sets, Overlay};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyList, PyMapping, PyString};
use serde_json::json;
use std::collections::BTreeMap;

use crate::convert::{
    decimal_digits, decimal_type, float_refusal, located, not_applicable, to_json, ConvertError,
    Refusal,
};
use crate::document::{argument, checked_text, is_text, load_error};
use crate::errors::{detached, diagnostic, guarded, raise, raise_one, Kind};
use crate::output::to_python;

/// The criteria sets of one level for one reporting year and one unit profile: give it
/// a unit's indicator values (and history), get its assessments and decision.
///
/// `set_ids` are catalog ids (`ntm_rules.catalog()`), e.g. the three 2021-2025 commune
/// sets; `sets` adds your own (dicts, JSON str or paths); `overlays` are provincial
/// overlays applied to the sets they name (entries for catalog sets not held are listed
/// in `overlay_sets_not_held`). `region` (`"tdmnpb"`, `"dbsh"`, ...), `commune_group`
/// and `statuses` (`["especially_difficult"]`) are the unit's profile. Programs are
/// compiled once and reused for every unit. One evaluation at a time: give each thread
/// its own `Evaluator` (a second thread evaluating on the same one meanwhile gets a
/// `RuntimeError`, never a crash).
///
/// Raises `InputError` for an unknown catalog id, a set or overlay that does not read,
/// an overlay that loosens a national value, or sets that read one id as two kinds.
#[pyclass(name = "Evaluator", module = "ntm_rules")]
pub(crate) struct PyEvaluator {
    inner: Evaluator,
    profile: Profile,
    /// The value kind of every indicator of the sets (one per id: checked).
    kinds: BTreeMap<IndicatorId, ValueKind>,
    /// Catalog sets the overlays name that this evaluator does not hold (their entries
    /// are for other levels or tiers, and are not used here).
    not_held: Vec<String>,
}

#[pymethods]
impl PyEvaluator {
    #[new]
    #[pyo3(signature = (set_ids=None, *, year, region=None, commune_group=None, statuses=None, sets=None, overlays=None))]
    #[allow(
        clippy::too_many_arguments,
        reason = "keyword arguments of a Python constructor"
    )]
    fn new(
        py: Python<'_>,
        set_ids: Option<&Bound<'_, PyAny>>,
        year: &Bound<'_, PyAny>,
        region: Option<&Bound<'_, PyAny>>,
        commune_group: Option<&Bound<'_, PyAny>>,
        statuses: Option<&Bound<'_, PyAny>>,
        sets: Option<&Bound<'_, PyAny>>,
        overlays: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guarded(py, || {
            let year = year_of(year)?;
            let profile = profile_of(py, region, commune_group, statuses)?;
            let mut list = Vec::new();
            for (i, id) in strings(set_ids, "set_ids")?.iter().enumerate() {
                let set = catalog::load(id).map_err(|e| {
                    raise_one(
                        py,
                        Kind::Input,
                        &Location::at(JsonPointer::root().child("set_ids").child(i))
                            .with_set(id.as_str()),
                        e.to_string(),
                    )
                })?;
                list.push(set);
            }
            for (i, (text, given)) in documents(sets, "sets", "criteria set")?.iter().enumerate() {
                let set = CriteriaSet::from_json(text)
                    .map_err(|e| load_error(py, &e, &format!("sets[{i}]"), *given))?;
                list.push(set);
            }
            if list.is_empty() {
                return Err(raise_one(
                    py,
                    Kind::Input,
                    &argument("set_ids"),
                    "no criteria sets: give catalog ids (set_ids=[...]) or sets (sets=[...])",
                ));
            }
            let mut overlay_list = Vec::new();
            for (i, (text, given)) in documents(overlays, "overlays", "overlay")?
                .iter()
                .enumerate()
            {
                let overlay = Overlay::from_json(text)
                    .map_err(|e| load_error(py, &e, &format!("overlays[{i}]"), *given))?;
                overlay_list.push(overlay);
            }
            let (list, not_held) = with_overlays(py, list, &overlay_list)?;
            let problems: Vec<_> = check_level_sets(&list)
                .iter()
                .map(|p| diagnostic(&p.location, p.kind.to_string()))
                .collect();
            if !problems.is_empty() {
                return Err(raise(py, Kind::Input, problems));
            }
            let kinds = list
                .iter()
                .flat_map(CriteriaSet::all_indicators)
                .map(|i| (i.id.clone(), i.kind.clone()))
                .collect();
            Ok(PyEvaluator {
                inner: Evaluator::new(list, year),
                profile,
                kinds,
                not_held,
            })
        })
    }

    /// Evaluates one unit: `values` maps indicator ids to values (`str`, `int` or
    /// `decimal.Decimal` for numbers, exact; a `float` is refused; `bool` for yes/no,
    /// `str` for grades, `ntm_rules.NOT_APPLICABLE`; leave out a missing value);
    /// `history` is its recognition history (a list of events or a history document);
    /// `outstanding_fields` the fields in which it is a model (319/QĐ-TTg condition 4),
    /// carried onto the decision as a request's unit input carries them.
    ///
    /// Returns a dict: `decision` (`verdict` recognise / maintain / revoke / not_yet /
    /// cannot_decide, with the tier, reasons and revocation clause, and `next`, the gap
    /// to the tier above), `assessments` (one per set: every criterion and indicator with
    /// its `outcome`, the `threshold` row used with its `source` and `confidence`, and
    /// the signed `margin`), `unused_values` and `profile_lacks`.
    ///
    /// Raises `InputTypeError` (a float, a value of another type), `InputError` (a
    /// string that is not an exact decimal, `None`) or `EvaluationError` (bad data, a
    /// history that does not nest), each with `.diagnostics`.
    #[pyo3(signature = (values, history=None, *, unit="unit", outstanding_fields=None))]
    fn evaluate(
        &mut self,
        py: Python<'_>,
        values: &Bound<'_, PyAny>,
        history: Option<&Bound<'_, PyAny>>,
        unit: &str,
        outstanding_fields: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        guarded(py, || {
            let data = self.data_of(py, values, unit)?;
            let history = history_of(py, history)?;
            let outstanding = strings(outstanding_fields, "outstanding_fields")?;
            let profile = self.profile.clone();
            let inner = &mut self.inner;
            let result = detached(py, move || inner.evaluate(&profile, &data, &history))?;
            let mut unit_result = result.map_err(|e| evaluation_error(py, unit, &e))?;
            // As the tree pass does with a unit input's fields: carried onto the decision
            // when the unit holds a tier after it.
            if unit_result
                .decision
                .tier_after()
                .is_some_and(|t| t.is_some())
            {
                unit_result.decision.outstanding_fields = outstanding;
            }
            let value = json!({
                "unit": unit,
                "year": self.inner.year(),
                "profile": self.profile,
                "decision": unit_result.decision,
                "assessments": unit_result.assessments,
                "unused_values": unit_result.unused_values,
                "profile_lacks": unit_result.profile_lacks,
            });
            to_python(py, &value)
        })
    }

    /// The ids of the sets, in the order given (catalog ids first, then `sets`).
    #[getter]
    fn set_ids(&self) -> Vec<String> {
        self.inner.sets().iter().map(|s| s.id.to_string()).collect()
    }

    /// The reporting year.
    #[getter]
    fn year(&self) -> u16 {
        self.inner.year()
    }

    /// The unit profile (region, commune group, statuses) as a dict.
    #[getter]
    fn profile(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &json!(self.profile))
    }

    /// Catalog sets that the overlays name and this evaluator does not hold: their
    /// entries are not used here.
    #[getter]
    fn overlay_sets_not_held(&self) -> Vec<String> {
        self.not_held.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "Evaluator(set_ids={:?}, year={}, profile={})",
            self.set_ids(),
            self.inner.year(),
            json!(self.profile)
        )
    }
}

impl PyEvaluator {
    /// The unit's indicator data from a mapping of values.
    fn data_of(
        &self,
        py: Python<'_>,
        values: &Bound<'_, PyAny>,
        unit: &str,
    ) -> PyResult<IndicatorData> {
        let Ok(map) = values.cast::<PyMapping>() else {
            return Err(raise_one(
                py,
                Kind::InputType,
                &argument("values"),
                format!(
                    "values is a dict of indicator id to value, not {}",
                    values.get_type().name()?
                ),
            ));
        };
        let mut data = IndicatorData::new(unit, self.inner.year());
        let mut refused = Vec::new();
        for item in map.items()?.iter() {
            let (key, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let at = JsonPointer::root().child("values");
            let Ok(id) = key.cast::<PyString>() else {
                refused.push(Refusal::new(
                    Kind::InputType,
                    at,
                    format!("indicator ids are str, not {}", key.get_type().name()?),
                ));
                continue;
            };
            let id = IndicatorId::from(id.to_cow()?.as_ref());
            let at = at.child(&id);
            match value_of(&v, self.kinds.get(&id), &at) {
                Ok(value) => {
                    data.values.insert(id, value);
                }
                Err(ConvertError::Refused(r)) => refused.push(r),
                Err(ConvertError::Python(e)) => return Err(e),
            }
        }
        match refused.first() {
            None => Ok(data),
            // Every value is checked, so all the problems are told at once.
            Some(first) => Err(raise(
                py,
                first.kind,
                refused.iter().map(Refusal::diagnostic).collect(),
            )),
        }
    }
}

/// One value, read exactly for the indicator's kind (`None` when no set has the id).
fn value_of(
    v: &Bound<'_, PyAny>,
    kind: Option<&ValueKind>,
    at: &JsonPointer,
) -> Result<Value, ConvertError> {
    let py = v.py();
    let refuse = |kind: Kind, message: String| {
        Err(ConvertError::Refused(Refusal::new(
            kind,
            at.clone(),
            message,
        )))
    };
    if v.is(not_applicable(py)?) {
        return Ok(Value::NotApplicable);
    }
    if v.is_none() {
        return refuse(
            Kind::Input,
            "None is not a value: leave the indicator out when its value is missing, or give \
             ntm_rules.NOT_APPLICABLE when it does not apply"
                .to_owned(),
        );
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Flag(b.is_true()));
    }
    if v.is_instance_of::<PyFloat>() {
        return Err(float_refusal(v, at));
    }
    if v.is_instance_of::<PyMapping>() {
        // The contract's own form: {"number": "41.5"}, {"flag": true}, {"grade": "A"}.
        let json = to_json(v, at, 2)?;
        return serde_json::from_value(json)
            .or_else(|e| refuse(Kind::Input, format!("not a value of the contract ({e})")));
    }
    let text = if v.is_instance_of::<PyInt>() {
        v.str()?.to_string()
    } else if v.is_instance(decimal_type(py)?.as_any())? {
        decimal_digits(v, at)?
    } else if let Ok(s) = v.cast::<PyString>() {
        let s = s.to_cow()?.into_owned();
        match kind {
            Some(ValueKind::Grade { .. }) => return Ok(Value::Grade(s)),
            Some(ValueKind::YesNo) => {
                return refuse(
                    Kind::InputType,
                    format!("the indicator is yes/no: give True or False, not the str {s:?}"),
                )
            }
            _ => s,
        }
    } else {
        return refuse(
            Kind::InputType,
            format!(
                "a {} is not an indicator value (give str, int or decimal.Decimal for numbers, \
                 bool for yes/no, str for grades)",
                v.get_type().name()?
            ),
        );
    };
    match (parse_exact(&text), kind) {
        (Ok(d), _) => Ok(Value::Number(d)),
        // No set reads the id: kept as given, and reported in `unused_values`.
        (Err(_), None) => Ok(Value::Grade(text)),
        (Err(e), Some(_)) => refuse(
            Kind::Input,
            format!("{text:?} is not an exact decimal: {e}"),
        ),
    }
}

fn year_of(year: &Bound<'_, PyAny>) -> PyResult<u16> {
    let py = year.py();
    if year.is_instance_of::<PyInt>() && !year.is_instance_of::<PyBool>() {
        if let Ok(y) = year.extract::<u16>() {
            return Ok(y);
        }
    }
    Err(raise_one(
        py,
        Kind::InputType,
        &argument("year"),
        format!("year is an int (the reporting year), not {}", year.repr()?),
    ))
}

/// A list of str argument (`set_ids`, `statuses`); absent is empty.
fn strings(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Vec<String>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let py = value.py();
    let wrong = |what: String| raise_one(py, Kind::InputType, &argument(name), what);
    if value.is_instance_of::<PyString>() {
        return Err(wrong(format!("{name} is a list of str, not one str")));
    }
    let mut out = Vec::new();
    for (i, item) in value
        .try_iter()
        .map_err(|_| wrong(format!("{name} is a list of str")))?
        .enumerate()
    {
        let item = item?;
        let Ok(s) = item.cast::<PyString>() else {
            return Err(raise_one(
                py,
                Kind::InputType,
                &Location::at(JsonPointer::root().child(name).child(i)),
                format!("{name} holds str, not {}", item.get_type().name()?),
            ));
        };
        out.push(s.to_cow()?.into_owned());
    }
    Ok(out)
}

/// A list of documents (`sets`, `overlays`) as JSON texts, each with whether the caller
/// gave it as text; absent is empty.
fn documents(
    value: Option<&Bound<'_, PyAny>>,
    name: &str,
    what: &'static str,
) -> PyResult<Vec<(String, bool)>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let py = value.py();
    if !value.is_instance_of::<PyList>() && !value.is_instance_of::<pyo3::types::PyTuple>() {
        return Err(raise_one(
            py,
            Kind::InputType,
            &argument(name),
            format!("{name} is a list of {what}s (dicts, JSON str or paths)"),
        ));
    }
    let limits = Limits::default();
    value
        .try_iter()?
        .map(|item| {
            let item = item?;
            Ok((checked_text(&item, what, &limits)?, is_text(&item)?))
        })
        .collect()
}

fn profile_of(
    py: Python<'_>,
    region: Option<&Bound<'_, PyAny>>,
    commune_group: Option<&Bound<'_, PyAny>>,
    statuses: Option<&Bound<'_, PyAny>>,
) -> PyResult<Profile> {
    let mut profile = serde_json::Map::new();
    for (name, value) in [("region", region), ("commune_group", commune_group)] {
        if let Some(v) = value.filter(|v| !v.is_none()) {
            let json =
                to_json(v, &JsonPointer::root().child(name), 1).map_err(|e| e.into_err(py))?;
            profile.insert(name.to_owned(), json);
        }
    }
    let statuses = strings(statuses, "statuses")?;
    if !statuses.is_empty() {
        profile.insert("statuses".to_owned(), json!(statuses));
    }
    let text = serde_json::Value::Object(profile).to_string();
    from_json::<Profile>("profile", &text)
        .map_err(|e| raise_one(py, Kind::Input, &located(e.pointer()), e.message()))
}

fn history_of(py: Python<'_>, history: Option<&Bound<'_, PyAny>>) -> PyResult<History> {
    let Some(history) = history.filter(|h| !h.is_none()) else {
        return Ok(History::default());
    };
    let limits = Limits::default();
    // A list is the events themselves.
    let given = is_text(history)?;
    let text = if history.is_instance_of::<PyList>() {
        let events = to_json(
            history,
            &JsonPointer::root().child("events"),
            limits.depth(),
        )
        .map_err(|e| e.into_err(py))?;
        json!({ "events": events }).to_string()
    } else {
        checked_text(history, "recognition history", &limits)?
    };
    History::from_json(&text).map_err(|e| load_error(py, &e, "history", given))
}

/// The sets with the overlays applied, and the catalog sets the overlays name that are
/// not among them.
fn with_overlays(
    py: Python<'_>,
    sets: Vec<CriteriaSet>,
    overlays: &[Overlay],
) -> PyResult<(Vec<CriteriaSet>, Vec<String>)> {
    if overlays.is_empty() {
        return Ok((sets, Vec::new()));
    }
    let mut known: Vec<_> = sets.iter().map(|s| s.id.clone()).collect();
    known.extend(catalog::entries().iter().map(|e| e.id.into()));
    let mut problems: Vec<_> = entries_for_unknown_sets(overlays, known.iter())
        .iter()
        .map(|p| diagnostic(p.location(), p.to_string()))
        .collect();
    let mut out = Vec::with_capacity(sets.len());
    for set in &sets {
        match apply_overlays(set, overlays) {
            Ok(s) => out.push(s),
            Err(e) => problems.extend(
                e.problems()
                    .iter()
                    .map(|p| diagnostic(p.location(), p.to_string())),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(raise(py, Kind::Input, problems));
    }
    let mut not_held: Vec<String> = overlays
        .iter()
        .flat_map(|o| {
            o.thresholds
                .iter()
                .map(|t| &t.set)
                .chain(o.indicators.iter().map(|i| &i.set))
        })
        .filter(|id| !sets.iter().any(|s| &s.id == *id))
        .map(|id| id.to_string())
        .collect();
    not_held.sort();
    not_held.dedup();
    Ok((out, not_held))
}

/// Why a unit cannot be evaluated, as `EvaluationError` with a diagnostic per problem.
fn evaluation_error(py: Python<'_>, unit: &str, e: &EvaluateError) -> PyErr {
    let diagnostics = match e {
        EvaluateError::Data(d) => d
            .locations()
            .map(|(at, p)| {
                let at = match &p.indicator {
                    Some(i) => at.with_pointer(JsonPointer::root().child("values").child(i)),
                    None => at,
                };
                diagnostic(&at, p.kind.to_string())
            })
            .collect(),
        EvaluateError::Compile(c) => c
            .problems()
            .iter()
            .map(|p| diagnostic(&p.location.clone().with_unit(unit), p.kind.to_string()))
            .collect(),
        other => vec![diagnostic(&Location::of_unit(unit), other.to_string())],
    };
    raise(py, Kind::Evaluation, diagnostics)
}
