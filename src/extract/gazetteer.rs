//! The resolver's own name registry used as a gazetteer: every Party Facts name and short name,
//! DPI abbreviation and curated alias of every country but China, with the English
//! abbreviations of `reference/party_abbreviations.csv`, found in an item's folded text by one
//! Aho-Corasick automaton (the `aho-corasick` crate: one pass over the text for some hundred
//! thousand names, where trying them one by one would take hours over a million items).
//!
//! A name must be written as a name: its significant words capitalised ("Liberal Democratic
//! Party", not "liberal democratic party"), and a one-word name in capitals ("ANC", "SYRIZA",
//! "PCdoB") unless the curated abbreviations list it as a word ("Komeito", "Fidesz"). The
//! names of the CPC's side (China's parties, "the CPC", the National People's Congress ...)
//! are found too, so that "Communist Party" is not read inside "Communist Party of China".

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::AhoCorasick;
use anyhow::Result;

use crate::load::read::text_table::TextTable;
use crate::resolve::{NameKind, Registry};

use super::places::{Iso3, Places};
use super::text::Folded;

pub const EMBEDDED_ABBREVIATIONS: &str = include_str!("../../reference/party_abbreviations.csv");

/// Names of the CPC's side that no registry holds, folded: never partners, and never read as
/// another party's name.
const CPC_SIDE: [&str; 22] = [
    "cpc",
    "idcpc",
    "ccp",
    "npc",
    "cppcc",
    "international department",
    "national peoples congress",
    "peoples political consultative conference",
    "communist youth league",
    "all china",
    "central party school",
    "central commission for discipline inspection",
    "chinese peoples association for friendship with foreign countries",
    "china executive leadership academy",
    "chinese academy of social sciences",
    "state council",
    "national congress of the communist party of china",
    "national congress of the cpc",
    "cpc national congress",
    "cpc central committee",
    "central committee of the communist party of china",
    "chinese communist party",
];

/// Capitals that name organisations and events, not parties.
const NOT_PARTIES: [&str; 36] = [
    "un", "eu", "us", "uk", "au", "asean", "brics", "bri", "sco", "wto", "nato", "imf", "who", "ngo", "gdp", "sars",
    "prc", "dprk", "rok", "vna", "kpl", "focac", "cpec", "apec", "g20", "sez", "ceo", "mp", "mps", "tv", "ict",
    "covid", "aids", "hiv", "opec", "oau",
];

/// Short words that a capitalised name may hold in lower case.
const SMALL_WORDS: [&str; 24] = [
    "of", "the", "and", "for", "de", "la", "le", "du", "des", "del", "da", "do", "dos", "das", "e", "y", "et", "und",
    "van", "von", "der", "den", "al", "el",
];

/// A party a name may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyName {
    pub iso3: Iso3,
    pub partyfacts_id: i64,
    pub short: bool,
}

struct Pattern {
    parties: Vec<PartyName>,
    /// A name of the CPC's side.
    cpc: bool,
    /// A one-word name that may be written as a word ("Komeito"), not only in capitals.
    word: bool,
}

/// A name found in an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameHit {
    pub pattern: usize,
    /// Folded bytes and original bytes.
    pub folded: (usize, usize),
    pub start: usize,
    pub end: usize,
    pub cpc: bool,
}

