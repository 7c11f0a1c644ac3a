//! Street addresses, postcodes, countries and identifiers.

use super::text::{normalize_text, normalize_text_into};
use smallvec::SmallVec;

/// A street address with street-type abbreviations expanded and house numbers kept.
///
/// After [`normalize_text`], abbreviations are expanded word by word: English (`st` →
/// `street`, `rd` → `road`, `ave` → `avenue`, `apt` → `apartment` …), Indonesian (`jl`,
/// `jln` → `jalan`, `gg` → `gang`, `no` → `nomor`), Romanian (`str` → `strada`, `nr` →
/// `numar`, `bd`/`bdul`/`b-dul` → `bulevardul`, `bl` → `bloc`, `ap` → `apartament` …),
/// Serbian (`ul` → `ulica`, `bul` → `bulevar`, `br` → `broj`) and German (`hauptstr` →
/// `hauptstrasse`). `st` before a name (`St James St`) becomes `saint`, and `dr` after a
/// street word and before a name (`Str. Dr. Ion Rațiu`) stays `dr` (doctor). House
/// numbers such as `12a` are kept as written.
///
/// ```
/// use sameas::normalize::normalize_address;
/// assert_eq!(normalize_address("Jl. Merdeka No. 12A"), "jalan merdeka nomor 12a");
/// assert_eq!(normalize_address("Str. Lipscani nr. 5, bl. A2"), "strada lipscani numar 5 bloc a2");
/// assert_eq!(normalize_address("Ул. Кнеза Милоша бр. 7"), "ulica kneza milosa broj 7");
/// assert_eq!(normalize_address("12 St James St"), "12 saint james street");
/// ```
pub fn normalize_address(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 16);
    normalize_address_into(raw, &mut out);
    out
}

