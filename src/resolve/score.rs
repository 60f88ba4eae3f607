//! Comparison of a partner's name with a candidate name: the component scores and how they
//! combine into one.

use super::ScoreWeights;
use super::distance::{self, Pattern, within_one_edit};
use crate::shared::normalize::{WILDCARD, tokens};

/// Words left out of word comparisons: articles and prepositions that come and go between
/// spellings, and "party", which news items add or drop.
const SMALL: [&str; 16] =
    ["the", "of", "and", "for", "de", "la", "del", "el", "du", "des", "le", "les", "da", "do", "party", "a"];

/// A comparison of two names: the parts a score is made of, each from 0 to 1 (Splink's
/// comparison levels, here continuous).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Jaro-Winkler similarity of the folded names.
    pub jaro_winkler: f64,
    /// 1 - edit distance / length of the longer name, the edits those of Levenshtein and a
    /// swap of neighbouring letters ("aPrty"), each counting one (optimal string alignment).
    pub levenshtein: f64,
    /// Dice overlap of the significant words, a word matching another within one edit.
    pub tokens: f64,
    /// Whether the abbreviation the partner gives is one of the party's: 1 yes, 0 no, None
    /// when the partner gives none or the party has none.
    pub acronym: Option<f64>,
}

impl Comparison {
    /// The combined score, the parts weighed by `weights`.
    pub fn score(&self, weights: &ScoreWeights) -> f64 {
        let base = weights.jaro_winkler * self.jaro_winkler
            + weights.levenshtein * self.levenshtein
            + weights.tokens * self.tokens;
        match self.acronym {
            Some(a) => weights.name * base + weights.acronym * a,
            None => base,
        }
    }

    /// The combined score of the names alone, without the abbreviation.
    pub fn name_score(&self, weights: &ScoreWeights) -> f64 {
        Comparison { acronym: None, ..*self }.score(weights)
    }
}

/// A folded name made ready for comparison once, so that scoring a partner against every
/// name of a country allocates nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The folded name, without the wildcards of broken encodings (a lost character compares
    /// as unknown: dropped rather than counted wrong).
    pub text: String,
    /// Its words in sorted order.
    pub sorted: String,
    /// Its significant words.
    pub words: Vec<String>,
    /// Its characters other than spaces, counted by [`bucket`]: two names can share no more
    /// characters than their buckets share, which bounds both similarities from above.
    /// Counts above 255 are kept as 255 (a min with the other name's count is still exact
    /// while that one's is below 256); `saturated` says a count was cut.
    bag: [u8; BUCKETS],
    saturated: bool,
    /// Characters and spaces of `text`, then of `sorted` (which may have fewer spaces).
    lengths: [(u32, u32); 2],
    /// One over each of the lengths of characters (0 for none): [`Prepared::bounds`] is taken
    /// for millions of pairs, and its divisions were half of its time.
    inverse: [f64; 2],
    /// Whether `sorted` is `text`: its words were in order already.
    in_order: bool,
}

const BUCKETS: usize = 32;

/// The bucket a character is counted in: one per ASCII letter, one for digits, four shared by
/// every other character (so the count of a bucket is never below the matches in it).
fn bucket(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26,
        _ => 27 + (c as usize % 5),
    }
}

impl Prepared {
    pub fn new(folded: &str) -> Prepared {
        let text = if folded.contains(WILDCARD) { folded.replace(WILDCARD, "") } else { folded.to_string() };
        let mut sorted: Vec<&str> = tokens(&text).collect();
        sorted.sort_unstable();
        let sorted = sorted.join(" ");
        let words = significant_words(&text).into_iter().map(str::to_string).collect();
        let mut counts = [0u32; BUCKETS];
        for c in text.chars().filter(|&c| c != ' ') {
            counts[bucket(c)] += 1;
        }
        let bag = counts.map(|n| u8::try_from(n).unwrap_or(u8::MAX));
        let saturated = counts.iter().any(|&n| n > u32::from(u8::MAX));
        let length = |s: &str| (s.chars().count() as u32, s.bytes().filter(|&b| b == b' ').count() as u32);
        let lengths = [length(&text), length(&sorted)];
        let inverse = lengths.map(|(chars, _)| inverse(chars));
        let in_order = sorted == text;
        Prepared { text, sorted, words, bag, saturated, lengths, inverse, in_order }
    }

