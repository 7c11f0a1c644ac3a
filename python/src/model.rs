//! `Model`: a trained Fellegi–Sunter model, as a Python object and as JSON.

use crate::error::json;
use pyo3::prelude::*;

/// A trained (or starting) Fellegi–Sunter model: prior λ and m/u per comparison level.
///
/// Save it with `to_json()`, load it with `Model.from_json(text)`, install it in a
/// graph with `ProfileGraph.set_model(model)`.
#[pyclass(module = "sameas._sameas", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Model {
    /// The Rust model.
    pub inner: sameas::Model,
}

#[pymethods]
impl Model {
    /// Reads a model from its JSON form (as written by `to_json`).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Model> {
        let inner: sameas::Model = serde_json::from_str(text).map_err(|e| json("model", e))?;
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

    fn __repr__(&self) -> String {
        format!(
            "Model(prior={:.3e}, comparisons=[{}])",
            self.inner.prior(),
            self.comparisons().join(", ")
        )
    }
}
