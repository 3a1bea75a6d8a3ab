//! Text of the planning answers, in Vietnamese or English: a unit's gaps to a tier, its
//! roadmap, and the candidates for a plan target.

use crate::engine::UndeterminedReason;
use crate::model::{CriteriaSet, IndicatorId, Lang, Value};
use crate::report::format::{format_number, tr};
use crate::tree::{
    Blocker, Candidate, Cost, CriteriaSelection, Hierarchy, IndicatorGap, NotCandidate, Ranking,
    Roadmap, Selection, Shortfall, UnitGaps,
};
use rust_decimal::Decimal;
use std::fmt::Write as _;

fn exact(v: Decimal, lang: Lang) -> String {
    format_number(v, v.scale(), lang)
}

fn value(v: &Value, lang: Lang) -> String {
    match v {
        Value::Number(n) => exact(*n, lang),
        Value::Flag(true) => tr(lang, "đạt", "yes").to_owned(),
        Value::Flag(false) => tr(lang, "không đạt", "no").to_owned(),
        Value::Grade(g) => g.clone(),
        Value::NotApplicable => tr(lang, "không áp dụng", "not applicable").to_owned(),
    }
}

/// The unit symbol of an indicator of `sets`, if it has one.
fn unit_of(sets: &[CriteriaSet], id: &IndicatorId, lang: Lang) -> String {
    sets.iter()
        .flat_map(CriteriaSet::all_indicators)
        .find(|i| &i.id == id)
        .and_then(|i| match &i.kind {
            crate::model::ValueKind::Decimal { unit } => Some(format!(" {}", unit.symbol(lang))),
            _ => None,
        })
        .unwrap_or_default()
}

fn reason(r: UndeterminedReason, lang: Lang) -> &'static str {
    match r {
        UndeterminedReason::MissingData => {
            tr(lang, "thiếu số liệu (cần thu thập)", "no data (to collect)")
        }
        UndeterminedReason::ThresholdUnknown => tr(
            lang,
            "chưa biết ngưỡng (cần bổ sung)",
            "threshold unknown (to fill)",
        ),
        UndeterminedReason::ThresholdDelegated => tr(
            lang,
            "ngưỡng do tỉnh quy định, chưa có giá trị",
            "threshold left to the province, not given",
        ),
        UndeterminedReason::NoThresholdRow => tr(
            lang,
            "không có dòng ngưỡng cho hồ sơ và năm này",
            "no threshold row for this profile and year",
        ),
        UndeterminedReason::ProfileIncomplete => tr(
            lang,
            "hồ sơ đơn vị thiếu thông tin (vùng, nhóm xã)",
            "the unit's profile lacks a field (region, commune group)",
        ),
    }
}

/// One line of an indicator gap.
pub fn indicator_gap_line(g: &IndicatorGap, sets: &[CriteriaSet], lang: Lang) -> String {
    let id = &g.indicator;
    let row = g
        .threshold
        .as_ref()
        .map(|p| format!(" [{} {}]", tr(lang, "dòng ngưỡng", "threshold row"), p.row))
        .unwrap_or_default();
    match &g.shortfall {
        Shortfall::Number {
            actual,
            threshold,
            requirement,
            target,
            amount,
        } => {
            let u = unit_of(sets, id, lang);
            format!(
                "{id}: {}{u} {} {} {}{u} ({} {}; {} {}{u}){row}",
                exact(*actual, lang),
                tr(lang, "so với", "against"),
                requirement.symbol(),
                exact(*threshold, lang),
                tr(lang, "cần đạt", "target"),
                exact(*target, lang),
                tr(lang, "còn thiếu", "short by"),
                exact(*amount, lang),
            )
        }
        Shortfall::Grade {
            actual,
            target,
            steps,
        } => format!(
            "{id}: {actual} → {target} ({steps} {}){row}",
            tr(lang, "bậc", "steps")
        ),
        Shortfall::NotMet { target } => format!(
            "{id}: {} ({} {}){row}",
            tr(lang, "chưa đạt", "not met"),
            tr(lang, "cần", "needs"),
            value(target, lang)
        ),
        Shortfall::Undetermined { reason: r } => format!("{id}: {}", reason(*r, lang)),
    }
}

/// A cost for display, with the ranking used.
pub fn cost_text(c: &Cost, ranking: Ranking, lang: Lang) -> String {
    let shortfall = format!(
        "{} {}, {} {}",
        c.failing,
        tr(lang, "chỉ tiêu", "indicators"),
        tr(lang, "thiếu hụt tương đối", "relative shortfall"),
        format_number(c.relative, 3, lang)
    );
    match ranking {
        Ranking::Cost => {
            let unpriced = if c.unpriced > 0 {
                format!(
                    " + {} {}",
                    c.unpriced,
                    tr(lang, "tiêu chí chưa có chi phí", "criteria without a cost")
                )
            } else {
                String::new()
            };
            format!("{}{unpriced}; {shortfall}", exact(c.money, lang))
        }
        Ranking::Shortfall => shortfall,
    }
}

