//! The layout of a data-entry workbook for a request and a scope unit, shared by the
//! writer ([`entry_template`](crate::contract::entry_template)) and the reader
//! ([`import_entry`](crate::contract::import_entry)).
//!
//! One sheet per level (`Thôn`, `Xã`, `Huyện`, `Tỉnh`), one row per unit of the scope's
//! tree at that level (the scope itself at its level), one column per value: the unit's
//! code, name and parent, its profile (region, commune group, statuses), its outstanding
//! fields, its weights (`weight:households`), then one column per indicator the level's
//! sets read from data (derived indicators are computed, so they have no column), the
//! roll-ups' indicators, and any other value the request's inputs give at that level.
//! Row 1 holds each column's key (what the reader reads), rows 2-6 the Vietnamese and
//! English names, the unit of measure, the requirement and the threshold; units start on
//! row 7. A sheet `Lịch sử` holds the recognition history, one event a row.

use std::collections::{BTreeMap, BTreeSet};

use crate::contract::request::{Request, RequestInput, SetSource};
use crate::model::{
    AdminUnit, CriteriaSet, IndicatorId, Label, Lang, Level, Requirement, UnitCode, ValueKind,
};
use crate::policy::apply_overlays;
use crate::tree::{Hierarchy, LevelSets};

/// The row of the column keys (1-based).
pub(super) const KEY_ROW: u32 = 1;
/// The rows above the first unit: keys, Vietnamese and English names, unit of measure,
/// requirement, threshold.
pub(super) const HEADER_ROWS: u32 = 6;
/// The sheet of the recognition history.
pub const HISTORY_SHEET: &str = "Lịch sử";
/// The sheet that explains the codes.
pub const CODES_SHEET: &str = "Giải thích";
/// The columns of the history sheet, by key.
pub(super) const HISTORY_COLUMNS: [(&str, &str, &str); 5] = [
    ("code", "Mã đơn vị", "Unit code"),
    ("tier", "Mức", "Tier"),
    ("year", "Năm", "Year"),
    ("kind", "Công nhận / thu hồi", "recognised / revoked"),
    ("decision", "Quyết định", "Decision"),
];

/// The sheet of a level's units: `Thôn`, `Xã`, `Huyện`, `Tỉnh`, `Toàn quốc`.
pub fn level_sheet(level: Level) -> &'static str {
    match level {
        Level::Village => "Thôn",
        Level::Commune => "Xã",
        Level::District => "Huyện",
        Level::Province => "Tỉnh",
        Level::Country => "Toàn quốc",
    }
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ColumnKind {
    Code,
    Name,
    Parent,
    Region,
    CommuneGroup,
    Statuses,
    OutstandingFields,
    Weight(String),
    /// An indicator of the level's sets (its kind and whether "not applicable" is allowed),
    /// or another value (a roll-up's, or one the inputs give), read as a number or yes/no.
    Value {
        id: IndicatorId,
        kind: Option<ValueKind>,
        allow_not_applicable: bool,
    },
}

/// One column of a level sheet.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub(super) key: String,
    pub(super) kind: ColumnKind,
    pub(super) name: Label,
    pub(super) unit: String,
    pub(super) requirement: Option<Requirement>,
    /// The sets that read the value (for the threshold row).
    pub(super) sets: Vec<usize>,
}

/// One level sheet: the columns, the units (in code order) and the sets they are
/// assessed against.
#[derive(Debug, Clone)]
pub(super) struct LevelLayout {
    pub(super) level: Level,
    pub(super) columns: Vec<Column>,
    pub(super) units: Vec<AdminUnit>,
    pub(super) sets: Vec<CriteriaSet>,
    /// For each unit, the sets (indices into `sets`) that cover it.
    pub(super) unit_sets: Vec<Vec<usize>>,
}

/// The whole workbook's layout.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub(super) scope: UnitCode,
    pub(super) year: u16,
    pub(super) levels: Vec<LevelLayout>,
    /// Every unit code of the tree (valid at the request's date).
    pub(super) tree: BTreeSet<UnitCode>,
}

/// A data-entry workbook that cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// The request's tree is invalid or the scope is not in it.
    #[error("{0}")]
    Tree(String),
    /// A set cannot be resolved (unknown catalog id) or an overlay does not apply.
    #[error("{0}")]
    Sets(String),
    /// The file is not a workbook this crate reads.
    #[error("{0}")]
    NotAWorkbook(String),
    /// The workbook cannot be written.
    #[error("cannot write the workbook: {0}")]
    Write(String),
}

fn resolve(source: &SetSource, request: &Request) -> Result<CriteriaSet, EntryError> {
    let set = match source {
        #[cfg(feature = "catalog")]
        SetSource::Catalog(id) => {
            crate::policy::catalog::load(id).map_err(|e| EntryError::Sets(e.to_string()))?
        }
        #[cfg(not(feature = "catalog"))]
        SetSource::Catalog(id) => {
            return Err(EntryError::Sets(format!(
                "set `{id}` is named from the catalog, which this build leaves out"
            )))
        }
        SetSource::Inline(s) => (**s).clone(),
    };
    apply_overlays(&set, &request.overlays).map_err(|e| EntryError::Sets(e.to_string()))
}

fn unit_of(kind: &ValueKind) -> String {
    match kind {
        ValueKind::Decimal { unit } => unit.symbol(Lang::Vi).to_owned(),
        ValueKind::Count => "số lượng (count)".to_owned(),
        ValueKind::YesNo => "có/không (yes/no)".to_owned(),
        ValueKind::Grade { grades } => grades.join(" | "),
    }
}

