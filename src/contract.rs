//! The top layer, the versioned JSON contract: one request (a whole province or country) in, one
//! response out. This is what the `ntm` command line, the C ABI and other languages use;
//! Rust services can use the same types.
//!
//! A request (`"version": 1`) carries the reporting year and date, the administrative
//! units, the criteria sets per level (from the built-in catalog by id, or inline),
//! provincial overlays, each unit's input (indicator data, profile, history, weights),
//! the roll-ups wanted and an optional plan. The response carries every unit's decision,
//! the summaries per unit, plan progress and diagnostics.
//!
//! **Batch-first and fault-tolerant.** Every unit input is read on its own: a malformed
//! one is reported in the diagnostics (with its JSON path and unit code), its unit is
//! excluded from the counts (reason `unreadable`), and the others are still evaluated. Units with bad data are excluded from the counts and reported.
//! Only a request that cannot be read at all, or whose tree is invalid, gives no
//! results; its diagnostics then say why. [`handle_json`] never panics and always
//! returns a JSON response.
//!
//! The JSON Schemas are `schema(SchemaKind::Request)` and `schema(SchemaKind::Response)`;
//! `examples/requests/` holds an example request and its response.
//!
//! This layer holds the only code of the crate that touches the file system
//! ([`Request::from_dir`], [`Report::write_csv`](crate::report::Report::write_csv) is the
//! other), and the JSON Schemas of every format ([`schema`]).
//!
//! With the feature `xlsx`, the data-entry workbooks of a request: `entry_template`
//! writes one for a scope, and `import_entry` / `import_entry_csv` read a filled one back
//! as unit inputs, naming every bad cell (`Xã!F12`).

mod answer;
mod dataset;
#[cfg(feature = "xlsx")]
mod entry_import;
#[cfg(feature = "xlsx")]
mod entry_layout;
#[cfg(feature = "xlsx")]
mod entry_template;
mod facade;
#[cfg(feature = "csv")]
mod files;
mod planning;
mod prepare;
mod questions;
mod request;
mod request_limits;
mod response;
mod response_writer;
mod run;
#[cfg(feature = "schema")]
mod schema;
mod what_if;
mod what_if_run;

pub use dataset::{DatasetError, Manifest};
#[cfg(feature = "xlsx")]
pub use entry_import::{
    import_entry, import_entry_csv, import_entry_csv_with_limits, import_entry_with_limits,
    EntryImport, EntryProblem,
};
#[cfg(feature = "xlsx")]
pub use entry_layout::{level_sheet, EntryError, CODES_SHEET, HISTORY_SHEET};
#[cfg(feature = "xlsx")]
pub use entry_template::{entry_template, NOT_APPLICABLE_WORDS};
pub use facade::{handle_json, handle_json_with_limits, response_for};
pub use planning::NewUnitsTarget;
pub use questions::{Answer, AnswerBody, Question};
pub use request::{Request, RequestInput, SetSource, VERSION};
pub use response::{Diagnostic, Response, RunError, Severity};
pub use run::{run, Run};
#[cfg(feature = "schema")]
pub use schema::{schema, SchemaKind};
pub use what_if::{
    TargetChange, UnitChange, UnitState, ValueChange, WhatIf, WhatIfDiff, WhatIfError,
};
