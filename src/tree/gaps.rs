//! Gaps: what stands between one unit and a target tier, indicator by indicator, with
//! the shortfall in the indicator's own unit and the threshold row used, for the
//! thresholds of a target year (income floors rise year by year).
//!
//! A tier is reached only with every tier below it (tiers nest), so the gaps of a
//! target tier are those of every tier from the one above the tier held up to the
//! target, each against its own set. [`UnitGaps::changes`] gives the values that close
//! every reported gap, and applying exactly them makes the unit's sets met: the
//! property tests of `tests/planning.rs` prove it, and that any one numeric change made
//! smaller leaves the tier out of reach.

use crate::engine::{
    Assessment, CriterionAssessment, EvaluateError, Evaluator, IndicatorAssessment,
    IndicatorOutcome, Outcome, ProfileField, Provenance, UndeterminedReason,
};
use crate::model::{
    CriteriaSet, CriterionId, Indicator, IndicatorData, IndicatorId, Lang, Level, PassRule,
    Requirement, SetId, Threshold, TierId, UnitCode, Value, ValueKind,
};
use crate::tree::input::UnitInput;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Why gaps, a roadmap or candidates cannot be worked out for a unit. Every variant
/// names the unit (and the tier, year or field at fault).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The target tier is not one of the tiers of the unit's scheme.
    #[error("unit {unit}: tier `{tier}` is not a tier of its scheme (tiers: {known})")]
    UnknownTier {
        /// The unit.
        unit: UnitCode,
        /// The tier asked for.
        tier: TierId,
        /// The scheme's tiers, comma-separated.
        known: String,
    },
    /// The target year is before the unit's reporting year.
    #[error("unit {unit}: target year {target} is before the reporting year {reporting}")]
    YearBeforeReporting {
        /// The unit.
        unit: UnitCode,
        /// The target year.
        target: u16,
        /// The data's reporting year.
        reporting: u16,
    },
    /// A cost of the cost model is negative.
    #[error("cost model: {field} is negative ({value})")]
    NegativeCost {
        /// Where the cost is (`per_criterion.10`, `per_unit.07672.10`, ...).
        field: String,
        /// The value given.
        value: Decimal,
    },
    /// The unit cannot be evaluated for the year.
    #[error("unit {unit}, year {year}: {error}")]
    Evaluate {
        /// The unit.
        unit: UnitCode,
        /// The year of the thresholds.
        year: u16,
        /// Why.
        error: EvaluateError,
    },
    /// The unit is not in the tree, has no input, or no criteria sets cover it.
    #[error("unit {unit}: {why}")]
    UnknownUnit {
        /// The unit.
        unit: UnitCode,
        /// What is missing.
        why: &'static str,
    },
    /// The sets of the unit's level have no tier at all.
    #[error("unit {unit}: no criteria set for its level")]
    NoSets {
        /// The unit.
        unit: UnitCode,
    },
    /// No target was given and the plan has no "N more units at a tier" target (of the
    /// level asked for, when one was).
    #[error(
        "no target given (a tier and a count), and the plan has no \"N more units at a \
         tier\" target{}",
        level.map(|l| format!(" at level {}", l.label(Lang::En))).unwrap_or_default()
    )]
    NoPlanTargets {
        /// The level asked for, if any.
        level: Option<Level>,
    },
}

/// How far one indicator is from its threshold, in the indicator's own terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Shortfall {
    /// A number short of its threshold: `amount` more (or less, for an upper bound) in
    /// the indicator's unit reaches `target`. For a strict requirement (`>`, `<`) the
    /// target is one step past the threshold at the precision of the value and the
    /// threshold (one for counts).
    Number {
        /// The value given.
        actual: Decimal,
        /// The threshold of the row used.
        threshold: Decimal,
        /// How the value is compared.
        requirement: Requirement,
        /// The value that meets the threshold with the least change.
        target: Decimal,
        /// `|target − actual|`, in the indicator's unit.
        amount: Decimal,
    },
    /// A grade below the one required.
    Grade {
        /// The grade given.
        actual: String,
        /// The lowest grade that meets the threshold.
        target: String,
        /// Grade steps between them.
        steps: u32,
    },
    /// A yes/no or one-of item that is not met: the value that meets it.
    NotMet {
        /// The value that meets the threshold.
        target: Value,
    },
    /// Cannot be told: the data to collect, the threshold to fill or the profile field
    /// to complete (see the reason).
    Undetermined {
        /// Why.
        reason: UndeterminedReason,
    },
}

