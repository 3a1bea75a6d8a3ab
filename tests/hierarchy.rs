//! The administrative tree, the bottom-up pass, plan progress and reports, through the
//! public API; and the Bắc Giang 2022 example's figures, computed by the engine.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure is a test failure"
)]

use rust_decimal::Decimal;

use ntm_rules::contract::{self, Request};
use ntm_rules::engine::Verdict;
use ntm_rules::model::round_display;
use ntm_rules::model::{AdminUnit, Date, UnitKind};
use ntm_rules::model::{CriteriaSet, Lang, Level, Profile, Region, Value};
use ntm_rules::policy::illustrative;
use ntm_rules::report::{Report, ReportOptions};
use ntm_rules::tree::Hierarchy;
use ntm_rules::tree::{aggregate, AggregateOptions, LevelSets, UnitInput, UnitStatus, Weight};
use ntm_rules::tree::{Plan, TargetStatus};

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// One data set holding both shapes: the old tree until 2025-06-30, the two-tier tree
/// from 2025-07-01, with a merged commune.
fn two_shapes() -> Vec<AdminUnit> {
    let old = (None, Some(date("2025-06-30")));
    let new = (Some(date("2025-07-01")), None);
    vec![
        AdminUnit::new("24", "Bắc Giang", Level::Province).valid(old.0, old.1),
        AdminUnit::new("222", "Việt Yên", Level::District)
            .with_parent("24")
            .valid(old.0, old.1),
        AdminUnit::new("07672", "Quảng Minh", Level::Commune)
            .with_parent("222")
            .with_kind(UnitKind::RuralCommune)
            .valid(old.0, old.1),
        AdminUnit::new("07675", "Ninh Sơn", Level::Commune)
            .with_parent("222")
            .valid(old.0, old.1),
        AdminUnit::new("07672-01", "Khả Lý Thượng", Level::Village)
            .with_parent("07672")
            .valid(old.0, old.1),
        AdminUnit::new("27", "Bắc Ninh", Level::Province).valid(new.0, new.1),
        AdminUnit::new("N001", "Xã mới (sáp nhập)", Level::Commune)
            .with_parent("27")
            .merged_from(["07672", "07675"])
            .valid(new.0, new.1),
        AdminUnit::new("N001-01", "Khả Lý Thượng", Level::Village)
            .with_parent("N001")
            .valid(new.0, new.1),
    ]
}

#[test]
fn both_tree_shapes() {
    let old = Hierarchy::new(two_shapes(), date("2022-12-31")).unwrap();
    assert_eq!(old.len(), 5);
    assert_eq!(old.roots().next().unwrap().code.as_str(), "24");
    assert_eq!(old.descendants_at("24", Level::Commune).len(), 2);
    assert_eq!(old.parent("07672").unwrap().level, Level::District);
    let order: Vec<&str> = old.bottom_up().map(|u| u.code.as_str()).collect();
    assert_eq!(order, ["07672-01", "07672", "07675", "222", "24"]);

    let new = Hierarchy::new(two_shapes(), Date::TWO_TIER_REFORM).unwrap();
    assert_eq!(new.len(), 3);
    assert_eq!(new.parent("N001").unwrap().level, Level::Province);
    assert_eq!(new.children("27").count(), 1);
    assert!(new.get("222").is_none());
}

#[test]
fn merged_commune_lineage() {
    let units = {
        let mut u = two_shapes();
        // A second merger later: N002 from N001 and another unit.
        u.push(
            AdminUnit::new("N002", "Xã sau sáp nhập lần hai", Level::Commune)
                .with_parent("27")
                .merged_from(["N001", "X9"])
                .valid(Some(date("2027-01-01")), None),
        );
        u
    };
    let tree = Hierarchy::new(units.clone(), date("2026-06-01")).unwrap();
    let lineage: Vec<String> = tree.lineage("N001").iter().map(|c| c.to_string()).collect();
    assert_eq!(lineage, ["07672", "07675"]);
    let later = Hierarchy::new(units, date("2027-06-01")).unwrap();
    let lineage: Vec<String> = later
        .lineage("N002")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(lineage, ["N001", "X9", "07672", "07675"]);
    // The old entries are history, not part of the tree at the date.
    assert!(later.get("07672").is_none());
    assert_eq!(later.entries("07672").count(), 1);
}

#[test]
fn every_tree_error_is_reported_at_once() {
    let units = vec![
        AdminUnit::new("P", "P", Level::Province),
        AdminUnit::new("D", "D", Level::District).with_parent("P"),
        AdminUnit::new("D2", "D2", Level::District)
            .with_parent("P")
            .valid(None, Some(date("2020-12-31"))),
        AdminUnit::new("C1", "C1", Level::Commune).with_parent("D"),
        AdminUnit::new("C1", "C1 again", Level::Commune).with_parent("D"),
        AdminUnit::new("C2", "C2", Level::Commune)
            .with_parent("D")
            .valid(Some(date("2022-05-01")), Some(date("2021-01-01"))),
        AdminUnit::new("C3", "C3", Level::Commune).with_parent("X"),
        AdminUnit::new("C4", "C4", Level::Commune).with_parent("D2"),
        AdminUnit::new("C5", "C5", Level::Commune).with_parent("C6"),
        AdminUnit::new("C6", "C6", Level::Commune).with_parent("C5"),
        AdminUnit::new("V1", "V1", Level::Village).with_parent("D"),
    ];
    let err = Hierarchy::new(units, date("2022-12-31")).unwrap_err();
    let texts: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        texts,
        [
            "unit `C2`: valid from 2022-05-01 to 2021-01-01, which ends before it starts",
            "unit code `C1` is used by 2 entries valid at the same time",
            "unit `C3`: parent `X` is not in the tree",
            "unit `C4`: parent `D2` is not valid on 2022-12-31",
            "unit `C5` (commune) cannot have `C6` (commune) as parent",
            "unit `C6` (commune) cannot have `C5` (commune) as parent",
            "unit `V1` (village) cannot have `D` (district) as parent",
            "parent links form a cycle: `C5` -> `C6` -> `C5`",
        ]
    );
    assert!(err
        .to_string()
        .starts_with("invalid administrative tree: 8 problems; unit `C2`"));
}

