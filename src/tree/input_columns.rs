//! The tree pass's column input form: [`InputColumns`], every unit's input held by
//! tree position, the values of each level in typed columns (one column per indicator
//! id that the level's sets or roll-ups read: numbers as `Option<Decimal>`, flags,
//! grades; exact, nothing rounded), the profiles interned (a table of distinct profiles
//! and an index per row), and the rare parts (histories with events, weights no rate
//! roll-up of the level reads, outstanding fields, procedures, values no column holds)
//! held apart, by row.
//!
//! It is filled row by row: [`InputColumns::push_unit`] then
//! [`InputColumns::set_value`] (a value for an id no column holds, or of another kind
//! than its column, is a [`ColumnInputError`] naming the unit and the indicator, and
//! nothing of it is kept), or converted from the map form, exactly
//! ([`InputColumns::from_inputs`], [`InputColumns::push_input`]: every value is kept,
//! those no column holds apart, so the pass reports them as it reports the maps').
//! [`InputColumns::unit_input`] gives one row back in map form, identical to the one
//! converted. [`CompactInputs::from_columns`](crate::tree::CompactInputs::from_columns)
//! runs the compact pass from it without the map form of the plain units.

use crate::model::{
    CriteriaSet, History, IndicatorData, IndicatorId, Level, Profile, UnitCode, Value, ValueKind,
};
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::{AggregateOptions, LevelSets, RollUpMethod, UnitInput, Weight};
pub use crate::tree::input_columns_error::ColumnInputError;
use rust_decimal::Decimal;
use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// A row's position when its unit is not in the tree.
const NO_POS: u32 = u32::MAX;

/// One typed column, a value per row of its level (`None`: not given).
#[derive(Debug, Clone)]
pub(super) enum Column {
    /// Decimal and count indicators.
    Numbers(Vec<Option<Decimal>>),
    /// Yes/no indicators.
    Flags(Vec<Option<bool>>),
    /// Grade indicators: an index into the names given, by row.
    Grades(Vec<String>, Vec<Option<u32>>),
}

impl Column {
    fn new(kind: &ValueKind) -> Column {
        match kind {
            ValueKind::Decimal { .. } | ValueKind::Count => Column::Numbers(Vec::new()),
            ValueKind::YesNo => Column::Flags(Vec::new()),
            ValueKind::Grade { .. } => Column::Grades(Vec::new(), Vec::new()),
        }
    }

    fn push_none(&mut self) {
        match self {
            Column::Numbers(v) => v.push(None),
            Column::Flags(v) => v.push(None),
            Column::Grades(_, v) => v.push(None),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Column::Numbers(_) => "a number",
            Column::Flags(_) => "yes or no",
            Column::Grades(..) => "a grade",
        }
    }

    /// Puts `value` at `slot` when it is of the column's kind; gives it back otherwise.
    fn put(&mut self, slot: usize, value: Value) -> Result<(), Value> {
        match (self, value) {
            (Column::Numbers(v), Value::Number(n)) => set(v, slot, n),
            (Column::Flags(v), Value::Flag(b)) => set(v, slot, b),
            (Column::Grades(names, v), Value::Grade(g)) => {
                let at = match names.iter().position(|n| *n == g) {
                    Some(at) => at,
                    None => {
                        names.push(g);
                        names.len() - 1
                    }
                };
                set(v, slot, u32::try_from(at).unwrap_or(u32::MAX))
            }
            (_, other) => Err(other),
        }
    }

    /// The value at `slot`, in map form.
    pub(super) fn get(&self, slot: usize) -> Option<Value> {
        match self {
            Column::Numbers(v) => v.get(slot).copied().flatten().map(Value::Number),
            Column::Flags(v) => v.get(slot).copied().flatten().map(Value::Flag),
            Column::Grades(names, v) => {
                let at = v.get(slot).copied().flatten()?;
                names
                    .get(usize::try_from(at).ok()?)
                    .map(|g| Value::Grade(g.clone()))
            }
        }
    }
}