fn ranking_line(ranking: Ranking, lang: Lang) -> &'static str {
    match ranking {
        Ranking::Cost => tr(
            lang,
            "Xếp hạng: theo chi phí người dùng cung cấp",
            "Ranking: by the costs supplied",
        ),
        Ranking::Shortfall => tr(
            lang,
            "Xếp hạng: không có chi phí, theo số chỉ tiêu chưa đạt rồi mức thiếu hụt tương đối",
            "Ranking: no costs given, by the number of failing indicators, then the relative shortfall",
        ),
    }
}

/// A unit's gaps to its target tier.
pub fn gaps_text(g: &UnitGaps, sets: &[CriteriaSet], lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} → {} ({} {})",
        tr(lang, "Đơn vị", "Unit"),
        g.unit,
        g.target,
        tr(lang, "ngưỡng năm", "thresholds of"),
        g.year
    );
    if let Some(h) = &g.held {
        let _ = writeln!(out, "  {}: {h}", tr(lang, "Đang giữ", "Held"));
    }
    if g.tiers.is_empty() {
        let _ = writeln!(
            out,
            "  {}",
            tr(lang, "Đã đạt hạng này.", "Holds this tier already.")
        );
        return out;
    }
    if g.is_closed() {
        let _ = writeln!(
            out,
            "  {}",
            tr(lang, "Không còn khoảng cách.", "No gap left.")
        );
    }
    for t in &g.tiers {
        if t.is_closed() {
            continue;
        }
        let _ = writeln!(out, "  [{}]", t.tier);
        for c in &t.criteria {
            let _ = writeln!(
                out,
                "    {} {} ({} {}):",
                tr(lang, "Tiêu chí", "Criterion"),
                c.criterion,
                tr(lang, "cần đạt thêm", "to meet"),
                c.needed
            );
            for i in &c.indicators {
                let _ = writeln!(out, "      {}", indicator_gap_line(i, sets, lang));
            }
            for i in &c.alternatives {
                let _ = writeln!(
                    out,
                    "      ({}) {}",
                    tr(lang, "hoặc", "or"),
                    indicator_gap_line(i, sets, lang)
                );
            }
        }
        for p in &t.preconditions {
            let _ = writeln!(
                out,
                "    {} {}",
                tr(lang, "Điều kiện:", "Precondition:"),
                indicator_gap_line(p, sets, lang)
            );
        }
        if let Some(r) = &t.requires_held {
            let _ = writeln!(
                out,
                "    {} {r} {}",
                tr(lang, "Phải đạt hạng", "Must hold"),
                tr(lang, "từ năm trước", "from an earlier year first")
            );
        }
    }
    out
}

/// A unit's roadmap.
pub fn roadmap_text(r: &Roadmap, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} → {} {} {} ({} {} {})",
        tr(lang, "Lộ trình", "Roadmap"),
        r.unit,
        r.target,
        tr(lang, "đến năm", "by"),
        r.target_year,
        tr(lang, "tối đa", "at most"),
        r.per_year,
        tr(lang, "tiêu chí/năm", "criteria a year"),
    );
    let _ = writeln!(out, "  {}", ranking_line(r.ranking, lang));
    for y in &r.years {
        let steps: Vec<String> = y
            .steps
            .iter()
            .map(|s| {
                let changes: Vec<String> = s
                    .changes
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", value(v, lang)))
                    .collect();
                format!("{} ({})", s.criterion, changes.join(", "))
            })
            .collect();
        let mut line = format!("  {}: ", y.year);
        if steps.is_empty() {
            line.push('—');
        } else {
            line.push_str(&steps.join("; "));
        }
        if !y.preconditions.is_empty() {
            let p: Vec<String> = y.preconditions.keys().map(ToString::to_string).collect();
            let _ = write!(
                line,
                "; {} {}",
                tr(lang, "điều kiện", "preconditions"),
                p.join(", ")
            );
        }
        if !y.reached.is_empty() {
            let t: Vec<&str> = y.reached.iter().map(|t| t.as_str()).collect();
            let _ = write!(line, " ⇒ {} {}", tr(lang, "đạt", "reaches"), t.join(", "));
        }
        let _ = writeln!(out, "{line}");
    }
    match r.reached_in {
        Some(y) => {
            let _ = writeln!(
                out,
                "  {} {y}",
                tr(lang, "Đạt hạng vào năm", "Tier reached in")
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  {} {}:",
                tr(
                    lang,
                    "Không đạt được trước hết năm",
                    "Not reachable by the end of"
                ),
                r.target_year
            );
            for b in &r.blockers {
                let _ = writeln!(out, "    {}", blocker(b, lang));
            }
        }
    }
    out
}

