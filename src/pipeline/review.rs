//! `partylink review`: a run's review queue as an overrides file to edit. One row per name to
//! decide and candidate party, with what tells the candidates apart (their years, other names
//! and DPI labels) and the contacts the row would decide.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use arrow::array::{Array, RecordBatch};
use arrow::util::display::array_value_to_string;

use super::{Inputs, load};
use crate::enrich;
use crate::report::{known_outputs, manifest};
use crate::resolve::{Registry, ResolverConfig};
use crate::shared::batch::BatchBuilder;
use crate::shared::normalize::fold;

/// Lists longer than this are cut, with how many more there are.
const LIST: usize = 12;

/// One name the review queue lists: its country, the partner as first written, its contacts.
struct Name {
    iso3: String,
    partner: String,
    reason: String,
    years: (Option<i64>, Option<i64>),
    contacts: Vec<String>,
    /// Each candidate party once, with its name and best score, best first.
    candidates: Vec<(i64, String, f64)>,
}

/// The overrides to edit, and what they cover.
pub struct Review {
    pub table: RecordBatch,
    /// Names to decide, and the contacts they stand for.
    pub names: usize,
    pub contacts: usize,
    /// Contacts sent to review for their country: no override can decide those.
    pub no_country: usize,
}

/// Reads the review queue of the run's folder `run` (checked against its manifest), and the
/// sources, whose registry describes each candidate.
pub async fn review(run: &Path, inputs: &Inputs, config: ResolverConfig) -> Result<Review> {
    let folder = manifest::verify(run, &known_outputs())?;
    let ctx = enrich::create_context();
    let tables = enrich::register_outputs(&ctx, run, &folder.outputs).await?;
    if !tables.iter().any(|t| t == "review_queue") {
        anyhow::bail!("{}: no review_queue, so not a run's or a resolve's folder", run.display());
    }
    let candidates = (1..=3)
        .map(|k| {
            format!(
                "cast(candidate_{k}_id as bigint) as id_{k}, cast(candidate_{k}_name as varchar) as name_{k}, \
                 cast(candidate_{k}_score as double) as score_{k}"
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let queue = enrich::query(
        &ctx,
        &format!(
            "select cast(contact_id as varchar) as contact_id, cast(iso3 as varchar) as iso3, \
             cast(partner as varchar) as partner, cast(review_reason as varchar) as review_reason, \
             cast(date_part('year', cast(date as date)) as bigint) as year, {candidates} \
             from review_queue order by source_row"
        ),
    )
    .await?;
    let (names, no_country) = names(&queue);
    let loaded = load(inputs, config).await?;
    let contacts = names.iter().map(|n| n.contacts.len()).sum();
    Ok(Review { table: table(&names, &loaded.registry)?, names: names.len(), contacts, no_country })
}

/// The queue's contacts gathered by country and name (folded), most contacts first.
fn names(queue: &RecordBatch) -> (Vec<Name>, usize) {
    let mut by_name: BTreeMap<(String, String), Name> = BTreeMap::new();
    let mut no_country = 0;
    for row in 0..queue.num_rows() {
        let get = |column: &str| cell(queue, column, row);
        let Some(iso3) = get("iso3") else {
            no_country += 1;
            continue;
        };
        let partner = get("partner").unwrap_or_default();
        let name = by_name.entry((iso3.clone(), fold(&partner))).or_insert_with(|| Name {
            iso3,
            partner,
            reason: get("review_reason").unwrap_or_default(),
            years: (None, None),
            contacts: Vec::new(),
            candidates: Vec::new(),
        });
        name.contacts.push(get("contact_id").unwrap_or_default());
        if let Some(year) = get("year").and_then(|y| y.parse::<i64>().ok()) {
            name.years =
                (Some(name.years.0.map_or(year, |f| f.min(year))), Some(name.years.1.map_or(year, |l| l.max(year))));
        }
        for k in 1..=3 {
            let (Some(id), Some(party)) = (get(&format!("id_{k}")), get(&format!("name_{k}"))) else { continue };
            let Ok(id) = id.parse::<i64>() else { continue };
            let score = get(&format!("score_{k}")).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
            match name.candidates.iter_mut().find(|c| c.0 == id) {
                Some(known) if score > known.2 => *known = (id, party, score),
                Some(_) => {}
                None => name.candidates.push((id, party, score)),
            }
        }
    }
    let mut names: Vec<Name> = by_name.into_values().collect();
    for name in &mut names {
        name.candidates.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    }
    names.sort_by(|a, b| {
        b.contacts.len().cmp(&a.contacts.len()).then((&a.iso3, &a.partner).cmp(&(&b.iso3, &b.partner)))
    });
    (names, no_country)
}

/// The overrides file: per name, a row per candidate (or one row with no party where there
/// is none), its decision left to the reviewer.
fn table(names: &[Name], registry: &Registry) -> Result<RecordBatch> {
    struct Row<'a> {
        name: &'a Name,
        candidate: Option<(usize, &'a (i64, String, f64))>,
        profile: Option<crate::resolve::registry::PartyProfile>,
    }
    let mut rows = Vec::new();
    for name in names {
        if name.candidates.is_empty() {
            rows.push(Row { name, candidate: None, profile: None });
        }
        for (rank, candidate) in name.candidates.iter().enumerate() {
            let profile = registry.party_profile(&name.iso3, candidate.0, &candidate.1);
            rows.push(Row { name, candidate: Some((rank, candidate)), profile: Some(profile) });
        }
    }
    let texts = |f: &dyn Fn(&Row) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    let year = |y: Option<i64>| y.map(|y| y.to_string());
    let columns: Vec<(&str, Vec<Option<String>>)> = vec![
        ("country", texts(&|r| Some(r.name.iso3.clone()))),
        ("name", texts(&|r| Some(r.name.partner.clone()))),
        ("year_first", texts(&|r| year(r.name.years.0))),
        ("year_last", texts(&|r| year(r.name.years.1))),
        ("partyfacts_id", texts(&|r| r.candidate.map(|(_, c)| c.0.to_string()))),
        ("decided_by", texts(&|_| None)),
        ("reason", texts(&|_| None)),
        ("candidate", texts(&|r| r.candidate.map(|(k, _)| format!("{} of {}", k + 1, r.name.candidates.len())))),
        ("score", texts(&|r| r.candidate.map(|(_, c)| format!("{:.4}", c.2)))),
        ("party_name", texts(&|r| r.candidate.map(|(_, c)| c.1.clone()))),
        ("party_years", texts(&|r| r.profile.as_ref().map(|p| p.years.clone()))),
        ("other_names", texts(&|r| r.profile.as_ref().map(|p| list(&p.names)))),
        ("dpi_names", texts(&|r| r.profile.as_ref().map(|p| list(&p.dpi_names)))),
        ("contacts", texts(&|r| Some(r.name.contacts.len().to_string()))),
        ("contact_ids", texts(&|r| Some(list(&r.name.contacts)))),
        ("review_reason", texts(&|r| Some(r.name.reason.clone()))),
    ];
    let mut builder = BatchBuilder::new();
    for (column, values) in &columns {
        builder = builder.utf8(column, values.iter().map(|v| v.as_deref()));
    }
    builder.build()
}

/// A list as one cell: "a; b; c", cut after [`LIST`] items with how many more there are.
fn list(items: &[String]) -> String {
    match items.len() {
        n if n > LIST => format!("{}; and {} more", items[..LIST].join("; "), n - LIST),
        _ => items.join("; "),
    }
}

/// The text of a cell, None for a null or an empty text.
fn cell(batch: &RecordBatch, column: &str, row: usize) -> Option<String> {
    let array = batch.column_by_name(column)?;
    if array.is_null(row) {
        return None;
    }
    array_value_to_string(array, row).ok().filter(|s| !s.is_empty())
}
