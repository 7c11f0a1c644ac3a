//! Reading profiles back: membership with confidence, explanations, golden records,
//! and the progress reports of long operations.

use super::scoring::{shared_frequency, Scorer};
use super::ProfileGraph;
use crate::compare::Gamma;
use crate::error::{Error, ErrorKind, Result};
use crate::golden::{golden_record, GoldenRecord, GoldenRules};
use crate::graph::{NodeId, ProfileExplanation, ProfileId};
use crate::model::{probability_from_weight, ConfidenceBand, Explanation};
use crate::normalize::{normalize_value, Normalized};
use crate::record::Record;

/// Which long-running stage a [`Progress`] report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProgressStage {
    /// Normalizing and indexing records.
    Prepare,
    /// Comparing candidate pairs.
    Compare,
    /// Comparing random pairs to estimate `u`.
    SampleU,
    /// EM training.
    Train,
    /// Scoring compared pairs.
    Score,
    /// Clustering into profiles.
    Cluster,
}

/// A progress report: `done` of `total` units of `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub stage: ProgressStage,
    /// Units done.
    pub done: u64,
    /// Units in all.
    pub total: u64,
}

/// A record's place in its profile.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Membership {
    /// The profile.
    pub profile: ProfileId,
    /// Confidence that the record belongs there: the probability that it is the same
    /// person as every other member, which by transitivity is the probability that
    /// the profile is one person — every union that formed it, weighed with the
    /// evidence the clustering read between the two groups it joined (every compared
    /// pair inside the profile among them, contradictions included;
    /// [`LinkGraph::confidence`](crate::graph::LinkGraph::confidence)), through the
    /// model's recalibration when reviewed answers fitted one; `None` for a profile of
    /// one record.
    pub confidence: Option<f64>,
    /// The named band of the confidence under the configuration's
    /// [`bands`](crate::Config::bands) (a lone record is `Certain` of itself).
    pub band: ConfidenceBand,
}

impl Membership {
    /// The named band of the confidence (see [`Membership::band`](#structfield.band)).
    pub fn band(&self) -> ConfidenceBand {
        self.band
    }
}

