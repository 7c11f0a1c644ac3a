//! Unit tests of the rule, stable IDs, events and snapshots.

use super::*;
use crate::compare::Gamma;
use crate::error::ErrorKind;

const STRONG: f64 = 10.0; // p ≈ 0.999
const WEAK: f64 = 1.0; // p ≈ 0.667, above the default threshold
const NEUTRAL: f64 = -3.0; // p ≈ 0.11: no link, no veto
const VETO: f64 = -20.0; // p ≈ 1e-6: veto

pub(super) fn graph() -> LinkGraph {
    LinkGraph::new(GraphSettings::default()).unwrap()
}

pub(super) fn nodes(g: &mut LinkGraph, keys: &[&str]) -> Vec<NodeId> {
    let ids = keys.iter().map(|k| g.add_node(k).unwrap()).collect();
    g.flush();
    ids
}

pub(super) fn edge(g: &mut LinkGraph, a: NodeId, b: NodeId, w: f64) -> Vec<Event> {
    g.upsert_edge(a, b, Gamma(1), w).unwrap()
}

/// The partition as sorted lists of keys (shared with the property tests).
pub(super) fn partition(g: &LinkGraph) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = g
        .profiles()
        .map(|(_, ms)| {
            let mut ks: Vec<String> = ms.iter().map(|&m| g.key(m).unwrap().to_string()).collect();
            ks.sort();
            ks
        })
        .collect();
    out.sort();
    out
}

fn p(groups: &[&[&str]]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let mut v: Vec<String> = g.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        })
        .collect();
    out.sort();
    out
}

#[test]
fn household_bridge_does_not_chain_when_a_cross_pair_vetoes() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c", "d"]);
    edge(&mut g, n[0], n[1], STRONG);
    edge(&mut g, n[2], n[3], STRONG);
    edge(&mut g, n[1], n[2], WEAK);
    // Without the veto, plain chaining glues everything.
    assert_eq!(partition(&g), p(&[&["a", "b", "c", "d"]]));
    // a and d have different dates of birth.
    let ev = edge(&mut g, n[0], n[3], VETO);
    assert_eq!(partition(&g), p(&[&["a", "b"], &["c", "d"]]));
    assert!(matches!(&ev[..], [Event::ProfileSplit { .. }]), "{ev:?}");
}

#[test]
fn a_bridge_does_not_join_clusters_whose_compared_pairs_say_different_on_average() {
    // Two people of one household, a-b and c-d; x lacks the given name and the birth
    // date, so it links to both sides. a and c, b and d were compared too: their
    // given names differ, not enough for a veto (p ≈ 0.11), but they are two people.
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c", "d", "x"]);
    edge(&mut g, n[0], n[1], STRONG);
    edge(&mut g, n[2], n[3], STRONG);
    edge(&mut g, n[4], n[0], 6.0);
    edge(&mut g, n[4], n[2], 4.0);
    assert_eq!(partition(&g), p(&[&["a", "b", "c", "d", "x"]]));
    edge(&mut g, n[0], n[2], NEUTRAL);
    edge(&mut g, n[1], n[3], NEUTRAL);
    // x joins its stronger side; {a, b, x} and {c, d} share x–c (+4) and two pairs at
    // −3 each: on average no link.
    assert_eq!(partition(&g), p(&[&["a", "b", "x"], &["c", "d"]]));
    // Compared pairs that link on average do join (+4, +1, +1 over three pairs).
    edge(&mut g, n[0], n[2], WEAK);
    edge(&mut g, n[1], n[3], WEAK);
    assert_eq!(partition(&g), p(&[&["a", "b", "c", "d", "x"]]));
    // A must-link is asserted: it joins whatever the average.
    edge(&mut g, n[0], n[2], NEUTRAL);
    edge(&mut g, n[1], n[3], NEUTRAL);
    g.assert_same(n[1], n[3]).unwrap();
    assert_eq!(partition(&g), p(&[&["a", "b", "c", "d", "x"]]));
}

