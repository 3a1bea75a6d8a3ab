//! `handle_json` writes its response straight from a compact pass (#12): its text must be
//! the text of `response_for`'s `Response` written by `serde_json::to_string`, byte for
//! byte, for every request: the golden cases, the example request, the data folders
//! (with and without their plan, milestones, roll-ups), failed requests, and the Bắc
//! Giang request with inputs randomly dropped, broken or changed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a panic is a test failure"
)]

use std::path::Path;
use std::sync::OnceLock;

use ntm_rules::contract::{handle_json_with_limits, response_for, Request};
use ntm_rules::model::Limits;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Both paths on one request text: the same bytes, else the first place they differ.
fn same_text(name: &str, text: &str, limits: &Limits) -> String {
    let streamed = handle_json_with_limits(text, limits);
    let built = serde_json::to_string(&response_for(text, limits)).unwrap();
    if streamed != built {
        let at = streamed
            .bytes()
            .zip(built.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(streamed.len().min(built.len()));
        let from = at.saturating_sub(200);
        panic!(
            "{name}: the texts differ at byte {at} (lengths {} and {}):\n streamed …{}\n built    …{}",
            streamed.len(),
            built.len(),
            &streamed[from..(at + 200).min(streamed.len())],
            &built[from..(at + 200).min(built.len())],
        );
    }
    streamed
}

fn ok(text: &str) -> bool {
    serde_json::from_str::<Value>(text).unwrap()["ok"] == true
}

fn data_request(folder: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(folder);
    serde_json::to_value(Request::from_dir(dir).unwrap()).unwrap()
}

/// The request without the fields named.
fn without(request: &Value, fields: &[&str]) -> Value {
    let mut r = request.clone();
    for f in fields {
        r.as_object_mut().unwrap().remove(*f);
    }
    r
}

#[test]
fn every_golden_request_gives_the_same_text_both_ways() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".request.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        same_text(&name, &text, &Limits::default());
        // The same request without its questions (the compact path when it had some).
        let value: Value = serde_json::from_str(&text).unwrap();
        if value.get("questions").is_some() {
            let plain = without(&value, &["questions"]).to_string();
            same_text(
                &format!("{name} without questions"),
                &plain,
                &Limits::default(),
            );
        }
        seen += 1;
    }
    assert!(seen >= 20, "{seen} golden requests");
}

#[test]
fn the_example_request_gives_the_same_text_both_ways() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/requests/province.json");
    let text = std::fs::read_to_string(path).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert!(value.get("plan").is_some());
    assert!(ok(&same_text("province.json", &text, &Limits::default())));
    let plain = without(&value, &["plan"]).to_string();
    assert!(ok(&same_text(
        "province.json without plan",
        &plain,
        &Limits::default()
    )));
}

#[test]
fn the_data_folders_give_the_same_text_both_ways_with_and_without_plan_and_milestones() {
    for folder in ["bac_giang_2022", "bac_giang_2022_catalog"] {
        let request = data_request(folder);
        let limits = Limits::default();
        assert!(ok(&same_text(folder, &request.to_string(), &limits)));
        for fields in [
            &["plan"][..],
            &["rollups"],
            &["plan", "rollups", "overlays"],
        ] {
            let r = without(&request, fields);
            same_text(
                &format!("{folder} without {fields:?}"),
                &r.to_string(),
                &limits,
            );
        }
        if request["plan"]["milestones"].is_object() {
            // Milestones read from every result of a level (the whole aggregation)...
            let mut r = request.clone();
            r["plan"]["milestones"]["units"] = json!([]);
            same_text(
                &format!("{folder}, milestones of a level"),
                &r.to_string(),
                &limits,
            );
            // ... and no milestones at all.
            let mut r = request.clone();
            r["plan"].as_object_mut().unwrap().remove("milestones");
            same_text(&format!("{folder}, no milestones"), &r.to_string(), &limits);
        }
    }
}

#[test]
fn failed_requests_give_the_same_text_both_ways() {
    let base = data_request("bac_giang_2022");
    let mut wrong_version = base.clone();
    wrong_version["version"] = json!(2);
    let mut bad_tree = base.clone();
    bad_tree["units"][3]["parent"] = json!("nowhere");
    let mut unknown_set = base.clone();
    unknown_set["sets"][0]["sets"][0] = json!("no-such-set");
    let cases = [
        ("not JSON", "{\"version\": 1,".to_owned()),
        ("empty", String::new()),
        ("a number", "42".to_owned()),
        ("wrong version", wrong_version.to_string()),
        ("version only", r#"{"version": 2}"#.to_owned()),
        ("invalid tree", bad_tree.to_string()),
        ("unknown set", unknown_set.to_string()),
    ];
    for (name, text) in &cases {
        let out = same_text(name, text, &Limits::default());
        assert!(!ok(&out), "{name} was run");
    }
    // Past a limit: size, units.
    let text = base.to_string();
    assert!(!ok(&same_text(
        "too big",
        &text,
        &Limits::default().max_bytes(1000)
    )));
    assert!(!ok(&same_text(
        "too many units",
        &text,
        &Limits::default().max_units(10)
    )));
}

/// One district of the Bắc Giang request, with its plan and roll-ups.
fn district() -> &'static Value {
    static BASE: OnceLock<Value> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut req = data_request("bac_giang_2022");
        let keep = |code: &str| code == "215" || code.starts_with("215.");
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
            .filter(|i| keep(i["data"]["unit"].as_str().unwrap_or("")))
            .cloned()
            .collect();
        req["units"] = Value::Array(units);
        req["inputs"] = Value::Array(inputs);
        req
    })
}

