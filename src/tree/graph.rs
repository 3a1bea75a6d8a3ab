//! Graph helpers over parent links by position: the cycles of a parent map and a
//! bottom-up order. [`Hierarchy::new`](crate::tree::Hierarchy::new) uses them; they are
//! linear in the number of nodes. The tests compare them with plain generic searches.

/// The cycles of a parent map over positions: `parent[i]` is the parent of node `i`. Iterative, with
/// colour marks; linear in the number of nodes (plus the length of each cycle found).
/// Each cycle is listed once, starting at its smallest node, in order of that node; a
/// node pointing at itself is a cycle of one.
pub(super) fn index_cycles(parent: &[Option<usize>]) -> Vec<Vec<usize>> {
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

/// A bottom-up order over positions `0..parent.len()` of a parent map without
/// cycles: deepest first, then by position. Depths are memoised, so this is linear
/// plus one sort of integers.
pub(super) fn index_bottom_up(parent: &[Option<usize>]) -> Vec<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    // The generic searches over a parent map (each node at most one parent) that the
    // position-indexed ones are tested against.

    /// The cycles of a parent map (`child → parent`), each once, each starting at its
    /// smallest node, in order of that node. A node pointing at itself is a cycle of one.
    fn cycles<K: Ord + Clone>(parent: &BTreeMap<K, K>) -> Vec<Vec<K>> {
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
                        let mut cycle: Vec<K> =
                            path.iter().skip(at).map(|k| (*k).clone()).collect();
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
    fn bottom_up_order<K: Ord + Clone>(nodes: &[K], parent: &BTreeMap<K, K>) -> Vec<K> {
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
