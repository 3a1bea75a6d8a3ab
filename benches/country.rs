//! The whole country in one pass: the bundled Bắc Giang 2022 data set (1 province, 10
//! district-level units, 184 communes, 1,432 villages; synthetic) copied 55 times gives
//! about 10,100 communes, 79,000 villages and 550 districts — the size of Vietnam's
//! NTM reporting before 2025. The bench times `aggregate` (compile per distinct set and
//! profile, evaluate, decide, derived indicators, summaries, roll-ups, bottom-up) and,
//! separately, validating the tree.
//!
//! That is the group `country` (synthetic): every level of the pipeline, villages,
//! derived district and province indicators and roll-ups included.
//!
//! The group `real_country` runs on the **real** tree (`data/vn-admin`, from
//! `vietnamadminunits` 1.0.4) with the national example's synthetic commune inputs
//! (`examples/vietnam/country.rs`): the pass over the 63 provinces, 696 district-level and
//! 10,035 commune-level units at 2025-06-30, and over the 34 provinces and 3,321
//! commune-level units at 2025-07-01, where every new rural commune goes through the
//! merger rule; and validating the tree of both shapes (14,150 entries) at each date.
//!
//! `country/compact_pass` is the same pass through `tree::CompactInputs::aggregate`
//! (masks per batch of units sharing their programs, decisions from the masks, compact
//! results), the inputs loaded in column form beforehand (`CompactInputs::new`, timed
//! as `country/compact_load`); `country/aggregate_compact` is both. Before timing, the
//! bench prints the peak heap (counting allocator, `support/heap.rs`) of building the
//! inputs and the tree and running each pass, and checks that the compact pass gives
//! the same `Aggregation` as `aggregate`. It then prints the heap held after each step
//! of the compact pass: the map-form inputs, the tree, the columns loaded from the maps
//! (`CompactInputs::new`; the maps are kept, the compact result reads them for the full
//! explanations) and the compact result. Last, from the column form
//! (`tree::InputColumns`, built from the one Bắc Giang copy, each input renamed and
//! appended, so the 55 copies' maps are never held; checked to give the same
//! `Aggregation`): the line `country memory (columns)`, the heap held by the column
//! inputs, the tree and the compact result of `CompactInputs::from_columns`, and the
//! peak of all of it (the target: 64 MB).
//!
//! Run: `cargo bench --bench country -- --warm-up-time 1 --measurement-time 5`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: a panic is a bench failure"
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ntm_rules::contract::{self, Request};
use ntm_rules::model::{AdminUnit, Date, UnitCode};
use ntm_rules::tree::{
    aggregate, aggregate_compact, AggregateOptions, CompactInputs, Hierarchy, InputColumns,
    LevelSets, RollUp, UnitInput,
};

#[path = "support/heap.rs"]
mod heap;
use heap::{in_use, peak_heap};

#[path = "../examples/vietnam/country.rs"]
#[allow(dead_code, unreachable_pub, reason = "shared with the example")]
mod real;

const COPIES: usize = 55;

/// The inputs of the pass for the whole country, resolved (sets read, inputs parsed).
struct Country {
    year: u16,
    date: Date,
    units: Vec<AdminUnit>,
    sets: Vec<LevelSets>,
    inputs: Vec<UnitInput>,
    rollups: Vec<RollUp>,
}

fn country() -> Country {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bac_giang_2022");
    let request = Request::from_dir(dir).unwrap();
    let one = contract::run(request.clone()).unwrap();
    let mut all = Country {
        year: request.year,
        date: request.date,
        units: Vec::new(),
        sets: one.sets,
        inputs: Vec::new(),
        rollups: request.rollups,
    };
    for copy in 0..COPIES {
        let rename = |c: &UnitCode| UnitCode::new(format!("{copy:02}-{c}"));
        for u in &request.units {
            let mut u = u.clone();
            u.code = rename(&u.code);
            u.parent = u.parent.as_ref().map(rename);
            u.merged_from = u.merged_from.iter().map(rename).collect();
            all.units.push(u);
        }
        for i in &one.inputs {
            let mut i = i.clone();
            i.data.unit = rename(&i.data.unit);
            all.inputs.push(i);
        }
    }
    all
}

/// The one Bắc Giang copy the country is made of (codes as in the data set).
fn bac_giang() -> Country {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bac_giang_2022");
    let request = Request::from_dir(dir).unwrap();
    let one = contract::run(request.clone()).unwrap();
    Country {
        year: request.year,
        date: request.date,
        units: request.units,
        sets: one.sets,
        inputs: one.inputs,
        rollups: request.rollups,
    }
}