fn district_set() -> CriteriaSet {
    CriteriaSet::from_json(
        r#"{
        "id": "test-district", "name": {"vi": "Huyện NTM", "en": "Standard district"},
        "scheme": {"id": "test-district", "years": {"from": 2021, "to": 2025},
                   "tiers": [{"id": "standard", "name": {"vi": "đạt chuẩn", "en": "standard"}}]},
        "level": "district", "tier": "standard", "confidence": "illustrative",
        "criteria": [{"id": "1", "name": {"vi": "Xã đạt chuẩn", "en": "Communes at standard"},
          "indicators": [{"id": "1.1", "name": {"vi": "Tỷ lệ xã đạt chuẩn", "en": "Share of communes at standard"},
            "kind": {"decimal": {"unit": "percent"}}, "requirement": "at_least",
            "derived": {"children": "commune", "measure": {"share_at_tier": {"tier": "standard"}}},
            "thresholds": [{"threshold": {"number": "100"}, "source": {"document": "test"},
                            "confidence": "illustrative"}]}]}]
    }"#,
    )
    .unwrap()
}

/// A district with four communes: C1-C3 meet the standard set, C4 does not.
fn district_case(
    c4: ntm_rules::model::IndicatorData,
) -> (Hierarchy, Vec<LevelSets>, Vec<UnitInput>) {
    let mut units = vec![AdminUnit::new("D", "Huyện thử", Level::District)];
    let mut inputs = Vec::new();
    let profile = Profile::in_region(Region::Tdmnpb);
    for i in 1..=4 {
        let code = format!("C{i}");
        units.push(AdminUnit::new(code.as_str(), code.as_str(), Level::Commune).with_parent("D"));
        let data = if i == 4 {
            c4.clone()
        } else {
            illustrative::sample_commune(&code, 2022)
        };
        inputs.push(UnitInput::new(data).with_profile(profile.clone()));
    }
    inputs.push(UnitInput::new(ntm_rules::model::IndicatorData::new(
        "D", 2022,
    )));
    let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
    let sets = vec![
        LevelSets::new(Level::Commune, illustrative::commune_sets()),
        LevelSets::new(Level::District, vec![district_set()]),
    ];
    (tree, sets, inputs)
}

#[test]
fn district_with_one_commune_short_of_standard_is_not_met() {
    let c4 = illustrative::sample_commune("C4", 2022).with("10.1", Value::Number(30.into()));
    let (tree, sets, inputs) = district_case(c4);
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let d = agg.result("D").unwrap();
    // The derived share was computed from the communes' decisions and put in the data.
    assert_eq!(
        d.data.as_ref().unwrap().values.get("1.1"),
        Some(&Value::Number(Decimal::from(75)))
    );
    assert!(matches!(
        d.decision().unwrap().verdict,
        Verdict::NotYet { ref tier } if tier.as_str() == "standard"
    ));
    let communes = agg.summary("D").unwrap().level(Level::Commune).unwrap();
    assert_eq!(communes.tier("standard").unwrap().cumulative, 3);

    // With the fourth commune at standard too, the district is recognised.
    let (tree, sets, inputs) = district_case(illustrative::sample_commune("C4", 2022));
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    assert!(matches!(
        agg.result("D").unwrap().decision().unwrap().verdict,
        Verdict::Recognise { .. }
    ));
}

#[test]
fn unit_with_bad_data_is_excluded_and_counted() {
    let c4 = illustrative::sample_commune("C4", 2022).with("17.1", Value::Number(150.into()));
    let (tree, sets, inputs) = district_case(c4);
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    assert_eq!(agg.excluded.len(), 1);
    assert_eq!(
        agg.excluded[0].to_string(),
        "unit `C4` excluded: bad data: unit `C4`, set `illustrative-commune-standard`: indicator `17.1`: percentage 150 is outside 0-100"
    );
    assert_eq!(agg.excluded_by_reason().get("bad_data"), Some(&1));
    let communes = agg.summary("D").unwrap().level(Level::Commune).unwrap();
    assert_eq!(
        (communes.assessed, communes.decided, communes.excluded),
        (4, 3, 1)
    );
    assert_eq!(communes.tier("standard").unwrap().cumulative, 3);
    // The other communes are still decided; the district's derived share is not
    // guessed: it is left missing and the district cannot be decided.
    assert!(matches!(
        agg.result("C4").unwrap().status,
        UnitStatus::Excluded { .. }
    ));
    assert_eq!(agg.derived_problems.len(), 1);
    assert!(agg.derived_problems[0]
        .to_string()
        .contains("1 of its children are excluded or undecided (C4)"));
    assert!(matches!(
        agg.result("D").unwrap().decision().unwrap().verdict,
        Verdict::CannotDecide { .. }
    ));
    // The report says how many and why.
    let report = Report::build(&tree, &agg, &sets, "D", &ReportOptions::default()).unwrap();
    assert_eq!(report.excluded.len(), 1);
    let text = report.to_text(Lang::En);
    assert!(
        text.contains("Cannot decide: 0; excluded: 1 (bad data 1)"),
        "{text}"
    );
    assert!(text.contains("unit `C4` excluded: bad data"), "{text}");
    let csv = report.to_csv().unwrap();
    let excluded = csv.iter().find(|t| t.name == "excluded.csv").unwrap();
    assert!(excluded.content.contains("C4,commune,bad_data,"));
}

