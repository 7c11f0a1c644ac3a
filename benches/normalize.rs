//! Throughput of name normalization on a mixed-script list of names.
//!
//! `cargo bench --bench normalize -- --measurement-time 3 --warm-up-time 1`
//! reports elements (names) per second.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sameas::normalize::{normalize_name, normalize_text, split_full_name};

/// Name parts per script; full names are drawn from one script at a time.
const SCRIPTS: &[(&[&str], &[&str])] = &[
    // Latin with diacritics (Romanian, Serbian Latin, German, Polish, Vietnamese)
    (
        &[
            "Ștefan",
            "Ioana",
            "Đorđe",
            "Łukasz",
            "Jürgen",
            "Nguyễn Thị",
            "Zoë",
            "Søren",
        ],
        &[
            "Popescu",
            "Jovanović",
            "Müller-Straße",
            "Wiśniewski",
            "Țurcanu",
            "Øster",
        ],
    ),
    // Serbian Cyrillic
    (
        &["Јован", "Љиљана", "Ђорђе", "Милица", "Небојша", "Џенана"],
        &["Јовановић", "Петровић", "Његош", "Ђукић", "Шарић"],
    ),
    // Greek
    (
        &["Ευάγγελος", "Σπύρος", "Μαρία", "Γιώργος", "Κωνσταντίνος"],
        &["Παπαδόπουλος", "Κυριακίδης", "Οικονόμου", "Γεωργίου"],
    ),
    // Indonesian, with titles
    (
        &[
            "Bapak Budi",
            "Ibu Siti",
            "Hj. Nur",
            "Ir. H. Joko",
            "Dewi",
            "Agus",
        ],
        &[
            "Santoso, S.Kom.",
            "Rahmawati",
            "Widodo",
            "Setiawan, S.E., M.M.",
            "Sukarno",
        ],
    ),
    // Plain ASCII
    (
        &[
            "John",
            "Mary",
            "Mr. Robert",
            "Elizabeth",
            "William",
            "O'Brien",
        ],
        &[
            "Smith",
            "Johnson",
            "Williams Jr.",
            "Brown",
            "O'Connor",
            "van der Berg",
        ],
    ),
    // Full-width
    (
        &["ＪＯＨＮ", "ＭＡＲＹ", "ＡＮＮＡ"],
        &["ＳＭＩＴＨ", "ＳＡＴＯ", "ＬＥＥ"],
    ),
];

fn names(n: usize) -> Vec<String> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    (0..n)
        .map(|i| {
            let (given, family) = SCRIPTS[i % SCRIPTS.len()];
            format!(
                "{} {}",
                given[next(given.len())],
                family[next(family.len())]
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let list = names(10_000);
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Elements(list.len() as u64));
    group.bench_function("normalize_name/mixed_script", |b| {
        b.iter(|| {
            for s in &list {
                black_box(normalize_name(black_box(s)));
            }
        })
    });
    group.bench_function("normalize_text/mixed_script", |b| {
        b.iter(|| {
            for s in &list {
                black_box(normalize_text(black_box(s)));
            }
        })
    });
    group.bench_function("split_full_name/mixed_script", |b| {
        b.iter(|| {
            for s in &list {
                black_box(split_full_name(black_box(s)));
            }
        })
    });
    let ascii: Vec<String> = list.iter().filter(|s| s.is_ascii()).cloned().collect();
    group.throughput(Throughput::Elements(ascii.len() as u64));
    group.bench_function("normalize_name/ascii", |b| {
        b.iter(|| {
            for s in &ascii {
                black_box(normalize_name(black_box(s)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
