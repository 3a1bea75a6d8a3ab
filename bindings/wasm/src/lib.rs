//! The WebAssembly package of ntm-rules (wasm-bindgen): the versioned JSON contract and a
//! one-unit evaluator, for web pages and other JavaScript hosts.
//!
//! ```text
//! cargo build -p ntm-wasm --profile wasm --target wasm32-unknown-unknown
//! wasm-bindgen --target web --out-dir examples/web/pkg \
//!     target/wasm32-unknown-unknown/wasm/ntm_wasm.wasm
//! ```
//!
//! (`examples/web/build.sh` does both.) Every function takes and gives JSON text, so the
//! same code runs, and is tested, on the host:
//!
//! - [`handle`]: a contract request in, a response out (what `ntm evaluate` and the C ABI
//!   give).
//! - [`catalog`]: the built-in sets (`[]` when the package is built without the
//!   `catalog` feature: then every set is given in full).
//! - [`UnitEvaluator`]: the sets of one level for a year (catalog ids, sets given in
//!   full or the text of a set file, with provincial overlays); then, for one unit's
//!   profile and the values typed in a form, every indicator and criterion met, not met
//!   or undetermined with its threshold and margin, and the decision.
//!
//! ```
//! use ntm_wasm::UnitEvaluator;
//! // A set given in full (or `{"catalog": "vn-2021-2025-commune-standard"}`, or
//! // `{"text": "…the text of a set file…"}`).
//! let set = ntm_rules::policy::illustrative::commune_sets().remove(0);
//! let setup = serde_json::json!({ "sets": [{ "inline": set }], "year": 2022 });
//! let mut ev = UnitEvaluator::new(&setup.to_string());
//! let out: serde_json::Value = serde_json::from_str(&ev.evaluate(
//!     r#"{"profile": {"region": "dbsh"}, "values": {"10.1": "abc", "3.1": "82.5"}}"#,
//! )).unwrap();
//! assert_eq!(out["ok"], true);
//! assert_eq!(out["input_errors"][0]["indicator"], "10.1");
//! assert!(out["decision"].is_null()); // never decided from a form with a refused value
//! ```
//!
//! **Errors are data.** Bad input gives `{"ok": false, "diagnostics": [...]}`, each
//! diagnostic with its place (`field`: the part of the input, a JSON Pointer; `pointer`,
//! `line`, `column`, `set`, `indicator` inside it). A value that cannot be read is an
//! `input_errors` entry for its field, and the other values are still evaluated.
//! **Panics**: the library does not panic on input; should it ever, on the host the
//! panic is caught at this boundary and returned as an error, and in the browser
//! (Rust's wasm32 target aborts on panic) the call throws a `WebAssembly.RuntimeError`
//! after logging the panic to the console: the page catches it and starts a fresh
//! instance (`examples/web/ntm.js`).

mod problem;
mod setup;
mod unit;
mod values;

use ntm_rules::model::{Limits, Location};
use ntm_rules::{CriteriaSet, Evaluator};
use problem::{failed, to_text, Problem};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use wasm_bindgen::prelude::wasm_bindgen;

/// Installs the panic hook that logs a panic's message to the browser console.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The input limits: size, nesting depth and units of every JSON text read.
fn limits() -> Limits {
    Limits::default()
}

/// Runs `f`, turning a panic into an error response instead of unwinding into the host.
fn guard(f: impl FnOnce() -> String) -> String {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        to_text(&failed(&[Problem::error(
            None,
            Location::new(),
            "internal error: the call could not be completed",
        )]))
    })
}

/// The package's version and the JSON contract version it speaks, e.g.
/// `"ntm-wasm 0.1.0, contract 1"`.
#[wasm_bindgen]
pub fn version() -> String {
    format!(
        "ntm-wasm {}, contract {}",
        env!("CARGO_PKG_VERSION"),
        ntm_rules::contract::VERSION
    )
}

/// Handles a request of the JSON contract (`ntm schema request`) and returns the
/// response (`ntm schema response`), as `ntm evaluate` and the C ABI do. Never throws;
/// problems are the response's `diagnostics`.
#[wasm_bindgen]
pub fn handle(request: &str) -> String {
    guard(|| ntm_rules::contract::handle_json_with_limits(request, &limits()))
}

/// Whether the package embeds the built-in catalog (the `catalog` feature).
#[wasm_bindgen(js_name = hasCatalog)]
pub fn has_catalog() -> bool {
    cfg!(feature = "catalog")
}

/// The built-in criteria sets as a JSON array of `{"id", "scheme", "level", "tier",
/// "title", "documents", "partial"}`, in catalog order; `[]` without the `catalog`
/// feature.
#[wasm_bindgen]
pub fn catalog() -> String {
    #[cfg(feature = "catalog")]
    let entries: Vec<serde_json::Value> = ntm_rules::policy::catalog::entries()
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id,
                "scheme": e.scheme,
                "level": e.level,
                "tier": e.tier,
                "title": e.title,
                "documents": e.documents,
                "partial": e.partial,
            })
        })
        .collect();
    #[cfg(not(feature = "catalog"))]
    let entries: Vec<serde_json::Value> = Vec::new();
    to_text(&serde_json::Value::from(entries))
}