fn set<T>(column: &mut [Option<T>], slot: usize, value: T) -> Result<(), Value> {
    if let Some(c) = column.get_mut(slot) {
        *c = Some(value);
    }
    Ok(())
}

/// The columns of one level.
#[derive(Debug, Clone)]
pub(super) struct LevelColumns {
    pub(super) level: Level,
    rows: usize,
    /// By id, sorted.
    pub(super) columns: Vec<(IndicatorId, Column)>,
    /// The weights the level's rate roll-ups read, by name, sorted.
    pub(super) weights: Vec<(String, Vec<Option<Weight>>)>,
    /// The ids the level's sets read (criteria and preconditions), sorted.
    pub(super) set_ids: Vec<IndicatorId>,
}

impl LevelColumns {
    fn column(&self, id: &str) -> Option<usize> {
        self.columns
            .binary_search_by(|(c, _)| c.as_str().cmp(id))
            .ok()
    }
}

/// What a row holds apart: what few units have.
#[derive(Debug, Clone, Default)]
struct Rare {
    /// Values no column holds (ids no set of the level reads, another kind than the
    /// column, "not applicable"), by id.
    values: BTreeMap<IndicatorId, Value>,
    weights: BTreeMap<String, Weight>,
    outstanding_fields: Vec<String>,
    procedure: BTreeMap<String, String>,
    /// The unit's code, when it is not in the tree.
    code: Option<UnitCode>,
    /// The data's year, when it is not the first row's.
    year: Option<u16>,
}

/// The inputs of a tree pass in column form. See the module docs.
///
/// Rows name their unit by its position in the tree they were filled against: give
/// [`CompactInputs::from_columns`](crate::tree::CompactInputs::from_columns) that tree.
///
/// ```
/// use ntm_rules::model::{AdminUnit, Date, IndicatorId, Level, Profile, Region, Value};
/// use ntm_rules::policy::illustrative;
/// use ntm_rules::tree::{
///     aggregate, AggregateOptions, ColumnInputError, CompactInputs, Hierarchy, InputColumns,
///     LevelSets, UnitInput,
/// };
///
/// let tree = Hierarchy::new(vec![
///     AdminUnit::new("P", "Province", Level::Province),
///     AdminUnit::new("C1", "Commune 1", Level::Commune).with_parent("P"),
/// ], Date::end_of_year(2022))?;
/// let sets = vec![LevelSets::new(Level::Commune, illustrative::commune_sets())];
/// let options = AggregateOptions::default();
/// let inputs = vec![UnitInput::new(illustrative::sample_commune("C1", 2022))
///     .with_profile(Profile::in_region(Region::Tdmnpb))];
///
/// let columns = InputColumns::from_inputs(&tree, &sets, &options, &inputs);
/// assert_eq!(columns.unit_input(&tree, 0).as_ref(), Some(&inputs[0]));
/// let compact = CompactInputs::from_columns(&tree, 2022, &sets, &columns, &options)?.aggregate();
/// assert_eq!(compact.into_aggregation(), aggregate(&tree, 2022, &sets, &inputs, &options));
///
/// // Filled row by row, a value no set of the level reads is refused, named.
/// let mut columns = InputColumns::new(&sets, &options);
/// let row = columns.push_unit(&tree, &"C1".into(), 2022, &Profile::in_region(Region::Tdmnpb))?;
/// columns.set_value(&tree, row, &IndicatorId::new("3.1"), Value::Number(95.into()))?;
/// let err = columns.set_value(&tree, row, &IndicatorId::new("3.9"), Value::Flag(true));
/// assert!(matches!(err, Err(ColumnInputError::UnknownIndicator { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct InputColumns {
    levels: Vec<LevelColumns>,
    /// By row: the unit's tree position ([`NO_POS`] when not in the tree), its row in
    /// its level's columns, its profile.
    pos: Vec<u32>,
    /// The row's level's columns (`u8::MAX`: none) and its row in them.
    block: Vec<u8>,
    slot: Vec<u32>,
    profile: Vec<u32>,
    profiles: Vec<Profile>,
    /// The distinct profiles by hash, to intern a profile in constant time.
    profile_hashes: HashMap<u64, Vec<u32>>,
    hasher: RandomState,
    /// The year of the first row's data (the others' when they differ are apart).
    year: u16,
    /// Histories with events, by row, in row order.
    histories: Vec<(u32, History)>,
    rare: BTreeMap<u32, Rare>,
    /// The rows rebuilt in map form, each once, on demand (the per-unit path of the
    /// pass, explanations).
    rebuilt: Vec<OnceLock<Box<UnitInput>>>,
    /// The stamp of the tree the rows were filled against (none before the first row).
    tree: Option<u64>,
    /// A fingerprint of the columns' layout as made (levels, indicator ids and kinds,
    /// grade names, weights, the ids the sets read), to tell the sets they were made
    /// for from others.
    layout: u64,
}

