//! Planning (issue 13): gaps, roadmaps and candidates, on the illustrative commune sets.
//!
//! - gaps: shortfall in the indicator's unit with the row used, yes/no "not met",
//!   undetermined with why, preconditions, `requires_held`, the target year's thresholds;
//!   applying exactly the reported changes reaches the tier, and any numeric change made
//!   smaller does not (property);
//! - roadmaps: never more than the cap a year, the tier reached no later than claimed
//!   (checked by evaluating again), a year-phased income floor respected;
//! - candidates: the selection equals a brute-force search over every subset (property).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a panic is a test failure"
)]

use std::collections::BTreeMap;

use ntm_rules::engine::{Evaluator, UndeterminedReason};
use ntm_rules::model::{
    CriteriaSet, CriterionId, EventKind, History, IndicatorData, IndicatorId, Profile,
    RecognitionEvent, Region, TierId, Value,
};
use ntm_rules::policy::illustrative;
use ntm_rules::tree::{
    apply_changes, candidate, gaps, roadmap, select, select_criteria, Blocker, Cost, CostModel,
    PlanError, Ranking, RoadmapOptions, Shortfall, UnitGaps,
};
use ntm_rules::UnitInput;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// `cases` cases (or `PROPTEST_CASES`), failures kept in
/// `tests/planning.proptest-regressions`.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    }
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn num(s: &str) -> Value {
    Value::Number(d(s))
}

fn input(data: IndicatorData, region: Region) -> UnitInput {
    UnitInput::new(data).with_profile(Profile::in_region(region))
}

fn tier(t: &str) -> TierId {
    TierId::new(t)
}

fn rank(t: &TierId) -> usize {
    ["standard", "advanced", "model"]
        .iter()
        .position(|x| *x == t.as_str())
        .unwrap()
}

/// The rank of the tier the unit holds after its decision, if any.
fn reached_rank(sets: &[CriteriaSet], input: &UnitInput, year: u16) -> Option<usize> {
    let mut data = input.data.clone();
    data.year = year;
    let mut ev = Evaluator::new(sets.to_vec(), year);
    let e = ev.evaluate(&input.profile, &data, &input.history).unwrap();
    e.decision.tier_after().flatten().map(rank)
}

#[test]
fn an_income_short_of_its_floor_is_reported_in_its_unit_with_the_row_used() {
    // Red River delta, 2022: the standard floor is 50 (row 1).
    let data = illustrative::sample_commune("X1", 2022).with("10.1", num("46.2"));
    let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
    let g = gaps(&mut ev, &input(data, Region::Dbsh), &tier("standard")).unwrap();
    assert_eq!(g.tiers.len(), 1);
    let c = &g.tiers[0].criteria;
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].criterion.as_str(), "10");
    let i = &c[0].indicators[0];
    assert_eq!(
        i.shortfall,
        Shortfall::Number {
            actual: d("46.2"),
            threshold: d("50"),
            requirement: ntm_rules::model::Requirement::AtLeast,
            target: d("50"),
            amount: d("3.8"),
        }
    );
    assert_eq!(i.threshold.as_ref().unwrap().row, 1);
}

#[test]
fn a_yes_no_item_is_not_met_an_absent_value_is_data_to_collect_and_preconditions_are_listed() {
    let mut data = illustrative::sample_commune("X1", 2022)
        .with("3.2", Value::Flag(false))
        .with("P.1", Value::Flag(false));
    data.values.remove(&IndicatorId::new("11.1"));
    let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
    let g = gaps(&mut ev, &input(data, Region::Tdmnpb), &tier("standard")).unwrap();
    let t = &g.tiers[0];
    let three = t
        .criteria
        .iter()
        .find(|c| c.criterion.as_str() == "3")
        .unwrap();
    assert_eq!(
        three.indicators[0].shortfall,
        Shortfall::NotMet {
            target: Value::Flag(true)
        }
    );
    let eleven = t
        .criteria
        .iter()
        .find(|c| c.criterion.as_str() == "11")
        .unwrap();
    assert_eq!(
        eleven.indicators[0].shortfall,
        Shortfall::Undetermined {
            reason: UndeterminedReason::MissingData
        }
    );
    assert_eq!(t.preconditions.len(), 1);
    assert_eq!(t.preconditions[0].indicator.as_str(), "P.1");
    assert_eq!(
        g.undetermined(),
        vec![(IndicatorId::new("11.1"), UndeterminedReason::MissingData)]
    );
    assert!(!g.is_closed());
}

