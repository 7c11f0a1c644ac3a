//! Generic text folding: the base of every other normalizer.
//!
//! One pass over the input, one output `String`. Pure-ASCII input takes a byte loop;
//! other characters go through a per-character fold (compatibility decomposition,
//! diacritics dropped, case folded, Cyrillic and Greek transliterated) whose results
//! for the common blocks (Latin-1 to Cyrillic, Latin Extended Additional, Greek
//! Extended) are computed once and cached in a table.

use std::sync::OnceLock;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Generic text: NFKC, case folding, diacritics stripped, Cyrillic/Greek transliterated,
/// punctuation to spaces, whitespace collapsed.
///
/// Apostrophes (`'`, `’`, `ʼ`, `` ` ``, `´`) are removed rather than turned into spaces,
/// so `"O'Brien"` and `"OBrien"` meet. Letters of scripts without a transliteration here
/// (Arabic, CJK, Devanagari …) are kept, case-folded, with their own combining signs.
///
/// ```
/// use sameas::normalize::normalize_text;
/// assert_eq!(normalize_text("Јовановић"), "jovanovic");
/// assert_eq!(normalize_text("Jovanović"), normalize_text("JOVANOVIC"));
/// assert_eq!(normalize_text("Ștefan"), normalize_text("Ştefan"));
/// assert_eq!(normalize_text("Straße"), "strasse");
/// assert_eq!(normalize_text("ＡＢＣ"), "abc");
/// assert_eq!(normalize_text("  Jean-Luc,  PICARD!"), "jean luc picard");
/// ```
pub fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    normalize_text_into(raw, &mut out);
    out
}

/// `raw` without the `.0` a spreadsheet or data frame adds when it stores a whole
/// number as a float (`80150.0`, `6281234567890.0`: a numeric column with a gap is
/// written so), for codes that are digits: postcodes, phone numbers, identifiers.
/// Anything else is returned as it is.
///
/// ```
/// use sameas::normalize::without_float_tail;
/// assert_eq!(without_float_tail(" 80150.0 "), "80150");
/// assert_eq!(without_float_tail("80150.05"), "80150.05");
/// assert_eq!(without_float_tail("A1.0"), "A1.0");
/// ```
pub fn without_float_tail(raw: &str) -> &str {
    let trimmed = raw.trim();
    match trimmed.strip_suffix(".0") {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        _ => raw,
    }
}

/// [`normalize_text`] appended to `out` (what was in `out` before is left alone):
/// preparing a record normalizes every value into one reused buffer instead of a
/// `String` each.
pub(crate) fn normalize_text_into(raw: &str, out: &mut String) {
    let mut out = Folder::new(out);
    if raw.is_ascii() {
        for &b in raw.as_bytes() {
            out.push_ascii(b);
        }
        return;
    }
    let cache = cache();
    // The previous Greek letter (base form), for the digraphs ου, αυ, ευ, ηυ, γγ.
    let mut prev_greek: Option<char> = None;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            out.push_ascii(c as u8);
            prev_greek = None;
            continue;
        }
        let Some(base) = greek_base(c) else {
            cache.fold_into(c, &mut out);
            prev_greek = None;
            continue;
        };
        match (prev_greek, base) {
            (Some('ο'), 'υ') => out.push_str_kept("u"),
            (Some('α' | 'ε' | 'η'), 'υ') => out.push_str_kept("v"),
            (_, 'γ')
                if matches!(
                    chars.peek().copied().and_then(greek_base),
                    Some('γ' | 'ξ' | 'χ')
                ) =>
            {
                out.push_str_kept("n");
            }
            _ => {
                cache.fold_into(c, &mut out);
                prev_greek = Some(base);
                continue;
            }
        }
        // A digraph's second letter starts no new digraph.
        prev_greek = None;
    }
}

/// Whether `s` is its own [`normalize_text`]: lower-case ASCII letters and digits in
/// words separated by single spaces. Lets already normalized text skip folding.
pub(crate) fn is_folded(s: &str) -> bool {
    !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ')
}

