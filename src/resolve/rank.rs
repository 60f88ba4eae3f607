//! The parties of a country ranked by how well their names score against a partner, computed
//! only as far as a rule looks.
//!
//! Every (full name, form of the partner) pair has a cheap upper bound on its score: the word
//! overlap is computed exactly, the Levenshtein similarity can be no higher than the ratio of
//! the two lengths, and the Jaro-Winkler similarity no higher than 1. Pairs are scored exactly
//! in the order of their bounds, highest first, and a party's place in the ranking is final
//! once its best exact score is above every bound not yet scored: no later pair can overtake it.
//! The ranking is therefore the same as scoring every pair and sorting (ties: lower Party
//! Facts id first; within a party, the first name and form in registry order), at a fraction
//! of the comparisons, since a rule rarely looks past the first five parties.

use super::score::{Comparison, Prepared, compare, token_overlap};
use super::{Candidate, FastMap, FastSet, Registry};

/// Slack added to each bound, so that floating-point rounding can never put an exact score
/// above its bound.
const EPSILON: f64 = 1e-9;

#[derive(Debug, Clone, Copy)]
struct Pending {
    bound: f64,
    /// Index of the candidate name in the registry.
    name: u32,
    /// Index of the partner's form.
    form: u16,
}

#[derive(Debug, Clone, Copy)]
struct Best {
    score: f64,
    name: u32,
    form: u16,
    comparison: Comparison,
}

/// A partner's ranking within one country, extended on demand.
#[derive(Debug, Clone)]
pub struct Ranking {
    forms: Vec<Prepared>,
    acronym: Option<String>,
    /// Pairs not yet scored, lowest bound first (so the next one is popped from the end).
    pending: Vec<Pending>,
    /// The best exact score so far of each party not yet ranked.
    best: FastMap<i64, Best>,
    /// The highest score in `best`.
    top_score: f64,
    /// The parties whose place is final, best first ...
    ranked: Vec<(i64, Best)>,
    /// ... and their ids.
    placed: FastSet<i64>,
}

impl Ranking {
    pub fn new(registry: &Registry, iso3: &str, forms: &[String], acronym: Option<&str>) -> Ranking {
        let forms: Vec<Prepared> = forms.iter().map(|f| Prepared::new(f)).collect();
        let mut pending = Vec::new();
        if let Some(index) = registry.countries.get(iso3) {
            for &i in &index.full {
                let candidate = &registry.prepared[&i];
                let id = registry.names[i].partyfacts_id;
                let acronym = registry.acronym_agreement(id, acronym);
                for (form, query) in forms.iter().enumerate() {
                    let bound = Comparison {
                        jaro_winkler: 1.0,
                        levenshtein: length_ratio(&query.text, &candidate.text)
                            .max(length_ratio(&query.sorted, &candidate.sorted)),
                        tokens: token_overlap(&query.words, &candidate.words),
                        acronym,
                    };
                    let bound = bound.score(&registry.config.weights) + EPSILON;
                    pending.push(Pending { bound, name: i as u32, form: form as u16 });
                }
            }
        }
        // Lowest bound first; among equal bounds the registry's order is scored first.
        pending.sort_by(|a, b| a.bound.total_cmp(&b.bound).then(b.name.cmp(&a.name)).then(b.form.cmp(&a.form)));
        Ranking {
            forms,
            acronym: acronym.map(str::to_string),
            pending,
            best: FastMap::default(),
            top_score: f64::NEG_INFINITY,
            ranked: Vec::new(),
            placed: FastSet::default(),
        }
    }

    /// The best `n` parties that `keep` accepts, best first (fewer when the country has fewer).
    pub fn top(&mut self, registry: &Registry, n: usize, keep: impl Fn(i64) -> bool) -> Vec<Candidate> {
        while self.ranked.iter().filter(|(id, _)| keep(*id)).count() < n && !self.exhausted() {
            self.step(registry);
        }
        self.ranked
            .iter()
            .filter(|(id, _)| keep(*id))
            .take(n)
            .map(|(id, b)| Candidate {
                partyfacts_id: *id,
                name: registry.names[b.name as usize].name.clone(),
                comparison: b.comparison,
                score: b.score,
            })
            .collect()
    }

    fn exhausted(&self) -> bool {
        self.pending.is_empty() && self.best.is_empty()
    }

    /// Scores pairs until at least one more party's place is final.
    fn step(&mut self, registry: &Registry) {
        let before = self.ranked.len();
        while self.ranked.len() == before && !self.exhausted() {
            if let Some(pair) = self.pending.pop() {
                self.score(registry, pair);
            }
            let ceiling = self.pending.last().map_or(f64::NEG_INFINITY, |p| p.bound);
            if self.top_score > ceiling {
                self.settle(ceiling);
            }
        }
    }

