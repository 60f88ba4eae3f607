//! Where a meeting took place: `china`, `abroad`, or unknown.
//!
//! In this order: a meeting by video or online has no venue; a place the sentence names for the
//! meeting ("held talks in Dar es Salaam", "In Lusaka on September 6", "during its visit to
//! Laos", "visited Shanghai and Jiangsu") decides, a Chinese city or province making it `china`
//! and any other `abroad`; else the dateline's city ("met here today" under "Beijing, ..."), but
//! not an agency's dateline ("Hanoi, March 3 (VNA)—" says where the agency wrote, not where the
//! parties met); else the item's word for a delegation in China ("is visiting China", "at the
//! invitation of the International Department"); else unknown.

use super::cues::Cue;
use super::doc::Doc;
use super::places::{PlaceHit, PlaceKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Venue {
    China,
    Abroad,
    Unknown,
}

impl Venue {
    /// The contacts' `venue` cell.
    pub fn as_str(&self) -> &'static str {
        match self {
            Venue::China => "china",
            Venue::Abroad => "abroad",
            Venue::Unknown => "",
        }
    }

    fn of(place: &PlaceHit) -> Venue {
        if place.iso3.is_chinese() { Venue::China } else { Venue::Abroad }
    }
}

/// Words before a place that make it the meeting's place.
const BEFORE_PLACE: [&str; 10] =
    ["in", "at", "visiting", "visited", "visit to", "visits to", "tour of", "trip to", "arrived in", "stay in"];

/// The venue of the meetings a sentence reports, with the rule that decided. `before` is the
/// venue of the meeting before it in the item, when a place named in its own sentence decided
/// it: a sentence that names no place and does not say "here" goes on where the visit was ("In
/// Dodoma, the delegation met ... The next day, it was received by the Speaker").
pub fn sentence_venue(
    doc: &Doc,
    sentence: &std::ops::Range<usize>,
    before: Option<(Venue, &'static str)>,
) -> (Venue, &'static str) {
    if doc.cues_in(sentence).any(|h| h.cue == Cue::Remote) {
        return (Venue::Unknown, "remote");
    }
    if let Some(place) = doc.places_in(sentence).find(|p| names_the_meeting_place(doc, p)) {
        return (Venue::of(place), "place_in_sentence");
    }
    let here = doc.cues_in(sentence).any(|h| h.cue == Cue::Here);
    if let Some((venue, "place_in_sentence" | "as_before")) = before.filter(|_| !here) {
        return (venue, "as_before");
    }
    if let Some(v) = dateline_venue(doc) {
        return v;
    }
    item_venue(doc)
}

/// The dateline's city, unless an agency wrote it.
fn dateline_venue(doc: &Doc) -> Option<(Venue, &'static str)> {
    let d = doc.dateline.as_ref()?;
    if d.agency.is_some() {
        return None;
    }
    let city = doc.dateline_place;
    // A city the tables do not know, in the house style, is abroad: they list China's cities
    // and provinces far more fully than the world's.
    Some(match city {
        Some(c) => (Venue::of(&c), "dateline"),
        None => (Venue::Abroad, "dateline_unlisted_city"),
    })
}

/// The item's word for where the delegation is.
fn item_venue(doc: &Doc) -> (Venue, &'static str) {
    let f = &doc.folded.text;
    const IN_CHINA: [&str; 8] = [
        " visiting china ",
        " visit to china ",
        " visit china ",
        " came to china ",
        " in china ",
        " at the invitation of the international department",
        " at the invitation of the idcpc ",
        " at the invitation of the cpc ",
    ];
    if IN_CHINA.iter().any(|p| f.contains(p)) {
        return (Venue::China, "item_in_china");
    }
    if let Some(p) =
        doc.places.iter().find(|p| !p.iso3.is_chinese() && names_the_meeting_place(doc, p) && visit_word(doc, p))
    {
        return (Venue::of(p), "item_visit_abroad");
    }
    (Venue::Unknown, "no_place")
}

/// Whether the words before a place make it where something happened ("in Hanoi", "visiting
/// China"), and the place is not a possessive ("in Kenya's coalition") or a country named only
/// as a whole ("the largest party in Japan" is no place of a meeting: only towns, China, and
/// countries one visits count).
fn names_the_meeting_place(doc: &Doc, place: &PlaceHit) -> bool {
    let before = doc.folded.text[..place.folded.0].trim_end();
    let before = before.strip_suffix(" the").unwrap_or(before);
    let word = BEFORE_PLACE.iter().find(|w| before.ends_with(&format!(" {w}")));
    let Some(word) = word else { return false };
    let possessive = doc.text[place.end..].starts_with("'s") || doc.text[place.end..].starts_with("’s");
    if possessive || place.kind == PlaceKind::Demonym {
        return false;
    }
    place.is_town() || place.iso3.is_chinese() || !matches!(*word, "in" | "at")
}

fn visit_word(doc: &Doc, place: &PlaceHit) -> bool {
    let before = doc.folded.text[..place.folded.0].trim_end();
    ["visit to", "visiting", "visited", "tour of", "trip to"].iter().any(|w| before.ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::news::NewsItem;
    use crate::extract::places::Places;

    fn venues(text: &str) -> Vec<(Venue, &'static str)> {
        let item = NewsItem { news_id: "x".into(), text: text.into(), ..NewsItem::default() };
        let doc = Doc::new(&item, Places::built_in());
        let mut before = None;
        doc.sentences
            .iter()
            .map(|s| {
                let v = sentence_venue(&doc, s, before);
                before = Some(v);
                v
            })
            .collect()
    }

    #[test]
    fn a_visit_goes_on_where_it_was_until_a_sentence_says_here() {
        assert_eq!(
            venues(
                "Beijing, July 29th—In Dodoma, the delegation met the CCM. The next day, it was received by the Speaker. Wang met here today with the ANC."
            ),
            [(Venue::Abroad, "place_in_sentence"), (Venue::Abroad, "as_before"), (Venue::China, "dateline")]
        );
    }

    #[test]
    fn a_place_named_for_the_meeting_wins_over_the_dateline() {
        assert_eq!(venues("Beijing, May 6th—Pan met here today with a delegation."), [(Venue::China, "dateline")]);
        assert_eq!(
            venues("Beijing, September 15th—On September 2, the delegation held talks in Dar es Salaam with the CCM."),
            [(Venue::Abroad, "place_in_sentence")]
        );
        assert_eq!(
            venues("Hanoi, October 12 (VNA)—A delegation held talks in Beijing on October 11 with Gu."),
            [(Venue::China, "place_in_sentence")]
        );
        assert_eq!(
            venues("Vientiane, April 6th—During its visit to Laos the delegation was received by the Vice President."),
            [(Venue::Abroad, "place_in_sentence")]
        );
        assert_eq!(
            venues("He met in Beijing with leaders of the largest party in Japan."),
            [(Venue::China, "place_in_sentence")]
        );
    }

    #[test]
    fn an_agency_dateline_or_a_video_call_gives_no_venue() {
        assert_eq!(
            venues("Hanoi, March 3 (VNA)—Officials of the two parties held their annual consultation on March 2."),
            [(Venue::Unknown, "no_place")]
        );
        assert_eq!(
            venues("Beijing, September 24th—Shen held a video conference today with leaders of the CPP."),
            [(Venue::Unknown, "remote")]
        );
        assert_eq!(
            venues(
                "Feng met on Thursday with a delegation. The delegation is visiting China at the invitation of the IDCPC."
            ),
            [(Venue::China, "item_in_china"), (Venue::China, "place_in_sentence")]
        );
    }
}
