//! The main door: a JSON request through the facade (`contract::response_for`, what
//! `ntm evaluate`, C, Python and WASM call). Each input edits one of the shipped
//! requests (values of indicators, units dropped or repeated, years, regions,
//! histories, catalog ids, plans, questions), so most runs reach compile, evaluate,
//! decide, aggregate and report.
//!
//! Must hold: the response is valid against the response JSON Schema; a failed response
//! has an error; every error names its place (the C ABI target checks that the text
//! `handle_json` writes is this response).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntm_fuzz::edit::Recipe;
use ntm_fuzz::{check_response, request_seeds};
use ntm_rules::contract::response_for;
use ntm_rules::model::Limits;

fuzz_target!(|recipe: Recipe| {
    let text = recipe.text(request_seeds());
    let response = response_for(&text, &Limits::default());
    check_response(&response, &text);
});
