//! The planning answers as CSV tables (issue 13): `gaps.csv`, `roadmap.csv`,
//! `candidates.csv` (and `criteria_candidates.csv` for the "+N criteria" selection).
//!
//! One row per fact, numbers plain and exact (`3.8`, never `3,8`), codes rather than
//! labels (`not_met`, `missing_data`), so that a spreadsheet can sort and sum them. The
//! cost columns are the ranking's measures: `unpriced` (criteria the cost model gives no
//! price for), `money` (the user's cost), `failing` (indicators to meet) and `relative`
//! (the sum of relative shortfalls).

use crate::model::Value;
use crate::report::build::{CsvTable, ReportError};
use crate::report::csv::csv_table;
use crate::tree::{Cost, CriteriaSelection, IndicatorGap, Roadmap, Selection, Shortfall, UnitGaps};
use serde::Serialize;
use std::collections::BTreeMap;

/// A snake_case code of a serialised enum (`missing_data`), empty if it is not one.
fn code<T: Serialize>(t: &T) -> String {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn changes(c: &BTreeMap<crate::model::IndicatorId, Value>) -> String {
    c.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn cost_cells(c: &Cost) -> [String; 4] {
    [
        c.unpriced.to_string(),
        c.money.to_string(),
        c.failing.to_string(),
        c.relative.to_string(),
    ]
}

/// `kind, actual, requirement, threshold, target, shortfall, reason` of one gap.
fn gap_cells(g: &IndicatorGap) -> [String; 7] {
    match &g.shortfall {
        Shortfall::Number {
            actual,
            threshold,
            requirement,
            target,
            amount,
        } => [
            "number".into(),
            actual.to_string(),
            requirement.symbol().into(),
            threshold.to_string(),
            target.to_string(),
            amount.to_string(),
            String::new(),
        ],
        Shortfall::Grade {
            actual,
            target,
            steps,
        } => [
            "grade".into(),
            actual.clone(),
            String::new(),
            target.clone(),
            target.clone(),
            steps.to_string(),
            String::new(),
        ],
        Shortfall::NotMet { target } => [
            "not_met".into(),
            String::new(),
            String::new(),
            target.to_string(),
            target.to_string(),
            String::new(),
            String::new(),
        ],
        Shortfall::Undetermined { reason } => [
            "undetermined".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            code(reason),
        ],
    }
}

const GAP_COLUMNS: [&str; 7] = [
    "kind",
    "actual",
    "requirement",
    "threshold",
    "target",
    "shortfall",
    "undetermined_reason",
];

/// `gaps.csv`: one row per indicator short of its threshold or undetermined, for each
/// tier on the way to the target (`criterion` empty: a precondition; `alternative`:
/// one of the indicators that can stand in for another).
///
/// # Errors
///
/// [`ReportError::Csv`] if the table cannot be written.
pub fn gaps_csv(g: &UnitGaps) -> Result<CsvTable, ReportError> {
    let mut header = vec![
        "unit",
        "target",
        "year",
        "tier",
        "set",
        "criterion",
        "criterion_outcome",
        "indicator",
        "alternative",
    ];
    header.extend(GAP_COLUMNS);
    csv_table("gaps.csv", &header, |w| {
        for t in &g.tiers {
            let mut row = |criterion: String, outcome: String, i: &IndicatorGap, alt: bool| {
                let mut r = vec![
                    g.unit.to_string(),
                    g.target.to_string(),
                    g.year.to_string(),
                    t.tier.to_string(),
                    t.set.to_string(),
                    criterion,
                    outcome,
                    i.indicator.to_string(),
                    alt.to_string(),
                ];
                r.extend(gap_cells(i));
                w.write_record(&r)
            };
            for c in &t.criteria {
                for i in &c.indicators {
                    row(c.criterion.to_string(), code(&c.outcome), i, false)?;
                }
                for i in &c.alternatives {
                    row(c.criterion.to_string(), code(&c.outcome), i, true)?;
                }
            }
            for i in &t.preconditions {
                row(String::new(), String::new(), i, false)?;
            }
        }
        Ok(())
    })
}

/// `roadmap.csv`: one row per criterion to complete, in the year planned, with the
/// values that complete it; a year's preconditions have an empty `criterion`.
/// `reached` lists the tiers reached that year; `reached_in` is the year the target is
/// reached (empty: not by the target year, see the roadmap's blockers).
///
/// # Errors
///
/// [`ReportError::Csv`] if the table cannot be written.
pub fn roadmap_csv(r: &Roadmap) -> Result<CsvTable, ReportError> {
    let header = [
        "unit",
        "target",
        "target_year",
        "reached_in",
        "ranking",
        "year",
        "criterion",
        "unpriced",
        "money",
        "failing",
        "relative",
        "changes",
        "reached",
    ];
    let reached_in = r.reached_in.map(|y| y.to_string()).unwrap_or_default();
    csv_table("roadmap.csv", &header, |w| {
        for y in &r.years {
            let reached = y
                .reached
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            let lead = [
                r.unit.to_string(),
                r.target.to_string(),
                r.target_year.to_string(),
                reached_in.clone(),
                code(&r.ranking),
                y.year.to_string(),
            ];
            for s in &y.steps {
                let mut row: Vec<String> = lead.to_vec();
                row.push(s.criterion.to_string());
                row.extend(cost_cells(&s.cost));
                row.push(changes(&s.changes));
                row.push(reached.clone());
                w.write_record(&row)?;
            }
            if !y.preconditions.is_empty() || y.steps.is_empty() {
                let mut row: Vec<String> = lead.to_vec();
                row.push(String::new());
                row.extend(["", "", "", ""].map(String::from));
                row.push(changes(&y.preconditions));
                row.push(reached.clone());
                w.write_record(&row)?;
            }
        }
        Ok(())
    })
}

/// `candidates.csv`: for each selection (a tier and how many more units), the units
/// chosen (`chosen` true, in rank order) then the next closest, with each one's cost.
///
/// # Errors
///
/// [`ReportError::Csv`] if the table cannot be written.
pub fn candidates_csv(selections: &[Selection]) -> Result<CsvTable, ReportError> {
    let header = [
        "tier",
        "wanted",
        "short_by",
        "ranking",
        "rank",
        "unit",
        "chosen",
        "criteria_to_complete",
        "unpriced",
        "money",
        "failing",
        "relative",
    ];
    csv_table("candidates.csv", &header, |w| {
        for s in selections {
            let all = s
                .chosen
                .iter()
                .map(|c| (c, true))
                .chain(s.others.iter().map(|c| (c, false)));
            for (n, (c, chosen)) in all.enumerate() {
                let mut row = vec![
                    s.tier.to_string(),
                    s.wanted.to_string(),
                    s.short_by.to_string(),
                    code(&s.ranking),
                    (n + 1).to_string(),
                    c.unit.to_string(),
                    chosen.to_string(),
                    c.criteria.to_string(),
                ];
                row.extend(cost_cells(&c.cost));
                w.write_record(&row)?;
            }
        }
        Ok(())
    })
}

/// `criteria_candidates.csv`: the criteria chosen to raise the average, one row each.
///
/// # Errors
///
/// [`ReportError::Csv`] if the table cannot be written.
pub fn criteria_candidates_csv(s: &CriteriaSelection) -> Result<CsvTable, ReportError> {
    let header = [
        "wanted",
        "short_by",
        "ranking",
        "rank",
        "unit",
        "criterion",
        "unpriced",
        "money",
        "failing",
        "relative",
    ];
    csv_table("criteria_candidates.csv", &header, |w| {
        for (n, c) in s.chosen.iter().enumerate() {
            let mut row = vec![
                s.wanted.to_string(),
                s.short_by.to_string(),
                code(&s.ranking),
                (n + 1).to_string(),
                c.unit.to_string(),
                c.criterion.to_string(),
            ];
            row.extend(cost_cells(&c.cost));
            w.write_record(&row)?;
        }
        Ok(())
    })
}
