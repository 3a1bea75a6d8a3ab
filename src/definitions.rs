//! Criteria definitions as plain data: the serde model of what users write in JSON.
//!
//! This is the first stage of the pipeline (definitions → [`compile`](crate::compile) →
//! [`Program::evaluate`](crate::Program::evaluate) → [`decide`](crate::decide)). Everything
//! here is plain data with public fields; nothing here evaluates anything. Unknown JSON
//! fields are rejected so typos fail loudly.
//!
//! Decimal numbers are written as JSON strings (`"78.5"`) or JSON integers (`80`); JSON
//! numbers with a fraction are refused because they would pass through binary floating
//! point on the way in. See [`decimal_serde`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl std::hash::Hash for $name {
            /// Hashes the text, as `str` does (so lookups by `&str` work).
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.0.hash(state);
            }
        }

        impl PartialEq for $name {
            /// Equal when the text is equal; ids cloned from one another share their
            /// text, so that case is a pointer comparison.
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
            }
        }

        impl $name {
            /// Makes an id from any string.
            pub fn new(id: impl AsRef<str>) -> Self {
                Self(Arc::from(id.as_ref()))
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(Arc::from(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(Arc::from(s))
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// Id of a criteria set, unique within a catalog (`"vn-2021-commune-standard"`).
    SetId
);
id_type!(
    /// Id of a criteria scheme, i.e. a programme period (`"2021-2025"`).
    SchemeId
);
id_type!(
    /// Id of a recognition tier within a scheme (`"standard"`, `"advanced"`, `"model"`).
    TierId
);
id_type!(
    /// Official number of a criterion within its set (`"10"`).
    CriterionId
);
id_type!(
    /// Official number of an indicator within its set (`"10.1"`).
    IndicatorId
);
id_type!(
    /// A special status a unit may have (`"especially_difficult"`, `"safe_zone"`).
    /// Statuses are free-form so that a province can add its own.
    StatusId
);
id_type!(
    /// Official code of an administrative unit (a commune code such as `"07672"`).
    UnitCode
);

/// A user-facing label in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Vietnamese text.
    pub vi: String,
    /// English text.
    pub en: String,
}

impl Label {
    /// Makes a label from its Vietnamese and English texts.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// A language for user-facing labels and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Vietnamese (tiếng Việt).
    #[default]
    Vi,
    /// English.
    En,
}

/// An inclusive range of calendar years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    /// First year in the range.
    pub from: u16,
    /// Last year in the range (inclusive).
    pub to: u16,
}

impl YearRange {
    /// Makes the range `from..=to`.
    pub fn new(from: u16, to: u16) -> Self {
        Self { from, to }
    }

    /// Whether `year` lies in the range.
    pub fn contains(&self, year: u16) -> bool {
        self.from <= year && year <= self.to
    }

    /// Whether the two ranges share at least one year.
    pub fn overlaps(&self, other: &YearRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

impl fmt::Display for YearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.from, self.to)
    }
}

/// A criteria scheme: one programme period with its own ordered tiers.
///
/// The 2021-2025 scheme has the tiers standard < advanced < model; the 2026-2030 scheme
/// defines its own. Tier order is the order of [`Scheme::tiers`], lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Scheme id (`"2021-2025"`).
    pub id: SchemeId,
    /// Years the scheme covers.
    pub years: YearRange,
    /// Tiers, lowest first. A unit holds a tier only if it holds every tier below it.
    pub tiers: Vec<Tier>,
}

impl Scheme {
    /// Position of `tier` in the scheme's order (0 = lowest), if the tier exists.
    pub fn tier_rank(&self, tier: &TierId) -> Option<usize> {
        self.tiers.iter().position(|t| &t.id == tier)
    }
}

/// A recognition tier (standard, advanced, model, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Tier id.
    pub id: TierId,
    /// Tier name (`"đạt chuẩn"` / `"standard"`).
    pub name: Label,
}

/// Administrative level a criteria set applies to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Village (thôn, bản, ấp).
    Village,
    /// Commune (xã).
    Commune,
    /// District (huyện, thị xã, thành phố thuộc tỉnh).
    District,
    /// Province (tỉnh, thành phố trực thuộc trung ương).
    Province,
}

impl Level {
    /// The level's name in the given language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Level::Village, Lang::Vi) => "thôn",
            (Level::Village, Lang::En) => "village",
            (Level::Commune, Lang::Vi) => "xã",
            (Level::Commune, Lang::En) => "commune",
            (Level::District, Lang::Vi) => "huyện",
            (Level::District, Lang::En) => "district",
            (Level::Province, Lang::Vi) => "tỉnh",
            (Level::Province, Lang::En) => "province",
        }
    }
}

/// The seven socio-economic regions used by the 2016-2020 and 2021-2025 thresholds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

/// Where a rule or number comes from: a legal document and the place in it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Document number (`"318/QĐ-TTg"`), or a description for non-legal sources.
    pub document: String,
    /// Date of the document, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Article, clause or appendix (`"Appendix I"`, `"Art. 4(1)"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Where the text can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Free notes (caveats, conflicting readings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Source {
    /// A source naming only a document.
    pub fn document(document: impl Into<String>) -> Self {
        Self {
            document: document.into(),
            ..Self::default()
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.document)?;
        if let Some(part) = &self.part {
            write!(f, ", {part}")?;
        }
        if let Some(date) = &self.date {
            write!(f, " ({date})")?;
        }
        Ok(())
    }
}

