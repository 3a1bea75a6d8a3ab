//! A structure-aware mutation of a JSON document: a seed (one of the shipped files) and
//! a list of edits at paths inside it. Most results still parse, so the fuzzers reach
//! validation, compilation, evaluation, decisions, aggregation and reports; the edits
//! put the values there that a hostile or careless file would.

use arbitrary::Arbitrary;
use serde_json::{Map, Value};

/// A seed document and the edits applied to it, in order.
#[derive(Debug, Arbitrary)]
pub struct Recipe {
    /// Which seed (modulo the number of seeds).
    pub seed: u8,
    /// The edits.
    pub edits: Vec<Edit>,
    /// Cut the written text after this many bytes (modulo its length + 1): a syntax error.
    pub cut: Option<u16>,
}

/// One edit at a path: each step picks a child (a key of an object, an element of an
/// array, modulo their number); the path ends at a leaf or when it runs out.
#[derive(Debug, Arbitrary)]
pub struct Edit {
    /// The steps.
    pub path: Vec<u8>,
    /// What to do there.
    pub op: Op,
}

/// What an edit does to the node at its path.
#[derive(Debug, Arbitrary)]
pub enum Op {
    /// Remove it from its parent.
    Delete,
    /// Put a copy of it next to it (arrays) or under another key (objects).
    Duplicate(Word),
    /// Replace it.
    Replace(Leaf),
    /// Replace it with a copy of the node at another path of the document.
    CopyFrom(Vec<u8>),
    /// Rename its key (objects).
    Rename(Word),
    /// Add a key to it (when it is an object).
    Insert(Word, Leaf),
    /// Keep the first n elements (arrays) or keys (objects).
    Truncate(u8),
    /// Repeat the array's elements up to n times (many units, many rows).
    Repeat(u8),
}

/// A value to put in a document.
#[derive(Debug, Arbitrary)]
pub enum Leaf {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A small integer (a year offset, a count).
    Small(u8),
    /// A year near the schemes' years.
    Year(u8),
    /// A decimal number written as a JSON number.
    Number(DecimalText),
    /// A decimal number written as a JSON string (as the formats write exact decimals).
    NumberText(DecimalText),
    /// A word of the seed or of the domain.
    Word(Word),
    /// Any text.
    Text(String),
    /// A date `YYYY-MM-DD`.
    Date(u16, u8, u8),
    /// `{}`.
    Object,
    /// `[]`.
    Array,
    /// `{word: leaf}`, e.g. `{"number": "1.5"}`.
    Tagged(Word, Box<Leaf>),
    /// `[leaf, leaf]`.
    Pair(Box<Leaf>, Box<Leaf>),
}

/// A decimal number's parts.
#[derive(Debug, Arbitrary)]
pub struct DecimalText {
    /// Negative.
    pub negative: bool,
    /// The integer part.
    pub int: u64,
    /// The fraction's digits, if any.
    pub fraction: Option<u32>,
    /// Leading zeros of the fraction.
    pub zeros: u8,
    /// An exponent, if any.
    pub exponent: Option<i8>,
    /// Repeat the integer's digits this many times (numbers past 28 digits).
    pub repeat: u8,
}

impl DecimalText {
    /// The number as text.
    pub fn text(&self) -> String {
        let mut s = String::new();
        if self.negative {
            s.push('-');
        }
        let digits = self.int.to_string();
        for _ in 0..=(self.repeat % 5) {
            s.push_str(&digits);
        }
        if let Some(f) = self.fraction {
            s.push('.');
            for _ in 0..(self.zeros % 30) {
                s.push('0');
            }
            s.push_str(&f.to_string());
        }
        if let Some(e) = self.exponent {
            s.push('e');
            s.push_str(&e.to_string());
        }
        s
    }
}

/// A word: one of the seed's strings and keys, or of the domain's.
#[derive(Debug, Arbitrary)]
pub enum Word {
    /// The seed's strings and keys.
    Seed(u16),
    /// The domain's words ([`DOMAIN_WORDS`]).
    Domain(u8),
}

