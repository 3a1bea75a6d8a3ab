//! [`Program`] × bound data → [`Assessment`]: the third stage of the pipeline.
//!
//! Evaluation is pure: no I/O, no globals, `&self` only. An indicator is met, not met,
//! undetermined (data missing, threshold unknown or delegated, no threshold row) or not
//! applicable; a criterion is met, not met or undetermined by three-valued logic (a
//! criterion with one indicator not met is not met even if another is undetermined).

use crate::engine::assessment::{
    Assessment, CriterionAssessment, IndicatorAssessment, IndicatorOutcome, Outcome, Totals,
    UndeterminedReason,
};
use crate::engine::bind::{raw_input, BindingMismatch, BoundData, DataError};
use crate::engine::keys::{Check, MISSING};
use crate::engine::program::{Program, Slot};
use crate::model::{IndicatorData, IndicatorId, PassRule, Requirement, UnitCode, Value};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::sync::Arc;

/// The signed margin of `actual` over `threshold` under `req` (positive = better than
/// required); `None` if it overflows or for one-of.
fn margin(req: Requirement, actual: Decimal, threshold: Decimal) -> Option<Decimal> {
    match req {
        Requirement::AtLeast | Requirement::Above => actual.checked_sub(threshold),
        Requirement::AtMost | Requirement::Below => threshold.checked_sub(actual),
        Requirement::Equal => actual.checked_sub(threshold).map(|d| -d.abs()),
        // INVARIANT: compile refuses one_of with numeric thresholds.
        Requirement::OneOf => None,
    }
}

/// Three-valued combination of indicator outcomes under a pass rule.
#[inline]
fn combine(pass: PassRule, outcomes: impl Iterator<Item = IndicatorOutcome>) -> Outcome {
    let (mut met, mut undetermined, mut applicable) = (0u32, 0u32, 0u32);
    for o in outcomes {
        match o {
            IndicatorOutcome::Met => met += 1,
            IndicatorOutcome::NotMet => {}
            IndicatorOutcome::Undetermined => undetermined += 1,
            IndicatorOutcome::NotApplicable => continue,
        }
        applicable += 1;
    }
    let needed = match pass {
        PassRule::All => applicable,
        PassRule::AtLeast(k) => k.min(applicable),
    };
    if met >= needed {
        Outcome::Met
    } else if met + undetermined < needed {
        Outcome::NotMet
    } else {
        Outcome::Undetermined
    }
}

fn set_outcome(criteria: impl Iterator<Item = Outcome>, preconditions: Outcome) -> Outcome {
    let mut any_undetermined = preconditions == Outcome::Undetermined;
    if preconditions == Outcome::NotMet {
        return Outcome::NotMet;
    }
    for c in criteria {
        match c {
            Outcome::NotMet => return Outcome::NotMet,
            Outcome::Undetermined => any_undetermined = true,
            Outcome::Met => {}
        }
    }
    if any_undetermined {
        Outcome::Undetermined
    } else {
        Outcome::Met
    }
}

impl Program {
    /// Evaluates one unit's indicator data.
    ///
    /// # Errors
    ///
    /// A [`DataError`] naming the unit and every bad value (see the module docs).
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::compile;
    /// use ntm_rules::policy::illustrative;
    /// use ntm_rules::engine::Outcome;
    /// use ntm_rules::model::{Profile, Region};
    ///
    /// let set = illustrative::commune_standard();
    /// let program = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022)?;
    /// let data = illustrative::sample_commune("07672", 2022);
    /// let assessment = program.evaluate(&data)?;
    /// assert_eq!(assessment.totals.criteria, 5);
    /// assert_eq!(assessment.outcome, Outcome::Met);
    /// # Ok::<(), ntm_rules::Error>(())
    /// ```
    pub fn evaluate(&self, data: &IndicatorData) -> Result<Assessment, DataError> {
        let bound = self.bind(data)?;
        // Bound by this very program: its keys are this program's.
        let original = |i: usize| bound.originals.get(i).cloned().flatten();
        Ok(self.assess_keys(
            &bound.keys,
            original,
            &bound.unit,
            bound.year,
            bound.unused.clone(),
            false,
        ))
    }

