//! The revocation rule of Decision 18/2022/QĐ-TTg: recognition is revoked when 30% of the
//! criteria fail with a key criterion among them, or 50% fail on their own. Arithmetic on
//! a 19-criterion rule under every `ShareComparison`, the exact boundaries, and the rule
//! end to end through `decide`. Public API only.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests: a panic is a test failure"
)]

use ntm_rules::engine::{compile, decide, CannotDecide, ClauseKind, DecideError, Outcome, Verdict};
use ntm_rules::engine::{Assessment, Decision};
use ntm_rules::model::Indicator;
use ntm_rules::model::{
    Confidence, CriteriaSet, Criterion, CriterionId, History, IndicatorData, IndicatorId, Label,
    Level, Profile, Region, Requirement, RevocationRule, Scheme, ShareComparison, Source,
    Threshold, ThresholdRow, Tier, Value, ValueKind, YearRange,
};
use ntm_rules::policy::illustrative;
use rust_decimal::Decimal;

use ClauseKind::{ShareAlone, ShareWithKey};
use ShareComparison::{CountRoundedDown, CountRoundedHalfUp, CountRoundedUp, Exact};

const SOURCE: &str = "18/2022/QĐ-TTg";

fn rule(comparison: ShareComparison) -> RevocationRule {
    RevocationRule {
        share_with_key: Decimal::from(30),
        share_alone: Decimal::from(50),
        key_criteria: vec!["10".into(), "17".into(), "19".into()],
        comparison,
        assess_against: None,
        revoke_when_not_met: vec![],
        source: Source {
            part: Some("Art. 4".into()),
            ..Source::document(SOURCE)
        },
        confidence: Confidence::Reported,
    }
}

// ---------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------

/// (failing, with key, without key) on 19 criteria.
fn check_19(
    comparison: ShareComparison,
    expected: &[(u32, Option<ClauseKind>, Option<ClauseKind>)],
) {
    let r = rule(comparison);
    for &(failing, with_key, without_key) in expected {
        assert_eq!(
            r.applies(failing, 19, true),
            with_key,
            "{comparison:?}: {failing}/19 with a key criterion"
        );
        assert_eq!(
            r.applies(failing, 19, false),
            without_key,
            "{comparison:?}: {failing}/19 without a key criterion"
        );
    }
}

#[test]
fn exact_on_19_criteria() {
    // 30% of 19 = 5.7, 50% of 19 = 9.5.
    check_19(
        Exact,
        &[
            (5, None, None),
            (6, Some(ShareWithKey), None),
            (9, Some(ShareWithKey), None),
            (10, Some(ShareAlone), Some(ShareAlone)),
        ],
    );
}

#[test]
fn count_rounded_down_on_19_criteria() {
    // ⌊5.7⌋ = 5, ⌊9.5⌋ = 9.
    check_19(
        CountRoundedDown,
        &[
            (4, None, None),
            (5, Some(ShareWithKey), None),
            (6, Some(ShareWithKey), None),
            (9, Some(ShareAlone), Some(ShareAlone)),
            (10, Some(ShareAlone), Some(ShareAlone)),
        ],
    );
}

#[test]
fn count_rounded_half_up_on_19_criteria() {
    // 5.7 → 6, 9.5 → 10.
    check_19(
        CountRoundedHalfUp,
        &[
            (5, None, None),
            (6, Some(ShareWithKey), None),
            (9, Some(ShareWithKey), None),
            (10, Some(ShareAlone), Some(ShareAlone)),
        ],
    );
}

#[test]
fn count_rounded_up_on_19_criteria() {
    // ⌈5.7⌉ = 6, ⌈9.5⌉ = 10: the same outcomes as exact.
    check_19(
        CountRoundedUp,
        &[
            (5, None, None),
            (6, Some(ShareWithKey), None),
            (9, Some(ShareWithKey), None),
            (10, Some(ShareAlone), Some(ShareAlone)),
        ],
    );
}