#[test]
fn twins_stay_apart_through_a_strong_but_vetoed_link() {
    // Twin 1 has two records, twin 2 one; twin 2 links strongly to one record of
    // twin 1 (same surname, dob, address) but the other record differs in given name.
    let mut g = graph();
    let n = nodes(&mut g, &["t1-crm", "t1-shop", "t2-crm"]);
    edge(&mut g, n[0], n[1], STRONG);
    edge(&mut g, n[0], n[2], 5.0);
    edge(&mut g, n[1], n[2], VETO);
    assert_eq!(partition(&g), p(&[&["t1-crm", "t1-shop"], &["t2-crm"]]));
    // The strongest link wins the contested record: raise t0-t2 above t0-t1.
    edge(&mut g, n[0], n[2], 12.0);
    assert_eq!(partition(&g), p(&[&["t1-crm", "t2-crm"], &["t1-shop"]]));
}

#[test]
fn a_given_name_that_differs_record_after_record_keeps_twins_apart() {
    // Comparison 0 is the given name (level 1 exact, level 3 "else", weight −7).
    let (same, other) = (Gamma(1), Gamma(3));
    let mut g = graph();
    g.set_disagreement_weights(DisagreementWeights::new([(0, 3, -7.0)], []));
    let n = nodes(&mut g, &["m-crm", "m-shop", "j-crm", "j-app", "j-web"]);
    let (m1, m2, j1, j2, j3) = (n[0], n[1], n[2], n[3], n[4]);
    g.upsert_edge(m1, m2, same, STRONG).unwrap();
    g.upsert_edge(j1, j2, same, STRONG).unwrap();
    // One record of each twin: one person whose given name was once written as
    // another is as likely as not, and they link.
    g.upsert_edge(m1, j1, other, WEAK).unwrap();
    assert_eq!(
        partition(&g),
        p(&[&["m-crm", "m-shop", "j-crm", "j-app"], &["j-web"]])
    );
    // Each twin's second record says the same: two records would have to be wrong.
    g.upsert_edge(m2, j2, other, WEAK).unwrap();
    let twins = p(&[&["m-crm", "m-shop"], &["j-crm", "j-app"], &["j-web"]]);
    assert_eq!(partition(&g), twins);
    // The side with fewer records counts: a third record of one twin changes nothing.
    g.upsert_edge(j2, j3, same, STRONG).unwrap();
    g.upsert_edge(m1, j3, other, WEAK).unwrap();
    assert_eq!(
        partition(&g),
        p(&[&["m-crm", "m-shop"], &["j-app", "j-crm", "j-web"]])
    );
    // A snapshot keeps the rule.
    let h: LinkGraph = serde_json::from_str(&serde_json::to_string(&g).unwrap()).unwrap();
    assert_eq!(h.store.disagreement, g.store.disagreement);
    // One pair across them that agrees on the name: no repeated disagreement.
    g.upsert_edge(m2, j1, same, WEAK).unwrap();
    assert_eq!(
        partition(&g),
        p(&[&["m-crm", "m-shop", "j-crm", "j-app", "j-web"]])
    );
    // Without the rule (a bare graph) the pairs' mean weight alone decides.
    g.upsert_edge(m2, j1, other, WEAK).unwrap();
    assert_eq!(partition(&g).len(), 2);
    g.set_disagreement_weights(DisagreementWeights::default());
    g.flush();
    assert_eq!(partition(&g).len(), 1);
}

