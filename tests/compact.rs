//! The compact pass (`tree::aggregate_compact`: columns in, masks through, compact
//! results out) against the full one (`tree::aggregate`) and the reference evaluator:
//! on the bundled Bắc Giang data and on random trees and data (missing values, bad
//! data, undetermined thresholds, histories with revocation), every unit's tier,
//! verdict and criteria met, every summary and every problem list agree, and the full
//! explanation built on demand is identical.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure is a test failure"
)]

use proptest::prelude::*;

use ntm_rules::engine::{reference, Outcome};
use ntm_rules::model::{Date, Level};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::{aggregate, aggregate_compact, AggregateOptions, Hierarchy, LevelSets};

mod support;
use support::{bac_giang, build, compact_agrees, flat_summaries_agree, rollups, spec};

#[test]
fn compact_pass_gives_the_full_pass_on_bac_giang() {
    let (tree, sets, inputs, rollups, year) = bac_giang();
    let options = AggregateOptions::default().with_rollups(rollups);
    let full = aggregate(&tree, year, &sets, &inputs, &options);
    let compact = aggregate_compact(&tree, year, &sets, &inputs, &options);
    // The villages and communes went through the batch path.
    assert!(compact.batched() > 1500, "{}", compact.batched());
    compact_agrees(&tree, &compact, &full);
    assert_eq!(compact.summaries(), full.summaries);
    assert_eq!(compact.into_aggregation(), full);
}

#[test]
fn flat_summaries_are_the_full_pass_summaries_digit_for_digit_on_bac_giang() {
    let (tree, sets, inputs, rollups, year) = bac_giang();
    let options = AggregateOptions::default().with_rollups(rollups);
    let full = aggregate(&tree, year, &sets, &inputs, &options);
    let compact = aggregate_compact(&tree, year, &sets, &inputs, &options);
    flat_summaries_agree(&tree, &compact, &full);
    // The province's roll-ups have values (the flat path sums them, not left empty).
    let province = tree
        .units()
        .position(|u| u.level == Level::Province)
        .unwrap();
    let summary = compact.summary(province).unwrap();
    assert!(
        summary.rollups.iter().all(|r| r.value.is_some()),
        "{summary:?}"
    );
    // A village has no summary.
    let village = tree
        .units()
        .position(|u| u.level == Level::Village)
        .unwrap();
    assert_eq!(compact.summary(village), None);
}

#[test]
fn compact_explanation_on_demand_is_the_full_one() {
    let (tree, sets, inputs, rollups, year) = bac_giang();
    let options = AggregateOptions::default().with_rollups(rollups);
    let full = aggregate(&tree, year, &sets, &inputs, &options);
    let mut compact = aggregate_compact(&tree, year, &sets, &inputs, &options);
    let (pos, unit) = tree
        .units()
        .enumerate()
        .find(|(_, u)| u.level == Level::Commune)
        .unwrap();
    assert_eq!(
        compact.unit_result(pos).as_ref(),
        full.results.get(&unit.code)
    );
    // Asking again changes nothing collected.
    assert_eq!(compact.aggregation().unused_values, full.unused_values);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The compact pass agrees with the full pass on every unit (tier, verdict,
    /// criteria met), every summary and every list, and its criteria counts with the
    /// reference evaluator.
    #[test]
    fn compact_pass_agrees_with_the_full_pass_and_the_reference(
        spec in prop::collection::vec(prop::collection::vec(spec(), 1..6), 1..4)
    ) {
        let (units, inputs) = build(&spec);
        let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
        let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
        let options = AggregateOptions::default().with_rollups(rollups());
        let full = aggregate(&tree, 2022, &sets, &inputs, &options);
        let compact = aggregate_compact(&tree, 2022, &sets, &inputs, &options);
        // Every commune with good data and a history that nests took the batch path.
        let plain = spec.iter().flatten().filter(|s| !s.bad && s.history != 5).count();
        prop_assert_eq!(compact.batched(), plain);
        compact_agrees(&tree, &compact, &full);
        // The lowest set's criteria met, by the reference evaluator.
        let standard = illustrative::commune_standard();
        for (pos, unit) in tree.units().enumerate() {
            let Some((met, _)) = compact.result(pos).unwrap().criteria_met else { continue };
            let input = inputs.iter().find(|i| i.data.unit == unit.code).unwrap();
            let a = reference::evaluate(&standard, &input.profile, 2022, &input.data).unwrap();
            prop_assert_eq!(met as usize, a.criteria_with(Outcome::Met).len());
        }
        prop_assert_eq!(&compact.summaries(), &full.summaries);
        flat_summaries_agree(&tree, &compact, &full);
        prop_assert_eq!(compact.into_aggregation(), full);
    }
}
