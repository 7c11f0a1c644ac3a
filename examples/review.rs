//! A reviewer in the loop: generated data is resolved without labels, then a simulated
//! reviewer answers the review queue's questions from the generated truth. Each answer
//! changes the profiles at once (an assertion); at 25, 50, 100 and 200 answers the
//! model is retrained with them. Prints cluster F1 along the way and the calibration
//! of pair probabilities before and after.
//!
//! `cargo run --release --example review -- [--records N] [--seed S]`

use sameas::eval::{Evaluation, Reliability};
use sameas::profiles::Review;
use sameas::{Config, ProfileGraph};
use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut records, mut seed) = (20_000usize, 7u64);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--records" => records = args.next().ok_or("--records N")?.parse()?,
            "--seed" => seed = args.next().ok_or("--seed S")?.parse()?,
            _ => return Err(format!("unknown argument {a}; use --records N --seed S").into()),
        }
    }
    let synth = sameas_synth::generate(&sameas_synth::SynthConfig {
        records,
        seed,
        ..Default::default()
    });
    let ids: Vec<String> = synth.records.iter().map(|r| r.id().to_string()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let truth = synth.truth.clone();
    let entity: HashMap<&str, u64> = ids.iter().copied().zip(truth.iter().copied()).collect();

    let mut graph = ProfileGraph::new(Config::infer(synth.schema.clone())?)?;
    graph.load(synth.records, &mut |_| {})?;
    let (model, _) = graph.fit(&mut |_| {})?;
    graph.set_model(model)?;

    let f1 = |g: &ProfileGraph| Evaluation::of(g, &ids, &truth).map(|e| e.clusters.f1);
    let calibration = |g: &ProfileGraph| Reliability::of(g.scored_pairs(), &ids, &truth, 10);
    println!("{records} generated records (seed {seed}), trained without labels");
    println!("calibration before any answer:\n{}", calibration(&graph)?);
    println!("\nanswers  same  different  cluster F1 (answers applied)  after retraining");
    println!("{:>7} {:>5} {:>10}  {:>27.4}", 0, 0, 0, f1(&graph)?);

    let mut review = Review::default();
    let (mut same, mut different) = (0, 0);
    for checkpoint in [25, 50, 100, 200] {
        while review.len() < checkpoint {
            let Some(q) = graph.review_queue(1).pop() else {
                break;
            };
            let answer = entity[q.left.as_str()] == entity[q.right.as_str()];
            if answer {
                same += 1;
            } else {
                different += 1;
            }
            review.answer(&mut graph, &q.left, &q.right, answer)?;
        }
        let applied = f1(&graph)?;
        review.retrain(&mut graph, 1.0)?;
        println!(
            "{:>7} {same:>5} {different:>10}  {applied:>27.4}  {:>16.4}",
            review.len(),
            f1(&graph)?
        );
    }
    println!(
        "\ncalibration after {} answers and retraining:\n{}",
        review.len(),
        calibration(&graph)?
    );
    Ok(())
}
