//! Compares six match strategies on the same data: exact keys, deterministic rules,
//! an averaged Jaro-Winkler threshold, Fellegi-Sunter trained by EM (without and
//! with term-frequency adjustments) and supervised Fellegi-Sunter.
//!
//! Runs on generated data (`--records N`, `--seed S`) and, when present, on the
//! Febrl sets `febrl1.csv`, `febrl2.csv`, `febrl3.csv` in `--data DIR` (default
//! `../shared/data`). Prints one table per data set: pairwise precision, recall and
//! F1 of the final clusters against the truth, pairs compared, and seconds (the
//! whole strategy, from raw records to clusters). `--markdown` prints Markdown.
//!
//! ```text
//! cargo run --release --example compare_strategies -- --markdown
//! ```

#[path = "resolve/csv.rs"]
#[allow(dead_code)]
mod csv;
mod strategies;

use sameas::Config;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use strategies::table::{format_strategy_table, format_strategy_table_markdown, StrategyRow};
use strategies::{evaluate, Dataset, Strategy};

const HELP: &str = "\
compare_strategies — six match strategies on the same data, one table per data set

USAGE:
    compare_strategies [OPTIONS]

OPTIONS:
    --records N     generated records (default 20000)
    --seed S        generator seed (default 7)
    --data DIR      where febrl1.csv, febrl2.csv, febrl3.csv are looked for
                    (default ../shared/data; missing files are skipped)
    --no-febrl      only the generated data
    --markdown      print Markdown tables
    -h, --help      this text
";

struct Options {
    records: usize,
    seed: u64,
    data: PathBuf,
    febrl: bool,
    markdown: bool,
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        records: 20_000,
        seed: 7,
        data: PathBuf::from("../shared/data"),
        febrl: true,
        markdown: false,
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--records" => {
                o.records = value(&a)?
                    .parse()
                    .map_err(|_| "--records needs a whole number".to_string())?
            }
            "--seed" => {
                o.seed = value(&a)?
                    .parse()
                    .map_err(|_| "--seed needs a whole number".to_string())?
            }
            "--data" => o.data = value(&a)?.into(),
            "--no-febrl" => o.febrl = false,
            "--markdown" => o.markdown = true,
            s => return Err(format!("unknown argument {s}")),
        }
    }
    if o.records < 2 {
        return Err("--records needs at least 2".into());
    }
    Ok(o)
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1).collect()) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(opts: &Options) -> Result<(), String> {
    let mut sets = vec![(
        format!(
            "generated data: {} records, seed {}",
            thousands(opts.records),
            opts.seed
        ),
        generated(opts)?,
    )];
    if opts.febrl {
        for name in ["febrl1.csv", "febrl2.csv", "febrl3.csv"] {
            let path = opts.data.join(name);
            if path.is_file() {
                let data = febrl(&path)?;
                let title = format!("{name}: {} records", thousands(data.records.len()));
                sets.push((title, data));
            }
        }
    }
    for (i, (title, data)) in sets.iter().enumerate() {
        let rows = Strategy::ALL
            .iter()
            .map(|&s| evaluate(s, data).map_err(|e| format!("{title}, {}: {e}", s.name())))
            .collect::<Result<Vec<StrategyRow>, String>>()?;
        if i > 0 {
            println!();
        }
        if opts.markdown {
            print!("**{title}**\n\n{}", format_strategy_table_markdown(&rows));
        } else {
            print!("{title}\n{}", format_strategy_table(&rows));
        }
    }
    Ok(())
}

fn generated(opts: &Options) -> Result<Dataset, String> {
    let synth = sameas_synth::generate(&sameas_synth::SynthConfig {
        records: opts.records,
        seed: opts.seed,
        ..Default::default()
    });
    let config = Config::infer(synth.schema).map_err(|e| e.to_string())?;
    Ok(Dataset {
        records: synth.records,
        truth: synth.truth,
        config,
    })
}

/// A Febrl CSV ([`csv::read_labelled`]): `rec_id` is the record id, `entity_id` the
/// truth, every other column a field whose kind is inferred; every record's source is
/// the file's stem.
fn febrl(path: &std::path::Path) -> Result<Dataset, String> {
    let data = csv::read_labelled(path, "entity_id")?;
    if data.records.len() < 2 {
        return Err(format!("{}: fewer than two records", path.display()));
    }
    let mut entities: BTreeMap<&str, u64> = BTreeMap::new();
    let truth = data
        .truth
        .iter()
        .map(|t| {
            let next = entities.len() as u64;
            *entities.entry(t.as_str()).or_insert(next)
        })
        .collect();
    let config = Config::infer(data.schema).map_err(|e| e.to_string())?;
    Ok(Dataset {
        records: data.records,
        truth,
        config,
    })
}

/// `20000` → `"20,000"`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strategies::{in_training_half, run, UnionFind};
    use super::*;

    #[test]
    fn union_find_joins_transitively() {
        let mut uf = UnionFind::new(5);
        uf.union(0, 1);
        uf.union(3, 1);
        let l = uf.labels();
        assert_eq!(l[0], l[1]);
        assert_eq!(l[0], l[3]);
        assert_ne!(l[0], l[2]);
        assert_ne!(l[2], l[4]);
    }

    #[test]
    fn training_half_is_about_half() {
        let n = (0..200)
            .flat_map(|a| (a + 1..200).map(move |b| (a, b)))
            .filter(|&(a, b)| in_training_half(a, b))
            .count();
        let all = 200 * 199 / 2;
        assert!(n * 10 > all * 4 && n * 10 < all * 6, "{n} of {all}");
    }

    #[test]
    fn every_strategy_clusters_the_same_records() {
        let opts = parse_args(vec!["--records".into(), "600".into()]).unwrap();
        let data = generated(&opts).unwrap();
        let rows: Vec<StrategyRow> = Strategy::ALL
            .iter()
            .map(|&s| evaluate(s, &data).unwrap())
            .collect();
        for &s in &Strategy::ALL {
            assert_eq!(run(s, &data).unwrap().labels.len(), data.records.len());
        }
        // Every strategy but exact keys compares the same candidate pairs.
        assert!(rows[1..]
            .iter()
            .all(|r| r.pairs_compared == rows[1].pairs_compared));
        assert!(rows[0].pairs_compared < rows[1].pairs_compared);
        // Exact rules are precise; every strategy finds something.
        assert!(rows[1].precision > 0.9, "{rows:?}");
        assert!(rows.iter().all(|r| r.recall > 0.3), "{rows:?}");
    }

    #[test]
    fn febrl_columns_become_fields() {
        let dir = std::env::temp_dir().join(format!("sameas-febrl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("febrl_test.csv");
        std::fs::write(
            &path,
            "rec_id,given_name,surname,date_of_birth,soc_sec_id,entity_id\n\
             rec-1-org,ann,lee,19800101,1234567,rec-1\n\
             rec-1-dup-0,anne,lee,19800101,1234567,rec-1\n\
             rec-2-org,bob,ray,19700202,7654321,rec-2\n",
        )
        .unwrap();
        let data = febrl(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(data.records.len(), 3);
        assert_eq!(data.truth, vec![0, 0, 1]);
        assert_eq!(data.config.schema.len(), 4);
        assert_eq!(data.records[2].source(), "febrl_test");
        assert!(febrl(std::path::Path::new("/no/such/febrl.csv")).is_err());
    }
}
