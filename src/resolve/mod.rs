//! Party resolution: a contact's free-text partner to Party Facts ids, within its country.
//!
//! **Blocking**: candidates are the parties of the contact's country (ISO3) whose Party Facts
//! years do not exclude the contact's year. **Candidate names**: every name Party Facts holds for
//! a party (core, short, English and other names, and the names other datasets give it), the
//! DPI abbreviations linked to it, and curated aliases (`reference/party_aliases.csv`).
//! **Comparison and scoring**: see [`score`]. **Decision**, in order:
//!
//! 1. `override`: a reviewed decision in `reference/party_overrides.csv` always wins;
//! 2. `exact_name` / `abbreviation` / `alias`: a form of the name equals a name of one party,
//!    and the bracketed abbreviation, if any, does not belong to another party;
//!    `dpi_tiebreak`: it equals names of several parties, and DPI names exactly one of them in
//!    the contact's country-year (Party Facts keeps predecessors and namesakes apart);
//! 3. `bracket_abbreviation`: the bracketed abbreviation belongs to one party and the name
//!    does not point at another;
//! 4. `token_set`: the same significant words, in any order, as one party's name;
//! 5. `fuzzy`: the best party's combined score reaches the acceptance threshold *and* leads the
//!    second-best party by the margin.
//!
//! Anything else goes to review with its best candidates and their component scores. A
//! partner naming several parties ("ANC and SACP") is split, when the whole names none and
//! every part names one.

pub mod distance;
pub mod query;
pub mod rank;
pub mod score;
pub mod split;

/// Hash maps with foldhash: the registry's keys are short names and ids, looked up for every
/// partner, which SipHash's protection against crafted keys does not need.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

use std::collections::BTreeSet;

use crate::country::Countries;
use crate::normalize::{WILDCARD, fold, wildcard_eq};
use query::Query;
use score::{Components, Prepared, initials, significant_words};

/// Thresholds of the fuzzy decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResolverConfig {
    /// A fuzzy match needs at least this combined score.
    pub accept: f64,
    /// ... and must lead the second-best party by at least this much.
    pub margin: f64,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        ResolverConfig { accept: 0.90, margin: 0.05 }
    }
}

/// What a candidate name is: a full name or an abbreviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameKind {
    Full,
    Short,
}

/// One name under which a party can be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateName {
    pub iso3: String,
    pub partyfacts_id: i64,
    pub name: String,
    pub kind: NameKind,
    /// Where the name comes from: `partyfacts` (core), a Party Facts dataset key, `dpi` or `alias`.
    pub origin: String,
    pub year_first: Option<i32>,
    pub year_last: Option<i32>,
}

/// A reviewed decision about a name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub iso3: String,
    pub name: String,
    pub year_first: Option<i32>,
    pub year_last: Option<i32>,
    /// The party, or None for "not a party".
    pub partyfacts_id: Option<i64>,
    pub decided_by: String,
    pub reason: String,
}

/// A party a partner was matched to.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyMatch {
    pub partyfacts_id: i64,
    pub method: &'static str,
    pub score: f64,
    /// The candidate name that decided, as its source writes it.
    pub matched_name: String,
    /// The part of the partner this match is for (the whole partner unless it was split).
    pub written: String,
}

/// A scored candidate party, for review and for `explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub partyfacts_id: i64,
    /// The party's name that scored best.
    pub name: String,
    pub components: Components,
    pub score: f64,
}

/// What resolution decided for one partner.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// `matched`, `not_a_party` or `review_party`.
    pub outcome: &'static str,
    /// One per party when matched; several when the partner named several parties.
    pub matches: Vec<PartyMatch>,
    /// Why it went to review, or why the winner won.
    pub reason: String,
    /// The best candidates of the whole partner, best first.
    pub candidates: Vec<Candidate>,
    /// The folded forms that were looked up.
    pub query: Query,
}

/// A partner's query, and the parties of its country ranked against it, best first: ranked
/// only when a rule needs the scores (most partners are decided by an exact name, which needs
/// none), only as far as a rule looks, and kept for the partner's other years.
#[derive(Debug)]
pub struct Scored {
    pub query: Query,
    iso3: String,
    ranking: std::sync::Mutex<Option<rank::Ranking>>,
}

