//! The string similarities scoring uses, with the results of strsim's, bit-parallel and without
//! allocation per comparison: a [`Pattern`] is one name's character masks (up to 128
//! characters, in one or two machine words), built once and compared with many names. Property
//! tests below check each against strsim.

use std::ops::{BitAnd, BitOr, BitXor, Not, Shl};

/// The most distinct non-ASCII characters a pattern holds; a name with more is compared by
/// strsim's own functions.
const OTHERS: usize = 16;

/// A machine word of bit masks, one bit a character of the pattern: `u64` for names of up to
/// 64 characters (most), `u128` for up to 128.
trait Word:
    Copy
    + Eq
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + BitXor<Output = Self>
    + Not<Output = Self>
    + Shl<u32, Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    const BITS: usize;
    fn wrapping_add(self, other: Self) -> Self;
    fn wrapping_neg(self) -> Self;
    fn trailing_zeros(self) -> u32;
}

macro_rules! word {
    ($t:ty) => {
        impl Word for $t {
            const ZERO: Self = 0;
            const ONE: Self = 1;
            const BITS: usize = <$t>::BITS as usize;
            #[inline(always)]
            fn wrapping_add(self, other: Self) -> Self {
                <$t>::wrapping_add(self, other)
            }
            #[inline(always)]
            fn wrapping_neg(self) -> Self {
                <$t>::wrapping_neg(self)
            }
            #[inline(always)]
            fn trailing_zeros(self) -> u32 {
                <$t>::trailing_zeros(self)
            }
        }
    };
}

word!(u64);
word!(u128);

/// The `n` lowest bits set.
#[inline(always)]
fn below<W: Word>(n: usize) -> W {
    if n >= W::BITS { !W::ZERO } else { (W::ONE << n as u32).wrapping_add(!W::ZERO) }
}

/// A pattern's positions of each character, as bit masks: a table for ASCII (most folded
/// names), a short list for other characters.
#[derive(Clone)]
struct Peq<W> {
    ascii: [W; 128],
    others: [(u32, W); OTHERS],
    n_others: usize,
}

impl<W: Word> Peq<W> {
    /// The masks of `pattern` (at most `W::BITS` characters); None when it has more than
    /// [`OTHERS`] distinct non-ASCII characters.
    fn new(pattern: &[u32]) -> Option<Box<Peq<W>>> {
        let mut peq = Box::new(Peq { ascii: [W::ZERO; 128], others: [(0, W::ZERO); OTHERS], n_others: 0 });
        for (i, &c) in pattern.iter().enumerate() {
            let bit = W::ONE << i as u32;
            if c < 128 {
                peq.ascii[c as usize] = peq.ascii[c as usize] | bit;
            } else if let Some(entry) = peq.others[..peq.n_others].iter_mut().find(|(o, _)| *o == c) {
                entry.1 = entry.1 | bit;
            } else if peq.n_others < OTHERS {
                let n = peq.n_others;
                peq.others[n] = (c, bit);
                peq.n_others += 1;
            } else {
                return None;
            }
        }
        Some(peq)
    }

    #[inline(always)]
    fn get(&self, c: u32) -> W {
        if c < 128 {
            self.ascii[c as usize]
        } else {
            self.others[..self.n_others].iter().find(|(o, _)| *o == c).map_or(W::ZERO, |(_, m)| *m)
        }
    }
}

/// The masks of a pattern in the narrowest word that holds it.
#[derive(Clone)]
enum Masks {
    Narrow(Box<Peq<u64>>),
    Wide(Box<Peq<u128>>),
}

/// A name made ready to be compared with many others: its character codes and their masks.
#[derive(Clone)]
pub struct Pattern {
    codes: Vec<u32>,
    masks: Masks,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pattern").field("characters", &self.codes.len()).finish_non_exhaustive()
    }
}

/// Runs `f` on the character codes of `s`, with the loop compiled once for bytes and once for
/// chars rather than branching at every character.
macro_rules! over_codes {
    ($s:expr, |$codes:ident| $body:expr) => {
        if $s.is_ascii() {
            let $codes = $s.bytes().map(u32::from);
            $body
        } else {
            let $codes = $s.chars().map(u32::from);
            $body
        }
    };
}

/// Runs `f` with the pattern's masks in their word.
macro_rules! with_masks {
    ($pattern:expr, |$peq:ident| $body:expr) => {
        match &$pattern.masks {
            Masks::Narrow($peq) => $body,
            Masks::Wide($peq) => $body,
        }
    };
}

