//! The tree pass from the column input form (`tree::InputColumns`, then
//! `CompactInputs::from_columns`) against `tree::aggregate` on the same inputs in map
//! form: on the bundled Bắc Giang data and on random trees and data (the generators of
//! `tests/compact.rs`, plus the rare parts: values no set reads, values of another kind,
//! "not applicable", units given twice or not at all, inputs for units not in the tree,
//! data of another year, outstanding fields, procedures), every unit's result, every
//! summary and every problem list agree, and every row converted gives its input back.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure is a test failure"
)]

use proptest::prelude::*;

use ntm_rules::model::{Date, IndicatorId, Level, Value};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::{
    aggregate, AggregateOptions, ColumnInputError, CompactInputs, Hierarchy, InputColumns,
    LevelSets, UnitInput,
};

mod support;
use support::{bac_giang, build, compact_agrees, flat_summaries_agree, num, rollups, spec};

/// Every row of `columns` gives back the input it was converted from.
fn rows_round_trip(tree: &Hierarchy, columns: &InputColumns, inputs: &[UnitInput]) {
    assert_eq!(columns.len(), inputs.len());
    for (row, input) in inputs.iter().enumerate() {
        assert_eq!(
            columns.unit_input(tree, row).as_ref(),
            Some(input),
            "row {row}"
        );
    }
}

#[test]
fn column_pass_gives_the_full_pass_on_bac_giang() {
    let (tree, sets, inputs, rollups, year) = bac_giang();
    let options = AggregateOptions::default().with_rollups(rollups);
    let full = aggregate(&tree, year, &sets, &inputs, &options);
    let columns = InputColumns::from_inputs(&tree, &sets, &options, &inputs);
    rows_round_trip(&tree, &columns, &inputs);
    let compact = CompactInputs::from_columns(&tree, year, &sets, &columns, &options)
        .unwrap()
        .aggregate();
    assert!(compact.batched() > 1500, "{}", compact.batched());
    compact_agrees(&tree, &compact, &full);
    flat_summaries_agree(&tree, &compact, &full);
    assert_eq!(compact.into_aggregation(), full);
}

/// Filled row by row (not converted): a value no set of the unit's level reads, or of
/// another kind than its column, is refused with the unit and the indicator named, and
/// the pass on what was accepted is `aggregate` on the same values.
#[test]
fn filled_row_by_row_refuses_what_no_set_reads_and_gives_the_full_pass() {
    let (tree, sets, inputs, rollups, year) = bac_giang();
    let options = AggregateOptions::default().with_rollups(rollups);
    let mut columns = InputColumns::new(&sets, &options);
    let mut kept = Vec::new();
    let mut refused = 0;
    for input in &inputs {
        let row = columns
            .push_unit(&tree, &input.data.unit, input.data.year, &input.profile)
            .unwrap();
        let mut accepted = input.clone();
        for (id, value) in &input.data.values {
            match columns.set_value(&tree, row, id, value.clone()) {
                Ok(()) => {}
                Err(ColumnInputError::UnknownIndicator { unit, indicator }) => {
                    assert_eq!((&unit, &indicator), (&input.data.unit, id));
                    accepted.data.values.remove(id);
                    refused += 1;
                }
                Err(e) => panic!("{e}"),
            }
        }
        columns.set_history(row, input.history.clone());
        for (name, w) in &input.weights {
            columns.set_weight(row, name, *w);
        }
        kept.push(accepted);
    }
    // What was refused is what the pass reports as unused in the map form.
    let with_all = aggregate(&tree, year, &sets, &inputs, &options);
    assert_eq!(refused, with_all.unused_values.len());
    rows_round_trip(&tree, &columns, &kept);
    let full = aggregate(&tree, year, &sets, &kept, &options);
    let compact = CompactInputs::from_columns(&tree, year, &sets, &columns, &options)
        .unwrap()
        .aggregate();
    assert_eq!(compact.into_aggregation(), full);

    // Refused, the unit and indicator named.
    let row = 0;
    let unit = &inputs[0].data.unit;
    let err = columns
        .set_value(&tree, row, &IndicatorId::new("no.such"), num("1"))
        .unwrap_err();
    assert_eq!(
        err,
        ColumnInputError::UnknownIndicator {
            unit: unit.clone(),
            indicator: IndicatorId::new("no.such"),
        }
    );
    assert!(err.to_string().contains("no.such"), "{err}");
    let commune = inputs
        .iter()
        .position(|i| i.data.values.contains_key("3.1") && i.data.values.len() > 10)
        .unwrap();
    let err = columns
        .set_value(
            &tree,
            commune,
            &IndicatorId::new("3.1"),
            Value::Grade("x".into()),
        )
        .unwrap_err();
    assert!(
        matches!(&err, ColumnInputError::WrongKind { unit, indicator, .. }
            if unit == &inputs[commune].data.unit && indicator.as_str() == "3.1"),
        "{err}"
    );
    // And nothing of it kept.
    assert_eq!(
        columns.unit_input(&tree, commune).as_ref(),
        Some(&kept[commune])
    );
    let err = columns
        .push_unit(
            &tree,
            &"nowhere".into(),
            year,
            &ntm_rules::model::Profile::default(),
        )
        .unwrap_err();
    assert!(matches!(err, ColumnInputError::UnknownUnit { .. }), "{err}");
}

