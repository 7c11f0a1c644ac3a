//! Serde snapshot of a whole [`LinkGraph`] (feature `serde`).
//!
//! The snapshot holds node slots in order (free slots as `null`, with no trace of what
//! they held), pairs sorted by endpoints with weights as IEEE-754 bit patterns (exact,
//! NaN-safe), the counters, and any unresolved work. Deserializing validates
//! everything and rebuilds an identical graph: same handles, profiles, IDs, counters.
//!
//! On its own a `LinkGraph` serializes in the snapshot envelope (`format`
//! `"LinkGraph"`, a `format_version` ([`SNAPSHOT_VERSION`](crate::profiles::SNAPSHOT_VERSION))
//! and a checksum of the `payload`):
//! a snapshot of another version, or one whose data no longer matches its checksum,
//! is refused with an error saying so (see [`GraphSnapshot`](crate::GraphSnapshot) for
//! the compatibility rule). Inside a [`ProfileGraph`](crate::ProfileGraph) snapshot it
//! is the bare data ([`bare`]), covered by that snapshot's envelope.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

use super::engine::{LinkGraph, MemberList, Scratch};
use super::ids::{NodeId, ProfileId};
use super::settings::GraphSettings;
use super::store::{Node, Store, CANNOT, CHECK, MAX_NODES, MUST, SCORED};
use crate::compare::Gamma;

#[derive(Serialize, Deserialize)]
struct NodeSnap {
    key: String,
    seq: u64,
    profile: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exclusive: Vec<(u64, u64)>,
}

#[derive(Serialize, Deserialize)]
struct PairSnap {
    a: u32,
    b: u32,
    flags: u8,
    gamma: u64,
    weight_bits: u64,
}

#[derive(Serialize, Deserialize)]
struct LinkSnapshot {
    settings: GraphSettings,
    next_seq: u64,
    next_profile: u64,
    bulk: bool,
    nodes: Vec<Option<NodeSnap>>,
    pairs: Vec<PairSnap>,
    dirty: Vec<u32>,
    erased: Vec<(u32, u64)>,
    held_free: Vec<u32>,
    /// `DisagreementWeights`, repeated part: (comparison, else level, weight).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    repeated: Vec<(u8, u8, f64)>,
    /// `DisagreementWeights`, absent part: per comparison, per γ level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    absent: Vec<Vec<f64>>,
}

/// The envelope's name for a [`LinkGraph`] snapshot.
const FORMAT: &str = "LinkGraph";

impl Serialize for LinkGraph {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::envelope::serialize(FORMAT, &to_snapshot(self), serializer)
    }
}

impl<'de> Deserialize<'de> for LinkGraph {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let snap = crate::envelope::deserialize(FORMAT, deserializer)?;
        from_snapshot(snap).map_err(serde::de::Error::custom)
    }
}

