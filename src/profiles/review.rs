//! The review loop: which pairs a person should look at first, their answers applied
//! to the profiles at once, and kept as labels that recalibrate (and, on request,
//! retrain) the model, so that the next questions are chosen under what they taught.

use super::{Labels, ProfileGraph};
use crate::compare::Gamma;
use crate::error::Result;
use crate::graph::Event;
use crate::graph::{conjunction_probability, NodeId, ProfileId, LINK_DISCOUNT};
use crate::model::{
    probability_from_weight, weight_from_probability, JudgedPair, Recalibration, SupervisedReport,
};
use ahash::{AHashMap, AHashSet};
use std::collections::BTreeMap;

/// One question of the review queue ([`ProfileGraph::review_queue`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReviewQuestion {
    /// The smaller record id of the pair.
    pub left: String,
    /// The larger record id.
    pub right: String,
    /// The pair's match probability.
    pub probability: f64,
    /// Whether the two records are in one profile now.
    pub together: bool,
    /// The probability that the answer goes against the current profiles, judged on
    /// every link the decision rests on, not on this pair alone: when apart, the
    /// probability that the two profiles are one person (all compared pairs across
    /// them, [`conjunction_probability`]); when together, the probability that their
    /// profile is not one person (1 − its cohesion, the answers so far counted as
    /// certain).
    pub doubt: f64,
    /// Records whose profile changes if the answer goes against the current profiles:
    /// the smaller of the two profiles when apart (a "same" merges them), 1 when
    /// together (a "different" moves at least one record out).
    pub records_moved: usize,
    /// Expected number of records the answer moves: `doubt × records_moved`. The
    /// queue is sorted by it, highest first.
    pub priority: f64,
}

/// Evidence gathered for one question candidate: the weights the decision rests on
/// and the pair to ask about (the weakest link, ties by ids).
struct Candidate<'a> {
    weights: Vec<f64>,
    /// The weakest link: the pair to ask, and its two records in the keys' order.
    weakest: Option<(Asked<'a>, [NodeId; 2])>,
}

/// A pair that could be asked: weight, the two keys in order, γ.
type Asked<'a> = (f64, &'a str, &'a str, Gamma);

impl<'a> Candidate<'a> {
    fn new() -> Self {
        Candidate {
            weights: Vec::new(),
            weakest: None,
        }
    }

    /// Offers pair `a`–`b` of weight `w` as the question: the weakest wins.
    fn offer(&mut self, w: f64, a: (&'a str, NodeId), b: (&'a str, NodeId), g: Gamma) {
        let (l, r) = if a.0 <= b.0 { (a, b) } else { (b, a) };
        let better = match self.weakest {
            None => true,
            Some(((w0, l0, r0, _), _)) => w
                .total_cmp(&w0)
                .then_with(|| (l.0, r.0).cmp(&(l0, r0)))
                .is_lt(),
        };
        if better {
            self.weakest = Some(((w, l.0, r.0, g), [l.1, r.1]));
        }
    }
}

/// Pair `asked` as an offered question of priority `doubt` × `moved` (none when the
/// priority is not above 0).
fn question(asked: Asked<'_>, doubt: f64, moved: usize, together: bool) -> Option<Offer<'_>> {
    let (w, left, right, g) = asked;
    let priority = doubt * moved as f64;
    (priority > 0.0).then_some(Offer {
        priority,
        left,
        right,
        w,
        g,
        together,
        doubt,
        moved,
    })
}

#[derive(Default)]
struct Support<'a> {
    total: f64,
    strongest: Option<(f64, &'a str, &'a str, Gamma)>,
}

impl<'a> Support<'a> {
    fn add(&mut self, w: f64, own: &'a str, partner: &'a str, g: Gamma) {
        self.total += probability_from_weight(w);
        let stronger = match self.strongest {
            None => true,
            Some((w0, _, p0, _)) => w.total_cmp(&w0).then_with(|| p0.cmp(partner)).is_gt(),
        };
        if stronger {
            self.strongest = Some((w, own, partner, g));
        }
    }
}

/// Disjoint sets over node handles (the records joined by must-links).
#[derive(Default)]
struct MustSets(AHashMap<u32, u32>);

