//! The procedure milestones of plan progress as text: the units behind schedule, then
//! those without procedure data (unknown, never on time), then unreadable data.

use crate::model::{Lang, UnitCode};
use crate::report::build::Report;
use crate::report::format::{fmt_date, tr};
use crate::tree::{MilestoneProgress, MilestoneStatus};
use std::fmt::Write as _;

/// A unit as the report names it: `Name (code)`, or the code alone for a unit the
/// report has no row of.
fn named(report: &Report, unit: &UnitCode, l: Lang) -> String {
    let name = report
        .communes
        .iter()
        .find(|r| &r.unit == unit)
        .map(|r| &r.name)
        .or_else(|| {
            report
                .children
                .iter()
                .find(|r| &r.unit == unit)
                .map(|r| &r.name)
        })
        .or_else(|| (&report.scope == unit).then_some(&report.name));
    match name {
        Some(n) => format!("{} ({unit})", n.get(l)),
        None => unit.to_string(),
    }
}

/// Writes the milestones block under the plan's targets, naming each unit.
pub(super) fn render(o: &mut String, m: &MilestoneProgress, report: &Report, l: Lang) {
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
            named(report, &ms.unit, l),
            tr(l, "hạn", "due"),
            fmt_date(ms.due, l),
        );
    }
    let unknown = m.unknown_units();
    if !unknown.is_empty() {
        let codes: Vec<String> = unknown.iter().map(|u| named(report, u, l)).collect();
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
