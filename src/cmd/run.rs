//! `partylink run`: load, resolve, enrich and report one contacts file.

use anyhow::Result;
use clap::Args;
use serde_json::json;

use crate::cmd::extract;
use crate::cmd::{ContactsArgs, load};
use crate::output::Staging;
use crate::pipeline::{self, RunSettings, Table};
use crate::progress::Progress;
use crate::read::contacts;
use crate::report::{self, RUN_OUTPUTS, describe_input, describe_text};
use crate::timing;

/// Link contacts to Party Facts parties, DPI power status and Freedom House regime type.
///
/// Reads the contacts (CSV, Parquet or JSON lines: contact_id, date, country, partner; optional
/// venue, partner_kind, news_id, visit_id; other columns pass through) and the sources under
/// --data. With --news instead of --contacts, it reads news items and extracts the contacts from
/// them first, as `partylink extract` does, writing its files too.
///
/// Writes into --out, each table as .csv and .parquet (see --formats): enriched_contacts (one row per contact
/// and party, in input order), interactions (one row per party and visit, with the
/// contact rows merged into it), review_queue, review_dpi_links, accounting, and the paper's
/// tables under tables/ (contacts_by_year, contacts_by_venue_year, contacts_by_country,
/// country_party_shares, top_partners, contacts_per_party, party_contact_shares,
/// power_by_regime, power_shares, power_by_period); and manifest.json (version, inputs with
/// sha256, settings, outputs with sha256, run time). Outputs are written only when the whole
/// run succeeds.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: ContactsArgs,

    /// Rows of one party this many days apart or less are one interaction (one visit)
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub interaction_window: i32,

    /// Write each table in these formats (comma-separated). Over millions of contacts, Parquet
    /// alone saves most of the writing time; `partylink sql` and `export` read the Parquet files
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', default_value = "csv,parquet")]
    pub formats: Vec<TableFormat>,
}

/// A file format of the tables a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum TableFormat {
    Csv,
    Parquet,
}

