//! The ways sources write dates, phone numbers and timestamps.

use super::locale::PhoneSpec;
use sameas::record::Date;
use std::fmt::Write;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How a date of birth is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DobFormat {
    /// 1990-03-25
    Iso,
    /// 25.03.1990
    Dotted,
    /// 25.3.1990. (Serbian habit: no padding, trailing dot)
    DottedShort,
    /// 25/03/1990
    Slashed,
    /// 25-03-1990
    Dashed,
    /// 19900325
    Compact,
    /// 25 March 1990
    Words,
}

/// Writes `date` in `format`; `swap` exchanges day and month (the classic mistake).
pub(crate) fn format_dob(date: Date, format: DobFormat, swap: bool) -> String {
    let (y, mut m, mut d) = (date.year, date.month, date.day);
    if swap {
        std::mem::swap(&mut m, &mut d);
    }
    match format {
        DobFormat::Iso => format!("{y:04}-{m:02}-{d:02}"),
        DobFormat::Dotted => format!("{d:02}.{m:02}.{y:04}"),
        DobFormat::DottedShort => format!("{d}.{m}.{y:04}."),
        DobFormat::Slashed => format!("{d:02}/{m:02}/{y:04}"),
        DobFormat::Dashed => format!("{d:02}-{m:02}-{y:04}"),
        DobFormat::Compact => format!("{y:04}{m:02}{d:02}"),
        DobFormat::Words => {
            // A swapped date cannot be written with a month name; fall back to digits.
            match MONTHS.get(usize::from(m).wrapping_sub(1)) {
                Some(name) if !swap => format!("{d} {name} {y:04}"),
                _ => format!("{d:02}/{m:02}/{y:04}"),
            }
        }
    }
}

/// A telephone number: national significant digits (no trunk prefix) and how many
/// leading digits form the area code or mobile prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhoneNumber {
    pub digits: String,
    pub prefix_len: usize,
}

/// Number of phone layouts [`format_phone`] knows.
pub(crate) const PHONE_STYLES: u64 = 8;

/// Writes `number` of a country numbered by `spec` in layout `style` (0..PHONE_STYLES):
/// "+40 721 234 567", "0040721234567", "0721 234 567", "0721234567", "+40721234567",
/// "0721-234-567", "(0721) 234 567", "+44 (0)20 7946 0018"; US numbers get their own
/// national layouts ("(212) 555-1234", "212-555-1234", "212.555.1234").
pub(crate) fn format_phone(spec: &PhoneSpec, number: &PhoneNumber, style: u64) -> String {
    let digits = number.digits.as_str();
    let split = number.prefix_len.min(digits.len());
    let (head, rest) = digits.split_at(split);
    let cc = spec.cc;
    let trunk = spec.trunk;
    let us = cc == "1" && rest.len() == 7;
    let mut out = String::with_capacity(20);
    match style {
        0 => {
            let _ = write!(out, "+{cc} {head} ");
            chunk(rest, ' ', &mut out);
        }
        1 => {
            let _ = write!(out, "00{cc}{digits}");
        }
        2 if us => {
            let _ = write!(out, "({head}) {}-{}", &rest[..3], &rest[3..]);
        }
        2 => {
            let _ = write!(out, "{trunk}{head} ");
            chunk(rest, ' ', &mut out);
        }
        3 => {
            let _ = write!(out, "{trunk}{digits}");
        }
        4 => {
            let _ = write!(out, "+{cc}{digits}");
        }
        5 if us => {
            let _ = write!(out, "{head}-{}-{}", &rest[..3], &rest[3..]);
        }
        5 => {
            let _ = write!(out, "{trunk}{head}-");
            chunk(rest, '-', &mut out);
        }
        6 if us => {
            let _ = write!(out, "{head}.{}.{}", &rest[..3], &rest[3..]);
        }
        6 => {
            let _ = write!(out, "({trunk}{head}) ");
            chunk(rest, ' ', &mut out);
        }
        _ if !trunk.is_empty() => {
            let _ = write!(out, "+{cc} ({trunk}){head} ");
            chunk(rest, ' ', &mut out);
        }
        _ => {
            let _ = write!(out, "+{cc} {head} ");
            chunk(rest, ' ', &mut out);
        }
    }
    out
}

/// Groups ASCII digits the way people read them out: 3+3, 3+4, 4+4, 3+3+3 …
fn chunk(rest: &str, sep: char, out: &mut String) {
    let mut s = rest;
    loop {
        let take = match s.len() {
            0..=4 => s.len(),
            5 => 2,
            6 | 7 | 9 => 3,
            _ => 4,
        };
        let (a, b) = s.split_at(take.min(s.len()));
        out.push_str(a);
        if b.is_empty() {
            break;
        }
        out.push(sep);
        s = b;
    }
}

/// `seconds` since the Unix epoch as an ISO 8601 UTC timestamp ("2019-03-04T12:34:56Z").
pub(crate) fn iso_datetime(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::{data, Locale};

    #[test]
    fn dob_formats() {
        let d = Date::new(1990, 3, 25).unwrap();
        assert_eq!(format_dob(d, DobFormat::Iso, false), "1990-03-25");
        assert_eq!(format_dob(d, DobFormat::Dotted, false), "25.03.1990");
        assert_eq!(format_dob(d, DobFormat::DottedShort, false), "25.3.1990.");
        assert_eq!(format_dob(d, DobFormat::Slashed, true), "03/25/1990");
        assert_eq!(format_dob(d, DobFormat::Compact, false), "19900325");
        assert_eq!(format_dob(d, DobFormat::Words, false), "25 March 1990");
        assert_eq!(format_dob(d, DobFormat::Words, true), "03/25/1990");
    }

    #[test]
    fn phone_layouts() {
        let ro = &data(Locale::Romania).phone;
        let n = PhoneNumber {
            digits: "721234567".into(),
            prefix_len: 3,
        };
        let all: Vec<String> = (0..PHONE_STYLES).map(|s| format_phone(ro, &n, s)).collect();
        assert_eq!(
            all,
            [
                "+40 721 234 567",
                "0040721234567",
                "0721 234 567",
                "0721234567",
                "+40721234567",
                "0721-234-567",
                "(0721) 234 567",
                "+40 (0)721 234 567"
            ]
        );
        let us = &data(Locale::Us).phone;
        let n = PhoneNumber {
            digits: "2125551234".into(),
            prefix_len: 3,
        };
        assert_eq!(format_phone(us, &n, 2), "(212) 555-1234");
        assert_eq!(format_phone(us, &n, 6), "212.555.1234");
        assert_eq!(format_phone(us, &n, 7), "+1 212 555 1234");
        let uk = &data(Locale::Uk).phone;
        let n = PhoneNumber {
            digits: "2079460018".into(),
            prefix_len: 2,
        };
        assert_eq!(format_phone(uk, &n, 7), "+44 (0)20 7946 0018");
    }

    #[test]
    fn timestamps() {
        assert_eq!(iso_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_datetime(1_551_702_896), "2019-03-04T12:34:56Z");
        assert_eq!(iso_datetime(951_782_400), "2000-02-29T00:00:00Z");
    }
}
