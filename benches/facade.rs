//! The JSON facade on a country-sized request: the bundled Bắc Giang 2022 data set (1
//! province, 10 district-level units, 184 communes, 1,432 villages, their inputs and
//! roll-ups; synthetic) copied 55 times into one request, as in `benches/country.rs`
//! (about 10,100 communes and 79,000 villages), written as compact JSON text.
//!
//! Group `facade`: `response_for` (read the request, run it, build the response) and,
//! as the yardstick, `parse_value_baseline`: `serde_json::from_str::<Value>` of the same
//! text, the least any reader of it could do. The bench binary counts the heap with its
//! own global allocator (counting only then, so the timings are not skewed) and prints,
//! before timing, the peak heap of one call of each
//! (above what was allocated before the call, the request text excluded) for 11 and 55
//! copies, so the growth with the request's size shows.
//!
//! Run: `cargo bench --bench facade -- --warm-up-time 1 --measurement-time 10`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: a panic is a bench failure"
)]
use std::hint::black_box;

#[path = "support/heap.rs"]
mod heap;
use heap::peak_heap;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ntm_rules::contract::{response_for, Request, RequestInput};
use ntm_rules::model::{Limits, UnitCode};

/// The Bắc Giang request copied `copies` times, as compact JSON text.
fn country_request(copies: usize) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bac_giang_2022");
    let one = Request::from_dir(dir).unwrap();
    let mut all = one.clone();
    all.units.clear();
    all.inputs.clear();
    // The plan names one province; the copies have none.
    all.plan = None;
    for copy in 0..copies {
        let rename = |c: &UnitCode| UnitCode::new(format!("{copy:02}-{c}"));
        for u in &one.units {
            let mut u = u.clone();
            u.code = rename(&u.code);
            u.parent = u.parent.as_ref().map(rename);
            u.merged_from = u.merged_from.iter().map(rename).collect();
            all.units.push(u);
        }
        for i in &one.inputs {
            let mut i = i.read().unwrap().clone();
            i.data.unit = rename(&i.data.unit);
            all.inputs.push(RequestInput::from(i));
        }
    }
    serde_json::to_string(&all).unwrap()
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / f64::from(1 << 20)
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default().max_bytes(1 << 30);
    for copies in [11, 55] {
        let text = country_request(copies);
        let facade = peak_heap(|| response_for(&text, &limits));
        let baseline = peak_heap(|| serde_json::from_str::<serde_json::Value>(&text).unwrap());
        let typed = peak_heap(|| serde_json::from_str::<Request>(&text).unwrap());
        eprintln!(
            "facade memory, {copies} copies ({:.1} MiB of JSON): response_for peaks at {:.0} MiB \
             ({:.1}x the text; reading the typed request alone {:.0} MiB), the baseline \
             parse at {:.0} MiB ({:.1}x)",
            mib(text.len()),
            mib(facade),
            facade as f64 / text.len() as f64,
            mib(typed),
            mib(baseline),
            baseline as f64 / text.len() as f64,
        );
    }

    let text = country_request(55);
    let response = response_for(&text, &limits);
    assert!(response.ok, "{:?}", response.diagnostics.first());
    assert!(
        response.results.len() > 85_000,
        "{}",
        response.results.len()
    );
    drop(response);

    let mut g = c.benchmark_group("facade");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("response_for", |b| {
        b.iter(|| black_box(response_for(black_box(&text), &limits)))
    });
    g.bench_function("parse_value_baseline", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(black_box(&text)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
