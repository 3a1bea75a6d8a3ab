//! The package on the host: the one-unit evaluator gives what the library's Rust API
//! gives, bad input is data with its place, and the contract is the library's.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use ntm_rules::{Evaluator, History, IndicatorData, Profile, Value};
use ntm_wasm::UnitEvaluator;
use serde_json::{json, Value as Json};
use std::path::PathBuf;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap()
}

fn parse(text: &str) -> Json {
    serde_json::from_str(text).unwrap()
}

/// The illustrative sets as inline sources (they are not in the catalog).
fn illustrative_setup() -> Json {
    let sets: Vec<Json> = ntm_rules::policy::illustrative::commune_sets()
        .iter()
        .map(|s| json!({ "inline": s }))
        .collect();
    json!({ "sets": sets, "year": 2022 })
}

/// The values of a unit as a form holds them: numbers as text, yes/no as booleans.
fn typed(data: &IndicatorData) -> Json {
    data.values
        .iter()
        .map(|(id, v)| {
            let given = match v {
                Value::Number(d) => json!(d.to_string()),
                Value::Flag(b) => json!(b),
                Value::Grade(g) => json!(g),
                Value::NotApplicable => json!("not_applicable"),
            };
            (id.to_string(), given)
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The package's answer is the library's: the same assessments and decision, as JSON.
fn assert_same_as_rust_api(got: &Json, want: &ntm_rules::engine::UnitEvaluation) {
    assert_eq!(
        got["assessments"],
        serde_json::to_value(&want.assessments).unwrap()
    );
    assert_eq!(
        got["decision"],
        serde_json::to_value(&want.decision).unwrap()
    );
}

#[test]
fn evaluator_gives_the_rust_apis_assessments_and_decision() {
    let sets = ntm_rules::policy::illustrative::commune_sets();
    let data = ntm_rules::policy::illustrative::sample_commune("unit", 2022);
    let profile = Profile::in_region(ntm_rules::Region::Tdmnpb);
    let want = Evaluator::new(sets, 2022)
        .evaluate(&profile, &data, &History::default())
        .unwrap();

    let mut ev = UnitEvaluator::new(&illustrative_setup().to_string());
    assert!(ev.ok());
    let got =
        parse(&ev.evaluate(&json!({ "profile": profile, "values": typed(&data) }).to_string()));
    assert_eq!(got["ok"], true, "{got}");
    assert_same_as_rust_api(&got, &want);
    assert_eq!(got["input_errors"], json!([]));
    assert!(
        got["decision"]["verdict"]["verdict"] == "recognise",
        "{got}"
    );
}

#[test]
fn history_given_with_the_unit_is_the_one_decided_from() {
    let sets = ntm_rules::policy::illustrative::commune_sets();
    let data = ntm_rules::policy::illustrative::sample_commune("unit", 2022);
    let profile = Profile::in_region(ntm_rules::Region::Tdmnpb);
    let history = History::recognised("standard", 2020);
    let want = Evaluator::new(sets, 2022)
        .evaluate(&profile, &data, &history)
        .unwrap();
    let mut ev = UnitEvaluator::new(&illustrative_setup().to_string());
    let got = parse(&ev.evaluate(
        &json!({ "profile": profile, "values": typed(&data), "history": history }).to_string(),
    ));
    assert_same_as_rust_api(&got, &want);
    assert_eq!(got["decision"]["held"], "standard", "{got}");
}

#[cfg(feature = "catalog")]
#[test]
fn catalog_sets_with_the_bac_giang_overlay_give_the_rust_apis_outcomes() {
    let scenario = parse(&read("examples/web/test/scenario.json"));
    let overlay_text = read(scenario["overlay"].as_str().unwrap());
    let overlay: ntm_rules::policy::Overlay =
        ntm_rules::model::from_json("overlay", &overlay_text).unwrap();
    let ids: Vec<&str> = scenario["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let sets: Vec<ntm_rules::CriteriaSet> = ids
        .iter()
        .map(|id| {
            let set = ntm_rules::policy::catalog::load(id).unwrap();
            ntm_rules::policy::apply_overlays(&set, std::slice::from_ref(&overlay)).unwrap()
        })
        .collect();
    let profile: Profile = serde_json::from_value(scenario["profile"].clone()).unwrap();
    let data: IndicatorData = serde_json::from_value(json!({
        "unit": "unit", "year": 2022, "values": scenario["values"],
    }))
    .unwrap();
    let want = Evaluator::new(sets, 2022)
        .evaluate(&profile, &data, &History::default())
        .unwrap();

    let setup = json!({
        "sets": ids.iter().map(|id| json!({ "catalog": id })).collect::<Vec<_>>(),
        "overlays": [{ "text": overlay_text }],
        "year": 2022,
    });
    let mut ev = UnitEvaluator::new(&setup.to_string());
    let sets = parse(&ev.sets());
    assert_eq!(sets["ok"], true, "{sets}");
    // The overlay also covers the village and district sets: said, not applied.
    let d = sets["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["severity"], "warning");
    assert!(d[0]["message"]
        .as_str()
        .unwrap()
        .contains("vn-2021-2025-district-standard"));
    let got =
        parse(&ev.evaluate(&json!({ "profile": profile, "values": typed(&data) }).to_string()));
    assert_same_as_rust_api(&got, &want);
    // The overlay filled thresholds: some indicators are decided, not all undetermined.
    let met = got["assessments"][0]["totals"]["met"].as_u64().unwrap();
    assert!(met > 0, "{}", got["assessments"][0]["totals"]);
}

#[test]
fn value_that_is_not_a_number_is_reported_for_its_field_and_the_rest_is_evaluated() {
    let mut ev = UnitEvaluator::new(&illustrative_setup().to_string());
    let data = ntm_rules::policy::illustrative::sample_commune("unit", 2022);
    let mut values = typed(&data);
    let (bad, _) = data
        .values
        .iter()
        .find(|(_, v)| matches!(v, Value::Number(_)))
        .unwrap();
    values[bad.as_str()] = json!("12,5");
    let got = parse(
        &ev.evaluate(&json!({ "profile": { "region": "tdmnpb" }, "values": values }).to_string()),
    );
    assert_eq!(got["ok"], true, "{got}");
    let errors = got["input_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["indicator"], bad.as_str());
    assert_eq!(errors[0]["given"], "12,5");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("`12,5` is not a number"));
    // The refused value is missing data for its indicator; the others are evaluated.
    let indicators: Vec<&Json> = got["assessments"][0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["indicators"].as_array().unwrap())
        .collect();
    let refused = indicators.iter().find(|i| i["id"] == bad.as_str()).unwrap();
    assert_eq!(refused["reason"], "missing_data");
    assert!(indicators.iter().any(|i| i["outcome"] == "met"));
}

#[test]
fn percentage_over_100_is_reported_for_its_field_not_for_the_whole_unit() {
    let mut ev = UnitEvaluator::new(&illustrative_setup().to_string());
    let set = &ntm_rules::policy::illustrative::commune_sets()[0];
    let percent = set
        .all_indicators()
        .find(|i| {
            matches!(
                &i.kind,
                ntm_rules::model::ValueKind::Decimal {
                    unit: ntm_rules::model::Unit::Percent
                }
            )
        })
        .unwrap();
    let data = ntm_rules::policy::illustrative::sample_commune("unit", 2022);
    let mut values = typed(&data);
    values[percent.id.as_str()] = json!("120");
    let got = parse(
        &ev.evaluate(&json!({ "profile": { "region": "tdmnpb" }, "values": values }).to_string()),
    );
    assert_eq!(got["ok"], true, "{got}");
    assert_eq!(got["input_errors"][0]["indicator"], percent.id.as_str());
    assert!(got["input_errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("outside 0-100"));
    assert_eq!(got["assessments"].as_array().unwrap().len(), 3);
}

#[test]
fn decision_is_withheld_while_a_value_is_refused() {
    let mut ev = UnitEvaluator::new(&illustrative_setup().to_string());
    let data = ntm_rules::policy::illustrative::sample_commune("unit", 2022);
    let mut values = typed(&data);
    // A value the sample has, made unreadable: without it the unit might still be
    // recognised, but a refused value must not be read as "no value".
    let (id, _) = data.values.iter().next().unwrap();
    values[id.as_str()] = json!("abc");
    let got = parse(
        &ev.evaluate(&json!({ "profile": { "region": "tdmnpb" }, "values": values }).to_string()),
    );
    assert!(got["decision"].is_null(), "{got}");
    assert!(got["decision_withheld"]
        .as_str()
        .unwrap()
        .contains("1 value(s) are refused"));
}

#[test]
fn a_catalog_set_file_given_as_text_is_read_though_longer_than_the_string_limit() {
    // The page's "set from a file" sends the file's text as one JSON string: 300 KB of
    // the national commune set, past the 64 KiB string limit, is a file, not a string.
    let text = read("data/catalog/vn-2021-2025-commune-standard.json");
    assert!(text.len() > 64 << 10);
    let setup = json!({"sets": [{ "text": text }], "year": 2022});
    let ev = UnitEvaluator::new(&setup.to_string());
    let got = parse(&ev.sets());
    assert_eq!(got["ok"], true, "{got:#}");
    assert_eq!(
        got["sets"][0]["id"], "vn-2021-2025-commune-standard",
        "{got:#}"
    );
    // Within the file, the string limit holds: a name past it is refused at its place.
    let mut set: Json = serde_json::from_str(&text).unwrap();
    set["name"]["vi"] = Json::from("x".repeat((64 << 10) + 1));
    let setup = json!({"sets": [{ "text": set.to_string() }], "year": 2022});
    let got = parse(&UnitEvaluator::new(&setup.to_string()).sets());
    assert_eq!(got["ok"], false, "{got:#}");
    let d = &got["diagnostics"][0];
    assert_eq!(d["field"], "/sets/0", "{d}");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("(max_string_bytes)"),
        "{d}"
    );
}

#[test]
fn set_file_that_is_not_a_set_is_reported_at_its_field_and_line() {
    let overlay = read("data/bac_giang_2022_catalog/overlay.json");
    let setup = json!({
        "sets": [{ "inline": ntm_rules::policy::illustrative::commune_sets()[0] },
                 { "text": overlay }, { "text": "not json" }],
        "year": 2022,
    });
    let ev = UnitEvaluator::new(&setup.to_string());
    assert!(!ev.ok());
    let got = parse(&ev.sets());
    assert_eq!(got["ok"], false);
    let d = got["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[0]["field"], "/sets/1");
    assert!(d[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("this file is not a criteria set"));
    assert_eq!(d[1]["field"], "/sets/2");
    assert_eq!(d[1]["line"], 1);
    // Evaluating with a broken setup gives the same problems, not a crash.
    let mut ev = ev;
    assert_eq!(parse(&ev.evaluate("{}"))["diagnostics"], got["diagnostics"]);
}

#[test]
fn overlay_entries_for_sets_not_given_are_a_warning_not_silence() {
    let overlay = json!({
        "id": "other", "authority": { "vi": "UBND", "en": "PPC" }, "source": { "document": "x" },
        "confidence": "illustrative",
        "thresholds": [{ "set": "no-such-set", "indicator": "1.1", "threshold": { "flag": true } }],
    });
    let mut setup = illustrative_setup();
    setup["overlays"] = json!([{ "inline": overlay }]);
    let ev = UnitEvaluator::new(&setup.to_string());
    let got = parse(&ev.sets());
    assert_eq!(got["ok"], true, "{got}");
    assert_eq!(got["diagnostics"][0]["severity"], "warning");
    assert_eq!(got["diagnostics"][0]["field"], "/overlays/0");
    assert_eq!(
        got["diagnostics"][0]["message"],
        "1 of the 1 entries of overlay `other` are for sets not given here, and are not applied: no-such-set"
    );
}

#[test]
fn malformed_setup_and_unit_input_are_error_objects_with_pointers() {
    let ev = UnitEvaluator::new(r#"{"sets": [], "year": "2022"}"#);
    let got = parse(&ev.sets());
    assert_eq!(got["ok"], false);
    assert_eq!(got["diagnostics"][0]["pointer"], "/year");

    let mut ev = UnitEvaluator::new(&illustrative_setup().to_string());
    let got = parse(&ev.evaluate(r#"{"profile": {"region": "atlantis"}}"#));
    assert_eq!(got["ok"], false);
    assert_eq!(got["diagnostics"][0]["pointer"], "/profile/region");
    let got = parse(&ev.evaluate(r#"{"values": {"1.1": 80}}"#));
    assert_eq!(
        got["ok"], false,
        "a JSON number is refused, not read: {got}"
    );
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let got = parse(&ev.evaluate(&deep));
    assert_eq!(got["ok"], false);
    assert!(
        got["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nests deeper than the limit"),
        "{got}"
    );
}

#[test]
fn no_set_at_all_is_an_error_not_an_empty_result() {
    let got = parse(&UnitEvaluator::new(r#"{"sets": [], "year": 2022}"#).sets());
    assert_eq!(got["ok"], false);
    assert_eq!(got["diagnostics"][0]["field"], "/sets");
}

#[test]
fn handle_gives_the_contract_response_of_the_library() {
    let request = read("examples/requests/province.json");
    assert_eq!(
        ntm_wasm::handle(&request),
        ntm_rules::contract::handle_json(&request)
    );
    let bad = parse(&ntm_wasm::handle("{"));
    assert_eq!(bad["ok"], false);
}

#[cfg(feature = "catalog")]
#[test]
fn catalog_lists_every_built_in_set() {
    let got = parse(&ntm_wasm::catalog());
    assert!(ntm_wasm::has_catalog());
    let ids: Vec<&str> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = ntm_rules::policy::catalog::entries()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, want);
}

#[cfg(not(feature = "catalog"))]
#[test]
fn catalog_id_without_the_catalog_feature_is_refused_with_a_message() {
    assert!(!ntm_wasm::has_catalog());
    assert_eq!(ntm_wasm::catalog(), "[]");
    let ev = UnitEvaluator::new(
        r#"{"sets": [{"catalog": "vn-2021-2025-commune-standard"}], "year": 2022}"#,
    );
    let got = parse(&ev.sets());
    assert_eq!(got["ok"], false);
    assert!(got["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("feature `catalog`"));
}

#[test]
fn input_past_a_limit_is_refused_naming_the_limit_and_its_place() {
    // The contract: the diagnostic names the limit, its value and the JSON Pointer.
    let mut request: Json = serde_json::from_str(&read("examples/requests/province.json")).unwrap();
    request["units"][0]["name"]["vi"] = json!("x".repeat((64 << 10) + 1));
    let got = parse(&ntm_wasm::handle(&request.to_string()));
    assert_eq!(got["ok"], false);
    let d = &got["diagnostics"][0];
    assert_eq!(
        d["limit"],
        json!({"name": "max_string_bytes", "value": 65536}),
        "{d}"
    );
    assert_eq!(d["pointer"], "/units/0/name/vi");
    // A unit's input: the message names the limit, the pointer its place.
    let mut ev = UnitEvaluator::new(&illustrative_setup().to_string());
    let input = json!({"unit": "x".repeat((64 << 10) + 1)});
    let got = parse(&ev.evaluate(&input.to_string()));
    assert_eq!(got["ok"], false);
    let d = &got["diagnostics"][0];
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .ends_with("more than the limit of 65536 (max_string_bytes)"),
        "{d}"
    );
    assert_eq!(d["pointer"], "/unit", "{d}");
}
