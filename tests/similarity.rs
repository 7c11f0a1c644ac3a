//! Similarity functions: known values, agreement with strsim, invariants.

use proptest::prelude::*;
use sameas::record::Date;
use sameas::similarity::{
    absolute_difference, damerau_osa, damerau_osa_within, days_between, double_metaphone,
    jaccard_sorted, jaro, jaro_winkler, levenshtein, levenshtein_within, nysiis,
    relative_difference, soundex, MAX_CHARS,
};

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn string(c: &[char]) -> String {
    c.iter().collect()
}

fn capped(c: &[char]) -> String {
    c.iter().take(MAX_CHARS).collect()
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-12,
        "{what}: {actual} != {expected}"
    );
}

// ---------- known values ----------

#[test]
fn jaro_known_values() {
    let cases = [
        (
            "MARTHA",
            "MARHTA",
            0.944_444_444_444_444_4,
            0.961_111_111_111_111_1,
        ),
        ("DWAYNE", "DUANE", 0.822_222_222_222_222_2, 0.84),
        (
            "DIXON",
            "DICKSONX",
            0.766_666_666_666_666_7,
            0.813_333_333_333_333_3,
        ),
        ("", "", 1.0, 1.0),
        ("abc", "", 0.0, 0.0),
        ("abc", "xyz", 0.0, 0.0),
        ("same", "same", 1.0, 1.0),
    ];
    for (a, b, j, jw) in cases {
        assert_close(jaro(&chars(a), &chars(b)), j, &format!("jaro({a},{b})"));
        assert_close(
            jaro_winkler(&chars(a), &chars(b)),
            jw,
            &format!("jw({a},{b})"),
        );
    }
}

#[test]
fn edit_distance_known_values() {
    let cases = [
        ("kitten", "sitting", 3, 3),
        ("flaw", "lawn", 2, 2),
        ("martha", "marhta", 2, 1),
        ("ca", "abc", 3, 3), // OSA cannot edit the swapped pair again (true Damerau: 2)
        ("", "abc", 3, 3),
        ("abc", "", 3, 3),
        ("", "", 0, 0),
        ("jonathan", "johnathan", 1, 1),
    ];
    for (a, b, lev, osa) in cases {
        let (a, b) = (chars(a), chars(b));
        assert_eq!(levenshtein(&a, &b), lev, "lev {a:?} {b:?}");
        assert_eq!(damerau_osa(&a, &b), osa, "osa {a:?} {b:?}");
    }
    let (k, s) = (chars("kitten"), chars("sitting"));
    assert_eq!(levenshtein_within(&k, &s, 3), Some(3));
    assert_eq!(levenshtein_within(&k, &s, 2), None);
    assert_eq!(damerau_osa_within(&k, &s, 2), None);
    assert_eq!(levenshtein_within(&k, &chars("k"), 4), None);
}

#[test]
fn token_set_known_values() {
    assert_eq!(jaccard_sorted(&[1, 2, 3], &[2, 3, 4]), 0.5);
    assert_eq!(jaccard_sorted(&[], &[]), 1.0);
    assert_eq!(jaccard_sorted(&[1], &[]), 0.0);
    assert_eq!(jaccard_sorted(&[1, 5, 9], &[0, 2, 10]), 0.0);
    assert_eq!(jaccard_sorted(&[u64::MAX], &[u64::MAX]), 1.0);
}

#[test]
fn soundex_known_values() {
    let cases = [
        ("Robert", "R163"),
        ("rupert", "R163"),
        ("Rubin", "R150"),
        ("Ashcraft", "A261"),
        ("Ashcroft", "A261"),
        ("Tymczak", "T522"),
        ("Pfister", "P236"),
        ("Honeyman", "H555"),
        ("Lee", "L000"),
        ("o'brien", "O165"),
        ("", ""),
        ("123 !", ""),
    ];
    for (name, code) in cases {
        assert_eq!(soundex(name), code, "soundex({name})");
    }
}

