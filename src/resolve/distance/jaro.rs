//! Jaro similarity, bit-parallel: strsim's greedy matching found with the pattern's masks.

use super::{Peq, Word, ascii_mask, below};

/// `strsim::generic_jaro(a, b)` for `b` the pattern: the same matches (each character of `a`
/// takes the first unmatched equal character of `b` in its window), found with bit masks.
pub(super) fn jaro<W: Word>(peq: &Peq<W>, b: &[u32], a: impl Iterator<Item = u32>, a_len: usize) -> f64 {
    let b_len = b.len();
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    let (mut b_flags, mut matches) = (W::ZERO, 0usize);
    // Matched characters of `a`, in order (at most b_len of them).
    let mut a_matched = [0u32; 128];
    for (i, c) in a.enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b_len.min(i + range + 1);
        if lo >= hi {
            // The window has passed the end of `b`: no later character can match.
            break;
        }
        let window = below::<W>(hi) & !below::<W>(lo);
        let free = peq.get(c) & window & !b_flags;
        if free != W::ZERO {
            b_flags = b_flags | (free & free.wrapping_neg());
            a_matched[matches] = c;
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut flags = b_flags;
    for &c in &a_matched[..matches] {
        let j = flags.trailing_zeros() as usize;
        flags = flags & flags.wrapping_add(!W::ZERO);
        if b[j] != c {
            transpositions += 1;
        }
    }
    similarity(matches, transpositions / 2, a_len, b_len)
}

/// The Jaro similarity of a text of `a_len` characters and a pattern of `b_len`, from their
/// matches (1 or more) and half-transpositions halved.
fn similarity(matches: usize, transpositions: usize, a_len: usize, b_len: usize) -> f64 {
    let sum = (matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64);
    sum / 3.0
}

/// strsim's Jaro matching of an ASCII text with a pattern of 1 to 64 characters (as
/// [`jaro`]), one character of the text at a time, without a branch on whether it matched.
pub(super) struct JaroRun<'a> {
    peq: &'a Peq<u64>,
    range: usize,
    pattern_len: usize,
    /// The pattern's characters matched so far.
    flags: u64,
    matches: usize,
    /// The text's matched characters, in order; one slot more for a write that does not count.
    matched: [u8; 65],
}

impl<'a> JaroRun<'a> {
    pub(super) fn new(peq: &'a Peq<u64>, pattern_len: usize, text_len: usize) -> Self {
        let range = (text_len.max(pattern_len) / 2).saturating_sub(1);
        JaroRun { peq, range, pattern_len, flags: 0, matches: 0, matched: [0; 65] }
    }

    /// Reads the text's `i`th character: it takes the first free equal character of the
    /// pattern in its window (none once the window has passed the pattern's end).
    #[inline(always)]
    pub(super) fn step(&mut self, i: usize, c: u8) {
        let lo = i.saturating_sub(self.range);
        let hi = self.pattern_len.min(i + self.range + 1);
        let window = below::<u64>(hi) & !below::<u64>(lo);
        let free = ascii_mask(self.peq, c) & window & !self.flags;
        self.flags |= free & free.wrapping_neg();
        self.matched[self.matches] = c;
        self.matches += usize::from(free != 0);
    }

    /// The Jaro similarity, given the pattern's characters and the text's length.
    pub(super) fn similarity(&self, pattern: &[u32], text_len: usize) -> f64 {
        if text_len == 0 || self.matches == 0 {
            return 0.0;
        }
        let mut transpositions = 0usize;
        let mut flags = self.flags;
        for &c in &self.matched[..self.matches] {
            let j = flags.trailing_zeros() as usize;
            flags &= flags.wrapping_sub(1);
            transpositions += usize::from(pattern[j] != u32::from(c));
        }
        similarity(self.matches, transpositions / 2, text_len, pattern.len())
    }
}
