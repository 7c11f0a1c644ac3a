//! Confidence that means what it says: scored pairs out, calibration, record
//! confidence from all links, named bands from the config, and the review loop.

use sameas::eval::{auc, placements, Evaluation, Reliability};
use sameas::model::BandThresholds;
use sameas::profiles::Review;
use sameas::{ConfidenceBand, Config, ProfileGraph};
use sameas_synth::{generate, SynthConfig};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A resolved generated data set: the graph, record ids and their true entities.
struct Resolved {
    graph: ProfileGraph,
    ids: Vec<String>,
    truth: Vec<u64>,
}

impl Resolved {
    fn ids(&self) -> Vec<&str> {
        self.ids.iter().map(String::as_str).collect()
    }
}

fn resolve(records: usize, seed: u64) -> Resolved {
    resolve_with(SynthConfig {
        records,
        seed,
        ..SynthConfig::default()
    })
}

/// Plays a reviewer who answers the queue's first question from the truth, up to
/// `answers` times, recalibrating after each; returns the answers in order.
fn answer_from_truth(
    graph: &mut ProfileGraph,
    review: &mut Review,
    entity: &HashMap<String, u64>,
    answers: usize,
) -> Vec<(String, String, bool)> {
    let mut answered = Vec::new();
    for _ in 0..answers {
        let Some(q) = graph.review_queue(1).pop() else {
            break;
        };
        let same = entity[&q.left] == entity[&q.right];
        review.answer(graph, &q.left, &q.right, same).unwrap();
        // The answer applies at once.
        assert_eq!(
            graph.profile_of(&q.left) == graph.profile_of(&q.right),
            same
        );
        review.recalibrate(graph, 1.0).unwrap();
        answered.push((q.left, q.right, same));
    }
    answered
}

fn resolve_with(config: SynthConfig) -> Resolved {
    let data = generate(&config);
    let ids = data.records.iter().map(|r| r.id().to_string()).collect();
    let mut graph = ProfileGraph::new(Config::infer(data.schema.clone()).unwrap()).unwrap();
    graph.load(data.records, &mut |_| {}).unwrap();
    let (model, _) = graph.fit(&mut |_| {}).unwrap();
    graph.set_model(model).unwrap();
    Resolved {
        graph,
        ids,
        truth: data.truth,
    }
}

/// One shared resolution (resolving is the slow part).
fn shared() -> &'static Resolved {
    static R: OnceLock<Resolved> = OnceLock::new();
    R.get_or_init(|| resolve(4000, 11))
}

#[test]
fn pair_rows_are_every_scored_pair_sorted_with_levels_and_bands() {
    let r = shared();
    let rows = r.graph.pair_rows();
    assert_eq!(rows.len(), r.graph.pair_count());
    let names = r.graph.comparison_names();
    let comparisons = &r.graph.config().comparisons;
    for w in rows.windows(2) {
        assert!(
            (w[0].left, w[0].right) < (w[1].left, w[1].right),
            "sorted, no repeats"
        );
    }
    let scored = r.graph.scored_pairs();
    for (row, (a, b, p)) in rows.iter().zip(&scored) {
        assert!(row.left < row.right);
        assert_eq!((row.left, row.right, row.probability), (*a, *b, *p));
        assert_eq!(row.band, ConfidenceBand::of(row.probability));
        // The pair's own score, read with its profiles: raised by a stronger chain
        // inside one profile, lowered by the pairs between two.
        let own = sameas::model::probability_from_weight(row.match_weight);
        assert_eq!(row.pair_probability, own);
        if r.graph.profile_of(row.left) == r.graph.profile_of(row.right) {
            assert!(row.probability >= own, "{row:?}");
        } else {
            assert!(row.probability <= own, "{row:?}");
        }
        assert_eq!(row.levels.len(), names.len());
        for (label, c) in row.levels.iter().zip(comparisons) {
            assert!(
                *label == "null" || c.levels.iter().any(|l| l.label == *label),
                "{label:?} is a level of {}",
                c.name
            );
        }
    }
    // The level labels are the stored γ of the pair.
    let row = &rows[0];
    let info = r
        .graph
        .links()
        .pair(
            r.graph.links().node(row.left).unwrap(),
            r.graph.links().node(row.right).unwrap(),
        )
        .unwrap();
    let g = info.gamma.unwrap();
    for (i, c) in comparisons.iter().enumerate() {
        assert_eq!(row.levels[i], c.label(g.level(i)));
    }
}

