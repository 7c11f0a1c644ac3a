//! A pair's weight in the light of the profiles: what the clustering concluded from
//! all the pairs, not only from the pair's own comparisons.
//!
//! A pair's own weight sees two records; the clustering sees every pair around them.
//! Where they disagree the clustering is mostly right (on generated customers, pairs
//! rated 0.1–0.5 on their own inside one profile are about 90% one person, pairs
//! rated 0.5–0.9 split across two profiles mostly two), so the weight a pair is
//! *reported* with reads both:
//!
//! - inside a profile: the stronger of its own weight and its *bottleneck* — the
//!   weakest link on the strongest chain of the profile's pairs that joins the two
//!   records (two records each certain of a third are about as sure of each other);
//! - across two profiles: the weaker of its own weight and the mean weight of all the
//!   compared pairs between the two profiles (what average linkage weighed when it
//!   kept them apart).
//!
//! Both depend only on the profiles and the pair weights, never on storage order, so
//! a graph built one record at a time reports what a batch reports.

use super::engine::LinkGraph;
use super::ids::NodeId;
use super::store::{CANNOT, CHECK, MUST, SCORED};
use crate::compare::Gamma;

impl LinkGraph {
    /// Calls `emit(a, b, γ, stored weight, own weight, weight in context)` once for
    /// every scored pair (the pairs of [`LinkGraph::edges`]), profile by profile. The
    /// own weight is `weigh(γ, stored weight, in one profile)` (the stored weight, or
    /// a recalibration of it); the context reads the own weights of the pairs around,
    /// a must-link as a certain link. An asserted pair is reported as asserted (+∞
    /// same person, −∞ two people). A pair with a record in no profile yet keeps its
    /// own weight. A NaN weight stays NaN and links nothing.
    pub(crate) fn for_each_pair_in_context(
        &self,
        weigh: impl Fn(Gamma, f64, bool) -> f64,
        mut emit: impl FnMut(NodeId, NodeId, Gamma, f64, f64, f64),
    ) {
        let store = &self.store;
        let pairs = &store.pairs;
        let scored = |e: u32| pairs.flags(e) & (SCORED | CHECK) == SCORED;
        let profile = |n: u32| store.node(n).map_or(0, |x| x.profile);
        let own =
            |e: u32, together: bool| weigh(pairs.gamma[e as usize], pairs.weight(e), together);
        for (a, b, g, w) in self.edges() {
            let (pa, pb) = (profile(a.0), profile(b.0));
            if pa == 0 || pb == 0 {
                let own = weigh(g, w, pa == pb);
                emit(a, b, g, w, own, own);
            }
        }
        let mut emit_pair = |e: u32, own: f64, context: f64| {
            let [a, b] = pairs.ends(e);
            let (g, w) = (pairs.gamma[e as usize], pairs.weight(e));
            emit(NodeId(a), NodeId(b), g, w, own, context);
        };
        // An answer a person gave is what the pair is reported with: same person
        // certain, two people impossible.
        let asserted = |e: u32, w: f64| {
            let f = pairs.flags(e);
            if f & MUST != 0 {
                f64::INFINITY
            } else if f & CANNOT != 0 {
                f64::NEG_INFINITY
            } else {
                w
            }
        };
        let mut inside: Vec<(f64, u32)> = Vec::new();
        // The own weight of each pair of `inside`, kept beside it.
        let mut inside_own: Vec<f64> = Vec::new();
        let mut across: Vec<(u64, f64, u32)> = Vec::new();
        let mut bottleneck = Bottlenecks::default();
        for (p, members) in self.profiles() {
            inside.clear();
            inside_own.clear();
            across.clear();
            for &m in members {
                let Some(node) = store.node(m.0) else {
                    continue;
                };
                for &e in &node.adj {
                    let other = pairs.other(e, m.0);
                    let q = profile(other);
                    // Must-links join a profile's chains even where never compared.
                    let must_only = !scored(e) && pairs.flags(e) & MUST != 0;
                    if q == p.0 && m.0 < other && (scored(e) || must_only) {
                        let w = if must_only { f64::NAN } else { own(e, true) };
                        let link = if must_only {
                            f64::INFINITY
                        } else {
                            asserted(e, w)
                        };
                        inside.push((link, e));
                        inside_own.push(w);
                    } else if scored(e) && q != 0 && p.0 < q {
                        across.push((q, own(e, false), e));
                    }
                }
            }
            bottleneck.solve(members, &mut inside, pairs);
            for (&(strongest, e), &w) in inside.iter().zip(&inside_own) {
                if !scored(e) {
                    continue;
                }
                let context = if w.is_nan() { w } else { w.max(strongest) };
                emit_pair(e, w, asserted(e, context));
            }
            // Grouped by the other profile, each group's weights in one order, so the
            // mean is the same bit for bit whichever way the pairs were stored.
            across.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
            let mut start = 0;
            while start < across.len() {
                let other = across[start].0;
                let end = start + across[start..].iter().take_while(|x| x.0 == other).count();
                let group = &across[start..end];
                let finite = group.iter().filter(|x| !x.1.is_nan());
                let (sum, n) = finite.fold((0.0, 0usize), |(s, n), x| (s + x.1, n + 1));
                for &(_, w, e) in group {
                    let context = if w.is_nan() || n == 0 {
                        w
                    } else {
                        w.min(sum / n as f64)
                    };
                    emit_pair(e, w, asserted(e, context));
                }
                start = end;
            }
        }
    }
}