/// One indicator or precondition that is not met, or undetermined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct IndicatorGap {
    /// The indicator.
    pub indicator: IndicatorId,
    /// Its shortfall.
    pub shortfall: Shortfall,
    /// The threshold row used (absent when none applies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Provenance>,
}

impl IndicatorGap {
    /// The value that closes the gap, if one can be told.
    pub fn target(&self) -> Option<Value> {
        match &self.shortfall {
            Shortfall::Number { target, .. } => Some(Value::Number(*target)),
            Shortfall::Grade { target, .. } => Some(Value::Grade(target.clone())),
            Shortfall::NotMet { target } => Some(target.clone()),
            Shortfall::Undetermined { .. } => None,
        }
    }

    /// Whether the indicator is undetermined rather than short.
    pub fn is_undetermined(&self) -> bool {
        matches!(self.shortfall, Shortfall::Undetermined { .. })
    }

    /// Size of the shortfall relative to the threshold (a number's amount over the
    /// threshold's size — at least one — to six decimal places, a grade's steps), one
    /// for a yes/no item, zero when unknown: the ranking used when no cost is given.
    pub fn relative(&self) -> Decimal {
        match &self.shortfall {
            Shortfall::Number {
                amount, threshold, ..
            } => {
                let base = threshold.abs().max(Decimal::ONE);
                // Six decimal places, so that sums of these are exact (and the same in
                // any order: the candidate selection's optimality relies on it).
                amount.checked_div(base).unwrap_or(Decimal::ONE).round_dp(6)
            }
            Shortfall::Grade { steps, .. } => Decimal::from(*steps),
            Shortfall::NotMet { .. } => Decimal::ONE,
            Shortfall::Undetermined { .. } => Decimal::ZERO,
        }
    }
}

/// A criterion that is not met (or undetermined) for a tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CriterionGap {
    /// The criterion.
    pub criterion: CriterionId,
    /// Its outcome.
    pub outcome: Outcome,
    /// How many more indicators must be met (the pass rule's count less those met).
    pub needed: u32,
    /// The indicators to meet: the `needed` ones with the smallest relative shortfall
    /// (every one short under the default pass rule), then the undetermined ones.
    pub indicators: Vec<IndicatorGap>,
    /// Other indicators short that could be met instead (pass rule "at least k").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<IndicatorGap>,
}

/// The gaps of one tier's set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TierGap {
    /// The tier.
    pub tier: TierId,
    /// Its set.
    pub set: SetId,
    /// Outcome of the set (for a tier below the target: once the gaps of the tiers
    /// above it are closed, which is when its own gaps are taken).
    pub outcome: Outcome,
    /// Criteria not met or undetermined, in official order.
    pub criteria: Vec<CriterionGap>,
    /// Preconditions not met or undetermined.
    pub preconditions: Vec<IndicatorGap>,
    /// A tier that must be held from a decision before the year before this one can be
    /// recognised (a model commune must be advanced first), when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires_held: Option<TierId>,
}

impl TierGap {
    /// Whether the set is met and nothing else stands in the way.
    pub fn is_closed(&self) -> bool {
        self.criteria.is_empty() && self.preconditions.is_empty() && self.requires_held.is_none()
    }
}

/// Everything between one unit and a target tier, for the thresholds of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct UnitGaps {
    /// The unit.
    pub unit: UnitCode,
    /// The target tier.
    pub target: TierId,
    /// The year of the thresholds.
    pub year: u16,
    /// The tier held before that year (from the history).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held: Option<TierId>,
    /// One entry per tier from the one above the tier held up to the target; empty when
    /// the target is held already.
    pub tiers: Vec<TierGap>,
    /// Profile fields the thresholds are keyed on and the profile lacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile_lacks: Vec<ProfileField>,
}

impl UnitGaps {
    /// Whether every tier up to the target is met and nothing blocks it.
    pub fn is_closed(&self) -> bool {
        self.tiers.iter().all(TierGap::is_closed)
    }

