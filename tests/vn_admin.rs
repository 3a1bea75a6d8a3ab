//! The real country tree (`data/vn-admin/units.json`, converted from `vietnamadminunits`
//! 1.0.4 by `data/vn-admin/generate.py`): the conversion checks of issue #17. The file is
//! regenerated and compared byte for byte in CI (`.ci/run`); these tests read the
//! committed file.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a failure is a test failure"
)]

use ntm_rules::model::{AdminUnit, Date, Level, UnitKind};
use ntm_rules::tree::Hierarchy;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const UNITS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/vn-admin/units.json");

fn units() -> &'static [AdminUnit] {
    static UNITS_CELL: OnceLock<Vec<AdminUnit>> = OnceLock::new();
    UNITS_CELL.get_or_init(|| {
        let text = std::fs::read_to_string(UNITS).unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

fn before() -> Date {
    "2025-06-30".parse().unwrap()
}

fn after() -> Date {
    Date::TWO_TIER_REFORM
}

fn at(date: Date) -> Vec<&'static AdminUnit> {
    units().iter().filter(|u| u.is_valid_at(date)).collect()
}

fn counts(date: Date) -> BTreeMap<(Level, Option<UnitKind>), usize> {
    let mut out = BTreeMap::new();
    for u in at(date) {
        *out.entry((u.level, u.kind)).or_insert(0) += 1;
    }
    out
}

/// The dataset's own counts (`dataset.db` of 1.0.4: `SELECT wardType, COUNT(DISTINCT
/// wardCode) FROM admin_units_legacy GROUP BY 1`, the same for districts, provinces and
/// the `admin_units` table after the rearrangement).
#[test]
fn counts_per_level_and_kind_equal_the_datasets_before_the_rearrangement() {
    let expected = BTreeMap::from([
        ((Level::Commune, Some(UnitKind::RuralCommune)), 7695),
        ((Level::Commune, Some(UnitKind::Ward)), 1724),
        ((Level::Commune, Some(UnitKind::Township)), 616),
        ((Level::District, Some(UnitKind::RuralDistrict)), 508),
        ((Level::District, Some(UnitKind::UrbanDistrict)), 49),
        ((Level::District, Some(UnitKind::ProvincialCity)), 87),
        ((Level::District, Some(UnitKind::Town)), 52),
        ((Level::Province, Some(UnitKind::Province)), 57),
        ((Level::Province, Some(UnitKind::CentralCity)), 6),
        ((Level::Country, None), 1),
    ]);
    assert_eq!(counts(before()), expected);
}

#[test]
fn counts_per_level_and_kind_equal_the_datasets_after_the_rearrangement() {
    let expected = BTreeMap::from([
        ((Level::Commune, Some(UnitKind::RuralCommune)), 2621),
        ((Level::Commune, Some(UnitKind::Ward)), 687),
        ((Level::Commune, Some(UnitKind::SpecialZone)), 13),
        ((Level::Province, Some(UnitKind::Province)), 28),
        ((Level::Province, Some(UnitKind::CentralCity)), 6),
        ((Level::Country, None), 1),
    ]);
    assert_eq!(counts(after()), expected);
}

#[test]
fn the_tree_validates_at_both_dates() {
    for date in [before(), after()] {
        let tree = Hierarchy::new(units().to_vec(), date).unwrap();
        assert_eq!(
            tree.roots().map(|u| u.code.as_str()).collect::<Vec<_>>(),
            ["VN"]
        );
        assert_eq!(tree.len(), at(date).len());
    }
}

#[test]
fn codes_are_unique_per_date() {
    for date in [before(), after()] {
        let mut seen = BTreeSet::new();
        for u in at(date) {
            assert!(seen.insert(&u.code), "{} used twice on {date}", u.code);
        }
    }
}

/// Every new unit is formed from units that exist the day before, and every old
/// commune-level unit goes into at least one new unit.
#[test]
fn every_new_units_parts_exist_before_and_every_old_commune_has_a_successor() {
    let old: BTreeMap<_, _> = at(before()).into_iter().map(|u| (&u.code, u)).collect();
    let mut successors: BTreeMap<_, BTreeSet<_>> = BTreeMap::new();
    for u in at(after())
        .into_iter()
        .filter(|u| u.level != Level::Country)
    {
        assert!(!u.merged_from.is_empty(), "{} has no lineage", u.code);
        for p in &u.merged_from {
            let part = old.get(p);
            assert!(
                part.is_some(),
                "{}: part {p} is not a unit on 2025-06-30",
                u.code
            );
            successors.entry(p).or_default().insert(&u.code);
        }
    }
    let orphans: Vec<_> = old
        .values()
        .filter(|u| u.level == Level::Commune && !successors.contains_key(&u.code))
        .map(|u| u.code.as_str())
        .collect();
    assert_eq!(
        orphans,
        Vec::<&str>::new(),
        "old communes without a successor"
    );
    // A divided unit names exactly the new units that list it; the others have one.
    let mut divided = 0;
    for u in old.values().filter(|u| u.level == Level::Commune) {
        let succ = successors.get(&u.code).unwrap();
        if u.divided_into.is_empty() {
            assert_eq!(succ.len(), 1, "{} goes into {succ:?}", u.code);
        } else {
            divided += 1;
            assert!(u.divided_into.len() > 1);
            assert_eq!(u.divided_into.iter().collect::<BTreeSet<_>>(), *succ);
        }
    }
    assert_eq!(divided, 471);
}

#[test]
fn new_provinces_are_formed_from_the_63_old_ones() {
    let parts: BTreeSet<_> = at(after())
        .into_iter()
        .filter(|u| u.level == Level::Province)
        .flat_map(|u| u.merged_from.iter())
        .collect();
    assert_eq!(parts.len(), 63);
    // Bắc Ninh (24) from Bắc Giang (24) and Bắc Ninh (27): the successor kept a code.
    let bac_ninh = at(after())
        .into_iter()
        .find(|u| u.code.as_str() == "24")
        .unwrap();
    assert_eq!(
        bac_ninh.name.get(ntm_rules::model::Lang::Vi),
        "Tỉnh Bắc Ninh"
    );
    let codes: Vec<_> = bac_ninh.merged_from.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, ["24", "27"]);
}

