//! Checking profiles: two records that a resolution would put in one profile but that
//! blocking never paired are compared first, and a pair that says "two people" keeps
//! them apart.
//!
//! Blocking compares records that share a key, so a profile can hold two records that
//! were never compared: a household member who joined through a record without a
//! birth date or given name, while her own birth date and given name differ from his.
//! Before a resolution is committed, every two members of each profile it would form
//! are compared, and the pairs whose person data says two people
//! ([`ProfileGraph::two_people`]: given name, birth date and national id, at least two
//! of them present, weigh below the veto together) are kept as checks, which the rule
//! reads only as vetoes; this repeats until no profile would hold such a pair. Contact
//! data is left out of that test: such pairs share no blocking key by construction,
//! so their contact data differs for that reason alone (weighed whole, true people
//! whose unblocked records share only a nickname were split). The profiles that result
//! are those the rule gives with every such veto between records of one profile known
//! — whichever checks were made on the way — so adding records one at a time still
//! gives what one batch gives, and the events describe one change.

use super::ProfileGraph;
use crate::compare::Gamma;
use crate::graph::{Event, NodeId};

/// Profiles with more members are not checked: the cost grows with the square of the
/// size, and a profile that large is not one customer's records anyway.
pub const MAX_CHECKED_MEMBERS: usize = 256;

/// The comparisons that describe one person and the clustering veto as a weight.
pub(super) struct PersonTest {
    person: Vec<usize>,
    veto: f64,
}

impl PersonTest {
    /// Whether γ's person comparisons, at least two of them present, weigh below the
    /// veto together under `model` (see [`ProfileGraph::two_people`]).
    pub(super) fn says_two(&self, model: &crate::model::Model, g: Gamma) -> bool {
        let present = self.person.iter().filter(|&&c| g.level(c) != 0);
        let weight: f64 = present.clone().map(|&c| model.weight_in(g, c)).sum();
        present.count() >= 2 && weight < self.veto
    }
}

impl ProfileGraph {
    /// Resolves the pending changes of the clustering core (the caller left it in bulk
    /// mode), checking the profiles they would form first — and every profile when
    /// `all` (after a new model, whose vetoes differ).
    pub(super) fn resolve_checked(&mut self, all: bool) -> Vec<Event> {
        let mut clusters: Vec<Vec<NodeId>> = if all {
            self.links.profiles().map(|(_, m)| m.to_vec()).collect()
        } else {
            Vec::new()
        };
        let two_people = self.person_test();
        // First every pending change; then only where the last checks vetoed.
        let mut from: Option<Vec<NodeId>> = None;
        let mut vetoed: Vec<NodeId> = Vec::new();
        loop {
            clusters.extend(self.links.pending_clusters(from.as_deref()));
            let pairs = self.unchecked_pairs(&clusters);
            clusters.clear();
            if pairs.is_empty() {
                break;
            }
            let vetoes: Vec<(NodeId, NodeId, Gamma, f64)> = pairs
                .iter()
                .zip(self.compare_pairs(&pairs))
                .filter(|(_, (g, _))| two_people.says_two(&self.model, *g))
                .map(|(&(a, b), (g, w))| (NodeId(a), NodeId(b), g, w))
                .collect();
            if vetoes.is_empty() {
                break;
            }
            self.links
                .add_checks(&vetoes)
                .expect("members of profiles are live records");
            let ends: Vec<NodeId> = vetoes.iter().flat_map(|v| [v.0, v.1]).collect();
            vetoed.extend_from_slice(&ends);
            from = Some(ends);
        }
        // The first pass's clustering is the one to commit, with the components where
        // a check vetoed clustered again.
        if !vetoed.is_empty() {
            self.links.recluster_pending(&vetoed);
        }
        self.links.flush_pending()
    }

    /// The test of [`ProfileGraph::two_people`], with what it needs looked up once.
    pub(super) fn person_test(&self) -> PersonTest {
        let person = self.person_data();
        PersonTest {
            person: (0..person.len()).filter(|&c| person[c]).collect(),
            veto: crate::model::weight_from_probability(self.links.settings().veto),
        }
    }

    /// Every two members of each cluster (of at most [`MAX_CHECKED_MEMBERS`]) that were
    /// never compared, smaller slot first, sorted and deduplicated.
    fn unchecked_pairs(&self, clusters: &[Vec<NodeId>]) -> Vec<(u32, u32)> {
        let mut pairs = Vec::new();
        for members in clusters {
            if members.len() > MAX_CHECKED_MEMBERS {
                continue;
            }
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    if !self.links.is_compared(a, b) {
                        pairs.push((a.0.min(b.0), a.0.max(b.0)));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }
}
