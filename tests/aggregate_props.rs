//! Aggregation invariants (design.md, invariant 4), on random trees and data:
//! a parent's counts are the sums of its children's; the result does not depend on the
//! order of the units and inputs; shares are exact (`count × 100 / total`).

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure is a test failure"
)]

use proptest::prelude::*;
use rust_decimal::Decimal;

use ntm_rules::model::{AdminUnit, Date};
use ntm_rules::model::{EventKind, History, Level, Profile, Region, Value};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::Hierarchy;
use ntm_rules::tree::{
    aggregate, AggregateOptions, Aggregation, LevelCounts, LevelSets, UnitInput, UnitStatus, Weight,
};

/// One commune's random data: which variant of each value, history and whether it is bad.
#[derive(Debug, Clone)]
struct CommuneSpec {
    income: u8,
    poverty: u8,
    water: u8,
    grade: u8,
    missing: bool,
    bad: bool,
    history: u8,
    villages: u8,
}

fn commune_spec() -> impl Strategy<Value = CommuneSpec> {
    (
        0u8..4,
        0u8..3,
        0u8..3,
        0u8..3,
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.08),
        0u8..4,
        0u8..3,
    )
        .prop_map(
            |(income, poverty, water, grade, missing, bad, history, villages)| CommuneSpec {
                income,
                poverty,
                water,
                grade,
                missing,
                bad,
                history,
                villages,
            },
        )
}

fn tree_spec() -> impl Strategy<Value = Vec<Vec<CommuneSpec>>> {
    prop::collection::vec(prop::collection::vec(commune_spec(), 1..6), 1..5)
}

fn num(s: &str) -> Value {
    Value::Number(s.parse().unwrap())
}

fn build(spec: &[Vec<CommuneSpec>]) -> (Vec<AdminUnit>, Vec<UnitInput>) {
    let mut units = vec![AdminUnit::new("P", "Province", Level::Province)];
    let mut inputs = Vec::new();
    let profile = Profile::in_region(Region::Tdmnpb);
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
                .with("17.1", num(["50", "70", "90"][s.water as usize]))
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
                _ => History::recognised("standard", 2016).with(
                    "advanced",
                    2021,
                    EventKind::Recognised,
                ),
            };
            inputs.push(
                UnitInput::new(data)
                    .with_profile(profile.clone())
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

fn run(units: Vec<AdminUnit>, inputs: &[UnitInput]) -> Aggregation {
    let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
    let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
    let rollups = vec![
        ntm_rules::tree::RollUp {
            indicator: "11.1".into(),
            name: ntm_rules::model::Label::new("Tỷ lệ hộ nghèo", "Poverty rate"),
            unit: None,
            method: ntm_rules::tree::RollUpMethod::Rate {
                weight: "households".into(),
            },
            from: Level::Commune,
        },
        ntm_rules::tree::RollUp {
            indicator: "11.1".into(),
            name: ntm_rules::model::Label::new("Tổng", "Sum"),
            unit: None,
            method: ntm_rules::tree::RollUpMethod::Sum,
            from: Level::Commune,
        },
    ];
    aggregate(
        &tree,
        2022,
        &sets,
        inputs,
        &AggregateOptions::default().with_rollups(rollups),
    )
}

/// The counts of a level, added by hand over some summaries' counts.
/// units, assessed, decided, undecided, excluded; per tier: cumulative, new, revoked.
type Sums = (u32, u32, u32, u32, u32, Vec<(String, u32, u32, u32)>);

fn sum_counts(parts: &[&LevelCounts]) -> Sums {
    let mut tiers: Vec<(String, u32, u32, u32)> = Vec::new();
    let (mut units, mut assessed, mut decided, mut undecided, mut excluded) = (0, 0, 0, 0, 0);
    for p in parts {
        units += p.units;
        assessed += p.assessed;
        decided += p.decided;
        undecided += p.undecided;
        excluded += p.excluded;
        for t in &p.tiers {
            match tiers.iter_mut().find(|x| x.0 == t.tier.as_str()) {
                Some(x) => {
                    x.1 += t.cumulative;
                    x.2 += t.new;
                    x.3 += t.revoked;
                }
                None => tiers.push((t.tier.to_string(), t.cumulative, t.new, t.revoked)),
            }
        }
    }
    tiers.sort();
    (units, assessed, decided, undecided, excluded, tiers)
}

fn shuffle<T>(v: &mut [T], seed: u64) {
    // A small deterministic Fisher-Yates, driven by proptest's seed.
    let mut x = seed | 1;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.swap(i, (x % (i as u64 + 1)) as usize);
    }
}

