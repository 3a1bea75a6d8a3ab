//! Every door's limits hold: an input at a limit is read within a time and memory
//! bound (measured here: the time by the clock, the memory by this binary's own
//! counting allocator, as the peak of bytes allocated above what was held before), and
//! the next byte, unit or row past it is refused with an error naming the limit, its
//! value and the place. The bounds are generous (about five times what this 2-core
//! machine measures in a debug build); the README's "Limits" table gives the measured
//! figures.

#![allow(
    unsafe_code,
    reason = "the counting allocator is a `GlobalAlloc`, which is unsafe to implement"
)]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use ntm_rules::contract::{response_for, Response};
use ntm_rules::model::{
    from_json_with_limits, read_csv, read_csv_with_limits, read_workbook,
    read_workbook_with_limits, Limit, Limits,
};
use serde_json::{json, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The system allocator, counting the bytes held and their peak.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout goes to the system allocator as given.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(held, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `alloc` and `dealloc`: the system allocator's own contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let held = HELD.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(held, Ordering::Relaxed);
            } else {
                HELD.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One test at a time: the counters are global, and another test's allocations would
/// count in this one's peak. Every test holds this for its whole run.
static ALONE: Mutex<()> = Mutex::new(());

fn alone() -> MutexGuard<'static, ()> {
    ALONE.lock().unwrap_or_else(|e| e.into_inner())
}

const MIB: usize = 1 << 20;

/// Runs `f` (the caller holds [`alone`]), and checks that it took at most `seconds` and allocated at most
/// `mib` MiB above what was held before it. Returns its result.
fn within<T>(what: &str, seconds: u64, mib: usize, f: impl FnOnce() -> T) -> T {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    eprintln!(
        "{what}: {:.2} s, peak {:.1} MiB",
        took.as_secs_f64(),
        peak as f64 / MIB as f64
    );
    assert!(
        took <= Duration::from_secs(seconds),
        "{what} took {took:?}, more than {seconds} s"
    );
    assert!(
        peak <= mib * MIB,
        "{what} allocated {peak} bytes at its peak, more than {mib} MiB"
    );
    out
}

/// The response's one error, checked to name `limit` with `value` at `pointer`.
fn refused(response: &Response, limit: Limit, value: usize, pointer: &str) -> String {
    assert!(!response.ok, "{response:?}");
    let d = response
        .diagnostics
        .iter()
        .find(|d| d.limit.is_some())
        .unwrap_or_else(|| panic!("no diagnostic names a limit: {response:?}"));
    let exceeded = d.limit.unwrap();
    assert_eq!((exceeded.name, exceeded.value), (limit, value), "{d:?}");
    assert!(
        d.message
            .contains(&format!("the limit of {value} ({})", limit.name())),
        "{d:?}"
    );
    assert_eq!(
        d.location.pointer.as_ref().map_or("", |p| p.as_str()),
        pointer,
        "{d:?}"
    );
    d.message.clone()
}

/// No diagnostic of the response names a limit.
fn not_refused(response: &Response) {
    assert!(
        response.diagnostics.iter().all(|d| d.limit.is_none()),
        "{:?}",
        response.diagnostics
    );
}

/// The example request (a province, two districts, communes with data).
fn example() -> Value {
    let text = std::fs::read_to_string("examples/requests/province.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn request_at_the_byte_limit_is_read_and_one_byte_more_is_refused_unparsed() {
    let _alone = alone();
    let limits = Limits::default();
    let small = example().to_string();
    // Whitespace up to the limit: the request is the same, 64 MiB long.
    let mut text = small.clone();
    text.push_str(&" ".repeat(limits.bytes() - small.len()));
    assert_eq!(text.len(), 64 << 20);
    let response = within("64 MiB request", 20, 16, || response_for(&text, &limits));
    assert!(response.ok, "{:?}", response.diagnostics);
    not_refused(&response);
    text.push(' ');
    let response = within("64 MiB + 1 request", 20, 1, || response_for(&text, &limits));
    let message = refused(&response, Limit::MaxBytes, 64 << 20, "");
    assert_eq!(
        message,
        format!(
            "input is {} bytes, more than the limit of 67108864 (max_bytes)",
            (64 << 20) + 1
        )
    );
}

/// A JSON value nested `depth` arrays deep.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn nesting_at_the_depth_limit_is_read_and_one_level_more_is_refused_at_its_pointer() {
    let _alone = alone();
    let limits = Limits::default();
    let value: Value = within("depth 32", 1, 1, || {
        from_json_with_limits("document", &nested(32), &limits).unwrap()
    });
    assert!(value.is_array());
    let err = from_json_with_limits::<Value>("document", &nested(33), &limits).unwrap_err();
    assert_eq!(
        err.exceeded().map(|e| (e.name, e.value)),
        Some((Limit::MaxDepth, 32))
    );
    assert_eq!(err.pointer().as_str(), "/0".repeat(32));
    // In a request, the pointer names the field where it happens.
    let mut request = example();
    // The request's object and 31 arrays: at the limit, read (and refused for its type).
    request["notice"] = serde_json::from_str(&nested(31)).unwrap();
    not_refused(&response_for(&request.to_string(), &limits));
    request["notice"] = serde_json::from_str(&nested(32)).unwrap();
    let response = response_for(&request.to_string(), &limits);
    refused(
        &response,
        Limit::MaxDepth,
        32,
        &format!("/notice{}", "/0".repeat(31)),
    );
}

#[test]
fn a_string_at_the_length_limit_is_read_and_one_byte_more_is_refused_at_its_pointer() {
    let _alone = alone();
    let limits = Limits::default();
    let max = limits.get(Limit::MaxStringBytes);
    assert_eq!(max, 64 << 10);
    let mut request = example();
    request["units"][0]["name"]["vi"] = json!("x".repeat(max));
    let text = request.to_string();
    let response = within("64 KiB name", 5, 16, || response_for(&text, &limits));
    assert!(response.ok, "{:?}", response.diagnostics);
    request["units"][0]["name"]["vi"] = json!("x".repeat(max + 1));
    let response = response_for(&request.to_string(), &limits);
    let message = refused(&response, Limit::MaxStringBytes, max, "/units/0/name/vi");
    assert!(message.starts_with("a string of 65537 bytes"), "{message}");
    // A key counts too: the place is the object holding it.
    let mut request = example();
    request["inputs"][0]["data"]["values"][&"k".repeat(max + 1)] = json!({"flag": true});
    let response = response_for(&request.to_string(), &limits);
    refused(
        &response,
        Limit::MaxStringBytes,
        max,
        "/inputs/0/data/values",
    );
}

/// A request of `n` communes under one province, each with an input.
fn communes(n: usize) -> Value {
    let mut request = example();
    let mut units =
        vec![json!({"code": "P", "name": {"vi": "Tỉnh", "en": "Province"}, "level": "province"})];
    let mut inputs = Vec::new();
    for i in 0..n {
        let code = format!("C{i}");
        units.push(json!({"code": code, "name": {"vi": code, "en": code}, "level": "commune", "parent": "P"}));
        inputs.push(
            json!({"data": {"unit": code, "year": 2022, "values": {"1.1": {"flag": true}}},
                           "profile": {"region": "tdmnpb"}}),
        );
    }
    request["units"] = Value::Array(units);
    request["inputs"] = Value::Array(inputs);
    request
}

#[test]
fn units_at_the_limit_are_read_and_one_more_is_refused() {
    let _alone = alone();
    let limits = Limits::default();
    let max = limits.units();
    assert_eq!(max, 200_000);
    // At the limit: 200,000 inputs read (the tree's units too), each unit evaluated.
    let mut request = communes(max - 1);
    let text = request.to_string();
    let response = within("200,000 units", 120, 3_072, || response_for(&text, &limits));
    not_refused(&response);
    assert_eq!(
        response.results.len(),
        max,
        "{:?}",
        response.diagnostics.first()
    );
    // One more unit: refused where the array goes past it.
    request["units"].as_array_mut().unwrap().push(
        json!({"code": "X", "name": {"vi": "X", "en": "X"}, "level": "commune", "parent": "P"}),
    );
    let text = request.to_string();
    let response = within("200,001 units", 30, 1_024, || response_for(&text, &limits));
    refused(&response, Limit::MaxUnits, max, "/units");
}

#[test]
fn indicator_values_at_the_limit_are_read_and_one_more_excludes_that_unit_only() {
    let _alone = alone();
    let limits = Limits::default();
    let max = limits.get(Limit::MaxIndicators);
    let values = |n: usize| -> Value {
        (0..n)
            .map(|i| (format!("x.{i}"), json!({"flag": true})))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let mut request = example();
    request["inputs"][0]["data"]["values"] = values(max);
    let text = request.to_string();
    let response = within("4,096 values", 10, 64, || response_for(&text, &limits));
    not_refused(&response);
    request["inputs"][0]["data"]["values"] = values(max + 1);
    let response = response_for(&request.to_string(), &limits);
    // The unit is excluded with the reason; the others are evaluated.
    assert!(response.ok);
    let d = response
        .diagnostics
        .iter()
        .find(|d| d.limit.is_some())
        .unwrap();
    assert_eq!(
        d.limit.map(|e| (e.name, e.value)),
        Some((Limit::MaxIndicators, max))
    );
    assert_eq!(
        d.location.pointer.as_ref().unwrap().as_str(),
        "/inputs/0/data/values"
    );
    assert!(d.location.unit.is_some(), "{d:?}");
    assert!(response.results.len() > 1);
}

#[test]
fn sets_and_overlays_at_the_limit_are_read_and_one_more_is_refused() {
    let _alone = alone();
    let limits = Limits::default();
    let max = limits.get(Limit::MaxSets);
    let catalog = json!({"catalog": "vn-2021-2025-commune-standard"});
    let mut request = example();
    request["sets"] = json!([{"level": "commune", "sets": vec![catalog.clone(); max]}]);
    let text = request.to_string();
    let response = within("256 sets", 60, 512, || response_for(&text, &limits));
    not_refused(&response);
    request["sets"][0]["sets"]
        .as_array_mut()
        .unwrap()
        .push(catalog);
    refused(
        &response_for(&request.to_string(), &limits),
        Limit::MaxSets,
        max,
        "/sets",
    );
    let overlay = json!({"id": "o", "authority": {"vi": "UBND", "en": "PC"}, "source": {"document": "d"},
                         "confidence": "illustrative"});
    let mut request = example();
    let overlays: Vec<Value> = (0..max)
        .map(|i| {
            let mut o = overlay.clone();
            o["id"] = json!(format!("o{i}"));
            o
        })
        .collect();
    request["overlays"] = Value::Array(overlays);
    let text = request.to_string();
    let response = within("256 overlays", 30, 256, || response_for(&text, &limits));
    not_refused(&response);
    assert!(response.ok, "{:?}", response.diagnostics.first());
    request["overlays"].as_array_mut().unwrap().push(overlay);
    refused(
        &response_for(&request.to_string(), &limits),
        Limit::MaxSets,
        max,
        "/overlays",
    );
}

/// [`communes`], each with a profile of its own (a status of its own).
fn with_distinct_profiles(n: usize) -> Value {
    let mut request = communes(n);
    for (i, input) in request["inputs"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        input["profile"]["statuses"] = json!([format!("s{i}")]);
    }
    request
}

#[test]
fn distinct_profiles_at_the_limit_are_read_and_one_more_is_refused_before_compiling() {
    let _alone = alone();
    let limits = Limits::default();
    let max = limits.get(Limit::MaxProfiles);
    let request = with_distinct_profiles(max);
    let text = request.to_string();
    let response = within("4,096 profiles", 120, 1_024, || {
        response_for(&text, &limits)
    });
    not_refused(&response);
    assert_eq!(
        response.results.len(),
        max + 1,
        "{:?}",
        response.diagnostics.first()
    );
    let request = with_distinct_profiles(max + 1);
    let text = request.to_string();
    let response = within("4,097 profiles", 10, 256, || response_for(&text, &limits));
    refused(&response, Limit::MaxProfiles, max, "/inputs");
}

#[test]
fn indicators_of_an_inline_set_at_the_limit_are_read_and_one_more_is_refused() {
    let _alone = alone();
    let limits = Limits::default();
    let max = limits.get(Limit::MaxIndicators);
    let mut request = example();
    let set = request["sets"][0]["sets"][0]["inline"].clone();
    let indicator = set["criteria"][0]["indicators"][0].clone();
    let with = |n: usize| {
        let mut set = set.clone();
        let extra = n - 11; // the set's own indicators and preconditions
        let indicators: Vec<Value> = (0..extra)
            .map(|i| {
                let mut ind = indicator.clone();
                ind["id"] = json!(format!("1.x{i}"));
                ind
            })
            .chain(
                set["criteria"][0]["indicators"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .cloned(),
            )
            .collect();
        set["criteria"][0]["indicators"] = Value::Array(indicators);
        set
    };
    request["sets"][0]["sets"][0]["inline"] = with(max);
    let text = request.to_string();
    let response = within("4,096 indicators", 60, 512, || response_for(&text, &limits));
    not_refused(&response);
    request["sets"][0]["sets"][0]["inline"] = with(max + 1);
    let response = response_for(&request.to_string(), &limits);
    refused(&response, Limit::MaxIndicators, max, "/sets/0/sets/0");
}

#[test]
fn overlay_threshold_entries_at_the_limit_are_read_and_one_more_is_refused() {
    let _alone = alone();
    use ntm_rules::policy::Overlay;
    let max = Limits::default().get(Limit::MaxRows);
    let entry = r#"{"set": "s", "indicator": "1.1", "threshold": {"flag": true}}"#;
    let overlay = |n: usize| {
        format!(
            r#"{{"id": "o", "authority": {{"vi": "UBND", "en": "PC"}}, "source": {{"document": "d"}},
            "confidence": "illustrative", "thresholds": [{}]}}"#,
            vec![entry; n].join(",")
        )
    };
    let text = overlay(max);
    let read = within("250,000 overlay entries", 60, 512, || {
        Overlay::from_json(&text)
    });
    assert_eq!(read.unwrap().thresholds.len(), max);
    let err = Overlay::from_json(&overlay(max + 1)).unwrap_err();
    assert_eq!(
        err.exceeded().map(|e| (e.name, e.value)),
        Some((Limit::MaxRows, max))
    );
    assert_eq!(err.pointer().as_str(), "/thresholds");
}

#[test]
fn policy_test_cases_past_the_unit_limit_are_refused() {
    let _alone = alone();
    use ntm_rules::policy::PolicyTests;
    let case = r#"{"name": "c", "year": 2022, "expect": {}}"#;
    let file = |n: usize| {
        format!(
            r#"{{"version": 1, "sets": [], "cases": [{}]}}"#,
            vec![case; n].join(",")
        )
    };
    let limits = Limits::default().max_units(1_000);
    let at = from_json_with_limits::<PolicyTests>("policy test cases", &file(1_000), &limits);
    assert_eq!(at.unwrap().cases.len(), 1_000);
    let err = from_json_with_limits::<PolicyTests>("policy test cases", &file(1_001), &limits)
        .unwrap_err();
    assert_eq!(
        err.exceeded().map(|e| (e.name, e.value)),
        Some((Limit::MaxUnits, 1_000))
    );
    assert_eq!(err.pointer().as_str(), "/cases");
    // The file reader applies the default (200,000).
    let err = PolicyTests::from_json(&file(200_001)).unwrap_err();
    assert_eq!(err.exceeded().map(|e| e.value), Some(200_000));
}

#[test]
fn csv_rows_columns_cells_and_cell_text_at_the_limits_are_read_and_past_them_refused() {
    let _alone = alone();
    let limits = Limits::default();
    let rows = limits.get(Limit::MaxRows);
    let text = "a\n".repeat(rows);
    let grid = within("250,000 CSV rows", 10, 128, || {
        read_csv(&text, None).unwrap()
    });
    assert_eq!(grid.rows.len(), rows);
    let err = read_csv(&format!("{text}a\n"), None).unwrap_err();
    assert_eq!(
        err.exceeded.map(|e| (e.name, e.value)),
        Some((Limit::MaxRows, rows))
    );
    assert_eq!(err.line, 250_001);

    let columns = limits.get(Limit::MaxColumns);
    let line = |n: usize| format!("{}\n", vec!["1"; n].join(","));
    assert_eq!(
        read_csv(&line(columns), None).unwrap().rows[0].cells.len(),
        columns
    );
    let err = read_csv(&format!("a\n{}", line(columns + 1)), None).unwrap_err();
    assert_eq!(err.exceeded.map(|e| e.name), Some(Limit::MaxColumns));
    assert_eq!(err.line, 2);

    let cells = limits.get(Limit::MaxCells);
    let text = line(1_000).repeat(cells / 1_000);
    let grid = within("5,000,000 CSV cells", 30, 512, || {
        read_csv(&text, None).unwrap()
    });
    assert_eq!(grid.rows.len() * 1_000, cells);
    let err = read_csv(&format!("{text}1\n"), None).unwrap_err();
    assert_eq!(
        err.exceeded.map(|e| (e.name, e.value)),
        Some((Limit::MaxCells, cells))
    );

    let max = limits.get(Limit::MaxStringBytes);
    let text = format!("a,b\nc,{}\n", "x".repeat(max));
    assert_eq!(read_csv(&text, None).unwrap().rows.len(), 2);
    let err = read_csv(&format!("a,b\nc,{}\n", "x".repeat(max + 1)), None).unwrap_err();
    assert_eq!(err.exceeded.map(|e| e.name), Some(Limit::MaxStringBytes));
    assert!(
        err.message.starts_with("cell B2 holds 65537 bytes"),
        "{}",
        err.message
    );

    let small = Limits::default().max_bytes(10);
    assert!(read_csv_with_limits("a,b\n1,2\n", None, &small).is_ok());
    let err = read_csv_with_limits("a,b\n1,2,34\n", None, &small).unwrap_err();
    assert_eq!(err.exceeded.map(|e| e.name), Some(Limit::MaxBytes));
}

/// A workbook of one sheet `Xã` with the given cells (0-based row, column, text).
fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Xã").unwrap();
    for (r, c, t) in cells {
        sheet.write_string(*r, *c, *t).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn workbook_rows_and_columns_at_the_limits_are_read_and_past_them_refused_by_cell() {
    let _alone = alone();
    let limits = Limits::default();
    let rows = u32::try_from(limits.get(Limit::MaxRows)).unwrap();
    let grids = within("a cell in row 250,000", 10, 128, || {
        read_workbook(&workbook(&[(0, 0, "a"), (rows - 1, 0, "z")])).unwrap()
    });
    assert_eq!(grids[0].rows.len(), rows as usize);
    let err = read_workbook(&workbook(&[(0, 0, "a"), (rows, 0, "z")])).unwrap_err();
    assert_eq!(
        err.exceeded.map(|e| (e.name, e.value)),
        Some((Limit::MaxRows, 250_000))
    );
    assert!(
        err.message.starts_with("cell Xã!A250001,"),
        "{}",
        err.message
    );

    let columns = u16::try_from(limits.get(Limit::MaxColumns)).unwrap();
    let grids = read_workbook(&workbook(&[(0, columns - 1, "z")])).unwrap();
    assert_eq!(grids[0].rows[0].cells.len(), usize::from(columns));
    let err = read_workbook(&workbook(&[(0, columns, "z")])).unwrap_err();
    assert_eq!(err.exceeded.map(|e| e.name), Some(Limit::MaxColumns));
    assert!(err.message.starts_with("cell Xã!AMK1,"), "{}", err.message);
}

#[test]
fn a_sparse_workbook_spanning_more_than_the_cell_limit_is_refused_before_its_grid_is_made() {
    let _alone = alone();
    // Two cells far apart: a few hundred bytes that would make a grid of 250,000 × 1,024
    // cells (some 8 GB) if it were read as it stands.
    let limits = Limits::default();
    let cells = limits.get(Limit::MaxCells);
    let bytes = workbook(&[(0, 0, "a"), (249_999, 1_023, "z")]);
    let err = within("a 250,000 × 1,024 sheet", 5, 64, || {
        read_workbook(&bytes).unwrap_err()
    });
    assert_eq!(
        err.exceeded.map(|e| (e.name, e.value)),
        Some((Limit::MaxCells, cells))
    );
    assert!(
        err.message
            .contains("sheet `Xã` spans 256000000 cells (to Xã!AMJ250000)"),
        "{}",
        err.message
    );
    // At the limit: 5,000 rows × 1,000 columns.
    let bytes = workbook(&[(0, 0, "a"), (4_999, 999, "z")]);
    let grids = within("a 5,000 × 1,000 sheet", 30, 1_024, || {
        read_workbook(&bytes).unwrap()
    });
    assert_eq!(grids[0].rows.len() * grids[0].rows[0].cells.len(), cells);
    let bytes = workbook(&[(0, 0, "a"), (5_000, 999, "z")]);
    assert_eq!(
        read_workbook(&bytes).unwrap_err().exceeded.map(|e| e.name),
        Some(Limit::MaxCells)
    );
}

#[test]
fn workbook_cell_text_at_the_limit_is_read_and_one_byte_more_is_refused_by_cell() {
    let _alone = alone();
    // A spreadsheet cell holds at most 32,767 characters, under the default (64 KiB):
    // the limit is set lower here to reach it.
    let limits = Limits::default().max_string_bytes(1_000);
    let text = "x".repeat(1_000);
    assert!(read_workbook_with_limits(&workbook(&[(1, 2, &text)]), &limits).is_ok());
    let text = "x".repeat(1_001);
    let err = read_workbook_with_limits(&workbook(&[(1, 2, &text)]), &limits).unwrap_err();
    assert_eq!(
        err.exceeded.map(|e| (e.name, e.value)),
        Some((Limit::MaxStringBytes, 1_000))
    );
    assert!(
        err.message.starts_with("cell Xã!C2 holds 1001 bytes"),
        "{}",
        err.message
    );
}

/// The bytes of every part of a zip archive, decompressed (its end-of-directory record
/// read from the file itself).
fn unzipped_size(bytes: &[u8]) -> usize {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            std::io::copy(&mut file, &mut std::io::sink()).unwrap() as usize
        })
        .sum()
}

