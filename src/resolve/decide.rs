//! Deciding one partner: a reviewed override first, then the name rules ([`super::rules`]) on
//! the whole partner, then, if the whole names no party, its parts one by one; anything else
//! goes to review.

use std::cell::RefCell;
use std::sync::{Arc, Mutex};

use super::query::Query;
use super::rank::{Known, Ranking};
use super::{Candidate, Decision, LISTED, Match, Method, Outcome, Registry, rules, split};
use crate::load::countries::Countries;
use crate::load::reference::Override;

/// A partner's query and its block: the parties of its country, ranked against the query only
/// when a rule needs the scores (most partners are decided by an exact name, which needs none),
/// only as far as a rule looks, and kept for the partner's other years. Contacts with the same
/// country and partner in different years share it, so the costly comparisons run once per
/// distinct (country, partner); partners written differently whose queries have the same forms
/// share the ranking too ([`Block::sharing_ranking`]).
#[derive(Debug)]
pub struct Block {
    /// Shared by the block's decisions.
    pub query: Arc<Query>,
    iso3: String,
    ranking: Arc<Mutex<Option<Ranking>>>,
    /// Whether a fuzzy match may be made on a bound of the next party's score, without ranking
    /// it exactly ([`Candidates::second_passes`]), and the DPI check's search for a rival end
    /// on a bound too ([`Candidates::until_or_below`]): for the contacts, whose tables give no
    /// match's reason; `explain`, the DPI links and the evaluation give the exact lead.
    bounded_lead: bool,
}

impl Block {
    pub fn new(query: Query, iso3: &str) -> Block {
        Block::of(Arc::new(query), iso3)
    }

    /// The block of a query already shared.
    pub fn of(query: Arc<Query>, iso3: &str) -> Block {
        Block { query, iso3: iso3.to_string(), ranking: Arc::default(), bounded_lead: false }
    }

    /// This block, its fuzzy matches made on a bound of the next party's score where that
    /// bound already leaves the margin (`Candidates::second_passes`). The decisions are the
    /// same; a match's reason then gives the lead it was made on, not the exact lead.
    pub fn with_bounded_lead(self) -> Block {
        Block { bounded_lead: true, ..self }
    }

    /// The block of another partner of the same country whose query ranks alike
    /// ([`Query::ranks_like`]: the same forms and abbreviation, which are all a ranking reads),
    /// sharing this block's ranking: the parties come out in the same order however far either
    /// took it, so a partner written differently ("the Liberal Party", "Liberal Party,") is
    /// scored against the country's names once.
    pub fn sharing_ranking(&self, query: Arc<Query>) -> Block {
        debug_assert!(self.query.ranks_like(&query));
        Block { query, iso3: self.iso3.clone(), ranking: Arc::clone(&self.ranking), bounded_lead: self.bounded_lead }
    }

    /// The best parties whose years allow `year` (as many as the configuration keeps), scores
    /// rounded.
    pub fn candidates(&self, registry: &Registry, year: i32) -> Vec<Candidate> {
        let mut candidates = Vec::new();
        self.extend(registry, year, registry.config.candidates, &mut candidates);
        candidates
    }

    /// Extends `ranked`, the best of [`Block::candidates`] so far, to the best `n`: the
    /// ranking is scored only as deep as `n` needs, asking for more later goes on from there,
    /// and only the candidates not yet in `ranked` are made.
    fn extend(&self, registry: &Registry, year: i32, n: usize, ranked: &mut Vec<Candidate>) {
        self.with_ranking(registry, |ranking| {
            let keep = |id| registry.party_in_year(id, year) && registry.member_in_year(&self.iso3, id, year);
            let more = ranking.top(registry, n.min(registry.config.candidates), ranked.len(), keep);
            ranked.extend(more.map(|c| Candidate { score: round4(c.score), ..c }));
        })
    }

    /// Runs `f` on the block's ranking, made on first use.
    fn with_ranking<T>(&self, registry: &Registry, f: impl FnOnce(&mut Ranking) -> T) -> T {
        let mut ranking = self.ranking.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(ranking.get_or_insert_with(|| {
            Ranking::new(registry, &self.iso3, &self.query.variants, self.query.acronym.as_deref())
        }))
    }
}

/// A partner's candidates in one year, ranked on first use and only as deep as the rules look:
/// most names are decided on the best two, and the ranking's cost is in how deep it goes.
pub(super) struct Candidates<'a> {
    registry: &'a Registry,
    block: &'a Block,
    year: i32,
    /// The best candidates ranked so far, and whether they are all there are.
    ranked: RefCell<(Vec<Candidate>, bool)>,
}

impl<'a> Candidates<'a> {
    fn new(registry: &'a Registry, block: &'a Block, year: i32) -> Self {
        Candidates { registry, block, year, ranked: RefCell::new((Vec::new(), false)) }
    }