proptest! {
    // A case with nothing to check (no share with a denominator, no roll-up with a
    // unit) is rejected, not passed; more than 32 rejects fail the property.
    #![proptest_config(ProptestConfig {
        max_global_rejects: 32,
        ..ProptestConfig::with_cases(64)
    })]

    #[test]
    fn parent_counts_are_sums_of_children(spec in tree_spec()) {
        let (units, inputs) = build(&spec);
        let agg = run(units, &inputs);
        let province = agg.summary("P").unwrap();
        for level in [Level::Commune, Level::Village] {
            let children: Vec<&LevelCounts> = (0..spec.len())
                .filter_map(|d| agg.summary(&format!("D{d}")))
                .filter_map(|s| s.level(level))
                .collect();
            let mine = province.level(level);
            match mine {
                Some(m) => prop_assert_eq!(sum_counts(&[m]), sum_counts(&children)),
                None => prop_assert!(children.is_empty()),
            }
        }
        // Criteria statistics add up too.
        let pc = province.criteria.as_ref();
        let (mut sum, mut count, mut below) = (0u64, 0u32, 0u32);
        for d in 0..spec.len() {
            if let Some(c) = agg.summary(&format!("D{d}")).and_then(|s| s.criteria.as_ref()) {
                sum += c.average.sum;
                count += c.average.count;
                below += c.below;
            }
        }
        prop_assert_eq!(pc.map_or(0, |c| c.average.sum), sum);
        prop_assert_eq!(pc.map_or(0, |c| c.average.count), count);
        prop_assert_eq!(pc.map_or(0, |c| c.below), below);
        if let Some(c) = pc {
            let banded: u32 = c.bands.iter().map(|b| b.units).sum();
            prop_assert_eq!(banded, c.average.count);
        }
        // Excluded units are exactly the bad ones, counted once each.
        let bad = spec.iter().flatten().filter(|s| s.bad).count();
        prop_assert_eq!(agg.excluded.len(), bad);
        prop_assert_eq!(province.level(Level::Commune).unwrap().excluded as usize, bad);
    }

    #[test]
    fn order_does_not_matter(spec in tree_spec(), seed in any::<u64>()) {
        let (units, inputs) = build(&spec);
        let first = run(units.clone(), &inputs);
        let (mut units2, mut inputs2) = (units, inputs);
        shuffle(&mut units2, seed);
        shuffle(&mut inputs2, seed.rotate_left(17));
        let second = run(units2, &inputs2);
        prop_assert_eq!(
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&second).unwrap()
        );
    }

    #[test]
    fn shares_are_exact(spec in tree_spec()) {
        let (units, inputs) = build(&spec);
        let agg = run(units, &inputs);
        let mut quotients = 0;
        for s in agg.summaries.values() {
            for l in &s.levels {
                let lowest = l.tiers.first().map_or(0, |t| t.cumulative);
                for t in &l.tiers {
                    for (share, total) in [(t.share_of_all, l.assessed), (t.share_of_lowest, lowest)] {
                        quotients += usize::from(total > 0);
                        prop_assert_eq!(share.count, t.cumulative);
                        prop_assert_eq!(share.total, total);
                        let expected = (total > 0).then(|| {
                            Decimal::from(t.cumulative) * Decimal::ONE_HUNDRED / Decimal::from(total)
                        });
                        prop_assert_eq!(share.percent, expected);
                    }
                }
            }
            if let Some(c) = &s.criteria {
                let expected = (c.average.count > 0)
                    .then(|| Decimal::from(c.average.sum) / Decimal::from(c.average.count));
                prop_assert_eq!(c.average.value, expected);
            }
        }
        prop_assume!(quotients > 0, "no share had a denominator");
    }

    /// Every unit's roll-ups (computed in one pass over the communes, added to each
    /// ancestor) equal a naive recomputation: a scan of the unit's communes in code
    /// order, with the same checked decimal steps.
    #[test]
    fn roll_ups_equal_a_naive_scan(spec in tree_spec()) {
        let (units, inputs) = build(&spec);
        let tree = Hierarchy::new(units.clone(), Date::end_of_year(2022)).unwrap();
        let agg = run(units, &inputs);
        let mut values = 0;
        prop_assert!(!agg.summaries.is_empty());
        for s in agg.summaries.values() {
            prop_assert_eq!(s.rollups.len(), 2);
            values += s.rollups.iter().filter(|r| r.value.is_some()).count();
            for r in &s.rollups {
                let rate = matches!(r.method, ntm_rules::tree::RollUpMethod::Rate { .. });
                let (mut n, mut acc, mut weights) = (0u32, None::<Decimal>, Decimal::ZERO);
                let (mut missing, mut left_out) = (Vec::new(), Vec::new());
                for c in tree.descendants_at(s.unit.as_str(), Level::Commune) {
                    let res = agg.result(c.code.as_str()).unwrap();
                    // Excluded units are left out, whatever their values.
                    if let UnitStatus::Excluded { reason } = &res.status {
                        left_out.push((c.code.clone(), reason.name().to_owned()));
                        continue;
                    }
                    let input = inputs.iter().find(|i| i.data.unit == c.code).unwrap();
                    match input.data.values.get("11.1") {
                        Some(Value::Number(v)) => {
                            n += 1;
                            if rate {
                                let w = input.weights["households"].value();
                                weights += w;
                                acc = Some(acc.unwrap_or_default() + *v * w);
                            } else {
                                acc = Some(acc.unwrap_or_default() + *v);
                            }
                        }
                        _ => missing.push(c.code.clone()),
                    }
                }
                prop_assert_eq!(r.units, n);
                prop_assert_eq!(&r.missing_value, &missing);
                let got: Vec<_> = r.left_out.iter().map(|x| (x.unit.clone(), x.reason.clone())).collect();
                prop_assert_eq!(got, left_out);
                prop_assert!(r.missing_weight.is_empty() && !r.overflow);
                let value = acc.filter(|_| missing.is_empty());
                if rate {
                    prop_assert_eq!(r.weighted, acc.map(|a| (a, weights)));
                    prop_assert_eq!(r.value, value.map(|a| a / weights));
                } else {
                    prop_assert_eq!(r.weighted, None);
                    prop_assert_eq!(r.value, value);
                }
            }
        }
        prop_assume!(values > 0, "no roll-up had a value");
    }
}
