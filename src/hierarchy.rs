//! The administrative tree (province → district → commune → village, or province →
//! commune → village since 1 July 2025) and its validation.
//!
//! This module sits before [`aggregate`](mod@crate::aggregate) in the pipeline: the
//! bottom-up pass walks a validated [`Hierarchy`]. Units are plain data
//! ([`AdminUnit`]: official code, name, [`Level`], kind, parent code, validity dates and
//! lineage). [`Hierarchy::new`] validates them **at a reporting date** and reports every
//! problem at once ([`TreeError`]):
//!
//! - two entries with the same code whose validity periods overlap;
//! - a validity period that ends before it starts;
//! - a unit valid at the date whose parent code is in no entry (an orphan);
//! - a parent that exists but is not valid at the date;
//! - a parent whose level is not strictly above the unit's level (a village's parent must
//!   be a commune; a commune's parent may be a district or, in the two-tier shape, the
//!   province);
//! - a cycle of parent links.
//!
//! Units not valid at the date are kept for lineage ([`Hierarchy::lineage`]: the units a
//! commune was merged from, transitively) but take no part in the tree.
//!
//! Dates are a small [`Date`] type (`YYYY-MM-DD`), not a date crate: the tree only needs
//! to compare calendar days.
//!
//! The graph helpers at the end of the file (cycles in a parent map, bottom-up order)
//! are generic over the key type.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::definitions::{Label, Lang, Level, UnitCode};

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

impl JsonSchema for Date {
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum UnitName {
    /// A name with Vietnamese and English forms.
    Label(Label),
    /// One name (proper names are usually not translated).
    Plain(String),
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
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
    /// Town (thị xã).
    Town,
    /// Provincial city (thành phố thuộc tỉnh).
    ProvincialCity,
    /// Province (tỉnh).
    Province,
    /// Centrally-run city (thành phố trực thuộc trung ương).
    CentralCity,
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
            (UnitKind::Town, Lang::Vi) => "thị xã",
            (UnitKind::Town, Lang::En) => "town",
            (UnitKind::ProvincialCity, Lang::Vi) => "thành phố",
            (UnitKind::ProvincialCity, Lang::En) => "city",
            (UnitKind::Province, Lang::Vi) => "tỉnh",
            (UnitKind::Province, Lang::En) => "province",
            (UnitKind::CentralCity, Lang::Vi) => "thành phố trực thuộc trung ương",
            (UnitKind::CentralCity, Lang::En) => "centrally-run city",
        }
    }
}

/// One administrative unit as data: what users write in the tree's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
    /// Codes of the units merged into this one (lineage).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<UnitCode>,
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

    /// Whether the unit exists on `date`.
    pub fn is_valid_at(&self, date: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date <= t)
    }

    fn overlaps(&self, other: &AdminUnit) -> bool {
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

/// One problem of an administrative tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, schemars::JsonSchema)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TreeProblem {
    /// Two entries share a code and their validity periods overlap.
    #[error("unit code `{code}` is used by {entries} entries valid at the same time")]
    DuplicateCode {
        /// The code.
        code: UnitCode,
        /// How many entries overlap.
        entries: usize,
    },
    /// A validity period that ends before it starts.
    #[error("unit `{unit}`: valid from {from} to {to}, which ends before it starts")]
    EmptyValidity {
        /// The unit.
        unit: UnitCode,
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// The parent code is in no entry of the tree.
    #[error("unit `{unit}`: parent `{parent}` is not in the tree")]
    MissingParent {
        /// The unit.
        unit: UnitCode,
        /// The parent code.
        parent: UnitCode,
    },
    /// The parent exists but not on the reporting date.
    #[error("unit `{unit}`: parent `{parent}` is not valid on {date}")]
    ParentNotValid {
        /// The unit.
        unit: UnitCode,
        /// The parent code.
        parent: UnitCode,
        /// The reporting date.
        date: Date,
    },
    /// The parent's level is not strictly above the unit's (or a village's parent is not
    /// a commune).
    #[error("unit `{unit}` ({level}) cannot have `{parent}` ({parent_level}) as parent")]
    ParentLevel {
        /// The unit.
        unit: UnitCode,
        /// Its level.
        level: &'static str,
        /// The parent code.
        parent: UnitCode,
        /// The parent's level.
        parent_level: &'static str,
    },
    /// Parent links that go round in a circle.
    #[error("parent links form a cycle: {}", join_codes(.codes))]
    Cycle {
        /// The units of the cycle, starting with the smallest code, each the child of
        /// the next; the last is the child of the first.
        codes: Vec<UnitCode>,
    },
}

fn join_codes(codes: &[UnitCode]) -> String {
    let mut s = String::new();
    for c in codes {
        s.push('`');
        s.push_str(c.as_str());
        s.push_str("` -> ");
    }
    if let Some(first) = codes.first() {
        s.push('`');
        s.push_str(first.as_str());
        s.push('`');
    }
    s
}

/// An administrative tree that cannot be used. Lists every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TreeError {
    problems: Vec<TreeProblem>,
}

