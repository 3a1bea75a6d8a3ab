//! Reports for a scope unit (a province, a district): as data (serde), as CSV tables,
//! and as text in Vietnamese or English. The last stage of the pipeline.
//!
//! [`Report::build`] gathers, for the scope: its [`Summary`] (counts by tier, shares
//! with explicit denominators, criteria statistics, roll-ups), a row per direct child
//! (district), a row per commune, the number of communes meeting each criterion, plan
//! progress, and every unit excluded or derived value left missing, with the reason.
//!
//! **Rounding.** Every figure in a report is exact ([`rust_decimal::Decimal`]); rounding
//! happens only when a figure is displayed: percentages and averages are rounded half
//! away from zero to one decimal ([`round_display`]: 147/184 = 79.891…% → 79.9%;
//! 3146/184 = 17.097… → 17.1). CSV tables carry both the exact value and the displayed
//! one. Vietnamese text writes numbers the Vietnamese way (79,9%; 3.146), English text
//! the English way (79.9%; 3,146); CSV uses plain machine numbers (79.9; 3146).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::{
    round_display, Aggregation, Average, DerivedProblem, Excluded, LevelCounts, LevelSets,
    RollUpMethod, Share, Summary, UnitStatus,
};
use crate::decide::Verdict;
use crate::definitions::{Confidence, CriterionId, Label, Lang, Level, SetId, TierId, UnitCode};
use crate::hierarchy::{Date, Hierarchy, UnitKind, UnitName};
use crate::plan::{Plan, PlanProgress, Status};

/// A report that cannot be built or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The scope unit is not in the tree, or has no children.
    #[error("unit `{0}` is not in the tree or has no units below it")]
    UnknownScope(UnitCode),
    /// A CSV table cannot be written.
    #[error("cannot write CSV table `{table}`")]
    Csv {
        /// The table.
        table: &'static str,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// A file cannot be written.
    #[error("cannot write `{path}`")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Name of a tier at a level, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierName {
    /// The level.
    pub level: Level,
    /// The tier.
    pub tier: TierId,
    /// Its name.
    pub name: Label,
}

/// A criteria set used, with its confidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetUsed {
    /// The set.
    pub set: SetId,
    /// Its name.
    pub name: Label,
    /// Its confidence (an illustrative set is not law).
    pub confidence: Confidence,
}

/// One direct child of the scope (a district, or a commune in the two-tier shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildRow {
    /// The unit.
    pub unit: UnitCode,
    /// Its name.
    pub name: UnitName,
    /// Its kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<UnitKind>,
    /// Its own outcome (see [`UnitRow::outcome`]).
    pub outcome: String,
    /// Tier held after this year's decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<TierId>,
    /// Counts of its communes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub communes: Option<LevelCounts>,
    /// Counts of its villages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub villages: Option<LevelCounts>,
    /// Average criteria met per commune.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average: Option<Average>,
}

/// One commune (or other assessed unit at the commune level) in the scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRow {
    /// The unit.
    pub unit: UnitCode,
    /// Its name.
    pub name: UnitName,
    /// Its parent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitCode>,
    /// `recognise`, `maintain`, `revoke`, `not_yet`, `cannot_decide`, `excluded` or
    /// `not_assessed`.
    pub outcome: String,
    /// Tier held after this year's decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<TierId>,
    /// Tiers newly reached this year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub newly: Vec<TierId>,
    /// Criteria of the lowest-tier set met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria_met: Option<u32>,
    /// Criteria of the lowest-tier set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria_total: Option<u32>,
}

/// Communes meeting one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionRow {
    /// The criterion.
    pub criterion: CriterionId,
    /// Its name.
    pub name: Label,
    /// Communes meeting it, over the communes evaluated.
    pub share: Share,
}

