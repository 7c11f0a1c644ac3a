//! The one place where Rust errors become Python exceptions.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::{PyErr, PyResult};

create_exception!(
    sameas,
    SameasError,
    PyValueError,
    "Raised for bad input or a failed operation; the message is sameas's own (kind: detail)."
);

/// A sameas error as a `SameasError` (a `ValueError`) carrying the Rust message.
pub fn to_py(e: sameas::Error) -> PyErr {
    SameasError::new_err(e.to_string())
}

/// A JSON (de)serialization error, named after what was being read or written.
pub fn json(what: &str, e: serde_json::Error) -> PyErr {
    SameasError::new_err(format!("parse error: {what}: {e}"))
}

/// Reads `text` as JSON into `T`, refusing keys that `T` does not know: the error names
/// each such key by its path (`schema.0.kindd`) and says what was being read. Types
/// that already refuse unknown keys (the config) report them through serde's message.
pub fn parse_strict<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> PyResult<T> {
    let mut unknown: Vec<String> = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_ignored::deserialize(&mut de, |path| unknown.push(path.to_string()))
        .map_err(|e| json(what, e))?;
    de.end().map_err(|e| json(what, e))?;
    match unknown.as_slice() {
        [] => Ok(value),
        [one] => Err(bad(format!("unknown key `{one}` in {what}"))),
        many => Err(bad(format!(
            "unknown keys in {what}: {}",
            many.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// A bad-input error raised by the bindings themselves (same exception class).
pub fn bad(message: impl Into<String>) -> PyErr {
    SameasError::new_err(message.into())
}

/// Shorthand: `Result<T, sameas::Error>` into `PyResult<T>`.
pub trait IntoPy<T> {
    /// Translate the error.
    fn py(self) -> pyo3::PyResult<T>;
}

impl<T> IntoPy<T> for sameas::Result<T> {
    fn py(self) -> pyo3::PyResult<T> {
        self.map_err(to_py)
    }
}
