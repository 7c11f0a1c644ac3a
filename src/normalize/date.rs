//! Dates of birth and other calendar dates.

use super::text::normalize_text_into;
use super::Invalid;
use crate::record::Date;
use smallvec::SmallVec;

/// A token of a date string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    /// A run of ASCII digits (the text, to know its width).
    Num(&'a str),
    /// A month name.
    Month(u8),
}

/// Parses a date in ISO, numeric day- or month-first, `dd.mm.yyyy`, `yyyymmdd` or with month names.
///
/// - `yyyy-mm-dd`, `yyyy/mm/dd`, `yyyy.mm.dd` (an ISO time after the date is ignored);
/// - `dd.mm.yyyy` (always day first, the European convention; a trailing `.` is fine);
/// - `dd/mm/yyyy` or `mm/dd/yyyy` (also with `-`): `day_first` decides when both
///   numbers are ≤ 12; `25/12/1990` and `12/25/1990` parse either way;
/// - `yyyymmdd`;
/// - month names in English, Romanian, Serbian (Latin or Cyrillic), Indonesian and
///   German, full or abbreviated, with or without a dot: `3 March 1990`,
///   `March 3, 1990`, `3 martie 1990`, `3. mart 1984.`, `12 децембар 1990`,
///   `17 Agustus 1945`, `17 Agt. 1945`, `1990 Mar 3`; old Indonesian spellings
///   (`Pebruari`, `Nopember`); ordinal suffixes (`3rd`) and filler words (`of`,
///   `tanggal`, `tahun`, Serbian `godine`/`god.`/`g.`) are ignored.
///
/// Two-digit years are [`Invalid`] (no century is guessed), and so are impossible dates
/// (`31/02/1990`) and years outside 1..=9999.
///
/// ```
/// use sameas::normalize::parse_date;
/// let d = parse_date("03/04/1990", true).unwrap();
/// assert_eq!(d.to_string(), "1990-04-03");
/// assert_eq!(parse_date("03/04/1990", false).unwrap().to_string(), "1990-03-04");
/// assert_eq!(parse_date("3. mart 1990.", true).unwrap().to_string(), "1990-03-03");
/// assert!(parse_date("31/02/1990", true).is_err());
/// ```
pub fn parse_date(raw: &str, day_first: bool) -> Result<Date, Invalid> {
    let parsed = tokenize(raw)?;
    let (y, m, d) = resolve(&parsed, day_first)?;
    Date::new(y, m, d).ok_or_else(|| {
        Invalid::new(format!(
            "impossible date (day {d} of month {m} in year {y})"
        ))
    })
}

/// Dates that systems write when they have no birth date: the zero and the far end of
/// common date types (`0001-01-01`, SQL Server's `1753-01-01`, `9999-12-31`), the
/// epochs of spreadsheets and of old databases (`1899-12-30`, `1899-12-31`,
/// `1900-01-01`) and round defaults (`1800-01-01`, `1901-01-01`). As a birth date
/// each would make two strangers' records agree and one person's records disagree.
const PLACEHOLDER_BIRTH_DATES: [(u16, u8, u8); 8] = [
    (1, 1, 1),
    (1753, 1, 1),
    (1800, 1, 1),
    (1899, 12, 30),
    (1899, 12, 31),
    (1900, 1, 1),
    (1901, 1, 1),
    (9999, 12, 31),
];

/// [`parse_date`] for a birth date: a placeholder a system writes when it has none
/// (`1900-01-01`, `0001-01-01`, …) is [`Invalid`] — a missing value, not a date that
/// disagrees with the person's real one.
///
/// ```
/// use sameas::normalize::parse_birth_date;
/// assert_eq!(parse_birth_date("05.02.1964", true).unwrap().to_string(), "1964-02-05");
/// assert!(parse_birth_date("1900-01-01", true).is_err());
/// assert!(parse_birth_date("1900-01-02", true).is_ok());
/// ```
pub fn parse_birth_date(raw: &str, day_first: bool) -> Result<Date, Invalid> {
    let date = parse_date(raw, day_first)?;
    if is_placeholder_birth_date(date) {
        return Err(Invalid::new(format!(
            "placeholder date {date} (a system default, not a birth date)"
        )));
    }
    Ok(date)
}

