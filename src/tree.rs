//! The third layer: many units. The administrative tree ([`Hierarchy`]), the one
//! bottom-up pass that evaluates, decides and sums it ([`aggregate`]), derived indicators,
//! summaries and roll-ups, and annual plans with their progress ([`Plan`]). Imports
//! [`model`](crate::model) and [`engine`](crate::engine) only.

mod derive;
mod graph;
mod hierarchy;
mod input;
mod merger;
mod pass;
mod plan;
mod positions;
mod result;
mod rollup;
mod summarise;
mod summary;
mod unknown;

pub use hierarchy::{Hierarchy, TreeError, TreeProblem};
pub use input::{
    AggregateOptions, LevelSets, NegativeWeight, RollUp, RollUpMethod, UnitInput, Weight,
};
pub use merger::{MergedPart, Merger, MergerRule};
pub use pass::aggregate;
pub use plan::{
    Denominator, Measure, Period, Plan, PlanProgress, Progress, Target, TargetStatus, ValueSource,
};
pub use result::{
    Aggregation, DerivedProblem, Excluded, ExclusionReason, IncompleteProfile, ScopeReason,
    UnitResult, UnitStatus,
};
pub use summary::{
    bands_for, Average, Band, CriteriaStats, CriterionCount, LeftOut, LevelCounts, NoValue,
    RollUpValue, Share, Summary, TierCounts,
};
pub use unknown::UnknownReason;
