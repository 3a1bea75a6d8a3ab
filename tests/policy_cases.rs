//! The shipped policy test cases pass, and a case edited to be wrong fails with a diff.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use ntm_rules::policy::illustrative;
use ntm_rules::policy::{run_tests, PolicyTests};

const CASES: &str = include_str!("../data/illustrative/policy_tests.json");

#[test]
fn shipped_cases_pass() {
    let tests = PolicyTests::from_json(CASES).unwrap();
    let report = run_tests(&tests, &illustrative::commune_sets());
    assert_eq!(report.failed(), 0, "{report}");
    assert_eq!(report.passed(), tests.cases.len());
}

#[test]
fn a_wrong_expectation_fails_with_a_readable_diff() {
    let edited = CASES.replacen(
        r#""criteria_met": 4, "criteria": { "10": "not_met" }"#,
        r#""criteria_met": 5, "criteria": { "10": "met" }"#,
        1,
    );
    assert_ne!(edited, CASES, "the edit must apply");
    let tests = PolicyTests::from_json(&edited).unwrap();
    let report = run_tests(&tests, &illustrative::commune_sets());
    assert_eq!(report.failed(), 1);
    let text = report.to_string();
    assert!(
        text.contains(
            "FAIL the same income misses the Red River Delta threshold\n\
             \x20    at /cases/1/expect/sets/illustrative-commune-standard/criteria_met\n\
             \x20    - expected: 5\n\
             \x20    + actual:   4\n\
             \x20    at /cases/1/expect/sets/illustrative-commune-standard/criteria/10\n\
             \x20    - expected: \"met\"\n\
             \x20    + actual:   \"not_met\"\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("6 passed, 1 failed, 7 cases"), "{text}");
}

#[test]
fn a_missing_set_is_an_error_of_the_case_not_a_panic() {
    let tests = PolicyTests::from_json(CASES).unwrap();
    let report = run_tests(&tests, &[illustrative::commune_standard()]);
    assert_eq!(
        report.passed(),
        1,
        "only the data-error case needs no other set"
    );
    assert_eq!(
        report.cases[0].error.as_deref(),
        Some("criteria set `illustrative-commune-advanced` was not supplied")
    );
}

#[test]
fn unknown_fields_in_a_test_file_are_refused_with_their_path() {
    let bad = CASES.replacen(r#""year": 2022,"#, r#""yaer": 2022,"#, 1);
    let err = PolicyTests::from_json(&bad).unwrap_err();
    assert_eq!(err.path(), "cases[0].yaer");
}

#[test]
fn catalog_cases_pass() {
    let mut sets = ntm_rules::policy::catalog::load_all().unwrap();
    sets.extend(illustrative::commune_sets());
    for text in [
        include_str!("../data/catalog/tests/vn-2016-2020-commune.json"),
        include_str!("../data/catalog/tests/vn-2021-2025-commune.json"),
    ] {
        let tests = PolicyTests::from_json(text).unwrap();
        let report = run_tests(&tests, &sets);
        assert_eq!(report.failed(), 0, "{report}");
        assert!(report.passed() >= 5);
    }
}

#[test]
fn a_wrong_null_tier_after_fails() {
    // Case 2 recognises the commune at standard; expecting no tier afterwards is wrong
    // and must fail, not be skipped.
    let tests = PolicyTests::from_json(CASES).unwrap();
    let recognised = tests
        .cases
        .iter()
        .position(|c| {
            c.expect.decision.as_ref().is_some_and(|d| {
                d.verdict.as_deref() == Some("recognise") && d.tier_after.is_none()
            })
        })
        .unwrap();
    let mut edited = tests.clone();
    edited.cases[recognised]
        .expect
        .decision
        .as_mut()
        .unwrap()
        .tier_after = Some(None);
    let text = serde_json::to_string(&edited).unwrap();
    assert!(text.contains(r#""tier_after":null"#), "{text}");
    let report = run_tests(
        &PolicyTests::from_json(&text).unwrap(),
        &illustrative::commune_sets(),
    );
    assert_eq!(report.failed(), 1, "{report}");
    let m = &report.cases[recognised].mismatches;
    assert_eq!(m.len(), 1, "{report}");
    assert_eq!(
        m[0].pointer.as_str(),
        format!("/cases/{recognised}/expect/decision/tier_after")
    );
    assert_eq!(
        (m[0].expected.as_str(), m[0].actual.as_str()),
        ("null", "\"standard\"")
    );
}

#[test]
fn null_tier_after_means_no_tier_and_absent_means_unchecked() {
    let tests = PolicyTests::from_json(CASES).unwrap();
    let nulls: Vec<usize> = tests
        .cases
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.expect
                .decision
                .as_ref()
                .is_some_and(|d| d.tier_after == Some(None))
        })
        .map(|(i, _)| i)
        .collect();
    // The shipped `"tier_after": null` are read as "expects no tier", not dropped.
    assert_eq!(nulls.len(), CASES.matches(r#""tier_after": null"#).count());
    assert!(!nulls.is_empty());
    // Turning each into a tier makes exactly that case fail.
    for &i in &nulls {
        let mut edited = tests.clone();
        edited.cases[i].expect.decision.as_mut().unwrap().tier_after = Some(Some("model".into()));
        let report = run_tests(&edited, &illustrative::commune_sets());
        assert_eq!(report.failed(), 1, "case {i}: {report}");
        assert!(!report.cases[i].passed());
    }
    // Removing the field checks nothing about the tier afterwards.
    let mut edited = tests.clone();
    for c in &mut edited.cases {
        if let Some(d) = c.expect.decision.as_mut() {
            d.tier_after = None;
        }
    }
    let text = serde_json::to_string(&edited).unwrap();
    assert!(!text.contains("tier_after"), "{text}");
    assert_eq!(
        run_tests(&edited, &illustrative::commune_sets()).failed(),
        0
    );
}

#[test]
fn tier_after_expected_of_an_undecidable_case_fails_and_says_why() {
    let text = include_str!("../data/catalog/tests/vn-2021-2025-commune.json");
    let mut tests = PolicyTests::from_json(text).unwrap();
    let mut sets = ntm_rules::policy::catalog::load_all().unwrap();
    sets.extend(illustrative::commune_sets());
    let i = tests
        .cases
        .iter()
        .position(|c| {
            c.expect
                .decision
                .as_ref()
                .is_some_and(|d| d.verdict.as_deref() == Some("cannot_decide"))
        })
        .unwrap();
    tests.cases[i].expect.decision.as_mut().unwrap().tier_after = Some(None);
    let report = run_tests(&tests, &sets);
    assert_eq!(report.failed(), 1, "{report}");
    let m = &report.cases[i].mismatches[0];
    assert_eq!(
        (m.expected.as_str(), m.actual.as_str()),
        ("null", "\"(cannot be decided: no tier afterwards)\"")
    );
}
