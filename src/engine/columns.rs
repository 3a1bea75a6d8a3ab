//! The column input form: [`Columns`], a value per (unit, indicator) of many units,
//! filled one indicator at a time from typed slices (numbers, yes/no, grades) or
//! converted from the map form ([`IndicatorData`]), and keyed as it is filled. The
//! indicator ids are resolved to the program's slots once per column, the values become
//! the exact integer keys the engine compares (see `keys.rs`), and units are rows by
//! position. [`Columns::finish`] gives the [`BoundBatch`] that
//! [`Program::masks_batch`] and [`Program::totals_batch`] read.
//!
//! Nothing is silent: a column for an indicator the set does not have, of the wrong
//! kind, of the wrong length or given twice is a [`ColumnError`]; a bad value (a
//! percentage above 100, a fractional count, an unknown grade) is a [`DataError`] of its
//! unit, which is left out of the batch as [`Program::bind_batch`] does; a value of the
//! map form that the set does not read is listed ([`UnusedValue`]).

use crate::engine::bind::{
    bind_value, drop_rows, grade_input, number_input, BoundBatch, DataError, DataProblem,
    DataProblemKind,
};
use crate::engine::keyer::NumberKeyer;
use crate::engine::keys::{Encoding, Input, MISSING};
use crate::engine::program::{Program, Slot, SlotKind};
use crate::engine::unused::{edit_distance, UnusedValue};
use crate::model::{IndicatorData, IndicatorId, UnitCode, Value};
use rust_decimal::Decimal;
use serde::Serialize;
use std::borrow::Borrow;

/// A column that cannot be laid out for the program: nothing of it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ColumnError {
    /// The set has no indicator of this id.
    #[error(
        "the criteria set has no indicator `{indicator}`{}",
        hint(did_you_mean)
    )]
    UnknownIndicator {
        /// The id given.
        indicator: IndicatorId,
        /// The indicator of the set whose id is nearest, when one is close.
        #[serde(skip_serializing_if = "Option::is_none")]
        did_you_mean: Option<IndicatorId>,
    },
    /// The column's values are of another kind than the indicator takes.
    #[error("indicator `{indicator}`: expected {expected}, the column holds {found}")]
    WrongKind {
        /// The indicator.
        indicator: IndicatorId,
        /// What the indicator takes.
        expected: &'static str,
        /// What the column holds.
        found: &'static str,
    },
    /// The column does not have one value per unit.
    #[error("indicator `{indicator}`: {found} values for {expected} units")]
    WrongLength {
        /// The indicator.
        indicator: IndicatorId,
        /// The number of units.
        expected: usize,
        /// The number of values given.
        found: usize,
    },
    /// A column was already given for the indicator.
    #[error("indicator `{indicator}`: a column was already given")]
    Repeated {
        /// The indicator.
        indicator: IndicatorId,
    },
}

fn hint(id: &Option<IndicatorId>) -> String {
    id.as_ref()
        .map(|i| format!("; did you mean `{i}`?"))
        .unwrap_or_default()
}

