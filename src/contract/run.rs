//! Running a request: [`run`] for Rust callers (the text in, text out facade is
//! [`handle_json`](super::handle_json)).

use crate::contract::prepare::{all_diagnostics, prepare, InputPaths, Prepared};
use crate::contract::questions::Question;
use crate::contract::request::{Request, VERSION};
use crate::contract::response::{errors_first, Diagnostic, Response, RunError};
use crate::model::Label;
use crate::report::{Report, ReportError, ReportOptions};
use crate::tree::{aggregate, Aggregation, Hierarchy, LevelSets, Plan, RollUp, UnitInput};

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
