//! A whole run: load the sources, run the source stages, resolve the contacts, run the contact
//! stages, and hand back the output tables.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use arrow::array::{ArrayRef, AsArray, Int32Array, RecordBatch};
use arrow::datatypes::{Field, Schema};
use arrow::datatypes::{Int32Type, Int64Type};
use chrono::Datelike;
use datafusion::execution::context::SessionContext;

use crate::batch::BatchBuilder;
use crate::cabinets::{Cabinets, split_by_cabinet};
use crate::cache::LinkCache;
use crate::country::Countries;
use crate::{dpi_audit, dpi_links};
use crate::enrich::{self, AUDIT_STAGES, CONTACT_STAGES, DECISION_STAGES, LINK_STAGES, SOURCE_STAGES};
use crate::expand::{Expansion, Layout};
use crate::load::Sources;
use crate::read::contacts::Contacts;
use crate::reference::Reference;
use crate::registry::{self, DpiLink};
use crate::report::{Output, RUN_OUTPUTS};
use crate::resolve::{FastMap, Registry, Resolution, ResolverConfig};
use crate::timing;

/// The contacts enriched: what `enriched_contacts` holds, and the input rows by outcome.
pub struct Enriched {
    /// One row per contact and party, in input order, with the input's pass-through columns.
    pub contacts: Expansion,
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
    // DPI parties the import lacks (or the cache holds those links).
    let resolver_links = cached(cache, "dpi_resolver_links", "the DPI parties the import lacks", async {
        let import_links = dpi_links(&ctx, "int_dpi_import_links").await?;
        let first = {
            let _timer = timing::start(|| "name registry (import links)".into());
            registry::build(sources, reference, &import_links, config)
        };
        let _timer = timing::start(|| "resolving the DPI parties the import lacks".into());
        dpi_links::table(&dpi_links::resolve_unlinked(&ctx, &first, &reference.countries).await?)
    })
    .await?;
    enrich::register(&ctx, "dpi_resolver_links", resolver_links)?;
    enrich::run_stages(&ctx, LINK_STAGES).await?;
    // The audit reads every linked label's names with a registry that holds no DPI label, then
    // decides each link; the registry the contacts are resolved with has the links it vouches for.
    let readings = cached(cache, "dpi_label_readings", "the linked DPI labels' names", async {
        let plain = {
            let _timer = timing::start(|| "name registry (no DPI labels)".into());
            registry::build(&sources.without_datasets(&["dpi"]), reference, &[], config)
        };
        let _timer = timing::start(|| "reading the linked DPI labels' names".into());
        dpi_audit::read_labels(&ctx, &plain, &reference.countries).await
    })
    .await?;
    enrich::register(&ctx, "dpi_label_readings", readings)?;
    enrich::run_stages(&ctx, AUDIT_STAGES).await?;
    let all_links = dpi_links(&ctx, "int_dpi_parties_audited").await?;
    let named = registry_sources(sources, &[]);
    let _timer = timing::start(|| "name registry (all links)".into());
    Ok((ctx, registry::build(&named, reference, &all_links, config)))
}

/// The sources a registry of the audited links is built from: Party Facts' external file
/// repeats its DPI import as the dataset "dpi" (each DPI label under the import's link, with
/// DPI's years), which the links the crosswalk audit vouches for replace. `held_out` datasets
/// are left out too (the evaluation's).
pub fn registry_sources(sources: &Sources, held_out: &[&str]) -> Sources {
    let keys: Vec<&str> = held_out.iter().copied().chain(["dpi"]).collect();
    sources.without_datasets(&keys)
}

/// A table from the cache, or made by `make` and stored there.
async fn cached(
    cache: &LinkCache,
    name: &str,
    what: &str,
    make: impl std::future::Future<Output = Result<RecordBatch>>,
) -> Result<RecordBatch> {
    if let Some(table) = cache.load(name) {
        let _timer = timing::start(|| format!("{what}, from the cache"));
        return Ok(table);
    }
    let table = make.await?;
    cache.store(name, &table);
    Ok(table)
}

