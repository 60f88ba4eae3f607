//! A run's orchestration, in one place: the steps in order (load, resolve, enrich, report),
//! and what runs side by side. The commands call in here; the steps know nothing of each other
//! but what they hand on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use arrow::array::RecordBatch;
use chrono::NaiveDate;
use datafusion::execution::context::SessionContext;
use serde_json::Value;

use crate::enrich::expand::{Expansion, Layout};
use crate::enrich::{
    self, AUDIT_STAGES, CONTACT_STAGES, DECISION_STAGES, LINK_STAGES, PowerSource, RunSettings, SOURCE_STAGES,
};
use crate::load::Sources;
use crate::load::cabinets::Cabinets;
use crate::load::paths::SourcePaths;
use crate::load::read::contacts::{self, Contacts};
use crate::load::reference::Reference;
use crate::report::manifest::{describe_input, describe_text, manifest};
use crate::report::{self, Format, Output, RUN_OUTPUTS, Staging, Table};
use crate::resolve::contacts::resolve_contacts;
use crate::resolve::link_cache::LinkCache;
use crate::resolve::{Outcome, Registry, ResolverConfig, dpi_audit, dpi_links, eval, names};
use crate::shared::progress::Progress;
use crate::shared::timing;

/// Where the sources are, which reference tables replace the built-in ones, and where the DPI
/// resolver links are cached (None: made every time).
pub struct Inputs {
    pub paths: SourcePaths,
    pub reference: Option<PathBuf>,
    pub cache: Option<PathBuf>,
}

/// The sources loaded: the reference tables, a session with the sources registered and their
/// stages run, the party name registry, and ParlGov's cabinets as a calendar.
pub struct Loaded {
    pub reference: Reference,
    pub ctx: SessionContext,
    pub registry: Registry,
    pub cabinets: Cabinets,
}

/// Reads the reference tables and the sources, and prepares them for resolution.
pub async fn load(inputs: &Inputs, config: ResolverConfig) -> Result<Loaded> {
    let reference = Reference::load(inputs.reference.as_deref())?;
    let sources = {
        let _timer = timing::start(|| "reading the sources".into());
        Sources::read(&inputs.paths, &reference.countries)?
    };
    let cache = match &inputs.cache {
        Some(dir) => LinkCache::new(dir, &inputs.paths, &reference, config)?,
        None => LinkCache::disabled(),
    };
    let (ctx, registry) = prepare(&sources, &reference, config, &cache).await?;
    Ok(Loaded { reference, ctx, registry, cabinets: sources.cabinets })
}

/// Registers the sources and runs the stages that need only them. Returns the session and the
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
        let import_links = enrich::links::dpi_links(&ctx, "int_dpi_import_links").await?;
        let first = {
            let _timer = timing::start(|| "name registry (import links)".into());
            names::build(sources, reference, &import_links, config)
        };
        let _timer = timing::start(|| "resolving the DPI parties the import lacks".into());
        let unlinked = enrich::links::unlinked_dpi_parties(&ctx).await?;
        dpi_links::table(&dpi_links::resolve_unlinked(&first, &reference.countries, &unlinked))
    })
    .await?;
    enrich::register(&ctx, "dpi_resolver_links", resolver_links)?;
    enrich::run_stages(&ctx, LINK_STAGES).await?;
    // The audit reads every linked label's names with a registry that holds no DPI label, then
    // decides each link; the registry the contacts are resolved with has the links it vouches for.
    let readings = cached(cache, "dpi_label_readings", "the linked DPI labels' names", async {
        let plain = {
            let _timer = timing::start(|| "name registry (no DPI labels)".into());
            names::build(&sources.without_datasets(&["dpi"]), reference, &[], config)
        };
        let _timer = timing::start(|| "reading the linked DPI labels' names".into());
        let labels = enrich::links::linked_dpi_labels(&ctx).await?;
        dpi_audit::read_labels(&labels, &plain, &reference.countries)
    })
    .await?;
    enrich::register(&ctx, "dpi_label_readings", readings)?;
    enrich::register(&ctx, "crosswalk_settings", config.crosswalk_table()?)?;
    enrich::run_stages(&ctx, AUDIT_STAGES).await?;
    let all_links = enrich::links::dpi_links(&ctx, "int_dpi_parties_audited").await?;
    let _timer = timing::start(|| "name registry (all links)".into());
    Ok((ctx, names::build(&registry_sources(sources, &[]), reference, &all_links, config)))
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

