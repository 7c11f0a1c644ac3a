//! Body of the `normalize` fuzz target: every normalizer on arbitrary bytes — no
//! panic, and idempotent on its own output. Shared by `fuzz/fuzz_targets/normalize.rs`
//! and the bounded run in `tests/fuzz.rs`.

use sameas::normalize::{
    is_ambiguous_date, name_variant_key, normalize_address, normalize_city, normalize_country,
    normalize_email, normalize_identifier, normalize_name, normalize_phone, normalize_postcode,
    normalize_text, normalize_value, parse_date, split_full_name, EmailPolicy, NicknameTable,
};
use sameas::{FieldKind, NormalizeOptions};

/// Runs one input.
pub fn run(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let s = s.as_ref();

    let idempotent: [fn(&str) -> String; 8] = [
        normalize_text,
        normalize_name,
        normalize_address,
        normalize_city,
        normalize_postcode,
        normalize_country,
        normalize_identifier,
        name_variant_key,
    ];
    for f in idempotent {
        let once = f(s);
        assert_eq!(f(&once), once, "not idempotent on {s:?}");
    }
    let parts = split_full_name(s);
    let _ = (parts.given, parts.family);

    let policy = EmailPolicy::default();
    if let Ok(e) = normalize_email(s, &policy) {
        assert_eq!(normalize_email(&e, &policy), Ok(e.clone()));
    }
    for country in [None, Some("RO"), Some("US"), Some("RU"), Some("HU")] {
        if let Ok(p) = normalize_phone(s, country) {
            assert_eq!(normalize_phone(&p, country), Ok(p.clone()));
        }
    }
    for day_first in [true, false] {
        if let Ok(d) = parse_date(s, day_first) {
            assert_eq!(parse_date(&d.to_string(), day_first), Ok(d));
        }
    }
    let _ = is_ambiguous_date(s);

    let options = NormalizeOptions::default();
    for kind in FieldKind::ALL {
        let _ = normalize_value(kind, s, &options);
    }
    let mut table = NicknameTable::default();
    table.insert(s, "x");
    let _ = table.canonical(&normalize_name(s));
}
