//! String and number similarity functions, allocation-free on prepared inputs.
//!
//! API CONTRACT (stub; the similarity work fills this in, keeping these signatures).
//! Inputs longer than [`MAX_CHARS`] are truncated so one pair has a bounded cost.

/// Longest input (in chars) the edit-distance and Jaro functions look at.
pub const MAX_CHARS: usize = 64;

/// Jaro similarity in [0, 1].
pub fn jaro(a: &[char], b: &[char]) -> f64 {
    strsim::jaro(&a.iter().collect::<String>(), &b.iter().collect::<String>())
}

/// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4).
pub fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    strsim::jaro_winkler(&a.iter().collect::<String>(), &b.iter().collect::<String>())
}

/// Levenshtein distance.
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    strsim::levenshtein(&a.iter().collect::<String>(), &b.iter().collect::<String>())
}

/// Levenshtein distance if it is at most `max`, else `None` (exits early).
pub fn levenshtein_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    Some(levenshtein(a, b)).filter(|&d| d <= max)
}

/// Damerau distance (optimal string alignment).
pub fn damerau_osa(a: &[char], b: &[char]) -> usize {
    strsim::osa_distance(&a.iter().collect::<String>(), &b.iter().collect::<String>())
}

/// OSA distance if it is at most `max`, else `None` (exits early).
pub fn damerau_osa_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    Some(damerau_osa(a, b)).filter(|&d| d <= max)
}

/// Jaccard similarity of two sorted, deduplicated token-hash sets (1.0 when both empty).
pub fn jaccard_sorted(a: &[u64], b: &[u64]) -> f64 {
    let inter = a.iter().filter(|x| b.contains(x)).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

/// Dice similarity of two sorted, deduplicated token-hash sets (1.0 when both empty).
pub fn dice_sorted(a: &[u64], b: &[u64]) -> f64 {
    let inter = a.iter().filter(|x| b.contains(x)).count();
    let total = a.len() + b.len();
    if total == 0 {
        1.0
    } else {
        2.0 * inter as f64 / total as f64
    }
}

/// American Soundex code of the ASCII letters of `s` (e.g. `"R163"`), empty when none.
pub fn soundex(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphabetic)
        .take(4)
        .collect::<String>()
        .to_uppercase()
}

/// Double Metaphone primary and alternate codes of `s` (ASCII letters only).
pub fn double_metaphone(s: &str) -> (String, String) {
    let c = soundex(s);
    (c.clone(), c)
}
