//! Partners that are no party, in a sentence that reports a meeting: heads of state or
//! government, ministers, speakers and ambassadors by their office; foundations, parliaments,
//! unions and think tanks by their name; groups ("a delegation of German business leaders",
//! "young political leaders from Ghana, Kenya and Zambia") by what the item calls them. Each
//! with its country; never the CPC's own officials or another Chinese body.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::dates::MeetingDate;
use super::doc::Doc;
use super::gazetteer::NameHit;
use super::partners::{Found, PartnerKind, countries_listed, leader_clauses};
use super::party_country::{dateline_country, place_before};
use super::places::{Iso3, PlaceKind};
use super::venue::Venue;

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
pub(super) static GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:delegations?|leaders|representatives|officials|members)\s+of\s+((?:[a-z][a-z-]*\s+){0,4}?(?:[a-z][a-z-]*))\s+from\s+")
        .expect("a valid group pattern")
});
static DEMONYM_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bdelegations?\s+of\s+(?:the\s+)?([\p{Lu}][\p{L}-]+(?:\s+[\p{Lu}][\p{L}-]+)?)\s+((?:[a-z][a-z-]*\s+){0,3}[a-z][a-z-]*)")
        .expect("a valid group pattern")
});

const ORGANISATION_WORDS: [&str; 38] = [
    "Foundation",
    "Institute",
    "Institution",
    "Association",
    "Council",
    "Union",
    "Unions",
    "Federation",
    "Committee",
    "Chamber",
    "Assembly",
    "Parliament",
    "Senate",
    "Academy",
    "League",
    "Society",
    "Centre",
    "Center",
    "Forum",
    "Organization",
    "Organisation",
    "Hural",
    "Duma",
    "Diet",
    "Commission",
    "Agency",
    "Bank",
    "Corporation",
    "Company",
    "University",
    "School",
    "Club",
    "Trust",
    "Network",
    "Confederation",
    "Bureau",
    "Ministry",
    "Government",
];

/// Whether a range names the CPC's side: a name of it, a Chinese place, "China".
fn chinese(doc: &Doc, names: &[NameHit], range: &Range<usize>) -> bool {
    names.iter().any(|h| h.cpc && h.start >= range.start && h.end <= range.end)
        || doc.places.iter().any(|p| p.iso3.is_chinese() && p.start >= range.start && p.end <= range.end)
}

/// Organisations and groups met: foundations, parliaments, unions, business delegations.
pub(super) fn organisations(
    doc: &Doc,
    names: &[NameHit],
    s: &Range<usize>,
    date: Result<MeetingDate, &'static str>,
    venue: (Venue, &'static str),
) -> Vec<Found> {
    let sentence = &doc.text[s.clone()];
    let leaders = leader_clauses(doc, s);
    let mut out: Vec<Found> = Vec::new();
    for c in ORGANISATION.captures_iter(sentence) {
        let m = c.get(1).expect("a name");
        let span = s.start + m.start()..s.start + m.end();
        let words: Vec<&str> = m.as_str().split_whitespace().collect();
        if !words.iter().any(|w| {
            ORGANISATION_WORDS.contains(&w.trim_end_matches(['\'', '’', 's']).trim_end_matches('s'))
                || ORGANISATION_WORDS.contains(w)
        }) {
            continue;
        }
        let party = names.iter().any(|h| !h.cpc && h.start < span.end && span.start < h.end);
        if party || chinese(doc, names, &span) || leaders.iter().any(|l| l.contains(&span.start)) {
            continue;
        }
        let country = country_of_range(doc, &span)
            .or_else(|| apposition_country(doc, span.end, s))
            .or_else(|| context_country(doc, s));
        out.push(non_party(s, span, m.as_str().trim().to_string(), country, "organisation", date, venue));
    }
    if out.is_empty()
        && let Some(c) = GROUP.captures(sentence)
    {
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
    if out.is_empty()
        && let Some(c) = DEMONYM_GROUP.captures(sentence)
    {
        let adjective = c.get(1).expect("adjective");
        let words = c.get(2).expect("words").as_str();
        let at = s.start + adjective.start();
        let place = doc
            .places
            .iter()
            .find(|p| p.start == at && p.end == s.start + adjective.end() && p.kind == PlaceKind::Demonym);
        if let Some(p) = place.filter(|p| !p.iso3.is_chinese() && !words.contains("part")) {
            let span = at..s.start + c.get(2).expect("words").end();
            let partner = doc.text[span.clone()].to_string();
            out.push(non_party(s, span, partner, Some(p.iso3), "group_of_country", date, venue));
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
        .find(|p| {
            p.start >= range.start
                && p.end <= range.end
                && !p.iso3.is_chinese()
                && !matches!(p.kind, PlaceKind::Province)
        })
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
pub(super) fn offices(
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
        if leaders.iter().any(|l| l.contains(&start))
            || found.iter().any(|f| f.span.start <= start && start < f.span.end)
        {
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
        let in_phrase = doc.places.iter().find(|p| {
            p.start >= phrase.start && p.end <= phrase.end && p.kind == PlaceKind::Country && !p.iso3.is_chinese()
        });
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
