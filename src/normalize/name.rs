//! Person names: titles and honorifics removed, full names split into given and family.

use super::text::normalize_text;
use super::NameParts;

/// A name: [`normalize_text`] plus honorifics and titles removed.
///
/// Titles in English, Indonesian, Romanian and Serbian are recognized at the start
/// (`Mr`, `Dr.`, `Bapak`, `Ibu`, `Hj.`, `Ir.`, `Dl.`, `D-na`, `gđa` …) and academic or
/// generational suffixes at the end (`Jr.`, `PhD`, `S.Kom.`, `S.E.`, `M.M.` …), also
/// when written with dots, commas or spaces. A name made only of titles comes back
/// unchanged when one of them is also a real name (`"Bu"`, `"Ibu"`, `"Pak"`) and empty
/// otherwise (`"Mr."`). The single letter `H.` (Indonesian *Haji*) is removed only when
/// the next word is not an initial, so `"H. G. Wells"` keeps its initials.
///
/// ```
/// use sameas::normalize_name;
/// assert_eq!(normalize_name("Dr. Ion Popescu"), "ion popescu");
/// assert_eq!(normalize_name("Budi Santoso, S.Kom., M.M."), "budi santoso");
/// assert_eq!(normalize_name("Hj. Siti Aminah"), "siti aminah");
/// assert_eq!(normalize_name("Bu"), "bu");
/// assert_eq!(normalize_name("Mr."), "");
/// ```
pub fn normalize_name(raw: &str) -> String {
    let text = normalize_text(raw);
    match strip_titles(&text) {
        Stripped::Unchanged => text,
        Stripped::Kept(s) => s.to_owned(),
        Stripped::AllTitles { keep } => {
            if keep {
                text
            } else {
                String::new()
            }
        }
    }
}

/// Splits a full name into given and family parts (normalized, titles removed).
///
/// Understands `"Family, Given"` (one comma), `"Given [Given …] Family"`, family-name
/// particles kept with the family name (`van`, `von`, `de`, `da`, `bin`, `binti` …),
/// and mononyms (one word: it is the given name and the family part is empty).
/// Comma-separated title groups such as `", S.Kom., M.M."` are not mistaken for the
/// comma form.
///
/// ```
/// use sameas::split_full_name;
/// let p = split_full_name("Popescu, Ion");
/// assert_eq!((p.given.as_str(), p.family.as_str()), ("ion", "popescu"));
/// let p = split_full_name("Ludwig van Beethoven");
/// assert_eq!((p.given.as_str(), p.family.as_str()), ("ludwig", "van beethoven"));
/// let p = split_full_name("Sukarno");
/// assert_eq!((p.given.as_str(), p.family.as_str()), ("sukarno", ""));
/// ```
pub fn split_full_name(raw: &str) -> NameParts {
    let mut segments: Vec<String> = Vec::new();
    for (i, seg) in raw.split([',', '，', '、']).enumerate() {
        let text = normalize_text(seg);
        let kept = match strip_titles(&text) {
            // After a comma, a group made only of suffixes: ", S.Kom. M.M.".
            Stripped::Unchanged if i > 0 && is_suffix_group(&text) => String::new(),
            Stripped::Unchanged => text,
            Stripped::Kept(s) => s.to_owned(),
            // A segment of titles only: after the first comma it is a title group
            // (", S.Kom."); as the first segment it may be a name like "Bu".
            Stripped::AllTitles { keep } => {
                if i == 0 && keep {
                    text
                } else {
                    String::new()
                }
            }
        };
        if !kept.is_empty() {
            segments.push(kept);
        }
    }
    match segments.as_slice() {
        [] => NameParts::default(),
        [one] => split_given_family(one),
        [family, given @ ..] => NameParts {
            given: given.join(" "),
            family: family.clone(),
        },
    }
}

/// Splits a normalized, title-free name written given-first.
fn split_given_family(name: &str) -> NameParts {
    let tokens: Vec<&str> = name.split(' ').collect();
    let Some(last) = tokens.len().checked_sub(1) else {
        return NameParts::default();
    };
    if last == 0 {
        return NameParts {
            given: name.to_owned(),
            family: String::new(),
        };
    }
    let mut start = last;
    while start > 1 && tokens.get(start - 1).is_some_and(|t| is_particle(t)) {
        start -= 1;
    }
    NameParts {
        given: tokens.get(..start).unwrap_or_default().join(" "),
        family: tokens.get(start..).unwrap_or_default().join(" "),
    }
}

