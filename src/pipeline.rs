//! A whole run: load the sources, run the source stages, resolve the contacts, run the contact
//! stages, and hand back the output tables.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{Array, ArrayRef, AsArray, Int32Array, RecordBatch, UInt32Array};
use arrow::datatypes::{Field, Schema};
use arrow::datatypes::{Int32Type, Int64Type};
use chrono::Datelike;
use datafusion::execution::context::SessionContext;

use crate::batch::BatchBuilder;
use crate::cache::LinkCache;
use crate::country::Countries;
use crate::dpi_links;
use crate::enrich::{self, CONTACT_STAGES, LINK_STAGES, SOURCE_STAGES};
use crate::load::Sources;
use crate::read::contacts::Contacts;
use crate::reference::Reference;
use crate::registry::{self, DpiLink};
use crate::report::{Output, RUN_OUTPUTS};
use crate::resolve::{FastMap, Registry, Resolution, ResolverConfig};
use crate::timing;

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
    cache: &LinkCache,
) -> Result<(SessionContext, Registry)> {
    let ctx = enrich::create_context();
    for (name, batch) in sources.tables(reference)? {
        enrich::register(&ctx, name, batch)?;
    }
    enrich::run_stages(&ctx, SOURCE_STAGES).await?;
    // Names from Party Facts and the import's links first; with them, the resolver links the
    // DPI parties the import lacks (or the cache holds those links); then the registry is
    // built with every link.
    let resolver_links = match cache.load() {
        Some(table) => {
            let _timer = timing::start(|| "the DPI parties the import lacks, from the cache".into());
            table
        }
        None => {
            let import_links = dpi_links(&ctx, "int_dpi_import_links").await?;
            let first = {
                let _timer = timing::start(|| "name registry (import links)".into());
                registry::build(sources, reference, &import_links, config)
            };
            let _timer = timing::start(|| "resolving the DPI parties the import lacks".into());
            let table = dpi_links::table(&dpi_links::resolve_unlinked(&ctx, &first, &reference.countries).await?)?;
            cache.store(&table);
            table
        }
    };
    enrich::register(&ctx, "dpi_resolver_links", resolver_links)?;
    enrich::run_stages(&ctx, LINK_STAGES).await?;
    let all_links = dpi_links(&ctx, "int_dpi_parties_linked").await?;
    let _timer = timing::start(|| "name registry (all links)".into());
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
        let _timer = timing::start(|| format!("collecting {}", output.table));
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
    let resolved = {
        let _timer = timing::start(|| format!("resolving {} contacts", contacts.len()));
        resolve_contacts(registry, countries, contacts)
    };
    let mut outcomes = BTreeMap::new();
    let mut per_decision = vec![0usize; resolved.decisions.len()];
    for &d in &resolved.decision {
        per_decision[d as usize] += 1;
    }
    for (d, n) in resolved.decisions.iter().zip(per_decision) {
        *outcomes.entry(d.outcome).or_insert(0) += n;
    }
    let _timer = timing::start(|| "contacts_resolved table".into());
    enrich::register(ctx, "contacts_resolved", resolved_table(contacts, &resolved)?)?;
    Ok(outcomes)
}

/// What resolution decided for one distinct (country, year, partner).
#[derive(Debug, Clone)]
pub struct ContactResolution {
    pub iso3: Option<String>,
    /// matched, non_party, not_a_party, review_party or review_country.
    pub outcome: &'static str,
    pub party: Option<Arc<Resolution>>,
}

/// The decisions for the distinct contacts, and which one each contact got.
pub struct Resolved {
    /// Per contact, in input order: its index in `decisions`.
    pub decision: Vec<u32>,
    pub decisions: Vec<ContactResolution>,
}

/// A contact as resolution sees it: what it decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    /// A non-party partner, by country spelling.
    NonParty(u32),
    /// A party partner: country spelling, year, partner as written.
    Party(u32, i32, &'a str),
}

