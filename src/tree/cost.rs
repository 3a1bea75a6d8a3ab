//! The optional cost model of planning, and the cost of closing a criterion's gaps.
//!
//! Costs are supplied by the user: a cost per criterion, per unit of shortfall of an
//! indicator, or per unit and criterion (which wins over the other two). Without any,
//! criteria are ranked by the number of failing indicators, then the sum of their
//! relative shortfalls ([`Ranking::Shortfall`]), and the outputs say so.

use crate::model::{CriterionId, IndicatorId, UnitCode};
use crate::tree::gaps::{CriterionGap, PlanError, Shortfall};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// User-supplied costs (any currency or unit of effort, the same throughout).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CostModel {
    /// Cost of completing a criterion, by criterion id.
    #[serde(default, deserialize_with = "exact_map")]
    pub per_criterion: BTreeMap<CriterionId, Decimal>,
    /// Cost per unit of shortfall of an indicator (per million VND of income, per
    /// percentage point), by indicator id; added to the criterion's own cost.
    #[serde(default, deserialize_with = "exact_map")]
    pub per_unit_of_shortfall: BTreeMap<IndicatorId, Decimal>,
    /// Cost of completing a criterion in one unit, by unit then criterion: replaces the
    /// other two for that unit and criterion.
    #[serde(default, deserialize_with = "exact_nested")]
    pub per_unit: BTreeMap<UnitCode, BTreeMap<CriterionId, Decimal>>,
}

/// A cost read exactly from its text (or a JSON number's digits), never through a float.
#[derive(Deserialize)]
struct Exact(#[serde(with = "crate::model::decimal_serde")] Decimal);

fn exact_map<'de, D, K>(d: D) -> Result<BTreeMap<K, Decimal>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: Deserialize<'de> + Ord,
{
    let m: BTreeMap<K, Exact> = Deserialize::deserialize(d)?;
    Ok(m.into_iter().map(|(k, v)| (k, v.0)).collect())
}

type Nested<K1, K2> = BTreeMap<K1, BTreeMap<K2, Decimal>>;

fn exact_nested<'de, D, K1, K2>(d: D) -> Result<Nested<K1, K2>, D::Error>
where
    D: serde::Deserializer<'de>,
    K1: Deserialize<'de> + Ord,
    K2: Deserialize<'de> + Ord,
{
    let m: BTreeMap<K1, BTreeMap<K2, Exact>> = Deserialize::deserialize(d)?;
    Ok(m.into_iter()
        .map(|(k, v)| (k, v.into_iter().map(|(k2, x)| (k2, x.0)).collect()))
        .collect())
}

impl CostModel {
    /// Whether no cost is given (the shortfall ranking is used).
    pub fn is_empty(&self) -> bool {
        self.per_criterion.is_empty()
            && self.per_unit_of_shortfall.is_empty()
            && self.per_unit.is_empty()
    }

    /// The ranking this model gives.
    pub fn ranking(&self) -> Ranking {
        if self.is_empty() {
            Ranking::Shortfall
        } else {
            Ranking::Cost
        }
    }

    /// Checks that no cost is negative.
    ///
    /// # Errors
    ///
    /// [`PlanError::NegativeCost`] naming the first negative entry.
    pub fn validate(&self) -> Result<(), PlanError> {
        let bad = |field: String, value: &Decimal| {
            if value.is_sign_negative() && !value.is_zero() {
                Err(PlanError::NegativeCost {
                    field,
                    value: *value,
                })
            } else {
                Ok(())
            }
        };
        for (k, v) in &self.per_criterion {
            bad(format!("per_criterion.{k}"), v)?;
        }
        for (k, v) in &self.per_unit_of_shortfall {
            bad(format!("per_unit_of_shortfall.{k}"), v)?;
        }
        for (u, m) in &self.per_unit {
            for (k, v) in m {
                bad(format!("per_unit.{u}.{k}"), v)?;
            }
        }
        Ok(())
    }

    /// The cost of closing one criterion's gap in `unit`.
    pub fn cost_of(&self, unit: &UnitCode, gap: &CriterionGap) -> Cost {
        let failing = gap.indicators.len() as u32;
        let relative = gap
            .indicators
            .iter()
            .fold(Decimal::ZERO, |acc, i| acc.saturating_add(i.relative()));
        let own = self.per_unit.get(unit).and_then(|m| m.get(&gap.criterion));
        let money = match own {
            Some(c) => Some(*c),
            None => {
                let base = self.per_criterion.get(&gap.criterion).copied();
                let mut per_unit = None;
                for i in &gap.indicators {
                    if let (Some(rate), Shortfall::Number { amount, .. }) =
                        (self.per_unit_of_shortfall.get(&i.indicator), &i.shortfall)
                    {
                        let part = rate.saturating_mul(*amount);
                        per_unit = Some(per_unit.unwrap_or(Decimal::ZERO).saturating_add(part));
                    }
                }
                match (base, per_unit) {
                    (None, None) => None,
                    (a, b) => Some(
                        a.unwrap_or(Decimal::ZERO)
                            .saturating_add(b.unwrap_or(Decimal::ZERO)),
                    ),
                }
            }
        };
        Cost {
            unpriced: u32::from(money.is_none() && !self.is_empty()),
            money: money.unwrap_or(Decimal::ZERO),
            failing,
            relative,
        }
    }
}

/// Which ranking a plan used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Ranking {
    /// The user's costs; criteria without a cost come after those with one.
    Cost,
    /// No cost given: by the number of failing indicators, then the relative size of
    /// the shortfalls.
    Shortfall,
}

/// The cost of closing a gap: the user's cost where one is given, and the shortfall
/// measures the ranking falls back on. Ordered cheapest first, lexicographically: fewer
/// criteria without a price, then a lower price, fewer failing indicators, a smaller
/// relative shortfall. The order is kept by sums (`a ≤ b` ⇒ `a + c ≤ b + c`), which is
/// what makes picking the cheapest units one by one a least-cost selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Cost {
    /// Criteria the cost model gives no price for (always 0 without a cost model).
    pub unpriced: u32,
    /// The user's cost of the priced criteria (0 without a cost model).
    pub money: Decimal,
    /// Indicators to meet.
    pub failing: u32,
    /// Sum of their relative shortfalls.
    pub relative: Decimal,
}

impl Cost {
    /// The sum of two costs.
    #[must_use]
    pub fn plus(self, other: Cost) -> Cost {
        Cost {
            unpriced: self.unpriced.saturating_add(other.unpriced),
            money: self.money.saturating_add(other.money),
            failing: self.failing.saturating_add(other.failing),
            relative: self.relative.saturating_add(other.relative),
        }
    }
}

impl Ord for Cost {
    fn cmp(&self, other: &Self) -> Ordering {
        self.unpriced
            .cmp(&other.unpriced)
            .then(self.money.cmp(&other.money))
            .then(self.failing.cmp(&other.failing))
            .then(self.relative.cmp(&other.relative))
    }
}

impl PartialOrd for Cost {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
