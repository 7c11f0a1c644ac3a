//! Writes a true person down the way one source system would: its missing fields,
//! formats, scripts, abbreviations, typos and habits.

use super::format::{format_dob, format_phone, DobFormat, PhoneNumber, PHONE_STYLES};
use super::locale::{data, Locale, StreetStyle};
use super::people::{draw_script, family_name, given_name, Address, Person};
use super::rng::{Rng, Weighted};
use super::text::{
    ascii_fold, digit_typo, german_expanded, greek_latin, indonesian_old_spelling,
    romanian_cedilla, serbian_cyrillic, title_case, typo, Script,
};
use super::{Knobs, Phenomena, Phenomenon};
use std::fmt::Write;

/// Source systems, in the order of [`PROFILES`].
pub(crate) const SOURCES: [&str; 6] = [
    "crm",
    "webshop",
    "mobile_app",
    "call_centre",
    "loyalty",
    "legacy_import",
];

/// Index of the loyalty programme in [`SOURCES`] (its records always carry the id).
pub(crate) const LOYALTY_SOURCE: usize = 4;

/// Schema field names, in schema order.
pub(crate) const FIELD_NAMES: [&str; 10] = [
    "given_name",
    "family_name",
    "email",
    "phone",
    "date_of_birth",
    "street_address",
    "city",
    "postcode",
    "country",
    "loyalty_id",
];

const GIVEN: u8 = 0;
const FAMILY: u8 = 1;
const EMAIL: u8 = 2;
const PHONE: u8 = 3;
const DOB: u8 = 4;
const STREET: u8 = 5;
const CITY: u8 = 6;
const POSTCODE: u8 = 7;
const COUNTRY: u8 = 8;
const LOYALTY: u8 = 9;

/// The habits of one source system.
#[derive(Debug)]
pub(crate) struct SourceProfile {
    /// Share of all records coming from this source (relative weight).
    pub weight: u32,
    /// Chance each field (given … country, schema order) is missing.
    pub missing: [f64; 9],
    /// Chance a loyalty member's record carries the loyalty id.
    pub loyalty_id: f64,
    /// Multiplier on the configured typo rate.
    pub typo: f64,
    /// Chance the whole record is written in plain ASCII.
    pub ascii: f64,
    /// Chance names and address are written in capitals.
    pub upper: f64,
    /// Chance names are written in lower case.
    pub lower: f64,
    /// Chance a second email / phone is kept when the person has one.
    pub second_value: f64,
    /// Chance street types are abbreviated.
    pub abbreviate: f64,
    /// Date of birth layouts with weights.
    pub dob: &'static [(DobFormat, u32)],
    /// Weights of the phone layouts of [`format_phone`].
    pub phone: [u32; PHONE_STYLES as usize],
}

