//! Snapshot loading: corrupted, truncated, bit-flipped and hand-edited snapshots of a
//! `ProfileGraph` or a `LinkGraph` give an error or a working graph, never a panic,
//! an abort or a hang.
//!
//! `cargo fuzz run snapshot` (from the repository root, with cargo-fuzz installed).
//! The body is `fuzz/bodies/snapshot.rs`; `tests/fuzz.rs` runs it on a few thousand
//! inputs as part of the test suite.
#![no_main]

#[path = "../bodies/snapshot.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