/// Scratch for the bottleneck of every pair inside one profile: Kruskal's order (the
/// strongest pairs first) with a union-find over the members; a pair's bottleneck is
/// the weight of the pair whose union first joins its two records. Each component
/// keeps the pairs still waiting for that union, and the smaller one hands its
/// waiting pairs to the larger (each pair moves O(log n) times).
#[derive(Default)]
struct Bottlenecks {
    parent: Vec<u32>,
    /// Per member (the first `members.len()` in use): pairs waiting for its union.
    waiting: Vec<Vec<u32>>,
    ends: Vec<[u32; 2]>,
    order: Vec<usize>,
    result: Vec<f64>,
}

impl Bottlenecks {
    /// Replaces each `(weight, pair)` of `inside` by `(bottleneck, pair)`.
    fn solve(
        &mut self,
        members: &[NodeId],
        inside: &mut [(f64, u32)],
        pairs: &super::store::Pairs,
    ) {
        // Members are sorted by handle: a member's place is its union-find index.
        let local = |n: u32| {
            members
                .binary_search(&NodeId(n))
                .expect("a pair inside a profile joins two of its members") as u32
        };
        self.ends.clear();
        self.ends
            .extend(inside.iter().map(|&(_, e)| pairs.ends(e).map(local)));
        let ends = &self.ends;
        self.parent.clear();
        self.parent.extend(0..members.len() as u32);
        if self.waiting.len() < members.len() {
            self.waiting.resize_with(members.len(), Vec::new);
        }
        self.waiting[..members.len()]
            .iter_mut()
            .for_each(Vec::clear);
        for (i, [a, b]) in ends.iter().enumerate() {
            self.waiting[*a as usize].push(i as u32);
            self.waiting[*b as usize].push(i as u32);
        }
        self.result.clear();
        self.result.resize(inside.len(), f64::NEG_INFINITY);
        self.order.clear();
        self.order
            .extend((0..inside.len()).filter(|&i| !inside[i].0.is_nan()));
        // Strongest first; equal weights join in either order to the same result.
        self.order
            .sort_unstable_by(|&x, &y| inside[y].0.total_cmp(&inside[x].0));
        for k in 0..self.order.len() {
            let i = self.order[k];
            let [a, b] = ends[i];
            let (mut x, mut y) = (find(&mut self.parent, a), find(&mut self.parent, b));
            if x == y {
                continue;
            }
            if self.waiting[x as usize].len() < self.waiting[y as usize].len() {
                std::mem::swap(&mut x, &mut y);
            }
            self.parent[y as usize] = x;
            let moving = std::mem::take(&mut self.waiting[y as usize]);
            for j in moving {
                let [c, d] = ends[j as usize];
                let (rc, rd) = (find(&mut self.parent, c), find(&mut self.parent, d));
                if rc == rd {
                    if self.result[j as usize] == f64::NEG_INFINITY {
                        self.result[j as usize] = inside[i].0;
                    }
                } else {
                    self.waiting[x as usize].push(j);
                }
            }
        }
        for (slot, &r) in inside.iter_mut().zip(&self.result) {
            slot.0 = r;
        }
    }
}

