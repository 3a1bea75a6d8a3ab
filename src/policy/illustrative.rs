//! A small illustrative criteria scheme, **made up for tests and examples: not law**.
//!
//! Three commune sets (standard, advanced, model) shaped like the 2021-2025 national sets:
//! a handful of criteria numbered as in 318/QĐ-TTg (1 planning, 3 irrigation, 10 income,
//! 11 poverty, 17 environment), thresholds by region and year, the especially-difficult
//! region rule, recognition preconditions, and the revocation rule of 18/2022/QĐ-TTg.
//! Every threshold row is marked `illustrative`. The data files are in
//! `data/illustrative/` of the repository.

use crate::model::{from_json, CriteriaSet, IndicatorData, Value};
use rust_decimal::Decimal;

const STANDARD: &str = include_str!("../../data/illustrative/commune_standard.json");
const ADVANCED: &str = include_str!("../../data/illustrative/commune_advanced.json");
const MODEL: &str = include_str!("../../data/illustrative/commune_model.json");

fn builtin(text: &str) -> CriteriaSet {
    // INVARIANT: the built-in files parse; `tests` below and every test that uses them
    // prove it. A failure here is a bug in the crate, not bad user input.
    match from_json("criteria set", text) {
        Ok(set) => set,
        #[expect(clippy::panic, reason = "built-in data, proven to parse by the tests")]
        Err(e) => panic!("built-in illustrative set is broken: {e}"),
    }
}

/// The illustrative standard commune set (5 criteria, 8 indicators, 3 preconditions).
pub fn commune_standard() -> CriteriaSet {
    builtin(STANDARD)
}

/// The illustrative advanced commune set (same frame, stricter thresholds).
pub fn commune_advanced() -> CriteriaSet {
    builtin(ADVANCED)
}

/// The illustrative model commune set (income above advanced, a smart village, an
/// outstanding field); its revocation is assessed against the advanced set.
pub fn commune_model() -> CriteriaSet {
    builtin(MODEL)
}

/// All three illustrative commune sets, lowest tier first.
pub fn commune_sets() -> Vec<CriteriaSet> {
    vec![commune_standard(), commune_advanced(), commune_model()]
}

/// Data of a made-up commune that meets the standard set in the northern midlands and
/// mountains (but not the advanced set), for the given unit code and year.
pub fn sample_commune(unit: &str, year: u16) -> IndicatorData {
    let num = |n: i64, scale: u32| Value::Number(Decimal::new(n, scale));
    IndicatorData::new(unit, year)
        .with("1.1", Value::Flag(true))
        .with("3.1", num(852, 1))
        .with("3.2", Value::Flag(true))
        .with("10.1", num(462, 1))
        .with("11.1", num(41, 1))
        .with("17.1", num(655, 1))
        .with("17.2", Value::Grade("partial".into()))
        .with("17.3", num(2, 0))
        .with("P.1", Value::Flag(true))
        .with("P.2", num(912, 1))
        .with("P.3", Value::Flag(true))
}

#[cfg(test)]
mod tests {
    #[test]
    fn built_in_sets_parse_and_compile() {
        for set in super::commune_sets() {
            for year in 2021..=2025 {
                for region in crate::model::Region::ALL {
                    crate::engine::compile(&set, &crate::model::Profile::in_region(region), year)
                        .unwrap();
                }
            }
        }
    }
}
