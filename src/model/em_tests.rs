//! EM tests on γ patterns generated from known parameters.

use super::test_support::{comparison, SplitMix, Truth};
use super::*;
use crate::compare::Gamma;
use crate::error::ErrorKind;

fn recovery_truth() -> Truth {
    Truth {
        m: vec![
            vec![0.8, 0.15, 0.05],
            vec![0.85, 0.1, 0.05],
            vec![0.7, 0.3],
            vec![0.75, 0.25],
        ],
        u: vec![
            vec![0.01, 0.04, 0.95],
            vec![0.005, 0.02, 0.975],
            vec![0.001, 0.999],
            vec![0.1, 0.9],
        ],
        null: vec![0.0, 0.05, 0.3, 0.1],
    }
}

fn recovery_model() -> Model {
    Model::new(&[
        comparison("name", 1, false),
        comparison("dob", 1, false),
        comparison("email", 0, false),
        comparison("city", 0, false),
    ])
    .unwrap()
}

fn generate(
    truth: &Truth,
    n: usize,
    share: f64,
    seed: u64,
    force: &[(usize, u8)],
) -> Vec<(Gamma, bool)> {
    let mut rng = SplitMix(seed);
    (0..n)
        .map(|_| {
            let is_match = rng.unit() < share;
            (truth.draw(&mut rng, is_match, force), is_match)
        })
        .collect()
}

fn f1(model: &Model, pairs: &[(Gamma, bool)]) -> f64 {
    let (mut tp, mut fp, mut fneg) = (0.0, 0.0, 0.0);
    for &(g, truth) in pairs {
        match (model.probability(g) >= 0.5, truth) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fneg += 1.0,
            _ => {}
        }
    }
    2.0 * tp / (2.0 * tp + fp + fneg)
}

/// Tolerance: |m̂ − m| < 0.02 and |π̂ − π| < 0.01 with 200k pairs (sampling error of
/// the rarest m is about 0.003 at this size).
#[test]
fn em_recovers_known_m_and_match_share() {
    let truth = recovery_truth();
    let pairs = generate(&truth, 200_000, 0.3, 7, &[]);
    let counts: PatternCounts = pairs.iter().map(|p| p.0).collect();
    assert!(counts.len() < 200, "EM runs on few distinct patterns");
    let mut model = recovery_model();
    for (c, us) in truth.u.iter().enumerate() {
        for (i, &u) in us.iter().enumerate() {
            model.set_u(c, (i + 1) as u8, u).unwrap();
        }
    }
    let prior = model.prior();
    let settings = EmSettings {
        max_iterations: 100,
        ..EmSettings::default()
    };
    let report = model.train_em(&counts, &settings).unwrap();
    assert!(report.converged(), "{report:?}");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let run = &report.runs[0];
    assert!(
        (run.match_share - 0.3).abs() < 0.01,
        "share {}",
        run.match_share
    );
    assert_eq!(run.match_share_log.len() as u32, run.iterations);
    for (c, ms) in truth.m.iter().enumerate() {
        for (i, &m) in ms.iter().enumerate() {
            let got = model.m(c, (i + 1) as u8).unwrap();
            assert!((got - m).abs() < 0.02, "m[{c}][{i}] = {got}, true {m}");
        }
    }
    // u untouched, prior kept (candidate share is not λ)
    assert_eq!(model.u(3, 1), Some(0.1));
    assert_eq!(model.prior(), prior);
    assert_eq!(report.prior, prior);
}

