//! The units' inputs and results by tree position (the order of
//! [`Hierarchy::units`](crate::tree::Hierarchy::units)), as the pass and the steps it calls
//! read them.

use crate::model::UnitCode;
use crate::tree::hierarchy::Hierarchy;
use crate::tree::input::UnitInput;
use crate::tree::result::UnitResult;

/// Stores a unit's result at its position.
pub(super) fn put(results: &mut [Option<UnitResult>], pos: usize, result: UnitResult) {
    if let Some(slot) = results.get_mut(pos) {
        *slot = Some(result);
    }
}

/// The inputs of each unit of the tree, by position: one sorted list and the start of
/// each unit's run (positions `p` has `list[start[p]..start[p + 1]]`, in input order).
pub(super) struct InputMap<'a> {
    list: Vec<&'a UnitInput>,
    start: Vec<usize>,
}

impl<'a> InputMap<'a> {
    /// Groups the inputs by unit; also returns the codes of inputs for units not in the
    /// tree, in code order, each once.
    pub(super) fn new(tree: &Hierarchy, inputs: &'a [UnitInput]) -> (Self, Vec<UnitCode>) {
        let mut start = vec![0usize; tree.len() + 1];
        let mut unknown: Vec<UnitCode> = Vec::new();
        // Inputs often come in code order: the unit after the previous input's is tried
        // first (codes are unique in the tree, so a match is the unit's position).
        let mut guess = 0;
        let positions: Vec<Option<usize>> = inputs
            .iter()
            .map(|i| {
                let code = i.data.unit.as_str();
                let pos = tree
                    .at(guess)
                    .filter(|u| u.code.as_str() == code)
                    .map(|_| guess)
                    .or_else(|| tree.position(code));
                if let Some(p) = pos {
                    guess = p + 1;
                }
                match pos.and_then(|p| start.get_mut(p + 1)) {
                    Some(n) => *n += 1,
                    None => unknown.push(i.data.unit.clone()),
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
        let mut list: Vec<Option<&UnitInput>> = vec![None; acc];
        for (input, pos) in inputs.iter().zip(positions) {
            let Some(at) = pos.and_then(|p| next.get_mut(p)) else {
                continue;
            };
            if let Some(slot) = list.get_mut(*at) {
                *slot = Some(input);
            }
            *at += 1;
        }
        let list = list.into_iter().flatten().collect();
        (InputMap { list, start }, unknown)
    }

    /// The inputs given for the unit at a position.
    pub(super) fn of(&self, pos: usize) -> &[&'a UnitInput] {
        let (Some(&from), Some(&to)) = (self.start.get(pos), self.start.get(pos + 1)) else {
            return &[];
        };
        self.list.get(from..to).unwrap_or_default()
    }

    /// The one input of the unit at a position (`None` if none or several).
    pub(super) fn one(&self, pos: usize) -> Option<&'a UnitInput> {
        match self.of(pos) {
            [one] => Some(*one),
            _ => None,
        }
    }
}
