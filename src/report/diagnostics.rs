//! The report's problem lines (units excluded, derived values not computed, values no
//! set reads, incomplete profiles) in the report's language: the fixed parts of each
//! sentence are Vietnamese in a Vietnamese report; ids, values and messages from
//! elsewhere (a JSON reader's, a compile check's) stay as they are.

use crate::engine::{DataError, DataProblemKind, ProfileField, UnusedValue};
use crate::model::Lang;
use crate::report::format::tr;
use crate::tree::{DerivedProblem, Excluded, ExclusionReason, IncompleteProfile};
use std::fmt::Write as _;

/// A unit excluded, and why.
pub(super) fn excluded(e: &Excluded, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let why = match &e.reason {
        ExclusionReason::BadData(d) => format!("dữ liệu lỗi: {}", data_error(d)),
        ExclusionReason::CannotCompile(c) => {
            format!("bộ tiêu chí không áp dụng được cho hồ sơ của đơn vị: {c}")
        }
        ExclusionReason::CannotDecide(d) => format!("không kết luận được: {d}"),
        ExclusionReason::DuplicateInput { count } => {
            format!("có {count} bộ số liệu cho cùng đơn vị")
        }
        ExclusionReason::Unreadable { message } => {
            format!("không đọc được số liệu: {message}")
        }
        ExclusionReason::NoInput => "không có số liệu của đơn vị".to_owned(),
        ExclusionReason::MergerPartsMissing { parts } => {
            let parts: Vec<String> = parts.iter().map(|p| format!("`{p}`")).collect();
            format!(
                "hợp nhất từ {} nhưng không có số liệu của các đơn vị đó (cần lịch sử công nhận để áp dụng quy tắc hợp nhất)",
                parts.join(", ")
            )
        }
        ExclusionReason::KindNotGiven { covered } => {
            let kinds: Vec<&str> = covered.iter().map(|k| k.label(Lang::Vi)).collect();
            format!(
                "chưa ghi loại đơn vị, mà bộ tiêu chí của cấp này chỉ áp dụng cho {}",
                kinds.join(", ")
            )
        }
    };
    format!("đơn vị `{}` bị loại khỏi tổng hợp: {why}", e.unit)
}

/// Bad data, in Vietnamese.
fn data_error(e: &DataError) -> String {
    let mut o = format!("bộ tiêu chí `{}`: ", e.set);
    for (i, p) in e.problems.iter().enumerate() {
        if i > 0 {
            o.push_str("; ");
        }
        if let Some(id) = &p.indicator {
            let _ = write!(o, "chỉ tiêu `{id}`: ");
        }
        let _ = match &p.kind {
            DataProblemKind::WrongKind { expected, found } => write!(
                o,
                "sai loại giá trị (cần {}, nhận được {})",
                value_name(expected),
                value_name(found)
            ),
            DataProblemKind::PercentOutOfRange { value } => {
                write!(o, "tỷ lệ {value} nằm ngoài khoảng 0-100")
            }
            DataProblemKind::BadCount { value } => {
                write!(o, "số lượng {value} không phải số nguyên không âm")
            }
            DataProblemKind::UnknownGrade { grade, grades } => {
                write!(o, "mức `{grade}` không thuộc {grades:?}")
            }
            DataProblemKind::NotApplicableNotAllowed => {
                write!(o, "chỉ tiêu luôn áp dụng; không được ghi \"không áp dụng\"")
            }
            DataProblemKind::YearMismatch { data, program } => write!(
                o,
                "số liệu của năm {data}, bộ tiêu chí được biên dịch cho năm {program}"
            ),
        };
    }
    o
}

fn value_name(name: &str) -> &str {
    match name {
        "a number" => "một số",
        "a whole number" => "một số nguyên",
        "yes/no" => "có/không",
        "a grade" => "một mức",
        "not applicable" => "không áp dụng",
        other => other,
    }
}

/// A derived indicator not computed.
pub(super) fn derived(d: &DerivedProblem, lang: Lang) -> String {
    match lang {
        Lang::En => d.to_string(),
        Lang::Vi => format!(
            "đơn vị `{}`, chỉ tiêu tính từ cấp dưới `{}`: không tính được ({})",
            d.unit, d.indicator, d.reason
        ),
    }
}

/// A value no set reads.
pub(super) fn unused(v: &UnusedValue, lang: Lang) -> String {
    let hint = v.did_you_mean.as_ref().map(|id| match lang {
        Lang::Vi => format!("; có phải là `{id}`?"),
        Lang::En => format!("; did you mean `{id}`?"),
    });
    format!(
        "{} `{}`: {} `{}` {}{}",
        tr(lang, "đơn vị", "unit"),
        v.unit,
        tr(lang, "giá trị của", "the value of"),
        v.indicator,
        tr(
            lang,
            "không được bộ tiêu chí nào của cấp đơn vị sử dụng",
            "is read by no criteria set of the unit's level"
        ),
        hint.unwrap_or_default()
    )
}

/// A profile that lacks a field the thresholds are keyed on.
pub(super) fn incomplete_profile(p: &IncompleteProfile, lang: Lang) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    let fields: Vec<&str> = p
        .lacks
        .iter()
        .map(|f| match f {
            ProfileField::Region => "vùng",
            ProfileField::CommuneGroup => "nhóm xã",
        })
        .collect();
    format!(
        "đơn vị `{}`: hồ sơ thiếu {}, là căn cứ chọn ngưỡng của bộ tiêu chí; các chỉ tiêu theo ngưỡng đó chưa xác định được",
        p.unit,
        fields.join(" và ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::DataProblem;
    use crate::model::{IndicatorId, Level, UnitCode};

    #[test]
    fn diagnostics_of_a_vietnamese_report_are_in_vietnamese() {
        let e = Excluded {
            unit: UnitCode::new("C04"),
            level: Level::Commune,
            reason: ExclusionReason::BadData(DataError {
                unit: UnitCode::new("C04"),
                set: "s".into(),
                problems: vec![DataProblem {
                    indicator: Some(IndicatorId::new("3.1")),
                    kind: DataProblemKind::PercentOutOfRange { value: 120.into() },
                }],
            }),
        };
        assert_eq!(
            excluded(&e, Lang::Vi),
            "đơn vị `C04` bị loại khỏi tổng hợp: dữ liệu lỗi: bộ tiêu chí `s`: chỉ tiêu `3.1`: \
             tỷ lệ 120 nằm ngoài khoảng 0-100"
        );
        assert_eq!(excluded(&e, Lang::En), e.to_string());
        let no_input = Excluded {
            reason: ExclusionReason::NoInput,
            ..e
        };
        assert!(excluded(&no_input, Lang::Vi).ends_with("không có số liệu của đơn vị"));
        let p = IncompleteProfile {
            unit: UnitCode::new("C1"),
            lacks: vec![ProfileField::Region],
        };
        assert!(incomplete_profile(&p, Lang::Vi).contains("hồ sơ thiếu vùng"));
        assert!(incomplete_profile(&p, Lang::En).contains("the profile has no region"));
    }
}
