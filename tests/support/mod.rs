//! What the tests of the compact pass share: the Bắc Giang data set, the random trees
//! and data of the property tests, and the comparisons of a compact pass with the full
//! one. Included by `mod support;` (a file here is not a test of its own).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers shared by several test files, each using some"
)]

use proptest::prelude::*;
use rust_decimal::Decimal;

use ntm_rules::contract::{self, Request};
use ntm_rules::engine::VerdictKind;
use ntm_rules::model::{AdminUnit, EventKind, History, Level, Profile, Region, Value};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::{
    Aggregation, CompactAggregation, CompactStatus, Hierarchy, LevelSets, RollUp, RollUpMethod,
    UnitInput, UnitStatus, Weight,
};

/// Every unit's compact result says what the full result says: status, verdict, tier
/// held after, criteria met.
pub(crate) fn compact_agrees(
    tree: &Hierarchy,
    compact: &CompactAggregation<'_>,
    full: &Aggregation,
) {
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

pub(crate) fn bac_giang() -> (Hierarchy, Vec<LevelSets>, Vec<UnitInput>, Vec<RollUp>, u16) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bac_giang_2022");
    let request = Request::from_dir(dir).unwrap();
    let one = contract::run(request.clone()).unwrap();
    let tree = Hierarchy::new(request.units.clone(), request.date).unwrap();
    (tree, one.sets, one.inputs, request.rollups, request.year)
}

/// The summaries of the compact pass (flat counters, built on demand) are those of
/// `aggregate` unit by unit, to the decimal digit (the JSON text compares the scale of
/// every share and roll-up, which `==` on decimals does not), and only units with
/// children have one.
pub(crate) fn flat_summaries_agree(
    tree: &Hierarchy,
    compact: &CompactAggregation<'_>,
    full: &Aggregation,
) {
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

/// One commune's random data.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) income: u8,
    pub(crate) poverty: u8,
    pub(crate) grade: u8,
    pub(crate) missing: bool,
    pub(crate) bad: bool,
    pub(crate) no_region: bool,
    pub(crate) history: u8,
    pub(crate) villages: u8,
}

pub(crate) fn spec() -> impl Strategy<Value = Spec> {
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

pub(crate) fn num(s: &str) -> Value {
    Value::Number(s.parse().unwrap())
}

pub(crate) fn build(spec: &[Vec<Spec>]) -> (Vec<AdminUnit>, Vec<UnitInput>) {
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

pub(crate) fn rollups() -> Vec<RollUp> {
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
