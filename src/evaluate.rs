//! [`Program`] × indicator data → [`Assessment`]: the third stage of the pipeline.
//!
//! Evaluation is pure: no I/O, no globals, `&self` only. An indicator is met, not met,
//! undetermined (data missing, threshold unknown or delegated, no threshold row) or not
//! applicable; a criterion is met, not met or undetermined by three-valued logic (a
//! criterion with one indicator not met is not met even if another is undetermined).
//!
//! Data is checked first ([`Program::bind`]): a value of the wrong kind, a percentage
//! outside 0–100, a negative or fractional count, an unknown grade, or "not applicable"
//! where the indicator always applies is a [`DataError`] naming the unit and the
//! indicator. Values for indicators the set does not have are not an error (a unit's
//! data usually serves several sets) but are listed in [`Assessment::unused_values`].

use std::cmp::Ordering;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::compile::{Check, Program, SchemeTiers, Slot, SlotKind};
use crate::definitions::{
    Confidence, CriterionId, IndicatorData, IndicatorId, Level, PassRule, Profile, Requirement,
    RevocationRule, SetId, Source, Threshold, TierId, UnitCode, Value,
};
use crate::error::{DataError, DataProblem, DataProblemKind};

/// Outcome of a criterion, a set or a decision input: three-valued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Met.
    Met,
    /// Not met.
    NotMet,
    /// Cannot be told from the data and thresholds at hand.
    Undetermined,
}

/// Outcome of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorOutcome {
    /// The value meets the threshold.
    Met,
    /// The value does not meet the threshold.
    NotMet,
    /// Cannot be told; see [`IndicatorAssessment::reason`].
    Undetermined,
    /// The data says the indicator does not apply to the unit.
    NotApplicable,
}

/// Why an indicator is undetermined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UndeterminedReason {
    /// No value was given for the indicator.
    MissingData,
    /// The threshold exists in law but is not known to this set.
    ThresholdUnknown,
    /// The national text leaves the threshold to the province, and no provincial value
    /// was given.
    ThresholdDelegated,
    /// No threshold row covers the unit's profile and year.
    NoThresholdRow,
}

/// Where the threshold used for an indicator came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Provenance {
    /// Row of the indicator's threshold table (0-based).
    pub row: usize,
    /// The row's threshold as written.
    pub threshold: Threshold,
    /// The row's source.
    pub source: Source,
    /// The row's confidence.
    pub confidence: Confidence,
}

/// Result of one indicator for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndicatorAssessment {
    /// Indicator id.
    pub id: IndicatorId,
    /// Outcome.
    pub outcome: IndicatorOutcome,
    /// Value given, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    /// How the value is compared.
    pub requirement: Requirement,
    /// The threshold row used, with its value, source and confidence; absent when no
    /// row applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Arc<Provenance>>,
    /// Signed distance to the threshold, positive when better than required, zero at
    /// the threshold; for grades, in grade steps. Absent for yes/no, one-of and
    /// undetermined indicators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<Decimal>,
    /// Why the indicator is undetermined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<UndeterminedReason>,
}

/// Result of one criterion for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CriterionAssessment {
    /// Criterion id.
    pub id: CriterionId,
    /// Outcome.
    pub outcome: Outcome,
    /// The indicators whose outcome gave the criterion's outcome: the unmet ones when
    /// not met, the met ones when met, the undetermined ones when undetermined.
    pub deciding: Vec<IndicatorId>,
    /// Every indicator of the criterion.
    pub indicators: Vec<IndicatorAssessment>,
}

/// Criteria counts of an assessment.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Totals {
    /// Number of criteria in the set.
    pub criteria: u32,
    /// Criteria met.
    pub met: u32,
    /// Criteria not met.
    pub not_met: u32,
    /// Criteria undetermined.
    pub undetermined: u32,
}

/// The full explanation of one unit against one criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Assessment {
    /// The set.
    pub set: SetId,
    /// The set's scheme and its tiers.
    pub scheme: Arc<SchemeTiers>,
    /// The set's level.
    pub level: Level,
    /// The tier the set recognises.
    pub tier: TierId,
    /// The unit.
    pub unit: UnitCode,
    /// The reporting year.
    pub year: u16,
    /// The profile used to select thresholds (after the set's profile rules).
    pub profile: Profile,
    /// Outcome of the set: met when every criterion and precondition is met.
    pub outcome: Outcome,
    /// Criteria counts.
    pub totals: Totals,
    /// Every criterion, in official order.
    pub criteria: Vec<CriterionAssessment>,
    /// Recognition preconditions.
    pub preconditions: Vec<IndicatorAssessment>,
    /// Values given for indicators this set does not have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unused_values: Vec<IndicatorId>,
    /// The set's revocation rule, for [`decide`](crate::decide).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation: Option<Arc<RevocationRule>>,
}

