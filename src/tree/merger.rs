//! The status of a merged unit from its lineage: the MARD guidance for units merged in
//! 2023-2030 (`ntm-criteria.md` §2.3, reported):
//!
//! 1. all the units merged held the same tier → the new unit is recognised at that tier
//!    (and keeps working toward the next);
//! 2. otherwise (a standard unit merged with a non-standard one, an advanced unit with
//!    standard or non-standard ones) → the new unit is **re-reviewed**: it holds no tier
//!    from its parts and is recognised only once it meets every condition.
//!
//! The rule applies to a unit with [`merged_from`](crate::model::AdminUnit::merged_from)
//! whose own history has no event before the reporting year; the parts' histories come
//! from the inputs given for their codes (the former units, no longer in the tree at the
//! reporting date). A unit whose own history has events before the year is decided on
//! that history (it was already reviewed after the merger).
//!
//! Two cases of the 2025 rearrangement:
//!
//! - **A successor that kept a part's code** (most of them: the new unit takes the code of
//!   one of the old ones) lists its own code in `merged_from`. The history given for the
//!   code then holds that part's events too: events dated before the year the unit starts
//!   ([`valid_from`](crate::model::AdminUnit::valid_from)) are the part's, the others the
//!   unit's own.
//! - **A part divided among several new units** ([`divided_into`](crate::model::AdminUnit::divided_into)):
//!   which share of its recognition came to which successor is not in the guidance read,
//!   so a unit formed (partly) from a divided unit is re-reviewed
//!   ([`MergerRule::Divided`]), whatever the tiers held.

use crate::engine::{held_before, DecideError};
use crate::model::{AdminUnit, Date, EventKind, History, RecognitionEvent, TierId, UnitCode};
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::UnitInput;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// How a merged unit's starting tier was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Merger {
    /// The units merged, each with the tier it held at the start of the reporting year.
    pub parts: Vec<MergedPart>,
    /// What follows for the new unit.
    pub rule: MergerRule,
}

/// One unit merged into another, with the tier it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MergedPart {
    /// The former unit.
    pub unit: UnitCode,
    /// The tier it held at the start of the reporting year, if any.
    pub held: Option<TierId>,
}

/// Which case of the merger rule applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "case", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MergerRule {
    /// Every part held `tier` (or every part held no tier: `tier` absent): the new unit
    /// starts at it.
    Inherited {
        /// The tier inherited.
        tier: Option<TierId>,
    },
    /// The parts held different tiers: the new unit holds no tier from them and is
    /// re-reviewed against every condition.
    ReReview,
    /// Some parts were divided among several new units: the new unit holds no tier from
    /// its parts and is re-reviewed against every condition, as for mixed tiers.
    Divided {
        /// The parts that were divided, in lineage order.
        divided: Vec<UnitCode>,
    },
}

/// What the lineage gives a merged unit: the history to decide on, and the merger.
pub(super) struct FromLineage {
    pub(super) history: History,
    pub(super) merger: Merger,
}

/// Why the merger rule cannot be applied.
pub(super) enum LineageError {
    /// No input was given for these parts.
    PartsMissing(Vec<UnitCode>),
    /// A part's history cannot be read against the scheme.
    Part(DecideError),
}

/// The history of each part of `unit` (in `merged_from` order), or `None` when no input
/// gives it: the input of a former unit (`former`: codes not in the tree), or, for a code
/// that a unit of the tree kept (the unit itself or another successor), the events given
/// for the code dated before that unit started (`input_at`: the one input of the unit at
/// a position of the tree).
pub(super) fn part_histories<'a>(
    tree: &Hierarchy,
    unit: &AdminUnit,
    former: &BTreeMap<&UnitCode, &'a History>,
    input_at: impl Fn(usize) -> Option<&'a UnitInput>,
) -> Vec<Option<Cow<'a, History>>> {
    unit.merged_from
        .iter()
        .map(|p| {
            if let Some(h) = former.get(p) {
                return Some(Cow::Borrowed(*h));
            }
            let pos = tree.position(p.as_str())?;
            let start = tree.at(pos)?.valid_from?.year();
            let input = input_at(pos)?;
            let events = input
                .history
                .events
                .iter()
                .filter(|e| e.year < start)
                .cloned()
                .collect();
            Some(Cow::Owned(History { events }))
        })
        .collect()
}

/// The parts of a merged unit that were divided among several units (an entry of the
/// code that ended before the tree's date, with more than one successor).
pub(super) fn divided_parts(tree: &Hierarchy, unit: &AdminUnit) -> Vec<UnitCode> {
    unit.merged_from
        .iter()
        .filter(|p| {
            tree.entries(p.as_str())
                .any(|e| e.divided_into.len() > 1 && e.valid_to.is_some_and(|t| t < tree.date()))
        })
        .cloned()
        .collect()
}

/// Applies the merger rule to `unit` (merged from its `merged_from`, whose histories are
/// `parts_history`, see [`part_histories`]), whose history given for its code is `own`,
/// or `Ok(None)` when the rule does not apply (no lineage, or the unit has its own events
/// before the year). `divided` are the parts that were divided among several units.
pub(super) fn from_lineage(
    unit: &AdminUnit,
    own: &History,
    parts_history: &[Option<Cow<'_, History>>],
    divided: &[UnitCode],
    tiers: &[TierId],
    year: u16,
) -> Result<Option<FromLineage>, LineageError> {
    let parts = unit.merged_from.as_slice();
    if parts.is_empty() {
        return Ok(None);
    }
    // A successor that kept a part's code: the events before it started are the part's.
    let kept_code = parts.contains(&unit.code);
    let start = unit.valid_from.map(Date::year);
    let mine: Vec<RecognitionEvent> = own
        .events
        .iter()
        .filter(|e| !kept_code || start.is_none_or(|s| e.year >= s))
        .cloned()
        .collect();
    if mine.iter().any(|e| e.year < year) {
        return Ok(None);
    }
    let missing: Vec<UnitCode> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| parts_history.get(*i).is_none_or(Option::is_none))
        .map(|(_, p)| p.clone())
        .collect();
    if !missing.is_empty() {
        return Err(LineageError::PartsMissing(missing));
    }
    let mut held_parts = Vec::with_capacity(parts.len());
    for (p, history) in parts.iter().zip(parts_history) {
        let Some(history) = history else { continue };
        let held = held_before(history, tiers, year, p).map_err(LineageError::Part)?;
        held_parts.push(MergedPart {
            unit: p.clone(),
            held,
        });
    }
    let first = held_parts.first().and_then(|p| p.held.clone());
    let same = held_parts.iter().all(|p| p.held == first);
    let divided: Vec<UnitCode> = parts
        .iter()
        .filter(|p| divided.contains(p))
        .cloned()
        .collect();
    let mut history = History { events: mine };
    let rule = if !divided.is_empty() {
        MergerRule::Divided { divided }
    } else if same {
        // Recognised at the inherited tier, and so at every tier below it, before the
        // reporting year.
        if let Some(rank) = first
            .as_ref()
            .and_then(|t| tiers.iter().position(|x| x == t))
        {
            let inherited = tiers.iter().take(rank + 1).map(|t| RecognitionEvent {
                tier: t.clone(),
                year: year.saturating_sub(1),
                kind: EventKind::Recognised,
                decision: Some("inherited from the merged units (MARD guidance)".to_owned()),
            });
            history.events.splice(0..0, inherited);
        }
        MergerRule::Inherited { tier: first }
    } else {
        MergerRule::ReReview
    };
    Ok(Some(FromLineage {
        history,
        merger: Merger {
            parts: held_parts,
            rule,
        },
    }))
}
