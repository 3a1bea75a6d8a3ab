//! Running a request: [`run`] for Rust callers, [`handle_json`] for text in and text out
//! (the command line and the C ABI), never panicking.

use crate::contract::questions::Question;
use crate::contract::request::{Request, RequestInput, SetSource, VERSION};
use crate::contract::response::{error, load_error, Diagnostic, Response, Severity};
use crate::engine::{check_level_sets, UnusedValue};
use crate::model::{JsonPointer, Label, Limits, Location, UnitCode};
#[cfg(feature = "catalog")]
use crate::policy::catalog;
use crate::policy::{apply_overlays, entries_for_unknown_sets, OverlayProblem};
use crate::report::{Report, ReportError, ReportOptions};
use crate::tree::{
    aggregate, AggregateOptions, Aggregation, ExclusionReason, Hierarchy, LevelSets, Plan, RollUp,
    UnitInput,
};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Everything prepared from a request: the tree, the sets, the aggregation.
#[derive(Debug)]
#[non_exhaustive]
pub struct Run {
    /// The validated tree.
    pub tree: Hierarchy,
    /// The sets per level, overlays applied.
    pub sets: Vec<LevelSets>,
    /// The units' inputs that could be read, in the request's order.
    pub inputs: Vec<UnitInput>,
    /// The bottom-up pass.
    pub aggregation: Aggregation,
    /// The request's plan.
    pub plan: Option<Plan>,
    /// The request's notice.
    pub notice: Option<Label>,
    /// The request's roll-ups.
    pub rollups: Vec<RollUp>,
    /// The request's planning questions, answered in the response.
    pub questions: Vec<Question>,
    /// Problems found on the way.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each unit's input was in the request (its index in `inputs`), for
    /// diagnostics: the pointer is made when a diagnostic needs it.
    input_paths: InputPaths,
}

impl Run {
    /// The response of this run.
    pub fn response(&self) -> Response {
        let (answers, refused) = self.answer(&self.questions);
        Response {
            version: VERSION,
            ok: true,
            results: self.aggregation.results.clone(),
            summaries: self.aggregation.summaries.clone(),
            plan: self.plan.as_ref().map(|p| p.progress(&self.aggregation)),
            answers,
            diagnostics: errors_first(self.all_diagnostics(), refused),
        }
    }

    /// The response of this run, taking the results and summaries out of the run
    /// instead of copying them: what [`Run::response`] gives, with half the memory at
    /// its peak.
    pub fn into_response(mut self) -> Response {
        let (answers, refused) = self.answer(&self.questions);
        let diagnostics = errors_first(self.all_diagnostics(), refused);
        let plan = self.plan.as_ref().map(|p| p.progress(&self.aggregation));
        Response {
            version: VERSION,
            ok: true,
            results: std::mem::take(&mut self.aggregation.results),
            summaries: std::mem::take(&mut self.aggregation.summaries),
            plan,
            answers,
            diagnostics,
        }
    }

