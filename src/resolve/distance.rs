//! The string similarities scoring uses, with the results of strsim's, bit-parallel and without
//! allocation for names of up to 64 characters (ASCII names, most folded names are, read as
//! bytes). Property tests below check each against strsim.

/// The most distinct non-ASCII characters a [`Peq`] holds; a name with more is compared by
/// strsim's own functions.
const OTHERS: usize = 16;

/// A pattern's positions of each character, as bit masks: a table for ASCII (most folded
/// names), a short list for other characters. Kept small (1.3 KB), as it is built for every
/// comparison.
struct Peq {
    ascii: [u64; 128],
    others: [(u32, u64); OTHERS],
    n_others: usize,
}

impl Peq {
    /// The masks of `pattern`, at most 64 characters; None when it has more than [`OTHERS`]
    /// distinct non-ASCII characters.
    #[inline(always)]
    fn new(pattern: impl Iterator<Item = u32>) -> Option<Peq> {
        let mut peq = Peq { ascii: [0; 128], others: [(0, 0); OTHERS], n_others: 0 };
        for (i, c) in pattern.enumerate() {
            if c < 128 {
                peq.ascii[c as usize] |= 1 << i;
            } else if let Some(entry) = peq.others[..peq.n_others].iter_mut().find(|(o, _)| *o == c) {
                entry.1 |= 1 << i;
            } else if peq.n_others < OTHERS {
                peq.others[peq.n_others] = (c, 1 << i);
                peq.n_others += 1;
            } else {
                return None;
            }
        }
        Some(peq)
    }

    fn get(&self, c: u32) -> u64 {
        if c < 128 {
            self.ascii[c as usize]
        } else {
            self.others[..self.n_others].iter().find(|(o, _)| *o == c).map_or(0, |(_, m)| *m)
        }
    }
}

/// A name as character codes: its bytes when ASCII, else its chars.
enum Codes<'a> {
    Bytes(std::str::Bytes<'a>),
    Chars(std::str::Chars<'a>),
}

impl Iterator for Codes<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        match self {
            Codes::Bytes(b) => b.next().map(u32::from),
            Codes::Chars(c) => c.next().map(u32::from),
        }
    }
}

fn codes(s: &str) -> Codes<'_> {
    if s.is_ascii() { Codes::Bytes(s.bytes()) } else { Codes::Chars(s.chars()) }
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

fn length(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().count() }
}

/// `strsim::jaro_winkler`: bit-parallel and without allocation when the second name has up to
/// 64 characters, strsim's own otherwise.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let b_len = length(b);
    if b_len > 64 {
        return strsim::jaro_winkler(a, b);
    }
    let mut b_codes = [0u32; 64];
    for (slot, c) in b_codes.iter_mut().zip(codes(b)) {
        *slot = c;
    }
    let Some(sim) = over_codes!(a, |a_codes| jaro_codes(a_codes, length(a), &b_codes[..b_len])) else {
        return strsim::jaro_winkler(a, b);
    };
    if sim > 0.7 {
        let prefix = codes(a).take(4).zip(codes(b)).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// `strsim::generic_jaro`, `b` at most 64 long: the same matches (each character of `a` takes
/// the first unmatched equal character of `b` in its window), found with bit masks.
fn jaro_codes(a: impl Iterator<Item = u32>, a_len: usize, b: &[u32]) -> Option<f64> {
    let b_len = b.len();
    if a_len == 0 && b_len == 0 {
        return Some(1.0);
    } else if a_len == 0 || b_len == 0 {
        return Some(0.0);
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    let Some(peq) = Peq::new(b.iter().copied()) else { return None };
    let below = |n: usize| if n >= 64 { !0u64 } else { (1u64 << n) - 1 };
    let (mut b_flags, mut matches) = (0u64, 0usize);
    // Matched characters of `a`, in order (at most b_len of them).
    let mut a_matched = [0u32; 64];
    for (i, c) in a.enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b_len.min(i + range + 1);
        if lo >= hi {
            continue;
        }
        let window = below(hi) & !below(lo);
        let free = peq.get(c) & window & !b_flags;
        if free != 0 {
            b_flags |= free & free.wrapping_neg();
            a_matched[matches] = c;
            matches += 1;
        }
    }
    if matches == 0 {
        return Some(0.0);
    }
    let mut transpositions = 0usize;
    let mut flags = b_flags;
    for &c in &a_matched[..matches] {
        let j = flags.trailing_zeros() as usize;
        flags &= flags - 1;
        if b[j] != c {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    let sum = (matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64);
    Some(sum / 3.0)
}

/// 1 - optimal string alignment distance / length of the longer (`strsim::osa_distance`:
/// Levenshtein with a swap of neighbours as one edit, "aPrty" one edit from "Party").
pub fn normalized_osa(a: &str, b: &str) -> f64 {
    let (a_len, b_len) = (length(a), length(b));
    if a_len == 0 && b_len == 0 {
        return 1.0;
    }
    let distance = if a_len <= b_len { osa(a, a_len, b) } else { osa(b, b_len, a) };
    1.0 - distance as f64 / a_len.max(b_len) as f64
}

/// The optimal string alignment distance of `short` (of `m` characters) and a name at least as
/// long: Hyyrö's (2003) bit-parallel form of Myers' algorithm with transpositions, when the
/// shorter fits in 64 bits; strsim's full table otherwise.
fn osa(short: &str, m: usize, long: &str) -> usize {
    if m == 0 {
        return length(long);
    }
    if m > 64 {
        return strsim::osa_distance(short, long);
    }
    let Some(peq) = Peq::new(codes(short)) else { return strsim::osa_distance(short, long) };
    over_codes!(long, |long_codes| osa_run(&peq, m, long_codes))
}

/// The bit-parallel recurrence of [`osa`] over the longer name's characters.
fn osa_run(peq: &Peq, m: usize, long: impl Iterator<Item = u32>) -> usize {
    let last = 1u64 << (m - 1);
    let (mut vp, mut vn) = (if m == 64 { !0 } else { (1u64 << m) - 1 }, 0u64);
    let (mut d0, mut pm_old) = (0u64, 0u64);
    let mut distance = m;
    for c in long {
        let pm = peq.get(c);
        let tr = (((!d0) & pm) << 1) & pm_old;
        d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | tr;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            distance += 1;
        } else if hn & last != 0 {
            distance -= 1;
        }
        let hp = (hp << 1) | 1;
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
        let osa_of =
            |a: &str, b: &str| if length(a) <= length(b) { osa(a, length(a), b) } else { osa(b, length(b), a) };
        assert_eq!(osa_of("kitten", "sitting"), 3);
        assert_eq!(osa_of("", "abc"), 3);
        assert_eq!(osa_of(&"a".repeat(64), &"a".repeat(70)), 6);
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