impl InputColumns {
    /// Empty columns: one per indicator id that the `sets` of a level or the roll-ups of
    /// `options` from that level read, and one per weight the level's rate roll-ups
    /// read.
    pub fn new(sets: &[LevelSets], options: &AggregateOptions) -> InputColumns {
        let mut levels: Vec<LevelColumns> = Vec::new();
        for level in [
            Level::Village,
            Level::Commune,
            Level::District,
            Level::Province,
            Level::Country,
        ] {
            let mut columns: Vec<(IndicatorId, Column)> = Vec::new();
            let mut set_ids = Vec::new();
            let indicators = sets
                .iter()
                .filter(|g| g.level == level)
                .flat_map(|g| &g.sets)
                .flat_map(CriteriaSet::all_indicators);
            for ind in indicators {
                set_ids.push(ind.id.clone());
                if !columns.iter().any(|(id, _)| *id == ind.id) {
                    columns.push((ind.id.clone(), Column::new(&ind.kind)));
                }
            }
            let mut weights: Vec<(String, Vec<Option<Weight>>)> = Vec::new();
            for r in options.rollups().iter().filter(|r| r.from == level) {
                if !columns.iter().any(|(id, _)| *id == r.indicator) {
                    columns.push((r.indicator.clone(), Column::Numbers(Vec::new())));
                }
                if let RollUpMethod::Rate { weight } = &r.method {
                    if !weights.iter().any(|(w, _)| w == weight) {
                        weights.push((weight.clone(), Vec::new()));
                    }
                }
            }
            if columns.is_empty() && weights.is_empty() {
                continue;
            }
            columns.sort_by(|a, b| a.0.cmp(&b.0));
            weights.sort_by(|a, b| a.0.cmp(&b.0));
            set_ids.sort_unstable();
            set_ids.dedup();
            levels.push(LevelColumns {
                level,
                rows: 0,
                columns,
                weights,
                set_ids,
            });
        }
        InputColumns {
            layout: layout_stamp(&levels),
            levels,
            ..InputColumns::default()
        }
    }

    /// Whether the columns can be read against `tree`, `sets` and `options`: filled
    /// against that tree (or not filled at all) and made for those sets and roll-ups.
    ///
    /// # Errors
    ///
    /// [`ColumnInputError::OtherTree`] or [`ColumnInputError::OtherSets`].
    pub fn fits(
        &self,
        tree: &Hierarchy,
        sets: &[LevelSets],
        options: &AggregateOptions,
    ) -> Result<(), ColumnInputError> {
        self.same_tree(tree)?;
        if self.layout != InputColumns::new(sets, options).layout {
            return Err(ColumnInputError::OtherSets);
        }
        Ok(())
    }

    /// Whether the rows were filled against `tree` (true when there are none yet).
    fn same_tree(&self, tree: &Hierarchy) -> Result<(), ColumnInputError> {
        match self.tree {
            Some(t) if t != tree.stamp() => Err(ColumnInputError::OtherTree),
            _ => Ok(()),
        }
    }

