//! Accuracy across data: the same default pipeline (inferred config, one batch,
//! unsupervised training, default threshold) on data sets whose error profile differs,
//! so that a change that lifts one kind of data and sinks another is seen before it
//! lands.
//!
//! Rows: the Febrl sets `febrl1.csv`, `febrl2.csv`, `febrl3.csv` from `--data DIR`
//! (default `../shared/data`; missing files are skipped with a note), then generated
//! data (`sameas-synth`) varying one knob of [`SynthConfig`] at a time from its
//! default (see [`generated_sets`]), and for the default generated set supervised
//! training on every truth label beside the unsupervised row, with the gap.
//!
//! Columns: records, pairwise precision, recall and F1 of the pairs within profiles,
//! B-cubed F1, and seconds for the pipeline (config inference, add, compare, train,
//! score, cluster; not generating or reading the data).
//!
//! ```text
//! cargo run --release --example accuracy -- --markdown
//! ```
//!
//! `tests/accuracy.rs` runs [`evaluate`] on a small generated set.

#[path = "resolve/csv.rs"]
#[allow(dead_code)]
mod csv;
#[path = "strategies/table.rs"]
#[allow(dead_code)]
mod table;

use sameas::{Config, Evaluation, FieldKind, Labels, ProfileGraph, Record, Schema};
use sameas_synth::{generate, PairTally, Phenomenon, SynthConfig};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const HELP: &str = "\
accuracy — the default pipeline on Febrl 1-3 and on generated data of varied error profiles

USAGE:
    accuracy [OPTIONS]

OPTIONS:
    --records N     generated records per data set (default 20000)
    --seed S        generator seed (default 7)
    --data DIR      where febrl1.csv, febrl2.csv, febrl3.csv are looked for
                    (default ../shared/data; missing files are skipped)
    --markdown      print a Markdown table
    -h, --help      this text
";

/// The source kept by the one-source generated set.
pub const ONE_SOURCE: &str = "crm";

/// Laplace smoothing of supervised training.
pub const SUPERVISED_SMOOTHING: f64 = 1.0;

const HEADERS: [&str; 7] = [
    "data set",
    "records",
    "precision",
    "recall",
    "F1",
    "B-cubed F1",
    "seconds",
];

/// Records with their true entities and the schema they were read with.
pub struct Dataset {
    /// The name shown in the table.
    pub name: String,
    /// The fields of the records.
    pub schema: Schema,
    /// The records.
    pub records: Vec<Record>,
    /// The true entity of each record (same order).
    pub truth: Vec<String>,
}

/// How the model is trained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Training {
    /// [`ProfileGraph::train`]: no labels (the default pipeline).
    Unsupervised,
    /// [`ProfileGraph::train_labelled`] with every record's true entity
    /// ([`Labels::entities`]: `m` counted from the true pairs compared).
    Supervised,
    /// [`ProfileGraph::train_labelled`] with every compared pair judged by the truth
    /// ([`Labels::pairs`]: `m`, `u` and the prior counted from the compared pairs).
    SupervisedPairs,
}

/// One row of the table.
pub struct Row {
    /// The data set (and training, when supervised).
    pub name: String,
    /// Records resolved.
    pub records: usize,
    /// Accuracy against the truth.
    pub evaluation: Evaluation,
    /// Seconds from the schema to trained profiles.
    pub seconds: f64,
}

/// A generated data set: its name and the generator settings.
pub struct GeneratedSet {
    /// The name shown in the table.
    pub name: &'static str,
    /// The generator settings.
    pub config: SynthConfig,
    /// Keep only the records of this source: the generator cannot restrict sources,
    /// so it makes more records and the first [`GeneratedSet::records`] of the source
    /// are kept.
    pub only_source: Option<&'static str>,
    /// Keep only these fields (the data of a poorer source: names and a place).
    pub only_fields: Option<&'static [&'static str]>,
    /// How many records the set holds (at most).
    pub records: usize,
}

/// The generated sets: the default first, then one knob changed at a time.
pub fn generated_sets(records: usize, seed: u64) -> Vec<GeneratedSet> {
    let base = SynthConfig {
        records,
        seed,
        ..SynthConfig::default()
    };
    let set = |name, change: fn(&mut SynthConfig)| {
        let mut config = base.clone();
        change(&mut config);
        GeneratedSet {
            name,
            config,
            only_source: None,
            only_fields: None,
            records,
        }
    };
    let mut sets = vec![
        set("generated, default", |_| {}),
        set("generated, dob_typo_rate 0", |c| c.dob_typo_rate = 0.0),
        set("generated, dob_typo_rate 0.2", |c| c.dob_typo_rate = 0.2),
        set("generated, dob_typo_rate 0.4", |c| c.dob_typo_rate = 0.4),
        set("generated, household_rate 0", |c| c.household_rate = 0.0),
        set("generated, household_rate 0.25", |c| {
            c.household_rate = 0.25
        }),
        set("generated, twin_rate 0.5", |c| c.twin_rate = 0.5),
        set("generated, missing_scale 2", |c| c.missing_scale = 2.0),
        set("generated, typo_rate 0.1", |c| c.typo_rate = 0.1),
        set("generated, name_head 20", |c| c.name_head = 20),
    ];
    let mut poor = set("generated, names and place only", |_| {});
    poor.only_fields = Some(&["given_name", "family_name", "city", "postcode"]);
    sets.push(poor);
    let mut one = set("generated, one source (crm)", |_| {});
    one.config.records = records.saturating_mul(5);
    one.only_source = Some(ONE_SOURCE);
    sets.push(one);
    sets
}

