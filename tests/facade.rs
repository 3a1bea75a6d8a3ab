//! The versioned JSON facade: batch-first, fault-tolerant, never panics.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use ntm_rules::contract::{handle_json, response_for, Request, Severity};
use ntm_rules::model::Limits;
use proptest::prelude::*;
use serde_json::Value;

const REQUEST: &str = include_str!("../examples/requests/province.json");

/// The first diagnostic about a unit.
fn diagnostic_of<'r>(
    response: &'r ntm_rules::contract::Response,
    unit: &str,
) -> Option<&'r ntm_rules::contract::Diagnostic> {
    response
        .diagnostics
        .iter()
        .find(|d| d.location.unit.as_ref().is_some_and(|u| u.as_str() == unit))
}

#[test]
fn one_malformed_unit_does_not_stop_the_others() {
    let response = response_for(REQUEST, &Limits::default());
    assert!(response.ok);
    // C03's input is malformed (a decimal as a JSON float): reported with its path...
    let d = diagnostic_of(&response, "C03").unwrap();
    assert_eq!(d.severity, Severity::Error);
    let pointer = d.location.pointer.as_ref().unwrap();
    assert_eq!(pointer.as_str(), "/inputs/2/data/values/10.1/number");
    assert_eq!(pointer.tokens()[4], "10.1"); // the indicator id, unambiguous
                                             // ...and the well-formed units are decided.
    for code in ["C01", "C02", "C05"] {
        assert!(response.results[code].decision().is_some(), "{code}");
    }
    // C03 (unreadable) and C04 (data out of range) are excluded from the counts; C03's
    // problem is reported once, where its input was read.
    let communes = response.summaries["P"]
        .level(ntm_rules::model::Level::Commune)
        .unwrap();
    assert_eq!(communes.excluded, 2);
    assert!(response.results["C03"].decision().is_none());
    let about_c03 = response
        .diagnostics
        .iter()
        .filter(|d| {
            d.location
                .unit
                .as_ref()
                .is_some_and(|u| u.as_str() == "C03")
        })
        .count();
    assert_eq!(about_c03, 1);
}

#[test]
fn the_compact_json_equals_the_example_response() {
    let compact: Value = serde_json::from_str(&handle_json(REQUEST)).unwrap();
    let golden: Value =
        serde_json::from_str(include_str!("../examples/requests/province.response.json")).unwrap();
    assert_eq!(compact, golden);
}

#[test]
fn requests_round_trip() {
    let request: Request = serde_json::from_str(REQUEST).unwrap();
    let again: Request = serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
    assert_eq!(request, again);
}

#[test]
fn an_invalid_tree_lists_every_problem() {
    let mut request: Value = serde_json::from_str(REQUEST).unwrap();
    request["units"][2]["parent"] = "NOPE".into();
    request["units"][3]["code"] = "C01".into();
    let response = response_for(&request.to_string(), &Limits::default());
    assert!(!response.ok);
    let messages: Vec<&str> = response
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages[..2],
        [
            "unit code `C01` is used by 2 entries valid at the same time",
            "unit `C01`: parent `NOPE` is not in the tree"
        ]
    );
    // The malformed input is still reported alongside.
    assert!(messages[2].starts_with("decimal 46.2 given as a JSON number"));
}

