//! The report as one self-contained HTML page ([`Report::to_html`]): inline CSS (with
//! print rules for A4), inline SVG charts, no script and nothing fetched from the network.
//! It shows what the text report shows, with the same figures formatted the same way,
//! as tables and charts. Every string from the input (unit names, labels, notices) is
//! escaped.

use crate::model::{Confidence, Lang, Level};
use crate::report::build::{Report, ReportError};
use crate::report::commune_text;
use crate::report::diagnostics;
use crate::report::format::{fmt_date, fmt_share, format_number, tr};
use crate::report::html_charts;
use crate::report::milestones_text;
use crate::report::plan_text;
use crate::report::rollup_text;
use crate::tree::TargetStatus;
use std::fmt::Write as _;

/// The page's style sheet: screen and A4 print.
const CSS: &str = include_str!("html.css");

/// Escapes text for HTML content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut o = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The lines of a text block (`   - item`) as list items.
pub(super) fn items(o: &mut String, lines: &str) {
    for line in lines.lines().map(str::trim).filter(|x| !x.is_empty()) {
        let line = line.strip_prefix("- ").unwrap_or(line);
        let _ = writeln!(o, "<li>{}</li>", esc(line));
    }
}

/// A table header row.
pub(super) fn head_row(o: &mut String, cells: &[&str]) {
    o.push_str("<thead><tr>");
    for c in cells {
        let _ = write!(o, "<th>{}</th>", esc(c));
    }
    o.push_str("</tr></thead>\n");
}

/// A table body row; each cell is escaped, and right-aligned when it is a number.
pub(super) fn body_row(o: &mut String, cells: &[(&str, bool)]) {
    o.push_str("<tr>");
    for (text, number) in cells {
        let class = if *number { " class=\"num\"" } else { "" };
        let _ = write!(o, "<td{class}>{}</td>", esc(text));
    }
    o.push_str("</tr>\n");
}

/// A chart in a figure with its caption, or nothing when there is no data to draw.
pub(super) fn figure(o: &mut String, svg: Option<String>, caption: &str) {
    if let Some(svg) = svg {
        // Inline SVG in HTML needs no namespace declaration; leaving it out keeps the page
        // free of any URL.
        let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
        let _ = writeln!(
            o,
            "<figure>\n{svg}<figcaption>{}</figcaption>\n</figure>",
            esc(caption)
        );
    }
}

impl Report {
    /// The report as one self-contained HTML page in Vietnamese or English: the summary
    /// figures, plan progress with met and short marks, a bar chart of the commune tier
    /// shares of each unit below the scope, the distribution of criteria met, the
    /// communes meeting each criterion, the roll-ups and every unit left out, with the
    /// reason. The figures are formatted as in [`Report::to_text`]; the page needs no
    /// network and no script, and prints on A4.
    ///
    /// # Errors
    ///
    /// [`ReportError::Chart`] if a chart cannot be drawn.
    pub fn to_html(&self, lang: Lang) -> Result<String, ReportError> {
        let l = lang;
        let mut o = String::new();
        let title = format!(
            "{} {} — {}",
            tr(
                l,
                "Báo cáo kết quả xây dựng nông thôn mới năm",
                "New Rural Development report"
            ),
            self.year,
            self.name.get(l)
        );
        let _ = writeln!(
            o,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
             <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>",
            tr(l, "vi", "en"),
            esc(&title)
        );
        let _ = writeln!(
            o,
            "<header>\n<h1>{}</h1>\n<p class=\"scope\">{}</p>\n<p class=\"date\">{}: {}</p>\n</header>",
            esc(&format!(
                "{} {}",
                tr(
                    l,
                    "BÁO CÁO KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI NĂM",
                    "NEW RURAL DEVELOPMENT REPORT"
                ),
                self.year
            )),
            esc(self.name.get(l)),
            tr(l, "Ngày báo cáo", "Reporting date"),
            fmt_date(self.date, l)
        );
        self.notices(&mut o, l);
        self.summary_section(&mut o, l)?;
        self.plan_section(&mut o, l);
        self.children_section(&mut o, l)?;
        self.criteria_section(&mut o, l);
        self.rollups_section(&mut o, l);
        self.diagnostics_section(&mut o, l);
        let _ = writeln!(
            o,
            "<footer>\n<p>{}</p>\n</footer>\n</body>\n</html>",
            tr(
                l,
                "Ghi chú: mọi số liệu được tính chính xác (số thập phân, không làm tròn); tỷ lệ và bình quân chỉ được làm tròn khi hiển thị, đến 1 chữ số thập phân, nửa làm tròn ra xa số 0 (147/184 = 79,89…% → 79,9%).",
                "Note: every figure is computed exactly (decimals, no rounding); shares and averages are rounded only for display, to 1 decimal, half away from zero (147/184 = 79.89…% → 79.9%)."
            )
        );
        Ok(o)
    }

