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

use crate::model::{read_csv_with_limits, Limits, Location};
use crate::policy::overlay::{Overlay, ThresholdEntry};
use std::fmt;

use serde::Serialize;

use crate::model::{
    parse_cell_number, parse_requirement, parse_yes_no, read_csv, with_bom, CommuneGroup,
    Confidence, CriteriaSet, Grid, Indicator, ProfileMatch, Region, Requirement, Source, StatusId,
    Threshold, ThresholdRow, ValueKind, YearRange,
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

/// The sheet's columns, in order (the English names; [`column_headers`] gives the
/// bilingual headers the export writes).
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

/// The Vietnamese name of each of [`COLUMNS`]. The export writes headers as
/// `Vietnamese (english)` (`Ngưỡng (value)`); the import accepts either name alone or
/// both.
pub const COLUMN_NAMES_VI: [&str; 16] = [
    "Mã bộ tiêu chí",
    "Tiêu chí",
    "Chỉ tiêu",
    "Tên tiếng Việt",
    "Tên tiếng Anh",
    "Đơn vị tính",
    "Yêu cầu",
    "Vùng",
    "Nhóm xã",
    "Diện đặc thù",
    "Từ năm",
    "Đến năm",
    "Ngưỡng",
    "Văn bản nguồn",
    "Phần văn bản",
    "Độ tin cậy",
];

/// The bilingual header of column `k` of [`COLUMNS`]: `Ngưỡng (value)`.
pub(super) fn column_header(k: usize) -> String {
    match (COLUMN_NAMES_VI.get(k), COLUMNS.get(k)) {
        (Some(vi), Some(en)) => format!("{vi} ({en})"),
        _ => String::new(),
    }
}

/// The bilingual headers the export writes, in the order of [`COLUMNS`].
pub fn column_headers() -> Vec<String> {
    (0..COLUMNS.len()).map(column_header).collect()
}

/// Whether a header cell names column `k`: its English or Vietnamese name, or both as
/// `Vietnamese (english)`, any case.
fn header_names(h: &str, k: usize) -> bool {
    let h = h.trim().to_lowercase();
    let (Some(en), Some(vi)) = (COLUMNS.get(k), COLUMN_NAMES_VI.get(k)) else {
        return false;
    };
    h == *en || h == vi.to_lowercase() || h == column_header(k).to_lowercase()
}

/// One problem of a sheet, at a line and column (and, in a workbook, a cell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SheetProblem {
    /// Line in the CSV text, or row of the workbook sheet (1-based; 1 is the header).
    pub line: u64,
    /// Column name.
    pub column: &'static str,
    /// In a workbook, the cell (`Ngưỡng!M12`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SheetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cell {
            Some(cell) => write!(f, "{cell} (column `{}`): {}", self.column, self.message),
            None => write!(
                f,
                "line {}, column `{}`: {}",
                self.line, self.column, self.message
            ),
        }
    }
}