#[test]
fn unknown_catalog_set_and_limits_are_reported() {
    let mut request: Value = serde_json::from_str(REQUEST).unwrap();
    request["sets"][0]["sets"][0] = serde_json::json!({"catalog": "vn-1999-nothing"});
    let response = response_for(&request.to_string(), &Limits::default());
    assert!(!response.ok);
    let at = &response.diagnostics[0].location;
    assert_eq!(at.pointer.as_ref().unwrap().as_str(), "/sets/0/sets/0");
    assert_eq!(at.set.as_ref().unwrap().as_str(), "vn-1999-nothing");
    // Reading stops at the fourth unit: the limit is said, not the count of all units.
    let small = Limits::default().max_units(3);
    let response = response_for(REQUEST, &small);
    assert_eq!(
        response.diagnostics[0].message,
        "at least 4 units, more than the limit of 3 (max_units)"
    );
    assert_eq!(
        response.diagnostics[0]
            .location
            .pointer
            .as_ref()
            .map(|p| p.as_str()),
        Some("/units")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn garbage_never_panics(text in ".{0,200}") {
        let response: Value = serde_json::from_str(&handle_json(&text)).unwrap();
        prop_assert_eq!(&response["ok"], &Value::Bool(false));
    }

    #[test]
    fn damaged_requests_never_panic(cut in 0usize..REQUEST.len(), byte in any::<u8>()) {
        let mut bytes = REQUEST.as_bytes().to_vec();
        bytes[cut] = byte;
        let text = String::from_utf8_lossy(&bytes);
        let response: Value = serde_json::from_str(&handle_json(&text)).unwrap();
        prop_assert!(response["ok"].is_boolean());
    }
}

#[test]
fn request_inputs_are_typed_and_a_malformed_one_is_kept_as_given() {
    use ntm_rules::contract::RequestInput;
    let request: ntm_rules::Request = serde_json::from_str(REQUEST).unwrap();
    let raw: Value = serde_json::from_str(REQUEST).unwrap();
    let read = request.inputs.iter().filter_map(RequestInput::read).count();
    assert_eq!(
        read,
        request.inputs.len() - 1,
        "one input of the example is malformed"
    );
    let bad = request.inputs.iter().find(|i| i.read().is_none()).unwrap();
    let RequestInput::Unreadable {
        raw: kept,
        unit,
        error,
    } = bad
    else {
        panic!("not unreadable");
    };
    assert_eq!(unit.as_ref().unwrap().as_str(), "C03");
    assert_eq!(error.pointer().as_str(), "/data/values/10.1/number");
    assert_eq!(error.position(), (0, 0), "no made-up line and column");
    // Written back, the malformed input is what was given.
    assert_eq!(&raw["inputs"][2], kept);
    assert_eq!(serde_json::to_value(bad).unwrap(), raw["inputs"][2]);
}

#[test]
fn misspelt_indicator_id_is_a_warning_with_a_did_you_mean_hint_not_dropped() {
    let mut request: Value = serde_json::from_str(REQUEST).unwrap();
    let values = request["inputs"][0]["data"]["values"]
        .as_object_mut()
        .unwrap();
    let income = values.remove("10.1").unwrap();
    values.insert("10.l".into(), income);
    let response = response_for(&request.to_string(), &Limits::default());
    let d = response
        .diagnostics
        .iter()
        .find(|d| {
            d.location
                .indicator
                .as_ref()
                .is_some_and(|i| i.as_str() == "10.l")
        })
        .unwrap_or_else(|| panic!("{:#?}", response.diagnostics));
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.location.pointer.as_ref().unwrap().as_str(),
        "/inputs/0/data/values/10.l"
    );
    assert!(d.message.contains("did you mean `10.1`?"), "{}", d.message);
    // The unmodified request has no value that no set reads.
    let response = response_for(REQUEST, &Limits::default());
    assert!(response
        .diagnostics
        .iter()
        .all(|d| !d.message.contains("read by no criteria set")));
}

#[test]
fn overlay_entry_for_a_set_not_in_the_request_fails_it_with_the_entry_pointer() {
    let mut request: Value = serde_json::from_str(REQUEST).unwrap();
    request["overlays"] = serde_json::json!([{
        "id": "typo",
        "authority": {"vi": "UBND tỉnh", "en": "Province"},
        "source": {"document": "1/QĐ-UBND"},
        "confidence": "illustrative",
        "thresholds": [{"set": "illustrative-commune-standrad", "indicator": "10.1",
                        "when": {"regions": ["tdmnpb"]}, "threshold": {"number": "45"}}]
    }]);
    let response = response_for(&request.to_string(), &Limits::default());
    assert!(!response.ok);
    let d = response
        .diagnostics
        .iter()
        .find(|d| d.message.contains("illustrative-commune-standrad"))
        .unwrap_or_else(|| panic!("{:#?}", response.diagnostics));
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(
        d.location.pointer.as_ref().unwrap().as_str(),
        "/overlays/0/thresholds/0"
    );
    assert!(
        d.message
            .contains("did you mean `illustrative-commune-standard`?"),
        "{}",
        d.message
    );
}

