//! Structure-aware edits of spreadsheets: a workbook or CSV sheet the crate wrote (a
//! threshold sheet, a data-entry template) read as grids, cells edited as a person
//! would (a value typed, a row deleted or copied, a number with too many digits, a
//! formula's error), and written back as CSV text or an `.xlsx` workbook.

use crate::edit::{DecimalText, DOMAIN_WORDS};
use arbitrary::Arbitrary;
use ntm_rules::model::{CellValue, Grid};
use rust_decimal::prelude::ToPrimitive;

/// One sheet: its name and its rows of cells.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name (none for CSV).
    pub name: Option<String>,
    /// The rows.
    pub rows: Vec<Vec<CellValue>>,
}

/// Sheets from grids.
pub fn sheets(grids: &[Grid]) -> Vec<Sheet> {
    grids
        .iter()
        .map(|g| Sheet {
            name: g.sheet.clone(),
            rows: g.rows.iter().map(|r| r.cells.clone()).collect(),
        })
        .collect()
}

/// Edits of the cells of a workbook.
#[derive(Debug, Arbitrary)]
pub struct CellEdit {
    /// The sheet (modulo their number).
    pub sheet: u8,
    /// The row (modulo their number).
    pub row: u16,
    /// The column (modulo the row's length + 1).
    pub column: u8,
    /// What to do.
    pub op: CellOp,
}

/// What an edit does.
#[derive(Debug, Arbitrary)]
pub enum CellOp {
    /// Empty the cell.
    Clear,
    /// A word of the sheet or of the domain.
    Word(u16),
    /// Any text.
    Text(String),
    /// A number typed as a number.
    Number(DecimalText),
    /// A number typed as text (with `,` as decimal separator when asked).
    NumberText(DecimalText, bool),
    /// A floating-point number (what a spreadsheet keeps).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A formula's error value (CSV: its text).
    Error,
    /// Delete the row.
    DeleteRow,
    /// Copy the row after itself.
    DuplicateRow,
    /// Copy another row over this one.
    CopyRow(u16),
    /// Copy the cell of another row.
    CopyCell(u16),
}

fn words(sheets: &[Sheet]) -> Vec<String> {
    let mut out: Vec<String> = DOMAIN_WORDS.iter().map(|w| (*w).to_owned()).collect();
    for s in sheets {
        for r in &s.rows {
            for c in r {
                if let CellValue::Text(t) = c {
                    if t.len() <= 64 && !out.contains(t) {
                        out.push(t.clone());
                    }
                }
            }
        }
    }
    out
}

/// Applies at most 24 edits.
pub fn apply(sheets: &mut [Sheet], edits: &[CellEdit]) {
    let words = words(sheets);
    let count = sheets.len();
    if count == 0 {
        return;
    }
    for e in edits.iter().take(24) {
        let sheet = &mut sheets[usize::from(e.sheet) % count];
        if sheet.rows.is_empty() {
            sheet.rows.push(Vec::new());
        }
        let n = sheet.rows.len();
        let r = usize::from(e.row) % n;
        let other = |k: u16| usize::from(k) % n;
        match &e.op {
            CellOp::DeleteRow => {
                sheet.rows.remove(r);
                continue;
            }
            CellOp::DuplicateRow => {
                let copy = sheet.rows[r].clone();
                sheet.rows.insert(r + 1, copy);
                continue;
            }
            CellOp::CopyRow(k) => {
                sheet.rows[r] = sheet.rows[other(*k)].clone();
                continue;
            }
            _ => {}
        }
        let c = usize::from(e.column) % (sheet.rows[r].len() + 1);
        let value = match &e.op {
            CellOp::Clear => CellValue::Empty,
            CellOp::Word(w) => CellValue::Text(words[usize::from(*w) % words.len()].clone()),
            CellOp::Text(t) => CellValue::Text(t.clone()),
            CellOp::Number(d) => match d.text().parse() {
                Ok(x) => CellValue::Number(x),
                Err(_) => CellValue::Text(d.text()),
            },
            CellOp::NumberText(d, comma) => {
                let t = d.text();
                CellValue::Text(if *comma { t.replace('.', ",") } else { t })
            }
            CellOp::Float(f) => CellValue::Inexact(f.to_string()),
            CellOp::Bool(b) => CellValue::Bool(*b),
            CellOp::Error => CellValue::Error("#DIV/0!".to_owned()),
            CellOp::CopyCell(k) => sheet.rows[other(*k)]
                .get(c)
                .cloned()
                .unwrap_or(CellValue::Empty),
            CellOp::DeleteRow | CellOp::DuplicateRow | CellOp::CopyRow(_) => continue,
        };
        let row = &mut sheet.rows[r];
        if c >= row.len() {
            row.resize(c + 1, CellValue::Empty);
        }
        row[c] = value;
    }
}

fn cell_text(c: &CellValue) -> String {
    match c {
        CellValue::Empty => String::new(),
        CellValue::Number(d) => d.to_string(),
        CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        CellValue::Text(t)
        | CellValue::Inexact(t)
        | CellValue::Error(t)
        | CellValue::Date(t)
        | CellValue::Merged(t) => t.clone(),
        _ => String::new(),
    }
}

/// How a CSV sheet is written.
#[derive(Debug, Arbitrary)]
pub struct CsvStyle {
    /// `,`, `;` or tab (modulo 3).
    pub delimiter: u8,
    /// Lines end in `\r\n`.
    pub crlf: bool,
    /// A UTF-8 byte order mark first.
    pub bom: bool,
}

/// One sheet as CSV text.
pub fn to_csv(sheet: &Sheet, style: &CsvStyle) -> String {
    let delimiter = [',', ';', '\t'][usize::from(style.delimiter % 3)];
    let mut out = String::new();
    if style.bom {
        out.push('\u{feff}');
    }
    for row in &sheet.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                let t = cell_text(c);
                if t.contains(delimiter) || t.contains('"') || t.contains('\n') || t.contains('\r')
                {
                    format!("\"{}\"", t.replace('"', "\"\""))
                } else {
                    t
                }
            })
            .collect();
        out.push_str(&cells.join(&delimiter.to_string()));
        out.push_str(if style.crlf { "\r\n" } else { "\n" });
    }
    out
}

/// Sheets as an `.xlsx` workbook (numbers as numbers, errors as formulas that give
/// them, inexact numbers as floating point).
pub fn to_xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (n, s) in sheets.iter().enumerate() {
        let ws = book.add_worksheet();
        let name = s.name.clone().unwrap_or_else(|| format!("Sheet{n}"));
        if ws.set_name(&name).is_err() {
            let _ = ws.set_name(format!("S{n}"));
        }
        for (r, row) in s.rows.iter().enumerate().take(2000) {
            let Ok(r) = u32::try_from(r) else { break };
            for (c, cell) in row.iter().enumerate().take(200) {
                let Ok(c) = u16::try_from(c) else { break };
                let written = match cell {
                    CellValue::Empty => continue,
                    CellValue::Number(d) => ws.write_number(r, c, d.to_f64().unwrap_or(0.0)),
                    CellValue::Inexact(t) => ws.write_number(r, c, t.parse().unwrap_or(0.1)),
                    CellValue::Bool(b) => ws.write_boolean(r, c, *b),
                    CellValue::Error(_) => ws.write_formula(
                        r,
                        c,
                        rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
                    ),
                    other => ws.write_string(r, c, cell_text(other)),
                };
                let _ = written.map(|_| ());
            }
        }
    }
    book.save_to_buffer().unwrap_or_default()
}