/// Whether `date` is one a system writes when it has no birth date (see
/// [`parse_birth_date`]).
pub(crate) fn is_placeholder_birth_date(date: Date) -> bool {
    PLACEHOLDER_BIRTH_DATES.contains(&(date.year, date.month, date.day))
}

/// Appends `y`, `m`, `d` as `yyyymmdd` (as `format!("{y:04}{m:02}{d:02}")` writes it,
/// without its formatting machinery: every date of every record goes through here).
pub(crate) fn push_compact_date(out: &mut String, y: u16, m: u8, d: u8) {
    push_padded(out, y.into(), 4);
    push_padded(out, m.into(), 2);
    push_padded(out, d.into(), 2);
}

/// Appends `date` as `yyyy-mm-dd` (its `Display` form).
pub(crate) fn push_iso_date(out: &mut String, date: Date) {
    push_padded(out, date.year.into(), 4);
    out.push('-');
    push_padded(out, date.month.into(), 2);
    out.push('-');
    push_padded(out, date.day.into(), 2);
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_padded(out: &mut String, mut n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let len = digits.len() - start;
    out.extend(std::iter::repeat('0').take(width.saturating_sub(len)));
    out.extend(digits[start..].iter().map(|&b| char::from(b)));
}

/// Whether `raw` is a numeric date whose day and month could be swapped: both are
/// ≤ 12 and they differ (`03/04/1990`). ISO (`yyyy-mm-dd`), dotted `dd.mm.yyyy`,
/// compact and month-name forms follow one convention, so they are never ambiguous.
///
/// ```
/// use sameas::normalize::is_ambiguous_date;
/// assert!(is_ambiguous_date("03/04/1990"));
/// assert!(!is_ambiguous_date("25/12/1990"));
/// assert!(!is_ambiguous_date("04/04/1990"));
/// assert!(!is_ambiguous_date("1990-03-04"));
/// ```
pub fn is_ambiguous_date(raw: &str) -> bool {
    let Ok(parsed) = tokenize(raw) else {
        return false;
    };
    match (parsed.toks.as_slice(), parsed.sep) {
        ([Tok::Num(a), Tok::Num(b), Tok::Num(y)], Some('/' | '-')) if y.len() == 4 => {
            let (a, b) = (num(a), num(b));
            (1..=12).contains(&a) && (1..=12).contains(&b) && a != b
        }
        _ => false,
    }
}

/// Tokens of a date string and the separator between its numbers.
struct Parsed<'a> {
    /// Inline: a date has three or four tokens, and every record has a date to read.
    toks: SmallVec<[Tok<'a>; 6]>,
    /// The first separator character between two numbers, if any.
    sep: Option<char>,
}

fn tokenize(raw: &str) -> Result<Parsed<'_>, Invalid> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Invalid::new("empty date"));
    }
    if s.len() > 64 {
        return Err(Invalid::new("too long for a date"));
    }
    // "1990-03-04T10:00:00Z" or "1990-03-04 10:00": keep the date.
    let s = match (s.get(..10), s.as_bytes().get(10)) {
        (Some(date), Some(b'T' | b't' | b' ')) if is_iso_shape(date) => date,
        _ => s,
    };
    let mut toks = SmallVec::new();
    // Words are folded into one buffer.
    let mut folded = String::new();
    let mut sep = None;
    let mut last_was_num = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() {
            let start = i;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            toks.push(Tok::Num(s.get(start..i).unwrap_or("")));
            last_was_num = true;
        } else if let Some(ch) = s.get(i..).and_then(|r| r.chars().next()) {
            if ch.is_alphabetic() {
                let start = i;
                while let Some(c) = s.get(i..).and_then(|r| r.chars().next()) {
                    if !c.is_alphabetic() {
                        break;
                    }
                    i += c.len_utf8();
                }
                let word = s.get(start..i).unwrap_or("");
                let after_number = last_was_num;
                last_was_num = false;
                folded.clear();
                normalize_text_into(word, &mut folded);
                if let Some(m) = month_number(&folded) {
                    toks.push(Tok::Month(m));
                } else if !(is_filler(&folded) || after_number && is_ordinal(&folded)) {
                    return Err(Invalid::new(format!("unrecognised word {word:?} in date")));
                }
            } else {
                if last_was_num && sep.is_none() && !ch.is_whitespace() {
                    sep = Some(ch);
                }
                if !(ch.is_whitespace()
                    || matches!(ch, '.' | '/' | '-' | ',' | '\u{2010}'..='\u{2015}'))
                {
                    return Err(Invalid::new(format!("unexpected character {ch:?} in date")));
                }
                i += ch.len_utf8();
            }
        } else {
            break;
        }
        if toks.len() > 3 {
            return Err(Invalid::new("too many parts for a date"));
        }
    }
    Ok(Parsed { toks, sep })
}

