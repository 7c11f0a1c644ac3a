//! Body of the `config` fuzz target: edited configurations (the JSON a user, a
//! service or the Python bindings hand to the library) are refused with an error, or
//! give a graph that works — never a panic, an abort or a hang. Shared by
//! `fuzz/fuzz_targets/config.rs` and the bounded run in `tests/fuzz.rs`.
//!
//! The input is a list of edits (bit flips, bytes set, inserted, deleted or repeated,
//! truncation, a number replaced by an extreme one) of a valid configuration over a
//! schema with every field kind. Checked: a configuration that reads and validates
//! writes back to JSON that reads to the same configuration; a graph built from it
//! takes records of its schema, training, assertions, erasure, explanations and golden
//! records without a panic, and its snapshot restores to the same snapshot.

use sameas::{Config, FieldKind, GoldenRules, ProfileGraph, Record, Schema};

/// Reads the input a byte at a time; past the end it yields zeros.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl Bytes<'_> {
    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn position(&mut self, len: usize) -> usize {
        let x = (usize::from(self.byte()) << 8) | usize::from(self.byte());
        (x * len) >> 16
    }
}

const NUMBERS: [&str; 14] = [
    "0",
    "1",
    "-1",
    "2",
    "255",
    "256",
    "65536",
    "4294967295",
    "18446744073709551615",
    "1e308",
    "-1e308",
    "0.5",
    "1e-320",
    "100000",
];

/// Applies up to four edits read from `b` to `text`.
fn edit(mut text: Vec<u8>, b: &mut Bytes) -> Vec<u8> {
    for _ in 0..1 + b.byte() % 4 {
        if b.done() || text.is_empty() {
            break;
        }
        let kind = b.byte() % 8;
        let at = b.position(text.len());
        match kind {
            0 => text[at] ^= 1 << (b.byte() % 8),
            1 => text[at] = b.byte(),
            2 => text.truncate(at),
            3 => {
                let end = (at + 1 + usize::from(b.byte() % 16)).min(text.len());
                text.drain(at..end);
            }
            4 => {
                let n = 1 + b.byte() % 4;
                let bytes: Vec<u8> = (0..n).map(|_| b.byte()).collect();
                text.splice(at..at, bytes);
            }
            5 => {
                let end = (at + 1 + usize::from(b.byte() % 48)).min(text.len());
                let copy = text[at..end].to_vec();
                text.splice(end..end, copy);
            }
            _ => {
                let Some(start) = text[at..].iter().position(u8::is_ascii_digit) else {
                    continue;
                };
                let start = at + start;
                let len = text[start..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'-'))
                    .count();
                let number = NUMBERS[usize::from(b.byte()) % NUMBERS.len()];
                text.splice(start..start + len, number.bytes());
            }
        }
    }
    text
}

/// A valid configuration over every field kind, as JSON (a small nickname table, so
/// that edits fall on the rest).
fn base() -> &'static str {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let schema = Schema::from_fields([
            ("given_name", FieldKind::GivenName),
            ("family_name", FieldKind::FamilyName),
            ("full_name", FieldKind::FullName),
            ("email", FieldKind::Email),
            ("phone", FieldKind::Phone),
            ("date_of_birth", FieldKind::DateOfBirth),
            ("street", FieldKind::StreetAddress),
            ("city", FieldKind::City),
            ("postcode", FieldKind::Postcode),
            ("country", FieldKind::Country),
            ("loyalty_id", FieldKind::StrongId),
            ("device", FieldKind::DeviceId),
            ("national_id", FieldKind::FreeText),
            ("segment", FieldKind::Category),
        ])
        .expect("schema");
        let mut config = Config::infer(schema).expect("config");
        let mut nicknames = sameas::normalize::NicknameTable::default();
        nicknames.insert("ionut", "ion");
        nicknames.insert("bill", "william");
        config.normalize.nicknames = nicknames;
        config.normalize.default_country = Some("RO".into());
        serde_json::to_string(&config).expect("a config serializes")
    })
}

/// Values to try for a field of each kind.
fn values(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::GivenName => &["Ana", "ANA", "Ion", "Ionut", "Bill"],
        FieldKind::FamilyName => &["Pop", "Popescu", "Јовановић"],
        FieldKind::FullName => &["Ana Pop", "POP Ana", "Dr. Ion Popescu"],
        FieldKind::Email => &["ana@example.com", "Ana+x@example.com", "nope"],
        FieldKind::Phone => &["0721 234 567", "+40721234567", "((("],
        FieldKind::DateOfBirth => &["1980-02-03", "03.02.1980", "1980-13-40"],
        FieldKind::StreetAddress => &["Str. Lunga 1", "Strada Lunga nr. 1"],
        FieldKind::City => &["Cluj", "Cluj-Napoca"],
        FieldKind::Postcode => &["400001", "400 001"],
        FieldKind::Country => &["RO", "Romania", "the Netherlands"],
        FieldKind::StrongId => &["L1", "L2"],
        FieldKind::DeviceId => &["d-1", "d-2"],
        FieldKind::FreeText => &["1800203123456", "note"],
        FieldKind::Category => &["gold", "silver"],
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut b = Bytes { data, at: 0 };
    let text = edit(base().as_bytes().to_vec(), &mut b);
    let Ok(config) = serde_json::from_slice::<Config>(&text) else {
        return;
    };
    if config.validate().is_ok() {
        let again = serde_json::to_string(&config).expect("a valid config serializes");
        let back: Config = serde_json::from_str(&again).expect("and reads back");
        assert!(back == config, "a valid config does not read back the same");
    }
    let Ok(mut g) = ProfileGraph::new(config.clone()) else {
        return;
    };
    let schema = config.schema.clone();
    let records: Vec<Record> = (0..6)
        .filter_map(|i| {
            let mut r = Record::builder(&schema, format!("r{i}")).source(["a", "b"][i % 2]);
            for f in schema.fields() {
                let vs = values(f.kind);
                r = r.value(&f.name, vs[(i + f.name.len()) % vs.len()]);
            }
            r.build().ok()
        })
        .collect();
    if g.add_batch(records).is_err() {
        return;
    }
    let _ = g.train();
    let _ = g.assert_same("r0", "r2");
    let _ = g.assert_different("r1", "r3");
    for (p, _) in g.profiles() {
        let _ = g.golden(p, &GoldenRules::default());
        let _ = g.explain_profile(p);
        let _ = g.cohesion(p);
    }
    for row in g.pair_rows() {
        assert!(
            (0.0..=1.0).contains(&row.probability),
            "pair probability out of range"
        );
    }
    let _ = g.explain_pair("r0", "r1");
    let _ = g.erase("r0");
    let text = serde_json::to_string(&g.snapshot()).expect("a snapshot serializes");
    let restored = ProfileGraph::restore(serde_json::from_str(&text).expect("it reads back"))
        .expect("a snapshot of a working graph restores");
    assert!(
        serde_json::to_string(&restored.snapshot()).expect("serializes") == text,
        "a restored graph does not snapshot to itself"
    );
}
