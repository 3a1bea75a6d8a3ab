//! Why a plan target's actual value is not known ([`UnknownReason`]), in Vietnamese and
//! English.

use crate::model::{IndicatorId, Lang, Level, TierId, UnitCode};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why the actual value of a plan target is not known
/// ([`TargetStatus::Unknown`](crate::tree::TargetStatus::Unknown)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "why", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnknownReason {
    /// The plan is for another year than the results.
    OtherYear {
        /// The plan's year.
        plan: u16,
        /// The results' year.
        results: u16,
    },
    /// The plan's scope has no summary (it is not in the tree, or has no units below).
    NoSummary {
        /// The scope.
        unit: UnitCode,
    },
    /// No unit of the level is below the scope.
    NoLevel {
        /// The level.
        level: Level,
    },
    /// A tier is listed twice in a count: it would be counted twice.
    RepeatedTier {
        /// The tier.
        tier: TierId,
    },
    /// The count of units overflows.
    CountOverflow,
    /// No unit of the level has the tier (it is not a tier of their scheme).
    NoUnitAtTier {
        /// The tier.
        tier: TierId,
    },
    /// The share's denominator is 0.
    ZeroDenominator,
    /// No commune was evaluated below the scope.
    NoCommuneEvaluated,
    /// The average cannot be computed.
    AverageNotComputable,
    /// The sum of criteria met is too large to report beside its count.
    SumTooLarge {
        /// The sum.
        sum: u64,
    },
    /// The summary counts communes below another number of criteria.
    OtherFloor {
        /// The floor the summary counts below.
        summary: u32,
        /// The floor the target asks for.
        target: u32,
    },
    /// The roll-up of the indicator has no value.
    RollUpIncomplete {
        /// The indicator.
        indicator: IndicatorId,
        /// Units without a value.
        missing_value: usize,
        /// Units without a weight.
        missing_weight: usize,
        /// The arithmetic overflowed.
        overflow: bool,
        /// The weights add up to zero.
        zero_weight: bool,
    },
    /// No roll-up of the indicator was asked for.
    NoRollUp {
        /// The indicator.
        indicator: IndicatorId,
    },
    /// No value of the indicator is given in the scope's own data.
    NotGiven {
        /// The indicator.
        indicator: IndicatorId,
    },
    /// `one_of` is not a plan requirement (a target has one value).
    OneOf {
        /// The target.
        target: String,
    },
    /// The measure gave no value.
    NoValue,
    /// The gap to the target overflows.
    GapOverflow,
}

