//! The outcomes the browser test expects, computed with the library's Rust API
//! (`ntm_rules::Evaluator`, not this package's code): for the scenario the test types
//! into the page (`examples/web/test/scenario.json`), every set's outcome and totals,
//! every criterion's outcome, every indicator's outcome, threshold and margin, and the
//! decision.
//!
//! ```text
//! cargo run -p ntm-wasm --example web_expected -- examples/web/test/scenario.json
//! ```

use ntm_rules::model::{from_json, Profile};
use ntm_rules::policy::{apply_overlays, catalog, Overlay};
use ntm_rules::{Evaluator, History, IndicatorData};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The scenario (see `examples/web/test/scenario.json`).
#[derive(Deserialize)]
struct Scenario {
    /// Catalog ids of the sets.
    sets: Vec<String>,
    /// The overlay file, relative to the repository root.
    overlay: String,
    year: u16,
    profile: Profile,
    /// The values typed into the page, in the library's form.
    values: BTreeMap<String, ntm_rules::Value>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: web_expected SCENARIO.json")?;
    let scenario: Scenario = from_json("scenario", &std::fs::read_to_string(&path)?)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let overlay: Overlay = from_json(
        "overlay",
        &std::fs::read_to_string(root.join(&scenario.overlay))?,
    )?;
    let overlays = [overlay];
    let sets = scenario
        .sets
        .iter()
        .map(|id| Ok(apply_overlays(&catalog::load(id)?, &overlays)?))
        .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
    let mut data = IndicatorData::new("C", scenario.year);
    for (id, v) in scenario.values {
        data = data.with(id, v);
    }
    let unit = Evaluator::new(sets, scenario.year).evaluate(
        &scenario.profile,
        &data,
        &History::default(),
    )?;
    let assessments: Vec<serde_json::Value> = unit
        .assessments
        .iter()
        .map(|a| {
            let indicators: BTreeMap<&str, serde_json::Value> = a
                .criteria
                .iter()
                .flat_map(|c| &c.indicators)
                .chain(&a.preconditions)
                .map(|i| {
                    (
                        i.id.as_str(),
                        serde_json::json!({
                            "outcome": i.outcome,
                            "threshold": i.threshold.as_ref().map(|t| &t.threshold),
                            "margin": i.margin,
                        }),
                    )
                })
                .collect();
            serde_json::json!({
                "set": a.set,
                "outcome": a.outcome,
                "totals": a.totals,
                "criteria": a.criteria.iter().map(|c| (c.id.as_str(), c.outcome)).collect::<BTreeMap<_, _>>(),
                "indicators": indicators,
            })
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({ "assessments": assessments, "decision": unit.decision.verdict })
    );
    Ok(())
}