/// [`normalize_address`] appended to `out`.
pub(crate) fn normalize_address_into(raw: &str, out: &mut String) {
    let text = normalize_text(raw);
    // Pass 1: merge two-word abbreviations and expand the unambiguous ones.
    let mut words: SmallVec<[&str; 16]> = SmallVec::new();
    let mut owned: Vec<(usize, String)> = Vec::new();
    let mut it = text.split(' ').filter(|w| !w.is_empty()).peekable();
    while let Some(w) = it.next() {
        if let Some(&next) = it.peek() {
            if let Some(joined) = expand_pair(w, next) {
                it.next();
                words.push(joined);
                continue;
            }
        }
        match expand(w) {
            Some(e) => words.push(e),
            None => {
                if let Some(stem) = german_str(w) {
                    owned.push((words.len(), format!("{stem}strasse")));
                }
                words.push(w);
            }
        }
    }
    // Pass 2: context-dependent `st` and `dr`.
    let start = out.len();
    let mut owned_iter = owned.iter().peekable();
    for i in 0..words.len() {
        let w = words.get(i).copied().unwrap_or("");
        let prev = i.checked_sub(1).and_then(|j| words.get(j)).copied();
        let next = words.get(i + 1).copied();
        let word: &str = match w {
            "st" => {
                if ends_street(next) || !starts_name(prev) {
                    "street"
                } else {
                    "saint"
                }
            }
            "dr" => {
                if ends_street(next) || !(starts_name(prev) || prev.is_some_and(is_street_word)) {
                    "drive"
                } else {
                    "dr"
                }
            }
            _ => match owned_iter.peek() {
                Some((j, s)) if *j == i => {
                    owned_iter.next();
                    s.as_str()
                }
                _ => w,
            },
        };
        if out.len() > start {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Whether the word after `st`/`dr` shows it ends a street name (nothing, a number,
/// or a unit word follows).
fn ends_street(next: Option<&str>) -> bool {
    match next {
        None => true,
        Some(w) => {
            w.starts_with(|c: char| c.is_ascii_digit())
                || matches!(
                    w,
                    "apartment"
                        | "suite"
                        | "unit"
                        | "floor"
                        | "building"
                        | "nomor"
                        | "numar"
                        | "broj"
                        | "number"
                )
        }
    }
}

/// Whether a word before `st`/`dr` lets it start a name (nothing or a number before).
fn starts_name(prev: Option<&str>) -> bool {
    match prev {
        None => true,
        Some(w) => w.starts_with(|c: char| c.is_ascii_digit()),
    }
}

fn is_street_word(w: &str) -> bool {
    matches!(
        w,
        "strada"
            | "ulica"
            | "jalan"
            | "bulevardul"
            | "bulevar"
            | "calea"
            | "soseaua"
            | "aleea"
            | "piata"
            | "splaiul"
            | "intrarea"
            | "street"
            | "road"
            | "avenue"
            | "boulevard"
    )
}

fn expand_pair(a: &str, b: &str) -> Option<&'static str> {
    Some(match (a, b) {
        ("b", "dul") => "bulevardul",
        ("p", "ta") | ("pta", "ta") => "piata",
        _ => return None,
    })
}

fn expand(w: &str) -> Option<&'static str> {
    Some(match w {
        // English
        "rd" => "road",
        "ave" | "av" | "avn" => "avenue",
        "blvd" | "boul" => "boulevard",
        "ln" => "lane",
        "apt" | "apts" => "apartment",
        "ste" => "suite",
        "fl" | "flr" => "floor",
        "bldg" => "building",
        "hwy" => "highway",
        "sq" => "square",
        "ct" => "court",
        "pl" => "place",
        "pkwy" => "parkway",
        "cres" => "crescent",
        "ter" | "terr" => "terrace",
        "cir" => "circle",
        "hts" => "heights",
        "mt" => "mount",
        // Indonesian
        "jl" | "jln" => "jalan",
        "gg" => "gang",
        "no" => "nomor",
        "kel" => "kelurahan",
        "kec" => "kecamatan",
        "kab" => "kabupaten",
        "blk" => "blok",
        "komp" => "kompleks",
        "perum" => "perumahan",
        // Romanian
        "str" => "strada",
        "nr" => "numar",
        "bd" | "bdul" | "bld" => "bulevardul",
        "sos" => "soseaua",
        "bl" => "bloc",
        "sc" => "scara",
        "ap" => "apartament",
        "et" => "etaj",
        "cal" => "calea",
        "spl" => "splaiul",
        "al" => "aleea",
        "int" => "intrarea",
        "jud" => "judetul",
        "sect" => "sector",
        // Serbian
        "ul" => "ulica",
        "bul" | "bulev" => "bulevar",
        "br" => "broj",
        _ => return None,
    })
}

/// The stem of a German street name written with `str` attached (`hauptstr` → `haupt`).
fn german_str(w: &str) -> Option<&str> {
    let stem = w.strip_suffix("str")?;
    (stem.len() >= 3 && stem.chars().all(char::is_alphabetic)).then_some(stem)
}

/// A postcode: letters and digits only, lower-cased, spaces removed; a number a data
/// frame wrote as a float loses its `.0` ([`super::without_float_tail`]).
///
/// ```
/// use sameas::normalize::normalize_postcode;
/// assert_eq!(normalize_postcode("SW1A 1AA"), "sw1a1aa");
/// assert_eq!(normalize_postcode("010-011"), "010011");
/// assert_eq!(normalize_postcode("80150.0"), "80150");
/// ```
pub fn normalize_postcode(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    normalize_postcode_into(raw, &mut s);
    s
}

/// [`normalize_postcode`] (and [`normalize_identifier`]) appended to `out`.
pub(crate) fn normalize_postcode_into(raw: &str, out: &mut String) {
    let start = out.len();
    normalize_text_into(super::without_float_tail(raw), out);
    // The spaces removed in place, as `retain` would on the appended part alone.
    let mut kept = start;
    while let Some(space) = out.get(kept..).and_then(|s| s.find(' ')) {
        out.remove(kept + space);
        kept += space;
    }
}

/// An identifier (loyalty or customer number, device ID): letters and digits only,
/// case-folded, so `"CUST-00123"` and `"cust 00123"` meet. Leading zeros are kept.
pub fn normalize_identifier(raw: &str) -> String {
    normalize_postcode(raw)
}

/// A city name: [`normalize_text`].
pub fn normalize_city(raw: &str) -> String {
    normalize_text(raw)
}

/// A country: common names and ISO codes mapped to the lower-case ISO 3166 alpha-2
/// code; anything else is returned as [`normalize_text`] gives it.
///
/// ```
/// use sameas::normalize::normalize_country;
/// assert_eq!(normalize_country("România"), "ro");
/// assert_eq!(normalize_country("SRB"), "rs");
/// assert_eq!(normalize_country("United Kingdom"), "gb");
/// assert_eq!(normalize_country("Atlantis"), "atlantis");
/// assert_eq!(normalize_country("the the t t"), "t t");
/// ```
pub fn normalize_country(raw: &str) -> String {
    let text = normalize_text(raw);
    // Every leading "the" goes ("The Netherlands"), not just one, so that the result
    // never starts with "the " and normalizing it again changes nothing.
    let mut rest = text.as_str();
    while let Some(r) = rest.strip_prefix("the ") {
        rest = r;
    }
    let text = rest;
    match COUNTRY_NAMES.binary_search_by(|(name, _)| name.cmp(&text)) {
        Ok(i) => COUNTRY_NAMES
            .get(i)
            .map_or_else(|| text.to_owned(), |(_, code)| (*code).to_owned()),
        Err(_) => text.to_owned(),
    }
}

/// Folded country names and codes → alpha-2, sorted by name (checked by a test).
const COUNTRY_NAMES: &[(&str, &str)] = &[
    ("al", "al"),
    ("alb", "al"),
    ("albania", "al"),
    ("ar", "ar"),
    ("are", "ae"),
    ("arg", "ar"),
    ("argentina", "ar"),
    ("at", "at"),
    ("au", "au"),
    ("aus", "au"),
    ("australia", "au"),
    ("austria", "at"),
    ("ba", "ba"),
    ("be", "be"),
    ("bel", "be"),
    ("belgia", "be"),
    ("belgie", "be"),
    ("belgique", "be"),
    ("belgium", "be"),
    ("bg", "bg"),
    ("bgr", "bg"),
    ("bih", "ba"),
    ("bosna i hercegovina", "ba"),
    ("bosnia and herzegovina", "ba"),
    ("br", "br"),
    ("bra", "br"),
    ("brasil", "br"),
    ("brazil", "br"),
    ("bulgaria", "bg"),
    ("ca", "ca"),
    ("can", "ca"),
    ("canada", "ca"),
    ("ch", "ch"),
    ("che", "ch"),
    ("china", "cn"),
    ("chn", "cn"),
    ("cn", "cn"),
    ("crna gora", "me"),
    ("cz", "cz"),
    ("cze", "cz"),
    ("czech republic", "cz"),
    ("czechia", "cz"),
    ("de", "de"),
    ("denmark", "dk"),
    ("deu", "de"),
    ("deutschland", "de"),
    ("dk", "dk"),
    ("dnk", "dk"),
    ("ee", "ee"),
    ("eg", "eg"),
    ("egy", "eg"),
    ("egypt", "eg"),
    ("es", "es"),
    ("esp", "es"),
    ("espana", "es"),
    ("est", "ee"),
    ("estonia", "ee"),
    ("fi", "fi"),
    ("fin", "fi"),
    ("finland", "fi"),
    ("fr", "fr"),
    ("fra", "fr"),
    ("france", "fr"),
    ("francuska", "fr"),
    ("franta", "fr"),
    ("gb", "gb"),
    ("gbr", "gb"),
    ("germania", "de"),
    ("germany", "de"),
    ("gr", "gr"),
    ("grc", "gr"),
    ("great britain", "gb"),
    ("grecia", "gr"),
    ("greece", "gr"),
    ("hellas", "gr"),
    ("hr", "hr"),
    ("hrv", "hr"),
    ("hrvatska", "hr"),
    ("hu", "hu"),
    ("hun", "hu"),
    ("hungary", "hu"),
    ("id", "id"),
    ("idn", "id"),
    ("ie", "ie"),
    ("il", "il"),
    ("in", "in"),
    ("ind", "in"),
    ("india", "in"),
    ("indonesia", "id"),
    ("ireland", "ie"),
    ("irl", "ie"),
    ("isr", "il"),
    ("israel", "il"),
    ("it", "it"),
    ("ita", "it"),
    ("italia", "it"),
    ("italija", "it"),
    ("italy", "it"),
    ("japan", "jp"),
    ("jerman", "de"),
    ("jp", "jp"),
    ("jpn", "jp"),
    ("kor", "kr"),
    ("kr", "kr"),
    ("latvia", "lv"),
    ("lithuania", "lt"),
    ("lt", "lt"),
    ("ltu", "lt"),
    ("lu", "lu"),
    ("lux", "lu"),
    ("luxembourg", "lu"),
    ("lv", "lv"),
    ("lva", "lv"),
    ("macedonia", "mk"),
    ("magyarorszag", "hu"),
    ("makedonija", "mk"),
    ("malaysia", "my"),
    ("md", "md"),
    ("mda", "md"),
    ("me", "me"),
    ("mex", "mx"),
    ("mexico", "mx"),
    ("mk", "mk"),
    ("mkd", "mk"),
    ("mne", "me"),
    ("moldova", "md"),
    ("montenegro", "me"),
    ("mx", "mx"),
    ("my", "my"),
    ("mys", "my"),
    ("nederland", "nl"),
    ("nemacka", "de"),
    ("netherlands", "nl"),
    ("new zealand", "nz"),
    ("ng", "ng"),
    ("nga", "ng"),
    ("nigeria", "ng"),
    ("nl", "nl"),
    ("nld", "nl"),
    ("no", "no"),
    ("nor", "no"),
    ("north macedonia", "mk"),
    ("norway", "no"),
    ("nz", "nz"),
    ("nzl", "nz"),
    ("osterreich", "at"),
    ("ph", "ph"),
    ("philippines", "ph"),
    ("phl", "ph"),
    ("pl", "pl"),
    ("pol", "pl"),
    ("poland", "pl"),
    ("polska", "pl"),
    ("portugal", "pt"),
    ("prt", "pt"),
    ("pt", "pt"),
    ("republic of moldova", "md"),
    ("ro", "ro"),
    ("romania", "ro"),
    ("rou", "ro"),
    ("rs", "rs"),
    ("ru", "ru"),
    ("rumunija", "ro"),
    ("rus", "ru"),
    ("russia", "ru"),
    ("russian federation", "ru"),
    ("sa", "sa"),
    ("sau", "sa"),
    ("saudi arabia", "sa"),
    ("se", "se"),
    ("serbia", "rs"),
    ("sg", "sg"),
    ("sgp", "sg"),
    ("si", "si"),
    ("singapore", "sg"),
    ("sk", "sk"),
    ("slovakia", "sk"),
    ("slovenia", "si"),
    ("slovenija", "si"),
    ("south africa", "za"),
    ("south korea", "kr"),
    ("spain", "es"),
    ("srb", "rs"),
    ("srbija", "rs"),
    ("sverige", "se"),
    ("svk", "sk"),
    ("svn", "si"),
    ("swe", "se"),
    ("sweden", "se"),
    ("switzerland", "ch"),
    ("th", "th"),
    ("tha", "th"),
    ("thailand", "th"),
    ("tr", "tr"),
    ("tur", "tr"),
    ("turkey", "tr"),
    ("turkiye", "tr"),
    ("ua", "ua"),
    ("uae", "ae"),
    ("uk", "gb"),
    ("ukr", "ua"),
    ("ukraina", "ua"),
    ("ukraine", "ua"),
    ("united arab emirates", "ae"),
    ("united kingdom", "gb"),
    ("united states", "us"),
    ("united states of america", "us"),
    ("us", "us"),
    ("usa", "us"),
    ("vietnam", "vn"),
    ("vn", "vn"),
    ("vnm", "vn"),
    ("za", "za"),
    ("zaf", "za"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_table_sorted_and_self_mapping() {
        for pair in COUNTRY_NAMES.windows(2) {
            if let [a, b] = pair {
                assert!(a.0 < b.0, "{} !< {}", a.0, b.0);
            }
        }
        for (name, code) in COUNTRY_NAMES {
            assert_eq!(normalize_text(name), *name);
            assert_eq!(normalize_country(code), *code, "code {code} maps to itself");
        }
    }

    #[test]
    fn addresses() {
        assert_eq!(
            normalize_address("123 Main St. Apt 4B"),
            "123 main street apartment 4b"
        );
        assert_eq!(normalize_address("12 Oak Dr"), "12 oak drive");
        assert_eq!(
            normalize_address("Str. Dr. Ion Rațiu 5"),
            "strada dr ion ratiu 5"
        );
        assert_eq!(
            normalize_address("B-dul Unirii nr 1"),
            "bulevardul unirii numar 1"
        );
        assert_eq!(normalize_address("Gg. Mawar No.3"), "gang mawar nomor 3");
        assert_eq!(normalize_address("Hauptstr. 5"), "hauptstrasse 5");
        assert_eq!(normalize_address("Hauptstraße 5"), "hauptstrasse 5");
        assert_eq!(
            normalize_address("Bul. kralja Aleksandra 73"),
            "bulevar kralja aleksandra 73"
        );
        assert_eq!(normalize_address(""), "");
    }
}
