//! A whole run: load the sources, run the source stages, resolve the contacts, run the contact
//! stages, and hand back the output tables.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{Array, AsArray, RecordBatch, UInt32Array};
use arrow::datatypes::{Int32Type, Int64Type};
use datafusion::execution::context::SessionContext;

use crate::batch::{BatchBuilder, year_of};
use crate::country::Countries;
use crate::enrich::{self, CONTACT_STAGES, SOURCE_STAGES};
use crate::load::Sources;
use crate::read::contacts::{Contact, Contacts};
use crate::registry::{self, DpiLink};
use crate::resolve::{Registry, Resolution};

/// The tables a run writes, by output name.
pub struct RunOutput {
    pub enriched_contacts: RecordBatch,
    pub power_by_regime: RecordBatch,
    pub review_queue: RecordBatch,
    pub accounting: RecordBatch,
    /// Input rows by outcome (matched, non_party, review_party, review_country).
    pub outcomes: std::collections::BTreeMap<&'static str, usize>,
}

/// Registers the sources and runs the stages that need only them. Returns the context and the
/// name registry the resolver searches.
pub async fn prepare(sources: &Sources, countries: &Countries) -> Result<(SessionContext, Registry)> {
    let ctx = enrich::create_context();
    for (name, batch) in sources.tables(countries)? {
        enrich::register(&ctx, name, batch)?;
    }
    enrich::run_stages(&ctx, SOURCE_STAGES).await?;
    let links = enrich::query(
        &ctx,
        "select iso3, year, dpi_party, partyfacts_id from int_dpi_parties_linked where partyfacts_id is not null",
    )
    .await?;
    let (iso3, year, party, id) =
        (links.column(0).as_string::<i32>(), links.column(1).as_primitive::<Int32Type>(), links.column(2).as_string::<i32>(), links.column(3).as_primitive::<Int64Type>());
    let links: Vec<DpiLink> = registry::collapse_links(
        (0..links.num_rows()).map(|i| (iso3.value(i).to_string(), year.value(i), party.value(i).to_string(), id.value(i))),
    );
    Ok((ctx, registry::build(sources, &links)))
}

/// Resolves, enriches and reports one contacts file.
pub async fn run(ctx: &SessionContext, registry: &Registry, countries: &Countries, contacts: &Contacts) -> Result<RunOutput> {
    let resolved = resolve_contacts(registry, countries, &contacts.contacts);
    let mut outcomes = std::collections::BTreeMap::new();
    for r in &resolved {
        *outcomes.entry(r.outcome).or_insert(0) += 1;
    }
    enrich::register(ctx, "contacts_resolved", resolved_table(&contacts.contacts, &resolved)?)?;
    enrich::run_stages(ctx, CONTACT_STAGES).await?;
    let enriched = enrich::table(ctx, "enriched_contacts").await?;
    Ok(RunOutput {
        enriched_contacts: with_pass_through(enriched, contacts)?,
        power_by_regime: enrich::table(ctx, "power_by_regime").await?,
        review_queue: enrich::table(ctx, "review_queue").await?,
        accounting: enrich::table(ctx, "accounting").await?,
        outcomes,
    })
}

/// What resolution decided for one contact.
#[derive(Debug, Clone)]
pub struct ContactResolution {
    pub iso3: Option<String>,
    /// matched, non_party, review_party or review_country.
    pub outcome: &'static str,
    pub party: Option<Arc<Resolution>>,
}

/// Resolves every contact; each distinct (country, year, partner) is resolved once.
pub fn resolve_contacts(registry: &Registry, countries: &Countries, contacts: &[Contact]) -> Vec<ContactResolution> {
    let mut cache: HashMap<(String, i32, &str), Arc<Resolution>> = HashMap::new();
    contacts
        .iter()
        .map(|c| {
            let iso3 = countries.resolve(&c.country).map(|k| k.iso3.clone());
            if c.partner_kind == "non_party" {
                return ContactResolution { iso3, outcome: "non_party", party: None };
            }
            let Some(code) = iso3.clone() else {
                return ContactResolution { iso3, outcome: "review_country", party: None };
            };
            let year = year_of(c.date);
            let party = cache
                .entry((code.clone(), year, c.partner.as_str()))
                .or_insert_with(|| Arc::new(registry.resolve(countries, &code, year, &c.partner)))
                .clone();
            let outcome = if party.partyfacts_id.is_some() { "matched" } else { "review_party" };
            ContactResolution { iso3, outcome, party: Some(party) }
        })
        .collect()
}

