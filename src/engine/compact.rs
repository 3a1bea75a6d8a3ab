//! Decisions from bitmasks: [`TierPrograms`] holds the programs of one scheme and level
//! (a tier each, as [`decide`](crate::engine::decide) takes their assessments) with what
//! deciding needs resolved once (tier ranks, the revocation rule's target program, its
//! key criteria as a mask, its conditions as slots), and [`TierPrograms::decide`] gives a
//! unit's [`CompactDecision`] from the [`CriteriaMasks`] of its batches: revocation
//! counts are popcounts over the target set's criteria and key criteria. The verdict and
//! the tiers are those [`decide`](crate::engine::decide) gives for the same unit; the
//! explanation (criteria lists, the clause, the gap) is left to the full path.

use crate::engine::assessment::{IndicatorOutcome, Outcome};
use crate::engine::bind::BoundBatch;
use crate::engine::decide::{ClauseKind, Verdict};
use crate::engine::masks::CriteriaMasks;
use crate::engine::problem::DecideError;
use crate::engine::program::Program;
use crate::model::{RevocationRule, TierId};
use std::sync::Arc;

/// The kind of a [`Verdict`](crate::engine::Verdict), without its explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerdictKind {
    /// Recognised at a tier reached this year.
    Recognise,
    /// Keeps the tier held.
    Maintain,
    /// The tier held is revoked.
    Revoke,
    /// Holds no tier and does not reach the lowest.
    NotYet,
    /// Cannot be decided from the data and thresholds at hand.
    CannotDecide,
}

impl VerdictKind {
    /// The kind of a verdict.
    pub fn of(verdict: &Verdict) -> VerdictKind {
        match verdict {
            Verdict::Recognise { .. } => VerdictKind::Recognise,
            Verdict::Maintain { .. } => VerdictKind::Maintain,
            Verdict::Revoke { .. } => VerdictKind::Revoke,
            Verdict::NotYet { .. } => VerdictKind::NotYet,
            Verdict::CannotDecide { .. } => VerdictKind::CannotDecide,
        }
    }
}

/// A unit's decision as tier ranks (positions in the scheme's tiers, lowest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CompactDecision {
    /// The verdict's kind.
    pub verdict: VerdictKind,
    /// The tier held before the decision.
    pub held: Option<u8>,
    /// The tier held after it (`None`: no tier, or the decision cannot be made).
    pub after: Option<u8>,
    /// The tier the climb stopped at (the tier aimed at of [`VerdictKind::NotYet`]).
    pub stop: Option<u8>,
}

impl CompactDecision {
    /// A decision from its parts (for results decided on the full path).
    pub(crate) fn new(
        verdict: VerdictKind,
        held: Option<u8>,
        after: Option<u8>,
        stop: Option<u8>,
    ) -> CompactDecision {
        CompactDecision {
            verdict,
            held,
            after,
            stop,
        }
    }

    /// The tiers newly reached this year (a [`VerdictKind::Recognise`]), as a range of
    /// ranks.
    pub fn newly(&self) -> std::ops::Range<usize> {
        match (self.verdict, self.after) {
            (VerdictKind::Recognise, Some(a)) => {
                self.held.map_or(0, |h| usize::from(h) + 1)..usize::from(a) + 1
            }
            _ => 0..0,
        }
    }

    /// The tier revoked (a [`VerdictKind::Revoke`]).
    pub fn revoked(&self) -> Option<u8> {
        (self.verdict == VerdictKind::Revoke)
            .then_some(self.held)
            .flatten()
    }
}

/// What deciding needs for a unit holding one tier.
#[derive(Debug, Clone)]
enum Held {
    /// The tier's assessment is not given.
    Missing,
    /// Its set has no revocation rule.
    NoRule,
    /// The revocation rule, read against program `target`.
    Rule {
        rule: Arc<RevocationRule>,
        target: usize,
        keys: Vec<u64>,
        /// The conditions' slots in the target program.
        conditions: Vec<usize>,
    },
    /// The rule cannot be applied: every unit holding the tier fails to decide.
    Fails(DecideError),
}