#[test]
fn pair_probabilities_are_calibrated_on_generated_data() {
    let r = shared();
    let ids = r.ids();
    let table = Reliability::of(r.graph.scored_pairs(), &ids, &r.truth, 10).unwrap();
    let counted: u64 = table.bins.iter().map(|b| b.count).sum();
    assert_eq!(counted as usize, r.graph.pair_count());
    assert!(
        table.expected_calibration_error < 0.03,
        "ECE {}\n{table}",
        table.expected_calibration_error
    );
    // The two crowded ends sit near the diagonal.
    let (low, high) = (&table.bins[0], &table.bins[9]);
    assert!(low.observed < 0.1 && high.observed > 0.95, "{table}");
    // Read off the graph by node handle: the same table, bit for bit.
    assert_eq!(
        Reliability::of_graph(&r.graph, &ids, &r.truth, 10).unwrap(),
        table
    );
    // And with a listed id left out (its pairs leave the table with it).
    let some = &ids[1..];
    assert_eq!(
        Reliability::of_graph(&r.graph, some, &r.truth[1..], 10).unwrap(),
        Reliability::of(r.graph.scored_pairs(), some, &r.truth[1..], 10).unwrap()
    );
}

/// What `placements` must give for `ids`, from the graph's memberships: each listed
/// record in a profile of two or more gets the profile's cohesion, and is correctly
/// placed when every member's entity (`entity_of`, `None` when unlisted) is its own.
fn expected_placements(
    r: &Resolved,
    ids: &[&str],
    entity_of: impl Fn(&str) -> Option<u64>,
) -> Vec<(f64, bool)> {
    let mut expected = Vec::new();
    for &id in ids {
        let Some(m) = r.graph.membership(id) else {
            continue;
        };
        let Some(confidence) = m.confidence else {
            continue;
        };
        let mine = entity_of(id);
        let members = r.graph.members(m.profile);
        let clean = mine.is_some() && members.iter().all(|other| entity_of(other) == mine);
        expected.push((confidence, clean));
    }
    expected
}

#[test]
fn placements_count_each_record_once_with_its_profile_cohesion() {
    let r = shared();
    let ids = r.ids();
    let placed = placements(&r.graph, &ids, &r.truth).unwrap();
    let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let expected = expected_placements(r, &ids, |id| index.get(id).map(|&i| r.truth[i]));
    assert_eq!(placed, expected);
}

/// Listing only some ids: each listed record still gets its profile's cohesion, in
/// the order listed, and a profile with an unlisted member is not "correctly placed"
/// (nothing is known of that member), ids the graph lacks are skipped.
#[test]
fn placements_of_a_subset_follow_the_listed_ids() {
    let r = shared();
    let all = r.ids();
    let index: HashMap<&str, usize> = all.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    // Every third record, backwards, and an id the graph does not hold.
    let mut ids: Vec<&str> = all.iter().copied().step_by(3).rev().collect();
    ids.push("not-a-record");
    let truth: Vec<u64> = ids
        .iter()
        .map(|id| index.get(id).map_or(u64::MAX, |&i| r.truth[i]))
        .collect();
    let listed: HashMap<&str, u64> = ids.iter().copied().zip(truth.iter().copied()).collect();
    let placed = placements(&r.graph, &ids, &truth).unwrap();
    let expected = expected_placements(r, &ids, |id| listed.get(id).copied());
    assert!(expected.iter().any(|&(_, clean)| !clean));
    assert_eq!(placed, expected);
}

/// Generated records like [`shared`]'s, 6,000 of them, with a quarter of new people
/// starting a household: enough misplaced records for an AUC to say something (the
/// default data leaves about a dozen, in a handful of profiles; 4,000 records left
/// 31 once e-mails stopped counting as a household's shared data).
fn households() -> &'static Resolved {
    static R: OnceLock<Resolved> = OnceLock::new();
    R.get_or_init(|| {
        resolve_with(SynthConfig {
            records: 6000,
            seed: 11,
            household_rate: 0.25,
            ..SynthConfig::default()
        })
    })
}

