//! Writing the response of a request as JSON straight from its pass: the text
//! [`response_for`](super::response_for) gives, written by `serde_json::to_string`,
//! byte for byte, without a [`Response`](super::Response) that holds every unit's result.
//!
//! The pass is the compact one ([`aggregate_compact`]): its results are compact, by tree
//! position. The writer builds each unit's full [`UnitResult`](crate::tree::UnitResult)
//! when it writes it, one at a time, in unit code order (the order of the response's
//! `BTreeMap`), then each summary the same way, then the plan's progress and the
//! diagnostics. A request that asks planning questions, or for milestones read from
//! every unit's result, needs the whole [`Aggregation`]: it is run as
//! [`run`](super::run) runs it.

use crate::contract::prepare::{all_diagnostics, Prepared};
use crate::contract::request::VERSION;
use crate::contract::response::{errors_first, Diagnostic};
use crate::contract::run::Run;
use crate::tree::{aggregate_compact, CompactAggregation, Plan, PlanProgress};
use serde::ser::{Error as _, SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use std::cell::RefCell;

/// The response of a prepared request as compact JSON.
pub(super) fn write(p: Prepared) -> serde_json::Result<String> {
    if needs_aggregation(&p) {
        return serde_json::to_string(&Run::of(p).into_response());
    }
    let mut compact = aggregate_compact(&p.tree, p.year, &p.sets, &p.inputs, &p.options);
    // `aggregate` gives every unit of the tree a result; should the compact pass leave
    // one without, the response needs `aggregate`.
    if (0..compact.len()).any(|pos| compact.result(pos).is_none()) {
        drop(compact);
        return serde_json::to_string(&Run::of(p).into_response());
    }
    // What `Run::into_response` gives with no questions: no answers, nothing refused.
    let diagnostics = errors_first(
        all_diagnostics(
            &p.diagnostics,
            compact.aggregation(),
            p.plan.as_ref(),
            &p.input_paths,
        ),
        Vec::new(),
    );
    let plan = p.plan.as_ref().map(|plan| progress(plan, &p, &mut compact));
    // Positions are in code order; sorted again (a stable sort of a sorted list: one
    // comparison per unit) so that the order is the `BTreeMap`'s by construction.
    let mut order: Vec<usize> = (0..p.tree.len()).collect();
    order.sort_by(|&a, &b| {
        p.tree
            .at(a)
            .map(|u| &u.code)
            .cmp(&p.tree.at(b).map(|u| &u.code))
    });
    serde_json::to_string(&Body {
        compact: RefCell::new(&mut compact),
        order: &order,
        plan,
        diagnostics,
    })
}

/// Whether the response needs the whole aggregation: planning questions are answered
/// from it, and milestones for the units of a level read every result.
fn needs_aggregation(p: &Prepared) -> bool {
    let milestones = p
        .plan
        .as_ref()
        .and_then(|plan| plan.milestones.as_ref())
        .is_some_and(|m| m.units.is_empty());
    !p.questions.is_empty() || milestones
}

/// The plan's progress, which reads the scope's result and summary only (and the
/// milestones of the units the plan names, not the results): [`Plan::progress`] on an
/// aggregation holding just those.
fn progress(plan: &Plan, p: &Prepared, compact: &mut CompactAggregation<'_>) -> PlanProgress {
    let mut scope = compact.aggregation().clone();
    if let Some(pos) = p.tree.position(plan.scope.as_str()) {
        if let Some(r) = compact.unit_result(pos) {
            scope.results.insert(r.unit.clone(), r);
        }
        if let Some(s) = compact.summary(pos) {
            scope.summaries.insert(s.unit.clone(), s);
        }
    }
    plan.progress(&scope)
}

/// The response's fields, as [`Response`](super::Response) writes them (no answers:
/// none are asked).
struct Body<'r, 'a> {
    compact: RefCell<&'r mut CompactAggregation<'a>>,
    order: &'r [usize],
    plan: Option<PlanProgress>,
    diagnostics: Vec<Diagnostic>,
}

impl Serialize for Body<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = 5 + usize::from(self.plan.is_some());
        let mut s = serializer.serialize_struct("Response", fields)?;
        s.serialize_field("version", &VERSION)?;
        s.serialize_field("ok", &true)?;
        s.serialize_field("results", &Results(self))?;
        s.serialize_field("summaries", &Summaries(self))?;
        match &self.plan {
            Some(plan) => s.serialize_field("plan", plan)?,
            None => s.skip_field("plan")?,
        }
        s.skip_field("answers")?;
        s.serialize_field("diagnostics", &self.diagnostics)?;
        s.end()
    }
}

/// Every unit's full result, by code, each built when it is written.
struct Results<'b, 'r, 'a>(&'b Body<'r, 'a>);

impl Serialize for Results<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // INVARIANT: nothing else borrows the pass while the results are written.
        let mut compact = self.0.compact.try_borrow_mut().map_err(S::Error::custom)?;
        let mut map = serializer.serialize_map(None)?;
        for &pos in self.0.order {
            if let Some(r) = compact.unit_result(pos) {
                map.serialize_entry(&r.unit, &r)?;
            }
        }
        map.end()
    }
}

/// Every summary, by code, each built when it is written.
struct Summaries<'b, 'r, 'a>(&'b Body<'r, 'a>);

impl Serialize for Summaries<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let compact = self.0.compact.try_borrow().map_err(S::Error::custom)?;
        let mut map = serializer.serialize_map(None)?;
        for &pos in self.0.order {
            if let Some(s) = compact.summary(pos) {
                map.serialize_entry(&s.unit, &s)?;
            }
        }
        map.end()
    }
}