/// The programs of one scheme and level, a tier each, ready to decide from masks. See
/// the module docs.
#[derive(Debug, Clone)]
pub struct TierPrograms {
    programs: Vec<Program>,
    tiers: Vec<TierId>,
    /// Program index by tier rank.
    by_rank: Vec<Option<usize>>,
    held: Vec<Held>,
    /// Per rank: the rank that must be held before, `Some(usize::MAX)` when that tier
    /// is not of the scheme.
    requires: Vec<Option<usize>>,
    error: Option<DecideError>,
}

impl TierPrograms {
    /// The programs of one scheme and level, in any order (as the assessments given to
    /// [`decide`](crate::engine::decide)).
    pub fn new(programs: Vec<Program>) -> TierPrograms {
        let tiers = programs
            .first()
            .map(|p| p.scheme.tiers.clone())
            .unwrap_or_default();
        let mut by_rank = vec![None; tiers.len()];
        let mut error = programs.is_empty().then_some(DecideError::NoAssessments);
        if let Some(first) = programs.first() {
            for (i, p) in programs.iter().enumerate() {
                let same = p.scheme.id == first.scheme.id && p.level == first.level;
                let rank = tiers.iter().position(|t| t == &p.tier);
                match (same, rank.and_then(|r| by_rank.get_mut(r))) {
                    (true, Some(slot @ None)) => *slot = Some(i),
                    (true, Some(Some(_))) => {
                        error.get_or_insert(DecideError::DuplicateTier {
                            tier: p.tier.clone(),
                        });
                    }
                    _ => {
                        error.get_or_insert(DecideError::MixedAssessments { set: p.set.clone() });
                    }
                }
            }
        }
        let program_at = |r: usize| by_rank.get(r).copied().flatten();
        let held = (0..tiers.len())
            .map(|h| {
                let Some(own) = program_at(h).and_then(|i| programs.get(i)) else {
                    return Held::Missing;
                };
                let Some(rule) = &own.revocation else {
                    return Held::NoRule;
                };
                let target_tier = rule.assess_against.as_ref().unwrap_or(&own.tier);
                let target = tiers
                    .iter()
                    .position(|t| t == target_tier)
                    .and_then(program_at);
                let Some((target, program)) = target.and_then(|i| Some((i, programs.get(i)?)))
                else {
                    return Held::Missing;
                };
                let Some(keys) = program.criteria_mask(&rule.key_criteria) else {
                    let criterion = rule
                        .key_criteria
                        .iter()
                        .find(|k| program.criteria_mask(std::slice::from_ref(k)).is_none())
                        .cloned()
                        .unwrap_or_else(|| crate::model::CriterionId::new("?"));
                    return Held::Fails(DecideError::UnknownKeyCriterion {
                        set: program.set.clone(),
                        criterion,
                    });
                };
                let conditions = rule
                    .revoke_when_not_met
                    .iter()
                    .filter_map(|id| program.lookup.get(id).copied())
                    .collect();
                Held::Rule {
                    rule: rule.clone(),
                    target,
                    keys,
                    conditions,
                }
            })
            .collect();
        let requires = (0..tiers.len())
            .map(|r| {
                let p = program_at(r).and_then(|i| programs.get(i))?;
                let required = p.requires_held.as_ref()?;
                Some(
                    tiers
                        .iter()
                        .position(|t| t == required)
                        .unwrap_or(usize::MAX),
                )
            })
            .collect();
        TierPrograms {
            programs,
            tiers,
            by_rank,
            held,
            requires,
            error,
        }
    }

    /// The programs, in the order given.
    pub fn programs(&self) -> &[Program] {
        &self.programs
    }

    /// The scheme's tiers, lowest first.
    pub fn tiers(&self) -> &[TierId] {
        &self.tiers
    }

    /// The program of the lowest tier given (whose criteria a unit's
    /// criteria-met count is of), as an index into [`TierPrograms::programs`].
    pub fn lowest(&self) -> Option<usize> {
        self.by_rank.iter().flatten().next().copied()
    }