impl Scored {
    /// The best five parties whose years allow `year` (a year's slack), scores rounded.
    fn in_year(&self, registry: &Registry, year: i32) -> Vec<Candidate> {
        let mut ranking = self.ranking.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let ranking = ranking.get_or_insert_with(|| {
            rank::Ranking::new(registry, &self.iso3, &self.query.variants, self.query.acronym.as_deref())
        });
        let top = ranking.top(registry, 5, |id| registry.party_in_year(id, year, 1));
        top.into_iter().map(|c| Candidate { score: round4(c.score), ..c }).collect()
    }
}

/// A partner's candidates in one year (the best five whose years allow it), made on first use.
struct YearCandidates<'a> {
    registry: &'a Registry,
    scored: &'a Scored,
    year: i32,
    cell: std::cell::OnceCell<Vec<Candidate>>,
}

impl<'a> YearCandidates<'a> {
    fn new(registry: &'a Registry, scored: &'a Scored, year: i32) -> Self {
        YearCandidates { registry, scored, year, cell: std::cell::OnceCell::new() }
    }

    fn get(&self) -> &[Candidate] {
        self.cell.get_or_init(|| self.scored.in_year(self.registry, self.year))
    }

    /// The candidates if a rule needed them, for a matched partner; all of them for review.
    fn for_resolution(&self, outcome: &str) -> Vec<Candidate> {
        if outcome == "review_party" { self.get().to_vec() } else { self.cell.get().cloned().unwrap_or_default() }
    }
}

/// What the registry knows of one party beyond its names.
#[derive(Debug, Default, Clone)]
struct PartyInfo {
    /// The years any source knows the party in: the earliest first year and the latest last
    /// year over Party Facts' core entry and every dataset's entry (a single source's years
    /// only say what that source covers: the core file ends many parties in its data's last
    /// year). No last year when the core entry has none: the party still exists.
    year_first: Option<i32>,
    year_last: Option<i32>,
    open_ended: bool,
    /// Folded short names and initials of full names.
    acronyms: BTreeSet<String>,
}

#[derive(Debug, Default)]
struct CountryIndex {
    exact: FastMap<String, Vec<usize>>,
    loose: FastMap<String, Vec<usize>>,
    damaged: Vec<usize>,
    full: Vec<usize>,
    parties: BTreeSet<i64>,
}

/// Every candidate name, blocked by country, with the reviewed overrides.
#[derive(Debug, Default)]
pub struct Registry {
    names: Vec<CandidateName>,
    folded: Vec<String>,
    /// Full names prepared for scoring, by name index.
    prepared: FastMap<usize, Prepared>,
    countries: FastMap<String, CountryIndex>,
    parties: FastMap<i64, PartyInfo>,
    overrides: FastMap<(String, String), Vec<Override>>,
    /// The years DPI names each party, by (iso3, Party Facts id).
    dpi_years: FastMap<(String, i64), Vec<(i32, i32)>>,
    pub config: ResolverConfig,
}

/// The outcome of resolving one name (not split).
enum Single {
    Accept(PartyMatch, String),
    Review(String),
}

