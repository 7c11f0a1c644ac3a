//! The review loop: which pairs a person should look at first, their answers applied
//! to the profiles at once, and kept as labels that retrain the model.

use super::{Labels, ProfileGraph};
use crate::error::Result;
use crate::graph::Event;
use crate::model::{probability_from_weight, SupervisedReport};
use ahash::AHashMap;

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
    /// Records whose profile changes if the answer goes against the current profiles:
    /// the smaller of the two profiles when apart (a "same" merges them), 1 when
    /// together (a "different" moves at least one record out).
    pub records_moved: usize,
    /// Expected number of records the answer moves: the probability that it goes
    /// against the current profiles (`probability` when apart, `1 − probability` when
    /// together) times `records_moved`. The queue is sorted by it, highest first.
    pub priority: f64,
}

impl ProfileGraph {
    /// Up to `limit` compared, unasserted pairs, ordered by how much a person's answer
    /// is expected to change the profiles ([`ReviewQuestion::priority`]: the chance
    /// that the answer contradicts the profiles, as the pair's probability says, times
    /// the records it would move); ties by ids. Pairs whose answer would move nothing
    /// in expectation (priority 0) are left out.
    ///
    /// Answer with [`Review::answer`], which asserts the pair and keeps the answer as
    /// a label for [`Review::retrain`].
    pub fn review_queue(&self, limit: usize) -> Vec<ReviewQuestion> {
        let links = self.links();
        let mut size: AHashMap<u64, usize> = AHashMap::new();
        let mut questions: Vec<ReviewQuestion> = Vec::new();
        for (a, b, _, w) in links.edges() {
            let Some(info) = links.pair(a, b) else {
                continue;
            };
            if info.asserted_same || info.asserted_different || w.is_nan() {
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
            let p = probability_from_weight(w);
            let together = pa == pb;
            let mut members = |p: crate::ProfileId| {
                *size
                    .entry(p.0)
                    .or_insert_with(|| links.members(p).map_or(0, <[_]>::len))
            };
            let (against, moved) = if together {
                (1.0 - p, 1)
            } else {
                (p, members(pa).min(members(pb)))
            };
            let priority = against * moved as f64;
            if priority > 0.0 {
                let (left, right) = if ka <= kb { (ka, kb) } else { (kb, ka) };
                questions.push(ReviewQuestion {
                    left: left.to_string(),
                    right: right.to_string(),
                    probability: p,
                    together,
                    records_moved: moved,
                    priority,
                });
            }
        }
        questions.sort_by(|x, y| {
            y.priority
                .total_cmp(&x.priority)
                .then_with(|| (&x.left, &x.right).cmp(&(&y.left, &y.right)))
        });
        questions.truncate(limit);
        questions
    }
}

/// A reviewer's answers: each is applied to the graph at once (as an assertion) and
/// kept as a label ([`Labels::pairs`]) for retraining.
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
/// # Ok::<(), sameas::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Review {
    labels: Labels,
}

impl Review {
    /// Records the answer "`a` and `b` are (`same`) / are not the same person":
    /// asserts it on `graph` ([`ProfileGraph::assert_same`] /
    /// [`ProfileGraph::assert_different`]), so the profiles change now, and keeps it as
    /// a label (a later answer on the same pair replaces the earlier one).
    pub fn answer(
        &mut self,
        graph: &mut ProfileGraph,
        a: &str,
        b: &str,
        same: bool,
    ) -> Result<Vec<Event>> {
        let events = if same {
            graph.assert_same(a, b)?
        } else {
            graph.assert_different(a, b)?
        };
        let key = |x: &str, y: &str| {
            if x <= y {
                (x.to_string(), y.to_string())
            } else {
                (y.to_string(), x.to_string())
            }
        };
        let (l, r) = key(a, b);
        self.labels
            .pairs
            .retain(|(x, y, _)| key(x, y) != (l.clone(), r.clone()));
        self.labels.pairs.push((l, r, same));
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

    /// Retrains the model with the answers ([`ProfileGraph::train_labelled`]): the
    /// current profiles, which the answers have already corrected, are the entities
    /// (every compared pair inside a profile counts towards m, so the few hard pairs a
    /// reviewer saw do not alone decide m), and the answers are the judged pairs.
    /// The assertions stay; the new scores re-cluster everything else.
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
