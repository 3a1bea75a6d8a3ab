//! Planning (issue 13) on the Bắc Giang 2022 data set: the candidates for the plan's
//! "+9 standard" and "+18 advanced" targets, through [`Run`](ntm_rules::contract::Run).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a panic is a test failure"
)]

use std::collections::BTreeSet;

use ntm_rules::contract::{self, Request, UnitState, WhatIf};
use ntm_rules::engine::Verdict;
use ntm_rules::model::{Level, TierId, UnitCode, Value};
use ntm_rules::tree::{CostModel, PlanError, RoadmapOptions, UnitStatus};

fn run() -> contract::Run {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bac_giang_2022");
    contract::run(Request::from_dir(std::path::Path::new(dir)).unwrap()).unwrap()
}

/// The communes the 2022 decisions newly recognise at `tier`.
fn newly(run: &contract::Run, tier: &str) -> BTreeSet<UnitCode> {
    run.aggregation
        .results
        .values()
        .filter(|r| r.level == Level::Commune)
        .filter_map(|r| match &r.status {
            UnitStatus::Decided { decision } => match &decision.verdict {
                Verdict::Recognise { newly, .. } if newly.iter().any(|t| t.as_str() == tier) => {
                    Some(r.unit.clone())
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[test]
fn the_plans_new_standard_and_advanced_targets_pick_the_communes_that_close_their_gaps() {
    let run = run();
    let targets = run.new_units_targets();
    let find = |t: &str| {
        targets
            .iter()
            .find(|x| x.tier.as_str() == t && x.level == Level::Commune)
            .unwrap()
    };
    assert_eq!(find("standard").count, 9);
    assert_eq!(find("advanced").count, 18);
    for tier in ["standard", "advanced"] {
        let target = find(tier);
        let s = run
            .candidates(
                None,
                Level::Commune,
                &target.tier,
                target.count,
                &CostModel::default(),
            )
            .unwrap();
        assert_eq!(s.short_by, 0);
        let chosen: BTreeSet<UnitCode> = s.chosen.iter().map(|c| c.unit.clone()).collect();
        // The communes the engine recognises this year have nothing left to do, so they
        // are the least-cost set; every other candidate has a criterion open.
        assert_eq!(chosen, newly(&run, tier), "{tier}");
        assert!(s.chosen.iter().all(|c| c.gaps.is_closed()));
        assert!(s.others.iter().all(|c| c.criteria > 0));
        assert!(s.others.windows(2).all(|w| w[0].cost <= w[1].cost));
    }
}

#[test]
fn a_commune_not_standard_gets_gaps_and_a_roadmap_and_an_unknown_unit_is_named() {
    let run = run();
    let s = run
        .candidates(
            None,
            Level::Commune,
            &TierId::new("standard"),
            9,
            &CostModel::default(),
        )
        .unwrap();
    let next = &s.others[0];
    let g = run
        .gaps(next.unit.as_str(), &TierId::new("standard"), None)
        .unwrap();
    assert_eq!(g.criteria(), next.gaps.criteria());
    let r = run
        .roadmap(
            next.unit.as_str(),
            &TierId::new("standard"),
            &RoadmapOptions::new(2025),
        )
        .unwrap();
    assert!(r.years.iter().all(|y| y.steps.len() <= 2));
    let open = g.criteria().len();
    assert_eq!(
        r.reached_in,
        Some(2022 + (open.div_ceil(2) as u16) - 1),
        "{r:?}"
    );
    let err = run
        .gaps("nowhere", &TierId::new("standard"), None)
        .unwrap_err();
    assert!(matches!(err, PlanError::UnknownUnit { .. }));
    assert!(err.to_string().contains("nowhere"));
    let err = run
        .gaps(next.unit.as_str(), &TierId::new("standard"), Some(2021))
        .unwrap_err();
    assert!(
        matches!(err, PlanError::YearBeforeReporting { .. }),
        "{err}"
    );
}

#[test]
fn what_if_with_no_change_gives_an_empty_diff() {
    let run = run();
    assert!(run.what_if(&WhatIf::default()).unwrap().is_empty());
    // Values equal to those given are no change either.
    let first = &run.inputs[0];
    let mut same = WhatIf::default();
    same.values
        .insert(first.data.unit.clone(), first.data.values.clone());
    assert!(run.what_if(&same).unwrap().is_empty());
}

#[test]
fn what_if_closing_a_communes_gaps_shows_every_change_in_the_diff() {
    let run = run();
    let s = run
        .candidates(
            None,
            Level::Commune,
            &TierId::new("standard"),
            9,
            &CostModel::default(),
        )
        .unwrap();
    let next = &s.others[0];
    let mut w = WhatIf::default();
    w.values.insert(next.unit.clone(), next.gaps.changes());
    let diff = run.what_if(&w).unwrap();
    assert_eq!(diff.values.len(), next.gaps.changes().len());
    let unit = diff.units.iter().find(|u| u.unit == next.unit).unwrap();
    assert_eq!(unit.before, UnitState::Decided { tier: None });
    assert_eq!(
        unit.after,
        UnitState::Decided {
            tier: Some(TierId::new("standard"))
        }
    );
    assert!(unit.criteria_after > unit.criteria_before);
    // The province's counts and the plan's "newly standard" target move with it.
    assert!(
        diff.summaries.iter().any(|u| u.as_str() == "24"),
        "{diff:?}"
    );
    let new = diff
        .targets
        .iter()
        .find(|t| t.target == "communes_standard_new")
        .unwrap();
    assert_eq!(
        (new.before, new.after),
        (
            Some(rust_decimal::Decimal::from(9)),
            Some(rust_decimal::Decimal::from(10))
        )
    );
}

#[test]
fn what_if_with_a_value_of_the_wrong_kind_excludes_that_unit_naming_the_indicator() {
    let run = run();
    let s = run
        .candidates(
            None,
            Level::Commune,
            &TierId::new("standard"),
            9,
            &CostModel::default(),
        )
        .unwrap();
    let unit = s.chosen[0].unit.clone();
    let mut w = WhatIf::default();
    let mut values = std::collections::BTreeMap::new();
    values.insert(
        ntm_rules::model::IndicatorId::new("2.1"),
        Value::Number(rust_decimal::Decimal::from(5)),
    );
    w.values.insert(unit.clone(), values);
    let diff = run.what_if(&w).unwrap();
    let change = diff
        .units
        .iter()
        .find(|u| u.unit == unit)
        .unwrap_or_else(|| panic!("{diff:?}"));
    assert!(
        matches!(&change.after, UnitState::Excluded { reason } if reason.contains("2.1")),
        "{change:?}"
    );
    let mut w = WhatIf::default();
    w.values
        .insert("nowhere".into(), std::collections::BTreeMap::new());
    let err = run.what_if(&w).unwrap_err();
    assert!(err.to_string().contains("nowhere"));
}

#[test]
fn plus_criteria_per_commune_picks_the_cheapest_criteria_not_met() {
    let run = run();
    // +0.3 criteria per commune over 184 communes: 56 more criteria.
    let s = run
        .criteria_candidates(None, Level::Commune, 56, &CostModel::default())
        .unwrap();
    assert_eq!((s.chosen.len(), s.short_by), (56, 0));
    assert!(s.chosen.windows(2).all(|w| w[0].cost <= w[1].cost));
    for c in &s.chosen {
        let met = run.aggregation.results[&c.unit]
            .criteria_met
            .as_ref()
            .unwrap();
        assert!(!met.contains(&c.criterion), "{c:?}");
    }
}

#[test]
fn plan_progress_reports_the_communes_behind_schedule_and_those_without_procedure_data() {
    let run = run();
    let progress = run
        .plan
        .as_ref()
        .unwrap()
        .progress(&run.aggregation)
        .milestones
        .unwrap();
    let behind: Vec<(&str, &str)> = progress
        .behind()
        .map(|m| (m.unit.as_str(), m.step.as_str()))
        .collect();
    assert_eq!(
        behind,
        [("217.06", "verification"), ("221.06", "dossier")],
        "the two synthetic late communes"
    );
    let unknown: Vec<&str> = progress
        .unknown_units()
        .iter()
        .map(|u| u.as_str())
        .collect();
    assert_eq!(unknown, ["223.06"]);
    // Quảng Minh has its own deadlines (verification in November): done 24 November, on time.
    let qm = progress
        .milestones
        .iter()
        .find(|m| m.unit.as_str() == "222.01" && m.step == "verification")
        .unwrap();
    assert_eq!(qm.due.to_string(), "2022-11-30");
    assert!(!qm.status.is_behind());
    // 28 communes registered, 3 deadlines each.
    assert_eq!(progress.milestones.len(), 28 * 3);
    assert!(progress.problems.is_empty());
}

fn clean_water_overlay(id: &str, set: &str, floor: &str) -> ntm_rules::policy::Overlay {
    ntm_rules::policy::Overlay::from_json(&format!(
        r#"{{"id": "{id}", "authority": {{"vi": "giả định", "en": "hypothetical"}},
            "source": {{"document": "what-if test"}}, "confidence": "illustrative",
            "thresholds": [{{"set": "{set}", "indicator": "17.1",
                             "threshold": {{"number": "{floor}"}}}}]}}"#
    ))
    .unwrap()
}

/// The communes newly standard in 2022 whose clean-water share is below `floor`.
fn newly_standard_below(run: &contract::Run, floor: rust_decimal::Decimal) -> BTreeSet<UnitCode> {
    let water = ntm_rules::model::IndicatorId::new("17.1");
    newly(run, "standard")
        .into_iter()
        .filter(|u| {
            run.inputs.iter().any(|i| {
                &i.data.unit == u
                    && matches!(i.data.values.get(&water), Some(Value::Number(n)) if *n < floor)
            })
        })
        .collect()
}

#[test]
fn what_if_with_a_stricter_threshold_overlay_shows_the_decisions_that_change() {
    let run = run();
    let set = "bg2022-illustrative-commune-standard";
    let floor = rust_decimal::Decimal::from(90);
    let losing = newly_standard_below(&run, floor);
    assert!(
        !losing.is_empty(),
        "the data has newly standard communes below 90%"
    );
    let diff = run
        .what_if(&WhatIf::default().with_overlay(clean_water_overlay("water-90", set, "90")))
        .unwrap();
    assert_eq!(diff.overlays, ["water-90"]);
    assert!(diff.values.is_empty());
    for unit in &losing {
        let change = diff.units.iter().find(|c| &c.unit == unit).unwrap();
        assert_eq!(
            change.before,
            UnitState::Decided {
                tier: Some(TierId::new("standard"))
            }
        );
        assert_ne!(change.after, change.before, "{unit}");
        assert!(change.criteria_after < change.criteria_before, "{unit}");
    }
    // Only communes below the new floor can change at commune level.
    let water = ntm_rules::model::IndicatorId::new("17.1");
    for change in &diff.units {
        let Some(input) = run.inputs.iter().find(|i| i.data.unit == change.unit) else {
            continue;
        };
        if run.aggregation.results.get(&change.unit).map(|r| r.level) != Some(Level::Commune) {
            continue;
        }
        assert!(
            matches!(input.data.values.get(&water), Some(Value::Number(n)) if *n < floor),
            "{} changed but meets 90%",
            change.unit
        );
    }
    // The plan's "newly standard" count falls by the communes that lose the tier.
    let new = diff
        .targets
        .iter()
        .find(|t| t.target == "communes_standard_new")
        .unwrap();
    assert_eq!(
        new.after,
        Some(rust_decimal::Decimal::from(9 - losing.len() as i64))
    );
}

#[test]
fn what_if_with_an_overlay_equal_to_the_sets_threshold_changes_no_decision() {
    let run = run();
    let diff = run
        .what_if(&WhatIf::default().with_overlay(clean_water_overlay(
            "water-50",
            "bg2022-illustrative-commune-standard",
            "50",
        )))
        .unwrap();
    assert_eq!(diff.overlays, ["water-50"]);
    assert!(diff.units.is_empty(), "{:?}", diff.units);
    assert!(diff.targets.is_empty());
}

#[test]
fn what_if_with_an_overlay_for_an_unknown_set_or_a_loosening_is_refused_naming_it() {
    let run = run();
    let err = run
        .what_if(&WhatIf::default().with_overlay(clean_water_overlay(
            "typo",
            "bg2022-illustrative-commune-standrad",
            "90",
        )))
        .unwrap_err();
    assert!(matches!(err, contract::WhatIfError::Overlay { .. }));
    assert!(err.to_string().contains("standrad"), "{err}");
    let err = run
        .what_if(&WhatIf::default().with_overlay(clean_water_overlay(
            "looser",
            "bg2022-illustrative-commune-standard",
            "10",
        )))
        .unwrap_err();
    assert!(err.to_string().contains("17.1"), "{err}");
}

#[test]
fn the_json_response_carries_the_milestones_beside_the_plan_targets() {
    let run = run();
    let v = serde_json::to_value(run.response()).unwrap();
    let m = &v["plan"]["milestones"];
    assert_eq!(m["as_of"], "2022-12-31", "{m}");
    let late: Vec<&str> = m["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| matches!(x["status"]["status"].as_str(), Some("done_late" | "late")))
        .filter_map(|x| x["unit"].as_str())
        .collect();
    assert_eq!(late, ["217.06", "221.06"], "{m}");
}

#[test]
fn gaps_csv_has_one_row_per_indicator_gap() {
    let run = run();
    let g = run.gaps("218.12", &TierId::new("advanced"), None).unwrap();
    let gaps: usize = g
        .tiers
        .iter()
        .map(|t| {
            t.preconditions.len()
                + t.criteria
                    .iter()
                    .map(|c| c.indicators.len() + c.alternatives.len())
                    .sum::<usize>()
        })
        .sum();
    assert!(gaps > 0);
    let table = ntm_rules::report::gaps_csv(&g).unwrap();
    assert_eq!(table.name, "gaps.csv");
    assert_eq!(table.content.lines().count(), gaps + 1, "{}", table.content);
}