#[test]
fn plan_progress_met_and_short() {
    let c4 = illustrative::sample_commune("C4", 2022).with("10.1", Value::Number(30.into()));
    let (tree, sets, inputs) = district_case(c4);
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let plan = Plan::from_json(
        r#"{"id": "p", "name": {"vi": "Kế hoạch", "en": "Plan"}, "scope": "D", "year": 2022,
        "targets": [
          {"id": "count", "label": {"vi": "Xã đạt chuẩn", "en": "Standard communes"},
           "measure": {"tier_count": {"level": "commune", "tiers": ["standard"]}},
           "requirement": "at_least", "value": 3},
          {"id": "share", "label": {"vi": "Tỷ lệ", "en": "Share"},
           "measure": {"tier_share": {"level": "commune", "tier": "standard"}},
           "requirement": "at_least", "value": "80", "baseline": "50"},
          {"id": "new", "label": {"vi": "Có thêm", "en": "New"},
           "measure": {"tier_count": {"level": "commune", "tiers": ["standard"], "period": "new"}},
           "requirement": "at_least", "value": 4}
        ]}"#,
    )
    .unwrap();
    let p = plan.progress(&agg);
    assert_eq!(p.target("count").unwrap().status, TargetStatus::Met);
    let share = p.target("share").unwrap();
    assert_eq!(share.actual, Some(Decimal::from(75)));
    assert_eq!(share.of, Some((3, 4)));
    assert_eq!(
        share.status,
        TargetStatus::Short {
            by: Decimal::from(5)
        }
    );
    assert_eq!(share.change, Some(Decimal::from(25)));
    assert_eq!(
        p.target("new").unwrap().status,
        TargetStatus::Short {
            by: Decimal::from(1)
        }
    );
    assert_eq!(p.met(), 1);
}

#[test]
fn rate_roll_ups_are_weighted_and_missing_weights_reported() {
    use ntm_rules::tree::{RollUp, RollUpMethod};
    let (tree, sets, mut inputs) = district_case(illustrative::sample_commune("C4", 2022));
    // Poverty 11.1 is 4.1% in every sample commune; make C1 10% with many households.
    inputs[0].data = inputs[0]
        .data
        .clone()
        .with("11.1", Value::Number(10.into()));
    for (i, input) in inputs.iter_mut().take(4).enumerate() {
        *input = input.clone().with_weight(
            "households",
            Weight::new(Decimal::from(if i == 0 { 3000 } else { 1000 })).unwrap(),
        );
    }
    let rollup = RollUp {
        indicator: "11.1".into(),
        name: ntm_rules::model::Label::new("Tỷ lệ hộ nghèo", "Poverty rate"),
        unit: None,
        method: RollUpMethod::Rate {
            weight: "households".into(),
        },
        from: Level::Commune,
    };
    let agg = aggregate(
        &tree,
        2022,
        &sets,
        &inputs,
        &AggregateOptions::default().with_rollups(vec![rollup.clone()]),
    );
    let r = agg.summary("D").unwrap().rollup("11.1").unwrap().clone();
    // (10 × 3000 + 4.1 × 3 × 1000) / 6000 = 7.05, not the unweighted mean 5.575.
    assert_eq!(r.value, Some("7.05".parse().unwrap()));
    // In CSV, a rate's exact value is its weighted sum over its weight sum.
    let rollups = [rollup.clone()];
    let options = ReportOptions::default().with_rollups(&rollups);
    let report = Report::build(&tree, &agg, &sets, "D", &options).unwrap();
    let row = csv_rows(&report, "rollups.csv").remove(0);
    assert_eq!(row["value_exact"], "");
    assert_eq!(
        row["weighted_sum"].parse::<Decimal>().unwrap(),
        Decimal::from(42300)
    );
    assert_eq!(row["weight_sum"], "6000");
    assert_eq!(row["value_shown"], "7.1");
    // Without C2's weight: no value, and C2 is named.
    inputs[1].weights.clear();
    let agg = aggregate(
        &tree,
        2022,
        &sets,
        &inputs,
        &AggregateOptions::default().with_rollups(vec![rollup]),
    );
    let r = agg.summary("D").unwrap().rollup("11.1").unwrap();
    assert_eq!(r.value, None);
    assert_eq!(r.missing_weight, ["C2".into()]);
}

