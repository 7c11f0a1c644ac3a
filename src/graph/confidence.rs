//! How sure the graph is of a record's place in its profile, and of a profile as a
//! whole: every compared link counts, contradictions first.
//!
//! # The model
//!
//! A record belongs with the rest of its profile when it is the same person as *every*
//! other member: the conjunction of the pair events "r is m" over the members m it was
//! compared with. Each compared pair gives the probability of its own event (its
//! posterior `p`, odds against `o = (1 − p) / p = 2^−w` for match weight `w`). The
//! probability of the conjunction lies between two bounds that need no assumption
//! about how the pairs depend on each other (Fréchet):
//!
//! - at most the weakest pair: `min p` — exact when the pairs' errors are perfectly
//!   correlated (one mistake, repeated);
//! - at least `1 − Σ (1 − p)` — exact when the errors exclude each other; in odds, the
//!   odds against the conjunction are about `Σ o` (the union bound).
//!
//! The links of one record to the members of one person are strongly but not
//! perfectly correlated (the members hold much the same values, so its comparisons
//! with them repeat one another), so we sit between the bounds: the odds against
//! belonging are the odds against of its links, largest first, each further one
//! discounted by [`LINK_DISCOUNT`]:
//!
//! `odds against = o₍₁₎ + d·o₍₂₎ + d²·o₍₃₎ + …`, `confidence = 1 / (1 + odds against)`.
//!
//! Consequences: one link gives exactly its pair probability; strong links (odds
//! against ≈ 0) cost nothing and cannot buy back a contradiction (a conjunction is as
//! weak as its weakest part); several doubtful links weigh more than one; a
//! must-link counts as certain and a link without evidence (NaN weight) is left out.
//! With `d = 0` this is the strongest contradiction alone, with `d = 1` the union
//! bound. On generated data every `d` in [0, 1] separates misplaced records about
//! equally well (AUC 0.852 at 0, 0.850 at 0.5, 0.848 at 1; the strongest link alone,
//! the old confidence, 0.618): 0.5, halfway between the bounds, lets every link count.
//!
//! A profile's cohesion is the same combination over every compared pair inside it:
//! the probability that all its members are one person.

use super::engine::LinkGraph;
use super::ids::{NodeId, ProfileId};
use super::store::{MUST, SCORED};

/// Weight of each further doubtful link relative to the one before (see the module
/// documentation): 0 keeps only the strongest contradiction, 1 adds them all up.
pub const LINK_DISCOUNT: f64 = 0.5;

/// The probability that a set of pair events all hold, from their match weights (log2
/// odds; `+∞` for an asserted pair), links discounted by `discount` in order of their
/// odds against (see the module documentation). `None` when no weight is given; NaN
/// weights are no evidence and are skipped.
///
/// ```
/// use sameas::graph::conjunction_probability;
/// // One link: its own probability (weight 3 = 8 : 1).
/// assert!((conjunction_probability([3.0], 0.5).unwrap() - 8.0 / 9.0).abs() < 1e-12);
/// // Strong links do not buy back a contradiction.
/// let p = conjunction_probability([30.0, 30.0, -4.0], 0.5).unwrap();
/// assert!((p - 1.0 / 17.0).abs() < 1e-6);
/// // Two doubtful links are worse than one.
/// assert!(conjunction_probability([1.0, 1.0], 0.5) < conjunction_probability([1.0], 0.5));
/// assert_eq!(conjunction_probability([], 0.5), None);
/// ```
pub fn conjunction_probability(
    weights: impl IntoIterator<Item = f64>,
    discount: f64,
) -> Option<f64> {
    let mut against: Vec<f64> = weights
        .into_iter()
        .filter(|w| !w.is_nan())
        .map(|w| (-w).exp2())
        .collect();
    if against.is_empty() {
        return None;
    }
    against.sort_unstable_by(|a, b| b.total_cmp(a));
    let mut total = 0.0;
    let mut factor = 1.0;
    for o in against {
        total += factor * o;
        factor *= discount;
        if factor == 0.0 {
            break;
        }
    }
    Some(if total.is_finite() {
        1.0 / (1.0 + total)
    } else {
        0.0
    })
}

impl LinkGraph {
    /// Weight of pair slot `e` as evidence that its records are one person: `+∞` when
    /// asserted the same, the match weight when compared, else `None`.
    fn evidence(&self, e: u32) -> Option<f64> {
        let f = self.store.pairs.flags(e);
        if f & MUST != 0 {
            Some(f64::INFINITY)
        } else if f & SCORED != 0 {
            Some(self.store.pairs.weight(e)).filter(|w| !w.is_nan())
        } else {
            None
        }
    }

    /// Confidence of `n`'s membership in its profile: the probability that it is the
    /// same person as every other member it was compared with, from all those links,
    /// contradictions included ([`conjunction_probability`] with [`LINK_DISCOUNT`]; 1.0
    /// when its only links are must-links). `None` for a singleton, a pending or an
    /// unknown node.
    pub fn confidence(&self, n: NodeId) -> Option<f64> {
        let node = self.store.node(n.0)?;
        if node.profile == 0 {
            return None;
        }
        let weights = node.adj.iter().filter_map(|&e| {
            let o = self.store.pairs.other(e, n.0);
            if self.store.node(o).map(|x| x.profile) != Some(node.profile) {
                return None;
            }
            self.evidence(e)
        });
        conjunction_probability(weights, LINK_DISCOUNT)
    }

    /// Cohesion of profile `p`: the probability that all its members are one person,
    /// from every compared pair inside it (the same combination as
    /// [`LinkGraph::confidence`]). `None` for a singleton or an unknown profile.
    pub fn cohesion(&self, p: ProfileId) -> Option<f64> {
        let members = self.profiles.get(&p)?;
        if members.len() < 2 {
            return None;
        }
        let mut weights = Vec::new();
        for m in members {
            let Some(node) = self.store.node(m.0) else {
                continue;
            };
            for &e in &node.adj {
                let o = self.store.pairs.other(e, m.0);
                if o > m.0 && members.binary_search(&NodeId(o)).is_ok() {
                    weights.extend(self.evidence(e));
                }
            }
        }
        conjunction_probability(weights, LINK_DISCOUNT)
    }
}