#[test]
fn record_confidence_weighs_every_link_and_finds_misplaced_records() {
    let r = households();
    let ids = r.ids();
    let placed = placements(&r.graph, &ids, &r.truth).unwrap();
    let misplaced = placed.iter().filter(|(_, clean)| !clean).count();
    assert!(
        misplaced >= 40,
        "{misplaced} misplaced records: too few to rank"
    );
    let new = auc(&placed);
    // The old confidence: the strongest link to another member.
    let mut best: HashMap<&str, f64> = HashMap::new();
    for row in r.graph.pair_rows() {
        if r.graph.profile_of(row.left) == r.graph.profile_of(row.right) {
            for id in [row.left, row.right] {
                let e = best.entry(id).or_insert(0.0);
                *e = e.max(row.probability);
            }
        }
    }
    let entity: HashMap<&str, u64> = ids.iter().copied().zip(r.truth.iter().copied()).collect();
    // The AUC of `score(record, profile)` over the records in profiles of two or more.
    let auc_of = |score: &dyn Fn(&str, sameas::ProfileId) -> f64| {
        let scored: Vec<(f64, bool)> = ids
            .iter()
            .filter_map(|id| {
                let m = r.graph.membership(id)?;
                m.confidence?;
                let clean = r
                    .graph
                    .members(m.profile)
                    .iter()
                    .all(|o| entity[o] == entity[id]);
                Some((score(id, m.profile), clean))
            })
            .collect();
        assert_eq!(scored.len(), placed.len());
        auc(&scored)
    };
    let conjunction = |weights: Option<&Vec<f64>>| {
        let weights = weights.cloned().unwrap_or_default();
        sameas::graph::conjunction_probability(weights, sameas::graph::LINK_DISCOUNT).unwrap_or(1.0)
    };
    let old = auc_of(&|id, _| best[id]);
    // The record's own links alone (the confidence before it counted the links among
    // the other members).
    let mut own: HashMap<&str, Vec<f64>> = HashMap::new();
    for row in r.graph.pair_rows() {
        if r.graph.profile_of(row.left) == r.graph.profile_of(row.right) {
            for id in [row.left, row.right] {
                own.entry(id).or_default().push(row.match_weight);
            }
        }
    }
    let own = auc_of(&|id, _| conjunction(own.get(id)));
    assert!(new > 0.85, "record confidence AUC {new}");
    assert!(
        new > old + 0.1,
        "all links ({new}) beat the best link ({old})"
    );
    assert!(
        new > own + 0.02,
        "the whole profile ({new}) beats the record's own links ({own})"
    );
    // Every pair inside the profile counted alone (the conjunction over pairs, not
    // over the unions that formed the profile): a typo-laden record's one weak pair
    // makes a true profile look as doubtful as two namesakes.
    let mut inside: HashMap<sameas::ProfileId, Vec<f64>> = HashMap::new();
    for row in r.graph.pair_rows() {
        let (pl, pr) = (r.graph.profile_of(row.left), r.graph.profile_of(row.right));
        if let (Some(pl), Some(pr)) = (pl, pr) {
            if pl == pr {
                inside.entry(pl).or_default().push(row.match_weight);
            }
        }
    }
    let pairwise = auc_of(&|_, profile| conjunction(inside.get(&profile)));
    assert!(
        new > pairwise + 0.03,
        "the unions ({new}) beat every pair alone ({pairwise})"
    );
    // Cohesion and every member's confidence are one number.
    let largest = r.graph.profiles().into_iter().max_by_key(|(_, m)| m.len());
    if let Some((p, members)) = largest {
        let cohesion = r.graph.cohesion(p).unwrap();
        for id in members {
            let c = r.graph.membership(id).unwrap().confidence.unwrap();
            assert!(
                (cohesion - c).abs() < 1e-12,
                "cohesion {cohesion}, confidence {c}"
            );
        }
    }
}

#[test]
fn bands_come_from_the_config() {
    let data = generate(&SynthConfig {
        records: 300,
        seed: 3,
        ..SynthConfig::default()
    });
    let mut config = Config::infer(data.schema.clone()).unwrap();
    config.bands = BandThresholds {
        certain: 1.0,
        likely: 0.999_999,
        possible: 0.999_998,
    };
    let text = serde_json::to_string(&config).unwrap();
    assert!(text.contains("\"bands\""));
    let back: Config = serde_json::from_str(&text).unwrap();
    assert_eq!(back.bands, config.bands);
    let mut graph = ProfileGraph::new(config.clone()).unwrap();
    graph.add_batch(data.records).unwrap();
    for row in graph.pair_rows() {
        assert_eq!(row.band, config.bands.band(row.probability));
        assert_ne!(row.band, ConfidenceBand::Certain, "only p = 1 is certain");
    }
    let mut bad = config;
    bad.bands.possible = 0.0;
    let err = ProfileGraph::new(bad).unwrap_err();
    assert!(err.to_string().contains("bands.possible"), "{err}");
}

