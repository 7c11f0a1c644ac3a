//! The members of one block, held in 16 bytes.

/// Marks an unused inline slot (handles stay below [`MAX_HANDLE`](super::MAX_HANDLE)).
const EMPTY: u32 = u32::MAX;

/// A block's record handles, in the order the index keeps them. Up to three are
/// held inline: half of a million customers' blocks hold one record (a unique
/// e-mail, phone, …) and most others one person's few. Larger blocks go to the heap.
/// 16 bytes, so an entry of the index's block map takes 24 bytes, not the 32 of a
/// `SmallVec` (at a million records, 2.7 M blocks in 4 M buckets: 33 MB).
#[derive(Clone, Debug)]
pub(super) enum Members {
    /// Up to three handles, filled from the front; the rest [`EMPTY`].
    Inline([u32; 3]),
    /// Four or more (a thin pointer keeps the type at 16 bytes).
    #[allow(clippy::box_collection)]
    Heap(Box<Vec<u32>>),
}

const _: () = assert!(std::mem::size_of::<Members>() == 16);

impl Default for Members {
    fn default() -> Self {
        Members::Inline([EMPTY; 3])
    }
}

impl std::ops::Deref for Members {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        match self {
            Members::Inline(ids) => &ids[..inline_len(ids)],
            Members::Heap(v) => v,
        }
    }
}

impl std::ops::DerefMut for Members {
    fn deref_mut(&mut self) -> &mut [u32] {
        match self {
            Members::Inline(ids) => {
                let n = inline_len(ids);
                &mut ids[..n]
            }
            Members::Heap(v) => v,
        }
    }
}

fn inline_len(ids: &[u32; 3]) -> usize {
    ids.iter().take_while(|&&x| x != EMPTY).count()
}

impl FromIterator<u32> for Members {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Self {
        Members::from(iter.into_iter().collect::<Vec<u32>>())
    }
}

impl From<Vec<u32>> for Members {
    /// Inline when three or fewer, else the vector itself (its capacity as it is).
    fn from(v: Vec<u32>) -> Self {
        match *v.as_slice() {
            [] => Members::default(),
            [a] => Members::Inline([a, EMPTY, EMPTY]),
            [a, b] => Members::Inline([a, b, EMPTY]),
            [a, b, c] => Members::Inline([a, b, c]),
            _ => Members::Heap(Box::new(v)),
        }
    }
}

impl Members {
    /// Inserts `x` at `pos` (shifting the later ones back).
    pub fn insert(&mut self, pos: usize, x: u32) {
        debug_assert!(x != EMPTY);
        match self {
            Members::Inline(ids) => {
                let n = inline_len(ids);
                if n < ids.len() {
                    ids.copy_within(pos..n, pos + 1);
                    ids[pos] = x;
                } else {
                    let mut v = Vec::with_capacity(n + 1);
                    v.extend_from_slice(&ids[..pos]);
                    v.push(x);
                    v.extend_from_slice(&ids[pos..]);
                    *self = Members::Heap(Box::new(v));
                }
            }
            Members::Heap(v) => v.insert(pos, x),
        }
    }

    /// Appends `x`.
    pub fn push(&mut self, x: u32) {
        self.insert(self.len(), x);
    }

    /// Keeps the handles `keep` accepts, in order (back inline once three or fewer).
    pub fn retain(&mut self, keep: impl Fn(&u32) -> bool) {
        match self {
            Members::Inline(ids) => {
                let mut kept = [EMPTY; 3];
                for (slot, &x) in kept
                    .iter_mut()
                    .zip(ids.iter().filter(|&&x| x != EMPTY && keep(&x)))
                {
                    *slot = x;
                }
                *ids = kept;
            }
            Members::Heap(v) => {
                v.retain(|x| keep(x));
                if v.len() <= 3 {
                    *self = Members::from(std::mem::take(&mut **v));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every operation does what it does to a plain vector.
        #[test]
        fn behaves_like_a_vec(ops in prop::collection::vec((0u8..3, 0u32..20, 0usize..8), 0..40)) {
            let (mut m, mut v) = (Members::default(), Vec::new());
            for (op, x, at) in ops {
                match op {
                    0 => { m.push(x); v.push(x); }
                    1 => { let at = at.min(v.len()); m.insert(at, x); v.insert(at, x); }
                    _ => { m.retain(|&y| y != x); v.retain(|&y| y != x); }
                }
                prop_assert_eq!(&m[..], &v[..]);
            }
            m.sort_unstable();
            v.sort_unstable();
            prop_assert_eq!(&m[..], &v[..]);
        }
    }
}