#[test]
fn namesakes_do_not_join_through_a_record_that_holds_only_the_name() {
    // Comparisons: 0 name (1 exact), 1 phone and 2 e-mail (1 exact, 2 "else", −3 and
    // −4 bits; 0 null where a record lacks it).
    let g_of = |name, phone, email| Gamma::from_levels(&[name, phone, email]);
    let weights = || {
        DisagreementWeights::new(
            [],
            [vec![0.0, 5.0], vec![0.0, 4.0, -3.0], vec![0.0, 4.0, -4.0]],
        )
    };
    let mut g = graph();
    let n = nodes(&mut g, &["a-full", "a-mail", "b-full", "b-phone"]);
    let (a1, a2, b1, b2) = (n[0], n[1], n[2], n[3]);
    g.upsert_edge(a1, a2, g_of(1, 0, 1), STRONG).unwrap();
    g.upsert_edge(b1, b2, g_of(1, 1, 0), STRONG).unwrap();
    // The strongest pair between them is the one that lacks both phone and e-mail.
    g.upsert_edge(a2, b2, g_of(1, 0, 0), 6.0).unwrap();
    g.upsert_edge(a1, b1, g_of(1, 2, 2), -1.0).unwrap();
    g.upsert_edge(a1, b2, g_of(1, 2, 0), 3.0).unwrap();
    g.upsert_edge(a2, b1, g_of(1, 0, 2), 2.0).unwrap();
    let two = p(&[&["a-full", "a-mail"], &["b-full", "b-phone"]]);
    let one = p(&[&["a-full", "a-mail", "b-full", "b-phone"]]);
    // A bare graph reads the pairs' mean weight alone: (6 − 1 + 3 + 2) / 4 links.
    assert_eq!(partition(&g), one);
    // No pair agrees on phone or e-mail: the two pairs lacking each are charged its
    // "else", (10 − 2·3 − 2·4) / 4 = −1, and the namesakes stay apart.
    g.set_disagreement_weights(weights());
    g.flush();
    assert_eq!(partition(&g), two);
    // A snapshot keeps the rule.
    let h: LinkGraph = serde_json::from_str(&serde_json::to_string(&g).unwrap()).unwrap();
    assert_eq!(h.store.disagreement, g.store.disagreement);
    assert_eq!(partition(&h), two);
    // One pair that shares the phone: a phone missing elsewhere is no evidence
    // against, (6 + 8 + 3 + 2 − 2·4) / 4 links.
    g.upsert_edge(a1, b1, g_of(1, 1, 2), 8.0).unwrap();
    assert_eq!(partition(&g), one);
}

#[test]
fn the_absent_charge_reads_the_best_level_and_only_pairs_that_lack_the_field() {
    // Comparisons: 0 name (1 exact), 1 phone (1 exact +4, 2 last digits −1, 3 "else"
    // −6; 0 null).
    let g_of = |name, phone| Gamma::from_levels(&[name, phone]);
    let weights = || DisagreementWeights::new([], [vec![0.0, 5.0], vec![0.0, 4.0, -1.0, -6.0]]);
    let fresh = |keys: &[&str]| {
        let mut g = graph();
        g.set_disagreement_weights(weights());
        let n = nodes(&mut g, keys);
        (g, n)
    };
    // The best level between the groups is charged, not the worst: the two pairs
    // lacking the phone cost 2 · −1, (6 + 1 − 2 + 3 − 2) / 4 links (2 · −6 would not).
    let (mut g, n) = fresh(&["a1", "a2", "b1", "b2"]);
    g.upsert_edge(n[0], n[1], g_of(1, 1), STRONG).unwrap();
    g.upsert_edge(n[2], n[3], g_of(1, 1), STRONG).unwrap();
    g.upsert_edge(n[1], n[3], g_of(1, 0), 6.0).unwrap();
    g.upsert_edge(n[0], n[2], g_of(1, 2), 1.0).unwrap();
    g.upsert_edge(n[0], n[3], g_of(1, 3), -2.0).unwrap();
    g.upsert_edge(n[1], n[2], g_of(1, 0), 3.0).unwrap();
    assert_eq!(partition(&g).len(), 1);
    // The profile's cohesion reads the same charged mean for the union of the two
    // groups (without the charge it would read 8 / 4 = 2).
    let unions = conjunction_probability([STRONG, STRONG, 1.5], LINK_DISCOUNT).unwrap();
    let c = g.cohesion(g.profile_of(n[0]).unwrap()).unwrap();
    assert!((c - unions).abs() < 1e-12, "{c} vs {unions}");
    // Only the pairs that lack the field are charged: one null among three pairs, the
    // others "else", (2 + 2 + 6 − 6) / 3 links (charging all three would not).
    let (mut g, n) = fresh(&["a1", "a2", "a3", "b"]);
    g.upsert_edge(n[0], n[1], g_of(1, 1), STRONG).unwrap();
    g.upsert_edge(n[1], n[2], g_of(1, 1), STRONG).unwrap();
    g.upsert_edge(n[0], n[3], g_of(1, 3), 2.0).unwrap();
    g.upsert_edge(n[1], n[3], g_of(1, 3), 2.0).unwrap();
    g.upsert_edge(n[2], n[3], g_of(1, 0), 6.0).unwrap();
    assert_eq!(partition(&g).len(), 1);
    // A best level that weighs for a match is no charge: (−4 + 2) / 2 stays apart
    // (charging the +4 of the shared phone would join them).
    let (mut g, n) = fresh(&["a1", "a2", "b"]);
    g.upsert_edge(n[0], n[1], g_of(1, 1), STRONG).unwrap();
    g.upsert_edge(n[0], n[2], g_of(1, 1), -4.0).unwrap();
    g.upsert_edge(n[1], n[2], g_of(1, 0), 2.0).unwrap();
    assert_eq!(partition(&g), p(&[&["a1", "a2"], &["b"]]));
}