#[test]
fn double_metaphone_known_values() {
    let cases = [
        ("Smith", "SM0", "XMT"),
        ("Schmidt", "XMT", "SMT"),
        ("Thomas", "TMS", "TMS"),
        ("Jovanovic", "JFNF", "AFNF"),
        ("Xavier", "SF", "SFR"),
        ("Michael", "MKL", "MXL"),
        ("Arnow", "ARN", "ARNF"),
        ("Cabrillo", "KPRL", "KPR"),
        ("Gallegos", "KLKS", "KKS"),
        ("Caesar", "SSR", "SSR"),
        ("Chianti", "KNT", "KNT"),
        ("Filipowicz", "FLPT", "FLPF"),
        ("Knight", "NT", "NT"),
        ("Dumb", "TM", "TM"),
        ("Edge", "AJ", "AJ"),
        ("Hugh", "H", "H"),
        ("Tough", "TF", "TF"),
        ("Czerny", "SRN", "XRN"),
        ("Focaccia", "FKX", "FKX"),
        ("Bacchus", "PKS", "PKS"),
        ("Accident", "AKST", "AKST"),
        ("McHugh", "MK", "MK"),
        ("Zhao", "J", "J"),
        ("Jose", "HS", "HS"),
        ("Breaux", "PR", "PR"),
        ("Wasserman", "ASRM", "FSRM"),
        ("Womo", "AM", "FM"),
        ("Jankelowicz", "JNKL", "ANKL"),
        ("Schneider", "XNTR", "SNTR"),
        ("Snider", "SNTR", "XNTR"),
        ("", "", ""),
        ("  ", "", ""),
    ];
    for (name, primary, alternate) in cases {
        assert_eq!(
            double_metaphone(name),
            (primary.to_string(), alternate.to_string()),
            "double_metaphone({name})"
        );
    }
    // Case does not matter.
    assert_eq!(double_metaphone("smith"), double_metaphone("SMITH"));
}

#[test]
fn nysiis_known_values() {
    let cases = [
        ("Smith", "SNAT"),
        ("Knight", "NAGT"),
        ("Mitchell", "MATCAL"),
        ("Worthy", "WARTY"),
        ("Davis", "DAV"),
        ("Ogata", "OGAT"),
        ("Larson", "LARSAN"),
        ("Carlsen", "CARLSA"),
        ("Macintosh", "MCANT"),
        ("", ""),
    ];
    for (name, code) in cases {
        assert_eq!(nysiis(name), code, "nysiis({name})");
    }
}

#[test]
fn numeric_known_values() {
    assert_eq!(absolute_difference(3.5, 1.0), 2.5);
    assert_eq!(absolute_difference(1.0, 3.5), 2.5);
    assert_eq!(absolute_difference(f64::NAN, 1.0), f64::INFINITY);
    assert_eq!(absolute_difference(f64::INFINITY, f64::INFINITY), 0.0);
    assert_eq!(
        absolute_difference(f64::INFINITY, f64::NEG_INFINITY),
        f64::INFINITY
    );
    assert_eq!(relative_difference(90.0, 100.0), 0.1);
    assert_eq!(relative_difference(0.0, 0.0), 0.0);
    assert_eq!(relative_difference(0.0, 5.0), 1.0);
    assert_eq!(relative_difference(-1.0, 1.0), 2.0);
    assert_eq!(relative_difference(f64::MAX, -f64::MAX), 2.0);
    assert_eq!(relative_difference(f64::NAN, f64::NAN), 1.0);
    assert_eq!(relative_difference(f64::INFINITY, 1.0), 1.0);
}

#[test]
fn days_between_known_values() {
    let d = |y, m, dd| Date::new(y, m, dd).expect("valid date");
    assert_eq!(days_between(d(2024, 2, 28), d(2024, 3, 1)), 2);
    assert_eq!(days_between(d(2023, 2, 28), d(2023, 3, 1)), 1);
    assert_eq!(days_between(d(1990, 5, 17), d(1990, 5, 17)), 0);
    assert_eq!(days_between(d(1, 1, 1), d(9999, 12, 31)), 3_652_058);
}

// ---------- agreement with strsim, exhaustively on a tiny alphabet ----------

