//! A reviewer in the loop: generated data is resolved without labels, then a simulated
//! reviewer answers the review queue's questions from the generated truth. Each answer
//! changes the profiles at once (an assertion) and recalibrates the probabilities the
//! graph reports: corrections per side, comparison level and pattern, each answer
//! measured against the evidence it was asked on, anchored to the model's count of
//! matches per band of weight (the next question is chosen under them). Prints
//! cluster F1 after 0, 25, 50, 100 and 200 answers, and the calibration of pair
//! probabilities and the record-confidence AUC before and after.
//!
//! `cargo run --release --example review -- [--records N] [--seed S] [--retrain]`
//!
//! `--retrain` also retrains the model on the answers at each checkpoint
//! (`Review::retrain`) and prints the F1 after it.

use sameas::eval::{auc, placements, Evaluation, Reliability};
use sameas::profiles::Review;
use sameas::{Config, ProfileGraph};
use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut records, mut seed, mut retrain) = (20_000usize, 7u64, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--records" => records = args.next().ok_or("--records N")?.parse()?,
            "--seed" => seed = args.next().ok_or("--seed S")?.parse()?,
            "--retrain" => retrain = true,
            _ => {
                return Err(
                    format!("unknown argument {a}; use --records N --seed S --retrain").into(),
                )
            }
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
    let confidence_auc = |g: &ProfileGraph| placements(g, &ids, &truth).map(|p| auc(&p));
    println!("{records} generated records (seed {seed}), trained without labels");
    println!("calibration before any answer:\n{}", calibration(&graph)?);
    println!(
        "record confidence AUC before any answer: {:.4}",
        confidence_auc(&graph)?
    );
    print!("\nanswers  same  different  moved profiles  cluster F1");
    println!("{}", if retrain { "  after retraining" } else { "" });
    println!(
        "{:>7} {:>5} {:>10} {:>15}  {:>10.4}",
        0,
        0,
        0,
        0,
        f1(&graph)?
    );

    let mut review = Review::default();
    let (mut same, mut different, mut moved) = (0, 0, 0);
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
            if answer != q.together {
                moved += 1;
            }
            review.answer(&mut graph, &q.left, &q.right, answer)?;
            review.recalibrate(&mut graph, 1.0)?;
        }
        print!(
            "{:>7} {same:>5} {different:>10} {moved:>15}  {:>10.4}",
            review.len(),
            f1(&graph)?
        );
        if retrain {
            let mut trained = graph.clone();
            review.retrain(&mut trained, 1.0)?;
            print!("  {:>16.4}", f1(&trained)?);
        }
        println!();
    }
    println!(
        "\ncalibration after {} answers (recalibrated on them):\n{}",
        review.len(),
        calibration(&graph)?
    );
    if let Some(c) = graph.model().calibration() {
        let mut shifts = c.levels.clone();
        shifts.sort_by(|a, b| b.bits.abs().total_cmp(&a.bits.abs()));
        let names = graph.comparison_names();
        let label = |s: &sameas::model::LevelShift| {
            let side = if s.together { "inside" } else { "across" };
            if s.level == 0 {
                return format!("{side}, every pair: {:+.2} bits", s.bits);
            }
            let comparison = &graph.config().comparisons[s.comparison as usize];
            format!(
                "{side} {} = {:?}: {:+.2} bits",
                names[s.comparison as usize],
                comparison.label(s.level),
                s.bits
            )
        };
        println!(
            "  learned from {} answers inside profiles, {} across; largest level corrections:",
            c.judged.0, c.judged.1
        );
        for s in shifts.iter().take(5) {
            println!("    {}", label(s));
        }
    }
    let mut uncalibrated = graph.clone();
    uncalibrated.set_calibration(None)?;
    println!(
        "record confidence AUC after: {:.4} (the same profiles without the recalibration: {:.4};\n  \
         the misplaced records left are those the answers did not reach)",
        confidence_auc(&graph)?,
        confidence_auc(&uncalibrated)?
    );
    Ok(())
}
