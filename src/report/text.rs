//! The report as text, in Vietnamese or English ([`Report::to_text`]).

use crate::model::{Confidence, Lang, Level, Requirement};
use crate::report::build::{Report, SetUsed};
use crate::report::diagnostics;
use crate::report::format::tr;
use crate::report::format::{fmt_date, fmt_share, format_number, format_percent};
use crate::report::milestones_text;
use crate::report::units_text;
use crate::tree::{LevelCounts, NoValue, RollUpMethod, TargetStatus};
use rust_decimal::Decimal;
use std::fmt::Write as _;

fn outcome_text(outcome: &str, lang: Lang) -> &'static str {
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
fn exclusion_label(name: &str, lang: Lang) -> &str {
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

impl Report {
    /// The report as text in Vietnamese or English.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut o = String::new();
        let l = lang;
        let _ = writeln!(
            o,
            "{} {} — {}",
            tr(
                l,
                "BÁO CÁO KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI NĂM",
                "NEW RURAL DEVELOPMENT REPORT"
            ),
            self.year,
            self.name.get(l).to_uppercase()
        );
        let _ = writeln!(
            o,
            "{}: {}",
            tr(l, "Ngày báo cáo", "Reporting date"),
            fmt_date(self.date, l)
        );
        if let Some(n) = &self.notice {
            let _ = writeln!(o);
            for line in n.get(l).lines() {
                let _ = writeln!(o, "!!! {line}");
            }
        }
        let weak: Vec<&SetUsed> = self
            .sets
            .iter()
            .filter(|s| s.confidence != Confidence::Confirmed)
            .collect();
        if !weak.is_empty() {
            let _ = writeln!(
                o,
                "!!! {} {} {}",
                tr(l, "Bộ tiêu chí dùng để đánh giá:", "Criteria sets used:"),
                weak.len(),
                tr(
                    l,
                    "bộ chưa được xác nhận là văn bản pháp luật (minh họa/chưa kiểm chứng); kết quả KHÔNG phải kết luận theo luật.",
                    "set(s) not confirmed as law (illustrative/unverified); results are NOT legal findings."
                )
            );
        }
        let _ = writeln!(o);

        let mut section = 0;
        let mut head = |o: &mut String, title: &str| {
            section += 1;
            let _ = writeln!(o, "{section}. {title}");
        };

        if let Some(own) = &self.own {
            head(&mut o, tr(l, "Kết quả của đơn vị", "The unit's own result"));
            let tier = own.tier.as_ref().map_or_else(
                || tr(l, "chưa được công nhận", "no tier").to_owned(),
                |t| self.tier_name(self.level, t, l),
            );
            let _ = writeln!(o, "   {} ({})", tier, outcome_text(&own.outcome, l));
            let _ = writeln!(o);
        }

        if let Some(c) = self.summary.level(Level::Commune) {
            head(&mut o, tr(l, "Cấp xã", "Communes"));
            let _ = writeln!(
                o,
                "   {}: {}",
                tr(l, "Số xã được đánh giá", "Communes assessed"),
                format_number(c.assessed.into(), 0, l)
            );
            let _ = writeln!(
                o,
                "   {} {} {} ({} {} {}, {} {}):",
                tr(l, "Tỷ lệ theo hạng: trên", "Shares by tier: of the"),
                format_number(c.assessed.into(), 0, l),
                tr(l, "xã được đánh giá", "communes assessed"),
                tr(l, "kể cả", "including"),
                c.excluded,
                tr(l, "xã bị loại khỏi tổng hợp", "excluded"),
                c.undecided,
                tr(l, "xã chưa xác định được", "undecided")
            );
            self.tier_lines(&mut o, c, l);
            if let Some(s) = &self.summary.criteria {
                if let Some(avg) = s.average.value {
                    let _ = writeln!(
                        o,
                        "   - {}: {} ({} / {})",
                        tr(
                            l,
                            "Bình quân tiêu chí/xã",
                            "Average criteria met per commune"
                        ),
                        format_number(avg, 1, l),
                        format_number(s.average.sum.into(), 0, l),
                        format_number(s.average.count.into(), 0, l)
                    );
                    let _ = writeln!(
                        o,
                        "     ({} {} {})",
                        tr(l, "trên", "over the"),
                        format_number(s.average.count.into(), 0, l),
                        tr(
                            l,
                            "xã được xét tiêu chí; không tính xã bị loại khỏi tổng hợp",
                            "communes whose criteria were assessed; excluded communes not counted"
                        )
                    );
                }
                let bands: Vec<String> = s
                    .bands
                    .iter()
                    .map(|b| {
                        let range = if b.min == b.max {
                            format!("{}", b.min)
                        } else {
                            format!("{}–{}", b.min, b.max)
                        };
                        format!("{range}: {}", b.units)
                    })
                    .collect();
                let _ = writeln!(
                    o,
                    "   - {}: {}",
                    tr(
                        l,
                        "Phân bố số tiêu chí đạt (số tiêu chí: số xã)",
                        "Criteria met (criteria: communes)"
                    ),
                    bands.join("; ")
                );
                let _ = writeln!(
                    o,
                    "   - {} {}/{} {}: {}/{} {}",
                    tr(l, "Xã đạt dưới", "Communes meeting fewer than"),
                    s.below_floor,
                    s.criteria_total,
                    tr(l, "tiêu chí", "criteria"),
                    s.below,
                    format_number(s.average.count.into(), 0, l),
                    tr(
                        l,
                        "xã được xét tiêu chí",
                        "communes whose criteria were assessed"
                    )
                );
            }
            let _ = writeln!(
                o,
                "   - {}: {}; {}: {}{}",
                tr(l, "Chưa xác định được", "Cannot decide"),
                c.undecided,
                tr(l, "loại khỏi tổng hợp", "excluded"),
                c.excluded,
                self.exclusion_breakdown(Level::Commune, l)
            );
            o.push_str(&units_text::commune_lines(self, l));
            let _ = writeln!(o);
        }

        if let Some(v) = self.summary.level(Level::Village) {
            head(&mut o, tr(l, "Cấp thôn", "Villages"));
            let _ = writeln!(
                o,
                "   {}: {}",
                tr(l, "Số thôn được đánh giá", "Villages assessed"),
                format_number(v.assessed.into(), 0, l)
            );
            for t in &v.tiers {
                let _ = writeln!(
                    o,
                    "   - {} {}: {} ({} {}); {}: {}",
                    tr(l, "Thôn", "Villages"),
                    self.tier_name(Level::Village, &t.tier, l),
                    format_number(t.cumulative.into(), 0, l),
                    tr(l, "có thêm", "new this year:"),
                    t.new,
                    tr(l, "thu hồi", "revoked"),
                    t.revoked
                );
            }
            let _ = writeln!(o);
        }

        if !self.children.is_empty() {
            head(
                &mut o,
                tr(
                    l,
                    "Kết quả theo đơn vị trực thuộc (tỷ lệ xã: trên số xã được đánh giá của đơn vị)",
                    "By unit below (commune shares: of the unit's communes assessed)",
                ),
            );
            for c in &self.children {
                let tier = c.tier.as_ref().map_or_else(
                    || outcome_text(&c.outcome, l).to_owned(),
                    |t| {
                        format!(
                            "{} ({})",
                            self.tier_name(c.level, t, l),
                            outcome_text(&c.outcome, l)
                        )
                    },
                );
                let _ = write!(o, "   - {}: {}", c.name.get(l), tier);
                if let Some(cc) = &c.communes {
                    let parts: Vec<String> = cc
                        .tiers
                        .iter()
                        .map(|t| {
                            format!(
                                "{} {}",
                                self.tier_name(Level::Commune, &t.tier, l),
                                fmt_share(&t.share_of_all, l)
                            )
                        })
                        .collect();
                    let _ = write!(o, "; {} {}", tr(l, "xã", "communes"), parts.join(", "));
                }
                if let Some(a) = c.average.and_then(|a| a.value) {
                    let _ = write!(
                        o,
                        "; {} {}",
                        tr(l, "BQ tiêu chí/xã", "avg criteria"),
                        format_number(a, 1, l)
                    );
                }
                if let Some(v) = &c.villages {
                    if let Some(t) = v.tiers.last() {
                        let _ = write!(
                            o,
                            "; {} {} {}",
                            tr(l, "thôn", "villages"),
                            self.tier_name(Level::Village, &t.tier, l),
                            t.cumulative
                        );
                    }
                }
                let _ = writeln!(o);
            }
            let _ = writeln!(o);
        }

        if !self.criteria.is_empty() {
            head(
                &mut o,
                &format!(
                    "{} {} {}",
                    tr(
                        l,
                        "Số xã đạt từng tiêu chí: trên",
                        "Communes meeting each criterion: of the"
                    ),
                    format_number(
                        self.summary
                            .criteria
                            .as_ref()
                            .map_or(0, |s| s.average.count)
                            .into(),
                        0,
                        l
                    ),
                    tr(
                        l,
                        "xã được xét tiêu chí (không tính xã bị loại khỏi tổng hợp)",
                        "communes whose criteria were assessed (excluded communes not counted)"
                    )
                ),
            );
            for c in &self.criteria {
                let _ = writeln!(
                    o,
                    "   {:>3}. {}: {}",
                    c.criterion,
                    c.name.get(l),
                    fmt_share(&c.share, l)
                );
            }
            let _ = writeln!(o);
        }

        if !self.summary.rollups.is_empty() {
            head(
                &mut o,
                tr(
                    l,
                    "Chỉ tiêu tổng hợp từ số liệu các xã",
                    "Indicators rolled up from the communes",
                ),
            );
            for r in &self.summary.rollups {
                let (name, unit) = self
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
                let _ = writeln!(
                    o,
                    "   - {}: {}{} ({}, {} {}{})",
                    name,
                    value,
                    unit.map(|u| if u == "%" { u } else { format!(" {u}") })
                        .unwrap_or_default(),
                    how,
                    r.units,
                    tr(l, "đơn vị", "units"),
                    left_out
                );
            }
            let _ = writeln!(o);
        }

        if let Some(p) = &self.plan {
            head(
                &mut o,
                &format!(
                    "{} ({}/{} {})",
                    tr(l, "Tiến độ thực hiện kế hoạch", "Plan progress"),
                    p.met(),
                    p.targets.len(),
                    tr(l, "chỉ tiêu đạt", "targets met")
                ),
            );
            for t in &p.targets {
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
                        // A shortfall smaller than the places shown is written in full,
                        // never as "by 0".
                        let shown = if by
                            .round_dp_with_strategy(
                                dp,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                            )
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
                let change = t
                    .change
                    .map(|c| {
                        let sign = if c.is_sign_negative() { "" } else { "+" };
                        format!(
                            "; {} {sign}{}",
                            tr(l, "so với năm trước", "vs last year"),
                            num(c)
                        )
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    o,
                    "   - {}: {} {}{sep}{unit}{of} / {} {} {}{sep}{unit} → {}{}",
                    t.target.label.get(l),
                    tr(l, "thực hiện", "actual"),
                    actual,
                    tr(l, "kế hoạch", "target"),
                    t.target.requirement.symbol(),
                    num(t.target.value),
                    status,
                    change
                );
            }
            if let Some(m) = &p.milestones {
                milestones_text::render(&mut o, m, self, l);
            }
            let _ = writeln!(o);
        }

        if !self.excluded.is_empty() || !self.derived_problems.is_empty() {
            head(
                &mut o,
                tr(
                    l,
                    "Đơn vị bị loại khỏi tổng hợp và giá trị không tính được",
                    "Units excluded and values not computed",
                ),
            );
            for e in &self.excluded {
                let _ = writeln!(o, "   - {}", diagnostics::excluded(e, l));
            }
            for d in &self.derived_problems {
                let _ = writeln!(o, "   - {}", diagnostics::derived(d, l));
            }
            let _ = writeln!(o);
        }

        if !self.unused_values.is_empty() || !self.incomplete_profiles.is_empty() {
            head(
                &mut o,
                tr(
                    l,
                    "Số liệu không được dùng và hồ sơ đơn vị chưa đủ",
                    "Values not used and incomplete profiles",
                ),
            );
            for p in &self.incomplete_profiles {
                let _ = writeln!(o, "   - {}", diagnostics::incomplete_profile(p, l));
            }
            for v in &self.unused_values {
                let _ = writeln!(o, "   - {}", diagnostics::unused(v, l));
            }
            let _ = writeln!(o);
        }

        let _ = writeln!(
            o,
            "{}",
            tr(
                l,
                "Ghi chú: mọi số liệu được tính chính xác (số thập phân, không làm tròn); tỷ lệ và bình quân chỉ được làm tròn khi hiển thị, đến 1 chữ số thập phân, nửa làm tròn ra xa số 0 (147/184 = 79,89…% → 79,9%).",
                "Note: every figure is computed exactly (decimals, no rounding); shares and averages are rounded only for display, to 1 decimal, half away from zero (147/184 = 79.89…% → 79.9%)."
            )
        );
        o
    }

    /// " (bad data 1, no input 1)": the excluded units of a level by reason, or nothing.
    fn exclusion_breakdown(&self, level: Level, l: Lang) -> String {
        let mut by_reason: Vec<(&str, usize)> = Vec::new();
        for e in self.excluded.iter().filter(|e| e.level == level) {
            let name = e.reason.name();
            match by_reason.iter_mut().find(|(n, _)| *n == name) {
                Some((_, k)) => *k += 1,
                None => by_reason.push((name, 1)),
            }
        }
        if by_reason.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = by_reason
            .iter()
            .map(|(n, k)| format!("{} {k}", exclusion_label(n, l)))
            .collect();
        format!(" ({})", parts.join(", "))
    }

    fn tier_lines(&self, o: &mut String, c: &LevelCounts, l: Lang) {
        let lowest = c.tiers.first().map(|t| t.tier.clone());
        for t in &c.tiers {
            let _ = write!(
                o,
                "   - {} {}: {}",
                tr(l, "Xã", "Communes"),
                self.tier_name(Level::Commune, &t.tier, l),
                fmt_share(&t.share_of_all, l)
            );
            if Some(&t.tier) != lowest.as_ref() {
                if let Some(p) = t.share_of_lowest.percent {
                    let _ = write!(
                        o,
                        " = {} {} {}",
                        format_percent(p, l),
                        tr(l, "số xã", "of the"),
                        lowest
                            .as_ref()
                            .map(|x| self.tier_name(Level::Commune, x, l))
                            .unwrap_or_default()
                    );
                    if l == Lang::En {
                        let _ = write!(o, " communes");
                    }
                }
            }
            let _ = writeln!(
                o,
                "; {} {}; {} {}",
                tr(l, "có thêm", "new this year"),
                t.new,
                tr(l, "thu hồi", "revoked"),
                t.revoked
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------
