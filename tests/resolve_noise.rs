//! Names damaged as hand-typed, OCR'd or extracted text damages them (the examples of the
//! issue on noisy names), resolved against the real Party Facts data: each must find the
//! party its clean spelling finds, not go to review.

mod common;

use partylink::load::Sources;
use partylink::load::countries::Countries;
use partylink::load::paths::SourcePaths;
use partylink::load::reference::Reference;
use partylink::pipeline;
use partylink::resolve::link_cache::LinkCache;
use partylink::resolve::{Outcome, Registry, ResolverConfig};

fn real_registry() -> (Registry, Countries) {
    let reference = Reference::load(None).unwrap();
    let paths = SourcePaths::locate(Some(&common::data_dir()), None, None, None, None, None, None).unwrap();
    let sources = Sources::read(&paths, &reference.countries).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_, registry) = runtime
        .block_on(pipeline::prepare(&sources, &reference, ResolverConfig::default(), &LinkCache::disabled()))
        .unwrap();
    (registry, reference.countries)
}

/// The party a partner is matched to, or what became of it.
fn resolved(r: &Registry, countries: &Countries, iso3: &str, year: i32, partner: &str) -> Result<i64, String> {
    let d = r.resolve(countries, iso3, year, partner);
    match (d.outcome, d.matches.as_slice()) {
        (Outcome::Matched, [m]) => Ok(m.partyfacts_id),
        _ => Err(format!("{}: {}", d.outcome, d.reason)),
    }
}

#[test]
fn damaged_names_find_the_party_of_their_clean_spelling() {
    let (registry, countries) = real_registry();
    let cases = [
        ("PHL", 2010, "Liberal Party", "the Liberal aPrty"),
        ("JPN", 2010, "Democratic Party of Japan", "the The Democratic Partyo f Japan"),
        ("URY", 2010, "Broad Front", "BroadFront"),
        ("GMB", 2010, "United Democratic Party", "UnitedDemocratic"),
        ("LKA", 2010, "National Heritage Party", "the National HeritageParty"),
        ("ECU", 2010, "January 21 Patriotic Society Party", "January 21 Patriotic Society Party of Ecuaor"),
        ("CYP", 2010, "Toplumcu Demokrasi Partisi", "Toplumcu Demokrasi Partisi,"),
        ("DEU", 2010, "Social Democratic Party of Germany", "Social Democratic Party of Germnay"),
        ("DEU", 2010, "Social Democratic Party of Germany", "Social Social Democratic Party of Germany"),
    ];
    let mut failures = Vec::new();
    for (iso3, year, clean, damaged) in cases {
        let truth = resolved(&registry, &countries, iso3, year, clean)
            .unwrap_or_else(|why| panic!("{clean:?} in {iso3} must resolve: {why}"));
        match resolved(&registry, &countries, iso3, year, damaged) {
            Ok(id) if id == truth => {}
            got => failures.push(format!("{damaged:?} in {iso3}: {got:?}, expected {truth}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn lost_spaces_keep_parties_apart() {
    let (registry, countries) = real_registry();
    // Spaces lost are not words merged with another party's: "Christian Democratic Union"
    // without spaces still is not the Christian Social Union.
    let cdu = resolved(&registry, &countries, "DEU", 2010, "Christian Democratic Union").unwrap();
    let csu = resolved(&registry, &countries, "DEU", 2010, "Christian Social Union").unwrap();
    assert_ne!(cdu, csu);
    assert_eq!(resolved(&registry, &countries, "DEU", 2010, "ChristianDemocratic Union"), Ok(cdu));
    assert_eq!(resolved(&registry, &countries, "DEU", 2010, "Christian SocialUnion"), Ok(csu));
}