impl TreeError {
    /// Every problem found.
    pub fn problems(&self) -> &[TreeProblem] {
        &self.problems
    }
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "invalid administrative tree: {one}"),
            many => {
                write!(f, "invalid administrative tree: {} problems", many.len())?;
                for p in many {
                    write!(f, "; {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// A validated administrative tree at a reporting date. Build it with
/// [`Hierarchy::new`]; it is immutable afterwards.
///
/// Units are kept in code order, so nothing depends on the order of the input.
///
/// Inside, every unit valid at the date has a **position** (`0..len()`, in code order);
/// parents, children and the bottom-up order are positions, so walking the tree compares
/// no code strings.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    date: Date,
    /// Every entry, for lineage, sorted by code then validity period.
    all: Vec<AdminUnit>,
    /// Units valid at the date, by position (code order): their index in `all`.
    units: Vec<usize>,
    /// Code → position.
    index: HashMap<UnitCode, usize>,
    /// Position → position of the parent.
    parent: Vec<Option<usize>>,
    /// Position → positions of the children, in code order.
    children: Vec<Vec<usize>>,
    /// Positions, children before parents.
    bottom_up: Vec<usize>,
}

impl Hierarchy {
    /// Validates `units` at the reporting `date`.
    ///
    /// Runs in O(n log n) for the sort by code, and linear time otherwise (one pass for
    /// duplicate codes over the sorted entries, a hash index for parent codes,
    /// colour-marking cycle detection over positions).
    ///
    /// # Errors
    ///
    /// A [`TreeError`] listing every problem (see the module docs).
    ///
    /// # Example
    ///
    /// ```
    /// use ntm_rules::{hierarchy::{AdminUnit, Date, Hierarchy}, Level};
    ///
    /// let date = Date::new(2026, 1, 1).unwrap();
    /// let tree = Hierarchy::new(vec![
    ///     AdminUnit::new("24", "Bắc Ninh", Level::Province),
    ///     AdminUnit::new("07672", "Quảng Minh", Level::Commune).with_parent("24"),
    ///     AdminUnit::new("07672-01", "Khả Lý Thượng", Level::Village).with_parent("07672"),
    /// ], date)?;
    /// assert_eq!(tree.children("24").count(), 1);
    ///
    /// let err = Hierarchy::new(vec![
    ///     AdminUnit::new("07672", "Quảng Minh", Level::Commune).with_parent("99"),
    /// ], date).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid administrative tree: unit `07672`: parent `99` is not in the tree");
    /// # Ok::<(), ntm_rules::hierarchy::TreeError>(())
    /// ```
    pub fn new(units: Vec<AdminUnit>, date: Date) -> Result<Hierarchy, TreeError> {
        let mut problems = Vec::new();
        let mut all = units;
        // Stable: entries with equal keys keep their input order (the first is used).
        all.sort_by(|a, b| {
            (&a.code, a.valid_from, a.valid_to).cmp(&(&b.code, b.valid_from, b.valid_to))
        });

        for u in &all {
            if let (Some(from), Some(to)) = (u.valid_from, u.valid_to) {
                if to < from {
                    problems.push(TreeProblem::EmptyValidity {
                        unit: u.code.clone(),
                        from,
                        to,
                    });
                }
            }
        }
        // Entries of one code are adjacent after the sort: one pass over the runs.
        for entries in all.chunk_by(|a, b| a.code == b.code) {
            let [first, _, ..] = entries else { continue };
            let overlapping = entries
                .iter()
                .enumerate()
                .filter(|(i, a)| {
                    entries
                        .iter()
                        .enumerate()
                        .any(|(j, b)| *i != j && a.overlaps(b))
                })
                .count();
            if overlapping > 0 {
                problems.push(TreeProblem::DuplicateCode {
                    code: first.code.clone(),
                    entries: overlapping,
                });
            }
        }

        // The units of the tree at the date: one per code (the first, if duplicated;
        // a duplicate is an error anyway).
        let mut units: Vec<usize> = Vec::new();
        let mut last: Option<&UnitCode> = None;
        for (i, u) in all.iter().enumerate() {
            if u.is_valid_at(date) && last != Some(&u.code) {
                units.push(i);
                last = Some(&u.code);
            }
        }
        let unit_at = |pos: usize| units.get(pos).and_then(|&i| all.get(i));
        let mut index: HashMap<UnitCode, usize> = HashMap::with_capacity(units.len());
        for (pos, u) in units.iter().filter_map(|&i| all.get(i)).enumerate() {
            index.insert(u.code.clone(), pos);
        }
        let mut parent = vec![None; units.len()];
        for (i, u) in units.iter().filter_map(|&i| all.get(i)).enumerate() {
            let Some(p) = &u.parent else { continue };
            let Some(&pi) = index.get(p) else {
                let known = all
                    .get(all.partition_point(|e| e.code < *p))
                    .is_some_and(|e| e.code == *p);
                problems.push(if known {
                    TreeProblem::ParentNotValid {
                        unit: u.code.clone(),
                        parent: p.clone(),
                        date,
                    }
                } else {
                    TreeProblem::MissingParent {
                        unit: u.code.clone(),
                        parent: p.clone(),
                    }
                });
                continue;
            };
            let pl = unit_at(pi).map_or(u.level, |pu| pu.level);
            let level_ok = pl > u.level && (u.level != Level::Village || pl == Level::Commune);
            if !level_ok {
                problems.push(TreeProblem::ParentLevel {
                    unit: u.code.clone(),
                    level: u.level.label(Lang::En),
                    parent: p.clone(),
                    parent_level: pl.label(Lang::En),
                });
            }
            if let Some(slot) = parent.get_mut(i) {
                *slot = Some(pi);
            }
        }
        for cycle in index_cycles(&parent) {
            problems.push(TreeProblem::Cycle {
                codes: cycle
                    .iter()
                    .filter_map(|&i| unit_at(i).map(|u| u.code.clone()))
                    .collect(),
            });
        }
        if !problems.is_empty() {
            return Err(TreeError { problems });
        }

        let mut children = vec![Vec::new(); units.len()];
        for (c, p) in parent.iter().enumerate() {
            if let Some(list) = p.and_then(|p| children.get_mut(p)) {
                list.push(c);
            }
        }
        let bottom_up = index_bottom_up(&parent);
        Ok(Hierarchy {
            date,
            all,
            units,
            index,
            parent,
            children,
            bottom_up,
        })
    }

    /// The reporting date the tree was validated at.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The unit with this code, if it exists at the date.
    pub fn get(&self, code: &str) -> Option<&AdminUnit> {
        self.position(code).and_then(|p| self.at(p))
    }

    /// Every unit valid at the date, in code order.
    pub fn units(&self) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.units.iter().filter_map(|&i| self.all.get(i))
    }

    /// Number of units valid at the date.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether the tree has no unit at the date.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The parent of a unit.
    pub fn parent(&self, code: &str) -> Option<&AdminUnit> {
        let p = self.parent_of(self.position(code)?)?;
        self.at(p)
    }

    /// The direct children of a unit, in code order (none for an unknown code).
    pub fn children(&self, code: &str) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.position(code)
            .map(|i| self.children_of(i))
            .unwrap_or_default()
            .iter()
            .filter_map(|&c| self.at(c))
    }

    /// Units without a parent, in code order.
    pub fn roots(&self) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.units()
            .zip(&self.parent)
            .filter(|(_, p)| p.is_none())
            .map(|(u, _)| u)
    }

    /// Every unit below `code` (not `code` itself) at `level`, in code order.
    pub fn descendants_at(&self, code: &str, level: Level) -> Vec<&AdminUnit> {
        self.position(code)
            .map(|p| self.descendants_at_pos(p, level))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| self.at(i))
            .collect()
    }

    /// Every unit, children before parents (deepest first, then by code): the order of
    /// a bottom-up pass.
    pub fn bottom_up(&self) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.bottom_up_positions()
            .iter()
            .filter_map(|&i| self.at(i))
    }

    /// The codes of the units `code` was merged from, transitively (breadth first, each
    /// once), looked up among every entry, valid at the date or not.
    pub fn lineage(&self, code: &str) -> Vec<UnitCode> {
        let mut out: Vec<UnitCode> = Vec::new();
        let mut seen: BTreeSet<UnitCode> = BTreeSet::new();
        seen.insert(UnitCode::new(code));
        let mut queue: VecDeque<UnitCode> = VecDeque::from([UnitCode::new(code)]);
        while let Some(c) = queue.pop_front() {
            for entry in self.entries_of(c.as_str()) {
                for m in &entry.merged_from {
                    if seen.insert(m.clone()) {
                        out.push(m.clone());
                        queue.push_back(m.clone());
                    }
                }
            }
        }
        out
    }

    /// Every entry with this code, valid at the date or not (history of the code).
    pub fn entries(&self, code: &str) -> impl Iterator<Item = &AdminUnit> + '_ {
        self.entries_of(code).iter()
    }

    /// The entries with this code: a run of `all`, which is sorted by code.
    fn entries_of(&self, code: &str) -> &[AdminUnit] {
        let start = self.all.partition_point(|u| u.code.as_str() < code);
        let rest = self.all.get(start..).unwrap_or_default();
        let len = rest.partition_point(|u| u.code.as_str() == code);
        rest.get(..len).unwrap_or_default()
    }

    // Position-based access, for the bottom-up pass.

    /// The position of the unit with this code (`0..len()`, code order).
    pub(crate) fn position(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }

    /// The unit at a position.
    pub(crate) fn at(&self, pos: usize) -> Option<&AdminUnit> {
        self.units.get(pos).and_then(|&i| self.all.get(i))
    }

    /// The position of the parent of the unit at a position.
    pub(crate) fn parent_of(&self, pos: usize) -> Option<usize> {
        self.parent.get(pos).copied().flatten()
    }

    /// The positions of the children of the unit at a position, in code order.
    pub(crate) fn children_of(&self, pos: usize) -> &[usize] {
        self.children.get(pos).map_or(&[], Vec::as_slice)
    }

    /// Positions, children before parents (see [`Hierarchy::bottom_up`]).
    pub(crate) fn bottom_up_positions(&self) -> &[usize] {
        &self.bottom_up
    }

    /// Positions of the units below `pos` at `level`, in code order.
    pub(crate) fn descendants_at_pos(&self, pos: usize, level: Level) -> Vec<usize> {
        let mut out = Vec::new();
        // Levels go strictly down the tree (checked by `new`): nothing below a unit is
        // at its level or above.
        if self.at(pos).is_none_or(|u| u.level <= level) {
            return out;
        }
        let mut stack: Vec<usize> = self.children_of(pos).to_vec();
        while let Some(i) = stack.pop() {
            let Some(u) = self.at(i) else { continue };
            if u.level == level {
                out.push(i);
            }
            if u.level > level {
                stack.extend_from_slice(self.children_of(i));
            }
        }
        // Positions are in code order.
        out.sort_unstable();
        out
    }
}