#[test]
fn em_can_estimate_u_and_convert_the_share_to_a_prior() {
    let truth = recovery_truth();
    let pairs = generate(&truth, 200_000, 0.3, 11, &[]);
    let counts: PatternCounts = pairs.iter().map(|p| p.0).collect();
    let mut model = recovery_model();
    let settings = EmSettings {
        max_iterations: 200,
        estimate_u: true,
        prior_update: PriorUpdate::FromCandidates { total_pairs: 6e8 },
        ..EmSettings::default()
    };
    let report = model.train_em(&counts, &settings).unwrap();
    for (c, us) in truth.u.iter().enumerate() {
        for (i, &u) in us.iter().enumerate() {
            let got = model.u(c, (i + 1) as u8).unwrap();
            assert!((got - u).abs() < 0.02, "u[{c}][{i}] = {got}, true {u}");
        }
    }
    let share = report.runs[0].match_share;
    assert!((share - 0.3).abs() < 0.02, "{share}");
    assert!((model.prior() - share * 200_000.0 / 6e8).abs() < 1e-15);
}

#[test]
fn fixed_m_stays_and_training_is_deterministic() {
    let truth = recovery_truth();
    let counts: PatternCounts = generate(&truth, 20_000, 0.3, 3, &[])
        .iter()
        .map(|p| p.0)
        .collect();
    let mut a = recovery_model();
    a.fix_m(0, 1, 0.6).unwrap();
    let mut b = a.clone();
    let ra = a.train_em(&counts, &EmSettings::default()).unwrap();
    let rb = b.train_em(&counts, &EmSettings::default()).unwrap();
    assert_eq!(a, b);
    assert_eq!(ra, rb);
    assert_eq!(a.m(0, 1), Some(0.6));
    let s: f64 = (1..=3).map(|l| a.m(0, l).unwrap()).sum();
    assert!((s - 1.0).abs() < 1e-9);
}

#[test]
fn bad_input_is_rejected_and_leaves_the_model_alone() {
    let mut model = recovery_model();
    let before = model.clone();
    let counts: PatternCounts = [Gamma::from_levels(&[1, 1, 1, 1])].into_iter().collect();
    let bad = [
        EmSettings {
            max_iterations: 0,
            ..EmSettings::default()
        },
        EmSettings {
            tolerance: f64::NAN,
            ..EmSettings::default()
        },
        EmSettings {
            initial_match_share: Some(1.0),
            ..EmSettings::default()
        },
        EmSettings {
            prior_update: PriorUpdate::FromCandidates { total_pairs: -1.0 },
            ..EmSettings::default()
        },
    ];
    for s in &bad {
        assert_eq!(
            model.train_em(&counts, s).unwrap_err().kind(),
            ErrorKind::InvalidConfig
        );
    }
    let s = EmSettings::default();
    assert!(model.train_em_blocked(&[], &s).is_err());
    assert!(model
        .train_em_blocked(&[(counts.clone(), vec![4])], &s)
        .is_err());
    assert_eq!(model, before);
    // empty candidates: nothing estimated, reported, no panic
    let report = model.train_em(&PatternCounts::new(), &s).unwrap();
    assert_eq!(report.runs[0].iterations, 0);
    assert!(report
        .warnings
        .iter()
        .any(|w| matches!(w, EmWarning::NotEstimated { .. })));
}

// ---- collapse guard -------------------------------------------------------------

const LAMBDA: f64 = 2.6e-4;

fn population() -> Truth {
    Truth {
        m: vec![
            vec![0.85, 0.1, 0.05],
            vec![0.9, 0.05, 0.05],
            vec![0.75, 0.25],
            vec![0.65, 0.35],
        ],
        u: vec![
            vec![0.002, 0.01, 0.988],
            vec![0.003, 0.01, 0.987],
            vec![0.0005, 0.9995],
            vec![0.001, 0.999],
        ],
        null: vec![0.0, 0.02, 0.2, 0.3],
    }
}

/// Share of matches among pairs that agree exactly on comparison `c`.
fn blocked_share(t: &Truth, c: usize) -> f64 {
    let a = LAMBDA * t.m[c][0];
    a / (a + (1.0 - LAMBDA) * t.u[c][0])
}

type Labelled = Vec<(Gamma, bool)>;

