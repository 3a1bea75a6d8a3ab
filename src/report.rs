//! The report model and [`Report::build`]: the rows, tables and plan progress of one scope
//! unit, gathered from a tree and its aggregation.

mod build;
mod csv;
mod format;
mod text;

pub use build::{
    ChildRow, CriterionRow, CsvTable, Report, ReportError, SetUsed, TierName, UnitRow,
};
pub use format::{format_number, format_percent};
