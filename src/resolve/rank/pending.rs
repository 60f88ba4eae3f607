//! The pairs of a ranking waiting to be scored, in the order they are scored, and the buffers
//! that hold them.

use std::cell::RefCell;

thread_local! {
    /// Buffers from the rankings dropped on this thread, for the next: a ranking that reaches
    /// the names without a shared word bounds thousands of pairs, and buffers allocated afresh
    /// for each partner cost as much again in page faults (the allocator returns freed memory
    /// to the system, and new pages come zeroed).
    static SPARE_PENDING: RefCell<Vec<Vec<Pending>>> = const { RefCell::new(Vec::new()) };
    static SPARE_PAIRS: RefCell<Vec<Vec<Pair>>> = const { RefCell::new(Vec::new()) };
}

/// A buffer of waiting pairs or of their data, kept from ranking to ranking on a thread.
pub(super) trait Spare: Sized + 'static {
    fn spares() -> &'static std::thread::LocalKey<RefCell<Vec<Vec<Self>>>>;

    /// An empty buffer, from the thread's spares when it has one.
    fn buffer() -> Vec<Self> {
        Self::spares().with_borrow_mut(Vec::pop).unwrap_or_default()
    }

    /// Keeps a buffer for the thread's next ranking (a few at most).
    fn give_back(mut items: Vec<Self>) {
        items.clear();
        Self::spares().with_borrow_mut(|spare| {
            if spare.len() < 4 && items.capacity() > 0 {
                spare.push(items);
            }
        });
    }
}

impl Spare for Pending {
    fn spares() -> &'static std::thread::LocalKey<RefCell<Vec<Vec<Self>>>> {
        &SPARE_PENDING
    }
}

impl Spare for Pair {
    fn spares() -> &'static std::thread::LocalKey<RefCell<Vec<Vec<Self>>>> {
        &SPARE_PAIRS
    }
}

/// A pair of a candidate name and a form of the partner, as far as it is scored.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pair {
    /// The pair's word overlap, exact (the bound takes it as it is) ...
    pub(super) tokens: f64,
    /// ... its Levenshtein similarity, exact once `half` ...
    pub(super) levenshtein: f64,
    /// ... and the bound of its Jaro-Winkler similarity.
    pub(super) jaro_winkler: f64,
    /// Position of the candidate name in its country's full names.
    pub(super) pos: u32,
    /// Index of the partner's form.
    pub(super) form: u16,
    /// Whether the Levenshtein similarity is computed.
    pub(super) half: bool,
}

/// A pair waiting to be scored under its bound: the bound rounded up to an `f32` (still never
/// below the pair's score) and the pair's index in its ranking's pairs, in one integer that
/// orders as the pairs are scored: highest bound first, among equal bounds the pair bounded
/// first. A heap of these moves and compares 8 bytes where one of the pairs themselves moved
/// 40 and compared three fields. The order in which pairs are scored does not change the
/// ranking (every party is placed by its best exact score), only how soon it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Pending(u64);

impl Pending {
    pub(super) fn new(bound: f64, pair: usize) -> Pending {
        let mut rounded = bound as f32;
        if f64::from(rounded) < bound {
            rounded = rounded.next_up();
        }
        let bits = rounded.to_bits();
        // Floats' bits order as their values once the sign bit is flipped (non-negative) or
        // every bit is (negative).
        let ordered = if bits >> 31 == 0 { bits | 1 << 31 } else { !bits };
        Pending(u64::from(ordered) << 32 | u64::from(!(pair as u32)))
    }

    /// The pair's bound (rounded up).
    pub(super) fn bound(self) -> f64 {
        let ordered = (self.0 >> 32) as u32;
        let bits = if ordered >> 31 == 1 { ordered & !(1 << 31) } else { !ordered };
        f64::from(f32::from_bits(bits))
    }

    /// The pair's index in its ranking's pairs.
    pub(super) fn pair(self) -> usize {
        !(self.0 as u32) as usize
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Pending;

    proptest! {
        /// A bound comes back never below itself, within an f32's precision, and the order is
        /// the bounds' (ties: the pair bounded first first).
        #[test]
        fn pending_pairs_keep_their_bounds_and_order(a in -4.0f64..4.0, b in -4.0f64..4.0, i in 0usize..1 << 20, j in 0usize..1 << 20) {
            let (p, q) = (Pending::new(a, i), Pending::new(b, j));
            prop_assert!(p.bound() >= a && p.bound() - a <= a.abs() * 1e-6 + 1e-30);
            prop_assert_eq!(p.pair(), i);
            if a > b && p.bound() != q.bound() {
                prop_assert!(p > q);
            }
            if a == b {
                prop_assert_eq!(p > q, i < j);
            }
            prop_assert_eq!(Pending::new(0.0, 0).bound(), 0.0);
        }
    }
}
