//! Text variants real systems produce: scripts, diacritic handling, case, typos.

use super::rng::Rng;

/// How a Serbian, Romanian, German or Greek value is written in one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// As stored in the tables (Latin with diacritics, or Greek script for Greek).
    Native,
    /// Serbian Cyrillic / Romanian cedilla (ş ţ) / German ae-oe-ue-ss expansions /
    /// Greek Latin transliteration.
    Alternate,
    /// Plain ASCII (diacritics stripped; Greek transliterated).
    Ascii,
}

/// Serbian Latin (Gaj) to Cyrillic, with the digraphs lj, nj and dž.
pub(crate) fn serbian_cyrillic(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let digraph = match (c, next) {
            ('l', 'j') => Some('љ'),
            ('L', 'j' | 'J') => Some('Љ'),
            ('n', 'j') => Some('њ'),
            ('N', 'j' | 'J') => Some('Њ'),
            ('d', 'ž') => Some('џ'),
            ('D', 'ž' | 'Ž') => Some('Џ'),
            _ => None,
        };
        if let Some(d) = digraph {
            out.push(d);
            i += 2;
            continue;
        }
        let mapped = match c {
            'a' => 'а',
            'b' => 'б',
            'c' => 'ц',
            'č' => 'ч',
            'ć' => 'ћ',
            'd' => 'д',
            'đ' => 'ђ',
            'e' => 'е',
            'f' => 'ф',
            'g' => 'г',
            'h' => 'х',
            'i' => 'и',
            'j' => 'ј',
            'k' => 'к',
            'l' => 'л',
            'm' => 'м',
            'n' => 'н',
            'o' => 'о',
            'p' => 'п',
            'r' => 'р',
            's' => 'с',
            'š' => 'ш',
            't' => 'т',
            'u' => 'у',
            'v' => 'в',
            'z' => 'з',
            'ž' => 'ж',
            'A' => 'А',
            'B' => 'Б',
            'C' => 'Ц',
            'Č' => 'Ч',
            'Ć' => 'Ћ',
            'D' => 'Д',
            'Đ' => 'Ђ',
            'E' => 'Е',
            'F' => 'Ф',
            'G' => 'Г',
            'H' => 'Х',
            'I' => 'И',
            'J' => 'Ј',
            'K' => 'К',
            'L' => 'Л',
            'M' => 'М',
            'N' => 'Н',
            'O' => 'О',
            'P' => 'П',
            'R' => 'Р',
            'S' => 'С',
            'Š' => 'Ш',
            'T' => 'Т',
            'U' => 'У',
            'V' => 'В',
            'Z' => 'З',
            'Ž' => 'Ж',
            other => other,
        };
        out.push(mapped);
        i += 1;
    }
    out
}

/// Greek script to Latin, letter by letter with the common digraphs (ου, αυ, ευ, γγ).
pub(crate) fn greek_latin(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let lower = greek_base(c);
        let upper = c.is_uppercase();
        let next = chars.get(i + 1).map(|&n| greek_base(n));
        let pair = match (lower, next) {
            ('ο', Some('υ')) => Some("ou"),
            ('α', Some('υ')) => Some("av"),
            ('ε', Some('υ')) => Some("ev"),
            ('γ', Some('γ')) => Some("ng"),
            _ => None,
        };
        let (latin, step) = match pair {
            Some(p) => (p, 2),
            None => (greek_letter(lower), 1),
        };
        if upper {
            let mut it = latin.chars();
            if let Some(f) = it.next() {
                out.extend(f.to_uppercase());
                out.push_str(it.as_str());
            }
        } else {
            out.push_str(latin);
        }
        i += step;
    }
    out
}