#[test]
fn review_queue_orders_by_expected_records_moved_and_answers_stick() {
    let mut r = resolve(1500, 5);
    let queue = r.graph.review_queue(usize::MAX);
    assert!(!queue.is_empty());
    for w in queue.windows(2) {
        assert!(w[0].priority >= w[1].priority);
        assert!((&w[0].left, &w[0].right) != (&w[1].left, &w[1].right));
    }
    for q in &queue {
        assert!((q.priority - q.doubt * q.records_moved as f64).abs() < 1e-12);
        assert!(q.doubt > 0.0 && q.doubt <= 1.0, "{q:?}");
        let (pl, pr) = (
            r.graph.profile_of(&q.left).unwrap(),
            r.graph.profile_of(&q.right).unwrap(),
        );
        assert_eq!(q.together, pl == pr);
        if q.together {
            // A record's doubt weighs all its links: never less than the asked
            // (weakest) link's own.
            assert_eq!(q.records_moved, 1);
            assert!(q.doubt >= 1.0 - q.probability - 1e-12, "{q:?}");
        } else {
            // The clustering joins two profiles when the pairs across them link on
            // average: their doubt is never below the asked (weakest) pair's own.
            let smaller = r.graph.members(pl).len().min(r.graph.members(pr).len());
            assert_eq!(q.records_moved, smaller);
            assert!(q.doubt >= q.probability - 1e-12, "{q:?}");
        }
    }
    // One question per two profiles kept apart.
    let mut apart: Vec<_> = queue
        .iter()
        .filter(|q| !q.together)
        .map(|q| {
            let (a, b) = (
                r.graph.profile_of(&q.left).unwrap(),
                r.graph.profile_of(&q.right).unwrap(),
            );
            (a.min(b), a.max(b))
        })
        .collect();
    let n = apart.len();
    apart.sort();
    apart.dedup();
    assert_eq!(apart.len(), n);

    let entity: HashMap<String, u64> = r.ids.iter().cloned().zip(r.truth.iter().copied()).collect();
    let ids = r.ids();
    let before = Evaluation::of(&r.graph, &ids, &r.truth).unwrap().clusters;
    let mut review = Review::default();
    let answered = answer_from_truth(&mut r.graph, &mut review, &entity, 100);
    assert_eq!(review.len(), answered.len());
    assert_eq!(review.labels().pairs, answered);
    // The answers are labels: the recalibration counts every one (all were compared).
    let calibration = r.graph.model().calibration().unwrap().clone();
    assert_eq!(
        (calibration.judged.0 + calibration.judged.1) as usize,
        answered.len()
    );
    // The answers put the profiles right where they were wrong: F1 rises (not after
    // every answer: a cannot-link can split a profile along another line than the
    // truth's, which later answers mend).
    let ids = r.ids();
    let answered_f1 = Evaluation::of(&r.graph, &ids, &r.truth).unwrap().clusters;
    assert!(answered_f1.f1 > before.f1, "{before:?} -> {answered_f1:?}");
    // Settled questions are not asked again: neither an answered pair, nor a pair
    // of records joined by must-links, nor two profiles with a "different" between.
    let queue = r.graph.review_queue(usize::MAX);
    let asked: Vec<_> = answered
        .iter()
        .map(|(a, b, _)| (a.clone(), b.clone()))
        .collect();
    for q in &queue {
        assert!(!asked.contains(&(q.left.clone(), q.right.clone())));
        let pq = [
            r.graph.profile_of(&q.left).unwrap(),
            r.graph.profile_of(&q.right).unwrap(),
        ];
        for (a, b, same) in &answered {
            let pa = [
                r.graph.profile_of(a).unwrap(),
                r.graph.profile_of(b).unwrap(),
            ];
            if !same && !q.together {
                assert!(
                    !(pa == pq || pa == [pq[1], pq[0]]),
                    "{q:?} asked across profiles settled by {a}/{b}"
                );
            }
        }
    }
    // Recalibration changes what is reported, not the profiles.
    let profiles = r.graph.profiles().len();
    r.graph.set_calibration(None).unwrap();
    assert_eq!(r.graph.profiles().len(), profiles);
    review.recalibrate(&mut r.graph, 1.0).unwrap();
    // Retraining on the answers keeps them, and the profiles stay as good.
    review.retrain(&mut r.graph, 1.0).unwrap();
    for (a, b, same) in &answered {
        assert_eq!(r.graph.profile_of(a) == r.graph.profile_of(b), *same);
    }
    let ids = r.ids();
    let after = Evaluation::of(&r.graph, &ids, &r.truth).unwrap().clusters;
    assert!(
        after.precision >= before.precision - 0.005,
        "{before:?} -> {after:?}"
    );
    assert!(after.f1 >= before.f1 - 0.005, "{before:?} -> {after:?}");
}

