//! Our similarity functions against strsim on the same realistic name pairs.
//!
//! strsim works on `&str`; ours on prepared `&[char]` (as the comparison code
//! holds them). Throughput is in name pairs.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// Name pairs as they meet in the comparison loop: typos, transpositions,
/// nicknames, diacritics transliterated, and unrelated names.
const PAIRS: &[(&str, &str)] = &[
    ("jonathan", "johnathan"),
    ("catherine", "kathryn"),
    ("martha", "marhta"),
    ("dwayne", "duane"),
    ("smith", "smyth"),
    ("schmidt", "smith"),
    ("jovanovic", "jovanovich"),
    ("muller", "mueller"),
    ("elizabeth", "elisabeth"),
    ("william", "bill"),
    ("robert", "roberto"),
    ("alexander", "alexandra"),
    ("mcdonald", "macdonald"),
    ("oconnor", "o connor"),
    ("christopher", "kristopher"),
    ("nguyen", "nguyen"),
    ("garcia", "garica"),
    ("anderson", "andersen"),
    ("thompson", "thomson"),
    ("van der berg", "vandenberg"),
    ("patricia", "patrick"),
    ("zhang", "wang"),
    ("fitzgerald", "fitzgerrald"),
    ("hernandez", "fernandez"),
];

fn similarity_vs_strsim(c: &mut Criterion) {
    let prepared: Vec<(Vec<char>, Vec<char>)> = PAIRS
        .iter()
        .map(|(a, b)| (a.chars().collect(), b.chars().collect()))
        .collect();
    let mut group = c.benchmark_group("similarity_vs_strsim");
    group.throughput(Throughput::Elements(PAIRS.len() as u64));

    group.bench_function("jaro_winkler/sameas", |bench| {
        bench.iter(|| {
            let mut sum = 0.0;
            for (a, b) in &prepared {
                sum += sameas::similarity::jaro_winkler(black_box(a), black_box(b));
            }
            sum
        })
    });
    group.bench_function("jaro_winkler/strsim", |bench| {
        bench.iter(|| {
            let mut sum = 0.0;
            for (a, b) in PAIRS {
                sum += strsim::jaro_winkler(black_box(a), black_box(b));
            }
            sum
        })
    });
    group.bench_function("levenshtein/sameas", |bench| {
        bench.iter(|| {
            let mut sum = 0;
            for (a, b) in &prepared {
                sum += sameas::similarity::levenshtein(black_box(a), black_box(b));
            }
            sum
        })
    });
    group.bench_function("levenshtein/strsim", |bench| {
        bench.iter(|| {
            let mut sum = 0;
            for (a, b) in PAIRS {
                sum += strsim::levenshtein(black_box(a), black_box(b));
            }
            sum
        })
    });
    group.bench_function("levenshtein_within_2/sameas", |bench| {
        bench.iter(|| {
            let mut sum = 0;
            for (a, b) in &prepared {
                sum += sameas::similarity::levenshtein_within(black_box(a), black_box(b), 2)
                    .unwrap_or(3);
            }
            sum
        })
    });
    group.bench_function("damerau_osa/sameas", |bench| {
        bench.iter(|| {
            let mut sum = 0;
            for (a, b) in &prepared {
                sum += sameas::similarity::damerau_osa(black_box(a), black_box(b));
            }
            sum
        })
    });
    group.bench_function("damerau_osa/strsim", |bench| {
        bench.iter(|| {
            let mut sum = 0;
            for (a, b) in PAIRS {
                sum += strsim::osa_distance(black_box(a), black_box(b));
            }
            sum
        })
    });
    group.finish();
}

criterion_group!(benches, similarity_vs_strsim);
criterion_main!(benches);
