//! Property tests: incremental = batch in any order = a naive reference of the rule;
//! stable IDs; events account for every change; erasure leaves no key behind.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proptest::prelude::*;

use super::tests::partition;
use super::*;
use crate::compare::Gamma;
use crate::model::probability_from_weight as prob;

const KEYS: usize = 10;
const PATTERNS: u64 = 6;
const WEIGHTS: [f64; 8] = [-20.0, -12.0, -3.0, 0.0, 0.5, 2.0, 6.0, 12.0];
/// The repeated-disagreement rule on comparison 0: a pattern's level there is the
/// pattern itself, 0 null, the last pattern "else".
const ELSE_LEVEL: u8 = PATTERNS as u8 - 1;
const ELSE_WEIGHT: f64 = -3.0;
/// The absent-disagreement weights of comparison 0 per level (evidence against at
/// levels 2, 4 and "else").
const ABSENT: [f64; PATTERNS as usize] = [0.0, 0.0, -1.0, 0.0, -2.0, -3.0];

fn disagreement() -> DisagreementWeights {
    DisagreementWeights::new([(0, ELSE_LEVEL, ELSE_WEIGHT)], [ABSENT.to_vec()])
}

fn key(i: usize) -> String {
    format!("rec-{i}")
}

#[derive(Debug, Clone)]
enum Op {
    Insert(usize),
    AddPending(usize),
    Edge(usize, usize, u64),
    Remove(usize),
    Same(usize, usize),
    Diff(usize, usize),
    Retract(usize, usize),
    Exclusive(usize, Vec<(u64, u64)>),
    Rescore(Vec<usize>),
}

fn op() -> impl Strategy<Value = Op> {
    let k = 0..KEYS;
    prop_oneof![
        4 => k.clone().prop_map(Op::Insert),
        1 => k.clone().prop_map(Op::AddPending),
        8 => (k.clone(), k.clone(), 0..PATTERNS).prop_map(|(a, b, g)| Op::Edge(a, b, g)),
        2 => k.clone().prop_map(Op::Remove),
        1 => (k.clone(), k.clone()).prop_map(|(a, b)| Op::Same(a, b)),
        1 => (k.clone(), k.clone()).prop_map(|(a, b)| Op::Diff(a, b)),
        1 => (k.clone(), k.clone()).prop_map(|(a, b)| Op::Retract(a, b)),
        1 => (k.clone(), prop::collection::vec((0..2u64, 0..2u64), 0..3))
            .prop_map(|(a, x)| Op::Exclusive(a, x)),
        1 => prop::collection::vec(0..WEIGHTS.len(), PATTERNS as usize).prop_map(Op::Rescore),
    ]
}

/// Mostly new records and pairs among a few records, so that clusters of two or more
/// meet often and the rules between clusters (average linkage, absent and repeated
/// disagreement) are exercised.
fn dense_op() -> impl Strategy<Value = Op> {
    let k = 0..5usize;
    // Often "else" on comparison 0, or an agreeing pattern that links strongly.
    let pattern = prop_oneof![3 => Just(PATTERNS - 1), 2 => Just(3), 2 => 0..PATTERNS];
    prop_oneof![
        1 => k.clone().prop_map(Op::Insert),
        12 => (k.clone(), k.clone(), pattern).prop_map(|(a, b, g)| Op::Edge(a, b, g)),
        1 => k.clone().prop_map(Op::Remove),
        1 => prop::collection::vec(0..WEIGHTS.len(), PATTERNS as usize).prop_map(Op::Rescore),
    ]
}

