//! [`Evaluator`]: the criteria sets of one level and a cache of their compiled programs,
//! answering "what are this unit's assessments, and what follows?" in one call.
//!
//! ```
//! use ntm_rules::engine::Evaluator;
//! use ntm_rules::engine::Verdict;
//! use ntm_rules::model::{History, Profile, Region};
//! use ntm_rules::policy::illustrative;
//!
//! // Standard, advanced and model sets of the (made-up) illustrative scheme, for 2022.
//! let mut communes = Evaluator::new(illustrative::commune_sets(), 2022);
//! let data = illustrative::sample_commune("07672", 2022);
//! let unit = communes.evaluate(&Profile::in_region(Region::Tdmnpb), &data, &History::default())?;
//! assert_eq!(unit.assessments.len(), 3);
//! assert!(matches!(unit.decision.verdict, Verdict::Recognise { .. }));
//! # Ok::<(), ntm_rules::engine::EvaluateError>(())
//! ```

use crate::engine::assessment::Assessment;
use crate::engine::bind::DataError;
use crate::engine::compile::compile;
use crate::engine::decide::{decide, Decision};
use crate::engine::problem::CompileError;
use crate::engine::problem::DecideError;
use crate::engine::profile_fields::ProfileField;
use crate::engine::program::Program;
use crate::engine::unused::{KnownIds, UnusedValue};
use crate::model::fast_hash::HashMap;
use crate::model::{CriteriaSet, History, IndicatorData, Profile, StatusId};
use std::collections::BTreeSet;

/// The criteria sets of one level (one per tier of a scheme, any order) for one
/// reporting year, with the programs compiled for each profile seen, kept for the next
/// unit of that profile.
///
/// Programs are compiled on first use of a profile, every set at once; a set that does
/// not compile for a profile is an error for the units of that profile only. The cache
/// needs `&mut self`: give each thread its own `Evaluator` (it is `Clone`), or share
/// the compiled [`Program`]s, which are `Send + Sync`.
///
/// **Cost on untrusted input.** Programs are found by hashing the profile. Statuses that
/// no threshold row or profile rule of the sets mentions cannot change a threshold, so
/// profiles that differ only in such statuses share one compilation: a batch of units
/// with tens of thousands of distinct status sets compiles once per region, group and
/// combination of the statuses the sets mention, and keeps nothing per unit profile
/// unless [`Evaluator::compiled`] is asked for one (then a cheap handle on the shared
/// tables).
#[derive(Debug, Clone)]
pub struct Evaluator {
    sets: Vec<CriteriaSet>,
    year: u16,
    /// The indicator ids of every set, for the values no set reads.
    known: KnownIds,
    /// The statuses some threshold row or profile rule of the sets mentions.
    relevant: BTreeSet<StatusId>,
    /// The compilation of every set, in the order of `sets`, by threshold key: the
    /// profile with only the `relevant` statuses.
    shared: HashMap<Profile, Vec<Result<Program, CompileError>>>,
    /// For [`Evaluator::compiled`] only: the programs of a profile with statuses that
    /// are not `relevant`, sharing the tables of its key.
    own: HashMap<Profile, Vec<Result<Program, CompileError>>>,
}

/// A unit's assessments against every set of an [`Evaluator`], and its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnitEvaluation {
    /// One assessment per set, in the order of the sets given to the evaluator.
    pub assessments: Vec<Assessment>,
    /// What follows from them and the unit's history.
    pub decision: Decision,
    /// The values of the data that no set reads (a misspelt id, most often), each with
    /// the nearest indicator id of the sets when one is close. A value that only some
    /// sets read is not listed (see [`Assessment::unused_values`] for each set's own).
    pub unused_values: Vec<UnusedValue>,
    /// The fields of the profile that threshold rows of the sets are keyed on and the
    /// profile lacks (see [`Program::profile_lacks`]): the indicators keyed on them are
    /// undetermined because an input is missing.
    pub profile_lacks: Vec<ProfileField>,
}

