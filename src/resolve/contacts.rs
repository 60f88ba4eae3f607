//! Resolving a contacts file: each distinct (country as written, year, partner as written) is
//! decided once, and each distinct (country, partner) blocked and scored once, however many
//! rows repeat it; the distinct partners are resolved on every thread. The decisions become the
//! `contact_decisions` table the SQL stages enrich.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::sync::Arc;

use chrono::Datelike;

use super::decide::Block;
use super::query::Query;
use super::{Decision, FastMap, Outcome, Registry};
use crate::load::cabinets::Cabinets;
use crate::load::countries::Countries;
use crate::load::read::contacts::Contacts;
use crate::shared::{parallel, timing};

mod cabinets;
mod distinct;
mod groups;
mod keyed;
mod table;

pub use distinct::RowKey;
pub use keyed::DistinctContact;

/// What resolution decided for one distinct contact.
#[derive(Debug, Clone)]
pub struct ContactDecision {
    /// Shared by the decisions of a country.
    pub iso3: Option<Arc<str>>,
    pub outcome: Outcome,
    /// The partner's decision, for a contact with a country and a party partner.
    pub party: Option<Arc<Decision>>,
}

impl ContactDecision {
    /// What is left where a decision was taken out (split by cabinet, or freed once its table
    /// rows are made): it holds nothing.
    fn emptied() -> ContactDecision {
        ContactDecision { iso3: None, outcome: Outcome::NonParty, party: None }
    }

    /// Parties matched (0 for a contact without one).
    pub fn parties(&self) -> usize {
        self.party.as_deref().map_or(0, |p| p.matches.len())
    }
}

/// What a decision is decided on: the contacts with this country as written, year, and
/// partner as written.
#[derive(Debug, Clone)]
pub struct ContactKey {
    /// Shared by the keys of a country as written, and by a key's splits by cabinet.
    pub country: Arc<str>,
    pub year: i32,
    pub partner: Arc<str>,
    pub non_party: bool,
    /// The ParlGov cabinet in office in the country on the contacts' date, where ParlGov
    /// covers it (set by [`ContactDecisions::split_by_cabinet`]).
    pub cabinet_id: Option<i64>,
}

impl ContactKey {
    /// What is left where a key was taken out, its texts `nothing` (an empty text shared by
    /// the placeholders of one thread).
    fn emptied(nothing: &Arc<str>) -> ContactKey {
        ContactKey {
            country: Arc::clone(nothing),
            year: 0,
            partner: Arc::clone(nothing),
            non_party: true,
            cabinet_id: None,
        }
    }
}

/// The decisions of the distinct contacts, and which one each contact got.
pub struct ContactDecisions {
    /// Per contact, in input order: its index in `decisions`.
    pub decision: Vec<u32>,
    pub decisions: Vec<ContactDecision>,
    /// Per decision, what it was decided on.
    pub keys: Vec<ContactKey>,
    /// Per decision, its input rows.
    pub per_decision: Vec<usize>,
}

/// A distinct contact ([`distinct::RowKey`]) with its country as written numbered.
#[derive(Debug, Clone, Copy)]
struct Key<'a> {
    /// The country as written, numbered.
    spelling: u32,
    year: i32,
    partner: &'a str,
    non_party: bool,
}

/// Resolves every contact, each distinct contact split by the cabinet in office on its
/// contacts' dates ([`ContactDecisions::split_by_cabinet`]).
pub fn resolve_contacts(
    registry: &Registry,
    countries: &Countries,
    cabinets: &Cabinets,
    contacts: &Contacts,
) -> ContactDecisions {
    let timer = timing::start(|| "finding the distinct contacts".into());
    let (found, decision) = {
        let _timer = timing::start(|| "the distinct keys".into());
        distinct::distinct_keys(contacts)
    };
    let (decisions, keys) = resolve_keys(registry, countries, found, timer);
    // Counted once split: the rows per decision before the split serve nothing.
    let unsplit = ContactDecisions { decision, decisions, keys, per_decision: Vec::new() };
    unsplit.split_by_cabinet(&contacts.date, cabinets)
}

/// What the contacts' tables read of a decision: its outcome and matches; the reason of a name
/// sent to review or found not to be a party; the candidates of a name sent to review (the
/// first [`LISTED`](super::LISTED) are listed, and all of them are told apart where they share
/// a name). The rest, a match's reason and candidates, which `explain` shows and makes anew, is
/// dropped: at 10^7 diverse contacts resolving ended 0.3 GiB lower without them, and years that
/// differ only by them share one decision.
fn tabled(mut decision: Decision) -> Decision {
    match decision.outcome {
        Outcome::ReviewParty => {}
        Outcome::NotAParty => decision.candidates = Vec::new(),
        _ => (decision.candidates, decision.reason) = (Vec::new(), String::new()),
    }
    decision
}