#[test]
fn exclusive_keys_conflict_only_within_a_class() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c"]);
    g.set_exclusive(n[0], vec![(7, 1)]).unwrap();
    g.set_exclusive(n[1], vec![(7, 2)]).unwrap();
    edge(&mut g, n[0], n[1], STRONG);
    assert_eq!(partition(&g), p(&[&["a"], &["b"], &["c"]]));
    // c has no loyalty number: it joins its stronger side, and b stays apart.
    edge(&mut g, n[2], n[1], 8.0);
    edge(&mut g, n[2], n[0], 9.0);
    assert_eq!(partition(&g), p(&[&["a", "c"], &["b"]]));
    // Another class on b does not matter; a shared value in the class does.
    g.set_exclusive(n[1], vec![(7, 2), (7, 1), (9, 3)]).unwrap();
    assert_eq!(partition(&g), p(&[&["a", "b", "c"]]));
    assert_eq!(g.exclusive(n[1]), &[(7, 1), (7, 2), (9, 3)]);
}

#[test]
fn cannot_link_splits_and_retract_restores() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b"]);
    edge(&mut g, n[0], n[1], STRONG);
    let pa = g.profile_of(n[0]).unwrap();
    let ev = g.assert_different(n[0], n[1]).unwrap();
    let pb = g.profile_of(n[1]).unwrap();
    assert_eq!(
        g.profile_of(n[0]),
        Some(pa),
        "the earlier record keeps the ID"
    );
    assert_ne!(pa, pb);
    assert_eq!(
        ev,
        vec![Event::ProfileSplit {
            from: pa,
            into: vec![pa, pb]
        }]
    );
    let ev = g.retract(n[0], n[1]).unwrap();
    assert_eq!(
        ev,
        vec![Event::ProfilesMerged {
            into: pa,
            from: vec![pb]
        }]
    );
    assert!(g.pair(n[0], n[1]).is_some(), "the compared pair stays");
}

#[test]
fn must_link_overrides_veto_and_exclusive_but_not_cannot_link() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b"]);
    edge(&mut g, n[0], n[1], VETO);
    g.set_exclusive(n[0], vec![(1, 1)]).unwrap();
    g.set_exclusive(n[1], vec![(1, 2)]).unwrap();
    assert_eq!(g.profile_count(), 2);
    g.assert_same(n[0], n[1]).unwrap();
    assert_eq!(partition(&g), p(&[&["a", "b"]]));
    assert_eq!(g.confidence(n[0]), Some(1.0));
    g.assert_different(n[0], n[1]).unwrap();
    assert_eq!(g.profile_count(), 2, "cannot-link wins");
    let info = g.pair(n[0], n[1]).unwrap();
    assert!(info.asserted_same && info.asserted_different);
    g.retract(n[0], n[1]).unwrap();
    assert_eq!(g.profile_count(), 2);
    assert!(!g.pair(n[0], n[1]).unwrap().asserted_same);
}

