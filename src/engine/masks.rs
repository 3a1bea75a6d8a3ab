//! Which criteria each unit of a batch meets, as bitmasks: [`Program::masks_batch`]
//! writes, per unit, the met and the undetermined criteria (one bit per criterion, in
//! the set's order) from the same block loop and integer keys as
//! [`Program::totals_batch`], into a [`CriteriaMasks`].

use crate::engine::assessment::{Outcome, Totals};
use crate::engine::bind::{BindingMismatch, BoundBatch};
use crate::engine::keys::{outcome_of, packed_code, BLOCK, CODE_MET, CODE_UNDETERMINED};
use crate::engine::program::Program;
use crate::model::CriterionId;

/// Bits in one word of a mask.
const WORD: usize = u64::BITS as usize;

/// Per-criterion outcomes of the units of a batch, as bitmasks: for each unit, the
/// criteria met and the criteria undetermined, one bit per criterion in the set's
/// order (criterion `c` is bit `c % 64` of word `c / 64`), and the set's outcome. A
/// criterion in neither mask is not met. Sets of up to 64 criteria (every national
/// set) take one word per unit and mask.
///
/// Filled by [`Program::masks_batch`]; reused across batches without reallocating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CriteriaMasks {
    criteria: usize,
    words: usize,
    met: Vec<u64>,
    undetermined: Vec<u64>,
    outcomes: Vec<Outcome>,
}

impl CriteriaMasks {
    /// An empty result, to be filled by [`Program::masks_batch`].
    pub fn new() -> CriteriaMasks {
        CriteriaMasks::default()
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    /// Number of criteria of the set (bits in use per mask).
    pub fn criteria(&self) -> usize {
        self.criteria
    }

    /// Words per unit and mask: `criteria().div_ceil(64)`.
    pub fn words(&self) -> usize {
        self.words
    }

    /// The criteria met by the unit at `unit` (its position in the batch).
    pub fn met(&self, unit: usize) -> Option<&[u64]> {
        self.words_of(&self.met, unit)
    }

    /// The criteria undetermined for the unit at `unit`.
    pub fn undetermined(&self, unit: usize) -> Option<&[u64]> {
        self.words_of(&self.undetermined, unit)
    }

    /// The set's outcome for the unit at `unit`, preconditions included (as
    /// [`Program::totals`] gives it).
    pub fn outcome(&self, unit: usize) -> Option<Outcome> {
        self.outcomes.get(unit).copied()
    }

    /// The outcome of criterion `criterion` (its position in the set) for the unit at
    /// `unit`.
    pub fn criterion(&self, unit: usize, criterion: usize) -> Option<Outcome> {
        if criterion >= self.criteria {
            return None;
        }
        let bit = 1u64 << (criterion % WORD);
        let word = |mask: &[u64]| mask.get(criterion / WORD).is_some_and(|w| w & bit != 0);
        if word(self.met(unit)?) {
            Some(Outcome::Met)
        } else if word(self.undetermined(unit)?) {
            Some(Outcome::Undetermined)
        } else {
            Some(Outcome::NotMet)
        }
    }

    /// The unit's criteria counts, as popcounts of its masks (equal to what
    /// [`Program::totals_batch`] gives).
    pub fn totals(&self, unit: usize) -> Option<Totals> {
        let count = |mask: &[u64]| mask.iter().map(|w| w.count_ones()).sum::<u32>();
        let met = count(self.met(unit)?);
        let undetermined = count(self.undetermined(unit)?);
        // The counts are of distinct criteria, so they add up to at most `criteria`.
        let criteria = u32::try_from(self.criteria).unwrap_or(u32::MAX);
        Some(Totals {
            criteria,
            met,
            undetermined,
            not_met: criteria.saturating_sub(met).saturating_sub(undetermined),
        })
    }

    /// How many criteria of the unit at `unit` have `outcome`, among those of `within`
    /// (a mask from [`Program::criteria_mask`], for example a revocation rule's key
    /// criteria) or among all: popcounts, no allocation. With the set's criteria count,
    /// what [`RevocationRule::applies`](crate::model::RevocationRule::applies) reads:
    /// the criteria not met, and whether a key criterion is among them.
    pub fn count(&self, unit: usize, outcome: Outcome, within: Option<&[u64]>) -> Option<u32> {
        let met = self.met(unit)?;
        let undetermined = self.undetermined(unit)?;
        let criteria = self.criteria;
        let mut n = 0u32;
        for (w, (&m, &u)) in met.iter().zip(undetermined).enumerate() {
            let used = criteria.saturating_sub(w.saturating_mul(WORD)).min(WORD);
            let all = if used == WORD {
                !0u64
            } else {
                (1u64 << used) - 1
            };
            let bits = match outcome {
                Outcome::Met => m,
                Outcome::Undetermined => u,
                Outcome::NotMet => all & !m & !u,
            };
            let filter = match within {
                Some(mask) => mask.get(w).copied().unwrap_or(0),
                None => !0u64,
            };
            n = n.wrapping_add((bits & filter).count_ones());
        }
        Some(n)
    }

    /// Words per unit and mask, the masks and the outcomes, to be written in place.
    #[cfg(feature = "rayon")]
    pub(super) fn parts_mut(&mut self) -> (usize, &mut [u64], &mut [u64], &mut [Outcome]) {
        (
            self.words,
            &mut self.met,
            &mut self.undetermined,
            &mut self.outcomes,
        )
    }

    /// Empties the result.
    pub(crate) fn clear(&mut self) {
        self.reset(0, 0);
    }

    fn words_of<'a>(&self, mask: &'a [u64], unit: usize) -> Option<&'a [u64]> {
        if unit >= self.len() {
            return None;
        }
        let start = unit.checked_mul(self.words)?;
        mask.get(start..start.checked_add(self.words)?)
    }

    /// Empties the result and sizes it for `units` units of `criteria` criteria, every
    /// mask zero and every outcome met (the identity of "worst of").
    pub(super) fn reset(&mut self, criteria: usize, units: usize) {
        self.criteria = criteria;
        self.words = criteria.div_ceil(WORD);
        let len = units.saturating_mul(self.words);
        for mask in [&mut self.met, &mut self.undetermined] {
            mask.clear();
            mask.resize(len, 0);
        }
        self.outcomes.clear();
        self.outcomes.resize(units, Outcome::Met);
    }
}