    /// Upper bounds of the Jaro-Winkler and normalised Levenshtein similarities [`compare`]
    /// can give the two names, from their lengths, shared characters and first letters: the
    /// edit distance is at least (longer - shared), a swap changing no character; Jaro counts
    /// at most the shared characters as matches, and Winkler's bonus is for the letters the two
    /// begin with alike.
    pub fn bounds(&self, other: &Prepared) -> (f64, f64) {
        let shared: u32 = if self.saturated && other.saturated {
            // Both names have a letter over 255 times: the characters other than spaces of the
            // shorter bound what they share.
            let letters = |p: &Prepared| p.lengths[0].0 - p.lengths[0].1;
            letters(self).min(letters(other))
        } else {
            shared_in(&self.bag, &other.bag)
        };
        let (mut jaro_winkler, mut levenshtein) = (0.0f64, 0.0f64);
        for k in 0..2 {
            let ((la, sa), (lb, sb)) = (self.lengths[k], other.lengths[k]);
            let prefix = || {
                let (a, b) = if k == 0 { (&self.text, &other.text) } else { (&self.sorted, &other.sorted) };
                a.bytes().zip(b.bytes()).take(4).take_while(|(x, y)| x == y).count()
            };
            let lengths = [(la, self.inverse[k]), (lb, other.inverse[k])];
            let (jw, lev) = similarity_bounds(shared + sa.min(sb), lengths, prefix);
            jaro_winkler = jaro_winkler.max(jw);
            levenshtein = levenshtein.max(lev);
        }
        (jaro_winkler, levenshtein)
    }

    /// The characters of its text and of its sorted words.
    pub fn lengths(&self) -> [u32; 2] {
        self.lengths.map(|(chars, _)| chars)
    }

    /// What [`Prepared::bounds`] can give with any name of a class, from what the class's
    /// names can share at most (`envelope`) and their lengths: those of their text and sorted
    /// words are within `ranges` (lowest, highest). Two names share at most the shorter's
    /// characters and what the envelope's counts allow, and may begin alike. Below that
    /// many shared characters both bounds grow as the other length nears it, and above it
    /// they fall, so the length in the range nearest it bounds them all. With
    /// [`Envelope::any`], the bounds from the lengths alone.
    pub fn class_bounds(&self, envelope: &Envelope, ranges: [(u32, u32); 2]) -> (f64, f64) {
        let shared = if self.saturated && envelope.saturated { u32::MAX } else { shared_in(&self.bag, &envelope.bag) };
        let (mut jaro_winkler, mut levenshtein) = (0.0f64, 0.0f64);
        for (k, (low, high)) in ranges.into_iter().enumerate() {
            let (lb, spaces) = self.lengths[k];
            let common = shared.saturating_add(spaces.min(envelope.spaces[k])).min(lb);
            let la = common.clamp(low, high);
            let (jw, lev) = similarity_bounds(common.min(la), [(la, inverse(la)), (lb, self.inverse[k])], || 4);
            jaro_winkler = jaro_winkler.max(jw);
            levenshtein = levenshtein.max(lev);
        }
        (jaro_winkler, levenshtein)
    }
}

/// The most a set of names can share with another: per bucket the highest count of any of
/// them, the most spaces in their text and in their sorted words, and whether any count was
/// cut at 255.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    bag: [u8; BUCKETS],
    spaces: [u32; 2],
    saturated: bool,
}

impl Envelope {
    /// An envelope of no name, to [`Envelope::add`] names to.
    pub fn empty() -> Envelope {
        Envelope { bag: [0; BUCKETS], spaces: [0; 2], saturated: false }
    }

