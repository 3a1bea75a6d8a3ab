//! The setup of a one-unit evaluator: its criteria sets (catalog ids, sets given in
//! full, or the text of a set file), the provincial overlays applied to them, and the
//! reporting year.

use crate::problem::Problem;
use ntm_rules::engine::check_level_sets;
#[cfg(feature = "catalog")]
use ntm_rules::model::from_json;
use ntm_rules::model::{from_json_with_limits, JsonPointer, Limit, Limits, Location};
#[cfg(feature = "catalog")]
use ntm_rules::policy::catalog;
use ntm_rules::policy::{apply_overlays, Overlay};
use ntm_rules::CriteriaSet;
use serde::Deserialize;

/// Where a set or an overlay comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum Source<T> {
    /// A built-in catalog set, by id (sets only).
    Catalog(String),
    /// The document given in full, as JSON.
    Inline(Box<T>),
    /// The text of a file (a set file the user picked): read here, so that a file that
    /// is not a set is reported at its own line and JSON Pointer.
    Text(String),
}

/// What [`crate::UnitEvaluator::new`] reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Setup {
    /// The sets of one level, one per tier (any order).
    pub(crate) sets: Vec<Source<CriteriaSet>>,
    /// Overlays applied to the sets they name, in order.
    #[serde(default)]
    pub(crate) overlays: Vec<Source<Overlay>>,
    /// The reporting year.
    pub(crate) year: u16,
}

/// The sets, overlays applied, or every problem found.
pub(crate) struct Resolved {
    pub(crate) sets: Vec<CriteriaSet>,
    pub(crate) year: u16,
    /// Warnings (an overlay that touches none of the sets).
    pub(crate) warnings: Vec<Problem>,
}

/// A warning for every overlay with entries for sets not given (a provincial overlay
/// usually covers every level, and a page evaluates one): those entries are not
/// applied, and the user is told which sets they are for.
fn not_applied(overlays: &[Overlay], sets: &[CriteriaSet], field: &JsonPointer) -> Vec<Problem> {
    overlays
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let mut others: Vec<&str> = o
                .thresholds
                .iter()
                .filter(|e| !sets.iter().any(|s| s.id == e.set))
                .map(|e| e.set.as_str())
                .collect();
            let entries = others.len();
            others.sort_unstable();
            others.dedup();
            (entries > 0).then(|| {
                Problem::warning(
                    Some(&field.clone().child(i)),
                    Location::new().with_document(o.id.clone()),
                    format!(
                        "{entries} of the {} entries of overlay `{}` are for sets not given here, \
                         and are not applied: {}",
                        o.thresholds.len(),
                        o.id,
                        others.join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// Reads a document of a source.
fn read<T: serde::de::DeserializeOwned>(
    what: &'static str,
    field: &JsonPointer,
    source: Source<T>,
    limits: &Limits,
) -> Result<T, Problem> {
    match source {
        Source::Inline(doc) => Ok(*doc),
        Source::Text(text) => from_json_with_limits(what, &text, limits).map_err(|e| {
            Problem::error(
                Some(field),
                e.location().with_document(what),
                format!("this file is not a {what}: {}", e.message()),
            )
        }),
        Source::Catalog(id) => catalog_set::<T>(what, field, &id),
    }
}

#[cfg(feature = "catalog")]
fn catalog_set<T: serde::de::DeserializeOwned>(
    what: &'static str,
    field: &JsonPointer,
    id: &str,
) -> Result<T, Problem> {
    let error = |message: String| Problem::error(Some(field), Location::of_set(id), message);
    let entry = catalog::entry(id).ok_or_else(|| {
        error(format!(
            "the catalog has no set `{id}` (see `catalog()` for the ids)"
        ))
    })?;
    if what != "criteria set" {
        return Err(error(format!("`{id}` is a catalog set, not an {what}")));
    }
    from_json(what, entry.json).map_err(|e| error(format!("built-in set `{id}`: {e}")))
}

#[cfg(not(feature = "catalog"))]
fn catalog_set<T>(_what: &'static str, field: &JsonPointer, id: &str) -> Result<T, Problem> {
    Err(Problem::error(
        Some(field),
        Location::of_set(id),
        format!(
            "set `{id}` is named from the built-in catalog, which this build leaves out \
             (feature `catalog`): give the set in full or as a file"
        ),
    ))
}

impl Setup {
    /// Reads a setup from JSON text. A `text` source holds a whole file, so the setup's
    /// strings are bounded by the size limit, not the string limit; each file's text is
    /// then read within every limit ([`read`]; an inline document of the setup is
    /// bounded by the size limit only).
    pub(crate) fn from_json(text: &str, limits: &Limits) -> Result<Setup, Problem> {
        let outer = limits.with(Limit::MaxStringBytes, limits.get(Limit::MaxBytes));
        from_json_with_limits("evaluator setup", text, &outer)
            .map_err(|e| Problem::error(None, e.location(), e.message()))
    }

    /// Reads every source, applies the overlays and checks the sets together; every
    /// problem at once.
    pub(crate) fn resolve(self, limits: &Limits) -> Result<Resolved, Vec<Problem>> {
        let mut problems = Vec::new();
        let sets_field = JsonPointer::root().child("sets");
        let overlays_field = JsonPointer::root().child("overlays");
        let mut overlays = Vec::new();
        for (i, source) in self.overlays.into_iter().enumerate() {
            match read("overlay", &overlays_field.clone().child(i), source, limits) {
                Ok(o) => overlays.push(o),
                Err(p) => problems.push(p),
            }
        }
        let mut sets = Vec::new();
        for (i, source) in self.sets.into_iter().enumerate() {
            let field = sets_field.clone().child(i);
            let set = match read("criteria set", &field, source, limits) {
                Ok(s) => s,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
            match apply_overlays(&set, &overlays) {
                Ok(s) => sets.push(s),
                Err(e) => problems.extend(
                    e.problems()
                        .iter()
                        .map(|p| Problem::error(Some(&field), p.location().clone(), p.to_string())),
                ),
            }
        }
        if sets.is_empty() && problems.is_empty() {
            problems.push(Problem::error(
                Some(&sets_field),
                Location::new(),
                "no criteria set: give at least one",
            ));
        }
        problems.extend(
            check_level_sets(&sets)
                .into_iter()
                .map(|p| Problem::error(Some(&sets_field), p.location.clone(), p.kind.to_string())),
        );
        if !problems.is_empty() {
            return Err(problems);
        }
        let warnings = not_applied(&overlays, &sets, &overlays_field);
        Ok(Resolved {
            sets,
            year: self.year,
            warnings,
        })
    }
}