    fn score(&mut self, registry: &Registry, pair: Pending) {
        let i = pair.name as usize;
        let id = registry.names[i].partyfacts_id;
        if self.placed.contains(&id) {
            // Its place is final: this pair scores no higher than the one that placed it.
            return;
        }
        let mut comparison = compare(&self.forms[pair.form as usize], &registry.prepared[&i]);
        comparison.acronym = registry.acronym_agreement(id, self.acronym.as_deref());
        let score = comparison.score(&registry.config.weights);
        let better = |b: &Best| score > b.score || (score == b.score && (pair.name, pair.form) < (b.name, b.form));
        if self.best.get(&id).is_none_or(better) {
            self.best.insert(id, Best { score, name: pair.name, form: pair.form, comparison });
            self.top_score = self.top_score.max(score);
        }
    }

    /// Moves the parties no unscored pair can overtake (best score above `ceiling`) into the
    /// ranking, best first.
    fn settle(&mut self, ceiling: f64) {
        let mut done: Vec<(i64, Best)> =
            self.best.iter().filter(|(_, b)| b.score > ceiling).map(|(id, b)| (*id, *b)).collect();
        if done.is_empty() {
            return;
        }
        done.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        for (id, _) in &done {
            self.best.remove(id);
            self.placed.insert(*id);
        }
        self.ranked.extend(done);
        self.top_score = self.best.values().map(|b| b.score).fold(f64::NEG_INFINITY, f64::max);
    }
}

/// The highest normalised Levenshtein similarity two texts of these lengths can have.
fn length_ratio(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.max(lb) == 0 { 1.0 } else { la.min(lb) as f64 / la.max(lb) as f64 }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::resolve::{CandidateName, NameKind, ResolverConfig};
    use crate::shared::normalize::fold;

    /// Every pair scored, the best per party kept (first name and form on ties), sorted.
    fn exhaustive(registry: &Registry, forms: &[String], acronym: Option<&str>) -> Vec<Candidate> {
        let prepared: Vec<Prepared> = forms.iter().map(|f| Prepared::new(f)).collect();
        let mut best: std::collections::BTreeMap<i64, Candidate> = Default::default();
        for &i in &registry.countries["DEU"].full {
            let id = registry.names[i].partyfacts_id;
            for form in &prepared {
                let mut comparison = compare(form, &registry.prepared[&i]);
                comparison.acronym = registry.acronym_agreement(id, acronym);
                let score = comparison.score(&registry.config.weights);
                if best.get(&id).is_none_or(|c| score > c.score) {
                    let name = registry.names[i].name.clone();
                    best.insert(id, Candidate { partyfacts_id: id, name, comparison, score });
                }
            }
        }
        let mut ranked: Vec<Candidate> = best.into_values().collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.partyfacts_id.cmp(&b.partyfacts_id)));
        ranked
    }

    const WORDS: [&str; 12] = [
        "social",
        "democratic",
        "party",
        "union",
        "christian",
        "free",
        "people",
        "labour",
        "national",
        "liberal",
        "socail",
        "front",
    ];

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(&WORDS[..]), 1..5).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The lazy ranking equals scoring every pair, at any depth and with any filter.
        #[test]
        fn lazy_ranking_equals_exhaustive_scoring(
            names in prop::collection::vec((1i64..12, words(), any::<bool>()), 1..30),
            forms in prop::collection::vec(words(), 1..3),
            acronym in prop::option::of(prop::sample::select(vec!["sdp", "cdu", "fp"])),
            n in 1usize..8,
            odd_only in any::<bool>(),
        ) {
            let names: Vec<CandidateName> = names
                .iter()
                .map(|(id, name, short)| CandidateName {
                    iso3: "DEU".into(),
                    partyfacts_id: *id,
                    name: if *short { name.split(' ').map(|w| &w[..1]).collect() } else { name.clone() },
                    kind: if *short { NameKind::Short } else { NameKind::Full },
                    origin: "partyfacts".into(),
                    year_first: None,
                    year_last: None,
                })
                .collect();
            let registry = Registry::new(names, Vec::new(), ResolverConfig::default());
            let forms: Vec<String> = forms.iter().map(|f| fold(f)).collect();
            let keep = |id: i64| !odd_only || id % 2 == 1;
            let expected: Vec<Candidate> =
                exhaustive(&registry, &forms, acronym).into_iter().filter(|c| keep(c.partyfacts_id)).take(n).collect();
            let mut ranking = Ranking::new(&registry, "DEU", &forms, acronym);
            prop_assert_eq!(ranking.top(&registry, n, keep), expected.clone());
            // Asking again, or for fewer, gives the same prefix.
            prop_assert_eq!(ranking.top(&registry, n, keep), expected);
        }
    }
}