/// `partylink eval`: resolution measured on the labelled set built from the sources, with
/// every name in the registry and with the held-out datasets' names removed; then the crosswalk
/// audit, and what it changes for the party contacts of `sample`; the report's results, as
/// Markdown.
pub async fn evaluate(inputs: &Inputs, config: ResolverConfig, seed: u64, sample: &Path) -> Result<String> {
    let reference = Reference::load(inputs.reference.as_deref())?;
    let sources = Sources::read(&inputs.paths, &reference.countries)?;
    let (ctx, run_registry) = prepare(&sources, &reference, config, &LinkCache::disabled()).await?;
    // The truth is the import's links, each item kept where the crosswalk audit vouches for its
    // party in its country-year; the registry is the one a run resolves with (every link the
    // audit vouches for, no DPI rows of Party Facts' external file).
    let truth = enrich::links::dpi_links(&ctx, "int_dpi_import_links").await?;
    let all_links = enrich::links::dpi_links(&ctx, "int_dpi_parties_audited").await?;
    let vouched: BTreeSet<(String, i32, i64)> = all_links
        .iter()
        .flat_map(|l| (l.year_first..=l.year_last).map(move |y| (l.iso3.clone(), y, l.partyfacts_id)))
        .collect();
    let mut text = String::new();
    for (title, registry) in [
        ("Names seen: the registry holds every source", {
            names::build(&registry_sources(&sources, &[]), &reference, &all_links, config)
        }),
        ("Names held out: V-Party and Wikipedia removed from the registry", {
            names::build(&registry_sources(&sources, &eval::HELD_OUT), &reference, &all_links, config)
        }),
    ] {
        let items = eval::build_items(&sources, &reference.countries, &truth, &vouched, &registry, seed);
        let report = eval::evaluate(&items, &registry, &reference.countries);
        text.push_str(&format!("\n### {title}\n\n"));
        text.push_str(&eval::render(&report, seed, config.accept, config.margin, registry.len()));
    }
    // The crosswalk audit, and what it changes for the sample's party contacts (enriched first:
    // the audit's counts then reuse the decision stages for the parties DPI names).
    text.push_str(report::audit::INTRO);
    let contacts = contacts::read(sample)?;
    let loaded = Loaded { reference, ctx, registry: run_registry, cabinets: sources.cabinets };
    let settings = RunSettings { interaction_window_days: 7, power_source: PowerSource::Dpi };
    enrich_only(&loaded, &contacts, settings).await?;
    let sample_text = report::audit::render_sample(&loaded.ctx, &sample.display().to_string()).await?;
    text.push_str(&report::audit::render_links(&loaded.ctx).await?);
    text.push_str(&sample_text);
    Ok(text)
}

/// Resolves and enriches contacts up to `enriched_decisions` (both readings of power status)
/// without writing anything: what `explain` and `eval` read.
pub async fn enrich_only(loaded: &Loaded, contacts: &Contacts, settings: RunSettings) -> Result<()> {
    resolve(loaded, contacts)?;
    enrich::register(&loaded.ctx, "run_settings", settings.table()?)?;
    enrich::run_stages(&loaded.ctx, DECISION_STAGES).await
}

/// `partylink explain`'s power side: `partner` in `country` on `day` enriched as a one-row
/// contacts file, as a run would; each matched party with both readings of its power status.
pub async fn power_readings(loaded: &Loaded, country: &str, day: NaiveDate, partner: &str) -> Result<RecordBatch> {
    let contact = contacts::one(country, day, partner)?;
    let settings = RunSettings { interaction_window_days: 7, power_source: PowerSource::Dpi };
    enrich_only(loaded, &contact, settings).await?;
    enrich::explain::power_readings(&loaded.ctx).await
}