impl Assessment {
    /// Looks a criterion up by id.
    pub fn criterion(&self, id: &str) -> Option<&CriterionAssessment> {
        self.criteria.iter().find(|c| c.id.as_str() == id)
    }

    /// Looks an indicator or precondition up by id.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorAssessment> {
        self.criteria
            .iter()
            .flat_map(|c| c.indicators.iter())
            .chain(self.preconditions.iter())
            .find(|i| i.id.as_str() == id)
    }

    /// Ids of the criteria with the given outcome.
    pub fn criteria_with(&self, outcome: Outcome) -> Vec<CriterionId> {
        self.criteria
            .iter()
            .filter(|c| c.outcome == outcome)
            .map(|c| c.id.clone())
            .collect()
    }

    /// Whether any threshold used is less than confirmed (reported, unverified or
    /// illustrative) or unknown: such a result must not be presented as law.
    pub fn lowest_confidence(&self) -> Option<Confidence> {
        self.criteria
            .iter()
            .flat_map(|c| c.indicators.iter())
            .chain(self.preconditions.iter())
            .filter_map(|i| i.threshold.as_ref().map(|p| p.confidence))
            .max()
    }
}

/// A value checked against its slot's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    Missing,
    NotApplicable,
    Number(Decimal),
    Flag(bool),
    Grade(u32),
}

/// A unit's indicator data checked and laid out in a program's slot order. Made by
/// [`Program::bind`]; reusable with [`Program::assess`] and [`Program::totals`].
#[derive(Debug, Clone)]
pub struct BoundData {
    set: SetId,
    unit: UnitCode,
    year: u16,
    inputs: Vec<Input>,
    originals: Vec<Option<Value>>,
    unused: Vec<IndicatorId>,
}

impl BoundData {
    /// The unit.
    pub fn unit(&self) -> &UnitCode {
        &self.unit
    }
}

fn value_name(v: &Value) -> &'static str {
    match v {
        Value::Number(_) => "a number",
        Value::Flag(_) => "yes/no",
        Value::Grade(_) => "a grade",
        Value::NotApplicable => "not applicable",
    }
}

fn bind_value(slot: &Slot, value: &Value) -> Result<Input, DataProblemKind> {
    let wrong = |expected| DataProblemKind::WrongKind {
        expected,
        found: value_name(value),
    };
    match (&slot.kind, value) {
        (_, Value::NotApplicable) if slot.allow_not_applicable => Ok(Input::NotApplicable),
        (_, Value::NotApplicable) => Err(DataProblemKind::NotApplicableNotAllowed),
        (SlotKind::Decimal { percent }, Value::Number(d)) => {
            if *percent && (*d < Decimal::ZERO || *d > Decimal::ONE_HUNDRED) {
                Err(DataProblemKind::PercentOutOfRange { value: *d })
            } else {
                Ok(Input::Number(*d))
            }
        }
        (SlotKind::Decimal { .. }, _) => Err(wrong("a number")),
        (SlotKind::Count, Value::Number(d)) => {
            if *d < Decimal::ZERO || !d.fract().is_zero() {
                Err(DataProblemKind::BadCount { value: *d })
            } else {
                Ok(Input::Number(*d))
            }
        }
        (SlotKind::Count, _) => Err(wrong("a whole number")),
        (SlotKind::YesNo, Value::Flag(b)) => Ok(Input::Flag(*b)),
        (SlotKind::YesNo, _) => Err(wrong("yes/no")),
        (SlotKind::Grade(grades), Value::Grade(g)) => grades
            .iter()
            .position(|x| x == g)
            .map(|p| Input::Grade(p as u32))
            .ok_or_else(|| DataProblemKind::UnknownGrade {
                grade: g.clone(),
                grades: grades.to_vec(),
            }),
        (SlotKind::Grade(_), _) => Err(wrong("a grade")),
    }
}

/// Compares `actual` with `threshold` under `req`; gives whether it is met and the
/// signed margin (positive = better than required). The margin is `None` only if it
/// overflows, which the comparison itself never does.
fn compare(req: Requirement, actual: Decimal, threshold: Decimal) -> (bool, Option<Decimal>) {
    let ord = actual.cmp(&threshold);
    match req {
        Requirement::AtLeast => (ord != Ordering::Less, actual.checked_sub(threshold)),
        Requirement::Above => (ord == Ordering::Greater, actual.checked_sub(threshold)),
        Requirement::AtMost => (ord != Ordering::Greater, threshold.checked_sub(actual)),
        Requirement::Below => (ord == Ordering::Less, threshold.checked_sub(actual)),
        Requirement::Equal => (
            ord == Ordering::Equal,
            actual.checked_sub(threshold).map(|d| -d.abs()),
        ),
        // INVARIANT: compile refuses one_of with numeric thresholds.
        Requirement::OneOf => (false, None),
    }
}

