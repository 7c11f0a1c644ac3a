//! The one place where Rust errors become Python exceptions.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::PyErr;

create_exception!(
    _sameas,
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
