//! Profile-graph clustering core at scale: 1,000,000 nodes with ~5 edges each.
//!
//! Measures adding one node with ~5 edges (criterion median, plus a p50/p99 over
//! 10,000 timed single adds), re-scoring every edge after a model change, and memory
//! per node (VmRSS growth while building, Linux only).
//!
//! Run: `cargo bench --bench graph -- --measurement-time 3 --warm-up-time 1`
//! (`GRAPH_BENCH_NODES=100000` for a quicker run; `GRAPH_BENCH_EDGES_PER_NODE=2.5`
//! for 5 edges touching each node instead of 10).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sameas::graph::{GraphSettings, LinkGraph};
use sameas::{Gamma, NodeId};

const PATTERNS: usize = 64;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Model A: patterns 0..16 are strong matches (8..16 bits), the rest weak or negative.
fn table(shift: f64) -> Vec<f64> {
    (0..PATTERNS)
        .map(|i| {
            if i < 16 {
                8.0 + (i as f64) * 0.5
            } else if i < 32 {
                // -16 .. -11.5: vetoes (p < 0.001), nudged by `shift`.
                -16.0 + ((i - 16) as f64) * 0.3 + shift
            } else {
                // -9 .. -2.8: no link, no veto, nudged by `shift`.
                -9.0 + ((i - 32) as f64) * 0.2 + shift
            }
        })
        .collect()
}

fn rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Groups of 1–5 records chained by strong edges, plus random weak edges up to ~5
/// edges per node, loaded in bulk mode.
fn build(n: usize, rng: &mut Rng) -> (LinkGraph, usize) {
    let t = table(0.0);
    let mut g = LinkGraph::new(GraphSettings::default()).unwrap();
    g.bulk();
    let mut edges = 0usize;
    let mut i = 0;
    while i < n {
        let size = (1 + rng.below(5)).min(n - i);
        for j in i..i + size {
            g.add_node(&format!("rec-{j:08}")).unwrap();
            if j > i {
                let p = rng.below(16);
                g.upsert_edge(
                    NodeId(j as u32 - 1),
                    NodeId(j as u32),
                    Gamma(p as u64),
                    t[p],
                )
                .unwrap();
                edges += 1;
            }
        }
        i += size;
    }
    let per_node: f64 = std::env::var("GRAPH_BENCH_EDGES_PER_NODE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    while (edges as f64) < per_node * n as f64 {
        let (a, b) = (rng.below(n), rng.below(n));
        if a == b {
            continue;
        }
        let p = 16 + rng.below(PATTERNS - 16);
        g.upsert_edge(NodeId(a as u32), NodeId(b as u32), Gamma(p as u64), t[p])
            .unwrap();
        edges += 1;
    }
    g.recompute_all();
    (g, edges)
}

/// One new record: a strong edge to a random existing node and four weak ones.
fn candidate(n: usize, rng: &mut Rng, t: &[f64]) -> Vec<(NodeId, Gamma, f64)> {
    (0..5)
        .map(|k| {
            let p = if k == 0 {
                rng.below(16)
            } else {
                16 + rng.below(PATTERNS - 16)
            };
            (NodeId(rng.below(n) as u32), Gamma(p as u64), t[p])
        })
        .collect()
}

fn bench_graph(c: &mut Criterion) {
    let n: usize = std::env::var("GRAPH_BENCH_NODES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let rss0 = rss_kib();
    let t0 = Instant::now();
    let (mut g, edges) = build(n, &mut rng);
    let build_time = t0.elapsed();
    let rss1 = rss_kib();
    eprintln!(
        "graph: built {n} nodes, {edges} edges, {} profiles in bulk mode in {:.2?}",
        g.profile_count(),
        build_time
    );
    if let (Some(a), Some(b)) = (rss0, rss1) {
        eprintln!(
            "graph: VmRSS growth {:.1} MiB = {:.0} bytes per node ({:.1} edges per node)",
            (b - a) as f64 / 1024.0,
            (b - a) as f64 * 1024.0 / n as f64,
            edges as f64 / n as f64
        );
    }

    eprintln!(
        "graph: own accounting {:.0} heap bytes per node",
        g.heap_bytes() as f64 / n as f64
    );
    let t = table(0.0);
    let mut next_key = n;
    // p50 / p99 over single timed adds.
    let mut lat: Vec<Duration> = Vec::with_capacity(10_000);
    for _ in 0..10_000 {
        let es = candidate(n, &mut rng, &t);
        let key = format!("rec-{next_key:08}");
        next_key += 1;
        let s = Instant::now();
        black_box(g.insert(&key, vec![], &es).unwrap());
        lat.push(s.elapsed());
    }
    lat.sort_unstable();
    eprintln!(
        "graph: single add over 10000: p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        lat[lat.len() / 2],
        lat[lat.len() * 99 / 100],
        lat[lat.len() - 1]
    );

    let mut group = c.benchmark_group("graph_1m");
    group.sample_size(20);
    group.bench_function("add_one_node_5_edges", |b| {
        b.iter_custom(|iters| {
            let inputs: Vec<_> = (0..iters)
                .map(|_| {
                    let key = format!("rec-{next_key:08}");
                    next_key += 1;
                    (key, candidate(n, &mut rng, &t))
                })
                .collect();
            let s = Instant::now();
            for (key, es) in &inputs {
                black_box(g.insert(key, vec![], es).unwrap());
            }
            s.elapsed()
        })
    });

    let live = g.pair_count() as u64;
    group.throughput(Throughput::Elements(live));
    // Weight update alone: the new model moves only weights that stay below the link
    // threshold and on the same side of the veto, so nothing re-clusters.
    let (ta, tb) = (table(0.0), table(0.01));
    let mut flip = false;
    group.bench_function("rescore_weights_only", |b| {
        b.iter(|| {
            flip = !flip;
            let tt = if flip { &tb } else { &ta };
            black_box(g.rescore(|gm| tt[(gm.0 as usize) & (PATTERNS - 1)]))
        })
    });
    group.finish();

    // A model change that moves every strong weight too: all components re-cluster.
    let strong_shift: Vec<f64> = ta
        .iter()
        .map(|w| if *w > 0.0 { w + 1.0 } else { *w })
        .collect();
    let s = Instant::now();
    let ev = g.rescore(|gm| strong_shift[(gm.0 as usize) & (PATTERNS - 1)]);
    let el = s.elapsed();
    eprintln!(
        "graph: full rescore + re-cluster of {live} pairs: {el:.2?} ({:.1} M pairs/s, {} events)",
        live as f64 / el.as_secs_f64() / 1e6,
        ev.len()
    );
}

criterion_group!(benches, bench_graph);
criterion_main!(benches);
