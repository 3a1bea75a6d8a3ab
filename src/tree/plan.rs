//! Annual plan targets and progress against them: the last stage before rendering.
//!
//! A [`Plan`] is plain data: for a scope unit (a province, a district) and a year, a list
//! of [`Target`]s, each a [`Measure`] of the [`Aggregation`] (counts of units at a
//! tier, cumulative or new this year; shares with an explicit denominator; the average
//! number of criteria met per commune; an indicator value of the scope, rolled up from
//! its communes or given directly in its data), a requirement and a value.
//! [`Plan::progress`] gives, for each target, the actual value, whether it is met, and
//! if not, by how much it falls short — all exact decimals.
//!
//! **Stated precision.** Plans state shares and averages rounded ("79.9%", "17.1
//! criteria per commune"), while the actual values are exact (147/184 = 79.891…%). A
//! target may say `precision: 1`: the actual value is then rounded half away from zero
//! to one decimal before it is compared, as the plan's own figure was. Without
//! `precision`, the exact value is compared. The gap is always computed from the value
//! compared.

use crate::model::{
    decimal_serde, from_json, IndicatorId, Label, Level, LoadError, Requirement, Source, TierId,
    UnitCode, Value,
};
use crate::tree::input::UnitInput;
use crate::tree::milestones::{MilestoneProgress, PlanMilestones, UnitProcedure};
use crate::tree::result::Aggregation;
use crate::tree::summary::Summary;
use crate::tree::unknown::UnknownReason;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An annual plan (kế hoạch) for a scope unit: its targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Plan id.
    pub id: String,
    /// Plan name.
    pub name: Label,
    /// The unit whose results the targets are about (the province).
    pub scope: UnitCode,
    /// The year.
    pub year: u16,
    /// Where the plan comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The targets, in the plan's order.
    pub targets: Vec<Target>,
    /// The procedure milestones: deadlines and each unit's procedure dates (absent: no
    /// milestones are reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestones: Option<PlanMilestones>,
}

/// Whether a count is of all units holding a tier or of those that reached it this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Every unit holding the tier after this year's decisions (lũy kế).
    #[default]
    Cumulative,
    /// Units that reached the tier this year (có thêm).
    New,
}

/// The denominator of a share.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// Every assessed unit of the level (147/184 communes).
    #[default]
    AllUnits,
    /// The units holding the lowest tier of the level (advanced communes over standard
    /// communes, as national reports do).
    LowestTier,
}

/// Where an indicator value of the scope comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// The roll-up of the indicator in the scope's summary if there is one, else the
    /// value given in the scope's data.
    #[default]
    Any,
    /// Only the roll-up.
    RolledUp,
    /// Only the value given in the scope's data.
    Given,
}

/// What a target measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Number of units of a level at any of `tiers` (or higher).
    TierCount {
        /// The level.
        level: Level,
        /// The tiers (several when kinds of unit have different tiers: rural districts
        /// `standard`, cities `completed`); the counts are added, so a tier listed twice
        /// is refused rather than counted twice.
        #[serde(deserialize_with = "distinct_tiers")]
        #[cfg_attr(feature = "schema", schemars(extend("uniqueItems" = true)))]
        tiers: Vec<TierId>,
        /// Cumulative or new this year.
        #[serde(default)]
        period: Period,
    },
    /// Share in percent of units of a level at a tier (or higher), cumulative.
    TierShare {
        /// The level.
        level: Level,
        /// The tier.
        tier: TierId,
        /// Over what.
        #[serde(default)]
        denominator: Denominator,
    },
    /// Average number of criteria met per commune (of the lowest-tier set).
    AverageCriteriaMet,
    /// Number of communes meeting fewer criteria than `below`.
    CommunesBelow {
        /// The number of criteria.
        below: u32,
    },
    /// An indicator value of the scope.
    Indicator {
        /// The indicator.
        indicator: IndicatorId,
        /// Where the value comes from.
        #[serde(default)]
        from: ValueSource,
    },
}