#[test]
fn exact_boundaries_are_inclusive_under_every_comparison() {
    for comparison in [Exact, CountRoundedDown, CountRoundedHalfUp, CountRoundedUp] {
        let r = rule(comparison);
        // (failing, total, with key, without key)
        let cases = [
            (2, 10, None, None),
            (3, 10, Some(ShareWithKey), None),
            (4, 10, Some(ShareWithKey), None),
            (5, 10, Some(ShareAlone), Some(ShareAlone)),
            (5, 20, None, None),
            (6, 20, Some(ShareWithKey), None),
            (9, 20, Some(ShareWithKey), None),
            (10, 20, Some(ShareAlone), Some(ShareAlone)),
            (0, 19, None, None),
            (19, 19, Some(ShareAlone), Some(ShareAlone)),
            (0, 0, None, None),
        ];
        for (failing, total, with_key, without_key) in cases {
            assert_eq!(
                r.applies(failing, total, true),
                with_key,
                "{comparison:?}: {failing}/{total} with a key criterion"
            );
            assert_eq!(
                r.applies(failing, total, false),
                without_key,
                "{comparison:?}: {failing}/{total} without a key criterion"
            );
        }
    }
}

#[test]
fn comparison_options_read_from_json() {
    for (text, expected) in [
        ("exact", Exact),
        ("count_rounded_down", CountRoundedDown),
        ("count_rounded_half_up", CountRoundedHalfUp),
        ("count_rounded_up", CountRoundedUp),
    ] {
        let got: ShareComparison = serde_json::from_str(&format!("\"{text}\"")).unwrap();
        assert_eq!(got, expected);
    }
    assert_eq!(ShareComparison::default(), Exact);
}

// ---------------------------------------------------------------------------------------
// End to end through `decide`: a 19-criterion commune scheme
// ---------------------------------------------------------------------------------------

fn source() -> Source {
    Source::document("test")
}

fn yes_no(id: &str) -> Indicator {
    Indicator {
        id: id.into(),
        name: Label::new(id, id),
        kind: ValueKind::YesNo,
        requirement: Requirement::Equal,
        allow_not_applicable: false,
        derived: None,
        thresholds: vec![ThresholdRow {
            when: Default::default(),
            years: None,
            threshold: Threshold::Flag(true),
            source: source(),
            confidence: Confidence::Illustrative,
            set_by: None,
        }],
        note: None,
    }
}

/// A 19-criterion set of `tier` (criterion `n` has one yes/no indicator `n.1`) with a
/// precondition `P.1` and the revocation rule (exact comparison).
fn set19(tier: &str) -> CriteriaSet {
    CriteriaSet {
        id: format!("test-19-{tier}").into(),
        name: Label::new("19 tiêu chí", "19 criteria"),
        scheme: Scheme {
            id: "test-2021-2025".into(),
            years: YearRange::new(2021, 2025),
            tiers: ["standard", "advanced", "model"]
                .iter()
                .map(|t| Tier {
                    id: (*t).into(),
                    name: Label::new(*t, *t),
                })
                .collect(),
        },
        level: Level::Commune,
        tier: tier.into(),
        requires_held: None,
        applies_to: Vec::new(),
        legal_basis: vec![],
        confidence: Confidence::Illustrative,
        notes: None,
        profile_rules: vec![],
        criteria: (1..=19)
            .map(|n| Criterion {
                id: n.to_string().into(),
                name: Label::new(n.to_string(), n.to_string()),
                pass: Default::default(),
                indicators: vec![yes_no(&format!("{n}.1"))],
            })
            .collect(),
        preconditions: vec![yes_no("P.1")],
        revocation: Some(rule(Exact)),
    }
}

/// Data for the 19-criterion sets: criteria in `failing` fail, those in `open` have no
/// data, the others are met; the precondition is `precondition`.
fn data19(failing: &[u32], open: &[u32], precondition: bool) -> IndicatorData {
    let mut data = IndicatorData::new("07672", 2023).with("P.1", Value::Flag(precondition));
    for n in 1..=19 {
        if !open.contains(&n) {
            data = data.with(format!("{n}.1"), Value::Flag(!failing.contains(&n)));
        }
    }
    data
}

fn assess(sets: &[CriteriaSet], data: &IndicatorData) -> Vec<Assessment> {
    let profile = Profile::in_region(Region::Dbsh);
    sets.iter()
        .map(|s| compile(s, &profile, 2023).unwrap().evaluate(data).unwrap())
        .collect()
}

fn ids(ns: &[u32]) -> Vec<CriterionId> {
    ns.iter().map(|n| n.to_string().into()).collect()
}

fn decide19(failing: &[u32], open: &[u32], held: Option<&str>) -> Decision {
    let assessments = assess(&[set19("standard")], &data19(failing, open, true));
    let history = held.map_or_else(History::default, |t| History::recognised(t, 2021));
    decide(&assessments, &history).unwrap()
}

