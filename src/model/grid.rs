//! Tables read from spreadsheets: a CSV text or a workbook sheet as rows of cells, each
//! cell with its place (the Excel cell name, `Xã!F12`). Read by `read_csv` (feature
//! `csv`) and `read_workbook` (feature `xlsx`); the threshold sheets and the data-entry
//! workbooks read their values from a [`Grid`].

use rust_decimal::Decimal;
use std::fmt;

/// The value of one cell, as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CellValue {
    /// Nothing in the cell.
    Empty,
    /// Text (a CSV field is always text).
    Text(String),
    /// A number cell of a workbook, exactly as stored.
    Number(Decimal),
    /// A number cell that a decimal cannot hold as typed: more significant digits than
    /// a spreadsheet keeps (15), so the stored binary value may differ from what was
    /// typed. Refused, never rounded; the text is the stored value.
    Inexact(String),
    /// A true/false cell of a workbook.
    Bool(bool),
    /// A formula whose value is an error (`#DIV/0!`, `#N/A`, ...).
    Error(String),
    /// A date or time cell, with the value as stored.
    Date(String),
    /// Part of a merged range (the range, `B3:C3`): a merged cell has no value of its own.
    Merged(String),
}

impl CellValue {
    /// Whether the cell holds nothing (empty, or text of blanks only).
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: text trimmed, a number as its exact decimal, a flag as
    /// `true`/`false`; `None` for an error, an inexact number, a date or a merged cell.
    pub fn text(&self) -> Option<String> {
        match self {
            CellValue::Empty => Some(String::new()),
            CellValue::Text(t) => Some(t.trim().to_owned()),
            CellValue::Number(d) => Some(d.to_string()),
            CellValue::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Why a cell cannot be read as a value, for the cells [`CellValue::text`] refuses.
    pub fn problem(&self) -> Option<String> {
        match self {
            CellValue::Inexact(t) => Some(format!(
                "the number {t} has more significant digits than a spreadsheet keeps (15): \
                 enter it as text to keep it exact"
            )),
            CellValue::Error(e) => Some(format!("the formula's value is an error ({e})")),
            CellValue::Date(d) => Some(format!("a date or time ({d}) where a value is expected")),
            CellValue::Merged(r) => Some(format!(
                "the cell is part of the merged range {r}: unmerge it and give each cell its value"
            )),
            _ => None,
        }
    }
}

/// One row of a [`Grid`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GridRow {
    /// The row's number (1-based: the spreadsheet's row, or the CSV line it starts on).
    pub number: u32,
    /// The cells, from column A.
    pub cells: Vec<CellValue>,
}

impl GridRow {
    /// A row.
    pub fn new(number: u32, cells: Vec<CellValue>) -> GridRow {
        GridRow { number, cells }
    }

    /// The cell in a column (0 is A), empty past the row's end.
    pub fn cell(&self, column: usize) -> &CellValue {
        self.cells.get(column).unwrap_or(&CellValue::Empty)
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(CellValue::is_blank)
    }
}

/// A table of cells: one workbook sheet or one CSV text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Grid {
    /// The sheet's name (for a CSV text, the name given to it, if any).
    pub sheet: Option<String>,
    /// The rows, in order (a workbook sheet has every row from 1 to its last used one).
    pub rows: Vec<GridRow>,
}

impl Grid {
    /// A grid.
    pub fn new(sheet: Option<String>, rows: Vec<GridRow>) -> Grid {
        Grid { sheet, rows }
    }

    /// The place of a cell of this grid.
    pub fn place(&self, row: u32, column: usize) -> CellPlace {
        CellPlace {
            sheet: self.sheet.clone(),
            row,
            column,
        }
    }
}

/// The place of a cell: its sheet, row and column, shown as the Excel cell name
/// (`Xã!F12`; `'Ngưỡng 2022'!A1` when the sheet name needs quotes; `F12` without a sheet).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub struct CellPlace {
    /// The sheet.
    pub sheet: Option<String>,
    /// The row (1-based).
    pub row: u32,
    /// The column (0 is A).
    pub column: usize,
}

/// The Excel name of a column: 0 is `A`, 25 `Z`, 26 `AA`.
///
/// ```
/// assert_eq!(ntm_rules::model::column_name(0), "A");
/// assert_eq!(ntm_rules::model::column_name(27), "AB");
/// ```
pub fn column_name(column: usize) -> String {
    let mut n = column + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A sheet name as a reference writes it: quoted (`'Ngưỡng 2022'`) unless it is letters,
/// digits and `_` only.
pub fn sheet_reference(sheet: &str) -> String {
    if !sheet.is_empty() && sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_owned()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

impl fmt::Display for CellPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(sheet) = &self.sheet {
            write!(f, "{}!", sheet_reference(sheet))?;
        }
        write!(f, "{}{}", column_name(self.column), self.row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_places_are_excel_cell_names() {
        let place = |sheet: Option<&str>, row, column| CellPlace {
            sheet: sheet.map(str::to_owned),
            row,
            column,
        };
        assert_eq!(place(Some("Xã"), 12, 5).to_string(), "Xã!F12");
        assert_eq!(
            place(Some("Ngưỡng 2022"), 1, 0).to_string(),
            "'Ngưỡng 2022'!A1"
        );
        assert_eq!(place(None, 3, 26).to_string(), "AA3");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
