//! Assessments + recognition history → [`Decision`]: the fourth stage of the pipeline.
//!
//! [`decide`] takes one unit's assessments against the tiers of one scheme and level
//! (standard, advanced, model: any subset) and its recognition history, and says what
//! follows:
//!
//! 1. **Revocation first.** If the unit holds a tier, the revocation rule of that tier's
//!    set is applied to the assessment it names (its own tier by default; an advanced or
//!    model commune is tested against the advanced set). Failing criteria are counted
//!    twice: only those not met (lower bound) and those not met or undetermined (upper
//!    bound). The rule is monotone, so if the lower bound revokes, the unit is revoked;
//!    if the upper bound does not, it is not; otherwise the decision cannot be made.
//! 2. **Then upwards.** From the tier above the one held (or the lowest tier), each tier
//!    whose set is met (every criterion and precondition) is reached, in order; the
//!    first tier not met, or undetermined, stops the climb. Tiers nest: a tier is never
//!    reached without every tier below it. A tier whose set
//!    [requires a tier held](crate::model::CriteriaSet::requires_held) first (the model
//!    commune must already be advanced) also stops the climb unless that tier was held
//!    before the reporting year; the gap says so ([`Gap::requires_held`]).
//!
//! The tier held comes from the history up to the end of the year before the reporting
//! year, checked for nesting; the reporting year's own events are not applied, so a year
//! can be run again after its decisions are recorded (see
//! [`held_before`](crate::engine::held_before)).
//!
//! An undetermined outcome never becomes a recognition or a revocation: the decision
//! then says it [cannot be made](Verdict::CannotDecide), and why.
//!
//! Assumptions where the law read is silent (documented in the README): revoking a tier
//! leaves the unit at the tier below it; history events of the reporting year and after
//! are not applied (and are listed on the decision); a set without a revocation rule
//! never revokes.

use crate::engine::assessment::{Assessment, IndicatorOutcome, Outcome, UndeterminedReason};
use crate::engine::history::held_at_start;
use crate::engine::problem::DecideError;
use crate::model::{
    CriterionId, History, IndicatorId, Level, RecognitionEvent, RevocationRule, SchemeId,
    ShareComparison, Source, TierId, UnitCode,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What follows for a unit, with the reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Decision {
    /// The unit.
    pub unit: UnitCode,
    /// The reporting year.
    pub year: u16,
    /// The scheme.
    pub scheme: SchemeId,
    /// The level.
    pub level: Level,
    /// Tier held before this decision, from the history.
    pub held: Option<TierId>,
    /// The verdict.
    pub verdict: Verdict,
    /// The tier above the result and what stands between the unit and it; absent at the
    /// top tier, or when no assessment for that tier was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Gap>,
    /// History events of the reporting year or later: not applied (the year's own
    /// decisions are recomputed; see [`held_before`](crate::engine::held_before)), listed
    /// so they can be compared with the verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events_not_applied: Vec<RecognitionEvent>,
    /// The fields in which the unit is a model (319/QĐ-TTg condition 4: "model in
    /// security and order"), as given with its input; set by the tree pass when the unit
    /// holds a tier after the decision.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outstanding_fields: Vec<String>,
}

impl Decision {
    /// The tier the unit holds after the decision (`Some(None)`: no tier), or `None`
    /// when the decision cannot be made.
    pub fn tier_after(&self) -> Option<Option<&TierId>> {
        match &self.verdict {
            Verdict::Recognise { tier, .. } | Verdict::Maintain { tier, .. } => Some(Some(tier)),
            Verdict::Revoke { falls_to, .. } => Some(falls_to.as_ref()),
            Verdict::NotYet { .. } => Some(None),
            Verdict::CannotDecide { .. } => None,
        }
    }
}

/// The verdict of a [`Decision`].
///
/// Not `#[non_exhaustive]` on purpose: callers should break when a verdict is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Recognise the unit at `tier` (reached this year together with `newly`, lowest
    /// first, which ends with `tier`).
    Recognise {
        /// Highest tier reached.
        tier: TierId,
        /// Every tier newly reached, lowest first.
        newly: Vec<TierId>,
    },
    /// The unit keeps the tier it holds. `not_met` lists criteria of that tier's
    /// revocation assessment that are not met, below the revocation threshold.
    Maintain {
        /// The tier kept.
        tier: TierId,
        /// Criteria not met (to be fixed, but not enough to revoke).
        not_met: Vec<CriterionId>,
    },
    /// Revoke the recognition of `tier`.
    Revoke {
        /// The tier revoked.
        tier: TierId,
        /// The tier the unit falls back to (the tier below), if any.
        falls_to: Option<TierId>,
        /// The clause that applies, with the figures and the rule's source.
        clause: Box<RevocationClause>,
    },
    /// The unit holds no tier and does not reach the lowest one; see [`Decision::next`].
    NotYet {
        /// The tier aimed at.
        tier: TierId,
    },
    /// The decision cannot be made from the data and thresholds at hand.
    CannotDecide {
        /// Why.
        reasons: Vec<CannotDecide>,
    },
}