impl UnknownReason {
    /// The reason in a language.
    pub fn text(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            UnknownReason::OtherYear { plan, results } if vi => {
                format!("kế hoạch năm {plan}, kết quả năm {results}")
            }
            UnknownReason::OtherYear { plan, results } => {
                format!("the plan is for {plan}, the results for {results}")
            }
            UnknownReason::NoSummary { unit } if vi => format!("không có tổng hợp cho `{unit}`"),
            UnknownReason::NoSummary { unit } => format!("no summary for unit `{unit}`"),
            UnknownReason::NoLevel { level } if vi => {
                format!("không có {} nào thuộc phạm vi", level.label(lang))
            }
            UnknownReason::NoLevel { level } => {
                format!("no {} below the scope", level.label(lang))
            }
            UnknownReason::RepeatedTier { tier } if vi => {
                format!("hạng `{tier}` được nêu hai lần: sẽ bị đếm hai lần")
            }
            UnknownReason::RepeatedTier { tier } => {
                format!("tier `{tier}` is listed twice: it would be counted twice")
            }
            UnknownReason::CountOverflow if vi => "số đơn vị vượt quá giới hạn đếm".to_owned(),
            UnknownReason::CountOverflow => "the count of units overflows".to_owned(),
            UnknownReason::NoUnitAtTier { tier } if vi => {
                format!("không đơn vị nào có hạng `{tier}`")
            }
            UnknownReason::NoUnitAtTier { tier } => format!("no unit has tier `{tier}`"),
            UnknownReason::ZeroDenominator if vi => "mẫu số bằng 0".to_owned(),
            UnknownReason::ZeroDenominator => "the denominator is 0".to_owned(),
            UnknownReason::NoCommuneEvaluated if vi => "không xã nào được đánh giá".to_owned(),
            UnknownReason::NoCommuneEvaluated => "no commune was evaluated".to_owned(),
            UnknownReason::AverageNotComputable if vi => "không tính được bình quân".to_owned(),
            UnknownReason::AverageNotComputable => "the average cannot be computed".to_owned(),
            UnknownReason::SumTooLarge { sum } if vi => {
                format!("tổng số tiêu chí đạt ({sum}) quá lớn để báo cáo")
            }
            UnknownReason::SumTooLarge { sum } => {
                format!("the sum of criteria met ({sum}) is too large to report")
            }
            UnknownReason::OtherFloor { summary, target } if vi => {
                format!("tổng hợp đếm số xã dưới {summary} tiêu chí, không phải {target}")
            }
            UnknownReason::OtherFloor { summary, target } => {
                format!("the summary counts communes below {summary} criteria, not {target}")
            }
            UnknownReason::RollUpIncomplete {
                indicator,
                missing_value,
                missing_weight,
                overflow,
                zero_weight,
            } => {
                let mut why = Vec::new();
                if *missing_value > 0 {
                    why.push(if vi {
                        format!("{missing_value} đơn vị thiếu số liệu")
                    } else {
                        format!("{missing_value} units without a value")
                    });
                }
                if *missing_weight > 0 {
                    why.push(if vi {
                        format!("{missing_weight} đơn vị thiếu trọng số")
                    } else {
                        format!("{missing_weight} units without weight")
                    });
                }
                if *overflow {
                    why.push(if vi { "tràn số" } else { "overflow" }.to_owned());
                }
                if *zero_weight {
                    why.push(
                        if vi {
                            "tổng trọng số bằng 0"
                        } else {
                            "the weights add up to zero"
                        }
                        .to_owned(),
                    );
                }
                if vi {
                    format!("tổng hợp `{indicator}` chưa đủ: {}", why.join(", "))
                } else {
                    format!("roll-up of `{indicator}` incomplete: {}", why.join(", "))
                }
            }
            UnknownReason::NoRollUp { indicator } if vi => {
                format!("không có tổng hợp chỉ tiêu `{indicator}`")
            }
            UnknownReason::NoRollUp { indicator } => format!("no roll-up of `{indicator}`"),
            UnknownReason::NotGiven { indicator } if vi => {
                format!("không có giá trị `{indicator}` cho đơn vị báo cáo")
            }
            UnknownReason::NotGiven { indicator } => {
                format!("no value of `{indicator}` given for the scope")
            }
            UnknownReason::OneOf { target } if vi => {
                format!("chỉ tiêu `{target}`: `one_of` không dùng được cho kế hoạch (một chỉ tiêu có một giá trị)")
            }
            UnknownReason::OneOf { target } => {
                format!("target `{target}`: `one_of` is not a plan requirement (a target has one value)")
            }
            UnknownReason::NoValue if vi => "không có giá trị".to_owned(),
            UnknownReason::NoValue => "no value".to_owned(),
            UnknownReason::GapOverflow if vi => "khoảng cách tới chỉ tiêu tràn số".to_owned(),
            UnknownReason::GapOverflow => "the gap overflows".to_owned(),
        }
    }
}

impl fmt::Display for UnknownReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_of_an_unknown_target_is_said_in_both_languages() {
        let r = UnknownReason::RollUpIncomplete {
            indicator: IndicatorId::new("ocop"),
            missing_value: 184,
            missing_weight: 0,
            overflow: false,
            zero_weight: false,
        };
        assert_eq!(
            r.to_string(),
            "roll-up of `ocop` incomplete: 184 units without a value"
        );
        assert_eq!(
            r.text(Lang::Vi),
            "tổng hợp `ocop` chưa đủ: 184 đơn vị thiếu số liệu"
        );
        let r = UnknownReason::NotGiven {
            indicator: IndicatorId::new("ocop_5star"),
        };
        assert_eq!(
            r.text(Lang::Vi),
            "không có giá trị `ocop_5star` cho đơn vị báo cáo"
        );
    }
}