#[test]
fn a_workbook_that_decompresses_past_the_limit_is_refused_before_it_is_read() {
    let _alone = alone();
    // A zip bomb in small: cells of 30,000 repeated bytes compress to almost nothing.
    // At exactly its decompressed size it is read; one byte less is refused.
    let texts: Vec<String> = (0..10)
        .map(|i| format!("{i}{}", "x".repeat(30_000)))
        .collect();
    let cells: Vec<(u32, u16, &str)> = (0u32..)
        .zip(&texts)
        .map(|(r, t)| (r, 0, t.as_str()))
        .collect();
    let bytes = workbook(&cells);
    let size = unzipped_size(&bytes);
    assert!(size > 10 * bytes.len(), "{size} from {}", bytes.len());
    let at = Limits::default().max_unzipped_bytes(size);
    assert!(read_workbook_with_limits(&bytes, &at).is_ok());
    let below = Limits::default().max_unzipped_bytes(size - 1);
    let err = read_workbook_with_limits(&bytes, &below).unwrap_err();
    assert_eq!(
        err.exceeded.map(|e| (e.name, e.value)),
        Some((Limit::MaxUnzippedBytes, size - 1))
    );
    assert!(err.message.contains("decompresses to"), "{}", err.message);
    // And the file's own size.
    let small = Limits::default().max_bytes(bytes.len() - 1);
    let err = read_workbook_with_limits(&bytes, &small).unwrap_err();
    assert_eq!(err.exceeded.map(|e| e.name), Some(Limit::MaxBytes));
}