/// The linked DPI parties of a table (or a table and a `where` condition) with iso3, year,
/// dpi_party and partyfacts_id.
pub async fn dpi_links(ctx: &SessionContext, table: &str) -> Result<Vec<DpiLink>> {
    let (table, condition) = table.split_once(" where ").map_or((table, "true"), |(t, c)| (t, c));
    let sql = format!(
        "select iso3, year, dpi_party, partyfacts_id from {table} where partyfacts_id is not null and ({condition})"
    );
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

/// Resolves one contacts file and enriches its distinct decisions (the stages up to
/// `enriched_decisions`); `enriched_contacts` is ready to be written, while [`report`] runs the
/// stages that read it.
pub async fn enrich(
    ctx: &SessionContext,
    registry: &Registry,
    countries: &Countries,
    cabinets: &Cabinets,
    contacts: &Contacts,
    settings: &RunSettings,
) -> Result<Enriched> {
    let resolved = register_resolved(ctx, registry, countries, cabinets, contacts)?;
    enrich::register(ctx, "run_settings", settings.table()?)?;
    enrich::run_stages(ctx, DECISION_STAGES).await?;
    let _timer = timing::start(|| "enriched_decisions".into());
    let table = enrich::table(ctx, "enriched_decisions").await?;
    resolved.layout.check(&table, "enriched_decisions")?;
    Ok(Enriched { contacts: enriched_contacts(contacts, &resolved.layout, &table)?, outcomes: resolved.outcomes })
}

/// Runs the stages after [`enrich`] (interactions, the review queue, accounting, the paper's
/// tables) and gathers every output but `enriched_contacts`, in [`RUN_OUTPUTS`] order.
pub async fn report(ctx: &SessionContext) -> Result<Vec<(Output, RecordBatch)>> {
    enrich::run_stages(ctx, CONTACT_STAGES).await?;
    let mut tables = Vec::with_capacity(RUN_OUTPUTS.len());
    for output in RUN_OUTPUTS.iter().filter(|o| o.table != "enriched_contacts") {
        let _timer = timing::start(|| format!("collecting {}", output.table));
        tables.push((*output, enrich::table(ctx, output.table).await?));
    }
    Ok(tables)
}

/// Settings the SQL stages read from the one-row table `run_settings`.
#[derive(Debug, Clone, Copy)]
pub struct RunSettings {
    /// Rows of one party this many days apart or less are one interaction.
    pub interaction_window_days: i32,
    /// Which reading of power status feeds `power_status` and the tables.
    pub power_source: PowerSource,
}

/// The two readings of power status: DPI's for the contact's year, or the one on its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PowerSource {
    Dpi,
    OnDate,
}

impl PowerSource {
    /// As the command line, the manifest and the SQL stages write it.
    pub fn name(self) -> &'static str {
        match self {
            PowerSource::Dpi => "dpi",
            PowerSource::OnDate => "on-date",
        }
    }
}

impl RunSettings {
    fn table(&self) -> Result<RecordBatch> {
        BatchBuilder::new()
            .int32("interaction_window_days", [Some(self.interaction_window_days)])
            .utf8("power_source", [Some(self.power_source.name())])
            .build()
    }
}

/// The resolved contacts, as registered for the SQL stages.
pub struct ResolvedContacts {
    /// Input rows by outcome.
    pub outcomes: BTreeMap<&'static str, usize>,
    /// Which decision-table row(s) each contact has.
    pub layout: Arc<Layout>,
    /// `contact_decisions`: one row per distinct decision and party.
    pub decisions: RecordBatch,
}