    /// The run's diagnostics and those of its aggregation, errors first.
    fn all_diagnostics(&self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics.clone();
        for ex in &self.aggregation.excluded {
            if matches!(ex.reason, ExclusionReason::Unreadable { .. }) {
                continue; // reported when the input was read
            }
            // The unit, the set of bad data and its value (when one is at fault), at its
            // place in the request.
            let mut location = ex.location();
            if let Some(input) = self.input_paths.get(&ex.unit) {
                location.pointer = Some(match &location.indicator {
                    Some(i) => input.child("data").child("values").child(i),
                    None => input,
                });
            }
            diagnostics.push(error(location, ex.reason.to_string()));
        }
        for p in &self.aggregation.derived_problems {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                location: p.location(),
                message: format!("derived indicator `{}`: {}", p.indicator, p.reason),
                limit: None,
            });
        }
        for p in &self.aggregation.incomplete_profiles {
            let mut location = p.location();
            if let Some(input) = self.input_paths.get(&p.unit) {
                location.pointer = Some(input.child("profile"));
            }
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                location,
                message: p.to_string(),
                limit: None,
            });
        }
        // A plan target may read a value given in its scope's own data.
        let read_by_plan = |v: &UnusedValue| {
            self.plan
                .as_ref()
                .is_some_and(|p| p.reads_value(&v.unit, &v.indicator))
        };
        for v in self
            .aggregation
            .unused_values
            .iter()
            .filter(|v| !read_by_plan(v))
        {
            let mut location = v.location();
            if let Some(input) = self.input_paths.get(&v.unit) {
                location.pointer = Some(input.child("data").child("values").child(&v.indicator));
            }
            let message = match &v.did_you_mean {
                Some(id) => format!(
                    "value of `{}` is read by no criteria set of the unit's level; did you mean `{id}`?",
                    v.indicator
                ),
                None => format!(
                    "value of `{}` is read by no criteria set of the unit's level",
                    v.indicator
                ),
            };
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                location,
                message,
                limit: None,
            });
        }
        for u in &self.aggregation.unknown_inputs {
            diagnostics.push(error(
                self.input_location(u),
                "input for a unit that is not in the tree",
            ));
        }
        diagnostics.sort_by_key(|d| d.severity != Severity::Error);
        diagnostics
    }

    /// Where a unit's input was in the request (the unit alone if it had none).
    fn input_location(&self, unit: &UnitCode) -> Location {
        let location = Location::of_unit(unit.clone());
        match self.input_paths.get(unit) {
            Some(pointer) => location.with_pointer(pointer),
            None => location,
        }
    }

    /// The report of a scope (the plan's scope when `scope` is `None`, else the root
    /// unit).
    ///
    /// # Errors
    ///
    /// [`ReportError::UnknownScope`] when the scope is not a unit of the tree with units
    /// below it, [`ReportError::NoScope`] when none is named and the tree is empty.
    pub fn report(&self, scope: Option<&str>) -> Result<Report, ReportError> {
        let scope = scope
            .map(str::to_owned)
            .or_else(|| self.plan.as_ref().map(|p| p.scope.to_string()))
            .or_else(|| self.tree.roots().next().map(|u| u.code.to_string()))
            .ok_or(ReportError::NoScope)?;
        let mut options = ReportOptions::default().with_rollups(&self.rollups);
        if let Some(plan) = &self.plan {
            options = options.with_plan(plan);
        }
        if let Some(notice) = &self.notice {
            options = options.with_notice(notice);
        }
        Report::build(&self.tree, &self.aggregation, &self.sets, &scope, &options)
    }
}

/// The index in the request's `inputs` of each unit's input.
#[derive(Debug, Default)]
struct InputPaths(BTreeMap<UnitCode, usize>);

impl InputPaths {
    /// The JSON Pointer of a unit's input (`/inputs/3`), when it had one.
    fn get(&self, unit: &UnitCode) -> Option<JsonPointer> {
        let i = *self.0.get(unit)?;
        Some(JsonPointer::root().child("inputs").child(i))
    }
}

/// A request that cannot be run at all, with the failed [`Response`] (`ok: false`) whose
/// diagnostics say why.
#[derive(Debug, Clone, PartialEq)]
pub struct RunError(Box<Response>);

impl RunError {
    fn failed(diagnostics: Vec<Diagnostic>) -> RunError {
        RunError(Box::new(Response::failed(diagnostics)))
    }

    /// The failed response.
    pub fn response(&self) -> &Response {
        &self.0
    }

