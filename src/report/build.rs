//! The report model and [`Report::build`]: the rows, tables and plan progress of one scope
//! unit, gathered from a tree and its aggregation.

use crate::engine::{UnusedValue, Verdict};
use crate::model::{
    Confidence, CriterionId, Date, Label, Lang, Level, SetId, TierId, UnitCode, UnitKind, UnitName,
};
use crate::tree::{
    Aggregation, Average, DerivedProblem, Excluded, Hierarchy, IncompleteProfile, LevelCounts,
    LevelSets, Merger, Plan, PlanProgress, RollUp, Share, Summary, UnitStatus,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// A report that cannot be built or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The scope unit is not in the tree, or has no children.
    #[error("unit `{0}` is not in the tree or has no units below it")]
    UnknownScope(UnitCode),
    /// No scope was named and none can be chosen: the tree has no units.
    #[error("no unit to report on: the tree is empty")]
    NoScope,
    /// A CSV table cannot be written.
    #[cfg(feature = "csv")]
    #[error("cannot write CSV table `{table}`")]
    Csv {
        /// The table.
        table: &'static str,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// A chart of the HTML report cannot be drawn.
    #[cfg(feature = "html")]
    #[error("cannot draw the chart `{chart}` of the HTML report: {message}")]
    Chart {
        /// The chart.
        chart: &'static str,
        /// What the plotting library said.
        message: String,
    },
    /// A workbook cannot be written.
    #[cfg(feature = "xlsx")]
    #[error("cannot write the report workbook: {0}")]
    Workbook(String),
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct ChildRow {
    /// The unit.
    pub unit: UnitCode,
    /// Its name.
    pub name: UnitName,
    /// Its level (a district, or a commune in the two-tier shape): its tier names are
    /// those of this level.
    pub level: Level,
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
#[non_exhaustive]
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
    /// The fields in which the unit is a model ("an ninh, trật tự"), from its decision.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outstanding_fields: Vec<String>,
    /// For a merged unit: which case of the merger rule applied (inherited tier or
    /// re-review) and what its parts held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merger: Option<Merger>,
}

/// Communes meeting one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// [`ReportOptions::with_rollups`]; the indicator id is shown otherwise).
    pub rollup_names: BTreeMap<String, (Label, Option<Label>)>,
    /// Plan progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanProgress>,
    /// Units of the scope left out, with the reason.
    pub excluded: Vec<Excluded>,
    /// Derived values of the scope left missing, with the reason.
    pub derived_problems: Vec<DerivedProblem>,
    /// Values of units of the scope that no set of their level reads.
    pub unused_values: Vec<UnusedValue>,
    /// Units of the scope whose profile lacks a field their thresholds are keyed on.
    pub incomplete_profiles: Vec<IncompleteProfile>,
}

/// A CSV table: a file name and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvTable {
    /// File name (`"communes.csv"`).
    pub name: &'static str,
    /// The CSV text, with a header row.
    pub content: String,
}

fn outcome_of(status: &UnitStatus) -> &'static str {
    match status {
        UnitStatus::NotAssessed { .. } => "not_assessed",
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
    /// Builds the report of `scope` from a tree, its aggregation and the sets used (for
    /// names and confidence); the options add a plan, a notice and roll-up names.
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
        options: &ReportOptions<'_>,
    ) -> Result<Report, ReportError> {
        let (plan, notice) = (options.plan, options.notice);
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
                outstanding_fields: decision
                    .map(|d| d.outstanding_fields.clone())
                    .unwrap_or_default(),
                merger: r.merger.clone(),
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
                    level: c.level,
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
            rollup_names: options
                .rollups
                .iter()
                .map(|r| (r.indicator.to_string(), (r.name.clone(), r.unit.clone())))
                .collect(),
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
            unused_values: agg
                .unused_values
                .iter()
                .filter(|v| in_scope(&v.unit))
                .filter(|v| !plan.is_some_and(|p| p.reads_value(&v.unit, &v.indicator)))
                .cloned()
                .collect(),
            incomplete_profiles: agg
                .incomplete_profiles
                .iter()
                .filter(|p| in_scope(&p.unit))
                .cloned()
                .collect(),
        })
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        crate::model::to_json(self)
    }

    pub(super) fn tier_name(&self, level: Level, tier: &TierId, lang: Lang) -> String {
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

/// Options of [`Report::build`]. The default reports no plan, no notice, and roll-ups
/// under their indicator ids.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct ReportOptions<'a> {
    plan: Option<&'a Plan>,
    notice: Option<&'a Label>,
    rollups: &'a [RollUp],
}

impl<'a> ReportOptions<'a> {
    /// Reports progress against this plan.
    #[must_use]
    pub fn with_plan(mut self, plan: &'a Plan) -> Self {
        self.plan = Some(plan);
        self
    }

    /// Shows this notice first (for example that the data are synthetic).
    #[must_use]
    pub fn with_notice(mut self, notice: &'a Label) -> Self {
        self.notice = Some(notice);
        self
    }

    /// Names the roll-ups (and their units) as these definitions do.
    #[must_use]
    pub fn with_rollups(mut self, rollups: &'a [RollUp]) -> Self {
        self.rollups = rollups;
        self
    }
}