/// The indicator values of many units, column by column, keyed for one [`Program`] as
/// they are given: the column input form. Rows are units by position (the order of the
/// codes given to [`Columns::new`]); a value not given is missing.
///
/// # Example
///
/// ```
/// use ntm_rules::compile;
/// use ntm_rules::engine::{Columns, CriteriaMasks};
/// use ntm_rules::model::{Profile, Region, UnitCode};
/// use ntm_rules::policy::illustrative;
/// use rust_decimal::Decimal;
///
/// let set = illustrative::commune_standard();
/// let program = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022)?;
/// let mut columns = Columns::new(&program, vec![UnitCode::new("A"), UnitCode::new("B")]);
/// columns.numbers("3.1", &[Some(Decimal::from(95)), Some(Decimal::from(120))])?;
/// columns.flags("1.1", &[Some(true), None])?;
/// // An indicator the set does not have is refused, with a hint.
/// let err = columns.flags("1.l", &[Some(true), Some(true)]).unwrap_err();
/// assert!(err.to_string().contains("did you mean `1.1`?"));
/// let (batch, errors) = columns.finish();
/// // B's 120% is reported, and B left out of the batch.
/// assert_eq!(batch.indices(), &[0]);
/// assert_eq!(errors[0].unit.as_str(), "B");
/// let mut masks = CriteriaMasks::new();
/// program.masks_batch(&batch, &mut masks)?;
/// # Ok::<(), ntm_rules::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Columns {
    program: Program,
    /// The units' codes by row (empty for the tree pass's batches, whose rows are tree
    /// positions: see [`Columns::from_data_rows`]).
    units: Vec<UnitCode>,
    rows: usize,
    /// Slot-major: slot `j`, unit `u` at `j * rows + u`.
    keys: Vec<i32>,
    given: Vec<bool>,
    problems: Vec<(usize, DataProblem)>,
    /// Whether columns are keyed in chunks of units across threads.
    #[cfg(feature = "rayon")]
    parallel: bool,
}

impl Columns {
    /// Empty columns (every value missing) for `units`, keyed for `program`.
    pub fn new(program: &Program, units: Vec<UnitCode>) -> Columns {
        let slots = program.slots.len();
        Columns {
            program: program.clone(),
            keys: vec![MISSING; units.len().saturating_mul(slots)],
            rows: units.len(),
            units,
            given: vec![false; slots],
            problems: Vec::new(),
            #[cfg(feature = "rayon")]
            parallel: false,
        }
    }

    /// The column input form of map-form data (owned or borrowed), for `program`: each
    /// value keyed into its slot. Returns the columns, with the bad values recorded as [`Columns::finish`]
    /// reports them (and data for another year than the program's), and the values of
    /// indicators the program does not read, with a did-you-mean hint.
    pub fn from_data<D: Borrow<IndicatorData>>(
        program: &Program,
        data: &[D],
    ) -> (Columns, Vec<UnusedValue>) {
        let mut unused = Vec::new();
        let columns = Columns::from_data_in(program, data, Some(&mut unused));
        (columns, unused)
    }

    /// [`Columns::from_data`], listing the unused values into `unused` when given (the
    /// tree pass lists them over every set of a level instead).
    pub(crate) fn from_data_in<D: Borrow<IndicatorData>>(
        program: &Program,
        data: &[D],
        unused: Option<&mut Vec<UnusedValue>>,
    ) -> Columns {
        let units = data.iter().map(|d| d.borrow().unit.clone()).collect();
        Columns::fill_from_data(Columns::new(program, units), data, unused)
    }

    /// [`Columns::from_data_in`] without the units' codes (rows only, no unused values
    /// listed): for the tree pass, which names its units by tree position. The
    /// [`DataError`]s of [`Columns::finish`] then name no unit (`?`): the pass only reads
    /// which rows are good.
    pub(crate) fn from_data_rows<D: Borrow<IndicatorData>>(
        program: &Program,
        data: &[D],
    ) -> Columns {
        let slots = program.slots.len();
        let columns = Columns {
            program: program.clone(),
            keys: vec![MISSING; data.len().saturating_mul(slots)],
            rows: data.len(),
            units: Vec::new(),
            given: vec![false; slots],
            problems: Vec::new(),
            #[cfg(feature = "rayon")]
            parallel: false,
        };
        Columns::fill_from_data(columns, data, None)
    }