/// Resolves every contact: each distinct (country, year, partner) is decided once, and each
/// distinct (country, partner) scored once, however many rows repeat it. The distinct
/// partners are resolved on every core.
pub fn resolve_contacts(registry: &Registry, countries: &Countries, contacts: &Contacts) -> Resolved {
    let mut spellings: FastMap<&str, u32> = FastMap::default();
    let mut keys: FastMap<Key, u32> = FastMap::default();
    let mut distinct: Vec<Key> = Vec::new();
    let mut decision = Vec::with_capacity(contacts.len());
    for i in 0..contacts.len() {
        let next = spellings.len() as u32;
        let spelling = *spellings.entry(contacts.country.value(i)).or_insert(next);
        let key = if contacts.partner_kind.value(i) == "non_party" {
            Key::NonParty(spelling)
        } else {
            Key::Party(spelling, year_of_days(contacts.date.value(i)), contacts.partner.value(i))
        };
        let next = distinct.len() as u32;
        let d = *keys.entry(key).or_insert(next);
        if d == next {
            distinct.push(key);
        }
        decision.push(d);
    }
    let mut by_spelling: Vec<&str> = vec![""; spellings.len()];
    for (spelling, id) in spellings {
        by_spelling[id as usize] = spelling;
    }
    let iso3: Vec<Option<String>> = by_spelling.iter().map(|s| countries.resolve(s).map(|k| k.iso3.clone())).collect();

    // Group the party keys by (iso3, partner), so each group is scored once, on one thread.
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    let mut decisions: Vec<Option<ContactResolution>> = vec![None; distinct.len()];
    for (d, key) in distinct.iter().enumerate() {
        match *key {
            Key::NonParty(s) => {
                decisions[d] =
                    Some(ContactResolution { iso3: iso3[s as usize].clone(), outcome: "non_party", party: None })
            }
            Key::Party(s, _, partner) => match &iso3[s as usize] {
                None => decisions[d] = Some(ContactResolution { iso3: None, outcome: "review_country", party: None }),
                Some(code) => groups.entry((code.as_str(), partner)).or_default().push(d),
            },
        }
    }
    let groups: Vec<((&str, &str), Vec<usize>)> = groups.into_iter().collect();
    let resolved = crate::parallel::map(&groups, 16, |((code, partner), members)| {
        let scored = registry.score(countries, code, partner);
        members
            .iter()
            .map(|&d| {
                let Key::Party(_, year, _) = distinct[d] else { unreachable!("party keys only") };
                let party = Arc::new(registry.resolve_scored(countries, code, year, partner, &scored));
                (d, ContactResolution { iso3: Some(code.to_string()), outcome: party.outcome, party: Some(party) })
            })
            .collect::<Vec<_>>()
    });
    for (d, r) in resolved.into_iter().flatten() {
        decisions[d] = Some(r);
    }
    let decisions = decisions.into_iter().map(|d| d.expect("every distinct contact decided")).collect();
    Resolved { decision, decisions }
}

/// The calendar year of a Date32 value (days since 1970-01-01).
pub fn year_of_days(days: i32) -> i32 {
    const DAYS_FROM_CE_TO_EPOCH: i32 = 719_163;
    chrono::NaiveDate::from_num_days_from_ce_opt(days + DAYS_FROM_CE_TO_EPOCH).map_or(1970, |d| d.year())
}