impl Slot {
    /// Outcome, margin and reason of one input.
    fn judge(
        &self,
        input: Input,
    ) -> (
        IndicatorOutcome,
        Option<Decimal>,
        Option<UndeterminedReason>,
    ) {
        let met = |b: bool| {
            if b {
                IndicatorOutcome::Met
            } else {
                IndicatorOutcome::NotMet
            }
        };
        match (input, &self.check) {
            (Input::NotApplicable, _) => (IndicatorOutcome::NotApplicable, None, None),
            (_, Check::Undetermined(r)) => (IndicatorOutcome::Undetermined, None, Some(*r)),
            (Input::Missing, _) => (
                IndicatorOutcome::Undetermined,
                None,
                Some(UndeterminedReason::MissingData),
            ),
            (Input::Number(v), Check::Number(t)) => {
                let (ok, margin) = compare(self.requirement, v, *t);
                (met(ok), margin, None)
            }
            (Input::Flag(v), Check::Flag(t)) => (met(v == *t), None, None),
            (Input::Grade(v), Check::Grade(t)) => {
                let (ok, margin) = compare(self.requirement, Decimal::from(v), Decimal::from(*t));
                (met(ok), margin, None)
            }
            (Input::Grade(v), Check::Grades(ts)) => (met(ts.contains(&v)), None, None),
            // INVARIANT: bind_value only produces inputs of the slot's kind, and compile
            // only produces checks of the slot's kind.
            _ => (IndicatorOutcome::NotMet, None, None),
        }
    }
}

/// Whether `actual` meets `threshold` under `req`, without the margin: the fast path of
/// [`Program::totals`]. Agrees with the first part of [`compare`].
#[inline]
fn meets(req: Requirement, actual: Decimal, threshold: Decimal) -> bool {
    let ord = actual.cmp(&threshold);
    match req {
        Requirement::AtLeast => ord != Ordering::Less,
        Requirement::Above => ord == Ordering::Greater,
        Requirement::AtMost => ord != Ordering::Greater,
        Requirement::Below => ord == Ordering::Less,
        Requirement::Equal => ord == Ordering::Equal,
        // INVARIANT: compile refuses one_of with numeric thresholds.
        Requirement::OneOf => false,
    }
}

impl Slot {
    /// The outcome of one input only, as [`Slot::judge`] gives it, without computing the
    /// margin (a decimal subtraction with rescaling, the bulk of the cost of `judge`).
    #[inline]
    fn outcome(&self, input: Input) -> IndicatorOutcome {
        let met = |b: bool| {
            if b {
                IndicatorOutcome::Met
            } else {
                IndicatorOutcome::NotMet
            }
        };
        match (input, &self.check) {
            (Input::NotApplicable, _) => IndicatorOutcome::NotApplicable,
            (_, Check::Undetermined(_)) | (Input::Missing, _) => IndicatorOutcome::Undetermined,
            (Input::Number(v), Check::Number(t)) => met(meets(self.requirement, v, *t)),
            (Input::Flag(v), Check::Flag(t)) => met(v == *t),
            (Input::Grade(v), Check::Grade(t)) => met(match self.requirement {
                Requirement::AtLeast => v >= *t,
                Requirement::Above => v > *t,
                Requirement::AtMost => v <= *t,
                Requirement::Below => v < *t,
                Requirement::Equal => v == *t,
                Requirement::OneOf => false,
            }),
            (Input::Grade(v), Check::Grades(ts)) => met(ts.contains(&v)),
            // INVARIANT: as in `judge`.
            _ => IndicatorOutcome::NotMet,
        }
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
    /// use ntm_rules::{compile, illustrative, Outcome, Profile, Region};
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
        Ok(self.assess(&bound))
    }

