//! [`LinkGraph`]: mutations, incremental resolution, stable IDs and events.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::fmt;

use smallvec::SmallVec;

use super::cluster::{cluster_component, is_candidate, Clusters, LocalMap, RuleScratch};
use super::events::Event;
use super::ids::{NodeId, ProfileId};
use super::settings::GraphSettings;
use super::store::{FastMap, Node, PairRec, Store, CANNOT, CHECK, MAX_NODES, MUST, SCORED};
use crate::compare::Gamma;
use crate::error::{Error, ErrorKind, Result};
use crate::model::weight_from_probability;

/// Member list of one profile, sorted by [`NodeId`].
pub(crate) type MemberList = SmallVec<[NodeId; 4]>;

/// One re-clustering between its steps (see `LinkGraph::recluster`).
struct Reclustered {
    /// The old profiles of the re-clustered records, sorted.
    olds: Vec<u64>,
    /// The profile ID of each new cluster (index in `Scratch::clusters`).
    ids: Vec<u64>,
    /// The new cluster of each re-clustered record (index in `Scratch::order`).
    cluster_of_local: Vec<u32>,
}

/// Buffers reused across resolutions (never serialized, never observable).
#[derive(Default)]
pub(crate) struct Scratch {
    local: LocalMap,
    order: Vec<u32>,
    comp_ends: Vec<u32>,
    rule: RuleScratch,
    clusters: Clusters,
    /// End offset in `clusters` of each component's clusters (components in
    /// `comp_ends` order).
    comp_clusters: Vec<u32>,
}

impl Scratch {
    /// Forgets the last clustering run (keeps the capacity).
    fn clear(&mut self) {
        self.local.clear();
        self.order.clear();
        self.comp_ends.clear();
        self.clusters.clear();
        self.comp_clusters.clear();
    }
}

/// The profile graph's clustering core: records, scored pairs, assertions → profiles.
///
/// Records are nodes (named by the caller's key); every compared pair is an edge that
/// keeps its γ ([`Gamma`](crate::Gamma)) and its match weight `w` (log2 odds,
/// probability `p = 2^w / (1 + 2^w)`), so a new model re-scores edges without comparing
/// strings again. Assertions (same / different person) and exclusive keys (strong
/// identifiers such as a loyalty number per source) complete the evidence. Profiles are
/// derived from all of this by one rule, recomputed only where something changed, and
/// every change comes back as [`Event`]s.
///
/// # The clustering rule
///
/// The partition is a pure function of the nodes' keys, the edges' weights, the
/// settings ([`GraphSettings`]: `threshold`, `veto`), the assertions and the exclusive
/// keys. It does not depend on insertion order, on [`NodeId`] values, or on hash seeds.
///
/// 1. **Candidate links** are must-links and compared pairs with `p ≥ threshold`.
///    Profiles never cross the connected components of the candidate links, so each
///    component is clustered on its own.
/// 2. Every record starts alone. Candidate links are taken in this order: must-links
///    first, sorted by their pair of keys; then scored links by weight, highest first,
///    ties broken by the pair of keys. A pair of keys is (smaller key, larger key),
///    compared as strings.
/// 3. Each link joins the two clusters of its records, unless they are already one or
///    the join is *refused*:
///    - a cannot-link lies between the two clusters (any member of one asserted
///      different from any member of the other) — refuses every join, must-links included;
///    - for scored links only: a compared pair between the two clusters has
///      `p < veto` (strong evidence of two people, e.g. a different date of birth);
///    - for scored links only: the clusters' exclusive keys conflict — some class is
///      present on both sides and the two sides' values of that class share nothing;
///    - for scored links only: the compared pairs between the two clusters (two or
///      more) do not link on average — the mean of their weights is below the
///      threshold's (average linkage over the evidence, not only its strongest pair).
///      Two disagreements of the clusters as wholes are charged on top (their
///      weights set by [`ProfileGraph`](crate::ProfileGraph) from its model, none on a
///      bare graph):
///      - a pair where a comparison is null (a record lacks the field, or the
///        comparison set the value aside, e.g. an e-mail local part that only repeats
///        the name) is charged the
///        weight of the best level that comparison reaches on any pair between the
///        clusters, when that weight is negative: namesakes whose phones, e-mails and
///        cities all differ do not join through a record that holds only the name;
///      - a comparison that describes one person (given name, birth date) and says
///        "else" on every compared pair between them where it is present adds its
///        "else" weight once more per record beyond the first on the side with fewer
///        records in those pairs: were the two one person, each of those records
///        would carry a wrong value (twins recorded in two sources each, not one
///        record with a name written as another).
///
///    A pair compared only to check a profile (added by [`ProfileGraph`](crate::ProfileGraph)
///    for two records a resolution would put together that blocking never paired; see
///    its `checks`) is read only in the veto test: it is never a candidate link and
///    never enters the mean.
///
///    A must-link thus overrides vetoes and exclusive keys (a person asserted it), and a
///    cannot-link wins over a must-link. Contradicting assertions (same and different on
///    one pair, or a cycle of must-links closed by a cannot-link) are all kept; the
///    cannot-link is applied, and the must-links are tried in key order.
///
/// Unlike connected components, this resists chaining: two strong groups joined by a
/// plausible bridge stay apart when a compared pair across them is vetoed, when the
/// pairs across them say "different" on average, when they hold different strong
/// identifiers, or when someone asserted they differ — a household (same address and
/// phone, different dates of birth or given names) does not become one profile through
/// a record that lacks what tells its members apart. Joins check the smaller cluster's pairs only (union by size), so a
/// component of `n` records with `m` pairs costs `O(m log n)` plus the sort.
///
/// # Incrementality
///
/// Each mutation marks the nodes it touched (both ends of a changed edge or assertion;
/// the neighbours of an erased node; a node whose exclusive keys changed). Resolution
/// re-clusters the candidate components containing them — closed over the old profiles
/// of their members — and nothing else. A node added by [`LinkGraph::add_node`] stays
/// *pending* (no profile) until the next resolution. In bulk mode
/// ([`LinkGraph::bulk`]) nothing resolves until [`LinkGraph::recompute_all`] or
/// [`LinkGraph::flush`]. A component whose candidate links form one huge web is
/// re-clustered whole on every change to it: the cost of a change is that of its component.
///
/// # Stable profile IDs
///
/// IDs come from a counter and are never reused. When a resolution re-clusters a set
/// of records, every old profile there has an *anchor*: its earliest-added surviving
/// member. A new cluster keeps the ID of the old profile whose anchor it holds (the
/// earliest-added anchor, if it holds several); clusters holding no anchor get new IDs
/// in the order of their earliest-added members. Consequences:
/// - a profile whose member set does not change keeps its ID, and a change that does
///   not reach a profile never changes its ID;
/// - on a merge, the result keeps the ID of the merged profile holding the
///   earliest-added record;
/// - on a split, the part holding the old profile's earliest-added (surviving) record
///   keeps the ID; the others get new IDs, in order of their earliest-added records;
/// - new records that form a profile of their own get a new ID.
///
/// Arrival order is a counter kept per node, independent of [`NodeId`] slot reuse.
///
/// # Confidence and explanations
///
/// [`LinkGraph::confidence`] of a record is the probability that it is one person with
/// every other member, which by transitivity is [`LinkGraph::cohesion`], the
/// probability that the profile is one person (every union that formed it, weighed
/// with the evidence the rule reads between the two groups it joins);
/// [`LinkGraph::explain_profile`] lists the joins the rule made to build it. [`LinkGraph::pair`] shows what is stored about a pair.
///
/// # Erasure
///
/// [`LinkGraph::remove_node`] removes the node, its key, exclusive keys, edges and
/// assertions; nothing of it remains in a snapshot. Events name records by handle only.
///
/// # Example
///
/// ```
/// use sameas::{Event, Gamma};
/// use sameas::graph::{GraphSettings, LinkGraph};
///
/// let mut g = LinkGraph::new(GraphSettings::default())?;
/// let a = g.add_node("crm-1")?;
/// let b = g.add_node("shop-7")?;
/// let events = g.upsert_edge(a, b, Gamma(0x11), 8.0)?; // p ≈ 0.996
/// assert!(matches!(&events[0], Event::ProfileCreated { members, .. } if members.len() == 2));
/// assert_eq!(g.profile_of(a), g.profile_of(b));
///
/// // A household: c and d are one person, linked to b by a plausible bridge, but d and
/// // a have different dates of birth (p ≈ 1e-6). The bridge does not chain them.
/// let (c, _) = g.insert("crm-2", vec![], &[(b, Gamma(0x21), 1.0)])?;
/// assert_eq!(g.profile_of(c), g.profile_of(a), "so far, plain chaining");
/// let (d, events) = g.insert("web-3", vec![], &[(c, Gamma(0x11), 9.0), (a, Gamma(0x3f), -20.0)])?;
/// assert_ne!(g.profile_of(d), g.profile_of(a));
/// assert_eq!(g.profile_of(c), g.profile_of(d));
/// assert!(matches!(&events[0], Event::ProfileSplit { .. }));
/// # Ok::<(), sameas::Error>(())
/// ```
pub struct LinkGraph {
    pub(crate) settings: GraphSettings,
    pub(crate) store: Store,
    pub(crate) profiles: BTreeMap<ProfileId, MemberList>,
    pub(crate) free_nodes: BinaryHeap<Reverse<u32>>,
    pub(crate) held_free: Vec<u32>,
    pub(crate) next_seq: u64,
    pub(crate) next_profile: u64,
    pub(crate) bulk: bool,
    pub(crate) dirty: Vec<u32>,
    pub(crate) erased: Vec<(NodeId, ProfileId)>,
    pub(crate) scratch: Scratch,
    /// Buffers of the check passes of [`pending_clusters`](Self::pending_clusters),
    /// kept apart from `scratch`, which holds the clustering to commit.
    pub(crate) check_scratch: Scratch,
    /// Seeds and old profiles of the clustering [`pending_clusters`](Self::pending_clusters)
    /// left in `scratch`, for [`flush_pending`](Self::flush_pending) to commit.
    pub(crate) clustered: Option<(Vec<u32>, Vec<u64>)>,
}

