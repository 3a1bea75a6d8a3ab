//! The report's lines about single communes that national reports name: the model
//! communes with their outstanding field ("model in security and order"), and the
//! communes formed by a merger, by case of the merger rule (inherited tier, re-review).

use crate::model::Lang;
use crate::report::build::Report;
use crate::report::format::tr;
use crate::tree::MergerRule;
use std::fmt::Write as _;

/// Lines (each starting `   - `) for the communes section; empty when no commune has
/// an outstanding field or a lineage.
pub(super) fn commune_lines(report: &Report, l: Lang) -> String {
    let mut o = String::new();
    for c in report
        .communes
        .iter()
        .filter(|c| !c.outstanding_fields.is_empty())
    {
        let _ = writeln!(
            o,
            "   - {} {}: {}",
            c.name.get(l),
            tr(l, "— lĩnh vực nổi trội", "— outstanding field"),
            c.outstanding_fields.join(", ")
        );
    }
    let (mut inherited, mut mixed, mut divided) = (0u32, 0u32, 0u32);
    for m in report.communes.iter().filter_map(|c| c.merger.as_ref()) {
        match m.rule {
            MergerRule::Inherited { .. } => inherited += 1,
            MergerRule::ReReview => mixed += 1,
            MergerRule::Divided { .. } => divided += 1,
        }
    }
    if inherited + mixed + divided > 0 {
        let _ = writeln!(
            o,
            "   - {}: {} ({}: {inherited}; {}: {mixed}; {}: {divided})",
            tr(
                l,
                "Xã hình thành do sáp nhập",
                "Communes formed by a merger"
            ),
            inherited + mixed + divided,
            tr(l, "kế thừa hạng của các xã cũ", "inherit their parts' tier"),
            tr(
                l,
                "xét lại do các xã cũ khác hạng",
                "re-reviewed, parts of different tiers"
            ),
            tr(
                l,
                "xét lại do có xã cũ bị chia",
                "re-reviewed, a part was divided"
            ),
        );
    }
    o
}
