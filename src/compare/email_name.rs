//! Whether an e-mail local part is built from its owner's name.
//!
//! Most personal addresses are the name again (`budi.santoso88`, `zignacevic`,
//! `mary_smith`). Two namesakes then share the local part as often as they share the
//! name, so counting "same local part" beside the name comparisons weighs one fact
//! twice (DESIGN.md, "one fact, one comparison"): namesakes with a different
//! provider looked like one person.

use smallvec::SmallVec;

/// Longest local part (in letters) that is tested; a longer one is not a name.
const MAX_LETTERS: usize = 64;

/// Whether the letters of `local` (digits and separators ignored) are the record's
/// own name: a sequence of whole name tokens and initials, in any order, with at least
/// one whole token. `names` holds the record's normalized name values (tokens split
/// at spaces and hyphens).
///
/// Initials alone do not count (`"jd"` says little about "John Doe"); a local part
/// with letters that are not the name (`"rivalsfan"`, a typo of the name) is not
/// built from it.
pub(crate) fn local_part_from_name<'n>(
    local: &str,
    names: impl IntoIterator<Item = &'n str>,
) -> bool {
    let letters: SmallVec<[char; MAX_LETTERS]> =
        local.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() || letters.len() > MAX_LETTERS {
        return false;
    }
    let mut tokens: SmallVec<[SmallVec<[char; 16]>; 8]> = SmallVec::new();
    for name in names {
        for token in name.split([' ', '-']) {
            let token: SmallVec<[char; 16]> = token.chars().filter(|c| c.is_alphabetic()).collect();
            if !token.is_empty() && !tokens.contains(&token) {
                tokens.push(token);
            }
        }
    }
    if tokens.is_empty() {
        return false;
    }
    // reach[i]: bit 0 — the first i letters are tokens and initials; bit 1 — and one
    // of them a whole token.
    let n = letters.len();
    let mut reach = [0u8; MAX_LETTERS + 1];
    reach[0] = 1;
    for i in 0..n {
        let here = reach[i];
        if here == 0 {
            continue;
        }
        for token in &tokens {
            if token.len() > 1 && letters[i..].starts_with(token) {
                reach[i + token.len()] |= 3;
            }
            if letters[i] == token[0] {
                reach[i + 1] |= here;
            }
        }
    }
    reach[n] & 2 != 0
}

#[cfg(test)]
mod tests {
    use super::local_part_from_name;

    #[test]
    fn names_and_initials_in_any_order_with_one_whole_token() {
        let built =
            |local: &str, names: &[&str]| local_part_from_name(local, names.iter().copied());
        assert!(built("budi.santoso88", &["budi", "santoso"]));
        assert!(built("santoso_budi", &["budi", "santoso"]));
        assert!(built("zignacevic42", &["zlatojka", "ignacevic"]));
        assert!(built("prasman81", &["prasman"]));
        assert!(built("ana-maria.pop", &["ana-maria", "pop"]));
        assert!(built("jdoe", &["john doe"]));
        // Initials only, other words, a typo, no name: not the name.
        assert!(!built("jd", &["john", "doe"]));
        assert!(!built("rivalsfan", &["budi", "santoso"]));
        assert!(!built("budisantos", &["budi", "santoso"]));
        assert!(!built("budi.santoso", &[]));
        assert!(!built("1984", &["budi"]));
    }
}
