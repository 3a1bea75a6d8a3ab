//! One bottom-up pass over a [`Hierarchy`](crate::tree::Hierarchy) for a reporting year → decisions for every
//! unit and a [`Summary`](crate::tree::Summary) for every unit with children: the fifth stage of the pipeline.
//!
//! [`aggregate`] takes the validated tree, the criteria sets of each level
//! ([`LevelSets`](crate::tree::LevelSets); village: model-village set; commune: standard, advanced, model;
//! district and province sets), each unit's [`UnitInput`](crate::tree::UnitInput) (profile, indicator data,
//! recognition history, weights), and the indicator [`RollUp`](crate::tree::RollUp)s wanted. It then:
//!
//! 1. goes through the units level by level, villages first; for each unit it picks the
//!    sets of its level and kind, compiles each distinct (set, profile, year) once (the
//!    [`Program`](crate::engine::Program)s are cached), evaluates, and [`decide`](crate::engine::decide)s; the values of
//!    its data that no set of its level reads are listed, with a did-you-mean hint, in
//!    [`Aggregation::unused_values`](crate::tree::Aggregation::unused_values);
//! 2. before evaluating a district or province, computes its **derived indicators**
//!    (indicators with [`derived`](crate::model::Indicator::derived)) from its children's
//!    decisions — exact decimal percentages and counts — and puts them into the unit's
//!    data, replacing any value given for them;
//! 3. sums the children's results into a [`Summary`](crate::tree::Summary) per unit, bottom-up: counts by tier
//!    (cumulative, newly recognised this year, revoked this year), shares with an
//!    explicit denominator, criteria statistics of communes, and roll-ups.
//!
//! **Bad data does not stop the pass.** A unit whose data does not fit its sets (a
//! [`DataError`](crate::engine::DataError)), whose set cannot be compiled for its profile, that has two inputs,
//! or that has none (it is not evaluated as empty data with a default profile and no
//! history), is [excluded](crate::tree::Excluded): it is listed with the reason and counted in
//! [`LevelCounts::excluded`](crate::tree::LevelCounts::excluded), but it is in no tier count, no criteria statistic
//! and no roll-up (each [`RollUpValue`](crate::tree::RollUpValue) lists the units it left out).
//! A unit whose decision [cannot be made](crate::engine::Verdict::CannotDecide) is counted in
//! [`LevelCounts::undecided`](crate::tree::LevelCounts::undecided). Both stay in the denominators of shares over all units
//! (the official "147 of 184 communes" counts recognised units over every commune).
//! A derived indicator is only computed when every child it counts is decided; otherwise
//! it is left missing (so the parent is undetermined, never guessed) and the reason is
//! listed in [`Aggregation::derived_problems`](crate::tree::Aggregation::derived_problems).
//!
//! Derived shares are over the children whose scheme has the tier named: a share of
//! districts at `standard` does not count a provincial city, whose scheme has the tier
//! `completed` instead.
//!
//! The result does not depend on the order of the units or inputs: units are processed
//! by level, then code.

