//! Data-entry workbooks on the real path: the Bắc Giang units on the national catalog
//! sets with the illustrative provincial overlay (`data/bac_giang_2022_catalog`). A
//! template is written, filled by the test as a person would (numbers typed as numbers
//! or as text with a decimal comma, yes/no as `có`/`không`), read back, and run: the
//! decisions are those of the JSON request. Bad cells are reported by their cell name.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use std::collections::BTreeMap;

use ntm_rules::contract::{entry_template, import_entry, import_entry_csv, run, EntryError};
use ntm_rules::contract::{Request, RequestInput};
use ntm_rules::model::{read_workbook, CellValue, Grid, Level, Value};
use ntm_rules::tree::UnitInput;
use rust_xlsxwriter::{Format, Formula, Workbook};

fn bac_giang() -> Request {
    Request::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/bac_giang_2022_catalog"
    ))
    .unwrap()
}

fn inputs_by_unit(request: &Request) -> BTreeMap<String, UnitInput> {
    request
        .inputs
        .iter()
        .map(|i| match i {
            RequestInput::Read(u) => (u.data.unit.to_string(), u.clone()),
            other => panic!("unreadable input {other:?}"),
        })
        .collect()
}

/// What a person types in a cell.
enum Typed {
    Text(String),
    Number(f64),
    Formula(&'static str, &'static str),
}

