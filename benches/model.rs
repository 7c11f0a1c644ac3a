//! Model benches: scoring throughput and EM on pattern counts.
//!
//! `cargo bench --bench model -- --measurement-time 3 --warm-up-time 1`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sameas::model::{EmSettings, PatternCounts};
use sameas::{Comparison, Gamma, Level, LevelRule, Model};

struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const FUZZY: [usize; 7] = [2, 2, 1, 1, 2, 0, 1];

fn model() -> Model {
    let comps: Vec<Comparison> = FUZZY
        .iter()
        .enumerate()
        .map(|(i, &fuzzy)| {
            let mut levels = vec![Level::new("exact", LevelRule::Exact)];
            for k in 0..fuzzy {
                levels.push(Level::new(
                    format!("within {}", k + 1),
                    LevelRule::Levenshtein { max: k as u8 + 1 },
                ));
            }
            levels.push(Level::new("else", LevelRule::Else));
            Comparison {
                name: format!("c{i}"),
                field: format!("c{i}"),
                fields: Vec::new(),
                levels,
                term_frequency: i < 2,
            }
        })
        .collect();
    Model::new(&comps).unwrap()
}

/// 1M pairs over 7 comparisons: 20% matches (mostly agreeing), 80% non-matches
/// (mostly disagreeing), 10% nulls.
fn pairs(n: usize) -> Vec<(u32, u32, Gamma)> {
    let mut rng = SplitMix(42);
    (0..n as u32)
        .map(|i| {
            let is_match = rng.unit() < 0.2;
            let mut g = Gamma(0);
            for (c, &fuzzy) in FUZZY.iter().enumerate() {
                let top = fuzzy as u64 + 2;
                let x = rng.unit();
                let level = if x < 0.1 {
                    0
                } else if is_match {
                    if x < 0.8 {
                        1
                    } else {
                        1 + rng.next_u64() % top
                    }
                } else if x < 0.9 {
                    top
                } else {
                    1 + rng.next_u64() % top
                };
                g = g.with_level(c, level as u8);
            }
            (i, i + 1, g)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let model = model();
    let pairs = pairs(1_000_000);
    let tf = |a: u32, _b: u32, _c: usize| Some((a % 1000 + 1) as f64 * 1e-5);

    let mut g = c.benchmark_group("score");
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.sample_size(10);
    g.bench_function("weight_1M_7cmp", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for &(_, _, gamma) in &pairs {
                s += model.weight(gamma);
            }
            black_box(s)
        })
    });
    g.bench_function("score_pairs_serial_tf_1M_7cmp", |b| {
        b.iter(|| black_box(model.score_pairs_serial(&pairs, tf)))
    });
    g.bench_function("score_pairs_tf_1M_7cmp", |b| {
        b.iter(|| black_box(model.score_pairs(&pairs, tf)))
    });
    g.finish();

    let mut g = c.benchmark_group("em");
    g.sample_size(10);
    g.throughput(Throughput::Elements(pairs.len() as u64));
    g.bench_function("pattern_counts_1M", |b| {
        b.iter(|| black_box(pairs.iter().map(|p| p.2).collect::<PatternCounts>()))
    });
    let counts: PatternCounts = pairs.iter().map(|p| p.2).collect();
    println!("1M pairs -> {} distinct patterns", counts.len());
    let settings = EmSettings::default();
    let report = model.clone().train_em(&counts, &settings).unwrap();
    println!(
        "EM: {} iterations, converged {}, match share {:.4}",
        report.iterations(),
        report.converged(),
        report.runs[0].match_share
    );
    g.bench_function("train_em_1M_pairs", |b| {
        b.iter_batched(
            || model.clone(),
            |mut m| black_box(m.train_em(&counts, &settings).unwrap()),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