use crate::engine::{decide, Assessment, EvaluateError, Evaluator, KnownIds, Outcome, UnusedValue};
use crate::model::{
    AdminUnit, ChildMeasure, CriteriaSet, Derivation, History, IndicatorData, IndicatorId, Level,
    TierId, UnitCode, UnitKind, Value,
};
use crate::tree::derive::derive;
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::{AggregateOptions, LevelSets, RollUp, UnitInput};
use crate::tree::merger::{divided_parts, from_lineage, part_histories, LineageError};
use crate::tree::positions::{put, InputMap, Source};
use crate::tree::result::{
    Aggregation, DerivedProblem, Excluded, ExclusionReason, IncompleteProfile, ScopeReason,
    UnitResult, UnitStatus,
};
use crate::tree::rollup::Contribution;
use crate::tree::summarise::summarise;
use crate::tree::summary::Summary;
use crate::tree::view::{Results, State, View};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Runs the bottom-up pass for a reporting year: every unit of `tree` against the `sets`
/// of its level, with its input from `inputs`. See the module docs.
///
/// Never fails as a whole: problems of single units are in the result
/// ([`Aggregation::excluded`], [`Aggregation::derived_problems`],
/// [`Aggregation::missing_input`], [`Aggregation::unknown_inputs`],
/// [`Aggregation::unused_values`]).
///
/// # Example
///
/// ```
/// use ntm_rules::tree::{aggregate, AggregateOptions, LevelSets, UnitInput};
/// use ntm_rules::model::{AdminUnit, Date};
/// use ntm_rules::tree::Hierarchy;
/// use ntm_rules::policy::illustrative;
/// use ntm_rules::model::{Level, Profile, Region};
///
/// let tree = Hierarchy::new(vec![
///     AdminUnit::new("P", "Province", Level::Province),
///     AdminUnit::new("C1", "Commune 1", Level::Commune).with_parent("P"),
///     AdminUnit::new("C2", "Commune 2", Level::Commune).with_parent("P"),
/// ], Date::end_of_year(2022))?;
/// let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
/// let profile = Profile::in_region(Region::Tdmnpb);
/// let inputs = vec![
///     UnitInput::new(illustrative::sample_commune("C1", 2022)).with_profile(profile.clone()),
///     UnitInput::new(ntm_rules::model::IndicatorData::new("C2", 2022)).with_profile(profile),
/// ];
/// let result = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
/// let communes = result.summary("P").unwrap().level(Level::Commune).unwrap();
/// assert_eq!(communes.tier("standard").unwrap().cumulative, 1);
/// assert_eq!(communes.undecided, 1); // C2 has no data: its decision cannot be made
/// # Ok::<(), ntm_rules::tree::TreeError>(())
/// ```
pub fn aggregate(
    tree: &Hierarchy,
    year: u16,
    sets: &[LevelSets],
    inputs: &[UnitInput],
    options: &AggregateOptions,
) -> Aggregation {
    let mut ctx = Pass::new(tree, year, sets, Source::Maps(inputs), options);
    // Results by position (code order).
    let mut results: Vec<Option<UnitResult>> = Vec::new();
    results.resize_with(tree.len(), || None);
    for (pos, unit) in ctx.order() {
        let result = ctx.unit(pos, unit, &results[..]);
        put(&mut results, pos, result);
    }
    let summaries = ctx.summaries(&results[..]);
    let excluded = results
        .iter()
        .flatten()
        .filter_map(|r| match &r.status {
            UnitStatus::Excluded { reason } => Some(Excluded {
                unit: r.unit.clone(),
                level: r.level,
                reason: reason.clone(),
            }),
            _ => None,
        })
        .collect();
    ctx.into_aggregation(by_code(results), summaries, excluded)
}

/// The results by code, built with the least memory at its peak: the pairs go into a
/// vector of their exact length (which the map is then built from in place), not into
/// one that doubles as it grows beside the results it is read from.
fn by_code(results: Vec<Option<UnitResult>>) -> BTreeMap<UnitCode, UnitResult> {
    let mut pairs = Vec::with_capacity(results.iter().flatten().count());
    pairs.extend(results.into_iter().flatten().map(|r| (r.unit.clone(), r)));
    pairs.into_iter().collect()
}

/// The state of one pass: what it reads, resolved once, and what it collects.
pub(super) struct Pass<'a> {
    pub(super) tree: &'a Hierarchy,
    pub(super) year: u16,
    pub(super) sets: &'a [LevelSets],
    pub(super) rollups: &'a [RollUp],
    unreadable: &'a BTreeMap<UnitCode, String>,
    pub(super) by_unit: InputMap<'a>,
    unknown_inputs: Vec<UnitCode>,
    /// Histories of units no longer in the tree, for the merger rule.
    former: BTreeMap<&'a UnitCode, &'a History>,
    used_parts: BTreeSet<UnitCode>,
    /// One evaluator (sets and compiled programs) per group of sets.
    pub(super) evaluators: Vec<Evaluator>,
    /// The derived indicators of each group of sets, in the order of the sets.
    pub(super) derived_by_group: Vec<Vec<(&'a IndicatorId, &'a Derivation)>>,
    known_by_level: Vec<(Level, KnownIds)>,
    no_ids: KnownIds,
    derived_problems: Vec<DerivedProblem>,
    missing_input: Vec<UnitCode>,
    pub(super) unused_values: Vec<UnusedValue>,
    pub(super) incomplete_profiles: Vec<IncompleteProfile>,
    // Buffers reused from one unit to the next.
    assessments: Vec<Assessment>,
    keys: Vec<i32>,
    /// Contributions to the roll-ups, recorded as each unit's result is made.
    pub(super) pending: Vec<(usize, usize, Contribution)>,
    /// Making a result again on demand ([`Pass::explain`]): what the unit's result does
    /// not hold (its unused values) is not worked out again.
    explaining: bool,
}

