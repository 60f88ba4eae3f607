//! The lazy ranking held to scoring every pair.

use proptest::prelude::*;

use super::*;
use crate::resolve::score::compare;
use crate::resolve::{CandidateName, NameKind, ResolverConfig};
use crate::shared::normalize::fold;

/// Every pair scored, the best per party kept (first name and form on ties), sorted.
fn exhaustive(registry: &Registry, forms: &[String], acronym: Option<&str>) -> Vec<Candidate> {
    let prepared: Vec<Form> = forms.iter().map(|f| Form::new(f)).collect();
    let mut best: std::collections::BTreeMap<i64, Candidate> = Default::default();
    let index = &registry.countries["DEU"];
    for (pos, &i) in index.full.iter().enumerate() {
        let id = registry.names[i].partyfacts_id;
        for form in &prepared {
            let mut comparison = compare(form, &index.prepared[pos]);
            comparison.acronym = registry.acronym_agreement(id, acronym);
            let score = comparison.score(&registry.config.weights);
            if best.get(&id).is_none_or(|c| score > c.score) {
                let name = registry.names[i].name.clone();
                best.insert(id, Candidate { partyfacts_id: id, name, comparison, score });
            }
        }
    }
    let mut ranked: Vec<Candidate> = best.into_values().collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.partyfacts_id.cmp(&b.partyfacts_id)));
    ranked
}

const WORDS: [&str; 12] = [
    "social",
    "democratic",
    "party",
    "union",
    "christian",
    "free",
    "people",
    "labour",
    "national",
    "liberal",
    "socail",
    "front",
];

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&WORDS[..]), 1..5).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The lazy ranking equals scoring every pair, at any depth and with any filter.
    #[test]
    fn lazy_ranking_equals_exhaustive_scoring(
        names in prop::collection::vec((1i64..12, words(), any::<bool>()), 1..30),
        forms in prop::collection::vec(words(), 1..3),
        acronym in prop::option::of(prop::sample::select(vec!["sdp", "cdu", "fp"])),
        n in 1usize..8,
        odd_only in any::<bool>(),
    ) {
        let registry = test_registry(&names);
        let forms: Vec<String> = forms.iter().map(|f| fold(f)).collect();
        let keep = |id: i64| !odd_only || id % 2 == 1;
        let expected: Vec<Candidate> =
            exhaustive(&registry, &forms, acronym).into_iter().filter(|c| keep(c.partyfacts_id)).take(n).collect();
        let mut ranking = Ranking::new(&registry, "DEU", &forms, acronym);
        prop_assert_eq!(ranking.top(&registry, n, 0, keep).collect::<Vec<_>>(), expected.clone());
        // Asking again, or for fewer, gives the same prefix; skipping, the rest of it.
        prop_assert_eq!(ranking.top(&registry, n, 0, keep).collect::<Vec<_>>(), expected.clone());
        let rest: Vec<Candidate> = ranking.top(&registry, n, 1, keep).collect();
        prop_assert_eq!(rest, expected.iter().skip(1).cloned().collect::<Vec<_>>());
    }

    /// What a ranking knows of the n-th party's score, at any depth, holds: its exact score
    /// once placed, else a bound at least that score; none only when there are fewer parties.
    #[test]
    fn nth_score_is_exact_or_a_bound(
        names in prop::collection::vec((1i64..12, words(), any::<bool>()), 1..30),
        forms in prop::collection::vec(words(), 1..3),
        acronym in prop::option::of(prop::sample::select(vec!["sdp", "cdu", "fp"])),
        n in 1usize..5,
        placed in 0usize..5,
        odd_only in any::<bool>(),
    ) {
        let registry = test_registry(&names);
        let forms: Vec<String> = forms.iter().map(|f| fold(f)).collect();
        let keep = |id: i64| !odd_only || id % 2 == 1;
        let all: Vec<Candidate> =
            exhaustive(&registry, &forms, acronym).into_iter().filter(|c| keep(c.partyfacts_id)).collect();
        let mut ranking = Ranking::new(&registry, "DEU", &forms, acronym);
        let _ = ranking.top(&registry, placed, 0, keep).count();
        loop {
            match (ranking.nth_score(n, keep), all.get(n - 1)) {
                (None, party) => {
                    prop_assert!(party.is_none(), "none, but party {:?} is there", party);
                    break;
                }
                (Some(Known::Exact(score)), Some(party)) => {
                    prop_assert_eq!(score, party.score);
                    break;
                }
                (Some(Known::AtMost(bound)), party) => {
                    prop_assert!(party.is_none_or(|p| p.score <= bound), "{:?} above the bound {}", party, bound);
                }
                (known, None) => prop_assert!(false, "{:?} of a party that is not there", known),
            }
            ranking.step(&registry);
        }
    }
}

fn test_registry(names: &[(i64, String, bool)]) -> Registry {
    let names: Vec<CandidateName> = names
        .iter()
        .map(|(id, name, short)| CandidateName {
            iso3: "DEU".into(),
            partyfacts_id: *id,
            name: if *short { name.split(' ').map(|w| &w[..1]).collect() } else { name.clone() },
            kind: if *short { NameKind::Short } else { NameKind::Full },
            origin: "partyfacts".into(),
            year_first: None,
            year_last: None,
        })
        .collect();
    Registry::new(names, Vec::new(), ResolverConfig::default())
}
