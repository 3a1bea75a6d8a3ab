//! The real path (#10): the national catalog's sets with a provincial overlay, end to end,
//! and the rules the law states: unique ids across tiers, model only after advanced,
//! nesting histories, idempotent years, wards out of scope, a country root, mergers and
//! the outstanding field.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a panic is a test failure"
)]

use ntm_rules::contract::{self, handle_json, Request};
use ntm_rules::engine::{decide, DecideError, Evaluator, Verdict};
use ntm_rules::model::{
    AdminUnit, CriteriaSet, Date, EventKind, History, IndicatorId, Level, RecognitionEvent, TierId,
    UnitKind, Value,
};
use ntm_rules::policy::{apply_overlays, catalog, validate_tiers, Overlay, PolicyProblemKind};
use ntm_rules::tree::{
    aggregate, AggregateOptions, Aggregation, ExclusionReason, Hierarchy, LevelSets, MergerRule,
    ScopeReason, UnitInput, UnitStatus,
};

const COMMUNE_SETS: [&str; 3] = [
    "vn-2021-2025-commune-standard",
    "vn-2021-2025-commune-advanced",
    "vn-2021-2025-commune-model",
];

fn overlay() -> Overlay {
    Overlay::from_json(include_str!("../data/bac_giang_2022_catalog/overlay.json")).unwrap()
}

/// The catalog's commune sets with the illustrative Bắc Giang overlay.
fn commune_sets() -> Vec<CriteriaSet> {
    let overlay = overlay();
    COMMUNE_SETS
        .iter()
        .map(|id| {
            apply_overlays(&catalog::load(id).unwrap(), std::slice::from_ref(&overlay)).unwrap()
        })
        .collect()
}

/// The inputs of the catalog example, by unit code.
fn example_inputs() -> Vec<UnitInput> {
    serde_json::from_str(include_str!("../data/bac_giang_2022_catalog/inputs.json")).unwrap()
}

/// The data of the example's model commune: it meets the standard, advanced and model sets.
fn model_commune_input() -> UnitInput {
    example_inputs()
        .into_iter()
        .find(|i| !i.outstanding_fields.is_empty())
        .expect("the example has a model commune")
}

fn decide_with(history: History) -> Result<ntm_rules::engine::Decision, DecideError> {
    let input = model_commune_input();
    let mut evaluator = Evaluator::new(commune_sets(), 2022);
    let assessments: Vec<_> = commune_sets()
        .iter()
        .map(|s| {
            ntm_rules::engine::compile(s, &input.profile, 2022)
                .unwrap()
                .evaluate(&input.data)
                .unwrap()
        })
        .collect();
    // The evaluator and the sets one by one agree.
    let one = evaluator.evaluate(&input.profile, &input.data, &history);
    let decision = decide(&assessments, &history);
    match (&one, &decision) {
        (Ok(one), Ok(d)) => assert_eq!(one.decision.verdict, d.verdict),
        (Err(e), Err(d)) => assert_eq!(e.to_string(), d.to_string()),
        _ => panic!("the evaluator and decide disagree: {one:?} / {decision:?}"),
    }
    decision
}

#[test]
fn the_catalog_commune_tiers_read_one_data_map_without_conflict() {
    let sets: Vec<CriteriaSet> = COMMUNE_SETS
        .iter()
        .map(|id| catalog::load(id).unwrap())
        .collect();
    let conflicts: Vec<_> = validate_tiers(&sets)
        .into_iter()
        .filter(|p| p.to_string().contains("one value cannot be both"))
        .collect();
    assert!(conflicts.is_empty(), "{conflicts:?}");
    // The model commune's data binds to all three sets: nothing is excluded for bad data.
    let input = model_commune_input();
    let mut evaluator = Evaluator::new(commune_sets(), 2022);
    let result = evaluator
        .evaluate(&input.profile, &input.data, &History::default())
        .unwrap();
    assert_eq!(result.assessments.len(), 3);
}

