//! A whole run: load the sources, run the source stages, resolve the contacts, run the contact
//! stages, and hand back the output tables.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{Array, AsArray, RecordBatch, UInt32Array};
use arrow::datatypes::{Int32Type, Int64Type};
use datafusion::execution::context::SessionContext;

use crate::batch::{BatchBuilder, year_of};
use crate::country::Countries;
use crate::dpi_links;
use crate::enrich::{self, CONTACT_STAGES, LINK_STAGES, SOURCE_STAGES};
use crate::load::Sources;
use crate::read::contacts::{Contact, Contacts};
use crate::reference::Reference;
use crate::registry::{self, DpiLink};
use crate::report::{Output, RUN_OUTPUTS};
use crate::resolve::{Registry, Resolution, ResolverConfig};

/// The tables a run writes.
pub struct RunOutput {
    /// Each output with its rows, in [`RUN_OUTPUTS`] order; enriched_contacts carries the
    /// input's pass-through columns.
    pub tables: Vec<(Output, RecordBatch)>,
    /// Input rows by outcome (matched, non_party, not_a_party, review_party, review_country).
    pub outcomes: BTreeMap<&'static str, usize>,
}

/// Registers the sources and runs the stages that need only them. Returns the context and the
/// name registry the resolver searches.
pub async fn prepare(
    sources: &Sources,
    reference: &Reference,
    config: ResolverConfig,
) -> Result<(SessionContext, Registry)> {
    let ctx = enrich::create_context();
    for (name, batch) in sources.tables(reference)? {
        enrich::register(&ctx, name, batch)?;
    }
    enrich::run_stages(&ctx, SOURCE_STAGES).await?;
    // Names from Party Facts and the import's links first; with them, the resolver links the
    // DPI parties the import lacks; then the registry is built again with every link.
    let import_links = dpi_links(&ctx, "int_dpi_import_links").await?;
    let first = registry::build(sources, reference, &import_links, config);
    let resolved = dpi_links::resolve_unlinked(&ctx, &first, &reference.countries).await?;
    enrich::register(&ctx, "dpi_resolver_links", dpi_links::table(&resolved)?)?;
    enrich::run_stages(&ctx, LINK_STAGES).await?;
    let all_links = dpi_links(&ctx, "int_dpi_parties_linked").await?;
    Ok((ctx, registry::build(sources, reference, &all_links, config)))
}

/// The linked DPI parties of a table with iso3, year, dpi_party and partyfacts_id.
pub async fn dpi_links(ctx: &SessionContext, table: &str) -> Result<Vec<DpiLink>> {
    let sql = format!("select iso3, year, dpi_party, partyfacts_id from {table} where partyfacts_id is not null");
    let links = enrich::query(ctx, &sql).await?;
    let (iso3, year, party, id) = (
        links.column(0).as_string::<i32>(),
        links.column(1).as_primitive::<Int32Type>(),
        links.column(2).as_string::<i32>(),
        links.column(3).as_primitive::<Int64Type>(),
    );
    Ok(registry::collapse_links(
        (0..links.num_rows())
            .map(|i| (iso3.value(i).to_string(), year.value(i), party.value(i).to_string(), id.value(i))),
    ))
}

/// Resolves, enriches and reports one contacts file.
pub async fn run(
    ctx: &SessionContext,
    registry: &Registry,
    countries: &Countries,
    contacts: &Contacts,
    settings: &RunSettings,
) -> Result<RunOutput> {
    let outcomes = register_resolved(ctx, registry, countries, contacts)?;
    enrich::register(ctx, "run_settings", settings.table()?)?;
    enrich::run_stages(ctx, CONTACT_STAGES).await?;
    let mut tables = Vec::with_capacity(RUN_OUTPUTS.len());
    for output in RUN_OUTPUTS {
        let mut batch = enrich::table(ctx, output.table).await?;
        if output.table == "enriched_contacts" {
            batch = with_pass_through(batch, contacts)?;
        }
        tables.push((*output, batch));
    }
    Ok(RunOutput { tables, outcomes })
}

/// Settings the SQL stages read from the one-row table `run_settings`.
#[derive(Debug, Clone, Copy)]
pub struct RunSettings {
    /// Rows of one party this many days apart or less are one interaction.
    pub interaction_window_days: i32,
}

impl RunSettings {
    fn table(&self) -> Result<RecordBatch> {
        BatchBuilder::new().int32("interaction_window_days", [Some(self.interaction_window_days)]).build()
    }
}

/// Resolves the contacts and registers them as `contacts_resolved`; returns the input rows by outcome.
pub fn register_resolved(
    ctx: &SessionContext,
    registry: &Registry,
    countries: &Countries,
    contacts: &Contacts,
) -> Result<BTreeMap<&'static str, usize>> {
    let resolved = resolve_contacts(registry, countries, &contacts.contacts);
    let mut outcomes = BTreeMap::new();
    for r in &resolved {
        *outcomes.entry(r.outcome).or_insert(0) += 1;
    }
    enrich::register(ctx, "contacts_resolved", resolved_table(&contacts.contacts, &resolved)?)?;
    Ok(outcomes)
}