/// The surviving evidence, by key, kept alongside the graph.
#[derive(Default)]
struct Mirror {
    seq: BTreeMap<String, u64>,
    edges: BTreeMap<(String, String), u64>,
    must: BTreeSet<(String, String)>,
    cannot: BTreeSet<(String, String)>,
    excl: BTreeMap<String, Vec<(u64, u64)>>,
    table: Vec<f64>,
    next_seq: u64,
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// The rule written the slow, obvious way over key sets.
fn reference(m: &Mirror, s: &GraphSettings) -> Vec<Vec<String>> {
    let mut cl: Vec<BTreeSet<String>> = m.seq.keys().map(|k| BTreeSet::from([k.clone()])).collect();
    let w = |p: &(String, String)| m.table[*m.edges.get(p).unwrap() as usize];
    let mut scored: Vec<&(String, String)> = m
        .edges
        .keys()
        .filter(|p| !m.must.contains(*p) && prob(w(p)) >= s.threshold)
        .collect();
    scored.sort_by(|x, y| w(y).total_cmp(&w(x)).then(x.cmp(y)));
    let links = m
        .must
        .iter()
        .map(|p| (true, p))
        .chain(scored.into_iter().map(|p| (false, p)));
    for (asserted, (a, b)) in links {
        let ia = cl.iter().position(|c| c.contains(a)).unwrap();
        let ib = cl.iter().position(|c| c.contains(b)).unwrap();
        if ia == ib {
            continue;
        }
        let mut refused = false;
        let (mut sum, mut compared) = (0.0, 0u32);
        let (mut agrees, mut left, mut right) = (false, BTreeSet::new(), BTreeSet::new());
        // The best (lowest non-null) level of comparison 0, and the pairs where null.
        let (mut best, mut nulls) = (0u8, 0u32);
        for x in &cl[ia] {
            for y in &cl[ib] {
                let p = pair(x, y);
                refused |= m.cannot.contains(&p);
                if !asserted && m.edges.contains_key(&p) {
                    refused |= prob(w(&p)) < s.veto;
                    sum += w(&p);
                    compared += 1;
                    match m.edges[&p] as u8 {
                        0 => nulls += 1,
                        l if best == 0 || l < best => best = l,
                        _ => {}
                    }
                    match m.edges[&p] as u8 {
                        0 => {}
                        ELSE_LEVEL => {
                            left.insert(x);
                            right.insert(y);
                        }
                        _ => agrees = true,
                    }
                }
            }
        }
        // The compared pairs between the clusters must link on average, with "else"
        // counted again for each record beyond the first on the side with fewer.
        let k = if agrees {
            0
        } else {
            left.len().min(right.len())
        };
        let extra = if k >= 2 {
            (k - 1) as f64 * ELSE_WEIGHT
        } else {
            0.0
        };
        // A pair where comparison 0 is null is charged its best level's weight against.
        let absent = f64::from(nulls) * ABSENT[best as usize];
        refused |= !asserted
            && compared > 1
            && prob((sum + absent) / compared as f64 + extra) < s.threshold;
        if !asserted {
            let vals = |c: &BTreeSet<String>| -> BTreeMap<u64, BTreeSet<u64>> {
                let mut out: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
                for k in c {
                    for &(cls, v) in m.excl.get(k).map_or(&[][..], |v| v) {
                        out.entry(cls).or_default().insert(v);
                    }
                }
                out
            };
            let (va, vb) = (vals(&cl[ia]), vals(&cl[ib]));
            for (cls, xs) in &va {
                if let Some(ys) = vb.get(cls) {
                    refused |= xs.is_disjoint(ys);
                }
            }
        }
        if !refused {
            let moved = std::mem::take(&mut cl[ib]);
            cl[ia].extend(moved);
            cl.remove(ib);
        }
    }
    let mut out: Vec<Vec<String>> = cl.into_iter().map(|c| c.into_iter().collect()).collect();
    out.sort();
    out
}

/// A graph built in bulk from the mirror, in an order shuffled by `seed`.
fn batch(m: &Mirror, s: GraphSettings, seed: u64) -> LinkGraph {
    let mut rng = seed | 1;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n.max(1) as u64) as usize
    };
    fn shuffle<T>(v: &mut [T], next: &mut impl FnMut(usize) -> usize) {
        for i in (1..v.len()).rev() {
            v.swap(i, next(i + 1));
        }
    }
    let mut g = LinkGraph::new(s).unwrap();
    g.set_disagreement_weights(disagreement());
    g.bulk();
    let mut keys: Vec<&String> = m.seq.keys().collect();
    shuffle(&mut keys, &mut next);
    for k in keys {
        let n = g.add_node(k).unwrap();
        if let Some(x) = m.excl.get(k) {
            g.set_exclusive(n, x.clone()).unwrap();
        }
    }
    let id = |g: &LinkGraph, k: &str| g.node(k).unwrap();
    let mut edges: Vec<_> = m.edges.iter().collect();
    shuffle(&mut edges, &mut next);
    for ((a, b), &gm) in edges {
        let (x, y) = if next(2) == 0 { (a, b) } else { (b, a) };
        let (x, y) = (id(&g, x), id(&g, y));
        g.upsert_edge(x, y, Gamma(gm), m.table[gm as usize])
            .unwrap();
    }
    for (a, b) in &m.must {
        let (x, y) = (id(&g, a), id(&g, b));
        g.assert_same(x, y).unwrap();
    }
    for (a, b) in &m.cannot {
        let (x, y) = (id(&g, b), id(&g, a));
        g.assert_different(x, y).unwrap();
    }
    g.recompute_all();
    g
}

