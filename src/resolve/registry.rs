//! The registry the resolver searches: every candidate name, blocked by country, with what it
//! knows of each party (its years, its abbreviations, the years DPI names it) and the reviewed
//! overrides.

use std::collections::BTreeSet;

use super::score::{Prepared, initials, significant_words};
use super::{FastMap, FastSet, ResolverConfig};
use crate::load::reference::Override;
use crate::shared::normalize::{WILDCARD, fold, wildcard_eq};
use crate::shared::parallel;

mod words;
mod years;

pub(super) use words::WordIndex;

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

/// What tells a party apart from others of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyProfile {
    /// The years the sources know it in: "1997-2018", or "1988-" while it exists.
    pub years: String,
    /// Its other names in the country (Party Facts, its datasets, the aliases), sorted.
    pub names: Vec<String>,
    /// The DPI labels linked to it in the country, sorted.
    pub dpi_names: Vec<String>,
}

impl PartyProfile {
    /// One line: "1990-; also PML-N, Pakistan Muslim League (Nawaz); DPI PML-N", the other
    /// names cut after eight.
    pub fn line(&self) -> String {
        let names = match self.names.len() {
            0 => "no other name".to_string(),
            n if n > 8 => format!("also {}; and {} more", self.names[..8].join(", "), n - 8),
            _ => format!("also {}", self.names.join(", ")),
        };
        let dpi = match self.dpi_names.is_empty() {
            true => "no DPI label".to_string(),
            false => format!("DPI {}", self.dpi_names.join(", ")),
        };
        format!("{}; {names}; {dpi}", self.years)
    }
}

/// What the registry knows of one party beyond its names.
#[derive(Debug, Default, Clone)]
struct PartyInfo {
    /// The years the party's own sources know it in: the first year of Party Facts' core entry
    /// (else the earliest of any dataset's), and the latest last year over the core entry,
    /// every dataset's entry and the DPI labels linked to it (a single source's last year only
    /// says what that source covers: the core file ends many parties in its data's last
    /// year). No last year when the core entry has none: the party still exists.
    year_first: Option<i32>,
    year_last: Option<i32>,
    open_ended: bool,
    /// The first year Party Facts' core entry gives: the party's founding, where other
    /// datasets count its predecessors (the Democratic Party of Italy from the Olive Tree's
    /// 2001). It decides the first year where the core has one.
    core_year_first: Option<i32>,
    /// Folded short names and initials of full names.
    acronyms: BTreeSet<String>,
}

/// One country's block: its names by folded form, by loose key (significant words), those
/// damaged by broken encodings, the full names to score (prepared), an index of their words,
/// and its parties.
#[derive(Debug, Default)]
pub(super) struct CountryIndex {
    exact: FastMap<String, Vec<usize>>,
    pub(super) loose: FastMap<String, Vec<usize>>,
    /// Full names by their [`compact_keys`]: the same letters with spaces lost or added.
    pub(super) compact: FastMap<String, Vec<usize>>,
    damaged: Vec<usize>,
    /// The full names to score, by name index, in registry order ...
    pub(super) full: Vec<usize>,
    /// ... prepared for scoring.
    pub(super) prepared: Vec<Prepared>,
    pub(super) words: WordIndex,
    parties: BTreeSet<i64>,
}

/// The years a union state holds a member party as its own, by (the union's iso3, Party Facts
/// id): each span from a first year to a last (open when none).
pub type MemberYears = FastMap<(String, i64), Vec<(i32, Option<i32>)>>;

/// Every candidate name, blocked by country, with the reviewed overrides.
#[derive(Debug, Default)]
pub struct Registry {
    pub(super) names: Vec<CandidateName>,
    folded: Vec<String>,
    pub(super) countries: FastMap<String, CountryIndex>,
    parties: FastMap<i64, PartyInfo>,
    /// The reviewed overrides by country, then by folded name: a partner in a country with
    /// none is not even folded to look.
    overrides: FastMap<String, FastMap<String, Vec<Override>>>,
    /// The years DPI names each party, by (iso3, Party Facts id).
    dpi_years: FastMap<(String, i64), Vec<(i32, i32)>>,
    /// The parties a union or predecessor state's block holds only as its members' (a Serbian
    /// party under Serbia and Montenegro), with the years of the membership, by (the union's
    /// iso3, Party Facts id): outside them the party is no candidate there.
    member_years: MemberYears,
    /// How many names are those copies.
    member_names: usize,
    pub config: ResolverConfig,
}

