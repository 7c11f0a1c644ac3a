//! A prepared value's characters, one byte each where the record allows it.

use super::prepare::CharUnit;
use crate::similarity::MAX_CHARS;

/// The characters of a prepared value: one byte each when every character of its
/// record is below U+0100 (Latin-1: most customer data once folded), else 16-bit
/// [`CharUnit`]s. A narrow unit is the character's code point, as a wide one is, so
/// the two compare equal exactly when the characters do; bytes halve the memory a
/// million records' characters take. `Debug` prints the count only (the characters
/// are personal data).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Chars<'a> {
    /// Every character below U+0100, one byte each.
    Narrow(&'a [u8]),
    /// 16-bit units (see [`CharUnit`]).
    Wide(&'a [CharUnit]),
}

impl std::fmt::Debug for Chars<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = match self {
            Chars::Narrow(_) => "Narrow",
            Chars::Wide(_) => "Wide",
        };
        write!(f, "Chars::{width}({} chars)", self.len())
    }
}

impl Default for Chars<'_> {
    /// No characters.
    fn default() -> Self {
        Chars::Narrow(&[])
    }
}

impl<'a> Chars<'a> {
    /// Number of characters.
    pub fn len(&self) -> usize {
        match self {
            Chars::Narrow(s) => s.len(),
            Chars::Wide(s) => s.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The characters in `range` (none when it is out of bounds).
    pub fn get(&self, range: std::ops::Range<usize>) -> Chars<'a> {
        match self {
            Chars::Narrow(s) => Chars::Narrow(s.get(range).unwrap_or(&[])),
            Chars::Wide(s) => Chars::Wide(s.get(range).unwrap_or(&[])),
        }
    }

    /// The characters as units, in order.
    pub fn units(&self) -> impl Iterator<Item = CharUnit> + 'a {
        let (narrow, wide) = match *self {
            Chars::Narrow(s) => (s, &[][..]),
            Chars::Wide(s) => (&[][..], s),
        };
        narrow
            .iter()
            .map(|&b| CharUnit::from(b))
            .chain(wide.iter().copied())
    }

    /// The first [`MAX_CHARS`] characters (all that the [similarity
    /// functions](crate::similarity) read) as [`CharUnit`]s: wide ones as they are,
    /// narrow ones copied into `buf`.
    ///
    /// ```
    /// use sameas::compare::Chars;
    /// use sameas::similarity::{jaro_winkler, MAX_CHARS};
    /// let (a, b) = (Chars::Narrow(b"martha"), Chars::Wide(&[109, 97, 114, 104, 116, 97]));
    /// let (mut buf_a, mut buf_b) = ([0; MAX_CHARS], [0; MAX_CHARS]);
    /// let score = jaro_winkler(a.wide(&mut buf_a), b.wide(&mut buf_b));
    /// assert!((score - 0.9611).abs() < 1e-4);
    /// ```
    pub fn wide<'b>(&self, buf: &'b mut [CharUnit; MAX_CHARS]) -> &'b [CharUnit]
    where
        'a: 'b,
    {
        match *self {
            Chars::Wide(s) => &s[..s.len().min(MAX_CHARS)],
            Chars::Narrow(s) => {
                let n = s.len().min(MAX_CHARS);
                for (w, &b) in buf.iter_mut().zip(&s[..n]) {
                    *w = CharUnit::from(b);
                }
                &buf[..n]
            }
        }
    }
}

/// Evaluates `$body` with `$a` and `$b` bound to two [`Chars`] as slices of one unit
/// type: bytes when both are narrow, else 16-bit units (a narrow side widened on the
/// stack). The similarity functions are generic over the unit, so the result is the
/// same either way.
macro_rules! with_units {
    ($x:expr, $y:expr, |$a:ident, $b:ident| $body:expr) => {{
        match ($x, $y) {
            ($crate::compare::Chars::Narrow($a), $crate::compare::Chars::Narrow($b)) => $body,
            (x, y) => {
                let mut bufs = [[0; $crate::similarity::MAX_CHARS]; 2];
                let [buf_a, buf_b] = &mut bufs;
                let ($a, $b) = (x.wide(buf_a), y.wide(buf_b));
                $body
            }
        }
    }};
}
pub(crate) use with_units;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::jaro_winkler;

    #[test]
    fn narrow_and_wide_agree() {
        let narrow = Chars::Narrow(b"muller");
        let wide_units: Vec<CharUnit> = "müller".chars().map(|c| c as CharUnit).collect();
        let wide = Chars::Wide(&wide_units);
        let same: Vec<CharUnit> = "muller".chars().map(|c| c as CharUnit).collect();
        let wide_same = Chars::Wide(&same);
        // Mixed: the narrow side is widened, so equal characters stay equal.
        let mixed = with_units!(narrow, wide_same, |a, b| jaro_winkler(a, b));
        assert_eq!(mixed, 1.0);
        let narrow_pair = with_units!(narrow, narrow, |a, b| jaro_winkler(a, b));
        assert_eq!(narrow_pair, 1.0);
        let differ = with_units!(narrow, wide, |a, b| jaro_winkler(a, b));
        assert_eq!(
            differ,
            jaro_winkler(&same[..], &wide_units[..]),
            "a narrow value scores as its wide form"
        );
        assert!(differ < 1.0);
        assert_eq!(narrow.units().collect::<Vec<_>>(), same);
        assert_eq!(narrow.get(1..3), Chars::Narrow(b"ul"));
        assert_eq!(wide.get(4..9), Chars::Wide(&[]));
    }
}