/// One target of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Target id, unique in the plan.
    pub id: String,
    /// What it is, for reports.
    pub label: Label,
    /// What is measured.
    pub measure: Measure,
    /// How the actual value is compared with `value`: `at_least`, `at_most`, `above`,
    /// `below` or `equal`. `one_of` is refused: a target has one value.
    #[serde(deserialize_with = "plan_requirement")]
    #[cfg_attr(feature = "schema", schemars(with = "PlanRequirement"))]
    pub requirement: Requirement,
    /// The target value.
    #[serde(with = "decimal_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "decimal_serde::DecimalSchema"))]
    pub value: Decimal,
    /// Decimal places the plan states the value to; the actual value is rounded half
    /// away from zero to them before comparing (see the module docs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<u32>,
    /// The previous year's value, to show the change.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "optional_decimal"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<decimal_serde::DecimalSchema>")
    )]
    pub baseline: Option<Decimal>,
    /// Unit of the value, for reports (`"%"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Label>,
}

/// The requirements a plan target can have: those of indicators but `one_of`.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code, reason = "a schema stand-in, never built")]
enum PlanRequirement {
    AtLeast,
    AtMost,
    Above,
    Below,
    Equal,
}

fn plan_requirement<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Requirement, D::Error> {
    match Requirement::deserialize(d)? {
        Requirement::OneOf => Err(serde::de::Error::custom(
            "`one_of` is not a plan requirement: a target has one value (use `equal`)",
        )),
        r => Ok(r),
    }
}

fn distinct_tiers<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<TierId>, D::Error> {
    let tiers = Vec::<TierId>::deserialize(d)?;
    match repeated_tier(&tiers) {
        Some(t) => Err(serde::de::Error::custom(format_args!(
            "tier `{t}` is listed twice: it would be counted twice"
        ))),
        None => Ok(tiers),
    }
}

/// The first tier listed more than once.
fn repeated_tier(tiers: &[TierId]) -> Option<&TierId> {
    tiers
        .iter()
        .enumerate()
        .find_map(|(i, t)| tiers.get(..i)?.contains(t).then_some(t))
}

mod optional_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    struct Wrap(#[serde(with = "crate::model::decimal_serde")] Decimal);

    pub(super) fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => crate::model::decimal_serde::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Option::<Wrap>::deserialize(d).map(|o| o.map(|w| w.0))
    }
}

/// How a target stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "schema", schemars(rename = "Status"))] // the schema name of the first version
pub enum TargetStatus {
    /// The target is met.
    Met,
    /// The target is not met; `by` is how far the value compared is from it (positive).
    Short {
        /// The shortfall.
        by: Decimal,
    },
    /// The value compared equals the target, which the requirement (`above`, `below`)
    /// excludes: not met, and there is no least amount to give as a shortfall. (A whole
    /// count at the target is `short` by 1 instead.)
    AtTarget,
    /// The actual value is not known (see the reason).
    Unknown {
        /// Why.
        reason: UnknownReason,
    },
}

/// Progress on one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Progress {
    /// The target.
    pub target: Target,
    /// The actual value, exact.
    pub actual: Option<Decimal>,
    /// The value compared: `actual`, rounded to the target's precision if it has one.
    pub compared: Option<Decimal>,
    /// For shares: the count and the denominator behind `actual`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<(u32, u32)>,
    /// Met, short or unknown.
    pub status: TargetStatus,
    /// `actual − baseline`, when the target has a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Decimal>,
}

/// Progress on every target of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PlanProgress {
    /// Plan id.
    pub plan: String,
    /// Plan name.
    pub name: Label,
    /// Scope unit.
    pub scope: UnitCode,
    /// Year.
    pub year: u16,
    /// One entry per target, in the plan's order.
    pub targets: Vec<Progress>,
    /// The units behind schedule and those without procedure data, when the plan has
    /// milestones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestones: Option<MilestoneProgress>,
}

impl PlanProgress {
    /// Number of targets met.
    pub fn met(&self) -> usize {
        self.targets
            .iter()
            .filter(|p| p.status == TargetStatus::Met)
            .count()
    }

    /// Progress on a target by id.
    pub fn target(&self, id: &str) -> Option<&Progress> {
        self.targets.iter().find(|p| p.target.id == id)
    }
}

