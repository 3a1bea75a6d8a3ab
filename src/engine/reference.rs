//! The reference evaluator: a direct, slow walk over the definitions.
//!
//! It exists to check the compiled path ([`compile`](crate::compile) +
//! [`Program::evaluate`](crate::Program::evaluate)): it shares no evaluation code with
//! it (no threshold resolution, profile rule, value check, comparison or three-valued
//! combination is reused), and property tests prove that both give the same
//! [`Assessment`] on random sets and data. Only the structural checks of the set
//! (duplicate ids, kinds, requirements) are shared, because they are validation, not
//! evaluation. Use the compiled path in production: it resolves thresholds once.

use crate::engine::assessment::{
    Assessment, CriterionAssessment, IndicatorAssessment, IndicatorOutcome, Outcome, Provenance,
    SchemeTiers, Totals, UndeterminedReason,
};
use crate::engine::bind::{DataError, DataProblem, DataProblemKind};
use crate::engine::check::check_set;
use crate::engine::evaluator::EvaluateError;
use crate::engine::problem::{CompileError, SetProblem, SetProblemKind};
use crate::model::{
    CriteriaSet, Indicator, IndicatorData, Location, PassRule, Profile, ProfileMatch, Requirement,
    Threshold, Unit, Value, ValueKind,
};
use rust_decimal::Decimal;
use std::sync::Arc;

/// Evaluates `data` against `set` for `profile` and `year` by walking the definitions.
///
/// # Errors
///
/// The same errors as [`compile`](crate::engine::compile) followed by
/// [`Program::evaluate`](crate::engine::program::Program::evaluate).
pub fn evaluate(
    set: &CriteriaSet,
    profile: &Profile,
    year: u16,
    data: &IndicatorData,
) -> Result<Assessment, EvaluateError> {
    let mut problems = check_set(set);
    if year < set.scheme.years.from || year > set.scheme.years.to {
        problems.push(SetProblem {
            location: Location::of_set(set.id.clone()),
            kind: SetProblemKind::YearOutsideScheme {
                year,
                scheme: set.scheme.years,
            },
        });
    }
    let used = effective_profile(set, profile);
    // Ambiguous rows are a set problem; look for them everywhere first.
    for (criterion, ind) in indicators_with_criterion(set) {
        let hits: Vec<usize> = (0..ind.thresholds.len())
            .filter(|&i| row_applies(ind, i, &used, year))
            .collect();
        if hits.len() > 1 {
            problems.push(SetProblem {
                location: Location {
                    criterion: criterion.cloned(),
                    indicator: Some(ind.id.clone()),
                    ..Location::of_set(set.id.clone())
                },
                kind: SetProblemKind::AmbiguousThreshold {
                    first: hits.first().copied().unwrap_or_default(),
                    second: hits.get(1).copied().unwrap_or_default(),
                },
            });
        }
    }
    if !problems.is_empty() {
        return Err(CompileError::new(problems).into());
    }

    check_data(set, year, data)?;

    let mut criteria = Vec::new();
    let mut totals = Totals {
        criteria: set.criteria.len() as u32,
        ..Totals::default()
    };
    for c in &set.criteria {
        let indicators: Vec<IndicatorAssessment> = c
            .indicators
            .iter()
            .map(|i| assess_indicator(i, &used, year, data))
            .collect();
        let applicable: Vec<&IndicatorAssessment> = indicators
            .iter()
            .filter(|i| i.outcome != IndicatorOutcome::NotApplicable)
            .collect();
        let count = |o: IndicatorOutcome| applicable.iter().filter(|i| i.outcome == o).count();
        let need = match c.pass {
            PassRule::All => applicable.len(),
            PassRule::AtLeast(k) => (k as usize).min(applicable.len()),
        };
        let met = count(IndicatorOutcome::Met);
        let open = count(IndicatorOutcome::Undetermined);
        let outcome = if met >= need {
            totals.met += 1;
            Outcome::Met
        } else if met + open >= need {
            totals.undetermined += 1;
            Outcome::Undetermined
        } else {
            totals.not_met += 1;
            Outcome::NotMet
        };
        let deciding = indicators
            .iter()
            .filter(|i| {
                matches!(
                    (outcome, i.outcome),
                    (Outcome::Met, IndicatorOutcome::Met)
                        | (Outcome::NotMet, IndicatorOutcome::NotMet)
                        | (Outcome::Undetermined, IndicatorOutcome::Undetermined)
                )
            })
            .map(|i| i.id.clone())
            .collect();
        criteria.push(CriterionAssessment {
            id: c.id.clone(),
            outcome,
            deciding,
            indicators,
        });
    }
    let preconditions: Vec<IndicatorAssessment> = set
        .preconditions
        .iter()
        .map(|i| assess_indicator(i, &used, year, data))
        .collect();

    let outcomes: Vec<Outcome> = criteria
        .iter()
        .map(|c| c.outcome)
        .chain(preconditions.iter().map(|p| match p.outcome {
            IndicatorOutcome::Met | IndicatorOutcome::NotApplicable => Outcome::Met,
            IndicatorOutcome::NotMet => Outcome::NotMet,
            IndicatorOutcome::Undetermined => Outcome::Undetermined,
        }))
        .collect();
    let outcome = if outcomes.contains(&Outcome::NotMet) {
        Outcome::NotMet
    } else if outcomes.contains(&Outcome::Undetermined) {
        Outcome::Undetermined
    } else {
        Outcome::Met
    };

    let unused_values = data
        .values
        .keys()
        .filter(|id| !set.all_indicators().any(|i| &i.id == *id))
        .cloned()
        .collect();

    Ok(Assessment {
        set: set.id.clone(),
        scheme: Arc::new(SchemeTiers {
            id: set.scheme.id.clone(),
            tiers: set.scheme.tiers.iter().map(|t| t.id.clone()).collect(),
        }),
        level: set.level,
        tier: set.tier.clone(),
        unit: data.unit.clone(),
        year: data.year,
        profile: used,
        outcome,
        totals,
        criteria,
        preconditions,
        unused_values,
        revocation: set.revocation.clone().map(Arc::new),
        requires_held: set.requires_held.clone(),
    })
}

