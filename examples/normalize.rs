//! Try the normalizers from the shell.
//!
//! ```text
//! cargo run --example normalize -- --kind KIND [--country RO] [--day-first|--month-first]
//! ```
//!
//! Reads lines on stdin and prints one normalized value per line: `INVALID: reason`
//! for an invalid value, an empty line for an empty one. KIND is one of name,
//! given_name, family_name, full_name (printed as `given | family`), email, phone, date,
//! address, city, postcode, country, text. Unknown kinds or options exit with code 2.

use sameas::normalize::{
    normalize_address, normalize_city, normalize_country, normalize_email, normalize_name,
    normalize_phone, normalize_postcode, normalize_text, parse_date, split_full_name, EmailPolicy,
};
use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

/// What to normalize lines as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    FullName,
    Email,
    Phone,
    Date,
    Address,
    City,
    Postcode,
    Country,
    Text,
}

/// Parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Args {
    kind: Kind,
    country: Option<String>,
    day_first: bool,
}

const USAGE: &str = "usage: normalize --kind KIND [--country CC] [--day-first|--month-first]
KIND: name given_name family_name full_name email phone date address city postcode country text";

fn parse_kind(s: &str) -> Option<Kind> {
    Some(match s {
        "name" | "given_name" | "family_name" => Kind::Name,
        "full_name" => Kind::FullName,
        "email" => Kind::Email,
        "phone" => Kind::Phone,
        "date" | "date_of_birth" => Kind::Date,
        "address" | "street_address" => Kind::Address,
        "city" => Kind::City,
        "postcode" => Kind::Postcode,
        "country" => Kind::Country,
        "text" => Kind::Text,
        _ => return None,
    })
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut kind = None;
    let mut country = None;
    let mut day_first = true;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--kind" => {
                let v = value("--kind")?;
                kind = Some(parse_kind(&v).ok_or_else(|| format!("unknown kind {v:?}"))?);
            }
            "--country" => country = Some(value("--country")?),
            "--day-first" => day_first = true,
            "--month-first" => day_first = false,
            _ => return Err(format!("unknown option {arg:?}")),
        }
    }
    let kind = kind.ok_or("--kind is required")?;
    Ok(Args {
        kind,
        country,
        day_first,
    })
}

fn normalize_line(args: &Args, policy: &EmailPolicy, line: &str) -> String {
    let invalid = |reason: String| format!("INVALID: {reason}");
    if line.trim().is_empty() {
        return String::new();
    }
    match args.kind {
        Kind::Name => normalize_name(line),
        Kind::FullName => {
            let p = split_full_name(line);
            if p.given.is_empty() && p.family.is_empty() {
                String::new()
            } else {
                format!("{} | {}", p.given, p.family)
            }
        }
        Kind::Email => normalize_email(line, policy).unwrap_or_else(|e| invalid(e.reason)),
        Kind::Phone => {
            normalize_phone(line, args.country.as_deref()).unwrap_or_else(|e| invalid(e.reason))
        }
        Kind::Date => parse_date(line, args.day_first)
            .map(|d| d.to_string())
            .unwrap_or_else(|e| invalid(e.reason)),
        Kind::Address => normalize_address(line),
        Kind::City => normalize_city(line),
        Kind::Postcode => normalize_postcode(line),
        Kind::Country => normalize_country(line),
        Kind::Text => normalize_text(line),
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("normalize: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let policy = EmailPolicy::default();
    let stdin = io::stdin();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("normalize: cannot read stdin: {e}");
                return ExitCode::FAILURE;
            }
        };
        if writeln!(out, "{}", normalize_line(&args, &policy, &line)).is_err() {
            // Closed pipe (e.g. `| head`): stop quietly.
            return ExitCode::SUCCESS;
        }
    }
    if out.flush().is_err() {
        return ExitCode::SUCCESS;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_options() {
        let a = args(&["--kind", "phone", "--country", "RO", "--month-first"]).unwrap();
        assert_eq!(
            a,
            Args {
                kind: Kind::Phone,
                country: Some("RO".into()),
                day_first: false
            }
        );
        let a = args(&["--kind=family_name", "--day-first"]).unwrap();
        assert_eq!(a.kind, Kind::Name);
        assert!(a.day_first);
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(args(&[]).unwrap_err().contains("required"));
        assert!(args(&["--kind", "shoe"])
            .unwrap_err()
            .contains("unknown kind"));
        assert!(args(&["--kind", "name", "--loud"])
            .unwrap_err()
            .contains("unknown option"));
        assert!(args(&["--kind"]).unwrap_err().contains("needs a value"));
    }

    #[test]
    fn formats_lines() {
        let policy = EmailPolicy::default();
        let full = args(&["--kind", "full_name"]).unwrap();
        assert_eq!(
            normalize_line(&full, &policy, "Popescu, Ion"),
            "ion | popescu"
        );
        assert_eq!(normalize_line(&full, &policy, "   "), "");
        let email = args(&["--kind", "email"]).unwrap();
        assert_eq!(
            normalize_line(&email, &policy, "nope"),
            "INVALID: no @ in email"
        );
        let fam = args(&["--kind", "family_name"]).unwrap();
        for s in ["Јовановић", "Jovanović", "JOVANOVIC"] {
            assert_eq!(normalize_line(&fam, &policy, s), "jovanovic");
        }
    }
}