/// How sure a number or rule is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Read in the official text or a faithful reproduction of it.
    Confirmed,
    /// Taken from a secondary report (news, legal news).
    Reported,
    /// Recalled or inferred; must be checked before use.
    Unverified,
    /// Made up for examples and tests. Not law.
    Illustrative,
}

/// A criteria set (bộ tiêu chí): the criteria of one scheme, level and tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Derivation {
    /// Level of the children counted (communes of a district, districts of a province).
    pub children: Level,
    /// What is computed over them.
    pub measure: ChildMeasure,
}

/// What a derived indicator computes over child units. Shares are percentages (0–100)
/// of all children of the level, exact; counts are whole numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
}

/// A threshold value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// A number, for decimal and count indicators.
    Number(
        #[serde(with = "decimal_serde")]
        #[schemars(with = "decimal_serde::DecimalSchema")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationRule {
    /// Percent of criteria failing that, with a key criterion among them, revokes (30).
    #[serde(with = "decimal_serde")]
    #[schemars(with = "decimal_serde::DecimalSchema")]
    pub share_with_key: Decimal,
    /// Percent of criteria failing that revokes on its own (50).
    #[serde(with = "decimal_serde")]
    #[schemars(with = "decimal_serde::DecimalSchema")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
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

/// A measured value of one indicator, as reported for a unit and year.
///
/// Missing data is the absence of a value (the indicator is not in
/// [`IndicatorData::values`]), which is distinct from zero and from
/// [`Value::NotApplicable`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A number (decimal and count indicators).
    Number(
        #[serde(with = "decimal_serde")]
        #[schemars(with = "decimal_serde::DecimalSchema")]
        Decimal,
    ),
    /// Yes or no.
    Flag(bool),
    /// A grade.
    Grade(String),
    /// The indicator does not apply to this unit (allowed only where the indicator
    /// says so).
    NotApplicable,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(d) => write!(f, "{d}"),
            Value::Flag(true) => f.write_str("yes"),
            Value::Flag(false) => f.write_str("no"),
            Value::Grade(g) => f.write_str(g),
            Value::NotApplicable => f.write_str("not applicable"),
        }
    }
}

/// Indicator data of one unit for one year: indicator id → value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorData {
    /// The unit's code.
    pub unit: UnitCode,
    /// The reporting year.
    pub year: u16,
    /// Values by indicator id (criteria indicators and preconditions alike).
    #[serde(default)]
    pub values: BTreeMap<IndicatorId, Value>,
}

impl IndicatorData {
    /// Empty data for a unit and year.
    pub fn new(unit: impl Into<UnitCode>, year: u16) -> Self {
        Self {
            unit: unit.into(),
            year,
            values: BTreeMap::new(),
        }
    }

    /// Sets a value (builder style).
    #[must_use]
    pub fn with(mut self, indicator: impl Into<IndicatorId>, value: Value) -> Self {
        self.values.insert(indicator.into(), value);
        self
    }
}

/// Whether a recognition event granted or withdrew a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The tier was recognised (công nhận).
    Recognised,
    /// The recognition was revoked (thu hồi).
    Revoked,
}

/// One recognition decision in a unit's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecognitionEvent {
    /// Tier recognised or revoked.
    pub tier: TierId,
    /// Year of the decision.
    pub year: u16,
    /// Recognised or revoked.
    pub kind: EventKind,
    /// Reference of the decision (`"1234/QĐ-UBND"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

/// A unit's recognition history, in any order; events are applied by year, and within a
/// year in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// The events.
    #[serde(default)]
    pub events: Vec<RecognitionEvent>,
}

impl History {
    /// A history with one recognition.
    pub fn recognised(tier: impl Into<TierId>, year: u16) -> Self {
        Self {
            events: vec![RecognitionEvent {
                tier: tier.into(),
                year,
                kind: EventKind::Recognised,
                decision: None,
            }],
        }
    }

    /// Adds an event (builder style).
    #[must_use]
    pub fn with(mut self, tier: impl Into<TierId>, year: u16, kind: EventKind) -> Self {
        self.events.push(RecognitionEvent {
            tier: tier.into(),
            year,
            kind,
            decision: None,
        });
        self
    }
}

pub mod decimal_serde {
    //! Exact JSON form of decimals: serialized as strings, read from strings or
    //! integers. JSON numbers with a fraction or exponent are refused with a message,
    //! because serde hands them over as binary floating point.

    use std::fmt;
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    /// Writes a decimal as a JSON string.
    ///
    /// # Errors
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a decimal from a string or an integer.
    ///
    /// # Errors
    /// A malformed string, or a number with a fraction.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }

    struct DecimalVisitor;

    impl Visitor<'_> for DecimalVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal number written as a string, such as \"78.5\", or an integer")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            let t = v.trim();
            if t.is_empty() || t.contains(['e', 'E']) {
                return Err(E::custom(format_args!(
                    "invalid decimal `{v}`: write plain digits such as \"78.5\""
                )));
            }
            Decimal::from_str(t).map_err(|e| E::custom(format_args!("invalid decimal `{v}`: {e}")))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            Err(E::custom(format_args!(
                "decimal {v} given as a JSON number with a fraction: write it as a string, \"{v}\", so it stays exact"
            )))
        }
    }

    /// JSON Schema stand-in for a decimal: a string of digits or an integer.
    #[derive(Debug)]
    pub struct DecimalSchema;

    impl schemars::JsonSchema for DecimalSchema {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Decimal".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({
                "description": "An exact decimal: a string such as \"78.5\", or an integer.",
                "anyOf": [
                    {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$"},
                    {"type": "integer"}
                ]
            })
        }
    }
}
