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

/// Contacts are resolved in blocks whose fuzzy matches may rest on a bound of the next party's
/// score (`Block::with_bounded_lead`): the decisions must be those of the exact ranking that
/// `explain` and the DPI links use, name for name. Damaged spellings of the registry's own
/// names, and names of other countries, make fuzzy matches, ties and review.
#[test]
fn a_bounded_lead_decides_as_the_exact_ranking() {
    use partylink::resolve::noise::{NOISE, Rng, TEXT_NOISE, apply_noise};
    let (registry, countries) = real_registry();
    let kinds: Vec<&str> = NOISE.iter().chain(&TEXT_NOISE).copied().collect();
    let mut rng = Rng::new(7);
    let names: Vec<(String, String)> =
        registry.names().step_by(23).map(|(n, _)| (n.iso3.clone(), n.name.clone())).collect();
    let (mut fuzzy_bounded, mut review, mut compared) = (0, 0, 0);
    for (i, (iso3, name)) in names.iter().enumerate() {
        // Every other name in its own country, the rest in the next name's.
        let iso3 = if i % 2 == 0 { iso3 } else { &names[(i + 1) % names.len()].0 };
        let country = countries.name_of(iso3).unwrap_or(iso3).to_string();
        let written = apply_noise(kinds[rng.below(kinds.len())], name, &country, None, &mut rng);
        let year = 2002 + rng.below(16) as i32;
        let exact = registry.resolve(&countries, iso3, year, &written);
        let block = registry.block(&countries, iso3, &written).with_bounded_lead();
        let bounded = registry.resolve_in_block(&countries, iso3, year, &written, &block);
        compared += 1;
        let context = format!("{written:?} in {iso3} {year}: exact {exact:?}, bounded {bounded:?}");
        assert_eq!((exact.outcome, &exact.matches), (bounded.outcome, &bounded.matches), "{context}");
        if exact.outcome != Outcome::Matched {
            review += usize::from(exact.outcome == Outcome::ReviewParty);
            assert_eq!((&exact.reason, &exact.candidates), (&bounded.reason, &bounded.candidates), "{context}");
        } else if exact.reason != bounded.reason {
            // Only a fuzzy match's lead may differ: the exact lead, or the lead the bound proved.
            let (score, lead) = exact.reason.split_once(" and leads the next party by ").expect(&context);
            let (_, proved) = bounded.reason.split_once(" and leads every other party by at least ").expect(&context);
            assert!(bounded.reason.starts_with(score), "{context}");
            let number = |text: &str| text.split_whitespace().next().unwrap().parse::<f64>().unwrap();
            assert!(number(proved) <= number(lead), "{context}");
            fuzzy_bounded += 1;
        }
    }
    assert!(
        compared > 1000 && fuzzy_bounded > 50 && review > 50,
        "{compared} names, {fuzzy_bounded} fuzzy matches on a bound, {review} to review"
    );
}
