//! The decision rules on a name, one function each, tried in the order the README gives them;
//! the first that decides wins. Then the DPI check, which may send a match to review.
//!
//! Each rule returns `None` when it does not apply, so the next is tried; `Some` when it
//! decides: a match, or review.

use std::collections::BTreeSet;

use super::decide::{Candidates, Verdict};
use super::query::Query;
use super::rank::Known;
use super::registry::{CountryIndex, compact_keys, loose_key};
use super::{Candidate, Method, NameKind, Registry};

/// What the rules read of one query in a country-year, looked up once.
struct Facts<'a> {
    registry: &'a Registry,
    iso3: &'a str,
    year: i32,
    query: &'a Query,
    candidates: &'a Candidates<'a>,
    index: &'a CountryIndex,
    /// The names equal to the most literal form that names any party: "Liberal Party of
    /// Australia" must not also count the hits of "Liberal Party".
    hits: Vec<usize>,
    /// Their parties in the year.
    ids: BTreeSet<i64>,
    /// The parties in the year whose short name is the bracketed abbreviation.
    acronym_owners: BTreeSet<i64>,
}

/// The rules on a name, in order.
const RULES: [fn(&Facts) -> Option<Verdict>; 5] = [exact_name, dpi_tiebreak, bracket_abbreviation, token_set, fuzzy];

/// Decides a name by the rules, then holds a match to the DPI check.
pub(super) fn decide(registry: &Registry, iso3: &str, year: i32, query: &Query, candidates: &Candidates) -> Verdict {
    let Some(index) = registry.countries.get(iso3) else {
        return Verdict::Review(format!("Party Facts has no parties for {iso3}"));
    };
    let hits: Vec<usize> =
        query.variants.iter().map(|v| registry.exact_hits(index, v)).find(|h| !h.is_empty()).unwrap_or_default();
    let ids = registry.narrow_by_year(&hits, year);
    let acronym_owners = match &query.acronym {
        Some(a) => {
            let short: Vec<usize> = registry
                .exact_hits(index, a)
                .into_iter()
                .filter(|&i| registry.names[i].kind == NameKind::Short)
                .collect();
            registry.narrow_by_year(&short, year)
        }
        None => BTreeSet::new(),
    };
    let facts = Facts { registry, iso3, year, query, candidates, index, hits, ids, acronym_owners };
    let verdict = RULES.iter().find_map(|rule| rule(&facts)).expect("fuzzy always decides");
    dpi_check(&facts, verdict)
}

/// `exact_name`, `abbreviation`, `alias`: a form of the name equals a name of exactly one
/// party, and the bracketed abbreviation, if any, does not belong to another party.
fn exact_name(f: &Facts) -> Option<Verdict> {
    if f.ids.len() != 1 {
        return None;
    }
    let id = *f.ids.first().expect("one party");
    if !f.query.only_acronym && !f.acronym_owners.is_empty() && !f.acronym_owners.contains(&id) {
        return Some(Verdict::Review(format!(
            "the name points at party {id} but the abbreviation in brackets at {}",
            join_ids(&f.acronym_owners)
        )));
    }
    let decisive = f.hits.iter().map(|&i| &f.registry.names[i]).find(|n| n.partyfacts_id == id).expect("a hit");
    let method = if decisive.origin == "alias" {
        Method::Alias
    } else if f.query.only_acronym || f.hits.iter().all(|&i| f.registry.names[i].kind == NameKind::Short) {
        Method::Abbreviation
    } else {
        Method::ExactName
    };
    let reason =
        format!("{:?} ({}) is a name of this party and of no other in {}", decisive.name, decisive.origin, f.iso3);
    Some(Verdict::Accept(f.registry.accepted(id, method, 1.0, &decisive.name, f.query), reason))
}