    /// The decision of the unit at row `unit` of `masks` and `batches` (one of each per
    /// program, in the order of [`TierPrograms::programs`], over the same units), holding
    /// the tier of rank `held` before the reporting year (from
    /// [`held_before`](crate::engine::held_before)).
    ///
    /// # Errors
    ///
    /// The [`DecideError`] that [`decide`](crate::engine::decide) gives for these
    /// programs' assessments (a missing row reads as a missing assessment).
    pub fn decide(
        &self,
        masks: &[CriteriaMasks],
        batches: &[BoundBatch],
        unit: usize,
        held: Option<usize>,
    ) -> Result<CompactDecision, DecideError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let rank = |r: usize| u8::try_from(r).ok();
        let cannot = |stop: Option<usize>| CompactDecision {
            verdict: VerdictKind::CannotDecide,
            held: held.and_then(rank),
            after: None,
            stop: stop.and_then(rank),
        };
        let outcome = |r: usize| {
            self.by_rank
                .get(r)
                .copied()
                .flatten()
                .and_then(|p| masks.get(p)?.outcome(unit))
        };
        if let Some(h) = held {
            match self.held.get(h) {
                None | Some(Held::Missing) => return Ok(cannot(None)),
                Some(Held::Fails(e)) => return Err(e.clone()),
                Some(Held::NoRule) => {}
                Some(Held::Rule {
                    rule,
                    target,
                    keys,
                    conditions,
                }) => {
                    let (Some(m), Some(program)) = (masks.get(*target), self.programs.get(*target))
                    else {
                        return Ok(cannot(None));
                    };
                    let count = |o: Outcome, within: Option<&[u64]>| m.count(unit, o, within);
                    let (Some(not_met), Some(open), Some(key_not_met), Some(key_open)) = (
                        count(Outcome::NotMet, None),
                        count(Outcome::Undetermined, None),
                        count(Outcome::NotMet, Some(keys)),
                        count(Outcome::Undetermined, Some(keys)),
                    ) else {
                        return Ok(cannot(None));
                    };
                    let (mut condition_not_met, mut condition_open) = (false, false);
                    for &slot in conditions {
                        let key = batches.get(*target).and_then(|b| b.key(slot, unit));
                        let test = program.tests.get(slot);
                        match key.zip(test).map(|(k, t)| t.outcome(k)) {
                            Some(IndicatorOutcome::NotMet) => condition_not_met = true,
                            Some(IndicatorOutcome::Undetermined) => condition_open = true,
                            _ => {}
                        }
                    }
                    let total = m.totals(unit).map_or(0, |t| t.criteria);
                    let lower = rule
                        .applies(not_met, total, key_not_met > 0)
                        .or(condition_not_met.then_some(ClauseKind::ConditionNotMet));
                    let upper = rule
                        .applies(not_met + open, total, key_not_met + key_open > 0)
                        .or(condition_open.then_some(ClauseKind::ConditionNotMet));
                    if lower.is_some() {
                        return Ok(CompactDecision {
                            verdict: VerdictKind::Revoke,
                            held: rank(h),
                            after: h.checked_sub(1).and_then(rank),
                            stop: None,
                        });
                    }
                    if upper.is_some() {
                        return Ok(cannot(None));
                    }
                }
            }
        }
        // Upwards from the tier above the one held.
        let mut reached: Option<usize> = None;
        let mut r = held.map_or(0, |h| h + 1);
        let mut stop = None;
        let mut blocked = false;
        while r < self.tiers.len() {
            let Some(o) = outcome(r) else {
                if held.is_none() && reached.is_none() {
                    return Ok(cannot(None));
                }
                break;
            };
            if let Some(Some(required)) = self.requires.get(r) {
                if held.is_none_or(|h| *required > h) {
                    blocked = true;
                    stop = Some(r);
                    break;
                }
            }
            if o == Outcome::Met {
                reached = Some(r);
                r += 1;
            } else {
                stop = Some(r);
                break;
            }
        }
        let decision = |verdict, after: Option<usize>| CompactDecision {
            verdict,
            held: held.and_then(rank),
            after: after.and_then(rank),
            stop: stop.and_then(rank),
        };
        Ok(match (reached, held, stop) {
            (Some(t), _, _) => decision(VerdictKind::Recognise, Some(t)),
            (None, Some(h), _) => decision(VerdictKind::Maintain, Some(h)),
            (None, None, Some(s)) if blocked || outcome(s) == Some(Outcome::NotMet) => {
                decision(VerdictKind::NotYet, None)
            }
            (None, None, _) => cannot(stop),
        })
    }
}