/// Habits per source, same order as [`SOURCES`].
pub(crate) const PROFILES: [SourceProfile; 6] = [
    SourceProfile {
        weight: 22,
        missing: [0.01, 0.02, 0.15, 0.15, 0.25, 0.10, 0.08, 0.12, 0.15],
        loyalty_id: 0.5,
        typo: 1.0,
        ascii: 0.05,
        upper: 0.0,
        lower: 0.0,
        second_value: 0.3,
        abbreviate: 0.3,
        dob: &[
            (DobFormat::Iso, 30),
            (DobFormat::Dotted, 30),
            (DobFormat::Slashed, 30),
            (DobFormat::Words, 10),
        ],
        phone: [30, 5, 30, 10, 10, 5, 5, 5],
    },
    SourceProfile {
        weight: 22,
        missing: [0.02, 0.03, 0.01, 0.30, 0.55, 0.70, 0.65, 0.70, 0.60],
        loyalty_id: 0.3,
        typo: 1.0,
        ascii: 0.1,
        upper: 0.01,
        lower: 0.05,
        second_value: 0.05,
        abbreviate: 0.4,
        dob: &[
            (DobFormat::Iso, 60),
            (DobFormat::Slashed, 20),
            (DobFormat::Dotted, 20),
        ],
        phone: [20, 5, 20, 25, 20, 5, 0, 5],
    },
    SourceProfile {
        weight: 16,
        missing: [0.03, 0.05, 0.03, 0.10, 0.45, 0.85, 0.60, 0.85, 0.40],
        loyalty_id: 0.6,
        typo: 1.2,
        ascii: 0.1,
        upper: 0.0,
        lower: 0.1,
        second_value: 0.05,
        abbreviate: 0.3,
        dob: &[(DobFormat::Iso, 90), (DobFormat::Words, 10)],
        phone: [10, 0, 5, 5, 80, 0, 0, 0],
    },
    SourceProfile {
        weight: 14,
        missing: [0.02, 0.04, 0.85, 0.02, 0.35, 0.40, 0.30, 0.40, 0.60],
        loyalty_id: 0.25,
        typo: 2.0,
        ascii: 0.35,
        upper: 0.02,
        lower: 0.0,
        second_value: 0.15,
        abbreviate: 0.5,
        dob: &[
            (DobFormat::Slashed, 40),
            (DobFormat::Words, 30),
            (DobFormat::Dotted, 30),
        ],
        phone: [10, 5, 35, 25, 5, 15, 5, 0],
    },
    SourceProfile {
        weight: 14,
        missing: [0.02, 0.03, 0.30, 0.30, 0.30, 0.50, 0.40, 0.50, 0.50],
        loyalty_id: 1.0,
        typo: 1.0,
        ascii: 0.1,
        upper: 0.0,
        lower: 0.02,
        second_value: 0.1,
        abbreviate: 0.3,
        dob: &[
            (DobFormat::Dotted, 40),
            (DobFormat::Iso, 30),
            (DobFormat::Dashed, 30),
        ],
        phone: [25, 10, 25, 20, 20, 0, 0, 0],
    },
    SourceProfile {
        weight: 12,
        missing: [0.04, 0.04, 0.55, 0.30, 0.20, 0.15, 0.10, 0.15, 0.35],
        loyalty_id: 0.05,
        typo: 1.5,
        ascii: 0.7,
        upper: 0.5,
        lower: 0.0,
        second_value: 0.2,
        abbreviate: 0.6,
        dob: &[(DobFormat::Compact, 70), (DobFormat::Dotted, 30)],
        phone: [5, 40, 5, 40, 5, 5, 0, 0],
    },
];

/// What is true of a person at the time of one record.
#[derive(Debug)]
pub(crate) struct Plan<'a> {
    pub person: &'a Person,
    pub source: usize,
    /// The primary email in use at the time.
    pub email: &'a str,
    /// The email used before a change, if the person changed it already.
    pub old_email: Option<&'a str>,
    pub mobile: &'a PhoneNumber,
    pub address: &'a Address,
    /// Whether `email`, `mobile`, `address` are the ones the person changed to (for the
    /// record's tags; never a draw of their own).
    pub changed: [bool; 3],
}

/// Per-source distributions, drawn once per generation.
#[derive(Debug)]
pub(crate) struct SourceTables {
    dob: Vec<Weighted>,
    phone: Vec<Weighted>,
}

impl SourceTables {
    pub(crate) fn new() -> SourceTables {
        SourceTables {
            dob: PROFILES
                .iter()
                .map(|p| Weighted::new(&p.dob.iter().map(|&(_, w)| w).collect::<Vec<_>>()))
                .collect(),
            phone: PROFILES.iter().map(|p| Weighted::new(&p.phone)).collect(),
        }
    }
}

