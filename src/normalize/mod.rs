//! Normalizers: pure functions from raw text to canonical text, one per field kind.
//!
//! Every function is pure, never panics, and is idempotent on its own output
//! (for email and phone: on its valid output). [`normalize_text`] is the base: the
//! other text normalizers start from it, so all of them fold case, diacritics and
//! scripts the same way.

mod address;
mod date;
mod email;
mod name;
mod nickname;
mod phone;
mod text;
mod variant;

pub use address::{
    normalize_address, normalize_city, normalize_country, normalize_identifier, normalize_postcode,
};
use address::{normalize_address_into, normalize_postcode_into};
use date::push_iso_date;
pub use date::{is_ambiguous_date, parse_birth_date, parse_date};
pub(crate) use date::{is_placeholder_birth_date, push_compact_date, written_date_parts};
use email::normalize_email_into;
pub use email::{normalize_email, EmailPolicy, MAX_EMAIL_LEN};
use name::normalize_name_into;
pub use name::{normalize_name, split_full_name};
pub use nickname::NicknameTable;
use phone::phone_value_into;
pub use phone::{country_calling_code, national_number, normalize_phone, MAX_PHONE_LEN};
use text::normalize_text_into;
pub use text::{normalize_text, without_float_tail};
pub use variant::name_variant_key;
pub(crate) use variant::name_variant_key_into;

use crate::record::FieldKind;

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
    /// Nothing left (blank input, punctuation only, or only a title such as "Mr").
    Empty,
    /// The input cannot be a value of this kind.
    Invalid(Invalid),
}

/// Options that change how values are normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
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

/// Normalizes `raw` as a value of `kind` under `options`.
///
/// Names keep their spelling (nicknames are not replaced: comparisons look them up in
/// [`NormalizeOptions::nicknames`]); a full name stays one string (see
/// [`split_full_name`]); dates come back as `yyyy-mm-dd`; strong and device
/// identifiers keep letters and digits only.
///
/// ```
/// use sameas::{FieldKind, NormalizeOptions};
/// use sameas::normalize::{normalize_value, Normalized};
/// let mut options = NormalizeOptions::default();
/// options.default_country = Some("RO".into());
/// assert_eq!(
///     normalize_value(FieldKind::Phone, "0721 234 567", &options),
///     Normalized::Valid("+40721234567".into())
/// );
/// assert_eq!(normalize_value(FieldKind::GivenName, " Mr. ", &options), Normalized::Empty);
/// assert!(matches!(
///     normalize_value(FieldKind::DateOfBirth, "31.02.1990", &options),
///     Normalized::Invalid(_)
/// ));
/// ```
pub fn normalize_value(kind: FieldKind, raw: &str, options: &NormalizeOptions) -> Normalized {
    let wrap = |s: String| {
        if s.is_empty() {
            Normalized::Empty
        } else {
            Normalized::Valid(s)
        }
    };
    // Blank input is missing, not invalid, whatever the kind.
    if raw.trim().is_empty() {
        return Normalized::Empty;
    }
    match kind {
        FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName => {
            wrap(normalize_name(raw))
        }
        FieldKind::Email => match normalize_email(raw, &options.email) {
            Ok(s) => wrap(s),
            Err(e) => Normalized::Invalid(e),
        },
        // Without a default country a national number cannot become E.164; its
        // national digits still compare by their last digits (and block on them).
        FieldKind::Phone => match normalize_phone(raw, options.default_country.as_deref()) {
            Ok(s) => wrap(s),
            Err(e) => match options.default_country {
                None => national_number(raw).map_or(Normalized::Invalid(e), Normalized::Valid),
                Some(_) => Normalized::Invalid(e),
            },
        },
        FieldKind::DateOfBirth => match parse_birth_date(raw, options.day_first) {
            Ok(d) => Normalized::Valid(d.to_string()),
            Err(e) => Normalized::Invalid(e),
        },
        FieldKind::StreetAddress => wrap(normalize_address(raw)),
        FieldKind::City => wrap(normalize_city(raw)),
        FieldKind::Postcode => wrap(normalize_postcode(raw)),
        FieldKind::Country => wrap(normalize_country(raw)),
        FieldKind::StrongId | FieldKind::DeviceId => wrap(normalize_identifier(raw)),
        FieldKind::FreeText | FieldKind::Category => wrap(normalize_text(raw)),
    }
}

