//! Phone numbers to E.164.

use super::Invalid;

/// Calling-code facts for one country: ISO alpha-2, calling code, national trunk
/// prefix ("" when there is none) and the range of national significant number
/// lengths accepted.
struct Country {
    alpha2: &'static str,
    code: &'static str,
    trunk: &'static str,
    nsn: (usize, usize),
}

const fn c(
    alpha2: &'static str,
    code: &'static str,
    trunk: &'static str,
    min: usize,
    max: usize,
) -> Country {
    Country {
        alpha2,
        code,
        trunk,
        nsn: (min, max),
    }
}

/// A small built-in table: Europe, the Balkans, South-East Asia and a few big markets.
/// The NSN ranges are deliberately loose (they reject garbage, not rare numbers).
const COUNTRIES: &[Country] = &[
    c("US", "1", "", 10, 10),
    c("CA", "1", "", 10, 10),
    c("RU", "7", "8", 10, 10),
    c("EG", "20", "0", 8, 10),
    c("ZA", "27", "0", 9, 9),
    c("GR", "30", "", 10, 10),
    c("NL", "31", "0", 9, 9),
    c("BE", "32", "0", 8, 9),
    c("FR", "33", "0", 9, 9),
    c("ES", "34", "", 9, 9),
    c("HU", "36", "06", 8, 9),
    c("IT", "39", "", 6, 11),
    c("RO", "40", "0", 9, 9),
    c("CH", "41", "0", 9, 9),
    c("AT", "43", "0", 4, 13),
    c("GB", "44", "0", 9, 10),
    c("DK", "45", "", 8, 8),
    c("SE", "46", "0", 7, 9),
    c("NO", "47", "", 8, 8),
    c("PL", "48", "", 9, 9),
    c("DE", "49", "0", 6, 13),
    c("MX", "52", "", 10, 10),
    c("AR", "54", "0", 10, 11),
    c("BR", "55", "0", 10, 11),
    c("MY", "60", "0", 8, 10),
    c("AU", "61", "0", 9, 9),
    c("ID", "62", "0", 8, 12),
    c("PH", "63", "0", 8, 10),
    c("NZ", "64", "0", 8, 10),
    c("SG", "65", "", 8, 8),
    c("TH", "66", "0", 8, 9),
    c("JP", "81", "0", 9, 10),
    c("KR", "82", "0", 8, 10),
    c("VN", "84", "0", 9, 10),
    c("CN", "86", "0", 7, 11),
    c("TR", "90", "0", 10, 10),
    c("IN", "91", "0", 10, 10),
    c("PT", "351", "", 9, 9),
    c("LU", "352", "", 4, 11),
    c("IE", "353", "0", 7, 9),
    c("FI", "358", "0", 5, 12),
    c("BG", "359", "0", 8, 9),
    c("LT", "370", "8", 8, 8),
    c("LV", "371", "", 8, 8),
    c("EE", "372", "", 7, 8),
    c("MD", "373", "0", 8, 8),
    c("UA", "380", "0", 9, 9),
    c("RS", "381", "0", 7, 10),
    c("ME", "382", "0", 8, 8),
    c("HR", "385", "0", 8, 9),
    c("SI", "386", "0", 8, 8),
    c("BA", "387", "0", 8, 8),
    c("MK", "389", "0", 8, 8),
    c("CZ", "420", "", 9, 9),
    c("SK", "421", "0", 9, 9),
    c("AE", "971", "0", 8, 9),
    c("IL", "972", "0", 8, 9),
];

/// Longest raw phone value read, in bytes (after trimming). Longer input is
/// [`Invalid`] at once, so normalizing a phone costs at most a fixed amount whatever
/// the size of the cell (a real number with a label and an extension is under 60).
pub const MAX_PHONE_LEN: usize = 256;

/// Shortest and longest international number accepted, in digits without the `+`.
const E164_MIN: usize = 7;
const E164_MAX: usize = 15;

