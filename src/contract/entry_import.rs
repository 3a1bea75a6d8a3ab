//! Reading a filled data-entry workbook (or one level sheet saved as CSV) back as the
//! unit inputs of a request: [`import_entry`], [`import_entry_csv`]. Every bad cell is
//! reported by its Excel cell name (`Xã!F12`), and the other rows are still read; a row
//! with a bad cell gives no input (its unit is then excluded for lack of input, never
//! evaluated with a value left out).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use crate::contract::entry_layout::{
    layout, level_sheet, ColumnKind, EntryError, Layout, LevelLayout, CODES_SHEET, HEADER_ROWS,
    HISTORY_SHEET, KEY_ROW,
};
use crate::contract::entry_template::NOT_APPLICABLE_WORDS;
use crate::contract::request::Request;
use crate::model::{
    parse_cell_number, parse_yes_no, read_csv_with_limits, read_workbook_with_limits, CellPlace,
    CellValue, CommuneGroup, EventKind, Grid, GridRow, History, IndicatorData, Level, Limits,
    RecognitionEvent, Region, StatusId, Unit, UnitCode, Value, ValueKind,
};
use crate::tree::{UnitInput, Weight};
use rust_decimal::Decimal;

/// One bad cell (or a missing sheet or column) of a data-entry workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EntryProblem {
    /// The cell (`Xã!F12`); for a missing sheet, `A1` of that sheet.
    pub place: CellPlace,
    /// The unit of the row, when known.
    pub unit: Option<UnitCode>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for EntryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.unit {
            Some(u) => write!(f, "{} (unit {u}): {}", self.place, self.message),
            None => write!(f, "{}: {}", self.place, self.message),
        }
    }
}

/// What a filled workbook gives: the inputs of the rows read, and every problem.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EntryImport {
    /// One input per unit row with a value and no bad cell, in sheet order.
    pub inputs: Vec<UnitInput>,
    /// Every problem, in sheet and row order.
    pub problems: Vec<EntryProblem>,
    /// Units with history rows but no input (no value in their level sheet, or a bad
    /// cell): their history is read but not used, and said so here, in code order.
    pub history_not_read: Vec<UnitCode>,
}

struct Reader<'a> {
    layout: &'a Layout,
    problems: Vec<EntryProblem>,
    history_not_read: Vec<UnitCode>,
}