/// The report of a scope unit for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The scope unit.
    pub scope: UnitCode,
    /// Its name.
    pub name: UnitName,
    /// Its level.
    pub level: Level,
    /// The reporting year.
    pub year: u16,
    /// The tree's reporting date.
    pub date: Date,
    /// A notice to show first (for example that the data are synthetic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<Label>,
    /// The criteria sets used, with their confidence.
    pub sets: Vec<SetUsed>,
    /// Tier names by level.
    pub tier_names: Vec<TierName>,
    /// The scope's own result (its tier, for a province).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own: Option<UnitRow>,
    /// The scope's summary.
    pub summary: Summary,
    /// Rows of the direct children.
    pub children: Vec<ChildRow>,
    /// Rows of the communes.
    pub communes: Vec<UnitRow>,
    /// Communes meeting each criterion.
    pub criteria: Vec<CriterionRow>,
    /// Names and units of the roll-ups, by indicator (set with
    /// [`Report::with_rollup_names`]; the indicator id is shown otherwise).
    pub rollup_names: BTreeMap<String, (Label, Option<Label>)>,
    /// Plan progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanProgress>,
    /// Units of the scope left out, with the reason.
    pub excluded: Vec<Excluded>,
    /// Derived values of the scope left missing, with the reason.
    pub derived_problems: Vec<DerivedProblem>,
}

/// A CSV table: a file name and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    /// File name (`"communes.csv"`).
    pub name: &'static str,
    /// The CSV text, with a header row.
    pub content: String,
}

fn outcome_of(status: &UnitStatus) -> &'static str {
    match status {
        UnitStatus::NotAssessed => "not_assessed",
        UnitStatus::Excluded { .. } => "excluded",
        UnitStatus::Decided { decision } => match decision.verdict {
            Verdict::Recognise { .. } => "recognise",
            Verdict::Maintain { .. } => "maintain",
            Verdict::Revoke { .. } => "revoke",
            Verdict::NotYet { .. } => "not_yet",
            Verdict::CannotDecide { .. } => "cannot_decide",
        },
    }
}

