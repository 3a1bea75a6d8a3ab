//! The fields of a unit's profile that threshold rows are keyed on: [`ProfileField`],
//! and which of them a profile lacks.
//!
//! A profile without a region, read against rows keyed by region, matches none of them:
//! every region-keyed indicator is then undetermined. That is not the law leaving the
//! threshold unknown, nor a gap in the table; it is a missing input. Compile marks such
//! indicators [`UndeterminedReason::ProfileIncomplete`](crate::engine::UndeterminedReason::ProfileIncomplete)
//! and [`Program::profile_lacks`](crate::engine::Program::profile_lacks) names the fields.

use crate::model::{CriteriaSet, Indicator, Profile};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A field of a [`Profile`] that threshold rows can be keyed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProfileField {
    /// The socio-economic region.
    Region,
    /// The commune group (2026-2030).
    CommuneGroup,
}

impl fmt::Display for ProfileField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProfileField::Region => "region",
            ProfileField::CommuneGroup => "commune group",
        })
    }
}

/// The fields that some threshold row of `indicator` is keyed on and `profile` lacks.
pub(crate) fn indicator_lacks(indicator: &Indicator, profile: &Profile) -> Vec<ProfileField> {
    let mut out = Vec::new();
    if profile.region.is_none()
        && indicator
            .thresholds
            .iter()
            .any(|r| !r.when.regions.is_empty())
    {
        out.push(ProfileField::Region);
    }
    if profile.commune_group.is_none()
        && indicator
            .thresholds
            .iter()
            .any(|r| !r.when.commune_groups.is_empty())
    {
        out.push(ProfileField::CommuneGroup);
    }
    out
}

/// The fields that some threshold row of `set` is keyed on and `profile` (the profile
/// after the set's profile rules) lacks, in order.
pub(crate) fn set_lacks(set: &CriteriaSet, profile: &Profile) -> Vec<ProfileField> {
    let mut out: Vec<ProfileField> = set
        .all_indicators()
        .flat_map(|i| indicator_lacks(i, profile))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}
