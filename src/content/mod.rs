//! The content analysis: which topics the news items mention, by year and by the regime type of
//! the partners' countries (the paper's figures 6 to 8).
//!
//! The items are read as `partylink extract` reads them ([`crate::extract::read_news`]). Each
//! gets its kind ([`kind`]: congratulations and condolences are left out, as the paper did) and
//! its mentions of each topic ([`keywords`]); the SQL stages `sql/60_` to `sql/62_` count them
//! into `topics_by_year` and `topics_by_partner_regime`.

pub mod keywords;

use std::path::{Path, PathBuf};

use anyhow::Result;
use arrow::array::RecordBatch;
use chrono::Datelike;
use datafusion::execution::context::SessionContext;

use crate::enrich::{self, CONTENT_STAGES, Registered};
use crate::extract::{ItemKind, NewsItem, classify};
use crate::shared::batch::BatchBuilder;
use keywords::Keywords;

/// An item's kind and where it came from: the item's own `kind` field when it names one of the
/// kinds, else the item-kind rules of `partylink extract`; an item that cannot be read (no text,
/// a repeated `news_id`) is `unreadable`.
pub fn kind(item: &NewsItem) -> (ItemKind, &'static str) {
    if item.problem.is_some() {
        return (ItemKind::Unreadable, "problem");
    }
    match item.kind.as_deref().and_then(ItemKind::parse) {
        Some(kind) => (kind, "kind"),
        None => (classify(item), "rules"),
    }
}

/// Whether the content analysis counts an item of this kind: the paper left congratulations and
/// condolences out; an unreadable item has nothing to count.
pub fn analysed(kind: ItemKind) -> bool {
    !matches!(kind, ItemKind::Congratulation | ItemKind::Condolence | ItemKind::Unreadable)
}

/// The files news items are read from, for the manifest: the file, or every page of the
/// directory (as [`crate::extract::read_news`] reads them), sorted.
pub fn news_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_dir() {
        return crate::extract::news::page_files(path);
    }
    anyhow::ensure!(path.is_file(), "{}: no such file or directory of news items", path.display());
    Ok(vec![path.to_path_buf()])
}

/// The items and their mentions, as the SQL stages read them.
pub struct Analysis {
    /// `news_items`: one row per item: its date and year, kind, where the kind came from, and
    /// whether it is analysed.
    pub items: RecordBatch,
    /// `news_topic_mentions`: one row per item and topic it mentions (every item, analysed or
    /// not, so the counts can be checked item by item).
    pub mentions: RecordBatch,
    /// `topics`: the lexicon's topics in its order.
    pub topics: RecordBatch,
    /// Items analysed and items left out.
    pub analysed: usize,
    pub left_out: usize,
}

pub fn analyse(items: &[NewsItem], keywords: &Keywords) -> Result<Analysis> {
    let kinds: Vec<(ItemKind, &str)> = items.iter().map(kind).collect();
    let mut mention_rows: Vec<(&str, &str, i64)> = Vec::new();
    for item in items {
        for (topic, n) in keywords.mentions(&item.text) {
            mention_rows.push((&item.news_id, topic, n));
        }
    }
    let counted = kinds.iter().filter(|(k, _)| analysed(*k)).count();
    let topics = keywords.topics();
    Ok(Analysis {
        items: BatchBuilder::new()
            .utf8("news_id", items.iter().map(|i| Some(i.news_id.as_str())))
            .date32("date", items.iter().map(|i| i.date))
            .int32("year", items.iter().map(|i| i.date.map(|d| d.year())))
            .utf8("title", items.iter().map(|i| Some(i.title.as_str())))
            .utf8("kind", kinds.iter().map(|(k, _)| Some(k.as_str())))
            .utf8("kind_from", kinds.iter().map(|(_, from)| Some(*from)))
            .boolean("analysed", kinds.iter().map(|(k, _)| Some(analysed(*k))))
            .utf8("problem", items.iter().map(|i| i.problem.as_deref()))
            .build()?,
        mentions: BatchBuilder::new()
            .utf8("news_id", mention_rows.iter().map(|r| Some(r.0)))
            .utf8("topic", mention_rows.iter().map(|r| Some(r.1)))
            .int64("mentions", mention_rows.iter().map(|r| Some(r.2)))
            .build()?,
        topics: BatchBuilder::new()
            .utf8("topic", topics.iter().map(|t| Some(*t)))
            .int32("position", (1..=topics.len() as i32).map(Some))
            .build()?,
        analysed: counted,
        left_out: items.len() - counted,
    })
}