/// Output buffer that collapses separators: a space is written only between two
/// kept characters, so what it appends is trimmed and has single spaces. It appends
/// to a `String` that may already hold other text (from `start` on is its own).
pub(crate) struct Folder<'a> {
    out: &'a mut String,
    start: usize,
    pending_space: bool,
}

impl<'a> Folder<'a> {
    fn new(out: &'a mut String) -> Self {
        Folder {
            start: out.len(),
            out,
            pending_space: false,
        }
    }

    #[inline]
    fn push_ascii(&mut self, b: u8) {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => self.push_kept(b as char),
            b'A'..=b'Z' => self.push_kept((b | 0x20) as char),
            b'\'' | b'`' => {}
            _ => self.pending_space = true,
        }
    }

    /// Writes the pending separator, unless nothing was written yet.
    #[inline]
    fn flush_space(&mut self) {
        if self.pending_space {
            if self.out.len() > self.start {
                self.out.push(' ');
            }
            self.pending_space = false;
        }
    }

    #[inline]
    fn push_kept(&mut self, c: char) {
        self.flush_space();
        self.out.push(c);
    }

    #[inline]
    fn push_str_kept(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.flush_space();
        self.out.push_str(s);
    }
}

/// How one character folds.
#[derive(Clone, Copy)]
enum Fold {
    /// Dropped without a trace (diacritic marks, apostrophes).
    Skip,
    /// Becomes a word separator (punctuation, symbols, spaces).
    Sep,
    /// Replaced by `len` bytes at `start` of the cache's text buffer (may be
    /// several words, e.g. `"½"` → `"1 2"`, so the text can contain spaces).
    Text {
        start: u32,
        len: u16,
        lead_sep: bool,
        trail_sep: bool,
    },
}

/// Ranges whose folds are precomputed: Latin-1 up to the end of Cyrillic, and Latin
/// Extended Additional plus Greek Extended.
const CACHED: [(u32, u32); 2] = [(0x80, 0x530), (0x1E00, 0x2000)];

struct FoldCache {
    /// One entry per code point of each `CACHED` range, ranges concatenated.
    entries: Vec<Fold>,
    text: String,
}

fn cache() -> &'static FoldCache {
    static CACHE: OnceLock<FoldCache> = OnceLock::new();
    CACHE.get_or_init(FoldCache::build)
}

impl FoldCache {
    fn build() -> FoldCache {
        let mut entries = Vec::new();
        let mut text = String::new();
        let mut buf = String::with_capacity(16);
        for (lo, hi) in CACHED {
            for cp in lo..hi {
                let fold = match char::from_u32(cp) {
                    None => Fold::Sep,
                    Some(c) => {
                        // A sentinel "x" before the fold shows a leading separator.
                        buf.clear();
                        buf.push('x');
                        let mut scratch = Folder::new(&mut buf);
                        scratch.start = 0;
                        fold_slow(c, &mut scratch, 0);
                        let trail_sep = scratch.pending_space;
                        let body = buf.get(1..).unwrap_or("");
                        let lead_sep = body.starts_with(' ');
                        let body = body.trim_start_matches(' ');
                        if body.is_empty() {
                            if lead_sep || trail_sep {
                                Fold::Sep
                            } else {
                                Fold::Skip
                            }
                        } else {
                            let start = text.len() as u32;
                            text.push_str(body);
                            Fold::Text {
                                start,
                                len: body.len() as u16,
                                lead_sep,
                                trail_sep,
                            }
                        }
                    }
                };
                entries.push(fold);
            }
        }
        FoldCache { entries, text }
    }

    #[inline]
    fn lookup(&self, c: char) -> Option<Fold> {
        let cp = c as u32;
        let mut base = 0usize;
        for (lo, hi) in CACHED {
            if (lo..hi).contains(&cp) {
                return self.entries.get(base + (cp - lo) as usize).copied();
            }
            base += (hi - lo) as usize;
        }
        None
    }