/// Resolves the contacts and registers `contact_decisions` (one row per distinct decision and
/// party) and `contact_rows` (one row per contact, with its `decision`).
pub fn register_resolved(
    ctx: &SessionContext,
    registry: &Registry,
    countries: &Countries,
    cabinets: &Cabinets,
    contacts: &Contacts,
) -> Result<ResolvedContacts> {
    let resolved = {
        let _timer = timing::start(|| format!("resolving {} contacts", contacts.len()));
        split_by_cabinet(resolve_contacts(registry, countries, contacts), &contacts.date, cabinets)
    };
    let _timer = timing::start(|| "contact_decisions and contact_rows".into());
    let mut per_decision = vec![0usize; resolved.decisions.len()];
    for &d in &resolved.decision {
        per_decision[d as usize] += 1;
    }
    let mut outcomes = BTreeMap::new();
    for (d, &n) in resolved.decisions.iter().zip(&per_decision) {
        *outcomes.entry(d.outcome).or_insert(0) += n;
    }
    let widths: Vec<u32> = resolved.decisions.iter().map(|d| d.parties().max(1) as u32).collect();
    let layout = Arc::new(Layout::new(&resolved.decision, &widths));
    let decisions = decision_table(&resolved, &per_decision)?;
    enrich::register(ctx, "contact_decisions", decisions.clone())?;
    let mut rows: Vec<(&str, ArrayRef)> = contact_columns(contacts);
    rows.push(("decision", Arc::new(resolved.decision.iter().map(|&d| d as i32).collect::<Int32Array>())));
    let fields: Vec<Field> = rows.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
    let rows = RecordBatch::try_new(Arc::new(Schema::new(fields)), rows.into_iter().map(|(_, a)| a).collect())?;
    enrich::register_sliced(ctx, "contact_rows", rows)?;
    Ok(ResolvedContacts { outcomes, layout, decisions })
}

/// A contact's own columns, as `contact_rows` has them.
fn contact_columns(contacts: &Contacts) -> Vec<(&'static str, ArrayRef)> {
    vec![
        ("source_row", Arc::new(contacts.source_row.clone())),
        ("contact_id", Arc::new(contacts.contact_id.clone())),
        ("date", Arc::new(contacts.date.clone())),
        ("country", Arc::new(contacts.country.clone())),
        ("partner", Arc::new(contacts.partner.clone())),
        ("partner_kind", Arc::new(contacts.partner_kind.clone())),
        ("venue", Arc::new(contacts.venue.clone())),
        ("news_id", Arc::new(contacts.news_id.clone())),
        ("visit_id", Arc::new(contacts.visit_id.clone())),
    ]
}

/// A table of the rows a run writes: made whole by SQL, or contacts joined to their decisions.
pub enum Table {
    Batch(RecordBatch),
    Rows(Expansion),
}

impl Table {
    pub fn schema(&self) -> arrow::datatypes::SchemaRef {
        match self {
            Table::Batch(batch) => batch.schema(),
            Table::Rows(rows) => rows.schema(),
        }
    }

    /// The rows in order, a batch at a time.
    pub fn batches(&self) -> Box<dyn Iterator<Item = Result<RecordBatch>> + Send + '_> {
        match self {
            Table::Batch(batch) => Box::new(std::iter::once(Ok(batch.clone()))),
            Table::Rows(rows) => Box::new(rows.batches()),
        }
    }
}

/// Contacts beside columns of a decision table: each name is a contact's column if
/// `contact_rows` has it, else the decision table's; the input's own extra columns come last.
fn expand(contacts: &Contacts, layout: &Arc<Layout>, decisions: &RecordBatch, names: &[&str]) -> Result<Expansion> {
    let own = contact_columns(contacts);
    let mut table = Expansion::new(layout.clone());
    for name in names {
        table = match own.iter().find(|(n, _)| n == name) {
            Some((n, array)) => table.contact(Field::new(*n, array.data_type().clone(), true), array.clone()),
            None => table.decision_column(decisions, name)?,
        };
    }
    for (field, column) in contacts.extra.schema().fields().iter().zip(contacts.extra.columns()) {
        if names.contains(&field.name().as_str()) {
            anyhow::bail!(
                "{}: the input column {:?} has the name of an output column; rename it",
                contacts.file.display(),
                field.name()
            );
        }
        table = table.contact(field.as_ref().clone(), column.clone());
    }
    Ok(table)
}