impl fmt::Debug for LinkGraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkGraph")
            .field("settings", &self.settings)
            .field("nodes", &self.len())
            .field("pairs", &self.store.pairs.live())
            .field("profiles", &self.profiles.len())
            .field("bulk", &self.bulk)
            .finish()
    }
}

impl Clone for LinkGraph {
    fn clone(&self) -> Self {
        LinkGraph {
            settings: self.settings,
            store: self.store.clone(),
            profiles: self.profiles.clone(),
            free_nodes: self.free_nodes.clone(),
            held_free: self.held_free.clone(),
            next_seq: self.next_seq,
            next_profile: self.next_profile,
            bulk: self.bulk,
            dirty: self.dirty.clone(),
            erased: self.erased.clone(),
            scratch: Scratch::default(),
            check_scratch: Scratch::default(),
            clustered: None,
        }
    }
}

fn unknown(n: NodeId) -> Error {
    Error::new(ErrorKind::UnknownRecord, format!("no node {}", n.0))
}

impl LinkGraph {
    /// An empty graph with validated `settings`.
    pub fn new(settings: GraphSettings) -> Result<Self> {
        settings.validate()?;
        Ok(LinkGraph {
            settings,
            store: Store::default(),
            profiles: BTreeMap::new(),
            free_nodes: BinaryHeap::new(),
            held_free: Vec::new(),
            next_seq: 0,
            next_profile: 1,
            bulk: false,
            dirty: Vec::new(),
            erased: Vec::new(),
            scratch: Scratch::default(),
            check_scratch: Scratch::default(),
            clustered: None,
        })
    }

    /// The settings in force.
    pub fn settings(&self) -> &GraphSettings {
        &self.settings
    }

    /// Replaces the settings and re-clusters everything (deferred in bulk mode).
    pub fn set_settings(&mut self, settings: GraphSettings) -> Result<Vec<Event>> {
        settings.validate()?;
        self.settings = settings;
        self.mark_all_dirty();
        Ok(self.resolve())
    }

    /// Sets the rule's weights for disagreements between clusters as wholes (see
    /// `DisagreementWeights`); a change re-clusters everything (deferred in bulk mode,
    /// left to the next resolution otherwise).
    pub(crate) fn set_disagreement_weights(
        &mut self,
        weights: super::cluster::DisagreementWeights,
    ) {
        if self.store.disagreement != weights {
            self.store.disagreement = weights;
            self.mark_all_dirty();
        }
    }

    // ----- nodes -------------------------------------------------------------------

