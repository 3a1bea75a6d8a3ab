//! CSV text as a [`Grid`]: what Excel writes is read as it is. A UTF-8 byte order mark
//! is skipped, the delimiter is detected from the first line (`,`, `;` as Excel writes
//! in locales with a decimal comma, or a tab), and every row's number is the line of
//! the text it starts on, whatever the line ends (`\n` or `\r\n`).

use crate::model::grid::{column_name, CellValue, Grid, GridRow};
use crate::model::limits::{Exceeded, Limit, Limits};

/// The UTF-8 byte order mark, which Excel writes at the start of a UTF-8 CSV file and
/// needs to read one as UTF-8.
pub const UTF8_BOM: &str = "\u{feff}";

/// A CSV text that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
#[non_exhaustive]
pub struct CsvGridError {
    /// The line (1-based).
    pub line: u32,
    /// What is wrong.
    pub message: String,
    /// The limit the text went past, when that is the problem.
    pub exceeded: Option<Exceeded>,
}

impl CsvGridError {
    /// The text past `limit` at `line`: `found` said against the limit.
    fn limit(e: Exceeded, line: u32, found: impl std::fmt::Display) -> CsvGridError {
        CsvGridError {
            line,
            message: e.message(found),
            exceeded: Some(e),
        }
    }
}

/// The delimiter of a CSV text: of `,`, `;` and tab, the one found most often outside
/// quotes on the first non-blank line (`,` when none is).
///
/// ```
/// assert_eq!(ntm_rules::model::detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
/// assert_eq!(ntm_rules::model::detect_delimiter("a,b\n"), b',');
/// ```
pub fn detect_delimiter(text: &str) -> u8 {
    let first = text
        .trim_start_matches(UTF8_BOM)
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in &mut counts {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

/// Reads a CSV text as a grid named `sheet`: the BOM skipped, the delimiter detected
/// ([`detect_delimiter`]), every field as [`CellValue::Text`] (or empty), every row
/// numbered by the line it starts on.
///
/// # Errors
///
/// A [`CsvGridError`] with the line of a record that cannot be read (invalid quoting).
pub fn read_csv(text: &str, sheet: Option<&str>) -> Result<Grid, CsvGridError> {
    read_csv_with_limits(text, sheet, &Limits::default())
}

/// [`read_csv`] within `limits`: the text's bytes (`max_bytes`) before reading, and
/// while reading the rows (`max_rows`), the columns of a row (`max_columns`), all the
/// cells (`max_cells`) and the bytes of one cell (`max_string_bytes`), each error at the
/// line (and cell, `C12`) past the limit.
///
/// # Errors
///
/// A [`CsvGridError`] with the line of a record that cannot be read, or past a limit.
pub fn read_csv_with_limits(
    text: &str,
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Grid, CsvGridError> {
    limits
        .check(Limit::MaxBytes, text.len())
        .map_err(|e| CsvGridError::limit(e, 0, format_args!("the text is {} bytes", text.len())))?;
    let text = text.strip_prefix(UTF8_BOM).unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(text))
        .from_reader(text.as_bytes());
    // The line of a byte offset, counted from the text itself: the CSV reader's own
    // line count is off by one on `\r\n` files. Offsets only grow, so the count goes on
    // from the last one (one pass over the text in all).
    let mut counted = (0usize, 1usize);
    let mut line_at = |byte: u64| {
        let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
        // On `\r\n` the reader's record starts at the `\n` of the previous line's end.
        while matches!(text.as_bytes().get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        let (from, lines) = if end >= counted.0 { counted } else { (0, 1) };
        let between = text.as_bytes().get(from..end).unwrap_or_default();
        let n = lines + between.iter().filter(|&&b| b == b'\n').count();
        counted = (end.max(from), n);
        u32::try_from(n).unwrap_or(u32::MAX)
    };
    let max_string = limits.get(Limit::MaxStringBytes);
    let mut rows = Vec::new();
    let mut cells_read = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| CsvGridError {
            line: e.position().map_or(0, |p| line_at(p.byte())),
            message: format!("cannot read the line: {e}"),
            exceeded: None,
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        let count = rows.len() + 1;
        limits
            .check(Limit::MaxRows, count)
            .map_err(|e| CsvGridError::limit(e, line, format_args!("at least {count} rows")))?;
        limits.check(Limit::MaxColumns, record.len()).map_err(|e| {
            CsvGridError::limit(e, line, format_args!("a row of {} columns", record.len()))
        })?;
        cells_read = cells_read.saturating_add(record.len());
        limits.check(Limit::MaxCells, cells_read).map_err(|e| {
            CsvGridError::limit(e, line, format_args!("at least {cells_read} cells"))
        })?;
        let mut cells = Vec::with_capacity(record.len());
        for (column, f) in record.iter().enumerate() {
            if f.len() > max_string {
                let e = Exceeded {
                    name: Limit::MaxStringBytes,
                    value: max_string,
                };
                let found =
                    format_args!("cell {}{line} holds {} bytes", column_name(column), f.len());
                return Err(CsvGridError::limit(e, line, found));
            }
            cells.push(if f.is_empty() {
                CellValue::Empty
            } else {
                CellValue::Text(f.to_owned())
            });
        }
        rows.push(GridRow::new(line, cells));
    }
    // The CSV reader skips empty lines; they are rows too (an empty row in the middle
    // of the units is reported, as in a workbook), so they are put back, without cells.
    let blank = blank_lines(text);
    if !blank.is_empty() {
        rows.extend(blank.into_iter().map(|line| GridRow::new(line, Vec::new())));
        rows.sort_by_key(|r| r.number);
    }
    Ok(Grid::new(sheet.map(str::to_owned), rows))
}

/// The numbers of the empty lines of `text` (nothing between two line ends, which the
/// CSV reader skips; a line of blanks is a record of one blank field) outside quoted
/// fields.
fn blank_lines(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut line: u32 = 1;
    let mut only_blanks = true;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                only_blanks = false;
            }
            '\n' => {
                if !quoted {
                    if only_blanks {
                        out.push(line);
                    }
                    only_blanks = true;
                }
                line = line.saturating_add(1);
            }
            '\r' => {}
            _ => only_blanks = false,
        }
    }
    out
}

