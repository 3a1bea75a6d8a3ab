//! A C ABI over the versioned JSON facade (`ntm_rules::contract`): request string in,
//! response string out, errors returned as data, no panic ever crossing the boundary.
//!
//! ```text
//! cargo build --example ntm_capi        # target/debug/examples/libntm_capi.so (.dylib, .dll)
//! ```
//!
//! The C header is `examples/c/ntm.h`; `examples/c/main.c` and
//! `examples/python/ntm_client.py` (standard-library `ctypes`) call it.
//!
//! Memory: every string returned by `ntm_handle` is owned by the library and must be
//! given back with `ntm_free`, exactly once. `ntm_version` returns a static string that
//! must not be freed.

#![allow(
    unsafe_code,
    reason = "a C ABI needs raw pointers; each block states its contract"
)]

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Version of the JSON contract and of the crate, as a static C string.
static VERSION: &CStr = c"ntm-rules contract 1";

/// A failed response in the facade's shape, for problems before the facade runs.
fn failure(message: &str) -> String {
    serde_json::json!({
        "version": 1,
        "ok": false,
        "results": {},
        "summaries": {},
        "diagnostics": [{ "severity": "error", "path": ".", "message": message }],
    })
    .to_string()
}

fn into_c(text: String) -> *mut c_char {
    // serde_json escapes NUL as \u0000, so a JSON text has no interior NUL; if it ever
    // had one, return a failure instead.
    CString::new(text)
        .or_else(|_| CString::new(failure("response contained a NUL byte")))
        .map_or(std::ptr::null_mut(), CString::into_raw)
}

/// Handles one request (UTF-8 JSON, NUL-terminated) and returns the response (UTF-8
/// JSON, NUL-terminated), to be released with [`ntm_free`]. Never returns NULL except
/// if memory for the response cannot be had.
///
/// # Safety
///
/// `request` must be NULL or point to a NUL-terminated string that stays valid and
/// unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn ntm_handle(request: *const c_char) -> *mut c_char {
    let response = catch_unwind(AssertUnwindSafe(|| {
        if request.is_null() {
            return failure("request is NULL");
        }
        // SAFETY: the caller guarantees a valid NUL-terminated string (see above).
        let bytes = unsafe { CStr::from_ptr(request) };
        match bytes.to_str() {
            Ok(text) => ntm_rules::contract::handle_json(text),
            Err(e) => failure(&format!("request is not UTF-8: {e}")),
        }
    }))
    .unwrap_or_else(|_| failure("internal error: the request could not be handled"));
    into_c(response)
}

/// Releases a string returned by [`ntm_handle`]. NULL is ignored.
///
/// # Safety
///
/// `response` must be NULL or a pointer returned by `ntm_handle` that was not freed yet.
#[no_mangle]
pub unsafe extern "C" fn ntm_free(response: *mut c_char) {
    if !response.is_null() {
        // SAFETY: the pointer came from `CString::into_raw` in `ntm_handle` and is
        // freed once (the caller's contract).
        drop(unsafe { CString::from_raw(response) });
    }
}

/// The contract version string. Static: do not free.
#[no_mangle]
pub extern "C" fn ntm_version() -> *const c_char {
    VERSION.as_ptr()
}