#[test]
fn contradicting_must_links_respect_a_cannot_link_in_key_order() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c"]);
    g.assert_different(n[0], n[2]).unwrap();
    g.assert_same(n[1], n[2]).unwrap();
    g.assert_same(n[0], n[1]).unwrap();
    // (a,b) sorts before (b,c): a–b joins, then b–c would bring c next to a.
    assert_eq!(partition(&g), p(&[&["a", "b"], &["c"]]));
}

#[test]
fn erasure_splits_a_bridged_profile_and_keeps_the_earliest_id() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "x", "b"]);
    edge(&mut g, n[0], n[1], STRONG);
    edge(&mut g, n[1], n[2], STRONG);
    edge(&mut g, n[0], n[2], NEUTRAL);
    let pid = g.profile_of(n[0]).unwrap();
    assert_eq!(g.profile_count(), 1);
    let ev = g.remove_node(n[1]).unwrap();
    let pb = g.profile_of(n[2]).unwrap();
    assert_eq!(g.profile_of(n[0]), Some(pid));
    assert_eq!(
        ev,
        vec![
            Event::RecordErased {
                record: n[1],
                profile: pid
            },
            Event::ProfileSplit {
                from: pid,
                into: vec![pid, pb]
            }
        ]
    );
    assert_eq!(g.node("x"), None);
    assert_eq!(g.pair_count(), 1);
    // The slot is reused, with a fresh arrival number.
    let y = g.add_node("y").unwrap();
    assert_eq!(y, n[1]);
}

#[test]
fn erasing_a_singleton_ends_its_profile() {
    let mut g = graph();
    let n = nodes(&mut g, &["a"]);
    let pid = g.profile_of(n[0]).unwrap();
    let ev = g.remove_node(n[0]).unwrap();
    assert_eq!(
        ev,
        vec![Event::RecordErased {
            record: n[0],
            profile: pid
        }]
    );
    assert_eq!(g.profile_count(), 0);
    assert!(g.is_empty());
}

#[test]
fn stable_ids_on_merge_split_and_untouched_profiles() {
    let mut g = graph();
    let n = nodes(&mut g, &["z-first", "a-second", "m-third", "q-other"]);
    let ids: Vec<ProfileId> = n.iter().map(|&x| g.profile_of(x).unwrap()).collect();
    // Merge: the profile holding the earliest-added record keeps its ID, whatever the keys.
    let ev = edge(&mut g, n[1], n[0], STRONG);
    assert_eq!(
        ev,
        vec![Event::ProfilesMerged {
            into: ids[0],
            from: vec![ids[1]]
        }]
    );
    edge(&mut g, n[2], n[1], STRONG);
    assert_eq!(g.profile_of(n[2]), Some(ids[0]));
    assert_eq!(
        g.profile_of(n[3]),
        Some(ids[3]),
        "untouched profile keeps its ID"
    );
    // Split off the earliest record: it keeps the ID, the rest get one new ID.
    let ev = g.assert_different(n[0], n[1]).unwrap();
    let rest = g.profile_of(n[1]).unwrap();
    assert_eq!(g.profile_of(n[0]), Some(ids[0]));
    assert!(rest.0 > ids[3].0, "new IDs come from the counter");
    assert_eq!(g.profile_of(n[2]), Some(rest));
    assert_eq!(
        ev,
        vec![Event::ProfileSplit {
            from: ids[0],
            into: vec![ids[0], rest]
        }]
    );
    assert_eq!(g.profile_of(n[3]), Some(ids[3]));
}

#[test]
fn insert_reports_created_or_added() {
    let mut g = graph();
    let (a, ev) = g.insert("a", vec![], &[]).unwrap();
    let pa = g.profile_of(a).unwrap();
    assert_eq!(
        ev,
        vec![Event::ProfileCreated {
            profile: pa,
            members: vec![a]
        }]
    );
    let (b, ev) = g.insert("b", vec![], &[(a, Gamma(3), STRONG)]).unwrap();
    assert_eq!(
        ev,
        vec![Event::RecordAdded {
            record: b,
            profile: pa
        }]
    );
    // A bad edge leaves the graph untouched.
    let err = g
        .insert("c", vec![], &[(a, Gamma(3), f64::NAN)])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    assert_eq!(g.node("c"), None);
    assert_eq!(g.len(), 2);
}

