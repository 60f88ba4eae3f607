//! The string similarities scoring uses, with the results of strsim's, bit-parallel and without
//! allocation per comparison: a [`Pattern`] is one name's character masks (up to 128
//! characters, in one or two machine words), built once and compared with many names. Property
//! tests below check each against strsim.

use std::ops::{BitAnd, BitOr, BitXor, Not, Shl};

use jaro::{JaroRun, jaro};

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

/// Reads two texts in one loop, each character (and its position) to its own run: while both
/// have characters, a step of each in turn, so that the two runs' chains overlap; then the
/// rest of the longer. A macro, so that each run's state stays in registers (through closures
/// the paired loops ran some 8% slower).
macro_rules! side_by_side {
    ($a:expr, $b:expr, |$i:ident, $x:ident| $run_a:expr, |$j:ident, $y:ident| $run_b:expr) => {{
        let (a, b): (&[u8], &[u8]) = ($a, $b);
        let common = a.len().min(b.len());
        for ($i, (&$x, &$y)) in a[..common].iter().zip(&b[..common]).enumerate() {
            let $j = $i;
            $run_a;
            $run_b;
        }
        for ($i, &$x) in a.iter().enumerate().skip(common) {
            $run_a;
        }
        for ($j, &$y) in b.iter().enumerate().skip(common) {
            $run_b;
        }
    }};
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
        self.winkler(jaro, text)
    }

    /// Winkler's bonus on a Jaro similarity of the pattern and `text`: for the characters the
    /// two begin with alike, up to four.
    fn winkler(&self, jaro: f64, text: &str) -> f64 {
        if jaro > 0.7 {
            let prefix = over_codes!(text, |t| t.take(4).zip(&self.codes).take_while(|(p, q)| p == *q).count());
            jaro + 0.1 * prefix as f64 * (1.0 - jaro)
        } else {
            jaro
        }
    }

    /// `(self.jaro_winkler(a), other.jaro_winkler(b))`, the two matchings side by side in one
    /// loop where both are ASCII and narrow, as [`Pattern::normalized_osa_pair`] does.
    pub fn jaro_winkler_pair(&self, a: &str, other: &Pattern, b: &str) -> (f64, f64) {
        let Some(((pa, ta), (pb, tb))) = narrow_ascii_pair(self, a, other, b) else {
            return (self.jaro_winkler(a), other.jaro_winkler(b));
        };
        let mut ra = JaroRun::new(pa, self.codes.len(), ta.len());
        let mut rb = JaroRun::new(pb, other.codes.len(), tb.len());
        side_by_side!(ta, tb, |i, x| ra.step(i, x), |j, y| rb.step(j, y));
        let jaro_a = ra.similarity(&self.codes, ta.len());
        let jaro_b = rb.similarity(&other.codes, tb.len());
        (self.winkler(jaro_a, a), other.winkler(jaro_b, b))
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
        self.normalize(self.osa(text), text)
    }

    /// 1 - `distance` / length of the longer of the pattern and `text`.
    fn normalize(&self, distance: usize, text: &str) -> f64 {
        let longer = self.codes.len().max(length(text));
        if longer == 0 { 1.0 } else { 1.0 - distance as f64 / longer as f64 }
    }

    /// `(self.normalized_osa(a), other.normalized_osa(b))`. For two ASCII texts and patterns
    /// of up to 64 characters, the two runs go side by side in one loop: each is a chain of
    /// dependent operations, one character after another, and the processor overlaps the two
    /// chains (a name's written and sorted forms, compared at once).
    pub fn normalized_osa_pair(&self, a: &str, other: &Pattern, b: &str) -> (f64, f64) {
        let Some(((pa, ta), (pb, tb))) = narrow_ascii_pair(self, a, other, b) else {
            return (self.normalized_osa(a), other.normalized_osa(b));
        };
        let (mut ra, mut rb) = (OsaRun::new(self.codes.len()), OsaRun::new(other.codes.len()));
        side_by_side!(ta, tb, |_i, x| ra.step(ascii_mask(pa, x)), |_j, y| rb.step(ascii_mask(pb, y)));
        (self.normalize(ra.distance, a), other.normalize(rb.distance, b))
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

/// Hyyrö's (2003) bit-parallel form of Myers' algorithm with transpositions, one character of
/// the text at a time: the optimal string alignment distance of a pattern (of 1 or more
/// characters) and the text read so far.
struct OsaRun<W> {
    vp: W,
    vn: W,
    d0: W,
    pm_old: W,
    last: W,
    distance: usize,
}

impl<W: Word> OsaRun<W> {
    fn new(m: usize) -> Self {
        OsaRun {
            vp: below::<W>(m),
            vn: W::ZERO,
            d0: W::ZERO,
            pm_old: W::ZERO,
            last: W::ONE << (m - 1) as u32,
            distance: m,
        }
    }

    /// Reads a character, given as its positions in the pattern.
    #[inline(always)]
    fn step(&mut self, pm: W) {
        let (vp, vn) = (self.vp, self.vn);
        let tr = (((!self.d0) & pm) << 1) & self.pm_old;
        let d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | tr;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & self.last != W::ZERO {
            self.distance += 1;
        } else if hn & self.last != W::ZERO {
            self.distance -= 1;
        }
        let hp = (hp << 1) | W::ONE;
        let hn = hn << 1;
        self.vp = hn | !(d0 | hp);
        self.vn = hp & d0;
        self.d0 = d0;
        self.pm_old = pm;
    }
}

/// The optimal string alignment distance of the pattern (of `m` characters, 1 or more) and a
/// name.
fn osa_run<W: Word>(peq: &Peq<W>, m: usize, text: impl Iterator<Item = u32>) -> usize {
    let mut run = OsaRun::new(m);
    for c in text {
        run.step(peq.get(c));
    }
    run.distance
}

/// A pattern's masks of up to 64 characters and the ASCII text they are run on.
type NarrowAscii<'a> = (&'a Peq<u64>, &'a [u8]);

/// Two patterns of up to 64 characters and two ASCII texts, each pattern's masks ready for
/// its text: what [`Pattern::normalized_osa_pair`] and [`Pattern::jaro_winkler_pair`] run
/// [`side_by_side!`].
fn narrow_ascii_pair<'a>(
    p: &'a Pattern,
    a: &'a str,
    q: &'a Pattern,
    b: &'a str,
) -> Option<(NarrowAscii<'a>, NarrowAscii<'a>)> {
    match (&p.masks, &q.masks) {
        (Masks::Narrow(pa), Masks::Narrow(pb))
            if !p.codes.is_empty() && !q.codes.is_empty() && a.is_ascii() && b.is_ascii() =>
        {
            Some(((&**pa, a.as_bytes()), (&**pb, b.as_bytes())))
        }
        _ => None,
    }
}

/// The positions in the pattern of an ASCII character.
#[inline(always)]
fn ascii_mask(peq: &Peq<u64>, c: u8) -> u64 {
    peq.ascii[usize::from(c & 0x7f)]
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

mod jaro;
#[cfg(test)]
mod tests;
