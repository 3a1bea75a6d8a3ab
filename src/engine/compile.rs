//! Definitions → [`Program`]: the second stage of the pipeline.
//!
//! [`compile`] checks a criteria set, applies its profile rules to the unit's profile,
//! picks the one threshold row that applies to the profile and year for every
//! indicator, and lays the indicators out as slots in one dense array. The result is
//! opaque, immutable, `Send + Sync` and reusable: compile once per (set, profile, year),
//! then evaluate any number of units with [`Program::evaluate`].

use crate::engine::assessment::{Provenance, SchemeTiers, UndeterminedReason};
use crate::engine::check::check_set;
use crate::engine::keys::{fast_check, Check, Encoding, Group, Test};
use crate::engine::problem::{CompileError, SetProblem, SetProblemKind};
use crate::engine::profile_fields::{indicator_lacks, set_lacks};
use crate::engine::program::{CompiledCriterion, Program, Slot, SlotKind};
use crate::model::fast_hash::HashMap;
use crate::model::{
    CriteriaSet, IndicatorId, Location, PassRule, Profile, ProfileMatch, Threshold, Unit, ValueKind,
};
use std::sync::Arc;

/// Compiles a criteria set for a unit's profile and a reporting year.
///
/// # Errors
///
/// A [`CompileError`] listing every problem of the set: an unknown tier, duplicate ids,
/// an empty criterion, a requirement or threshold that does not fit its indicator's kind,
/// a percentage threshold outside 0–100, two threshold rows that both apply to the
/// profile and year, a year outside the scheme, a revocation rule that names an unknown
/// criterion. A threshold that is unknown, delegated, or not covered by any row is not
/// an error: the indicator is then undetermined for every unit, with the reason
/// (unknown or delegated in the sources; no row for the profile and year; or no row
/// because the profile lacks a field the rows are keyed on, see
/// [`Program::profile_lacks`]).
///
/// # Example
///
/// ```
/// use ntm_rules::compile;
/// use ntm_rules::policy::illustrative;
/// use ntm_rules::model::{Profile, Region};
///
/// let set = illustrative::commune_standard();
/// let program = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022)?;
/// assert_eq!(program.criteria_count(), 5);
/// # Ok::<(), ntm_rules::engine::CompileError>(())
/// ```
pub fn compile(set: &CriteriaSet, profile: &Profile, year: u16) -> Result<Program, CompileError> {
    let mut problems = check_set(set);
    let root = Location::of_set(set.id.clone());
    if !set.scheme.years.contains(year) {
        problems.push(SetProblem {
            location: root.clone(),
            kind: SetProblemKind::YearOutsideScheme {
                year,
                scheme: set.scheme.years,
            },
        });
    }

    let effective = apply_profile_rules(set, profile);
    let mut slots = Vec::new();
    let mut criteria = Vec::with_capacity(set.criteria.len());
    for criterion in &set.criteria {
        let start = slots.len();
        for indicator in &criterion.indicators {
            let loc = Location {
                criterion: Some(criterion.id.clone()),
                indicator: Some(indicator.id.clone()),
                ..root.clone()
            };
            slots.push(compile_slot(
                indicator,
                &effective,
                year,
                &loc,
                &mut problems,
            ));
        }
        criteria.push(CompiledCriterion {
            id: criterion.id.clone(),
            pass: criterion.pass,
            start,
            end: slots.len(),
        });
    }
    let first_precondition = slots.len();
    for indicator in &set.preconditions {
        let loc = Location {
            indicator: Some(indicator.id.clone()),
            ..root.clone()
        };
        slots.push(compile_slot(
            indicator,
            &effective,
            year,
            &loc,
            &mut problems,
        ));
    }

    if !problems.is_empty() {
        return Err(CompileError::new(problems));
    }
    let lookup: HashMap<IndicatorId, usize> = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let mut by_id: Vec<(IndicatorId, usize)> = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    by_id.sort_unstable();
    let (encodings, tests): (Vec<Encoding>, Vec<Test>) = slots
        .iter()
        .map(|s| fast_check(&s.check, s.requirement))
        .unzip();
    let groups: Arc<[Group]> = criteria
        .iter()
        .map(|c| Group {
            start: c.start,
            end: c.end,
            need: match c.pass {
                PassRule::All => u32::MAX,
                PassRule::AtLeast(k) => k,
            },
        })
        .collect();
    let precondition_group = Group {
        start: first_precondition,
        end: slots.len(),
        need: u32::MAX,
    };
    let layout = slots.iter().map(|s| s.id.clone()).collect();
    let profile_lacks = set_lacks(set, &effective);
    Ok(Program {
        set: set.id.clone(),
        scheme: Arc::new(SchemeTiers {
            id: set.scheme.id.clone(),
            tiers: set.scheme.tiers.iter().map(|t| t.id.clone()).collect(),
        }),
        level: set.level,
        tier: set.tier.clone(),
        year,
        profile: effective,
        slots: slots.into(),
        criteria: criteria.into(),
        first_precondition,
        lookup: Arc::new(lookup),
        by_id: by_id.into(),
        layout,
        profile_lacks,
        encodings: encodings.into(),
        tests: tests.into(),
        groups,
        precondition_group,
        revocation: set.revocation.clone().map(Arc::new),
        requires_held: set.requires_held.clone(),
    })
}

