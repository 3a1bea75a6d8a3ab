//! Administrative units as plain data: official code, name, [`Level`], kind, parent code,
//! validity dates and lineage ([`AdminUnit`]), and calendar dates ([`Date`], `YYYY-MM-DD`:
//! the tree only needs to compare days, so no date crate). The tree built from them is
//! [`Hierarchy`](crate::tree::Hierarchy).

use crate::model::ids::{Label, Lang, UnitCode};
use crate::model::scheme::Level;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A calendar day, written `YYYY-MM-DD`. Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The day the two-tier local government started (district level abolished):
    /// 2025-07-01.
    pub const TWO_TIER_REFORM: Date = Date {
        year: 2025,
        month: 7,
        day: 1,
    };

    /// Makes a date; `None` if the month or day does not exist (leap years included).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The last day of a year (31 December), the usual reporting date.
    pub fn end_of_year(year: u16) -> Date {
        Date {
            year,
            month: 12,
            day: 31,
        }
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A string that is not a `YYYY-MM-DD` calendar day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date `{input}`: write an existing day as YYYY-MM-DD")]
pub struct DateError {
    input: String,
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError {
            input: s.to_owned(),
        };
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(err());
        }
        let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) else {
            return Err(err());
        };
        Date::new(y, m, d).ok_or_else(err)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A calendar day, YYYY-MM-DD.",
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}$"
        })
    }
}

/// A unit's name: Vietnamese and English, or one plain name used in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum UnitName {
    /// A name with Vietnamese and English forms.
    Label(Label),
    /// One name (proper names are usually not translated).
    Plain(String),
}

// Read from a string (a plain name) or an object with `vi` and `en` (a label), without
// buffering the value first as the derived untagged reader did.
impl<'de> Deserialize<'de> for UnitName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
        use serde::de::{MapAccess, SeqAccess, Visitor};
        struct Name;
        impl<'de> Visitor<'de> for Name {
            type Value = UnitName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a unit name: a string, or an object with `vi` and `en`")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<UnitName, E> {
                Ok(UnitName::Plain(s.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<UnitName, E> {
                Ok(UnitName::Plain(s))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<UnitName, A::Error> {
                Label::deserialize(MapAccessDeserializer::new(map)).map(UnitName::Label)
            }
            // A label as `[vi, en]`, which the derived (untagged) reader took too.
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<UnitName, A::Error> {
                Label::deserialize(SeqAccessDeserializer::new(seq)).map(UnitName::Label)
            }
        }
        d.deserialize_any(Name)
    }
}

impl UnitName {
    /// The name in the given language.
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            UnitName::Label(l) => l.get(lang),
            UnitName::Plain(s) => s,
        }
    }
}

impl From<&str> for UnitName {
    fn from(s: &str) -> Self {
        UnitName::Plain(s.to_owned())
    }
}

impl From<String> for UnitName {
    fn from(s: String) -> Self {
        UnitName::Plain(s)
    }
}

impl From<Label> for UnitName {
    fn from(l: Label) -> Self {
        UnitName::Label(l)
    }
}

/// What kind of unit it is within its level, where criteria differ by kind: a rural
/// commune is assessed against the NTM commune sets, a ward or township is not; a
/// provincial city "completes the NTM task" instead of being a standard district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Village (thôn, bản, ấp).
    Village,
    /// Rural commune (xã).
    RuralCommune,
    /// Ward (phường).
    Ward,
    /// Township (thị trấn).
    Township,
    /// Rural district (huyện).
    RuralDistrict,
    /// Urban district (quận) of a centrally-run city.
    UrbanDistrict,
    /// Town (thị xã).
    Town,
    /// Provincial city (thành phố thuộc tỉnh).
    ProvincialCity,
    /// Province (tỉnh).
    Province,
    /// Centrally-run city (thành phố trực thuộc trung ương).
    CentralCity,
    /// Special zone (đặc khu): a commune-level island unit since 1 July 2025.
    SpecialZone,
}

impl UnitKind {
    /// The kind's name in the given language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (UnitKind::Village, Lang::Vi) => "thôn",
            (UnitKind::Village, Lang::En) => "village",
            (UnitKind::RuralCommune, Lang::Vi) => "xã",
            (UnitKind::RuralCommune, Lang::En) => "commune",
            (UnitKind::Ward, Lang::Vi) => "phường",
            (UnitKind::Ward, Lang::En) => "ward",
            (UnitKind::Township, Lang::Vi) => "thị trấn",
            (UnitKind::Township, Lang::En) => "township",
            (UnitKind::RuralDistrict, Lang::Vi) => "huyện",
            (UnitKind::RuralDistrict, Lang::En) => "district",
            (UnitKind::UrbanDistrict, Lang::Vi) => "quận",
            (UnitKind::UrbanDistrict, Lang::En) => "urban district",
            (UnitKind::Town, Lang::Vi) => "thị xã",
            (UnitKind::Town, Lang::En) => "town",
            (UnitKind::ProvincialCity, Lang::Vi) => "thành phố",
            (UnitKind::ProvincialCity, Lang::En) => "city",
            (UnitKind::Province, Lang::Vi) => "tỉnh",
            (UnitKind::Province, Lang::En) => "province",
            (UnitKind::CentralCity, Lang::Vi) => "thành phố trực thuộc trung ương",
            (UnitKind::CentralCity, Lang::En) => "centrally-run city",
            (UnitKind::SpecialZone, Lang::Vi) => "đặc khu",
            (UnitKind::SpecialZone, Lang::En) => "special zone",
        }
    }
}

