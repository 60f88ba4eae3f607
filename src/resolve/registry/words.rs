//! The words of a country's full names, indexed for the partners' words.

use super::super::FastMap;
use super::super::score::{Prepared, words_match};

/// The significant words of a country's full names, for finding the names that share a word
/// with a partner (equal, or within one edit: the words [`crate::resolve::score::token_overlap`]
/// matches) without comparing the partner with every name: an inverted index, and for words
/// of four letters or more a deletion index in the SymSpell manner (two words one edit apart
/// share a form with at most one letter deleted).
#[derive(Debug, Default)]
pub(in crate::resolve) struct WordIndex {
    ids: FastMap<String, u32>,
    words: Vec<String>,
    /// By word: the positions in `full` of the names that have it.
    postings: Vec<Vec<u32>>,
    /// A word of four letters or more, and each form of it with one letter deleted: the words.
    deletions: FastMap<String, Vec<u32>>,
    /// By position in `full`: the name's significant words, as word ids, in order.
    pub(in crate::resolve) of_name: Vec<Vec<u32>>,
}

impl WordIndex {
    pub(super) fn new(prepared: &[Prepared]) -> WordIndex {
        let mut index = WordIndex::default();
        let mut form = String::new();
        for (pos, p) in prepared.iter().enumerate() {
            let mut of_name = Vec::with_capacity(p.words.len());
            for word in &p.words {
                let next = index.words.len() as u32;
                let id = *index.ids.entry(word.clone()).or_insert(next);
                of_name.push(id);
                if id == next {
                    index.words.push(word.clone());
                    index.postings.push(Vec::new());
                    if word.len() >= 4 {
                        deletion_forms(word, &mut form, |f| {
                            let ids = index.deletions.entry(f.to_string()).or_default();
                            if ids.last() != Some(&id) {
                                ids.push(id);
                            }
                        });
                    }
                }
                let postings = &mut index.postings[id as usize];
                if postings.last() != Some(&(pos as u32)) {
                    postings.push(pos as u32);
                }
            }
            index.of_name.push(of_name);
        }
        index
    }

    /// For each of `words`, the ids of the index's words it matches (equal, or within one edit
    /// as [`words_match`] says), found through the deletion index: a word of the index is
    /// checked once, however many deletion forms lead to it; the forms are written into one
    /// buffer.
    pub(in crate::resolve) fn matching(&self, words: &[String]) -> Vec<Vec<u32>> {
        let mut form = String::new();
        words
            .iter()
            .map(|word| {
                let mut matched: Vec<u32> = self.ids.get(word).copied().into_iter().collect();
                if word.len() >= 4 {
                    deletion_forms(word, &mut form, |f| {
                        for &id in self.deletions.get(f).into_iter().flatten() {
                            if !matched.contains(&id) && words_match(word, &self.words[id as usize]) {
                                matched.push(id);
                            }
                        }
                    });
                }
                matched
            })
            .collect()
    }

    /// Marks the names that have one of the words `matching` found.
    pub(in crate::resolve) fn mark_sharing(&self, matching: &[Vec<u32>], marked: &mut [bool]) {
        for &id in matching.iter().flatten() {
            for &pos in &self.postings[id as usize] {
                marked[pos as usize] = true;
            }
        }
    }
}

/// Calls `each` with a word and each form of it with one character deleted, written in turn
/// into `form`.
fn deletion_forms(word: &str, form: &mut String, mut each: impl FnMut(&str)) {
    each(word);
    for (i, c) in word.char_indices() {
        form.clear();
        form.push_str(&word[..i]);
        form.push_str(&word[i + c.len_utf8()..]);
        each(form);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::resolve::score::{token_overlap, token_overlap_ids};

    const WORDS: [&str; 10] =
        ["social", "socail", "sozial", "union", "unoin", "front", "fronts", "pdp", "pdq", "ñandú"];

    fn name() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(&WORDS[..]), 0..70).prop_map(|w| w.join(" "))
    }

    proptest! {
        /// The partner's words matched through the index give every name the word overlap the
        /// words compared as strings give.
        #[test]
        fn overlap_through_the_index_equals_overlap_of_strings(
            names in prop::collection::vec(name(), 1..6),
            partner in name(),
        ) {
            let prepared: Vec<Prepared> = names.iter().map(|n| Prepared::new(n)).collect();
            let index = WordIndex::new(&prepared);
            let partner = Prepared::new(&partner);
            let matching = index.matching(&partner.words);
            for (pos, name) in prepared.iter().enumerate() {
                let by_ids = token_overlap_ids(&matching, &index.of_name[pos]);
                prop_assert_eq!(by_ids, token_overlap(&partner.words, &name.words));
            }
        }
    }
}