    /// Every candidate kept (as many as the configuration keeps).
    pub(super) fn get(&self) -> Vec<Candidate> {
        self.first(self.registry.config.candidates)
    }

    /// Ranks the best `n` candidates (fewer when there are fewer), and says how many there are.
    fn rank(&self, n: usize) -> usize {
        let mut ranked = self.ranked.borrow_mut();
        let n = n.min(self.registry.config.candidates);
        if ranked.0.len() < n && !ranked.1 {
            self.block.extend(self.registry, self.year, n, &mut ranked.0);
            ranked.1 = ranked.0.len() < n;
        }
        ranked.0.len().min(n)
    }

    /// The best `n` candidates (fewer when there are fewer).
    pub(super) fn first(&self, n: usize) -> Vec<Candidate> {
        let n = self.rank(n);
        self.ranked.borrow().0[..n].to_vec()
    }

    /// Whether `test` holds for the second candidate's score (0 without one); `test` must hold
    /// for every score below one it holds for. With the block's bounded lead, the ranking stops
    /// as soon as no party it has not placed can score above what `test` accepts: a noisy
    /// name's second party often scores far below the first, and placing it exactly took most
    /// of a ranking's comparisons. Returns what was tested: the exact score or the bound.
    pub(super) fn second_passes(&self, test: impl Fn(f64) -> bool) -> Option<Known> {
        let exact = |second: f64| test(second).then_some(Known::Exact(second));
        if !self.block.bounded_lead || self.rank(1) == 0 || self.registry.config.candidates < 2 {
            return exact(self.first(2).get(1).map_or(0.0, |c| c.score));
        }
        self.narrow(2, |known| match known {
            None => Some(exact(0.0)),
            Some(Known::Exact(second)) => Some(exact(round4(second))),
            // Rounded as the candidates' scores are (rounding keeps the order).
            Some(Known::AtMost(bound)) => {
                let bound = round4(bound).max(0.0);
                test(bound).then_some(Some(Known::AtMost(bound)))
            }
        })
    }

    /// Whether the candidate after those ranked so far may score `floor` or more (when there
    /// are fewer candidates than the configuration keeps). Always true without the block's
    /// bounded lead; with it, the ranking goes only as deep as telling needs.
    fn next_may_reach(&self, floor: f64) -> bool {
        let n = self.ranked.borrow().0.len() + 1;
        if !self.block.bounded_lead || n > self.registry.config.candidates {
            return true;
        }
        self.narrow(n, |known| match known {
            None => Some(false),
            Some(Known::Exact(_)) => Some(true),
            Some(Known::AtMost(bound)) => (bound < floor).then_some(false),
        })
    }

    /// Places more of the block's ranking until `tell` can tell from what is known of the
    /// `n`-th candidate's score.
    fn narrow<T>(&self, n: usize, tell: impl Fn(Option<Known>) -> Option<T>) -> T {
        let (registry, year, iso3) = (self.registry, self.year, &self.block.iso3);
        let keep = |id| registry.party_in_year(id, year) && registry.member_in_year(iso3, id, year);
        self.block.with_ranking(registry, |ranking| {
            loop {
                if let Some(told) = tell(ranking.nth_score(n, keep)) {
                    return told;
                }
                ranking.step(registry);
            }
        })
    }

    /// [`Candidates::until`], told also that no candidate scoring below `floor` is wanted, when
    /// `stop` accepts every such candidate: with the block's bounded lead, the search ends
    /// without placing the next candidate once no party not yet placed can reach `floor`.
    pub(super) fn until_or_below(&self, stop: impl Fn(&Candidate) -> bool, floor: Option<f64>) -> Vec<Candidate> {
        for n in 1..=self.registry.config.candidates {
            let ranked = self.ranked.borrow().0.len();
            if n > ranked && floor.is_some_and(|floor| !self.next_may_reach(floor)) {
                return self.first(n - 1);
            }
            if self.rank(n) < n || stop(&self.ranked.borrow().0[n - 1]) {
                return self.first(n);
            }
        }
        self.get()
    }

    /// The candidates best first up to and including the first that `stop` accepts, or all of
    /// them: ranked one deeper at a time, so a search that stops early scores little.
    pub(super) fn until(&self, stop: impl Fn(&Candidate) -> bool) -> Vec<Candidate> {
        self.until_or_below(stop, None)
    }

    /// What a decision lists: for review, the candidates the tables show ([`LISTED`]: ranking
    /// the fourth and fifth parties of a name no rule could place took a quarter of resolving,
    /// and no table shows them); for anything else, those a rule needed, if any did.
    /// [`Registry::complete_candidates`] ranks every candidate kept, for `explain`.
    fn listed(&self, outcome: Outcome) -> Vec<Candidate> {
        if outcome == Outcome::ReviewParty { self.first(LISTED) } else { self.ranked.borrow().0.clone() }
    }
}

