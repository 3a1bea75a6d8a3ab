//! Authoring and checking policy, beside the pipeline: the built-in national
//! [`catalog`], provincial overlays that fill or tighten it, threshold sheets (CSV),
//! coverage counts, policy validation of sets and data, and policy test cases. Imports
//! [`model`](crate::model) and [`engine`](crate::engine) only.
//!
//! `illustrative` (feature `illustrative`) is a small made-up scheme for examples and
//! tests: not law.

#[cfg(feature = "catalog")]
pub mod catalog;
mod coverage;
#[cfg(feature = "illustrative")]
pub mod illustrative;
mod overlay;
mod policy_tests;
#[cfg(feature = "csv")]
mod sheet;
#[cfg(feature = "xlsx")]
mod sheet_xlsx;
mod validate;
mod validate_data;

pub use coverage::{CoverageCounts, CoverageReport, SetCoverage};
pub use overlay::{
    apply_overlays, apply_overlays_to_sets, entries_for_unknown_sets, threshold_text,
    IndicatorEntry, Overlay, OverlayError, OverlayProblem, Replacement, ThresholdEntry,
};
pub use policy_tests::{
    run_tests, CaseResult, DecisionExpectation, Expectation, Mismatch, PolicyCase, PolicyTests,
    SetExpectation, TestReport,
};
#[cfg(feature = "csv")]
pub use sheet::{
    column_headers, export_sheet, import_sheet, import_sheet_with_limits, sheet_set_id, SheetError,
    SheetProblem, COLUMNS, COLUMN_NAMES_VI,
};
#[cfg(feature = "xlsx")]
pub use sheet_xlsx::{
    export_sheet_xlsx, import_sheet_xlsx, import_sheet_xlsx_with_limits, sheet_set_id_xlsx,
    THRESHOLD_SHEET,
};
pub use validate::{validate_set, validate_tiers, Cell, PolicyProblem, PolicyProblemKind};
pub use validate_data::{validate_data, DataIssue, DataIssueKind};
