//! Party resolution: a contact's free-text partner to a Party Facts id, within its country.
//!
//! Blocking is by country (ISO3). Candidates are every name Party Facts holds for a party (core
//! names, short names, English and other names, and the names other datasets give it) plus the
//! DPI abbreviations linked to it. A partner is matched only when one party, and only one, fits
//! by one of these methods, tried in order:
//!
//! - `exact_name`: the partner's name, folded, equals a name of the party;
//! - `bracket_abbreviation`: the abbreviation in brackets equals a short name of the party, and
//!   the name before it does not point at another party;
//! - `abbreviation`: the whole partner is a short name of the party ("ANC");
//! - `token_set`: the same words in another order.
//!
//! Where several parties fit, the party's years (Party Facts' first and last year) decide if
//! they leave one. Everything else goes to the review queue with its best candidates.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::country::Countries;
use crate::normalize::{fold, tokens};

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
    /// Where the name comes from: `partyfacts`, a Party Facts dataset key, or `dpi`.
    pub origin: String,
    pub year_first: Option<i32>,
    pub year_last: Option<i32>,
}

/// The names of one country's parties, indexed for lookup.
#[derive(Debug, Default)]
struct CountryIndex {
    by_name: HashMap<String, Vec<usize>>,
    by_tokens: HashMap<String, Vec<usize>>,
    names: Vec<(String, usize)>,
}

/// Every candidate name, blocked by country.
#[derive(Debug, Default)]
pub struct Registry {
    names: Vec<CandidateName>,
    countries: HashMap<String, CountryIndex>,
}

/// A partner resolved, or not, with what decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub partyfacts_id: Option<i64>,
    /// The method that matched, or `review` when none did.
    pub method: &'static str,
    pub score: Option<f64>,
    /// The candidate name that matched, as its source writes it.
    pub matched_name: Option<String>,
    /// Why the partner went to review.
    pub reason: Option<String>,
    /// The best candidates by Jaro-Winkler similarity, for the review queue.
    pub candidates: Vec<(i64, String, f64)>,
}

impl Registry {
    pub fn new(names: Vec<CandidateName>) -> Registry {
        let mut countries: HashMap<String, CountryIndex> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let folded = fold(&name.name);
            if folded.is_empty() {
                continue;
            }
            let index = countries.entry(name.iso3.clone()).or_default();
            index.by_name.entry(folded.clone()).or_default().push(i);
            if name.kind == NameKind::Full {
                index.by_tokens.entry(token_key(&folded)).or_default().push(i);
                index.names.push((folded, i));
            }
        }
        Registry { names, countries }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Resolves `partner` in country `iso3` for a contact in `year`.
    pub fn resolve(&self, countries: &Countries, iso3: &str, year: i32, partner: &str) -> Resolution {
        let Some(index) = self.countries.get(iso3) else {
            return review(format!("Party Facts has no parties for {iso3}"), Vec::new());
        };
        let (name_part, bracket) = split_bracket(partner);
        let variants = name_variants(countries, iso3, name_part);
        let lookup = |key: &str, kinds: &[NameKind]| -> Vec<usize> {
            index.by_name.get(key).into_iter().flatten().copied().filter(|&i| kinds.contains(&self.names[i].kind)).collect()
        };
        let by_name: Vec<usize> = variants.iter().flat_map(|v| lookup(v, &[NameKind::Full, NameKind::Short])).collect();
        let by_bracket: Vec<usize> = bracket.map(|b| lookup(&fold(b), &[NameKind::Short])).unwrap_or_default();

        let name_ids = self.ids_in_year(&by_name, year);
        let bracket_ids = self.ids_in_year(&by_bracket, year);
        if let (Some(n), Some(b)) = (single(&name_ids), single(&bracket_ids)) {
            if n != b {
                return review(
                    format!("the name points at party {n} but the bracketed abbreviation at party {b}"),
                    self.candidates(index, &variants),
                );
            }
        }
        let whole_is_short = bracket.is_none() && by_name.iter().all(|&i| self.names[i].kind == NameKind::Short);
        let method = if whole_is_short { "abbreviation" } else { "exact_name" };
        if let Some(r) = self.accept(&name_ids, &by_name, method, 1.0) {
            return r;
        }
        if name_ids.is_empty() {
            if let Some(r) = self.accept(&bracket_ids, &by_bracket, "bracket_abbreviation", 0.9) {
                return r;
            }
            let by_tokens: Vec<usize> =
                variants.iter().flat_map(|v| index.by_tokens.get(&token_key(v)).into_iter().flatten().copied()).collect();
            let token_ids = self.ids_in_year(&by_tokens, year);
            if let Some(r) = self.accept(&token_ids, &by_tokens, "token_set", 0.95) {
                return r;
            }
            if token_ids.len() > 1 {
                return review(format!("the words fit {} parties", token_ids.len()), self.candidates(index, &variants));
            }
        }
        let reason = match (name_ids.len(), bracket_ids.len()) {
            (n, _) if n > 1 => format!("the name fits {n} parties"),
            (_, b) if b > 1 => format!("the bracketed abbreviation fits {b} parties"),
            _ => "no Party Facts or DPI name of a party in this country fits".to_string(),
        };
        review(reason, self.candidates(index, &variants))
    }