/// Writes one record of `plan` as `(field index, text)` pairs appended to `out`.
/// What was done to the record goes into `tags` (never a random draw of its own, so
/// the records are the same with or without anyone reading the tags).
pub(crate) fn render(
    plan: &Plan<'_>,
    tables: &SourceTables,
    knobs: &Knobs,
    rng: &mut Rng,
    out: &mut Vec<(u8, String)>,
    tags: &mut Phenomena,
) {
    let src = &PROFILES[plan.source.min(PROFILES.len() - 1)];
    let p = plan.person;
    let mut missing = [false; 9];
    for (m, &prob) in missing.iter_mut().zip(&src.missing) {
        *m = rng.chance(prob * knobs.missing_scale);
    }
    let upper = rng.chance(src.upper);
    let lower = !upper && rng.chance(src.lower);
    let ascii = rng.chance(src.ascii);
    let typo_p = knobs.typo_rate * src.typo;

    let mut name_tags = [Phenomena::default(); 2];
    let (given, family) = names(p, knobs, ascii, typo_p, rng, &mut name_tags);
    // Keep something to identify the person by.
    let named = (!missing[0] && !given.is_empty()) || (!missing[1] && !family.is_empty());
    if !named && missing[2] && missing[3] {
        missing[0] = false;
        missing[1] = false;
    }
    let case = |s: String| {
        if upper {
            s.to_uppercase()
        } else if lower {
            s.to_lowercase()
        } else {
            s
        }
    };
    for (field, written) in name_tags.iter().zip([!missing[0], !missing[1]]) {
        for t in field.iter().filter(|_| written) {
            tags.insert(t);
        }
    }
    if !missing[0] {
        out.push((GIVEN, case(given)));
    }
    if !missing[1] {
        out.push((FAMILY, case(family)));
    }
    if !missing[2] {
        emails(plan, src, knobs, upper, typo_p, rng, out, tags);
    }
    if !missing[3] {
        phones(plan, src, tables, knobs, rng, out, tags);
    }
    if !missing[4] {
        out.push((DOB, dob(plan, src, tables, knobs, rng, tags)));
    }
    let a = plan.address;
    tags.insert_if(
        plan.changed[2] && !(missing[5] && missing[6] && missing[7]),
        Phenomenon::Moved,
    );
    let script = if ascii {
        Script::Ascii
    } else {
        draw_script(a.locale, rng)
    };
    let upper_case = |s: String| if upper { s.to_uppercase() } else { s };
    if !missing[5] {
        let mut s = street(a, src, script, rng);
        if rng.chance(typo_p) {
            s = typo(&s, rng);
        }
        out.push((STREET, upper_case(s)));
    }
    if !missing[6] {
        let mut s = city(a, script, rng);
        if rng.chance(typo_p * 0.5) {
            s = typo(&s, rng);
        }
        out.push((CITY, upper_case(s)));
    }
    if !missing[7] {
        out.push((POSTCODE, postcode(a, typo_p, rng)));
    }
    if !missing[8] {
        let d = data(a.locale);
        let c = if rng.chance(0.6) {
            d.countries.first().copied().unwrap_or("")
        } else {
            rng.pick_str(d.countries)
        };
        out.push((COUNTRY, upper_case(c.to_string())));
    }
    if let Some(id) = &p.loyalty {
        if plan.source == LOYALTY_SOURCE || rng.chance(src.loyalty_id) {
            out.push((LOYALTY, id.clone()));
        }
    }
}

/// Writes `s` of `locale` in `script` (no copy when nothing changes).
fn in_script(locale: Locale, s: String, script: Script) -> String {
    match (locale, script) {
        (_, Script::Native) => s,
        (Locale::Greece, _) => greek_latin(&s),
        (Locale::Serbia, Script::Alternate) => serbian_cyrillic(&s),
        (Locale::Romania, Script::Alternate) => romanian_cedilla(&s),
        (Locale::Germany, Script::Alternate) => german_expanded(&s),
        (_, Script::Ascii) if !s.is_ascii() => ascii_fold(&s),
        _ => s,
    }
}

