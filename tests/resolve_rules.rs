//! The resolver's decision rules, each on a small registry written for it: the methods in the
//! README's order, the DPI tiebreaks, the DPI check, overrides, blocking on years, and what goes
//! to review.

mod common;

use partylink::load::countries::Countries;
use partylink::load::reference::Override;
use partylink::resolve::{CandidateName, Decision, NameKind, Outcome, Registry, ResolverConfig};

/// A name of party `id` in Germany, from Party Facts, without years.
fn name(id: i64, name: &str, kind: NameKind) -> CandidateName {
    common::candidate_name("DEU", id, name, kind)
}

/// An abbreviation DPI gives party `id` in Germany in `years`: DPI names the party then.
fn dpi(id: i64, abbreviation: &str, years: (i32, i32)) -> CandidateName {
    CandidateName {
        origin: "dpi".into(),
        year_first: Some(years.0),
        year_last: Some(years.1),
        ..name(id, abbreviation, NameKind::Short)
    }
}

fn germany() -> Vec<CandidateName> {
    vec![
        name(1, "Social Democratic Party of Germany", NameKind::Full),
        name(1, "SPD", NameKind::Short),
        name(2, "Christian Democratic Union", NameKind::Full),
        name(2, "CDU", NameKind::Short),
        name(3, "Free Democratic Party", NameKind::Full),
        name(3, "FDP", NameKind::Short),
        name(4, "Christian Social Union", NameKind::Full),
        name(4, "CSU", NameKind::Short),
        name(5, "Acci\u{fffd}n Popular", NameKind::Full),
    ]
}

fn registry(names: Vec<CandidateName>, overrides: Vec<Override>) -> Registry {
    Registry::new(names, overrides, ResolverConfig::default())
}

/// Germany and two more parties, `a` and `b`, of which DPI names `b` from 2000 to 2012.
fn with_two_more(a: (i64, &str), b: (i64, &str)) -> Registry {
    let mut names = germany();
    names.extend([name(a.0, a.1, NameKind::Full), name(b.0, b.1, NameKind::Full), dpi(b.0, "XYZ", (2000, 2012))]);
    registry(names, Vec::new())
}

fn decide(r: &Registry, year: i32, partner: &str) -> Decision {
    r.resolve(&Countries::embedded().unwrap(), "DEU", year, partner)
}

/// The parties matched and the method (or, without a match, the outcome).
fn got(r: &Registry, year: i32, partner: &str) -> (Vec<i64>, String) {
    let x = decide(r, year, partner);
    let how = x.matches.first().map_or(x.outcome.to_string(), |m| m.method.to_string());
    (x.matches.iter().map(|m| m.partyfacts_id).collect(), how)
}

fn is(ids: &[i64], how: &str) -> (Vec<i64>, String) {
    (ids.to_vec(), how.to_string())
}

#[test]
fn methods_in_order() {
    let r = registry(germany(), Vec::new());
    assert_eq!(got(&r, 2010, "Social Democratic Party of Germany (SPD)"), is(&[1], "exact_name"));
    assert_eq!(got(&r, 2010, "the Social Democratic Party of Germany"), is(&[1], "exact_name"));
    assert_eq!(got(&r, 2010, "Germany's Free Democratic Party"), is(&[3], "exact_name"));
    assert_eq!(got(&r, 2010, "CDU"), is(&[2], "abbreviation"));
    assert_eq!(got(&r, 2010, "Christian Democrats (CDU)"), is(&[2], "bracket_abbreviation"));
    assert_eq!(got(&r, 2010, "Free Democratic"), is(&[3], "token_set"));
    assert_eq!(got(&r, 2010, "Social Democatic Party of Germany"), is(&[1], "fuzzy"));
    assert_eq!(got(&r, 2010, "Acción Popular"), is(&[5], "exact_name"));
}

#[test]
fn conflicts_and_strangers_go_to_review() {
    let r = registry(germany(), Vec::new());
    assert_eq!(got(&r, 2010, "Social Democratic Party of Germany (CDU)"), is(&[], "review_party"));
    assert_eq!(got(&r, 2010, "Pirate Party"), is(&[], "review_party"));
    assert_eq!(got(&r, 2010, "Christian Union"), is(&[], "review_party"), "CDU and CSU are equally close");
}

