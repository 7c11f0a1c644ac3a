//! Results do not depend on the number of threads: preparing, comparing, scoring,
//! training and clustering (many components are clustered in chunks on all cores)
//! give the same profiles, IDs and pair probabilities on one thread as on four.
#![cfg(feature = "parallel")]

use sameas::{Config, ProfileGraph};
use sameas_synth::{generate, SynthConfig};

type Profiles = Vec<(u64, Vec<String>)>;
type Pairs = Vec<(String, String, u64)>;

fn resolve_on(threads: usize) -> (Profiles, Pairs) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        // Several thousand components: enough for the clustering to go parallel.
        let data = generate(&SynthConfig {
            records: 6000,
            seed: 5,
            ..SynthConfig::default()
        });
        let mut graph = ProfileGraph::new(Config::infer(data.schema.clone()).unwrap()).unwrap();
        graph.load(data.records, &mut |_| {}).unwrap();
        let (model, _) = graph.fit(&mut |_| {}).unwrap();
        graph.set_model(model).unwrap();
        let profiles = graph
            .profiles()
            .into_iter()
            .map(|(p, m)| (p.0, m.into_iter().map(String::from).collect()))
            .collect();
        let pairs = graph
            .scored_pairs()
            .into_iter()
            .map(|(a, b, p)| (a.to_string(), b.to_string(), p.to_bits()))
            .collect();
        (profiles, pairs)
    })
}

#[test]
fn one_thread_and_four_give_the_same_profiles_and_probabilities() {
    let (profiles, pairs) = resolve_on(1);
    // Thousands of profiles, so thousands of components reach the clustering (whose
    // chunked path itself is checked against the one-by-one path in a unit test).
    assert!(profiles.len() > 2000, "{} profiles", profiles.len());
    assert!(profiles.iter().any(|(_, m)| m.len() > 1));
    let (profiles_4, pairs_4) = resolve_on(4);
    assert_eq!(profiles, profiles_4);
    assert_eq!(pairs, pairs_4);
}