    #[inline]
    fn fold_into(&self, c: char, out: &mut Folder) {
        match self.lookup(c) {
            Some(Fold::Skip) => {}
            Some(Fold::Sep) => out.pending_space = true,
            Some(Fold::Text {
                start,
                len,
                lead_sep,
                trail_sep,
            }) => {
                let start = start as usize;
                let s = self.text.get(start..start + len as usize).unwrap_or("");
                if lead_sep {
                    out.pending_space = true;
                }
                out.push_str_kept(s);
                if trail_sep {
                    out.pending_space = true;
                }
            }
            None => fold_slow(c, out, 0),
        }
    }
}

/// Folds one character without the cache. `depth` bounds the recursion through
/// decompositions and case mappings (both are shallow; 4 is never reached in practice).
fn fold_slow(c: char, out: &mut Folder, depth: u8) {
    if c.is_ascii() {
        out.push_ascii(c as u8);
        return;
    }
    if let Some(s) = special(c) {
        out.push_str_kept(s);
        return;
    }
    if let Some(s) = single_lower(c).and_then(special) {
        out.push_str_kept(s);
        return;
    }
    if is_apostrophe(c) {
        return;
    }
    if is_combining_mark(c) {
        if !is_diacritic_mark(c) {
            out.push_kept(c);
        }
        return;
    }
    if depth < 4 && !is_hangul_syllable(c) {
        let mut decomposed = false;
        let mut parts: [char; 8] = ['\0'; 8];
        let mut n = 0usize;
        decompose_compatible(c, |d| {
            if d != c {
                decomposed = true;
            }
            if let Some(slot) = parts.get_mut(n) {
                *slot = d;
            }
            n += 1;
        });
        if decomposed && n <= parts.len() {
            for &d in parts.iter().take(n) {
                fold_slow(d, out, depth + 1);
            }
            return;
        }
        if decomposed {
            // Very long compatibility decompositions (e.g. U+FDFA) are rare; fold
            // them through a temporary buffer.
            let mut long = Vec::with_capacity(n);
            decompose_compatible(c, |d| long.push(d));
            for d in long {
                fold_slow(d, out, depth + 1);
            }
            return;
        }
        let mut lower = c.to_lowercase();
        if lower.len() != 1 || lower.next() != Some(c) {
            for l in c.to_lowercase() {
                fold_slow(l, out, depth + 1);
            }
            return;
        }
    }
    if c.is_alphanumeric() {
        out.push_kept(c);
    } else {
        out.pending_space = true;
    }
}

/// The plain lower-case Greek letter of `c` when `c` is a Greek letter with or without
/// tonos (letters with dialytika, which break digraphs, give `None`).
fn greek_base(c: char) -> Option<char> {
    Some(match c {
        'α'..='ω' => c,
        'Α'..='Ω' => char::from_u32(c as u32 + 0x20)?,
        'ά' | 'Ά' => 'α',
        'έ' | 'Έ' => 'ε',
        'ή' | 'Ή' => 'η',
        'ί' | 'Ί' => 'ι',
        'ό' | 'Ό' => 'ο',
        'ύ' | 'Ύ' => 'υ',
        'ώ' | 'Ώ' => 'ω',
        _ => return None,
    })
}

