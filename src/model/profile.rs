//! Unit profiles (region, commune group, special statuses), the conditions threshold rows
//! and profile rules match on, and profile rules ("especially difficult communes are held to
//! the thresholds of another region").

use crate::model::ids::{Lang, StatusId};
use crate::model::provenance::{Confidence, Source};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The seven socio-economic regions used by the 2016-2020 and 2021-2025 thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Trung du và miền núi phía Bắc (Northern midlands and mountains).
    Tdmnpb,
    /// Đồng bằng sông Hồng (Red River Delta).
    Dbsh,
    /// Bắc Trung Bộ (North Central).
    Btb,
    /// Duyên hải Nam Trung Bộ (South Central Coast).
    Dhntb,
    /// Tây Nguyên (Central Highlands).
    Tn,
    /// Đông Nam Bộ (Southeast).
    Dnb,
    /// Đồng bằng sông Cửu Long (Mekong Delta).
    Dbscl,
}

impl Region {
    /// All seven regions, in the order the criteria tables list them.
    pub const ALL: [Region; 7] = [
        Region::Tdmnpb,
        Region::Dbsh,
        Region::Btb,
        Region::Dhntb,
        Region::Tn,
        Region::Dnb,
        Region::Dbscl,
    ];

    /// The region's name in the given language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Region::Tdmnpb, Lang::Vi) => "Trung du và miền núi phía Bắc",
            (Region::Tdmnpb, Lang::En) => "Northern midlands and mountains",
            (Region::Dbsh, Lang::Vi) => "Đồng bằng sông Hồng",
            (Region::Dbsh, Lang::En) => "Red River Delta",
            (Region::Btb, Lang::Vi) => "Bắc Trung Bộ",
            (Region::Btb, Lang::En) => "North Central",
            (Region::Dhntb, Lang::Vi) => "Duyên hải Nam Trung Bộ",
            (Region::Dhntb, Lang::En) => "South Central Coast",
            (Region::Tn, Lang::Vi) => "Tây Nguyên",
            (Region::Tn, Lang::En) => "Central Highlands",
            (Region::Dnb, Lang::Vi) => "Đông Nam Bộ",
            (Region::Dnb, Lang::En) => "Southeast",
            (Region::Dbscl, Lang::Vi) => "Đồng bằng sông Cửu Long",
            (Region::Dbscl, Lang::En) => "Mekong Delta",
        }
    }
}

/// Commune group of the 2026-2030 scheme (Decision 51/2025/QĐ-TTg).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommuneGroup {
    /// Group 1: urbanising communes.
    Group1,
    /// Group 2: all other communes.
    Group2,
    /// Group 3: Region II and III communes of ethnic-minority and mountain areas.
    Group3,
}

impl CommuneGroup {
    /// All three groups.
    pub const ALL: [CommuneGroup; 3] = [
        CommuneGroup::Group1,
        CommuneGroup::Group2,
        CommuneGroup::Group3,
    ];
}

/// What a unit is, as far as threshold selection cares: its region, commune group and
/// special statuses. The region override for especially difficult communes is not here:
/// it is a [`ProfileRule`] of the criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Socio-economic region, if the scheme uses regions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// Commune group, if the scheme uses groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune_group: Option<CommuneGroup>,
    /// Special statuses (`"especially_difficult"`, ...).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub statuses: BTreeSet<StatusId>,
}

impl Profile {
    /// A profile with only a region.
    pub fn in_region(region: Region) -> Self {
        Self {
            region: Some(region),
            ..Self::default()
        }
    }

    /// A profile with only a commune group.
    pub fn in_group(group: CommuneGroup) -> Self {
        Self {
            commune_group: Some(group),
            ..Self::default()
        }
    }

    /// Adds a status (builder style).
    #[must_use]
    pub fn with_status(mut self, status: impl Into<StatusId>) -> Self {
        self.statuses.insert(status.into());
        self
    }
}

/// Conditions on a unit's profile. Each non-empty list must match; an empty list matches
/// anything. A unit without a region never matches a non-empty `regions` list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileMatch {
    /// The unit's region is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// The unit's commune group is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commune_groups: Vec<CommuneGroup>,
    /// The unit has every one of these statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<StatusId>,
    /// The unit has none of these statuses (for "otherwise" rows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent_statuses: Vec<StatusId>,
}

impl ProfileMatch {
    /// Whether the conditions hold no restriction at all.
    pub fn is_any(&self) -> bool {
        self.regions.is_empty()
            && self.commune_groups.is_empty()
            && self.statuses.is_empty()
            && self.absent_statuses.is_empty()
    }
}

/// A rule of a criteria set that changes the profile used to select thresholds.
///
/// Decision 318/QĐ-TTg holds especially difficult communes, and safe-zone communes in poor
/// districts, to the northern midlands and mountains thresholds: that is a `ProfileRule`
/// with `when.statuses = ["especially_difficult"]` and `assess_as_region = "tdmnpb"`.
/// Rules are tried in order; every matching rule applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileRule {
    /// When the rule applies.
    pub when: ProfileMatch,
    /// Region whose thresholds apply instead of the unit's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assess_as_region: Option<Region>,
    /// Commune group whose thresholds apply instead of the unit's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assess_as_group: Option<CommuneGroup>,
    /// Where the rule comes from.
    pub source: Source,
    /// How sure the rule is.
    pub confidence: Confidence,
}
