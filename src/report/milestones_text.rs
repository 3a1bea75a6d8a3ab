//! The procedure milestones of plan progress as text: the units behind schedule, then
//! those without procedure data (unknown, never on time), then unreadable data.

use crate::model::Lang;
use crate::report::format::{fmt_date, tr};
use crate::tree::{MilestoneProgress, MilestoneStatus};
use std::fmt::Write as _;

/// Writes the milestones block under the plan's targets.
pub(super) fn render(o: &mut String, m: &MilestoneProgress, l: Lang) {
    let behind: Vec<_> = m.behind().collect();
    let _ = writeln!(
        o,
        "   {} ({} {}): {} {}",
        tr(l, "Tiến độ thủ tục công nhận", "Recognition procedure"),
        tr(l, "tại ngày", "as of"),
        fmt_date(m.as_of, l),
        behind.len(),
        tr(l, "mốc chậm tiến độ", "milestones behind schedule"),
    );
    for ms in behind {
        let step = ms
            .label
            .as_ref()
            .map_or_else(|| ms.step.clone(), |s| s.get(l).to_owned());
        let by = ms
            .by
            .as_ref()
            .map(|b| format!(" ({})", b.get(l)))
            .unwrap_or_default();
        let status = match &ms.status {
            MilestoneStatus::DoneLate { on } => format!(
                "{} {}",
                tr(l, "hoàn thành muộn ngày", "done late on"),
                fmt_date(*on, l)
            ),
            _ => tr(l, "CHẬM, chưa hoàn thành", "LATE, not done").to_owned(),
        };
        let _ = writeln!(
            o,
            "   - {}: {step}{by}, {} {} → {status}",
            ms.unit,
            tr(l, "hạn", "due"),
            fmt_date(ms.due, l),
        );
    }
    let unknown = m.unknown_units();
    if !unknown.is_empty() {
        let codes: Vec<&str> = unknown.iter().map(|u| u.as_str()).collect();
        let _ = writeln!(
            o,
            "   - {} {} {}: {}",
            unknown.len(),
            tr(
                l,
                "đơn vị",
                if unknown.len() == 1 { "unit" } else { "units" }
            ),
            tr(
                l,
                "chưa có dữ liệu thủ tục, không xác định",
                "without procedure data, unknown"
            ),
            codes.join(", ")
        );
    }
    for p in &m.problems {
        let _ = writeln!(o, "   - {}: {p}", tr(l, "dữ liệu lỗi", "bad data"));
    }
}