impl Plan {
    /// Adds the procedure dates of `inputs` ([`UnitInput::procedure`]) to the plan's
    /// milestones, beside those the plan lists itself (a step given two different days
    /// is reported in [`MilestoneProgress::problems`], the unit counted as unknown).
    /// Returns the units whose dates nothing reads, because the plan has no milestones,
    /// so that they can be reported as unused.
    pub fn add_procedures_from(&mut self, inputs: &[UnitInput]) -> Vec<UnitCode> {
        let given = inputs.iter().filter(|i| !i.procedure.is_empty());
        match &mut self.milestones {
            Some(m) => {
                m.procedures.extend(given.map(|i| UnitProcedure {
                    unit: i.data.unit.clone(),
                    done: i.procedure.clone(),
                }));
                Vec::new()
            }
            None => given.map(|i| i.data.unit.clone()).collect(),
        }
    }

    /// Reads a plan from JSON.
    ///
    /// # Errors
    ///
    /// A [`LoadError`] naming the JSON path.
    pub fn from_json(text: &str) -> Result<Plan, LoadError> {
        from_json("plan", text)
    }

    /// Whether a target of the plan reads the value of `indicator` given in `unit`'s
    /// own data (an indicator target of the plan's scope), so that value is used even
    /// if no criteria set reads it.
    pub fn reads_value(&self, unit: &UnitCode, indicator: &IndicatorId) -> bool {
        &self.scope == unit
            && self.targets.iter().any(
                |t| matches!(&t.measure, Measure::Indicator { indicator: i, .. } if i == indicator),
            )
    }

    /// Measures progress on every target from an aggregation. A target whose value
    /// cannot be measured (no summary for the scope, a roll-up left missing) is
    /// [`TargetStatus::Unknown`], with the reason; it does not stop the others.
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::tree::{Plan, TargetStatus};
    /// # use ntm_rules::tree::{aggregate, AggregateOptions, LevelSets, UnitInput};
    /// # use ntm_rules::model::{AdminUnit, Date};
    /// # use ntm_rules::tree::Hierarchy;
    /// # use ntm_rules::policy::illustrative;
    /// # use ntm_rules::model::{Level, Profile, Region};
    /// # let tree = Hierarchy::new(vec![
    /// #     AdminUnit::new("P", "Province", Level::Province),
    /// #     AdminUnit::new("C1", "Commune 1", Level::Commune).with_parent("P"),
    /// # ], Date::end_of_year(2022)).unwrap();
    /// # let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
    /// # let inputs = vec![UnitInput::new(illustrative::sample_commune("C1", 2022))
    /// #     .with_profile(Profile::in_region(Region::Tdmnpb))];
    /// let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
    /// let plan = Plan::from_json(r#"{
    ///   "id": "p", "name": {"vi": "Kế hoạch", "en": "Plan"}, "scope": "P", "year": 2022,
    ///   "targets": [{"id": "std", "label": {"vi": "Xã đạt chuẩn", "en": "Standard communes"},
    ///     "measure": {"tier_count": {"level": "commune", "tiers": ["standard"]}},
    ///     "requirement": "at_least", "value": 2}]
    /// }"#)?;
    /// let progress = plan.progress(&agg);
    /// assert_eq!(progress.targets[0].status, TargetStatus::Short { by: 1.into() });
    /// # Ok::<(), ntm_rules::model::LoadError>(())
    /// ```
    pub fn progress(&self, agg: &Aggregation) -> PlanProgress {
        let summary = agg.summary(self.scope.as_str());
        let given = agg
            .result(self.scope.as_str())
            .and_then(|r| r.data.as_ref());
        let targets = self
            .targets
            .iter()
            .map(|t| {
                let measured = match (summary, self.year == agg.year) {
                    (_, false) => Err(UnknownReason::OtherYear {
                        plan: self.year,
                        results: agg.year,
                    }),
                    (None, _) => Err(UnknownReason::NoSummary {
                        unit: self.scope.clone(),
                    }),
                    (Some(s), true) => measure(&t.measure, s, given),
                };
                progress_of(t, measured)
            })
            .collect();
        PlanProgress {
            plan: self.id.clone(),
            name: self.name.clone(),
            scope: self.scope.clone(),
            year: self.year,
            targets,
            milestones: self.milestones.as_ref().map(|m| m.progress(agg)),
        }
    }
}

