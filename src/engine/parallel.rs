//! Parallel batches (feature `rayon`): [`Program::masks_batch_par`] and
//! [`Program::totals_batch_par`] run the block loops of the sequential kernels over
//! chunks of units on rayon's global thread pool, and [`Columns::in_parallel`] keys
//! columns in chunks of units. Each chunk writes its own units' slots, so the results
//! are those of one thread, in the same order.
//!
//! [`Columns::in_parallel`]: crate::engine::Columns::in_parallel

use crate::engine::assessment::{Outcome, Totals};
use crate::engine::bind::{BindingMismatch, BoundBatch, DataProblem};
use crate::engine::keys::BLOCK;
use crate::engine::masks::CriteriaMasks;
use crate::engine::program::Program;
use rayon::prelude::*;

/// Fewest values of a column keyed by one task: below it, waking the pool costs more
/// than keying (a column of 10,000 numbers keys in about 40 µs).
const MIN_KEY_CHUNK: usize = 16_384;

/// Fewest units of a mask or totals task.
const MIN_BATCH_CHUNK: usize = 4 * BLOCK;

/// Units per task for `n` units: about four tasks per thread, at least `min`, a whole
/// number of blocks.
fn chunk_len(n: usize, min: usize) -> usize {
    let tasks = rayon::current_num_threads().saturating_mul(4).max(1);
    n.div_ceil(tasks)
        .max(min)
        .div_ceil(BLOCK)
        .saturating_mul(BLOCK)
}

/// [`Columns`](crate::engine::Columns)' keying of one column in chunks of units: `key`
/// keys the values of a chunk (given the row of its first) and lists its problems,
/// which are appended in row order.
pub(super) fn key_rows<T: Sync>(
    column: &mut [i32],
    values: &[T],
    problems: &mut Vec<(usize, DataProblem)>,
    key: impl Fn(usize, &mut [i32], &[T], &mut Vec<(usize, DataProblem)>) + Sync,
) {
    let chunk = chunk_len(values.len(), MIN_KEY_CHUNK);
    if values.len() <= chunk {
        return key(0, column, values, problems);
    }
    let found: Vec<Vec<(usize, DataProblem)>> = column
        .par_chunks_mut(chunk)
        .zip(values.par_chunks(chunk))
        .enumerate()
        .map(|(i, (column, values))| {
            let mut found = Vec::new();
            key(i.saturating_mul(chunk), column, values, &mut found);
            found
        })
        .collect();
    for f in found {
        problems.extend(f);
    }
}

impl Program {
    /// [`Program::masks_batch`] with the units split into chunks across the threads of
    /// rayon's global pool (feature `rayon`): the same masks and outcomes, unit for
    /// unit. A set whose groups are too large for the block loop is evaluated one unit
    /// at a time, on one thread, as [`Program::masks_batch`] does.
    ///
    /// # Errors
    ///
    /// As [`Program::masks_batch`].
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::compile;
    /// use ntm_rules::engine::CriteriaMasks;
    /// use ntm_rules::model::{Profile, Region};
    /// use ntm_rules::policy::illustrative;
    ///
    /// let program = compile(
    ///     &illustrative::commune_standard(),
    ///     &Profile::in_region(Region::Tdmnpb),
    ///     2022,
    /// )?;
    /// let units: Vec<_> = (0..3000)
    ///     .map(|i| illustrative::sample_commune(&format!("{i:05}"), 2022))
    ///     .collect();
    /// let (batch, _) = program.bind_batch(&units);
    /// let (mut one, mut many) = (CriteriaMasks::new(), CriteriaMasks::new());
    /// program.masks_batch(&batch, &mut one)?;
    /// program.masks_batch_par(&batch, &mut many)?;
    /// assert_eq!(one, many);
    /// # Ok::<(), ntm_rules::Error>(())
    /// ```
    pub fn masks_batch_par(
        &self,
        batch: &BoundBatch,
        out: &mut CriteriaMasks,
    ) -> Result<(), BindingMismatch> {
        out.reset(0, 0);
        self.check_batch(batch)?;
        let n = batch.len();
        out.reset(self.groups.len(), n);
        if !self.packs_every_group() {
            self.masks_unit_by_unit(batch, out);
            return Ok(());
        }
        let chunk = chunk_len(n, MIN_BATCH_CHUNK);
        let (words, met, undetermined, outcomes) = out.parts_mut();
        if words == 0 || n <= chunk {
            // No criteria (only the preconditions' outcome), or one task: one thread.
            self.masks_blocks(batch, 0, words, met, undetermined, outcomes);
            return Ok(());
        }
        let size = chunk.saturating_mul(words);
        met.par_chunks_mut(size)
            .zip(undetermined.par_chunks_mut(size))
            .zip(outcomes.par_chunks_mut(chunk))
            .enumerate()
            .for_each(|(i, ((met, undetermined), outcomes))| {
                let first = i.saturating_mul(chunk);
                self.masks_blocks(batch, first, words, met, undetermined, outcomes);
            });
        Ok(())
    }