    /// Adds a record under the caller's unique `key` and returns its handle.
    ///
    /// The node is *pending*: it has no profile until the next resolution (any other
    /// mutation, [`flush`](Self::flush), or [`recompute_all`](Self::recompute_all)),
    /// whose events report it. [`insert`](Self::insert) adds a node with its edges and
    /// resolves at once. Errors: empty or duplicate key ([`ErrorKind::InvalidRecord`]).
    pub fn add_node(&mut self, key: &str) -> Result<NodeId> {
        if self.store.lookup(key).is_some() {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                format!("duplicate record key {key:?}"),
            ));
        }
        let node = self.add_unindexed_node(key)?;
        self.store.index_key(key, node.0);
        Ok(node)
    }

    /// Adds nodes under keys the caller has checked to be distinct and absent, without
    /// indexing the keys yet: a batch load indexes them with
    /// [`LinkGraph::index_node_keys`] beside its other work. Until then the nodes
    /// cannot be found by key.
    pub(crate) fn add_unindexed_nodes<'k>(
        &mut self,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Result<Vec<NodeId>> {
        keys.into_iter()
            .map(|key| self.add_unindexed_node(key))
            .collect()
    }

    /// Indexes the keys of `nodes`, added by [`LinkGraph::add_unindexed_nodes`].
    pub(crate) fn index_node_keys(&mut self, nodes: &[NodeId]) {
        for &n in nodes {
            self.store.index_node_key(n.0);
        }
    }

    /// A node for `key`, in a free slot or a new one, not yet findable by key.
    fn add_unindexed_node(&mut self, key: &str) -> Result<NodeId> {
        if key.is_empty() {
            return Err(Error::new(ErrorKind::InvalidRecord, "empty record key"));
        }
        let slot = match self.free_nodes.pop() {
            Some(Reverse(s)) => s,
            None => {
                let s = u32::try_from(self.store.nodes.len())
                    .ok()
                    .filter(|&s| s < MAX_NODES)
                    .ok_or_else(|| Error::new(ErrorKind::InvalidRecord, "too many nodes"))?;
                self.store.nodes.push(None);
                s
            }
        };
        self.store.nodes[slot as usize] = Some(Node {
            key: key.into(),
            seq: self.next_seq,
            profile: 0,
            adj: SmallVec::new(),
        });
        self.next_seq += 1;
        self.store.live += 1;
        self.dirty.push(slot);
        Ok(NodeId(slot))
    }

    /// Adds a record, its exclusive keys and its scored edges to existing nodes, and
    /// resolves once: the usual way to add one record incrementally.
    ///
    /// Everything is validated before anything changes; on error the graph is untouched.
    pub fn insert(
        &mut self,
        key: &str,
        exclusive: Vec<(u64, u64)>,
        edges: &[(NodeId, Gamma, f64)],
    ) -> Result<(NodeId, Vec<Event>)> {
        for &(to, _, w) in edges {
            self.check_live(to)?;
            check_weight(w)?;
        }
        let n = self.add_node(key)?;
        self.set_exclusive_quiet(n.0, exclusive);
        for &(to, gamma, w) in edges {
            self.set_edge_quiet(n.0, to.0, gamma, w);
        }
        Ok((n, self.resolve()))
    }

    /// Sets the exclusive keys of `n`: `(class, value)` pairs such that two records with
    /// the same class and no common value can never share a profile through scored
    /// links (e.g. class = hash of source + field, value = hash of a loyalty number).
    pub fn set_exclusive(&mut self, n: NodeId, keys: Vec<(u64, u64)>) -> Result<Vec<Event>> {
        self.check_live(n)?;
        self.set_exclusive_quiet(n.0, keys);
        Ok(self.resolve())
    }

    fn set_exclusive_quiet(&mut self, n: u32, mut keys: Vec<(u64, u64)>) {
        keys.sort_unstable();
        keys.dedup();
        let changed = self.store.exclusive_of(n) != keys.as_slice();
        if keys.is_empty() {
            self.store.exclusive.remove(&n);
        } else {
            self.store.exclusive.insert(n, keys.into_boxed_slice());
        }
        if changed {
            self.dirty.push(n);
        }
    }

    /// Erases `n`: the node, its key, its exclusive keys, its edges and its assertions
    /// disappear; profiles it bridged split. Its slot is reused only after resolution.
    pub fn remove_node(&mut self, n: NodeId) -> Result<Vec<Event>> {
        self.check_live(n)?;
        let slot = n.0;
        let adj = self
            .store
            .node(slot)
            .map(|x| x.adj.clone())
            .unwrap_or_default();
        for e in adj {
            // Only candidate neighbours: every part of the old component minus `n`
            // holds one; other pairs of `n` only mattered inside that component.
            if is_candidate(&self.store, &self.settings, e) {
                self.dirty.push(self.store.pairs.other(e, slot));
            }
            self.store.free_pair(e);
        }
        self.store.exclusive.remove(&slot);
        if let Some(node) = self
            .store
            .nodes
            .get_mut(slot as usize)
            .and_then(Option::take)
        {
            self.store.unindex_key(&node.key, slot);
            self.store.live -= 1;
            if node.profile != 0 {
                let p = ProfileId(node.profile);
                if let Some(members) = self.profiles.get_mut(&p) {
                    members.retain(|m| *m != n);
                    if members.is_empty() {
                        self.profiles.remove(&p);
                    }
                }
                self.erased.push((n, p));
            }
        }
        self.held_free.push(slot);
        Ok(self.resolve())
    }

    // ----- edges and assertions ----------------------------------------------------

    /// Records (or replaces) the comparison of `a` and `b`: its γ and its match weight
    /// (log2 odds; probability `2^w / (1 + 2^w)`). Keep every compared pair, not only
    /// those above the threshold: low ones veto, and all are re-scored by [`rescore`](Self::rescore).
    pub fn upsert_edge(
        &mut self,
        a: NodeId,
        b: NodeId,
        gamma: Gamma,
        weight: f64,
    ) -> Result<Vec<Event>> {
        self.check_pair(a, b)?;
        check_weight(weight)?;
        self.set_edge_quiet(a.0, b.0, gamma, weight);
        Ok(self.resolve())
    }

    /// Compares and records the pairs `(a, b)` in a graph that holds no pair yet,
    /// between nodes added since the last resolution (re-clustered anyway): a bulk
    /// load's pairs. `compare(a, b)` gives each pair's `(γ, weight)` (in parallel with
    /// the `parallel` feature, the result in pair order whatever the thread count),
    /// written straight into the pair table: the pairs are not held a second time
    /// with their scores beside them. Pairs are stored without looking for an
    /// existing one, each node's adjacency sized once; the caller promises that no
    /// pair is repeated. On error (pairs already held, an unknown or resolved node, a
    /// NaN weight) nothing is added.
    pub(crate) fn add_new_pairs(
        &mut self,
        pairs: Vec<(u32, u32)>,
        compare: impl Fn(u32, u32) -> (Gamma, f64) + Sync,
    ) -> Result<()> {
        if self.store.pairs.live() != 0 {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                "new pairs need a graph without pairs",
            ));
        }
        let mut degree: Vec<u32> = vec![0; self.store.nodes.len()];
        for &(a, b) in &pairs {
            self.check_pair(NodeId(a), NodeId(b))?;
            for n in [a, b] {
                if self.store.node(n).is_some_and(|x| x.profile != 0) {
                    return Err(Error::new(
                        ErrorKind::InvalidRecord,
                        format!("node {n} is not new"),
                    ));
                }
                degree[n as usize] += 1;
            }
        }
        let record = |&(a, b): &(u32, u32)| {
            let (gamma, weight) = compare(a, b);
            let mut rec = PairRec::new(a.min(b), a.max(b), weight);
            rec.set_flags(SCORED);
            (rec, gamma)
        };
        // A few pairs stay on the calling thread: handing them to the pool costs more.
        #[cfg(feature = "parallel")]
        let (rec, gamma): (Vec<PairRec>, Vec<Gamma>) = if pairs.len() >= 1024 {
            use rayon::prelude::*;
            pairs.par_iter().with_min_len(1024).map(record).unzip()
        } else {
            pairs.iter().map(record).unzip()
        };
        #[cfg(not(feature = "parallel"))]
        let (rec, gamma): (Vec<PairRec>, Vec<Gamma>) = pairs.iter().map(record).unzip();
        drop(pairs);
        for r in &rec {
            check_weight(r.weight)?;
        }
        for (node, &d) in self.store.nodes.iter_mut().zip(&degree) {
            if let Some(node) = node {
                node.adj.reserve_exact(d as usize);
            }
        }
        // After the slots freed by earlier erasures (kept: the free list names them).
        let base = self.store.pairs.rec.len();
        for (e, r) in rec.iter().enumerate() {
            for n in r.ends() {
                if let Some(Some(node)) = self.store.nodes.get_mut(n as usize) {
                    node.adj.push((base + e) as u32);
                }
            }
        }
        let p = &mut self.store.pairs;
        if base == 0 {
            (p.rec, p.gamma) = (rec, gamma);
        } else {
            p.reserve(rec.len());
            p.rec.extend(rec);
            p.gamma.extend(gamma);
        }
        Ok(())
    }

    fn set_edge_quiet(&mut self, a: u32, b: u32, gamma: Gamma, weight: f64) {
        let e = self.store.pair_or_insert(a, b) as usize;
        let settings = self.settings;
        let p = &mut self.store.pairs;
        let r = &mut p.rec[e];
        let f = r.flags();
        // A pair compared only as a check becomes an ordinary compared pair.
        let old = (f & (SCORED | CHECK) == SCORED).then_some(r.weight);
        let old_gamma = std::mem::replace(&mut p.gamma[e], gamma);
        r.set_flags((f & !CHECK) | SCORED);
        r.weight = weight;
        let (old_class, new_class) = (
            old.map_or(0, |w| class(&settings, w)),
            class(&settings, weight),
        );
        // γ is read too (a disagreement repeated across records).
        let changed = old.map_or(true, |w| {
            w.to_bits() != weight.to_bits() || old_gamma != gamma
        });
        if !changed {
            return;
        }
        // What the change can affect: a pair that loses candidacy may split its
        // component (re-cluster from both ends); any other pair only matters inside
        // the component holding both ends (one end reaches it): a candidate, a change
        // of veto status, an assertion, and a neutral weight too (joins weigh the
        // average of the compared pairs between two clusters). Only a pair that stays
        // vetoing changes nothing the rule reads.
        if f & MUST == 0 && old_class == 2 && new_class != 2 {
            self.dirty.push(a);
            self.dirty.push(b);
        } else if f & (MUST | CANNOT) != 0 || !(old_class == 1 && new_class == 1) {
            // Either end reaches the component; a pending end (a record just added)
            // is re-clustered anyway, so prefer it and touch no other component.
            let pending = |n: u32| self.store.node(n).is_some_and(|x| x.profile == 0);
            self.dirty.push(if pending(b) { b } else { a });
        }
    }

    /// Adds pairs compared only to check a profile (`(a, b, γ, weight)`, each a veto:
    /// the caller compared two records that resolving would put in one profile but
    /// that blocking never paired, and they differ). The rule reads such a pair only as
    /// a veto — never as a link, nor in the mean weight between two clusters — so the
    /// profiles do not depend on which checks were made, only on which vetoes exist;
    /// [`edges`](Self::edges) and training never see them. A pair already held is left
    /// as it is. Errors (unknown or equal nodes, a NaN weight) change nothing.
    ///
    /// [`ProfileGraph`](crate::ProfileGraph) adds its own checks; this is for
    /// clustering pairs scored elsewhere (e.g. distributed) the way it does.
    pub fn add_checks(&mut self, checks: &[(NodeId, NodeId, Gamma, f64)]) -> Result<Vec<Event>> {
        for &(a, b, _, w) in checks {
            self.check_pair(a, b)?;
            check_weight(w)?;
        }
        for &(a, b, gamma, weight) in checks {
            let e = self.store.pair_or_insert(a.0, b.0) as usize;
            let p = &mut self.store.pairs;
            let f = p.rec[e].flags();
            if f & SCORED != 0 {
                continue;
            }
            p.rec[e].set_flags(f | SCORED | CHECK);
            p.rec[e].weight = weight;
            p.gamma[e] = gamma;
            self.dirty.push(a.0);
        }
        Ok(self.resolve())
    }

    /// The profiles of two or more records that resolving the pending changes would
    /// form in the components of `from` (of every pending change when `None`),
    /// members ascending; nothing is resolved.
    ///
    /// The clustering of every pending change (`from` is `None`) is kept for
    /// [`flush_pending`](Self::flush_pending); one from given nodes leaves it alone.
    pub(crate) fn pending_clusters(&mut self, from: Option<&[NodeId]>) -> Vec<Vec<NodeId>> {
        let seeds = match from {
            Some(nodes) => self.live_seeds(nodes.iter().map(|n| n.0).collect()),
            None => self.live_seeds(self.dirty.clone()),
        };
        let mut sc = std::mem::take(match from {
            Some(_) => &mut self.check_scratch,
            None => &mut self.scratch,
        });
        sc.clear();
        let olds = self.collect_and_cluster(&seeds, &mut sc);
        let clusters = (0..sc.clusters.len())
            .map(|k| sc.clusters.get(k))
            .filter(|m| m.len() > 1)
            .map(|m| m.iter().map(|&n| NodeId(n)).collect())
            .collect();
        if from.is_none() {
            self.clustered = Some((seeds, olds));
            self.scratch = sc;
        } else {
            self.check_scratch = sc;
        }
        clusters
    }

    /// Re-clusters, within the clustering kept by
    /// [`pending_clusters`](Self::pending_clusters)`(None)`, the components that hold
    /// `nodes` — the ends of checks added since, which are never candidate links, so the
    /// components themselves are as they were — and keeps the others' clusters as they
    /// are. When a node lies outside that clustering (a check inside a profile that no
    /// pending change reached), the kept clustering is dropped and
    /// [`flush_pending`](Self::flush_pending) clusters again from scratch.
    pub(crate) fn recluster_pending(&mut self, nodes: &[NodeId]) {
        if self.clustered.is_none() {
            return;
        }
        let mut sc = std::mem::take(&mut self.scratch);
        let comp_of = |n: &NodeId| {
            let l = sc.local.get(n.0)?;
            Some(sc.comp_ends.partition_point(|&end| end <= l))
        };
        let Some(mut vetoed) = nodes.iter().map(comp_of).collect::<Option<Vec<usize>>>() else {
            self.clustered = None;
            self.scratch = sc;
            return;
        };
        vetoed.sort_unstable();
        vetoed.dedup();
        let mut out = Clusters::default();
        let mut out_ends = Vec::with_capacity(sc.comp_clusters.len());
        for c in 0..sc.comp_ends.len() {
            let (start, end) = component_range(&sc.comp_ends, c);
            if vetoed.binary_search(&c).is_ok() {
                let comp = &sc.order[start as usize..end as usize];
                let (local, rule) = (&sc.local, &mut sc.rule);
                cluster_component(
                    &self.store,
                    &self.settings,
                    comp,
                    local,
                    start,
                    rule,
                    &mut out,
                    |_| {},
                );
            } else {
                let (first, last) = component_range(&sc.comp_clusters, c);
                out.extend_from(&sc.clusters, first as usize..last as usize);
            }
            out_ends.push(out.len() as u32);
        }
        sc.clusters = out;
        sc.comp_clusters = out_ends;
        self.scratch = sc;
    }

    /// Were `a` and `b` compared (blocked, or checked)?
    pub(crate) fn is_compared(&self, a: NodeId, b: NodeId) -> bool {
        self.store
            .find_pair(a.0, b.0)
            .is_some_and(|e| self.store.pairs.flags(e) & SCORED != 0)
    }

    /// Asserts that `a` and `b` are the same person (must-link). Must-links join
    /// regardless of vetoes and exclusive keys, but never across a cannot-link.
    pub fn assert_same(&mut self, a: NodeId, b: NodeId) -> Result<Vec<Event>> {
        self.assert_flag(a, b, MUST)
    }

    /// Asserts that `a` and `b` are different people (cannot-link); it wins over any
    /// must-link or score.
    pub fn assert_different(&mut self, a: NodeId, b: NodeId) -> Result<Vec<Event>> {
        self.assert_flag(a, b, CANNOT)
    }

    fn assert_flag(&mut self, a: NodeId, b: NodeId, flag: u8) -> Result<Vec<Event>> {
        self.check_pair(a, b)?;
        let e = self.store.pair_or_insert(a.0, b.0) as usize;
        let r = &mut self.store.pairs.rec[e];
        if r.flags() & flag == 0 {
            r.set_flags(r.flags() | flag);
            // A new must-link puts both ends in one component; a cannot-link only
            // matters if they already share one.
            self.dirty.push(a.0);
        }
        Ok(self.resolve())
    }

    /// Withdraws every assertion (same or different) about `a` and `b`; their compared
    /// pair, if any, stays.
    pub fn retract(&mut self, a: NodeId, b: NodeId) -> Result<Vec<Event>> {
        self.clear_flags(a, b, MUST | CANNOT)
    }

    /// Forgets the comparison of `a` and `b` (its γ and weight), e.g. when blocking no
    /// longer pairs them; assertions about the pair stay.
    pub fn forget_pair(&mut self, a: NodeId, b: NodeId) -> Result<Vec<Event>> {
        self.clear_flags(a, b, SCORED | CHECK)
    }

    /// Clears `mask` from the pair's flags (freeing the pair when none is left) and
    /// re-clusters from both ends when anything changed.
    fn clear_flags(&mut self, a: NodeId, b: NodeId, mask: u8) -> Result<Vec<Event>> {
        self.check_pair(a, b)?;
        if let Some(e) = self.store.find_pair(a.0, b.0) {
            let r = &mut self.store.pairs.rec[e as usize];
            let f = r.flags();
            if f & mask != 0 {
                r.set_flags(f & !mask);
                if r.flags() == 0 {
                    self.store.free_pair(e);
                }
                self.dirty.push(a.0);
                self.dirty.push(b.0);
            }
        }
        Ok(self.resolve())
    }

    /// Re-scores every compared pair from its γ (after a model change) and re-clusters
    /// the components where the change can matter.
    ///
    /// A pair's change matters unless it stays below the veto level (a neutral
    /// weight enters the average of the compared pairs between two clusters). A NaN
    /// weight is stored and means "no evidence": it neither links nor vetoes.
    pub fn rescore(&mut self, mut f: impl FnMut(Gamma) -> f64) -> Vec<Event> {
        self.rescore_pairs(|_, _, g| f(g))
    }

    /// Like [`rescore`](Self::rescore), for weights that depend on the pair's records
    /// too (e.g. term-frequency adjustments): `f(a, b, γ)` gives the new weight.
    pub fn rescore_pairs(&mut self, mut f: impl FnMut(NodeId, NodeId, Gamma) -> f64) -> Vec<Event> {
        self.rescore_slots(|_, a, b, g| f(a, b, g))
    }

    /// [`rescore_pairs`](Self::rescore_pairs) with the weights computed in parallel
    /// under the `parallel` feature. Each weight depends on its pair alone, so the
    /// result is the same as the serial one.
    pub(crate) fn rescore_pairs_parallel(
        &mut self,
        f: impl Fn(NodeId, NodeId, Gamma) -> f64 + Sync,
    ) -> Vec<Event> {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            let pairs = &self.store.pairs;
            let weights: Vec<f64> = pairs
                .rec
                .par_iter()
                .zip(&pairs.gamma)
                .map(|(r, &g)| {
                    let [a, b] = r.ends();
                    if r.flags() & SCORED == 0 {
                        0.0
                    } else {
                        f(NodeId(a), NodeId(b), g)
                    }
                })
                .collect();
            self.rescore_slots(|e, _, _, _| weights[e])
        }
        #[cfg(not(feature = "parallel"))]
        self.rescore_pairs(f)
    }

    /// Re-scores every compared pair with `f(slot, a, b, γ)` and re-clusters what the
    /// changes can affect (see [`rescore`](Self::rescore)).
    fn rescore_slots(
        &mut self,
        mut f: impl FnMut(usize, NodeId, NodeId, Gamma) -> f64,
    ) -> Vec<Event> {
        let wv = weight_from_probability(self.settings.veto);
        // The one interval where a change is not read: well below the veto level
        // (a half-bit margin keeps rounding of the probability out of play).
        let vlo = wv - 0.5;
        let quiet = |w: f64| w < vlo;
        // Each node is marked once, however many of its pairs changed: a new model
        // changes most pairs, and a mark per pair end would hold twice the pair count.
        let mut marked = vec![false; self.store.nodes.len()];
        let pairs = &mut self.store.pairs;
        for (e, (r, g)) in pairs.rec.iter_mut().zip(&pairs.gamma).enumerate() {
            if r.flags() & SCORED == 0 {
                continue;
            }
            let [a, b] = r.ends();
            let new = f(e, NodeId(a), NodeId(b), *g);
            let old = r.weight;
            if new.to_bits() != old.to_bits() {
                r.weight = new;
                if !(quiet(old) && quiet(new)) {
                    for n in [a, b] {
                        match marked.get_mut(n as usize) {
                            Some(m) if *m => {}
                            Some(m) => {
                                *m = true;
                                self.dirty.push(n);
                            }
                            None => self.dirty.push(n),
                        }
                    }
                }
            }
        }
        self.resolve()
    }

    // ----- resolution --------------------------------------------------------------

    /// Reserves room for `nodes` more nodes and `pairs` more pairs, so that a large
    /// load does not pay for (or pause on) growing its tables.
    pub fn reserve(&mut self, nodes: usize, pairs: usize) {
        self.store.nodes.reserve(nodes);
        self.store.reserve_keys(nodes);
        self.store.pairs.reserve(pairs);
    }

    /// Enters bulk mode: mutations only record what they touched and return no events,
    /// until [`recompute_all`](Self::recompute_all). Use it to load many records.
    pub fn bulk(&mut self) {
        self.bulk = true;
    }

    /// Is the graph in bulk mode?
    pub fn is_bulk(&self) -> bool {
        self.bulk
    }

    /// Leaves bulk mode and re-clusters the whole graph, returning the events relative
    /// to the profiles before (for a fresh load: one `ProfileCreated` per profile).
    pub fn recompute_all(&mut self) -> Vec<Event> {
        self.bulk = false;
        self.mark_all_dirty();
        self.resolve_now()
    }

    /// Leaves bulk mode and resolves only what changed since the last resolution
    /// (pending nodes, touched components).
    pub fn flush(&mut self) -> Vec<Event> {
        self.bulk = false;
        self.resolve_now()
    }

    fn mark_all_dirty(&mut self) {
        self.dirty.clear();
        let live = self.store.nodes.iter().enumerate();
        self.dirty
            .extend(live.filter(|(_, n)| n.is_some()).map(|(i, _)| i as u32));
    }

    fn resolve(&mut self) -> Vec<Event> {
        if self.bulk {
            Vec::new()
        } else {
            self.resolve_now()
        }
    }

    /// Leaves bulk mode and resolves the pending changes with the clustering the last
    /// [`pending_clusters`](Self::pending_clusters)`(None)` computed, when nothing has
    /// changed since but checks whose components
    /// [`recluster_pending`](Self::recluster_pending) clustered again (the caller's
    /// promise; the seeds are compared too), instead of clustering the same components
    /// again.
    pub(crate) fn flush_pending(&mut self) -> Vec<Event> {
        self.bulk = false;
        let prepared = self.clustered.take();
        self.resolve_with(prepared)
    }

    /// `seeds` sorted, deduplicated, live nodes only.
    fn live_seeds(&self, mut seeds: Vec<u32>) -> Vec<u32> {
        seeds.sort_unstable();
        seeds.dedup();
        seeds.retain(|&n| self.store.node(n).is_some());
        seeds
    }

    fn resolve_now(&mut self) -> Vec<Event> {
        self.resolve_with(None)
    }

    fn resolve_with(&mut self, prepared: Option<(Vec<u32>, Vec<u64>)>) -> Vec<Event> {
        self.clustered = None;
        let mut events: Vec<Event> = self
            .erased
            .drain(..)
            .map(|(record, profile)| Event::RecordErased { record, profile })
            .collect();
        let dirty = std::mem::take(&mut self.dirty);
        let mut seeds = self.live_seeds(dirty);
        if !seeds.is_empty() {
            // The kept clustering serves when it covers every seed and was made from
            // seeds that are all still pending (checks since may add seeds inside it).
            let covers = |s: &[u32]| {
                s.iter().all(|x| seeds.binary_search(x).is_ok())
                    && seeds.iter().all(|&n| self.scratch.local.contains(n))
            };
            let prepared = prepared.and_then(|(s, olds)| covers(&s).then_some(olds));
            self.recluster(&seeds, prepared, &mut events);
        }
        seeds.clear();
        if seeds.capacity() > 1 << 12 {
            seeds = Vec::new();
        }
        self.dirty = seeds;
        for s in self.held_free.drain(..) {
            self.free_nodes.push(Reverse(s));
        }
        events
    }

    /// Re-clusters the components reached from `seeds`, in four steps: collect and
    /// cluster the affected components ([`collect_and_cluster`](Self::collect_and_cluster)),
    /// give the new clusters stable IDs ([`assign_ids`](Self::assign_ids)), report the
    /// changes ([`emit_events`](Self::emit_events)) and store the new profiles
    /// ([`commit`](Self::commit)).
    ///
    /// `prepared`: the old profiles of a clustering of these seeds already in
    /// `self.scratch` (see [`flush_pending`](Self::flush_pending)).
    fn recluster(&mut self, seeds: &[u32], prepared: Option<Vec<u64>>, events: &mut Vec<Event>) {
        let mut sc = std::mem::take(&mut self.scratch);
        let olds = match prepared {
            Some(olds) => olds,
            None => {
                sc.clear();
                self.collect_and_cluster(seeds, &mut sc)
            }
        };
        let r = self.assign_ids(&sc, olds);
        self.emit_events(&sc, &r, events);
        self.commit(&sc, &r);
        if sc.local.len() > 1 << 16 {
            sc = Scratch::default();
        }
        self.scratch = sc;
    }

    /// Step 1: the candidate components reached from `seeds`, closed over old profiles
    /// (members of an old profile not reached yet start further components), into
    /// `sc.order` / `sc.comp_ends`, then each clustered by the rule into `sc.clusters`
    /// (see [`cluster_components`]). Returns the old profiles met, in the order met.
    fn collect_and_cluster(&self, seeds: &[u32], sc: &mut Scratch) -> Vec<u64> {
        let store = &self.store;
        let settings = &self.settings;
        let mut olds: Vec<u64> = Vec::new();
        let mut seen_old: FastMap<u64, ()> = FastMap::default();
        let mut queue: Vec<u32> = seeds.iter().rev().copied().collect();
        let mut scan = 0usize;
        loop {
            while scan < sc.order.len() {
                let n = sc.order[scan];
                scan += 1;
                let p = store.node(n).map_or(0, |x| x.profile);
                if p != 0 && seen_old.insert(p, ()).is_none() {
                    olds.push(p);
                    if let Some(ms) = self.profiles.get(&ProfileId(p)) {
                        queue.extend(ms.iter().map(|m| m.0).filter(|&m| !sc.local.contains(m)));
                    }
                }
            }
            match queue.pop() {
                Some(s) => explore(store, settings, sc, s),
                None => break,
            }
        }
        cluster_components(store, settings, sc);
        olds
    }

    /// Step 2, stable IDs: each old profile's anchor is its earliest surviving member;
    /// a cluster inherits the ID of the old profile whose anchor it holds (the earliest
    /// such anchor if several); other clusters get new IDs in order of their earliest
    /// member.
    fn assign_ids(&mut self, sc: &Scratch, mut olds: Vec<u64>) -> Reclustered {
        let store = &self.store;
        olds.sort_unstable();
        let mut anchor_of: FastMap<u32, u64> = FastMap::default();
        for &p in &olds {
            if let Some(ms) = self.profiles.get(&ProfileId(p)) {
                if let Some(a) = ms.iter().min_by_key(|m| (store.seq(m.0), m.0)) {
                    anchor_of.insert(a.0, p);
                }
            }
        }
        let cl = &sc.clusters;
        let k = cl.len();
        let mut cluster_of_local = vec![0u32; sc.order.len()];
        let mut ids = vec![0u64; k];
        // (earliest seq, its node, cluster): 16 bytes, a million records' clusters at once.
        let mut fresh: Vec<(u64, u32, u32)> = Vec::new();
        for (c, id) in ids.iter_mut().enumerate() {
            let mut inherit: Option<(u64, u32, u64)> = None;
            let mut earliest = (u64::MAX, u32::MAX);
            for &m in cl.get(c) {
                if let Some(l) = sc.local.get(m) {
                    cluster_of_local[l as usize] = c as u32;
                }
                let key = (store.seq(m), m);
                earliest = earliest.min(key);
                if let Some(&p) = anchor_of.get(&m) {
                    if inherit.map_or(true, |(s, n, _)| (s, n) > key) {
                        inherit = Some((key.0, key.1, p));
                    }
                }
            }
            match inherit {
                Some((_, _, p)) => *id = p,
                None => fresh.push((earliest.0, earliest.1, c as u32)),
            }
        }
        fresh.sort_unstable();
        for &(_, _, c) in &fresh {
            ids[c as usize] = self.next_profile;
            self.next_profile += 1;
        }
        Reclustered {
            olds,
            ids,
            cluster_of_local,
        }
    }

    /// Step 3, events: old and new profiles that share records form groups; each group
    /// (in order of its smallest resulting ID) becomes one created / merged / split
    /// event, or record moves when several old profiles became several new ones, then
    /// `RecordAdded` for its records that had no profile.
    fn emit_events(&self, sc: &Scratch, r: &Reclustered, events: &mut Vec<Event>) {
        let store = &self.store;
        let (olds, ids) = (&r.olds, &r.ids);
        let cl = &sc.clusters;
        let k = cl.len();
        let mut uf: Vec<u32> = (0..k as u32).collect();
        let find = |uf: &mut Vec<u32>, mut x: u32| {
            while uf[x as usize] != x {
                let p = uf[uf[x as usize] as usize];
                uf[x as usize] = p;
                x = p;
            }
            x
        };
        let cluster_of = |n: u32| -> u32 {
            sc.local
                .get(n)
                .map_or(0, |l| r.cluster_of_local[l as usize])
        };
        let mut old_first: Vec<(u64, u32)> = Vec::with_capacity(olds.len());
        for &p in olds {
            let Some(ms) = self.profiles.get(&ProfileId(p)) else {
                continue;
            };
            let Some(first) = ms.first() else { continue };
            let c0 = cluster_of(first.0);
            old_first.push((p, c0));
            for m in &ms[1..] {
                let (x, y) = (find(&mut uf, c0), find(&mut uf, cluster_of(m.0)));
                if x != y {
                    uf[x as usize] = y;
                }
            }
        }
        // (group root, cluster) and (group root, old profile), grouped by root.
        let mut by_group: Vec<(u32, u64, u32)> = (0..k as u32)
            .map(|c| (find(&mut uf, c), ids[c as usize], c))
            .collect();
        by_group.sort_unstable();
        let mut olds_by_group: Vec<(u32, u64)> = old_first
            .iter()
            .map(|&(p, c0)| (find(&mut uf, c0), p))
            .collect();
        olds_by_group.sort_unstable();
        // Groups in order of their smallest resulting ID.
        let mut groups: Vec<(u64, u32, u32)> = Vec::new(); // (min id, start, end) in by_group
        let mut s = 0;
        while s < by_group.len() {
            let root = by_group[s].0;
            let e = s + by_group[s..].iter().take_while(|x| x.0 == root).count();
            let min_id = by_group[s..e].iter().map(|x| x.1).min().unwrap_or(0);
            groups.push((min_id, s as u32, e as u32));
            s = e;
        }
        groups.sort_unstable();
        // At least one event a group (exactly one for a batch's new profiles).
        events.reserve(groups.len());

        for &(_, s, e) in &groups {
            let (s, e) = (s as usize, e as usize);
            let root = by_group[s].0;
            let lo = olds_by_group.partition_point(|x| x.0 < root);
            let hi = olds_by_group.partition_point(|x| x.0 <= root);
            let old_ids: Vec<ProfileId> = olds_by_group[lo..hi]
                .iter()
                .map(|x| ProfileId(x.1))
                .collect();
            let news = &by_group[s..e];
            let mut added: Vec<(NodeId, ProfileId)> = Vec::new();
            let mut moved: Vec<(NodeId, ProfileId, ProfileId)> = Vec::new();
            for &(_, id, c) in news {
                for &m in cl.get(c as usize) {
                    let old = store.node(m).map_or(0, |x| x.profile);
                    if old == 0 {
                        added.push((NodeId(m), ProfileId(id)));
                    } else if old != id {
                        moved.push((NodeId(m), ProfileId(old), ProfileId(id)));
                    }
                }
            }
            match (old_ids.len(), news.len()) {
                (0, _) => {
                    for &(_, id, c) in news {
                        events.push(Event::ProfileCreated {
                            profile: ProfileId(id),
                            members: cl.get(c as usize).iter().map(|&m| NodeId(m)).collect(),
                        });
                    }
                    added.clear();
                }
                (1, 1) => {}
                (_, 1) => {
                    let into = ProfileId(news[0].1);
                    events.push(Event::ProfilesMerged {
                        into,
                        from: old_ids.iter().copied().filter(|&p| p != into).collect(),
                    });
                }
                (1, _) => events.push(Event::ProfileSplit {
                    from: old_ids[0],
                    into: news.iter().map(|x| ProfileId(x.1)).collect(),
                }),
                _ => {
                    moved.sort_unstable();
                    events.extend(moved.iter().map(|&(record, from, to)| Event::RecordMoved {
                        record,
                        from,
                        to,
                    }));
                }
            }
            added.sort_unstable();
            events.extend(
                added
                    .iter()
                    .map(|&(record, profile)| Event::RecordAdded { record, profile }),
            );
        }
    }

    /// Step 4, commit: the old profiles met are replaced by the new clusters (a profile
    /// whose member set is unchanged is left alone) and each moved node points to its
    /// new profile.
    fn commit(&mut self, sc: &Scratch, r: &Reclustered) {
        let cl = &sc.clusters;
        let k = cl.len();
        let ids = &r.ids;
        let unchanged: Vec<bool> = (0..k)
            .map(|c| {
                self.profiles
                    .get(&ProfileId(ids[c]))
                    .is_some_and(|old| old.iter().map(|x| x.0).eq(cl.get(c).iter().copied()))
            })
            .collect();
        let mut kept: Vec<u64> = (0..k).filter(|&c| unchanged[c]).map(|c| ids[c]).collect();
        kept.sort_unstable();
        for &p in &r.olds {
            if kept.binary_search(&p).is_err() {
                self.profiles.remove(&ProfileId(p));
            }
        }
        for (c, &id) in ids.iter().enumerate() {
            if unchanged[c] {
                continue;
            }
            let members: MemberList = cl.get(c).iter().map(|&m| NodeId(m)).collect();
            for m in &members {
                if let Some(Some(node)) = self.store.nodes.get_mut(m.0 as usize) {
                    node.profile = id;
                }
            }
            self.profiles.insert(ProfileId(id), members);
        }
    }

    // ----- checks ------------------------------------------------------------------

    fn check_live(&self, n: NodeId) -> Result<()> {
        self.store.node(n.0).map(|_| ()).ok_or_else(|| unknown(n))
    }

    fn check_pair(&self, a: NodeId, b: NodeId) -> Result<()> {
        self.check_live(a)?;
        self.check_live(b)?;
        if a == b {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                "a pair needs two different nodes",
            ));
        }
        Ok(())
    }
}

