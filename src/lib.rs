//! Vietnam's New Rural Development criteria (Nông thôn mới, NTM) as executable,
//! explainable, exact rules.
//!
//! ```
//! use ntm_rules::{compile, decide, illustrative, History, Profile, Region, Verdict};
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
//! - [`definitions`]: the plain-data model (serde + JSON Schema): schemes, tiers, sets,
//!   criteria, indicators, threshold tables with provenance, profiles, data, history.
//! - [`compile`]: checks a set and resolves its thresholds for a profile and year into
//!   an opaque, reusable, `Send + Sync` [`Program`].
//! - [`Program::evaluate`]: indicator data → [`Assessment`]; [`reference::evaluate`] is
//!   an independent slow evaluator used to check it.
//! - [`decide`]: assessments for the tiers of a level + history → [`Decision`].
//!
//! Around it:
//!
//! - [`catalog`]: the national criteria sets built in, with provenance on every row;
//!   [`overlay`] (provincial overlays that fill or tighten them), [`coverage`] (how much
//!   of a set is known) and [`sheet`] (threshold tables as CSV and back).
//! - [`validate`]: policy validation of sets (complete, non-overlapping tables; tier
//!   consistency) and of indicator data; [`schema`]: JSON Schemas of every format;
//!   [`policy_tests`]: test cases kept next to a policy.
//! - [`hierarchy`] (the administrative tree), [`aggregate()`] (one bottom-up pass for a
//!   province or the country), [`plan`] (targets and progress) and [`report`] (JSON, CSV,
//!   text in Vietnamese or English).
//! - [`facade`]: the versioned JSON contract used by the command line and the C ABI
//!   (see `examples/`).
//! - [`illustrative`]: a small made-up scheme for examples and tests (not law).
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

pub mod aggregate;
pub mod catalog;
mod compile;
pub mod coverage;
mod decide;
pub mod definitions;
mod error;
mod evaluate;
pub mod facade;
pub mod hierarchy;
pub mod illustrative;
mod load;
pub mod overlay;
pub mod plan;
pub mod policy_tests;
pub mod reference;
pub mod report;
pub mod schema;
pub mod sheet;
pub mod validate;

pub use aggregate::{
    aggregate, aggregate_excluding, Aggregation, Dataset, LevelSets, RollUp, Summary, UnitInput,
};
pub use compile::{compile, Program, SchemeTiers};
pub use decide::{decide, CannotDecide, ClauseKind, Decision, Gap, RevocationClause, Verdict};
pub use definitions::{
    ChildMeasure, CommuneGroup, Confidence, CriteriaSet, Criterion, CriterionId, Derivation,
    EventKind, History, Indicator, IndicatorData, IndicatorId, Label, Lang, Level, PassRule,
    Profile, ProfileMatch, ProfileRule, RecognitionEvent, Region, Requirement, RevocationRule,
    Scheme, SchemeId, SetId, ShareComparison, Source, StatusId, Threshold, ThresholdRow, Tier,
    TierId, Unit, UnitCode, Value, ValueKind, YearRange,
};
pub use error::{
    CompileError, DataError, DataProblem, DataProblemKind, DecideError, Error, LoadError,
    SetLocation, SetProblem, SetProblemKind,
};
pub use evaluate::{
    Assessment, BoundData, CriterionAssessment, IndicatorAssessment, IndicatorOutcome, Outcome,
    Provenance, Totals, UndeterminedReason,
};
pub use hierarchy::{AdminUnit, Date, Hierarchy, TreeError, UnitKind};
pub use load::{from_json, from_json_with_limits, Limits};

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
