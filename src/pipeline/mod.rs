//! A run's orchestration, in one place: the steps in order (extract when the run starts from
//! news items, then load, resolve, enrich, report), and what runs side by side. The commands call in here; the steps know nothing of each other
//! but what they hand on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use arrow::array::RecordBatch;
use datafusion::execution::context::SessionContext;
use serde_json::Value;

use crate::content::{self, keywords::Keywords};
use crate::distributed::{self, ClusterRun};
use crate::enrich::expand::Layout;
use crate::enrich::{self, AUDIT_STAGES, LINK_STAGES, RunSettings, SOURCE_STAGES};
use crate::extract;
use crate::load::Sources;
use crate::load::cabinets::Cabinets;
use crate::load::paths::SourcePaths;
use crate::load::read::contacts::{self, Contacts};
use crate::load::reference::Reference;
use crate::report::lock::OutputLock;
use crate::report::{self, Format, RUN_OUTPUTS, Staging, Table, draw};
use crate::resolve::contacts::resolve_contacts;
use crate::resolve::link_cache::LinkCache;
use crate::resolve::{Outcome, Registry, ResolverConfig, dpi_audit, dpi_links, names};
use crate::shared::progress::Progress;
use crate::shared::timing;

mod evaluate;
mod extraction;
mod folder;
mod local;
mod owned;
mod review;

pub use evaluate::{enrich_only, evaluate, power_readings};
pub use extraction::extract;
use extraction::{Read, extract_items, extract_news, read_in_background, stage_extraction};
pub use folder::{Drawn, report_folder};
use local::enrich_and_report;
use owned::{claim, describe_inputs, finish, join_inputs, settings_of};
pub use review::{Review, review};

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
    registry.check_overrides()?;
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

/// What a run starts from: contacts coded by hand, or the news items to extract them from.
pub enum Input {
    Contacts(PathBuf),
    News(PathBuf),
}

impl Input {
    pub fn path(&self) -> &Path {
        match self {
            Input::Contacts(path) | Input::News(path) => path,
        }
    }
}

/// What `run`, `resolve` and `extract` are asked to do.
pub struct Job {
    pub input: Input,
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
    /// What extraction found, when the run started from news items.
    pub extracted: Option<String>,
    /// Input rows an override decided, and the overrides no contact met.
    pub overrides: (usize, Vec<String>),
}

