//! What the steps after evaluation (derived indicators, summaries, roll-ups) read of a
//! unit's result, from either form: the full [`UnitResult`] of [`aggregate`] or the
//! compact result of [`aggregate_compact`], so that both give the same figures by
//! construction.
//!
//! [`aggregate`]: crate::tree::aggregate
//! [`aggregate_compact`]: crate::tree::aggregate_compact

use crate::engine::{CompactDecision, Verdict, VerdictKind};
use crate::model::{ChildMeasure, CriterionId, Level, TierId, UnitCode};
use crate::tree::result::{UnitResult, UnitStatus};
use rust_decimal::Decimal;

/// A unit's state, as the counts read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Out of scope: in no count.
    NotAssessed,
    /// Left out, with the reason's name.
    Excluded(&'static str),
    /// Decided, or not (`tier_after` is `None`).
    Decided,
}

/// One unit's result as the later steps read it.
#[derive(Debug, Clone, Copy)]
pub(super) enum View<'a> {
    /// The full result.
    Full(&'a UnitResult),
    /// A compact result with what names its integers.
    Compact {
        code: &'a UnitCode,
        level: Level,
        decision: Option<CompactDecision>,
        excluded: Option<&'static str>,
        tiers: &'a [TierId],
        /// The lowest set's criteria, and the unit's met mask over them.
        criteria: &'a [CriterionId],
        met: Option<u64>,
    },
}

impl<'a> View<'a> {
    pub(super) fn code(&self) -> &'a UnitCode {
        match self {
            View::Full(r) => &r.unit,
            View::Compact { code, .. } => code,
        }
    }

    pub(super) fn level(&self) -> Level {
        match self {
            View::Full(r) => r.level,
            View::Compact { level, .. } => *level,
        }
    }

    pub(super) fn state(&self) -> State {
        match self {
            View::Full(r) => match &r.status {
                UnitStatus::NotAssessed { .. } => State::NotAssessed,
                UnitStatus::Excluded { reason } => State::Excluded(reason.name()),
                UnitStatus::Decided { .. } => State::Decided,
            },
            View::Compact {
                decision, excluded, ..
            } => match (decision, excluded) {
                (_, Some(reason)) => State::Excluded(reason),
                (Some(_), None) => State::Decided,
                (None, None) => State::NotAssessed,
            },
        }
    }

    /// The scheme's tiers, lowest first (empty when not evaluated).
    pub(super) fn tiers(&self) -> &'a [TierId] {
        match self {
            View::Full(r) => &r.tiers,
            View::Compact { tiers, .. } => tiers,
        }
    }

    /// Decided, but the decision cannot be made.
    pub(super) fn is_undecided(&self) -> bool {
        match self {
            View::Full(r) => r.is_undecided(),
            View::Compact { decision, .. } => {
                decision.is_some_and(|d| d.verdict == VerdictKind::CannotDecide)
            }
        }
    }

    /// Decided, with a decision made (a tier or none).
    pub(super) fn is_decided(&self) -> bool {
        self.state() == State::Decided && !self.is_undecided()
    }

    /// The rank of the tier held after the decision.
    pub(super) fn rank_after(&self) -> Option<usize> {
        match self {
            View::Full(r) => r.rank_after(),
            View::Compact { decision, .. } => (*decision)?.after.map(usize::from),
        }
    }

    /// Whether the unit holds `tier` after the decision (as [`UnitResult::holds`]).
    pub(super) fn holds(&self, tier: &TierId) -> Option<bool> {
        match self {
            View::Full(r) => r.holds(tier),
            View::Compact { .. } => {
                let want = self.tiers().iter().position(|t| t == tier)?;
                if !self.is_decided() {
                    return None;
                }
                Some(self.rank_after().is_some_and(|r| r >= want))
            }
        }
    }

    /// The tiers newly reached this year.
    pub(super) fn newly(&self) -> &'a [TierId] {
        match self {
            View::Full(r) => match r.decision().map(|d| &d.verdict) {
                Some(Verdict::Recognise { newly, .. }) => newly,
                _ => &[],
            },
            View::Compact {
                decision, tiers, ..
            } => decision
                .and_then(|d| tiers.get(d.newly()))
                .unwrap_or_default(),
        }
    }

    /// The tier revoked this year.
    pub(super) fn revoked(&self) -> Option<&'a TierId> {
        match self {
            View::Full(r) => match r.decision().map(|d| &d.verdict) {
                Some(Verdict::Revoke { tier, .. }) => Some(tier),
                _ => None,
            },
            View::Compact {
                decision, tiers, ..
            } => tiers.get(usize::from(decision.as_ref()?.revoked()?)),
        }
    }

    /// The number of criteria met of the lowest set, the set's criteria, and the
    /// criteria met.
    pub(super) fn criteria_met(&self) -> Option<(u32, u32, Met<'a>)> {
        match self {
            View::Full(r) => {
                let met = r.criteria_met.as_ref()?;
                Some((met.len() as u32, r.criteria_total?, Met::Ids(met.iter())))
            }
            View::Compact { criteria, met, .. } => {
                let mask = (*met)?;
                Some((
                    mask.count_ones(),
                    criteria.len() as u32,
                    Met::Mask(criteria.iter(), mask),
                ))
            }
        }
    }
}

/// The criteria a unit meets, in the set's order.
#[derive(Debug, Clone)]
pub(super) enum Met<'a> {
    /// As ids.
    Ids(std::slice::Iter<'a, CriterionId>),
    /// The set's criteria and a mask of those met (bit `c` for criterion `c`).
    Mask(std::slice::Iter<'a, CriterionId>, u64),
}

impl<'a> Iterator for Met<'a> {
    type Item = &'a CriterionId;

    fn next(&mut self) -> Option<&'a CriterionId> {
        match self {
            Met::Ids(ids) => ids.next(),
            Met::Mask(criteria, mask) => loop {
                let id = criteria.next()?;
                let bit = *mask & 1 != 0;
                *mask >>= 1;
                if bit {
                    return Some(id);
                }
            },
        }
    }
}

/// The results of a pass by tree position, in either form.
pub(super) trait Results {
    /// The result at a position, once made.
    fn view(&self, pos: usize) -> Option<View<'_>>;

    /// A derived indicator of the unit at `pos` over its descendants at `level`, when
    /// the results can give it without reading the descendants one by one (from
    /// counters kept as the pass goes) and it has a value; it is then the value
    /// [`derive`](crate::tree::derive::derive) gives. `None`: derive it from the
    /// descendants' results.
    fn derived(&self, pos: usize, level: Level, measure: &ChildMeasure) -> Option<Decimal> {
        let _ = (pos, level, measure);
        None
    }
}

impl Results for [Option<UnitResult>] {
    fn view(&self, pos: usize) -> Option<View<'_>> {
        self.get(pos).and_then(Option::as_ref).map(View::Full)
    }
}
