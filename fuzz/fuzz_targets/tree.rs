//! The administrative tree with dates and lineage (`Hierarchy::new` on units read from
//! JSON): each input edits the units of a shipped request (codes, parents, levels,
//! kinds, `valid_from`/`valid_to`, `merged_from`, `divided_into`) and picks the date.
//!
//! Must hold: refused units name their place; accepted units round-trip through serde;
//! a refused tree lists problems that each name their place; an accepted tree holds
//! only given units valid at its date, each child's parent is the unit it hangs under,
//! `bottom_up` visits every unit once with children before parents, and a unit's
//! lineage ends.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ntm_fuzz::edit::{Recipe, Seed};
use ntm_fuzz::{check_located, check_round_trip, request_seeds};
use ntm_rules::model::{from_json, AdminUnit, Date};
use ntm_rules::tree::Hierarchy;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Arbitrary)]
struct Input {
    units: Recipe,
    /// The date: the request's, or another.
    date: Option<(u16, u8, u8)>,
}

fn unit_seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        request_seeds()
            .iter()
            .map(|s| Seed::new(&s.value["units"].to_string()))
            .collect()
    })
}

fuzz_target!(|input: Input| {
    let text = input.units.text(unit_seeds());
    let units: Vec<AdminUnit> = match from_json("units", &text) {
        Ok(u) => u,
        Err(e) => return check_located(&e.location(), "units", &e),
    };
    check_round_trip(
        &units,
        |t| from_json("units", t),
        |u| serde_json::to_string(u).unwrap_or_default(),
    );
    // The units of seed n are those of request n: its date by default.
    let request = &request_seeds()[usize::from(input.units.seed) % request_seeds().len()];
    let date = input
        .date
        .and_then(|(y, m, d)| Date::new(y, m, d))
        .or_else(|| serde_json::from_value(request.value["date"].clone()).ok())
        .unwrap_or_else(|| Date::end_of_year(2022));
    let given: BTreeMap<String, AdminUnit> = units
        .iter()
        .map(|u| (u.code.as_str().to_owned(), u.clone()))
        .collect();
    let tree = match Hierarchy::new(units, date) {
        Ok(t) => t,
        Err(e) => {
            assert!(!e.problems().is_empty(), "a tree error without problems");
            for p in e.problems() {
                check_located(&p.location(), "tree", p);
            }
            return;
        }
    };
    assert_eq!(tree.date(), date);
    let mut seen = BTreeMap::new();
    for (n, u) in tree.bottom_up().enumerate() {
        assert!(
            given.contains_key(u.code.as_str()),
            "unit `{}` was not given",
            u.code
        );
        assert!(
            u.is_valid_at(date),
            "unit `{}` not valid at {date:?}",
            u.code
        );
        assert!(
            seen.insert(u.code.clone(), n).is_none(),
            "`{}` visited twice",
            u.code
        );
    }
    assert_eq!(
        seen.len(),
        tree.len(),
        "bottom_up does not visit every unit once"
    );
    for u in tree.units() {
        for child in tree.children(u.code.as_str()) {
            let parent = tree.parent(child.code.as_str()).map(|p| p.code.clone());
            assert_eq!(
                parent.as_ref(),
                Some(&u.code),
                "child `{}` of `{}`",
                child.code,
                u.code
            );
            assert!(
                seen[&child.code] < seen[&u.code],
                "`{}` before its child",
                u.code
            );
        }
        let lineage = tree.lineage(u.code.as_str());
        assert!(
            lineage.len() <= given.len() + 1,
            "lineage of `{}` does not end",
            u.code
        );
    }
});