    /// The notice and the warning about sets not confirmed as law.
    fn notices(&self, o: &mut String, l: Lang) {
        let weak = self
            .sets
            .iter()
            .filter(|s| s.confidence != Confidence::Confirmed)
            .count();
        if self.notice.is_none() && weak == 0 {
            return;
        }
        o.push_str("<div class=\"notice\" role=\"note\">\n");
        if let Some(n) = &self.notice {
            for line in n.get(l).lines() {
                let _ = writeln!(o, "<p>{}</p>", esc(line));
            }
        }
        if weak > 0 {
            let _ = writeln!(
                o,
                "<p>{} {weak} {}</p>",
                tr(l, "Bộ tiêu chí dùng để đánh giá:", "Criteria sets used:"),
                tr(
                    l,
                    "bộ chưa được xác nhận là văn bản pháp luật (minh họa/chưa kiểm chứng); kết quả KHÔNG phải kết luận theo luật.",
                    "set(s) not confirmed as law (illustrative/unverified); results are NOT legal findings."
                )
            );
        }
        o.push_str("</div>\n");
    }

    /// Plan progress: a row per target with its mark, then the procedure milestones.
    fn plan_section(&self, o: &mut String, l: Lang) {
        let Some(p) = &self.plan else {
            return;
        };
        let _ = writeln!(
            o,
            "<section id=\"plan\">\n<h2>{} ({}/{} {})</h2>\n<table class=\"plan\">",
            tr(l, "Tiến độ thực hiện kế hoạch", "Plan progress"),
            p.met(),
            p.targets.len(),
            tr(l, "chỉ tiêu đạt", "targets met")
        );
        head_row(
            o,
            &[
                tr(l, "Chỉ tiêu", "Target"),
                tr(l, "Thực hiện", "Actual"),
                tr(l, "Kế hoạch", "Target"),
                tr(l, "Kết quả", "Result"),
                tr(l, "So với năm trước", "vs last year"),
            ],
        );
        o.push_str("<tbody>\n");
        for t in &p.targets {
            let (class, mark) = match t.status {
                TargetStatus::Met => ("met", "✓"),
                TargetStatus::Unknown { .. } => ("unknown", "?"),
                _ => ("short", "✗"),
            };
            let t = plan_text::target_parts(t, l);
            let _ = writeln!(
                o,
                "<tr class=\"{class}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"status\"><span class=\"mark\">{mark}</span> {}</td><td class=\"num\">{}</td></tr>",
                esc(&t.label),
                esc(&t.actual),
                esc(&t.target),
                esc(&t.status),
                esc(t.change.as_deref().unwrap_or(""))
            );
        }
        o.push_str("</tbody>\n</table>\n");
        if let Some(m) = &p.milestones {
            let mut text = String::new();
            milestones_text::render(&mut text, m, self, l);
            let mut lines = text.lines();
            if let Some(first) = lines.next() {
                let _ = writeln!(o, "<p>{}</p>", esc(first.trim()));
            }
            o.push_str("<ul>\n");
            items(o, &lines.collect::<Vec<_>>().join("\n"));
            o.push_str("</ul>\n");
        }
        o.push_str("</section>\n");
    }

