//! A unit's recognition history read against a scheme's tiers: the tier held at the start
//! of a reporting year, with the history checked for nesting.
//!
//! **Convention (idempotent years).** The tier held is what the decisions of the years
//! *before* the reporting year left. Events of the reporting year itself are taken as that
//! year's own decisions: they are not applied (the year's decision is recomputed from the
//! assessments), and [`Decision::events_not_applied`](crate::engine::Decision::events_not_applied)
//! lists them, so recording a year's decisions in the history and running the year again
//! gives the same decisions, "new this year" included. Events after the reporting year
//! are not applied either, and are listed the same way.
//!
//! **Nesting.** Tiers nest: a unit holds a tier only while it holds every tier below it.
//! Every event of the history, in every year, is checked in order (by year, then in the
//! order given): a recognition must be of the lowest tier or of the tier just above one
//! held, and a revocation must be of a tier held. Revoking a tier leaves the tier below it.

use crate::engine::problem::DecideError;
use crate::model::{EventKind, History, RecognitionEvent, TierId, UnitCode};

/// What a history says at the start of a reporting year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeldAtStart {
    /// Rank of the tier held (into the scheme's tiers), if any.
    pub(crate) rank: Option<usize>,
    /// Events of the reporting year or later, not applied.
    pub(crate) not_applied: Vec<RecognitionEvent>,
}

/// The tier held at the start of `year` by `unit`, after checking that the whole history
/// nests (see the module docs).
///
/// # Errors
///
/// [`DecideError::UnknownHistoryTier`] for an event of a tier the scheme does not have,
/// [`DecideError::HistoryNotNested`] for an event that skips a tier or revokes a tier not
/// held.
pub(crate) fn held_at_start(
    history: &History,
    tiers: &[TierId],
    year: u16,
    unit: &UnitCode,
) -> Result<HeldAtStart, DecideError> {
    // By year, in the order given within a year (a stable sort; none when in order).
    let mut given = history.events.iter();
    let mut sorted;
    let events: &mut dyn Iterator<Item = &RecognitionEvent> =
        if history.events.is_sorted_by_key(|e| e.year) {
            &mut given
        } else {
            let mut by_year: Vec<&RecognitionEvent> = history.events.iter().collect();
            by_year.sort_by_key(|e| e.year);
            sorted = by_year.into_iter();
            &mut sorted
        };
    let mut held: Option<usize> = None;
    let mut at_start: Option<usize> = None;
    let mut not_applied = Vec::new();
    for e in events {
        if e.year >= year {
            not_applied.push(e.clone());
        }
        let rank = tiers.iter().position(|t| t == &e.tier).ok_or_else(|| {
            DecideError::UnknownHistoryTier {
                unit: unit.clone(),
                tier: e.tier.clone(),
            }
        })?;
        let nests = match e.kind {
            // The lowest tier, a tier held again, or the tier just above the one held.
            EventKind::Recognised => rank == 0 || held.is_some_and(|h| rank <= h + 1),
            EventKind::Revoked => held.is_some_and(|h| rank <= h),
        };
        if !nests {
            return Err(DecideError::HistoryNotNested {
                unit: unit.clone(),
                year: e.year,
                tier: e.tier.clone(),
                kind: e.kind,
                held: held.and_then(|h| tiers.get(h).cloned()),
            });
        }
        held = match e.kind {
            EventKind::Recognised => Some(held.map_or(rank, |h| h.max(rank))),
            EventKind::Revoked => rank.checked_sub(1),
        };
        if e.year < year {
            at_start = held;
        }
    }
    Ok(HeldAtStart {
        rank: at_start,
        not_applied,
    })
}

/// The tier `history` leaves `unit` holding at the start of `year`, against a scheme's
/// tiers (lowest first), by the rules of the module docs: the reporting year's own events
/// are not applied, and the whole history must nest.
///
/// # Errors
///
/// As [`decide`](crate::engine::decide): an event of a tier the scheme does not have, or a
/// history that does not nest.
///
/// # Example
///
/// ```
/// use ntm_rules::engine::held_before;
/// use ntm_rules::model::{EventKind, History, TierId, UnitCode};
///
/// let tiers: Vec<TierId> = ["standard", "advanced", "model"].map(TierId::new).to_vec();
/// let history = History::recognised("standard", 2019).with("advanced", 2022, EventKind::Recognised);
/// let unit = UnitCode::new("07672");
/// // The 2022 event is 2022's own decision: at the start of 2022 the commune is standard.
/// assert_eq!(held_before(&history, &tiers, 2022, &unit)?, Some(TierId::new("standard")));
/// assert_eq!(held_before(&history, &tiers, 2023, &unit)?, Some(TierId::new("advanced")));
/// // Model without advanced does not nest.
/// let skipped = History::recognised("standard", 2019).with("model", 2020, EventKind::Recognised);
/// assert!(held_before(&skipped, &tiers, 2022, &unit).is_err());
/// # Ok::<(), ntm_rules::engine::DecideError>(())
/// ```
pub fn held_before(
    history: &History,
    tiers: &[TierId],
    year: u16,
    unit: &UnitCode,
) -> Result<Option<TierId>, DecideError> {
    let held = held_at_start(history, tiers, year, unit)?;
    Ok(held.rank.and_then(|r| tiers.get(r).cloned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(tier: &str, year: u16, kind: EventKind) -> RecognitionEvent {
        RecognitionEvent {
            tier: TierId::new(tier),
            year,
            kind,
            decision: None,
        }
    }

    /// Events are read by year, in the order given within a year, whether or not they
    /// are given in year order.
    #[test]
    fn events_are_read_by_year_then_in_the_order_given() {
        let tiers = [TierId::new("standard"), TierId::new("advanced")];
        let unit = UnitCode::new("C1");
        let read =
            |events: Vec<RecognitionEvent>| held_at_start(&History { events }, &tiers, 2022, &unit);
        let recognised = event("standard", 2018, EventKind::Recognised);
        let advanced = event("advanced", 2020, EventKind::Recognised);
        let revoked = event("advanced", 2020, EventKind::Revoked);
        let later = event("standard", 2023, EventKind::Revoked);
        let in_order = vec![
            recognised.clone(),
            advanced.clone(),
            revoked.clone(),
            later.clone(),
        ];
        let shuffled = vec![
            later.clone(),
            advanced.clone(),
            recognised.clone(),
            revoked.clone(),
        ];
        let want = HeldAtStart {
            rank: Some(0),
            not_applied: vec![later.clone()],
        };
        assert_eq!(read(in_order), Ok(want.clone()));
        assert_eq!(read(shuffled), Ok(want));
        // Within 2020 the revocation comes first: advanced is revoked before it is held.
        let swapped = vec![revoked, recognised, advanced];
        assert!(matches!(
            read(swapped),
            Err(DecideError::HistoryNotNested { year: 2020, .. })
        ));
    }
}
