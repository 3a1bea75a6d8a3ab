//! Writing the data-entry workbook of a request ([`entry_template`]): the layout of
//! [`entry_layout`](crate::contract::entry_layout) with the thresholds that apply to
//! each unit, drop-down lists for yes/no, grades and regions, the known profiles and
//! histories filled in, and a sheet that explains the codes.

use std::collections::HashMap;

use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};

use crate::contract::entry_layout::{
    layout, level_sheet, Column, ColumnKind, EntryError, LevelLayout, CODES_SHEET, HEADER_ROWS,
    HISTORY_COLUMNS, HISTORY_SHEET,
};
use crate::contract::request::{Request, RequestInput};
use crate::engine::{compile, UndeterminedReason};
use crate::model::{
    requirement_words, CommuneGroup, EventKind, IndicatorData, Lang, Profile, Region, UnitCode,
    ValueKind, YES_NO_WORDS,
};
use crate::policy::threshold_text;
use crate::tree::UnitInput;

/// What a cell says for "not applicable".
pub const NOT_APPLICABLE_WORDS: [&str; 3] = ["không áp dụng", "not applicable", "n/a"];

fn fail(e: XlsxError) -> EntryError {
    EntryError::Write(e.to_string())
}

fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn row_of(k: usize) -> u32 {
    u32::try_from(k)
        .unwrap_or(u32::MAX)
        .saturating_add(HEADER_ROWS)
}

fn col_of(k: usize) -> u16 {
    u16::try_from(k).unwrap_or(u16::MAX)
}

/// The thresholds that apply to a unit with `profile`, by column, from each set that
/// covers it (`tier: ≥ 80` when several sets read the value).
struct Thresholds<'a> {
    level: &'a LevelLayout,
    year: u16,
    cache: HashMap<(usize, Profile), HashMap<String, String>>,
}

impl Thresholds<'_> {
    fn of_set(&mut self, set: usize, profile: &Profile) -> &HashMap<String, String> {
        let (level, year) = (self.level, self.year);
        self.cache.entry((set, profile.clone())).or_insert_with(|| {
            let mut out = HashMap::new();
            let Some(s) = level.sets.get(set) else {
                return out;
            };
            let Ok(program) = compile(s, profile, year) else {
                return out;
            };
            let Ok(a) = program.evaluate(&IndicatorData::new("template", year)) else {
                return out;
            };
            for i in s.all_indicators() {
                let found = a.indicator(i.id.as_str());
                let text = match found.and_then(|x| x.threshold.clone()) {
                    Some(p) => threshold_text(i.requirement, &p.threshold),
                    None => no_threshold(found.and_then(|x| x.reason)).to_owned(),
                };
                out.insert(i.id.to_string(), text);
            }
            out
        })
    }

    fn cell(&mut self, column: &Column, sets: &[usize], profile: &Profile) -> String {
        let used: Vec<usize> = column
            .sets
            .iter()
            .copied()
            .filter(|k| sets.contains(k))
            .collect();
        let several = used.len() > 1;
        let mut parts = Vec::new();
        for k in used {
            let tier = self
                .level
                .sets
                .get(k)
                .map(|s| s.tier.to_string())
                .unwrap_or_default();
            if let Some(t) = self.of_set(k, profile).get(&column.key) {
                parts.push(if several {
                    format!("{tier}: {t}")
                } else {
                    t.clone()
                });
            }
        }
        parts.join("; ")
    }
}

/// What a threshold cell says when no threshold applies, by why.
fn no_threshold(reason: Option<UndeterminedReason>) -> &'static str {
    match reason {
        Some(UndeterminedReason::ProfileIncomplete) => {
            "tùy vùng: chưa biết vùng của đơn vị (depends on region: the unit's is not known)"
        }
        Some(UndeterminedReason::ThresholdUnknown) => {
            "chưa rõ trong nguồn (unknown in the sources)"
        }
        Some(UndeterminedReason::ThresholdDelegated) => "tỉnh quy định (delegated to the province)",
        Some(UndeterminedReason::NoThresholdRow) => "không có ngưỡng (no threshold row)",
        _ => "chưa xác định (undetermined)",
    }
}