    /// Every indicator gap, criteria and preconditions, tier by tier.
    pub fn indicator_gaps(&self) -> impl Iterator<Item = &IndicatorGap> + '_ {
        self.tiers.iter().flat_map(|t| {
            t.criteria
                .iter()
                .flat_map(|c| c.indicators.iter())
                .chain(t.preconditions.iter())
        })
    }

    /// The undetermined indicators, with why, each once.
    pub fn undetermined(&self) -> Vec<(IndicatorId, UndeterminedReason)> {
        let mut out: BTreeMap<IndicatorId, UndeterminedReason> = BTreeMap::new();
        for g in self.indicator_gaps() {
            if let Shortfall::Undetermined { reason } = g.shortfall {
                out.entry(g.indicator.clone()).or_insert(reason);
            }
        }
        out.into_iter().collect()
    }

    /// The criteria not met or undetermined over every tier, each once, in the order
    /// first met.
    pub fn criteria(&self) -> Vec<CriterionId> {
        let mut out: Vec<CriterionId> = Vec::new();
        for c in self.tiers.iter().flat_map(|t| t.criteria.iter()) {
            if !out.contains(&c.criterion) {
                out.push(c.criterion.clone());
            }
        }
        out
    }

    /// The values that close every reported gap (the strictest when two tiers ask for
    /// the same indicator), by indicator; undetermined indicators have none.
    pub fn changes(&self) -> BTreeMap<IndicatorId, Value> {
        let mut out: BTreeMap<IndicatorId, (Value, Requirement)> = BTreeMap::new();
        for g in self.indicator_gaps() {
            let Some(target) = g.target() else { continue };
            let requirement = match g.shortfall {
                Shortfall::Number { requirement, .. } => requirement,
                _ => Requirement::Equal,
            };
            match out.get_mut(&g.indicator) {
                Some((old, _)) => *old = stricter(requirement, old, target),
                None => {
                    out.insert(g.indicator.clone(), (target, requirement));
                }
            }
        }
        out.into_iter().map(|(k, (v, _))| (k, v)).collect()
    }

    /// The changes of the criteria `only` (and every precondition when
    /// `preconditions`), for a step of a roadmap.
    pub fn changes_of(
        &self,
        only: &[CriterionId],
        preconditions: bool,
    ) -> BTreeMap<IndicatorId, Value> {
        let keep: Vec<&IndicatorId> = self
            .tiers
            .iter()
            .flat_map(|t| {
                t.criteria
                    .iter()
                    .filter(|c| only.contains(&c.criterion))
                    .flat_map(|c| c.indicators.iter().map(|i| &i.indicator))
                    .chain(
                        t.preconditions
                            .iter()
                            .filter(|_| preconditions)
                            .map(|i| &i.indicator),
                    )
            })
            .collect();
        self.changes()
            .into_iter()
            .filter(|(k, _)| keep.contains(&k))
            .collect()
    }
}

impl UnitGaps {
    /// Makes the numeric values of `changes` meet this gap's targets too, where it has
    /// one for the same indicator (a roadmap closes a criterion at the floor of the
    /// target year when that is higher than the current year's, so it stays closed).
    pub(crate) fn tighten(&self, changes: &mut BTreeMap<IndicatorId, Value>) {
        for g in self.indicator_gaps() {
            if let (
                Shortfall::Number {
                    requirement,
                    target,
                    ..
                },
                Some(old),
            ) = (&g.shortfall, changes.get_mut(&g.indicator))
            {
                *old = stricter(*requirement, old, Value::Number(*target));
            }
        }
    }
}

/// Of two numbers asked for the same indicator, the one that meets both.
fn stricter(requirement: Requirement, old: &Value, new: Value) -> Value {
    match (old, &new, requirement) {
        (Value::Number(a), Value::Number(b), Requirement::AtLeast | Requirement::Above) => {
            Value::Number((*a).max(*b))
        }
        (Value::Number(a), Value::Number(b), Requirement::AtMost | Requirement::Below) => {
            Value::Number((*a).min(*b))
        }
        _ => new,
    }
}

/// Applies `changes` to a copy of `data`, for the year `year`.
pub fn apply_changes(
    data: &IndicatorData,
    changes: &BTreeMap<IndicatorId, Value>,
    year: u16,
) -> IndicatorData {
    let mut out = data.clone();
    out.year = year;
    for (k, v) in changes {
        out.values.insert(k.clone(), v.clone());
    }
    out
}