/// Generates `set`.
pub fn generated(set: &GeneratedSet) -> Dataset {
    let synth = generate(&set.config);
    let (records, truth): (Vec<Record>, Vec<String>) = synth
        .records
        .into_iter()
        .zip(&synth.truth)
        .filter(|(r, _)| set.only_source.map_or(true, |s| r.source() == s))
        .take(set.records)
        .map(|(r, t)| (r, t.to_string()))
        .unzip();
    let Some(fields) = set.only_fields else {
        return Dataset {
            name: set.name.to_string(),
            schema: synth.schema,
            records,
            truth,
        };
    };
    let kept: Vec<(usize, &str, FieldKind)> = fields
        .iter()
        .map(|&f| {
            let (i, def) = synth.schema.field(f).expect("a generated field");
            (i, f, def.kind)
        })
        .collect();
    let schema = Schema::from_fields(kept.iter().map(|&(_, f, kind)| (f, kind)))
        .expect("a subset of a valid schema");
    let records = records
        .iter()
        .map(|r| {
            let mut b = Record::builder(&schema, r.id())
                .source(r.source())
                .observed_at(r.observed_at());
            for &(i, f, _) in &kept {
                for v in r.values(i).iter() {
                    b = b.value(f, v.to_text().as_str());
                }
            }
            b.build().expect("values of a valid record")
        })
        .collect();
    Dataset {
        name: set.name.to_string(),
        schema,
        records,
        truth,
    }
}

/// A Febrl-style CSV file: the true entity in column `truth` (see
/// [`csv::read_labelled`]); named after the file's stem.
pub fn read_labelled_csv(path: &Path, truth: &str) -> Result<Dataset, String> {
    let csv::Labelled {
        schema,
        records,
        truth,
    } = csv::read_labelled(path, truth)?;
    let name = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    Ok(Dataset {
        name,
        schema,
        records,
        truth,
    })
}

