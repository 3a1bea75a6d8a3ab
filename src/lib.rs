//! Vietnam's New Rural Development criteria (Nông thôn mới, NTM) as executable,
//! explainable, exact rules.
//!
//! # One commune
//!
//! An [`Evaluator`] holds the criteria sets of one level (one per tier) for a reporting
//! year and compiles them once per profile; one call gives a unit's assessments (per
//! indicator and criterion, with margins and the legal source of every threshold) and
//! its decision.
//!
//! ```
//! use ntm_rules::policy::illustrative;
//! use ntm_rules::{Evaluator, History, Profile, Region, Verdict};
//!
//! // The illustrative sets: made up, shaped like the national ones, not law. The
//! // national sets are in `policy::catalog`; a province fills them with an overlay.
//! let mut communes = Evaluator::new(illustrative::commune_sets(), 2022);
//! let data = illustrative::sample_commune("07672", 2022);
//! let unit = communes.evaluate(&Profile::in_region(Region::Tdmnpb), &data, &History::default())?;
//! assert_eq!(unit.assessments[0].totals.met, 5);
//! assert!(matches!(unit.decision.verdict, Verdict::Recognise { .. }));
//! # Ok::<(), ntm_rules::Error>(())
//! ```
//!
//! # One province
//!
//! [`aggregate`] runs one bottom-up pass over a validated [`Hierarchy`]: every unit
//! evaluated and decided, derived indicators of districts and provinces computed from
//! their children, counts and shares summed up the tree. [`Report`] turns it into the
//! plan's tables, as data, text (Vietnamese or English) or CSV.
//!
//! ```
//! use ntm_rules::policy::illustrative;
//! use ntm_rules::{
//!     aggregate, AdminUnit, AggregateOptions, Date, Hierarchy, IndicatorData, Lang, Level,
//!     LevelSets, Profile, Region, Report, ReportOptions, UnitInput,
//! };
//!
//! let tree = Hierarchy::new(vec![
//!     AdminUnit::new("P", "Tỉnh mẫu", Level::Province),
//!     AdminUnit::new("C1", "Xã Một", Level::Commune).with_parent("P"),
//!     AdminUnit::new("C2", "Xã Hai", Level::Commune).with_parent("P"),
//! ], Date::end_of_year(2022))?;
//! let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
//! let profile = Profile::in_region(Region::Tdmnpb);
//! let inputs = vec![
//!     UnitInput::new(illustrative::sample_commune("C1", 2022)).with_profile(profile.clone()),
//!     UnitInput::new(IndicatorData::new("C2", 2022)).with_profile(profile), // no data yet
//! ];
//! let agg = aggregate(&tree, 2022, &sets, &inputs, &AggregateOptions::default());
//! let report = Report::build(&tree, &agg, &sets, "P", &ReportOptions::default())?;
//! let text = report.to_text(Lang::En);
//! assert!(text.contains("1/2 (50.0%)"), "{text}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Other languages use the versioned JSON contract ([`contract`]: one [`Request`] in,
//! one [`Response`] out), through the `ntm` command line (`cli/`) or the C ABI
//! (`bindings/c/`).
//!
//! # The pipeline
//!
//! ```text
//! CriteriaSet (data) --compile(profile, year)--> Program --evaluate(data)--> Assessment
//! Assessments + History --decide--> Decision (recognise / maintain / revoke / not yet)
//! Hierarchy + sets + inputs --aggregate--> Aggregation (results, summaries) --> Report
//! ```
//!
//! # The layers
//!
//! Each layer is a module and imports only the layers below it (`tests/layers.rs`
//! enforces it):
//!
//! ```text
//! model  <-  engine  <-  policy
//!                    <-  tree  <-  report  <-  contract
//! ```
//!
//! - [`model`]: plain data, the serde model of what users write: criteria sets with
//!   provenance on every threshold, profiles, indicator data, histories, administrative
//!   units, exact decimals, loading with limits.
//! - [`engine`]: one unit: [`check_set`](engine::check_set), [`compile`],
//!   [`Program`], bind, assess, [`decide`], [`Evaluator`].
//! - [`policy`]: authoring, beside the pipeline (imports model and engine only): the
//!   built-in national catalog, provincial overlays, threshold sheets, coverage, policy
//!   validation, policy test cases.
//! - [`tree`]: many units: the [`Hierarchy`], the bottom-up pass, derived indicators,
//!   summaries, roll-ups, plans.
//! - [`report`]: the report model, number and date formatting, text, CSV.
//! - [`contract`]: the versioned JSON request and response, JSON Schemas, and the only
//!   code that touches the file system.
//!
//! Numbers are [`rust_decimal::Decimal`] throughout; no floating point is used in any
//! decision. Decimals are written in JSON as strings (`"78.5"`) or integers. The design
//! notes are in `DESIGN.md`.
//!
//! # Minimum supported Rust version
//!
//! Rust 1.85. The workspace uses the MSRV-aware resolver, and CI checks that no locked
//! dependency asks for a newer Rust. Raising it is a minor-version change and is noted
//! in the changelog.
//!
//! # Features
//!
//! - `catalog` (default): the national criteria sets, embedded ([`policy::catalog`]),
//!   and catalog ids in requests.
//! - `schema` (default): JSON Schemas of every file format (`contract::schema`), derived
//!   with schemars.
//! - `csv` (default): threshold sheets (`policy::export_sheet`, `import_sheet`) and the
//!   report's CSV tables (`Report::to_csv`, `write_csv`), with the csv crate.
//! - `xlsx` (off by default; on in the `ntm` command line): spreadsheets. Data-entry
//!   workbooks (`contract::entry_template`, `contract::import_entry`), threshold sheets
//!   as workbooks (`policy::export_sheet_xlsx`, `import_sheet_xlsx`) and report
//!   workbooks (`Report::to_xlsx`, `write_files`); written with rust_xlsxwriter, read
//!   with calamine. Implies `csv`.
//! - `reference`: `engine::reference`, an independent slow evaluator that the property
//!   tests compare the compiled engine with.
//! - `illustrative`: `policy::illustrative`, a small made-up scheme for examples and
//!   tests (not law).
//!
//! Always used: serde, serde_json, serde_path_to_error (JSON paths in errors),
//! thiserror and rust_decimal.

#![forbid(unsafe_code)]
#![deny(rustdoc::broken_intra_doc_links)]
#![doc(test(attr(deny(warnings))))]

pub mod contract;
pub mod engine;
mod error;
pub mod model;
pub mod policy;
pub mod report;
pub mod tree;

pub use error::Error;

// The front door: what one commune and one province need. Everything else is in the
// layer modules above.
pub use contract::{Request, Response};
pub use engine::{compile, decide, Assessment, Decision, Evaluator, Program, Verdict};
pub use model::{
    AdminUnit, CriteriaSet, Date, History, IndicatorData, Lang, Level, Profile, Region, Value,
};
pub use report::{Report, ReportOptions};
pub use tree::{aggregate, AggregateOptions, Aggregation, Hierarchy, LevelSets, UnitInput};

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