#[test]
fn six_failing_with_a_key_criterion_revokes_standard() {
    let d = decide19(&[2, 4, 6, 8, 10, 12], &[], Some("standard"));
    let Verdict::Revoke {
        tier,
        falls_to,
        clause,
    } = &d.verdict
    else {
        panic!("expected a revocation, got {:?}", d.verdict);
    };
    assert_eq!(tier.as_str(), "standard");
    assert_eq!(falls_to, &None);
    assert_eq!(clause.kind, ShareWithKey);
    assert_eq!(clause.failing, ids(&[2, 4, 6, 8, 10, 12]));
    assert_eq!(clause.key_failing, ids(&[10]));
    assert_eq!(clause.total, 19);
    // 600 / 19 = 31.578947368421052631578947368 (28 decimal digits).
    assert_eq!(clause.failing_share, Decimal::from(600) / Decimal::from(19));
    assert_eq!(clause.failing_share.round_dp(2), Decimal::new(3158, 2));
    assert_eq!(clause.threshold, Decimal::from(30));
    assert_eq!(clause.comparison, Exact);
    assert_eq!(clause.assessed_against.as_str(), "standard");
    assert_eq!(clause.source.document, SOURCE);
    assert_eq!(clause.source.to_string(), "18/2022/QĐ-TTg, Art. 4");
    assert_eq!(d.tier_after(), Some(None));
}

#[test]
fn six_failing_without_a_key_criterion_is_maintained() {
    let d = decide19(&[1, 2, 3, 4, 5, 6], &[], Some("standard"));
    assert_eq!(
        d.verdict,
        Verdict::Maintain {
            tier: "standard".into(),
            not_met: ids(&[1, 2, 3, 4, 5, 6]),
        }
    );
}

#[test]
fn five_failing_with_a_key_criterion_is_maintained_under_exact() {
    let d = decide19(&[1, 2, 3, 4, 10], &[], Some("standard"));
    assert!(
        matches!(d.verdict, Verdict::Maintain { ref not_met, .. } if *not_met == ids(&[1, 2, 3, 4, 10])),
        "{:?}",
        d.verdict
    );
}

#[test]
fn ten_failing_revoke_alone() {
    let d = decide19(
        &(1..=9).chain([11]).collect::<Vec<_>>(),
        &[],
        Some("standard"),
    );
    let Verdict::Revoke { clause, .. } = &d.verdict else {
        panic!("expected a revocation, got {:?}", d.verdict);
    };
    assert_eq!(clause.kind, ShareAlone);
    assert_eq!(clause.threshold, Decimal::from(50));
    assert!(clause.key_failing.is_empty());
    assert_eq!(clause.failing.len(), 10);
}

#[test]
fn undetermined_criteria_that_could_tip_the_balance_cannot_decide() {
    // 5 not met without a key; key criterion 17 has no data: 6 with a key would revoke.
    let d = decide19(&[1, 2, 3, 4, 5], &[17], Some("standard"));
    assert_eq!(
        d.verdict,
        Verdict::CannotDecide {
            reasons: vec![CannotDecide::RevocationUndetermined {
                tier: "standard".into(),
                not_met: ids(&[1, 2, 3, 4, 5]),
                undetermined: ids(&[17]),
                undetermined_conditions: vec![],
            }],
        }
    );
    assert_eq!(d.tier_after(), None);
}

#[test]
fn undetermined_criteria_that_cannot_tip_the_balance_are_maintained() {
    // 2 not met and 2 open: at most 4 of 19 (21%), below 30% even with a key.
    let d = decide19(&[1, 2], &[10, 17], Some("standard"));
    assert_eq!(
        d.verdict,
        Verdict::Maintain {
            tier: "standard".into(),
            not_met: ids(&[1, 2]),
        }
    );
}

#[test]
fn undetermined_criteria_do_not_save_a_revocation() {
    // 6 not met with a key already revoke, whatever the open criteria turn out to be.
    let d = decide19(&[1, 2, 3, 4, 5, 10], &[11, 12], Some("standard"));
    assert!(
        matches!(d.verdict, Verdict::Revoke { .. }),
        "{:?}",
        d.verdict
    );
}

