//! Values no set reads: [`UnusedValue`], with a did-you-mean hint.
//!
//! A unit's data usually serves several sets (standard, advanced, model), so a value
//! that one set does not read is not a problem; a value that *no* set of the unit's level
//! reads is, most often, a misspelt indicator id (`10.l` for `10.1`) whose real value is
//! then missing. [`KnownIds`] is the union of the indicator ids of the sets of a level;
//! [`KnownIds::unused`] lists the values outside it, each with the nearest known id when
//! it is close (an edit distance of at most 2, and less than the id's length).

use crate::model::{CriteriaSet, IndicatorData, IndicatorId, Location, UnitCode};
use serde::Serialize;
use std::fmt;

/// A value that no criteria set of the unit's level reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct UnusedValue {
    /// The unit.
    pub unit: UnitCode,
    /// The indicator id given in the data.
    pub indicator: IndicatorId,
    /// The indicator of the sets whose id is nearest, when one is close.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<IndicatorId>,
}

impl UnusedValue {
    /// Where: the unit and the indicator id as given.
    pub fn location(&self) -> Location {
        Location::of_unit(self.unit.clone()).with_indicator(self.indicator.clone())
    }
}

impl fmt::Display for UnusedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unit `{}`: the value of `{}` is read by no criteria set of the unit's level",
            self.unit, self.indicator
        )?;
        match &self.did_you_mean {
            Some(id) => write!(f, "; did you mean `{id}`?"),
            None => Ok(()),
        }
    }
}

/// The indicator ids of some criteria sets (criteria and preconditions), sorted and
/// without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KnownIds(Vec<IndicatorId>);

impl KnownIds {
    /// The ids of every indicator of `sets`.
    pub(crate) fn of_sets<'a>(sets: impl IntoIterator<Item = &'a CriteriaSet>) -> KnownIds {
        let mut ids: Vec<IndicatorId> = sets
            .into_iter()
            .flat_map(CriteriaSet::all_indicators)
            .map(|i| i.id.clone())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        KnownIds(ids)
    }

    /// These ids and `more` (the indicators that roll-ups read, say).
    pub(crate) fn with<'a>(mut self, more: impl IntoIterator<Item = &'a IndicatorId>) -> KnownIds {
        self.0.extend(more.into_iter().cloned());
        self.0.sort_unstable();
        self.0.dedup();
        self
    }

    /// Pushes to `out` every value of `data` whose id is not known, in id order.
    /// Walks the sorted values and the sorted ids side by side.
    pub(crate) fn unused(&self, data: &IndicatorData, out: &mut Vec<UnusedValue>) {
        let mut known = self.0.iter().peekable();
        for id in data.values.keys() {
            while known.next_if(|k| *k < id).is_some() {}
            if known.next_if(|k| *k == id).is_some() {
                continue;
            }
            out.push(UnusedValue {
                unit: data.unit.clone(),
                indicator: id.clone(),
                did_you_mean: self.nearest(id),
            });
        }
    }

    /// The known id nearest to `id` by edit distance, when it is at most 2 and less than
    /// the length of `id`; the first in id order on a tie.
    fn nearest(&self, id: &IndicatorId) -> Option<IndicatorId> {
        let given: Vec<char> = id.as_str().chars().collect();
        let limit = 2.min(given.len().saturating_sub(1));
        self.0
            .iter()
            .map(|k| (edit_distance(&given, k.as_str()), k))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k.clone())
    }
}

/// Levenshtein distance between `a` (as chars) and `b`: the fewest insertions,
/// deletions and substitutions of one character that turn one into the other.
pub(crate) fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != cb);
            let best = (diagonal + cost)
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = best;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::policy::illustrative;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), b);
        assert_eq!(d("10.l", "10.1"), 1);
        assert_eq!(d("101", "10.1"), 1);
        assert_eq!(d("10.11", "10.1"), 1);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "ab"), 2);
        assert_eq!(d("Xã", "Xa"), 1);
    }

    #[test]
    fn misspelt_indicator_id_is_reported_with_the_id_it_was_meant_for() {
        let known = KnownIds::of_sets(&illustrative::commune_sets());
        let mut data = illustrative::sample_commune("X1", 2022);
        let value = data.values.remove(&IndicatorId::new("10.1")).unwrap();
        data.values.insert(IndicatorId::new("10.l"), value);
        data.values
            .insert(IndicatorId::new("zzz.9"), Value::Flag(true));
        let mut out = Vec::new();
        known.unused(&data, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].indicator.as_str(), "10.l");
        assert_eq!(out[0].did_you_mean, Some(IndicatorId::new("10.1")));
        assert!(out[0].to_string().contains("did you mean `10.1`?"));
        // Far from every id: no hint.
        assert_eq!(out[1].indicator.as_str(), "zzz.9");
        assert_eq!(out[1].did_you_mean, None);
    }

    #[test]
    fn a_value_read_by_any_set_of_the_level_is_not_unused() {
        // M1.1 is read by the model set only.
        let known = KnownIds::of_sets(&illustrative::commune_sets());
        let data = illustrative::sample_commune("X1", 2022).with("M1.1", Value::Flag(true));
        let mut out = Vec::new();
        known.unused(&data, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