impl Registry {
    pub fn new(names: Vec<CandidateName>, overrides: Vec<Override>, config: ResolverConfig) -> Registry {
        let mut r = Registry { config, ..Registry::default() };
        for o in overrides {
            r.overrides.entry(o.iso3.clone()).or_default().entry(fold(&o.name)).or_default().push(o);
        }
        let mut scored_names: FastSet<(String, i64, String)> = FastSet::default();
        let folded_names = parallel::map(&names, 4096, |n| fold(&n.name));
        for (i, (name, folded)) in names.iter().zip(folded_names).enumerate() {
            r.folded.push(folded.clone());
            if folded.is_empty() {
                continue;
            }
            let party = r.parties.entry(name.partyfacts_id).or_default();
            // A party's first year is its own sources', never moved back by the years DPI uses
            // a label linked to it: a wrong link would otherwise make a party of 2007 a
            // candidate in 2005. DPI naming the party in a later year (through a link the
            // crosswalk audit vouches for) says it still existed then.
            let own_years =
                if name.origin == "dpi" { (None, name.year_last) } else { (name.year_first, name.year_last) };
            if let Some(first) = own_years.0 {
                party.year_first = Some(party.year_first.map_or(first, |f| f.min(first)));
                if name.origin == "partyfacts" {
                    party.core_year_first = Some(first);
                }
            }
            if let Some(last) = own_years.1 {
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
                for key in compact_keys(&folded) {
                    let hits = index.compact.entry(key).or_default();
                    if hits.last() != Some(&i) {
                        hits.push(i);
                    }
                }
                // A party's name that several sources spell alike is scored once, under its
                // first spelling (the one a tie goes to).
                if scored_names.insert((name.iso3.clone(), name.partyfacts_id, folded.clone())) {
                    index.full.push(i);
                }
            }
        }
        for party in r.parties.values_mut() {
            party.year_first = party.core_year_first.or(party.year_first);
        }
        let mut codes: Vec<&String> = r.countries.keys().collect();
        codes.sort();
        let indexes: Vec<(Vec<Prepared>, WordIndex)> = parallel::map(&codes, 1, |code| {
            let prepared: Vec<Prepared> =
                r.countries[*code].full.iter().map(|&i| Prepared::new(&r.folded[i])).collect();
            let words = WordIndex::new(&prepared);
            (prepared, words)
        });
        let codes: Vec<String> = codes.into_iter().cloned().collect();
        for (code, (prepared, words)) in codes.into_iter().zip(indexes) {
            let index = r.countries.get_mut(&code).expect("a country");
            index.prepared = prepared;
            index.words = words;
        }
        r.names = names;
        r
    }