impl ProfileGraph {
    /// The node of a record id, or an [`ErrorKind::UnknownRecord`] error.
    pub(crate) fn node_of(&self, id: &str) -> Result<NodeId> {
        self.links.node(id).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownRecord,
                format!("no record with id {id:?}"),
            )
        })
    }

    /// The record with `id`.
    pub fn record(&self, id: &str) -> Option<&Record> {
        let n = self.links.node(id)?;
        self.records.get(n.0 as usize)?.as_ref()
    }

    /// The caller's id of a node (as named in events).
    pub fn record_id(&self, node: NodeId) -> Option<&str> {
        self.links.key(node)
    }

    /// The profile of record `id`.
    pub fn profile_of(&self, id: &str) -> Option<ProfileId> {
        self.links.profile_of(self.links.node(id)?)
    }

    /// The record's profile and how confident its membership is (the profile's
    /// [`cohesion`](ProfileGraph::cohesion), see [`Membership::confidence`]). Replays
    /// the unions of the profile (about one pass over its pairs per halving of its
    /// size); to read every member of a large profile, read its cohesion once.
    pub fn membership(&self, id: &str) -> Option<Membership> {
        let n = self.links.node(id)?;
        let confidence = self
            .links
            .confidence_with(n, |g, w| self.reported_weight(g, w, true));
        Some(Membership {
            profile: self.links.profile_of(n)?,
            confidence,
            band: self.config.bands.band(confidence.unwrap_or(1.0)),
        })
    }

    /// Record ids of a profile's members, sorted.
    pub fn members(&self, profile: ProfileId) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .links
            .members(profile)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&n| self.links.key(n))
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Every profile with its member record ids, in profile-ID order.
    pub fn profiles(&self) -> Vec<(ProfileId, Vec<&str>)> {
        self.links
            .profiles()
            .map(|(p, _)| (p, self.members(p)))
            .collect()
    }

    /// Cohesion of a profile: the probability that all its members are one person,
    /// from the unions that form it, weighed with the evidence the clustering rule reads
    /// ([`LinkGraph::cohesion`](crate::graph::LinkGraph::cohesion)).
    pub fn cohesion(&self, profile: ProfileId) -> Option<f64> {
        self.links
            .cohesion_with(profile, |g, w| self.reported_weight(g, w, true))
    }

    /// The weight a compared pair of γ `g` and model weight `w` is reported with:
    /// through the model's [`Recalibration`](crate::model::Recalibration) when it has
    /// one (`together`: the pair's records are in one profile), else `w`.
    pub(crate) fn reported_weight(&self, g: crate::compare::Gamma, w: f64, together: bool) -> f64 {
        match self.model.calibration() {
            Some(c) => c.weight(g, w, together),
            None => w,
        }
    }

    /// The waterfall for any two records (compared now, whether or not they were a
    /// candidate pair): prior, each comparison's level, Bayes factor, weight and TF
    /// adjustment, the household and veto lines when they apply, total weight and
    /// probability (the pair's score).
    pub fn explain_pair(&self, a: &str, b: &str) -> Result<Explanation> {
        let (na, nb) = (self.node_of(a)?, self.node_of(b)?);
        let (Some(Some(pa)), Some(Some(pb))) = (
            self.prepared.get(na.0 as usize),
            self.prepared.get(nb.0 as usize),
        ) else {
            return Err(Error::new(
                ErrorKind::UnknownRecord,
                "record is not prepared",
            ));
        };
        let g = self.set.gamma(pa, pb);
        let why = self.model.explain(g, |c| {
            shared_frequency(&self.set, &self.scoring_tf, pa, pb, c)
        });
        Ok(if self.set.is_vetoed(g, self.config.veto_quorum) {
            why.capped_at(Scorer::veto_cap(self.config.veto))
        } else {
            why
        })
    }

    /// The links that hold a profile together and the weakest of them.
    pub fn explain_profile(&self, profile: ProfileId) -> Option<ProfileExplanation> {
        self.links.explain_profile(profile)
    }

    /// The golden record of a profile under `rules`: per field the surviving values,
    /// each naming the record it came from.
    pub fn golden(&self, profile: ProfileId, rules: &GoldenRules) -> Result<GoldenRecord> {
        let members = self.links.members(profile).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownRecord,
                format!("no profile {}", profile.0),
            )
        })?;
        let records: Vec<&Record> = members
            .iter()
            .filter_map(|n| self.records.get(n.0 as usize).and_then(Option::as_ref))
            .collect();
        let options = &self.config.normalize;
        golden_record(
            &self.config.schema,
            &records,
            rules,
            |kind, raw| match normalize_value(kind, raw, options) {
                Normalized::Valid(s) => s,
                Normalized::Empty | Normalized::Invalid(_) => String::new(),
            },
        )
    }

    /// Every compared pair as `(record id, record id, probability)`, ids of each pair
    /// in ascending order, pairs sorted. The probability is the one
    /// [`ProfileGraph::pair_rows`] reports: the pair read with its profiles.
    pub fn scored_pairs(&self) -> Vec<(&str, &str, f64)> {
        let mut v: Vec<(&str, &str, f64)> = Vec::with_capacity(self.links.pair_count());
        self.reported_pairs(|r| {
            if let (Some(ka), Some(kb)) = (self.links.key(r.a), self.links.key(r.b)) {
                let p = r.probability;
                v.push(if ka <= kb { (ka, kb, p) } else { (kb, ka, p) });
            }
        });
        // Each pair of ids appears once, so an unstable sort gives the same order
        // (and needs no buffer of half the pairs beside them).
        v.sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
        v
    }

    /// Calls `f` for every compared pair, in no particular order, with the two
    /// probabilities a pair is reported with (see [`ReportedPair`]).
    pub(crate) fn reported_pairs(&self, mut f: impl FnMut(ReportedPair)) {
        self.links.for_each_pair_in_context(
            |g, w, together| self.reported_weight(g, w, together),
            |a, b, gamma, weight, own, context| {
                f(ReportedPair {
                    a,
                    b,
                    gamma,
                    weight,
                    pair_probability: probability_from_weight(own),
                    probability: probability_from_weight(context),
                })
            },
        );
    }

    /// Every compared pair as `(node, node, probability)` in storage order, the
    /// probability from the pair's own comparisons (recalibrated when the model has a
    /// recalibration), not read with the profiles: what the pair alone says, as
    /// evaluation's "scored pairs above the threshold" counts it.
    pub(crate) fn scored_edges(&self) -> impl Iterator<Item = (NodeId, NodeId, f64)> + '_ {
        self.links.edges().map(|(a, b, g, w)| {
            let together = self.links.profile_of(a) == self.links.profile_of(b);
            let p = crate::model::probability_from_weight(self.reported_weight(g, w, together));
            (a, b, p)
        })
    }
}

/// One compared pair as the graph reports it.
pub(crate) struct ReportedPair {
    pub a: NodeId,
    pub b: NodeId,
    pub gamma: Gamma,
    /// The model's match weight of the pair's own comparisons.
    pub weight: f64,
    /// The pair's own probability: of `weight`, through the model's
    /// [`Recalibration`](crate::model::Recalibration) when reviewed pairs fitted one.
    pub pair_probability: f64,
    /// The probability read with the profiles, from the own weights (recalibrated
    /// when there is a recalibration): inside one profile at least the weakest link
    /// of the strongest chain of pairs joining the two records there, across two at
    /// most the mean weight of the pairs between them (see `graph/context.rs`) — on
    /// generated customers the clustering's verdict is mostly right where the pair's
    /// own comparisons are unsure.
    pub probability: f64,
}
