//! Evaluation of a resolved [`ProfileGraph`] against the truth.
//!
//! A million records have millions of compared pairs, so everything here works by
//! node handle: each listed id is looked up by its string once or twice (for its
//! node, for its profile), and then the pairs are counted (or binned) through flat
//! per-node tables, never through maps keyed by id strings, and
//! without a list of every pair where counts will do. The results are those of the
//! string-keyed definitions, bit for bit (documented on each function).

use super::{
    bcubed_of, check_lengths, dense_labels, listed_twice, pairs_within_labels,
    pairwise_of_clusters, Evaluation, PairwiseMetrics, Reliability, ReliabilityCounts,
};
use crate::error::{Error, ErrorKind, Result};
use crate::graph::NodeId;
use crate::profiles::ProfileGraph;
use ahash::AHashSet;
use std::hash::Hash;

/// Marks a node slot that no listed id names.
const UNLISTED: u32 = u32::MAX;

/// Where the listed record ids sit in the graph.
struct Listed {
    /// The position in `ids` of each node slot; [`UNLISTED`] for the others.
    position: Vec<u32>,
}

impl Listed {
    /// Looks every id up once; fails when an id is listed twice.
    fn new(graph: &ProfileGraph, ids: &[&str]) -> Result<Listed> {
        if ids.len() >= UNLISTED as usize {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "{} record ids; at most {} can be evaluated",
                    ids.len(),
                    UNLISTED - 1
                ),
            ));
        }
        let links = graph.links();
        let mut position = Vec::new();
        // Ids the graph does not hold must not repeat either.
        let mut absent: AHashSet<&str> = AHashSet::new();
        for (i, &id) in ids.iter().enumerate() {
            match links.node(id) {
                Some(n) => {
                    if position.len() <= n.index() {
                        position.resize(n.index() + 1, UNLISTED);
                    }
                    if position[n.index()] != UNLISTED {
                        return Err(listed_twice(id));
                    }
                    position[n.index()] = i as u32;
                }
                None => {
                    if !absent.insert(id) {
                        return Err(listed_twice(id));
                    }
                }
            }
        }
        Ok(Listed { position })
    }

    /// The position in `ids` of node `n`, if listed.
    fn position(&self, n: NodeId) -> Option<usize> {
        match self.position.get(n.index()) {
            Some(&p) if p != UNLISTED => Some(p as usize),
            _ => None,
        }
    }
}

/// Pairs taken as matches, and how many of them are true.
#[derive(Default)]
struct Tally {
    pairs: u64,
    true_pairs: u64,
}

impl Tally {
    fn add(&mut self, same: bool) {
        self.pairs += 1;
        self.true_pairs += u64::from(same);
    }

    /// The metrics against `true_pairs` pairs in the truth (as
    /// [`pairwise_from_pairs`](super::pairwise_from_pairs) counts them).
    fn metrics(&self, true_pairs: u64) -> PairwiseMetrics {
        let tp = self.true_pairs;
        PairwiseMetrics::from_counts(
            tp,
            self.pairs.saturating_sub(tp),
            true_pairs.saturating_sub(tp),
        )
    }
}

