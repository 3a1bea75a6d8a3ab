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

use ntm_rules::contract::{self, Request};
use ntm_rules::engine::Verdict;
use ntm_rules::model::{Level, TierId, UnitCode};
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