impl<'a> Pass<'a> {
    pub(super) fn new(
        tree: &'a Hierarchy,
        year: u16,
        sets: &'a [LevelSets],
        inputs: Source<'a>,
        options: &'a AggregateOptions,
    ) -> Pass<'a> {
        let rollups = options.rollups();
        let unreadable = options.unreadable();
        let (by_unit, former, unknown_inputs) = InputMap::new(tree, inputs);
        // Histories of units no longer in the tree, for the merger rule.
        let former: BTreeMap<&UnitCode, &History> = former
            .into_iter()
            .map(|i| (&i.data.unit, &i.history))
            .collect();
        let used_parts: BTreeSet<UnitCode> = BTreeSet::new();

        // One evaluator (sets and compiled programs) per group of sets.
        let evaluators: Vec<Evaluator> = sets
            .iter()
            .map(|g| Evaluator::new(g.sets.clone(), year))
            .collect();
        // The derived indicators of each group of sets, in the order of the sets.
        let derived_by_group: Vec<Vec<(&IndicatorId, &Derivation)>> = sets
            .iter()
            .map(|g| {
                g.sets
                    .iter()
                    .flat_map(CriteriaSet::all_indicators)
                    .filter_map(|ind| ind.derived.as_ref().map(|d| (&ind.id, d)))
                    .collect()
            })
            .collect();
        // The ids the sets of each level read (whatever the kinds they are for), the
        // roll-ups from the level and the derived indicators of the levels above (a
        // district's "minimum of the communes' S.min"): the values outside them are unused.
        // Every level something reads values of: the sets' levels, the roll-ups' and the
        // derived indicators' child levels.
        let mut read_levels: Vec<Level> = sets
            .iter()
            .map(|g| g.level)
            .chain(rollups.iter().map(|r| r.from))
            .chain(
                sets.iter()
                    .flat_map(|g| &g.sets)
                    .flat_map(CriteriaSet::all_indicators)
                    .filter_map(|i| i.derived.as_ref().map(|d| d.children)),
            )
            .collect();
        read_levels.sort_unstable();
        read_levels.dedup();
        let known_by_level: Vec<(Level, KnownIds)> = read_levels
            .into_iter()
            .map(|level| {
                let ids = KnownIds::of_sets(
                    sets.iter()
                        .filter(|g| g.level == level)
                        .flat_map(|g| &g.sets),
                )
                .with(
                    rollups
                        .iter()
                        .filter(|r| r.from == level)
                        .map(|r| &r.indicator),
                )
                .with(
                    sets.iter()
                        .flat_map(|g| &g.sets)
                        .flat_map(CriteriaSet::all_indicators)
                        .filter_map(|i| i.derived.as_ref())
                        .filter(|d| d.children == level)
                        .filter_map(|d| child_value_read(&d.measure)),
                );
                (level, ids)
            })
            .collect();
        Pass {
            tree,
            year,
            sets,
            rollups,
            unreadable,
            by_unit,
            unknown_inputs,
            former,
            used_parts,
            evaluators,
            derived_by_group,
            known_by_level,
            no_ids: KnownIds::default(),
            derived_problems: Vec::new(),
            missing_input: Vec::new(),
            unused_values: Vec::new(),
            incomplete_profiles: Vec::new(),
            assessments: Vec::new(),
            keys: Vec::new(),
            pending: Vec::new(),
            explaining: false,
        }
    }

    /// The ids the sets of `level` read (see [`Pass::new`]).
    pub(super) fn known_of(&self, level: Level) -> &KnownIds {
        known_in(&self.known_by_level, &self.no_ids, level)
    }

    /// The units by level, then code (positions are in code order).
    pub(super) fn order(&self) -> Vec<(usize, &'a AdminUnit)> {
        let tree = self.tree;
        let mut order: Vec<(Level, usize)> = tree
            .units()
            .enumerate()
            .map(|(pos, u)| (u.level, pos))
            .collect();
        order.sort_unstable();
        order
            .into_iter()
            .filter_map(|(_, pos)| tree.at(pos).map(|u| (pos, u)))
            .collect()
    }

    /// Records what a unit brings to the roll-ups (see [`contribute`]).
    pub(super) fn contribute(&mut self, pos: usize, level: Level, state: State) {
        contribute(
            &mut self.pending,
            self.rollups,
            pos,
            level,
            state,
            self.by_unit.one(pos),
        );
    }

    /// One unit's full result, with the children's results in `results`: evaluated,
    /// decided, excluded or out of scope, and its contributions recorded.
    pub(super) fn unit(
        &mut self,
        pos: usize,
        unit: &'a AdminUnit,
        results: &(impl Results + ?Sized),
    ) -> UnitResult {
        let result = self.unit_result(pos, unit, results);
        self.contribute(pos, result.level, View::Full(&result).state());
        result
    }

    fn unit_result(
        &mut self,
        pos: usize,
        unit: &'a AdminUnit,
        results: &(impl Results + ?Sized),
    ) -> UnitResult {
        let (tree, year, sets) = (self.tree, self.year, self.sets);
        let by_unit = &self.by_unit;
        let known = known_in(&self.known_by_level, &self.no_ids, unit.level);
        let unused_values = &mut self.unused_values;
        let mut result = UnitResult {
            unit: unit.code.clone(),
            level: unit.level,
            parent: unit.parent.clone(),
            status: UnitStatus::NotAssessed {
                scope: ScopeReason::NoSetsForLevel,
            },
            tiers: Vec::new(),
            criteria_met: None,
            criteria_total: None,
            data: None,
            merger: None,
        };
        let Some((group, (_, evaluator))) = sets
            .iter()
            .zip(self.evaluators.iter_mut())
            .enumerate()
            .find(|(_, (s, _))| s.covers(unit))
        else {
            result.status = out_of_scope(sets, unit);
            // No set applies to the unit (a ward): a value is still unused only when no
            // set of its level reads it.
            if let Some(input) = by_unit.one(pos) {
                known.unused(&input.data, unused_values);
            }
            return result;
        };
        let input = match by_unit.of(pos) {
            [one] => *one,
            [] if self.unreadable.contains_key(&unit.code) => {
                let message = self.unreadable.get(&unit.code).cloned().unwrap_or_default();
                result.status = UnitStatus::Excluded {
                    reason: ExclusionReason::Unreadable { message },
                };
                return result;
            }
            [] => {
                // No data, no profile, no history: evaluating it would call thresholds
                // "unknown" (the region is missing) and never check a tier it holds for
                // revocation. Excluded, and counted as such.
                self.missing_input.push(unit.code.clone());
                result.status = UnitStatus::Excluded {
                    reason: ExclusionReason::NoInput,
                };
                return result;
            }
            many => {
                for input in many {
                    known.unused(&input.data, unused_values);
                }
                result.status = UnitStatus::Excluded {
                    reason: ExclusionReason::DuplicateInput { count: many.len() },
                };
                return result;
            }
        };

        if !self.explaining {
            known.unused(&input.data, unused_values);
        }

        // Derived indicators, from the children's results. The data is only copied
        // when it changes or is kept in the result.
        let derived = self
            .derived_by_group
            .get(group)
            .map_or(&[][..], Vec::as_slice);
        let own_data = (!derived.is_empty() || unit.level >= Level::District).then(|| {
            let mut data = input.data.clone();
            // Descendants at each level counted, computed once per unit.
            let mut below: Vec<(Level, Vec<usize>)> = Vec::new();
            for &(id, d) in derived {
                let value = match results.derived(pos, d.children, &d.measure) {
                    Some(v) => Ok(v),
                    None => {
                        let children = match below.iter().position(|(l, _)| *l == d.children) {
                            Some(i) => below.get(i),
                            None => {
                                below.push((d.children, tree.descendants_at_pos(pos, d.children)));
                                below.last()
                            }
                        }
                        .map_or(&[][..], |(_, c)| c.as_slice());
                        derive(&d.measure, children, results, year, by_unit)
                    }
                };
                match value {
                    Ok(v) => {
                        data.values.insert(id.clone(), Value::Number(v));
                    }
                    Err(reason) => {
                        data.values.remove(id);
                        self.derived_problems.push(DerivedProblem {
                            unit: unit.code.clone(),
                            indicator: id.clone(),
                            reason,
                        });
                    }
                }
            }
            data
        });
        let data = own_data.as_ref().unwrap_or(&input.data);

        // An explanation keeps none of what the pass collects: it is not looked up.
        if !self.explaining {
            let lacks = evaluator.profile_lacks(&input.profile);
            if !lacks.is_empty() {
                self.incomplete_profiles.push(IncompleteProfile {
                    unit: unit.code.clone(),
                    lacks,
                });
            }
        }
        match evaluate_unit(
            evaluator,
            input,
            data,
            &mut self.assessments,
            &mut self.keys,
        ) {
            Ok(tiers) => {
                result.tiers = tiers;
                if let Some(lowest) = lowest_assessment(&self.assessments) {
                    result.criteria_met = Some(lowest.criteria_with(Outcome::Met));
                    result.criteria_total = Some(lowest.totals.criteria);
                }
                // A merged unit starts from its parts' tiers (the merger rule).
                let parts = part_histories(tree, unit, &self.former, |p| by_unit.one(p));
                let divided = divided_parts(tree, unit);
                let lineage =
                    from_lineage(unit, &input.history, &parts, &divided, &result.tiers, year);
                let history = match lineage {
                    Ok(Some(found)) => {
                        self.used_parts.extend(unit.merged_from.iter().cloned());
                        result.merger = Some(found.merger);
                        Ok(Cow::Owned(found.history))
                    }
                    Ok(None) => Ok(Cow::Borrowed(&input.history)),
                    Err(LineageError::PartsMissing(parts)) => {
                        Err(ExclusionReason::MergerPartsMissing { parts })
                    }
                    Err(LineageError::Part(e)) => Err(ExclusionReason::CannotDecide(e)),
                };
                result.status = match history.and_then(|h| {
                    decide(&self.assessments, &h).map_err(ExclusionReason::CannotDecide)
                }) {
                    Ok(mut decision) => {
                        if decision.tier_after().is_some_and(|t| t.is_some()) {
                            decision
                                .outstanding_fields
                                .clone_from(&input.outstanding_fields);
                        }
                        UnitStatus::Decided {
                            decision: Box::new(decision),
                        }
                    }
                    Err(reason) => UnitStatus::Excluded { reason },
                };
            }
            Err(reason) => {
                result.status = UnitStatus::Excluded { reason };
            }
        }
        result.data = own_data;
        result
    }

    /// Records a plain unit's unused values and incomplete profile (what
    /// [`Pass::unit`] records of it), for the compact pass.
    pub(super) fn note(
        &mut self,
        unit: &AdminUnit,
        unused: Vec<UnusedValue>,
        lacks: Vec<crate::engine::ProfileField>,
    ) {
        self.unused_values.extend(unused);
        if !lacks.is_empty() {
            self.incomplete_profiles.push(IncompleteProfile {
                unit: unit.code.clone(),
                lacks,
            });
        }
    }

    /// Puts what was collected unit by unit in the order of [`Pass::order`] (by level,
    /// then code; stable within a unit), for the compact pass, which collects the units
    /// of the batch path apart.
    pub(super) fn sort_collected(&mut self) {
        let tree = self.tree;
        let at = |code: &UnitCode| {
            let pos = tree.position(code.as_str());
            (pos.and_then(|p| tree.at(p)).map(|u| u.level), pos)
        };
        self.unused_values.sort_by_cached_key(|u| at(&u.unit));
        self.incomplete_profiles.sort_by_cached_key(|u| at(&u.unit));
        self.pending
            .sort_by_key(|(pos, _, _)| (tree.at(*pos).map(|u| u.level), *pos));
    }

    /// A plain unit's full result again, on demand (for the compact pass): what
    /// [`Pass::unit`] gives for it, without recording anything.
    pub(super) fn explain(&mut self, pos: usize, unit: &'a AdminUnit) -> UnitResult {
        let none: &[Option<UnitResult>] = &[];
        let (unused, incomplete) = (self.unused_values.len(), self.incomplete_profiles.len());
        let (derived, missing) = (self.derived_problems.len(), self.missing_input.len());
        self.explaining = true;
        let result = self.unit_result(pos, unit, none);
        self.explaining = false;
        self.unused_values.truncate(unused);
        self.incomplete_profiles.truncate(incomplete);
        self.derived_problems.truncate(derived);
        self.missing_input.truncate(missing);
        result
    }

    /// [`Pass::into_aggregation`], leaving the pass empty of what it collected.
    pub(super) fn take_aggregation(
        &mut self,
        results: BTreeMap<UnitCode, UnitResult>,
        summaries: Vec<Option<Summary>>,
        excluded: Vec<Excluded>,
    ) -> Aggregation {
        let mut unknown_inputs = std::mem::take(&mut self.unknown_inputs);
        unknown_inputs.retain(|c| !self.used_parts.contains(c));
        Aggregation {
            year: self.year,
            date: self.tree.date(),
            results,
            summaries: summaries
                .into_iter()
                .flatten()
                .map(|s| (s.unit.clone(), s))
                .collect(),
            excluded,
            derived_problems: std::mem::take(&mut self.derived_problems),
            missing_input: std::mem::take(&mut self.missing_input),
            unknown_inputs,
            unused_values: std::mem::take(&mut self.unused_values),
            incomplete_profiles: std::mem::take(&mut self.incomplete_profiles),
        }
    }

    /// The summaries, by position, from the results (see [`summarise`]).
    pub(super) fn summaries(&mut self, results: &(impl Results + ?Sized)) -> Vec<Option<Summary>> {
        let pending = std::mem::take(&mut self.pending);
        summarise(self.tree, results, pending, self.rollups)
    }

    /// The aggregation, with what the pass collected.
    pub(super) fn into_aggregation(
        mut self,
        results: BTreeMap<UnitCode, UnitResult>,
        summaries: Vec<Option<Summary>>,
        excluded: Vec<Excluded>,
    ) -> Aggregation {
        self.take_aggregation(results, summaries, excluded)
    }
}

