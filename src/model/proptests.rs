//! Invariants over arbitrary valid models and arbitrary γ: probabilities in [0, 1],
//! no NaN or ∞ escaping, explanations that add up, exact serde round trips.

use super::test_support::comparison;
use super::*;
use crate::compare::Gamma;
use proptest::prelude::*;

/// A valid probability for m or u, from tiny to exactly 1.
fn mu() -> impl Strategy<Value = f64> {
    prop_oneof![
        1e-300f64..1.0,
        1e-6f64..1.0,
        Just(1.0),
        Just(f64::MIN_POSITIVE)
    ]
}

prop_compose! {
    fn model()(
        shape in prop::collection::vec((0usize..6, any::<bool>()), 1..=16),
        prior in prop_oneof![1e-12f64..0.999_999, Just(1e-300)],
        seed_mu in prop::collection::vec(mu(), 16 * 15 * 2),
    ) -> Model {
        let comps: Vec<_> = shape
            .iter()
            .enumerate()
            .map(|(i, &(fuzzy, tf))| comparison(&format!("c{i}"), fuzzy, tf))
            .collect();
        let mut model = Model::new(&comps).unwrap();
        let mut it = seed_mu.into_iter();
        for (c, &(fuzzy, _)) in shape.iter().enumerate() {
            for level in 1..=(fuzzy + 2) as u8 {
                model.set_m(c, level, it.next().unwrap()).unwrap();
                model.set_u(c, level, it.next().unwrap()).unwrap();
            }
        }
        model.set_prior(prior).unwrap();
        model
    }
}

fn any_tf() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        any::<f64>().prop_map(Some),
        (0.0f64..=1.0).prop_map(Some)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn probabilities_stay_in_unit_interval(model in model(), g in any::<u64>(), tfs in prop::collection::vec(any_tf(), 16)) {
        let g = Gamma(g);
        let tf = |c: usize| tfs.get(c).copied().flatten();
        let w = model.weight(g);
        let wt = model.weight_with_tf(g, tf);
        prop_assert!(w.is_finite() && wt.is_finite(), "{w} {wt}");
        for p in [model.probability(g), model.probability_with_tf(g, tf)] {
            prop_assert!((0.0..=1.0).contains(&p), "{p}");
        }
        let scored = model.score_one(1, 2, g, tf);
        prop_assert!(scored.weight.to_bits() == wt.to_bits());
    }

    #[test]
    fn explanation_adds_up(model in model(), g in any::<u64>(), tfs in prop::collection::vec(any_tf(), 16)) {
        let g = Gamma(g);
        let tf = |c: usize| tfs.get(c).copied().flatten();
        let why = model.explain(g, tf);
        let sum = why.prior_weight + why.steps.iter().map(|s| s.weight + s.tf_adjustment).sum::<f64>();
        prop_assert!((sum - why.total_weight).abs() <= 1e-9 * why.total_weight.abs().max(1.0));
        prop_assert_eq!(why.total_weight.to_bits(), model.weight_with_tf(g, tf).to_bits());
        prop_assert!((0.0..=1.0).contains(&why.probability));
        prop_assert!(why.steps.iter().all(|s| s.weight.is_finite() && s.tf_adjustment.is_finite() && s.bayes_factor >= 0.0));
        prop_assert!(!why.to_string().is_empty());
    }

    #[test]
    fn weight_to_probability_never_nan(w in any::<f64>()) {
        let p = probability_from_weight(w);
        prop_assert!((0.0..=1.0).contains(&p));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_round_trip_is_exact(model in model(), gs in prop::collection::vec(any::<u64>(), 20)) {
        let json = serde_json::to_string(&model).unwrap();
        let back: Model = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &model);
        for g in gs {
            prop_assert_eq!(back.weight(Gamma(g)).to_bits(), model.weight(Gamma(g)).to_bits());
            prop_assert_eq!(back.probability(Gamma(g)).to_bits(), model.probability(Gamma(g)).to_bits());
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn trained_model_and_reports_round_trip_and_invalid_json_is_rejected() {
    use super::test_support::SplitMix;
    let mut model = Model::new(&[comparison("a", 1, true), comparison("b", 0, false)]).unwrap();
    let mut rng = SplitMix(1);
    let counts: PatternCounts = (0..5000)
        .map(|_| Gamma::from_levels(&[(rng.next_u64() % 4) as u8, (rng.next_u64() % 3) as u8]))
        .collect();
    let report = model.train_em(&counts, &EmSettings::default()).unwrap();
    let back: Model = serde_json::from_str(&serde_json::to_string(&model).unwrap()).unwrap();
    assert_eq!(back, model);
    let r: EmReport = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!(r, report);
    let p: PatternCounts = serde_json::from_str(&serde_json::to_string(&counts).unwrap()).unwrap();
    assert_eq!(p, counts);
    let why = model.explain(Gamma::from_levels(&[1, 2]), |_| Some(0.01));
    let w: Explanation = serde_json::from_str(&serde_json::to_string(&why).unwrap()).unwrap();
    assert_eq!(w, why);

    let json = serde_json::to_string(&model).unwrap();
    let broken = json.replacen("\"m\":", "\"m\":-", 1);
    assert!(serde_json::from_str::<Model>(&broken).is_err());
    let broken = json.replacen("\"prior\":", "\"prior\":1", 1);
    assert!(serde_json::from_str::<Model>(&broken).is_err());
}
