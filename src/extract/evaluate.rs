//! How well extraction agrees with hand-coded labels (`tests/fixtures/news`: gold contacts,
//! item kinds, expected reviews), on all items and on two halves: the even ids the rules were
//! developed on, and the odd ids held out.
//!
//! - **Party contacts** are compared as (item, Party Facts id): the ids the resolver gives the
//!   extracted partner, against the labelled ids (labelled parties without an id, unnamed or
//!   missing from Party Facts, are review cases and not counted here).
//! - **Non-party contacts** as (item, country), each label matched once.
//! - **Item kinds**: the share of non-meeting items (congratulations, condolences, messages,
//!   other) not taken for meetings, and the share whose kind is exactly right.
//! - **Date and venue** agreement over the contacts found that match a label with a date: the
//!   same day and precision, the same venue (an empty venue agreeing with an empty one).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use anyhow::Result;

use crate::load::read::text_table::TextTable;

use super::partners::PartnerKind;
use super::{ItemKind, ItemResult};

/// One labelled contact.
#[derive(Debug, Clone)]
pub struct Label {
    pub news_id: String,
    pub kind: PartnerKind,
    pub iso3: String,
    pub partyfacts_id: Option<i64>,
    pub date: String,
    pub precision: String,
    pub venue: String,
}

/// The labels of a corpus directory.
pub struct Labels {
    pub contacts: Vec<Label>,
    pub kinds: BTreeMap<String, ItemKind>,
    pub expect_review: BTreeSet<String>,
}

impl Labels {
    pub fn read(dir: &Path) -> Result<Labels> {
        let read = |name: &str| -> Result<TextTable> {
            let path = dir.join(name);
            let bytes = std::fs::read(&path)
                .map_err(|e| crate::load::error::DataError::new(&path, format!("cannot read: {e}")))?;
            TextTable::parse_csv(&path, &bytes)
        };
        let t = read("labels.csv")?;
        let [news_id, kind, country, id, date, precision, venue] =
            t.columns(["news_id", "contact_kind", "country", "partyfacts_id", "date", "date_precision", "venue"])?;
        let mut contacts = Vec::new();
        for r in &t.rows {
            let cell = |c: usize| r.cells[c].trim().to_string();
            contacts.push(Label {
                news_id: cell(news_id),
                kind: if cell(kind) == "party" { PartnerKind::Party } else { PartnerKind::NonParty },
                iso3: cell(country),
                partyfacts_id: cell(id).parse().ok(),
                date: cell(date),
                precision: cell(precision),
                venue: cell(venue),
            });
        }
        let t = read("item_kinds.csv")?;
        let [news_id, kind, review] = t.columns(["news_id", "item_kind", "expect_review"])?;
        let mut kinds = BTreeMap::new();
        let mut expect_review = BTreeSet::new();
        for r in &t.rows {
            let k = ItemKind::parse(&r.cells[kind]).ok_or_else(|| t.cell_error(r, kind, "not an item kind"))?;
            kinds.insert(r.cells[news_id].trim().to_string(), k);
            if r.cells[review].trim() == "yes" {
                expect_review.insert(r.cells[news_id].trim().to_string());
            }
        }
        Ok(Labels { contacts, kinds, expect_review })
    }
}

/// Counts for one set of items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    pub items: usize,
    pub party_found: usize,
    pub party_labelled: usize,
    pub party_correct: usize,
    pub non_party_found: usize,
    pub non_party_labelled: usize,
    pub non_party_correct: usize,
    pub non_meeting: usize,
    pub non_meeting_recognised: usize,
    pub kind_exact: usize,
    pub dated_matches: usize,
    pub date_agrees: usize,
    pub venue_agrees: usize,
    pub review_expected: usize,
    pub review_given: usize,
}

fn ratio(a: usize, b: usize) -> String {
    if b == 0 { "-".into() } else { format!("{:.3}", a as f64 / b as f64) }
}

impl Scores {
    pub fn party_precision(&self) -> f64 {
        self.party_correct as f64 / self.party_found.max(1) as f64
    }
}