impl Program {
    /// The mask of the named criteria, as [`CriteriaMasks`] lays them out (criterion `c`
    /// of the set is bit `c % 64` of word `c / 64`): for example a revocation rule's
    /// key criteria, for [`CriteriaMasks::count`]. `None` when an id is not a criterion
    /// of the set.
    pub fn criteria_mask(&self, ids: &[CriterionId]) -> Option<Vec<u64>> {
        let mut mask = vec![0u64; self.criteria.len().div_ceil(WORD)];
        for id in ids {
            let c = self.criteria.iter().position(|k| &k.id == id)?;
            *mask.get_mut(c / WORD)? |= 1u64 << (c % WORD);
        }
        Some(mask)
    }

    /// Per-criterion outcomes of every unit of a batch, in the batch's order: fills `out`
    /// with each unit's met and undetermined criteria as bitmasks and the set's outcome,
    /// equal to what [`Program::assess`] gives for the unit bound alone (criterion by
    /// criterion) and to [`Program::totals_batch`] (counts and outcome).
    ///
    /// The same exact integer keys and the same block loop as
    /// [`Program::totals_batch`]: per block of units, each criterion's packed tally
    /// becomes a bit, with the block's masks on the stack; no allocation once `out` has
    /// held a batch as large.
    ///
    /// # Errors
    ///
    /// A [`BindingMismatch`] (and `out` left empty) when the batch was bound by a
    /// program of another set, or of the same set with other thresholds.
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::compile;
    /// use ntm_rules::engine::CriteriaMasks;
    /// use ntm_rules::model::{Profile, Region};
    /// use ntm_rules::policy::illustrative;
    ///
    /// let set = illustrative::commune_standard();
    /// let program = compile(&set, &Profile::in_region(Region::Tdmnpb), 2022)?;
    /// let units: Vec<_> = (0..1000)
    ///     .map(|i| illustrative::sample_commune(&format!("{i:05}"), 2022))
    ///     .collect();
    /// let (batch, errors) = program.bind_batch(&units);
    /// assert!(errors.is_empty());
    /// let mut masks = CriteriaMasks::new();
    /// program.masks_batch(&batch, &mut masks)?;
    /// // Every sample commune meets the same five criteria.
    /// let first = masks.met(0).unwrap()[0];
    /// assert_eq!(first.count_ones(), 5);
    /// assert!((0..masks.len()).all(|u| masks.met(u) == Some(&[first][..])));
    /// let one = program.assess(&program.bind(&units[0])?)?;
    /// for (c, criterion) in one.criteria.iter().enumerate() {
    ///     assert_eq!(masks.criterion(0, c), Some(criterion.outcome));
    /// }
    /// # Ok::<(), ntm_rules::Error>(())
    /// ```
    pub fn masks_batch(
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
        let words = out.words;
        self.masks_blocks(
            batch,
            0,
            words,
            &mut out.met,
            &mut out.undetermined,
            &mut out.outcomes,
        );
        Ok(())
    }

