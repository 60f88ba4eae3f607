//! The extractor's outputs as Arrow tables: the contacts (`partylink run --contacts` reads them
//! as they are), the review list, one row per item, and the accounting by item kind.

use std::sync::Arc;

use anyhow::Result;
use arrow::array::{ArrayRef, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{Field, Schema};
use chrono::NaiveDate;

use super::{ItemKind, ItemResult};

/// The columns of `extracted_contacts`: the contacts format, then the evidence.
pub const CONTACT_COLUMNS: [&str; 14] = [
    "contact_id",
    "date",
    "country",
    "partner",
    "venue",
    "partner_kind",
    "news_id",
    "item_kind",
    "sentence",
    "span_start",
    "span_end",
    "rule",
    "confidence",
    "date_precision",
];

fn days(d: NaiveDate) -> i32 {
    (d - NaiveDate::default()).num_days() as i32
}

fn text<'a>(values: impl Iterator<Item = &'a str>) -> ArrayRef {
    Arc::new(values.map(Some).collect::<StringArray>())
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> Result<RecordBatch> {
    let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns.into_iter().map(|(_, a)| a).collect())?)
}

pub fn contacts(results: &[ItemResult]) -> Result<RecordBatch> {
    let c: Vec<&super::Contact> = results.iter().flat_map(|r| &r.contacts).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("contact_id", text(c.iter().map(|c| c.contact_id.as_str()))),
        ("date", Arc::new(Date32Array::from(c.iter().map(|c| days(c.date)).collect::<Vec<_>>()))),
        ("country", text(c.iter().map(|c| c.country.as_str()))),
        ("partner", text(c.iter().map(|c| c.partner.as_str()))),
        (
            "venue",
            Arc::new(c.iter().map(|c| Some(c.venue.as_str()).filter(|v| !v.is_empty())).collect::<StringArray>()),
        ),
        ("partner_kind", text(c.iter().map(|c| c.partner_kind.as_str()))),
        ("news_id", text(c.iter().map(|c| c.news_id.as_str()))),
        ("item_kind", text(c.iter().map(|c| c.item_kind.as_str()))),
        ("sentence", text(c.iter().map(|c| c.sentence.as_str()))),
        ("span_start", Arc::new(Int64Array::from(c.iter().map(|c| c.span_start as i64).collect::<Vec<_>>()))),
        ("span_end", Arc::new(Int64Array::from(c.iter().map(|c| c.span_end as i64).collect::<Vec<_>>()))),
        ("rule", text(c.iter().map(|c| c.rule.as_str()))),
        ("confidence", Arc::new(Float64Array::from(c.iter().map(|c| c.confidence).collect::<Vec<_>>()))),
        ("date_precision", text(c.iter().map(|c| c.date_precision.as_str()))),
    ];
    debug_assert_eq!(columns.iter().map(|(n, _)| *n).collect::<Vec<_>>(), CONTACT_COLUMNS);
    batch(columns)
}

pub fn reviews(results: &[ItemResult]) -> Result<RecordBatch> {
    let r: Vec<&super::Review> = results.iter().flat_map(|r| &r.reviews).collect();
    batch(vec![
        ("news_id", text(r.iter().map(|r| r.news_id.as_str()))),
        ("item_kind", text(r.iter().map(|r| r.item_kind.as_str()))),
        ("reason", text(r.iter().map(|r| r.reason.as_str()))),
        ("partner", text(r.iter().map(|r| r.partner.as_str()))),
        ("country", text(r.iter().map(|r| r.country.as_str()))),
        ("date", Arc::new(Date32Array::from(r.iter().map(|r| r.date.map(days)).collect::<Vec<_>>()))),
        ("sentence", text(r.iter().map(|r| r.sentence.as_str()))),
    ])
}

/// One row per item: where it was read, its kind, what it gave.
pub fn items(results: &[ItemResult]) -> Result<RecordBatch> {
    batch(vec![
        ("news_id", text(results.iter().map(|r| r.news_id.as_str()))),
        ("origin", text(results.iter().map(|r| r.origin.as_str()))),
        ("item_kind", text(results.iter().map(|r| r.kind.as_str()))),
        ("contacts", Arc::new(Int64Array::from(results.iter().map(|r| r.contacts.len() as i64).collect::<Vec<_>>()))),
        ("review_rows", Arc::new(Int64Array::from(results.iter().map(|r| r.reviews.len() as i64).collect::<Vec<_>>()))),
    ])
}

/// Items, contacts and review rows by item kind, with a total: every item counted once.
pub fn accounting(results: &[ItemResult]) -> Result<RecordBatch> {
    let mut rows: Vec<(String, [i64; 5])> = Vec::new();
    let mut total = [0i64; 5];
    for kind in ItemKind::ALL {
        let mut n = [0i64; 5];
        for r in results.iter().filter(|r| r.kind == kind) {
            n[0] += 1;
            n[1] += r.contacts.len() as i64;
            n[2] += r.contacts.iter().filter(|c| c.partner_kind == super::partners::PartnerKind::Party).count() as i64;
            n[3] +=
                r.contacts.iter().filter(|c| c.partner_kind == super::partners::PartnerKind::NonParty).count() as i64;
            n[4] += r.reviews.len() as i64;
        }
        for (t, x) in total.iter_mut().zip(n) {
            *t += x;
        }
        rows.push((kind.as_str().to_string(), n));
    }
    rows.push(("all".into(), total));
    let column =
        |k: usize| -> ArrayRef { Arc::new(Int64Array::from(rows.iter().map(|(_, n)| n[k]).collect::<Vec<_>>())) };
    batch(vec![
        ("item_kind", text(rows.iter().map(|(k, _)| k.as_str()))),
        ("items", column(0)),
        ("contacts", column(1)),
        ("party_contacts", column(2)),
        ("non_party_contacts", column(3)),
        ("review_rows", column(4)),
    ])
}

/// "114 items (94 meeting, 7 congratulation, ...): 127 contacts, 20 to review".
pub fn summary(results: &[ItemResult]) -> String {
    let kinds: Vec<String> = ItemKind::ALL
        .iter()
        .map(|k| (k, results.iter().filter(|r| r.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    let contacts: usize = results.iter().map(|r| r.contacts.len()).sum();
    let reviews: usize = results.iter().map(|r| r.reviews.len()).sum();
    format!("{} items ({}): {contacts} contacts, {reviews} to review", results.len(), kinds.join(", "))
}
