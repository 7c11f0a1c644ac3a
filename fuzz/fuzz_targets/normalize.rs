//! Every normalizer on arbitrary bytes: no panic, and idempotent on its own output.
//!
//! `cargo fuzz run normalize` (from the repository root, with cargo-fuzz installed).
//! The body is `fuzz/bodies/normalize.rs`; `tests/fuzz.rs` runs it on a few thousand
//! inputs as part of the test suite.
#![no_main]

#[path = "../bodies/normalize.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| body::run(data));