    /// The map-form inputs in column form, every part of them kept (see
    /// [`InputColumns::push_input`]).
    pub fn from_inputs(
        tree: &Hierarchy,
        sets: &[LevelSets],
        options: &AggregateOptions,
        inputs: &[UnitInput],
    ) -> InputColumns {
        let mut columns = InputColumns::new(sets, options);
        for input in inputs {
            columns.push_input_to(tree, input);
        }
        columns.shrink_to_fit();
        columns
    }

    /// Gives back the room the columns grew into beyond their rows (call it when done
    /// filling: [`InputColumns::from_inputs`] does).
    pub fn shrink_to_fit(&mut self) {
        for l in &mut self.levels {
            for (_, c) in &mut l.columns {
                match c {
                    Column::Numbers(v) => v.shrink_to_fit(),
                    Column::Flags(v) => v.shrink_to_fit(),
                    Column::Grades(names, v) => {
                        names.shrink_to_fit();
                        v.shrink_to_fit();
                    }
                }
            }
            for (_, w) in &mut l.weights {
                w.shrink_to_fit();
            }
        }
        self.pos.shrink_to_fit();
        self.block.shrink_to_fit();
        self.slot.shrink_to_fit();
        self.profile.shrink_to_fit();
        self.profiles.shrink_to_fit();
        self.histories.shrink_to_fit();
        self.rebuilt.shrink_to_fit();
    }

    /// Number of rows (inputs).
    pub fn len(&self) -> usize {
        self.pos.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    /// Adds a row for the unit `code` of `tree`, with no values yet: returns the row.
    ///
    /// # Errors
    ///
    /// [`ColumnInputError::UnknownUnit`] when `tree` has no unit `code`.
    pub fn push_unit(
        &mut self,
        tree: &Hierarchy,
        code: &UnitCode,
        year: u16,
        profile: &Profile,
    ) -> Result<usize, ColumnInputError> {
        self.same_tree(tree)?;
        if tree.position(code.as_str()).is_none() {
            return Err(ColumnInputError::UnknownUnit { unit: code.clone() });
        }
        Ok(self.push_row(tree, code, year, profile))
    }

    /// Adds a row, the unit in the tree or not.
    fn push_row(
        &mut self,
        tree: &Hierarchy,
        code: &UnitCode,
        year: u16,
        profile: &Profile,
    ) -> usize {
        let row = self.pos.len();
        let row32 = u32::try_from(row).unwrap_or(u32::MAX);
        if row == 0 {
            self.year = year;
        }
        self.tree = Some(tree.stamp());
        let pos = tree.position(code.as_str());
        let level = pos.and_then(|p| tree.at(p)).map(|u| u.level);
        let mut slot = u32::MAX;
        let at = level.and_then(|l| self.levels.iter().position(|b| b.level == l));
        self.block
            .push(at.and_then(|b| u8::try_from(b).ok()).unwrap_or(u8::MAX));
        if let Some(block) = at.and_then(|b| self.levels.get_mut(b)) {
            slot = u32::try_from(block.rows).unwrap_or(u32::MAX);
            block.rows += 1;
            for (_, c) in &mut block.columns {
                c.push_none();
            }
            for (_, w) in &mut block.weights {
                w.push(None);
            }
        }
        self.pos
            .push(pos.and_then(|p| u32::try_from(p).ok()).unwrap_or(NO_POS));
        self.slot.push(slot);
        let hash = self.hasher.hash_one(profile);
        let same = self.profile_hashes.entry(hash).or_default();
        let found = same
            .iter()
            .copied()
            .find(|&p| self.profiles.get(p as usize) == Some(profile));
        let p = match found {
            Some(p) => p,
            None => {
                let p = u32::try_from(self.profiles.len()).unwrap_or(u32::MAX);
                self.profiles.push(profile.clone());
                same.push(p);
                p
            }
        };
        self.profile.push(p);
        self.rebuilt.push(OnceLock::new());
        if pos.is_none() {
            self.rare.entry(row32).or_default().code = Some(code.clone());
        }
        if year != self.year {
            self.rare.entry(row32).or_default().year = Some(year);
        }
        row
    }

    /// Sets a value of a row.
    ///
    /// # Errors
    ///
    /// A [`ColumnInputError`] naming the unit and the indicator (and nothing kept) when
    /// no set or roll-up of the unit's level reads `id`, or `value` is of another kind
    /// than its column ("not applicable" included: give it in the map form).
    pub fn set_value(
        &mut self,
        tree: &Hierarchy,
        row: usize,
        id: &IndicatorId,
        value: Value,
    ) -> Result<(), ColumnInputError> {
        self.same_tree(tree)?;
        let unit = self
            .code(tree, row)
            .ok_or(ColumnInputError::NoRow { row })?;
        let (block, slot) = self.block_slot(row);
        let Some((b, j)) = block.and_then(|b| Some((b, self.levels.get(b)?.column(id.as_str())?)))
        else {
            return Err(ColumnInputError::UnknownIndicator {
                unit,
                indicator: id.clone(),
            });
        };
        let column = self
            .levels
            .get_mut(b)
            .and_then(|l| l.columns.get_mut(j))
            .map(|(_, c)| c);
        let Some(column) = column else {
            return Err(ColumnInputError::NoRow { row });
        };
        let expected = column.name();
        column
            .put(slot, value)
            .map_err(|v| ColumnInputError::WrongKind {
                unit,
                indicator: id.clone(),
                expected,
                found: kind_name(&v),
            })
    }

    /// Sets the history of a row.
    pub fn set_history(&mut self, row: usize, history: History) {
        let Ok(row) = u32::try_from(row) else { return };
        if row as usize >= self.len() {
            return;
        }
        match self.histories.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(at) if history.events.is_empty() => {
                self.histories.remove(at);
            }
            Ok(at) => {
                if let Some(h) = self.histories.get_mut(at) {
                    h.1 = history;
                }
            }
            Err(_) if history.events.is_empty() => {}
            Err(at) => self.histories.insert(at, (row, history)),
        }
    }

