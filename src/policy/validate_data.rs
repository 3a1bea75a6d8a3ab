//! Validation of indicator data: [`validate_data`] checks a batch of units' data against
//! sets: unknown indicator ids (with the nearest known id as a hint), values of the wrong
//! kind or out of range, duplicate unit codes; it reports per unit and goes on with the
//! batch.

use crate::engine::{compile, DataProblem, Program};
use crate::model::{
    CriteriaSet, IndicatorData, IndicatorId, JsonPointer, Location, Profile, SetId, UnitCode,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// One unit's data problems found by [`validate_data`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DataIssue {
    /// The unit.
    pub unit: UnitCode,
    /// Position of the unit's record in the batch (0-based).
    pub index: usize,
    /// What.
    pub kind: DataIssueKind,
}

impl DataIssue {
    /// Where: the unit, its record in the batch (as a JSON Pointer into the array of
    /// records), and the set and indicator when the issue is about one value.
    pub fn location(&self) -> Location {
        let record = JsonPointer::root().child(self.index);
        let (set, indicator) = match &self.kind {
            DataIssueKind::UnknownIndicator { indicator, .. } => (None, Some(indicator)),
            DataIssueKind::Value { set, problem } => (Some(set), problem.indicator.as_ref()),
            DataIssueKind::DuplicateUnit { .. } => (None, None),
        };
        let mut at = Location::of_unit(self.unit.clone());
        at.set = set.cloned();
        match indicator {
            Some(i) => at
                .with_pointer(record.child("values").child(i))
                .with_indicator(i.clone()),
            None => at.with_pointer(record),
        }
    }
}

impl fmt::Display for DataIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unit `{}` (record {}): {}",
            self.unit, self.index, self.kind
        )
    }
}

/// What is wrong with a unit's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "issue", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataIssueKind {
    /// An indicator id that none of the sets has.
    #[error("unknown indicator `{indicator}`{}", hint.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
    UnknownIndicator {
        /// The id given.
        indicator: IndicatorId,
        /// The nearest known id, if one is close.
        hint: Option<IndicatorId>,
    },
    /// The same unit code appears in an earlier record.
    #[error("duplicate unit code, first seen in record {first}")]
    DuplicateUnit {
        /// Record of the first occurrence.
        first: usize,
    },
    /// A value does not fit its indicator (wrong kind, out of range, unknown grade).
    #[error("set `{set}`: {problem}")]
    Value {
        /// The set whose indicator it is.
        set: SetId,
        /// The problem.
        problem: DataProblem,
    },
}

/// Validates a batch of units' indicator data against criteria sets: every value must
/// belong to an indicator of one of the sets and fit its kind and range, and unit codes
/// must be unique. Reports every problem of every unit; one bad unit does not stop the
/// others from being checked.
///
/// # Example
///
/// ```
/// use ntm_rules::policy::{illustrative, validate_data};
/// use ntm_rules::model::Value;
///
/// let sets = illustrative::commune_sets();
/// let data = vec![illustrative::sample_commune("A", 2022).with("10.2", Value::Flag(true))];
/// let issues = validate_data(&sets, &data);
/// assert_eq!(
///     issues[0].to_string(),
///     "unit `A` (record 0): unknown indicator `10.2` (did you mean `10.1`?)"
/// );
/// ```
pub fn validate_data(sets: &[CriteriaSet], data: &[IndicatorData]) -> Vec<DataIssue> {
    // Kinds and ranges do not depend on the profile; compile each set for the empty
    // profile and the year of the data (sets that do not compile are skipped: validate
    // them with `validate_set`).
    let known: BTreeSet<&IndicatorId> = sets
        .iter()
        .flat_map(|s| s.all_indicators().map(|i| &i.id))
        .collect();
    let mut programs: HashMap<(usize, u16), Option<Program>> = HashMap::new();
    let mut first_seen: HashMap<&UnitCode, usize> = HashMap::new();
    let mut out = Vec::new();
    for (index, unit) in data.iter().enumerate() {
        let issue = |kind| DataIssue {
            unit: unit.unit.clone(),
            index,
            kind,
        };
        if let Some(&first) = first_seen.get(&unit.unit) {
            out.push(issue(DataIssueKind::DuplicateUnit { first }));
        } else {
            first_seen.insert(&unit.unit, index);
        }
        for id in unit.values.keys().filter(|id| !known.contains(id)) {
            out.push(issue(DataIssueKind::UnknownIndicator {
                indicator: id.clone(),
                hint: nearest(id.as_str(), known.iter().map(|k| k.as_str())).map(IndicatorId::new),
            }));
        }
        let mut reported: BTreeSet<&IndicatorId> = BTreeSet::new();
        for (si, set) in sets.iter().enumerate() {
            if !set.scheme.years.contains(unit.year) {
                continue;
            }
            let program = programs
                .entry((si, unit.year))
                .or_insert_with(|| compile(set, &Profile::default(), unit.year).ok());
            let Some(program) = program else { continue };
            if let Err(e) = program.bind(unit) {
                for p in e.problems {
                    // A value shared by several sets is reported once.
                    let key = p
                        .indicator
                        .as_ref()
                        .and_then(|i| unit.values.get_key_value(i))
                        .map(|(k, _)| k);
                    if key.is_some_and(|k| !reported.insert(k)) {
                        continue;
                    }
                    if matches!(p.kind, crate::engine::DataProblemKind::YearMismatch { .. }) {
                        continue;
                    }
                    out.push(issue(DataIssueKind::Value {
                        set: set.id.clone(),
                        problem: p,
                    }));
                }
            }
        }
    }
    out
}

/// The candidate closest to `word` by edit distance, if within a third of its length
/// (at least 2 edits).
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::illustrative;

    #[test]
    fn data_problems_are_per_unit_and_the_batch_goes_on() {
        let sets = illustrative::commune_sets();
        let good = illustrative::sample_commune("B", 2022);
        let bad = illustrative::sample_commune("A", 2022)
            .with("3.1", crate::model::Value::Number(150.into()));
        let issues = validate_data(&sets, &[bad, good.clone(), good]);
        let texts: Vec<String> = issues.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            vec![
                "unit `A` (record 0): set `illustrative-commune-standard`: indicator `3.1`: percentage 150 is outside 0-100",
                "unit `B` (record 2): duplicate unit code, first seen in record 1",
            ]
        );
        let at: Vec<String> = issues.iter().map(|i| i.location().to_string()).collect();
        assert_eq!(
            at,
            vec![
                "unit `A`, set `illustrative-commune-standard`, indicator `3.1`, at `/0/values/3.1`",
                "unit `B`, at `/2`",
            ]
        );
    }

    #[test]
    fn nearest_id_hint() {
        assert_eq!(
            nearest("17.10", ["17.1", "1.1", "10.1"].into_iter()),
            Some("17.1")
        );
        assert_eq!(nearest("abcdef", ["17.1"].into_iter()), None);
    }
}