/// One row per contact and party: a contact naming two parties gives two rows; a contact with
/// no party (non-party, not a party, to review) gives one. The per-decision columns are built
/// once per distinct decision and spread over the contacts with `take`.
fn resolved_table(contacts: &Contacts, resolved: &Resolved) -> Result<RecordBatch> {
    // Each decision's rows: one per matched party, at least one.
    let mut first_row = Vec::with_capacity(resolved.decisions.len());
    let mut rows: Vec<(usize, Option<usize>)> = Vec::new();
    for (d, r) in resolved.decisions.iter().enumerate() {
        first_row.push(rows.len() as u32);
        match r.party.as_deref().map_or(0, |p| p.matches.len()) {
            0 => rows.push((d, None)),
            n => rows.extend((0..n).map(|k| (d, Some(k)))),
        }
    }
    let width = |d: usize| resolved.decisions[d].party.as_deref().map_or(0, |p| p.matches.len()).max(1) as u32;
    let split = (0..resolved.decisions.len()).any(|d| width(d) > 1);
    // Per output row: the contact and the decision row.
    let (contact_rows, decision_rows): (Option<UInt32Array>, UInt32Array) = if split {
        let (mut c, mut r) = (Vec::new(), Vec::new());
        for (i, &d) in resolved.decision.iter().enumerate() {
            for k in 0..width(d as usize) {
                c.push(i as u32);
                r.push(first_row[d as usize] + k);
            }
        }
        (Some(c.into()), r.into())
    } else {
        (None, resolved.decision.iter().map(|&d| first_row[d as usize]).collect())
    };

    let decision = |row: &(usize, Option<usize>)| &resolved.decisions[row.0];
    let resolution = |row: &(usize, Option<usize>)| decision(row).party.as_deref();
    let matched = |row: &(usize, Option<usize>)| row.1.and_then(|k| resolution(row).map(|p| &p.matches[k]));
    let reason = |row: &(usize, Option<usize>)| match decision(row).outcome {
        "review_country" => Some("country not in reference/countries.csv"),
        "matched" | "non_party" => None,
        _ => resolution(row).map(|p| p.reason.as_str()),
    };
    // Candidates are listed for what goes to review only.
    let candidates: Vec<&[crate::resolve::Candidate]> = rows
        .iter()
        .map(|r| resolution(r).filter(|p| p.outcome == "review_party").map_or(&[][..], |p| p.candidates.as_slice()))
        .collect();
    let per_decision = BatchBuilder::new()
        .int32("party_seq", rows.iter().map(|r| Some(r.1.map_or(1, |k| k as i32 + 1))))
        .int32("parties_in_contact", rows.iter().map(|r| Some(resolution(r).map_or(0, |p| p.matches.len() as i32))))
        .utf8("iso3", rows.iter().map(|r| decision(r).iso3.as_deref()))
        .utf8("partner_part", rows.iter().map(|r| matched(r).map(|m| m.written.as_str())))
        .utf8("outcome", rows.iter().map(|r| Some(decision(r).outcome)))
        .int64("partyfacts_id", rows.iter().map(|r| matched(r).map(|m| m.partyfacts_id)))
        .utf8("match_method", rows.iter().map(|r| matched(r).map(|m| m.method)))
        .float64("match_score", rows.iter().map(|r| matched(r).map(|m| m.score)))
        .utf8("matched_name", rows.iter().map(|r| matched(r).map(|m| m.matched_name.as_str())))
        .utf8("review_reason", rows.iter().map(reason))
        .candidates(&candidates)
        .build()?;
    let spread = |name: &str| -> Result<ArrayRef> {
        let column = per_decision.column_by_name(name).context("a per-decision column")?;
        Ok(arrow::compute::take(column.as_ref(), &decision_rows, None)?)
    };
    let per_contact = |array: ArrayRef| -> Result<ArrayRef> {
        match &contact_rows {
            Some(take) => Ok(arrow::compute::take(array.as_ref(), take, None)?),
            None => Ok(array),
        }
    };
    let years: Int32Array = contacts.date.unary(year_of_days);
    let schema = per_decision.schema();
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("contact_id", per_contact(Arc::new(contacts.contact_id.clone()))?),
        ("party_seq", spread("party_seq")?),
        ("parties_in_contact", spread("parties_in_contact")?),
        ("source_row", per_contact(Arc::new(contacts.source_row.clone()))?),
        ("date", per_contact(Arc::new(contacts.date.clone()))?),
        ("year", per_contact(Arc::new(years))?),
        ("country", per_contact(Arc::new(contacts.country.clone()))?),
        ("iso3", spread("iso3")?),
        ("partner", per_contact(Arc::new(contacts.partner.clone()))?),
        ("partner_part", spread("partner_part")?),
        ("partner_kind", per_contact(Arc::new(contacts.partner_kind.clone()))?),
        ("venue", per_contact(Arc::new(contacts.venue.clone()))?),
        ("news_id", per_contact(Arc::new(contacts.news_id.clone()))?),
        ("visit_id", per_contact(Arc::new(contacts.visit_id.clone()))?),
    ];
    // The per-decision columns not placed above: outcome onwards.
    for field in schema.fields().iter().skip(4) {
        columns.push((field.name().as_str(), spread(field.name())?));
    }
    let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns.into_iter().map(|(_, a)| a).collect())?)
}

/// Appends the input's own extra columns to the enriched rows, matched by source_row (which
/// rises with the input's order, so a binary search finds each row).
fn with_pass_through(enriched: RecordBatch, contacts: &Contacts) -> Result<RecordBatch> {
    if contacts.extra.num_columns() == 0 {
        return Ok(enriched);
    }
    let rows = enriched.column_by_name("source_row").context("enriched_contacts has source_row")?;
    let rows = rows.as_primitive::<Int64Type>();
    let input = contacts.source_row.values();
    let take: UInt32Array =
        rows.iter().map(|r| r.and_then(|r| input.binary_search(&r).ok()).map(|i| i as u32)).collect();
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
    let schema = Arc::new(Schema::new(fields));
    Ok(RecordBatch::try_new(schema, columns)?)
}
