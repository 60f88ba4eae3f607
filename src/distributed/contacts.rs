//! A `--cluster` run's contacts on the cluster: their distinct keys found there, and each row
//! joined to its decision there, so that the driver resolves the distinct contacts only.
//!
//! The driver shares the contacts it read and checked (`contact_input`: their own columns and
//! the input's extra columns, no decision), the countries as written that it knows
//! (`contact_countries`) and ParlGov's terms of office by year (`cabinet_terms`). The cluster
//! groups the rows by (country as written, year, partner as written, kind, cabinet in office on
//! the date), the key a local run decides on, and hands back each group's first row and count;
//! the driver decides them ([`ContactDecisions::of_distinct`]) and shares `contact_decisions`;
//! the cluster joins every row to its decision by the same key and writes `contact_rows` as a
//! local run registers it.

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Field, Int32Type, Int64Type, Schema};
use chrono::NaiveDate;
use datafusion::execution::context::SessionContext;

use super::stages::{WorkDir, share, write_and_register};
use super::{Resolver, enriched};
use crate::enrich;
use crate::load::cabinets::Cabinets;
use crate::load::read::contacts::Contacts;
use crate::resolve::contacts::{ContactDecisions, DistinctContact, RowKey, year_of_days};
use crate::shared::batch::{self, BatchBuilder};
use crate::shared::{parallel, timing};

/// A row's key parts beside it: its year, its country's ISO3 code (where known) and the
/// cabinet in office on its date (where ParlGov covers it), as [`ContactDecisions::split_by_cabinet`]
/// finds it.
const KEYED: &str = "contact_input c \
    left join contact_countries k on k.country = c.country \
    left join cabinet_terms t on t.iso3 = k.iso3 and t.year = cast(extract(year from c.date) as int) \
        and c.date between t.first_day and t.last_day";

/// Shares `contacts` with the cluster (and drops them), finds their distinct contacts there and
/// decides them here. Returns the decisions, each with its count of rows; [`join_decisions`]
/// then joins every row to its decision on the cluster.
pub(super) async fn resolve_on_cluster(
    ctx: &SessionContext,
    work: &WorkDir,
    resolver: Resolver<'_>,
    contacts: Contacts,
) -> Result<ContactDecisions> {
    let Resolver { registry, countries, cabinets } = resolver;
    {
        let _timer = timing::start(|| "the contacts as Parquet".into());
        let input = contact_input(&contacts)?;
        drop(contacts);
        let each = input.num_rows().div_ceil(parallel::threads());
        share(ctx, work, "contact_input", &batch::slices(&input, each)).await?;
        share(ctx, work, "cabinet_terms", &[cabinet_terms(cabinets)?]).await?;
    }
    {
        let _timer = timing::start(|| "cluster: the countries as written".into());
        let written = enrich::query(ctx, "select distinct country from contact_input").await?;
        let written = utf8(written.column(0))?;
        let codes: Vec<(&str, String)> = (0..written.len())
            .filter_map(|i| countries.resolve(written.value(i)).map(|c| (written.value(i), c.iso3.clone())))
            .collect();
        let table = BatchBuilder::new()
            .utf8("country", codes.iter().map(|(w, _)| Some(*w)))
            .utf8("iso3", codes.iter().map(|(_, c)| Some(c.as_str())))
            .build()?;
        share(ctx, work, "contact_countries", &[table]).await?;
    }
    let found = {
        let _timer = timing::start(|| "cluster: the distinct contacts".into());
        enrich::query(
            ctx,
            &format!(
                "select c.country, cast(extract(year from c.date) as int) as year, c.partner, c.partner_kind, \
                 t.cabinet_id, min(c.source_row) as first_row, count(*) as contacts from {KEYED} \
                 group by c.country, cast(extract(year from c.date) as int), c.partner, c.partner_kind, t.cabinet_id"
            ),
        )
        .await?
    };
    let decisions = {
        let _timer = timing::start(|| format!("resolving {} distinct contacts", found.num_rows()));
        let (country, partner, kind) = (utf8(found.column(0))?, utf8(found.column(2))?, utf8(found.column(3))?);
        let (year, cabinet) =
            (found.column(1).as_primitive::<Int32Type>(), found.column(4).as_primitive::<Int64Type>());
        let (first_row, count) =
            (found.column(5).as_primitive::<Int64Type>(), found.column(6).as_primitive::<Int64Type>());
        let distinct = (0..found.num_rows())
            .map(|i| DistinctContact {
                key: RowKey {
                    country: country.value(i),
                    year: year.value(i),
                    partner: partner.value(i),
                    non_party: kind.value(i) == "non_party",
                },
                cabinet_id: cabinet.is_valid(i).then(|| cabinet.value(i)),
                first_row: first_row.value(i),
                contacts: count.value(i) as usize,
            })
            .collect();
        ContactDecisions::of_distinct(registry, countries, distinct)
    };
    Ok(decisions)
}

