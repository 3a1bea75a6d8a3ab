//! Golden request → response pairs (`tests/golden/`): every `<case>.request.json` runs
//! through the JSON facade and must give `<case>.response.json`, compared as JSON values.
//! A failure shows a line diff of the two, pretty-printed.
//!
//! The requests are written by `tests/golden/make_cases.py`; after an intended change of
//! behaviour, rewrite the responses with `UPDATE_GOLDEN=1 cargo test --test golden` and
//! review the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a test failure"
)]

use ntm_rules::contract::handle_json;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".request.json"))
        .collect();
    out.sort();
    out
}

/// The lines of `expected` and `actual` that differ, with their line numbers (a
/// longest-common-subsequence diff, enough for files of a few thousand lines).
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+{:>5} {}\n", j + 1, b[j]));
            j += 1;
        } else {
            out.push_str(&format!("-{:>5} {}\n", i + 1, a[i]));
            i += 1;
        }
    }
    out
}

#[test]
fn every_golden_request_gives_its_response() {
    let cases = cases();
    assert!(cases.len() >= 20, "only {} golden cases", cases.len());
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for request_path in &cases {
        let name = request_path.to_string_lossy().replace(".request.json", "");
        let response_path = PathBuf::from(format!("{name}.response.json"));
        let request = std::fs::read_to_string(request_path).unwrap();
        let actual: Value = serde_json::from_str(&handle_json(&request)).unwrap();
        let pretty = serde_json::to_string_pretty(&actual).unwrap() + "\n";
        if update {
            std::fs::write(&response_path, &pretty).unwrap();
        }
        let stored = std::fs::read_to_string(&response_path).unwrap_or_default();
        let expected: Value = serde_json::from_str(&stored).unwrap_or(Value::Null);
        if expected != actual {
            let expected_pretty = serde_json::to_string_pretty(&expected).unwrap() + "\n";
            failures.push(format!(
                "{}:\n{}",
                response_path.display(),
                diff(&expected_pretty, &pretty)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden case(s) differ (rerun with UPDATE_GOLDEN=1 after an intended change, and review):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_diff_names_the_lines_that_differ() {
    assert_eq!(diff("a\nb\nc\n", "a\nx\nc\n"), "+    2 x\n-    2 b\n");
    assert_eq!(diff("a\n", "a\n"), "");
}