#[test]
fn a_data_entry_workbook_past_the_row_limit_is_refused_naming_the_limit_and_cell() {
    let _alone = alone();
    use ntm_rules::contract::{import_entry, Request};
    let request = Request::from_dir("data/bac_giang_2022_catalog").unwrap();
    let bytes = workbook(&[(0, 0, "Mã"), (250_000, 0, "X")]);
    let err = import_entry(&bytes, &request, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("more than the limit of 250000 (max_rows)"),
        "{err}"
    );
    assert!(err.contains("Xã!A250001"), "{err}");
}

#[test]
fn a_threshold_sheet_past_the_row_limit_is_refused_naming_the_limit_and_line() {
    let _alone = alone();
    use ntm_rules::model::{Confidence, Label, Source};
    use ntm_rules::policy::{catalog, import_sheet, Overlay};
    let set = catalog::load("vn-2021-2025-commune-standard").unwrap();
    let overlay = Overlay::new(
        "o",
        Label::new("UBND", "People's Committee"),
        Source::document("d"),
        Confidence::Illustrative,
    );
    let text = "x\n".repeat(250_001);
    let err = import_sheet(&text, &set, overlay).unwrap_err().to_string();
    assert!(
        err.contains("more than the limit of 250000 (max_rows)"),
        "{err}"
    );
    assert!(err.contains("250001"), "{err}");
}