#[test]
fn bad_input_gives_errors_not_panics() {
    let mut g = graph();
    let a = g.add_node("a").unwrap();
    assert_eq!(
        g.add_node("a").unwrap_err().kind(),
        ErrorKind::InvalidRecord
    );
    assert_eq!(g.add_node("").unwrap_err().kind(), ErrorKind::InvalidRecord);
    let ghost = NodeId(99);
    assert_eq!(
        g.upsert_edge(a, ghost, Gamma(0), 1.0).unwrap_err().kind(),
        ErrorKind::UnknownRecord
    );
    assert_eq!(
        g.upsert_edge(a, a, Gamma(0), 1.0).unwrap_err().kind(),
        ErrorKind::InvalidRecord
    );
    assert_eq!(
        g.remove_node(ghost).unwrap_err().kind(),
        ErrorKind::UnknownRecord
    );
    assert_eq!(g.profile_of(a), None, "pending until resolved");
    let bad = GraphSettings {
        threshold: 0.5,
        veto: f64::NAN,
    };
    assert_eq!(
        LinkGraph::new(bad).unwrap_err().kind(),
        ErrorKind::InvalidConfig
    );
    assert_eq!(
        g.set_settings(bad).unwrap_err().kind(),
        ErrorKind::InvalidConfig
    );
}

#[test]
fn rescore_only_reports_changed_components() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c", "d"]);
    g.upsert_edge(n[0], n[1], Gamma(1), STRONG).unwrap();
    g.upsert_edge(n[2], n[3], Gamma(2), STRONG).unwrap();
    let before = partition(&g);
    let ab = g.profile_of(n[0]).unwrap();
    // A model in which pattern 2 is weak evidence against.
    let ev = g.rescore(|gm| if gm == Gamma(2) { -2.0 } else { 9.0 });
    assert_eq!(ev.len(), 1);
    assert!(matches!(&ev[0], Event::ProfileSplit { .. }));
    assert_eq!(g.profile_of(n[0]), Some(ab));
    assert_eq!(g.pair(n[0], n[1]).unwrap().weight, Some(9.0));
    // Back again.
    let ev = g.rescore(|_| STRONG);
    assert_eq!(ev.len(), 1);
    assert_eq!(partition(&g), before);
    // NaN from a model means no evidence.
    g.rescore(|_| f64::NAN);
    assert_eq!(g.profile_count(), 4);
}

#[test]
fn threshold_change_reclusters() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b"]);
    edge(&mut g, n[0], n[1], WEAK);
    assert_eq!(g.profile_count(), 1);
    let strict = GraphSettings {
        threshold: 0.9,
        veto: 0.001,
    };
    g.set_settings(strict).unwrap();
    assert_eq!(g.profile_count(), 2);
}

#[test]
fn explain_confidence_and_cohesion() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c", "d"]);
    edge(&mut g, n[0], n[1], STRONG);
    edge(&mut g, n[1], n[2], WEAK);
    edge(&mut g, n[0], n[2], 0.5);
    let pid = g.profile_of(n[0]).unwrap();
    let ex = g.explain_profile(pid).unwrap();
    assert_eq!(ex.links.len(), 2, "a spanning tree of three members");
    assert_eq!(ex.links[0].pair.weight, Some(STRONG));
    let weakest = ex.weakest.unwrap();
    assert_eq!((weakest.a, weakest.b), (n[1], n[2]));
    // Two unions formed the profile: a with b (their one pair, STRONG), then c with
    // a and b, read as the mean of c's two pairs ((1 + 0.5) / 2). The most doubtful
    // union first, the further one at half weight: c's odds against are 2^-0.75 +
    // 2^-STRONG / 2.
    let odds = |terms: &[f64]| 1.0 / (1.0 + terms.iter().sum::<f64>());
    let all = odds(&[(-0.75f64).exp2(), 0.5 * (-STRONG).exp2()]);
    assert!((g.confidence(n[2]).unwrap() - all).abs() < 1e-12);
    // a's strong link to b does not make a surer: a is one person with c only if the
    // whole profile is one.
    for &x in &n[..3] {
        assert!((g.confidence(x).unwrap() - all).abs() < 1e-12, "{x:?}");
    }
    // Cohesion: the same unions, the same combination.
    assert!((g.cohesion(pid).unwrap() - all).abs() < 1e-12);
    let pd = g.profile_of(n[3]).unwrap();
    assert_eq!(g.confidence(n[3]), None);
    assert_eq!(g.cohesion(pd), None);
}