fn fixed(key: &str, kind: ColumnKind, vi: &str, en: &str) -> Column {
    Column {
        key: key.to_owned(),
        kind,
        name: Label::new(vi, en),
        unit: String::new(),
        requirement: None,
        sets: Vec::new(),
    }
}

/// The layout of the workbook for `request` and the unit `scope` (default: the tree's
/// first root).
pub(super) fn layout(request: &Request, scope: Option<&str>) -> Result<Layout, EntryError> {
    let tree = Hierarchy::new(request.units.clone(), request.date)
        .map_err(|e| EntryError::Tree(e.to_string()))?;
    let scope_unit = match scope {
        Some(code) => tree
            .get(code)
            .ok_or_else(|| EntryError::Tree(format!("the scope `{code}` is not in the tree")))?,
        None => tree
            .roots()
            .next()
            .ok_or_else(|| EntryError::Tree("the tree has no units".to_owned()))?,
    };
    let mut sets_by_level: BTreeMap<Level, Vec<LevelSets<CriteriaSet>>> = BTreeMap::new();
    for level in &request.sets {
        let resolved = level.try_map(|s| resolve(s, request))?;
        sets_by_level.entry(level.level).or_default().push(resolved);
    }
    // Values the inputs give, by level, for the columns no set names.
    let mut given: BTreeMap<Level, BTreeSet<IndicatorId>> = BTreeMap::new();
    let mut weights: BTreeMap<Level, BTreeSet<String>> = BTreeMap::new();
    for input in &request.inputs {
        let RequestInput::Read(input) = input else {
            continue;
        };
        if let Some(unit) = tree.get(input.data.unit.as_str()) {
            given
                .entry(unit.level)
                .or_default()
                .extend(input.data.values.keys().cloned());
            weights
                .entry(unit.level)
                .or_default()
                .extend(input.weights.keys().cloned());
        }
    }
    let mut levels = Vec::new();
    for (level, groups) in &sets_by_level {
        let units: Vec<AdminUnit> = if scope_unit.level == *level {
            vec![scope_unit.clone()]
        } else {
            tree.descendants_at(scope_unit.code.as_str(), *level)
                .into_iter()
                .filter(|u| groups.iter().any(|g| g.covers(u)))
                .cloned()
                .collect()
        };
        if units.is_empty() {
            continue;
        }
        let sets: Vec<CriteriaSet> = groups.iter().flat_map(|g| g.sets.iter().cloned()).collect();
        let unit_sets = units
            .iter()
            .map(|u| {
                let mut k = 0;
                let mut covering = Vec::new();
                for g in groups {
                    for _ in &g.sets {
                        if g.covers(u) {
                            covering.push(k);
                        }
                        k += 1;
                    }
                }
                covering
            })
            .collect();
        let mut columns = vec![
            fixed("code", ColumnKind::Code, "Mã đơn vị", "Unit code"),
            fixed("name", ColumnKind::Name, "Tên đơn vị", "Unit name"),
            fixed(
                "parent",
                ColumnKind::Parent,
                "Đơn vị cấp trên",
                "Parent unit",
            ),
            fixed("region", ColumnKind::Region, "Vùng", "Region"),
            fixed(
                "commune_group",
                ColumnKind::CommuneGroup,
                "Nhóm xã",
                "Commune group",
            ),
            fixed("statuses", ColumnKind::Statuses, "Diện đặc thù", "Statuses"),
            fixed(
                "outstanding_fields",
                ColumnKind::OutstandingFields,
                "Lĩnh vực nổi bật",
                "Outstanding fields",
            ),
        ];
        for w in weights.get(level).into_iter().flatten() {
            columns.push(fixed(
                &format!("weight:{w}"),
                ColumnKind::Weight(w.clone()),
                &format!("Trọng số: {w}"),
                &format!("Weight: {w}"),
            ));
        }
        let mut seen: BTreeMap<IndicatorId, usize> = BTreeMap::new();
        for (k, set) in sets.iter().enumerate() {
            for indicator in set.all_indicators().filter(|i| i.derived.is_none()) {
                if let Some(&c) = seen.get(&indicator.id) {
                    if let Some(col) = columns.get_mut(c) {
                        col.sets.push(k);
                    }
                    continue;
                }
                seen.insert(indicator.id.clone(), columns.len());
                columns.push(Column {
                    key: indicator.id.to_string(),
                    kind: ColumnKind::Value {
                        id: indicator.id.clone(),
                        kind: Some(indicator.kind.clone()),
                        allow_not_applicable: indicator.allow_not_applicable,
                    },
                    name: indicator.name.clone(),
                    unit: unit_of(&indicator.kind),
                    requirement: Some(indicator.requirement),
                    sets: vec![k],
                });
            }
        }
        let rollups = request
            .rollups
            .iter()
            .filter(|r| r.from == *level)
            .map(|r| (r.indicator.clone(), r.name.clone()));
        let others = given
            .get(level)
            .into_iter()
            .flatten()
            .map(|id| (id.clone(), Label::new("(giá trị khác)", "(other value)")));
        for (id, name) in rollups.chain(others) {
            if seen.contains_key(&id) {
                continue;
            }
            seen.insert(id.clone(), columns.len());
            columns.push(Column {
                key: id.to_string(),
                kind: ColumnKind::Value {
                    id,
                    kind: None,
                    allow_not_applicable: false,
                },
                name,
                unit: String::new(),
                requirement: None,
                sets: Vec::new(),
            });
        }
        levels.push(LevelLayout {
            level: *level,
            columns,
            units,
            sets,
            unit_sets,
        });
    }
    Ok(Layout {
        scope: scope_unit.code.clone(),
        year: request.year,
        levels,
        tree: tree.units().map(|u| u.code.clone()).collect(),
    })
}
