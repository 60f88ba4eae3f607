//! Builds the party name registry the resolver searches: every Party Facts name of a party and
//! the DPI abbreviations linked to it, each with its country and years.

use std::collections::BTreeMap;

use crate::load::Sources;
use crate::reference::Reference;
use crate::resolve::{CandidateName, NameKind, Registry, ResolverConfig};

/// A DPI party abbreviation with the Party Facts id it links to and the years DPI names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DpiLink {
    pub iso3: String,
    pub dpi_party: String,
    pub partyfacts_id: i64,
    pub year_first: i32,
    pub year_last: i32,
}

pub fn build(sources: &Sources, reference: &Reference, dpi_links: &[DpiLink], config: ResolverConfig) -> Registry {
    let technical: std::collections::BTreeSet<i64> =
        sources.pf_core.iter().filter(|(_, p)| p.technical.is_some()).map(|(_, p)| p.partyfacts_id).collect();
    let mut names = Vec::new();
    let mut add = |iso3: &str, id: i64, name: &str, kind: NameKind, origin: &str, years: (Option<i32>, Option<i32>)| {
        let name = name.trim();
        if name.is_empty() || technical.contains(&id) {
            return;
        }
        names.push(CandidateName {
            iso3: iso3.to_string(),
            partyfacts_id: id,
            name: name.to_string(),
            kind,
            origin: origin.to_string(),
            year_first: years.0,
            year_last: years.1,
        });
    };
    for (iso3, p) in &sources.pf_core {
        let years = (p.year_first, p.year_last);
        let id = p.partyfacts_id;
        add(iso3, id, &p.name, NameKind::Full, "partyfacts", years);
        add(iso3, id, &p.name_english, NameKind::Full, "partyfacts", years);
        add(iso3, id, &p.name_short, NameKind::Short, "partyfacts", years);
        for other in split_other_names(&p.name_other) {
            add(iso3, id, other, NameKind::Full, "partyfacts", years);
        }
    }
    for (iso3, p) in &sources.pf_external {
        let Some(id) = p.partyfacts_id else { continue };
        let years = (p.year_first, p.year_last);
        add(iso3, id, &p.name, NameKind::Full, &p.dataset_key, years);
        add(iso3, id, &p.name_english, NameKind::Full, &p.dataset_key, years);
        add(iso3, id, &p.name_short, NameKind::Short, &p.dataset_key, years);
    }
    for link in dpi_links {
        // DPI writes most parties as abbreviations but some by name ("Fine Gael", "United Russia").
        let kind = if link.dpi_party.contains(' ') { NameKind::Full } else { NameKind::Short };
        add(&link.iso3, link.partyfacts_id, &link.dpi_party, kind, "dpi", (Some(link.year_first), Some(link.year_last)));
    }
    for alias in &reference.aliases {
        add(&alias.iso3, alias.partyfacts_id, &alias.alias, NameKind::Full, "alias", (None, None));
    }
    Registry::new(names, reference.overrides.clone(), config)
}

/// Party Facts' `name_other` holds several names, each perhaps after a language label:
/// "Pashto: ... / ...". Returns the names without their labels.
pub fn split_other_names(other: &str) -> Vec<&str> {
    other
        .split(['/', ';'])
        .map(|part| match part.split_once(": ") {
            Some((label, name)) if label.len() <= 20 && !label.contains(' ') => name,
            _ => part,
        })
        .map(|n| n.trim().trim_matches('\u{200e}').trim())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Collapses per-year DPI link rows into one link per (country, abbreviation, party id).
pub fn collapse_links(rows: impl IntoIterator<Item = (String, i32, String, i64)>) -> Vec<DpiLink> {
    let mut spans: BTreeMap<(String, String, i64), (i32, i32)> = BTreeMap::new();
    for (iso3, year, party, id) in rows {
        let span = spans.entry((iso3, party, id)).or_insert((year, year));
        span.0 = span.0.min(year);
        span.1 = span.1.max(year);
    }
    spans
        .into_iter()
        .map(|((iso3, dpi_party, partyfacts_id), (year_first, year_last))| DpiLink {
            iso3,
            dpi_party,
            partyfacts_id,
            year_first,
            year_last,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_names_lose_language_labels() {
        assert_eq!(split_other_names("Pashto: A B / C D"), ["A B", "C D"]);
        assert_eq!(split_other_names("Persian: X\u{200e}\u{200e};"), ["X"]);
        assert_eq!(split_other_names(""), Vec::<&str>::new());
    }
}