type Measured = Result<(Decimal, Option<(u32, u32)>), UnknownReason>;

fn measure(m: &Measure, s: &Summary, given: Option<&crate::model::IndicatorData>) -> Measured {
    let level_counts = |level: Level| s.level(level).ok_or(UnknownReason::NoLevel { level });
    match m {
        Measure::TierCount {
            level,
            tiers,
            period,
        } => {
            if let Some(t) = repeated_tier(tiers) {
                return Err(UnknownReason::RepeatedTier { tier: t.clone() });
            }
            let l = level_counts(*level)?;
            let mut n = 0u32;
            for t in tiers {
                let c = l.tier(t.as_str()).map_or(0, |c| match period {
                    Period::Cumulative => c.cumulative,
                    Period::New => c.new,
                });
                n = n.checked_add(c).ok_or(UnknownReason::CountOverflow)?;
            }
            Ok((Decimal::from(n), None))
        }
        Measure::TierShare {
            level,
            tier,
            denominator,
        } => {
            let l = level_counts(*level)?;
            let c = l
                .tier(tier.as_str())
                .ok_or_else(|| UnknownReason::NoUnitAtTier { tier: tier.clone() })?;
            let share = match denominator {
                Denominator::AllUnits => c.share_of_all,
                Denominator::LowestTier => c.share_of_lowest,
            };
            share
                .percent
                .map(|p| (p, Some((share.count, share.total))))
                .ok_or(UnknownReason::ZeroDenominator)
        }
        Measure::AverageCriteriaMet => {
            let c = s
                .criteria
                .as_ref()
                .filter(|c| c.average.count > 0)
                .ok_or(UnknownReason::NoCommuneEvaluated)?;
            let value = c.average.value.ok_or(UnknownReason::AverageNotComputable)?;
            // The sum is reported beside its count; one too large for that is an error,
            // not a saturated figure.
            let sum = u32::try_from(c.average.sum)
                .map_err(|_| UnknownReason::SumTooLarge { sum: c.average.sum })?;
            Ok((value, Some((sum, c.average.count))))
        }
        Measure::CommunesBelow { below } => {
            let c = s
                .criteria
                .as_ref()
                .ok_or(UnknownReason::NoCommuneEvaluated)?;
            if *below == c.below_floor {
                Ok((Decimal::from(c.below), None))
            } else {
                Err(UnknownReason::OtherFloor {
                    summary: c.below_floor,
                    target: *below,
                })
            }
        }
        Measure::Indicator { indicator, from } => {
            let rolled = s.rollup(indicator.as_str());
            let given_value = given.and_then(|d| match d.values.get(indicator) {
                Some(Value::Number(n)) => Some(*n),
                _ => None,
            });
            let from_rollup = || match rolled {
                Some(r) => {
                    r.value
                        .map(|v| (v, None))
                        .ok_or_else(|| UnknownReason::RollUpIncomplete {
                            indicator: indicator.clone(),
                            missing_value: r.missing_value.len(),
                            missing_weight: r.missing_weight.len(),
                            overflow: r.overflow,
                            zero_weight: r.no_value
                                == Some(crate::tree::summary::NoValue::ZeroWeight),
                        })
                }
                None => Err(UnknownReason::NoRollUp {
                    indicator: indicator.clone(),
                }),
            };
            let from_given = || {
                given_value
                    .map(|v| (v, None))
                    .ok_or_else(|| UnknownReason::NotGiven {
                        indicator: indicator.clone(),
                    })
            };
            match from {
                ValueSource::RolledUp => from_rollup(),
                ValueSource::Given => from_given(),
                ValueSource::Any if rolled.is_some() => from_rollup(),
                ValueSource::Any => from_given(),
            }
        }
    }
}