impl Registry {
    pub fn new(names: Vec<CandidateName>, overrides: Vec<Override>, config: ResolverConfig) -> Registry {
        let mut r = Registry { config, ..Registry::default() };
        for o in overrides {
            r.overrides.entry((o.iso3.clone(), fold(&o.name))).or_default().push(o);
        }
        let mut scored_names: FastSet<(String, i64, String)> = FastSet::default();
        let mut to_prepare = Vec::new();
        let folded_names = crate::parallel::map(&names, 4096, |n| fold(&n.name));
        for (i, (name, folded)) in names.iter().zip(folded_names).enumerate() {
            r.folded.push(folded.clone());
            if folded.is_empty() {
                continue;
            }
            let party = r.parties.entry(name.partyfacts_id).or_default();
            if let Some(first) = name.year_first {
                party.year_first = Some(party.year_first.map_or(first, |f| f.min(first)));
            }
            if let Some(last) = name.year_last {
                party.year_last = Some(party.year_last.map_or(last, |l| l.max(last)));
            }
            if name.origin == "partyfacts" && name.year_last.is_none() {
                party.open_ended = true;
            }
            match name.kind {
                NameKind::Short => {
                    party.acronyms.insert(folded.clone());
                }
                NameKind::Full => {
                    let i = initials(&folded);
                    if i.chars().count() >= 2 {
                        party.acronyms.insert(i);
                    }
                }
            }
            if let ("dpi", Some(first), Some(last)) = (name.origin.as_str(), name.year_first, name.year_last) {
                r.dpi_years.entry((name.iso3.clone(), name.partyfacts_id)).or_default().push((first, last));
            }
            let index = r.countries.entry(name.iso3.clone()).or_default();
            index.parties.insert(name.partyfacts_id);
            if folded.contains(WILDCARD) {
                index.damaged.push(i);
            } else {
                index.exact.entry(folded.clone()).or_default().push(i);
            }
            if name.kind == NameKind::Full {
                index.loose.entry(loose_key(&folded)).or_default().push(i);
                // A party's name that several sources spell alike is scored once, under its
                // first spelling (the one a tie goes to).
                if scored_names.insert((name.iso3.clone(), name.partyfacts_id, folded.clone())) {
                    index.full.push(i);
                    to_prepare.push(i);
                }
            }
        }
        let prepared = crate::parallel::map(&to_prepare, 1024, |&i| Prepared::new(&r.folded[i]));
        r.prepared = to_prepare.into_iter().zip(prepared).collect();
        r.names = names;
        r
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every candidate name with its folded form (empty when the name folds to nothing), in
    /// the order the registry was built: the extractor's gazetteer is made of them.
    pub fn names(&self) -> impl Iterator<Item = (&CandidateName, &str)> {
        self.names.iter().zip(self.folded.iter().map(String::as_str))
    }

    /// Whether some party of the country has this folded name.
    pub fn has_name(&self, iso3: &str, folded: &str) -> bool {
        self.countries.get(iso3).is_some_and(|index| !self.exact_hits(index, folded).is_empty())
    }

    /// Parties indexed for a country.
    pub fn parties_in(&self, iso3: &str) -> usize {
        self.countries.get(iso3).map_or(0, |c| c.parties.len())
    }

    /// Resolves `partner` in country `iso3` for a contact in `year`.
    pub fn resolve(&self, countries: &Countries, iso3: &str, year: i32, partner: &str) -> Resolution {
        self.resolve_scored(countries, iso3, year, partner, &self.score(countries, iso3, partner))
    }

    /// The year-independent part of resolving a partner: its query and every party of the
    /// country scored against it. Contacts with the same country and partner in different
    /// years share it, so the costly comparisons run once per distinct (country, partner).
    pub fn score(&self, countries: &Countries, iso3: &str, partner: &str) -> Scored {
        Scored {
            query: Query::new(countries, iso3, partner),
            iso3: iso3.to_string(),
            ranking: std::sync::Mutex::new(None),
        }
    }

    /// Resolves `partner` for a contact in `year`, from its [`Registry::score`].
    pub fn resolve_scored(
        &self,
        countries: &Countries,
        iso3: &str,
        year: i32,
        partner: &str,
        scored: &Scored,
    ) -> Resolution {
        let query = scored.query.clone();
        let candidates = YearCandidates::new(self, scored, year);
        if let Some(o) = self.override_for(iso3, year, partner) {
            let reason = format!("reviewed decision by {}: {}", o.decided_by, o.reason);
            let (outcome, matches) = match o.partyfacts_id {
                Some(id) => (
                    "matched",
                    vec![PartyMatch {
                        partyfacts_id: id,
                        method: "override",
                        score: 1.0,
                        matched_name: o.name.clone(),
                        written: partner.trim().into(),
                    }],
                ),
                None => ("not_a_party", Vec::new()),
            };
            let candidates = candidates.for_resolution(outcome);
            return Resolution { outcome, matches, reason, candidates, query };
        }
        let review_reason = match self.decide(iso3, year, &query, &candidates) {
            Single::Accept(m, reason) => {
                let candidates = candidates.for_resolution("matched");
                return Resolution { outcome: "matched", matches: vec![m], reason, candidates, query };
            }
            Single::Review(reason) => reason,
        };
        if let Some(matches) = self.resolve_parts(countries, iso3, year, partner) {
            let reason = format!("the partner names {} parties, each matched on its own", matches.len());
            let candidates = candidates.for_resolution("matched");
            return Resolution { outcome: "matched", matches, reason, candidates, query };
        }
        let candidates = candidates.for_resolution("review_party");
        Resolution { outcome: "review_party", matches: Vec::new(), reason: review_reason, candidates, query }
    }

    /// Each part of a partner naming several parties, when every part names one distinct party.
    fn resolve_parts(&self, countries: &Countries, iso3: &str, year: i32, partner: &str) -> Option<Vec<PartyMatch>> {
        let parts = split::split_partners(partner)?;
        let mut matches: Vec<PartyMatch> = Vec::new();
        for part in parts {
            let scored = self.score(countries, iso3, &part);
            let query = scored.query.clone();
            let candidates = YearCandidates::new(self, &scored, year);
            let m = match self.override_for(iso3, year, &part) {
                Some(o) => PartyMatch {
                    partyfacts_id: o.partyfacts_id?,
                    method: "override",
                    score: 1.0,
                    matched_name: o.name.clone(),
                    written: part,
                },
                None => match self.decide(iso3, year, &query, &candidates) {
                    Single::Accept(m, _) => m,
                    Single::Review(_) => return None,
                },
            };
            if matches.iter().any(|x| x.partyfacts_id == m.partyfacts_id) {
                return None;
            }
            matches.push(m);
        }
        Some(matches)
    }

    fn override_for(&self, iso3: &str, year: i32, written: &str) -> Option<&Override> {
        self.overrides
            .get(&(iso3.to_string(), fold(written)))?
            .iter()
            .find(|o| o.year_first.is_none_or(|f| f <= year) && o.year_last.is_none_or(|l| year <= l))
    }

    /// A match by any method, checked against DPI: a party that DPI does not name in the
    /// country-year loses its match to review when a party DPI does name there has a name
    /// nearly as close. Party Facts keeps predecessors and namesakes as separate parties
    /// ("Democratic Movement" of the 1970s beside the PMDB), and the one DPI names is the likelier.
    fn decide(&self, iso3: &str, year: i32, query: &Query, candidates: &YearCandidates) -> Single {
        let single = self.decide_by_name(iso3, year, query, candidates);
        let Single::Accept(m, _) = &single else { return single };
        if m.method == "alias" || self.dpi_names(iso3, m.partyfacts_id, year) {
            return single;
        }
        let own = candidates.get().iter().find(|c| c.partyfacts_id == m.partyfacts_id).map_or(m.score, name_score);
        let rival = candidates
            .get()
            .iter()
            .filter(|c| c.partyfacts_id != m.partyfacts_id && self.dpi_names(iso3, c.partyfacts_id, year))
            .find(|c| name_score(c) >= DPI_RIVAL_SCORE.max(own - DPI_RIVAL_GAP));
        match rival {
            Some(r) => Single::Review(format!(
                "matched party {} by {}, but DPI does not name it in {year}, and it names party {} ({:?}, name score {:.4}) there",
                m.partyfacts_id,
                m.method,
                r.partyfacts_id,
                r.name,
                name_score(r)
            )),
            None => single,
        }
    }

    fn decide_by_name(&self, iso3: &str, year: i32, query: &Query, candidates: &YearCandidates) -> Single {
        let Some(index) = self.countries.get(iso3) else {
            return Single::Review(format!("Party Facts has no parties for {iso3}"));
        };
        // The most literal form that names any party decides: "Liberal Party of Australia"
        // must not also count the hits of "Liberal Party".
        let hits: Vec<usize> =
            query.variants.iter().map(|v| self.exact_hits(index, v)).find(|h| !h.is_empty()).unwrap_or_default();
        let ids = self.narrow_by_year(&hits, year);
        let acronym_owners: BTreeSet<i64> = match &query.acronym {
            Some(a) => self.narrow_by_year(
                &self
                    .exact_hits(index, a)
                    .into_iter()
                    .filter(|&i| self.names[i].kind == NameKind::Short)
                    .collect::<Vec<_>>(),
                year,
            ),
            None => BTreeSet::new(),
        };
        if ids.len() > 1 {
            if let Some(id) = self.dpi_tiebreak(iso3, year, ids.iter().copied()) {
                let decisive = hits.iter().map(|&i| &self.names[i]).find(|n| n.partyfacts_id == id).expect("a hit");
                let reason = format!(
                    "{:?} names {} parties ({}); DPI names only this one in {iso3} {year}",
                    decisive.name,
                    ids.len(),
                    join_ids(&ids)
                );
                return Single::Accept(self.accepted(id, "dpi_tiebreak", 0.95, &decisive.name, query), reason);
            }
            return Single::Review(format!("the name fits {} parties ({})", ids.len(), join_ids(&ids)));
        }
        if let Some(&id) = ids.first() {
            if !query.only_acronym && !acronym_owners.is_empty() && !acronym_owners.contains(&id) {
                return Single::Review(format!(
                    "the name points at party {id} but the abbreviation in brackets at {}",
                    join_ids(&acronym_owners)
                ));
            }
            let decisive = hits.iter().map(|&i| &self.names[i]).find(|n| n.partyfacts_id == id).expect("a hit");
            let method = if decisive.origin == "alias" {
                "alias"
            } else if query.only_acronym || hits.iter().all(|&i| self.names[i].kind == NameKind::Short) {
                "abbreviation"
            } else {
                "exact_name"
            };
            let reason =
                format!("{:?} ({}) is a name of this party and of no other in {iso3}", decisive.name, decisive.origin);
            return Single::Accept(self.accepted(id, method, 1.0, &decisive.name, query), reason);
        }
        let best_other = |id: i64| candidates.get().iter().find(|c| c.partyfacts_id != id);
        if acronym_owners.len() == 1 && !query.only_acronym {
            let id = *acronym_owners.first().expect("one owner");
            if let Some(other) = best_other(id).filter(|c| name_score(c) >= 0.85) {
                return Single::Review(format!(
                    "the abbreviation in brackets belongs to party {id} but the name is closer to party {} ({:.3})",
                    other.partyfacts_id,
                    name_score(other)
                ));
            }
            let own = candidates.get().iter().find(|c| c.partyfacts_id == id);
            let score = own.map_or(1.0, |c| c.score);
            let name = own.map_or_else(|| query.acronym.clone().unwrap_or_default(), |c| c.name.clone());
            let reason =
                format!("the abbreviation in brackets belongs to this party only, and the name points at no other");
            return Single::Accept(self.accepted(id, "bracket_abbreviation", score, &name, query), reason);
        }
        let loose: Vec<usize> = query
            .variants
            .iter()
            .filter(|v| !loose_key(v).is_empty())
            .find_map(|v| index.loose.get(&loose_key(v)).cloned())
            .unwrap_or_default();
        let loose_ids = self.narrow_by_year(&loose, year);
        if loose_ids.len() == 1 {
            let id = *loose_ids.first().expect("one id");
            let name =
                loose.iter().map(|&i| &self.names[i]).find(|n| n.partyfacts_id == id).expect("a hit").name.clone();
            let score = candidates.get().iter().find(|c| c.partyfacts_id == id).map_or(1.0, |c| c.score);
            return Single::Accept(
                self.accepted(id, "token_set", score, &name, query),
                "the same significant words as one party's name".into(),
            );
        }
        if let Some(id) = self.dpi_tiebreak(iso3, year, loose_ids.iter().copied()) {
            let name =
                loose.iter().map(|&i| &self.names[i]).find(|n| n.partyfacts_id == id).expect("a hit").name.clone();
            let reason = format!(
                "the same significant words as {} parties' names ({}); DPI names only this one in {iso3} {year}",
                loose_ids.len(),
                join_ids(&loose_ids)
            );
            return Single::Accept(self.accepted(id, "dpi_tiebreak", 0.95, &name, query), reason);
        }
        let candidates = candidates.get();
        let Some(best) = candidates.first() else {
            return Single::Review(format!("no party of {iso3} in Party Facts fits the year {year}"));
        };
        let second = candidates.get(1).map_or(0.0, |c| c.score);
        let (accept, margin) = (self.config.accept, self.config.margin);
        if best.score >= accept && best.score - second >= margin {
            let reason = format!(
                "score {:.4} >= {accept} and leads the next party by {:.4} >= {margin}",
                best.score,
                best.score - second
            );
            return Single::Accept(self.accepted(best.partyfacts_id, "fuzzy", best.score, &best.name, query), reason);
        }
        if best.score >= accept {
            let close: Vec<&Candidate> = candidates.iter().take_while(|c| best.score - c.score < margin).collect();
            if let Some(id) = self.dpi_tiebreak(iso3, year, close.iter().map(|c| c.partyfacts_id)) {
                let chosen = close.iter().find(|c| c.partyfacts_id == id).expect("a close candidate");
                let reason = format!(
                    "{} parties score within the margin {margin} of the best ({:.4}); DPI names only this one in {iso3} {year}",
                    close.len(),
                    best.score
                );
                return Single::Accept(self.accepted(id, "dpi_tiebreak", chosen.score, &chosen.name, query), reason);
            }
        }
        Single::Review(if best.score < accept {
            format!("best score {:.4} is below the acceptance threshold {accept}", best.score)
        } else {
            format!(
                "best score {:.4} leads the next party by only {:.4} (margin {margin})",
                best.score,
                best.score - second
            )
        })
    }

    fn accepted(&self, id: i64, method: &'static str, score: f64, name: &str, query: &Query) -> PartyMatch {
        PartyMatch {
            partyfacts_id: id,
            method,
            score: round4(score),
            matched_name: name.to_string(),
            written: query.written.clone(),
        }
    }

    /// Names equal to `key`, damaged names included.
    fn exact_hits(&self, index: &CountryIndex, key: &str) -> Vec<usize> {
        let mut hits: Vec<usize> = index.exact.get(key).cloned().unwrap_or_default();
        hits.extend(index.damaged.iter().copied().filter(|&i| wildcard_eq(&self.folded[i], key)));
        hits
    }

    /// The distinct parties among `hits` whose Party Facts years allow `year` (a year's slack);
    /// when there are several, those whose years cover `year` exactly, if that leaves some.
    fn narrow_by_year(&self, hits: &[usize], year: i32) -> BTreeSet<i64> {
        let all: BTreeSet<i64> =
            hits.iter().map(|&i| self.names[i].partyfacts_id).filter(|&id| self.party_in_year(id, year, 1)).collect();
        if all.len() < 2 {
            return all;
        }
        let in_year: BTreeSet<i64> = all.iter().copied().filter(|id| self.party_in_year(*id, year, 0)).collect();
        if in_year.is_empty() { all } else { in_year }
    }

    /// Of several parties that fit equally well, the one DPI names in the country-year, if
    /// exactly one of them is.
    fn dpi_tiebreak(&self, iso3: &str, year: i32, ids: impl Iterator<Item = i64>) -> Option<i64> {
        let named: BTreeSet<i64> = ids.filter(|&id| self.dpi_names(iso3, id, year)).collect();
        (named.len() == 1).then(|| *named.first().expect("one party"))
    }

    /// Whether DPI names the party in the country-year.
    fn dpi_names(&self, iso3: &str, id: i64, year: i32) -> bool {
        self.dpi_years
            .get(&(iso3.to_string(), id))
            .is_some_and(|spans| spans.iter().any(|(first, last)| (*first..=*last).contains(&year)))
    }

    /// Whether Party Facts' years of a party cover `year`, give or take `slack` years.
    fn party_in_year(&self, id: i64, year: i32, slack: i32) -> bool {
        self.parties.get(&id).is_none_or(|p| {
            p.year_first.is_none_or(|f| f <= year + slack)
                && (p.open_ended || p.year_last.is_none_or(|l| year - slack <= l))
        })
    }

    /// Every party of the country whose years allow `year` (a year's slack), scored on its best
    /// full name against the query's forms, best first; at most five.
    pub fn candidates(&self, iso3: &str, year: i32, query: &Query) -> Vec<Candidate> {
        let mut ranking = rank::Ranking::new(self, iso3, &query.variants, query.acronym.as_deref());
        let top = ranking.top(self, 5, |id| self.party_in_year(id, year, 1));
        top.into_iter().map(|c| Candidate { score: round4(c.score), ..c }).collect()
    }

    /// Whether the abbreviation a partner gives is one of the party's: None when the partner
    /// gives none or the party has none.
    fn acronym_agreement(&self, id: i64, acronym: Option<&str>) -> Option<f64> {
        let own = &self.parties.get(&id)?.acronyms;
        let given = acronym?;
        (!own.is_empty()).then(|| if own.contains(given) { 1.0 } else { 0.0 })
    }
}

/// A party DPI names in the country-year is a rival to a match it does not name when its
/// name scores at least this ...
const DPI_RIVAL_SCORE: f64 = 0.8;
/// ... and at most this much below the match's own name score.
const DPI_RIVAL_GAP: f64 = 0.15;

/// A candidate's score on the name alone, without the abbreviation.
fn name_score(c: &Candidate) -> f64 {
    Components { acronym: None, ..c.components }.combined()
}

fn join_ids(ids: &BTreeSet<i64>) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The significant words in sorted order: the same key for the same words in any order, with
/// or without "party" and small words.
fn loose_key(folded: &str) -> String {
    let words: BTreeSet<&str> = significant_words(folded).into_iter().collect();
    words.into_iter().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(id: i64, name: &str, kind: NameKind) -> CandidateName {
        CandidateName {
            iso3: "DEU".into(),
            partyfacts_id: id,
            name: name.into(),
            kind,
            origin: "partyfacts".into(),
            year_first: None,
            year_last: None,
        }
    }

    fn registry(overrides: Vec<Override>) -> Registry {
        Registry::new(
            vec![
                name(1, "Social Democratic Party of Germany", NameKind::Full),
                name(1, "SPD", NameKind::Short),
                name(2, "Christian Democratic Union", NameKind::Full),
                name(2, "CDU", NameKind::Short),
                name(3, "Free Democratic Party", NameKind::Full),
                name(3, "FDP", NameKind::Short),
                name(4, "Christian Social Union", NameKind::Full),
                name(4, "CSU", NameKind::Short),
                name(5, "Acci\u{fffd}n Popular", NameKind::Full),
            ],
            overrides,
            ResolverConfig::default(),
        )
    }

    fn got(r: &Registry, partner: &str) -> (Vec<i64>, &'static str) {
        let c = Countries::embedded().unwrap();
        let x = r.resolve(&c, "DEU", 2010, partner);
        (x.matches.iter().map(|m| m.partyfacts_id).collect(), x.matches.first().map_or(x.outcome, |m| m.method))
    }

    #[test]
    fn methods_in_order() {
        let r = registry(Vec::new());
        assert_eq!(got(&r, "Social Democratic Party of Germany (SPD)"), (vec![1], "exact_name"));
        assert_eq!(got(&r, "the Social Democratic Party of Germany"), (vec![1], "exact_name"));
        assert_eq!(got(&r, "Germany's Free Democratic Party"), (vec![3], "exact_name"));
        assert_eq!(got(&r, "CDU"), (vec![2], "abbreviation"));
        assert_eq!(got(&r, "Christian Democrats (CDU)"), (vec![2], "bracket_abbreviation"));
        assert_eq!(got(&r, "Free Democratic"), (vec![3], "token_set"));
        assert_eq!(got(&r, "Social Democatic Party of Germany"), (vec![1], "fuzzy"));
        assert_eq!(got(&r, "Acción Popular"), (vec![5], "exact_name"));
    }

    #[test]
    fn conflicts_and_strangers_go_to_review() {
        let r = registry(Vec::new());
        assert_eq!(got(&r, "Social Democratic Party of Germany (CDU)"), (vec![], "review_party"));
        assert_eq!(got(&r, "Pirate Party"), (vec![], "review_party"));
        assert_eq!(got(&r, "Christian Union"), (vec![], "review_party"), "CDU and CSU are equally close");
    }

    #[test]
    fn several_parties_split_into_one_match_each() {
        let r = registry(Vec::new());
        assert_eq!(got(&r, "CDU and CSU"), (vec![2, 4], "abbreviation"));
        assert_eq!(got(&r, "the SPD/FDP delegation"), (vec![1, 3], "abbreviation"));
        assert_eq!(got(&r, "CDU and Pirates").1, "review_party");
    }

    #[test]
    fn overrides_win() {
        let o = |name: &str, id: Option<i64>| Override {
            iso3: "DEU".into(),
            name: name.into(),
            year_first: Some(2009),
            year_last: None,
            partyfacts_id: id,
            decided_by: "tester".into(),
            reason: "test".into(),
        };
        let r = registry(vec![o("Pirate Party", Some(3)), o("Social Democratic Party of Germany (SPD)", None)]);
        assert_eq!(got(&r, "Pirate Party"), (vec![3], "override"));
        assert_eq!(got(&r, "Social Democratic Party of Germany (SPD)"), (vec![], "not_a_party"));
    }
}
