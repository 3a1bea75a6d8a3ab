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
