//! The second layer: one unit against the criteria sets of its level. Imports
//! [`model`](crate::model) only.
//!
//! ```text
//! CriteriaSet --check_set--> problems          (structure, every problem at once)
//! CriteriaSet --compile(profile, year)--> Program
//! Program × IndicatorData --bind--> BoundData --assess--> Assessment   (or totals: counts only)
//! Assessments + History --decide--> Decision   (recognise / maintain / revoke / not yet)
//! ```
//!
//! - [`compile`] resolves every threshold for one profile and year into an opaque,
//!   reusable, `Send + Sync` [`Program`]; the exact integer keys it compares with are in one
//!   place (`keys.rs`, see `DESIGN.md`, "Performance").
//! - [`Program::evaluate`] gives the full explanation per indicator and criterion, with
//!   margins and the threshold row used; [`Program::totals`] and [`Program::totals_batch`]
//!   count criteria without building it.
//! - [`decide`] applies revocation first, then climbs the tiers.
//! - `reference` (feature `reference`) is an independent slow evaluator that the property
//!   tests compare the compiled one with.

mod assessment;
mod bind;
mod check;
mod columns;
mod compact;
mod compile;
mod decide;
mod evaluate;
mod evaluator;
mod history;
mod keyer;
mod keying;
mod keys;
mod masks;
#[cfg(feature = "rayon")]
mod parallel;
mod problem;
mod profile_fields;
mod program;
#[cfg(feature = "reference")]
pub mod reference;
mod tiers;
mod totals;
mod unused;

pub use assessment::{
    Assessment, CriterionAssessment, IndicatorAssessment, IndicatorOutcome, Outcome, Provenance,
    SchemeTiers, Totals, UndeterminedReason,
};
pub use bind::{BindingMismatch, BoundBatch, BoundData, DataError, DataProblem, DataProblemKind};
pub use check::check_set;
pub use columns::{ColumnError, Columns};
pub use compact::{CompactDecision, TierPrograms, VerdictKind};
pub use compile::compile;
pub use decide::{decide, CannotDecide, ClauseKind, Decision, Gap, RevocationClause, Verdict};
pub use evaluator::{EvaluateError, Evaluator, UnitEvaluation};
pub use history::held_before;
pub use masks::CriteriaMasks;
pub use problem::{CompileError, DecideError, SetProblem, SetProblemKind};
pub use profile_fields::ProfileField;
pub use program::Program;
pub(crate) use program::{Ordered, Resolved};
pub use tiers::check_level_sets;
pub use unused::UnusedValue;
pub(crate) use unused::{edit_distance, KnownIds};