/// Words every format uses: kinds, levels, regions, requirements, tiers, events.
pub const DOMAIN_WORDS: &[&str] = &[
    "number",
    "flag",
    "grade",
    "not_applicable",
    "count",
    "percent",
    "rate",
    "sum",
    "share",
    "households",
    "population",
    "at_least",
    "at_most",
    "greater_than",
    "less_than",
    "equal",
    "one_of",
    "unknown",
    "delegated",
    "commune",
    "district",
    "province",
    "village",
    "country",
    "rural_commune",
    "ward",
    "town",
    "rural_district",
    "city",
    "tdmnpb",
    "dbsh",
    "btb",
    "dhntb",
    "tn",
    "dnb",
    "dbscl",
    "group1",
    "group2",
    "group3",
    "standard",
    "advanced",
    "model",
    "modern",
    "completed",
    "recognised",
    "revoked",
    "maintained",
    "all",
    "any",
    "min_met",
    "catalog:vn-2021-2025-commune-standard",
    "catalog:vn-2021-2025-commune-advanced",
    "catalog:vn-2021-2025-commune-model",
    "catalog:vn-2026-2030-commune-standard",
    "catalog:vn-2016-2020-commune-standard",
    "catalog:vn-2021-2025-district-standard",
    "vn-2021-2025-commune-standard",
    "vn-2026-2030-commune-modern",
    "illustrative-commune-standard",
    "1.1",
    "3.1",
    "10.1",
    "17.1",
    "17.2",
    "P.1",
    "2022",
    "2021-12-31",
    "2025-07-01",
    "0",
    "-1",
    "1e400",
    "0.0000000000000000000000000001",
    "99999999999999999999999999999",
    "",
    " ",
    "\u{0}",
    "Xã",
    "/",
    "~1",
    "cumulative",
    "new",
    "tier_count",
    "weights",
    "history",
    "events",
    "valid_from",
    "valid_to",
    "merged_from",
    "divided_into",
    "parent",
    "partial",
    "met",
    "not_met",
];

/// A seed document and its words.
#[derive(Debug)]
pub struct Seed {
    /// The document.
    pub value: Value,
    /// Its strings and keys, deduplicated.
    pub words: Vec<String>,
}

impl Seed {
    /// A seed from JSON text (panics on a bad seed: the seeds are the crate's own files).
    pub fn new(text: &str) -> Seed {
        #[allow(clippy::expect_used, reason = "the seeds are shipped files")]
        let value: Value = serde_json::from_str(text).expect("seed is JSON");
        let mut words = std::collections::BTreeSet::new();
        collect_words(&value, &mut words);
        Seed {
            value,
            words: words.into_iter().collect(),
        }
    }
}

fn collect_words(value: &Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::String(s) if s.len() <= 64 => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|v| collect_words(v, out)),
        Value::Object(o) => {
            for (k, v) in o {
                out.insert(k.clone());
                collect_words(v, out);
            }
        }
        _ => {}
    }
}

impl Word {
    fn text(&self, seed: &Seed) -> String {
        match self {
            Word::Seed(i) if !seed.words.is_empty() => {
                seed.words[usize::from(*i) % seed.words.len()].clone()
            }
            Word::Seed(i) => DOMAIN_WORDS[usize::from(*i) % DOMAIN_WORDS.len()].to_owned(),
            Word::Domain(i) => DOMAIN_WORDS[usize::from(*i) % DOMAIN_WORDS.len()].to_owned(),
        }
    }
}

impl Leaf {
    fn value(&self, seed: &Seed, depth: u8) -> Value {
        if depth > 4 {
            return Value::Null;
        }
        match self {
            Leaf::Null => Value::Null,
            Leaf::Bool(b) => Value::Bool(*b),
            Leaf::Int(i) => Value::from(*i),
            Leaf::Small(i) => Value::from(*i),
            Leaf::Year(y) => Value::from(2000 + u16::from(*y % 40)),
            Leaf::Number(d) => {
                serde_json::from_str(&d.text()).unwrap_or_else(|_| Value::String(d.text()))
            }
            Leaf::NumberText(d) => Value::String(d.text()),
            Leaf::Word(w) => Value::String(w.text(seed)),
            Leaf::Text(t) => Value::String(t.clone()),
            Leaf::Date(y, m, d) => Value::String(format!("{y:04}-{m:02}-{d:02}")),
            Leaf::Object => Value::Object(Map::new()),
            Leaf::Array => Value::Array(Vec::new()),
            Leaf::Tagged(w, l) => {
                let mut m = Map::new();
                m.insert(w.text(seed), l.value(seed, depth + 1));
                Value::Object(m)
            }
            Leaf::Pair(a, b) => {
                Value::Array(vec![a.value(seed, depth + 1), b.value(seed, depth + 1)])
            }
        }
    }
}

/// The number of nodes of `value`, counted up to just past `cap`.
fn nodes(value: &Value, cap: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        if count > cap {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    count
}

/// Walks `path` from `node` and returns the node reached (a copy).
fn node_at<'a>(mut node: &'a Value, path: &[u8]) -> &'a Value {
    for step in path {
        let next = match node {
            Value::Array(a) if !a.is_empty() => &a[usize::from(*step) % a.len()],
            Value::Object(o) if !o.is_empty() => match o.values().nth(usize::from(*step) % o.len())
            {
                Some(v) => v,
                None => return node,
            },
            _ => return node,
        };
        node = next;
    }
    node
}

