//! The sets of one scheme and level checked together: a unit has one value per indicator
//! id for all the tiers of its level, so an id that two sets read must mean one kind of
//! value (the same kind, the same unit, the same grades).

use crate::engine::problem::{SetProblem, SetProblemKind};
use crate::model::{CriteriaSet, IndicatorId, Level, Location, SchemeId, SetId, ValueKind};
use std::collections::BTreeMap;

/// Checks the sets of each scheme and level together: reports every indicator id that two
/// sets of one scheme and level use with different kinds or units (the catalog's model
/// commune set once reused the standard set's `4.1`, a yes/no, as a count). Sets of other
/// schemes or levels never conflict. Each conflict is reported once, at the later set.
///
/// # Example
///
/// ```
/// use ntm_rules::engine::check_level_sets;
/// use ntm_rules::policy::illustrative;
///
/// assert!(check_level_sets(&illustrative::commune_sets()).is_empty());
/// ```
pub fn check_level_sets(sets: &[CriteriaSet]) -> Vec<SetProblem> {
    type Seen<'a> = BTreeMap<&'a IndicatorId, (&'a SetId, &'a ValueKind)>;
    let mut groups: BTreeMap<(&SchemeId, Level), Seen<'_>> = BTreeMap::new();
    let mut problems = Vec::new();
    for set in sets {
        let seen = groups.entry((&set.scheme.id, set.level)).or_default();
        let criteria = set
            .criteria
            .iter()
            .flat_map(|c| c.indicators.iter().map(move |i| (Some(&c.id), i)));
        let preconditions = set.preconditions.iter().map(|i| (None, i));
        for (criterion, indicator) in criteria.chain(preconditions) {
            match seen.get(&indicator.id) {
                Some((other_set, other_kind))
                    if *other_set != &set.id && *other_kind != &indicator.kind =>
                {
                    let mut location =
                        Location::of_set(set.id.clone()).with_indicator(indicator.id.clone());
                    location.criterion = criterion.cloned();
                    problems.push(SetProblem {
                        location,
                        kind: SetProblemKind::IdKindConflict {
                            indicator: indicator.id.clone(),
                            kind: describe(&indicator.kind),
                            other_set: (*other_set).clone(),
                            other_kind: describe(other_kind),
                        },
                    });
                }
                Some(_) => {}
                None => {
                    seen.insert(&indicator.id, (&set.id, &indicator.kind));
                }
            }
        }
    }
    problems
}

/// The kind as a short text with its unit or grades (`decimal (%)`, `count`).
fn describe(kind: &ValueKind) -> String {
    match kind {
        ValueKind::Decimal { unit } => format!("decimal ({})", unit.symbol(crate::model::Lang::En)),
        ValueKind::Count => "count".to_owned(),
        ValueKind::YesNo => "yes/no".to_owned(),
        ValueKind::Grade { grades } => format!("grade ({})", grades.join(" < ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CriterionId, Unit};

    fn set(id: &str, tier: &str, kinds: &[(&str, ValueKind)]) -> CriteriaSet {
        let mut set = crate::policy::illustrative::commune_standard();
        set.id = SetId::new(id);
        set.tier = tier.into();
        set.revocation = None;
        set.preconditions.clear();
        set.criteria.truncate(1);
        if let Some(c) = set.criteria.first_mut() {
            c.id = CriterionId::new("1");
            c.indicators.truncate(1);
            let template = c.indicators.first().cloned();
            c.indicators = kinds
                .iter()
                .filter_map(|(i, k)| {
                    let mut ind = template.clone()?;
                    ind.id = IndicatorId::new(*i);
                    ind.kind = k.clone();
                    Some(ind)
                })
                .collect();
        }
        set
    }

    #[test]
    fn one_id_with_two_kinds_across_tiers_is_refused() {
        let standard = set("s", "standard", &[("4.1", ValueKind::YesNo)]);
        let model = set("m", "model", &[("4.1", ValueKind::Count)]);
        let problems = check_level_sets(&[standard, model]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        assert_eq!(p.location.set.as_ref().map(SetId::as_str), Some("m"));
        assert_eq!(
            p.location.indicator.as_ref().map(IndicatorId::as_str),
            Some("4.1")
        );
        assert_eq!(
            p.to_string(),
            "set `m`, criterion `1`, indicator `4.1`: indicator `4.1` is a count here but a yes/no in set `s` of the same scheme and level; one value cannot be both"
        );
    }

    #[test]
    fn one_id_with_two_units_is_refused_and_the_same_kind_is_shared() {
        let pct = ValueKind::Decimal {
            unit: Unit::Percent,
        };
        let money = ValueKind::Decimal {
            unit: Unit::MillionVndPerPersonYear,
        };
        let standard = set(
            "s",
            "standard",
            &[("2.1", pct.clone()), ("10.1", money.clone())],
        );
        let model = set("m", "model", &[("2.1", money.clone()), ("10.1", money)]);
        let problems = check_level_sets(&[standard, model]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .to_string()
                .contains("but a decimal (%) in set `s`"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn other_levels_and_schemes_never_conflict() {
        let standard = set("s", "standard", &[("4.1", ValueKind::YesNo)]);
        let mut district = set("d", "standard", &[("4.1", ValueKind::Count)]);
        district.level = Level::District;
        let mut other_scheme = set("o", "standard", &[("4.1", ValueKind::Count)]);
        other_scheme.scheme.id = SchemeId::new("2026-2030");
        assert!(check_level_sets(&[standard, district, other_scheme]).is_empty());
    }
}