#[test]
fn gaps_use_the_thresholds_of_the_target_year() {
    // 42 meets the 2022 floor of 40 but not the 2023 floor of 45.
    let data = illustrative::sample_commune("X1", 2022).with("10.1", num("42"));
    let unit = input(data, Region::Tdmnpb);
    let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
    assert!(gaps(&mut ev, &unit, &tier("standard")).unwrap().is_closed());
    let mut ev = Evaluator::new(illustrative::commune_sets(), 2023);
    let g = gaps(&mut ev, &unit, &tier("standard")).unwrap();
    assert_eq!(g.year, 2023);
    match &g.tiers[0].criteria[0].indicators[0].shortfall {
        Shortfall::Number { amount, target, .. } => {
            assert_eq!((*amount, *target), (d("3"), d("45")));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_model_tier_that_needs_advanced_held_first_says_so() {
    let mut sets = illustrative::commune_sets();
    sets[2].requires_held = Some(tier("advanced"));
    let unit = input(rich_commune("X1", 2022), Region::Tdmnpb);
    let mut ev = Evaluator::new(sets.clone(), 2022);
    let g = gaps(&mut ev, &unit, &tier("model")).unwrap();
    let model = g.tiers.last().unwrap();
    assert_eq!(model.tier.as_str(), "model");
    assert_eq!(model.requires_held, Some(tier("advanced")));
    assert!(!g.is_closed());
    // Held since 2021: nothing stands in the way any more.
    let held = unit
        .clone()
        .with_history(History::recognised("advanced", 2021));
    let mut history = History::recognised("standard", 2020);
    history.events.extend(held.history.events);
    let held = unit.with_history(history);
    let g = gaps(&mut ev, &held, &tier("model")).unwrap();
    assert_eq!(g.tiers.len(), 1);
    assert!(g.is_closed(), "{g:?}");
}

#[test]
fn a_tier_the_scheme_does_not_have_is_an_error_naming_the_unit() {
    let unit = input(illustrative::sample_commune("X9", 2022), Region::Tdmnpb);
    let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
    let err = gaps(&mut ev, &unit, &tier("gold")).unwrap_err();
    assert!(matches!(err, PlanError::UnknownTier { .. }));
    let text = err.to_string();
    assert!(text.contains("X9") && text.contains("gold"), "{text}");
}

/// A commune that meets every illustrative set (model included) in 2022 and 2023.
fn rich_commune(unit: &str, year: u16) -> IndicatorData {
    IndicatorData::new(unit, year)
        .with("1.1", Value::Flag(true))
        .with("3.1", num("90"))
        .with("3.2", Value::Flag(true))
        .with("10.1", num("80"))
        .with("11.1", num("1"))
        .with("17.1", num("90"))
        .with("17.2", Value::Grade("full".into()))
        .with("17.3", num("3"))
        .with("M1.1", num("80"))
        .with("M2.1", num("2"))
        .with("M3.1", Value::Grade("tourism".into()))
        .with("P.1", Value::Flag(true))
        .with("P.2", num("95"))
        .with("P.3", Value::Flag(true))
}

/// Random commune data with every value present and in range.
fn arb_data() -> impl Strategy<Value = IndicatorData> {
    let pct = || (0u32..=1000).prop_map(|n| Value::Number(Decimal::new(i64::from(n), 1)));
    let grade = |gs: &'static [&'static str]| {
        proptest::sample::select(gs).prop_map(|g| Value::Grade(g.to_string()))
    };
    (
        (any::<bool>(), pct(), any::<bool>(), 300u32..900, pct()),
        (
            pct(),
            grade(&["none", "partial", "full"]),
            0u32..3,
            400u32..900,
            0u32..3,
        ),
        (
            grade(&["none", "production", "tourism", "digital"]),
            any::<bool>(),
            pct(),
            any::<bool>(),
        ),
    )
        .prop_map(|(a, b, c)| {
            IndicatorData::new("U", 2022)
                .with("1.1", Value::Flag(a.0))
                .with("3.1", a.1)
                .with("3.2", Value::Flag(a.2))
                .with("10.1", Value::Number(Decimal::new(i64::from(a.3), 1)))
                .with("11.1", a.4)
                .with("17.1", b.0)
                .with("17.2", b.1)
                .with("17.3", Value::Number(Decimal::from(b.2)))
                .with("M1.1", Value::Number(Decimal::new(i64::from(b.3), 1)))
                .with("M2.1", Value::Number(Decimal::from(b.4)))
                .with("M3.1", c.0)
                .with("P.1", Value::Flag(c.1))
                .with("P.2", c.2)
                .with("P.3", Value::Flag(c.3))
        })
}

fn arb_region() -> impl Strategy<Value = Region> {
    proptest::sample::select(vec![Region::Tdmnpb, Region::Dbsh, Region::Dbscl])
}

fn arb_tier() -> impl Strategy<Value = TierId> {
    proptest::sample::select(vec!["standard", "advanced", "model"]).prop_map(TierId::new)
}

/// The numeric changes of `g`, each with a value a little short of it.
fn numeric_changes_made_smaller(g: &UnitGaps) -> Vec<(IndicatorId, Value)> {
    g.indicator_gaps()
        .filter_map(|i| match &i.shortfall {
            Shortfall::Number { actual, target, .. } if actual != target => {
                let counted = matches!(i.indicator.as_str(), "17.3" | "M2.1");
                let less = if counted {
                    // Counts are whole: one less.
                    if target > actual {
                        *target - Decimal::ONE
                    } else {
                        *target + Decimal::ONE
                    }
                } else {
                    // Halfway back towards the value given: still short.
                    *target - (*target - *actual) / Decimal::TWO
                };
                Some((i.indicator.clone(), Value::Number(less)))
            }
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(config(128))]

    /// Applying exactly the reported gaps reaches the tier (the what-if round trip), and
    /// applying less than any one numeric gap does not.
    #[test]
    fn applying_exactly_the_gaps_reaches_the_tier_and_less_than_any_one_does_not(
        data in arb_data(),
        region in arb_region(),
        target in arb_tier(),
        year in 2022u16..=2024,
    ) {
        let sets = illustrative::commune_sets();
        let unit = input(data, region);
        let mut ev = Evaluator::new(sets.clone(), year);
        let g = gaps(&mut ev, &unit, &target).unwrap();
        prop_assert!(g.undetermined().is_empty());
        let changes = g.changes();
        let closed = UnitInput { data: apply_changes(&unit.data, &changes, year), ..unit.clone() };
        let reached = reached_rank(&sets, &closed, year);
        prop_assert!(reached >= Some(rank(&target)), "{g:?} → {reached:?}");
        let mut ev = Evaluator::new(sets.clone(), year);
        prop_assert!(gaps(&mut ev, &closed, &target).unwrap().is_closed());
        for (id, less) in numeric_changes_made_smaller(&g) {
            let mut smaller = changes.clone();
            smaller.insert(id.clone(), less.clone());
            let short = UnitInput { data: apply_changes(&unit.data, &smaller, year), ..unit.clone() };
            let got = reached_rank(&sets, &short, year);
            prop_assert!(got < Some(rank(&target)), "{id} = {less}: {got:?}");
        }
    }
}

fn replay_reaches(sets: &[CriteriaSet], unit: &UnitInput, plan: &ntm_rules::tree::Roadmap) {
    let Some(year) = plan.reached_in else { return };
    let mut state = unit.clone();
    for y in &plan.years {
        let mut all = BTreeMap::new();
        for s in &y.steps {
            all.extend(s.changes.clone());
        }
        all.extend(y.preconditions.clone());
        state.data = apply_changes(&state.data, &all, y.year);
        if y.year == year {
            break;
        }
        for t in &y.reached {
            state.history.events.push(RecognitionEvent {
                tier: t.clone(),
                year: y.year,
                kind: EventKind::Recognised,
                decision: None,
            });
        }
    }
    let got = reached_rank(sets, &state, year);
    assert!(
        got >= Some(rank(&plan.target)),
        "claimed {year}, got {got:?}: {plan:?}"
    );
}

proptest! {
    #![proptest_config(config(64))]

    /// No year of a roadmap completes more criteria than the cap, and the tier is reached
    /// no later than the year claimed (checked by evaluating the planned values again).
    #[test]
    fn roadmaps_never_exceed_the_yearly_cap_and_reach_the_tier_when_they_say(
        data in arb_data(),
        region in arb_region(),
        target in arb_tier(),
        cap in 1u32..=3,
        years in 0u16..=3,
    ) {
        let sets = illustrative::commune_sets();
        let unit = input(data, region);
        let plan = roadmap(&sets, &unit, &target, &RoadmapOptions::new(2022 + years).per_year(cap)).unwrap();
        for y in &plan.years {
            prop_assert!(y.steps.len() <= cap as usize, "{plan:?}");
        }
        prop_assert_eq!(plan.reached_in.is_some(), plan.blockers.is_empty());
        replay_reaches(&sets, &unit, &plan);
    }
}

#[test]
fn a_rising_income_floor_reopens_income_and_is_planned_at_that_years_floor() {
    // 2022: 1, 3 and 11 fail; 41 meets the 2022 income floor (40) but not 2023's (45).
    let data = illustrative::sample_commune("X1", 2022)
        .with("1.1", Value::Flag(false))
        .with("3.2", Value::Flag(false))
        .with("11.1", num("12"))
        .with("10.1", num("41"));
    let unit = input(data, Region::Tdmnpb);
    let sets = illustrative::commune_sets();
    let plan = roadmap(
        &sets,
        &unit,
        &tier("standard"),
        &RoadmapOptions::new(2025).per_year(1),
    )
    .unwrap();
    assert_eq!(plan.ranking, Ranking::Shortfall);
    let by_year: Vec<(u16, Vec<&str>)> = plan
        .years
        .iter()
        .map(|y| {
            (
                y.year,
                y.steps.iter().map(|s| s.criterion.as_str()).collect(),
            )
        })
        .collect();
    // Poverty is the smallest relative shortfall in 2022; income reopens in 2023.
    assert_eq!(
        by_year,
        vec![
            (2022, vec!["11"]),
            (2023, vec!["10"]),
            (2024, vec!["1"]),
            (2025, vec!["3"])
        ]
    );
    assert_eq!(
        plan.years[1].steps[0]
            .changes
            .get(&IndicatorId::new("10.1")),
        Some(&num("45"))
    );
    assert_eq!(plan.reached_in, Some(2025));
    replay_reaches(&sets, &unit, &plan);
    // One year less is not enough, and the roadmap says what is left.
    let short = roadmap(
        &sets,
        &unit,
        &tier("standard"),
        &RoadmapOptions::new(2024).per_year(1),
    )
    .unwrap();
    assert_eq!(short.reached_in, None);
    assert_eq!(
        short.blockers,
        vec![Blocker::TooManyCriteria {
            left: vec![CriterionId::new("3")]
        }]
    );
    // Two a year, the default: 2023.
    let two = roadmap(&sets, &unit, &tier("standard"), &RoadmapOptions::new(2025)).unwrap();
    assert_eq!(two.reached_in, Some(2023));
}

#[test]
fn a_roadmap_with_costs_does_the_cheapest_criterion_first_and_says_so() {
    let data = illustrative::sample_commune("X1", 2022)
        .with("1.1", Value::Flag(false))
        .with("11.1", num("12"));
    let unit = input(data, Region::Tdmnpb);
    let mut costs = CostModel::default();
    costs.per_criterion.insert(CriterionId::new("1"), d("5"));
    costs.per_criterion.insert(CriterionId::new("11"), d("9"));
    let plan = roadmap(
        &illustrative::commune_sets(),
        &unit,
        &tier("standard"),
        &RoadmapOptions::new(2023).per_year(1).costs(costs),
    )
    .unwrap();
    assert_eq!(plan.ranking, Ranking::Cost);
    assert_eq!(plan.years[0].steps[0].criterion.as_str(), "1");
    assert_eq!(plan.years[0].steps[0].cost.money, d("5"));
    assert_eq!(plan.reached_in, Some(2023));
}

#[test]
fn an_undetermined_indicator_blocks_a_roadmap_with_the_reason() {
    let mut data = illustrative::sample_commune("X1", 2022);
    data.values.remove(&IndicatorId::new("17.1"));
    data.values.insert(IndicatorId::new("17.3"), num("0"));
    let plan = roadmap(
        &illustrative::commune_sets(),
        &input(data, Region::Tdmnpb),
        &tier("standard"),
        &RoadmapOptions::new(2025),
    )
    .unwrap();
    assert_eq!(plan.reached_in, None);
    assert!(
        matches!(&plan.blockers[..], [Blocker::Undetermined { indicators }] if indicators[0].0.as_str() == "17.1"),
        "{plan:?}"
    );
}

#[test]
fn a_target_year_before_the_reporting_year_and_a_negative_cost_are_errors() {
    let unit = input(illustrative::sample_commune("X7", 2022), Region::Tdmnpb);
    let sets = illustrative::commune_sets();
    let err = roadmap(&sets, &unit, &tier("standard"), &RoadmapOptions::new(2021)).unwrap_err();
    assert!(matches!(err, PlanError::YearBeforeReporting { .. }));
    assert!(err.to_string().contains("X7"), "{err}");
    let mut costs = CostModel::default();
    costs
        .per_unit
        .entry("X7".into())
        .or_default()
        .insert(CriterionId::new("10"), d("-1"));
    let err = roadmap(
        &sets,
        &unit,
        &tier("standard"),
        &RoadmapOptions::new(2023).costs(costs),
    )
    .unwrap_err();
    assert!(err.to_string().contains("per_unit.X7.10"), "{err}");
}

/// Every subset of `costs` of size `k`, the least total.
fn brute_force(costs: &[Cost], k: usize) -> Option<Cost> {
    let n = costs.len();
    (0u32..(1 << n))
        .filter(|m| m.count_ones() as usize == k)
        .map(|m| {
            (0..n)
                .filter(|i| m & (1 << i) != 0)
                .fold(Cost::default(), |acc, i| acc.plus(costs[i]))
        })
        .min()
}

proptest! {
    #![proptest_config(config(64))]

    /// The least-cost set of N units equals a brute-force search over every subset, with
    /// and without a cost model.
    #[test]
    fn candidate_selection_equals_a_brute_force_search_on_small_provinces(
        units in proptest::collection::vec((arb_data(), arb_region()), 1..8),
        target in arb_tier(),
        wanted in 0u32..6,
        priced in proptest::collection::btree_map(
            proptest::sample::select(vec!["1", "3", "10", "11", "17", "M1", "M2", "M3"]),
            0u32..100,
            0..4,
        ),
    ) {
        let mut costs = CostModel::default();
        for (c, v) in priced {
            costs.per_criterion.insert(CriterionId::new(c), Decimal::from(v));
        }
        let inputs: Vec<UnitInput> = units
            .into_iter()
            .enumerate()
            .map(|(i, (mut data, region))| {
                data.unit = format!("U{i}").as_str().into();
                input(data, region)
            })
            .collect();
        let refs: Vec<&UnitInput> = inputs.iter().collect();
        let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
        let sel = select(&mut ev, &refs, &target, wanted, &costs).unwrap();
        let mut each = Vec::new();
        for u in &inputs {
            if let Ok(c) = candidate(&mut ev, u, &target, &costs).unwrap() {
                each.push(c.cost);
            }
        }
        let k = (wanted as usize).min(each.len());
        prop_assert_eq!(sel.chosen.len(), k);
        prop_assert_eq!(sel.short_by as usize, wanted as usize - k);
        prop_assert_eq!(Some(sel.total), brute_force(&each, k));
        prop_assert_eq!(sel.chosen.len() + sel.others.len() + sel.not_candidates.len(), inputs.len());
    }
}

#[test]
fn a_criterion_closed_before_a_rising_floor_is_closed_at_the_target_years_floor() {
    // 38 is short of 2022's floor (40) and of 2023's (45): closing it in 2022 at 40
    // would reopen it in 2023, so the roadmap closes it at 45.
    let data = illustrative::sample_commune("X1", 2022).with("10.1", num("38"));
    let unit = input(data, Region::Tdmnpb);
    let sets = illustrative::commune_sets();
    let plan = roadmap(&sets, &unit, &tier("standard"), &RoadmapOptions::new(2023)).unwrap();
    assert_eq!(plan.reached_in, Some(2022));
    assert_eq!(
        plan.years[0].steps[0]
            .changes
            .get(&IndicatorId::new("10.1")),
        Some(&num("45"))
    );
    // The gap of the year itself is still 2 against 40.
    let mut ev = Evaluator::new(sets, 2022);
    let g = gaps(&mut ev, &unit, &tier("standard")).unwrap();
    assert!(matches!(
        g.tiers[0].criteria[0].indicators[0].shortfall,
        Shortfall::Number { amount, .. } if amount == d("2")
    ));
}

proptest! {
    #![proptest_config(config(32))]

    /// "N more criteria met" picks a least-cost set of criteria, as a brute-force search
    /// over every subset finds.
    #[test]
    fn criteria_selection_equals_a_brute_force_search(
        units in proptest::collection::vec((arb_data(), arb_region()), 1..4),
        wanted in 0u32..8,
        priced in proptest::collection::btree_map(
            proptest::sample::select(vec!["1", "3", "10", "11", "17"]),
            0u32..100,
            0..3,
        ),
    ) {
        let mut costs = CostModel::default();
        for (c, v) in priced {
            costs.per_criterion.insert(CriterionId::new(c), Decimal::from(v));
        }
        let inputs: Vec<UnitInput> = units
            .into_iter()
            .enumerate()
            .map(|(i, (mut data, region))| {
                data.unit = format!("U{i}").as_str().into();
                input(data, region)
            })
            .collect();
        let refs: Vec<&UnitInput> = inputs.iter().collect();
        let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
        let every = select_criteria(&mut ev, &refs, u32::MAX, &costs).unwrap();
        let sel = select_criteria(&mut ev, &refs, wanted, &costs).unwrap();
        let each: Vec<Cost> = every.chosen.iter().map(|c| c.cost).collect();
        let k = (wanted as usize).min(each.len());
        prop_assert_eq!(sel.chosen.len(), k);
        prop_assert_eq!(Some(sel.total), brute_force(&each, k));
        // Each one chosen is a criterion the unit does not meet.
        for c in &sel.chosen {
            let u = inputs.iter().find(|i| i.data.unit == c.unit).unwrap();
            let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
            let e = ev.evaluate(&u.profile, &u.data, &u.history).unwrap();
            prop_assert_eq!(
                e.assessments[0].criterion(c.criterion.as_str()).unwrap().outcome,
                ntm_rules::engine::Outcome::NotMet
            );
        }
    }
}

#[test]
fn a_cost_model_reads_costs_exactly_and_refuses_non_numeric_and_negative_costs() {
    let read = |t: &str| ntm_rules::model::from_json::<CostModel>("cost model", t);
    let ok = read(r#"{"per_criterion": {"10": "2.5"}, "per_unit": {"X1": {"3": 7}}}"#).unwrap();
    assert_eq!(ok.per_criterion[&CriterionId::new("10")], d("2.5"));
    assert_eq!(
        ok.per_unit[&ntm_rules::model::UnitCode::new("X1")][&CriterionId::new("3")],
        d("7")
    );
    ok.validate().unwrap();
    let err = read(r#"{"per_criterion": {"10": "abc"}}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("/per_criterion/10"), "{err}");
    let err = read(r#"{"per_unit_of_shortfall": {"10.1": "-0.5"}}"#)
        .unwrap()
        .validate()
        .unwrap_err()
        .to_string();
    assert!(err.contains("per_unit_of_shortfall.10.1"), "{err}");
}
