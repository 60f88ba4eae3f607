//! The candidate names the registry is built from: every Party Facts name of a party, the DPI
//! abbreviations linked to it and the curated aliases, each with its country and years, in the
//! forms a source's name is indexed under.

use std::collections::BTreeMap;

use super::dpi_links::DpiLink;
use super::registry::MemberYears;
use super::{CandidateName, FastSet, NameKind, Registry, ResolverConfig};
use crate::load::Sources;
use crate::load::reference::{Reference, UnionMember};

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
    let member_years = add_union_members(&mut names, &reference.union_members);
    Registry::new(names, reference.overrides.clone(), config).with_member_years(member_years)
}

/// A union or predecessor state's block gets its members' parties (`union_states.csv`: Party
/// Facts files the parties of Serbia and Montenegro under SRB and MNE), each a candidate there
/// in the years of the membership only. A party the union's block already holds (one DPI names
/// there) keeps its own years. DPI's labels stay with the country DPI uses them in: DPI naming
/// a party in the member says nothing of the union.
fn add_union_members(names: &mut Vec<CandidateName>, members: &[UnionMember]) -> MemberYears {
    let native: FastSet<(&str, i64)> = names.iter().map(|n| (n.iso3.as_str(), n.partyfacts_id)).collect();
    let mut spans = MemberYears::default();
    let mut copies = Vec::new();
    for m in members {
        let mut copied: FastSet<i64> = FastSet::default();
        for n in names.iter().filter(|n| n.iso3 == m.member_iso3 && n.origin != "dpi") {
            if native.contains(&(m.iso3.as_str(), n.partyfacts_id)) {
                continue;
            }
            let party_spans = spans.entry((m.iso3.clone(), n.partyfacts_id)).or_default();
            if copied.insert(n.partyfacts_id) {
                party_spans.push((m.year_first, m.year_last));
            }
            // A member listed for two spans (Serbia in Yugoslavia to 1991 and from 1992) has
            // its names copied once.
            if party_spans.len() == 1 {
                copies.push(CandidateName { iso3: m.iso3.clone(), ..n.clone() });
            }
        }
    }
    names.extend(copies);
    spans
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

    /// A name of party `id` in `iso3` from Party Facts' core file, with its years.
    fn core(iso3: &str, id: i64, name: &str, years: (i32, Option<i32>)) -> CandidateName {
        CandidateName {
            iso3: iso3.into(),
            partyfacts_id: id,
            name: name.into(),
            kind: NameKind::Full,
            origin: "partyfacts".into(),
            year_first: Some(years.0),
            year_last: years.1,
        }
    }

    fn member(union: &str, member: &str, years: (i32, Option<i32>)) -> UnionMember {
        UnionMember { iso3: union.into(), year_first: years.0, year_last: years.1, member_iso3: member.into() }
    }

    #[test]
    fn a_union_state_holds_its_members_parties_in_the_years_of_the_membership() {
        let mut names = vec![
            core("SRB", 1, "Socialist Party of Serbia", (1990, None)),
            core("MNE", 2, "Democratic Party of Socialists of Montenegro", (1991, None)),
            core("HRV", 3, "Croatian Democratic Union", (1989, None)),
            // DPI names party 1 under Yugoslavia, so Yugoslavia's block holds it in any year.
            CandidateName { iso3: "YUG".into(), ..core("SRB", 1, "SPS", (1993, Some(2001))) },
        ];
        let members = [
            member("SCG", "MNE", (2003, Some(2006))),
            member("SCG", "SRB", (2003, Some(2006))),
            member("YUG", "HRV", (1945, Some(1991))),
            member("YUG", "SRB", (1945, Some(1991))),
            member("YUG", "SRB", (1992, Some(2006))),
        ];
        let spans = add_union_members(&mut names, &members);
        let registry = Registry::new(names, Vec::new(), ResolverConfig::default()).with_member_years(spans);
        let countries = crate::load::countries::Countries::embedded().unwrap();
        let resolved = |iso3: &str, year: i32, partner: &str| {
            registry
                .resolve(&countries, iso3, year, partner)
                .matches
                .iter()
                .map(|m| m.partyfacts_id)
                .collect::<Vec<_>>()
        };
        assert_eq!(resolved("SCG", 2004, "Socialist Party of Serbia"), [1]);
        assert_eq!(resolved("SCG", 2004, "Democratic Party of Socialists of Montenegro"), [2]);
        assert!(resolved("SCG", 2010, "Socialist Party of Serbia").is_empty(), "the union ended in 2006");
        assert_eq!(resolved("YUG", 1990, "Croatian Democratic Union"), [3]);
        assert!(resolved("YUG", 1995, "Croatian Democratic Union").is_empty(), "Croatia left in 1991");
        assert_eq!(resolved("YUG", 2012, "SPS"), [1], "a party DPI names in the union keeps its own years");
        assert_eq!(resolved("SRB", 2004, "Socialist Party of Serbia"), [1]);
        // The member's names are copied once however many spans list it, and the gazetteer
        // finds them under the member alone.
        let under = |iso3: &str| registry.names.iter().filter(|n| n.iso3 == iso3 && n.partyfacts_id == 1).count();
        assert_eq!((under("SCG"), under("YUG")), (1, 1));
        assert!(registry.names().all(|(n, _)| n.iso3 != "SCG"));
    }

    #[test]
    fn other_names_lose_language_labels() {
        assert_eq!(split_other_names("Pashto: A B / C D"), ["A B", "C D"]);
        assert_eq!(split_other_names("Persian: X\u{200e}\u{200e};"), ["X"]);
        assert_eq!(split_other_names(""), Vec::<&str>::new());
    }
}
