//! Variant keys: spelling variants of one person name share a key.
//!
//! A handful of rewriting rules on folded ASCII letters, applied in one left-to-right
//! pass with a stack (each rule turns two letters into one, so the pass is linear and
//! its output contains no pair a rule would rewrite: the key is idempotent).

use super::text::{is_folded, normalize_text};
use smallvec::SmallVec;

/// The key shared by every member of the *Muhammad* family.
const MUHAMMAD: &str = "muhammad";
/// The key shared by every member of the *Ahmad* family.
const AHMAD: &str = "ahmad";

/// A key shared by common spelling variants of a name, word by word.
///
/// `name` goes through [`normalize_text`] first (so raw input is fine); each word is
/// then keyed on its own and the keys are joined by single spaces. The key is meant
/// for a **"variant" comparison level** (below exact agreement, above fuzzy
/// similarity): two spellings with one key are *probably* one name, but different
/// names can share a key too (`Joel` and `Jul`), so a key is never a reason to treat
/// two names as equal, and it is not a name to display. It is idempotent:
/// `name_variant_key(&name_variant_key(x)) == name_variant_key(x)`.
///
/// The rules, small and deliberate:
///
/// - the *Muhammad* family — `Muhammad`, `Mohammad`, `Mohammed`, `Muhamad`,
///   `Muhammed`, `Mochammad`, `Mohamad`, `Mohamed`, `Mukhammad`, `Mouhamed`,
///   `Muhamet` and the abbreviations `Muh.`, `Moh.`, `Mhd`, `Mohd`, `Muhd`, `Md` — keys
///   to `"muhammad"`; the single initial `M.` does not (it may be any M name);
///   `Ahmad`, `Ahmed`, `Achmad`, `Akhmad`, `Ahmet` key to `"ahmad"`;
/// - old Indonesian (van Ophuijsen / Soewandi) spellings meet the current ones:
///   `oe`→`u` (`Soekarno`/`Sukarno`), `dj`→`j` (`Djoko`/`Joko`), `tj`→`c`
///   (`Tjahjo`/`Cahyo`), `ch`→`kh`→`h` (`Achmad`/`Ahmad`, `Chairul`/`Khairul`), and
///   the old `j` for today's `y` (`Jusuf`/`Yusuf`, `Sjahrir`/`Syahrir`,
///   `Njoman`/`Nyoman`) — `j` and `y` cannot be told apart in general (is `Joko`
///   new spelling or old?), so both key to `j`;
/// - transliteration variants: `x`→`ks` (`Alexander`/`Aleksandar`), `ph`→`f`
///   (`Philip`/`Filip`), `th`→`t` (`Thomas`/`Tomas`), `kh`→`h` (`Mikhail`/`Mihail`),
///   `ij`→`i` (`Marija`/`Maria`/`Mariya`), a final `ch` or `tch`→`c`
///   (`Petrovich`/`Petrović`), and the endings `-andar`, `-andr`, `-andre`, `-andru`
///   → `-ander` (`Aleksandar`, `Aleksandr`, `Alexandre`, `Alexandru`, `Alexander`);
/// - doubled letters collapse (`Anna`/`Ana`, `Abdullah`/`Abdulah`).
///
/// Deliberately absent: `c`/`k` (Serbian `Vučić` and `Vukić` are different names),
/// `w`/`v`, German `ue`/`oe`/`ae` for umlauts (Indonesian `oe` means `u`), and vowel
/// changes in general (`Mario`/`Maria`). Nicknames are a separate table
/// ([`NicknameTable`](super::NicknameTable)).
///
/// ```
/// use sameas::normalize::name_variant_key;
/// let muhammad = name_variant_key("Muhammad");
/// for v in ["Mohammad", "Mohammed", "Muhamad", "Mochammad", "Muh.", "Moh.", "Mhd"] {
///     assert_eq!(name_variant_key(v), muhammad, "{v}");
/// }
/// assert_eq!(name_variant_key("Soekarno"), name_variant_key("Sukarno"));
/// assert_eq!(name_variant_key("Djoko Tjahjono"), name_variant_key("Joko Cahyono"));
/// assert_eq!(name_variant_key("Jusuf"), name_variant_key("Yusuf"));
/// assert_eq!(name_variant_key("Aleksandar"), name_variant_key("Alexander"));
/// assert_ne!(name_variant_key("Maria"), name_variant_key("Mario"));
/// ```
pub fn name_variant_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    name_variant_key_into(name, &mut out);
    out
}

/// [`name_variant_key`] appended to `out`. Text that is folded already (as every
/// normalized name is) is keyed as it is, without folding it again.
pub(crate) fn name_variant_key_into(name: &str, out: &mut String) {
    let folded;
    let text = if is_folded(name) {
        name
    } else {
        folded = normalize_text(name);
        &folded
    };
    let start = out.len();
    let mut stack = Stack::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if out.len() > start {
            out.push(' ');
        }
        word_key(word, &mut stack, out);
    }
}

