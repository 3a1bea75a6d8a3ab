//! Names of outcomes and exclusion reasons in reports, in Vietnamese or English.

use crate::model::Lang;
use crate::report::format::tr;

/// The name of a unit's outcome ([`UnitRow::outcome`](crate::report::UnitRow::outcome)).
pub(super) fn outcome_text(outcome: &str, lang: Lang) -> &'static str {
    match outcome {
        "recognise" => tr(lang, "công nhận", "recognised"),
        "maintain" => tr(lang, "duy trì", "maintained"),
        "revoke" => tr(lang, "thu hồi", "revoked"),
        "not_yet" => tr(lang, "chưa đạt", "not yet"),
        "cannot_decide" => tr(lang, "chưa xác định", "cannot decide"),
        "excluded" => tr(lang, "loại khỏi tổng hợp", "excluded"),
        _ => tr(lang, "không đánh giá", "not assessed"),
    }
}

/// The label of an exclusion reason, by its name
/// ([`ExclusionReason::name`](crate::tree::ExclusionReason::name)).
pub(super) fn exclusion_label(name: &str, lang: Lang) -> &str {
    match name {
        "bad_data" => tr(lang, "dữ liệu lỗi", "bad data"),
        "cannot_compile" => tr(
            lang,
            "bộ tiêu chí không áp dụng được cho đơn vị",
            "criteria set not applicable to the unit",
        ),
        "cannot_decide" => tr(lang, "không kết luận được", "cannot decide"),
        "duplicate_input" => tr(lang, "số liệu nhập trùng", "duplicate input"),
        "unreadable" => tr(lang, "số liệu không đọc được", "unreadable input"),
        "no_input" => tr(lang, "không có số liệu", "no input"),
        "merger_parts_missing" => tr(
            lang,
            "thiếu số liệu các đơn vị trước hợp nhất",
            "merger parts without input",
        ),
        "kind_not_given" => tr(lang, "chưa ghi loại đơn vị", "kind not given"),
        other => other,
    }
}
