//! The structural checks of a criteria set that do not depend on a profile or year: ids,
//! kinds, requirements, every threshold row, derivations and the revocation rule.
//! [`compile`](crate::engine::compile), policy validation, overlays and the reference
//! evaluator all call [`check_set`].

use crate::engine::problem::{SetProblem, SetProblemKind};
use crate::model::{CriteriaSet, Location, PassRule, Requirement, Threshold, Unit, ValueKind};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// Checks the parts of a set that do not depend on a profile or year: ids, kinds,
/// requirements, every threshold row, the revocation rule. Returns every problem.
pub fn check_set(set: &CriteriaSet) -> Vec<SetProblem> {
    let mut problems = Vec::new();
    let root = Location::of_set(set.id.clone());
    let mut push = |location: &Location, kind| {
        problems.push(SetProblem {
            location: location.clone(),
            kind,
        });
    };

    let mut tiers = HashSet::new();
    for t in &set.scheme.tiers {
        if !tiers.insert(&t.id) {
            push(&root, SetProblemKind::DuplicateTier { tier: t.id.clone() });
        }
    }
    if set.scheme.years.from > set.scheme.years.to {
        push(
            &root,
            SetProblemKind::EmptyYearRange {
                range: set.scheme.years,
            },
        );
    }
    if set.scheme.tier_rank(&set.tier).is_none() {
        push(
            &root,
            SetProblemKind::UnknownTier {
                tier: set.tier.clone(),
            },
        );
    }

    let mut criterion_ids = HashSet::new();
    let mut indicator_ids = HashSet::new();
    for criterion in &set.criteria {
        let cloc = Location {
            criterion: Some(criterion.id.clone()),
            ..root.clone()
        };
        if !criterion_ids.insert(&criterion.id) {
            push(&cloc, SetProblemKind::DuplicateCriterion);
        }
        if criterion.indicators.is_empty() {
            push(&cloc, SetProblemKind::EmptyCriterion);
        }
        if let PassRule::AtLeast(k) = criterion.pass {
            if k == 0 || k as usize > criterion.indicators.len() {
                push(
                    &cloc,
                    SetProblemKind::BadPassRule {
                        count: k,
                        indicators: criterion.indicators.len(),
                    },
                );
            }
        }
        for indicator in &criterion.indicators {
            let iloc = Location {
                indicator: Some(indicator.id.clone()),
                ..cloc.clone()
            };
            if !indicator_ids.insert(&indicator.id) {
                push(&iloc, SetProblemKind::DuplicateIndicator);
            }
            check_indicator(indicator, set, &iloc, &mut push);
        }
    }
    for indicator in &set.preconditions {
        let iloc = Location {
            indicator: Some(indicator.id.clone()),
            ..root.clone()
        };
        if !indicator_ids.insert(&indicator.id) {
            push(&iloc, SetProblemKind::DuplicateIndicator);
        }
        check_indicator(indicator, set, &iloc, &mut push);
    }

    if let Some(required) = &set.requires_held {
        let below = match (
            set.scheme.tier_rank(required),
            set.scheme.tier_rank(&set.tier),
        ) {
            (Some(r), Some(own)) => r < own,
            _ => false,
        };
        if !below {
            push(
                &root,
                SetProblemKind::BadRequiresHeld {
                    tier: required.clone(),
                },
            );
        }
    }

    if let Some(rule) = &set.revocation {
        let hundred = Decimal::ONE_HUNDRED;
        if rule.share_with_key < Decimal::ZERO
            || rule.share_with_key > rule.share_alone
            || rule.share_alone > hundred
        {
            push(
                &root,
                SetProblemKind::BadRevocationShares {
                    share_with_key: rule.share_with_key,
                    share_alone: rule.share_alone,
                },
            );
        }
        match &rule.assess_against {
            Some(t) if set.scheme.tier_rank(t).is_none() => {
                push(
                    &root,
                    SetProblemKind::UnknownRevocationTier { tier: t.clone() },
                );
            }
            // Key criteria of another tier's set are checked when deciding; revocation
            // conditions must be the set's own.
            Some(t) if t != &set.tier => {
                for id in &rule.revoke_when_not_met {
                    push(
                        &root,
                        SetProblemKind::UnknownRevocationCondition {
                            indicator: id.clone(),
                        },
                    );
                }
            }
            _ => {
                for key in &rule.key_criteria {
                    if !criterion_ids.contains(key) {
                        push(
                            &root,
                            SetProblemKind::UnknownKeyCriterion {
                                criterion: key.clone(),
                            },
                        );
                    }
                }
                for id in &rule.revoke_when_not_met {
                    if !indicator_ids.contains(id) {
                        push(
                            &root,
                            SetProblemKind::UnknownRevocationCondition {
                                indicator: id.clone(),
                            },
                        );
                    }
                }
            }
        }
    }
    problems
}

fn kind_name(kind: &ValueKind) -> &'static str {
    match kind {
        ValueKind::Decimal { .. } => "decimal",
        ValueKind::Count => "count",
        ValueKind::YesNo => "yes/no",
        ValueKind::Grade { .. } => "grade",
    }
}

