//! The pairs of a ranking waiting to be scored, in the order they are scored, and the buffers
//! that hold them.

use std::cell::RefCell;

thread_local! {
    /// Buffers of pairs from the rankings dropped on this thread, for the next: a ranking
    /// that reaches the names without a shared word bounds thousands of pairs, and buffers
    /// allocated afresh for each partner cost as much again in page faults (the allocator
    /// returns freed memory to the system, and new pages come zeroed).
    static SPARE: RefCell<Vec<Vec<Pending>>> = const { RefCell::new(Vec::new()) };
}

/// An empty buffer of pairs, from the thread's spares when it has one.
pub(super) fn buffer() -> Vec<Pending> {
    SPARE.with_borrow_mut(Vec::pop).unwrap_or_default()
}

/// Keeps a buffer for the thread's next ranking (a few at most).
pub(super) fn give_back(mut pairs: Vec<Pending>) {
    pairs.clear();
    SPARE.with_borrow_mut(|spare| {
        if spare.len() < 4 && pairs.capacity() > 0 {
            spare.push(pairs);
        }
    });
}

/// A pair of a candidate name and a form of the partner, waiting to be scored under its bound.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    pub(super) bound: f64,
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

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Highest bound first; among equal bounds the registry's order first.
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound.total_cmp(&other.bound).then(other.pos.cmp(&self.pos)).then(other.form.cmp(&self.form))
    }
}