/// [`cycles`] over positions: `parent[i]` is the parent of node `i`. Iterative, with
/// colour marks; linear in the number of nodes (plus the length of each cycle found).
/// Same result as [`cycles`] on the map `{i → parent[i]}`.
fn index_cycles(parent: &[Option<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: u8 = 0;
    const ON_PATH: u8 = 1;
    let mut state = vec![UNSEEN; parent.len()];
    let mut found: Vec<Vec<usize>> = Vec::new();
    let mut path: Vec<usize> = Vec::new();
    for start in 0..parent.len() {
        if state.get(start) != Some(&UNSEEN) {
            continue;
        }
        path.clear();
        let mut node = Some(start);
        while let Some(n) = node {
            match state.get(n).copied() {
                Some(UNSEEN) => {
                    if let Some(s) = state.get_mut(n) {
                        *s = ON_PATH;
                    }
                    path.push(n);
                    node = parent.get(n).copied().flatten();
                }
                Some(ON_PATH) => {
                    // INVARIANT: n is on `path`, since ON_PATH marks the current path.
                    let at = path.iter().position(|&p| p == n).unwrap_or(0);
                    let mut cycle: Vec<usize> = path.get(at..).unwrap_or_default().to_vec();
                    if let Some(min_at) = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, &k)| k)
                        .map(|(i, _)| i)
                    {
                        cycle.rotate_left(min_at);
                    }
                    found.push(cycle);
                    break;
                }
                _ => break,
            }
        }
        for &n in &path {
            if let Some(s) = state.get_mut(n) {
                *s = 2;
            }
        }
    }
    found.sort();
    found
}