impl Evaluation {
    /// Scores `graph` against the truth: `ids[i]` is a record id and `truth[i]` the
    /// entity it truly belongs to (labels are opaque; only equality matters). Records
    /// of the graph not in `ids` are left out; ids the graph does not hold have no
    /// profile (they count as one cluster, that of "no profile").
    ///
    /// Memory beyond the graph is a few numbers per record: the compared pairs are
    /// counted as they are read (each is stored once), not collected.
    ///
    /// ```
    /// use sameas::{Config, Evaluation, FieldKind, ProfileGraph, Record, Schema};
    /// let schema = Schema::from_fields([("given_name", FieldKind::GivenName),
    ///     ("family_name", FieldKind::FamilyName), ("email", FieldKind::Email)])?;
    /// let mut graph = ProfileGraph::new(Config::infer(schema.clone())?)?;
    /// let rec = |id: &str, email: &str| Record::builder(&schema, id)
    ///     .value("given_name", "Ana").value("family_name", "Pop").value("email", email).build();
    /// graph.add_batch(vec![rec("a", "ana@example.com")?, rec("b", "ana@example.com")?])?;
    /// let eval = Evaluation::of(&graph, &["a", "b"], &["p1", "p1"])?;
    /// assert_eq!(eval.clusters.f1, 1.0);
    /// assert_eq!(eval.blocking.recall, 1.0);
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn of<T: Eq + Hash>(graph: &ProfileGraph, ids: &[&str], truth: &[T]) -> Result<Evaluation> {
        if ids.len() != truth.len() {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!("{} record ids but {} truth labels", ids.len(), truth.len()),
            ));
        }
        let truth_labels = dense_labels(truth.iter());
        let listed = Listed::new(graph, ids)?;
        let links = graph.links();
        // Profile of each listed id (`None`: not in the graph, or in no profile yet).
        let predicted = dense_labels(
            ids.iter()
                .map(|&id| links.node(id).and_then(|n| links.profile_of(n))),
        );
        let threshold = graph.config().threshold;
        let (mut compared, mut above) = (Tally::default(), Tally::default());
        for (a, b, p) in graph.scored_edges() {
            let (Some(i), Some(j)) = (listed.position(a), listed.position(b)) else {
                continue;
            };
            let same = truth_labels[i] == truth_labels[j];
            compared.add(same);
            if p >= threshold {
                above.add(same);
            }
        }
        let true_pairs = pairs_within_labels(&truth_labels);
        Ok(Evaluation {
            threshold,
            blocking: compared.metrics(true_pairs),
            scored: above.metrics(true_pairs),
            clusters: pairwise_of_clusters(&predicted, &truth_labels)?,
            bcubed: bcubed_of(&predicted, &truth_labels)?,
        })
    }
}

impl Reliability {
    /// The table of the graph's scored pairs against the truth: the same table as
    /// `Reliability::of(graph.scored_pairs(), ids, truth, bins)`, counted as the pairs
    /// are read (the table does not depend on their order), without a list of them.
    /// Pairs naming an id not in `ids` are left out.
    pub fn of_graph<T: Eq + Hash>(
        graph: &ProfileGraph,
        ids: &[&str],
        truth: &[T],
        bins: usize,
    ) -> Result<Self> {
        check_lengths(ids.len(), truth.len())?;
        let labels = dense_labels(truth.iter());
        let listed = Listed::new(graph, ids)?;
        let mut counts = ReliabilityCounts::new(bins);
        graph.reported_pairs(|r| {
            if let (Some(i), Some(j)) = (listed.position(r.a), listed.position(r.b)) {
                counts.add(r.probability, labels[i] == labels[j]);
            }
        });
        Ok(counts.finish())
    }
}

/// For every record of `ids` in a profile of two or more: its membership confidence
/// and whether it is *correctly placed* (every other member of its profile is truly
/// the same person), in the order of `ids`. Feed it to [`auc`](super::auc) to see how
/// well confidence finds the records that share a profile with another person.
///
/// Every member of a profile has the same confidence (the profile's
/// [`cohesion`](ProfileGraph::cohesion)) and is correctly placed exactly when all
/// members are one true entity, so both are worked out once per profile, profile by
/// profile, straight into each member's place (no table of every profile's result).
pub fn placements<T: Eq + Hash>(
    graph: &ProfileGraph,
    ids: &[&str],
    truth: &[T],
) -> Result<Vec<(f64, bool)>> {
    check_lengths(ids.len(), truth.len())?;
    let labels = dense_labels(truth.iter());
    let listed = Listed::new(graph, ids)?;
    let entity = |m: NodeId| listed.position(m).map(|i| labels[i]);
    // NaN marks a record in no profile of two or more, dropped at the end (a
    // cohesion is a probability, never NaN).
    let mut out = vec![(f64::NAN, false); ids.len()];
    for (profile, members) in graph.links().profiles() {
        if members.iter().all(|&m| listed.position(m).is_none()) {
            continue;
        }
        let Some(confidence) = graph.cohesion(profile) else {
            continue;
        };
        let first = members.first().and_then(|&m| entity(m));
        let clean = first.is_some() && members.iter().all(|&m| entity(m) == first);
        for i in members.iter().filter_map(|&m| listed.position(m)) {
            out[i] = (confidence, clean);
        }
    }
    out.retain(|(confidence, _)| !confidence.is_nan());
    out.shrink_to_fit();
    Ok(out)
}