fn resolved_table(contacts: &[Contact], resolved: &[ContactResolution]) -> Result<RecordBatch> {
    let party = |i: usize| resolved[i].party.as_deref();
    let n = contacts.len();
    let candidate = |k: usize| move |i: usize| party(i).and_then(|p| p.candidates.get(k));
    let review_reason = |i: usize| match resolved[i].outcome {
        "review_country" => Some("country not in reference/countries.csv".to_string()),
        _ => party(i).and_then(|p| p.reason.clone()),
    };
    let reasons: Vec<Option<String>> = (0..n).map(review_reason).collect();
    let mut b = BatchBuilder::new()
        .utf8("contact_id", contacts.iter().map(|c| Some(c.contact_id.as_str())))
        .int64("source_row", contacts.iter().map(|c| Some(c.row as i64)))
        .date32("date", contacts.iter().map(|c| Some(c.date)))
        .int32("year", contacts.iter().map(|c| Some(year_of(c.date))))
        .utf8("country", contacts.iter().map(|c| Some(c.country.as_str())))
        .utf8("iso3", resolved.iter().map(|r| r.iso3.as_deref()))
        .utf8("partner", contacts.iter().map(|c| Some(c.partner.as_str())))
        .utf8("partner_kind", contacts.iter().map(|c| Some(c.partner_kind.as_str())))
        .utf8("venue", contacts.iter().map(|c| c.venue.as_deref()))
        .utf8("news_id", contacts.iter().map(|c| c.news_id.as_deref()))
        .utf8("outcome", resolved.iter().map(|r| Some(r.outcome)))
        .int64("partyfacts_id", (0..n).map(|i| party(i).and_then(|p| p.partyfacts_id)))
        .utf8("match_method", (0..n).map(|i| party(i).map(|p| p.method)))
        .float64("match_score", (0..n).map(|i| party(i).and_then(|p| p.score)))
        .utf8("matched_name", (0..n).map(|i| party(i).and_then(|p| p.matched_name.as_deref())))
        .utf8("review_reason", reasons.iter().map(|r| r.as_deref()));
    for k in 0..3 {
        let get = candidate(k);
        b = b
            .int64(&format!("candidate_{}_id", k + 1), (0..n).map(|i| get(i).map(|c| c.0)))
            .utf8(&format!("candidate_{}_name", k + 1), (0..n).map(|i| get(i).map(|c| c.1.as_str())))
            .float64(&format!("candidate_{}_score", k + 1), (0..n).map(|i| get(i).map(|c| c.2)));
    }
    b.build()
}

/// Appends the input's own extra columns to the enriched rows, matched by contact_id.
fn with_pass_through(enriched: RecordBatch, contacts: &Contacts) -> Result<RecordBatch> {
    if contacts.extra.num_columns() == 0 {
        return Ok(enriched);
    }
    let position: HashMap<&str, u32> =
        contacts.contacts.iter().enumerate().map(|(i, c)| (c.contact_id.as_str(), i as u32)).collect();
    let ids = enriched.column_by_name("contact_id").context("enriched_contacts has contact_id")?.as_string::<i32>();
    let take: UInt32Array = (0..ids.len()).map(|i| position.get(ids.value(i)).copied()).collect();
    let mut fields: Vec<_> = enriched.schema().fields().iter().cloned().collect();
    let mut columns = enriched.columns().to_vec();
    for (field, column) in contacts.extra.schema().fields().iter().zip(contacts.extra.columns()) {
        if enriched.schema().field_with_name(field.name()).is_ok() {
            anyhow::bail!(
                "{}: the input column {:?} has the name of an output column; rename it",
                contacts.file.display(),
                field.name()
            );
        }
        fields.push(field.clone());
        columns.push(arrow::compute::take(column.as_ref(), &take, None)?);
    }
    let schema = Arc::new(arrow::datatypes::Schema::new(fields));
    Ok(RecordBatch::try_new(schema, columns)?)
}

