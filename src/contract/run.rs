//! Running a request: [`run`] for Rust callers, [`handle_json`] for text in and text out
//! (the command line and the C ABI), never panicking.

use crate::contract::prepare::{all_diagnostics, prepare, InputPaths, Prepared};
use crate::contract::questions::Question;
use crate::contract::request::{Request, VERSION};
use crate::contract::response::{error, load_error, Diagnostic, Response, Severity};
use crate::contract::response_writer;
use crate::model::{JsonPointer, Label, Limits, Location};
use crate::report::{Report, ReportError, ReportOptions};
use crate::tree::{aggregate, Aggregation, Hierarchy, LevelSets, Plan, RollUp, UnitInput};
use serde::Deserialize;

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
        all_diagnostics(
            &self.diagnostics,
            &self.aggregation,
            self.plan.as_ref(),
            &self.input_paths,
        )
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

/// A request that cannot be run at all, with the failed [`Response`] (`ok: false`) whose
/// diagnostics say why.
#[derive(Debug, Clone, PartialEq)]
pub struct RunError(Box<Response>);

impl RunError {
    pub(super) fn failed(diagnostics: Vec<Diagnostic>) -> RunError {
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
pub(super) fn errors_first(
    mut diagnostics: Vec<Diagnostic>,
    refused: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
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
    prepare(request).map(Run::of)
}

impl Run {
    /// Runs the pass of a prepared request.
    pub(super) fn of(p: Prepared) -> Run {
        let aggregation = aggregate(&p.tree, p.year, &p.sets, &p.inputs, &p.options);
        Run {
            tree: p.tree,
            sets: p.sets,
            inputs: p.inputs,
            aggregation,
            plan: p.plan,
            notice: p.notice,
            rollups: p.rollups,
            questions: p.questions,
            diagnostics: p.diagnostics,
            input_paths: p.input_paths,
        }
    }
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
///
/// The text is the one [`response_for`] gives, written as JSON (`serde_json::to_string`),
/// byte for byte; but unless the request asks planning questions or for milestones,
/// the response is written straight from a compact pass
/// ([`aggregate_compact`](crate::tree::aggregate_compact)), each unit's full result built
/// when it is written, so that no [`Response`] holding them all is ever built.
pub fn handle_json_with_limits(request: &str, limits: &Limits) -> String {
    let written = match read(request, limits) {
        Ok(request) => match prepare(request) {
            Ok(prepared) => response_writer::write(prepared),
            Err(e) => serde_json::to_string(e.response()),
        },
        Err(failed) => serde_json::to_string(&failed),
    };
    written.unwrap_or_else(|e| {
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
    let request = match read(request, limits) {
        Ok(r) => r,
        Err(failed) => return failed,
    };
    match run(request) {
        Ok(run) => run.into_response(),
        Err(e) => e.into_response(),
    }
}

/// Reads a request within the limits, or gives the failed response that says why not.
fn read(request: &str, limits: &Limits) -> Result<Request, Response> {
    // An input over the size or depth limit is refused without being parsed.
    if let Err(e) = limits.check_text("request", request) {
        return Err(Response::failed(vec![load_error(&e, None)]));
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
            return Err(Response::failed(diagnostics));
        }
    };
    if let Err(d) = crate::contract::request_limits::check_request(&request, limits) {
        return Err(Response::failed(vec![*d]));
    }
    Ok(request)
}