/// Copies every sheet of `template` into a new workbook, asking `fill` for the cell of
/// each unit row (sheet, key of the column, unit code); `None` keeps the template's cell.
fn fill_workbook(
    template: &[u8],
    mut fill: impl FnMut(&str, &str, &str) -> Option<Typed>,
    skip_sheet: Option<&str>,
) -> Vec<u8> {
    let grids = read_workbook(template).unwrap();
    let mut book = Workbook::new();
    for grid in &grids {
        let name = grid.sheet.clone().unwrap();
        if Some(name.as_str()) == skip_sheet {
            continue;
        }
        let sheet = book.add_worksheet().set_name(&name).unwrap();
        let keys: Vec<String> = grid
            .rows
            .first()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| c.text().unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default();
        for row in &grid.rows {
            let r = row.number - 1;
            for (c, cell) in row.cells.iter().enumerate() {
                match cell {
                    CellValue::Text(t) => sheet.write_string(r, c as u16, t).map(|_| ()).unwrap(),
                    CellValue::Number(d) => sheet
                        .write_number(r, c as u16, d.to_string().parse::<f64>().unwrap())
                        .map(|_| ())
                        .unwrap(),
                    _ => {}
                }
            }
            let code = row.cell(0).text().unwrap_or_default();
            if row.number <= 6 || code.is_empty() || name == "Lịch sử" || name == "Giải thích"
            {
                continue;
            }
            for (c, key) in keys.iter().enumerate() {
                let col = c as u16;
                match fill(&name, key, &code) {
                    Some(Typed::Text(t)) => {
                        sheet.write_string(r, col, t).unwrap();
                    }
                    Some(Typed::Number(f)) => {
                        sheet.write_number(r, col, f).unwrap();
                    }
                    Some(Typed::Formula(f, result)) => {
                        sheet
                            .write_formula(r, col, Formula::new(f).set_result(result))
                            .unwrap();
                    }
                    None => {}
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The cell a person types for a unit's input: numbers as numbers, or for every other
/// unit as text with a decimal comma; yes/no as `có`/`không`.
fn typed(input: &UnitInput, key: &str, comma: bool) -> Option<Typed> {
    if let Some(name) = key.strip_prefix("weight:") {
        return input
            .weights
            .get(name)
            .map(|w| Typed::Number(w.value().to_string().parse().unwrap()));
    }
    if key == "outstanding_fields" {
        return (!input.outstanding_fields.is_empty())
            .then(|| Typed::Text(input.outstanding_fields.join("|")));
    }
    match input.data.values.get(key)? {
        Value::Number(d) if comma => Some(Typed::Text(d.to_string().replace('.', ","))),
        Value::Number(d) => Some(Typed::Number(d.to_string().parse().unwrap())),
        Value::Flag(true) => Some(Typed::Text("có".to_owned())),
        Value::Flag(false) => Some(Typed::Text("không".to_owned())),
        Value::Grade(g) => Some(Typed::Text(g.clone())),
        Value::NotApplicable => Some(Typed::Text("không áp dụng".to_owned())),
    }
}

#[test]
fn filled_template_gives_the_decisions_of_the_json_request() {
    let request = bac_giang();
    let inputs = inputs_by_unit(&request);
    let template = entry_template(&request, None).unwrap();
    let mut n = 0usize;
    let filled = fill_workbook(
        &template,
        |_, key, code| {
            n += 1;
            let comma = code.len() % 2 == 0;
            inputs.get(code).and_then(|i| typed(i, key, comma))
        },
        None,
    );
    let imported = import_entry(&filled, &request, None).unwrap();
    assert!(
        imported.problems.is_empty(),
        "{:?}",
        &imported.problems[..imported.problems.len().min(5)]
    );
    assert_eq!(imported.inputs.len(), inputs.len());
    assert!(imported.history_not_read.is_empty());
    for input in &imported.inputs {
        assert_eq!(
            Some(input),
            inputs.get(input.data.unit.as_str()),
            "unit {}",
            input.data.unit
        );
    }

    let from_json = run(request.clone()).unwrap().into_response();
    let from_book = run(request.with_inputs(
        imported
            .inputs
            .into_iter()
            .map(RequestInput::from)
            .collect(),
    ))
    .unwrap()
    .into_response();
    let value = |v: &dyn erased::Ser| v.json();
    // Every unit's decision, tiers and criteria met are the JSON request's. (The echo of
    // the data may differ in trailing zeros only: `97.0` typed in a number cell is the
    // number 97, equal as a decimal, as the inputs compared above show.)
    assert_eq!(from_book.results.len(), from_json.results.len());
    for (code, r) in &from_json.results {
        let without_data = |v: serde_json::Value| {
            let mut v = v;
            v.as_object_mut().unwrap().remove("data");
            v
        };
        let (a, b) = (
            without_data(value(r)),
            without_data(value(&from_book.results[code])),
        );
        assert_eq!(a, b, "unit {code}");
    }
    // Summaries and plan progress: the same, up to trailing zeros of the echoed sums.
    assert_eq!(
        normal(value(&from_book.summaries)),
        normal(value(&from_json.summaries))
    );
    assert_eq!(
        normal(value(&from_book.plan)),
        normal(value(&from_json.plan))
    );
    // The calibrated figure of the example: 147 of 184 communes at standard.
    let province =
        serde_json::to_string(&from_book.summaries[&ntm_rules::model::UnitCode::new("24")])
            .unwrap();
    assert!(
        province.contains(r#""tier":"standard","cumulative":147"#),
        "{province}"
    );
}

/// A JSON value with every decimal string in its shortest form (`97.0` → `97`).
fn normal(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::String(s) => match s.parse::<rust_decimal::Decimal>() {
            Ok(d) => J::String(d.normalize().to_string()),
            Err(_) => J::String(s),
        },
        J::Array(a) => J::Array(a.into_iter().map(normal).collect()),
        J::Object(o) => J::Object(o.into_iter().map(|(k, v)| (k, normal(v))).collect()),
        other => other,
    }
}

/// serde_json values of the response parts, for comparing them.
mod erased {
    pub(super) trait Ser {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap()
        }
    }
}

/// The sheets of a template, its commune sheet and that sheet's column keys.
fn commune_sheet(template: &[u8]) -> (Vec<Grid>, Grid, Vec<String>) {
    let grids = read_workbook(template).unwrap();
    let communes = grids
        .iter()
        .find(|g| g.sheet.as_deref() == Some("Xã"))
        .unwrap()
        .clone();
    let keys = communes.rows[0]
        .cells
        .iter()
        .map(|c| c.text().unwrap())
        .collect();
    (grids, communes, keys)
}

/// The problems of an import, as text.
fn problems(p: &[ntm_rules::contract::EntryProblem]) -> Vec<String> {
    p.iter().map(ToString::to_string).collect()
}

#[test]
fn bad_cells_are_named_by_cell_and_the_other_rows_still_read() {
    let request = bac_giang();
    let inputs = inputs_by_unit(&request);
    let template = entry_template(&request, None).unwrap();
    let (_, communes, keys) = commune_sheet(&template);
    let col = |key: &str| keys.iter().position(|k| k == key).unwrap();
    let name = |key: &str| ntm_rules::model::column_name(col(key));
    let row_of = |code: &str| {
        communes
            .rows
            .iter()
            .find(|r| r.cell(0).text().as_deref() == Some(code))
            .unwrap()
            .number
    };
    let codes: Vec<String> = communes
        .rows
        .iter()
        .skip(6)
        .map(|r| r.cell(0).text().unwrap())
        .collect();
    let (wrong_kind, formula) = (codes[0].clone(), codes[1].clone());
    let filled = fill_workbook(
        &template,
        |sheet, key, code| {
            let input = inputs.get(code)?;
            if sheet == "Xã" && code == wrong_kind && key == "10.1" {
                return Some(Typed::Text("cao".to_owned()));
            }
            if sheet == "Xã" && code == wrong_kind && key == "2.1" {
                return Some(Typed::Text("1,234".to_owned()));
            }
            if sheet == "Xã" && code == formula && key == "10.1" {
                return Some(Typed::Formula("=1/0", "#DIV/0!"));
            }
            if sheet == "Xã" && code == formula && key == "1.1" {
                return Some(Typed::Number(1.0));
            }
            typed(input, key, false)
        },
        None,
    );
    let imported = import_entry(&filled, &request, None).unwrap();
    let texts = problems(&imported.problems);
    let at = |code: &str, key: &str| format!("Xã!{}{} (unit {code}): ", name(key), row_of(code));
    let expected = [
        format!("{}invalid number `cao`: ", at(&wrong_kind, "10.1")),
        format!(
            "{}ambiguous number `1,234`: 1.234 with a decimal comma, or 1234",
            at(&wrong_kind, "2.1")
        ),
        format!(
            "{}the formula's value is an error (#DIV/0!)",
            at(&formula, "10.1")
        ),
        format!(
            "{}expected yes or no (`có`/`không`), found the number 1",
            at(&formula, "1.1")
        ),
    ];
    for e in &expected {
        assert!(
            texts.iter().any(|t| t.starts_with(e.as_str())),
            "{e}\nnot in {texts:#?}"
        );
    }
    // The two bad rows give no input (their units are excluded, not evaluated without
    // the value); every other row is read.
    assert_eq!(imported.inputs.len(), inputs.len() - 2, "{texts:#?}");
    assert!(!imported
        .inputs
        .iter()
        .any(|i| i.data.unit.as_str() == wrong_kind || i.data.unit.as_str() == formula));
}

#[test]
fn missing_sheet_unknown_unit_merged_cell_and_empty_row_are_reported() {
    let request = bac_giang();
    let inputs = inputs_by_unit(&request);
    let template = entry_template(&request, None).unwrap();
    let (grids, communes, keys) = commune_sheet(&template);

    // A commune sheet written by hand: a column left out, a unit code not in the tree,
    // an empty row in the middle, a merged cell; the district sheet is missing.
    let mut book = Workbook::new();
    for grid in grids.iter().filter(|g| g.sheet.as_deref() != Some("Huyện")) {
        let name = grid.sheet.clone().unwrap();
        let sheet = book.add_worksheet().set_name(&name).unwrap();
        let is_communes = name == "Xã";
        let dropped = keys.iter().position(|k| k == "19.1").unwrap();
        let mut out_row = 0u32;
        let mut units = 0;
        for row in &grid.rows {
            let code = row.cell(0).text().unwrap_or_default();
            if is_communes && row.number > 6 {
                units += 1;
                if units == 3 {
                    out_row += 1; // an empty row in the middle
                }
            }
            let code = if is_communes && units == 5 && row.number > 6 {
                "99999".to_owned()
            } else {
                code
            };
            let mut c_out = 0u16;
            for (c, cell) in row.cells.iter().enumerate() {
                if is_communes && c == dropped {
                    continue;
                }
                let key = keys.get(c).map(String::as_str).unwrap_or("");
                let typed = if is_communes && row.number > 6 {
                    if c == 0 {
                        Some(Typed::Text(code.clone()))
                    } else {
                        inputs.get(&code).and_then(|i| typed(i, key, false))
                    }
                } else {
                    None
                };
                match (typed, cell) {
                    (Some(Typed::Text(t)), _) => {
                        sheet.write_string(out_row, c_out, t).unwrap();
                    }
                    (Some(Typed::Number(f)), _) => {
                        sheet.write_number(out_row, c_out, f).unwrap();
                    }
                    (_, CellValue::Text(t)) => {
                        sheet.write_string(out_row, c_out, t).unwrap();
                    }
                    (_, CellValue::Number(d)) => {
                        sheet
                            .write_number(out_row, c_out, d.to_string().parse::<f64>().unwrap())
                            .unwrap();
                    }
                    _ => {}
                }
                c_out += 1;
            }
            out_row += 1;
        }
        if is_communes {
            // Merge two value cells of the 7th unit's row.
            let r = 6 + 7;
            sheet
                .merge_range(r, 9, r, 10, "có", &Format::new())
                .unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let imported = import_entry(&bytes, &request, None).unwrap();
    let texts = problems(&imported.problems);
    let has = |s: &str| texts.iter().any(|t| t.contains(s));
    assert!(has("Huyện!A1: missing sheet `Huyện`"), "{texts:#?}");
    assert!(has("missing column `19.1`"), "{texts:#?}");
    assert!(has("Xã!A9: empty row in the middle"), "{texts:#?}");
    assert!(has("Xã!A12: unit `99999` is not in the tree"), "{texts:#?}");
    assert!(
        has("Xã!J14 (unit") && has("merged range J14:K14"),
        "{texts:#?}"
    );
    // Every other commune is still read: all but the unknown one and the merged row.
    let communes_read = imported
        .inputs
        .iter()
        .filter(|i| {
            communes
                .rows
                .iter()
                .skip(6)
                .any(|r| r.cell(0).text().as_deref() == Some(i.data.unit.as_str()))
        })
        .count();
    assert_eq!(communes_read, communes.rows.len() - 6 - 2, "{texts:#?}");
}

#[test]
fn a_file_that_is_not_a_workbook_is_one_clear_error() {
    let request = bac_giang();
    let err = import_entry(b"code,name\n1,x\n", &request, None).unwrap_err();
    assert!(matches!(err, EntryError::NotAWorkbook(_)));
    assert!(
        err.to_string().starts_with("not an .xlsx workbook"),
        "{err}"
    );
}

/// The commune sheet of the template filled with the data set's values and saved as
/// Excel saves CSV in a decimal-comma locale (BOM, `;`, CRLF, every field quoted); with
/// the sheet's rows and its column keys.
fn commune_sheet_as_csv(request: &Request) -> (String, Grid, Vec<String>) {
    let inputs = inputs_by_unit(request);
    let template = entry_template(request, None).unwrap();
    let (_, communes, keys) = commune_sheet(&template);
    let mut csv = String::from("\u{feff}");
    for row in &communes.rows {
        let code = row.cell(0).text().unwrap_or_default();
        let fields: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(c, key)| {
                let given = (row.number > 6)
                    .then(|| inputs.get(&code).and_then(|i| typed(i, key, true)))
                    .flatten();
                let text = match given {
                    Some(Typed::Text(t)) => t,
                    Some(Typed::Number(f)) => f.to_string(),
                    _ => row.cell(c).text().unwrap_or_default(),
                };
                format!("\"{}\"", text.replace('"', "\"\""))
            })
            .collect();
        csv.push_str(&fields.join(";"));
        csv.push_str("\r\n");
    }
    (csv, communes, keys)
}

#[test]
fn an_empty_line_in_the_middle_of_a_csv_sheet_is_reported_and_the_rest_read() {
    let request = bac_giang();
    let (csv, communes, _) = commune_sheet_as_csv(&request);
    let mut lines: Vec<&str> = csv.split("\r\n").collect();
    // After the header (6 rows) and four units: line 11 is empty.
    lines.insert(10, "");
    let csv = lines.join("\r\n");
    let imported = import_entry_csv(&csv, Level::Commune, &request, None).unwrap();
    let texts = problems(&imported.problems);
    assert_eq!(texts.len(), 1, "{texts:#?}");
    assert!(
        texts[0].starts_with("Xã!A11: empty row in the middle"),
        "{texts:#?}"
    );
    assert_eq!(imported.inputs.len(), communes.rows.len() - 6);
}

#[test]
fn a_level_sheet_saved_as_semicolon_csv_reads_like_the_sheet() {
    let request = bac_giang();
    let inputs = inputs_by_unit(&request);
    let (csv, communes, keys) = commune_sheet_as_csv(&request);
    // A bad cell is named as in the sheet, on its line.
    let bad_code = communes.rows[7].cell(0).text().unwrap();
    let col = keys.iter().position(|k| k == "10.1").unwrap();
    let mut lines: Vec<String> = csv.split("\r\n").map(str::to_owned).collect();
    let mut fields: Vec<String> = lines[7].split(';').map(str::to_owned).collect();
    fields[col] = "\"nhiều\"".to_owned();
    lines[7] = fields.join(";");
    let csv = lines.join("\r\n");
    let imported = import_entry_csv(&csv, Level::Commune, &request, None).unwrap();
    let texts = problems(&imported.problems);
    let place = format!(
        "Xã!{}8 (unit {bad_code}): invalid number `nhiều`",
        ntm_rules::model::column_name(col)
    );
    assert_eq!(texts.len(), 1, "{texts:#?}");
    assert!(texts[0].starts_with(&place), "{texts:#?}");
    assert_eq!(imported.inputs.len(), communes.rows.len() - 6 - 1);
    for input in &imported.inputs {
        let json = &inputs[input.data.unit.as_str()];
        assert_eq!(input.data, json.data);
        assert_eq!(input.weights, json.weights);
    }
}

#[test]
fn report_workbook_has_numbers_as_numbers_and_codes_as_text() {
    let run = run(bac_giang()).unwrap();
    let report = run.report(None).unwrap();
    let grids = read_workbook(&report.to_xlsx(ntm_rules::model::Lang::Vi).unwrap()).unwrap();
    let names: Vec<&str> = grids.iter().filter_map(|g| g.sheet.as_deref()).collect();
    assert_eq!(names.len(), report.to_csv().unwrap().len());
    let summary = grids
        .iter()
        .find(|g| g.sheet.as_deref() == Some("Tổng hợp"))
        .unwrap();
    let header: Vec<String> = summary.rows[0]
        .cells
        .iter()
        .map(|c| c.text().unwrap())
        .collect();
    let col = |k: &str| {
        header
            .iter()
            .position(|h| h.ends_with(&format!(" ({k})")))
            .unwrap()
    };
    let standard = summary
        .rows
        .iter()
        .find(|r| {
            r.cell(0).text().as_deref() == Some("commune")
                && r.cell(1).text().as_deref() == Some("standard")
        })
        .unwrap();
    assert_eq!(
        standard.cell(col("cumulative")),
        &CellValue::Number(147.into())
    );
    assert_eq!(
        standard.cell(col("share_of_all_shown")),
        &CellValue::Number(rust_decimal::Decimal::new(799, 1))
    );
    // Unit codes such as `222.01` stay text.
    let communes = grids
        .iter()
        .find(|g| g.sheet.as_deref() == Some("Xã"))
        .unwrap();
    assert!(matches!(communes.rows[1].cell(0), CellValue::Text(t) if t.contains('.')));
}

#[test]
fn report_workbook_headers_name_every_column_in_vietnamese_with_its_key() {
    for dir in ["data/bac_giang_2022", "data/bac_giang_2022_catalog"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let report = run(Request::from_dir(&dir).unwrap())
            .unwrap()
            .report(None)
            .unwrap();
        let tables = report.to_csv().unwrap();
        for (lang, vi) in [
            (ntm_rules::model::Lang::Vi, true),
            (ntm_rules::model::Lang::En, false),
        ] {
            let grids = read_workbook(&report.to_xlsx(lang).unwrap()).unwrap();
            for (grid, table) in grids.iter().zip(&tables) {
                let keys: Vec<&str> = table
                    .content
                    .trim_start_matches('\u{feff}')
                    .lines()
                    .next()
                    .unwrap()
                    .split(',')
                    .collect();
                let shown: Vec<String> = grid.rows[0]
                    .cells
                    .iter()
                    .map(|c| c.text().unwrap())
                    .collect();
                assert_eq!(shown.len(), keys.len(), "{}", table.name);
                for (h, key) in shown.iter().zip(&keys) {
                    if vi {
                        // A Vietnamese name, then the CSV key in brackets.
                        let name = h.strip_suffix(&format!(" ({key})"));
                        assert!(
                            name.is_some_and(|n| !n.is_empty() && n != *key),
                            "{}: column `{key}` has no Vietnamese name: `{h}`",
                            table.name
                        );
                    } else {
                        assert_eq!(h, key, "{}", table.name);
                    }
                }
            }
        }
    }
}

#[test]
fn template_gives_each_units_threshold_or_says_why_none_applies() {
    // The threshold of 10.1 for the first commune, on the sheet `Ngưỡng Xã`.
    let income = |request: &Request| {
        let (grids, _, keys) = commune_sheet(&entry_template(request, None).unwrap());
        let col = keys.iter().position(|k| k == "10.1").unwrap();
        grids
            .iter()
            .find(|g| g.sheet.as_deref() == Some("Ngưỡng Xã"))
            .unwrap()
            .rows[6]
            .cell(col)
            .text()
            .unwrap()
    };
    // A TDMNPB commune in 2022: its region's income threshold (with the overlay), for
    // each tier whose set reads 10.1.
    let request = bac_giang();
    let known = income(&request);
    assert!(known.starts_with("standard: ≥ "), "{known}");
    // Without the units' profiles, the income threshold depends on the region: said so.
    let mut unknown = request.clone();
    unknown.inputs.clear();
    let text = income(&unknown);
    assert!(text.starts_with("standard: tùy vùng"), "{text}");
}

#[test]
fn history_of_units_left_without_values_is_said_not_used() {
    let request = bac_giang();
    let with_history: Vec<String> = inputs_by_unit(&request)
        .into_iter()
        .filter(|(_, i)| !i.history.events.is_empty())
        .map(|(code, _)| code)
        .collect();
    assert!(!with_history.is_empty());
    // The template lists each unit's history; nothing else is typed in.
    let template = entry_template(&request, None).unwrap();
    let imported = import_entry(&template, &request, None).unwrap();
    assert!(imported.inputs.is_empty());
    let not_read: Vec<String> = imported
        .history_not_read
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(not_read, with_history);
}