impl Report {
    /// Builds the report of `scope` from a tree, its aggregation, the sets used (for
    /// names and confidence), and optionally a plan and a notice.
    ///
    /// # Errors
    ///
    /// [`ReportError::UnknownScope`] if the scope is not in the tree or has no units
    /// below it.
    pub fn build(
        tree: &Hierarchy,
        agg: &Aggregation,
        sets: &[LevelSets],
        scope: &str,
        plan: Option<&Plan>,
        notice: Option<&Label>,
    ) -> Result<Report, ReportError> {
        let unknown = || ReportError::UnknownScope(UnitCode::new(scope));
        let unit = tree.get(scope).ok_or_else(unknown)?;
        let summary = agg.summary(scope).ok_or_else(unknown)?.clone();

        let row = |code: &UnitCode| {
            let r = agg.result(code.as_str())?;
            let u = tree.get(code.as_str())?;
            let decision = r.decision();
            Some(UnitRow {
                unit: code.clone(),
                name: u.name.clone(),
                parent: u.parent.clone(),
                outcome: outcome_of(&r.status).to_owned(),
                tier: decision.and_then(|d| d.tier_after()).flatten().cloned(),
                newly: match decision.map(|d| &d.verdict) {
                    Some(Verdict::Recognise { newly, .. }) => newly.clone(),
                    _ => Vec::new(),
                },
                criteria_met: r.criteria_met.as_ref().map(|m| m.len() as u32),
                criteria_total: r.criteria_total,
            })
        };

        let children = tree
            .children(scope)
            .map(|c| {
                let s = agg.summary(c.code.as_str());
                let own = row(&c.code);
                ChildRow {
                    unit: c.code.clone(),
                    name: c.name.clone(),
                    kind: c.kind,
                    outcome: own
                        .as_ref()
                        .map_or_else(|| "not_assessed".to_owned(), |o| o.outcome.clone()),
                    tier: own.and_then(|o| o.tier),
                    communes: s.and_then(|s| s.level(Level::Commune)).cloned(),
                    villages: s.and_then(|s| s.level(Level::Village)).cloned(),
                    average: s.and_then(|s| s.criteria.as_ref()).map(|c| c.average),
                }
            })
            .collect();

        let communes = tree
            .descendants_at(scope, Level::Commune)
            .into_iter()
            .filter_map(|u| row(&u.code))
            .filter(|r| r.outcome != "not_assessed")
            .collect();

        let mut criterion_names: BTreeMap<&CriterionId, &Label> = BTreeMap::new();
        let mut tier_names = Vec::new();
        let mut used = Vec::new();
        for ls in sets {
            for set in &ls.sets {
                used.push(SetUsed {
                    set: set.id.clone(),
                    name: set.name.clone(),
                    confidence: set.confidence,
                });
                for t in &set.scheme.tiers {
                    if !tier_names
                        .iter()
                        .any(|n: &TierName| n.level == ls.level && n.tier == t.id)
                    {
                        tier_names.push(TierName {
                            level: ls.level,
                            tier: t.id.clone(),
                            name: t.name.clone(),
                        });
                    }
                }
            }
            if ls.level == Level::Commune {
                if let Some(lowest) = ls.sets.first() {
                    for c in &lowest.criteria {
                        criterion_names.entry(&c.id).or_insert(&c.name);
                    }
                }
            }
        }
        let criteria = summary
            .criteria
            .as_ref()
            .map(|c| {
                c.by_criterion
                    .iter()
                    .map(|x| CriterionRow {
                        criterion: x.criterion.clone(),
                        name: criterion_names
                            .get(&x.criterion)
                            .map_or_else(|| Label::new("", ""), |l| (*l).clone()),
                        share: Share::new(x.units, c.average.count),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut criteria: Vec<CriterionRow> = criteria;
        criteria.sort_by_key(|c| numeric_id(&c.criterion));

        let in_scope = |code: &UnitCode| {
            code.as_str() == scope || {
                let mut p = tree.parent(code.as_str());
                let mut found = false;
                while let Some(u) = p {
                    if u.code.as_str() == scope {
                        found = true;
                        break;
                    }
                    p = tree.parent(u.code.as_str());
                }
                found
            }
        };
        Ok(Report {
            scope: unit.code.clone(),
            name: unit.name.clone(),
            level: unit.level,
            year: agg.year,
            date: agg.date,
            notice: notice.cloned(),
            sets: used,
            tier_names,
            own: row(&unit.code).filter(|r| r.outcome != "not_assessed"),
            summary,
            children,
            communes,
            criteria,
            rollup_names: BTreeMap::new(),
            plan: plan.map(|p| p.progress(agg)),
            excluded: agg
                .excluded
                .iter()
                .filter(|e| in_scope(&e.unit))
                .cloned()
                .collect(),
            derived_problems: agg
                .derived_problems
                .iter()
                .filter(|e| in_scope(&e.unit))
                .cloned()
                .collect(),
        })
    }

    /// Sets the names of roll-ups (builder style), from the roll-up definitions.
    #[must_use]
    pub fn with_rollup_names(mut self, rollups: &[crate::aggregate::RollUp]) -> Self {
        for r in rollups {
            self.rollup_names
                .insert(r.indicator.to_string(), (r.name.clone(), r.unit.clone()));
        }
        self
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        crate::load::to_json(self)
    }

    fn tier_name(&self, level: Level, tier: &TierId, lang: Lang) -> String {
        self.tier_names
            .iter()
            .find(|n| n.level == level && &n.tier == tier)
            .map_or_else(|| tier.to_string(), |n| n.name.get(lang).to_owned())
    }
}

/// Sort key of an official number such as `"10"` or `"17.2"`: numerically by parts.
fn numeric_id(id: &CriterionId) -> Vec<(u64, String)> {
    id.as_str()
        .split('.')
        .map(|p| (p.parse::<u64>().unwrap_or(u64::MAX), p.to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------------

/// Formats a number for display in a language: rounded half away from zero to `dp`
/// decimals (kept even when zero: `dp = 1` gives `17,0`), thousands grouped. Vietnamese:
/// `3.146`, `79,9`; English: `3,146`, `79.9`.
///
/// # Example
///
/// ```
/// use ntm_rules::{report::format_number, Lang};
/// use rust_decimal::Decimal;
///
/// let share = Decimal::from(147 * 100) / Decimal::from(184);
/// assert_eq!(format_number(share, 1, Lang::Vi), "79,9");
/// assert_eq!(format_number(Decimal::from(1234567), 0, Lang::Vi), "1.234.567");
/// assert_eq!(format_number(Decimal::new(12345, 1), 1, Lang::En), "1,234.5");
/// ```
pub fn format_number(value: Decimal, dp: u32, lang: Lang) -> String {
    let mut v =
        value.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    v.rescale(dp);
    let text = v.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (text, None),
    };
    let (group, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    let digits: Vec<char> = int.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(*c);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(&f);
    }
    out
}

/// A percentage for display: [`format_number`] to one decimal, then `%`.
pub fn format_percent(value: Decimal, lang: Lang) -> String {
    format!("{}%", format_number(value, 1, lang))
}

fn fmt_share(s: &Share, lang: Lang) -> String {
    match s.percent {
        Some(p) => format!(
            "{}/{} ({})",
            format_number(s.count.into(), 0, lang),
            format_number(s.total.into(), 0, lang),
            format_percent(p, lang)
        ),
        None => format!("{}/{}", s.count, s.total),
    }
}

fn fmt_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Lang::En => d.to_string(),
    }
}

/// Picks the Vietnamese or English text.
fn tr(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

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
                    "   - {} {} {}: {}",
                    tr(l, "Xã dưới", "Communes under"),
                    s.below_floor,
                    tr(l, "tiêu chí", "criteria"),
                    s.below
                );
            }
            let _ = writeln!(
                o,
                "   - {}: {}; {}: {}",
                tr(l, "Chưa xác định được", "Cannot decide"),
                c.undecided,
                tr(
                    l,
                    "loại khỏi tổng hợp do dữ liệu lỗi",
                    "excluded for bad data"
                ),
                c.excluded
            );
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
                tr(l, "Kết quả theo đơn vị trực thuộc", "By unit below"),
            );
            for c in &self.children {
                let tier = c.tier.as_ref().map_or_else(
                    || outcome_text(&c.outcome, l).to_owned(),
                    |t| {
                        format!(
                            "{} ({})",
                            self.tier_name(Level::District, t, l),
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
                tr(
                    l,
                    "Số xã đạt từng tiêu chí",
                    "Communes meeting each criterion",
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
                    (None, _) => format!(
                        "{} ({} {}, {} {})",
                        tr(l, "không tính được", "not computed"),
                        r.missing_value.len(),
                        tr(l, "đơn vị thiếu số liệu", "units without a value"),
                        r.missing_weight.len(),
                        tr(l, "đơn vị thiếu trọng số", "units without weight")
                    ),
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
                    "   - {}: {}{} ({}, {} {})",
                    name,
                    value,
                    unit.map(|u| if u == "%" { u } else { format!(" {u}") })
                        .unwrap_or_default(),
                    how,
                    r.units,
                    tr(l, "đơn vị", "units")
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
                    Status::Met => tr(l, "ĐẠT", "MET").to_owned(),
                    Status::Short { by } => {
                        format!(
                            "{} {}{sep}{unit}",
                            tr(l, "CHƯA ĐẠT, thiếu", "SHORT by"),
                            num(*by)
                        )
                    }
                    Status::Unknown { reason } => {
                        format!("{} ({reason})", tr(l, "KHÔNG XÁC ĐỊNH", "UNKNOWN"))
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
                let _ = writeln!(o, "   - {e}");
            }
            for d in &self.derived_problems {
                let _ = writeln!(o, "   - {d}");
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

fn csv_table<F>(name: &'static str, header: &[&str], fill: F) -> Result<CsvTable, ReportError>
where
    F: FnOnce(&mut csv::Writer<Vec<u8>>) -> Result<(), csv::Error>,
{
    let err = |source| ReportError::Csv {
        table: name,
        source,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(err)?;
    fill(&mut w).map_err(err)?;
    let bytes = w
        .into_inner()
        .map_err(|e| err(csv::Error::from(e.into_error())))?;
    Ok(CsvTable {
        name,
        content: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn shown(v: Option<Decimal>) -> String {
    opt(v.map(round_display))
}

impl Report {
    /// The report as CSV tables: `summary.csv` (counts by level and tier, with both
    /// denominators), `children.csv`, `communes.csv`, `criteria.csv`,
    /// `distribution.csv`, `rollups.csv`, `plan.csv` and `excluded.csv`. Numbers are
    /// plain (`79.9`); exact values and displayed values are in separate columns.
    ///
    /// # Errors
    ///
    /// [`ReportError::Csv`] if a table cannot be written.
    pub fn to_csv(&self) -> Result<Vec<CsvTable>, ReportError> {
        let mut tables = Vec::new();
        tables.push(csv_table(
            "summary.csv",
            &[
                "level",
                "tier",
                "units",
                "assessed",
                "undecided",
                "excluded",
                "cumulative",
                "new",
                "revoked",
                "share_of_all_exact",
                "share_of_all_shown",
                "lowest_tier_units",
                "share_of_lowest_exact",
                "share_of_lowest_shown",
            ],
            |w| {
                for lc in &self.summary.levels {
                    for t in &lc.tiers {
                        w.write_record([
                            lc.level.label(Lang::En).to_owned(),
                            t.tier.to_string(),
                            lc.units.to_string(),
                            lc.assessed.to_string(),
                            lc.undecided.to_string(),
                            lc.excluded.to_string(),
                            t.cumulative.to_string(),
                            t.new.to_string(),
                            t.revoked.to_string(),
                            opt(t.share_of_all.percent),
                            shown(t.share_of_all.percent),
                            t.share_of_lowest.total.to_string(),
                            opt(t.share_of_lowest.percent),
                            shown(t.share_of_lowest.percent),
                        ])?;
                    }
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "children.csv",
            &[
                "unit",
                "name",
                "kind",
                "outcome",
                "tier",
                "communes_assessed",
                "communes_standard",
                "communes_advanced",
                "communes_model",
                "average_criteria_exact",
                "average_criteria_shown",
                "villages_top_tier",
            ],
            |w| {
                for c in &self.children {
                    let tier_n = |i: usize| {
                        c.communes
                            .as_ref()
                            .and_then(|cc| cc.tiers.get(i))
                            .map(|t| t.cumulative.to_string())
                            .unwrap_or_default()
                    };
                    w.write_record([
                        c.unit.to_string(),
                        c.name.get(Lang::Vi).to_owned(),
                        c.kind
                            .map(|k| k.label(Lang::En).to_owned())
                            .unwrap_or_default(),
                        c.outcome.clone(),
                        opt(c.tier.as_ref()),
                        opt(c.communes.as_ref().map(|x| x.assessed)),
                        tier_n(0),
                        tier_n(1),
                        tier_n(2),
                        opt(c.average.and_then(|a| a.value)),
                        shown(c.average.and_then(|a| a.value)),
                        opt(c
                            .villages
                            .as_ref()
                            .and_then(|v| v.tiers.last())
                            .map(|t| t.cumulative)),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "communes.csv",
            &[
                "unit",
                "name",
                "parent",
                "outcome",
                "tier",
                "newly",
                "criteria_met",
                "criteria_total",
            ],
            |w| {
                for c in &self.communes {
                    w.write_record([
                        c.unit.to_string(),
                        c.name.get(Lang::Vi).to_owned(),
                        opt(c.parent.as_ref()),
                        c.outcome.clone(),
                        opt(c.tier.as_ref()),
                        c.newly
                            .iter()
                            .map(|t| t.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                        opt(c.criteria_met),
                        opt(c.criteria_total),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "criteria.csv",
            &[
                "criterion",
                "name_vi",
                "name_en",
                "communes_met",
                "communes_evaluated",
                "share_exact",
                "share_shown",
            ],
            |w| {
                for c in &self.criteria {
                    w.write_record([
                        c.criterion.to_string(),
                        c.name.vi.clone(),
                        c.name.en.clone(),
                        c.share.count.to_string(),
                        c.share.total.to_string(),
                        opt(c.share.percent),
                        shown(c.share.percent),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "distribution.csv",
            &["min_criteria", "max_criteria", "communes"],
            |w| {
                for b in self.summary.criteria.iter().flat_map(|c| c.bands.iter()) {
                    w.write_record([b.min.to_string(), b.max.to_string(), b.units.to_string()])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "rollups.csv",
            &[
                "indicator",
                "name",
                "method",
                "units",
                "value_exact",
                "value_shown",
                "missing_value",
                "missing_weight",
            ],
            |w| {
                for r in &self.summary.rollups {
                    let name = self
                        .rollup_names
                        .get(r.indicator.as_str())
                        .map(|(n, _)| n.vi.clone())
                        .unwrap_or_default();
                    let method = match &r.method {
                        RollUpMethod::Sum => "sum".to_owned(),
                        RollUpMethod::Rate { weight } => format!("rate:{weight}"),
                        RollUpMethod::Minimum => "min".to_owned(),
                        RollUpMethod::Maximum => "max".to_owned(),
                    };
                    w.write_record([
                        r.indicator.to_string(),
                        name,
                        method,
                        r.units.to_string(),
                        opt(r.value),
                        shown(r.value),
                        r.missing_value.len().to_string(),
                        r.missing_weight.len().to_string(),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "plan.csv",
            &[
                "target",
                "label_vi",
                "label_en",
                "requirement",
                "target_value",
                "actual_exact",
                "compared",
                "status",
                "short_by",
                "change",
            ],
            |w| {
                for t in self.plan.iter().flat_map(|p| p.targets.iter()) {
                    let (status, by) = match &t.status {
                        Status::Met => ("met", String::new()),
                        Status::Short { by } => ("short", by.to_string()),
                        Status::Unknown { reason } => ("unknown", reason.clone()),
                    };
                    w.write_record([
                        t.target.id.clone(),
                        t.target.label.vi.clone(),
                        t.target.label.en.clone(),
                        t.target.requirement.symbol().to_owned(),
                        t.target.value.to_string(),
                        opt(t.actual),
                        opt(t.compared),
                        status.to_owned(),
                        by,
                        opt(t.change),
                    ])?;
                }
                Ok(())
            },
        )?);
        tables.push(csv_table(
            "excluded.csv",
            &["unit", "level", "reason", "detail"],
            |w| {
                for e in &self.excluded {
                    w.write_record([
                        e.unit.to_string(),
                        e.level.label(Lang::En).to_owned(),
                        e.reason.name().to_owned(),
                        e.reason.to_string(),
                    ])?;
                }
                for d in &self.derived_problems {
                    w.write_record([
                        d.unit.to_string(),
                        String::new(),
                        "derived_not_computed".to_owned(),
                        d.to_string(),
                    ])?;
                }
                Ok(())
            },
        )?);
        Ok(tables)
    }

    /// Writes [`Report::to_csv`]'s tables into a folder (created if needed).
    ///
    /// # Errors
    ///
    /// [`ReportError::Io`] if the folder or a file cannot be written,
    /// [`ReportError::Csv`] if a table cannot be built.
    pub fn write_csv(&self, dir: impl AsRef<Path>) -> Result<Vec<String>, ReportError> {
        let dir = dir.as_ref();
        let io = |path: &Path, source| ReportError::Io {
            path: path.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut written = Vec::new();
        for t in self.to_csv()? {
            let path = dir.join(t.name);
            std::fs::write(&path, t.content).map_err(|e| io(&path, e))?;
            written.push(path.display().to_string());
        }
        Ok(written)
    }
}
