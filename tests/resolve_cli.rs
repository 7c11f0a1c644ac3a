//! End-to-end runs of the `resolve` example: generated data (accuracy, batch =
//! incremental), the user's CSV files (bad input gives a clear error, never a panic),
//! and `--print-config` / `--config` round trips.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use sameas_synth::{generate, to_csv_rows, SynthConfig};

/// The features this test was built with, so that building the example reuses the
/// library already compiled for the test.
fn features() -> Vec<&'static str> {
    let mut f = Vec::new();
    if cfg!(feature = "serde") {
        f.push("serde");
    }
    if cfg!(feature = "parallel") {
        f.push("parallel");
    }
    f
}

/// Builds the example (a no-op when it is fresh) and returns its path, next to this
/// test's own binary: `target/<profile>/examples/resolve`.
fn resolve_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("test binary path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>/deps/<test>");
        let target_dir = profile_dir.parent().expect("target/<profile>");
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "--quiet", "--example", "resolve"])
            .args(["--no-default-features", "--features", &features().join(",")])
            .env("CARGO_TARGET_DIR", target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let out = cmd.output().expect("cargo runs");
        assert!(
            out.status.success(),
            "building the example failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bin = profile_dir
            .join("examples")
            .join(format!("resolve{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "no example binary at {}", bin.display());
        bin
    })
}

fn run(args: &[&str]) -> Output {
    Command::new(resolve_bin())
        .args(args)
        .output()
        .expect("the example runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sameas-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

/// Asserts a run failed cleanly: non-zero exit, no panic, and stderr holding every
/// `needle`.
fn assert_clean_failure(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert!(!o.status.success(), "expected failure, got success: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_ne!(o.status.code(), Some(101), "exit code of a panic: {err}");
    assert!(err.starts_with("error: "), "clear error line: {err}");
    for n in needles {
        assert!(err.contains(n), "stderr should mention {n:?}: {err}");
    }
}

/// The profiles CSV as a partition (sets of record ids) and each record's confidence.
fn read_profiles(path: &Path) -> (BTreeSet<BTreeSet<String>>, BTreeMap<String, String>) {
    let text = std::fs::read_to_string(path).expect("profiles written");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("record_id,profile_id,confidence"));
    let mut by_profile: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut confidence = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 3, "row {line:?}");
        by_profile
            .entry(cells[1].to_string())
            .or_default()
            .insert(cells[0].to_string());
        confidence.insert(cells[0].to_string(), cells[2].to_string());
    }
    (by_profile.into_values().collect(), confidence)
}

/// Writes generated records as one CSV file.
fn write_generated_csv(path: &Path, records: usize, seed: u64) {
    let (header, rows) = generated_rows(records, seed);
    write_csv(path, &header, &rows);
}

/// Generated records as CSV header and rows.
fn generated_rows(records: usize, seed: u64) -> (Vec<String>, Vec<Vec<String>>) {
    let data = generate(&SynthConfig {
        records,
        seed,
        ..SynthConfig::default()
    });
    to_csv_rows(&data)
}

/// Writes rows as a CSV file, quoting where needed.
fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let quote = |s: &String| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.clone()
        }
    };
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        out.push_str(&row.iter().map(quote).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    std::fs::write(path, out).expect("write csv");
}

fn cluster_f1(out: &str) -> f64 {
    let line = out
        .lines()
        .find(|l| l.starts_with("cluster F1 "))
        .unwrap_or_else(|| panic!("no cluster F1 line in {out:?}"));
    line["cluster F1 ".len()..]
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("bad cluster F1 line {line:?}"))
}

// ----- generated data ----------------------------------------------------------------

