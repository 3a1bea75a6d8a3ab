//! Indicator data → values laid out in a program's slot order: [`BoundData`] for one
//! unit, [`BoundBatch`] column by column for many.
//!
//! Data is checked once, here: a value of the wrong kind, a percentage outside 0–100, a
//! negative or fractional count, an unknown grade, or "not applicable" where the indicator
//! always applies is a [`DataError`] naming the unit and the indicator. Values for
//! indicators the set does not have are not an error (a unit's data usually serves several
//! sets) but are listed in [`Assessment::unused_values`](crate::engine::Assessment::unused_values).

use crate::engine::keying::{is_count, is_percent};
use crate::engine::keys::{Encoding, Input, MISSING};
use crate::engine::program::{Program, Slot, SlotKind};
use crate::model::{IndicatorData, IndicatorId, Location, SetId, UnitCode, Value};
use rust_decimal::Decimal;
use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

/// One problem in a unit's indicator data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DataProblem {
    /// The indicator, when the problem is about one value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<IndicatorId>,
    /// What.
    pub kind: DataProblemKind,
}

impl fmt::Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.indicator {
            Some(i) => write!(f, "indicator `{i}`: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataProblemKind {
    /// The value is of the wrong kind for its indicator.
    #[error("expected {expected}, found {found}")]
    WrongKind {
        /// What the indicator takes.
        expected: &'static str,
        /// What was given.
        found: &'static str,
    },
    /// A percentage outside 0–100.
    #[error("percentage {value} is outside 0-100")]
    PercentOutOfRange {
        /// The value.
        value: Decimal,
    },
    /// A count that is negative or not whole.
    #[error("count {value} is not a whole number >= 0")]
    BadCount {
        /// The value.
        value: Decimal,
    },
    /// A grade not in the indicator's list.
    #[error("grade `{grade}` is not one of {grades:?}")]
    UnknownGrade {
        /// The grade given.
        grade: String,
        /// The grades allowed.
        grades: Vec<String>,
    },
    /// "Not applicable" for an indicator that always applies.
    #[error("the indicator always applies; \"not applicable\" is not allowed")]
    NotApplicableNotAllowed,
    /// The data is for another year than the program.
    #[error("data is for year {data}, the criteria were compiled for {program}")]
    YearMismatch {
        /// The data's year.
        data: u16,
        /// The program's year.
        program: u16,
    },
}

/// Indicator data of one unit that does not fit a criteria set. Lists every problem of
/// the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DataError {
    /// The unit.
    pub unit: UnitCode,
    /// The set the data was evaluated against.
    pub set: SetId,
    /// The problems.
    pub problems: Vec<DataProblem>,
}

impl DataError {
    /// Where each problem is: the unit, the set and, for a value, its indicator.
    pub fn locations(&self) -> impl Iterator<Item = (Location, &DataProblem)> + '_ {
        self.problems.iter().map(|p| {
            let at = Location::of_unit(self.unit.clone()).with_set(self.set.clone());
            let at = match &p.indicator {
                Some(i) => at.with_indicator(i.clone()),
                None => at,
            };
            (at, p)
        })
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unit `{}`, set `{}`: ", self.unit, self.set)?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Bound data (or a bound batch) given to a program it was not bound for: read with
/// that program's slots, its values would land on other indicators or nowhere, so it is
/// refused instead of being read as "every value missing".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "mismatch", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BindingMismatch {
    /// Bound by a program of another set, or of another version of the set (other
    /// indicators, or the same in another order).
    #[error(
        "data bound by a program of set `{bound}` cannot be assessed by a program of set \
         `{program}` (other indicators); bind it with this program"
    )]
    OtherSet {
        /// The set the data was bound for.
        bound: SetId,
        /// The set of the program it was given to.
        program: SetId,
    },
    /// A batch bound by a program of the same set compiled with other thresholds (another
    /// profile or year): a batch keeps only keys, which depend on the thresholds, so it
    /// cannot be re-keyed. [`BoundData`] keeps the values as given and is re-keyed.
    #[error(
        "batch bound by a program of set `{set}` with other thresholds; bind it with this \
         program"
    )]
    OtherThresholds {
        /// The set.
        set: SetId,
    },
}

/// A unit's indicator data checked and laid out in a program's slot order. Made by
/// [`Program::bind`]; reusable with [`Program::assess`] and [`Program::totals`].
///
/// Besides the values as given, it holds one exact integer key per slot (see
/// `DESIGN.md`, "Performance"), which is what [`Program::totals`] compares.
#[derive(Debug, Clone)]
pub struct BoundData {
    pub(super) set: SetId,
    pub(super) layout: Arc<[IndicatorId]>,
    pub(super) unit: UnitCode,
    pub(super) year: u16,
    pub(super) encodings: Arc<[Encoding]>,
    pub(super) keys: Vec<i32>,
    pub(super) originals: Vec<Option<Value>>,
    pub(super) unused: Vec<IndicatorId>,
}