/// What the rules make of one name (not split): a match with the reason it won, or the reason
/// it goes to review.
pub(super) enum Verdict {
    Accept(Match, String),
    Review(String),
}

impl Registry {
    /// The year-independent part of resolving a partner: its query and its block.
    pub fn block(&self, countries: &Countries, iso3: &str, partner: &str) -> Block {
        Block::new(Query::new(countries, iso3, partner), iso3)
    }

    /// Resolves `partner` in country `iso3` for a contact in `year`.
    pub fn resolve(&self, countries: &Countries, iso3: &str, year: i32, partner: &str) -> Decision {
        self.resolve_in_block(countries, iso3, year, partner, &self.block(countries, iso3, partner))
    }

    /// The best parties of the country in `year` for a query, compared with it.
    pub fn candidates(&self, iso3: &str, year: i32, query: &Query) -> Vec<Candidate> {
        Block::new(query.clone(), iso3).candidates(self, year)
    }

    /// A decision's candidates, all that are kept: a decision lists only those its rule needed,
    /// often the best two, or for review those the tables show; `explain` and the DPI links
    /// table show all.
    pub fn complete_candidates(&self, iso3: &str, year: i32, decision: &mut Decision) {
        if !decision.candidates.is_empty() {
            decision.candidates = self.candidates(iso3, year, &decision.query);
        }
    }

    /// Resolves `partner` for a contact in `year`, from its [`Registry::block`]: an override,
    /// else the rules on the whole partner, else its parts, else review.
    pub fn resolve_in_block(
        &self,
        countries: &Countries,
        iso3: &str,
        year: i32,
        partner: &str,
        block: &Block,
    ) -> Decision {
        let query = &block.query;
        let candidates = Candidates::new(self, block, year);
        let decision = |outcome: Outcome, matches: Vec<Match>, reason: String| {
            let candidates = candidates.listed(outcome);
            Decision { outcome, matches, reason, candidates, query: Arc::clone(query) }
        };
        if let Some(o) = self.override_for(iso3, year, partner) {
            let reason = format!("reviewed decision by {}: {}", o.decided_by, o.reason);
            return match overridden(o, partner) {
                Some(m) => decision(Outcome::Matched, vec![m], reason),
                None => decision(Outcome::NotAParty, Vec::new(), reason),
            };
        }
        let review_reason = match rules::decide(self, iso3, year, query, &candidates) {
            Verdict::Accept(m, reason) => return decision(Outcome::Matched, vec![m], reason),
            Verdict::Review(reason) => reason,
        };
        if let Some(matches) = self.resolve_parts(countries, iso3, year, partner, block.bounded_lead) {
            let reason = format!("the partner names {} parties, each matched on its own", matches.len());
            return decision(Outcome::Matched, matches, reason);
        }
        decision(Outcome::ReviewParty, Vec::new(), review_reason)
    }

    /// Each part of a partner naming several parties, when every part names one distinct party
    /// (each part's reason is not kept: its fuzzy match may be made on a bound, as `bounded_lead`
    /// says).
    fn resolve_parts(
        &self,
        countries: &Countries,
        iso3: &str,
        year: i32,
        partner: &str,
        bounded_lead: bool,
    ) -> Option<Vec<Match>> {
        let parts = split::split_partners(partner)?;
        let mut matches: Vec<Match> = Vec::new();
        for part in parts {
            let m = match self.override_for(iso3, year, &part) {
                Some(o) => overridden(o, &part)?,
                None => {
                    let block = Block { bounded_lead, ..self.block(countries, iso3, &part) };
                    let candidates = Candidates::new(self, &block, year);
                    match rules::decide(self, iso3, year, &block.query, &candidates) {
                        Verdict::Accept(m, _) => m,
                        Verdict::Review(_) => return None,
                    }
                }
            };
            if matches.iter().any(|x| x.partyfacts_id == m.partyfacts_id) {
                return None;
            }
            matches.push(m);
        }
        Some(matches)
    }

    /// A match by rule `method` for the query, its score rounded.
    pub(super) fn accepted(&self, id: i64, method: Method, score: f64, name: &str, query: &Query) -> Match {
        Match {
            partyfacts_id: id,
            method,
            score: round4(score),
            matched_name: name.to_string(),
            written: query.written.clone(),
        }
    }
}

/// The match an override makes of `written`, or None when it says "not a party".
fn overridden(o: &Override, written: &str) -> Option<Match> {
    Some(Match {
        partyfacts_id: o.partyfacts_id?,
        method: Method::Override,
        score: 1.0,
        matched_name: o.name.clone(),
        written: written.trim().into(),
    })
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
