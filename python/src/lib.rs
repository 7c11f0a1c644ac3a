//! `sameas._sameas`: the native module behind the `sameas` Python package.
//!
//! Thin over the Rust crate: configurations, models and snapshots cross as JSON (the
//! crate's serde form), records cross as columns, every error becomes `SameasError`
//! (a `ValueError`) in `error.rs`, and heavy work runs with the GIL released.

mod dist;
mod error;
mod graph;
mod model;
mod table;

use error::{json, parse_strict, IntoPy};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use sameas::config::TableSample;
use table::{read_table, Roles};

/// Infers a configuration (JSON) from columns and their first `sample_rows` values.
/// Columns in `exclude` and columns that look like ids, sources or truth are left out.
#[pyfunction]
#[pyo3(signature = (columns, sample_rows=200, exclude=Vec::new()))]
fn infer_config(
    columns: &Bound<'_, PyDict>,
    sample_rows: usize,
    exclude: Vec<String>,
) -> PyResult<String> {
    let roles = Roles {
        id: None,
        source: None,
        observed_at: None,
        ignore: &exclude,
        limit: Some(sample_rows),
    };
    let t = read_table(columns, &roles)?;
    let names: Vec<&str> = t.fields.iter().map(|(n, _)| n.as_str()).collect();
    let rows: Vec<Vec<&str>> = (0..t.rows)
        .map(|r| {
            t.fields
                .iter()
                .map(|(_, c)| c.get(r).map_or("", |c| c.first()))
                .collect()
        })
        .collect();
    let schema = sameas::config::infer_schema(&names, &rows).py()?;
    let config = sameas::Config::infer(schema).py()?;
    serde_json::to_string(&config).map_err(|e| json("config", e))
}

/// For tables of different sources, each its column names and sample rows of text,
/// the column of one shared schema each column feeds (`None`: none):
/// `config::infer_schema_of_tables`.
#[pyfunction]
fn align_columns(
    tables: Vec<(Vec<String>, Vec<Vec<String>>)>,
) -> PyResult<Vec<Vec<Option<String>>>> {
    let columns: Vec<Vec<&str>> = tables
        .iter()
        .map(|(c, _)| c.iter().map(String::as_str).collect())
        .collect();
    let rows: Vec<Vec<Vec<&str>>> = tables
        .iter()
        .map(|(_, r)| {
            r.iter()
                .map(|row| row.iter().map(String::as_str).collect())
                .collect()
        })
        .collect();
    let samples: Vec<TableSample<'_>> = columns
        .iter()
        .zip(&rows)
        .map(|(columns, rows)| TableSample { columns, rows })
        .collect();
    let (_, feeds) = sameas::config::infer_schema_of_tables(&samples).py()?;
    Ok(feeds)
}

/// The columns among `columns` that records built for the configuration would not
/// read: neither a schema column nor a second e-mail or phone column (`email_2`), as
/// `table::build_records` maps them.
#[pyfunction]
fn unused_columns(config: &str, columns: Vec<String>) -> PyResult<Vec<String>> {
    let config: sameas::Config = parse_strict("config", config)?;
    let read = table::columns_read(&config.schema, &columns).py()?;
    Ok(columns
        .into_iter()
        .zip(read)
        .filter(|(_, read)| !read)
        .map(|(c, _)| c)
        .collect())
}

/// Applies the library's threshold policy to a configuration (JSON) and returns it:
/// `Config::set_threshold` (link threshold `threshold`, veto lowered to it when above).
#[pyfunction]
fn set_threshold(config: &str, threshold: f64) -> PyResult<String> {
    let mut config: sameas::Config = parse_strict("config", config)?;
    config.set_threshold(threshold).py()?;
    serde_json::to_string(&config).map_err(|e| json("config", e))
}

/// Generates a multi-source customer data set with truth, as columns (see
/// `sameas.generate`). `options` is SynthConfig JSON (records, seed, rates).
#[pyfunction]
fn generate<'py>(py: Python<'py>, options: &str) -> PyResult<Bound<'py, PyDict>> {
    let config: sameas_synth::SynthConfig = parse_strict("generator options", options)?;
    let (header, rows) = py.allow_threads(|| {
        let data = sameas_synth::generate(&config);
        sameas_synth::to_csv_rows(&data)
    });
    let out = PyDict::new(py);
    for (i, name) in header.iter().enumerate() {
        if name == "entity_id" {
            let v: Vec<u64> = rows
                .iter()
                .map(|r| r.get(i).and_then(|s| s.parse().ok()).unwrap_or(0))
                .collect();
            out.set_item(name, v)?;
        } else {
            let list = PyList::new(py, rows.iter().map(|r| r.get(i).map_or("", String::as_str)))?;
            out.set_item(name, list)?;
        }
    }
    Ok(out)
}

/// Pairwise, exact-cluster and B-cubed metrics of a clustering against the truth:
/// `predicted[i]` is record i's profile (None: alone), `truth[i]` its entity.
#[pyfunction]
fn evaluate_labels<'py>(
    py: Python<'py>,
    predicted: Vec<Option<String>>,
    truth: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    graph::evaluate_labels(py, &predicted, &truth)
}

/// The native module.
#[pymodule]
fn _sameas(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SameasError", m.py().get_type::<error::SameasError>())?;
    m.add_class::<graph::Graph>()?;
    m.add_class::<model::Model>()?;
    m.add_function(wrap_pyfunction!(infer_config, m)?)?;
    m.add_function(wrap_pyfunction!(align_columns, m)?)?;
    m.add_function(wrap_pyfunction!(unused_columns, m)?)?;
    m.add_function(wrap_pyfunction!(generate, m)?)?;
    m.add_function(wrap_pyfunction!(set_threshold, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_labels, m)?)?;
    m.add_function(wrap_pyfunction!(dist::cluster, m)?)?;
    m.add_function(wrap_pyfunction!(dist::block_keys, m)?)?;
    m.add_function(wrap_pyfunction!(dist::exclusive_keys, m)?)?;
    m.add_function(wrap_pyfunction!(dist::score_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(dist::normalize, m)?)?;
    m.add("DEFAULT_THRESHOLD", sameas::graph::DEFAULT_THRESHOLD)?;
    m.add("DEFAULT_VETO", sameas::graph::DEFAULT_VETO)?;
    m.add("MAX_CHECKED_MEMBERS", sameas::profiles::MAX_CHECKED_MEMBERS)?;
    m.add(
        "DEFAULT_MAX_BLOCK_SIZE",
        sameas::block::DEFAULT_MAX_BLOCK_SIZE,
    )?;
    m.add("DEFAULT_WINDOW", sameas::block::DEFAULT_WINDOW)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