/// Why a unit cannot be evaluated: a set does not compile for its profile, its data does
/// not fit a set, or its assessments and history cannot be combined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluateError {
    /// See [`CompileError`].
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// See [`DataError`].
    #[error(transparent)]
    Data(#[from] DataError),
    /// See [`DecideError`].
    #[error(transparent)]
    Decide(#[from] DecideError),
}

impl Evaluator {
    /// An evaluator of `sets` for the reporting year `year`. Nothing is compiled yet.
    pub fn new(sets: Vec<CriteriaSet>, year: u16) -> Evaluator {
        let relevant = sets
            .iter()
            .flat_map(|s| {
                s.all_indicators()
                    .flat_map(|i| i.thresholds.iter().map(|r| &r.when))
                    .chain(s.profile_rules.iter().map(|r| &r.when))
            })
            .flat_map(|m| m.statuses.iter().chain(&m.absent_statuses))
            .cloned()
            .collect();
        Evaluator {
            known: KnownIds::of_sets(&sets),
            sets,
            year,
            relevant,
            shared: HashMap::default(),
            own: HashMap::default(),
        }
    }

    /// The threshold key of `profile` when it differs from the profile: the profile
    /// without the statuses no row or rule mentions.
    fn key_of(&self, profile: &Profile) -> Option<Profile> {
        if profile.statuses.iter().all(|s| self.relevant.contains(s)) {
            return None;
        }
        Some(Profile {
            statuses: profile
                .statuses
                .intersection(&self.relevant)
                .cloned()
                .collect(),
            ..profile.clone()
        })
    }

    /// The programs of a threshold key, compiled on first use.
    fn programs(&mut self, key: &Profile) -> &[Result<Program, CompileError>] {
        if !self.shared.contains_key(key) {
            let programs = self
                .sets
                .iter()
                .map(|s| compile(s, key, self.year))
                .collect();
            self.shared.insert(key.clone(), programs);
        }
        self.shared.get(key).map_or(&[][..], Vec::as_slice)
    }

    /// Number of distinct compilations held (one per threshold key seen).
    pub fn compilations(&self) -> usize {
        self.shared.len()
    }

    /// The sets, in the order given.
    pub fn sets(&self) -> &[CriteriaSet] {
        &self.sets
    }

    /// The reporting year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The fields of `profile` that rows of the sets are keyed on and the profile
    /// lacks, over every set that compiles for it (see [`Program::profile_lacks`]).
    pub fn profile_lacks(&mut self, profile: &Profile) -> Vec<ProfileField> {
        // The threshold key has the same region and group: what it lacks, the profile
        // lacks, and nothing is kept per profile.
        let key = self.key_of(profile);
        let mut out: Vec<ProfileField> = self
            .programs(key.as_ref().unwrap_or(profile))
            .iter()
            .flatten()
            .flat_map(|p| p.profile_lacks().iter().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Pushes to `out` the values of `data` that no set of this evaluator reads, with a
    /// did-you-mean hint (what [`UnitEvaluation::unused_values`] holds).
    pub fn unused_values(&self, data: &IndicatorData, out: &mut Vec<UnusedValue>) {
        self.known.unused(data, out);
    }

    /// Each set compiled for `profile` (or why it does not compile), in the order of
    /// the sets; compiled on the first call for a profile.
    pub fn compiled(&mut self, profile: &Profile) -> &[Result<Program, CompileError>] {
        let Some(key) = self.key_of(profile) else {
            return self.programs(profile);
        };
        if !self.own.contains_key(profile) {
            let programs = self
                .programs(&key)
                .iter()
                .map(|r| {
                    r.as_ref()
                        .map(|p| p.for_statuses(profile))
                        .map_err(Clone::clone)
                })
                .collect();
            self.own.insert(profile.clone(), programs);
        }
        self.own.get(profile).map_or(&[][..], Vec::as_slice)
    }

    /// Evaluates one unit against every set and decides, in one call.
    ///
    /// # Errors
    ///
    /// The first set, in order, that does not compile for the profile
    /// ([`EvaluateError::Compile`]) or whose data check fails
    /// ([`EvaluateError::Data`], naming every bad value); or a [`DecideError`].
    pub fn evaluate(
        &mut self,
        profile: &Profile,
        data: &IndicatorData,
        history: &History,
    ) -> Result<UnitEvaluation, EvaluateError> {
        let mut assessments = Vec::with_capacity(self.sets.len());
        let key = self.key_of(profile);
        for program in self.programs(key.as_ref().unwrap_or(profile)) {
            let program = program.as_ref().map_err(|e| e.clone())?;
            let mut a = program.evaluate(data)?;
            if key.is_some() {
                a.profile.statuses.clone_from(&profile.statuses);
            }
            assessments.push(a);
        }
        let decision = decide(&assessments, history)?;
        let mut unused_values = Vec::new();
        self.known.unused(data, &mut unused_values);
        Ok(UnitEvaluation {
            assessments,
            decision,
            unused_values,
            profile_lacks: self.profile_lacks(profile),
        })
    }

    /// The assessments the aggregation pass decides from: what
    /// [`Program::evaluate_for_decision`] gives, without the list of unused values,
    /// into `assessments` (cleared first), with `keys` a buffer reused from one unit to
    /// the next. Errors as [`Evaluator::evaluate`], in the same order, before deciding.
    pub(crate) fn assess_for_decision(
        &mut self,
        profile: &Profile,
        data: &IndicatorData,
        assessments: &mut Vec<Assessment>,
        keys: &mut Vec<i32>,
    ) -> Result<(), EvaluateError> {
        assessments.clear();
        let key = self.key_of(profile);
        for program in self.programs(key.as_ref().unwrap_or(profile)) {
            let program = program.as_ref().map_err(|e| e.clone())?;
            let mut a = program.evaluate_for_decision_in(data, keys, false)?;
            if key.is_some() {
                a.profile.statuses.clone_from(&profile.statuses);
            }
            assessments.push(a);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Region, Value};
    use crate::policy::illustrative;

    #[test]
    fn one_call_agrees_with_compile_evaluate_decide() {
        let sets = illustrative::commune_sets();
        let profile = Profile::in_region(Region::Tdmnpb);
        let data = illustrative::sample_commune("X1", 2022).with("10.1", Value::Number(20.into()));
        let mut ev = Evaluator::new(sets.clone(), 2022);
        let got = ev.evaluate(&profile, &data, &History::default()).unwrap();
        let by_hand: Vec<Assessment> = sets
            .iter()
            .map(|s| compile(s, &profile, 2022).unwrap().evaluate(&data).unwrap())
            .collect();
        assert_eq!(got.assessments, by_hand);
        assert_eq!(got.decision, decide(&by_hand, &History::default()).unwrap());
        assert!(got.unused_values.is_empty(), "{:?}", got.unused_values);
        // The second unit of the profile reuses the programs.
        assert_eq!(ev.compilations(), 1);
        ev.evaluate(&profile, &data, &History::default()).unwrap();
        assert_eq!(ev.compilations(), 1);
    }

    #[test]
    fn distinct_status_sets_that_resolve_alike_share_one_compilation() {
        let sets = illustrative::commune_sets();
        let mut ev = Evaluator::new(sets.clone(), 2022);
        let data = illustrative::sample_commune("X1", 2022);
        for i in 0..500 {
            // A status no row mentions, different for every unit, and one that matters.
            let mut profile = Profile::in_region(Region::Dbsh).with_status(format!("s{i}"));
            if i % 2 == 0 {
                profile = profile.with_status("especially_difficult");
            }
            let got = ev.evaluate(&profile, &data, &History::default()).unwrap();
            // Exactly what compiling for the unit's own profile gives, profile included.
            let by_hand: Vec<Assessment> = sets
                .iter()
                .map(|s| compile(s, &profile, 2022).unwrap().evaluate(&data).unwrap())
                .collect();
            assert_eq!(got.assessments, by_hand, "unit {i}");
            if i < 3 {
                let programs = ev.compiled(&profile).to_vec();
                for (p, s) in programs.iter().zip(&sets) {
                    let p = p.as_ref().unwrap();
                    assert_eq!(
                        p.effective_profile(),
                        compile(s, &profile, 2022).unwrap().effective_profile()
                    );
                }
            }
        }
        // One compilation with the status that matters, one without: not 500.
        assert_eq!(ev.compilations(), 2);
        assert!(
            ev.own.len() <= 3,
            "only the profiles asked for by `compiled`"
        );
    }

    #[test]
    fn errors_come_in_set_order() {
        let mut sets = illustrative::commune_sets();
        // The advanced set cannot compile (year outside its scheme)...
        sets[1].scheme.years.to = 2021;
        let profile = Profile::in_region(Region::Tdmnpb);
        let bad = illustrative::sample_commune("X1", 2022).with("3.1", Value::Number(120.into()));
        let mut ev = Evaluator::new(sets, 2022);
        // ...but the standard set comes first, and the data does not fit it.
        let err = ev
            .evaluate(&profile, &bad, &History::default())
            .unwrap_err();
        assert!(matches!(err, EvaluateError::Data(_)), "{err}");
        let good = illustrative::sample_commune("X1", 2022);
        let err = ev
            .evaluate(&profile, &good, &History::default())
            .unwrap_err();
        assert!(matches!(err, EvaluateError::Compile(_)), "{err}");
    }

    #[test]
    fn a_profile_without_the_region_the_rows_are_keyed_on_is_named_in_the_evaluation() {
        let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
        let data = illustrative::sample_commune("X1", 2022);
        let got = ev
            .evaluate(&Profile::default(), &data, &History::default())
            .unwrap();
        assert_eq!(got.profile_lacks, vec![ProfileField::Region]);
        let got = ev
            .evaluate(
                &Profile::in_region(Region::Dbsh),
                &data,
                &History::default(),
            )
            .unwrap();
        assert!(got.profile_lacks.is_empty());
    }

    #[test]
    fn a_value_no_set_reads_is_in_the_evaluation_with_a_hint() {
        let mut data = illustrative::sample_commune("X1", 2022);
        let value = data.values.remove("10.1").unwrap();
        data.values.insert("10.l".into(), value);
        let mut ev = Evaluator::new(illustrative::commune_sets(), 2022);
        let got = ev
            .evaluate(
                &Profile::in_region(Region::Tdmnpb),
                &data,
                &History::default(),
            )
            .unwrap();
        assert_eq!(got.unused_values.len(), 1);
        assert_eq!(got.unused_values[0].indicator.as_str(), "10.l");
        assert_eq!(
            got.unused_values[0]
                .did_you_mean
                .as_ref()
                .map(|i| i.as_str()),
            Some("10.1")
        );
    }
}