fn is_iso_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn num(s: &str) -> u32 {
    if s.len() > 9 {
        return u32::MAX;
    }
    s.parse().unwrap_or(u32::MAX)
}

/// Year, month and day from the tokens.
fn resolve(p: &Parsed<'_>, day_first: bool) -> Result<(u16, u8, u8), Invalid> {
    let ymd = |y: &str, m: u32, d: &str| -> Result<(u16, u8, u8), Invalid> {
        Ok((year(y)?, small(m, "month")?, small(num(d), "day")?))
    };
    match p.toks.as_slice() {
        [Tok::Num(s)] if s.len() == 8 => {
            let (y, rest) = s.split_at(4);
            let (m, d) = rest.split_at(2);
            ymd(y, num(m), d)
        }
        [Tok::Num(s)] => Err(Invalid::new(format!(
            "a number of {} digits is not a date",
            s.len()
        ))),
        [Tok::Num(y), Tok::Num(m), Tok::Num(d)] if y.len() >= 3 => ymd(y, num(m), d),
        [Tok::Num(a), Tok::Num(b), Tok::Num(y)] => {
            let (a, b) = (num(a), num(b));
            let dotted = p.sep == Some('.');
            let (d, m) = if dotted || a > 12 {
                (a, b)
            } else if b > 12 {
                (b, a)
            } else if day_first {
                (a, b)
            } else {
                (b, a)
            };
            Ok((year(y)?, small(m, "month")?, small(d, "day")?))
        }
        [Tok::Num(d), Tok::Month(m), Tok::Num(y)] | [Tok::Month(m), Tok::Num(d), Tok::Num(y)]
            if d.len() <= 2 =>
        {
            ymd(y, u32::from(*m), d)
        }
        [Tok::Num(y), Tok::Month(m), Tok::Num(d)] if y.len() >= 3 => ymd(y, u32::from(*m), d),
        [] => Err(Invalid::new("no date in text")),
        _ => Err(Invalid::new("unrecognised date format")),
    }
}

/// Year, month and day as written, even when they make no date (`1967-13-10`,
/// `2001-12-64`): a typo in a birth date is still evidence when the written forms are
/// compared digit by digit. `None` when the text has no recognisable date layout or a
/// month or day of 0 or above 99.
pub(crate) fn written_date_parts(raw: &str, day_first: bool) -> Option<(u16, u8, u8)> {
    let parsed = tokenize(raw).ok()?;
    resolve(&parsed, day_first)
        .ok()
        .filter(|&(_, m, d)| (1..=99).contains(&m) && (1..=99).contains(&d))
}

fn year(s: &str) -> Result<u16, Invalid> {
    if s.len() <= 2 {
        return Err(Invalid::new("two-digit year is ambiguous"));
    }
    let y = num(s);
    if (1..=9999).contains(&y) && s.len() <= 4 {
        u16::try_from(y).map_err(|_| Invalid::new("year out of range"))
    } else {
        Err(Invalid::new("year out of range"))
    }
}

fn small(v: u32, what: &str) -> Result<u8, Invalid> {
    u8::try_from(v).map_err(|_| Invalid::new(format!("{what} out of range")))
}