/// The example request with extra inputs spliced in front of its own, as text (so that
/// an input may repeat a key, which a `Value` cannot hold).
fn with_extra_inputs(extra: &[&str]) -> String {
    let mut joined = extra.join(",\n");
    joined.push(',');
    REQUEST.replacen("\"inputs\": [", &format!("\"inputs\": [\n{joined}"), 1)
}

#[test]
fn inputs_read_once_from_the_text_equal_inputs_read_from_a_value() {
    use ntm_rules::contract::RequestInput;
    let text = with_extra_inputs(&[
        // Two problems in one input: the reason given is the one reading a value gives.
        r#"{"weights": {"households": "-1"}, "data": {"unit": "C01", "year": 2022, "values": {"1.1": {"flag": 3}}}, "profile": {"region": "nowhere"}}"#,
        // A field given twice: a value keeps the last, which would drop the first
        // silently; the input is unreadable.
        r#"{"data": {"unit": "C02", "year": 2021, "values": {}}, "data": {"unit": "C02", "year": 2022, "values": {"1.1": {"flag": true}}}, "profile": {"region": "tdmnpb"}}"#,
        // An indicator given twice in the values map: unreadable too.
        r#"{"data": {"unit": "C05", "year": 2022, "values": {"1.1": {"flag": false}, "1.1": {"flag": true}}}, "profile": {"region": "tdmnpb"}}"#,
        // Not an object at all.
        r#"[1, 2, 3]"#,
        // An unknown field, and no unit to name.
        r#"{"dat": {}}"#,
    ]);
    let request: Request = serde_json::from_str(&text).unwrap();
    let values: Value = serde_json::from_str(&text).unwrap();
    let expected: Vec<RequestInput> = values["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .cloned()
        .map(RequestInput::from)
        .collect();
    assert_eq!(request.inputs.len(), expected.len());
    // Inputs without a key given twice read as their values do.
    for (k, (got, want)) in request.inputs.iter().zip(&expected).enumerate() {
        if k != 1 && k != 2 {
            assert_eq!(got, want, "input {k}");
        }
    }
    // The spliced inputs are read as the comments say.
    assert!(request.inputs[0].read().is_none());
    let twice = [
        (1, "", "duplicate field `data`"),
        (2, "/data/values", "indicator `1.1` is given more than once"),
    ];
    for (k, pointer, message) in twice {
        let RequestInput::Unreadable { raw, unit, error } = &request.inputs[k] else {
            panic!("input {k} reads");
        };
        assert_eq!(error.pointer().as_str(), pointer, "input {k}");
        assert!(error.message().contains(message), "input {k}: {error}");
        assert!(unit.is_some(), "input {k}");
        assert_eq!(raw, &values["inputs"][k], "input {k} kept as its value");
    }
    assert!(request.inputs[3].read().is_none());
    assert!(request.inputs[4].read().is_none());
    // The facade reports them where they are, with the same reasons.
    let response = response_for(&text, &Limits::default());
    assert!(response.ok);
    for k in 0usize..5 {
        let RequestInput::Unreadable { error, .. } = &request.inputs[k] else {
            panic!("input {k} reads");
        };
        let pointer = format!("/inputs/{k}{}", error.pointer());
        assert!(
            response.diagnostics.iter().any(|d| d
                .location
                .pointer
                .as_ref()
                .is_some_and(|p| p.as_str() == pointer)
                && d.message == error.message()),
            "input {k}: no diagnostic at {pointer}: {:?}",
            response.diagnostics
        );
    }
}

#[test]
fn a_number_out_of_range_in_an_input_still_fails_the_whole_request() {
    let text = with_extra_inputs(&[
        r#"{"data": {"unit": "C01", "year": 2022, "values": {"3.1": {"number": 1e400}}}}"#,
    ]);
    let response = response_for(&text, &Limits::default());
    assert!(!response.ok);
    let d = &response.diagnostics[0];
    assert!(d.message.contains("number out of range"), "{}", d.message);
    assert_eq!(d.location.pointer.as_ref().unwrap().as_str(), "/inputs/0");
}

#[test]
fn the_unit_limit_still_stops_reading_inputs_at_the_first_past_it() {
    let mut value: Value = serde_json::from_str(REQUEST).unwrap();
    let units = value["units"].as_array().unwrap().len();
    // More inputs than units (the same ones again), and a limit the units keep to.
    let inputs = value["inputs"].as_array().unwrap().clone();
    let repeated: Vec<Value> = inputs.iter().cycle().take(units + 1).cloned().collect();
    value["inputs"] = Value::Array(repeated);
    let limits = Limits::default().max_units(units);
    let response = response_for(&value.to_string(), &limits);
    assert!(!response.ok);
    let d = response
        .diagnostics
        .iter()
        .find(|d| {
            d.message
                .contains(&format!("more than the limit of {units} (max_units)"))
        })
        .unwrap();
    assert!(
        d.location
            .pointer
            .as_ref()
            .is_some_and(|p| p.as_str().starts_with("/inputs")),
        "{d:?}"
    );
}

/// A key given twice in one unit's input (an indicator of its values, or a field) is
/// not collapsed to its last occurrence: that unit is unreadable, with the key and its
/// place named, and the other units are decided as before.
#[test]
fn a_key_given_twice_in_an_input_makes_that_input_unreadable() {
    let values = "\"values\": {";
    let at = REQUEST.find(values).unwrap() + values.len();
    let twice_indicator = format!(
        "{}\"1.1\": {{\"flag\": false}}, {}",
        &REQUEST[..at],
        &REQUEST[at..]
    );
    let unit = "\"unit\": \"C01\"";
    let at = REQUEST.find(unit).unwrap();
    let twice_field = format!("{}{unit}, {}", &REQUEST[..at], &REQUEST[at..]);
    for (text, pointer, message) in [
        (
            twice_indicator.as_str(),
            "/inputs/0/data/values",
            "indicator `1.1` is given more than once",
        ),
        (
            twice_field.as_str(),
            "/inputs/0/data",
            "duplicate field `unit`",
        ),
    ] {
        let response = response_for(text, &Limits::default());
        assert!(response.ok);
        let d = diagnostic_of(&response, "C01")
            .unwrap_or_else(|| panic!("no diagnostic for C01 ({message})"));
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            d.location.pointer.as_ref().map(|p| p.as_str()),
            Some(pointer)
        );
        assert!(d.message.contains(message), "{}", d.message);
        assert!(response.results["C01"].decision().is_none(), "{message}");
        for code in ["C02", "C05"] {
            assert!(response.results[code].decision().is_some(), "{code}");
        }
    }
}

