//! `Graph`: the native side of `sameas.ProfileGraph` (the Python class wraps it and
//! turns DataFrames and lists of dicts into columns).

use crate::error::{json, parse_strict, IntoPy};
use crate::model::Model;
use crate::table::{records_from, Roles};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use sameas::eval::{bcubed, pairwise_from_clusters, ClusterMetrics, PairwiseMetrics};
use sameas::profiles::Review;
use sameas::{
    Config, Evaluation, Event, GoldenRules, GraphSnapshot, Labels, NodeId, ProfileGraph, ProfileId,
    TrainingReport,
};

/// The live profile graph: records, compared pairs, model and profiles.
#[pyclass(module = "sameas._sameas")]
pub struct Graph {
    pub(crate) inner: ProfileGraph,
    /// A reviewer's answers (applied as assertions, kept as labels for retraining).
    review: Review,
}

/// Events as a list of dicts naming records by their ids. `erased` names the record a
/// single erasure removed (its id is no longer in the graph).
fn events_to_py<'py>(
    py: Python<'py>,
    graph: &ProfileGraph,
    events: &[Event],
    erased: Option<&str>,
) -> PyResult<Bound<'py, PyList>> {
    let id = |n: NodeId| graph.record_id(n).map(str::to_string);
    let out = PyList::empty(py);
    for e in events {
        let d = PyDict::new(py);
        match e {
            Event::ProfileCreated { profile, members } => {
                d.set_item("type", "profile_created")?;
                d.set_item("profile", profile.0)?;
                let ids: Vec<Option<String>> = members.iter().map(|&n| id(n)).collect();
                d.set_item("members", ids)?;
            }
            Event::RecordAdded { record, profile } => {
                d.set_item("type", "record_added")?;
                d.set_item("record", id(*record))?;
                d.set_item("profile", profile.0)?;
            }
            Event::ProfilesMerged { into, from } => {
                d.set_item("type", "profiles_merged")?;
                d.set_item("into", into.0)?;
                d.set_item("from", from.iter().map(|p| p.0).collect::<Vec<_>>())?;
            }
            Event::ProfileSplit { from, into } => {
                d.set_item("type", "profile_split")?;
                d.set_item("from", from.0)?;
                d.set_item("into", into.iter().map(|p| p.0).collect::<Vec<_>>())?;
            }
            Event::RecordMoved { record, from, to } => {
                d.set_item("type", "record_moved")?;
                d.set_item("record", id(*record))?;
                d.set_item("from", from.0)?;
                d.set_item("to", to.0)?;
            }
            Event::RecordErased { record, profile } => {
                d.set_item("type", "record_erased")?;
                d.set_item("record", erased.map(str::to_string).or_else(|| id(*record)))?;
                d.set_item("profile", profile.0)?;
            }
            other => {
                d.set_item("type", "other")?;
                d.set_item("detail", format!("{other:?}"))?;
            }
        }
        out.append(d)?;
    }
    Ok(out)
}

fn report_json(report: &TrainingReport) -> PyResult<String> {
    serde_json::to_string(report).map_err(|e| json("training report", e))
}

impl Graph {
    fn events<'py>(
        &self,
        py: Python<'py>,
        events: &[Event],
        want: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        if want {
            events_to_py(py, &self.inner, events, None)
        } else {
            Ok(PyList::empty(py))
        }
    }
}

#[pymethods]
impl Graph {
    /// A graph for a configuration (JSON text), optionally scoring with `model`.
    #[new]
    #[pyo3(signature = (config, model=None))]
    fn new(config: &str, model: Option<&Model>) -> PyResult<Graph> {
        let config: Config = parse_strict("config", config)?;
        let inner = match model {
            Some(m) => ProfileGraph::with_model(config, m.inner.clone()),
            None => ProfileGraph::new(config),
        }
        .py()?;
        Ok(Graph {
            inner,
            review: Review::default(),
        })
    }

    /// Restores a graph from `snapshot()` text.
    #[staticmethod]
    fn restore(py: Python<'_>, snapshot: &str) -> PyResult<Graph> {
        let snap: GraphSnapshot =
            serde_json::from_str(snapshot).map_err(|e| json("snapshot", e))?;
        let inner = py.allow_threads(|| ProfileGraph::restore(snap)).py()?;
        Ok(Graph {
            inner,
            review: Review::default(),
        })
    }