impl Reader<'_> {
    fn problem(&mut self, grid: &Grid, row: u32, col: usize, unit: Option<&UnitCode>, m: String) {
        self.problems.push(EntryProblem {
            place: grid.place(row, col),
            unit: unit.cloned(),
            message: m,
        });
    }

    /// Reads one level sheet into `inputs` (by unit code).
    fn level(
        &mut self,
        grid: &Grid,
        level: &LevelLayout,
        inputs: &mut BTreeMap<UnitCode, UnitInput>,
    ) {
        let Some(keys) = grid.rows.iter().find(|r| r.number == KEY_ROW) else {
            self.problem(
                grid,
                KEY_ROW,
                0,
                None,
                "missing the row of column keys (row 1)".to_owned(),
            );
            return;
        };
        let mut at: HashMap<String, usize> = HashMap::new();
        for (c, cell) in keys.cells.iter().enumerate() {
            let Some(key) = cell.text().filter(|k| !k.is_empty()) else {
                continue;
            };
            if level.columns.iter().all(|col| col.key != key) {
                self.problem(
                    grid,
                    KEY_ROW,
                    c,
                    None,
                    format!(
                    "unknown column `{key}`: not a value of the {} sets; its cells are not read",
                    level_sheet(level.level)
                ),
                );
            } else if at.insert(key.clone(), c).is_some() {
                self.problem(
                    grid,
                    KEY_ROW,
                    c,
                    None,
                    format!("column `{key}` is given twice"),
                );
            }
        }
        let mut columns = Vec::new();
        for column in &level.columns {
            match at.get(&column.key) {
                Some(&c) => columns.push((c, column)),
                None => {
                    let c = keys.cells.len();
                    self.problem(
                        grid,
                        KEY_ROW,
                        c,
                        None,
                        format!(
                            "missing column `{}` ({}){}",
                            column.key,
                            column.name.vi,
                            if column.kind == ColumnKind::Code {
                                ": the sheet is not read"
                            } else {
                                ""
                            }
                        ),
                    );
                    if column.kind == ColumnKind::Code {
                        return;
                    }
                }
            }
        }
        let units: BTreeSet<&UnitCode> = level.units.iter().map(|u| &u.code).collect();
        let data: Vec<&GridRow> = grid
            .rows
            .iter()
            .filter(|r| r.number > HEADER_ROWS)
            .collect();
        let last = data.iter().rposition(|r| !r.is_blank());
        for (k, row) in data.iter().enumerate() {
            if row.is_blank() {
                if last.is_some_and(|l| k < l) {
                    self.problem(
                        grid,
                        row.number,
                        0,
                        None,
                        "empty row in the middle of the units (the rows below it are read too)"
                            .to_owned(),
                    );
                }
                continue;
            }
            self.row(grid, row, level, &columns, &units, inputs);
        }
    }

    fn row(
        &mut self,
        grid: &Grid,
        row: &GridRow,
        level: &LevelLayout,
        columns: &[(usize, &crate::contract::entry_layout::Column)],
        units: &BTreeSet<&UnitCode>,
        inputs: &mut BTreeMap<UnitCode, UnitInput>,
    ) {
        let before = self.problems.len();
        let code_col = columns
            .iter()
            .find(|(_, c)| c.kind == ColumnKind::Code)
            .map_or(0, |(i, _)| *i);
        let code = match row.cell(code_col).text() {
            Some(t) if !t.is_empty() => UnitCode::new(t),
            Some(_) => {
                self.problem(
                    grid,
                    row.number,
                    code_col,
                    None,
                    "the unit code is empty".to_owned(),
                );
                return;
            }
            None => {
                let m = row.cell(code_col).problem().unwrap_or_default();
                self.problem(grid, row.number, code_col, None, m);
                return;
            }
        };
        if !units.contains(&code) {
            let m = if self.layout.tree.contains(&code) {
                format!(
                    "unit `{code}` is not a {} of the scope `{}`",
                    level.level.label(crate::model::Lang::En),
                    self.layout.scope
                )
            } else {
                format!("unit `{code}` is not in the tree")
            };
            self.problem(grid, row.number, code_col, None, m);
            return;
        }
        if inputs.contains_key(&code) {
            self.problem(
                grid,
                row.number,
                code_col,
                Some(&code),
                format!("unit `{code}` has a row already"),
            );
            return;
        }
        let mut input = UnitInput::new(IndicatorData::new(code.clone(), self.layout.year));
        let mut any = false;
        for (c, column) in columns {
            let cell = row.cell(*c);
            if cell.is_blank() {
                continue;
            }
            match read_cell(cell, &column.kind, &mut input) {
                Ok(value) => any |= value,
                Err(m) => self.problem(grid, row.number, *c, Some(&code), m),
            }
        }
        if self.problems.len() == before && any {
            inputs.insert(code, input);
        }
    }

    fn history(&mut self, grid: &Grid, inputs: &mut BTreeMap<UnitCode, UnitInput>) {
        // Keys, Vietnamese and English names above the events.
        let first = 3;
        let mut events: BTreeMap<UnitCode, Vec<RecognitionEvent>> = BTreeMap::new();
        for row in grid
            .rows
            .iter()
            .filter(|r| r.number > first && !r.is_blank())
        {
            let text = |c: usize| row.cell(c).text();
            let before = self.problems.len();
            let field = |reader: &mut Self, c: usize| match text(c) {
                Some(t) => Some(t),
                None => {
                    let m = row.cell(c).problem().unwrap_or_default();
                    reader.problem(grid, row.number, c, None, m);
                    None
                }
            };
            let (Some(code), Some(tier), Some(year), Some(kind), Some(decision)) = (
                field(self, 0),
                field(self, 1),
                field(self, 2),
                field(self, 3),
                field(self, 4),
            ) else {
                continue;
            };
            let code = UnitCode::new(code);
            if !self.layout.tree.contains(&code) {
                self.problem(
                    grid,
                    row.number,
                    0,
                    None,
                    format!("unit `{code}` is not in the tree"),
                );
            }
            if tier.is_empty() {
                self.problem(
                    grid,
                    row.number,
                    1,
                    Some(&code),
                    "the tier is empty".to_owned(),
                );
            }
            let year = year.parse::<u16>().ok();
            if year.is_none() {
                self.problem(
                    grid,
                    row.number,
                    2,
                    Some(&code),
                    "expected a year (2019)".to_owned(),
                );
            }
            let kind = match kind.to_lowercase().as_str() {
                "recognised" | "công nhận" => Some(EventKind::Recognised),
                "revoked" | "thu hồi" => Some(EventKind::Revoked),
                _ => {
                    self.problem(grid, row.number, 3, Some(&code),
                        format!("expected `recognised` (công nhận) or `revoked` (thu hồi), found `{kind}`"));
                    None
                }
            };
            if let (Some(year), Some(kind), true) = (year, kind, self.problems.len() == before) {
                events.entry(code).or_default().push(RecognitionEvent {
                    tier: tier.as_str().into(),
                    year,
                    kind,
                    decision: (!decision.is_empty()).then_some(decision),
                });
            }
        }
        // A unit without values has no input (the run reports it excluded, for lack of
        // input): its history is not used, and that is said.
        for (code, list) in events {
            match inputs.get_mut(&code) {
                Some(input) => input.history = History { events: list },
                None => self.history_not_read.push(code),
            }
        }
    }
}