/// Given and family name as one record writes them, with what was done to each
/// field's value: `tags[0]` the given name's, `tags[1]` the family name's (after a
/// swap, each field's own).
fn names(
    p: &Person,
    knobs: &Knobs,
    ascii: bool,
    typo_p: f64,
    rng: &mut Rng,
    tags: &mut [Phenomena; 2],
) -> (String, String) {
    let d = data(p.name_locale);
    let formal = given_name(p);
    let mut given = formal;
    if rng.chance(knobs.nickname_rate) {
        if let Some((_, nicks)) = d.nicknames.iter().find(|(f, _)| *f == formal) {
            given = rng.pick_str(nicks);
        }
    }
    tags[0].insert_if(given != formal, Phenomenon::Nickname);
    let mut g = given.to_string();
    let mut f = family_name(p).to_string();
    if let Some(t) = p.title_before {
        if rng.chance(0.4) {
            g = format!("{t} {g}");
            tags[0].insert(Phenomenon::Title);
        }
    }
    if let Some(t) = p.title_after {
        if rng.chance(0.4) {
            let field = usize::from(!f.is_empty());
            let target = if f.is_empty() { &mut g } else { &mut f };
            target.push(' ');
            target.push_str(t);
            tags[field].insert(Phenomenon::Title);
        }
    }
    if rng.chance(knobs.honorific_rate) {
        let h = rng.pick_str(if p.female {
            d.honorific_female
        } else {
            d.honorific_male
        });
        g = format!("{h} {g}");
        tags[0].insert(Phenomenon::Honorific);
    }
    let script = if ascii {
        Script::Ascii
    } else if rng.chance(0.65) {
        p.script
    } else {
        draw_script(p.name_locale, rng)
    };
    let (plain_g, plain_f) = (g.clone(), f.clone());
    g = in_script(p.name_locale, g, script);
    f = in_script(p.name_locale, f, script);
    tags[0].insert_if(g != plain_g, Phenomenon::OtherScript);
    tags[1].insert_if(f != plain_f, Phenomenon::OtherScript);
    if p.name_locale == Locale::Indonesia && rng.chance(0.06) {
        let (before_g, before_f) = (g.clone(), f.clone());
        g = indonesian_old_spelling(&g);
        f = indonesian_old_spelling(&f);
        tags[0].insert_if(g != before_g, Phenomenon::OldSpelling);
        tags[1].insert_if(f != before_f, Phenomenon::OldSpelling);
    }
    if rng.chance(typo_p) {
        g = typo(&g, rng);
        tags[0].insert(Phenomenon::NameTypo);
    }
    if !f.is_empty() && rng.chance(typo_p) {
        f = typo(&f, rng);
        tags[1].insert(Phenomenon::NameTypo);
    }
    if f.is_empty() {
        // Forms that demand a surname get the single name twice.
        if rng.chance(0.1) {
            f = g.clone();
            tags[1].insert(Phenomenon::MononymRepeated);
        }
    } else if rng.chance(knobs.name_swap_rate) {
        std::mem::swap(&mut g, &mut f);
        tags.swap(0, 1);
        for t in tags.iter_mut() {
            t.insert(Phenomenon::NamesSwapped);
        }
    } else if rng.chance(0.01) {
        // The whole name typed into the first field.
        g = format!("{g} {f}");
        f.clear();
        let family = std::mem::take(&mut tags[1]);
        for t in family.iter() {
            tags[0].insert(t);
        }
        tags[0].insert(Phenomenon::FullNameInGiven);
    }
    (g, f)
}