fn is_particle(t: &str) -> bool {
    matches!(
        t,
        "van"
            | "von"
            | "der"
            | "den"
            | "de"
            | "del"
            | "della"
            | "dei"
            | "di"
            | "da"
            | "das"
            | "dos"
            | "do"
            | "du"
            | "la"
            | "le"
            | "ter"
            | "ten"
            | "zu"
            | "bin"
            | "binti"
            | "bint"
            | "ibn"
            | "al"
            | "el"
            | "mac"
            | "st"
    )
}

/// Outcome of removing titles from a normalized name.
enum Stripped<'a> {
    /// No title found.
    Unchanged,
    /// Titles removed; the rest.
    Kept(&'a str),
    /// Every word is a title; `keep` when one of them is also a plausible name.
    AllTitles { keep: bool },
}

/// Removes leading titles and trailing suffixes from a normalized name, working on
/// whole words (a title may span several words after punctuation folding: "s kom").
fn strip_titles(text: &str) -> Stripped<'_> {
    if text.is_empty() {
        return Stripped::Unchanged;
    }
    let mut rest = text;
    let mut keep = false;
    // Leading titles.
    while let Some(len) = prefix_title_len(rest) {
        let title = rest.get(..len).unwrap_or("");
        if title_is_also_name(title) {
            keep = true;
        }
        rest = rest.get(len..).unwrap_or("").trim_start_matches(' ');
        if rest.is_empty() {
            break;
        }
    }
    // Trailing suffixes.
    while !rest.is_empty() {
        let Some(len) = suffix_title_len(rest) else {
            break;
        };
        rest = rest
            .get(..rest.len() - len)
            .unwrap_or("")
            .trim_end_matches(' ');
    }
    if rest.len() == text.len() {
        Stripped::Unchanged
    } else if rest.is_empty() {
        Stripped::AllTitles { keep }
    } else {
        Stripped::Kept(rest)
    }
}

fn title_is_also_name(title: &str) -> bool {
    matches!(title, "bu" | "ibu" | "pak" | "h" | "haji" | "nona" | "tuan")
}

/// Leading titles, as normalized word sequences.
const PREFIX_TITLES: &[&str] = &[
    // English
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "mister",
    "madam",
    "dr",
    "doctor",
    "prof",
    "professor",
    "sir",
    "dame",
    "rev",
    "revd",
    "hon",
    "mme",
    "mlle",
    "herr",
    "frau",
    // Indonesian
    "bapak",
    "bpk",
    "bp",
    "ibu",
    "pak",
    "bu",
    "sdr",
    "sdri",
    "saudara",
    "saudari",
    "tn",
    "tuan",
    "ny",
    "nyonya",
    "nn",
    "nona",
    "hj",
    "haji",
    "hajjah",
    "kh",
    "ir",
    "drs",
    "dra",
    "drg",
    // Romanian
    "dl",
    "dna",
    "d na",
    "dnul",
    "d nul",
    "dra",
    "d ra",
    "dsoara",
    "d soara",
    "domnul",
    "doamna",
    "domnisoara",
    "ing",
    "conf",
    "av",
    // Serbian (Latin and, after transliteration, Cyrillic)
    "g din",
    "gdin",
    "g dja",
    "gdja",
    "g da",
    "gda",
    "g dica",
    "gdica",
    "g djica",
    "gdjica",
    "gospodin",
    "gospoda",
    "gospodica",
    "dipl",
    "dipl ing",
];

/// Trailing generational and academic suffixes, as normalized word sequences.
const SUFFIX_TITLES: &[&str] = &[
    // English
    "jr", "sr", "ii", "iii", "iv", "phd", "ph d", "md", "m d", "esq", "mba", "msc", "m sc", "bsc",
    "b sc", "dds", // Indonesian degrees
    "s kom", "skom", "s e", "s h", "s t", "s pd", "spd", "s sos", "ssos", "s ked", "s psi", "s ag",
    "s ip", "s si", "s farm", "s kep", "s ikom", "s i kom", "s ds", "s hum", "s ak", "m m",
    "m kom", "mkom", "m si", "m pd", "m t", "m h", "m hum", "m ag", "m ak", "m kes", "m e", "a md",
    "amd",
];