    /// Sets a weight of a row (nothing for a row that does not exist).
    pub fn set_weight(&mut self, row: usize, name: &str, weight: Weight) {
        if row >= self.len() {
            return;
        }
        let (block, slot) = self.block_slot(row);
        let column = block
            .and_then(|b| self.levels.get_mut(b))
            .and_then(|l| l.weights.iter_mut().find(|(w, _)| w == name))
            .and_then(|(_, w)| w.get_mut(slot));
        match column {
            Some(w) => *w = Some(weight),
            None => {
                if let Ok(row) = u32::try_from(row) {
                    self.rare
                        .entry(row)
                        .or_default()
                        .weights
                        .insert(name.to_owned(), weight);
                }
            }
        }
    }

    /// Adds the map-form input of a unit, every part of it kept: its values in the
    /// columns of its level, those no column holds (an id no set of the level reads, a
    /// value of another kind, "not applicable") apart, so the pass reports them as it
    /// reports the maps'. The unit need not be in the tree (the pass lists it as an
    /// unknown input, or reads its history for the merger rule). Returns the row.
    ///
    /// # Errors
    ///
    /// [`ColumnInputError::OtherTree`] when the rows so far were filled against another
    /// tree (nothing is added).
    pub fn push_input(
        &mut self,
        tree: &Hierarchy,
        input: &UnitInput,
    ) -> Result<usize, ColumnInputError> {
        self.same_tree(tree)?;
        Ok(self.push_input_to(tree, input))
    }