pub struct Gazetteer {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

impl Gazetteer {
    /// The registry's names, with the abbreviations table (built in, or its copy in `dir`).
    pub fn new(registry: &Registry, places: &Places, dir: Option<&Path>) -> Result<Gazetteer> {
        let abbreviations = match dir.map(|d| d.join("party_abbreviations.csv")).filter(|p| p.is_file()) {
            Some(path) => std::fs::read(&path)
                .map_err(|e| crate::load::error::DataError::new(&path, format!("cannot read: {e}")))?,
            None => EMBEDDED_ABBREVIATIONS.as_bytes().to_vec(),
        };
        let table = TextTable::parse_csv(Path::new("reference/party_abbreviations.csv"), &abbreviations)?;
        let [id, country, abbreviation, english] =
            table.columns(["partyfacts_id", "country", "abbreviation", "name_english"])?;
        let mut curated: Vec<(String, PartyName, bool)> = Vec::new();
        for row in &table.rows {
            let party = PartyName {
                iso3: places
                    .countries
                    .by_iso3(row.cells[country].trim())
                    .and_then(|c| Iso3::new(&c.iso3))
                    .ok_or_else(|| table.cell_error(row, country, "not a country in countries.csv"))?,
                partyfacts_id: row.cells[id]
                    .trim()
                    .parse()
                    .map_err(|_| table.cell_error(row, id, "not a whole number"))?,
                short: true,
            };
            // "Komeito" may be written as a word; "PAN" only in capitals.
            let written = row.cells[abbreviation].clone();
            let word = written.chars().any(char::is_lowercase);
            curated.push((written, party, word));
            // "Komeito (New Komeito)": the name before an explanation in brackets.
            let name = row.cells[english].split(" (").next().unwrap_or("").to_string();
            curated.push((name, PartyName { short: false, ..party }, false));
        }
        let names = registry.names().filter_map(|(n, folded)| {
            let party = PartyName {
                iso3: Iso3::new(&n.iso3)?,
                partyfacts_id: n.partyfacts_id,
                short: n.kind == NameKind::Short,
            };
            Some((folded.to_string(), party, false))
        });
        let curated =
            curated.into_iter().map(|(name, party, word)| (crate::shared::normalize::fold(&name), party, word));
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut folded_names: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut add = |folded: String, party: Option<PartyName>, word: bool| {
            if folded.is_empty()
                || folded.contains(crate::shared::normalize::WILDCARD)
                || folded.chars().all(|c| c.is_ascii_digit() || c == ' ')
            {
                return;
            }
            if folded.len() < 2 || (party.is_some() && NOT_PARTIES.contains(&folded.as_str())) {
                return;
            }
            let i = *index.entry(folded.clone()).or_insert_with(|| {
                // Between spaces, so that the automaton reports whole words only (a name's
                // letters at the start of a longer word are no match, and reporting them was most
                // of the search's time).
                folded_names.push(format!(" {folded} "));
                patterns.push(Pattern { parties: Vec::new(), cpc: false, word: false });
                patterns.len() - 1
            });
            let p = &mut patterns[i];
            match party {
                Some(party) if party.iso3 == Iso3::CHINA => p.cpc = true,
                Some(party) => {
                    if !p.parties.contains(&party) {
                        p.parties.push(party);
                    }
                    p.word |= word;
                }
                None => p.cpc = true,
            }
        };
        for (folded, party, word) in names.chain(curated) {
            add(folded, Some(party), word);
        }
        for side in CPC_SIDE {
            add(side.to_string(), None, false);
        }
        for n in 1..=30 {
            add(format!("{n}{} national congress", ordinal_suffix(n)), None, false);
        }
        let automaton = AhoCorasick::new(&folded_names)?;
        Ok(Gazetteer { automaton, patterns })
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The parties a hit's name may stand for (none for the CPC's side).
    pub fn parties(&self, hit: &NameHit) -> &[PartyName] {
        &self.patterns[hit.pattern].parties
    }

    /// The names written as names in `text`, the longest where they overlap, in text order.
    pub fn find(&self, text: &str, folded: &Folded) -> Vec<NameHit> {
        let mut hits: Vec<NameHit> = Vec::new();
        for m in self.automaton.find_overlapping_iter(&folded.text) {
            let (start, end) = (m.start() + 1, m.end() - 1);
            let p = &self.patterns[m.pattern().as_usize()];
            let orig = folded.original(start..end);
            if !written_as_name(&text[orig.clone()], p.word || p.cpc) {
                continue;
            }
            hits.push(NameHit {
                pattern: m.pattern().as_usize(),
                folded: (start, end),
                start: orig.start,
                end: orig.end,
                cpc: p.cpc,
            });
        }
        hits.sort_by_key(|h| (std::cmp::Reverse(h.folded.1 - h.folded.0), h.folded.0));
        let mut kept: Vec<NameHit> = Vec::new();
        for h in hits {
            if !kept.iter().any(|k| k.folded.0 < h.folded.1 && h.folded.0 < k.folded.1) {
                kept.push(h);
            }
        }
        kept.sort_by_key(|h| h.folded.0);
        kept
    }
}

fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// Whether a name is written as a name: capitalised significant words, and one word only in
/// capitals ("ANC", "ZANU-PF", "PCdoB") unless it may be a word ("Komeito").
fn written_as_name(written: &str, may_be_word: bool) -> bool {
    // Most candidates are words of the text that some party somewhere is called: reject them
    // before splitting anything.
    if !written.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let mut words = written.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').filter(|w| !w.is_empty());
    // A name that ends in a small word written small ("Movement for" in "the Movement for
    // Multi-party Democracy") is the start of a longer name, not the party of that name.
    let last = words.clone().next_back().unwrap_or("");
    if SMALL_WORDS.contains(&last) {
        return false;
    }
    let first = words.next().unwrap_or("");
    let mut rest = words.peekable();
    if rest.peek().is_none() && !may_be_word {
        let capitals = written.chars().filter(|c| c.is_uppercase()).count();
        return capitals >= 2 || (first.len() <= 4 && capitals >= 1 && first.chars().any(|c| c.is_ascii_digit()));
    }
    rest.all(|w| {
        SMALL_WORDS.iter().any(|s| s.eq_ignore_ascii_case(w))
            || w.chars().count() < 3
            || w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_written_as_names() {
        assert!(written_as_name("Liberal Democratic Party", false));
        assert!(written_as_name("Party of the Democratic Revolution", false));
        assert!(!written_as_name("liberal democratic party", false));
        assert!(!written_as_name("Social democratic party", false));
        assert!(written_as_name("ANC", false));
        assert!(written_as_name("ZANU-PF", false));
        assert!(written_as_name("PCdoB", false));
        assert!(!written_as_name("Congress", false));
        assert!(written_as_name("Komeito", true));
        assert!(!written_as_name("komeito", true));
        assert!(!written_as_name("Movement for", false), "the start of the Movement for Multi-party Democracy");
        assert!(written_as_name("Movement For", false));
    }
}