#[allow(clippy::too_many_arguments)]
fn emails(
    plan: &Plan<'_>,
    src: &SourceProfile,
    knobs: &Knobs,
    upper: bool,
    typo_p: f64,
    rng: &mut Rng,
    out: &mut Vec<(u8, String)>,
    tags: &mut Phenomena,
) {
    let mut first = plan.email;
    let mut second = None;
    if let Some(s) = plan.person.second_email.as_deref() {
        if rng.chance(0.12) {
            first = s;
        } else if rng.chance(src.second_value) {
            second = Some(s);
        }
    }
    if second.is_none() && rng.chance(0.25) {
        second = plan.old_email;
    }
    for written in std::iter::once(first).chain(second) {
        tags.insert_if(
            plan.changed[0] && written == plan.email,
            Phenomenon::NewEmail,
        );
        let mut e = email_variant(written, knobs, rng);
        tags.insert_if(e != written, Phenomenon::EmailVariant);
        if rng.chance(typo_p * 0.2) {
            if let Some((local, domain)) = e.split_once('@') {
                e = format!("{}@{domain}", typo(local, rng));
            }
        }
        if upper {
            e = e.to_uppercase();
        }
        out.push((EMAIL, e));
    }
}

/// Case changes, gmail dots, "+tags" and googlemail.com: the same mailbox written
/// another way.
fn email_variant(e: &str, knobs: &Knobs, rng: &mut Rng) -> String {
    if !rng.chance(knobs.email_variant_rate) {
        return e.to_string();
    }
    let Some((local, domain)) = e.split_once('@') else {
        return e.to_string();
    };
    let gmail = domain == "gmail.com";
    match rng.below(4) {
        0 => title_case(e),
        1 if gmail => {
            if local.contains('.') {
                format!("{}@{domain}", local.replace('.', ""))
            } else {
                let mid = local.len() / 2;
                match (local.get(..mid), local.get(mid..)) {
                    (Some(a), Some(b)) if mid > 0 => format!("{a}.{b}@{domain}"),
                    _ => e.to_string(),
                }
            }
        }
        2 => {
            const TAGS: &[&str] = &["shop", "news", "promo", "app", "deals", "2020"];
            format!("{local}+{}@{domain}", rng.pick_str(TAGS))
        }
        3 if gmail => format!("{local}@googlemail.com"),
        _ => e.to_uppercase(),
    }
}

fn phones(
    plan: &Plan<'_>,
    src: &SourceProfile,
    tables: &SourceTables,
    knobs: &Knobs,
    rng: &mut Rng,
    out: &mut Vec<(u8, String)>,
    tags: &mut Phenomena,
) {
    let p = plan.person;
    let (first, other) = match &p.landline {
        Some(l) if rng.chance(0.35) => (l, Some(plan.mobile)),
        Some(l) => (plan.mobile, Some(l)),
        None => (plan.mobile, None),
    };
    let second = other.filter(|_| rng.chance(src.second_value));
    let spec = &data(plan.address.locale).phone;
    let styles = tables.phone.get(plan.source);
    for number in std::iter::once(first).chain(second) {
        tags.insert_if(
            plan.changed[1] && std::ptr::eq(number, plan.mobile),
            Phenomenon::NewPhone,
        );
        let style = styles.map_or(0, |w| w.sample(rng)) as u64;
        let mut s = format_phone(spec, number, style);
        if rng.chance(knobs.typo_rate * 0.25) {
            s = digit_typo(&s, rng);
        }
        out.push((PHONE, s));
    }
}

fn dob(
    plan: &Plan<'_>,
    src: &SourceProfile,
    tables: &SourceTables,
    knobs: &Knobs,
    rng: &mut Rng,
    tags: &mut Phenomena,
) -> String {
    let mut format = tables
        .dob
        .get(plan.source)
        .and_then(|w| src.dob.get(w.sample(rng)))
        .map_or(DobFormat::Iso, |&(f, _)| f);
    if format == DobFormat::Dotted && plan.person.name_locale == Locale::Serbia && rng.chance(0.4) {
        format = DobFormat::DottedShort;
    }
    let swap = rng.chance(knobs.dob_swap_rate);
    let mut s = format_dob(plan.person.dob, format, swap);
    tags.insert_if(
        swap && s != format_dob(plan.person.dob, format, false),
        Phenomenon::DobSwapped,
    );
    if rng.chance(knobs.dob_typo_rate) {
        let before = s.clone();
        s = digit_typo(&s, rng);
        tags.insert_if(s != before, Phenomenon::DobTypo);
    }
    s
}