    /// The block loop of [`Program::masks_batch`] over the units `first..first +
    /// outcomes.len()` of the batch, writing their masks (`words` per unit and mask)
    /// and outcomes into the slices given, which start at unit `first`.
    pub(super) fn masks_blocks(
        &self,
        batch: &BoundBatch,
        first: usize,
        words: usize,
        out_met: &mut [u64],
        out_undetermined: &mut [u64],
        outcomes: &mut [Outcome],
    ) {
        let n = outcomes.len();
        let pre = &self.precondition_group;
        let pre_len = pre.end.saturating_sub(pre.start) as u32;
        let mut tally = [0u32; BLOCK];
        let mut base = 0;
        while base < n {
            let width = BLOCK.min(n - base);
            let at = first.saturating_add(base);
            let mut worst = [CODE_MET; BLOCK];
            for (w, chunk) in self.groups.chunks(WORD).enumerate() {
                let mut met = [0u64; BLOCK];
                let mut undetermined = [0u64; BLOCK];
                for (bit, g) in chunk.iter().enumerate() {
                    self.block_tally(g, batch, at, width, &mut tally);
                    let len = g.end.saturating_sub(g.start) as u32;
                    for ((a, x), (m, u)) in tally
                        .iter_mut()
                        .zip(worst.iter_mut())
                        .zip(met.iter_mut().zip(undetermined.iter_mut()))
                    {
                        let code = packed_code(g.need, len, *a);
                        *a = 0;
                        *m |= u64::from(code == CODE_MET) << bit;
                        *u |= u64::from(code == CODE_UNDETERMINED) << bit;
                        *x = (*x).max(code);
                    }
                }
                // The block's word `w` of every unit: unit `base + i` (of the slices)
                // at `(base + i) * words + w`.
                let start = base.saturating_mul(words).saturating_add(w);
                for (dst, src) in out_met
                    .iter_mut()
                    .skip(start)
                    .step_by(words)
                    .zip(&met)
                    .take(width)
                {
                    *dst = *src;
                }
                for (dst, src) in out_undetermined
                    .iter_mut()
                    .skip(start)
                    .step_by(words)
                    .zip(&undetermined)
                    .take(width)
                {
                    *dst = *src;
                }
            }
            self.block_tally(pre, batch, at, width, &mut tally);
            for ((dst, a), x) in outcomes
                .iter_mut()
                .skip(base)
                .zip(tally.iter_mut())
                .zip(&worst)
                .take(width)
            {
                *dst = outcome_of((*x).max(packed_code(pre.need, pre_len, *a)));
                *a = 0;
            }
            base += width;
        }
    }

    /// [`Program::masks_batch`] one unit at a time, for groups too large for a packed
    /// tally.
    pub(super) fn masks_unit_by_unit(&self, batch: &BoundBatch, out: &mut CriteriaMasks) {
        let words = out.words;
        let mut keys = Vec::with_capacity(self.slots.len());
        for u in 0..batch.len() {
            self.unit_keys(batch, u, &mut keys);
            let mut worst = self.unit_group_code(&self.precondition_group, &keys);
            let start = u.saturating_mul(words);
            for (c, g) in self.groups.iter().enumerate() {
                let code = self.unit_group_code(g, &keys);
                worst = worst.max(code);
                let bit = 1u64 << (c % WORD);
                let at = start.saturating_add(c / WORD);
                if code == CODE_MET {
                    if let Some(word) = out.met.get_mut(at) {
                        *word |= bit;
                    }
                } else if code == CODE_UNDETERMINED {
                    if let Some(word) = out.undetermined.get_mut(at) {
                        *word |= bit;
                    }
                }
            }
            if let Some(o) = out.outcomes.get_mut(u) {
                *o = outcome_of(worst);
            }
        }
    }
}