fn snake_value<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_owned())).ok()
}

fn number(cell: &CellValue) -> Result<Decimal, String> {
    match cell {
        CellValue::Number(d) => Ok(*d),
        CellValue::Text(t) => parse_cell_number(t),
        CellValue::Bool(_) => Err("expected a number, found yes/no".to_owned()),
        other => Err(other
            .problem()
            .unwrap_or_else(|| "expected a number".to_owned())),
    }
}

fn flag(cell: &CellValue) -> Result<bool, String> {
    match cell {
        CellValue::Bool(b) => Ok(*b),
        CellValue::Text(t) => parse_yes_no(t).ok_or_else(|| {
            format!(
                "expected yes or no (`có`/`không`, `đạt`/`không đạt`), found `{}`",
                t.trim()
            )
        }),
        CellValue::Number(d) => Err(format!(
            "expected yes or no (`có`/`không`), found the number {d}"
        )),
        other => Err(other
            .problem()
            .unwrap_or_else(|| "expected yes or no".to_owned())),
    }
}

/// Reads one non-blank cell into `input`; `Ok(true)` when it is a value or weight (a
/// unit with only a profile gives no input).
fn read_cell(cell: &CellValue, kind: &ColumnKind, input: &mut UnitInput) -> Result<bool, String> {
    let text = || {
        cell.text()
            .ok_or_else(|| cell.problem().unwrap_or_default())
    };
    match kind {
        ColumnKind::Code | ColumnKind::Name | ColumnKind::Parent => {
            text()?;
            Ok(false)
        }
        ColumnKind::Region => {
            let t = text()?;
            let region = snake_value::<Region>(&t).or_else(|| {
                Region::ALL.into_iter().find(|r| {
                    r.label(crate::model::Lang::Vi).eq_ignore_ascii_case(&t)
                        || r.label(crate::model::Lang::En).eq_ignore_ascii_case(&t)
                })
            });
            input.profile.region = Some(
                region
                    .ok_or_else(|| format!("unknown region `{t}` (codes: sheet {CODES_SHEET})"))?,
            );
            Ok(false)
        }
        ColumnKind::CommuneGroup => {
            let t = text()?;
            input.profile.commune_group = Some(
                snake_value::<CommuneGroup>(&t)
                    .ok_or_else(|| format!("unknown commune group `{t}`"))?,
            );
            Ok(false)
        }
        ColumnKind::Statuses => {
            let t = text()?;
            input.profile.statuses = t
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(StatusId::new)
                .collect();
            Ok(false)
        }
        ColumnKind::OutstandingFields => {
            let t = text()?;
            input.outstanding_fields = t
                .split('|')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            Ok(true)
        }
        ColumnKind::Weight(name) => {
            let w = Weight::new(number(cell)?).map_err(|e| e.to_string())?;
            input.weights.insert(name.clone(), w);
            Ok(true)
        }
        ColumnKind::Value {
            id,
            kind,
            allow_not_applicable,
        } => {
            let value = value(cell, kind.as_ref(), *allow_not_applicable)?;
            input.data.values.insert(id.clone(), value);
            Ok(true)
        }
    }
}

