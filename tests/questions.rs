//! Planning questions in the JSON contract (issue 13, item 7), on the real path: the
//! Bắc Giang 2022 units on the national catalog sets with the illustrative provincial
//! overlay (`data/bac_giang_2022_catalog`). Each answer equals what the library's
//! [`Run`](ntm_rules::contract::Run) methods give; a question that cannot be answered is
//! refused with a diagnostic at its place, and the others are still answered; procedure
//! dates can come with the unit inputs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a panic is a test failure"
)]

use ntm_rules::contract::{self, Request};
use ntm_rules::model::{Level, Limits, TierId};
use ntm_rules::tree::{CostModel, RoadmapOptions};
use serde_json::{json, Value};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bac_giang_2022_catalog");

/// The data set as a JSON request value.
fn request() -> Value {
    let r = Request::from_dir(std::path::Path::new(DIR)).unwrap();
    serde_json::to_value(&r).unwrap()
}

fn respond(request: &Value) -> Value {
    let text = contract::handle_json_with_limits(&request.to_string(), &Limits::default());
    serde_json::from_str(&text).unwrap()
}

fn library_run() -> contract::Run {
    contract::run(Request::from_dir(std::path::Path::new(DIR)).unwrap()).unwrap()
}

/// A commune the catalog run leaves short of standard (it has gaps to show).
fn commune_not_standard(run: &contract::Run) -> String {
    run.aggregation
        .results
        .values()
        .filter(|r| r.level == Level::Commune)
        .find(|r| r.holds(&TierId::new("standard")) == Some(false))
        .map(|r| r.unit.to_string())
        .expect("the data set has communes not yet standard")
}

/// A `candidates` answer has one selection per target, each what `Run::candidates` gives.
fn assert_selections_are_the_librarys<'a>(
    run: &contract::Run,
    answer: &Value,
    targets: impl ExactSizeIterator<Item = &'a contract::NewUnitsTarget>,
) {
    let selections = answer["selections"].as_array().unwrap();
    assert_eq!(selections.len(), targets.len(), "{answer:#}");
    for (s, t) in selections.iter().zip(targets) {
        let lib = run
            .candidates(None, t.level, &t.tier, t.count, &CostModel::default())
            .unwrap();
        assert_eq!(*s, serde_json::to_value(&lib).unwrap());
    }
}