/// A one-unit evaluator: the criteria sets of one level (one per tier) for a reporting
/// year, with provincial overlays applied, compiled once per profile.
///
/// Made from a setup (JSON text):
///
/// ```json
/// {"sets": [{"catalog": "vn-2021-2025-commune-standard"}, {"inline": {…a set…}},
///           {"text": "…the text of a set file…"}],
///  "overlays": [{"inline": {…}} or {"text": "…"}],
///  "year": 2024}
/// ```
///
/// A setup with problems still gives an evaluator, whose [`UnitEvaluator::sets`] and
/// [`UnitEvaluator::evaluate`] return them.
#[wasm_bindgen]
#[derive(Debug)]
pub struct UnitEvaluator {
    state: Result<Ready, Vec<Problem>>,
}

#[derive(Debug)]
struct Ready {
    evaluator: Evaluator,
    kinds: BTreeMap<ntm_rules::model::IndicatorId, ntm_rules::model::ValueKind>,
    warnings: Vec<Problem>,
}

#[wasm_bindgen]
impl UnitEvaluator {
    /// Reads the setup, the sets and the overlays, and checks them; nothing is compiled
    /// until a unit is evaluated. Never throws.
    #[wasm_bindgen(constructor)]
    pub fn new(setup: &str) -> UnitEvaluator {
        let state = catch_unwind(AssertUnwindSafe(|| {
            let limits = limits();
            let resolved = setup::Setup::from_json(setup, &limits)
                .map_err(|p| vec![p])?
                .resolve(&limits)?;
            Ok(Ready {
                kinds: values::kinds(&resolved.sets),
                evaluator: Evaluator::new(resolved.sets, resolved.year),
                warnings: resolved.warnings,
            })
        }))
        .unwrap_or_else(|_| {
            Err(vec![Problem::error(
                None,
                Location::new(),
                "internal error: the setup could not be read",
            )])
        });
        UnitEvaluator { state }
    }

    /// `{"ok": true, "year", "sets": [every set as JSON, overlays applied],
    /// "diagnostics": [warnings]}`, or `{"ok": false, "diagnostics"}` for a setup with
    /// problems (each with its `field`, such as `/sets/1`, and its place inside it).
    pub fn sets(&self) -> String {
        guard(|| match &self.state {
            Ok(ready) => to_text(&serde_json::json!({
                "ok": true,
                "year": ready.evaluator.year(),
                "sets": ready.evaluator.sets().iter().collect::<Vec<&CriteriaSet>>(),
                "diagnostics": ready.warnings,
            })),
            Err(problems) => to_text(&failed(problems)),
        })
    }

    /// Evaluates one unit (JSON text):
    ///
    /// ```json
    /// {"unit": "X", "profile": {"region": "tdmnpb"},
    ///  "values": {"2.1": "78.5", "1.1": true, "10.1": "not_applicable"},
    ///  "history": {"events": []}}
    /// ```
    ///
    /// Values are text as typed (blank: no value; `"not_applicable"`), or `true` /
    /// `false` for yes/no indicators; numbers are read exactly (`"78.5"`, never a JSON
    /// number). Gives `{"ok": true, "year", "assessments": [one per set: the library's
    /// `Assessment`], "decision": the library's `Decision` or null, "decision_withheld":
    /// why it is null, "unused_values", "profile_lacks", "input_errors": [{"indicator",
    /// "given", "message"}], "diagnostics"}`, or `{"ok": false, "diagnostics"}`.
    pub fn evaluate(&mut self, unit: &str) -> String {
        guard(|| match &mut self.state {
            Ok(ready) => {
                let mut out = unit::evaluate(&mut ready.evaluator, &ready.kinds, unit, &limits());
                if let Some(d) = out.get_mut("diagnostics").and_then(|d| d.as_array_mut()) {
                    d.extend(
                        ready
                            .warnings
                            .iter()
                            .filter_map(|w| serde_json::to_value(w).ok()),
                    );
                }
                to_text(&out)
            }
            Err(problems) => to_text(&failed(problems)),
        })
    }

    /// Whether the setup was read without error.
    #[wasm_bindgen(getter)]
    pub fn ok(&self) -> bool {
        self.state.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_at_the_boundary_is_an_error_response_not_an_unwind() {
        let out: serde_json::Value = serde_json::from_str(&guard(|| panic!("boom"))).unwrap();
        assert_eq!(out["ok"], false);
        assert_eq!(
            out["diagnostics"][0]["message"],
            "internal error: the call could not be completed"
        );
    }
}
