//! One item read once: its dateline, sentences, folded text, cues and places, which the
//! classifier and the extractor share.

use std::ops::Range;

use super::cues::{self, CueHit};
use super::news::NewsItem;
use super::places::{PlaceHit, Places};
use super::text::{self, Dateline, Folded};

pub struct Doc<'a> {
    pub item: &'a NewsItem,
    pub text: &'a str,
    pub dateline: Option<Dateline>,
    /// The place the dateline's city is, when the tables know it.
    pub dateline_place: Option<PlaceHit>,
    /// Byte ranges of the sentences after the dateline.
    pub sentences: Vec<Range<usize>>,
    pub folded: Folded,
    pub cues: Vec<CueHit>,
    pub places: Vec<PlaceHit>,
    /// The title, folded, and its cues.
    pub title: Folded,
    pub title_cues: Vec<CueHit>,
}

impl<'a> Doc<'a> {
    pub fn new(item: &'a NewsItem, places: &Places) -> Doc<'a> {
        let text = item.text.as_str();
        let dateline = text::dateline(text);
        let dateline_place = dateline.as_ref().and_then(|d| {
            let folded = Folded::new(&d.city);
            places
                .find(&d.city, &folded)
                .into_iter()
                .find(|p| p.is_town() || p.kind == super::places::PlaceKind::Country)
        });
        let sentences = text::sentences(text, dateline.as_ref().map_or(0, |d| d.len));
        let folded = Folded::new(text);
        let cues = cues::scan(&folded.text);
        let found = places.find(text, &folded);
        let body = folded.folded_at(dateline.as_ref().map_or(0, |d| d.len));
        let places = found.into_iter().filter(|p| p.folded.0 >= body).collect();
        let title = Folded::new(&item.title);
        let title_cues = cues::scan(&title.text);
        Doc { item, text, dateline, dateline_place, sentences, folded, cues, places, title, title_cues }
    }

    /// The folded bytes of an original byte range.
    pub fn folded_range(&self, range: &Range<usize>) -> Range<usize> {
        self.folded.folded_at(range.start)..self.folded.folded_at(range.end)
    }

    /// The cues of a sentence.
    pub fn cues_in(&self, sentence: &Range<usize>) -> impl Iterator<Item = &CueHit> {
        cues::within(&self.cues, self.folded_range(sentence))
    }

    /// The places of a sentence.
    pub fn places_in(&self, sentence: &Range<usize>) -> impl Iterator<Item = &PlaceHit> {
        let r = sentence.clone();
        self.places.iter().filter(move |p| p.start >= r.start && p.end <= r.end)
    }

    /// Whether a `received` cue is a meeting: "was received by", "were also received", "received
    /// the delegation" (a message is "received a letter").
    pub fn received_is_meeting(&self, hit: &CueHit) -> bool {
        let before: Vec<&str> = self.folded.text[..hit.start].split_whitespace().rev().take(2).collect();
        let passive = before.iter().any(|w| matches!(*w, "was" | "were" | "been" | "be" | "being"));
        let after: Vec<&str> = self.folded.text[hit.end..].split_whitespace().take(4).collect();
        passive || after.iter().any(|w| matches!(*w, "delegation" | "delegations" | "guests" | "visitors"))
    }

    /// Whether a sentence reports a meeting that took place: a meeting cue not put in the
    /// future nor an exhortation ("calls on all countries to"), or a `received` that is a
    /// meeting.
    pub fn reports_meeting(&self, sentence: &Range<usize>) -> bool {
        self.cues_in(sentence).any(|h| match h.cue {
            cues::Cue::Meet => !cues::is_future(&self.folded.text, h) && !cues::is_exhortation(&self.folded.text, h),
            cues::Cue::Received => self.received_is_meeting(h) && !cues::is_future(&self.folded.text, h),
            _ => false,
        })
    }
}
