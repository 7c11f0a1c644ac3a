//! Compact storage of nodes and pairs (compared pairs and assertions share one record).

use std::collections::HashMap;

use smallvec::SmallVec;

use crate::compare::Gamma;

/// The pair was compared: `gamma` and `weight` are meaningful.
pub(crate) const SCORED: u8 = 1;
/// Asserted: the two records are the same person.
pub(crate) const MUST: u8 = 2;
/// Asserted: the two records are different people.
pub(crate) const CANNOT: u8 = 4;
/// With `SCORED`: compared only to check a profile, not paired by blocking; the rule
/// reads it only as a veto (see `LinkGraph::add_checks`), and training never sees it.
pub(crate) const CHECK: u8 = 8;

/// Hash map with a fast hasher; never iterated where order could leak into output.
pub(crate) type FastMap<K, V> = HashMap<K, V, ahash::RandomState>;

/// One record in the graph.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// The caller's record id.
    pub key: Box<str>,
    /// Arrival sequence number (drives stable profile IDs).
    pub seq: u64,
    /// Current profile; 0 while the node is pending (added, not yet resolved).
    pub profile: u64,
    /// Pair slots touching this node.
    pub adj: SmallVec<[u32; 4]>,
}

/// Node slots must stay below this: the two top bits of each endpoint hold pair flags.
pub(crate) const MAX_NODES: u32 = 1 << 30;
const SLOT_MASK: u32 = MAX_NODES - 1;

/// One pair: endpoints (smaller slot first; flags packed in their top bits) and weight.
///
/// 16 bytes, so that visiting a pair from a node's adjacency costs one cache line.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PairRec {
    a: u32,
    b: u32,
    /// Match weight, log2 odds (meaningful if `SCORED`).
    pub weight: f64,
}

impl PairRec {
    /// A pair of slots `a < b` with `weight`, no flags.
    pub fn new(a: u32, b: u32, weight: f64) -> Self {
        PairRec { a, b, weight }
    }

    /// Endpoints, smaller slot first.
    #[inline]
    pub fn ends(&self) -> [u32; 2] {
        [self.a & SLOT_MASK, self.b & SLOT_MASK]
    }

    /// `SCORED | MUST | CANNOT | CHECK`; 0 marks a free slot.
    #[inline]
    pub fn flags(&self) -> u8 {
        ((self.a >> 30) | ((self.b >> 30) << 2)) as u8
    }

    /// Replaces the flags.
    #[inline]
    pub fn set_flags(&mut self, f: u8) {
        let f = u32::from(f);
        self.a = (self.a & SLOT_MASK) | ((f & 3) << 30);
        self.b = (self.b & SLOT_MASK) | (((f >> 2) & 3) << 30);
    }
}

/// Pairs: hot records (endpoints, flags, weight) and their γ in a parallel array, so
/// that re-scoring streams over two dense arrays.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pairs {
    /// Records.
    pub rec: Vec<PairRec>,
    /// Comparison vector (meaningful if `SCORED`).
    pub gamma: Vec<Gamma>,
    /// Free slots.
    pub free: Vec<u32>,
}

/// Fewest pair slots the table grows by at a time.
const MIN_PAIR_GROWTH: usize = 1024;

impl Pairs {
    /// Room for `additional` more pair slots. A full table grows by what is asked or
    /// an eighth of its size, whichever is more — not by doubling: at 185 M pairs (10M
    /// records) a doubling would claim 3 GB more for the few pairs a profile check or
    /// a small batch adds.
    pub fn reserve(&mut self, additional: usize) {
        fn grow<T>(v: &mut Vec<T>, additional: usize) {
            let free = v.capacity() - v.len();
            if free < additional {
                v.reserve_exact(additional.max(v.len() / 8).max(MIN_PAIR_GROWTH));
            }
        }
        grow(&mut self.rec, additional);
        grow(&mut self.gamma, additional);
    }

    /// Appends a pair slot (see [`Pairs::reserve`] for how the table grows).
    fn push(&mut self, rec: PairRec, gamma: Gamma) {
        self.reserve(1);
        self.rec.push(rec);
        self.gamma.push(gamma);
    }

    /// Number of live pair slots.
    pub fn live(&self) -> usize {
        self.rec.len() - self.free.len()
    }

    /// Endpoints of pair `e`, smaller slot first.
    #[inline]
    pub fn ends(&self, e: u32) -> [u32; 2] {
        self.rec[e as usize].ends()
    }

    /// Flags of pair `e`.
    #[inline]
    pub fn flags(&self, e: u32) -> u8 {
        self.rec[e as usize].flags()
    }

    /// Weight of pair `e`.
    #[inline]
    pub fn weight(&self, e: u32) -> f64 {
        self.rec[e as usize].weight
    }

    /// The endpoint of pair `e` that is not `n`.
    #[inline]
    pub fn other(&self, e: u32, n: u32) -> u32 {
        let [a, b] = self.ends(e);
        if a == n {
            b
        } else {
            a
        }
    }
}