/// What resolution decided for one contact.
#[derive(Debug, Clone)]
pub struct ContactResolution {
    pub iso3: Option<String>,
    /// matched, non_party, not_a_party, review_party or review_country.
    pub outcome: &'static str,
    pub party: Option<Arc<Resolution>>,
}

/// Resolves every contact. Each distinct (country, partner) is scored once, and each distinct
/// (country, year, partner) decided once from that score.
pub fn resolve_contacts(registry: &Registry, countries: &Countries, contacts: &[Contact]) -> Vec<ContactResolution> {
    let mut scores: HashMap<(String, &str), Arc<crate::resolve::Scored>> = HashMap::new();
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
                .or_insert_with(|| {
                    let scored = scores
                        .entry((code.clone(), c.partner.as_str()))
                        .or_insert_with(|| Arc::new(registry.score(countries, &code, &c.partner)));
                    Arc::new(registry.resolve_scored(countries, &code, year, &c.partner, scored))
                })
                .clone();
            ContactResolution { iso3, outcome: party.outcome, party: Some(party) }
        })
        .collect()
}

/// One row per contact and party: a contact naming two parties gives two rows; a contact with
/// no party (non-party, not a party, to review) gives one.
fn resolved_table(contacts: &[Contact], resolved: &[ContactResolution]) -> Result<RecordBatch> {
    // (contact index, match index or None)
    let mut rows: Vec<(usize, Option<usize>)> = Vec::with_capacity(contacts.len());
    for (i, r) in resolved.iter().enumerate() {
        match r.party.as_deref().map(|p| p.matches.len()).unwrap_or(0) {
            0 => rows.push((i, None)),
            n => rows.extend((0..n).map(|k| (i, Some(k)))),
        }
    }
    let contact = |row: &(usize, Option<usize>)| &contacts[row.0];
    let resolution = |row: &(usize, Option<usize>)| resolved[row.0].party.as_deref();
    let matched = |row: &(usize, Option<usize>)| row.1.and_then(|k| resolution(row).map(|p| &p.matches[k]));
    let reason = |row: &(usize, Option<usize>)| match resolved[row.0].outcome {
        "review_country" => Some("country not in reference/countries.csv"),
        "matched" | "non_party" => None,
        _ => resolution(row).map(|p| p.reason.as_str()),
    };
    // Candidates are listed for what goes to review only.
    let candidates: Vec<&[crate::resolve::Candidate]> = rows
        .iter()
        .map(|r| resolution(r).filter(|p| p.outcome == "review_party").map_or(&[][..], |p| p.candidates.as_slice()))
        .collect();
    BatchBuilder::new()
        .utf8("contact_id", rows.iter().map(|r| Some(contact(r).contact_id.as_str())))
        .int32("party_seq", rows.iter().map(|r| Some(r.1.map_or(1, |k| k as i32 + 1))))
        .int32("parties_in_contact", rows.iter().map(|r| Some(resolution(r).map_or(0, |p| p.matches.len() as i32))))
        .int64("source_row", rows.iter().map(|r| Some(contact(r).row as i64)))
        .date32("date", rows.iter().map(|r| Some(contact(r).date)))
        .int32("year", rows.iter().map(|r| Some(year_of(contact(r).date))))
        .utf8("country", rows.iter().map(|r| Some(contact(r).country.as_str())))
        .utf8("iso3", rows.iter().map(|r| resolved[r.0].iso3.as_deref()))
        .utf8("partner", rows.iter().map(|r| Some(contact(r).partner.as_str())))
        .utf8("partner_part", rows.iter().map(|r| matched(r).map(|m| m.written.as_str())))
        .utf8("partner_kind", rows.iter().map(|r| Some(contact(r).partner_kind.as_str())))
        .utf8("venue", rows.iter().map(|r| contact(r).venue.as_deref()))
        .utf8("news_id", rows.iter().map(|r| contact(r).news_id.as_deref()))
        .utf8("visit_id", rows.iter().map(|r| contact(r).visit_id.as_deref()))
        .utf8("outcome", rows.iter().map(|r| Some(resolved[r.0].outcome)))
        .int64("partyfacts_id", rows.iter().map(|r| matched(r).map(|m| m.partyfacts_id)))
        .utf8("match_method", rows.iter().map(|r| matched(r).map(|m| m.method)))
        .float64("match_score", rows.iter().map(|r| matched(r).map(|m| m.score)))
        .utf8("matched_name", rows.iter().map(|r| matched(r).map(|m| m.matched_name.as_str())))
        .utf8("review_reason", rows.iter().map(reason))
        .candidates(&candidates)
        .build()
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
