//! The clustering rule, applied to one connected component (documented on `LinkGraph`).
//!
//! This file is the whole rule: which pairs are candidates, in which order they are
//! taken, and when a join is refused. It reads the store and writes clusters; it never
//! looks at node slot numbers except as opaque handles.

use std::cmp::Ordering;

use smallvec::SmallVec;

use super::settings::GraphSettings;
use super::store::{Store, CANNOT, CHECK, MUST, SCORED};
use crate::compare::MAX_COMPARISONS;

/// Node slot → position in the current working set: a table indexed by slot (a
/// lookup per adjacency entry is the clustering's inner loop), cleared by resetting
/// only the slots set since the last clear.
#[derive(Debug, Default, Clone)]
pub(crate) struct LocalMap {
    /// Position + 1 per slot; 0 when absent.
    at: Vec<u32>,
    /// Slots set since the last clear.
    set: Vec<u32>,
}

impl LocalMap {
    /// The position of slot `n`, if set.
    #[inline]
    pub fn get(&self, n: u32) -> Option<u32> {
        self.at.get(n as usize).and_then(|&p| p.checked_sub(1))
    }

    /// Whether slot `n` is set.
    #[inline]
    pub fn contains(&self, n: u32) -> bool {
        self.get(n).is_some()
    }

    /// Sets slot `n` to `position` unless it is set; returns whether it was new.
    pub fn insert_new(&mut self, n: u32, position: u32) -> bool {
        let i = n as usize;
        if i >= self.at.len() {
            self.at.resize(i + 1, 0);
        }
        if self.at[i] != 0 {
            return false;
        }
        self.at[i] = position + 1;
        self.set.push(n);
        true
    }

    /// Number of slots set.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Forgets every slot set (keeps the table).
    pub fn clear(&mut self) {
        for &n in &self.set {
            self.at[n as usize] = 0;
        }
        self.set.clear();
    }
}

/// Exclusive keys of one cluster, sorted by `(class, value)`, deduplicated.
type ExclusiveSet = SmallVec<[(u64, u64); 2]>;

/// Clusters produced by the rule, stored flat: `members[ends[k-1]..ends[k]]`.
#[derive(Debug, Default)]
pub(crate) struct Clusters {
    /// Node slots, each cluster's run sorted ascending.
    pub members: Vec<u32>,
    /// End offset of each cluster in `members`.
    pub ends: Vec<u32>,
}

impl Clusters {
    /// Number of clusters.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Members of cluster `k`.
    pub fn get(&self, k: usize) -> &[u32] {
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        &self.members[start..self.ends[k] as usize]
    }

    /// Appends clusters `ks` of `other`, in order.
    pub fn extend_from(&mut self, other: &Clusters, ks: std::ops::Range<usize>) {
        for k in ks {
            self.members.extend_from_slice(other.get(k));
            self.ends.push(self.members.len() as u32);
        }
    }

    /// Removes every cluster.
    pub fn clear(&mut self) {
        self.members.clear();
        self.ends.clear();
    }
}

/// The model's evidence against one person that the rule reads in the pairs between
/// two clusters, beyond their weights: disagreements that hold for the clusters as
/// wholes, not only pair by pair.
///
/// - **Repeated:** comparisons on which one person's records rarely disagree (given
///   name, birth date), each with the γ level and weight of its "else" (its least
///   similar level). Such a comparison may say "else" on every compared pair between
///   two clusters where it is present. If the two were one person, every record on
///   the side with fewer of those records (say `k` of them) would carry a wrong value,
///   not one: twins recorded in two sources each look like one person whose given
///   name was once written as another, pair by pair, but not as wholes. So the "else"
///   weight counts `k − 1` more times.
/// - **Absent:** each comparison's weight per level where it is evidence against
///   (below 0). A compared pair where a comparison is null (one record lacks the
///   field) is charged the weight of the *best* level that comparison reaches on any
///   compared pair between the two clusters, when that is evidence against. Two
///   namesakes' records with different phones, e-mails and cities otherwise join
///   through one record that holds only the name: its pairs are the strongest
///   precisely because they lack what tells the two apart, and the clusters' own
///   values (no pair agrees on any of them) are what it lacks.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DisagreementWeights {
    /// `(comparison, else level, else weight)`, weight negative.
    repeated: SmallVec<[(u8, u8, f64); 4]>,
    /// Per comparison, per γ level: the weight when below 0, else 0 (level 0, null,
    /// always 0).
    absent: Vec<Vec<f64>>,
}