#[test]
fn one_id_with_two_kinds_across_tiers_is_refused_by_validation_and_the_facade() {
    // The model set as it was: `4.1` a count, where the standard set's `4.1` is a yes/no.
    let mut model = catalog::load("vn-2021-2025-commune-model").unwrap();
    model.criteria[2].indicators[0].id = IndicatorId::new("4.1");
    let sets = vec![
        catalog::load("vn-2021-2025-commune-standard").unwrap(),
        catalog::load("vn-2021-2025-commune-advanced").unwrap(),
        model.clone(),
    ];
    let problems = validate_tiers(&sets);
    let conflict = problems
        .iter()
        .find(|p| matches!(p.kind, PolicyProblemKind::Structure(_)))
        .expect("a conflict");
    assert_eq!(
        conflict.location.set.as_ref().map(|s| s.as_str()),
        Some("vn-2021-2025-commune-model")
    );
    assert_eq!(
        conflict.location.pointer.as_ref().map(|p| p.as_str()),
        Some("/criteria/2/indicators/0")
    );
    assert!(
        conflict
            .to_string()
            .contains("`4.1` is a count here but a yes/no"),
        "{conflict}"
    );

    let request = serde_json::json!({
        "version": 1,
        "year": 2022,
        "date": "2022-12-31",
        "units": [
            {"code": "P", "name": "P", "level": "province"},
            {"code": "C", "name": "C", "level": "commune", "kind": "rural_commune", "parent": "P"}
        ],
        "sets": [{"level": "commune", "sets": [
            {"catalog": "vn-2021-2025-commune-standard"},
            {"catalog": "vn-2021-2025-commune-advanced"},
            {"inline": model}
        ]}],
        "inputs": []
    });
    let response: serde_json::Value =
        serde_json::from_str(&handle_json(&request.to_string())).unwrap();
    assert_eq!(response["ok"], false, "{response}");
    let d = &response["diagnostics"][0];
    assert_eq!(d["pointer"], "/sets/0/sets/2");
    assert_eq!(d["indicator"], "4.1");
    assert_eq!(d["set"], "vn-2021-2025-commune-model");
}

#[test]
fn model_is_reached_only_by_a_commune_already_advanced() {
    // Held standard, meets advanced and model: advanced this year, model not yet.
    let d = decide_with(History::recognised("standard", 2019)).unwrap();
    assert_eq!(
        d.verdict,
        Verdict::Recognise {
            tier: TierId::new("advanced"),
            newly: vec![TierId::new("advanced")]
        }
    );
    let gap = d.next.as_ref().unwrap();
    assert_eq!(gap.tier.as_str(), "model");
    assert_eq!(
        gap.requires_held.as_ref().map(|t| t.as_str()),
        Some("advanced")
    );
    // No tier at all: standard and advanced in one decision, never model.
    let d = decide_with(History::default()).unwrap();
    assert_eq!(
        d.verdict,
        Verdict::Recognise {
            tier: TierId::new("advanced"),
            newly: vec![TierId::new("standard"), TierId::new("advanced")]
        }
    );
    // Advanced since 2021: model.
    let d = decide_with(History::recognised("standard", 2019).with(
        "advanced",
        2021,
        EventKind::Recognised,
    ))
    .unwrap();
    assert_eq!(
        d.verdict,
        Verdict::Recognise {
            tier: TierId::new("model"),
            newly: vec![TierId::new("model")]
        }
    );
}

#[test]
fn a_history_that_skips_a_tier_is_refused_naming_the_unit_and_event() {
    let err = decide_with(History::recognised("model", 2020)).unwrap_err();
    assert!(
        matches!(err, DecideError::HistoryNotNested { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "unit `{}`: history does not nest: recognition of tier `model` in 2020 while holding no tier",
            model_commune_input().data.unit
        )
    );
    // Revoking a tier never held does not nest either.
    let err = decide_with(History::recognised("standard", 2019).with(
        "advanced",
        2020,
        EventKind::Revoked,
    ))
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("revocation of tier `advanced` in 2020 while holding `standard`"),
        "{err}"
    );
}