/// The ids the sets of `level` read, from the pass's list.
fn known_in<'k>(known: &'k [(Level, KnownIds)], none: &'k KnownIds, level: Level) -> &'k KnownIds {
    known
        .iter()
        .find(|(l, _)| *l == level)
        .map_or(none, |(_, k)| k)
}

/// Why no sets cover a unit: none for its level, its kind not covered (a ward), or its
/// kind not given while the sets cover some kinds only (then it is excluded).
fn out_of_scope(sets: &[LevelSets], unit: &AdminUnit) -> UnitStatus {
    let mut covered: Vec<UnitKind> = Vec::new();
    let mut any = false;
    for group in sets.iter().filter(|g| g.level == unit.level) {
        any = true;
        for k in group.covered_kinds() {
            if !covered.contains(&k) {
                covered.push(k);
            }
        }
    }
    match unit.kind {
        _ if !any => UnitStatus::NotAssessed {
            scope: ScopeReason::NoSetsForLevel,
        },
        Some(kind) => UnitStatus::NotAssessed {
            scope: ScopeReason::KindNotCovered { kind, covered },
        },
        None => UnitStatus::Excluded {
            reason: ExclusionReason::KindNotGiven { covered },
        },
    }
}

/// The children's indicator a derived measure reads, if any.
fn child_value_read(measure: &ChildMeasure) -> Option<&IndicatorId> {
    match measure {
        ChildMeasure::MinimumOf { indicator } => Some(indicator),
        ChildMeasure::ShareAtTier { .. }
        | ChildMeasure::CountAtTier { .. }
        | ChildMeasure::ShareRevoked { .. }
        | ChildMeasure::CountRevoked { .. } => None,
    }
}

