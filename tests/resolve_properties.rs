//! Properties of normalisation and resolution on arbitrary text: no panic, stable keys, and no
//! match without a method and score.

use partylink::load::countries::Countries;
use partylink::resolve::split::split_partners;
use partylink::resolve::{NameKind, Outcome, Registry, ResolverConfig};
use partylink::shared::normalize::fold;
use proptest::prelude::*;

mod common;

fn registry() -> Registry {
    let name = |id: i64, name: &str, kind| common::candidate_name("FRA", id, name, kind);
    Registry::new(
        vec![
            name(1, "Parti socialiste", NameKind::Full),
            name(1, "PS", NameKind::Short),
            name(2, "Parti communiste français", NameKind::Full),
            name(2, "PCF", NameKind::Short),
            name(3, "Les Républicains", NameKind::Full),
        ],
        Vec::new(),
        ResolverConfig::default(),
    )
}

proptest! {
    #[test]
    fn fold_is_idempotent(s in "\\PC{0,40}") {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once.clone());
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
    }

    #[test]
    fn splitting_never_panics_and_keeps_text(s in "[a-zA-Zéü()/&, ]{0,40}") {
        if let Some(parts) = split_partners(&s) {
            prop_assert!(parts.len() >= 2);
            prop_assert!(parts.iter().all(|p| !p.is_empty()));
        }
    }

    #[test]
    fn every_match_has_a_method_and_a_score(s in "\\PC{0,30}", year in 1990i32..2020) {
        let countries = Countries::embedded().unwrap();
        let r = registry().resolve(&countries, "FRA", year, &s);
        match r.outcome {
            Outcome::Matched => prop_assert!(r.matches.iter().all(|m| !m.method.as_str().is_empty() && (0.0..=1.0).contains(&m.score))),
            _ => prop_assert!(r.matches.is_empty() && !r.reason.is_empty()),
        }
    }
}

#[test]
fn accented_and_plain_spellings_resolve_alike() {
    let countries = Countries::embedded().unwrap();
    let r = registry();
    for written in ["Parti communiste français", "Parti Communiste Francais", "PARTI COMMUNISTE FRANÇAIS (PCF)", "PCF"]
    {
        let x = r.resolve(&countries, "FRA", 2010, written);
        assert_eq!(x.matches.iter().map(|m| m.partyfacts_id).collect::<Vec<_>>(), [2], "{written}");
    }
}

proptest! {
    /// Partners written differently whose queries rank alike share one ranking: each decides as
    /// it does with a ranking of its own, whichever was asked first, in any years.
    #[test]
    fn partners_sharing_a_ranking_decide_as_alone(
        first in prop::sample::select(SHARED_SPELLINGS.to_vec()),
        second in prop::sample::select(SHARED_SPELLINGS.to_vec()),
        years in (1990i32..2020, 1990i32..2020),
    ) {
        let countries = Countries::embedded().unwrap();
        let r = registry();
        let block = r.block(&countries, "FRA", first);
        let second_query = r.block(&countries, "FRA", second).query;
        prop_assume!(block.query.ranks_like(&second_query));
        let decided = r.resolve_in_block(&countries, "FRA", years.0, first, &block);
        prop_assert_eq!(&decided, &r.resolve(&countries, "FRA", years.0, first));
        let sharing = block.sharing_ranking(second_query);
        let decided = r.resolve_in_block(&countries, "FRA", years.1, second, &sharing);
        prop_assert_eq!(&decided, &r.resolve(&countries, "FRA", years.1, second));
    }
}

/// Spellings of a few names, noisy the ways that fold to the same forms.
const SHARED_SPELLINGS: [&str; 10] = [
    "Parti socialste",
    "the Parti socialste",
    "PARTI SOCIALSTE,",
    "Parti  socialste.",
    "Parti communiste francai",
    "Parti Communiste Francai (PCF)",
    "Parti communiste francai (PCF)",
    "Partie communiste",
    "Partie communiste!",
    "Les Republicain",
];
