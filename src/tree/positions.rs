//! The units' inputs and results by tree position (the order of
//! [`Hierarchy::units`](crate::tree::Hierarchy::units)), as the pass and the steps it calls
//! read them.

use crate::model::UnitCode;
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::UnitInput;
use crate::tree::input_columns::InputColumns;
use crate::tree::result::UnitResult;
use std::sync::OnceLock;

/// Stores a unit's result at its position.
pub(super) fn put(results: &mut [Option<UnitResult>], pos: usize, result: UnitResult) {
    if let Some(slot) = results.get_mut(pos) {
        *slot = Some(result);
    }
}

/// Where a pass reads its inputs from: the map form, or the column form (whose rows
/// are rebuilt in map form only when read).
#[derive(Clone, Copy)]
pub(super) enum Source<'a> {
    Maps(&'a [UnitInput]),
    Columns(&'a InputColumns),
}

/// The inputs of each unit of the tree, by position: one sorted list and the start of
/// each unit's run (positions `p` has `list[start[p]..start[p + 1]]`, in input order).
pub(super) struct InputMap<'a> {
    list: List<'a>,
    start: Vec<usize>,
}

enum List<'a> {
    Maps(Vec<&'a UnitInput>),
    /// The rows of each run, each rebuilt when first read; a run of several rows (a unit
    /// given twice) is rebuilt as a whole when the map is made.
    Columns {
        tree: &'a Hierarchy,
        columns: &'a InputColumns,
        rows: Vec<u32>,
        cells: Vec<OnceLock<&'a UnitInput>>,
        many: Vec<(usize, Vec<&'a UnitInput>)>,
    },
}

impl<'a> InputMap<'a> {
    /// Groups the inputs by unit; also returns the inputs for units not in the tree
    /// (in input order), and their codes in code order, each once.
    pub(super) fn new(
        tree: &'a Hierarchy,
        source: Source<'a>,
    ) -> (Self, Vec<&'a UnitInput>, Vec<UnitCode>) {
        let n = match source {
            Source::Maps(inputs) => inputs.len(),
            Source::Columns(c) => c.len(),
        };
        let mut start = vec![0usize; tree.len() + 1];
        let mut unknown: Vec<UnitCode> = Vec::new();
        let mut former: Vec<&'a UnitInput> = Vec::new();
        // Inputs often come in code order: the unit after the previous input's is tried
        // first (codes are unique in the tree, so a match is the unit's position).
        let mut guess = 0;
        let positions: Vec<Option<usize>> = (0..n)
            .map(|i| {
                let pos = match source {
                    Source::Maps(inputs) => {
                        let code = inputs.get(i).map_or("", |i| i.data.unit.as_str());
                        tree.at(guess)
                            .filter(|u| u.code.as_str() == code)
                            .map(|_| guess)
                            .or_else(|| tree.position(code))
                    }
                    // The position the row was given for, when it is this tree's.
                    Source::Columns(c) => match c.position(i) {
                        Some(p) if c.code(tree, i).is_some() => Some(p),
                        _ => c
                            .code(tree, i)
                            .and_then(|code| tree.position(code.as_str())),
                    },
                };
                if let Some(p) = pos {
                    guess = p + 1;
                }
                match pos.and_then(|p| start.get_mut(p + 1)) {
                    Some(k) => *k += 1,
                    None => {
                        let input = match source {
                            Source::Maps(inputs) => inputs.get(i),
                            Source::Columns(c) => c.input(tree, i),
                        };
                        if let Some(input) = input {
                            unknown.push(input.data.unit.clone());
                            former.push(input);
                        }
                    }
                }
                pos
            })
            .collect();
        unknown.sort();
        unknown.dedup();
        // Counts → starts (prefix sums).
        let mut acc = 0;
        for s in &mut start {
            acc += *s;
            *s = acc;
        }
        // Counting sort, stable: each input goes to the next free slot of its unit.
        let mut next = start.clone();
        let mut order: Vec<u32> = vec![u32::MAX; acc];
        for (i, pos) in positions.into_iter().enumerate() {
            let Some(at) = pos.and_then(|p| next.get_mut(p)) else {
                continue;
            };
            if let Some(slot) = order.get_mut(*at) {
                *slot = u32::try_from(i).unwrap_or(u32::MAX);
            }
            *at += 1;
        }
        let list = match source {
            Source::Maps(inputs) => List::Maps(
                order
                    .iter()
                    .filter_map(|&i| inputs.get(i as usize))
                    .collect(),
            ),
            Source::Columns(columns) => {
                let mut many = Vec::new();
                for (pos, w) in start.windows(2).enumerate() {
                    if let (Some(&from), Some(&to)) = (w.first(), w.get(1)) {
                        if to - from > 1 {
                            let rows = order.get(from..to).unwrap_or_default();
                            let inputs = rows
                                .iter()
                                .filter_map(|&r| columns.input(tree, r as usize))
                                .collect();
                            many.push((pos, inputs));
                        }
                    }
                }
                List::Columns {
                    tree,
                    columns,
                    cells: (0..order.len()).map(|_| OnceLock::new()).collect(),
                    rows: order,
                    many,
                }
            }
        };
        (InputMap { list, start }, former, unknown)
    }

    /// The inputs given for the unit at a position.
    pub(super) fn of(&self, pos: usize) -> &[&'a UnitInput] {
        let (Some(&from), Some(&to)) = (self.start.get(pos), self.start.get(pos + 1)) else {
            return &[];
        };
        match &self.list {
            List::Maps(list) => list.get(from..to).unwrap_or_default(),
            List::Columns {
                tree,
                columns,
                rows,
                cells,
                many,
            } => match to.saturating_sub(from) {
                0 => &[],
                1 => {
                    let (Some(cell), Some(&row)) = (cells.get(from), rows.get(from)) else {
                        return &[];
                    };
                    if cell.get().is_none() {
                        if let Some(input) = columns.input(tree, row as usize) {
                            let _ = cell.set(input);
                        }
                    }
                    cell.get().map_or(&[], std::slice::from_ref)
                }
                _ => many
                    .iter()
                    .find(|(p, _)| *p == pos)
                    .map_or(&[], |(_, inputs)| inputs.as_slice()),
            },
        }
    }

    /// The one input of the unit at a position (`None` if none or several).
    pub(super) fn one(&self, pos: usize) -> Option<&'a UnitInput> {
        match self.of(pos) {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The row of the column form of the one input of the unit at a position (`None`:
    /// none, several, or the inputs are maps).
    pub(super) fn one_row(&self, pos: usize) -> Option<usize> {
        let (Some(&from), Some(&to)) = (self.start.get(pos), self.start.get(pos + 1)) else {
            return None;
        };
        match &self.list {
            List::Columns { rows, .. } if to == from + 1 => rows.get(from).map(|&r| r as usize),
            _ => None,
        }
    }
}
