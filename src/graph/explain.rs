//! Confidence, cohesion and explanations: why records are (or are not) together.

use super::cluster::{cluster_component, Clusters, LocalMap, RuleScratch};
use super::engine::LinkGraph;
use super::ids::{NodeId, ProfileId};
use super::store::{CANNOT, MUST, SCORED};
use crate::compare::Gamma;
use crate::model::probability_from_weight;

/// What the graph holds about one pair of records.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairInfo {
    /// The comparison vector, if the pair was compared.
    pub gamma: Option<Gamma>,
    /// The match weight (log2 odds), if the pair was compared.
    pub weight: Option<f64>,
    /// The match probability from the weight
    /// ([`probability_from_weight`](crate::model::probability_from_weight)), if the pair
    /// was compared and its weight is a number (a NaN weight is no evidence).
    pub probability: Option<f64>,
    /// Asserted to be the same person.
    pub asserted_same: bool,
    /// Asserted to be different people.
    pub asserted_different: bool,
}

/// One join the rule made while building a profile.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Link {
    /// One record.
    pub a: NodeId,
    /// The other record.
    pub b: NodeId,
    /// The pair as stored (γ, weight, assertions).
    pub pair: PairInfo,
    /// Strength of the join: 1.0 for a must-link, else the pair's probability.
    pub strength: f64,
}

/// Why a profile holds together: the joins made, in rule order, and the weakest.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ProfileExplanation {
    /// The profile.
    pub profile: ProfileId,
    /// Joins the rule made inside the profile, in the order it made them (must-links
    /// first, then by weight descending); they form a spanning tree of the members.
    pub links: Vec<Link>,
    /// The weakest join (lowest strength; the last one in rule order), `None` for a singleton.
    pub weakest: Option<Link>,
}

impl LinkGraph {
    /// What the graph holds about the pair `a`–`b`, if anything.
    pub fn pair(&self, a: NodeId, b: NodeId) -> Option<PairInfo> {
        let e = self.store.find_pair(a.0, b.0)?;
        Some(self.pair_info(e))
    }

    fn pair_info(&self, e: u32) -> PairInfo {
        let i = e as usize;
        let p = &self.store.pairs;
        let f = p.flags(e);
        let w = p.weight(e);
        let scored = f & SCORED != 0;
        PairInfo {
            gamma: scored.then_some(p.gamma[i]),
            weight: scored.then_some(w),
            probability: scored
                .then_some(w)
                .filter(|w| !w.is_nan())
                .map(probability_from_weight),
            asserted_same: f & MUST != 0,
            asserted_different: f & CANNOT != 0,
        }
    }

    /// The joins that hold profile `p` together, obtained by replaying the rule on its
    /// component (cost proportional to the component). Reflects the last resolution.
    pub fn explain_profile(&self, p: ProfileId) -> Option<ProfileExplanation> {
        let members = self.profiles.get(&p)?;
        let mut local = LocalMap::default();
        let mut order: Vec<u32> = Vec::new();
        for m in members {
            if local.insert_new(m.0, order.len() as u32) {
                order.push(m.0);
            }
        }
        let mut head = 0;
        while head < order.len() {
            let n = order[head];
            head += 1;
            let Some(node) = self.store.node(n) else {
                continue;
            };
            for &e in &node.adj {
                if !super::cluster::is_candidate(&self.store, &self.settings, e) {
                    continue;
                }
                let o = self.store.pairs.other(e, n);
                if local.insert_new(o, order.len() as u32) {
                    order.push(o);
                }
            }
        }
        let mut taken: Vec<u32> = Vec::new();
        cluster_component(
            &self.store,
            &self.settings,
            &order,
            &local,
            0,
            &mut RuleScratch::default(),
            &mut Clusters::default(),
            |e| taken.push(e),
        );
        let links: Vec<Link> = taken
            .into_iter()
            .filter(|&e| {
                let [a, b] = self.store.pairs.ends(e);
                members.binary_search(&NodeId(a)).is_ok()
                    && members.binary_search(&NodeId(b)).is_ok()
            })
            .map(|e| {
                let [a, b] = self.store.pairs.ends(e);
                let pair = self.pair_info(e);
                let strength = if pair.asserted_same {
                    1.0
                } else {
                    pair.probability.unwrap_or(0.0)
                };
                Link {
                    a: NodeId(a),
                    b: NodeId(b),
                    pair,
                    strength,
                }
            })
            .collect();
        let weakest = links
            .iter()
            .copied()
            .reduce(|w, l| if l.strength <= w.strength { l } else { w });
        Some(ProfileExplanation {
            profile: p,
            links,
            weakest,
        })
    }
}
