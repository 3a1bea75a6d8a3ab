//! The facade's peak heap, measured with a counting allocator (one test in its own
//! binary, so that no other test allocates while it counts): it must stay a small,
//! fixed multiple of the request's size (#12).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

#[path = "../benches/support/country_request.rs"]
mod country;
#[path = "../benches/support/heap.rs"]
mod heap;

use ntm_rules::contract::{handle_json_with_limits, response_for};
use ntm_rules::model::Limits;

#[test]
fn the_facade_peak_heap_stays_under_seven_times_the_request() {
    let limits = Limits::default().max_bytes(1 << 30);
    for copies in [2, 4] {
        let text = country::country_request(copies);
        let mut ok = false;
        let peak = heap::peak_heap(|| {
            let response = response_for(&text, &limits);
            ok = response.ok && response.results.len() >= 1_600 * copies;
        });
        assert!(ok, "{copies} copies: the request did not run");
        let ratio = peak as f64 / text.len() as f64;
        eprintln!(
            "{copies} copies, {} bytes: response_for peaks at {peak} bytes, {ratio:.2}x",
            text.len()
        );
        assert!(
            ratio < 7.0,
            "{copies} copies: response_for's peak heap {ratio:.2}x the request"
        );
        // The text in, text out facade, its response text counted.
        let mut ok = false;
        let peak = heap::peak_heap(|| {
            let response = handle_json_with_limits(&text, &limits);
            ok = response.starts_with(r#"{"version":1,"ok":true,"#);
        });
        assert!(ok, "{copies} copies: the request did not run");
        let ratio = peak as f64 / text.len() as f64;
        eprintln!(
            "{copies} copies, {} bytes: handle_json peaks at {peak} bytes, {ratio:.2}x",
            text.len()
        );
        assert!(
            ratio < HANDLE_JSON_RATIO,
            "{copies} copies: handle_json's peak heap {ratio:.2}x the request"
        );
    }
}

/// The most `handle_json`'s peak heap may be, as a multiple of the request's size.
const HANDLE_JSON_RATIO: f64 = 6.0;
