//! The third layer: many units. The administrative tree ([`Hierarchy`]), the one
//! bottom-up pass that evaluates, decides and sums it ([`aggregate`]), derived indicators,
//! summaries and roll-ups, annual plans with their progress ([`Plan`]), and planning:
//! a unit's [`gaps`] to a tier, its [`roadmap`], and the [candidates](select) for a plan
//! target, and procedure [milestones](Schedule). Imports
//! [`model`](crate::model) and [`engine`](crate::engine) only.

mod candidates;
mod compact;
mod cost;
mod counting;
mod derive;
mod exact_sum;
mod flat;
mod gaps;
mod graph;
mod hierarchy;
mod ids;
mod input;
mod input_columns;
mod input_columns_error;
mod merger;
mod milestones;
mod pass;
mod plan;
mod positions;
mod result;
mod roadmap;
mod rollup;
mod summarise;
mod summary;
mod unknown;
mod view;

pub use candidates::{
    candidate, select, select_criteria, Candidate, CriteriaSelection, CriterionCandidate,
    NotCandidate, Selection,
};
pub use compact::{
    aggregate_compact, CompactAggregation, CompactInputs, CompactResult, CompactStatus,
};
pub use cost::{Cost, CostModel, Ranking};
pub use gaps::{
    apply_changes, gaps, CriterionGap, IndicatorGap, PlanError, Shortfall, TierGap, UnitGaps,
};
pub use hierarchy::{Hierarchy, TreeError, TreeProblem};
pub use input::{
    AggregateOptions, LevelSets, NegativeWeight, RollUp, RollUpMethod, UnitInput, Weight,
};
pub use input_columns::{ColumnInputError, InputColumns};
pub use merger::{MergedPart, Merger, MergerRule};
pub use milestones::{
    Deadline, Milestone, MilestoneError, MilestoneProgress, MilestoneStatus, PlanMilestones,
    ProcedureStep, Schedule, UnitProcedure,
};
pub use pass::aggregate;
pub use plan::{
    Denominator, Measure, Period, Plan, PlanProgress, Progress, Target, TargetStatus, ValueSource,
};
pub use result::{
    Aggregation, DerivedProblem, Excluded, ExclusionReason, IncompleteProfile, ScopeReason,
    UnitResult, UnitStatus,
};
pub use roadmap::{roadmap, Blocker, Roadmap, RoadmapOptions, RoadmapYear, Step, DEFAULT_PER_YEAR};
pub use summary::{
    bands_for, Average, Band, CriteriaStats, CriterionCount, LeftOut, LevelCounts, NoValue,
    RollUpValue, Share, Summary, TierCounts,
};
pub use unknown::UnknownReason;