/// Caller key → node slot. The table holds only the 4-byte slot; the key lives in
/// the node, and is hashed again from there when the table grows (a million keys:
/// 10 MB, against 34 MB for a map from a stored 64-bit hash). Lookups compare keys,
/// so collisions cost speed, never correctness.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyIndex {
    slots: hashbrown::HashTable<u32>,
}

/// The key of slot `n` of `nodes` (empty for a free slot).
fn key_of(nodes: &[Option<Node>], n: u32) -> &str {
    nodes
        .get(n as usize)
        .and_then(Option::as_ref)
        .map_or("", |x| &x.key)
}

fn key_hash(key: &str) -> u64 {
    // Fixed seeds: the table layout never depends on the process.
    ahash::RandomState::with_seeds(
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    )
    .hash_one(key)
}

/// Nodes, the key index, exclusive keys and pairs: everything the rule reads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    /// Node slots; `None` is a free slot.
    pub nodes: Vec<Option<Node>>,
    /// Caller key → slot.
    pub keys: KeyIndex,
    /// Number of live nodes.
    pub live: usize,
    /// Exclusive keys `(class, value)`, sorted and deduplicated, for nodes that have any.
    pub exclusive: FastMap<u32, Box<[(u64, u64)]>>,
    /// Pairs.
    pub pairs: Pairs,
    /// The clustering rule's weights for disagreements between clusters as wholes.
    pub disagreement: super::cluster::DisagreementWeights,
}

impl Store {
    /// The slot of the node with `key`.
    pub fn lookup(&self, key: &str) -> Option<u32> {
        self.lookup_with(key, key_hash)
    }

    /// Indexes `key` (not yet indexed) at `slot`, whose node already holds it.
    pub fn index_key(&mut self, key: &str, slot: u32) {
        self.index_key_with(key, slot, key_hash);
    }

    /// Indexes the key its node at `slot` holds (not yet indexed).
    pub fn index_node_key(&mut self, slot: u32) {
        let nodes = &self.nodes;
        let hash = key_hash(key_of(nodes, slot));
        self.keys
            .slots
            .insert_unique(hash, slot, |&s| key_hash(key_of(nodes, s)));
    }

    /// Reserves index room for `n` more keys.
    pub fn reserve_keys(&mut self, n: usize) {
        let nodes = &self.nodes;
        self.keys.slots.reserve(n, |&s| key_hash(key_of(nodes, s)));
    }

    /// Removes `key` (indexed at `slot`) from the index.
    pub fn unindex_key(&mut self, key: &str, slot: u32) {
        self.unindex_key_with(key, slot, key_hash);
    }

    // The same with the hash function given (the tests make every key collide).

    fn lookup_with(&self, key: &str, hash: fn(&str) -> u64) -> Option<u32> {
        self.keys
            .slots
            .find(hash(key), |&s| self.key(s) == key)
            .copied()
    }

    fn index_key_with(&mut self, key: &str, slot: u32, hash: fn(&str) -> u64) {
        let nodes = &self.nodes;
        let rehash = |&s: &u32| hash(key_of(nodes, s));
        self.keys.slots.insert_unique(hash(key), slot, rehash);
    }

    fn unindex_key_with(&mut self, key: &str, slot: u32, hash: fn(&str) -> u64) {
        if let Ok(entry) = self.keys.slots.find_entry(hash(key), |&s| s == slot) {
            entry.remove();
        }
    }

