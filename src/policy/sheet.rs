//! Threshold sheets: a set's threshold table as CSV, to be filled in by hand and read
//! back as an [`Overlay`].
//!
//! [`export_sheet`] writes one line per indicator × threshold row with the columns
//! [`COLUMNS`]; the `value` column is empty where the threshold is unknown and says
//! `delegated` where the province sets it. Someone with the official text (or a
//! provincial decision) fills the `value` column, and `source_document`,
//! `source_part` and `confidence` where the value comes from another document.
//! [`import_sheet`] turns every changed line into an overlay entry; unchanged lines
//! give nothing, so export → import → [`apply_overlays`](crate::overlay::apply_overlays)
//! with no edits gives back the same set.
//!
//! Values: numbers as plain decimals (`80`, `16.5`), yes/no as `yes`/`no`, grades by
//! name, grade lists joined with `|`. Lists of regions, groups and statuses are joined
//! with `|`; a status the unit must *not* have is written with a leading `!`.

use crate::model::Location;
use crate::policy::overlay::{Overlay, ThresholdEntry};
use std::fmt;

use serde::Serialize;

use crate::model::{
    parse_exact, CommuneGroup, Confidence, CriteriaSet, Indicator, ProfileMatch, Region,
    Requirement, Source, StatusId, Threshold, ThresholdRow, ValueKind, YearRange,
};

/// The statuses column: required statuses, then absent ones prefixed with `!`.
fn statuses_text(m: &ProfileMatch) -> String {
    m.statuses
        .iter()
        .map(ToString::to_string)
        .chain(m.absent_statuses.iter().map(|s| format!("!{s}")))
        .collect::<Vec<_>>()
        .join("|")
}

/// The sheet's columns, in order.
pub const COLUMNS: [&str; 16] = [
    "set_id",
    "criterion",
    "indicator",
    "name_vi",
    "name_en",
    "unit",
    "requirement",
    "regions",
    "commune_groups",
    "statuses",
    "year_from",
    "year_to",
    "value",
    "source_document",
    "source_part",
    "confidence",
];

/// One problem of a sheet, at a line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}, column `{column}`: {message}")]
#[non_exhaustive]
pub struct SheetProblem {
    /// Line in the CSV text (1-based; line 1 is the header).
    pub line: u64,
    /// Column name.
    pub column: &'static str,
    /// What is wrong.
    pub message: String,
}

impl SheetProblem {
    /// Where: the line and the column's name in the CSV text.
    pub fn location(&self) -> Location {
        Location::new().with_line(self.line, self.column)
    }
}

/// A sheet that cannot be written or read. Lists every problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SheetError {
    problems: Vec<SheetProblem>,
}

impl SheetError {
    /// Every problem, in line order.
    pub fn problems(&self) -> &[SheetProblem] {
        &self.problems
    }