/// A change to one input of the request.
#[derive(Debug, Clone)]
enum Change {
    /// The input dropped (its unit has none).
    Drop,
    /// The input given twice.
    Twice,
    /// A value replaced by another JSON value (a good one, or not a value).
    Value(usize, Value),
    /// A value removed.
    NoValue(usize),
    /// A value no set reads.
    Unread,
    /// The input for a unit not in the tree.
    Stranger,
    /// The whole input not an input.
    NotAnInput,
    /// A history: the unit held the standard tier, or a tier no set has.
    Held(&'static str),
    /// Another profile: another region, a status the thresholds read or one they do
    /// not, no region (units of one batch share their thresholds, not their profile).
    Profile(Value),
}

fn change() -> impl Strategy<Value = Change> {
    let value = prop_oneof![
        Just(json!({"flag": true})),
        Just(json!({"flag": false})),
        Just(json!({"number": "0"})),
        Just(json!({"number": "100"})),
        Just(json!({"number": "12.5"})),
        Just(json!({"number": "-3"})),
        Just(json!({"number": "twelve"})),
        Just(json!({"grade": "partial"})),
        Just(json!(null)),
    ];
    prop_oneof![
        Just(Change::Drop),
        Just(Change::Twice),
        (any::<usize>(), value).prop_map(|(k, v)| Change::Value(k, v)),
        any::<usize>().prop_map(Change::NoValue),
        Just(Change::Unread),
        Just(Change::Stranger),
        Just(Change::NotAnInput),
        prop_oneof![Just("standard"), Just("no-such-tier")].prop_map(Change::Held),
        prop_oneof![
            Just(json!({"region": "dbscl"})),
            Just(json!({"region": "tdmnpb", "statuses": ["especially_difficult"]})),
            Just(json!({"region": "tdmnpb", "statuses": ["a-status-no-row-reads"]})),
            Just(json!({"region": "dbsh", "statuses": ["a-status-no-row-reads", "safe_zone"]})),
            Just(json!({})),
        ]
        .prop_map(Change::Profile),
    ]
}

fn apply(inputs: &mut Vec<Value>, at: usize, change: &Change) {
    if inputs.is_empty() {
        return;
    }
    let at = at % inputs.len();
    let input = &mut inputs[at];
    if !input.is_object() && !matches!(change, Change::Drop | Change::Twice) {
        return; // made not an input by an earlier change
    }
    let key = |values: &serde_json::Map<String, Value>, k: usize| {
        values.keys().nth(k % values.len().max(1)).cloned()
    };
    match change {
        Change::Drop => {
            inputs.remove(at);
        }
        Change::Twice => {
            let copy = input.clone();
            inputs.push(copy);
        }
        Change::Value(k, v) => {
            if let Some(values) = input["data"]["values"].as_object_mut() {
                if let Some(id) = key(values, *k) {
                    values.insert(id, v.clone());
                }
            }
        }
        Change::NoValue(k) => {
            if let Some(values) = input["data"]["values"].as_object_mut() {
                if let Some(id) = key(values, *k) {
                    values.remove(&id);
                }
            }
        }
        Change::Unread => {
            if let Some(values) = input["data"]["values"].as_object_mut() {
                values.insert("99.9".to_owned(), json!({"flag": true}));
            }
        }
        Change::Stranger => input["data"]["unit"] = json!("999.99"),
        Change::NotAnInput => *input = json!([]),
        Change::Held(tier) => {
            input["history"] =
                json!({"events": [{"tier": tier, "year": 2020, "kind": "recognised"}]});
        }
        Change::Profile(profile) => input["profile"] = profile.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever is changed in the inputs (units excluded, unreadable, on the per-unit
    /// path, values unused), both paths write the same text.
    #[test]
    fn changed_inputs_give_the_same_text_both_ways(
        changes in proptest::collection::vec((any::<usize>(), change()), 1..8),
        plan in any::<bool>(),
    ) {
        let mut request = district().clone();
        if !plan {
            request.as_object_mut().unwrap().remove("plan");
        }
        let mut inputs = request["inputs"].as_array().unwrap().clone();
        for (at, c) in &changes {
            apply(&mut inputs, *at, c);
        }
        request["inputs"] = Value::Array(inputs);
        same_text("changed district", &request.to_string(), &Limits::default());
    }
}

/// Units of one batch share their thresholds, not always their profile: with the
/// profiles mixed across the district (a status no threshold row reads, one a row
/// reads, another region, none), both paths still write the same text.
#[test]
fn mixed_profiles_give_the_same_text_both_ways() {
    let profiles = [
        json!({"region": "tdmnpb"}),
        json!({"region": "tdmnpb", "statuses": ["a-status-no-row-reads"]}),
        json!({"region": "tdmnpb", "statuses": ["especially_difficult"]}),
        json!({"region": "tdmnpb", "statuses": ["especially_difficult", "another-one"]}),
        json!({"region": "dbscl"}),
        json!({}),
    ];
    let mut request = district().clone();
    for (i, input) in request["inputs"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        input["profile"] = profiles[i % profiles.len()].clone();
    }
    let text = same_text("mixed profiles", &request.to_string(), &Limits::default());
    assert!(ok(&text));
}