fn blocker(b: &Blocker, lang: Lang) -> String {
    match b {
        Blocker::TooManyCriteria { left } => {
            let l: Vec<&str> = left.iter().map(|c| c.as_str()).collect();
            format!(
                "{}: {}",
                tr(
                    lang,
                    "quá nhiều tiêu chí so với giới hạn mỗi năm, còn lại",
                    "too many criteria for the yearly cap, left"
                ),
                l.join(", ")
            )
        }
        Blocker::Undetermined { indicators } => {
            let l: Vec<String> = indicators
                .iter()
                .map(|(i, r)| format!("{i} ({})", reason(*r, lang)))
                .collect();
            format!(
                "{}: {}",
                tr(lang, "chưa xác định", "undetermined"),
                l.join(", ")
            )
        }
        Blocker::RequiresHeld { tier } => format!(
            "{} {tier} {}",
            tr(lang, "phải đạt hạng", "must hold"),
            tr(lang, "từ năm trước", "from an earlier year first")
        ),
    }
}

fn candidate_line(
    n: usize,
    c: &Candidate,
    s: &Selection,
    tree: Option<&Hierarchy>,
    lang: Lang,
) -> String {
    let name = tree
        .and_then(|t| t.get(c.unit.as_str()))
        .map(|u| format!(" {}", u.name.get(lang)))
        .unwrap_or_default();
    let criteria: Vec<String> = c.gaps.criteria().iter().map(ToString::to_string).collect();
    let list = if criteria.is_empty() {
        String::new()
    } else {
        format!(" [{}]", criteria.join(", "))
    };
    format!(
        "  {n:>3}. {}{name}: {} {}{list} — {}",
        c.unit,
        c.criteria,
        tr(lang, "tiêu chí cần hoàn thành", "criteria to complete"),
        cost_text(&c.cost, s.ranking, lang)
    )
}

/// The candidates for "N more units at tier T", with unit names from `tree` when given,
/// and the next `next` closest units after the chosen ones.
pub fn selection_text(s: &Selection, tree: Option<&Hierarchy>, next: usize, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} +{} {}: {} {}",
        tr(lang, "Mục tiêu", "Target"),
        s.wanted,
        s.tier,
        s.chosen.len(),
        tr(lang, "đơn vị chi phí thấp nhất", "least-cost units"),
    );
    let _ = writeln!(out, "  {}", ranking_line(s.ranking, lang));
    for (n, c) in s.chosen.iter().enumerate() {
        let _ = writeln!(out, "{}", candidate_line(n + 1, c, s, tree, lang));
    }
    let _ = writeln!(
        out,
        "  {}: {}",
        tr(lang, "Tổng", "Total"),
        cost_text(&s.total, s.ranking, lang)
    );
    if s.short_by > 0 {
        let _ = writeln!(
            out,
            "  {} {}",
            tr(lang, "Thiếu ứng viên:", "Too few candidates, short by"),
            s.short_by
        );
    }
    if next > 0 && !s.others.is_empty() {
        let _ = writeln!(out, "  {}:", tr(lang, "Gần nhất tiếp theo", "Next closest"));
        for (n, c) in s.others.iter().take(next).enumerate() {
            let _ = writeln!(
                out,
                "{}",
                candidate_line(s.chosen.len() + n + 1, c, s, tree, lang)
            );
        }
    }
    let count = |f: fn(&NotCandidate) -> bool| s.not_candidates.iter().filter(|n| f(n)).count();
    let _ = writeln!(
        out,
        "  {}: {} {}, {} {}, {} {}, {} {}",
        tr(lang, "Không phải ứng viên", "Not candidates"),
        count(|n| matches!(n, NotCandidate::Holds { .. })),
        tr(lang, "đã đạt", "hold it"),
        count(|n| matches!(n, NotCandidate::Undetermined { .. })),
        tr(lang, "chưa xác định", "undetermined"),
        count(|n| matches!(n, NotCandidate::RequiresHeld { .. })),
        tr(
            lang,
            "phải đạt hạng dưới trước",
            "must hold a lower tier first"
        ),
        count(|n| matches!(n, NotCandidate::Error { .. })),
        tr(lang, "lỗi dữ liệu", "bad data"),
    );
    out
}

/// The least-cost criteria for "N more criteria met".
pub fn criteria_selection_text(s: &CriteriaSelection, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} +{} {}: {}",
        tr(lang, "Mục tiêu", "Target"),
        s.wanted,
        tr(lang, "tiêu chí đạt thêm", "more criteria met"),
        s.chosen.len()
    );
    let _ = writeln!(out, "  {}", ranking_line(s.ranking, lang));
    for (n, c) in s.chosen.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>3}. {} {} {} — {}",
            n + 1,
            c.unit,
            tr(lang, "tiêu chí", "criterion"),
            c.criterion,
            cost_text(&c.cost, s.ranking, lang)
        );
    }
    let _ = writeln!(
        out,
        "  {}: {}",
        tr(lang, "Tổng", "Total"),
        cost_text(&s.total, s.ranking, lang)
    );
    if s.short_by > 0 {
        let _ = writeln!(out, "  {} {}", tr(lang, "Thiếu:", "Short by"), s.short_by);
    }
    out
}
