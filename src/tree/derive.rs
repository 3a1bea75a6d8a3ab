//! Derived indicators of districts and provinces (share or count of children at a tier
//! or revoked, minimum of a child indicator), computed from the children's results. A
//! value is only computed when every child it counts is decided; otherwise it is left
//! missing, with the reason.

use crate::model::{ChildMeasure, EventKind, TierId, Value};
use crate::tree::input::UnitInput;
use crate::tree::positions::InputMap;
use crate::tree::summary::Share;
use crate::tree::view::{Results, State, View};
use rust_decimal::Decimal;

/// Computes a derived indicator over `children`, or says why it cannot.
pub(crate) fn derive(
    measure: &ChildMeasure,
    children: &[usize],
    results: &(impl Results + ?Sized),
    year: u16,
    inputs: &InputMap<'_>,
) -> Result<Decimal, String> {
    let assessed: Vec<(usize, View<'_>)> = children
        .iter()
        .filter_map(|&c| results.view(c).map(|r| (c, r)))
        .filter(|(_, r)| r.state() != State::NotAssessed)
        .collect();
    let open: Vec<&str> = assessed
        .iter()
        .filter(|(_, r)| !r.is_decided())
        .map(|(_, r)| r.code().as_str())
        .collect();
    let share_or_count = |tier: &TierId, revoked: bool, share: bool| {
        if !open.is_empty() {
            return Err(format!(
                "{} of its children are excluded or undecided ({})",
                open.len(),
                open.join(", ")
            ));
        }
        let with_tier: Vec<&(usize, View<'_>)> = assessed
            .iter()
            .filter(|(_, r)| r.tiers().contains(tier))
            .collect();
        if with_tier.is_empty() && !assessed.is_empty() {
            return Err(format!("no child has tier `{tier}` in its scheme"));
        }
        let count = with_tier
            .iter()
            .filter(|(pos, r)| {
                if revoked {
                    was_revoked(r, tier, year, inputs.of(*pos))
                } else {
                    r.holds(tier) == Some(true)
                }
            })
            .count() as u32;
        if share {
            Share::new(count, with_tier.len() as u32)
                .percent
                .ok_or_else(|| "the share cannot be computed".to_owned())
        } else {
            Ok(Decimal::from(count))
        }
    };
    match measure {
        ChildMeasure::ShareAtTier { tier } => share_or_count(tier, false, true),
        ChildMeasure::CountAtTier { tier } => share_or_count(tier, false, false),
        ChildMeasure::ShareRevoked { tier } => share_or_count(tier, true, true),
        ChildMeasure::CountRevoked { tier } => share_or_count(tier, true, false),
        ChildMeasure::MinimumOf { indicator } => {
            let mut min: Option<Decimal> = None;
            let mut missing = Vec::new();
            for (pos, r) in &assessed {
                let v = inputs
                    .one(*pos)
                    .and_then(|one| one.data.values.get(indicator))
                    .filter(|_| !matches!(r.state(), State::Excluded(_)));
                match v {
                    Some(Value::Number(n)) => min = Some(min.map_or(*n, |m| m.min(*n))),
                    _ => missing.push(r.code().as_str()),
                }
            }
            if !missing.is_empty() {
                return Err(format!(
                    "no usable value of `{indicator}` for {}",
                    missing.join(", ")
                ));
            }
            min.ok_or_else(|| "no children".to_owned())
        }
    }
}

/// Whether a decided unit's recognition of `tier` stands revoked after this year: it was
/// revoked this year or before (by its history), and does not hold the tier now.
fn was_revoked(r: &View<'_>, tier: &TierId, year: u16, inputs: &[&UnitInput]) -> bool {
    let revoked_now = r.revoked() == Some(tier);
    let revoked_before = inputs.iter().any(|i| {
        i.history
            .events
            .iter()
            .any(|e| e.kind == EventKind::Revoked && &e.tier == tier && e.year <= year)
    });
    (revoked_now || revoked_before) && r.holds(tier) == Some(false)
}