    fn fill_from_data<D: Borrow<IndicatorData>>(
        mut columns: Columns,
        data: &[D],
        mut unused: Option<&mut Vec<UnusedValue>>,
    ) -> Columns {
        let program = &columns.program.clone();
        let n = data.len();
        let mut unused_ids = Vec::new();
        for (u, unit) in data.iter().map(Borrow::borrow).enumerate() {
            unused_ids.clear();
            let keys = &mut columns.keys;
            let listing = unused.as_ref().map(|_| &mut unused_ids);
            let problems = program.bind_each(unit, listing, |j, key, _| {
                if let Some(k) = j
                    .checked_mul(n)
                    .and_then(|at| at.checked_add(u))
                    .and_then(|at| keys.get_mut(at))
                {
                    *k = key;
                }
            });
            columns
                .problems
                .extend(problems.into_iter().map(|p| (u, p)));
            if let Some(unused) = unused.as_deref_mut() {
                unused.extend(unused_ids.drain(..).map(|id| UnusedValue {
                    did_you_mean: program.nearest_id(&id),
                    unit: unit.unit.clone(),
                    indicator: id,
                }));
            }
        }
        columns.given.fill(true);
        columns
    }

    /// Keys every column given from now on in chunks of units across the threads of
    /// rayon's global pool (feature `rayon`): the same keys and the same errors, in the
    /// same order, as one thread. Grade columns are keyed on one thread.
    #[cfg(feature = "rayon")]
    pub fn in_parallel(mut self) -> Columns {
        self.parallel = true;
        self
    }

    #[cfg(feature = "rayon")]
    fn is_parallel(&self) -> bool {
        self.parallel
    }

    #[cfg(not(feature = "rayon"))]
    fn is_parallel(&self) -> bool {
        false
    }

    /// Number of units (rows).
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The units, by row.
    pub fn units(&self) -> &[UnitCode] {
        &self.units
    }

    /// Sets the column of a number indicator (a decimal quantity or a count): one value
    /// per unit, `None` for missing.
    ///
    /// Each value is range-checked and keyed from its mantissa and scale with integer
    /// operations (see `keying.rs`); a bad value is reported as [`Program::bind`]
    /// reports it.
    ///
    /// # Errors
    ///
    /// A [`ColumnError`] (and nothing of the column used) when the set has no such
    /// indicator, it does not take numbers, the column has not one value per unit, or it
    /// was given before.
    pub fn numbers(&mut self, id: &str, values: &[Option<Decimal>]) -> Result<(), ColumnError> {
        let j = self.claim(id, values.len(), "numbers", |slot| {
            matches!(slot.kind, SlotKind::Decimal { .. } | SlotKind::Count)
        })?;
        let parallel = self.is_parallel();
        let Some((slot, encoding, column, problems)) = self.column(j) else {
            return Ok(());
        };
        let keyer = NumberKeyer::new(&slot.kind, encoding);
        key_rows(
            parallel,
            column,
            values,
            problems,
            |first, column, values, problems| {
                for (u, (k, v)) in column.iter_mut().zip(values).enumerate() {
                    let Some(v) = *v else { continue };
                    match keyer.and_then(|keyer| keyer.key(v)) {
                        Some(key) => *k = key,
                        // Out of range, or keyed by the general path.
                        None => put(
                            k,
                            problems,
                            first + u,
                            slot,
                            encoding,
                            number_input(slot, v),
                        ),
                    }
                }
            },
        );
        Ok(())
    }

    /// Sets the column of a yes/no indicator; see [`Columns::numbers`].
    ///
    /// # Errors
    ///
    /// As [`Columns::numbers`].
    pub fn flags(&mut self, id: &str, values: &[Option<bool>]) -> Result<(), ColumnError> {
        let j = self.claim(id, values.len(), "yes/no", |slot| {
            matches!(slot.kind, SlotKind::YesNo)
        })?;
        let parallel = self.is_parallel();
        let Some((_, encoding, column, problems)) = self.column(j) else {
            return Ok(());
        };
        let (no, yes) = (
            encoding.key(Input::Flag(false)),
            encoding.key(Input::Flag(true)),
        );
        key_rows(
            parallel,
            column,
            values,
            problems,
            |_, column, values, _| {
                for (k, v) in column.iter_mut().zip(values) {
                    if let Some(b) = *v {
                        *k = if b { yes } else { no };
                    }
                }
            },
        );
        Ok(())
    }