/// `text` with a UTF-8 byte order mark in front, so that Excel reads it as UTF-8 (and
/// shows Vietnamese names as written) when the file is opened by a double click.
pub fn with_bom(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + UTF8_BOM.len());
    out.push_str(UTF8_BOM);
    out.push_str(text);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;

    #[test]
    fn crlf_rows_are_numbered_by_their_line() {
        let grid = read_csv("a,b\r\n1,2\r\n\"x\r\ny\",3\r\n4,5\r\n", None).unwrap();
        let lines: Vec<u32> = grid.rows.iter().map(|r| r.number).collect();
        assert_eq!(lines, [1, 2, 3, 5]);
    }

    #[test]
    fn empty_lines_are_rows_without_cells_not_skipped() {
        let grid = read_csv("a,b\r\n1,2\r\n\r\n\"x\n\ny\",3\n  \n4,5\n", None).unwrap();
        let rows: Vec<(u32, usize)> = grid
            .rows
            .iter()
            .map(|r| (r.number, r.cells.len()))
            .collect();
        // Line 3 is empty; lines 4-6 are one quoted field (its empty line is text); line 7
        // holds blanks only, one blank field.
        assert_eq!(rows, [(1, 2), (2, 2), (3, 0), (4, 2), (7, 1), (8, 2)]);
        assert!(grid.rows[2].is_blank() && grid.rows[4].is_blank());
    }

    #[test]
    fn semicolon_csv_with_bom_reads_its_fields() {
        let grid = read_csv("\u{feff}a;b\n78,5;có\n", Some("s")).unwrap();
        assert_eq!(grid.rows[1].cells[0], CellValue::Text("78,5".into()));
        assert_eq!(grid.rows[0].cells[0], CellValue::Text("a".into()));
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
    }
}