/// The letters of a word being keyed (inline: words are short).
type Stack = SmallVec<[char; 32]>;

/// Appends the key of one folded word to `out`; `stack` is scratch space.
fn word_key(word: &str, stack: &mut Stack, out: &mut String) {
    // A final "ch"/"tch" is the Serbo-Croatian ć or the Russian ч (-ich, -vich).
    let (body, final_c) = if let Some(b) = word.strip_suffix("tch") {
        (b, true)
    } else if let Some(b) = word.strip_suffix("ch") {
        (b, true)
    } else {
        (word, false)
    };
    stack.clear();
    for c in body.chars().chain(final_c.then_some('c')) {
        match c {
            'y' => push(stack, 'j'),
            'x' => {
                push(stack, 'k');
                push(stack, 's');
            }
            _ => push(stack, c),
        }
    }
    let reduced: &[char] = stack;
    if is_muhammad(reduced) {
        out.push_str(MUHAMMAD);
        return;
    }
    if is_ahmad(reduced) {
        out.push_str(AHMAD);
        return;
    }
    // "-andar", "-andr", "-andre", "-andru" → "-ander" (after at least three letters).
    for suffix in ["andar", "andr", "andre", "andru"] {
        let n = suffix.len();
        let tail = reduced.len().checked_sub(n).and_then(|i| reduced.get(i..));
        if reduced.len() > n + 2 && tail.is_some_and(|t| eq(t, suffix)) {
            out.extend(reduced.iter().take(reduced.len() - n));
            out.push_str("ander");
            return;
        }
    }
    out.extend(reduced.iter());
}

/// Pushes `c`, rewriting the last two letters while a rule applies. Every rule turns
/// two letters into one, so the work over a word is linear, and no adjacent pair of
/// the final stack matches a rule.
fn push(stack: &mut Stack, mut c: char) {
    while let Some(&prev) = stack.last() {
        let merged = match (prev, c) {
            ('d', 'j') => 'j',
            ('t', 'j') => 'c',
            ('o', 'e') => 'u',
            ('p', 'h') => 'f',
            ('k' | 'c', 'h') => 'h',
            ('t', 'h') => 't',
            ('i', 'j') => 'i',
            (a, b) if a == b && a.is_ascii_alphabetic() => a,
            _ => break,
        };
        stack.pop();
        c = merged;
    }
    stack.push(c);
}

fn eq(chars: &[char], s: &str) -> bool {
    // `s` has at least as many bytes as characters: a longer `chars` cannot match.
    chars.len() <= s.len() && chars.iter().copied().eq(s.chars())
}

/// `m(o|u|ou)ham(a|e)(d|t)` after the rewriting rules, or a known abbreviation.
fn is_muhammad(w: &[char]) -> bool {
    if ["muh", "moh", "mhd", "mohd", "muhd", "md", "mhmd"]
        .iter()
        .any(|a| eq(w, a))
    {
        return true;
    }
    let Some(rest) = w.strip_prefix(&['m']) else {
        return false;
    };
    let rest = rest
        .strip_prefix(&['o', 'u'])
        .or_else(|| rest.strip_prefix(&['o']))
        .or_else(|| rest.strip_prefix(&['u']));
    let Some(rest) = rest.and_then(|r| r.strip_prefix(&['h', 'a', 'm'])) else {
        return false;
    };
    matches!(rest, ['a' | 'e', 'd' | 't'])
}

/// `ahm(a|e)(d|t)` after the rewriting rules.
fn is_ahmad(w: &[char]) -> bool {
    matches!(w, ['a', 'h', 'm', 'a' | 'e', 'd' | 't'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_leave_no_reducible_pair() {
        for w in [
            "ddjj", "tjtj", "oeoe", "kkhh", "xyxy", "iijj", "phph", "dyah",
        ] {
            let k = name_variant_key(w);
            assert_eq!(name_variant_key(&k), k, "{w}");
        }
        assert_eq!(name_variant_key("Dyah"), "jah");
        assert_eq!(name_variant_key(""), "");
        assert_eq!(name_variant_key("東京 ch"), "東京 c");
    }

    #[test]
    fn muhammad_pattern() {
        for w in [
            "muhammad",
            "mohamed",
            "muhamet",
            "mouhamed",
            "mukhammad",
            "md",
        ] {
            assert_eq!(name_variant_key(w), MUHAMMAD, "{w}");
        }
        for w in ["m", "mo", "mahmud", "muhammadi", "hamad"] {
            assert_ne!(name_variant_key(w), MUHAMMAD, "{w}");
        }
    }
}
