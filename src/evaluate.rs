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

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::compile::{
    scaled_key, Check, Encoding, Group, Program, SchemeTiers, Slot, SlotKind, Test, MISSING, NEVER,
    NOT_APPLICABLE,
};
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
///
/// Besides the values as given, it holds one exact integer key per slot (see
/// `DESIGN.md`, "Performance"), which is what [`Program::totals`] compares.
#[derive(Debug, Clone)]
pub struct BoundData {
    set: SetId,
    unit: UnitCode,
    year: u16,
    encodings: Arc<[Encoding]>,
    keys: Vec<i32>,
    originals: Vec<Option<Value>>,
    unused: Vec<IndicatorId>,
}

impl BoundData {
    /// The unit.
    pub fn unit(&self) -> &UnitCode {
        &self.unit
    }
}

/// The indicator data of many units checked and laid out column by column: one column
/// of exact integer keys per slot of the program, one row per unit bound. Made by
/// [`Program::bind_batch`]; read by [`Program::totals_batch`].
///
/// Only what the totals need is kept (no copy of the values as given, no list of unused
/// values): for the full explanation of a unit, use [`Program::bind`] and
/// [`Program::assess`].
#[derive(Debug, Clone)]
pub struct BoundBatch {
    set: SetId,
    encodings: Arc<[Encoding]>,
    units: Vec<UnitCode>,
    indices: Vec<usize>,
    /// Column-major: slot `j`, unit `u` at `j * units.len() + u`.
    keys: Vec<i32>,
}

impl BoundBatch {
    /// Number of units bound.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether no unit was bound.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The units bound, in the order of the slice given to [`Program::bind_batch`]
    /// (units with bad data left out).
    pub fn units(&self) -> &[UnitCode] {
        &self.units
    }

