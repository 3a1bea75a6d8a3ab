//! One roll-up of the communes' values as officials write it: its name, the value with
//! its unit, and how it was computed (over how many units, which were left out). Shared
//! by the text and HTML reports.

use crate::model::Lang;
use crate::report::build::Report;
use crate::report::format::{format_number, tr};
use crate::report::labels::exclusion_label;
use crate::tree::{NoValue, RollUpMethod, RollUpValue};

/// The parts of one roll-up's line, formatted for a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RollupParts {
    /// The indicator's name (its id when the report has no name for it).
    pub(super) name: String,
    /// The value with its unit, or why it was not computed.
    pub(super) value: String,
    /// How it was computed: the method, the units and those left out.
    pub(super) detail: String,
}

/// Formats one roll-up of the report's scope.
pub(super) fn rollup_parts(report: &Report, r: &RollUpValue, l: Lang) -> RollupParts {
    let (name, unit) = report
        .rollup_names
        .get(r.indicator.as_str())
        .map(|(n, u)| (n.get(l).to_owned(), u.as_ref().map(|u| u.get(l).to_owned())))
        .unwrap_or_else(|| (r.indicator.to_string(), None));
    let value = match (r.value, &r.method) {
        (Some(v), RollUpMethod::Sum) => format_number(v, 0, l),
        (Some(v), _) => format_number(v, 1, l),
        (None, _) if r.no_value == Some(NoValue::ZeroWeight) => format!(
            "{} ({})",
            tr(l, "không tính được", "not computed"),
            tr(l, "tổng trọng số bằng 0", "the weights add up to zero")
        ),
        (None, _) => format!(
            "{} ({} {}, {} {})",
            tr(l, "không tính được", "not computed"),
            r.missing_value.len(),
            tr(l, "đơn vị thiếu số liệu", "units without a value"),
            r.missing_weight.len(),
            tr(l, "đơn vị thiếu trọng số", "units without weight")
        ),
    };
    let left_out = if r.left_out.is_empty() {
        String::new()
    } else {
        let mut by_reason: Vec<(&str, usize)> = Vec::new();
        for x in &r.left_out {
            match by_reason.iter_mut().find(|(n, _)| *n == x.reason) {
                Some((_, k)) => *k += 1,
                None => by_reason.push((x.reason.as_str(), 1)),
            }
        }
        let reasons: Vec<String> = by_reason
            .iter()
            .map(|(n, k)| format!("{} {k}", exclusion_label(n, l)))
            .collect();
        format!(
            "; {} {} {}: {}",
            tr(l, "không tính", "leaving out"),
            r.left_out.len(),
            tr(l, "đơn vị bị loại", "excluded units"),
            reasons.join(", ")
        )
    };
    let how = match &r.method {
        RollUpMethod::Sum => tr(l, "tổng", "sum").to_owned(),
        RollUpMethod::Rate { weight } => {
            format!(
                "{} {weight}",
                tr(l, "bình quân gia quyền theo", "weighted by")
            )
        }
        RollUpMethod::Minimum => tr(l, "nhỏ nhất", "minimum").to_owned(),
        RollUpMethod::Maximum => tr(l, "lớn nhất", "maximum").to_owned(),
    };
    RollupParts {
        name,
        value: format!(
            "{value}{}",
            unit.map(|u| if u == "%" { u } else { format!(" {u}") })
                .unwrap_or_default()
        ),
        detail: format!("{how}, {} {}{left_out}", r.units, tr(l, "đơn vị", "units")),
    }
}