/// Decides each distinct contact of `found` (keys in any order; each decision is its key's
/// alone), returned in `found`'s order. `finding` (the timer of the step that found them) ends
/// when they are grouped.
fn resolve_keys<T>(
    registry: &Registry,
    countries: &Countries,
    found: Vec<RowKey>,
    finding: T,
) -> (Vec<ContactDecision>, Vec<ContactKey>) {
    let grouping = timing::start(|| "grouping them by country and partner".into());
    let mut spellings: FastMap<&str, u32> = FastMap::default();
    let distinct: Vec<Key> = found
        .iter()
        .map(|k| {
            let next = spellings.len() as u32;
            let spelling = *spellings.entry(k.country).or_insert(next);
            Key { spelling, year: k.year, partner: k.partner, non_party: k.non_party }
        })
        .collect();
    drop(found);
    let mut by_spelling: Vec<&str> = vec![""; spellings.len()];
    for (spelling, id) in spellings {
        by_spelling[id as usize] = spelling;
    }
    let iso3: Vec<Option<Arc<str>>> =
        by_spelling.iter().map(|s| countries.resolve(s).map(|k| Arc::from(k.iso3.as_str()))).collect();

    // Non-party partners and unknown countries are decided here.
    let mut decisions: Vec<Option<ContactDecision>> = vec![None; distinct.len()];
    for (d, key) in distinct.iter().enumerate() {
        let code = &iso3[key.spelling as usize];
        if key.non_party {
            decisions[d] = Some(ContactDecision { iso3: code.clone(), outcome: Outcome::NonParty, party: None });
        } else if code.is_none() {
            decisions[d] = Some(ContactDecision { iso3: None, outcome: Outcome::ReviewCountry, party: None });
        }
    }
    // Group the party keys by (iso3, partner), so each group is blocked once, on one thread;
    // groups sorted by country, so that a thread works through one country's names at a time
    // (in the order of first contacts, resolving took 40% longer: the country indexes left the
    // cache). Within a country they keep the order of first contacts: sorting them by partner
    // as well took 0.6 s at 10^7 diverse contacts, for nothing.
    let key_of = |d: usize| {
        let key = &distinct[d];
        iso3[key.spelling as usize].as_deref().filter(|_| !key.non_party).map(|code| (code, key.partner))
    };
    let groups = groups::group(distinct.len(), key_of, parallel::threads());
    drop(grouping);
    drop(finding);
    let timer = timing::start(|| format!("resolving {} distinct country and partner", groups.len()));
    // Partners written differently often read alike once folded ("the Liberal Party",
    // "Liberal Party,"): their queries have the same forms and abbreviation, and so share one
    // ranking of the country's parties (a sixth of the distinct partners of 10^6 names that
    // vary row by row). Such groups make a run, resolved together on one thread, in the
    // order of their first group.
    let (queries, runs) = {
        let _timer = timing::start(|| "the partners' queries, and those that rank alike".into());
        let queries = parallel::map(&groups, 256, |((code, partner), _)| query_of(countries, code, partner));
        let runs = runs_ranking_alike(&groups, &queries);
        (queries, runs)
    };
    let resolved = parallel::map(&runs, 16, |run| {
        let mut first: Option<Block> = None;
        let mut decided = Vec::new();
        for &g in run {
            let ((code, partner), members) = &groups[g];
            let query = Arc::clone(&queries[g].0);
            let block = match &first {
                Some(first) => first.sharing_ranking(query),
                // The contacts' tables give no match's reason: a fuzzy match may be made on a
                // bound of the next party's score.
                None => Block::of(query, code).with_bounded_lead(),
            };
            // A partner's years mostly get the same decision: those share one, which at 10^7
            // diverse names halves what is kept and freed.
            let mut last: Option<Arc<Decision>> = None;
            decided.extend(members.iter().map(|&d| {
                let decided = tabled(registry.resolve_in_block(countries, code, distinct[d].year, partner, &block));
                let party = match last.take() {
                    Some(last) if *last == decided => last,
                    _ => Arc::new(decided),
                };
                last = Some(Arc::clone(&party));
                let iso3 = iso3[distinct[d].spelling as usize].clone();
                (d, ContactDecision { iso3, outcome: party.outcome, party: Some(party) })
            }));
            first.get_or_insert(block);
        }
        decided
    });
    drop(timer);
    let _timer = timing::start(|| "gathering the decisions".into());
    // The keys are made on a second thread while the decisions are put in order (at 10^7
    // diverse contacts each took about a second, one thread idle).
    let gather = || {
        for (d, r) in resolved.into_iter().flatten() {
            decisions[d] = Some(r);
        }
        decisions.into_iter().map(|d| d.expect("every distinct contact decided")).collect()
    };
    let countries: Vec<Arc<str>> = by_spelling.iter().map(|&s| Arc::from(s)).collect();
    let make_keys = || {
        distinct
            .iter()
            .map(|k| ContactKey {
                country: countries[k.spelling as usize].clone(),
                year: k.year,
                partner: Arc::from(k.partner),
                non_party: k.non_party,
                cabinet_id: None,
            })
            .collect()
    };
    let (decisions, keys) = parallel::join(gather, make_keys);
    (decisions, keys)
}

