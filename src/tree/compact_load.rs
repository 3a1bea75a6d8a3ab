//! Loading the inputs of a compact pass ([`CompactInputs::new`] from the map form,
//! [`CompactInputs::from_columns`] from the column form): which units are plain, their
//! batches, and their values keyed into columns. A child of `compact.rs`.

use super::{Batch, BatchKey, CompactInputs, Group, Noted};
use crate::engine::{held_before, Columns, Program, TierPrograms};
use crate::model::fast_hash::HashMap;
use crate::model::{AdminUnit, History, IndicatorData, Level, Profile, TierId};
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::{AggregateOptions, LevelSets, RollUp, RollUpMethod, UnitInput};
use crate::tree::input_columns::{Column, ColumnInputError, InputColumns};
use crate::tree::pass::Pass;
use crate::tree::positions::Source;
use crate::tree::rollup::Contribution;
use std::borrow::Cow;

impl<'a> CompactInputs<'a> {
    /// Loads the inputs of a pass (the arguments of
    /// [`aggregate`](crate::tree::aggregate)).
    pub fn new(
        tree: &'a Hierarchy,
        year: u16,
        sets: &'a [LevelSets],
        inputs: &'a [UnitInput],
        options: &'a AggregateOptions,
    ) -> CompactInputs<'a> {
        let pass = Pass::new(tree, year, sets, Source::Maps(inputs), options);
        load(pass, None)
    }

    /// Loads the inputs of a pass given in column form (see [`InputColumns`]): the
    /// plain units are keyed from the columns, and only the units of the per-unit path
    /// (districts, provinces, mergers, units with derived indicators, units given
    /// twice or whose data or history does not fit a batch) are rebuilt in map form,
    /// when the pass reads them; so is a unit of the batch path whose full explanation
    /// is asked for ([`CompactAggregation::unit_result`](super::CompactAggregation::unit_result)).
    /// The rebuilt inputs are kept in `columns`, each once. The result is the one
    /// [`CompactInputs::new`] gives for the same inputs in map form.
    ///
    /// # Errors
    ///
    /// [`ColumnInputError::OtherTree`] when `columns` were filled against another tree
    /// (their rows name units by position in it), [`ColumnInputError::OtherSets`] when
    /// they were made for other sets or roll-ups (see [`InputColumns::fits`]).
    pub fn from_columns(
        tree: &'a Hierarchy,
        year: u16,
        sets: &'a [LevelSets],
        columns: &'a InputColumns,
        options: &'a AggregateOptions,
    ) -> Result<CompactInputs<'a>, ColumnInputError> {
        columns.fits(tree, sets, options)?;
        let pass = Pass::new(tree, year, sets, Source::Columns(columns), options);
        Ok(load(pass, Some(columns)))
    }
}

/// The plain units of a batch: their data in map form, or their rows in column form.
enum Members<'a> {
    Data(Vec<&'a IndicatorData>),
    Rows(Vec<usize>),
}

/// What loading needs of one unit's one input.
struct One<'p> {
    profile: &'p Profile,
    history: &'p History,
    /// The values to look for unused ones in: all of the map form's, the column form's
    /// held apart (no column holds an id no set of the level reads).
    data: Cow<'p, IndicatorData>,
}

static NO_HISTORY: History = History { events: Vec::new() };