fn indicators_with_criterion(
    set: &CriteriaSet,
) -> Vec<(Option<&crate::model::CriterionId>, &Indicator)> {
    let mut out = Vec::new();
    for c in &set.criteria {
        for i in &c.indicators {
            out.push((Some(&c.id), i));
        }
    }
    for p in &set.preconditions {
        out.push((None, p));
    }
    out
}

fn matches(m: &ProfileMatch, p: &Profile) -> bool {
    let region_ok = m.regions.is_empty() || m.regions.iter().any(|r| p.region == Some(*r));
    let group_ok =
        m.commune_groups.is_empty() || m.commune_groups.iter().any(|g| p.commune_group == Some(*g));
    let status_ok = m.statuses.iter().all(|s| p.statuses.iter().any(|x| x == s));
    let absent_ok = m
        .absent_statuses
        .iter()
        .all(|s| p.statuses.iter().all(|x| x != s));
    region_ok && group_ok && status_ok && absent_ok
}

fn effective_profile(set: &CriteriaSet, profile: &Profile) -> Profile {
    let mut used = profile.clone();
    for rule in set
        .profile_rules
        .iter()
        .filter(|r| matches(&r.when, profile))
    {
        used.region = rule.assess_as_region.or(used.region);
        used.commune_group = rule.assess_as_group.or(used.commune_group);
    }
    used
}

fn row_applies(ind: &Indicator, i: usize, profile: &Profile, year: u16) -> bool {
    ind.thresholds.get(i).is_some_and(|row| {
        let year_ok = match row.years {
            None => true,
            Some(y) => y.from <= year && year <= y.to,
        };
        year_ok && matches(&row.when, profile)
    })
}

