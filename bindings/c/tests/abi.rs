//! The C ABI's answers to bad input are responses of the contract: each validates
//! against the response JSON Schema and names its problem (issue 16, item 4). The C
//! program `abuse.c` beside this file checks the same under valgrind, with threads.

#![allow(
    unsafe_code,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests call the C functions through raw pointers; a panic is a test failure"
)]

use std::ffi::{c_char, CStr, CString};

use ntm_capi::{ntm_free, ntm_handle};
use ntm_rules::contract::{schema, SchemaKind};

/// Calls `ntm_handle` with `request` (NULL for `None`) and returns the response text.
fn handle(request: Option<&[u8]>) -> String {
    let owned = request.map(|r| CString::new(r).unwrap());
    let ptr: *const c_char = owned.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: `ptr` is NULL or a NUL-terminated string alive for the call.
    let response = unsafe { ntm_handle(ptr) };
    assert!(!response.is_null());
    // SAFETY: a non-NULL response is a NUL-terminated string from `ntm_handle`.
    let text = unsafe { CStr::from_ptr(response) }
        .to_str()
        .unwrap()
        .to_owned();
    // SAFETY: returned by `ntm_handle`, freed once.
    unsafe { ntm_free(response) };
    text
}

#[test]
fn every_refusal_of_the_c_abi_is_a_response_the_schema_accepts_naming_the_problem() {
    let validator = jsonschema::validator_for(&schema(SchemaKind::Response)).unwrap();
    let cases: [(Option<&[u8]>, &str); 6] = [
        (None, "request is NULL"),
        (Some(b"{\"version\": 1, \"year\": \"\xff\"}"), "not UTF-8"),
        (Some(b"not JSON"), "expected"),
        (Some(b""), "EOF"),
        (Some(b"{\"version\": 2}"), "unsupported request version 2"),
        (
            Some(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
            "nests deeper",
        ),
    ];
    for (request, needle) in cases {
        let text = handle(request);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{text}: {errors:?}");
        assert_eq!(value["ok"], false, "{text}");
        let message = value["diagnostics"][0]["message"].as_str().unwrap();
        assert!(message.contains(needle), "`{needle}` not in `{message}`");
    }
}

#[test]
fn a_request_past_a_limit_is_refused_naming_the_limit_and_its_place() {
    let validator = jsonschema::validator_for(&schema(SchemaKind::Response)).unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/requests/province.json"
    ))
    .unwrap();
    let mut request: serde_json::Value = serde_json::from_str(&text).unwrap();
    // A unit name one byte past the string limit (64 KiB).
    request["units"][0]["name"]["vi"] = serde_json::json!("x".repeat((64 << 10) + 1));
    let response = handle(Some(request.to_string().as_bytes()));
    let value: serde_json::Value = serde_json::from_str(&response).unwrap();
    assert!(
        validator.iter_errors(&value).next().is_none(),
        "{response:.300}"
    );
    assert_eq!(value["ok"], false);
    let d = &value["diagnostics"][0];
    assert_eq!(
        d["limit"],
        serde_json::json!({"name": "max_string_bytes", "value": 65536})
    );
    assert_eq!(d["pointer"], "/units/0/name/vi");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .ends_with("more than the limit of 65536 (max_string_bytes)"),
        "{d}"
    );
}