#[test]
fn bac_giang_2022_figures_come_from_the_engine() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bac_giang_2022");
    let run = contract::run(Request::from_dir(dir).unwrap()).unwrap();
    // The manifest's plan is the plan of the file next to it.
    let plan =
        Plan::from_json(&std::fs::read_to_string(format!("{dir}/plan.json")).unwrap()).unwrap();
    assert_eq!(run.plan.as_ref(), Some(&plan));
    assert!(run.diagnostics.is_empty(), "{:?}", run.diagnostics);
    let (tree, agg) = (&run.tree, &run.aggregation);
    assert!(agg.excluded.is_empty(), "{:?}", agg.excluded);
    // Every value is read by a set or a roll-up, but for the province's own count of
    // 5-star OCOP products, which a plan target reads: the response does not warn.
    let unused: Vec<_> = agg
        .unused_values
        .iter()
        .map(|v| (v.unit.as_str(), v.indicator.as_str()))
        .collect();
    assert_eq!(unused, [("24", "ocop_5star")]);
    assert!(run.response().diagnostics.is_empty());
    assert!(run.report(None).unwrap().unused_values.is_empty());
    let province = agg.summary("24").unwrap();
    let communes = province.level(Level::Commune).unwrap();
    let standard = communes.tier("standard").unwrap();
    assert_eq!((standard.cumulative, communes.assessed), (147, 184));
    assert_eq!(
        round_display(standard.share_of_all.percent.unwrap()).to_string(),
        "79.9"
    );
    assert_eq!(standard.new, 9);
    assert_eq!(communes.tier("advanced").unwrap().new, 18);
    let model = communes.tier("model").unwrap();
    assert_eq!((model.new, model.cumulative), (1, 1));
    let criteria = province.criteria.as_ref().unwrap();
    assert_eq!(
        round_display(criteria.average.value.unwrap()).to_string(),
        "17.1"
    );
    let villages = province
        .level(Level::Village)
        .unwrap()
        .tier("model")
        .unwrap();
    assert_eq!((villages.cumulative, villages.new), (239, 94));

    // The model commune is Quảng Minh (Việt Yên).
    let model_communes: Vec<String> = tree
        .descendants_at("24", Level::Commune)
        .into_iter()
        .filter(|u| {
            agg.result(u.code.as_str())
                .and_then(|r| r.decision())
                .is_some_and(|d| matches!(&d.verdict, Verdict::Recognise { tier, .. } if tier.as_str() == "model"))
        })
        .map(|u| format!("{} ({})", u.name.get(Lang::Vi), tree.parent(u.code.as_str()).unwrap().name.get(Lang::Vi)))
        .collect();
    assert_eq!(model_communes, ["Xã Quảng Minh (Huyện Việt Yên)"]);

    // District-level units: 5 districts standard and the city completed; 4 not.
    let districts = province.level(Level::District).unwrap();
    assert_eq!(districts.tier("standard").unwrap().cumulative, 5);
    assert_eq!(districts.tier("completed").unwrap().cumulative, 1);
    assert_eq!(districts.decided, 10);

    // Plan progress: every commune and village target met; clean water short.
    let progress = plan.progress(agg);
    for id in [
        "communes_standard_new",
        "communes_standard",
        "communes_standard_share",
        "communes_advanced_new",
        "communes_model_new",
        "villages_model_new",
        "villages_model",
        "criteria_average",
        "districts",
        "poverty",
        "income",
        "health_insurance",
        "ocop",
        "cooperatives_new",
        "ocop_5star",
    ] {
        assert_eq!(
            progress.target(id).unwrap().status,
            TargetStatus::Met,
            "{id}"
        );
    }
    assert!(matches!(
        progress.target("clean_water").unwrap().status,
        TargetStatus::Short { .. }
    ));

    // The Vietnamese text uses Vietnamese number formats and says the data are synthetic.
    let options = ReportOptions::default()
        .with_plan(&plan)
        .with_notice(run.notice.as_ref().unwrap())
        .with_rollups(&run.rollups);
    let report = Report::build(tree, agg, &run.sets, "24", &options).unwrap();
    assert_eq!(run.report(None).unwrap(), report);
    let vi = report.to_text(Lang::Vi);
    assert!(
        vi.contains("Xã đạt chuẩn: 147/184 (79,9%); có thêm 9"),
        "{vi}"
    );
    assert!(
        vi.contains("Bình quân tiêu chí/xã: 17,1 (3.146 / 184)"),
        "{vi}"
    );
    assert!(vi.contains("Thôn kiểu mẫu: 239 (có thêm 94)"), "{vi}");
    assert!(vi.contains("GIẢ LẬP"), "{vi}");
    let en = report.to_text(Lang::En);
    assert!(
        en.contains("Communes standard: 147/184 (79.9%); new this year 9"),
        "{en}"
    );
    assert!(en.contains("SYNTHETIC DATA"), "{en}");
}

fn poverty_rollup() -> ntm_rules::tree::RollUp {
    ntm_rules::tree::RollUp {
        indicator: "11.1".into(),
        name: ntm_rules::model::Label::new("Tỷ lệ hộ nghèo", "Poverty rate"),
        unit: None,
        method: ntm_rules::tree::RollUpMethod::Rate {
            weight: "households".into(),
        },
        from: Level::Commune,
    }
}

#[test]
fn roll_ups_leave_out_units_excluded_for_bad_data_and_say_so() {
    // C4's percentage 3.1 is above 100: C4 is excluded. Its poverty rate (99%, with
    // many households) must not move the district's rate.
    let c4 = illustrative::sample_commune("C4", 2022)
        .with("3.1", Value::Number(120.into()))
        .with("11.1", Value::Number(99.into()));
    let (tree, sets, mut inputs) = district_case(c4);
    for input in inputs.iter_mut().take(4) {
        *input = input
            .clone()
            .with_weight("households", Weight::new(Decimal::from(1000)).unwrap());
    }
    let agg = aggregate(
        &tree,
        2022,
        &sets,
        &inputs,
        &AggregateOptions::default().with_rollups(vec![poverty_rollup()]),
    );
    assert!(matches!(
        agg.result("C4").unwrap().status,
        UnitStatus::Excluded { .. }
    ));
    let r = agg.summary("D").unwrap().rollup("11.1").unwrap();
    // The three other communes, 4.1% each.
    assert_eq!(r.units, 3);
    assert_eq!(r.value, Some("4.1".parse().unwrap()));
    assert_eq!(r.left_out.len(), 1);
    assert_eq!(r.left_out[0].unit.as_str(), "C4");
    assert_eq!(r.left_out[0].reason, "bad_data");
    // And so does the CSV table.
    let rollups = [poverty_rollup()];
    let csv_report = Report::build(
        &tree,
        &agg,
        &sets,
        "D",
        &ReportOptions::default().with_rollups(&rollups),
    )
    .unwrap();
    assert_eq!(
        csv_rows(&csv_report, "rollups.csv")[0]["left_out"],
        "C4:bad_data"
    );
    // The report says how many were left out and why.
    let report = Report::build(&tree, &agg, &sets, "D", &ReportOptions::default()).unwrap();
    let text = report.to_text(Lang::En);
    assert!(
        text.contains("leaving out 1 excluded units: bad data 1"),
        "{text}"
    );
    let text = report.to_text(Lang::Vi);
    assert!(
        text.contains("không tính 1 đơn vị bị loại: dữ liệu lỗi 1"),
        "{text}"
    );
}

