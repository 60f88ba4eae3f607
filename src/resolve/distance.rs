//! The string similarities scoring uses, with the results of strsim's and a fast path for
//! ASCII names (most folded names are): strsim walks `char`s, decoding UTF-8 at every step.
//! Property tests below check each against strsim.

/// A byte string as strsim's generic functions take it.
struct Bytes<'a>(&'a [u8]);

impl<'b> IntoIterator for &Bytes<'b> {
    type Item = u8;
    type IntoIter = std::iter::Copied<std::slice::Iter<'b, u8>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().copied()
    }
}

/// `strsim::jaro_winkler`: bit-parallel and without allocation for ASCII names of up to 64
/// characters, strsim's own otherwise.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if !(a.is_ascii() && b.is_ascii()) {
        return strsim::jaro_winkler(a, b);
    }
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if y.len() > 64 {
        return strsim::generic_jaro_winkler(&Bytes(x), &Bytes(y));
    }
    let sim = jaro_bytes(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// `strsim::generic_jaro` on bytes, `b` at most 64 long: the same matches (each byte of `a`
/// takes the first unmatched equal byte of `b` in its window), found with bit masks.
fn jaro_bytes(a: &[u8], b: &[u8]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    let mut peq = [0u64; 256];
    for (j, &c) in b.iter().enumerate() {
        peq[c as usize] |= 1 << j;
    }
    let below = |n: usize| if n >= 64 { !0u64 } else { (1u64 << n) - 1 };
    let (mut b_flags, mut matches) = (0u64, 0usize);
    // Matched positions of `a`, in order, as indices into `a` (at most b_len of them).
    let mut a_matched = [0u8; 64];
    for (i, &c) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b_len.min(i + range + 1);
        if lo >= hi {
            continue;
        }
        let window = below(hi) & !below(lo);
        let free = peq[c as usize] & window & !b_flags;
        if free != 0 {
            b_flags |= free & free.wrapping_neg();
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
        flags &= flags - 1;
        if b[j] != c {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// 1 - optimal string alignment distance / length of the longer (`strsim::osa_distance`:
/// Levenshtein with a swap of neighbours as one edit, "aPrty" one edit from "Party").
pub fn normalized_osa(a: &str, b: &str) -> f64 {
    if !(a.is_ascii() && b.is_ascii()) {
        let longer = a.chars().count().max(b.chars().count());
        return if longer == 0 { 1.0 } else { 1.0 - strsim::osa_distance(a, b) as f64 / longer as f64 };
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    1.0 - osa_bytes(a, b) as f64 / a.len().max(b.len()) as f64
}

/// The optimal string alignment distance of two byte strings: Hyyrö's (2003) bit-parallel
/// form of Myers' algorithm with transpositions, when the shorter fits in 64 bits.
fn osa_bytes(a: &[u8], b: &[u8]) -> usize {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return long.len();
    }
    if short.len() > 64 {
        return osa_table(a, b);
    }
    let mut peq = [0u64; 256];
    for (i, &c) in short.iter().enumerate() {
        peq[c as usize] |= 1 << i;
    }
    let m = short.len();
    let last = 1u64 << (m - 1);
    let (mut vp, mut vn) = (if m == 64 { !0 } else { (1u64 << m) - 1 }, 0u64);
    let (mut d0, mut pm_old) = (0u64, 0u64);
    let mut distance = m;
    for &c in long {
        let pm = peq[c as usize];
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

/// The optimal string alignment distance by the full table, for long names.
fn osa_table(a: &[u8], b: &[u8]) -> usize {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    strsim::osa_distance(&a, &b)
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
        assert_eq!(osa_bytes(b"kitten", b"sitting"), 3);
        assert_eq!(osa_bytes(b"", b"abc"), 3);
        assert_eq!(osa_bytes(&[b'a'; 64], &[b'a'; 70]), 6);
        assert_eq!(osa_bytes(b"aprty", b"party"), 1);
        assert_eq!(osa_bytes(b"ca", b"abc"), 3, "no edit of a swapped pair");
        assert!(within_one_edit("veitnam", "vietnam"));
        assert!(within_one_edit("vietnam", "vitenam"));
        assert!(!within_one_edit("abcd", "badc"));
        assert!(!within_one_edit("vietnam", "vietnamese"));
    }
}
