//! A workbook (`.xlsx`) as [`Grid`]s, one per sheet, read with calamine. Numbers are
//! read exactly or refused ([`CellValue::Inexact`]), a formula's error value and every
//! cell of a merged range are marked so that the reader reports them by cell.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Reader, Xlsx, XlsxError};
use rust_decimal::Decimal;

use crate::model::decimal::parse_exact;
use crate::model::grid::{column_name, sheet_reference, CellValue, Grid, GridRow};
use crate::model::limits::{Exceeded, Limit, Limits};

/// A file that is not a workbook this crate reads (not an `.xlsx` file, or a damaged
/// one), or a workbook past a limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct WorkbookError {
    /// What is wrong (`not an .xlsx workbook: …`, or the limit and the cell past it).
    pub message: String,
    /// The limit the workbook went past, when that is the problem.
    pub exceeded: Option<Exceeded>,
}

impl WorkbookError {
    fn not_a_workbook(e: impl std::fmt::Display) -> WorkbookError {
        WorkbookError {
            message: format!("not an .xlsx workbook: {e}"),
            exceeded: None,
        }
    }

    fn limit(e: Exceeded, found: impl std::fmt::Display) -> WorkbookError {
        WorkbookError {
            message: e.message(found),
            exceeded: Some(e),
        }
    }
}

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

/// Reads every sheet of a workbook, in the workbook's order, within the default
/// [`Limits`]. A sheet's grid has every row from 1 to its last used one (blank rows
/// included, so that a reader can report an empty row in the middle) and every column
/// from A.
///
/// # Errors
///
/// A [`WorkbookError`] when the bytes are not an `.xlsx` workbook, a sheet cannot be
/// read, or a limit is exceeded.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Grid>, WorkbookError> {
    read_workbook_with_limits(bytes, &Limits::default())
}

