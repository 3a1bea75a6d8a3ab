//! Preparing a request for its pass: the sets resolved (catalog ids, inline sets,
//! overlays), every unit input read on its own, the tree validated; and the diagnostics
//! of a pass, at their places in the request. [`run`](super::run) and the streaming
//! writer of [`handle_json`](super::handle_json) share both.

use crate::contract::questions::Question;
use crate::contract::request::{Request, RequestInput, SetSource, VERSION};
use crate::contract::response::{error, load_error, Diagnostic, RunError, Severity};
use crate::engine::{check_level_sets, UnusedValue};
use crate::model::fast_hash::HashMap;
use crate::model::{JsonPointer, Label, Location, UnitCode};
#[cfg(feature = "catalog")]
use crate::policy::catalog;
use crate::policy::{apply_overlays, entries_for_unknown_sets, OverlayProblem};
use crate::tree::{
    AggregateOptions, Aggregation, ExclusionReason, Hierarchy, LevelSets, Plan, RollUp, UnitInput,
};
use std::collections::BTreeMap;

/// A request made ready for its pass: everything [`Run`](super::Run) holds but the
/// aggregation, and the pass's options.
#[derive(Debug)]
pub(super) struct Prepared {
    /// The validated tree.
    pub(super) tree: Hierarchy,
    /// The reporting year.
    pub(super) year: u16,
    /// The sets per level, overlays applied.
    pub(super) sets: Vec<LevelSets>,
    /// The units' inputs that could be read, in the request's order.
    pub(super) inputs: Vec<UnitInput>,
    /// The pass's options: the roll-ups, the units whose input could not be read.
    pub(super) options: AggregateOptions,
    /// The request's plan, procedure dates added.
    pub(super) plan: Option<Plan>,
    /// The request's notice.
    pub(super) notice: Option<Label>,
    /// The request's roll-ups.
    pub(super) rollups: Vec<RollUp>,
    /// The request's planning questions.
    pub(super) questions: Vec<Question>,
    /// Problems found while preparing.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Where each unit's input was in the request.
    pub(super) input_paths: InputPaths,
}

/// Prepares a request: resolves sets (catalog ids, inline sets, overlays), reads every
/// unit input on its own and validates the tree.
///
/// # Errors
///
/// A [`RunError`] with the failed response (`ok: false`, the reasons in its
/// diagnostics) when the version is not 1, a set cannot be resolved, an overlay does
/// not apply, or the tree is invalid.
pub(super) fn prepare(request: Request) -> Result<Prepared, RunError> {
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
    input_paths.0.reserve(request.inputs.len());
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
    Ok(Prepared {
        tree,
        year: request.year,
        sets,
        inputs,
        options,
        plan,
        notice: request.notice,
        rollups: request.rollups,
        questions: request.questions,
        diagnostics,
        input_paths,
    })
}

/// The diagnostics of a run (`diagnostics`, found while preparing it) and those of its
/// pass (the problem lists of `aggregation`; its results and summaries are not read),
/// errors first.
pub(super) fn all_diagnostics(
    diagnostics: &[Diagnostic],
    aggregation: &Aggregation,
    plan: Option<&Plan>,
    input_paths: &InputPaths,
) -> Vec<Diagnostic> {
    let mut diagnostics = diagnostics.to_vec();
    for ex in &aggregation.excluded {
        if matches!(ex.reason, ExclusionReason::Unreadable { .. }) {
            continue; // reported when the input was read
        }
        // The unit, the set of bad data and its value (when one is at fault), at its
        // place in the request.
        let mut location = ex.location();
        if let Some(input) = input_paths.get(&ex.unit) {
            location.pointer = Some(match &location.indicator {
                Some(i) => input.child("data").child("values").child(i),
                None => input,
            });
        }
        diagnostics.push(error(location, ex.reason.to_string()));
    }
    for p in &aggregation.derived_problems {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            location: p.location(),
            message: format!("derived indicator `{}`: {}", p.indicator, p.reason),
            limit: None,
        });
    }
    for p in &aggregation.incomplete_profiles {
        let mut location = p.location();
        if let Some(input) = input_paths.get(&p.unit) {
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
    let read_by_plan = |v: &UnusedValue| plan.is_some_and(|p| p.reads_value(&v.unit, &v.indicator));
    for v in aggregation
        .unused_values
        .iter()
        .filter(|v| !read_by_plan(v))
    {
        let mut location = v.location();
        if let Some(input) = input_paths.get(&v.unit) {
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
    for u in &aggregation.unknown_inputs {
        diagnostics.push(error(
            input_location(input_paths, u),
            "input for a unit that is not in the tree",
        ));
    }
    diagnostics.sort_by_key(|d| d.severity != Severity::Error);
    diagnostics
}

/// Where a unit's input was in the request (the unit alone if it had none).
fn input_location(input_paths: &InputPaths, unit: &UnitCode) -> Location {
    let location = Location::of_unit(unit.clone());
    match input_paths.get(unit) {
        Some(pointer) => location.with_pointer(pointer),
        None => location,
    }
}

/// The index in the request's `inputs` of each unit's input.
#[derive(Debug, Default)]
pub(super) struct InputPaths(HashMap<UnitCode, usize>);

impl InputPaths {
    /// The JSON Pointer of a unit's input (`/inputs/3`), when it had one.
    pub(super) fn get(&self, unit: &UnitCode) -> Option<JsonPointer> {
        let i = *self.0.get(unit)?;
        Some(JsonPointer::root().child("inputs").child(i))
    }
}
