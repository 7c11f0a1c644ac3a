//! Person names: titles and honorifics removed, full names split into given and family.

use super::text::{normalize_text, normalize_text_into};
use super::NameParts;

/// A name: [`normalize_text`] plus honorifics and titles removed.
///
/// Titles in English, German, Indonesian, Romanian, Serbian and Greek are recognized
/// at the start (`Mr`, `Dr.`, `Frau`, `Bapak`, `Ibu`, `Hj.`, `Ir.`, `Dl.`, `D-na`,
/// `gđa`, `κα`, `κ.` …), also written together with the name (`PakSurmat`), and
/// academic or generational suffixes at the end (`Jr.`, `PhD`, `S.Kom.`, `S.E.`,
/// `M.M.` …), also when written with dots, commas or spaces. A name made only of titles comes back
/// unchanged when one of them is also a real name (`"Bu"`, `"Ibu"`, `"Pak"`) and empty
/// otherwise (`"Mr."`): a title alone is a missing name, not a name. The single letter
/// `H.` (Indonesian *Haji*) is removed only when the next word is not an initial, so
/// `"H. G. Wells"` keeps its initials; the same holds for the Serbian `g.`
/// (*gospodin*): `"g. Marko"` is `"marko"`, and so is `"G. Marko"`, where the `G.`
/// might have been an initial (a lone initial before a full given name carries little
/// evidence; a title left in the name would contradict every other spelling of it).
/// `Pak`, `Bu`, `H.`, `g.` and `κ.` are titles only at the start, never at the end.
///
/// The French `M.` (*Monsieur*) is deliberately **not** a title: in Indonesian and
/// Malay data a leading `M.` is far more often the initial of *Muhammad*
/// (`"M. Yusuf"`), and an initial is evidence the comparison can use (see
/// [`name_variant_key`](super::name_variant_key) for `Muh.`, `Moh.`, `Mhd`).
/// Suffix degrees are removed after a comma or without one (`"Budi Santoso SE"`), but
/// never when they are the whole name.
///
/// ```
/// use sameas::normalize::normalize_name;
/// assert_eq!(normalize_name("Dr. Ion Popescu"), "ion popescu");
/// assert_eq!(normalize_name("Budi Santoso, S.Kom., M.M."), "budi santoso");
/// assert_eq!(normalize_name("Hj. Siti Aminah"), "siti aminah");
/// assert_eq!(normalize_name("Bu"), "bu");
/// assert_eq!(normalize_name("Mr."), "");
/// assert_eq!(normalize_name("Г-ђа Ђурђа Ђорђевић"), "djurdja djordjevic");
/// assert_eq!(normalize_name("g. Marko Marković"), "marko markovic");
/// assert_eq!(normalize_name("G. M. Petrović"), "g m petrovic");
/// assert_eq!(normalize_name("M. Yusuf"), "m yusuf");
/// assert_eq!(normalize_name("κα Σοφία"), "sofia");
/// assert_eq!(normalize_name("PakSurmat"), "surmat");
/// assert_eq!(normalize_name("McDonald"), "mcdonald");
/// ```
pub fn normalize_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    normalize_name_into(raw, &mut out);
    out
}

/// [`normalize_name`] appended to `out` (what was in `out` before is left alone).
pub(crate) fn normalize_name_into(raw: &str, out: &mut String) {
    let start = out.len();
    normalize_text_into(&unglue_leading_title(raw), out);
    match strip_titles(out.get(start..).unwrap_or_default()) {
        Stripped::Unchanged | Stripped::AllTitles { keep: true } => {}
        Stripped::Kept(range) => {
            // In place: the range starts and ends at word boundaries (ASCII spaces).
            let (from, to) = (start + range.start, start + range.end);
            if out.is_char_boundary(from) && out.is_char_boundary(to) {
                out.truncate(to);
                out.drain(start..from);
            } else {
                out.truncate(start);
            }
        }
        Stripped::AllTitles { keep: false } => out.truncate(start),
    }
}

