//! `TrainingConfig::name_dependence`: training measures how much more often strangers
//! who share a family name share the given name, from the data itself — high where
//! names come from several languages (the generator mixes seven), about 1 where the
//! given name is drawn independently of the family name.

use sameas::{Config, Evaluation, Model, ProfileGraph, Record, Schema};
use sameas_synth::{generate, SynthConfig};
use std::collections::{BTreeSet, HashMap};

/// Strangers sharing the family name share the given name exactly this many times as
/// often as strangers at large (the trained model's measure).
fn given_name_ratio(model: &Model) -> f64 {
    let d = model.name_dependence().expect("a measured dependence");
    let given = &model.comparisons()[d.given];
    let exact = given.exact_level.expect("an exact level") as usize - 1;
    d.given_u_same_family[exact] / given.levels[exact].u
}

/// Trains on `records` with the dependence measured; the graph and its F1.
fn trained(schema: &Schema, records: Vec<Record>, truth: &[u64]) -> (ProfileGraph, f64) {
    let mut config = Config::infer(schema.clone()).unwrap();
    config.training.name_dependence = true;
    let ids: Vec<String> = records.iter().map(|r| r.id().to_string()).collect();
    let mut graph = ProfileGraph::new(config).unwrap();
    graph.add_batch(records).unwrap();
    graph.train().unwrap();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let f1 = Evaluation::of(&graph, &ids, truth).unwrap().clusters.f1;
    (graph, f1)
}

fn data() -> sameas_synth::SynthData {
    generate(&SynthConfig {
        records: 20_000,
        seed: 7,
        ..SynthConfig::default()
    })
}

#[test]
fn names_of_several_languages_go_together_among_strangers() {
    let data = data();
    let (graph, f1) = trained(&data.schema, data.records.clone(), &data.truth);
    let ratio = given_name_ratio(graph.model());
    assert!(ratio > 2.0, "measured {ratio}");
    assert!(f1 > 0.97, "F1 {f1}");
    // On by default; switched off, nothing is measured.
    assert!(
        Config::infer(data.schema.clone())
            .unwrap()
            .training
            .name_dependence
    );
    let mut config = Config::infer(data.schema.clone()).unwrap();
    config.training.name_dependence = false;
    let mut graph = ProfileGraph::new(config).unwrap();
    graph.add_batch(data.records).unwrap();
    graph.train().unwrap();
    assert!(graph.model().name_dependence().is_none());
}

#[test]
fn given_names_drawn_apart_from_the_family_name_show_no_dependence() {
    let data = data();
    let schema = &data.schema;
    let given = schema.index_of("given_name").unwrap();
    // Every given name of the data, and each person one of them at random: the given
    // name no longer says anything about the family name.
    let pool: Vec<String> = data
        .records
        .iter()
        .filter_map(|r| r.values(given).get(0).map(|v| v.to_text()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut drawn: HashMap<u64, &str> = HashMap::new();
    let records: Vec<Record> = data
        .records
        .iter()
        .zip(&data.truth)
        .map(|(r, &entity)| {
            let name = *drawn.entry(entity).or_insert_with(|| {
                let x = entity.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 17;
                &pool[(x % pool.len() as u64) as usize]
            });
            let mut b = Record::builder(schema, r.id())
                .source(r.source())
                .observed_at(r.observed_at());
            for (i, field) in schema.fields().iter().enumerate() {
                if i == given {
                    b = b.value(&field.name, name);
                    continue;
                }
                for v in r.values(i).iter() {
                    b = b.value(&field.name, v.to_value());
                }
            }
            b.build().unwrap()
        })
        .collect();
    let (graph, _) = trained(schema, records, &data.truth);
    let ratio = given_name_ratio(graph.model());
    assert!((0.5..1.6).contains(&ratio), "measured {ratio}");
}