#[test]
fn confidence_counts_the_links_among_the_other_members() {
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c", "d"]);
    for (x, y) in [(0, 1), (0, 2), (1, 2), (0, 3)] {
        edge(&mut g, n[x], n[y], STRONG);
    }
    assert_eq!(g.profile_count(), 1);
    let strong = g.confidence(n[1]).unwrap();
    assert!(strong > 0.99, "{strong}");
    // d contradicts c (no link, no veto). b's own links are strong, but b is one
    // person with d only if the union that brought d in joined one person: it reads
    // both of d's pairs, (STRONG + NEUTRAL) / 2, and every member's confidence falls
    // with it (the unions a–b and a–c read STRONG).
    edge(&mut g, n[2], n[3], NEUTRAL);
    assert_eq!(g.profile_count(), 1);
    let doubt = (-(STRONG + NEUTRAL) / 2.0).exp2();
    let expected = 1.0 / (1.0 + doubt + 0.5 * (-STRONG).exp2() + 0.25 * (-STRONG).exp2());
    for &x in &n {
        let c = g.confidence(x).unwrap();
        assert!((c - expected).abs() < 1e-12, "{x:?}: {c} vs {expected}");
        assert!(c < strong, "{x:?}: {c}");
    }
    // Pairs never compared are no evidence: a–c missing, a rests on a–b and b–c.
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c"]);
    edge(&mut g, n[0], n[1], STRONG);
    edge(&mut g, n[1], n[2], WEAK);
    let a = g.confidence(n[0]).unwrap();
    let odds = (-WEAK).exp2() + 0.5 * (-STRONG).exp2();
    assert!((a - 1.0 / (1.0 + odds)).abs() < 1e-12, "{a}");
}

#[test]
fn bulk_mode_defers_until_recompute_all() {
    let mut g = graph();
    g.reserve(3, 1);
    g.bulk();
    let a = g.add_node("a").unwrap();
    let b = g.add_node("b").unwrap();
    let c = g.add_node("c").unwrap();
    assert!(edge(&mut g, a, b, STRONG).is_empty());
    assert_eq!(g.profile_of(a), None);
    let ev = g.recompute_all();
    assert!(!g.is_bulk());
    let pa = g.profile_of(a).unwrap();
    let pc = g.profile_of(c).unwrap();
    assert_eq!(
        ev,
        vec![
            Event::ProfileCreated {
                profile: pa,
                members: vec![a, b]
            },
            Event::ProfileCreated {
                profile: pc,
                members: vec![c]
            }
        ]
    );
    assert!(g.recompute_all().is_empty(), "nothing changed");
}

#[test]
fn reshuffle_is_reported_as_moves() {
    // {a,b} and {c,d} become {a,c} and {b,d} after a model change.
    let mut g = graph();
    let n = nodes(&mut g, &["a", "b", "c", "d"]);
    g.upsert_edge(n[0], n[1], Gamma(1), STRONG).unwrap();
    g.upsert_edge(n[2], n[3], Gamma(1), STRONG).unwrap();
    g.upsert_edge(n[0], n[2], Gamma(2), NEUTRAL).unwrap();
    g.upsert_edge(n[1], n[3], Gamma(2), NEUTRAL).unwrap();
    let (p0, p2) = (g.profile_of(n[0]).unwrap(), g.profile_of(n[2]).unwrap());
    let ev = g.rescore(|gm| if gm == Gamma(1) { NEUTRAL } else { STRONG });
    assert_eq!(partition(&g), p(&[&["a", "c"], &["b", "d"]]));
    assert_eq!(
        g.profile_of(n[0]),
        Some(p0),
        "a is p0's anchor and the earliest"
    );
    let pbd = g.profile_of(n[1]).unwrap();
    assert_ne!(
        pbd, p2,
        "b,d hold no anchor: new ID; p2's anchor c went with a"
    );
    assert_eq!(
        ev,
        vec![
            Event::RecordMoved {
                record: n[1],
                from: p0,
                to: pbd
            },
            Event::RecordMoved {
                record: n[2],
                from: p2,
                to: p0
            },
            Event::RecordMoved {
                record: n[3],
                from: p2,
                to: pbd
            },
        ]
    );
}

