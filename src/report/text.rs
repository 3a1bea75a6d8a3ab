//! The report as text, in Vietnamese or English ([`Report::to_text`]).

use crate::model::{Confidence, Lang, Level};
use crate::report::build::{Report, SetUsed};
use crate::report::commune_text;
use crate::report::diagnostics;
use crate::report::format::tr;
use crate::report::format::{fmt_date, fmt_share, format_number, format_percent};
use crate::report::labels::outcome_text;
use crate::report::milestones_text;
use crate::report::plan_text;
use crate::report::rollup_text;
use crate::report::units_text;
use crate::tree::LevelCounts;
use std::fmt::Write as _;

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
            let _ = writeln!(o, "   {}:", commune_text::shares_basis(c, l));
            self.tier_lines(&mut o, c, l);
            if let Some(s) = &self.summary.criteria {
                let lines = commune_text::criteria_lines(s, l);
                if let Some((average, over)) = lines.average {
                    let _ = writeln!(o, "   - {average}");
                    let _ = writeln!(o, "     ({over})");
                }
                let _ = writeln!(o, "   - {}", lines.bands);
                let _ = writeln!(o, "   - {}", lines.below);
            }
            let _ = writeln!(o, "   - {}", commune_text::undecided_line(self, c, l));
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
                let tier = commune_text::child_result(self, c, l);
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
                let r = rollup_text::rollup_parts(self, r, l);
                let _ = writeln!(o, "   - {}: {} ({})", r.name, r.value, r.detail);
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
                let t = plan_text::target_parts(t, l);
                let change = t
                    .change
                    .map(|c| format!("; {} {c}", tr(l, "so với năm trước", "vs last year")))
                    .unwrap_or_default();
                let _ = writeln!(
                    o,
                    "   - {}: {} {} / {} {} → {}{}",
                    t.label,
                    tr(l, "thực hiện", "actual"),
                    t.actual,
                    tr(l, "kế hoạch", "target"),
                    t.target,
                    t.status,
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
