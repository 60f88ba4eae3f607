//! A run's orchestration, in one place: the steps in order (load, resolve, enrich, report),
//! and what runs side by side. The commands call in here; the steps know nothing of each other
//! but what they hand on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use arrow::array::RecordBatch;
use datafusion::execution::context::SessionContext;
use serde_json::Value;

use crate::content::{self, keywords::Keywords};
use crate::enrich::expand::{Expansion, Layout};
use crate::enrich::{self, CONTACT_STAGES, DECISION_STAGES, LINK_STAGES, RunSettings, SOURCE_STAGES};
use crate::load::Sources;
use crate::load::paths::SourcePaths;
use crate::load::read::contacts::{self, Contacts};
use crate::load::reference::Reference;
use crate::report::manifest::{describe_input, describe_text, manifest};
use crate::report::{self, CONTENT_OUTPUTS, Format, Output, RUN_OUTPUTS, Staging, Table, draw};
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
    for (title, registry) in [
        ("Names seen: the registry holds every source", names::build(&sources, &reference, &all_links, config)),
        ("Names held out: V-Party and Wikipedia removed from the registry", {
            names::build(&eval::without_held_out(&sources), &reference, &all_links, config)
        }),
    ] {
        let items = eval::build_items(&sources, &reference.countries, &truth, &registry, seed);
        let report = eval::evaluate(&items, &registry, &reference.countries);
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

/// What a run reports besides its tables: the content analysis of the news items in `news`,
/// and (unless `figures` is false) the figures and report.html.
pub struct Reporting {
    pub news: Option<PathBuf>,
    pub figures: bool,
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
pub async fn run(
    job: &Job,
    settings: RunSettings,
    formats: &[Format],
    reporting: &Reporting,
    progress: &Progress,
) -> Result<Summary> {
    let started = std::time::SystemTime::now();
    let news_files = match &reporting.news {
        Some(path) => content::news_files(path)?,
        None => Vec::new(),
    };
    // The manifest's checksums of the inputs are taken on another thread while the run works.
    let to_describe: Vec<(&'static str, PathBuf)> = std::iter::once(("contacts", job.contacts.as_path()))
        .chain(job.inputs.paths.roles())
        .chain(news_files.iter().map(|f| ("news", f.as_path())))
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
    // A lexicon that does not compile is reported before the contacts are resolved.
    let keywords = reporting.news.as_ref().map(|_| Keywords::parse(&loaded.reference.keywords)).transpose()?;

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
    let mut tables = tables?;
    if let (Some(path), Some(keywords)) = (&reporting.news, &keywords) {
        progress.step(format!("content analysis of {}", path.display()));
        tables.extend(content_tables(&loaded.ctx, path, keywords, enrich::Registered::Run).await?);
    }

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
    settings.describe(&mut settings_json);
    settings_json.insert("formats".into(), formats.iter().map(|f| f.name()).collect::<Vec<_>>().into());
    let settings_json = Value::Object(settings_json);
    if reporting.figures {
        progress.step("drawing the figures and report.html".to_string());
        let page = serde_json::json!({
            "partylink_version": env!("CARGO_PKG_VERSION"),
            "command": "run",
            "inputs": inputs.clone(),
            "settings": settings_json.clone(),
        });
        draw::figures_and_page(&loaded.ctx, enrich::Registered::Run, &page, &mut staging).await?;
    }
    let _timer = timing::start(|| "manifest (sha256 of every output)".into());
    let manifest = manifest("run", inputs, settings_json, staging.staged(), started);
    staging.write_text("manifest.json", &(serde_json::to_string_pretty(&manifest)? + "\n"))?;
    let written = staging.commit()?.len();
    Ok(Summary { contacts: contacts.len(), outcomes: resolved.outcomes, written })
}

/// The content analysis of the news items in `path`: the items read and analysed, the content
/// stages run over them and the contacts registered in `ctx`, and the tables of
/// [`CONTENT_OUTPUTS`], in its order.
async fn content_tables(
    ctx: &SessionContext,
    path: &Path,
    keywords: &Keywords,
    registered: enrich::Registered,
) -> Result<Vec<(Output, RecordBatch)>> {
    let items = crate::extract::read_news(path)?;
    let analysis = content::analyse(&items, keywords)?;
    content::run(ctx, &analysis, registered).await?;
    let mut tables = Vec::with_capacity(CONTENT_OUTPUTS.len());
    for output in CONTENT_OUTPUTS {
        tables.push((*output, enrich::table(ctx, output.table).await?));
    }
    Ok(tables)
}

/// What `partylink report` drew, for its closing line.
pub struct Drawn {
    pub figures: usize,
    pub written: usize,
}

/// `partylink report`: the figures and report.html drawn again from the run's folder `out`
/// (its tables and manifest.json), after the content analysis of `reporting.news` if given;
/// the manifest's entries for the files written are replaced.
pub async fn report_folder(
    out: &Path,
    reference: Option<&Path>,
    formats: &[Format],
    news: Option<&Path>,
) -> Result<Drawn> {
    let ctx = enrich::create_context();
    enrich::register_outputs(&ctx, out).await?;
    let manifest_path = out.join("manifest.json");
    let mut manifest: Value = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: not the JSON a run writes: {e}", manifest_path.display()))?,
        Err(_) => serde_json::json!({}),
    };
    let mut staging = Staging::new(out)?;
    if let Some(news) = news {
        let keywords = Keywords::parse(&Reference::load(reference)?.keywords)?;
        // A folder a run with --news wrote holds the content tables already: the new analysis
        // replaces them.
        for output in CONTENT_OUTPUTS {
            ctx.deregister_table(enrich::Registered::Folder.name(output.table, output.path))?;
        }
        let mut formats = formats.to_vec();
        formats.sort();
        formats.dedup();
        for (output, batch) in content_tables(&ctx, news, &keywords, enrich::Registered::Folder).await? {
            report::write_table(&mut staging, output.path, &Table::Batch(batch), &formats)?;
        }
        let files = content::news_files(news)?;
        let described = files.iter().map(|f| describe_input("news", f)).collect::<Result<Vec<_>>>()?;
        report::manifest::replace_inputs(&mut manifest, "news", described);
    }
    let figures = draw::figures_and_page(&ctx, enrich::Registered::Folder, &manifest, &mut staging).await?;
    report::manifest::replace_outputs(&mut manifest, staging.staged());
    staging.write_text("manifest.json", &(serde_json::to_string_pretty(&manifest)? + "\n"))?;
    let written = staging.commit()?.len();
    Ok(Drawn { figures: figures.len(), written })
}

/// The stages that read only the resolved contacts: what `partylink resolve` writes beside them.
const RESOLUTION_STAGES: &[&str] = &["review_queue", "accounting"];

/// `partylink resolve`: resolution alone, without enrichment.
pub async fn resolve_only(job: &Job) -> Result<Summary> {
    let contacts = contacts::read(&job.contacts)?;
    let loaded = load(&job.inputs, job.config).await?;
    let resolved = resolve(&loaded, &contacts)?;
    // Resolution alone knows no period: its accounting counts every row by its outcome.
    enrich::register(&loaded.ctx, "run_settings", RunSettings { period: None, ..RunSettings::default() }.table()?)?;
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