/// The gaps of `input` to the tier `target`, for the thresholds of the evaluator's
/// year (the data is read as that year's; the history gives the tier held before it).
///
/// # Errors
///
/// [`PlanError::UnknownTier`] for a tier the scheme lacks, [`PlanError::Evaluate`] when
/// the unit cannot be evaluated.
pub fn gaps(
    evaluator: &mut Evaluator,
    input: &UnitInput,
    target: &TierId,
) -> Result<UnitGaps, PlanError> {
    let year = evaluator.year();
    let unit = input.data.unit.clone();
    let mut data = input.data.clone();
    data.year = year;
    let evaluation = evaluator
        .evaluate(&input.profile, &data, &input.history)
        .map_err(|error| PlanError::Evaluate {
            unit: unit.clone(),
            year,
            error,
        })?;
    let first = evaluation
        .assessments
        .first()
        .ok_or_else(|| PlanError::NoSets { unit: unit.clone() })?;
    let tiers = first.scheme.tiers.clone();
    let rank_of = |t: &TierId| tiers.iter().position(|x| x == t);
    let target_rank = rank_of(target).ok_or_else(|| PlanError::UnknownTier {
        unit: unit.clone(),
        tier: target.clone(),
        known: tiers
            .iter()
            .map(TierId::as_str)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let held = evaluation.decision.held.clone();
    let held_rank = held.as_ref().and_then(rank_of);
    let from = held_rank.map_or(0, |h| h + 1);
    // Top down: the target tier's gaps first; each lower tier's on the data with the
    // higher tiers' gaps closed, so no change is asked for twice.
    let mut out = Vec::new();
    let mut assessments = evaluation.assessments;
    for rank in (from..=target_rank).rev() {
        let Some(tier) = tiers.get(rank) else {
            continue;
        };
        let Some(a) = assessments.iter().find(|a| &a.tier == tier) else {
            continue;
        };
        let Some(set) = evaluator.sets().iter().find(|s| s.id == a.set) else {
            continue;
        };
        let requires_held = a
            .requires_held
            .clone()
            .filter(|r| !matches!((rank_of(r), held_rank), (Some(r), Some(h)) if r <= h));
        let gap = tier_gap(a, set, requires_held);
        let closing = UnitGaps {
            unit: unit.clone(),
            target: tier.clone(),
            year,
            held: None,
            tiers: vec![gap.clone()],
            profile_lacks: Vec::new(),
        }
        .changes();
        out.push(gap);
        if rank > from && !closing.is_empty() {
            data = apply_changes(&data, &closing, year);
            assessments = evaluator
                .evaluate(&input.profile, &data, &input.history)
                .map_err(|error| PlanError::Evaluate {
                    unit: unit.clone(),
                    year,
                    error,
                })?
                .assessments;
        }
    }
    out.reverse();
    Ok(UnitGaps {
        unit,
        target: target.clone(),
        year,
        held,
        tiers: out,
        profile_lacks: evaluation.profile_lacks,
    })
}

pub(crate) fn tier_gap(
    a: &Assessment,
    set: &CriteriaSet,
    requires_held: Option<TierId>,
) -> TierGap {
    let criteria = a
        .criteria
        .iter()
        .filter(|c| c.outcome != Outcome::Met)
        .map(|c| criterion_gap(c, set))
        .collect();
    let preconditions = a
        .preconditions
        .iter()
        .filter(|p| {
            matches!(
                p.outcome,
                IndicatorOutcome::NotMet | IndicatorOutcome::Undetermined
            )
        })
        .map(|p| indicator_gap(p, find_indicator(set, &p.id)))
        .collect();
    TierGap {
        tier: a.tier.clone(),
        set: a.set.clone(),
        outcome: a.outcome,
        criteria,
        preconditions,
        requires_held,
    }
}

fn find_indicator<'a>(set: &'a CriteriaSet, id: &IndicatorId) -> Option<&'a Indicator> {
    set.all_indicators().find(|i| &i.id == id)
}

