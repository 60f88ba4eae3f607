//! `partylink extract`: news items to contacts.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use crate::cmd::{Loaded, OutArgs, ResolverArgs, SourceArgs, load};
use crate::extract::gazetteer::Gazetteer;
use crate::extract::places::Places;
use crate::extract::{self, Extractor, ItemKind, ItemResult, tables};
use crate::output::Staging;

/// Find the contacts that news items report: who met the CPC side, from which country, when
/// and where.
///
/// Reads news items (--news: CSV, Parquet or JSON lines with news_id, date, title, text and
/// optional url, kind; or a directory of .html, .htm and .txt pages) and the sources under
/// --data, whose party names are the gazetteer. Meetings give contacts; congratulations,
/// condolences and other messages do not.
///
/// Writes into --out: extracted_contacts.csv and .parquet (contact_id, date, country, partner,
/// venue, partner_kind, news_id, which `partylink run --contacts` reads as they are, then the
/// evidence: item_kind, sentence, span_start, span_end in characters, rule, confidence,
/// date_precision), extract_review.csv (what to look at: parties named only by country,
/// partners without a country, dates that cannot be placed, names the resolver cannot decide,
/// unreadable items), extract_items.csv (one row per item: its kind, contacts, review rows) and
/// extract_accounting.csv (items by kind, adding up to all).
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// News items: a .csv, .parquet or .jsonl file, or a directory of .html, .htm, .txt pages
    #[arg(long, value_name = "FILE|DIR")]
    pub news: PathBuf,

    #[command(flatten)]
    pub output: OutArgs,

    #[command(flatten)]
    pub sources: SourceArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

pub async fn run(args: ExtractArgs) -> Result<()> {
    args.sources.paths()?;
    let reading = read_in_background(&args.news);
    let loaded = load(&args.sources, &args.resolver).await;
    let items = reading.join().expect("the news reader does not panic")?;
    let loaded = loaded?;
    let results = extract_items(&loaded, args.sources.reference.as_deref(), &items)?;
    let mut staging = Staging::new(&args.output.out)?;
    write(&mut staging, &results)?;
    let written = staging.commit()?;
    if !args.output.quiet {
        eprintln!("partylink: {}; wrote {} files to {}", summary(&results), written.len(), args.output.out.display());
    }
    Ok(())
}

/// Reads the news items on another thread, while the sources load.
pub fn read_in_background(path: &Path) -> std::thread::JoinHandle<Result<Vec<extract::NewsItem>>> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let _timer = crate::timing::start(|| format!("reading {}", path.display()));
        extract::read_news(&path)
    })
}

/// Every item's contacts and review rows, with the loaded registry as the gazetteer.
pub fn extract_items(loaded: &Loaded, reference: Option<&Path>, items: &[extract::NewsItem]) -> Result<Vec<ItemResult>> {
    let places = Places::load(reference, &loaded.reference.countries)?;
    let gazetteer = {
        let _timer = crate::timing::start(|| "gazetteer".into());
        Gazetteer::new(&loaded.registry, &places, reference)?
    };
    let extractor = Extractor::new(&loaded.registry, &loaded.reference.countries, &places, &gazetteer);
    let _timer = crate::timing::start(|| format!("extracting from {} items", items.len()));
    Ok(extractor.extract_all(items))
}

/// Stages the extraction's files.
pub fn write(staging: &mut Staging, results: &[ItemResult]) -> Result<()> {
    let contacts = tables::contacts(results)?;
    staging.write_csv("extracted_contacts.csv", &contacts)?;
    staging.write_parquet("extracted_contacts.parquet", &contacts)?;
    staging.write_csv("extract_review.csv", &tables::reviews(results)?)?;
    staging.write_csv("extract_items.csv", &tables::items(results)?)?;
    staging.write_csv("extract_accounting.csv", &tables::accounting(results)?)?;
    Ok(())
}

/// "114 items (94 meeting, 7 congratulation, ...): 127 contacts, 20 to review".
pub fn summary(results: &[ItemResult]) -> String {
    let kinds: Vec<String> = ItemKind::ALL
        .iter()
        .map(|k| (k, results.iter().filter(|r| r.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    let contacts: usize = results.iter().map(|r| r.contacts.len()).sum();
    let reviews: usize = results.iter().map(|r| r.reviews.len()).sum();
    format!("{} items ({}): {contacts} contacts, {reviews} to review", results.len(), kinds.join(", "))
}