impl DisagreementWeights {
    /// The weights for `repeated` comparisons `(index, else level, else weight)` and
    /// the `levels` weights of each comparison in γ order (index = γ level, index 0
    /// ignored). Repeated entries that cannot be in a γ, and those whose weight is not
    /// negative and finite (an "else" that is no evidence against), are dropped; so is
    /// every level weight that is not negative and finite, and any comparison or level
    /// a γ cannot hold.
    pub fn new(
        repeated: impl IntoIterator<Item = (usize, u8, f64)>,
        levels: impl IntoIterator<Item = Vec<f64>>,
    ) -> Self {
        use crate::compare::MAX_LEVELS;
        let against = |w: f64| if w.is_finite() && w < 0.0 { w } else { 0.0 };
        let mut absent: Vec<Vec<f64>> = levels
            .into_iter()
            .take(MAX_COMPARISONS)
            .map(|ws| {
                let mut row: Vec<f64> = ws.into_iter().take(MAX_LEVELS).map(against).collect();
                if let Some(null) = row.first_mut() {
                    *null = 0.0;
                }
                while row.last() == Some(&0.0) {
                    row.pop();
                }
                row
            })
            .collect();
        while absent.last().is_some_and(Vec::is_empty) {
            absent.pop();
        }
        DisagreementWeights {
            repeated: repeated
                .into_iter()
                .filter(|&(c, l, w)| {
                    c < MAX_COMPARISONS
                        && (1..MAX_LEVELS as u8).contains(&l)
                        && w.is_finite()
                        && w < 0.0
                })
                .map(|(c, l, w)| (c as u8, l, w))
                .collect(),
            absent,
        }
    }

    /// `(comparison, else level, else weight)` of each repeated comparison.
    #[cfg(feature = "serde")]
    pub fn repeated(&self) -> &[(u8, u8, f64)] {
        &self.repeated
    }

    /// Per comparison, per γ level, the weight charged to a pair that lacks the
    /// comparison (0 where the level is no evidence against; trailing zeros dropped).
    #[cfg(feature = "serde")]
    pub fn absent(&self) -> &[Vec<f64>] {
        &self.absent
    }
}

/// Reusable buffers of the rule (no allocation per pair).
#[derive(Debug, Default)]
pub(crate) struct RuleScratch {
    between: Between,
    must: Vec<u32>,
    scored: Vec<u32>,
    root: Vec<u32>,
    next: Vec<u32>,
    size: Vec<u32>,
    excl: Vec<ExclusiveSet>,
    merged: ExclusiveSet,
}

/// Is pair `e` a candidate link (a must-link or a compared pair at or above the threshold)?
#[inline]
pub(crate) fn is_candidate(store: &Store, settings: &GraphSettings, e: u32) -> bool {
    let i = e as usize;
    let r = &store.pairs.rec[i];
    let f = r.flags();
    f & MUST != 0 || (f & (SCORED | CHECK) == SCORED && settings.links(r.weight))
}

/// Compares two pairs by their endpoints' keys: (smaller key, larger key), string order.
fn cmp_by_keys(store: &Store, x: u32, y: u32) -> Ordering {
    let keys = |e: u32| {
        let [a, b] = store.pairs.ends(e);
        let (ka, kb) = (store.key(a), store.key(b));
        if ka <= kb {
            (ka, kb)
        } else {
            (kb, ka)
        }
    };
    keys(x).cmp(&keys(y))
}

/// Do two clusters' exclusive keys conflict: a class present on both sides whose value
/// sets share nothing?
fn exclusive_conflict(x: &[(u64, u64)], y: &[(u64, u64)]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        let (cx, cy) = (x[i].0, y[j].0);
        if cx < cy {
            i += 1;
        } else if cy < cx {
            j += 1;
        } else {
            let ie = i + x[i..].iter().take_while(|k| k.0 == cx).count();
            let je = j + y[j..].iter().take_while(|k| k.0 == cx).count();
            let (mut a, mut b, mut shared) = (i, j, false);
            while a < ie && b < je {
                match x[a].1.cmp(&y[b].1) {
                    Ordering::Less => a += 1,
                    Ordering::Greater => b += 1,
                    Ordering::Equal => {
                        shared = true;
                        break;
                    }
                }
            }
            if !shared {
                return true;
            }
            i = ie;
            j = je;
        }
    }
    false
}