fn is_filler(w: &str) -> bool {
    // Serbian "1984. godine" / "god." / "g.", Indonesian "tahun 1945", Romanian "anul".
    matches!(
        w,
        "of" | "de"
            | "the"
            | "tanggal"
            | "tgl"
            | "on"
            | "godine"
            | "god"
            | "g"
            | "tahun"
            | "thn"
            | "anul"
    )
}

fn is_ordinal(w: &str) -> bool {
    matches!(w, "st" | "nd" | "rd" | "th" | "lea" | "a")
}

/// Month number of a folded month name or abbreviation.
fn month_number(w: &str) -> Option<u8> {
    let m = match w {
        // English
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        // Romanian
        "ianuarie" | "ian" => 1,
        "februarie" | "febr" => 2,
        "martie" => 3,
        "aprilie" => 4,
        "mai" => 5,
        "iunie" | "iun" => 6,
        "iulie" | "iul" => 7,
        "septembrie" => 9,
        "octombrie" => 10,
        "noiembrie" | "noiem" | "noi" => 11,
        "decembrie" => 12,
        // Serbian (Latin; Cyrillic arrives transliterated)
        "januar" => 1,
        "februar" => 2,
        "mart" => 3,
        "maj" => 5,
        "juni" => 6,
        "juli" => 7,
        "avgust" | "avg" => 8,
        "septembar" => 9,
        "oktobar" | "okt" => 10,
        "novembar" => 11,
        "decembar" | "dekembar" => 12,
        // Indonesian
        "januari" => 1,
        "februari" | "peb" | "pebruari" => 2,
        "maret" | "mrt" => 3,
        "mei" => 5,
        "agustus" | "agu" | "agt" | "ags" => 8,
        "oktober" => 10,
        "nopember" | "nop" => 11,
        "desember" | "des" => 12,
        // German
        "marz" | "maerz" => 3,
        "dezember" | "dez" => 12,
        _ => return None,
    };
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(raw: &str, day_first: bool) -> Result<String, String> {
        parse_date(raw, day_first)
            .map(|d| d.to_string())
            .map_err(|e| e.reason)
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(iso("1990-03-04", false), Ok("1990-03-04".into()));
        assert_eq!(iso("1990/3/4", true), Ok("1990-03-04".into()));
        assert_eq!(iso("1990-03-04T12:00:00Z", true), Ok("1990-03-04".into()));
        assert_eq!(iso("04.03.1990", false), Ok("1990-03-04".into()));
        assert_eq!(iso("4.3.1990.", true), Ok("1990-03-04".into()));
        assert_eq!(iso("25/12/1990", false), Ok("1990-12-25".into()));
        assert_eq!(iso("12/25/1990", true), Ok("1990-12-25".into()));
        assert_eq!(iso("19900304", true), Ok("1990-03-04".into()));
        assert_eq!(iso("29/02/2000", true), Ok("2000-02-29".into()));
    }

    #[test]
    fn month_names() {
        for raw in [
            "3 March 1990",
            "March 3, 1990",
            "3rd of March 1990",
            "3 martie 1990",
            "3. mart 1990.",
            "3. март 1990.",
            "3 Maret 1990",
            "03-Mar-1990",
            "1990 Mar 3",
            "3 MĂRȚ 1990",
        ] {
            assert_eq!(iso(raw, false), Ok("1990-03-03".into()), "{raw}");
        }
        assert_eq!(iso("17 Agustus 1945", true), Ok("1945-08-17".into()));
        assert_eq!(iso("1 noiembrie 2001", true), Ok("2001-11-01".into()));
    }

    #[test]
    fn invalid_dates() {
        assert!(iso("31/02/1990", true).unwrap_err().contains("impossible"));
        assert!(iso("29/02/1900", true).is_err());
        assert!(iso("03/04/90", true).unwrap_err().contains("two-digit"));
        assert!(iso("13/13/1990", true).is_err());
        assert!(iso("hello", true).is_err());
        assert!(iso("", true).is_err());
        assert!(iso("1990", true).is_err());
        assert!(iso("99999999999999999999/1/1", true).is_err());
        assert!(iso("0000-01-01", true).is_err());
    }
}
