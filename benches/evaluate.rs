//! Benches of compile and evaluate on a commune set shaped like the 2021-2025 national
//! one: 19 criteria, 55 indicators (percentages, income by region and year, yes/no,
//! counts, a grade), 3 preconditions. The yardstick is `baseline/handwritten`, a
//! hand-written Rust function comparing `rust_decimal` values directly against the same
//! thresholds (see `design.md`, "Performance shape").
//!
//! `batch/compiled_columns` is `Program::totals_batch` over a `BoundBatch` (column-shaped
//! integer keys); `batch/compiled/totals` is `Program::totals` unit by unit.
//! `batch/compiled_columns/masks` is `Program::masks_batch` (which criteria each unit
//! meets, as bitmasks, over the same batch), beside `batch/baseline/handwritten_masks`,
//! the hand-written function writing the same mask. `batch/columns/typed_slices+masks`
//! is end to end from typed slices (one `&[Option<Decimal>]`, `&[Option<bool>]` or
//! grade slice per indicator): keying them into `engine::Columns`, then the masks.
//!
//! With the feature `rayon`, `parallel/` compares the same end-to-end path and masks on
//! one thread and on rayon's pool (`Columns::in_parallel`, `Program::masks_batch_par`)
//! in the same run: `cargo bench --features rayon --bench evaluate -- parallel/`.
//!
//! Run: `cargo bench --bench evaluate -- --warm-up-time 1 --measurement-time 2`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs,
    reason = "bench setup: a panic is a bench failure"
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion as Bench, Throughput};
use ntm_rules::engine::{compile, reference, Columns};
use ntm_rules::model::{
    Confidence, CriteriaSet, Criterion, Indicator, IndicatorData, Label, Level, PassRule, Profile,
    ProfileMatch, Region, Requirement, Scheme, Source, Threshold, ThresholdRow, Tier, Unit,
    UnitCode, Value, ValueKind, YearRange,
};
use rust_decimal::Decimal;

const YEAR: u16 = 2023;
const REGION: Region = Region::Dbsh;
const GRADES: [&str; 3] = ["none", "partial", "full"];

fn row(when: ProfileMatch, years: Option<YearRange>, t: Threshold) -> ThresholdRow {
    ThresholdRow {
        when,
        years,
        threshold: t,
        source: Source::document("bench"),
        confidence: Confidence::Illustrative,
        set_by: None,
    }
}

fn indicator(
    id: String,
    kind: ValueKind,
    requirement: Requirement,
    rows: Vec<ThresholdRow>,
) -> Indicator {
    Indicator {
        id: id.into(),
        name: Label::new("chỉ tiêu", "indicator"),
        kind,
        requirement,
        allow_not_applicable: false,
        derived: None,
        thresholds: rows,
        note: None,
    }
}

fn percent() -> ValueKind {
    ValueKind::Decimal {
        unit: Unit::Percent,
    }
}

fn number(n: i64, scale: u32) -> Threshold {
    Threshold::Number(Decimal::new(n, scale))
}

/// Percent threshold of `c.1` (at least), in tenths.
fn pct_threshold(c: usize) -> i64 {
    700 + (c as i64 * 13) % 250
}

/// Threshold of `c.3`: a count (at least) for odd `c`, a percent (at most) for even `c`.
fn third_threshold(c: usize) -> i64 {
    if c % 2 == 1 {
        (c as i64 % 3) + 1
    } else {
        30 + (c as i64 % 5) * 5
    }
}

/// Income threshold (million VND per person per year) by region and year range, in
/// tenths: 2021-2022 and 2023-2025.
fn income(region: Region, late: bool) -> i64 {
    let base = match region {
        Region::Tdmnpb => 480,
        Region::Tn | Region::Btb => 520,
        Region::Dhntb => 540,
        _ => 580,
    };
    if late {
        base + 60
    } else {
        base
    }
}

