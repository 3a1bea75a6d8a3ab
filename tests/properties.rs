//! Property tests of the core engine (issue 2): the invariants of `design.md`.
//!
//! - differential: `compile(..)?.evaluate(..)` and `reference::evaluate(..)` agree exactly,
//!   errors included;
//! - the `totals` fast path agrees with `assess`;
//! - monotonicity of criteria met and of the decided tier;
//! - tier nesting of decisions;
//! - serde round trips;
//! - no panics on arbitrary JSON and on arbitrary well-typed values.
//!
//! The generators build random but mostly valid criteria sets (every indicator kind,
//! every requirement that fits it, pass rules, threshold tables keyed by region, commune
//! group and year ranges, unknown and delegated rows, gaps, the odd overlap, profile
//! rules, preconditions, "not applicable") and random data (right kind, missing, not
//! applicable, and now and then of the wrong kind or out of range).
//!
//! Failing cases are kept in `tests/properties.proptest-regressions`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers: a panic is a test failure"
)]

use std::collections::{BTreeMap, BTreeSet};

use ntm_rules::engine::{
    compile, decide, reference, Assessment, Decision, EvaluateError, IndicatorOutcome, Outcome,
    Verdict,
};
use ntm_rules::model::{
    CommuneGroup, Confidence, CriteriaSet, Criterion, EventKind, History, Indicator, IndicatorData,
    IndicatorId, Label, Level, PassRule, Profile, ProfileMatch, ProfileRule, RecognitionEvent,
    Region, Requirement, RevocationRule, Scheme, ShareComparison, Source, Threshold, ThresholdRow,
    Tier, TierId, Unit, Value, ValueKind, YearRange,
};
use ntm_rules::policy::illustrative;
use ntm_rules::Error;
use proptest::prelude::*;
use proptest::sample::subsequence;
use proptest::test_runner::FileFailurePersistence;
use rust_decimal::Decimal;

const TIERS: [&str; 3] = ["standard", "advanced", "model"];
const GRADES: [&str; 4] = ["g0", "g1", "g2", "g3"];
const STATUSES: [&str; 2] = ["especially_difficult", "safe_zone"];

/// `cases` cases, or `PROPTEST_CASES` when set (for longer runs: the default run of this
/// file is kept to a few seconds).
///
/// A case whose set does not compile, whose data do not bind or whose decision cannot be
/// made is rejected ([`reject`]), not passed: proptest runs until `cases` cases have
/// reached the assertions, and fails the property when more than half as many were
/// rejected (at most a third of the generated cases), so a generator drifting towards
/// invalid cases makes the property fail instead of pass vacuously.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        max_global_rejects: cases / 2,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// Rejects a generated case that cannot reach the property's assertions, saying why
/// (see [`config`]: rejects are counted and limited).
fn reject<E: std::fmt::Display>(why: &'static str) -> impl FnOnce(E) -> TestCaseError {
    move |e| TestCaseError::reject(format!("{why}: {e}"))
}