/// [`bottom_up_order`] over positions `0..parent.len()` of a parent map without
/// cycles: deepest first, then by position. Depths are memoised, so this is linear
/// plus one sort of integers.
fn index_bottom_up(parent: &[Option<usize>]) -> Vec<usize> {
    let mut depth: Vec<Option<usize>> = vec![None; parent.len()];
    let mut path: Vec<usize> = Vec::new();
    for start in 0..parent.len() {
        // Walk up to a node of known depth (or a root), then fill the path in.
        let mut node = start;
        // The depth of the last node on `path`.
        let mut next = 0;
        loop {
            if let Some(d) = depth.get(node).copied().flatten() {
                next = d + 1;
                break;
            }
            path.push(node);
            match parent.get(node).copied().flatten() {
                // A cycle would loop here; the tree has none (checked before), but stop
                // anyway once the path is longer than the map.
                Some(p) if path.len() <= parent.len() => node = p,
                _ => break,
            }
        }
        while let Some(n) = path.pop() {
            if let Some(slot) = depth.get_mut(n) {
                *slot = Some(next);
            }
            next += 1;
        }
    }
    let mut order: Vec<usize> = (0..parent.len()).collect();
    order.sort_unstable_by_key(|&i| (std::cmp::Reverse(depth.get(i).copied().flatten()), i));
    order
}