/// The country's tree and its inputs in column form, made from the one copy without
/// ever holding the 55 copies' inputs in map form: each input of the copy is renamed
/// and appended to the columns, one at a time.
fn country_columns(one: &Country, options: &AggregateOptions) -> (Hierarchy, InputColumns) {
    let tree = country_tree(one);
    let columns = country_inputs(one, &tree, options);
    (tree, columns)
}

fn rename(copy: usize, c: &UnitCode) -> UnitCode {
    UnitCode::new(format!("{copy:02}-{c}"))
}

/// The country's tree, from the one copy.
/// A code read twice shares its text, as `Request::from_json` reads them.
fn country_tree(one: &Country) -> Hierarchy {
    let mut units = Vec::with_capacity(one.units.len() * COPIES);
    for copy in 0..COPIES {
        let mut codes: std::collections::HashMap<UnitCode, UnitCode> = Default::default();
        let mut code = |c: &UnitCode| {
            codes
                .entry(c.clone())
                .or_insert_with(|| rename(copy, c))
                .clone()
        };
        for u in &one.units {
            let mut u = u.clone();
            u.code = code(&u.code);
            u.parent = u.parent.as_ref().map(&mut code);
            u.merged_from = u.merged_from.iter().map(&mut code).collect();
            units.push(u);
        }
    }
    Hierarchy::new(units, one.date).unwrap()
}

/// The country's inputs in column form, each input of the one copy renamed and
/// appended, one at a time.
fn country_inputs(one: &Country, tree: &Hierarchy, options: &AggregateOptions) -> InputColumns {
    let mut columns = InputColumns::new(&one.sets, options);
    for copy in 0..COPIES {
        for i in &one.inputs {
            let mut i = i.clone();
            i.data.unit = rename(copy, &i.data.unit);
            columns.push_input(tree, &i).unwrap();
        }
    }
    columns.shrink_to_fit();
    columns
}

