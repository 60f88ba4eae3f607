//! The parties of a country ranked by how well their names score against a partner, computed
//! only as far as a rule looks.
//!
//! Every (full name, form of the partner) pair has a cheap upper bound on its score: the word
//! overlap is computed exactly, and the Levenshtein and Jaro-Winkler similarities can be no
//! higher than the characters the two names share allow ([`Prepared::bounds`]). Names that
//! share no word with the partner (the country's word index finds the others) have a word
//! overlap of 0, so the scores of the names of one length are all below a bound from that
//! length and the most of each character any of them has ([`Prepared::class_bounds`]); such
//! a class's pairs are not even bounded one by one unless the ranking reaches down to its
//! bound; when it does, only the highest of their bounds enter the heap, a batch at a time,
//! the others waiting beside it under their highest bound. Pairs are scored exactly in the
//! order of their bounds, highest first, and a party's place in the ranking is final once its
//! best exact score is above every bound not yet scored: no later pair can overtake it. A pair
//! is scored in two halves: once its Levenshtein similarity is known, its bound is taken
//! again, and if another pair's is now higher, it waits its turn again (Jaro-Winkler is not
//! computed for most pairs that do not make the ranking). The
//! ranking is therefore the same as scoring every pair and sorting (ties: lower Party Facts id
//! first; within a party, the first name and form in registry order), at a fraction of the
//! comparisons, since a rule rarely looks past the first five parties.
//!
//! [`Prepared::bounds`]: super::score::Prepared::bounds
//! [`Prepared::class_bounds`]: super::score::Prepared::class_bounds

use std::collections::BinaryHeap;

mod pending;

use pending::{Pair, Pending, Spare};

use super::registry::CountryIndex;
use super::score::{self, Comparison, Envelope, Form, token_overlap_ids};
use super::{Candidate, FastMap, FastSet, Registry, ScoreWeights};

/// Slack added to each bound, so that floating-point rounding can never put an exact score
/// above its bound.
const EPSILON: f64 = 1e-9;

/// Names of one length without a shared word (a range of [`Ranking::rest`]), and the bound of
/// their pairs.
#[derive(Debug, Clone)]
struct Class {
    bound: f64,
    names: std::ops::Range<usize>,
}

/// The bound of a pair without a shared word (a word overlap of 0) whose characters score at
/// most `jaro_winkler` and `levenshtein`, for a partner that gives an abbreviation or not: a
/// pair's abbreviation agrees or not only when the partner gives one
/// ([`Registry::acronym_agreement`]).
fn rest_bound(weights: &ScoreWeights, jaro_winkler: f64, levenshtein: f64, abbreviated: bool) -> f64 {
    let score = |acronym| Comparison { jaro_winkler, levenshtein, tokens: 0.0, acronym }.score(weights);
    let with = if abbreviated { score(Some(1.0)) } else { f64::NEG_INFINITY };
    score(None).max(with) + EPSILON
}

#[derive(Debug, Clone, Copy)]
struct Best {
    score: f64,
    /// Index of the candidate name in the registry.
    name: u32,
    form: u16,
    comparison: Comparison,
}

/// What a ranking knows of a party's score ([`Ranking::nth_score`]): exact, or at most a bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Known {
    Exact(f64),
    AtMost(f64),
}