fn check_data(set: &CriteriaSet, year: u16, data: &IndicatorData) -> Result<(), DataError> {
    let mut problems = Vec::new();
    if data.year != year {
        problems.push(DataProblem {
            indicator: None,
            kind: DataProblemKind::YearMismatch {
                data: data.year,
                program: year,
            },
        });
    }
    for (id, value) in &data.values {
        let Some(ind) = set.all_indicators().find(|i| &i.id == id) else {
            continue;
        };
        let found = match value {
            Value::Number(_) => "a number",
            Value::Flag(_) => "yes/no",
            Value::Grade(_) => "a grade",
            Value::NotApplicable => "not applicable",
        };
        let problem = match (&ind.kind, value) {
            (_, Value::NotApplicable) => {
                (!ind.allow_not_applicable).then_some(DataProblemKind::NotApplicableNotAllowed)
            }
            (ValueKind::Decimal { unit }, Value::Number(d)) => (*unit == Unit::Percent
                && (d.is_sign_negative() && !d.is_zero() || *d > Decimal::from(100)))
            .then_some(DataProblemKind::PercentOutOfRange { value: *d }),
            (ValueKind::Count, Value::Number(d)) => {
                let whole = d.trunc() == *d;
                (!whole || d.is_sign_negative() && !d.is_zero())
                    .then_some(DataProblemKind::BadCount { value: *d })
            }
            (ValueKind::YesNo, Value::Flag(_)) => None,
            (ValueKind::Grade { grades }, Value::Grade(g)) => {
                (!grades.contains(g)).then(|| DataProblemKind::UnknownGrade {
                    grade: g.clone(),
                    grades: grades.clone(),
                })
            }
            (kind, _) => Some(DataProblemKind::WrongKind {
                expected: match kind {
                    ValueKind::Decimal { .. } => "a number",
                    ValueKind::Count => "a whole number",
                    ValueKind::YesNo => "yes/no",
                    ValueKind::Grade { .. } => "a grade",
                },
                found,
            }),
        };
        if let Some(kind) = problem {
            problems.push(DataProblem {
                indicator: Some(id.clone()),
                kind,
            });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(DataError {
            unit: data.unit.clone(),
            set: set.id.clone(),
            problems,
        })
    }
}

fn assess_indicator(
    ind: &Indicator,
    profile: &Profile,
    year: u16,
    data: &IndicatorData,
) -> IndicatorAssessment {
    let row_index = (0..ind.thresholds.len()).find(|&i| row_applies(ind, i, profile, year));
    let row = row_index.and_then(|i| ind.thresholds.get(i));
    let threshold = row_index.zip(row).map(|(i, r)| {
        Arc::new(Provenance {
            row: i,
            threshold: r.threshold.clone(),
            source: r.source.clone(),
            confidence: r.confidence,
            set_by: r.set_by,
        })
    });
    let actual = data.values.get(&ind.id).cloned();
    let mut out = IndicatorAssessment {
        id: ind.id.clone(),
        outcome: IndicatorOutcome::Undetermined,
        actual: actual.clone(),
        requirement: ind.requirement,
        threshold,
        margin: None,
        reason: None,
    };
    if actual == Some(Value::NotApplicable) {
        out.outcome = IndicatorOutcome::NotApplicable;
        return out;
    }
    let Some(row) = row else {
        // No row: because the profile lacks a field that rows are keyed on, or because
        // the table has none for this profile and year.
        let keyed_on_missing = ind.thresholds.iter().any(|r| {
            (profile.region.is_none() && !r.when.regions.is_empty())
                || (profile.commune_group.is_none() && !r.when.commune_groups.is_empty())
        });
        out.reason = Some(if keyed_on_missing {
            UndeterminedReason::ProfileIncomplete
        } else {
            UndeterminedReason::NoThresholdRow
        });
        return out;
    };
    let rank = |g: &str| match &ind.kind {
        ValueKind::Grade { grades } => grades.iter().position(|x| x == g),
        _ => None,
    };
    // Numbers to compare: (actual, threshold), or a direct verdict.
    let verdict: Result<(Decimal, Decimal), bool> = match (&row.threshold, &actual) {
        (Threshold::Unknown, _) => {
            out.reason = Some(UndeterminedReason::ThresholdUnknown);
            return out;
        }
        (Threshold::Delegated, _) => {
            out.reason = Some(UndeterminedReason::ThresholdDelegated);
            return out;
        }
        (_, None) => {
            out.reason = Some(UndeterminedReason::MissingData);
            return out;
        }
        (Threshold::Number(t), Some(Value::Number(v))) => Ok((*v, *t)),
        (Threshold::Flag(t), Some(Value::Flag(v))) => Err(t == v),
        (Threshold::Grade(t), Some(Value::Grade(v))) => match (rank(v), rank(t)) {
            (Some(a), Some(b)) => Ok((Decimal::from(a as u64), Decimal::from(b as u64))),
            _ => Err(false),
        },
        (Threshold::Grades(ts), Some(Value::Grade(v))) => Err(ts.contains(v)),
        _ => Err(false),
    };
    let met = match verdict {
        Err(met) => met,
        Ok((a, t)) => {
            let (met, margin) = match ind.requirement {
                Requirement::AtLeast => (a >= t, a.checked_sub(t)),
                Requirement::Above => (a > t, a.checked_sub(t)),
                Requirement::AtMost => (a <= t, t.checked_sub(a)),
                Requirement::Below => (a < t, t.checked_sub(a)),
                Requirement::Equal => (a == t, a.checked_sub(t).map(|d| -d.abs())),
                Requirement::OneOf => (false, None),
            };
            out.margin = margin;
            met
        }
    };
    out.outcome = if met {
        IndicatorOutcome::Met
    } else {
        IndicatorOutcome::NotMet
    };
    out
}
