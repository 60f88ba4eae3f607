//! News items to contacts: `partylink extract`, and what `run --news` does before it resolves.

use std::path::{Path, PathBuf};

use anyhow::Result;

use serde_json::Value;

use super::owned::{claim, describe_inputs, finish, join_inputs, settings_of};
use super::{Input, Job, distinct, load};
use crate::extract::{self, ItemResult, NewsItem, NewsReader};
use crate::load::read::contacts::{self, Contacts};
use crate::load::reference::Reference;
use crate::report::{self, EXTRACT_OUTPUTS, Format, Staging, Table};
use crate::resolve::Registry;
use crate::shared::timing;

/// `partylink extract`: the news items' contacts, review rows and accounting, each in
/// `formats`, with a manifest, into a folder of its own. Returns what was found and the number
/// of files written.
pub async fn extract(job: &Job, formats: &[Format]) -> Result<(String, usize)> {
    claim(&job.out, "extract")?;
    let started = std::time::SystemTime::now();
    let described = describe_inputs(job, &[])?;
    let reading = read_in_background(&job.input);
    let loaded = load(&job.inputs, job.config).await;
    let Read::News(news) = reading.join().expect("the news reader does not panic")? else {
        anyhow::bail!("`partylink extract` reads news items (--news)");
    };
    let loaded = loaded?;
    let results = extract_news(&loaded.registry, &loaded.reference, job.inputs.reference.as_deref(), news)?;
    let formats = distinct(formats);
    let mut staging = Staging::new(&job.out)?;
    stage_extraction(&mut staging, &results, &formats)?;
    let inputs = join_inputs(described, &loaded)?;
    let written = finish(staging, "extract", inputs, Value::Object(settings_of(&loaded, &formats)), started)?;
    Ok((extract::tables::summary(&results), written))
}

/// What a run reads first, on its own thread while the sources load.
pub(super) enum Read {
    Contacts(Contacts),
    News(News),
}

/// News items being read: the first batch, read while the sources load (so that a bad file is
/// reported at once), and the reader for the rest.
pub(super) struct News {
    first: Vec<NewsItem>,
    reader: NewsReader,
}

pub(super) fn read_in_background(input: &Input) -> std::thread::JoinHandle<Result<Read>> {
    let path = input.path().to_path_buf();
    let news = matches!(input, Input::News(_));
    std::thread::spawn(move || {
        let _timer = timing::start(|| format!("reading {}", path.display()));
        Ok(if news {
            let mut reader = NewsReader::open(&path)?;
            let first = reader.next_batch(extract::news::BATCH)?.unwrap_or_default();
            Read::News(News { first, reader })
        } else {
            Read::Contacts(contacts::read(&path)?)
        })
    })
}

/// The inputs the manifest describes: the contacts file, or the news file or every page of
/// the news directory.
pub(super) fn input_files(input: &Input) -> Result<Vec<(&'static str, PathBuf)>> {
    Ok(match input {
        Input::Contacts(path) => vec![("contacts", path.clone())],
        Input::News(path) if path.is_dir() => {
            extract::news::page_files(path)?.into_iter().map(|page| ("news", page)).collect()
        }
        Input::News(path) => vec![("news", path.clone())],
    })
}

/// Every item's contacts and review rows, with the registry as the gazetteer and the resolver.
pub(super) fn extract_items(
    registry: &Registry,
    reference: &Reference,
    reference_dir: Option<&Path>,
    items: Vec<NewsItem>,
) -> Result<Vec<ItemResult>> {
    let news = std::iter::once(Ok(items));
    extract_batches(registry, reference, reference_dir, news)
}

/// Every item's results, a batch of items at a time: only the results are kept, so memory grows
/// with the contacts found, not with the text read.
pub(super) fn extract_news(
    registry: &Registry,
    reference: &Reference,
    reference_dir: Option<&Path>,
    news: News,
) -> Result<Vec<ItemResult>> {
    let News { first, mut reader } = news;
    let rest = std::iter::from_fn(move || reader.next_batch(extract::news::BATCH).transpose());
    extract_batches(registry, reference, reference_dir, std::iter::once(Ok(first)).chain(rest))
}

fn extract_batches(
    registry: &Registry,
    reference: &Reference,
    reference_dir: Option<&Path>,
    batches: impl Iterator<Item = Result<Vec<NewsItem>>>,
) -> Result<Vec<ItemResult>> {
    let places = extract::places::Places::load(reference_dir, &reference.countries)?;
    let gazetteer = {
        let _timer = timing::start(|| "gazetteer".into());
        extract::gazetteer::Gazetteer::new(registry, &places, reference_dir)?
    };
    let extractor = extract::Extractor::new(registry, &reference.countries, &places, &gazetteer);
    let _timer = timing::start(|| "extracting from news items".into());
    let mut results = Vec::new();
    for batch in batches {
        results.extend(extractor.extract_all(&batch?));
    }
    Ok(results)
}

/// Stages extraction's files in `formats`: the contacts (as `run --contacts` reads them), the
/// review rows, the items and their accounting. Returns the contacts' file, Parquet where
/// written, relative to the staging directory.
pub(super) fn stage_extraction(staging: &mut Staging, results: &[ItemResult], formats: &[Format]) -> Result<String> {
    for (path, batch) in [
        (EXTRACT_OUTPUTS[0], extract::tables::contacts(results)?),
        (EXTRACT_OUTPUTS[1], extract::tables::reviews(results)?),
        (EXTRACT_OUTPUTS[2], extract::tables::items(results)?),
        (EXTRACT_OUTPUTS[3], extract::tables::accounting(results)?),
    ] {
        report::write_table(staging, path, &Table::Batch(batch), formats)?;
    }
    let format = if formats.contains(&Format::Parquet) { Format::Parquet } else { Format::Csv };
    Ok(format.file(EXTRACT_OUTPUTS[0]))
}
