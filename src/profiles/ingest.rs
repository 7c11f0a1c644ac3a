//! Adding records: one at a time, or a batch.

use super::scoring::{count_values, exclusive_keys, Scorer};
use super::view::{Progress, ProgressStage};
use super::ProfileGraph;
use crate::block::RecordKeys;
use crate::compare::{FieldValues, Gamma, PreparedRecord};
use crate::error::{Error, ErrorKind, Result};
use crate::graph::{Event, NodeId};
use crate::record::Record;
use std::sync::Arc;

/// A record prepared for comparison, its blocking keys and its exclusive keys, all
/// from one normalization of the record.
type Prepared = (PreparedRecord, RecordKeys, Vec<(u64, u64)>);

/// Pairs of node slots.
type SlotPairs = Vec<(u32, u32)>;

/// Batches of fewer items stay on the calling thread: handing work to the thread pool
/// and waiting for it costs microseconds, more than one record or a few pairs take.
#[cfg(feature = "parallel")]
const PARALLEL_MIN: usize = 64;

/// Whether `n` items are worth the thread pool.
#[cfg(feature = "parallel")]
fn in_parallel(n: usize) -> bool {
    n >= PARALLEL_MIN
}

/// `f` of each item, in order; in parallel for a large batch (the same result).
pub(super) fn map_all<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    if in_parallel(items.len()) {
        use rayon::prelude::*;
        return items.par_iter().map(f).collect();
    }
    items.iter().map(f).collect()
}

impl ProfileGraph {
    /// Adds one record: it is prepared, blocked against the records present, compared
    /// with its candidates, scored, and placed in a profile. Returns the events.
    pub fn add(&mut self, record: Record) -> Result<Vec<Event>> {
        self.add_batch(vec![record])
    }

    /// Adds many records at once. Into an empty graph the pairs are generated and
    /// compared in bulk (in parallel with the `parallel` feature) and the profiles
    /// computed once; the result is the same as adding the records one at a time.
    /// Every record is checked first: on error (schema mismatch, empty or duplicate
    /// id) nothing is added.
    pub fn add_batch(&mut self, records: Vec<Record>) -> Result<Vec<Event>> {
        self.add_batch_with_progress(records, &mut |_| {})
    }