/// How the rule sees a scored pair's weight: 2 candidate link, 1 veto, 0 neutral.
fn class(settings: &GraphSettings, w: f64) -> u8 {
    if settings.links(w) {
        2
    } else if settings.vetoes(w) {
        1
    } else {
        0
    }
}

fn check_weight(w: f64) -> Result<()> {
    if w.is_nan() {
        Err(Error::new(ErrorKind::InvalidConfig, "edge weight is NaN"))
    } else {
        Ok(())
    }
}

/// Components at least this many go to the thread pool in chunks (one add reaches a
/// few; a batch of a million, hundreds of thousands).
#[cfg(feature = "parallel")]
const PARALLEL_COMPONENTS: usize = 1024;

/// Components one task clusters (chunks do not depend on the thread count).
#[cfg(feature = "parallel")]
const COMPONENTS_PER_CHUNK: usize = 256;

/// Clusters every component of `sc` into `sc.clusters`, in component order, recording
/// where each component's clusters end. A component's clusters depend on it alone, so
/// many components are clustered in chunks on all cores and the chunks' clusters
/// appended in order: the same clusters whatever the thread count.
fn cluster_components(store: &Store, settings: &GraphSettings, sc: &mut Scratch) {
    #[cfg(feature = "parallel")]
    if sc.comp_ends.len() >= PARALLEL_COMPONENTS {
        cluster_in_chunks(store, settings, sc);
        return;
    }
    cluster_one_by_one(store, settings, sc);
}