/// Joins every row of `contact_input` to its decision in `contact_decisions` (shared by then)
/// on the cluster, and writes `contact_rows`: each contact's own columns, its decision, the
/// input's extra columns. Every one of the `contacts` rows must find its decision.
pub(super) async fn join_decisions(ctx: &SessionContext, work: &WorkDir, contacts: usize) -> Result<()> {
    let _timer = timing::start(|| "cluster: contact_rows".into());
    let input = ctx.table("contact_input").await?;
    let names: Vec<String> =
        input.schema().fields().iter().map(|f| format!("c.\"{}\"", f.name().replace('"', "\"\""))).collect();
    let own = enrich::contacts::CONTACT_COLUMNS.len();
    let columns: Vec<String> =
        names[..own].iter().cloned().chain(["d.decision".to_string()]).chain(names[own..].iter().cloned()).collect();
    let sql = format!(
        "select {} from {KEYED} join (select decision, country, year, partner, partner_kind, cabinet_id \
         from contact_decisions where party_seq = 1) d on d.country = c.country \
         and d.year = cast(extract(year from c.date) as int) and d.partner = c.partner \
         and d.partner_kind = c.partner_kind and coalesce(d.cabinet_id, -1) = coalesce(t.cabinet_id, -1)",
        columns.join(", ")
    );
    let frame = ctx.sql(&sql).await.context("joining the contacts to their decisions")?;
    write_and_register(ctx, work, "contact_rows", frame).await?;
    let rows = enrich::query(ctx, "select count(*) from contact_rows").await?;
    let rows = rows.column(0).as_primitive::<Int64Type>().value(0) as usize;
    if rows != contacts {
        bail!("the cluster joined {rows} of {contacts} contacts to their decisions: every contact has one decision");
    }
    Ok(())
}

/// The contacts' own columns (no decision yet) and the input's extra columns after them; an
/// extra column may not take the name of a column the run makes (an output's, or the slice
/// `enriched_contacts` is written by on the cluster).
fn contact_input(contacts: &Contacts) -> Result<RecordBatch> {
    let outputs: Vec<&str> = enrich::contacts::ENRICHED_COLUMNS.split_whitespace().chain(["decision"]).collect();
    enrich::contacts::refuse_taken_names(contacts, &outputs, "an output column")?;
    enrich::contacts::refuse_taken_names(contacts, &[enriched::SLICE], "a column a cluster run adds")?;
    let mut fields: Vec<Field> = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (name, column) in enrich::contacts::contact_columns(contacts) {
        // The cluster's stages read the contacts' texts as text.
        let plain = crate::shared::batch::unpacked_type(column.data_type());
        columns.push(arrow::compute::cast(&column, &plain)?);
        fields.push(Field::new(name, plain, true));
    }
    for (field, column) in contacts.extra.schema().fields().iter().zip(contacts.extra.columns()) {
        fields.push(field.as_ref().clone());
        columns.push(column.clone());
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)?)
}

/// ParlGov's terms of office cut at the years' ends: (iso3, year, first_day, last_day,
/// cabinet_id), so that a row finds its cabinet by an equal country and year and a date within.
fn cabinet_terms(cabinets: &Cabinets) -> Result<RecordBatch> {
    let day = |days: i32| NaiveDate::default() + chrono::Duration::days(i64::from(days));
    let mut rows: Vec<(&str, i32, NaiveDate, NaiveDate, i64)> = Vec::new();
    for (iso3, first, last, cabinet) in cabinets.terms() {
        for year in year_of_days(first)..=year_of_days(last) {
            let (starts, ends) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
            let (Some(starts), Some(ends)) = (starts, ends) else { continue };
            rows.push((iso3, year, day(first).max(starts), day(last).min(ends), cabinet));
        }
    }
    BatchBuilder::new()
        .utf8("iso3", rows.iter().map(|r| Some(r.0)))
        .int32("year", rows.iter().map(|r| Some(r.1)))
        .date32("first_day", rows.iter().map(|r| Some(r.2)))
        .date32("last_day", rows.iter().map(|r| Some(r.3)))
        .int64("cabinet_id", rows.iter().map(|r| Some(r.4)))
        .build()
}

/// A text column as Utf8, whichever string type the cluster's Parquet reader gave it.
fn utf8(column: &ArrayRef) -> Result<arrow::array::StringArray> {
    let text = arrow::compute::cast(column, &DataType::Utf8)?;
    Ok(text.as_string::<i32>().clone())
}
