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
use ntm_rules::model::{AdminUnit, Date, Level, Profile, Region, Value};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::{
    aggregate, aggregate_compact, AggregateOptions, Hierarchy, LevelSets, RollUp, RollUpMethod,
    UnitInput,
};

mod support;
use support::{bac_giang, build, compact_agrees, flat_summaries_agree, num, rollups, spec, Spec};

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

/// The district and province sets of the Bắc Giang data (derived indicators: shares of
/// communes and districts at a tier).
fn upper_sets() -> Vec<LevelSets> {
    let (_, sets, _, _, _) = bac_giang();
    sets.into_iter()
        .filter(|g| g.level >= Level::District)
        .collect()
}

/// The random tree of `build` under a country, with district and province sets and
/// inputs: every
/// district of the rural kind (or the first a city, when `city`), with data for its own
/// criteria, some of it missing.
fn build_upper(
    spec: &[Vec<Spec>],
    city: bool,
    missing: &[bool],
) -> (Vec<AdminUnit>, Vec<UnitInput>) {
    use ntm_rules::model::{IndicatorData, UnitKind};
    let (mut units, mut inputs) = build(spec);
    let profile = Profile::in_region(Region::Tdmnpb);
    for u in &mut units {
        match u.level {
            Level::Province => {
                u.kind = Some(UnitKind::Province);
                u.parent = Some("VN".into());
            }
            Level::District if city && u.code.as_str() == "D0" => {
                u.kind = Some(UnitKind::ProvincialCity);
            }
            Level::District => u.kind = Some(UnitKind::RuralDistrict),
            _ => continue,
        }
        let gap = missing.get(inputs.len() % missing.len().max(1)) == Some(&true);
        let data = if u.level == Level::Province {
            IndicatorData::new(u.code.as_str(), 2022)
                .with("3.1", Value::Flag(true))
                .with("4.1", num("100"))
        } else {
            let d = IndicatorData::new(u.code.as_str(), 2022)
                .with("2.1", num("95"))
                .with("3.1", Value::Flag(true));
            if gap {
                d
            } else {
                d.with("4.1", Value::Flag(true))
            }
        };
        inputs.push(UnitInput::new(data).with_profile(profile.clone()));
    }
    // A country above the province (no sets: out of scope, with a summary).
    units.push(AdminUnit::new("VN", "Country", Level::Country));
    (units, inputs)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// With derived indicators at the district and province levels (counted from the
    /// flat counters when every descendant counted is decided, from the descendants'
    /// results otherwise), the compact pass is the full pass: every unit's result (the
    /// derived values in its data), every summary to the digit, every list (the derived
    /// problems with their reasons).
    #[test]
    fn compact_pass_with_derived_indicators_is_the_full_pass(
        spec in prop::collection::vec(prop::collection::vec(spec(), 1..5), 1..4),
        city in any::<bool>(),
        missing in prop::collection::vec(prop::bool::weighted(0.3), 1..4),
    ) {
        let (units, inputs) = build_upper(&spec, city, &missing);
        let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
        let mut sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
        sets.extend(upper_sets());
        let options = AggregateOptions::default().with_rollups(rollups());
        let full = aggregate(&tree, 2022, &sets, &inputs, &options);
        let compact = aggregate_compact(&tree, 2022, &sets, &inputs, &options);
        // Every district and the province derived its indicators: a value in its data,
        // or a problem saying why not.
        for unit in tree.units().filter(|u| matches!(u.level, Level::District | Level::Province)) {
            let r = &full.results[&unit.code];
            let data = r.data.as_ref().unwrap();
            let problem = full.derived_problems.iter().any(|p| p.unit == unit.code);
            prop_assert!(data.values.contains_key("1.1") || problem, "{}", unit.code);
        }
        compact_agrees(&tree, &compact, &full);
        flat_summaries_agree(&tree, &compact, &full);
        prop_assert_eq!(compact.into_aggregation(), full);
    }
}

/// Roll-ups over values that force `Decimal` sums (huge mantissas, many decimals,
/// negative values) and that overflow give the same values, digit for digit, in both
/// passes.
#[test]
fn roll_ups_past_exact_integer_sums_agree_with_the_full_pass() {
    let spec: Vec<Vec<Spec>> = (0..3)
        .map(|_| {
            (0..4)
                .map(|_| Spec {
                    income: 1,
                    poverty: 1,
                    grade: 2,
                    missing: false,
                    bad: false,
                    no_region: false,
                    history: 0,
                    villages: 1,
                })
                .collect()
        })
        .collect();
    let (units, mut inputs) = build(&spec);
    let values = [
        "79228162514264337593543950335",
        "0.0000000000000000000000000001",
        "-12.5",
        "7922816251426433759354395033.5",
        "3.1415926535897932384626433832",
        "1",
    ];
    for (i, input) in inputs.iter_mut().enumerate() {
        let v = values[i % values.len()];
        input.data = input.data.clone().with("X.1", num(v));
    }
    let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
    let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
    let mut rollups = rollups();
    for method in [
        RollUpMethod::Sum,
        RollUpMethod::Rate {
            weight: "households".into(),
        },
    ] {
        for indicator in ["X.1", "10.1"] {
            rollups.push(RollUp {
                indicator: indicator.into(),
                name: ntm_rules::model::Label::new("X", "X"),
                unit: None,
                method: method.clone(),
                from: Level::Commune,
            });
        }
    }
    let options = AggregateOptions::default().with_rollups(rollups);
    let full = aggregate(&tree, 2022, &sets, &inputs, &options);
    let compact = aggregate_compact(&tree, 2022, &sets, &inputs, &options);
    flat_summaries_agree(&tree, &compact, &full);
    // Some sums overflowed, others have values: both kinds were compared.
    let p = full
        .summaries
        .values()
        .find(|s| s.level == Level::Province)
        .unwrap();
    assert!(p.rollups.iter().any(|r| r.overflow), "{p:?}");
    assert!(p.rollups.iter().any(|r| r.value.is_some()), "{p:?}");
    assert_eq!(compact.into_aggregation(), full);
}