#[test]
fn a_successor_that_kept_a_code_has_it_in_its_lineage() {
    let tree = Hierarchy::new(units().to_vec(), after()).unwrap();
    // Phường Ba Đình (00004, from 2025-07-01) took the code of Phường Trúc Bạch.
    let lineage = tree.lineage("00004");
    assert!(lineage.iter().any(|c| c.as_str() == "00004"), "{lineage:?}");
    assert!(lineage.iter().any(|c| c.as_str() == "00016"), "{lineage:?}");
    assert_eq!(
        tree.get("00004").unwrap().parent.as_ref().unwrap().as_str(),
        "01"
    );
}

#[test]
fn special_zones_formed_from_island_districts_without_communes() {
    let zones: BTreeMap<_, _> = at(after())
        .into_iter()
        .filter(|u| u.kind == Some(UnitKind::SpecialZone))
        .map(|u| (u.code.as_str(), u))
        .collect();
    assert_eq!(zones.len(), 13);
    // Đặc khu Hoàng Sa (20333) is the former Hoàng Sa district (498), which had none.
    let hoang_sa = zones.get("20333").unwrap();
    let parts: Vec<_> = hoang_sa.merged_from.iter().map(|c| c.as_str()).collect();
    assert_eq!(parts, ["498"]);
    let district = at(before())
        .into_iter()
        .find(|u| u.code.as_str() == "498")
        .unwrap();
    assert_eq!(district.level, Level::District);
}

#[test]
fn coordinates_are_inside_vietnam() {
    let (lat, lon) = (
        (Decimal::from(8), Decimal::from(24)),
        (Decimal::from(102), Decimal::from(118)),
    );
    let mut with = 0;
    for u in units() {
        if let Some(c) = &u.coordinates {
            with += 1;
            assert!(
                lat.0 <= c.lat && c.lat <= lat.1,
                "{}: latitude {}",
                u.code,
                c.lat
            );
            assert!(
                lon.0 <= c.lon && c.lon <= lon.1,
                "{}: longitude {}",
                u.code,
                c.lon
            );
        }
    }
    // Every unit but the country root has a point.
    assert_eq!(with, units().len() - 1);
}