/// Applies `op` at `path` under `node` (the path's first step picks a child of `node`).
fn apply_at(node: &mut Value, path: &[u8], op: &Op, seed: &Seed, whole: &Value) {
    let Some((&step, rest)) = path.split_first() else {
        apply_here(node, op, seed, whole);
        return;
    };
    // A step into a leaf, or the last step: the edit is of this node's child.
    let child_is_container = |v: &Value| {
        matches!(v, Value::Array(a) if !a.is_empty())
            || matches!(v, Value::Object(o) if !o.is_empty())
    };
    match node {
        Value::Array(a) if !a.is_empty() => {
            let i = usize::from(step) % a.len();
            if rest.is_empty() || !child_is_container(&a[i]) {
                apply_to_element(a, i, op, seed, whole);
            } else {
                apply_at(&mut a[i], rest, op, seed, whole);
            }
        }
        Value::Object(o) if !o.is_empty() => {
            let i = usize::from(step) % o.len();
            let Some(key) = o.keys().nth(i).cloned() else {
                return;
            };
            let go_deeper = !rest.is_empty() && o.get(&key).is_some_and(child_is_container);
            if go_deeper {
                if let Some(child) = o.get_mut(&key) {
                    apply_at(child, rest, op, seed, whole);
                }
            } else {
                apply_to_entry(o, &key, op, seed, whole);
            }
        }
        _ => apply_here(node, op, seed, whole),
    }
}

fn apply_to_element(a: &mut Vec<Value>, i: usize, op: &Op, seed: &Seed, whole: &Value) {
    match op {
        Op::Delete => {
            a.remove(i);
        }
        Op::Duplicate(_) => {
            let copy = a[i].clone();
            a.insert(i, copy);
        }
        _ => apply_here(&mut a[i], op, seed, whole),
    }
}

fn apply_to_entry(o: &mut Map<String, Value>, key: &str, op: &Op, seed: &Seed, whole: &Value) {
    match op {
        Op::Delete => {
            o.remove(key);
        }
        Op::Duplicate(w) => {
            if let Some(v) = o.get(key).cloned() {
                o.insert(w.text(seed), v);
            }
        }
        Op::Rename(w) => {
            if let Some(v) = o.remove(key) {
                o.insert(w.text(seed), v);
            }
        }
        _ => {
            if let Some(v) = o.get_mut(key) {
                apply_here(v, op, seed, whole);
            }
        }
    }
}

fn apply_here(node: &mut Value, op: &Op, seed: &Seed, whole: &Value) {
    match op {
        Op::Replace(leaf) => *node = leaf.value(seed, 0),
        Op::CopyFrom(path) => *node = node_at(whole, path).clone(),
        Op::Insert(w, leaf) => {
            if let Value::Object(o) = node {
                o.insert(w.text(seed), leaf.value(seed, 0));
            } else {
                *node = leaf.value(seed, 0);
            }
        }
        Op::Truncate(n) => match node {
            Value::Array(a) => a.truncate(usize::from(*n)),
            Value::Object(o) => {
                let keep: Vec<String> = o.keys().take(usize::from(*n)).cloned().collect();
                o.retain(|k, _| keep.contains(k));
            }
            _ => {}
        },
        Op::Repeat(n) => {
            if let Value::Array(a) = node {
                let copy = a.clone();
                for _ in 1..(usize::from(*n) % 16) {
                    a.extend(copy.iter().cloned());
                }
            }
        }
        Op::Delete | Op::Duplicate(_) | Op::Rename(_) => {}
    }
}

impl Recipe {
    /// The seed this recipe starts from.
    pub fn seed<'a>(&self, seeds: &'a [Seed]) -> &'a Seed {
        &seeds[usize::from(self.seed) % seeds.len()]
    }

    /// The edited document (at most 24 edits are applied; an edit that would grow the
    /// document past twice the seed's nodes, plus 2,000, is skipped: repeated copies
    /// would otherwise grow it exponentially and time the harness out, not the crate).
    pub fn document(&self, seeds: &[Seed]) -> Value {
        let seed = self.seed(seeds);
        let mut doc = seed.value.clone();
        let cap = 2 * nodes(&seed.value, usize::MAX) + 2_000;
        for edit in self.edits.iter().take(24) {
            let grows = matches!(edit.op, Op::CopyFrom(_) | Op::Repeat(_) | Op::Duplicate(_));
            let before = if grows { Some(doc.clone()) } else { None };
            let whole = match edit.op {
                Op::CopyFrom(_) => doc.clone(),
                _ => Value::Null,
            };
            apply_at(&mut doc, &edit.path, &edit.op, seed, &whole);
            if let Some(before) = before {
                if nodes(&doc, cap) > cap {
                    doc = before;
                }
            }
        }
        doc
    }

    /// The edited document as JSON text, cut if the recipe says so.
    pub fn text(&self, seeds: &[Seed]) -> String {
        let doc = self.document(seeds);
        let mut text = serde_json::to_string(&doc).unwrap_or_default();
        if let Some(cut) = self.cut {
            let mut at = usize::from(cut) % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        text
    }
}