/// Applies events to a record → profile map the way a downstream consumer would.
fn replay(g: &LinkGraph, view: &mut HashMap<NodeId, ProfileId>, events: &[Event]) {
    for e in events {
        match e {
            Event::ProfileCreated { profile, members } => {
                for m in members {
                    view.insert(*m, *profile);
                }
            }
            Event::RecordAdded { record, profile } => {
                view.insert(*record, *profile);
            }
            Event::ProfilesMerged { into, from } => {
                for p in view.values_mut() {
                    if from.contains(p) {
                        *p = *into;
                    }
                }
            }
            Event::ProfileSplit { into, .. } => {
                for p in into {
                    for m in g.members(*p).unwrap_or(&[]) {
                        view.insert(*m, *p);
                    }
                }
            }
            Event::RecordMoved { record, to, .. } => {
                view.insert(*record, *to);
            }
            Event::RecordErased { record, .. } => {
                view.remove(record);
            }
        }
    }
}

/// Applies an op to a graph by keys, ignoring ops that do not apply (as `run` does).
fn apply(g: &mut LinkGraph, op: &Op, table: &[f64]) -> Vec<Event> {
    let node = |g: &LinkGraph, i: usize| g.node(&key(i));
    let two = |g: &LinkGraph, a: usize, b: usize| match (node(g, a), node(g, b)) {
        (Some(x), Some(y)) if a != b => Some((x, y)),
        _ => None,
    };
    match op {
        Op::Insert(i) => g
            .insert(&key(*i), vec![], &[])
            .map(|x| x.1)
            .unwrap_or_default(),
        Op::AddPending(i) => {
            let _ = g.add_node(&key(*i));
            Vec::new()
        }
        Op::Edge(a, b, gm) => two(g, *a, *b)
            .map(|(x, y)| {
                g.upsert_edge(x, y, Gamma(*gm), table[*gm as usize])
                    .unwrap()
            })
            .unwrap_or_default(),
        Op::Remove(i) => node(g, *i)
            .map(|x| g.remove_node(x).unwrap())
            .unwrap_or_default(),
        Op::Same(a, b) => two(g, *a, *b)
            .map(|(x, y)| g.assert_same(x, y).unwrap())
            .unwrap_or_default(),
        Op::Diff(a, b) => two(g, *a, *b)
            .map(|(x, y)| g.assert_different(x, y).unwrap())
            .unwrap_or_default(),
        Op::Retract(a, b) => two(g, *a, *b)
            .map(|(x, y)| g.retract(x, y).unwrap())
            .unwrap_or_default(),
        Op::Exclusive(i, x) => node(g, *i)
            .map(|n| g.set_exclusive(n, x.clone()).unwrap())
            .unwrap_or_default(),
        Op::Rescore(_) => g.rescore(|gm| table[gm.0 as usize]),
    }
}