    /// Checks a unit's data against this program and lays it out by slot.
    ///
    /// # Errors
    ///
    /// A [`DataError`] listing every bad value of the unit.
    pub fn bind(&self, data: &IndicatorData) -> Result<BoundData, DataError> {
        let mut inputs = vec![Input::Missing; self.slots.len()];
        let mut originals = vec![None; self.slots.len()];
        let mut unused = Vec::new();
        let mut problems = Vec::new();
        if data.year != self.year {
            problems.push(DataProblem {
                indicator: None,
                kind: DataProblemKind::YearMismatch {
                    data: data.year,
                    program: self.year,
                },
            });
        }
        for (id, value) in &data.values {
            let Some(&i) = self.lookup.get(id.as_str()) else {
                unused.push(id.clone());
                continue;
            };
            let (Some(slot), Some(input), Some(original)) =
                (self.slots.get(i), inputs.get_mut(i), originals.get_mut(i))
            else {
                continue;
            };
            match bind_value(slot, value) {
                Ok(v) => {
                    *input = v;
                    *original = Some(value.clone());
                }
                Err(kind) => problems.push(DataProblem {
                    indicator: Some(id.clone()),
                    kind,
                }),
            }
        }
        if !problems.is_empty() {
            return Err(DataError {
                unit: data.unit.clone(),
                set: self.set.clone(),
                problems,
            });
        }
        Ok(BoundData {
            set: self.set.clone(),
            unit: data.unit.clone(),
            year: data.year,
            inputs,
            originals,
            unused,
        })
    }

    /// Builds the full explanation for bound data.
    ///
    /// Data bound by another program is assessed as if every value were missing.
    pub fn assess(&self, data: &BoundData) -> Assessment {
        let same = data.set == self.set && data.inputs.len() == self.slots.len();
        let input = |i: usize| {
            if same {
                data.inputs.get(i).copied().unwrap_or(Input::Missing)
            } else {
                Input::Missing
            }
        };
        let assess_slot = |i: usize, slot: &Slot| {
            let (outcome, margin, reason) = slot.judge(input(i));
            IndicatorAssessment {
                id: slot.id.clone(),
                outcome,
                actual: if same {
                    data.originals.get(i).cloned().flatten()
                } else {
                    None
                },
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
        for c in &self.criteria {
            let indicators: Vec<IndicatorAssessment> = self
                .slots
                .get(c.start..c.end)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(k, slot)| assess_slot(c.start + k, slot))
                .collect();
            let outcome = combine(c.pass, indicators.iter().map(|i| i.outcome));
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
            .map(|(k, slot)| assess_slot(self.first_precondition + k, slot))
            .collect();
        let pre = combine(PassRule::All, preconditions.iter().map(|i| i.outcome));
        let outcome = set_outcome(criteria.iter().map(|c| c.outcome), pre);

        Assessment {
            set: self.set.clone(),
            scheme: self.scheme.clone(),
            level: self.level,
            tier: self.tier.clone(),
            unit: data.unit.clone(),
            year: data.year,
            profile: self.profile.clone(),
            outcome,
            totals,
            criteria,
            preconditions,
            unused_values: data.unused.clone(),
            revocation: self.revocation.clone(),
        }
    }

    /// Criteria counts and the set's outcome only, without building the explanation:
    /// the fast path for batch statistics. Agrees with [`Program::assess`].
    pub fn totals(&self, data: &BoundData) -> (Totals, Outcome) {
        let same = data.set == self.set && data.inputs.len() == self.slots.len();
        let input = |i: usize| {
            if same {
                data.inputs.get(i).copied().unwrap_or(Input::Missing)
            } else {
                Input::Missing
            }
        };
        let mut totals = Totals {
            criteria: self.criteria.len() as u32,
            ..Totals::default()
        };
        let mut worst = Outcome::Met;
        let note = |o: Outcome, worst: &mut Outcome| match o {
            Outcome::NotMet => *worst = Outcome::NotMet,
            Outcome::Undetermined if *worst == Outcome::Met => *worst = Outcome::Undetermined,
            _ => {}
        };
        for c in &self.criteria {
            let slots = self.slots.get(c.start..c.end).unwrap_or_default();
            let outcome = combine(
                c.pass,
                slots
                    .iter()
                    .enumerate()
                    .map(|(k, s)| s.outcome(input(c.start + k))),
            );
            match outcome {
                Outcome::Met => totals.met += 1,
                Outcome::NotMet => totals.not_met += 1,
                Outcome::Undetermined => totals.undetermined += 1,
            }
            note(outcome, &mut worst);
        }
        let pre_slots = self
            .slots
            .get(self.first_precondition..)
            .unwrap_or_default();
        let pre = combine(
            PassRule::All,
            pre_slots
                .iter()
                .enumerate()
                .map(|(k, s)| s.outcome(input(self.first_precondition + k))),
        );
        note(pre, &mut worst);
        (totals, worst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definitions::Region;
    use crate::{compile, illustrative};

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
        let a = p.assess(&bound);
        assert_eq!(p.totals(&bound), (a.totals, a.outcome));
        assert_eq!(a.totals.not_met, 1);
    }
}
