//! The compiled form of a criteria set: slots (one per indicator, criteria first, then
//! preconditions), criteria as slot ranges, the integer tests and encodings of the slots,
//! and the revocation rule. Its fields are private to the engine layer; the policy layer
//! compares two programs through [`Program::resolved_thresholds`].

use crate::engine::assessment::{Provenance, SchemeTiers, UndeterminedReason};
use crate::engine::keys::{Check, Encoding, Group, Test};
use crate::engine::profile_fields::ProfileField;
use crate::model::fast_hash::HashMap;
use crate::model::{
    CriterionId, IndicatorId, Level, PassRule, Profile, Requirement, RevocationRule, SetId,
    Threshold, TierId,
};
use rust_decimal::Decimal;
use std::sync::Arc;

/// A criteria set compiled for one profile and year. Build it with [`compile`](crate::engine::compile).
///
/// Cloning is cheap: the compiled tables are shared (`Arc`), so programs of profiles that
/// resolve to the same thresholds share them (see [`Evaluator`](crate::engine::Evaluator)).
#[derive(Debug, Clone)]
pub struct Program {
    pub(super) set: SetId,
    pub(super) scheme: Arc<SchemeTiers>,
    pub(super) level: Level,
    pub(super) tier: TierId,
    pub(super) year: u16,
    pub(super) profile: Profile,
    /// Criteria indicators first (criterion by criterion), then preconditions.
    pub(super) slots: Arc<[Slot]>,
    pub(super) criteria: Arc<[CompiledCriterion]>,
    /// Index of the first precondition slot.
    pub(super) first_precondition: usize,
    pub(super) lookup: Arc<HashMap<IndicatorId, usize>>,
    /// Slot indices sorted by indicator id, for a merge join with the sorted values of
    /// [`IndicatorData`](crate::model::IndicatorData).
    pub(super) by_id: Arc<[(IndicatorId, usize)]>,
    /// The indicator id of each slot, in slot order: with the set id, the identity of
    /// the layout that bound data carries, so that data bound for another set (or
    /// another version of it) is refused rather than read as missing.
    pub(super) layout: Arc<[IndicatorId]>,
    /// The fields of the profile that rows of the set are keyed on and the profile
    /// (after the profile rules) lacks.
    pub(super) profile_lacks: Vec<ProfileField>,
    /// How each slot's values become integer keys (see [`Encoding`]); shared with the
    /// data bound by this program, which is how `totals` recognises its own keys.
    pub(super) encodings: Arc<[Encoding]>,
    /// Each slot's integer test, in slot order.
    pub(super) tests: Arc<[Test]>,
    /// Criteria as slot ranges with their pass-rule need, in order; the preconditions
    /// are [`Program::precondition_group`].
    pub(super) groups: Arc<[Group]>,
    /// The preconditions as one group that needs all of its slots.
    pub(super) precondition_group: Group,
    pub(super) revocation: Option<Arc<RevocationRule>>,
    pub(super) requires_held: Option<TierId>,
}

#[derive(Debug, Clone)]
pub(super) struct CompiledCriterion {
    pub(super) id: CriterionId,
    pub(super) pass: PassRule,
    pub(super) start: usize,
    pub(super) end: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub(super) id: IndicatorId,
    pub(super) kind: SlotKind,
    pub(super) requirement: Requirement,
    pub(super) allow_not_applicable: bool,
    pub(super) check: Check,
    pub(super) provenance: Option<Arc<Provenance>>,
}

#[derive(Debug, Clone)]
pub(super) enum SlotKind {
    Decimal { percent: bool },
    Count,
    YesNo,
    Grade(Arc<[String]>),
}

impl Program {
    /// The set this program was compiled from.
    pub fn set_id(&self) -> &SetId {
        &self.set
    }

    /// The year the thresholds were resolved for.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The profile used for thresholds, after the set's profile rules.
    pub fn effective_profile(&self) -> &Profile {
        &self.profile
    }

    /// This program for another unit profile whose thresholds resolve alike (same region
    /// and group after the profile rules, statuses that no row or rule tells apart):
    /// the compiled tables are shared, only the effective profile reported in
    /// assessments is the unit's own (its statuses, with this program's region and
    /// group).
    pub(crate) fn for_statuses(&self, profile: &Profile) -> Program {
        let mut p = self.clone();
        p.profile.statuses.clone_from(&profile.statuses);
        p
    }

    /// The tier the set recognises.
    pub fn tier(&self) -> &TierId {
        &self.tier
    }

    /// The level the set applies to.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Number of criteria.
    pub fn criteria_count(&self) -> usize {
        self.criteria.len()
    }

    /// The fields of the profile (after the set's profile rules) that threshold rows of
    /// the set are keyed on and the profile lacks: a profile without a region read
    /// against region-keyed rows. The indicators keyed on them are undetermined with
    /// [`UndeterminedReason::ProfileIncomplete`]. Empty when the profile is complete
    /// for the set.
    pub fn profile_lacks(&self) -> &[ProfileField] {
        &self.profile_lacks
    }

    /// Ids of the indicators whose threshold is not known for this profile and year
    /// (unknown, delegated to the province, or no row), with the reason.
    pub fn undetermined_thresholds(
        &self,
    ) -> impl Iterator<Item = (&IndicatorId, UndeterminedReason)> + '_ {
        self.slots.iter().filter_map(|s| match s.check {
            Check::Undetermined(r) => Some((&s.id, r)),
            _ => None,
        })
    }
}

/// A threshold as one program resolved it, for comparing the programs of two tiers
/// (see `policy::validate_tiers`) without reading their internals.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolved<'a> {
    /// The indicator.
    pub(crate) id: &'a IndicatorId,
    /// How values are compared.
    pub(crate) requirement: Requirement,
    /// The threshold as an ordered value; `None` when undetermined or not ordered
    /// (yes/no, grade lists).
    pub(crate) value: Option<Ordered>,
    /// The threshold as written in its row, when a row applies.
    pub(crate) written: Option<&'a Threshold>,
}

/// An ordered threshold value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ordered {
    /// A number.
    Number(Decimal),
    /// A grade, by its rank in the indicator's list.
    Rank(u32),
}

impl Program {
    /// An identity of the compiled tables: programs with the same one key values alike
    /// (they share their encodings), so their batches can be read by either.
    pub(crate) fn table_id(&self) -> usize {
        Arc::as_ptr(&self.encodings).cast::<()>() as usize
    }

    /// The ids of the criteria, in order.
    pub(crate) fn criteria_ids(&self) -> Vec<CriterionId> {
        self.criteria.iter().map(|c| c.id.clone()).collect()
    }

    /// The tiers of the set's scheme, lowest first.
    pub(crate) fn scheme_tiers(&self) -> &[TierId] {
        &self.scheme.tiers
    }

    /// Every slot's resolved threshold, in slot order.
    pub(crate) fn resolved_thresholds(&self) -> impl Iterator<Item = Resolved<'_>> + '_ {
        self.slots.iter().map(resolved)
    }

    /// The resolved threshold of one indicator.
    pub(crate) fn resolved_threshold(&self, id: &str) -> Option<Resolved<'_>> {
        let &i = self.lookup.get(id)?;
        self.slots.get(i).map(resolved)
    }
}

fn resolved(slot: &Slot) -> Resolved<'_> {
    Resolved {
        id: &slot.id,
        requirement: slot.requirement,
        value: match slot.check {
            Check::Number(d) => Some(Ordered::Number(d)),
            Check::Grade(g) => Some(Ordered::Rank(g)),
            _ => None,
        },
        written: slot.provenance.as_deref().map(|p| &p.threshold),
    }
}