/// `contacts_resolved`: one row per contact and party, in input order, with what resolution
/// decided (what `partylink resolve` writes).
pub fn contacts_resolved(contacts: &Contacts, resolved: &ResolvedContacts) -> Result<Expansion> {
    let mut names: Vec<&str> = "contact_id party_seq parties_in_contact source_row date year country iso3 partner \
        partner_part partner_kind venue news_id visit_id outcome partyfacts_id match_method match_score matched_name \
        review_reason"
        .split_whitespace()
        .collect();
    let candidates: Vec<String> = (1..=3)
        .flat_map(|k| ["id", "name", "score"].map(|part| format!("candidate_{k}_{part}")))
        .collect();
    names.extend(candidates.iter().map(String::as_str));
    expand(contacts, &resolved.layout, &resolved.decisions, &names)
}

/// `enriched_contacts`: one row per contact and party, in input order: the contact's own
/// columns beside its decision's row of `enriched_decisions`, then the input's extra columns.
pub fn enriched_contacts(contacts: &Contacts, layout: &Arc<Layout>, enriched: &RecordBatch) -> Result<Expansion> {
    const NAMES: &str = "contact_id source_row party_seq parties_in_contact date year country iso3 partner \
        partner_part partner_kind venue news_id visit_id partyfacts_id party_name dpi_party dpi_link dpi_other_country match_method \
        match_score matched_name power_status power_basis power_status_on_date power_basis_on_date fh_status regime fh_pr \
        fh_cl outcome";
    expand(contacts, layout, enriched, &NAMES.split_whitespace().collect::<Vec<_>>())
}

/// What resolution decided for one distinct (country, year, partner).
#[derive(Debug, Clone)]
pub struct ContactResolution {
    pub iso3: Option<String>,
    /// matched, non_party, not_a_party, review_party or review_country.
    pub outcome: &'static str,
    pub party: Option<Arc<Resolution>>,
}

impl ContactResolution {
    /// Parties matched (0 for a contact without one).
    fn parties(&self) -> usize {
        self.party.as_deref().map_or(0, |p| p.matches.len())
    }
}

/// The decisions for the distinct contacts, and which one each contact got.
pub struct Resolved {
    /// Per contact, in input order: its index in `decisions`.
    pub decision: Vec<u32>,
    pub decisions: Vec<ContactResolution>,
    /// Per decision, what it was decided on.
    pub keys: Vec<DecisionKey>,
}

/// What a decision is decided on: the contacts with this country as written, year, and
/// partner as written.
#[derive(Debug, Clone)]
pub struct DecisionKey {
    pub country: String,
    pub year: i32,
    pub partner: String,
    pub non_party: bool,
    /// The ParlGov cabinet in office in the country on the contacts' date, where ParlGov covers it.
    pub cabinet_id: Option<i64>,
}