impl MustSets {
    fn find(&mut self, n: NodeId) -> u32 {
        let mut x = n.0;
        while let Some(&p) = self.0.get(&x) {
            if p == x {
                break;
            }
            x = p;
        }
        // Path compression.
        let root = x;
        let mut y = n.0;
        while let Some(&p) = self.0.get(&y) {
            if p == y {
                break;
            }
            self.0.insert(y, root);
            y = p;
        }
        root
    }

    fn union(&mut self, a: NodeId, b: NodeId) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0.insert(hi, lo);
            self.0.entry(lo).or_insert(lo);
        }
    }
}

impl ProfileGraph {
    /// Up to `limit` questions (compared, unasserted pairs), ordered by how many
    /// records a person's answer is expected to move ([`ReviewQuestion::priority`]);
    /// ties by ids. Pairs whose answer would move nothing in expectation (priority 0)
    /// are left out.
    ///
    /// A question is about a decision of the profiles, and its doubt weighs all the
    /// evidence that decision rests on, contradictions included:
    ///
    /// - two profiles kept apart: the probability that they are one person, from every
    ///   compared pair across them: the larger of what they say together
    ///   ([`conjunction_probability`]) and the probability of their mean weight (the
    ///   clustering joins two clusters when their pairs link on average; the weights
    ///   it charges for disagreements of the clusters as wholes — a field missing on
    ///   a pair that the others say differs, a given name or birth date that differs
    ///   on every pair — are left out here, so twins or namesakes kept apart by them
    ///   may still be asked about); the pair
    ///   asked is the weakest of those (the contradiction that keeps them apart, or
    ///   the best hope of a link when none reaches the threshold), one question per two
    ///   profiles. Profiles with an asserted-different pair across them are settled
    ///   and not asked about;
    /// - a profile: the probability that it is not one person (1 − its cohesion, which
    ///   is also each member's confidence); the pair asked is the likelier stranger of
    ///   its weakest link with that record's strongest partner, or, once that record
    ///   was confirmed with a partner, the weakest link itself; one question per
    ///   profile.
    ///
    /// Answers already given settle more than their own pair: records joined by
    /// must-links (directly or through others) count as certainly one person, and
    /// pairs between them are not asked. So the queue asks where the profiles are
    /// most likely wrong, not where a single pair's probability merely disagrees with
    /// a decision the other links already explain.
    ///
    /// Answer with [`Review::answer`], which asserts the pair and keeps the answer as
    /// a label for [`Review::recalibrate`] and [`Review::retrain`].
    pub fn review_queue(&self, limit: usize) -> Vec<ReviewQuestion> {
        let links = self.links();
        let mut must = MustSets::default();
        let mut settled_apart: AHashSet<(ProfileId, ProfileId)> = AHashSet::new();
        for (a, b, same) in links.assertions() {
            if same {
                must.union(a, b);
            } else if let (Some(pa), Some(pb)) = (links.profile_of(a), links.profile_of(b)) {
                settled_apart.insert((pa.min(pb), pa.max(pb)));
            }
        }
        let mut apart: AHashMap<(ProfileId, ProfileId), Candidate<'_>> = AHashMap::new();
        let mut inside: AHashMap<ProfileId, Candidate<'_>> = AHashMap::new();
        // Per record slot (a table, not a map: every record of a profile has some).
        let mut support: Vec<Support<'_>> = (0..links.slot_count())
            .map(|_| Support::default())
            .collect();
        for (a, b, g, w, asserted) in links.edges_with_assertions() {
            if w.is_nan() {
                continue;
            }
            let (Some(pa), Some(pb), Some(ka), Some(kb)) = (
                links.profile_of(a),
                links.profile_of(b),
                links.key(a),
                links.key(b),
            ) else {
                continue;
            };
            if pa == pb {
                let settled = asserted || must.find(a) == must.find(b);
                let evidence = if settled {
                    f64::INFINITY
                } else {
                    self.reported_weight(g, w, true)
                };
                let c = inside.entry(pa).or_insert_with(Candidate::new);
                c.weights.push(evidence);
                if !settled {
                    c.offer(w, (ka, a), (kb, b), g);
                    for (x, kx, ky) in [(a, ka, kb), (b, kb, ka)] {
                        if let Some(s) = support.get_mut(x.index()) {
                            s.add(w, kx, ky, g);
                        }
                    }
                }
            } else {
                let key = (pa.min(pb), pa.max(pb));
                if settled_apart.contains(&key) {
                    continue;
                }
                let c = apart.entry(key).or_insert_with(Candidate::new);
                c.weights.push(self.reported_weight(g, w, false));
                if !asserted {
                    c.offer(w, (ka, a), (kb, b), g);
                }
            }
        }
        let size = |p: ProfileId| links.members(p).map_or(0, <[_]>::len);
        // Offers are kept light (no strings copied): a million records make hundreds
        // of thousands of them, and only `limit` become questions.
        let mut offers: Vec<Offer<'_>> = Vec::new();
        for (&(pa, pb), c) in &apart {
            let Some((asked, _)) = c.weakest else {
                continue;
            };
            let doubt = apart_doubt(&c.weights);
            offers.extend(question(asked, doubt, size(pa).min(size(pb)), false));
        }
        for c in inside.values() {
            // The weakest link names the doubt; of its two records, the one with less
            // support in the profile is the likelier stranger, and the pair asked is
            // that record with its strongest partner: a "different" then cuts the
            // stranger from the profile's core, instead of cutting a true member away
            // from a stranger that is strongly tied to the rest.
            // Once the stranger was confirmed with a partner ("same"), asking it with
            // its next partner only confirms again: then the weakest link itself is
            // asked.
            let Some((weakest, [l, r])) = c.weakest else {
                continue;
            };
            let of = |n: NodeId| support.get(n.index()).map(|s| (n.0, s));
            let (stranger, support) = match (of(l), of(r)) {
                (Some(sl), Some(sr)) if sr.1.total < sl.1.total => sr,
                (Some(sl), _) => sl,
                (None, Some(sr)) => sr,
                (None, None) => continue,
            };
            let asked = match (support.strongest, must.0.contains_key(&stranger)) {
                (Some((w, x, y, g)), false) if x <= y => (w, x, y, g),
                (Some((w, x, y, g)), false) => (w, y, x, g),
                _ => weakest,
            };
            let confidence =
                conjunction_probability(c.weights.iter().copied(), LINK_DISCOUNT).unwrap_or(1.0);
            offers.extend(question(asked, 1.0 - confidence, 1, true));
        }
        top_offers(offers, limit)
            .into_iter()
            .map(|o| ReviewQuestion {
                left: o.left.to_string(),
                right: o.right.to_string(),
                probability: probability_from_weight(self.reported_weight(o.g, o.w, o.together)),
                together: o.together,
                doubt: o.doubt,
                records_moved: o.moved,
                priority: o.priority,
            })
            .collect()
    }
}