/// [`normalize_value`] appended to `out`: whether the value is valid and not empty
/// (otherwise `out` is left as it was). Preparing a record normalizes all its values
/// into one buffer this way; every kind but countries is written straight into it.
pub(crate) fn normalize_value_into(
    kind: FieldKind,
    raw: &str,
    options: &NormalizeOptions,
    out: &mut String,
) -> bool {
    // Blank input is missing, not invalid, whatever the kind.
    if raw.trim().is_empty() {
        return false;
    }
    let start = out.len();
    match kind {
        FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName => {
            normalize_name_into(raw, out);
        }
        FieldKind::City | FieldKind::FreeText | FieldKind::Category => {
            normalize_text_into(raw, out);
        }
        FieldKind::Postcode | FieldKind::StrongId | FieldKind::DeviceId => {
            normalize_postcode_into(raw, out);
        }
        FieldKind::DateOfBirth => match parse_birth_date(raw, options.day_first) {
            Ok(d) => push_iso_date(out, d),
            Err(_) => return false,
        },
        FieldKind::Email => {
            if normalize_email_into(raw, &options.email, out).is_err() {
                return false;
            }
        }
        // Without a default country a national number cannot become E.164; its
        // national digits still compare by their last digits (and block on them).
        FieldKind::Phone => {
            if !phone_value_into(raw, options.default_country.as_deref(), out) {
                return false;
            }
        }
        FieldKind::StreetAddress => normalize_address_into(raw, out),
        FieldKind::Country => match normalize_value(kind, raw, options) {
            Normalized::Valid(s) => out.push_str(&s),
            Normalized::Empty | Normalized::Invalid(_) => return false,
        },
    }
    out.len() > start
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs of every shape the normalizers treat specially.
    const RAW: &[&str] = &[
        "",
        "   ",
        "Dr. Ion Popescu",
        "Budi Santoso, S.Kom., M.M.",
        "Mr.",
        "Bu",
        "PakSurmat",
        "Г-ђа Ђурђа Ђорђевић",
        "κα Σοφία",
        "  Jean-Luc,  PICARD!",
        "Straße ½",
        "SW1A 1AA",
        "CUST-00123",
        "Jo.Hn+news@GoogleMail.com",
        " <mailto:Jo.Hn+news@GoogleMail.com>. ",
        "a@b@c.com",
        "no-at-sign",
        "+tag@gmail.com",
        "ÉMILE@Example.COM",
        "x@numeric.123",
        "+40 721 234 567",
        "0040721234567",
        "0721 234 567",
        "(212) 555-0123 ext 7",
        "+44 (0) 20 7946 0958",
        "011 44 20 7946 0958",
        "Tel: 0812-3456-789",
        "12345",
        "call me",
        "03/04/1990",
        "31.02.1990",
        "3. mart 1990.",
        "1990-03-04",
        "Jl. Merdeka No. 12A",
        "12 St James St",
        "România",
    ];

    #[test]
    fn into_matches_the_string_normalizers() {
        let country = |c: &str| NormalizeOptions {
            default_country: Some(c.into()),
            ..NormalizeOptions::default()
        };
        let options = [
            NormalizeOptions::default(),
            country("RO"),
            country("US"),
            country(" "),
        ];
        for kind in FieldKind::ALL {
            for options in &options {
                for raw in RAW {
                    let mut out = String::from("kept|");
                    let valid = normalize_value_into(kind, raw, options, &mut out);
                    let expected = match normalize_value(kind, raw, options) {
                        Normalized::Valid(s) => Some(format!("kept|{s}")),
                        Normalized::Empty | Normalized::Invalid(_) => None,
                    };
                    let got = valid.then(|| out.clone());
                    assert_eq!(got, expected, "{kind:?} {raw:?}");
                    if !valid {
                        assert_eq!(out, "kept|", "{kind:?} {raw:?}");
                    }
                }
            }
        }
    }
}