/// Length in bytes of the title at the start of `text`, if any.
fn prefix_title_len(text: &str) -> Option<usize> {
    if let Some(rest) = text.strip_prefix("h ") {
        // "H." (Haji) only before a word that is not an initial.
        let next = rest.split(' ').next().unwrap_or("");
        if next.chars().count() >= 2 {
            return Some(1);
        }
    }
    PREFIX_TITLES
        .iter()
        .filter(|t| word_prefix(text, t))
        .map(|t| t.len())
        .max()
}

/// Length in bytes of the suffix title at the end of `text`, if any; the part
/// before it must not be empty (a suffix follows a name).
fn suffix_title_len(text: &str) -> Option<usize> {
    SUFFIX_TITLES
        .iter()
        .filter(|t| {
            text.len() > t.len() + 1
                && text.ends_with(*t)
                && text.as_bytes().get(text.len() - t.len() - 1) == Some(&b' ')
        })
        .map(|t| t.len())
        .max()
}

/// Whether `text` is made only of suffix titles ("s kom m m").
fn is_suffix_group(text: &str) -> bool {
    let mut rest = text;
    while !rest.is_empty() {
        let Some(len) = SUFFIX_TITLES
            .iter()
            .filter(|t| {
                rest.ends_with(*t)
                    && matches!(
                        rest.len()
                            .checked_sub(t.len() + 1)
                            .map(|i| rest.as_bytes().get(i)),
                        None | Some(Some(b' '))
                    )
            })
            .map(|t| t.len())
            .max()
        else {
            return false;
        };
        rest = rest
            .get(..rest.len() - len)
            .unwrap_or("")
            .trim_end_matches(' ');
    }
    true
}

/// Whether `text` starts with the whole words `title`.
fn word_prefix(text: &str, title: &str) -> bool {
    text.starts_with(title) && matches!(text.as_bytes().get(title.len()), None | Some(b' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(raw: &str) -> (String, String) {
        let p = split_full_name(raw);
        (p.given, p.family)
    }

    #[test]
    fn titles_removed() {
        assert_eq!(normalize_name("Mr. John Smith Jr."), "john smith");
        assert_eq!(normalize_name("Bapak Budi"), "budi");
        assert_eq!(normalize_name("Ir. H. Joko Widodo"), "joko widodo");
        assert_eq!(normalize_name("D-na Maria Ionescu"), "maria ionescu");
        assert_eq!(normalize_name("Gđa Jelena Petrović"), "jelena petrovic");
        assert_eq!(normalize_name("Г-дин Петар Петровић"), "petar petrovic");
        assert_eq!(normalize_name("Prof. Dr. Ing. Andrei Pop"), "andrei pop");
        assert_eq!(normalize_name("Siti, S.E."), "siti");
    }

    #[test]
    fn names_that_look_like_titles_survive() {
        assert_eq!(normalize_name("Bu"), "bu");
        assert_eq!(normalize_name("Ibu Pak"), "ibu pak");
        assert_eq!(normalize_name("H. G. Wells"), "h g wells");
        assert_eq!(normalize_name("Dr"), "");
        assert_eq!(normalize_name("Jr"), "jr");
    }

    #[test]
    fn splits() {
        assert_eq!(parts("John Smith"), ("john".into(), "smith".into()));
        assert_eq!(parts("Smith, John"), ("john".into(), "smith".into()));
        assert_eq!(
            parts("Maria Elena Popescu"),
            ("maria elena".into(), "popescu".into())
        );
        assert_eq!(
            parts("Jean de la Fontaine"),
            ("jean".into(), "de la fontaine".into())
        );
        assert_eq!(
            parts("Ahmad bin Abdullah"),
            ("ahmad".into(), "bin abdullah".into())
        );
        assert_eq!(
            parts("Budi Santoso, S.Kom."),
            ("budi".into(), "santoso".into())
        );
        assert_eq!(parts("Sukarno"), ("sukarno".into(), String::new()));
        assert_eq!(parts("  "), (String::new(), String::new()));
        assert_eq!(parts(", , ,"), (String::new(), String::new()));
    }
}