/// The clause of a revocation rule that applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RevocationClause {
    /// Which clause.
    pub kind: ClauseKind,
    /// Criteria not met.
    pub failing: Vec<CriterionId>,
    /// Key criteria among them.
    pub key_failing: Vec<CriterionId>,
    /// Number of criteria of the assessment.
    pub total: u32,
    /// Exact failing share in percent (failing × 100 / total).
    pub failing_share: Decimal,
    /// The threshold of the clause in percent (0 for a condition not met).
    pub threshold: Decimal,
    /// How the share was compared.
    pub comparison: ShareComparison,
    /// Set whose assessment was used.
    pub assessed_against: TierId,
    /// Conditions of `revoke_when_not_met` that are not met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions_not_met: Vec<IndicatorId>,
    /// Where the rule comes from.
    pub source: Source,
}

/// Which clause of a revocation rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClauseKind {
    /// The failing share reaches `share_alone` (50%).
    ShareAlone,
    /// The failing share reaches `share_with_key` (30%) and a key criterion fails.
    ShareWithKey,
    /// A condition of `revoke_when_not_met` is not met (see
    /// [`RevocationClause::conditions_not_met`]).
    ConditionNotMet,
}

/// Why a decision cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CannotDecide {
    /// The assessment needed for `tier` was not given.
    MissingAssessment {
        /// The tier.
        tier: TierId,
    },
    /// Whether to revoke depends on undetermined criteria.
    RevocationUndetermined {
        /// The tier held.
        tier: TierId,
        /// Criteria not met.
        not_met: Vec<CriterionId>,
        /// Criteria undetermined that could tip the balance.
        undetermined: Vec<CriterionId>,
        /// Revocation conditions undetermined.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        undetermined_conditions: Vec<IndicatorId>,
    },
    /// Whether the lowest tier is reached depends on undetermined criteria or
    /// preconditions.
    TierUndetermined {
        /// What is open.
        gap: Gap,
    },
}

/// What stands between a unit and a tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Gap {
    /// The tier.
    pub tier: TierId,
    /// Outcome of the tier's set.
    pub outcome: Outcome,
    /// Criteria not met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria_not_met: Vec<CriterionId>,
    /// Preconditions not met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preconditions_not_met: Vec<IndicatorId>,
    /// Criteria undetermined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria_undetermined: Vec<CriterionId>,
    /// Indicators and preconditions without data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_data: Vec<IndicatorId>,
    /// Indicators and preconditions whose threshold the sources leave unknown, or
    /// delegate to the province without a provincial value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_thresholds: Vec<IndicatorId>,
    /// Indicators and preconditions with no threshold row for the unit's profile and
    /// year: the table has none for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_threshold_row: Vec<IndicatorId>,
    /// Indicators and preconditions with no threshold row because the unit's profile
    /// lacks a field the rows are keyed on (a region, a commune group): complete the
    /// profile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile_incomplete: Vec<IndicatorId>,
    /// A tier the unit must already hold, from a decision before the reporting year,
    /// before this tier can be recognised, and does not (319/QĐ-TTg: a model commune must
    /// already be advanced). The tier is not reached this year even when its set is met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_held: Option<TierId>,
}