/// The root of `x`, halving the path on the way.
fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let up = parent[parent[x as usize] as usize];
        parent[x as usize] = up;
        x = up;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::{edge, graph, nodes};
    use std::collections::BTreeMap;

    /// Reported weights by key pair.
    fn in_context(g: &LinkGraph) -> BTreeMap<(String, String), (f64, f64)> {
        let mut out = BTreeMap::new();
        g.for_each_pair_in_context(
            |_, w, _| w,
            |a, b, _, w, _, c| {
                let (ka, kb) = (g.key(a).unwrap().to_string(), g.key(b).unwrap().to_string());
                let k = if ka < kb { (ka, kb) } else { (kb, ka) };
                assert!(out.insert(k, (w, c)).is_none(), "each pair once");
            },
        );
        out
    }

    #[test]
    fn a_pair_reads_its_profiles_chain_inside_and_the_pairs_between_across() {
        let mut g = graph();
        let n = nodes(&mut g, &["a", "b", "c", "d", "e"]);
        // One profile a, b, c: a and b unsure of each other (0 bits), each sure of c
        // (12 and 9 bits): their chain's weakest link is 9 bits.
        edge(&mut g, n[0], n[2], 12.0);
        edge(&mut g, n[1], n[2], 9.0);
        edge(&mut g, n[0], n[1], 0.0);
        // d and e: one person, kept from the first profile by what the pairs between
        // say on average (a–d +6, b–d and c–d far below).
        edge(&mut g, n[3], n[4], 10.0);
        edge(&mut g, n[0], n[3], 6.0);
        edge(&mut g, n[1], n[3], -20.0);
        edge(&mut g, n[2], n[3], -16.0);
        let first = g.profile_of(n[0]);
        assert!(first.is_some() && first == g.profile_of(n[1]) && first == g.profile_of(n[2]));
        assert!(g.profile_of(n[3]) != first && g.profile_of(n[3]) == g.profile_of(n[4]));
        let pairs = in_context(&g);
        let key = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(pairs.len(), 7);
        assert_eq!(pairs[&key("a", "b")], (0.0, 9.0));
        assert_eq!(
            pairs[&key("a", "c")],
            (12.0, 12.0),
            "a strong pair keeps its own"
        );
        assert_eq!(pairs[&key("d", "e")], (10.0, 10.0), "alone in its profile");
        // Across: the mean of the three pairs between the profiles, (6 − 20 − 16) / 3.
        assert_eq!(pairs[&key("a", "d")], (6.0, -10.0));
        assert_eq!(pairs[&key("b", "d")], (-20.0, -20.0), "never raised");
    }

    #[test]
    fn an_answer_is_reported_as_given_and_a_nan_pair_stays_nan() {
        let mut g = graph();
        let n = nodes(&mut g, &["a", "b", "c", "d", "x", "y", "z"]);
        // a, b, c one profile; d apart; x alone, y and z one profile, x–y a NaN pair.
        edge(&mut g, n[0], n[2], 12.0);
        edge(&mut g, n[1], n[2], 9.0);
        edge(&mut g, n[0], n[1], 0.0);
        edge(&mut g, n[0], n[3], -4.0);
        edge(&mut g, n[2], n[3], -6.0);
        edge(&mut g, n[4], n[5], 1.0);
        edge(&mut g, n[5], n[6], 10.0);
        edge(&mut g, n[4], n[6], -3.0);
        edge(&mut g, n[0], n[4], -2.0);
        // Only a re-scoring can store a NaN weight.
        let _ = g.rescore_pairs(|a, b, _| {
            let w = [
                (0, 2, 12.0),
                (1, 2, 9.0),
                (0, 1, 0.0),
                (0, 3, -4.0),
                (2, 3, -6.0),
                (5, 6, 10.0),
                (4, 6, -3.0),
            ];
            let (a, b) = (a.0.min(b.0), a.0.max(b.0));
            w.iter()
                .find(|&&(x, y, _)| (n[x].0, n[y].0) == (a, b))
                .map_or(
                    if (a, b) == (n[4].0, n[5].0) {
                        f64::NAN
                    } else {
                        -2.0
                    },
                    |t| t.2,
                )
        });
        g.assert_different(n[2], n[3]).unwrap();
        // A must-link on a pair never compared still joins the chain: b–e certain, so
        // a–e reads a's chain through b.
        let e = nodes(&mut g, &["e"])[0];
        edge(&mut g, n[0], e, -1.0);
        g.assert_same(n[1], e).unwrap();
        let pairs = in_context(&g);
        let key = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            pairs[&key("c", "d")].1,
            f64::NEG_INFINITY,
            "told two people"
        );
        // a–d: its own −4 against the mean of −4 and −6.
        assert_eq!(pairs[&key("a", "d")].1, -5.0);
        // Between {x} and {y, z}: x–z −3 sets the mean, x–y stays NaN.
        assert_eq!(pairs[&key("x", "z")], (-3.0, -3.0));
        let (w, c) = pairs[&key("x", "y")];
        assert!(
            w.is_nan() && c.is_nan(),
            "a NaN pair across two profiles: {c}"
        );
        assert_eq!(
            pairs[&key("a", "e")],
            (-1.0, 9.0),
            "a–c–b–e: weakest link 9"
        );
        assert!(
            !pairs.contains_key(&key("b", "e")),
            "never compared: not a scored pair"
        );
    }
}
