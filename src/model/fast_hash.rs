//! Hash maps and sets keyed by ids read from requests (unit codes, indicator ids), with
//! foldhash's fast hash instead of SipHash: a country-sized request looks up hundreds of
//! thousands of short ids. The hash is seeded per process (foldhash's `RandomState`),
//! so texts crafted to collide in one process do not collide in another.

/// A `HashMap` with the fast hash.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A `HashSet` with the fast hash.
pub(crate) type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