#[test]
fn generated_data_resolves_with_useful_accuracy() {
    let dir = scratch("generated");
    let report = dir.join("report.json");
    let o = run(&[
        "--records",
        "2000",
        "--quiet",
        "--report",
        path_str(&report),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let f1 = cluster_f1(&stdout(&o));
    // Measured 0.9320 (2,000 records, seed 7); a drop of a point is a regression.
    assert!(f1 >= 0.92, "cluster F1 {f1}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["records"], 2000);
    assert!(report["candidate_pairs"].as_u64().unwrap() > 0);
    for part in ["pairwise", "clusters"] {
        for m in ["precision", "recall", "f1"] {
            let v = report[part][m].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&v), "{part}.{m} = {v}");
        }
    }
    assert!((report["clusters"]["f1"].as_f64().unwrap() - f1).abs() < 1e-4);
    // The trained model is in the report and loads back as one.
    let model: sameas::Model = serde_json::from_value(report["model"].clone()).unwrap();
    assert!(model.prior() > 0.0 && model.prior() < 1.0);
    assert_eq!(model.comparisons()[0].name, "given_name");
    // The stages run one after another within the whole run.
    let seconds = |s: &str| report["seconds"][s].as_f64().expect(s);
    assert!(
        seconds("train") + seconds("score") + seconds("cluster") <= seconds("total"),
        "{}",
        report["seconds"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Training warnings read as sentences in the configuration's words (a run named by
/// its training rule, a level by its label), not as debug structures.
#[test]
fn training_warnings_name_rules_and_levels() {
    let o = run(&["--records", "2000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let warnings: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("training warning: "))
        .collect();
    assert!(!warnings.is_empty(), "2,000 generated records warn: {out}");
    for w in &warnings {
        assert!(!w.contains('{') && !w.contains("run 0"), "{w}");
        if w.contains("iterations") || w.contains("one class") {
            assert!(w.starts_with("EM run on "), "{w}");
        }
        if w.contains(" weighs more than ") {
            assert!(w.matches('"').count() == 4, "{w}");
        }
    }
}

#[test]
fn incremental_gives_the_batch_profiles() {
    let dir = scratch("incremental");
    let (batch, inc) = (dir.join("batch.csv"), dir.join("inc.csv"));
    let common = [
        "--records",
        "1500",
        "--seed",
        "3",
        "--quiet",
        "--shuffle",
        "9",
    ];
    let o = run(&[&common[..], &["--profiles", path_str(&batch)]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let report = dir.join("report.json");
    let o2 = run(&[
        &common[..],
        &[
            "--incremental",
            "--profiles",
            path_str(&inc),
            "--report",
            path_str(&report),
        ],
    ]
    .concat());
    assert!(o2.status.success(), "{}", stderr(&o2));
    // Every add is timed: median, 99th percentile and maximum, in that order.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let add = |q: &str| report["incremental_add_us"][q].as_f64().expect(q);
    assert!(add("p50") > 0.0 && add("p50") <= add("p99") && add("p99") <= add("max"));
    let (pb, cb) = read_profiles(&batch);
    let (pi, ci) = read_profiles(&inc);
    assert_eq!(cb.len(), 1500);
    assert!(pb.iter().any(|p| p.len() > 1), "some records link");
    assert_eq!(pb, pi, "incremental and batch partitions differ");
    assert_eq!(cb, ci, "confidences differ");
    assert_eq!(cluster_f1(&stdout(&o)), cluster_f1(&stdout(&o2)));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn record_order_does_not_change_the_profiles() {
    let dir = scratch("order");
    let (a, b) = (dir.join("a.csv"), dir.join("b.csv"));
    let common = ["--records", "1500", "--seed", "3", "--quiet"];
    let o = run(&[&common[..], &["--profiles", path_str(&a)]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[&common[..], &["--shuffle", "9", "--profiles", path_str(&b)]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_profiles(&a).0, read_profiles(&b).0);
    let _ = std::fs::remove_dir_all(dir);
}

// ----- CSV files ---------------------------------------------------------------------

#[test]
fn csv_files_resolve_and_config_round_trips() {
    let dir = scratch("csv");
    let data = dir.join("customers.csv");
    write_generated_csv(&data, 600, 12);
    let (p1, p2) = (dir.join("p1.csv"), dir.join("p2.csv"));
    let o = run(&[
        path_str(&data),
        "--truth",
        "entity_id",
        "--quiet",
        "--profiles",
        path_str(&p1),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Measured 0.9366 (600 records, seed 12).
    assert!(cluster_f1(&stdout(&o)) >= 0.92, "{}", stdout(&o));

    let o = run(&[path_str(&data), "--truth", "entity_id", "--print-config"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let config: sameas::Config = serde_json::from_str(&text).expect("printed config parses");
    config.validate().expect("printed config is valid");
    assert!(config.schema.index_of("given_name").is_some());
    assert!(
        config.schema.index_of("entity_id").is_none(),
        "truth is no field"
    );
    let config_path = dir.join("config.json");
    std::fs::write(&config_path, &text).unwrap();
    let o = run(&[
        path_str(&data),
        "--truth",
        "entity_id",
        "--quiet",
        "--config",
        path_str(&config_path),
        "--profiles",
        path_str(&p2),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        read_profiles(&p1),
        read_profiles(&p2),
        "same config, same result"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// The same data with the names headed as the patent tables head them and the birth
/// date in three columns (as registers and web forms give it) resolves to the same
/// profiles: the headers are read as given name, family name and one date.
#[test]
fn name_part_headers_and_a_date_in_parts_resolve_as_the_whole_columns() {
    let dir = scratch("parts");
    let (header, rows) = generated_rows(600, 21);
    let whole = dir.join("whole.csv");
    write_csv(&whole, &header, &rows);
    let dob = header.iter().position(|h| h == "date_of_birth").unwrap();
    let rename = |h: &String| match h.as_str() {
        "given_name" => vec!["name_first".to_string()],
        "family_name" => vec!["name_last".to_string()],
        "date_of_birth" => ["birth_year", "birth_month", "birth_day"]
            .map(String::from)
            .to_vec(),
        _ => vec![h.clone()],
    };
    let split_header: Vec<String> = header.iter().flat_map(rename).collect();
    let mut parts_given = 0;
    let split_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut out = row[..dob].to_vec();
            match sameas::normalize::parse_date(&row[dob], true) {
                Ok(d) => {
                    parts_given += 1;
                    out.extend([d.year.to_string(), d.month.to_string(), d.day.to_string()]);
                }
                Err(_) => out.extend([String::new(), String::new(), String::new()]),
            }
            out.extend_from_slice(&row[dob + 1..]);
            out
        })
        .collect();
    assert!(parts_given > 300, "{parts_given} dates split");
    let parts = dir.join("parts.csv");
    write_csv(&parts, &split_header, &split_rows);

    let o = run(&[path_str(&parts), "--truth", "entity_id", "--print-config"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let config: sameas::Config = serde_json::from_str(&stdout(&o)).unwrap();
    let kind = |name: &str| config.schema.field(name).map(|(_, f)| f.kind).ok();
    assert_eq!(kind("name_first"), Some(sameas::FieldKind::GivenName));
    assert_eq!(kind("name_last"), Some(sameas::FieldKind::FamilyName));
    assert_eq!(
        kind("birth_year+birth_month+birth_day"),
        Some(sameas::FieldKind::DateOfBirth)
    );

    let (p1, p2) = (dir.join("p1.csv"), dir.join("p2.csv"));
    for (data, profiles) in [(&whole, &p1), (&parts, &p2)] {
        let o = run(&[
            path_str(data),
            "--truth",
            "entity_id",
            "--quiet",
            "--profiles",
            path_str(profiles),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(read_profiles(&p1).0, read_profiles(&p2).0);
    let _ = std::fs::remove_dir_all(dir);
}

/// One file per source, each naming its columns its own way (`first_name`,
/// `forename`; `phone`, `mobile`, `telephone` …), resolves to the profiles of one file:
/// columns of one kind feed one field, so the sources are compared with each other.
#[test]
fn sources_naming_their_columns_differently_resolve_as_one_file() {
    let dir = scratch("per_source");
    let (header, rows) = generated_rows(600, 23);
    let whole = dir.join("whole.csv");
    write_csv(&whole, &header, &rows);
    let source = header.iter().position(|h| h == "source").unwrap();
    let mut sources: Vec<&str> = rows.iter().map(|r| r[source].as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    assert!(sources.len() >= 3, "{sources:?}");
    let spellings: [&[(&str, &str)]; 3] = [
        &[],
        &[
            ("given_name", "first_name"),
            ("family_name", "last_name"),
            ("email", "email_address"),
            ("phone", "mobile"),
            ("date_of_birth", "dob"),
            ("postcode", "zip"),
        ],
        &[
            ("given_name", "forename"),
            ("family_name", "surname"),
            ("phone", "telephone"),
            ("date_of_birth", "birth_date"),
            ("street_address", "street"),
            ("city", "town"),
        ],
    ];
    let mut files = Vec::new();
    for (n, name) in sources.iter().enumerate() {
        let spelled = spellings[n % spellings.len()];
        let own_header: Vec<String> = header
            .iter()
            .map(|h| {
                let renamed = spelled.iter().find(|(from, _)| from == h);
                renamed.map_or(h.clone(), |(_, to)| to.to_string())
            })
            .collect();
        let own_rows: Vec<Vec<String>> = rows
            .iter()
            .filter(|r| r[source] == *name)
            .cloned()
            .collect();
        let path = dir.join(format!("{name}.csv"));
        write_csv(&path, &own_header, &own_rows);
        files.push(path);
    }
    let (p1, p2) = (dir.join("p1.csv"), dir.join("p2.csv"));
    let o = run(&[path_str(&whole), "--quiet", "--profiles", path_str(&p1)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut args: Vec<&str> = files.iter().map(|p| path_str(p)).collect();
    args.extend(["--quiet", "--profiles", path_str(&p2)]);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_profiles(&p1).0, read_profiles(&p2).0);
    // The printed configuration reads the files again, other spellings included.
    let mut print: Vec<&str> = files.iter().map(|p| path_str(p)).collect();
    print.push("--print-config");
    let o = run(&print);
    assert!(o.status.success(), "{}", stderr(&o));
    let config = dir.join("config.json");
    std::fs::write(&config, &o.stdout).unwrap();
    let p3 = dir.join("p3.csv");
    let mut again: Vec<&str> = files.iter().map(|p| path_str(p)).collect();
    again.extend([
        "--quiet",
        "--config",
        path_str(&config),
        "--profiles",
        path_str(&p3),
    ]);
    let o = run(&again);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_profiles(&p2).0, read_profiles(&p3).0);
    let _ = std::fs::remove_dir_all(dir);
}

/// Records with an empty truth cell (a labelled sample of a larger set) are left out
/// of the scores instead of counting as one entity.
#[test]
fn partial_truth_scores_the_labelled_records() {
    let dir = scratch("partial_truth");
    let (header, mut rows) = generated_rows(600, 12);
    let truth = header.iter().position(|h| h == "entity_id").unwrap();
    let mut labelled = 0;
    for row in &mut rows {
        let entity: u64 = row[truth].parse().unwrap();
        if entity % 3 == 0 {
            labelled += 1;
        } else {
            row[truth].clear();
        }
    }
    assert!(labelled > 100 && labelled < 500, "{labelled}");
    let path = dir.join("partial.csv");
    write_csv(&path, &header, &rows);
    let o = run(&[path_str(&path), "--truth", "entity_id", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = format!("accuracy over the {labelled} records with a truth label");
    assert!(out.contains(&line), "{out}");
    // Scored as one entity, the unlabelled records gave F1 near 0.
    assert!(cluster_f1(&out) > 0.8, "{out}");
    let _ = std::fs::remove_dir_all(dir);
}

/// `--id` with several names takes each file's first one it has.
#[test]
fn id_columns_named_per_file() {
    let dir = scratch("ids");
    let (crm, shop) = (dir.join("crm.csv"), dir.join("shop.csv"));
    std::fs::write(
        &crm,
        "crm_id,first_name,surname,email\nc1,Ana,Pop,ana@x.ro\n",
    )
    .unwrap();
    std::fs::write(
        &shop,
        "order_id,forename,last_name,e_mail\ns1,Ana,Pop,ana@x.ro\n",
    )
    .unwrap();
    let pairs = dir.join("pairs.csv");
    let (c, s) = (path_str(&crm), path_str(&shop));
    let o = run(&[
        c,
        s,
        "--id",
        "crm_id, order_id",
        "--quiet",
        "--pairs",
        path_str(&pairs),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&pairs).unwrap();
    assert!(
        written.lines().nth(1).unwrap_or("").starts_with("c1,s1,"),
        "{written}"
    );
    let o = run(&[c, s, "--id", "crm_id,customer_no"]);
    assert_clean_failure(&o, &["shop.csv", "crm_id,customer_no"]);
    // Ids numbered per system collide across files; --source-ids names them SOURCE:ID.
    std::fs::write(
        &shop,
        "order_id,forename,last_name,e_mail\nc1,Ana,Pop,ana@x.ro\n",
    )
    .unwrap();
    let o = run(&[c, s, "--id", "crm_id,order_id"]);
    assert_clean_failure(&o, &["shop.csv:2", "crm.csv:2", "--source-ids"]);
    let o = run(&[
        c,
        s,
        "--id",
        "crm_id,order_id",
        "--source-ids",
        "--pairs",
        path_str(&pairs),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&pairs).unwrap();
    assert!(
        written
            .lines()
            .nth(1)
            .unwrap_or("")
            .starts_with("crm:c1,shop:c1,"),
        "{written}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn print_config_of_generated_data_feeds_back() {
    let dir = scratch("printcfg");
    let o = run(&["--records", "300", "--print-config"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let _: sameas::Config = serde_json::from_str(&text).expect("parses");
    let cfg = dir.join("config.json");
    std::fs::write(&cfg, &text).unwrap();
    let (a, b) = (dir.join("a.csv"), dir.join("b.csv"));
    let o = run(&["--records", "300", "--quiet", "--profiles", path_str(&a)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "--records",
        "300",
        "--quiet",
        "--config",
        path_str(&cfg),
        "--profiles",
        path_str(&b),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_profiles(&a), read_profiles(&b));
    let _ = std::fs::remove_dir_all(dir);
}

const GOOD: &str = "id,given_name,family_name,email\n\
    1,Ana,Pop,ana.pop@example.com\n\
    2,ANA,Pop,Ana.Pop@example.com\n\
    3,Ion,Ionescu,ion@example.ro\n";

/// Resolves one CSV text and checks that it exits 0 with every record in a profile.
fn assert_resolves(name: &str, text: &str, records: usize) {
    let dir = scratch(name);
    let f = dir.join(format!("{name}.csv"));
    std::fs::write(&f, text).unwrap();
    let profiles = dir.join("p.csv");
    let o = run(&[path_str(&f), "--quiet", "--profiles", path_str(&profiles)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (partition, _) = read_profiles(&profiles);
    let ids: BTreeSet<String> = partition.iter().flatten().cloned().collect();
    assert_eq!(ids.len(), records);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_small_good_file_resolves() {
    assert_resolves("good", GOOD, 3);
}

#[test]
fn missing_file() {
    let dir = scratch("missing");
    let f = dir.join("nowhere.csv");
    let o = run(&[path_str(&f)]);
    assert_clean_failure(&o, &["nowhere.csv", "cannot read"]);
    let o = run(&["--records", "10", "--config", path_str(&f)]);
    assert_clean_failure(&o, &["nowhere.csv"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn empty_file() {
    let dir = scratch("empty");
    let f = dir.join("empty.csv");
    std::fs::write(&f, "").unwrap();
    assert_clean_failure(&run(&[path_str(&f)]), &["empty.csv", "empty"]);
    let blank = dir.join("blank.csv");
    std::fs::write(&blank, "\n\n").unwrap();
    assert_clean_failure(&run(&[path_str(&blank)]), &["blank.csv"]);
    let header_only = dir.join("header.csv");
    std::fs::write(&header_only, "id,given_name,family_name\n").unwrap();
    assert_clean_failure(&run(&[path_str(&header_only)]), &["no record"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn row_with_the_wrong_number_of_fields() {
    let dir = scratch("fields");
    let f = dir.join("short.csv");
    std::fs::write(
        &f,
        "id,given_name,family_name,email\n1,Ana,Pop,ana@example.com\n2,Ion,Ionescu\n",
    )
    .unwrap();
    assert_clean_failure(&run(&[path_str(&f)]), &["short.csv:3", "3 fields"]);
    let long = dir.join("long.csv");
    std::fs::write(
        &long,
        "id,given_name,family_name\n1,Ana,Pop\n\n2,Ion,Ionescu,extra\n",
    )
    .unwrap();
    assert_clean_failure(&run(&[path_str(&long)]), &["long.csv:4"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn unknown_columns() {
    let dir = scratch("columns");
    let f = dir.join("good.csv");
    std::fs::write(&f, GOOD).unwrap();
    assert_clean_failure(
        &run(&[path_str(&f), "--id", "customer_no"]),
        &["good.csv", "customer_no"],
    );
    assert_clean_failure(
        &run(&[path_str(&f), "--truth", "person"]),
        &["good.csv", "person"],
    );
    assert_clean_failure(
        &run(&[path_str(&f), "--source", "system"]),
        &["good.csv", "system"],
    );
    let no_id = dir.join("noid.csv");
    std::fs::write(&no_id, "given_name,family_name\nAna,Pop\n").unwrap();
    assert_clean_failure(&run(&[path_str(&no_id)]), &["noid.csv", "--id"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn unterminated_quote() {
    let dir = scratch("quote");
    let f = dir.join("quote.csv");
    std::fs::write(
        &f,
        "id,given_name,family_name\n1,Ana,Pop\n2,\"Ion,Ionescu\n3,Maria,Popa\n",
    )
    .unwrap();
    assert_clean_failure(&run(&[path_str(&f)]), &["quote.csv:3", "never closed"]);
    let stray = dir.join("stray.csv");
    std::fs::write(&stray, "id,given_name\n1,An\"a\n").unwrap();
    assert_clean_failure(&run(&[path_str(&stray)]), &["stray.csv:2"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn other_bad_input() {
    let dir = scratch("other");
    // Not UTF-8.
    let latin1 = dir.join("latin1.csv");
    std::fs::write(&latin1, b"id,given_name\n1,Jos\xe9\n").unwrap();
    assert_clean_failure(&run(&[path_str(&latin1)]), &["latin1.csv", "UTF-8"]);
    // A row with an empty id.
    let empty_id = dir.join("emptyid.csv");
    std::fs::write(
        &empty_id,
        "id,given_name,family_name\n1,Ana,Pop\n ,Ion,Ionescu\n",
    )
    .unwrap();
    assert_clean_failure(&run(&[path_str(&empty_id)]), &["emptyid.csv:3"]);
    // The same id twice.
    let dup = dir.join("dup.csv");
    std::fs::write(
        &dup,
        "id,given_name,family_name\n7,Ana,Pop\n7,Ion,Ionescu\n",
    )
    .unwrap();
    assert_clean_failure(&run(&[path_str(&dup)]), &["\"7\""]);
    // Duplicate column names.
    let twice = dir.join("twice.csv");
    std::fs::write(&twice, "id,email,email\n1,a@example.com,b@example.com\n").unwrap();
    assert_clean_failure(&run(&[path_str(&twice)]), &["twice.csv:1", "email"]);
    // A config that is not JSON, and one naming a field no file has.
    let good = dir.join("good.csv");
    std::fs::write(&good, GOOD).unwrap();
    let bad_json = dir.join("bad.json");
    std::fs::write(&bad_json, "{ not json").unwrap();
    assert_clean_failure(
        &run(&[path_str(&good), "--config", path_str(&bad_json)]),
        &["bad.json"],
    );
    let o = run(&["--records", "50", "--print-config"]);
    assert!(o.status.success());
    let other_cfg = dir.join("synth.json");
    std::fs::write(&other_cfg, stdout(&o)).unwrap();
    assert_clean_failure(
        &run(&[path_str(&good), "--config", path_str(&other_cfg)]),
        &["field"],
    );
    // Bad options.
    for args in [
        &["--threshold", "2"][..],
        &["--records", "many"][..],
        &["--frobnicate"][..],
        &["--id"][..],
    ] {
        let o = run(args);
        assert!(!o.status.success(), "{args:?}");
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn pairs_csv_has_the_header_every_pair_and_quotes_ids() {
    let dir = scratch("pairs");
    let f = dir.join("people.csv");
    std::fs::write(
        &f,
        "id,given_name,family_name,email,date_of_birth\n\
         \"crm,1\",Ana,Pop,ana.pop@example.com,1990-01-02\n\
         \"web \"\"7\"\"\",ANA,Pop,ana.pop@example.com,1990-01-02\n\
         crm-2,Ion,Pop,ion.pop@example.com,1971-05-06\n",
    )
    .unwrap();
    let pairs = dir.join("pairs.csv");
    let o = run(&[path_str(&f), "--quiet", "--pairs", path_str(&pairs)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&pairs).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("left_id,right_id,probability,match_weight,band,"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    // The two Anas: quoted ids (RFC 4180), a high probability, one level per comparison.
    let ana = rows
        .iter()
        .find(|r| r.starts_with("\"crm,1\",\"web \"\"7\"\"\","))
        .unwrap_or_else(|| panic!("no quoted pair in {text}"));
    let cells: Vec<&str> = ana.split(',').collect();
    // "crm,1" splits into two cells on a naive split, hence the shifted indices.
    let p: f64 = cells[3].parse().unwrap();
    let band = sameas::ConfidenceBand::of(p).to_string();
    assert_eq!(cells[5], band, "{ana}");
    assert_eq!(cells.len() - 1, header.split(',').count(), "{ana}");
    // The pair's own probability, then its levels.
    let own: f64 = cells[6].parse().unwrap();
    assert!(own > 0.5 && own <= p, "{ana}");
    assert!(cells[7..].iter().all(|level| *level == "exact"), "{ana}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 15 item 10: a record id in two files names both files and lines.
#[test]
fn duplicate_id_across_files_names_both_files() {
    let dir = scratch("dup-files");
    let crm = dir.join("crm.csv");
    std::fs::write(&crm, GOOD).unwrap();
    let web = dir.join("web.csv");
    std::fs::write(
        &web,
        "id,given_name,family_name,email\n9,Eva,Ene,eva@example.com\n2,Ana,Pop,ana@example.com\n",
    )
    .unwrap();
    assert_clean_failure(
        &run(&[path_str(&crm), path_str(&web)]),
        &["web.csv:3", "\"2\"", "crm.csv:3"],
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 15 item 10: bytes that are not UTF-8 are reported by line (and column), not
/// by byte offset.
#[test]
fn invalid_utf8_is_reported_by_line() {
    let dir = scratch("utf8");
    let f = dir.join("latin1.csv");
    std::fs::write(
        &f,
        b"id,given_name,family_name\n1,Ana,Pop\n2,Jos\xe9,Ionescu\n".as_slice(),
    )
    .unwrap();
    let o = run(&[path_str(&f)]);
    assert_clean_failure(&o, &["latin1.csv:3", "UTF-8", "column 6"]);
    assert!(!stderr(&o).contains("byte"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

/// Splits RFC 4180 text into rows of fields (quoted fields, doubled quotes, CRLF).
fn parse_rfc4180(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "a bare CR ends a row"),
            (false, '\n') => panic!("rows end in CRLF"),
            (false, _) => field.push(c),
        }
        if !quoted && c == '\r' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        }
    }
    assert!(
        !quoted && row.is_empty() && field.is_empty(),
        "text after the last row"
    );
    rows
}

/// Issue 15 item 10: the profiles CSV is RFC 4180 (ids with a comma, a quote, CR or
/// LF survive) and guards against spreadsheet formulas (a leading `'`).
#[test]
fn profiles_csv_is_rfc4180_and_formula_safe() {
    let dir = scratch("rfc4180");
    let ids = [
        "a,1",
        "say \"hi\"",
        "cr\rlf\nid",
        "=HYPERLINK(\"http://x\")",
        "+1",
        "-2",
        "@SUM(A1)",
        "\tTAB",
        "plain",
    ];
    let mut input = String::from("id,given_name,family_name,email\r\n");
    // Two records a person, so that training has pairs to learn from.
    for (i, id) in ids.iter().enumerate() {
        let person = i / 2;
        input.push_str(&format!(
            "\"{}\",Ana,Pop{person},ana{person}@example.com\r\n",
            id.replace('"', "\"\"")
        ));
    }
    let f = dir.join("ids.csv");
    std::fs::write(&f, input).unwrap();
    let out = dir.join("profiles.csv");
    let o = run(&[path_str(&f), "--quiet", "--profiles", path_str(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = parse_rfc4180(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows[0], ["record_id", "profile_id", "confidence"]);
    let written: BTreeSet<String> = rows[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.len(), 3, "{r:?}");
            r[0].clone()
        })
        .collect();
    // Ids are trimmed on reading (the tab goes); a leading tab or CR is guarded in the
    // CSV writer's own test.
    let expected: BTreeSet<String> = ids
        .iter()
        .map(|id| id.trim())
        .map(|id| {
            if id.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{id}")
            } else {
                id.to_string()
            }
        })
        .collect();
    assert_eq!(written, expected);
    let help = stdout(&run(&["--help"]));
    assert!(
        help.contains("RFC 4180") && help.contains("leading '"),
        "{help}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 15 item 6: invalid values are counted per source and field in the summary
/// and the report.
#[test]
fn invalid_values_are_reported_per_source_and_field() {
    let dir = scratch("invalid");
    let crm = dir.join("crm.csv");
    std::fs::write(
        &crm,
        "id,given_name,family_name,email,date_of_birth\n\
         1,Ana,Pop,ana.pop@example.com,1990-02-03\n\
         2,Ion,Ionescu,not an e-mail,31.02.1990\n\
         3,Eva,Ene,eva@example.com,1985-07-01\n",
    )
    .unwrap();
    let web = dir.join("web.csv");
    std::fs::write(
        &web,
        "id,given_name,family_name,email,date_of_birth\n\
         w1,ANA,Pop,ana.pop@example.com,03.02.1990\n\
         w2,Ion,Ionescu,ion at example.com,1970-01-01\n\
         w3,Dan,Dinu,dan@example.com,1971-05-05\n",
    )
    .unwrap();
    let report = dir.join("report.json");
    let o = run(&[
        path_str(&crm),
        path_str(&web),
        "--report",
        path_str(&report),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "invalid values (not compared): 3 — crm date_of_birth 1, crm email 1, web email 1"
        ),
        "{}",
        stdout(&o)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        report["invalid_values"],
        serde_json::json!([
            {"source": "crm", "field": "date_of_birth", "count": 1},
            {"source": "crm", "field": "email", "count": 1},
            {"source": "web", "field": "email", "count": 1},
        ])
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 15 item 1, from the command line: a two-record file resolves.
#[test]
fn a_two_record_file_resolves() {
    assert_resolves(
        "two",
        "id,given_name,family_name,email\n1,Ana,Pop,ana@example.com\n2,ANA,Pop,Ana@example.com\n",
        2,
    );
}

/// Runs the example with its standard output a pipe whose reader is already gone
/// (`resolve ... | head -0`): every write to stdout fails with a broken pipe.
fn run_into_closed_pipe(args: &[&str]) -> Output {
    let mut child = Command::new(resolve_bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    drop(child.stdout.take());
    child.wait_with_output().expect("the example finishes")
}

/// `resolve | head -1`: a reader that stops reading ends the output quietly (exit 0,
/// nothing on stderr), and the files the run writes are still written whole. Before,
/// the first `println!` into the closed pipe panicked ("failed printing to stdout").
#[test]
fn closed_stdout_ends_output_quietly() {
    let dir = scratch("pipe");
    let f = dir.join("good.csv");
    std::fs::write(&f, GOOD).unwrap();
    let profiles = dir.join("profiles.csv");
    let report = dir.join("report.json");
    let runs: [&[&str]; 5] = [
        // Summary, profiles with golden records and an explanation.
        &[
            path_str(&f),
            "--profiles",
            path_str(&profiles),
            "--report",
            path_str(&report),
        ],
        // Summary lines only (generated data: the accuracy lines).
        &["--records", "300", "--quiet"],
        &["--records", "50", "--print-config"],
        &["--help"],
        &["-h"],
    ];
    for args in runs {
        let o = run_into_closed_pipe(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} wrote to stderr: {err}");
    }
    let (partition, _) = read_profiles(&profiles);
    assert_eq!(partition.iter().flatten().count(), 3);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["records"], 3);
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 15's adversarial batch, the inputs that failed it: each failure names the
/// file (or key) at fault, and what should resolve does.
#[test]
fn hostile_inputs_fail_clearly_or_resolve() {
    let dir = scratch("hostile");
    let file = |name: &str, text: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // A header row only: the message named no file.
    let header = file("header.csv", b"id,given_name\n");
    assert_clean_failure(&run(&[path_str(&header)]), &["header.csv", "no record"]);
    // More columns than a schema holds, or none worth comparing: named the file.
    let columns: Vec<String> = (0..100).map(|i| format!("c{i}")).collect();
    let wide = file(
        "wide.csv",
        format!("id,{}\n1,{}\n", columns.join(","), vec!["x"; 100].join(",")).as_bytes(),
    );
    assert_clean_failure(
        &run(&[path_str(&wide)]),
        &["wide.csv", "64 fields", "--config"],
    );
    let only_id = file("onlyid.csv", b"id\n1\n2\n");
    assert_clean_failure(&run(&[path_str(&only_id)]), &["onlyid.csv"]);
    // `--records` beyond what fits in memory ran on for minutes.
    let o = run(&["--records", "18446744073709551615"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--records needs a whole number from 1 to"));
    // A config saved with a byte order mark, a stray key in a level, a name used by
    // two comparisons, a veto quorum no pair can reach.
    let good = file("good.csv", GOOD.as_bytes());
    let o = run(&[path_str(&good), "--print-config"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let config = stdout(&o);
    let bom = file("bom.json", format!("\u{feff}{config}").as_bytes());
    let o = run(&[path_str(&good), "--quiet", "--config", path_str(&bom)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut value: serde_json::Value = serde_json::from_str(&config).unwrap();
    value["comparisons"][0]["levels"][0]["treshold"] = 0.8.into();
    let stray = file("stray.json", value.to_string().as_bytes());
    assert_clean_failure(
        &run(&[path_str(&good), "--config", path_str(&stray)]),
        &["stray.json", "unknown field `treshold`"],
    );
    let mut value: serde_json::Value = serde_json::from_str(&config).unwrap();
    let first = value["comparisons"][0].clone();
    value["comparisons"].as_array_mut().unwrap().push(first);
    let twice = file("twice.json", value.to_string().as_bytes());
    assert_clean_failure(
        &run(&[path_str(&good), "--config", path_str(&twice)]),
        &["comparisons", "used twice"],
    );
    let mut value: serde_json::Value = serde_json::from_str(&config).unwrap();
    value["veto_quorum"] = 1_000_000_000u64.into();
    let quorum = file("quorum.json", value.to_string().as_bytes());
    assert_clean_failure(
        &run(&[path_str(&good), "--config", path_str(&quorum)]),
        &["veto_quorum"],
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A one-record file failed ("training needs at least two records"); it is its own
/// profile, with a warning that nothing was trained.
#[test]
fn a_one_record_file_resolves() {
    assert_resolves("one", "id,given_name,family_name\n1,Ana,Pop\n", 1);
    let dir = scratch("one-warning");
    let f = dir.join("one.csv");
    std::fs::write(&f, "id,given_name\n1,Ana").unwrap();
    let o = run(&[path_str(&f)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("one record, nothing to train on"),
        "{}",
        stdout(&o)
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A file with old Mac line endings (CR alone) was read as one line ("column ...
/// appears twice"); every row resolves now.
#[test]
fn cr_line_endings_resolve() {
    assert_resolves("cr", &GOOD.replace('\n', "\r"), 3);
}

/// The pairs CSV wrote ids as they were, so an id `=HYPERLINK(...)` ran as a formula
/// when the file was opened in a spreadsheet (the profiles CSV was guarded, this one
/// was not), and its rows ended in LF only. Both files are RFC 4180 and guarded now;
/// numbers (a negative match weight) stay numbers.
#[test]
fn pairs_csv_is_rfc4180_and_formula_safe() {
    let dir = scratch("pairs-formula");
    let f = dir.join("people.csv");
    std::fs::write(
        &f,
        "id,given_name,family_name,email,date_of_birth\n\
         \"=HYPERLINK(\"\"http://x\"\")\",Ana,Pop,ana.pop@example.com,1990-01-02\n\
         -7,Ana,Pop,ana.pop@example.com,1990-01-02\n\
         @crm,Ion,Pop,ana.pop@example.org,1971-05-06\n",
    )
    .unwrap();
    let pairs = dir.join("pairs.csv");
    let o = run(&[path_str(&f), "--quiet", "--pairs", path_str(&pairs)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&pairs).unwrap();
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'));
    let rows = parse_rfc4180(&text);
    let header = &rows[0];
    assert_eq!(
        header[..5],
        ["left_id", "right_id", "probability", "match_weight", "band"]
    );
    let mut ids = BTreeSet::new();
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len(), "{row:?}");
        ids.insert(row[0].clone());
        ids.insert(row[1].clone());
        for number in &row[2..4] {
            assert!(number.parse::<f64>().is_ok(), "{row:?}");
        }
    }
    let expected: BTreeSet<String> = ["'=HYPERLINK(\"http://x\")", "'-7", "'@crm"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(ids, expected, "{text}");
    assert!(
        rows[1..].iter().any(|r| r[3].starts_with('-')),
        "a negative weight, unguarded: {text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
