//! Compact storage of nodes and pairs (compared pairs and assertions share one record).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

/// Passes a `u64` that is already a hash straight through.
#[derive(Default, Clone, Copy)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Caller key → node slot, storing a 64-bit hash per key instead of a second copy of
/// the key (the key itself lives in the node). Keys whose hash is already taken by
/// another key go to a small exact map, so collisions cost speed, never correctness.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyIndex {
    by_hash: HashMap<u64, u32, BuildHasherDefault<PassThrough>>,
    collided: FastMap<Box<str>, u32>,
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
    /// The clustering rule's weights for disagreements repeated across records.
    pub repeated: super::cluster::RepeatedDisagreement,
}

impl Store {
    /// The slot of the node with `key`.
    pub fn lookup(&self, key: &str) -> Option<u32> {
        self.lookup_h(key, key_hash(key))
    }

    fn lookup_h(&self, key: &str, h: u64) -> Option<u32> {
        match self.keys.by_hash.get(&h) {
            Some(&s) if self.key(s) == key => Some(s),
            _ => self.keys.collided.get(key).copied(),
        }
    }

    /// Indexes `key` (not yet indexed) at `slot`, whose node already holds it.
    pub fn index_key(&mut self, key: &str, slot: u32) {
        self.index_key_h(key, slot, key_hash(key));
    }

    fn index_key_h(&mut self, key: &str, slot: u32, h: u64) {
        match self.keys.by_hash.entry(h) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(slot);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.keys.collided.insert(key.into(), slot);
            }
        }
    }

    /// Reserves index room for `n` more keys.
    pub fn reserve_keys(&mut self, n: usize) {
        self.keys.by_hash.reserve(n);
    }

    /// Removes `key` (indexed at `slot`) from the index.
    pub fn unindex_key(&mut self, key: &str, slot: u32) {
        self.unindex_key_h(key, slot, key_hash(key));
    }

    fn unindex_key_h(&mut self, key: &str, slot: u32, h: u64) {
        if self.keys.by_hash.get(&h) == Some(&slot) {
            self.keys.by_hash.remove(&h);
        } else {
            self.keys.collided.remove(key);
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
        let keys = self.keys.by_hash.capacity() * (size_of::<(u64, u32)>() + 1)
            + self.keys.collided.capacity() * (size_of::<(Box<str>, u32)>() + 1);
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
        self.node(n).map_or("", |x| &x.key)
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
            st.index_key_h(k, i as u32, 42); // every key collides
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(st.lookup_h(k, 42), Some(i as u32));
        }
        assert_eq!(st.lookup_h("d", 42), None);
        st.unindex_key_h("a", 0, 42);
        st.nodes[0] = None;
        assert_eq!(st.lookup_h("a", 42), None);
        assert_eq!(st.lookup_h("b", 42), Some(1));
        st.unindex_key_h("c", 2, 42);
        assert_eq!(st.lookup_h("c", 42), None);
        assert_eq!(st.lookup_h("b", 42), Some(1));
        assert_eq!(
            st.lookup("b"),
            Some(1),
            "collided keys are found by exact match"
        );
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
