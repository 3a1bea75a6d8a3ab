//! The merger rule on the shapes of the 2025 rearrangement: successors that kept the code
//! of one of their parts, and old units divided among several new ones
//! (`AdminUnit::divided_into`), with the tree's check of the latter.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a failure is a test failure"
)]

use ntm_rules::model::{AdminUnit, Date, History, Level, Profile, Region, UnitCode, UnitKind};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::{
    aggregate, AggregateOptions, Aggregation, Hierarchy, LevelSets, MergerRule, TreeProblem,
    UnitInput, UnitStatus,
};

const YEAR: u16 = 2025;

fn old(code: &str) -> AdminUnit {
    AdminUnit::new(code, code, Level::Commune)
        .with_parent("P")
        .with_kind(UnitKind::RuralCommune)
        .valid(None, Some(Date::new(2025, 6, 30).unwrap()))
}

fn new(code: &str, parts: &[&str]) -> AdminUnit {
    AdminUnit::new(code, code, Level::Commune)
        .with_parent("P")
        .with_kind(UnitKind::RuralCommune)
        .valid(Some(Date::TWO_TIER_REFORM), None)
        .merged_from(parts.iter().copied())
}

fn input(code: &str, history: History) -> UnitInput {
    UnitInput::new(illustrative::sample_commune(code, YEAR))
        .with_profile(Profile::in_region(Region::Tdmnpb))
        .with_history(history)
}

fn standard() -> History {
    History::recognised("standard", 2020)
}

fn run(units: Vec<AdminUnit>, inputs: &[UnitInput]) -> Aggregation {
    let tree = Hierarchy::new(units, Date::TWO_TIER_REFORM).unwrap();
    let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
    aggregate(&tree, YEAR, &sets, inputs, &AggregateOptions::default())
}

fn rule(agg: &Aggregation, code: &str) -> MergerRule {
    agg.results[code].merger.as_ref().unwrap().rule.clone()
}

fn held(agg: &Aggregation, code: &str) -> Option<String> {
    let UnitStatus::Decided { decision } = &agg.results[code].status else {
        panic!("{code}: {:?}", agg.results[code].status)
    };
    decision.held.as_ref().map(|t| t.to_string())
}

#[test]
fn a_successor_that_kept_a_parts_code_reads_that_parts_history_from_its_own_input() {
    let units = vec![
        AdminUnit::new("P", "P", Level::Province),
        old("A"),
        old("B"),
        old("E"),
        old("F"),
        // A kept its code: the history given for `A` is the old A's before 2025.
        new("A", &["A", "B"]),
        new("E", &["E", "F"]),
    ];
    let inputs = [
        input("A", standard()),
        input("B", standard()),
        input("E", standard()),
        input("F", History::default()),
    ];
    let agg = run(units, &inputs);
    assert_eq!(
        rule(&agg, "A"),
        MergerRule::Inherited {
            tier: Some("standard".into())
        }
    );
    assert_eq!(held(&agg, "A").as_deref(), Some("standard"));
    // E (standard, under the kept code) with F (none): mixed, re-reviewed; without the
    // split of the code's history E would be decided on the old E's recognition.
    assert_eq!(rule(&agg, "E"), MergerRule::ReReview);
    assert_eq!(held(&agg, "E"), None);
    assert!(agg.unknown_inputs.is_empty(), "{:?}", agg.unknown_inputs);
}

#[test]
fn a_unit_formed_from_a_divided_unit_is_re_reviewed_even_when_every_part_held_the_tier() {
    let units = vec![
        AdminUnit::new("P", "P", Level::Province),
        old("B"),
        old("D").divided_into(["N2", "N3"]),
        old("G"),
        new("N2", &["B", "D"]),
        new("N3", &["D"]),
        new("N4", &["G"]),
    ];
    let inputs = [
        input("N2", History::default()),
        input("N3", History::default()),
        input("N4", History::default()),
        input("B", standard()),
        input("D", standard()),
        input("G", standard()),
    ];
    let agg = run(units, &inputs);
    let divided = MergerRule::Divided {
        divided: vec![UnitCode::new("D")],
    };
    assert_eq!(rule(&agg, "N2"), divided);
    assert_eq!(rule(&agg, "N3"), divided);
    assert_eq!(held(&agg, "N2"), None);
    assert_eq!(held(&agg, "N3"), None);
    // A unit formed whole from one undivided unit keeps its tier.
    assert_eq!(held(&agg, "N4").as_deref(), Some("standard"));
}

#[test]
fn a_divided_unit_naming_a_code_with_no_later_entry_is_a_tree_problem() {
    let units = vec![
        AdminUnit::new("P", "P", Level::Province),
        old("D").divided_into(["N2", "Z", "B"]),
        old("B"),
        new("N2", &["D"]),
        // Never ends: cannot be divided.
        AdminUnit::new("K", "K", Level::Commune)
            .with_parent("P")
            .divided_into(["N2"]),
    ];
    let err = Hierarchy::new(units, Date::TWO_TIER_REFORM).unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "unit `D`: divided into `Z`, which has no entry starting after `D` ends",
            "unit `D`: divided into `B`, which has no entry starting after `D` ends",
            "unit `K`: divided into `N2`, which has no entry starting after `K` ends",
        ]
    );
    assert!(err
        .problems()
        .iter()
        .all(|p| matches!(p, TreeProblem::UnknownSuccessor { .. })));
}

#[test]
fn a_divided_part_whose_code_another_successor_kept_is_read_not_missing() {
    let units = vec![
        AdminUnit::new("P", "P", Level::Province),
        old("A"),
        old("B").divided_into(["B", "X"]),
        old("C"),
        // B kept its code for one share; X got the other.
        new("B", &["B", "C"]),
        new("X", &["A", "B"]),
    ];
    let inputs = [
        input("A", standard()),
        input("B", standard()),
        input("C", standard()),
        input("X", History::default()),
    ];
    let agg = run(units, &inputs);
    let merger = agg.results["X"].merger.as_ref().unwrap();
    let held: Vec<(String, Option<String>)> = merger
        .parts
        .iter()
        .map(|p| (p.unit.to_string(), p.held.as_ref().map(ToString::to_string)))
        .collect();
    assert_eq!(
        held,
        [
            ("A".to_owned(), Some("standard".to_owned())),
            ("B".to_owned(), Some("standard".to_owned())),
        ]
    );
    let divided = MergerRule::Divided {
        divided: vec![UnitCode::new("B")],
    };
    assert_eq!(merger.rule, divided);
    assert_eq!(rule(&agg, "B"), divided);
}