/// Scores over the items `keep` selects.
pub fn score(results: &[ItemResult], labels: &Labels, keep: impl Fn(&str) -> bool) -> Scores {
    let mut s = Scores::default();
    for r in results.iter().filter(|r| keep(&r.news_id)) {
        s.items += 1;
        let gold: Vec<&Label> = labels.contacts.iter().filter(|l| l.news_id == r.news_id).collect();
        // Party contacts: (item, id).
        let gold_ids: BTreeMap<i64, &Label> =
            gold.iter().filter(|l| l.kind == PartnerKind::Party).filter_map(|l| Some((l.partyfacts_id?, *l))).collect();
        s.party_labelled += gold_ids.len();
        let mut seen: BTreeSet<i64> = BTreeSet::new();
        for c in r.contacts.iter().filter(|c| c.partner_kind == PartnerKind::Party) {
            for id in &c.partyfacts_ids {
                if !seen.insert(*id) {
                    continue;
                }
                s.party_found += 1;
                if let Some(l) = gold_ids.get(id) {
                    s.party_correct += 1;
                    agree(&mut s, c, l);
                }
            }
        }
        // Non-party contacts: (item, country), each label once.
        let mut open: Vec<&Label> = gold.iter().filter(|l| l.kind == PartnerKind::NonParty).copied().collect();
        s.non_party_labelled += open.len();
        for c in r.contacts.iter().filter(|c| c.partner_kind == PartnerKind::NonParty) {
            s.non_party_found += 1;
            if let Some(i) = open.iter().position(|l| l.iso3 == c.iso3.as_str()) {
                s.non_party_correct += 1;
                agree(&mut s, c, open.remove(i));
            }
        }
        if let Some(kind) = labels.kinds.get(&r.news_id) {
            if *kind != ItemKind::Meeting {
                s.non_meeting += 1;
                s.non_meeting_recognised += usize::from(r.kind != ItemKind::Meeting);
            }
            s.kind_exact += usize::from(r.kind == *kind);
        }
        if labels.expect_review.contains(&r.news_id) {
            s.review_expected += 1;
            s.review_given += usize::from(!r.reviews.is_empty());
        }
    }
    s
}

fn agree(s: &mut Scores, c: &super::Contact, l: &Label) {
    if l.date.is_empty() {
        return;
    }
    s.dated_matches += 1;
    s.date_agrees += usize::from(c.date.to_string() == l.date && c.date_precision.as_str() == l.precision);
    s.venue_agrees += usize::from(c.venue.as_str() == l.venue);
}

/// The report's table: one row per set of items.
pub fn render(rows: &[(String, Scores)]) -> String {
    let mut out = String::new();
    out.push_str(
        "| items | party contacts found | labelled | correct | precision | recall | non-party found | labelled | correct | precision | recall | non-meeting items recognised | item kind exact | date agreement | venue agreement | expected reviews given |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (name, s) in rows {
        let _ = writeln!(
            out,
            "| {name} ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.items,
            s.party_found,
            s.party_labelled,
            s.party_correct,
            ratio(s.party_correct, s.party_found),
            ratio(s.party_correct, s.party_labelled),
            s.non_party_found,
            s.non_party_labelled,
            s.non_party_correct,
            ratio(s.non_party_correct, s.non_party_found),
            ratio(s.non_party_correct, s.non_party_labelled),
            ratio(s.non_meeting_recognised, s.non_meeting),
            ratio(s.kind_exact, s.items),
            ratio(s.date_agrees, s.dated_matches),
            ratio(s.venue_agrees, s.dated_matches),
            ratio(s.review_given, s.review_expected),
        );
    }
    out
}

/// Whether a fixture id ("t0042") is even: the half the rules were developed on.
pub fn even_id(news_id: &str) -> bool {
    news_id.trim_start_matches(|c: char| !c.is_ascii_digit()).parse::<u64>().is_ok_and(|n| n % 2 == 0)
}

