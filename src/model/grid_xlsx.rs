//! A workbook (`.xlsx`) as [`Grid`]s, one per sheet, read with calamine. Numbers are
//! read exactly or refused ([`CellValue::Inexact`]), a formula's error value and every
//! cell of a merged range are marked so that the reader reports them by cell.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;

use crate::model::decimal::parse_exact;
use crate::model::grid::{CellValue, Grid, GridRow};

/// A file that is not a workbook this crate reads (not an `.xlsx` file, or a damaged one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an .xlsx workbook: {0}")]
pub struct WorkbookError(pub String);

/// The error values a formula can show, as text (a formula result written as text).
const ERROR_TEXTS: [&str; 8] = [
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!",
];

/// The significant digits a spreadsheet keeps of a number.
const SPREADSHEET_DIGITS: usize = 15;

/// A stored binary number as the decimal it was typed as: its shortest text that reads
/// back as the same binary value, which is what was typed when it has at most 15
/// significant digits (a spreadsheet keeps no more). More digits are refused.
fn number(f: f64) -> CellValue {
    if !f.is_finite() {
        return CellValue::Inexact(f.to_string());
    }
    // Rust's `Display` of a float is the shortest text that round-trips, never in
    // exponent form.
    let text = f.to_string();
    let significant = text
        .trim_start_matches('-')
        .replace('.', "")
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len();
    if significant > SPREADSHEET_DIGITS {
        return CellValue::Inexact(text);
    }
    match parse_exact(&text) {
        Ok(d) => CellValue::Number(d),
        Err(_) => CellValue::Inexact(text),
    }
}

/// The binary number a spreadsheet cell stores for `d`, when reading that cell back
/// gives `d` again (at most 15 significant digits); `None` when it would not, so that a
/// writer can write the decimal as text instead and nothing is rounded.
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(ntm_rules::model::exact_f64(Decimal::new(785, 1)), Some(78.5));
/// assert_eq!(ntm_rules::model::exact_f64("0.1234567890123456789".parse().unwrap()), None);
/// ```
pub fn exact_f64(d: Decimal) -> Option<f64> {
    let f: f64 = d.to_string().parse().ok()?;
    (number(f) == CellValue::Number(d)).then_some(f)
}

fn cell(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Empty,
        Data::Int(i) => CellValue::Number(Decimal::from(*i)),
        Data::Float(f) => number(*f),
        Data::String(s) if ERROR_TEXTS.contains(&s.trim()) => CellValue::Error(s.trim().to_owned()),
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::Error(e) => CellValue::Error(e.to_string()),
        Data::DateTime(d) => CellValue::Date(d.to_string()),
        Data::DateTimeIso(d) | Data::DurationIso(d) => CellValue::Date(d.clone()),
    }
}

fn range_name(start: (u32, u32), end: (u32, u32)) -> String {
    let name = |(r, c): (u32, u32)| {
        format!(
            "{}{}",
            crate::model::grid::column_name(usize::try_from(c).unwrap_or(usize::MAX)),
            r.saturating_add(1)
        )
    };
    format!("{}:{}", name(start), name(end))
}

/// Reads every sheet of a workbook, in the workbook's order. A sheet's grid has every
/// row from 1 to its last used one (blank rows included, so that a reader can report
/// an empty row in the middle) and every column from A.
///
/// # Errors
///
/// A [`WorkbookError`] when the bytes are not an `.xlsx` workbook or a sheet cannot be
/// read.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Grid>, WorkbookError> {
    let fail = |e: calamine::XlsxError| WorkbookError(e.to_string());
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(fail)?;
    let mut grids = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(fail)?;
        let merged = match book.worksheet_merge_cells(&name) {
            Some(m) => m.map_err(fail)?,
            None => Vec::new(),
        };
        let (last_row, last_col) = range.end().unwrap_or((0, 0));
        let last_row = merged.iter().map(|m| m.end.0).fold(last_row, u32::max);
        let last_col = merged.iter().map(|m| m.end.1).fold(last_col, u32::max);
        let mut rows = Vec::new();
        if range.start().is_some() || !merged.is_empty() {
            for r in 0..=last_row {
                let cells = (0..=last_col)
                    .map(|c| {
                        match merged.iter().find(|m| {
                            (m.start.0..=m.end.0).contains(&r) && (m.start.1..=m.end.1).contains(&c)
                        }) {
                            Some(m) => CellValue::Merged(range_name(m.start, m.end)),
                            None => range.get_value((r, c)).map_or(CellValue::Empty, cell),
                        }
                    })
                    .collect();
                rows.push(GridRow::new(r.saturating_add(1), cells));
            }
        }
        grids.push(Grid::new(Some(name), rows));
    }
    Ok(grids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_numbers_read_as_typed_or_refused() {
        assert_eq!(number(78.5), CellValue::Number(Decimal::new(785, 1)));
        assert_eq!(number(0.1), CellValue::Number(Decimal::new(1, 1)));
        assert_eq!(number(80.0), CellValue::Number(Decimal::from(80)));
        assert!(matches!(
            number(0.123_456_789_012_345_67),
            CellValue::Inexact(_)
        ));
        assert!(matches!(number(f64::NAN), CellValue::Inexact(_)));
    }
}