impl Gap {
    fn of(a: &Assessment) -> Self {
        let mut missing_data = Vec::new();
        let mut unknown_thresholds = Vec::new();
        let mut no_threshold_row = Vec::new();
        let mut profile_incomplete = Vec::new();
        let all = a
            .criteria
            .iter()
            .flat_map(|c| c.indicators.iter())
            .chain(a.preconditions.iter());
        for i in all {
            match i.reason {
                Some(UndeterminedReason::MissingData) => missing_data.push(i.id.clone()),
                Some(UndeterminedReason::NoThresholdRow) => no_threshold_row.push(i.id.clone()),
                Some(UndeterminedReason::ProfileIncomplete) => {
                    profile_incomplete.push(i.id.clone());
                }
                Some(_) => unknown_thresholds.push(i.id.clone()),
                None => {}
            }
        }
        Gap {
            tier: a.tier.clone(),
            outcome: a.outcome,
            criteria_not_met: a.criteria_with(Outcome::NotMet),
            preconditions_not_met: a
                .preconditions
                .iter()
                .filter(|p| p.outcome == IndicatorOutcome::NotMet)
                .map(|p| p.id.clone())
                .collect(),
            criteria_undetermined: a.criteria_with(Outcome::Undetermined),
            missing_data,
            unknown_thresholds,
            no_threshold_row,
            profile_incomplete,
            requires_held: None,
        }
    }
}

impl RevocationRule {
    /// Applies the rule to a count of failing criteria out of `total`, knowing whether a
    /// key criterion is among them. Gives the clause that applies, if any.
    ///
    /// # Example
    ///
    /// 6 of 19 criteria failing is 31.6%: revoked only with a key criterion.
    ///
    /// ```
    /// use ntm_rules::policy::illustrative;
    /// use ntm_rules::engine::ClauseKind;
    ///
    /// let rule = illustrative::commune_standard().revocation.unwrap();
    /// assert_eq!(rule.applies(6, 19, true), Some(ClauseKind::ShareWithKey));
    /// assert_eq!(rule.applies(6, 19, false), None);
    /// assert_eq!(rule.applies(10, 19, false), Some(ClauseKind::ShareAlone));
    /// ```
    pub fn applies(&self, failing: u32, total: u32, key_failing: bool) -> Option<ClauseKind> {
        if total == 0 {
            return None;
        }
        if reaches(self.comparison, failing, total, self.share_alone) {
            Some(ClauseKind::ShareAlone)
        } else if key_failing && reaches(self.comparison, failing, total, self.share_with_key) {
            Some(ClauseKind::ShareWithKey)
        } else {
            None
        }
    }
}

/// Whether `failing` of `total` reaches `share` percent under `comparison`.
fn reaches(comparison: ShareComparison, failing: u32, total: u32, share: Decimal) -> bool {
    let failing = Decimal::from(failing);
    let total = Decimal::from(total);
    // share × total: share is validated to 0–100 and total is a u32, so this cannot
    // overflow; if it ever did, nothing is revoked rather than guessing.
    let Some(scaled) = share.checked_mul(total) else {
        return false;
    };
    let hundred = Decimal::ONE_HUNDRED;
    match comparison {
        ShareComparison::Exact => failing.checked_mul(hundred).is_some_and(|f| f >= scaled),
        ShareComparison::CountRoundedDown => scaled
            .checked_div(hundred)
            .is_some_and(|c| failing >= c.floor()),
        ShareComparison::CountRoundedHalfUp => scaled.checked_div(hundred).is_some_and(|c| {
            failing
                >= c.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        }),
        ShareComparison::CountRoundedUp => scaled
            .checked_div(hundred)
            .is_some_and(|c| failing >= c.ceil()),
    }
}

