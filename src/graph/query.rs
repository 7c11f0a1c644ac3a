//! Read-only queries: keys, handles, profiles and their members.

use super::engine::LinkGraph;
use super::ids::{NodeId, ProfileId};
use super::store::{CANNOT, CHECK, MUST, SCORED};
use crate::compare::Gamma;

impl LinkGraph {
    /// Number of nodes (records) in the graph.
    pub fn len(&self) -> usize {
        self.store.live
    }

    /// Is the graph empty?
    pub fn is_empty(&self) -> bool {
        self.store.live == 0
    }

    /// Number of stored pairs (compared pairs and asserted pairs, each counted once;
    /// not the pairs compared only to check a profile).
    pub fn pair_count(&self) -> usize {
        let checks = self
            .store
            .pairs
            .rec
            .iter()
            .filter(|r| r.flags() & CHECK != 0);
        self.store.pairs.live() - checks.count()
    }

    /// Number of profiles.
    pub fn profile_count(&self) -> usize {
        self.profiles.len()
    }

    /// The handle of the record with the caller's `key`.
    pub fn node(&self, key: &str) -> Option<NodeId> {
        self.store.lookup(key).map(NodeId)
    }

    /// The caller's key of node `n`.
    pub fn key(&self, n: NodeId) -> Option<&str> {
        self.store.node(n.0).map(|x| &*x.key)
    }

    /// The exclusive keys of node `n`, sorted.
    pub fn exclusive(&self, n: NodeId) -> &[(u64, u64)] {
        self.store.exclusive_of(n.0)
    }

    /// Approximate heap bytes held by the graph (container capacities, without
    /// allocator overhead), for capacity planning.
    pub fn heap_bytes(&self) -> usize {
        let profiles = self.profiles.len()
            * (std::mem::size_of::<(ProfileId, super::engine::MemberList)>() + 8)
            + self
                .profiles
                .values()
                .filter(|m| m.spilled())
                .map(|m| m.capacity() * 4)
                .sum::<usize>();
        self.store.heap_bytes() + profiles
    }

    /// The profile of node `n`; `None` for an unknown node or one still pending.
    pub fn profile_of(&self, n: NodeId) -> Option<ProfileId> {
        self.store
            .node(n.0)
            .and_then(|x| (x.profile != 0).then_some(ProfileId(x.profile)))
    }

    /// The members of profile `p`, ascending by handle.
    pub fn members(&self, p: ProfileId) -> Option<&[NodeId]> {
        self.profiles.get(&p).map(|m| m.as_slice())
    }

    /// Every profile with its members, in ascending [`ProfileId`] order.
    pub fn profiles(&self) -> impl Iterator<Item = (ProfileId, &[NodeId])> + '_ {
        self.profiles.iter().map(|(&p, m)| (p, m.as_slice()))
    }

    /// Every compared pair: its two records (smaller slot first), γ and weight, in
    /// slot order. Pairs compared only to check a profile (read by the rule only as
    /// vetoes; which of them exist depends on the order records came in) are left out.
    pub fn edges(&self) -> impl Iterator<Item = (NodeId, NodeId, Gamma, f64)> + '_ {
        self.edges_with_assertions()
            .map(|(a, b, g, w, _)| (a, b, g, w))
    }

    /// [`LinkGraph::edges`] with whether a must-link or cannot-link is asserted on the
    /// pair (read from the pair itself, not looked up).
    pub(crate) fn edges_with_assertions(
        &self,
    ) -> impl Iterator<Item = (NodeId, NodeId, Gamma, f64, bool)> + '_ {
        let pairs = &self.store.pairs;
        pairs
            .rec
            .iter()
            .zip(&pairs.gamma)
            .filter(|(r, _)| r.flags() & (SCORED | CHECK) == SCORED)
            .map(|(r, g)| {
                let [a, b] = r.ends();
                let asserted = r.flags() & (MUST | CANNOT) != 0;
                (NodeId(a), NodeId(b), *g, r.weight, asserted)
            })
    }

    /// Number of node slots (live or free): a bound for tables indexed by handle.
    pub(crate) fn slot_count(&self) -> usize {
        self.store.nodes.len()
    }

    /// Every asserted pair: its two records (smaller slot first) and `true` when
    /// asserted the same person, `false` when asserted different, in slot order.
    pub fn assertions(&self) -> impl Iterator<Item = (NodeId, NodeId, bool)> + '_ {
        self.store.pairs.rec.iter().filter_map(|r| {
            let f = r.flags();
            let [a, b] = r.ends();
            if f & MUST != 0 {
                Some((NodeId(a), NodeId(b), true))
            } else if f & CANNOT != 0 {
                Some((NodeId(a), NodeId(b), false))
            } else {
                None
            }
        })
    }

    /// The γ of every compared pair (for training on pattern counts).
    pub fn gammas(&self) -> impl Iterator<Item = Gamma> + '_ {
        self.edges().map(|(_, _, g, _)| g)
    }
}
