//! Lines of the communes section shared by the text and HTML reports: the average
//! criteria met, their distribution in bands, the communes below the second band, the
//! undecided and excluded communes by reason, and the result of a unit below the scope.

use crate::model::{Lang, Level};
use crate::report::build::{ChildRow, Report};
use crate::report::format::{format_number, tr};
use crate::report::labels::{exclusion_label, outcome_text};
use crate::tree::{Band, CriteriaStats, LevelCounts};

/// The criteria lines of the communes section, formatted for a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CriteriaLines {
    /// `Bình quân tiêu chí/xã: 17,1 (3.146 / 184)` and what it is over, when there is
    /// an average.
    pub(super) average: Option<(String, String)>,
    /// `Phân bố số tiêu chí đạt (số tiêu chí: số xã): 19: 67; 15–18: 91; …`.
    pub(super) bands: String,
    /// `Xã đạt dưới 15/19 tiêu chí: 26/184 xã được xét tiêu chí`.
    pub(super) below: String,
}

/// A band's range as the reports write it: `19`, `15–18`.
pub(super) fn band_range(b: &Band) -> String {
    if b.min == b.max {
        format!("{}", b.min)
    } else {
        format!("{}–{}", b.min, b.max)
    }
}

/// What the tier shares are over: `Tỷ lệ theo hạng: trên 184 xã được đánh giá (kể cả 0
/// xã bị loại khỏi tổng hợp, 0 xã chưa xác định được)`.
pub(super) fn shares_basis(c: &LevelCounts, l: Lang) -> String {
    format!(
        "{} {} {} ({} {} {}, {} {})",
        tr(l, "Tỷ lệ theo hạng: trên", "Shares by tier: of the"),
        format_number(c.assessed.into(), 0, l),
        tr(l, "xã được đánh giá", "communes assessed"),
        tr(l, "kể cả", "including"),
        c.excluded,
        tr(l, "xã bị loại khỏi tổng hợp", "excluded"),
        c.undecided,
        tr(l, "xã chưa xác định được", "undecided")
    )
}

/// The criteria lines of the communes section.
pub(super) fn criteria_lines(s: &CriteriaStats, l: Lang) -> CriteriaLines {
    let count = format_number(s.average.count.into(), 0, l);
    let average = s.average.value.map(|avg| {
        (
            format!(
                "{}: {} ({} / {count})",
                tr(
                    l,
                    "Bình quân tiêu chí/xã",
                    "Average criteria met per commune"
                ),
                format_number(avg, 1, l),
                format_number(s.average.sum.into(), 0, l),
            ),
            format!(
                "{} {count} {}",
                tr(l, "trên", "over the"),
                tr(
                    l,
                    "xã được xét tiêu chí; không tính xã bị loại khỏi tổng hợp",
                    "communes whose criteria were assessed; excluded communes not counted"
                )
            ),
        )
    });
    let bands: Vec<String> = s
        .bands
        .iter()
        .map(|b| format!("{}: {}", band_range(b), b.units))
        .collect();
    CriteriaLines {
        average,
        bands: format!(
            "{}: {}",
            tr(
                l,
                "Phân bố số tiêu chí đạt (số tiêu chí: số xã)",
                "Criteria met (criteria: communes)"
            ),
            bands.join("; ")
        ),
        below: format!(
            "{} {}/{} {}: {}/{count} {}",
            tr(l, "Xã đạt dưới", "Communes meeting fewer than"),
            s.below_floor,
            s.criteria_total,
            tr(l, "tiêu chí", "criteria"),
            s.below,
            tr(
                l,
                "xã được xét tiêu chí",
                "communes whose criteria were assessed"
            )
        ),
    }
}

/// `Chưa xác định được: 0; loại khỏi tổng hợp: 2 (dữ liệu lỗi 1, không có số liệu 1)`.
pub(super) fn undecided_line(report: &Report, c: &LevelCounts, l: Lang) -> String {
    let mut by_reason: Vec<(&str, usize)> = Vec::new();
    for e in report.excluded.iter().filter(|e| e.level == Level::Commune) {
        let name = e.reason.name();
        match by_reason.iter_mut().find(|(n, _)| *n == name) {
            Some((_, k)) => *k += 1,
            None => by_reason.push((name, 1)),
        }
    }
    let breakdown = if by_reason.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = by_reason
            .iter()
            .map(|(n, k)| format!("{} {k}", exclusion_label(n, l)))
            .collect();
        format!(" ({})", parts.join(", "))
    };
    format!(
        "{}: {}; {}: {}{breakdown}",
        tr(l, "Chưa xác định được", "Cannot decide"),
        c.undecided,
        tr(l, "loại khỏi tổng hợp", "excluded"),
        c.excluded,
    )
}

/// The result of a unit below the scope: its tier and outcome (`đạt chuẩn (duy trì)`),
/// or the outcome alone.
pub(super) fn child_result(report: &Report, c: &ChildRow, l: Lang) -> String {
    c.tier.as_ref().map_or_else(
        || outcome_text(&c.outcome, l).to_owned(),
        |t| {
            format!(
                "{} ({})",
                report.tier_name(c.level, t, l),
                outcome_text(&c.outcome, l)
            )
        },
    )
}