    /// The keys of bound data as this program reads them: the data's own keys when it
    /// was bound by this program (or one with the same set and encodings), keys made
    /// afresh from the values as given when it was bound by a program of the same set
    /// with other thresholds.
    ///
    /// # Errors
    ///
    /// [`BindingMismatch::OtherSet`] when the data was bound for another set or another
    /// version of the set.
    pub(super) fn keys_of<'a>(
        &self,
        data: &'a BoundData,
    ) -> Result<Cow<'a, [i32]>, BindingMismatch> {
        if Arc::ptr_eq(&data.encodings, &self.encodings) && data.keys.len() == self.slots.len() {
            return Ok(Cow::Borrowed(&data.keys));
        }
        self.check_layout(&data.set, &data.layout)?;
        if data.encodings == self.encodings && data.keys.len() == self.slots.len() {
            return Ok(Cow::Borrowed(&data.keys));
        }
        let keys = self
            .slots
            .iter()
            .zip(self.encodings.iter())
            .zip(&data.originals)
            .map(|((slot, encoding), original)| {
                original
                    .as_ref()
                    .map_or(MISSING, |v| encoding.key(raw_input(slot, v)))
            })
            .collect();
        Ok(Cow::Owned(keys))
    }

    /// Builds the full explanation for bound data. Data bound by a program of the same
    /// set with other thresholds (another profile or year) is re-keyed from the values
    /// as given.
    ///
    /// # Errors
    ///
    /// A [`BindingMismatch`] when the data was bound by a program of another set (or
    /// another version of the set): its values would not be read.
    pub fn assess(&self, data: &BoundData) -> Result<Assessment, BindingMismatch> {
        self.assess_with(data, false)
    }

    /// Evaluates one unit's data into an assessment that keeps only what
    /// [`decide`](crate::engine) reads: every criterion's outcome and totals, and the
    /// indicators and preconditions that are *not* met or undetermined, with their
    /// reasons. Met and not-applicable indicators are left out of
    /// [`CriterionAssessment::indicators`], and `deciding` is empty for met criteria.
    /// Decisions made from these assessments are identical to those made from
    /// [`Program::evaluate`]'s (property-tested); the aggregation pass uses it, because
    /// most indicators of most units are met and their explanations are not reported.
    ///
    /// # Errors
    ///
    /// The same [`DataError`] as [`Program::evaluate`].
    pub fn evaluate_for_decision(&self, data: &IndicatorData) -> Result<Assessment, DataError> {
        self.evaluate_for_decision_in(data, &mut Vec::new(), true)
    }

    /// [`Program::evaluate_for_decision`] with a buffer for the keys, reused from one
    /// unit to the next. What `bind` then `assess_with(.., true)` do, without the copy
    /// of the bound data: a value is only looked up again (and cloned) for an indicator
    /// that is explained. Slot ids are unique (compile refuses duplicates), so that
    /// value is the one bound to the slot. With `list_unused` false,
    /// [`Assessment::unused_values`] is left empty ([`decide`](crate::engine) does not
    /// read it).
    pub(crate) fn evaluate_for_decision_in(
        &self,
        data: &IndicatorData,
        keys: &mut Vec<i32>,
        list_unused: bool,
    ) -> Result<Assessment, DataError> {
        keys.clear();
        keys.resize(self.slots.len(), MISSING);
        let mut unused = Vec::new();
        let problems = self.bind_each(data, list_unused.then_some(&mut unused), |i, key, _| {
            if let Some(k) = keys.get_mut(i) {
                *k = key;
            }
        });
        if !problems.is_empty() {
            return Err(DataError {
                unit: data.unit.clone(),
                set: self.set.clone(),
                problems,
            });
        }
        let original = |i: usize| {
            self.slots
                .get(i)
                .and_then(|slot| data.values.get(&slot.id))
                .cloned()
        };
        Ok(self.assess_keys(keys, original, &data.unit, data.year, unused, true))
    }

    /// The full (`lean = false`) or decision-only (`lean = true`) assessment.
    fn assess_with(&self, data: &BoundData, lean: bool) -> Result<Assessment, BindingMismatch> {
        let keys = self.keys_of(data)?;
        let original = |i: usize| data.originals.get(i).cloned().flatten();
        Ok(self.assess_keys(
            &keys,
            original,
            &data.unit,
            data.year,
            data.unused.clone(),
            lean,
        ))
    }

    /// The assessment from one key per slot; `original(i)` is the value as given for
    /// slot `i` (`None` when missing or not to be shown).
    fn assess_keys(
        &self,
        keys: &[i32],
        original: impl Fn(usize) -> Option<Value>,
        unit: &UnitCode,
        year: u16,
        unused: Vec<IndicatorId>,
        lean: bool,
    ) -> Assessment {
        let outcome_at = |i: usize| {
            let key = keys.get(i).copied().unwrap_or(MISSING);
            self.tests
                .get(i)
                .map_or(IndicatorOutcome::Undetermined, |t| t.outcome(key))
        };
        // In lean mode only the indicators that are not met are explained.
        let keep = |i: usize| {
            !lean
                || !matches!(
                    outcome_at(i),
                    IndicatorOutcome::Met | IndicatorOutcome::NotApplicable
                )
        };
        let assess_slot = |i: usize, slot: &Slot| {
            let key = keys.get(i).copied().unwrap_or(MISSING);
            let outcome = self
                .tests
                .get(i)
                .map_or(IndicatorOutcome::Undetermined, |t| t.outcome(key));
            let actual = original(i);
            let reason = match (outcome, &slot.check) {
                (IndicatorOutcome::Undetermined, Check::Undetermined(r)) => Some(*r),
                (IndicatorOutcome::Undetermined, _) => Some(UndeterminedReason::MissingData),
                _ => None,
            };
            let margin = match (outcome, &slot.check, &actual) {
                (
                    IndicatorOutcome::Met | IndicatorOutcome::NotMet,
                    Check::Number(t),
                    Some(Value::Number(v)),
                ) => margin(slot.requirement, *v, *t),
                (IndicatorOutcome::Met | IndicatorOutcome::NotMet, Check::Grade(t), _)
                    if key >= 0 =>
                {
                    margin(slot.requirement, Decimal::from(key), Decimal::from(*t))
                }
                _ => None,
            };
            IndicatorAssessment {
                id: slot.id.clone(),
                outcome,
                actual,
                requirement: slot.requirement,
                threshold: slot.provenance.clone(),
                margin,
                reason,
            }
        };

        let mut totals = Totals {
            criteria: self.criteria.len() as u32,
            ..Totals::default()
        };
        let mut criteria = Vec::with_capacity(self.criteria.len());
        for c in self.criteria.iter() {
            let indicators: Vec<IndicatorAssessment> = self
                .slots
                .get(c.start..c.end)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter(|(k, _)| keep(c.start + k))
                .map(|(k, slot)| assess_slot(c.start + k, slot))
                .collect();
            let outcome = combine(c.pass, (c.start..c.end).map(outcome_at));
            let wanted = match outcome {
                Outcome::Met => IndicatorOutcome::Met,
                Outcome::NotMet => IndicatorOutcome::NotMet,
                Outcome::Undetermined => IndicatorOutcome::Undetermined,
            };
            match outcome {
                Outcome::Met => totals.met += 1,
                Outcome::NotMet => totals.not_met += 1,
                Outcome::Undetermined => totals.undetermined += 1,
            }
            criteria.push(CriterionAssessment {
                id: c.id.clone(),
                outcome,
                deciding: indicators
                    .iter()
                    .filter(|i| i.outcome == wanted)
                    .map(|i| i.id.clone())
                    .collect(),
                indicators,
            });
        }
        let preconditions: Vec<IndicatorAssessment> = self
            .slots
            .get(self.first_precondition..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|(k, _)| keep(self.first_precondition + k))
            .map(|(k, slot)| assess_slot(self.first_precondition + k, slot))
            .collect();
        let pre = combine(
            PassRule::All,
            (self.first_precondition..self.slots.len()).map(outcome_at),
        );
        let outcome = set_outcome(criteria.iter().map(|c| c.outcome), pre);

        Assessment {
            set: self.set.clone(),
            scheme: self.scheme.clone(),
            level: self.level,
            tier: self.tier.clone(),
            unit: unit.clone(),
            year,
            profile: self.profile.clone(),
            outcome,
            totals,
            criteria,
            preconditions,
            unused_values: unused,
            revocation: self.revocation.clone(),
            requires_held: self.requires_held.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::compile;
    use crate::model::{IndicatorId, Profile, Region};
    use crate::policy::illustrative;

    fn program() -> Program {
        compile(
            &illustrative::commune_standard(),
            &Profile::in_region(Region::Tdmnpb),
            2022,
        )
        .unwrap()
    }

    #[test]
    fn bad_values_are_all_reported_with_their_indicator() {
        let data = illustrative::sample_commune("X1", 2022)
            .with("3.1", Value::Number(Decimal::new(1205, 1)))
            .with("1.1", Value::Number(Decimal::ONE))
            .with("P.1", Value::NotApplicable);
        let err = program().evaluate(&data).unwrap_err();
        assert_eq!(err.unit.as_str(), "X1");
        let text = err.to_string();
        assert!(
            text.contains("indicator `3.1`: percentage 120.5 is outside 0-100"),
            "{text}"
        );
        assert!(
            text.contains("indicator `1.1`: expected yes/no, found a number"),
            "{text}"
        );
        assert!(
            text.contains("indicator `P.1`: the indicator always applies"),
            "{text}"
        );
    }

    #[test]
    fn missing_is_not_zero_and_unused_values_are_listed() {
        let mut data = illustrative::sample_commune("X1", 2022);
        data.values.remove(&IndicatorId::new("3.1"));
        data.values
            .insert(IndicatorId::new("99.9"), Value::Flag(true));
        let a = program().evaluate(&data).unwrap();
        let ind = a.indicator("3.1").unwrap();
        assert_eq!(ind.outcome, IndicatorOutcome::Undetermined);
        assert_eq!(ind.reason, Some(UndeterminedReason::MissingData));
        assert_eq!(a.criterion("3").unwrap().outcome, Outcome::Undetermined);
        assert_eq!(a.outcome, Outcome::Undetermined);
        assert_eq!(a.unused_values, vec![IndicatorId::new("99.9")]);
    }

    #[test]
    fn totals_fast_path_agrees_with_assess() {
        let p = program();
        let data =
            illustrative::sample_commune("X1", 2022).with("10.1", Value::Number(Decimal::from(20)));
        let bound = p.bind(&data).unwrap();
        let a = p.assess(&bound).unwrap();
        assert_eq!(p.totals(&bound).unwrap(), (a.totals, a.outcome));
        assert_eq!(a.totals.not_met, 1);
    }

    #[test]
    fn data_bound_for_another_set_is_refused_not_read_as_missing() {
        let advanced = compile(
            &illustrative::commune_advanced(),
            &Profile::in_region(Region::Tdmnpb),
            2022,
        )
        .unwrap();
        let standard = program();
        let data = illustrative::sample_commune("X1", 2022);
        let bound = standard.bind(&data).unwrap();
        let want = BindingMismatch::OtherSet {
            bound: standard.set_id().clone(),
            program: advanced.set_id().clone(),
        };
        assert_eq!(advanced.assess(&bound).unwrap_err(), want);
        assert_eq!(advanced.totals(&bound).unwrap_err(), want);
        let (batch, _) = standard.bind_batch(std::slice::from_ref(&data));
        let mut out = Vec::new();
        assert_eq!(advanced.totals_batch(&batch, &mut out).unwrap_err(), want);
        assert!(out.is_empty());
    }

    #[test]
    fn data_bound_for_a_set_with_other_indicators_under_the_same_id_is_refused() {
        let mut set = illustrative::commune_standard();
        let standard = program();
        set.criteria.remove(0);
        let shorter = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022).unwrap();
        let bound = standard
            .bind(&illustrative::sample_commune("X1", 2022))
            .unwrap();
        assert!(matches!(
            shorter.assess(&bound),
            Err(BindingMismatch::OtherSet { .. })
        ));
    }

    #[test]
    fn data_bound_with_other_thresholds_of_the_same_set_is_re_keyed_but_a_batch_is_refused() {
        let data = illustrative::sample_commune("X1", 2022);
        let here = program();
        // The same set (same id, same indicators) with every number threshold at one
        // more decimal place: other keys.
        let mut set = illustrative::commune_standard();
        for c in &mut set.criteria {
            for i in c
                .indicators
                .iter_mut()
                .filter(|i| matches!(i.kind, crate::model::ValueKind::Decimal { .. }))
            {
                for row in &mut i.thresholds {
                    if let crate::model::Threshold::Number(t) = &mut row.threshold {
                        *t += Decimal::new(5, 1);
                    }
                }
            }
        }
        let other = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022).unwrap();
        let bound = here.bind(&data).unwrap();
        // The values as given are kept, so the other program re-keys them.
        assert_eq!(
            other.assess(&bound).unwrap(),
            other.evaluate(&data).unwrap()
        );
        let (batch, _) = here.bind_batch(std::slice::from_ref(&data));
        let mut out = Vec::new();
        assert_eq!(
            other.totals_batch(&batch, &mut out),
            Err(BindingMismatch::OtherThresholds {
                set: set.id.clone()
            })
        );
        // A batch bound by a program with the same keys is read.
        let same = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022).unwrap();
        let (batch, _) = same.bind_batch(std::slice::from_ref(&data));
        other.totals_batch(&batch, &mut out).unwrap();
        assert_eq!(out, vec![other.totals(&bound).unwrap()]);
    }
}
