//! One target of plan progress as officials write it: the actual value with its unit,
//! the target with its requirement, the status (met, short by how much, equal to the
//! target, unknown) and the change from last year. Shared by the text and HTML reports so
//! that both show the same figures.

use crate::model::{Lang, Requirement};
use crate::report::format::{format_number, tr};
use crate::tree::{Progress, TargetStatus};
use rust_decimal::Decimal;

/// The parts of one target's line, formatted for a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TargetParts {
    /// The target's label.
    pub(super) label: String,
    /// The actual value with its unit and, for a share, its count (`79,9% (147/184)`).
    pub(super) actual: String,
    /// The requirement and the target value with its unit (`≥ 79,9%`).
    pub(super) target: String,
    /// `ĐẠT`, `CHƯA ĐẠT, thiếu 1,1%`, ...
    pub(super) status: String,
    /// Whether the target is met.
    pub(super) met: bool,
    /// The change from last year, signed (`+0,3`).
    pub(super) change: Option<String>,
}

/// Formats one target's progress.
pub(super) fn target_parts(t: &Progress, l: Lang) -> TargetParts {
    let unit = t
        .target
        .unit
        .as_ref()
        .map(|u| u.get(l).to_owned())
        .unwrap_or_default();
    let sep = if unit.is_empty() || unit == "%" {
        ""
    } else {
        " "
    };
    let dp = t.target.precision.unwrap_or(1).min(2);
    let num = |d: Decimal| {
        if d.fract().is_zero() && t.target.precision.is_none() {
            format_number(d, 0, l)
        } else {
            format_number(d, dp, l)
        }
    };
    let actual = t.actual.map_or_else(|| "?".to_owned(), num);
    let of = t.of.map(|(c, n)| format!(" ({c}/{n})")).unwrap_or_default();
    let status = match &t.status {
        TargetStatus::Met => tr(l, "ĐẠT", "MET").to_owned(),
        TargetStatus::Short { by } => {
            // A shortfall smaller than the places shown is written in full, never as
            // "by 0".
            let shown = if by
                .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .is_zero()
            {
                format_number(*by, by.scale(), l)
            } else {
                num(*by)
            };
            format!(
                "{} {shown}{sep}{unit}",
                tr(l, "CHƯA ĐẠT, thiếu", "SHORT by"),
            )
        }
        TargetStatus::AtTarget => {
            let (vi, en) = match t.target.requirement {
                Requirement::Below => (
                    "CHƯA ĐẠT, bằng chỉ tiêu, chưa thấp hơn",
                    "NOT MET: equal to the target, not below",
                ),
                _ => (
                    "CHƯA ĐẠT, bằng chỉ tiêu, chưa vượt",
                    "NOT MET: equal to the target, not above",
                ),
            };
            tr(l, vi, en).to_owned()
        }
        TargetStatus::Unknown { reason } => {
            format!(
                "{} ({})",
                tr(l, "KHÔNG XÁC ĐỊNH", "UNKNOWN"),
                reason.text(l)
            )
        }
    };
    let change = t.change.map(|c| {
        let sign = if c.is_sign_negative() { "" } else { "+" };
        format!("{sign}{}", num(c))
    });
    TargetParts {
        label: t.target.label.get(l).to_owned(),
        actual: format!("{actual}{sep}{unit}{of}"),
        target: format!(
            "{} {}{sep}{unit}",
            t.target.requirement.symbol(),
            num(t.target.value)
        ),
        status,
        met: t.status == TargetStatus::Met,
        change,
    }
}