fn value(cell: &CellValue, kind: Option<&ValueKind>, allow_na: bool) -> Result<Value, String> {
    if let CellValue::Text(t) = cell {
        if NOT_APPLICABLE_WORDS.contains(&t.trim().to_lowercase().as_str()) {
            return if allow_na {
                Ok(Value::NotApplicable)
            } else {
                Err("the indicator does not allow `không áp dụng` (not applicable)".to_owned())
            };
        }
    }
    match kind {
        Some(ValueKind::Decimal { unit }) => {
            let d = number(cell)?;
            if *unit == Unit::Percent && (d < Decimal::ZERO || d > Decimal::ONE_HUNDRED) {
                return Err(format!("a percentage is between 0 and 100, found {d}"));
            }
            Ok(Value::Number(d))
        }
        Some(ValueKind::Count) => {
            let d = number(cell)?;
            if d < Decimal::ZERO || !d.fract().is_zero() {
                return Err(format!("a count is a whole number >= 0, found {d}"));
            }
            Ok(Value::Number(d))
        }
        Some(ValueKind::YesNo) => flag(cell).map(Value::Flag),
        Some(ValueKind::Grade { grades }) => {
            let t = cell
                .text()
                .ok_or_else(|| cell.problem().unwrap_or_default())?;
            grades
                .iter()
                .find(|g| g.to_lowercase() == t.to_lowercase())
                .map(|g| Value::Grade(g.clone()))
                .ok_or_else(|| format!("expected one of {}, found `{t}`", grades.join(", ")))
        }
        None => number(cell)
            .map(Value::Number)
            .or_else(|_| flag(cell).map(Value::Flag))
            .map_err(|_| "expected a number or yes/no".to_owned()),
    }
}

/// The scope and year the codes sheet names (`Giải thích!B1`, `B2`).
fn codes(grids: &[Grid]) -> (Option<String>, Option<String>) {
    let Some(g) = grids
        .iter()
        .find(|g| g.sheet.as_deref() == Some(CODES_SHEET))
    else {
        return (None, None);
    };
    let at = |n: u32| {
        g.rows
            .iter()
            .find(|r| r.number == n)
            .and_then(|r| r.cell(1).text())
    };
    (at(1).filter(|s| !s.is_empty()), at(2))
}

/// Reads a filled data-entry workbook of `request` (made by
/// [`entry_template`](crate::contract::entry_template)) as unit inputs: one per unit row
/// with a value, with its profile, outstanding fields, weights and the history of the
/// `Lịch sử` sheet. The scope is the one the workbook names (else `scope`, else the
/// tree's root).
///
/// Reported by cell, the rest still read: a missing level sheet or column, an unknown
/// column, a unit code not in the tree (or not in the scope, or given twice), a value of
/// the wrong kind (a number where yes/no is expected, a percentage over 100, a
/// fractional count, an unknown grade), a formula whose value is an error, a merged
/// cell, an empty row in the middle, a year that is not the request's.
///
/// # Errors
///
/// [`EntryError::NotAWorkbook`] when the bytes are not an `.xlsx` workbook (one error),
/// or the errors of the layout (an invalid tree, an unknown scope or set).
pub fn import_entry(
    bytes: &[u8],
    request: &Request,
    scope: Option<&str>,
) -> Result<EntryImport, EntryError> {
    import_entry_with_limits(bytes, request, scope, &Limits::default())
}

