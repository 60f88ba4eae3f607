//! What a news item reports: a meeting, a message of congratulation or condolence, another
//! message, something else, or nothing readable. Only meetings give contacts, however many
//! parties a message names.
//!
//! The lead (the first sentence after the dateline) decides between a meeting and a message:
//! "sent a message of condolence" is a message even under a page filed as a meeting, "met here
//! today ... He congratulated FRELIMO" a meeting. Without a message in the lead, an item is a
//! meeting when it reports one that took place (not "will meet") and names a foreign country
//! (a country, a demonym, a foreign city), else `other` (a reception for "envoys of many
//! countries", a symposium, a briefing).

use super::cues::Cue;
use super::doc::Doc;
use super::news::NewsItem;
use super::places::{PlaceKind, Places};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Meeting,
    Congratulation,
    Condolence,
    Message,
    Other,
    Unreadable,
}

impl ItemKind {
    pub const ALL: [ItemKind; 6] = [
        ItemKind::Meeting,
        ItemKind::Congratulation,
        ItemKind::Condolence,
        ItemKind::Message,
        ItemKind::Other,
        ItemKind::Unreadable,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            ItemKind::Meeting => "meeting",
            ItemKind::Congratulation => "congratulation",
            ItemKind::Condolence => "condolence",
            ItemKind::Message => "message",
            ItemKind::Other => "other",
            ItemKind::Unreadable => "unreadable",
        }
    }

    pub fn parse(text: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }

    /// Congratulations, condolences and other messages.
    pub fn is_message(&self) -> bool {
        matches!(self, ItemKind::Congratulation | ItemKind::Condolence | ItemKind::Message)
    }
}

/// The kind of an item, with the built-in country, demonym and place tables.
pub fn classify(item: &NewsItem) -> ItemKind {
    if item.problem.is_some() {
        return ItemKind::Unreadable;
    }
    classify_doc(&Doc::new(item, Places::built_in()))
}

/// The kind of an item already read.
pub fn classify_doc(doc: &Doc) -> ItemKind {
    if doc.item.problem.is_some() {
        return ItemKind::Unreadable;
    }
    let Some(lead) = doc.sentences.first() else { return ItemKind::Other };
    let lead_message = doc.cues_in(lead).any(|h| h.cue == Cue::Message);
    let lead_meeting = doc.reports_meeting(lead);
    let any_meeting = doc.sentences.iter().any(|s| doc.reports_meeting(s));
    let title_message = doc.title_cues.iter().any(|h| matches!(h.cue, Cue::Message | Cue::Congratulation | Cue::Condolence));
    if (lead_message && !lead_meeting) || (!any_meeting && title_message) {
        let lead_cues = doc.cues_in(lead).map(|h| h.cue);
        let said: Vec<Cue> = lead_cues.chain(doc.title_cues.iter().map(|h| h.cue)).collect();
        return if said.contains(&Cue::Condolence) {
            ItemKind::Condolence
        } else if said.contains(&Cue::Congratulation) {
            ItemKind::Congratulation
        } else {
            ItemKind::Message
        };
    }
    let foreign = doc.places.iter().any(|p| !p.iso3.is_chinese() && p.kind != PlaceKind::Province);
    if any_meeting && foreign { ItemKind::Meeting } else { ItemKind::Other }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, text: &str) -> NewsItem {
        NewsItem { news_id: "x".into(), title: title.into(), text: text.into(), ..NewsItem::default() }
    }

    #[test]
    fn the_lead_decides_between_a_meeting_and_a_message() {
        let condolence = item(
            "Yan Zhiping Sends Condolences to the EPRDF",
            "Beijing, July 10th—Yan Zhiping today sent a message of condolence to the Ethiopian People's Revolutionary Democratic Front on the death of a founder. Yan said the two parties met often.",
        );
        assert_eq!(classify(&condolence), ItemKind::Condolence);
        let meeting = item(
            "Gu Wenhai Meets FRELIMO Delegation",
            "Beijing, January 20th—Gu Wenhai met here today with a delegation of the Mozambique Liberation Front. He congratulated FRELIMO on its victory and sent a message to its leader.",
        );
        assert_eq!(classify(&meeting), ItemKind::Meeting);
        let greetings = item(
            "Foreign Parties Send New Year Greetings to the CPC",
            "Beijing, January 4th—The IDCPC has received New Year messages from many foreign parties, among them the Communist Party of Vietnam.",
        );
        assert_eq!(classify(&greetings), ItemKind::Message);
        let congratulation = item(
            "Foreign Parties Send Messages on the 17th CPC National Congress",
            "Beijing, October 25th—The CPC Central Committee received more than 400 messages and letters of congratulations from foreign political parties.",
        );
        assert_eq!(classify(&congratulation), ItemKind::Congratulation);
    }

    #[test]
    fn a_meeting_without_a_foreign_country_is_other() {
        let reception = item(
            "IDCPC Holds Spring Festival Reception",
            "Beijing, January 25th—The IDCPC held a reception here this evening. More than 300 guests attended, including envoys of many countries in China.",
        );
        assert_eq!(classify(&reception), ItemKind::Other);
        let unreadable = NewsItem { problem: Some("the item has no text".into()), ..item("T", "") };
        assert_eq!(classify(&unreadable), ItemKind::Unreadable);
    }
}