#[test]
fn an_undetermined_lowest_tier_is_never_recognised() {
    // Every criterion met but one without data; the advanced set is fully met.
    let sets = [set19("standard"), set19("advanced")];
    let mut assessments = assess(&sets, &data19(&[], &[3], true));
    assert_eq!(assessments[0].outcome, Outcome::Undetermined);
    // Pretend the advanced set is met (its own data complete): nesting still holds.
    assessments[1] = assess(&sets[1..], &data19(&[], &[], true)).remove(0);
    assert_eq!(assessments[1].outcome, Outcome::Met);
    let d = decide(&assessments, &History::default()).unwrap();
    let Verdict::CannotDecide { reasons } = &d.verdict else {
        panic!("expected cannot decide, got {:?}", d.verdict);
    };
    let [CannotDecide::TierUndetermined { gap }] = reasons.as_slice() else {
        panic!("expected an undetermined tier, got {reasons:?}");
    };
    assert_eq!(gap.tier.as_str(), "standard");
    assert_eq!(gap.outcome, Outcome::Undetermined);
    assert_eq!(gap.criteria_undetermined, ids(&[3]));
    assert_eq!(gap.missing_data, vec![IndicatorId::new("3.1")]);
    assert!(gap.criteria_not_met.is_empty());
    assert_eq!(d.tier_after(), None);
}

#[test]
fn a_model_commune_is_revoked_against_the_advanced_assessment() {
    // The sample commune meets the illustrative standard set but fails criteria 10
    // (income) and 17 (environment) of the advanced set: 2 of 5 = 40% with a key.
    let profile = Profile::in_region(Region::Tdmnpb);
    let data = illustrative::sample_commune("07672", 2022);
    let assessments: Vec<Assessment> = illustrative::commune_sets()
        .iter()
        .map(|s| compile(s, &profile, 2022).unwrap().evaluate(&data).unwrap())
        .collect();
    let history = History::recognised("standard", 2021)
        .with("advanced", 2021, ntm_rules::model::EventKind::Recognised)
        .with("model", 2021, ntm_rules::model::EventKind::Recognised);
    let d = decide(&assessments, &history).unwrap();
    assert_eq!(d.held.as_ref().map(|t| t.as_str()), Some("model"));
    let Verdict::Revoke {
        tier,
        falls_to,
        clause,
    } = &d.verdict
    else {
        panic!("expected a revocation, got {:?}", d.verdict);
    };
    assert_eq!(tier.as_str(), "model");
    assert_eq!(falls_to.as_ref().map(|t| t.as_str()), Some("advanced"));
    assert_eq!(clause.assessed_against.as_str(), "advanced");
    assert_eq!(clause.kind, ShareWithKey);
    assert_eq!(clause.failing, ids(&[10, 17]));
    assert_eq!(clause.key_failing, ids(&[10, 17]));
    assert_eq!(clause.total, 5);
    assert_eq!(clause.failing_share, Decimal::from(40));
    assert_eq!(
        d.tier_after().flatten().map(|t| t.as_str()),
        Some("advanced")
    );
}

#[test]
fn preconditions_not_met_block_recognition_but_not_maintenance() {
    let sets = [set19("standard")];
    let assessments = assess(&sets, &data19(&[], &[], false));
    assert_eq!(assessments[0].totals.met, 19);
    assert_eq!(assessments[0].outcome, Outcome::NotMet);

    let first = decide(&assessments, &History::default()).unwrap();
    assert_eq!(
        first.verdict,
        Verdict::NotYet {
            tier: "standard".into()
        }
    );
    let gap = first.next.as_ref().unwrap();
    assert_eq!(gap.preconditions_not_met, vec![IndicatorId::new("P.1")]);
    assert!(gap.criteria_not_met.is_empty());

    let held = decide(&assessments, &History::recognised("standard", 2021)).unwrap();
    assert_eq!(
        held.verdict,
        Verdict::Maintain {
            tier: "standard".into(),
            not_met: vec![],
        }
    );
}

#[test]
fn decide_errors_name_what_is_wrong() {
    assert_eq!(
        decide(&[], &History::default()).unwrap_err().to_string(),
        "no assessment given"
    );

    let mut set = set19("standard");
    set.revocation.as_mut().unwrap().key_criteria = vec!["10".into()];
    let mut assessments = assess(&[set], &data19(&[], &[], true));
    // A hand-edited assessment whose rule names a criterion it does not have.
    let mut rule = (**assessments[0].revocation.as_ref().unwrap()).clone();
    rule.key_criteria = vec!["20".into()];
    assessments[0].revocation = Some(rule.into());
    let err = decide(&assessments, &History::recognised("standard", 2021)).unwrap_err();
    assert_eq!(
        err,
        DecideError::UnknownKeyCriterion {
            set: "test-19-standard".into(),
            criterion: "20".into(),
        }
    );
    assert_eq!(
        err.to_string(),
        "revocation key criterion `20` is not a criterion of set `test-19-standard`"
    );

    let err = decide(&assessments, &History::recognised("gold", 2021)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unit `07672`: history names tier `gold`, which the scheme does not have"
    );

    let twice = [assessments[0].clone(), assessments[0].clone()];
    assert_eq!(
        decide(&twice, &History::default()).unwrap_err().to_string(),
        "two assessments for tier `standard`"
    );
}