fn collapse_setup() -> (Model, Labelled, Labelled) {
    let t = population();
    let share = blocked_share(&t, 0);
    assert!(share < 0.11, "most same-name pairs are strangers: {share}");
    let by_name = generate(&t, 200_000, share, 21, &[(0, 1)]);
    let by_dob = generate(&t, 200_000, blocked_share(&t, 1), 22, &[(1, 1)]);
    let random: PatternCounts = generate(&t, 200_000, 0.0, 23, &[])
        .iter()
        .map(|p| p.0)
        .collect();
    let mut model = Model::new(&[
        comparison("name", 1, false),
        comparison("dob", 1, false),
        comparison("email", 0, false),
        comparison("phone", 0, false),
    ])
    .unwrap();
    // exact u from value frequencies (Σ p²), fuzzy levels from the random sample
    let exact_u: Vec<Option<f64>> = t.u.iter().map(|u| Some(u[0])).collect();
    model.estimate_u(&random, &exact_u).unwrap();
    model.set_prior(LAMBDA).unwrap();
    (model, by_name, by_dob)
}

#[test]
fn em_on_name_blocked_pairs_does_not_absorb_same_name_strangers() {
    let (mut model, by_name, by_dob) = collapse_setup();
    let runs = vec![
        (
            by_name.iter().map(|p| p.0).collect::<PatternCounts>(),
            vec![0],
        ),
        (
            by_dob.iter().map(|p| p.0).collect::<PatternCounts>(),
            vec![1],
        ),
    ];
    let report = model
        .train_em_blocked(&runs, &EmSettings::default())
        .unwrap();
    assert!(report.converged(), "{report:?}");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(report.runs[0].excluded, vec![0]);
    let m_dob_else = model.m(1, 3).unwrap();
    assert!(m_dob_else < 0.1, "m(dob else) = {m_dob_else}");
    assert!((model.m(0, 1).unwrap() - 0.85).abs() < 0.03);
    let f_name = f1(&model, &by_name);
    let f_dob = f1(&model, &by_dob);
    assert!(f_name > 0.95 && f_dob > 0.95, "F1 {f_name} {f_dob}");
}

#[test]
fn a_single_run_leaves_out_the_constant_blocking_comparison() {
    let (mut model, by_name, _) = collapse_setup();
    let counts: PatternCounts = by_name.iter().map(|p| p.0).collect();
    let report = model.train_em(&counts, &EmSettings::default()).unwrap();
    assert!(report
        .warnings
        .contains(&EmWarning::ConstantComparisonExcluded {
            run: 0,
            comparison: "name".into()
        }));
    assert!(report.warnings.contains(&EmWarning::NotEstimated {
        comparison: "name".into()
    }));
    assert!(model.m(1, 3).unwrap() < 0.1);
    assert!(f1(&model, &by_name) > 0.95);
}

#[test]
fn unguarded_collapse_is_reported_not_silent() {
    // Name nearly constant (so it is not detected) and not declared as blocked: the
    // non-match class, with u fixed from random pairs, cannot explain that every
    // candidate agrees on name, so the match class swallows strangers — and says so.
    let (mut model, by_name, _) = collapse_setup();
    let mut rng = SplitMix(5);
    let counts: PatternCounts = by_name
        .iter()
        .map(|&(g, _)| {
            if rng.unit() < 0.01 {
                g.with_level(0, 2)
            } else {
                g
            }
        })
        .collect();
    let report = model.train_em(&counts, &EmSettings::default()).unwrap();
    // the collapse does happen without the guard (m(dob else) ≈ 0.9 here) …
    assert!(model.m(1, 3).unwrap() > 0.3, "{:?}", model.m(1, 3));
    // … and is reported
    let w = &report.warnings;
    assert!(
        w.iter()
            .any(|w| matches!(w, EmWarning::StrangersAbsorbed { run: 0, .. })),
        "{w:?}"
    );
    assert!(w
        .iter()
        .any(|w| matches!(w, EmWarning::MatchShareDegenerate { run: 0, .. })));
    assert!(w.contains(&EmWarning::ElseLevelHigh {
        comparison: "dob".into(),
        m_else: model.m(1, 3).unwrap(),
        u_else: model.u(1, 3).unwrap()
    }));
}