    /// Sets the column of a grade indicator, grades by name; see [`Columns::numbers`].
    ///
    /// # Errors
    ///
    /// As [`Columns::numbers`].
    pub fn grades<S: AsRef<str>>(
        &mut self,
        id: &str,
        values: &[Option<S>],
    ) -> Result<(), ColumnError> {
        let j = self.claim(id, values.len(), "grades", |slot| {
            matches!(slot.kind, SlotKind::Grade(_))
        })?;
        let Some((slot, encoding, column, problems)) = self.column(j) else {
            return Ok(());
        };
        let grades: &[String] = match &slot.kind {
            SlotKind::Grade(grades) => grades,
            _ => &[],
        };
        // The key of each grade, by rank.
        let keys: Vec<i32> = (0..grades.len())
            .map(|r| encoding.key(Input::Grade(r as u32)))
            .collect();
        for (u, (k, v)) in column.iter_mut().zip(values).enumerate() {
            let Some(g) = v else { continue };
            let g = g.as_ref();
            match grades.iter().position(|x| x == g).and_then(|r| keys.get(r)) {
                Some(&key) => *k = key,
                // Not one of the grades.
                None => put(k, problems, u, slot, encoding, grade_input(slot, g)),
            }
        }
        Ok(())
    }

    /// Sets a column of values of any kind ("not applicable" included); see
    /// [`Columns::numbers`]. A value of the wrong kind is a problem of its unit.
    ///
    /// # Errors
    ///
    /// As [`Columns::numbers`], but for the kind.
    pub fn values(&mut self, id: &str, values: &[Option<Value>]) -> Result<(), ColumnError> {
        let j = self.claim(id, values.len(), "values", |_| true)?;
        let parallel = self.is_parallel();
        let Some((slot, encoding, column, problems)) = self.column(j) else {
            return Ok(());
        };
        key_rows(
            parallel,
            column,
            values,
            problems,
            |first, column, values, problems| {
                for (u, (k, v)) in column.iter_mut().zip(values).enumerate() {
                    if let Some(v) = v {
                        put(k, problems, first + u, slot, encoding, bind_value(slot, v));
                    }
                }
            },
        );
        Ok(())
    }

    /// Checks a column of `len` values for indicator `id` before any value is read, and
    /// marks it given: `fits` says whether the column's kind (`found`) fits the slot.
    /// Returns the slot.
    fn claim(
        &mut self,
        id: &str,
        len: usize,
        found: &'static str,
        fits: impl Fn(&Slot) -> bool,
    ) -> Result<usize, ColumnError> {
        let indicator = || IndicatorId::new(id);
        let Some((j, slot)) = self
            .program
            .lookup
            .get(id)
            .and_then(|&j| Some((j, self.program.slots.get(j)?)))
        else {
            return Err(ColumnError::UnknownIndicator {
                did_you_mean: self.program.nearest_id(&indicator()),
                indicator: indicator(),
            });
        };
        if !fits(slot) {
            return Err(ColumnError::WrongKind {
                indicator: indicator(),
                expected: slot.kind.name(),
                found,
            });
        }
        if len != self.rows {
            return Err(ColumnError::WrongLength {
                indicator: indicator(),
                expected: self.rows,
                found: len,
            });
        }
        match self.given.get_mut(j) {
            Some(g) if !*g => *g = true,
            _ => {
                return Err(ColumnError::Repeated {
                    indicator: indicator(),
                })
            }
        }
        Ok(j)
    }

    /// Slot `j` (claimed), its encoding, its column of keys and the problems, borrowed
    /// together.
    #[allow(clippy::type_complexity, reason = "a private split borrow")]
    fn column(
        &mut self,
        j: usize,
    ) -> Option<(&Slot, &Encoding, &mut [i32], &mut Vec<(usize, DataProblem)>)> {
        let n = self.rows;
        let at = j.checked_mul(n)?;
        let column = self.keys.get_mut(at..at.checked_add(n)?)?;
        Some((
            self.program.slots.get(j)?,
            self.program.encodings.get(j)?,
            column,
            &mut self.problems,
        ))
    }