/// Loads a pass: see [`CompactInputs::new`] and [`CompactInputs::from_columns`].
fn load<'a>(mut pass: Pass<'a>, columns: Option<&'a InputColumns>) -> CompactInputs<'a> {
    let tree = pass.tree;
    let mut full = Vec::new();
    // (group of sets, the programs' tables) → batch.
    let mut index: HashMap<BatchKey, usize> = HashMap::default();
    let mut members: Vec<(Batch, Members<'a>)> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut noted = Vec::new();
    let mut contributions = Vec::new();
    for (pos, unit) in pass.order() {
        for (k, r) in pass.rollups.iter().enumerate() {
            if r.from == unit.level {
                let c = match columns {
                    None => Contribution::of(r, None, pass.by_unit.one(pos)),
                    Some(c) => {
                        let input = pass
                            .by_unit
                            .one_row(pos)
                            .map(|row| rollup_input(c, tree, row, r));
                        Contribution::of(r, None, input.flatten().as_ref())
                    }
                };
                contributions.push((pos, k, c));
            }
        }
        let Some((key, programs, held)) = plain(&mut pass, pos, unit, &mut noted, &index, columns)
        else {
            full.push(pos);
            continue;
        };
        let at = match programs {
            Err(at) => at,
            Ok(programs) => {
                let programs = TierPrograms::new(programs);
                let lowest = programs.lowest().and_then(|i| programs.programs().get(i));
                groups.push(Group {
                    level: unit.level,
                    tiers: programs.tiers().to_vec(),
                    criteria: lowest.map(|p| p.criteria_ids()).unwrap_or_default(),
                });
                let rows = match columns {
                    None => Members::Data(Vec::new()),
                    Some(_) => Members::Rows(Vec::new()),
                };
                members.push((
                    Batch {
                        level: unit.level,
                        programs,
                        positions: Vec::new(),
                        held: Vec::new(),
                        columns: Vec::new(),
                        group: groups.len() - 1,
                    },
                    rows,
                ));
                index.insert(key, members.len() - 1);
                members.len() - 1
            }
        };
        if let Some((batch, rows)) = members.get_mut(at) {
            batch.positions.push(pos);
            batch.held.push(held);
            match rows {
                Members::Data(data) => {
                    if let Some(input) = pass.by_unit.one(pos) {
                        data.push(&input.data);
                    }
                }
                Members::Rows(rows) => rows.extend(pass.by_unit.one_row(pos)),
            }
        }
    }
    let mut batches = Vec::new();
    for (mut batch, rows) in members {
        match (rows, columns) {
            (Members::Data(data), _) => key_columns(&mut batch, data, &mut full),
            (Members::Rows(rows), Some(c)) => key_rows(&mut batch, tree, c, rows, &mut full),
            (Members::Rows(_), None) => full.append(&mut batch.positions),
        }
        batch.positions.shrink_to_fit();
        batch.held.shrink_to_fit();
        batches.push(batch);
    }
    full.sort_by_key(|&pos| (tree.at(pos).map(|u| u.level), pos));
    // Held through the pass: without the room they grew into.
    contributions.shrink_to_fit();
    noted.shrink_to_fit();
    CompactInputs {
        pass,
        batches,
        groups,
        full,
        noted,
        contributions,
    }
}

/// The part of a row's input a roll-up reads (its value and weight), in map form.
fn rollup_input(c: &InputColumns, tree: &Hierarchy, row: usize, r: &RollUp) -> Option<UnitInput> {
    let weight = match &r.method {
        RollUpMethod::Rate { weight } => Some(weight.as_str()),
        _ => None,
    };
    let (value, w) = c.value_and_weight(row, &r.indicator, weight);
    let mut data = IndicatorData::new(c.code(tree, row)?, c.year_of(row));
    if let Some(v) = value {
        data.values.insert(r.indicator.clone(), v);
    }
    let mut input = UnitInput::new(data);
    if let (Some(name), Some(w)) = (weight, w) {
        input.weights.insert(name.to_owned(), w);
    }
    Some(input)
}

/// The one input of the unit at `pos`, for loading (`None`: none or several, or a row
/// of the column form that must take the per-unit path: data for another year, or a
/// value held apart that a set of its level reads).
fn one<'p>(pass: &Pass<'p>, pos: usize, columns: Option<&'p InputColumns>) -> Option<One<'p>> {
    let Some(c) = columns else {
        let input = pass.by_unit.one(pos)?;
        return Some(One {
            profile: &input.profile,
            history: &input.history,
            data: Cow::Borrowed(&input.data),
        });
    };
    let row = pass.by_unit.one_row(pos)?;
    if c.year_of(row) != pass.year {
        return None;
    }
    let mut data = IndicatorData::new(c.code(pass.tree, row)?, c.year_of(row));
    if let Some(apart) = c.apart(row) {
        if apart.keys().any(|id| c.set_reads(row, id)) {
            return None;
        }
        data.values.clone_from(apart);
    }
    Some(One {
        profile: c.profile(row)?,
        history: c.history(row).unwrap_or(&NO_HISTORY),
        data: Cow::Owned(data),
    })
}

/// Whether the unit at `pos` takes the batch path: its batch's key, its programs (or
/// the batch that has them) and the rank of the tier it holds. Records its unused
/// values and incomplete profile as the per-unit path does.
#[allow(clippy::type_complexity, reason = "one private call site")]
fn plain<'a>(
    pass: &mut Pass<'a>,
    pos: usize,
    unit: &AdminUnit,
    noted: &mut Vec<Noted>,
    batches: &HashMap<BatchKey, usize>,
    columns: Option<&'a InputColumns>,
) -> Option<(
    BatchKey,
    Result<Vec<crate::engine::Program>, usize>,
    Option<usize>,
)> {
    let sets = pass.sets;
    let g = sets.iter().position(|s| s.covers(unit))?;
    let derived = pass.derived_by_group.get(g).is_none_or(|d| !d.is_empty());
    if derived || unit.level >= Level::District || !unit.merged_from.is_empty() {
        return None;
    }
    let input = one(pass, pos, columns)?;
    let year = pass.year;
    let evaluator = pass.evaluators.get_mut(g)?;
    let compiled = evaluator.compiled(input.profile);
    let mut tables = Vec::with_capacity(compiled.len());
    for p in compiled {
        let p = p.as_ref().ok().filter(|p| p.criteria_count() <= 64)?;
        tables.push(p.table_id());
    }
    let tiers = compiled.first()?.as_ref().ok()?.scheme_tiers();
    let held = held_rank(input.history, tiers, year, &unit.code)?;
    let key = (g, tables);
    let programs = match batches.get(&key) {
        Some(&b) => Err(b),
        None => Ok(compiled
            .iter()
            .filter_map(|p| p.as_ref().ok().cloned())
            .collect()),
    };
    let lacks = evaluator.profile_lacks(input.profile);
    let mut unused = Vec::new();
    pass.known_of(unit.level).unused(&input.data, &mut unused);
    if !unused.is_empty() || !lacks.is_empty() {
        noted.push((pos, unused, lacks));
    }
    Some((key, programs, held))
}