/// One administrative unit as data: what users write in the tree's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminUnit {
    /// Official code (commune codes such as `"07672"`).
    pub code: UnitCode,
    /// Name.
    pub name: UnitName,
    /// Level.
    pub level: Level,
    /// Kind within the level, where criteria differ by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<UnitKind>,
    /// Code of the parent unit; absent for a root (the province).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitCode>,
    /// First day the unit exists (inclusive); absent: always before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Last day the unit exists (inclusive); absent: still exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Date>,
    /// Codes of the units merged into this one (lineage). A successor that kept the code
    /// of one of its parts lists its own code: that part is the entry of the code that
    /// ended before this one started.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<UnitCode>,
    /// Codes of the units this one was divided among when it ended (each lists it in its
    /// [`merged_from`](AdminUnit::merged_from)); empty when it went whole into one unit.
    /// Every code must have an entry that starts after this one ends
    /// ([`Hierarchy::new`](crate::tree::Hierarchy::new) checks it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub divided_into: Vec<UnitCode>,
    /// Where the unit is (a representative point), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
}

/// A point on the map: latitude and longitude in decimal degrees (WGS 84), exact as
/// written (decimal strings, like every decimal of the crate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    /// Latitude, degrees north.
    #[serde(with = "crate::model::decimal_serde")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::model::decimal_serde::DecimalSchema")
    )]
    pub lat: Decimal,
    /// Longitude, degrees east.
    #[serde(with = "crate::model::decimal_serde")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::model::decimal_serde::DecimalSchema")
    )]
    pub lon: Decimal,
}

impl Coordinates {
    /// A point from its latitude and longitude.
    pub fn new(lat: Decimal, lon: Decimal) -> Self {
        Self { lat, lon }
    }
}

impl AdminUnit {
    /// A unit with a code, name and level, and nothing else.
    pub fn new(code: impl Into<UnitCode>, name: impl Into<UnitName>, level: Level) -> Self {
        Self {
            code: code.into(),
            name: name.into(),
            level,
            kind: None,
            parent: None,
            valid_from: None,
            valid_to: None,
            merged_from: Vec::new(),
            divided_into: Vec::new(),
            coordinates: None,
        }
    }

    /// Sets the parent (builder style).
    #[must_use]
    pub fn with_parent(mut self, parent: impl Into<UnitCode>) -> Self {
        self.parent = Some(parent.into());
        self
    }

    /// Sets the kind (builder style).
    #[must_use]
    pub fn with_kind(mut self, kind: UnitKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Sets the validity period (builder style).
    #[must_use]
    pub fn valid(mut self, from: Option<Date>, to: Option<Date>) -> Self {
        self.valid_from = from;
        self.valid_to = to;
        self
    }

    /// Sets the lineage (builder style).
    #[must_use]
    pub fn merged_from<I, C>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = C>,
        C: Into<UnitCode>,
    {
        self.merged_from = codes.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the units this one was divided among (builder style).
    #[must_use]
    pub fn divided_into<I, C>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = C>,
        C: Into<UnitCode>,
    {
        self.divided_into = codes.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the coordinates (builder style).
    #[must_use]
    pub fn at(mut self, coordinates: Coordinates) -> Self {
        self.coordinates = Some(coordinates);
        self
    }

    /// Whether the unit exists on `date`.
    pub fn is_valid_at(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date <= t)
    }

    pub(crate) fn overlaps(&self, other: &AdminUnit) -> bool {
        let starts_before_other_ends = match (self.valid_from, other.valid_to) {
            (Some(f), Some(t)) => f <= t,
            _ => true,
        };
        let other_starts_before_end = match (other.valid_from, self.valid_to) {
            (Some(f), Some(t)) => f <= t,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_order() {
        let d: Date = "2025-07-01".parse().unwrap();
        assert_eq!(d, Date::TWO_TIER_REFORM);
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2025-7-01".parse::<Date>().is_err());
        assert!(Date::end_of_year(2022) < d);
    }

    #[test]
    fn names_read_as_a_string_or_a_label_and_nothing_else() {
        let read = |json: &str| serde_json::from_str::<UnitName>(json);
        assert_eq!(read(r#""Tân Yên""#).unwrap(), UnitName::from("Tân Yên"));
        let label = UnitName::from(Label::new("Huyện Tân Yên", "Tan Yen district"));
        let text = r#"{"vi":"Huyện Tân Yên","en":"Tan Yen district"}"#;
        assert_eq!(read(text).unwrap(), label);
        assert_eq!(serde_json::to_string(&label).unwrap(), text);
        assert_eq!(
            read(r#"["Huyện Tân Yên","Tan Yen district"]"#).unwrap(),
            label
        );
        let missing = read(r#"{"vi":"Tân Yên"}"#).unwrap_err().to_string();
        assert!(missing.contains("missing field `en`"), "{missing}");
        let unknown = read(r#"{"vi":"a","en":"b","fr":"c"}"#)
            .unwrap_err()
            .to_string();
        assert!(unknown.contains("unknown field `fr`"), "{unknown}");
        let number = read("7").unwrap_err().to_string();
        assert!(number.contains("expected a unit name"), "{number}");
    }
}