fn run(ops: Vec<Op>, seed: u64) -> Result<(), TestCaseError> {
    let settings = GraphSettings {
        threshold: 0.5,
        veto: 0.001,
    };
    let mut g = LinkGraph::new(settings).unwrap();
    g.set_disagreement_weights(disagreement());
    let mut m = Mirror {
        table: (0..PATTERNS as usize)
            .map(|i| WEIGHTS[(i * 3 + 5) % WEIGHTS.len()])
            .collect(),
        ..Mirror::default()
    };
    let mut view: HashMap<NodeId, ProfileId> = HashMap::new();
    for op in ops {
        // A graph restored from a snapshot must behave identically from here on.
        let mut twin: LinkGraph =
            serde_json::from_str(&serde_json::to_string(&g).unwrap()).unwrap();
        let twin_ops = op.clone();
        let before: BTreeMap<ProfileId, BTreeSet<String>> = g
            .profiles()
            .map(|(p, ms)| {
                (
                    p,
                    ms.iter().map(|&x| g.key(x).unwrap().to_string()).collect(),
                )
            })
            .collect();
        let node = |g: &LinkGraph, i: usize| g.node(&key(i));
        let mut removed: Option<String> = None;
        let events = match op {
            Op::Insert(i) | Op::AddPending(i) => {
                if node(&g, i).is_some() {
                    prop_assert!(g.add_node(&key(i)).is_err());
                    continue;
                }
                m.seq.insert(key(i), m.next_seq);
                m.next_seq += 1;
                if matches!(op, Op::Insert(_)) {
                    g.insert(&key(i), vec![], &[]).unwrap().1
                } else {
                    g.add_node(&key(i)).unwrap();
                    Vec::new()
                }
            }
            Op::Edge(a, b, gm) => match (node(&g, a), node(&g, b)) {
                (Some(x), Some(y)) if a != b => {
                    m.edges.insert(pair(&key(a), &key(b)), gm);
                    g.upsert_edge(x, y, Gamma(gm), m.table[gm as usize])
                        .unwrap()
                }
                _ => continue,
            },
            Op::Remove(i) => {
                let Some(x) = node(&g, i) else { continue };
                let k = key(i);
                m.seq.remove(&k);
                m.excl.remove(&k);
                m.edges.retain(|(a, b), _| *a != k && *b != k);
                m.must.retain(|(a, b)| *a != k && *b != k);
                m.cannot.retain(|(a, b)| *a != k && *b != k);
                removed = Some(k);
                g.remove_node(x).unwrap()
            }
            Op::Same(a, b) | Op::Diff(a, b) | Op::Retract(a, b) => {
                match (node(&g, a), node(&g, b)) {
                    (Some(x), Some(y)) if a != b => {
                        let p = pair(&key(a), &key(b));
                        match op {
                            Op::Same(..) => {
                                m.must.insert(p);
                                g.assert_same(x, y).unwrap()
                            }
                            Op::Diff(..) => {
                                m.cannot.insert(p);
                                g.assert_different(x, y).unwrap()
                            }
                            _ => {
                                m.must.remove(&p);
                                m.cannot.remove(&p);
                                g.retract(x, y).unwrap()
                            }
                        }
                    }
                    _ => continue,
                }
            }
            Op::Exclusive(i, x) => {
                let Some(n) = node(&g, i) else { continue };
                let mut s = x.clone();
                s.sort_unstable();
                s.dedup();
                if s.is_empty() {
                    m.excl.remove(&key(i));
                } else {
                    m.excl.insert(key(i), s);
                }
                g.set_exclusive(n, x).unwrap()
            }
            Op::Rescore(t) => {
                m.table = t.iter().map(|&i| WEIGHTS[i]).collect();
                let table = m.table.clone();
                g.rescore(|gm| table[gm.0 as usize])
            }
        };
        replay(&g, &mut view, &events);
        let te = apply(&mut twin, &twin_ops, &m.table);
        prop_assert_eq!(&te, &events, "restored graph diverged on {:?}", twin_ops);
        prop_assert_eq!(
            serde_json::to_string(&twin).unwrap(),
            serde_json::to_string(&g).unwrap()
        );

        // Stable IDs: an unchanged member set keeps its ID; a surviving ID holds its old anchor.
        let after: BTreeMap<ProfileId, BTreeSet<String>> = g
            .profiles()
            .map(|(p, ms)| {
                (
                    p,
                    ms.iter().map(|&x| g.key(x).unwrap().to_string()).collect(),
                )
            })
            .collect();
        for (p, old) in &before {
            if let Some((q, _)) = after.iter().find(|(_, s)| *s == old) {
                prop_assert_eq!(q, p, "unchanged profile {:?} changed ID", old);
            }
            if let Some(new) = after.get(p) {
                let anchor = old
                    .iter()
                    .filter(|k| m.seq.contains_key(*k))
                    .min_by_key(|k| m.seq[*k]);
                prop_assert!(
                    anchor.is_some_and(|a| new.contains(a)),
                    "ID {:?} lost its anchor",
                    p
                );
            }
        }
        // Events account for every change.
        for (&n, &pid) in &view {
            prop_assert_eq!(g.profile_of(n), Some(pid));
        }
        let resolved = g.profiles().map(|(_, ms)| ms.len()).sum::<usize>();
        prop_assert_eq!(view.len(), resolved);
        // Erasure leaves no trace of the key.
        if let Some(k) = removed {
            let json = serde_json::to_string(&g).unwrap();
            let quoted = format!("\"{}\"", k);
            prop_assert!(!json.contains(&quoted), "erased key {} in snapshot", k);
        }
    }
    let events = g.flush();
    replay(&g, &mut view, &events);
    prop_assert_eq!(view.len(), g.len());
    let inc = partition(&g);
    prop_assert_eq!(&inc, &reference(&m, &settings));
    prop_assert_eq!(&inc, &partition(&batch(&m, settings, seed)));
    // Confidence is the same bit for bit whatever order the graph was built in, also
    // through a map that reorders the pairs.
    let reorder = |g: Gamma, w: f64| if g.0 % 2 == 0 { w - 7.0 } else { w + 3.0 };
    for other in [seed, seed.wrapping_mul(31).wrapping_add(7)] {
        let b = batch(&m, settings, other);
        for k in m.seq.keys() {
            let (x, y) = (g.node(k).unwrap(), b.node(k).unwrap());
            let (cx, cy) = (g.confidence(x), b.confidence(y));
            prop_assert_eq!(cx.map(f64::to_bits), cy.map(f64::to_bits), "{}", k);
            let (cx, cy) = (g.confidence_with(x, reorder), b.confidence_with(y, reorder));
            prop_assert_eq!(cx.map(f64::to_bits), cy.map(f64::to_bits), "{} mapped", k);
        }
    }
    prop_assert_eq!(
        &inc,
        &partition(&batch(&m, settings, seed.wrapping_mul(31).wrapping_add(7)))
    );
    let json = serde_json::to_string(&g).unwrap();
    let h: LinkGraph = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(serde_json::to_string(&h).unwrap(), json);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn incremental_equals_batch_and_reference(ops in prop::collection::vec(op(), 1..60), seed in any::<u64>()) {
        run(ops, seed)?;
    }

    #[test]
    fn incremental_equals_batch_and_reference_on_dense_graphs(ops in prop::collection::vec(dense_op(), 1..40), seed in any::<u64>()) {
        let all = (0..5).map(Op::Insert).chain(ops).collect();
        run(all, seed)?;
    }
}
