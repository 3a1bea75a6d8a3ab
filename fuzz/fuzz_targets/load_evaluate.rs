//! Loads arbitrary bytes as a criteria set and as indicator data, validates, compiles,
//! evaluates and decides. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntm_rules::engine::{compile, decide};
use ntm_rules::policy::illustrative;
use ntm_rules::policy;
use ntm_rules::model::{CriteriaSet, History, IndicatorData, Profile, Region};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(set) = CriteriaSet::from_json(text) {
        let _ = policy::validate_set(&set);
        for year in [set.scheme.years.from, 2022] {
            if let Ok(program) = compile(&set, &Profile::in_region(Region::Tdmnpb), year) {
                let _ = program.evaluate(&illustrative::sample_commune("F", year));
            }
        }
    }
    if let Ok(unit) = IndicatorData::from_json(text) {
        let assessments: Vec<_> = illustrative::commune_sets()
            .iter()
            .filter_map(|s| compile(s, &Profile::in_region(Region::Dbsh), unit.year).ok())
            .filter_map(|p| p.evaluate(&unit).ok())
            .collect();
        let _ = decide(&assessments, &History::default());
    }
});