    /// The names the sources give (a member's names under its union state not counted again).
    pub fn len(&self) -> usize {
        self.names.len() - self.member_names
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Restricts the parties a union state holds as its members' to the years of the
    /// membership (see [`Registry::member_in_year`]).
    pub fn with_member_years(mut self, member_years: MemberYears) -> Registry {
        self.member_years = member_years;
        self.member_names = self.names.len() - self.names().count();
        self
    }

    /// Every candidate name with its folded form (empty when the name folds to nothing), in
    /// the order the registry was built: the extractor's gazetteer is made of them. A member's
    /// name under its union state is left out: the gazetteer finds it under the member.
    pub fn names(&self) -> impl Iterator<Item = (&CandidateName, &str)> {
        self.names
            .iter()
            .zip(self.folded.iter().map(String::as_str))
            .filter(|(n, _)| !self.member_years.contains_key(&(n.iso3.clone(), n.partyfacts_id)))
    }

    /// Whether some party of the country has this folded name.
    pub fn has_name(&self, iso3: &str, folded: &str) -> bool {
        self.countries.get(iso3).is_some_and(|index| !self.exact_hits(index, folded).is_empty())
    }

    /// Parties indexed for a country.
    pub fn parties_in(&self, iso3: &str) -> usize {
        self.countries.get(iso3).map_or(0, |c| c.parties.len())
    }

    /// Checks each override's party against the registry: the id is a party, of the
    /// override's country. An override is trusted without scoring, so a typo in its id would
    /// otherwise count as a match to a party with no name, or another country's.
    pub fn check_overrides(&self) -> anyhow::Result<()> {
        for o in self.overrides() {
            let Some(id) = o.partyfacts_id else { continue };
            let of = |iso3: &str| self.countries.get(iso3).is_some_and(|c| c.parties.contains(&id));
            if of(&o.iso3) {
                continue;
            }
            let mut elsewhere: Vec<&str> =
                self.countries.iter().filter(|(_, c)| c.parties.contains(&id)).map(|(k, _)| k.as_str()).collect();
            elsewhere.sort();
            let problem = match elsewhere.as_slice() {
                [] => "is no Party Facts party".to_string(),
                countries => format!("is a party of {}, not of {}", countries.join(", "), o.iso3),
            };
            anyhow::bail!(
                "party_overrides.csv: the override of {:?} in {} (decided by {}): partyfacts_id {id} {problem}",
                o.name,
                o.iso3,
                o.decided_by
            );
        }
        Ok(())
    }

    /// What tells a party apart from another of the same name (Pakistan Muslim League is two
    /// parties in Party Facts, 2384 and 2385): its years, and its other names in the country.
    pub fn party_profile(&self, iso3: &str, id: i64, except: &str) -> PartyProfile {
        let years = self.parties.get(&id).map_or_else(String::new, |p| {
            let first = p.year_first.map_or("?".to_string(), |y| y.to_string());
            let last = if p.open_ended { String::new() } else { p.year_last.map_or(String::new(), |y| y.to_string()) };
            format!("{first}-{last}")
        });
        let (mut names, mut dpi_names) = (Vec::new(), Vec::new());
        let country = self.countries.get(iso3);
        for name in
            country.into_iter().flat_map(|c| c.exact.values().flatten().chain(&c.damaged)).map(|&i| &self.names[i])
        {
            if name.partyfacts_id != id {
                continue;
            }
            match name.origin.as_str() {
                "dpi" => dpi_names.push(name.name.clone()),
                _ if name.name != except => names.push(name.name.clone()),
                _ => {}
            }
        }
        for list in [&mut names, &mut dpi_names] {
            list.sort();
            list.dedup();
        }
        PartyProfile { years, names, dpi_names }
    }

    /// Every override, in the order of their country and name.
    pub fn overrides(&self) -> Vec<&Override> {
        let mut overrides: Vec<&Override> = self.overrides.values().flat_map(|o| o.values().flatten()).collect();
        overrides.sort_by(|a, b| (&a.iso3, &a.name, a.year_first).cmp(&(&b.iso3, &b.name, b.year_first)));
        overrides
    }

    /// Whether any reviewed decision is about a name in the country.
    pub(super) fn has_overrides(&self, iso3: &str) -> bool {
        self.overrides.contains_key(iso3)
    }

    /// The reviewed decision about a name as written in the country-year, if there is one.
    pub(super) fn override_for(&self, iso3: &str, year: i32, written: &str) -> Option<&Override> {
        self.overrides
            .get(iso3)?
            .get(&fold(written))?
            .iter()
            .find(|o| o.year_first.is_none_or(|f| f <= year) && o.year_last.is_none_or(|l| year <= l))
    }

    /// Names equal to `key`, damaged names included.
    pub(super) fn exact_hits(&self, index: &CountryIndex, key: &str) -> Vec<usize> {
        let mut hits: Vec<usize> = index.exact.get(key).cloned().unwrap_or_default();
        hits.extend(index.damaged.iter().copied().filter(|&i| wildcard_eq(&self.folded[i], key)));
        hits
    }

    /// Whether the abbreviation a partner gives is one of the party's: None when the partner
    /// gives none or the party has none.
    pub(super) fn acronym_agreement(&self, id: i64, acronym: Option<&str>) -> Option<f64> {
        let given = acronym?;
        let own = &self.parties.get(&id)?.acronyms;
        (!own.is_empty()).then(|| if own.contains(given) { 1.0 } else { 0.0 })
    }
}

/// The significant words in sorted order: the same key for the same words in any order, with
/// or without "party" and small words.
pub(super) fn loose_key(folded: &str) -> String {
    let mut words = significant_words(folded);
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

/// A name's words run together, all of them and the significant ones, each word written once
/// ("national heritage party" -> "nationalheritageparty", "nationalheritage"): a name whose
/// spaces were lost, moved or added ("HeritageParty", "Partyo f", "Demo cratic") has the
/// same keys.
pub(super) fn compact_keys(folded: &str) -> Vec<String> {
    let mut all: Vec<&str> = crate::shared::normalize::tokens(folded).collect();
    all.dedup();
    let mut significant = significant_words(folded);
    significant.dedup();
    let mut keys = vec![all.concat(), significant.concat()];
    keys.dedup();
    keys.retain(|k| k.chars().count() >= 6);
    keys
}