#[cfg(feature = "serde")]
#[test]
fn snapshot_round_trips_and_forgets_erased_records() {
    let mut g = graph();
    let n = nodes(&mut g, &["alice-1", "alice-2", "bob-1", "erase-me"]);
    edge(&mut g, n[0], n[1], STRONG);
    g.upsert_edge(n[2], n[3], Gamma(0xabc), 0.1 + 0.2).unwrap();
    g.set_exclusive(n[3], vec![(5, 55)]).unwrap();
    g.assert_different(n[1], n[2]).unwrap();
    g.remove_node(n[3]).unwrap();
    g.rescore(|gm| if gm == Gamma(1) { f64::NAN } else { 7.25 });
    let json = serde_json::to_string(&g).unwrap();
    assert!(!json.contains("erase-me"));
    let mut h: LinkGraph = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&h).unwrap(), json);
    assert_eq!(
        g.profiles().collect::<Vec<_>>(),
        h.profiles().collect::<Vec<_>>()
    );
    // Same future: same handles, same IDs, same events.
    let (x1, e1) = g
        .insert("carol", vec![], &[(n[0], Gamma(1), STRONG)])
        .unwrap();
    let (x2, e2) = h
        .insert("carol", vec![], &[(n[0], Gamma(1), STRONG)])
        .unwrap();
    assert_eq!((x1, e1), (x2, e2));
    // Corrupt snapshots are refused, not trusted.
    let bad = json.replace("\"bob-1\"", "\"alice-1\"");
    assert!(serde_json::from_str::<LinkGraph>(&bad).is_err());
}

#[cfg(feature = "serde")]
#[test]
fn link_graph_snapshot_is_versioned_and_checksummed() {
    let mut g = graph();
    let n = nodes(&mut g, &["alice-1", "alice-2"]);
    edge(&mut g, n[0], n[1], STRONG);
    let json = serde_json::to_string(&g).unwrap();
    assert!(json.starts_with(r#"{"format":"LinkGraph","format_version":2,"checksum":"fnv1a64:"#));
    let err = |text: &str| {
        serde_json::from_str::<LinkGraph>(text)
            .unwrap_err()
            .to_string()
    };
    // A changed weight passes every structural check: only the checksum catches it.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let bits = value["payload"]["pairs"][0]["weight_bits"]
        .as_u64()
        .unwrap();
    let changed = json.replace(&bits.to_string(), &(bits ^ 1).to_string());
    assert_ne!(changed, json);
    assert!(
        err(&changed).contains("checksum mismatch"),
        "{}",
        err(&changed)
    );
    let newer = json.replace(r#""format_version":2"#, r#""format_version":9"#);
    assert!(err(&newer).contains("version 9 is not supported: this sameas reads version 2"));
    let bare = value["payload"].to_string();
    assert!(err(&bare).contains("no format version"), "{}", err(&bare));
    let misspelt = json.replace(r#""checksum":"#, r#""chekcsum":"#);
    assert!(
        err(&misspelt).contains(r#"unknown key "chekcsum""#),
        "{}",
        err(&misspelt)
    );
    let mut unsummed = value.clone();
    unsummed.as_object_mut().unwrap().remove("checksum");
    let unsummed = unsummed.to_string();
    assert!(err(&unsummed).contains("no checksum"), "{}", err(&unsummed));
}