impl BoundData {
    /// The unit.
    pub fn unit(&self) -> &UnitCode {
        &self.unit
    }

    /// The set of the program the data was bound by.
    pub fn set(&self) -> &SetId {
        &self.set
    }
}

impl Program {
    /// Whether data bound with `layout` for `set` lays its values out as this program
    /// does (the same set, the same indicators in the same order).
    pub(super) fn check_layout(
        &self,
        set: &SetId,
        layout: &Arc<[IndicatorId]>,
    ) -> Result<(), BindingMismatch> {
        if set == &self.set && (Arc::ptr_eq(layout, &self.layout) || layout == &self.layout) {
            Ok(())
        } else {
            Err(BindingMismatch::OtherSet {
                bound: set.clone(),
                program: self.set.clone(),
            })
        }
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
    pub(super) set: SetId,
    pub(super) layout: Arc<[IndicatorId]>,
    pub(super) encodings: Arc<[Encoding]>,
    /// The units' codes by row (empty when the columns named none: see
    /// `Columns::from_data_rows`).
    pub(super) units: Vec<UnitCode>,
    pub(super) rows: usize,
    pub(super) indices: Vec<usize>,
    /// Column-major: slot `j`, unit `u` at `j * units.len() + u`.
    pub(super) keys: Vec<i32>,
}

impl BoundBatch {
    /// Number of units bound.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no unit was bound.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
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

/// A number as an input of `slot`, range-checked as [`Program::bind`] checks it.
pub(super) fn number_input(slot: &Slot, d: Decimal) -> Result<Input, DataProblemKind> {
    match slot.kind {
        SlotKind::Decimal { percent } => {
            if percent && !is_percent(d) {
                Err(DataProblemKind::PercentOutOfRange { value: d })
            } else {
                Ok(Input::Number(d))
            }
        }
        SlotKind::Count if !is_count(d) => Err(DataProblemKind::BadCount { value: d }),
        SlotKind::Count => Ok(Input::Number(d)),
        SlotKind::YesNo | SlotKind::Grade(_) => Err(DataProblemKind::WrongKind {
            expected: slot.kind.name(),
            found: "a number",
        }),
    }
}

/// A grade as an input of `slot`: its rank in the indicator's list.
pub(super) fn grade_input(slot: &Slot, g: &str) -> Result<Input, DataProblemKind> {
    match &slot.kind {
        SlotKind::Grade(grades) => grades
            .iter()
            .position(|x| x == g)
            .map(|p| Input::Grade(p as u32))
            .ok_or_else(|| DataProblemKind::UnknownGrade {
                grade: g.to_owned(),
                grades: grades.to_vec(),
            }),
        _ => Err(DataProblemKind::WrongKind {
            expected: slot.kind.name(),
            found: "a grade",
        }),
    }
}

impl SlotKind {
    /// What values of the kind are, for messages.
    pub(super) fn name(&self) -> &'static str {
        match self {
            SlotKind::Decimal { .. } => "a number",
            SlotKind::Count => "a whole number",
            SlotKind::YesNo => "yes/no",
            SlotKind::Grade(_) => "a grade",
        }
    }
}

/// A value as an input of `slot`, checked for its kind and range.
pub(super) fn bind_value(slot: &Slot, value: &Value) -> Result<Input, DataProblemKind> {
    match value {
        Value::NotApplicable if slot.allow_not_applicable => Ok(Input::NotApplicable),
        Value::NotApplicable => Err(DataProblemKind::NotApplicableNotAllowed),
        Value::Number(d) => number_input(slot, *d),
        Value::Flag(b) if matches!(slot.kind, SlotKind::YesNo) => Ok(Input::Flag(*b)),
        Value::Flag(_) => Err(DataProblemKind::WrongKind {
            expected: slot.kind.name(),
            found: value_name(value),
        }),
        Value::Grade(g) => grade_input(slot, g),
    }
}

impl Program {
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
            layout: self.layout.clone(),
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
    pub(super) fn bind_each<'d>(
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
}

/// The keys (slot-major, `n` units) of the units `good` only, column by column.
pub(super) fn drop_rows(keys: Vec<i32>, n: usize, good: &[usize], slots: usize) -> Vec<i32> {
    if good.len() == n {
        return keys;
    }
    let mut keep = vec![false; n];
    for &u in good {
        if let Some(k) = keep.get_mut(u) {
            *k = true;
        }
    }
    let mut packed = Vec::with_capacity(good.len().saturating_mul(slots));
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
    packed
}

/// A value as an input of `slot` without the range checks of [`bind_value`] (it was
/// checked when bound by another program of the same set).
pub(super) fn raw_input(slot: &Slot, value: &Value) -> Input {
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