/// Lowercase Greek letter without accent (other characters unchanged in case).
fn greek_base(c: char) -> char {
    match c {
        'ά' | 'Ά' | 'Α' => 'α',
        'έ' | 'Έ' | 'Ε' => 'ε',
        'ή' | 'Ή' | 'Η' => 'η',
        'ί' | 'Ί' | 'ϊ' | 'ΐ' | 'Ι' => 'ι',
        'ό' | 'Ό' | 'Ο' => 'ο',
        'ύ' | 'Ύ' | 'ϋ' | 'Υ' => 'υ',
        'ώ' | 'Ώ' | 'Ω' => 'ω',
        'ς' => 'σ',
        c if ('Α'..='Ω').contains(&c) => c.to_lowercase().next().unwrap_or(c),
        c => c,
    }
}

fn greek_letter(c: char) -> &'static str {
    match c {
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        ' ' => " ",
        '.' => ".",
        '-' => "-",
        '0' => "0",
        '1' => "1",
        '2' => "2",
        '3' => "3",
        '4' => "4",
        '5' => "5",
        '6' => "6",
        '7' => "7",
        '8' => "8",
        '9' => "9",
        _ => "",
    }
}

/// Strips the Latin diacritics of the locales we generate (đ → dj, ß → ss).
pub(crate) fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'č' | 'ć' => out.push('c'),
            'Č' | 'Ć' => out.push('C'),
            'š' | 'ș' | 'ş' => out.push('s'),
            'Š' | 'Ș' | 'Ş' => out.push('S'),
            'ž' => out.push('z'),
            'Ž' => out.push('Z'),
            'đ' => out.push_str("dj"),
            'Đ' => out.push_str("Dj"),
            'ț' | 'ţ' => out.push('t'),
            'Ț' | 'Ţ' => out.push('T'),
            'ă' | 'â' | 'ä' => out.push('a'),
            'Ă' | 'Â' | 'Ä' => out.push('A'),
            'î' => out.push('i'),
            'Î' => out.push('I'),
            'ö' => out.push('o'),
            'Ö' => out.push('O'),
            'ü' => out.push('u'),
            'Ü' => out.push('U'),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// Romanian comma-below letters to the legacy cedilla forms (ș → ş, ț → ţ).
pub(crate) fn romanian_cedilla(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ș' => 'ş',
            'Ș' => 'Ş',
            'ț' => 'ţ',
            'Ț' => 'Ţ',
            c => c,
        })
        .collect()
}

/// German umlauts and ß spelled out (ä → ae, ß → ss).
pub(crate) fn german_expanded(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// Indonesian spelling from before 1972 (Joko → Djoko, Yudi → Joedi, Cahya → Tjahja).
pub(crate) fn indonesian_old_spelling(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            'j' => out.push_str("dj"),
            'J' => out.push_str("Dj"),
            'y' => out.push('j'),
            'Y' => out.push('J'),
            'c' => out.push_str("tj"),
            'C' => out.push_str("Tj"),
            'u' => out.push_str("oe"),
            'U' => out.push_str("Oe"),
            c => out.push(c),
        }
    }
    out
}

/// One keyboard slip: insert, delete, substitute or transpose a letter. Strings
/// shorter than three characters are returned unchanged.
pub(crate) fn typo(s: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() < 3 {
        return s.to_string();
    }
    // Keep the first letter most of the time: people rarely mistype it.
    let pos = 1 + rng.index(chars.len() - 1);
    let letter = |rng: &mut Rng, near: char| -> char {
        let lower = near.is_lowercase();
        let c = neighbour_key(near.to_ascii_lowercase(), rng)
            .unwrap_or_else(|| char::from(b'a' + rng.below(26) as u8));
        if lower {
            c
        } else {
            c.to_ascii_uppercase()
        }
    };
    match rng.below(4) {
        0 => {
            let near = chars[pos - 1];
            let c = letter(rng, near);
            chars.insert(pos, c);
        }
        1 => {
            chars.remove(pos);
        }
        2 => {
            let c = letter(rng, chars[pos]);
            chars[pos] = c;
        }
        _ => {
            if pos + 1 < chars.len() {
                chars.swap(pos, pos + 1);
            } else {
                chars.swap(pos - 1, pos);
            }
        }
    }
    chars.into_iter().collect()
}

