//! Policy test files (`PolicyTests::from_json`, `policy::run_tests`): each input edits
//! a shipped test file (the illustrative cases, the catalog's cases): values, expected
//! tiers, criteria, decisions, histories, profiles, set ids.
//!
//! Must hold: a refused file names its place; an accepted file round-trips through
//! serde; running it gives one result per case, and a failed case says why (a mismatch
//! or an error).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntm_fuzz::edit::{Recipe, Seed};
use ntm_fuzz::{all_sets, check_located, check_round_trip, seeds, POLICY_TESTS};
use ntm_rules::policy::{run_tests, PolicyTests};
use std::sync::OnceLock;

fuzz_target!(|recipe: Recipe| {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    let text = recipe.text(seeds(POLICY_TESTS, &SEEDS));
    let tests = match PolicyTests::from_json(&text) {
        Ok(t) => t,
        Err(e) => return check_located(&e.location(), "policy tests", &e),
    };
    check_round_trip(&tests, PolicyTests::from_json, |t| {
        serde_json::to_string(t).unwrap_or_default()
    });
    let report = run_tests(&tests, all_sets());
    assert_eq!(
        report.cases.len(),
        tests.cases.len(),
        "a case without a result"
    );
    for case in &report.cases {
        if !case.passed() {
            assert!(
                !case.mismatches.is_empty() || case.error.is_some(),
                "case `{}` failed without a reason",
                case.name
            );
        }
    }
    let _ = report.to_string();
});