// ---------------------------------------------------------------------------------
// Generic graph helpers over a parent map (each node has at most one parent).
// ---------------------------------------------------------------------------------

/// The cycles of a parent map (`child → parent`), each once, each starting at its
/// smallest node, in order of that node. A node pointing at itself is a cycle of one.
pub fn cycles<K: Ord + Clone>(parent: &BTreeMap<K, K>) -> Vec<Vec<K>> {
    // 0 = unseen, 1 = on the current path, 2 = done.
    let mut state: BTreeMap<&K, u8> = BTreeMap::new();
    let mut found: Vec<Vec<K>> = Vec::new();
    for start in parent.keys() {
        if state.get(start).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut path: Vec<&K> = Vec::new();
        let mut node = Some(start);
        while let Some(n) = node {
            match state.get(n).copied().unwrap_or(0) {
                0 => {
                    state.insert(n, 1);
                    path.push(n);
                    node = parent.get(n);
                }
                1 => {
                    // INVARIANT: n is on `path`, since state 1 marks the current path.
                    let at = path.iter().position(|p| *p == n).unwrap_or(0);
                    let mut cycle: Vec<K> = path.iter().skip(at).map(|k| (*k).clone()).collect();
                    if let Some(min_at) = cycle
                        .iter()
                        .enumerate()
                        .min_by(|a, b| a.1.cmp(b.1))
                        .map(|(i, _)| i)
                    {
                        cycle.rotate_left(min_at);
                    }
                    found.push(cycle);
                    break;
                }
                _ => break,
            }
        }
        for n in path {
            state.insert(n, 2);
        }
    }
    found.sort();
    found
}