/// `partylink run`: load, resolve, enrich and report one contacts file.
pub async fn run(
    job: &Job,
    settings: RunSettings,
    formats: &[Format],
    reporting: &Reporting,
    cluster: Option<&ClusterRun>,
    progress: &Progress,
) -> Result<Summary> {
    let started = std::time::SystemTime::now();
    if let Some(cluster) = cluster {
        cluster.check()?;
        anyhow::ensure!(
            reporting.news.is_none(),
            "--cluster runs the contact stages; the content analysis of --news runs on one machine: leave out --cluster"
        );
    }
    claim(&job.out, "run")?;
    OutputLock::check_free(&job.out)?;
    let news_files = match &reporting.news {
        Some(path) => content::news_files(path)?,
        None => Vec::new(),
    };
    let described = describe_inputs(job, &news_files)?;
    // The contacts (or news items) are read on another thread while the sources are loaded; a
    // small input is read in a moment, and when it is bad, that is said before the sources take
    // their seconds to load.
    progress.step(format!("reading {} and the sources", job.input.path().display()));
    let reading = read_in_background(&job.input);
    let waited = std::time::Instant::now();
    while !reading.is_finished() && waited.elapsed() < std::time::Duration::from_millis(50) {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let (early, reading) = match reading.is_finished() {
        true => (Some(reading.join().expect("the input reader does not panic")?), None),
        false => (None, Some(reading)),
    };
    let loaded = load(&job.inputs, job.config).await;
    let read = match (early, reading) {
        (Some(read), _) => read,
        (None, Some(reading)) => reading.join().expect("the input reader does not panic")?,
        (None, None) => unreachable!("the input is read early or late"),
    };
    let loaded = loaded?;
    // A lexicon that does not compile is reported before the contacts are resolved.
    let keywords = reporting.news.as_ref().map(|_| Keywords::parse(&loaded.reference.keywords)).transpose()?;
    let formats = distinct(formats);
    let mut staging = Staging::new(&job.out)?;
    let (contacts, extracted) = match read {
        Read::Contacts(contacts) => (contacts, None),
        Read::News(news) => {
            // The contacts a run enriches are the file extraction wrote, read back as `run
            // --contacts extracted_contacts.parquet` would read it.
            progress.step(format!("extracting contacts from the news items of {}", job.input.path().display()));
            let results = extract_news(&loaded.registry, &loaded.reference, job.inputs.reference.as_deref(), news)?;
            let written = stage_extraction(&mut staging, &results, &formats)?;
            let contacts = contacts::read(&staging.dir().join(written))?;
            (contacts, Some(extract::tables::summary(&results)))
        }
    };

    enrich::register(&loaded.ctx, "run_settings", settings.table()?)?;
    let rows = contacts.len();
    let (outcomes, overrides, mut tables) = match cluster {
        None => {
            progress.step(format!("resolving and enriching {} contacts", contacts.len()));
            let Registered { outcomes, layout, table, overrides } = resolve(&loaded, &contacts)?;
            enrich_and_report(&loaded.ctx, &contacts, &layout, table, &mut staging, &formats).await?;
            (outcomes, overrides, Vec::new())
        }
        Some(cluster) => {
            let cluster_at = &cluster.cluster;
            progress.step(format!("resolving and enriching {rows} contacts on the cluster ({cluster_at})"));
            let resolver = distributed::Resolver {
                registry: &loaded.registry,
                countries: &loaded.reference.countries,
                cabinets: &loaded.cabinets,
            };
            let clustered =
                distributed::enrich_and_report(cluster, &loaded.ctx, resolver, contacts, &mut staging, &formats)
                    .await?;
            (clustered.outcomes, clustered.overrides, clustered.tables)
        }
    };
    if let (Some(path), Some(keywords)) = (&reporting.news, &keywords) {
        progress.step(format!("content analysis of {}", path.display()));
        tables.extend(folder::content_tables(&loaded.ctx, path, keywords, enrich::Registered::Run).await?);
    }

    progress.step(format!("writing {}", job.out.display()));
    for (output, batch) in tables {
        let _timer = timing::start(|| format!("writing {}", output.path));
        report::write_table(&mut staging, output.path, &Table::Batch(batch), &formats)?;
    }
    let inputs = join_inputs(described, &loaded)?;
    let mut settings_json = settings_of(&loaded, &formats);
    settings.describe(&mut settings_json);
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
    let written = finish(staging, "run", inputs, settings_json, started)?;
    Ok(Summary { contacts: rows, outcomes, written, extracted, overrides })
}

/// The formats asked for, each once, in [`Format`] order.
fn distinct(formats: &[Format]) -> Vec<Format> {
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
    formats
}

/// The stages that read only the resolved contacts: what `partylink resolve` writes beside them,
/// and the last stages of a run to read `contact_decisions`.
const RESOLUTION_STAGES: &[&str] = &["review_queue", "accounting"];

/// `partylink resolve`: resolution alone, without enrichment, into a folder of its own (a
/// run's folder is refused: its tables would no longer agree with each other).
pub async fn resolve_only(job: &Job, formats: &[Format]) -> Result<Summary> {
    let Input::Contacts(path) = &job.input else {
        anyhow::bail!("--news is read by `partylink run` and `partylink extract`; give `partylink resolve` --contacts");
    };
    claim(&job.out, "resolve")?;
    let started = std::time::SystemTime::now();
    let described = describe_inputs(job, &[])?;
    let contacts = contacts::read(path)?;
    let loaded = load(&job.inputs, job.config).await?;
    let resolved = resolve(&loaded, &contacts)?;
    // Resolution alone knows no period: its accounting counts every row by its outcome.
    enrich::register(&loaded.ctx, "run_settings", RunSettings { period: None, ..RunSettings::default() }.table()?)?;
    for table in RESOLUTION_STAGES {
        enrich::run_stage(&loaded.ctx, enrich::stage_for(table).expect("a stage makes it")).await?;
    }
    let formats = distinct(formats);
    let mut staging = Staging::new(&job.out)?;
    let table = crate::shared::batch::join_slices(resolved.table)?;
    let rows = enrich::contacts::resolved_contacts(&contacts, &resolved.layout, &table)?;
    report::write_table(&mut staging, report::RESOLVED_CONTACTS, &Table::Rows(rows), &formats)?;
    for output in RUN_OUTPUTS.iter().filter(|o| RESOLUTION_OUTPUTS.contains(&o.table)) {
        let batch = enrich::table(&loaded.ctx, output.table).await?;
        report::write_table(&mut staging, output.path, &Table::Batch(batch), &formats)?;
    }
    let inputs = join_inputs(described, &loaded)?;
    let settings = Value::Object(settings_of(&loaded, &formats));
    let written = finish(staging, "resolve", inputs, settings, started)?;
    Ok(Summary {
        contacts: contacts.len(),
        outcomes: resolved.outcomes,
        written,
        extracted: None,
        overrides: resolved.overrides,
    })
}

/// What `partylink resolve` writes beside the resolved contacts.
const RESOLUTION_OUTPUTS: &[&str] = &["review_queue", "dpi_resolver_links", "accounting"];

/// What resolving the contacts registered for the SQL stages, and what the run keeps of it.
struct Registered {
    /// Input rows by outcome.
    outcomes: BTreeMap<Outcome, usize>,
    /// Which decision-table row(s) each contact has.
    layout: Arc<Layout>,
    /// `contact_decisions`: one row per distinct decision and party, in slices.
    table: Vec<RecordBatch>,
    /// Input rows an override decided, and the overrides no contact met.
    overrides: (usize, Vec<String>),
}

/// Resolves the contacts and registers `contact_decisions` (one row per distinct decision and
/// party) and `contact_rows` (one row per contact, with its `decision`).
fn resolve(loaded: &Loaded, contacts: &Contacts) -> Result<Registered> {
    let decisions = {
        let _timer = timing::start(|| format!("resolving {} contacts", contacts.len()));
        resolve_contacts(&loaded.registry, &loaded.reference.countries, &loaded.cabinets, contacts)
    };
    let _timer = timing::start(|| "contact_decisions and contact_rows".into());
    let widths = decisions.widths();
    let layout = Arc::new(Layout::new(&decisions.decision, &widths));
    let (overrides, outcomes) = (decisions.override_use(&loaded.registry), decisions.outcomes());
    let rows = enrich::contacts::contact_rows(contacts, &decisions.decision)?;
    // Each slice's decisions are freed once it is made: millions of them (3.7 million at 10^7
    // diverse contacts), each its own allocations, are never held beside the whole table.
    let table = decisions.into_table_slices(&loaded.registry, &widths)?;
    enrich::session::register_packed(&loaded.ctx, "contact_decisions", table.clone())?;
    enrich::register_sliced(&loaded.ctx, "contact_rows", rows)?;
    Ok(Registered { outcomes, layout, table, overrides })
}