    /// The distinct party ids among `hits`; where there are several, those whose years cover
    /// `year`, if that narrows them down to some.
    fn ids_in_year(&self, hits: &[usize], year: i32) -> BTreeSet<i64> {
        let all: BTreeSet<i64> = hits.iter().map(|&i| self.names[i].partyfacts_id).collect();
        if all.len() < 2 {
            return all;
        }
        let in_year: BTreeSet<i64> = hits
            .iter()
            .map(|&i| &self.names[i])
            .filter(|n| n.year_first.is_none_or(|f| f <= year) && n.year_last.is_none_or(|l| year <= l))
            .map(|n| n.partyfacts_id)
            .collect();
        if in_year.is_empty() { all } else { in_year }
    }

    fn accept(&self, ids: &BTreeSet<i64>, hits: &[usize], method: &'static str, score: f64) -> Option<Resolution> {
        let id = single(ids)?;
        let name = hits.iter().map(|&i| &self.names[i]).find(|n| n.partyfacts_id == id).map(|n| n.name.clone());
        Some(Resolution {
            partyfacts_id: Some(id),
            method,
            score: Some(score),
            matched_name: name,
            reason: None,
            candidates: Vec::new(),
        })
    }

    /// The three best-scoring distinct parties by Jaro-Winkler over full names.
    fn candidates(&self, index: &CountryIndex, variants: &[String]) -> Vec<(i64, String, f64)> {
        let mut best: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
        for (folded, i) in &index.names {
            let score = variants.iter().map(|v| strsim::jaro_winkler(v, folded)).fold(0.0, f64::max);
            let entry = best.entry(self.names[*i].partyfacts_id).or_insert((score, *i));
            if score > entry.0 {
                *entry = (score, *i);
            }
        }
        let mut ranked: Vec<(i64, String, f64)> =
            best.into_iter().map(|(id, (score, i))| (id, self.names[i].name.clone(), round4(score))).collect();
        ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        ranked.truncate(3);
        ranked
    }
}

fn review(reason: String, candidates: Vec<(i64, String, f64)>) -> Resolution {
    Resolution { partyfacts_id: None, method: "review", score: None, matched_name: None, reason: Some(reason), candidates }
}

fn single(ids: &BTreeSet<i64>) -> Option<i64> {
    (ids.len() == 1).then(|| *ids.first().expect("one id"))
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// "Communist Party of Vietnam (CPV)" -> ("Communist Party of Vietnam", Some("CPV")).
pub fn split_bracket(partner: &str) -> (&str, Option<&str>) {
    let trimmed = partner.trim();
    if let Some(open) = trimmed.rfind('(') {
        if trimmed.ends_with(')') && open > 0 {
            let inner = trimmed[open + 1..trimmed.len() - 1].trim();
            if !inner.is_empty() {
                return (trimmed[..open].trim(), Some(inner));
            }
        }
    }
    (trimmed, None)
}

/// The folded forms to look up: the name itself, without a possessive country prefix
/// ("Japan's New Komeito"), and without a country suffix ("... of Viet Nam").
fn name_variants(countries: &Countries, iso3: &str, name: &str) -> Vec<String> {
    let mut variants = vec![fold(name)];
    let lower = name.to_lowercase().replace('\u{2019}', "'");
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    for spelling in countries.spellings_of(iso3) {
        let spelling = spelling.to_lowercase();
        if let Some(rest) = lower.strip_prefix(&format!("{spelling}'s ")) {
            variants.push(fold(rest));
        }
        for joint in [" of ", " in "] {
            if let Some(rest) = lower.strip_suffix(&format!("{joint}{spelling}")) {
                variants.push(fold(rest));
            }
        }
    }
    variants.retain(|v| !v.is_empty());
    variants.dedup();
    variants
}

/// Words in sorted order, without the small words that change between spellings.
fn token_key(folded: &str) -> String {
    const SMALL: [&str; 12] = ["the", "of", "and", "for", "de", "la", "del", "el", "du", "des", "le", "les"];
    let words: BTreeSet<&str> = tokens(folded).filter(|t| !SMALL.contains(t)).collect();
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

    fn registry() -> Registry {
        Registry::new(vec![
            name(1, "Social Democratic Party of Germany", NameKind::Full),
            name(1, "SPD", NameKind::Short),
            name(2, "Christian Democratic Union", NameKind::Full),
            name(2, "CDU", NameKind::Short),
            name(3, "Free Democratic Party", NameKind::Full),
            name(3, "FDP", NameKind::Short),
        ])
    }

    #[test]
    fn methods_in_order() {
        let c = Countries::embedded().unwrap();
        let r = registry();
        let got = |p: &str| {
            let x = r.resolve(&c, "DEU", 2010, p);
            (x.partyfacts_id, x.method)
        };
        assert_eq!(got("Social Democratic Party of Germany (SPD)"), (Some(1), "exact_name"));
        assert_eq!(got("the Social Democratic Party of Germany"), (Some(1), "exact_name"));
        assert_eq!(got("Germany's Free Democratic Party"), (Some(3), "exact_name"));
        assert_eq!(got("CDU"), (Some(2), "abbreviation"));
        assert_eq!(got("Christian Democrats (CDU)"), (Some(2), "bracket_abbreviation"));
        assert_eq!(got("Democratic Party Free"), (Some(3), "token_set"));
        assert_eq!(got("Social Democratic Party of Germany (CDU)").1, "review");
        assert_eq!(got("Pirate Party").1, "review");
    }

    #[test]
    fn review_lists_candidates() {
        let c = Countries::embedded().unwrap();
        let x = registry().resolve(&c, "DEU", 2010, "Social Democrat Party");
        assert_eq!(x.partyfacts_id, None);
        assert_eq!(x.candidates[0].0, 1);
        assert!(x.reason.is_some());
    }
}