#[test]
fn negative_weight_is_refused_where_it_is_made() {
    assert!(Weight::new(Decimal::from(-1)).is_err());
    assert!(Weight::new(Decimal::ZERO).is_ok());
    assert!(Weight::new(-Decimal::ZERO).is_ok());
    let err = serde_json::from_str::<UnitInput>(
        r#"{"data": {"unit": "C1", "year": 2022, "values": {}}, "weights": {"households": "-3"}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("weight -3 is negative"), "{err}");
}

#[test]
fn negative_weight_in_a_request_is_refused_with_its_pointer() {
    let text = include_str!("../examples/requests/province.json");
    let mut request: serde_json::Value = serde_json::from_str(text).unwrap();
    request["inputs"][0]["weights"] = serde_json::json!({"households": "-1000"});
    let response = contract::handle_json(&request.to_string());
    let response: serde_json::Value = serde_json::from_str(&response).unwrap();
    let diagnostics = response["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().any(|d| d["pointer"]
            .as_str()
            .is_some_and(|p| p.starts_with("/inputs/0/weights/households"))
            && d["message"].as_str().unwrap_or("").contains("negative")),
        "{diagnostics:#?}"
    );
}

#[test]
fn rate_with_weights_adding_up_to_zero_says_why_it_is_empty() {
    let (tree, sets, mut inputs) = district_case(illustrative::sample_commune("C4", 2022));
    for input in inputs.iter_mut().take(4) {
        *input = input
            .clone()
            .with_weight("households", Weight::new(Decimal::ZERO).unwrap());
    }
    let agg = aggregate(
        &tree,
        2022,
        &sets,
        &inputs,
        &AggregateOptions::default().with_rollups(vec![poverty_rollup()]),
    );
    let r = agg.summary("D").unwrap().rollup("11.1").unwrap();
    assert_eq!(r.value, None);
    assert_eq!(r.no_value, Some(ntm_rules::tree::NoValue::ZeroWeight));
    let report = Report::build(&tree, &agg, &sets, "D", &ReportOptions::default()).unwrap();
    let text = report.to_text(Lang::En);
    assert!(text.contains("the weights add up to zero"), "{text}");
}

#[test]
fn unit_without_input_is_excluded_with_the_reason_not_evaluated_as_empty() {
    let (tree, sets, mut inputs) = district_case(illustrative::sample_commune("C4", 2022));
    inputs.retain(|i| i.data.unit.as_str() != "C4");
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let c4 = agg.result("C4").unwrap();
    assert_eq!(
        c4.status,
        UnitStatus::Excluded {
            reason: ntm_rules::tree::ExclusionReason::NoInput
        }
    );
    assert_eq!(agg.missing_input, ["C4".into()]);
    assert_eq!(agg.excluded_by_reason().get("no_input"), Some(&1));
    let communes = agg.summary("D").unwrap().level(Level::Commune).unwrap();
    assert_eq!(communes.excluded, 1);
    assert_eq!(communes.undecided, 0);
    let report = Report::build(&tree, &agg, &sets, "D", &ReportOptions::default()).unwrap();
    let text = report.to_text(Lang::En);
    assert!(
        text.contains("unit `C4` excluded: no input given"),
        "{text}"
    );
}