/// 19 criteria: criterion `c` has `c.1` (percent ≥), `c.2` (yes/no) and, for c ≤ 17,
/// `c.3` (count ≥ for odd c, percent ≤ for even c): 55 indicators. Criterion 10's first
/// indicator is income by region and year (14 rows); criterion 17's second is a grade and
/// it passes with 2 of its 3 indicators.
fn national_like() -> CriteriaSet {
    let any = ProfileMatch::default;
    let criteria = (1..=19usize)
        .map(|c| {
            let mut inds = Vec::new();
            if c == 10 {
                let rows = Region::ALL
                    .iter()
                    .flat_map(|&r| {
                        let when = ProfileMatch {
                            regions: vec![r],
                            ..ProfileMatch::default()
                        };
                        [
                            row(
                                when.clone(),
                                Some(YearRange::new(2021, 2022)),
                                number(income(r, false), 1),
                            ),
                            row(
                                when,
                                Some(YearRange::new(2023, 2025)),
                                number(income(r, true), 1),
                            ),
                        ]
                    })
                    .collect();
                inds.push(indicator(
                    "10.1".into(),
                    ValueKind::Decimal {
                        unit: Unit::MillionVndPerPersonYear,
                    },
                    Requirement::AtLeast,
                    rows,
                ));
            } else {
                inds.push(indicator(
                    format!("{c}.1"),
                    percent(),
                    Requirement::AtLeast,
                    vec![row(any(), None, number(pct_threshold(c), 1))],
                ));
            }
            if c == 17 {
                inds.push(indicator(
                    "17.2".into(),
                    ValueKind::Grade {
                        grades: GRADES.iter().map(|g| g.to_string()).collect(),
                    },
                    Requirement::AtLeast,
                    vec![row(any(), None, Threshold::Grade("partial".into()))],
                ));
            } else {
                inds.push(indicator(
                    format!("{c}.2"),
                    ValueKind::YesNo,
                    Requirement::Equal,
                    vec![row(any(), None, Threshold::Flag(true))],
                ));
            }
            if c <= 17 {
                let (kind, req) = if c % 2 == 1 {
                    (ValueKind::Count, Requirement::AtLeast)
                } else {
                    (percent(), Requirement::AtMost)
                };
                inds.push(indicator(
                    format!("{c}.3"),
                    kind,
                    req,
                    vec![row(any(), None, number(third_threshold(c), 0))],
                ));
            }
            Criterion {
                id: c.to_string().into(),
                name: Label::new("tiêu chí", "criterion"),
                pass: if c == 17 {
                    PassRule::AtLeast(2)
                } else {
                    PassRule::All
                },
                indicators: inds,
            }
        })
        .collect();
    let preconditions = (1..=3)
        .map(|p| {
            indicator(
                format!("P.{p}"),
                ValueKind::YesNo,
                Requirement::Equal,
                vec![row(any(), None, Threshold::Flag(true))],
            )
        })
        .collect();
    CriteriaSet {
        id: "bench-commune-standard".into(),
        name: Label::new("xã đạt chuẩn", "standard commune"),
        scheme: Scheme {
            id: "bench-2021-2025".into(),
            years: YearRange::new(2021, 2025),
            tiers: vec![Tier {
                id: "standard".into(),
                name: Label::new("đạt chuẩn", "standard"),
            }],
        },
        level: Level::Commune,
        tier: "standard".into(),
        requires_held: None,
        applies_to: Vec::new(),
        legal_basis: vec![],
        confidence: Confidence::Illustrative,
        notes: None,
        profile_rules: vec![],
        criteria,
        preconditions,
        revocation: None,
    }
}

/// A commune's values in plain arrays: what the hand-written function reads.
#[derive(Debug, Clone)]
struct Hand {
    /// `c.1` for c = 1..=19 (`10.1` is income).
    first: [Decimal; 19],
    /// `c.2` for c ≠ 17.
    flag: [bool; 19],
    /// `17.2` as a grade rank.
    grade17: u8,
    /// `c.3` for c = 1..=17.
    third: [Decimal; 17],
    pre: [bool; 3],
}

/// The thresholds resolved for the profile and year, as the hand-written code has them.
#[derive(Debug, Clone)]
struct HandThresholds {
    first: [Decimal; 19],
    third: [Decimal; 17],
}

