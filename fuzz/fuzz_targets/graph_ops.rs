//! Sequences of operations on a `ProfileGraph` (add, batch, load, erase, assertions,
//! models, training, snapshot and restore), checked against a mirror of what the
//! graph should hold and, at the end, against the graph rebuilt from the survivors.
//!
//! `cargo fuzz run graph_ops` (from the repository root, with cargo-fuzz installed).
//! The body is `fuzz/bodies/graph_ops.rs`; `tests/fuzz.rs` runs it on a few thousand
//! inputs as part of the test suite.
#![no_main]

#[path = "../bodies/graph_ops.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