    /// Adds records given as columns; returns the events (or [] when `events` is false).
    #[pyo3(signature = (columns, id, source=None, observed_at=None, ignore=Vec::new(), events=true))]
    #[allow(clippy::too_many_arguments)]
    fn add<'py>(
        &mut self,
        py: Python<'py>,
        columns: &Bound<'py, PyDict>,
        id: &str,
        source: Option<&str>,
        observed_at: Option<&str>,
        ignore: Vec<String>,
        events: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let roles = Roles {
            id: Some(id),
            source,
            observed_at,
            ignore: &ignore,
            limit: None,
        };
        let records = records_from(py, &self.inner.config().schema, columns, &roles)?;
        let inner = &mut self.inner;
        let ev = py.allow_threads(|| inner.add_batch(records)).py()?;
        self.events(py, &ev, events)
    }

    /// Trains without labels and installs the model; returns (report JSON, events).
    #[pyo3(signature = (events=true))]
    fn train<'py>(
        &mut self,
        py: Python<'py>,
        events: bool,
    ) -> PyResult<(String, Bound<'py, PyList>)> {
        let inner = &mut self.inner;
        let (report, ev) = py.allow_threads(|| inner.train()).py()?;
        Ok((report_json(&report)?, self.events(py, &ev, events)?))
    }

    /// Trains without labels, without installing: returns (model, report JSON).
    fn fit(&self, py: Python<'_>) -> PyResult<(Model, String)> {
        let inner = &self.inner;
        let (model, report) = py.allow_threads(|| inner.fit(&mut |_| {})).py()?;
        Ok((Model { inner: model }, report_json(&report)?))
    }

    /// Trains with labels: starts from unlabelled training (u from random pairs, λ
    /// from the rules) when it succeeds, then counts m from labelled matches (and u
    /// from labelled non-matches among `pairs`). `entities` maps record ids to entity
    /// labels (compared pairs whose records share a label are matches); `pairs` lists
    /// (id, id, same). Installs the model; returns (report JSON, events).
    #[pyo3(signature = (entities=None, pairs=None, smoothing=1.0, events=true))]
    fn train_labelled<'py>(
        &mut self,
        py: Python<'py>,
        entities: Option<Vec<(String, String)>>,
        pairs: Option<Vec<(String, String, bool)>>,
        smoothing: f64,
        events: bool,
    ) -> PyResult<(String, Bound<'py, PyList>)> {
        let inner = &mut self.inner;
        let (report, ev) = py
            .allow_threads(|| -> sameas::Result<_> {
                let labels = Labels {
                    entities: entities.unwrap_or_default(),
                    pairs: pairs.unwrap_or_default(),
                };
                inner.train_labelled(&labels, smoothing)
            })
            .py()?;
        let report = serde_json::to_string(&report).map_err(|e| json("report", e))?;
        Ok((report, self.events(py, &ev, events)?))
    }

    /// Installs a model (re-scores every pair from its stored γ); returns events.
    fn set_model<'py>(&mut self, py: Python<'py>, model: &Model) -> PyResult<Bound<'py, PyList>> {
        let inner = &mut self.inner;
        let m = model.inner.clone();
        let ev = py.allow_threads(|| inner.set_model(m)).py()?;
        self.events(py, &ev, true)
    }

    /// Erases a record everywhere; returns events.
    fn erase<'py>(&mut self, py: Python<'py>, record_id: &str) -> PyResult<Bound<'py, PyList>> {
        let inner = &mut self.inner;
        let ev = py.allow_threads(|| inner.erase(record_id)).py()?;
        events_to_py(py, &self.inner, &ev, Some(record_id))
    }

    /// Asserts two records are the same person; returns events.
    fn same<'py>(&mut self, py: Python<'py>, a: &str, b: &str) -> PyResult<Bound<'py, PyList>> {
        let ev = self.inner.assert_same(a, b).py()?;
        self.events(py, &ev, true)
    }

    /// Asserts two records are different people; returns events.
    fn different<'py>(
        &mut self,
        py: Python<'py>,
        a: &str,
        b: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let ev = self.inner.assert_different(a, b).py()?;
        self.events(py, &ev, true)
    }

    /// Withdraws any assertion about a pair; returns events.
    fn retract<'py>(&mut self, py: Python<'py>, a: &str, b: &str) -> PyResult<Bound<'py, PyList>> {
        let ev = self.inner.retract(a, b).py()?;
        self.events(py, &ev, true)
    }

    /// The profile id of a record, or None.
    fn profile_of(&self, record_id: &str) -> Option<u64> {
        self.inner.profile_of(record_id).map(|p| p.0)
    }

    /// (profile id, confidence or None for a lone record), or None for an unknown id.
    fn membership(&self, record_id: &str) -> Option<(u64, Option<f64>)> {
        self.inner
            .membership(record_id)
            .map(|m| (m.profile.0, m.confidence))
    }

    /// Memberships of `ids` (all records in profile order when None), as three lists:
    /// record ids, profile ids (None for unknown ids), confidences.
    #[pyo3(signature = (ids=None))]
    #[allow(clippy::type_complexity)]
    fn memberships(
        &self,
        ids: Option<Vec<String>>,
    ) -> (Vec<String>, Vec<Option<u64>>, Vec<Option<f64>>) {
        let ids = ids.unwrap_or_else(|| {
            self.inner
                .profiles()
                .into_iter()
                .flat_map(|(_, m)| m.into_iter().map(str::to_string))
                .collect()
        });
        let mut profiles = Vec::with_capacity(ids.len());
        let mut confidences = Vec::with_capacity(ids.len());
        // A profile's cohesion is every member's confidence: read once per profile.
        let mut cohesion: std::collections::BTreeMap<u64, Option<f64>> = Default::default();
        for id in &ids {
            let profile = self.inner.profile_of(id);
            profiles.push(profile.map(|p| p.0));
            confidences.push(profile.and_then(|p| {
                *cohesion
                    .entry(p.0)
                    .or_insert_with(|| self.inner.cohesion(p))
            }));
        }
        (ids, profiles, confidences)
    }

    /// Record ids of a profile, sorted.
    fn members(&self, profile_id: u64) -> Vec<String> {
        self.inner
            .members(ProfileId(profile_id))
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Every profile with its member ids, in profile-id order.
    fn profiles(&self) -> Vec<(u64, Vec<String>)> {
        self.inner
            .profiles()
            .into_iter()
            .map(|(p, m)| (p.0, m.into_iter().map(str::to_string).collect()))
            .collect()
    }

    /// The golden record of a profile as JSON; `rules` is GoldenRules JSON or None.
    #[pyo3(signature = (profile_id, rules=None))]
    fn golden(&self, profile_id: u64, rules: Option<&str>) -> PyResult<String> {
        let rules: GoldenRules = match rules {
            Some(r) => parse_strict("golden rules", r)?,
            None => GoldenRules::default(),
        };
        rules.validate(&self.inner.config().schema).py()?;
        let g = self.inner.golden(ProfileId(profile_id), &rules).py()?;
        serde_json::to_string(&g).map_err(|e| json("golden record", e))
    }

    /// (explanation JSON, readable table, confidence band) for two records.
    fn explain(&self, a: &str, b: &str) -> PyResult<(String, String, String)> {
        let e = self.inner.explain_pair(a, b).py()?;
        let text = e.to_string();
        let band = e.band().as_str().to_string();
        let j = serde_json::to_string(&e).map_err(|e| json("explanation", e))?;
        Ok((j, text, band))
    }

    /// The links holding a profile together, as (a, b, strength) with the weakest
    /// last; None for an unknown profile.
    #[allow(clippy::type_complexity)]
    fn explain_profile(
        &self,
        profile_id: u64,
    ) -> Option<(Vec<(String, String, f64)>, Option<(String, String, f64)>)> {
        let e = self.inner.explain_profile(ProfileId(profile_id))?;
        let id = |n: NodeId| self.inner.record_id(n).unwrap_or_default().to_string();
        let link = |l: &sameas::graph::Link| (id(l.a), id(l.b), l.strength);
        Some((
            e.links.iter().map(link).collect(),
            e.weakest.as_ref().map(link),
        ))
    }

    /// Every compared pair as (id, id, probability), sorted.
    fn scored_pairs(&self) -> Vec<(String, String, f64)> {
        self.inner
            .scored_pairs()
            .into_iter()
            .map(|(a, b, p)| (a.to_string(), b.to_string(), p))
            .collect()
    }

    /// A record as JSON: id, source, observed_at and its values per field.
    fn record(&self, record_id: &str) -> PyResult<Option<String>> {
        let Some(r) = self.inner.record(record_id) else {
            return Ok(None);
        };
        let mut values = serde_json::Map::new();
        for (i, f) in self.inner.config().schema.fields().iter().enumerate() {
            let v: Vec<String> = r.values(i).iter().map(|v| v.to_text()).collect();
            values.insert(f.name.clone(), v.into());
        }
        let j = serde_json::json!({
            "id": r.id(), "source": r.source(), "observed_at": r.observed_at(), "values": values,
        });
        Ok(Some(j.to_string()))
    }

    /// Every scored pair as columns: `left_id`, `right_id`, `probability` (read with
    /// the profiles), `match_weight`, `band`, `pair_probability` (the pair's own),
    /// then one column of level labels per comparison (named after it), sorted by
    /// ids. Returns (comparison names, columns).
    #[allow(clippy::type_complexity)]
    fn pair_columns<'py>(&self, py: Python<'py>) -> PyResult<(Vec<String>, Bound<'py, PyDict>)> {
        let rows = self.inner.pair_rows();
        let names: Vec<String> = self
            .inner
            .comparison_names()
            .into_iter()
            .map(str::to_string)
            .collect();
        let out = PyDict::new(py);
        out.set_item("left_id", PyList::new(py, rows.iter().map(|r| r.left))?)?;
        out.set_item("right_id", PyList::new(py, rows.iter().map(|r| r.right))?)?;
        out.set_item(
            "probability",
            rows.iter().map(|r| r.probability).collect::<Vec<_>>(),
        )?;
        out.set_item(
            "match_weight",
            rows.iter().map(|r| r.match_weight).collect::<Vec<_>>(),
        )?;
        out.set_item(
            "band",
            PyList::new(py, rows.iter().map(|r| r.band.as_str()))?,
        )?;
        out.set_item(
            "pair_probability",
            rows.iter().map(|r| r.pair_probability).collect::<Vec<_>>(),
        )?;
        let levels = PyList::empty(py);
        for c in 0..names.len() {
            levels.append(PyList::new(
                py,
                rows.iter()
                    .map(|r| r.levels.get(c).copied().unwrap_or("null")),
            )?)?;
        }
        out.set_item("levels", levels)?;
        Ok((names, out))
    }

    /// The review queue as columns (`left_id`, `right_id`, `probability`, `together`,
    /// `doubt`, `records_moved`, `priority`), most informative first; at most `limit`
    /// rows.
    fn review_queue<'py>(&self, py: Python<'py>, limit: usize) -> PyResult<Bound<'py, PyDict>> {
        let q = self.inner.review_queue(limit);
        let out = PyDict::new(py);
        out.set_item(
            "left_id",
            PyList::new(py, q.iter().map(|r| r.left.as_str()))?,
        )?;
        out.set_item(
            "right_id",
            PyList::new(py, q.iter().map(|r| r.right.as_str()))?,
        )?;
        out.set_item(
            "probability",
            q.iter().map(|r| r.probability).collect::<Vec<_>>(),
        )?;
        out.set_item("together", q.iter().map(|r| r.together).collect::<Vec<_>>())?;
        out.set_item("doubt", q.iter().map(|r| r.doubt).collect::<Vec<_>>())?;
        out.set_item(
            "records_moved",
            q.iter().map(|r| r.records_moved).collect::<Vec<_>>(),
        )?;
        out.set_item("priority", q.iter().map(|r| r.priority).collect::<Vec<_>>())?;
        Ok(out)
    }

    /// Records a reviewer's answer: asserts it (profiles change now) and keeps it as
    /// a label; returns events.
    fn answer<'py>(
        &mut self,
        py: Python<'py>,
        a: &str,
        b: &str,
        same: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        // A changed answer withdraws the earlier assertion (`Review::answer`).
        let ev = self.review.answer(&mut self.inner, a, b, same).py()?;
        self.events(py, &ev, true)
    }

    /// The answers kept, as (left id, right id, same), in the order given.
    fn answers(&self) -> Vec<(String, String, bool)> {
        self.review.labels().pairs.clone()
    }

    /// Retrains with the answers (`Review::retrain`); returns (report JSON, events).
    #[pyo3(signature = (smoothing=1.0))]
    fn retrain_answers<'py>(
        &mut self,
        py: Python<'py>,
        smoothing: f64,
    ) -> PyResult<(String, Bound<'py, PyList>)> {
        let (inner, review) = (&mut self.inner, &self.review);
        let (report, ev) = py.allow_threads(|| review.retrain(inner, smoothing)).py()?;
        let report = serde_json::to_string(&report).map_err(|e| json("report", e))?;
        Ok((report, self.events(py, &ev, true)?))
    }

    /// `Evaluation::of` the graph against the truth (`ids[i]` belongs to `truth[i]`),
    /// as a dict of metric name → dict of numbers.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        ids: Vec<String>,
        truth: Vec<String>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let e: Evaluation = Evaluation::of(&self.inner, &refs, &truth).py()?;
        let predicted: Vec<Option<u64>> = refs
            .iter()
            .map(|id| self.inner.profile_of(id).map(|p| p.0))
            .collect();
        let out = PyDict::new(py);
        out.set_item("pairwise", pairwise_dict(py, &e.clusters)?)?;
        out.set_item(
            "cluster",
            cluster_dict(py, &exact_clusters(&predicted, &truth))?,
        )?;
        out.set_item("bcubed", bcubed_dict(py, &e.bcubed)?)?;
        out.set_item("scored", pairwise_dict(py, &e.scored)?)?;
        out.set_item("blocking", pairwise_dict(py, &e.blocking)?)?;
        Ok(out)
    }

    /// Pickling: rebuilt by `Graph.restore` from the snapshot (answers are kept by
    /// the Python wrapper, which replays them).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(PyObject, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let text = slf.borrow().snapshot(py)?;
        let ctor = slf.get_type().getattr("restore")?.unbind();
        Ok((ctor, PyTuple::new(py, [text])?))
    }

    /// The whole state as JSON text.
    fn snapshot(&self, py: Python<'_>) -> PyResult<String> {
        let inner = &self.inner;
        py.allow_threads(|| serde_json::to_string(&inner.snapshot()))
            .map_err(|e| json("snapshot", e))
    }

    /// The model in use.
    fn model(&self) -> Model {
        Model {
            inner: self.inner.model().clone(),
        }
    }

    /// The configuration as JSON text.
    fn config_json(&self) -> PyResult<String> {
        serde_json::to_string(self.inner.config()).map_err(|e| json("config", e))
    }

    /// An empty graph with the same configuration, model and frozen frequencies.
    fn without_records(&self) -> PyResult<Graph> {
        Ok(Graph {
            inner: self.inner.without_records().py()?,
            review: Review::default(),
        })
    }

    /// Number of compared pairs kept.
    fn pair_count(&self) -> usize {
        self.inner.pair_count()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Whether the record id is in the graph.
    fn __contains__(&self, record_id: &str) -> bool {
        self.inner.profile_of(record_id).is_some()
    }
}