/// What `run` and `resolve` are asked to do.
pub struct Job {
    pub contacts: PathBuf,
    pub inputs: Inputs,
    pub config: ResolverConfig,
    pub out: PathBuf,
}

/// What a run did, for its closing line.
pub struct Summary {
    pub contacts: usize,
    /// Input rows by outcome.
    pub outcomes: BTreeMap<Outcome, usize>,
    /// Files written.
    pub written: usize,
}

/// `partylink run`: load, resolve, enrich and report one contacts file.
pub async fn run(job: &Job, settings: RunSettings, formats: &[Format], progress: &Progress) -> Result<Summary> {
    let started = std::time::SystemTime::now();
    // The manifest's checksums of the inputs are taken on another thread while the run works.
    let to_describe: Vec<(&'static str, PathBuf)> = std::iter::once(("contacts", job.contacts.as_path()))
        .chain(job.inputs.paths.roles())
        .map(|(role, path)| (role, path.to_path_buf()))
        .collect();
    let described = std::thread::spawn(move || {
        to_describe.iter().map(|(role, path)| describe_input(role, path)).collect::<Result<Vec<_>>>()
    });
    // The contacts are read on another thread while the sources are loaded; a bad contacts
    // file is reported before any trouble with the sources.
    progress.step(format!("reading {} and the sources", job.contacts.display()));
    let reading = {
        let path = job.contacts.clone();
        std::thread::spawn(move || {
            let _timer = timing::start(|| format!("reading {}", path.display()));
            contacts::read(&path)
        })
    };
    let loaded = load(&job.inputs, job.config).await;
    let contacts = reading.join().expect("the contacts reader does not panic")?;
    let loaded = loaded?;

    progress.step(format!("resolving and enriching {} contacts", contacts.len()));
    let resolved = resolve(&loaded, &contacts)?;
    enrich::register(&loaded.ctx, "run_settings", settings.table()?)?;
    let enriched = enrich_decisions(&loaded.ctx, &contacts, &resolved.layout).await?;
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    let mut staging = Staging::new(&job.out)?;
    // enriched_contacts, the largest table, is written on its own threads while the stages
    // that read it run.
    let writer = {
        let (dir, table, formats) = (staging.dir().to_path_buf(), Table::Rows(enriched), formats.clone());
        let output =
            *RUN_OUTPUTS.iter().find(|o| o.table == "enriched_contacts").expect("a run writes enriched_contacts");
        std::thread::spawn(move || {
            let _timer = timing::start(|| format!("writing {}", output.path));
            report::stage_table(&dir, output.path, &table, &formats)
        })
    };
    let tables = report_tables(&loaded.ctx).await;
    staging.add(writer.join().expect("the enriched_contacts writer does not panic")?);
    let tables = tables?;

    progress.step(format!("writing {}", job.out.display()));
    for (output, batch) in tables {
        let _timer = timing::start(|| format!("writing {}", output.path));
        report::write_table(&mut staging, output.path, &Table::Batch(batch), &formats)?;
    }
    let mut inputs = described.join().expect("the checksum thread does not panic")?;
    for (name, origin, bytes) in &loaded.reference.files {
        inputs.push(describe_text(&format!("reference/{name}"), origin, bytes));
    }
    let mut settings_json = loaded.registry.config.settings();
    settings_json.insert("interaction_window_days".into(), settings.interaction_window_days.into());
    settings_json.insert("power_source".into(), settings.power_source.name().into());
    settings_json.insert("formats".into(), formats.iter().map(|f| f.name()).collect::<Vec<_>>().into());
    let _timer = timing::start(|| "manifest (sha256 of every output)".into());
    let manifest = manifest("run", inputs, Value::Object(settings_json), staging.staged(), started);
    staging.write_text("manifest.json", &(serde_json::to_string_pretty(&manifest)? + "\n"))?;
    let written = staging.commit()?.len();
    Ok(Summary { contacts: contacts.len(), outcomes: resolved.outcomes, written })
}

/// The stages that read only the resolved contacts: what `partylink resolve` writes beside them.
const RESOLUTION_STAGES: &[&str] = &["review_queue", "accounting"];

/// `partylink resolve`: resolution alone, without enrichment.
pub async fn resolve_only(job: &Job) -> Result<Summary> {
    let contacts = contacts::read(&job.contacts)?;
    let loaded = load(&job.inputs, job.config).await?;
    let resolved = resolve(&loaded, &contacts)?;
    for table in RESOLUTION_STAGES {
        enrich::run_stage(&loaded.ctx, enrich::stage_for(table).expect("a stage makes it")).await?;
    }
    let mut staging = Staging::new(&job.out)?;
    let rows = enrich::contacts::resolved_contacts(&contacts, &resolved.layout, &resolved.table)?;
    staging.write_batches("resolved_contacts.csv", Format::Csv, rows.schema(), rows.batches())?;
    for (file, table) in [
        ("review_queue.csv", "review_queue"),
        ("review_dpi_links.csv", "dpi_resolver_links"),
        ("accounting.csv", "accounting"),
    ] {
        staging.write_batch(file, Format::Csv, &enrich::table(&loaded.ctx, table).await?)?;
    }
    let written = staging.commit()?.len();
    Ok(Summary { contacts: contacts.len(), outcomes: resolved.outcomes, written })
}

/// What resolving the contacts registered for the SQL stages, and what the run keeps of it.
struct Registered {
    /// Input rows by outcome.
    outcomes: BTreeMap<Outcome, usize>,
    /// Which decision-table row(s) each contact has.
    layout: Arc<Layout>,
    /// `contact_decisions`: one row per distinct decision and party.
    table: RecordBatch,
}

/// Resolves the contacts and registers `contact_decisions` (one row per distinct decision and
/// party) and `contact_rows` (one row per contact, with its `decision`).
fn resolve(loaded: &Loaded, contacts: &Contacts) -> Result<Registered> {
    let decisions = {
        let _timer = timing::start(|| format!("resolving {} contacts", contacts.len()));
        resolve_contacts(&loaded.registry, &loaded.reference.countries, contacts)
            .split_by_cabinet(&contacts.date, &loaded.cabinets)
    };
    let _timer = timing::start(|| "contact_decisions and contact_rows".into());
    let layout = Arc::new(Layout::new(&decisions.decision, &decisions.widths()));
    let table = decisions.table()?;
    enrich::register(&loaded.ctx, "contact_decisions", table.clone())?;
    enrich::register_sliced(
        &loaded.ctx,
        "contact_rows",
        enrich::contacts::contact_rows(contacts, &decisions.decision)?,
    )?;
    Ok(Registered { outcomes: decisions.outcomes(), layout, table })
}

/// Enriches the distinct decisions (the stages up to `enriched_decisions`) and returns
/// `enriched_contacts`, ready to be written while [`report_tables`] runs the stages that read it.
async fn enrich_decisions(ctx: &SessionContext, contacts: &Contacts, layout: &Arc<Layout>) -> Result<Expansion> {
    enrich::run_stages(ctx, DECISION_STAGES).await?;
    let _timer = timing::start(|| "enriched_decisions".into());
    let table = enrich::table(ctx, "enriched_decisions").await?;
    layout.check(&table, "enriched_decisions")?;
    enrich::contacts::enriched_contacts(contacts, layout, &table)
}

/// Runs the stages after [`enrich_decisions`] (interactions, the review queue, accounting, the
/// paper's tables) and gathers every output but `enriched_contacts`, in [`RUN_OUTPUTS`] order.
async fn report_tables(ctx: &SessionContext) -> Result<Vec<(Output, RecordBatch)>> {
    enrich::run_stages(ctx, CONTACT_STAGES).await?;
    let mut tables = Vec::with_capacity(RUN_OUTPUTS.len());
    for output in RUN_OUTPUTS.iter().filter(|o| o.table != "enriched_contacts") {
        let _timer = timing::start(|| format!("collecting {}", output.table));
        tables.push((*output, enrich::table(ctx, output.table).await?));
    }
    Ok(tables)
}