    fn one(line: u64, column: &'static str, message: impl Into<String>) -> Self {
        Self {
            problems: vec![SheetProblem {
                line,
                column,
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot read threshold sheet: ")?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn from_snake<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_owned())).ok()
}

fn join<T: Serialize>(items: &[T]) -> String {
    items.iter().map(snake).collect::<Vec<_>>().join("|")
}

fn unit_text(kind: &ValueKind) -> String {
    match kind {
        ValueKind::Decimal { unit } => unit.symbol(crate::model::Lang::En).to_owned(),
        ValueKind::Count => "count".to_owned(),
        ValueKind::YesNo => "yes/no".to_owned(),
        ValueKind::Grade { grades } => format!("grade: {}", grades.join("|")),
    }
}

fn value_text(t: &Threshold) -> String {
    match t {
        Threshold::Number(d) => d.to_string(),
        Threshold::Flag(true) => "yes".to_owned(),
        Threshold::Flag(false) => "no".to_owned(),
        Threshold::Grade(g) => g.clone(),
        Threshold::Grades(gs) => gs.join("|"),
        Threshold::Unknown => String::new(),
        Threshold::Delegated => "delegated".to_owned(),
    }
}

/// Every indicator of the set with its criterion id (empty for preconditions).
fn indicators(set: &CriteriaSet) -> impl Iterator<Item = (&str, &Indicator)> {
    set.criteria
        .iter()
        .flat_map(|c| c.indicators.iter().map(move |i| (c.id.as_str(), i)))
        .chain(set.preconditions.iter().map(|i| ("", i)))
}

/// Writes a set's threshold table as CSV, one line per indicator × threshold row.
///
/// # Errors
///
/// A [`SheetError`] only if the CSV writer fails (it writes to memory).
///
/// # Example
///
/// ```
/// let set = ntm_rules::policy::catalog::load("vn-2021-2025-province-completed").map_err(|e| e.to_string())?;
/// let csv = ntm_rules::policy::export_sheet(&set)?;
/// assert!(csv.lines().any(|l| l.contains(",7.1,") && l.contains(",4,321/QĐ-TTg,")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn export_sheet(set: &CriteriaSet) -> Result<String, SheetError> {
    let fail = |e: csv::Error| SheetError::one(0, "set_id", format!("cannot write CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(fail)?;
    for (criterion, indicator) in indicators(set) {
        for row in &indicator.thresholds {
            let years = row.years.unwrap_or(set.scheme.years);
            let record = [
                set.id.to_string(),
                criterion.to_owned(),
                indicator.id.to_string(),
                indicator.name.vi.clone(),
                indicator.name.en.clone(),
                unit_text(&indicator.kind),
                snake(&indicator.requirement),
                join(&row.when.regions),
                join(&row.when.commune_groups),
                statuses_text(&row.when),
                years.from.to_string(),
                years.to.to_string(),
                value_text(&row.threshold),
                row.source.document.clone(),
                row.source.part.clone().unwrap_or_default(),
                snake(&row.confidence),
            ];
            w.write_record(&record).map_err(fail)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| SheetError::one(0, "set_id", format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| SheetError::one(0, "set_id", e.to_string()))
}

fn parse_list<T: serde::de::DeserializeOwned>(
    text: &str,
    line: u64,
    column: &'static str,
    problems: &mut Vec<SheetProblem>,
) -> Vec<T> {
    text.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|s| {
            let v = from_snake(s);
            if v.is_none() {
                problems.push(SheetProblem {
                    line,
                    column,
                    message: format!("unknown value `{s}`"),
                });
            }
            v
        })
        .collect()
}

fn parse_value(indicator: &Indicator, text: &str) -> Result<Threshold, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Threshold::Unknown);
    }
    if t.eq_ignore_ascii_case("delegated") {
        return Ok(Threshold::Delegated);
    }
    match &indicator.kind {
        ValueKind::Decimal { .. } | ValueKind::Count => parse_exact(t)
            .map(Threshold::Number)
            .map_err(|e| format!("invalid number `{t}`: {e}")),
        ValueKind::YesNo => match t.to_lowercase().as_str() {
            "yes" | "true" | "đạt" => Ok(Threshold::Flag(true)),
            "no" | "false" => Ok(Threshold::Flag(false)),
            _ => Err(format!("expected `yes` or `no`, found `{t}`")),
        },
        ValueKind::Grade { .. } if indicator.requirement == Requirement::OneOf => Ok(
            Threshold::Grades(t.split('|').map(|g| g.trim().to_owned()).collect()),
        ),
        ValueKind::Grade { .. } => Ok(Threshold::Grade(t.to_owned())),
    }
}

/// Reads a filled sheet of `set` back as entries of `overlay` (whose id, authority,
/// source and confidence are the defaults of the entries).
///
/// A line whose value, source document, source part and confidence are unchanged gives
/// no entry. A changed line gives a threshold entry with the line's profile conditions
/// and years; its source is the line's document and part when they differ from the
/// set's row (else the overlay's source), and its confidence is the line's when it
/// differs from the row's (else the overlay's).
///
/// # Errors
///
/// A [`SheetError`] listing every problem with its line and column: a missing column,
/// a line for another set, an unknown indicator, region, group, status or confidence, a
/// bad year or value.
pub fn import_sheet(
    text: &str,
    set: &CriteriaSet,
    overlay: Overlay,
) -> Result<Overlay, SheetError> {
    let mut overlay = overlay;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = r
        .headers()
        .map_err(|e| SheetError::one(1, "set_id", format!("cannot read the header: {e}")))?
        .clone();
    let mut problems = Vec::new();
    let mut index = [0usize; 16];
    for (k, name) in COLUMNS.iter().enumerate() {
        match headers.iter().position(|h| h.trim() == *name) {
            Some(p) => {
                if let Some(slot) = index.get_mut(k) {
                    *slot = p;
                }
            }
            None => problems.push(SheetProblem {
                line: 1,
                column: name,
                message: "missing column".to_owned(),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(SheetError { problems });
    }
    for record in r.records() {
        let record = match record {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(SheetProblem {
                    line,
                    column: "set_id",
                    message: format!("cannot read the line: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get = |col: usize| {
            index
                .get(col)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
        };
        let before = problems.len();
        if get(0) != set.id.as_str() {
            problems.push(SheetProblem {
                line,
                column: "set_id",
                message: format!("the line is for set `{}`, not `{}`", get(0), set.id),
            });
            continue;
        }
        let Some(indicator) = set.all_indicators().find(|i| i.id.as_str() == get(2)) else {
            problems.push(SheetProblem {
                line,
                column: "indicator",
                message: format!("set `{}` has no indicator `{}`", set.id, get(2)),
            });
            continue;
        };
        let when = ProfileMatch {
            regions: parse_list::<Region>(get(7), line, "regions", &mut problems),
            commune_groups: parse_list::<CommuneGroup>(
                get(8),
                line,
                "commune_groups",
                &mut problems,
            ),
            statuses: get(9)
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty() && !s.starts_with('!'))
                .map(StatusId::new)
                .collect(),
            absent_statuses: get(9)
                .split('|')
                .map(str::trim)
                .filter_map(|s| s.strip_prefix('!'))
                .map(StatusId::new)
                .collect(),
        };
        let mut year = |col: usize, name: &'static str| match get(col).parse::<u16>() {
            Ok(y) => Some(y),
            Err(_) => {
                problems.push(SheetProblem {
                    line,
                    column: name,
                    message: format!("invalid year `{}`", get(col)),
                });
                None
            }
        };
        let (from, to) = (year(10, "year_from"), year(11, "year_to"));
        let value = match parse_value(indicator, get(12)) {
            Ok(v) => Some(v),
            Err(message) => {
                problems.push(SheetProblem {
                    line,
                    column: "value",
                    message,
                });
                None
            }
        };
        let confidence = match get(15) {
            "" => None,
            c => match from_snake::<Confidence>(c) {
                Some(c) => Some(c),
                None => {
                    problems.push(SheetProblem {
                        line,
                        column: "confidence",
                        message: format!("unknown confidence `{c}`"),
                    });
                    None
                }
            },
        };
        let (Some(from), Some(to), Some(value)) = (from, to, value) else {
            continue;
        };
        if problems.len() > before {
            continue;
        }
        let years = YearRange::new(from, to);
        let existing = find_row(set, indicator, &when, years);
        let document = get(13);
        let part = get(14);
        let (same_value, same_source, same_conf) = match existing {
            Some(row) => (
                row.threshold == value,
                row.source.document == document && row.source.part.as_deref().unwrap_or("") == part,
                Some(row.confidence) == confidence || confidence.is_none(),
            ),
            None => (false, false, false),
        };
        if same_value && same_source && same_conf {
            continue;
        }
        let source = (!same_source && !document.is_empty()).then(|| Source {
            document: document.to_owned(),
            part: (!part.is_empty()).then(|| part.to_owned()),
            note: Some(format!("threshold sheet, line {line}")),
            ..Source::default()
        });
        overlay.thresholds.push(ThresholdEntry {
            set: set.id.clone(),
            indicator: indicator.id.clone(),
            when,
            years: (years != set.scheme.years).then_some(years),
            threshold: value,
            source,
            confidence: if same_conf { None } else { confidence },
            replacement: None,
            set_by: None,
        });
    }
    if problems.is_empty() {
        Ok(overlay)
    } else {
        Err(SheetError { problems })
    }
}

fn find_row<'a>(
    set: &CriteriaSet,
    indicator: &'a Indicator,
    when: &ProfileMatch,
    years: YearRange,
) -> Option<&'a ThresholdRow> {
    let sorted = |m: &ProfileMatch| {
        let mut m = m.clone();
        m.regions.sort();
        m.commune_groups.sort();
        m.statuses.sort();
        m.absent_statuses.sort();
        m
    };
    let want = sorted(when);
    indicator
        .thresholds
        .iter()
        .find(|r| sorted(&r.when) == want && r.years.unwrap_or(set.scheme.years) == years)
}