#[test]
fn entry_imports_and_threshold_sheets_read_within_the_limits_given() {
    let _alone = alone();
    use ntm_rules::contract::{import_entry_csv_with_limits, import_entry_with_limits, Request};
    use ntm_rules::model::{Confidence, Label, Level, Source};
    use ntm_rules::policy::{catalog, import_sheet_with_limits, Overlay};
    let request = Request::from_dir("data/bac_giang_2022_catalog").unwrap();
    let rows = 12;
    let csv = "Mã;Tên\n".repeat(rows);
    let below = Limits::default().max_rows(rows - 1);
    // Lowered below the rows given, the CSV sheet is refused naming the limit and line.
    let err = import_entry_csv_with_limits(&csv, Level::Commune, &request, None, &below)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("more than the limit of {} (max_rows)", rows - 1)),
        "{err}"
    );
    // At the rows given it is read (its problems are the cells', not a limit).
    let at = Limits::default().max_rows(rows);
    let read = import_entry_csv_with_limits(&csv, Level::Commune, &request, None, &at);
    assert!(read.is_ok(), "{:?}", read.err());
    // A workbook: its rows by cell.
    let bytes = workbook(&[(0, 0, "Mã"), (20, 0, "X")]);
    let err = import_entry_with_limits(&bytes, &request, None, &Limits::default().max_rows(20))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("more than the limit of 20 (max_rows)"),
        "{err}"
    );
    assert!(err.contains("Xã!A21"), "{err}");
    assert!(
        import_entry_with_limits(&bytes, &request, None, &Limits::default().max_rows(21)).is_ok()
    );
    // A threshold sheet, by its text's bytes.
    let set = catalog::load("vn-2021-2025-commune-standard").unwrap();
    let overlay = Overlay::new(
        "o",
        Label::new("UBND", "People's Committee"),
        Source::document("d"),
        Confidence::Illustrative,
    );
    let text = ntm_rules::policy::export_sheet(&set).unwrap();
    let small = Limits::default().max_bytes(text.len() - 1);
    let err = import_sheet_with_limits(&text, &set, overlay.clone(), &small)
        .unwrap_err()
        .to_string();
    assert!(err.contains("max_bytes"), "{err}");
    let read = import_sheet_with_limits(&text, &set, overlay, &Limits::default());
    assert!(read.is_ok(), "{:?}", read.err());
}