pub async fn run(args: RunArgs) -> Result<()> {
    let started = std::time::SystemTime::now();
    let progress = Progress::new(args.input.output.quiet);
    // Missing sources are reported before anything is read.
    let paths = args.input.sources.paths()?;
    // The manifest's checksums of the inputs are taken on another thread while the run works.
    let input = args.input.contacts.as_ref().or(args.input.news.as_ref()).expect("clap requires --contacts or --news");
    let to_describe: Vec<(&'static str, std::path::PathBuf)> = input_files(&args.input.contacts, &args.input.news)
        .into_iter()
        .chain(paths.roles().map(|(role, path)| (role, path.to_path_buf())))
        .collect();
    let described = std::thread::spawn(move || {
        to_describe.iter().map(|(role, path)| describe_input(role, path)).collect::<Result<Vec<_>>>()
    });
    // The contacts (or news items) are read on another thread while the sources are loaded; a
    // bad input file is reported before any trouble with the sources.
    progress.step(format!("reading {} and the sources", input.display()));
    let reading = match &args.input.contacts {
        Some(path) => {
            let path = path.clone();
            Reading::Contacts(std::thread::spawn(move || {
                let _timer = timing::start(|| format!("reading {}", path.display()));
                contacts::read(&path)
            }))
        }
        None => Reading::News(extract::read_in_background(input)),
    };
    let loaded = load(&args.input.sources, &args.input.resolver).await;
    let read = match reading {
        Reading::Contacts(thread) => Read::Contacts(thread.join().expect("the contacts reader does not panic")?),
        Reading::News(thread) => Read::News(thread.join().expect("the news reader does not panic")?),
    };
    let loaded = loaded?;
    let mut staging = Staging::new(&args.input.output.out)?;
    let contacts = match read {
        Read::Contacts(contacts) => contacts,
        Read::News(items) => {
            progress.step(format!("extracting contacts from {} news items", items.len()));
            let results = extract::extract_items(&loaded, args.input.sources.reference.as_deref(), &items)?;
            extract::write(&mut staging, &results)?;
            if !args.input.output.quiet {
                eprintln!("partylink: {}", extract::summary(&results));
            }
            contacts::read(&staging.dir().join("extracted_contacts.parquet"))?
        }
    };
    progress.step(format!("resolving and enriching {} contacts", contacts.len()));
    let settings = RunSettings { interaction_window_days: args.interaction_window };
    let enriched =
        pipeline::enrich(&loaded.ctx, &loaded.registry, &loaded.reference.countries, &contacts, &settings).await?;
    let mut formats = args.formats.clone();
    formats.sort();
    formats.dedup();
    // enriched_contacts, the largest table, is written on its own threads while the stages
    // that read it run.
    let writer = {
        let (dir, table, formats) = (staging.dir().to_path_buf(), Table::Rows(enriched.contacts), formats.clone());
        let output = *RUN_OUTPUTS.iter().find(|o| o.table == "enriched_contacts").expect("a run writes enriched_contacts");
        std::thread::spawn(move || {
            let _timer = timing::start(|| format!("writing {}", output.path));
            report::stage_table(&dir, output.path, &table, &formats)
        })
    };
    let tables = pipeline::report(&loaded.ctx).await;
    staging.add(writer.join().expect("the enriched_contacts writer does not panic")?);
    let tables = tables?;

    progress.step(format!("writing {}", args.input.output.out.display()));
    for (output, batch) in tables {
        let _timer = timing::start(|| format!("writing {}", output.path));
        report::write_table(&mut staging, output.path, &Table::Batch(batch), &formats)?;
    }
    let mut inputs = described.join().expect("the checksum thread does not panic")?;
    for (name, origin, bytes) in &loaded.reference.files {
        inputs.push(describe_text(&format!("reference/{name}"), origin, bytes));
    }
    let config = loaded.registry.config;
    let settings = json!({
        "accept_threshold": config.accept,
        "margin": config.margin,
        "interaction_window_days": settings.interaction_window_days,
        "formats": formats.iter().map(|f| format!("{f:?}").to_lowercase()).collect::<Vec<_>>(),
    });
    let _timer = timing::start(|| "manifest (sha256 of every output)".into());
    let manifest = report::manifest("run", inputs, settings, staging.staged(), started);
    staging.write_text("manifest.json", &(serde_json::to_string_pretty(&manifest)? + "\n"))?;
    let written = staging.commit()?;
    drop(progress);
    if !args.input.output.quiet {
        eprintln!(
            "partylink: {}; wrote {} files to {}",
            summary(contacts.len(), &enriched.outcomes),
            written.len(),
            args.input.output.out.display()
        );
    }
    Ok(())
}

/// What a run reads first, on its own thread.
enum Reading {
    Contacts(std::thread::JoinHandle<Result<contacts::Contacts>>),
    News(std::thread::JoinHandle<Result<Vec<crate::extract::NewsItem>>>),
}

/// What it read.
enum Read {
    Contacts(contacts::Contacts),
    News(Vec<crate::extract::NewsItem>),
}

/// The inputs the manifest describes: the contacts file, or the news file or every page of
/// the news directory.
fn input_files(
    contacts: &Option<std::path::PathBuf>,
    news: &Option<std::path::PathBuf>,
) -> Vec<(&'static str, std::path::PathBuf)> {
    match (contacts, news) {
        (Some(path), _) => vec![("contacts", path.clone())],
        (None, Some(dir)) if dir.is_dir() => {
            let mut files = Vec::new();
            let mut pending = vec![dir.clone()];
            while let Some(d) = pending.pop() {
                for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        pending.push(path);
                    } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        crate::extract::news::PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                    }) {
                        files.push(("news", path));
                    }
                }
            }
            files.sort();
            files
        }
        (None, Some(path)) => vec![("news", path.clone())],
        (None, None) => Vec::new(),
    }
}

/// "384 contacts: 329 matched, 38 non-party, 17 to review".
pub fn summary(contacts: usize, outcomes: &std::collections::BTreeMap<&'static str, usize>) -> String {
    let count = |outcome: &str| outcomes.get(outcome).copied().unwrap_or(0);
    let mut text = format!("{contacts} contacts: {} matched, {} non-party", count("matched"), count("non_party"));
    if count("not_a_party") > 0 {
        text.push_str(&format!(", {} not a party (overrides)", count("not_a_party")));
    }
    text.push_str(&format!(", {} to review", count("review_party") + count("review_country")));
    text
}