/// Decides recognition, maintenance or revocation for one unit.
///
/// `assessments` are the unit's assessments for the same year, scheme and level, one per
/// tier, in any order; a tier may be left out (it is then never reached, and a decision
/// that needs it cannot be made). See the module docs for the rules.
///
/// # Errors
///
/// A [`DecideError`] if no assessment is given, if they are of different units, years,
/// schemes or levels, if two share a tier, if the history names a tier the scheme does
/// not have, or if a revocation rule names a key criterion the assessed set lacks.
///
/// # Example
///
/// ```
/// use ntm_rules::compile;
/// use ntm_rules::engine::{Verdict, decide};
/// use ntm_rules::policy::illustrative;
/// use ntm_rules::model::{History, Profile, Region};
///
/// let profile = Profile::in_region(Region::Tdmnpb);
/// let data = illustrative::sample_commune("07672", 2022);
/// let assessments = illustrative::commune_sets()
///     .iter()
///     .map(|set| compile(set, &profile, 2022)?.evaluate(&data).map_err(Into::into))
///     .collect::<Result<Vec<_>, ntm_rules::Error>>()?;
/// let decision = decide(&assessments, &History::default())?;
/// assert!(matches!(decision.verdict, Verdict::Recognise { ref tier, .. } if tier.as_str() == "standard"));
/// # Ok::<(), ntm_rules::Error>(())
/// ```
pub fn decide(assessments: &[Assessment], history: &History) -> Result<Decision, DecideError> {
    let first = assessments.first().ok_or(DecideError::NoAssessments)?;
    let tiers = &first.scheme.tiers;
    // By tier rank (a scheme has a handful of tiers).
    let mut by_rank: Vec<Option<&Assessment>> = vec![None; tiers.len()];
    for a in assessments {
        let same = a.unit == first.unit
            && a.year == first.year
            && a.scheme.id == first.scheme.id
            && a.level == first.level;
        let rank = tiers.iter().position(|t| t == &a.tier);
        let (true, Some(rank)) = (same, rank) else {
            return Err(DecideError::MixedAssessments { set: a.set.clone() });
        };
        // `rank` is a position in `tiers`, so it has its place.
        if by_rank.get_mut(rank).and_then(|at| at.replace(a)).is_some() {
            return Err(DecideError::DuplicateTier {
                tier: a.tier.clone(),
            });
        }
    }
    let start = held_at_start(history, tiers, first.year, &first.unit)?;
    let held = start.rank;
    let tier_at = |r: usize| tiers.get(r).cloned();
    let mut decision = Decision {
        unit: first.unit.clone(),
        year: first.year,
        scheme: first.scheme.id.clone(),
        level: first.level,
        held: held.and_then(tier_at),
        verdict: Verdict::CannotDecide { reasons: vec![] },
        next: None,
        events_not_applied: start.not_applied,
        outstanding_fields: Vec::new(),
    };

    // 1. Revocation of the tier held.
    let mut maintained_not_met = Vec::new();
    if let Some(h) = held {
        let held_tier = tier_at(h).unwrap_or_else(|| TierId::new("?"));
        let Some(own) = by_rank.get(h).copied().flatten() else {
            decision.verdict = Verdict::CannotDecide {
                reasons: vec![CannotDecide::MissingAssessment { tier: held_tier }],
            };
            return Ok(decision);
        };
        if let Some(rule) = &own.revocation {
            let target_tier = rule
                .assess_against
                .clone()
                .unwrap_or_else(|| held_tier.clone());
            let target = tiers
                .iter()
                .position(|t| t == &target_tier)
                .and_then(|r| by_rank.get(r).copied().flatten());
            let Some(target) = target else {
                decision.verdict = Verdict::CannotDecide {
                    reasons: vec![CannotDecide::MissingAssessment { tier: target_tier }],
                };
                return Ok(decision);
            };
            for key in &rule.key_criteria {
                if target.criterion(key.as_str()).is_none() {
                    return Err(DecideError::UnknownKeyCriterion {
                        set: target.set.clone(),
                        criterion: key.clone(),
                    });
                }
            }
            // Revocation conditions: a condition not met revokes; an undetermined one
            // could. In a decision-only assessment, met conditions are left out, so a
            // condition that is not found was met (compile checks that it exists).
            let mut conditions_not_met = Vec::new();
            let mut conditions_open = Vec::new();
            for id in &rule.revoke_when_not_met {
                match target.indicator(id.as_str()).map(|i| i.outcome) {
                    Some(IndicatorOutcome::NotMet) => conditions_not_met.push(id.clone()),
                    Some(IndicatorOutcome::Undetermined) => conditions_open.push(id.clone()),
                    _ => {}
                }
            }
            let not_met = target.criteria_with(Outcome::NotMet);
            let open = target.criteria_with(Outcome::Undetermined);
            let total = target.totals.criteria;
            let is_key = |c: &CriterionId| rule.key_criteria.contains(c);
            let lower = rule
                .applies(not_met.len() as u32, total, not_met.iter().any(is_key))
                .or((!conditions_not_met.is_empty()).then_some(ClauseKind::ConditionNotMet));
            let upper = rule
                .applies(
                    (not_met.len() + open.len()) as u32,
                    total,
                    not_met.iter().chain(open.iter()).any(is_key),
                )
                .or((!conditions_open.is_empty()).then_some(ClauseKind::ConditionNotMet));
            if let Some(kind) = lower {
                let failing_share = Decimal::from(not_met.len() as u32)
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|f| f.checked_div(Decimal::from(total)))
                    .unwrap_or_default();
                decision.verdict = Verdict::Revoke {
                    tier: held_tier,
                    falls_to: h.checked_sub(1).and_then(tier_at),
                    clause: Box::new(RevocationClause {
                        kind,
                        key_failing: not_met.iter().filter(|c| is_key(c)).cloned().collect(),
                        failing: not_met,
                        total,
                        failing_share,
                        threshold: match kind {
                            ClauseKind::ShareAlone => rule.share_alone,
                            ClauseKind::ShareWithKey => rule.share_with_key,
                            ClauseKind::ConditionNotMet => Decimal::ZERO,
                        },
                        comparison: rule.comparison,
                        assessed_against: target.tier.clone(),
                        conditions_not_met,
                        source: rule.source.clone(),
                    }),
                };
                decision.next = by_rank.get(h).copied().flatten().map(Gap::of);
                return Ok(decision);
            }
            if upper.is_some() {
                decision.verdict = Verdict::CannotDecide {
                    reasons: vec![CannotDecide::RevocationUndetermined {
                        tier: held_tier,
                        not_met,
                        undetermined: open,
                        undetermined_conditions: conditions_open,
                    }],
                };
                return Ok(decision);
            }
            maintained_not_met = not_met;
        } else {
            maintained_not_met = own.criteria_with(Outcome::NotMet);
        }
    }

    // 2. Upwards from the tier above the one held.
    let mut newly = Vec::new();
    let mut rank = held.map_or(0, |h| h + 1);
    let mut stop: Option<&Assessment> = None;
    let mut blocked_by: Option<TierId> = None;
    while let Some(tier) = tier_at(rank) {
        let Some(a) = by_rank.get(rank).copied().flatten() else {
            if held.is_none() && newly.is_empty() {
                decision.verdict = Verdict::CannotDecide {
                    reasons: vec![CannotDecide::MissingAssessment { tier }],
                };
                return Ok(decision);
            }
            break;
        };
        // A tier that must already be held (from before this year) for this one.
        let unmet_requirement = a.requires_held.as_ref().filter(|required| {
            let required_rank = tiers.iter().position(|t| t == *required);
            !matches!((required_rank, held), (Some(r), Some(h)) if r <= h)
        });
        if let Some(required) = unmet_requirement {
            blocked_by = Some(required.clone());
            stop = Some(a);
            break;
        }
        if a.outcome == Outcome::Met {
            newly.push(tier);
            rank += 1;
        } else {
            stop = Some(a);
            break;
        }
    }
    decision.next = stop.map(|a| Gap {
        requires_held: blocked_by.clone(),
        ..Gap::of(a)
    });
    decision.verdict = match (newly.last().cloned(), held.and_then(tier_at), stop) {
        (Some(tier), _, _) => Verdict::Recognise { tier, newly },
        (None, Some(tier), _) => Verdict::Maintain {
            tier,
            not_met: maintained_not_met,
        },
        (None, None, Some(a)) if a.outcome == Outcome::NotMet || blocked_by.is_some() => {
            Verdict::NotYet {
                tier: a.tier.clone(),
            }
        }
        (None, None, Some(a)) => Verdict::CannotDecide {
            reasons: vec![CannotDecide::TierUndetermined { gap: Gap::of(a) }],
        },
        // INVARIANT: with no tier held and none reached, the loop stopped at an
        // assessment or returned early above; an empty scheme ends here.
        (None, None, None) => Verdict::CannotDecide { reasons: vec![] },
    };
    Ok(decision)
}