fn hand_thresholds(region: Region, year: u16) -> HandThresholds {
    let mut first = [Decimal::ZERO; 19];
    let mut third = [Decimal::ZERO; 17];
    for c in 1..=19 {
        first[c - 1] = if c == 10 {
            Decimal::new(income(region, year >= 2023), 1)
        } else {
            Decimal::new(pct_threshold(c), 1)
        };
        if c <= 17 {
            third[c - 1] = Decimal::new(third_threshold(c), 0);
        }
    }
    HandThresholds { first, third }
}

/// Whether criterion `c` (0-based) is met: the straight-line `rust_decimal` comparisons
/// both yardsticks share, inlined into each.
#[inline(always)]
fn hand_criterion(d: &Hand, t: &HandThresholds, c: usize) -> bool {
    match c {
        // Criterion 17: two of three.
        16 => {
            let n = u32::from(d.first[c] >= t.first[c])
                + u32::from(d.grade17 >= 1)
                + u32::from(d.third[c] >= t.third[c]);
            n >= 2
        }
        // Criteria 18 and 19 have two indicators.
        17 | 18 => d.first[c] >= t.first[c] && d.flag[c],
        // Odd criteria (index even): count at least; even criteria: percent at most.
        _ if c % 2 == 0 => d.first[c] >= t.first[c] && d.flag[c] && d.third[c] >= t.third[c],
        _ => d.first[c] >= t.first[c] && d.flag[c] && d.third[c] <= t.third[c],
    }
}

/// The yardstick: criteria met and whether the set is met, straight-line code with
/// `rust_decimal` comparisons.
#[inline(never)]
fn handwritten(d: &Hand, t: &HandThresholds) -> (u32, bool) {
    let mut met = 0u32;
    let mut all = d.pre[0] && d.pre[1] && d.pre[2];
    for c in 0..19 {
        let ok = hand_criterion(d, t, c);
        met += u32::from(ok);
        all &= ok;
    }
    (met, all)
}

/// The yardstick for per-criterion outcomes: [`handwritten`] writing which criteria
/// are met as a bitmask (bit `c` for criterion `c + 1`) instead of counting them.
#[inline(never)]
fn handwritten_masks(d: &Hand, t: &HandThresholds) -> (u64, bool) {
    let mut mask = 0u64;
    let mut all = d.pre[0] && d.pre[1] && d.pre[2];
    for c in 0..19 {
        let ok = hand_criterion(d, t, c);
        mask |= u64::from(ok) << c;
        all &= ok;
    }
    (mask, all)
}

/// A small deterministic generator for varied communes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A commune near the thresholds: most indicators met, some not.
fn commune(rng: &mut Lcg, code: usize) -> (IndicatorData, Hand) {
    let t = hand_thresholds(REGION, YEAR);
    let mut data = IndicatorData::new(format!("{code:05}"), YEAR);
    let mut hand = Hand {
        first: [Decimal::ZERO; 19],
        flag: [true; 19],
        grade17: 1,
        third: [Decimal::ZERO; 17],
        pre: [true; 3],
    };
    for c in 1..=19usize {
        // Within ±3.0 of the threshold, in tenths; percentages kept in 0-100.
        let mut v = t.first[c - 1] + Decimal::new(rng.next(61) as i64 - 20, 1);
        if c != 10 {
            v = v.min(Decimal::ONE_HUNDRED);
        }
        hand.first[c - 1] = v;
        data.values
            .insert(format!("{c}.1").into(), Value::Number(v));
        if c == 17 {
            let g = rng.next(3) as u8;
            hand.grade17 = g;
            data.values
                .insert("17.2".into(), Value::Grade(GRADES[g as usize].into()));
        } else {
            let f = rng.next(20) != 0;
            hand.flag[c - 1] = f;
            data.values.insert(format!("{c}.2").into(), Value::Flag(f));
        }
        if c <= 17 {
            let v = if c % 2 == 1 {
                Decimal::from(rng.next(5))
            } else {
                Decimal::new(rng.next(500) as i64, 1)
            };
            hand.third[c - 1] = v;
            data.values
                .insert(format!("{c}.3").into(), Value::Number(v));
        }
    }
    for p in 1..=3 {
        let f = rng.next(30) != 0;
        hand.pre[p - 1] = f;
        data.values.insert(format!("P.{p}").into(), Value::Flag(f));
    }
    (data, hand)
}