/// [`import_entry`] within `limits`: the workbook is read as
/// [`read_workbook_with_limits`] reads it (the file's bytes, its decompressed size, each
/// sheet's rows, columns, cells and the text of a cell); past a limit is
/// [`EntryError::NotAWorkbook`] naming the limit and the cell.
///
/// # Errors
///
/// As [`import_entry`].
pub fn import_entry_with_limits(
    bytes: &[u8],
    request: &Request,
    scope: Option<&str>,
    limits: &Limits,
) -> Result<EntryImport, EntryError> {
    let grids = read_workbook_with_limits(bytes, limits)
        .map_err(|e| EntryError::NotAWorkbook(e.to_string()))?;
    let (named_scope, year) = codes(&grids);
    let layout = layout(request, named_scope.as_deref().or(scope))?;
    let mut reader = Reader {
        layout: &layout,
        problems: Vec::new(),
        history_not_read: Vec::new(),
    };
    if let Some(year) = year.filter(|y| *y != request.year.to_string()) {
        let grid = Grid::new(Some(CODES_SHEET.to_owned()), Vec::new());
        reader.problem(
            &grid,
            2,
            1,
            None,
            format!(
                "the workbook is for year {year}, the request for {}",
                request.year
            ),
        );
    }
    let mut inputs = BTreeMap::new();
    for level in &layout.levels {
        let name = level_sheet(level.level);
        match grids.iter().find(|g| g.sheet.as_deref() == Some(name)) {
            Some(grid) => reader.level(grid, level, &mut inputs),
            None => {
                let grid = Grid::new(Some(name.to_owned()), Vec::new());
                reader.problem(
                    &grid,
                    1,
                    0,
                    None,
                    format!(
                        "missing sheet `{name}` (the {} data)",
                        level.level.label(crate::model::Lang::En)
                    ),
                );
            }
        }
    }
    match grids
        .iter()
        .find(|g| g.sheet.as_deref() == Some(HISTORY_SHEET))
    {
        Some(grid) => reader.history(grid, &mut inputs),
        None => {
            let grid = Grid::new(Some(HISTORY_SHEET.to_owned()), Vec::new());
            reader.problem(
                &grid,
                1,
                0,
                None,
                format!("missing sheet `{HISTORY_SHEET}` (the recognition history)"),
            );
        }
    }
    Ok(finish(&layout, inputs, reader))
}

/// Reads one level sheet of the data-entry layout saved as CSV (`,`, `;` or tab
/// between fields, a BOM or not; rows numbered by line, cells named as in the sheet
/// `Xã`): the inputs of its units, without history.
///
/// # Errors
///
/// [`EntryError::NotAWorkbook`] when the text is not CSV, or the layout's errors.
pub fn import_entry_csv(
    text: &str,
    level: Level,
    request: &Request,
    scope: Option<&str>,
) -> Result<EntryImport, EntryError> {
    import_entry_csv_with_limits(text, level, request, scope, &Limits::default())
}

/// [`import_entry_csv`] within `limits`: the text is read as
/// [`read_csv_with_limits`] reads it (its bytes, rows, columns, cells and the bytes of a
/// cell); past a limit is [`EntryError::NotAWorkbook`] naming the limit and the line.
///
/// # Errors
///
/// As [`import_entry_csv`].
pub fn import_entry_csv_with_limits(
    text: &str,
    level: Level,
    request: &Request,
    scope: Option<&str>,
    limits: &Limits,
) -> Result<EntryImport, EntryError> {
    let layout = layout(request, scope)?;
    let grid = read_csv_with_limits(text, Some(level_sheet(level)), limits)
        .map_err(|e| EntryError::NotAWorkbook(e.to_string()))?;
    let mut reader = Reader {
        layout: &layout,
        problems: Vec::new(),
        history_not_read: Vec::new(),
    };
    let mut inputs = BTreeMap::new();
    match layout.levels.iter().find(|l| l.level == level) {
        Some(l) => reader.level(&grid, l, &mut inputs),
        None => reader.problem(
            &grid,
            1,
            0,
            None,
            format!(
                "the request has no {} units with sets in the scope",
                level.label(crate::model::Lang::En)
            ),
        ),
    }
    Ok(finish(&layout, inputs, reader))
}

fn finish(
    layout: &Layout,
    mut inputs: BTreeMap<UnitCode, UnitInput>,
    reader: Reader<'_>,
) -> EntryImport {
    // Sheet order: levels as laid out, units in code order.
    let order: Vec<UnitCode> = layout
        .levels
        .iter()
        .flat_map(|l| l.units.iter().map(|u| u.code.clone()))
        .collect();
    let inputs = order.iter().filter_map(|c| inputs.remove(c)).collect();
    EntryImport {
        inputs,
        problems: reader.problems,
        history_not_read: reader.history_not_read,
    }
}
