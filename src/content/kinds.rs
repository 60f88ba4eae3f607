//! What kind of item a news item is, for leaving out congratulations and condolences as the
//! paper did: the item's `kind` when it gives one, else rules on its title and first paragraph.
//!
//! The rules here only need to tell messages of congratulation and condolence from the rest;
//! the item-kind classifier of `partylink extract` takes over here once it is part of partylink.

use anyhow::Result;

use super::news::NewsItem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Meeting,
    Congratulation,
    Condolence,
    Message,
    Other,
}

impl ItemKind {
    pub const ALL: [ItemKind; 5] =
        [ItemKind::Meeting, ItemKind::Congratulation, ItemKind::Condolence, ItemKind::Message, ItemKind::Other];

    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Meeting => "meeting",
            ItemKind::Congratulation => "congratulation",
            ItemKind::Condolence => "condolence",
            ItemKind::Message => "message",
            ItemKind::Other => "other",
        }
    }

    /// Whether the content analysis counts the item: the paper left congratulations and
    /// condolences out.
    pub fn analysed(self) -> bool {
        !matches!(self, ItemKind::Congratulation | ItemKind::Condolence)
    }
}

/// Where an item's kind came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFrom {
    /// The item's own `kind` field.
    Field,
    /// The rules on its title and first paragraph.
    Rules,
}

impl KindFrom {
    pub fn name(self) -> &'static str {
        match self {
            KindFrom::Field => "kind",
            KindFrom::Rules => "rules",
        }
    }
}

/// The item's kind and where it came from; a `kind` that is none of the five is an error.
pub fn kind(item: &NewsItem) -> Result<(ItemKind, KindFrom)> {
    if let Some(given) = &item.kind {
        let kind = ItemKind::ALL.into_iter().find(|k| k.name() == given.trim().to_lowercase()).ok_or_else(|| {
            anyhow::anyhow!(
                "news item {}: kind {given:?} is not one of meeting, congratulation, condolence, message, other",
                item.news_id
            )
        })?;
        return Ok((kind, KindFrom::Field));
    }
    Ok((by_rules(item), KindFrom::Rules))
}

fn by_rules(item: &NewsItem) -> ItemKind {
    let title = item.title.to_lowercase();
    let opening = item.text.lines().next().unwrap_or_default().to_lowercase();
    let met = ["meet", "met ", "talks", "receives", "visit", "holds", "seminar", "dialogue"]
        .iter()
        .any(|w| title.contains(w));
    if title.contains("condolence") || (!met && opening.contains("condolence")) {
        ItemKind::Condolence
    } else if title.contains("congratulat") || (!met && opening.contains("congratulat")) {
        ItemKind::Congratulation
    } else if met {
        ItemKind::Meeting
    } else if title.contains("message") || title.contains("letter") || title.contains("greeting") {
        ItemKind::Message
    } else {
        ItemKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, text: &str) -> NewsItem {
        NewsItem { news_id: "n".into(), date: None, title: title.into(), text: text.into(), kind: None }
    }

    #[test]
    fn the_kind_field_wins_over_the_rules() {
        let mut i = item("IDCPC Sends Condolences to the EPRDF", "…");
        i.kind = Some("meeting".into());
        assert_eq!(kind(&i).unwrap(), (ItemKind::Meeting, KindFrom::Field));
        i.kind = Some("visit".into());
        assert!(kind(&i).is_err());
    }

    #[test]
    fn messages_are_told_from_meetings() {
        assert_eq!(by_rules(&item("IDCPC Congratulates the PT", "")), ItemKind::Congratulation);
        assert_eq!(
            by_rules(&item(
                "Foreign Parties Send Messages",
                "Beijing—The CPC received congratulations from 300 parties."
            )),
            ItemKind::Congratulation
        );
        assert_eq!(by_rules(&item("Song Tao Meets CPV Delegation", "He congratulated the CPV.")), ItemKind::Meeting);
        assert_eq!(by_rules(&item("Yan Sends Condolences to the EPRDF", "")), ItemKind::Condolence);
    }
}
