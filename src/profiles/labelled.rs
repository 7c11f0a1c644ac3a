//! Training a model from labels: known entities of some records, or pairs a person
//! has judged.

use super::ProfileGraph;
use crate::compare::Gamma;
use crate::config::PriorEstimate;
use crate::error::{Error, ErrorKind, Result};
use crate::graph::Event;
use crate::model::{Model, SupervisedReport};
use ahash::AHashMap;

/// Labels for supervised training ([`ProfileGraph::train_labelled`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Labels {
    /// `(record id, entity)`: the true entity of some records. Every compared pair
    /// whose two records carry the same entity counts as a labelled match. Pairs with
    /// different entities are not counted: compared pairs are chosen for looking
    /// alike, so `u` stays the one estimated from random pairs.
    pub entities: Vec<(String, String)>,
    /// `(record id, record id, same person)`: judged pairs, compared now (whether or
    /// not blocking compared them). Matches count towards m; non-matches are checked
    /// (their ids must exist) but do not move u, which stays the one estimated from
    /// random pairs: judged pairs are chosen for looking alike.
    pub pairs: Vec<(String, String, bool)>,
}

impl ProfileGraph {
    /// Trains a model from labels without installing it (see
    /// [`ProfileGraph::set_model`]).
    ///
    /// Starts from unlabelled training ([`ProfileGraph::fit`]) when it succeeds, else
    /// from the current model; then counts `m` from the labelled matches with Laplace
    /// `smoothing` (see
    /// [`Model::train_supervised`]); the prior λ is then re-estimated from the compared
    /// pairs under the new m and u (unless it is fixed or the configuration asks for
    /// [`PriorEstimate::Rules`]).
    ///
    /// # Errors
    ///
    /// An id in `labels.pairs` the graph does not hold ([`ErrorKind::UnknownRecord`]),
    /// a bad `smoothing` or no labelled pair ([`Model::train_from_clusters`]).
    pub fn fit_labelled(
        &self,
        labels: &Labels,
        smoothing: f64,
    ) -> Result<(Model, SupervisedReport)> {
        let mut model = match self.fit(&mut |_| {}) {
            Ok((m, _)) => m,
            Err(_) => self.model().clone(),
        };
        let mut labelled: Vec<(Gamma, bool)> = Vec::new();
        if !labels.entities.is_empty() {
            let mut label: AHashMap<&str, &str> = AHashMap::with_capacity(labels.entities.len());
            for (id, e) in &labels.entities {
                label.insert(id.as_str(), e.as_str());
            }
            let links = self.links();
            for (a, b, g, _) in links.edges() {
                let (Some(ka), Some(kb)) = (links.key(a), links.key(b)) else {
                    continue;
                };
                if let (Some(ea), Some(eb)) = (label.get(ka), label.get(kb)) {
                    if ea == eb {
                        labelled.push((g, true));
                    }
                }
            }
        }
        let set = self.comparison_set();
        for (a, b, same) in &labels.pairs {
            let unknown = |id: &str| {
                Error::new(
                    ErrorKind::UnknownRecord,
                    format!("no record with id {id:?}"),
                )
            };
            let ra = self.record(a).ok_or_else(|| unknown(a))?;
            let rb = self.record(b).ok_or_else(|| unknown(b))?;
            let g = set.gamma(&set.prepare(ra)?, &set.prepare(rb)?);
            // Judged pairs are mostly candidates, chosen for looking alike: counted
            // as non-matches they would make u that of look-alikes, not of strangers,
            // and every probability would fall. u stays from random pairs.
            if *same {
                labelled.push((g, true));
            }
        }
        let report = model.train_from_clusters(labelled, smoothing)?;
        // Labels move m and u; the prior follows them like every other parameter.
        if !model.prior_is_fixed() && self.config().training.prior == PriorEstimate::Candidates {
            // The stored term's own person flags with its alike rates: a model trained
            // under other flags keeps its meaning.
            let households = model
                .household()
                .map(|h| (h.person.clone(), h.alike.clone()));
            self.estimate_priors(&mut model, households)?;
        }
        Ok((model, report))
    }

    /// Trains a model from labels ([`ProfileGraph::fit_labelled`]), installs it
    /// (re-scoring every pair) and returns the report and the events the new scores
    /// caused.
    ///
    /// ```
    /// use sameas::{Config, FieldKind, Labels, ProfileGraph, Record, Schema};
    /// let schema = Schema::from_fields([("given_name", FieldKind::GivenName),
    ///     ("family_name", FieldKind::FamilyName), ("email", FieldKind::Email)])?;
    /// let mut graph = ProfileGraph::new(Config::infer(schema.clone())?)?;
    /// let rec = |id: &str, given: &str, email: &str| Record::builder(&schema, id)
    ///     .value("given_name", given).value("family_name", "Pop").value("email", email).build();
    /// graph.add_batch(vec![
    ///     rec("a", "Ana", "ana@example.com")?,
    ///     rec("b", "Ana", "ana@example.com")?,
    ///     rec("c", "Ion", "ion@example.com")?,
    /// ])?;
    /// let labels = Labels {
    ///     entities: vec![("a".into(), "p1".into()), ("b".into(), "p1".into())],
    ///     pairs: vec![("a".into(), "c".into(), false)],
    /// };
    /// let (report, _events) = graph.train_labelled(&labels, 1.0)?;
    /// // a–b (blocking compared them) counts towards m; the judged non-match a–c
    /// // leaves u to the random pairs.
    /// assert_eq!((report.matches, report.non_matches), (1, 0));
    /// assert!(graph.train_labelled(&Labels {
    ///     pairs: vec![("a".into(), "nobody".into(), true)], ..Labels::default()
    /// }, 1.0).is_err());
    /// # Ok::<(), sameas::Error>(())
    /// ```
    pub fn train_labelled(
        &mut self,
        labels: &Labels,
        smoothing: f64,
    ) -> Result<(SupervisedReport, Vec<Event>)> {
        let (model, report) = self.fit_labelled(labels, smoothing)?;
        Ok((report, self.set_model(model)?))
    }
}
