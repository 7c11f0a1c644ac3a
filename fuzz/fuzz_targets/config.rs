//! Edited configurations: refused with an error, or a graph that works — never a
//! panic, an abort or a hang.
//!
//! `cargo fuzz run config` (from the repository root, with cargo-fuzz installed).
//! The body is `fuzz/bodies/config.rs`; `tests/fuzz.rs` runs it on a few thousand
//! inputs as part of the test suite.
#![no_main]

#[path = "../bodies/config.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
