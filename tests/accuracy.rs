//! The `accuracy` example's pipeline on a small generated set: the default pipeline
//! must not lose accuracy unnoticed (bounds just below the measured values).

#[path = "../examples/accuracy.rs"]
#[allow(dead_code)]
mod accuracy;

use accuracy::{evaluate, generated, generated_sets, Training};

#[test]
fn default_generated_set_keeps_its_accuracy() {
    let sets = generated_sets(1_500, 7);
    let data = generated(&sets[0]);
    assert_eq!(data.records.len(), 1_500);
    let unsupervised = evaluate(&data, Training::Unsupervised).unwrap();
    let supervised = evaluate(&data, Training::Supervised).unwrap();
    let (u, s) = (&unsupervised.evaluation, &supervised.evaluation);
    eprintln!(
        "unsupervised F1 {:.4} B-cubed {:.4}; supervised F1 {:.4} B-cubed {:.4}",
        u.clusters.f1, u.bcubed.f1, s.clusters.f1, s.bcubed.f1
    );
    // Measured: unsupervised F1 0.9322, B-cubed F1 0.9654; supervised 0.9200, 0.9622.
    assert!(u.clusters.f1 > 0.925, "{u:?}");
    assert!(u.bcubed.f1 > 0.96, "{u:?}");
    assert!(s.clusters.f1 > 0.91, "{s:?}");
    assert!(s.bcubed.f1 > 0.955, "{s:?}");
}

#[test]
fn one_source_set_holds_one_source() {
    let sets = generated_sets(300, 7);
    let one = sets.iter().find(|s| s.only_source.is_some()).unwrap();
    let data = generated(one);
    assert_eq!(data.records.len(), 300);
    assert!(data
        .records
        .iter()
        .all(|r| r.source() == accuracy::ONE_SOURCE));
}

/// The per-phenomenon and per-relation tables of a small generated set: a row per
/// phenomenon (after "every true pair") and per relation, with the shares the
/// resolution reached (most true pairs together, few relatives).
#[test]
fn phenomenon_tables_have_a_row_per_phenomenon_and_relation() {
    use sameas_synth::{Phenomenon, Relation};
    let config = generated_sets(3_000, 7).remove(0).config;
    let [(recall_headers, recall), (relation_headers, relations)] =
        accuracy::phenomenon_tables(&config).unwrap();
    assert_eq!(recall_headers.len(), 4);
    assert_eq!(relation_headers.len(), 4);
    assert_eq!(recall.len(), Phenomenon::ALL.len() + 1);
    assert_eq!(relations.len(), Relation::ALL.len());
    let share = |row: &Vec<String>| row[3].parse::<f64>().unwrap();
    assert_eq!(recall[0][0], "every true pair");
    assert!(share(&recall[0]) > 0.95, "{recall:?}");
    assert!(share(&relations[0]) < 0.05, "{relations:?}");
}
