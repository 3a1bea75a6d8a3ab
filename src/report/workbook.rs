//! The report as a workbook ([`Report::to_xlsx`]): one sheet per CSV table of
//! [`Report::to_csv`], numbers as numbers. Counts are formatted with a thousands
//! separator (`#,##0`), displayed values (`*_shown`, `compared`) to one decimal (`0.0`;
//! a sum roll-up whole), so that a spreadsheet shows them as the text does, in the
//! reader's own separators (`79,9` and `3.146` in a Vietnamese locale). Codes (units,
//! criteria, indicators, targets) stay text: `222.01` is a code, not a number.

use rust_xlsxwriter::{Format, Workbook};

use crate::model::{exact_f64, parse_exact, read_csv, CellValue, Lang};
use crate::report::build::{Report, ReportError};
use crate::report::column_labels::column_header;

/// Columns that hold codes, written as text even when they look like numbers.
const CODE_COLUMNS: [&str; 6] = [
    "unit",
    "parent",
    "criterion",
    "indicator",
    "target",
    "level",
];

/// The sheet name of a table in a language.
fn sheet_name(table: &str, lang: Lang) -> String {
    let base = table.trim_end_matches(".csv");
    let vi = match base {
        "summary" => "Tổng hợp",
        "children" => "Đơn vị trực thuộc",
        "communes" => "Xã",
        "criteria" => "Tiêu chí",
        "distribution" => "Phân bố tiêu chí",
        "rollups" => "Chỉ tiêu tổng hợp",
        "plan" => "Kế hoạch",
        "excluded" => "Loại trừ",
        other => other,
    };
    match lang {
        Lang::Vi => vi.to_owned(),
        Lang::En => base.to_owned(),
    }
}

impl Report {
    /// The report as a workbook (`.xlsx` bytes): one sheet per table of
    /// [`Report::to_csv`] (named in `lang`: `Tổng hợp` or `summary`), the header row
    /// bold and frozen (in Vietnamese each column's name with its CSV key in brackets,
    /// `Lũy kế (cumulative)`; in English the key), numbers as numbers with their display format (see the module
    /// docs); a number that a spreadsheet cannot hold exactly is written as text.
    ///
    /// # Errors
    ///
    /// [`ReportError::Csv`] if a table cannot be built, [`ReportError::Workbook`] if the
    /// workbook cannot be written.
    pub fn to_xlsx(&self, lang: Lang) -> Result<Vec<u8>, ReportError> {
        let fail = |e: rust_xlsxwriter::XlsxError| ReportError::Workbook(e.to_string());
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let whole = Format::new().set_num_format("#,##0");
        let one = Format::new().set_num_format("#,##0.0");
        let plain = Format::new().set_num_format("General");
        for table in self.to_csv()? {
            let grid = read_csv(&table.content, None)
                .map_err(|e| ReportError::Workbook(format!("{}: {e}", table.name)))?;
            let sheet = book.add_worksheet();
            sheet.set_name(sheet_name(table.name, lang)).map_err(fail)?;
            let header: Vec<String> = grid
                .rows
                .first()
                .map(|r| {
                    r.cells
                        .iter()
                        .map(|c| c.text().unwrap_or_default())
                        .collect()
                })
                .unwrap_or_default();
            for (r, row) in grid.rows.iter().enumerate() {
                let r = u32::try_from(r).unwrap_or(u32::MAX);
                for (c, cell) in row.cells.iter().enumerate() {
                    let col = u16::try_from(c).unwrap_or(u16::MAX);
                    let text = match cell {
                        CellValue::Text(t) => t.as_str(),
                        _ => continue,
                    };
                    let name = header.get(c).map_or("", String::as_str);
                    if r == 0 {
                        sheet
                            .write_string_with_format(r, col, column_header(text, lang), &bold)
                            .map_err(fail)?;
                        continue;
                    }
                    let number = (!CODE_COLUMNS.contains(&name))
                        .then(|| parse_exact(text).ok())
                        .flatten()
                        .and_then(|d| exact_f64(d).map(|f| (d, f)));
                    match number {
                        Some((d, f)) => {
                            let shown = name.ends_with("_shown") || name == "compared";
                            let format = if shown && d.scale() == 1 {
                                &one
                            } else if d.scale() == 0 {
                                &whole
                            } else {
                                &plain
                            };
                            sheet
                                .write_number_with_format(r, col, f, format)
                                .map_err(fail)?;
                        }
                        None => {
                            sheet.write_string(r, col, text).map_err(fail)?;
                        }
                    }
                }
            }
            sheet.set_freeze_panes(1, 0).map_err(fail)?;
            for c in 0..header.len() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                sheet.set_column_width(col, 14).map_err(fail)?;
            }
        }
        book.save_to_buffer().map_err(fail)
    }
}