/// [`read_workbook`] within `limits`: the file's bytes (`max_bytes`) and its size once
/// decompressed (`max_unzipped_bytes`, counted by decompressing, not taken from the
/// archive's headers) before anything is read; then each sheet's cells as they are
/// read, before any grid is made: the row and column of each (`max_rows`,
/// `max_columns`), the text of each (`max_string_bytes`), and the sheet's grid of rows
/// × columns (`max_cells`). Each error names the limit and the cell (`Xã!F12`).
///
/// # Errors
///
/// A [`WorkbookError`] as [`read_workbook`].
pub fn read_workbook_with_limits(
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Grid>, WorkbookError> {
    limits
        .check(Limit::MaxBytes, bytes.len())
        .map_err(|e| WorkbookError::limit(e, format_args!("the file is {} bytes", bytes.len())))?;
    check_unzipped(bytes, limits)?;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(WorkbookError::not_a_workbook)?;
    let mut grids = Vec::new();
    for name in book.sheet_names() {
        let merged = match book.worksheet_merge_cells(&name) {
            Some(m) => m.map_err(WorkbookError::not_a_workbook)?,
            None => Vec::new(),
        };
        let cells = sheet_cells(&mut book, &name, limits)?;
        let place = |pos: (u32, u32)| cell_name(&name, pos);
        // The grid's extent, each merged range within the limits too.
        let mut last = (0u32, 0u32);
        let mut merged_cells = 0usize;
        for m in &merged {
            within(limits, m.end, place(m.end))?;
            let area = (m.end.0.saturating_sub(m.start.0) as usize + 1)
                .saturating_mul(m.end.1.saturating_sub(m.start.1) as usize + 1);
            merged_cells = merged_cells.saturating_add(area);
            last = (last.0.max(m.end.0), last.1.max(m.end.1));
        }
        for (r, c) in cells.keys() {
            last = (last.0.max(*r), last.1.max(*c));
        }
        let area = (last.0 as usize + 1).saturating_mul(last.1 as usize + 1);
        limits
            .check(Limit::MaxCells, area.max(merged_cells))
            .map_err(|e| {
                let found = format_args!(
                    "sheet `{name}` spans {} cells (to {})",
                    area.max(merged_cells),
                    place(last)
                );
                WorkbookError::limit(e, found)
            })?;
        let mut rows = Vec::new();
        if !cells.is_empty() || !merged.is_empty() {
            let mut grid: Vec<Vec<CellValue>> =
                vec![vec![CellValue::Empty; last.1 as usize + 1]; last.0 as usize + 1];
            for ((r, c), value) in cells {
                if let Some(slot) = grid
                    .get_mut(r as usize)
                    .and_then(|row| row.get_mut(c as usize))
                {
                    *slot = value;
                }
            }
            // A merged cell has no value of its own, whatever the file holds in it.
            for m in &merged {
                let range = range_name(m.start, m.end);
                for row in grid
                    .get_mut(m.start.0 as usize..=m.end.0 as usize)
                    .unwrap_or_default()
                {
                    for slot in row
                        .get_mut(m.start.1 as usize..=m.end.1 as usize)
                        .unwrap_or_default()
                    {
                        *slot = CellValue::Merged(range.clone());
                    }
                }
            }
            for (r, cells) in (1u32..).zip(grid) {
                rows.push(GridRow::new(r, cells));
            }
        }
        grids.push(Grid::new(Some(name), rows));
    }
    Ok(grids)
}

/// The name of the cell at `pos` (0-based row and column) of a sheet: `Xã!F12`.
fn cell_name(sheet: &str, pos: (u32, u32)) -> String {
    format!(
        "{}!{}{}",
        sheet_reference(sheet),
        column_name(pos.1 as usize),
        u64::from(pos.0) + 1
    )
}

/// `Err` when the cell at `pos` (0-based row and column) is past the rows or columns.
fn within(limits: &Limits, pos: (u32, u32), place: String) -> Result<(), WorkbookError> {
    let at = |e: Exceeded| WorkbookError::limit(e, format_args!("cell {place}"));
    limits
        .check(Limit::MaxRows, pos.0 as usize + 1)
        .map_err(at)?;
    limits
        .check(Limit::MaxColumns, pos.1 as usize + 1)
        .map_err(at)
}

/// The used cells of one sheet by position, each checked as it is read.
fn sheet_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<HashMap<(u32, u32), CellValue>, WorkbookError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or another part that is not a worksheet: no cells.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(HashMap::new()),
        Err(e) => return Err(WorkbookError::not_a_workbook(e)),
    };
    let max_string = limits.get(Limit::MaxStringBytes);
    let max_cells = limits.get(Limit::MaxCells);
    let mut cells = HashMap::new();
    while let Some(c) = reader.next_cell().map_err(WorkbookError::not_a_workbook)? {
        if matches!(c.get_value(), DataRef::Empty) {
            continue;
        }
        let pos = c.get_position();
        let place = || cell_name(name, pos);
        within(limits, pos, place())?;
        let data = Data::from(c.get_value().clone());
        if let Data::String(s) = &data {
            if s.len() > max_string {
                let e = Exceeded {
                    name: Limit::MaxStringBytes,
                    value: max_string,
                };
                let found = format_args!("cell {} holds {} bytes", place(), s.len());
                return Err(WorkbookError::limit(e, found));
            }
        }
        cells.insert(pos, cell(&data));
        if cells.len() > max_cells {
            let e = Exceeded {
                name: Limit::MaxCells,
                value: max_cells,
            };
            return Err(WorkbookError::limit(
                e,
                format_args!("sheet `{name}` holds at least {} cells", cells.len()),
            ));
        }
    }
    Ok(cells)
}

/// Decompresses every part of the archive (into nothing) and counts the bytes, past
/// the headers' word: refused at the first byte past `max_unzipped_bytes`, and before
/// any decompression when the headers already say more.
fn check_unzipped(bytes: &[u8], limits: &Limits) -> Result<(), WorkbookError> {
    let max = limits.get(Limit::MaxUnzippedBytes) as u64;
    let exceeded = Exceeded {
        name: Limit::MaxUnzippedBytes,
        value: limits.get(Limit::MaxUnzippedBytes),
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(WorkbookError::not_a_workbook)?;
    let declared = (0..archive.len())
        .filter_map(|i| archive.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, u64::saturating_add);
    if declared > max {
        let found = format_args!("the workbook says it decompresses to {declared} bytes");
        return Err(WorkbookError::limit(exceeded, found));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let file = archive.by_index(i).map_err(WorkbookError::not_a_workbook)?;
        let part = file.name().to_owned();
        let allowed = max.saturating_sub(total).saturating_add(1);
        let n = std::io::copy(&mut file.take(allowed), &mut std::io::sink())
            .map_err(|e| WorkbookError::not_a_workbook(format_args!("{part}: {e}")))?;
        total = total.saturating_add(n);
        if total > max {
            let found =
                format_args!("the workbook decompresses to more than {max} bytes (at {part})");
            return Err(WorkbookError::limit(exceeded, found));
        }
    }
    Ok(())
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