fn single_lower(c: char) -> Option<char> {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) if l != c => Some(l),
        _ => None,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '\u{00B4}' | '\u{2032}'
    )
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Combining marks that are diacritics on Latin, Greek, Cyrillic, Hebrew or Arabic
/// letters (dropped); other scripts' combining signs (Indic vowel signs …) are kept.
fn is_diacritic_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05C7}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Lower-case letters folded to fixed ASCII: Latin letters without a decomposition,
/// and the Cyrillic and Greek alphabets (Serbian scheme with diacritics dropped:
/// љ→lj, њ→nj, џ→dz, ђ→dj, ћ/ч→c, ш→s, ж→z; Russian/Ukrainian/Bulgarian letters in
/// the same scholarly spirit: й→j, ю→ju, я→ja, щ→sc).
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        // Latin
        'ß' | 'ẞ' => "ss",
        // Serbian/Croatian đ is written "dj" without diacritics (Djordjevic), which is
        // also how Cyrillic ђ transliterates; Icelandic/Old English ð stays "d".
        'đ' => "dj",
        'ð' => "d",
        'ł' => "l",
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ı' => "i",
        'þ' => "th",
        'ħ' => "h",
        'ŧ' => "t",
        'ŋ' => "n",
        'ĸ' => "k",
        'ə' => "e",
        'ƒ' => "f",
        'ſ' => "s",
        // Cyrillic
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ж' => "z",
        'з' => "z",
        'и' => "i",
        'й' => "j",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "c",
        'ш' => "s",
        'щ' => "sc",
        'ъ' => "a",
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => "ju",
        'я' => "ja",
        'ѐ' | 'ё' => "e",
        'ђ' => "dj",
        'ѓ' => "g",
        'є' => "je",
        'ѕ' => "dz",
        'і' => "i",
        'ї' => "ji",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'ќ' => "k",
        'ѝ' => "i",
        'ў' => "u",
        'џ' => "dz",
        'ґ' => "g",
        // Greek (modern, ELOT 743 letters)
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
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serbian_cyrillic_and_latin_meet() {
        for s in ["Јовановић", "Jovanović", "JOVANOVIC", "ЈОВАНОВИЋ"] {
            assert_eq!(normalize_text(s), "jovanovic", "{s}");
        }
        assert_eq!(
            normalize_text("Љубица Њего Џаковић Ђорђе"),
            "ljubica njego dzakovic djordje"
        );
        assert_eq!(
            normalize_text("Ljubica Njego Džaković Đorđe"),
            "ljubica njego dzakovic djordje"
        );
    }

    #[test]
    fn greek_and_russian() {
        assert_eq!(normalize_text("Παπαδόπουλος"), "papadopoulos");
        assert_eq!(normalize_text("ΣΩΚΡΆΤΗΣ"), "sokratis");
        assert_eq!(normalize_text("Андрей Щукин"), "andrej scukin");
        assert_eq!(normalize_text("Юлия"), "julija");
        assert_eq!(normalize_text("Ευάγγελος Παύλος"), "evangelos pavlos");
        assert_eq!(normalize_text("Σπύρος Κυριάκος"), "spyros kyriakos");
        assert_eq!(normalize_text("ΜΟΥΣΤΑΚΑΣ"), "moustakas");
    }

    #[test]
    fn latin_letters_without_decomposition() {
        assert_eq!(
            normalize_text("Łódź Øster Ærø Œuvre Þór"),
            "lodz oster aero oeuvre thor"
        );
        assert_eq!(normalize_text("İSTANBUL ılık"), "istanbul ilik");
        assert_eq!(
            normalize_text("Nguyễn Thị Minh Khai"),
            "nguyen thi minh khai"
        );
    }

    #[test]
    fn punctuation_apostrophes_and_spaces() {
        assert_eq!(normalize_text("O'Brien"), "obrien");
        assert_eq!(normalize_text("O’Brien"), "obrien");
        assert_eq!(normalize_text("\t a--b\u{00A0}\u{3000}c  "), "a b c");
        assert_eq!(normalize_text("!!!"), "");
        assert_eq!(normalize_text("ﬁle ½"), "file 1 2");
    }

    #[test]
    fn other_scripts_kept() {
        assert_eq!(normalize_text("東京"), "東京");
        assert_eq!(normalize_text("한국"), "한국");
        assert_eq!(normalize_text("हिन्दी"), "हिन्दी");
    }

    #[test]
    fn cache_matches_slow_path() {
        let c = cache();
        for (lo, hi) in CACHED {
            for cp in lo..hi {
                let Some(ch) = char::from_u32(cp) else {
                    continue;
                };
                let (mut x, mut y) = (String::new(), String::new());
                let mut a = Folder::new(&mut x);
                let mut b = Folder::new(&mut y);
                a.push_ascii(b'x');
                b.push_ascii(b'x');
                c.fold_into(ch, &mut a);
                fold_slow(ch, &mut b, 0);
                a.push_ascii(b'y');
                b.push_ascii(b'y');
                assert_eq!(x, y, "U+{cp:04X}");
            }
        }
    }
}