impl BoundBatch {
    /// The key of slot `slot` for the unit at row `unit`.
    pub(super) fn key(&self, slot: usize, unit: usize) -> Option<i32> {
        let at = slot.checked_mul(self.len())?.checked_add(unit)?;
        self.keys.get(at).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{compile, decide, Columns};
    use crate::model::{
        EventKind, History, IndicatorData, IndicatorId, Profile, RecognitionEvent, Region, Value,
    };
    use crate::policy::illustrative;
    use rust_decimal::Decimal;

    #[test]
    fn decisions_from_masks_agree_with_decide_on_every_unit() {
        let profile = Profile::in_region(Region::Tdmnpb);
        let programs: Vec<Program> = illustrative::commune_sets()
            .iter()
            .map(|s| compile(s, &profile, 2022).unwrap())
            .collect();
        let tiers = TierPrograms::new(programs.clone());
        // Communes from meeting everything to missing or failing a growing number of
        // indicators.
        let ids: Vec<IndicatorId> = illustrative::sample_commune("x", 2022)
            .values
            .keys()
            .cloned()
            .collect();
        let mut data: Vec<IndicatorData> = Vec::new();
        for i in 0..ids.len() * 3 {
            let mut d = illustrative::sample_commune(&format!("{i:03}"), 2022);
            for id in ids.iter().take(i / 3) {
                if i % 3 == 0 {
                    d.values.remove(id);
                } else if i % 3 == 1 {
                    let v = match d.values.get(id) {
                        Some(Value::Number(_)) => Value::Number(Decimal::ZERO),
                        Some(Value::Flag(_)) => Value::Flag(false),
                        _ => Value::Grade("none".into()),
                    };
                    d.values.insert(id.clone(), v);
                }
            }
            data.push(d);
        }
        let mut masks = Vec::new();
        let mut batches = Vec::new();
        for p in &programs {
            let (batch, errors) = Columns::from_data(p, &data).0.finish();
            assert!(errors.is_empty());
            let mut m = CriteriaMasks::new();
            p.masks_batch(&batch, &mut m).unwrap();
            masks.push(m);
            batches.push(batch);
        }
        let histories: Vec<History> = [None, Some("standard"), Some("advanced"), Some("model")]
            .iter()
            .map(|top| {
                let order = ["standard", "advanced", "model"];
                let events = order
                    .iter()
                    .take_while(|t| Some(**t) != *top)
                    .chain(top.iter())
                    .filter(|_| top.is_some())
                    .enumerate()
                    .map(|(k, t)| RecognitionEvent {
                        tier: TierId::new(*t),
                        year: 2018 + k as u16,
                        kind: EventKind::Recognised,
                        decision: Some("test".into()),
                    })
                    .collect();
                History { events }
            })
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for (u, d) in data.iter().enumerate() {
            let assessments: Vec<_> = programs.iter().map(|p| p.evaluate(d).unwrap()).collect();
            for h in &histories {
                let full = decide(&assessments, h).unwrap();
                let held = full
                    .held
                    .as_ref()
                    .and_then(|t| tiers.tiers().iter().position(|x| x == t));
                let compact = tiers.decide(&masks, &batches, u, held).unwrap();
                assert_eq!(
                    compact.verdict,
                    VerdictKind::of(&full.verdict),
                    "unit {u}, {h:?}"
                );
                let after = full.tier_after().flatten();
                let compact_after = compact
                    .after
                    .and_then(|r| tiers.tiers().get(usize::from(r)));
                if compact.verdict != VerdictKind::CannotDecide {
                    assert_eq!(compact_after, after, "unit {u}");
                }
                if let Verdict::Recognise { newly, .. } = &full.verdict {
                    assert_eq!(tiers.tiers().get(compact.newly()).unwrap(), &newly[..]);
                }
                seen.insert(format!("{:?}", compact.verdict));
            }
        }
        // Every verdict shows up.
        assert_eq!(seen.len(), 5, "{seen:?}");
    }
}