    /// [`Program::totals_batch`] with the units split into chunks across the threads of
    /// rayon's global pool (feature `rayon`): the same figures, unit for unit. A set
    /// whose groups are too large for the block loop is evaluated one unit at a time,
    /// on one thread, as [`Program::totals_batch`] does.
    ///
    /// # Errors
    ///
    /// As [`Program::totals_batch`].
    pub fn totals_batch_par(
        &self,
        batch: &BoundBatch,
        out: &mut Vec<(Totals, Outcome)>,
    ) -> Result<(), BindingMismatch> {
        if !self.packs_every_group() {
            return self.totals_batch(batch, out);
        }
        out.clear();
        self.check_batch(batch)?;
        let n = batch.len();
        out.resize(n, (Totals::default(), Outcome::Met));
        let chunk = chunk_len(n, MIN_BATCH_CHUNK);
        out.par_chunks_mut(chunk)
            .enumerate()
            .for_each(|(i, out)| self.totals_blocks(batch, i.saturating_mul(chunk), out));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{compile, Columns, CriteriaMasks, Program};
    use crate::model::{IndicatorData, IndicatorId, Profile, Region, UnitCode, Value};
    use crate::policy::illustrative;
    use rust_decimal::Decimal;

    fn program() -> Program {
        let set = illustrative::commune_standard();
        compile(&set, &Profile::in_region(Region::Tdmnpb), 2022).unwrap()
    }

    /// `n` communes with values varied by a small generator: some missing, some below
    /// the thresholds.
    fn communes(n: usize) -> Vec<IndicatorData> {
        let mut x = 7u64;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        (0..n)
            .map(|i| {
                let mut d = illustrative::sample_commune(&format!("{i:05}"), 2022);
                for id in ["3.1", "11.1", "17.1", "P.2"] {
                    match next(4) {
                        0 => {
                            d.values.remove(&IndicatorId::new(id));
                        }
                        _ => {
                            let v = Decimal::new(next(1001) as i64, 1);
                            d.values.insert(IndicatorId::new(id), Value::Number(v));
                        }
                    }
                }
                d.values.insert(
                    IndicatorId::new("10.1"),
                    Value::Number(Decimal::new(next(900) as i64, 1)),
                );
                d
            })
            .collect()
    }

    #[test]
    fn parallel_masks_and_totals_equal_the_sequential_ones() {
        let program = program();
        for n in [0, 1, 255, 256, 257, 5_000, 12_345] {
            let (batch, errors) = program.bind_batch(&communes(n));
            assert!(errors.is_empty());
            let (mut one, mut many) = (CriteriaMasks::new(), CriteriaMasks::new());
            program.masks_batch(&batch, &mut one).unwrap();
            program.masks_batch_par(&batch, &mut many).unwrap();
            assert_eq!(one.len(), n);
            assert_eq!(one, many);
            let (mut one, mut many) = (Vec::new(), Vec::new());
            program.totals_batch(&batch, &mut one).unwrap();
            program.totals_batch_par(&batch, &mut many).unwrap();
            assert_eq!(one.len(), n);
            assert_eq!(one, many);
            if n > 1000 {
                assert!(one.iter().any(|(t, _)| t.not_met > 0));
                assert!(one.iter().any(|(t, _)| t.undetermined > 0));
            }
        }
    }

    #[test]
    fn parallel_masks_refuse_a_batch_of_another_program() {
        let program = program();
        let other = compile(
            &illustrative::commune_advanced(),
            &Profile::in_region(Region::Tdmnpb),
            2022,
        )
        .unwrap();
        let (batch, _) = other.bind_batch(&[illustrative::sample_commune("A", 2022)]);
        let mut masks = CriteriaMasks::new();
        assert!(program.masks_batch_par(&batch, &mut masks).is_err());
        assert!(masks.is_empty());
        let mut totals = Vec::new();
        assert!(program.totals_batch_par(&batch, &mut totals).is_err());
        assert!(totals.is_empty());
    }

    #[test]
    fn columns_keyed_in_parallel_give_the_same_batch_and_errors() {
        let program = program();
        let n = 20_000;
        let codes: Vec<UnitCode> = (0..n).map(|i| UnitCode::new(format!("U{i}"))).collect();
        // Percentages, some above 100 or negative; counts, some fractional.
        let percent: Vec<Option<Decimal>> = (0..n)
            .map(|i| match i % 997 {
                0 => Some(Decimal::new(1001, 1)),
                1 => Some(Decimal::new(-5, 2)),
                2 => None,
                _ => Some(Decimal::new((i % 1000) as i64, 1)),
            })
            .collect();
        let count: Vec<Option<Decimal>> = (0..n)
            .map(|i| match i % 1499 {
                0 => Some(Decimal::new(15, 1)),
                _ => Some(Decimal::from(i % 4)),
            })
            .collect();
        let flags: Vec<Option<bool>> = (0..n).map(|i| (i % 5 != 0).then_some(i % 3 != 0)).collect();
        let values: Vec<Option<Value>> = (0..n)
            .map(|i| match i % 2003 {
                0 => Some(Value::Flag(true)),
                _ => Some(Value::Number(Decimal::new((i % 900) as i64, 0))),
            })
            .collect();
        let fill = |columns: Columns| {
            let mut columns = columns;
            columns.numbers("3.1", &percent).unwrap();
            columns.numbers("17.3", &count).unwrap();
            columns.flags("1.1", &flags).unwrap();
            columns.values("10.1", &values).unwrap();
            columns.finish()
        };
        let (one, one_errors) = fill(Columns::new(&program, codes.clone()));
        let (many, many_errors) = fill(Columns::new(&program, codes).in_parallel());
        assert!(one_errors.len() > 40);
        assert_eq!(one_errors, many_errors);
        assert_eq!(one.indices(), many.indices());
        assert_eq!(one.units(), many.units());
        assert_eq!(one.keys, many.keys);
    }
}
