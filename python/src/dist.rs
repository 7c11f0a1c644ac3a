//! Building blocks of distributed runs: blocking keys and exclusive keys per record,
//! scores of given pairs (on many machines, each holding a pickled template graph),
//! and clustering of supplied edges with the graph's rule (on one).

use crate::error::{bad, parse_strict, IntoPy};
use crate::graph::Graph;
use crate::table::{records_from, Roles};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use sameas::block::RecordKeys;
use sameas::graph::LinkGraph;
use sameas::{Config, Gamma};

/// Column roles of a records table.
fn roles<'a>(
    id: &'a str,
    source: Option<&'a str>,
    observed_at: Option<&'a str>,
    ignore: &'a [String],
) -> Roles<'a> {
    Roles {
        id: Some(id),
        source,
        observed_at,
        ignore,
        limit: None,
    }
}

/// Blocking keys of records (columns) under this graph's rules: columns
/// `record_id`, `source`, `rule`, `key` (i64), `sort_key` (hex), one row per key.
#[pyfunction]
#[pyo3(signature = (graph, columns, id, source=None, observed_at=None, ignore=Vec::new()))]
pub fn block_keys<'py>(
    graph: PyRef<'py, Graph>,
    py: Python<'py>,
    columns: &Bound<'py, PyDict>,
    id: &str,
    source: Option<&str>,
    observed_at: Option<&str>,
    ignore: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let roles = roles(id, source, observed_at, &ignore);
    let records = records_from(py, &graph.inner.config().schema, columns, &roles)?;
    let inner = &graph.inner;
    #[allow(clippy::type_complexity)]
    let (ids, sources, rules, keys, sort_keys): (
        Vec<String>,
        Vec<String>,
        Vec<u8>,
        Vec<i64>,
        Vec<String>,
    ) = py.allow_threads(|| {
        let mut out = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for r in &records {
            let k = inner.blocking_keys(r);
            let sort: String = k.sort_key().iter().map(|b| format!("{b:02x}")).collect();
            for &key in k.keys() {
                let rule = RecordKeys::rule_of(key) as u8;
                out.0.push(r.id().to_string());
                out.1.push(r.source().to_string());
                out.2.push(rule);
                out.3.push(key as i64);
                out.4.push(sort.clone());
            }
        }
        out
    });
    let d = PyDict::new(py);
    d.set_item("record_id", ids)?;
    d.set_item("source", sources)?;
    d.set_item("rule", rules.into_iter().map(u32::from).collect::<Vec<_>>())?;
    d.set_item("key", keys)?;
    d.set_item("sort_key", sort_keys)?;
    Ok(d)
}

/// Exclusive keys (strong identifiers) of records: columns `record_id`, `class`,
/// `value` (i64 each), one row per key.
#[pyfunction]
#[pyo3(signature = (graph, columns, id, source=None, observed_at=None, ignore=Vec::new()))]
pub fn exclusive_keys<'py>(
    graph: PyRef<'py, Graph>,
    py: Python<'py>,
    columns: &Bound<'py, PyDict>,
    id: &str,
    source: Option<&str>,
    observed_at: Option<&str>,
    ignore: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let roles = roles(id, source, observed_at, &ignore);
    let records = records_from(py, &graph.inner.config().schema, columns, &roles)?;
    let (mut ids, mut classes, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for r in &records {
        for (c, v) in graph.inner.exclusive_keys(r) {
            ids.push(r.id().to_string());
            classes.push(c as i64);
            values.push(v as i64);
        }
    }
    let d = PyDict::new(py);
    d.set_item("record_id", ids)?;
    d.set_item("class", classes)?;
    d.set_item("value", values)?;
    Ok(d)
}