/// A contact as resolution sees it: what it decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key<'a> {
    /// The country as written, numbered.
    spelling: u32,
    year: i32,
    partner: &'a str,
    non_party: bool,
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
        let key = Key {
            spelling,
            year: year_of_days(contacts.date.value(i)),
            partner: contacts.partner.value(i),
            non_party: contacts.partner_kind.value(i) == "non_party",
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
        let code = &iso3[key.spelling as usize];
        if key.non_party {
            decisions[d] = Some(ContactResolution { iso3: code.clone(), outcome: "non_party", party: None });
            continue;
        }
        match code {
            None => decisions[d] = Some(ContactResolution { iso3: None, outcome: "review_country", party: None }),
            Some(code) => groups.entry((code.as_str(), key.partner)).or_default().push(d),
        }
    }
    let groups: Vec<((&str, &str), Vec<usize>)> = groups.into_iter().collect();
    let resolved = crate::parallel::map(&groups, 16, |((code, partner), members)| {
        let scored = registry.score(countries, code, partner);
        members
            .iter()
            .map(|&d| {
                let party = Arc::new(registry.resolve_scored(countries, code, distinct[d].year, partner, &scored));
                (d, ContactResolution { iso3: Some(code.to_string()), outcome: party.outcome, party: Some(party) })
            })
            .collect::<Vec<_>>()
    });
    for (d, r) in resolved.into_iter().flatten() {
        decisions[d] = Some(r);
    }
    let decisions = decisions.into_iter().map(|d| d.expect("every distinct contact decided")).collect();
    let keys = distinct
        .iter()
        .map(|k| DecisionKey {
            country: by_spelling[k.spelling as usize].to_string(),
            year: k.year,
            partner: k.partner.to_string(),
            non_party: k.non_party,
            cabinet_id: None,
        })
        .collect();
    Resolved { decision, decisions, keys }
}

/// The calendar year of a Date32 value (days since 1970-01-01).
pub fn year_of_days(days: i32) -> i32 {
    const DAYS_FROM_CE_TO_EPOCH: i32 = 719_163;
    chrono::NaiveDate::from_num_days_from_ce_opt(days + DAYS_FROM_CE_TO_EPOCH).map_or(1970, |d| d.year())
}

/// `contact_decisions`: one row per distinct decision and party (a decision naming two parties
/// has two rows; one without a party, one), ordered by (decision, party_seq). `contacts` is
/// the number of input rows with the decision.
fn decision_table(resolved: &Resolved, per_decision: &[usize]) -> Result<RecordBatch> {
    let rows: Vec<(usize, Option<usize>)> = resolved
        .decisions
        .iter()
        .enumerate()
        .flat_map(|(d, r)| match r.parties() {
            0 => vec![(d, None)],
            n => (0..n).map(|k| (d, Some(k))).collect(),
        })
        .collect();
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
    BatchBuilder::new()
        .int32("decision", rows.iter().map(|r| Some(r.0 as i32)))
        .int32("party_seq", rows.iter().map(|r| Some(r.1.map_or(1, |k| k as i32 + 1))))
        .int32("parties_in_contact", rows.iter().map(|r| Some(decision(r).parties() as i32)))
        .int32("year", rows.iter().map(|r| Some(resolved.keys[r.0].year)))
        .int64("cabinet_id", rows.iter().map(|r| resolved.keys[r.0].cabinet_id))
        .utf8("country", rows.iter().map(|r| Some(resolved.keys[r.0].country.as_str())))
        .utf8("iso3", rows.iter().map(|r| decision(r).iso3.as_deref()))
        .utf8("partner", rows.iter().map(|r| Some(resolved.keys[r.0].partner.as_str())))
        .utf8("partner_kind", rows.iter().map(|r| Some(if resolved.keys[r.0].non_party { "non_party" } else { "party" })))
        .utf8("partner_part", rows.iter().map(|r| matched(r).map(|m| m.written.as_str())))
        .utf8("outcome", rows.iter().map(|r| Some(decision(r).outcome)))
        .int64("partyfacts_id", rows.iter().map(|r| matched(r).map(|m| m.partyfacts_id)))
        .utf8("match_method", rows.iter().map(|r| matched(r).map(|m| m.method)))
        .float64("match_score", rows.iter().map(|r| matched(r).map(|m| m.score)))
        .utf8("matched_name", rows.iter().map(|r| matched(r).map(|m| m.matched_name.as_str())))
        .utf8("review_reason", rows.iter().map(reason))
        .candidates(&candidates)
        .int64("contacts", rows.iter().map(|r| Some(per_decision[r.0] as i64)))
        .build()
}