fn catalog_example() -> (Request, Aggregation, Hierarchy) {
    let request = Request::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/bac_giang_2022_catalog"
    ))
    .unwrap();
    let run = contract::run(request.clone()).unwrap();
    (request, run.aggregation, run.tree)
}

#[test]
fn the_catalog_example_gives_the_province_figures() {
    let (_, agg, _) = catalog_example();
    let province = agg
        .summaries
        .values()
        .find(|s| s.level == Level::Province)
        .unwrap();
    let communes = province.level(Level::Commune).unwrap();
    assert_eq!((communes.units, communes.assessed), (184, 184));
    assert_eq!(communes.excluded + communes.undecided, 0);
    let standard = communes.tier("standard").unwrap();
    assert_eq!((standard.cumulative, standard.new), (147, 9));
    let advanced = communes.tier("advanced").unwrap();
    assert_eq!((advanced.cumulative, advanced.new), (41, 18));
    let model = communes.tier("model").unwrap();
    assert_eq!((model.cumulative, model.new), (1, 1));
    let villages = province.level(Level::Village).unwrap();
    assert_eq!(villages.tier("model").unwrap().cumulative, 239);
    let avg = province.criteria.as_ref().unwrap().average;
    assert_eq!((avg.sum, avg.count), (3146, 184));
    // The model commune is reported with its outstanding field.
    let model_unit = agg
        .results
        .values()
        .filter(|r| r.level == Level::Commune)
        .find_map(|r| match &r.status {
            UnitStatus::Decided { decision }
                if decision.tier_after() == Some(Some(&TierId::new("model"))) =>
            {
                Some(decision.clone())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(model_unit.outstanding_fields.len(), 1);
    // And the province report names it with its field.
    let request = Request::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/bac_giang_2022_catalog"
    ))
    .unwrap();
    let report = contract::run(request).unwrap().report(None).unwrap();
    let field = &model_unit.outstanding_fields[0];
    let text = report.to_text(ntm_rules::model::Lang::Vi);
    assert!(
        text.contains(&format!("— lĩnh vực nổi trội: {field}")),
        "{text}"
    );
}

#[test]
fn re_running_a_year_after_recording_its_decisions_gives_the_same_decisions() {
    let (request, first, tree) = catalog_example();
    // Record every decision of 2022 in the histories, as a province would.
    let mut recorded = request.clone();
    for input in recorded.inputs.iter_mut() {
        let contract::RequestInput::Read(input) = input else {
            continue;
        };
        let Some(r) = first.results.get(&input.data.unit) else {
            continue;
        };
        let UnitStatus::Decided { decision } = &r.status else {
            continue;
        };
        match &decision.verdict {
            Verdict::Recognise { newly, .. } => {
                for t in newly {
                    input.history.events.push(RecognitionEvent {
                        tier: t.clone(),
                        year: 2022,
                        kind: EventKind::Recognised,
                        decision: Some("recorded".to_owned()),
                    });
                }
            }
            Verdict::Revoke { tier, .. } => input.history.events.push(RecognitionEvent {
                tier: tier.clone(),
                year: 2022,
                kind: EventKind::Revoked,
                decision: Some("recorded".to_owned()),
            }),
            _ => {}
        }
    }
    let again = contract::run(recorded).unwrap().aggregation;
    let mut compared = 0;
    for (code, r) in &first.results {
        let (UnitStatus::Decided { decision: a }, UnitStatus::Decided { decision: b }) =
            (&r.status, &again.results[code].status)
        else {
            continue;
        };
        assert_eq!(a.verdict, b.verdict, "unit {code}");
        compared += 1;
    }
    assert_eq!(compared, tree.len());
    assert_eq!(first.summaries, again.summaries);
}

fn small_tree(units: Vec<AdminUnit>) -> Hierarchy {
    Hierarchy::new(units, Date::end_of_year(2022)).unwrap()
}

fn commune(code: &str, parent: &str, kind: Option<UnitKind>) -> AdminUnit {
    let u = AdminUnit::new(code, code, Level::Commune).with_parent(parent);
    match kind {
        Some(k) => u.with_kind(k),
        None => u,
    }
}

fn input_as(code: &str, history: History) -> UnitInput {
    let mut input = model_commune_input();
    input.data.unit = code.into();
    input.outstanding_fields.clear();
    input.history = history;
    input
}

#[test]
fn wards_are_out_of_scope_of_the_catalog_commune_sets_with_the_reason() {
    let tree = small_tree(vec![
        AdminUnit::new("P", "P", Level::Province),
        commune("X", "P", Some(UnitKind::RuralCommune)),
        commune("W", "P", Some(UnitKind::Ward)),
        commune("N", "P", None),
    ]);
    let sets = vec![LevelSets::new(Level::Commune, commune_sets())];
    let inputs = vec![
        input_as("X", History::default()),
        input_as("W", History::default()),
        input_as("N", History::default()),
    ];
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    assert_eq!(
        agg.results["W"].status,
        UnitStatus::NotAssessed {
            scope: ScopeReason::KindNotCovered {
                kind: UnitKind::Ward,
                covered: vec![UnitKind::RuralCommune]
            }
        }
    );
    assert!(matches!(
        &agg.results["N"].status,
        UnitStatus::Excluded { reason: ExclusionReason::KindNotGiven { covered } } if covered == &[UnitKind::RuralCommune]
    ));
    let communes = agg.summary("P").unwrap().level(Level::Commune).unwrap();
    assert_eq!(
        (communes.units, communes.assessed, communes.excluded),
        (3, 2, 1)
    );
    assert_eq!(communes.tier("standard").unwrap().share_of_all.total, 2);
    // Said in words, with the reason.
    let UnitStatus::NotAssessed { scope } = &agg.results["W"].status else {
        unreachable!()
    };
    assert_eq!(
        scope.to_string(),
        "it is a ward, and the criteria sets of its level apply to commune only"
    );
}

#[test]
fn a_country_root_sums_its_provinces() {
    let tree = small_tree(vec![
        AdminUnit::new("VN", "Việt Nam", Level::Country),
        AdminUnit::new("P1", "P1", Level::Province).with_parent("VN"),
        AdminUnit::new("P2", "P2", Level::Province).with_parent("VN"),
        commune("A", "P1", Some(UnitKind::RuralCommune)),
        commune("B", "P2", Some(UnitKind::RuralCommune)),
        commune("C", "P2", Some(UnitKind::RuralCommune)),
    ]);
    let sets = vec![LevelSets::new(Level::Commune, commune_sets())];
    let mut failing = input_as("C", History::default());
    failing
        .data
        .values
        .insert(IndicatorId::new("19.1"), Value::Flag(false));
    let inputs = vec![
        input_as(
            "A",
            History::recognised("standard", 2019).with("advanced", 2021, EventKind::Recognised),
        ),
        input_as("B", History::default()),
        failing,
    ];
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    let nation = agg.summary("VN").unwrap();
    assert_eq!(nation.level, Level::Country);
    let communes = nation.level(Level::Commune).unwrap();
    assert_eq!(communes.units, 3);
    let standard = communes.tier("standard").unwrap();
    assert_eq!((standard.cumulative, standard.share_of_all.total), (2, 3));
    let model = communes.tier("model").unwrap();
    // Model over standard communes, the national reports' form: 1 of 2.
    assert_eq!(
        (model.share_of_lowest.count, model.share_of_lowest.total),
        (1, 2)
    );
    assert_eq!(nation.level(Level::Province).unwrap().units, 2);
    assert!(matches!(
        agg.results["VN"].status,
        UnitStatus::NotAssessed {
            scope: ScopeReason::NoSetsForLevel
        }
    ));
}

#[test]
fn a_commune_merged_from_communes_of_one_tier_keeps_it_and_mixed_ones_are_re_reviewed() {
    let merged = |code: &str, parts: [&str; 2]| {
        commune(code, "P", Some(UnitKind::RuralCommune))
            .merged_from(parts)
            .valid(Some(Date::new(2022, 1, 1).unwrap()), None)
    };
    let former = |code: &str| {
        commune(code, "P", Some(UnitKind::RuralCommune))
            .valid(None, Some(Date::new(2021, 12, 31).unwrap()))
    };
    let tree = small_tree(vec![
        AdminUnit::new("P", "P", Level::Province),
        merged("M1", ["A", "B"]),
        merged("M2", ["C", "D"]),
        merged("M3", ["E", "F"]),
        former("A"),
        former("B"),
        former("C"),
        former("D"),
        former("E"),
    ]);
    let sets = vec![LevelSets::new(Level::Commune, commune_sets())];
    let history_only = |code: &str, history: History| {
        UnitInput::new(ntm_rules::model::IndicatorData::new(code, 2022)).with_history(history)
    };
    let standard = || History::recognised("standard", 2018);
    let inputs = vec![
        input_as("M1", History::default()),
        input_as("M2", History::default()),
        input_as("M3", History::default()),
        history_only("A", standard()),
        history_only("B", standard()),
        history_only("C", standard()),
        history_only("D", History::default()),
        history_only("E", standard()),
    ];
    let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    // M1: both parts standard: M1 holds standard, and (meeting advanced) climbs from it.
    let m1 = &agg.results["M1"];
    assert_eq!(
        m1.merger.as_ref().map(|m| &m.rule),
        Some(&MergerRule::Inherited {
            tier: Some(TierId::new("standard"))
        })
    );
    let UnitStatus::Decided { decision } = &m1.status else {
        panic!("{:?}", m1.status)
    };
    assert_eq!(decision.held.as_ref().map(|t| t.as_str()), Some("standard"));
    assert_eq!(
        decision.verdict,
        Verdict::Recognise {
            tier: TierId::new("advanced"),
            newly: vec![TierId::new("advanced")]
        }
    );
    // M2: standard + non-standard: re-reviewed, holds nothing from its parts.
    let m2 = &agg.results["M2"];
    assert_eq!(
        m2.merger.as_ref().map(|m| &m.rule),
        Some(&MergerRule::ReReview)
    );
    let UnitStatus::Decided { decision } = &m2.status else {
        panic!("{:?}", m2.status)
    };
    assert_eq!(decision.held, None);
    // M3: part F has no input: excluded, naming it.
    assert!(matches!(
        &agg.results["M3"].status,
        UnitStatus::Excluded { reason: ExclusionReason::MergerPartsMissing { parts } }
            if parts == &[ntm_rules::model::UnitCode::new("F")]
    ));
    // The report counts the merged communes by case.
    let report = ntm_rules::report::Report::build(
        &tree,
        &agg,
        &sets,
        "P",
        &ntm_rules::report::ReportOptions::default(),
    )
    .unwrap();
    let text = report.to_text(ntm_rules::model::Lang::En);
    assert!(
        text.contains("Communes formed by a merger: 2 (inherit their parts' tier: 1; re-reviewed, parts of different tiers: 1; re-reviewed, a part was divided: 0)"),
        "{text}"
    );
    // The parts' inputs were used, not unknown; E's was not (its merger could not be
    // applied), and it is said.
    assert_eq!(agg.unknown_inputs, [ntm_rules::model::UnitCode::new("E")]);
}

#[test]
fn the_advanced_set_names_living_environment_quality_a_key_criterion() {
    let advanced = catalog::load("vn-2021-2025-commune-advanced").unwrap();
    let rule = advanced.revocation.as_ref().unwrap();
    let keys: Vec<&str> = rule.key_criteria.iter().map(|c| c.as_str()).collect();
    assert_eq!(keys, ["10", "17", "18", "19"]);
    assert_eq!(advanced.criterion("17").unwrap().name.vi, "Môi trường");
    assert_eq!(
        advanced.criterion("18").unwrap().name.vi,
        "Chất lượng môi trường sống"
    );
    assert_eq!(rule.confidence, ntm_rules::model::Confidence::Reported);
    // The model set asks for the advanced tier held first.
    let model = catalog::load("vn-2021-2025-commune-model").unwrap();
    assert_eq!(
        model.requires_held.as_ref().map(|t| t.as_str()),
        Some("advanced")
    );
    assert_eq!(model.applies_to, [UnitKind::RuralCommune]);
}
