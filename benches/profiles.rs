//! The program cache on hostile input: every unit with its own set of statuses (a status
//! no threshold row mentions, plus, for half of them, one that does), across the seven
//! regions, against the three illustrative commune sets. Before the cache was keyed by
//! hash and shared compilations, 20,000 such units took 12.8 s (a linear scan and one
//! compilation per distinct profile) and 40,000 took 114 s and 1.4 GB.
//!
//! `evaluator/distinct_profiles` is [`Evaluator::evaluate`] for every unit with a cold
//! cache (compilations included); `aggregate/distinct_profiles` is the whole pass
//! (`aggregate`, as the contract runs it) over a province of those communes, and
//! `aggregate_compact/distinct_profiles` the compact pass over them (batches of units
//! sharing their programs, whatever their statuses; checked equal to `aggregate`
//! first). The yardstick, `baseline/program_per_key`, is
//! hand-written: the 14 distinct compilations made up front, each unit's programs picked
//! by indexing on region and status, then evaluate and decide: what a perfect cache
//! would cost.
//!
//! Run: `cargo bench --bench profiles -- --warm-up-time 1 --measurement-time 5`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs,
    reason = "bench setup: a panic is a bench failure"
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ntm_rules::engine::{compile, decide, Evaluator, Program};
use ntm_rules::model::{AdminUnit, Date, History, IndicatorData, Level, Profile, Region};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::{
    aggregate, aggregate_compact, AggregateOptions, Hierarchy, LevelSets, UnitInput,
};

const DIFFICULT: &str = "especially_difficult";

fn units(n: usize) -> Vec<(Profile, IndicatorData)> {
    (0..n)
        .map(|i| {
            let mut profile =
                Profile::in_region(Region::ALL[i % Region::ALL.len()]).with_status(format!("s{i}"));
            if i % 2 == 0 {
                profile = profile.with_status(DIFFICULT);
            }
            (
                profile,
                illustrative::sample_commune(&format!("C{i}"), 2022),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let sets = illustrative::commune_sets();
    let history = History::default();
    let mut g = c.benchmark_group("profiles");
    g.sample_size(10);
    for n in [20_000usize, 40_000] {
        let units = units(n);
        // The evaluator decides as the hand-written path does, and compiles 14 times.
        let mut ev = Evaluator::new(sets.clone(), 2022);
        for (p, d) in &units {
            ev.evaluate(p, d, &history).unwrap();
        }
        assert_eq!(ev.compilations(), 2 * Region::ALL.len());
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new("evaluator/distinct_profiles", n),
            &units,
            |b, units| {
                b.iter(|| {
                    let mut ev = Evaluator::new(sets.clone(), 2022);
                    for (p, d) in units {
                        black_box(ev.evaluate(black_box(p), d, &history).unwrap());
                    }
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new("baseline/program_per_key", n),
            &units,
            |b, units| {
                b.iter(|| {
                    // [region][difficult] -> the three programs.
                    let programs: Vec<[Vec<Program>; 2]> = Region::ALL
                        .iter()
                        .map(|&r| {
                            let plain = Profile::in_region(r);
                            let difficult = Profile::in_region(r).with_status(DIFFICULT);
                            [&plain, &difficult].map(|p| {
                                sets.iter().map(|s| compile(s, p, 2022).unwrap()).collect()
                            })
                        })
                        .collect();
                    for (i, (_, d)) in units.iter().enumerate() {
                        let by_key = &programs[i % Region::ALL.len()][usize::from(i % 2 == 0)];
                        let assessments: Vec<_> = by_key
                            .iter()
                            .map(|p| p.evaluate(black_box(d)).unwrap())
                            .collect();
                        black_box(decide(&assessments, &history).unwrap());
                    }
                })
            },
        );
        let mut tree = vec![AdminUnit::new("P", "Tỉnh", Level::Province)];
        tree.extend(
            units.iter().map(|(_, d)| {
                AdminUnit::new(d.unit.as_str(), "Xã", Level::Commune).with_parent("P")
            }),
        );
        let tree = Hierarchy::new(tree, Date::end_of_year(2022)).unwrap();
        let inputs: Vec<UnitInput> = units
            .iter()
            .map(|(p, d)| UnitInput::new(d.clone()).with_profile(p.clone()))
            .collect();
        let level_sets = vec![LevelSets::new(Level::Commune, sets.clone())];
        let options = AggregateOptions::default();
        let agg = aggregate(&tree, 2022, &level_sets, &inputs, &options);
        assert!(agg.excluded.is_empty());
        let compact = aggregate_compact(&tree, 2022, &level_sets, &inputs, &options);
        assert_eq!(compact.batched(), n);
        assert_eq!(compact.into_aggregation(), agg);
        g.bench_with_input(
            BenchmarkId::new("aggregate_compact/distinct_profiles", n),
            &inputs,
            |b, inputs| {
                b.iter(|| {
                    black_box(aggregate_compact(
                        &tree,
                        2022,
                        &level_sets,
                        black_box(inputs),
                        &options,
                    ))
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new("aggregate/distinct_profiles", n),
            &inputs,
            |b, inputs| {
                b.iter(|| {
                    black_box(aggregate(
                        &tree,
                        2022,
                        &level_sets,
                        black_box(inputs),
                        &options,
                    ))
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
