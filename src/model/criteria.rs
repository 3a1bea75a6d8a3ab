//! Criteria sets: criteria, indicators, value kinds and units, requirements, threshold
//! tables (rows keyed by profile conditions and year ranges), derived indicators and the
//! revocation rule.

use crate::model::admin::UnitKind;
use crate::model::decimal::decimal_serde;
use crate::model::ids::{CriterionId, IndicatorId, Label, Lang, SetId, TierId};
use crate::model::profile::{ProfileMatch, ProfileRule};
use crate::model::provenance::{Confidence, SetBy, Source};
use crate::model::scheme::{Level, Scheme, YearRange};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A criteria set (bộ tiêu chí): the criteria of one scheme, level and tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CriteriaSet {
    /// Set id.
    pub id: SetId,
    /// Set name.
    pub name: Label,
    /// The scheme (programme period) the set belongs to.
    pub scheme: Scheme,
    /// Administrative level the set applies to.
    pub level: Level,
    /// Tier the set recognises; must be one of `scheme.tiers`.
    pub tier: TierId,
    /// A tier (below this one) that the unit must already hold, by a decision made
    /// before the reporting year, for this tier to be recognised: 319/QĐ-TTg condition 1
    /// makes being an advanced commune a condition of the model tier. Absent: the tiers
    /// below only have to be reached, possibly in the same decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires_held: Option<TierId>,
    /// The kinds of unit of [`level`](Self::level) the set applies to (the NTM commune
    /// sets apply to rural communes, not to wards or townships). Empty: every kind, and
    /// units whose kind is not given. Units of the level that no set applies to are out
    /// of scope, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<UnitKind>,
    /// Legal documents the set comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<Source>,
    /// How sure the set as a whole is. An illustrative set is not law.
    pub confidence: Confidence,
    /// Notes for readers (what is missing, what was assumed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Rules that change the profile used to select thresholds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile_rules: Vec<ProfileRule>,
    /// The criteria, in official order.
    pub criteria: Vec<Criterion>,
    /// Conditions for recognition that are not criteria (no outstanding construction
    /// debt, resident satisfaction, security and order). They are evaluated like
    /// indicators but do not count towards the criteria met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preconditions: Vec<Indicator>,
    /// When a unit that holds this tier loses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<RevocationRule>,
}

impl AsRef<CriteriaSet> for CriteriaSet {
    fn as_ref(&self) -> &CriteriaSet {
        self
    }
}

impl CriteriaSet {
    /// Looks a criterion up by id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id.as_str() == id)
    }

    /// Every indicator of every criterion, then the preconditions, in order.
    pub fn all_indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.criteria
            .iter()
            .flat_map(|c| c.indicators.iter())
            .chain(self.preconditions.iter())
    }
}

/// A criterion (tiêu chí): met when its indicators are, per its [`PassRule`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Official number (`"10"`).
    pub id: CriterionId,
    /// Criterion name.
    pub name: Label,
    /// How many indicators must be met.
    #[serde(default, skip_serializing_if = "PassRule::is_all")]
    pub pass: PassRule,
    /// The indicators, in official order.
    pub indicators: Vec<Indicator>,
}

/// How many of a criterion's indicators must be met.
///
/// Indicators reported as not applicable are left out: `AtLeast(k)` then asks for
/// `min(k, applicable indicators)`, and a criterion whose indicators are all not
/// applicable is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PassRule {
    /// Every indicator (the default).
    #[default]
    All,
    /// At least this many indicators.
    AtLeast(u32),
}

impl PassRule {
    /// Whether this is the default rule.
    pub fn is_all(&self) -> bool {
        matches!(self, PassRule::All)
    }
}