fn progress_of(t: &Target, measured: Measured) -> Progress {
    // A plan built in code is not checked by the loader.
    let measured = match t.requirement {
        Requirement::OneOf => Err(UnknownReason::OneOf {
            target: t.id.clone(),
        }),
        _ => measured,
    };
    let (actual, of) = match measured {
        Ok((v, of)) => (Some(v), of),
        Err(reason) => {
            return Progress {
                target: t.clone(),
                actual: None,
                compared: None,
                of: None,
                status: TargetStatus::Unknown { reason },
                change: None,
            }
        }
    };
    let compared = actual.map(|a| match t.precision {
        Some(dp) => {
            a.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        }
        None => a,
    });
    let whole = matches!(
        t.measure,
        Measure::TierCount { .. } | Measure::CommunesBelow { .. }
    );
    let status = match compared {
        Some(c) => match (t.precision, of, per_unit(&t.measure)) {
            // Without a stated precision, a share or an average is compared as the exact
            // quotient it is, not as its decimal rounded at the 28th digit.
            (None, Some((n, d)), Some(k)) => compare_quotient(t, c, n, d, k),
            _ => compare(t.requirement, c, t.value, whole),
        },
        None => TargetStatus::Unknown {
            reason: UnknownReason::NoValue,
        },
    };
    let change = match (actual, t.baseline) {
        (Some(a), Some(b)) => a.checked_sub(b),
        _ => None,
    };
    Progress {
        target: t.clone(),
        actual,
        compared,
        of,
        status,
        change,
    }
}

/// The factor `k` of a quotient measure, whose actual value is `k × count / denominator`.
fn per_unit(m: &Measure) -> Option<u32> {
    match m {
        Measure::TierShare { .. } => Some(100),
        Measure::AverageCriteriaMet => Some(1),
        _ => None,
    }
}

/// How `k × n / d` (all whole, `d > 0`) stands against `t`, exactly: `k·n·10^s` against
/// `T·d` for `t = T / 10^s`, in 128-bit integers (`T·d` always fits; a left side that
/// does not is larger).
fn order_quotient(n: u32, d: u32, k: u32, t: Decimal) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if d == 0 {
        return None;
    }
    if t.is_sign_negative() && !t.is_zero() {
        return Some(Ordering::Greater);
    }
    let rhs = t.mantissa().unsigned_abs().checked_mul(u128::from(d))?;
    let lhs = u128::from(n)
        .checked_mul(u128::from(k))
        .and_then(|x| 10u128.checked_pow(t.scale()).and_then(|p| x.checked_mul(p)));
    Some(lhs.map_or(Ordering::Greater, |l| l.cmp(&rhs)))
}

/// [`compare`] for a quotient `k × n / d` whose decimal is `actual`: decided by the exact
/// order. The decimal's verdict stands when the two agree, as they do unless the target
/// is within one unit of the 28th significant digit of the quotient; otherwise the exact
/// verdict is given, and a shortfall smaller than a decimal holds is given as 10⁻²⁸, its
/// upper bound.
fn compare_quotient(t: &Target, actual: Decimal, n: u32, d: u32, k: u32) -> TargetStatus {
    use std::cmp::Ordering;
    let by_decimal = compare(t.requirement, actual, t.value, false);
    let Some(order) = order_quotient(n, d, k, t.value) else {
        return by_decimal;
    };
    let met = match t.requirement {
        Requirement::AtLeast => order != Ordering::Less,
        Requirement::AtMost => order != Ordering::Greater,
        Requirement::Above => order == Ordering::Greater,
        Requirement::Below => order == Ordering::Less,
        Requirement::Equal | Requirement::OneOf => order == Ordering::Equal,
    };
    match (met, &by_decimal) {
        (true, TargetStatus::Met)
        | (false, TargetStatus::Short { .. } | TargetStatus::AtTarget) => by_decimal,
        (true, _) => TargetStatus::Met,
        (false, _) => TargetStatus::Short {
            by: Decimal::new(1, 28),
        },
    }
}