/// m and u of the exact level of the household blocks' comparisons: given name, date
/// of birth, address, phone (exact / else).
const HOUSEHOLD_M: [f64; 4] = [0.95, 0.9, 0.8, 0.7];
const HOUSEHOLD_U: [f64; 4] = [0.01, 0.001, 0.002, 0.002];

/// `pairs` candidate patterns drawn with seed `seed`; pair `i` agrees on comparison
/// `c` with probability `class(i)[c]`.
fn drawn_block(seed: u64, pairs: usize, class: impl Fn(usize) -> [f64; 4]) -> PatternCounts {
    let mut rng = SplitMix(seed);
    let gammas: Vec<Gamma> = (0..pairs)
        .map(|i| {
            let levels: Vec<u8> = class(i)
                .iter()
                .map(|&p| if rng.unit() < p { 1 } else { 2 })
                .collect();
            Gamma::from_levels(&levels)
        })
        .collect();
    gammas.into_iter().collect()
}

/// Candidates of a household-rich block: matches, members of one household (agree on
/// address and phone like matches, on given name and birth date like strangers) and
/// strangers.
fn household_counts() -> PatternCounts {
    let (m, u) = (HOUSEHOLD_M, HOUSEHOLD_U);
    drawn_block(99, 100_000, |i| match i % 10 {
        0 | 1 => m,
        2 | 3 => [u[0], u[1], m[2], m[3]],
        _ => u,
    })
}

/// A model of the household blocks' comparisons with their true u.
fn household_model() -> Model {
    let mut model = Model::new(&[
        comparison("given", 0, false),
        comparison("dob", 0, false),
        comparison("address", 0, false),
        comparison("phone", 0, false),
    ])
    .unwrap();
    for (c, u) in HOUSEHOLD_U.into_iter().enumerate() {
        model.set_u(c, 1, u).unwrap();
        model.set_u(c, 2, 1.0 - u).unwrap();
    }
    model
}

#[test]
fn a_household_class_keeps_relatives_out_of_the_match_class() {
    let counts = household_counts();
    let mut two = household_model();
    let mut three = household_model();
    let settings = EmSettings {
        max_iterations: 500,
        tolerance: 1e-7,
        ..EmSettings::default()
    };
    two.train_em(&counts, &settings).unwrap();
    let report = three
        .train_em(
            &counts,
            &EmSettings {
                household_shared: vec![false, false, true, true],
                ..settings
            },
        )
        .unwrap();
    // Two classes: households teach the match class that different given names are
    // common among matches.
    let two_else = two.m(0, 2).unwrap();
    assert!(two_else > 0.2, "two classes: m(given else) = {two_else}");
    // Three classes: m of the "different" levels is that of the true matches.
    for (c, m_true) in [0.95, 0.9, 0.8, 0.7].into_iter().enumerate() {
        let got = three.m(c, 1).unwrap();
        assert!((got - m_true).abs() < 0.02, "m[{c}] = {got}, true {m_true}");
    }
    let run = &report.runs[0];
    assert!((run.match_share - 0.2).abs() < 0.01, "{}", run.match_share);
    let household = run.household_share.unwrap();
    assert!((household - 0.2).abs() < 0.01, "{household}");
    assert!(report.converged());
}

