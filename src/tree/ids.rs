//! Integer ids inside the flat counters of the compact pass: tier and criterion ids
//! interned as their index in a list, and short lists of them held inline.

use crate::model::{CriterionId, TierId};

/// Tier and criterion ids as integers (their index in these lists).
#[derive(Debug, Default, Clone)]
pub(super) struct Names {
    pub(super) tiers: Vec<TierId>,
    pub(super) criteria: Vec<CriterionId>,
}

impl Names {
    /// The integer id of a tier (new ids are appended).
    pub(super) fn tier(&mut self, t: &TierId) -> Option<u16> {
        intern(&mut self.tiers, t)
    }

    /// The integer id of a criterion (new ids are appended).
    pub(super) fn criterion(&mut self, c: &CriterionId) -> Option<u16> {
        intern(&mut self.criteria, c)
    }
}

fn intern<T: PartialEq + Clone>(list: &mut Vec<T>, x: &T) -> Option<u16> {
    let at = match list.iter().position(|y| y == x) {
        Some(i) => i,
        None => {
            list.push(x.clone());
            list.len() - 1
        }
    };
    u16::try_from(at).ok()
}

/// A short list of integer ids, inline.
#[derive(Debug, Clone, Copy)]
pub(super) struct Small<const N: usize> {
    pub(super) len: usize,
    ids: [u16; N],
}

impl<const N: usize> Small<N> {
    pub(super) fn new() -> Self {
        Small {
            len: 0,
            ids: [0; N],
        }
    }

    pub(super) fn push(&mut self, id: u16) -> Option<()> {
        *self.ids.get_mut(self.len)? = id;
        self.len += 1;
        Some(())
    }

    pub(super) fn as_slice(&self) -> &[u16] {
        self.ids.get(..self.len).unwrap_or_default()
    }
}
