//! Threshold sheets, CSV and `.xlsx` (`policy::import_sheet`, `import_sheet_xlsx`):
//! each input takes the sheet the crate exports for a shipped set (the national catalog,
//! the illustrative sets) and edits its cells as a province would fill it (values,
//! years, regions, groups, sources, confidence, rows deleted or copied, numbers with too
//! many digits, formula errors), written as CSV (any delimiter, BOM, CRLF) or as a
//! workbook; now and then the workbook's bytes are damaged.
//!
//! Must hold: a refused sheet lists problems that each name their line or cell; an
//! accepted sheet gives an overlay that round-trips through serde; applying it either
//! fails with located problems or gives a set whose own sheet, exported and imported,
//! gives no entry (the same set).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use ntm_fuzz::sheet::{apply, sheets, to_csv, to_xlsx, CellEdit, CsvStyle, Sheet};
use ntm_fuzz::{all_sets, check_located, check_round_trip};
use ntm_rules::model::{read_csv, read_workbook, Confidence, CriteriaSet, Label, Source};
use ntm_rules::policy::{
    apply_overlays, export_sheet, export_sheet_xlsx, import_sheet, import_sheet_xlsx, Overlay,
    SheetError,
};
use std::sync::OnceLock;

#[derive(Debug, Arbitrary)]
struct Input {
    set: u8,
    xlsx: bool,
    edits: Vec<CellEdit>,
    style: CsvStyle,
    /// Damage the workbook's bytes: (position, byte).
    damage: Option<(u32, u8)>,
}

fn overlay() -> Overlay {
    Overlay::new(
        "fuzz-sheet",
        Label::new("UBND tỉnh", "Province"),
        Source::document("1/QĐ-UBND"),
        Confidence::Illustrative,
    )
}

/// Every set's exported sheet, as CSV grids and as workbook grids.
fn exported() -> &'static [(Vec<Sheet>, Vec<Sheet>)] {
    static CELL: OnceLock<Vec<(Vec<Sheet>, Vec<Sheet>)>> = OnceLock::new();
    CELL.get_or_init(|| {
        all_sets()
            .iter()
            .map(|set| {
                let csv = export_sheet(set).unwrap_or_else(|e| panic!("export: {e}"));
                let grid = read_csv(&csv, None).unwrap_or_else(|e| panic!("read: {e}"));
                let xlsx = export_sheet_xlsx(set).unwrap_or_else(|e| panic!("export: {e}"));
                let book = read_workbook(&xlsx).unwrap_or_else(|e| panic!("read: {e}"));
                (sheets(&[grid]), sheets(&book))
            })
            .collect()
    })
}

fn check_refused(e: &SheetError) {
    assert!(!e.problems().is_empty(), "a sheet error without problems");
    for p in e.problems() {
        check_located(&p.location(), "sheet", p);
    }
}

fn same_set(set: &CriteriaSet) {
    let csv = export_sheet(set).unwrap_or_else(|e| panic!("export of `{}`: {e}", set.id));
    match import_sheet(&csv, set, overlay()) {
        Ok(o) => assert!(
            o.thresholds.is_empty() && o.indicators.is_empty(),
            "a set's own sheet gives entries: {o:?}"
        ),
        Err(e) => panic!("a set's own sheet is refused: {e}\n{csv}"),
    }
}

fuzz_target!(
    init: {
        // The sheets are exported before the first input (not inside its time limit).
        let _ = exported();
    },
    |input: Input| {
    let n = usize::from(input.set) % all_sets().len();
    let set = &all_sets()[n];
    let (csv, book) = &exported()[n];
    let imported = if input.xlsx {
        let mut book = book.clone();
        apply(&mut book, &input.edits);
        let mut bytes = to_xlsx(&book);
        if let Some((at, b)) = input.damage {
            if !bytes.is_empty() {
                let at = usize::try_from(at).unwrap_or(0) % bytes.len();
                bytes[at] ^= b | 1;
            }
        }
        import_sheet_xlsx(&bytes, set, overlay())
    } else {
        let mut csv = csv.clone();
        apply(&mut csv, &input.edits);
        let text = csv.first().map(|s| to_csv(s, &input.style)).unwrap_or_default();
        import_sheet(&text, set, overlay())
    };
    let overlay = match imported {
        Ok(o) => o,
        Err(e) => return check_refused(&e),
    };
    check_round_trip(&overlay, Overlay::from_json, Overlay::to_json);
    match apply_overlays(set, &[overlay]) {
        Ok(changed) => same_set(&changed),
        Err(e) => {
            assert!(!e.problems().is_empty(), "an overlay error without problems");
            for p in e.problems() {
                check_located(p.location(), "overlay of a sheet", p);
            }
        }
    }
    }
);
