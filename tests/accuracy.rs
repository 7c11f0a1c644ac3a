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