/// `dpi_tiebreak`: a form of the name equals names of several parties (Party Facts keeps
/// predecessors and namesakes apart), and DPI names exactly one of them in the country-year;
/// when it names none or several, the name goes to review.
fn dpi_tiebreak(f: &Facts) -> Option<Verdict> {
    if f.ids.len() < 2 {
        return None;
    }
    let Some(id) = f.registry.dpi_names_one_of(f.iso3, f.year, f.ids.iter().copied()) else {
        return Some(Verdict::Review(format!("the name fits {} parties ({})", f.ids.len(), join_ids(&f.ids))));
    };
    let decisive = f.hits.iter().map(|&i| &f.registry.names[i]).find(|n| n.partyfacts_id == id).expect("a hit");
    let reason = format!(
        "{:?} names {} parties ({}); DPI names only this one in {} {}",
        decisive.name,
        f.ids.len(),
        join_ids(&f.ids),
        f.iso3,
        f.year
    );
    let score = f.registry.config.dpi_tiebreak_score;
    Some(Verdict::Accept(f.registry.accepted(id, Method::DpiTiebreak, score, &decisive.name, f.query), reason))
}

/// `bracket_abbreviation`: the bracketed abbreviation belongs to one party, and no other
/// party's name is about as close to the name.
fn bracket_abbreviation(f: &Facts) -> Option<Verdict> {
    if f.acronym_owners.len() != 1 || f.query.only_acronym {
        return None;
    }
    let id = *f.acronym_owners.first().expect("one owner");
    let rival = f.candidates.first(2).into_iter().find(|c| c.partyfacts_id != id);
    if let Some(other) = rival.filter(|c| name_score(f.registry, c) >= f.registry.config.bracket_rival_score) {
        return Some(Verdict::Review(format!(
            "the abbreviation in brackets belongs to party {id} but the name is closer to party {} ({:.3})",
            other.partyfacts_id,
            name_score(f.registry, &other)
        )));
    }
    let own = f.candidates.until(|c| c.partyfacts_id == id).into_iter().find(|c| c.partyfacts_id == id);
    let score = own.as_ref().map_or(1.0, |c| c.score);
    let name = own.map_or_else(|| f.query.acronym.clone().unwrap_or_default(), |c| c.name);
    let reason = "the abbreviation in brackets belongs to this party only, and the name points at no other".to_string();
    Some(Verdict::Accept(f.registry.accepted(id, Method::BracketAbbreviation, score, &name, f.query), reason))
}

/// `token_set`: the same significant words, in any order, with or without "Party", as one
/// party's name, or else the same words in the same order with spaces lost, moved or added;
/// when they are several parties' words, DPI may break the tie.
fn token_set(f: &Facts) -> Option<Verdict> {
    let loose: Vec<usize> = f
        .query
        .variants
        .iter()
        .map(|v| loose_key(v))
        .filter(|key| !key.is_empty())
        .find_map(|key| f.index.loose.get(&key).cloned())
        .or_else(|| {
            // The same letters but for spaces lost, moved or added: "BroadFront", "Partyo f".
            let keys = f.query.variants.iter().flat_map(|v| compact_keys(v));
            keys.map(|k| f.index.compact.get(&k).cloned().unwrap_or_default()).find(|hits| !hits.is_empty())
        })
        .unwrap_or_default();
    let ids = f.registry.narrow_by_year(&loose, f.year);
    let name_of = |id: i64| loose.iter().map(|&i| &f.registry.names[i]).find(|n| n.partyfacts_id == id).expect("a hit");
    if ids.len() == 1 {
        let id = *ids.first().expect("one id");
        let own = f.candidates.until(|c| c.partyfacts_id == id);
        let score = own.iter().find(|c| c.partyfacts_id == id).map_or(1.0, |c| c.score);
        let m = f.registry.accepted(id, Method::TokenSet, score, &name_of(id).name, f.query);
        return Some(Verdict::Accept(m, "the same significant words as one party's name".into()));
    }
    let id = f.registry.dpi_names_one_of(f.iso3, f.year, ids.iter().copied())?;
    let reason = format!(
        "the same significant words as {} parties' names ({}); DPI names only this one in {} {}",
        ids.len(),
        join_ids(&ids),
        f.iso3,
        f.year
    );
    let score = f.registry.config.dpi_tiebreak_score;
    Some(Verdict::Accept(f.registry.accepted(id, Method::DpiTiebreak, score, &name_of(id).name, f.query), reason))
}