/// Splits a full name into given and family parts (normalized, titles removed).
///
/// Understands `"Family, Given"` (one comma), `"Given [Given …] Family"`, the family
/// name in capitals in a name otherwise not (`"POPESCU Ion"`), family-name
/// particles kept with the family name (`van`, `von`, `de`, `da`, `bin`, `binti` …),
/// and mononyms (one word: it is the given name and the family part is empty).
/// Comma-separated title groups such as `", S.Kom., M.M."` are not mistaken for the
/// comma form.
///
/// ```
/// use sameas::normalize::split_full_name;
/// let p = split_full_name("Popescu, Ion");
/// assert_eq!((p.given.as_str(), p.family.as_str()), ("ion", "popescu"));
/// let p = split_full_name("Ludwig van Beethoven");
/// assert_eq!((p.given.as_str(), p.family.as_str()), ("ludwig", "van beethoven"));
/// let p = split_full_name("POPESCU Ion");
/// assert_eq!((p.given.as_str(), p.family.as_str()), ("ion", "popescu"));
/// let p = split_full_name("Sukarno");
/// assert_eq!((p.given.as_str(), p.family.as_str()), ("sukarno", ""));
/// ```
pub fn split_full_name(raw: &str) -> NameParts {
    let mut segments: Vec<String> = Vec::new();
    for (i, seg) in raw.split([',', '，', '、']).enumerate() {
        let text = normalize_text(&unglue_leading_title(seg));
        let kept = match strip_titles(&text) {
            // After a comma, a group made only of suffixes: ", S.Kom. M.M.".
            Stripped::Unchanged if i > 0 && is_suffix_group(&text) => String::new(),
            Stripped::Unchanged => text,
            Stripped::Kept(range) => text.get(range).unwrap_or_default().to_owned(),
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
        [one] => capitalised_family(raw, one).unwrap_or_else(|| split_given_family(one)),
        [family, given @ ..] => NameParts {
            given: given.join(" "),
            family: family.clone(),
        },
    }
}

/// The split of `name` (normalized, title-free) by the forms' convention of writing
/// the family name in capitals in a name that is otherwise not (`POPESCU Ion`, `Jean
/// DUPONT`, `Budi SANTOSO`): the family name is the words of `raw` written in
/// capitals (three or more letters, no Roman numeral) with the particles just before
/// them (`van BEETHOVEN`), the given name the others, each in its order. `None`
/// when the name is not so written (all in one case, no such word, or one side
/// empty) or when `name` is not found among the words of `raw` (a title stripped
/// from inside it).
fn capitalised_family(raw: &str, name: &str) -> Option<NameParts> {
    if !raw.chars().any(char::is_lowercase) {
        return None;
    }
    // Each normalized word of `raw`, and whether it is written in capitals.
    let words: Vec<(String, bool)> = raw
        .split_whitespace()
        .flat_map(|w| {
            // Every letter a capital (ß has none): scripts without case never are.
            let capitals = w
                .chars()
                .filter(|&c| c.is_alphabetic() && c != 'ß')
                .all(char::is_uppercase);
            normalize_text(w)
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(|t| (t.to_owned(), capitals && is_family_in_capitals(t)))
                .collect::<Vec<_>>()
        })
        .collect();
    let tokens: Vec<&str> = name.split(' ').collect();
    let start = (0..=words.len().checked_sub(tokens.len())?)
        .find(|&s| tokens.iter().zip(&words[s..]).all(|(t, (w, _))| t == w))?;
    let mut in_family: Vec<bool> = words[start..start + tokens.len()]
        .iter()
        .map(|(_, capitals)| *capitals)
        .collect();
    // Particles just before the capitals belong to them: `Ludwig van BEETHOVEN`.
    for i in (0..tokens.len().saturating_sub(1)).rev() {
        if !in_family[i] && in_family[i + 1] && is_particle(tokens[i]) {
            in_family[i] = true;
        }
    }
    let part = |family: bool| {
        let words = tokens.iter().zip(&in_family).filter(|(_, &f)| f == family);
        words.map(|(t, _)| *t).collect::<Vec<_>>().join(" ")
    };
    let (given, family) = (part(false), part(true));
    (!family.is_empty() && !given.is_empty()).then_some(NameParts { given, family })
}

/// Whether a word written in capitals (normalized `word`) reads as a family name:
/// three letters or more (`AJ Smith`, `JJ Abrams` are initials) and not a Roman
/// numeral (`Henry VIII`).
fn is_family_in_capitals(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let roman = word.chars().all(|c| "ivxlcdm".contains(c));
    letters >= 3 && !roman
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

/// `raw` with a space after a leading title written together with the capitalized
/// name after it ("PakSurmat", "DomnulMarică", "DrSmith"): case tells where the title
/// ends, which normalizing loses. Only a known title is split off, so "McDonald" and
/// "DeVito" stay whole.
fn unglue_leading_title(raw: &str) -> std::borrow::Cow<'_, str> {
    // Most names have no lower-case letter followed by a capital anywhere.
    let glued = |w: &[u8]| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase();
    if raw.is_ascii() && !raw.as_bytes().windows(2).any(glued) {
        return raw.into();
    }
    let lead = raw.len() - raw.trim_start().len();
    let word = raw[lead..].split(char::is_whitespace).next().unwrap_or("");
    let mut prev_lower = false;
    for (i, c) in word.char_indices() {
        if prev_lower && c.is_uppercase() {
            let head = &word[..i];
            if is_prefix_title(&normalize_text(head)) {
                let at = lead + i;
                return format!("{} {}", &raw[..at], &raw[at..]).into();
            }
            break;
        }
        prev_lower = c.is_lowercase();
    }
    raw.into()
}

/// Outcome of removing titles from a normalized name.
enum Stripped {
    /// No title found.
    Unchanged,
    /// Titles removed; the rest is this byte range of the input.
    Kept(std::ops::Range<usize>),
    /// Every word is a title; `keep` when one of them is also a plausible name.
    AllTitles { keep: bool },
}

/// Removes leading titles and trailing suffixes from a normalized name, working on
/// whole words (a title may span two words after punctuation folding: "s kom").
fn strip_titles(text: &str) -> Stripped {
    let mut start = 0usize;
    let mut end = text.len();
    let mut keep = false;
    // Leading titles.
    while let Some(len) = text.get(start..end).and_then(prefix_title_len) {
        if text.get(start..start + len).is_some_and(title_is_also_name) {
            keep = true;
        }
        start = (start + len + 1).min(end);
    }
    // Trailing suffixes (never the whole rest: a suffix follows a name).
    while let Some(len) = text
        .get(start..end)
        .and_then(|r| suffix_title_len(r, false))
    {
        end -= len + 1;
    }
    if start == 0 && end == text.len() {
        Stripped::Unchanged
    } else if start >= end {
        Stripped::AllTitles { keep }
    } else {
        Stripped::Kept(start..end)
    }
}

fn title_is_also_name(title: &str) -> bool {
    matches!(title, "bu" | "ibu" | "pak" | "h" | "haji" | "nona" | "tuan")
}

/// The first word of `text` and the one after it.
fn first_two_words(text: &str) -> (&str, Option<&str>) {
    match text.split_once(' ') {
        Some((w1, rest)) => (w1, Some(rest.split(' ').next().unwrap_or(rest))),
        None => (text, None),
    }
}

/// The last word of `text` and the one before it.
fn last_two_words(text: &str) -> (Option<&str>, &str) {
    match text.rsplit_once(' ') {
        Some((rest, wn)) => (Some(rest.rsplit(' ').next().unwrap_or(rest)), wn),
        None => (None, text),
    }
}

/// Length in bytes of the title at the start of `text`, if any.
fn prefix_title_len(text: &str) -> Option<usize> {
    let (w1, w2) = first_two_words(text);
    if let Some(w2) = w2 {
        if is_two_word_prefix(w1, w2) {
            return Some(w1.len() + 1 + w2.len());
        }
        // "H." (Haji), the Serbian "g." (gospodin) and the Greek "κ." (kyrios) only
        // before a word that is not an initial ("H. G. Wells" keeps its initials).
        if matches!(w1, "h" | "g" | "k") && w2.chars().nth(1).is_some() {
            return Some(1);
        }
    }
    is_prefix_title(w1).then_some(w1.len())
}

/// Length in bytes of the suffix title at the end of `text`, if any. Unless
/// `whole` is set, something must remain before the suffix.
fn suffix_title_len(text: &str, whole: bool) -> Option<usize> {
    let (w1, w2) = last_two_words(text);
    if let Some(w1) = w1 {
        let len = w1.len() + 1 + w2.len();
        if is_two_word_suffix(w1, w2) && (whole || len < text.len()) {
            return Some(len);
        }
    }
    let rest = text.len().saturating_sub(w2.len() + 1);
    let enough_before = match w2 {
        // Also a syllable of a name (Korean `Jun Se`): a degree only after two words.
        "se" => text.get(..rest).is_some_and(|r| r.contains(' ')),
        _ => w2.len() < text.len(),
    };
    (is_suffix_title(w2) && (whole || enough_before)).then_some(w2.len())
}

/// Whether `text` is made only of suffix titles ("s kom m m").
fn is_suffix_group(text: &str) -> bool {
    let mut end = text.len();
    while end > 0 {
        match text.get(..end).and_then(|r| suffix_title_len(r, true)) {
            Some(len) => end = end.saturating_sub(len + 1),
            None => return false,
        }
    }
    true
}

/// Leading one-word titles: English, German, Indonesian, Romanian, Serbian, Greek.
fn is_prefix_title(w: &str) -> bool {
    matches!(
        w,
        // English
        "mr" | "mrs" | "ms" | "miss" | "mx" | "mister" | "madam" | "dr" | "doctor" | "prof"
            | "professor" | "sir" | "dame" | "rev" | "revd" | "hon" | "mme" | "mlle" | "herr"
            | "frau" | "hr" | "fr"
            // Indonesian
            | "bapak" | "bpk" | "bp" | "ibu" | "pak" | "bu" | "sdr" | "sdri" | "saudara"
            | "saudari" | "tn" | "tuan" | "ny" | "nyonya" | "nn" | "nona" | "hj" | "haji"
            | "hajjah" | "kh" | "ir" | "drs" | "dra" | "drg" | "iboe"
            // Romanian
            | "dl" | "dna" | "dnul" | "dsoara" | "domnul" | "doamna" | "domnisoara" | "ing"
            | "conf" | "av"
            // Serbian (Latin, and Cyrillic after transliteration)
            | "gdin" | "gdja" | "gda" | "gdica" | "gdjica" | "gospodin" | "gospoda"
            | "gospodja" | "gospodica" | "gospodjica" | "dipl" | "inz"
            // Romanian genitive/dative forms ("dlui Popescu")
            | "dlui" | "dnei"
            // Greek, after transliteration: κα, κος, κυρία, κύριος, δις, δνις
            | "ka" | "kos" | "kyria" | "kyrios" | "kiria" | "kirios" | "dis" | "dnis"
    )
}

/// Leading two-word titles (abbreviations with a hyphen or dot inside).
fn is_two_word_prefix(w1: &str, w2: &str) -> bool {
    matches!(
        (w1, w2),
        ("d", "na" | "nul" | "ra" | "soara" | "lui" | "nei")
            | ("g", "din" | "dja" | "da" | "dica" | "djica")
            | ("dipl", "ing" | "inz")
    )
}

/// Trailing one-word suffixes: generational and academic.
fn is_suffix_title(w: &str) -> bool {
    matches!(
        w,
        "jr" | "sr"
            | "ii"
            | "iii"
            | "iv"
            | "phd"
            | "md"
            | "esq"
            | "mba"
            | "msc"
            | "bsc"
            | "dds"
            | "skom"
            | "spd"
            | "se"
            | "sh"
            | "st"
            | "mm"
            | "msi"
            | "mpd"
            | "mh"
            | "ssi"
            | "sip"
            | "ssos"
            | "mkom"
            | "amd"
    )
}

/// Trailing two-word suffixes: dotted degrees ("Ph.D.", Indonesian "S.Kom.", "M.M.").
fn is_two_word_suffix(w1: &str, w2: &str) -> bool {
    matches!(
        (w1, w2),
        ("ph", "d")
            | (
                "m",
                "d" | "sc"
                    | "m"
                    | "kom"
                    | "si"
                    | "pd"
                    | "t"
                    | "h"
                    | "hum"
                    | "ag"
                    | "ak"
                    | "kes"
                    | "e"
            )
            | ("b", "sc")
            | (
                "s",
                "kom"
                    | "e"
                    | "h"
                    | "t"
                    | "pd"
                    | "sos"
                    | "ked"
                    | "psi"
                    | "ag"
                    | "ip"
                    | "si"
                    | "farm"
                    | "kep"
                    | "ikom"
                    | "ds"
                    | "hum"
                    | "ak"
            )
            | ("a", "md")
    )
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