/// The profile after the set's profile rules: each rule whose conditions match the
/// unit's own profile replaces the region or group it names; later rules win.
fn apply_profile_rules(set: &CriteriaSet, profile: &Profile) -> Profile {
    let mut effective = profile.clone();
    for rule in &set.profile_rules {
        if profile_matches(&rule.when, profile) {
            if let Some(r) = rule.assess_as_region {
                effective.region = Some(r);
            }
            if let Some(g) = rule.assess_as_group {
                effective.commune_group = Some(g);
            }
        }
    }
    effective
}

fn profile_matches(m: &ProfileMatch, p: &Profile) -> bool {
    (m.regions.is_empty() || p.region.is_some_and(|r| m.regions.contains(&r)))
        && (m.commune_groups.is_empty()
            || p.commune_group
                .is_some_and(|g| m.commune_groups.contains(&g)))
        && m.statuses.iter().all(|s| p.statuses.contains(s))
        && !m.absent_statuses.iter().any(|s| p.statuses.contains(s))
}

fn compile_slot(
    indicator: &crate::model::Indicator,
    profile: &Profile,
    year: u16,
    loc: &Location,
    problems: &mut Vec<SetProblem>,
) -> Slot {
    let kind = match &indicator.kind {
        ValueKind::Decimal { unit } => SlotKind::Decimal {
            percent: *unit == Unit::Percent,
        },
        ValueKind::Count => SlotKind::Count,
        ValueKind::YesNo => SlotKind::YesNo,
        ValueKind::Grade { grades } => SlotKind::Grade(grades.clone().into()),
    };
    let mut matching = indicator.thresholds.iter().enumerate().filter(|(_, row)| {
        row.years.is_none_or(|y| y.contains(year)) && profile_matches(&row.when, profile)
    });
    let first = matching.next();
    if let (Some((a, _)), Some((b, _))) = (first, matching.next()) {
        problems.push(SetProblem {
            location: loc.clone(),
            kind: SetProblemKind::AmbiguousThreshold {
                first: a,
                second: b,
            },
        });
    }
    let rank = |g: &String| match &indicator.kind {
        ValueKind::Grade { grades } => grades.iter().position(|x| x == g).map(|p| p as u32),
        _ => None,
    };
    let (check, provenance) = match first {
        None if !indicator_lacks(indicator, profile).is_empty() => (
            Check::Undetermined(UndeterminedReason::ProfileIncomplete),
            None,
        ),
        None => (
            Check::Undetermined(UndeterminedReason::NoThresholdRow),
            None,
        ),
        Some((i, row)) => {
            let check = match &row.threshold {
                Threshold::Number(d) => Check::Number(*d),
                Threshold::Flag(b) => Check::Flag(*b),
                // INVARIANT: check_set reported unknown grades, so compile fails before
                // these fallbacks could be used.
                Threshold::Grade(g) => rank(g).map_or(
                    Check::Undetermined(UndeterminedReason::ThresholdUnknown),
                    Check::Grade,
                ),
                Threshold::Grades(gs) => Check::Grades(gs.iter().filter_map(rank).collect()),
                Threshold::Unknown => Check::Undetermined(UndeterminedReason::ThresholdUnknown),
                Threshold::Delegated => Check::Undetermined(UndeterminedReason::ThresholdDelegated),
            };
            let provenance = Provenance {
                row: i,
                threshold: row.threshold.clone(),
                source: row.source.clone(),
                confidence: row.confidence,
                set_by: row.set_by,
            };
            (check, Some(Arc::new(provenance)))
        }
    };
    Slot {
        id: indicator.id.clone(),
        kind,
        requirement: indicator.requirement,
        allow_not_applicable: indicator.allow_not_applicable,
        check,
        provenance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TierId;
    use crate::policy::illustrative;

    #[test]
    fn program_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Program>();
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut set = illustrative::commune_standard();
        set.tier = TierId::new("gold");
        let dup = set.criteria[0].clone();
        set.criteria.push(dup);
        let err = compile(&set, &Profile::default(), 2030).unwrap_err();
        let kinds: Vec<String> = err.problems().iter().map(|p| p.kind.to_string()).collect();
        assert!(kinds.contains(&"tier `gold` is not a tier of the scheme".to_string()));
        assert!(kinds.contains(&"criterion id used twice".to_string()));
        assert!(kinds.contains(&"year 2030 is outside the scheme's years 2021-2025".to_string()));
    }
}