fn criterion_gap(c: &CriterionAssessment, set: &CriteriaSet) -> CriterionGap {
    let def = set.criterion(c.id.as_str());
    let pass = def.map_or(PassRule::All, |d| d.pass);
    let applicable = c
        .indicators
        .iter()
        .filter(|i| i.outcome != IndicatorOutcome::NotApplicable)
        .count() as u32;
    let met = c
        .indicators
        .iter()
        .filter(|i| i.outcome == IndicatorOutcome::Met)
        .count() as u32;
    let required = match pass {
        PassRule::All => applicable,
        PassRule::AtLeast(k) => k.min(applicable),
    };
    let needed = required.saturating_sub(met);
    let lookup = |id: &IndicatorId| def.and_then(|d| d.indicators.iter().find(|i| &i.id == id));
    let mut short: Vec<IndicatorGap> = c
        .indicators
        .iter()
        .filter(|i| i.outcome == IndicatorOutcome::NotMet)
        .map(|i| indicator_gap(i, lookup(&i.id)))
        .collect();
    let open: Vec<IndicatorGap> = c
        .indicators
        .iter()
        .filter(|i| i.outcome == IndicatorOutcome::Undetermined)
        .map(|i| indicator_gap(i, lookup(&i.id)))
        .collect();
    // The cheapest `needed` first; a stable sort keeps official order among equals.
    short.sort_by_key(IndicatorGap::relative);
    let take = (needed as usize).min(short.len());
    let alternatives = short.split_off(take);
    let mut indicators = short;
    if c.outcome == Outcome::Undetermined || indicators.len() < needed as usize {
        indicators.extend(open);
    }
    CriterionGap {
        criterion: c.id.clone(),
        outcome: c.outcome,
        needed,
        indicators,
        alternatives,
    }
}

fn indicator_gap(i: &IndicatorAssessment, def: Option<&Indicator>) -> IndicatorGap {
    let threshold = i.threshold.as_deref().cloned();
    let shortfall = match i.outcome {
        IndicatorOutcome::Undetermined => Shortfall::Undetermined {
            reason: i.reason.unwrap_or(UndeterminedReason::MissingData),
        },
        _ => short_of(i, def).unwrap_or(Shortfall::Undetermined {
            reason: UndeterminedReason::MissingData,
        }),
    };
    IndicatorGap {
        indicator: i.id.clone(),
        shortfall,
        threshold,
    }
}

fn short_of(i: &IndicatorAssessment, def: Option<&Indicator>) -> Option<Shortfall> {
    let t = &i.threshold.as_deref()?.threshold;
    let kind = def.map(|d| &d.kind);
    match (t, &i.actual) {
        (Threshold::Number(t), Some(Value::Number(v))) => {
            let whole = matches!(kind, Some(ValueKind::Count));
            let step = if whole {
                Decimal::ONE
            } else {
                Decimal::new(1, v.scale().max(t.scale()))
            };
            let target = match i.requirement {
                Requirement::AtLeast if whole => t.ceil(),
                Requirement::AtMost if whole => t.floor(),
                Requirement::Above if whole => t.floor().checked_add(Decimal::ONE)?,
                Requirement::Below if whole => t.ceil().checked_sub(Decimal::ONE)?,
                Requirement::Above => t.checked_add(step)?,
                Requirement::Below => t.checked_sub(step)?,
                _ => *t,
            };
            Some(Shortfall::Number {
                actual: *v,
                threshold: *t,
                requirement: i.requirement,
                target,
                amount: target.checked_sub(*v)?.abs(),
            })
        }
        (Threshold::Flag(f), _) => Some(Shortfall::NotMet {
            target: Value::Flag(*f),
        }),
        (Threshold::Grade(g), Some(Value::Grade(actual))) => {
            let Some(ValueKind::Grade { grades }) = kind else {
                return None;
            };
            let at = grades.iter().position(|x| x == g)?;
            let have = grades.iter().position(|x| x == actual)?;
            let want = match i.requirement {
                Requirement::Above => at + 1,
                _ => at,
            };
            let target = grades.get(want)?.clone();
            Some(Shortfall::Grade {
                actual: actual.clone(),
                target,
                steps: u32::try_from(want.abs_diff(have)).ok()?,
            })
        }
        (Threshold::Grades(list), _) => {
            let first = match kind {
                Some(ValueKind::Grade { grades }) => {
                    grades.iter().find(|g| list.contains(g)).cloned()
                }
                _ => list.first().cloned(),
            }?;
            Some(Shortfall::NotMet {
                target: Value::Grade(first),
            })
        }
        _ => None,
    }
}
