//! Provincial overlays and their application to the catalog sets
//! (`Overlay::from_json`, `policy::apply_overlays_to_sets`): each input edits a shipped
//! overlay (the Bắc Giang catalog overlay, the country example's): values, rows'
//! conditions, replacements, added indicators, set ids.
//!
//! Must hold: a refused overlay names its place; an accepted one round-trips through
//! serde; every problem of applying it names its place; the sets it gives round-trip,
//! and on them the compiled engine and the reference evaluator agree.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ntm_fuzz::edit::{Recipe, Seed};
use ntm_fuzz::{
    all_sets, check_evaluators_agree, check_located, check_round_trip, seeds, DataRecipe, OVERLAYS,
};
use ntm_rules::model::CriteriaSet;
use ntm_rules::policy::{apply_overlays_to_sets, Overlay};
use std::sync::OnceLock;

#[derive(Debug, Arbitrary)]
struct Input {
    overlay: Recipe,
    /// A second overlay, applied after the first.
    second: Option<Recipe>,
    /// Which set of the result to evaluate.
    set: u8,
    data: DataRecipe,
}

fuzz_target!(|input: Input| {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    let seeds = seeds(OVERLAYS, &SEEDS);
    let mut overlays = Vec::new();
    for recipe in std::iter::once(&input.overlay).chain(input.second.as_ref()) {
        let text = recipe.text(seeds);
        match Overlay::from_json(&text) {
            Ok(o) => {
                check_round_trip(&o, Overlay::from_json, Overlay::to_json);
                overlays.push(o);
            }
            Err(e) => return check_located(&e.location(), "overlay", &e),
        }
    }
    match apply_overlays_to_sets(all_sets(), &overlays) {
        Ok(sets) => {
            assert_eq!(sets.len(), all_sets().len(), "a set was lost");
            let n = usize::from(input.set) % sets.len();
            let set = &sets[n];
            check_round_trip(set, CriteriaSet::from_json, CriteriaSet::to_json);
            check_evaluators_agree(set, &input.data);
        }
        Err(e) => {
            assert!(
                !e.problems().is_empty(),
                "an overlay error without problems"
            );
            for p in e.problems() {
                check_located(p.location(), "overlay application", p);
            }
        }
    }
});