    /// The batch of the units whose values are good, in row order
    /// ([`BoundBatch::indices`] are their rows), and one [`DataError`] per unit with bad
    /// values, listing every one of them, in row order.
    pub fn finish(self) -> (BoundBatch, Vec<DataError>) {
        let Columns {
            program,
            units,
            rows,
            keys,
            mut problems,
            ..
        } = self;
        problems.sort_by_key(|(u, _)| *u);
        let mut errors: Vec<DataError> = Vec::new();
        let mut bad = vec![false; rows];
        let mut last = None;
        for (u, p) in problems {
            if let Some(b) = bad.get_mut(u) {
                *b = true;
            }
            match errors.last_mut() {
                Some(e)
                    if (units.is_empty() && last == Some(u))
                        || (!units.is_empty() && units.get(u) == Some(&e.unit)) =>
                {
                    e.problems.push(p)
                }
                _ => errors.push(DataError {
                    unit: units.get(u).cloned().unwrap_or_else(|| UnitCode::new("?")),
                    set: program.set.clone(),
                    problems: vec![p],
                }),
            }
            last = Some(u);
        }
        let good: Vec<usize> = (0..rows).filter(|&u| bad.get(u) == Some(&false)).collect();
        let keys = drop_rows(keys, rows, &good, program.slots.len());
        let units = if good.len() == rows {
            units
        } else {
            good.iter().filter_map(|&u| units.get(u).cloned()).collect()
        };
        let batch = BoundBatch {
            rows: good.len(),
            set: program.set.clone(),
            layout: program.layout.clone(),
            encodings: program.encodings.clone(),
            units,
            indices: good,
            keys,
        };
        (batch, errors)
    }
}

/// Runs `key` over a column's keys and values (with the row of the first), in chunks
/// of units across threads when `parallel` (feature `rayon`), the problems in row order.
fn key_rows<T: Sync>(
    parallel: bool,
    column: &mut [i32],
    values: &[T],
    problems: &mut Vec<(usize, DataProblem)>,
    key: impl Fn(usize, &mut [i32], &[T], &mut Vec<(usize, DataProblem)>) + Sync,
) {
    #[cfg(feature = "rayon")]
    if parallel {
        return crate::engine::parallel::key_rows(column, values, problems, key);
    }
    let _ = parallel;
    key(0, column, values, problems)
}

/// Writes a value checked by the general path: its key, or its problem.
fn put(
    k: &mut i32,
    problems: &mut Vec<(usize, DataProblem)>,
    u: usize,
    slot: &Slot,
    encoding: &Encoding,
    input: Result<Input, DataProblemKind>,
) {
    match input {
        Ok(i) => *k = encoding.key(i),
        Err(kind) => problems.push((
            u,
            DataProblem {
                indicator: Some(slot.id.clone()),
                kind,
            },
        )),
    }
}

impl Program {
    /// Checks the data of many units against this program and lays the good ones out
    /// column by column for [`Program::totals_batch`].
    ///
    /// Returns the batch of the units whose data is good, in the order given, and one
    /// [`DataError`] per unit whose data is not (as [`Program::bind`] reports it).
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::compile;
    /// use ntm_rules::policy::illustrative;
    /// use ntm_rules::engine::Outcome;
    /// use ntm_rules::model::{Profile, Region, Value};
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
    /// program.totals_batch(&batch, &mut results)?;
    /// assert_eq!(results.len(), 2);
    /// assert_eq!(results[0].1, Outcome::Met);
    /// // The same figures as one unit at a time.
    /// assert_eq!(results[0], program.totals(&program.bind(&units[0])?)?);
    /// # Ok::<(), ntm_rules::Error>(())
    /// ```
    pub fn bind_batch(&self, data: &[IndicatorData]) -> (BoundBatch, Vec<DataError>) {
        Columns::from_data_in(self, data, None).finish()
    }

