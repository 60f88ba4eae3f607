//! Who met the CPC side in a meeting item: the parties named in the sentences that report a
//! meeting, and the partners that are no party (heads of state, ministers, parliaments,
//! foundations), each with its country, the meeting's date and its venue.
//!
//! A sentence reports a meeting when it has a meeting cue not put in the future ("met", "held
//! talks", "was received by", "among the guests were"; not "will meet"). In it:
//!
//! - **parties**: the gazetteer's names, except those after a passing cue ("relations with",
//!   "exchanges with") and those in the clause of a delegation's leader ("led by ..., Member of
//!   the CPV Central Committee") once the delegation's own body is named;
//! - **the party's country**: a country after the name ("Workers' Party (PT) of Brazil", "the
//!   SPLM, the ruling party of South Sudan"), before it ("Japanese", "Kenya's"), inside it
//!   ("Communist Party of Vietnam"), else the country of the item nearest the name among those
//!   the name may belong to, else the only country the name belongs to;
//! - **unnamed parties**: "the ruling party of Guinea-Bissau", "political parties from Ghana,
//!   Kenya and Zambia", one per country that no named party covers;
//! - **offices**: a head of state or government, a minister, a speaker, an ambassador ... whose
//!   office is no party's ("Vice President of the PSUV" is the PSUV) and no Chinese body's;
//! - **organisations**: "a delegation of the Friedrich Ebert Foundation", "scholars of the
//!   Observer Research Foundation", "called at the Konrad Adenauer Foundation"; a group
//!   ("a delegation of German business leaders", "young political leaders from Australia").
//!
//! A sentence that reports a meeting but names nobody ("Today the delegation held talks with
//! the Commission's Chairman") takes the parties the item introduced before ("at the invitation
//! of the Commission ... of the Communist Party of Vietnam").

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::cues::Cue;
use super::dates::{self, DateContext, MeetingDate};
use super::doc::Doc;
use super::gazetteer::{Gazetteer, NameHit};
use super::places::{Iso3, PlaceHit, PlaceKind};
use super::venue::{self, Venue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PartnerKind {
    Party,
    NonParty,
}

impl PartnerKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            PartnerKind::Party => "party",
            PartnerKind::NonParty => "non_party",
        }
    }
}

/// A partner found in an item, with its evidence.
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: PartnerKind,
    pub iso3: Option<Iso3>,
    /// As the item writes it (a party's name with what the item attaches to it; a non-party
    /// partner's office or organisation).
    pub partner: String,
    /// Original bytes of the partner's mention, and of its sentence.
    pub span: Range<usize>,
    pub sentence: Range<usize>,
    /// How the partner was found, then how its country was.
    pub rule: String,
    /// Party Facts ids the gazetteer's name stands for in the partner's country.
    pub candidates: Vec<i64>,
    /// Shorter writings of a party's name to give the resolver when the whole does not
    /// resolve: the name with its abbreviation, the name alone.
    pub shorter: Vec<String>,
    /// A party named only by its country ("the ruling party").
    pub unnamed: bool,
    pub date: Result<MeetingDate, &'static str>,
    pub venue: (Venue, &'static str),
}

static OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:(?:Deputy|Vice|Acting|First|Former)[- ])?(?:President|Prime Minister|Premier|Speaker|Foreign Minister|Minister|Ambassador|Chairman|Chairwoman|Chairperson|Governor|Mayor|King|Queen|Crown Prince|Emir|Sultan|Chief Minister|Head of State|Consul[- ]General|Secretary of State|Senator|Chancellor)\b",
    )
    .expect("a valid office pattern")
});
/// What follows an office or an organisation's first word: "of Foreign Affairs and Regional
/// Integration of Ghana", "of the Senate of Pakistan".
static NAME_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s+(?:of|for)\s+(?:the\s+)?[\p{Lu}\d][\w'’.-]*(?:\s+(?:(?:of|and|for|the|on|&)\s+)*[\p{Lu}\d][\w'’.-]*)*)+")
        .expect("a valid pattern")
});
static ORGANISATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:(?:delegations?|scholars|leaders|representatives|members|officials|experts|researchers)\s+(?:of|from)|called\s+(?:at|on))\s+(?:the\s+)?([\p{Lu}][\w'’.-]*(?:\s+(?:(?:of|and|for|the|on|&)\s+)*[\p{Lu}][\w'’.-]*)*(?:\s+\([\p{Lu}][\w-]*\))?)",
    )
    .expect("a valid organisation pattern")
});
static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:delegations?|leaders|representatives|officials|members)\s+of\s+((?:[a-z][a-z-]*\s+){0,4}?(?:[a-z][a-z-]*))\s+from\s+")
        .expect("a valid group pattern")
});
static DEMONYM_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bdelegations?\s+of\s+(?:the\s+)?([\p{Lu}][\p{L}-]+(?:\s+[\p{Lu}][\p{L}-]+)?)\s+((?:[a-z][a-z-]*\s+){0,3}[a-z][a-z-]*)")
        .expect("a valid group pattern")
});
static RULING_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bruling\s+part(?:y|ies)\s+(?:of|in)\s+(?:the\s+)?$").expect("a valid pattern")
});
static AFTER_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s*,)?\s+(?:the\s+)?(?:(?:ruling|governing|opposition|largest|main|major|leading|former|biggest)\s+)*(?:(?:political\s+)?part(?:y|ies)\s+|coalition\s+)?(?:of|in)\s+(?:the\s+)?$")
        .expect("a valid pattern")
});
static OF_COUNTRY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s+of\s+(?:the\s+)?$").expect("a valid pattern"));

const ORGANISATION_WORDS: [&str; 38] = [
    "Foundation", "Institute", "Institution", "Association", "Council", "Union", "Unions", "Federation", "Committee",
    "Chamber", "Assembly", "Parliament", "Senate", "Academy", "League", "Society", "Centre", "Center", "Forum",
    "Organization", "Organisation", "Hural", "Duma", "Diet", "Commission", "Agency", "Bank", "Corporation", "Company",
    "University", "School", "Club", "Trust", "Network", "Confederation", "Bureau", "Ministry", "Government",
];

/// The partners of a meeting item, in the order the item names them.
pub fn find(doc: &Doc, gazetteer: &Gazetteer) -> Vec<Found> {
    let body = doc.dateline.as_ref().map_or(0, |d| d.len);
    // A name inside a country's name ("PDR" in "Lao PDR", "South African" as a name) or one the
    // item places in a country it is no party of is no party here; nor is a one-word name
    // ("National", "PT") the item gives no country for.
    let mut hits: Vec<(NameHit, Option<Country>)> = Vec::new();
    for h in gazetteer.find(doc.text, &doc.folded).into_iter().filter(|h| h.start >= body) {
        if h.cpc {
            hits.push((h, None));
            continue;
        }
        let in_country = doc.places.iter().any(|p| {
            matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym) && p.start <= h.start && h.end <= p.end
        });
        if in_country {
            continue;
        }
        match party_country(doc, gazetteer, &h, written_span(doc, &h).1) {
            Country::Contradicted => continue,
            Country::Unknown if !doc.folded.text[h.folded.0..h.folded.1].contains(' ') => continue,
            country => hits.push((h, Some(country))),
        }
    }
    let names: Vec<NameHit> = hits.iter().map(|(h, _)| *h).collect();
    let mut context = DateContext { reference: dates::reference_day(doc.dateline.as_ref(), doc.item.date), ..DateContext::default() };
    let mut introduced: Vec<Found> = Vec::new();
    let mut out: Vec<Found> = Vec::new();
    for s in &doc.sentences {
        let sentence = &doc.text[s.clone()];
        if !doc.reports_meeting(s) {
            dates::note_explicit(sentence, &mut context);
            if sentence.contains("at the invitation of") {
                let at = s.start + sentence.find("at the invitation of").expect("found");
                let date = Err("not a meeting");
                introduced.extend(parties_in(doc, gazetteer, &hits, s, &[], date, (Venue::Unknown, "")).into_iter().filter(|f| f.span.start > at));
            }
            continue;
        }
        let date = dates::sentence_date(sentence, &mut context);
        let venue = venue::sentence_venue(doc, s);
        let mut here: Vec<Found> = organisations(doc, &names, s, date, venue);
        let parties = parties_in(doc, gazetteer, &hits, s, &here, date, venue);
        here.extend(parties);
        here.extend(unnamed_parties(doc, s, date, venue));
        here.extend(offices(doc, &names, s, &here, date, venue));
        if here.is_empty() {
            here = introduced
                .drain(..)
                .map(|f| Found { date, venue, sentence: s.clone(), rule: format!("{}; met in a later sentence", f.rule), ..f })
                .collect();
        }
        here.sort_by_key(|f| f.span.start);
        out.extend(here);
    }
    out
}