/// Pairwise metrics as a dict: precision, recall, f1 and the three counts.
pub fn pairwise_dict<'py>(py: Python<'py>, m: &PairwiseMetrics) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("precision", m.precision)?;
    d.set_item("recall", m.recall)?;
    d.set_item("f1", m.f1)?;
    d.set_item("true_positives", m.true_positives)?;
    d.set_item("false_positives", m.false_positives)?;
    d.set_item("false_negatives", m.false_negatives)?;
    Ok(d)
}

/// B-cubed metrics as a dict: precision, recall, f1.
pub fn bcubed_dict<'py>(py: Python<'py>, m: &ClusterMetrics) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("precision", m.precision)?;
    d.set_item("recall", m.recall)?;
    d.set_item("f1", m.f1)?;
    Ok(d)
}

/// Exact-cluster metrics: how many predicted profiles are exactly one true entity,
/// and how many true entities came out as exactly one profile.
pub struct ExactClusters {
    /// Predicted clusters equal to a true cluster.
    pub exact: u64,
    /// Number of predicted clusters.
    pub predicted: u64,
    /// Number of true clusters.
    pub truth: u64,
}

/// Counts exact clusters. `predicted[i]` is record `i`'s cluster (`None`: a cluster of
/// its own), `truth[i]` its entity.
pub fn exact_clusters<P: Eq + std::hash::Hash + Clone, T: Eq + std::hash::Hash>(
    predicted: &[Option<P>],
    truth: &[T],
) -> ExactClusters {
    use std::collections::HashMap;
    let mut truth_size: HashMap<&T, u64> = HashMap::new();
    for t in truth {
        *truth_size.entry(t).or_insert(0) += 1;
    }
    // Per predicted cluster: its size and its one entity (None once it holds two).
    let mut clusters: HashMap<Result<&P, usize>, (u64, Option<&T>)> = HashMap::new();
    for (i, (p, t)) in predicted.iter().zip(truth).enumerate() {
        let key = p.as_ref().ok_or(i);
        let e = clusters.entry(key).or_insert((0, Some(t)));
        e.0 += 1;
        if e.1 != Some(t) {
            e.1 = None;
        }
    }
    let exact = clusters
        .values()
        .filter(|(n, t)| t.is_some_and(|t| truth_size.get(t) == Some(n)))
        .count() as u64;
    ExactClusters {
        exact,
        predicted: clusters.len() as u64,
        truth: truth_size.len() as u64,
    }
}