#[test]
fn forgotten_region_is_reported_as_an_incomplete_profile_not_as_thresholds_unknown_in_law() {
    use ntm_rules::engine::{ProfileField, UndeterminedReason};
    // The engine: rows keyed by region, a profile without one.
    let set = illustrative::commune_standard();
    let program = ntm_rules::compile(&set, &Profile::default(), 2022).unwrap();
    assert_eq!(program.profile_lacks(), &[ProfileField::Region]);
    let a = program
        .evaluate(&illustrative::sample_commune("C1", 2022))
        .unwrap();
    assert_eq!(
        a.indicator("10.1").unwrap().reason,
        Some(UndeterminedReason::ProfileIncomplete)
    );
    // A region given: nothing lacks.
    let program = ntm_rules::compile(&set, &Profile::in_region(Region::Dbsh), 2022).unwrap();
    assert!(program.profile_lacks().is_empty());

    // The pass: C2 has no region.
    let (tree, sets, mut inputs) = district_case(illustrative::sample_commune("C4", 2022));
    inputs[1].profile = Profile::default();
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    assert_eq!(agg.incomplete_profiles.len(), 1);
    assert_eq!(agg.incomplete_profiles[0].unit.as_str(), "C2");
    assert_eq!(agg.incomplete_profiles[0].lacks, [ProfileField::Region]);
    // Its gap says "profile incomplete", not "unknown thresholds".
    let decision = agg.result("C2").unwrap().decision().unwrap();
    let gap = match &decision.verdict {
        Verdict::CannotDecide { reasons } => reasons
            .iter()
            .find_map(|r| match r {
                ntm_rules::engine::CannotDecide::TierUndetermined { gap } => Some(gap.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{reasons:?}")),
        other => panic!("{other:?}"),
    };
    assert!(
        gap.profile_incomplete.iter().any(|i| i.as_str() == "10.1"),
        "{gap:?}"
    );
    assert!(gap.unknown_thresholds.is_empty(), "{gap:?}");
    assert!(gap.no_threshold_row.is_empty(), "{gap:?}");
    // The report says so, in the report's language.
    let report = Report::build(&tree, &agg, &sets, "D", &ReportOptions::default()).unwrap();
    assert!(report
        .to_text(Lang::En)
        .contains("unit `C2`: the profile has no region, which thresholds"));
    assert!(report
        .to_text(Lang::Vi)
        .contains("đơn vị `C2`: hồ sơ thiếu vùng"));
}

#[test]
fn forgotten_region_in_a_request_is_a_warning_at_the_profile() {
    let text = include_str!("../examples/requests/province.json");
    let mut request: serde_json::Value = serde_json::from_str(text).unwrap();
    request["inputs"][0]
        .as_object_mut()
        .unwrap()
        .remove("profile");
    let response = contract::handle_json(&request.to_string());
    let response: serde_json::Value = serde_json::from_str(&response).unwrap();
    let diagnostics = response["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["pointer"] == "/inputs/0/profile"
                && d["severity"] == "warning"
                && d["message"].as_str().unwrap_or("").contains("no region")),
        "{diagnostics:#?}"
    );
}

/// A province with two communes directly below it (the shape since 1 July 2025): Xã Một
/// meets the standard set, Xã Hai misses income.
fn two_tier_case(sets: Vec<CriteriaSet>) -> (Hierarchy, Vec<LevelSets>, Vec<UnitInput>) {
    let units = vec![
        AdminUnit::new("P", "Tỉnh thử", Level::Province),
        AdminUnit::new("C1", "Xã Một", Level::Commune).with_parent("P"),
        AdminUnit::new("C2", "Xã Hai", Level::Commune).with_parent("P"),
    ];
    let profile = Profile::in_region(Region::Tdmnpb);
    let inputs = vec![
        UnitInput::new(illustrative::sample_commune("C1", 2022)).with_profile(profile.clone()),
        UnitInput::new(
            illustrative::sample_commune("C2", 2022).with("10.1", Value::Number(20.into())),
        )
        .with_profile(profile),
    ];
    let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
    (tree, vec![LevelSets::new(Level::Commune, sets)], inputs)
}

#[test]
fn province_to_commune_report_names_the_communes_tiers_not_their_ids() {
    let (tree, sets, inputs) = two_tier_case(illustrative::commune_sets());
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let report = Report::build(&tree, &agg, &sets, "P", &ReportOptions::default()).unwrap();
    let vi = report.to_text(Lang::Vi);
    assert!(vi.contains("- Xã Một: đạt chuẩn (công nhận)"), "{vi}");
    assert!(!vi.contains("standard (công nhận)"), "{vi}");
    let en = report.to_text(Lang::En);
    assert!(en.contains("- Xã Một: standard (recognised)"), "{en}");
}

#[test]
fn children_csv_has_one_column_per_tier_of_the_scheme_filled_by_tier_id() {
    // A scheme with the tiers standard and modern (as 2026-2030): no "advanced".
    let mut standard = illustrative::commune_standard();
    let mut modern = illustrative::commune_model();
    for set in [&mut standard, &mut modern] {
        set.scheme.tiers.retain(|t| t.id.as_str() != "advanced");
        if let Some(t) = set
            .scheme
            .tiers
            .iter_mut()
            .find(|t| t.id.as_str() == "model")
        {
            t.id = "modern".into();
            t.name = ntm_rules::model::Label::new("hiện đại", "modern");
        }
    }
    modern.tier = "modern".into();
    if let Some(r) = modern.revocation.as_mut() {
        r.assess_against = Some("standard".into());
    }
    // A district level in between, so that the children are districts with communes.
    let units = vec![
        AdminUnit::new("P", "Tỉnh thử", Level::Province),
        AdminUnit::new("D", "Huyện thử", Level::District).with_parent("P"),
        AdminUnit::new("C1", "Xã Một", Level::Commune).with_parent("D"),
        AdminUnit::new("C2", "Xã Hai", Level::Commune).with_parent("D"),
    ];
    let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
    let (_, sets, inputs) = two_tier_case(vec![standard, modern]);
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let report = Report::build(&tree, &agg, &sets, "P", &ReportOptions::default()).unwrap();
    let csv = report.to_csv().unwrap();
    let children = &csv
        .iter()
        .find(|t| t.name == "children.csv")
        .unwrap()
        .content;
    let mut lines = children.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert!(header.contains(&"communes_standard"), "{children}");
    assert!(header.contains(&"communes_modern"), "{children}");
    assert!(!header.contains(&"communes_advanced"), "{children}");
    assert!(!header.contains(&"communes_model"), "{children}");
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(at("unit"), "D");
    assert_eq!(at("communes_standard"), "1");
    assert_eq!(at("communes_modern"), "0");
}

#[test]
fn every_share_of_the_text_report_names_its_denominator() {
    // C4 is excluded for bad data: tier shares are over the 4 communes assessed, the
    // criteria table and the average over the 3 whose criteria were assessed.
    let c4 = illustrative::sample_commune("C4", 2022).with("3.1", Value::Number(120.into()));
    let (tree, sets, inputs) = district_case(c4);
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let report = Report::build(&tree, &agg, &sets, "D", &ReportOptions::default()).unwrap();
    let en = report.to_text(Lang::En);
    for line in [
        "Shares by tier: of the 4 communes assessed (including 1 excluded, 0 undecided):",
        "- Communes standard: 3/4 (75.0%)",
        "(over the 3 communes whose criteria were assessed; excluded communes not counted)",
        "Communes meeting each criterion: of the 3 communes whose criteria were assessed",
        "- Communes meeting fewer than 1/5 criteria: 0/3 communes whose criteria were assessed",
        "- Cannot decide: 0; excluded: 1 (bad data 1)",
    ] {
        assert!(en.contains(line), "{line}\n{en}");
    }
    assert!(!en.contains("under 1 criteria"), "{en}");
    let vi = report.to_text(Lang::Vi);
    for line in [
        "Tỷ lệ theo hạng: trên 4 xã được đánh giá (kể cả 1 xã bị loại khỏi tổng hợp, 0 xã chưa xác định được):",
        "Số xã đạt từng tiêu chí: trên 3 xã được xét tiêu chí",
        "- Chưa xác định được: 0; loại khỏi tổng hợp: 1 (dữ liệu lỗi 1)",
    ] {
        assert!(vi.contains(line), "{line}\n{vi}");
    }
}

#[test]
fn a_value_is_unused_only_when_no_set_of_the_units_level_reads_it() {
    // The commune sets are for rural communes; W is a ward (not assessed).
    let units = vec![
        AdminUnit::new("P", "Tỉnh thử", Level::Province),
        AdminUnit::new("C1", "Xã Một", Level::Commune)
            .with_parent("P")
            .with_kind(UnitKind::RuralCommune),
        AdminUnit::new("W", "Phường", Level::Commune)
            .with_parent("P")
            .with_kind(UnitKind::Ward),
    ];
    let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
    let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())
        .for_kinds(vec![UnitKind::RuralCommune])];
    let profile = Profile::in_region(Region::Tdmnpb);
    let inputs = vec![
        UnitInput::new(illustrative::sample_commune("C1", 2022)).with_profile(profile.clone()),
        UnitInput::new(illustrative::sample_commune("W", 2022).with("3.l", Value::Flag(true)))
            .with_profile(profile),
    ];
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    assert!(matches!(
        agg.result("W").unwrap().status,
        UnitStatus::NotAssessed { .. }
    ));
    // The ward's values the commune sets read are not reported; its typo is.
    let unused: Vec<_> = agg
        .unused_values
        .iter()
        .map(|v| {
            (
                v.unit.as_str(),
                v.indicator.as_str(),
                v.did_you_mean.as_ref().map(|i| i.as_str()),
            )
        })
        .collect();
    assert_eq!(unused, [("W", "3.l", Some("3.1"))]);
}