/// An indicator (chỉ tiêu): one measured value, a requirement and its threshold table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Official number (`"10.1"`); unique within the set.
    pub id: IndicatorId,
    /// Indicator name.
    pub name: Label,
    /// Kind of value measured.
    pub kind: ValueKind,
    /// How the value is compared with the threshold.
    pub requirement: Requirement,
    /// Whether data may say "not applicable" (indicators that apply "if any").
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_not_applicable: bool,
    /// For district and province sets: the value is computed from the child units'
    /// results (share of communes at standard, ...) instead of being reported. The
    /// hierarchy pass computes it and supplies it as ordinary data; evaluation treats it
    /// like any other value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derivation>,
    /// Threshold rows, keyed by profile conditions and years. Exactly one row must
    /// match a given profile and year; see [`ThresholdRow`].
    pub thresholds: Vec<ThresholdRow>,
    /// Notes for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a derived indicator's value is computed from the child units of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Derivation {
    /// Level of the children counted (communes of a district, districts of a province).
    pub children: Level,
    /// What is computed over them.
    pub measure: ChildMeasure,
}

/// What a derived indicator computes over child units. Shares are percentages (0–100)
/// of all children of the level, exact; counts are whole numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChildMeasure {
    /// Percent of children holding `tier` (or a higher tier) after this year's decisions.
    ShareAtTier {
        /// The tier.
        tier: TierId,
    },
    /// Number of children holding `tier` (or a higher tier) after this year's decisions.
    CountAtTier {
        /// The tier.
        tier: TierId,
    },
    /// Percent of children whose recognition of `tier` has been revoked (this year or
    /// before, and not recognised again).
    ShareRevoked {
        /// The tier.
        tier: TierId,
    },
    /// Number of children whose recognition of `tier` has been revoked.
    CountRevoked {
        /// The tier.
        tier: TierId,
    },
    /// The smallest value of one of the children's indicators (for "at least 80% in
    /// every commune").
    MinimumOf {
        /// The children's indicator.
        indicator: IndicatorId,
    },
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The kind of value an indicator measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A decimal quantity with a unit. Percentages must lie in 0–100.
    Decimal {
        /// Unit of the quantity.
        unit: Unit,
    },
    /// A whole number ≥ 0 (projects, villages, products).
    Count,
    /// Yes or no (met / not met as assessed by an authority: "Đạt").
    YesNo,
    /// A grade from an ordered list, lowest first.
    Grade {
        /// The grades, lowest first.
        grades: Vec<String>,
    },
}

/// Unit of a decimal indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Percent, 0–100.
    Percent,
    /// Million VND per person per year.
    MillionVndPerPersonYear,
    /// Square metres per person.
    SquareMetresPerPerson,
    /// Any other unit, named.
    Other(String),
}

impl Unit {
    /// Short symbol of the unit for display.
    pub fn symbol(&self, lang: Lang) -> &str {
        match (self, lang) {
            (Unit::Percent, _) => "%",
            (Unit::MillionVndPerPersonYear, Lang::Vi) => "triệu đồng/người/năm",
            (Unit::MillionVndPerPersonYear, Lang::En) => "million VND/person/year",
            (Unit::SquareMetresPerPerson, Lang::Vi) => "m²/người",
            (Unit::SquareMetresPerPerson, Lang::En) => "m²/person",
            (Unit::Other(s), _) => s,
        }
    }
}

/// How a value is compared with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// value ≥ threshold.
    AtLeast,
    /// value ≤ threshold.
    AtMost,
    /// value > threshold.
    Above,
    /// value < threshold.
    Below,
    /// value = threshold (yes/no indicators use this with a flag threshold).
    Equal,
    /// value is one of the threshold's grades.
    OneOf,
}

impl Requirement {
    /// The comparison symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Requirement::AtLeast => "≥",
            Requirement::AtMost => "≤",
            Requirement::Above => ">",
            Requirement::Below => "<",
            Requirement::Equal => "=",
            Requirement::OneOf => "∈",
        }
    }
}

/// One row of an indicator's threshold table.
///
/// A row applies to a unit when its profile (after the set's [`ProfileRule`]s) matches
/// `when` and the year lies in `years` (or `years` is absent: the whole scheme).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThresholdRow {
    /// Profile conditions.
    #[serde(default, skip_serializing_if = "ProfileMatch::is_any")]
    pub when: ProfileMatch,
    /// Years the row applies to; absent means every year of the scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<YearRange>,
    /// The threshold, or the fact that it is unknown.
    pub threshold: Threshold,
    /// Where the threshold comes from.
    pub source: Source,
    /// How sure the threshold is.
    pub confidence: Confidence,
    /// Who sets the value: the decision itself, a ministry's guidance that the decision
    /// leaves the value to, or the province. Absent: not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_by: Option<SetBy>,
}