    /// The indicator id of the program nearest to `id` by edit distance, when it is at
    /// most 2 and less than the length of `id` (as [`UnusedValue::did_you_mean`]).
    fn nearest_id(&self, id: &IndicatorId) -> Option<IndicatorId> {
        let given: Vec<char> = id.as_str().chars().collect();
        let limit = 2.min(given.len().saturating_sub(1));
        self.layout
            .iter()
            .map(|k| (edit_distance(&given, k.as_str()), k))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, k)| (*d, *k))
            .map(|(_, k)| k.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{compile, CriteriaMasks};
    use crate::model::{Profile, Region};
    use crate::policy::illustrative;

    fn program() -> Program {
        let set = illustrative::commune_standard();
        compile(&set, &Profile::in_region(Region::Tdmnpb), 2022).unwrap()
    }

    fn codes(n: usize) -> Vec<UnitCode> {
        (0..n).map(|i| UnitCode::new(format!("U{i}"))).collect()
    }

    /// The map-form data of `units` as typed columns, one per indicator.
    fn typed(program: &Program, data: &[IndicatorData]) -> Columns {
        let mut columns = Columns::new(program, data.iter().map(|d| d.unit.clone()).collect());
        let ids: std::collections::BTreeSet<&IndicatorId> =
            data.iter().flat_map(|d| d.values.keys()).collect();
        for id in ids {
            let column: Vec<Option<&Value>> = data.iter().map(|d| d.values.get(id)).collect();
            let first = column.iter().flatten().next().copied();
            let result = match first {
                Some(Value::Number(_)) => columns.numbers(
                    id.as_str(),
                    &column
                        .iter()
                        .map(|v| match v {
                            Some(Value::Number(d)) => Some(*d),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ),
                Some(Value::Flag(_)) => columns.flags(
                    id.as_str(),
                    &column
                        .iter()
                        .map(|v| match v {
                            Some(Value::Flag(b)) => Some(*b),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ),
                Some(Value::Grade(_)) => columns.grades(
                    id.as_str(),
                    &column
                        .iter()
                        .map(|v| match v {
                            Some(Value::Grade(g)) => Some(g.as_str()),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ),
                _ => columns.values(
                    id.as_str(),
                    &column.iter().map(|v| v.cloned()).collect::<Vec<_>>(),
                ),
            };
            result.unwrap();
        }
        columns
    }

    #[test]
    fn typed_columns_give_the_same_masks_as_the_map_form() {
        let program = program();
        let mut data: Vec<IndicatorData> = (0..300)
            .map(|i| illustrative::sample_commune(&format!("{i:05}"), 2022))
            .collect();
        // Vary the values: some missing, some below the thresholds.
        for (i, d) in data.iter_mut().enumerate() {
            if i % 3 == 0 {
                d.values.remove(&IndicatorId::new("3.1"));
            }
            if i % 5 == 0 {
                d.values.insert(
                    IndicatorId::new("10.1"),
                    Value::Number(Decimal::new(i as i64, 1)),
                );
            }
            if i % 7 == 0 {
                d.values
                    .insert(IndicatorId::new("17.2"), Value::Grade("none".into()));
            }
        }
        let (from_map, errors) = program.bind_batch(&data);
        assert!(errors.is_empty());
        let (from_columns, errors) = typed(&program, &data).finish();
        assert!(errors.is_empty());
        let (converted, unused) = Columns::from_data(&program, &data);
        assert!(unused.is_empty());
        let (converted, errors) = converted.finish();
        assert!(errors.is_empty());
        let (mut a, mut b, mut c) = (
            CriteriaMasks::new(),
            CriteriaMasks::new(),
            CriteriaMasks::new(),
        );
        program.masks_batch(&from_map, &mut a).unwrap();
        program.masks_batch(&from_columns, &mut b).unwrap();
        program.masks_batch(&converted, &mut c).unwrap();
        assert_eq!(a.len(), 300);
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert!((0..300).any(|u| a.totals(u).unwrap().undetermined > 0));
        assert!((0..300).any(|u| a.totals(u).unwrap().not_met > 0));
    }

    #[test]
    fn column_for_an_indicator_the_set_lacks_is_refused_with_a_hint() {
        let mut columns = Columns::new(&program(), codes(2));
        let err = columns.numbers("10.l", &[None, None]).unwrap_err();
        assert_eq!(
            err,
            ColumnError::UnknownIndicator {
                indicator: IndicatorId::new("10.l"),
                did_you_mean: Some(IndicatorId::new("10.1")),
            }
        );
        let err = columns.flags("zzz.9", &[None, None]).unwrap_err();
        assert!(matches!(
            err,
            ColumnError::UnknownIndicator {
                did_you_mean: None,
                ..
            }
        ));
    }

    #[test]
    fn column_of_the_wrong_kind_length_or_given_twice_is_refused() {
        let mut columns = Columns::new(&program(), codes(2));
        let err = columns.flags("3.1", &[Some(true), None]).unwrap_err();
        assert!(
            matches!(
                err,
                ColumnError::WrongKind {
                    expected: "a number",
                    ..
                }
            ),
            "{err}"
        );
        let err = columns.numbers("3.1", &[None]).unwrap_err();
        assert!(matches!(
            err,
            ColumnError::WrongLength {
                expected: 2,
                found: 1,
                ..
            }
        ));
        columns.numbers("3.1", &[None, None]).unwrap();
        let err = columns.numbers("3.1", &[None, None]).unwrap_err();
        assert!(matches!(err, ColumnError::Repeated { .. }));
    }

    #[test]
    fn bad_value_in_a_column_excludes_its_unit_only_and_names_it() {
        let program = program();
        let mut columns = Columns::new(&program, codes(3));
        columns
            .numbers(
                "3.1",
                &[Some(Decimal::from(90)), Some(Decimal::from(101)), None],
            )
            .unwrap();
        columns
            .numbers(
                "17.3",
                &[Some(Decimal::new(15, 1)), Some(Decimal::from(2)), None],
            )
            .unwrap();
        columns
            .grades("17.2", &[None, Some("partial"), Some("great")])
            .unwrap();
        let (batch, errors) = columns.finish();
        assert_eq!(batch.indices(), &[] as &[usize]);
        let units: Vec<&str> = errors.iter().map(|e| e.unit.as_str()).collect();
        assert_eq!(units, ["U0", "U1", "U2"]);
        assert!(matches!(
            errors[0].problems[0].kind,
            DataProblemKind::BadCount { .. }
        ));
        assert!(matches!(
            errors[1].problems[0].kind,
            DataProblemKind::PercentOutOfRange { .. }
        ));
        assert!(matches!(
            errors[2].problems[0].kind,
            DataProblemKind::UnknownGrade { .. }
        ));
        assert_eq!(
            errors[0].problems[0].indicator,
            Some(IndicatorId::new("17.3"))
        );
    }

    #[test]
    fn map_form_value_the_program_does_not_read_is_listed_not_dropped() {
        let program = program();
        let data = vec![
            illustrative::sample_commune("A", 2022).with("10.l", Value::Flag(true)),
            illustrative::sample_commune("B", 2021),
        ];
        let (columns, unused) = Columns::from_data(&program, &data);
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].unit.as_str(), "A");
        assert_eq!(unused[0].did_you_mean, Some(IndicatorId::new("10.1")));
        let (batch, errors) = columns.finish();
        assert_eq!(batch.indices(), &[0]);
        assert!(matches!(
            errors[0].problems[0].kind,
            DataProblemKind::YearMismatch { .. }
        ));
    }

    #[test]
    fn rows_keyed_without_codes_give_the_same_batch_and_bad_rows_as_named_ones() {
        let program = program();
        let data = vec![
            illustrative::sample_commune("A", 2022),
            illustrative::sample_commune("B", 2022).with("17.1", Value::Number(Decimal::from(150))),
            illustrative::sample_commune("C", 2021),
            illustrative::sample_commune("D", 2022),
        ];
        let (named, named_errors) = Columns::from_data(&program, &data).0.finish();
        let (rows, row_errors) = Columns::from_data_rows(&program, &data).finish();
        assert_eq!(rows.len(), named.len());
        assert_eq!(rows.indices(), named.indices());
        assert_eq!(rows.indices(), &[0, 3]);
        assert_eq!(rows.keys, named.keys);
        assert!(rows.units().is_empty());
        // One error per bad row, with the same problems.
        assert_eq!(row_errors.len(), named_errors.len());
        for (r, n) in row_errors.iter().zip(&named_errors) {
            assert_eq!(r.problems, n.problems);
        }
        let (mut a, mut b) = (CriteriaMasks::new(), CriteriaMasks::new());
        program.masks_batch(&rows, &mut a).unwrap();
        program.masks_batch(&named, &mut b).unwrap();
        for u in 0..rows.len() {
            assert_eq!(a.met(u), b.met(u));
        }
    }

    /// A decimal of any scale, sign and mantissa width (up to 96 bits), mostly near
    /// the illustrative thresholds and the 0-100 range.
    fn decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        prop_oneof![
            (-2_000i64..12_000, 0u32..=3).prop_map(|(m, e)| Decimal::new(m, e)),
            (any::<i64>(), 0u32..=28).prop_map(|(m, e)| Decimal::new(m, e)),
            (any::<(u32, u32, u32)>(), any::<bool>(), 0u32..=28)
                .prop_map(|((lo, mid, hi), neg, e)| Decimal::from_parts(lo, mid, hi, neg, e)),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Number columns keyed value by value from mantissa and scale give every unit
        /// the keys and the errors `Program::bind` gives it.
        #[test]
        fn number_columns_key_and_report_as_bind_does(
            values in proptest::collection::vec(
                proptest::collection::vec(proptest::option::weighted(0.9, decimal()), 3),
                0..40,
            )
        ) {
            let program = program();
            // A percentage, a plain decimal and a count.
            let ids = ["3.1", "10.1", "17.3"];
            let n = values.len();
            let mut columns = Columns::new(&program, codes(n));
            for (c, id) in ids.iter().enumerate() {
                let column: Vec<Option<Decimal>> = values.iter().map(|row| row[c]).collect();
                columns.numbers(id, &column).unwrap();
            }
            let (batch, errors) = columns.finish();
            let mut errors = errors.into_iter();
            let mut good = 0;
            for (u, row) in values.iter().enumerate() {
                let mut data = IndicatorData::new(format!("U{u}"), 2022);
                for (id, v) in ids.iter().zip(row) {
                    if let Some(v) = v {
                        data.values.insert(IndicatorId::new(*id), Value::Number(*v));
                    }
                }
                match program.bind(&data) {
                    Ok(bound) => {
                        proptest::prop_assert_eq!(batch.indices().get(good), Some(&u));
                        for (j, key) in bound.keys.iter().enumerate() {
                            proptest::prop_assert_eq!(
                                batch.keys.get(j * batch.len() + good),
                                Some(key)
                            );
                        }
                        good += 1;
                    }
                    // The same problems; the columns list a unit's problems in the
                    // order the columns were given, bind in the order of the ids.
                    Err(e) => {
                        let by_id = |e: Option<DataError>| e.map(|mut e| {
                            e.problems.sort_by(|a, b| a.indicator.cmp(&b.indicator));
                            e
                        });
                        proptest::prop_assert_eq!(by_id(errors.next()), by_id(Some(e)));
                    }
                }
            }
            proptest::prop_assert_eq!(good, batch.len());
            proptest::prop_assert_eq!(errors.next(), None);
        }
    }
}