    /// [`ProfileGraph::add_batch`] with a progress callback.
    pub fn add_batch_with_progress(
        &mut self,
        records: Vec<Record>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Event>> {
        self.ingest(records, progress)?;
        Ok(self.cluster_pending(progress, false))
    }

    /// Loads records for training: like [`ProfileGraph::add_batch`] (prepared,
    /// blocked, compared, scored), but profiles are not formed until the next
    /// [`ProfileGraph::train`] or [`ProfileGraph::set_model`] (or any other change),
    /// which saves clustering once with a model about to be replaced. Until then the
    /// new records have no profile.
    pub fn load(&mut self, records: Vec<Record>, progress: &mut dyn FnMut(Progress)) -> Result<()> {
        self.ingest(records, progress)
    }

    /// Adds records, their blocking keys and their compared pairs, leaving the
    /// clustering core in bulk mode (nothing clustered yet).
    fn ingest(&mut self, records: Vec<Record>, progress: &mut dyn FnMut(Progress)) -> Result<()> {
        progress(Progress {
            stage: ProgressStage::Prepare,
            done: 0,
            total: records.len() as u64,
        });
        let prepared_all = self.prepare_all(&records)?;
        let was_empty = self.is_empty();
        let total = records.len() as u64;
        self.links.bulk();
        // Tables sized once for the batch, not grown (and copied) step by step.
        self.links.reserve(records.len(), 0);
        // Ids were checked above (distinct, none present): their index is filled beside
        // the blocking index below.
        let nodes = self
            .links
            .add_unindexed_nodes(records.iter().map(Record::id))?;
        let (mut prepared, mut keys, mut exclusive) = (
            Vec::with_capacity(nodes.len()),
            Vec::with_capacity(nodes.len()),
            Vec::with_capacity(nodes.len()),
        );
        for (p, k, e) in prepared_all {
            prepared.push(p);
            keys.push(k);
            exclusive.push(e);
        }
        // The blocking index and the rest of the graph are separate state: filled side
        // by side, each in record order.
        let ProfileGraph {
            index,
            links,
            live_tf,
            set,
            prepared: slots,
            counted,
            ..
        } = self;
        let index_records = || -> Result<(SlotPairs, SlotPairs)> {
            let (mut pairs, mut dropped) = (Vec::new(), Vec::new());
            if was_empty {
                // The pairs come from the whole index afterwards.
                index.insert_all(&nodes, records.iter().map(Record::source), keys)?;
                return Ok((pairs, dropped));
            }
            for ((&node, record), keys) in nodes.iter().zip(&records).zip(keys) {
                let changes = index.insert_keys(node, record.source(), keys, true)?;
                pairs.extend(changes.added.iter().map(|&(a, b)| (a.0, b.0)));
                dropped.extend(changes.dropped.iter().map(|&(a, b)| (a.0, b.0)));
            }
            Ok((pairs, dropped))
        };
        let live_tf = Arc::make_mut(live_tf);
        let place_records = || -> Result<()> {
            let end = nodes.iter().map(|n| n.index() + 1).max().unwrap_or(0);
            links.index_node_keys(&nodes);
            if slots.len() < end {
                slots.resize(end, None);
                counted.resize(end, false);
            }
            for ((&node, prepared), exclusive) in nodes.iter().zip(prepared).zip(exclusive) {
                if !exclusive.is_empty() {
                    links.set_exclusive(node, exclusive)?;
                }
                count_values(set, live_tf, &prepared, false);
                slots[node.index()] = Some(prepared);
                counted[node.index()] = false;
            }
            Ok(())
        };
        #[cfg(feature = "parallel")]
        let (indexed, placed) = if in_parallel(nodes.len()) {
            rayon::join(index_records, place_records)
        } else {
            (index_records(), place_records())
        };
        #[cfg(not(feature = "parallel"))]
        let (indexed, placed) = (index_records(), place_records());
        placed?;
        let (mut pairs, mut dropped) = indexed?;
        if self.records.len() < self.prepared.len() {
            self.records.resize(self.prepared.len(), None);
        }
        for (node, record) in nodes.iter().zip(records) {
            self.records[node.index()] = Some(record);
        }
        progress(Progress {
            stage: ProgressStage::Prepare,
            done: total,
            total,
        });
        if !dropped.is_empty() {
            // A later record of the batch may push apart a pair an earlier one added:
            // such a pair is never compared; a pair compared before the batch is forgotten.
            dropped.sort_unstable();
            dropped.dedup();
            pairs.retain(|p| dropped.binary_search(p).is_err());
            for &(a, b) in &dropped {
                self.links.forget_pair(NodeId(a), NodeId(b))?;
            }
        }
        if was_empty {
            pairs = self
                .index
                .pairs()
                .into_iter()
                .map(|(a, b)| (a.0, b.0))
                .collect();
        }
        progress(Progress {
            stage: ProgressStage::Compare,
            done: 0,
            total: pairs.len() as u64,
        });
        let total = pairs.len() as u64;
        let done = Progress {
            stage: ProgressStage::Compare,
            done: total,
            total,
        };
        if was_empty {
            // Compared straight into the pair table.
            let ProfileGraph {
                links,
                prepared,
                set,
                model,
                scoring_tf,
                config,
                ..
            } = self;
            let scorer = Scorer::new(model, scoring_tf, set, config);
            let added = links.add_new_pairs(pairs, |a, b| compare_slots(&scorer, prepared, a, b));
            progress(done);
            return added;
        }
        let scored = self.compare_pairs(&pairs);
        progress(done);
        self.links.reserve(0, pairs.len());
        for (&(a, b), &(g, w)) in pairs.iter().zip(&scored) {
            self.links.upsert_edge(NodeId(a), NodeId(b), g, w)?;
        }
        Ok(())
    }

    /// Checks and prepares every record, and computes its blocking keys, before
    /// anything changes (in parallel with the `parallel` feature).
    fn prepare_all(&self, records: &[Record]) -> Result<Vec<Prepared>> {
        let ids: Vec<&str> = records.iter().map(Record::id).collect();
        // The first record whose id an earlier one has (the same on any number of
        // threads).
        if let Some((_, again)) = crate::record::first_repeated_id(&ids) {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                format!("record id {:?} appears twice in the batch", ids[again]),
            ));
        }
        // An empty graph (a bulk load) holds none of them: no lookup per id.
        if !self.is_empty() {
            if let Some(id) = ids.iter().find(|id| self.links.node(id).is_some()) {
                return Err(Error::new(
                    ErrorKind::InvalidRecord,
                    format!("record id {id:?} is already in the graph"),
                ));
            }
        }
        let prepare = |r: &Record| {
            let mut values = FieldValues::new(r, &self.config.normalize);
            let prepared = self.set.prepare_in(&mut values).map_err(|e| {
                Error::new(e.kind(), format!("record {:?}: {}", r.id(), e.message()))
            })?;
            let keys = self.index.record_keys_in(&mut values);
            let exclusive = exclusive_keys(&self.config.schema, &mut values);
            Ok((prepared, keys, exclusive))
        };
        map_all(records, prepare).into_iter().collect()
    }

    /// γ and weight of each pair of slots (in parallel with the `parallel` feature;
    /// the result does not depend on the thread count).
    pub(super) fn compare_pairs(&self, pairs: &[(u32, u32)]) -> Vec<(Gamma, f64)> {
        let scorer = self.scorer();
        map_all(pairs, |&(a, b)| {
            compare_slots(&scorer, &self.prepared, a, b)
        })
    }
}

/// γ and weight of the records in slots `a` and `b` (a free slot compares as nothing:
/// null γ, the weight of no evidence).
fn compare_slots(
    scorer: &Scorer<'_>,
    prepared: &[Option<PreparedRecord>],
    a: u32,
    b: u32,
) -> (Gamma, f64) {
    let slot = |n: u32| prepared.get(n as usize).and_then(Option::as_ref);
    match (slot(a), slot(b)) {
        (Some(pa), Some(pb)) => {
            let g = scorer.set.gamma(pa, pb);
            (g, scorer.weight(pa, pb, g))
        }
        _ => (Gamma(0), scorer.model.weight(Gamma(0))),
    }
}
