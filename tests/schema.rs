//! JSON Schemas: snapshots, and agreement between the schemas and the loader.
//!
//! Run with `UPDATE_SNAPSHOTS=1 cargo test --test schema` to rewrite the snapshots after
//! an intended format change, then review the diff.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use ntm_rules::contract::{schema, SchemaKind};
use ntm_rules::model::{CriteriaSet, History, IndicatorData};
use ntm_rules::policy::PolicyTests;
use serde_json::Value;

fn snapshot_path(kind: SchemaKind) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{}.schema.json", kind.name()))
}

#[test]
fn schemas_match_their_snapshots() {
    for kind in SchemaKind::ALL {
        let text = serde_json::to_string_pretty(&schema(kind)).unwrap() + "\n";
        let path = snapshot_path(kind);
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            stored == text,
            "schema `{}` differs from {}; rerun with UPDATE_SNAPSHOTS=1 and review",
            kind.name(),
            path.display()
        );
    }
}

fn validator(kind: SchemaKind) -> jsonschema::Validator {
    jsonschema::validator_for(&schema(kind)).unwrap()
}

fn loads(kind: SchemaKind, text: &str) -> bool {
    match kind {
        SchemaKind::CriteriaSet => CriteriaSet::from_json(text).is_ok(),
        SchemaKind::IndicatorData => IndicatorData::from_json(text).is_ok(),
        SchemaKind::History => History::from_json(text).is_ok(),
        SchemaKind::PolicyTests => PolicyTests::from_json(text).is_ok(),
        SchemaKind::Overlay => ntm_rules::policy::Overlay::from_json(text).is_ok(),
        SchemaKind::Plan => ntm_rules::tree::Plan::from_json(text).is_ok(),
        SchemaKind::Request => {
            ntm_rules::model::from_json::<ntm_rules::contract::Request>("request", text).is_ok()
        }
        _ => unreachable!("every kind is listed"),
    }
}

const GOOD: &[(SchemaKind, &str)] = &[
    (
        SchemaKind::CriteriaSet,
        include_str!("../data/illustrative/commune_standard.json"),
    ),
    (
        SchemaKind::CriteriaSet,
        include_str!("../data/illustrative/commune_advanced.json"),
    ),
    (
        SchemaKind::CriteriaSet,
        include_str!("../data/illustrative/commune_model.json"),
    ),
    (
        SchemaKind::PolicyTests,
        include_str!("../data/illustrative/policy_tests.json"),
    ),
    (
        SchemaKind::IndicatorData,
        r#"{"unit": "07672", "year": 2022, "values": {"10.1": {"number": "46.2"}, "1.1": {"flag": true}, "17.3": {"number": 2}, "17.2": {"grade": "partial"}, "2.3": "not_applicable"}}"#,
    ),
    (
        SchemaKind::History,
        r#"{"events": [{"tier": "standard", "year": 2019, "kind": "recognised", "decision": "1/QĐ-UBND"}]}"#,
    ),
];

#[test]
fn good_files_validate_and_load() {
    for (kind, text) in GOOD {
        let instance: Value = serde_json::from_str(text).unwrap();
        let v = validator(*kind);
        let errors: Vec<String> = v.iter_errors(&instance).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", kind.name());
        assert!(loads(*kind, text), "{} does not load", kind.name());
    }
}

#[test]
fn every_catalog_file_validates_against_the_schema() {
    let v = validator(SchemaKind::CriteriaSet);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalog");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let instance: Value = serde_json::from_str(&text).unwrap();
            let errors: Vec<String> = v.iter_errors(&instance).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            assert!(loads(SchemaKind::CriteriaSet, &text));
            n += 1;
        }
    }
    assert_eq!(n, ntm_rules::policy::catalog::entries().len());
}

