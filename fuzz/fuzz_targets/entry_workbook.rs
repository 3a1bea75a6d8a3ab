//! The data-entry workbook import (`contract::import_entry`, `import_entry_csv`; feature
//! `xlsx`): each input takes the template the crate writes for a shipped request
//! (`entry_template`) and fills or spoils its cells (values, not-applicable words,
//! codes, profiles, weights, history rows, rows deleted or copied, numbers with too many
//! digits, formula errors), as a workbook or one level sheet as CSV; now and then the
//! workbook's bytes are damaged. The inputs read are then run through the facade.
//!
//! Must hold: every problem names its cell in a sheet; the inputs are of units of the
//! request, one each; a unit whose history is said unused has no input; the request with
//! the imported inputs gives a response valid against the response schema whose errors
//! name their place.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ntm_fuzz::sheet::{apply, sheets, to_csv, to_xlsx, CellEdit, CsvStyle, Sheet};
use ntm_fuzz::{check_response, request_seeds};
use ntm_rules::contract::{entry_template, import_entry, import_entry_csv, response_for, Request};
use ntm_rules::model::{from_json, read_workbook, Level, Limits};
use std::collections::BTreeSet;
use std::sync::OnceLock;

#[derive(Debug, Arbitrary)]
struct Input {
    request: u8,
    /// One level sheet as CSV (the sheet's index), else the workbook.
    csv: Option<(u8, CsvStyle)>,
    edits: Vec<CellEdit>,
    damage: Option<(u32, u8)>,
}

struct Template {
    seed: usize,
    request: Request,
    sheets: Vec<Sheet>,
}

/// The template of shipped request `n`, if it has one (built on first use).
fn template(n: usize) -> Option<&'static Template> {
    static CELL: OnceLock<Vec<OnceLock<Option<Template>>>> = OnceLock::new();
    let cells = CELL.get_or_init(|| request_seeds().iter().map(|_| OnceLock::new()).collect());
    let seed = n % cells.len();
    cells[seed]
        .get_or_init(|| {
            let text = request_seeds()[seed].value.to_string();
            let request: Request = from_json("request", &text).ok()?;
            let bytes = entry_template(&request, None).ok()?;
            let grids = read_workbook(&bytes).unwrap_or_else(|e| panic!("template: {e}"));
            Some(Template {
                seed,
                request,
                sheets: sheets(&grids),
            })
        })
        .as_ref()
}

const LEVELS: [Level; 5] = [
    Level::Village,
    Level::Commune,
    Level::District,
    Level::Province,
    Level::Country,
];

fuzz_target!(
    init: {
        // The templates are written before the first input (not inside its time limit).
        for n in 0..request_seeds().len() {
            let _ = template(n);
        }
    },
    |input: Input| {
    let Some(t) = template(usize::from(input.request)) else { return };
    let mut book = t.sheets.clone();
    apply(&mut book, &input.edits);
    let imported = match &input.csv {
        Some((n, style)) => {
            let sheet = &book[usize::from(*n) % book.len()];
            let level = LEVELS
                .into_iter()
                .find(|l| Some(ntm_rules::contract::level_sheet(*l)) == sheet.name.as_deref())
                .unwrap_or(Level::Commune);
            import_entry_csv(&to_csv(sheet, style), level, &t.request, None)
        }
        None => {
            let mut bytes = to_xlsx(&book);
            if let Some((at, b)) = input.damage {
                if !bytes.is_empty() {
                    let at = usize::try_from(at).unwrap_or(0) % bytes.len();
                    bytes[at] ^= b | 1;
                }
            }
            import_entry(&bytes, &t.request, None)
        }
    };
    let import = match imported {
        Ok(i) => i,
        Err(e) => return assert!(!e.to_string().is_empty(), "an entry error without a message"),
    };
    for p in &import.problems {
        assert!(p.place.sheet.is_some() && p.place.row > 0, "a problem without its cell: {p}");
    }
    let codes: BTreeSet<&str> = t.request.units.iter().map(|u| u.code.as_str()).collect();
    let mut read = BTreeSet::new();
    for i in &import.inputs {
        let unit = i.data.unit.as_str();
        assert!(codes.contains(unit), "an input of unit `{unit}` not in the request");
        assert!(read.insert(unit), "two inputs of unit `{unit}`");
    }
    for u in &import.history_not_read {
        assert!(!read.contains(u.as_str()), "history of `{u}` said unused, but it has an input");
    }
    let mut request = request_seeds()[t.seed].value.clone();
    request["inputs"] = serde_json::to_value(&import.inputs).unwrap_or_default();
    let text = request.to_string();
    check_response(&response_for(&text, &Limits::default()), &text);
    }
);
