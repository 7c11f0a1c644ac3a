//! Comparison vectors per second for a typical customer schema, and blocking
//! throughput, on generated multi-source customer data.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sameas::block::BlockIndex;
use sameas::compare::ComparisonSet;
use sameas::NodeId;
use sameas::{Comparison, Config, FieldKind, Schema};
use sameas_synth::{generate, SynthConfig};

/// The typical schema of the issue: given name, family name, date of birth, email,
/// phone, postcode, city (the generated data's other fields are left out).
fn typical() -> (ComparisonSet, Vec<sameas::Record>, Schema) {
    let data = generate(&SynthConfig {
        records: 20_000,
        seed: 1,
        ..Default::default()
    });
    let fields = [
        "given_name",
        "family_name",
        "date_of_birth",
        "email",
        "phone",
        "postcode",
        "city",
    ];
    let comparisons: Vec<Comparison> = fields
        .iter()
        .map(|f| {
            let kind = data
                .schema
                .field(f)
                .expect("generated schema has the field")
                .1
                .kind;
            Comparison::for_kind(f, kind)
        })
        .collect();
    let config = Config::infer(data.schema.clone()).expect("config");
    let set = ComparisonSet::new(data.schema.clone(), comparisons, config.normalize).expect("set");
    assert!(fields.iter().all(|f| data
        .schema
        .field(f)
        .map(|(_, d)| d.kind != FieldKind::Category)
        .unwrap_or(false)));
    (set, data.records, data.schema)
}

fn bench_gamma(c: &mut Criterion) {
    let (set, records, schema) = typical();
    let prepared: Vec<_> = records
        .iter()
        .map(|r| set.prepare(r).expect("prepare"))
        .collect();
    // Realistic pairs: the blocked candidate pairs of the generated data (mostly
    // near-duplicates and same-name strangers), as a comparison loop sees them.
    let config = Config::infer(schema.clone()).expect("config");
    let mut index = BlockIndex::new(&schema, config.blocking, config.normalize).expect("index");
    for (i, r) in records.iter().enumerate() {
        index.add(NodeId(i as u32), r).expect("add");
    }
    let pairs: Vec<(usize, usize)> = index
        .pairs()
        .into_iter()
        .take(200_000)
        .map(|(a, b)| (a.index(), b.index()))
        .collect();
    let mut group = c.benchmark_group("gamma");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("typical_schema_candidate_pairs", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for &(x, y) in &pairs {
                acc ^= set.gamma(&prepared[x], &prepared[y]).0;
            }
            black_box(acc)
        })
    });
    group.finish();
}

fn bench_blocking(c: &mut Criterion) {
    let (_, records, schema) = typical();
    let config = Config::infer(schema.clone()).expect("config");
    let mut group = c.benchmark_group("blocking");
    group.sample_size(10);
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("index_and_pairs_20k_records", |b| {
        b.iter(|| {
            let mut index =
                BlockIndex::new(&schema, config.blocking.clone(), config.normalize.clone())
                    .expect("index");
            for (i, r) in records.iter().enumerate() {
                index.add(NodeId(i as u32), r).expect("add");
            }
            black_box(index.pairs().len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_gamma, bench_blocking);
criterion_main!(benches);