/// Original byte ranges of a sentence's leaders' clauses: from "led by" to the next ", a ",
/// ", an ", ", and a " or ";", the next meeting cue ("A delegation led by X, Minister of Y,
/// held talks with ..."), or the sentence's end.
fn leader_clauses(doc: &Doc, s: &Range<usize>) -> Vec<Range<usize>> {
    let cues: Vec<_> = doc.cues_in(s).copied().collect();
    cues.iter()
        .filter(|h| h.cue == Cue::LedBy)
        .map(|h| {
            let start = doc.folded.original(h.start..h.end).start;
            let rest = &doc.text[start..s.end];
            let by_words = [", a ", ", an ", ", and a ", "; "].iter().filter_map(|p| rest.find(p)).min().map(|e| start + e);
            let by_verb = cues
                .iter()
                .find(|c| c.start > h.end && matches!(c.cue, Cue::Meet | Cue::Received))
                .map(|c| doc.folded.original(c.start..c.end).start);
            start..by_words.into_iter().chain(by_verb).min().unwrap_or(s.end)
        })
        .collect()
}

/// Whether a passing cue ("relations with") comes before `at` in the sentence with no meeting
/// cue between them.
fn passing(doc: &Doc, s: &Range<usize>, folded_at: usize) -> bool {
    let mut passing = false;
    for h in doc.cues_in(s).filter(|h| h.end <= folded_at) {
        match h.cue {
            Cue::Passing => passing = true,
            Cue::Meet | Cue::Received => passing = false,
            _ => {}
        }
    }
    passing
}

