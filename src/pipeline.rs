//! A run's orchestration, in one place: the steps in order (load, resolve, enrich, report),
//! and what runs side by side. The commands call in here; the steps know nothing of each other
//! but what they hand on.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use arrow::array::RecordBatch;
use datafusion::execution::context::SessionContext;
use serde_json::Value;

use crate::enrich::expand::{Expansion, Layout};
use crate::enrich::{self, CONTACT_STAGES, DECISION_STAGES, LINK_STAGES, RunSettings, SOURCE_STAGES};
use crate::load::Sources;
use crate::load::paths::SourcePaths;
use crate::load::read::contacts::{self, Contacts};
use crate::load::reference::Reference;
use crate::report::manifest::{describe_input, describe_text, manifest};
use crate::report::{self, Format, Output, RUN_OUTPUTS, Staging, Table};
use crate::resolve::contacts::resolve_contacts;
use crate::resolve::link_cache::LinkCache;
use crate::resolve::{Outcome, Registry, ResolverConfig, dpi_links, eval, names};
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
/// stages run, and the party name registry.
pub struct Loaded {
    pub reference: Reference,
    pub ctx: SessionContext,
    pub registry: Registry,
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
    Ok(Loaded { reference, ctx, registry })
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
    // DPI parties the import lacks (or the cache holds those links); then the registry is
    // built with every link.
    let resolver_links = match cache.load() {
        Some(table) => {
            let _timer = timing::start(|| "the DPI parties the import lacks, from the cache".into());
            table
        }
        None => {
            let import_links = enrich::links::dpi_links(&ctx, "int_dpi_import_links").await?;
            let first = {
                let _timer = timing::start(|| "name registry (import links)".into());
                names::build(sources, reference, &import_links, config)
            };
            let _timer = timing::start(|| "resolving the DPI parties the import lacks".into());
            let unlinked = enrich::links::unlinked_dpi_parties(&ctx).await?;
            let table = dpi_links::table(&dpi_links::resolve_unlinked(&first, &reference.countries, &unlinked))?;
            cache.store(&table);
            table
        }
    };
    enrich::register(&ctx, "dpi_resolver_links", resolver_links)?;
    enrich::run_stages(&ctx, LINK_STAGES).await?;
    let all_links = enrich::links::dpi_links(&ctx, "int_dpi_parties_linked").await?;
    let _timer = timing::start(|| "name registry (all links)".into());
    Ok((ctx, names::build(sources, reference, &all_links, config)))
}

/// `partylink eval`: resolution measured on the labelled set built from the sources, with
/// every name in the registry and with the held-out datasets' names removed; the report's
/// results, as Markdown.
pub async fn evaluate(inputs: &Inputs, config: ResolverConfig, seed: u64) -> Result<String> {
    let reference = Reference::load(inputs.reference.as_deref())?;
    let sources = Sources::read(&inputs.paths, &reference.countries)?;
    let (ctx, _) = prepare(&sources, &reference, config, &LinkCache::disabled()).await?;
    let truth = enrich::links::dpi_links(&ctx, "int_dpi_import_links").await?;
    let all_links = enrich::links::dpi_links(&ctx, "int_dpi_parties_linked").await?;
    let mut text = String::new();
    let seen = names::build(&sources, &reference, &all_links, config);
    let held_out = names::build(&eval::without_held_out(&sources), &reference, &all_links, config);
    for (title, registry, two_kinds) in [
        ("Names seen: the registry holds every source", &seen, false),
        ("Names held out: V-Party and Wikipedia removed from the registry", &held_out, false),
        ("Names seen, two kinds of noise on every item", &seen, true),
    ] {
        let items = eval::build_items(&sources, &reference.countries, &truth, registry, seed, two_kinds);
        let report = eval::evaluate(&items, registry, &reference.countries);
        text.push_str(&format!("\n### {title}\n\n"));
        text.push_str(&eval::render(&report, seed, config.accept, config.margin, registry.len()));
    }
    Ok(text)
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