#[test]
fn bad_files_are_rejected_by_schema_and_loader() {
    let data = |values: &str| format!(r#"{{"unit": "A", "year": 2022, "values": {values}}}"#);
    let bad: Vec<(SchemaKind, String, &str)> = vec![
        (
            SchemaKind::IndicatorData,
            data(r#"{"10.1": {"number": 46.2}}"#),
            "given as a JSON number with a fraction: write it as a string, \"46.2\"",
        ),
        (
            SchemaKind::IndicatorData,
            data(r#"{"10.1": {"numbr": "46.2"}}"#),
            "unknown variant",
        ),
        (
            SchemaKind::IndicatorData,
            data(r#"{"10.1": {"number": "4x"}}"#),
            "invalid decimal",
        ),
        (
            SchemaKind::IndicatorData,
            r#"{"unit": "A", "values": {}}"#.into(),
            "missing field `year`",
        ),
        (
            SchemaKind::IndicatorData,
            r#"{"unit": "A", "year": 2022, "colour": 1}"#.into(),
            "unknown field `colour`",
        ),
        (
            SchemaKind::IndicatorData,
            r#"{"unit": "A", "year": -1}"#.into(),
            "invalid value",
        ),
        (
            SchemaKind::History,
            r#"{"events": [{"tier": "standard", "year": 2019, "kind": "granted"}]}"#.into(),
            "unknown variant `granted`",
        ),
        (
            SchemaKind::CriteriaSet,
            include_str!("../data/illustrative/commune_standard.json").replacen(
                "\"requirement\": \"at_least\"",
                "\"requirement\": \"atleast\"",
                1,
            ),
            "unknown variant `atleast`",
        ),
        (
            SchemaKind::CriteriaSet,
            include_str!("../data/illustrative/commune_standard.json").replacen(
                "\"confidence\": \"illustrative\"",
                "\"confidence\": \"sure\"",
                1,
            ),
            "unknown variant `sure`",
        ),
        (
            SchemaKind::CriteriaSet,
            include_str!("../data/illustrative/commune_standard.json").replacen(
                "\"threshold\": {",
                "\"treshold\": {",
                1,
            ),
            "unknown field `treshold`",
        ),
    ];
    for (kind, text, message) in bad {
        let instance: Value = serde_json::from_str(&text).unwrap();
        assert!(
            !validator(kind).is_valid(&instance),
            "schema accepts: {text}"
        );
        let err = match kind {
            SchemaKind::CriteriaSet => CriteriaSet::from_json(&text).unwrap_err(),
            SchemaKind::IndicatorData => IndicatorData::from_json(&text).unwrap_err(),
            SchemaKind::History => History::from_json(&text).unwrap_err(),
            _ => unreachable!(),
        };
        assert!(
            err.to_string().contains(message),
            "{err} does not say `{message}`"
        );
    }
}

#[test]
fn load_errors_carry_the_json_path() {
    let text = include_str!("../data/illustrative/commune_standard.json").replacen(
        "\"requirement\": \"at_least\"",
        "\"requirement\": \"atleast\"",
        1,
    );
    let err = CriteriaSet::from_json(&text).unwrap_err();
    assert_eq!(err.path(), "criteria[1].indicators[0].requirement");
    assert_eq!(
        err.pointer().as_str(),
        "/criteria/1/indicators/0/requirement"
    );
    assert_eq!(err.position(), (111, 34));
    // The message keeps the place: the pointer, and the line and column of the text.
    assert_eq!(
        err.to_string(),
        "cannot read criteria set at `/criteria/1/indicators/0/requirement` (line 111, column \
         34): unknown variant `atleast`, expected one of `at_least`, `at_most`, `above`, \
         `below`, `equal`, `one_of`"
    );
}

#[test]
fn the_example_response_validates_against_the_response_schema() {
    let instance: Value =
        serde_json::from_str(include_str!("../examples/requests/province.response.json")).unwrap();
    let v = validator(SchemaKind::Response);
    let errors: Vec<String> = v.iter_errors(&instance).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn negative_weight_is_refused_by_schema_and_loader_alike() {
    let mut request: serde_json::Value =
        serde_json::from_str(include_str!("../examples/requests/province.json")).unwrap();
    // Only the first input: the example holds a malformed one on purpose.
    request["inputs"] = serde_json::json!([request["inputs"][0].clone()]);
    let validator = validator(SchemaKind::Request);
    assert!(validator.is_valid(&request));
    for (weight, refused) in [
        (serde_json::json!("-1000"), true),
        (serde_json::json!(-3), true),
        (serde_json::json!("-0.5"), true),
        (serde_json::json!("-0.00"), false),
        (serde_json::json!("1250"), false),
        (serde_json::json!(0), false),
    ] {
        let mut r = request.clone();
        r["inputs"][0]["weights"] = serde_json::json!({ "households": weight });
        let errors: Vec<String> = validator.iter_errors(&r).map(|e| e.to_string()).collect();
        assert_eq!(!errors.is_empty(), refused, "schema, {weight}: {errors:?}");
        let loaded: Result<ntm_rules::tree::UnitInput, _> =
            serde_json::from_value(r["inputs"][0].clone());
        assert_eq!(loaded.is_err(), refused, "loader, {weight}");
    }
}

/// What the loader may hold exactly, computed here without the crate: at most 28 decimal
/// places once trailing zeros are dropped, and a coefficient below 2^96.
fn holds_exactly(text: &str) -> bool {
    let t = text.trim_matches([' ', '\t', '\n', '\r']);
    let body = t.trim_start_matches(['+', '-']);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let frac = frac.trim_end_matches('0');
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    const TWO_96: &str = "79228162514264337593543950336";
    frac.len() <= 28
        && (digits.len() < TWO_96.len() || digits.len() == TWO_96.len() && digits < TWO_96)
}

/// Whether the indicator-data schema and the loader accept `text` as a decimal.
fn decimal_verdicts(text: &str) -> (bool, bool) {
    let instance =
        serde_json::json!({"unit": "A", "year": 2022, "values": {"10.1": {"number": text}}});
    static DATA: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let schema_ok = DATA
        .get_or_init(|| validator(SchemaKind::IndicatorData))
        .is_valid(&instance);
    let loader_ok = IndicatorData::from_json(&instance.to_string()).is_ok();
    (schema_ok, loader_ok)
}

fn assert_decimal_agreement(text: &str) {
    let (schema_ok, loader_ok) = decimal_verdicts(text);
    assert_eq!(
        loader_ok,
        schema_ok && holds_exactly(text),
        "`{text:?}`: schema {schema_ok}, loader {loader_ok}"
    );
}

#[test]
fn decimal_schema_pattern_and_loader_accept_the_same_strings() {
    let table: &[(&str, bool)] = &[
        ("78.5", true),
        ("80", true),
        ("-0.5", true),
        ("+1", true),
        (".5", true),
        ("5.", true),
        (" 78.5 ", true),
        ("\t78.5\n", true),
        ("1_000", false),
        ("1e3", false),
        ("1E3", false),
        ("", false),
        (" ", false),
        (".", false),
        ("+", false),
        ("-", false),
        ("+-1", false),
        ("1.2.3", false),
        ("1 000", false),
        ("0x10", false),
        ("\u{a0}1", false),
        ("\u{feff}1", false),
        ("\u{0661}", false),
        ("NaN", false),
        ("inf", false),
    ];
    for &(text, expected) in table {
        let (schema_ok, loader_ok) = decimal_verdicts(text);
        assert_eq!((schema_ok, loader_ok), (expected, expected), "`{text:?}`");
    }
    // Precision is not syntax: the pattern accepts these, the loader refuses them rather
    // than rounding (a pattern cannot say "below 2^96"), and the schema says so.
    for text in [
        "79.99999999999999999999999999999",
        "80.0000000000000000000000000001",
        "79228162514264337593543950336",
    ] {
        assert_eq!(decimal_verdicts(text), (true, false), "`{text}`");
    }
    let description = schema(SchemaKind::IndicatorData).to_string();
    assert!(
        description.contains("at most 28 decimal places"),
        "{description}"
    );
    // JSON numbers: the integer branch. A pattern cannot see how a number was written,
    // so `1.0` and `1e2` pass the schema as integers; the loader refuses them (they come
    // through floating point), and the schema's description says so.
    for (number, loads) in [("80", true), ("-3", true), ("1.0", false), ("1e2", false)] {
        let text = format!(
            r#"{{"unit": "A", "year": 2022, "values": {{"10.1": {{"number": {number}}}}}}}"#
        );
        let instance: Value = serde_json::from_str(&text).unwrap();
        assert!(
            validator(SchemaKind::IndicatorData).is_valid(&instance),
            "{number}"
        );
        assert_eq!(IndicatorData::from_json(&text).is_ok(), loads, "{number}");
    }
    assert!(
        description.contains("JSON Schema counts 1.0 and 1e2 as integers"),
        "{description}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    #[test]
    fn decimal_schema_and_loader_agree_on_generated_strings(
        text in "[ \t+\\-0-9._eE\u{a0}x]{0,8}|[+-]?[0-9]{0,32}(\\.[0-9]{0,32})?"
    ) {
        assert_decimal_agreement(&text);
    }
}

#[test]
fn decimal_past_28_places_in_data_is_refused_with_its_path() {
    let text = r#"{"unit": "A", "year": 2022, "values": {"10.1": {"number": "79.99999999999999999999999999999"}}}"#;
    let err = IndicatorData::from_json(text).unwrap_err();
    assert_eq!(err.pointer().as_str(), "/values/10.1/number");
    assert!(
        err.to_string().contains("more than 28 decimal places"),
        "{err}"
    );
}
