use super::*;
use crate::shared::normalize::fold;

fn score(a: &str, b: &str) -> f64 {
    compare_names(&fold(a), &fold(b)).score(&ScoreWeights::default())
}

#[test]
fn identical_names_score_one() {
    assert!((score("Communist Party of Vietnam", "Communist Party of Vietnam") - 1.0).abs() < 1e-9);
}

#[test]
fn a_typo_or_a_dropped_party_scores_high() {
    assert!(score("Communist Party of Veitnam", "Communist Party of Vietnam") > 0.93);
    assert!(score("Cambodian People's", "Cambodian People's Party") > 0.9);
    assert!(score("Liberal Democratic Party", "Liberal Democratic Party of Russia") > 0.8);
}

#[test]
fn word_order_does_not_matter() {
    assert!(score("Democratic Radical Party", "Radical Democratic Party") > 0.99);
}

#[test]
fn different_parties_score_low() {
    assert!(score("Social Democratic Party", "Christian Democratic Union") < 0.6);
    assert!(score("Communist Party of Vietnam", "Communist Party of Britain") < 0.9);
}

#[test]
fn a_disagreeing_abbreviation_costs_acceptance() {
    let mut c = compare_names(&fold("Australian Labor Party"), &fold("Australian Labor Party"));
    c.acronym = Some(0.0);
    assert!(c.score(&ScoreWeights::default()) < 0.9);
}

#[test]
fn bounds_are_never_below_the_scores() {
    let names = [
        "communist party of vietnam",
        "vietnam communist party",
        "communis tparty of vietnam",
        "partido revolucionario institucional",
        "a",
        "",
        "sozialdemokratische partei deutschlands",
        "cote divoire 12",
        "\u{fffd}ttt \u{fffd}",
        "ddd",
    ];
    for a in names {
        for b in names {
            let (p, q) = (Form::new(a), Prepared::new(b));
            let (jw, lev) = p.name.bounds(&q);
            let c = compare(&p, &q);
            assert!(c.jaro_winkler <= jw + 1e-12, "{a:?} {b:?} {} > {jw}", c.jaro_winkler);
            assert!(c.levenshtein <= lev + 1e-12, "{a:?} {b:?} {} > {lev}", c.levenshtein);
        }
    }
    let (jw, lev) = Prepared::new("abc").bounds(&Prepared::new("xyz"));
    assert_eq!((jw, lev), (0.0, 0.0), "no shared character");
    // Letters counted past 255 on one side or both.
    let long = ["a".repeat(300), "a".repeat(260) + " b", "a".repeat(40), "ab".repeat(140)];
    for a in &long {
        for b in &long {
            let (p, q) = (Form::new(a), Prepared::new(b));
            let (jw, lev) = p.name.bounds(&q);
            let c = compare(&p, &q);
            assert!(c.jaro_winkler <= jw + 1e-12 && c.levenshtein <= lev + 1e-12, "{} {}", a.len(), b.len());
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

    /// The bounds hold for any two names, accents, digits and wildcards included.
    #[test]
    fn bounds_hold(a in "[abcé1 \u{fffd}]{0,14}", b in "[abcé1 \u{fffd}]{0,14}") {
        let (p, q) = (Form::new(&fold(&a)), Prepared::new(&fold(&b)));
        let (jw, lev) = p.name.bounds(&q);
        let c = compare(&p, &q);
        proptest::prop_assert!(c.jaro_winkler <= jw + 1e-12 && c.levenshtein <= lev + 1e-12);
    }

    /// A class's bounds hold over the pair's bounds of each of its names, for a range of
    /// lengths that holds theirs, from the lengths alone or from the class's envelope
    /// too; long names with saturated counts included.
    #[test]
    fn class_bounds_hold(
        a in "[abcé1 \u{fffd}]{0,14}",
        class in proptest::collection::vec("[abcé1 \u{fffd}]{0,14}", 1..4),
        repeat in 1usize..40,
        below in 0u32..4,
        above in 0u32..4,
    ) {
        let a = fold(&a).repeat(repeat);
        let class: Vec<String> = class.iter().map(|b| fold(b)).collect();
        let mut envelope = Envelope::empty();
        for b in &class {
            envelope.add(&Prepared::new(b));
        }
        let mut saturated = Envelope::empty();
        saturated.add(&Prepared::new(&a));
        let p = Prepared::new(&a);
        for b in &class {
            let q = Prepared::new(b);
            let (jw, lev) = p.bounds(&q);
            let ranges = q.lengths().map(|l| (l.saturating_sub(below), l + above));
            for envelope in [&envelope, &Envelope::any()] {
                let (class_jw, class_lev) = p.class_bounds(envelope, ranges);
                proptest::prop_assert!(jw <= class_jw + 1e-12 && lev <= class_lev + 1e-12);
            }
            // The long name in a class of its own, against each short one.
            let (jw, lev) = q.bounds(&p);
            let ranges = p.lengths().map(|l| (l.saturating_sub(below), l + above));
            let (class_jw, class_lev) = q.class_bounds(&saturated, ranges);
            proptest::prop_assert!(jw <= class_jw + 1e-12 && lev <= class_lev + 1e-12);
        }
    }
}

#[test]
fn initials_skip_small_words() {
    assert_eq!(initials(&fold("African National Congress")), "anc");
    assert_eq!(initials(&fold("Communist Party of Vietnam")), "cpv");
}