/// The run `(start, end)` of entry `k` of a list of end offsets (a component's
/// positions in `order`, its clusters in `clusters`).
fn component_range(ends: &[u32], k: usize) -> (u32, u32) {
    let start = if k == 0 { 0 } else { ends[k - 1] };
    (start, ends[k])
}

/// [`cluster_components`] on the calling thread, reusing `sc.rule`.
fn cluster_one_by_one(store: &Store, settings: &GraphSettings, sc: &mut Scratch) {
    for k in 0..sc.comp_ends.len() {
        let (start, end) = component_range(&sc.comp_ends, k);
        cluster_component(
            store,
            settings,
            &sc.order[start as usize..end as usize],
            &sc.local,
            start,
            &mut sc.rule,
            &mut sc.clusters,
            |_| {},
        );
        sc.comp_clusters.push(sc.clusters.len() as u32);
    }
}

/// [`cluster_components`] in chunks of [`COMPONENTS_PER_CHUNK`] on the thread pool,
/// each with its own scratch and output, appended in chunk order.
#[cfg(feature = "parallel")]
fn cluster_in_chunks(store: &Store, settings: &GraphSettings, sc: &mut Scratch) {
    use rayon::prelude::*;
    let (order, local, ends) = (&sc.order, &sc.local, &sc.comp_ends);
    let components: Vec<usize> = (0..ends.len()).collect();
    let chunks: Vec<(Clusters, Vec<u32>)> = components
        .par_chunks(COMPONENTS_PER_CHUNK)
        .map(|ks| {
            let (mut rule, mut out) = (RuleScratch::default(), Clusters::default());
            let mut counts = Vec::with_capacity(ks.len());
            for &k in ks {
                let (start, end) = component_range(ends, k);
                let comp = &order[start as usize..end as usize];
                cluster_component(
                    store,
                    settings,
                    comp,
                    local,
                    start,
                    &mut rule,
                    &mut out,
                    |_| {},
                );
                counts.push(out.len() as u32);
            }
            (out, counts)
        })
        .collect();
    for (out, counts) in chunks {
        let before = sc.clusters.len() as u32;
        sc.clusters.extend_from(&out, 0..out.len());
        sc.comp_clusters.extend(counts.iter().map(|&c| c + before));
    }
}

