//! Vietnam's New Rural Development criteria (Nông thôn mới, NTM) as executable,
//! explainable, exact rules.
//!
//! ```
//! use ntm_rules::compile;
//! use ntm_rules::engine::{Verdict, decide};
//! use ntm_rules::policy::illustrative;
//! use ntm_rules::model::{History, Profile, Region};
//!
//! // 1. Criteria sets are data (here the illustrative sets: made up, not law).
//! let sets = illustrative::commune_sets();
//! // 2. Compile each set once for a unit profile and a year.
//! let profile = Profile::in_region(Region::Tdmnpb);
//! let programs = sets
//!     .iter()
//!     .map(|s| compile(s, &profile, 2022))
//!     .collect::<Result<Vec<_>, _>>()?;
//! // 3. Evaluate a unit's indicator data: per indicator and criterion, with margins.
//! let data = illustrative::sample_commune("07672", 2022);
//! let assessments = programs
//!     .iter()
//!     .map(|p| p.evaluate(&data))
//!     .collect::<Result<Vec<_>, _>>()?;
//! assert_eq!(assessments[0].totals.met, 5);
//! // 4. Decide, from the assessments and the unit's recognition history.
//! let decision = decide(&assessments, &History::default())?;
//! assert!(matches!(decision.verdict, Verdict::Recognise { .. }));
//! # Ok::<(), ntm_rules::Error>(())
//! ```
//!
//! # The pipeline
//!
//! ```text
//! CriteriaSet (data) --compile(profile, year)--> Program --evaluate(data)--> Assessment
//! Assessments + History --decide--> Decision (recognise / maintain / revoke / not yet)
//! ```
//!
//! The layers, each a module, each importing only the layers before it:
//!
//! - [`model`]: plain data (serde + JSON Schema).
//! - [`engine`]: one unit: check, compile, bind, assess, decide.
//! - [`policy`]: the catalog, overlays, sheets, coverage, validation, policy test cases
//!   (beside the pipeline; imports model and engine only).
//! - [`tree`]: many units: the administrative tree, the bottom-up pass, plans.
//! - [`report`]: reports as data, text and CSV.
//! - [`contract`]: the versioned JSON request/response, schemas, the file system.
//!
//! Numbers are [`rust_decimal::Decimal`] throughout; no floating point is used in any
//! decision. Decimals are written in JSON as strings (`"78.5"`) or integers.
//!
//! # Minimum supported Rust version
//!
//! Rust 1.85. Raising it is a minor-version change and is noted in the changelog.
//!
//! # Features
//!
//! None: the crate has no optional parts. Its dependencies are serde, serde_json,
//! serde_path_to_error (JSON paths in errors), thiserror, rust_decimal, schemars and csv.

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
pub use engine::{compile, decide, Assessment, Decision, Outcome, Program, Verdict};
pub use model::{
    AdminUnit, CriteriaSet, Date, History, IndicatorData, Lang, Level, Profile, Region, Value,
};
pub use report::Report;
pub use tree::{aggregate, Aggregation, Hierarchy};

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