    /// For each unit bound, its index in the slice given to [`Program::bind_batch`].
    pub fn indices(&self) -> &[usize] {
        &self.indices
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

impl Encoding {
    /// The key of a checked input (see [`Encoding`]).
    #[inline]
    fn key(&self, input: Input) -> i32 {
        match (self, input) {
            (_, Input::Missing) => MISSING,
            (_, Input::NotApplicable) => NOT_APPLICABLE,
            (Encoding::Constant, _) => MISSING,
            (Encoding::Scaled(s), Input::Number(v)) => scaled_key(v, *s),
            (Encoding::Sign(t), Input::Number(v)) => match v.cmp(t) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            },
            (Encoding::Flag, Input::Flag(b)) => i32::from(b),
            (Encoding::Rank, Input::Grade(r)) => i32::try_from(r).unwrap_or(NEVER),
            (Encoding::Member(ranks), Input::Grade(r)) => i32::from(ranks.contains(&r)),
            // INVARIANT: bind_value only produces inputs of the slot's kind, and compile
            // only produces encodings of the slot's kind.
            _ => NEVER,
        }
    }
}

impl Test {
    /// The outcome of one key.
    #[inline]
    fn outcome(self, key: i32) -> IndicatorOutcome {
        if self.meets(key) {
            IndicatorOutcome::Met
        } else if key == NOT_APPLICABLE {
            IndicatorOutcome::NotApplicable
        } else if key == MISSING {
            IndicatorOutcome::Undetermined
        } else {
            IndicatorOutcome::NotMet
        }
    }
}

/// Outcome codes of the fast paths, ordered from best to worst.
const CODE_MET: u8 = 0;
const CODE_UNDETERMINED: u8 = 1;
const CODE_NOT_MET: u8 = 2;

fn outcome_of(code: u8) -> Outcome {
    match code {
        CODE_MET => Outcome::Met,
        CODE_UNDETERMINED => Outcome::Undetermined,
        _ => Outcome::NotMet,
    }
}

/// The three-valued outcome code of a group from its counts, as [`combine`] gives it.
#[inline(always)]
fn group_code(need: u32, met: u32, undetermined: u32, applicable: u32) -> u8 {
    let needed = need.min(applicable);
    // Selects, not branches, so that the block loop vectorises. met + undetermined
    // <= applicable, so the sum does not wrap.
    let short = if met.wrapping_add(undetermined) < needed {
        CODE_NOT_MET
    } else {
        CODE_UNDETERMINED
    };
    if met >= needed {
        CODE_MET
    } else {
        short
    }
}

/// Bits of each count in a packed tally: met in bits 0-9, undetermined in 10-19, not
/// applicable in 20-29.
const FIELD: u32 = 10;
/// Largest group a packed tally can count.
const MAX_PACKED: usize = (1 << FIELD) - 1;
const MASK: u32 = (1 << FIELD) - 1;

/// One key's contribution to a packed tally.
#[inline(always)]
fn contribution(t: Test, k: i32) -> u32 {
    u32::from(t.meets(k))
        | (u32::from(k == MISSING) << FIELD)
        | (u32::from(k == NOT_APPLICABLE) << (2 * FIELD))
}

/// The outcome code of a group of `len` slots from its packed tally.
#[inline(always)]
fn packed_code(need: u32, len: u32, tally: u32) -> u8 {
    let met = tally & MASK;
    let undetermined = (tally >> FIELD) & MASK;
    let not_applicable = tally >> (2 * FIELD);
    group_code(need, met, undetermined, len.wrapping_sub(not_applicable))
}

/// Met, undetermined and applicable counts of one unit's keys against their tests.
#[inline(always)]
fn tally(tests: &[Test], keys: &[i32]) -> (u32, u32, u32) {
    let (mut met, mut undetermined, mut applicable) = (0u32, 0u32, 0u32);
    // Wrapping adds: each count is at most the number of slots.
    for (&t, &k) in tests.iter().zip(keys) {
        met = met.wrapping_add(u32::from(t.meets(k)));
        undetermined = undetermined.wrapping_add(u32::from(k == MISSING));
        applicable = applicable.wrapping_add(u32::from(k != NOT_APPLICABLE));
    }
    (met, undetermined, applicable)
}

/// Units per block of [`Program::totals_batch`]: the block's counters stay in L1.
const BLOCK: usize = 256;

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
        let mut keys = vec![MISSING; self.slots.len()];
        let mut originals = vec![None; self.slots.len()];
        let mut unused = Vec::new();
        let problems = self.bind_each(data, Some(&mut unused), |i, key, value| {
            if let (Some(k), Some(o)) = (keys.get_mut(i), originals.get_mut(i)) {
                *k = key;
                *o = Some(value.clone());
            }
        });
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
            encodings: self.encodings.clone(),
            keys,
            originals,
            unused,
        })
    }

    /// Checks every value of `data` and hands each good one to `put` with its slot and
    /// key; values for indicators the set does not have go to `unused`. Returns the
    /// problems. Walks the sorted values and the sorted slot ids side by side.
    fn bind_each<'d>(
        &self,
        data: &'d IndicatorData,
        mut unused: Option<&mut Vec<IndicatorId>>,
        mut put: impl FnMut(usize, i32, &'d Value),
    ) -> Vec<DataProblem> {
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
        let mut ids = self.by_id.iter().peekable();
        for (id, value) in &data.values {
            let mut found = None;
            while let Some((slot_id, i)) = ids.peek() {
                match slot_id.cmp(id) {
                    Ordering::Less => {
                        ids.next();
                    }
                    Ordering::Equal => {
                        found = Some(*i);
                        ids.next();
                        break;
                    }
                    Ordering::Greater => break,
                }
            }
            let found = found.and_then(|i| Some((i, self.slots.get(i)?, self.encodings.get(i)?)));
            let Some((i, slot, encoding)) = found else {
                if let Some(unused) = unused.as_deref_mut() {
                    unused.push(id.clone());
                }
                continue;
            };
            match bind_value(slot, value) {
                Ok(input) => put(i, encoding.key(input), value),
                Err(kind) => problems.push(DataProblem {
                    indicator: Some(id.clone()),
                    kind,
                }),
            }
        }
        problems
    }

    /// Checks the data of many units against this program and lays the good ones out
    /// column by column for [`Program::totals_batch`].
    ///
    /// Returns the batch of the units whose data is good, in the order given, and one
    /// [`DataError`] per unit whose data is not (as [`Program::bind`] reports it).
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::{compile, illustrative, Outcome, Profile, Region, Value};
    ///
    /// let set = illustrative::commune_standard();
    /// let program = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022)?;
    /// let units = vec![
    ///     illustrative::sample_commune("07672", 2022),
    ///     // A percentage above 100: reported, not bound.
    ///     illustrative::sample_commune("07675", 2022).with("3.1", Value::Number(120.into())),
    ///     illustrative::sample_commune("07678", 2022),
    /// ];
    /// let (batch, errors) = program.bind_batch(&units);
    /// assert_eq!(batch.len(), 2);
    /// assert_eq!(batch.indices(), &[0, 2]);
    /// assert_eq!(errors.len(), 1);
    /// assert_eq!(errors[0].unit.as_str(), "07675");
    ///
    /// let mut results = Vec::new();
    /// program.totals_batch(&batch, &mut results);
    /// assert_eq!(results.len(), 2);
    /// assert_eq!(results[0].1, Outcome::Met);
    /// // The same figures as one unit at a time.
    /// assert_eq!(results[0], program.totals(&program.bind(&units[0])?));
    /// # Ok::<(), ntm_rules::Error>(())
    /// ```
    pub fn bind_batch(&self, data: &[IndicatorData]) -> (BoundBatch, Vec<DataError>) {
        let n = data.len();
        let mut keys = vec![MISSING; n.saturating_mul(self.slots.len())];
        let mut good = Vec::with_capacity(n);
        let mut errors = Vec::new();
        for (u, unit) in data.iter().enumerate() {
            let problems = self.bind_each(unit, None, |i, key, _| {
                if let Some(k) = i
                    .checked_mul(n)
                    .and_then(|at| at.checked_add(u))
                    .and_then(|at| keys.get_mut(at))
                {
                    *k = key;
                }
            });
            if problems.is_empty() {
                good.push(u);
            } else {
                errors.push(DataError {
                    unit: unit.unit.clone(),
                    set: self.set.clone(),
                    problems,
                });
            }
        }
        if good.len() < n {
            // Drop the rows of the units with bad data, column by column.
            let mut keep = vec![false; n];
            for &u in &good {
                if let Some(k) = keep.get_mut(u) {
                    *k = true;
                }
            }
            let mut packed = Vec::with_capacity(good.len().saturating_mul(self.slots.len()));
            if n > 0 {
                for column in keys.chunks_exact(n) {
                    packed.extend(
                        column
                            .iter()
                            .zip(&keep)
                            .filter(|(_, &k)| k)
                            .map(|(&key, _)| key),
                    );
                }
            }
            keys = packed;
        }
        let units = good
            .iter()
            .filter_map(|&u| data.get(u).map(|d| d.unit.clone()))
            .collect();
        let batch = BoundBatch {
            set: self.set.clone(),
            encodings: self.encodings.clone(),
            units,
            indices: good,
            keys,
        };
        (batch, errors)
    }

    /// The keys of bound data as this program reads them: the data's own keys when it
    /// was bound by this program (or one with the same set and encodings), keys made
    /// afresh from the values as given when it was bound by a program of the same set
    /// with other thresholds, and "missing" everywhere otherwise.
    fn keys_of<'a>(&self, data: &'a BoundData) -> Cow<'a, [i32]> {
        if Arc::ptr_eq(&data.encodings, &self.encodings) && data.keys.len() == self.slots.len() {
            return Cow::Borrowed(&data.keys);
        }
        if data.set != self.set || data.originals.len() != self.slots.len() {
            return Cow::Owned(vec![MISSING; self.slots.len()]);
        }
        if data.encodings == self.encodings && data.keys.len() == self.slots.len() {
            return Cow::Borrowed(&data.keys);
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
        Cow::Owned(keys)
    }

    /// Builds the full explanation for bound data.
    ///
    /// Data bound by a program of another set is assessed as if every value were
    /// missing.
    pub fn assess(&self, data: &BoundData) -> Assessment {
        self.assess_with(data, false)
    }

    /// Evaluates one unit's data into an assessment that keeps only what
    /// [`decide`](crate::decide) reads: every criterion's outcome and totals, and the
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
    /// [`Assessment::unused_values`] is left empty ([`decide`](crate::decide) does not
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
    fn assess_with(&self, data: &BoundData, lean: bool) -> Assessment {
        let same = data.set == self.set && data.originals.len() == self.slots.len();
        let keys = self.keys_of(data);
        let original = |i: usize| {
            if same {
                data.originals.get(i).cloned().flatten()
            } else {
                None
            }
        };
        self.assess_keys(
            &keys,
            original,
            &data.unit,
            data.year,
            data.unused.clone(),
            lean,
        )
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
        for c in &self.criteria {
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
        }
    }

    /// Criteria counts and the set's outcome only, without building the explanation:
    /// the fast path for batch statistics. Agrees with [`Program::assess`].
    ///
    /// Compares the integer keys made at bind time with integer thresholds: no decimal
    /// arithmetic and no allocation (unless the data was bound by another program).
    pub fn totals(&self, data: &BoundData) -> (Totals, Outcome) {
        self.totals_of_keys(&self.keys_of(data))
    }

    /// The outcome code of one group for one unit's keys (one per slot).
    #[inline(always)]
    fn unit_group_code(&self, g: &Group, keys: &[i32]) -> u8 {
        let tests = self.tests.get(g.start..g.end).unwrap_or_default();
        let keys = keys.get(g.start..g.end).unwrap_or_default();
        if tests.len() <= MAX_PACKED && keys.len() == tests.len() {
            let packed = tests
                .iter()
                .zip(keys)
                .fold(0u32, |a, (&t, &k)| a.wrapping_add(contribution(t, k)));
            return packed_code(g.need, tests.len() as u32, packed);
        }
        let (met, undetermined, applicable) = tally(tests, keys);
        // Slots without a key (none, as keys has one per slot) count as missing.
        let missing = (tests.len().saturating_sub(keys.len())) as u32;
        group_code(g.need, met, undetermined + missing, applicable + missing)
    }

    fn totals_of_keys(&self, keys: &[i32]) -> (Totals, Outcome) {
        let mut totals = Totals {
            criteria: self.groups.len() as u32,
            ..Totals::default()
        };
        let mut worst = CODE_MET;
        for g in &self.groups {
            let code = self.unit_group_code(g, keys);
            totals.met = totals.met.wrapping_add(u32::from(code == CODE_MET));
            totals.undetermined = totals
                .undetermined
                .wrapping_add(u32::from(code == CODE_UNDETERMINED));
            totals.not_met = totals.not_met.wrapping_add(u32::from(code == CODE_NOT_MET));
            worst = worst.max(code);
        }
        worst = worst.max(self.unit_group_code(&self.precondition_group, keys));
        (totals, outcome_of(worst))
    }

    /// [`Program::totals`] for every unit of a batch, in the batch's order: clears
    /// `out` and pushes one `(Totals, Outcome)` per unit, equal to what
    /// [`Program::totals`] gives for the unit bound alone.
    ///
    /// Works through the columns in blocks of units, with the per-unit counters of a
    /// block on the stack: no allocation besides `out`. A batch bound by another
    /// program (another set, or other thresholds) is evaluated as if every value were
    /// missing.
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::{compile, illustrative, Profile, Region};
    ///
    /// let program = compile(
    ///     &illustrative::commune_standard(),
    ///     &Profile::in_region(Region::Tdmnpb),
    ///     2022,
    /// )?;
    /// let units: Vec<_> = (0..1000)
    ///     .map(|i| illustrative::sample_commune(&format!("{i:05}"), 2022))
    ///     .collect();
    /// let (batch, errors) = program.bind_batch(&units);
    /// assert!(errors.is_empty());
    /// let mut results = Vec::with_capacity(batch.len());
    /// program.totals_batch(&batch, &mut results);
    /// let met: u32 = results.iter().map(|(totals, _)| totals.met).sum();
    /// assert_eq!(met, 5 * 1000);
    /// # Ok::<(), ntm_rules::CompileError>(())
    /// ```
    pub fn totals_batch(&self, batch: &BoundBatch, out: &mut Vec<(Totals, Outcome)>) {
        out.clear();
        let n = batch.len();
        out.reserve(n);
        let slots = self.slots.len();
        let compatible = (Arc::ptr_eq(&batch.encodings, &self.encodings)
            || (batch.set == self.set && batch.encodings == self.encodings))
            && batch.keys.len() == n.saturating_mul(slots);
        if !compatible {
            let missing = self.totals_of_keys(&vec![MISSING; slots]);
            out.extend(std::iter::repeat_n(missing, n));
            return;
        }
        if self
            .groups
            .iter()
            .chain([&self.precondition_group])
            .any(|g| g.end.saturating_sub(g.start) > MAX_PACKED)
        {
            // Groups too large for a packed tally: one unit at a time.
            let mut keys = Vec::with_capacity(slots);
            for u in 0..n {
                keys.clear();
                if n > 0 {
                    keys.extend(batch.keys.iter().skip(u).step_by(n));
                }
                out.push(self.totals_of_keys(&keys));
            }
            return;
        }
        let criteria = self.groups.len() as u32;
        let mut base = 0;
        while base < n {
            let width = BLOCK.min(n - base);
            let mut met = [0u32; BLOCK];
            let mut not_met = [0u32; BLOCK];
            let mut undetermined = [0u32; BLOCK];
            let mut worst = [CODE_MET; BLOCK];
            let mut tally = [0u32; BLOCK];
            for g in &self.groups {
                self.block_tally(g, batch, base, width, &mut tally);
                let len = g.end.saturating_sub(g.start) as u32;
                for (((a, m), (u, x)), w) in tally
                    .iter_mut()
                    .zip(met.iter_mut())
                    .zip(undetermined.iter_mut().zip(not_met.iter_mut()))
                    .zip(worst.iter_mut())
                {
                    let code = packed_code(g.need, len, *a);
                    *a = 0;
                    // Wrapping adds: at most one per criterion, and the count of
                    // criteria is a u32.
                    *m = m.wrapping_add(u32::from(code == CODE_MET));
                    *u = u.wrapping_add(u32::from(code == CODE_UNDETERMINED));
                    *x = x.wrapping_add(u32::from(code == CODE_NOT_MET));
                    *w = (*w).max(code);
                }
            }
            let pre = &self.precondition_group;
            self.block_tally(pre, batch, base, width, &mut tally);
            let len = pre.end.saturating_sub(pre.start) as u32;
            out.extend(
                tally
                    .iter()
                    .zip(&worst)
                    .zip(met.iter().zip(undetermined.iter().zip(&not_met)))
                    .take(width)
                    .map(|((a, w), (m, (u, x)))| {
                        (
                            Totals {
                                criteria,
                                met: *m,
                                not_met: *x,
                                undetermined: *u,
                            },
                            outcome_of((*w).max(packed_code(pre.need, len, *a))),
                        )
                    }),
            );
            base += width;
        }
    }

    /// Adds the packed tallies of one group for the units `base..base + width` of a
    /// batch to `tally`.
    #[inline(always)]
    fn block_tally(
        &self,
        g: &Group,
        batch: &BoundBatch,
        base: usize,
        width: usize,
        tally: &mut [u32; BLOCK],
    ) {
        let n = batch.len();
        let tests = self.tests.get(g.start..g.end).unwrap_or_default();
        for (j, &t) in (g.start..g.end).zip(tests) {
            let at = j.saturating_mul(n).saturating_add(base);
            let column = batch
                .keys
                .get(at..at.saturating_add(width))
                .unwrap_or_default();
            // Wrapping adds: no overflow checks in the loop, so it vectorises; a field
            // counts at most MAX_PACKED slots and cannot carry into the next.
            for (&k, a) in column.iter().zip(tally.iter_mut()) {
                *a = a.wrapping_add(contribution(t, k));
            }
        }
    }
}

/// A value as an input of `slot` without the range checks of [`bind_value`] (it was
/// checked when bound by another program of the same set).
fn raw_input(slot: &Slot, value: &Value) -> Input {
    match (&slot.kind, value) {
        (_, Value::NotApplicable) => Input::NotApplicable,
        (_, Value::Number(d)) => Input::Number(*d),
        (_, Value::Flag(b)) => Input::Flag(*b),
        (SlotKind::Grade(grades), Value::Grade(g)) => grades
            .iter()
            .position(|x| x == g)
            .map_or(Input::Missing, |p| Input::Grade(p as u32)),
        (_, Value::Grade(_)) => Input::Missing,
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