    /// The failed response, owned.
    pub fn into_response(self) -> Response {
        *self.0
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request cannot be run")?;
        for d in &self.0.diagnostics {
            if d.location.is_unknown() {
                write!(f, "; {}", d.message)?;
            } else {
                write!(f, "; {}: {}", d.location, d.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for RunError {}

/// The run's diagnostics with those of the questions refused, errors first (a stable
/// sort: each kind keeps its order).
fn errors_first(mut diagnostics: Vec<Diagnostic>, refused: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.extend(refused);
    diagnostics.sort_by_key(|d| d.severity != Severity::Error);
    diagnostics
}

/// Prepares and runs a request: resolves sets (catalog ids, inline sets, overlays),
/// reads every unit input on its own, validates the tree and runs the bottom-up pass.
///
/// # Errors
///
/// A [`RunError`] with the failed response (`ok: false`, the reasons in its
/// diagnostics) when the version is not 1, a set cannot be resolved, an overlay does
/// not apply, or the tree is invalid.
pub fn run(request: Request) -> Result<Run, RunError> {
    let mut diagnostics = Vec::new();
    if request.version != VERSION {
        return Err(RunError::failed(vec![error(
            Location::at(JsonPointer::root().child("version")),
            format!(
                "unsupported request version {}; this crate speaks version {VERSION}",
                request.version
            ),
        )]));
    }
    let mut fatal = Vec::new();
    let mut sets = Vec::new();
    // Every set the request names, for the overlay entries that name none of them.
    let mut named = Vec::new();
    for (li, level) in request.sets.iter().enumerate() {
        let mut list = Vec::new();
        let mut positions = Vec::new();
        for (si, source) in level.sets.iter().enumerate() {
            let path = JsonPointer::root()
                .child("sets")
                .child(li)
                .child("sets")
                .child(si);
            let set = match source {
                #[cfg(feature = "catalog")]
                SetSource::Catalog(id) => match catalog::load(id) {
                    Ok(s) => s,
                    Err(e) => {
                        fatal.push(error(
                            Location::at(path).with_set(id.as_str()),
                            e.to_string(),
                        ));
                        continue;
                    }
                },
                #[cfg(not(feature = "catalog"))]
                SetSource::Catalog(id) => {
                    fatal.push(error(
                        Location::at(path).with_set(id.as_str()),
                        format!(
                            "set `{id}` is named from the built-in catalog, which this build \
                             leaves out (feature `catalog`): give the set inline"
                        ),
                    ));
                    continue;
                }
                SetSource::Inline(s) => (**s).clone(),
            };
            named.push(set.id.clone());
            match apply_overlays(&set, &request.overlays) {
                Ok(s) => {
                    list.push(s);
                    positions.push(si);
                }
                Err(e) => fatal.push(error(
                    Location::at(JsonPointer::root().child("overlays")).with_set(set.id.clone()),
                    e.to_string(),
                )),
            }
        }
        // One value per indicator id serves every tier of the level: refuse sets that
        // read one id as two kinds of value.
        for problem in check_level_sets(&list) {
            let si = list
                .iter()
                .position(|s| problem.location.set.as_ref() == Some(&s.id))
                .and_then(|k| positions.get(k).copied())
                .unwrap_or_default();
            let pointer = JsonPointer::root()
                .child("sets")
                .child(li)
                .child("sets")
                .child(si);
            fatal.push(error(
                problem.location.clone().with_pointer(pointer),
                problem.kind.to_string(),
            ));
        }
        sets.push(LevelSets {
            level: level.level,
            kinds: level.kinds.clone(),
            sets: list,
        });
    }
    for (k, overlay) in request.overlays.iter().enumerate() {
        for problem in entries_for_unknown_sets(std::slice::from_ref(overlay), &named) {
            let mut location = problem.location().clone();
            let within = location.pointer.take().unwrap_or_else(JsonPointer::root);
            location.pointer = Some(JsonPointer::root().child("overlays").child(k).join(&within));
            location.document = None;
            let message = match &problem {
                OverlayProblem::UnknownSet {
                    set, did_you_mean, ..
                } => format!(
                    "overlay `{}` names set `{set}`, which is not among the request's sets{}",
                    overlay.id,
                    did_you_mean
                        .as_ref()
                        .map(|h| format!("; did you mean `{h}`?"))
                        .unwrap_or_default()
                ),
                other => other.to_string(),
            };
            fatal.push(error(location, message));
        }
    }
    let mut inputs = Vec::with_capacity(request.inputs.len());
    let mut input_paths = InputPaths::default();
    let mut unreadable = BTreeMap::new();
    for (i, input) in request.inputs.into_iter().enumerate() {
        match input {
            RequestInput::Read(input) => {
                input_paths.0.insert(input.data.unit.clone(), i);
                inputs.push(input);
            }
            RequestInput::Unreadable { unit, error: e, .. } => {
                let pointer = JsonPointer::root()
                    .child("inputs")
                    .child(i)
                    .join(e.pointer());
                if let Some(u) = &unit {
                    unreadable.insert(u.clone(), format!("at `{pointer}`: {}", e.message()));
                }
                let mut location = Location::at(pointer);
                location.unit = unit;
                diagnostics.push(load_error(&e, Some(location)));
            }
        }
    }
    if !fatal.is_empty() {
        fatal.extend(diagnostics);
        return Err(RunError::failed(fatal));
    }
    let tree = match Hierarchy::new(request.units, request.date) {
        Ok(t) => t,
        Err(e) => {
            let mut all: Vec<Diagnostic> = e
                .problems()
                .iter()
                .map(|p| error(p.location(), p.to_string()))
                .collect();
            all.extend(diagnostics);
            return Err(RunError::failed(all));
        }
    };
    // Procedure dates given with the inputs are read against the plan's milestones;
    // without milestones nothing reads them, and that is said.
    let mut plan = request.plan;
    let unread = match &mut plan {
        Some(p) => p.add_procedures_from(&inputs),
        None => inputs
            .iter()
            .filter(|i| !i.procedure.is_empty())
            .map(|i| i.data.unit.clone())
            .collect(),
    };
    for unit in unread {
        let mut location = Location::of_unit(unit.clone());
        location.pointer = input_paths.get(&unit).map(|p| p.child("procedure"));
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            location,
            message: "procedure dates given, but the request's plan has no milestones to \
                      read them against: not used"
                .to_owned(),
            limit: None,
        });
    }
    let options = unreadable.into_iter().fold(
        AggregateOptions::default().with_rollups(request.rollups.clone()),
        |o, (unit, reason)| o.with_unreadable(unit, reason),
    );
    let aggregation = aggregate(&tree, request.year, &sets, &inputs, &options);
    Ok(Run {
        tree,
        sets,
        inputs,
        aggregation,
        plan,
        notice: request.notice,
        rollups: request.rollups,
        questions: request.questions,
        diagnostics,
        input_paths,
    })
}

/// Handles a request given as JSON text and returns the response as JSON text. Never
/// panics; every problem is reported in the response's diagnostics.
///
/// # Example
///
/// ```
/// let response = ntm_rules::contract::handle_json(r#"{"version": 2}"#);
/// let value: serde_json::Value = serde_json::from_str(&response).unwrap();
/// assert_eq!(value["ok"], false);
/// assert_eq!(value["diagnostics"][0]["pointer"], "/version");
/// assert_eq!(
///     value["diagnostics"][0]["message"],
///     "unsupported request version 2; this crate speaks version 1"
/// );
/// ```
pub fn handle_json(request: &str) -> String {
    handle_json_with_limits(request, &Limits::default())
}

/// [`handle_json`] with input limits (size, nesting depth, number of units). The
/// response is compact JSON.
pub fn handle_json_with_limits(request: &str, limits: &Limits) -> String {
    let response = response_for(request, limits);
    serde_json::to_string(&response).unwrap_or_else(|e| {
        // A `Value` always writes; the message is escaped as JSON.
        serde_json::json!({
            "version": VERSION,
            "ok": false,
            "results": {},
            "summaries": {},
            "diagnostics": [{
                "severity": "error",
                "message": format!("cannot write the response: {e}"),
            }],
        })
        .to_string()
    })
}

/// Handles a request given as JSON text and returns the [`Response`].
pub fn response_for(request: &str, limits: &Limits) -> Response {
    // An input over the size or depth limit is refused without being parsed.
    if let Err(e) = limits.check_text("request", request) {
        return Response::failed(vec![load_error(&e, None)]);
    }
    // The unit limit is checked while reading: parsing stops at the first unit past it.
    let request = match Request::from_checked_json(request, limits) {
        Ok(r) => r,
        Err(e) => {
            // A request of another version may not parse at all: say so first.
            #[derive(Deserialize)]
            struct Peek {
                version: Option<u32>,
            }
            let mut diagnostics = Vec::new();
            if let Ok(Peek { version: Some(v) }) = serde_json::from_str::<Peek>(request) {
                if v != VERSION {
                    diagnostics.push(error(
                        Location::at(JsonPointer::root().child("version")),
                        format!(
                            "unsupported request version {v}; this crate speaks version {VERSION}"
                        ),
                    ));
                }
            }
            diagnostics.push(load_error(&e, None));
            return Response::failed(diagnostics);
        }
    };
    if let Err(d) = crate::contract::request_limits::check_request(&request, limits) {
        return Response::failed(vec![*d]);
    }
    match run(request) {
        Ok(run) => run.into_response(),
        Err(e) => e.into_response(),
    }
}