/// Scores row i of `left` against row i of `right` (two record tables of one
/// length): columns `left_id`, `right_id`, `gamma` (i64), `match_weight`,
/// `two_people` (γ marks two people: `ProfileGraph::two_people`), plus `levels` (one
/// list of γ levels per comparison).
#[pyfunction]
#[pyo3(signature = (graph, left, right, id, source=None, observed_at=None, ignore=Vec::new()))]
#[allow(clippy::too_many_arguments)]
pub fn score_pairs<'py>(
    graph: PyRef<'py, Graph>,
    py: Python<'py>,
    left: &Bound<'py, PyDict>,
    right: &Bound<'py, PyDict>,
    id: &str,
    source: Option<&str>,
    observed_at: Option<&str>,
    ignore: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let roles = roles(id, source, observed_at, &ignore);
    let schema = &graph.inner.config().schema;
    let a = records_from(py, schema, left, &roles)?;
    let b = records_from(py, schema, right, &roles)?;
    if a.len() != b.len() {
        return Err(bad(format!(
            "left has {} records but right has {}; give one pair per row",
            a.len(),
            b.len()
        )));
    }
    let inner = &graph.inner;
    let scored: Vec<(Gamma, f64)> = py
        .allow_threads(|| {
            a.iter()
                .zip(&b)
                .map(|(x, y)| inner.score_records(x, y))
                .collect::<sameas::Result<_>>()
        })
        .py()?;
    let n = inner.comparison_names().len();
    let d = PyDict::new(py);
    d.set_item("left_id", PyList::new(py, a.iter().map(|r| r.id()))?)?;
    d.set_item("right_id", PyList::new(py, b.iter().map(|r| r.id()))?)?;
    d.set_item(
        "gamma",
        scored.iter().map(|(g, _)| g.0 as i64).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "match_weight",
        scored.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "two_people",
        scored
            .iter()
            .map(|(g, _)| inner.two_people(*g))
            .collect::<Vec<_>>(),
    )?;
    let levels = PyList::empty(py);
    for c in 0..n {
        levels.append(
            scored
                .iter()
                .map(|(g, _)| u32::from(g.level(c)))
                .collect::<Vec<_>>(),
        )?;
    }
    d.set_item("levels", levels)?;
    Ok(d)
}

/// Clusters supplied records and scored pairs with the graph's rule (threshold, veto,
/// exclusive keys; stable ids in the order records are given). With a `template`
/// graph, its settings and its model's weights for disagreements between clusters as
/// wholes (a field missing on a pair that the other pairs say differs; a given name or
/// birth date that differs record after record) are used
/// (the config is then ignored) and edges flagged in `check` are checks (read only as
/// vetoes, see `LinkGraph::add_checks`). Returns (record ids, profile ids) in profile
/// order.
#[pyfunction]
#[pyo3(signature = (config, ids, left, right, gamma, weight, exclusive=None, template=None, check=None))]
#[allow(clippy::too_many_arguments)]
#[allow(clippy::type_complexity)]
pub fn cluster(
    py: Python<'_>,
    config: &str,
    ids: Vec<String>,
    left: Vec<String>,
    right: Vec<String>,
    gamma: Vec<i64>,
    weight: Vec<f64>,
    exclusive: Option<(Vec<String>, Vec<i64>, Vec<i64>)>,
    template: Option<PyRef<'_, Graph>>,
    check: Option<Vec<bool>>,
) -> PyResult<(Vec<String>, Vec<u64>)> {
    let core = match &template {
        Some(t) => t.inner.empty_core().py()?,
        None => {
            let config: Config = parse_strict("config", config)?;
            config.validate().py()?;
            LinkGraph::new(config.graph_settings()).py()?
        }
    };
    let check = check.unwrap_or_else(|| vec![false; left.len()]);
    if left.len() != right.len()
        || left.len() != gamma.len()
        || left.len() != weight.len()
        || left.len() != check.len()
    {
        return Err(bad(
            "edges: left, right, gamma, weight and check differ in length",
        ));
    }
    py.allow_threads(move || -> sameas::Result<_> {
        let mut g = core;
        g.bulk();
        g.reserve(ids.len(), left.len());
        let mut nodes = std::collections::HashMap::with_capacity(ids.len());
        for id in &ids {
            let n = g.add_node(id)?;
            nodes.insert(id.as_str(), n);
        }
        let node = |id: &str| {
            nodes.get(id).copied().ok_or_else(|| {
                sameas::Error::new(
                    sameas::ErrorKind::InvalidRecord,
                    format!("unknown record {id:?} in the edges (not among the records)"),
                )
            })
        };
        if let Some((eids, classes, values)) = exclusive {
            let mut per: std::collections::BTreeMap<&str, Vec<(u64, u64)>> = Default::default();
            for ((id, c), v) in eids.iter().zip(&classes).zip(&values) {
                per.entry(id.as_str())
                    .or_default()
                    .push((*c as u64, *v as u64));
            }
            for (id, keys) in per {
                g.set_exclusive(node(id)?, keys)?;
            }
        }
        let mut checks = Vec::new();
        for i in 0..left.len() {
            let (a, b, g_i) = (node(&left[i])?, node(&right[i])?, Gamma(gamma[i] as u64));
            if check[i] {
                checks.push((a, b, g_i, weight[i]));
            } else {
                g.upsert_edge(a, b, g_i, weight[i])?;
            }
        }
        g.add_checks(&checks)?;
        g.recompute_all();
        let mut out_ids = Vec::with_capacity(ids.len());
        let mut out_profiles = Vec::with_capacity(ids.len());
        for (p, members) in g.profiles() {
            for &m in members {
                out_ids.push(g.key(m).unwrap_or_default().to_string());
                out_profiles.push(p.0);
            }
        }
        Ok((out_ids, out_profiles))
    })
    .py()
}

