//! A short, bounded run of every fuzz target (`fuzz/`), as part of `cargo test`: each
//! body (`fuzz/bodies/*.rs`, the same code `cargo fuzz run <target>` drives) gets a
//! few structured seeds and a few thousand deterministic pseudo-random inputs. The
//! bodies check their own invariants (see each file); a failure names the input, to
//! replay it here or under `cargo fuzz`.
//!
//! `FUZZ_CASES=N` changes the number of generated inputs per target, `FUZZ_SEED=S`
//! draws other inputs (a longer exploration: `FUZZ_CASES=100000 FUZZ_SEED=$RANDOM
//! cargo test --release --test fuzz`).

#[path = "../fuzz/bodies/config.rs"]
mod config;
#[path = "../fuzz/bodies/graph_ops.rs"]
mod graph_ops;
#[path = "../fuzz/bodies/normalize.rs"]
mod normalize;
#[path = "../fuzz/bodies/snapshot.rs"]
mod snapshot;

/// xorshift64*: deterministic, platform-independent.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn bytes(&mut self, max_len: usize) -> Vec<u8> {
        let len = (self.next() % (max_len as u64 + 1)) as usize;
        (0..len).map(|_| self.next() as u8).collect()
    }
}

fn cases(default: usize) -> usize {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Runs `body` on `seeds`, then on `n` generated inputs of up to `max_len` bytes;
/// a panic is reported with the input that caused it.
fn drive(name: &str, body: fn(&[u8]), seeds: &[Vec<u8>], n: usize, max_len: usize, seed: u64) {
    let extra: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut rng = Rng(seed ^ extra.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let generated = (0..n).map(|_| rng.bytes(max_len));
    for (i, input) in seeds.iter().cloned().chain(generated).enumerate() {
        if let Err(e) = std::panic::catch_unwind(|| body(&input)) {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let message: String = message.chars().take(2000).collect();
            panic!("{name}: input {i} ({input:?}) failed: {message}");
        }
    }
}

#[test]
fn normalize_bounded_run() {
    let seeds: Vec<Vec<u8>> = [
        &b""[..],
        b"the the t t",
        b"((((((((((((((((((((((((((((((((",
        "Јовановић Dr. Hr. ul. Jl.".as_bytes(),
        b"\xff\xfe\x00\x00 +40 (0) 721 234 567",
        b"29.02.1900 1967-13-10 Nopember",
        b"Ana.Pop+tag@GoogleMail.com",
    ]
    .iter()
    .map(|s| s.to_vec())
    .collect();
    drive(
        "normalize",
        normalize::run,
        &seeds,
        cases(3000),
        64,
        0x5EED_0001,
    );
}

#[test]
fn graph_ops_bounded_run() {
    // Structured seeds: every operation kind, on every configuration.
    let seeds: Vec<Vec<u8>> = (0..4u8)
        .map(|config| {
            let mut v = vec![config];
            for op in 0..12u8 {
                v.extend([op, op.wrapping_mul(37), 5, 9, 200, 1, 2, 3, 4, 5, 6, 7, 8]);
            }
            v
        })
        .collect();
    drive(
        "graph_ops",
        graph_ops::run,
        &seeds,
        cases(300),
        400,
        0x5EED_0002,
    );
}

#[test]
fn snapshot_bounded_run() {
    let seeds: Vec<Vec<u8>> = vec![
        vec![0],
        b"\x00{\"format\":\"ProfileGraph\",\"format_version\":2}".to_vec(),
        b"\x00[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec(),
        vec![1, 0, 2, 0x80, 0],
        vec![3, 0, 2, 0x40, 0],
    ];
    drive(
        "snapshot",
        snapshot::run,
        &seeds,
        cases(2000),
        24,
        0x5EED_0003,
    );
}

#[test]
fn config_bounded_run() {
    let seeds: Vec<Vec<u8>> = vec![vec![], vec![0, 7, 0x80, 0, 3], vec![3, 6, 0x20, 0, 8]];
    drive("config", config::run, &seeds, cases(1500), 24, 0x5EED_0004);
}