/// Sorted union of two sorted, deduplicated sets into `out`.
fn merge_sets(x: &[(u64, u64)], y: &[(u64, u64)], out: &mut ExclusiveSet) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        let take_x = j >= y.len() || (i < x.len() && x[i] <= y[j]);
        let v = if take_x { x[i] } else { y[j] };
        if take_x {
            i += 1;
            if j < y.len() && y[j] == v {
                j += 1;
            }
        } else {
            j += 1;
        }
        out.push(v);
    }
}

/// The positions of one cluster: its ring in `next` (each position's successor, a
/// cycle per cluster) walked from `start`.
fn ring(next: &[u32], start: usize) -> impl Iterator<Item = usize> + '_ {
    let mut at = Some(start);
    std::iter::from_fn(move || {
        let here = at?;
        let after = next[here] as usize;
        at = (after != start).then_some(after);
        Some(here)
    })
}

/// Joins cluster `small` into `big` (union by size over rings): every member of
/// `small` takes root `big`, the two rings become one, the sizes add up.
fn join(root: &mut [u32], next: &mut [u32], size: &mut [u32], small: usize, big: usize) {
    for m in ring(next, small) {
        root[m] = big as u32;
    }
    next.swap(small, big);
    size[big] += size[small];
}

/// Applies the rule to one connected component.
///
/// `comp` lists the component's node slots and `local[n] - base` is `n`'s position in
/// `comp`. Appends the resulting clusters to `out` (members sorted by slot) and calls
/// `taken(pair)` for every pair whose join was made, in rule order.
#[allow(clippy::too_many_arguments)]
pub(crate) fn cluster_component(
    store: &Store,
    settings: &GraphSettings,
    comp: &[u32],
    local: &LocalMap,
    base: u32,
    sc: &mut RuleScratch,
    out: &mut Clusters,
    mut taken: impl FnMut(u32),
) {
    let len = comp.len();
    let pos = |n: u32| -> Option<usize> {
        let l = local.get(n)?;
        let p = l.checked_sub(base)? as usize;
        (p < len).then_some(p)
    };

    // 1. Candidate pairs, each once (from its smaller endpoint).
    sc.must.clear();
    sc.scored.clear();
    for &n in comp {
        let Some(node) = store.node(n) else { continue };
        for &e in &node.adj {
            let [a, b] = store.pairs.ends(e);
            if a != n || pos(b).is_none() {
                continue;
            }
            let f = store.pairs.flags(e);
            if f & MUST != 0 {
                sc.must.push(e);
            } else if is_candidate(store, settings, e) {
                sc.scored.push(e);
            }
        }
    }
    // 2. Order: must-links by keys; scored links by weight descending, then keys.
    sc.must.sort_unstable_by(|&x, &y| cmp_by_keys(store, x, y));
    let w = |e: u32| store.pairs.weight(e);
    sc.scored
        .sort_unstable_by(|&x, &y| w(y).total_cmp(&w(x)).then_with(|| cmp_by_keys(store, x, y)));

    // 3. Singletons.
    sc.root.clear();
    sc.next.clear();
    sc.size.clear();
    sc.root.extend(0..len as u32);
    sc.next.extend(0..len as u32);
    sc.size.resize(len, 1);
    if sc.excl.len() < len {
        sc.excl.resize_with(len, SmallVec::new);
    }
    for (i, &n) in comp.iter().enumerate() {
        sc.excl[i].clear();
        sc.excl[i].extend_from_slice(store.exclusive_of(n));
    }

    // 4. Joins.
    let must = std::mem::take(&mut sc.must);
    let scored = std::mem::take(&mut sc.scored);
    for (asserted, &e) in must
        .iter()
        .map(|e| (true, e))
        .chain(scored.iter().map(|e| (false, e)))
    {
        let [a, b] = store.pairs.ends(e);
        let (Some(pa), Some(pb)) = (pos(a), pos(b)) else {
            continue;
        };
        let (ra, rb) = (sc.root[pa] as usize, sc.root[pb] as usize);
        if ra == rb {
            continue;
        }
        let (small, big) = if sc.size[ra] <= sc.size[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        if blocked(store, settings, comp, &pos, sc, small, big, asserted) {
            continue;
        }
        join(&mut sc.root, &mut sc.next, &mut sc.size, small, big);
        if !sc.excl[small].is_empty() {
            let mut merged = std::mem::take(&mut sc.merged);
            merge_sets(&sc.excl[small], &sc.excl[big], &mut merged);
            std::mem::swap(&mut sc.excl[big], &mut merged);
            sc.merged = merged;
            sc.excl[small].clear();
        }
        taken(e);
    }
    sc.must = must;
    sc.scored = scored;

    // 5. Output, each cluster's members sorted by slot.
    for r in 0..len {
        if sc.root[r] as usize != r {
            continue;
        }
        let start = out.members.len();
        out.members.extend(ring(&sc.next, r).map(|m| comp[m]));
        out.members[start..].sort_unstable();
        out.ends.push(out.members.len() as u32);
    }
}

/// The evidence of each union that makes one cluster of `members` (a profile's node
/// slots, sorted): the rule's candidate order over the pairs among them — must-links
/// first, then compared pairs by weight, highest first, ties by keys — with no join
/// refused, and for each union the weight the rule reads between the two clusters it
/// joins ([`Between::weight`]: the mean of the compared pairs between them with the
/// [`DisagreementWeights`] charged), or the linking pair's own weight when fewer than
/// two were compared; `+∞` for a must-link. `weight(e)` gives each compared pair's
/// weight (the stored one, or a recalibration of it); NaN weights link nothing.
pub(crate) fn union_evidence(
    store: &Store,
    members: &[u32],
    weight: impl Fn(u32) -> f64,
) -> Vec<f64> {
    let pos = |n: u32| members.binary_search(&n).ok();
    // Each member's rank in key order: a pair's (smaller, larger) rank orders pairs as
    // their keys do (keys are unique), without comparing strings per comparison.
    let mut by_key: Vec<usize> = (0..members.len()).collect();
    by_key.sort_unstable_by(|&x, &y| store.key(members[x]).cmp(store.key(members[y])));
    let mut rank = vec![0u32; members.len()];
    for (r, &i) in by_key.iter().enumerate() {
        rank[i] = r as u32;
    }
    // (asserted, weight, key ranks, pair); a must-link weighs +∞.
    let mut links: Vec<(bool, f64, (u32, u32), u32)> = Vec::new();
    for (i, &n) in members.iter().enumerate() {
        let Some(node) = store.node(n) else { continue };
        for &e in &node.adj {
            let [a, b] = store.pairs.ends(e);
            let Some(j) = pos(b).filter(|_| a == n) else {
                continue;
            };
            let ranks = (rank[i].min(rank[j]), rank[i].max(rank[j]));
            let f = store.pairs.flags(e);
            if f & MUST != 0 {
                links.push((true, f64::INFINITY, ranks, e));
            } else if f & (SCORED | CHECK) == SCORED {
                let w = weight(e);
                if !w.is_nan() {
                    links.push((false, w, ranks, e));
                }
            }
        }
    }
    // Must-links first by keys, then compared pairs by weight, highest first, by keys.
    links.sort_unstable_by(|x, y| {
        (y.0.cmp(&x.0))
            .then_with(|| y.1.total_cmp(&x.1))
            .then_with(|| x.2.cmp(&y.2))
    });
    let len = members.len() as u32;
    let mut root: Vec<u32> = (0..len).collect();
    let mut next: Vec<u32> = (0..len).collect();
    let mut size = vec![1u32; len as usize];
    let mut between = Between::default();
    let mut evidence = Vec::with_capacity(members.len().saturating_sub(1));
    for (asserted, w, _, e) in links {
        let [a, b] = store.pairs.ends(e).map(|n| pos(n).expect("a member"));
        let (ra, rb) = (root[a] as usize, root[b] as usize);
        if ra == rb {
            continue;
        }
        let (small, big) = if size[ra] <= size[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        if asserted {
            evidence.push(f64::INFINITY);
        } else {
            between.clear();
            for m in ring(&next, small) {
                let n = members[m];
                for &x in store.node(n).map_or(&[][..], |node| &node.adj[..]) {
                    let o = store.pairs.other(x, n);
                    let f = store.pairs.flags(x);
                    let across = pos(o).is_some_and(|p| root[p] as usize == big);
                    if f & (SCORED | CHECK) == SCORED && across {
                        between.add(store, x, weight(x), n, o);
                    }
                }
            }
            evidence.push(between.weight(&store.disagreement).unwrap_or(w));
        }
        join(&mut root, &mut next, &mut size, small, big);
    }
    evidence
}

/// Would joining clusters `small` and `big` violate a cannot-link, a veto or (for a
/// scored link) an exclusive-key conflict, or do their compared pairs not link?
#[allow(clippy::too_many_arguments)]
fn blocked(
    store: &Store,
    settings: &GraphSettings,
    comp: &[u32],
    pos: &impl Fn(u32) -> Option<usize>,
    sc: &mut RuleScratch,
    small: usize,
    big: usize,
    asserted: bool,
) -> bool {
    if !asserted && exclusive_conflict(&sc.excl[small], &sc.excl[big]) {
        return true;
    }
    sc.between.clear();
    for m in ring(&sc.next, small) {
        let n = comp[m];
        if let Some(node) = store.node(n) {
            for &e in &node.adj {
                let o = store.pairs.other(e, n);
                let Some(po) = pos(o) else { continue };
                if sc.root[po] as usize != big {
                    continue;
                }
                let f = store.pairs.flags(e);
                if f & CANNOT != 0 {
                    return true;
                }
                if !asserted && f & SCORED != 0 {
                    if settings.vetoes(store.pairs.weight(e)) {
                        return true;
                    }
                    if f & CHECK == 0 {
                        sc.between.add(store, e, store.pairs.weight(e), n, o);
                    }
                }
            }
        }
    }
    // On average the compared pairs between the two must link: one record that lacks
    // the data telling two people apart (no given name, no birth date) cannot bridge
    // them when their own records, compared, say they differ.
    !asserted
        && sc
            .between
            .weight(&store.disagreement)
            .is_some_and(|w| !settings.links(w))
}

/// The evidence of the compared pairs between two clusters, as the rule reads it:
/// their mean weight, with [`DisagreementWeights`] charged.
#[derive(Debug, Default)]
pub(crate) struct Between {
    /// The pairs' weights (summed in sorted order: the same sum whatever order the
    /// pairs were stored in).
    weights: Vec<f64>,
    /// Bit `j`: repeated field `j` is not "else" on some pair.
    agrees: u32,
    /// `(field, record on one side, record on the other)` of each "else".
    disagree: Vec<(u8, u32, u32)>,
    side: Vec<u32>,
    /// Per comparison: the best (lowest non-null) γ level on any pair, 0 if none.
    best: [u8; MAX_COMPARISONS],
    /// Per comparison: how many pairs have it null.
    nulls: [u32; MAX_COMPARISONS],
}

impl Between {
    /// Forgets every pair.
    pub fn clear(&mut self) {
        self.weights.clear();
        self.agrees = 0;
        self.disagree.clear();
        self.best = [0; MAX_COMPARISONS];
        self.nulls = [0; MAX_COMPARISONS];
    }

    /// Adds compared pair `e`, read with weight `w`, between node `one` (of one
    /// cluster) and `other`; a NaN weight (no evidence) is left out.
    pub fn add(&mut self, store: &Store, e: u32, w: f64, one: u32, other: u32) {
        if w.is_nan() {
            return;
        }
        self.weights.push(w);
        let g = store.pairs.gamma[e as usize];
        for c in 0..store.disagreement.absent.len() {
            match g.level(c) {
                0 => self.nulls[c] += 1,
                l if self.best[c] == 0 || l < self.best[c] => self.best[c] = l,
                _ => {}
            }
        }
        for (j, &(c, else_level, _)) in store.disagreement.repeated.iter().enumerate() {
            match g.level(c as usize) {
                0 => {}
                l if l == else_level => self.disagree.push((j as u8, one, other)),
                _ => self.agrees |= 1 << j,
            }
        }
    }

    /// The weight the rule reads (`None` below two compared pairs, where the pairs'
    /// own links and vetoes decide).
    pub fn weight(&mut self, weights: &DisagreementWeights) -> Option<f64> {
        let compared = self.weights.len();
        if compared < 2 {
            return None;
        }
        self.weights.sort_unstable_by(f64::total_cmp);
        let sum: f64 = self.weights.iter().sum();
        Some((sum + self.absent(weights)) / compared as f64 + self.repeated(weights))
    }

    /// [`DisagreementWeights`]' absent part: each pair lacking a comparison charged the
    /// weight of its best level between the clusters, when that is evidence against.
    fn absent(&self, weights: &DisagreementWeights) -> f64 {
        let mut total = 0.0;
        for (c, row) in weights.absent.iter().enumerate() {
            let best = self.best[c] as usize;
            if best != 0 && self.nulls[c] != 0 {
                total += f64::from(self.nulls[c]) * row.get(best).copied().unwrap_or(0.0);
            }
        }
        total
    }

    /// [`DisagreementWeights`]' repeated part: for each of its fields that no pair
    /// agrees on, the "else" weight once per record beyond the first on the side with
    /// fewer records in "else" pairs.
    fn repeated(&mut self, weights: &DisagreementWeights) -> f64 {
        let mut extra = 0.0;
        for (j, &(_, _, weight)) in weights.repeated.iter().enumerate() {
            if self.agrees & (1 << j) != 0 {
                continue;
            }
            let mut count = |pick: fn(&(u8, u32, u32)) -> u32| {
                self.side.clear();
                let of_field = self.disagree.iter().filter(|d| d.0 as usize == j);
                self.side.extend(of_field.map(pick));
                self.side.sort_unstable();
                self.side.dedup();
                self.side.len()
            };
            let k = count(|d| d.1).min(count(|d| d.2));
            if k >= 2 {
                extra += (k - 1) as f64 * weight;
            }
        }
        extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusive_conflict_needs_a_shared_class_with_disjoint_values() {
        assert!(!exclusive_conflict(&[], &[(1, 5)]));
        assert!(!exclusive_conflict(&[(1, 5)], &[(2, 6)]));
        assert!(!exclusive_conflict(&[(1, 5)], &[(1, 5)]));
        assert!(exclusive_conflict(&[(1, 5)], &[(1, 6)]));
        assert!(!exclusive_conflict(&[(1, 5), (1, 6)], &[(1, 6)]));
        assert!(exclusive_conflict(&[(1, 5), (2, 1)], &[(1, 5), (2, 2)]));
    }

    #[test]
    fn disagreement_weights_keep_only_evidence_against_a_gamma_can_hold() {
        let w = DisagreementWeights::new(
            [
                (0, 3, -7.0),
                (1, 2, 1.0),
                (2, 0, -1.0),
                (16, 2, -1.0),
                (3, 2, f64::NAN),
            ],
            [
                vec![-5.0, 2.0, -1.0, 0.0],
                vec![0.0, 3.0],
                vec![0.0, -2.0, f64::NEG_INFINITY],
                vec![],
            ],
        );
        // Repeated: a positive weight, level 0, a comparison past 15 and NaN dropped.
        assert_eq!(
            w.repeated,
            [(0, 3, -7.0)].into_iter().collect::<SmallVec<[_; 4]>>()
        );
        // Absent: the null slot zeroed, positive and infinite weights zeroed, trailing
        // zeros and trailing empty comparisons trimmed.
        assert_eq!(
            w.absent,
            vec![vec![0.0, 0.0, -1.0], vec![], vec![0.0, -2.0]]
        );
    }

    #[test]
    fn merge_sets_is_a_sorted_union() {
        let mut out = ExclusiveSet::new();
        merge_sets(&[(1, 1), (2, 2)], &[(1, 1), (1, 3), (3, 0)], &mut out);
        assert_eq!(&out[..], &[(1, 1), (1, 3), (2, 2), (3, 0)]);
    }
}