/// A key next to `c` on a QWERTY keyboard.
fn neighbour_key(c: char, rng: &mut Rng) -> Option<char> {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    for row in ROWS {
        if let Some(i) = row.find(c) {
            let bytes = row.as_bytes();
            let left = i.checked_sub(1).and_then(|j| bytes.get(j));
            let right = bytes.get(i + 1);
            let pick = match (left, right) {
                (Some(&l), Some(&r)) => {
                    if rng.chance(0.5) {
                        l
                    } else {
                        r
                    }
                }
                (Some(&l), None) => l,
                (None, Some(&r)) => r,
                (None, None) => return None,
            };
            return Some(char::from(pick));
        }
    }
    None
}

/// Replaces one ASCII digit with another (a mistyped number).
pub(crate) fn digit_typo(s: &str, rng: &mut Rng) -> String {
    let digits: Vec<usize> = s
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let Some(&at) = rng.pick(&digits) else {
        return s.to_string();
    };
    let old = s.as_bytes().get(at).copied().unwrap_or(b'0');
    let new = b'0' + ((u64::from(old - b'0') + 1 + rng.below(9)) % 10) as u8;
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..at]);
    out.push(char::from(new));
    out.push_str(&s[at + 1..]);
    out
}

/// Upper-cases the first letter of each word and lower-cases the rest.
pub(crate) fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serbian_latin_meets_cyrillic_with_digraphs() {
        assert_eq!(serbian_cyrillic("Jovanović"), "Јовановић");
        assert_eq!(serbian_cyrillic("Ljubičić"), "Љубичић");
        assert_eq!(serbian_cyrillic("Njegoševa"), "Његошева");
        assert_eq!(serbian_cyrillic("Đorđe"), "Ђорђе");
        assert_eq!(serbian_cyrillic("Džajić"), "Џајић");
    }

    #[test]
    fn greek_transliterates_with_digraphs() {
        assert_eq!(greek_latin("Παπαδόπουλος"), "Papadopoulos");
        assert_eq!(greek_latin("Γιώργος"), "Giorgos");
        assert_eq!(greek_latin("Χρήστος"), "Christos");
        assert_eq!(greek_latin("Αγγελική"), "Angeliki");
        assert_eq!(greek_latin("Ερμού 15"), "Ermou 15");
    }

    #[test]
    fn folds_and_variants() {
        assert_eq!(ascii_fold("Đorđević"), "Djordjevic");
        assert_eq!(ascii_fold("Ștefănescu"), "Stefanescu");
        assert_eq!(ascii_fold("Weiß"), "Weiss");
        assert_eq!(romanian_cedilla("Ștefan Țăranu"), "Ştefan Ţăranu");
        assert_eq!(german_expanded("Müller Straße"), "Mueller Strasse");
        assert_eq!(indonesian_old_spelling("Yudi"), "Joedi");
        assert_eq!(indonesian_old_spelling("Joko"), "Djoko");
        assert_eq!(title_case("JOHN o'NEIL-smith"), "John O'Neil-Smith");
    }

    #[test]
    fn typos_change_the_text_by_one_edit() {
        let mut rng = Rng::new(5);
        let mut changed = 0;
        for _ in 0..200 {
            let t = typo("Petrović", &mut rng);
            let d = strsim::damerau_levenshtein("Petrović", &t);
            assert!(d <= 1, "{t}");
            changed += usize::from(d == 1);
            let n = digit_typo("1990-03-04", &mut rng);
            assert_eq!(strsim::hamming("1990-03-04", &n), Ok(1));
        }
        assert!(changed > 150);
        assert_eq!(typo("Al", &mut rng), "Al");
        assert_eq!(digit_typo("abc", &mut rng), "abc");
    }
}