#[allow(clippy::too_many_arguments)]
fn parties_in(
    doc: &Doc,
    gazetteer: &Gazetteer,
    hits: &[(NameHit, Option<Country>)],
    s: &Range<usize>,
    before: &[Found],
    date: Result<MeetingDate, &'static str>,
    venue: (Venue, &'static str),
) -> Vec<Found> {
    let leaders = leader_clauses(doc, s);
    let mut out: Vec<Found> = Vec::new();
    let mut consumed_until = 0;
    for (hit, country) in hits.iter().filter(|(h, _)| h.start >= s.start && h.end <= s.end) {
        let Some(country) = country else { continue };
        if hit.start < consumed_until || passing(doc, s, hit.folded.0) {
            continue;
        }
        let in_leader = leaders.iter().find(|c| c.contains(&hit.start));
        if let Some(clause) = in_leader {
            let named_before = before.iter().chain(out.iter()).any(|f| f.span.start < clause.start);
            if named_before {
                continue;
            }
        }
        let (span, bracket_end) = written_span(doc, hit);
        consumed_until = bracket_end;
        let (iso3, country_rule) = match *country {
            Country::Found(iso3, rule) => (iso3, rule),
            Country::Contradicted => continue,
            Country::Unknown => {
            out.push(Found {
                kind: PartnerKind::Party,
                iso3: None,
                partner: trim_the(&doc.text[span.clone()]),
                span,
                sentence: s.clone(),
                rule: "party_name; no country".into(),
                candidates: gazetteer.parties(hit).iter().map(|p| p.partyfacts_id).collect(),
                shorter: Vec::new(),
                unnamed: false,
                date,
                venue,
            });
            continue;
            }
        };
        let shorter: Vec<String> = [trim_the(&doc.text[span.clone()]), trim_the(&doc.text[hit.start..hit.end])]
            .into_iter()
            .collect();
        let span = with_country(doc, span, hit, iso3);
        consumed_until = consumed_until.max(span.end);
        let candidates = gazetteer.parties(hit).iter().filter(|p| p.iso3 == iso3).map(|p| p.partyfacts_id).collect();
        out.push(Found {
            kind: PartnerKind::Party,
            iso3: Some(iso3),
            partner: trim_the(&doc.text[span.clone()]),
            span,
            sentence: s.clone(),
            rule: format!("party_name; country {country_rule}"),
            candidates,
            shorter,
            unnamed: false,
            date,
            venue,
        });
    }
    out
}

/// A name with the abbreviation in brackets that follows it: its span, and where it ends.
fn written_span(doc: &Doc, hit: &NameHit) -> (Range<usize>, usize) {
    let rest = &doc.text[hit.end..];
    let trimmed = rest.trim_start_matches(' ');
    if let Some(inside) = trimmed.strip_prefix('(') {
        if let Some(close) = inside.find(')') {
            let abbreviation = &inside[..close];
            if !abbreviation.is_empty() && abbreviation.len() <= 20 && abbreviation.chars().any(char::is_uppercase) {
                let end = hit.end + (rest.len() - trimmed.len()) + 1 + close + 1;
                return (hit.start..end, end);
            }
        }
    }
    (hit.start..hit.end, hit.end)
}

/// The span widened by the country the item attaches to the name: "Japan's", "Japanese"
/// before it, "of Mexico" after it.
fn with_country(doc: &Doc, span: Range<usize>, hit: &NameHit, iso3: Iso3) -> Range<usize> {
    let mut span = span;
    if let Some(p) = place_before(doc, hit.start).filter(|p| p.iso3 == iso3) {
        span.start = p.start;
    }
    if let Some(p) = doc.places.iter().find(|p| p.start >= span.end && p.start <= span.end + 12 && p.iso3 == iso3 && p.kind == PlaceKind::Country) {
        if OF_COUNTRY.is_match(&doc.text[span.end..p.start]) {
            span.end = p.end;
        }
    }
    span
}

/// A country or demonym right before `at` ("Kenya's ", "Japanese ").
fn place_before<'d>(doc: &'d Doc, at: usize) -> Option<&'d PlaceHit> {
    doc.places.iter().rev().find(|p| p.end <= at && p.end + 4 >= at).filter(|p| {
        let between = doc.text[p.end..at].trim();
        matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym) && (between.is_empty() || between == "'s" || between == "’s")
    })
}

