//! The C ABI's entry function (`ntm_handle` of `bindings/c`), called as C calls it: the
//! bytes of an edited shipped request, now and then with invalid UTF-8, an embedded
//! NUL (C sees the text up to it) or cut short, then `ntm_free` of the result.
//!
//! Must hold: the result is never NULL, is UTF-8 JSON valid against the response JSON
//! Schema, is the Rust facade's answer (`handle_json`) to the same text, and a failed
//! response has an error with its place.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ntm_fuzz::edit::Recipe;
use ntm_fuzz::{check_response_value, request_seeds};
use std::ffi::CStr;

#[derive(Debug, Arbitrary)]
struct Input {
    recipe: Recipe,
    bytes: Vec<(u16, Byte)>,
}

#[derive(Debug, Arbitrary)]
enum Byte {
    Nul,
    Invalid(u8),
    Any(u8),
}

fuzz_target!(|input: Input| {
    let mut bytes = input.recipe.text(request_seeds()).into_bytes();
    for (at, b) in input.bytes.iter().take(8) {
        let at = usize::from(*at) % (bytes.len() + 1);
        let b = match b {
            Byte::Nul => 0,
            Byte::Invalid(b) => 0x80 | b,
            Byte::Any(b) => *b,
        };
        bytes.insert(at, b);
    }
    // What C passes: the bytes up to the first NUL.
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    let seen = bytes[..end].to_vec();
    bytes.push(0);

    // SAFETY: `bytes` is NUL-terminated and outlives the call; the result is freed once.
    let (text, response) = unsafe {
        let out = ntm_capi::ntm_handle(bytes.as_ptr().cast());
        assert!(!out.is_null(), "ntm_handle returned NULL");
        let text = CStr::from_ptr(out)
            .to_str()
            .unwrap_or_else(|e| panic!("response is not UTF-8: {e}"))
            .to_owned();
        ntm_capi::ntm_free(out);
        let response: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("response is not JSON: {e}: {text}"));
        (text, response)
    };
    let request = String::from_utf8_lossy(&seen);
    check_response_value(&response, &request);
    if response["ok"] != serde_json::Value::Bool(true) {
        let errors = response["diagnostics"]
            .as_array()
            .map_or(0, |d| d.iter().filter(|d| d["severity"] == "error").count());
        assert!(errors > 0, "failed response without an error: {text}");
    }
    match std::str::from_utf8(&seen) {
        Ok(request) => {
            let rust: serde_json::Value =
                serde_json::from_str(&ntm_rules::contract::handle_json(request))
                    .unwrap_or_default();
            assert_eq!(response, rust, "the C ABI differs from handle_json");
        }
        Err(_) => {
            let message = response["diagnostics"][0]["message"].as_str().unwrap_or("");
            assert!(message.contains("UTF-8"), "invalid UTF-8 not said: {text}");
        }
    }
});
