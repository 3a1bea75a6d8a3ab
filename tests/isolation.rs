//! Batch isolation, proved (issue 16, item 5): corrupt one unit's input of a valid
//! request in any way, and every other unit's result is unchanged (but for the units
//! above it, which read it), and the corrupted one is reported, naming it or its place.
//!
//! The request is one district of the Bắc Giang 2022 data set on the national catalog
//! sets with the illustrative overlay (the real path): its communes and villages.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a panic is a test failure"
)]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use ntm_rules::contract::{self, Request};
use ntm_rules::model::Limits;
use proptest::prelude::*;
use serde_json::{json, Value};

const DISTRICT: &str = "215";

/// The district's request and its response.
fn base() -> &'static (Value, Value) {
    static BASE: OnceLock<(Value, Value)> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bac_giang_2022_catalog");
        let mut req =
            serde_json::to_value(Request::from_dir(std::path::Path::new(dir)).unwrap()).unwrap();
        let keep = |code: &str| code == DISTRICT || code.starts_with(&format!("{DISTRICT}."));
        let province = req["plan"]["scope"].clone();
        let units: Vec<Value> = req["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["code"] == province || keep(u["code"].as_str().unwrap()))
            .cloned()
            .collect();
        let inputs: Vec<Value> = req["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| keep(i["data"]["unit"].as_str().unwrap()))
            .cloned()
            .collect();
        req["units"] = Value::Array(units);
        req["inputs"] = Value::Array(inputs);
        let obj = req.as_object_mut().unwrap();
        obj.remove("plan");
        obj.remove("rollups");
        let response = respond(&req);
        assert_eq!(response["ok"], true, "{:#}", response["diagnostics"]);
        (req, response)
    })
}

fn respond(request: &Value) -> Value {
    let text = contract::handle_json_with_limits(&request.to_string(), &Limits::default());
    serde_json::from_str(&text).unwrap()
}

/// The codes of `unit` and the units above it.
fn with_ancestors(request: &Value, unit: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut at = Some(unit.to_owned());
    while let Some(code) = at {
        at = request["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == code.as_str())
            .and_then(|u| u["parent"].as_str().map(str::to_owned));
        out.insert(code);
    }
    out
}

/// One way of breaking an input: each is wrong for any input of the data set.
#[derive(Debug, Clone)]
enum Corruption {
    /// A value of an indicator the unit reads, replaced by something that is not a value.
    BadValue(usize, Value),
    /// A number with more precision than a decimal holds.
    TooPrecise(usize),
    /// An unknown field at some level of the input.
    UnknownField(&'static str),
    /// The data's year of the wrong type.
    YearNotANumber,
    /// A region no threshold knows.
    UnknownRegion,
    /// A history event of the wrong shape.
    BadHistory(Value),
    /// The whole input replaced by another JSON value (keeping nothing).
    NotAnInput(Value),
    /// An indicator no set reads.
    UnreadValue,
}

fn corruption() -> impl Strategy<Value = Corruption> {
    let not_a_value = prop_oneof![
        Just(json!({"number": "twelve"})),
        Just(json!({"number": 12.5})),
        Just(json!({"flag": "yes"})),
        Just(json!({"grade": 7})),
        Just(json!({"nope": true})),
        Just(json!(null)),
        Just(json!([1, 2])),
        Just(json!("12")),
    ];
    prop_oneof![
        (any::<usize>(), not_a_value).prop_map(|(k, v)| Corruption::BadValue(k, v)),
        any::<usize>().prop_map(Corruption::TooPrecise),
        prop_oneof![Just(""), Just("data"), Just("profile")].prop_map(Corruption::UnknownField),
        Just(Corruption::YearNotANumber),
        Just(Corruption::UnknownRegion),
        prop_oneof![
            Just(json!({"tier": "standard", "year": "2019", "kind": "recognised"})),
            Just(json!({"tier": "standard", "year": 2019, "kind": "promoted"})),
            Just(json!(42)),
        ]
        .prop_map(Corruption::BadHistory),
        prop_oneof![
            Just(json!(null)),
            Just(json!([])),
            Just(json!("input")),
            Just(json!({}))
        ]
        .prop_map(Corruption::NotAnInput),
        Just(Corruption::UnreadValue),
    ]
}

/// Replaces the `k`-th value of the input (modulo their number) with `v`.
fn set_value(input: &mut Value, k: usize, v: Value) {
    let values = input["data"]["values"].as_object_mut().unwrap();
    if values.is_empty() {
        values.insert("1.1".to_owned(), json!({"flag": true}));
    }
    let key = values.keys().nth(k % values.len()).unwrap().clone();
    values[&key] = v;
}

fn corrupt(input: &mut Value, c: &Corruption) {
    match c {
        Corruption::BadValue(k, v) => set_value(input, *k, v.clone()),
        Corruption::TooPrecise(k) => set_value(
            input,
            *k,
            json!({"number": "1.00000000000000000000000000000000001"}),
        ),
        Corruption::UnknownField(at) => {
            let target = if at.is_empty() {
                &mut *input
            } else {
                &mut input[*at]
            };
            if !target.is_object() {
                *target = json!({});
            }
            target["colour"] = json!("green");
        }
        Corruption::YearNotANumber => input["data"]["year"] = json!("2022"),
        Corruption::UnknownRegion => input["profile"]["region"] = json!("mars"),
        Corruption::BadHistory(event) => input["history"]["events"] = json!([event]),
        Corruption::NotAnInput(v) => *input = v.clone(),
        Corruption::UnreadValue => {
            input["data"]["values"]["ZZ.9"] = json!({"flag": true});
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn one_corrupted_input_changes_no_other_units_result_and_is_reported(
        pick in any::<usize>(),
        how in corruption(),
    ) {
        let (req, before) = base();
        let n = req["inputs"].as_array().unwrap().len();
        let i = pick % n;
        let unit = req["inputs"][i]["data"]["unit"].as_str().unwrap().to_owned();
        let mut bad = req.clone();
        corrupt(&mut bad["inputs"][i], &how);
        let after = respond(&bad);
        prop_assert_eq!(&after["ok"], &json!(true), "{:#}", after["diagnostics"]);

        // Every other unit's result is what it was, but for those that read this one.
        let readers = with_ancestors(req, &unit);
        for (code, result) in before["results"].as_object().unwrap() {
            if readers.contains(code) {
                continue;
            }
            prop_assert_eq!(Some(result), after["results"].get(code), "unit {} changed", code);
        }

        // The corrupted input is reported: a diagnostic names the unit or points into
        // the input.
        let place = format!("/inputs/{i}");
        let reported = after["diagnostics"].as_array().unwrap().iter().any(|d| {
            d["unit"] == unit.as_str()
                || d["pointer"].as_str().is_some_and(|p| p == place || p.starts_with(&format!("{place}/")))
        });
        prop_assert!(reported, "{:?} of {} (input {}) not reported: {:#}", how, unit, i, after["diagnostics"]);
    }
}