/// A request whose inputs all read is read in one pass, each input straight from the
/// request's text; one malformed input makes it read again, each input from its own text.
/// Both give the same inputs: the well-formed ones equal, the malformed one unreadable.
#[test]
fn inputs_read_in_one_pass_equal_inputs_read_one_by_one() {
    use ntm_rules::contract::RequestInput;
    let dir = format!("{}/data/bac_giang_2022", env!("CARGO_MANIFEST_DIR"));
    let text = serde_json::to_string(&Request::from_dir(dir).unwrap()).unwrap();
    let limits = Limits::default();
    // One pass (what the facade reads), and input by input (serde's own reading).
    let once = Request::from_json(&text, &limits).unwrap();
    let by_input: Request = serde_json::from_str(&text).unwrap();
    assert!(once.inputs.len() > 1000);
    assert_eq!(once.inputs, by_input.inputs);
    assert_eq!(
        serde_json::to_value(&once).unwrap(),
        serde_json::to_value(&by_input).unwrap()
    );

    // The same with a malformed input in the middle: the others read as before.
    let bad = r#"{"data": {"unit": "X-1", "year": 2022, "values": {"1.1": {"number": 0.5}}}}"#;
    let at = text.find("\"inputs\":[").unwrap() + "\"inputs\":[".len();
    let mut spliced = text.clone();
    spliced.insert_str(at, &format!("{bad},"));
    let again = Request::from_json(&spliced, &limits).unwrap();
    assert_eq!(again.inputs.len(), once.inputs.len() + 1);
    let RequestInput::Unreadable { unit, error, .. } = &again.inputs[0] else {
        panic!("the malformed input reads");
    };
    assert_eq!(unit.as_ref().map(|u| u.as_str()), Some("X-1"));
    assert_eq!(error.pointer().as_str(), "/data/values/1.1/number");
    assert_eq!(&again.inputs[1..], &once.inputs[..]);
}