#[test]
fn a_recalibration_changes_what_is_reported_not_the_profiles() {
    use sameas::model::{probability_from_weight, LevelShift, Recalibration};
    let mut r = resolve(1500, 5);
    let before: Vec<_> = r
        .graph
        .profiles()
        .into_iter()
        .map(|(p, m)| (p, m.into_iter().map(String::from).collect::<Vec<_>>()))
        .collect();
    let rows: Vec<(String, String, f64, bool)> = r
        .graph
        .pair_rows()
        .into_iter()
        .map(|row| {
            let first_null = row.levels[0] == "null";
            (
                row.left.to_string(),
                row.right.to_string(),
                row.match_weight,
                first_null,
            )
        })
        .collect();
    // Every level of the first comparison: +3 bits inside profiles, −1 across.
    let levels = r.graph.config().comparisons[0].levels.len() as u8;
    let mut shifts: Vec<LevelShift> = Vec::new();
    for (together, bits) in [(false, -1.0), (true, 3.0)] {
        for level in 1..=levels + 1 {
            shifts.push(LevelShift {
                together,
                comparison: 0,
                level,
                bits,
            });
        }
    }
    let lifted = Recalibration {
        levels: shifts,
        ..Recalibration::default()
    };
    let doubtful = r
        .ids
        .iter()
        .find(|id| {
            r.graph
                .membership(id)
                .and_then(|m| m.confidence)
                .is_some_and(|c| c < 0.9)
        })
        .cloned()
        .expect("some membership in doubt");
    let confidence = |g: &ProfileGraph| g.membership(&doubtful).unwrap().confidence.unwrap();
    let old = confidence(&r.graph);
    r.graph.set_calibration(Some(lifted.clone())).unwrap();
    assert!(confidence(&r.graph) > old);
    let after: Vec<_> = r
        .graph
        .profiles()
        .into_iter()
        .map(|(p, m)| (p, m.into_iter().map(String::from).collect::<Vec<_>>()))
        .collect();
    assert_eq!(before, after, "profiles unchanged");
    for (row, (l, rr, w, first_null)) in r.graph.pair_rows().into_iter().zip(&rows) {
        assert_eq!((row.left, row.right), (l.as_str(), rr.as_str()));
        assert_eq!(
            row.match_weight.to_bits(),
            w.to_bits(),
            "the model's weight"
        );
        if w.is_nan() {
            continue;
        }
        let together = r.graph.profile_of(l) == r.graph.profile_of(rr);
        let shift = match (*first_null, together) {
            (true, _) => 0.0,
            (false, true) => 3.0,
            (false, false) => -1.0,
        };
        let expected = probability_from_weight(w.clamp(-60.0, 60.0) + shift);
        assert!((row.pair_probability - expected).abs() < 1e-12, "{l} {rr}");
        // Read with the profiles, from the recalibrated weights.
        if together {
            assert!(row.probability >= row.pair_probability, "{l} {rr}");
        } else {
            assert!(row.probability <= row.pair_probability, "{l} {rr}");
        }
    }
    // Saved and loaded with the model.
    let json = serde_json::to_string(r.graph.model()).unwrap();
    let model: sameas::Model = serde_json::from_str(&json).unwrap();
    assert_eq!(model.calibration(), Some(&lifted));
    let snapshot = serde_json::to_string(&r.graph.snapshot()).unwrap();
    let restored = ProfileGraph::restore(serde_json::from_str(&snapshot).unwrap()).unwrap();
    assert_eq!(restored.model().calibration(), Some(&lifted));
    assert_eq!(confidence(&restored), confidence(&r.graph));
    r.graph.set_calibration(None).unwrap();
    assert_eq!(confidence(&r.graph), old);
}