/// The communes' values as typed slices, one per indicator.
struct TypedSlices {
    numbers: Vec<(String, Vec<Option<Decimal>>)>,
    flags: Vec<(String, Vec<Option<bool>>)>,
    grades: Vec<(String, Vec<Option<&'static str>>)>,
}

impl TypedSlices {
    fn of(hands: &[Hand]) -> TypedSlices {
        let mut numbers = Vec::new();
        let mut flags = Vec::new();
        for c in 1..=19usize {
            numbers.push((
                format!("{c}.1"),
                hands.iter().map(|h| Some(h.first[c - 1])).collect(),
            ));
            if c != 17 {
                flags.push((
                    format!("{c}.2"),
                    hands.iter().map(|h| Some(h.flag[c - 1])).collect(),
                ));
            }
            if c <= 17 {
                numbers.push((
                    format!("{c}.3"),
                    hands.iter().map(|h| Some(h.third[c - 1])).collect(),
                ));
            }
        }
        for p in 1..=3 {
            flags.push((
                format!("P.{p}"),
                hands.iter().map(|h| Some(h.pre[p - 1])).collect(),
            ));
        }
        let grades = vec![(
            "17.2".to_owned(),
            hands
                .iter()
                .map(|h| Some(GRADES[h.grade17 as usize]))
                .collect(),
        )];
        TypedSlices {
            numbers,
            flags,
            grades,
        }
    }

    fn columns(&self, program: &ntm_rules::engine::Program) -> Columns {
        let n = self.numbers.first().map_or(0, |(_, v)| v.len());
        let codes = (0..n).map(|i| UnitCode::new(format!("{i:05}"))).collect();
        self.columns_for(program, codes)
    }

    fn columns_for(&self, program: &ntm_rules::engine::Program, codes: Vec<UnitCode>) -> Columns {
        self.fill(Columns::new(program, codes))
    }

