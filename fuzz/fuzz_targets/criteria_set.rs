//! Criteria sets (`CriteriaSet::from_json`, `validate_set`, `compile`, evaluate): each
//! input edits one of the shipped sets (the national catalog and the illustrative sets:
//! thresholds, requirements, kinds, pass rules, profile rules, years) and gives a unit's
//! profile, year and values.
//!
//! Must hold: a refused set names its place; an accepted set round-trips through serde;
//! validation problems name their place; the compiled engine and the reference evaluator
//! agree exactly (errors included).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ntm_fuzz::edit::{Recipe, Seed};
use ntm_fuzz::{check_evaluators_agree, check_located, check_round_trip, seeds, DataRecipe, SETS};
use ntm_rules::model::CriteriaSet;
use ntm_rules::policy::validate_set;
use std::sync::OnceLock;

#[derive(Debug, Arbitrary)]
struct Input {
    set: Recipe,
    data: DataRecipe,
}

fuzz_target!(|input: Input| {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    let text = input.set.text(seeds(SETS, &SEEDS));
    let set = match CriteriaSet::from_json(&text) {
        Ok(set) => set,
        Err(e) => return check_located(&e.location(), "criteria set", &e),
    };
    check_round_trip(&set, CriteriaSet::from_json, CriteriaSet::to_json);
    for p in validate_set(&set) {
        check_located(&p.location, "validation", &p);
    }
    check_evaluators_agree(&set, &input.data);
});
