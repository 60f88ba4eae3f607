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
use super::non_party::{self, GROUP};
use super::party_country::{Country, part_of_another_body, party_country, with_country};
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

static RULING_PARTY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bruling\s+part(?:y|ies)\s+(?:of|in)\s+(?:the\s+)?$").expect("a valid pattern"));
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
        let in_country = doc
            .places
            .iter()
            .any(|p| matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym) && p.start <= h.start && h.end <= p.end);
        if in_country || part_of_another_body(doc, &h) {
            continue;
        }
        match party_country(doc, gazetteer, &h, written_span(doc, &h).1) {
            Country::Contradicted => continue,
            Country::Unknown if !doc.folded.text[h.folded.0..h.folded.1].contains(' ') => continue,
            country => hits.push((h, Some(country))),
        }
    }
    let names: Vec<NameHit> = hits.iter().map(|(h, _)| *h).collect();
    let mut context =
        DateContext { reference: dates::reference_day(doc.dateline.as_ref(), doc.item.date), ..DateContext::default() };
    let mut introduced: Vec<Found> = Vec::new();
    let mut last_venue = None;
    let mut out: Vec<Found> = Vec::new();
    for s in &doc.sentences {
        let sentence = &doc.text[s.clone()];
        if !doc.reports_meeting(s) {
            dates::note_explicit(sentence, &mut context);
            if sentence.contains("at the invitation of") {
                let at = s.start + sentence.find("at the invitation of").expect("found");
                let date = Err("not a meeting");
                introduced.extend(
                    parties_in(doc, gazetteer, &hits, s, &[], date, (Venue::Unknown, ""))
                        .into_iter()
                        .filter(|f| f.span.start > at),
                );
            }
            continue;
        }
        let date = dates::sentence_date(sentence, &mut context);
        let venue = venue::sentence_venue(doc, s, last_venue);
        last_venue = Some(venue);
        let mut here: Vec<Found> = non_party::organisations(doc, &names, s, date, venue);
        let parties = parties_in(doc, gazetteer, &hits, s, &here, date, venue);
        here.extend(parties);
        here.extend(unnamed_parties(doc, s, date, venue));
        here.extend(non_party::offices(doc, &names, s, &here, date, venue));
        clause_days(sentence, s.start, &mut here, &mut context);
        if here.is_empty() {
            here = introduced
                .drain(..)
                .map(|f| Found {
                    date,
                    venue,
                    sentence: s.clone(),
                    rule: format!("{}; met in a later sentence", f.rule),
                    ..f
                })
                .collect();
        }
        here.sort_by_key(|f| f.span.start);
        out.extend(here);
    }
    out
}

/// A sentence that names two days gives each partner the day of its own clause ("On Saturday,
/// it met the PPP, and today it met the PTI"); the meeting after takes the last partner's.
fn clause_days(sentence: &str, offset: usize, found: &mut [Found], context: &mut DateContext) {
    let whole = 0..sentence.len();
    let mut last = None;
    for f in found.iter_mut() {
        let clause = super::text::clause_at(sentence, f.span.start.saturating_sub(offset));
        if clause != whole && dates::names_a_day(&sentence[clause.clone()]) {
            f.date = dates::sentence_date(&sentence[clause], &mut context.clone());
        }
        if f.date.is_ok() && last.is_none_or(|(at, _)| f.span.start > at) {
            last = Some((f.span.start, f.date));
        }
    }
    if let Some((_, Ok(date))) = last {
        context.last = Some(date);
    }
}

/// Original byte ranges of a sentence's leaders' clauses: from "led by" to the next ", a ",
/// ", an ", ", and a " or ";", the next meeting cue ("A delegation led by X, Minister of Y,
/// held talks with ..."), or the sentence's end.
pub(super) fn leader_clauses(doc: &Doc, s: &Range<usize>) -> Vec<Range<usize>> {
    let cues: Vec<_> = doc.cues_in(s).copied().collect();
    cues.iter()
        .filter(|h| h.cue == Cue::LedBy)
        .map(|h| {
            let start = doc.folded.original(h.start..h.end).start;
            let rest = &doc.text[start..s.end];
            let by_words =
                [", a ", ", an ", ", and a ", "; "].iter().filter_map(|p| rest.find(p)).min().map(|e| start + e);
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
        let shorter: Vec<String> =
            [trim_the(&doc.text[span.clone()]), trim_the(&doc.text[hit.start..hit.end])].into_iter().collect();
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
    if let Some(inside) = trimmed.strip_prefix('(')
        && let Some(close) = inside.find(')')
    {
        let abbreviation = &inside[..close];
        if !abbreviation.is_empty() && abbreviation.len() <= 20 && abbreviation.chars().any(char::is_uppercase) {
            let end = hit.end + (rest.len() - trimmed.len()) + 1 + close + 1;
            return (hit.start..end, end);
        }
    }
    (hit.start..hit.end, hit.end)
}

fn trim_the(text: &str) -> String {
    let t = text.trim();
    t.strip_prefix("the ").or_else(|| t.strip_prefix("The ")).unwrap_or(t).to_string()
}

/// Parties named only by their country: "the ruling party of Guinea-Bissau", "Cambodia's ruling
/// party", "political parties from Ghana, Kenya and Zambia".
fn unnamed_parties(
    doc: &Doc,
    s: &Range<usize>,
    date: Result<MeetingDate, &'static str>,
    venue: (Venue, &'static str),
) -> Vec<Found> {
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
    for p in
        doc.places_in(s).filter(|p| matches!(p.kind, PlaceKind::Country | PlaceKind::Demonym) && !p.iso3.is_chinese())
    {
        let before = &doc.text[s.start..p.start];
        let after = &doc.text[p.end..s.end];
        if RULING_PARTY.is_match(before)
            || (after.starts_with("'s ruling party")
                || after.starts_with("’s ruling party")
                || (p.kind == PlaceKind::Demonym && after.starts_with(" ruling party")))
        {
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
pub(super) fn countries_listed<'d>(doc: &'d Doc, s: &Range<usize>, from: usize) -> Vec<&'d PlaceHit> {
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