/// What the item says of a party name's country.
#[derive(Debug, Clone, Copy)]
enum Country {
    Found(Iso3, &'static str),
    /// The item puts the name in a country it is no party of ("Vietnam Women's Union", "the
    /// Government of National Unity of Sudan"): not that party.
    Contradicted,
    Unknown,
}

/// The party's country and how it was found.
fn party_country(doc: &Doc, gazetteer: &Gazetteer, hit: &NameHit, after: usize) -> Country {
    let parties = gazetteer.parties(hit);
    let candidate = |c: Iso3| parties.iter().any(|p| p.iso3 == c);
    let after_name = doc
        .places
        .iter()
        .filter(|p| p.start >= after && p.start <= after + 60 && matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym))
        .find(|p| AFTER_NAME.is_match(&doc.text[after..p.start]))
        .map(|p| (p.iso3, "after_name"));
    let before_name = place_before(doc, hit.start).map(|p| (p.iso3, "before_name"));
    let in_name = doc
        .places
        .iter()
        .filter(|p| p.start >= hit.start && p.end <= hit.end && matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym))
        .map(|p| (p.iso3, "in_name"));
    let cues: Vec<(Iso3, &'static str)> = after_name.into_iter().chain(before_name).chain(in_name).filter(|(c, _)| !c.is_chinese()).collect();
    if let Some(&(c, rule)) = cues.iter().find(|(c, _)| candidate(*c)) {
        return Country::Found(c, rule);
    }
    if cues.iter().any(|(_, rule)| *rule != "in_name") {
        return Country::Contradicted;
    }
    // The item's countries, nearest first; then the dateline's city.
    let nearest = doc
        .places
        .iter()
        .filter(|p| !p.iso3.is_chinese() && candidate(p.iso3))
        .min_by_key(|p| p.start.abs_diff(hit.start))
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

/// The foreign country of the dateline's city, unless an agency wrote it.
fn dateline_country(doc: &Doc) -> Option<Iso3> {
    doc.dateline.as_ref().filter(|d| d.agency.is_none())?;
    doc.dateline_place.map(|p| p.iso3).filter(|c| !c.is_chinese())
}

fn trim_the(text: &str) -> String {
    let t = text.trim();
    t.strip_prefix("the ").or_else(|| t.strip_prefix("The ")).unwrap_or(t).to_string()
}

/// Parties named only by their country: "the ruling party of Guinea-Bissau", "Cambodia's ruling
/// party", "political parties from Ghana, Kenya and Zambia".
fn unnamed_parties(doc: &Doc, s: &Range<usize>, date: Result<MeetingDate, &'static str>, venue: (Venue, &'static str)) -> Vec<Found> {
    let sentence = &doc.text[s.clone()];
    let mut out = Vec::new();
    let mut push = |p: &PlaceHit, partner: String, rule: &str| {
        out.push(Found {
            kind: PartnerKind::Party,
            iso3: Some(p.iso3),
            partner,
            span: p.start..p.end,
            sentence: s.clone(),
            rule: rule.into(),
            candidates: Vec::new(),
            shorter: Vec::new(),
            unnamed: true,
            date,
            venue,
        })
    };
    for p in doc.places_in(s).filter(|p| matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym) && !p.iso3.is_chinese()) {
        let before = &doc.text[s.start..p.start];
        let after = &doc.text[p.end..s.end];
        if RULING_PARTY.is_match(before) || (after.starts_with("'s ruling party") || after.starts_with("’s ruling party") || (p.kind == PlaceKind::Demonym && after.starts_with(" ruling party"))) {
            // "the ruling party of Zambia, the Patriotic Front": named after all, which the
            // item-level check sees.
            push(p, "ruling party".into(), "unnamed_ruling_party");
        }
    }
    if let Some(c) = GROUP.captures(sentence) {
        let words = c.get(1).expect("group words").as_str();
        if words.contains("part") {
            let from = s.start + c.get(0).expect("match").end();
            for p in countries_listed(doc, s, from) {
                let name = doc.text[p.start..p.end].to_string();
                push(p, format!("political parties from {name}"), "unnamed_parties_from");
            }
        }
    }
    out
}

/// The countries of a list that starts at `from`: "Ghana, Kenya and Zambia".
fn countries_listed<'d>(doc: &'d Doc, s: &Range<usize>, from: usize) -> Vec<&'d PlaceHit> {
    let mut out: Vec<&PlaceHit> = Vec::new();
    let mut at = from;
    for p in doc.places_in(s).filter(|p| p.start >= from && p.kind == PlaceKind::Country) {
        let between = doc.text[at..p.start].trim();
        if !(between.is_empty() || between == "," || between == "and" || between == ", and" || between == "the") {
            break;
        }
        out.push(p);
        at = p.end;
    }
    out
}

/// Whether a range names the CPC's side: a name of it, a Chinese place, "China".
fn chinese(doc: &Doc, names: &[NameHit], range: &Range<usize>) -> bool {
    names.iter().any(|h| h.cpc && h.start >= range.start && h.end <= range.end)
        || doc.places.iter().any(|p| p.iso3.is_chinese() && p.start >= range.start && p.end <= range.end)
}