    /// Every slice given to `columns`.
    fn fill(&self, mut columns: Columns) -> Columns {
        for (id, v) in &self.numbers {
            columns.numbers(id, v).unwrap();
        }
        for (id, v) in &self.flags {
            columns.flags(id, v).unwrap();
        }
        for (id, v) in &self.grades {
            columns.grades(id, v).unwrap();
        }
        columns
    }
}

fn bench_compile(c: &mut Bench) {
    let set = national_like();
    let profile = Profile::in_region(REGION);
    let mut g = c.benchmark_group("compile");
    g.bench_function("national_like", |b| {
        b.iter(|| compile(black_box(&set), black_box(&profile), black_box(YEAR)).unwrap())
    });
    g.finish();
}

fn bench_evaluate_one(c: &mut Bench) {
    let set = national_like();
    let profile = Profile::in_region(REGION);
    let program = compile(&set, &profile, YEAR).unwrap();
    assert_eq!(set.all_indicators().count(), 58);
    let (data, hand) = commune(&mut Lcg(7), 1);
    let bound = program.bind(&data).unwrap();
    let thresholds = hand_thresholds(REGION, YEAR);
    // The yardstick computes the same figures as the engine.
    let (totals, outcome) = program.totals(&bound).unwrap();
    let (met, all) = handwritten(&hand, &thresholds);
    assert_eq!(totals.met, met);
    assert_eq!(outcome == ntm_rules::engine::Outcome::Met, all);

    let mut g = c.benchmark_group("evaluate_one");
    g.bench_function("compiled/evaluate", |b| {
        b.iter(|| program.evaluate(black_box(&data)).unwrap())
    });
    g.bench_function("compiled/totals", |b| {
        b.iter(|| program.totals(black_box(&bound)).unwrap())
    });
    g.bench_function("compiled/bind+totals", |b| {
        b.iter(|| {
            program
                .totals(&program.bind(black_box(&data)).unwrap())
                .unwrap()
        })
    });
    g.bench_function("compiled/assess", |b| {
        b.iter(|| program.assess(black_box(&bound)).unwrap())
    });
    g.bench_function("reference/evaluate", |b| {
        b.iter(|| {
            reference::evaluate(black_box(&set), black_box(&profile), YEAR, black_box(&data))
                .unwrap()
        })
    });
    g.bench_function("baseline/handwritten", |b| {
        b.iter(|| handwritten(black_box(&hand), black_box(&thresholds)))
    });
    g.finish();
}

fn bench_batch(c: &mut Bench) {
    const N: usize = 10_000;
    let set = national_like();
    let program = compile(&set, &Profile::in_region(REGION), YEAR).unwrap();
    let mut rng = Lcg(42);
    let (data, hands): (Vec<_>, Vec<_>) = (0..N).map(|i| commune(&mut rng, i)).unzip();
    let bound: Vec<_> = data.iter().map(|d| program.bind(d).unwrap()).collect();
    let thresholds = hand_thresholds(REGION, YEAR);
    let engine_met: u32 = bound.iter().map(|b| program.totals(b).unwrap().0.met).sum();
    let hand_met: u32 = hands.iter().map(|h| handwritten(h, &thresholds).0).sum();
    assert_eq!(engine_met, hand_met);
    let (batch, errors) = program.bind_batch(&data);
    assert!(errors.is_empty());
    let mut results = Vec::with_capacity(N);
    program.totals_batch(&batch, &mut results).unwrap();
    assert_eq!(results.len(), N);
    for (r, b) in results.iter().zip(&bound) {
        assert_eq!(*r, program.totals(b).unwrap());
    }

    // The masks are exact: the same criteria as the hand-written code, unit by unit.
    let mut masks = ntm_rules::engine::CriteriaMasks::new();
    program.masks_batch(&batch, &mut masks).unwrap();
    assert_eq!(masks.len(), N);
    for (u, h) in hands.iter().enumerate() {
        let (mask, all) = handwritten_masks(h, &thresholds);
        assert_eq!(masks.met(u).unwrap(), &[mask]);
        assert_eq!(masks.undetermined(u).unwrap(), &[0]);
        assert_eq!(
            masks.outcome(u) == Some(ntm_rules::engine::Outcome::Met),
            all
        );
    }

    // The same communes as typed slices, one per indicator (as read from a CSV file,
    // say): end to end from them is keying them into columns, then the masks.
    let slices = TypedSlices::of(&hands);
    let (typed_batch, errors) = slices.columns(&program).finish();
    assert!(errors.is_empty());
    let mut typed_masks = ntm_rules::engine::CriteriaMasks::new();
    program.masks_batch(&typed_batch, &mut typed_masks).unwrap();
    assert_eq!(typed_masks, masks);
    let codes: Vec<UnitCode> = data.iter().map(|d| d.unit.clone()).collect();

    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_with_input(
        BenchmarkId::new("compiled_columns/masks", N),
        &batch,
        |b, batch| {
            b.iter(|| {
                program.masks_batch(black_box(batch), &mut masks).unwrap();
                (0..masks.len())
                    .map(|u| masks.met(u).unwrap()[0])
                    .fold(0u64, |a, m| a ^ m)
            })
        },
    );
    g.bench_with_input(
        BenchmarkId::new("baseline/handwritten_masks", N),
        &hands,
        |b, hands| {
            b.iter(|| {
                hands
                    .iter()
                    .map(|h| handwritten_masks(black_box(h), &thresholds).0)
                    .fold(0u64, |a, m| a ^ m)
            })
        },
    );
    g.bench_with_input(
        BenchmarkId::new("columns/typed_slices+masks", N),
        &slices,
        |b, slices| {
            b.iter(|| {
                let (batch, _) = black_box(slices)
                    .columns_for(&program, codes.clone())
                    .finish();
                program.masks_batch(&batch, &mut typed_masks).unwrap();
                (0..typed_masks.len())
                    .map(|u| typed_masks.met(u).unwrap()[0])
                    .fold(0u64, |a, m| a ^ m)
            })
        },
    );
    g.bench_with_input(
        BenchmarkId::new("compiled/totals", N),
        &bound,
        |b, bound| {
            b.iter(|| {
                bound
                    .iter()
                    .map(|d| program.totals(black_box(d)).unwrap().0.met)
                    .sum::<u32>()
            })
        },
    );
    g.bench_with_input(
        BenchmarkId::new("compiled_columns", N),
        &batch,
        |b, batch| {
            b.iter(|| {
                program
                    .totals_batch(black_box(batch), &mut results)
                    .unwrap();
                results.iter().map(|r| r.0.met).sum::<u32>()
            })
        },
    );
    g.bench_with_input(BenchmarkId::new("compiled/bind", N), &data, |b, data| {
        b.iter(|| {
            data.iter()
                .map(|d| program.bind(black_box(d)).unwrap().unit().as_str().len())
                .sum::<usize>()
        })
    });
    g.bench_with_input(
        BenchmarkId::new("compiled_columns/bind_batch", N),
        &data,
        |b, data| b.iter(|| program.bind_batch(black_box(data)).0.len()),
    );
    g.bench_with_input(
        BenchmarkId::new("baseline/handwritten", N),
        &hands,
        |b, hands| {
            b.iter(|| {
                hands
                    .iter()
                    .map(|h| handwritten(black_box(h), &thresholds).0)
                    .sum::<u32>()
            })
        },
    );
    g.finish();
}

/// One thread against rayon's pool, same run (feature `rayon`), for 10,000 and 100,000
/// communes.
#[cfg(feature = "rayon")]
fn bench_parallel(c: &mut Bench) {
    use ntm_rules::engine::CriteriaMasks;
    let set = national_like();
    let program = compile(&set, &Profile::in_region(REGION), YEAR).unwrap();
    println!("parallel: {} threads", rayon::current_num_threads());
    let mut g = c.benchmark_group("parallel");
    for n in [10_000usize, 100_000] {
        let mut rng = Lcg(42);
        let hands: Vec<Hand> = (0..n).map(|i| commune(&mut rng, i).1).collect();
        let codes: Vec<UnitCode> = (0..n).map(|i| UnitCode::new(format!("{i:05}"))).collect();
        let slices = TypedSlices::of(&hands);
        drop(hands);
        let (batch, errors) = slices.columns(&program).finish();
        assert!(errors.is_empty());
        // The parallel path gives the same masks.
        let (mut one, mut many) = (CriteriaMasks::new(), CriteriaMasks::new());
        program.masks_batch(&batch, &mut one).unwrap();
        let (par_batch, errors) = slices.columns(&program).in_parallel().finish();
        assert!(errors.is_empty());
        program.masks_batch_par(&par_batch, &mut many).unwrap();
        assert_eq!(one, many);
        drop(par_batch);

        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("masks_batch", n), |b| {
            b.iter(|| program.masks_batch(black_box(&batch), &mut one).unwrap())
        });
        g.bench_function(BenchmarkId::new("masks_batch_par", n), |b| {
            b.iter(|| {
                program
                    .masks_batch_par(black_box(&batch), &mut many)
                    .unwrap()
            })
        });
        g.bench_function(BenchmarkId::new("typed_slices+masks", n), |b| {
            b.iter(|| {
                let (batch, _) = black_box(&slices)
                    .columns_for(&program, codes.clone())
                    .finish();
                program.masks_batch(&batch, &mut one).unwrap();
            })
        });
        g.bench_function(BenchmarkId::new("typed_slices+masks_par", n), |b| {
            b.iter(|| {
                let columns = Columns::new(&program, codes.clone()).in_parallel();
                let (batch, _) = black_box(&slices).fill(columns).finish();
                program.masks_batch_par(&batch, &mut many).unwrap();
            })
        });
    }
    g.finish();
}

#[cfg(not(feature = "rayon"))]
fn bench_parallel(_: &mut Bench) {}

criterion_group!(
    benches,
    bench_compile,
    bench_evaluate_one,
    bench_batch,
    bench_parallel
);
criterion_main!(benches);
