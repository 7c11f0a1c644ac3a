//! Generation speed of the synthetic data set.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sameas_synth::{generate, SynthConfig};

fn bench_generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("synth");
    group.sample_size(10);
    for records in [20_000usize, 200_000] {
        let config = SynthConfig {
            records,
            ..SynthConfig::default()
        };
        group.throughput(Throughput::Elements(records as u64));
        group.bench_function(format!("generate/{records}"), |b| {
            // Dropping the records is left out of the measurement.
            b.iter_batched(|| (), |()| generate(&config), BatchSize::PerIteration)
        });
    }
    group.finish();
}

criterion_group!(benches, bench_generate);
criterion_main!(benches);