/// The cells of a CSV table by column name, one map per line.
fn csv_rows(report: &Report, table: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let csv = report.to_csv().unwrap();
    let content = &csv.iter().find(|t| t.name == table).unwrap().content;
    let mut lines = content.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn csv_exact_columns_hold_counts_not_rounded_quotients() {
    // Two of three communes reach standard: 66.666…%, which no decimal holds.
    let mut units = vec![AdminUnit::new("D", "Huyện thử", Level::District)];
    let mut inputs = Vec::new();
    for i in 1..=3 {
        let code = format!("C{i}");
        units.push(AdminUnit::new(code.as_str(), code.as_str(), Level::Commune).with_parent("D"));
        let mut data = illustrative::sample_commune(&code, 2022);
        if i == 3 {
            data = data.with("10.1", Value::Number(30.into()));
        }
        inputs.push(UnitInput::new(data).with_profile(Profile::in_region(Region::Tdmnpb)));
    }
    let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
    let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let plan = Plan::from_json(
        r#"{"id": "p", "name": {"vi": "Kế hoạch", "en": "Plan"}, "scope": "D", "year": 2022,
        "targets": [
          {"id": "share", "label": {"vi": "Tỷ lệ", "en": "Share"},
           "measure": {"tier_share": {"level": "commune", "tier": "standard"}},
           "requirement": "at_least", "value": "60"},
          {"id": "avg", "label": {"vi": "Bình quân", "en": "Average"},
           "measure": "average_criteria_met", "requirement": "at_least", "value": "15",
           "precision": 1}]}"#,
    )
    .unwrap();
    let options = ReportOptions::default().with_plan(&plan);
    let report = Report::build(&tree, &agg, &sets, "D", &options).unwrap();

    let summary = csv_rows(&report, "summary.csv");
    let standard = summary.iter().find(|r| r["tier"] == "standard").unwrap();
    assert_eq!(
        (
            standard["share_of_all_count"].as_str(),
            standard["share_of_all_total"].as_str(),
            standard["share_of_all_shown"].as_str()
        ),
        ("2", "3", "66.7")
    );
    let criteria = csv_rows(&report, "criteria.csv");
    let c10 = criteria.iter().find(|r| r["criterion"] == "10").unwrap();
    assert_eq!(
        (
            c10["communes_met"].as_str(),
            c10["communes_evaluated"].as_str(),
            c10["share_shown"].as_str()
        ),
        ("2", "3", "66.7")
    );
    let plan_rows = csv_rows(&report, "plan.csv");
    let share = plan_rows.iter().find(|r| r["target"] == "share").unwrap();
    assert_eq!(
        (
            share["actual_exact"].as_str(),
            share["actual_count"].as_str(),
            share["actual_denominator"].as_str(),
            share["compared"].as_str(),
            share["status"].as_str()
        ),
        ("", "2", "3", "", "met")
    );
    let avg = plan_rows.iter().find(|r| r["target"] == "avg").unwrap();
    assert_eq!(avg["actual_exact"], "");
    assert_eq!(avg["actual_denominator"], "3");
    let children = csv_rows(&report, "children.csv");
    assert!(children
        .iter()
        .all(|r| !r.contains_key("average_criteria_exact")));
    // No table writes a quotient rounded at the 28th digit anywhere.
    for t in report.to_csv().unwrap() {
        assert!(!t.content.contains("66.66666"), "{}: {}", t.name, t.content);
    }
}

