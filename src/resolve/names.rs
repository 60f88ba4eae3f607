//! The candidate names the registry is built from: every Party Facts name of a party, the DPI
//! abbreviations linked to it and the curated aliases, each with its country and years, in the
//! forms a source's name is indexed under.

use std::collections::BTreeMap;

use super::dpi_links::DpiLink;
use super::{CandidateName, NameKind, Registry, ResolverConfig};
use crate::load::Sources;
use crate::load::reference::Reference;

/// The registry of every candidate name the sources, the DPI links and the aliases give.
pub fn build(sources: &Sources, reference: &Reference, dpi_links: &[DpiLink], config: ResolverConfig) -> Registry {
    let technical: std::collections::BTreeSet<i64> =
        sources.pf_core.iter().filter(|(_, p)| p.technical.is_some()).map(|(_, p)| p.partyfacts_id).collect();
    let mut names = Vec::new();
    let mut add = |iso3: &str, id: i64, name: &str, kind: NameKind, origin: &str, years: (Option<i32>, Option<i32>)| {
        if technical.contains(&id) {
            return;
        }
        for form in name_forms(name) {
            names.push(CandidateName {
                iso3: iso3.to_string(),
                partyfacts_id: id,
                name: form,
                kind,
                origin: origin.to_string(),
                year_first: years.0,
                year_last: years.1,
            });
        }
    };
    // A party DPI names in a country is a candidate there even where Party Facts files it under
    // another code (Northern Cyprus' parties are CYP in Party Facts, XNC in DPI).
    let mut dpi_countries: BTreeMap<i64, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for link in dpi_links {
        dpi_countries.entry(link.partyfacts_id).or_default().insert(&link.iso3);
    }
    let mut add = |iso3: &str, id: i64, name: &str, kind: NameKind, origin: &str, years: (Option<i32>, Option<i32>)| {
        add(iso3, id, name, kind, origin, years);
        for other in dpi_countries.get(&id).into_iter().flatten().filter(|c| **c != iso3) {
            add(other, id, name, kind, origin, years);
        }
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
        add(
            &link.iso3,
            link.partyfacts_id,
            &link.dpi_party,
            kind,
            "dpi",
            (Some(link.year_first), Some(link.year_last)),
        );
    }
    for alias in &reference.aliases {
        add(&alias.iso3, alias.partyfacts_id, &alias.alias, NameKind::Full, "alias", (None, None));
    }
    Registry::new(names, reference.overrides.clone(), config)
}

/// The forms under which a source's name is indexed. Party Facts marks optional words with
/// square brackets ("Mongolian People's [Revolutionary] Party": both with and without them)
/// and some datasets prefix alliances with "alliance: ", which no one writes.
pub fn name_forms(name: &str) -> Vec<String> {
    let name = name.trim();
    let name = name.strip_prefix("alliance:").map_or(name, str::trim);
    if name.is_empty() {
        return Vec::new();
    }
    if !(name.contains('[') && name.contains(']')) {
        return vec![name.to_string()];
    }
    let with: String = name.chars().filter(|c| !matches!(c, '[' | ']')).collect();
    let mut without = String::new();
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => without.push(c),
            _ => {}
        }
    }
    let without = without.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut forms = vec![with.split_whitespace().collect::<Vec<_>>().join(" ")];
    if !without.is_empty() && without != forms[0] {
        forms.push(without);
    }
    forms
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_words_and_alliance_labels() {
        assert_eq!(
            name_forms("Mongolian People's [Revolutionary] Party"),
            ["Mongolian People's Revolutionary Party", "Mongolian People's Party"]
        );
        assert_eq!(name_forms("alliance: Fidesz–MDF"), ["Fidesz–MDF"]);
        assert_eq!(name_forms("  "), Vec::<String>::new());
    }

    #[test]
    fn other_names_lose_language_labels() {
        assert_eq!(split_other_names("Pashto: A B / C D"), ["A B", "C D"]);
        assert_eq!(split_other_names("Persian: X\u{200e}\u{200e};"), ["X"]);
        assert_eq!(split_other_names(""), Vec::<&str>::new());
    }
}
