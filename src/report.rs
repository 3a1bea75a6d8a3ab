//! Reports for a scope unit (a province, a district): as data (serde), as CSV tables,
//! and as text in Vietnamese or English. The fourth layer, the last stage of the
//! pipeline. Imports [`model`](crate::model), [`engine`](crate::engine) and
//! [`tree`](crate::tree).
//!
//! [`Report::build`] gathers, for the scope: its [`Summary`](crate::tree::Summary) (counts by tier, shares
//! with explicit denominators, criteria statistics, roll-ups), a row per direct child
//! (district), a row per commune, the number of communes meeting each criterion, plan
//! progress, and every unit excluded or derived value left missing, with the reason.
//!
//! **Rounding.** Every figure in a report is exact ([`rust_decimal::Decimal`]); rounding
//! happens only when a figure is displayed: percentages and averages are rounded half
//! away from zero to one decimal ([`round_display`](crate::model::round_display): 147/184 = 79.891…% → 79.9%;
//! 3146/184 = 17.097… → 17.1). CSV tables carry both the exact value and the displayed
//! one. Vietnamese text writes numbers the Vietnamese way (79,9%; 3.146), English text
//! the English way (79.9%; 3,146); CSV uses plain machine numbers (79.9; 3146).

mod build;
#[cfg(feature = "xlsx")]
mod column_labels;
mod commune_text;
#[cfg(feature = "csv")]
mod csv;
mod diagnostics;
mod format;
#[cfg(feature = "html")]
mod html;
#[cfg(feature = "html")]
mod html_charts;
#[cfg(feature = "html")]
mod html_summary;
mod labels;
mod milestones_text;
mod plan_text;
mod planning;
#[cfg(feature = "csv")]
mod planning_csv;
mod rollup_text;
mod text;
mod units_text;
#[cfg(feature = "xlsx")]
mod workbook;

pub use build::{
    ChildRow, CriterionRow, CsvTable, Report, ReportError, ReportOptions, SetUsed, TierName,
    UnitRow,
};
pub use format::{format_number, format_percent};
pub use planning::{
    cost_text, criteria_selection_text, gaps_text, indicator_gap_line, roadmap_text, selection_text,
};
#[cfg(feature = "csv")]
pub use planning_csv::{candidates_csv, criteria_candidates_csv, gaps_csv, roadmap_csv};
