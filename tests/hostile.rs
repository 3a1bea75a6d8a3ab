//! Hostile input: limits give clear errors, and nothing panics.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use ntm_rules::model::{from_json_with_limits, CriteriaSet, IndicatorData, Limits};

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = from_json_with_limits::<CriteriaSet>("criteria set", &text, &Limits::default())
        .unwrap_err();
    assert_eq!(
        err.message(),
        "input nests deeper than the limit of 32 (max_depth)"
    );
    // The place is the array that opens past the limit.
    assert_eq!(err.pointer().as_str(), "/0".repeat(32));
    assert_eq!(err.position(), (1, 33));
}

#[test]
fn brackets_inside_strings_do_not_count_as_nesting() {
    let text = format!(r#"{{"unit": "{}", "year": 2022}}"#, "[{".repeat(100));
    let data: IndicatorData =
        from_json_with_limits("indicator data", &text, &Limits::default().max_depth(2)).unwrap();
    assert_eq!(data.unit.as_str().len(), 200);
}

#[test]
fn too_many_units() {
    let err = Limits::default()
        .max_units(10)
        .check_units("request", 11)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read request: 11 units, more than the limit of 10 (max_units)"
    );
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "", "{", "null", "[]", "\"\"", "{\"id\":1}", "\u{0}", "{\"unit\":\"a\",\"year\":99999}",
        "{\"unit\":\"a\",\"year\":2022,\"values\":{\"1\":{\"number\":\"79228162514264337593543950336\"}}}",
        "{\"unit\":\"a\",\"year\":2022,\"values\":{\"1\":{\"number\":\"1e400\"}}}",
    ];
    for text in inputs {
        assert!(
            IndicatorData::from_json(text).is_err(),
            "{text:?} should not load"
        );
        assert!(
            CriteriaSet::from_json(text).is_err(),
            "{text:?} should not load"
        );
    }
}

/// A request with `n` inputs followed by `tail` inside the inputs array.
fn request_with_inputs(n: usize, tail: &str) -> String {
    let input = r#"{"data": {"unit": "C", "year": 2022}}"#;
    let inputs = vec![input; n].join(", ");
    format!(
        r#"{{"version": 1, "year": 2022, "date": "2022-12-31", "units": [], "sets": [],
        "inputs": [{inputs}{tail}]}}"#
    )
}

#[test]
fn unit_limit_stops_reading_at_the_first_unit_past_it() {
    use ntm_rules::contract::Request;
    let limits = Limits::default().max_units(10);
    // Eleven inputs, then text that is not JSON: reading stops at the eleventh input,
    // so the error is the limit, never the syntax error after it.
    let text = request_with_inputs(11, ", @@@ not json");
    let err = from_json_with_limits::<Request>("request", &text, &limits).unwrap_err();
    assert_eq!(
        err.message(),
        "at least 11 units, more than the limit of 10 (max_units)"
    );
    assert_eq!(err.pointer().as_str(), "/inputs");
    assert!(err.position().0 > 0, "the place in the text is kept: {err}");
    // Ten are within the limit: the rest is then read, and its syntax error reported.
    let text = request_with_inputs(10, ", @@@ not json");
    let err = from_json_with_limits::<Request>("request", &text, &limits).unwrap_err();
    assert!(err.message().contains("expected value"), "{err}");
    assert_eq!(
        from_json_with_limits::<Request>("request", &request_with_inputs(10, ""), &limits)
            .unwrap()
            .inputs
            .len(),
        10
    );
    // The contract reports the same, at the same place.
    let response = ntm_rules::contract::response_for(&request_with_inputs(11, ""), &limits);
    let json = serde_json::to_value(&response).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["diagnostics"][0]["pointer"], "/inputs");
    assert_eq!(
        json["diagnostics"][0]["message"],
        "at least 11 units, more than the limit of 10 (max_units)"
    );
    assert_eq!(
        json["diagnostics"][0]["limit"],
        serde_json::json!({"name": "max_units", "value": 10})
    );
}

#[test]
fn oversized_body_is_refused_without_being_parsed() {
    // A request of another version, over the byte limit: parsing it would find the
    // version and report it; refusing it unparsed reports the size only.
    let limits = Limits::default().max_bytes(1_000);
    let text = format!(r#"{{"version": 2, "notice": "{}"}}"#, "x".repeat(2_000));
    let response = ntm_rules::contract::response_for(&text, &limits);
    let json = serde_json::to_value(&response).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{json}");
    assert_eq!(
        diagnostics[0]["message"],
        format!(
            "input is {} bytes, more than the limit of 1000 (max_bytes)",
            text.len()
        )
    );
    // Within the limit, the version is found and reported first.
    let small = r#"{"version": 2}"#;
    let json = serde_json::to_value(ntm_rules::contract::response_for(small, &limits)).unwrap();
    assert_eq!(json["diagnostics"][0]["pointer"], "/version");
}

#[test]
fn a_unit_input_read_again_for_another_error_is_not_said_past_a_limit() {
    // Read in text order, the values go past the limit first; read again as a value
    // (keys in order), the unit's wrong type comes first: that is the error given, and it
    // names no limit.
    let values: Vec<String> = (0..3)
        .map(|i| format!(r#""x.{i}": {{"flag": true}}"#))
        .collect();
    let text = format!(
        r#"{{"version": 1, "year": 2022, "date": "2022-12-31", "units": [], "sets": [],
        "inputs": [{{"data": {{"values": {{{}}}, "unit": 5, "year": 2022}}}}]}}"#,
        values.join(", ")
    );
    let limits = Limits::default().max_indicators(2);
    let response = ntm_rules::contract::response_for(&text, &limits);
    let d = response
        .diagnostics
        .iter()
        .find(|d| {
            d.location
                .pointer
                .as_ref()
                .is_some_and(|p| p.as_str().starts_with("/inputs/0"))
        })
        .unwrap();
    assert!(d.message.contains("invalid type"), "{d:?}");
    assert_eq!(d.limit, None, "{d:?}");
    // Alone, the values past the limit are said so.
    let text = text.replace(r#""unit": 5"#, r#""unit": "C""#);
    let response = ntm_rules::contract::response_for(&text, &limits);
    let d = response
        .diagnostics
        .iter()
        .find(|d| d.limit.is_some())
        .unwrap();
    assert_eq!(
        d.location.pointer.as_ref().unwrap().as_str(),
        "/inputs/0/data/values"
    );
}