/// The calling code of a country given as ISO 3166 alpha-2 (any case), e.g. `"RO"` → `"40"`.
///
/// Covers the built-in table used by [`normalize_phone`] (about 55 countries).
pub fn country_calling_code(alpha2: &str) -> Option<&'static str> {
    find_country(alpha2).map(|c| c.code)
}

fn find_country(alpha2: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| c.alpha2.eq_ignore_ascii_case(alpha2.trim()))
}

/// The country entry whose calling code starts `digits` (calling codes are
/// prefix-free, so at most one code matches; NANP and +7 share one entry each).
fn country_by_code(digits: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| digits.starts_with(c.code))
}

/// A phone number in E.164 (`+40721234567`), national numbers read with `default_country`.
///
/// Accepts spaces, dashes, dots, slashes and parentheses; `+` or `00` as international
/// prefix (`011` too when the default country is in North America); a national trunk
/// prefix (`0` in most of Europe and Asia, `8` in Russia, `06` in Hungary) removed
/// with the default country's calling code added; `(0)` after a country code dropped;
/// extensions (`ext 12`, `x12`, `#12`) dropped; a float's `.0` dropped
/// ([`super::without_float_tail`]). A national number without a default
/// country, an unknown default country, letters, numbers too short or too long for
/// their country, and input longer than [`MAX_PHONE_LEN`] bytes give [`Invalid`]. The
/// cost is linear in the input and bounded by the cap.
///
/// ```
/// use sameas::normalize::normalize_phone;
/// for raw in ["+40 721 234 567", "0040721234567", "0721 234 567"] {
///     assert_eq!(normalize_phone(raw, Some("RO")).unwrap(), "+40721234567");
/// }
/// assert_eq!(normalize_phone("(212) 555-0123 ext 7", Some("US")).unwrap(), "+12125550123");
/// assert!(normalize_phone("0721 234 567", None).is_err());
/// // A number a data frame wrote as a float.
/// assert_eq!(normalize_phone("40721234567.0", Some("RO")).unwrap(), "+40721234567");
/// ```
pub fn normalize_phone(raw: &str, default_country: Option<&str>) -> Result<String, Invalid> {
    let (plus, digits) = extract_digits(raw)?;
    let mut out = String::with_capacity(E164_MAX + 1);
    e164_into(plus, digits.as_str(), default_country, &mut out)?;
    Ok(out)
}

/// The phone as a field value: E.164 ([`normalize_phone`]) or, when no default
/// country is known, the national digits of a national number ([`national_number`]),
/// appended to `out`; whether it is valid. The digits are read once and a valid
/// number allocates nothing.
pub(crate) fn phone_value_into(raw: &str, default_country: Option<&str>, out: &mut String) -> bool {
    let Ok((plus, digits)) = extract_digits(raw) else {
        return false;
    };
    let digits = digits.as_str();
    let start = out.len();
    if default_country.is_none() && !plus && !digits.starts_with("00") {
        return push_national(digits, out);
    }
    if e164_into(plus, digits, default_country, out).is_ok() {
        return true;
    }
    out.truncate(start);
    false
}

/// [`normalize_phone`] of the `digits` extracted from it, appended to `out`.
fn e164_into(
    plus: bool,
    digits: &str,
    default_country: Option<&str>,
    out: &mut String,
) -> Result<(), Invalid> {
    if digits.is_empty() {
        return Err(Invalid::new("no digits in phone number"));
    }
    let country = match default_country.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(
            find_country(code)
                .ok_or_else(|| Invalid::new(format!("unknown default country {code:?}")))?,
        ),
        None => None,
    };
    if plus {
        return international(digits, out);
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return international(rest, out);
    }
    if let Some(rest) = digits.strip_prefix("011") {
        if country.is_some_and(|c| c.code == "1") {
            return international(rest, out);
        }
    }
    let Some(country) = country else {
        return Err(Invalid::new(
            "national number without country code and no default country",
        ));
    };
    national(digits, country, out)
}

/// Most digits [`extract_digits`] keeps before it refuses a number.
const MAX_DIGITS: usize = E164_MAX + 7;

