//! The crate's one error type.

use std::fmt;

/// What went wrong, coarsely; match on this, read the message for details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ErrorKind {
    /// A field name that the schema does not declare.
    UnknownField,
    /// A value whose type does not fit the field's kind (e.g. a date for an email field).
    WrongKind,
    /// A schema that cannot be used (duplicate names, too many fields, …).
    InvalidSchema,
    /// A configuration or parameter outside its allowed range (NaN, ∞, probability > 1, …).
    InvalidConfig,
    /// A record that cannot be accepted (empty id, duplicate id, …).
    InvalidRecord,
    /// A record id that is not known.
    UnknownRecord,
    /// Training could not produce a usable model.
    Training,
    /// Input that could not be parsed (CSV, JSON, …).
    Parse,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ErrorKind::UnknownField => "unknown field",
            ErrorKind::WrongKind => "wrong kind",
            ErrorKind::InvalidSchema => "invalid schema",
            ErrorKind::InvalidConfig => "invalid configuration",
            ErrorKind::InvalidRecord => "invalid record",
            ErrorKind::UnknownRecord => "unknown record",
            ErrorKind::Training => "training failed",
            ErrorKind::Parse => "parse error",
        };
        f.write_str(s)
    }
}

/// The error returned by every fallible function of this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// A new error of `kind` with a human-readable `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// The coarse kind of this error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The detailed, human-readable message (without the kind prefix).
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
