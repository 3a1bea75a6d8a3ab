//! The Vietnamese names of the report tables' columns, for the report workbook's header
//! row ([`Report::to_xlsx`](crate::report::Report::to_xlsx)): `Lũy kế (cumulative)`, the
//! English key kept in brackets so that a reader (or a program) can match the CSV.

use crate::model::Lang;

/// The header of a column: in Vietnamese, `Tên cột (key)`; in English, the key. A
/// commune tier column of a scheme's own tier (`communes_modern`) is `Số xã đạt mức
/// modern`.
pub(super) fn column_header(key: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return key.to_owned();
    }
    match (label_vi(key), key.strip_prefix("communes_")) {
        (Some(vi), _) => format!("{vi} ({key})"),
        (None, Some(tier)) => format!("Số xã đạt mức {tier} ({key})"),
        (None, None) => key.to_owned(),
    }
}

/// The Vietnamese name of a column of [`Report::to_csv`](crate::report::Report::to_csv).
fn label_vi(key: &str) -> Option<&'static str> {
    Some(match key {
        // Units.
        "unit" => "Mã đơn vị",
        "name" => "Tên",
        "parent" => "Mã đơn vị cấp trên",
        "kind" => "Loại đơn vị",
        "level" => "Cấp",
        "outcome" => "Kết quả",
        "tier" => "Mức đạt",
        "newly" => "Mới đạt năm nay",
        "criteria_met" => "Số tiêu chí đạt",
        "criteria_total" => "Tổng số tiêu chí",
        "reason" => "Lý do",
        "detail" => "Chi tiết",
        // Children of a district or province.
        "communes_assessed" => "Số xã được đánh giá",
        "communes_standard" => "Số xã đạt chuẩn",
        "communes_advanced" => "Số xã đạt chuẩn nâng cao",
        "communes_model" => "Số xã đạt chuẩn kiểu mẫu",
        "average_criteria_sum" => "Tổng số tiêu chí đạt",
        "average_criteria_count" => "Số xã tính bình quân",
        "average_criteria_shown" => "Bình quân tiêu chí/xã",
        "villages_top_tier" => "Số thôn đạt mức cao nhất",
        // Criteria and their distribution.
        "criterion" => "Mã tiêu chí",
        "name_vi" => "Tên (tiếng Việt)",
        "name_en" => "Tên (tiếng Anh)",
        "communes_met" => "Số xã đạt",
        "communes_evaluated" => "Số xã được đánh giá tiêu chí",
        "share_shown" => "Tỷ lệ (%)",
        "min_criteria" => "Số tiêu chí từ",
        "max_criteria" => "Số tiêu chí đến",
        "communes" => "Số xã",
        // Summaries.
        "units" => "Số đơn vị",
        "assessed" => "Số đơn vị được đánh giá",
        "undecided" => "Chưa xác định được",
        "excluded" => "Loại khỏi tổng hợp",
        "cumulative" => "Lũy kế",
        "new" => "Mới đạt",
        "revoked" => "Bị thu hồi",
        "share_of_all_count" => "Số đạt (tỷ lệ trên tổng số)",
        "share_of_all_total" => "Tổng số đơn vị",
        "share_of_all_shown" => "Tỷ lệ trên tổng số (%)",
        "lowest_tier_units" => "Số đơn vị đạt mức thấp nhất",
        "share_of_lowest_count" => "Số đạt (tỷ lệ trên mức thấp nhất)",
        "share_of_lowest_total" => "Số đơn vị đạt mức thấp nhất (mẫu số)",
        "share_of_lowest_shown" => "Tỷ lệ trên số đạt mức thấp nhất (%)",
        // Roll-ups.
        "indicator" => "Mã chỉ tiêu",
        "method" => "Cách tổng hợp",
        "value_exact" => "Giá trị (chính xác)",
        "weighted_sum" => "Tổng có trọng số",
        "weight_sum" => "Tổng trọng số",
        "value_shown" => "Giá trị hiển thị",
        "missing_value" => "Số đơn vị thiếu giá trị",
        "missing_weight" => "Số đơn vị thiếu trọng số",
        "left_out" => "Đơn vị không tính",
        // Plan targets.
        "target" => "Mã mục tiêu",
        "label_vi" => "Mục tiêu (tiếng Việt)",
        "label_en" => "Mục tiêu (tiếng Anh)",
        "requirement" => "Yêu cầu",
        "target_value" => "Giá trị mục tiêu",
        "actual_exact" => "Thực hiện (chính xác)",
        "actual_count" => "Thực hiện (số đơn vị)",
        "actual_denominator" => "Mẫu số",
        "compared" => "Giá trị so sánh",
        "status" => "Tình trạng",
        "short_by" => "Còn thiếu",
        "change" => "Thay đổi so với mốc ban đầu",
        _ => return None,
    })
}
