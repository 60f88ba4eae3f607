//! A party name's country, from what the item writes around it: after the name ("Workers'
//! Party (PT) of Brazil", "the SPLM, the ruling party of South Sudan"), before it ("Japanese",
//! "Kenya's"), inside it ("Communist Party of Vietnam"), else the country of the item nearest
//! the name among those the name may belong to (those another name claims last), else the
//! dateline's, else the only country the name belongs to. And the names that are no party
//! here: a party's wing, a common word that begins another body's name.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::doc::Doc;
use super::gazetteer::{Gazetteer, NameHit};
use super::places::{Iso3, PlaceHit, PlaceKind};

static AFTER_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*,)?\s+(?:the\s+)?(?:(?:ruling|governing|opposition|largest|main|major|leading|former|biggest)\s+)*(?:(?:political\s+)?part(?:y|ies)\s+|coalition\s+)?(?:of|in)\s+(?:the\s+)?$")
        .expect("a valid pattern")
});
static OF_COUNTRY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s+of\s+(?:the\s+)?$").expect("a valid pattern"));

/// Whether a name begins the name of another body: a party's wing ("the ANC Youth League",
/// "UMNO Youth", "the Women's League of ..."), or a one-word name that is a common political
/// word, followed by a capitalised word that is no party's ("the National Council of the
/// Justicialist Party"; "the Greens" and "the National Party" stay names).
pub(super) fn part_of_another_body(doc: &Doc, hit: &NameHit) -> bool {
    const WING: [&str; 7] = ["youth", "women's", "women’s", "women", "students'", "student", "veterans'"];
    const GENERIC: [&str; 24] = [
        "national",
        "democratic",
        "liberal",
        "labour",
        "labor",
        "socialist",
        "communist",
        "republican",
        "conservative",
        "green",
        "popular",
        "progressive",
        "social",
        "united",
        "independent",
        "people",
        "workers",
        "justice",
        "unity",
        "reform",
        "renewal",
        "solidarity",
        "freedom",
        "new",
    ];
    const BODY: [&str; 10] =
        ["party", "parties", "front", "movement", "union", "league", "congress", "alliance", "coalition", "bloc"];
    let next: String = doc.text[hit.end..]
        .trim_start_matches(' ')
        .chars()
        .take_while(|c| c.is_alphabetic() || matches!(c, '\'' | '’'))
        .collect();
    let lower = next.to_lowercase();
    if WING.contains(&lower.as_str()) {
        return true;
    }
    let name = &doc.folded.text[hit.folded.0..hit.folded.1];
    !name.contains(' ')
        && GENERIC.contains(&name)
        && next.starts_with(|c: char| c.is_uppercase())
        && !BODY.contains(&lower.as_str())
}

/// The span widened by the country the item attaches to the name: "Japan's", "Japanese"
/// before it, "of Mexico" after it.
pub(super) fn with_country(doc: &Doc, span: Range<usize>, hit: &NameHit, iso3: Iso3) -> Range<usize> {
    let mut span = span;
    if let Some(p) = place_before(doc, hit.start).filter(|p| p.iso3 == iso3) {
        span.start = p.start;
    }
    if let Some(p) = doc
        .places
        .iter()
        .find(|p| p.start >= span.end && p.start <= span.end + 12 && p.iso3 == iso3 && p.kind == PlaceKind::Country)
        && OF_COUNTRY.is_match(&doc.text[span.end..p.start])
    {
        span.end = p.end;
    }
    span
}

/// A country or demonym right before `at` ("Kenya's ", "Japanese ").
pub(super) fn place_before<'d>(doc: &'d Doc, at: usize) -> Option<&'d PlaceHit> {
    doc.places.iter().rev().find(|p| p.end <= at && p.end + 4 >= at).filter(|p| {
        let between = doc.text[p.end..at].trim();
        matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym)
            && (between.is_empty() || between == "'s" || between == "’s")
    })
}

/// What the item says of a party name's country.
#[derive(Debug, Clone, Copy)]
pub(super) enum Country {
    Found(Iso3, &'static str),
    /// The item puts the name in a country it is no party of ("Vietnam Women's Union", "the
    /// Government of National Unity of Sudan"): not that party.
    Contradicted,
    Unknown,
}

/// The party's country and how it was found.
pub(super) fn party_country(doc: &Doc, gazetteer: &Gazetteer, hit: &NameHit, after: usize) -> Country {
    let parties = gazetteer.parties(hit);
    let candidate = |c: Iso3| parties.iter().any(|p| p.iso3 == c);
    let after_name = doc
        .places
        .iter()
        .filter(|p| {
            p.start >= after && p.start <= after + 60 && matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym)
        })
        .find(|p| AFTER_NAME.is_match(&doc.text[after..p.start]))
        .map(|p| (p.iso3, "after_name"));
    let before_name = place_before(doc, hit.start).map(|p| (p.iso3, "before_name"));
    let in_name = doc
        .places
        .iter()
        .filter(|p| {
            p.start >= hit.start && p.end <= hit.end && matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym)
        })
        .map(|p| (p.iso3, "in_name"));
    let cues: Vec<(Iso3, &'static str)> =
        after_name.into_iter().chain(before_name).chain(in_name).filter(|(c, _)| !c.is_chinese()).collect();
    if let Some(&(c, rule)) = cues.iter().find(|(c, _)| candidate(*c)) {
        return Country::Found(c, rule);
    }
    if cues.iter().any(|(_, rule)| *rule != "in_name") {
        return Country::Contradicted;
    }
    // The item's countries, nearest first, those another name claims ("the PAP of Singapore")
    // after the others; then the dateline's city.
    let nearest = doc
        .places
        .iter()
        .filter(|p| !p.iso3.is_chinese() && candidate(p.iso3))
        .min_by_key(|p| (claimed_by_another_name(doc, p, hit), p.start.abs_diff(hit.start)))
        .map(|p| Country::Found(p.iso3, "in_item"));
    if let Some(found) = nearest {
        return found;
    }
    if let Some(c) = dateline_country(doc).filter(|c| candidate(*c)) {
        return Country::Found(c, "dateline");
    }
    let mut countries: Vec<Iso3> = parties.iter().map(|p| p.iso3).collect();
    countries.sort();
    countries.dedup();
    let long_name = hit.folded.1 - hit.folded.0 >= 4;
    match countries.as_slice() {
        [only] if long_name => Country::Found(*only, "only_country_of_the_name"),
        _ => Country::Unknown,
    }
}

/// Whether a place is written as another name's ("... Party (PAP) of Singapore", "the
/// Workers' Party of Korea"), outside `hit`'s own name.
fn claimed_by_another_name(doc: &Doc, place: &PlaceHit, hit: &NameHit) -> bool {
    static OF_AFTER_NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:\)|\p{Lu}[\w'’-]*)\s+of\s+(?:the\s+)?$").expect("a valid pattern"));
    let own = place.start >= hit.start && place.start <= hit.end + 60;
    let mut from = place.start.saturating_sub(80);
    while !doc.text.is_char_boundary(from) {
        from -= 1;
    }
    !own && OF_AFTER_NAME.is_match(&doc.text[from..place.start])
}

/// The foreign country of the dateline's city, unless an agency wrote it.
pub(super) fn dateline_country(doc: &Doc) -> Option<Iso3> {
    doc.dateline.as_ref().filter(|d| d.agency.is_none())?;
    doc.dateline_place.map(|p| p.iso3).filter(|c| !c.is_chinese())
}
