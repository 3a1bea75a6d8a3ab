//! One unit through an [`Evaluator`]: the values a form holds, read by their
//! indicators' kinds, evaluated against every set, and decided; refused values reported
//! for their fields while the rest is evaluated.

use crate::problem::Problem;
use crate::values::{read_all, Given, InputError};
use ntm_rules::engine::EvaluateError;
use ntm_rules::model::{from_json_with_limits, IndicatorId, Limits, Location, ValueKind};
use ntm_rules::{Evaluator, History, IndicatorData, Profile};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What [`crate::UnitEvaluator::evaluate`] reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitInput {
    /// The unit's code, for the messages (default `"unit"`).
    #[serde(default = "default_unit")]
    unit: String,
    /// The profile that selects the thresholds (region, commune group, statuses).
    #[serde(default)]
    profile: Profile,
    /// Values by indicator id, as typed.
    #[serde(default)]
    values: BTreeMap<IndicatorId, Given>,
    /// The unit's recognition history (none: it holds no tier).
    #[serde(default)]
    history: History,
}

fn default_unit() -> String {
    "unit".to_owned()
}

/// Evaluates the unit `input` (JSON text) and gives the response value.
pub(crate) fn evaluate(
    evaluator: &mut Evaluator,
    kinds: &BTreeMap<IndicatorId, ValueKind>,
    input: &str,
    limits: &Limits,
) -> serde_json::Value {
    let input: UnitInput = match from_json_with_limits("unit input", input, limits) {
        Ok(i) => i,
        Err(e) => {
            return crate::problem::failed(&[Problem::error(None, e.location(), e.message())])
        }
    };
    let (mut values, mut input_errors) = read_all(kinds, &input.values);
    // A value of the right syntax can still be refused by its set (a percentage over
    // 100, a count that is not whole): take it out, say so at its field, and evaluate
    // the rest. Each round takes out at least one value, so this ends.
    let evaluation = loop {
        let data = IndicatorData {
            unit: input.unit.as_str().into(),
            year: evaluator.year(),
            values: values.clone(),
        };
        match evaluator.evaluate(&input.profile, &data, &input.history) {
            Ok(u) => break Ok(u),
            Err(EvaluateError::Data(e)) => {
                let before = input_errors.len();
                for p in &e.problems {
                    let Some(id) = &p.indicator else { continue };
                    if let Some(v) = values.remove(id) {
                        input_errors.push(InputError {
                            indicator: id.clone(),
                            given: v.to_string(),
                            message: p.kind.to_string(),
                        });
                    }
                }
                if input_errors.len() == before {
                    break Err(e
                        .locations()
                        .map(|(at, p)| Problem::error(None, at, p.to_string()))
                        .collect::<Vec<_>>());
                }
            }
            Err(EvaluateError::Compile(e)) => {
                break Err(e
                    .problems()
                    .iter()
                    .map(|p| Problem::error(None, p.location.clone(), p.kind.to_string()))
                    .collect())
            }
            Err(e) => break Err(vec![Problem::error(None, Location::new(), e.to_string())]),
        }
    };
    let unit = match evaluation {
        Ok(u) => u,
        Err(problems) => return crate::problem::failed(&problems),
    };
    input_errors.sort_by(|a, b| a.indicator.cmp(&b.indicator));
    // A decision is never given from a form that holds a refused value: clearing the
    // field is the user's choice, not the package's.
    let (decision, withheld) = if input_errors.is_empty() {
        (Some(&unit.decision), None)
    } else {
        (
            None,
            Some(format!(
                "no decision while {} value(s) are refused: correct or clear them",
                input_errors.len()
            )),
        )
    };
    serde_json::json!({
        "ok": true,
        "year": evaluator.year(),
        "assessments": unit.assessments,
        "decision": decision,
        "decision_withheld": withheld,
        "unused_values": unit.unused_values,
        "profile_lacks": unit.profile_lacks,
        "input_errors": input_errors,
        "diagnostics": [],
    })
}
