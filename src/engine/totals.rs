//! Criteria counts without the explanation: [`Program::totals`] for one unit and
//! [`Program::totals_batch`] for a column-shaped batch, on the integer keys of `keys.rs`.

use crate::engine::assessment::{Outcome, Totals};
use crate::engine::bind::{BindingMismatch, BoundBatch, BoundData};
use crate::engine::keys::{
    contribution, group_code, outcome_of, packed_code, tally, Group, BLOCK, CODE_MET, CODE_NOT_MET,
    CODE_UNDETERMINED, MAX_PACKED,
};
use crate::engine::program::Program;
use std::sync::Arc;

impl Program {
    /// Criteria counts and the set's outcome only, without building the explanation:
    /// the fast path for batch statistics. Agrees with [`Program::assess`].
    ///
    /// Compares the integer keys made at bind time with integer thresholds: no decimal
    /// arithmetic and no allocation (unless the data was bound by a program of the same
    /// set with other thresholds, whose values are re-keyed).
    ///
    /// # Errors
    ///
    /// A [`BindingMismatch`] when the data was bound by a program of another set (or
    /// another version of the set).
    pub fn totals(&self, data: &BoundData) -> Result<(Totals, Outcome), BindingMismatch> {
        Ok(self.totals_of_keys(&self.keys_of(data)?))
    }

    /// The outcome code of one group for one unit's keys (one per slot).
    #[inline(always)]
    pub(super) fn unit_group_code(&self, g: &Group, keys: &[i32]) -> u8 {
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
        for g in self.groups.iter() {
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
    /// block on the stack: no allocation besides `out`.
    ///
    /// # Errors
    ///
    /// A [`BindingMismatch`] (and `out` left empty) when the batch was bound by a
    /// program of another set, or of the same set with other thresholds (a batch keeps
    /// only the keys, so it cannot be re-keyed).
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::compile;
    /// use ntm_rules::policy::illustrative;
    /// use ntm_rules::model::{Profile, Region};
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
    /// program.totals_batch(&batch, &mut results)?;
    /// let met: u32 = results.iter().map(|(totals, _)| totals.met).sum();
    /// assert_eq!(met, 5 * 1000);
    /// # Ok::<(), ntm_rules::Error>(())
    /// ```
    pub fn totals_batch(
        &self,
        batch: &BoundBatch,
        out: &mut Vec<(Totals, Outcome)>,
    ) -> Result<(), BindingMismatch> {
        out.clear();
        self.check_batch(batch)?;
        let n = batch.len();
        let slots = self.slots.len();
        out.reserve(n);
        if !self.packs_every_group() {
            // Groups too large for a packed tally: one unit at a time.
            let mut keys = Vec::with_capacity(slots);
            for u in 0..n {
                self.unit_keys(batch, u, &mut keys);
                out.push(self.totals_of_keys(&keys));
            }
            return Ok(());
        }
        out.resize(n, (Totals::default(), Outcome::Met));
        self.totals_blocks(batch, 0, out);
        Ok(())
    }

    /// The block loop of [`Program::totals_batch`] over the units `first..first +
    /// out.len()` of the batch, writing their figures into `out`.
    pub(super) fn totals_blocks(
        &self,
        batch: &BoundBatch,
        first: usize,
        out: &mut [(Totals, Outcome)],
    ) {
        let n = out.len();
        let criteria = self.groups.len() as u32;
        let mut base = 0;
        while base < n {
            let width = BLOCK.min(n - base);
            let at = first.saturating_add(base);
            let mut met = [0u32; BLOCK];
            let mut not_met = [0u32; BLOCK];
            let mut undetermined = [0u32; BLOCK];
            let mut worst = [CODE_MET; BLOCK];
            let mut tally = [0u32; BLOCK];
            for g in self.groups.iter() {
                self.block_tally(g, batch, at, width, &mut tally);
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
            self.block_tally(pre, batch, at, width, &mut tally);
            let len = pre.end.saturating_sub(pre.start) as u32;
            let figures = tally
                .iter()
                .zip(&worst)
                .zip(met.iter().zip(undetermined.iter().zip(&not_met)))
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
                });
            for (dst, f) in out.iter_mut().skip(base).zip(figures).take(width) {
                *dst = f;
            }
            base += width;
        }
    }

    /// Checks that `batch` was bound by this program (or one of the same set, layout and
    /// thresholds) and holds one key per slot and unit.
    pub(super) fn check_batch(&self, batch: &BoundBatch) -> Result<(), BindingMismatch> {
        if !Arc::ptr_eq(&batch.encodings, &self.encodings) {
            self.check_layout(&batch.set, &batch.layout)?;
            if batch.encodings != self.encodings {
                return Err(BindingMismatch::OtherThresholds {
                    set: self.set.clone(),
                });
            }
        }
        if batch.keys.len() != batch.len().saturating_mul(self.slots.len()) {
            // INVARIANT: bind_batch makes one key per slot and unit.
            return Err(BindingMismatch::OtherSet {
                bound: batch.set.clone(),
                program: self.set.clone(),
            });
        }
        Ok(())
    }

    /// Whether every group (preconditions included) is small enough for a packed tally.
    pub(super) fn packs_every_group(&self) -> bool {
        self.groups
            .iter()
            .chain([&self.precondition_group])
            .all(|g| g.end.saturating_sub(g.start) <= MAX_PACKED)
    }

    /// One unit's keys (one per slot) from a batch's columns, into `keys`.
    pub(super) fn unit_keys(&self, batch: &BoundBatch, unit: usize, keys: &mut Vec<i32>) {
        let n = batch.len();
        keys.clear();
        if n > 0 {
            keys.extend(batch.keys.iter().skip(unit).step_by(n));
        }
    }

    /// Adds the packed tallies of one group for the units `base..base + width` of a
    /// batch to `tally`.
    #[inline(always)]
    pub(super) fn block_tally(
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