#[test]
fn several_parties_split_into_one_match_each() {
    let r = registry(germany(), Vec::new());
    assert_eq!(got(&r, 2010, "CDU and CSU"), is(&[2, 4], "abbreviation"));
    assert_eq!(got(&r, 2010, "the SPD/FDP delegation"), is(&[1, 3], "abbreviation"));
    assert_eq!(got(&r, 2010, "CDU and Pirates").1, "review_party");
}

#[test]
fn overrides_win() {
    let o = |name: &str, id: Option<i64>| Override {
        iso3: "DEU".into(),
        name: name.into(),
        year_first: Some(2009),
        year_last: None,
        partyfacts_id: id,
        decided_by: "tester".into(),
        reason: "test".into(),
    };
    let r = registry(germany(), vec![o("Pirate Party", Some(3)), o("Social Democratic Party of Germany (SPD)", None)]);
    assert_eq!(got(&r, 2010, "Pirate Party"), is(&[3], "override"));
    assert_eq!(got(&r, 2010, "Social Democratic Party of Germany (SPD)"), is(&[], "not_a_party"));
    assert_eq!(got(&r, 2008, "Pirate Party"), is(&[], "review_party"), "an override holds in its years only");
    assert_eq!(got(&r, 2010, "Pirate Party and CDU"), is(&[3, 2], "override"), "a part can be overridden too");
}

#[test]
fn an_alias_matches_by_alias() {
    let mut names = germany();
    names.push(CandidateName { origin: "alias".into(), ..name(2, "German Christian Democrats", NameKind::Full) });
    let r = registry(names, Vec::new());
    assert_eq!(got(&r, 2010, "German Christian Democrats"), is(&[2], "alias"));
}

#[test]
fn dpi_breaks_a_tie_between_parties_of_one_name() {
    let r = with_two_more((7, "Centre Party"), (8, "Centre Party"));
    assert_eq!(got(&r, 2010, "Centre Party"), is(&[8], "dpi_tiebreak"));
    let x = decide(&r, 2010, "Centre Party");
    assert_eq!(x.matches[0].score, 0.95);
    assert!(x.reason.contains("names 2 parties (7, 8); DPI names only this one in DEU 2010"), "{}", x.reason);
    // Where DPI names neither, the name goes to review.
    let x = decide(&r, 2016, "Centre Party");
    assert_eq!((x.outcome, x.reason.as_str()), (Outcome::ReviewParty, "the name fits 2 parties (7, 8)"));
}

#[test]
fn dpi_breaks_a_tie_between_parties_of_the_same_words() {
    let r = with_two_more((9, "Workers Union"), (10, "Union of Workers"));
    assert_eq!(got(&r, 2010, "Union Workers"), is(&[10], "dpi_tiebreak"));
    assert!(decide(&r, 2010, "Union Workers").reason.starts_with("the same significant words as 2 parties' names"));
    // Where DPI names neither, the words in their order decide, by score.
    assert_eq!(got(&r, 2016, "Union Workers"), is(&[9], "fuzzy"));
}

#[test]
fn dpi_breaks_a_tie_between_close_scores() {
    let r = with_two_more((11, "National Liberal Party"), (12, "National Liberals Party"));
    let x = decide(&r, 2010, "Nationl Liberal Party");
    assert_eq!(
        x.matches.iter().map(|m| (m.partyfacts_id, m.method.as_str())).collect::<Vec<_>>(),
        [(12, "dpi_tiebreak")]
    );
    assert!(x.reason.contains("parties score within the margin 0.05 of the best"), "{}", x.reason);
    assert_eq!(got(&r, 2016, "Nationl Liberal Party").1, "review_party");
}