    /// An envelope that allows any name.
    pub fn any() -> Envelope {
        Envelope { bag: [u8::MAX; BUCKETS], spaces: [u32::MAX; 2], saturated: true }
    }

    /// Widens the envelope to allow `name` too.
    pub fn add(&mut self, name: &Prepared) {
        for (high, count) in self.bag.iter_mut().zip(&name.bag) {
            *high = (*high).max(*count);
        }
        for (high, (_, spaces)) in self.spaces.iter_mut().zip(name.lengths) {
            *high = (*high).max(spaces);
        }
        self.saturated |= name.saturated;
    }
}

/// The characters two bags can share at most: per bucket, the smaller count.
fn shared_in(a: &[u8; BUCKETS], b: &[u8; BUCKETS]) -> u32 {
    a.iter().zip(b).map(|(x, y)| u32::from(*x.min(y))).sum()
}

/// One over `n`, or 0 for 0.
fn inverse(n: u32) -> f64 {
    if n == 0 { 0.0 } else { 1.0 / f64::from(n) }
}

/// The Jaro-Winkler and normalised Levenshtein similarities two strings of `la` and `lb`
/// characters (each with one over it) can reach when they have at most `common` characters in
/// common and begin alike in at most `prefix()` characters (asked only when Winkler's bonus
/// applies). Multiplied by the inverses, the bounds may differ from the quotients in the last
/// bits: a ranking adds a slack far above that to every bound.
fn similarity_bounds(common: u32, [(la, ia), (lb, ib)]: [(u32, f64); 2], prefix: impl FnOnce() -> usize) -> (f64, f64) {
    let common = f64::from(common);
    let (jaro, lev) = if la == 0 && lb == 0 {
        (1.0, 1.0)
    } else if la == 0 || lb == 0 || common == 0.0 {
        (0.0, 0.0)
    } else {
        ((common * ia + common * ib + 1.0) * (1.0 / 3.0), common * ia.min(ib))
    };
    // Winkler's bonus counts the characters the two strings begin with alike, up to four;
    // counted in bytes, which are never fewer. It is taken from just below its threshold: a
    // Jaro computed in another order may pass 0.7 by the last bit where this bound stops at it.
    let jaro_winkler = if jaro > 0.7 - 1e-9 { jaro + 0.1 * prefix() as f64 * (1.0 - jaro) } else { jaro };
    (jaro_winkler.min(1.0), lev.min(1.0))
}

/// A partner's form made ready to be compared with every name of its country: the prepared
/// name and the bit-parallel patterns of its text and sorted words, built once for all pairs.
#[derive(Debug, Clone)]
pub struct Form {
    pub name: Prepared,
    text: Option<Pattern>,
    /// None when the words are in order already (the text's pattern serves) or too long.
    sorted: Option<Pattern>,
}

impl Form {
    pub fn new(folded: &str) -> Form {
        let name = Prepared::new(folded);
        let text = Pattern::new(&name.text);
        let sorted = if name.in_order { None } else { Pattern::new(&name.sorted) };
        Form { name, text, sorted }
    }

    fn sorted_pattern(&self) -> Option<&Pattern> {
        if self.name.in_order { self.text.as_ref() } else { self.sorted.as_ref() }
    }
}

/// Compares a partner's form with a name. The character scores are taken on the names as
/// written and on their words in sorted order, whichever is higher, so "Radical Democratic
/// Party" and "Democratic Radical Party" compare as equals.
pub fn compare(q: &Form, c: &Prepared) -> Comparison {
    Comparison {
        jaro_winkler: jaro_winkler(q, c),
        levenshtein: levenshtein(q, c),
        tokens: token_overlap(&q.name.words, &c.words),
        acronym: None,
    }
}

/// The Jaro-Winkler part of [`compare`]: of the names as written or of their sorted words,
/// the higher.
pub fn jaro_winkler(q: &Form, c: &Prepared) -> f64 {
    higher_of_orders(q, c, Pattern::jaro_winkler, Pattern::jaro_winkler_pair, distance::jaro_winkler)
}