/// The rank of the tier held before `year`, when the history nests.
fn held_rank(
    history: &crate::model::History,
    tiers: &[TierId],
    year: u16,
    unit: &crate::model::UnitCode,
) -> Option<Option<usize>> {
    if history.events.is_empty() {
        return Some(None);
    }
    let held = held_before(history, tiers, year, unit).ok()?;
    Some(held.and_then(|t| tiers.iter().position(|x| x == &t)))
}

/// Keys a batch's data into columns, one per program; the units whose data does not fit
/// a program move to the per-unit path (which reports them as `aggregate` does).
fn key_columns(batch: &mut Batch, data: Vec<&IndicatorData>, full: &mut Vec<usize>) {
    key_fitting(batch, data, full, |p, data| {
        Columns::from_data_rows(p, data)
    });
}

/// Keys a batch's rows of the column form into columns, one per program, from the typed
/// columns of their level; the units whose data does not fit a program move to the
/// per-unit path (which reports them as `aggregate` does).
fn key_rows(
    batch: &mut Batch,
    tree: &Hierarchy,
    c: &InputColumns,
    rows: Vec<usize>,
    full: &mut Vec<usize>,
) {
    key_fitting(batch, rows, full, |p, rows| {
        let codes = rows.iter().filter_map(|&r| c.code(tree, r)).collect();
        let mut keyed = Columns::new(p, codes);
        fill(&mut keyed, c, rows);
        keyed
    });
}

/// Keys a batch's members (one per unit, in the batch's order) into columns, one per
/// program, with `key`; the units whose data does not fit a program move to `full` (the
/// per-unit path), and the others are keyed again without them.
fn key_fitting<T>(
    batch: &mut Batch,
    mut members: Vec<T>,
    full: &mut Vec<usize>,
    key: impl Fn(&Program, &[T]) -> Columns,
) {
    loop {
        let mut bad = vec![false; members.len()];
        batch.columns.clear();
        for p in batch.programs.programs() {
            let (bound, errors) = key(p, &members).finish();
            if !errors.is_empty() {
                let mut keep = vec![false; members.len()];
                for &u in bound.indices() {
                    if let Some(k) = keep.get_mut(u) {
                        *k = true;
                    }
                }
                for (b, k) in bad.iter_mut().zip(keep) {
                    *b |= !k;
                }
            }
            batch.columns.push(bound);
        }
        if !bad.contains(&true) {
            return;
        }
        let mut i = 0;
        batch.positions.retain(|&pos| {
            let drop = bad.get(i).copied().unwrap_or(false);
            i += 1;
            if drop {
                full.push(pos);
            }
            !drop
        });
        let mut i = 0;
        batch.held.retain(|_| {
            i += 1;
            !bad.get(i - 1).copied().unwrap_or(false)
        });
        let mut i = 0;
        members.retain(|_| {
            i += 1;
            !bad.get(i - 1).copied().unwrap_or(false)
        });
    }
}

/// Gives `keyed` every column of the rows' level that its program reads, gathered for
/// the rows (one level: a batch's units share it). A column of another kind than the
/// program's indicator is given as values, each then a problem of its unit, as the map
/// form's would be.
fn fill(keyed: &mut Columns, c: &InputColumns, rows: &[usize]) {
    let Some((level, _)) = rows.first().and_then(|&r| c.level_of(r)) else {
        return;
    };
    let slots: Vec<usize> = rows
        .iter()
        .map(|&r| c.level_of(r).map_or(usize::MAX, |(_, s)| s))
        .collect();
    for (id, column) in &level.columns {
        let given = match column {
            Column::Numbers(v) => {
                let values: Vec<Option<_>> =
                    slots.iter().map(|&s| v.get(s).copied().flatten()).collect();
                keyed.numbers(id.as_str(), &values)
            }
            Column::Flags(v) => {
                let values: Vec<Option<bool>> =
                    slots.iter().map(|&s| v.get(s).copied().flatten()).collect();
                keyed.flags(id.as_str(), &values)
            }
            Column::Grades(..) => {
                let values: Vec<Option<String>> = slots
                    .iter()
                    .map(|&s| match column.get(s) {
                        Some(crate::model::Value::Grade(g)) => Some(g),
                        _ => None,
                    })
                    .collect();
                keyed.grades(id.as_str(), &values)
            }
        };
        if let Err(crate::engine::ColumnError::WrongKind { .. }) = given {
            let values: Vec<Option<crate::model::Value>> =
                slots.iter().map(|&s| column.get(s)).collect();
            // INVARIANT: the id is the program's (the error was of the kind), so this
            // column is accepted, its values' kinds checked one by one.
            let _ = keyed.values(id.as_str(), &values);
        }
    }
}