/// Organisations and groups met: foundations, parliaments, unions, business delegations.
fn organisations(doc: &Doc, names: &[NameHit], s: &Range<usize>, date: Result<MeetingDate, &'static str>, venue: (Venue, &'static str)) -> Vec<Found> {
    let sentence = &doc.text[s.clone()];
    let leaders = leader_clauses(doc, s);
    let mut out: Vec<Found> = Vec::new();
    for c in ORGANISATION.captures_iter(sentence) {
        let m = c.get(1).expect("a name");
        let span = s.start + m.start()..s.start + m.end();
        let words: Vec<&str> = m.as_str().split_whitespace().collect();
        if !words.iter().any(|w| ORGANISATION_WORDS.contains(&w.trim_end_matches(['\'', '’', 's']).trim_end_matches('s')) || ORGANISATION_WORDS.contains(w)) {
            continue;
        }
        let party = names.iter().any(|h| !h.cpc && h.start < span.end && span.start < h.end);
        if party || chinese(doc, names, &span) || leaders.iter().any(|l| l.contains(&span.start)) {
            continue;
        }
        let country = country_of_range(doc, &span).or_else(|| apposition_country(doc, span.end, s)).or_else(|| context_country(doc, s));
        out.push(non_party(s, span, m.as_str().trim().to_string(), country, "organisation", date, venue));
    }
    if out.is_empty() {
        if let Some(c) = GROUP.captures(sentence) {
            let words = c.get(1).expect("group words").as_str();
            let from = s.start + c.get(0).expect("match").end();
            if !words.contains("part") {
                let listed = countries_listed(doc, s, from);
                let organised = sentence[c.get(0).expect("match").end()..].find("organized by ").map(|i| {
                    let rest = &sentence[c.get(0).expect("match").end() + i + "organized by ".len()..];
                    let rest = rest.strip_prefix("the ").unwrap_or(rest);
                    rest.split([',', '.']).next().unwrap_or("").trim().to_string()
                });
                for p in listed {
                    let partner = match &organised {
                        Some(o) if !o.is_empty() => format!("{o} delegation"),
                        _ => format!("{} from {}", words, &doc.text[p.start..p.end]),
                    };
                    out.push(non_party(s, p.start..p.end, partner, Some(p.iso3), "group_from_country", date, venue));
                }
            }
        }
    }
    if out.is_empty() {
        if let Some(c) = DEMONYM_GROUP.captures(sentence) {
            let adjective = c.get(1).expect("adjective");
            let words = c.get(2).expect("words").as_str();
            let at = s.start + adjective.start();
            let place = doc.places.iter().find(|p| p.start == at && p.end == s.start + adjective.end() && p.kind == PlaceKind::Demonym);
            if let Some(p) = place.filter(|p| !p.iso3.is_chinese() && !words.contains("part")) {
                let span = at..s.start + c.get(2).expect("words").end();
                let partner = doc.text[span.clone()].to_string();
                out.push(non_party(s, span, partner, Some(p.iso3), "group_of_country", date, venue));
            }
        }
    }
    out
}

