//! The full [`ProfileGraph`] at scale: generated customer records, blocked, compared,
//! trained without labels and clustered.
//!
//! Measures, on a graph already holding `SAMEAS_BENCH_RECORDS` records (default
//! 200,000):
//! - adding one new record (prepare, block, compare, score, cluster): a p50/p99 over
//!   5,000 timed adds that stay in the graph (`SAMEAS_BENCH_ADDS` to change), then
//!   the criterion median of an add (each timed add is erased again, untimed, so the
//!   graph does not grow); the largest candidate components are printed too, since
//!   an add re-clusters the whole component it touches;
//! - re-scoring every stored pair after a model change (`set_model` with a perturbed
//!   model; pairs per second printed), and its criterion median;
//! - memory per record: VmRSS growth and peak (VmHWM) while generating and building,
//!   divided by the number of records (Linux only);
//! - the review queue (`review_queue(50)`, one pass over every pair) and reading every
//!   record's membership confidence.
//!
//! Run: `cargo bench --bench profiles -- --measurement-time 3 --warm-up-time 1`
//! (`SAMEAS_BENCH_RECORDS=1000000` for the size).

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use sameas::{Config, Model, ProfileGraph, Record};
use sameas_synth::{generate, SynthConfig};

/// Records added (and kept) for the percentile run (`SAMEAS_BENCH_ADDS` to change).
fn timed_adds() -> usize {
    std::env::var("SAMEAS_BENCH_ADDS")
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(5_000)
}
/// Extra records cycled through by the criterion add benchmark.
const CYCLE: usize = 2_000;

fn records() -> usize {
    std::env::var("SAMEAS_BENCH_RECORDS")
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(200_000)
}