#[test]
fn plan_above_at_equality_is_not_short_by_zero() {
    let c4 = illustrative::sample_commune("C4", 2022).with("10.1", Value::Number(30.into()));
    let (tree, sets, inputs) = district_case(c4);
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let plan = Plan::from_json(
        r#"{"id": "p", "name": {"vi": "Kế hoạch", "en": "Plan"}, "scope": "D", "year": 2022,
        "targets": [
          {"id": "count", "label": {"vi": "Xã đạt chuẩn", "en": "Standard communes"},
           "measure": {"tier_count": {"level": "commune", "tiers": ["standard"]}},
           "requirement": "above", "value": 3},
          {"id": "share", "label": {"vi": "Tỷ lệ", "en": "Share"},
           "measure": {"tier_share": {"level": "commune", "tier": "standard"}},
           "requirement": "above", "value": "75"},
          {"id": "close", "label": {"vi": "Gần", "en": "Close"},
           "measure": {"tier_share": {"level": "commune", "tier": "standard"}},
           "requirement": "at_least", "value": "75.01"}
        ]}"#,
    )
    .unwrap();
    let p = plan.progress(&agg);
    // Three communes at standard, "above 3": one more is needed.
    assert_eq!(
        p.target("count").unwrap().status,
        TargetStatus::Short { by: 1.into() }
    );
    // 75% "above 75": not met, with no least amount.
    assert_eq!(p.target("share").unwrap().status, TargetStatus::AtTarget);
    let options = ReportOptions::default().with_plan(&plan);
    let report = Report::build(&tree, &agg, &sets, "D", &options).unwrap();
    let text = report.to_text(Lang::En);
    assert!(
        text.contains("NOT MET: equal to the target, not above"),
        "{text}"
    );
    // A shortfall below the places shown is written in full, not as "by 0.0".
    assert!(text.contains("SHORT by 0.01"), "{text}");
    assert!(
        !text.contains("SHORT by 0%") && !text.contains("SHORT by 0.0%"),
        "{text}"
    );
    let vi = report.to_text(Lang::Vi);
    assert!(vi.contains("CHƯA ĐẠT, bằng chỉ tiêu, chưa vượt"), "{vi}");
}

#[test]
fn an_unknown_plan_target_says_why_in_the_reports_language() {
    let c4 = illustrative::sample_commune("C4", 2022);
    let (tree, sets, inputs) = district_case(c4);
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let plan = Plan::from_json(
        r#"{"id": "p", "name": {"vi": "Kế hoạch", "en": "Plan"}, "scope": "D", "year": 2022,
        "targets": [
          {"id": "ocop", "label": {"vi": "Sản phẩm OCOP", "en": "OCOP products"},
           "measure": {"indicator": {"indicator": "ocop_5star", "from": "given"}},
           "requirement": "at_least", "value": "1"}
        ]}"#,
    )
    .unwrap();
    let p = plan.progress(&agg);
    assert_eq!(
        p.target("ocop").unwrap().status,
        TargetStatus::Unknown {
            reason: ntm_rules::tree::UnknownReason::NotGiven {
                indicator: "ocop_5star".into()
            }
        }
    );
    let options = ReportOptions::default().with_plan(&plan);
    let report = Report::build(&tree, &agg, &sets, "D", &options).unwrap();
    let vi = report.to_text(Lang::Vi);
    assert!(
        vi.contains("KHÔNG XÁC ĐỊNH (không có giá trị `ocop_5star` cho đơn vị báo cáo)"),
        "{vi}"
    );
    let en = report.to_text(Lang::En);
    assert!(
        en.contains("UNKNOWN (no value of `ocop_5star` given for the scope)"),
        "{en}"
    );
}

#[test]
fn csv_shown_columns_keep_the_decimal_the_text_shows() {
    // Every commune at standard: 100%, which the text shows as "100,0%".
    let mut units = vec![AdminUnit::new("D", "Huyện thử", Level::District)];
    let mut inputs = Vec::new();
    for i in 1..=2 {
        let code = format!("C{i}");
        units.push(AdminUnit::new(code.as_str(), code.as_str(), Level::Commune).with_parent("D"));
        let data = illustrative::sample_commune(&code, 2022);
        inputs.push(UnitInput::new(data).with_profile(Profile::in_region(Region::Tdmnpb)));
    }
    let tree = Hierarchy::new(units, Date::end_of_year(2022)).unwrap();
    let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let report = Report::build(&tree, &agg, &sets, "D", &ReportOptions::default()).unwrap();
    assert!(report.to_text(Lang::Vi).contains("(100,0%)"));
    let summary = csv_rows(&report, "summary.csv");
    let standard = summary.iter().find(|r| r["tier"] == "standard").unwrap();
    assert_eq!(standard["share_of_all_shown"].as_str(), "100.0");
    let criteria = csv_rows(&report, "criteria.csv");
    let c10 = criteria.iter().find(|r| r["criterion"] == "10").unwrap();
    assert_eq!(c10["share_shown"].as_str(), "100.0");
}