/// One row per news item and regime type of a contact it reports: from the run's own stages,
/// or from the `enriched_contacts` of a run's folder.
fn news_contacts_sql(registered: Registered) -> &'static str {
    match registered {
        Registered::Run => {
            "select distinct contact_rows.news_id, enriched_decisions.regime from contact_rows \
                 join enriched_decisions on contact_rows.decision = enriched_decisions.decision \
                 where contact_rows.news_id is not null"
        }
        // A CSV read back may type numeric ids as numbers: the items' ids are text.
        Registered::Folder => {
            "select distinct cast(news_id as varchar) as news_id, regime from enriched_contacts \
             where news_id is not null"
        }
    }
}

/// Registers the analysis and the items' contacts (`news_contacts`) and runs the content
/// stages; their tables are then registered beside the run's (`report::CONTENT_OUTPUTS` lists
/// what is written).
pub async fn run(ctx: &SessionContext, analysis: &Analysis, registered: Registered) -> Result<()> {
    enrich::register(ctx, "news_items", analysis.items.clone())?;
    enrich::register(ctx, "news_topic_mentions", analysis.mentions.clone())?;
    enrich::register(ctx, "topics", analysis.topics.clone())?;
    let news_contacts = enrich::query(ctx, news_contacts_sql(registered)).await?;
    enrich::register(ctx, "news_contacts", news_contacts)?;
    enrich::run_stages(ctx, CONTENT_STAGES).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_analysed_unless_congratulations_or_condolences() {
        let item = |id: &str, kind: Option<&str>| NewsItem {
            news_id: id.into(),
            date: chrono::NaiveDate::from_ymd_opt(2015, 3, 1),
            title: "X Meets Y".into(),
            text: "Beijing, March 1st—X met here today with Y of Vietnam. They discussed the Belt and Road.".into(),
            kind: kind.map(str::to_string),
            ..NewsItem::default()
        };
        let keywords = Keywords::parse(&crate::load::reference::Reference::load(None).unwrap().keywords).unwrap();
        let unreadable = NewsItem { problem: Some("the item has no text".into()), ..item("c", None) };
        let a = analyse(&[item("a", None), item("b", Some("condolence")), unreadable], &keywords).unwrap();
        assert_eq!((a.analysed, a.left_out), (1, 2));
        assert_eq!(a.mentions.num_rows(), 3);
        assert_eq!(kind(&item("d", Some("visit"))).1, "rules", "a kind outside the vocabulary is left to the rules");
    }

    #[test]
    fn the_manifest_lists_the_pages_read_from_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("2015")).unwrap();
        for file in ["2015/b.html", "a.txt", "notes.md", "2015/logo.png"] {
            std::fs::write(dir.path().join(file), "<p>Beijing, March 1st—X met Y.</p>").unwrap();
        }
        let files = news_files(dir.path()).unwrap();
        assert_eq!(files, [dir.path().join("2015/b.html"), dir.path().join("a.txt")]);
        assert_eq!(crate::extract::read_news(dir.path()).unwrap().len(), files.len());
        let empty = tempfile::tempdir().unwrap();
        assert!(format!("{:#}", news_files(empty.path()).unwrap_err()).contains("no .html, .htm or .txt pages"));
    }
}