/// Normalizes values of one field kind (snake_case name, as in configs) with the
/// options (`NormalizeOptions` JSON, default when None): the canonical text, or None
/// for a value that is empty or invalid for the kind (with the reason in `reasons`).
#[pyfunction]
#[pyo3(signature = (kind, values, options=None))]
#[allow(clippy::type_complexity)]
pub fn normalize<'py>(
    py: Python<'py>,
    kind: &str,
    values: Vec<Bound<'py, PyAny>>,
    options: Option<&str>,
) -> PyResult<(Vec<Option<String>>, Vec<Option<String>>)> {
    // Cells read as for records: None, NaN, pd.NA and NaT are missing.
    let values: Vec<Option<String>> = values
        .iter()
        .map(crate::table::scalar)
        .collect::<PyResult<_>>()?;
    use sameas::normalize::{normalize_value, NormalizeOptions, Normalized};
    let kind: sameas::FieldKind = serde_json::from_value(serde_json::Value::String(kind.into()))
        .map_err(|_| {
            bad(format!(
                "unknown field kind {kind:?} (one of: {})",
                sameas::FieldKind::ALL.map(|k| k.as_str()).join(", ")
            ))
        })?;
    // Options given in part fill the rest from the defaults.
    let options: NormalizeOptions = match options {
        Some(o) => {
            let given: serde_json::Value =
                serde_json::from_str(o).map_err(|e| crate::error::json("normalize options", e))?;
            let mut merged = serde_json::to_value(NormalizeOptions::default())
                .map_err(|e| crate::error::json("normalize options", e))?;
            match (given, &mut merged) {
                (serde_json::Value::Object(g), serde_json::Value::Object(m)) => m.extend(g),
                _ => return Err(bad("normalize options must be a dict")),
            }
            parse_strict("normalize options", &merged.to_string())?
        }
        None => NormalizeOptions::default(),
    };
    Ok(py.allow_threads(|| {
        values
            .into_iter()
            .map(|v| match v {
                None => (None, None),
                Some(v) => match normalize_value(kind, &v, &options) {
                    Normalized::Valid(s) => (Some(s), None),
                    Normalized::Empty => (None, None),
                    Normalized::Invalid(why) => (None, Some(why.reason)),
                },
            })
            .unzip()
    }))
}
