//! `Model`: a trained Fellegi–Sunter model, as a Python object and as JSON.

use crate::error::{json, parse_strict};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// A trained (or starting) Fellegi–Sunter model: prior λ and m/u per comparison level.
///
/// Save it with `to_json()`, load it with `Model.from_json(text)`, install it in a
/// graph with `ProfileGraph.set_model(model)`. Pickles through its JSON form.
#[pyclass(module = "sameas._sameas", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Model {
    /// The Rust model.
    pub inner: sameas::Model,
}

#[pymethods]
impl Model {
    /// Reads a model from its JSON form (as written by `to_json`); unknown keys are
    /// refused.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Model> {
        let inner: sameas::Model = parse_strict("model", text)?;
        Ok(Model { inner })
    }

    /// The model as JSON text (the same serde form as the Rust crate's).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| json("model", e))
    }

    /// The prior λ: the probability that two random records are the same person.
    #[getter]
    fn prior(&self) -> f64 {
        self.inner.prior()
    }

    /// Names of the comparisons, in γ order.
    #[getter]
    fn comparisons(&self) -> Vec<String> {
        self.inner
            .comparisons()
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// The m/u table as a pandas DataFrame: one row per comparison and non-null
    /// level, in γ order: `comparison`, `gamma` (level index), `level` (label), `m`,
    /// `u`, `match_weight` (log2 m/u), `m_fixed`, `u_fixed`.
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut comparison = Vec::new();
        let mut gamma = Vec::new();
        let mut level = Vec::new();
        let (mut m, mut u, mut weight) = (Vec::new(), Vec::new(), Vec::new());
        let (mut m_fixed, mut u_fixed) = (Vec::new(), Vec::new());
        for (c, params) in self.inner.comparisons().iter().enumerate() {
            for (i, l) in params.levels.iter().enumerate() {
                let g = (i + 1) as u8;
                comparison.push(params.name.as_str());
                gamma.push(u32::from(g));
                level.push(l.label.as_str());
                m.push(l.m);
                u.push(l.u);
                weight.push(self.inner.level_weight(c, g));
                m_fixed.push(l.m_fixed);
                u_fixed.push(l.u_fixed);
            }
        }
        let out = PyDict::new(py);
        out.set_item("comparison", comparison)?;
        out.set_item("gamma", gamma)?;
        out.set_item("level", level)?;
        out.set_item("m", m)?;
        out.set_item("u", u)?;
        out.set_item("match_weight", weight)?;
        out.set_item("m_fixed", m_fixed)?;
        out.set_item("u_fixed", u_fixed)?;
        py.import("pandas")?.getattr("DataFrame")?.call1((out,))
    }

    /// Pickling: rebuilt by `Model.from_json` from the JSON form.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(PyObject, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let text = slf.get().to_json()?;
        let ctor = slf.get_type().getattr("from_json")?.unbind();
        Ok((ctor, PyTuple::new(py, [text])?))
    }

    fn __repr__(&self) -> String {
        format!(
            "Model(prior={:.3e}, comparisons=[{}])",
            self.inner.prior(),
            self.comparisons().join(", ")
        )
    }
}
