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
use rust_decimal::Decimal;

use ntm_rules::contract::{self, Request};
use ntm_rules::engine::{reference, Outcome, VerdictKind};
use ntm_rules::model::{AdminUnit, Date, EventKind, History, Level, Profile, Region, Value};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::{
    aggregate, aggregate_compact, AggregateOptions, Aggregation, CompactAggregation, CompactStatus,
    Hierarchy, LevelSets, RollUp, RollUpMethod, UnitInput, UnitStatus, Weight,
};

/// Every unit's compact result says what the full result says: status, verdict, tier
/// held after, criteria met.
fn compact_agrees(tree: &Hierarchy, compact: &CompactAggregation<'_>, full: &Aggregation) {
    for (pos, unit) in tree.units().enumerate() {
        let r = &full.results[&unit.code];
        let c = compact.result(pos).unwrap();
        let status = match r.status {
            UnitStatus::NotAssessed { .. } => CompactStatus::NotAssessed,
            UnitStatus::Excluded { .. } => CompactStatus::Excluded,
            UnitStatus::Decided { .. } => CompactStatus::Decided,
        };
        assert_eq!(c.status, status, "{}", unit.code);
        assert_eq!(compact.tiers(pos), &r.tiers[..], "{}", unit.code);
        if let Some(d) = r.decision() {
            let cd = c.decision.unwrap();
            assert_eq!(cd.verdict, VerdictKind::of(&d.verdict), "{}", unit.code);
            let after = cd.after.map(|a| &r.tiers[usize::from(a)]);
            assert_eq!(after, d.tier_after().flatten(), "{}", unit.code);
        }
        let met = r.criteria_met.as_ref().map(|m| m.len() as u32);
        assert_eq!(c.criteria_met.map(|m| m.0), met, "{}", unit.code);
        assert_eq!(
            c.criteria_met.map(|m| m.1),
            r.criteria_total,
            "{}",
            unit.code
        );
    }
}

fn bac_giang() -> (Hierarchy, Vec<LevelSets>, Vec<UnitInput>, Vec<RollUp>, u16) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bac_giang_2022");
    let request = Request::from_dir(dir).unwrap();
    let one = contract::run(request.clone()).unwrap();
    let tree = Hierarchy::new(request.units.clone(), request.date).unwrap();
    (tree, one.sets, one.inputs, request.rollups, request.year)
}

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

/// The summaries of the compact pass (flat counters, built on demand) are those of
/// `aggregate` unit by unit, to the decimal digit (the JSON text compares the scale of
/// every share and roll-up, which `==` on decimals does not), and only units with
/// children have one.
fn flat_summaries_agree(tree: &Hierarchy, compact: &CompactAggregation<'_>, full: &Aggregation) {
    for (pos, unit) in tree.units().enumerate() {
        let flat = compact.summary(pos);
        assert_eq!(
            flat.as_ref(),
            full.summaries.get(&unit.code),
            "{}",
            unit.code
        );
        assert_eq!(
            serde_json::to_string(&flat).unwrap(),
            serde_json::to_string(&full.summaries.get(&unit.code)).unwrap(),
            "{}",
            unit.code
        );
    }
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

/// One commune's random data.
#[derive(Debug, Clone)]
struct Spec {
    income: u8,
    poverty: u8,
    grade: u8,
    missing: bool,
    bad: bool,
    no_region: bool,
    history: u8,
    villages: u8,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (0u8..4, 0u8..3, 0u8..3),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.08),
        prop::bool::weighted(0.1),
        0u8..6,
        0u8..3,
    )
        .prop_map(
            |((income, poverty, grade), missing, bad, no_region, history, villages)| Spec {
                income,
                poverty,
                grade,
                missing,
                bad,
                no_region,
                history,
                villages,
            },
        )
}

fn num(s: &str) -> Value {
    Value::Number(s.parse().unwrap())
}

fn build(spec: &[Vec<Spec>]) -> (Vec<AdminUnit>, Vec<UnitInput>) {
    let mut units = vec![AdminUnit::new("P", "Province", Level::Province)];
    let mut inputs = Vec::new();
    for (d, communes) in spec.iter().enumerate() {
        let dcode = format!("D{d}");
        units.push(AdminUnit::new(dcode.as_str(), "District", Level::District).with_parent("P"));
        for (c, s) in communes.iter().enumerate() {
            let code = format!("{dcode}-C{c}");
            units.push(
                AdminUnit::new(code.as_str(), "Commune", Level::Commune)
                    .with_parent(dcode.as_str()),
            );
            for v in 0..s.villages {
                units.push(
                    AdminUnit::new(format!("{code}-V{v}"), "Village", Level::Village)
                        .with_parent(code.as_str()),
                );
            }
            let mut data = illustrative::sample_commune(&code, 2022)
                .with("10.1", num(["30", "46", "55", "70"][s.income as usize]))
                .with("11.1", num(["2", "5", "12"][s.poverty as usize]))
                .with(
                    "17.2",
                    Value::Grade(["none", "partial", "full"][s.grade as usize].into()),
                )
                .with("M1.1", num(["30", "46", "55", "70"][s.income as usize]))
                .with("M2.1", num("1"))
                .with("M3.1", Value::Grade("security".into()));
            if s.missing {
                data.values.remove("3.1");
            }
            if s.bad {
                data = data.with("17.1", num("150"));
            }
            let history = match s.history {
                0 | 1 => History::default(),
                2 => History::recognised("standard", 2019),
                3 => History::recognised("standard", 2016).with(
                    "advanced",
                    2021,
                    EventKind::Recognised,
                ),
                4 => History::recognised("standard", 2016)
                    .with("advanced", 2019, EventKind::Recognised)
                    .with("model", 2020, EventKind::Recognised),
                // Skips a tier: the history does not nest.
                _ => History::recognised("advanced", 2018),
            };
            let profile = if s.no_region {
                Profile::default()
            } else {
                Profile::in_region(Region::Tdmnpb)
            };
            inputs.push(
                UnitInput::new(data)
                    .with_profile(profile)
                    .with_history(history)
                    .with_weight(
                        "households",
                        Weight::new(Decimal::from(1000 + c as i64 * 37)).unwrap(),
                    ),
            );
        }
    }
    (units, inputs)
}

fn rollups() -> Vec<RollUp> {
    vec![
        RollUp {
            indicator: "11.1".into(),
            name: ntm_rules::model::Label::new("Tỷ lệ hộ nghèo", "Poverty rate"),
            unit: None,
            method: RollUpMethod::Rate {
                weight: "households".into(),
            },
            from: Level::Commune,
        },
        RollUp {
            indicator: "10.1".into(),
            name: ntm_rules::model::Label::new("Thấp nhất", "Minimum"),
            unit: None,
            method: RollUpMethod::Minimum,
            from: Level::Commune,
        },
    ]
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