/// Nodes ordered children before parents: by depth in the parent map, deepest first,
/// then by node. Nodes on a cycle get the depth at which the cycle was entered; call
/// [`cycles`] first if the map may have any.
pub fn bottom_up_order<K: Ord + Clone>(nodes: &[K], parent: &BTreeMap<K, K>) -> Vec<K> {
    let depth = |n: &K| {
        let mut d = 0usize;
        let mut seen: BTreeSet<&K> = BTreeSet::new();
        let mut cur = n;
        while let Some(p) = parent.get(cur) {
            if !seen.insert(cur) {
                break;
            }
            d += 1;
            cur = p;
        }
        d
    };
    let mut keyed: Vec<(usize, K)> = nodes.iter().map(|n| (depth(n), n.clone())).collect();
    keyed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, n)| n).collect()
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
    fn cycles_are_found_once() {
        let map: BTreeMap<u32, u32> = [(1, 2), (2, 3), (3, 1), (4, 4), (5, 1)].into();
        assert_eq!(cycles(&map), vec![vec![1, 2, 3], vec![4]]);
        let order = bottom_up_order(&[1, 2, 3], &[(1, 2), (2, 3)].into());
        assert_eq!(order, vec![1, 2, 3]);
    }

    fn as_map(parent: &[Option<usize>]) -> BTreeMap<usize, usize> {
        parent
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.map(|p| (i, p)))
            .collect()
    }

    proptest::proptest! {
        /// The position-based cycle search finds exactly what the generic one finds, on
        /// random parent maps (with cycles, self-loops and roots).
        #[test]
        fn index_cycles_match_the_generic_search(
            parent in proptest::collection::vec(proptest::option::weighted(0.8, 0usize..40), 0..40)
        ) {
            let parent: Vec<Option<usize>> = parent
                .iter()
                .map(|p| p.filter(|&p| p < parent.len()))
                .collect();
            proptest::prop_assert_eq!(index_cycles(&parent), cycles(&as_map(&parent)));
        }

        /// On random forests, the position-based bottom-up order is the generic one.
        #[test]
        fn index_bottom_up_matches_the_generic_order(
            picks in proptest::collection::vec(proptest::option::weighted(0.9, 0usize..1000), 0..60),
            shuffle in proptest::collection::vec(0usize..1000, 0..60),
        ) {
            // Node i's parent is one of the nodes before it in a shuffled order: no
            // cycles, any depth, any numbering.
            let n = picks.len();
            let mut perm: Vec<usize> = (0..n).collect();
            for (i, s) in shuffle.iter().enumerate().take(n) {
                perm.swap(i, s % n);
            }
            let mut parent = vec![None; n];
            for (k, pick) in picks.iter().enumerate() {
                if let (Some(pick), true) = (pick, k > 0) {
                    parent[perm[k]] = Some(perm[pick % k]);
                }
            }
            proptest::prop_assert!(index_cycles(&parent).is_empty());
            let nodes: Vec<usize> = (0..n).collect();
            proptest::prop_assert_eq!(index_bottom_up(&parent), bottom_up_order(&nodes, &as_map(&parent)));
        }
    }
}