/// Breadth-first search over candidate links from `s`, appending one component to
/// `sc.order` (unless `s` was already reached).
fn explore(store: &Store, settings: &GraphSettings, sc: &mut Scratch, s: u32) {
    if sc.local.contains(s) || store.node(s).is_none() {
        return;
    }
    let mut head = sc.order.len();
    sc.local.insert_new(s, head as u32);
    sc.order.push(s);
    while head < sc.order.len() {
        let n = sc.order[head];
        head += 1;
        let Some(node) = store.node(n) else { continue };
        for &e in &node.adj {
            if !is_candidate(store, settings, e) {
                continue;
            }
            let o = store.pairs.other(e, n);
            if sc.local.insert_new(o, sc.order.len() as u32) {
                sc.order.push(o);
            }
        }
    }
    sc.comp_ends.push(sc.order.len() as u32);
}

#[cfg(all(test, feature = "parallel"))]
mod chunk_tests {
    use super::*;

    /// Thousands of small components with strong, weak and vetoing links: clustered in
    /// chunks on the pool they give exactly the one-by-one clusters (members, ends and
    /// each component's end), whatever the offsets of the chunks.
    #[test]
    fn chunks_cluster_exactly_as_one_by_one() {
        let mut g = LinkGraph::new(GraphSettings::default()).unwrap();
        g.bulk();
        let ids: Vec<NodeId> = (0..3000)
            .map(|i| g.add_node(&format!("r{i}")).unwrap())
            .collect();
        let (mut start, mut k) = (0usize, 0u64);
        while start < ids.len() {
            let end = (start + 1 + start % 5).min(ids.len());
            for a in start..end {
                for b in a + 1..end {
                    k += 1;
                    let w = [10.0, 1.0, -20.0, 3.0][(k % 4) as usize];
                    g.upsert_edge(ids[a], ids[b], Gamma(1), w).unwrap();
                }
            }
            start = end;
        }
        let seeds: Vec<u32> = ids.iter().map(|n| n.0).collect();
        let mut chunked = Scratch::default();
        g.collect_and_cluster(&seeds, &mut chunked);
        assert!(chunked.comp_ends.len() >= PARALLEL_COMPONENTS);
        let mut one = Scratch {
            local: chunked.local.clone(),
            order: chunked.order.clone(),
            comp_ends: chunked.comp_ends.clone(),
            ..Scratch::default()
        };
        cluster_one_by_one(&g.store, &g.settings, &mut one);
        assert_eq!(one.clusters.members, chunked.clusters.members);
        assert_eq!(one.clusters.ends, chunked.clusters.ends);
        assert_eq!(one.comp_clusters, chunked.comp_clusters);
        assert!(
            one.clusters.len() > chunked.comp_ends.len(),
            "a veto splits some component"
        );
    }
}