    /// [`InputColumns::push_input`], the tree checked by the caller.
    fn push_input_to(&mut self, tree: &Hierarchy, input: &UnitInput) -> usize {
        let row = self.push_row(tree, &input.data.unit, input.data.year, &input.profile);
        let row32 = u32::try_from(row).unwrap_or(u32::MAX);
        let (block, slot) = self.block_slot(row);
        let mut apart = BTreeMap::new();
        for (id, value) in &input.data.values {
            let block = block.and_then(|b| self.levels.get_mut(b));
            let column = block.and_then(|l| {
                let j = l.column(id.as_str())?;
                l.columns.get_mut(j).map(|(_, c)| c)
            });
            let kept = match column {
                Some(c) => c.put(slot, value.clone()),
                None => Err(value.clone()),
            };
            if let Err(v) = kept {
                apart.insert(id.clone(), v);
            }
        }
        self.set_history(row, input.history.clone());
        for (name, w) in &input.weights {
            self.set_weight(row, name, *w);
        }
        if !apart.is_empty() || !input.outstanding_fields.is_empty() || !input.procedure.is_empty()
        {
            let rare = self.rare.entry(row32).or_default();
            rare.values = apart;
            rare.outstanding_fields
                .clone_from(&input.outstanding_fields);
            rare.procedure.clone_from(&input.procedure);
        }
        row
    }

    /// The map-form input of a row, rebuilt: identical to the one converted (none when
    /// `tree` is not the one the rows were filled against).
    pub fn unit_input(&self, tree: &Hierarchy, row: usize) -> Option<UnitInput> {
        self.same_tree(tree).ok()?;
        let code = self.code(tree, row)?;
        let row32 = u32::try_from(row).ok()?;
        let rare = self.rare.get(&row32);
        let mut data = IndicatorData::new(code, self.year_of(row));
        let (block, slot) = self.block_slot(row);
        let level = block.and_then(|b| self.levels.get(b));
        if let Some(l) = level {
            for (id, c) in &l.columns {
                if let Some(v) = c.get(slot) {
                    data.values.insert(id.clone(), v);
                }
            }
        }
        let mut input = UnitInput::new(data).with_profile(self.profile(row)?.clone());
        if let Some(h) = self.history(row) {
            input.history = h.clone();
        }
        if let Some(l) = level {
            for (name, w) in &l.weights {
                if let Some(w) = w.get(slot).copied().flatten() {
                    input.weights.insert(name.clone(), w);
                }
            }
        }
        if let Some(rare) = rare {
            for (id, v) in &rare.values {
                input.data.values.insert(id.clone(), v.clone());
            }
            for (name, w) in &rare.weights {
                input.weights.insert(name.clone(), *w);
            }
            input
                .outstanding_fields
                .clone_from(&rare.outstanding_fields);
            input.procedure.clone_from(&rare.procedure);
        }
        Some(input)
    }

    /// The map-form input of a row, rebuilt once and kept (for the pass's per-unit path
    /// and the explanations asked for).
    pub(super) fn input(&self, tree: &Hierarchy, row: usize) -> Option<&UnitInput> {
        let cell = self.rebuilt.get(row)?;
        if cell.get().is_none() {
            let input = self.unit_input(tree, row)?;
            return Some(cell.get_or_init(|| Box::new(input)));
        }
        cell.get().map(|b| &**b)
    }

    /// The unit's code of a row.
    pub(super) fn code(&self, tree: &Hierarchy, row: usize) -> Option<UnitCode> {
        let pos = *self.pos.get(row)?;
        if pos == NO_POS {
            let row = u32::try_from(row).ok()?;
            return self.rare.get(&row).and_then(|r| r.code.clone());
        }
        tree.at(pos as usize).map(|u| u.code.clone())
    }

    /// The tree position a row was given for (`None`: not in the tree).
    pub(super) fn position(&self, row: usize) -> Option<usize> {
        self.pos
            .get(row)
            .filter(|&&p| p != NO_POS)
            .map(|&p| p as usize)
    }

    /// The year of a row's data.
    pub(super) fn year_of(&self, row: usize) -> u16 {
        u32::try_from(row)
            .ok()
            .and_then(|r| self.rare.get(&r))
            .and_then(|r| r.year)
            .unwrap_or(self.year)
    }

