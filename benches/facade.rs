//! The JSON facade on a country-sized request: the bundled Bắc Giang 2022 data set (1
//! province, 10 district-level units, 184 communes, 1,432 villages, their inputs and
//! roll-ups; synthetic) copied 55 times into one request, as in `benches/country.rs`
//! (about 10,100 communes and 79,000 villages), written as compact JSON text.
//!
//! Group `facade`: `handle_json` (text in, text out: read the request, run the compact
//! pass, write each unit's result as it is built), `response_for` (read the request, run
//! it, build the response), `response_for_then_to_string` (what `handle_json` did before:
//! the whole response built, then written) and, as the yardstick, `parse_value_baseline`: `serde_json::from_str::<Value>` of the same
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
#[path = "support/country_request.rs"]
mod country;
use country::country_request;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ntm_rules::contract::{handle_json_with_limits, response_for, run, Request};
use ntm_rules::model::Limits;

fn mib(bytes: usize) -> f64 {
    bytes as f64 / f64::from(1 << 20)
}

/// Where one call's time and heap go, phase by phase (each phase timed once, its peak
/// above what the phases before it hold): reading the request, running it (tree and
/// pass), taking the response out of the run, writing it as JSON, dropping it.
fn phases(text: &str) {
    use std::time::Instant;
    let t = Instant::now();
    let mut request = None;
    let limits = Limits::default().max_bytes(1 << 30);
    let read = peak_heap(|| request = Some(Request::from_json(text, &limits).unwrap()));
    let read_time = t.elapsed();
    let request = request.unwrap();
    let t = Instant::now();
    let mut ran = None;
    let pass = peak_heap(|| ran = Some(run(request).unwrap()));
    let pass_time = t.elapsed();
    let ran = ran.unwrap();
    eprintln!(
        "facade run holds: inputs {:.0} MiB, results {:.0} MiB, summaries {:.0} MiB",
        mib(peak_heap(|| ran.inputs.clone())),
        mib(peak_heap(|| ran.aggregation.results.clone())),
        mib(peak_heap(|| ran.aggregation.summaries.clone())),
    );
    let options = ntm_rules::tree::AggregateOptions::default().with_rollups(ran.rollups.clone());
    let year = ran.aggregation.year;
    eprintln!(
        "facade pass alone (aggregate) peaks at {:.0} MiB",
        mib(peak_heap(|| ntm_rules::tree::aggregate(
            &ran.tree,
            year,
            &ran.sets,
            &ran.inputs,
            &options
        ))),
    );
    let t = Instant::now();
    let mut response = None;
    let respond = peak_heap(|| response = Some(ran.into_response()));
    let respond_time = t.elapsed();
    let response = response.unwrap();
    let t = Instant::now();
    let mut out = String::new();
    let write = peak_heap(|| out = serde_json::to_string(&response).unwrap());
    let write_time = t.elapsed();
    let t = Instant::now();
    drop(response);
    let drop_time = t.elapsed();
    eprintln!(
        "facade phases: read {read_time:.2?} (peak +{:.0} MiB), run {pass_time:.2?} (+{:.0} MiB), \
         response {respond_time:.2?} (+{:.0} MiB), write {write_time:.2?} (+{:.0} MiB, {:.0} MiB of JSON), \
         drop {drop_time:.2?}",
        mib(read),
        mib(pass),
        mib(respond),
        mib(write),
        mib(out.len()),
    );
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default().max_bytes(1 << 30);
    for copies in [11, 55] {
        let text = country_request(copies);
        let streamed = peak_heap(|| handle_json_with_limits(&text, &limits));
        let before = peak_heap(|| serde_json::to_string(&response_for(&text, &limits)).unwrap());
        let facade = peak_heap(|| response_for(&text, &limits));
        let baseline = peak_heap(|| serde_json::from_str::<serde_json::Value>(&text).unwrap());
        let typed = peak_heap(|| Request::from_json(&text, &limits).unwrap());
        eprintln!(
            "facade memory, {copies} copies ({:.1} MiB of JSON): handle_json peaks at {:.0} MiB \
             ({:.1}x the text, its response text included; the response built, then written: \
             {:.0} MiB, {:.1}x), response_for at {:.0} MiB ({:.1}x; reading the typed \
             request alone {:.0} MiB), the baseline parse at {:.0} MiB ({:.1}x)",
            mib(text.len()),
            mib(streamed),
            streamed as f64 / text.len() as f64,
            mib(before),
            before as f64 / text.len() as f64,
            mib(facade),
            facade as f64 / text.len() as f64,
            mib(typed),
            mib(baseline),
            baseline as f64 / text.len() as f64,
        );
    }

    let text = country_request(55);
    phases(&text);
    let response = response_for(&text, &limits);
    assert!(response.ok, "{:?}", response.diagnostics.first());
    assert!(
        response.results.len() > 85_000,
        "{}",
        response.results.len()
    );
    // The text `handle_json` writes straight from the compact pass is the response's.
    assert!(
        handle_json_with_limits(&text, &limits) == serde_json::to_string(&response).unwrap(),
        "handle_json and response_for disagree"
    );
    drop(response);

    let mut g = c.benchmark_group("facade");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("handle_json", |b| {
        b.iter(|| black_box(handle_json_with_limits(black_box(&text), &limits)))
    });
    // The text out as `handle_json` gave it before (#12): the whole `Response` built,
    // then written.
    g.bench_function("response_for_then_to_string", |b| {
        b.iter(|| {
            black_box(serde_json::to_string(&response_for(black_box(&text), &limits)).unwrap())
        })
    });
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