/// Exact-cluster metrics as a dict: precision (share of predicted profiles that are
/// exactly a true entity), recall (share of true entities found exactly), f1.
pub fn cluster_dict<'py>(py: Python<'py>, m: &ExactClusters) -> PyResult<Bound<'py, PyDict>> {
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(m.exact, m.predicted);
    let recall = ratio(m.exact, m.truth);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let d = PyDict::new(py);
    d.set_item("precision", precision)?;
    d.set_item("recall", recall)?;
    d.set_item("f1", f1)?;
    d.set_item("exact", m.exact)?;
    d.set_item("predicted", m.predicted)?;
    d.set_item("true", m.truth)?;
    Ok(d)
}

/// Metrics of a clustering given as labels (`predicted[i]`, `truth[i]` for record i;
/// `None` predicted: a cluster of its own): pairwise, exact-cluster and B-cubed.
pub fn evaluate_labels<'py>(
    py: Python<'py>,
    predicted: &[Option<String>],
    truth: &[String],
) -> PyResult<Bound<'py, PyDict>> {
    use std::collections::HashMap;
    if predicted.len() != truth.len() {
        return Err(crate::error::bad(format!(
            "{} predicted labels but {} truth labels",
            predicted.len(),
            truth.len()
        )));
    }
    let mut dense_t: HashMap<&str, u64> = HashMap::new();
    let t: Vec<u64> = truth
        .iter()
        .map(|x| {
            let n = dense_t.len() as u64;
            *dense_t.entry(x.as_str()).or_insert(n)
        })
        .collect();
    let mut dense_p: HashMap<&str, u64> = HashMap::new();
    let mut next = 0u64;
    let p: Vec<u64> = predicted
        .iter()
        .map(|x| match x {
            Some(x) => *dense_p.entry(x.as_str()).or_insert_with(|| {
                next += 1;
                next - 1
            }),
            None => {
                next += 1;
                next - 1
            }
        })
        .collect();
    let out = PyDict::new(py);
    out.set_item(
        "pairwise",
        pairwise_dict(py, &pairwise_from_clusters(&p, &t).py()?)?,
    )?;
    out.set_item(
        "cluster",
        cluster_dict(py, &exact_clusters(predicted, truth))?,
    )?;
    out.set_item("bcubed", bcubed_dict(py, &bcubed(&p, &t).py()?)?)?;
    Ok(out)
}