/// The rare parts added to a random commune's input.
fn rare() -> impl Strategy<Value = (u8, u8)> {
    (0u8..12, 0u8..12)
}

/// Adds to `inputs` (one per commune, in order) what `rare` says.
fn add_rare(inputs: Vec<UnitInput>, rare: &[(u8, u8)]) -> Vec<UnitInput> {
    let mut out = Vec::new();
    for (i, (mut input, &(a, b))) in inputs.into_iter().zip(rare.iter().cycle()).enumerate() {
        for part in [a, b] {
            match part {
                // A value no set reads (reported as unused, with a hint).
                0 => input.data.values.insert("10.2".into(), num("3")),
                1 => input.data.values.insert("zz".into(), Value::Flag(true)),
                // Of another kind than the sets' indicator.
                2 => input
                    .data
                    .values
                    .insert("3.1".into(), Value::Grade("full".into())),
                3 => input.data.values.insert("17.2".into(), num("2")),
                4 => input.data.values.insert("1.1".into(), Value::NotApplicable),
                5 => {
                    input.outstanding_fields = vec!["an ninh".into()];
                    None
                }
                6 => {
                    input.procedure = [("self_assessment".to_owned(), "2022-05-01".to_owned())]
                        .into_iter()
                        .collect();
                    None
                }
                7 => {
                    input.data.year = 2021;
                    None
                }
                _ => None,
            };
        }
        let (a, b) = rare[i % rare.len().max(1)];
        match (a + b) % 16 {
            // Given twice.
            0 => out.push(input.clone()),
            // Not given: the unit has no input.
            1 => continue,
            // Also an input for a unit not in the tree.
            2 => {
                let mut other = input.clone();
                other.data.unit = format!("X-{}", input.data.unit).into();
                out.push(other);
            }
            _ => {}
        }
        out.push(input);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The pass from columns converted from the map form agrees with `aggregate` on
    /// every unit, summary and problem list (unused values, incomplete profiles,
    /// missing and unknown inputs, exclusions), and every row converts back exactly.
    #[test]
    fn column_pass_agrees_with_the_full_pass(
        spec in prop::collection::vec(prop::collection::vec(spec(), 1..6), 1..4),
        rare in prop::collection::vec(rare(), 1..8),
    ) {
        let (units, inputs) = build(&spec);
        let inputs = add_rare(inputs, &rare);
        let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
        let sets = vec![
            LevelSets::new(Level::Commune, illustrative::commune_sets()),
        ];
        let options = AggregateOptions::default()
            .with_rollups(rollups())
            .with_unreadable("D0-C0", "at `/inputs/0`: expected a JSON object");
        let full = aggregate(&tree, 2022, &sets, &inputs, &options);
        let columns = InputColumns::from_inputs(&tree, &sets, &options, &inputs);
        rows_round_trip(&tree, &columns, &inputs);
        let compact = CompactInputs::from_columns(&tree, 2022, &sets, &columns, &options)
        .unwrap()
            .aggregate();
        // No more units take the batch path than from the map form (a value held apart
        // that a set reads sends its unit to the per-unit path).
        let maps = CompactInputs::new(&tree, 2022, &sets, &inputs, &options).aggregate();
        prop_assert!(compact.batched() <= maps.batched());
        compact_agrees(&tree, &compact, &full);
        flat_summaries_agree(&tree, &compact, &full);
        prop_assert_eq!(compact.into_aggregation(), full);
    }
}

/// The column inputs and a compact pass from them can go to another thread (the
/// inputs rebuilt on demand are kept in thread-safe cells).
#[test]
fn column_inputs_and_the_pass_from_them_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<InputColumns>();
    send_sync::<CompactInputs<'static>>();
    send_sync::<ntm_rules::tree::CompactAggregation<'static>>();
}