/// `(VmRSS, VmHWM)` in KiB, from /proc/self/status.
fn memory_kib() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        s.lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Sizes of the largest connected components of the candidate links (pairs at or
/// above the threshold): a change to a component re-clusters all of it.
fn largest_components(graph: &ProfileGraph, k: usize) -> Vec<usize> {
    let threshold = graph.config().threshold;
    let pairs = graph.scored_pairs();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(a, b, p) in &pairs {
        if p < threshold {
            continue;
        }
        let mut slot = |id| {
            *index.entry(id).or_insert_with(|| {
                parent.push(parent.len());
                parent.len() - 1
            })
        };
        let (x, y) = (slot(a), slot(b));
        let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
        if rx != ry {
            parent[rx] = ry;
        }
    }
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for x in 0..parent.len() {
        *sizes.entry(find(&mut parent, x)).or_default() += 1;
    }
    let mut v: Vec<usize> = sizes.into_values().collect();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v.truncate(k);
    v
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The trained model with every comparison's top-level m nudged: most pairs change
/// weight a little, some cross the threshold.
fn perturbed(model: &Model) -> Model {
    let mut m = model.clone();
    for c in 0..m.comparison_count() {
        if let Some(top) = m.m(c, 1) {
            m.set_m(c, 1, (top * 0.8).clamp(1e-6, 1.0)).unwrap();
        }
    }
    m
}

fn bench(c: &mut Criterion) {
    let n = records();
    let adds = timed_adds();
    let before = memory_kib();
    let t = Instant::now();
    let mut data = generate(&SynthConfig {
        records: n + adds + CYCLE,
        seed: 42,
        ..SynthConfig::default()
    });
    let generate_seconds = t.elapsed().as_secs_f64();
    // The records arrive in order of observation: the last ones are new records of
    // known people (and some new people), as in production.
    let cycle: Vec<Record> = data.records.split_off(n + adds);
    let timed: Vec<Record> = data.records.split_off(n);
    let base = std::mem::take(&mut data.records);
    drop(data);

    let t = Instant::now();
    let mut graph =
        ProfileGraph::new(Config::infer(sameas_synth::synth_schema()).unwrap()).unwrap();
    graph.add_batch(base).unwrap();
    let build_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (report, _) = graph.train().unwrap();
    let train_seconds = t.elapsed().as_secs_f64();
    let after = memory_kib();
    let pairs = graph.pair_count();
    println!(
        "profiles bench: {n} records, {pairs} pairs ({:.2} per record), {} profiles; \
         generate {generate_seconds:.2} s, add_batch {build_seconds:.2} s, train {train_seconds:.2} s \
         (EM {} iterations)",
        pairs as f64 / n as f64,
        graph.profiles().len(),
        report.em.iterations()
    );
    match (before, after) {
        (Some((rss0, _)), Some((rss1, hwm1))) => println!(
            "memory per record: {:.0} B resident after build (VmRSS {} → {} MiB), \
             {:.0} B at peak (VmHWM {} MiB); link graph heap {:.0} B per record",
            (rss1.saturating_sub(rss0) as f64 * 1024.0) / n as f64,
            rss0 / 1024,
            rss1 / 1024,
            (hwm1.saturating_sub(rss0) as f64 * 1024.0) / n as f64,
            hwm1 / 1024,
            graph.links().heap_bytes() as f64 / n as f64,
        ),
        _ => println!("memory per record: /proc/self/status not readable"),
    }

    let largest_profile = graph.profiles().iter().map(|(_, m)| m.len()).max();
    println!(
        "largest candidate components: {:?} records; largest profile: {:?} records",
        largest_components(&graph, 5),
        largest_profile
    );

    // p50 / p99 of single adds that stay in the graph.
    let mut times = Vec::with_capacity(timed.len());
    let ids: Vec<String> = timed.iter().map(|r| r.id().to_string()).collect();
    for r in timed {
        let t = Instant::now();
        black_box(graph.add(r).unwrap());
        times.push(t.elapsed());
    }
    times.sort_unstable();
    println!(
        "add one record ({} timed adds): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e6,
        percentile(&times, 0.99).as_secs_f64() * 1e6,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e6),
    );
    let mut erase_times = Vec::with_capacity(ids.len());
    for id in &ids {
        let t = Instant::now();
        black_box(graph.erase(id).unwrap());
        erase_times.push(t.elapsed());
    }
    erase_times.sort_unstable();
    println!(
        "erase one record ({} timed erasures): p50 {:.1} µs, p99 {:.1} µs",
        erase_times.len(),
        percentile(&erase_times, 0.5).as_secs_f64() * 1e6,
        percentile(&erase_times, 0.99).as_secs_f64() * 1e6,
    );

    // Criterion median of one add; each record is erased again (untimed).
    // Flat sampling: an add into a huge component can take long, and linear sampling
    // would run thousands of them.
    let mut group = c.benchmark_group("profiles");
    group.sample_size(20).sampling_mode(SamplingMode::Flat);
    let mut next = 0usize;
    group.bench_function(format!("add_one_record/{n}"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let r = cycle[next % cycle.len()].clone();
                next += 1;
                let id = r.id().to_string();
                let t = Instant::now();
                black_box(graph.add(r).unwrap());
                total += t.elapsed();
                graph.erase(&id).unwrap();
            }
            total
        })
    });
    group.finish();

    // Re-scoring every pair after a model change.
    let trained = graph.model().clone();
    let other = perturbed(&trained);
    let pairs = graph.pair_count();
    let t = Instant::now();
    let events = graph.set_model(other.clone()).unwrap();
    let s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    graph.set_model(trained.clone()).unwrap();
    let back = t.elapsed().as_secs_f64();
    println!(
        "set_model: {pairs} pairs re-scored in {s:.3} s ({:.1} M pairs/s, {} events), \
         and back in {back:.3} s ({:.1} M pairs/s)",
        pairs as f64 / s / 1e6,
        events.len(),
        pairs as f64 / back / 1e6,
    );
    let mut group = c.benchmark_group("profiles");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(pairs as u64));
    let models = [other, trained];
    let mut k = 0usize;
    group.bench_function(format!("set_model_rescore/{n}"), |b| {
        b.iter(|| {
            k += 1;
            black_box(graph.set_model(models[k % 2].clone()).unwrap())
        })
    });
    group.finish();

    // The review queue (one pass over every pair) and every record's membership
    // confidence (what a profiles export reads: one pass over its profile's pairs each).
    let t = Instant::now();
    let queue = graph.review_queue(50);
    let q = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut rated = 0usize;
    for (_, members) in graph.profiles() {
        for id in members {
            rated += usize::from(graph.membership(id).and_then(|m| m.confidence).is_some());
        }
    }
    let m = t.elapsed().as_secs_f64();
    println!(
        "review_queue(50): {q:.3} s over {pairs} pairs ({} questions); membership of every \
         record: {m:.3} s ({rated} in profiles of two or more)",
        queue.len()
    );
    let mut group = c.benchmark_group("profiles");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(pairs as u64));
    group.bench_function(format!("review_queue/{n}"), |b| {
        b.iter(|| black_box(graph.review_queue(50)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