/// Records what a unit brings to each roll-up from its level (nothing when it is not
/// assessed), when its result is made and its data is still in cache. Results are made
/// by level, then code, so the units of a roll-up's level are recorded in code order.
fn contribute(
    pending: &mut Vec<(usize, usize, Contribution)>,
    rollups: &[RollUp],
    pos: usize,
    level: Level,
    state: State,
    input: Option<&UnitInput>,
) {
    for (k, r) in rollups.iter().enumerate() {
        if r.from != level {
            continue;
        }
        let c = Contribution::of(r, Some(state), input);
        if !matches!(c, Contribution::Skip) {
            pending.push((pos, k, c));
        }
    }
}

fn lowest_assessment(assessments: &[Assessment]) -> Option<&Assessment> {
    assessments
        .iter()
        .min_by_key(|a| a.scheme.tiers.iter().position(|t| t == &a.tier))
}

/// Evaluates a unit against each set of its group into `assessments`; `keys` is a buffer
/// reused from one unit to the next. Returns the tiers of the scheme.
fn evaluate_unit(
    evaluator: &mut Evaluator,
    input: &UnitInput,
    data: &IndicatorData,
    assessments: &mut Vec<Assessment>,
    keys: &mut Vec<i32>,
) -> Result<Vec<TierId>, ExclusionReason> {
    evaluator
        .assess_for_decision(&input.profile, data, assessments, keys)
        .map_err(|e| match e {
            EvaluateError::Compile(e) => ExclusionReason::CannotCompile(e),
            EvaluateError::Data(e) => ExclusionReason::BadData(e),
            EvaluateError::Decide(e) => ExclusionReason::CannotDecide(e),
        })?;
    Ok(assessments
        .first()
        .map(|a| a.scheme.tiers.clone())
        .unwrap_or_default())
}