/// From γ alone, twins (given name else, birth date and household data as a match's)
/// and matches whose given name was recorded as another are one pattern; EM cannot
/// tell how many of each there are (left free, it gives the matches m(given else) ≈
/// 0.19 and the twins 0.08 of the households here). Where the match class's given-name
/// m is known (fixed), the rate the twins leave is recovered, given a bound above it
/// (the default bound, one pair in twenty, holds it down: see the next test).
#[test]
fn a_household_class_learns_how_often_its_members_share_a_birth_date() {
    // As `household_counts`, but a fifth of the household pairs are twins: they agree
    // on the birth date as one person's records do.
    let (m, u) = (HOUSEHOLD_M, HOUSEHOLD_U);
    let counts = drawn_block(7, 200_000, |i| match i % 20 {
        0..=3 => m,
        4 => [u[0], m[1], m[2], m[3]],
        5..=8 => [u[0], u[1], m[2], m[3]],
        _ => u,
    });
    let mut model = household_model();
    model.fix_m(0, 1, 0.95).unwrap();
    model.fix_m(0, 2, 0.05).unwrap();
    let settings = EmSettings {
        max_iterations: 500,
        tolerance: 1e-7,
        household_shared: vec![false, false, true, true],
        household_alike_on: vec![false, true, false, false],
        household_alike_max: 0.5,
        ..EmSettings::default()
    };
    let report = model.train_em(&counts, &settings).unwrap();
    let run = &report.runs[0];
    let alike = run.household_alike[1];
    assert!(
        (alike - 0.2).abs() < 0.03,
        "alike on the birth date {alike}"
    );
    assert_eq!(run.household_alike[0], 0.0, "not allowed on the given name");
    let share = run.household_share.unwrap();
    assert!((share - 0.25).abs() < 0.02, "household share {share}");
}

/// Matches whose given names differ ("else": a nickname the table lacks) look, from γ
/// alone, like twins of one household. Left free up to one half, the household class
/// takes them in as twins; the default bound keeps its alike rates at one pair in
/// twenty, so those pairs stay with the matches and weigh in favour.
#[test]
fn the_default_bound_keeps_matches_with_another_given_name_out_of_the_twins() {
    // Matches, one in four with its given name at "else"; households that share no
    // birth date; strangers.
    let (m, u) = (HOUSEHOLD_M, HOUSEHOLD_U);
    let counts = drawn_block(7, 200_000, |i| match i % 20 {
        0..=2 => m,
        3 => [u[0], m[1], m[2], m[3]],
        4..=7 => [u[0], u[1], m[2], m[3]],
        _ => u,
    });
    let settings = |bound: f64| EmSettings {
        max_iterations: 500,
        tolerance: 1e-7,
        household_shared: vec![false, false, true, true],
        household_alike_on: vec![false, true, false, false],
        household_alike_max: bound,
        ..EmSettings::default()
    };
    let mut free = household_model();
    let loose = free.train_em(&counts, &settings(0.5)).unwrap();
    let mut bounded = household_model();
    let held = bounded
        .train_em(&counts, &settings(DEFAULT_HOUSEHOLD_ALIKE_MAX))
        .unwrap();
    let (loose_alike, held_alike) = (
        loose.runs[0].household_alike[1],
        held.runs[0].household_alike[1],
    );
    assert!(
        loose_alike > DEFAULT_HOUSEHOLD_ALIKE_MAX,
        "left free: {loose_alike}"
    );
    assert!(
        held_alike <= DEFAULT_HOUSEHOLD_ALIKE_MAX + 1e-12,
        "{held_alike}"
    );
    // The match class keeps the pairs with another given name: m(given else) nearer
    // its true 0.29 (the quarter drawn at "else", plus the 5% the others miss).
    let (loose_else, held_else) = (free.m(0, 2).unwrap(), bounded.m(0, 2).unwrap());
    assert!(held_else > loose_else, "{held_else} vs {loose_else}");
}

#[test]
fn a_household_alike_bound_outside_zero_to_one_is_refused() {
    let counts = drawn_block(
        7,
        1_000,
        |i| if i % 2 == 0 { HOUSEHOLD_M } else { HOUSEHOLD_U },
    );
    for bound in [-0.1, 1.0, f64::NAN] {
        let settings = EmSettings {
            household_alike_max: bound,
            ..EmSettings::default()
        };
        assert!(
            household_model().train_em(&counts, &settings).is_err(),
            "{bound}"
        );
    }
}