/// A question offered before it is chosen: borrowed keys, no strings copied.
#[derive(Clone, Copy)]
struct Offer<'a> {
    priority: f64,
    left: &'a str,
    right: &'a str,
    w: f64,
    g: Gamma,
    together: bool,
    doubt: f64,
    moved: usize,
}

/// The first `limit` of `offers` by priority (highest first), then pair; one per
/// pair, the one offered with the highest priority (on a tie, the one offered first).
fn top_offers(offers: Vec<Offer<'_>>, limit: usize) -> Vec<Offer<'_>> {
    // A total order: the offer index breaks the last ties.
    let mut offers: Vec<(usize, Offer<'_>)> = offers.into_iter().enumerate().collect();
    let order = |x: &(usize, Offer<'_>), y: &(usize, Offer<'_>)| {
        y.1.priority
            .total_cmp(&x.1.priority)
            .then_with(|| (x.1.left, x.1.right).cmp(&(y.1.left, y.1.right)))
            .then(x.0.cmp(&y.0))
    };
    // Only the head is sorted; when repeated pairs leave it short, it is widened.
    let mut head = limit.saturating_mul(2).max(64);
    loop {
        let cut = head < offers.len();
        if cut {
            offers.select_nth_unstable_by(head, order);
        }
        let n = head.min(offers.len());
        let top = &mut offers[..n];
        top.sort_unstable_by(order);
        let mut seen: AHashSet<(&str, &str)> = AHashSet::new();
        let chosen: Vec<Offer<'_>> = top
            .iter()
            .filter(|(_, o)| seen.insert((o.left, o.right)))
            .map(|&(_, o)| o)
            .take(limit)
            .collect();
        if chosen.len() == limit || !cut {
            return chosen;
        }
        head = head.saturating_mul(2);
    }
}

/// A reviewer's answers: each is applied to the graph at once (as an assertion) and
/// kept as a label ([`Labels::pairs`]) that recalibrates ([`Review::recalibrate`]) or
/// retrains ([`Review::retrain`]) the model.
///
/// ```
/// use sameas::{Config, FieldKind, ProfileGraph, Record, Schema};
/// use sameas::profiles::Review;
/// let schema = Schema::from_fields([("given_name", FieldKind::GivenName),
///     ("family_name", FieldKind::FamilyName), ("email", FieldKind::Email)])?;
/// let mut graph = ProfileGraph::new(Config::infer(schema.clone())?)?;
/// let rec = |id: &str, email: &str| Record::builder(&schema, id)
///     .value("given_name", "Ana").value("family_name", "Pop").value("email", email).build();
/// graph.add_batch(vec![rec("a", "ana@example.com")?, rec("b", "ana@example.com")?])?;
/// let mut review = Review::default();
/// review.answer(&mut graph, "a", "b", false)?;
/// assert_ne!(graph.profile_of("a"), graph.profile_of("b"));
/// assert_eq!(review.labels().pairs, vec![("a".to_string(), "b".to_string(), false)]);
/// // The answer also recalibrates what the graph reports for pairs like it.
/// let calibration = review.recalibrate(&mut graph, 1.0)?;
/// assert_eq!(calibration.judged, (1, 0));
/// assert!(graph.model().calibration().is_some());
/// # Ok::<(), sameas::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Review {
    labels: Labels,
    /// Per answered pair (ids in order): were its records in one profile when asked,
    /// and the context weight of the pair then ([`JudgedPair::context`]).
    asked: BTreeMap<(String, String), (bool, f64)>,
}

impl Review {
    /// Records the answer "`a` and `b` are (`same`) / are not the same person":
    /// asserts it on `graph` ([`ProfileGraph::assert_same`] /
    /// [`ProfileGraph::assert_different`]), so the profiles change now, and keeps it as
    /// a label, with whether the two were in one profile when asked and what the
    /// profiles then said about them (a later answer on the same pair replaces the
    /// earlier one, and a changed answer withdraws the earlier assertion first).
    ///
    /// What the profiles said, under the model's own weights: when the two are in one
    /// profile, its cohesion (the unions that formed it: the answer says whether the
    /// profile is one person); when apart, the probability that their two
    /// profiles are one person (every compared pair across them, as the review
    /// queue's doubt). Kept as the answer's [`JudgedPair::context`]: the queue chooses
    /// its questions by that evidence, and [`Review::recalibrate`] measures each
    /// answer against it, so that what the queue chose for is not learned as a
    /// property of the pair's levels.
    pub fn answer(
        &mut self,
        graph: &mut ProfileGraph,
        a: &str,
        b: &str,
        same: bool,
    ) -> Result<Vec<Event>> {
        let together = graph.profile_of(a).is_some() && graph.profile_of(a) == graph.profile_of(b);
        let context = context_weight(graph, a, b);
        let key = |x: &str, y: &str| {
            if x <= y {
                (x.to_string(), y.to_string())
            } else {
                (y.to_string(), x.to_string())
            }
        };
        let (l, r) = key(a, b);
        let previous = self
            .labels
            .pairs
            .iter()
            .find(|(x, y, _)| key(x, y) == (l.clone(), r.clone()))
            .map(|p| p.2);
        // A changed answer withdraws the old assertion first: a cannot-link would
        // otherwise win over the new must-link.
        let mut events = if previous == Some(!same) {
            graph.retract(a, b)?
        } else {
            Vec::new()
        };
        events.extend(if same {
            graph.assert_same(a, b)?
        } else {
            graph.assert_different(a, b)?
        });
        self.labels
            .pairs
            .retain(|(x, y, _)| key(x, y) != (l.clone(), r.clone()));
        self.labels.pairs.push((l.clone(), r.clone(), same));
        self.asked.insert((l, r), (together, context));
        Ok(events)
    }

    /// The answers so far, as labels.
    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// Number of answers kept.
    pub fn len(&self) -> usize {
        self.labels.pairs.len()
    }

    /// True before the first answer.
    pub fn is_empty(&self) -> bool {
        self.labels.pairs.is_empty()
    }

    /// The answered pairs the graph compared, with their γ, model weight, whether they
    /// were in one profile when asked, and the answer: what [`Review::recalibrate`]
    /// fits.
    pub fn judged(&self, graph: &ProfileGraph) -> Vec<JudgedPair> {
        let links = graph.links();
        self.labels
            .pairs
            .iter()
            .filter_map(|(a, b, same)| {
                let info = links.pair(links.node(a)?, links.node(b)?)?;
                let weight = info.weight.filter(|w| !w.is_nan())?;
                let gamma = info.gamma?;
                let (together, context) = self
                    .asked
                    .get(&(a.clone(), b.clone()))
                    .copied()
                    .unwrap_or((false, weight));
                Some(JudgedPair {
                    gamma,
                    weight,
                    context: if context.is_nan() { weight } else { context },
                    together,
                    same: *same,
                })
            })
            .collect()
    }

    /// Recalibrates the probabilities `graph` reports from the answers so far: fits a
    /// [`Recalibration`] on the answered pairs (their γ, model weights and contexts,
    /// whether they were in one profile when asked, and the answers;
    /// [`Recalibration::fit`] with `strength`, 1.0 being a good default: corrections
    /// per side and per comparison level and side, and the answers per γ pattern,
    /// which pairs of the same pattern then follow), anchors it to the model on every
    /// compared pair ([`Recalibration::anchor`]) and installs it in the graph's model
    /// ([`ProfileGraph::set_calibration`]). Pair probabilities, memberships, cohesion
    /// and the review queue then use it; the weights clustering cuts, and so the
    /// profiles, do not change. One pass over the compared pairs (and a sort of
    /// them): call it after every answer, or every few on large graphs.
    ///
    /// The answered pairs are the queue's questions, chosen for doubt, not at random.
    /// Each is measured against the evidence it was chosen by (its
    /// [`JudgedPair::context`]), and the anchors keep, per band of model weight, the
    /// model's count of matches: the answers decide how a weight's matches divide
    /// between pairs inside profiles and pairs across them, not how many there are.
    pub fn recalibrate(&self, graph: &mut ProfileGraph, strength: f64) -> Result<Recalibration> {
        let mut calibration = Recalibration::fit(&self.judged(graph), strength)?;
        let links = graph.links();
        calibration.anchor(
            links
                .edges()
                .map(|(a, b, g, w)| (g, w, links.profile_of(a) == links.profile_of(b))),
        );
        graph.set_calibration(Some(calibration.clone()))?;
        Ok(calibration)
    }

    /// Retrains the model with the answers ([`ProfileGraph::train_labelled`]): the
    /// current profiles, which the answers have already corrected, are the entities
    /// (every compared pair inside a profile counts towards m, so the few hard pairs a
    /// reviewer saw do not alone decide m), and the answers are the judged pairs.
    /// The assertions stay; the new scores re-cluster everything else. The new model
    /// starts without a recalibration: call [`Review::recalibrate`] again.
    pub fn retrain(
        &self,
        graph: &mut ProfileGraph,
        smoothing: f64,
    ) -> Result<(SupervisedReport, Vec<Event>)> {
        let mut labels = self.labels.clone();
        for (p, members) in graph.profiles() {
            if members.len() > 1 {
                labels
                    .entities
                    .extend(members.iter().map(|m| (m.to_string(), p.0.to_string())));
            }
        }
        graph.train_labelled(&labels, smoothing)
    }
}

/// The log2 odds, under the model's own weights, of the decision a question about `a`
/// and `b` is about ([`Review::answer`]): the cohesion of their profile when they are
/// in one, else the probability that their two profiles are one person
/// ([`apart_doubt`], every compared pair across them); the pair's own weight when
/// neither is in a profile. NaN when the pair was not compared.
fn context_weight(graph: &ProfileGraph, a: &str, b: &str) -> f64 {
    let links = graph.links();
    let (Some(na), Some(nb)) = (links.node(a), links.node(b)) else {
        return f64::NAN;
    };
    let Some(w) = links
        .pair(na, nb)
        .and_then(|i| i.weight)
        .filter(|w| !w.is_nan())
    else {
        return f64::NAN;
    };
    let decision = match (links.profile_of(na), links.profile_of(nb)) {
        (Some(pa), Some(pb)) if pa == pb => links.cohesion(pa),
        (Some(pa), Some(pb)) => {
            // Sorted, so that the mean does not depend on the order pairs were stored.
            let mut across = links.across_weights(pa, pb);
            across.sort_unstable_by(f64::total_cmp);
            Some(apart_doubt(&across))
        }
        _ => None,
    };
    decision.map_or(w, weight_from_probability)
}

/// How likely two profiles kept apart are one person, from the compared pairs across
/// them: the clustering joins two clusters only when their compared pairs link on
/// average, so the doubt is the larger of what the pairs say together
/// ([`conjunction_probability`]) and the probability of their mean weight.
fn apart_doubt(weights: &[f64]) -> f64 {
    let together = conjunction_probability(weights.iter().copied(), LINK_DISCOUNT).unwrap_or(0.0);
    let finite: Vec<f64> = weights.iter().copied().filter(|w| w.is_finite()).collect();
    if finite.len() < 2 {
        return together;
    }
    let mean = finite.iter().sum::<f64>() / finite.len() as f64;
    together.max(probability_from_weight(mean))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KEYS: [&str; 5] = ["a", "b", "c", "d", "e"];

    fn offers_from(spec: &[(u8, u8, u8)]) -> Vec<Offer<'static>> {
        spec.iter()
            .enumerate()
            .map(|(i, &(p, l, r))| Offer {
                // Few priorities and pairs: ties and repeated pairs are common.
                priority: f64::from(p % 4) + 0.5,
                left: KEYS[usize::from(l) % KEYS.len()],
                right: KEYS[usize::from(r) % KEYS.len()],
                w: i as f64,
                g: Gamma(0),
                together: i % 2 == 0,
                doubt: 0.5,
                moved: i,
            })
            .collect()
    }

    /// The questions as the queue chose them before it kept offers light: sort by
    /// pair then priority (highest first), keep the first of each pair, sort by
    /// priority then pair (both stable), take `limit`.
    fn reference(offers: Vec<Offer<'static>>, limit: usize) -> Vec<(usize, &'static str)> {
        let mut q = offers;
        q.sort_by(|x, y| {
            (x.left, x.right)
                .cmp(&(y.left, y.right))
                .then_with(|| y.priority.total_cmp(&x.priority))
        });
        q.dedup_by(|later, first| (later.left, later.right) == (first.left, first.right));
        q.sort_by(|x, y| {
            y.priority
                .total_cmp(&x.priority)
                .then_with(|| (x.left, x.right).cmp(&(y.left, y.right)))
        });
        q.truncate(limit);
        q.iter().map(|o| (o.moved, o.left)).collect()
    }

    proptest! {
        /// Choosing from a sorted head (widened when repeated pairs leave it short)
        /// picks the same questions, in the same order, as sorting every offer.
        #[test]
        fn top_offers_equal_sorting_every_offer(
            spec in prop::collection::vec((0u8..8, 0u8..5, 0u8..5), 0..400),
            limit in 0usize..30,
        ) {
            let offers = offers_from(&spec);
            let got: Vec<(usize, &str)> =
                top_offers(offers.clone(), limit).iter().map(|o| (o.moved, o.left)).collect();
            prop_assert_eq!(got, reference(offers, limit));
        }
    }
}
