//! Time of each match strategy as a whole, from raw records to clusters, on 5,000
//! generated records (the strategies of the `compare_strategies` example). Prints
//! their accuracy table once on stderr before timing.
//!
//! Run: `cargo bench --bench strategies -- --measurement-time 3 --warm-up-time 1`
//! (`STRATEGIES_BENCH_RECORDS=20000` for another size).

#[path = "../examples/strategies/mod.rs"]
mod strategies;

use criterion::{criterion_group, criterion_main, Criterion};
use sameas::Config;
use sameas_synth::{generate, SynthConfig};
use std::hint::black_box;
use strategies::table::format_strategy_table;
use strategies::{evaluate, run, Dataset, Strategy};

fn dataset() -> Dataset {
    let records = std::env::var("STRATEGIES_BENCH_RECORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000);
    let synth = generate(&SynthConfig {
        records,
        seed: 7,
        ..Default::default()
    });
    let config = Config::infer(synth.schema).expect("the generated schema infers a config");
    Dataset {
        records: synth.records,
        truth: synth.truth,
        config,
    }
}

fn bench(c: &mut Criterion) {
    let data = dataset();
    let size = format!("{} records", data.records.len());
    // The accuracy of what is being timed, once, for the log.
    let rows: Vec<_> = Strategy::ALL
        .iter()
        .map(|&s| evaluate(s, &data).expect("strategy runs"))
        .collect();
    eprintln!("{size}\n{}", format_strategy_table(&rows));
    for strategy in Strategy::ALL {
        let mut group = c.benchmark_group(strategy.name());
        group.sample_size(10);
        group.bench_function(&size, |b| {
            b.iter(|| run(black_box(strategy), black_box(&data)).expect("strategy runs"))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