/// Every string of length ≤ `max_len` over `alphabet`.
fn all_strings(alphabet: &[char], max_len: usize) -> Vec<Vec<char>> {
    let mut out = vec![Vec::new()];
    let mut frontier = vec![Vec::new()];
    for _ in 0..max_len {
        let mut next = Vec::new();
        for s in &frontier {
            for &c in alphabet {
                let mut t: Vec<char> = s.clone();
                t.push(c);
                next.push(t);
            }
        }
        out.extend(next.iter().cloned());
        frontier = next;
    }
    out
}

#[test]
fn edit_distances_match_strsim_exhaustively() {
    let strings = all_strings(&['a', 'b', 'c'], 5);
    for a in &strings {
        let sa = string(a);
        for b in &strings {
            let sb = string(b);
            let lev = strsim::levenshtein(&sa, &sb);
            let osa = strsim::osa_distance(&sa, &sb);
            assert_eq!(levenshtein(a, b), lev, "lev {sa} {sb}");
            assert_eq!(damerau_osa(a, b), osa, "osa {sa} {sb}");
            for max in 0..=5 {
                assert_eq!(
                    levenshtein_within(a, b, max),
                    (lev <= max).then_some(lev),
                    "lev_within {sa} {sb} {max}"
                );
                assert_eq!(
                    damerau_osa_within(a, b, max),
                    (osa <= max).then_some(osa),
                    "osa_within {sa} {sb} {max}"
                );
            }
        }
    }
}

#[test]
fn jaro_matches_strsim_exhaustively() {
    let strings = all_strings(&['a', 'b', 'c'], 5);
    for a in &strings {
        let sa = string(a);
        for b in &strings {
            let sb = string(b);
            assert_close(jaro(a, b), strsim::jaro(&sa, &sb), &format!("{sa} {sb}"));
            assert_close(
                jaro_winkler(a, b),
                strsim::jaro_winkler(&sa, &sb),
                &format!("{sa} {sb}"),
            );
        }
    }
}

// ---------- properties ----------

/// Short strings over a small alphabet (so that matches are frequent), with
/// some non-ASCII chars, occasionally longer than MAX_CHARS.
fn text() -> impl Strategy<Value = Vec<char>> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(vec!['a', 'b', 'c', 'd', 'é', 'ß']), 0..12),
        2 => prop::collection::vec(any::<char>(), 0..12),
        1 => prop::collection::vec(prop::sample::select(vec!['a', 'b', 'c']), 0..90),
    ]
}