#[test]
fn the_dpi_check_sends_a_match_dpi_does_not_name_to_review() {
    // Party 13 is a predecessor DPI never names; party 14, of a nearly equal name, DPI names.
    let names = |origin: &str| {
        let mut names = germany();
        names.push(CandidateName { origin: origin.into(), ..name(13, "Democratic Movement", NameKind::Full) });
        names.extend([name(14, "Democratic Movement Party", NameKind::Full), dpi(14, "PMDB", (2000, 2015))]);
        names
    };
    let r = registry(names("partyfacts"), Vec::new());
    let x = decide(&r, 2010, "Democratic Movement");
    assert_eq!(x.outcome, Outcome::ReviewParty);
    assert!(
        x.reason.starts_with("matched party 13 by exact_name, but DPI does not name it in 2010, and it names party 14"),
        "{}",
        x.reason
    );
    // Outside the years DPI names the rival, the match stands.
    assert_eq!(got(&r, 2017, "Democratic Movement"), is(&[13], "exact_name"));
    // A curated alias is a reviewed name: the check does not apply.
    assert_eq!(got(&registry(names("alias"), Vec::new()), 2010, "Democratic Movement"), is(&[13], "alias"));
}

#[test]
fn a_bracketed_abbreviation_loses_to_a_closer_name() {
    let r = registry(germany(), Vec::new());
    let x = decide(&r, 2010, "Social Democratic Party Germany (CDU)");
    assert_eq!(x.outcome, Outcome::ReviewParty);
    assert!(x.reason.starts_with("the abbreviation in brackets belongs to party 2 but the name is closer to party 1"));
}

#[test]
fn candidates_are_blocked_by_country_and_years() {
    let mut names = germany();
    names.push(CandidateName {
        year_first: Some(1950),
        year_last: Some(1990),
        ..name(20, "Old Party", NameKind::Full)
    });
    let r = registry(names, Vec::new());
    assert_eq!(got(&r, 1991, "Old Party"), is(&[20], "exact_name"), "a year's slack");
    let x = decide(&r, 2010, "Old Party");
    assert_eq!(x.outcome, Outcome::ReviewParty);
    assert!(x.candidates.iter().all(|c| c.partyfacts_id != 20), "{:?}", x.candidates);
    let x = r.resolve(&Countries::embedded().unwrap(), "FRA", 2010, "Old Party");
    assert_eq!((x.outcome, x.reason.as_str()), (Outcome::ReviewParty, "Party Facts has no parties for FRA"));
}

#[test]
fn review_lists_the_best_candidates_with_their_scores() {
    let r = registry(germany(), Vec::new());
    let x = decide(&r, 2010, "Christian Union");
    assert_eq!(x.candidates.iter().take(2).map(|c| c.partyfacts_id).collect::<Vec<_>>(), [4, 2]);
    assert!(x.candidates.windows(2).all(|w| w[0].score >= w[1].score));
    // A match DPI names needs no scores for the DPI check: decided by its name, it lists none.
    let mut names = germany();
    names.push(dpi(2, "CDU", (2000, 2012)));
    assert!(decide(&registry(names, Vec::new()), 2010, "CDU").candidates.is_empty());
}

#[test]
fn review_lists_the_candidates_the_tables_show_and_explain_all_kept() {
    // Germany's five parties and a sixth: a name none of them fits goes to review.
    let mut names = germany();
    names.push(name(6, "Alternative for Germany", NameKind::Full));
    let r = registry(names, Vec::new());
    let mut x = decide(&r, 2010, "Green Party of Germany");
    assert_eq!(x.outcome, Outcome::ReviewParty);
    assert_eq!(x.candidates.len(), partylink::resolve::LISTED, "{:?}", x.candidates);
    let listed: Vec<i64> = x.candidates.iter().map(|c| c.partyfacts_id).collect();
    r.complete_candidates("DEU", 2010, &mut x);
    assert_eq!(x.candidates.len(), ResolverConfig::default().candidates, "{:?}", x.candidates);
    // The candidates listed are the best of those kept, in the same order and with the same
    // scores.
    let kept: Vec<i64> = x.candidates.iter().map(|c| c.partyfacts_id).take(listed.len()).collect();
    assert_eq!(kept, listed);
    assert!(x.candidates.windows(2).all(|w| w[0].score >= w[1].score), "{:?}", x.candidates);
}