/// The default pipeline on `data`: [`Config::infer`], [`ProfileGraph::add_batch`],
/// training, then [`Evaluation::of`] against the truth.
pub fn evaluate(data: &Dataset, training: Training) -> Result<Row, String> {
    let started = Instant::now();
    let mut graph = compared(&data.schema, data.records.clone())?;
    let ids: Vec<&str> = data.records.iter().map(Record::id).collect();
    let name = match training {
        Training::Unsupervised => {
            graph.train().map_err(|e| e.to_string())?;
            data.name.clone()
        }
        Training::Supervised | Training::SupervisedPairs => {
            let mut labels = Labels::default();
            if training == Training::Supervised {
                labels.entities = ids
                    .iter()
                    .zip(&data.truth)
                    .map(|(id, t)| (id.to_string(), t.clone()))
                    .collect();
            } else {
                let entity: HashMap<&str, &str> = ids
                    .iter()
                    .copied()
                    .zip(data.truth.iter().map(String::as_str))
                    .collect();
                labels.pairs = graph
                    .scored_pairs()
                    .into_iter()
                    .map(|(a, b, _)| (a.to_string(), b.to_string(), entity[a] == entity[b]))
                    .collect();
            }
            graph
                .train_labelled(&labels, SUPERVISED_SMOOTHING)
                .map_err(|e| e.to_string())?;
            let what = match training {
                Training::Supervised => "every record's entity",
                _ => "every compared pair",
            };
            format!("{}, supervised ({what} labelled)", data.name)
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let evaluation = Evaluation::of(&graph, &ids, &data.truth).map_err(|e| e.to_string())?;
    Ok(Row {
        name,
        records: data.records.len(),
        evaluation,
        seconds,
    })
}

/// A graph of `records` under the inferred configuration, compared, not trained.
fn compared(schema: &Schema, records: Vec<Record>) -> Result<ProfileGraph, String> {
    let config = Config::infer(schema.clone()).map_err(|e| e.to_string())?;
    let mut graph = ProfileGraph::new(config).map_err(|e| e.to_string())?;
    graph.add_batch(records).map_err(|e| e.to_string())?;
    Ok(graph)
}

/// Recall per phenomenon and wrong joins per relation of the default pipeline on the
/// generated set of `config` (see [`sameas_synth::SynthData::by_phenomenon`]): two
/// tables (headers and rows).
pub fn phenomenon_tables(config: &SynthConfig) -> Result<[Table; 2], String> {
    let synth = generate(config);
    let mut graph = compared(&synth.schema, synth.records.clone())?;
    graph.train().map_err(|e| e.to_string())?;
    let profile_of: Vec<Option<sameas::ProfileId>> = synth
        .records
        .iter()
        .map(|r| graph.profile_of(r.id()))
        .collect();
    let share = |t: &PairTally| format!("{:.4}", t.share_together());
    let count = |n: usize| table::thousands(n as u64);
    let recall = synth
        .by_phenomenon(&profile_of)
        .into_iter()
        .map(|(p, t)| {
            let name = p.map_or("every true pair", Phenomenon::label);
            vec![
                name.to_string(),
                count(t.records),
                count(t.pairs),
                share(&t),
            ]
        })
        .collect();
    let apart = synth
        .by_relation(&profile_of)
        .into_iter()
        .map(|(r, t)| {
            vec![
                r.label().to_string(),
                count(t.pairs),
                count(t.together),
                share(&t),
            ]
        })
        .collect();
    Ok([
        (
            vec!["phenomenon", "records", "true pairs", "recall"],
            recall,
        ),
        (
            vec!["relation", "pairs", "wrongly together", "share"],
            apart,
        ),
    ])
}

/// A table: headers and rows of cells.
pub type Table = (Vec<&'static str>, Vec<Vec<String>>);

/// The cells of a row: metrics to 4 decimals, seconds to 2.
fn cells(row: &Row) -> Vec<String> {
    let e = &row.evaluation;
    vec![
        row.name.clone(),
        table::thousands(row.records as u64),
        format!("{:.4}", e.clusters.precision),
        format!("{:.4}", e.clusters.recall),
        format!("{:.4}", e.clusters.f1),
        format!("{:.4}", e.bcubed.f1),
        format!("{:.2}", row.seconds),
    ]
}

struct Options {
    records: usize,
    seed: u64,
    data: PathBuf,
    markdown: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut o = Options {
        records: 20_000,
        seed: 7,
        data: PathBuf::from("../shared/data"),
        markdown: false,
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a whole number"))
        };
        match a.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--records" => o.records = number(&a)? as usize,
            "--seed" => o.seed = number(&a)?,
            "--data" => o.data = it.next().ok_or("--data needs a folder")?.into(),
            "--markdown" => o.markdown = true,
            s => return Err(format!("unknown argument {s}")),
        }
    }
    if o.records < 10 {
        return Err("--records needs at least 10".into());
    }
    Ok(o)
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Err(e) if e.is_empty() => print!("{HELP}"),
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
        Ok(opts) => {
            if let Err(e) = run(&opts) {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn run(opts: &Options) -> Result<(), String> {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for name in ["febrl1.csv", "febrl2.csv", "febrl3.csv"] {
        let path = opts.data.join(name);
        if path.is_file() {
            let data = read_labelled_csv(&path, "entity_id")?;
            rows.push(evaluate(&data, Training::Unsupervised)?);
        } else {
            notes.push(format!("{} not found: skipped", path.display()));
        }
    }
    let mut gaps = Vec::new();
    for (i, set) in generated_sets(opts.records, opts.seed).iter().enumerate() {
        let data = generated(set);
        let unsupervised = evaluate(&data, Training::Unsupervised)?;
        if i == 0 {
            let f1 = unsupervised.evaluation.clusters.f1;
            rows.push(unsupervised);
            for training in [Training::Supervised, Training::SupervisedPairs] {
                let supervised = evaluate(&data, training)?;
                gaps.push((
                    supervised.name.clone(),
                    supervised.evaluation.clusters.f1 - f1,
                ));
                rows.push(supervised);
            }
        } else {
            rows.push(unsupervised);
        }
    }
    let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
    if opts.markdown {
        print!("{}", table::format_markdown_table(&HEADERS, &body));
    } else {
        print!("{}", table::format_text_table(&HEADERS, &body));
    }
    println!(
        "\ngenerated: seed {}, {} records a set",
        opts.seed,
        table::thousands(opts.records as u64)
    );
    for (name, gap) in gaps {
        println!("F1 of {name} minus unsupervised: {gap:+.4}");
    }
    let default = generated_sets(opts.records, opts.seed)
        .into_iter()
        .next()
        .map(|s| s.config)
        .unwrap_or_default();
    println!("\nthe default generated set, by phenomenon and by relation:\n");
    for (headers, rows) in phenomenon_tables(&default)? {
        if opts.markdown {
            print!("{}", table::format_markdown_table(&headers, &rows));
        } else {
            print!("{}", table::format_text_table(&headers, &rows));
        }
        println!();
    }
    for note in notes {
        eprintln!("note: {note}");
    }
    Ok(())
}
