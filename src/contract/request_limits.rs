//! The limits of a request that are checked once it is read and before the expensive
//! work (resolving and compiling sets, evaluating units): criteria sets and overlays,
//! indicators and threshold rows of an inline set, distinct unit profiles.

use crate::contract::request::{Request, SetSource};
use crate::contract::response::{error, Diagnostic};
use crate::model::{CriteriaSet, Exceeded, JsonPointer, Limit, Limits, Location};
use std::collections::HashSet;

/// The first limit the request goes past, as an error at its place.
pub(super) fn check_request(request: &Request, limits: &Limits) -> Result<(), Box<Diagnostic>> {
    let at = |pointer: JsonPointer, e: Exceeded, found: String| {
        Box::new(Diagnostic {
            limit: Some(e),
            ..error(Location::at(pointer), e.message(found))
        })
    };
    let root = JsonPointer::root();
    let sets: usize = request.sets.iter().map(|l| l.sets.len()).sum();
    limits.check(Limit::MaxSets, sets).map_err(|e| {
        at(
            root.clone().child("sets"),
            e,
            format!("{sets} criteria sets"),
        )
    })?;
    let overlays = request.overlays.len();
    limits.check(Limit::MaxSets, overlays).map_err(|e| {
        at(
            root.clone().child("overlays"),
            e,
            format!("{overlays} overlays"),
        )
    })?;
    for (i, level) in request.sets.iter().enumerate() {
        for (j, source) in level.sets.iter().enumerate() {
            if let SetSource::Inline(set) = source {
                let pointer = root.clone().child("sets").child(i).child("sets").child(j);
                check_set(set, limits).map_err(|(e, found)| at(pointer, e, found))?;
            }
        }
    }
    let profiles: HashSet<_> = request
        .inputs
        .iter()
        .filter_map(|i| i.read().map(|i| &i.profile))
        .collect();
    limits
        .check(Limit::MaxProfiles, profiles.len())
        .map_err(|e| {
            let found = format!("{} distinct unit profiles", profiles.len());
            at(root.child("inputs"), e, found)
        })
}

/// The indicators and threshold rows of one criteria set against the limits.
fn check_set(set: &CriteriaSet, limits: &Limits) -> Result<(), (Exceeded, String)> {
    let indicators = set
        .criteria
        .iter()
        .flat_map(|c| &c.indicators)
        .chain(&set.preconditions);
    let (count, rows) = indicators.fold((0usize, 0usize), |(n, r), i| {
        (n.saturating_add(1), r.saturating_add(i.thresholds.len()))
    });
    limits
        .check(Limit::MaxIndicators, count)
        .map_err(|e| (e, format!("set `{}` has {count} indicators", set.id)))?;
    limits
        .check(Limit::MaxRows, rows)
        .map_err(|e| (e, format!("set `{}` has {rows} threshold rows", set.id)))
}