#[test]
fn columns_refuse_another_tree_or_other_sets_than_they_were_filled_for() {
    let (tree, sets, inputs, rollups, year) = bac_giang();
    let options = AggregateOptions::default().with_rollups(rollups);
    let columns = InputColumns::from_inputs(&tree, &sets, &options, &inputs);
    assert!(columns.fits(&tree, &sets, &options).is_ok());
    // The same units, one village less: every position after it names another unit.
    let mut units: Vec<_> = tree.units().cloned().collect();
    let village = units
        .iter()
        .position(|u| u.level == Level::Village)
        .unwrap();
    units.remove(village);
    let other = Hierarchy::new(units, tree.date()).unwrap();
    let refused = CompactInputs::from_columns(&other, year, &sets, &columns, &options);
    assert_eq!(refused.err(), Some(ColumnInputError::OtherTree));
    assert_eq!(columns.unit_input(&other, 0), None);
    let mut more = columns.clone();
    assert_eq!(
        more.push_input(&other, &inputs[0]).err(),
        Some(ColumnInputError::OtherTree)
    );
    assert_eq!(more.len(), columns.len(), "nothing added");
    // The same tree built again is the same tree.
    let again = Hierarchy::new(tree.units().cloned().collect(), tree.date()).unwrap();
    assert!(CompactInputs::from_columns(&again, year, &sets, &columns, &options).is_ok());
    // Other sets (the commune sets left out), or no roll-ups: refused.
    let fewer: Vec<LevelSets> = sets
        .iter()
        .filter(|g| g.level != Level::Commune)
        .cloned()
        .collect();
    let refused = CompactInputs::from_columns(&tree, year, &fewer, &columns, &options);
    assert_eq!(refused.err(), Some(ColumnInputError::OtherSets));
    let plain = AggregateOptions::default();
    let refused = CompactInputs::from_columns(&tree, year, &sets, &columns, &plain);
    assert_eq!(refused.err(), Some(ColumnInputError::OtherSets));
    // Empty columns fit any tree.
    let empty = InputColumns::new(&sets, &options);
    assert!(empty.fits(&other, &sets, &options).is_ok());
}

#[test]
fn default_columns_are_the_columns_of_no_sets() {
    let (tree, sets, _, rollups, _) = bac_giang();
    let options = AggregateOptions::default().with_rollups(rollups);
    let none = InputColumns::default();
    assert!(none.fits(&tree, &[], &AggregateOptions::default()).is_ok());
    assert_eq!(
        none.fits(&tree, &sets, &options).err(),
        Some(ColumnInputError::OtherSets)
    );
}