/// Writes the data-entry workbook of `request` for the unit `scope` (default: the root
/// of its tree): one sheet per level (`Xã`), one row per unit, one column per value.
/// The profiles and histories the request's inputs give are filled in; every value
/// cell is empty. Each level sheet has a twin (`Ngưỡng Xã`) with the threshold of each
/// unit and value, computed for the unit's profile and the request's year (`tùy vùng`,
/// depends on region, where the profile is not known).
///
/// # Errors
///
/// An [`EntryError`] when the tree is invalid, the scope is not in it, a set cannot be
/// resolved, or the workbook cannot be written.
pub fn entry_template(request: &Request, scope: Option<&str>) -> Result<Vec<u8>, EntryError> {
    let layout = layout(request, scope)?;
    let inputs: HashMap<UnitCode, &UnitInput> = request
        .inputs
        .iter()
        .filter_map(|i| match i {
            RequestInput::Read(u) => Some((u.data.unit.clone(), u)),
            RequestInput::Unreadable { .. } => None,
        })
        .collect();
    let mut book = Workbook::new();
    let formats = Formats {
        key: Format::new().set_font_color("808080"),
        bold: Format::new().set_bold().set_text_wrap(),
        wrap: Format::new().set_text_wrap(),
        entry: Format::new().set_background_color("FFF2CC"),
    };
    for level in &layout.levels {
        let sheet = book.add_worksheet();
        sheet.set_name(level_sheet(level.level)).map_err(fail)?;
        write_level(sheet, level, &inputs, &formats, false, layout.year)?;
        let twin = book.add_worksheet();
        twin.set_name(format!("Ngưỡng {}", level_sheet(level.level)))
            .map_err(fail)?;
        write_level(twin, level, &inputs, &formats, true, layout.year)?;
    }
    write_history(book.add_worksheet(), &layout.levels, &inputs, &formats).map_err(fail)?;
    write_codes(book.add_worksheet(), &layout.scope, layout.year, &formats).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

struct Formats {
    key: Format,
    bold: Format,
    wrap: Format,
    entry: Format,
}

fn write_level(
    sheet: &mut Worksheet,
    level: &LevelLayout,
    inputs: &HashMap<UnitCode, &UnitInput>,
    f: &Formats,
    thresholds_only: bool,
    year: u16,
) -> Result<(), EntryError> {
    let mut thresholds = Thresholds {
        level,
        year,
        cache: HashMap::new(),
    };
    let profiles: Vec<Profile> = level
        .units
        .iter()
        .map(|u| {
            inputs
                .get(&u.code)
                .map(|i| i.profile.clone())
                .unwrap_or_default()
        })
        .collect();
    for (c, column) in level.columns.iter().enumerate() {
        let col = col_of(c);
        // The threshold row: the same for every unit, or "depends on region".
        let mut texts: Vec<String> = level
            .units
            .iter()
            .zip(&profiles)
            .zip(&level.unit_sets)
            .map(|((_, p), sets)| thresholds.cell(column, sets, p))
            .collect();
        texts.dedup();
        let threshold = match texts.as_slice() {
            [one] => one.clone(),
            _ if column.sets.is_empty() => String::new(),
            _ => "tùy vùng, xem sheet Ngưỡng (depends on region: see the Ngưỡng sheet)".to_owned(),
        };
        let requirement = column.requirement.map_or(String::new(), |r| {
            let (vi, en) = requirement_words(r);
            format!("{} {vi} ({en})", r.symbol())
        });
        let header = [
            (column.name.vi.as_str(), &f.bold),
            (column.name.en.as_str(), &f.wrap),
            (column.unit.as_str(), &f.wrap),
            (requirement.as_str(), &f.wrap),
            (threshold.as_str(), &f.wrap),
        ];
        sheet
            .write_string_with_format(0, col, &column.key, &f.key)
            .map_err(fail)?;
        for (r, (text, format)) in header.iter().enumerate() {
            let row = u32::try_from(r + 1).unwrap_or(0);
            sheet
                .write_string_with_format(row, col, *text, format)
                .map_err(fail)?;
        }
        sheet
            .set_column_width(col, if c == 1 { 28 } else { 14 })
            .map_err(fail)?;
        for (k, unit) in level.units.iter().enumerate() {
            let row = row_of(k);
            let profile = profiles.get(k).cloned().unwrap_or_default();
            let text = match &column.kind {
                ColumnKind::Code => unit.code.to_string(),
                ColumnKind::Name => unit.name.get(Lang::Vi).to_owned(),
                ColumnKind::Parent => unit
                    .parent
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                ColumnKind::Region => profile.region.map(|r| snake(&r)).unwrap_or_default(),
                ColumnKind::CommuneGroup => {
                    profile.commune_group.map(|g| snake(&g)).unwrap_or_default()
                }
                ColumnKind::Statuses => profile
                    .statuses
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("|"),
                ColumnKind::OutstandingFields | ColumnKind::Weight(_) => String::new(),
                ColumnKind::Value { .. } if thresholds_only => {
                    let sets = level.unit_sets.get(k).map_or(&[][..], Vec::as_slice);
                    thresholds.cell(column, sets, &profile)
                }
                ColumnKind::Value { .. } => String::new(),
            };
            if matches!(column.kind, ColumnKind::Value { .. }) && !thresholds_only {
                sheet.write_blank(row, col, &f.entry).map_err(fail)?;
            } else if !text.is_empty() {
                sheet.write_string(row, col, text).map_err(fail)?;
            }
        }
        if !thresholds_only {
            validate(sheet, column, col, level.units.len())?;
        }
    }
    sheet.set_freeze_panes(HEADER_ROWS, 2).map_err(fail)?;
    Ok(())
}

/// Drop-down lists: yes/no, grades, regions, commune groups.
fn validate(
    sheet: &mut Worksheet,
    column: &Column,
    col: u16,
    units: usize,
) -> Result<(), EntryError> {
    if units == 0 {
        return Ok(());
    }
    let na = |allow: bool| allow.then_some(NOT_APPLICABLE_WORDS[0].to_owned());
    let list: Option<Vec<String>> = match &column.kind {
        ColumnKind::Value {
            kind: Some(ValueKind::YesNo),
            allow_not_applicable,
            ..
        } => Some(
            YES_NO_WORDS
                .iter()
                .map(|w| (*w).to_owned())
                .chain(na(*allow_not_applicable))
                .collect(),
        ),
        ColumnKind::Value {
            kind: Some(ValueKind::Grade { grades }),
            allow_not_applicable,
            ..
        } => Some(
            grades
                .iter()
                .cloned()
                .chain(na(*allow_not_applicable))
                .collect(),
        ),
        ColumnKind::Region => Some(Region::ALL.iter().map(snake).collect()),
        ColumnKind::CommuneGroup => Some(CommuneGroup::ALL.iter().map(snake).collect()),
        _ => None,
    };
    let Some(list) = list.filter(|l| l.iter().map(|s| s.len() + 1).sum::<usize>() < 255) else {
        return Ok(());
    };
    let v = DataValidation::new()
        .allow_list_strings(&list)
        .map_err(fail)?;
    sheet
        .add_data_validation(HEADER_ROWS, col, row_of(units - 1), col, &v)
        .map_err(fail)?;
    Ok(())
}

fn write_history(
    sheet: &mut Worksheet,
    levels: &[LevelLayout],
    inputs: &HashMap<UnitCode, &UnitInput>,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(HISTORY_SHEET)?;
    for (c, (key, vi, en)) in HISTORY_COLUMNS.iter().enumerate() {
        let col = col_of(c);
        sheet.write_string_with_format(0, col, *key, &f.key)?;
        sheet.write_string_with_format(1, col, *vi, &f.bold)?;
        sheet.write_string_with_format(2, col, *en, &f.wrap)?;
        sheet.set_column_width(col, 16)?;
    }
    let mut row = 3;
    for unit in levels.iter().flat_map(|l| l.units.iter()) {
        let Some(input) = inputs.get(&unit.code) else {
            continue;
        };
        for e in &input.history.events {
            sheet.write_string(row, 0, unit.code.to_string())?;
            sheet.write_string(row, 1, e.tier.to_string())?;
            sheet.write_number(row, 2, e.year)?;
            let kind = match e.kind {
                EventKind::Recognised => "recognised",
                EventKind::Revoked => "revoked",
            };
            sheet.write_string(row, 3, kind)?;
            if let Some(d) = &e.decision {
                sheet.write_string(row, 4, d)?;
            }
            row += 1;
        }
    }
    let v = DataValidation::new().allow_list_strings(&["recognised", "revoked"])?;
    sheet.add_data_validation(3, 3, 3 + 10_000, 3, &v)?;
    sheet.set_freeze_panes(3, 0)?;
    Ok(())
}

fn write_codes(
    sheet: &mut Worksheet,
    scope: &UnitCode,
    year: u16,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(CODES_SHEET)?;
    sheet.write_string_with_format(0, 0, "Phạm vi (scope)", &f.bold)?;
    sheet.write_string(0, 1, scope.to_string())?;
    sheet.write_string_with_format(1, 0, "Năm (year)", &f.bold)?;
    sheet.write_number(1, 1, year)?;
    let lines = [
        ("Dòng 1 (row 1)", "Mã cột, không sửa (column keys: do not edit)"),
        ("Dòng 2-6 (rows 2-6)", "Tên, đơn vị tính, yêu cầu, ngưỡng (name, unit, requirement, threshold)"),
        ("Từ dòng 7 (row 7 on)", "Mỗi dòng một đơn vị; không để dòng trống, không gộp ô (one unit a row; no empty rows, no merged cells)"),
        ("Số (numbers)", "Dấu . hoặc , thập phân: 78,5 hoặc 78.5; không dùng dấu phân cách hàng nghìn (no thousands separators)"),
        ("Có/không (yes/no)", "có, không (also đạt, không đạt, yes, no)"),
        ("Không áp dụng (not applicable)", "không áp dụng, where the indicator allows it"),
        ("Trống (empty)", "chưa có số liệu (no data: the indicator is undetermined)"),
        ("Diện đặc thù (statuses)", "nối bằng | (joined with |)"),
        ("Lĩnh vực nổi bật", "outstanding fields, joined with |"),
        ("Lịch sử (history)", "một quyết định một dòng: mã, mức, năm, recognised/revoked, số quyết định"),
    ];
    let mut row = 3;
    for (a, b) in lines {
        sheet.write_string_with_format(row, 0, a, &f.bold)?;
        sheet.write_string(row, 1, b)?;
        row += 1;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "Mã vùng (region codes)", &f.bold)?;
    for region in Region::ALL {
        row += 1;
        sheet.write_string(row, 0, snake(&region))?;
        sheet.write_string(
            row,
            1,
            format!("{} ({})", region.label(Lang::Vi), region.label(Lang::En)),
        )?;
    }
    row += 2;
    sheet.write_string_with_format(row, 0, "Nhóm xã (commune groups)", &f.bold)?;
    for g in CommuneGroup::ALL {
        row += 1;
        sheet.write_string(row, 0, snake(&g))?;
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 100)?;
    Ok(())
}