const INTRO: &str = "
## Extraction from news items

`partylink extract` on the labelled news items of `tests/fixtures/news` (invented items in the
style of the CPC International Department's English news, labelled by hand; see the README
there for the rules the labels follow), with the registry of the names-seen setting above as
gazetteer and resolver.

- **Party contacts**: (item, Party Facts id), the ids the resolver gives the partners the
  extractor writes, against the labelled ids. Labelled parties without an id (named only by
  their country, or missing from Party Facts) are review cases, counted in the last column.
- **Non-party contacts**: (item, country), each label matched once.
- **Non-meeting items recognised**: congratulations, condolences, other messages and other
  items that are not taken for meetings; **item kind exact**: items whose kind is the label's.
- **Date** and **venue agreement**: among the contacts found that match a label with a date,
  the same day and precision, and the same venue (an empty one agreeing with an empty one).
- **Expected reviews given**: items the labels expect a person to look at (a party named only
  as \"the ruling party\", a name that fits two parties, an undatable meeting...) that have a
  row in `extract_review.csv`.

The rules were developed on the items with even ids; the odd ones were held out, and their row
is the estimate for items the rules have not seen. Two fixes were since made on errors seen in
held-out items (t0009: \"Movement for\" taken for a Latvian party inside \"the Movement for
Multi-party Democracy\"; t0061: a country's possessive, \"Germany's\", not read as the country),
so the held-out row is now a little optimistic. Items t0115 to t0120 were added later, each the
case of a rule mended on errors seen in the corpora written blind (below): a visit still to come
(\"is scheduled to hold talks with\"), a joint statement that \"calls on\" governments, a
party's youth wing and a common word that begins another body's name (\"the National
Commission of ...\"), a country another name claims (\"the People's Action Party of Singapore,
the United Malays National Organisation\"), two days in one sentence and \"the next day\", days
of a visit (\"from June 3 to 6\": the month), \"had talks\", and a visit bounded by its month in
a sentence before its meetings.

The last rows are corpora written blind, in the same layout and labelled by the same rules,
each by a writer who had not read the extractor's rules (see their READMEs). A corpus's first
measurement is the estimate for items the rules have not seen:

| corpus | measured | party precision | party recall | non-party precision | non-party recall | non-meeting items recognised | item kind exact | date agreement | venue agreement |
|---|---|---|---|---|---|---|---|---|---|
| `tests/fixtures/news_holdout` (48 items) | when written | 0.952 | 0.870 | 0.917 | 1.000 | 1.000 | 0.979 | 0.980 | 1.000 |
| `tests/fixtures/news_holdout_2` (60 items) | when written, before any rule changed | 0.867 | 0.912 | 0.917 | 0.917 | 0.778 | 0.917 | 0.889 | 1.000 |

Both were then read for their errors, and the rules above were mended where an error was of a
general kind; their rows below are therefore optimistic, and the next honest estimate needs a
new corpus written blind. What they still get wrong is mostly the resolver's to decide: names
that fit two Party Facts parties of one country (\"Perú Posible\", \"Serbian Progressive
Party\", \"Ennahda Movement\", the Orange Democratic Movement beside ODM-Kenya), parties named
only by their country, and parties founded after Party Facts' last update.

";

/// The evaluation report's section: the intro, then all items, the development half and the
/// held-out half of the corpus the rules were written on, and each corpus written blind (named
/// by its folder).
pub fn section(corpus: (Vec<ItemResult>, Labels), blind: Vec<(String, Vec<ItemResult>, Labels)>) -> String {
    let (results, labels) = &corpus;
    let mut rows = vec![
        ("all".to_string(), score(results, labels, |_| true)),
        ("development: even ids".to_string(), score(results, labels, even_id)),
        ("held out: odd ids".to_string(), score(results, labels, |id| !even_id(id))),
    ];
    for (name, results, labels) in &blind {
        rows.push((format!("written blind: {name}"), score(results, labels, |_| true)));
    }
    format!("{INTRO}{}", render(&rows))
}