fn bench(c: &mut Criterion) {
    let data = country();
    let tree = Hierarchy::new(data.units.clone(), data.date).unwrap();
    let units = data.units.len() as u64;
    let communes = tree
        .units()
        .filter(|u| u.level == ntm_rules::model::Level::Commune)
        .count();
    assert!(communes > 10_000, "{communes} communes");
    // The copies decide as the original does.
    let options = AggregateOptions::default().with_rollups(data.rollups.clone());
    let agg = aggregate(&tree, data.year, &data.sets, &data.inputs, &options);
    assert_eq!(agg.excluded.len(), 0);

    // The compact pass gives the same aggregation, most units on the batch path.
    let compact = aggregate_compact(&tree, data.year, &data.sets, &data.inputs, &options);
    assert!(compact.batched() > 85_000, "{}", compact.batched());
    assert_eq!(compact.into_aggregation(), agg);

    // The same from the column form, built without the 55 copies' maps.
    let one = bac_giang();
    let (column_tree, columns) = country_columns(&one, &options);
    let from_columns =
        CompactInputs::from_columns(&column_tree, data.year, &data.sets, &columns, &options)
            .unwrap()
            .aggregate();
    assert!(
        from_columns.batched() > 85_000,
        "{}",
        from_columns.batched()
    );
    assert_eq!(from_columns.into_aggregation(), agg);
    drop((column_tree, columns));
    drop(agg);

    // The heap of the inputs, the tree and each pass's result, from nothing.
    let mib = |b: usize| b as f64 / f64::from(1 << 20);
    let inputs_tree = peak_heap(|| {
        let d = country();
        let t = Hierarchy::new(d.units.clone(), d.date).unwrap();
        (d, t)
    });
    let with_full = peak_heap(|| {
        let d = country();
        let t = Hierarchy::new(d.units.clone(), d.date).unwrap();
        let o = AggregateOptions::default().with_rollups(d.rollups.clone());
        drop(black_box(aggregate(&t, d.year, &d.sets, &d.inputs, &o)));
    });
    // The compact pass, step by step: the heap held after each step.
    let mut held = (0, 0, 0, 0);
    let with_compact = peak_heap(|| {
        let d = country();
        let maps = in_use();
        let t = Hierarchy::new(d.units.clone(), d.date).unwrap();
        let tree = in_use() - maps;
        let o = AggregateOptions::default().with_rollups(d.rollups.clone());
        let before = in_use();
        let loaded = CompactInputs::new(&t, d.year, &d.sets, &d.inputs, &o);
        let columns = in_use() - before;
        let result = loaded.aggregate();
        held = (maps, tree, columns, in_use() - before);
        drop(black_box(result));
    });
    // From the column form: the heap held after each step, and the peak of all of them
    // (the one copy's map-form inputs are read before, outside the count).
    let mut held_columns = (0, 0, 0);
    let peak_columns = peak_heap(|| {
        let o = AggregateOptions::default().with_rollups(one.rollups.clone());
        let t = country_tree(&one);
        let tree_bytes = in_use();
        let inputs = country_inputs(&one, &t, &o);
        let built = in_use();
        let loaded = CompactInputs::from_columns(&t, one.year, &one.sets, &inputs, &o).unwrap();
        let result = loaded.aggregate();
        held_columns = (built - tree_bytes, tree_bytes, in_use() - built);
        drop(black_box(result));
    });
    eprintln!(
        "country memory (columns): inputs {:.1} MiB; tree {:.1} MiB; result {:.1} MiB; \
         peak {:.1} MiB ({:.1} MB; target 64 MB)",
        mib(held_columns.0),
        mib(held_columns.1),
        mib(held_columns.2),
        mib(peak_columns),
        peak_columns as f64 / 1e6,
    );
    eprintln!(
        "country memory (peak heap): inputs and tree {:.0} MiB; with aggregate {:.0} MiB; \
         with aggregate_compact {:.0} MiB",
        mib(inputs_tree),
        mib(with_full),
        mib(with_compact),
    );
    eprintln!(
        "country memory (held): map-form inputs {:.0} MiB; tree {:.0} MiB; loaded in columns \
         (CompactInputs::new) {:.0} MiB; compact result {:.0} MiB; tree plus the larger of \
         columns and result (a sum, not a run without the maps) {:.0} MiB",
        mib(held.0),
        mib(held.1),
        mib(held.2),
        mib(held.3),
        mib(held.1 + held.2.max(held.3)),
    );

    let mut g = c.benchmark_group("country");
    g.throughput(Throughput::Elements(units));
    g.sample_size(10);
    g.bench_function("compact_pass", |b| {
        b.iter_batched(
            || CompactInputs::new(&tree, data.year, &data.sets, &data.inputs, &options),
            |loaded| black_box(loaded.aggregate()),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("compact_load", |b| {
        b.iter(|| {
            black_box(CompactInputs::new(
                black_box(&tree),
                data.year,
                &data.sets,
                black_box(&data.inputs),
                &options,
            ))
        })
    });
    g.bench_function("aggregate_compact", |b| {
        b.iter(|| {
            black_box(aggregate_compact(
                black_box(&tree),
                data.year,
                &data.sets,
                black_box(&data.inputs),
                &options,
            ))
        })
    });
    g.bench_function("aggregate", |b| {
        b.iter(|| {
            black_box(aggregate(
                black_box(&tree),
                data.year,
                &data.sets,
                black_box(&data.inputs),
                &options,
            ))
        })
    });
    g.bench_function("validate_tree", |b| {
        b.iter(|| black_box(Hierarchy::new(black_box(data.units.clone()), data.date).unwrap()))
    });
    g.finish();
}

fn bench_real(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = real::load(root).unwrap();
    let mut g = c.benchmark_group("real_country");
    g.sample_size(10);
    for (name, date) in [
        ("2025-06-30", real::before()),
        ("2025-07-01", real::after()),
    ] {
        let tree = Hierarchy::new(data.units.clone(), date).unwrap();
        let options = AggregateOptions::default();
        let agg = aggregate(&tree, real::YEAR, &data.sets, &data.inputs, &options);
        assert_eq!(agg.excluded.len(), 0);
        g.throughput(Throughput::Elements(tree.len() as u64));
        g.bench_function(format!("aggregate/{name}"), |b| {
            b.iter(|| {
                black_box(aggregate(
                    black_box(&tree),
                    real::YEAR,
                    &data.sets,
                    black_box(&data.inputs),
                    &options,
                ))
            })
        });
        g.throughput(Throughput::Elements(data.units.len() as u64));
        g.bench_function(format!("validate_tree/{name}"), |b| {
            b.iter(|| black_box(Hierarchy::new(black_box(data.units.clone()), date).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_real);
criterion_main!(benches);
