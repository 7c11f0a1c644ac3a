use sameas::{Config, ProfileGraph};
use sameas_synth::{generate, SynthConfig};
fn rss() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let f = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
            / 1024
    };
    format!("rss {} MB hwm {} MB", f("VmRSS:"), f("VmHWM:"))
}
fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let mut data = generate(&SynthConfig {
        records: n,
        seed: 7,
        ..Default::default()
    });
    let config = Config::infer(data.schema.clone()).unwrap();
    let records = std::mem::take(&mut data.records);
    drop(data);
    eprintln!("records built: {}", rss());
    let mut g = ProfileGraph::new(config).unwrap();
    let mut last = None;
    let t = std::time::Instant::now();
    g.load(records, &mut |p| {
        if last != Some(p.stage) {
            eprintln!(
                "{:?} start at {:.1}s: {}",
                p.stage,
                t.elapsed().as_secs_f64(),
                rss()
            );
            last = Some(p.stage);
        }
    })
    .unwrap();
    eprintln!("loaded {:.1}s: {}", t.elapsed().as_secs_f64(), rss());
    let (m, _) = g.fit(&mut |_| {}).unwrap();
    eprintln!("fit: {}", rss());
    g.set_model(m).unwrap();
    eprintln!(
        "set_model {:.1}s: {} pairs {}",
        t.elapsed().as_secs_f64(),
        rss(),
        g.pair_count()
    );
    std::mem::forget(g);
}