/// The committed file is what `generate.py` writes from the installed package. Skipped,
/// saying so, when `vietnamadminunits` is not installed (CI installs it first).
#[test]
fn the_committed_file_is_what_the_converter_writes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/vn-admin");
    let out = std::env::temp_dir().join(format!("vn-admin-units-{}.json", std::process::id()));
    let run = std::process::Command::new("python3")
        .arg(format!("{dir}/generate.py"))
        .arg("--out")
        .arg(&out)
        .output();
    let Ok(run) = run else {
        eprintln!("SKIPPED: python3 not found; the tree cannot be regenerated here");
        return;
    };
    if run.status.code() == Some(2) {
        eprintln!(
            "SKIPPED: {}; install it to compare the committed tree",
            String::from_utf8_lossy(&run.stderr).trim()
        );
        return;
    }
    assert!(
        run.status.success(),
        "generate.py failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let written = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let committed = std::fs::read(UNITS).unwrap();
    assert!(
        written == committed,
        "data/vn-admin/units.json differs from what generate.py writes: regenerate it"
    );
}

/// The converter's bad-input cases (`generate.py --self-test`, which needs no package):
/// a type the mapping does not know, coordinates outside Vietnam, a parent or lineage
/// code missing at its date, a code used twice at one date, an old commune without a
/// successor — each reported naming the unit, the rest converted.
#[test]
fn the_converter_reports_bad_input_naming_the_unit_and_converts_the_rest() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/data/vn-admin/generate.py");
    let Ok(run) = std::process::Command::new("python3")
        .arg(script)
        .arg("--self-test")
        .output()
    else {
        eprintln!("SKIPPED: python3 not found");
        return;
    };
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[path = "../examples/vietnam/country.rs"]
#[allow(
    dead_code,
    reason = "shared with the example; not every item is used here"
)]
mod country;

/// The national example (`examples/vietnam`): every new rural commune starts from its
/// parts by the merger rule — the case follows from the parts' tiers and from whether a
/// part was divided — and none is excluded for want of a part's history.
#[test]
fn the_national_example_applies_the_merger_rule_to_every_new_rural_commune() {
    use ntm_rules::tree::{aggregate, AggregateOptions, MergerRule};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = country::load(root).unwrap();
    let tree = Hierarchy::new(data.units.clone(), after()).unwrap();
    let agg = aggregate(
        &tree,
        country::YEAR,
        &data.sets,
        &data.inputs,
        &AggregateOptions::default(),
    );
    assert!(agg.excluded.is_empty(), "{:?}", agg.excluded.first());
    let divided_before: BTreeSet<_> = at(before())
        .into_iter()
        .filter(|u| u.divided_into.len() > 1)
        .map(|u| &u.code)
        .collect();
    let (mut inherited, mut mixed, mut divided) = (0, 0, 0);
    for u in at(after())
        .into_iter()
        .filter(|u| u.kind == Some(UnitKind::RuralCommune))
    {
        let merger = agg.results[&u.code].merger.as_ref().unwrap();
        let has_divided = u.merged_from.iter().any(|p| divided_before.contains(p));
        let tiers: BTreeSet<_> = merger.parts.iter().map(|p| &p.held).collect();
        match &merger.rule {
            MergerRule::Divided { .. } => {
                assert!(has_divided, "{}", u.code);
                divided += 1;
            }
            MergerRule::ReReview => {
                assert!(!has_divided && tiers.len() > 1, "{}", u.code);
                mixed += 1;
            }
            MergerRule::Inherited { tier } => {
                assert!(!has_divided && tiers.len() == 1, "{}", u.code);
                let held = agg.results[&u.code].decision().unwrap().held.clone();
                assert_eq!(&held, tier, "{}", u.code);
                inherited += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(inherited + mixed + divided, 2621);
    assert!(inherited > 0 && mixed > 0 && divided > 0);
}