fn src() -> Source {
    Source::document("proptest")
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

/// A decimal `lo..=hi` (in whole units) with 0 to 2 decimal places; small ranges so that
/// values often land exactly on thresholds.
fn decimal_in(lo: i64, hi: i64) -> BoxedStrategy<Decimal> {
    prop_oneof![
        3 => (lo..=hi).prop_map(Decimal::from),
        1 => (0u32..=2).prop_flat_map(move |scale| {
            let f = 10i64.pow(scale);
            (lo * f..=hi * f).prop_map(move |n| Decimal::new(n, scale))
        }),
    ]
    .boxed()
}

/// Any decimal, including the extremes.
fn wild_decimal() -> BoxedStrategy<Decimal> {
    prop_oneof![
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
        Just(-Decimal::ZERO),
        (any::<i64>(), 0u32..=28).prop_map(|(n, s)| Decimal::new(n, s)),
        (any::<i32>(), 0u32..=3).prop_map(|(n, s)| Decimal::new(n.into(), s)),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------
// Criteria sets
// ---------------------------------------------------------------------------------------

fn kind() -> BoxedStrategy<ValueKind> {
    prop_oneof![
        Just(ValueKind::Decimal {
            unit: Unit::Percent
        }),
        Just(ValueKind::Decimal {
            unit: Unit::MillionVndPerPersonYear
        }),
        Just(ValueKind::Decimal {
            unit: Unit::Other("ha".into())
        }),
        Just(ValueKind::Count),
        Just(ValueKind::YesNo),
        Just(ValueKind::Grade {
            grades: GRADES.iter().map(|g| g.to_string()).collect()
        }),
    ]
    .boxed()
}

fn requirement_for(kind: &ValueKind) -> BoxedStrategy<Requirement> {
    use Requirement as R;
    match kind {
        ValueKind::YesNo => Just(R::Equal).boxed(),
        ValueKind::Grade { .. } => prop_oneof![
            Just(R::AtLeast),
            Just(R::AtMost),
            Just(R::Above),
            Just(R::Below),
            Just(R::Equal),
            Just(R::OneOf)
        ]
        .boxed(),
        _ => prop_oneof![
            3 => Just(R::AtLeast),
            2 => Just(R::AtMost),
            1 => Just(R::Above),
            1 => Just(R::Below),
            1 => Just(R::Equal),
        ]
        .boxed(),
    }
}

/// Range of values (in whole units) used for thresholds and data of a decimal kind.
fn range_of(kind: &ValueKind) -> (i64, i64) {
    match kind {
        ValueKind::Decimal {
            unit: Unit::Percent,
        } => (0, 100),
        ValueKind::Decimal {
            unit: Unit::MillionVndPerPersonYear,
        } => (30, 80),
        ValueKind::Decimal { .. } => (-20, 20),
        _ => (0, 6),
    }
}

fn known_threshold(kind: &ValueKind, req: Requirement) -> BoxedStrategy<Threshold> {
    match kind {
        ValueKind::Decimal { .. } => {
            let (lo, hi) = range_of(kind);
            decimal_in(lo, hi).prop_map(Threshold::Number).boxed()
        }
        ValueKind::Count => (0i64..=6).prop_map(|n| Threshold::Number(n.into())).boxed(),
        ValueKind::YesNo => any::<bool>().prop_map(Threshold::Flag).boxed(),
        ValueKind::Grade { .. } if req == Requirement::OneOf => subsequence(GRADES.to_vec(), 1..=3)
            .prop_map(|gs| Threshold::Grades(gs.into_iter().map(String::from).collect()))
            .boxed(),
        ValueKind::Grade { .. } => proptest::sample::select(GRADES.to_vec())
            .prop_map(|g| Threshold::Grade(g.to_string()))
            .boxed(),
    }
}

fn threshold(kind: &ValueKind, req: Requirement) -> BoxedStrategy<Threshold> {
    prop_oneof![
        12 => known_threshold(kind, req),
        1 => Just(Threshold::Unknown),
        1 => Just(Threshold::Delegated),
    ]
    .boxed()
}

fn row(when: ProfileMatch, years: Option<YearRange>, threshold: Threshold) -> ThresholdRow {
    ThresholdRow {
        when,
        years,
        threshold,
        source: src(),
        confidence: Confidence::Illustrative,
        set_by: None,
    }
}

/// A threshold table: rows keyed by region, commune group and non-overlapping year
/// ranges; some rows dropped (gaps), now and then a duplicated row (an overlap).
fn table(kind: &ValueKind, req: Requirement) -> BoxedStrategy<Vec<ThresholdRow>> {
    (
        0u8..4,
        proptest::collection::vec(threshold(kind, req), 4),
        2022u16..=2025,
        1u8..127,
        prop_oneof![6 => Just(0u8), 1 => 0u8..16],
        prop_oneof![150 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(layout, ts, split, mask, drop, overlap)| {
            let t = |i: usize| ts[i].clone();
            let early = Some(YearRange::new(2021, split - 1));
            let late = Some(YearRange::new(split, 2025));
            let mut rows = match layout {
                0 => vec![row(ProfileMatch::default(), None, t(0))],
                1 => {
                    let regions = |bit: bool| ProfileMatch {
                        regions: Region::ALL
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| (mask & (1 << i) != 0) == bit)
                            .map(|(_, r)| *r)
                            .collect(),
                        ..ProfileMatch::default()
                    };
                    let (a, b) = (regions(true), regions(false));
                    vec![
                        row(a.clone(), early, t(0)),
                        row(a, late, t(1)),
                        row(b.clone(), early, t(2)),
                        row(b, late, t(3)),
                    ]
                }
                2 => {
                    let groups = |g: Vec<CommuneGroup>| ProfileMatch {
                        commune_groups: g,
                        ..ProfileMatch::default()
                    };
                    vec![
                        row(groups(vec![CommuneGroup::Group1]), None, t(0)),
                        row(
                            groups(vec![CommuneGroup::Group2, CommuneGroup::Group3]),
                            None,
                            t(1),
                        ),
                    ]
                }
                _ => vec![
                    row(ProfileMatch::default(), early, t(0)),
                    row(ProfileMatch::default(), late, t(1)),
                ],
            };
            if overlap {
                let first = rows[0].clone();
                rows.push(first);
            }
            let mut i = 0;
            rows.retain(|_| {
                i += 1;
                drop & (1 << (i - 1)) == 0
            });
            rows
        })
        .boxed()
}

fn indicator() -> BoxedStrategy<Indicator> {
    kind()
        .prop_flat_map(|kind| {
            let req = requirement_for(&kind);
            (Just(kind), req)
        })
        .prop_flat_map(|(kind, req)| {
            let rows = table(&kind, req);
            (
                Just(kind),
                Just(req),
                rows,
                prop_oneof![3 => Just(false), 1 => Just(true)],
            )
        })
        .prop_map(
            |(kind, requirement, thresholds, allow_not_applicable)| Indicator {
                id: IndicatorId::new("?"),
                name: Label::new("chỉ tiêu", "indicator"),
                kind,
                requirement,
                allow_not_applicable,
                derived: None,
                thresholds,
                note: None,
            },
        )
        .boxed()
}

fn criterion() -> BoxedStrategy<(PassRule, Vec<Indicator>)> {
    proptest::collection::vec(indicator(), 1..=4)
        .prop_flat_map(|inds| {
            let n = inds.len() as u32;
            let pass = prop_oneof![
                2 => Just(PassRule::All),
                1 => (1..=n).prop_map(PassRule::AtLeast),
            ];
            (pass, Just(inds))
        })
        .boxed()
}

fn profile_rule() -> BoxedStrategy<ProfileRule> {
    prop_oneof![
        Just(ProfileRule {
            when: ProfileMatch {
                statuses: vec![STATUSES[0].into()],
                ..ProfileMatch::default()
            },
            assess_as_region: Some(Region::Tdmnpb),
            assess_as_group: None,
            source: src(),
            confidence: Confidence::Illustrative,
        }),
        (proptest::sample::select(Region::ALL.to_vec()), 0usize..3).prop_map(|(r, g)| {
            ProfileRule {
                when: ProfileMatch {
                    regions: vec![r],
                    ..ProfileMatch::default()
                },
                assess_as_region: None,
                assess_as_group: Some(CommuneGroup::ALL[g]),
                source: src(),
                confidence: Confidence::Illustrative,
            }
        }),
    ]
    .boxed()
}

fn comparison() -> BoxedStrategy<ShareComparison> {
    prop_oneof![
        Just(ShareComparison::Exact),
        Just(ShareComparison::CountRoundedDown),
        Just(ShareComparison::CountRoundedHalfUp),
        Just(ShareComparison::CountRoundedUp),
    ]
    .boxed()
}

fn scheme() -> Scheme {
    Scheme {
        id: "prop-2021-2025".into(),
        years: YearRange::new(2021, 2025),
        tiers: TIERS
            .iter()
            .map(|t| Tier {
                id: (*t).into(),
                name: Label::new(*t, *t),
            })
            .collect(),
    }
}

/// A random criteria set of the `standard` tier.
fn criteria_set() -> BoxedStrategy<CriteriaSet> {
    (
        proptest::collection::vec(criterion(), 1..=5),
        proptest::collection::vec(indicator(), 0..=2),
        proptest::collection::vec(profile_rule(), 0..=2),
        proptest::option::of((
            proptest::collection::vec(any::<bool>(), 5),
            comparison(),
            (0i64..=50, 0i64..=50),
        )),
    )
        .prop_map(|(criteria, preconditions, profile_rules, revocation)| {
            let criteria: Vec<Criterion> = criteria
                .into_iter()
                .enumerate()
                .map(|(c, (pass, inds))| Criterion {
                    id: (c + 1).to_string().into(),
                    name: Label::new("tiêu chí", "criterion"),
                    pass,
                    indicators: inds
                        .into_iter()
                        .enumerate()
                        .map(|(i, ind)| Indicator {
                            id: format!("{}.{}", c + 1, i + 1).into(),
                            ..ind
                        })
                        .collect(),
                })
                .collect();
            let preconditions: Vec<Indicator> = preconditions
                .into_iter()
                .enumerate()
                .map(|(i, ind)| Indicator {
                    id: format!("P.{}", i + 1).into(),
                    ..ind
                })
                .collect();
            let revocation = revocation.map(|(keys, comparison, (a, b))| RevocationRule {
                // The first precondition, when the key pattern says so, also revokes on
                // its own.
                revoke_when_not_met: preconditions
                    .first()
                    .filter(|_| keys.get(4).copied().unwrap_or(false))
                    .map(|p| vec![p.id.clone()])
                    .unwrap_or_default(),
                share_with_key: Decimal::from(a.min(b)),
                share_alone: Decimal::from(a.max(b) + 50),
                key_criteria: criteria
                    .iter()
                    .zip(keys)
                    .filter(|(_, k)| *k)
                    .map(|(c, _)| c.id.clone())
                    .collect(),
                comparison,
                assess_against: None,
                source: src(),
                confidence: Confidence::Illustrative,
            });
            CriteriaSet {
                id: "prop-standard".into(),
                name: Label::new("bộ tiêu chí", "criteria set"),
                scheme: scheme(),
                level: Level::Commune,
                tier: "standard".into(),
                requires_held: None,
                applies_to: Vec::new(),
                legal_basis: vec![src()],
                confidence: Confidence::Illustrative,
                notes: None,
                profile_rules,
                criteria,
                preconditions,
                revocation,
            }
        })
        .boxed()
}

/// New threshold tables for every indicator of `set`, same structure otherwise.
fn retable(set: CriteriaSet) -> BoxedStrategy<CriteriaSet> {
    let tables: Vec<_> = set
        .all_indicators()
        .map(|i| table(&i.kind, i.requirement))
        .collect();
    (Just(set), tables)
        .prop_map(|(mut set, tables)| {
            let mut tables = tables.into_iter();
            for ind in set
                .criteria
                .iter_mut()
                .flat_map(|c| c.indicators.iter_mut())
                .chain(set.preconditions.iter_mut())
            {
                ind.thresholds = tables.next().unwrap_or_default();
            }
            set
        })
        .boxed()
}

/// Three sets of one scheme (standard, advanced, model) with the same criteria,
/// indicators and requirements but their own thresholds. Yes/no thresholds are all
/// "yes" so that "the required value" is the same at every tier.
fn tiered_sets() -> BoxedStrategy<Vec<CriteriaSet>> {
    criteria_set()
        .prop_flat_map(|s| {
            (
                Just(s.clone()),
                retable(s.clone()),
                retable(s),
                any::<bool>(),
            )
        })
        .prop_map(|(a, b, c, model_against_advanced)| {
            let mut sets = vec![a, b, c];
            for (set, tier) in sets.iter_mut().zip(TIERS) {
                set.id = format!("prop-{tier}").into();
                set.tier = tier.into();
                for ind in set
                    .criteria
                    .iter_mut()
                    .flat_map(|c| c.indicators.iter_mut())
                    .chain(set.preconditions.iter_mut())
                {
                    for row in &mut ind.thresholds {
                        if let Threshold::Flag(f) = &mut row.threshold {
                            *f = true;
                        }
                    }
                }
                if tier == "model" && model_against_advanced {
                    if let Some(r) = &mut set.revocation {
                        r.assess_against = Some("advanced".into());
                    }
                }
            }
            sets
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------
// Profiles, data, histories
// ---------------------------------------------------------------------------------------

fn profile() -> BoxedStrategy<Profile> {
    (
        proptest::option::weighted(0.9, proptest::sample::select(Region::ALL.to_vec())),
        proptest::option::weighted(0.7, proptest::sample::select(CommuneGroup::ALL.to_vec())),
        subsequence(STATUSES.to_vec(), 0..=2),
    )
        .prop_map(|(region, commune_group, statuses)| Profile {
            region,
            commune_group,
            statuses: statuses.into_iter().map(Into::into).collect(),
        })
        .boxed()
}

fn good_value(kind: &ValueKind) -> BoxedStrategy<Value> {
    match kind {
        ValueKind::Decimal { .. } => {
            let (lo, hi) = range_of(kind);
            decimal_in(lo, hi).prop_map(Value::Number).boxed()
        }
        ValueKind::Count => (0i64..=8).prop_map(|n| Value::Number(n.into())).boxed(),
        ValueKind::YesNo => any::<bool>().prop_map(Value::Flag).boxed(),
        ValueKind::Grade { grades } => proptest::sample::select(grades.clone())
            .prop_map(Value::Grade)
            .boxed(),
    }
}

fn bad_value(kind: &ValueKind) -> BoxedStrategy<Value> {
    let other = match kind {
        ValueKind::Decimal {
            unit: Unit::Percent,
        } => prop_oneof![
            (101i64..1000).prop_map(|n| Value::Number(Decimal::new(n, 0))),
            (1i64..1000).prop_map(|n| Value::Number(Decimal::new(-n, 1))),
        ]
        .boxed(),
        ValueKind::Count => prop_oneof![
            (1i64..100).prop_map(|n| Value::Number(Decimal::new(-n, 0))),
            (1i64..9).prop_map(|n| Value::Number(Decimal::new(n * 10 + 5, 1))),
        ]
        .boxed(),
        ValueKind::Grade { .. } => Just(Value::Grade("g9".into())).boxed(),
        _ => Just(Value::Grade("g0".into())).boxed(),
    };
    prop_oneof![
        other,
        Just(Value::Flag(true)),
        Just(Value::Number(Decimal::ONE)),
        Just(Value::Grade("g1".into())),
    ]
    .boxed()
}

fn value_for(ind: &Indicator) -> BoxedStrategy<Option<Value>> {
    // "Not applicable" mostly where it is allowed; now and then where it is not.
    let na = if ind.allow_not_applicable { 12 } else { 1 };
    prop_oneof![
        80 => good_value(&ind.kind).prop_map(Some),
        8 => Just(None),
        na => Just(Some(Value::NotApplicable)),
        1 => bad_value(&ind.kind).prop_map(Some),
    ]
    .boxed()
}

/// Values for the indicators of `set`, for `unit` and `year`, plus now and then a value
/// for an indicator the set does not have.
fn data_for(set: &CriteriaSet, year: u16) -> BoxedStrategy<IndicatorData> {
    let ids: Vec<IndicatorId> = set.all_indicators().map(|i| i.id.clone()).collect();
    let values: Vec<_> = set.all_indicators().map(value_for).collect();
    (
        Just(ids),
        values,
        proptest::option::weighted(0.1, good_value(&ValueKind::YesNo)),
        prop_oneof![30 => Just(year), 1 => Just(year + 1)],
    )
        .prop_map(|(ids, values, extra, year)| {
            let mut data = IndicatorData::new("00001", year);
            for (id, v) in ids.into_iter().zip(values) {
                if let Some(v) = v {
                    data.values.insert(id, v);
                }
            }
            if let Some(v) = extra {
                data.values.insert("99.9".into(), v);
            }
            data
        })
        .boxed()
}

fn year() -> BoxedStrategy<u16> {
    prop_oneof![30 => 2021u16..=2025, 1 => Just(2026u16)].boxed()
}

/// A history that nests (tiers are recognised one above the other and only held tiers
/// are revoked), from random steps: each step recognises the tier above the one held, or
/// revokes a held tier, in a year on or after the previous step's.
fn history() -> BoxedStrategy<History> {
    proptest::collection::vec((0u16..=2, any::<bool>(), 0usize..3), 0..=4)
        .prop_map(|steps| {
            let mut events = Vec::new();
            let mut held: Option<usize> = None;
            let mut year = 2019u16;
            for (gap, recognise, pick) in steps {
                year = (year + gap).min(2026);
                let (tier, kind) = match held {
                    Some(h) if !recognise => {
                        let r = pick.min(h);
                        held = r.checked_sub(1);
                        (r, EventKind::Revoked)
                    }
                    Some(h) if h + 1 >= TIERS.len() => continue,
                    Some(h) => {
                        held = Some(h + 1);
                        (h + 1, EventKind::Recognised)
                    }
                    None => {
                        held = Some(0);
                        (0, EventKind::Recognised)
                    }
                };
                events.push(RecognitionEvent {
                    tier: TIERS[tier].into(),
                    year,
                    kind,
                    decision: None,
                });
            }
            History { events }
        })
        .boxed()
}

/// A set, a profile, a year and data for it.
fn case() -> BoxedStrategy<(CriteriaSet, Profile, u16, IndicatorData)> {
    (criteria_set(), profile(), year())
        .prop_flat_map(|(set, profile, year)| {
            let data = data_for(&set, year);
            (Just(set), Just(profile), Just(year), data)
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------
// Improving data in the good direction
// ---------------------------------------------------------------------------------------

/// `data` with the indicators picked by `pick` moved in their good direction by a step
/// derived from `step` (a yes/no is set to "yes", the required value of every tiered
/// set). Missing and not-applicable values stay as they are.
fn improve(set: &CriteriaSet, data: &IndicatorData, pick: &[bool], step: u32) -> IndicatorData {
    improve_to(set, data, pick, step, |_| Some(true))
}

/// [`improve`], with the required value of each yes/no indicator given by `required`.
fn improve_to(
    set: &CriteriaSet,
    data: &IndicatorData,
    pick: &[bool],
    step: u32,
    required: impl Fn(&IndicatorId) -> Option<bool>,
) -> IndicatorData {
    let mut out = data.clone();
    for (ind, &chosen) in set.all_indicators().zip(pick.iter().cycle()) {
        if !chosen {
            continue;
        }
        let Some(v) = out.values.get_mut(&ind.id) else {
            continue;
        };
        let up = match ind.requirement {
            Requirement::AtLeast | Requirement::Above => true,
            Requirement::AtMost | Requirement::Below => false,
            Requirement::Equal if ind.kind == ValueKind::YesNo => {
                if let (Value::Flag(f), Some(r)) = (v, required(&ind.id)) {
                    *f = r;
                }
                continue;
            }
            Requirement::Equal | Requirement::OneOf => continue,
        };
        match (&ind.kind, v) {
            (ValueKind::Grade { grades }, Value::Grade(g)) => {
                let Some(r) = grades.iter().position(|x| x == g) else {
                    continue;
                };
                let s = (step as usize % grades.len()).max(1);
                let r = if up {
                    (r + s).min(grades.len() - 1)
                } else {
                    r.saturating_sub(s)
                };
                *g = grades[r].clone();
            }
            (kind, Value::Number(n)) => {
                let delta = match kind {
                    ValueKind::Count => Decimal::from(step % 4 + 1),
                    _ => Decimal::new(i64::from(step % 500) + 1, 1),
                };
                let (lo, hi) = match kind {
                    ValueKind::Decimal {
                        unit: Unit::Percent,
                    } => (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)),
                    ValueKind::Count => (Some(Decimal::ZERO), None),
                    _ => (None, None),
                };
                // Bad values (out of range) are left alone: they are errors either way.
                if lo.is_some_and(|lo| *n < lo) || hi.is_some_and(|hi| *n > hi) {
                    continue;
                }
                let moved = if up { *n + delta } else { *n - delta };
                let moved = match (lo, hi) {
                    (Some(lo), _) if moved < lo => lo,
                    (_, Some(hi)) if moved > hi => hi,
                    _ => moved,
                };
                // Only move in the good direction, never past the original value.
                if (up && moved >= *n) || (!up && moved <= *n) {
                    *n = moved;
                }
            }
            _ => {}
        }
    }
    out
}

/// Random data for `set`, drawn from a seed (for properties whose sets are drawn first).
fn seeded_data(set: &CriteriaSet, year: u16, seed: u64) -> IndicatorData {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(
        ProptestConfig::default(),
        proptest::test_runner::TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &bytes,
        ),
    );
    data_for(set, year)
        .new_tree(&mut runner)
        .expect("data")
        .current()
}

fn assess_all(
    sets: &[CriteriaSet],
    profile: &Profile,
    year: u16,
    data: &IndicatorData,
) -> Result<Vec<Assessment>, Error> {
    sets.iter()
        .map(|s| Ok(compile(s, profile, year)?.evaluate(data)?))
        .collect()
}

fn tier_rank(d: &Decision) -> Option<i64> {
    let tiers: Vec<TierId> = TIERS.iter().map(TierId::new).collect();
    d.tier_after().map(|t| {
        t.and_then(|t| tiers.iter().position(|x| x == t))
            .map_or(-1, |r| r as i64)
    })
}

/// Checks that `d` nests tiers: recognition is a contiguous run upwards from the tier
/// held, and `tier_after` agrees with the verdict.
fn check_nesting(d: &Decision, assessments: &[Assessment]) -> Result<(), TestCaseError> {
    let tiers: Vec<TierId> = TIERS.iter().map(TierId::new).collect();
    let rank = |t: &TierId| tiers.iter().position(|x| x == t);
    let held = d.held.as_ref().and_then(rank);
    let outcome_of = |t: &TierId| assessments.iter().find(|a| &a.tier == t).map(|a| a.outcome);
    match &d.verdict {
        Verdict::Recognise { tier, newly } => {
            let start = held.map_or(0, |h| h + 1);
            let end = rank(tier).expect("recognised tier of the scheme");
            prop_assert_eq!(newly.as_slice(), &tiers[start..=end]);
            for t in newly {
                prop_assert_eq!(outcome_of(t), Some(Outcome::Met), "tier {} not met", t);
            }
            prop_assert_eq!(d.tier_after(), Some(Some(tier)));
        }
        Verdict::Maintain { tier, .. } => {
            prop_assert_eq!(Some(tier), d.held.as_ref());
            prop_assert_eq!(d.tier_after(), Some(Some(tier)));
        }
        Verdict::Revoke { tier, falls_to, .. } => {
            prop_assert_eq!(Some(tier), d.held.as_ref());
            let h = held.expect("revoked tier is held");
            prop_assert_eq!(falls_to.as_ref(), h.checked_sub(1).map(|r| &tiers[r]));
            prop_assert_eq!(d.tier_after(), Some(falls_to.as_ref()));
        }
        Verdict::NotYet { tier } => {
            prop_assert!(d.held.is_none());
            prop_assert_eq!(tier, &tiers[0]);
            prop_assert_eq!(d.tier_after(), Some(None));
        }
        Verdict::CannotDecide { .. } => prop_assert_eq!(d.tier_after(), None),
    }
    Ok(())
}

fn round_trip<T>(value: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).expect("serializes");
    let back: T = serde_json::from_str(&text).expect("deserializes");
    prop_assert_eq!(&back, value, "JSON: {}", text);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(384))]

    /// The compiled evaluator and the reference evaluator agree exactly, errors included.
    #[test]
    fn compiled_agrees_with_reference((set, profile, year, data) in case()) {
        let compiled: Result<Assessment, EvaluateError> = compile(&set, &profile, year)
            .map_err(EvaluateError::from)
            .and_then(|p| p.evaluate(&data).map_err(EvaluateError::from));
        let reference = reference::evaluate(&set, &profile, year, &data);
        prop_assert_eq!(compiled, reference);
    }

    /// `totals` on bound data agrees with `assess`, and the counts add up.
    #[test]
    fn totals_agree_with_assess((set, profile, year, data) in case()) {
        let program = compile(&set, &profile, year).map_err(reject("set does not compile"))?;
        let bound = program.bind(&data).map_err(reject("data do not bind"))?;
        let a = program.assess(&bound).unwrap();
        prop_assert_eq!(program.totals(&bound).unwrap(), (a.totals, a.outcome));
        let t = a.totals;
        prop_assert_eq!(t.criteria as usize, a.criteria.len());
        prop_assert_eq!(t.met + t.not_met + t.undetermined, t.criteria);
        prop_assert_eq!(t.met as usize, a.criteria_with(Outcome::Met).len());
        // Explanation integrity: every id in the assessment is in the set.
        for c in &a.criteria {
            let def = set.criterion(c.id.as_str()).expect("criterion of the set");
            for i in &c.deciding {
                prop_assert!(def.indicators.iter().any(|d| &d.id == i));
            }
        }
    }

    /// Moving indicators in their good direction never lowers the criteria met, and
    /// never turns a met set into an unmet one.
    #[test]
    fn improving_never_lowers_criteria_met(
        (set, profile, year, data) in case(),
        pick in proptest::collection::vec(any::<bool>(), 1..8),
        step in any::<u32>(),
    ) {
        let program = compile(&set, &profile, year).map_err(reject("set does not compile"))?;
        let before = program.evaluate(&data).map_err(reject("data do not bind"))?;
        // The required value of a yes/no is the flag of the threshold row that applies.
        let better = improve_to(&set, &data, &pick, step, |id| {
            match before.indicator(id.as_str())?.threshold.as_ref()?.threshold {
                Threshold::Flag(f) => Some(f),
                _ => None,
            }
        });
        let after = program.evaluate(&better).expect("improved data stays valid");
        prop_assert!(after.totals.met >= before.totals.met,
            "met {} -> {}", before.totals.met, after.totals.met);
        prop_assert!(after.totals.not_met <= before.totals.not_met);
        if before.outcome == Outcome::Met {
            prop_assert_eq!(after.outcome, Outcome::Met);
        }
    }

    /// Moving indicators in their good direction never lowers the tier decided (random
    /// 3-tier schemes), when both decisions are determinate; every decision nests.
    #[test]
    fn improving_never_lowers_the_tier_random_schemes(
        sets in tiered_sets(),
        profile in profile(),
        year in 2021u16..=2025,
        history in history(),
        seed in any::<u64>(),
        pick in proptest::collection::vec(any::<bool>(), 1..8),
        step in any::<u32>(),
    ) {
        let data = seeded_data(&sets[0], year, seed);
        let before = assess_all(&sets, &profile, year, &data).map_err(reject("not assessed"))?;
        let better = improve(&sets[0], &data, &pick, step);
        let after = assess_all(&sets, &profile, year, &better).expect("improved data stays valid");
        let d0 = decide(&before, &history).map_err(reject("no decision"))?;
        let d1 = decide(&after, &history).map_err(reject("no decision"))?;
        check_nesting(&d0, &before)?;
        check_nesting(&d1, &after)?;
        for (a, b) in before.iter().zip(&after) {
            prop_assert!(b.totals.met >= a.totals.met);
        }
        if let (Some(r0), Some(r1)) = (tier_rank(&d0), tier_rank(&d1)) {
            prop_assert!(r1 >= r0, "tier rank {} -> {}: {:?} -> {:?}", r0, r1, d0.verdict, d1.verdict);
        }
    }

    /// The decision-only assessments give the same decision as the full ones, with the
    /// same criteria outcomes and totals, and keep every indicator that is not met.
    #[test]
    fn lean_assessments_decide_like_full_ones(
        sets in tiered_sets(),
        profile in profile(),
        year in 2021u16..=2025,
        history in history(),
        seed in any::<u64>(),
    ) {
        let data = seeded_data(&sets[0], year, seed);
        let full = assess_all(&sets, &profile, year, &data).map_err(reject("not assessed"))?;
        let lean: Vec<Assessment> = sets
            .iter()
            .map(|s| compile(s, &profile, year).unwrap().evaluate_for_decision(&data).unwrap())
            .collect();
        for (f, l) in full.iter().zip(&lean) {
            prop_assert_eq!(f.totals, l.totals);
            prop_assert_eq!(f.outcome, l.outcome);
            for (fc, lc) in f.criteria.iter().zip(&l.criteria) {
                prop_assert_eq!(fc.outcome, lc.outcome);
                let kept: Vec<&ntm_rules::engine::IndicatorAssessment> = fc
                    .indicators
                    .iter()
                    .filter(|i| !matches!(i.outcome, IndicatorOutcome::Met | IndicatorOutcome::NotApplicable))
                    .collect();
                prop_assert_eq!(kept, lc.indicators.iter().collect::<Vec<_>>());
            }
        }
        prop_assert_eq!(decide(&full, &history), decide(&lean, &history));
    }

    /// Same with the illustrative 3-tier commune sets and random valid data.
    #[test]
    fn improving_never_lowers_the_tier_illustrative(
        region in proptest::sample::select(Region::ALL.to_vec()),
        difficult in any::<bool>(),
        year in 2021u16..=2025,
        history in history(),
        values in illustrative_values(),
        pick in proptest::collection::vec(any::<bool>(), 1..8),
        step in any::<u32>(),
    ) {
        let sets = illustrative::commune_sets();
        let mut profile = Profile::in_region(region);
        if difficult {
            profile = profile.with_status("especially_difficult");
        }
        let mut data = IndicatorData::new("07672", year);
        data.values = values;
        let before = assess_all(&sets, &profile, year, &data).expect("valid data");
        let mut better = data.clone();
        for set in &sets {
            better = improve(set, &better, &pick, step);
        }
        let after = assess_all(&sets, &profile, year, &better).expect("valid data");
        let d0 = decide(&before, &history).expect("decides");
        let d1 = decide(&after, &history).expect("decides");
        check_nesting(&d0, &before)?;
        check_nesting(&d1, &after)?;
        if let (Some(r0), Some(r1)) = (tier_rank(&d0), tier_rank(&d1)) {
            prop_assert!(r1 >= r0, "tier rank {} -> {}: {:?} -> {:?}", r0, r1, d0.verdict, d1.verdict);
        }
    }

    /// Criteria sets, data, histories, assessments and decisions survive JSON.
    #[test]
    fn serde_round_trips(
        sets in tiered_sets(),
        profile in profile(),
        year in 2021u16..=2025,
        history in history(),
        seed in any::<u64>(),
    ) {
        for set in &sets {
            prop_assert_eq!(&CriteriaSet::from_json(&set.to_json()).expect("reads back"), set);
            round_trip(set)?;
        }
        round_trip(&profile)?;
        round_trip(&history)?;
        prop_assert_eq!(&History::from_json(&serde_json::to_string(&history).unwrap()).unwrap(), &history);
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            ProptestConfig::default(),
            proptest::test_runner::TestRng::from_seed(
                proptest::test_runner::RngAlgorithm::ChaCha,
                &{
                    let mut s = [0u8; 32];
                    s[..8].copy_from_slice(&seed.to_le_bytes());
                    s
                },
            ),
        );
        let data = data_for(&sets[0], year).new_tree(&mut runner).expect("data").current();
        round_trip(&data)?;
        prop_assert_eq!(&IndicatorData::from_json(&serde_json::to_string(&data).unwrap()).unwrap(), &data);
        let assessments =
            assess_all(&sets, &profile, year, &data).map_err(reject("not assessed"))?;
        for a in &assessments {
            round_trip(a)?;
        }
        round_trip(&decide(&assessments, &history).map_err(reject("no decision"))?)?;
    }
}

fn illustrative_values() -> BoxedStrategy<BTreeMap<IndicatorId, Value>> {
    let sets = illustrative::commune_sets();
    let mut seen = BTreeSet::new();
    let inds: Vec<Indicator> = sets
        .iter()
        .flat_map(|s| s.all_indicators().cloned().collect::<Vec<_>>())
        .filter(|i| seen.insert(i.id.clone()))
        .collect();
    let values: Vec<_> = inds
        .iter()
        .map(|i| {
            let good = good_value(&i.kind).prop_map(Some);
            if i.allow_not_applicable {
                prop_oneof![8 => good, 1 => Just(None), 1 => Just(Some(Value::NotApplicable))]
                    .boxed()
            } else {
                prop_oneof![9 => good, 1 => Just(None)].boxed()
            }
        })
        .collect();
    let ids: Vec<IndicatorId> = inds.iter().map(|i| i.id.clone()).collect();
    values
        .prop_map(move |vs| {
            ids.iter()
                .cloned()
                .zip(vs)
                .filter_map(|(id, v)| v.map(|v| (id, v)))
                .collect()
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------
// No panics
// ---------------------------------------------------------------------------------------

fn wild_threshold() -> BoxedStrategy<Threshold> {
    prop_oneof![
        wild_decimal().prop_map(Threshold::Number),
        any::<bool>().prop_map(Threshold::Flag),
        "[a-z0-9]{0,3}".prop_map(Threshold::Grade),
        proptest::collection::vec("[a-z0-9]{0,3}", 0..3).prop_map(Threshold::Grades),
        Just(Threshold::Unknown),
        Just(Threshold::Delegated),
    ]
    .boxed()
}

fn wild_value() -> BoxedStrategy<Value> {
    prop_oneof![
        wild_decimal().prop_map(Value::Number),
        any::<bool>().prop_map(Value::Flag),
        "[a-z0-9]{0,3}".prop_map(Value::Grade),
        Just(Value::NotApplicable),
    ]
    .boxed()
}

fn wild_requirement() -> BoxedStrategy<Requirement> {
    use Requirement as R;
    proptest::sample::select(vec![
        R::AtLeast,
        R::AtMost,
        R::Above,
        R::Below,
        R::Equal,
        R::OneOf,
    ])
    .boxed()
}

/// An indicator with any kind, requirement and thresholds, fitting or not.
fn wild_indicator() -> BoxedStrategy<Indicator> {
    (
        "[0-9]\\.[0-9]",
        prop_oneof![
            kind(),
            proptest::collection::vec("[a-z0-9]{0,2}", 0..4)
                .prop_map(|grades| ValueKind::Grade { grades }),
        ],
        wild_requirement(),
        any::<bool>(),
        proptest::collection::vec(
            (
                proptest::option::of((any::<u16>(), any::<u16>())),
                subsequence(Region::ALL.to_vec(), 0..3),
                wild_threshold(),
            ),
            0..4,
        ),
    )
        .prop_map(
            |(id, kind, requirement, allow_not_applicable, rows)| Indicator {
                id: id.into(),
                name: Label::new("", ""),
                kind,
                requirement,
                allow_not_applicable,
                derived: None,
                thresholds: rows
                    .into_iter()
                    .map(|(years, regions, t)| {
                        row(
                            ProfileMatch {
                                regions,
                                ..ProfileMatch::default()
                            },
                            years.map(|(a, b)| YearRange::new(a, b)),
                            t,
                        )
                    })
                    .collect(),
                note: None,
            },
        )
        .boxed()
}

fn wild_set() -> BoxedStrategy<CriteriaSet> {
    (
        proptest::collection::vec(
            (
                "[0-9]",
                prop_oneof![
                    Just(PassRule::All),
                    any::<u32>().prop_map(PassRule::AtLeast)
                ],
                proptest::collection::vec(wild_indicator(), 0..4),
            ),
            0..5,
        ),
        proptest::collection::vec(wild_indicator(), 0..2),
        (any::<u16>(), any::<u16>()),
        proptest::option::of((wild_decimal(), wild_decimal(), comparison())),
        "[a-z]{0,9}",
    )
        .prop_map(|(criteria, preconditions, (from, to), revocation, tier)| {
            let criteria: Vec<Criterion> = criteria
                .into_iter()
                .map(|(id, pass, indicators)| Criterion {
                    id: id.into(),
                    name: Label::new("", ""),
                    pass,
                    indicators,
                })
                .collect();
            CriteriaSet {
                id: "wild".into(),
                name: Label::new("", ""),
                scheme: Scheme {
                    years: YearRange::new(from, to),
                    ..scheme()
                },
                level: Level::Commune,
                tier: if tier.len() > 6 {
                    "standard".into()
                } else {
                    tier.into()
                },
                requires_held: None,
                applies_to: Vec::new(),
                legal_basis: vec![],
                confidence: Confidence::Unverified,
                notes: None,
                profile_rules: vec![],
                revocation: revocation.map(|(a, b, comparison)| RevocationRule {
                    revoke_when_not_met: vec![],
                    share_with_key: a,
                    share_alone: b,
                    key_criteria: criteria.iter().take(2).map(|c| c.id.clone()).collect(),
                    comparison,
                    assess_against: None,
                    source: src(),
                    confidence: Confidence::Unverified,
                }),
                criteria,
                preconditions,
            }
        })
        .boxed()
}

/// Text near valid JSON: a valid set or data with a slice cut out and junk put in.
fn mangled(text: String) -> BoxedStrategy<String> {
    let len = text.len();
    (0..=len, 0usize..40, "[\\[\\]{}\",:0-9a-z\\-. ]{0,6}")
        .prop_map(move |(at, cut, junk)| {
            let mut s = text.clone();
            let at = (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
            let end = (at + cut..=len)
                .find(|&i| s.is_char_boundary(i))
                .unwrap_or(len);
            s.replace_range(at..end, &junk);
            s
        })
        .boxed()
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary text never panics the loaders.
    #[test]
    fn arbitrary_json_never_panics(text in ".{0,200}") {
        let _ = CriteriaSet::from_json(&text);
        let _ = IndicatorData::from_json(&text);
        let _ = History::from_json(&text);
    }

    /// Nearly valid JSON never panics the loaders, and whatever loads never panics the
    /// engine.
    #[test]
    fn mangled_json_never_panics(
        set_text in mangled(illustrative::commune_standard().to_json()),
        data_text in mangled(serde_json::to_string_pretty(&illustrative::sample_commune("1", 2022)).unwrap()),
    ) {
        let set = CriteriaSet::from_json(&set_text);
        let data = IndicatorData::from_json(&data_text);
        if let (Ok(set), Ok(data)) = (set, data) {
            let profile = Profile::in_region(Region::Dbsh);
            if let Ok(p) = compile(&set, &profile, 2022) {
                let _ = p.evaluate(&data);
            }
            let _ = reference::evaluate(&set, &profile, 2022, &data);
        }
    }

    /// Arbitrary well-typed sets, data and histories never panic compile, evaluate,
    /// reference or decide; and both evaluators still agree on them.
    #[test]
    fn wild_values_never_panic(
        set in wild_set(),
        profile in profile(),
        year in any::<u16>(),
        values in proptest::collection::vec(("[0-9]\\.[0-9]", wild_value()), 0..8),
        history in history(),
        total in any::<u32>(),
    ) {
        let mut data = IndicatorData::new("x", year);
        for (id, v) in values {
            data.values.insert(id.into(), v);
        }
        let compiled = compile(&set, &profile, year)
            .map_err(EvaluateError::from)
            .and_then(|p| p.evaluate(&data).map_err(EvaluateError::from));
        let reference = reference::evaluate(&set, &profile, year, &data);
        prop_assert_eq!(&compiled, &reference);
        let _ = set.to_json();
        if let Ok(a) = compiled {
            let _ = decide(std::slice::from_ref(&a), &history);
            // An assessment edited by hand (or read from JSON) with odd totals and a
            // revocation rule that was never validated.
            let mut odd = a.clone();
            odd.totals.criteria = total;
            let _ = decide(&[odd.clone()], &history);
            let _ = decide(&[odd.clone(), a], &history);
            let _ = decide(&[], &history);
        }
    }
}

/// The revocation arithmetic never panics, whatever the figures.
#[test]
fn revocation_applies_never_panics_on_extremes() {
    for (with_key, alone) in [
        (Decimal::MAX, Decimal::MAX),
        (Decimal::MIN, Decimal::MAX),
        (Decimal::ZERO, Decimal::ZERO),
        (Decimal::new(1, 28), Decimal::new(-1, 28)),
    ] {
        for comparison in [
            ShareComparison::Exact,
            ShareComparison::CountRoundedDown,
            ShareComparison::CountRoundedHalfUp,
            ShareComparison::CountRoundedUp,
        ] {
            let rule = RevocationRule {
                revoke_when_not_met: vec![],
                share_with_key: with_key,
                share_alone: alone,
                key_criteria: vec![],
                comparison,
                assess_against: None,
                source: src(),
                confidence: Confidence::Unverified,
            };
            for (f, t) in [(0, 0), (u32::MAX, u32::MAX), (1, u32::MAX), (u32::MAX, 1)] {
                let _ = rule.applies(f, t, true);
                let _ = rule.applies(f, t, false);
            }
        }
    }
}

/// The reject limit of [`config`] does fail a property whose cases mostly cannot reach
/// its assertions (here, two in three are rejected).
#[test]
fn a_property_whose_cases_are_mostly_rejected_fails() {
    let runner = || {
        let config = ProptestConfig {
            failure_persistence: None,
            ..config(64)
        };
        let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
        proptest::test_runner::TestRunner::new_with_rng(config, rng)
    };
    let mut runner_a = runner();
    let result = runner_a.run(&(0u32..3), |n| {
        if n == 0 {
            Ok(())
        } else {
            Err(TestCaseError::reject("unusable case"))
        }
    });
    assert!(
        matches!(&result, Err(proptest::test_runner::TestError::Abort(why)) if why.message().contains("reject")),
        "{result:?}"
    );
    // One in five rejected passes.
    let mut runner_b = runner();
    let result = runner_b.run(&(0u32..5), |n| {
        if n == 0 {
            Err(TestCaseError::reject("unusable case"))
        } else {
            Ok(())
        }
    });
    assert!(result.is_ok(), "{result:?}");
}

/// Sanity check of the generators: most random cases evaluate, so the differential
/// property is not vacuous.
#[test]
fn generated_cases_mostly_evaluate() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = case();
    let (mut ok, mut met, mut undetermined, mut not_applicable) = (0, 0, 0, 0);
    for _ in 0..200 {
        let (set, profile, year, data) = strategy.new_tree(&mut runner).unwrap().current();
        if let Ok(a) = compile(&set, &profile, year)
            .map_err(EvaluateError::from)
            .and_then(|p| p.evaluate(&data).map_err(EvaluateError::from))
        {
            ok += 1;
            met += a.totals.met;
            undetermined += a.totals.undetermined;
            not_applicable += a
                .criteria
                .iter()
                .flat_map(|c| &c.indicators)
                .filter(|i| i.outcome == IndicatorOutcome::NotApplicable)
                .count();
        }
    }
    assert!(ok >= 100, "only {ok} of 200 cases evaluate");
    assert!(met > 0 && undetermined > 0 && not_applicable > 0);
}

// ---------------------------------------------------------------------------------------
// The integer fast path and the column-shaped batch
// ---------------------------------------------------------------------------------------

/// A set, a profile, a year and the data of several units (some with bad values).
fn batch_case() -> BoxedStrategy<(CriteriaSet, Profile, u16, Vec<IndicatorData>)> {
    (criteria_set(), profile(), year())
        .prop_flat_map(|(set, profile, year)| {
            let units = proptest::collection::vec(data_for(&set, year), 0..=12);
            (Just(set), Just(profile), Just(year), units)
        })
        .prop_map(|(set, profile, year, mut units)| {
            for (i, u) in units.iter_mut().enumerate() {
                u.unit = format!("{i:05}").into();
            }
            (set, profile, year, units)
        })
        .boxed()
}

/// `t` shifted by one unit in its last place, or in the 28th decimal place, or with
/// more decimal places and the same value, or a wild decimal.
fn near(t: Decimal) -> BoxedStrategy<Decimal> {
    prop_oneof![
        3 => Just(t),
        3 => (1u32..=28).prop_map(move |k| {
            // The same value written with more decimal places (as far as it fits).
            let mut v = t;
            v.rescale(t.scale().saturating_add(k).min(28));
            v
        }),
        1 => Just(t.normalize()),
        2 => (0u32..=28, any::<bool>()).prop_map(move |(s, up)| {
            let step = Decimal::new(1, s);
            let v = if up { t.checked_add(step) } else { t.checked_sub(step) };
            v.unwrap_or(t)
        }),
        2 => (any::<i64>(), 0u32..=28).prop_map(move |(n, s)| {
            t.checked_add(Decimal::new(n, s)).unwrap_or(t)
        }),
        1 => wild_decimal(),
    ]
    .boxed()
}

/// A threshold of any magnitude and scale, extremes included.
fn any_threshold() -> BoxedStrategy<Decimal> {
    prop_oneof![
        3 => decimal_in(-100, 100),
        2 => (any::<i32>(), 0u32..=10).prop_map(|(n, s)| Decimal::new(n.into(), s)),
        2 => wild_decimal(),
        1 => Just(Decimal::MAX - Decimal::ONE),
        1 => Just(Decimal::MIN + Decimal::ONE),
        1 => Just(Decimal::new(1, 28)),
        // Just inside and just outside the range of the integer keys.
        1 => (-4i64..=4).prop_map(|d| Decimal::from(i64::from(i32::MAX / 2) + d)),
        1 => (-4i64..=4).prop_map(|d| Decimal::from(i64::from(i32::MIN / 2) + d)),
    ]
    .boxed()
}

/// One criterion of decimal indicators (no range limits) with thresholds of any
/// magnitude and scale, and the data of several units with values near the thresholds.
fn numeric_case() -> BoxedStrategy<(CriteriaSet, Vec<IndicatorData>)> {
    let numeric_requirement = || {
        use Requirement as R;
        proptest::sample::select(vec![R::AtLeast, R::AtMost, R::Above, R::Below, R::Equal])
    };
    (
        proptest::collection::vec((numeric_requirement(), any_threshold()), 1..=6),
        prop_oneof![Just(PassRule::All), (1u32..=3).prop_map(PassRule::AtLeast)],
    )
        .prop_flat_map(|(indicators, pass)| {
            let thresholds: Vec<Decimal> = indicators.iter().map(|(_, t)| *t).collect();
            let unit = thresholds
                .iter()
                .map(|&t| proptest::option::weighted(0.95, near(t)))
                .collect::<Vec<_>>();
            let units = proptest::collection::vec(unit, 1..=8);
            (Just(indicators), Just(pass), units)
        })
        .prop_map(|(indicators, pass, units)| {
            let count = indicators.len();
            let indicators: Vec<Indicator> = indicators
                .into_iter()
                .enumerate()
                .map(|(i, (requirement, t))| Indicator {
                    id: format!("1.{}", i + 1).into(),
                    name: Label::new("", ""),
                    kind: ValueKind::Decimal {
                        unit: Unit::Other("ha".into()),
                    },
                    requirement,
                    allow_not_applicable: false,
                    derived: None,
                    thresholds: vec![row(ProfileMatch::default(), None, Threshold::Number(t))],
                    note: None,
                })
                .collect();
            let pass = match pass {
                PassRule::AtLeast(k) => PassRule::AtLeast(k.min(count as u32)),
                p => p,
            };
            let set = CriteriaSet {
                id: "numeric".into(),
                name: Label::new("", ""),
                scheme: scheme(),
                level: Level::Commune,
                tier: "standard".into(),
                requires_held: None,
                applies_to: Vec::new(),
                legal_basis: vec![],
                confidence: Confidence::Illustrative,
                notes: None,
                profile_rules: vec![],
                criteria: vec![Criterion {
                    id: "1".into(),
                    name: Label::new("", ""),
                    pass,
                    indicators,
                }],
                preconditions: vec![],
                revocation: None,
            };
            let data = units
                .into_iter()
                .enumerate()
                .map(|(u, values)| {
                    let mut d = IndicatorData::new(format!("{u:05}"), 2023);
                    for (i, v) in values.into_iter().enumerate() {
                        if let Some(v) = v {
                            d.values
                                .insert(format!("1.{}", i + 1).into(), Value::Number(v));
                        }
                    }
                    d
                })
                .collect();
            (set, data)
        })
        .boxed()
}

/// Checks `totals_batch` against `bind`, `totals` and `assess`, unit by unit.
fn check_batch(
    program: &ntm_rules::engine::Program,
    units: &[IndicatorData],
) -> Result<(), TestCaseError> {
    let (batch, errors) = program.bind_batch(units);
    let mut results = Vec::new();
    program.totals_batch(&batch, &mut results).unwrap();
    prop_assert_eq!(results.len(), batch.len());
    prop_assert_eq!(batch.units().len(), batch.len());
    let mut errors = errors.into_iter();
    let mut bound = batch.indices().iter().zip(&results).zip(batch.units());
    for (u, data) in units.iter().enumerate() {
        match program.bind(data) {
            Ok(one) => {
                let ((&index, result), unit) = bound.next().expect("a bound unit");
                prop_assert_eq!(index, u);
                prop_assert_eq!(unit, &data.unit);
                let a = program.assess(&one).unwrap();
                prop_assert_eq!(*result, program.totals(&one).unwrap());
                prop_assert_eq!(*result, (a.totals, a.outcome));
            }
            Err(e) => prop_assert_eq!(Some(e), errors.next()),
        }
    }
    prop_assert!(bound.next().is_none());
    prop_assert!(errors.next().is_none());
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// `totals_batch` gives, for every unit bound, what `totals` and `assess` give for
    /// the unit alone; `bind_batch` reports exactly the units `bind` refuses, with the
    /// same errors, and binds the others in order.
    #[test]
    fn batch_agrees_with_totals_and_assess((set, profile, year, units) in batch_case()) {
        let program = compile(&set, &profile, year).map_err(reject("set does not compile"))?;
        check_batch(&program, &units)?;
    }

    /// Numbers with more decimal places than the threshold, the same value at another
    /// scale, one unit in the 28th place either side, extreme magnitudes near
    /// `Decimal::MAX` and `Decimal::MIN`: the integer keys compare exactly as `Decimal`
    /// does. Checked against the reference evaluator (which compares `Decimal`s) and
    /// between the batch, `totals` and `assess`.
    #[test]
    fn integer_keys_compare_exactly((set, units) in numeric_case()) {
        let program = compile(&set, &Profile::default(), 2023).unwrap();
        for data in &units {
            let compiled = program.evaluate(data).map_err(EvaluateError::from);
            let reference = reference::evaluate(&set, &Profile::default(), 2023, data);
            prop_assert_eq!(&compiled, &reference);
            // A value equal to its threshold, at whatever scale, compares equal.
            let a = compiled.unwrap();
            for (ind, def) in a.criteria[0].indicators.iter().zip(&set.criteria[0].indicators) {
                let (Some(Value::Number(v)), Threshold::Number(t)) =
                    (&ind.actual, &def.thresholds[0].threshold) else { continue };
                if v == t {
                    let met = matches!(
                        def.requirement,
                        Requirement::AtLeast | Requirement::AtMost | Requirement::Equal
                    );
                    prop_assert_eq!(ind.outcome == IndicatorOutcome::Met, met);
                    prop_assert_eq!(ind.margin, Some(Decimal::ZERO));
                }
            }
        }
        check_batch(&program, &units)?;
    }
}

/// Equal values at different scales compare equal, and the nearest values either side
/// do not, at ordinary and extreme magnitudes (deterministic cases).
#[test]
fn equal_values_at_different_scales_compare_equal() {
    let cases: &[(&str, &[&str])] = &[
        ("80", &["80.00", "80.0000000000000000000000000"]),
        ("80.00", &["80", "80.0"]),
        ("-3.5", &["-3.50", "-3.500000"]),
        (
            "0.0000000000000000000000000001",
            &["0.0000000000000000000000000001"],
        ),
        (
            "79228162514264337593543950334",
            &["79228162514264337593543950334"],
        ),
        (
            "-79228162514264337593543950334",
            &["-79228162514264337593543950334"],
        ),
        ("1073741823", &["1073741823.000"]),
        ("1073741824", &["1073741824.0"]),
    ];
    for (threshold, equal) in cases {
        let t: Decimal = threshold.parse().unwrap();
        let step = Decimal::new(1, 28);
        let below = [t.checked_sub(step), t.checked_sub(Decimal::ONE)];
        let above = [t.checked_add(step), t.checked_add(Decimal::ONE)];
        for requirement in [
            Requirement::AtLeast,
            Requirement::Above,
            Requirement::AtMost,
            Requirement::Below,
            Requirement::Equal,
        ] {
            let set = CriteriaSet {
                criteria: vec![Criterion {
                    id: "1".into(),
                    name: Label::new("", ""),
                    pass: PassRule::All,
                    indicators: vec![Indicator {
                        id: "1.1".into(),
                        name: Label::new("", ""),
                        kind: ValueKind::Decimal {
                            unit: Unit::Other("ha".into()),
                        },
                        requirement,
                        allow_not_applicable: false,
                        derived: None,
                        thresholds: vec![row(ProfileMatch::default(), None, Threshold::Number(t))],
                        note: None,
                    }],
                }],
                ..numeric_set_shell()
            };
            let program = compile(&set, &Profile::default(), 2023).unwrap();
            let outcome = |v: Decimal| {
                let data = IndicatorData::new("1", 2023).with("1.1", Value::Number(v));
                let bound = program.bind(&data).unwrap();
                let (batch, _) = program.bind_batch(std::slice::from_ref(&data));
                let mut results = Vec::new();
                program.totals_batch(&batch, &mut results).unwrap();
                assert_eq!(results, vec![program.totals(&bound).unwrap()]);
                results[0].1
            };
            let met = |b: bool| if b { Outcome::Met } else { Outcome::NotMet };
            use Requirement as R;
            for v in equal.iter().map(|v| v.parse::<Decimal>().unwrap()) {
                assert_eq!(v, t);
                let want = met(matches!(requirement, R::AtLeast | R::AtMost | R::Equal));
                assert_eq!(outcome(v), want, "{v} {requirement:?} {t}");
            }
            for v in below.into_iter().flatten().filter(|v| *v != t) {
                let want = met(matches!(requirement, R::AtMost | R::Below));
                assert_eq!(outcome(v), want, "{v} {requirement:?} {t}");
            }
            for v in above.into_iter().flatten().filter(|v| *v != t) {
                let want = met(matches!(requirement, R::AtLeast | R::Above));
                assert_eq!(outcome(v), want, "{v} {requirement:?} {t}");
            }
        }
    }
}

fn numeric_set_shell() -> CriteriaSet {
    CriteriaSet {
        id: "numeric".into(),
        name: Label::new("", ""),
        scheme: scheme(),
        level: Level::Commune,
        tier: "standard".into(),
        requires_held: None,
        applies_to: Vec::new(),
        legal_basis: vec![],
        confidence: Confidence::Illustrative,
        notes: None,
        profile_rules: vec![],
        criteria: vec![],
        preconditions: vec![],
        revocation: None,
    }
}

// ---------------------------------------------------------------------------------------
// Per-criterion outcomes as bitmasks from a batch (#12)
// ---------------------------------------------------------------------------------------

/// Checks `masks_batch` against `assess` (criterion by criterion, the set's outcome and
/// the counts) and `totals_batch`, unit by unit.
fn check_masks(
    program: &ntm_rules::engine::Program,
    units: &[IndicatorData],
) -> Result<(), TestCaseError> {
    use ntm_rules::engine::CriteriaMasks;
    let (batch, _) = program.bind_batch(units);
    let mut masks = CriteriaMasks::new();
    program.masks_batch(&batch, &mut masks).unwrap();
    let mut totals = Vec::new();
    program.totals_batch(&batch, &mut totals).unwrap();
    prop_assert_eq!(masks.len(), batch.len());
    prop_assert_eq!(masks.criteria(), program.criteria_count());
    prop_assert_eq!(masks.words(), program.criteria_count().div_ceil(64));
    for (u, &index) in batch.indices().iter().enumerate() {
        let a = program
            .assess(&program.bind(&units[index]).unwrap())
            .unwrap();
        for (c, criterion) in a.criteria.iter().enumerate() {
            prop_assert_eq!(
                masks.criterion(u, c),
                Some(criterion.outcome),
                "unit {}, criterion {}",
                u,
                c
            );
        }
        prop_assert_eq!(masks.criterion(u, a.criteria.len()), None);
        prop_assert_eq!(masks.outcome(u), Some(a.outcome));
        prop_assert_eq!(masks.totals(u), Some(a.totals));
        prop_assert_eq!(
            (masks.totals(u).unwrap(), masks.outcome(u).unwrap()),
            totals[u]
        );
        // A criterion is in one mask at most, and no bit is set past the last one.
        let (met, undetermined) = (masks.met(u).unwrap(), masks.undetermined(u).unwrap());
        for (w, (m, d)) in met.iter().zip(undetermined).enumerate() {
            prop_assert_eq!(m & d, 0);
            let used = a.criteria.len().saturating_sub(w * 64).min(64);
            let beyond = if used == 64 { 0 } else { !0u64 << used };
            prop_assert_eq!((m | d) & beyond, 0);
        }
    }
    prop_assert!(masks.met(batch.len()).is_none());
    prop_assert!(masks.outcome(batch.len()).is_none());
    check_counts(program, units, &masks)
}

/// Checks `CriteriaMasks::count` over every criterion and over every other one (a
/// stand-in for a revocation rule's key criteria) against `assess`.
fn check_counts(
    program: &ntm_rules::engine::Program,
    units: &[IndicatorData],
    masks: &ntm_rules::engine::CriteriaMasks,
) -> Result<(), TestCaseError> {
    let (batch, _) = program.bind_batch(units);
    for (u, &index) in batch.indices().iter().enumerate() {
        let a = program
            .assess(&program.bind(&units[index]).unwrap())
            .unwrap();
        let every_other: Vec<_> = a.criteria.iter().step_by(2).map(|c| c.id.clone()).collect();
        let key = program.criteria_mask(&every_other).unwrap();
        for outcome in [Outcome::Met, Outcome::NotMet, Outcome::Undetermined] {
            let all = a.criteria_with(outcome);
            prop_assert_eq!(masks.count(u, outcome, None), Some(all.len() as u32));
            let among = all.iter().filter(|c| every_other.contains(c)).count();
            prop_assert_eq!(masks.count(u, outcome, Some(&key)), Some(among as u32));
        }
    }
    prop_assert_eq!(program.criteria_mask(&["no such criterion".into()]), None);
    Ok(())
}

/// A set of yes/no criteria, `(pass rule, indicators)` each, and the data of units (a
/// flag per indicator, in order; `None` missing).
fn flag_case(
    criteria: &[(PassRule, usize)],
    units: &[Vec<Option<bool>>],
) -> (CriteriaSet, Vec<IndicatorData>) {
    let criteria_defs: Vec<Criterion> = criteria
        .iter()
        .enumerate()
        .map(|(c, (pass, k))| Criterion {
            id: format!("{}", c + 1).into(),
            name: Label::new("", ""),
            pass: *pass,
            indicators: (0..*k)
                .map(|i| Indicator {
                    id: format!("{}.{}", c + 1, i + 1).into(),
                    name: Label::new("", ""),
                    kind: ValueKind::YesNo,
                    requirement: Requirement::Equal,
                    allow_not_applicable: true,
                    derived: None,
                    thresholds: vec![row(ProfileMatch::default(), None, Threshold::Flag(true))],
                    note: None,
                })
                .collect(),
        })
        .collect();
    let ids: Vec<IndicatorId> = criteria_defs
        .iter()
        .flat_map(|c| c.indicators.iter().map(|i| i.id.clone()))
        .collect();
    let set = CriteriaSet {
        id: "flags".into(),
        name: Label::new("", ""),
        scheme: scheme(),
        level: Level::Commune,
        tier: "standard".into(),
        requires_held: None,
        applies_to: Vec::new(),
        legal_basis: vec![],
        confidence: Confidence::Illustrative,
        notes: None,
        profile_rules: vec![],
        criteria: criteria_defs,
        preconditions: vec![],
        revocation: None,
    };
    let data = units
        .iter()
        .enumerate()
        .map(|(u, values)| {
            let mut d = IndicatorData::new(format!("{u:05}"), 2023);
            for (id, v) in ids.iter().zip(values) {
                match v {
                    Some(f) => {
                        d.values.insert(id.clone(), Value::Flag(*f));
                    }
                    // Now and then "not applicable" rather than missing.
                    None if id.as_str().len() % 3 == 0 => {
                        d.values.insert(id.clone(), Value::NotApplicable);
                    }
                    None => {}
                }
            }
            d
        })
        .collect();
    (set, data)
}

/// More criteria than one word holds: 65 to 140 yes/no criteria of 1 to 3 indicators.
fn wide_case() -> BoxedStrategy<(CriteriaSet, Vec<IndicatorData>)> {
    proptest::collection::vec(
        (1usize..=3).prop_flat_map(|k| {
            (
                prop_oneof![
                    Just(PassRule::All),
                    (1u32..=k as u32).prop_map(PassRule::AtLeast)
                ],
                Just(k),
            )
        }),
        65..=140,
    )
    .prop_flat_map(|criteria| {
        let slots: usize = criteria.iter().map(|(_, k)| k).sum();
        let unit = proptest::collection::vec(proptest::option::weighted(0.9, any::<bool>()), slots);
        (Just(criteria), proptest::collection::vec(unit, 1..=6))
    })
    .prop_map(|(criteria, units)| flag_case(&criteria, &units))
    .boxed()
}

proptest! {
    #![proptest_config(config(256))]

    /// `masks_batch` gives, for every unit bound, each criterion's outcome, the set's
    /// outcome and the counts that `assess` gives for the unit alone, and what
    /// `totals_batch` gives.
    #[test]
    fn masks_agree_with_assess((set, profile, year, units) in batch_case()) {
        let program = compile(&set, &profile, year).map_err(reject("set does not compile"))?;
        check_masks(&program, &units)?;
    }

    /// The masks compare the integer keys exactly, values near their thresholds.
    #[test]
    fn masks_compare_exactly((set, units) in numeric_case()) {
        let program = compile(&set, &Profile::default(), 2023).unwrap();
        check_masks(&program, &units)?;
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// Sets of more than 64 criteria take several words per unit, in order.
    #[test]
    fn masks_of_more_than_64_criteria_agree_with_assess((set, units) in wide_case()) {
        let program = compile(&set, &Profile::default(), 2023).unwrap();
        check_masks(&program, &units)?;
    }
}

#[test]
fn masks_of_a_criterion_too_large_to_pack_agree_with_assess() {
    // 1,100 indicators in one criterion: past a packed tally, so unit by unit.
    // All met; 60 missing (undetermined); 60 not met; 30 not met and 30 missing
    // (undetermined); 51 not met (short by one).
    let unit = |missing: usize, not_met: usize| -> Vec<Option<bool>> {
        (0..1_102)
            .map(|i| match i {
                _ if i < missing => None,
                _ if i < missing + not_met => Some(false),
                _ => Some(true),
            })
            .collect()
    };
    let units = vec![
        unit(0, 0),
        unit(60, 0),
        unit(0, 60),
        unit(30, 30),
        unit(0, 51),
    ];
    let (set, data) = flag_case(
        &[
            (PassRule::AtLeast(1_050), 1_100),
            (PassRule::All, 1),
            (PassRule::All, 1),
        ],
        &units,
    );
    let program = compile(&set, &Profile::default(), 2023).unwrap();
    let outcomes: BTreeSet<String> = data
        .iter()
        .map(|d| format!("{:?}", program.evaluate(d).unwrap().criteria[0].outcome))
        .collect();
    assert_eq!(outcomes.len(), 3, "the units vary: {outcomes:?}");
    check_masks(&program, &data).unwrap();
}

#[test]
fn masks_of_a_batch_bound_by_another_set_are_refused_and_left_empty() {
    use ntm_rules::engine::CriteriaMasks;
    let (one, data) = flag_case(&[(PassRule::All, 2)], &[vec![Some(true), Some(true)]]);
    let (mut other, _) = flag_case(&[(PassRule::All, 1)], &[]);
    other.id = "other".into();
    let program = compile(&one, &Profile::default(), 2023).unwrap();
    let foreign = compile(&other, &Profile::default(), 2023).unwrap();
    let (batch, errors) = program.bind_batch(&data);
    assert!(errors.is_empty());
    let mut masks = CriteriaMasks::new();
    program.masks_batch(&batch, &mut masks).unwrap();
    assert_eq!(masks.met(0), Some(&[0b1][..]));
    assert!(foreign.masks_batch(&batch, &mut masks).is_err());
    assert!(masks.is_empty());
    assert_eq!(masks.met(0), None);
}