#[test]
fn every_planning_question_is_answered_in_order_with_what_the_library_gives() {
    let run = library_run();
    let unit = commune_not_standard(&run);
    let standard = TierId::new("standard");
    let mut req = request();
    req["questions"] = json!([
        {"gaps": {"unit": unit, "tier": "standard"}},
        {"roadmap": {"unit": unit, "tier": "standard", "by": 2025}},
        {"candidates": {}},
        {"candidates": {"tier": "advanced", "count": 3}},
        {"criteria_candidates": {"count": 55}},
        {"what_if": {"changes": {}}}
    ]);
    let response = respond(&req);
    assert_eq!(response["ok"], true, "{:#}", response["diagnostics"]);
    let answers = response["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 6);
    for (i, a) in answers.iter().enumerate() {
        assert_eq!(a["question"], i);
    }

    let gaps = run.gaps(&unit, &standard, None).unwrap();
    assert_eq!(answers[0]["answer"], "gaps");
    assert_eq!(answers[0]["gaps"], serde_json::to_value(&gaps).unwrap());
    assert!(!gaps.tiers.is_empty());

    let roadmap = run
        .roadmap(&unit, &standard, &RoadmapOptions::new(2025))
        .unwrap();
    assert_eq!(answers[1]["answer"], "roadmap");
    assert_eq!(
        answers[1]["roadmap"],
        serde_json::to_value(&roadmap).unwrap()
    );

    // Without tier and count: the plan's "+9 standard" and "+18 advanced" targets.
    assert_eq!(answers[2]["answer"], "candidates");
    let targets = run.new_units_targets();
    assert_selections_are_the_librarys(&run, &answers[2], targets.iter());
    assert!(targets
        .iter()
        .any(|t| t.tier.as_str() == "standard" && t.count == 9));

    let three = run
        .candidates(
            None,
            Level::Commune,
            &TierId::new("advanced"),
            3,
            &CostModel::default(),
        )
        .unwrap();
    assert_eq!(
        answers[3]["selections"][0],
        serde_json::to_value(&three).unwrap()
    );

    let criteria = run
        .criteria_candidates(None, Level::Commune, 55, &CostModel::default())
        .unwrap();
    assert_eq!(answers[4]["answer"], "criteria_candidates");
    assert_eq!(
        answers[4]["selection"],
        serde_json::to_value(&criteria).unwrap()
    );

    // The answers are what the response schema says they are; so is the request.
    for (kind, value) in [
        (contract::SchemaKind::Response, &response),
        (contract::SchemaKind::Request, &req),
    ] {
        let validator = jsonschema::validator_for(&contract::schema(kind)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|e| e.to_string())
            .take(5)
            .collect();
        assert!(errors.is_empty(), "{kind:?}: {errors:#?}");
    }

    // What-if with no change: an empty diff.
    assert_eq!(answers[5]["answer"], "what_if");
    let diff = &answers[5]["diff"];
    for key in ["values", "units", "summaries", "targets"] {
        assert!(
            diff[key].as_array().is_none_or(Vec::is_empty),
            "{key}: {diff:#}"
        );
    }
}

#[test]
fn a_question_that_cannot_be_answered_is_refused_at_its_place_and_the_others_answered() {
    let run = library_run();
    let unit = commune_not_standard(&run);
    let mut req = request();
    req["questions"] = json!([
        {"gaps": {"unit": unit, "tier": "excellent"}},
        {"gaps": {"unit": unit, "tier": "standard", "year": 2021}},
        {"roadmap": {"unit": unit, "tier": "standard", "by": 2025,
         "costs": {"per_criterion": {"10": "-1"}}}},
        {"candidates": {"tier": "standard"}},
        {"gaps": {"unit": "NOT-A-UNIT", "tier": "standard"}},
        {"what_if": {"changes": {"values": {"NOT-A-UNIT": {"10.1": {"flag": true}}}}}},
        {"gaps": {"unit": unit, "tier": "standard"}}
    ]);
    let response = respond(&req);
    assert_eq!(response["ok"], true);
    let answers = response["answers"].as_array().unwrap();
    let refused: Vec<usize> = answers
        .iter()
        .filter(|a| a["answer"] == "refused")
        .map(|a| a["question"].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(refused, vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(
        answers[6]["answer"], "gaps",
        "the last question is still answered"
    );

    let diagnostics = response["diagnostics"].as_array().unwrap();
    let at = |pointer: &str| {
        diagnostics
            .iter()
            .find(|d| d["pointer"] == pointer)
            .unwrap_or_else(|| panic!("no diagnostic at {pointer}: {diagnostics:#?}"))
    };
    let tier = at("/questions/0/gaps/tier");
    assert_eq!(tier["severity"], "error");
    assert_eq!(tier["unit"], unit.as_str());
    assert!(tier["message"].as_str().unwrap().contains("excellent"));
    assert!(at("/questions/1/gaps/year")["message"]
        .as_str()
        .unwrap()
        .contains("2021"));
    assert!(at("/questions/2/roadmap/costs")["message"]
        .as_str()
        .unwrap()
        .contains("per_criterion.10"));
    assert!(at("/questions/3/candidates/count")["message"]
        .as_str()
        .unwrap()
        .contains("together"));
    assert_eq!(at("/questions/4/gaps/unit")["unit"], "NOT-A-UNIT");
    assert_eq!(at("/questions/5/what_if/changes")["unit"], "NOT-A-UNIT");
    // The reason given in the answer is the diagnostic's message.
    assert_eq!(answers[0]["reason"], tier["message"]);
    // The evaluation itself is the same as without questions.
    let plain = respond(&request());
    assert_eq!(response["results"], plain["results"]);
    assert_eq!(response["plan"], plain["plan"]);
}

#[test]
fn a_candidates_level_without_a_target_takes_the_plans_targets_at_that_level_only() {
    let run = library_run();
    let mut req = request();
    req["questions"] = json!([
        {"candidates": {"level": "village"}},
        {"candidates": {"level": "commune"}},
        {"candidates": {"level": "district"}}
    ]);
    let response = respond(&req);
    assert_eq!(response["ok"], true, "{:#}", response["diagnostics"]);
    let answers = response["answers"].as_array().unwrap();
    let targets = run.new_units_targets();
    // The plan has village and commune targets, none for districts.
    for (i, level) in [Level::Village, Level::Commune, Level::District]
        .into_iter()
        .enumerate()
    {
        let at_level: Vec<_> = targets.iter().filter(|t| t.level == level).collect();
        if at_level.is_empty() {
            assert_eq!(answers[i]["answer"], "refused", "{level:?}");
            let d = response["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["pointer"] == format!("/questions/{i}/candidates/level"))
                .unwrap_or_else(|| panic!("{:#}", response["diagnostics"]));
            assert!(
                d["message"].as_str().unwrap().contains("at level district"),
                "{d}"
            );
            continue;
        }
        assert_selections_are_the_librarys(&run, &answers[i], at_level.into_iter());
    }
    assert!(targets
        .iter()
        .any(|t| t.level == Level::Village && t.count == 94));
    assert!(targets.iter().all(|t| t.level != Level::District));
}

#[test]
fn a_malformed_question_is_refused_with_its_json_pointer() {
    let mut req = request();
    req["questions"] = json!([
        {"gaps": {"unit": "213", "tier": "standard"}},
        {"forecast": {"unit": "213"}}
    ]);
    let response = respond(&req);
    assert_eq!(response["ok"], false);
    let d = &response["diagnostics"][0];
    assert_eq!(d["pointer"], "/questions/1", "{d:#}");
    assert!(d["message"].as_str().unwrap().contains("forecast"), "{d:#}");

    let mut req = request();
    req["questions"] = json!([{"roadmap": {"unit": "213", "tier": "standard", "by": "soon"}}]);
    let response = respond(&req);
    assert_eq!(response["ok"], false);
    assert_eq!(
        response["diagnostics"][0]["pointer"],
        "/questions/0/roadmap/by"
    );

    let mut req = request();
    req["questions"] = json!([{"gaps": {"unit": "213", "tier": "standard", "yaer": 2023}}]);
    let response = respond(&req);
    assert_eq!(response["ok"], false);
    let d = &response["diagnostics"][0];
    assert_eq!(d["pointer"], "/questions/0/gaps/yaer", "{d:#}");
}

/// A request of four communes of the data set, with the plan's milestones and
/// procedure dates given (or not) in the inputs.
fn with_procedures(plan_milestones: bool, dates: &[(&str, &str, &str)]) -> Value {
    let mut req = request();
    let mut inputs = req["inputs"].as_array().unwrap().clone();
    for (unit, step, day) in dates {
        let input = inputs
            .iter_mut()
            .find(|i| i["data"]["unit"] == *unit)
            .unwrap();
        input["procedure"][*step] = json!(day);
    }
    req["inputs"] = Value::Array(inputs);
    if plan_milestones {
        req["plan"]["milestones"]["units"] = json!(["215.01", "216.01", "215.03", "217.01"]);
    } else {
        req["plan"].as_object_mut().unwrap().remove("milestones");
    }
    req
}

#[test]
fn procedure_dates_in_the_unit_inputs_are_read_against_the_plans_deadlines() {
    // 215.03's verification is in the plan (2022-11-25, due by its own deadline of 31
    // December); 215.01 gives its own in its input, on time for 31 October; 216.01 gives
    // one late; 217.01 gives none.
    let req = with_procedures(
        true,
        &[
            ("215.01", "verification", "2022-10-20"),
            ("216.01", "verification", "2022-11-05"),
        ],
    );
    let plain = respond(&with_procedures(true, &[]));
    let response = respond(&req);
    let m = &response["plan"]["milestones"]["milestones"];
    let status = |unit: &str| {
        m.as_array()
            .unwrap()
            .iter()
            .find(|x| x["unit"] == unit && x["step"] == "verification")
            .map(|x| x["status"]["status"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(status("215.01"), "done");
    assert_eq!(status("216.01"), "done_late");
    assert_eq!(status("215.03"), "done");
    // Without dates in the inputs, those two units are unknown, never on time.
    let before = &plain["plan"]["milestones"]["milestones"];
    let was = |unit: &str| {
        before
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["unit"] == unit && x["step"] == "verification")
            .map(|x| x["status"]["status"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(was("215.01"), "unknown");
    assert_eq!(was("216.01"), "unknown");
    assert_eq!(status("217.01"), "unknown");
}

#[test]
fn a_step_dated_twice_differently_is_a_problem_and_its_unit_unknown() {
    // The plan says 215.03 was verified on 2022-11-25; its input says 2022-10-01.
    let response = respond(&with_procedures(
        true,
        &[("215.03", "verification", "2022-10-01")],
    ));
    let progress = &response["plan"]["milestones"];
    let problems = progress["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| {
            let p = p.as_str().unwrap();
            p.contains("215.03") && p.contains("2022-11-25") && p.contains("2022-10-01")
        }),
        "{problems:#?}"
    );
    assert!(progress["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["unit"] == "215.03")
        .all(|x| x["status"]["status"] == "unknown"));
}

#[test]
fn procedure_dates_without_plan_milestones_are_reported_unused() {
    let response = respond(&with_procedures(
        false,
        &[("215.01", "verification", "2022-10-20")],
    ));
    assert_eq!(response["ok"], true);
    let d = response["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["unit"] == "215.01" && d["message"].as_str().unwrap().contains("procedure"))
        .expect("a warning for the unused procedure dates");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["pointer"].as_str().unwrap().ends_with("/procedure"),
        "{d:#}"
    );
}

#[test]
fn the_questions_snippet_of_the_readme_is_answered_without_refusal() {
    let doc = include_str!("../README.md");
    let at = doc.find("\"questions\": [").unwrap();
    let end = at + doc[at..].find("\n```").unwrap();
    let snippet: Value = serde_json::from_str(&format!("{{{}}}", &doc[at..end])).unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bac_giang_2022");
    let mut req =
        serde_json::to_value(Request::from_dir(std::path::Path::new(dir)).unwrap()).unwrap();
    req["questions"] = snippet["questions"].clone();
    let response = respond(&req);
    let answers = response["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 5);
    assert!(
        answers.iter().all(|a| a["answer"] != "refused"),
        "{answers:#?}"
    );
}