/// Compares the value with the target; `whole` when the measure is a whole count, so
/// that the least step is 1.
fn compare(req: Requirement, actual: Decimal, target: Decimal, whole: bool) -> TargetStatus {
    let met = match req {
        Requirement::AtLeast => actual >= target,
        Requirement::AtMost => actual <= target,
        Requirement::Above => actual > target,
        Requirement::Below => actual < target,
        Requirement::Equal | Requirement::OneOf => actual == target,
    };
    if met {
        return TargetStatus::Met;
    }
    let strict = matches!(req, Requirement::Above | Requirement::Below);
    if strict && actual == target {
        // Not above (below) it: a count needs one more (fewer); a decimal has no least
        // amount.
        return if whole {
            TargetStatus::Short { by: Decimal::ONE }
        } else {
            TargetStatus::AtTarget
        };
    }
    let by = match req {
        Requirement::AtLeast | Requirement::Above => target.checked_sub(actual),
        Requirement::AtMost | Requirement::Below => actual.checked_sub(target),
        Requirement::Equal | Requirement::OneOf => target.checked_sub(actual).map(|d| d.abs()),
    };
    match by {
        Some(by) => TargetStatus::Short { by },
        None => TargetStatus::Unknown {
            reason: UnknownReason::GapOverflow,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn comparisons() {
        assert_eq!(
            compare(Requirement::AtLeast, d("78.2"), d("78.5"), false),
            TargetStatus::Short { by: d("0.3") }
        );
        assert_eq!(
            compare(Requirement::AtMost, d("4.1"), d("4.2"), false),
            TargetStatus::Met
        );
        assert_eq!(
            compare(Requirement::Above, d("99.5"), d("99"), false),
            TargetStatus::Met
        );
    }

    #[test]
    fn above_at_equality_is_not_short_by_zero() {
        assert_eq!(
            compare(Requirement::Above, d("99"), d("99"), false),
            TargetStatus::AtTarget
        );
        assert_eq!(
            compare(Requirement::Below, d("4.2"), d("4.20"), false),
            TargetStatus::AtTarget
        );
        // A whole count needs one more (one fewer).
        assert_eq!(
            compare(Requirement::Above, d("12"), d("12"), true),
            TargetStatus::Short { by: d("1") }
        );
        assert_eq!(
            compare(Requirement::Below, d("3"), d("3"), true),
            TargetStatus::Short { by: d("1") }
        );
    }

    fn target_json(requirement: &str, tiers: &str) -> String {
        format!(
            r#"{{"id": "p", "name": {{"vi": "K", "en": "P"}}, "scope": "P", "year": 2022,
            "targets": [
              {{"id": "ok", "label": {{"vi": "a", "en": "a"}}, "measure": "average_criteria_met",
                "requirement": "at_least", "value": "15"}},
              {{"id": "std", "label": {{"vi": "b", "en": "b"}},
                "measure": {{"tier_count": {{"level": "commune", "tiers": {tiers}}}}},
                "requirement": "{requirement}", "value": 3}}]}}"#
        )
    }

    #[test]
    fn a_share_is_compared_exactly_not_as_its_rounded_decimal() {
        let target = |requirement: Requirement, value: &str| Target {
            id: "share".into(),
            label: crate::model::Label::new("Tỷ lệ", "Share"),
            measure: Measure::TierShare {
                level: Level::Commune,
                tier: "standard".into(),
                denominator: Denominator::AllUnits,
            },
            requirement,
            value: d(value),
            precision: None,
            baseline: None,
            unit: None,
        };
        // 2/3 = 66.666…%; its decimal, rounded at the 28th digit, is this target.
        let two_thirds = Decimal::from(200) / Decimal::from(3);
        let t = "66.666666666666666666666666667";
        assert_eq!(two_thirds, d(t), "the rounding this guards against");
        let at_least = progress_of(
            &target(Requirement::AtLeast, t),
            Ok((two_thirds, Some((2, 3)))),
        );
        assert_eq!(
            at_least.status,
            TargetStatus::Short {
                by: Decimal::new(1, 28)
            }
        );
        let below = progress_of(
            &target(Requirement::Below, t),
            Ok((two_thirds, Some((2, 3)))),
        );
        assert_eq!(below.status, TargetStatus::Met);
        // Ordinary figures are unchanged.
        let p = progress_of(
            &target(Requirement::AtLeast, "66.6"),
            Ok((two_thirds, Some((2, 3)))),
        );
        assert_eq!(p.status, TargetStatus::Met);
        let p = progress_of(
            &target(Requirement::AtLeast, "70"),
            Ok((two_thirds, Some((2, 3)))),
        );
        assert_eq!(
            p.status,
            TargetStatus::Short {
                by: d("70") - two_thirds
            }
        );
        let p = progress_of(
            &target(Requirement::Above, "75"),
            Ok((d("75"), Some((3, 4)))),
        );
        assert_eq!(p.status, TargetStatus::AtTarget);
        assert_eq!(
            order_quotient(3, 4, 100, d("75.000")),
            Some(std::cmp::Ordering::Equal)
        );
        assert_eq!(
            order_quotient(u32::MAX, 1, 100, d("1")),
            Some(std::cmp::Ordering::Greater)
        );
    }

    #[test]
    fn one_of_is_refused_not_read_as_equality() {
        let err = Plan::from_json(&target_json("one_of", r#"["standard"]"#)).unwrap_err();
        assert_eq!(err.pointer().as_str(), "/targets/1/requirement");
        assert!(
            err.message().contains("`one_of` is not a plan requirement"),
            "{err}"
        );
        // Built in code, it is unknown, with the target named, not compared as `equal`.
        let mut plan = Plan::from_json(&target_json("equal", r#"["standard"]"#)).unwrap();
        plan.targets[1].requirement = Requirement::OneOf;
        let p = progress_of(&plan.targets[1], Ok((Decimal::from(3), None)));
        assert_eq!(
            p.status,
            TargetStatus::Unknown {
                reason: UnknownReason::OneOf {
                    target: "std".to_owned()
                }
            }
        );
    }

    #[test]
    fn a_tier_listed_twice_is_refused_not_counted_twice() {
        let err =
            Plan::from_json(&target_json("at_least", r#"["standard", "standard"]"#)).unwrap_err();
        assert_eq!(
            err.pointer().as_str(),
            "/targets/1/measure/tier_count/tiers"
        );
        assert_eq!(
            err.message(),
            "tier `standard` is listed twice: it would be counted twice"
        );
        assert!(err.to_string().contains("at `/targets/1/"), "{err}");
    }
}

#[cfg(test)]
mod summary_tests {
    use super::*;
    use crate::tree::summary::{Average, CriteriaStats, LevelCounts, Share, TierCounts};

    #[test]
    fn a_count_that_overflows_is_an_error_not_saturated_or_a_panic() {
        let tier = |id: &str| TierCounts {
            tier: id.into(),
            cumulative: u32::MAX,
            new: 0,
            revoked: 0,
            share_of_all: Share::new(0, 0),
            share_of_lowest: Share::new(0, 0),
        };
        let s = Summary {
            unit: "P".into(),
            level: Level::Province,
            levels: vec![LevelCounts {
                level: Level::District,
                units: 0,
                assessed: 0,
                decided: 0,
                undecided: 0,
                excluded: 0,
                tiers: vec![tier("standard"), tier("completed")],
            }],
            criteria: None,
            rollups: Vec::new(),
        };
        let m = Measure::TierCount {
            level: Level::District,
            tiers: vec!["standard".into(), "completed".into()],
            period: Period::Cumulative,
        };
        assert_eq!(measure(&m, &s, None), Err(UnknownReason::CountOverflow));
    }

    #[test]
    fn a_sum_too_large_to_report_is_an_error_not_saturated() {
        let mut stats = CriteriaStats::empty(Level::Commune);
        stats.average = Average::new(u64::from(u32::MAX) + 1, 3);
        let s = Summary {
            unit: "P".into(),
            level: Level::Province,
            levels: Vec::new(),
            criteria: Some(stats),
            rollups: Vec::new(),
        };
        let got = measure(&Measure::AverageCriteriaMet, &s, None);
        assert_eq!(got, Err(UnknownReason::SumTooLarge { sum: 4_294_967_296 }));
    }
}
