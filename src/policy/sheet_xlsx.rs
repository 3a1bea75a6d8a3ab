//! Threshold sheets as workbooks (`.xlsx`): the same columns and rules as the CSV sheet
//! ([`export_sheet`](crate::policy::export_sheet)), on a sheet `Ngưỡng`, with numbers as
//! numbers, drop-down lists for yes/no and grades, and a sheet `Giải thích` that explains
//! the columns and codes. Read back with [`import_sheet_xlsx`]; problems name the cell
//! (`Ngưỡng!M12`).

use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};

use crate::model::{
    exact_f64, read_workbook_with_limits, CriteriaSet, Grid, Limits, Region, Threshold, ValueKind,
    YES_NO_WORDS,
};
use crate::policy::overlay::Overlay;
use crate::policy::sheet::{
    column_header, grid_set_id, import_grid, sheet_rows, SheetError, COLUMNS, COLUMN_NAMES_VI,
};

/// The name of the sheet that holds the thresholds.
pub const THRESHOLD_SHEET: &str = "Ngưỡng";

/// The column of the value.
const VALUE: u16 = 12;

fn fail(e: XlsxError) -> SheetError {
    SheetError::one(0, "set_id", format!("cannot write the workbook: {e}"))
}

fn explain(sheet: &mut Worksheet, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("Giải thích")?;
    sheet.write_string_with_format(0, 0, "Cột (Column)", bold)?;
    sheet.write_string_with_format(0, 1, "Giải thích (Explanation)", bold)?;
    let notes = [
        "Mã bộ tiêu chí; không sửa (the set's id; do not edit)",
        "Số tiêu chí; trống với điều kiện công nhận (criterion; empty for preconditions)",
        "Số chỉ tiêu (indicator number)",
        "",
        "",
        "",
        "≥ tối thiểu (at least), ≤ tối đa (at most), > lớn hơn, < nhỏ hơn, = bằng, ∈ một trong; không sửa",
        "Vùng, nối bằng | (regions joined with |); mã ở dưới (codes below)",
        "Nhóm xã 2026-2030: group1|group2|group3",
        "Diện đặc thù; ! đứng trước: không thuộc diện (statuses; a leading ! means not)",
        "",
        "",
        "Điền ngưỡng: số với dấu . hoặc , thập phân; có/không; tên mức; tỉnh quy định; trống = chưa biết \
         (fill the threshold: a number with . or , decimals; yes/no; a grade; delegated; empty = unknown)",
        "Văn bản của giá trị điền (the document of the value filled)",
        "Điều, khoản (article, clause)",
        "confirmed, reported, unverified, illustrative",
    ];
    for (k, note) in notes.iter().enumerate() {
        let row = u32::try_from(k + 1).unwrap_or(0);
        sheet.write_string(row, 0, column_header(k))?;
        sheet.write_string(row, 1, *note)?;
    }
    let mut row = u32::try_from(notes.len() + 2).unwrap_or(0);
    sheet.write_string_with_format(row, 0, "Mã vùng (Region codes)", bold)?;
    for region in Region::ALL {
        row += 1;
        let code = serde_json::to_value(region)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        sheet.write_string(row, 0, code)?;
        sheet.write_string(
            row,
            1,
            format!(
                "{} ({})",
                region.label(crate::model::Lang::Vi),
                region.label(crate::model::Lang::En)
            ),
        )?;
    }
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 90)?;
    Ok(())
}