fn non_party(
    s: &Range<usize>,
    span: Range<usize>,
    partner: String,
    iso3: Option<Iso3>,
    rule: &str,
    date: Result<MeetingDate, &'static str>,
    venue: (Venue, &'static str),
) -> Found {
    Found {
        kind: PartnerKind::NonParty,
        iso3,
        partner,
        span,
        sentence: s.clone(),
        rule: rule.into(),
        candidates: Vec::new(),
        shorter: Vec::new(),
        unnamed: false,
        date,
        venue,
    }
}

/// The first foreign country named within a range.
fn country_of_range(doc: &Doc, range: &Range<usize>) -> Option<Iso3> {
    doc.places
        .iter()
        .find(|p| p.start >= range.start && p.end <= range.end && !p.iso3.is_chinese() && !matches!(p.kind, PlaceKind::Province))
        .map(|p| p.iso3)
}

/// A country in an apposition right after `at`: ", an Indian think tank", ", Mongolia's
/// parliament", " in Berlin".
fn apposition_country(doc: &Doc, at: usize, s: &Range<usize>) -> Option<Iso3> {
    doc.places
        .iter()
        .find(|p| p.start >= at && p.start <= at + 12 && p.end <= s.end && !p.iso3.is_chinese())
        .map(|p| p.iso3)
}

/// The country a sentence is about: its foreign countries first, then the dateline's, then the
/// item's most named.
fn context_country(doc: &Doc, s: &Range<usize>) -> Option<Iso3> {
    if let Some(c) = country_of_range(doc, s) {
        return Some(c);
    }
    if let Some(c) = dateline_country(doc) {
        return Some(c);
    }
    let mut counts: Vec<(Iso3, usize)> = Vec::new();
    for p in doc.places.iter().filter(|p| !p.iso3.is_chinese() && p.kind != PlaceKind::Province) {
        match counts.iter_mut().find(|(c, _)| *c == p.iso3) {
            Some((_, n)) => *n += 1,
            None => counts.push((p.iso3, 1)),
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).map(|(c, _)| *c)
}

/// Heads of state and government, ministers, speakers, ambassadors met.
fn offices(
    doc: &Doc,
    names: &[NameHit],
    s: &Range<usize>,
    found: &[Found],
    date: Result<MeetingDate, &'static str>,
    venue: (Venue, &'static str),
) -> Vec<Found> {
    let sentence = &doc.text[s.clone()];
    let leaders = leader_clauses(doc, s);
    let mut out: Vec<Found> = Vec::new();
    for m in OFFICE.find_iter(sentence) {
        let start = s.start + m.start();
        let tail = NAME_TAIL.find(&sentence[m.end()..]).map_or(0, |t| t.end());
        let phrase = start..s.start + m.end() + tail;
        if leaders.iter().any(|l| l.contains(&start)) || found.iter().any(|f| f.span.start <= start && start < f.span.end) {
            continue;
        }
        let before = place_before(doc, start);
        if before.is_some_and(|p| p.iso3.is_chinese()) || chinese(doc, names, &phrase) {
            continue;
        }
        // "the Commission's Chairman", a bare "Chairman": the office of a body not named as met.
        let possessed = before.is_none() && (doc.text[..start].ends_with("'s ") || doc.text[..start].ends_with("’s "));
        let bare_chair = tail == 0 && before.is_none() && m.as_str().contains("Chair");
        if possessed || bare_chair {
            continue;
        }
        // An office in a party ("Vice President of the PSUV"), or held by a party's man ("the
        // Lao Prime Minister, who is a Member of the Political Bureau of the ... LPRP"), is the party's.
        let rest = &doc.text[phrase.end..s.end];
        let who = if rest.starts_with(", who ") { s.end } else { phrase.end };
        let party_office = names.iter().any(|h| !h.cpc && h.start >= phrase.start && h.end <= who)
            || doc.text[phrase.clone()].ends_with(" of the party")
            || doc.text[phrase.clone()].contains(" of its ");
        if party_office {
            continue;
        }
        let in_phrase = doc.places.iter().find(|p| p.start >= phrase.start && p.end <= phrase.end && p.kind == PlaceKind::Country && !p.iso3.is_chinese());
        let country = in_phrase
            .map(|p| p.iso3)
            .or(before.map(|p| p.iso3))
            .or_else(|| apposition_country(doc, phrase.end, s))
            .or_else(|| found.iter().find_map(|f| f.iso3))
            .or_else(|| context_country(doc, s));
        // The office without the country it is of: "Vice President of the Lao PDR" -> "Vice President".
        let mut end = phrase.end;
        if let Some(p) = in_phrase {
            let cut = doc.text[phrase.start..p.start].trim_end();
            let cut = cut.strip_suffix(" the").unwrap_or(cut).trim_end();
            let cut = cut.strip_suffix(" of").unwrap_or(cut);
            end = phrase.start + cut.len();
        }
        let partner = doc.text[phrase.start..end].trim().to_string();
        let span = before.map_or(phrase.start, |p| p.start)..phrase.end;
        if out.iter().any(|f: &Found| f.partner == partner && f.iso3 == country) {
            continue;
        }
        out.push(non_party(s, span, partner, country, "office", date, venue));
    }
    out
}
