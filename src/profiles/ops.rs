//! Changing the evidence: a new model, assertions, erasure.

use super::scoring::{check_model_fits, count_values, Scorer};
use super::view::{Progress, ProgressStage};
use super::ProfileGraph;
use crate::error::{Error, ErrorKind, Result};
use crate::graph::{Event, NodeId};
use crate::model::Model;
use std::sync::Arc;

impl ProfileGraph {
    /// Replaces the model (e.g. after retraining on more data): the frequencies are
    /// frozen anew, every compared pair is re-scored from its stored γ (no string is
    /// compared again), and profiles merge or split accordingly.
    pub fn set_model(&mut self, model: Model) -> Result<Vec<Event>> {
        self.set_model_with_progress(model, &mut |_| {})
    }

    /// [`ProfileGraph::set_model`] with a progress callback (stages `Score`, then
    /// `Cluster`).
    pub fn set_model_with_progress(
        &mut self,
        model: Model,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Event>> {
        check_model_fits(&model, &self.set)?;
        self.model = model;
        self.scoring_tf = Arc::clone(&self.live_tf);
        for (slot, counted) in self.counted.iter_mut().enumerate() {
            *counted = self.prepared.get(slot).is_some_and(Option::is_some);
        }
        let pairs = self.pair_count() as u64;
        progress(Progress {
            stage: ProgressStage::Score,
            done: 0,
            total: pairs,
        });
        self.links.bulk();
        self.links
            .set_disagreement_weights(self.disagreement_weights());
        self.rescore_all();
        Ok(self.cluster_pending(progress, true))
    }

    /// Sets or clears the model's recalibration ([`Model::set_calibration`]; fitted by
    /// [`Review::recalibrate`](super::Review::recalibrate)). Nothing is re-scored and no
    /// profile changes: only the probabilities the graph reports (pairs, memberships,
    /// cohesion, the review queue) go through it.
    pub fn set_calibration(
        &mut self,
        calibration: Option<crate::model::Recalibration>,
    ) -> Result<()> {
        self.model.set_calibration(calibration)
    }

    /// Forms the profiles of every record touched since the clustering core went into
    /// bulk mode, and checks them (every profile when `all`: after a new model),
    /// reporting the `Cluster` stage.
    pub(super) fn cluster_pending(
        &mut self,
        progress: &mut dyn FnMut(Progress),
        all: bool,
    ) -> Vec<Event> {
        progress(Progress {
            stage: ProgressStage::Cluster,
            done: 0,
            total: 1,
        });
        let events = self.resolve_checked(all);
        progress(Progress {
            stage: ProgressStage::Cluster,
            done: 1,
            total: 1,
        });
        events
    }

    /// An empty graph with the same configuration, model and frozen frequencies: add
    /// records to it one at a time to get the profiles a batch would give.
    pub fn without_records(&self) -> Result<ProfileGraph> {
        let mut g = ProfileGraph::with_model(self.config.clone(), self.model.clone())?;
        g.scoring_tf = self.scoring_tf.clone();
        Ok(g)
    }

    /// An empty clustering core with this graph's settings and its model's weights for
    /// disagreements between clusters as wholes (`DisagreementWeights`: a field
    /// missing on a pair that the other pairs say differs, a given name or birth date
    /// that differs record after record): cluster pairs scored elsewhere
    /// ([`ProfileGraph::score_records`], e.g. on a cluster of machines) as this graph
    /// would, adding the checks ([`LinkGraph::add_checks`](crate::graph::LinkGraph::add_checks))
    /// of pairs that [`ProfileGraph::two_people`] marks.
    pub fn empty_core(&self) -> Result<crate::graph::LinkGraph> {
        let mut core = crate::graph::LinkGraph::new(self.config.graph_settings())?;
        core.set_disagreement_weights(self.disagreement_weights());
        Ok(core)
    }

    /// Whether the person data of γ says two people: the comparisons that describe one
    /// person (given name, birth date, national identifier; not e-mails, often several
    /// per person), at least two of them present, weigh below the clustering veto
    /// together (their level weights, without prior or contact data). The test a
    /// check applies to two members of a would-be profile that blocking never paired:
    /// such pairs share no key by construction, so their contact data says
    /// "different" for that reason alone and is left out.
    pub fn two_people(&self, g: crate::Gamma) -> bool {
        self.person_test().says_two(&self.model, g)
    }

    /// The clustering rule's weights for disagreements between clusters as wholes,
    /// from the current model (see `DisagreementWeights`): the "else" weights of the
    /// comparisons that describe one person (given name, birth date, national
    /// identifier: `person_data`), and every comparison's level weights.
    pub(super) fn disagreement_weights(&self) -> crate::graph::DisagreementWeights {
        let person = self.person_data();
        let model = &self.model;
        let comparisons = model.comparisons().iter().enumerate();
        crate::graph::DisagreementWeights::new(
            comparisons
                .clone()
                .filter(|&(c, _)| person.get(c).copied().unwrap_or(false))
                .map(|(c, p)| (c, p.else_level(), model.level_weight(c, p.else_level()))),
            comparisons.map(|(c, p)| {
                (0..=p.else_level())
                    .map(|l| model.level_weight(c, l))
                    .collect()
            }),
        )
    }

    /// Re-scores every compared pair with the current model and frozen frequencies (in
    /// parallel with the `parallel` feature; the result does not depend on it).
    pub(super) fn rescore_all(&mut self) -> Vec<Event> {
        // Fields borrowed one by one: the scorer reads while the links change.
        let scorer = Scorer::new(&self.model, &self.scoring_tf, &self.set, &self.config);
        let prepared = &self.prepared;
        self.links.rescore_pairs_parallel(|a, b, g| {
            match (&prepared[a.0 as usize], &prepared[b.0 as usize]) {
                (Some(pa), Some(pb)) => scorer.weight(pa, pb, g),
                _ => scorer.model.weight(g),
            }
        })
    }

    /// Forms the profiles left pending by [`ProfileGraph::load`], so that the next
    /// change reports its events against real profiles (and the pending profiles'
    /// own events come first).
    fn settle(&mut self) -> Vec<Event> {
        if self.links.is_bulk() {
            self.resolve_checked(false)
        } else {
            Vec::new()
        }
    }

    /// The nodes of two different records, checked before anything changes (so that
    /// a refused assertion does not form the profiles pending after a load and lose
    /// their events).
    fn pair_of(&self, a: &str, b: &str) -> Result<(NodeId, NodeId)> {
        let (na, nb) = (self.node_of(a)?, self.node_of(b)?);
        if na == nb {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                format!("an assertion needs two different records (both are {a:?})"),
            ));
        }
        Ok((na, nb))
    }

    /// Asserts that two records are the same person (must-link).
    pub fn assert_same(&mut self, a: &str, b: &str) -> Result<Vec<Event>> {
        let (na, nb) = self.pair_of(a, b)?;
        let mut events = self.settle();
        self.links.bulk();
        let done = self.links.assert_same(na, nb);
        events.extend(self.resolve_checked(false));
        done?;
        Ok(events)
    }

    /// Asserts that two records are different people (cannot-link; wins over
    /// must-links).
    pub fn assert_different(&mut self, a: &str, b: &str) -> Result<Vec<Event>> {
        let (na, nb) = self.pair_of(a, b)?;
        let mut events = self.settle();
        self.links.bulk();
        let done = self.links.assert_different(na, nb);
        events.extend(self.resolve_checked(false));
        done?;
        Ok(events)
    }

    /// Withdraws any assertion about the pair.
    pub fn retract(&mut self, a: &str, b: &str) -> Result<Vec<Event>> {
        let (na, nb) = self.pair_of(a, b)?;
        let mut events = self.settle();
        self.links.bulk();
        let done = self.links.retract(na, nb);
        events.extend(self.resolve_checked(false));
        done?;
        Ok(events)
    }

    /// Erases a record (privacy request): it leaves the graph, the blocking index, the
    /// term-frequency tables and every other structure held here; profiles it bridged
    /// split. Pairs whose TF adjustment depended on its values are re-scored, and pairs
    /// it kept apart in an oversized block are compared (as a batch without it would).
    ///
    /// The profiles are formed once, after the removal, the new pairs and the
    /// re-scoring, so the events describe one change (and a profile whose members stay
    /// the same keeps its ID), not a passing state scored with frequencies that still
    /// counted the record.
    pub fn erase(&mut self, id: &str) -> Result<Vec<Event>> {
        let node = self.node_of(id)?;
        let mut events = self.settle();
        let slot = node.0 as usize;
        let prepared = self.prepared.get_mut(slot).and_then(Option::take);
        if let Some(r) = self.records.get_mut(slot) {
            *r = None;
        }
        let joined = self.index.remove(node).map(|c| c.added).unwrap_or_default();
        self.links.bulk();
        self.links.remove_node(node)?;
        let mut rescore = false;
        if let Some(p) = prepared {
            count_values(&self.set, Arc::make_mut(&mut self.live_tf), &p, true);
            if std::mem::take(&mut self.counted[slot]) {
                count_values(&self.set, Arc::make_mut(&mut self.scoring_tf), &p, true);
                rescore = true;
            }
        }
        let joined: Vec<(u32, u32)> = joined.iter().map(|&(a, b)| (a.0, b.0)).collect();
        for (&(a, b), &(g, w)) in joined.iter().zip(&self.compare_pairs(&joined)) {
            self.links.upsert_edge(NodeId(a), NodeId(b), g, w)?;
        }
        if rescore {
            self.rescore_all();
        }
        events.extend(self.resolve_checked(false));
        Ok(events)
    }
}