fn codes(s: &str) -> Vec<u32> {
    over_codes!(s, |codes| codes.collect())
}

fn length(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().count() }
}

impl Pattern {
    /// The pattern of `name`; None when it has more than 128 characters or more than 16
    /// distinct non-ASCII ones (strsim compares those).
    pub fn new(name: &str) -> Option<Pattern> {
        let codes = codes(name);
        let masks = if codes.len() <= 64 {
            Masks::Narrow(Peq::new(&codes)?)
        } else if codes.len() <= 128 {
            Masks::Wide(Peq::new(&codes)?)
        } else {
            return None;
        };
        Some(Pattern { codes, masks })
    }

    /// `strsim::jaro_winkler(text, pattern)`, which is also `strsim::jaro_winkler(pattern,
    /// text)`: strsim's greedy matching pairs the same characters from either side.
    pub fn jaro_winkler(&self, text: &str) -> f64 {
        let jaro = with_masks!(self, |peq| over_codes!(text, |t| jaro(&**peq, &self.codes, t, length(text))));
        if jaro > 0.7 {
            let prefix = over_codes!(text, |t| t.take(4).zip(&self.codes).take_while(|(p, q)| p == *q).count());
            jaro + 0.1 * prefix as f64 * (1.0 - jaro)
        } else {
            jaro
        }
    }

    /// `strsim::osa_distance(pattern, text)`.
    pub fn osa(&self, text: &str) -> usize {
        if self.codes.is_empty() {
            return length(text);
        }
        with_masks!(self, |peq| over_codes!(text, |t| osa_run(&**peq, self.codes.len(), t)))
    }

    /// 1 - [`Pattern::osa`] / length of the longer.
    pub fn normalized_osa(&self, text: &str) -> f64 {
        let longer = self.codes.len().max(length(text));
        if longer == 0 { 1.0 } else { 1.0 - self.osa(text) as f64 / longer as f64 }
    }
}

/// `strsim::jaro_winkler(a, b)`.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    match Pattern::new(b) {
        Some(pattern) => pattern.jaro_winkler(a),
        None => strsim::jaro_winkler(a, b),
    }
}

/// 1 - optimal string alignment distance / length of the longer (`strsim::osa_distance`:
/// Levenshtein with a swap of neighbours as one edit, "aPrty" one edit from "Party").
pub fn normalized_osa(a: &str, b: &str) -> f64 {
    let (a_len, b_len) = (length(a), length(b));
    let (short, long) = if a_len <= b_len { (a, b) } else { (b, a) };
    match Pattern::new(short) {
        Some(pattern) => pattern.normalized_osa(long),
        None => 1.0 - strsim::osa_distance(a, b) as f64 / a_len.max(b_len).max(1) as f64,
    }
}

/// `strsim::generic_jaro(a, b)` for `b` the pattern: the same matches (each character of `a`
/// takes the first unmatched equal character of `b` in its window), found with bit masks.
fn jaro<W: Word>(peq: &Peq<W>, b: &[u32], a: impl Iterator<Item = u32>, a_len: usize) -> f64 {
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
    transpositions /= 2;
    let sum = (matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64);
    sum / 3.0
}

/// The optimal string alignment distance of the pattern (of `m` characters, 1 or more) and a
/// name: Hyyrö's (2003) bit-parallel form of Myers' algorithm with transpositions.
fn osa_run<W: Word>(peq: &Peq<W>, m: usize, text: impl Iterator<Item = u32>) -> usize {
    let last = W::ONE << (m - 1) as u32;
    let (mut vp, mut vn) = (below::<W>(m), W::ZERO);
    let (mut d0, mut pm_old) = (W::ZERO, W::ZERO);
    let mut distance = m;
    for c in text {
        let pm = peq.get(c);
        let tr = (((!d0) & pm) << 1) & pm_old;
        d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | tr;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != W::ZERO {
            distance += 1;
        } else if hn & last != W::ZERO {
            distance -= 1;
        }
        let hp = (hp << 1) | W::ONE;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_old = pm;
    }
    distance
}