#[test]
fn a_key_criterion_unknown_to_the_set_is_a_compile_error() {
    let mut set = set19("standard");
    set.revocation.as_mut().unwrap().key_criteria = vec!["20".into()];
    let err = compile(&set, &Profile::in_region(Region::Dbsh), 2023).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot compile criteria set: set `test-19-standard`: revocation key criterion `20` is not a criterion of the set"
    );
}

#[test]
fn five_failing_with_a_key_criterion_revokes_when_counts_round_down() {
    let mut set = set19("standard");
    set.revocation.as_mut().unwrap().comparison = CountRoundedDown;
    let assessments = assess(&[set], &data19(&[1, 2, 3, 4, 19], &[], true));
    let d = decide(&assessments, &History::recognised("standard", 2021)).unwrap();
    let Verdict::Revoke { clause, .. } = &d.verdict else {
        panic!("expected a revocation, got {:?}", d.verdict);
    };
    assert_eq!(clause.kind, ShareWithKey);
    assert_eq!(clause.comparison, CountRoundedDown);
    assert_eq!(clause.key_failing, ids(&[19]));
    assert_eq!(clause.failing_share, Decimal::from(500) / Decimal::from(19));
}

// ---------------------------------------------------------------------------------------
// Revocation conditions (a district revoked when 30% of its communes have lost theirs)
// ---------------------------------------------------------------------------------------

/// The illustrative standard set whose precondition P.3 (security and order) also
/// revokes on its own.
fn with_condition() -> ntm_rules::model::CriteriaSet {
    let mut set = illustrative::commune_standard();
    if let Some(rule) = set.revocation.as_mut() {
        rule.revoke_when_not_met = vec!["P.3".into()];
    }
    set
}

fn decide_with(p3: Option<bool>) -> ntm_rules::engine::Decision {
    let mut data = illustrative::sample_commune("C", 2023);
    match p3 {
        Some(b) => {
            data.values
                .insert("P.3".into(), ntm_rules::model::Value::Flag(b));
        }
        None => {
            data.values.remove("P.3");
        }
    }
    let profile = ntm_rules::model::Profile::in_region(ntm_rules::model::Region::Tdmnpb);
    let a = ntm_rules::engine::compile(&with_condition(), &profile, 2023)
        .unwrap()
        .evaluate(&data)
        .unwrap();
    ntm_rules::engine::decide(
        &[a],
        &ntm_rules::model::History::recognised("standard", 2020),
    )
    .unwrap()
}

#[test]
fn a_revocation_condition_not_met_revokes_whatever_the_share() {
    let d = decide_with(Some(false));
    let Verdict::Revoke { clause, .. } = &d.verdict else {
        panic!("{:?}", d.verdict)
    };
    assert_eq!(clause.kind, ClauseKind::ConditionNotMet);
    assert_eq!(
        clause.conditions_not_met,
        vec![ntm_rules::model::IndicatorId::new("P.3")]
    );
    assert!(clause.failing.is_empty());
    assert!(matches!(
        decide_with(Some(true)).verdict,
        Verdict::Maintain { .. }
    ));
}

#[test]
fn an_undetermined_revocation_condition_means_cannot_decide() {
    let d = decide_with(None);
    assert_eq!(
        d.verdict,
        Verdict::CannotDecide {
            reasons: vec![CannotDecide::RevocationUndetermined {
                tier: "standard".into(),
                not_met: vec![],
                undetermined: vec![],
                undetermined_conditions: vec!["P.3".into()],
            }],
        }
    );
}

#[test]
fn a_revocation_condition_must_be_an_indicator_of_the_set() {
    let mut set = with_condition();
    if let Some(rule) = set.revocation.as_mut() {
        rule.revoke_when_not_met = vec!["P.9".into()];
    }
    let err =
        ntm_rules::engine::compile(&set, &ntm_rules::model::Profile::default(), 2023).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot compile criteria set: set `illustrative-commune-standard`: revocation condition `P.9` \
         is not an indicator or precondition of the set"
    );
}