/// The normalised Levenshtein (OSA) part of [`compare`], like [`jaro_winkler`].
pub fn levenshtein(q: &Form, c: &Prepared) -> f64 {
    higher_of_orders(q, c, Pattern::normalized_osa, Pattern::normalized_osa_pair, distance::normalized_osa)
}

/// A similarity of the names as written and of their sorted words, the higher: through the
/// partner's patterns (both orders at once by `pair`), or `plain` where a name has none.
fn higher_of_orders(
    q: &Form,
    c: &Prepared,
    through: impl Fn(&Pattern, &str) -> f64,
    pair: impl Fn(&Pattern, &str, &Pattern, &str) -> (f64, f64),
    plain: impl Fn(&str, &str) -> f64,
) -> f64 {
    let of = |pattern: Option<&Pattern>, q: &str, c: &str| pattern.map_or_else(|| plain(q, c), |p| through(p, c));
    // Names already in word order compare the same sorted: no second pass.
    if q.name.in_order && c.in_order {
        return of(q.text.as_ref(), &q.name.text, &c.text);
    }
    match (q.text.as_ref(), q.sorted_pattern()) {
        (Some(written), Some(sorted)) => {
            let (written, sorted) = pair(written, &c.text, sorted, &c.sorted);
            written.max(sorted)
        }
        (written, sorted) => of(written, &q.name.text, &c.text).max(of(sorted, &q.name.sorted, &c.sorted)),
    }
}

/// Compares two folded names (preparing both).
pub fn compare_names(query: &str, candidate: &str) -> Comparison {
    compare(&Form::new(query), &Prepared::new(candidate))
}

/// The significant words of a folded name.
pub fn significant_words(folded: &str) -> Vec<&str> {
    tokens(folded).filter(|t| !SMALL.contains(t)).collect()
}

/// Dice coefficient over significant words; words of four letters or more also match with one
/// edit (a transposition counts as one), so "Veitnam" still meets "Vietnam".
pub fn token_overlap(wa: &[String], wb: &[String]) -> f64 {
    dice(wa.len(), wb.len(), |i, j| words_match(&wa[i], &wb[j]))
}

/// [`token_overlap`] with the words as ids of a country's word index: for each word of `wa`,
/// the ids of the index's words it matches (as [`words_match`] says); `wb`, a name's words.
/// No string is compared: a partner's words are matched against the index once, not against
/// each name.
pub fn token_overlap_ids(wa: &[Vec<u32>], wb: &[u32]) -> f64 {
    dice(wa.len(), wb.len(), |i, j| wa[i].contains(&wb[j]))
}

/// Dice coefficient of `na` and `nb` words, each word of the first taking the first word of
/// the second not yet taken that `matches` it.
fn dice(na: usize, nb: usize, matches: impl Fn(usize, usize) -> bool) -> f64 {
    if na == 0 || nb == 0 {
        return 0.0;
    }
    let mut matched = 0;
    if nb <= 64 {
        // The words of the second already taken, as bits.
        let mut used = 0u64;
        for i in 0..na {
            if let Some(j) = (0..nb).find(|&j| used & (1 << j) == 0 && matches(i, j)) {
                used |= 1 << j;
                matched += 1;
            }
        }
    } else {
        let mut used = vec![false; nb];
        for i in 0..na {
            if let Some(j) = (0..nb).find(|&j| !used[j] && matches(i, j)) {
                used[j] = true;
                matched += 1;
            }
        }
    }
    2.0 * matched as f64 / (na + nb) as f64
}

/// Two significant words match when equal, or, both of four letters or more, one edit apart.
pub fn words_match(x: &str, y: &str) -> bool {
    x == y || (x.len() >= 4 && y.len() >= 4 && within_one_edit(x, y))
}

/// The initials of a name's significant words ("african national congress" -> "anc").
pub fn initials(folded: &str) -> String {
    tokens(folded).filter(|t| !matches!(*t, "of" | "the" | "and" | "for")).filter_map(|t| t.chars().next()).collect()
}

#[cfg(test)]
mod tests;