/// Whether `strsim::osa_distance(x, y) <= 1`: equal, or one substitution, insertion,
/// deletion or swap of neighbours apart.
pub fn within_one_edit(x: &str, y: &str) -> bool {
    if !(x.is_ascii() && y.is_ascii()) {
        return x.chars().count().abs_diff(y.chars().count()) <= 1 && strsim::osa_distance(x, y) <= 1;
    }
    let (a, b) = (x.as_bytes(), y.as_bytes());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let common = a.iter().zip(b).take_while(|(p, q)| p == q).count();
    let (a, b) = (&a[common..], &b[common..]);
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Less => a == &b[1..],
        std::cmp::Ordering::Greater => &a[1..] == b,
        std::cmp::Ordering::Equal if a.is_empty() => true,
        std::cmp::Ordering::Equal => {
            a[1..] == b[1..] || (a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Names from a small alphabet, so that near-equal pairs are common; some longer than 64.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[abc ]{0,12}",
            2 => "[a-e]{0,40}",
            1 => "[ab]{60,80}",
            1 => "[a-c ]{50,70}",
            1 => "[aé ]{0,8}",
            1 => "[aéœ\u{fffd}b ]{0,70}",
            1 => "[a-cà-ÿ]{0,40}",
            1 => "[a-c ]{100,140}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn osa_is_strsims(a in name(), b in name()) {
            let longer = a.chars().count().max(b.chars().count());
            let expected = if longer == 0 { 1.0 } else { 1.0 - strsim::osa_distance(&a, &b) as f64 / longer as f64 };
            prop_assert_eq!(normalized_osa(&a, &b), expected);
        }

        #[test]
        fn jaro_winkler_is_strsims(a in name(), b in name()) {
            prop_assert_eq!(jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
        }

        /// Either name may be the pattern: the query is, whichever strsim takes first.
        #[test]
        fn a_pattern_compares_from_either_side(a in name(), b in name()) {
            if let Some(pattern) = Pattern::new(&a) {
                prop_assert_eq!(pattern.jaro_winkler(&b), strsim::jaro_winkler(&a, &b));
                prop_assert_eq!(pattern.osa(&b), strsim::osa_distance(&a, &b));
            }
        }

        #[test]
        fn one_edit_is_strsims(a in name(), b in name()) {
            let expected = a.chars().count().abs_diff(b.chars().count()) <= 1 && strsim::osa_distance(&a, &b) <= 1;
            prop_assert_eq!(within_one_edit(&a, &b), expected);
        }

        #[test]
        fn one_edit_of_a_word_is_found(a in "[a-d]{1,10}", at in 0usize..10, c in "[a-d]") {
            // Every single edit of a word, and the word itself, is within one edit.
            let at = at % a.len();
            let c = c.as_bytes()[0];
            let mut edits = vec![a.clone().into_bytes()];
            let mut substituted = a.clone().into_bytes();
            substituted[at] = c;
            edits.push(substituted);
            let mut inserted = a.clone().into_bytes();
            inserted.insert(at, c);
            edits.push(inserted);
            let mut deleted = a.clone().into_bytes();
            deleted.remove(at);
            edits.push(deleted);
            if at + 1 < a.len() {
                let mut swapped = a.clone().into_bytes();
                swapped.swap(at, at + 1);
                edits.push(swapped);
            }
            for edit in edits {
                let edit = String::from_utf8(edit).unwrap();
                prop_assert!(within_one_edit(&a, &edit), "{} {}", a, edit);
            }
        }
    }

    #[test]
    fn known_distances() {
        let osa_of = |a: &str, b: &str| Pattern::new(a).unwrap().osa(b);
        assert_eq!(osa_of("kitten", "sitting"), 3);
        assert_eq!(osa_of("", "abc"), 3);
        assert_eq!(osa_of(&"a".repeat(64), &"a".repeat(70)), 6);
        assert_eq!(osa_of(&"a".repeat(70), &"a".repeat(64)), 6);
        assert_eq!(osa_of(&"ab".repeat(64), &"ba".repeat(64)), 2, "128 characters, two words");
        assert_eq!(osa_of(&"abcd".repeat(32), &"bacd".repeat(32)), 32, "a swap in every four");
        assert!(Pattern::new(&"a".repeat(129)).is_none());
        assert_eq!(osa_of("aprty", "party"), 1);
        assert_eq!(osa_of("ca", "abc"), 3, "no edit of a swapped pair");
        assert_eq!(osa_of("sécurité", "securite"), 2);
        assert_eq!(osa_of("éa", "aé"), 1);
        assert!(within_one_edit("veitnam", "vietnam"));
        assert!(within_one_edit("vietnam", "vitenam"));
        assert!(!within_one_edit("abcd", "badc"));
        assert!(!within_one_edit("vietnam", "vietnamese"));
    }
}