/// A partner's ranking within one country, extended on demand.
#[derive(Debug, Clone)]
pub struct Ranking {
    iso3: String,
    forms: Vec<Form>,
    /// Per form, per significant word: the ids of the country's words it matches.
    matching: Vec<Vec<Vec<u32>>>,
    acronym: Option<String>,
    /// Every pair bounded, as far as it is scored.
    pairs: Vec<Pair>,
    /// Pairs not yet scored, highest bound first.
    pending: BinaryHeap<Pending>,
    /// The names that share no word with the partner, by length once `by_length` ...
    rest: Vec<u32>,
    /// ... in classes not yet bounded one by one, lowest bound first: one class of them all
    /// under the bound of any name without a shared word until the ranking first reaches it,
    /// then classes of one length (most rankings never reach it, and so never sort).
    classes: Vec<Class>,
    by_length: bool,
    /// Pairs bounded but not yet in the heap, and the highest of their bounds: a ranking that
    /// reaches a class of names without a shared word bounds every name of it, but rarely
    /// scores more than a few, so only the highest are pushed into the heap, a batch at a time.
    deferred: Vec<Pending>,
    deferred_bound: f64,
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
        let forms: Vec<Form> = forms.iter().map(|f| Form::new(f)).collect();
        let weights = &registry.config.weights;
        let mut ranking = Ranking {
            iso3: iso3.to_string(),
            forms,
            matching: Vec::new(),
            acronym: acronym.map(str::to_string),
            pairs: Spare::buffer(),
            pending: BinaryHeap::new(),
            rest: Vec::new(),
            classes: Vec::new(),
            by_length: false,
            deferred: Spare::buffer(),
            deferred_bound: f64::NEG_INFINITY,
            best: FastMap::default(),
            top_score: f64::NEG_INFINITY,
            ranked: Vec::new(),
            placed: FastSet::default(),
        };
        let Some(index) = registry.countries.get(iso3) else { return ranking };
        // The forms share most of their words ("communist party of viet nam cpv", "communist
        // party of viet nam"): each word is matched against the index once.
        let mut words: Vec<String> = Vec::new();
        let mut word_of = |word: &String| {
            words.iter().position(|w| w == word).unwrap_or_else(|| {
                words.push(word.clone());
                words.len() - 1
            })
        };
        let of_forms: Vec<Vec<usize>> =
            ranking.forms.iter().map(|form| form.name.words.iter().map(&mut word_of).collect()).collect();
        let matched = index.words.matching(&words);
        ranking.matching = of_forms.iter().map(|form| form.iter().map(|&w| matched[w].clone()).collect()).collect();
        let mut sharing = vec![false; index.full.len()];
        index.words.mark_sharing(&matched, &mut sharing);
        let mut pending = Spare::buffer();
        let mut rest = Vec::new();
        for (pos, shares) in sharing.into_iter().enumerate() {
            if shares {
                ranking.bound_pairs(registry, index, pos as u32, true, &mut pending);
            } else {
                rest.push(pos as u32);
            }
        }
        ranking.pending = BinaryHeap::from(pending);
        if !rest.is_empty() {
            // Characters score at most 1.
            let bound = rest_bound(weights, 1.0, 1.0, ranking.acronym.is_some());
            ranking.classes.push(Class { bound, names: 0..rest.len() });
        }
        ranking.rest = rest;
        ranking
    }

    /// The names without a shared word sorted by length (a counting sort), and their classes
    /// of one length, each with the bound of its pairs: the word overlap is 0, and the
    /// characters score no higher than the class's lengths and the characters its names
    /// have allow ([`Prepared::class_bounds`]).
    fn length_classes(&self, index: &CountryIndex, weights: &ScoreWeights, rest: &[u32]) -> (Vec<u32>, Vec<Class>) {
        let lengths = |pos: u32| index.prepared[pos as usize].lengths();
        let longest = rest.iter().map(|&pos| lengths(pos)[0]).max().unwrap_or(0) as usize;
        let mut starts = vec![0usize; longest + 2];
        for &pos in rest {
            starts[lengths(pos)[0] as usize + 1] += 1;
        }
        for l in 1..starts.len() {
            starts[l] += starts[l - 1];
        }
        let mut next = starts.clone();
        let mut sorted = vec![0u32; rest.len()];
        for &pos in rest {
            let l = lengths(pos)[0] as usize;
            sorted[next[l]] = pos;
            next[l] += 1;
        }
        let mut classes: Vec<Class> = (0..=longest)
            .filter(|&l| starts[l] < starts[l + 1])
            .map(|l| {
                let names = starts[l]..starts[l + 1];
                let mut envelope = Envelope::empty();
                let (mut low, mut high) = (u32::MAX, 0);
                for &pos in &sorted[names.clone()] {
                    envelope.add(&index.prepared[pos as usize]);
                    let words = lengths(pos)[1];
                    (low, high) = (low.min(words), high.max(words));
                }
                let bound = self.forms.iter().fold(f64::NEG_INFINITY, |bound, form| {
                    let (jw, lev) = form.name.class_bounds(&envelope, [(l as u32, l as u32), (low, high)]);
                    bound.max(rest_bound(weights, jw, lev, self.acronym.is_some()))
                });
                Class { bound, names }
            })
            .collect();
        classes.sort_by(|a, b| a.bound.total_cmp(&b.bound));
        (sorted, classes)
    }

    /// The bounds of every pair of a name with the partner's forms. A name that `shares` no
    /// word with any form (the word index says so) has a word overlap of 0 with each.
    fn bound_pairs(
        &mut self,
        registry: &Registry,
        index: &CountryIndex,
        pos: u32,
        shares: bool,
        out: &mut Vec<Pending>,
    ) {
        let candidate = &index.prepared[pos as usize];
        let id = registry.names[index.full[pos as usize]].partyfacts_id;
        let acronym = registry.acronym_agreement(id, self.acronym.as_deref());
        let words = &index.words.of_name[pos as usize];
        for (form, query) in self.forms.iter().enumerate() {
            let (jaro_winkler, levenshtein) = query.name.bounds(candidate);
            let tokens = if shares { token_overlap_ids(&self.matching[form], words) } else { 0.0 };
            let bound = Comparison { jaro_winkler, levenshtein, tokens, acronym };
            let bound = bound.score(&registry.config.weights) + EPSILON;
            out.push(Pending::new(bound, self.pairs.len()));
            self.pairs.push(Pair { tokens, levenshtein, jaro_winkler, pos, form: form as u16, half: false });
        }
    }

    /// The highest bound of the pairs not yet scored.
    fn ceiling(&self) -> f64 {
        let heap = self.pending.peek().map_or(f64::NEG_INFINITY, |p| p.bound());
        let rest = self.classes.last().map_or(f64::NEG_INFINITY, |c| c.bound);
        heap.max(rest).max(self.deferred_bound)
    }

    /// Moves the highest of `pairs` into the heap and keeps the others deferred (with those
    /// deferred before), with their highest bound; `pairs` is left empty.
    fn push_highest(&mut self, pairs: &mut Vec<Pending>) {
        const BATCH: usize = 32;
        if pairs.len() > BATCH {
            pairs.select_nth_unstable_by(BATCH - 1, |a, b| b.cmp(a));
            let others = &pairs[BATCH..];
            self.deferred_bound = others.iter().map(|p| p.bound()).fold(self.deferred_bound, f64::max);
            self.deferred.extend_from_slice(others);
            pairs.truncate(BATCH);
        }
        self.pending.extend(pairs.drain(..));
    }

    /// The best `n` parties that `keep` accepts, best first (fewer when the country has fewer),
    /// but for the first `skip` of them.
    pub fn top<'a>(
        &'a mut self,
        registry: &'a Registry,
        n: usize,
        skip: usize,
        keep: impl Fn(i64) -> bool + 'a,
    ) -> impl Iterator<Item = Candidate> + 'a {
        // The parties kept so far, counted as the ranking grows.
        let (mut seen, mut kept) = (0, 0);
        loop {
            kept += self.ranked[seen..].iter().filter(|(id, _)| keep(*id)).count();
            seen = self.ranked.len();
            if kept >= n || self.exhausted() {
                break;
            }
            self.step(registry);
        }
        self.ranked.iter().filter(move |(id, _)| keep(*id)).take(n).skip(skip).map(|(id, b)| Candidate {
            partyfacts_id: *id,
            name: registry.names[b.name as usize].name.clone(),
            comparison: b.comparison,
            score: b.score,
        })
    }

    /// What is known of the score of the `n`-th best party that `keep` accepts: its exact
    /// score once its place is final; else at most the best score of the parties not placed
    /// (their exact scores so far, and the bounds of the pairs not yet scored); None when
    /// there are fewer such parties. [`Ranking::step`] narrows it.
    pub fn nth_score(&self, n: usize, keep: impl Fn(i64) -> bool) -> Option<Known> {
        if let Some((_, best)) = self.ranked.iter().filter(|(id, _)| keep(*id)).nth(n - 1) {
            return Some(Known::Exact(best.score));
        }
        (!self.exhausted()).then(|| Known::AtMost(self.top_score.max(self.ceiling())))
    }

    fn exhausted(&self) -> bool {
        self.pending.is_empty() && self.classes.is_empty() && self.deferred.is_empty() && self.best.is_empty()
    }

    /// Scores pairs until at least one more party's place is final (or none is left).
    pub fn step(&mut self, registry: &Registry) {
        let Some(index) = registry.countries.get(&self.iso3) else {
            self.pending.clear();
            self.classes.clear();
            self.deferred.clear();
            self.best.clear();
            return;
        };
        let before = self.ranked.len();
        while self.ranked.len() == before && !self.exhausted() {
            let heap = self.pending.peek().map_or(f64::NEG_INFINITY, |p| p.bound());
            let highest = heap.max(self.deferred_bound);
            if let Some(class) = self.classes.pop_if(|c| c.bound >= highest && self.top_score <= c.bound) {
                if !self.by_length {
                    // The ranking reaches the names without a shared word: sort them into classes.
                    (self.rest, self.classes) = self.length_classes(index, &registry.config.weights, &self.rest);
                    self.by_length = true;
                    continue;
                }
                // The ranking reaches a class of names without a shared word: bound them one by one.
                let mut pending = Spare::buffer();
                let rest = std::mem::take(&mut self.rest);
                for &pos in &rest[class.names] {
                    self.bound_pairs(registry, index, pos, false, &mut pending);
                }
                self.rest = rest;
                self.push_highest(&mut pending);
                Spare::give_back(pending);
            } else if !self.deferred.is_empty() && self.deferred_bound >= heap {
                let mut deferred = std::mem::replace(&mut self.deferred, Spare::buffer());
                self.deferred_bound = f64::NEG_INFINITY;
                self.push_highest(&mut deferred);
                Spare::give_back(deferred);
            } else if let Some(pending) = self.pending.pop() {
                self.score(registry, index, pending);
            }
            let ceiling = self.ceiling();
            if self.top_score > ceiling {
                self.settle(ceiling);
            }
        }
    }

    /// Scores a pair, or half of it: when its bound with the Levenshtein similarity computed
    /// is below another pair's, it goes back to wait.
    fn score(&mut self, registry: &Registry, index: &CountryIndex, pending: Pending) {
        let (bound, mut pair) = (pending.bound(), self.pairs[pending.pair()]);
        let name = index.full[pair.pos as usize] as u32;
        let id = registry.names[name as usize].partyfacts_id;
        if self.placed.contains(&id) {
            // Its place is final: this pair scores no higher than the one that placed it.
            return;
        }
        if self.best.get(&id).is_some_and(|b| bound < b.score) {
            // The party already has a better name: this pair's score is at most its bound.
            return;
        }
        let (form, candidate) = (&self.forms[pair.form as usize], &index.prepared[pair.pos as usize]);
        let acronym = registry.acronym_agreement(id, self.acronym.as_deref());
        let weights = &registry.config.weights;
        if !pair.half {
            pair.levenshtein = score::levenshtein(form, candidate);
            pair.half = true;
            let (jaro_winkler, levenshtein, tokens) = (pair.jaro_winkler, pair.levenshtein, pair.tokens);
            let bound = Comparison { jaro_winkler, levenshtein, tokens, acronym }.score(weights) + EPSILON;
            if bound < self.ceiling() {
                self.pairs[pending.pair()] = pair;
                self.pending.push(Pending::new(bound, pending.pair()));
                return;
            }
        }
        let jaro_winkler = score::jaro_winkler(form, candidate);
        let comparison = Comparison { jaro_winkler, levenshtein: pair.levenshtein, tokens: pair.tokens, acronym };
        let score = comparison.score(weights);
        let better = |b: &Best| score > b.score || (score == b.score && (name, pair.form) < (b.name, b.form));
        if self.best.get(&id).is_none_or(better) {
            self.best.insert(id, Best { score, name, form: pair.form, comparison });
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

impl Drop for Ranking {
    fn drop(&mut self) {
        Spare::give_back(std::mem::take(&mut self.pending).into_vec());
        Spare::give_back(std::mem::take(&mut self.deferred));
        Spare::give_back(std::mem::take(&mut self.pairs));
    }
}

#[cfg(test)]
mod tests;