fn token_set() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::btree_set(0u64..40, 0..12).prop_map(|s| s.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn similarities_are_symmetric_and_in_range(a in text(), b in text()) {
        for f in [jaro, jaro_winkler] {
            let s = f(&a, &b);
            prop_assert!((0.0..=1.0).contains(&s), "{s}");
            prop_assert_eq!(s.to_bits(), f(&b, &a).to_bits());
        }
        prop_assert_eq!(levenshtein(&a, &b), levenshtein(&b, &a));
        prop_assert_eq!(damerau_osa(&a, &b), damerau_osa(&b, &a));
    }

    #[test]
    fn identical_inputs_are_top(a in text(), t in token_set()) {
        prop_assert_eq!(jaro(&a, &a), 1.0);
        prop_assert_eq!(jaro_winkler(&a, &a), 1.0);
        prop_assert_eq!(levenshtein(&a, &a), 0);
        prop_assert_eq!(damerau_osa(&a, &a), 0);
        prop_assert_eq!(levenshtein_within(&a, &a, 0), Some(0));
        prop_assert_eq!(damerau_osa_within(&a, &a, 0), Some(0));
        prop_assert_eq!(jaccard_sorted(&t, &t), 1.0);
    }

    #[test]
    fn agrees_with_strsim(a in text(), b in text()) {
        let (sa, sb) = (capped(&a), capped(&b));
        prop_assert_eq!(levenshtein(&a, &b), strsim::levenshtein(&sa, &sb));
        prop_assert_eq!(damerau_osa(&a, &b), strsim::osa_distance(&sa, &sb));
        let (j, sj) = (jaro(&a, &b), strsim::jaro(&sa, &sb));
        prop_assert!((j - sj).abs() < 1e-12, "jaro {} vs {}", j, sj);
        let (jw, sjw) = (jaro_winkler(&a, &b), strsim::jaro_winkler(&sa, &sb));
        prop_assert!((jw - sjw).abs() < 1e-12, "jw {} vs {}", jw, sjw);
    }

    #[test]
    fn within_agrees_with_full(a in text(), b in text(), max in 0usize..80) {
        let lev = levenshtein(&a, &b);
        prop_assert_eq!(levenshtein_within(&a, &b, max), (lev <= max).then_some(lev));
        let osa = damerau_osa(&a, &b);
        prop_assert_eq!(damerau_osa_within(&a, &b, max), (osa <= max).then_some(osa));
    }

    #[test]
    fn long_inputs_behave_as_their_prefix(a in text(), b in text(), tail in text()) {
        let long_a: Vec<char> = a.iter().chain(std::iter::repeat(&'z').take(MAX_CHARS)).chain(&tail).copied().collect();
        let head: Vec<char> = long_a.iter().take(MAX_CHARS).copied().collect();
        prop_assert_eq!(jaro(&long_a, &b).to_bits(), jaro(&head, &b).to_bits());
        prop_assert_eq!(jaro_winkler(&long_a, &b).to_bits(), jaro_winkler(&head, &b).to_bits());
        prop_assert_eq!(levenshtein(&long_a, &b), levenshtein(&head, &b));
        prop_assert_eq!(damerau_osa(&b, &long_a), damerau_osa(&b, &head));
        prop_assert_eq!(levenshtein_within(&long_a, &b, 10), levenshtein_within(&head, &b, 10));
        prop_assert_eq!(damerau_osa_within(&long_a, &b, 10), damerau_osa_within(&head, &b, 10));
        prop_assert!(levenshtein(&long_a, &long_a) == 0);
    }

    #[test]
    fn token_sets_symmetric_in_range_and_match_naive(a in token_set(), b in token_set()) {
        let common = a.iter().filter(|x| b.contains(x)).count();
        let union = a.len() + b.len() - common;
        let naive = if union == 0 { 1.0 } else { common as f64 / union as f64 };
        let j = jaccard_sorted(&a, &b);
        prop_assert_eq!(j, naive);
        prop_assert_eq!(j, jaccard_sorted(&b, &a));
    }

    #[test]
    fn phonetic_codes_are_well_formed(s in "\\PC{0,20}") {
        let code = soundex(&s);
        prop_assert!(code.is_empty() || (code.len() == 4 && code.as_bytes()[0].is_ascii_uppercase()
            && code.bytes().skip(1).all(|b| b.is_ascii_digit())), "{}", code);
        prop_assert_eq!(code.is_empty(), !s.bytes().any(|b| b.is_ascii_alphabetic()));
        let (p, a) = double_metaphone(&s);
        prop_assert!(p.len() <= 4 && a.len() <= 4);
        prop_assert!(p.bytes().chain(a.bytes()).all(|b| b.is_ascii_uppercase() || b == b'0'));
        prop_assert_eq!(double_metaphone(&s.to_ascii_lowercase()), double_metaphone(&s.to_ascii_uppercase()));
        let n = nysiis(&s);
        prop_assert!(n.len() <= 6 && n.bytes().all(|b| b.is_ascii_uppercase()));
    }

    #[test]
    fn numeric_differences_are_symmetric(a in any::<f64>(), b in any::<f64>()) {
        let abs = absolute_difference(a, b);
        prop_assert!(abs >= 0.0 && !abs.is_nan());
        prop_assert_eq!(abs.to_bits(), absolute_difference(b, a).to_bits());
        let rel = relative_difference(a, b);
        prop_assert!((0.0..=2.0).contains(&rel), "{}", rel);
        prop_assert_eq!(rel.to_bits(), relative_difference(b, a).to_bits());
    }
}