fn threshold_name(t: &Threshold) -> &'static str {
    match t {
        Threshold::Number(_) => "number",
        Threshold::Flag(_) => "yes/no",
        Threshold::Grade(_) => "grade",
        Threshold::Grades(_) => "grade list",
        Threshold::Unknown => "unknown",
        Threshold::Delegated => "delegated",
    }
}

fn check_indicator(
    indicator: &crate::model::Indicator,
    set: &CriteriaSet,
    loc: &Location,
    push: &mut impl FnMut(&Location, SetProblemKind),
) {
    use Requirement as R;
    let kind = kind_name(&indicator.kind);
    let req = indicator.requirement;
    let req_ok = match &indicator.kind {
        ValueKind::Decimal { .. } | ValueKind::Count => {
            matches!(req, R::AtLeast | R::AtMost | R::Above | R::Below | R::Equal)
        }
        ValueKind::YesNo => req == R::Equal,
        ValueKind::Grade { .. } => true,
    };
    if !req_ok {
        push(
            loc,
            SetProblemKind::RequirementKindMismatch {
                requirement: req.symbol(),
                kind,
            },
        );
    }
    if let ValueKind::Grade { grades } = &indicator.kind {
        let unique: HashSet<&String> = grades.iter().collect();
        if grades.is_empty() || unique.len() != grades.len() {
            push(loc, SetProblemKind::BadGradeList);
        }
    }
    if let Some(d) = &indicator.derived {
        use crate::model::ChildMeasure as M;
        let percent = matches!(
            indicator.kind,
            ValueKind::Decimal {
                unit: Unit::Percent
            }
        );
        let (tier, kind_ok, wants) = match &d.measure {
            M::ShareAtTier { tier } | M::ShareRevoked { tier } => {
                (Some(tier), percent, "a percent")
            }
            M::CountAtTier { tier } | M::CountRevoked { tier } => {
                (Some(tier), indicator.kind == ValueKind::Count, "a count")
            }
            M::MinimumOf { .. } => (
                None,
                matches!(indicator.kind, ValueKind::Decimal { .. } | ValueKind::Count),
                "a decimal or count",
            ),
        };
        let mut reasons = Vec::new();
        if !kind_ok {
            reasons.push(format!(
                "the measure gives {wants}, but the indicator is {kind}"
            ));
        }
        // The tier named is a tier of the *children's* scheme (a province set counts
        // communes at `advanced`, which is not a province tier), so it is not checked
        // against this set's scheme; the aggregation pass reports a tier no child has.
        let _ = tier;
        if d.children >= set.level {
            reasons.push(format!(
                "children at level `{}` are not below the set's level `{}`",
                d.children.label(crate::model::Lang::En),
                set.level.label(crate::model::Lang::En)
            ));
        }
        for reason in reasons {
            push(loc, SetProblemKind::BadDerivation { reason });
        }
    }
    for (i, row) in indicator.thresholds.iter().enumerate() {
        let rloc = Location {
            row: Some(i),
            ..loc.clone()
        };
        if let Some(years) = row.years {
            if years.from > years.to {
                push(&rloc, SetProblemKind::EmptyYearRange { range: years });
            } else {
                for y in [years.from, years.to] {
                    if !set.scheme.years.contains(y) {
                        push(
                            &rloc,
                            SetProblemKind::YearOutsideScheme {
                                year: y,
                                scheme: set.scheme.years,
                            },
                        );
                    }
                }
            }
        }
        let fits = match (&indicator.kind, &row.threshold, req) {
            (_, Threshold::Unknown | Threshold::Delegated, _) => true,
            (ValueKind::Decimal { .. } | ValueKind::Count, Threshold::Number(_), r) => {
                r != R::OneOf
            }
            (ValueKind::YesNo, Threshold::Flag(_), R::Equal) => true,
            (ValueKind::Grade { .. }, Threshold::Grade(_), r) => r != R::OneOf,
            (ValueKind::Grade { .. }, Threshold::Grades(_), R::OneOf) => true,
            _ => false,
        };
        if !fits {
            push(
                &rloc,
                SetProblemKind::ThresholdKindMismatch {
                    threshold: threshold_name(&row.threshold),
                    kind,
                    requirement: req.symbol(),
                },
            );
            continue;
        }
        match (&indicator.kind, &row.threshold) {
            (
                ValueKind::Decimal {
                    unit: Unit::Percent,
                },
                Threshold::Number(v),
            ) if *v < Decimal::ZERO || *v > Decimal::ONE_HUNDRED => {
                push(&rloc, SetProblemKind::PercentOutOfRange { value: *v });
            }
            (ValueKind::Count, Threshold::Number(v))
                if *v < Decimal::ZERO || !v.fract().is_zero() =>
            {
                push(&rloc, SetProblemKind::BadCount { value: *v });
            }
            (ValueKind::Grade { grades }, Threshold::Grade(g)) if !grades.contains(g) => {
                push(&rloc, SetProblemKind::UnknownGrade { grade: g.clone() });
            }
            (ValueKind::Grade { grades }, Threshold::Grades(gs)) => {
                for g in gs.iter().filter(|g| !grades.contains(g)) {
                    push(&rloc, SetProblemKind::UnknownGrade { grade: g.clone() });
                }
            }
            _ => {}
        }
    }
}