/// `fuzzy`: the best party's combined score reaches the acceptance threshold and leads the
/// next party by the margin; parties within the margin of each other may be told apart by
/// DPI. Anything else goes to review: this rule always decides.
fn fuzzy(f: &Facts) -> Option<Verdict> {
    let Some(best) = f.candidates.first(1).pop() else {
        return Some(Verdict::Review(format!("no party of {} in Party Facts fits the year {}", f.iso3, f.year)));
    };
    let (accept, margin) = (f.registry.config.accept, f.registry.config.margin);
    let leads = (best.score >= accept).then(|| f.candidates.second_passes(|second| best.score - second >= margin));
    if let Some(Some(second)) = leads {
        // One format (every fuzzy match formats its reason: formatting the lead first, then the
        // sentence around it, cost as much again).
        let (whom, second) = match second {
            Known::Exact(second) => ("the next party by", second),
            Known::AtMost(second) => ("every other party by at least", second),
        };
        let reason =
            format!("score {:.4} >= {accept} and leads {whom} {:.4} >= {margin}", best.score, best.score - second);
        let m = f.registry.accepted(best.partyfacts_id, Method::Fuzzy, best.score, &best.name, f.query);
        return Some(Verdict::Accept(m, reason));
    }
    let second = f.candidates.first(2).get(1).map_or(0.0, |c| c.score);
    if best.score >= accept {
        let ranked = f.candidates.until(|c| best.score - c.score >= margin);
        let close: Vec<&Candidate> = ranked.iter().take_while(|c| best.score - c.score < margin).collect();
        if let Some(id) = f.registry.dpi_names_one_of(f.iso3, f.year, close.iter().map(|c| c.partyfacts_id)) {
            let chosen = close.iter().find(|c| c.partyfacts_id == id).expect("a close candidate");
            let reason = format!(
                "{} parties score within the margin {margin} of the best ({:.4}); DPI names only this one in {} {}",
                close.len(),
                best.score,
                f.iso3,
                f.year
            );
            let m = f.registry.accepted(id, Method::DpiTiebreak, chosen.score, &chosen.name, f.query);
            return Some(Verdict::Accept(m, reason));
        }
    }
    Some(Verdict::Review(if best.score < accept {
        format!("best score {:.4} is below the acceptance threshold {accept}", best.score)
    } else {
        format!(
            "best score {:.4} leads the next party by only {:.4} (margin {margin})",
            best.score,
            best.score - second
        )
    }))
}

/// The DPI check on a match by any rule but `alias`: a party that DPI does not name in the
/// country-year loses its match to review when a party DPI does name there has a name nearly
/// as close. Party Facts keeps predecessors and namesakes as separate parties ("Democratic
/// Movement" of the 1970s beside the PMDB), and the one DPI names is the likelier.
fn dpi_check(f: &Facts, verdict: Verdict) -> Verdict {
    let Verdict::Accept(m, _) = &verdict else { return verdict };
    let registry = f.registry;
    if m.method == Method::Alias || registry.dpi_names(f.iso3, m.partyfacts_id, f.year) {
        return verdict;
    }
    let own = f.candidates.until(|c| c.partyfacts_id == m.partyfacts_id);
    let own = own.iter().find(|c| c.partyfacts_id == m.partyfacts_id).map_or(m.score, |c| name_score(registry, c));
    let floor = registry.config.dpi_rival_score.max(own - registry.config.dpi_rival_gap);
    let is_rival = |c: &Candidate| {
        c.partyfacts_id != m.partyfacts_id
            && registry.dpi_names(f.iso3, c.partyfacts_id, f.year)
            && name_score(registry, c) >= floor
    };
    // Without an abbreviation the ranking's score is the name score, so no candidate below the
    // floor is followed by one above it.
    let below = |c: &Candidate| f.query.acronym.is_none() && name_score(registry, c) < floor;
    let floor = f.query.acronym.is_none().then_some(floor);
    let rival = f.candidates.until_or_below(|c| is_rival(c) || below(c), floor).into_iter().find(is_rival);
    match rival {
        Some(r) => Verdict::Review(format!(
            "matched party {} by {}, but DPI does not name it in {}, and it names party {} ({:?}, name score {:.4}) there",
            m.partyfacts_id,
            m.method,
            f.year,
            r.partyfacts_id,
            r.name,
            name_score(registry, &r)
        )),
        None => verdict,
    }
}

/// A candidate's score on the name alone, without the abbreviation.
fn name_score(registry: &Registry, c: &Candidate) -> f64 {
    c.comparison.name_score(&registry.config.weights)
}

fn join_ids(ids: &BTreeSet<i64>) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
