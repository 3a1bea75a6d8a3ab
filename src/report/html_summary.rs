//! The summary section of the HTML report: the scope's own result, the headline
//! figures, the commune tiers, the distribution of criteria met (with its chart) and the
//! village figures.

use crate::model::{Lang, Level};
use crate::report::build::{Report, ReportError};
use crate::report::commune_text;
use crate::report::format::{fmt_share, format_number, format_percent, tr};
use crate::report::html::{body_row, esc, figure, head_row, items};
use crate::report::html_charts;
use crate::report::labels::outcome_text;
use crate::report::units_text;
use std::fmt::Write as _;

impl Report {
    /// The scope's own result, the commune and village figures and the distribution of
    /// criteria met.
    pub(super) fn summary_section(&self, o: &mut String, l: Lang) -> Result<(), ReportError> {
        let _ = writeln!(
            o,
            "<section id=\"summary\">\n<h2>{}</h2>",
            tr(l, "Tổng hợp", "Summary")
        );
        if let Some(own) = &self.own {
            let tier = own.tier.as_ref().map_or_else(
                || tr(l, "chưa được công nhận", "no tier").to_owned(),
                |t| self.tier_name(self.level, t, l),
            );
            let _ = writeln!(
                o,
                "<p class=\"own\">{}: <strong>{}</strong> ({})</p>",
                tr(l, "Kết quả của đơn vị", "The unit's own result"),
                esc(&tier),
                outcome_text(&own.outcome, l)
            );
        }
        o.push_str("<div class=\"cards\">\n");
        let card = |o: &mut String, value: &str, label: &str, detail: &str| {
            let _ = writeln!(
                o,
                "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div><div class=\"detail\">{}</div></div>",
                esc(value),
                esc(label),
                esc(detail)
            );
        };
        let communes = self.summary.level(Level::Commune);
        for t in communes.iter().flat_map(|c| c.tiers.iter()) {
            let s = &t.share_of_all;
            let value = s
                .percent
                .map_or_else(|| "—".to_owned(), |p| format_percent(p, l));
            let label = format!(
                "{} {}",
                tr(l, "Xã", "Communes"),
                self.tier_name(Level::Commune, &t.tier, l)
            );
            let of = format!(
                "{}/{}",
                format_number(s.count.into(), 0, l),
                format_number(s.total.into(), 0, l)
            );
            card(o, &value, &label, &of);
        }
        if let Some(avg) = self.summary.criteria.as_ref().map(|s| s.average) {
            if let Some(v) = avg.value {
                let detail = format!(
                    "{} / {}",
                    format_number(avg.sum.into(), 0, l),
                    format_number(avg.count.into(), 0, l)
                );
                let label = tr(
                    l,
                    "Bình quân tiêu chí/xã",
                    "Average criteria met per commune",
                );
                card(o, &format_number(v, 1, l), label, &detail);
            }
        }
        if let Some(t) = self
            .summary
            .level(Level::Village)
            .and_then(|v| v.tiers.last())
        {
            let label = format!(
                "{} {}",
                tr(l, "Thôn", "Villages"),
                self.tier_name(Level::Village, &t.tier, l)
            );
            let detail = format!("{} {}", tr(l, "có thêm", "new this year:"), t.new);
            card(
                o,
                &format_number(t.cumulative.into(), 0, l),
                &label,
                &detail,
            );
        }
        if let Some(p) = &self.plan {
            let value = format!("{}/{}", p.met(), p.targets.len());
            card(
                o,
                &value,
                tr(l, "Chỉ tiêu kế hoạch đạt", "Plan targets met"),
                "",
            );
        }
        o.push_str("</div>\n");
        if let Some(c) = communes {
            let _ = writeln!(
                o,
                "<h3>{}</h3>\n<p>{}: {}. {}.</p>",
                tr(l, "Cấp xã", "Communes"),
                tr(l, "Số xã được đánh giá", "Communes assessed"),
                format_number(c.assessed.into(), 0, l),
                esc(&commune_text::shares_basis(c, l))
            );
            o.push_str("<table class=\"tiers\">\n");
            let of_lowest = c.tiers.first().map_or_else(String::new, |t| {
                format!(
                    "{} {}",
                    tr(l, "Tỷ lệ trên số xã", "Share of the communes"),
                    self.tier_name(Level::Commune, &t.tier, l)
                )
            });
            head_row(
                o,
                &[
                    tr(l, "Hạng", "Tier"),
                    tr(l, "Số xã (tỷ lệ)", "Communes (share)"),
                    &of_lowest,
                    tr(l, "Có thêm", "New this year"),
                    tr(l, "Thu hồi", "Revoked"),
                ],
            );
            o.push_str("<tbody>\n");
            for (k, t) in c.tiers.iter().enumerate() {
                let of_lowest = match t.share_of_lowest.percent {
                    Some(p) if k > 0 => format_percent(p, l),
                    _ => String::new(),
                };
                let tier = format!(
                    "{} {}",
                    tr(l, "Xã", "Communes"),
                    self.tier_name(Level::Commune, &t.tier, l)
                );
                let share = fmt_share(&t.share_of_all, l);
                let (new, revoked) = (t.new.to_string(), t.revoked.to_string());
                body_row(
                    o,
                    &[
                        (&tier, false),
                        (&share, true),
                        (&of_lowest, true),
                        (&new, true),
                        (&revoked, true),
                    ],
                );
            }
            o.push_str("</tbody>\n</table>\n<ul>\n");
            if let Some(s) = &self.summary.criteria {
                let lines = commune_text::criteria_lines(s, l);
                if let Some((average, over)) = lines.average {
                    let _ = writeln!(o, "<li>{} ({})</li>", esc(&average), esc(&over));
                }
                let _ = writeln!(o, "<li>{}</li>", esc(&lines.below));
            }
            let _ = writeln!(
                o,
                "<li>{}</li>",
                esc(&commune_text::undecided_line(self, c, l))
            );
            items(o, &units_text::commune_lines(self, l));
            o.push_str("</ul>\n");
        }
        if let Some(s) = &self.summary.criteria {
            let _ = writeln!(
                o,
                "<h3>{}</h3>",
                tr(l, "Phân bố số tiêu chí đạt", "Distribution of criteria met")
            );
            let caption = commune_text::criteria_lines(s, l).bands;
            figure(o, html_charts::criteria_met(self, l)?, &caption);
        }
        if let Some(v) = self.summary.level(Level::Village) {
            let _ = writeln!(
                o,
                "<h3>{}</h3>\n<p>{}: {}</p>\n<ul>",
                tr(l, "Cấp thôn", "Villages"),
                tr(l, "Số thôn được đánh giá", "Villages assessed"),
                format_number(v.assessed.into(), 0, l)
            );
            for t in &v.tiers {
                let _ = writeln!(
                    o,
                    "<li>{} {}: {} ({} {}); {}: {}</li>",
                    tr(l, "Thôn", "Villages"),
                    esc(&self.tier_name(Level::Village, &t.tier, l)),
                    format_number(t.cumulative.into(), 0, l),
                    tr(l, "có thêm", "new this year:"),
                    t.new,
                    tr(l, "thu hồi", "revoked"),
                    t.revoked
                );
            }
            o.push_str("</ul>\n");
        }
        o.push_str("</section>\n");
        Ok(())
    }
}