impl std::error::Error for SheetProblem {}

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

    pub(super) fn one(line: u64, column: &'static str, message: impl Into<String>) -> Self {
        Self {
            problems: vec![SheetProblem {
                line,
                column,
                cell: None,
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

/// The sheet's lines of a set, one per indicator × threshold row, in the order of
/// [`COLUMNS`].
pub(super) fn sheet_rows(set: &CriteriaSet) -> Vec<[String; 16]> {
    let mut rows = Vec::new();
    for (criterion, indicator) in indicators(set) {
        for row in &indicator.thresholds {
            let years = row.years.unwrap_or(set.scheme.years);
            rows.push([
                set.id.to_string(),
                criterion.to_owned(),
                indicator.id.to_string(),
                indicator.name.vi.clone(),
                indicator.name.en.clone(),
                unit_text(&indicator.kind),
                indicator.requirement.symbol().to_owned(),
                join(&row.when.regions),
                join(&row.when.commune_groups),
                statuses_text(&row.when),
                years.from.to_string(),
                years.to.to_string(),
                value_text(&row.threshold),
                row.source.document.clone(),
                row.source.part.clone().unwrap_or_default(),
                snake(&row.confidence),
            ]);
        }
    }
    rows
}

/// Writes a set's threshold table as CSV for Excel, one line per indicator × threshold
/// row: a UTF-8 byte order mark (so that Excel shows Vietnamese as written), bilingual
/// headers ([`column_headers`]), `,` between fields and `.` decimals.
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
/// assert!(csv.starts_with("\u{feff}Mã bộ tiêu chí (set_id),"));
/// assert!(csv.lines().any(|l| l.contains(",7.1,") && l.contains(",4,321/QĐ-TTg,")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn export_sheet(set: &CriteriaSet) -> Result<String, SheetError> {
    let fail = |e: csv::Error| SheetError::one(0, "set_id", format!("cannot write CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(column_headers()).map_err(fail)?;
    for record in sheet_rows(set) {
        w.write_record(&record).map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| SheetError::one(0, "set_id", format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes)
        .map(|t| with_bom(&t))
        .map_err(|e| SheetError::one(0, "set_id", e.to_string()))
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
                    cell: None,
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
    if t.eq_ignore_ascii_case("delegated") || t.to_lowercase() == DELEGATED_VI {
        return Ok(Threshold::Delegated);
    }
    match &indicator.kind {
        ValueKind::Decimal { .. } | ValueKind::Count => parse_cell_number(t).map(Threshold::Number),
        ValueKind::YesNo => parse_yes_no(t).map(Threshold::Flag).ok_or_else(|| {
            format!("expected yes or no (`yes`/`no`, `có`/`không`, `đạt`/`không đạt`), found `{t}`")
        }),
        ValueKind::Grade { .. } if indicator.requirement == Requirement::OneOf => Ok(
            Threshold::Grades(t.split('|').map(|g| g.trim().to_owned()).collect()),
        ),
        ValueKind::Grade { .. } => Ok(Threshold::Grade(t.to_owned())),
    }
}

/// "Delegated to the province", in Vietnamese, as the import accepts it.
const DELEGATED_VI: &str = "tỉnh quy định";

/// Reads a filled sheet of `set` back as entries of `overlay` (whose id, authority,
/// source and confidence are the defaults of the entries).
///
/// The text is read as Excel writes it: a UTF-8 byte order mark is skipped, the
/// delimiter is detected (`,`, `;` or tab), lines end in `\n` or `\r\n` (problems name
/// the right line either way), headers are English, Vietnamese or both
/// ([`column_headers`]). Numbers take `.` or `,` as the decimal separator and are read
/// exactly ([`parse_cell_number`]: `1,234` is refused as ambiguous); yes/no is `yes`/`no`,
/// `có`/`không` or `đạt`/`không đạt`; the requirement may be written as its symbol or
/// words but must be the indicator's (a sheet does not change requirements).
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
/// bad year, requirement or value.
pub fn import_sheet(
    text: &str,
    set: &CriteriaSet,
    overlay: Overlay,
) -> Result<Overlay, SheetError> {
    import_sheet_with_limits(text, set, overlay, &Limits::default())
}

/// [`import_sheet`] within `limits`: the sheet is read as
/// [`read_csv_with_limits`](crate::model::read_csv_with_limits) reads it (the text's
/// bytes, rows, columns, cells and the bytes of a cell), and past a limit is one problem
/// naming the limit and the line.
///
/// # Errors
///
/// A [`SheetError`] as [`import_sheet`].
pub fn import_sheet_with_limits(
    text: &str,
    set: &CriteriaSet,
    overlay: Overlay,
    limits: &Limits,
) -> Result<Overlay, SheetError> {
    let grid = read_csv_with_limits(text, None, limits)
        .map_err(|e| SheetError::one(u64::from(e.line), "set_id", e.message))?;
    import_grid(&grid, set, overlay)
}

/// The set id of a sheet's first line, as [`import_sheet`] reads it (to choose the set
/// when none is named).
pub fn sheet_set_id(text: &str) -> Option<String> {
    let grid = read_csv(text, None).ok()?;
    grid_set_id(&grid)
}

pub(super) fn grid_set_id(grid: &Grid) -> Option<String> {
    let header = grid.rows.first()?;
    let column = (0..header.cells.len())
        .find(|&c| header.cell(c).text().is_some_and(|h| header_names(&h, 0)))?;
    grid.rows
        .iter()
        .skip(1)
        .find_map(|r| r.cell(column).text().filter(|t| !t.is_empty()))
}

/// Reads the rows of a sheet (CSV text or workbook) as [`import_sheet`] describes.
pub(super) fn import_grid(
    grid: &Grid,
    set: &CriteriaSet,
    overlay: Overlay,
) -> Result<Overlay, SheetError> {
    let mut overlay = overlay;
    let in_workbook = grid.sheet.is_some();
    let problem = |line: u32, k: usize, message: String| SheetProblem {
        line: u64::from(line),
        column: COLUMNS.get(k).copied().unwrap_or("set_id"),
        cell: None,
        message,
    };
    let Some(header) = grid.rows.first() else {
        return Err(SheetError::one(1, "set_id", "the sheet is empty"));
    };
    let mut problems = Vec::new();
    let mut index = [0usize; 16];
    for (k, slot) in index.iter_mut().enumerate() {
        let found = (0..header.cells.len())
            .find(|&c| header.cell(c).text().is_some_and(|h| header_names(&h, k)));
        match found {
            Some(p) => *slot = p,
            None => problems.push(problem(
                header.number,
                k,
                format!("missing column (header `{}`)", column_header(k)),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(SheetError { problems });
    }
    for row in grid.rows.iter().skip(1) {
        if row.is_blank() {
            continue;
        }
        let line = row.number;
        let before = problems.len();
        let mut fields: [String; 16] = Default::default();
        for (k, field) in fields.iter_mut().enumerate() {
            let column = index.get(k).copied().unwrap_or(0);
            let cell = row.cell(column);
            match cell.text() {
                Some(t) => *field = t,
                None => {
                    let mut p = problem(line, k, cell.problem().unwrap_or_default());
                    p.cell = in_workbook.then(|| grid.place(line, column).to_string());
                    problems.push(p);
                }
            }
        }
        if problems.len() == before {
            if let Some(entry) = read_line(set, line, &fields, &mut problems) {
                overlay.thresholds.push(entry);
            }
        }
        if in_workbook {
            for p in problems.iter_mut().skip(before) {
                if p.cell.is_none() {
                    let k = COLUMNS.iter().position(|c| *c == p.column).unwrap_or(0);
                    let column = index.get(k).copied().unwrap_or(0);
                    p.cell = Some(grid.place(line, column).to_string());
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(overlay)
    } else {
        Err(SheetError { problems })
    }
}

/// One line of a sheet: the overlay entry it gives, if it changes the set's row.
fn read_line(
    set: &CriteriaSet,
    line: u32,
    fields: &[String; 16],
    problems: &mut Vec<SheetProblem>,
) -> Option<ThresholdEntry> {
    let get = |k: usize| fields.get(k).map_or("", |f| f.as_str());
    let line_no = u64::from(line);
    let mut fail = |column: &'static str, message: String| {
        problems.push(SheetProblem {
            line: line_no,
            column,
            cell: None,
            message,
        });
    };
    if get(0) != set.id.as_str() {
        fail(
            "set_id",
            format!("the line is for set `{}`, not `{}`", get(0), set.id),
        );
        return None;
    }
    let Some(indicator) = set.all_indicators().find(|i| i.id.as_str() == get(2)) else {
        fail(
            "indicator",
            format!("set `{}` has no indicator `{}`", set.id, get(2)),
        );
        return None;
    };
    match parse_requirement(get(6)) {
        Some(r) if r == indicator.requirement => {}
        Some(_) | None if get(6).is_empty() => {}
        Some(r) => fail(
            "requirement",
            format!(
                "indicator {} is `{}`, not `{}`: a threshold sheet does not change requirements",
                indicator.id,
                indicator.requirement.symbol(),
                r.symbol()
            ),
        ),
        None => fail(
            "requirement",
            format!(
                "unknown requirement `{}` (write `≥`, `at_least` or `tối thiểu`, ...)",
                get(6)
            ),
        ),
    }
    let mut list_problems = Vec::new();
    let when = ProfileMatch {
        regions: parse_list::<Region>(get(7), line_no, "regions", &mut list_problems),
        commune_groups: parse_list::<CommuneGroup>(
            get(8),
            line_no,
            "commune_groups",
            &mut list_problems,
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
    let mut ok = list_problems.is_empty();
    problems.append(&mut list_problems);
    let mut fail = |column: &'static str, message: String| {
        ok = false;
        problems.push(SheetProblem {
            line: line_no,
            column,
            cell: None,
            message,
        });
    };
    let mut year = |k: usize, name: &'static str| match get(k).parse::<u16>() {
        Ok(y) => Some(y),
        Err(_) => {
            fail(name, format!("invalid year `{}`", get(k)));
            None
        }
    };
    let (from, to) = (year(10, "year_from"), year(11, "year_to"));
    let value = match parse_value(indicator, get(12)) {
        Ok(v) => Some(v),
        Err(message) => {
            fail("value", message);
            None
        }
    };
    let confidence = match get(15) {
        "" => None,
        c => match from_snake::<Confidence>(c) {
            Some(c) => Some(c),
            None => {
                fail("confidence", format!("unknown confidence `{c}`"));
                None
            }
        },
    };
    let (Some(from), Some(to), Some(value)) = (from, to, value) else {
        return None;
    };
    if !ok {
        return None;
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
        return None;
    }
    let source = (!same_source && !document.is_empty()).then(|| Source {
        document: document.to_owned(),
        part: (!part.is_empty()).then(|| part.to_owned()),
        note: Some(format!("threshold sheet, line {line}")),
        ..Source::default()
    });
    Some(ThresholdEntry {
        set: set.id.clone(),
        indicator: indicator.id.clone(),
        when,
        years: (years != set.scheme.years).then_some(years),
        threshold: value,
        source,
        confidence: if same_conf { None } else { confidence },
        replacement: None,
        set_by: None,
    })
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
