//! Hostile input: limits give clear errors, and nothing panics.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use ntm_rules::model::{from_json_with_limits, CriteriaSet, IndicatorData, Limits};

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = from_json_with_limits::<CriteriaSet>("criteria set", &text, &Limits::default())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot read criteria set: input nests deeper than the limit of 32"
    );
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
        "cannot read request: 11 units, more than the limit of 10"
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