    /// The profile of a row.
    pub(super) fn profile(&self, row: usize) -> Option<&Profile> {
        let p = *self.profile.get(row)?;
        self.profiles.get(p as usize)
    }

    /// The history of a row, when it has events.
    pub(super) fn history(&self, row: usize) -> Option<&History> {
        let row = u32::try_from(row).ok()?;
        let at = self
            .histories
            .binary_search_by_key(&row, |(r, _)| *r)
            .ok()?;
        self.histories.get(at).map(|(_, h)| h)
    }

    /// The values of a row held apart (none when it has none).
    pub(super) fn apart(&self, row: usize) -> Option<&BTreeMap<IndicatorId, Value>> {
        let row = u32::try_from(row).ok()?;
        self.rare.get(&row).map(|r| &r.values)
    }

    /// The columns of a row's level, and its row in them.
    pub(super) fn level_of(&self, row: usize) -> Option<(&LevelColumns, usize)> {
        let (block, slot) = self.block_slot(row);
        Some((self.levels.get(block?)?, slot))
    }

    /// Whether a set of the row's level reads `id`.
    pub(super) fn set_reads(&self, row: usize, id: &IndicatorId) -> bool {
        self.level_of(row)
            .is_some_and(|(l, _)| l.set_ids.binary_search(id).is_ok())
    }

    /// A row's value of one indicator, and its weight `weight` (for the roll-ups).
    pub(super) fn value_and_weight(
        &self,
        row: usize,
        id: &IndicatorId,
        weight: Option<&str>,
    ) -> (Option<Value>, Option<Weight>) {
        let level = self.level_of(row);
        let rare = u32::try_from(row).ok().and_then(|r| self.rare.get(&r));
        let value = level
            .and_then(|(l, slot)| {
                l.columns
                    .get(l.column(id.as_str())?)
                    .and_then(|(_, c)| c.get(slot))
            })
            .or_else(|| rare.and_then(|r| r.values.get(id).cloned()));
        let w = weight.and_then(|name| {
            level
                .and_then(|(l, slot)| {
                    l.weights
                        .iter()
                        .find(|(w, _)| w == name)
                        .and_then(|(_, w)| w.get(slot).copied().flatten())
                })
                .or_else(|| rare.and_then(|r| r.weights.get(name).copied()))
        });
        (value, w)
    }

    fn block_slot(&self, row: usize) -> (Option<usize>, usize) {
        let block = self.block.get(row).copied().unwrap_or(u8::MAX);
        let slot = self.slot.get(row).copied().unwrap_or(u32::MAX);
        if block == u8::MAX || slot == u32::MAX {
            return (None, 0);
        }
        (Some(usize::from(block)), slot as usize)
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Number(_) => "a number",
        Value::Flag(_) => "yes or no",
        Value::Grade(_) => "a grade",
        Value::NotApplicable => "not applicable",
    }
}

/// A fingerprint of the columns' layout: each level's indicator ids with their kinds
/// (and grade names), weights and the ids its sets read, as made; the columns of no
/// level (those of `InputColumns::default()`) have the stamp 0.
fn layout_stamp(levels: &[LevelColumns]) -> u64 {
    use std::hash::{Hash, Hasher};
    if levels.is_empty() {
        return 0;
    }
    let mut h = std::hash::DefaultHasher::new();
    for l in levels {
        l.level.hash(&mut h);
        for (id, c) in &l.columns {
            id.as_str().hash(&mut h);
            match c {
                Column::Numbers(_) => 0u8.hash(&mut h),
                Column::Flags(_) => 1u8.hash(&mut h),
                Column::Grades(names, _) => {
                    2u8.hash(&mut h);
                    names.hash(&mut h);
                }
            }
        }
        for (w, _) in &l.weights {
            w.hash(&mut h);
        }
        for id in &l.set_ids {
            id.as_str().hash(&mut h);
        }
    }
    h.finish()
}
