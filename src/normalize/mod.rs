//! Normalizers: pure functions from raw text to canonical text, one per field kind.
//!
//! API CONTRACT (stub; the normalize work fills this in, keeping these signatures):
//! every function is pure, never panics, and is idempotent on its own output.

use crate::record::{Date, FieldKind};

/// Why a value could not be normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Invalid {
    /// Human-readable reason, e.g. `"no @ in email"`.
    pub reason: String,
}

impl Invalid {
    /// An invalid value with `reason`.
    pub fn new(reason: impl Into<String>) -> Self {
        Invalid {
            reason: reason.into(),
        }
    }
}

/// The result of normalizing one raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Normalized {
    /// The canonical form.
    Valid(String),
    /// Nothing left (blank input, or only a title such as "Mr").
    Empty,
    /// The input cannot be a value of this kind.
    Invalid(Invalid),
}

/// Email rules per provider that decide which spellings are the same mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EmailPolicy {
    /// Domains where dots in the local part are ignored (gmail.com, googlemail.com).
    pub ignore_dots: Vec<String>,
    /// Domains where `+tag` suffixes are dropped.
    pub strip_plus_tags: Vec<String>,
    /// Domain aliases mapped to one canonical domain (googlemail.com → gmail.com).
    pub domain_aliases: Vec<(String, String)>,
}

impl Default for EmailPolicy {
    fn default() -> Self {
        EmailPolicy {
            ignore_dots: vec!["gmail.com".into()],
            strip_plus_tags: vec!["gmail.com".into()],
            domain_aliases: vec![("googlemail.com".into(), "gmail.com".into())],
        }
    }
}

/// Nickname → canonical given name table; users can extend it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NicknameTable {
    entries: Vec<(String, String)>,
}

impl NicknameTable {
    /// The built-in multilingual table.
    pub fn builtin() -> Self {
        NicknameTable::default()
    }
    /// Adds `nickname → canonical` (both normalized with [`normalize_name`]).
    pub fn insert(&mut self, nickname: &str, canonical: &str) {
        self.entries
            .push((normalize_name(nickname), normalize_name(canonical)));
    }
    /// The canonical name for a normalized `name`, or `None` if it is not a nickname.
    pub fn canonical(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
    }
}

/// Options that change how values are normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NormalizeOptions {
    /// ISO 3166 alpha-2 country for national phone numbers (e.g. `"RO"`).
    pub default_country: Option<String>,
    /// Read ambiguous numeric dates as day first (`03/04/1990` = 3 April).
    pub day_first: bool,
    /// Email provider rules.
    pub email: EmailPolicy,
    /// Nickname table.
    pub nicknames: NicknameTable,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            default_country: None,
            day_first: true,
            email: EmailPolicy::default(),
            nicknames: NicknameTable::builtin(),
        }
    }
}

/// Given and family parts of a split full name (normalized; either may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameParts {
    /// Given name(s).
    pub given: String,
    /// Family name(s); empty for a mononym.
    pub family: String,
}

/// Generic text: NFKC, case folding, diacritics stripped, Cyrillic/Greek transliterated,
/// punctuation to spaces, whitespace collapsed.
pub fn normalize_text(raw: &str) -> String {
    raw.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name: [`normalize_text`] plus honorifics and titles removed.
pub fn normalize_name(raw: &str) -> String {
    normalize_text(raw)
}

/// Splits a full name into given and family parts (normalized, titles removed).
pub fn split_full_name(raw: &str) -> NameParts {
    let n = normalize_name(raw);
    match n.rsplit_once(' ') {
        Some((g, f)) => NameParts {
            given: g.into(),
            family: f.into(),
        },
        None => NameParts {
            given: n,
            family: String::new(),
        },
    }
}

/// An email address in canonical form under `policy`.
pub fn normalize_email(raw: &str, _policy: &EmailPolicy) -> Result<String, Invalid> {
    let s = raw.trim().to_lowercase();
    if s.contains('@') {
        Ok(s)
    } else {
        Err(Invalid::new("no @ in email"))
    }
}

/// A phone number in E.164 (`+40721234567`), national numbers read with `default_country`.
pub fn normalize_phone(raw: &str, _default_country: Option<&str>) -> Result<String, Invalid> {
    let d: String = raw.chars().filter(char::is_ascii_digit).collect();
    if d.len() >= 6 {
        Ok(format!("+{d}"))
    } else {
        Err(Invalid::new("too few digits"))
    }
}

/// Parses a date in ISO, numeric day- or month-first, `dd.mm.yyyy`, `yyyymmdd` or with month names.
pub fn parse_date(raw: &str, _day_first: bool) -> Result<Date, Invalid> {
    let d: String = raw.chars().filter(char::is_ascii_digit).collect();
    if d.len() == 8 {
        let y = d[0..4].parse().unwrap_or(0);
        let m = d[4..6].parse().unwrap_or(0);
        let dd = d[6..8].parse().unwrap_or(0);
        Date::new(y, m, dd).ok_or_else(|| Invalid::new("impossible date"))
    } else {
        Err(Invalid::new("unrecognised date"))
    }
}

/// A street address with street-type abbreviations expanded and house numbers kept.
pub fn normalize_address(raw: &str) -> String {
    normalize_text(raw)
}

/// A postcode: letters and digits only, upper-cased spaces removed.
pub fn normalize_postcode(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Normalizes `raw` as a value of `kind` under `options`.
pub fn normalize_value(kind: FieldKind, raw: &str, options: &NormalizeOptions) -> Normalized {
    let wrap = |s: String| {
        if s.is_empty() {
            Normalized::Empty
        } else {
            Normalized::Valid(s)
        }
    };
    match kind {
        FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName => {
            wrap(normalize_name(raw))
        }
        FieldKind::Email => match normalize_email(raw, &options.email) {
            Ok(s) => wrap(s),
            Err(e) => Normalized::Invalid(e),
        },
        FieldKind::Phone => match normalize_phone(raw, options.default_country.as_deref()) {
            Ok(s) => wrap(s),
            Err(e) => Normalized::Invalid(e),
        },
        FieldKind::DateOfBirth => match parse_date(raw, options.day_first) {
            Ok(d) => Normalized::Valid(d.to_string()),
            Err(e) => Normalized::Invalid(e),
        },
        FieldKind::StreetAddress => wrap(normalize_address(raw)),
        FieldKind::Postcode => wrap(normalize_postcode(raw)),
        _ => wrap(normalize_text(raw)),
    }
}