/// A group's query, with the hash of its country and [`Query::ranking_key`]: made on every
/// thread beside the query, so that [`runs_ranking_alike`]'s one pass in group order compares
/// hashes (hashing the keys in that pass took 0.19 s at 10^6 diverse names, a thread idle).
fn query_of(countries: &Countries, code: &str, partner: &str) -> (Arc<Query>, u64) {
    let query = Query::new(countries, code, partner);
    let hash = foldhash::fast::FixedState::default().hash_one((code, query.ranking_key()));
    (Arc::new(query), hash)
}

/// The groups in runs whose queries rank alike ([`Query::ranks_like`]), each run in the order
/// of its groups, the runs in the order of their first group; keys are compared only within
/// a hash ([`query_of`]).
fn runs_ranking_alike<T>(groups: &[((&str, &str), T)], queries: &[(Arc<Query>, u64)]) -> Vec<Vec<usize>> {
    let mut runs_of: FastMap<u64, Vec<usize>> = FastMap::default();
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for (g, (query, hash)) in queries.iter().enumerate() {
        let alike = |&run: &usize| {
            let first = runs[run][0];
            groups[first].0.0 == groups[g].0.0 && queries[first].0.ranks_like(query)
        };
        let same_hash = runs_of.entry(*hash).or_default();
        match same_hash.iter().copied().find(alike) {
            Some(run) => runs[run].push(g),
            None => {
                same_hash.push(runs.len());
                runs.push(vec![g]);
            }
        }
    }
    runs
}

/// The calendar year of a Date32 value (days since 1970-01-01).
pub fn year_of_days(days: i32) -> i32 {
    const DAYS_FROM_CE_TO_EPOCH: i32 = 719_163;
    chrono::NaiveDate::from_num_days_from_ce_opt(days + DAYS_FROM_CE_TO_EPOCH).map_or(1970, |d| d.year())
}

impl ContactDecisions {
    /// How the overrides were used: the input rows an override decided (the partner, or a part
    /// of it), and the overrides no contact's name and year met, as `COUNTRY "name" years`.
    pub fn override_use(&self, registry: &Registry) -> (usize, Vec<String>) {
        let mut used = std::collections::HashSet::new();
        let mut applied = 0;
        for ((d, key), &n) in self.decisions.iter().zip(&self.keys).zip(&self.per_decision) {
            let Some(iso3) = d.iso3.as_deref().filter(|iso3| registry.has_overrides(iso3)) else { continue };
            let parts = super::split::split_partners(&key.partner).unwrap_or_default();
            let mut decided = false;
            for name in std::iter::once(&*key.partner).chain(parts.iter().map(String::as_str)) {
                if let Some(o) = registry.override_for(iso3, key.year, name) {
                    used.insert(o as *const _);
                    decided = true;
                }
            }
            applied += if decided { n } else { 0 };
        }
        let year = |y: Option<i32>| y.map_or(String::new(), |y| y.to_string());
        let unused = registry
            .overrides()
            .into_iter()
            .filter(|o| !used.contains(&(*o as *const _)))
            .map(|o| format!("{} {:?} {}-{}", o.iso3, o.name, year(o.year_first), year(o.year_last)))
            .collect();
        (applied, unused)
    }

    /// Input rows by outcome.
    pub fn outcomes(&self) -> BTreeMap<Outcome, usize> {
        let mut outcomes = BTreeMap::new();
        for (d, &n) in self.decisions.iter().zip(&self.per_decision) {
            *outcomes.entry(d.outcome).or_insert(0) += n;
        }
        outcomes
    }

    /// Each decision's rows in the decision tables: one per party, and one without a party.
    pub fn widths(&self) -> Vec<u32> {
        parallel::map(&self.decisions, 4096, |d| d.parties().max(1) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_that_fold_alike_make_one_run_in_first_order() {
        let countries = Countries::embedded().unwrap();
        let groups: Vec<((&str, &str), ())> = [
            ("FRA", "the Parti socialiste"),
            ("BEL", "Parti socialiste"),
            ("FRA", "Parti socialiste,"),
            ("FRA", "Parti communiste"),
            ("FRA", "PARTI SOCIALISTE"),
            ("FRA", "Parti socialiste (PS)"),
        ]
        .into_iter()
        .map(|key| (key, ()))
        .collect();
        let queries: Vec<(Arc<Query>, u64)> =
            groups.iter().map(|((code, partner), _)| query_of(&countries, code, partner)).collect();
        // Another country, another name, and an abbreviation given each make runs of their own.
        assert_eq!(runs_ranking_alike(&groups, &queries), [vec![0, 2, 4], vec![1], vec![3], vec![5]]);
    }
}