    /// The units below the scope: the chart of their commune tier shares and a table.
    fn children_section(&self, o: &mut String, l: Lang) -> Result<(), ReportError> {
        if self.children.is_empty() {
            return Ok(());
        }
        let _ = writeln!(
            o,
            "<section id=\"units\">\n<h2>{}</h2>",
            tr(l, "Kết quả theo đơn vị trực thuộc", "By unit below")
        );
        let note = tr(
            l,
            "Tỷ lệ xã: trên số xã được đánh giá của đơn vị",
            "Commune shares: of the unit's communes assessed",
        );
        figure(o, html_charts::tier_shares(self, l)?, note);
        let tiers: Vec<_> = self
            .children
            .iter()
            .find_map(|c| c.communes.as_ref())
            .map(|c| c.tiers.iter().map(|t| t.tier.clone()).collect())
            .unwrap_or_default();
        let village = self
            .children
            .iter()
            .find_map(|c| c.villages.as_ref().and_then(|v| v.tiers.last()))
            .map(|t| t.tier.clone());
        let mut header: Vec<String> = vec![
            tr(l, "Đơn vị", "Unit").to_owned(),
            tr(l, "Kết quả", "Result").to_owned(),
        ];
        for t in &tiers {
            header.push(format!(
                "{} {}",
                tr(l, "Xã", "Communes"),
                self.tier_name(Level::Commune, t, l)
            ));
        }
        header.push(tr(l, "BQ tiêu chí/xã", "Avg criteria").to_owned());
        if let Some(t) = &village {
            header.push(format!(
                "{} {}",
                tr(l, "Thôn", "Villages"),
                self.tier_name(Level::Village, t, l)
            ));
        }
        o.push_str("<table class=\"units\">\n");
        head_row(o, &header.iter().map(String::as_str).collect::<Vec<_>>());
        o.push_str("<tbody>\n");
        for c in &self.children {
            let result = commune_text::child_result(self, c, l);
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td>",
                esc(c.name.get(l)),
                esc(&result)
            );
            for t in &tiers {
                let cell = c
                    .communes
                    .as_ref()
                    .and_then(|cc| cc.tiers.iter().find(|x| &x.tier == t))
                    .map(|x| fmt_share(&x.share_of_all, l))
                    .unwrap_or_default();
                let _ = write!(o, "<td class=\"num\">{cell}</td>");
            }
            let avg = c
                .average
                .and_then(|a| a.value)
                .map(|a| format_number(a, 1, l))
                .unwrap_or_default();
            let _ = write!(o, "<td class=\"num\">{avg}</td>");
            if let Some(vt) = &village {
                let cell = c
                    .villages
                    .as_ref()
                    .and_then(|v| v.tiers.iter().find(|x| &x.tier == vt))
                    .map(|x| x.cumulative.to_string())
                    .unwrap_or_default();
                let _ = write!(o, "<td class=\"num\">{cell}</td>");
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody>\n</table>\n</section>\n");
        Ok(())
    }

    /// The communes meeting each criterion.
    fn criteria_section(&self, o: &mut String, l: Lang) {
        if self.criteria.is_empty() {
            return;
        }
        let count = self
            .summary
            .criteria
            .as_ref()
            .map_or(0, |s| s.average.count);
        let _ =
            writeln!(
            o,
            "<section id=\"criteria\">\n<h2>{}</h2>\n<p>{} {} {}</p>\n<table class=\"criteria\">",
            tr(l, "Số xã đạt từng tiêu chí", "Communes meeting each criterion"),
            tr(l, "Trên", "Of the"),
            format_number(count.into(), 0, l),
            tr(
                l,
                "xã được xét tiêu chí (không tính xã bị loại khỏi tổng hợp).",
                "communes whose criteria were assessed (excluded communes not counted)."
            )
        );
        head_row(
            o,
            &[
                tr(l, "TT", "No."),
                tr(l, "Tiêu chí", "Criterion"),
                tr(l, "Số xã đạt (tỷ lệ)", "Communes meeting it (share)"),
            ],
        );
        o.push_str("<tbody>\n");
        for c in &self.criteria {
            let share = fmt_share(&c.share, l);
            body_row(
                o,
                &[
                    (c.criterion.as_str(), true),
                    (c.name.get(l), false),
                    (&share, true),
                ],
            );
        }
        o.push_str("</tbody>\n</table>\n</section>\n");
    }

    /// The indicators rolled up from the communes.
    fn rollups_section(&self, o: &mut String, l: Lang) {
        if self.summary.rollups.is_empty() {
            return;
        }
        let _ = writeln!(
            o,
            "<section id=\"rollups\">\n<h2>{}</h2>\n<table class=\"rollups\">",
            tr(
                l,
                "Chỉ tiêu tổng hợp từ số liệu các xã",
                "Indicators rolled up from the communes"
            )
        );
        head_row(
            o,
            &[
                tr(l, "Chỉ tiêu", "Indicator"),
                tr(l, "Giá trị", "Value"),
                tr(l, "Cách tính", "How"),
            ],
        );
        o.push_str("<tbody>\n");
        for r in &self.summary.rollups {
            let r = rollup_text::rollup_parts(self, r, l);
            body_row(o, &[(&r.name, false), (&r.value, true), (&r.detail, false)]);
        }
        o.push_str("</tbody>\n</table>\n</section>\n");
    }

    /// Units left out, values not computed, values not used and incomplete profiles.
    fn diagnostics_section(&self, o: &mut String, l: Lang) {
        let lists = [
            (
                tr(
                    l,
                    "Đơn vị bị loại khỏi tổng hợp và giá trị không tính được",
                    "Units excluded and values not computed",
                ),
                self.excluded
                    .iter()
                    .map(|e| diagnostics::excluded(e, l))
                    .chain(
                        self.derived_problems
                            .iter()
                            .map(|d| diagnostics::derived(d, l)),
                    )
                    .collect::<Vec<_>>(),
            ),
            (
                tr(
                    l,
                    "Số liệu không được dùng và hồ sơ đơn vị chưa đủ",
                    "Values not used and incomplete profiles",
                ),
                self.incomplete_profiles
                    .iter()
                    .map(|p| diagnostics::incomplete_profile(p, l))
                    .chain(self.unused_values.iter().map(|v| diagnostics::unused(v, l)))
                    .collect(),
            ),
        ];
        for (title, lines) in lists.iter().filter(|(_, lines)| !lines.is_empty()) {
            let _ = writeln!(o, "<section class=\"diagnostics\">\n<h2>{title}</h2>\n<ul>");
            for line in lines {
                let _ = writeln!(o, "<li>{}</li>", esc(line));
            }
            o.push_str("</ul>\n</section>\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn every_markup_character_of_input_is_escaped() {
        assert_eq!(
            esc(r#"<script>alert('x' & "y")</script>"#),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
        assert_eq!(esc("Huyện Yên Thế"), "Huyện Yên Thế");
    }
}