/// A threshold value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// A number, for decimal and count indicators.
    Number(
        #[serde(with = "decimal_serde")]
        #[cfg_attr(feature = "schema", schemars(with = "decimal_serde::DecimalSchema"))]
        Decimal,
    ),
    /// Yes or no, for yes/no indicators.
    Flag(bool),
    /// A grade, for grade indicators.
    Grade(String),
    /// A set of grades, for `one_of` requirements.
    Grades(Vec<String>),
    /// The threshold exists in law but is not known here (not found in the sources
    /// read). Units assessed against it are undetermined until an overlay fills it.
    Unknown,
    /// The national text leaves the value to the province ("UBND cấp tỉnh quy định cụ
    /// thể"). Undetermined until a provincial overlay fills it.
    Delegated,
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Threshold::Number(d) => write!(f, "{d}"),
            Threshold::Flag(true) => f.write_str("yes"),
            Threshold::Flag(false) => f.write_str("no"),
            Threshold::Grade(g) => f.write_str(g),
            Threshold::Grades(gs) => write!(f, "{{{}}}", gs.join(", ")),
            Threshold::Unknown => f.write_str("unknown"),
            Threshold::Delegated => f.write_str("set by the province"),
        }
    }
}

/// When a unit that holds a tier loses it: the rule of Decision 18/2022/QĐ-TTg as data.
///
/// Recognition is revoked when the share of failing criteria is at least
/// `share_alone`, or at least `share_with_key` with at least one failing key criterion.
/// (18/2022 states the first band as "30% to under 50%" with a key criterion, and "50% or
/// more" without; since the second band is covered by the first clause, the half-open
/// interval and the union are the same rule.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RevocationRule {
    /// Percent of criteria failing that, with a key criterion among them, revokes (30).
    #[serde(with = "decimal_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "decimal_serde::DecimalSchema"))]
    pub share_with_key: Decimal,
    /// Percent of criteria failing that revokes on its own (50).
    #[serde(with = "decimal_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "decimal_serde::DecimalSchema"))]
    pub share_alone: Decimal,
    /// Key criteria (income; environment and food safety; defence and security).
    pub key_criteria: Vec<CriterionId>,
    /// How a count of failing criteria is compared with a percentage.
    #[serde(default)]
    pub comparison: ShareComparison,
    /// Tier whose assessment the rule is applied to, if not this set's own tier
    /// (an advanced or model commune is tested against the advanced set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assess_against: Option<TierId>,
    /// Indicators or preconditions of the assessed set whose failure revokes on its own,
    /// whatever the share of failing criteria (a district is revoked when 30% or more of
    /// its communes have lost their recognition: a derived `share_revoked` precondition
    /// listed here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revoke_when_not_met: Vec<IndicatorId>,
    /// Where the rule comes from.
    pub source: Source,
    /// How sure the rule is.
    pub confidence: Confidence,
}

/// How "30% of the criteria" is compared with a count of failing criteria.
///
/// The law does not say how 30% of 19 criteria (5.7) is rounded, so this is an explicit
/// option. With 19 criteria the `share_with_key` = 30% boundary is reached at:
/// `exact` 6 criteria (6/19 = 31.6%); `count_rounded_down` 5 (⌊5.7⌋);
/// `count_rounded_half_up` 6 (5.7 → 6); `count_rounded_up` 6 (⌈5.7⌉).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareComparison {
    /// failing × 100 ≥ share × total, exactly (the default).
    #[default]
    Exact,
    /// failing ≥ ⌊share × total / 100⌋.
    CountRoundedDown,
    /// failing ≥ share × total / 100 rounded half up.
    CountRoundedHalfUp,
    /// failing ≥ ⌈share × total / 100⌉ (same outcomes as `exact`).
    CountRoundedUp,
}