/// A reviewer who changes an answer gets the new one: "different" then "same" joins
/// the two records (the earlier cannot-link is withdrawn, not left to win), and only
/// the last answer is kept as a label.
#[test]
fn a_changed_answer_replaces_the_earlier_assertion() {
    let mut r = resolve(600, 4);
    let q = r
        .graph
        .review_queue(usize::MAX)
        .into_iter()
        .find(|q| q.together)
        .expect("a profile to ask about");
    let mut review = Review::default();
    review
        .answer(&mut r.graph, &q.left, &q.right, false)
        .unwrap();
    assert_ne!(r.graph.profile_of(&q.left), r.graph.profile_of(&q.right));
    review
        .answer(&mut r.graph, &q.right, &q.left, true)
        .unwrap();
    assert_eq!(r.graph.profile_of(&q.left), r.graph.profile_of(&q.right));
    assert_eq!(
        review.labels().pairs,
        vec![(q.left.clone(), q.right.clone(), true)]
    );
    review
        .answer(&mut r.graph, &q.left, &q.right, false)
        .unwrap();
    assert_ne!(r.graph.profile_of(&q.left), r.graph.profile_of(&q.right));
}

/// The review loop keeps the probabilities calibrated: the queue's questions are chosen
/// for doubt, not at random, and recalibrating from their answers must not carry what
/// they say about the doubtful pairs over to the rest (the fault this guards against:
/// 200 answers lifted 1,000+ pairs kept apart from 0.03 to 0.14–0.33 where 1–8% were
/// the same person). Before the answers: ECE ≤ 0.03 and every bin from 0.1 to 0.9
/// holding 30 pairs or more within 0.15 of its observed share; after them an ECE no
/// worse than before (the bins are the open part of issue 13).
#[test]
fn calibration_holds_after_review_answers() {
    let mut r = resolve(20_000, 7);
    let entity: HashMap<String, u64> = r.ids.iter().cloned().zip(r.truth.iter().copied()).collect();
    let check = |g: &ProfileGraph, when: &str, bins: bool| {
        let ids: Vec<&str> = r.ids.iter().map(String::as_str).collect();
        let table = Reliability::of(g.scored_pairs(), &ids, &r.truth, 10).unwrap();
        assert!(
            table.expected_calibration_error <= 0.03,
            "{when}: ECE {}\n{table}",
            table.expected_calibration_error
        );
        for bin in table.bins.iter().filter(|_| bins) {
            if bin.low >= 0.1 - 1e-9 && bin.high <= 0.9 + 1e-9 && bin.count >= 30 {
                assert!(
                    (bin.mean_predicted - bin.observed).abs() <= 0.15,
                    "{when}: bin {:.1}-{:.1} off\n{table}",
                    bin.low,
                    bin.high
                );
            }
        }
        table.expected_calibration_error
    };
    let ece_before = check(&r.graph, "before any answer", true);
    let before = {
        let ids = r.ids();
        Evaluation::of(&r.graph, &ids, &r.truth)
            .unwrap()
            .clusters
            .f1
    };
    let mut review = Review::default();
    answer_from_truth(&mut r.graph, &mut review, &entity, 200);
    assert_eq!(review.len(), 200);
    // Not yet every bin after the answers (issue 13): 0.7-0.8 holds 45 pairs rated
    // 0.76 of which 93% are one person — inside pairs the anchor lifted only part way.
    let ece_after = check(&r.graph, "after 200 answers", false);
    // The answers must not make the ratings worse overall (before this was guarded,
    // 200 answers took the ECE from 0.0035 to 0.0102).
    assert!(
        ece_after <= ece_before,
        "ECE {ece_before} -> {ece_after} after 200 answers"
    );
    let ids = r.ids();
    let after = Evaluation::of(&r.graph, &ids, &r.truth)
        .unwrap()
        .clusters
        .f1;
    assert!(after > before, "F1 {before} -> {after}");
    // The records left misplaced are still told apart by their confidence.
    let placed = placements(&r.graph, &ids, &r.truth).unwrap();
    assert!(auc(&placed) >= 0.85, "AUC {}", auc(&placed));
}