/// The digits of a phone number, held inline.
struct Digits {
    buf: [u8; MAX_DIGITS],
    len: usize,
}

impl Digits {
    fn new() -> Self {
        Digits {
            buf: [0; MAX_DIGITS],
            len: 0,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends an ASCII digit (ignored once full, which [`extract_digits`] never
    /// lets happen).
    fn push(&mut self, d: char) {
        if let (Some(slot), Ok(b)) = (self.buf.get_mut(self.len), u8::try_from(d)) {
            *slot = b;
            self.len += 1;
        }
    }

    fn as_str(&self) -> &str {
        let digits = self.buf.get(..self.len).unwrap_or_default();
        std::str::from_utf8(digits).unwrap_or_default()
    }
}

/// The `+` flag and the digits of `raw`, with extensions and `(0)` removed.
fn extract_digits(raw: &str) -> Result<(bool, Digits), Invalid> {
    let s = super::without_float_tail(raw).trim();
    if s.len() > MAX_PHONE_LEN {
        return Err(Invalid::new(format!(
            "phone number longer than {MAX_PHONE_LEN} bytes ({} bytes)",
            s.len()
        )));
    }
    let s = match s.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("tel:") => s.get(4..).unwrap_or(""),
        _ => s,
    };
    let mut digits = Digits::new();
    let mut plus = false;
    let mut chars = s.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if let Some(d) = ascii_digit(ch) {
            if digits.len() > E164_MAX + 6 {
                return Err(Invalid::new("too many digits for a phone number"));
            }
            digits.push(d);
            continue;
        }
        match ch {
            '+' | '＋' if digits.is_empty() && !plus => plus = true,
            ' ' | '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\t' | '-' | '‐' | '‑' | '–' | '—'
            | '.' | '/' | ')' => {}
            '(' => {
                // "(0)" after a country code: a trunk prefix written for locals.
                if !digits.is_empty() {
                    if let Some(len) = paren_zero_len(s.get(i + 1..).unwrap_or("")) {
                        while chars.peek().is_some_and(|&(j, _)| j <= i + len) {
                            chars.next();
                        }
                    }
                }
            }
            '#' | ',' | ';' => break,
            _ if ch.is_alphabetic() => {
                let rest = s.get(i..).unwrap_or("");
                let word_len = rest
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(rest.len());
                let word = rest.get(..word_len).unwrap_or("").to_lowercase();
                if digits.is_empty() && !plus && is_label(&word) {
                    // "Tel: …", "HP 0812…": skip the label.
                    while chars.peek().is_some_and(|&(j, _)| j < i + word_len) {
                        chars.next();
                    }
                    continue;
                }
                if !digits.is_empty() && is_extension(&word) {
                    break;
                }
                return Err(Invalid::new("letters in phone number"));
            }
            ':' => {}
            _ => {
                return Err(Invalid::new(format!(
                    "unexpected character {ch:?} in phone number"
                )))
            }
        }
    }
    Ok((plus, digits))
}

/// Most characters looked at after a `(` to recognise `(0)`.
const PAREN_LOOKAHEAD: usize = 8;

/// When `rest` (the text after a `(`) starts with `0)`, spaces allowed around the
/// zero, the byte length up to and including the `)`. Looks at no more than
/// [`PAREN_LOOKAHEAD`] characters, so a cell of many `(` stays linear.
fn paren_zero_len(rest: &str) -> Option<usize> {
    let mut zero = false;
    for (j, c) in rest.char_indices().take(PAREN_LOOKAHEAD) {
        match c {
            ')' if zero => return Some(j + 1),
            '0' if !zero => zero = true,
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    None
}

fn is_label(word: &str) -> bool {
    matches!(
        word,
        "tel"
            | "telp"
            | "tlp"
            | "phone"
            | "ph"
            | "mob"
            | "mobile"
            | "cell"
            | "hp"
            | "wa"
            | "tlf"
            | "telefon"
            | "mobil"
            | "gsm"
            | "t"
            | "m"
    )
}

fn is_extension(word: &str) -> bool {
    word.starts_with("ext")
        || word.starts_with('x')
        || matches!(word, "int" | "interior" | "lokal" | "доб" | "вн")
}

/// ASCII digit for ASCII, full-width and Arabic-Indic digits.
fn ascii_digit(ch: char) -> Option<char> {
    let zero = match ch {
        '0'..='9' => '0',
        '０'..='９' => '０',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        _ => return None,
    };
    char::from_digit(ch as u32 - zero as u32, 10)
}

/// `digits` after an international prefix: country code and national number.
fn international(digits: &str, out: &mut String) -> Result<(), Invalid> {
    match country_by_code(digits) {
        Some(country) => {
            let nsn = digits.get(country.code.len()..).unwrap_or("");
            finish(country, nsn, out)
        }
        None => {
            if digits.starts_with('0') {
                return Err(Invalid::new("country code cannot start with 0"));
            }
            check_total(digits.len())?;
            out.push('+');
            out.push_str(digits);
            Ok(())
        }
    }
}

/// `digits` dialled inside `country`.
fn national(digits: &str, country: &Country, out: &mut String) -> Result<(), Invalid> {
    let (min, max) = country.nsn;
    if !country.trunk.is_empty() {
        if let Some(nsn) = digits.strip_prefix(country.trunk) {
            if (min..=max).contains(&nsn.len()) {
                return finish(country, nsn, out);
            }
        }
    }
    if country.code == "1" && digits.len() == 11 {
        if let Some(nsn) = digits.strip_prefix('1') {
            return finish(country, nsn, out);
        }
    }
    if (min..=max).contains(&digits.len()) {
        return finish(country, digits, out);
    }
    // Country code written without the international prefix.
    if let Some(nsn) = digits.strip_prefix(country.code) {
        if nsn.len() >= min {
            return finish(country, nsn, out);
        }
    }
    Err(length_error(digits.len(), min, max, country))
}

/// Checks and formats `+code nsn`, removing any trunk prefix left in front of the
/// national number (`+44 020 …`) while the rest is still a valid length.
fn finish(country: &Country, mut nsn: &str, out: &mut String) -> Result<(), Invalid> {
    let (min, max) = country.nsn;
    if !country.trunk.is_empty() {
        while let Some(rest) = nsn.strip_prefix(country.trunk) {
            if rest.len() < min {
                break;
            }
            nsn = rest;
        }
    }
    if !(min..=max).contains(&nsn.len()) {
        return Err(length_error(nsn.len(), min, max, country));
    }
    check_total(country.code.len() + nsn.len())?;
    out.push('+');
    out.push_str(country.code);
    out.push_str(nsn);
    Ok(())
}

fn length_error(len: usize, min: usize, max: usize, country: &Country) -> Invalid {
    let what = if len < min { "too short" } else { "too long" };
    Invalid::new(format!(
        "phone number {what} for {} ({len} digits, expected {min}–{max})",
        country.alpha2
    ))
}

fn check_total(len: usize) -> Result<(), Invalid> {
    if len < E164_MIN {
        Err(Invalid::new("phone number too short"))
    } else if len > E164_MAX {
        Err(Invalid::new(
            "phone number too long (E.164 allows 15 digits)",
        ))
    } else {
        Ok(())
    }
}

/// The national significant number of a national number (no `+` or `00` prefix):
/// its digits without one leading trunk `0`, 6 to 14 digits. For a phone that no
/// country can be read for (no default country), so that its last digits still
/// compare and block with the same number written internationally. `None` for
/// international numbers, letters and implausible lengths.
///
/// ```
/// use sameas::normalize::national_number;
/// assert_eq!(national_number("0878 9305 4861").as_deref(), Some("87893054861"));
/// assert_eq!(national_number("+62 878 9305 4861"), None);
/// assert_eq!(national_number("call me"), None);
/// ```
pub fn national_number(raw: &str) -> Option<String> {
    let (plus, digits) = extract_digits(raw).ok()?;
    if plus || digits.as_str().starts_with("00") {
        return None;
    }
    let mut out = String::new();
    push_national(digits.as_str(), &mut out).then_some(out)
}

/// Appends the national significant number of the digits of a national number
/// (see [`national_number`]); whether it has a plausible length.
fn push_national(digits: &str, out: &mut String) -> bool {
    let nsn = digits.strip_prefix('0').unwrap_or(digits);
    let plausible = (6..=14).contains(&nsn.len());
    if plausible {
        out.push_str(nsn);
    }
    plausible
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(raw: &str, cc: Option<&str>) -> Result<String, String> {
        normalize_phone(raw, cc).map_err(|e| e.reason)
    }

    #[test]
    fn romanian_forms_meet() {
        for raw in [
            "+40 721 234 567",
            "0040721234567",
            "0721 234 567",
            "0721-234-567",
            "+40 (0) 721 234 567",
            "40721234567",
            "721234567",
        ] {
            assert_eq!(p(raw, Some("RO")), Ok("+40721234567".into()), "{raw}");
        }
    }

    #[test]
    fn other_countries() {
        assert_eq!(p("064 123 4567", Some("rs")), Ok("+381641234567".into()));
        assert_eq!(p("0812-3456-7890", Some("ID")), Ok("+6281234567890".into()));
        assert_eq!(p("020 7946 0958", Some("GB")), Ok("+442079460958".into()));
        assert_eq!(p("+44 (0)20 7946 0958", None), Ok("+442079460958".into()));
        assert_eq!(p("1-212-555-0123", Some("US")), Ok("+12125550123".into()));
        assert_eq!(
            p("011 40 721 234 567", Some("CA")),
            Ok("+40721234567".into())
        );
        assert_eq!(p("8 812 123 45 67", Some("RU")), Ok("+78121234567".into()));
        assert_eq!(p("+7 812 123 45 67", None), Ok("+78121234567".into()));
        assert_eq!(p("+999 1234 5678", None), Ok("+99912345678".into()));
        assert_eq!(p("0721 234 567 x12", Some("RO")), Ok("+40721234567".into()));
    }

    #[test]
    fn invalid() {
        assert!(p("0721 234 567", None)
            .unwrap_err()
            .contains("no default country"));
        assert!(p("0721", Some("RO")).unwrap_err().contains("too short"));
        assert!(p("0721 234 567 999", Some("RO"))
            .unwrap_err()
            .contains("too long"));
        assert!(p("+1 800 FLOWERS", None).is_err());
        assert!(p("0721234567", Some("XX"))
            .unwrap_err()
            .contains("unknown default"));
        assert!(p("+40 0", None).is_err());
        assert!(p("", Some("RO")).is_err());
        assert!(p(&"9".repeat(40), None).is_err());
    }

    /// Issue 15 item 2: a 1.6 MB cell of `(` took 108 s (each `(` scanned the rest of
    /// the cell). Input over the cap is refused by its length; under it, the `(0)`
    /// lookahead reads a fixed number of characters.
    #[test]
    fn oversized_phone_is_refused_by_length() {
        let cell = "(".repeat(1_600_000);
        let reason = p(&cell, Some("RO")).unwrap_err();
        assert!(reason.contains("longer than 256 bytes"), "{reason}");
        let near_cap = format!("+40 {}", "(".repeat(MAX_PHONE_LEN - 4));
        assert!(p(&near_cap, None).unwrap_err().contains("too short"));
        assert_eq!(paren_zero_len(&"(".repeat(1000)), None);
        assert_eq!(paren_zero_len(&format!("{}0)", " ".repeat(1000))), None);
        assert_eq!(paren_zero_len(" 0 ) 721"), Some(4));
        assert_eq!(paren_zero_len("0)"), Some(2));
        assert_eq!(paren_zero_len("00)"), None);
        assert_eq!(p("+40 ( 0 ) 721 234 567", None), Ok("+40721234567".into()));
    }
}