fn street(a: &Address, src: &SourceProfile, script: Script, rng: &mut Rng) -> String {
    let d = data(a.locale);
    let name = d.streets.get(a.street).copied().unwrap_or("");
    let abbreviate = rng.chance(src.abbreviate);
    let (full, abbr) = d
        .street_types
        .get(a.street_type)
        .copied()
        .unwrap_or(("", ""));
    let ty = if abbreviate { abbr } else { full };
    let unit = a.unit.filter(|_| rng.chance(0.75));
    let n = a.number;
    let mut s = String::with_capacity(48);
    match d.street_style {
        StreetStyle::NumberFirst => {
            if let (Locale::Uk, Some(u)) = (a.locale, unit) {
                let _ = write!(s, "Flat {u}, ");
            }
            let _ = write!(s, "{n} {name} {ty}");
            if let (Locale::Us, Some(u)) = (a.locale, unit) {
                if rng.chance(0.5) {
                    let _ = write!(s, " Apt {u}");
                } else {
                    let _ = write!(s, " #{u}");
                }
            }
        }
        StreetStyle::NameNumber => {
            let shortened = d
                .abbreviations
                .iter()
                .find(|(f, _)| abbreviate && name.contains(f))
                .map(|(f, ab)| name.replacen(f, ab, 1));
            let _ = write!(s, "{} {n}", shortened.as_deref().unwrap_or(name));
            if let Some(u) = unit {
                if rng.chance(0.5) {
                    let _ = write!(s, "/{u}");
                } else {
                    let _ = write!(s, ", stan {u}");
                }
            }
        }
        StreetStyle::TypeNameNr => {
            match rng.below(3) {
                0 | 1 => {
                    let _ = write!(s, "{ty} {name} nr. {n}");
                }
                _ => {
                    let _ = write!(s, "{ty} {name}, {n}");
                }
            }
            if let Some(u) = unit {
                let _ = write!(s, ", ap. {u}");
            }
        }
        StreetStyle::TypeNameNo => {
            match rng.below(3) {
                0 => {
                    let _ = write!(s, "{ty} {name} No. {n}");
                }
                1 => {
                    let _ = write!(s, "{ty} {name} no {n}");
                }
                _ => {
                    let _ = write!(s, "{ty} {name} {n}");
                }
            }
            if let Some(u) = unit {
                let _ = write!(s, " RT {:02}/RW {:02}", u % 15 + 1, u % 9 + 1);
            }
        }
    }
    in_script(a.locale, s, script)
}

fn city(a: &Address, script: Script, rng: &mut Rng) -> String {
    let names = data(a.locale)
        .cities
        .get(a.city)
        .map_or(&[][..], |c| c.names);
    if names.len() > 1 && rng.chance(0.12) {
        // Aliases ("Belgrade", "NYC") are written as they are.
        return rng.pick_str(&names[1..]).to_string();
    }
    in_script(
        a.locale,
        names.first().copied().unwrap_or("").to_string(),
        script,
    )
}

fn postcode(a: &Address, typo_p: f64, rng: &mut Rng) -> String {
    let mut pc = match a.locale {
        Locale::Uk if rng.chance(0.25) => a.postcode.replace(' ', ""),
        Locale::Uk if rng.chance(0.05) => a.postcode.to_lowercase(),
        Locale::Greece if rng.chance(0.4) => a.postcode.replace(' ', ""),
        Locale::Us if rng.chance(0.1) => format!("{}-{:04}", a.postcode, a.plus4),
        _ => a.postcode.clone(),
    };
    if rng.chance(typo_p * 0.5) {
        pc = digit_typo(&pc, rng);
    }
    pc
}