/// A [`LinkGraph`] serialized without the envelope, for `#[serde(with = ...)]` inside
/// a snapshot that has one.
pub(crate) mod bare {
    use super::{from_snapshot, to_snapshot, LinkGraph, LinkSnapshot};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(g: &LinkGraph, s: S) -> Result<S::Ok, S::Error> {
        to_snapshot(g).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<LinkGraph, D::Error> {
        from_snapshot(LinkSnapshot::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

fn to_snapshot(g: &LinkGraph) -> LinkSnapshot {
    let st = &g.store;
    let nodes = st
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            n.as_ref().map(|n| NodeSnap {
                key: n.key.to_string(),
                seq: n.seq,
                profile: n.profile,
                exclusive: st.exclusive_of(i as u32).to_vec(),
            })
        })
        .collect();
    let mut pairs: Vec<PairSnap> = (0..st.pairs.rec.len())
        .filter(|&i| st.pairs.rec[i].flags() != 0)
        .map(|i| {
            let r = &st.pairs.rec[i];
            PairSnap {
                a: r.ends()[0],
                b: r.ends()[1],
                flags: r.flags(),
                gamma: st.pairs.gamma[i].0,
                weight_bits: r.weight.to_bits(),
            }
        })
        .collect();
    pairs.sort_unstable_by_key(|p| (p.a, p.b));
    let mut dirty = g.dirty.clone();
    dirty.sort_unstable();
    dirty.dedup();
    let mut held_free = g.held_free.clone();
    held_free.sort_unstable();
    LinkSnapshot {
        settings: g.settings,
        next_seq: g.next_seq,
        next_profile: g.next_profile,
        bulk: g.bulk,
        nodes,
        pairs,
        dirty,
        erased: g.erased.iter().map(|&(n, p)| (n.0, p.0)).collect(),
        held_free,
        repeated: st.disagreement.repeated().to_vec(),
        absent: st.disagreement.absent().to_vec(),
    }
}

/// The largest sequence or profile counter a snapshot may hold: far beyond what any
/// graph reaches (one per record added or profile formed), far below where counting
/// on would overflow.
const MAX_COUNTER: u64 = 1 << 62;

fn from_snapshot(s: LinkSnapshot) -> Result<LinkGraph, String> {
    s.settings.validate().map_err(|e| e.to_string())?;
    if s.nodes.len() >= MAX_NODES as usize {
        return Err("too many node slots".into());
    }
    if s.next_seq > MAX_COUNTER || s.next_profile > MAX_COUNTER {
        return Err(format!(
            "counters out of range (next_seq {}, next_profile {}; at most 2^62)",
            s.next_seq, s.next_profile
        ));
    }
    let mut store = Store::default();
    let mut profiles: BTreeMap<ProfileId, MemberList> = BTreeMap::new();
    let mut seqs = std::collections::HashSet::new();
    for (i, n) in s.nodes.into_iter().enumerate() {
        let Some(n) = n else {
            store.nodes.push(None);
            continue;
        };
        if n.key.is_empty() || n.seq >= s.next_seq || !seqs.insert(n.seq) {
            return Err(format!("bad node in slot {i}"));
        }
        if n.profile >= s.next_profile {
            return Err(format!("profile id beyond counter in slot {i}"));
        }
        if store.lookup(&n.key).is_some() {
            return Err("duplicate record key".into());
        }
        if n.profile != 0 {
            profiles
                .entry(ProfileId(n.profile))
                .or_default()
                .push(NodeId(i as u32));
        }
        let mut excl = n.exclusive;
        excl.sort_unstable();
        excl.dedup();
        if !excl.is_empty() {
            store.exclusive.insert(i as u32, excl.into_boxed_slice());
        }
        store.nodes.push(Some(Node {
            key: n.key.into_boxed_str(),
            seq: n.seq,
            profile: n.profile,
            adj: SmallVec::new(),
        }));
        store.index_key(store.key(i as u32).to_owned().as_str(), i as u32);
        store.live += 1;
    }
    let mut last: Option<(u32, u32)> = None;
    for p in s.pairs {
        let ok = p.a < p.b
            && store.node(p.a).is_some()
            && store.node(p.b).is_some()
            && p.flags != 0
            && p.flags & !(SCORED | MUST | CANNOT | CHECK) == 0
            && (p.flags & CHECK == 0 || p.flags & SCORED != 0)
            && last.map_or(true, |l| l < (p.a, p.b));
        if !ok {
            return Err(format!("bad pair {}-{}", p.a, p.b));
        }
        last = Some((p.a, p.b));
        let e = store.pair_or_insert(p.a, p.b) as usize;
        store.pairs.rec[e].set_flags(p.flags);
        store.pairs.rec[e].weight = f64::from_bits(p.weight_bits);
        store.pairs.gamma[e] = Gamma(p.gamma);
    }
    let slot_ok = |n: u32| (n as usize) < store.nodes.len();
    let dead_ok = |n: u32| slot_ok(n) && store.node(n).is_none();
    if !s.dirty.iter().all(|&n| slot_ok(n))
        || !s.held_free.iter().all(|&n| dead_ok(n))
        || !s
            .erased
            .iter()
            .all(|&(n, p)| slot_ok(n) && p < s.next_profile)
    {
        return Err("bad pending work".into());
    }
    let repeated = s.repeated.iter().map(|&(c, l, w)| (c as usize, l, w));
    store.disagreement =
        super::cluster::DisagreementWeights::new(repeated, s.absent.iter().cloned());
    if store.disagreement.repeated() != &s.repeated[..]
        || store.disagreement.absent() != &s.absent[..]
    {
        return Err("bad disagreement weights".into());
    }
    let held: std::collections::HashSet<u32> = s.held_free.iter().copied().collect();
    let mut free_nodes = BinaryHeap::new();
    for (i, n) in store.nodes.iter().enumerate() {
        if n.is_none() && !held.contains(&(i as u32)) {
            free_nodes.push(Reverse(i as u32));
        }
    }
    Ok(LinkGraph {
        settings: s.settings,
        store,
        profiles,
        free_nodes,
        held_free: s.held_free,
        next_seq: s.next_seq,
        next_profile: s.next_profile.max(1),
        bulk: s.bulk,
        dirty: s.dirty,
        erased: s
            .erased
            .into_iter()
            .map(|(n, p)| (NodeId(n), ProfileId(p)))
            .collect(),
        scratch: Scratch::default(),
        check_scratch: Scratch::default(),
        clustered: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot whose counters were edited to their maximum (checksum rewritten
    /// too) used to load, and the next record added overflowed the sequence counter
    /// (a panic in debug builds, a wrapped counter in release); the next profile
    /// formed, the profile counter. Found by the `snapshot` fuzz target.
    #[test]
    fn counters_that_cannot_grow_are_refused() {
        let mut g = LinkGraph::new(GraphSettings::default()).unwrap();
        let a = g.add_node("a").unwrap();
        let b = g.add_node("b").unwrap();
        g.upsert_edge(a, b, Gamma(1), 10.0).unwrap();
        for (seq, profile) in [(u64::MAX, 5), (5, u64::MAX), (MAX_COUNTER + 1, 5)] {
            let mut s = to_snapshot(&g);
            s.next_seq = seq;
            s.next_profile = profile;
            let err = from_snapshot(s).expect_err("refused");
            assert!(err.contains("counters out of range"), "{err}");
        }
        // At the bound, the graph loads and keeps counting.
        let mut s = to_snapshot(&g);
        s.next_seq = MAX_COUNTER - 10;
        s.next_profile = MAX_COUNTER - 10;
        let mut h = from_snapshot(s).unwrap();
        let c = h.add_node("c").unwrap();
        h.upsert_edge(a, c, Gamma(1), -3.0).unwrap();
        assert_eq!(h.profile_count(), 2);
    }
}
