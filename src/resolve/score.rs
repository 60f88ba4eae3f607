//! Comparison of a partner's name with a candidate name: the component scores and how they
//! combine into one.

use super::ScoreWeights;
use super::distance::{self, within_one_edit};
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
    /// 1 - Levenshtein distance / length of the longer name.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The folded name, without the wildcards of broken encodings (a lost character compares
    /// as unknown: dropped rather than counted wrong).
    pub text: String,
    /// Its words in sorted order.
    pub sorted: String,
    /// Its significant words.
    pub words: Vec<String>,
}

impl Prepared {
    pub fn new(folded: &str) -> Prepared {
        let text = if folded.contains(WILDCARD) { folded.replace(WILDCARD, "") } else { folded.to_string() };
        let mut sorted: Vec<&str> = tokens(&text).collect();
        sorted.sort_unstable();
        let sorted = sorted.join(" ");
        let words = significant_words(&text).into_iter().map(str::to_string).collect();
        Prepared { text, sorted, words }
    }
}

/// Compares two prepared names. The character scores are taken on the names as written and
/// on their words in sorted order, whichever is higher, so "Radical Democratic Party" and
/// "Democratic Radical Party" compare as equals.
pub fn compare(q: &Prepared, c: &Prepared) -> Comparison {
    Comparison {
        jaro_winkler: distance::jaro_winkler(&q.text, &c.text).max(distance::jaro_winkler(&q.sorted, &c.sorted)),
        levenshtein: distance::normalized_levenshtein(&q.text, &c.text)
            .max(distance::normalized_levenshtein(&q.sorted, &c.sorted)),
        tokens: token_overlap(&q.words, &c.words),
        acronym: None,
    }
}

/// Compares two folded names (preparing both).
pub fn compare_names(query: &str, candidate: &str) -> Comparison {
    compare(&Prepared::new(query), &Prepared::new(candidate))
}

/// The significant words of a folded name.
pub fn significant_words(folded: &str) -> Vec<&str> {
    tokens(folded).filter(|t| !SMALL.contains(t)).collect()
}

/// Dice coefficient over significant words; words of four letters or more also match with one
/// edit (a transposition counts as one), so "Veitnam" still meets "Vietnam".
pub fn token_overlap(wa: &[String], wb: &[String]) -> f64 {
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let mut used = vec![false; wb.len()];
    let mut matched = 0;
    for x in wa {
        let hit = wb
            .iter()
            .enumerate()
            .position(|(j, y)| !used[j] && (x == y || (x.len() >= 4 && y.len() >= 4 && within_one_edit(x, y))));
        if let Some(j) = hit {
            used[j] = true;
            matched += 1;
        }
    }
    2.0 * matched as f64 / (wa.len() + wb.len()) as f64
}

/// The initials of a name's significant words ("african national congress" -> "anc").
pub fn initials(folded: &str) -> String {
    tokens(folded).filter(|t| !matches!(*t, "of" | "the" | "and" | "for")).filter_map(|t| t.chars().next()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::normalize::fold;

    fn score(a: &str, b: &str) -> f64 {
        compare_names(&fold(a), &fold(b)).score(&ScoreWeights::default())
    }

    #[test]
    fn identical_names_score_one() {
        assert!((score("Communist Party of Vietnam", "Communist Party of Vietnam") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_typo_or_a_dropped_party_scores_high() {
        assert!(score("Communist Party of Veitnam", "Communist Party of Vietnam") > 0.93);
        assert!(score("Cambodian People's", "Cambodian People's Party") > 0.9);
        assert!(score("Liberal Democratic Party", "Liberal Democratic Party of Russia") > 0.8);
    }

    #[test]
    fn word_order_does_not_matter() {
        assert!(score("Democratic Radical Party", "Radical Democratic Party") > 0.99);
    }

    #[test]
    fn different_parties_score_low() {
        assert!(score("Social Democratic Party", "Christian Democratic Union") < 0.6);
        assert!(score("Communist Party of Vietnam", "Communist Party of Britain") < 0.9);
    }

    #[test]
    fn a_disagreeing_abbreviation_costs_acceptance() {
        let mut c = compare_names(&fold("Australian Labor Party"), &fold("Australian Labor Party"));
        c.acronym = Some(0.0);
        assert!(c.score(&ScoreWeights::default()) < 0.9);
    }

    #[test]
    fn initials_skip_small_words() {
        assert_eq!(initials(&fold("African National Congress")), "anc");
        assert_eq!(initials(&fold("Communist Party of Vietnam")), "cpv");
    }
}