    /// Approximate heap bytes held (capacities, not counting allocator overhead).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let nodes = self.nodes.capacity() * size_of::<Option<Node>>()
            + self
                .nodes
                .iter()
                .flatten()
                .map(|n| {
                    n.key.len()
                        + if n.adj.spilled() {
                            n.adj.capacity() * 4
                        } else {
                            0
                        }
                })
                .sum::<usize>();
        let keys = self.keys.slots.capacity() * (size_of::<u32>() + 1);
        let excl = self.exclusive.capacity() * (size_of::<(u32, Box<[(u64, u64)]>)>() + 1)
            + self.exclusive.values().map(|v| v.len() * 16).sum::<usize>();
        let pairs = self.pairs.rec.capacity() * size_of::<PairRec>()
            + self.pairs.gamma.capacity() * 8
            + self.pairs.free.capacity() * 4;
        nodes + keys + excl + pairs
    }

    /// The live node in slot `n`, if any.
    #[inline]
    pub fn node(&self, n: u32) -> Option<&Node> {
        self.nodes.get(n as usize).and_then(Option::as_ref)
    }

    /// The key of slot `n` (empty for a free slot; callers only ask for live nodes).
    #[inline]
    pub fn key(&self, n: u32) -> &str {
        key_of(&self.nodes, n)
    }

    /// Arrival sequence of slot `n`.
    #[inline]
    pub fn seq(&self, n: u32) -> u64 {
        self.node(n).map_or(u64::MAX, |x| x.seq)
    }

    /// Exclusive keys of slot `n`.
    #[inline]
    pub fn exclusive_of(&self, n: u32) -> &[(u64, u64)] {
        self.exclusive.get(&n).map_or(&[], |b| b)
    }

    /// The pair slot joining `a` and `b`, if any.
    pub fn find_pair(&self, a: u32, b: u32) -> Option<u32> {
        let (na, nb) = (self.node(a)?, self.node(b)?);
        let from = if na.adj.len() <= nb.adj.len() { na } else { nb };
        let want = if a < b { [a, b] } else { [b, a] };
        from.adj
            .iter()
            .copied()
            .find(|&e| self.pairs.ends(e) == want)
    }

    /// The pair slot joining `a` and `b`, created empty (flags 0 until the caller sets some).
    pub fn pair_or_insert(&mut self, a: u32, b: u32) -> u32 {
        if let Some(e) = self.find_pair(a, b) {
            return e;
        }
        let ends = if a < b { [a, b] } else { [b, a] };
        let rec = PairRec::new(ends[0], ends[1], 0.0);
        let e = match self.pairs.free.pop() {
            Some(e) => {
                self.pairs.rec[e as usize] = rec;
                self.pairs.gamma[e as usize] = Gamma(0);
                e
            }
            None => {
                let e = self.pairs.rec.len() as u32;
                self.pairs.push(rec, Gamma(0));
                e
            }
        };
        for n in ends {
            if let Some(Some(node)) = self.nodes.get_mut(n as usize) {
                node.adj.push(e);
            }
        }
        e
    }

    /// Frees pair slot `e` and unlinks it from both endpoints.
    pub fn free_pair(&mut self, e: u32) {
        let i = e as usize;
        let ends = self.pairs.ends(e);
        for n in ends {
            if let Some(Some(node)) = self.nodes.get_mut(n as usize) {
                if let Some(pos) = node.adj.iter().position(|&x| x == e) {
                    node.adj.swap_remove(pos);
                }
            }
        }
        self.pairs.rec[i] = PairRec::default();
        self.pairs.gamma[i] = Gamma(0);
        self.pairs.free.push(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_index_survives_hash_collisions() {
        let mut st = Store::default();
        let keys = ["a", "b", "c"];
        for (i, k) in keys.iter().enumerate() {
            st.nodes.push(Some(Node {
                key: (*k).into(),
                seq: i as u64,
                profile: 0,
                adj: SmallVec::new(),
            }));
            st.index_key_with(k, i as u32, |_| 42); // every key collides
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(st.lookup_with(k, |_| 42), Some(i as u32));
        }
        assert_eq!(st.lookup_with("d", |_| 42), None);
        st.unindex_key_with("a", 0, |_| 42);
        st.nodes[0] = None;
        assert_eq!(st.lookup_with("a", |_| 42), None);
        assert_eq!(st.lookup_with("b", |_| 42), Some(1));
        st.unindex_key_with("c", 2, |_| 42);
        assert_eq!(st.lookup_with("c", |_| 42), None);
        assert_eq!(st.lookup_with("b", |_| 42), Some(1));
        // Growing the table rehashes every key from its node: still all found.
        for i in 3..200u32 {
            st.nodes.push(Some(Node {
                key: format!("k{i}").into(),
                seq: u64::from(i),
                profile: 0,
                adj: SmallVec::new(),
            }));
            st.index_key_with(&format!("k{i}"), i, |_| 42);
        }
        for i in 3..200u32 {
            assert_eq!(st.lookup_with(&format!("k{i}"), |_| 42), Some(i));
        }
        assert_eq!(st.lookup_with("b", |_| 42), Some(1));
    }

    #[test]
    fn a_full_pair_table_grows_by_an_eighth_not_double() {
        let mut pairs = Pairs::default();
        let n = 64 * MIN_PAIR_GROWTH;
        pairs.rec.reserve_exact(n);
        pairs.gamma.reserve_exact(n);
        for i in 0..=n as u32 {
            pairs.push(PairRec::new(i, i + 1, 0.0), Gamma(0));
        }
        assert_eq!(pairs.rec.len(), n + 1);
        assert_eq!(pairs.gamma[n], Gamma(0));
        // Room for an eighth more (the allocator may round up a little), not n more.
        for capacity in [pairs.rec.capacity(), pairs.gamma.capacity()] {
            assert!(capacity >= n + n / 8, "{capacity}");
            assert!(capacity < n + n / 4, "{capacity}");
        }
        // A batch asking for more than an eighth gets what it asks, exactly.
        let (len, more) = (pairs.rec.len(), n);
        pairs.reserve(more);
        assert!(pairs.rec.capacity() >= len + more && pairs.rec.capacity() < len + more + n / 8);
        // Room already there: nothing grows.
        let capacity = pairs.rec.capacity();
        pairs.reserve(1);
        assert_eq!(pairs.rec.capacity(), capacity);
    }
}