/// Writes a set's threshold table as a workbook: the rows of
/// [`export_sheet`](crate::policy::export_sheet) on the sheet [`THRESHOLD_SHEET`]
/// (bilingual headers, years and numeric thresholds as numbers, yes/no as `có`/`không`),
/// drop-down lists on the yes/no and grade values, and a sheet explaining the columns
/// and region codes.
///
/// # Errors
///
/// A [`SheetError`] if the workbook cannot be written (it is written to memory).
pub fn export_sheet_xlsx(set: &CriteriaSet) -> Result<Vec<u8>, SheetError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let fill = Format::new().set_background_color("FFF2CC");
    let rows = sheet_rows(set);
    let kinds: Vec<(&ValueKind, &Threshold)> = set
        .criteria
        .iter()
        .flat_map(|c| c.indicators.iter())
        .chain(set.preconditions.iter())
        .flat_map(|i| i.thresholds.iter().map(move |r| (&i.kind, &r.threshold)))
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name(THRESHOLD_SHEET).map_err(fail)?;
    for k in 0..COLUMNS.len() {
        let col = u16::try_from(k).unwrap_or(0);
        sheet
            .write_string_with_format(0, col, column_header(k), &bold)
            .map_err(fail)?;
        let width = COLUMN_NAMES_VI
            .get(k)
            .map_or(12, |n| n.chars().count().max(12));
        sheet
            .set_column_width(col, u32::try_from(width).unwrap_or(12))
            .map_err(fail)?;
    }
    sheet.set_column_width(3, 48).map_err(fail)?;
    sheet.set_freeze_panes(1, 3).map_err(fail)?;
    for (r, (record, (kind, threshold))) in rows.iter().zip(&kinds).enumerate() {
        let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (k, text) in record.iter().enumerate() {
            let col = u16::try_from(k).unwrap_or(0);
            let year = (k == 10 || k == 11)
                .then(|| text.parse::<u16>().ok())
                .flatten();
            if let Some(y) = year {
                sheet.write_number(row, col, y).map_err(fail)?;
            } else if col == VALUE {
                write_value(sheet, row, kind, threshold, text, &fill)?;
            } else {
                sheet.write_string(row, col, text).map_err(fail)?;
            }
        }
    }
    explain(book.add_worksheet(), &bold).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    kind: &ValueKind,
    threshold: &Threshold,
    text: &str,
    fill: &Format,
) -> Result<(), SheetError> {
    let list = |items: Vec<String>| {
        DataValidation::new()
            .allow_list_strings(&items)
            .map_err(fail)
    };
    match (kind, threshold) {
        (_, Threshold::Number(d)) => match exact_f64(*d) {
            Some(f) => sheet.write_number_with_format(row, VALUE, f, fill),
            None => sheet.write_string_with_format(row, VALUE, d.to_string(), fill),
        },
        (_, Threshold::Flag(b)) => {
            let word = if *b { YES_NO_WORDS[0] } else { YES_NO_WORDS[1] };
            sheet.write_string_with_format(row, VALUE, word, fill)
        }
        _ => sheet.write_string_with_format(row, VALUE, text, fill),
    }
    .map_err(fail)?;
    let validation = match kind {
        ValueKind::YesNo => Some(list(
            YES_NO_WORDS
                .iter()
                .map(|w| (*w).to_owned())
                .chain(["tỉnh quy định".to_owned()])
                .collect(),
        )?),
        ValueKind::Grade { grades } if grades.iter().map(String::len).sum::<usize>() < 200 => {
            Some(list(grades.clone())?)
        }
        _ => None,
    };
    if let Some(v) = validation {
        sheet
            .add_data_validation(row, VALUE, row, VALUE, &v)
            .map_err(fail)?;
    }
    Ok(())
}

/// The sheet of a threshold workbook: [`THRESHOLD_SHEET`] (or `Thresholds`), else the
/// first.
fn threshold_grid(bytes: &[u8], limits: &Limits) -> Result<Grid, SheetError> {
    let grids = read_workbook_with_limits(bytes, limits)
        .map_err(|e| SheetError::one(0, "set_id", e.to_string()))?;
    let named = |g: &Grid| {
        g.sheet
            .as_deref()
            .is_some_and(|n| n == THRESHOLD_SHEET || n.eq_ignore_ascii_case("thresholds"))
    };
    let pick = grids.iter().position(named).unwrap_or(0);
    grids
        .into_iter()
        .nth(pick)
        .ok_or_else(|| SheetError::one(0, "set_id", "the workbook has no sheet"))
}

/// Reads a filled threshold workbook of `set` back as entries of `overlay`, as
/// [`import_sheet`](crate::policy::import_sheet) reads a CSV sheet; problems name the
/// cell (`Ngưỡng!M12`). A formula whose value is an error or a merged cell is a problem
/// of its cell.
///
/// # Errors
///
/// A [`SheetError`]: the bytes are not a workbook (one problem), or every problem of the
/// sheet.
pub fn import_sheet_xlsx(
    bytes: &[u8],
    set: &CriteriaSet,
    overlay: Overlay,
) -> Result<Overlay, SheetError> {
    import_sheet_xlsx_with_limits(bytes, set, overlay, &Limits::default())
}

/// [`import_sheet_xlsx`] within `limits`: the workbook is read as
/// [`read_workbook_with_limits`] reads it (the file's bytes, its decompressed size, each
/// sheet's rows, columns, cells and the text of a cell), and past a limit is one problem
/// naming the limit and the cell.
///
/// # Errors
///
/// A [`SheetError`] as [`import_sheet_xlsx`].
pub fn import_sheet_xlsx_with_limits(
    bytes: &[u8],
    set: &CriteriaSet,
    overlay: Overlay,
    limits: &Limits,
) -> Result<Overlay, SheetError> {
    import_grid(&threshold_grid(bytes, limits)?, set, overlay)
}

/// The set id of a threshold workbook's first line.
pub fn sheet_set_id_xlsx(bytes: &[u8]) -> Option<String> {
    grid_set_id(&threshold_grid(bytes, &Limits::default()).ok()?)
}
